// The manifest of upstream vector sources (vectors/manifest.json): facts only.

import { readFileSync } from 'node:fs';
import { packagePath } from '../model/package.ts';

export interface ManifestEntry {
  /** Path relative to the vectors root. */
  file: string;
  source: string;
  repo: string;
  commit: string;
  /** Path in the upstream repository. */
  path: string;
  /** SHA-256 of the file as stored under `file`. */
  sha256: string;
  /** The stored file is gzip-compressed. */
  gzip: boolean;
  /** SHA-256 of the decompressed content (gzipped files only). */
  contentSha256?: string;
  /** Size of the content in bytes (decompressed, for a gzipped file): the most `vectors fetch` accepts. */
  bytes: number;
  /** Where `vectors fetch` downloads it from (a mirror for the ACVP files); null for a derived excerpt. */
  fetch: { repo: string; commit: string; path: string; gzip: boolean } | null;
  fetchNote?: string;
  tests?: number;
}

interface ManifestFile {
  schema: 'pqc-harness/vector-manifest@1';
  files: ManifestEntry[];
}

let cached: ManifestEntry[] | undefined;

export function manifest(): ManifestEntry[] {
  if (!cached) {
    const path = packagePath('vectors/manifest.json');
    const m = JSON.parse(readFileSync(path, 'utf8')) as ManifestFile;
    if (m.schema !== 'pqc-harness/vector-manifest@1') throw new Error(`${path}: unexpected schema ${String(m.schema)}`);
    cached = m.files;
  }
  return cached;
}

export function manifestEntry(file: string): ManifestEntry {
  const e = manifest().find((m) => m.file === file);
  if (!e) throw new Error(`vector file ${file} is not in vectors/manifest.json: the harness reads only pinned files`);
  return e;
}

/** The SHA-256 the decompressed content must have. */
export function contentHash(e: ManifestEntry): string {
  return e.gzip ? e.contentSha256! : e.sha256;
}
