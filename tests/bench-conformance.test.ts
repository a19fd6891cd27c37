// `bench --conformance` end to end on a small scale (noble and rust, ML-KEM-512):
// the koffi overhead, the harness overhead per backend, the default run at
// --jobs = cores and at --jobs 1, and the run comparisons, then their tables
// and chart. The numbers are whatever this machine gives; what is checked is
// that each was measured, is consistent with its parts, and is shown.

import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runBench } from '../harness/bench/bench.ts';
import { parseSpec } from '../backends/registry.ts';
import { DEFAULT_RUST_LIBRARY } from '../backends/rust.ts';
import { inCI } from '../model/config.ts';
import { isBench, type Bench } from '../model/bench.ts';
import { benchTable } from '../reports/bench/console.ts';
import { benchHtml } from '../reports/bench/html.ts';

const RUST_MISSING = !existsSync(DEFAULT_RUST_LIBRARY);

it.runIf(RUST_MISSING && inCI())('the rust cdylib is built (CI)', () => {
  expect(existsSync(DEFAULT_RUST_LIBRARY), `${DEFAULT_RUST_LIBRARY} missing: run \`npm run setup\``).toBe(true);
});

describe.skipIf(RUST_MISSING)('bench --conformance on noble and rust, ML-KEM-512', () => {
  let bench: Bench;

  it('measures every part', { timeout: 300_000 }, async () => {
    bench = await runBench({ backends: ['noble', 'rust'].map(parseSpec), params: ['ML-KEM-512'], ops: ['kem.decaps'], minTimeMs: 0, rounds: 1, skip: ['host'], conformance: true });
    expect(isBench(bench)).toBe(true);
    expect(bench.skipped).toEqual([]);

    const [ffi] = bench.ffiOverhead;
    expect(bench.ffiOverhead).toHaveLength(1);
    expect(ffi).toMatchObject({ backend: 'rust', parameterSet: 'ML-KEM-512', op: 'kem.decaps' });
    expect(ffi!.ratio).toBeCloseTo(ffi!.ffiUs / ffi!.nativeUs, 2);

    expect(bench.harnessOverhead.map((h) => [h.backend, h.host])).toEqual([
      ['noble', 'inproc'],
      ['rust', 'inproc'],
    ]);
    for (const h of bench.harnessOverhead) {
      expect(h.executed).toBe(h.cases - h.skipped);
      expect(h.failing).toBe(0);
      expect(h.rawOpMs).toBeGreaterThan(0);
      expect(h.ratio).toBeCloseTo(h.wallMs / h.rawOpMs, 2);
      expect(h.byGroup!.reduce((a, g) => a + g.executed, 0)).toBe(h.executed);
    }

    const run = bench.conformanceRun!;
    expect(run.backends).toEqual(['noble', 'rust']);
    expect(run.suites).toContain('interop');
    expect(run.failing).toBe(0);
    expect(run.jobs).toBe(run.cores);
    expect(run.jobs1WallMs).toBeGreaterThan(0);
    expect(run.peakRssMiB).toBeGreaterThan(0);
    expect(run.scheduleEfficiency).toBeCloseTo(run.rawOpMs! / run.cores! / run.wallMs, 2);
    expect(run.bySuite!.reduce((a, s) => a + s.cases, 0)).toBe(run.cases);

    // liboqs was not opened: only noble's comparison runs.
    expect(bench.runComparisons?.map((c) => c.name)).toEqual(['noble on 2 worker threads vs 1']);
    const [jobs] = bench.runComparisons!;
    expect(jobs!.ratio).toBeCloseTo(jobs!.otherMs / jobs!.baseMs, 2);
    const goal = bench.goals.find((g) => g.name.startsWith('--jobs 2'))!;
    expect(goal.met).toBe(jobs!.ratio <= 0.7);
  });

  it('shows every part on the console and in the HTML', () => {
    const text = benchTable(bench);
    expect(text).toMatch(/Default conformance run: noble, rust/);
    expect(text).toMatch(/--jobs 1: [\d.]+ s; peak RSS \d+ MiB/);
    expect(text).toMatch(/noble on 2 worker threads vs 1|noble wycheproof ML-DSA-65/);
    const html = benchHtml(bench);
    for (const b of ['noble', 'rust']) expect(html).toContain(b);
    expect(html).toMatch(/peak RSS/);
  });
});
