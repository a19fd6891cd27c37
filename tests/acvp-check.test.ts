// `pqc-harness acvp check RESPONSE --expected expectedResults.json`: test by
// test, hex in any case, every difference named by tgId, tcId and field; exit
// 0 equal, 1 different, 2 unusable input. The documents are NIST's own
// expectedResults files, changed here one field at a time.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { main } from '../cli/main.ts';
import { ACVP_FILES } from '../harness/suites/acvp.ts';
import { checkResponse } from '../vectors/acvp-check.ts';
import type { VectorSetDoc } from './acvp-derive.ts';
import { captureOutput } from './capture-output.ts';
import { readVectorJson } from './vector-json.ts';

const SIGGEN = ACVP_FILES.dsaSigGenExpected;
const SIGVER = ACVP_FILES.dsaSigVerExpected;

const console_ = captureOutput();
const out = console_.lines;

const dir = mkdtempSync(join(tmpdir(), 'pqc-acvp-check-'));
let n = 0;
function file(content: unknown, raw = false): string {
  const p = join(dir, `f${n++}.json`);
  writeFileSync(p, raw ? (content as string | Uint8Array) : JSON.stringify(content));
  return p;
}
const copy = <T>(x: T): T => structuredClone(x);
const sigGen = () => readVectorJson<VectorSetDoc>(SIGGEN);
const sigVer = () => readVectorJson<VectorSetDoc>(SIGVER);

async function check(response: unknown, expected: unknown): Promise<number> {
  return main(['acvp', 'check', file(response), '--expected', file(expected)]);
}

/** Flip one hex digit at character `at` of a string field. */
function flipHex(s: string, at: number): string {
  const c = s[at]!;
  return s.slice(0, at) + (c === '0' ? '1' : '0') + s.slice(at + 1);
}

describe('equal responses', () => {
  it('lower-case hex and shuffled group and test order are still equal (exit 0)', async () => {
    const want = sigGen();
    const got = copy(want);
    for (const g of got.testGroups) for (const t of g.tests) t.signature = String(t.signature).toLowerCase();
    got.testGroups.reverse();
    for (const g of got.testGroups) g.tests.reverse();
    expect(await check(got, want)).toBe(0);
    expect(out.at(-1)).toMatch(/^check: 360 of 360 tests equal: the response equals .*\.json$/);
  });
});

describe('differences: exit 1, each named by tgId, tcId and field', () => {
  it('one tampered hex answer', async () => {
    const want = sigGen();
    const got = copy(want);
    const g = got.testGroups[4]!;
    const t = g.tests[7]!;
    const bytes = String(t.signature).length / 2;
    t.signature = flipHex(String(t.signature), 2 * 100);
    expect(await check(got, want)).toBe(1);
    expect(out).toHaveLength(2);
    const short = `[0-9A-F]{16}…[0-9A-F]{16} \\(${bytes} bytes\\)`;
    expect(out[0]).toMatch(new RegExp(`^tgId=${g.tgId} tcId=${String(t.tcId)} field 'signature': differs from byte 100 \\(response ${short}, expected ${short}\\)$`));
    expect(out[1]).toBe('check: 359 of 360 tests equal; 1 difference(s) in 1 test(s) (exit 1)');
  });

  it('a flipped testPassed', async () => {
    const want = sigVer();
    const got = copy(want);
    const t = got.testGroups[2]!.tests[0]!;
    t.testPassed = !t.testPassed;
    expect(await check(got, want)).toBe(1);
    expect(out[0]).toBe(`tgId=${got.testGroups[2]!.tgId} tcId=${String(t.tcId)} field 'testPassed': differs (response ${String(t.testPassed)}, expected ${String(!t.testPassed)})`);
  });

  it('missing, extra and truncated answers, an extra field, another vsId', async () => {
    const want = sigVer();
    const got = copy(want);
    got.vsId = 43;
    const [g0, g1] = got.testGroups as [VectorSetDoc['testGroups'][number], VectorSetDoc['testGroups'][number]];
    const dropped = g0.tests.shift()!;
    g1.tests.push({ tcId: 9999, testPassed: true });
    delete g1.tests[0]!.testPassed;
    g1.tests[1]!.note = 'x';
    const sg = sigGen();
    const sgGot = copy(sg);
    const t = sgGot.testGroups[0]!.tests[0]!;
    t.signature = String(t.signature).slice(0, -2);

    expect(await check(got, want)).toBe(1);
    expect(out).toContain("field 'vsId': differs (response 43, expected 42)");
    expect(out).toContain(`tgId=${g0.tgId} tcId=${String(dropped.tcId)}: no answer in the response`);
    expect(out).toContain(`tgId=${g1.tgId} tcId=9999: answers a test the expected results do not have`);
    expect(out).toContain(`tgId=${g1.tgId} tcId=${String(g1.tests[0]!.tcId)} field 'testPassed': missing in the response (expected ${String(want.testGroups[1]!.tests[0]!.testPassed)})`);
    expect(out).toContain(`tgId=${g1.tgId} tcId=${String(g1.tests[1]!.tcId)} field 'note': in the response but not in the expected results (response x)`);
    expect(out.at(-1)).toBe('check: 177 of 180 tests equal; 5 difference(s) in 4 test(s) (exit 1)');

    console_.clear();
    expect(await check(sgGot, sg)).toBe(1);
    expect(out[0]).toMatch(/field 'signature': 2419 bytes, expected 2420/);
  });

  it('the pure comparison reports the same, as data', () => {
    const want = sigVer();
    const got = copy(want);
    got.testGroups[0]!.tests[0]!.testPassed = !got.testGroups[0]!.tests[0]!.testPassed;
    const r = checkResponse(got, 'r.json', want, 'e.json');
    expect(r).toMatchObject({ tests: 180, equal: 179 });
    expect(r.differences).toEqual([{ tgId: 1, tcId: 1, field: 'testPassed', problem: 'differs', response: String(got.testGroups[0]!.tests[0]!.testPassed), expected: String(want.testGroups[0]!.tests[0]!.testPassed) }]);
  });
});

