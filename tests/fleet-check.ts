// Shared by tests/fleet-*.test.ts: build one fleet wrapper with its own
// fleet/<name>/build.sh, run ACVP on one ML-KEM and one ML-DSA parameter set
// through the runner, and check what a user of that library would expect.
//
// A wrapper whose toolchain is missing (build.sh exits 3) is a skip with the
// script's reason, and a failure under CI. What is asserted, and why:
// - no crash, timeout or error: the wrapper answers every request;
// - no ACVP case fails (the defects found are in Wycheproof cases, pinned by
//   the per-language tests);
// - every op the library's API can express (listed by the test, from the
//   wrapper's README) passes ACVP cases, and no other op does: a wrapper that
//   offers nothing, or quietly drops an op, fails;
// - a case of an offered op is skipped only for a documented reason.

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, it } from 'vitest';
import { inCI } from '../model/config.ts';
import type { Suite } from '../model/case.ts';
import type { ParamSet } from '../model/params.ts';
import type { Results } from '../model/results.ts';
import { runConformance } from '../harness/runner.ts';
import { readVectorJson } from '../vectors/store.ts';

const REPO = resolve(import.meta.dirname, '..');
/** build.sh's exit code for a missing toolchain. */
const MISSING_TOOLCHAIN = 3;
/** A first build compiles every dependency (Rust: about 3 minutes on 2 cores). */
const BUILD_TIMEOUT_MS = 15 * 60_000;

export interface FleetManifest {
  name: string;
  upstream: string;
  language: string;
  version: string;
  independent: string;
  command: string[];
  toolchain: string;
  expresses: string;
  cannot: string;
}

export function readManifest(name: string): FleetManifest {
  const file = join(REPO, 'fleet', name, 'fleet.json');
  return JSON.parse(readFileSync(file, 'utf8')) as FleetManifest;
}

/** The process: spec of a wrapper, its command resolved against the repository root. */
export function wrapperSpec(m: FleetManifest): string {
  const [cmd, ...rest] = m.command;
  return `process:${[join(REPO, cmd!), ...rest].map((a) => `'${a}'`).join(' ')}`;
}

/** Run fleet/<name>/build.sh: null when built, else the skip reason (missing toolchain). */
export function build(name: string): string | null {
  const r = spawnSync('bash', [join(REPO, 'fleet', name, 'build.sh')], { cwd: REPO, encoding: 'utf8', timeout: BUILD_TIMEOUT_MS });
  if (r.status === MISSING_TOOLCHAIN) return r.stderr.trim().split('\n').pop() ?? `${name}: toolchain missing`;
  if (r.status !== 0) throw new Error(`fleet/${name}/build.sh failed (status ${r.status}, signal ${r.signal}):\n${r.stdout}\n${r.stderr}`);
  return null;
}

export interface WrapperCheck {
  name: string;
  params: ParamSet[];
  /** `${parameterSet} ${op}` for every op the library can express on those sets. */
  ops: string[];
  /** `${parameterSet} ${op}` the harness derives from a lower interface the wrapper offers (backends/derived.ts): they pass too, marked derived. */
  derived?: string[];
  /** Skip reasons allowed for cases of an offered op (an op the case also needs, a limit of the API). */
  allowedSkip?: RegExp;
}

/** Crashes, timeouts and errors: a wrapper must have none, whatever its library gets wrong. */
export function brokenCases(r: Results): string[] {
  return r.cases.filter((c) => c.status === 'crash' || c.status === 'timeout' || c.status === 'error').map((c) => `${c.id}: ${c.status} ${c.reason}`);
}

export function failingIds(r: Results): string[] {
  return r.cases.filter((c) => c.status === 'fail').map((c) => c.id).sort();
}

/** One vitest case: build, then run `suites` on the wrapper; the body gets the results. */
export function itWithWrapper(title: string, name: string, suites: Suite[], params: ParamSet[], body: (r: Results) => void): void {
  it(title, async (ctx) => {
    const m = readManifest(name);
    const missing = build(name);
    if (missing) {
      if (inCI()) throw new Error(`CI must build every fleet wrapper: ${missing}`);
      ctx.skip(missing);
    }
    expect(existsSync(join(REPO, m.command[0]!)), `${m.command[0]} after build.sh`).toBe(true);
    body(await runConformance({ backends: [wrapperSpec(m)], suites, params, host: 'auto' }));
  }, BUILD_TIMEOUT_MS + 10 * 60_000);
}

export function checkAcvp(w: WrapperCheck): void {
  itWithWrapper(`${w.name}: ACVP ${w.params.join(' + ')}`, w.name, ['acvp'], w.params, (r) => {
    expect(brokenCases(r)).toEqual([]);
    // No fleet library fails an ACVP ML-KEM-768 / ML-DSA-65 case; its real defects show in Wycheproof.
    expect(failingIds(r)).toEqual([]);

    const key = (c: { parameterSet: string; op: string }) => `${c.parameterSet} ${c.op}`;
    const passed = new Set(r.cases.filter((c) => c.status === 'pass').map(key));
    const derived = w.derived ?? [];
    expect([...passed].sort()).toEqual([...w.ops, ...derived].sort());
    const marked = Object.keys(r.backends[0]!.capabilities.derived ?? {});
    for (const d of derived) expect(marked, `${d} is derived`).toContain(d.split(' ')[1]);
    for (const c of r.cases.filter((x) => x.status === 'pass' && derived.includes(key(x)))) expect(c.derived, c.id).toBeTruthy();
    const offered = new Set(w.ops);
    const oddSkips = r.cases.filter((c) => c.status === 'skip' && offered.has(key(c)) && !(w.allowedSkip?.test(c.reason ?? '') ?? false));
    expect(oddSkips.map((c) => `${c.id}: ${c.reason}`)).toEqual([]);
    for (const c of r.cases) if (c.status === 'skip') expect(c.reason, c.id).toBeTruthy();
  });
}

interface WycheproofFile {
  testGroups: { tests: { tcId: number; flags?: string[] }[] }[];
}

/**
 * Case ids of a Wycheproof file (`mldsa_65_verify`) whose flags pass `pick`:
 * the expected failures of a known defect, read from the vectors themselves.
 */
export function wycheproofIds(family: string, pick: (flags: string[]) => boolean): string[] {
  const doc = readVectorJson(`wycheproof/testvectors_v1/${family}_test.json`) as WycheproofFile;
  return doc.testGroups.flatMap((g) => g.tests).filter((t) => pick(t.flags ?? [])).map((t) => `wycheproof/${family}/tc${t.tcId}`);
}
