// The benchmark's statistics and the shape of what it writes. No timing is
// asserted anywhere: only arithmetic on known arrays, sample counts, call
// order and the schema of a tiny run.

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { iqr, measure, median, quantileSorted, sampleInterleaved, sampleUntil, summarize, timed } from '../harness/bench/measure.ts';
import { BENCH_OPS, benchOpOf, opsFor, parseOps } from '../harness/bench/ops.ts';
import { evaluateGoals, runBench } from '../harness/bench/bench.ts';
import { pricer, rawWorkMs } from '../harness/bench/pricing.ts';
import { cmdBench } from '../cli/bench.ts';
import { main } from '../cli/main.ts';
import { parseSpec } from '../backends/registry.ts';
import { DEFAULT_SUITES } from '../harness/suites/index.ts';
import { benchHtml, benchSection } from '../reports/bench/html.ts';
import { benchTable } from '../reports/bench/console.ts';
import { benchView } from '../reports/bench/view.ts';
import { fmtUs } from '../reports/text.ts';
import { BENCH_SCHEMA, isBench, type Bench } from '../model/bench.ts';
import { writeBench } from '../reports/write.ts';

const dirs: string[] = [];
async function tmp(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'pqc-bench-test-'));
  dirs.push(d);
  return d;
}
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('statistics', () => {
  it('median of odd, even, unsorted and single-element samples', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
    expect(median([10, 10, 10, 1000])).toBe(10);
  });

  it('quantiles interpolate linearly between order statistics (type 7)', () => {
    const s = [1, 2, 3, 4];
    expect(quantileSorted(s, 0)).toBe(1);
    expect(quantileSorted(s, 1)).toBe(4);
    expect(quantileSorted(s, 0.25)).toBeCloseTo(1.75, 12);
    expect(quantileSorted(s, 0.75)).toBeCloseTo(3.25, 12);
    const t = [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
    expect(quantileSorted(t, 0.25)).toBe(25);
    expect(quantileSorted(t, 0.5)).toBe(50);
    expect(quantileSorted(t, 0.75)).toBe(75);
  });

  it('IQR = q3 - q1, and is 0 for a constant sample', () => {
    expect(iqr([1, 2, 3, 4])).toBeCloseTo(1.5, 12);
    expect(iqr([4, 3, 2, 1])).toBeCloseTo(1.5, 12);
    expect(iqr([5, 5, 5, 5, 5])).toBe(0);
    expect(iqr([42])).toBe(0);
    // Robust: one wild outlier moves neither median nor IQR much.
    expect(iqr([1, 2, 3, 4, 5, 6, 7, 8, 1e9])).toBe(4);
  });

  it('summarize reports n, median, quartiles, min, max, mean', () => {
    expect(summarize([9, 1, 5, 3, 7])).toEqual({ n: 5, median: 5, q1: 3, q3: 7, iqr: 4, min: 1, max: 9, mean: 5 });
  });

  it('rejects empty samples and quantiles outside [0, 1]', () => {
    expect(() => median([])).toThrow(/empty/);
    expect(() => summarize([])).toThrow(/empty/);
    expect(() => quantileSorted([1], 1.5)).toThrow(/\[0, 1\]/);
    expect(() => quantileSorted([1], Number.NaN)).toThrow();
  });
});

describe('sampling (counts and order only)', () => {
  it('takes at least minSamples and at most maxSamples, after a warm-up', async () => {
    let calls = 0;
    const s = await measure(() => void calls++, { minTimeMs: 0, warmupMs: 0, minSamples: 7, maxSamples: 7 });
    expect(s).toHaveLength(7);
    expect(s.every((x) => Number.isFinite(x) && x >= 0)).toBe(true);
    expect(calls).toBe(7); // warmupMs 0: no warm-up calls at all

    calls = 0;
    const b = await measure(() => void calls++, { minTimeMs: 0, minSamples: 3, maxSamples: 3, batch: 4 });
    expect(b).toHaveLength(3);
    expect(calls).toBeGreaterThanOrEqual(3 * 4 + 2 * 4); // samples + at least two warm-up batches
  });

  it('a self-timed sampler reports its own numbers', async () => {
    const xs = [5, 1, 3];
    let i = 0;
    const s = await sampleUntil(() => xs[i++ % 3]!, { minTimeMs: 0, warmupMs: 0, minSamples: 3, maxSamples: 3 });
    expect(s).toEqual([5, 1, 3]);
  });

  it('interleaves variants round by round', async () => {
    const log: string[] = [];
    const [a, b] = await sampleInterleaved(
      [timed(() => log.push('a')), timed(() => log.push('b'))],
      { minTimeMs: 0, warmupMs: 0, rounds: 3, minSamples: 6, maxSamples: 6 },
    );
    expect(a).toHaveLength(6);
    expect(b).toHaveLength(6);
    // One warm-up sample each, then a,a,b,b per round.
    expect(log.slice(0, 2)).toEqual(['a', 'b']);
    const rounds = log.slice(2).join('');
    expect(rounds).toBe('aabbaabbaabb');
  });
});

