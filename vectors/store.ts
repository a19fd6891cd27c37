// Finding and reading pinned vector files. Every file is checked against its
// SHA-256 before a byte of it is used; a mismatch names the file and both hashes.
// Also reading a JSON file the user names (an ACVP prompt or response): no pin.
//
// Roots, in order: $PQC_VECTORS_DIR, ../shared/vectors beside the checkout,
// then the local cache that `pqc-harness vectors fetch` fills.

import { createHash } from 'node:crypto';
import { lstatSync, readlinkSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { contentHash, manifestEntry, type ManifestEntry } from './manifest.ts';
import { env } from '../model/config.ts';
import { readRegularFile } from '../model/files.ts';
import { PACKAGE_ROOT } from '../model/package.ts';

export interface VectorRoot {
  dir: string;
  origin: 'PQC_VECTORS_DIR' | 'shared' | 'cache';
}

export function cacheDir(): string {
  return env('PQC_VECTORS_CACHE') ?? join(PACKAGE_ROOT, '.cache', 'vectors');
}

export function vectorRoots(): VectorRoot[] {
  const roots: VectorRoot[] = [];
  const given = env('PQC_VECTORS_DIR');
  if (given) roots.push({ dir: resolve(given), origin: 'PQC_VECTORS_DIR' });
  roots.push({ dir: resolve(PACKAGE_ROOT, '..', 'shared', 'vectors'), origin: 'shared' });
  roots.push({ dir: cacheDir(), origin: 'cache' });
  return roots;
}

export class VectorMissingError extends Error {
  override name = 'VectorMissingError';
}

export class VectorHashError extends Error {
  override name = 'VectorHashError';
  constructor(readonly path: string, readonly expected: string, readonly actual: string) {
    super(`${path}: SHA-256 mismatch: expected ${expected}, got ${actual}`);
  }
}

/** Candidate names in one root: as stored, or decompressed by `vectors fetch`. */
function candidates(root: string, e: ManifestEntry): string[] {
  const p = join(root, e.file);
  return e.gzip && e.file.endsWith('.gz') ? [p, p.slice(0, -3)] : [p];
}

/**
 * Whether something is at `p`. A symbolic link that leads nowhere is an error
 * naming it, not a missing file: falling back to another root's copy would
 * test other vectors than the ones the user pointed at.
 */
function present(p: string): boolean {
  let link: boolean;
  try {
    link = lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
  try {
    statSync(p);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const what = link ? `a symbolic link to ${readlinkSync(p)} that cannot be followed (${code})` : `there but cannot be reached (${code})`;
    throw new VectorMissingError(`${p}: ${what}; fix or remove it (the harness does not fall back to another copy)`);
  }
}

export function locate(file: string): string | undefined {
  const e = manifestEntry(file);
  for (const r of vectorRoots()) for (const p of candidates(r.dir, e)) if (present(p)) return p;
  return undefined;
}

export function sha256Hex(b: Uint8Array): string {
  return createHash('sha256').update(b).digest('hex');
}

function isGzip(b: Uint8Array): boolean {
  return b.length > 2 && b[0] === 0x1f && b[1] === 0x8b;
}

/**
 * Verify bytes read for a manifest entry and return the decompressed content.
 * The stored form is pinned by `sha256`; a decompressed copy by `contentSha256`.
 */
export function verifiedContent(e: ManifestEntry, path: string, raw: Uint8Array): Uint8Array {
  const actual = sha256Hex(raw);
  if (actual === e.sha256) return e.gzip ? gunzipSync(raw) : raw;
  if (e.gzip && !isGzip(raw) && actual === contentHash(e)) return raw;
  throw new VectorHashError(path, e.sha256, actual);
}

const contentCache = new Map<string, { path: string; content: Buffer }>();

/** Read, verify and decompress one pinned file (memoized per process). */
export function readVector(file: string): { path: string; content: Buffer } {
  const hit = contentCache.get(file);
  if (hit) return hit;
  const e = manifestEntry(file);
  const path = locate(file);
  if (!path) {
    throw new VectorMissingError(
      `vector file ${file} not found in ${vectorRoots()
        .map((r) => r.dir)
        .join(', ')}; run 'pqc-harness vectors fetch' or set PQC_VECTORS_DIR`,
    );
  }
  const content = Buffer.from(verifiedContent(e, path, readRegularFile(path)));
  const v = { path, content };
  contentCache.set(file, v);
  return v;
}

/** Forget memoized contents (tests switch roots between cases). */
export function clearVectorCache(): void {
  contentCache.clear();
}

export function parseVectorJson(path: string, content: Buffer): unknown {
  const text = content.toString('utf8');
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(`${path}: not valid JSON${lineColumn(text, (err as Error).message)} (${(err as Error).message}); the file may be truncated`);
  }
}

/** ` at line L column C` where V8's JSON.parse stopped (`at position N`, or the end of the input), or nothing. */
function lineColumn(text: string, message: string): string {
  const m = /at position (\d+)/.exec(message);
  const at = m ? Number(m[1]) : /end of JSON input/.test(message) ? text.length : undefined;
  if (at === undefined) return '';
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  return ` at line ${line} column ${before.length - before.lastIndexOf('\n')}`;
}

/**
 * A JSON file the user names (an ACVP prompt, response or expected results),
 * not a pinned vector: plain or gzip, told by its first bytes, not its name.
 */
export function readJsonFile(path: string): unknown {
  const raw = readRegularFile(path);
  if (!isGzip(raw)) return parseVectorJson(path, raw);
  let content: Buffer;
  try {
    content = gunzipSync(raw);
  } catch (e) {
    throw new Error(`${path}: starts like gzip but does not decompress (${(e as Error).message}); the file may be truncated`);
  }
  return parseVectorJson(path, content);
}

export function readVectorJson(file: string): unknown {
  const { path, content } = readVector(file);
  return parseVectorJson(path, content);
}
