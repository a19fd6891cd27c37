// A fresh process for one timed in-process conformance run (harness overhead):
//   node [--import tsx] harness/bench/conformance-child.{ts,js} '<json>' OUTFILE
// json: { backend, suites, params?, liboqs?, host?, jobs? }. Writes OUTFILE:
//   {wallMs, collectMs, cases: [{id, suite, op, requires, repeats, parameterSet, status, durationMs}]}
// (a file, not stdout: native libraries may print to fd 1).
// A fresh process because some backends cannot be opened twice in one process
// (liboqs registers a koffi callback type by name), and because a conformance
// run from the CLI starts cold too. wallMs covers runConformance only (vector
// loading and parsing, case construction, backend open and close, every case),
// not node's or tsx's start-up.

import { collectCases, runConformance } from '../runner.ts';
import type { HostKind } from '../hosts/index.ts';
import { caseShapes } from './pricing.ts';
import type { Suite } from '../../model/case.ts';
import type { ParamSet } from '../../model/params.ts';

import { writeFileSync } from 'node:fs';

interface Req {
  backend: string;
  suites: Suite[];
  params?: ParamSet[];
  liboqs?: string;
  /** Default inproc: the harness's own cost around the raw op. */
  host?: HostKind;
  jobs?: number;
}

async function main(): Promise<void> {
  const req = JSON.parse(process.argv[2] ?? '{}') as Req;
  const t0 = process.hrtime.bigint();
  const res = await runConformance({ backends: [req.backend], suites: req.suites, params: req.params, host: req.host ?? 'inproc', liboqs: req.liboqs, ...(req.jobs ? { jobs: req.jobs } : {}) });
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  // Case collection alone (vector parsing, case construction), timed after the
  // run so the run itself starts cold; the vector store caches file contents,
  // so this is a lower bound of the collection share of wallMs.
  const t1 = process.hrtime.bigint();
  const collected = collectCases({ suites: req.suites, params: req.params, backends: [req.backend] });
  const collectMs = Number(process.hrtime.bigint() - t1) / 1e6;
  // Every contract op each case calls (`requires`, `repeats` times), for the raw-op model.
  const shapes = caseShapes(collected);
  const cases = res.cases.map((c) => ({
    id: c.id,
    suite: c.suite,
    op: c.op,
    ...(shapes.get(`${c.suite}\0${c.id}`) ?? { requires: [c.op], repeats: 1 }),
    parameterSet: c.parameterSet,
    status: c.status,
    durationMs: c.durationMs,
  }));
  const outFile = process.argv[3];
  if (!outFile) throw new Error('usage: conformance-child.ts JSON OUTFILE');
  writeFileSync(outFile, JSON.stringify({ wallMs, collectMs, cases }));
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`conformance-child: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(70);
  },
);
