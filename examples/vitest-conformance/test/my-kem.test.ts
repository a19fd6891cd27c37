// Your own implementation, as a module backend (vitest loads the TypeScript).
import { conformance } from 'pqc-harness/vitest';

conformance({ backend: 'module:./my-kem.ts', suites: ['acvp'], params: ['ML-KEM-768'] });
