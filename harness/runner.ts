// Runs cases on backends and records one result per (backend, case).
// Data flows one way: suites make cases, hosts run them, reports read results.

import { availableParallelism } from 'node:os';
import { fnv1a32 } from '../model/bytes.ts';
import { collectDerivedCalls } from '../model/derived-calls.ts';
import type { Case, CaseContext, Outcome, Suite } from '../model/case.ts';
import { hasOp, RejectedError, UnsupportedError, type Backend } from '../model/contract.ts';
import { CrashError, TimeoutError } from '../model/errors.ts';
import { backendEntry } from '../model/backend-entry.ts';
import { asText, CAPS, capCaseText, capText } from '../model/limits.ts';
import { ALL_PARAMS, type ParamSet } from '../model/params.ts';
import { classifyFailure, type Classifiable } from '../model/bug-classes.ts';
import { isGateFailure, RESULTS_SCHEMA, summarize, type BackendEntry, type CaseResult, type Finding, type Results, type Status } from '../model/results.ts';
import { parseSpec, type BackendSpec } from '../backends/registry.ts';
import { recordCoverage } from './coverage/backends.ts';
import { startCoverage } from './coverage/profiler.ts';
import { ProgressThrottle, progressLine, type LiveCase } from './progress.ts';
import { whereText } from '../vectors/fields.ts';
import { captureSources, findingsFromCrash } from './hosts/crash-stderr.ts';
import { chooseHost, openHosted, type HostKind } from './hosts/index.ts';
import { runInfo, suiteInfo, vectorProvenance } from './run-info.ts';
import { suiteDef } from './suites/index.ts';
import type { AcrossBackendsSuite } from './suites/suite.ts';

export interface RunOptions {
  /** Parsed specs, or spec text (parsed here, once). */
  backends: readonly (BackendSpec | string)[];
  suites: readonly Suite[];
  params?: readonly ParamSet[];
  host: HostKind | 'auto';
  /**
   * `--jobs`: instances of each out-of-process backend (worker threads or
   * processes) serving at once. Default: the machine's cores.
   */
  jobs?: number;
  /** `--shard i/n`, index 1-based. */
  shard?: { index: number; count: number };
  long?: boolean;
  timeoutMs?: number;
  liboqs?: string;
  /** `--coverage`: V8 coverage of the JS backends' own files, in their backend entries. */
  coverage?: boolean;
  argv?: string[];
  /** Called with a line of progress now and then (stderr in the CLI). */
  progress?: (line: string) => void;
}

/** FNV-1a over the (backend, case) key: stable, so shards merge to the unsharded run. */
export function shardOf(backend: string, id: string, count: number): number {
  return fnv1a32(`${backend}\0${id}`) % count;
}

export class ZeroCasesError extends Error {
  override name = 'ZeroCasesError';
}

/** Two cases of one run share an id: results, baselines and merges key on it, so the run cannot be recorded. */
export class DuplicateCaseIdError extends Error {
  override name = 'DuplicateCaseIdError';
}

/** Where a case came from: its vector file, tgId and tcId (or line), or its suite. */
function origin(c: Case): string {
  return c.source ? whereText(c.source) : `suite ${c.suite}`;
}

function checkUniqueIds(cases: readonly Case[]): void {
  const seen = new Map<string, Case>();
  const dups: string[] = [];
  for (const c of cases) {
    const prev = seen.get(c.id);
    if (prev) dups.push(`"${c.id}" (${origin(prev)} and ${origin(c)})`);
    else seen.set(c.id, c);
  }
  if (dups.length) throw new DuplicateCaseIdError(`${dups.length} duplicate case id(s): ${dups.slice(0, 5).join('; ')}${dups.length > 5 ? '; …' : ''}`);
}

/** Every case of the chosen suites, filtered by parameter set. */
export function collectCases(opts: { suites: readonly Suite[]; params?: readonly ParamSet[]; long?: boolean; backends?: readonly string[] }): Case[] {
  const all: Case[] = [];
  for (const name of opts.suites) {
    const d = suiteDef(name);
    // Cross-backend suites have no per-backend cases: runAcross runs them.
    if (d.kind !== 'per-backend') continue;
    const cases = d.cases({ long: opts.long, backends: opts.backends });
    if (cases.length === 0) throw new ZeroCasesError(`suite '${name}' produced zero cases: green on nothing is not a pass`);
    for (const c of cases) all.push(c);
  }
  checkUniqueIds(all);
  const picked = opts.params ? all.filter((c) => opts.params!.includes(c.parameterSet)) : all;
  if (picked.length === 0 && !opts.suites.some((n) => suiteDef(n).kind === 'across-backends')) throw new ZeroCasesError(`no case matches --param ${opts.params?.join(',')} in suites ${opts.suites.join(',')}`);
  return picked;
}

