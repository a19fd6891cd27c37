// The Python wrappers of the fleet (fleet/py-*/, shared framing in
// fleet/python/): each is built by its build.sh and run on ACVP (see
// tests/fleet-check.ts for what is asserted); dilithium-py also on the
// Wycheproof ML-DSA-65 files, where it has a known defect.

import { describe, expect } from 'vitest';
import { brokenCases, checkAcvp, failingIds, itWithWrapper, OUT_OF_RANGE_SK_65 } from './fleet-check.ts';

describe('fleet: Python wrappers', () => {
  checkAcvp({
    name: 'py-cryptography',
    params: ['ML-KEM-768', 'ML-DSA-65'],
    // Private keys cross its API as seeds only: what is left is the key check and verification.
    ops: ['ML-KEM-768 kem.checkEncapsKey', 'ML-DSA-65 dsa.verify', 'ML-DSA-65 dsa.verifyMu'],
    // Internal and pre-hash verification: μ computed by the harness, verified by its verifyMu.
    derived: ['ML-DSA-65 dsa.verifyInternal', 'ML-DSA-65 dsa.verifyPreHash'],
  });
  checkAcvp({
    name: 'py-kyber',
    params: ['ML-KEM-768'],
    ops: ['kem.keygen', 'kem.encaps', 'kem.decaps', 'kem.checkEncapsKey', 'kem.checkDecapsKey'].map((op) => `ML-KEM-768 ${op}`),
  });
  checkAcvp({
    name: 'py-dilithium',
    params: ['ML-DSA-65'],
    ops: ['keygen', 'sign', 'signInternal', 'signMu', 'signPreHash', 'verify', 'verifyInternal', 'verifyPreHash'].map((op) => `ML-DSA-65 dsa.${op}`),
    // Its pure and pre-hash signing take no rnd (deterministic only), and it pre-hashes with three functions.
    allowedSkip: /takes no rnd|offers SHA2-256, SHA2-512 and SHAKE-128/,
  });

  // dilithium-py 1.5.1 signs with an expanded private key whose s1 or s2 is out of range.
  itWithWrapper('py-dilithium: Wycheproof ML-DSA-65 fails exactly the out-of-range private keys', 'py-dilithium', ['wycheproof'], ['ML-DSA-65'], (r) => {
    expect(brokenCases(r)).toEqual([]);
    expect(failingIds(r)).toEqual(OUT_OF_RANGE_SK_65());
  });
});
