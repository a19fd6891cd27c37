import { describe, expect, it } from 'vitest';
import { acvpCases, acvpSuite } from '../harness/suites/acvp.ts';
import { readPromptWithExpected, readVectorSet } from '../vectors/acvp.ts';
import { VectorFormatError } from '../vectors/fields.ts';
import { RejectedError, type DsaApi } from '../model/contract.ts';

const F = 'test/ML-KEM-keyGen.json';

function kemKeyGenDoc(test: Record<string, unknown>) {
  return {
    vsId: 1,
    algorithm: 'ML-KEM',
    mode: 'keyGen',
    revision: 'FIPS203',
    testGroups: [{ tgId: 3, testType: 'AFT', parameterSet: 'ML-KEM-512', tests: [{ tcId: 7, ...test }] }],
  };
}
const good = { d: '00'.repeat(32), z: '11'.repeat(32), ek: 'aa'.repeat(800), dk: 'bb'.repeat(1632) };

describe('ACVP suite over the official files', () => {
  const cases = acvpSuite.cases({});
  it('yields every test of every file: 1770 cases', () => {
    const byFamily: Record<string, number> = {};
    for (const c of cases) byFamily[c.family] = (byFamily[c.family] ?? 0) + 1;
    expect(byFamily).toEqual({
      'ML-KEM-keyGen': 75,
      'ML-KEM-encapDecap': 165 + 195,
      'ML-DSA-keyGen': 75,
      'ML-DSA-sigGen': 360 + 720,
      'ML-DSA-sigVer': 180,
    });
    expect(cases.length).toBe(1770);
  });
  it('gives every case a unique, stable id and a source', () => {
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
    expect(cases[0]!.id).toBe('acvp/ML-KEM-keyGen/FIPS203/tg1/tc1');
    for (const c of cases) expect(c.source?.tcId).toBeTypeOf('number');
  });
  it('covers every ACVP mode: tr1 seed-format keys, external mu, pre-hash, internal', () => {
    const ops = new Set(cases.map((c) => c.op));
    for (const op of ['kem.keygen', 'kem.encaps', 'kem.decaps', 'kem.checkEncapsKey', 'kem.checkDecapsKey', 'dsa.keygen', 'dsa.sign', 'dsa.signInternal', 'dsa.signMu', 'dsa.signPreHash', 'dsa.verify', 'dsa.verifyInternal', 'dsa.verifyMu', 'dsa.verifyPreHash'])
      expect(ops.has(op as never), op).toBe(true);
    expect(cases.filter((c) => c.op === 'kem.decaps' && c.requires.includes('kem.keygen')).length).toBe(30);
    expect(cases.filter((c) => c.family === 'ML-DSA-sigGen' && c.requires.includes('dsa.keygen')).length).toBe(360);
    expect(new Set(cases.filter((c) => c.hashAlg).map((c) => c.hashAlg)).size).toBe(12);
  });
});

