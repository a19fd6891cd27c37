// Accumulated digests: many pseudo-random tests folded into one SHAKE-128 digest
// (the CCTV procedure, final FIPS 203 / FIPS 204 values), plus the NIST KAT
// hashes (family `nist-kat`, see kat.ts).
//
// ML-KEM (per test, all from one SHAKE-128 stream with empty input):
//   d, z, m (32 each), then a random (invalid) ciphertext ct~ of |c| bytes;
//   (ek, dk) = KeyGen(d, z); (c, k) = Encaps(ek, m); Decaps(dk, c) must equal k;
//   k~ = Decaps(dk, ct~); absorb ek, dk, c, k, k~ into a second SHAKE-128.
// ML-DSA: xi = 32 bytes of the stream; (pk, sk) = KeyGen(xi); absorb pk;
//   sig = deterministic Sign(sk, "", ctx ""); absorb sig; Verify must accept.
// The digest is the first 32 bytes of the second SHAKE-128. Tests are streamed:
// memory stays flat whatever the count.

import { createHash } from 'node:crypto';
import { shake128 } from '@noble/hashes/sha3.js';
import { equalBytes, toHex, ZERO32 } from '../../model/bytes.ts';
import type { Case, Outcome } from '../../model/case.ts';
import { dsaApi, kemApi, type Backend } from '../../model/contract.ts';
import { DSA_PARAMS, KEM, KEM_PARAMS, type DsaParam, type KemParam } from '../../model/params.ts';
import { groupDigits } from '../../model/text.ts';
import { katCases } from './kat.ts';
import type { FipsRule, PerBackendSuite, SuiteOptions } from './suite.ts';

/** SHAKE-128 of the empty string starts with these bytes (FIPS 202); checked before anything else. */
export const SHAKE128_EMPTY_PREFIX = '7f9c2ba4e88f827d616045507605853e';

/** Final FIPS 203 accumulated digests (the CCTV procedure run against final FIPS 203; also in the vectors README). */
export const KEM_DIGESTS: Readonly<Record<number, Readonly<Record<KemParam, string>>>> = {
  100: {
    'ML-KEM-512': '449120c6e320ef3e9fbfa2316e5f2d2e1e6dd37d8ff5d086d5d2db7d42aff0a1',
    'ML-KEM-768': '8d65b902f28edc683cebee2872962fd165a4d197c9e24ec74caa4470270df0b7',
    'ML-KEM-1024': 'c3ffe9ebecfa479c142656cbfbc6417efa05b77e994fe538eef4daed166363df',
  },
  10_000: {
    'ML-KEM-512': '705dcffc87f4e67e35a09dcaa31772e86f3341bd3ccf1e78a5fef99ae6a35a13',
    'ML-KEM-768': 'f959d18d3d1180121433bf0e05f11e7908cf9d03edc150b2b07cb90bef5bc1c1',
    'ML-KEM-1024': 'e3bf82b013307b2e9d47dde791ff6dfc82e694e6382404abdb948b908b75bad5',
  },
  1_000_000: {
    'ML-KEM-512': '21dd330d4355f2ae2876b9fa2b9de62ecaf76aca1d598de8db2b467d36e36a6a',
    'ML-KEM-768': '3b108396a277f2952ff3243a985c9709bcb95788c39b7b36a2c4e19d1a41e51e',
    'ML-KEM-1024': '6377c4f0ecfdb32e63f7b58227960828784fe0b3e0e5e5e9f77be300f003512a',
  },
};

