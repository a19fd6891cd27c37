// `pqc-harness selftest faults`: the seeded-fault matrix (harness/selftest/),
// each fault caught by the tool expected to catch it, and silence on clean code.
// `pqc-harness selftest ct`: the seeded timing leaks, each found by the
// constant-time host at -O0 and -O2, and silence on their constant-time twins.

import type { Results } from '../model/results.ts';
import { runFaultMatrix, TOOLS, type Tool } from '../harness/selftest/faults.ts';
import { runCtMatrix } from '../harness/selftest/ct.ts';
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
  return textTable([['fault', ...tools], ...faults.map((f) => [f, ...tools.map((t) => cell(t, f))])]);
}

/** Text table of the timing-leak matrix (rows: leak and variant; columns: builds). */
export function ctMatrixTable(r: Results): string {
  const parts = r.cases.map((c) => c.id.split('/'));
  const builds = [...new Set(parts.map((p) => p[1]!))];
  const rows = [...new Set(parts.map((p) => `${p[2]}/${p[3]}`))];
  const cell = (b: string, row: string): string => {
    const c = r.cases.find((x) => x.id === `ct-matrix/${b}/${row}`);
    if (!c) return '-';
    const kinds = [...new Set(c.findings.map((x) => x.kind))].join('+');
    return `${c.status === 'pass' ? 'ok' : 'FAIL'} ${kinds || 'none'}`;
  };
  return textTable([['leak/variant', ...builds], ...rows.map((row) => [row, ...builds.map((b) => cell(b, row))])]);
}

function textTable(rows: string[][]): string {
  const w = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows.map((row) => row.map((s, i) => s.padEnd(w[i]!)).join('  ')).join('\n');
}

export const SELFTEST_USAGE = 'pqc-harness selftest faults|ct [--out DIR (default reports/out/selftest, reports/out/selftest-ct)] [--tools child,valgrind,asan (faults)]';

export async function cmdSelftest(args: string[]): Promise<number> {
  const [what, ...rest] = args;
  if (what === '--help' || what === '-h') {
    console.log(SELFTEST_USAGE);
    return 0;
  }
  if (what === 'ct') return selftestCt(args, rest);
  if (what !== 'faults') throw new UsageError(`selftest: expected faults or ct, got ${JSON.stringify(what ?? '')}`);
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

async function selftestCt(args: string[], rest: string[]): Promise<number> {
  const { values } = parse(rest, { out: { type: 'string', default: 'reports/out/selftest-ct' } });
  const out = writableDir(values.out!);
  const t0 = performance.now();
  const results = await runCtMatrix({ argv: ['selftest', ...args], progress: (l) => process.stderr.write(`${l}\n`) });
  const files = await writeReports(results, out);
  process.stdout.write(`${ctMatrixTable(results)}\n\n`);
  const failed = results.cases.filter((c) => c.status !== 'pass');
  process.stdout.write(`timing-leak matrix: ${results.cases.length - failed.length}/${results.cases.length} cells as expected in ${Math.round((performance.now() - t0) / 1000)} s; ${files.json}\n`);
  for (const c of failed) process.stdout.write(`  ${c.id}: ${c.reason}\n`);
  return failed.length ? 1 : 0;
}