describe('ops', () => {
  it('parses short and contract names', () => {
    expect(parseOps(['keygen'])).toEqual(['kem.keygen', 'dsa.keygen']);
    expect(parseOps(['kem.decaps', 'sign'])).toEqual(['kem.decaps', 'dsa.sign']);
    expect(parseOps([...BENCH_OPS])).toEqual([...BENCH_OPS]);
    expect(() => parseOps(['frobnicate'])).toThrow(/unknown bench op/);
  });

  it('applies KEM ops to ML-KEM and DSA ops to ML-DSA', () => {
    expect(opsFor('ML-KEM-768')).toEqual(['kem.keygen', 'kem.encaps', 'kem.decaps']);
    expect(opsFor('ML-DSA-87')).toEqual(['dsa.keygen', 'dsa.sign', 'dsa.verify']);
  });

  it('maps conformance ops to the benchmarked op of the raw-time model', () => {
    expect(benchOpOf('dsa.signPreHash')).toBe('dsa.sign');
    expect(benchOpOf('dsa.signMu')).toBe('dsa.sign');
    expect(benchOpOf('dsa.verifyInternal')).toBe('dsa.verify');
    expect(benchOpOf('kem.encapsRandom')).toBe('kem.encaps');
    expect(benchOpOf('kem.checkEncapsKey')).toBeUndefined();
  });
});

