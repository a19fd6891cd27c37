// Which backend contract call answers an ACVP test, with which inputs, and
// which response fields carry the answer: the one table shared by the acvp
// suite (it judges the answer against expectedResults) and `acvp respond` (it
// writes the answer into a response file).
//
// Rules, each with its reason:
// - A task reads only the prompt's fields of a test, never its answers: the
//   same task must work on a prompt that has no answers.
// - The answers are named as ACVP's response fields (ek, dk, c, k, pk, sk,
//   signature, testPassed), so a response is the answer as it stands.
// - Deterministic ML-DSA groups sign with rnd = 32 zero bytes (FIPS 204 Alg. 2).
// - -tr1 seed-format keys: the key is KeyGen_internal of the given seed, made
//   by the same backend (so the case also requires its keygen).
// - testPassed answers (key checks, sigVer): a RejectedError means the backend
//   refused the input, which is a "false", said in the answer's note. A
//   RejectedError where bytes are expected is no answer at all: it propagates.

import { ZERO32 } from '../../model/bytes.ts';
import type { Shown } from '../../model/case.ts';
import { dsaApi, kemApi, RejectedError, type Backend, type Op } from '../../model/contract.ts';
import { DSA, DSA_PARAMS, HASH_ALG_NAMES, KEM, KEM_PARAMS, SEED, type DsaParam, type HashAlg, type KemParam, type ParamSet } from '../../model/params.ts';
import type { AcvpFile, AcvpTest } from '../../vectors/acvp.ts';
import { VectorFormatError } from '../../vectors/fields.ts';
import { shown } from '../judge.ts';

/** How a response field is written: hex bytes of the length the standard fixes, or the verdict `testPassed`. */
export type AnswerField = number | 'verdict';

/** What the backend answered, under the response's field names. */
export interface Answer {
  values: Record<string, Uint8Array | boolean>;
  /** How the answer was reached, when a reader should know (a rejection read as false). */
  note?: string;
}

export interface AcvpTask {
  test: AcvpTest;
  /** `ML-KEM-keyGen`, `ML-DSA-sigGen`, ...: the ACVP-Server folder name without the revision. */
  family: string;
  parameterSet: ParamSet;
  /** The operation under test. */
  op: Op;
  /** Every contract operation `answer` calls. */
  requires: readonly Op[];
  hashAlg?: HashAlg;
  /** The prompt's inputs, for a report (hex). */
  inputs: () => Shown;
  /** The response fields, in the order they are written. */
  answers: Readonly<Record<string, AnswerField>>;
  answer(b: Backend): Promise<Answer>;
}

/** What a mode's maker decides for one test. */
type Made = Omit<AcvpTask, 'test' | 'family' | 'parameterSet'>;

function bytesAnswer(values: Record<string, Uint8Array>): Answer {
  return { values };
}

async function verdictAnswer(call: () => Promise<boolean>): Promise<Answer> {
  try {
    return { values: { testPassed: await call() } };
  } catch (e) {
    if (e instanceof RejectedError) return { values: { testPassed: false }, note: `the backend rejected the input (${e.message}): testPassed false` };
    throw e;
  }
}

const VERDICT = { testPassed: 'verdict' } as const;

function kemParam(t: AcvpTest): KemParam {
  return t.group.oneOf('parameterSet', KEM_PARAMS);
}
function dsaParam(t: AcvpTest): DsaParam {
  return t.group.oneOf('parameterSet', DSA_PARAMS);
}

function mlKemKeyGen(t: AcvpTest): Made {
  const ps = kemParam(t);
  const d = t.test.hex('d', SEED.kemD);
  const z = t.test.hex('z', SEED.kemZ);
  return {
    op: 'kem.keygen',
    requires: ['kem.keygen'],
    inputs: () => shown({ d, z }),
    answers: { ek: KEM[ps].ek, dk: KEM[ps].dk },
    answer: async (b) => bytesAnswer({ ...(await kemApi(b).keygen(ps, d, z)) }),
  };
}

const KEM_FUNCTIONS = ['encapsulation', 'decapsulation', 'encapsulationKeyCheck', 'decapsulationKeyCheck'] as const;

