// `pqc-harness selftest faults --out DIR`: proves the memory-check hosts'
// detection power against seeded defects (native/fixture/fault.c, through the
// module backend harness/selftest/fault-backend.ts), and their silence on clean code.
//
// The matrix is every fault × {child, valgrind, asan}. A cell passes when the
// outcome is exactly the expected one (EXPECTED below, documented in
// native/fixture/README.md): detected with the expected kind where the matrix
// says so, and nothing at all where it says the tool is blind (a tool that
// starts seeing more is a change worth noticing, so it fails until the matrix
// is updated). The clean function must give zero findings under every tool.
// Each host runs ONE process for all its cells (valgrind start-up is slow); a
// fault that kills the child costs that cell and the host respawns it.

import { existsSync } from 'node:fs';
import type { Backend } from '../../model/contract.ts';
import { CrashError, TimeoutError } from '../../model/errors.ts';
import { openChildBackend } from '../hosts/child.ts';
import { openValgrindBackend } from '../hosts/valgrind.ts';
import { openAsanBackend } from '../hosts/asan.ts';
import { runInfo, suiteInfo } from '../run-info.ts';
import { parseSpec } from '../../backends/registry.ts';
import { RESULTS_SCHEMA, summarize, type BackendEntry, type CaseResult, type Finding, type FindingKind, type Results } from '../../model/results.ts';
import { modulePath } from '../../model/package.ts';
import { FAULTS, DEFAULT_FAULT_LIB, DEFAULT_FAULT_ASAN_LIB, type FaultName } from './fault-backend.ts';

export const TOOLS = ['child', 'valgrind', 'asan'] as const;
export type Tool = (typeof TOOLS)[number];

/** What a cell must show: a crash of the child, a finding of this kind, or nothing. */
export type Expect = { crash: true } | { kind: FindingKind } | { none: true };

const NONE: Expect = { none: true };
const CRASH: Expect = { crash: true };
const kind = (k: FindingKind): Expect => ({ kind: k });

/** The detection matrix (README: native/fixture/README.md). */
export const EXPECTED: Record<FaultName, Record<Tool, Expect>> = {
  clean: { child: NONE, valgrind: NONE, asan: NONE },
  'invalid-free': { child: CRASH, valgrind: kind('invalid-free'), asan: kind('invalid-free') },
  'double-free': { child: CRASH, valgrind: kind('double-free'), asan: kind('double-free') },
  leak: { child: NONE, valgrind: kind('leak'), asan: NONE },
  'heap-overflow': { child: NONE, valgrind: kind('invalid-write'), asan: kind('heap-overflow') },
  'use-after-free': { child: NONE, valgrind: kind('use-after-free'), asan: kind('use-after-free') },
  uninit: { child: NONE, valgrind: kind('uninitialised'), asan: NONE },
  'wrong-allocator': { child: NONE, valgrind: kind('invalid-free'), asan: kind('invalid-free') },
};

export const FAULT_BACKEND = modulePath('harness/selftest/fault-backend.ts');
const SPEC = `module:${FAULT_BACKEND}`;

function describeExpect(e: Expect): string {
  return 'crash' in e ? 'a crash of the child' : 'kind' in e ? `a ${e.kind} finding` : 'nothing';
}

/** The fixture function a native frame list points at, if any. */
function faultOfFrames(f: Finding): FaultName | undefined {
  for (const fr of f.frames) {
    const m = /^pqc_fault_(\w+)$/.exec(fr.fn);
    if (!m) continue;
    const n = m[1]!;
    if (n === 'libc_free' || n === 'owned_string' || n === 'free_string') return 'wrong-allocator';
    const hit = FAULTS.find((x) => x.replace(/-/g, '_') === n);
    if (hit) return hit;
  }
  return undefined;
}

interface Cell {
  fault: FaultName;
  crashed: CrashError | null;
  error: string | null;
  answered: boolean;
  findings: Finding[];
  durationMs: number;
}

export function judgeCell(expect: Expect, cell: Pick<Cell, 'crashed' | 'error' | 'findings' | 'answered'>): { pass: boolean; reason: string } {
  const kinds = [...new Set(cell.findings.map((f) => f.kind))];
  const saw = `${cell.crashed ? 'crash' : cell.error ? `error (${cell.error})` : cell.answered ? 'answer' : 'no answer'}${kinds.length ? ` + findings: ${kinds.join(', ')}` : ', no findings'}`;
  let pass: boolean;
  if ('none' in expect) pass = !cell.crashed && !cell.error && cell.answered && cell.findings.length === 0;
  else if ('crash' in expect) pass = !!cell.crashed && cell.findings.length === 0;
  else pass = kinds.includes(expect.kind);
  return { pass, reason: `${pass ? 'as expected' : 'UNEXPECTED'}: expected ${describeExpect(expect)}; saw ${saw}` };
}

async function openFor(tool: Tool, timeoutMs?: number): Promise<Backend> {
  switch (tool) {
    case 'child':
      return openChildBackend(SPEC, { env: { PQC_FAULT_LIB: DEFAULT_FAULT_LIB }, ...(timeoutMs ? { timeoutMs } : {}) });
    case 'valgrind':
      return openValgrindBackend(parseSpec(SPEC), { env: { PQC_FAULT_LIB: DEFAULT_FAULT_LIB }, ...(timeoutMs ? { timeoutMs } : {}) });
    case 'asan':
      return openAsanBackend(parseSpec(SPEC), { env: { PQC_FAULT_LIB: DEFAULT_FAULT_ASAN_LIB }, ...(timeoutMs ? { timeoutMs } : {}) });
  }
}

