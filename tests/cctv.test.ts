// The CCTV ML-KEM suite: counts per file (modulus 775/780/1040 keys, two cases
// each), a clean run on noble with the draft-vs-final note on the ipd-generated
// files, located errors for malformed text, and mutant backends that prove the
// checks bite.

import { describe, expect, it } from 'vitest';
import type { Case } from '../model/case.ts';
import { KEM } from '../model/params.ts';
import { buildCctvFile, CCTV_FILES, cctvSuite, DRAFT_NOTE, MODULUS_KEYS, parseAssignments } from '../harness/suites/cctv.ts';
import { createNobleBackend } from '../backends/noble.ts';
import { readVector } from '../vectors/store.ts';
import { runCases, type Ran } from './run-cases.ts';
import { nobleWith as mutant, reduceEk } from './fixtures/mutants/wrap.ts';

const notPassing = (rs: Ran[]) => rs.filter((r) => r.status !== 'pass');
const ids = (rs: Ran[] | Case[]) => rs.map((r) => r.id).sort();

const t0 = performance.now();
const CASES = cctvSuite.cases({});
const BUILD_MS = performance.now() - t0;

describe('cctv suite: cases', () => {
  it('counts per file match the README: modulus 775/780/1040 keys × 2 checks; 1 strcmp, 2 unlucky, 2 intermediate per set', () => {
    console.log(`cctv: built ${CASES.length} cases in ${BUILD_MS.toFixed(0)} ms`);
    expect(CCTV_FILES).toHaveLength(12);
    const perFile = new Map<string, number>();
    for (const c of CASES) perFile.set(c.source!.file, (perFile.get(c.source!.file) ?? 0) + 1);
    const want: Record<string, number> = {};
    for (const f of CCTV_FILES) want[f.file] = f.kind === 'modulus' ? 2 * MODULUS_KEYS[f.parameterSet] : f.kind === 'strcmp' ? 1 : 2;
    expect(Object.fromEntries(perFile)).toEqual(want);
    expect(MODULUS_KEYS).toEqual({ 'ML-KEM-512': 775, 'ML-KEM-768': 780, 'ML-KEM-1024': 1040 });
    // Independently: one key per non-empty line of each decompressed modulus file.
    for (const f of CCTV_FILES.filter((x) => x.kind === 'modulus')) {
      const lines = readVector(f.file).content.toString('utf8').split('\n').filter((l) => l.trim() !== '');
      expect(lines.length, f.file).toBe(MODULUS_KEYS[f.parameterSet]);
      expect(CASES.filter((c) => c.source!.file === f.file && c.op === 'kem.encaps')).toHaveLength(lines.length);
      expect(CASES.filter((c) => c.source!.file === f.file && c.op === 'kem.checkEncapsKey')).toHaveLength(lines.length);
    }
    expect(CASES).toHaveLength(3 * 1 + 2 * (775 + 780 + 1040) + 3 * 2 + 3 * 2);
    expect(new Set(CASES.map((c) => c.id)).size).toBe(CASES.length);
    expect(new Set(CASES.map((c) => c.family))).toEqual(new Set(['cctv-strcmp', 'cctv-modulus', 'cctv-unluckysample', 'cctv-intermediate']));
    // No key generation anywhere: the ipd key schedule differs from final FIPS 203.
    expect(CASES.some((c) => c.requires.includes('kem.keygen'))).toBe(false);
  });

  it('ids and sources name the file and line', () => {
    const c = CASES.find((x) => x.id === 'cctv/cctv-modulus/ML-KEM-768/encaps/line12')!;
    expect(c).toMatchObject({ suite: 'cctv', family: 'cctv-modulus', parameterSet: 'ML-KEM-768', op: 'kem.encaps', source: { file: 'cctv/ML-KEM/modulus/ML-KEM-768.txt.gz', line: 12 } });
    expect(CASES.find((x) => x.id === 'cctv/cctv-modulus/ML-KEM-768/checkEncapsKey/line12')).toBeDefined();
    expect(CASES.find((x) => x.id === 'cctv/cctv-strcmp/ML-KEM-1024/decaps')).toMatchObject({ op: 'kem.decaps', source: { file: 'cctv/ML-KEM/strcmp/ML-KEM-1024.txt' } });
    expect(cctvSuite.notes!.some((n) => n.includes('G(d‖k)'))).toBe(true);
  });
});

describe('cctv suite: noble', () => {
  it('passes every case, with no skips; the ipd-generated files carry the draft note', async () => {
    const t = performance.now();
    const rs = await runCases(createNobleBackend(), CASES);
    console.log(`cctv: ran ${rs.length} cases on noble in ${(performance.now() - t).toFixed(0)} ms`);
    console.log('cctv on noble:', Object.fromEntries(['pass', 'fail', 'skip', 'error'].map((s) => [s, rs.filter((r) => r.status === s).length])));
    expect(notPassing(rs)).toEqual([]);
    const noted = rs.filter((r) => r.note);
    expect(noted.every((r) => r.note === DRAFT_NOTE)).toBe(true);
    expect(ids(noted)).toEqual(ids(CASES.filter((c) => c.family === 'cctv-unluckysample' || c.family === 'cctv-intermediate')));
    expect(noted).toHaveLength(12);
  });

  it('the draft trap is real: final-FIPS-203 keygen(d, z) does not reproduce the unluckysample ek', async () => {
    const noble = createNobleBackend();
    for (const f of CCTV_FILES.filter((x) => x.kind === 'unluckysample')) {
      const lines = parseAssignments(readVector(f.file).content.toString('utf8'), f.file);
      const get = (n: string) => Uint8Array.from(Buffer.from(lines.find((l) => l.name === n)!.value, 'hex'));
      const kp = await noble.kem!.keygen(f.parameterSet, get('d'), get('z'));
      expect(Buffer.from(kp.ek).equals(Buffer.from(get('ek'))), f.file).toBe(false);
      // ρ is the last 32 bytes of ek: it differs too (G(d) vs G(d‖k)).
      expect(Buffer.from(kp.ek.subarray(-32)).equals(Buffer.from(get('ek').subarray(-32))), f.file).toBe(false);
    }
  });
});

