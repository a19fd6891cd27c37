// The Wycheproof suite: one case per test of every ML-KEM/ML-DSA file (counts
// pinned to each file's numberOfTests), a clean run on noble, located errors for
// malformed files, the "acceptable" rule, and mutant backends that prove the
// checks bite (each mutant fails a non-empty set made only of the expected cases).

import { describe, expect, it } from 'vitest';
import type { Case } from '../model/case.ts';
import { RejectedError, UnsupportedError, type Op } from '../model/contract.ts';
import { expectRejected } from '../harness/judge.ts';
import { DSA_PARAMS, KEM, KEM_PARAMS, type KemParam } from '../model/params.ts';
import { buildWycheproofFile, WYCHEPROOF_FILES, wycheproofSuite } from '../harness/suites/wycheproof.ts';
import { createNobleBackend } from '../backends/noble.ts';
import { readVectorJson } from '../vectors/store.ts';
import { runCases, type Ran } from './run-cases.ts';
import { nobleWith as mutant, patched, reduceEk } from './fixtures/mutants/wrap.ts';
import { openRustBackend } from '../backends/rust.ts';

const notPassing = (rs: Ran[]) => rs.filter((r) => r.status !== 'pass');
const ids = (rs: Ran[]) => rs.map((r) => r.id).sort();
/** Only the cases that call `op`: a mutant that changes one method cannot affect the others. */
const calling = (cases: Case[], op: Op) => cases.filter((c) => c.requires.includes(op));

// --- independent facts, read straight from the files ------------------------------

interface RawTest {
  tcId: number;
  result: string;
  flags?: string[];
  comment?: string;
  [k: string]: unknown;
}
interface RawDoc {
  algorithm: string;
  numberOfTests: number;
  testGroups: { tests: RawTest[]; [k: string]: unknown }[];
}

const raw = (file: string) => readVectorJson(file) as RawDoc;
/** Case ids of the tests of the given file kinds that satisfy `pick`. */
function expectedIds(kinds: string[], pick: (t: RawTest, ps: string) => boolean): string[] {
  const out: string[] = [];
  for (const f of WYCHEPROOF_FILES) {
    if (!kinds.includes(f.kind)) continue;
    for (const g of raw(f.file).testGroups) for (const t of g.tests) if (pick(t, f.parameterSet)) out.push(`wycheproof/${f.family}/tc${t.tcId}`);
  }
  return out.sort();
}

const EXPECTED_COUNTS: Record<string, number> = {
  mlkem_512_keygen_seed: 100, mlkem_512: 193, mlkem_512_encaps: 261, mlkem_512_semi_expanded_decaps: 9,
  mlkem_768_keygen_seed: 100, mlkem_768: 193, mlkem_768_encaps: 265, mlkem_768_semi_expanded_decaps: 9,
  mlkem_1024_keygen_seed: 100, mlkem_1024: 193, mlkem_1024_encaps: 269, mlkem_1024_semi_expanded_decaps: 9,
  mldsa_44_sign_seed: 86, mldsa_44_sign_noseed: 73, mldsa_44_verify: 180,
  mldsa_65_sign_seed: 105, mldsa_65_sign_noseed: 78, mldsa_65_verify: 210,
  mldsa_87_sign_seed: 96, mldsa_87_sign_noseed: 69, mldsa_87_verify: 241,
};

const t0 = performance.now();
const CASES = wycheproofSuite.cases({});
const BUILD_MS = performance.now() - t0;

describe('wycheproof suite: cases', () => {
  it('has one case per test of every file: counts equal numberOfTests, 2839 in all', () => {
    console.log(`wycheproof: built ${CASES.length} cases in ${BUILD_MS.toFixed(0)} ms`);
    expect(WYCHEPROOF_FILES).toHaveLength(21);
    const perFamily = new Map<string, number>();
    for (const c of CASES) perFamily.set(c.family, (perFamily.get(c.family) ?? 0) + 1);
    for (const f of WYCHEPROOF_FILES) {
      expect(perFamily.get(f.family), f.file).toBe(raw(f.file).numberOfTests);
      expect(perFamily.get(f.family), f.file).toBe(EXPECTED_COUNTS[f.family]);
    }
    expect(Object.fromEntries(perFamily)).toEqual(EXPECTED_COUNTS);
    expect(CASES).toHaveLength(2839);
    expect(new Set(CASES.map((c) => c.id)).size).toBe(CASES.length);
  });

  it('names ids, families, sources and parameter sets as specified', () => {
    const c = CASES.find((x) => x.id === 'wycheproof/mlkem_768_encaps/tc114')!;
    expect(c).toMatchObject({ suite: 'wycheproof', family: 'mlkem_768_encaps', parameterSet: 'ML-KEM-768', op: 'kem.encaps' });
    expect(c.source).toEqual({ file: 'wycheproof/testvectors_v1/mlkem_768_encaps_test.json', tgId: 2, tcId: 114 });
    expect(c.inputs!()).toMatchObject({ result: 'invalid', comment: 'Public key not reduced' });
    const s = CASES.find((x) => x.id === 'wycheproof/mldsa_65_sign_seed/tc1')!;
    expect(s).toMatchObject({ family: 'mldsa_65_sign_seed', parameterSet: 'ML-DSA-65', op: 'dsa.sign', requires: ['dsa.keygen', 'dsa.sign'] });
    expect(new Set(CASES.map((x) => x.parameterSet))).toEqual(new Set([...KEM_PARAMS, ...DSA_PARAMS]));
    // Internal-flagged sign tests (mu only) go through signMu.
    expect(CASES.filter((x) => x.op === 'dsa.signMu').length).toBeGreaterThan(0);
    expect(CASES.filter((x) => x.op === 'dsa.signMu').every((x) => String(x.inputs!().flags).includes('Internal'))).toBe(true);
    expect(wycheproofSuite.notes?.length).toBeGreaterThan(0);
    expect(wycheproofSuite.vectorFiles).toHaveLength(21);
  });
});