/** Final FIPS 204 accumulated digests (CCTV; reproduced by noble 0.7.1). */
export const DSA_DIGESTS: Readonly<Record<number, Readonly<Record<DsaParam, string>>>> = {
  100: {
    'ML-DSA-44': 'd51148e1f9f4fa1a723a6cf42e25f2a99eb5c1b378b3d2dbbd561b1203beeae4',
    'ML-DSA-65': '8358a1843220194417cadbc2651295cd8fc65125b5a5c1a239a16dc8b57ca199',
    'ML-DSA-87': '8c3ad714777622b8f21ce31bb35f71394f23bc0fcf3c78ace5d608990f3b061b',
  },
  10_000: {
    'ML-DSA-44': 'e7fd21f6a59bcba60d65adc44404bb29a7c00e5d8d3ec06a732c00a306a7d143',
    'ML-DSA-65': '5ff5e196f0b830c3b10a9eb5358e7c98a3a20136cb677f3ae3b90175c3ace329',
    'ML-DSA-87': '80a8cf39317f7d0be0e24972c51ac152bd2a3e09bc0c32ce29dd82c4e7385e60',
  },
};

/** Counts a JS (slow, in-process) backend runs by default; more need --long. */
const JS_DEFAULT_MAX = 100;

const MINUTE = 60_000;
function timeoutFor(count: number): number {
  if (count <= 100) return 10 * MINUTE;
  if (count <= 10_000) return 60 * MINUTE;
  return 24 * 60 * MINUTE; // 1 000 000 ML-KEM tests: hours on a JS backend
}

/** Streams up to this size come from node:crypto's native SHAKE-128 in one piece; longer ones from noble's XOF. */
const NATIVE_STREAM_MAX = 64 << 20;

/**
 * The SHAKE-128("") output stream, read in order. node:crypto squeezes only
 * once, so a stream that fits in memory is squeezed natively in one go (fast);
 * the --long 1 000 000-test digests read noble's XOF piece by piece.
 */
export function shake128Stream(totalBytes: number): { read(n: number): Uint8Array } {
  if (totalBytes > NATIVE_STREAM_MAX) {
    const xof = shake128.create();
    return { read: (n) => xof.xof(n) };
  }
  const all = new Uint8Array(createHash('shake128', { outputLength: totalBytes }).digest());
  let off = 0;
  return {
    read(n) {
      if (off + n > all.length) throw new Error(`SHAKE-128 stream: ${off + n} bytes read of ${all.length}`);
      off += n;
      return all.subarray(off - n, off);
    },
  };
}

/** The accumulating SHAKE-128 (absorb everything, squeeze 32 bytes once), native. */
function accumulator(): { update(b: Uint8Array): void; digest(): Uint8Array } {
  const h = createHash('shake128', { outputLength: 32 });
  return { update: (b) => void h.update(b), digest: () => new Uint8Array(h.digest()) };
}

/** Throws unless our SHAKE-128 gives the known empty-input prefix. */
export function checkShakePrefix(): Outcome | undefined {
  const got = toHex(shake128Stream(16).read(16));
  if (got === SHAKE128_EMPTY_PREFIX) return undefined;
  return {
    status: 'fail',
    reason: 'the harness SHAKE-128 RNG stream does not start with the FIPS 202 empty-input prefix: the digest would be meaningless',
    expected: { shake128_empty_16: SHAKE128_EMPTY_PREFIX },
    got: { shake128_empty_16: got },
  };
}

/** Skip reason when a count is not run on this backend by default. */
function policySkip(b: Backend, count: number, long: boolean): Outcome | undefined {
  const info = b.describe();
  if (long || count <= JS_DEFAULT_MAX || info.kind !== 'js') return undefined;
  return {
    status: 'skip',
    reason: `${groupDigits(count)}-test digest runs on native backends; ${info.id} (JS) runs ${JS_DEFAULT_MAX} (use --long to force)`,
  };
}

function judgeDigest(what: string, got: Uint8Array, want: string, count: number): Outcome {
  const hex = toHex(got);
  if (hex === want) return { status: 'pass', note: `digest ${hex} after ${groupDigits(count)} tests` };
  return {
    status: 'fail',
    reason: `${what}: accumulated digest over ${groupDigits(count)} tests differs (the first diverging test is not known: compare with another backend via interop)`,
    expected: { digest: want },
    got: { digest: hex },
  };
}