function mlKemEncapDecap(t: AcvpTest): Made {
  const ps = kemParam(t);
  const sz = KEM[ps];
  const fn = t.group.oneOf('function', KEM_FUNCTIONS);
  // The prompt leaves keyFormat out of the groups where it is `none` (encapsulation, encapsulationKeyCheck).
  const keyFormat = t.group.has('keyFormat') ? t.group.oneOf('keyFormat', ['none', 'seed', 'expanded'] as const) : 'none';
  switch (fn) {
    case 'encapsulation': {
      const ek = t.test.hex('ek', sz.ek);
      const m = t.test.hex('m', SEED.kemM);
      return {
        op: 'kem.encaps',
        requires: ['kem.encaps'],
        inputs: () => shown({ ek, m }),
        answers: { c: sz.c, k: sz.ss },
        answer: async (b) => bytesAnswer({ ...(await kemApi(b).encaps(ps, ek, m)) }),
      };
    }
    case 'decapsulation': {
      const ct = t.test.hex('c', sz.c);
      if (keyFormat === 'seed') {
        const d = t.test.hex('d', SEED.kemD);
        const z = t.test.hex('z', SEED.kemZ);
        return {
          op: 'kem.decaps',
          requires: ['kem.keygen', 'kem.decaps'],
          inputs: () => shown({ d, z, c: ct }),
          answers: { k: sz.ss },
          answer: async (b) => {
            const { dk } = await kemApi(b).keygen(ps, d, z);
            return bytesAnswer({ k: await kemApi(b).decaps(ps, dk, ct) });
          },
        };
      }
      const dk = t.test.hex('dk', sz.dk);
      return {
        op: 'kem.decaps',
        requires: ['kem.decaps'],
        inputs: () => shown({ dk, c: ct }),
        answers: { k: sz.ss },
        answer: async (b) => bytesAnswer({ k: await kemApi(b).decaps(ps, dk, ct) }),
      };
    }
    case 'encapsulationKeyCheck': {
      const ek = t.test.hex('ek', sz.ek);
      return {
        op: 'kem.checkEncapsKey',
        requires: ['kem.checkEncapsKey'],
        inputs: () => shown({ ek }),
        answers: VERDICT,
        answer: (b) => verdictAnswer(() => kemApi(b).checkEncapsKey(ps, ek)),
      };
    }
    case 'decapsulationKeyCheck': {
      const dk = t.test.hex('dk', sz.dk);
      return {
        op: 'kem.checkDecapsKey',
        requires: ['kem.checkDecapsKey'],
        inputs: () => shown({ dk }),
        answers: VERDICT,
        answer: (b) => verdictAnswer(() => kemApi(b).checkDecapsKey(ps, dk)),
      };
    }
  }
}

function mlDsaKeyGen(t: AcvpTest): Made {
  const ps = dsaParam(t);
  const seed = t.test.hex('seed', SEED.dsaXi);
  return {
    op: 'dsa.keygen',
    requires: ['dsa.keygen'],
    inputs: () => shown({ seed }),
    answers: { pk: DSA[ps].pk, sk: DSA[ps].sk },
    answer: async (b) => bytesAnswer({ ...(await dsaApi(b).keygen(ps, seed)) }),
  };
}

type Interface = 'pure' | 'preHash' | 'internal' | 'mu';

/** Which signing interface a sigGen/sigVer group exercises. */
function signatureInterface(t: AcvpTest): Interface {
  const iface = t.group.oneOf('signatureInterface', ['external', 'internal'] as const);
  if (iface === 'external') return t.group.oneOf('preHash', ['pure', 'preHash'] as const);
  return t.group.bool('externalMu') ? 'mu' : 'internal';
}

function mlDsaSigGen(t: AcvpTest): Made {
  const ps = dsaParam(t);
  const kind = signatureInterface(t);
  const deterministic = t.group.bool('deterministic');
  const rnd = deterministic ? ZERO32 : t.test.hex('rnd', SEED.dsaRnd);
  const keyFormat = t.group.has('keyFormat') ? t.group.oneOf('keyFormat', ['seed', 'expanded'] as const) : 'expanded';
  const seed = keyFormat === 'seed' ? t.test.hex('seed', SEED.dsaXi) : undefined;
  const givenSk = keyFormat === 'expanded' ? t.test.hex('sk', DSA[ps].sk) : undefined;
  const key = async (b: Backend) => (seed ? (await dsaApi(b).keygen(ps, seed)).sk : givenSk!);
  const keyOps: Op[] = seed ? ['dsa.keygen'] : [];
  const keyShown = { seed, sk: givenSk, rnd: deterministic ? undefined : rnd, deterministic };
  const answers = { signature: DSA[ps].sig };
  const signed = (sig: Uint8Array) => bytesAnswer({ signature: sig });
  switch (kind) {
    case 'pure': {
      const msg = t.test.hex('message');
      const ctx = t.test.hex('context');
      return {
        op: 'dsa.sign',
        requires: [...keyOps, 'dsa.sign'],
        inputs: () => shown({ ...keyShown, message: msg, context: ctx }),
        answers,
        answer: async (b) => signed(await dsaApi(b).sign(ps, await key(b), msg, ctx, rnd)),
      };
    }
    case 'preHash': {
      const msg = t.test.hex('message');
      const ctx = t.test.hex('context');
      const hashAlg = t.test.oneOf('hashAlg', HASH_ALG_NAMES);
      return {
        op: 'dsa.signPreHash',
        requires: [...keyOps, 'dsa.signPreHash'],
        hashAlg,
        inputs: () => shown({ ...keyShown, message: msg, context: ctx, hashAlg }),
        answers,
        answer: async (b) => signed(await dsaApi(b).signPreHash(ps, await key(b), msg, hashAlg, ctx, rnd)),
      };
    }
    case 'internal': {
      const mPrime = t.test.hex('message');
      return {
        op: 'dsa.signInternal',
        requires: [...keyOps, 'dsa.signInternal'],
        inputs: () => shown({ ...keyShown, message: mPrime }),
        answers,
        answer: async (b) => signed(await dsaApi(b).signInternal(ps, await key(b), mPrime, rnd)),
      };
    }
    case 'mu': {
      const mu = t.test.hex('mu', SEED.dsaMu);
      return {
        op: 'dsa.signMu',
        requires: [...keyOps, 'dsa.signMu'],
        inputs: () => shown({ ...keyShown, mu }),
        answers,
        answer: async (b) => signed(await dsaApi(b).signMu(ps, await key(b), mu, rnd)),
      };
    }
  }
}

