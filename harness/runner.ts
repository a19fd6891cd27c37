// Runs cases on backends and records one result per (backend, case).
// Data flows one way: suites make cases, hosts run them, reports read results.

import { createRequire } from 'node:module';
import type { Case, Outcome, Suite } from './case.ts';
import { hasOp, RejectedError, UnsupportedError, type Backend } from './contract.ts';
import { CrashError, TimeoutError } from './host-errors.ts';
import { chooseHost, openHosted, type HostKind } from './hosts/open.ts';
import type { ParamSet } from './params.ts';
import { suiteDef } from './suites/index.ts';
import { manifestEntry } from '../vectors/manifest.ts';
import { RESULTS_SCHEMA, summarize, type BackendEntry, type CaseResult, type Results, type Status, type VectorProvenance } from '../reports/schema.ts';

export interface RunOptions {
  backends: string[];
  suites: Suite[];
  params?: ParamSet[];
  host: HostKind | 'auto';
  shard?: { index: number; count: number };
  long?: boolean;
  timeoutMs?: number;
  liboqs?: string;
  argv?: string[];
  /** Called with a line of progress now and then (stderr in the CLI). */
  progress?: (line: string) => void;
}

/** FNV-1a over the (backend, case) key: stable, so shards merge to the unsharded run. */
export function shardOf(backend: string, id: string, count: number): number {
  let h = 0x811c9dc5;
  for (const ch of `${backend}\0${id}`) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % count;
}

export function harnessVersion(): string {
  return (createRequire(import.meta.url)('../package.json') as { version: string }).version;
}

export class ZeroCasesError extends Error {
  override name = 'ZeroCasesError';
}

/** Every case of the chosen suites, filtered by parameter set. */
export function collectCases(opts: Pick<RunOptions, 'suites' | 'params' | 'long' | 'backends'>): Case[] {
  const all: Case[] = [];
  for (const name of opts.suites) {
    const cases = suiteDef(name).cases({ long: opts.long, backends: opts.backends });
    if (cases.length === 0) throw new ZeroCasesError(`suite '${name}' produced zero cases: green on nothing is not a pass`);
    all.push(...cases);
  }
  const picked = opts.params ? all.filter((c) => opts.params!.includes(c.parameterSet)) : all;
  if (picked.length === 0) throw new ZeroCasesError(`no case matches --param ${opts.params?.join(',')} in suites ${opts.suites.join(',')}`);
  return picked;
}

function staticSkip(b: Backend, c: Case): string | undefined {
  const caps = b.capabilities();
  const id = b.describe().id;
  if (!caps.parameterSets.includes(c.parameterSet)) return `${id} does not offer ${c.parameterSet}`;
  const missing = c.requires.filter((op) => !hasOp(caps, op));
  if (missing.length) return `${id} does not offer ${missing.join(', ')}`;
  return undefined;
}

/** What running a case adds to the case's own identity fields. */
type RunPart = Omit<CaseResult, 'id' | 'backend' | 'suite' | 'family' | 'parameterSet' | 'op' | 'source'>;

async function runOne(b: Backend, c: Case): Promise<RunPart> {
  const skip = staticSkip(b, c);
  if (skip) return { status: 'skip', reason: skip, durationMs: 0, findings: [] };
  const t0 = performance.now();
  let outcome: Outcome | { status: Exclude<Status, 'pass' | 'fail' | 'skip'>; reason: string; crash?: CaseResult['crash'] };
  try {
    outcome = await c.run(b);
  } catch (e) {
    if (e instanceof UnsupportedError) outcome = { status: 'skip', reason: e.message };
    else if (e instanceof CrashError) outcome = { status: 'crash', reason: e.message, crash: { signal: e.signal, exitCode: e.exitCode, stderr: e.stderr } };
    else if (e instanceof TimeoutError) outcome = { status: 'timeout', reason: e.message, crash: { signal: 'SIGKILL', exitCode: null, stderr: e.stderr } };
    else if (e instanceof RejectedError) outcome = { status: 'fail', reason: `backend rejected the input: ${e.message}` };
    else outcome = { status: 'error', reason: `${(e as Error).name ?? 'Error'}: ${(e as Error).message ?? String(e)}` };
  }
  const durationMs = Math.round((performance.now() - t0) * 1000) / 1000;
  const findings = (await b.drainFindings?.()) ?? [];
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
  if (outcome.status !== 'pass' && outcome.status !== 'skip' && c.inputs) r.inputs = c.inputs();
  return r;
}

