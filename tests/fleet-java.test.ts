// The Java wrappers of the fleet (fleet/java-*, Maven), each run on ACVP
// ML-KEM-768 / ML-DSA-65 through the runner. Thresholds are the ACVP-Server
// file counts for the operations each library's API expresses: ML-KEM-768
// keyGen 25, encapsulation 50, decapsulation 20 (+10 seed-format), key checks
// 20 + 20; ML-DSA-65 keyGen 25, sigGen 90 per interface (pure, internal, mu),
// sigVer 15 per interface.

import { describeFleetWrapper } from './fleet-wrapper.ts';

const KEM_ALL = ['kem.keygen', 'kem.encaps', 'kem.decaps', 'kem.checkEncapsKey', 'kem.checkDecapsKey', 'kem.keygenRandom', 'kem.encapsRandom'] as const;
const KEM_ACVP = 25 + 50 + 20 + 10 + 20 + 20;

describeFleetWrapper({
  name: 'java-bouncycastle',
  params: ['ML-KEM-768', 'ML-DSA-65'],
  ops: [...KEM_ALL, 'dsa.keygen', 'dsa.keygenRandom', 'dsa.sign', 'dsa.signInternal', 'dsa.signMu', 'dsa.signPreHash', 'dsa.verify', 'dsa.verifyInternal', 'dsa.verifyMu', 'dsa.verifyPreHash'],
  // HashMLDSASigner's only digest is SHA-512: the other eleven pre-hashes are skipped for that reason.
  limits: /pre-hashes with SHA2-512 only/,
  // Pre-hash groups are left out of the count: how many use SHA2-512 depends on the file's draw.
  minRan: KEM_ACVP + 25 + 3 * 90 + 3 * 15,
});

describeFleetWrapper({
  name: 'java-jdk',
  params: ['ML-KEM-768', 'ML-DSA-65'],
  ops: [...KEM_ALL, 'dsa.keygen', 'dsa.keygenRandom', 'dsa.sign', 'dsa.verify'],
  // The JCA Signature takes no context: only ACVP's few empty-context tests sign or verify.
  limits: /takes no context string/,
  minRan: KEM_ACVP + 25,
});
