// C2SP/CCTV ML-KEM vectors (the ML-KEM folder only; CC0-1.0).
//
//   strcmp         decaps(dk, c) == K: an implicit-rejection ciphertext whose re-encryption
//                  differs after a zero byte (catches an early-exit comparison).
//   modulus        one non-reduced ek per line (775 / 780 / 1040 keys). Each key gives two
//                  cases: encaps(ek, 0³²) must reject (RejectedError), and checkEncapsKey(ek)
//                  must be false (FIPS 203 §7.2). Two cases rather than one so that a backend
//                  without a separate key check still has its encaps judged, and a report says
//                  which of the two entry points lets the key through.
//   unluckysample  and intermediate: encaps(ek, m) == (c, K) and decaps(dk, c) == K with the
//                  given ek/dk only. Their key generation follows the FIPS 203 *draft* (ipd:
//                  (ρ, σ) = G(d)); final FIPS 203 hashes G(d‖k), so KeyGen(d, z) does not
//                  reproduce their ek/dk and is deliberately not tested. Encaps/Decaps of the
//                  given keys are unchanged by that difference and are judged normally; each
//                  passing case carries a note saying so.
//
// Files are `name = value` lines. In intermediate files names repeat (dkPKE, r) and one line
// reads `dkPKE = NTT(s) = …`: the name is the text before the first ` = `, the value the text
// after the last ` = `. Every error names the file and the line.

import { ZERO32 } from '../../model/bytes.ts';
import type { Case, Outcome } from '../../model/case.ts';
import { kemApi, type Backend, type Op } from '../../model/contract.ts';
import { expectBytes, expectRejected, expectVerdict, shown } from '../judge.ts';
import { KEM, KEM_PARAMS, SEED, type KemParam } from '../../model/params.ts';
import { Fields, VectorFormatError } from '../../vectors/fields.ts';
import { readVector } from '../../vectors/store.ts';
import type { FipsRule, PerBackendSuite } from './suite.ts';

const DIR = 'cctv/ML-KEM';

export const CCTV_KINDS = ['strcmp', 'modulus', 'unluckysample', 'intermediate'] as const;
export type CctvKind = (typeof CCTV_KINDS)[number];

/** Keys per modulus file, as the vectors README states them. */
export const MODULUS_KEYS: Readonly<Record<KemParam, number>> = { 'ML-KEM-512': 775, 'ML-KEM-768': 780, 'ML-KEM-1024': 1040 };

export interface CctvFileSpec {
  file: string;
  kind: CctvKind;
  family: `cctv-${CctvKind}`;
  parameterSet: KemParam;
}

export const CCTV_FILES: readonly CctvFileSpec[] = CCTV_KINDS.flatMap((kind) =>
  KEM_PARAMS.map((ps) => ({
    file: `${DIR}/${kind}/${ps}.txt${kind === 'modulus' ? '.gz' : ''}`,
    kind,
    family: `cctv-${kind}` as const,
    parameterSet: ps,
  })),
);

export function cctvSpec(file: string): CctvFileSpec {
  const s = CCTV_FILES.find((f) => f.file === file);
  if (!s) throw new Error(`${file}: not a CCTV ML-KEM file this suite knows`);
  return s;
}

export const DRAFT_NOTE =
  'CCTV generated these keys with FIPS 203 ipd key generation ((ρ, σ) = G(d), not G(d‖k)): only Encaps/Decaps with the given ek/dk are checked, and they match final FIPS 203; KeyGen(d, z) is not tested.';

// --- parsing ------------------------------------------------------------------------

export interface CctvLine {
  name: string;
  value: string;
  line: number;
}

/** `name = value` lines; blank lines are skipped; anything else is an error naming file and line. */
export function parseAssignments(text: string, file: string): CctvLine[] {
  const out: CctvLine[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    const s = raw.replace(/\r$/, '');
    if (s.trim() === '') return;
    const first = s.indexOf(' = ');
    if (first <= 0) throw new VectorFormatError({ file, line }, undefined, `expected 'name = value', got ${JSON.stringify(s.length > 60 ? `${s.slice(0, 60)}…` : s)}`);
    const last = s.lastIndexOf(' = ');
    out.push({ name: s.slice(0, first).trim(), value: s.slice(last + 3).trim(), line });
  });
  return out;
}

