// model/results.schema.json against model/results.ts: ajv validates good and
// bad documents; enums and field lists are checked against the TypeScript
// types (at compile time) and the runtime tables (at run time); the
// dependency-free validator in model/validate.ts agrees with ajv.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { SUITE_NAMES } from '../harness/suites/index.ts';
import { SEVERITIES } from '../model/bug-classes.ts';
import { ALL_OPS, IMPLEMENTATION_KINDS, type BackendKind } from '../model/contract.ts';
import { ALL_PARAMS, HASH_ALG_NAMES } from '../model/params.ts';
import { RESULTS_SCHEMA, STATUSES, type BackendCoverage, type BackendEntry, type CaseResult, type CoverageCount, type CoverageFile, type Finding, type FindingKind, type Frame, type MergeInfo, type Results, type RunInfo, type Summary, type VectorProvenance } from '../model/results.ts';
import { assertResults, validateResults } from '../model/validate.ts';
import { mixedRun, results } from './report-fixtures.ts';

const schema = JSON.parse(readFileSync(new URL('../model/results.schema.json', import.meta.url), 'utf8'));
const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
const validate = ajv.compile(schema);

// ---- compile-time agreement between the lists below and schema.ts ----
type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];

const FINDING_KINDS = ['invalid-free', 'double-free', 'mismatched-free', 'leak', 'invalid-read', 'invalid-write', 'uninitialised', 'use-after-free', 'heap-overflow', 'secret-branch', 'secret-index', 'abort', 'other'] as const;
const FINDING_TOOLS = ['valgrind', 'asan', 'glibc', 'signal'] as const;


const FIELDS = {
  root: { all: ['schema', 'run', 'backends', 'cases', 'summary'], required: ['schema', 'run', 'backends', 'cases', 'summary'] },
  runInfo: { all: ['startedAt', 'finishedAt', 'harnessVersion', 'node', 'platform', 'host', 'argv', 'shard', 'merged', 'suites', 'vectors'], required: ['startedAt', 'finishedAt', 'harnessVersion', 'node', 'platform', 'host', 'argv', 'vectors'] },
  backendEntry: { all: ['id', 'name', 'version', 'kind', 'library', 'notes', 'dialect', 'capabilities', 'respawns', 'findings', 'coverage'], required: ['id', 'name', 'version', 'kind', 'capabilities'] },
  backendCoverage: { all: ['tool', 'root', 'lines', 'branches', 'files'], required: ['tool', 'root', 'lines', 'branches', 'files'] },
  coverageFile: { all: ['path', 'lines', 'branches', 'unreachedLines', 'unreachedBranches'], required: ['path', 'lines', 'branches', 'unreachedLines', 'unreachedBranches'] },
  coverageCount: { all: ['covered', 'total'], required: ['covered', 'total'] },
  mergeInfo: { all: ['parts', 'shards', 'partial', 'warnings'], required: ['parts'] },
  caseResult: {
    all: ['id', 'backend', 'suite', 'family', 'parameterSet', 'op', 'source', 'status', 'reason', 'note', 'derived', 'expectsRejection', 'bugClass', 'severity', 'inputs', 'expected', 'got', 'crash', 'durationMs', 'findings'],
    required: ['id', 'backend', 'suite', 'family', 'parameterSet', 'op', 'source', 'status', 'durationMs', 'findings'],
  },
  finding: { all: ['tool', 'kind', 'message', 'frames'], required: ['tool', 'kind', 'message', 'frames'] },
  frame: { all: ['fn', 'obj', 'file', 'line', 'source'], required: ['fn'] },
  vectorProvenance: { all: ['source', 'repo', 'commit', 'file', 'sha256'], required: ['source', 'repo', 'commit', 'file', 'sha256'] },
  summary: { all: ['pass', 'fail', 'skip', 'crash', 'timeout', 'error', 'findings'], required: ['pass', 'fail', 'skip', 'crash', 'timeout', 'error', 'findings'] },
} as const;

