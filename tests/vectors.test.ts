import { createServer, type Server } from 'node:http';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { contentHash, manifest, manifestEntry } from '../vectors/manifest.ts';
import { clearVectorCache, locate, parseVectorJson, readVector, readVectorJson, sha256Hex, vectorRoots, VectorHashError } from '../vectors/store.ts';
import { fetchVectors, fetchUrl } from '../vectors/fetch.ts';

const SMALL = 'acvp-server/ML-KEM-keyGen-FIPS203/internalProjection.json';
const GZ = 'acvp-server/ML-DSA-sigGen-FIPS204/prompt.json.gz';
const saved = { dir: process.env.PQC_VECTORS_DIR, cache: process.env.PQC_VECTORS_CACHE };

afterEach(() => {
  for (const [k, v] of [['PQC_VECTORS_DIR', saved.dir], ['PQC_VECTORS_CACHE', saved.cache]] as const) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  clearVectorCache();
});

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'pqc-vectors-'));
}

describe('manifest', () => {
  it('pins every file with a SHA-256 and an upstream source, and is never empty', () => {
    expect(manifest().length).toBeGreaterThan(50);
    for (const e of manifest()) {
      expect(e.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(e.commit).toMatch(/^[0-9a-f]{40}$/);
      if (e.gzip) expect(e.contentSha256).toMatch(/^[0-9a-f]{64}$/);
    }
  });
  it('refuses a file that is not pinned', () => {
    expect(() => manifestEntry('acvp-server/evil.json')).toThrow(/not in vectors\/manifest.json/);
  });
});

describe('locator and verification', () => {
  it('finds the shared vectors beside the checkout and verifies them all', () => {
    for (const e of manifest()) {
      const { content } = readVector(e.file);
      expect(sha256Hex(content), e.file).toBe(contentHash(e));
      // The size `vectors fetch` caps a download at is the real one.
      expect(content.length, e.file).toBe(e.bytes);
    }
  });
  it('looks in $PQC_VECTORS_DIR first', () => {
    const dir = tmp();
    mkdirSync(join(dir, dirname(SMALL)), { recursive: true });
    writeFileSync(join(dir, SMALL), readFileSync(locate(SMALL)!));
    process.env.PQC_VECTORS_DIR = dir;
    expect(vectorRoots()[0]).toEqual({ dir, origin: 'PQC_VECTORS_DIR' });
    expect(locate(SMALL)).toBe(join(dir, SMALL));
  });
  it('a truncated file fails its SHA-256 check, naming the file and both hashes', () => {
    const dir = tmp();
    mkdirSync(join(dir, dirname(SMALL)), { recursive: true });
    const full = readFileSync(locate(SMALL)!);
    const cut = full.subarray(0, full.length - 100);
    writeFileSync(join(dir, SMALL), cut);
    process.env.PQC_VECTORS_DIR = dir;
    const expected = manifestEntry(SMALL).sha256;
    expect(() => readVectorJson(SMALL)).toThrow(new VectorHashError(join(dir, SMALL), expected, sha256Hex(cut)).message);
    expect(() => readVectorJson(SMALL)).toThrow(expected);
  });
  it('a decompressed copy of a gzipped file verifies against the content hash', () => {
    const dir = tmp();
    const plain = join(dir, GZ.slice(0, -3));
    mkdirSync(dirname(plain), { recursive: true });
    writeFileSync(plain, readVector(GZ).content);
    clearVectorCache();
    process.env.PQC_VECTORS_DIR = dir;
    expect(readVector(GZ).path).toBe(plain);
  });
  it('text that is not JSON is an error naming the file', () => {
    expect(() => parseVectorJson('/x/y.json', Buffer.from('{"testGroups": ['))).toThrow(/^\/x\/y.json: not valid JSON/);
  });
});

describe('vectors fetch (against a local server on 127.0.0.1, never the internet)', () => {
  let server: Server;
  let base = '';
  const requests: string[] = [];
  let tamper = false;
  beforeAll(async () => {
    // Serve each manifest file at its upstream path, in its upstream form.
    const byPath = new Map(manifest().flatMap((e) => (e.fetch ? [[`/${e.fetch.repo}/${e.fetch.commit}/${e.fetch.path}` as string, e] as const] : [])));
    server = createServer((req, res) => {
      requests.push(req.url!);
      const e = byPath.get(req.url!);
      if (!e) return void res.writeHead(404).end();
      const content = readVector(e.file).content;
      const served = tamper ? content.subarray(0, content.length - 1) : content;
      const body = e.fetch!.gzip ? gzipSync(served) : served;
      res.writeHead(200).end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const addr = server.address();
    base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  });
  afterAll(() => server.close());

  it('downloads every file into the cache and verifies it', async () => {
    const cache = tmp();
    process.env.PQC_VECTORS_CACHE = cache;
    const rep = await fetchVectors({ baseUrl: base, force: true });
    expect(rep.filter((r) => r.status !== 'fetched').map((r) => [r.file, r.status])).toEqual([['acvp-server/NIST-NOTICE.txt', 'not-fetchable']]);
    expect(rep.length).toBe(manifest().length);
    const e = manifestEntry(SMALL);
    expect(requests).toContain(new URL(fetchUrl({ ...e, fetch: e.fetch! }, base)).pathname);
    expect(sha256Hex(readFileSync(join(cache, SMALL)))).toBe(e.sha256);
    // The cache alone now serves the harness.
    expect(readdirSync(join(cache, 'acvp-server')).length).toBeGreaterThan(3);
    expect(existsSync(join(cache, GZ.slice(0, -3)))).toBe(true);
  });
  it('rejects a download whose hash does not match, keeping nothing', async () => {
    const cache = tmp();
    process.env.PQC_VECTORS_CACHE = cache;
    tamper = true;
    const rep = await fetchVectors({ baseUrl: base, force: true });
    tamper = false;
    expect(rep.every((r) => r.status === 'failed' || r.status === 'not-fetchable')).toBe(true);
    const e = manifestEntry(SMALL);
    const failed = rep.find((r) => r.file === SMALL)!;
    expect(failed.detail).toContain(`SHA-256 mismatch: expected ${e.sha256}`);
    expect(failed.detail).toContain(fetchUrl({ ...e, fetch: e.fetch! }, base));
    expect(readdirSync(cache)).toEqual([]);
    const missing = await fetchVectors({ baseUrl: `${base}/nowhere`, force: true });
    expect(missing.find((r) => r.file === SMALL)!.detail).toMatch(/HTTP 404/);
  });
  it('skips files already present unless forced', async () => {
    const rep = await fetchVectors({ baseUrl: base });
    expect(rep.every((r) => r.status === 'present')).toBe(true);
  });
});
