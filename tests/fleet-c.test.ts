// The C wrapper of the fleet (fleet/c-liboqs-ref/: liboqs 0.13.0 built with
// its reference code only), built by its build.sh and run on ACVP ML-KEM-768 +
// ML-DSA-65 (see tests/fleet-check.ts), and on Wycheproof ML-DSA-65: the
// reference verify has the ‖z‖∞ check that the AVX2 build lacks
// (baselines/liboqs-0.13.0.json), so only the signer's defect is left.

import { describe, expect } from 'vitest';
import { brokenCases, checkAcvp, failingIds, itWithWrapper, OUT_OF_RANGE_SK_65 } from './fleet-check.ts';

describe('fleet: C wrappers', () => {
  checkAcvp({
    name: 'c-liboqs-ref',
    params: ['ML-KEM-768', 'ML-DSA-65'],
    ops: ['ML-KEM-768 kem.keygen', 'ML-KEM-768 kem.encaps', 'ML-KEM-768 kem.decaps', 'ML-DSA-65 dsa.keygen', 'ML-DSA-65 dsa.sign', 'ML-DSA-65 dsa.verify'],
  });

  itWithWrapper('c-liboqs-ref: Wycheproof ML-DSA-65 verify passes; only out-of-range private keys are signed', 'c-liboqs-ref', ['wycheproof'], ['ML-DSA-65'], (r) => {
    expect(brokenCases(r)).toEqual([]);
    expect(r.cases.filter((c) => c.family === 'mldsa_65_verify' && c.status === 'pass').length).toBeGreaterThan(200);
    expect(failingIds(r)).toEqual(OUT_OF_RANGE_SK_65());
  });
});
