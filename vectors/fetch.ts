// `pqc-harness vectors fetch`: download pinned files from their upstream
// repositories into the local cache, verifying each before it is kept.
//
// A download is bounded in size and in time: no more bytes than the manifest
// says the content has (a gzipped download: that plus deflate's worst-case
// overhead; its decompression stops at the content's size), no more than
// FETCH_LIMITS.idleMs without a byte and FETCH_LIMITS.totalMs in all. Every
// error names the URL and the cause.

import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { contentHash, manifest, type ManifestEntry } from './manifest.ts';
import { cacheDir, locate, sha256Hex, VectorHashError } from './store.ts';
import { env } from '../model/config.ts';

export const DEFAULT_BASE_URL = 'https://raw.githubusercontent.com';

export interface FetchLimits {
  /** Longest wait for the response or for the next bytes of the body. */
  idleMs: number;
  /** Longest time for one file, from the request to the last byte. */
  totalMs: number;
}

export const FETCH_LIMITS: FetchLimits = { idleMs: 30_000, totalMs: 10 * 60_000 };

type Fetchable = ManifestEntry & { fetch: NonNullable<ManifestEntry['fetch']> };

export function fetchUrl(e: Fetchable, baseUrl: string): string {
  return `${baseUrl.replace(/\/$/, '')}/${e.fetch.repo}/${e.fetch.commit}/${e.fetch.path}`;
}

/** Most bytes a download of `e` may have: the content, or for gzip the content plus deflate's worst-case growth and the header. */
export function maxDownload(e: Fetchable): number {
  return e.fetch.gzip ? e.bytes + Math.ceil(e.bytes / 1000) + 1024 : e.bytes;
}

/** A download that failed: the message names the URL and the cause. */
export class FetchError extends Error {
  override name = 'FetchError';
}

/** The cause of a failed fetch() in words: undici says only "fetch failed" and puts the reason in `cause`. */
function causeOf(e: unknown): string {
  const err = e as { message?: string; cause?: { message?: string; code?: string } } | null;
  const cause = err?.cause?.message ?? err?.cause?.code;
  return `${err?.message ?? String(e)}${cause && cause !== err?.message ? ` (${cause})` : ''}`;
}

/** GET `url` into memory, at most `max` bytes, within the limits. */
async function download(url: string, max: number, limits: FetchLimits): Promise<Uint8Array> {
  const ctrl = new AbortController();
  const stop = (why: string) => ctrl.abort(new FetchError(`${url}: ${why}`));
  const total = setTimeout(() => stop(`not complete within ${limits.totalMs} ms`), limits.totalMs);
  let idle: NodeJS.Timeout | undefined;
  const waitFor = (what: string) => {
    clearTimeout(idle);
    idle = setTimeout(() => stop(`no ${what} for ${limits.idleMs} ms`), limits.idleMs);
  };
  try {
    waitFor('response');
    const res = await fetch(url, { signal: ctrl.signal });
    if (!res.ok) throw new FetchError(`${url}: HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`);
    const announced = Number(res.headers.get('content-length') ?? NaN);
    if (announced > max) throw new FetchError(`${url}: the server announces ${announced} bytes; the pinned file needs at most ${max}`);
    if (!res.body) throw new FetchError(`${url}: the response has no body`);
    const reader = res.body.getReader();
    const chunks: Uint8Array[] = [];
    let n = 0;
    for (;;) {
      waitFor('data');
      const { done, value } = await reader.read();
      if (done) break;
      n += value.length;
      if (n > max) {
        await reader.cancel().catch(() => undefined);
        throw new FetchError(`${url}: the body is longer than the ${max} bytes the pinned file needs; stopped reading`);
      }
      chunks.push(value);
    }
    return Buffer.concat(chunks, n);
  } catch (e) {
    if (ctrl.signal.aborted) throw ctrl.signal.reason as Error;
    if (e instanceof FetchError) throw e;
    throw new FetchError(`${url}: ${causeOf(e)}`);
  } finally {
    clearTimeout(total);
    clearTimeout(idle);
  }
}

/** Download one pinned file, verify it and store it decompressed in the cache; returns where. */
export async function fetchFile(e: Fetchable, baseUrl: string, limits: FetchLimits = FETCH_LIMITS): Promise<string> {
  const url = fetchUrl(e, baseUrl);
  const body = await download(url, maxDownload(e), limits);
  let content: Uint8Array = body;
  if (e.fetch.gzip) {
    try {
      content = gunzipSync(body, { maxOutputLength: e.bytes });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new FetchError(`${url}: ${code === 'ERR_BUFFER_TOO_LARGE' ? `decompresses to more than the ${e.bytes} bytes of the pinned file; stopped` : `not valid gzip (${(err as Error).message})`}`);
    }
  }
  const actual = sha256Hex(content);
  if (actual !== contentHash(e)) throw new VectorHashError(url, contentHash(e), actual);
  const dest = join(cacheDir(), e.gzip && e.file.endsWith('.gz') ? e.file.slice(0, -3) : e.file);
  mkdirSync(dirname(dest), { recursive: true });
  writeFileSync(`${dest}.part`, content);
  renameSync(`${dest}.part`, dest);
  return dest;
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
export async function fetchVectors(opts: { baseUrl?: string; force?: boolean; log?: (s: string) => void; limits?: FetchLimits } = {}): Promise<FetchReport[]> {
  const base = opts.baseUrl ?? env('PQC_VECTORS_BASE_URL') ?? DEFAULT_BASE_URL;
  const out: FetchReport[] = [];
  const failed = (file: string, err: unknown) => {
    out.push({ file, status: 'failed', detail: (err as Error).message });
    opts.log?.(`FAILED ${file}: ${(err as Error).message}`);
  };
  for (const e of manifest()) {
    let found: string | undefined;
    try {
      found = opts.force ? undefined : locate(e.file);
    } catch (err) {
      // A broken link where the file should be: fetching would hide it behind a cached copy.
      failed(e.file, err);
      continue;
    }
    if (found) {
      out.push({ file: e.file, status: 'present' });
      continue;
    }
    if (!e.fetch) {
      out.push({ file: e.file, status: 'not-fetchable', detail: e.fetchNote });
      continue;
    }
    try {
      const dest = await fetchFile({ ...e, fetch: e.fetch }, base, opts.limits);
      out.push({ file: e.file, status: 'fetched', detail: dest });
      opts.log?.(`fetched ${e.file}`);
    } catch (err) {
      failed(e.file, err);
    }
  }
  return out;
}
