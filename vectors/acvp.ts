// Reading ACVP-Server vector sets: the JSON envelope, test groups, and the
// prompt/expectedResults join on tgId then tcId. Nothing here knows what a
// field means; the suites do.

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
  algorithm: string;
  mode: string;
  revision: string;
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
  return { algorithm: f.str('algorithm'), mode: f.str('mode'), revision: f.str('revision') };
}

/** An internalProjection (inputs and answers together). */
export function readProjection(doc: unknown, file: string): AcvpFile {
  const tests: AcvpTest[] = [];
  const seen = new Set<string>();
  for (const g of groupsOf(doc, file)) {
    const tgId = g.where.tgId!;
    for (const t of testsOf(g, file)) {
      once(seen, file, tgId, t.tcId);
      tests.push({ group: g, test: new Fields({ file, tgId, tcId: t.tcId }, t.obj), tgId, tcId: t.tcId, file });
    }
  }
  return { ...header(doc, file), tests };
}

/**
 * A prompt joined with its expectedResults. Every prompt test needs an answer
 * and every answer a prompt; either gap is an error naming file, tgId and tcId.
 */
export function readPromptWithExpected(prompt: unknown, promptFile: string, expected: unknown, expectedFile: string): AcvpFile {
  const answers = new Map<string, { obj: Record<string, unknown>; tgId: number; tcId: number; used: boolean }>();
  for (const g of groupsOf(expected, expectedFile)) {
    for (const t of testsOf(g, expectedFile)) {
      const key = `${g.where.tgId}/${t.tcId}`;
      if (answers.has(key)) throw new VectorFormatError({ file: expectedFile, tgId: g.where.tgId, tcId: t.tcId }, undefined, 'duplicate expected result');
      answers.set(key, { obj: t.obj, tgId: g.where.tgId!, tcId: t.tcId, used: false });
    }
  }
  const tests: AcvpTest[] = [];
  const seen = new Set<string>();
  for (const g of groupsOf(prompt, promptFile)) {
    const tgId = g.where.tgId!;
    for (const t of testsOf(g, promptFile)) {
      once(seen, promptFile, tgId, t.tcId);
      const a = answers.get(`${tgId}/${t.tcId}`);
      if (!a) throw new VectorFormatError({ file: expectedFile, tgId, tcId: t.tcId }, undefined, `no expected result for this prompt test (from ${promptFile})`);
      a.used = true;
      const merged = { ...t.obj, ...a.obj };
      tests.push({ group: g, test: new Fields({ file: promptFile, tgId, tcId: t.tcId }, merged), tgId, tcId: t.tcId, file: promptFile });
    }
  }
  for (const a of answers.values()) {
    if (!a.used) throw new VectorFormatError({ file: expectedFile, tgId: a.tgId, tcId: a.tcId }, undefined, `expected result has no prompt test in ${promptFile}`);
  }
  return { ...header(prompt, promptFile), tests };
}

export type { Where };