describe('wycheproof suite: noble', () => {
  it('passes every case on noble, with no skips', async () => {
    const t = performance.now();
    const rs = await runCases(createNobleBackend(), CASES);
    console.log(`wycheproof: ran ${rs.length} cases on noble in ${(performance.now() - t).toFixed(0)} ms`);
    const counts = Object.fromEntries(['pass', 'fail', 'skip', 'error'].map((s) => [s, rs.filter((r) => r.status === s).length]));
    console.log('wycheproof on noble:', counts);
    expect(notPassing(rs)).toEqual([]);
    // The corrupted-dk tests: checkDecapsKey judged, decaps behaviour noted.
    const noted = rs.filter((r) => r.note);
    expect(noted.map((r) => r.id).sort()).toEqual(
      expectedIds(['semi_expanded_decaps'], (t) => t.result === 'invalid' && (t.flags ?? []).includes('InvalidDecapsulationKey')),
    );
    expect(noted).toHaveLength(6);
  }, 300_000);
});

// --- malformed input ----------------------------------------------------------------

const FILE = 'wycheproof/testvectors_v1/mlkem_768_encaps_test.json';
function syntheticEncaps(over: Partial<RawTest> = {}, numberOfTests = 1): RawDoc {
  return {
    algorithm: 'ML-KEM',
    numberOfTests,
    testGroups: [
      {
        type: 'MLKEMEncapsTest',
        parameterSet: 'ML-KEM-768',
        source: { name: 'synthetic' },
        tests: [{ tcId: 7, flags: [], m: '00'.repeat(32), ek: '11'.repeat(10), c: '', K: '', result: 'invalid', ...over }],
      },
    ],
  };
}

describe('wycheproof suite: malformed files', () => {
  it('a non-hex field names file, tgId, tcId and field', () => {
    expect(() => buildWycheproofFile(syntheticEncaps({ ek: '12zz' }), FILE)).toThrow(
      /mlkem_768_encaps_test\.json tgId=1 tcId=7 field 'ek': not hex: character "z" at offset 2/,
    );
  });
  it('a numberOfTests mismatch names the file and the field', () => {
    expect(() => buildWycheproofFile(syntheticEncaps({}, 2), FILE)).toThrow(/mlkem_768_encaps_test\.json field 'numberOfTests': declares 2 tests but the file holds 1/);
    const real = raw(FILE);
    expect(() => buildWycheproofFile({ ...real, numberOfTests: real.numberOfTests + 1 }, FILE)).toThrow(/mlkem_768_encaps_test\.json field 'numberOfTests'/);
  });
  it('an unknown result, a wrong group type, a wrong parameter set, a duplicate tcId are located errors', () => {
    expect(() => buildWycheproofFile(syntheticEncaps({ result: 'maybe' }), FILE)).toThrow(/tcId=7 field 'result': expected one of valid, invalid, acceptable/);
    const wrongType = syntheticEncaps();
    wrongType.testGroups[0]!.type = 'MLKEMTest';
    expect(() => buildWycheproofFile(wrongType, FILE)).toThrow(/tgId=1 field 'type'/);
    const wrongPs = syntheticEncaps();
    wrongPs.testGroups[0]!.parameterSet = 'ML-KEM-512';
    expect(() => buildWycheproofFile(wrongPs, FILE)).toThrow(/tgId=1 field 'parameterSet'/);
    const dup = syntheticEncaps({}, 2);
    dup.testGroups[0]!.tests.push({ ...dup.testGroups[0]!.tests[0]! });
    expect(() => buildWycheproofFile(dup, FILE)).toThrow(/tcId=7 field 'tcId': duplicate/);
  });
  it('a valid test with a wrong-length field is an error; an invalid one is only parsed', () => {
    expect(() => buildWycheproofFile(syntheticEncaps({ result: 'valid' }), FILE)).toThrow(/tcId=7 field 'ek': expected 1184 bytes, got 10/);
    expect(buildWycheproofFile(syntheticEncaps(), FILE)).toHaveLength(1);
  });
});

