// Host overhead (child process vs in process) and harness overhead (a whole
// conformance run vs the raw op time of its cases).

import type { ConformanceRun, HarnessOverhead, HostOverhead, BenchResult, RunComparison } from '../../model/bench.ts';
import type { Backend } from '../../model/contract.ts';
import type { BackendSpec } from '../../backends/registry.ts';
import { openHosted, type HostKind, type HostOptions } from '../hosts/index.ts';
import { isDsaParam, type DsaParam, type ParamSet } from '../../model/params.ts';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Suite } from '../../model/case.ts';
import { FAILING, type Status } from '../../model/results.ts';
import { spawn } from 'node:child_process';
import { nodeCommand, packagePath } from '../../model/package.ts';
import { nowNs, round3, sampleInterleaved, summarize, timed, timedConcurrent, median } from './measure.ts';
import { BENCH_CTX, BENCH_RND, BENCH_SEED, NotOfferedError, opsFor, prepareOp, type BenchOp } from './ops.ts';
import { caseShapes, rawWorkMs, type Pricer } from './pricing.ts';
import { collectCases } from '../runner.ts';

/** Calls in flight when the host overhead is measured pipelined (one child, the client's window). */
const PIPELINE_WINDOW = 32;

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
          // One call at a time (a round trip per call), and a window of calls in flight (the runner's way).
          const [sa, sb, sp] = await sampleInterleaved([timed(a), timed(b), timedConcurrent(b, PIPELINE_WINDOW)], { minTimeMs: opts.minTimeMs, rounds: opts.rounds, minSamples: 10 });
          const si = summarize(sa!);
          const sc = summarize(sb!);
          const pc = summarize(sp!);
          rows.push({
            backend: spec, parameterSet: ps, op, inprocUs: round3(si.median), childUs: round3(sc.median), ratio: round3(sc.median / si.median),
            childPipelinedUs: round3(pc.median), pipelinedRatio: round3(pc.median / si.median), n: Math.min(si.n, sc.n),
          });
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
  hostOptions?: HostOptions;
  progress?: (line: string) => void;
  /** Filled with each executed case's durationMs, by soloKey: cases run one at a time here, so it is the case's own cost. */
  solo?: Map<string, number>;
}

/** The key of a case in HarnessOverheadOptions.solo. */
export const soloKey = (backend: string, suite: string, id: string): string => `${backend}\0${suite}\0${id}`;

interface ChildCase {
  id: string;
  suite: string;
  op: string;
  /** Every contract op the case calls (Case.requires), `repeats` times. */
  requires: string[];
  repeats: number;
  parameterSet: string;
  status: Status;
  durationMs: number;
}

/** Runs conformance-child.ts in a fresh node process and returns its report. */
export async function timedConformanceInChild(req: { backend: string; suites: readonly Suite[]; params?: readonly ParamSet[]; liboqs?: string; host?: HostKind; jobs?: number }): Promise<{ wallMs: number; collectMs: number; cases: ChildCase[] }> {
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

/** The sign model (signModelUs) of every open backend and set the bench measured signing for: (backend, set) → µs. */
export async function signModels(open: ReadonlyMap<string, Backend>, results: readonly BenchResult[], progress?: (line: string) => void): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const r of results) {
    const b = open.get(r.backend);
    if (r.op !== 'dsa.sign' || !b || !isDsaParam(r.parameterSet)) continue;
    progress?.(`bench: sign model ${r.backend} ${r.parameterSet}`);
    out.set(`${r.backend}\0${r.parameterSet}`, await signModelUs(b, r.parameterSet));
  }
  return out;
}

/**
 * Wall time of an in-process conformance run of one backend (in a fresh
 * process, timed around runConformance) against
 *  - rawOpMs: the raw cryptographic work of the same executed cases, as
 *    pricing.ts models it from this bench's medians and sign model (`price`);
 *    cases it cannot price count at their own durationMs (`unmodelled`);
 *  - caseSumMs: the runner's own per-case durationMs (op + the case's decoding
 *    and comparing), so wallMs / caseSumMs is the runner's share alone.
 */
export async function measureHarnessOverhead(spec: string, price: Pricer, opts: HarnessOverheadOptions): Promise<HarnessOverhead> {
  opts.progress?.(`bench: conformance ${spec} (in process, fresh node, ${opts.suites.join(',')})`);
  const res = await timedConformanceInChild({ backend: spec, suites: opts.suites, ...(opts.params ? { params: opts.params } : {}), ...(opts.hostOptions?.liboqs ? { liboqs: opts.hostOptions.liboqs } : {}) });
  const wallMs = res.wallMs;
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
    opts.solo?.set(soloKey(spec, c.suite, c.id), c.durationMs);
    const { ms: raw, modelled } = rawWorkMs({ ...c, backend: spec }, price);
    if (!modelled) unmodelled++;
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

/** Resident memory of a process and all its descendants, in bytes (Linux /proc). */
function treeRssBytes(root: number): number {
  const parent = new Map<number, number>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      // pid (comm) state ppid ...: comm may hold spaces and parentheses, so read after the last ')'.
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      parent.set(Number(d), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      /* gone meanwhile */
    }
  }
  const tree = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, ppid] of parent) if (!tree.has(pid) && tree.has(ppid)) tree.add(pid), (grew = true);
  }
  let bytes = 0;
  for (const pid of tree) {
    try {
      bytes += Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]) * PAGE_BYTES;
    } catch {
      /* gone meanwhile */
    }
  }
  return bytes;
}
const PAGE_BYTES = 4096;

