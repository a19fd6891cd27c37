// NIST ACVP-Server vector sets for ML-KEM (FIPS 203) and ML-DSA (FIPS 204):
// every test of every file, FIPS203/FIPS204 and the -tr1 revisions.

import { ZERO32 } from '../../model/bytes.ts';
import type { Case, Outcome } from '../../model/case.ts';
import { dsaApi, kemApi, type Backend, type Op } from '../../model/contract.ts';
import { expectBytes, expectVerdict, shown } from '../judge.ts';
import { DSA, DSA_PARAMS, HASH_ALG_NAMES, KEM, KEM_PARAMS, SEED, type DsaParam, type KemParam } from '../../model/params.ts';
import { readProjection, readPromptWithExpected, type AcvpFile, type AcvpTest } from '../../vectors/acvp.ts';
import { readVectorJson } from '../../vectors/store.ts';
import type { FipsRule, PerBackendSuite } from './suite.ts';

const DIR = 'acvp-server';
const FILES = {
  kemKeyGen: `${DIR}/ML-KEM-keyGen-FIPS203/internalProjection.json`,
  kemEncapDecap: `${DIR}/ML-KEM-encapDecap-FIPS203/internalProjection.json`,
  kemEncapDecapTr1: `${DIR}/ML-KEM-encapDecap-FIPS203-tr1/internalProjection.json`,
  dsaKeyGen: `${DIR}/ML-DSA-keyGen-FIPS204/internalProjection.json`,
  dsaSigGenPrompt: `${DIR}/ML-DSA-sigGen-FIPS204/prompt.json.gz`,
  dsaSigGenExpected: `${DIR}/ML-DSA-sigGen-FIPS204/expectedResults.json`,
  dsaSigGenTr1Prompt: `${DIR}/ML-DSA-sigGen-FIPS204-tr1/prompt.json.gz`,
  dsaSigGenTr1Expected: `${DIR}/ML-DSA-sigGen-FIPS204-tr1/expectedResults.json.gz`,
  dsaSigVerPrompt: `${DIR}/ML-DSA-sigVer-FIPS204/prompt.json`,
  dsaSigVerExpected: `${DIR}/ML-DSA-sigVer-FIPS204/expectedResults.json`,
} as const;


interface Made {
  op: Op;
  requires: Op[];
  inputs: () => ReturnType<typeof shown>;
  run: (b: Backend) => Promise<Outcome>;
  hashAlg?: Case['hashAlg'];
}

function toCase(family: string, f: AcvpFile, t: AcvpTest, parameterSet: Case['parameterSet'], m: Made): Case {
  return {
    id: `acvp/${family}/${f.revision}/tg${t.tgId}/tc${t.tcId}`,
    suite: 'acvp',
    family,
    parameterSet,
    source: { file: t.file, tgId: t.tgId, tcId: t.tcId },
    ...m,
  };
}

function kemParam(t: AcvpTest): KemParam {
  return t.group.oneOf('parameterSet', KEM_PARAMS);
}
function dsaParam(t: AcvpTest): DsaParam {
  return t.group.oneOf('parameterSet', DSA_PARAMS);
}

function mlKemKeyGen(f: AcvpFile): Case[] {
  return f.tests.map((t) => {
    const ps = kemParam(t);
    const d = t.test.hex('d', SEED.kemD);
    const z = t.test.hex('z', SEED.kemZ);
    const ek = t.test.hex('ek', KEM[ps].ek);
    const dk = t.test.hex('dk', KEM[ps].dk);
    return toCase('ML-KEM-keyGen', f, t, ps, {
      op: 'kem.keygen',
      requires: ['kem.keygen'],
      inputs: () => shown({ d, z }),
      run: async (b) => {
        const got = await kemApi(b).keygen(ps, d, z);
        return expectBytes({ ek: [got.ek, ek], dk: [got.dk, dk] });
      },
    });
  });
}

const KEM_FUNCTIONS = ['encapsulation', 'decapsulation', 'encapsulationKeyCheck', 'decapsulationKeyCheck'] as const;