async function runBackend(spec: string, cases: Case[], opts: RunOptions, tally: Map<string, Record<Status, number>>): Promise<{ entry: BackendEntry; results: CaseResult[] }> {
  const counts = { pass: 0, fail: 0, skip: 0, crash: 0, timeout: 0, error: 0 };
  tally.set(spec, counts);
  const base = (c: Case) => ({ id: c.id, backend: spec, suite: c.suite, family: c.family, parameterSet: c.parameterSet, op: c.op, source: c.source });
  let backend: Backend;
  try {
    backend = await openHosted(spec, chooseHost(spec, opts.host), { timeoutMs: opts.timeoutMs, liboqs: opts.liboqs });
  } catch (e) {
    // A backend that was asked for but cannot be opened fails every one of its cases, loudly.
    const reason = `backend '${spec}' unavailable: ${(e as Error).message}`;
    counts.error += cases.length;
    return {
      entry: { id: spec, name: spec, version: 'unavailable', kind: 'module', notes: [reason], capabilities: { parameterSets: [], ops: [] } },
      results: cases.map((c) => ({ ...base(c), status: 'error' as const, reason, durationMs: 0, findings: [] })),
    };
  }
  const info = backend.describe();
  const entry: BackendEntry = { ...info, id: spec, capabilities: backend.capabilities() };
  const results: CaseResult[] = [];
  try {
    for (const c of cases) {
      const r = { ...base(c), ...(await runOne(backend, c)) };
      counts[r.status]++;
      results.push(r);
    }
  } finally {
    await backend.close?.();
  }
  return { entry, results };
}

export function vectorProvenance(suites: readonly Suite[]): VectorProvenance[] {
  const files = [...new Set(suites.flatMap((s) => suiteDef(s).vectorFiles))];
  return files.map((f) => {
    const e = manifestEntry(f);
    return { source: e.source, repo: e.repo, commit: e.commit, file: e.file, sha256: e.sha256 };
  });
}

export async function runConformance(opts: RunOptions): Promise<Results> {
  const startedAt = new Date().toISOString();
  const cases = collectCases(opts);
  const tally = new Map<string, Record<Status, number>>();
  const perBackend = opts.backends.map((spec) => ({
    spec,
    cases: opts.shard ? cases.filter((c) => shardOf(spec, c.id, opts.shard!.count) === opts.shard!.index - 1) : cases,
  }));
  const total = new Map(perBackend.map((p) => [p.spec, p.cases.length]));
  const tick = opts.progress
    ? setInterval(() => {
        const line = [...tally]
          .map(([spec, t]) => {
            const done = Object.values(t).reduce((a, b) => a + b, 0);
            const bad = t.fail + t.crash + t.timeout + t.error;
            return `${spec} ${done}/${total.get(spec)}${bad ? ` (${bad} failing)` : ''}`;
          })
          .join('  ');
        opts.progress!(`progress: ${line}`);
      }, 2000)
    : undefined;
  let done: { entry: BackendEntry; results: CaseResult[] }[];
  try {
    // Backends run side by side: each is its own process or its own event-loop share.
    done = await Promise.all(perBackend.map((p) => runBackend(p.spec, p.cases, opts, tally)));
  } finally {
    if (tick) clearInterval(tick);
  }
  const results = done.flatMap((d) => d.results);
  return {
    schema: RESULTS_SCHEMA,
    run: {
      startedAt,
      finishedAt: new Date().toISOString(),
      harnessVersion: harnessVersion(),
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      host: opts.host,
      argv: opts.argv ?? [],
      ...(opts.shard ? { shard: opts.shard } : {}),
      suites: opts.suites.map((s) => {
        const d = suiteDef(s);
        return { name: d.name, title: d.title, ...(d.notes?.length ? { notes: [...d.notes] } : {}) };
      }),
      vectors: vectorProvenance(opts.suites),
    },
    backends: done.map((d) => d.entry),
    cases: results,
    summary: summarize(results),
  };
}
