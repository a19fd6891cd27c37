// The Go wrappers of the fleet (fleet/go-*, one Go module in fleet/go.mod),
// each run on ACVP ML-KEM-768 / ML-DSA-65 through the runner (see
// tests/fleet-check.ts), and on the Wycheproof ML-DSA-65 files where the
// library has a known defect (docs/findings.md).

import { describe, expect } from 'vitest';
import { brokenCases, checkAcvp, failingIds, itWithWrapper, OUT_OF_RANGE_SK_65 } from './fleet-check.ts';

const KEM_ACVP = ['kem.keygen', 'kem.encaps', 'kem.decaps', 'kem.checkEncapsKey', 'kem.checkDecapsKey'].map((op) => `ML-KEM-768 ${op}`);
const KEM_ALL = ['kem.keygen', 'kem.encaps', 'kem.decaps', 'kem.checkEncapsKey', 'kem.checkDecapsKey', 'kem.keygenRandom', 'kem.encapsRandom'] as const;
const dsa = (...ops: string[]) => ops.map((op) => `ML-DSA-65 dsa.${op}`);

describe('fleet: Go wrappers', () => {
  checkAcvp({
    name: 'go-stdlib',
    params: ['ML-KEM-768'],
    // Seed-only decapsulation keys: no keyGen answer, no dk import (fleet/go-stdlib/README.md).
    ops: ['ML-KEM-768 kem.encaps', 'ML-KEM-768 kem.checkEncapsKey'],
    declares: ['kem.encaps', 'kem.checkEncapsKey', 'kem.encapsRandom'],
  });
  checkAcvp({
    name: 'go-circl',
    params: ['ML-KEM-768', 'ML-DSA-65'],
    ops: [...KEM_ACVP, ...dsa('keygen', 'sign', 'verify')],
    declares: [...KEM_ALL, 'dsa.keygen', 'dsa.sign', 'dsa.verify', 'dsa.keygenRandom'],
    // SignTo takes no rnd: hedged groups are skipped for that reason, deterministic ones run.
    allowedSkip: /never with a given rnd/,
  });
  checkAcvp({
    name: 'go-filippo-mldsa',
    params: ['ML-DSA-65'],
    // Seed-only private keys: verification is all the contract can drive (fleet/go-filippo-mldsa/README.md).
    ops: dsa('verify'),
    declares: ['dsa.verify'],
  });
  checkAcvp({
    name: 'go-trailofbits-mldsa',
    params: ['ML-DSA-65'],
    ops: dsa('keygen', 'sign', 'verify'),
    declares: ['dsa.keygen', 'dsa.sign', 'dsa.verify', 'dsa.keygenRandom'],
  });

  // CIRCL v1.6.5 unpacks an expanded private key without a range check and signs with it.
  itWithWrapper('go-circl: Wycheproof ML-DSA-65 fails exactly the out-of-range private keys', 'go-circl', ['wycheproof'], ['ML-DSA-65'], (r) => {
    expect(brokenCases(r)).toEqual([]);
    expect(failingIds(r)).toEqual(OUT_OF_RANGE_SK_65());
  });

  // trailofbits/ml-dsa v0.1.0 tests ‖z‖∞ <= γ1 − β where FIPS 204 Algorithm 8 requires <.
  itWithWrapper('go-trailofbits-mldsa: Wycheproof ML-DSA-65 fails exactly the ‖z‖∞ = γ1 − β signature', 'go-trailofbits-mldsa', ['wycheproof'], ['ML-DSA-65'], (r) => {
    expect(brokenCases(r)).toEqual([]);
    expect(failingIds(r)).toEqual(['wycheproof/mldsa_65_verify/tc139']);
    expect(r.cases.find((c) => c.id === 'wycheproof/mldsa_65_verify/tc139')).toMatchObject({ bugClass: 'verify/z-norm', severity: 'high' });
  });
});
