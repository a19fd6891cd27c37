// `pqc-harness bench`: per-backend op times, the cost of the FFI boundary, of
// the child host and of the harness itself (harness/bench/). Writes DIR/bench.json
// and DIR/bench.html, prints a table. Exit codes: 0 measured; 2 usage error or
// nothing could be measured.

import { DEFAULT_BACKENDS } from '../backends/registry.ts';
import { ALL_PARAMS } from '../model/params.ts';
import { runBench, DEFAULT_MIN_TIME_MS, SKIPPABLE, type BenchOptions } from '../harness/bench/bench.ts';
import { BENCH_OPS, parseOps, type BenchOp } from '../harness/bench/ops.ts';
import { benchTable } from '../reports/bench/console.ts';
import { writeBench } from '../reports/write.ts';
import { backendSpecs, intOption, list, paramList, parse, UsageError, writableDir } from './args.ts';

export const BENCH_USAGE = `pqc-harness bench [--backend ${DEFAULT_BACKENDS.join(',')}] [--param ML-KEM-768,...]
                  [--op keygen,encaps,decaps,sign,verify] [--out reports/out]
                  [--min-time-ms ${DEFAULT_MIN_TIME_MS}] [--rounds 5] [--skip ffi,host,default-run] [--conformance] [--liboqs PATH]`;

/** `pqc-harness bench`: parses its own flags (cli/main.ts hands over the rest of argv). */
export async function cmdBench(args: string[]): Promise<number> {
  const { values } = parse(args, {
    backend: { type: 'string' },
    param: { type: 'string' },
    op: { type: 'string' },
    out: { type: 'string', default: 'reports/out' },
    'min-time-ms': { type: 'string' },
    rounds: { type: 'string' },
    skip: { type: 'string' },
    conformance: { type: 'boolean', default: false },
    liboqs: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  });
  if (values.help) {
    console.log(BENCH_USAGE);
    return 0;
  }
  const backends = backendSpecs(values.backend, DEFAULT_BACKENDS);
  const params = paramList(values.param) ?? [...ALL_PARAMS];
  let ops: BenchOp[];
  try {
    ops = values.op ? parseOps(list(values.op, [])) : [...BENCH_OPS];
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const skip = list(values.skip, []);
  for (const s of skip) if (!(SKIPPABLE as readonly string[]).includes(s)) throw new UsageError(`--skip expects ${SKIPPABLE.join(', ')}, got '${s}'`);
  const opts: BenchOptions = {
    backends,
    params,
    ops,
    minTimeMs: intOption('min-time-ms', values['min-time-ms'], 0) ?? DEFAULT_MIN_TIME_MS,
    rounds: intOption('rounds', values.rounds, 1),
    skip: skip as BenchOptions['skip'],
    conformance: values.conformance,
    liboqs: values.liboqs,
    argv: ['bench', ...args],
    progress: (line) => process.stderr.write(`${line}\n`),
  };
  const out = writableDir(values.out!);
  const bench = await runBench(opts);
  const files = await writeBench(bench, out);
  console.log(benchTable(bench));
  console.log(`\nwrote ${files.json}\n      ${files.html}`);
  if (bench.results.length === 0) {
    console.error('pqc-harness bench: nothing was measured');
    return 2;
  }
  return 0;
}
