// Text from a backend is bounded: every outside field of a result is cut to a
// documented cap (model/limits.ts) where the result is recorded, the cut says
// how much went, and a run full of megabyte messages still writes all of its
// reports, small, and exits 1.

import { readFileSync, statSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { CAPS, capCaseText, capShown, capText, cutMarker } from '../model/limits.ts';
import type { Results } from '../model/results.ts';
import { validateResults } from '../model/validate.ts';
import { MESSAGE_BYTES } from './fixtures/hostile/huge-messages.ts';
import { cli } from './cli-process.ts';

const HUGE = resolve(import.meta.dirname, 'fixtures', 'hostile', 'huge-messages.ts');
const ECHO = resolve(import.meta.dirname, 'fixtures', 'mw_echo.py');

/** The longest a capped field can be: the cap, the ellipsis and the marker. */
const within = (cap: number) => cap + `… ${cutMarker(Number.MAX_SAFE_INTEGER)}`.length;

/** The three reports: each exists, and is under `max` bytes. */
function reportSizes(dir: string): Record<string, number> {
  return Object.fromEntries(['results.json', 'junit.xml', 'index.html'].map((f) => [f, statSync(join(dir, f)).size]));
}

describe('capText and friends', () => {
  it('keeps text within the cap whole; cuts longer text and says how much went', () => {
    expect(capText('abc', 3)).toBe('abc');
    expect(capText('abcdef', 3)).toBe('abc… [3 more characters cut]');
    expect(capText('abcdef', 3, 'tail')).toBe('[3 more characters cut] …def');
    // A cut never splits a surrogate pair.
    expect(capText('ab😀cd', 3)).toBe('ab… [4 more characters cut]');
    expect(capText('ab😀cd', 3, 'tail')).toBe('[4 more characters cut] …cd');
  });

  it('shown values: each cut, at most CAPS.values of them, numbers JSON cannot carry kept as text', () => {
    const many = Object.fromEntries(Array.from({ length: CAPS.values + 5 }, (_, i) => [`v${i}`, i]));
    const s = capShown(many);
    expect(Object.keys(s)).toHaveLength(CAPS.values + 1);
    expect(s['…']).toBe('[5 more values cut]');
    expect(capShown({ a: NaN, b: Infinity, c: true, d: 'x'.repeat(CAPS.value + 1) })).toEqual({ a: 'NaN', b: 'Infinity', c: true, d: `${'x'.repeat(CAPS.value)}… [1 more characters cut]` });
  });

  it('a case result: reason, note, values, stderr (its end), finding messages and frames', () => {
    const big = 'y'.repeat(1 << 20);
    const r = capCaseText({
      reason: big,
      note: big,
      got: { k: big },
      crash: { signal: 'SIGABRT', exitCode: null, stderr: `${big}\nmunmap_chunk(): invalid pointer` },
      findings: [{ tool: 'glibc', kind: 'abort', message: big, frames: Array.from({ length: 100 }, (_, i) => ({ fn: `f${i}${big}` })) }],
    });
    expect(r.reason!.length).toBeLessThanOrEqual(within(CAPS.reason));
    expect(r.note!.length).toBeLessThanOrEqual(within(CAPS.note));
    expect(String(r.got!.k).length).toBeLessThanOrEqual(within(CAPS.value));
    expect(r.crash!.stderr.length).toBeLessThanOrEqual(within(CAPS.stderr));
    expect(r.crash!.stderr.endsWith('munmap_chunk(): invalid pointer')).toBe(true);
    expect(r.findings![0]!.message.length).toBeLessThanOrEqual(within(CAPS.findingMessage));
    expect(r.findings![0]!.frames).toHaveLength(CAPS.frames + 1);
    expect(r.findings![0]!.frames.at(-1)).toEqual({ fn: '[36 more frames cut]' });
    // A thrown object's message need not be a string.
    expect(capCaseText({ reason: 42 as unknown as string }).reason).toBe('42');
  });
  it('what is kept holds nothing else in memory (a slice would keep the whole message alive)', () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    gc();
    const before = process.memoryUsage().heapUsed;
    const kept = Array.from({ length: 100 }, (_, i) => {
      const stderr = `${String(i).repeat(5 << 20)}\nmunmap_chunk(): invalid pointer`;
      const m = /munmap_chunk\(\): invalid pointer/.exec(stderr)!;
      return capCaseText({ reason: stderr, crash: { signal: 'SIGABRT', exitCode: null, stderr }, findings: [{ tool: 'glibc', kind: 'invalid-free', message: m[0], frames: [] }] });
    });
    gc();
    // 100 × 5 MB of messages came and went; what stays is about 100 × 20 KB.
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(32 << 20);
    expect(kept).toHaveLength(100);
  });
});

