// `pqc-harness selftest ct --out DIR`: proves the constant-time host's
// detection power against seeded timing leaks (native/fixture/ct.c, through
// the module backend harness/selftest/ct-backend.ts), and its silence on their
// constant-time twins. The sibling of the fault matrix (faults.ts).
//
// The matrix is every leak × {leaky, ct twin} × {-O0, -O2} build, all in ONE
// ct host (valgrind start-up is slow). The twin must compute what the leaky
// function computes, so each answer is also checked against the function's
// definition, written out here independently of the C.
// - A leaky cell passes when a finding of the expected kind names its
//   function in the stack, and no finding points anywhere else (a report in
//   node, koffi or the marking shim would be host noise leaking through).
// - A twin cell passes with zero findings and the right answer.

import { existsSync } from 'node:fs';
import { modulePath } from '../../model/package.ts';
import { equalBytes, toHex } from '../../model/bytes.ts';
import type { Backend } from '../../model/contract.ts';
import { kemApi } from '../../model/contract.ts';
import { parseSpec } from '../../backends/registry.ts';
import { RESULTS_SCHEMA, summarize, type CaseResult, type Finding, type FindingKind, type Results } from '../../model/results.ts';
import { openCtBackend } from '../hosts/ct.ts';
import { runInfo, suiteInfo } from '../run-info.ts';
import { CT_BUILDS, CT_FIXTURE_LIBS, CT_K, CT_LEAKS, CT_VARIANTS, ctFunction, type CtBuild, type CtLeak, type CtVariant } from './ct-backend.ts';

export const CT_BACKEND = modulePath('harness/selftest/ct-backend.ts');
const SPEC = `module:${CT_BACKEND}`;

/** What memcheck must report for each seeded leak (native/fixture/README.md). */
export const CT_EXPECTED: Record<CtLeak, FindingKind> = {
  memcmp: 'secret-branch',
  table: 'secret-index',
  'secret-bit': 'secret-branch',
  'loop-bound': 'secret-branch',
};

/** The secret every cell decapsulates with (96 bytes: the fixture reads dk[0..96]). */
export function ctDk(): Uint8Array {
  return Uint8Array.from({ length: 96 }, (_, i) => (i * 7 + 3) & 0xff);
}
/** The public part of c the fixture sees (after the selector). */
export function ctC(): Uint8Array {
  return Uint8Array.from({ length: CT_K }, (_, i) => (i * 13 + 1) & 0xff);
}

const TABLE = [0x63, 0x7c, 0x77, 0x7b, 0xf2, 0x6b, 0x6f, 0xc5, 0x30, 0x01, 0x67, 0x2b, 0xfe, 0xd7, 0xab, 0x76];

/** Each fixture function's definition (ct.c's comments), computed here for the answer check. */
export function ctExpectedK(leak: CtLeak, dk: Uint8Array, c: Uint8Array): Uint8Array {
  const k = new Uint8Array(CT_K);
  for (let i = 0; i < CT_K; i++) {
    switch (leak) {
      case 'memcmp': {
        const eq = Array.from({ length: CT_K }, (_, j) => ((dk[j]! + dk[64 + j]!) & 0xff) === c[j]).every(Boolean);
        k[i] = eq ? dk[i]! ^ 0x5c : dk[32 + i]!;
        break;
      }
      case 'table':
        k[i] = TABLE[dk[i]! & 15]!;
        break;
      case 'secret-bit':
        k[i] = dk[0]! & 1 ? (dk[i]! * 3 + 1) & 0xff : dk[i]! ^ 0xa5;
        break;
      case 'loop-bound':
        k[i] = i === 0 ? c.subarray(1, 1 + (dk[0]! & 31)).reduce((a, b) => (a + b) & 0xff, 0) : dk[i]!;
        break;
    }
  }
  return k;
}

export interface CtCell {
  build: CtBuild;
  leak: CtLeak;
  variant: CtVariant;
  findings: Finding[];
  /** Why the call did not answer, or answered wrong. */
  error: string | null;
}

/** Whether a finding's stack runs through the cell's fixture function. */
function names(f: Finding, fn: string): boolean {
  return f.frames.some((fr) => fr.fn === fn);
}

