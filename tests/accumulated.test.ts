// The accumulated-digest suite: noble reproduces the final FIPS 203/204 digests;
// a backend whose implicit rejection is off by one byte changes the digest and fails.

import { shake256 } from '@noble/hashes/sha3.js';
import { describe, expect, it } from 'vitest';

import { createNobleBackend } from '../backends/noble.ts';
import type { Case } from '../model/case.ts';
import type { Backend, BackendInfo, KemApi } from '../model/contract.ts';
import { equalBytes } from '../model/bytes.ts';
import { accumulatedCases, accumulatedSuite, checkShakePrefix, KEM_DIGESTS } from '../harness/suites/accumulated.ts';

const noble = createNobleBackend();

function byId(id: string, long = false): Case {
  const c = accumulatedCases({ long }).find((x) => x.id === id);
  if (!c) throw new Error(`no case ${id}`);
  return c;
}

function wrapKem(base: Backend, info: Partial<BackendInfo>, kem: Partial<KemApi>): Backend {
  return { ...base, describe: () => ({ ...base.describe(), ...info }), kem: { ...base.kem!, ...kem } };
}

/** Implicit rejection returns SHAKE256(z‖c) with its first byte flipped; valid ciphertexts are untouched. */
const badRejection = wrapKem(noble, { id: 'mutant-ir' }, {
  async decaps(ps, dk, c) {
    const k = await noble.kem!.decaps(ps, dk, c);
    const j = shake256(Uint8Array.from([...dk.subarray(dk.length - 32), ...c]), { dkLen: 32 });
    if (equalBytes(k, j)) k[0]! ^= 0x01;
    return k;
  },
});

describe('accumulated suite', () => {
  it('is named accumulated and makes one case per (set, count), plus nist-kat', () => {
    expect(accumulatedSuite.name).toBe('accumulated');
    const ids = accumulatedCases({}).map((c) => c.id);
    expect(ids).toContain('accumulated/ML-KEM-accumulated-100/ML-KEM-768');
    expect(ids).toContain('accumulated/ML-KEM-accumulated-10000/ML-KEM-1024');
    expect(ids).toContain('accumulated/ML-DSA-accumulated-10000/ML-DSA-87');
    expect(ids).toContain('accumulated/nist-kat/ML-KEM-768');
    expect(ids.some((i) => i.includes('1000000'))).toBe(false);
    expect(new Set(ids).size).toBe(ids.length);
    const long = accumulatedCases({ long: true });
    expect(long.filter((c) => c.family === 'ML-KEM-accumulated-1000000')).toHaveLength(3);
    expect(long.find((c) => c.family === 'ML-KEM-accumulated-1000000')!.timeoutMs).toBeGreaterThanOrEqual(30 * 60_000);
    for (const c of long) expect(c.suite).toBe('accumulated');
  });

  it('checks the SHAKE-128 empty-input prefix', () => {
    expect(checkShakePrefix()).toBeUndefined();
  });

  it('noble reproduces the ML-KEM-768 100-test digest', async () => {
    const r = await byId('accumulated/ML-KEM-accumulated-100/ML-KEM-768').run(noble);
    expect(r).toEqual({ status: 'pass', note: expect.stringContaining(KEM_DIGESTS[100]!['ML-KEM-768']) });
  });

  it('noble reproduces the ML-DSA-44 100-test digest', async () => {
    const r = await byId('accumulated/ML-DSA-accumulated-100/ML-DSA-44').run(noble);
    expect(r).toEqual({ status: 'pass', note: expect.stringContaining('d51148e1f9f4fa1a723a6cf42e25f2a99eb5c1b378b3d2dbbd561b1203beeae4') });
  });

  it('a one-byte implicit-rejection fault changes the digest and fails, showing both digests', async () => {
    const r = await byId('accumulated/ML-KEM-accumulated-100/ML-KEM-512').run(badRejection);
    expect(r.status).toBe('fail');
    if (r.status !== 'fail') return;
    expect(r.expected).toEqual({ digest: KEM_DIGESTS[100]!['ML-KEM-512'] });
    expect(r.got?.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(r.got?.digest).not.toBe(KEM_DIGESTS[100]!['ML-KEM-512']);
  });

  it('a broken round trip fails at the first test, naming it', async () => {
    const broken = wrapKem(noble, { id: 'mutant-rt' }, {
      async encaps(ps, ek, m) {
        const r = await noble.kem!.encaps(ps, ek, m);
        r.k[31]! ^= 0x80;
        return r;
      },
    });
    const r = await byId('accumulated/ML-KEM-accumulated-100/ML-KEM-512').run(broken);
    expect(r.status).toBe('fail');
    if (r.status === 'fail') expect(r.reason).toMatch(/test 0: Decaps\(dk, c\) differs/);
  });

  it('JS backends skip the 10 000-test variants by default, with a reason, and run them with --long', async () => {
    const r = await byId('accumulated/ML-KEM-accumulated-10000/ML-KEM-768').run(noble);
    expect(r).toEqual({ status: 'skip', reason: expect.stringMatching(/10 000-test digest runs on native backends; noble \(JS\) runs 100 \(use --long to force\)/) });
    const d = await byId('accumulated/ML-DSA-accumulated-10000/ML-DSA-44').run(noble);
    expect(d.status).toBe('skip');
    // A native backend is not skipped: a stub that refuses every call proves the case goes past the policy.
    const stub: Backend = {
      ...noble,
      describe: () => ({ ...noble.describe(), id: 'stub', kind: 'cdylib' }),
      kem: { ...noble.kem!, keygen: async () => { throw new Error('reached'); } },
    };
    await expect(byId('accumulated/ML-KEM-accumulated-10000/ML-KEM-768').run(stub)).rejects.toThrow('reached');
    const longCase = byId('accumulated/ML-KEM-accumulated-10000/ML-KEM-768', true);
    const jsStub: Backend = { ...stub, describe: () => ({ ...noble.describe(), id: 'js-stub', kind: 'js' }) };
    await expect(longCase.run(jsStub)).rejects.toThrow('reached');
  });
});
