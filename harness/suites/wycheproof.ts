// Wycheproof (C2SP/wycheproof, testvectors_v1) for ML-KEM and ML-DSA: every
// test of every file, each honouring its `result` and flags.
//
// Rules, per file type (see the vectors README, "wycheproof/"):
//   MLKEMKeyGen                keygen(seed = d‖z) == (ek, dk).
//   MLKEMTest                  keygen(seed), ek checked when given, then decaps(dk, c) == K.
//                              invalid: a wrong-length seed must make keygen reject; a
//                              wrong-length c must make decaps reject (keygen must succeed).
//   MLKEMEncapsTest            encaps(ek, m) == (c, K); invalid (wrong length, not reduced):
//                              encaps must reject.
//   MLKEMDecapsValidationTest  valid: decaps(dk, c) == K. Wrong dk or c length: decaps must
//                              reject. Right lengths but a corrupted embedded H(ek) or ek:
//                              checkDecapsKey(dk) must be false (FIPS 203 §7.3); whether
//                              decaps also rejects is recorded in a note, not judged.
//   MlDsaSign                  key = keygen(privateSeed) (pk checked when given) or the
//                              expanded privateKey; msg → sign(sk, msg, ctx ?? "", rnd ?? 0³²);
//                              mu only (flag Internal) → signMu. invalid: a wrong-length seed
//                              must make keygen reject; otherwise the key must be usable
//                              (seed) and signing must reject (key length, key out of range,
//                              ctx over 255 bytes).
//   MlDsaVerify                verify(pk, msg, sig, ctx ?? "") == (result == "valid"); a
//                              RejectedError counts as "invalid".
//   acceptable                 (none in the pinned files; the schema allows it) both
//                              behaviours conform: a rejection passes, an output passes when
//                              it equals the expected output the vector gives (a differing
//                              output still fails), and either verify verdict passes. The
//                              outcome's note says which behaviour was seen.
// Lengths are pinned (from model/params.ts) only where the test is valid; fields that
// are deliberately wrong in invalid tests are only parsed as hex.
// Each case carries the test's flags for the bug-class table (model/bug-classes.ts).
// An invalid ML-KEM test without flags gets the flag Wycheproof itself uses for
// that defect, read from the input: a wrong-length key, seed or ciphertext is
// Incorrect…Length; a right-length encapsulation key ("Public key not reduced")
// is ModulusOverflow. Reports show the file's own flags.

import { ZERO32 } from '../../model/bytes.ts';
import type { Case, Outcome, Shown } from '../../model/case.ts';
import { dsaApi, kemApi, RejectedError, type Backend, type Op } from '../../model/contract.ts';
import { expectBytes, expectRejected, expectVerdict, shown } from '../judge.ts';
import { DSA, DSA_PARAMS, KEM, KEM_PARAMS, SEED, type DsaParam, type KemParam } from '../../model/params.ts';
import { Fields, isObj, VectorFormatError } from '../../vectors/fields.ts';
import { readVectorJson } from '../../vectors/store.ts';
import type { FipsRule, PerBackendSuite } from './suite.ts';

const DIR = 'wycheproof/testvectors_v1';

const KEM_KINDS = ['keygen_seed', 'test', 'encaps', 'semi_expanded_decaps'] as const;
const DSA_KINDS = ['sign_seed', 'sign_noseed', 'verify'] as const;
type KemKind = (typeof KEM_KINDS)[number];
type DsaKind = (typeof DSA_KINDS)[number];
type Kind = KemKind | DsaKind;

/** The group `type` each file kind must carry. */
const GROUP_TYPE: Record<Kind, string> = {
  keygen_seed: 'MLKEMKeyGen',
  test: 'MLKEMTest',
  encaps: 'MLKEMEncapsTest',
  semi_expanded_decaps: 'MLKEMDecapsValidationTest',
  sign_seed: 'MlDsaSign',
  sign_noseed: 'MlDsaSign',
  verify: 'MlDsaVerify',
};

const RESULTS = ['valid', 'invalid', 'acceptable'] as const;
type Result = (typeof RESULTS)[number];

export interface WycheproofFileSpec {
  file: string;
  /** File stem without `_test`, e.g. `mlkem_768_encaps`. */
  family: string;
  kind: Kind;
  parameterSet: KemParam | DsaParam;
}

