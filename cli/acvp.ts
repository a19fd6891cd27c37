// `pqc-harness acvp respond|check`: answer a prompt-only ACVP vector set
// through a backend and write the response file; compare a response with
// expectedResults.json. The harness never talks to the ACVP server: the
// user's own ACVP client fetches the vector sets and uploads the responses.

import { existsSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { promptTasks, respond, UNANSWERED_KINDS, type Responded } from '../harness/acvp/respond.ts';
import { chooseHost, HOST_KINDS, openHosted } from '../harness/hosts/index.ts';
import type { Finding } from '../model/findings.ts';
import { sanitizeText } from '../model/text.ts';
import { EXIT } from '../reports/gate.ts';
import { shortValue } from '../reports/text.ts';
import { writeAtomic } from '../reports/write.ts';
import { checkResponse, type Difference } from '../vectors/acvp-check.ts';
import { readVectorSet, unwrapAcvts, wrapAcvts } from '../vectors/acvp.ts';
import { readJsonFile } from '../vectors/store.ts';
import { backendSpec, hostOption, intOption, parse, UsageError, writableFile } from './args.ts';

const RESPOND_USAGE = `pqc-harness acvp respond PROMPT.json --backend B --out RESPONSE.json [--unanswered FILE]
                         [--host auto|${HOST_KINDS.join('|')}] [--timeout-ms 30000] [--liboqs PATH]`;
const CHECK_USAGE = 'pqc-harness acvp check RESPONSE.json --expected expectedResults.json';
export const ACVP_USAGE = `${RESPOND_USAGE}\n  ${CHECK_USAGE}`;

/** The side file that lists what was not answered. */
const UNANSWERED_SCHEMA = 'pqc-harness/acvp-unanswered@1';

/** Unanswered tests printed one per line before the rest is left to the side file. */
const LIST_UNANSWERED = 20;

export async function cmdAcvp(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'respond':
      return cmdRespond(rest);
    case 'check':
      return cmdCheck(rest);
    case '--help':
    case '-h':
      console.log(`${RESPOND_USAGE}\n${CHECK_USAGE}`);
      return EXIT.pass;
    default:
      throw new UsageError('acvp: expected respond or check');
  }
}

/** `r.json` → `r.unanswered.json`; `r.json.gz` → `r.unanswered.json`. */
function defaultSideFile(out: string): string {
  const m = /\.json(\.gz)?$/.exec(out);
  return `${m ? out.slice(0, m.index) : out}.unanswered.json`;
}

