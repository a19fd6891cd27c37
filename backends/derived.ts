// Derive what can be derived: a backend that offers only ML-DSA's internal
// interface (M′) or external μ can still be driven with pure and pre-hash
// vectors when the harness formats the message itself (FIPS 204):
//
//   pure       M′ = 0x00 ‖ byte(|ctx|) ‖ ctx ‖ M                (Algorithms 2, 3)
//   pre-hash   M′ = 0x01 ‖ byte(|ctx|) ‖ ctx ‖ OID(PH) ‖ PH(M)  (Algorithms 4, 5)
//   μ          = SHAKE256(tr ‖ M′, 64), tr = sk[64..128] when signing,
//                SHAKE256(pk, 64) when verifying               (Algorithms 7, 8)
//
// That tests the backend's core algorithm, not its own formatting: the
// capabilities say which operations are derived and how, and every case that
// uses one is marked in results. A check that belongs to the external API (a
// context longer than 255 bytes) cannot be tested this way: such a call is an
// UnsupportedError (a skip with that reason), never a pass. Hashing uses
// node:crypto; nothing here is signature arithmetic.

import { createHash } from 'node:crypto';
import { concatBytes, fromHex } from '../model/bytes.ts';
import { ALL_OPS, InexpressibleError, UnsupportedError, type Backend, type Capabilities, type DsaApi, type Op } from '../model/contract.ts';
import { noteDerivedCall } from '../model/derived-calls.ts';
import { HASH_ALGS, SEED, type DsaParam, type HashAlg } from '../model/params.ts';

type Source = 'internal' | 'mu';

const NOTE: Record<Source, string> = {
  internal: "derived: the harness formatted M′ and called the backend's internal interface (Sign_internal / Verify_internal); its core algorithm is tested, its own message formatting is not",
  mu: "derived: the harness computed μ = SHAKE256(tr ‖ M′) and called the backend's external-μ interface; its core algorithm is tested, its own formatting and hashing are not",
};

function mPrime(domain: 0 | 1, ctx: Uint8Array, body: Uint8Array): Uint8Array {
  if (ctx.length > SEED.maxCtx) {
    throw new UnsupportedError(`a context of ${ctx.length} bytes (over ${SEED.maxCtx}) must be refused by the backend's own external API, which it does not offer; the harness formats M′ itself, so this check cannot be tested here`);
  }
  return concatBytes(Uint8Array.of(domain, ctx.length), ctx, body);
}

function preHashed(msg: Uint8Array, h: HashAlg): Uint8Array {
  const a = HASH_ALGS[h];
  const digest = createHash(a.node, a.node.startsWith('shake') ? { outputLength: a.outLen } : undefined).update(msg).digest();
  return concatBytes(fromHex(a.oid), digest);
}

function shake256(...parts: Uint8Array[]): Uint8Array {
  const h = createHash('shake256', { outputLength: 64 });
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
}

/** tr from an expanded private key (FIPS 204 skEncode: ρ ‖ K ‖ tr ‖ …); a malformed key gives whatever bytes are there, for the backend to refuse. */
const trOfSk = (sk: Uint8Array): Uint8Array => sk.subarray(64, 128);

export interface Derivation {
  op: Op;
  from: Source;
  /** The backend offers the operation itself: derived only for calls its transport cannot carry. */
  fallback: boolean;
}

/**
 * Which ML-DSA operations this backend's capabilities let the harness derive,
 * and from what. `fallbacks`: also for operations it offers, for the calls its
 * transport cannot carry (a module wrapper's standard commands).
 */
export function derivations(caps: Capabilities, fallbacks: boolean): Derivation[] {
  const has = (op: Op) => caps.ops.includes(op);
  const out: Derivation[] = [];
  const add = (op: Op, lower: readonly Op[]): void => {
    const from = lower.find(has);
    if (from && (fallbacks || !has(op))) out.push({ op, from: from.endsWith('Mu') ? 'mu' : 'internal', fallback: has(op) });
  };
  add('dsa.sign', ['dsa.signInternal', 'dsa.signMu']);
  add('dsa.signPreHash', ['dsa.signInternal', 'dsa.signMu']);
  add('dsa.signInternal', ['dsa.signMu']);
  add('dsa.verify', ['dsa.verifyInternal', 'dsa.verifyMu']);
  add('dsa.verifyPreHash', ['dsa.verifyInternal', 'dsa.verifyMu']);
  add('dsa.verifyInternal', ['dsa.verifyMu']);
  return out;
}

/**
 * The backend with every derivable ML-DSA operation added, and, where it
 * offers an operation whose transport cannot carry some arguments (an
 * InexpressibleError), the derivation as the way for those calls. Each derived
 * call is noted for its case (model/derived-calls.ts).
 */