/** Exactly one line named `name`, decoded as hex of the given length. */
function field(lines: CctvLine[], file: string, name: string, len: number): { bytes: Uint8Array; line: number } {
  const hits = lines.filter((l) => l.name === name);
  if (hits.length === 0) throw new VectorFormatError({ file }, name, 'missing');
  if (hits.length > 1) throw new VectorFormatError({ file, line: hits[1]!.line }, name, `appears ${hits.length} times (first at line ${hits[0]!.line}); this value must be unique`);
  const h = hits[0]!;
  return { bytes: new Fields({ file, line: h.line }, { [name]: h.value }).hex(name, len), line: h.line };
}

// --- cases --------------------------------------------------------------------------


interface Made {
  id: string;
  op: Op;
  line?: number;
  inputs: () => ReturnType<typeof shown>;
  run: (b: Backend) => Promise<Outcome>;
}

function toCase(spec: CctvFileSpec, m: Made): Case {
  return {
    id: `cctv/${spec.family}/${spec.parameterSet}/${m.id}`,
    suite: 'cctv',
    family: spec.family,
    parameterSet: spec.parameterSet,
    op: m.op,
    requires: [m.op],
    source: m.line === undefined ? { file: spec.file } : { file: spec.file, line: m.line },
    // Every modulus key must be refused; the other kinds expect an answer.
    expectsRejection: spec.kind === 'modulus',
    inputs: m.inputs,
    run: m.run,
  };
}

function withNote(o: Outcome, note: string): Outcome {
  return o.status === 'pass' ? { status: 'pass', note } : o;
}

function strcmp(spec: CctvFileSpec, text: string): Case[] {
  const ps = spec.parameterSet;
  const sz = KEM[ps];
  const lines = parseAssignments(text, spec.file);
  const dk = field(lines, spec.file, 'dk', sz.dk);
  const c = field(lines, spec.file, 'c', sz.c);
  const K = field(lines, spec.file, 'K', sz.ss);
  return [
    toCase(spec, {
      id: 'decaps',
      op: 'kem.decaps',
      inputs: () => shown({ dk: dk.bytes, c: c.bytes }),
      run: async (b) => expectBytes({ K: [await kemApi(b).decaps(ps, dk.bytes, c.bytes), K.bytes] }),
    }),
  ];
}

/** Encaps and Decaps with the given (draft-generated) keys; keygen deliberately left out. */
function encapsDecaps(spec: CctvFileSpec, text: string): Case[] {
  const ps = spec.parameterSet;
  const sz = KEM[ps];
  const lines = parseAssignments(text, spec.file);
  const ek = field(lines, spec.file, 'ek', sz.ek);
  const dk = field(lines, spec.file, 'dk', sz.dk);
  const m = field(lines, spec.file, 'm', SEED.kemM);
  const c = field(lines, spec.file, 'c', sz.c);
  const K = field(lines, spec.file, 'K', sz.ss);
  return [
    toCase(spec, {
      id: 'encaps',
      op: 'kem.encaps',
      inputs: () => shown({ ek: ek.bytes, m: m.bytes }),
      run: async (b) => {
        const got = await kemApi(b).encaps(ps, ek.bytes, m.bytes);
        return withNote(expectBytes({ c: [got.c, c.bytes], K: [got.k, K.bytes] }), DRAFT_NOTE);
      },
    }),
    toCase(spec, {
      id: 'decaps',
      op: 'kem.decaps',
      inputs: () => shown({ dk: dk.bytes, c: c.bytes }),
      run: async (b) => withNote(expectBytes({ K: [await kemApi(b).decaps(ps, dk.bytes, c.bytes), K.bytes] }), DRAFT_NOTE),
    }),
  ];
}

