// `vectors fetch` is bounded in size and time: against a server inside this
// test (loopback, ephemeral port, closed afterwards) that sends an endless
// body, announces gigabytes, serves a gzip bomb (as the file or as its
// Content-Encoding), never answers, stalls mid-body or trickles, every download
// stops with an error naming the URL and the cause, and nothing is cached.

import { createServer, type Server, type ServerResponse } from 'node:http';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { manifestEntry, type ManifestEntry } from '../vectors/manifest.ts';
import { FetchError, fetchFile, fetchUrl, maxDownload } from '../vectors/fetch.ts';
import { readVector } from '../vectors/store.ts';

type Fetchable = ManifestEntry & { fetch: NonNullable<ManifestEntry['fetch']> };
const entry = (file: string): Fetchable => {
  const e = manifestEntry(file);
  return { ...e, fetch: e.fetch! };
};
/** Served as a gzipped download (the ACVP mirror), 558 841 bytes decompressed. */
const GZIPPED = entry('acvp-server/ML-KEM-keyGen-FIPS203/internalProjection.json');
/** Served as is, 1 547 bytes. */
const PLAIN = entry('wycheproof/schemas/common.json');
const LIMITS = { idleMs: 300, totalMs: 1_500 };

let server: Server;
let base = '';
/** Bytes the endless handler managed to write before the client hung up. */
let endlessSent = 0;
const bomb = gzipSync(Buffer.alloc(256 << 20));

async function endless(res: ServerResponse): Promise<void> {
  res.writeHead(200);
  const chunk = Buffer.alloc(64 << 10, 0x41);
  let open = true;
  res.on('close', () => (open = false));
  while (open && endlessSent < 1 << 30) {
    endlessSent += chunk.length;
    if (!res.write(chunk)) await new Promise((r) => res.once('drain', r).once('close', r));
  }
  res.end();
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const mode = req.url!.split('/')[1];
    switch (mode) {
      case 'good':
        return void res.writeHead(200).end(req.url!.endsWith('.gz') ? gzipSync(readVector(GZIPPED.file).content) : readVector(PLAIN.file).content);
      case 'endless':
        return void endless(res);
      case 'announce':
        res.writeHead(200, { 'content-length': String(2 ** 31) });
        return void res.write('x');
      case 'bomb':
        return void res.writeHead(200).end(bomb);
      case 'encoded-bomb':
        return void res.writeHead(200, { 'content-encoding': 'gzip' }).end(bomb);
      case 'silent':
        return; // never answers
      case 'stall':
        res.writeHead(200);
        return void res.write('{"partial": ');
      case 'trickle': {
        res.writeHead(200);
        const t = setInterval(() => res.write(' '), 50);
        res.on('close', () => clearInterval(t));
        return;
      }
      default:
        res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const saved = process.env.PQC_VECTORS_CACHE;
let cache = '';
beforeEach(() => {
  cache = mkdtempSync(join(tmpdir(), 'pqc-fetch-'));
  process.env.PQC_VECTORS_CACHE = cache;
});
afterEach(() => {
  if (saved === undefined) delete process.env.PQC_VECTORS_CACHE;
  else process.env.PQC_VECTORS_CACHE = saved;
});

/** fetchFile's error for `e` served by `mode`, after checking that nothing was cached. */
async function failure(mode: string, e: Fetchable): Promise<string> {
  const err = await fetchFile(e, `${base}/${mode}`, LIMITS).then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(err).toBeInstanceOf(FetchError);
  expect(readdirSync(cache)).toEqual([]);
  const message = (err as Error).message;
  expect(message.startsWith(`${fetchUrl(e, `${base}/${mode}`)}: `)).toBe(true);
  return message;
}

describe('vectors fetch: size and time limits', () => {
  it('the limits still let the real files through', async () => {
    expect(existsSync(await fetchFile(GZIPPED, `${base}/good`, LIMITS))).toBe(true);
    expect(existsSync(await fetchFile(PLAIN, `${base}/good`, LIMITS))).toBe(true);
  });

  it('an endless body is read no further than the pinned size', async () => {
    expect(await failure('endless', PLAIN)).toMatch(/the body is longer than the 1547 bytes the pinned file needs; stopped reading$/);
    expect(await failure('endless', GZIPPED)).toContain(`the body is longer than the ${maxDownload(GZIPPED)} bytes the pinned file needs`);
    // The server saw the client hang up long before a gigabyte (socket buffers aside).
    expect(endlessSent).toBeLessThan(64 << 20);
  });

  it('a body announced bigger than the file is refused before it is read', async () => {
    expect(await failure('announce', PLAIN)).toMatch(/the server announces 2147483648 bytes; the pinned file needs at most 1547$/);
  });

  it('a gzip bomb, as the file or as its Content-Encoding, decompresses no further than the file', async () => {
    expect(await failure('bomb', GZIPPED)).toMatch(/decompresses to more than the 558841 bytes of the pinned file; stopped$/);
    expect(await failure('encoded-bomb', PLAIN)).toMatch(/the body is longer than the 1547 bytes/);
  });

  it('a server that never answers, one that stalls mid-body and one that trickles: each has a deadline', async () => {
    expect(await failure('silent', PLAIN)).toMatch(/no response for 300 ms$/);
    expect(await failure('stall', PLAIN)).toMatch(/no data for 300 ms$/);
    expect(await failure('trickle', PLAIN)).toMatch(/not complete within 1500 ms$/);
  });

  it('HTTP errors and refused connections name the URL and the cause', async () => {
    expect(await failure('nowhere', PLAIN)).toMatch(/: HTTP 404 Not Found$/);
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as { port: number }).port;
    await new Promise((r) => closed.close(r));
    const err = (await fetchFile(PLAIN, `http://127.0.0.1:${port}`, LIMITS).catch((x: unknown) => x)) as Error;
    expect(err.message).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/C2SP/wycheproof/.*/schemas/common\\.json: fetch failed \\(connect ECONNREFUSED`));
  });
});