function mlKemEncapDecap(f: AcvpFile): Case[] {
  return f.tests.map((t) => {
    const ps = kemParam(t);
    const sz = KEM[ps];
    const fn = t.group.oneOf('function', KEM_FUNCTIONS);
    const keyFormat = t.group.has('keyFormat') ? t.group.oneOf('keyFormat', ['none', 'seed', 'expanded'] as const) : 'none';
    const c = (m: Made) => toCase('ML-KEM-encapDecap', f, t, ps, m);
    switch (fn) {
      case 'encapsulation': {
        const ek = t.test.hex('ek', sz.ek);
        const m = t.test.hex('m', SEED.kemM);
        const wantC = t.test.hex('c', sz.c);
        const k = t.test.hex('k', sz.ss);
        return c({
          op: 'kem.encaps',
          requires: ['kem.encaps'],
          inputs: () => shown({ ek, m }),
          run: async (b) => {
            const got = await kemApi(b).encaps(ps, ek, m);
            return expectBytes({ c: [got.c, wantC], k: [got.k, k] });
          },
        });
      }
      case 'decapsulation': {
        const ct = t.test.hex('c', sz.c);
        const k = t.test.hex('k', sz.ss);
        if (keyFormat === 'seed') {
          // tr1 seed-format keys: the decapsulation key is KeyGen_internal(d, z).
          const d = t.test.hex('d', SEED.kemD);
          const z = t.test.hex('z', SEED.kemZ);
          return c({
            op: 'kem.decaps',
            requires: ['kem.keygen', 'kem.decaps'],
            inputs: () => shown({ d, z, c: ct }),
            run: async (b) => {
              const { dk } = await kemApi(b).keygen(ps, d, z);
              return expectBytes({ k: [await kemApi(b).decaps(ps, dk, ct), k] });
            },
          });
        }
        const dk = t.test.hex('dk', sz.dk);
        return c({
          op: 'kem.decaps',
          requires: ['kem.decaps'],
          inputs: () => shown({ dk, c: ct }),
          run: async (b) => expectBytes({ k: [await kemApi(b).decaps(ps, dk, ct), k] }),
        });
      }
      case 'encapsulationKeyCheck': {
        const ek = t.test.hex('ek', sz.ek);
        const want = t.test.bool('testPassed');
        return c({
          op: 'kem.checkEncapsKey',
          requires: ['kem.checkEncapsKey'],
          inputs: () => shown({ ek }),
          run: async (b) => expectVerdict('testPassed', await kemApi(b).checkEncapsKey(ps, ek), want),
        });
      }
      case 'decapsulationKeyCheck': {
        const dk = t.test.hex('dk', sz.dk);
        const want = t.test.bool('testPassed');
        return c({
          op: 'kem.checkDecapsKey',
          requires: ['kem.checkDecapsKey'],
          inputs: () => shown({ dk }),
          run: async (b) => expectVerdict('testPassed', await kemApi(b).checkDecapsKey(ps, dk), want),
        });
      }
    }
  });
}

function mlDsaKeyGen(f: AcvpFile): Case[] {
  return f.tests.map((t) => {
    const ps = dsaParam(t);
    const seed = t.test.hex('seed', SEED.dsaXi);
    const pk = t.test.hex('pk', DSA[ps].pk);
    const sk = t.test.hex('sk', DSA[ps].sk);
    return toCase('ML-DSA-keyGen', f, t, ps, {
      op: 'dsa.keygen',
      requires: ['dsa.keygen'],
      inputs: () => shown({ seed }),
      run: async (b) => {
        const got = await dsaApi(b).keygen(ps, seed);
        return expectBytes({ pk: [got.pk, pk], sk: [got.sk, sk] });
      },
    });
  });
}

type Interface = { kind: 'pure' | 'preHash' | 'internal' | 'mu' };

/** Which signing interface a sigGen/sigVer group exercises. */
function signatureInterface(t: AcvpTest): Interface['kind'] {
  const iface = t.group.oneOf('signatureInterface', ['external', 'internal'] as const);
  if (iface === 'external') return t.group.oneOf('preHash', ['pure', 'preHash'] as const);
  return t.group.bool('externalMu') ? 'mu' : 'internal';
}