function kemSpecs(): WycheproofFileSpec[] {
  return KEM_PARAMS.flatMap((ps) => {
    const n = ps.slice('ML-KEM-'.length);
    return KEM_KINDS.map((kind) => {
      const family = kind === 'test' ? `mlkem_${n}` : `mlkem_${n}_${kind}`;
      return { file: `${DIR}/${family}_test.json`, family, kind, parameterSet: ps };
    });
  });
}
function dsaSpecs(): WycheproofFileSpec[] {
  return DSA_PARAMS.flatMap((ps) => {
    const n = ps.slice('ML-DSA-'.length);
    return DSA_KINDS.map((kind) => ({ file: `${DIR}/mldsa_${n}_${kind}_test.json`, family: `mldsa_${n}_${kind}`, kind, parameterSet: ps }));
  });
}

/** Every ML-KEM and ML-DSA file of testvectors_v1, in a fixed order. */
export const WYCHEPROOF_FILES: readonly WycheproofFileSpec[] = [...kemSpecs(), ...dsaSpecs()];

/** The spec for a file name (a manifest path or its base name). */
export function wycheproofSpec(file: string): WycheproofFileSpec {
  const s = WYCHEPROOF_FILES.find((f) => f.file === file || f.file.endsWith(`/${file}`));
  if (!s) throw new Error(`${file}: not a Wycheproof ML-KEM/ML-DSA file this suite knows`);
  return s;
}

// --- reading ------------------------------------------------------------------

interface WyTest {
  group: Fields;
  test: Fields;
  tgId: number;
  tcId: number;
  result: Result;
  flags: string[];
  comment: string | undefined;
}

interface WyFile {
  top: Fields;
  numberOfTests: number;
  tests: WyTest[];
}

function readWycheproof(doc: unknown, spec: WycheproofFileSpec): WyFile {
  const file = spec.file;
  if (!isObj(doc)) throw new VectorFormatError({ file }, undefined, 'top level is not a JSON object');
  const top = new Fields({ file }, doc);
  const numberOfTests = top.int('numberOfTests');
  const notes = top.has('notes') ? top.obj['notes'] : {};
  if (!isObj(notes)) top.fail('notes', 'expected an object');
  const tests: WyTest[] = [];
  const seen = new Set<number>();
  top.array('testGroups').forEach((g, i) => {
    // Wycheproof groups carry no id: the group's position (1-based) stands in for one.
    const tgId = i + 1;
    if (!isObj(g)) throw new VectorFormatError({ file, tgId }, `testGroups[${i}]`, 'not an object');
    const group = new Fields({ file, tgId }, g);
    group.oneOf('type', [GROUP_TYPE[spec.kind]]);
    group.array('tests').forEach((t, j) => {
      if (!isObj(t)) throw new VectorFormatError({ file, tgId }, `tests[${j}]`, 'not an object');
      const tcId = new Fields({ file, tgId }, t).int('tcId');
      const test = new Fields({ file, tgId, tcId }, t);
      if (seen.has(tcId)) test.fail('tcId', 'duplicate tcId in this file');
      seen.add(tcId);
      const flags = test.has('flags') ? test.array('flags') : [];
      // Flags are not checked against `notes`: upstream files use some undeclared ones
      // (e.g. InvalidSignature in mldsa_44_verify_test.json).
      for (const f of flags) if (typeof f !== 'string') test.fail('flags', `expected strings, got ${JSON.stringify(f)}`);
      tests.push({ group, test, tgId, tcId, result: test.oneOf('result', RESULTS), flags: flags as string[], comment: test.optStr('comment') });
    });
  });
  return { top, numberOfTests, tests };
}

// --- case building ----------------------------------------------------------------


interface Made {
  op: Op;
  requires: Op[];
  /** An invalid test without flags: the Wycheproof flag for what is wrong with it, read from the input. */
  flag?: string;
  inputs: Record<string, Uint8Array | string | number | boolean | undefined>;
  run: (b: Backend) => Promise<Outcome>;
}

function toCase(spec: WycheproofFileSpec, t: WyTest, m: Made): Case {
  const extra = { result: t.result, flags: t.flags.join(',') || undefined, comment: t.comment };
  return {
    id: `wycheproof/${spec.family}/tc${t.tcId}`,
    suite: 'wycheproof',
    family: spec.family,
    parameterSet: spec.parameterSet,
    op: m.op,
    requires: m.requires,
    source: { file: spec.file, tgId: t.tgId, tcId: t.tcId },
    flags: t.result === 'invalid' && t.flags.length === 0 && m.flag ? [m.flag] : t.flags,
    expectsRejection: t.result === 'invalid',
    inputs: (): Shown => shown({ ...extra, ...m.inputs }),
    run: m.run,
  };
}

