// Where the installed @noble/post-quantum is, found without loading it (its
// exports map hides package.json): noble.ts reads its version there, and
// `run --coverage` counts the files in that folder as noble's own.

import { createRequire } from 'node:module';
import { dirname } from 'node:path';

export function noblePackageDir(): string {
  return dirname(createRequire(import.meta.url).resolve('@noble/post-quantum/ml-kem.js'));
}
