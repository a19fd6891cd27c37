// `acvp respond`'s engine: answer every test of a prompt-only ACVP vector set
// through one backend and build the ACVP response vector set.
//
// Rules, each with its reason:
// - Which contract call answers a test is tasks.ts's table, the one the acvp
//   suite judges with: a response and a conformance run cannot disagree on
//   what a test means.
// - A test the backend cannot express (a parameter set or op it lacks, an
//   UnsupportedError), or that it refuses, crashes on, times out on or errors
//   on while an answer is due, is left out of the response and listed with its
//   reason. It is never answered with a made-up value: a guess uploaded to
//   ACVTS is worse than a gap.
// - Memory findings a checking host ties to a test are listed too: the answer
//   may be right, the boundary is not.
// - The response repeats the prompt's header (vsId, algorithm, mode, revision,
//   isSample), keeps the prompt's group and test order, and writes hex in
//   upper case, as NIST's expectedResults.json does.

import { toHex } from '../../model/bytes.ts';
import { RejectedError, UnsupportedError, type Backend, type Op } from '../../model/contract.ts';
import { CrashError, TimeoutError } from '../../model/errors.ts';
import type { Finding } from '../../model/findings.ts';
import type { ParamSet } from '../../model/params.ts';
import type { AcvpFile } from '../../vectors/acvp.ts';
import { VectorFormatError } from '../../vectors/fields.ts';
import { staticSkip } from '../runner.ts';
import { acvpTasks, type AcvpTask, type Answer } from './tasks.ts';

/** Why a test has no answer: the backend cannot express it, refused it, or failed on it. */
export const UNANSWERED_KINDS = ['unsupported', 'rejected', 'crash', 'timeout', 'error'] as const;
export type UnansweredKind = (typeof UNANSWERED_KINDS)[number];

export interface Unanswered {
  tgId: number;
  tcId: number;
  parameterSet: ParamSet;
  op: Op;
  kind: UnansweredKind;
  reason: string;
}

export interface TestFindings {
  tgId: number;
  tcId: number;
  findings: Finding[];
}

export interface Responded {
  /** The response vector set, bare (the caller wraps it as the prompt was wrapped). */
  response: Record<string, unknown>;
  tests: number;
  answered: number;
  unanswered: Unanswered[];
  findings: TestFindings[];
}

/** The tasks of a prompt, checked before any backend is opened: a bad prompt costs nothing. */
export function promptTasks(prompt: AcvpFile, file: string): AcvpTask[] {
  if (prompt.vsId === undefined) throw new VectorFormatError({ file }, 'vsId', 'missing: a response must name the vector set it answers');
  const tasks = acvpTasks(prompt, file);
  if (tasks.length === 0) throw new VectorFormatError({ file }, 'testGroups', 'no tests: a vector set with nothing to answer is an error');
  return tasks;
}

function unanswered(task: AcvpTask, kind: UnansweredKind, reason: string): Unanswered {
  return { tgId: task.test.tgId, tcId: task.test.tcId, parameterSet: task.parameterSet, op: task.op, kind, reason };
}

function classify(task: AcvpTask, e: unknown): Unanswered {
  const message = (e as Error)?.message ?? String(e);
  if (e instanceof UnsupportedError) return unanswered(task, 'unsupported', message);
  if (e instanceof RejectedError) return unanswered(task, 'rejected', `the backend rejected the input: ${message}`);
  if (e instanceof CrashError) return unanswered(task, 'crash', message);
  if (e instanceof TimeoutError) return unanswered(task, 'timeout', message);
  return unanswered(task, 'error', `${(e as Error)?.name ?? 'Error'}: ${message}`);
}

function responseTest(task: AcvpTask, a: Answer): Record<string, unknown> {
  const out: Record<string, unknown> = { tcId: task.test.tcId };
  for (const name of Object.keys(task.answers)) {
    const v = a.values[name];
    out[name] = v instanceof Uint8Array ? toHex(v).toUpperCase() : v;
  }
  return out;
}

/** Answer every task on one backend; `progress` hears `done/total` now and then. */
export async function respond(prompt: AcvpFile, tasks: readonly AcvpTask[], backend: Backend, progress?: (done: number, total: number) => void): Promise<Responded> {
  const groups = new Map<number, Record<string, unknown>[]>();
  const missing: Unanswered[] = [];
  const findings: TestFindings[] = [];
  let answered = 0;
  for (const [i, task] of tasks.entries()) {
    const cannot = staticSkip(backend, task);
    if (cannot) missing.push(unanswered(task, 'unsupported', cannot));
    else {
      try {
        const a = await task.answer(backend);
        const tests = groups.get(task.test.tgId) ?? [];
        tests.push(responseTest(task, a));
        groups.set(task.test.tgId, tests);
        answered++;
      } catch (e) {
        missing.push(classify(task, e));
      }
      const f = (await backend.drainFindings?.()) ?? [];
      if (f.length) findings.push({ tgId: task.test.tgId, tcId: task.test.tcId, findings: f });
    }
    if ((i + 1) % 100 === 0) progress?.(i + 1, tasks.length);
  }
  const header: Record<string, unknown> = { vsId: prompt.vsId, algorithm: prompt.algorithm, mode: prompt.mode, revision: prompt.revision };
  if (prompt.isSample !== undefined) header.isSample = prompt.isSample;
  // Map keeps first-insertion order, which is the prompt's group order.
  const testGroups = [...groups].map(([tgId, tests]) => ({ tgId, tests }));
  return { response: { ...header, testGroups }, tests: tasks.length, answered, unanswered: missing, findings };
}