describe('cctv suite: malformed text', () => {
  const STRCMP = 'cctv/ML-KEM/strcmp/ML-KEM-512.txt';
  const MOD = 'cctv/ML-KEM/modulus/ML-KEM-512.txt.gz';
  const sz = KEM['ML-KEM-512'];
  const good = `dk = ${'00'.repeat(sz.dk)}\nc = ${'00'.repeat(sz.c)}\nK = ${'00'.repeat(32)}\n`;

  it('parses name = value, taking the value after the last " = "', () => {
    expect(parseAssignments('dkPKE = NTT(s) = abcd\n\nA[0, 0] = {1, 2}\n', 'f.txt')).toEqual([
      { name: 'dkPKE', value: 'abcd', line: 1 },
      { name: 'A[0, 0]', value: '{1, 2}', line: 3 },
    ]);
    expect(buildCctvFile(good, STRCMP)).toHaveLength(1);
  });
  it('a line without " = " names file and line', () => {
    expect(() => parseAssignments('a = 00\nnonsense\n', 'x/f.txt')).toThrow(/x\/f\.txt line 2: expected 'name = value'/);
  });
  it('a non-hex value names file, line and field', () => {
    const bad = good.replace(/^c = 00/m, 'c = 0g');
    expect(() => buildCctvFile(bad, STRCMP)).toThrow(/strcmp\/ML-KEM-512\.txt line 2 field 'c': not hex: character "g"/);
  });
  it('a wrong length, a missing or repeated field are located errors', () => {
    expect(() => buildCctvFile(good.replace(/^K = 00/m, 'K = '), STRCMP)).toThrow(/line 3 field 'K': expected 32 bytes, got 31/);
    expect(() => buildCctvFile(good.replace(/^K = .*$/m, ''), STRCMP)).toThrow(/strcmp\/ML-KEM-512\.txt field 'K': missing/);
    expect(() => buildCctvFile(good + `K = ${'11'.repeat(32)}\n`, STRCMP)).toThrow(/line 4 field 'K': appears 2 times \(first at line 3\)/);
  });
  it('a modulus file: a bad key names its line; a wrong key count names the file', () => {
    const text = readVector(MOD).content.toString('utf8');
    const keys = text.split('\n').filter((l) => l !== '');
    expect(() => buildCctvFile(keys.slice(0, 3).join('\n'), MOD)).toThrow(/modulus\/ML-KEM-512\.txt\.gz: holds 3 keys, the vectors README says 775/);
    const broken = [...keys];
    broken[4] = broken[4]!.slice(2);
    expect(() => buildCctvFile(broken.join('\n'), MOD)).toThrow(/ML-KEM-512\.txt\.gz line 5 field 'ek': expected 800 bytes, got 799/);
  });
});

describe('cctv suite: mutant backends are caught', () => {
  it('encaps without the modulus check fails exactly the modulus encaps cases', async () => {
    const noble = createNobleBackend();
    const rs = await runCases(mutant('no-modulus-check', { encaps: (ps, ek, m) => noble.kem!.encaps(ps, reduceEk(ps, ek), m) }), CASES);
    const want = ids(CASES.filter((c) => c.family === 'cctv-modulus' && c.op === 'kem.encaps'));
    expect(want).toHaveLength(775 + 780 + 1040);
    expect(ids(notPassing(rs))).toEqual(want);
    expect(notPassing(rs).every((r) => r.status === 'fail' && r.reason?.startsWith('encaps: returned a result'))).toBe(true);
  });

  it('a key check that always passes fails exactly the modulus checkEncapsKey cases', async () => {
    const rs = await runCases(mutant('ek-check-true', { checkEncapsKey: async () => true }), CASES);
    const want = ids(CASES.filter((c) => c.family === 'cctv-modulus' && c.op === 'kem.checkEncapsKey'));
    expect(want).toHaveLength(775 + 780 + 1040);
    expect(ids(notPassing(rs))).toEqual(want);
  });

  it('a decaps returning a wrong key fails exactly the decaps cases (strcmp, unluckysample, intermediate)', async () => {
    const noble = createNobleBackend();
    const rs = await runCases(
      mutant('flip-k', {
        decaps: async (ps, dk, c) => {
          const k = await noble.kem!.decaps(ps, dk, c);
          k[0] = k[0]! ^ 1;
          return k;
        },
      }),
      CASES,
    );
    expect(ids(notPassing(rs))).toEqual(ids(CASES.filter((c) => c.op === 'kem.decaps')));
    expect(notPassing(rs)).toHaveLength(3 + 3 + 3);
  });
});
