// `pqc-harness bench`: per-backend op times, the cost of the FFI boundary, of
// the child host and of the harness itself. Writes DIR/bench.json
// (pqc-harness/bench@1) and DIR/bench.html, prints a table. No timing is
// asserted: the numbers describe the machine they were taken on.
//
//   pqc-harness bench [--backend noble,rust,liboqs] [--param ML-KEM-768,...]
//                     [--op keygen,encaps,decaps,sign,verify] [--out reports/out]
//                     [--min-time-ms 400] [--rounds 5] [--skip ffi,host,default-run]
//                     [--conformance] [--liboqs PATH]
//
// Exit codes: 0 measured; 2 usage error or nothing could be measured.

import { cpus, loadavg, totalmem } from 'node:os';
import { BENCH_SCHEMA, type Bench, type BenchBackend, type BenchGoal, type BenchResult, type ConformanceRun, type FfiOverhead, type HarnessOverhead, type HostOverhead, type RunComparison } from '../../model/bench.ts';
import { DEFAULT_BACKENDS, type BackendSpec } from '../../backends/registry.ts';
import type { Suite } from '../../model/case.ts';
import type { Backend } from '../../model/contract.ts';
import { openHosted, type HostOptions } from '../hosts/index.ts';
import { ALL_PARAMS, type ParamSet } from '../../model/params.ts';
import { harnessVersion } from '../run-info.ts';
import { DEFAULT_SUITES } from '../suites/index.ts';
import { measureFfiOverhead } from './ffi.ts';
import { measure, round3, summarize } from './measure.ts';
import { NotOfferedError, opsFor, prepareOp, type BenchOp } from './ops.ts';
import { compareRuns, measureConformanceRun, measureHarnessOverhead, measureHostOverhead, signModels, type Skip } from './overhead.ts';
import { pricer } from './pricing.ts';

export const DEFAULT_MIN_TIME_MS = 400;
/** Suites whose cases run across pairs of backends: left out of single-backend runs. */
export const CROSS_BACKEND_SUITES: readonly Suite[] = ['interop'];
/**
 * Suites whose cases are one contract call each on given inputs (vector
 * suites): the only ones the raw-op model of harness overhead can price.
 * accumulated (thousands of ops per case) and property (several ops per case)
 * are left out of the harness-overhead runs; they are in the full default run.
 */
export const SINGLE_OP_SUITES: readonly Suite[] = ['acvp', 'wycheproof', 'cctv'];
/** --skip: ffi, host (comparisons), default-run (the full `pqc-harness run` of --conformance). */
export const SKIPPABLE = ['ffi', 'host', 'default-run'] as const;

/** The runs `--conformance` times twice, changing one thing: a host's cost, the gain of a second instance. */
/** Names of the run comparisons the goals read. */
const CHILD_VS_INPROC = 'liboqs in a child host vs in process';
const JOBS_2_VS_1 = 'noble on 2 worker threads vs 1';

const RUN_COMPARISONS = [
  {
    name: CHILD_VS_INPROC,
    req: { backend: 'liboqs', suites: ['acvp', 'wycheproof'], params: ['ML-KEM-512', 'ML-KEM-768', 'ML-KEM-1024'] as ParamSet[] },
    base: { host: 'inproc' as const, jobs: 1 },
    other: { host: 'child' as const, jobs: 1 },
  },
  {
    name: JOBS_2_VS_1,
    req: { backend: 'noble', suites: ['wycheproof'], params: ['ML-DSA-65'] as ParamSet[] },
    base: { host: 'worker' as const, jobs: 1 },
    other: { host: 'worker' as const, jobs: 2 },
  },
] as const;
type Skippable = (typeof SKIPPABLE)[number];

export interface BenchOptions {
  backends: BackendSpec[];
  params: ParamSet[];
  ops: BenchOp[];
  /** Sampling time per measurement (each side of an interleaved comparison gets about this much). */
  minTimeMs: number;
  rounds?: number;
  skip?: Skippable[];
  /** Also time conformance runs (harness overhead, full default run). */
  conformance?: boolean;
  suites?: Suite[];
  liboqs?: string;
  argv?: string[];
  progress?: (line: string) => void;
}

function machine(): Bench['run']['machine'] {
  const c = cpus();
  return {
    cpus: c.length,
    cpuModel: c[0]?.model.trim() ?? 'unknown',
    memGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    loadStart: loadavg().map((x) => Math.round(x * 100) / 100),
    loadEnd: [],
  };
}