// --- "acceptable" ---------------------------------------------------------------------

describe('wycheproof suite: the "acceptable" rule', () => {
  it('verify: either verdict passes, with a note', async () => {
    const file = 'wycheproof/testvectors_v1/mldsa_44_verify_test.json';
    const doc = structuredClone(raw(file));
    for (const g of doc.testGroups) for (const t of g.tests) t.result = 'acceptable';
    const rs = await runCases(createNobleBackend(), buildWycheproofFile(doc, file));
    expect(notPassing(rs)).toEqual([]);
    expect(rs.some((r) => r.note?.startsWith('acceptable: verify accepted'))).toBe(true);
    expect(rs.some((r) => r.note?.startsWith('acceptable: verify rejected'))).toBe(true);
  });
  it('keygen then decaps: a rejection at either step passes, with a note', async () => {
    const file = 'wycheproof/testvectors_v1/mlkem_512_test.json';
    const doc = structuredClone(raw(file));
    for (const g of doc.testGroups) for (const t of g.tests) t.result = 'acceptable';
    const rs = await runCases(createNobleBackend(), buildWycheproofFile(doc, file));
    expect(notPassing(rs)).toEqual([]);
    expect(rs.filter((r) => r.note?.startsWith('acceptable: keygen/decaps rejected'))).toHaveLength(40);
    expect(rs.filter((r) => r.note?.startsWith('acceptable: keygen/decaps accepted'))).toHaveLength(153);
  });
  it('encaps: a rejection passes; an output must match the expected one', async () => {
    const file = 'wycheproof/testvectors_v1/mlkem_512_encaps_test.json';
    const doc = structuredClone(raw(file));
    for (const g of doc.testGroups) for (const t of g.tests) t.result = 'acceptable';
    // Corrupt one valid test's expected K: its output no longer matches, so it fails.
    const victim = doc.testGroups[1]!.tests.find((t) => (t.K as string).length > 0)!;
    victim.K = 'ff'.repeat(32);
    const rs = await runCases(createNobleBackend(), buildWycheproofFile(doc, file));
    expect(ids(notPassing(rs))).toEqual([`wycheproof/mlkem_512_encaps/tc${victim.tcId}`]);
    expect(rs.filter((r) => r.note?.startsWith('acceptable: encaps rejected')).length).toBe(128);
  });
});

// --- mutants ------------------------------------------------------------------------

