// Shared by tests/fleet-*.test.ts: one fleet wrapper (fleet/<name>/) checked
// end to end on ACVP through the runner. The wrapper is built by its own
// build.sh when build/fleet/<name>/wrapper is missing; a missing toolchain
// (build.sh exits 3) skips with build.sh's reason, and fails under CI.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

import type { Op } from '../model/contract.ts';
import type { ParamSet } from '../model/params.ts';
import { inCI } from '../model/config.ts';
import { collectCases, runConformance } from '../harness/runner.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** build.sh's exit status for "toolchain missing". */
const TOOLCHAIN_MISSING = 3;

export interface WrapperExpectation {
  /** The folder under fleet/. */
  name: string;
  /** One KEM and one DSA set at most: enough to prove the wrapper, cheap to run. */
  params: ParamSet[];
  /** What the library's public API can express, read from the API (see fleet/<name>/README.md). */
  ops: Op[];
  /**
   * Skip reasons allowed for cases whose operations are all offered: limits
   * inside an operation (a context the API cannot take, one pre-hash only).
   */
  limits?: RegExp;
  /** ACVP case ids that fail because of a library defect written down in fleet/<name>/README.md. */
  defects?: string[];
  /** The fewest ACVP cases that must run (pass or fail), with its reason in the caller. */
  minRan: number;
}

type Availability = { ok: true } | { ok: false; reason: string };

/** The built wrapper, building it first if it is missing. */
function ensureBuilt(name: string): Availability {
  if (existsSync(`${ROOT}build/fleet/${name}/wrapper`)) return { ok: true };
  const r = spawnSync('bash', [`${ROOT}fleet/${name}/build.sh`], { cwd: ROOT, encoding: 'utf8', timeout: 900_000 });
  if (r.status === TOOLCHAIN_MISSING) return { ok: false, reason: r.stderr.trim() || `fleet/${name}/build.sh: toolchain missing` };
  if (r.status !== 0) throw new Error(`fleet/${name}/build.sh failed (${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
  return { ok: true };
}

export function describeFleetWrapper(e: WrapperExpectation): void {
  describe(`fleet/${e.name}`, () => {
    let availability: Availability = { ok: false, reason: 'not built yet' };
    beforeAll(() => {
      availability = ensureBuilt(e.name);
    }, 900_000);

    it(`runs ACVP ${e.params.join(' + ')}: no crash, timeout or error; only documented defects fail`, async (ctx) => {
      if (!availability.ok) {
        if (inCI()) expect.fail(`fleet/${e.name} must build in CI: ${availability.reason}`);
        ctx.skip(availability.reason);
        return;
      }
      const spec = `process:'${ROOT}build/fleet/${e.name}/wrapper'`;
      const res = await runConformance({ backends: [spec], suites: ['acvp'], params: e.params, host: 'auto' });

      // The wrapper declares exactly what its library's API expresses, no more, no less.
      const caps = res.backends[0]!.capabilities;
      expect([...caps.ops].sort()).toEqual([...e.ops].sort());
      expect(caps.parameterSets).toEqual(expect.arrayContaining(e.params));

      const broken = res.cases.filter((c) => c.status === 'crash' || c.status === 'timeout' || c.status === 'error');
      expect(broken.map((c) => `${c.id}: ${c.status}: ${c.reason}`)).toEqual([]);
      const failing = res.cases.filter((c) => c.status === 'fail').map((c) => c.id);
      expect(failing.sort()).toEqual([...(e.defects ?? [])].sort());

      // Every case the declared operations can carry ran, unless a documented limit says why not.
      const byId = new Map(res.cases.map((c) => [c.id, c]));
      const expressible = collectCases({ suites: ['acvp'], params: e.params }).filter((c) => c.requires.every((op) => e.ops.includes(op)));
      const unexplained = expressible
        .map((c) => byId.get(c.id)!)
        .filter((r) => r.status === 'skip' && !(e.limits && e.limits.test(r.reason ?? '')))
        .map((r) => `${r.id}: ${r.reason}`);
      expect(unexplained).toEqual([]);
      const ran = res.cases.filter((c) => c.status === 'pass' || c.status === 'fail').length;
      expect(ran).toBeGreaterThanOrEqual(e.minRan);
    }, 900_000);
  });
}
