// What a native backend loaded, as describe() reports it: the resolved path
// and the SHA-256 of the file, so a report names the exact binary under test.

import { createHash } from 'node:crypto';
import { readFileSync, realpathSync } from 'node:fs';

export function libraryIdentity(path: string): { path: string; sha256: string } {
  const real = realpathSync(path);
  return { path: real, sha256: createHash('sha256').update(readFileSync(real)).digest('hex') };
}