describe('wycheproof suite: mutant backends are caught', () => {
  it('encaps without the modulus check fails exactly the not-reduced-ek cases', async () => {
    const noble = createNobleBackend();
    const m = mutant('no-modulus-check', {
      encaps: (ps, ek, msg) => noble.kem!.encaps(ps, ek.length === KEM[ps].ek ? reduceEk(ps, ek) : ek, msg),
    });
    const rs = await runCases(m, calling(CASES, 'kem.encaps'));
    const want = expectedIds(['encaps'], (t, ps) => t.result === 'invalid' && (t.ek as string).length === 2 * KEM[ps as KemParam].ek);
    expect(want.length).toBe(3 * 100 + 8 + 12 + 16);
    expect(ids(notPassing(rs))).toEqual(want);
    expect(notPassing(rs).every((r) => r.status === 'fail' && r.reason?.startsWith('encaps: returned a result'))).toBe(true);
  });

  it('decaps that pads or truncates a wrong-length ciphertext fails exactly the wrong-c-length cases', async () => {
    const noble = createNobleBackend();
    const m = mutant('lenient-ct-length', {
      decaps: (ps, dk, c) => {
        const fixed = new Uint8Array(KEM[ps].c);
        fixed.set(c.subarray(0, KEM[ps].c));
        return noble.kem!.decaps(ps, dk, fixed);
      },
    });
    const rs = await runCases(m, calling(CASES, 'kem.decaps'));
    const want = expectedIds(['test', 'semi_expanded_decaps'], (t, ps) => t.result === 'invalid' && (t.c as string).length !== 2 * KEM[ps as KemParam].c);
    expect(want.length).toBe(3 * (20 + 2));
    expect(ids(notPassing(rs))).toEqual(want);
  });

  it('a decaps-key check that always passes fails exactly the corrupted-dk cases', async () => {
    const m = mutant('no-dk-hash-check', { checkDecapsKey: async () => true });
    const rs = await runCases(m, calling(CASES, 'kem.checkDecapsKey'));
    const want = expectedIds(['semi_expanded_decaps'], (t) => (t.flags ?? []).includes('InvalidDecapsulationKey'));
    expect(want).toHaveLength(6);
    expect(ids(notPassing(rs))).toEqual(want);
  });

  it('sign that ignores ctx fails exactly the sign cases with a non-empty ctx', async () => {
    // Over the rust cdylib: 429 signatures, five times faster than noble's.
    const rust = await openRustBackend();
    const m = patched(rust, 'ctx-ignored', {}, { sign: (ps, sk, msg, _ctx, rnd) => rust.dsa!.sign(ps, sk, msg, new Uint8Array(0), rnd) });
    const t = performance.now();
    const rs = await runCases(m, calling(CASES, 'dsa.sign'));
    console.log(`wycheproof: ctx mutant ran ${rs.length} sign cases in ${(performance.now() - t).toFixed(0)} ms`);
    const want = expectedIds(['sign_seed', 'sign_noseed'], (t) => typeof t.ctx === 'string' && t.ctx.length > 0 && typeof t.msg === 'string');
    // Per parameter set: non-empty, longest and too-long ctx in both files, plus the seed file's 255-byte boundary test.
    expect(want).toHaveLength(3 * (3 + 3 + 1));
    expect(ids(notPassing(rs))).toEqual(want);
  }, 300_000);

  it('verify that always accepts fails exactly the invalid verify cases', async () => {
    const m = mutant('verify-true', {}, { verify: async () => true });
    const rs = await runCases(m, calling(CASES, 'dsa.verify'));
    const want = expectedIds(['verify'], (t) => t.result === 'invalid');
    expect(want).toHaveLength(103 + 131 + 170);
    expect(ids(notPassing(rs))).toEqual(want);
  });

  it('sign that never rejects fails every invalid sign case (wrong key length, key out of range, ctx > 255)', async () => {
    // Swallowing a refusal only changes what happens when noble throws, which on this
    // file set is only for the invalid tests (every valid one passes above): run those.
    const noble = createNobleBackend();
    const m = mutant('sign-never-rejects', {}, {
      sign: async (ps, sk, msg, ctx, rnd) => {
        try {
          return await noble.dsa!.sign(ps, sk, msg, ctx, rnd);
        } catch {
          return new Uint8Array(0);
        }
      },
    });
    const invalid = calling(CASES, 'dsa.sign').filter((c) => c.inputs!().result === 'invalid');
    const rs = await runCases(m, invalid);
    // Per parameter set: the seed file's ctx test, the noseed file's ctx, 2 length and 2 range tests.
    expect(rs).toHaveLength(3 * (1 + 5));
    expect(ids(notPassing(rs))).toEqual(ids(rs));
    expect(notPassing(rs).every((r) => r.reason?.startsWith('sign: returned a result'))).toBe(true);
  });

  it('ML-KEM keygen that pads or truncates the seed fails exactly the wrong-seed-length cases', async () => {
    const noble = createNobleBackend();
    const m = mutant('lenient-seed', {
      keygen: (ps, d, z) => {
        const seed = new Uint8Array(64);
        seed.set(new Uint8Array([...d, ...z]).subarray(0, 64));
        return noble.kem!.keygen(ps, seed.subarray(0, 32), seed.subarray(32));
      },
    });
    const rs = await runCases(m, calling(CASES, 'kem.keygen'));
    const want = expectedIds(['test', 'keygen_seed'], (t) => (t.seed as string).length !== 128);
    expect(want).toHaveLength(3 * 20);
    expect(ids(notPassing(rs))).toEqual(want);
  });
});

describe('judge.expectRejected', () => {
  it('passes a RejectedError, fails a returned value showing it, lets other errors through', async () => {
    expect(await expectRejected('encaps', async () => Promise.reject(new RejectedError('no')))).toEqual({ status: 'pass' });
    const o = await expectRejected('encaps', async () => ({ c: new Uint8Array([1, 2]), k: new Uint8Array([3]) }));
    expect(o).toEqual({ status: 'fail', reason: 'encaps: returned a result, expected the input to be rejected', expected: { encaps: 'rejected' }, got: { c: '0102', k: '03' } });
    expect(await expectRejected('verify', async () => true)).toMatchObject({ status: 'fail', got: { result: true } });
    await expect(expectRejected('x', async () => Promise.reject(new UnsupportedError('policy')))).rejects.toThrow(UnsupportedError);
    await expect(expectRejected('x', async () => Promise.reject(new TypeError('bug')))).rejects.toThrow(TypeError);
  });
});
