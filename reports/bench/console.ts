// The console view of bench.json: the header line, then one plain-text table
// per part that was measured (op times, FFI, host and harness overhead, the
// default conformance run, goals), then what was not measured.

import type { Bench } from '../../model/bench.ts';
import { textTable } from '../text.ts';
import { benchView, conformanceRunLines, type BenchTable } from './view.ts';

/** A titled table after a blank line; nothing when the part was not measured. */
function part(title: string, head: readonly string[], rows: readonly (readonly string[])[], leftCols: number): string[] {
  return rows.length ? ['', title, textTable(head, rows, leftCols)] : [];
}

function header(b: Bench): string {
  const m = b.run.machine;
  return `pqc-harness bench  ${b.run.startedAt}  ${m.cpus} x ${m.cpuModel}  node ${m.node}  load ${m.loadStart.map((x) => x.toFixed(2)).join(' ')} -> ${m.loadEnd.map((x) => x.toFixed(2)).join(' ')}`;
}

export function benchTable(b: Bench): string {
  const v = benchView(b);
  const table = (id: BenchTable['id']): string[] => {
    const t = v.tables.find((x) => x.id === id)!;
    return part(t.title, t.head, t.rows, t.leftCols);
  };
  const run = conformanceRunLines(b);
  return [
    header(b),
    ...table('results'),
    ...table('ffi'),
    ...table('host'),
    ...table('comparisons'),
    ...table('harness'),
    ...(run.length ? ['', run[0]!, ...run.slice(1).map((l) => `  ${l}`)] : []),
    ...table('suites'),
    ...part('Goals', ['goal', 'target', 'measured', 'met'], b.goals.map((g) => [g.name, g.target, g.measured, g.met === null ? 'n/a' : g.met ? 'yes' : 'NO']), 3),
    ...v.skipped.map((s) => `skipped: ${s.subject} ${s.what}: ${s.reason}`),
  ].join('\n');
}
