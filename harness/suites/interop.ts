// Interoperability: several backends at once, through the contract only.
//
// A Case runs on ONE backend, so interop is not a list of Cases: the runner
// opens every backend of the run and calls `runInterop(backends)`, which returns
// one InteropResult per check × parameter set × backend pair.
//
//   kem-cross  (ordered A->B): A makes the keys, B encapsulates, A decapsulates: same key.
//   dsa-cross  (ordered A->B): A makes the keys and signs, B verifies: accepted.
//   kem-agree  (unordered A+B): KeyGen(d, z), Encaps(ek, m), Decaps(dk, random c)
//              are byte-identical on A and B.
//   dsa-agree  (unordered A+B): KeyGen(xi) and Sign(sk, M, ctx, rnd) (zero rnd and
//              a given rnd) are byte-identical on A and B.
// Inputs come from fast-check with a fixed seed; on a disagreement fast-check
// shrinks to a small input, and the result names both backends, the operation,
// the differing field, the input and the seed/path that replays it.
// Calls are strictly sequential (liboqs's randomness hook is process-global).

import fc from 'fast-check';
import { equalBytes, toHex } from '../../model/bytes.ts';
import type { Shown } from '../../model/case.ts';
import { UnsupportedError, hasOp, type Backend, type Op } from '../../model/contract.ts';
import { CrashError, TimeoutError } from '../../model/errors.ts';
import { ALL_PARAMS, KEM, SEED, isKemParam, type DsaParam, type KemParam, type ParamSet } from '../../model/params.ts';
import { bytes, counterexampleText, cp, prop, propertySeed } from './property.ts';
import type { AcrossBackendsSuite, FipsRule } from './suite.ts';

export interface InteropOptions {
  /** Parameter sets to cover (default: every set; a pair skips sets either backend lacks). */
  params?: readonly ParamSet[];
  /** Runs per check × set × pair (defaults: KEM 10, DSA 4). */
  kemRuns?: number;
  dsaRuns?: number;
  /** Base seed; each result's own seed is derived from it and the result id (default fixed). */
  seed?: number;
  /**
   * Called after each result, before the next check starts (for example to drain
   * memory findings of both backends and attach them to `r.findings`).
   */
  afterCheck?: (r: InteropResult) => void | Promise<void>;
}

export type { AcrossResult as InteropResult } from './suite.ts';
import type { AcrossResult as InteropResult } from './suite.ts';

/** A backend call that threw, with who and what. */
class CallError extends Error {
  override name = 'CallError';
  constructor(readonly backend: string, readonly op: Op, readonly inner: unknown) {
    super(`${backend} ${op} threw ${(inner as Error)?.name ?? 'a non-Error'}: ${(inner as Error)?.message ?? String(inner)}`);
  }
}

/** Two backends gave different answers. */
class Disagreement extends Error {
  override name = 'Disagreement';
  constructor(
    readonly op: Op,
    readonly field: string,
    readonly a: string,
    readonly av: string,
    readonly b: string,
    readonly bv: string,
    detail?: string,
  ) {
    super(detail ?? `${a} and ${b} disagree on ${op} (${field})`);
  }
}

async function call<T>(backend: string, op: Op, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    throw new CallError(backend, op, e);
  }
}

function hexOf(v: Uint8Array | boolean): string {
  if (typeof v === 'boolean') return String(v);
  const h = toHex(v);
  return h.length > 96 ? `${v.length} bytes ${h.slice(0, 96)}…` : h;
}

function agree(op: Op, field: string, a: string, av: Uint8Array, b: string, bv: Uint8Array): void {
  if (!equalBytes(av, bv)) throw new Disagreement(op, field, a, hexOf(av), b, hexOf(bv));
}

interface Named {
  name: string;
  b: Backend;
}

interface Check {
  family: string;
  ordered: boolean;
  kind: 'kem' | 'dsa';
  op: Op;
  requires: Op[];
  make(x: Named, y: Named, ps: ParamSet): fc.IAsyncProperty<[unknown]>;
}

