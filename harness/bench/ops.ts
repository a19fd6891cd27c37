// The benchmarked operations and their fixed inputs.
//
// Inputs are the ones pqc_bench_ns uses inside the Rust cdylib
// (native/src/bench.rs), so the native loop and the koffi call time exactly the
// same work: d = z = m = xi = 32 bytes of 0x07, message = 32 bytes of 0x42,
// empty context, rnd = 32 zero bytes (deterministic signing).
//
// Fixed ML-DSA inputs matter: signing loops until a candidate passes the
// rejection checks, and the number of rounds depends only on (sk, M', rnd).
// With the inputs fixed every call does the same number of rounds, so the
// median measures the implementation and not the luck of the draw; and since
// every conformant backend derives the same key from the same xi, every backend
// does the same number of rounds too.

import { hasOp, type Backend, type Op } from '../../model/contract.ts';
import { isDsaParam, isKemParam, type DsaParam, type KemParam, type ParamSet } from '../../model/params.ts';

export const BENCH_OPS = ['kem.keygen', 'kem.encaps', 'kem.decaps', 'dsa.keygen', 'dsa.sign', 'dsa.verify'] as const;
export type BenchOp = (typeof BENCH_OPS)[number];

export const BENCH_SEED = new Uint8Array(32).fill(0x07);
export const BENCH_MSG = new Uint8Array(32).fill(0x42);
export const BENCH_CTX = new Uint8Array(0);
export const BENCH_RND = new Uint8Array(32);

export function isBenchOp(s: string): s is BenchOp {
  return (BENCH_OPS as readonly string[]).includes(s);
}

/** Bench ops that apply to a parameter set (KEM ops to ML-KEM, DSA ops to ML-DSA). */
export function opsFor(ps: ParamSet): BenchOp[] {
  return BENCH_OPS.filter((o) => (isKemParam(ps) ? o.startsWith('kem.') : o.startsWith('dsa.')));
}

/**
 * `--op` values: contract names (`kem.decaps`) or short names (`decaps`,
 * `keygen` = both keygens). Unknown names throw.
 */
export function parseOps(list: readonly string[]): BenchOp[] {
  const out = new Set<BenchOp>();
  for (const raw of list) {
    const s = raw.trim();
    const hits = BENCH_OPS.filter((o) => o === s || o.slice(4) === s);
    if (hits.length === 0) throw new Error(`unknown bench op '${s}'; known: ${BENCH_OPS.join(', ')} (or keygen, encaps, decaps, sign, verify)`);
    for (const h of hits) out.add(h);
  }
  return BENCH_OPS.filter((o) => out.has(o));
}

/**
 * The contract operation each conformance case's op stands for in the raw-time
 * model of the harness-overhead measurement (every signing entry point costs
 * about one signature, every verifying one about one verification), or
 * undefined for ops without a benchmark (the key checks).
 */
export function benchOpOf(op: string): BenchOp | undefined {
  if (op === 'kem.keygen' || op === 'kem.keygenRandom') return 'kem.keygen';
  if (op === 'kem.encaps' || op === 'kem.encapsRandom') return 'kem.encaps';
  if (op === 'kem.decaps') return 'kem.decaps';
  if (op === 'dsa.keygen' || op === 'dsa.keygenRandom') return 'dsa.keygen';
  if (op.startsWith('dsa.sign')) return 'dsa.sign';
  if (op.startsWith('dsa.verify')) return 'dsa.verify';
  return undefined;
}

export class NotOfferedError extends Error {
  override name = 'NotOfferedError';
}

/**
 * Prepares one op on one backend: derives the fixed keys (and ciphertext or
 * signature) through the backend itself, outside the timed call, and returns
 * the call to time. Throws NotOfferedError if the backend lacks the op or set.
 */
export async function prepareOp(backend: Backend, ps: ParamSet, op: BenchOp): Promise<() => Promise<unknown>> {
  const caps = backend.capabilities();
  const id = backend.describe().id;
  if (!caps.parameterSets.includes(ps)) throw new NotOfferedError(`${id} does not offer ${ps}`);
  if (!hasOp(caps, op as Op)) throw new NotOfferedError(`${id} does not offer ${op}`);
  if (op.startsWith('kem.')) {
    if (!isKemParam(ps)) throw new NotOfferedError(`${op} does not apply to ${ps}`);
    const kem = backend.kem;
    if (!kem) throw new NotOfferedError(`${id} has no ML-KEM`);
    const p: KemParam = ps;
    if (op === 'kem.keygen') return () => kem.keygen(p, BENCH_SEED, BENCH_SEED);
    const { ek, dk } = await kem.keygen(p, BENCH_SEED, BENCH_SEED);
    if (op === 'kem.encaps') return () => kem.encaps(p, ek, BENCH_SEED);
    const { c, k } = await kem.encaps(p, ek, BENCH_SEED);
    const k2 = await kem.decaps(p, dk, c);
    if (!equal(k, k2)) throw new Error(`${id} ${ps}: decaps does not return the encapsulated key; refusing to time it`);
    return () => kem.decaps(p, dk, c);
  }
  if (!isDsaParam(ps)) throw new NotOfferedError(`${op} does not apply to ${ps}`);
  const dsa = backend.dsa;
  if (!dsa) throw new NotOfferedError(`${id} has no ML-DSA`);
  const p: DsaParam = ps;
  if (op === 'dsa.keygen') return () => dsa.keygen(p, BENCH_SEED);
  const { pk, sk } = await dsa.keygen(p, BENCH_SEED);
  if (op === 'dsa.sign') return () => dsa.sign(p, sk, BENCH_MSG, BENCH_CTX, BENCH_RND);
  const sig = await dsa.sign(p, sk, BENCH_MSG, BENCH_CTX, BENCH_RND);
  if (!(await dsa.verify(p, pk, BENCH_MSG, sig, BENCH_CTX))) throw new Error(`${id} ${ps}: its own signature does not verify; refusing to time it`);
  return () => dsa.verify(p, pk, BENCH_MSG, sig, BENCH_CTX);
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
