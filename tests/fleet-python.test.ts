// The Python wrapper of the fleet (fleet/py-cryptography/, PyPI `cryptography`
// with its bundled OpenSSL), built by its build.sh and run on ACVP ML-KEM-768 +
// ML-DSA-65 (see tests/fleet-wrapper.ts).

import { describe } from 'vitest';
import { checkAcvp } from './fleet-wrapper.ts';

describe('fleet: Python wrappers', () => {
  checkAcvp({
    name: 'py-cryptography',
    params: ['ML-KEM-768', 'ML-DSA-65'],
    // Private keys cross its API as seeds only: what is left is the key check and verification.
    ops: ['ML-KEM-768 kem.checkEncapsKey', 'ML-DSA-65 dsa.verify', 'ML-DSA-65 dsa.verifyMu'],
  });
});
