// results.json, schema `pqc-harness/results@1`: the one model every report is a
// view of. The JSON Schema file beside this module (results.schema.json) is the
// same contract in a form other tools can validate against; tests keep them in step.

import type { Capabilities, BackendInfo } from '../harness/contract.ts';
import type { CaseSource, Shown, Suite } from '../harness/case.ts';
import type { ParamSet } from '../harness/params.ts';

export const RESULTS_SCHEMA = 'pqc-harness/results@1';

export const STATUSES = ['pass', 'fail', 'skip', 'crash', 'timeout', 'error'] as const;
export type Status = (typeof STATUSES)[number];
/** Statuses that fail the gate. */
export const FAILING: readonly Status[] = ['fail', 'crash', 'timeout', 'error'];

export type FindingKind =
  | 'invalid-free'
  | 'double-free'
  | 'mismatched-free'
  | 'leak'
  | 'invalid-read'
  | 'invalid-write'
  | 'uninitialised'
  | 'use-after-free'
  | 'heap-overflow'
  | 'abort'
  | 'other';

export interface Frame {
  fn: string;
  obj?: string;
  file?: string;
  line?: number;
}

export interface Finding {
  tool: 'valgrind' | 'asan' | 'glibc' | 'signal';
  kind: FindingKind;
  message: string;
  frames: Frame[];
}

export interface VectorProvenance {
  source: string;
  repo: string;
  commit: string;
  file: string;
  sha256: string;
}

export interface CaseResult {
  id: string;
  backend: string;
  suite: Suite;
  family: string;
  parameterSet: ParamSet;
  op: string;
  source: CaseSource | null;
  status: Status;
  reason?: string;
  /** Something a reader should know about a pass (e.g. a draft-era vector checked only where it still applies). */
  note?: string;
  inputs?: Shown;
  expected?: Shown;
  got?: Shown;
  /** Signal and stderr of a crashed or stalled child. */
  crash?: { signal: string | null; exitCode: number | null; stderr: string };
  durationMs: number;
  findings: Finding[];
}

export interface BackendEntry extends BackendInfo {
  capabilities: Capabilities;
  /** Findings not tied to one case: leaks valgrind reports when the child exits. */
  findings?: Finding[];
}

export interface Summary {
  pass: number;
  fail: number;
  skip: number;
  crash: number;
  timeout: number;
  error: number;
  findings: number;
}

export interface RunInfo {
  startedAt: string;
  finishedAt: string;
  harnessVersion: string;
  node: string;
  platform: string;
  host: string;
  argv: string[];
  shard?: { index: number; count: number };
  /** The suites that ran, with what a reader must know about them. */
  suites?: SuiteInfo[];
  vectors: VectorProvenance[];
}

export interface SuiteInfo {
  name: string;
  title: string;
  notes?: string[];
}

export interface Results {
  schema: typeof RESULTS_SCHEMA;
  run: RunInfo;
  backends: BackendEntry[];
  cases: CaseResult[];
  summary: Summary;
}

export function summarize(cases: readonly CaseResult[]): Summary {
  const s: Summary = { pass: 0, fail: 0, skip: 0, crash: 0, timeout: 0, error: 0, findings: 0 };
  for (const c of cases) {
    s[c.status]++;
    s.findings += c.findings.length;
  }
  return s;
}

/** The gate: nothing failed, crashed, stalled or errored, and no memory finding. */
export function gatePasses(summary: Summary, opts: { strict?: boolean } = {}): boolean {
  const bad = summary.fail + summary.crash + summary.timeout + summary.error + summary.findings;
  return bad === 0 && (!opts.strict || summary.skip === 0);
}
