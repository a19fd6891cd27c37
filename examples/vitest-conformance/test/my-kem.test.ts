// Your own implementation, imported as the backend object it exports: vitest
// loads the TypeScript, and in watch mode an edit of my-kem.ts reruns these
// cases with the new code. (`backend: 'module:./my-kem.ts'` runs the same
// cases, but vitest does not see that file as this test's dependency.)
import { conformance } from 'pqc-harness/vitest';
import myKem from '../my-kem.ts';

conformance({ backend: myKem, suites: ['acvp'], params: ['ML-KEM-768'] });
