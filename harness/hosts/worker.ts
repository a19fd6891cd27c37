// The worker host: a JavaScript backend (noble, module:) in a worker thread,
// served over the same module-wrapper commands as the child host
// (worker-main.ts), so the orchestrating thread does no crypto and no backend
// stalls another's replies. What a backend does to its thread costs its calls,
// never the run: a plugin that calls process.exit ends its worker (a crash of
// that call); one that throws something odd, hangs in a loop or never settles a
// promise times out and its worker is terminated; either way the next call
// gets a fresh worker. Inputs are cloned into the worker, so no backend ever
// holds the harness's vector bytes.
//
// A crash of native code in a worker would take the process down: native
// backends run in the child host.

import { Worker } from 'node:worker_threads';
import type { BackendInfo } from '../../model/contract.ts';
import { pathToFileURL } from 'node:url';
import { COMPILED, modulePath, packagePath } from '../../model/package.ts';
import { WrapperConnection, openWrapperBackend, type WrapperBackend } from '../../backends/modulewrapper/client.ts';
import type { LinkFactory } from '../../backends/modulewrapper/link.ts';

const utf8 = new TextEncoder();

const WORKER_MAIN = 'harness/hosts/worker-main.ts';

function workerLink(spec: string, liboqs: string | undefined): LinkFactory {
  // A source checkout starts the thread through a plain-JavaScript boot file that registers tsx first.
  const main = modulePath(WORKER_MAIN);
  const file = COMPILED ? main : packagePath('harness/hosts/worker-boot.mjs');
  return (ev) => {
    const w = new Worker(file, { workerData: { spec, entry: pathToFileURL(main).href, ...(liboqs ? { liboqs } : {}) }, stdout: true, stderr: true });
    // Pending calls keep the event loop alive through their timers; an idle worker must not.
    w.unref();
    w.stdout.setEncoding('utf8').on('data', (s: string) => ev.onStderr(s));
    w.stderr.setEncoding('utf8').on('data', (s: string) => ev.onStderr(s));
    w.on('message', (parts: Uint8Array[]) => {
      ev.onMessage(parts);
      ev.onDelivered();
    });
    // An uncaught exception (or a thrown non-Error) ends the worker: its text is the crash's stderr.
    w.on('error', (e: unknown) => ev.onStderr(`uncaught in the worker: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`));
    w.on('exit', (code) => ev.onDeath({ code, signal: null }));
    return {
      send: (parts) => w.postMessage(parts.map((p) => (typeof p === 'string' ? utf8.encode(p) : p))),
      end: () => w.postMessage('end'),
      kill: () => void w.terminate(),
      pid: undefined,
    };
  };
}

export interface WorkerHostOptions {
  timeoutMs?: number;
  liboqs?: string;
  /** Worker threads serving this backend at once (`--jobs`). Default 1. */
  instances?: number;
}

export async function openWorkerBackend(spec: string, opts: WorkerHostOptions = {}): Promise<WrapperBackend> {
  const conn = new WrapperConnection(workerLink(spec, opts.liboqs), { ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}), ...(opts.instances ? { instances: opts.instances } : {}) });
  const fallback: BackendInfo = { id: spec, name: spec, version: 'unknown', kind: 'js' };
  return openWrapperBackend(conn, fallback, (info) => ({
    ...info,
    notes: [...(info.notes ?? []), `hosted in ${opts.instances && opts.instances > 1 ? `${opts.instances} worker threads` : 'a worker thread'} (module-wrapper commands)`],
  }));
}
