// The console view of bench.json: the header line, then one plain-text table
// per part that was measured (op times, FFI, host and harness overhead, the
// default conformance run, goals), then what was not measured.

import type { Bench } from '../../model/bench.ts';
import { fmtRate, fmtSeconds, fmtUs, textTable } from '../text.ts';
import { benchView } from './view.ts';

/** A titled table after a blank line; nothing when the part was not measured. */
function part(title: string, head: string[], rows: string[][], leftCols: number): string[] {
  return rows.length ? ['', title, textTable(head, rows, leftCols)] : [];
}

function header(b: Bench): string {
  const m = b.run.machine;
  return `pqc-harness bench  ${b.run.startedAt}  ${m.cpus} x ${m.cpuModel}  node ${m.node}  load ${m.loadStart.map((x) => x.toFixed(2)).join(' ')} -> ${m.loadEnd.map((x) => x.toFixed(2)).join(' ')}`;
}

function conformanceRun(b: Bench): string[] {
  const c = b.conformanceRun;
  if (!c) return [];
  const out = ['', `Default conformance run: ${c.backends.join(', ')} (host ${c.host}, suites ${c.suites.join(',')}): ${c.cases} cases in ${fmtSeconds(c.wallMs, 1)}${c.failing ? `, ${c.failing} failing` : ''}`];
  if (c.jobs !== undefined) {
    out.push(
      `  --jobs ${c.jobs} on ${c.cores} cores; --jobs 1: ${c.jobs1WallMs === undefined ? '-' : fmtSeconds(c.jobs1WallMs, 1)}; peak RSS ${c.peakRssMiB ?? '-'} MiB; ` +
        `raw op time ${c.rawOpMs === undefined ? '-' : fmtSeconds(c.rawOpMs, 1)} (${c.unmodelled ?? 0} cases unmodelled); schedule efficiency ${c.scheduleEfficiency?.toFixed(2) ?? '-'}`,
    );
  }
  if (c.bySuite?.length) out.push(textTable(['backend', 'suite', 'cases', 'failing', 'sum durationMs'], c.bySuite.map((g) => [g.backend, g.suite, String(g.cases), String(g.failing), fmtSeconds(g.caseSumMs)]), 2));
  return out;
}

export function benchTable(b: Bench): string {
  const v = benchView(b);
  return [
    header(b),
    ...part(
      'In-process op times (median over n calls; IQR = q3 - q1)',
      ['backend', 'param', 'op', 'median', 'IQR', 'ops/s', 'n'],
      b.results.map((r) => [r.backend, r.parameterSet, r.op, fmtUs(r.medianUs), fmtUs(r.iqrUs), fmtRate(r.opsPerSec), String(r.n)]),
      3,
    ),
    ...part(
      'FFI boundary: native loop (pqc_bench_ns) vs koffi from node, interleaved',
      ['backend', 'param', 'op', 'native', 'koffi+contract', 'ratio', 'bare koffi', 'ratio', 'n'],
      b.ffiOverhead.map((r) => [
        r.backend, r.parameterSet, r.op, fmtUs(r.nativeUs), fmtUs(r.ffiUs), r.ratio.toFixed(3),
        r.rawFfiUs === undefined ? '-' : fmtUs(r.rawFfiUs), r.rawRatio === undefined ? '-' : r.rawRatio.toFixed(3), String(r.n),
      ]),
      3,
    ),
    ...part(
      'Host: child process vs in process, interleaved (one call at a time; 32 in flight)',
      ['backend', 'param', 'op', 'inproc', 'child', 'ratio', 'child pipelined', 'ratio', 'n'],
      b.hostOverhead.map((r) => [
        r.backend, r.parameterSet, r.op, fmtUs(r.inprocUs), fmtUs(r.childUs), r.ratio.toFixed(2),
        r.childPipelinedUs === undefined ? '-' : fmtUs(r.childPipelinedUs), r.pipelinedRatio === undefined ? '-' : r.pipelinedRatio.toFixed(2), String(r.n),
      ]),
      3,
    ),
    ...part(
      'Runs that differ in one thing (host, jobs)',
      ['comparison', 'what', 'base', 'other', 'ratio'],
      (b.runComparisons ?? []).map((r) => [r.name, r.what, fmtSeconds(r.baseMs, 1), fmtSeconds(r.otherMs, 1), r.ratio.toFixed(2)]),
      2,
    ),
    ...part(
      'Harness: conformance wall time vs raw op time for the same cases (in process)',
      ['backend', 'suites', 'executed', 'wall', 'collect', 'sum durationMs', 'raw ops (model)', 'wall/raw', 'wall/cases'],
      b.harnessOverhead.map((r) => [
        r.backend, r.suites.join(','), `${r.executed}/${r.cases}`, fmtSeconds(r.wallMs), r.collectMs === undefined ? '-' : fmtSeconds(r.collectMs),
        fmtSeconds(r.caseSumMs), fmtSeconds(r.rawOpMs), r.ratio.toFixed(2), r.caseRatio.toFixed(2),
      ]),
      2,
    ),
    ...conformanceRun(b),
    ...part('Goals', ['goal', 'target', 'measured', 'met'], b.goals.map((g) => [g.name, g.target, g.measured, g.met === null ? 'n/a' : g.met ? 'yes' : 'NO']), 3),
    ...v.skipped.map((s) => `skipped: ${s.subject} ${s.what}: ${s.reason}`),
  ].join('\n');
}