/** Why the backend cannot run a call at all (parameter set or a required op not offered), or undefined. */
export function staticSkip(b: Backend, c: Pick<Case, 'parameterSet' | 'requires'>): string | undefined {
  const caps = b.capabilities();
  const id = b.describe().id;
  if (!caps.parameterSets.includes(c.parameterSet)) return `${id} does not offer ${c.parameterSet}`;
  const missing = c.requires.filter((op) => !hasOp(caps, op));
  if (missing.length) {
    const why = missing.map((op) => caps.notOffered?.[op]).filter(Boolean);
    return `${id} does not offer ${missing.join(', ')}${why.length ? `: ${[...new Set(why)].join('; ')}` : ''}`;
  }
  return undefined;
}

/** What running a case adds to the case's own identity fields. */
export type RunPart = Omit<CaseResult, 'id' | 'backend' | 'suite' | 'family' | 'parameterSet' | 'op' | 'source'>;

/** Run one case on one backend and classify the outcome (skip, pass, fail, crash, timeout, error). */
export async function runCase(b: Backend, c: Case, ctx?: CaseContext): Promise<RunPart> {
  const skip = staticSkip(b, c);
  if (skip) return { status: 'skip', reason: skip, durationMs: 0, findings: [] };
  const t0 = performance.now();
  let outcome: Outcome | { status: Exclude<Status, 'pass' | 'fail' | 'skip'>; reason: string; crash?: CaseResult['crash'] };
  let crashFindings: Finding[] = [];
  const derivedCalls = new Set<string>();
  try {
    outcome = await collectDerivedCalls(derivedCalls, () => c.run(b, ctx));
  } catch (e) {
    if (e instanceof UnsupportedError) outcome = { status: 'skip', reason: e.message };
    else if (e instanceof CrashError) {
      outcome = { status: 'crash', reason: e.message, crash: { signal: e.signal, exitCode: e.exitCode, stderr: e.stderr } };
      // The host's own findings (ASan's report), then what glibc, a Rust panic or a language stack left on stderr.
      crashFindings = captureSources([...(e.findings ?? []), ...findingsFromCrash(e.signal, e.stderr)]);
    }
    else if (e instanceof TimeoutError) outcome = { status: 'timeout', reason: e.message, crash: { signal: 'SIGKILL', exitCode: null, stderr: e.stderr } };
    else if (e instanceof RejectedError) outcome = { status: 'fail', reason: `backend rejected the input: ${e.message}` };
    else outcome = { status: 'error', reason: `${(e as Error).name ?? 'Error'}: ${(e as Error).message ?? String(e)}` };
  }
  const durationMs = Math.round((performance.now() - t0) * 1000) / 1000;
  const findings = [...crashFindings, ...((await b.drainFindings?.()) ?? [])];
  const r: RunPart = { status: outcome.status, durationMs, findings };
  if (findings.length && outcome.status === 'pass') {
    // Right answer, unsafe boundary: a memory finding fails the case.
    outcome = { status: 'fail', reason: `memory finding${findings.length > 1 ? 's' : ''}: ${[...new Set(findings.map((f) => f.kind))].join(', ')} (answer was correct)` };
    r.status = 'fail';
  }
  if ('reason' in outcome && outcome.reason) r.reason = outcome.reason;
  if ('note' in outcome && outcome.note) r.note = outcome.note;
  if ('expected' in outcome && outcome.expected) r.expected = outcome.expected;
  if ('got' in outcome && outcome.got) r.got = outcome.got;
  if ('crash' in outcome && outcome.crash) r.crash = outcome.crash;
  if (derivedCalls.size && outcome.status !== 'skip') r.derived = [...derivedCalls].join('; ');
  if (c.expectsRejection) r.expectsRejection = true;
  classify(r, { suite: c.suite, family: c.family, op: c.op, flags: c.flags, expectsRejection: c.expectsRejection });
  if (outcome.status !== 'pass' && outcome.status !== 'skip' && c.inputs) r.inputs = c.inputs();
  return capCaseText(r);
}

/** A result failing the gate gets its bug class and severity (model/bug-classes.ts). */
function classify(r: Pick<CaseResult, 'status' | 'findings' | 'bugClass' | 'severity'>, facts: Omit<Classifiable, 'status' | 'findings'>): void {
  if (!isGateFailure(r)) return;
  const k = classifyFailure({ ...facts, status: r.status, findings: r.findings });
  r.bugClass = k.id;
  r.severity = k.severity;
}

/** Hosts whose findings are drained case by case: their cases run one at a time, on one instance. */
const ONE_AT_A_TIME: readonly HostKind[] = ['inproc', 'valgrind', 'asan'];
/** Cases in flight per instance of an out-of-process backend: enough to keep its window of requests full. */
const CASES_PER_INSTANCE = 8;

