// The rust backend (native/ through its buffer C ABI) against the official ACVP
// files, read straight from disk (no shared loader on purpose), plus the
// adapter's promises: status codes mapped to RejectedError / false /
// UnsupportedError, every op declared. These tests FAIL (never skip) when the
// library has not been built: `npm run setup` builds it.

import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ALL_OPS, RejectedError, UnsupportedError, type Backend, type DsaApi, type KemApi } from '../model/contract.ts';
import { ALL_PARAMS, DSA, DSA_PARAMS, HASH_ALG_NAMES, KEM, KEM_PARAMS, isDsaParam, isHashAlg, isKemParam } from '../model/params.ts';
import { DEFAULT_RUST_LIBRARY, benchNs, loadBufferAbi, openRustBackend } from '../backends/rust.ts';
import { readVectorJson } from './vector-json.ts';


const hex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex').toUpperCase();
function nonEmpty<T>(what: string, xs: T[]): T[] {
  if (xs.length === 0) throw new Error(`${what}: zero cases`);
  return xs;
}

type KemKeyGenGroup = { tgId: number; parameterSet: string; tests: { tcId: number; d: string; z: string; ek: string; dk: string }[] };
type DsaKeyGenGroup = { tgId: number; parameterSet: string; tests: { tcId: number; seed: string; pk: string; sk: string }[] };
type EncapDecapGroup = {
  tgId: number;
  parameterSet: string;
  function: 'encapsulation' | 'decapsulation' | 'encapsulationKeyCheck' | 'decapsulationKeyCheck';
  tests: { tcId: number; ek: string; dk: string; c?: string; k?: string; m?: string; testPassed?: boolean }[];
};
type SigGenGroup = {
  tgId: number;
  parameterSet: string;
  deterministic: boolean;
  signatureInterface: 'external' | 'internal';
  preHash?: 'pure' | 'preHash';
  externalMu?: boolean;
  tests: { tcId: number; message?: string; sk: string; context?: string; rnd?: string; mu?: string; hashAlg?: string }[];
};
type SigGenExpected = { testGroups: { tgId: number; tests: { tcId: number; signature: string }[] }[] };
type SigVerGroup = {
  tgId: number;
  parameterSet: string;
  signatureInterface: 'external' | 'internal';
  preHash: 'pure' | 'preHash' | 'none';
  externalMu: boolean;
  tests: { tcId: number; pk: string; message?: string; mu?: string; context?: string; hashAlg?: string; signature: string; testPassed: boolean }[];
};

let backend: Backend;
let kem: KemApi;
let dsa: DsaApi;

beforeAll(async () => {
  backend = await openRustBackend({});
  kem = backend.kem!;
  dsa = backend.dsa!;
});
afterAll(async () => {
  await backend?.close?.();
});

describe('rust backend: identity', () => {
  it('describes the loaded library with its SHA-256 and version', () => {
    const info = backend.describe();
    expect(info.id).toBe('rust');
    expect(info.kind).toBe('cdylib');
    expect(info.version).toMatch(/^pqc-native \d+\.\d+\.\d+ \(ml-kem [\d.]+, ml-dsa [\d.]+\)$/);
    expect(info.library?.path).toMatch(/libpqc_native\.so$/);
    expect(info.library?.sha256).toBe(createHash('sha256').update(readFileSync(info.library!.path)).digest('hex'));
  });

  it('declares all six sets and every contract op', () => {
    const caps = backend.capabilities();
    expect([...caps.parameterSets].sort()).toEqual([...ALL_PARAMS].sort());
    expect([...caps.ops].sort()).toEqual([...ALL_OPS].sort());
    expect(caps.preHash).toBeUndefined(); // all of HASH_ALGS for every set
  });

  it('tells the user to run setup when the library is missing', async () => {
    await expect(openRustBackend({ library: '/nonexistent/libpqc_native.so' })).rejects.toThrow(/npm run setup/);
    expect(existsSync(DEFAULT_RUST_LIBRARY)).toBe(true);
  });
});

