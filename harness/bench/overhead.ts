// Host overhead (child process vs in process) and harness overhead (a whole
// conformance run vs the raw op time of its cases).

import type { ConformanceRun, HarnessOverhead, HostOverhead, BenchResult } from '../../model/bench.ts';
import type { Backend } from '../../model/contract.ts';
import type { BackendSpec } from '../../backends/registry.ts';
import { openHosted, type HostOptions } from '../hosts/index.ts';
import { isDsaParam, type DsaParam, type ParamSet } from '../../model/params.ts';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Suite } from '../../model/case.ts';
import { FAILING, type Status } from '../../model/results.ts';
import { spawn } from 'node:child_process';
import { nodeCommand, packagePath } from '../../model/package.ts';
import { nowNs, round3, samplePair, summarize, timed, median } from './measure.ts';
import { BENCH_CTX, BENCH_RND, BENCH_SEED, NotOfferedError, benchOpOf, opsFor, prepareOp, type BenchOp } from './ops.ts';

export interface Skip {
  backend: string;
  parameterSet?: string;
  op?: string;
  what: string;
  reason: string;
}

export interface HostOverheadOptions {
  params: readonly ParamSet[];
  ops: readonly BenchOp[];
  minTimeMs: number;
  rounds?: number;
  hostOptions?: HostOptions;
  progress?: (line: string) => void;
}

/**
 * The same op on the same backend, in process (`inproc`: the caller's open
 * instance; liboqs cannot be opened twice in one process) and in a child host
 * (module-wrapper protocol over pipes), sampled call by call, interleaved.
 */
export async function measureHostOverhead(backendSpec: BackendSpec, inproc: Backend, opts: HostOverheadOptions): Promise<{ rows: HostOverhead[]; skipped: Skip[] }> {
  const rows: HostOverhead[] = [];
  const skipped: Skip[] = [];
  const spec = backendSpec.text;
  let child: Backend | undefined;
  try {
    child = await openHosted(backendSpec, 'child', opts.hostOptions);
    for (const ps of opts.params) {
      for (const op of opsFor(ps)) {
        if (!opts.ops.includes(op)) continue;
        opts.progress?.(`bench: host ${spec} ${ps} ${op}`);
        try {
          const a = await prepareOp(inproc, ps, op);
          const b = await prepareOp(child, ps, op);
          const { a: sa, b: sb } = await samplePair(timed(a), timed(b), { minTimeMs: opts.minTimeMs, rounds: opts.rounds, minSamples: 10 });
          const si = summarize(sa);
          const sc = summarize(sb);
          rows.push({ backend: spec, parameterSet: ps, op, inprocUs: round3(si.median), childUs: round3(sc.median), ratio: round3(sc.median / si.median), n: Math.min(si.n, sc.n) });
        } catch (e) {
          if (!(e instanceof NotOfferedError)) throw e;
          skipped.push({ backend: spec, parameterSet: ps, op, what: 'host overhead', reason: e.message });
        }
      }
    }
  } finally {
    await child?.close?.();
  }
  return { rows, skipped };
}

/** Messages for the signing-cost model: 16 fixed 32-byte messages, byte i repeated. */
const SIGN_MODEL_MESSAGES = 16;

/**
 * Mean in-process signing time over SIGN_MODEL_MESSAGES fixed messages (median
 * of 3 calls each): each message takes its own number of rejection rounds, so
 * the mean approaches the expected cost of one signature, which is what an
 * ACVP signing case (its own message and rnd) costs on average. The single
 * fixed message of the results table can sit far from that average.
 */
export async function signModelUs(backend: Backend, ps: DsaParam): Promise<number> {
  const dsa = backend.dsa!;
  const { sk } = await dsa.keygen(ps, BENCH_SEED);
  let sum = 0;
  for (let i = 0; i < SIGN_MODEL_MESSAGES; i++) {
    const msg = new Uint8Array(32).fill(i);
    const xs: number[] = [];
    for (let r = 0; r < 3; r++) {
      const t = nowNs();
      await dsa.sign(ps, sk, msg, BENCH_CTX, BENCH_RND);
      xs.push(Number(nowNs() - t) / 1000);
    }
    sum += median(xs);
  }
  return sum / SIGN_MODEL_MESSAGES;
}

