// The in-process host: the backend runs on the runner's own thread. Fastest to
// debug and the one `run --coverage` measures, but with no isolation: a native
// crash ends the run. It still judges what the backend does exactly as the
// other hosts do:
//   - every call gets copies of its inputs (a backend that writes into them
//     cannot touch the harness's vectors, or another backend's);
//   - every answer passes the same shape check the served side of the child
//     and worker hosts applies (commands.ts checkResult): a verdict must be a
//     boolean, bytes a Uint8Array;
//   - a call that does not settle within the timeout is a TimeoutError (the
//     promise is abandoned: nothing here can stop it);
//   - a thrown value that is not an Error becomes one, and process.exit
//     called during a call throws instead of ending the run.

import type { Backend, DsaApi, KemApi } from '../../model/contract.ts';
import { TimeoutError } from '../../model/errors.ts';
import { checkResult, OP_WIRES } from '../../backends/modulewrapper/commands.ts';
import { openBackend, type BackendSpec, type OpenOptions } from '../../backends/registry.ts';
import { DEFAULT_CALL_TIMEOUT_MS } from '../../backends/modulewrapper/client.ts';

const copy = (a: unknown): unknown => (a instanceof Uint8Array ? a.slice() : a);

/** Errors as the runner expects them: an Error, whatever the backend threw. */
function asError(e: unknown): Error {
  if (e instanceof Error) return e;
  return new Error(`the backend threw ${e === null ? 'null' : typeof e === 'string' ? `the string ${JSON.stringify(e.slice(0, 200))}` : typeof e === 'object' ? 'a non-Error object' : String(e)}`);
}

let callsInFlight = 0;
const realExit = process.exit;

/** While any in-process call runs, process.exit throws instead of ending the run. */
function guardExit<T>(f: () => Promise<T>): Promise<T> {
  if (callsInFlight++ === 0) {
    process.exit = ((code?: number) => {
      throw new Error(`the backend called process.exit(${code ?? ''}) during a call`);
    }) as typeof process.exit;
  }
  return f().finally(() => {
    if (--callsInFlight === 0) process.exit = realExit;
  });
}

export function guardedBackend(b: Backend, timeoutMs: number): Backend {
  const wrap = <T extends object>(family: 'kem' | 'dsa', api: T | undefined): T | undefined => {
    if (!api) return undefined;
    const o: Record<string, unknown> = {};
    for (const w of OP_WIRES.filter((x) => x.family === family)) {
      const fn = (api as Record<string, unknown>)[w.method];
      if (typeof fn !== 'function') continue;
      o[w.method] = (...args: unknown[]) =>
        guardExit(async () => {
          let timer: NodeJS.Timeout | undefined;
          const stall = new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new TimeoutError(`${w.op}: no answer within ${timeoutMs} ms (in process: the call is abandoned, not stopped)`, timeoutMs, '')), timeoutMs);
          });
          try {
            const r = await Promise.race([Promise.resolve().then(() => (fn as (...a: unknown[]) => unknown).apply(api, args.map(copy))), stall]);
            checkResult(w, r);
            return r;
          } catch (e) {
            throw asError(e);
          } finally {
            clearTimeout(timer);
          }
        });
    }
    return o as T;
  };
  const kem = wrap<KemApi>('kem', b.kem);
  const dsa = wrap<DsaApi>('dsa', b.dsa);
  return {
    describe: () => b.describe(),
    capabilities: () => b.capabilities(),
    ...(kem ? { kem } : {}),
    ...(dsa ? { dsa } : {}),
    ...(b.close ? { close: () => b.close!() } : {}),
    ...(b.drainFindings ? { drainFindings: () => b.drainFindings!() } : {}),
    ...(b.exitFindings ? { exitFindings: () => b.exitFindings!() } : {}),
    ...(b.stats ? { stats: () => b.stats!() } : {}),
  };
}

export async function openInprocBackend(spec: BackendSpec, opts: OpenOptions = {}): Promise<Backend> {
  // A backend that is its own process is driven through the module-wrapper client, which already judges its answers.
  if (spec.kind.ownProcess) return openBackend(spec, opts);
  return guardedBackend(await openBackend(spec, opts), opts.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS);
}