describe('rust backend: ACVP ML-KEM keyGen (FIPS 203)', () => {
  const file = readVectorJson<{ testGroups: KemKeyGenGroup[] }>('acvp-server/ML-KEM-keyGen-FIPS203/internalProjection.json');
  const cases = nonEmpty(
    'ML-KEM keyGen',
    file.testGroups.flatMap((g) => g.tests.map((t) => ({ ps: g.parameterSet, ...t }))),
  );
  it.each(cases.map((c) => [`${c.ps} tc${c.tcId}`, c] as const))('%s', async (_n, c) => {
    if (!isKemParam(c.ps)) throw new Error(`unexpected set ${c.ps}`);
    const { ek, dk } = await kem.keygen(c.ps, hex(c.d), hex(c.z));
    expect(toHex(ek)).toBe(c.ek.toUpperCase());
    expect(toHex(dk)).toBe(c.dk.toUpperCase());
  });
});

describe('rust backend: ACVP ML-DSA keyGen (FIPS 204)', () => {
  const file = readVectorJson<{ testGroups: DsaKeyGenGroup[] }>('acvp-server/ML-DSA-keyGen-FIPS204/internalProjection.json');
  const cases = nonEmpty(
    'ML-DSA keyGen',
    file.testGroups.flatMap((g) => g.tests.map((t) => ({ ps: g.parameterSet, ...t }))),
  );
  it.each(cases.map((c) => [`${c.ps} tc${c.tcId}`, c] as const))('%s', async (_n, c) => {
    if (!isDsaParam(c.ps)) throw new Error(`unexpected set ${c.ps}`);
    const { pk, sk } = await dsa.keygen(c.ps, hex(c.seed));
    expect(toHex(pk)).toBe(c.pk.toUpperCase());
    expect(toHex(sk)).toBe(c.sk.toUpperCase());
  });
});

describe('rust backend: ACVP ML-KEM encapDecap (FIPS 203)', () => {
  const file = readVectorJson<{ testGroups: EncapDecapGroup[] }>('acvp-server/ML-KEM-encapDecap-FIPS203/internalProjection.json');
  const cases = nonEmpty(
    'ML-KEM encapDecap',
    file.testGroups.flatMap((g) => g.tests.map((t) => ({ ps: g.parameterSet, fn: g.function, ...t }))),
  );
  it.each(cases.map((c) => [`${c.ps} ${c.fn} tc${c.tcId}`, c] as const))('%s', async (_n, c) => {
    if (!isKemParam(c.ps)) throw new Error(`unexpected set ${c.ps}`);
    switch (c.fn) {
      case 'encapsulation': {
        const r = await kem.encaps(c.ps, hex(c.ek), hex(c.m!));
        expect(toHex(r.c)).toBe(c.c!.toUpperCase());
        expect(toHex(r.k)).toBe(c.k!.toUpperCase());
        break;
      }
      case 'decapsulation':
        expect(toHex(await kem.decaps(c.ps, hex(c.dk), hex(c.c!)))).toBe(c.k!.toUpperCase());
        break;
      case 'encapsulationKeyCheck':
        expect(await kem.checkEncapsKey(c.ps, hex(c.ek))).toBe(c.testPassed);
        if (!c.testPassed) await expect(kem.encaps(c.ps, hex(c.ek), new Uint8Array(32))).rejects.toThrow(/PQC_ERR_INVALID_KEY/);
        break;
      case 'decapsulationKeyCheck':
        expect(await kem.checkDecapsKey(c.ps, hex(c.dk))).toBe(c.testPassed);
        break;
    }
  });
});

