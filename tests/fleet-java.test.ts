// The Java wrappers of the fleet (fleet/java-*, Maven), each run on ACVP
// ML-KEM-768 / ML-DSA-65 through the runner (see tests/fleet-check.ts), and
// on the Wycheproof ML-DSA-65 files, where both sign with out-of-range
// private keys (docs/findings.md).

import { describe, expect } from 'vitest';
import { brokenCases, checkAcvp, failingIds, itWithWrapper, OUT_OF_RANGE_SK_65 } from './fleet-check.ts';

const KEM_ACVP = ['kem.keygen', 'kem.encaps', 'kem.decaps', 'kem.checkEncapsKey', 'kem.checkDecapsKey'].map((op) => `ML-KEM-768 ${op}`);
const KEM_ALL = ['kem.keygen', 'kem.encaps', 'kem.decaps', 'kem.checkEncapsKey', 'kem.checkDecapsKey', 'kem.keygenRandom', 'kem.encapsRandom'] as const;
const dsa = (...ops: string[]) => ops.map((op) => `ML-DSA-65 dsa.${op}`);

describe('fleet: Java wrappers', () => {
  checkAcvp({
    name: 'java-bouncycastle',
    params: ['ML-KEM-768', 'ML-DSA-65'],
    ops: [...KEM_ACVP, ...dsa('keygen', 'sign', 'signInternal', 'signMu', 'signPreHash', 'verify', 'verifyInternal', 'verifyMu', 'verifyPreHash')],
    declares: [...KEM_ALL, 'dsa.keygen', 'dsa.keygenRandom', 'dsa.sign', 'dsa.signInternal', 'dsa.signMu', 'dsa.signPreHash', 'dsa.verify', 'dsa.verifyInternal', 'dsa.verifyMu', 'dsa.verifyPreHash'],
    // HashMLDSASigner's only digest is SHA-512: the other eleven pre-hashes are skipped for that reason.
    allowedSkip: /pre-hashes with SHA2-512 only/,
  });
  checkAcvp({
    name: 'java-jdk',
    params: ['ML-KEM-768', 'ML-DSA-65'],
    ops: [...KEM_ACVP, ...dsa('keygen', 'sign', 'verify')],
    declares: [...KEM_ALL, 'dsa.keygen', 'dsa.keygenRandom', 'dsa.sign', 'dsa.verify'],
    // The JCA Signature takes no context: only ACVP's few empty-context tests sign or verify.
    allowedSkip: /takes no context string/,
  });

  for (const name of ['java-bouncycastle', 'java-jdk']) {
    itWithWrapper(`${name}: Wycheproof ML-DSA-65 fails exactly the out-of-range private keys`, name, ['wycheproof'], ['ML-DSA-65'], (r) => {
      expect(brokenCases(r)).toEqual([]);
      expect(failingIds(r)).toEqual(OUT_OF_RANGE_SK_65());
    });
  }
});