describe('a tiny bench on noble', () => {
  let bench: Bench;

  it('runs and has the bench@1 shape', async () => {
    bench = await runBench({ backends: [parseSpec('noble')], params: ['ML-KEM-512', 'ML-DSA-44'], ops: ['kem.decaps', 'dsa.verify'], minTimeMs: 0, skip: ['host', 'ffi'] });
    expect(bench.schema).toBe(BENCH_SCHEMA);
    expect(isBench(bench)).toBe(true);
    expect(bench.results.map((r) => [r.backend, r.parameterSet, r.op])).toEqual([
      ['noble', 'ML-KEM-512', 'kem.decaps'],
      ['noble', 'ML-DSA-44', 'dsa.verify'],
    ]);
    for (const r of bench.results) {
      expect(Object.keys(r).sort()).toEqual(['backend', 'iqrUs', 'medianUs', 'n', 'op', 'opsPerSec', 'parameterSet']);
      expect(r.n).toBeGreaterThanOrEqual(10);
      expect(r.medianUs).toBeGreaterThan(0);
      expect(r.iqrUs).toBeGreaterThanOrEqual(0);
      expect(r.opsPerSec).toBeCloseTo(1e6 / r.medianUs, 0);
    }
    expect(bench.ffiOverhead).toEqual([]);
    expect(bench.hostOverhead).toEqual([]);
    expect(bench.harnessOverhead).toEqual([]);
    expect(bench.conformanceRun).toBeUndefined();
    expect(bench.goals.map((g) => g.met)).toEqual(bench.goals.map(() => null));
    expect(bench.goals.length).toBe(7);
    expect(bench.run.machine.cpus).toBeGreaterThan(0);
    expect(bench.backends[0]?.id).toBe('noble');
  });

  it('renders a table and a self-contained HTML chart', async () => {
    const t = benchTable(bench);
    expect(t).toMatch(/noble\s+ML-KEM-512\s+kem\.decaps/);
    const html = benchHtml(bench);
    expect(html).toContain('<section class="pqcb" id="benchmarks">');
    expect(html.match(/<svg /g)).toHaveLength(2);
    expect(html).not.toMatch(/<script[^>]+src=|<link |https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    expect(benchSection(benchView(bench))).toContain('data-op="kem.decaps"');
    expect(benchView(bench).charts.map((c) => c.op)).toEqual(['kem.decaps', 'dsa.verify']); // a chart per op measured, none other

    const out = await tmp();
    const files = await writeBench(bench, out);
    const parsed: unknown = JSON.parse(await readFile(files.json, 'utf8'));
    expect(isBench(parsed)).toBe(true);
    expect(await readFile(files.html, 'utf8')).toBe(html);
  });

  it('escapes backend names in the HTML', () => {
    const evil: Bench = { ...bench, results: bench.results.map((r) => ({ ...r, backend: 'module:<img src=x onerror=alert(1)>' })) };
    const html = benchSection(benchView(evil));
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img');
  });
});

describe('goals', () => {
  it('judges each goal only when it was measured', () => {
    const base: Bench = {
      schema: BENCH_SCHEMA,
      run: { startedAt: '', finishedAt: '', harnessVersion: '', argv: [], minTimeMs: 0, machine: { cpus: 2, cpuModel: 'x', memGiB: 1, node: 'v20', platform: 'linux-x64', loadStart: [], loadEnd: [] } },
      backends: [],
      results: [],
      ffiOverhead: [{ backend: 'rust', parameterSet: 'ML-KEM-768', op: 'kem.decaps', nativeUs: 100, ffiUs: 104, ratio: 1.04, n: 10 }],
      hostOverhead: [{ backend: 'liboqs', parameterSet: 'ML-KEM-768', op: 'kem.decaps', inprocUs: 30, childUs: 300, ratio: 10, childPipelinedUs: 40, pipelinedRatio: 40 / 30, n: 10 }],
      harnessOverhead: [
        { backend: 'noble', host: 'inproc', suites: ['acvp'], cases: 1, executed: 1, skipped: 0, failing: 0, wallMs: 12, caseSumMs: 10, rawOpMs: 10, ratio: 1.2, caseRatio: 1.2, unmodelled: 0 },
        { backend: 'rust', host: 'inproc', suites: ['acvp'], cases: 1, executed: 1, skipped: 0, failing: 0, wallMs: 14, caseSumMs: 10, rawOpMs: 10, ratio: 1.4, caseRatio: 1.4, unmodelled: 0 },
      ],
      conformanceRun: { backends: ['noble', 'rust', 'liboqs'], host: 'auto', suites: [...DEFAULT_SUITES], cases: 10, failing: 0, wallMs: 60_000, jobs: 2, cores: 2, rawOpMs: 90_000, scheduleEfficiency: 0.75 },
      runComparisons: [
        { name: 'liboqs in a child host vs in process', what: '', baseMs: 10_000, otherMs: 12_000, ratio: 1.2 },
        { name: 'noble on 2 worker threads vs 1', what: '', baseMs: 10_000, otherMs: 8_000, ratio: 0.8 },
      ],
      goals: [],
      skipped: [],
    };
    const g = evaluateGoals(base, true);
    // koffi, harness overhead, pipelined child, child run, jobs, schedule efficiency, default run.
    expect(g.map((x) => x.met)).toEqual([true, false, true, true, false, false, true]);
    const last = (b: Bench, all = true) => evaluateGoals(b, all).at(-1)?.met;
    expect(last(base, false)).toBeNull();
    expect(last({ ...base, conformanceRun: { ...base.conformanceRun!, wallMs: 100_001 } })).toBe(false);
    expect(last({ ...base, conformanceRun: { ...base.conformanceRun!, backends: ['noble'] } })).toBeNull();
    expect(evaluateGoals({ ...base, ffiOverhead: [], hostOverhead: [], harnessOverhead: [], conformanceRun: undefined, runComparisons: undefined })).toSatisfy((x: ReturnType<typeof evaluateGoals>) => x.every((y) => y.met === null));
  });

  it('formats microseconds with a sensible unit', () => {
    expect(fmtUs(1.234)).toBe('1.23 µs');
    expect(fmtUs(12.34)).toBe('12.3 µs');
    expect(fmtUs(123.4)).toBe('123 µs');
    expect(fmtUs(1234)).toBe('1.23 ms');
    expect(fmtUs(12345)).toBe('12.3 ms');
    expect(fmtUs(1.5e6)).toBe('1.50 s');
  });
});

describe('cmdBench', () => {
  it('rejects bad flags with exit code 2 and names what was wrong', async () => {
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const bad: [args: string[], message: RegExp][] = [
        [['--backend', 'nosuch'], /unknown backend 'nosuch'/],
        [['--op', 'frobnicate'], /unknown bench op 'frobnicate'/],
        [['--param', 'ML-KEM-9'], /unknown parameter set 'ML-KEM-9'/],
        [['--min-time-ms', 'soon'], /--min-time-ms expects .* got 'soon'/],
        [['--skip', 'everything'], /--skip expects .* got 'everything'/],
        [['--no-such-flag'], /--no-such-flag/],
      ];
      for (const [args, message] of bad) {
        err.mockClear();
        expect(await main(['bench', ...args]), args.join(' ')).toBe(2);
        expect(String(err.mock.calls[0]?.[0])).toMatch(message);
      }
    } finally {
      err.mockRestore();
    }
  });

  it('writes bench.json and bench.html, with the child-host comparison', async () => {
    const out = await tmp();
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    let code: number;
    try {
      code = await cmdBench(['--backend', 'noble', '--param', 'ML-KEM-512', '--op', 'keygen', '--min-time-ms', '0', '--rounds', '1', '--out', out]);
    } finally {
      log.mockRestore();
      stderr.mockRestore();
    }
    expect(code).toBe(0);
    const b = JSON.parse(await readFile(join(out, 'bench.json'), 'utf8')) as Bench;
    expect(isBench(b)).toBe(true);
    expect(b.run.argv[0]).toBe('bench');
    expect(b.results).toHaveLength(1);
    expect(b.hostOverhead).toHaveLength(1);
    const h = b.hostOverhead[0]!;
    expect(h).toMatchObject({ backend: 'noble', parameterSet: 'ML-KEM-512', op: 'kem.keygen' });
    expect(h.inprocUs).toBeGreaterThan(0);
    expect(h.childUs).toBeGreaterThan(0);
    expect(h.ratio).toBeCloseTo(h.childUs / h.inprocUs, 2);
    expect(await readFile(join(out, 'bench.html'), 'utf8')).toContain('<svg');

    // A conformance report written to the same folder shows the benchmark chart.
    const { writeReports } = await import('../reports/write.ts');
    const { results: mkResults, kase } = await import('./report-fixtures.ts');
    const files = await writeReports(mkResults([kase({ id: 'x' })]), out);
    const html = await readFile(files.html, 'utf8');
    expect(html).toContain('id="benchmarks"');
    expect(html).toContain('<svg');
  });
});