describe('rust backend: ACVP ML-DSA sigGen (FIPS 204, every interface)', () => {
  const prompt = readVectorJson<{ testGroups: SigGenGroup[] }>('acvp-server/ML-DSA-sigGen-FIPS204/prompt.json.gz');
  const expected = readVectorJson<SigGenExpected>('acvp-server/ML-DSA-sigGen-FIPS204/expectedResults.json');
  const want = new Map<string, string>();
  for (const g of expected.testGroups) for (const t of g.tests) want.set(`${g.tgId}/${t.tcId}`, t.signature);
  const cases = nonEmpty(
    'ML-DSA sigGen',
    prompt.testGroups.flatMap((g) => g.tests.map((t) => ({ g, t }))),
  );
  it.each(cases.map(({ g, t }) => [`tg${g.tgId} ${g.parameterSet} ${g.signatureInterface}/${g.preHash ?? (g.externalMu ? 'mu' : 'M\'')}${g.deterministic ? ' det' : ''} tc${t.tcId}`, g, t] as const))(
    '%s',
    async (_n, g, t) => {
      const ps = g.parameterSet;
      if (!isDsaParam(ps)) throw new Error(`unexpected set ${ps}`);
      const sk = hex(t.sk);
      const rnd = g.deterministic ? new Uint8Array(32) : hex(t.rnd!);
      const ctx = hex(t.context ?? '');
      let sig: Uint8Array;
      if (g.signatureInterface === 'internal') {
        sig = g.externalMu ? await dsa.signMu(ps, sk, hex(t.mu!), rnd) : await dsa.signInternal(ps, sk, hex(t.message!), rnd);
      } else if (g.preHash === 'preHash') {
        if (!isHashAlg(t.hashAlg!)) throw new Error(`unknown hash ${t.hashAlg}`);
        sig = await dsa.signPreHash(ps, sk, hex(t.message!), t.hashAlg, ctx, rnd);
      } else {
        sig = await dsa.sign(ps, sk, hex(t.message!), ctx, rnd);
      }
      expect(toHex(sig)).toBe(want.get(`${g.tgId}/${t.tcId}`)!.toUpperCase());
    },
  );
});

describe('rust backend: ACVP ML-DSA sigVer (FIPS 204, every interface)', () => {
  const file = readVectorJson<{ testGroups: SigVerGroup[] }>('acvp-server/ML-DSA-sigVer-FIPS204/internalProjection.json');
  const cases = nonEmpty(
    'ML-DSA sigVer',
    file.testGroups.flatMap((g) => g.tests.map((t) => ({ g, t }))),
  );
  it.each(cases.map(({ g, t }) => [`tg${g.tgId} ${g.parameterSet} ${g.signatureInterface}/${g.externalMu ? 'mu' : g.preHash} tc${t.tcId}`, g, t] as const))(
    '%s',
    async (_n, g, t) => {
      const ps = g.parameterSet;
      if (!isDsaParam(ps)) throw new Error(`unexpected set ${ps}`);
      const pk = hex(t.pk);
      const sig = hex(t.signature);
      const ctx = hex(t.context ?? '');
      let ok: boolean;
      if (g.signatureInterface === 'internal') {
        ok = g.externalMu ? await dsa.verifyMu(ps, pk, hex(t.mu!), sig) : await dsa.verifyInternal(ps, pk, hex(t.message!), sig);
      } else if (g.preHash === 'preHash') {
        if (!isHashAlg(t.hashAlg!)) throw new Error(`unknown hash ${t.hashAlg}`);
        ok = await dsa.verifyPreHash(ps, pk, hex(t.message!), sig, t.hashAlg, ctx);
      } else {
        ok = await dsa.verify(ps, pk, hex(t.message!), sig, ctx);
      }
      expect(ok).toBe(t.testPassed);
    },
  );
});

