// The user's door: `pqc-harness run|backends|vectors|report|selftest|bench|acvp|setup|fleet`.
// One file per command in this folder; this one dispatches, prints the usage
// and turns errors into exit codes.
//
// Exit codes: 0 gate passed; 1 a case failed, crashed, timed out, errored or has
// a finding (not in the baseline); 2 usage or input error (bad vector file,
// unknown backend, zero cases); 3 --strict and some case was skipped.

import { harnessVersion } from '../harness/run-info.ts';
import { ACVP_USAGE, cmdAcvp } from './acvp.ts';
import { forTerminal } from '../model/text.ts';
import { UsageError } from './args.ts';
import { BACKENDS_USAGE, cmdBackends } from './backends.ts';
import { BENCH_USAGE, cmdBench } from './bench.ts';
import { cmdFleet, FLEET_USAGE } from './fleet.ts';
import { cmdReport, REPORT_USAGE } from './report.ts';
import { cmdRun, RUN_USAGE } from './run.ts';
import { cmdSelftest, SELFTEST_USAGE } from './selftest.ts';
import { cmdSetup, SETUP_USAGE } from './setup.ts';
import { cmdVectors, VECTORS_USAGE } from './vectors.ts';

const USAGE = `pqc-harness: conformance and memory-safety harness for ML-KEM (FIPS 203) and ML-DSA (FIPS 204)

  ${RUN_USAGE}
  ${BACKENDS_USAGE}
  ${VECTORS_USAGE}
  ${REPORT_USAGE}
  ${SELFTEST_USAGE}
  ${BENCH_USAGE}
  ${ACVP_USAGE}
  ${SETUP_USAGE}
  ${FLEET_USAGE.replace(/\n/g, '\n  ')}

  pqc-harness --version | --help       COMMAND --help shows that command's options

Exit codes: 0 passed; 1 failures; 2 usage or input error; 3 --strict with skips.`;

const COMMANDS: Record<string, (args: string[]) => Promise<number>> = {
  run: cmdRun,
  backends: cmdBackends,
  vectors: cmdVectors,
  report: cmdReport,
  selftest: cmdSelftest,
  bench: cmdBench,
  acvp: cmdAcvp,
  setup: cmdSetup,
  fleet: cmdFleet,
};

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined) {
    console.error(USAGE);
    return 2;
  }
  if (cmd === '-h' || cmd === '--help' || cmd === 'help') {
    console.log(USAGE);
    return 0;
  }
  if (cmd === '-V' || cmd === '--version' || cmd === 'version') {
    console.log(harnessVersion());
    return 0;
  }
  const run = COMMANDS[cmd];
  try {
    if (!run) throw new UsageError(`unknown command '${cmd}'`);
    return await run(rest);
  } catch (e) {
    const err = e as Error;
    // Messages can quote a backend (an open error with its stderr): printable only.
    console.error(forTerminal(`pqc-harness: ${err?.message ?? String(e)}`));
    if (err instanceof UsageError) console.error(`\n${USAGE}`);
    return 2;
  }
}