describe('bad vector input is an error naming file, tgId, tcId and field', () => {
  const build = (doc: unknown) => acvpCases(readVectorSet(doc, F), F);

  it('accepts a well-formed document', () => {
    expect(build(kemKeyGenDoc(good))).toHaveLength(1);
  });
  it('non-hex field', () => {
    expect(() => build(kemKeyGenDoc({ ...good, z: 'zz'.repeat(32) }))).toThrow(`${F} tgId=3 tcId=7 field 'z': not hex: character "z" at offset 0`);
  });
  it('odd-length hex', () => {
    expect(() => build(kemKeyGenDoc({ ...good, d: '0'.repeat(63) }))).toThrow(/tgId=3 tcId=7 field 'd': not hex: odd length 63/);
  });
  it('wrong-length field', () => {
    expect(() => build(kemKeyGenDoc({ ...good, ek: 'aa'.repeat(799) }))).toThrow(`${F} tgId=3 tcId=7 field 'ek': expected 800 bytes, got 799`);
  });
  it('missing field', () => {
    const { dk: _dk, ...rest } = good;
    expect(() => build(kemKeyGenDoc(rest))).toThrow(`${F} tgId=3 tcId=7 field 'dk': missing`);
  });
  it('unknown parameter set', () => {
    const doc = kemKeyGenDoc(good);
    doc.testGroups[0]!.parameterSet = 'ML-KEM-999';
    expect(() => build(doc)).toThrow(/tgId=3 field 'parameterSet': expected one of ML-KEM-512, ML-KEM-768, ML-KEM-1024/);
  });
  it('no testGroups / not an object', () => {
    expect(() => build({ algorithm: 'ML-KEM', mode: 'keyGen', revision: 'FIPS203' })).toThrow(`${F} field 'testGroups': missing`);
    expect(() => build([1, 2])).toThrow(/top level is not a JSON object/);
  });
  it('errors are VectorFormatError carrying the location', () => {
    try {
      build(kemKeyGenDoc({ ...good, z: 'q' }));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(VectorFormatError);
      expect((e as VectorFormatError).where).toEqual({ file: F, tgId: 3, tcId: 7 });
      expect((e as VectorFormatError).field).toBe('z');
    }
  });

  const prompt = { algorithm: 'ML-DSA', mode: 'sigVer', revision: 'FIPS204', testGroups: [{ tgId: 1, tests: [{ tcId: 1 }, { tcId: 2 }] }] };
  it('an expectedResults entry with no prompt', () => {
    const expected = { testGroups: [{ tgId: 1, tests: [{ tcId: 1 }, { tcId: 2 }, { tcId: 9 }] }] };
    expect(() => readPromptWithExpected(prompt, 'p.json', expected, 'e.json')).toThrow('e.json tgId=1 tcId=9: expected result has no prompt test in p.json');
  });
  it('a prompt test with no expected result', () => {
    const expected = { testGroups: [{ tgId: 1, tests: [{ tcId: 1 }] }] };
    expect(() => readPromptWithExpected(prompt, 'p.json', expected, 'e.json')).toThrow('e.json tgId=1 tcId=2: no expected result for this prompt test (from p.json)');
  });
  it('joins prompt and answers on tgId then tcId', () => {
    const expected = { testGroups: [{ tgId: 1, tests: [{ tcId: 2, testPassed: true }, { tcId: 1, testPassed: false }] }] };
    const f = readPromptWithExpected(prompt, 'p.json', expected, 'e.json');
    expect(f.tests.map((t) => [t.tcId, t.test.bool('testPassed')])).toEqual([[1, false], [2, true]]);
  });
  it('a non-boolean testPassed', () => {
    const expected = { testGroups: [{ tgId: 1, tests: [{ tcId: 1, testPassed: 'yes' }, { tcId: 2, testPassed: true }] }] };
    const f = readPromptWithExpected(prompt, 'p.json', expected, 'e.json');
    expect(() => f.tests[0]!.test.bool('testPassed')).toThrow(`p.json tgId=1 tcId=1 field 'testPassed': expected true or false, got "yes"`);
  });
});

describe('a verdict test (testPassed) reads a RejectedError as false', () => {
  const sigVer = (testPassed: boolean) =>
    acvpCases(
      readPromptWithExpected(
        { vsId: 1, algorithm: 'ML-DSA', mode: 'sigVer', revision: 'FIPS204', testGroups: [{ tgId: 1, parameterSet: 'ML-DSA-44', signatureInterface: 'external', preHash: 'pure', tests: [{ tcId: 1, pk: '00'.repeat(1312), message: '01', context: '', signature: 'aa' }] }] },
        'p.json',
        { testGroups: [{ tgId: 1, tests: [{ tcId: 1, testPassed }] }] },
        'e.json',
      ),
      'p.json',
    )[0]!;
  const refusing = {
    describe: () => ({ id: 'refusing', name: 'refusing', version: '0', kind: 'module' as const }),
    capabilities: () => ({ parameterSets: ['ML-DSA-44' as const], ops: ['dsa.verify' as const] }),
    dsa: {
      verify: async () => {
        throw new RejectedError('signature of 1 byte');
      },
    } as unknown as DsaApi,
  };
  it('expected false: a pass that says the backend rejected the input', async () => {
    expect(await sigVer(false).run(refusing)).toEqual({ status: 'pass', note: 'the backend rejected the input (signature of 1 byte): testPassed false' });
  });
  it('expected true: a fail', async () => {
    expect(await sigVer(true).run(refusing)).toMatchObject({ status: 'fail', reason: 'testPassed: rejected, expected accept' });
  });
});
