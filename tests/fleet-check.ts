// Shared by tests/fleet-*.test.ts: build one fleet wrapper with its own
// fleet/<name>/build.sh (harness/fleet/build.ts), run suites on it through the
// runner as `fleet run` does (harness/fleet/registry.ts), and check what a user
// of that library would expect.
//
// A wrapper whose toolchain is missing (build.sh exits 3) is a skip with the
// script's reason, and a failure under CI. What checkAcvp asserts, and why:
// - no crash, timeout or error: the wrapper answers every request;
// - no ACVP case fails (the defects found are in Wycheproof cases, pinned by
//   the per-language tests and written down in docs/findings.md);
// - every op the library's API can express (listed by the test, from the
//   wrapper's README) passes ACVP cases, and no other op does: a wrapper that
//   offers nothing, or quietly drops an op, fails;
// - where the test lists them, the wrapper declares exactly these operations
//   (random keygen and encaps included, which ACVP does not exercise);
// - a case of an offered op is skipped only for a documented reason.

import { expect, it } from 'vitest';
import { inCI } from '../model/config.ts';
import type { Suite } from '../model/case.ts';
import type { Op } from '../model/contract.ts';
import type { ParamSet } from '../model/params.ts';
import type { Results } from '../model/results.ts';
import { buildWrapper } from '../harness/fleet/build.ts';
import { availability, fleetSpec, readFleet } from '../harness/fleet/registry.ts';
import { runConformance } from '../harness/runner.ts';
import { readVectorJson } from '../vectors/store.ts';

/** A first build compiles every dependency (Rust: several minutes on 2 busy cores). */
const BUILD_TIMEOUT_MS = 20 * 60_000;

export interface WrapperCheck {
  name: string;
  params: ParamSet[];
  /** `${parameterSet} ${op}` for every op the library can express on those sets. */
  ops: string[];
  /** `${parameterSet} ${op}` the harness derives from a lower interface the wrapper offers (backends/derived.ts): they pass too, marked derived. */
  derived?: string[];
  /** Every operation the wrapper declares, when the test pins them (random keygen/encaps included). */
  declares?: Op[];
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
    const m = readFleet().find((x) => x.name === name);
    if (!m) throw new Error(`fleet/${name}/fleet.json not found`);
    const built = await buildWrapper(m);
    if (built.state === 'missing toolchain') {
      if (inCI()) throw new Error(`CI must build every fleet wrapper: ${built.reason}`);
      ctx.skip(built.reason);
    }
    if (built.state === 'failed') throw new Error(`fleet/${name}/build.sh failed (${built.signal ?? `exit ${built.exitCode}`}):\n${built.output}`);
    expect(availability(m), `${m.command[0]} after build.sh`).toEqual({ available: true });
    body(await runConformance({ backends: [fleetSpec(m)], suites, params, host: 'auto' }));
  }, BUILD_TIMEOUT_MS + 10 * 60_000);
}

export function checkAcvp(w: WrapperCheck): void {
  itWithWrapper(`${w.name}: ACVP ${w.params.join(' + ')}`, w.name, ['acvp'], w.params, (r) => {
    expect(brokenCases(r)).toEqual([]);
    // No fleet library fails an ACVP ML-KEM-768 / ML-DSA-65 case; its real defects show in Wycheproof.
    expect(failingIds(r)).toEqual([]);
    if (w.declares) expect([...r.backends[0]!.capabilities.ops].sort()).toEqual([...w.declares].sort());
    expect(r.backends[0]!.capabilities.parameterSets).toEqual(expect.arrayContaining(w.params));

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

/** The out-of-range private keys of `mldsa_65_sign_noseed` (flag InvalidPrivateKey): signed by several libraries. */
export const OUT_OF_RANGE_SK_65 = (): string[] => wycheproofIds('mldsa_65_sign_noseed', (f) => f.includes('InvalidPrivateKey')).sort();
