// NIST ACVP-Server vector sets for ML-KEM (FIPS 203) and ML-DSA (FIPS 204):
// every test of every file, FIPS203/FIPS204 and the -tr1 revisions. Which
// contract call answers a test is harness/acvp/tasks.ts's table (shared with
// `acvp respond`); this suite reads the expected answers and judges.

import type { Case, Outcome } from '../../model/case.ts';
import { readPromptWithExpected, readVectorSet, type AcvpFile, type AcvpTest } from '../../vectors/acvp.ts';
import { readVectorJson } from '../../vectors/store.ts';
import { acvpTasks, type AcvpTask, type Answer } from '../acvp/tasks.ts';
import { expectBytes, expectVerdict } from '../judge.ts';
import type { FipsRule, PerBackendSuite } from './suite.ts';

const DIR = 'acvp-server';
/** The ACVP-Server files the suite reads (paths under the vectors root). */
export const ACVP_FILES = {
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

/** What the vector set expects for each response field of a task, read (and checked) when the case is made. */
function expectedOf(task: AcvpTask): Record<string, Uint8Array | boolean> {
  const want: Record<string, Uint8Array | boolean> = {};
  for (const [name, field] of Object.entries(task.answers)) want[name] = field === 'verdict' ? task.test.test.bool(name) : task.test.test.hex(name, field);
  return want;
}

/** Judge an answer: byte fields compared as bytes, testPassed as a verdict. */
function judgeAnswer(got: Answer, want: Record<string, Uint8Array | boolean>): Outcome {
  const pairs: Record<string, [Uint8Array, Uint8Array]> = {};
  for (const [name, w] of Object.entries(want)) {
    const g = got.values[name];
    if (typeof w === 'boolean') {
      const o = expectVerdict(name, g === true, w);
      if (o.status !== 'pass') return o;
    } else pairs[name] = [g instanceof Uint8Array ? g : new Uint8Array(0), w];
  }
  const o = expectBytes(pairs);
  return o.status === 'pass' && got.note ? { status: 'pass', note: got.note } : o;
}

/** The test's labels for the bug-class table (model/bug-classes.ts): its group's test type and function, its reason (those the file has). */
function acvpFlags(t: AcvpTest): string[] {
  return [t.group.optStr('testType'), t.group.optStr('function'), t.test.optStr('reason')].filter((x): x is string => x !== undefined);
}

function toCase(f: AcvpFile, task: AcvpTask): Case {
  const t = task.test;
  const want = expectedOf(task);
  return {
    id: `acvp/${task.family}/${f.revision}/tg${t.tgId}/tc${t.tcId}`,
    suite: 'acvp',
    family: task.family,
    parameterSet: task.parameterSet,
    source: { file: t.file, tgId: t.tgId, tcId: t.tcId },
    op: task.op,
    requires: task.requires,
    flags: acvpFlags(t),
    // testPassed false: the key or signature must be refused.
    expectsRejection: Object.values(want).includes(false),
    ...(task.hashAlg ? { hashAlg: task.hashAlg } : {}),
    inputs: task.inputs,
    run: async (b) => judgeAnswer(await task.answer(b), want),
  };
}

/** Every test of a vector set (read with its expected answers) as a case. */
export function acvpCases(f: AcvpFile, file: string): Case[] {
  return acvpTasks(f, file).map((task) => toCase(f, task));
}

/**
 * Each ACVP vector set: an internalProjection (inputs and answers together), or
 * a prompt with its expectedResults.
 */
export const ACVP_SETS: readonly { file: string; expected?: string }[] = [
  { file: ACVP_FILES.kemKeyGen },
  { file: ACVP_FILES.kemEncapDecap },
  { file: ACVP_FILES.kemEncapDecapTr1 },
  { file: ACVP_FILES.dsaKeyGen },
  { file: ACVP_FILES.dsaSigGenPrompt, expected: ACVP_FILES.dsaSigGenExpected },
  { file: ACVP_FILES.dsaSigGenTr1Prompt, expected: ACVP_FILES.dsaSigGenTr1Expected },
  { file: ACVP_FILES.dsaSigVerPrompt, expected: ACVP_FILES.dsaSigVerExpected },
];

/** One vector set, read and (for a prompt) joined with its expected results. */
export function readAcvpSet(s: (typeof ACVP_SETS)[number]): AcvpFile {
  if (!s.expected) return readVectorSet(readVectorJson(s.file), s.file);
  return readPromptWithExpected(readVectorJson(s.file), s.file, readVectorJson(s.expected), s.expected);
}

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
  vectorFiles: Object.values(ACVP_FILES),
  fips: FIPS,
  cases() {
    return ACVP_SETS.flatMap((s) => {
      const cases = acvpCases(readAcvpSet(s), s.file);
      if (cases.length === 0) throw new Error(`${s.file}: zero cases: a vector set that yields nothing is an error`);
      return cases;
    });
  },
};
