// Validates a parsed results.json against results.schema.json without a
// runtime dependency: a small interpreter for the keyword subset that schema
// uses (type, const, enum, required, properties, additionalProperties, items,
// $ref into #/$defs, anyOf, minimum). tests/results-schema.test.ts checks that
// it agrees with ajv on valid and invalid documents.

import { readFileSync } from 'node:fs';
import { packagePath } from './package.ts';
import { RESULTS_SCHEMA, summarize, type Results, type Summary } from './results.ts';

type JsonSchema = {
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  required?: string[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  $ref?: string;
  anyOf?: JsonSchema[];
  minimum?: number;
  $defs?: Record<string, JsonSchema>;
};

let cached: JsonSchema | undefined;

/** The parsed results.schema.json. */
export function resultsJsonSchema(): JsonSchema {
  cached ??= JSON.parse(readFileSync(packagePath('model/results.schema.json'), 'utf8')) as JsonSchema;
  return cached;
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function hasType(v: unknown, t: string): boolean {
  switch (t) {
    case 'null': return v === null;
    case 'array': return Array.isArray(v);
    case 'object': return typeof v === 'object' && v !== null && !Array.isArray(v);
    case 'integer': return typeof v === 'number' && Number.isInteger(v);
    case 'number': return typeof v === 'number' && Number.isFinite(v);
    default: return typeof v === t;
  }
}

function pointer(path: string): string {
  return path === '' ? '(document root)' : path;
}

function check(root: JsonSchema, s: JsonSchema, v: unknown, path: string, out: string[], limit: number): void {
  if (out.length >= limit) return;
  if (s.$ref !== undefined) {
    const name = s.$ref.replace(/^#\/\$defs\//, '');
    const target = root.$defs?.[name];
    if (!target) throw new Error(`results.schema.json: unresolved $ref ${s.$ref}`);
    check(root, target, v, path, out, limit);
  }
  if (s.anyOf) {
    const trials = s.anyOf.map((alt) => {
      const errs: string[] = [];
      check(root, alt, v, path, errs, limit);
      return errs;
    });
    if (!trials.some((e) => e.length === 0)) {
      // Report the alternative that got furthest (fewest errors).
      const best = trials.reduce((a, b) => (b.length < a.length ? b : a));
      out.push(...best.slice(0, limit - out.length));
    }
  }
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? s.type : [s.type];
    if (!types.some((t) => hasType(v, t))) {
      out.push(`${pointer(path)}: expected ${types.join(' or ')}, got ${typeOf(v)}`);
      return;
    }
  }
  if ('const' in s && v !== s.const) out.push(`${pointer(path)}: must be ${JSON.stringify(s.const)}, got ${JSON.stringify(v)}`);
  if (s.enum && !s.enum.includes(v as never)) {
    out.push(`${pointer(path)}: ${JSON.stringify(v)} is not one of ${s.enum.map((e) => JSON.stringify(e)).join(', ')}`);
  }
  if (s.minimum !== undefined && typeof v === 'number' && v < s.minimum) out.push(`${pointer(path)}: ${v} is below the minimum ${s.minimum}`);
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    for (const k of s.required ?? []) if (!Object.hasOwn(o, k)) out.push(`${pointer(path)}: missing required field "${k}"`);
    for (const [k, val] of Object.entries(o)) {
      const p = `${path}/${k}`;
      const ps = s.properties?.[k];
      if (ps) check(root, ps, val, p, out, limit);
      else if (s.additionalProperties === false) out.push(`${pointer(path)}: unknown field "${k}"`);
      else if (typeof s.additionalProperties === 'object') check(root, s.additionalProperties, val, p, out, limit);
    }
  }
  if (Array.isArray(v) && s.items) {
    for (let i = 0; i < v.length && out.length < limit; i++) check(root, s.items, v[i], `${path}/${i}`, out, limit);
  }
}

/** Schema violations as JSON-pointer-prefixed messages; empty when valid. */
export function validateResults(doc: unknown, limit = 20): string[] {
  const root = resultsJsonSchema();
  const out: string[] = [];
  check(root, root, doc, '', out, limit);
  return out.slice(0, limit);
}

/** Throws a readable error naming `where` (a file path) unless `doc` is a valid results@1 document. */
export function assertResults(doc: unknown, where: string): asserts doc is Results {
  const schema = (doc as { schema?: unknown } | null)?.schema;
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new Error(`${where}: not a pqc-harness results document (expected a JSON object)`);
  }
  if (schema !== RESULTS_SCHEMA) {
    throw new Error(`${where}: unsupported results schema ${JSON.stringify(schema)}; expected "${RESULTS_SCHEMA}"`);
  }
  const errs = validateResults(doc);
  if (errs.length > 0) {
    throw new Error(`${where}: does not match ${RESULTS_SCHEMA}:\n  ${errs.join('\n  ')}`);
  }
  const incons = consistencyErrors(doc as Results);
  if (incons.length > 0) {
    throw new Error(`${where}: inconsistent ${RESULTS_SCHEMA} document:\n  ${incons.join('\n  ')}`);
  }
}

/**
 * What the schema cannot say: case keys (backend + id) are unique, every case's
 * backend is listed, and the summary is the one its cases add up to.
 */
export function consistencyErrors(r: Results, limit = 20): string[] {
  const out: string[] = [];
  const ids = new Set(r.backends.map((b) => b.id));
  const keys = new Set<string>();
  r.cases.forEach((c, i) => {
    if (out.length >= limit) return;
    const key = JSON.stringify([c.backend, c.id]);
    if (keys.has(key)) out.push(`/cases/${i}: duplicate case "${c.id}" on backend "${c.backend}"`);
    keys.add(key);
    if (!ids.has(c.backend)) out.push(`/cases/${i}: backend "${c.backend}" is not listed in /backends`);
  });
  const want = summarize(r.cases);
  const bad = (Object.keys(want) as (keyof Summary)[]).filter((k) => want[k] !== r.summary[k]);
  if (bad.length > 0) out.push(`/summary: does not match the cases (${bad.map((k) => `${k} is ${r.summary[k]}, cases say ${want[k]}`).join('; ')})`);
  return out.slice(0, limit);
}