type Checks = [
  Equals<(typeof FINDING_KINDS)[number], FindingKind>,
  Equals<(typeof FINDING_TOOLS)[number], Finding['tool']>,
  Equals<(typeof IMPLEMENTATION_KINDS)[number], BackendKind>,
  Equals<(typeof FIELDS.root.all)[number], keyof Results>,
  Equals<(typeof FIELDS.root.required)[number], RequiredKeys<Results>>,
  Equals<(typeof FIELDS.runInfo.all)[number], keyof RunInfo>,
  Equals<(typeof FIELDS.runInfo.required)[number], RequiredKeys<RunInfo>>,
  Equals<(typeof FIELDS.mergeInfo.all)[number], keyof MergeInfo>,
  Equals<(typeof FIELDS.mergeInfo.required)[number], RequiredKeys<MergeInfo>>,
  Equals<(typeof FIELDS.backendEntry.all)[number], keyof BackendEntry>,
  Equals<(typeof FIELDS.backendEntry.required)[number], RequiredKeys<BackendEntry>>,
  Equals<(typeof FIELDS.caseResult.all)[number], keyof CaseResult>,
  Equals<(typeof FIELDS.caseResult.required)[number], RequiredKeys<CaseResult>>,
  Equals<(typeof FIELDS.finding.all)[number], keyof Finding>,
  Equals<(typeof FIELDS.frame.all)[number], keyof Frame>,
  Equals<(typeof FIELDS.frame.required)[number], RequiredKeys<Frame>>,
  Equals<(typeof FIELDS.vectorProvenance.all)[number], keyof VectorProvenance>,
  Equals<(typeof FIELDS.summary.all)[number], keyof Summary>,
  Equals<(typeof FIELDS.backendCoverage.all)[number], keyof BackendCoverage>,
  Equals<(typeof FIELDS.backendCoverage.required)[number], RequiredKeys<BackendCoverage>>,
  Equals<(typeof FIELDS.coverageFile.all)[number], keyof CoverageFile>,
  Equals<(typeof FIELDS.coverageFile.required)[number], RequiredKeys<CoverageFile>>,
  Equals<(typeof FIELDS.coverageCount.all)[number], keyof CoverageCount>,
];
const typeChecks: Checks = [true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true];

/** A document using every optional field. */
function fullDoc(): Results {
  const r = mixedRun();
  r.run.shard = { index: 1, count: 2 };
  r.run.merged = { parts: 2, shards: { count: 3, merged: [1, 3] }, partial: { missing: [2] }, warnings: ['parts come from different harness versions'] };
  r.backends[0]!.library = { path: '/lib/libpqc.so', sha256: 'cd'.repeat(32) };
  r.backends[0]!.notes = ['emulates signMu'];
  r.backends[0]!.capabilities.preHash = { 'ML-DSA-65': ['SHA2-512', 'SHAKE-256'] };
  r.backends[0]!.coverage = {
    tool: 'v8',
    root: '/impl',
    lines: { covered: 9, total: 10 },
    branches: { covered: 1, total: 2 },
    files: [{ path: 'impl.js', lines: { covered: 9, total: 10 }, branches: { covered: 1, total: 2 }, unreachedLines: [7], unreachedBranches: [{ line: 6, column: 4 }] }],
  };
  r.cases[0]!.inputs = { d: '00', n: 3, flag: true };
  r.cases[0]!.source = null;
  r.cases[0]!.expectsRejection = true;
  r.cases[1]!.bugClass = 'verify/z-norm';
  r.cases[1]!.severity = 'high';
  return r;
}

const clone = <T>(x: T): T => structuredClone(x);