describe('rust backend: round trips', () => {
  it.each(KEM_PARAMS)('%s: random keygen, random encaps, decaps agree; tampered c is implicitly rejected', async (ps) => {
    const { ek, dk } = await kem.keygenRandom!(ps);
    const { c, k } = await kem.encapsRandom!(ps, ek);
    expect(toHex(await kem.decaps(ps, dk, c))).toBe(toHex(k));
    const bad = c.slice();
    bad[0]! ^= 1;
    const kBad = await kem.decaps(ps, dk, bad);
    expect(kBad.length).toBe(32);
    expect(toHex(kBad)).not.toBe(toHex(k));
  });

  it.each(DSA_PARAMS)('%s: sign/verify in every interface; wrong message, context and hash fail', async (ps) => {
    const { pk, sk } = await dsa.keygenRandom!(ps);
    const msg = new TextEncoder().encode('pqc-harness');
    const ctx = new Uint8Array([1, 2, 3]);
    const rnd = new Uint8Array(32).fill(7);
    const sig = await dsa.sign(ps, sk, msg, ctx, rnd);
    expect(sig.length).toBe(DSA[ps].sig);
    expect(await dsa.verify(ps, pk, msg, sig, ctx)).toBe(true);
    expect(await dsa.verify(ps, pk, msg.subarray(1), sig, ctx)).toBe(false);
    expect(await dsa.verify(ps, pk, msg, sig, new Uint8Array(0))).toBe(false);
    // Pure signing is Sign_internal with M' = 0 || |ctx| || ctx || M.
    const mPrime = new Uint8Array([0, ctx.length, ...ctx, ...msg]);
    expect(toHex(await dsa.signInternal(ps, sk, mPrime, rnd))).toBe(toHex(sig));
    expect(await dsa.verifyInternal(ps, pk, mPrime, sig)).toBe(true);
    const mu = new Uint8Array(64).fill(3);
    expect(await dsa.verifyMu(ps, pk, mu, await dsa.signMu(ps, sk, mu, rnd))).toBe(true);
    for (const h of HASH_ALG_NAMES) {
      const s = await dsa.signPreHash(ps, sk, msg, h, ctx, rnd);
      expect(await dsa.verifyPreHash(ps, pk, msg, s, h, ctx), h).toBe(true);
      const other = HASH_ALG_NAMES[(HASH_ALG_NAMES.indexOf(h) + 1) % HASH_ALG_NAMES.length]!;
      expect(await dsa.verifyPreHash(ps, pk, msg, s, other, ctx), `${h} as ${other}`).toBe(false);
    }
    // Deterministic signing (rnd = 0) is reproducible.
    const zero = new Uint8Array(32);
    expect(toHex(await dsa.sign(ps, sk, msg, ctx, zero))).toBe(toHex(await dsa.sign(ps, sk, msg, ctx, zero)));
  });
});