function hostOf(spec: BackendSpec, opts: RunOptions): HostKind {
  return chooseHost(spec, opts.host, { coverage: opts.coverage });
}

function jobsOf(opts: RunOptions): number {
  return Math.max(1, opts.jobs ?? availableParallelism());
}

interface Opened {
  spec: BackendSpec;
  host: HostKind;
  entry: BackendEntry;
  backend?: Backend;
  /** Why it could not be opened: every one of its cases is then an error. */
  openError?: string;
}

async function openOne(spec: BackendSpec, opts: RunOptions): Promise<Opened> {
  const host = hostOf(spec, opts);
  try {
    const backend = await openHosted(spec, host, { timeoutMs: opts.timeoutMs, liboqs: opts.liboqs, instances: jobsOf(opts) });
    return { spec, host, backend, entry: backendEntry(spec.text, spec.kind.reports, backend.describe(), backend.capabilities()) };
  } catch (e) {
    const openError = capText(`backend '${spec.text}' unavailable: ${asText((e as { message?: unknown } | null)?.message ?? e)}`, CAPS.reason);
    return { spec, host, openError, entry: { id: spec.text, name: spec.text, version: 'unavailable', kind: spec.kind.reports, notes: [openError], capabilities: { parameterSets: [], ops: [] } } };
  }
}

async function closeOne(o: Opened): Promise<void> {
  if (!o.backend) return;
  await o.backend.close?.();
  const stats = o.backend.stats?.();
  if (stats) o.entry.respawns = stats.respawns;
  // Leaks valgrind reports when the child exits belong to the backend, not a case.
  const exitFindings = (await o.backend.exitFindings?.()) ?? [];
  if (exitFindings.length) o.entry.findings = exitFindings;
  const exitNotes = (await o.backend.exitNotes?.()) ?? [];
  if (exitNotes.length) o.entry.notes = [...(o.entry.notes ?? []), ...exitNotes];
}

/**
 * Every case on one backend. Out of process, several cases are in flight at
 * once (the connection spreads their calls over the backend's instances), the
 * heaviest first, so every instance stays busy to the end; results keep the
 * cases' own order whatever order they finished in.
 */
async function runCases(o: Opened, cases: Case[], counts: Record<Status, number>, running: Map<string, LiveCase>, jobs: number): Promise<CaseResult[]> {
  const base = (c: Case) => ({ id: c.id, backend: o.spec.text, suite: c.suite, family: c.family, parameterSet: c.parameterSet, op: c.op, source: c.source });
  if (!o.backend) {
    // A backend that was asked for but cannot be opened fails every one of its cases, loudly.
    counts.error += cases.length;
    return cases.map((c) => ({ ...base(c), status: 'error' as const, reason: o.openError!, durationMs: 0, findings: [] }));
  }
  const backend = o.backend;
  const inproc = o.host === 'inproc';
  const inFlight = ONE_AT_A_TIME.includes(o.host) ? 1 : jobs * CASES_PER_INSTANCE;
  // Heaviest first (a stable sort keeps the file order among equals).
  const weight = (c: Case) => (c.repeats ?? 1) * c.requires.length;
  const order = cases.map((_, i) => i).sort((x, y) => weight(cases[y]!) - weight(cases[x]!));
  const results: CaseResult[] = new Array(cases.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < order.length) {
      const i = order[next++]!;
      const c = cases[i]!;
      const live: LiveCase = { done: 0, total: c.repeats ?? 1 };
      running.set(c.id, live);
      const r = { ...base(c), ...(await runCase(backend, c, { progress: (done) => (live.done = done) })) };
      running.delete(c.id);
      counts[r.status]++;
      results[i] = r;
      // An in-process backend settles its promises as microtasks: without a turn of
      // the event loop here it would starve the other backends' hosts of their
      // replies (and fire their call timeouts) until it finished.
      if (inproc) await new Promise<void>((resolve) => setImmediate(resolve));
    }
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, cases.length) }, lane));
  return results;
}