function mlDsaSigVer(t: AcvpTest): Made {
  const ps = dsaParam(t);
  const kind = signatureInterface(t);
  const pk = t.test.hex('pk', DSA[ps].pk);
  // A modified signature may still have the right length; any length is a valid input to reject.
  const sig = t.test.hex('signature');
  switch (kind) {
    case 'pure': {
      const msg = t.test.hex('message');
      const ctx = t.test.hex('context');
      return {
        op: 'dsa.verify',
        requires: ['dsa.verify'],
        inputs: () => shown({ pk, message: msg, context: ctx, signature: sig }),
        answers: VERDICT,
        answer: (b) => verdictAnswer(() => dsaApi(b).verify(ps, pk, msg, sig, ctx)),
      };
    }
    case 'preHash': {
      const msg = t.test.hex('message');
      const ctx = t.test.hex('context');
      const hashAlg = t.test.oneOf('hashAlg', HASH_ALG_NAMES);
      return {
        op: 'dsa.verifyPreHash',
        requires: ['dsa.verifyPreHash'],
        hashAlg,
        inputs: () => shown({ pk, message: msg, context: ctx, hashAlg, signature: sig }),
        answers: VERDICT,
        answer: (b) => verdictAnswer(() => dsaApi(b).verifyPreHash(ps, pk, msg, sig, hashAlg, ctx)),
      };
    }
    case 'internal': {
      const mPrime = t.test.hex('message');
      return {
        op: 'dsa.verifyInternal',
        requires: ['dsa.verifyInternal'],
        inputs: () => shown({ pk, message: mPrime, signature: sig }),
        answers: VERDICT,
        answer: (b) => verdictAnswer(() => dsaApi(b).verifyInternal(ps, pk, mPrime, sig)),
      };
    }
    case 'mu': {
      const mu = t.test.hex('mu', SEED.dsaMu);
      return {
        op: 'dsa.verifyMu',
        requires: ['dsa.verifyMu'],
        inputs: () => shown({ pk, mu, signature: sig }),
        answers: VERDICT,
        answer: (b) => verdictAnswer(() => dsaApi(b).verifyMu(ps, pk, mu, sig)),
      };
    }
  }
}

/** THE table of ACVP modes: algorithm and mode as a vector set names them, the revisions read, and the task maker. */
export const ACVP_MODES = [
  { algorithm: 'ML-KEM', mode: 'keyGen', revisions: ['FIPS203'], param: kemParam, make: mlKemKeyGen },
  { algorithm: 'ML-KEM', mode: 'encapDecap', revisions: ['FIPS203', 'FIPS203-tr1'], param: kemParam, make: mlKemEncapDecap },
  { algorithm: 'ML-DSA', mode: 'keyGen', revisions: ['FIPS204'], param: dsaParam, make: mlDsaKeyGen },
  { algorithm: 'ML-DSA', mode: 'sigGen', revisions: ['FIPS204', 'FIPS204-tr1'], param: dsaParam, make: mlDsaSigGen },
  { algorithm: 'ML-DSA', mode: 'sigVer', revisions: ['FIPS204'], param: dsaParam, make: mlDsaSigVer },
] as const;

/** One task per test of a vector set; a mode or revision outside ACVP_MODES is an error naming the file. */
export function acvpTasks(f: AcvpFile, file: string): AcvpTask[] {
  const row = ACVP_MODES.find((m) => m.algorithm === f.algorithm && m.mode === f.mode);
  if (!row) throw new VectorFormatError({ file }, 'mode', `no ACVP mode ${f.algorithm} ${f.mode} here; known: ${ACVP_MODES.map((m) => `${m.algorithm} ${m.mode}`).join(', ')}`);
  if (!(row.revisions as readonly string[]).includes(f.revision)) {
    throw new VectorFormatError({ file }, 'revision', `${f.algorithm} ${f.mode} revision ${JSON.stringify(f.revision)} is not one this harness reads; known: ${row.revisions.join(', ')}`);
  }
  const family = `${f.algorithm}-${f.mode}`;
  return f.tests.map((test) => ({ test, family, parameterSet: row.param(test), ...row.make(test) }));
}