describe('rust backend: rejection', () => {
  const ps = 'ML-KEM-768' as const;
  it('wrong lengths are RejectedError(PQC_ERR_LENGTH), for every KEM input', async () => {
    const { ek, dk } = await kem.keygen(ps, new Uint8Array(32), new Uint8Array(32));
    const c = new Uint8Array(KEM[ps].c);
    await expect(kem.keygen(ps, new Uint8Array(31), new Uint8Array(32))).rejects.toThrow(RejectedError);
    await expect(kem.keygen(ps, new Uint8Array(32), new Uint8Array(33))).rejects.toThrow(/PQC_ERR_LENGTH/);
    await expect(kem.encaps(ps, ek.subarray(1), new Uint8Array(32))).rejects.toThrow(/PQC_ERR_LENGTH/);
    await expect(kem.encaps(ps, ek, new Uint8Array(0))).rejects.toThrow(/PQC_ERR_LENGTH/);
    await expect(kem.decaps(ps, dk, c.subarray(0, 100))).rejects.toThrow(/PQC_ERR_LENGTH/);
    await expect(kem.decaps(ps, new Uint8Array(KEM['ML-KEM-512'].dk), c)).rejects.toThrow(/PQC_ERR_LENGTH/);
    // A key check answers the FIPS question: a wrong length fails its type check.
    expect(await kem.checkEncapsKey(ps, ek.subarray(1))).toBe(false);
    expect(await kem.checkDecapsKey(ps, new Uint8Array(0))).toBe(false);
  });

  it('an ek with a coefficient >= q is RejectedError(PQC_ERR_INVALID_KEY) in encaps', async () => {
    const { ek } = await kem.keygen(ps, new Uint8Array(32), new Uint8Array(32));
    const bad = ek.slice();
    bad[0] = 0xff;
    bad[1]! |= 0x0f; // first 12-bit coefficient = 4095
    expect(await kem.checkEncapsKey(ps, bad)).toBe(false);
    await expect(kem.encaps(ps, bad, new Uint8Array(32))).rejects.toThrow(/PQC_ERR_INVALID_KEY/);
  });

  it('ML-DSA: wrong lengths and a 256-byte context are rejected; a wrong-length signature too', async () => {
    const p = 'ML-DSA-44' as const;
    const { pk, sk } = await dsa.keygen(p, new Uint8Array(32));
    const m = new Uint8Array(0);
    const rnd = new Uint8Array(32);
    await expect(dsa.sign(p, sk.subarray(1), m, m, rnd)).rejects.toThrow(/PQC_ERR_LENGTH/);
    await expect(dsa.sign(p, sk, m, m, rnd.subarray(1))).rejects.toThrow(/PQC_ERR_LENGTH/);
    await expect(dsa.sign(p, sk, m, new Uint8Array(256), rnd)).rejects.toThrow(/PQC_ERR_ARGUMENT/);
    await expect(dsa.signMu(p, sk, new Uint8Array(63), rnd)).rejects.toThrow(/PQC_ERR_LENGTH/);
    const sig = await dsa.sign(p, sk, m, new Uint8Array(255), rnd);
    expect(await dsa.verify(p, pk, m, sig, new Uint8Array(255))).toBe(true);
    await expect(dsa.verify(p, pk, m, sig.subarray(1), m)).rejects.toThrow(/PQC_ERR_LENGTH/);
    await expect(dsa.verify(p, pk.subarray(1), m, sig, m)).rejects.toThrow(RejectedError);
    await expect(dsa.verify(p, pk, m, sig, new Uint8Array(256))).rejects.toThrow(/PQC_ERR_ARGUMENT/);
  });

  it('a malformed expanded sk is RejectedError(PQC_ERR_INVALID_KEY), not a crash', async () => {
    const p = 'ML-DSA-65' as const;
    const sk = new Uint8Array(DSA[p].sk).fill(0xff);
    await expect(dsa.sign(p, sk, new Uint8Array(1), new Uint8Array(0), new Uint8Array(32))).rejects.toThrow(/PQC_ERR_INVALID_KEY/);
  });

  it('an unknown parameter set or hash is UnsupportedError', async () => {
    await expect(kem.keygen('ML-KEM-769' as never, new Uint8Array(32), new Uint8Array(32))).rejects.toThrow(UnsupportedError);
    const p = 'ML-DSA-44' as const;
    const { sk } = await dsa.keygen(p, new Uint8Array(32));
    await expect(dsa.signPreHash(p, sk, new Uint8Array(0), 'MD5' as never, new Uint8Array(0), new Uint8Array(32))).rejects.toThrow(UnsupportedError);
  });
});

describe('rust backend: native bench', () => {
  it('times each op natively and returns 0 for an unknown op', () => {
    const abi = loadBufferAbi(backend.describe().library!.path);
    expect(benchNs(abi, 'kem.encaps', 'ML-KEM-768', 3)).toBeGreaterThan(0n);
    expect(benchNs(abi, 'dsa.verify', 'ML-DSA-44', 2)).toBeGreaterThan(0n);
    expect(Number(abi.pqc_bench_ns(99, 768, 1))).toBe(0);
  });
});
