// The json-abi backend on native/'s own JSON ABI (the seed's shape): round
// trips, official ACVP answers for the two sets the shape offers, error JSON
// surfaced as RejectedError, and only the offered ops declared. FAILS (never
// skips) when the library has not been built: `npm run setup` builds it.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { RejectedError, UnsupportedError, type Backend } from '../model/contract.ts';
import { DEFAULT_RUST_LIBRARY } from '../backends/rust.ts';
import { openJsonAbiBackend } from '../backends/json-abi.ts';
import { readVectorJson } from './vector-json.ts';
import { env } from '../model/config.ts';

const LIB = env('PQC_RUST_LIB') ?? DEFAULT_RUST_LIBRARY;

const hex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex').toUpperCase();

type EncapDecapGroup = {
  tgId: number;
  parameterSet: string;
  function: string;
  tests: { tcId: number; ek: string; dk: string; c?: string; k?: string; m?: string }[];
};
type DsaKeyGenGroup = { tgId: number; parameterSet: string; tests: { tcId: number; seed: string; pk: string; sk: string }[] };

let b: Backend;
beforeAll(async () => {
  b = await openJsonAbiBackend(LIB);
});
afterAll(async () => {
  await b?.close?.();
});

describe('json-abi backend: identity and capabilities', () => {
  it('describes itself as json-abi:<path> with the library hash', () => {
    const info = b.describe();
    expect(info.id).toBe(`json-abi:${LIB}`);
    expect(info.kind).toBe('json-abi');
    expect(info.library?.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('declares only what the JSON shape offers', () => {
    const caps = b.capabilities();
    expect([...caps.parameterSets].sort()).toEqual(['ML-DSA-65', 'ML-KEM-768']);
    expect([...caps.ops].sort()).toEqual(['dsa.keygen', 'dsa.sign', 'dsa.verify', 'kem.decaps', 'kem.encaps', 'kem.keygenRandom']);
  });

  it('throws UnsupportedError for other sets and absent ops', async () => {
    await expect(b.kem!.keygen('ML-KEM-768', new Uint8Array(32), new Uint8Array(32))).rejects.toThrow(UnsupportedError);
    await expect(b.kem!.checkEncapsKey('ML-KEM-768', new Uint8Array(1184))).rejects.toThrow(UnsupportedError);
    await expect(b.kem!.encaps('ML-KEM-512', new Uint8Array(800), new Uint8Array(32))).rejects.toThrow(UnsupportedError);
    await expect(b.dsa!.signMu('ML-DSA-65', new Uint8Array(4032), new Uint8Array(64), new Uint8Array(32))).rejects.toThrow(UnsupportedError);
    await expect(b.dsa!.keygen('ML-DSA-44', new Uint8Array(32))).rejects.toThrow(UnsupportedError);
  });

  it('can open the same library twice (no global koffi type-name clash)', async () => {
    const again = await openJsonAbiBackend(LIB);
    const { ek, dk } = await again.kem!.keygenRandom!('ML-KEM-768');
    const { c, k } = await b.kem!.encaps('ML-KEM-768', ek, new Uint8Array(32));
    expect(toHex(await again.kem!.decaps('ML-KEM-768', dk, c))).toBe(toHex(k));
    await again.close?.();
  });
});

describe('json-abi backend: official answers (ACVP)', () => {
  const ed = readVectorJson<{ testGroups: EncapDecapGroup[] }>('acvp-server/ML-KEM-encapDecap-FIPS203/internalProjection.json');
  const encaps = ed.testGroups.filter((g) => g.parameterSet === 'ML-KEM-768' && g.function === 'encapsulation').flatMap((g) => g.tests);
  const decaps = ed.testGroups.filter((g) => g.parameterSet === 'ML-KEM-768' && g.function === 'decapsulation').flatMap((g) => g.tests);
  const kg = readVectorJson<{ testGroups: DsaKeyGenGroup[] }>('acvp-server/ML-DSA-keyGen-FIPS204/internalProjection.json');
  const dsaKeys = kg.testGroups.filter((g) => g.parameterSet === 'ML-DSA-65').flatMap((g) => g.tests);

  it('has vectors to run (never green on nothing)', () => {
    expect(encaps.length).toBeGreaterThan(0);
    expect(decaps.length).toBeGreaterThan(0);
    expect(dsaKeys.length).toBeGreaterThan(0);
  });

  it.each(encaps.map((t) => [t.tcId, t] as const))('ML-KEM-768 encapsulation tc%s', async (_id, t) => {
    const r = await b.kem!.encaps('ML-KEM-768', hex(t.ek), hex(t.m!));
    expect(toHex(r.c)).toBe(t.c!.toUpperCase());
    expect(toHex(r.k)).toBe(t.k!.toUpperCase());
  });

  it.each(decaps.map((t) => [t.tcId, t] as const))('ML-KEM-768 decapsulation tc%s', async (_id, t) => {
    expect(toHex(await b.kem!.decaps('ML-KEM-768', hex(t.dk), hex(t.c!)))).toBe(t.k!.toUpperCase());
  });

  it.each(dsaKeys.map((t) => [t.tcId, t] as const))('ML-DSA-65 keyGen tc%s', async (_id, t) => {
    const { pk, sk } = await b.dsa!.keygen('ML-DSA-65', hex(t.seed));
    expect(toHex(pk)).toBe(t.pk.toUpperCase());
    expect(toHex(sk)).toBe(t.sk.toUpperCase());
  });
});

describe('json-abi backend: round trips and errors', () => {
  it('ML-KEM-768: random keygen, encaps, decaps agree', async () => {
    const { ek, dk } = await b.kem!.keygenRandom!('ML-KEM-768');
    expect(ek.length).toBe(1184);
    expect(dk.length).toBe(2400);
    const { c, k } = await b.kem!.encaps('ML-KEM-768', ek, new Uint8Array(32).fill(9));
    expect(toHex(await b.kem!.decaps('ML-KEM-768', dk, c))).toBe(toHex(k));
  });

  it('ML-DSA-65: sign/verify with context; deterministic rnd reproduces; tampering fails', async () => {
    const { pk, sk } = await b.dsa!.keygen('ML-DSA-65', new Uint8Array(32).fill(4));
    const msg = new TextEncoder().encode('hello');
    const ctx = new Uint8Array([7, 7]);
    const zero = new Uint8Array(32);
    const sig = await b.dsa!.sign('ML-DSA-65', sk, msg, ctx, zero);
    expect(toHex(await b.dsa!.sign('ML-DSA-65', sk, msg, ctx, zero))).toBe(toHex(sig));
    expect(await b.dsa!.verify('ML-DSA-65', pk, msg, sig, ctx)).toBe(true);
    expect(await b.dsa!.verify('ML-DSA-65', pk, msg, sig, new Uint8Array(0))).toBe(false);
    expect(await b.dsa!.verify('ML-DSA-65', pk, msg.subarray(1), sig, ctx)).toBe(false);
    expect(await b.dsa!.verify('ML-DSA-65', pk, msg, sig.subarray(1), ctx)).toBe(false);
  });

  it('error JSON from the library becomes RejectedError with its message', async () => {
    await expect(b.kem!.encaps('ML-KEM-768', new Uint8Array(1183), new Uint8Array(32))).rejects.toThrow(RejectedError);
    await expect(b.kem!.encaps('ML-KEM-768', new Uint8Array(1184), new Uint8Array(31))).rejects.toThrow(/"m": expected 32 bytes/);
    await expect(b.kem!.decaps('ML-KEM-768', new Uint8Array(2400), new Uint8Array(1088))).rejects.toThrow(/invalid key/);
    await expect(b.dsa!.sign('ML-DSA-65', new Uint8Array(4032), new Uint8Array(0), new Uint8Array(256), new Uint8Array(32))).rejects.toThrow(
      /context/,
    );
    const bad = new Uint8Array(1184).fill(0xff); // every coefficient 4095 >= q
    await expect(b.kem!.encaps('ML-KEM-768', bad, new Uint8Array(32))).rejects.toThrow(/invalid key/);
  });

  it('survives many calls (owned strings released through pqc_free_string)', async () => {
    const { ek } = await b.kem!.keygenRandom!('ML-KEM-768');
    for (let i = 0; i < 200; i++) await b.kem!.encaps('ML-KEM-768', ek, new Uint8Array(32).fill(i & 0xff));
  });
});