const kemSeeds = fc.record({ d: bytes(SEED.kemD), z: bytes(SEED.kemZ), m: bytes(SEED.kemM) });
const dsaInputs = fc.record({
  xi: bytes(SEED.dsaXi),
  msg: fc.uint8Array({ minLength: 0, maxLength: 64 }),
  ctx: fc.uint8Array({ minLength: 0, maxLength: 16 }),
  rnd: fc.oneof(fc.constant(new Uint8Array(SEED.dsaRnd)), bytes(SEED.dsaRnd)),
});

const CHECKS: Check[] = [
  {
    family: 'kem-cross',
    ordered: true,
    kind: 'kem',
    op: 'kem.decaps',
    requires: ['kem.keygen', 'kem.encaps', 'kem.decaps'],
    make: (x, y, ps) =>
      prop(kemSeeds, async (s) => {
        const p = ps as KemParam;
        const { ek, dk } = await call(x.name, 'kem.keygen', () => x.b.kem!.keygen(p, cp(s.d), cp(s.z)));
        const { c, k } = await call(y.name, 'kem.encaps', () => y.b.kem!.encaps(p, cp(ek), cp(s.m)));
        const k2 = await call(x.name, 'kem.decaps', () => x.b.kem!.decaps(p, cp(dk), cp(c)));
        if (!equalBytes(k, k2)) {
          throw new Disagreement('kem.decaps', 'k', y.name, hexOf(k), x.name, hexOf(k2), `keys made by ${x.name}: ${y.name} encapsulated key k, ${x.name} decapsulated a different key`);
        }
      }),
  },
  {
    family: 'dsa-cross',
    ordered: true,
    kind: 'dsa',
    op: 'dsa.verify',
    requires: ['dsa.keygen', 'dsa.sign', 'dsa.verify'],
    make: (x, y, ps) =>
      prop(dsaInputs, async (s) => {
        const p = ps as DsaParam;
        const { pk, sk } = await call(x.name, 'dsa.keygen', () => x.b.dsa!.keygen(p, cp(s.xi)));
        const sig = await call(x.name, 'dsa.sign', () => x.b.dsa!.sign(p, cp(sk), cp(s.msg), cp(s.ctx), cp(s.rnd)));
        const ok = await call(y.name, 'dsa.verify', () => y.b.dsa!.verify(p, cp(pk), cp(s.msg), cp(sig), cp(s.ctx)));
        if (!ok) {
          throw new Disagreement('dsa.verify', 'verdict', x.name, 'signed', y.name, 'rejected', `${y.name} rejected a signature made by ${x.name} (key also made by ${x.name})`);
        }
      }),
  },
  {
    family: 'kem-agree',
    ordered: false,
    kind: 'kem',
    op: 'kem.encaps',
    requires: ['kem.keygen', 'kem.encaps', 'kem.decaps'],
    make: (x, y, ps) => {
      const p = ps as KemParam;
      const sz = KEM[p];
      return prop(fc.record({ s: kemSeeds, junk: bytes(sz.c) }), async ({ s, junk }) => {
        const ka = await call(x.name, 'kem.keygen', () => x.b.kem!.keygen(p, cp(s.d), cp(s.z)));
        const kb = await call(y.name, 'kem.keygen', () => y.b.kem!.keygen(p, cp(s.d), cp(s.z)));
        agree('kem.keygen', 'ek', x.name, ka.ek, y.name, kb.ek);
        agree('kem.keygen', 'dk', x.name, ka.dk, y.name, kb.dk);
        const ea = await call(x.name, 'kem.encaps', () => x.b.kem!.encaps(p, cp(ka.ek), cp(s.m)));
        const eb = await call(y.name, 'kem.encaps', () => y.b.kem!.encaps(p, cp(ka.ek), cp(s.m)));
        agree('kem.encaps', 'c', x.name, ea.c, y.name, eb.c);
        agree('kem.encaps', 'k', x.name, ea.k, y.name, eb.k);
        for (const [field, ct] of [['k (valid c)', ea.c], ['k (random c, implicit rejection)', junk]] as const) {
          const da = await call(x.name, 'kem.decaps', () => x.b.kem!.decaps(p, cp(ka.dk), cp(ct)));
          const db = await call(y.name, 'kem.decaps', () => y.b.kem!.decaps(p, cp(ka.dk), cp(ct)));
          agree('kem.decaps', field, x.name, da, y.name, db);
        }
      });
    },
  },
  {
    family: 'dsa-agree',
    ordered: false,
    kind: 'dsa',
    op: 'dsa.sign',
    requires: ['dsa.keygen', 'dsa.sign', 'dsa.verify'],
    make: (x, y, ps) =>
      prop(dsaInputs, async (s) => {
        const p = ps as DsaParam;
        const ka = await call(x.name, 'dsa.keygen', () => x.b.dsa!.keygen(p, cp(s.xi)));
        const kb = await call(y.name, 'dsa.keygen', () => y.b.dsa!.keygen(p, cp(s.xi)));
        agree('dsa.keygen', 'pk', x.name, ka.pk, y.name, kb.pk);
        agree('dsa.keygen', 'sk', x.name, ka.sk, y.name, kb.sk);
        const sa = await call(x.name, 'dsa.sign', () => x.b.dsa!.sign(p, cp(ka.sk), cp(s.msg), cp(s.ctx), cp(s.rnd)));
        const sb = await call(y.name, 'dsa.sign', () => y.b.dsa!.sign(p, cp(ka.sk), cp(s.msg), cp(s.ctx), cp(s.rnd)));
        agree('dsa.sign', 'signature', x.name, sa, y.name, sb);
        const va = await call(x.name, 'dsa.verify', () => x.b.dsa!.verify(p, cp(ka.pk), cp(s.msg), cp(sb), cp(s.ctx)));
        const vb = await call(y.name, 'dsa.verify', () => y.b.dsa!.verify(p, cp(ka.pk), cp(s.msg), cp(sa), cp(s.ctx)));
        if (va !== vb) throw new Disagreement('dsa.verify', 'verdict', x.name, String(va), y.name, String(vb));
      }),
  },
];

