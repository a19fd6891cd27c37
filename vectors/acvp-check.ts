// Comparing an ACVP response with the expected results, test by test: what
// `pqc-harness acvp check` reports. Pure: two parsed documents in, a list of
// differences out; no backend, no field semantics.
//
// Rules, each with its reason:
// - Tests join on tgId then tcId, as ACVP joins them; order in the file is free.
// - Hex is compared as bytes: NIST writes upper case, many clients lower case.
// - Every expected field must be in the response with the same value, and the
//   response carries nothing more (mlkem-native's client demands the same
//   equality), so a missing, extra or different test or field is a difference.
// - The header: vsId must match when the expected results name one (a response
//   to another vector set is no answer); algorithm, mode, revision and isSample
//   are compared when both files carry them (acvptool writes no mode/revision).

import { isDeepStrictEqual } from 'node:util';
import { equalBytes, firstDiff, tryHex } from '../model/bytes.ts';
import { listTests } from './acvp.ts';
import { isObj, VectorFormatError } from './fields.ts';

export interface Difference {
  tgId?: number;
  tcId?: number;
  field?: string;
  /** What is wrong, in words (`differs from byte 17`, `missing in the response`). */
  problem: string;
  /** The two values as JSON text, when both exist. */
  response?: string;
  expected?: string;
}

export interface CheckReport {
  /** Tests in the expected results. */
  tests: number;
  /** Expected tests the response answers with every field equal. */
  equal: number;
  differences: Difference[];
}

const HEADER_FIELDS = ['algorithm', 'mode', 'revision', 'isSample'] as const;

/** Equal as ACVP means it: hex strings as bytes (any case), everything else exactly. */
function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a === 'string' && typeof b === 'string') {
    const x = tryHex(a);
    const y = tryHex(b);
    if (x && y) return equalBytes(x, y);
  }
  return isDeepStrictEqual(a, b);
}

function valueDifference(got: unknown, want: unknown): string {
  if (typeof got === 'string' && typeof want === 'string') {
    const x = tryHex(got);
    const y = tryHex(want);
    if (x && y) return x.length !== y.length ? `${x.length} bytes, expected ${y.length}` : `differs from byte ${firstDiff(x, y)}`;
  }
  return 'differs';
}

function differs(where: Omit<Difference, 'problem'>, got: unknown, want: unknown): Difference {
  return { ...where, problem: valueDifference(got, want), response: JSON.stringify(got), expected: JSON.stringify(want) };
}

function headerDifferences(response: Record<string, unknown>, expected: Record<string, unknown>): Difference[] {
  const out: Difference[] = [];
  if (expected.vsId !== undefined) {
    if (response.vsId === undefined) out.push({ field: 'vsId', problem: `missing in the response (expected ${JSON.stringify(expected.vsId)})` });
    else if (!sameValue(response.vsId, expected.vsId)) out.push(differs({ field: 'vsId' }, response.vsId, expected.vsId));
  }
  for (const k of HEADER_FIELDS) {
    if (response[k] !== undefined && expected[k] !== undefined && !sameValue(response[k], expected[k])) out.push(differs({ field: k }, response[k], expected[k]));
  }
  return out;
}

/**
 * Compare a response vector set with its expected results (both unwrapped
 * objects). A document that is not a vector set (no testGroups, a test without
 * tcId, the same tgId/tcId twice) is unusable: VectorFormatError naming the file and place.
 */
export function checkResponse(response: unknown, responseFile: string, expected: unknown, expectedFile: string): CheckReport {
  for (const [doc, file] of [[response, responseFile], [expected, expectedFile]] as const) {
    if (!isObj(doc)) throw new VectorFormatError({ file }, undefined, 'top level is not a vector set object');
  }
  const got = listTests(response, responseFile);
  const want = listTests(expected, expectedFile);
  if (want.length === 0) throw new VectorFormatError({ file: expectedFile }, 'testGroups', 'no tests: there is nothing to compare against');
  const differences = headerDifferences(response as Record<string, unknown>, expected as Record<string, unknown>);
  const byKey = new Map(got.map((t) => [`${t.tgId}/${t.tcId}`, t]));
  let equal = 0;
  for (const w of want) {
    const key = `${w.tgId}/${w.tcId}`;
    const g = byKey.get(key);
    byKey.delete(key);
    const at = { tgId: w.tgId, tcId: w.tcId };
    if (!g) {
      differences.push({ ...at, problem: 'no answer in the response' });
      continue;
    }
    const before = differences.length;
    for (const [field, value] of Object.entries(w.test.obj)) {
      if (field === 'tcId') continue;
      if (!Object.hasOwn(g.test.obj, field)) differences.push({ ...at, field, problem: 'missing in the response', expected: JSON.stringify(value) });
      else if (!sameValue(g.test.obj[field], value)) differences.push(differs({ ...at, field }, g.test.obj[field], value));
    }
    for (const field of Object.keys(g.test.obj)) {
      if (!Object.hasOwn(w.test.obj, field)) differences.push({ ...at, field, problem: 'in the response but not in the expected results', response: JSON.stringify(g.test.obj[field]) });
    }
    if (differences.length === before) equal++;
  }
  for (const g of byKey.values()) differences.push({ tgId: g.tgId, tcId: g.tcId, problem: 'answers a test the expected results do not have' });
  return { tests: want.length, equal, differences };
}
