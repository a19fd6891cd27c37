// results.json, schema `pqc-harness/results@1`: the one model every report is a
// view of. The JSON Schema file beside this module (results.schema.json) is the
// same contract in a form other tools can validate against; tests keep them in step.

import type { BackendInfo, Capabilities, Respawns } from './contract.ts';
import type { CaseSource, FipsRef, Shown, Suite } from './case.ts';
import type { ParamSet } from './params.ts';
import type { Severity } from './bug-classes.ts';

export const RESULTS_SCHEMA = 'pqc-harness/results@1';

export const STATUSES = ['pass', 'fail', 'skip', 'crash', 'timeout', 'error'] as const;
export type Status = (typeof STATUSES)[number];
/** Statuses that fail the gate. */
export const FAILING: readonly Status[] = ['fail', 'crash', 'timeout', 'error'];

export type { Finding, FindingKind, Frame } from './findings.ts';
import type { Finding } from './findings.ts';

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
  /**
   * The harness formatted part of the input itself (M′ or μ, FIPS 204
   * Algorithms 2–5, 7) because the backend offers only a lower interface:
   * what that tests, and what it leaves untested.
   */
  derived?: string;
  /**
   * The vector expects the implementation to refuse the input (an invalid key,
   * signature, length or context): a pass is a refusal as expected.
   */
  expectsRejection?: true;
  /** A case failing the gate: the kind of defect it points at (model/bug-classes.ts). */
  bugClass?: string;
  /** A case failing the gate: how grave that kind of defect is. */
  severity?: Severity;
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
  /** Out-of-process hosts: peers started after the first, by cause. */
  respawns?: Respawns;
  /** Findings not tied to one case: leaks valgrind reports when the child exits. */
  findings?: Finding[];
  /** `run --coverage` on a JS backend: what of the implementation's own code the suites reached. */
  coverage?: BackendCoverage;
}

/** How much of one measure the run reached. */
export interface CoverageCount {
  covered: number;
  total: number;
}

/** A place V8 counted as a branch (a block) that no case took. */
export interface CoverageBranch {
  line: number;
  /** 0-based, as V8 and istanbul count columns. */
  column: number;
}

/** One file of the implementation under test, as V8 saw it run. */
export interface CoverageFile {
  /** From the coverage root (`ml-kem.js`). */
  path: string;
  lines: CoverageCount;
  branches: CoverageCount;
  /** 1-based, ascending: lines no case reached. */
  unreachedLines: number[];
  /** Ascending by line then column. */
  unreachedBranches: CoverageBranch[];
}

/**
 * V8 precise (block) coverage of a JS backend's own files over the whole run,
 * counted as c8 counts it (v8-to-istanbul): a line is unreached when V8 never
 * ran the block that holds all of it; a branch is a block V8 counted.
 * Only files the run loaded are listed.
 */
export interface BackendCoverage {
  tool: 'v8';
  /** The folder whose files are the implementation's own (file paths are relative to it). */
  root: string;
  lines: CoverageCount;
  branches: CoverageCount;
  files: CoverageFile[];
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
  /** `--shard i/n`: index is 1-based, as written. */
  shard?: { index: number; count: number };
  /** Set by `report merge`: what the document was merged from. */
  merged?: MergeInfo;
  /** The suites that ran, with what a reader must know about them. */
  suites?: SuiteInfo[];
  vectors: VectorProvenance[];
}

export interface MergeInfo {
  /** How many results.json were merged. */
  parts: number;
  /** The parts were shards of one run: its shard count and the shards merged (1-based, ascending). */
  shards?: { count: number; merged: number[] };
  /** Shards were missing and the merge was asked to be partial: a partial merge never passes the gate. */
  partial?: { missing: number[] };
  /** What the merge warned about (parts from different harness versions). */
  warnings?: string[];
}

export interface SuiteInfo {
  name: string;
  title: string;
  notes?: string[];
  /** The FIPS clause of each family of this suite that ran (families without one are absent). */
  fips?: FamilyFips[];
}

export interface FamilyFips extends FipsRef {
  family: string;
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

/** True when the case fails the gate: a failing status or any memory finding. */
export function isGateFailure(c: Pick<CaseResult, 'status' | 'findings'>): boolean {
  return FAILING.includes(c.status) || c.findings.length > 0;
}

/** Status as the gate sees it: the case status, or `finding` for a pass/skip with findings. */
export type GateStatus = Status | 'finding';
export function gateStatus(c: CaseResult): GateStatus {
  if (FAILING.includes(c.status)) return c.status;
  return c.findings.length > 0 ? 'finding' : c.status;
}