export interface HarnessOverheadOptions {
  suites: readonly Suite[];
  params?: readonly ParamSet[];
  /** In-process medians of this bench run (results table). */
  results: readonly BenchResult[];
  hostOptions?: HostOptions;
  progress?: (line: string) => void;
}

interface ChildCase {
  suite: string;
  op: string;
  /** Every contract op the case calls (Case.requires). */
  requires: string[];
  parameterSet: string;
  status: Status;
  durationMs: number;
}

/** Runs conformance-child.ts in a fresh node process and returns its report. */
export async function timedConformanceInChild(req: { backend: string; suites: readonly Suite[]; params?: readonly ParamSet[]; liboqs?: string }): Promise<{ wallMs: number; collectMs: number; cases: ChildCase[] }> {
  const dir = await mkdtemp(join(tmpdir(), 'pqc-bench-conf-'));
  try {
    const outFile = join(dir, 'conformance.json');
    const [node, ...argv] = nodeCommand('harness/bench/conformance-child.ts');
    const child = spawn(node!, [...argv, JSON.stringify(req), outFile], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (s: string) => (err = (err + s).slice(-4000)));
    const code = await new Promise<number | null>((res) => child.on('close', (c) => res(c)));
    if (code !== 0) throw new Error(`conformance child for ${req.backend} exited ${code}: ${err.trim().split('\n').slice(-3).join(' | ')}`);
    return JSON.parse(await readFile(outFile, 'utf8')) as { wallMs: number; collectMs: number; cases: ChildCase[] };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Wall time of an in-process conformance run of one backend (in a fresh
 * process, timed around runConformance) against
 *  - rawOpMs: the raw cryptographic work of the same executed cases, modelled
 *    as, per case, the sum over the contract ops it calls (Case.requires, each
 *    once) of that op's in-process median at the case's parameter set (every
 *    signing entry point at the multi-message mean of signModelUs, every
 *    verifying one at the verify median); cases none of whose ops has a
 *    benchmark (the FIPS 203 key checks) count at their own durationMs
 *    (reported as `unmodelled`);
 *  - caseSumMs: the runner's own per-case durationMs (op + the case's decoding
 *    and comparing), so wallMs / caseSumMs is the runner's share alone.
 * `backend` is the already open in-process instance, used for the sign model.
 */
export async function measureHarnessOverhead(spec: string, backend: Backend, opts: HarnessOverheadOptions): Promise<HarnessOverhead> {
  const signUs = new Map<string, number>();
  const dsaParams = [...new Set(opts.results.filter((r) => r.backend === spec && r.op === 'dsa.sign').map((r) => r.parameterSet))];
  for (const ps of dsaParams) {
    if (!isDsaParam(ps)) continue;
    opts.progress?.(`bench: sign model ${spec} ${ps}`);
    signUs.set(ps, await signModelUs(backend, ps));
  }
  opts.progress?.(`bench: conformance ${spec} (in process, fresh node, ${opts.suites.join(',')})`);
  const res = await timedConformanceInChild({ backend: spec, suites: opts.suites, ...(opts.params ? { params: opts.params } : {}), ...(opts.hostOptions?.liboqs ? { liboqs: opts.hostOptions.liboqs } : {}) });
  const wallMs = res.wallMs;
  const medianOf = new Map(opts.results.filter((r) => r.backend === spec).map((r) => [`${r.parameterSet}\0${r.op}`, r.medianUs]));
  let caseSumMs = 0;
  let rawOpMs = 0;
  let executed = 0;
  let skipped = 0;
  let unmodelled = 0;
  const groups = new Map<string, NonNullable<HarnessOverhead['byGroup']>[number]>();
  for (const c of res.cases) {
    caseSumMs += c.durationMs;
    if (c.status === 'skip') {
      skipped++;
      continue;
    }
    executed++;
    // Each op the case requires, once, at its benchmarked price; a case none of
    // whose ops has a price (the FIPS 203 key checks) counts at its durationMs.
    let us: number | undefined;
    for (const r of c.requires.length ? c.requires : [c.op]) {
      const op = benchOpOf(r);
      const p = op === 'dsa.sign' ? signUs.get(c.parameterSet) : op ? medianOf.get(`${c.parameterSet}\0${op}`) : undefined;
      if (p !== undefined) us = (us ?? 0) + p;
    }
    const raw = us === undefined ? c.durationMs : us / 1000;
    if (us === undefined) unmodelled++;
    rawOpMs += raw;
    const key = `${c.suite}\0${c.op}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { suite: c.suite, op: c.op, executed: 0, caseSumMs: 0, rawOpMs: 0 }));
    g.executed++;
    g.caseSumMs += c.durationMs;
    g.rawOpMs += raw;
  }
  const byGroup = [...groups.values()].map((g) => ({ ...g, caseSumMs: round3(g.caseSumMs), rawOpMs: round3(g.rawOpMs) }));
  return {
    backend: spec,
    host: 'inproc',
    suites: [...opts.suites],
    cases: res.cases.length,
    executed,
    skipped,
    failing: res.cases.filter((c) => FAILING.includes(c.status)).length,
    wallMs: round3(wallMs),
    collectMs: round3(res.collectMs),
    caseSumMs: round3(caseSumMs),
    rawOpMs: round3(rawOpMs),
    ratio: round3(wallMs / rawOpMs),
    caseRatio: round3(wallMs / caseSumMs),
    unmodelled,
    byGroup,
  };
}

const CLI = packagePath('bin/pqc-harness.js');

/**
 * The default conformance run exactly as a user starts it: `node
 * bin/pqc-harness.js run --backend ... --out <tmp>` in a fresh process (host
 * auto: native backends in child hosts, side by side), timed from spawn to
 * exit, so start-up and report writing count. Its exit code is not judged
 * (1 = some case failed); the case count and failures come from results.json.
 */
export async function measureConformanceRun(
  backends: readonly string[],
  suites: readonly Suite[],
  params: readonly ParamSet[] | undefined,
  hostOptions?: HostOptions,
  progress?: (line: string) => void,
): Promise<ConformanceRun> {
  progress?.(`bench: default conformance run ${backends.join(',')} (pqc-harness run, host auto)`);
  const out = await mkdtemp(join(tmpdir(), 'pqc-bench-run-'));
  try {
    const args = [CLI, 'run', '--backend', backends.join(','), '--suite', suites.join(','), '--out', out];
    if (params) args.push('--param', params.join(','));
    if (hostOptions?.liboqs) args.push('--liboqs', hostOptions.liboqs);
    const t0 = nowNs();
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (s: string) => (err = (err + s).slice(-4000)));
    const code = await new Promise<number | null>((res) => child.on('close', (c) => res(c)));
    const wallMs = Number(nowNs() - t0) / 1e6;
    if (code !== 0 && code !== 1) throw new Error(`pqc-harness run exited ${code}: ${err.trim().split('\n').slice(-3).join(' | ')}`);
    const res = JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as { cases: { backend: string; suite: string; status: Status; durationMs: number }[] };
    const groups = new Map<string, NonNullable<ConformanceRun['bySuite']>[number]>();
    for (const c of res.cases) {
      const key = `${c.backend}\0${c.suite}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { backend: c.backend, suite: c.suite, cases: 0, failing: 0, caseSumMs: 0 }));
      g.cases++;
      if (FAILING.includes(c.status)) g.failing++;
      g.caseSumMs += c.durationMs;
    }
    return {
      backends: [...backends],
      host: 'auto',
      suites: [...suites],
      cases: res.cases.length,
      failing: res.cases.filter((c) => FAILING.includes(c.status)).length,
      wallMs: round3(wallMs),
      bySuite: [...groups.values()].map((g) => ({ ...g, caseSumMs: round3(g.caseSumMs) })),
    };
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}
