// Prompt and expectedResults documents made from an internalProjection, for
// the modes whose prompt.json is not among the vectors. ACVP-Server keeps a
// vector set in three files: prompt.json (what a client is sent: the header,
// the group properties and each test's inputs), expectedResults.json (tgId,
// tcId and the answers only) and internalProjection.json (both). Which test
// fields are inputs and which are answers is written out here, not taken from
// the harness, so a wrong table in the harness cannot agree with itself.

type Obj = Record<string, unknown>;
type Group = Obj & { tgId: number; tests: Obj[] };
interface Header {
  vsId: number;
  algorithm: string;
  mode: string;
  revision: string;
  isSample?: boolean;
}
export type VectorSetDoc = Header & { testGroups: Group[] };

interface Split {
  /** Test fields a real prompt carries (besides tcId). */
  prompt: string[];
  /** Test fields the response answers with. */
  answers: string[];
}

/** What a prompt holds and what the answers are, per mode and group. */
function splitOf(doc: VectorSetDoc, g: Group): Split {
  const key = `${doc.algorithm} ${doc.mode}`;
  switch (key) {
    case 'ML-KEM keyGen':
      return { prompt: ['d', 'z'], answers: ['ek', 'dk'] };
    case 'ML-DSA keyGen':
      return { prompt: ['seed'], answers: ['pk', 'sk'] };
    case 'ML-KEM encapDecap':
      switch (g.function) {
        case 'encapsulation':
          return { prompt: ['ek', 'm'], answers: ['c', 'k'] };
        case 'decapsulation':
          return { prompt: g.keyFormat === 'seed' ? ['d', 'z', 'c'] : ['dk', 'c'], answers: ['k'] };
        case 'encapsulationKeyCheck':
          return { prompt: ['ek'], answers: ['testPassed'] };
        case 'decapsulationKeyCheck':
          return { prompt: ['dk'], answers: ['testPassed'] };
      }
  }
  throw new Error(`no prompt/answer split for ${key} group ${g.tgId} (${String(g.function)})`);
}

function pick(o: Obj, keys: string[]): Obj {
  const out: Obj = {};
  for (const k of keys) {
    if (o[k] === undefined) throw new Error(`field ${k} missing in tcId ${String(o.tcId)}`);
    out[k] = o[k];
  }
  return out;
}

function header(doc: VectorSetDoc): Header {
  return { vsId: doc.vsId, algorithm: doc.algorithm, mode: doc.mode, revision: doc.revision, ...(doc.isSample === undefined ? {} : { isSample: doc.isSample }) };
}

/** The prompt: header, group keys (keyFormat "none" left out, as ACVP-Server's prompts do), prompt fields only. */
export function derivePrompt(doc: VectorSetDoc): VectorSetDoc {
  return {
    ...header(doc),
    testGroups: doc.testGroups.map((g) => {
      const { tests, ...keys } = g;
      if (keys.keyFormat === 'none') delete keys.keyFormat;
      const split = splitOf(doc, g);
      return { ...keys, tgId: g.tgId, tests: tests.map((t) => ({ tcId: t.tcId, ...pick(t, split.prompt) })) };
    }),
  };
}

/** expectedResults: header, then per group only tgId and per test tcId and the answers. */
export function deriveExpected(doc: VectorSetDoc): VectorSetDoc {
  return {
    ...header(doc),
    testGroups: doc.testGroups.map((g) => ({ tgId: g.tgId, tests: g.tests.map((t) => ({ tcId: t.tcId, ...pick(t, splitOf(doc, g).answers) })) })),
  };
}

/** Every test's answer fields by `tgId/tcId`, hex in lower case: an independent view for comparing two documents. */
export function answersByTest(doc: VectorSetDoc): Map<string, Obj> {
  const out = new Map<string, Obj>();
  for (const g of doc.testGroups) {
    for (const t of g.tests) {
      const norm: Obj = {};
      for (const [k, v] of Object.entries(t)) norm[k] = typeof v === 'string' ? v.toLowerCase() : v;
      out.set(`${g.tgId}/${String(t.tcId)}`, norm);
    }
  }
  return out;
}