/**
 * Tests draw their inputs from one stream and are absorbed in order, but no test
 * needs another's output: keep WINDOW tests in flight so an out-of-process host
 * pipelines its calls instead of paying a round trip per call. Memory stays
 * bounded by the window.
 */
const WINDOW = 32;

async function pipelined<T>(count: number, start: (i: number) => Promise<T>, finish: (i: number, r: T) => Outcome | undefined, progress?: (done: number) => void): Promise<Outcome | undefined> {
  const inflight: Promise<T>[] = [];
  let next = 0;
  const launch = (i: number) => {
    const p = start(i);
    // Marked handled now; the rejection still surfaces when this test's turn comes.
    p.catch(() => undefined);
    return p;
  };
  try {
    for (let done = 0; done < count; done++) {
      while (next < count && inflight.length < WINDOW) inflight.push(launch(next++));
      const bad = finish(done, await inflight.shift()!);
      if (bad) return bad;
      progress?.(done + 1);
    }
    return undefined;
  } finally {
    // Let the calls already sent settle before the case ends.
    await Promise.allSettled(inflight);
  }
}

/** Run the ML-KEM accumulated procedure; returns the digest, or a failing Outcome on a broken round trip. */
export async function kemAccumulated(b: Backend, ps: KemParam, count: number, progress?: (done: number) => void): Promise<Uint8Array | Outcome> {
  const api = kemApi(b);
  const cLen = KEM[ps].c;
  const rng = shake128Stream(count * (96 + cLen));
  const acc = accumulator();
  const bad = await pipelined(
    count,
    async () => {
      // Copies: the stream's bytes are a view into one buffer.
      const d = rng.read(32).slice();
      const z = rng.read(32).slice();
      const m = rng.read(32).slice();
      const ctBad = rng.read(cLen).slice();
      const { ek, dk } = await api.keygen(ps, d, z);
      const { c, k } = await api.encaps(ps, ek, m);
      const [k2, kBad] = await Promise.all([api.decaps(ps, dk, c), api.decaps(ps, dk, ctBad)]);
      return { d, z, m, ek, dk, c, k, k2, kBad };
    },
    (i, t) => {
      if (!equalBytes(t.k, t.k2)) {
        return {
          status: 'fail',
          reason: `${ps}: test ${i}: Decaps(dk, c) differs from the key Encaps returned`,
          expected: { k: toHex(t.k) },
          got: { k: toHex(t.k2), test: i, d: toHex(t.d), z: toHex(t.z), m: toHex(t.m) },
        };
      }
      for (const x of [t.ek, t.dk, t.c, t.k, t.kBad]) acc.update(x);
      return undefined;
    },
    progress,
  );
  return bad ?? acc.digest();
}

/** Run the ML-DSA accumulated procedure. */
export async function dsaAccumulated(b: Backend, ps: DsaParam, count: number, progress?: (done: number) => void): Promise<Uint8Array | Outcome> {
  const api = dsaApi(b);
  const rng = shake128Stream(count * 32);
  const acc = accumulator();
  const empty = new Uint8Array(0);
  const bad = await pipelined(
    count,
    async () => {
      const xi = rng.read(32).slice();
      const { pk, sk } = await api.keygen(ps, xi);
      const sig = await api.sign(ps, sk, empty, empty, ZERO32);
      const ok = await api.verify(ps, pk, empty, sig, empty);
      return { xi, pk, sig, ok };
    },
    (i, t) => {
      acc.update(t.pk);
      acc.update(t.sig);
      if (t.ok) return undefined;
      return {
        status: 'fail',
        reason: `${ps}: test ${i}: Verify rejected the deterministic signature of the empty message`,
        expected: { verify: true },
        got: { verify: false, test: i, xi: toHex(t.xi) },
      };
    },
    progress,
  );
  return bad ?? acc.digest();
}