function modulus(spec: CctvFileSpec, text: string): Case[] {
  const ps = spec.parameterSet;
  const sz = KEM[ps];
  const cases: Case[] = [];
  let keys = 0;
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    const s = raw.trim();
    if (s === '') return;
    keys++;
    // Each key must have the right length, so a rejection can only be the modulus check's.
    const ek = new Fields({ file: spec.file, line }, { ek: s }).hex('ek', sz.ek);
    cases.push(
      toCase(spec, {
        id: `encaps/line${line}`,
        op: 'kem.encaps',
        line,
        inputs: () => shown({ ek, m: ZERO32 }),
        run: (b) => expectRejected('encaps', () => kemApi(b).encaps(ps, ek, ZERO32)),
      }),
      toCase(spec, {
        id: `checkEncapsKey/line${line}`,
        op: 'kem.checkEncapsKey',
        line,
        inputs: () => shown({ ek }),
        run: async (b) => expectVerdict('checkEncapsKey', await kemApi(b).checkEncapsKey(ps, ek), false),
      }),
    );
  });
  if (keys !== MODULUS_KEYS[ps]) throw new VectorFormatError({ file: spec.file }, undefined, `holds ${keys} keys, the vectors README says ${MODULUS_KEYS[ps]}`);
  return cases;
}

/** Build the cases of one CCTV file from its (decompressed) text; throws on a bad file. */
export function buildCctvFile(text: string, file: string): Case[] {
  const spec = cctvSpec(file);
  switch (spec.kind) {
    case 'strcmp':
      return strcmp(spec, text);
    case 'modulus':
      return modulus(spec, text);
    case 'unluckysample':
    case 'intermediate':
      return encapsDecaps(spec, text);
  }
}

export const CCTV_NOTES: readonly string[] = [
  'CCTV ML-KEM vectors target FIPS 203 ipd: key generation there computes (ρ, σ) = G(d), final FIPS 203 computes G(d‖k). For unluckysample/* and intermediate/* only Encaps(given ek, m) and Decaps(given dk, c) are checked (those match final FIPS 203); KeyGen(d, z) is deliberately not tested, since a correct final implementation does not reproduce their ek/dk.',
  'unluckysample: SampleNTT needs more than 575 XOF bytes for the matrix; Encaps(ek, m) expands the matrix from the ρ inside ek, so it exercises that path.',
  'modulus: every key gives two cases: encaps(ek, m = 32 zero bytes) must be rejected, and checkEncapsKey(ek) must be false (FIPS 203 §7.2). Keys per file: 775 / 780 / 1040.',
  'strcmp: Decaps(dk, c) must equal K (implicit rejection; catches an early-exit comparison of the re-encrypted ciphertext).',
  "The upstream README's accumulated digests are for the ipd and are not used here.",
];

/** C2SP CCTV families (ML-KEM); final FIPS 203 numbering. */
const FIPS: readonly FipsRule[] = [
  { match: /^cctv-strcmp/, standard: 'FIPS 203', clause: '§6.3 Alg. 18 Decaps_internal, steps 9–10', what: 'ciphertext comparison must cover every byte (vectors that pass a strcmp()-based compare)' },
  { match: /^cctv-unlucky/, standard: 'FIPS 203', clause: '§4.2.2 Alg. 7 SampleNTT, used by §5.1 Alg. 13 / §5.2 Alg. 14', what: 'seeds needing an unusually long XOF read in rejection sampling' },
  { match: /^cctv-modulus/, standard: 'FIPS 203', clause: '§7.2 encapsulation-key modulus check', what: 'encapsulation keys with a coefficient ≥ q must be rejected' },
  { match: /^cctv-intermediate/, standard: 'FIPS 203', clause: '§5.1–5.3 Alg. 13–15 K-PKE, §6.1–6.3 Alg. 16–18', what: 'end-to-end values of the intermediate-value vectors' },
  { match: /^cctv-(pq-crystals|kat)/, standard: 'FIPS 203', clause: '§6.1–6.3 Alg. 16–18', what: 'reference-implementation known answers' },
];

export const cctvSuite: PerBackendSuite = {
  kind: 'per-backend',
  name: 'cctv',
  title: 'C2SP CCTV ML-KEM vectors (strcmp, modulus, unluckysample, intermediate)',
  vectorFiles: CCTV_FILES.map((f) => f.file),
  fips: FIPS,
  notes: CCTV_NOTES,
  cases() {
    return CCTV_FILES.flatMap((s) => {
      const cases = buildCctvFile(readVector(s.file).content.toString('utf8'), s.file);
      if (cases.length === 0) throw new VectorFormatError({ file: s.file }, undefined, 'zero cases: a file that yields nothing is an error');
      return cases;
    });
  },
};
