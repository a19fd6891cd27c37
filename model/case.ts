// The case model. Suites make cases; the runner runs them on a backend (through
// whatever host) and records a result. A case's `run` only calls the backend
// contract; it never touches FFI, processes or files.

import type { Backend, Op } from './contract.ts';
import type { HashAlg, ParamSet } from './params.ts';

/** A suite name from the suite table (harness/suites/index.ts): `acvp`, `wycheproof`, ... */
export type Suite = string;

/** The FIPS 203 / FIPS 204 clause a vector family exercises, for an auditor. */
export interface FipsRef {
  standard: 'FIPS 203' | 'FIPS 204';
  /** Sections and algorithms, as the standard numbers them. */
  clause: string;
  /** What the family checks, in words. */
  what: string;
}

export interface CaseSource {
  /** Vector file relative to the vectors root, e.g. `acvp-server/ML-KEM-keyGen-FIPS203/internalProjection.json`. */
  file: string;
  tgId?: number;
  tcId?: number;
  /** Line number, for line-oriented files (CCTV). */
  line?: number;
}

/** What a failing case shows: named values, hex for bytes. */
export type Shown = Record<string, string | number | boolean>;

export type Outcome =
  | { status: 'pass'; note?: string }
  | { status: 'fail'; reason: string; expected?: Shown; got?: Shown }
  | { status: 'skip'; reason: string };

export interface Case {
  /** Stable across runs and shards; JUnit names and baselines key on it. */
  id: string;
  suite: Suite;
  family: string;
  parameterSet: ParamSet;
  /** The operation under test, for reports and filtering. */
  op: Op;
  source: CaseSource | null;
  /** Every contract operation `run` calls: a backend lacking one skips the case. */
  requires: readonly Op[];
  hashAlg?: HashAlg;
  /**
   * The vector's own labels for what the case probes (Wycheproof flags; the
   * ACVP test type, function and reason): the bug-class table
   * (model/bug-classes.ts) reads them when the case fails.
   */
  flags?: readonly string[];
  /** The vector expects the input to be refused: recorded on the result, where a pass reads "refused as expected". */
  expectsRejection?: boolean;
  /** Inputs shown in the report for a case that did not pass (hex); computed only then. */
  inputs?: () => Shown;
  /** Run once on one backend; throwing is `error` unless the error says otherwise. */
  run(backend: Backend, ctx?: CaseContext): Promise<Outcome>;
  /** Per-case timeout override in ms (long procedures such as accumulated digests). */
  timeoutMs?: number;
  /**
   * How many times the case calls each of its required operations (default 1):
   * an accumulated digest once per test, a property once per run. The runner
   * starts the heaviest cases first; the benchmark prices a case's raw work by it.
   */
  repeats?: number;
}

/** What the runner offers a running case. */
export interface CaseContext {
  /** How many of the case's `repeats` are done: progress lines show it while a long case runs. */
  progress?(done: number): void;
}

export function caseId(parts: (string | number | undefined)[]): string {
  return parts.filter((p) => p !== undefined && p !== '').join('/');
}