function kemCase(ps: KemParam, count: number, long: boolean): Case {
  const family = `ML-KEM-accumulated-${count}`;
  return {
    id: `accumulated/${family}/${ps}`,
    suite: 'accumulated',
    family,
    parameterSet: ps,
    op: 'kem.decaps',
    source: null,
    requires: ['kem.keygen', 'kem.encaps', 'kem.decaps'],
    timeoutMs: timeoutFor(count),
    // keygen, encaps and decaps (twice) per test.
    repeats: count,
    inputs: () => ({ count, rng: 'SHAKE-128("") stream: d, z, m, ct~ per test' }),
    run: async (b, ctx) => {
      const skip = policySkip(b, count, long);
      if (skip) return skip;
      const bad = checkShakePrefix();
      if (bad) return bad;
      const r = await kemAccumulated(b, ps, count, ctx?.progress);
      return r instanceof Uint8Array ? judgeDigest(ps, r, KEM_DIGESTS[count]![ps], count) : r;
    },
  };
}

function dsaCase(ps: DsaParam, count: number, long: boolean): Case {
  const family = `ML-DSA-accumulated-${count}`;
  return {
    id: `accumulated/${family}/${ps}`,
    suite: 'accumulated',
    family,
    parameterSet: ps,
    op: 'dsa.sign',
    source: null,
    requires: ['dsa.keygen', 'dsa.sign', 'dsa.verify'],
    timeoutMs: timeoutFor(count),
    // keygen, sign and verify per test.
    repeats: count,
    inputs: () => ({ count, rng: 'SHAKE-128("") stream: xi per test; deterministic sign of "" with ctx ""' }),
    run: async (b, ctx) => {
      const skip = policySkip(b, count, long);
      if (skip) return skip;
      const bad = checkShakePrefix();
      if (bad) return bad;
      const r = await dsaAccumulated(b, ps, count, ctx?.progress);
      return r instanceof Uint8Array ? judgeDigest(ps, r, DSA_DIGESTS[count]![ps], count) : r;
    },
  };
}

export function accumulatedCases(opts: SuiteOptions = {}): Case[] {
  const long = opts.long === true;
  const kemCounts = long ? [100, 10_000, 1_000_000] : [100, 10_000];
  const dsaCounts = [100, 10_000];
  return [
    ...kemCounts.flatMap((n) => KEM_PARAMS.map((ps) => kemCase(ps, n, long))),
    ...dsaCounts.flatMap((n) => DSA_PARAMS.map((ps) => dsaCase(ps, n, long))),
    ...katCases(),
  ];
}

/** Accumulated digests (many pseudorandom inputs folded into one SHAKE digest); the NIST KAT hashes fall to the per-scheme rules (family `nist-kat` plus its parameter set). */
const FIPS: readonly FipsRule[] = [
  { match: /(ML-KEM|mlkem|kem).*accumulated|accumulated.*(ML-KEM|mlkem|kem)/i, standard: 'FIPS 203', clause: '§6.1–6.3 Alg. 16–18 (many pseudorandom inputs)', what: 'key generation, encapsulation and decapsulation over many inputs, compared as one digest' },
  { match: /(ML-DSA|mldsa|dsa).*accumulated|accumulated.*(ML-DSA|mldsa|dsa)/i, standard: 'FIPS 204', clause: '§6.1–6.3 Alg. 6–8 (many pseudorandom inputs)', what: 'key generation, signing and verification over many inputs, compared as one digest' },
  { match: /kem/i, standard: 'FIPS 203', clause: '§6–7 (ML-KEM)', what: 'ML-KEM behaviour' },
  { match: /dsa/i, standard: 'FIPS 204', clause: '§5–6 (ML-DSA)', what: 'ML-DSA behaviour' },
];

export const accumulatedSuite: PerBackendSuite = {
  kind: 'per-backend',
  name: 'accumulated',
  title: 'Accumulated digests (CCTV procedure, final FIPS 203/204) and NIST KAT hashes',
  vectorFiles: [],
  fips: FIPS,
  cases: accumulatedCases,
};