describe('the raw-op model (pricing.ts)', () => {
  const results = [
    { backend: 'x', parameterSet: 'ML-KEM-768', op: 'kem.keygen', opsPerSec: 0, medianUs: 100, iqrUs: 0, n: 1 },
    { backend: 'x', parameterSet: 'ML-KEM-768', op: 'kem.encaps', opsPerSec: 0, medianUs: 120, iqrUs: 0, n: 1 },
    { backend: 'x', parameterSet: 'ML-KEM-768', op: 'kem.decaps', opsPerSec: 0, medianUs: 150, iqrUs: 0, n: 1 },
    { backend: 'x', parameterSet: 'ML-DSA-65', op: 'dsa.sign', opsPerSec: 0, medianUs: 900, iqrUs: 0, n: 1 },
  ];
  const price = pricer(results, new Map([['x\0ML-DSA-65', 1500]]));
  const kase = { backend: 'x', parameterSet: 'ML-KEM-768', op: 'kem.decaps', status: 'pass', durationMs: 7 };
  it('prices each required operation once per repeat, at its median', () => {
    expect(rawWorkMs({ ...kase, requires: ['kem.keygen', 'kem.decaps'] }, price)).toEqual({ ms: 0.25, modelled: true });
    expect(rawWorkMs({ ...kase, requires: ['kem.keygen', 'kem.encaps', 'kem.decaps'], repeats: 10_000 }, price)).toEqual({ ms: 3700, modelled: true });
  });
  it('prices signing at the sign model, and counts a case without a price at its own duration', () => {
    expect(rawWorkMs({ ...kase, parameterSet: 'ML-DSA-65', op: 'dsa.sign', requires: ['dsa.sign'] }, price).ms).toBe(1.5);
    expect(rawWorkMs({ ...kase, op: 'kem.checkEncapsKey', requires: ['kem.checkEncapsKey'] }, price)).toEqual({ ms: 7, modelled: false });
  });
});
