// `run` never writes a results.json that its own `report merge` rejects: the
// backend entry is built from validated describe() fields, duplicate or
// inexact case ids are errors naming them, two backends with one id are a
// usage error, and a document that fails the schema is refused before writing.

import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../cli/main.ts';
import { backendEntry } from '../model/backend-entry.ts';
import { IMPLEMENTATION_KINDS } from '../model/contract.ts';
import type { Results } from '../model/results.ts';
import { validateResults } from '../model/validate.ts';
import { acvpCases } from '../harness/suites/acvp.ts';
import { readPromptWithExpected, readVectorSet } from '../vectors/acvp.ts';
import { InvalidResultsError, writeReports } from '../reports/write.ts';
import { kase, results } from './report-fixtures.ts';
import { BAD_INFO } from './fixtures/hostile/bad-describe.ts';
import { captureOutput } from './capture-output.ts';

const BAD = resolve(import.meta.dirname, 'fixtures', 'hostile', 'bad-describe.ts');
const tmp = () => mkdtempSync(join(tmpdir(), 'pqc-integrity-'));
const read = (dir: string) => JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as Results;

const out = captureOutput({ stderr: true });

describe('backendEntry', () => {
  it('keeps the known fields of the right type, drops the rest, and notes each problem', () => {
    const caps = { parameterSets: ['ML-KEM-768', 'ML-KEM-999', 'ML-KEM-768'], ops: ['kem.keygen', 'kem.teleport'], preHash: { 'ML-DSA-65': ['SHA2-256', 'MD5'], 'ML-DSA-1': [] }, colour: 'blue' };
    const e = backendEntry('module:x.ts', 'module', BAD_INFO, caps);
    expect(e).toEqual({
      id: 'module:x.ts',
      name: 'module:x.ts',
      version: 'unknown',
      kind: 'module',
      capabilities: { parameterSets: ['ML-KEM-768'], ops: ['kem.keygen'], preHash: { 'ML-DSA-65': ['SHA2-256'] } },
      notes: [
        'a real note',
        'describe() field "findings" is not part of the contract: ignored',
        'describe() field "homepage" is not part of the contract: ignored',
        'describe() name is number 42, not a string: recorded as "module:x.ts"',
        'describe() version is an object, not a string: recorded as "unknown"',
        `describe() kind is the string "rocket", not one of ${IMPLEMENTATION_KINDS.join(', ')}: recorded as "module"`,
        'describe() library is the string "/not/an/object.so", not { path: string, sha256: string }: ignored',
        'describe() notes entry number 7 is not a string: ignored',
        'capabilities() field "colour" is not part of the contract: ignored',
        // ML-KEM-999, kem.teleport, MD5, ML-DSA-1
        '[4 more problems with describe() and capabilities() cut]',
      ],
    });
    expect(e).not.toHaveProperty('findings');
  });

  it('a describe() that is not an object, and a long one, still give a valid entry', () => {
    const e = backendEntry('process:w', 'process', null, undefined);
    expect(e).toMatchObject({ id: 'process:w', name: 'process:w', version: 'unknown', kind: 'process', capabilities: { parameterSets: [], ops: [] } });
    expect(e.notes).toEqual(['describe() returned null, not an object', 'capabilities() returned undefined, not an object: recorded as offering nothing']);
    const long = backendEntry('p', 'js', { name: 'n'.repeat(10_000), version: '1', kind: 'js', notes: Array.from({ length: 100 }, (_, i) => `${i}${'x'.repeat(10_000)}`) }, { parameterSets: [], ops: [] });
    expect(long.name).toMatch(/^n{256}… \[9744 more characters cut\]$/);
    expect(long.notes).toHaveLength(33);
    expect(long.notes!.at(-1)).toBe('[68 more notes cut]');
    expect(Math.max(...long.notes!.map((n) => n.length))).toBeLessThan(2048 + 40);
    expect(validateResults(results([], { backends: [e, long] }))).toEqual([]);
  });
});