describe('a run full of megabyte messages', () => {
  it('145 cases of 5 MB messages next to noble: every report written, small; exit 1; noble unaffected', async () => {
    const out = mkdtempSync(join(tmpdir(), 'pqc-huge-'));
    const r = await cli(['run', '--backend', `noble,module:${HUGE}`, '--suite', 'acvp', '--param', 'ML-KEM-512', '--out', out]);
    expect(r.stderr).not.toMatch(/Invalid string length/);
    expect(r.code).toBe(1);
    const sizes = reportSizes(out);
    for (const [f, n] of Object.entries(sizes)) expect(n, f).toBeLessThan(4 << 20);
    const doc = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Results;
    expect(validateResults(doc)).toEqual([]);
    const hostile = doc.cases.filter((c) => c.backend !== 'noble');
    expect(hostile).toHaveLength(145);
    expect(hostile.every((c) => c.status === 'fail' || c.status === 'error')).toBe(true);
    for (const c of hostile) {
      expect(c.reason!.length, c.id).toBeLessThanOrEqual(within(CAPS.reason));
      for (const v of Object.values(c.got ?? {})) expect(String(v).length, c.id).toBeLessThanOrEqual(within(CAPS.value));
    }
    // The 5 MB messages and the 5 MB (10 M hex digits) secret were cut, and say by how much.
    expect(hostile.filter((c) => /… \[\d+ more characters cut\]$/.test(c.reason!)).length).toBeGreaterThan(100);
    const secret = hostile.find((c) => c.op === 'kem.decaps' && c.status === 'fail')!;
    expect(secret.got!.k).toMatch(new RegExp(`… \\[${2 * MESSAGE_BYTES - CAPS.value} more characters cut\\]$`));
    const noble = doc.cases.filter((c) => c.backend === 'noble');
    expect(noble.map((c) => c.status)).toEqual(Array(145).fill('pass'));
  }, 120_000);

  it('a wrapper that floods stderr before every crash: each crash keeps the end of its stderr, the reports stay small', async () => {
    const out = mkdtempSync(join(tmpdir(), 'pqc-flood-'));
    const r = await cli(['run', '--backend', `process:python3 ${ECHO}`, '--suite', 'acvp', '--param', 'ML-KEM-512', '--out', out], { MW_ECHO_FLOOD_BYTES: String(3 << 20) });
    expect(r.code).toBe(1);
    const sizes = reportSizes(out);
    for (const [f, n] of Object.entries(sizes)) expect(n, f).toBeLessThan(4 << 20);
    const doc = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Results;
    expect(validateResults(doc)).toEqual([]);
    const crashes = doc.cases.filter((c) => c.status === 'crash');
    expect(crashes.length).toBeGreaterThanOrEqual(40);
    for (const c of crashes) {
      expect(c.crash!.signal, c.id).toBe('SIGABRT');
      // The end is kept: the flood's last characters, then what faulthandler printed on abort.
      expect(c.crash!.stderr.slice(0, 40), c.id).toMatch(/^\[\d+ more characters cut\] …FFF/);
      expect(/FFatal Python error: Aborted\n/.test(c.crash!.stderr), c.id).toBe(true);
      expect(c.crash!.stderr.length, c.id).toBeLessThanOrEqual(within(CAPS.stderr));
      expect(c.reason!.length, c.id).toBeLessThanOrEqual(within(CAPS.reason));
    }
  }, 180_000);
});
