// The worker host's thread: opens one registry backend (a JavaScript one:
// noble, module:) and serves it over the module-wrapper commands on its
// message port, exactly as the child host serves on stdin/stdout. Requests are
// arrays of byte strings, cloned on the way in: a backend that writes into its
// inputs touches only its copy.

import { parentPort, workerData } from 'node:worker_threads';
import { serveRequests } from '../../backends/modulewrapper/server.ts';
import { openBackend, parseSpec } from '../../backends/registry.ts';

const { spec, liboqs } = workerData as { spec: string; liboqs?: string };
const port = parentPort!;

/** The requests posted by the parent, until it posts 'end' (then the port closes). */
async function* requests(): AsyncIterable<Uint8Array[]> {
  const waiting: ((m: Uint8Array[] | 'end') => void)[] = [];
  const queued: (Uint8Array[] | 'end')[] = [];
  port.on('message', (m: Uint8Array[] | 'end') => {
    const w = waiting.shift();
    if (w) w(m);
    else queued.push(m);
  });
  for (;;) {
    const m = queued.shift() ?? (await new Promise<Uint8Array[] | 'end'>((r) => waiting.push(r)));
    if (m === 'end') return;
    yield m;
  }
}

const backend = await openBackend(parseSpec(spec), liboqs ? { liboqs } : {});
await serveRequests(backend, requests(), (parts) => port.postMessage(parts));
await backend.close?.();
port.close();