function mlDsaSigGen(f: AcvpFile): Case[] {
  return f.tests.map((t) => {
    const ps = dsaParam(t);
    const kind = signatureInterface(t);
    const deterministic = t.group.bool('deterministic');
    const rnd = deterministic ? ZERO32 : t.test.hex('rnd', SEED.dsaRnd);
    const keyFormat = t.group.has('keyFormat') ? t.group.oneOf('keyFormat', ['seed', 'expanded'] as const) : 'expanded';
    const seed = keyFormat === 'seed' ? t.test.hex('seed', SEED.dsaXi) : undefined;
    const givenSk = keyFormat === 'expanded' ? t.test.hex('sk', DSA[ps].sk) : undefined;
    const want = t.test.hex('signature', DSA[ps].sig);
    const key = async (b: Backend) => (seed ? (await dsaApi(b).keygen(ps, seed)).sk : givenSk!);
    const keyOps: Op[] = seed ? ['dsa.keygen'] : [];
    const c = (m: Made) => toCase('ML-DSA-sigGen', f, t, ps, m);
    const keyShown = { seed, sk: givenSk, rnd: deterministic ? undefined : rnd, deterministic };
    switch (kind) {
      case 'pure': {
        const msg = t.test.hex('message');
        const ctx = t.test.hex('context');
        return c({
          op: 'dsa.sign',
          requires: [...keyOps, 'dsa.sign'],
          inputs: () => shown({ ...keyShown, message: msg, context: ctx }),
          run: async (b) => expectBytes({ signature: [await dsaApi(b).sign(ps, await key(b), msg, ctx, rnd), want] }),
        });
      }
      case 'preHash': {
        const msg = t.test.hex('message');
        const ctx = t.test.hex('context');
        const hashAlg = t.test.oneOf('hashAlg', HASH_ALG_NAMES);
        return c({
          op: 'dsa.signPreHash',
          requires: [...keyOps, 'dsa.signPreHash'],
          hashAlg,
          inputs: () => shown({ ...keyShown, message: msg, context: ctx, hashAlg }),
          run: async (b) => expectBytes({ signature: [await dsaApi(b).signPreHash(ps, await key(b), msg, hashAlg, ctx, rnd), want] }),
        });
      }
      case 'internal': {
        const mPrime = t.test.hex('message');
        return c({
          op: 'dsa.signInternal',
          requires: [...keyOps, 'dsa.signInternal'],
          inputs: () => shown({ ...keyShown, message: mPrime }),
          run: async (b) => expectBytes({ signature: [await dsaApi(b).signInternal(ps, await key(b), mPrime, rnd), want] }),
        });
      }
      case 'mu': {
        const mu = t.test.hex('mu', SEED.dsaMu);
        return c({
          op: 'dsa.signMu',
          requires: [...keyOps, 'dsa.signMu'],
          inputs: () => shown({ ...keyShown, mu }),
          run: async (b) => expectBytes({ signature: [await dsaApi(b).signMu(ps, await key(b), mu, rnd), want] }),
        });
      }
    }
  });
}

function mlDsaSigVer(f: AcvpFile): Case[] {
  return f.tests.map((t) => {
    const ps = dsaParam(t);
    const kind = signatureInterface(t);
    const pk = t.test.hex('pk', DSA[ps].pk);
    // A modified signature may still have the right length; any length is a valid input to reject.
    const sig = t.test.hex('signature');
    const want = t.test.bool('testPassed');
    const c = (m: Made) => toCase('ML-DSA-sigVer', f, t, ps, m);
    switch (kind) {
      case 'pure': {
        const msg = t.test.hex('message');
        const ctx = t.test.hex('context');
        return c({
          op: 'dsa.verify',
          requires: ['dsa.verify'],
          inputs: () => shown({ pk, message: msg, context: ctx, signature: sig }),
          run: async (b) => expectVerdict('testPassed', await dsaApi(b).verify(ps, pk, msg, sig, ctx), want),
        });
      }
      case 'preHash': {
        const msg = t.test.hex('message');
        const ctx = t.test.hex('context');
        const hashAlg = t.test.oneOf('hashAlg', HASH_ALG_NAMES);
        return c({
          op: 'dsa.verifyPreHash',
          requires: ['dsa.verifyPreHash'],
          hashAlg,
          inputs: () => shown({ pk, message: msg, context: ctx, hashAlg, signature: sig }),
          run: async (b) => expectVerdict('testPassed', await dsaApi(b).verifyPreHash(ps, pk, msg, sig, hashAlg, ctx), want),
        });
      }
      case 'internal': {
        const mPrime = t.test.hex('message');
        return c({
          op: 'dsa.verifyInternal',
          requires: ['dsa.verifyInternal'],
          inputs: () => shown({ pk, message: mPrime, signature: sig }),
          run: async (b) => expectVerdict('testPassed', await dsaApi(b).verifyInternal(ps, pk, mPrime, sig), want),
        });
      }
      case 'mu': {
        const mu = t.test.hex('mu', SEED.dsaMu);
        return c({
          op: 'dsa.verifyMu',
          requires: ['dsa.verifyMu'],
          inputs: () => shown({ pk, mu, signature: sig }),
          run: async (b) => expectVerdict('testPassed', await dsaApi(b).verifyMu(ps, pk, mu, sig), want),
        });
      }
    }
  });
}

