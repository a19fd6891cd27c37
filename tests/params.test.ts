import { describe, expect, it } from 'vitest';
import { DSA, DSA_PARAMS, HASH_ALGS, KEM, KEM_PARAMS, isParamSet } from '../model/params.ts';

// Sizes recomputed from the FIPS formulas, independently of the table.
describe('parameter table', () => {
  const kemParams = { 'ML-KEM-512': { k: 2, du: 10, dv: 4 }, 'ML-KEM-768': { k: 3, du: 10, dv: 4 }, 'ML-KEM-1024': { k: 4, du: 11, dv: 5 } } as const;
  it.each(KEM_PARAMS)('%s sizes follow FIPS 203 §8', (ps) => {
    const { k, du, dv } = kemParams[ps];
    expect(KEM[ps].ek).toBe(384 * k + 32);
    expect(KEM[ps].dk).toBe(768 * k + 96);
    expect(KEM[ps].c).toBe(32 * (du * k + dv));
    expect(KEM[ps].k).toBe(k);
  });

  const dsaParams = {
    'ML-DSA-44': { k: 4, l: 4, eta: 2, gamma1Bits: 17, omega: 80, lambda: 128 },
    'ML-DSA-65': { k: 6, l: 5, eta: 4, gamma1Bits: 19, omega: 55, lambda: 192 },
    'ML-DSA-87': { k: 8, l: 7, eta: 2, gamma1Bits: 19, omega: 75, lambda: 256 },
  } as const;
  it.each(DSA_PARAMS)('%s sizes follow FIPS 204 §7.2', (ps) => {
    const { k, l, eta, gamma1Bits, omega, lambda } = dsaParams[ps];
    const etaBits = eta === 2 ? 3 : 4;
    expect(DSA[ps].pk).toBe(32 + 32 * k * 10);
    expect(DSA[ps].sk).toBe(32 + 32 + 64 + 32 * ((k + l) * etaBits + 13 * k));
    expect(DSA[ps].sig).toBe(lambda / 4 + 32 * l * (gamma1Bits + 1) + omega + k);
    expect(DSA[ps].lambda).toBe(lambda);
    expect(DSA[ps].hint).toBe(omega + k);
  });

  it('pre-hash OIDs are the NIST hashAlgs arc and digest lengths match the names', () => {
    for (const [name, h] of Object.entries(HASH_ALGS)) {
      expect(h.oid.toLowerCase().startsWith('06096086480165030402')).toBe(true);
      const bits = /(\d+)$/.exec(name)![1]!;
      const expectedLen = name === 'SHAKE-128' ? 32 : name === 'SHAKE-256' ? 64 : Number(bits) / 8;
      expect(h.outLen, name).toBe(expectedLen);
    }
  });

  it('recognises parameter-set names', () => {
    expect(isParamSet('ML-KEM-768')).toBe(true);
    expect(isParamSet('ML-DSA-65')).toBe(true);
    expect(isParamSet('ML-KEM-769')).toBe(false);
    expect(isParamSet('toString')).toBe(false);
  });
});