describe('unusable input: exit 2, naming the file and the place', () => {
  const want = () => sigVer();

  it.each([
    ['not JSON (truncated)', () => file('{"vsId": 42,\n  "testGroups": [', true), /f\d+\.json: not valid JSON at line 2 column 18 \(Unexpected end of JSON input\)/],
    ['gzip that does not decompress', () => file(gzipSync('{"vsId": 1}').subarray(0, 12), true), /f\d+\.json: starts like gzip but does not decompress/],
    ['a file that does not exist', () => join(dir, 'nope.json'), /nope\.json: cannot open \(ENOENT\)/],
    ['no testGroups', () => file({ vsId: 42 }), /f\d+\.json field 'testGroups': missing/],
    ['a test without tcId', () => {
      const d = want();
      delete d.testGroups[1]!.tests[2]!.tcId;
      return file(d);
    }, /f\d+\.json tgId=2 field 'tcId': missing/],
    ['a group whose tgId is text', () => {
      const d = want() as unknown as { testGroups: Record<string, unknown>[] };
      d.testGroups[0]!.tgId = '1';
      return file(d);
    }, /f\d+\.json field 'tgId': expected an integer, got "1"/],
    ['the same test twice', () => {
      const d = want();
      d.testGroups[0]!.tests.push(d.testGroups[0]!.tests[0]!);
      return file(d);
    }, /f\d+\.json tgId=1 tcId=1: duplicate test: this tgId and tcId appear twice/],
    ['an ACVTS array whose first element is not the version', () => file([{ vsId: 1 }, want()]), /f\d+\.json field '\[0\]\.acvVersion': the first element of an ACVTS array must be/],
    ['a bare number', () => file(7), /f\d+\.json: top level is neither a vector set object nor an ACVTS array/],
  ])('%s', async (_name, response, message) => {
    expect(await main(['acvp', 'check', response(), '--expected', file(want())])).toBe(2);
    expect(out.join('\n')).toMatch(message);
  });

  it('expected results with no test, and usage errors', async () => {
    expect(await main(['acvp', 'check', file(want()), '--expected', file({ vsId: 42, testGroups: [] })])).toBe(2);
    expect(out.join('\n')).toMatch(/f\d+\.json field 'testGroups': no tests: there is nothing to compare against/);
    expect(await main(['acvp', 'check', file(want())])).toBe(2);
    expect(out.join('\n')).toContain('--expected expectedResults.json is required');
    expect(await main(['acvp', 'nope'])).toBe(2);
    expect(out.join('\n')).toContain('acvp: expected respond or check');
  });
});
