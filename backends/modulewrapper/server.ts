// Serve a Backend over the module-wrapper protocol on a byte stream: the body
// of the child host (harness/hosts/child-main.ts), testable in process.

import type { Backend } from '../../model/contract.ts';
import type { SecretMarks } from '../secret-marks.ts';
import { FrameDecoder, encodeFrame, textOf } from './codec.ts';
import { buildConfig, handleRequest, type Served } from './commands.ts';

export function servedBackend(backend: Backend, marks?: SecretMarks | null): Served {
  const caps = backend.capabilities();
  return { backend, caps, config: buildConfig(caps), describe: () => backend.describe(), marks };
}

/**
 * Called around every request served (the valgrind host's per-call markers):
 * `before` just before the backend runs it, `after` once it is done and
 * before its response is written. `seq` counts requests from 1.
 */
export interface ServeHooks {
  before?(seq: number, command: string): void;
  after?(seq: number, command: string): void;
  /** The constant-time host's secret marks (backends/secret-marks.ts), applied around every backend call. */
  marks?: SecretMarks | null;
}

/**
 * Answer each request of `requests` in order with `write`. Requests may be
 * pipelined; they are handled one at a time, in arrival order (the parent
 * attributes a crash to the oldest unanswered request). Resolves when the
 * requests end and every response has been written.
 */
export async function serveRequests(backend: Backend, requests: AsyncIterable<Uint8Array[]>, write: (parts: Uint8Array[]) => void, hooks: ServeHooks = {}): Promise<void> {
  const served = servedBackend(backend, hooks.marks);
  let seq = 0;
  for await (const frame of requests) {
    const n = ++seq;
    const command = hooks.before || hooks.after ? textOf(frame[0]) : '';
    hooks.before?.(n, command);
    const resp = await handleRequest(served, frame);
    hooks.after?.(n, command);
    if (resp) write(resp);
  }
}

/** serveRequests over a byte stream in the module-wrapper framing; rejects on a framing error. */
export function serveModuleWrapper(backend: Backend, input: AsyncIterable<Uint8Array>, write: (b: Uint8Array) => void, hooks: ServeHooks = {}): Promise<void> {
  const decoder = new FrameDecoder();
  async function* frames(): AsyncIterable<Uint8Array[]> {
    for await (const chunk of input) yield* decoder.push(chunk);
  }
  return serveRequests(backend, frames(), (parts) => write(encodeFrame(parts)), hooks);
}