describe('run writes only documents its own merge accepts', () => {
  it('a malformed describe() plants no finding and the run, then its merge, pass', async () => {
    const dir = tmp();
    expect(await main(['run', '--backend', `noble,module:${BAD}`, '--suite', 'acvp', '--param', 'ML-KEM-512', '--out', dir])).toBe(0);
    const r = read(dir);
    expect(validateResults(r)).toEqual([]);
    const bad = r.backends.find((b) => b.id === `module:${BAD}`)!;
    expect(bad).not.toHaveProperty('findings');
    expect(bad.notes).toContain('describe() field "findings" is not part of the contract: ignored');
    expect(r.cases.filter((c) => c.backend === bad.id).every((c) => c.status === 'pass')).toBe(true);
    expect(out.text()).not.toContain('memory finding');
    expect(await main(['report', 'merge', dir, '--out', join(dir, 'merged')])).toBe(0);
  }, 60_000);

  it('--backend noble,noble is a usage error', async () => {
    expect(await main(['run', '--backend', 'noble,noble', '--out', tmp()])).toBe(2);
    expect(out.text()).toContain("backend 'noble' is listed twice");
  });

  it('--out that cannot be written fails before any case runs', async () => {
    expect(await main(['run', '--backend', 'noble', '--suite', 'acvp', '--out', '/proc/nope'])).toBe(2);
    const text = out.text();
    expect(text).toMatch(/--out \/proc\/nope: not a writable folder/);
    expect(text).not.toContain('progress:');
  });

  it('a document that fails the schema is refused: exit 2 with the message, kept as results.invalid.json', async () => {
    const dir = tmp();
    const r = results([kase({ id: 'a', durationMs: Number.NaN })]);
    await expect(writeReports(r, dir)).rejects.toThrow(InvalidResultsError);
    await expect(writeReports(r, dir)).rejects.toThrow(/harness bug: refusing to write results.json [\s\S]*\n  \/cases\/0\/durationMs: expected number, got null/);
    expect(existsSync(join(dir, 'results.json'))).toBe(false);
    expect(existsSync(join(dir, 'junit.xml'))).toBe(false);
    expect(JSON.parse(readFileSync(join(dir, 'results.invalid.json'), 'utf8')).cases[0].id).toBe('a');
  });
});

describe('case ids a hostile vector file could make', () => {
  const F = 'test/ML-KEM-keyGen.json';
  const test = (tcId: number) => ({ tcId, d: '00'.repeat(32), z: '11'.repeat(32), ek: 'aa'.repeat(800), dk: 'bb'.repeat(1632) });
  const doc = (tests: unknown[]) => ({ algorithm: 'ML-KEM', mode: 'keyGen', revision: 'FIPS203', testGroups: [{ tgId: 3, testType: 'AFT', parameterSet: 'ML-KEM-512', tests }] });

  it('a tcId beyond 2^53 (read inexactly, so two ids would be one) names file, tgId and field', () => {
    const text = `{"algorithm":"ML-KEM","mode":"keyGen","revision":"FIPS203","testGroups":[{"tgId":3,"testType":"AFT","parameterSet":"ML-KEM-512","tests":[${JSON.stringify(test(1)).replace('"tcId":1', '"tcId":9007199254740993')}]}]}`;
    expect(() => acvpCases(readVectorSet(JSON.parse(text), F), F)).toThrow(`${F} tgId=3 field 'tcId': 9007199254740992 is beyond 2^53`);
  });

  it('the same tgId and tcId twice names them, in a projection and in a prompt', () => {
    expect(() => readVectorSet(doc([test(7), test(7)]), F)).toThrow(`${F} tgId=3 tcId=7: duplicate test: this tgId and tcId appear twice`);
    const prompt = doc([test(7), test(7)]);
    const expected = doc([test(7)]);
    expect(() => readPromptWithExpected(prompt, 'p.json', expected, 'e.json')).toThrow('p.json tgId=3 tcId=7: duplicate test');
  });
});
