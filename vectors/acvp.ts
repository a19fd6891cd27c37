// Reading ACVP-Server vector sets: the ACVTS envelope, test groups, and the
// prompt/expectedResults join on tgId then tcId. Nothing here knows what a
// field means; harness/acvp/tasks.ts does.

import { Fields, isObj, VectorFormatError, type Where } from './fields.ts';

export interface AcvpTest {
  /** Group-level fields (parameterSet, function, signatureInterface, ...). */
  group: Fields;
  /** Test-level fields, prompt and expected answers merged. */
  test: Fields;
  tgId: number;
  tcId: number;
  file: string;
}

export interface AcvpFile {
  /** The vector set's id on the ACVP server (every real file has one; a response must repeat it). */
  vsId?: number;
  algorithm: string;
  mode: string;
  revision: string;
  isSample?: boolean;
  tests: AcvpTest[];
}

function groupsOf(doc: unknown, file: string): Fields[] {
  if (!isObj(doc)) throw new VectorFormatError({ file }, undefined, 'top level is not a JSON object');
  const top = new Fields({ file }, doc);
  return top.array('testGroups').map((g, i) => {
    if (!isObj(g)) throw new VectorFormatError({ file }, `testGroups[${i}]`, 'not an object');
    const tg = new Fields({ file }, g);
    return new Fields({ file, tgId: tg.int('tgId') }, g);
  });
}

function testsOf(group: Fields, file: string): { tcId: number; obj: Record<string, unknown> }[] {
  return group.array('tests').map((t, i) => {
    if (!isObj(t)) throw new VectorFormatError(group.where, `tests[${i}]`, 'not an object');
    const tcId = new Fields({ file, tgId: group.where.tgId }, t).int('tcId');
    return { tcId, obj: t };
  });
}

/** Each (tgId, tcId) may appear once in a file: a second would be a second case with the same id. */
function once(seen: Set<string>, file: string, tgId: number, tcId: number): void {
  const key = `${tgId}/${tcId}`;
  if (seen.has(key)) throw new VectorFormatError({ file, tgId, tcId }, undefined, 'duplicate test: this tgId and tcId appear twice');
  seen.add(key);
}

function header(doc: unknown, file: string): Omit<AcvpFile, 'tests'> {
  if (!isObj(doc)) throw new VectorFormatError({ file }, undefined, 'top level is not a JSON object');
  const f = new Fields({ file }, doc);
  const h: Omit<AcvpFile, 'tests'> = { algorithm: f.str('algorithm'), mode: f.str('mode'), revision: f.str('revision') };
  if (f.has('vsId')) h.vsId = f.int('vsId');
  if (f.has('isSample')) h.isSample = f.bool('isSample');
  return h;
}

/**
 * Every test of a vector set (prompt, expected results or response alike) in
 * file order, located. The same tgId/tcId twice is an error: answers join on it.
 */
export function listTests(doc: unknown, file: string): AcvpTest[] {
  const tests: AcvpTest[] = [];
  const seen = new Set<string>();
  for (const g of groupsOf(doc, file)) {
    const tgId = g.where.tgId!;
    for (const t of testsOf(g, file)) {
      once(seen, file, tgId, t.tcId);
      tests.push({ group: g, test: new Fields({ file, tgId, tcId: t.tcId }, t.obj), tgId, tcId: t.tcId, file });
    }
  }
  return tests;
}

/** A vector set as it stands: a prompt (inputs only) or an internalProjection (inputs and answers together). */
export function readVectorSet(doc: unknown, file: string): AcvpFile {
  return { ...header(doc, file), tests: listTests(doc, file) };
}

/**
 * A prompt joined with its expectedResults. Every prompt test needs an answer
 * and every answer a prompt; either gap is an error naming file, tgId and tcId.
 */
export function readPromptWithExpected(prompt: unknown, promptFile: string, expected: unknown, expectedFile: string): AcvpFile {
  const answers = new Map(listTests(expected, expectedFile).map((a) => [`${a.tgId}/${a.tcId}`, { ...a, used: false }]));
  const tests = listTests(prompt, promptFile).map((t): AcvpTest => {
    const a = answers.get(`${t.tgId}/${t.tcId}`);
    if (!a) throw new VectorFormatError({ file: expectedFile, tgId: t.tgId, tcId: t.tcId }, undefined, `no expected result for this prompt test (from ${promptFile})`);
    a.used = true;
    return { ...t, test: new Fields(t.test.where, { ...t.test.obj, ...a.test.obj }) };
  });
  for (const a of answers.values()) {
    if (!a.used) throw new VectorFormatError({ file: expectedFile, tgId: a.tgId, tcId: a.tcId }, undefined, `expected result has no prompt test in ${promptFile}`);
  }
  return { ...header(prompt, promptFile), tests };
}

/**
 * ACVTS hands a vector set out (and takes a response back) wrapped as
 * `[{"acvVersion": "1.0"}, {...vector set...}]`; ACVP-Server's sample files are
 * the bare object. `version` is the wrapper's first element, kept to be
 * repeated in a response; absent for a bare object.
 */
export interface AcvpEnvelope {
  version?: Record<string, unknown>;
  set: Record<string, unknown>;
}

export function unwrapAcvts(doc: unknown, file: string): AcvpEnvelope {
  if (isObj(doc)) return { set: doc };
  if (!Array.isArray(doc)) throw new VectorFormatError({ file }, undefined, 'top level is neither a vector set object nor an ACVTS array [{"acvVersion": ...}, {vector set}]');
  if (doc.length !== 2) {
    throw new VectorFormatError({ file }, undefined, `an ACVTS file is [{"acvVersion": ...}, {vector set}]; this array has ${doc.length} element(s) (answer one vector set per file)`);
  }
  const [version, set] = doc as [unknown, unknown];
  if (!isObj(version) || typeof version.acvVersion !== 'string') throw new VectorFormatError({ file }, '[0].acvVersion', 'the first element of an ACVTS array must be {"acvVersion": "..."}');
  if (!isObj(set)) throw new VectorFormatError({ file }, undefined, 'the second element of an ACVTS array must be the vector set object');
  return { version, set };
}

/** The same wrapping as the input: bare, or behind the same acvVersion element. */
export function wrapAcvts(envelope: Pick<AcvpEnvelope, 'version'>, set: Record<string, unknown>): unknown {
  return envelope.version ? [envelope.version, set] : set;
}

export type { Where };