/**
 * An "acceptable" test: a rejection passes; an output passes if it equals what
 * the vector expects (when it gives anything), and fails otherwise.
 */
async function acceptableOutput(what: string, call: () => Promise<Outcome>): Promise<Outcome> {
  try {
    const o = await call();
    return o.status === 'pass' ? { status: 'pass', note: `acceptable: ${what} accepted the input; output matches` } : o;
  } catch (e) {
    if (e instanceof RejectedError) return { status: 'pass', note: `acceptable: ${what} rejected the input (${e.message})` };
    throw e;
  }
}

/** Decide by `result`: valid → the check; invalid → rejection; acceptable → either. */
function byResult(t: WyTest, what: string, valid: () => Promise<Outcome>, reject: () => Promise<unknown>): Promise<Outcome> {
  switch (t.result) {
    case 'valid':
      return valid();
    case 'invalid':
      return expectRejected(what, reject);
    case 'acceptable':
      return acceptableOutput(what, valid);
  }
}

function splitSeed(seed: Uint8Array): { d: Uint8Array; z: Uint8Array } {
  // A wrong-length seed is split as d = the first 32 bytes (or fewer), z = the rest:
  // whatever the split, d‖z has the wrong length and keygen must refuse it.
  return { d: seed.subarray(0, SEED.kemD), z: seed.subarray(SEED.kemD) };
}

function mlKemKeyGen(spec: WycheproofFileSpec, t: WyTest, ps: KemParam): Case {
  const sz = KEM[ps];
  const strict = t.result === 'valid';
  const seed = t.test.hex('seed', strict ? SEED.kemD + SEED.kemZ : undefined);
  const { d, z } = splitSeed(seed);
  const ek = t.test.hex('ek', strict ? sz.ek : undefined);
  const dk = t.test.hex('dk', strict ? sz.dk : undefined);
  return toCase(spec, t, {
    op: 'kem.keygen',
    requires: ['kem.keygen'],
    inputs: { seed },
    run: (b) =>
      byResult(
        t,
        'keygen',
        async () => {
          const got = await kemApi(b).keygen(ps, d, z);
          return expectBytes({ ek: [got.ek, ek], dk: [got.dk, dk] });
        },
        () => kemApi(b).keygen(ps, d, z),
      ),
  });
}

function mlKemTest(spec: WycheproofFileSpec, t: WyTest, ps: KemParam): Case {
  const sz = KEM[ps];
  const valid = t.result === 'valid';
  const seed = t.test.hex('seed', valid ? SEED.kemD + SEED.kemZ : undefined);
  const { d, z } = splitSeed(seed);
  const ek = t.test.optHex('ek', sz.ek);
  const c = t.test.hex('c', valid ? sz.c : undefined);
  const K = t.test.hex('K', valid ? sz.ss : undefined);
  const seedBad = seed.length !== SEED.kemD + SEED.kemZ;
  const inputs = { seed, c };
  if (t.result === 'invalid' && seedBad) {
    // (An "acceptable" test with a bad seed takes the full flow below, where any rejection passes.)
    return toCase(spec, t, {
      op: 'kem.keygen',
      requires: ['kem.keygen'],
      flag: 'IncorrectPrivateKeyLength',
      inputs,
      run: (b) => expectRejected('keygen', () => kemApi(b).keygen(ps, d, z)),
    });
  }
  return toCase(spec, t, {
    op: 'kem.decaps',
    requires: ['kem.keygen', 'kem.decaps'],
    ...(c.length !== sz.c ? { flag: 'IncorrectCiphertextLength' } : {}),
    inputs,
    run: async (b) => {
      const keys = async (): Promise<Outcome | Uint8Array> => {
        const got = await kemApi(b).keygen(ps, d, z);
        if (!ek) return got.dk;
        const o = expectBytes({ ek: [got.ek, ek] });
        return o.status === 'pass' ? got.dk : o;
      };
      const flow = async (): Promise<Outcome> => {
        const dk = await keys();
        return dk instanceof Uint8Array ? expectBytes({ K: [await kemApi(b).decaps(ps, dk, c), K] }) : dk;
      };
      if (t.result === 'valid') return flow();
      if (t.result === 'acceptable') return acceptableOutput('keygen/decaps', flow);
      // invalid with a right-length seed: keygen must succeed (and match ek); decaps must reject.
      const dk = await keys();
      return dk instanceof Uint8Array ? expectRejected('decaps', () => kemApi(b).decaps(ps, dk, c)) : dk;
    },
  });
}

