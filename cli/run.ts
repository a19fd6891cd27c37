// `pqc-harness run`: every chosen suite on every chosen backend, reports
// written, the gate's exit code returned.

import { DEFAULT_BACKENDS } from '../backends/registry.ts';
import { HOST_KINDS } from '../harness/hosts/index.ts';
import { runConformance } from '../harness/runner.ts';
import { DEFAULT_SUITES, suiteDef } from '../harness/suites/index.ts';
import { causesText } from '../reports/causes-text.ts';
import { coverageText } from '../reports/coverage-text.ts';
import { summaryTable } from '../reports/console.ts';
import { baselineFrom, evaluateGate, readBaseline } from '../reports/gate.ts';
import { writeAtomic, writeReports } from '../reports/write.ts';
import { backendSpecs, hostOption, intOption, paramList, parse, parseShard, suiteList, writableDir } from './args.ts';

export const RUN_USAGE = `pqc-harness run [--backend ${DEFAULT_BACKENDS.join(',')}] [--suite ${DEFAULT_SUITES.join(',')}] [--param ML-KEM-768,...]
                [--host auto|${HOST_KINDS.join('|')}] [--out reports/out] [--shard i/n] [--long]
                [--timeout-ms 30000] [--jobs CORES] [--liboqs PATH] [--baseline FILE] [--strict] [--write-baseline FILE] [--coverage]`;

export async function cmdRun(args: string[]): Promise<number> {
  const { values } = parse(args, {
    backend: { type: 'string' },
    suite: { type: 'string' },
    param: { type: 'string' },
    host: { type: 'string', default: 'auto' },
    out: { type: 'string', default: 'reports/out' },
    shard: { type: 'string' },
    long: { type: 'boolean', default: false },
    'timeout-ms': { type: 'string' },
    jobs: { type: 'string' },
    liboqs: { type: 'string' },
    baseline: { type: 'string' },
    strict: { type: 'boolean', default: false },
    'write-baseline': { type: 'string' },
    coverage: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  });
  if (values.help) {
    console.log(RUN_USAGE);
    return 0;
  }
  const backends = backendSpecs(values.backend, DEFAULT_BACKENDS);
  // Cross-backend suites compare backends with each other: by default they run only when there are two.
  const suites = suiteList(values.suite, DEFAULT_SUITES.filter((s) => suiteDef(s).kind !== 'across-backends' || backends.length > 1));
  const params = paramList(values.param);
  const host = hostOption(values.host!);
  const timeoutMs = intOption('timeout-ms', values['timeout-ms'], 1, 2 ** 31 - 1);
  const jobs = intOption('jobs', values.jobs, 1, 256);
  const shard = parseShard(values.shard);
  const baseline = values.baseline ? await readBaseline(values.baseline) : undefined;
  const out = writableDir(values.out!);

  const results = await runConformance({
    backends,
    suites,
    params,
    host,
    shard,
    long: values.long,
    timeoutMs,
    jobs,
    liboqs: values.liboqs,
    coverage: values.coverage,
    argv: ['run', ...args],
    progress: (line) => process.stderr.write(`${line}\n`),
  });
  const gateOpts = { strict: values.strict, baseline };
  const files = await writeReports(results, out, gateOpts);
  const gate = evaluateGate(results, gateOpts);
  const known = new Set(gate.knownFailures);
  console.log(summaryTable(results, (c) => known.has(c)));
  const causes = causesText(results);
  if (causes) console.log(`\n${causes}`);
  const coverage = coverageText(results);
  if (coverage) console.log(`\n${coverage}`);
  console.log(`\nwrote ${files.json}\n      ${files.junit}\n      ${files.html}`);
  if (values['write-baseline']) await writeAtomic(values['write-baseline'], JSON.stringify(baselineFrom(results), null, 2) + '\n');
  for (const line of gate.lines) console.log(line);
  return gate.exitCode;
}
