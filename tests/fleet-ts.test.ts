// The TypeScript wrapper of the fleet (fleet/ts-mlkem/, npm `mlkem`), built by
// its build.sh and run on ACVP ML-KEM-768 (see tests/fleet-check.ts).

import { describe } from 'vitest';
import { checkAcvp } from './fleet-check.ts';

describe('fleet: TypeScript wrappers', () => {
  checkAcvp({
    name: 'ts-mlkem',
    // ML-KEM only: no ML-DSA set to run.
    params: ['ML-KEM-768'],
    ops: ['kem.keygen', 'kem.encaps', 'kem.decaps', 'kem.checkEncapsKey'].map((op) => `ML-KEM-768 ${op}`),
  });
});