function mlKemEncaps(spec: WycheproofFileSpec, t: WyTest, ps: KemParam): Case {
  const sz = KEM[ps];
  const valid = t.result === 'valid';
  const m = t.test.hex('m', SEED.kemM);
  const ek = t.test.hex('ek', valid ? sz.ek : undefined);
  const c = t.test.hex('c', valid ? sz.c : undefined);
  const K = t.test.hex('K', valid ? sz.ss : undefined);
  return toCase(spec, t, {
    op: 'kem.encaps',
    requires: ['kem.encaps'],
    flag: ek.length !== sz.ek ? 'IncorrectPublicKeyLength' : 'ModulusOverflow',
    inputs: { ek, m },
    run: (b) =>
      byResult(
        t,
        'encaps',
        async () => {
          const got = await kemApi(b).encaps(ps, ek, m);
          return expectBytes({ c: [got.c, c], K: [got.k, K] });
        },
        () => kemApi(b).encaps(ps, ek, m),
      ),
  });
}

function mlKemDecapsValidation(spec: WycheproofFileSpec, t: WyTest, ps: KemParam): Case {
  const sz = KEM[ps];
  const valid = t.result === 'valid';
  const dk = t.test.hex('dk', valid ? sz.dk : undefined);
  const c = t.test.hex('c', valid ? sz.c : undefined);
  const ek = t.test.optHex('ek');
  const inputs = { dk, c, ek };
  if (t.result !== 'invalid') {
    const K = t.test.hex('K', sz.ss);
    return toCase(spec, t, {
      op: 'kem.decaps',
      requires: ['kem.decaps'],
      inputs,
      run: (b) =>
        byResult(
          t,
          'decaps',
          async () => expectBytes({ K: [await kemApi(b).decaps(ps, dk, c), K] }),
          () => kemApi(b).decaps(ps, dk, c),
        ),
    });
  }
  if (dk.length !== sz.dk || c.length !== sz.c) {
    return toCase(spec, t, {
      op: 'kem.decaps',
      requires: ['kem.decaps'],
      inputs,
      run: (b) => expectRejected('decaps', () => kemApi(b).decaps(ps, dk, c)),
    });
  }
  // Right lengths, corrupted content (embedded H(ek) or ek): the §7.3 check must fail.
  return toCase(spec, t, {
    op: 'kem.checkDecapsKey',
    requires: ['kem.checkDecapsKey', 'kem.decaps'],
    inputs,
    run: async (b) => {
      const o = expectVerdict('checkDecapsKey', await kemApi(b).checkDecapsKey(ps, dk), false);
      if (o.status !== 'pass') return o;
      try {
        await kemApi(b).decaps(ps, dk, c);
        return { status: 'pass', note: 'checkDecapsKey rejected the key; decaps(dk, c) itself returned a key (the §7.3 check is not repeated inside decaps)' };
      } catch (e) {
        if (e instanceof RejectedError) return { status: 'pass', note: 'checkDecapsKey rejected the key; decaps(dk, c) rejected it as well' };
        throw e;
      }
    },
  });
}

