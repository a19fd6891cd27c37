// Serve a Backend over the module-wrapper protocol on a byte stream: the body
// of the child host (harness/hosts/child-main.ts), testable in process.

import type { Backend } from '../contract.ts';
import { FrameDecoder, encodeFrame } from './codec.ts';
import { buildConfig, handleRequest, type Served } from './commands.ts';

export function servedBackend(backend: Backend): Served {
  const caps = backend.capabilities();
  return { backend, caps, config: buildConfig(caps), describe: () => backend.describe() };
}

/**
 * Read requests from `input`, answer each in order with `write`. Requests may
 * be pipelined; they are handled one at a time, in arrival order (the parent
 * attributes a crash to the oldest unanswered request). Resolves when the
 * input ends and every response has been written; rejects on a framing error.
 */
export function serveModuleWrapper(backend: Backend, input: AsyncIterable<Uint8Array>, write: (b: Uint8Array) => void): Promise<void> {
  const served = servedBackend(backend);
  const decoder = new FrameDecoder();
  return (async () => {
    for await (const chunk of input) {
      for (const frame of decoder.push(chunk)) {
        const resp = await handleRequest(served, frame);
        if (resp) write(encodeFrame(resp));
      }
    }
  })();
}