async function cmdRespond(args: string[]): Promise<number> {
  const { values, positionals } = parse(
    args,
    {
      backend: { type: 'string' },
      out: { type: 'string' },
      unanswered: { type: 'string' },
      host: { type: 'string', default: 'auto' },
      'timeout-ms': { type: 'string' },
      liboqs: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    true,
  );
  if (values.help) {
    console.log(RESPOND_USAGE);
    return EXIT.pass;
  }
  if (positionals.length !== 1) throw new UsageError(`acvp respond: expected one PROMPT file, got ${positionals.length}`);
  if (!values.backend) throw new UsageError('acvp respond: --backend is required (one backend: noble, rust, process:CMD, ...)');
  if (!values.out) throw new UsageError('acvp respond: --out RESPONSE.json is required');
  // One backend: a spec such as process:CMD may itself contain commas.
  const spec = backendSpec(values.backend);
  const host = hostOption(values.host!);
  const timeoutMs = intOption('timeout-ms', values['timeout-ms'], 1, 2 ** 31 - 1);
  const promptFile = positionals[0]!;
  const out = writableFile(values.out, 'out');
  const side = writableFile(values.unanswered ?? defaultSideFile(values.out), 'unanswered');
  if (out === resolve(promptFile) || side === resolve(promptFile) || side === out) throw new UsageError('acvp respond: the response, the side file and the prompt must be three different files');

  // The whole prompt is read and every test's inputs checked before a backend is opened.
  const envelope = unwrapAcvts(readJsonFile(promptFile), promptFile);
  const prompt = readVectorSet(envelope.set, promptFile);
  const tasks = promptTasks(prompt, promptFile);

  let backend;
  try {
    backend = await openHosted(spec, chooseHost(spec, host), { timeoutMs, liboqs: values.liboqs });
  } catch (e) {
    console.error(`pqc-harness: backend '${spec.text}' unavailable: ${(e as Error).message}`);
    return EXIT.usage;
  }
  const info = backend.describe();
  console.log(`${prompt.algorithm} ${prompt.mode} ${prompt.revision} (vsId ${prompt.vsId}): ${tasks.length} tests, answered by ${spec.text} (${info.name} ${info.version})`);
  let r: Responded;
  let exitFindings: Finding[] = [];
  try {
    r = await respond(prompt, tasks, backend, (done, total) => process.stderr.write(`  ${done}/${total} tests\n`));
  } finally {
    await backend.close?.();
    exitFindings = (await backend.exitFindings?.()) ?? [];
  }

  const text = `${JSON.stringify(wrapAcvts(envelope, r.response), null, 2)}\n`;
  await writeAtomic(out, out.endsWith('.gz') ? gzipSync(text) : text);
  console.log(`wrote ${out}: ${r.answered} of ${r.tests} tests answered`);

  for (const u of r.unanswered.slice(0, LIST_UNANSWERED)) console.log(`  not answered: tgId=${u.tgId} tcId=${u.tcId} ${u.parameterSet} ${u.op}: ${u.kind}: ${sanitizeText(u.reason.split('\n')[0]!)}`);
  if (r.unanswered.length > LIST_UNANSWERED) console.log(`  … and ${r.unanswered.length - LIST_UNANSWERED} more`);
  // The console shows each reason's first line; the side file keeps all of it (a crash's stderr).
  for (const f of r.findings) console.log(`  memory finding: tgId=${f.tgId} tcId=${f.tcId}: ${f.findings.map((x) => `${x.kind}: ${sanitizeText(x.message)}`).join('; ')}`);
  if (exitFindings.length) console.log(`  memory findings at exit (the backend's, not a test's): ${exitFindings.length}`);

  const clean = r.unanswered.length === 0 && r.findings.length === 0 && exitFindings.length === 0;
  if (clean) {
    // A side file from an earlier run would speak of tests this response answers.
    if (existsSync(side)) {
      rmSync(side);
      console.log(`removed ${side}: every test is answered now`);
    }
    return EXIT.pass;
  }
  const byKind = UNANSWERED_KINDS.map((k) => [k, r.unanswered.filter((u) => u.kind === k).length] as const).filter(([, n]) => n > 0);
  const sideDoc = {
    schema: UNANSWERED_SCHEMA,
    prompt: promptFile,
    response: out,
    backend: { id: spec.text, name: info.name, version: info.version },
    vectorSet: { vsId: prompt.vsId, algorithm: prompt.algorithm, mode: prompt.mode, revision: prompt.revision },
    tests: r.tests,
    answered: r.answered,
    unanswered: r.unanswered,
    findings: r.findings,
    exitFindings,
  };
  await writeAtomic(side, `${JSON.stringify(sideDoc, null, 2)}\n`);
  const what = [
    r.unanswered.length ? `${r.unanswered.length} tests not answered (${byKind.map(([k, n]) => `${n} ${k}`).join(', ')})` : '',
    r.findings.length ? `${r.findings.length} tests with memory findings` : '',
    exitFindings.length ? `${exitFindings.length} memory findings at exit` : '',
  ].filter(Boolean);
  console.log(`wrote ${side}: ${what.join('; ')}`);
  console.log('the response is incomplete: these tests were left out, never guessed (exit 1)');
  return EXIT.failures;
}

/** A JSON value for a console line: strings without quotes, long hex shortened, control characters removed. */
function shown(json: string | undefined): string {
  if (json === undefined) return '';
  const v: unknown = JSON.parse(json);
  return sanitizeText(shortValue(typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : json).text);
}

function differenceLine(d: Difference): string {
  const at = [d.tgId !== undefined ? `tgId=${d.tgId}` : '', d.tcId !== undefined ? `tcId=${d.tcId}` : '', d.field !== undefined ? `field '${d.field}'` : ''].filter(Boolean).join(' ');
  const values = [d.response !== undefined ? `response ${shown(d.response)}` : '', d.expected !== undefined ? `expected ${shown(d.expected)}` : ''].filter(Boolean).join(', ');
  return `${at || 'header'}: ${d.problem}${values ? ` (${values})` : ''}`;
}

async function cmdCheck(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { expected: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } }, true);
  if (values.help) {
    console.log(CHECK_USAGE);
    return EXIT.pass;
  }
  if (positionals.length !== 1) throw new UsageError(`acvp check: expected one RESPONSE file, got ${positionals.length}`);
  if (!values.expected) throw new UsageError('acvp check: --expected expectedResults.json is required');
  const responseFile = positionals[0]!;
  const response = unwrapAcvts(readJsonFile(responseFile), responseFile).set;
  const expected = unwrapAcvts(readJsonFile(values.expected), values.expected).set;
  const report = checkResponse(response, responseFile, expected, values.expected);
  for (const d of report.differences) console.log(differenceLine(d));
  const testsWith = new Set(report.differences.filter((d) => d.tcId !== undefined).map((d) => `${d.tgId}/${d.tcId}`)).size;
  const summary = `${report.equal} of ${report.tests} tests equal`;
  if (report.differences.length === 0) {
    console.log(`check: ${summary}: the response equals ${values.expected}`);
    return EXIT.pass;
  }
  console.log(`check: ${summary}; ${report.differences.length} difference(s) in ${testsWith} test(s) (exit 1)`);
  return EXIT.failures;
}
