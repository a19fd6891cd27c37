// The library API (`import … from 'pqc-harness'`): what a program needs to run
// the suites against a backend and write the reports, without the CLI. Each
// name is re-exported from the one module that owns it.

export { runConformance, runCase, collectCases, ZeroCasesError, type RunOptions, type RunPart } from '../harness/runner.ts';
export { openHosted, chooseHost, HOSTS, HOST_KINDS, isHostKind, type HostKind, type HostOptions } from '../harness/hosts/index.ts';
export { DEFAULT_SUITES, SUITE_NAMES } from '../harness/suites/index.ts';
export { harnessVersion } from '../harness/run-info.ts';
export { parseSpec, openBackend, SpecError, BACKEND_KINDS, DEFAULT_BACKENDS, type BackendSpec, type OpenOptions } from '../backends/registry.ts';
export {
  ALL_OPS,
  RejectedError,
  UnsupportedError,
  type Backend,
  type BackendInfo,
  type BackendKind,
  type Capabilities,
  type DsaApi,
  type DsaKeyPair,
  type KemApi,
  type KemEncapsResult,
  type KemKeyPair,
  type Op,
} from '../model/contract.ts';
export { ALL_PARAMS, DSA, DSA_PARAMS, KEM, KEM_PARAMS, HASH_ALG_NAMES, type DsaParam, type HashAlg, type KemParam, type ParamSet } from '../model/params.ts';
export type { Case, Outcome, Shown, Suite } from '../model/case.ts';
export {
  RESULTS_SCHEMA,
  STATUSES,
  summarize,
  isGateFailure,
  type BackendCoverage,
  type BackendEntry,
  type CaseResult,
  type CoverageFile,
  type Finding,
  type Results,
  type Status,
  type Summary,
} from '../model/results.ts';
export { assertResults, validateResults } from '../model/validate.ts';
export { evaluateGate, readBaseline, EXIT, type Baseline, type GateOptions, type GateResult } from '../reports/gate.ts';
export { mergeResults, readResults } from '../reports/merge.ts';
export { writeReports } from '../reports/write.ts';
export { toHtml } from '../reports/html/page.ts';
export { toJUnit } from '../reports/junit.ts';