function mlDsaSign(spec: WycheproofFileSpec, t: WyTest, ps: DsaParam): Case {
  const sz = DSA[ps];
  const valid = t.result !== 'invalid';
  const seeded = spec.kind === 'sign_seed';
  const seed = seeded ? t.group.hex('privateSeed', valid ? SEED.dsaXi : undefined) : undefined;
  const givenSk = seeded ? undefined : t.group.hex('privateKey', valid ? sz.sk : undefined);
  // Groups whose private key is unusable carry `publicKey: null`.
  const pk = t.group.obj['publicKey'] === null ? undefined : t.group.optHex('publicKey', sz.pk);
  const msg = t.test.optHex('msg');
  const ctx = t.test.optHex('ctx') ?? new Uint8Array(0);
  const mu = msg ? undefined : t.test.optHex('mu', SEED.dsaMu);
  const rnd = t.test.optHex('rnd', SEED.dsaRnd) ?? ZERO32;
  const sig = t.test.hex('sig', valid ? sz.sig : undefined);
  if (!msg && !mu) t.test.fail('msg', 'missing: a sign test needs msg (or mu, for Internal tests)');
  if (!msg && !t.flags.includes('Internal')) t.test.fail('msg', 'missing on a test not flagged Internal');
  const signOp: Op = msg ? 'dsa.sign' : 'dsa.signMu';
  const inputs = { privateSeed: seed, privateKey: givenSk, msg, ctx: t.test.has('ctx') ? ctx : undefined, mu, rnd: t.test.has('rnd') ? rnd : undefined };
  const signWith = (b: Backend, sk: Uint8Array) => (msg ? dsaApi(b).sign(ps, sk, msg, ctx, rnd) : dsaApi(b).signMu(ps, sk, mu!, rnd));

  if (seed && t.result === 'invalid' && seed.length !== SEED.dsaXi) {
    return toCase(spec, t, {
      op: 'dsa.keygen',
      requires: ['dsa.keygen'],
      inputs,
      run: (b) => expectRejected('keygen', () => dsaApi(b).keygen(ps, seed)),
    });
  }
  return toCase(spec, t, {
    op: signOp,
    requires: seed ? ['dsa.keygen', signOp] : [signOp],
    inputs,
    run: async (b) => {
      const key = async (): Promise<Outcome | Uint8Array> => {
        if (!seed) return givenSk!;
        const kp = await dsaApi(b).keygen(ps, seed);
        if (!pk) return kp.sk;
        const o = expectBytes({ publicKey: [kp.pk, pk] });
        return o.status === 'pass' ? kp.sk : o;
      };
      const what = signOp === 'dsa.sign' ? 'sign' : 'signMu';
      const flow = async (): Promise<Outcome> => {
        const sk = await key();
        return sk instanceof Uint8Array ? expectBytes({ sig: [await signWith(b, sk), sig] }) : sk;
      };
      if (t.result === 'valid') return flow();
      if (t.result === 'acceptable') return acceptableOutput(seed ? `keygen/${what}` : what, flow);
      // invalid with a usable key source: keygen (if any) must succeed; signing must reject.
      const sk = await key();
      return sk instanceof Uint8Array ? expectRejected(what, () => signWith(b, sk)) : sk;
    },
  });
}

function mlDsaVerify(spec: WycheproofFileSpec, t: WyTest, ps: DsaParam): Case {
  const sz = DSA[ps];
  const valid = t.result === 'valid';
  const pk = t.group.hex('publicKey', valid ? sz.pk : undefined);
  const msg = t.test.hex('msg');
  const ctx = t.test.optHex('ctx') ?? new Uint8Array(0);
  const sig = t.test.hex('sig', valid ? sz.sig : undefined);
  return toCase(spec, t, {
    op: 'dsa.verify',
    requires: ['dsa.verify'],
    inputs: { publicKey: pk, msg, ctx: t.test.has('ctx') ? ctx : undefined, sig },
    run: async (b) => {
      let got: boolean;
      let thrown: string | undefined;
      try {
        got = await dsaApi(b).verify(ps, pk, msg, sig, ctx);
      } catch (e) {
        if (!(e instanceof RejectedError)) throw e;
        got = false;
        thrown = e.message;
      }
      if (t.result === 'acceptable') return { status: 'pass', note: `acceptable: verify ${got ? 'accepted' : `rejected${thrown ? ` (${thrown})` : ''}`}` };
      return expectVerdict('valid', got, valid);
    },
  });
}

/** Build every case of one file from its parsed document; throws on a bad file. */
export function buildWycheproofFile(doc: unknown, file: string): Case[] {
  const spec = wycheproofSpec(file);
  const f = readWycheproof(doc, spec);
  let cases: Case[];
  if (spec.kind === 'sign_seed' || spec.kind === 'sign_noseed' || spec.kind === 'verify') {
    const ps = f.top.oneOf('algorithm', [spec.parameterSet as DsaParam]);
    cases = f.tests.map((t) => (spec.kind === 'verify' ? mlDsaVerify(spec, t, ps) : mlDsaSign(spec, t, ps)));
  } else {
    f.top.oneOf('algorithm', ['ML-KEM']);
    cases = f.tests.map((t) => {
      const ps = t.group.oneOf('parameterSet', [spec.parameterSet as KemParam]);
      switch (spec.kind as KemKind) {
        case 'keygen_seed':
          return mlKemKeyGen(spec, t, ps);
        case 'test':
          return mlKemTest(spec, t, ps);
        case 'encaps':
          return mlKemEncaps(spec, t, ps);
        case 'semi_expanded_decaps':
          return mlKemDecapsValidation(spec, t, ps);
      }
    });
  }
  if (cases.length !== f.numberOfTests) {
    f.top.fail('numberOfTests', `declares ${f.numberOfTests} tests but the file holds ${cases.length}`);
  }
  if (cases.length === 0) f.top.fail('testGroups', 'zero tests: a file that yields nothing is an error');
  return cases;
}

