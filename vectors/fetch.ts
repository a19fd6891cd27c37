// `pqc-harness vectors fetch`: download pinned files from their upstream
// repositories into the local cache, verifying each before it is kept.

import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { contentHash, manifest, type ManifestEntry } from './manifest.ts';
import { cacheDir, locate, sha256Hex, VectorHashError } from './store.ts';
import { env } from '../model/config.ts';

export const DEFAULT_BASE_URL = 'https://raw.githubusercontent.com';

export function fetchUrl(e: ManifestEntry & { fetch: NonNullable<ManifestEntry['fetch']> }, baseUrl: string): string {
  return `${baseUrl.replace(/\/$/, '')}/${e.fetch.repo}/${e.fetch.commit}/${e.fetch.path}`;
}

export interface FetchReport {
  file: string;
  status: 'present' | 'fetched' | 'failed' | 'not-fetchable';
  detail?: string;
}

/**
 * Fetch every manifest file not already found in a root. The content is
 * verified against the manifest pin (decompressed content for gzipped files)
 * and stored decompressed in the cache; nothing unverified is ever written
 * under its final name.
 */
export async function fetchVectors(opts: { baseUrl?: string; force?: boolean; log?: (s: string) => void } = {}): Promise<FetchReport[]> {
  const base = opts.baseUrl ?? env('PQC_VECTORS_BASE_URL') ?? DEFAULT_BASE_URL;
  const out: FetchReport[] = [];
  for (const e of manifest()) {
    if (!opts.force && locate(e.file)) {
      out.push({ file: e.file, status: 'present' });
      continue;
    }
    if (!e.fetch) {
      out.push({ file: e.file, status: 'not-fetchable', detail: e.fetchNote });
      continue;
    }
    const url = fetchUrl({ ...e, fetch: e.fetch }, base);
    try {
      const res = await fetch(url);
      if (!res.ok) throw new Error(`HTTP ${res.status} for ${url}`);
      const body = new Uint8Array(await res.arrayBuffer());
      const content = e.fetch.gzip ? gunzipSync(body) : body;
      const actual = sha256Hex(content);
      if (actual !== contentHash(e)) throw new VectorHashError(url, contentHash(e), actual);
      const dest = join(cacheDir(), e.gzip && e.file.endsWith('.gz') ? e.file.slice(0, -3) : e.file);
      mkdirSync(dirname(dest), { recursive: true });
      writeFileSync(`${dest}.part`, content);
      renameSync(`${dest}.part`, dest);
      out.push({ file: e.file, status: 'fetched', detail: dest });
      opts.log?.(`fetched ${e.file}`);
    } catch (err) {
      out.push({ file: e.file, status: 'failed', detail: (err as Error).message });
      opts.log?.(`FAILED ${e.file}: ${(err as Error).message}`);
    }
  }
  return out;
}
