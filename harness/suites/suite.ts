// The one tiny interface every suite implements, registered in suites/index.ts.
// A suite makes cases (data plus a `run` that calls the backend contract only);
// it never touches FFI, processes or files other than its vectors.

import type { Backend } from '../../model/contract.ts';
import type { Case, FipsRef, Shown } from '../../model/case.ts';
import type { ParamSet } from '../../model/params.ts';
import type { Status } from '../../model/results.ts';
import type { Op } from '../../model/contract.ts';
import type { Finding } from '../../model/findings.ts';

export interface SuiteOptions {
  /** Longer variants (e.g. the 1 000 000-test accumulated digests). */
  long?: boolean;
  /** Backend ids in this run, for suites whose cases depend on the mix. */
  backends?: readonly string[];
}

/** Which FIPS clause a family exercises: the first rule whose pattern matches the family name wins. */
export interface FipsRule extends FipsRef {
  match: RegExp;
}

interface SuiteBase {
  name: string;
  title: string;
  /** Vector files (manifest paths) this suite reads, for provenance. */
  vectorFiles: readonly string[];
  /**
   * What a reader of the report must know about how the vectors are applied
   * (rules chosen, traps avoided, checks deliberately left out).
   */
  notes?: readonly string[];
  /** The FIPS 203 / FIPS 204 clauses of this suite's families (recorded in results.json for the reports). */
  fips: readonly FipsRule[];
}

/** Cases run on each backend of the run on its own. */
export interface PerBackendSuite extends SuiteBase {
  kind: 'per-backend';
  /** Make every case. Throws on a bad vector file; zero cases is an error the runner reports. */
  cases(opts: SuiteOptions): Case[];
}

/** One check across backends (interop, differential): the runner files it under the culprit or the first backend. */
export interface AcrossResult {
  /** `interop/<check>/<ps>/<A>-><B>` (ordered), `interop/<check>/<ps>/<A>+<B>` (agreement), `differential/<family>/<ps>/<backend>`. */
  id: string;
  /** The check: kem-cross, dsa-cross, kem-agree, dsa-agree; kem-outputs, dsa-verdicts, …. */
  family: string;
  parameterSet: ParamSet;
  /** The operation that disagreed (on failure) or the check's main operation. */
  op: Op;
  /** The backends the result is about, in the order of the id (their memory findings are drained into it). */
  backends: string[];
  status: Status;
  reason?: string;
  inputs?: Shown;
  expected?: Shown;
  got?: Shown;
  /** The backend whose crash or stall ended the check. */
  culprit?: string;
  crash?: { signal: string | null; exitCode: number | null; stderr: string };
  /** Memory findings: a crashing host's (CrashError.findings), and those drained after the check. */
  findings?: Finding[];
  durationMs: number;
}

/** Checks that need several backends at once (interop: one result per check, set and pair; differential: per family, set and backend). */
export interface AcrossBackendsSuite extends SuiteBase {
  kind: 'across-backends';
  run(
    backends: Record<string, Backend>,
    opts: { params?: readonly ParamSet[]; afterCheck?: (r: AcrossResult) => void | Promise<void> },
  ): Promise<AcrossResult[]>;
}

/** The harness checking itself (`pqc-harness selftest`): not chosen with `run --suite`. */
export interface SelftestSuite extends SuiteBase {
  kind: 'selftest';
}

export type SuiteDef = PerBackendSuite | AcrossBackendsSuite | SelftestSuite;

/** The FIPS reference of a family under a suite's rules (the parameter set disambiguates a bare family name). */
export function fipsOf(rules: readonly FipsRule[], family: string, parameterSet?: string): FipsRef | undefined {
  const hit = rules.find((r) => r.match.test(family)) ?? (parameterSet ? rules.find((r) => r.match.test(`${family} ${parameterSet}`)) : undefined);
  return hit && { standard: hit.standard, clause: hit.clause, what: hit.what };
}