export const WYCHEPROOF_NOTES: readonly string[] = [
  'Every ML-KEM and ML-DSA file of Wycheproof testvectors_v1 is applied; each file yields exactly its numberOfTests cases.',
  'invalid tests must be rejected: the backend must throw RejectedError; returning any value fails and shows what came back. Preceding steps (keygen from a right-length seed) must succeed.',
  'MLKEMDecapsValidationTest with right lengths but a corrupted embedded H(ek)/ek: judged by checkDecapsKey (must be false, FIPS 203 §7.3); whether decaps itself also rejects is noted, not judged.',
  'MlDsaSign tests flagged Internal give only mu and are run through signMu; deterministic tests sign with rnd = 32 zero bytes.',
  'MlDsaVerify: a RejectedError from verify counts as "invalid".',
  '"acceptable" (allowed by the schema, absent from the pinned files): a rejection passes; an output passes only if it equals the expected output; either verify verdict passes. The note records the behaviour seen.',
  'Wycheproof groups have no id: tgId is the group position in the file, starting at 1.',
];

/** Wycheproof families (named as the test files, without `_test`); final FIPS 203 / 204 numbering. */
const FIPS: readonly FipsRule[] = [
  { match: /^mlkem_\d+_keygen_seed$/, standard: 'FIPS 203', clause: '§6.1 Alg. 16 KeyGen_internal (§7.1 Alg. 19 ML-KEM.KeyGen)', what: 'key generation from the 64-byte seed d‖z' },
  { match: /^mlkem_\d+_encaps$/, standard: 'FIPS 203', clause: '§7.2 Alg. 20 ML-KEM.Encaps input checks, §6.2 Alg. 17', what: 'encapsulation; rejection of malformed encapsulation keys (type and modulus checks)' },
  { match: /^mlkem_\d+_semi_expanded_decaps$/, standard: 'FIPS 203', clause: '§7.3 Alg. 21 ML-KEM.Decaps input checks, §6.3 Alg. 18', what: 'decapsulation with an expanded key; decapsulation-key hash check, ciphertext length' },
  { match: /^mlkem_\d+$/, standard: 'FIPS 203', clause: '§6.1 Alg. 16, §6.3 Alg. 18; §7.3 input checks', what: 'key generation from seed and decapsulation, including implicit rejection' },
  { match: /^mldsa_\d+_sign_seed$/, standard: 'FIPS 204', clause: '§6.1 Alg. 6 (key from seed), §5.2 Alg. 2 ML-DSA.Sign, §6.2 Alg. 7', what: 'signing with a key expanded from ξ; context-string limits' },
  { match: /^mldsa_\d+_sign_noseed$/, standard: 'FIPS 204', clause: '§5.2 Alg. 2 ML-DSA.Sign, §6.2 Alg. 7 Sign_internal', what: 'signing with an expanded private key; malformed keys' },
  { match: /^mldsa_\d+_verify$/, standard: 'FIPS 204', clause: '§5.3 Alg. 3 ML-DSA.Verify, §6.3 Alg. 8 Verify_internal', what: 'verification edge cases: malformed signatures, hint encoding, norm bounds, context' },
];

export const wycheproofSuite: PerBackendSuite = {
  kind: 'per-backend',
  name: 'wycheproof',
  title: 'Wycheproof testvectors_v1 (ML-KEM, ML-DSA)',
  vectorFiles: WYCHEPROOF_FILES.map((f) => f.file),
  fips: FIPS,
  notes: WYCHEPROOF_NOTES,
  cases() {
    return WYCHEPROOF_FILES.flatMap((s) => buildWycheproofFile(readVectorJson(s.file), s.file));
  },
};