/** Cross-backend checks over every backend that opened, one result per check. */
async function runAcross(suite: AcrossBackendsSuite, opened: Opened[], opts: RunOptions): Promise<CaseResult[]> {
  const live = opened.filter((o) => o.backend);
  if (live.length < 2) throw new ZeroCasesError(`suite '${suite.name}' needs at least two backends that open; have ${live.map((o) => o.spec.text).join(', ') || 'none'}`);
  const bySpec = new Map(live.map((o) => [o.spec.text, o.backend!]));
  const rs = await suite.run(Object.fromEntries(bySpec), {
    params: opts.params,
    afterCheck: async (r) => {
      if (r.crash) r.findings = captureSources([...(r.findings ?? []), ...findingsFromCrash(r.crash.signal, r.crash.stderr)]);
      for (const spec of r.backends) {
        const f = (await bySpec.get(spec)?.drainFindings?.()) ?? [];
        if (f.length) r.findings = [...(r.findings ?? []), ...f];
      }
    },
  });
  // A backend that was asked for but did not open would otherwise just be absent
  // from every check, and the run pass without it: one error per parameter set says so.
  const unopened = opened
    .filter((o) => !o.backend)
    .flatMap((o) =>
      (opts.params ?? ALL_PARAMS).map((ps): CaseResult => {
        const out: CaseResult = { id: `${suite.name}/unopened/${o.spec.text}/${ps}`, backend: o.spec.text, suite: suite.name, family: 'unopened', parameterSet: ps, op: 'open', source: null, status: 'error', reason: o.openError!, durationMs: 0, findings: [] };
        classify(out, { suite: suite.name, family: out.family, op: out.op });
        return out;
      }),
    );
  const inShard = (r: { id: string }) => !opts.shard || shardOf('', r.id, opts.shard.count) === opts.shard.index - 1;
  const checked = rs.filter(inShard).map((r) => {
    const out: CaseResult = {
      id: r.id,
      // The id names the backends; the result is filed under the culprit or the first.
      backend: r.culprit ?? r.backends[0]!,
      suite: suite.name,
      family: r.family,
      parameterSet: r.parameterSet,
      op: r.op,
      source: null,
      status: r.findings?.length && r.status === 'pass' ? 'fail' : r.status,
      durationMs: r.durationMs,
      findings: r.findings ?? [],
    };
    for (const k of ['reason', 'inputs', 'expected', 'got', 'crash'] as const) if (r[k] !== undefined) (out as unknown as Record<string, unknown>)[k] = r[k];
    classify(out, { suite: suite.name, family: r.family, op: r.op });
    return capCaseText(out);
  });
  return [...unopened.filter(inShard), ...checked];
}

export async function runConformance(opts: RunOptions): Promise<Results> {
  const startedAt = new Date().toISOString();
  const specs = opts.backends.map((b) => (typeof b === 'string' ? parseSpec(b) : b));
  const cases = collectCases({ ...opts, backends: specs.map((s) => s.text) });
  const tally = new Map<string, Record<Status, number>>();
  const perBackend = specs.map((spec) => ({
    spec,
    cases: opts.shard ? cases.filter((c) => shardOf(spec.text, c.id, opts.shard!.count) === opts.shard!.index - 1) : cases,
  }));
  const total = new Map(perBackend.map((p) => [p.spec.text, p.cases.length]));
  const running = new Map(perBackend.map((p) => [p.spec.text, new Map<string, LiveCase>()]));
  const throttle = new ProgressThrottle();
  const tick = opts.progress
    ? setInterval(() => {
        const line = throttle.next(
          progressLine(
            [...tally].map(([spec, t]) => [
              spec,
              { done: Object.values(t).reduce((a, b) => a + b, 0), total: total.get(spec)!, failing: t.fail + t.crash + t.timeout + t.error, running: running.get(spec) },
            ]),
          ),
          Date.now(),
        );
        if (line) opts.progress!(line);
      }, 2000)
    : undefined;
  // Before any backend opens: V8 counts blocks only in code compiled after coverage starts.
  const coverage = opts.coverage ? await startCoverage() : undefined;
  const opened = await Promise.all(perBackend.map((p) => openOne(p.spec, opts)));
  const results: CaseResult[] = [];
  try {
    // Backends run side by side: each is its own process or its own event-loop share.
    const per = await Promise.all(
      perBackend.map((p, i) => {
        const counts = { pass: 0, fail: 0, skip: 0, crash: 0, timeout: 0, error: 0 };
        tally.set(p.spec.text, counts);
        return runCases(opened[i]!, p.cases, counts, running.get(p.spec.text)!, jobsOf(opts));
      }),
    );
    // A loop, not push(...): a fleet run holds more results than a call takes arguments.
    for (const r of per.flat()) results.push(r);
    for (const name of opts.suites) {
      const d = suiteDef(name);
      if (d.kind === 'across-backends') for (const r of await runAcross(d, opened, opts)) results.push(r);
    }
  } finally {
    if (tick) clearInterval(tick);
    await Promise.all(opened.map(closeOne));
    if (coverage) await recordCoverage(coverage, opened.map((o) => ({ spec: o.spec, host: o.host, entry: o.entry, opened: !!o.backend })));
  }
  return {
    schema: RESULTS_SCHEMA,
    run: runInfo({
      startedAt,
      host: opts.host,
      argv: opts.argv,
      shard: opts.shard,
      suites: opts.suites.map((s) => suiteInfo(s, results.filter((r) => r.suite === s))),
      vectors: vectorProvenance(opts.suites),
    }),
    backends: opened.map((o) => o.entry),
    cases: results,
    summary: summarize(results),
  };
}
