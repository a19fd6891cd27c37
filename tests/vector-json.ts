// Tests that check a backend straight against the vector files (without the
// suites' loaders, on purpose) still find each file where the harness does:
// $PQC_VECTORS_DIR, ../shared/vectors, or the cache `vectors fetch` fills,
// verified against its pin and decompressed.

import { readVector } from '../vectors/store.ts';

export function readVectorJson<T>(file: string): T {
  return JSON.parse(readVector(file).content.toString('utf8')) as T;
}