/** One `pqc-harness run` in a fresh process: wall time from spawn to exit, peak memory of its process tree, its results. */
async function timedRun(args: string[]): Promise<{ wallMs: number; peakRssMiB: number; cases: { id: string; backend: string; suite: string; parameterSet: string; op: string; status: Status; durationMs: number }[] }> {
  const out = await mkdtemp(join(tmpdir(), 'pqc-bench-run-'));
  try {
    const t0 = nowNs();
    const child = spawn(process.execPath, [CLI, ...args, '--out', out], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (x: string) => (err = (err + x).slice(-4000)));
    let peak = 0;
    const sample = setInterval(() => child.pid && (peak = Math.max(peak, treeRssBytes(child.pid))), 250);
    const code = await new Promise<number | null>((res) => child.on('close', (c) => res(c)));
    clearInterval(sample);
    const wallMs = Number(nowNs() - t0) / 1e6;
    if (code !== 0 && code !== 1) throw new Error(`pqc-harness run exited ${code}: ${err.trim().split('\n').slice(-3).join(' | ')}`);
    const res = JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as { cases: Awaited<ReturnType<typeof timedRun>>['cases'] };
    return { wallMs, peakRssMiB: round3(peak / 2 ** 20), cases: res.cases };
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

/**
 * The default conformance run exactly as a user starts it: `node
 * bin/pqc-harness.js run --backend ... --out <tmp>` in a fresh process (host
 * auto, --jobs = cores), timed from spawn to exit, so start-up and report
 * writing count; then again at --jobs 1. Its exit code is not judged (1 = some
 * case failed); the cases come from results.json and are priced with this
 * bench's medians (pricing.ts) for the schedule efficiency: (raw work / cores) / wall.
 * A case the model cannot price (the FIPS 203 key checks) counts at its duration
 * in the in-process runs (`solo`), where cases run one at a time: its duration
 * here includes the wait behind the cases in flight with it. Only cases in
 * neither count at that inflated duration (`unmodelled`).
 */
export async function measureConformanceRun(
  backends: readonly string[],
  suites: readonly Suite[],
  params: readonly ParamSet[] | undefined,
  price: Pricer,
  solo: ReadonlyMap<string, number>,
  hostOptions?: HostOptions,
  progress?: (line: string) => void,
): Promise<ConformanceRun> {
  const cores = availableParallelism();
  const args = ['run', '--backend', backends.join(','), '--suite', suites.join(','), ...(params ? ['--param', params.join(',')] : []), ...(hostOptions?.liboqs ? ['--liboqs', hostOptions.liboqs] : [])];
  progress?.(`bench: default conformance run ${backends.join(',')} (pqc-harness run, host auto, --jobs ${cores})`);
  const run = await timedRun([...args, '--jobs', String(cores)]);
  progress?.(`bench: the same run at --jobs 1`);
  const one = await timedRun([...args, '--jobs', '1']);
  const shapes = caseShapes(collectCases({ suites, ...(params ? { params } : {}), backends }));
  const groups = new Map<string, NonNullable<ConformanceRun['bySuite']>[number]>();
  let rawOpMs = 0;
  let unmodelled = 0;
  for (const c of run.cases) {
    const key = `${c.backend}\0${c.suite}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { backend: c.backend, suite: c.suite, cases: 0, failing: 0, caseSumMs: 0 }));
    g.cases++;
    if (FAILING.includes(c.status)) g.failing++;
    g.caseSumMs += c.durationMs;
    if (c.status === 'skip') continue;
    const w = rawWorkMs({ ...c, ...shapes.get(`${c.suite}\0${c.id}`) }, price);
    const alone = w.modelled ? undefined : solo.get(soloKey(c.backend, c.suite, c.id));
    rawOpMs += alone ?? w.ms;
    if (!w.modelled && alone === undefined) unmodelled++;
  }
  return {
    backends: [...backends],
    host: 'auto',
    suites: [...suites],
    cases: run.cases.length,
    failing: run.cases.filter((c) => FAILING.includes(c.status)).length,
    wallMs: round3(run.wallMs),
    jobs: cores,
    cores,
    jobs1WallMs: round3(one.wallMs),
    peakRssMiB: run.peakRssMiB,
    rawOpMs: round3(rawOpMs),
    unmodelled,
    scheduleEfficiency: round3(rawOpMs / cores / run.wallMs),
    bySuite: [...groups.values()].map((g) => ({ ...g, caseSumMs: round3(g.caseSumMs) })),
  };
}

/**
 * The same cases twice in fresh processes (timed around runConformance), once
 * on `base`'s host and jobs and once on `other`'s: the cost of a host, or the
 * gain of more instances.
 */
export async function compareRuns(name: string, req: { backend: string; suites: readonly Suite[]; params: readonly ParamSet[]; liboqs?: string }, base: { host: HostKind; jobs: number }, other: { host: HostKind; jobs: number }, progress?: (line: string) => void): Promise<RunComparison> {
  progress?.(`bench: ${name}`);
  const a = await timedConformanceInChild({ ...req, ...base });
  const b = await timedConformanceInChild({ ...req, ...other });
  return {
    name,
    what: `${req.backend} ${req.suites.join('+')} ${req.params.join(',')}: host ${base.host} --jobs ${base.jobs} vs host ${other.host} --jobs ${other.jobs}`,
    baseMs: round3(a.wallMs),
    otherMs: round3(b.wallMs),
    ratio: round3(b.wallMs / a.wallMs),
  };
}