export interface MatrixOptions {
  tools?: readonly Tool[];
  faults?: readonly FaultName[];
  timeoutMs?: number;
  progress?: (line: string) => void;
  argv?: string[];
}

export function fixturesMissing(): string[] {
  return [DEFAULT_FAULT_LIB, DEFAULT_FAULT_ASAN_LIB].filter((p) => !existsSync(p));
}

async function runTool(tool: Tool, faults: readonly FaultName[], opts: MatrixOptions): Promise<{ entry: BackendEntry; cases: CaseResult[] }> {
  const id = `fault-fixture@${tool}`;
  const t0 = performance.now();
  const cases: CaseResult[] = [];
  const base = (f: FaultName) => ({ id: `fault-matrix/${tool}/${f}`, backend: id, suite: 'selftest' as const, family: 'fault-matrix', parameterSet: 'ML-KEM-768' as const, op: 'kem.decaps', source: null });
  let b: Backend;
  try {
    b = await openFor(tool, opts.timeoutMs);
  } catch (e) {
    const reason = `could not open the fixture under ${tool}: ${(e as Error).message}`;
    return {
      entry: { id, name: id, version: 'unavailable', kind: 'cdylib', notes: [reason], capabilities: { parameterSets: [], ops: [] } },
      cases: faults.map((f) => ({ ...base(f), status: 'error' as const, reason, durationMs: 0, findings: [] })),
    };
  }
  opts.progress?.(`selftest: ${tool}: child up in ${Math.round(performance.now() - t0)} ms`);
  const cells: Cell[] = [];
  // Without a checker, a fault that corrupts the heap silently (the overflow
  // into malloc slack, the wrong-allocator free) would surface as a crash in a
  // later cell: under plain glibc every cell gets a fresh process.
  const freshPerCell = tool === 'child';
  try {
    for (const fault of faults) {
      if (freshPerCell && cells.length > 0) {
        await b.close?.();
        b = await openFor(tool, opts.timeoutMs);
      }
      const t1 = performance.now();
      const cell: Cell = { fault, crashed: null, error: null, answered: false, findings: [], durationMs: 0 };
      try {
        const k = await b.kem!.decaps('ML-KEM-768', new Uint8Array(32), new Uint8Array([FAULTS.indexOf(fault)]));
        cell.answered = k[0] === FAULTS.indexOf(fault);
        if (!cell.answered) cell.error = 'wrong answer from the fixture';
      } catch (e) {
        if (e instanceof CrashError) {
          cell.crashed = e;
          cell.findings.push(...(e.findings ?? []));
        } else if (e instanceof TimeoutError) cell.error = `timeout: ${e.message}`;
        else cell.error = `${(e as Error).name}: ${(e as Error).message}`;
      }
      cell.findings.push(...((await b.drainFindings?.()) ?? []));
      cell.durationMs = Math.round((performance.now() - t1) * 1000) / 1000;
      cells.push(cell);
      opts.progress?.(`selftest: ${tool}: ${fault}: ${cell.crashed ? 'crash' : cell.error ?? 'ok'}${cell.findings.length ? ` (${cell.findings.map((f) => f.kind).join(', ')})` : ''}`);
    }
  } finally {
    await b.close?.();
  }
  // Leaks come when the process exits: give each to the cell whose fixture function allocated it.
  const stray: Finding[] = [];
  for (const f of (await b.exitFindings?.()) ?? []) {
    const cell = cells.find((c) => c.fault === faultOfFrames(f));
    if (cell) cell.findings.push(f);
    else stray.push(f);
  }
  for (const cell of cells) {
    const { pass, reason } = judgeCell(EXPECTED[cell.fault][tool], cell);
    const r: CaseResult = { ...base(cell.fault), status: pass ? 'pass' : 'fail', reason, durationMs: cell.durationMs, findings: cell.findings };
    if (cell.crashed) r.crash = { signal: cell.crashed.signal, exitCode: cell.crashed.exitCode, stderr: cell.crashed.stderr.slice(-8192) };
    cases.push(r);
  }
  const info = b.describe();
  const entry: BackendEntry = { ...info, id, name: `${info.name} under ${tool}`, capabilities: b.capabilities() };
  entry.notes = [...(entry.notes ?? []), `wall time ${Math.round(performance.now() - t0)} ms for ${faults.length} cells`];
  if (stray.length) entry.findings = stray;
  return { entry, cases };
}

/** Run the fault matrix; the tools run side by side (each is its own process). */
export async function runFaultMatrix(opts: MatrixOptions = {}): Promise<Results> {
  const missing = fixturesMissing();
  if (missing.length) throw new Error(`fixture libraries missing (${missing.join(', ')}): run \`npx pqc-harness setup\` (\`npm run setup\` in a checkout)`);
  const startedAt = new Date().toISOString();
  const tools = opts.tools ?? TOOLS;
  const faults = opts.faults ?? FAULTS;
  const done = await Promise.all(tools.map((t) => runTool(t, faults, opts)));
  const cases = done.flatMap((d) => d.cases);
  return {
    schema: RESULTS_SCHEMA,
    run: runInfo({ startedAt, host: tools.join('+'), argv: opts.argv, suites: [suiteInfo('selftest', cases)], vectors: [] }),
    backends: done.map((d) => d.entry),
    cases,
    summary: summarize(cases),
  };
}