function missing(n: Named, ps: ParamSet, requires: readonly Op[]): string | undefined {
  const caps = n.b.capabilities();
  if (!caps.parameterSets.includes(ps)) return `${n.name} does not offer ${ps}`;
  const lack = requires.filter((op) => !hasOp(caps, op));
  if (lack.length) return `${n.name} does not offer ${lack.join(', ')}`;
  if (isKemParam(ps) ? !n.b.kem : !n.b.dsa) return `${n.name} has no ${isKemParam(ps) ? 'ML-KEM' : 'ML-DSA'} API`;
  return undefined;
}

async function runCheck(check: Check, x: Named, y: Named, ps: ParamSet, seed: number, numRuns: number): Promise<InteropResult> {
  const id = `interop/${check.family}/${ps}/${x.name}${check.ordered ? '->' : '+'}${y.name}`;
  const base = { id, family: check.family, parameterSet: ps, op: check.op, backends: [x.name, y.name] as [string, string] };
  const skip = missing(x, ps, check.requires) ?? missing(y, ps, check.requires);
  if (skip) return { ...base, status: 'skip', reason: skip, durationMs: 0 };
  const ownSeed = (seed ^ propertySeed(id)) | 0;
  const t0 = performance.now();
  const details = await fc.check(check.make(x, y, ps), { seed: ownSeed, numRuns });
  const durationMs = Math.round((performance.now() - t0) * 1000) / 1000;
  const inputs: Shown = { seed: ownSeed, numRuns };
  if (!details.failed) return { ...base, status: 'pass', inputs, durationMs };

  const err = details.errorInstance;
  const replay = `seed ${details.seed}, path "${details.counterexamplePath}"`;
  const cx = counterexampleText(details);
  const shownInput: Shown = { ...inputs, path: details.counterexamplePath ?? '', counterexample: cx };
  if (err instanceof Disagreement) {
    return {
      ...base,
      op: err.op,
      status: 'fail',
      reason: `${ps}: ${err.message}: ${err.a} gave ${err.av}, ${err.b} gave ${err.bv}. Minimal input ${cx} (${replay})`,
      inputs: shownInput,
      expected: { backend: err.a, [err.field]: err.av },
      got: { backend: err.b, [err.field]: err.bv },
      durationMs,
    };
  }
  if (err instanceof CallError) {
    const other = err.backend === x.name ? y.name : x.name;
    const cause = err.inner;
    if (cause instanceof UnsupportedError) return { ...base, op: err.op, status: 'skip', reason: `${err.backend}: ${cause.message}`, durationMs };
    if (cause instanceof CrashError) {
      return {
        ...base,
        op: err.op,
        status: 'crash',
        culprit: err.backend,
        reason: `${err.backend} crashed in ${err.op} during ${check.family} with ${other} on ${ps}: ${cause.message} (${replay})`,
        inputs: shownInput,
        crash: { signal: cause.signal, exitCode: cause.exitCode, stderr: cause.stderr },
        ...(cause.findings ? { findings: cause.findings } : {}),
        durationMs,
      };
    }
    if (cause instanceof TimeoutError) {
      return {
        ...base,
        op: err.op,
        status: 'timeout',
        culprit: err.backend,
        reason: `${err.backend} stalled in ${err.op} during ${check.family} with ${other} on ${ps}: ${cause.message} (${replay})`,
        inputs: shownInput,
        crash: { signal: 'SIGKILL', exitCode: null, stderr: cause.stderr },
        durationMs,
      };
    }
    // A valid input refused or an exception: the two backends disagree about it.
    return {
      ...base,
      op: err.op,
      status: 'fail',
      culprit: err.backend,
      reason: `${ps}: ${x.name} and ${y.name} disagree on ${err.op}: ${err.message}, on an input the other accepts. Minimal input ${cx} (${replay})`,
      inputs: shownInput,
      durationMs,
    };
  }
  return { ...base, status: 'error', reason: `${(err as Error)?.name ?? 'Error'}: ${(err as Error)?.message ?? String(err)} (${replay})`, inputs: shownInput, durationMs };
}

