// `pqc-harness selftest faults`: the seeded-fault matrix (harness/selftest/),
// each fault caught by the tool expected to catch it, and silence on clean code.

import type { Results } from '../model/results.ts';
import { runFaultMatrix, TOOLS, type Tool } from '../harness/selftest/faults.ts';
import { writeReports } from '../reports/write.ts';
import { list, parse, UsageError, writableDir } from './args.ts';

/** Text table of the observed matrix (rows: faults; columns: tools). */
export function matrixTable(r: Results): string {
  const tools = [...new Set(r.cases.map((c) => c.id.split('/')[1]!))];
  const faults = [...new Set(r.cases.map((c) => c.id.split('/')[2]!))];
  const cell = (t: string, f: string): string => {
    const c = r.cases.find((x) => x.id === `fault-matrix/${t}/${f}`);
    if (!c) return '-';
    const what = c.crash ? 'crash' : '';
    const kinds = [...new Set(c.findings.map((x) => x.kind))].join('+');
    return `${c.status === 'pass' ? 'ok' : 'FAIL'} ${[what, kinds].filter(Boolean).join(' ') || 'none'}`;
  };
  const rows = [['fault', ...tools], ...faults.map((f) => [f, ...tools.map((t) => cell(t, f))])];
  const w = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows.map((row) => row.map((s, i) => s.padEnd(w[i]!)).join('  ')).join('\n');
}

export const SELFTEST_USAGE = 'pqc-harness selftest faults [--out DIR (default reports/out/selftest)] [--tools child,valgrind,asan]';

export async function cmdSelftest(args: string[]): Promise<number> {
  const [what, ...rest] = args;
  if (what === '--help' || what === '-h') {
    console.log(SELFTEST_USAGE);
    return 0;
  }
  if (what !== 'faults') throw new UsageError(`selftest: expected faults, got ${JSON.stringify(what ?? '')}`);
  const { values } = parse(rest, { out: { type: 'string', default: 'reports/out/selftest' }, tools: { type: 'string' } });
  const tools = list(values.tools, TOOLS) as Tool[];
  const bad = tools.filter((t) => !TOOLS.includes(t));
  if (bad.length) throw new UsageError(`unknown tool ${bad.join(', ')}; known: ${TOOLS.join(', ')}`);
  const out = writableDir(values.out!);
  const t0 = performance.now();
  const results = await runFaultMatrix({ tools, argv: ['selftest', ...args], progress: (l) => process.stderr.write(`${l}\n`) });
  const files = await writeReports(results, out);
  process.stdout.write(`${matrixTable(results)}\n\n`);
  const failed = results.cases.filter((c) => c.status !== 'pass');
  process.stdout.write(`fault matrix: ${results.cases.length - failed.length}/${results.cases.length} cells as expected in ${Math.round((performance.now() - t0) / 1000)} s; ${files.json}\n`);
  for (const c of failed) process.stdout.write(`  ${c.id}: ${c.reason}\n`);
  return failed.length ? 1 : 0;
}
