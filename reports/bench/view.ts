// The view model of bench.json (model/bench.ts), built once and shared by its
// two renderers: the console table (console.ts) and the HTML section and page
// (html.ts). It holds what both derive from the measurements: the backends in
// order (the chart colours), one chart per op with its log-scale axis, and
// what was not measured, named.

import type { Bench, BenchResult } from '../../model/bench.ts';

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
  /** What was asked for and not measured: `backend param op` named in one string. */
  skipped: { subject: string; what: string; reason: string }[];
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
    skipped: b.skipped.map((s) => ({ subject: [s.backend, s.parameterSet, s.op].filter(Boolean).join(' '), what: s.what, reason: s.reason })),
  };
}
