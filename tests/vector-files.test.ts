// What stands where a file should be: a directory, a FIFO, a device or a
// broken symbolic link is an error naming the path, never a hang, a nameless
// EISDIR or a silent fall-back to another copy of the vectors.

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../cli/main.ts';
import { readRegularFile } from '../model/files.ts';
import { readBaseline } from '../reports/gate.ts';
import { readResults } from '../reports/merge.ts';
import { clearVectorCache, locate, readVector } from '../vectors/store.ts';
import { captureOutput } from './capture-output.ts';

const SMALL = 'acvp-server/ML-KEM-keyGen-FIPS203/internalProjection.json';
const saved = process.env.PQC_VECTORS_DIR;
let root = '';
const out = captureOutput();
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'pqc-files-'));
  mkdirSync(join(root, dirname(SMALL)), { recursive: true });
  process.env.PQC_VECTORS_DIR = root;
  clearVectorCache();
});
afterEach(() => {
  if (saved === undefined) delete process.env.PQC_VECTORS_DIR;
  else process.env.PQC_VECTORS_DIR = saved;
  clearVectorCache();
});

const fifo = (path: string) => execFileSync('mkfifo', [path]);

describe('a vector that is not a regular file', () => {
  it('a directory: the error names it', () => {
    mkdirSync(join(root, SMALL));
    expect(() => readVector(SMALL)).toThrow(`${join(root, SMALL)}: is a directory, not a regular file`);
  });

  it('a FIFO: refused at once instead of blocking for ever', () => {
    fifo(join(root, SMALL));
    expect(() => readVector(SMALL)).toThrow(`${join(root, SMALL)}: is a FIFO (named pipe), not a regular file`);
  });

  it('a broken symbolic link in PQC_VECTORS_DIR: an error naming the link and its target, not the shared copy', () => {
    symlinkSync('/nonexistent/vectors.json', join(root, SMALL));
    const message = `${join(root, SMALL)}: a symbolic link to /nonexistent/vectors.json that cannot be followed (ENOENT)`;
    expect(() => locate(SMALL)).toThrow(message);
    expect(() => readVector(SMALL)).toThrow(message);
  });

  it('`vectors where` lists the broken link and exits 2', async () => {
    symlinkSync('/nonexistent/vectors.json', join(root, SMALL));
    expect(await main(['vectors', 'where'])).toBe(2);
    expect(out.text()).toContain(`BROKEN    ${SMALL}: ${join(root, SMALL)}: a symbolic link to /nonexistent/vectors.json`);
  });

  it('a device: refused (a vector replaced by /dev/zero would never end)', () => {
    expect(() => readRegularFile('/dev/zero')).toThrow('/dev/zero: is a device, not a regular file');
  });
});

describe('results and baselines', () => {
  it('a FIFO or a directory in place of results.json or a baseline is an error naming it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pqc-files-'));
    fifo(join(dir, 'results.json'));
    await expect(readResults(join(dir, 'results.json'))).rejects.toThrow(`${join(dir, 'results.json')}: cannot read results: is a FIFO (named pipe), not a regular file`);
    await expect(readBaseline(dir)).rejects.toThrow(`${dir}: cannot read baseline: is a directory, not a regular file`);
    expect(await main(['report', 'merge', dir, '--out', join(dir, 'm')])).toBe(2);
  });
});