describe('results.schema.json', () => {
  it('is a valid draft 2020-12 schema and names the results schema', () => {
    expect(ajv.validateSchema(schema)).toBe(true);
    expect(schema.properties.schema.const).toBe(RESULTS_SCHEMA);
    expect(typeChecks.every(Boolean)).toBe(true);
  });

  it('accepts a minimal document and a document using every optional field', () => {
    const minimal = results([]);
    expect(validate(minimal), ajv.errorsText(validate.errors)).toBe(true);
    expect(validateResults(minimal)).toEqual([]);
    const full = fullDoc();
    expect(validate(full), ajv.errorsText(validate.errors)).toBe(true);
    expect(validateResults(full)).toEqual([]);
    expect(() => assertResults(full, 'full.json')).not.toThrow();
  });

  it('lists exactly the fields and required fields of schema.ts', () => {
    for (const [def, f] of Object.entries(FIELDS)) {
      const s = def === 'root' ? schema : schema.$defs[def];
      expect(Object.keys(s.properties).sort(), def).toEqual([...f.all].sort());
      expect([...s.required].sort(), def).toEqual([...f.required].sort());
      expect(s.additionalProperties, def).toBe(false);
    }
  });

  it('has the enums of the runtime tables and the TypeScript unions', () => {
    const d = schema.$defs;
    expect(d.status.enum).toEqual([...STATUSES]);
    expect(d.suite.enum).toEqual([...SUITE_NAMES]);
    expect(d.paramSet.enum).toEqual([...ALL_PARAMS]);
    expect(d.op.enum).toEqual([...ALL_OPS]);
    expect(d.hashAlg.enum).toEqual([...HASH_ALG_NAMES]);
    expect(d.findingKind.enum).toEqual([...FINDING_KINDS]);
    expect(d.findingTool.enum).toEqual([...FINDING_TOOLS]);
    expect(d.backendKind.enum).toEqual([...IMPLEMENTATION_KINDS]);
    expect(d.severity.enum).toEqual([...SEVERITIES]);
  });

  const invalid: [string, (r: Results) => void][] = [
    ['wrong status', (r) => ((r.cases[0] as { status: string }).status = 'passed')],
    ['unknown severity', (r) => ((r.cases[0] as { severity: string }).severity = 'severe')],
    ['expectsRejection false (absent, not false, when the vector expects an answer)', (r) => ((r.cases[0] as { expectsRejection: boolean }).expectsRejection = false)],
    ['wrong schema string', (r) => ((r as { schema: string }).schema = 'pqc-harness/results@2')],
    ['missing case field', (r) => delete (r.cases[0] as Partial<CaseResult>).durationMs],
    ['missing findings', (r) => delete (r.cases[1] as Partial<CaseResult>).findings],
    ['missing run field', (r) => delete (r.run as Partial<RunInfo>).argv],
    ['missing summary', (r) => delete (r as Partial<Results>).summary],
    ['unknown suite', (r) => ((r.cases[0] as { suite: string }).suite = 'kat')],
    ['unknown parameter set', (r) => ((r.cases[0] as { parameterSet: string }).parameterSet = 'Kyber768')],
    ['extra field', (r) => ((r.cases[0] as unknown as Record<string, unknown>).colour = 'red')],
    ['negative count', (r) => (r.summary.pass = -1)],
    ['fractional count', (r) => (r.summary.pass = 1.5)],
    ['source without file', (r) => (r.cases[0]!.source = {} as never)],
    ['nested value in shown', (r) => (r.cases[2]!.expected = { ek: { hex: 'aa' } } as never)],
    ['crash signal a number', (r) => (r.cases[5]!.crash!.signal = 6 as never)],
    ['finding of unknown kind', (r) => ((r.cases[5]!.findings[0] as { kind: string }).kind = 'oops')],
    ['capability op unknown', (r) => ((r.backends[0]!.capabilities.ops as string[]).push('kem.frobnicate'))],
    ['cases not an array', (r) => ((r as { cases: unknown }).cases = {})],
    ['coverage line 0', (r) => (r.backends[0]!.coverage!.files[0]!.unreachedLines = [0])],
    ['coverage of another tool', (r) => ((r.backends[0]!.coverage as { tool: string }).tool = 'istanbul')],
  ];
  it.each(invalid)('rejects a document with %s (ajv and validateResults agree)', (_name, mutate) => {
    const r = fullDoc();
    mutate(r);
    expect(validate(r)).toBe(false);
    expect(validateResults(r).length).toBeGreaterThan(0);
    expect(() => assertResults(r, 'bad.json')).toThrow(/bad\.json/);
  });

  it('assertResults names the file and the field', () => {
    const r = fullDoc();
    (r.cases[0] as { status: string }).status = 'passed';
    expect(() => assertResults(r, '/tmp/shard-1/results.json')).toThrow(/\/tmp\/shard-1\/results\.json.*\n.*\/cases\/0\/status/);
    expect(() => assertResults({ schema: 'other' }, 'x.json')).toThrow(/x\.json: unsupported results schema "other"/);
    expect(() => assertResults([], 'y.json')).toThrow(/y\.json: not a pqc-harness results document/);
  });

  it('assertResults rejects a summary that does not add up and duplicate case keys', () => {
    const r = fullDoc();
    r.summary.pass += 1;
    expect(() => assertResults(r, 's.json')).toThrow(/summary: does not match the cases/);
    const d = fullDoc();
    d.cases.push(clone(d.cases[1]!));
    d.summary.pass += 1;
    expect(() => assertResults(d, 'd.json')).toThrow(/duplicate case/);
  });

  it('validateResults agrees with ajv on random mutations', () => {
    const base = fullDoc();
    const paths: (string | number)[][] = [];
    const walk = (v: unknown, p: (string | number)[]) => {
      paths.push(p);
      if (Array.isArray(v)) v.slice(0, 3).forEach((x, i) => walk(x, [...p, i]));
      else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...p, k]);
    };
    walk(base, []);
    const junk = fc.oneof(fc.constant(null), fc.boolean(), fc.integer({ min: -3, max: 3 }), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.string({ maxLength: 4 }), fc.constantFrom('pass', 'ML-KEM-768', 'acvp', 'leak'), fc.constant([]), fc.constant({}));
    fc.assert(
      fc.property(fc.integer({ min: 1, max: paths.length - 1 }), fc.boolean(), junk, (i, del, val) => {
        const doc = clone(base) as unknown as Record<string, unknown>;
        const p = paths[i]!;
        let parent: Record<string | number, unknown> = doc;
        for (const k of p.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
        const last = p[p.length - 1]!;
        if (del && !Array.isArray(parent)) delete parent[last];
        else parent[last] = val;
        expect(validateResults(doc).length === 0).toBe(validate(doc));
      }),
      { numRuns: 400 },
    );
  });
});