/** Runs the benchmark; never throws for a backend that cannot be opened (it is listed in `skipped`). */
export async function runBench(opts: BenchOptions): Promise<Bench> {
  const startedAt = new Date().toISOString();
  const m = machine();
  const progress = opts.progress;
  const hostOptions: HostOptions = opts.liboqs ? { liboqs: opts.liboqs } : {};
  const skip = new Set(opts.skip ?? []);
  const suites = opts.suites ?? DEFAULT_SUITES;
  const results: BenchResult[] = [];
  const ffiOverhead: FfiOverhead[] = [];
  const hostOverhead: HostOverhead[] = [];
  const harnessOverhead: HarnessOverhead[] = [];
  const skipped: Skip[] = [];
  const backends: BenchBackend[] = [];
  let conformanceRun: ConformanceRun | undefined;
  const runComparisons: RunComparison[] = [];

  // Each backend is opened in process once and kept open to the end: the
  // host and harness steps reuse it (liboqs cannot be opened twice in one process).
  const open = new Map<string, Backend>();
  const specOf = new Map<string, BackendSpec>();
  try {
    // 1. In-process op times, per backend.
    for (const backendSpec of opts.backends) {
      const spec = backendSpec.text;
      let b: Backend;
      try {
        b = await openHosted(backendSpec, 'inproc', hostOptions);
      } catch (e) {
        skipped.push({ backend: spec, what: 'everything', reason: `cannot open: ${(e as Error).message}` });
        continue;
      }
      open.set(spec, b);
      specOf.set(spec, backendSpec);
      const d = b.describe();
      backends.push({ id: spec, name: d.name, version: d.version });
      for (const ps of opts.params) {
        for (const op of opsFor(ps)) {
          if (!opts.ops.includes(op)) continue;
          progress?.(`bench: ${spec} ${ps} ${op}`);
          try {
            const fn = await prepareOp(b, ps, op);
            const s = summarize(await measure(fn, { minTimeMs: opts.minTimeMs, minSamples: 10 }));
            results.push({ backend: spec, parameterSet: ps, op, opsPerSec: round3(1e6 / s.median), medianUs: round3(s.median), iqrUs: round3(s.iqr), n: s.n });
          } catch (e) {
            if (!(e instanceof NotOfferedError)) throw e;
            skipped.push({ backend: spec, parameterSet: ps, op, what: 'op time', reason: e.message });
          }
        }
      }
    }

    // 2. FFI boundary (rust only: the cdylib exports its own timing loop).
    if (!skip.has('ffi') && open.has('rust')) {
      try {
        ffiOverhead.push(...(await measureFfiOverhead({ params: opts.params, ops: opts.ops, minTimeMs: opts.minTimeMs, rounds: opts.rounds, progress })));
      } catch (e) {
        skipped.push({ backend: 'rust', what: 'ffi overhead', reason: (e as Error).message });
      }
    }

    // 3. Child host vs in process.
    if (!skip.has('host')) {
      for (const [spec, b] of open) {
        try {
          const r = await measureHostOverhead(specOf.get(spec)!, b, { params: opts.params, ops: opts.ops, minTimeMs: opts.minTimeMs, rounds: opts.rounds, hostOptions, progress });
          hostOverhead.push(...r.rows);
          skipped.push(...r.skipped);
        } catch (e) {
          skipped.push({ backend: spec, what: 'host overhead', reason: (e as Error).message });
        }
      }
    }

    // 4. Harness overhead, the full default run, and runs that differ in host or jobs.
    if (opts.conformance) {
      const params = opts.params.length === ALL_PARAMS.length ? undefined : opts.params;
      // A single-backend run cannot include the cross-backend suites.
      const single = suites.filter((s) => !CROSS_BACKEND_SUITES.includes(s));
      const modelled = suites.filter((s) => SINGLE_OP_SUITES.includes(s));
      const price = pricer(results, await signModels(open, results, progress));
      const solo = new Map<string, number>();
      for (const spec of open.keys()) {
        try {
          if (modelled.length === 0) throw new Error(`no single-op vector suite (${SINGLE_OP_SUITES.join(', ')}) among ${suites.join(', ')}`);
          harnessOverhead.push(await measureHarnessOverhead(spec, price, { suites: modelled, params, hostOptions, progress, solo }));
        } catch (e) {
          skipped.push({ backend: spec, what: 'harness overhead', reason: (e as Error).message });
        }
      }
      if (!skip.has('default-run')) {
        try {
          const specs = [...open.keys()];
          conformanceRun = await measureConformanceRun(specs, specs.length >= 2 ? suites : single, params, price, solo, hostOptions, progress);
        } catch (e) {
          skipped.push({ backend: [...open.keys()].join(','), what: 'default conformance run', reason: (e as Error).message });
        }
      }
      for (const c of RUN_COMPARISONS) {
        if (!open.has(c.req.backend)) continue;
        try {
          runComparisons.push(await compareRuns(c.name, { ...c.req, ...(hostOptions.liboqs ? { liboqs: hostOptions.liboqs } : {}) }, c.base, c.other, progress));
        } catch (e) {
          skipped.push({ backend: c.req.backend, what: c.name, reason: (e as Error).message });
        }
      }
    }
  } finally {
    for (const b of open.values()) await b.close?.();
  }

  m.loadEnd = loadavg().map((x) => Math.round(x * 100) / 100);
  const bench: Bench = {
    schema: BENCH_SCHEMA,
    run: { startedAt, finishedAt: new Date().toISOString(), harnessVersion: harnessVersion(), argv: opts.argv ?? [], minTimeMs: opts.minTimeMs, machine: m },
    backends,
    results,
    ffiOverhead,
    hostOverhead,
    harnessOverhead,
    ...(conformanceRun ? { conformanceRun } : {}),
    ...(runComparisons.length ? { runComparisons } : {}),
    goals: [],
    skipped,
  };
  bench.goals = evaluateGoals(bench, opts.params.length === ALL_PARAMS.length);
  return bench;
}