export function judgeCtCell(cell: CtCell): { pass: boolean; reason: string } {
  const fn = ctFunction(cell.leak, cell.variant);
  const kinds = [...new Set(cell.findings.map((f) => f.kind))];
  const saw = `${cell.error ? `error (${cell.error})` : 'right answer'}${kinds.length ? ` + findings: ${kinds.join(', ')}` : ', no findings'}`;
  if (cell.variant === 'ct') {
    const pass = !cell.error && cell.findings.length === 0;
    return { pass, reason: `${pass ? 'as expected' : 'UNEXPECTED'}: expected the constant-time twin ${fn} to give no finding; saw ${saw}` };
  }
  const want = CT_EXPECTED[cell.leak];
  const tied = cell.findings.some((f) => f.kind === want && names(f, fn));
  const stray = cell.findings.filter((f) => !names(f, fn));
  const pass = !cell.error && tied && stray.length === 0;
  const why = stray.length ? `; ${stray.length} finding(s) outside ${fn}: ${stray.map((f) => `${f.kind} at ${f.frames[0]?.fn ?? '?'}`).join(', ')}` : '';
  return { pass, reason: `${pass ? 'as expected' : 'UNEXPECTED'}: expected a ${want} finding in ${fn}; saw ${saw}${why}` };
}

export function ctFixturesMissing(): string[] {
  return Object.values(CT_FIXTURE_LIBS).filter((p) => !existsSync(p));
}

export interface CtMatrixOptions {
  timeoutMs?: number;
  progress?: (line: string) => void;
  argv?: string[];
}

/** Run the timing-leak matrix in one ct host. */
export async function runCtMatrix(opts: CtMatrixOptions = {}): Promise<Results> {
  const missing = ctFixturesMissing();
  if (missing.length) throw new Error(`timing-leak fixture libraries missing (${missing.join(', ')}): run \`npm run setup\``);
  const startedAt = new Date().toISOString();
  const id = 'ct-fixture@ct';
  const t0 = performance.now();
  const base = (b: CtBuild, l: CtLeak, v: CtVariant) => ({
    id: `ct-matrix/${b}/${l}/${v}`, backend: id, suite: 'selftest' as const, family: 'ct-matrix', parameterSet: 'ML-KEM-768' as const, op: 'kem.decaps', source: null,
  });
  const cells = CT_BUILDS.flatMap((build) => CT_LEAKS.flatMap((leak) => CT_VARIANTS.map((variant) => ({ build, leak, variant }))));
  const cases: CaseResult[] = [];
  let b: Backend;
  try {
    b = await openCtBackend(parseSpec(SPEC), opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {});
  } catch (e) {
    const reason = `could not open the fixture under the ct host: ${(e as Error).message}`;
    for (const c of cells) cases.push({ ...base(c.build, c.leak, c.variant), status: 'error', reason, durationMs: 0, findings: [] });
    return results(startedAt, opts, [{ id, name: id, version: 'unavailable', kind: 'cdylib', notes: [reason], capabilities: { parameterSets: [], ops: [] } }], cases);
  }
  opts.progress?.(`selftest ct: child up in ${Math.round(performance.now() - t0)} ms`);
  const dk = ctDk();
  const c = ctC();
  try {
    for (const { build, leak, variant } of cells) {
      const t1 = performance.now();
      const cell: CtCell = { build, leak, variant, findings: [], error: null };
      const sel = [CT_LEAKS.indexOf(leak), CT_VARIANTS.indexOf(variant), CT_BUILDS.indexOf(build)];
      try {
        const k = await kemApi(b).decaps('ML-KEM-768', dk, Uint8Array.from([...sel, ...c]));
        const want = ctExpectedK(leak, dk, c);
        if (!equalBytes(k, want)) cell.error = `k = ${toHex(k)}, the definition gives ${toHex(want)}`;
      } catch (e) {
        cell.error = `${(e as Error).name}: ${(e as Error).message}`;
      }
      cell.findings.push(...((await b.drainFindings?.()) ?? []));
      const { pass, reason } = judgeCtCell(cell);
      cases.push({ ...base(build, leak, variant), status: pass ? 'pass' : 'fail', reason, durationMs: Math.round((performance.now() - t1) * 1000) / 1000, findings: cell.findings });
      opts.progress?.(`selftest ct: ${build} ${leak} ${variant}: ${pass ? 'ok' : 'UNEXPECTED'}${cell.findings.length ? ` (${cell.findings.map((f) => f.kind).join(', ')})` : ''}`);
    }
  } finally {
    await b.close?.();
  }
  const info = b.describe();
  const notes = [...(info.notes ?? []), ...((await b.exitNotes?.()) ?? []), `wall time ${Math.round(performance.now() - t0)} ms for ${cells.length} cells`];
  const stray = (await b.exitFindings?.()) ?? [];
  return results(startedAt, opts, [{ ...info, id, name: `${info.name} under ct`, notes, capabilities: b.capabilities(), ...(stray.length ? { findings: stray } : {}) }], cases);
}

function results(startedAt: string, opts: CtMatrixOptions, backends: Results['backends'], cases: CaseResult[]): Results {
  return {
    schema: RESULTS_SCHEMA,
    run: runInfo({ startedAt, host: 'ct', argv: opts.argv, suites: [suiteInfo('selftest', cases)], vectors: [] }),
    backends,
    cases,
    summary: summarize(cases),
  };
}
