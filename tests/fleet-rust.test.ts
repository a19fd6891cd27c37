// The Rust wrappers of the fleet (fleet/rust-*/, one cargo workspace in
// fleet/rust/): each is built by its build.sh and run on ACVP ML-KEM-768 +
// ML-DSA-65 (see tests/fleet-check.ts for what is asserted), and on the
// Wycheproof ML-DSA-65 files where the library has a known defect.

import { readFileSync } from 'node:fs';
import { describe, expect } from 'vitest';
import { brokenCases, checkAcvp, failingIds, itWithWrapper, OUT_OF_RANGE_SK_65, wycheproofIds } from './fleet-check.ts';

const KEM_ALL = ['kem.keygen', 'kem.encaps', 'kem.decaps', 'kem.checkEncapsKey', 'kem.checkDecapsKey'].map((op) => `ML-KEM-768 ${op}`);
const dsa = (...ops: string[]) => ops.map((op) => `ML-DSA-65 dsa.${op}`);

/** pqcrypto-mldsa picks PQClean's avx2 code at run time when the CPU has AVX2. */
const HAS_AVX2 = /\bavx2\b/.test(readFileSync('/proc/cpuinfo', 'utf8'));

describe('fleet: Rust wrappers', () => {
  checkAcvp({
    name: 'rust-libcrux',
    params: ['ML-KEM-768', 'ML-DSA-65'],
    ops: [...KEM_ALL, ...dsa('keygen', 'sign', 'signInternal', 'signPreHash', 'verify', 'verifyInternal', 'verifyPreHash')],
    allowedSkip: /offers HashML-DSA with SHAKE-128 only/,
  });
  checkAcvp({
    name: 'rust-fips',
    params: ['ML-KEM-768', 'ML-DSA-65'],
    ops: [...KEM_ALL, ...dsa('keygen', 'sign', 'signInternal', 'signMu', 'signPreHash', 'verify', 'verifyInternal', 'verifyMu', 'verifyPreHash')],
  });
  checkAcvp({
    name: 'rust-pqcrypto',
    params: ['ML-KEM-768', 'ML-DSA-65'],
    ops: ['ML-KEM-768 kem.decaps', ...dsa('verify')],
    // The -tr1 decapsulations give the key as a seed: they need kem.keygen, which PQClean cannot do from a seed.
    allowedSkip: /does not offer kem\.keygen/,
  });

  // libcrux-ml-dsa 0.0.11 signs with an expanded private key whose s1 or s2 is out of range.
  itWithWrapper('rust-libcrux: Wycheproof ML-DSA-65 fails exactly the out-of-range private keys', 'rust-libcrux', ['wycheproof'], ['ML-DSA-65'], (r) => {
    expect(brokenCases(r)).toEqual([]);
    expect(failingIds(r)).toEqual(OUT_OF_RANGE_SK_65());
  });

  // PQClean's avx2 ML-DSA verify (pqcrypto-mldsa 0.1.2) lacks the ‖z‖∞ < γ1 − β check and
  // rejects the valid boundary signature under an all-zero public key; its clean code does neither.
  // A z beyond the bound usually changes w1 too, so only some of the flagged signatures get through:
  // every failure must be one of the flagged cases, and on AVX2 there are many.
  itWithWrapper('rust-pqcrypto: Wycheproof ML-DSA-65 verify fails only by the avx2 norm-check defect', 'rust-pqcrypto', ['wycheproof'], ['ML-DSA-65'], (r) => {
    expect(brokenCases(r)).toEqual([]);
    const defect = new Set(wycheproofIds('mldsa_65_verify', (f) => f.includes('InfinityNormViolation') || (f.includes('ZeroPublicKey') && f.includes('ValidSignature'))));
    const failing = failingIds(r);
    expect(failing.filter((id) => !defect.has(id))).toEqual([]);
    if (HAS_AVX2) expect(failing.length).toBeGreaterThan(30);
    else expect(failing).toEqual([]);
  });
});
