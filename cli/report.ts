// `pqc-harness report merge`: shards or separate runs into one results.json,
// with the reports and the gate of the whole.

import { resolve } from 'node:path';
import { causesText } from '../reports/causes-text.ts';
import { summaryTable } from '../reports/console.ts';
import { evaluateGate, readBaseline } from '../reports/gate.ts';
import { mergeResults, readResults } from '../reports/merge.ts';
import { writeReports } from '../reports/write.ts';
import { forTerminal } from '../model/text.ts';
import { parse, UsageError, writableDir } from './args.ts';

export const REPORT_USAGE = 'pqc-harness report merge DIR... --out DIR [--partial] [--baseline FILE] [--strict]';

export async function cmdReport(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === '--help' || sub === '-h') {
    console.log(REPORT_USAGE);
    return 0;
  }
  if (sub !== 'merge') throw new UsageError('report: expected merge');
  const { values, positionals } = parse(rest, { out: { type: 'string' }, partial: { type: 'boolean', default: false }, baseline: { type: 'string' }, strict: { type: 'boolean', default: false } }, true);
  if (!values.out || positionals.length === 0) throw new UsageError(REPORT_USAGE);
  const gateOpts = { strict: values.strict, baseline: values.baseline ? await readBaseline(values.baseline) : undefined };
  const out = writableDir(values.out);
  const parts = await Promise.all(
    positionals.map(async (d) => {
      const where = resolve(d, 'results.json');
      return { where, results: await readResults(where) };
    }),
  );
  const merged = mergeResults(parts, { partial: values.partial });
  for (const w of merged.run.merged?.warnings ?? []) console.error(forTerminal(`pqc-harness report merge: WARNING: ${w}`));
  const files = await writeReports(merged, out, gateOpts);
  const gate = evaluateGate(merged, gateOpts);
  const known = new Set(gate.knownFailures);
  console.log(summaryTable(merged, (c) => known.has(c)));
  const causes = causesText(merged);
  if (causes) console.log(`\n${causes}`);
  console.log(`\nwrote ${files.json}`);
  for (const line of gate.lines) console.log(line);
  return gate.exitCode;
}
