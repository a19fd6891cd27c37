// A backend's entry in results.json, built from what its describe() and
// capabilities() returned, field by field: only the fields BackendInfo and
// Capabilities define, each of the right type and cut to its cap. Anything
// else (a number for a version, an unknown kind, an extra `findings` array that
// would read as a memory finding at exit) is left out, and a note says what was
// wrong, so a careless or hostile backend cannot make the run write a
// results.json that its own `report merge` rejects.

import { ALL_OPS, IMPLEMENTATION_KINDS, type BackendKind, type Capabilities, type DialectDecision, type Op } from './contract.ts';
import { CAPS, capText, cutMarker } from './limits.ts';
import { DSA_PARAMS, isHashAlg, isParamSet, type DsaParam, type HashAlg, type ParamSet } from './params.ts';
import type { BackendEntry } from './results.ts';

const INFO_FIELDS = ['id', 'name', 'version', 'kind', 'library', 'notes', 'dialect'];
const CAPABILITY_FIELDS = ['parameterSets', 'ops', 'preHash', 'derived', 'notOffered'];
/** Problems listed in the notes, at most (the rest are counted). */
const PROBLEMS_SHOWN = 8;

type Obj = Record<string, unknown>;

function isObj(x: unknown): x is Obj {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** How a value a backend returned reads in a note: its type and, when short, the value. */
function shape(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `the string ${JSON.stringify(capText(v, 40))}`;
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${capText(String(v), 40)}`;
}

function extraFields(o: Obj, known: readonly string[], where: string, problems: string[]): void {
  for (const k of Object.keys(o)) if (!known.includes(k)) problems.push(`${where} field "${capText(k, 40)}" is not part of the contract: ignored`);
}

/** A string field: the value cut to `cap`, or `fallback` (with a problem noted) when it is not a string. */
function text(o: Obj, field: string, cap: number, fallback: string, problems: string[]): string {
  const v = o[field];
  if (typeof v === 'string') return capText(v, cap);
  problems.push(`describe() ${field} is ${v === undefined ? 'missing' : shape(v)}, not a string: recorded as "${fallback}"`);
  return fallback;
}

/** The members of `v` that pass `ok` (`what` says what they must be), deduplicated; the rest are noted. */
function members<T>(v: unknown, ok: (x: unknown) => x is T, what: string, where: string, problems: string[]): T[] {
  if (!Array.isArray(v)) {
    problems.push(`${where} is ${v === undefined ? 'missing' : shape(v)}, not an array: recorded as empty`);
    return [];
  }
  const out: T[] = [];
  for (const x of v) {
    if (!ok(x)) problems.push(`${where} entry ${shape(x)} is not ${what}: ignored`);
    else if (!out.includes(x)) out.push(x);
  }
  return out;
}

const isOp = (x: unknown): x is Op => typeof x === 'string' && (ALL_OPS as readonly string[]).includes(x);
const isParam = (x: unknown): x is ParamSet => typeof x === 'string' && isParamSet(x);
const isHash = (x: unknown): x is HashAlg => typeof x === 'string' && isHashAlg(x);

function capabilitiesFrom(raw: unknown, problems: string[]): Capabilities {
  if (!isObj(raw)) {
    problems.push(`capabilities() returned ${shape(raw)}, not an object: recorded as offering nothing`);
    return { parameterSets: [], ops: [] };
  }
  extraFields(raw, CAPABILITY_FIELDS, 'capabilities()', problems);
  const caps: Capabilities = {
    parameterSets: members(raw.parameterSets, isParam, 'a parameter set', 'capabilities() parameterSets', problems),
    ops: members(raw.ops, isOp, 'an operation of the contract', 'capabilities() ops', problems),
  };
  if (raw.preHash !== undefined) {
    if (!isObj(raw.preHash)) problems.push(`capabilities() preHash is ${shape(raw.preHash)}, not an object: ignored`);
    else {
      const preHash: Partial<Record<DsaParam, HashAlg[]>> = {};
      for (const [k, v] of Object.entries(raw.preHash)) {
        if ((DSA_PARAMS as readonly string[]).includes(k)) preHash[k as DsaParam] = members(v, isHash, 'a hash function name', `capabilities() preHash ${k}`, problems);
        else problems.push(`capabilities() preHash key "${capText(k, 40)}" is not an ML-DSA parameter set: ignored`);
      }
      caps.preHash = preHash;
    }
  }
  for (const field of ['derived', 'notOffered'] as const) {
    const v = raw[field];
    if (v === undefined) continue;
    if (!isObj(v)) {
      problems.push(`capabilities() ${field} is ${shape(v)}, not an object: ignored`);
      continue;
    }
    const byOp: Partial<Record<Op, string>> = {};
    for (const [op, why] of Object.entries(v)) {
      if (isOp(op) && typeof why === 'string') byOp[op] = capText(why, CAPS.backendNote);
      else problems.push(`capabilities() ${field} entry "${capText(op, 40)}" is not an operation with a string: ignored`);
    }
    caps[field] = byOp;
  }
  return caps;
}

/** describe()'s fields, checked; `kind` stands in for a missing or unknown kind. */
function infoFrom(id: string, kind: BackendKind, info: unknown, problems: string[]): Omit<BackendEntry, 'id' | 'capabilities'> {
  if (!isObj(info)) {
    problems.push(`describe() returned ${shape(info)}, not an object`);
    return { name: id, version: 'unknown', kind };
  }
  extraFields(info, INFO_FIELDS, 'describe()', problems);
  const out: Omit<BackendEntry, 'id' | 'capabilities'> = {
    name: text(info, 'name', CAPS.name, id, problems),
    version: text(info, 'version', CAPS.name, 'unknown', problems),
    kind,
  };
  if ((IMPLEMENTATION_KINDS as readonly unknown[]).includes(info.kind)) out.kind = info.kind as BackendKind;
  else problems.push(`describe() kind is ${info.kind === undefined ? 'missing' : shape(info.kind)}, not one of ${IMPLEMENTATION_KINDS.join(', ')}: recorded as "${kind}"`);
  const lib = info.library;
  if (isObj(lib) && typeof lib.path === 'string' && typeof lib.sha256 === 'string') out.library = { path: capText(lib.path, CAPS.path), sha256: capText(lib.sha256, CAPS.name) };
  else if (lib !== undefined) problems.push(`describe() library is ${shape(lib)}, not { path: string, sha256: string }: ignored`);
  if (info.notes !== undefined) {
    const notes = members(info.notes, (x): x is string => typeof x === 'string', 'a string', 'describe() notes', problems);
    out.notes = notes.slice(0, CAPS.backendNotes).map((n) => capText(n, CAPS.backendNote));
    if (notes.length > CAPS.backendNotes) out.notes.push(cutMarker(notes.length - CAPS.backendNotes, 'notes'));
  }
  if (info.dialect !== undefined) {
    const decisions = members(info.dialect, isDialectDecision, '{ question, decided, evidence }', 'describe() dialect', problems);
    out.dialect = decisions.slice(0, CAPS.backendNotes).map((q) => ({
      question: capText(q.question, CAPS.backendNote),
      decided: q.decided === null ? null : capText(q.decided, CAPS.backendNote),
      evidence: q.evidence.slice(0, CAPS.backendNotes).map((e) => capText(e, CAPS.backendNote)),
    }));
  }
  return out;
}

function isDialectDecision(x: unknown): x is DialectDecision {
  return isObj(x) && typeof x.question === 'string' && (x.decided === null || typeof x.decided === 'string') &&
    Array.isArray(x.evidence) && x.evidence.every((e) => typeof e === 'string');
}

/**
 * The entry for backend `id` (the spec as written: that, not describe()'s id,
 * names it everywhere) from what describe() and capabilities() returned.
 * `kind` is what the spec's kind reports, used when describe() gives no valid one.
 * What was wrong is added to the notes, so the report says why a field reads as it does.
 */
export function backendEntry(id: string, kind: BackendKind, info: unknown, capabilities: unknown): BackendEntry {
  const problems: string[] = [];
  const { notes = [], ...fields } = infoFrom(id, kind, info, problems);
  const entry: BackendEntry = { id, ...fields, capabilities: capabilitiesFrom(capabilities, problems) };
  notes.push(...problems.slice(0, PROBLEMS_SHOWN));
  if (problems.length > PROBLEMS_SHOWN) notes.push(cutMarker(problems.length - PROBLEMS_SHOWN, 'problems with describe() and capabilities()'));
  if (notes.length) entry.notes = notes;
  return entry;
}
