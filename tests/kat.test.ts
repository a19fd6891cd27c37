// NIST KAT hashes: the AES-256 CTR_DRBG (no df) and the count-0 .rsp entries of
// ML-KEM-768 and ML-DSA-65 as liboqs 0.13.0 tests/kat_{kem,sig}.c print them.

import { describe, expect, it } from 'vitest';

import { createNobleBackend } from '../backends/noble.ts';
import { toHex } from '../model/bytes.ts';
import type { Backend } from '../model/contract.ts';
import { dsaKatEntry, katCases, KAT_SHA256, kemKatEntry, NistKatDrbg, sha256Hex } from '../harness/suites/kat.ts';

const noble = createNobleBackend();
const ENTROPY = Uint8Array.from({ length: 48 }, (_, i) => i);

describe('NIST KAT DRBG', () => {
  it('gives the well-known first seed of every NIST PQC KAT file', () => {
    // Line 2 of every round-3 / FIPS .rsp file ("seed = 061550…").
    const seed = new NistKatDrbg(ENTROPY).randomBytes(48);
    expect(toHex(seed).toUpperCase()).toBe(
      '061550234D158C5EC95595FE04EF7A25767F2E24CC2BC479D09D86DC9ABCFDE7056A8C266F9EF97ED08541DBD2E1FFA1',
    );
  });

  it('treats each call as one request (an update after each), so call boundaries matter', () => {
    const a = new NistKatDrbg(ENTROPY);
    const b = new NistKatDrbg(ENTROPY);
    const one = a.randomBytes(64);
    const two = Uint8Array.from([...b.randomBytes(32), ...b.randomBytes(32)]);
    expect(toHex(one.subarray(0, 32))).toBe(toHex(two.subarray(0, 32)));
    expect(toHex(one.subarray(32))).not.toBe(toHex(two.subarray(32)));
    expect(a.reseedCounter).toBe(2);
  });

  it('rejects a wrong-length entropy input', () => {
    expect(() => new NistKatDrbg(new Uint8Array(32))).toThrow(/48 bytes/);
  });
});

describe('KAT entries', () => {
  it('ML-KEM-768 count-0 entry hashes to the liboqs/PQClean value on noble', async () => {
    const entry = await kemKatEntry(noble, 'ML-KEM-768');
    expect(entry.split('\n').map((l) => l.split(' = ')[0])).toEqual(['count', 'seed', 'pk', 'sk', 'ct', 'ss', '']);
    expect(sha256Hex(entry)).toBe(KAT_SHA256['ML-KEM-768']);
  });

  it('ML-DSA-65 count-0 entry hashes to the liboqs/PQClean value on noble', async () => {
    const entry = await dsaKatEntry(noble, 'ML-DSA-65');
    expect(entry.split('\n').map((l) => l.split(' = ')[0])).toEqual(['count', 'seed', 'mlen', 'msg', 'pk', 'sk', 'smlen', 'sm', '']);
    expect(entry).toContain('mlen = 33\n');
    expect(entry).toContain(`smlen = ${3309 + 33}\n`);
    expect(sha256Hex(entry)).toBe(KAT_SHA256['ML-DSA-65']);
  });

  it('the nist-kat cases pass on noble', async () => {
    for (const c of katCases()) {
      expect(c.family).toBe('nist-kat');
      expect(await c.run(noble)).toEqual({ status: 'pass', note: expect.stringContaining(KAT_SHA256[c.parameterSet as keyof typeof KAT_SHA256]) });
    }
  });

  it('a backend that signs deterministically (ignores rnd) fails the ML-DSA-65 KAT', async () => {
    const det: Backend = {
      ...noble,
      dsa: { ...noble.dsa!, sign: (ps, sk, msg, ctx) => noble.dsa!.sign(ps, sk, msg, ctx, new Uint8Array(32)) },
    };
    const c = katCases().find((x) => x.parameterSet === 'ML-DSA-65')!;
    const r = await c.run(det);
    expect(r.status).toBe('fail');
    if (r.status === 'fail') {
      expect(r.expected).toEqual({ sha256: KAT_SHA256['ML-DSA-65'] });
      expect(String(r.got?.entry)).toMatch(/^count = 0\nseed = 061550/);
    }
  });
});