export function withDerivedOps(b: Backend, opts: { fallbacks: boolean }): Backend {
  const caps = b.capabilities();
  const ds = derivations(caps, opts.fallbacks);
  if (!ds.length || !b.dsa) return b;
  const base = b.dsa;
  const via = new Map(ds.map((d) => [d.op, d]));

  // One call of `op`: the backend's own, or the derivation (when the backend lacks the op, or cannot carry these arguments).
  const route = async <T>(op: Op, own: () => Promise<T>, derived: (from: Source) => Promise<T>): Promise<T> => {
    const d = via.get(op);
    if (!d) return own();
    if (d.fallback) {
      try {
        return await own();
      } catch (e) {
        if (!(e instanceof InexpressibleError)) throw e;
      }
    }
    const r = await derived(d.from);
    noteDerivedCall(NOTE[d.from]);
    return r;
  };
  // The two ways down: M′ → the internal interface, or M′ → μ → the external-μ interface.
  const signM = (ps: DsaParam, sk: Uint8Array, mp: Uint8Array, rnd: Uint8Array, from: Source) =>
    from === 'internal' ? base.signInternal(ps, sk, mp, rnd) : base.signMu(ps, sk, shake256(trOfSk(sk), mp), rnd);
  const verifyM = (ps: DsaParam, pk: Uint8Array, mp: Uint8Array, sig: Uint8Array, from: Source) =>
    from === 'internal' ? base.verifyInternal(ps, pk, mp, sig) : base.verifyMu(ps, pk, shake256(shake256(pk), mp), sig);

  const dsa: DsaApi = {
    keygen: (ps, xi) => base.keygen(ps, xi),
    signMu: (ps, sk, mu, rnd) => base.signMu(ps, sk, mu, rnd),
    verifyMu: (ps, pk, mu, sig) => base.verifyMu(ps, pk, mu, sig),
    ...(base.keygenRandom ? { keygenRandom: (ps: DsaParam) => base.keygenRandom!(ps) } : {}),
    sign: (ps, sk, msg, ctx, rnd) => route('dsa.sign', () => base.sign(ps, sk, msg, ctx, rnd), (from) => signM(ps, sk, mPrime(0, ctx, msg), rnd, from)),
    signPreHash: (ps, sk, msg, h, ctx, rnd) =>
      route('dsa.signPreHash', () => base.signPreHash(ps, sk, msg, h, ctx, rnd), (from) => signM(ps, sk, mPrime(1, ctx, preHashed(msg, h)), rnd, from)),
    signInternal: (ps, sk, mp, rnd) => route('dsa.signInternal', () => base.signInternal(ps, sk, mp, rnd), (from) => signM(ps, sk, mp, rnd, from)),
    verify: (ps, pk, msg, sig, ctx) => route('dsa.verify', () => base.verify(ps, pk, msg, sig, ctx), (from) => verifyM(ps, pk, mPrime(0, ctx, msg), sig, from)),
    verifyPreHash: (ps, pk, msg, sig, h, ctx) =>
      route('dsa.verifyPreHash', () => base.verifyPreHash(ps, pk, msg, sig, h, ctx), (from) => verifyM(ps, pk, mPrime(1, ctx, preHashed(msg, h)), sig, from)),
    verifyInternal: (ps, pk, mp, sig) => route('dsa.verifyInternal', () => base.verifyInternal(ps, pk, mp, sig), (from) => verifyM(ps, pk, mp, sig, from)),
  };
  const added = ds.filter((d) => !d.fallback);
  // A pre-hash the harness computes itself covers every hash and every set: no `preHash` limit.
  const { preHash, notOffered, ...rest } = caps;
  const ops = ALL_OPS.filter((op) => caps.ops.includes(op) || added.some((d) => d.op === op));
  const stillMissing = Object.entries(notOffered ?? {}).filter(([op]) => !ops.includes(op as Op));
  const derivedCaps: Capabilities = {
    ...(added.some((d) => d.op === 'dsa.signPreHash' || d.op === 'dsa.verifyPreHash') ? rest : { ...rest, ...(preHash ? { preHash } : {}) }),
    ops,
    ...(stillMissing.length ? { notOffered: Object.fromEntries(stillMissing) } : {}),
    derived: {
      ...caps.derived,
      ...Object.fromEntries(ds.map((d) => [d.op, d.fallback ? `${NOTE[d.from]} (only for calls the backend's own command cannot carry)` : NOTE[d.from]])),
    },
  };
  return { ...b, dsa, capabilities: () => derivedCaps };
}
