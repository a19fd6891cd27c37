// The Go wrappers of the fleet (fleet/go-*, one Go module in fleet/go.mod),
// each run on ACVP ML-KEM-768 / ML-DSA-65 through the runner. Thresholds are
// the ACVP-Server file counts for the operations each library's API expresses:
// ML-KEM-768 keyGen 25, encapsulation 50, decapsulation 20 (+10 seed-format),
// encapsulation-key check 20, decapsulation-key check 20; ML-DSA-65 keyGen 25,
// pure sigGen 90 (half deterministic), pure sigVer 15.

import { describeFleetWrapper } from './fleet-wrapper.ts';

const KEM_ALL = ['kem.keygen', 'kem.encaps', 'kem.decaps', 'kem.checkEncapsKey', 'kem.checkDecapsKey', 'kem.keygenRandom', 'kem.encapsRandom'] as const;

describeFleetWrapper({
  name: 'go-stdlib',
  params: ['ML-KEM-768'],
  // Seed-only decapsulation keys: no keyGen answer, no dk import (fleet/go-stdlib/README.md).
  ops: ['kem.encaps', 'kem.checkEncapsKey', 'kem.encapsRandom'],
  minRan: 50 + 20,
});

describeFleetWrapper({
  name: 'go-circl',
  params: ['ML-KEM-768', 'ML-DSA-65'],
  ops: [...KEM_ALL, 'dsa.keygen', 'dsa.sign', 'dsa.verify', 'dsa.keygenRandom'],
  // SignTo takes no rnd: hedged groups are skipped for that reason, deterministic ones run.
  limits: /never with a given rnd/,
  minRan: 25 + 50 + 20 + 10 + 20 + 20 + 25 + 90 / 2 + 15,
});

describeFleetWrapper({
  name: 'go-filippo-mldsa',
  params: ['ML-DSA-65'],
  // Seed-only private keys: verification is all the contract can drive (fleet/go-filippo-mldsa/README.md).
  ops: ['dsa.verify'],
  minRan: 15,
});

describeFleetWrapper({
  name: 'go-trailofbits-mldsa',
  params: ['ML-DSA-65'],
  ops: ['dsa.keygen', 'dsa.sign', 'dsa.verify', 'dsa.keygenRandom'],
  minRan: 25 + 90 + 15,
});