/** The issue's goals, against this run's numbers (null when not measured here). */
export function evaluateGoals(b: Bench, allParams = true): BenchGoal[] {
  const goals: BenchGoal[] = [];
  const ffi = b.ffiOverhead.find((r) => r.backend === 'rust' && r.parameterSet === 'ML-KEM-768' && r.op === 'kem.decaps');
  goals.push({
    name: 'koffi overhead, rust ML-KEM-768 decaps',
    target: 'koffi / native <= 1.05',
    measured: ffi
      ? `${ffi.ratio.toFixed(3)} through the contract (native ${ffi.nativeUs.toFixed(1)} µs, koffi ${ffi.ffiUs.toFixed(1)} µs)` +
        (ffi.rawRatio !== undefined ? `; bare koffi call ${ffi.rawRatio.toFixed(3)}` : '')
      : 'not measured',
    met: ffi ? ffi.ratio <= 1.05 : null,
  });
  const ho = b.harnessOverhead.filter((r) => r.host === 'inproc');
  goals.push({
    name: 'in-process harness overhead',
    target: 'conformance wall time / raw op time <= 1.3, per backend',
    measured: ho.length ? ho.map((r) => `${r.backend} ${r.ratio.toFixed(2)}`).join(', ') : 'not measured (--conformance)',
    met: ho.length ? ho.every((r) => r.ratio <= 1.3) : null,
  });
  const host = b.hostOverhead.find((r) => r.backend === 'liboqs' && r.parameterSet === 'ML-KEM-768' && r.op === 'kem.decaps');
  goals.push({
    name: 'liboqs ML-KEM-768 decaps per call, child / in process, pipelined',
    target: '<= 1.5',
    measured: host?.pipelinedRatio !== undefined ? `${host.pipelinedRatio.toFixed(2)} (${host.childPipelinedUs!.toFixed(1)} µs vs ${host.inprocUs.toFixed(1)} µs; one call at a time: ${host.ratio.toFixed(1)})` : 'not measured',
    met: host?.pipelinedRatio !== undefined ? host.pipelinedRatio <= 1.5 : null,
  });
  const cmp = (name: string) => b.runComparisons?.find((r) => r.name === name);
  const child = cmp(CHILD_VS_INPROC);
  goals.push({
    name: 'liboqs run time, child / in process (ACVP + Wycheproof ML-KEM)',
    target: '<= 1.25',
    measured: child ? `${child.ratio.toFixed(2)} (${(child.otherMs / 1e3).toFixed(1)} s vs ${(child.baseMs / 1e3).toFixed(1)} s)` : 'not measured (--conformance)',
    met: child ? child.ratio <= 1.25 : null,
  });
  const jobs = cmp(JOBS_2_VS_1);
  goals.push({
    name: '--jobs 2 / --jobs 1 wall, noble Wycheproof ML-DSA-65',
    target: '<= 0.7',
    measured: jobs ? `${jobs.ratio.toFixed(2)} (${(jobs.otherMs / 1e3).toFixed(1)} s vs ${(jobs.baseMs / 1e3).toFixed(1)} s)` : 'not measured (--conformance)',
    met: jobs ? jobs.ratio <= 0.7 : null,
  });
  const c = b.conformanceRun;
  const full = c !== undefined && allParams && DEFAULT_BACKENDS.every((d) => c.backends.includes(d)) && DEFAULT_SUITES.every((s) => c.suites.includes(s));
  goals.push({
    name: 'schedule efficiency of the default run',
    target: '(raw op time / cores) / wall >= 0.8',
    measured: c?.scheduleEfficiency !== undefined ? `${c.scheduleEfficiency.toFixed(2)} (raw ${(c.rawOpMs! / 1e3).toFixed(1)} s over ${c.cores} cores, wall ${(c.wallMs / 1e3).toFixed(1)} s)${full ? '' : ' (not the full default run)'}` : 'not measured (--conformance)',
    met: c?.scheduleEfficiency !== undefined && full ? c.scheduleEfficiency >= 0.8 : null,
  });
  goals.push({
    name: 'full default conformance run, noble + rust + liboqs',
    target: `<= 100 s on 2 cores (this machine: ${b.run.machine.cpus})`,
    measured: c
      ? `${(c.wallMs / 1e3).toFixed(1)} s for ${c.cases} cases at --jobs ${c.jobs ?? '?'}${c.jobs1WallMs ? ` (--jobs 1: ${(c.jobs1WallMs / 1e3).toFixed(1)} s)` : ''}, peak RSS ${c.peakRssMiB === undefined ? '?' : c.peakRssMiB.toFixed(0)} MiB${full ? '' : ' (not the full default run)'}`
      : 'not measured (--conformance)',
    met: c && full ? c.wallMs <= 100_000 : null,
  });
  return goals;
}