/** Each ACVP vector set: how to read it and how to turn its tests into cases. */
export const ACVP_SETS = [
  { family: 'ML-KEM-keyGen', read: () => projection(FILES.kemKeyGen), build: mlKemKeyGen },
  { family: 'ML-KEM-encapDecap', read: () => projection(FILES.kemEncapDecap), build: mlKemEncapDecap },
  { family: 'ML-KEM-encapDecap', read: () => projection(FILES.kemEncapDecapTr1), build: mlKemEncapDecap },
  { family: 'ML-DSA-keyGen', read: () => projection(FILES.dsaKeyGen), build: mlDsaKeyGen },
  { family: 'ML-DSA-sigGen', read: () => joined(FILES.dsaSigGenPrompt, FILES.dsaSigGenExpected), build: mlDsaSigGen },
  { family: 'ML-DSA-sigGen', read: () => joined(FILES.dsaSigGenTr1Prompt, FILES.dsaSigGenTr1Expected), build: mlDsaSigGen },
  { family: 'ML-DSA-sigVer', read: () => joined(FILES.dsaSigVerPrompt, FILES.dsaSigVerExpected), build: mlDsaSigVer },
] as const;

function projection(file: string): AcvpFile {
  return readProjection(readVectorJson(file), file);
}
function joined(prompt: string, expected: string): AcvpFile {
  return readPromptWithExpected(readVectorJson(prompt), prompt, readVectorJson(expected), expected);
}

/** Build cases from an already-read file; exported for tests that feed malformed documents. */
export const buildAcvp = { mlKemKeyGen, mlKemEncapDecap, mlDsaKeyGen, mlDsaSigGen, mlDsaSigVer };

/** ACVP families (named as the ACVP-Server folders, without the -FIPS20x suffix). Section and algorithm numbers are those of the final standards (August 2024). */
const FIPS: readonly FipsRule[] = [
  { match: /^ML-KEM-keyGen$/, standard: 'FIPS 203', clause: '§6.1, Algorithm 16 ML-KEM.KeyGen_internal', what: 'key pair from seeds d, z' },
  { match: /^ML-KEM-encapDecap$/, standard: 'FIPS 203', clause: '§6.2 Alg. 17 Encaps_internal, §6.3 Alg. 18 Decaps_internal; §7.2 / §7.3 input checks', what: 'encapsulation, decapsulation (incl. implicit rejection), encapsulation- and decapsulation-key checks' },
  { match: /^ML-DSA-keyGen$/, standard: 'FIPS 204', clause: '§6.1, Algorithm 6 ML-DSA.KeyGen_internal', what: 'key pair from seed ξ' },
  { match: /^ML-DSA-sigGen$/, standard: 'FIPS 204', clause: '§5.2 Alg. 2 ML-DSA.Sign, §5.4 Alg. 4 HashML-DSA.Sign, §6.2 Alg. 7 Sign_internal', what: 'signature generation: pure, pre-hash, internal and external-μ interfaces' },
  { match: /^ML-DSA-sigVer$/, standard: 'FIPS 204', clause: '§5.3 Alg. 3 ML-DSA.Verify, §5.4 Alg. 5 HashML-DSA.Verify, §6.3 Alg. 8 Verify_internal', what: 'signature verification, including rejection of invalid signatures' },
];

export const acvpSuite: PerBackendSuite = {
  kind: 'per-backend',
  name: 'acvp',
  title: 'NIST ACVP-Server vectors (FIPS 203, FIPS 204, and -tr1 revisions)',
  vectorFiles: Object.values(FILES),
  fips: FIPS,
  cases() {
    return ACVP_SETS.flatMap((s) => {
      const file = s.read();
      const cases = s.build(file);
      if (cases.length === 0) throw new Error(`${file.tests[0]?.file ?? s.family}: zero cases: a vector set that yields nothing is an error`);
      return cases;
    });
  },
};
