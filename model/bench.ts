// bench.json, schema `pqc-harness/bench@1`: what `pqc-harness bench` measured.
// The console table and the HTML chart in reports/bench/ are views of it.

export const BENCH_SCHEMA = 'pqc-harness/bench@1';

/** One (backend, parameter set, op), timed in process through the Backend contract. */
export interface BenchResult {
  backend: string;
  parameterSet: string;
  op: string;
  /** 1e6 / medianUs. */
  opsPerSec: number;
  medianUs: number;
  /** Interquartile range (q3 - q1) of the per-call samples, µs. */
  iqrUs: number;
  /** Number of samples (one call each). */
  n: number;
}

/**
 * The same op timed inside the cdylib (pqc_bench_ns: a Rust loop, no FFI) and
 * through koffi from node, interleaved in one run. ratio = ffiUs / nativeUs.
 */
export interface FfiOverhead {
  backend: string;
  parameterSet: string;
  op: string;
  nativeUs: number;
  /** Through the Backend contract (async wrapper, output allocation, koffi call). */
  ffiUs: number;
  ratio: number;
  /** The bare koffi call of the buffer ABI, synchronous, preallocated outputs. */
  rawFfiUs?: number;
  rawRatio?: number;
  /** Samples per side. */
  n: number;
}

/**
 * The same op through the child host and in process, interleaved. ratio =
 * childUs / inprocUs, one call at a time (a round trip each); pipelinedRatio =
 * childPipelinedUs / inprocUs with 32 calls in flight (how the runner drives a child).
 */
export interface HostOverhead {
  backend: string;
  parameterSet: string;
  op: string;
  inprocUs: number;
  childUs: number;
  ratio: number;
  childPipelinedUs?: number;
  pipelinedRatio?: number;
  n: number;
}

/**
 * Harness overhead of one in-process conformance run of one backend.
 * wallMs: wall time of runConformance (vector loading and parsing, case
 * construction, backend open/close, every case). rawOpMs: the model of the
 * raw cryptographic work for the same executed cases (see docs/benchmarks.md):
 * per case, the sum over the contract ops it calls (Case.requires, once each)
 * of the in-process median of that op at the case's parameter set (signing
 * priced at the mean over several fixed messages, so an average number of
 * rejection rounds); cases none of whose ops has a benchmark (the FIPS 203 key
 * checks) are priced at their own durationMs. ratio = wallMs / rawOpMs.
 * caseSumMs: the sum of the runner's per-case durationMs; caseRatio = wallMs / caseSumMs.
 */
export interface HarnessOverhead {
  backend: string;
  host: string;
  suites: string[];
  cases: number;
  executed: number;
  skipped: number;
  failing: number;
  wallMs: number;
  /**
   * Case collection alone (vector parsing, case construction), timed again
   * after the run with the vector store's file cache warm: a lower bound of
   * the fixed share of wallMs.
   */
  collectMs?: number;
  caseSumMs: number;
  rawOpMs: number;
  ratio: number;
  caseRatio: number;
  /** Executed cases priced at their own durationMs (no benchmark for their op). */
  unmodelled: number;
  /** The executed cases by (suite, op): where case time exceeds the raw-op model. */
  byGroup?: { suite: string; op: string; executed: number; caseSumMs: number; rawOpMs: number }[];
}

/**
 * The default conformance run as a user starts it: `node bin/pqc-harness.js run
 * --backend ...` in a fresh process (host auto: native backends in child hosts,
 * backends side by side), wall time from spawn to exit.
 */
export interface ConformanceRun {
  backends: string[];
  host: string;
  suites: string[];
  cases: number;
  failing: number;
  wallMs: number;
  /** `--jobs` of the run (instances per out-of-process backend), and the machine's cores. */
  jobs?: number;
  cores?: number;
  /** The same run at --jobs 1. */
  jobs1WallMs?: number;
  /** Peak resident memory of the run, every process of it summed (sampled every 250 ms). */
  peakRssMiB?: number;
  /** The raw-op model of the executed cases, every backend summed (harness/bench/pricing.ts). */
  rawOpMs?: number;
  /** Executed cases priced neither by the model nor by an in-process run of the same case (counted at their durationMs in this run, which includes waiting). */
  unmodelled?: number;
  /** (rawOpMs / cores) / wallMs: how close the run comes to keeping every core busy with crypto. */
  scheduleEfficiency?: number;
  /**
   * Per backend and suite: cases, failing cases, and the sum of their
   * durationMs (backends run side by side, so these do not add up to wallMs;
   * they show which suite dominates).
   */
  bySuite?: { backend: string; suite: string; cases: number; failing: number; caseSumMs: number }[];
}

/** Two timed runs of the same cases that differ in one thing (host, jobs): ratio = otherMs / baseMs. */
export interface RunComparison {
  name: string;
  /** What ran, and what differs. */
  what: string;
  baseMs: number;
  otherMs: number;
  ratio: number;
}

export interface BenchGoal {
  name: string;
  target: string;
  measured: string;
  /** null: not measured in this run. */
  met: boolean | null;
}

export interface BenchMachine {
  cpus: number;
  cpuModel: string;
  memGiB: number;
  node: string;
  platform: string;
  /** os.loadavg() when the bench started and when it finished (1, 5, 15 min). */
  loadStart: number[];
  loadEnd: number[];
}

export interface BenchRun {
  startedAt: string;
  finishedAt: string;
  harnessVersion: string;
  argv: string[];
  minTimeMs: number;
  machine: BenchMachine;
}

export interface BenchBackend {
  id: string;
  name: string;
  version: string;
}

export interface Bench {
  schema: typeof BENCH_SCHEMA;
  run: BenchRun;
  backends: BenchBackend[];
  results: BenchResult[];
  ffiOverhead: FfiOverhead[];
  hostOverhead: HostOverhead[];
  harnessOverhead: HarnessOverhead[];
  conformanceRun?: ConformanceRun;
  runComparisons?: RunComparison[];
  goals: BenchGoal[];
  /** What was asked for and not measured, and why. */
  skipped: { backend: string; parameterSet?: string; op?: string; what: string; reason: string }[];
}

/** Shape check for a parsed bench.json (used by tests and by a reader before embedding). */
export function isBench(x: unknown): x is Bench {
  if (!x || typeof x !== 'object') return false;
  const b = x as Partial<Bench>;
  return b.schema === BENCH_SCHEMA && Array.isArray(b.results) && Array.isArray(b.ffiOverhead) && Array.isArray(b.hostOverhead) && Array.isArray(b.harnessOverhead);
}
