// The view model of bench.json (model/bench.ts), built once and shared by its
// two renderers: the console table (console.ts) and the HTML section and page
// (html.ts). It holds what both derive from the measurements: the backends in
// order (the chart colours), one chart per op with its log-scale axis, and
// what was not measured, named.

import type { Bench, BenchResult } from '../../model/bench.ts';
import { fmtRate, fmtSeconds, fmtUs } from '../text.ts';

/** One op's bar chart: a bar per (parameter set, backend), on a log axis from 10^lo to 10^hi µs. */
export interface BenchChart {
  op: string;
  rows: BenchResult[];
  /** Decades of µs at the ends of the axis. */
  lo: number;
  hi: number;
}

export interface BenchView {
  bench: Bench;
  /** Backends in order of first result: the colour of each. */
  backends: string[];
  /** One chart per op, in order of first result. */
  charts: BenchChart[];
  /** The measured tables, in order; a table with no rows was not measured. */
  tables: BenchTable[];
  /** What was asked for and not measured: `backend param op` named in one string. */
  skipped: { subject: string; what: string; reason: string }[];
}

/** A table of numbers as both renderers show it: plain-text cells (the HTML view escapes them). */
export interface BenchTable {
  /** Its class in HTML, and what it is. */
  id: 'results' | 'ffi' | 'host' | 'comparisons' | 'harness' | 'suites';
  title: string;
  head: string[];
  /** How many leading columns are labels (left-aligned); the rest are numbers. */
  leftCols: number;
  rows: string[][];
}

const opt = (x: number | undefined, f: (x: number) => string): string => (x === undefined ? '-' : f(x));

function tablesOf(b: Bench): BenchTable[] {
  return [
    {
      id: 'results', title: 'Median time per call, in process (IQR = q3 - q1)', leftCols: 3,
      head: ['backend', 'parameter set', 'op', 'median', 'IQR', 'ops/s', 'n'],
      rows: b.results.map((r) => [r.backend, r.parameterSet, r.op, fmtUs(r.medianUs), fmtUs(r.iqrUs), fmtRate(r.opsPerSec), String(r.n)]),
    },
    {
      id: 'ffi', title: 'FFI boundary: native loop (pqc_bench_ns) vs koffi from node, interleaved', leftCols: 3,
      head: ['backend', 'parameter set', 'op', 'native', 'koffi + contract', 'ratio', 'bare koffi', 'ratio', 'n'],
      rows: b.ffiOverhead.map((r) => [
        r.backend, r.parameterSet, r.op, fmtUs(r.nativeUs), fmtUs(r.ffiUs), r.ratio.toFixed(3),
        opt(r.rawFfiUs, fmtUs), opt(r.rawRatio, (x) => x.toFixed(3)), String(r.n),
      ]),
    },
    {
      id: 'host', title: 'Host: child process vs in process, interleaved (one call at a time; 32 in flight)', leftCols: 3,
      head: ['backend', 'parameter set', 'op', 'in process', 'child', 'ratio', 'child, pipelined', 'ratio', 'n'],
      rows: b.hostOverhead.map((r) => [
        r.backend, r.parameterSet, r.op, fmtUs(r.inprocUs), fmtUs(r.childUs), r.ratio.toFixed(2),
        opt(r.childPipelinedUs, fmtUs), opt(r.pipelinedRatio, (x) => x.toFixed(2)), String(r.n),
      ]),
    },
    {
      id: 'comparisons', title: 'Runs that differ in one thing (host, jobs)', leftCols: 2,
      head: ['comparison', 'what', 'base', 'other', 'ratio'],
      rows: (b.runComparisons ?? []).map((r) => [r.name, r.what, fmtSeconds(r.baseMs, 1), fmtSeconds(r.otherMs, 1), r.ratio.toFixed(2)]),
    },
    {
      id: 'harness', title: 'Harness: conformance wall time vs raw op time for the same cases (in process)', leftCols: 2,
      head: ['backend', 'suites', 'executed', 'wall', 'case collection (≥)', 'sum of case durations', 'raw ops (model)', 'wall / raw', 'wall / cases'],
      rows: b.harnessOverhead.map((r) => [
        r.backend, r.suites.join(', '), `${r.executed} / ${r.cases}`, fmtSeconds(r.wallMs), opt(r.collectMs, fmtSeconds),
        fmtSeconds(r.caseSumMs), fmtSeconds(r.rawOpMs), r.ratio.toFixed(2), r.caseRatio.toFixed(2),
      ]),
    },
    {
      id: 'suites', title: 'Default conformance run by backend and suite', leftCols: 2,
      head: ['backend', 'suite', 'cases', 'failing', 'sum of case durations'],
      rows: (b.conformanceRun?.bySuite ?? []).map((g) => [g.backend, g.suite, String(g.cases), String(g.failing), fmtSeconds(g.caseSumMs)]),
    },
  ];
}

/** The default conformance run's headline and its --jobs line, in words both renderers print. */
export function conformanceRunLines(b: Bench): string[] {
  const c = b.conformanceRun;
  if (!c) return [];
  const out = [`Default conformance run: ${c.backends.join(', ')} (host ${c.host}, suites ${c.suites.join(', ')}): ${c.cases} cases in ${fmtSeconds(c.wallMs, 1)}${c.failing ? `, ${c.failing} failing` : ''}.`];
  if (c.jobs !== undefined) {
    out.push(
      `--jobs ${c.jobs} on ${c.cores} cores; --jobs 1: ${opt(c.jobs1WallMs, (x) => fmtSeconds(x, 1))}; peak RSS ${opt(c.peakRssMiB, (x) => x.toFixed(0))} MiB; ` +
        `raw op time ${opt(c.rawOpMs, (x) => fmtSeconds(x, 1))} (${c.unmodelled ?? 0} cases unmodelled); schedule efficiency ${c.scheduleEfficiency?.toFixed(2) ?? '-'} (raw op time / cores / wall).`,
    );
  }
  return out;
}

/**
 * The axis spans whole decades around every median and every whisker end (a
 * whisker is one IQR wide, centred on the median: bench@1 records the IQR, not
 * the quartiles). Backends differ by 10-50x, so a linear axis would hide the
 * fast ones.
 */
function chartOf(op: string, results: readonly BenchResult[]): BenchChart {
  const rows = results.filter((r) => r.op === op);
  const lo = Math.floor(Math.log10(Math.max(1e-3, Math.min(...rows.map((r) => r.medianUs)))));
  const hi = Math.ceil(Math.log10(Math.max(...rows.map((r) => r.medianUs + r.iqrUs / 2)) * 1.0001));
  return { op, rows, lo, hi };
}

export function benchView(b: Bench): BenchView {
  return {
    bench: b,
    backends: [...new Set(b.results.map((r) => r.backend))],
    charts: [...new Set(b.results.map((r) => r.op))].map((op) => chartOf(op, b.results)),
    tables: tablesOf(b),
    skipped: b.skipped.map((s) => ({ subject: [s.backend, s.parameterSet, s.op].filter(Boolean).join(' '), what: s.what, reason: s.reason })),
  };
}