/** Base seed when none is given: fixed, so runs compare. */
export const INTEROP_SEED = 0x1e7e20b;

/**
 * Run every interop check over every pair of the given backends (name -> open
 * backend; at least two). Sequential; never closes the backends.
 */
export async function runInterop(backends: Record<string, Backend>, opts: InteropOptions = {}): Promise<InteropResult[]> {
  const named: Named[] = Object.entries(backends).map(([name, b]) => ({ name, b }));
  if (named.length < 2) throw new Error(`interop needs at least two backends, got ${named.length}`);
  const seed = opts.seed ?? INTEROP_SEED;
  const params = opts.params ?? ALL_PARAMS;
  const out: InteropResult[] = [];
  for (const check of CHECKS) {
    for (const ps of params) {
      if ((check.kind === 'kem') !== isKemParam(ps)) continue;
      const runs = check.kind === 'kem' ? (opts.kemRuns ?? 10) : (opts.dsaRuns ?? 4);
      for (let i = 0; i < named.length; i++) {
        for (let j = 0; j < named.length; j++) {
          if (i === j || (!check.ordered && j < i)) continue;
          const r = await runCheck(check, named[i]!, named[j]!, ps, seed, runs);
          await opts.afterCheck?.(r);
          out.push(r);
        }
      }
    }
  }
  return out;
}

/** Interop checks (`kem-cross`, `dsa-agree`): one rule per scheme. */
const FIPS: readonly FipsRule[] = [
  { match: /kem/i, standard: 'FIPS 203', clause: '§6–7 (ML-KEM)', what: 'ML-KEM behaviour' },
  { match: /dsa/i, standard: 'FIPS 204', clause: '§5–6 (ML-DSA)', what: 'ML-DSA behaviour' },
];

/** No per-backend cases: the runner hands it every backend that opened. */
export const interopSuite: AcrossBackendsSuite = {
  kind: 'across-backends',
  name: 'interop',
  title: 'Interoperability: cross-backend encaps/decaps and sign/verify; deterministic outputs agree byte for byte',
  vectorFiles: [],
  fips: FIPS,
  run: (backends, opts) => runInterop(backends, opts),
};
