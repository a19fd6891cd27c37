// Where a backend runs: one table of hosts behind one interface. Suites never
// know: they get a Backend either way.
//
//   inproc    the runner's own thread (no isolation: for debugging and `--coverage`)
//   worker    a worker thread serving a JavaScript backend over the module-wrapper
//             commands (worker.ts): the default for JavaScript backends
//   child     a node child serving the backend over the module-wrapper protocol
//             (child.ts), the default for native backends; a backend that is
//             its own process is opened directly
//   valgrind  the child (or the wrapper program itself) under memcheck (valgrind.ts)
//   asan      the child (or the wrapper program) with gcc's ASan runtime (asan.ts)
//   ct        the child under memcheck as a taint tracker: secret inputs marked,
//             branches and addresses that depend on them reported (ct.ts)

import type { Backend } from '../../model/contract.ts';
import { openBackend, type BackendSpec, type OpenOptions } from '../../backends/registry.ts';
import type { WrapperBackend } from '../../backends/modulewrapper/client.ts';
import { withDerivedOps } from '../../backends/derived.ts';
import type { CrucibleBackend } from '../../backends/crucible.ts';
import { decideCrucibleDialect, decideDialect } from '../dialect.ts';
import { env } from '../../model/config.ts';

export interface HostOptions extends OpenOptions {
  /** Per-call timeout for out-of-process hosts. */
  timeoutMs?: number;
  /**
   * Instances serving one backend at once (`--jobs`): worker threads or
   * processes. The memory-checking hosts always run one (their findings are
   * attributed call by call).
   */
  instances?: number;
}

export interface Host {
  summary: string;
  open(spec: BackendSpec, opts: HostOptions): Promise<Backend>;
}

/** THE table of hosts: add a row to add a host. */
export const HOSTS = {
  inproc: {
    summary: "the runner's own thread: no isolation (debugging, `--coverage`)",
    async open(spec, opts) {
      const { openInprocBackend } = await import('./inproc.ts');
      return openInprocBackend(spec, opts);
    },
  },
  worker: {
    summary: 'a worker thread (JavaScript backends); respawned after a crash or a timeout',
    async open(spec, opts) {
      if (spec.kind.native) throw new Error(`${spec.text} is native code: a crash in a worker thread would end the run; use the child host`);
      const { openWorkerBackend } = await import('./worker.ts');
      return openWorkerBackend(spec.text, { timeoutMs: opts.timeoutMs, liboqs: opts.liboqs, instances: opts.instances });
    },
  },
  child: {
    summary: 'a child process speaking the module-wrapper protocol; respawned after a crash or a timeout',
    async open(spec, opts) {
      // A module wrapper is already its own process: a node child around it would report its crashes as plain errors.
      if (spec.kind.ownProcess) return openBackend(spec, opts);
      const { openChildBackend } = await import('./child.ts');
      // From one bundled file a child starts in 0.12 s, not 0.30 s through tsx. The harness's
      // own coverage (NODE_V8_COVERAGE, `npm test`) maps the child through tsx's source maps.
      const { bundledChild } = await import('./bundle.ts');
      const bundled = env('NODE_V8_COVERAGE') ? null : await bundledChild(spec);
      return openChildBackend(bundled?.spec ?? spec.text, {
        timeoutMs: opts.timeoutMs,
        env: opts.liboqs ? { PQC_LIBOQS: opts.liboqs } : undefined,
        ...(bundled ? { entry: bundled.entry, nodeFlags: ['--enable-source-maps'] } : {}),
        ...(opts.instances ? { instances: opts.instances } : {}),
      });
    },
  },
  valgrind: {
    summary: 'the child under memcheck; findings per call, leaks at exit',
    async open(spec, opts) {
      const { openValgrindBackend } = await import('./valgrind.ts');
      return openValgrindBackend(spec, { timeoutMs: opts.timeoutMs, ...(opts.liboqs ? { liboqs: opts.liboqs } : {}) });
    },
  },
  asan: {
    summary: "the child with gcc's AddressSanitizer runtime preloaded (the ASan build of native/ for `rust`)",
    async open(spec, opts) {
      const { openAsanBackend } = await import('./asan.ts');
      return openAsanBackend(spec, { timeoutMs: opts.timeoutMs, ...(opts.liboqs ? { liboqs: opts.liboqs } : {}) });
    },
  },
  ct: {
    summary: 'the child under memcheck with secret inputs marked: secret-dependent branches and memory accesses are findings',
    async open(spec, opts) {
      const { openCtBackend } = await import('./ct.ts');
      return openCtBackend(spec, { timeoutMs: opts.timeoutMs, ...(opts.liboqs ? { liboqs: opts.liboqs } : {}) });
    },
  },
} as const satisfies Record<string, Host>;

export type HostKind = keyof typeof HOSTS;
export const HOST_KINDS = Object.keys(HOSTS) as HostKind[];

export function isHostKind(s: string): s is HostKind {
  return Object.hasOwn(HOSTS, s);
}

/**
 * `auto`: native backends in a child (a crash costs one case), JavaScript in a
 * worker thread; in process when the run measures the JavaScript's coverage
 * (V8 counts it in the thread that runs it).
 */
export function chooseHost(spec: BackendSpec, requested: HostKind | 'auto', opts: { coverage?: boolean } = {}): HostKind {
  if (requested !== 'auto') return requested;
  if (spec.kind.native) return 'child';
  return opts.coverage ? 'inproc' : 'worker';
}

/**
 * Open a backend on a host, then settle what its declaration leaves open: a
 * module wrapper's dialect by known-answer probes (harness/dialect.ts), and
 * the ML-DSA operations derivable from a lower interface (backends/derived.ts).
 */
export async function openHosted(spec: BackendSpec, host: HostKind, opts: HostOptions = {}): Promise<Backend> {
  const b = await HOSTS[host].open(spec, opts);
  const wrapper = isWrapperBackend(b);
  try {
    if (wrapper) await decideDialect(b);
    if (isCrucibleBackend(b)) await decideCrucibleDialect(b);
  } catch (e) {
    await b.close?.();
    throw e;
  }
  // Only a wrapper without the harness's extension commands meets calls its standard commands cannot carry.
  return withDerivedOps(b, { fallbacks: wrapper && !b.peer.extension });
}

function isCrucibleBackend(b: Backend): b is CrucibleBackend {
  return typeof (b as Partial<CrucibleBackend>).probeSign === 'function';
}

function isWrapperBackend(b: Backend): b is WrapperBackend {
  return typeof (b as Partial<WrapperBackend>).probe === 'function' && typeof (b as Partial<WrapperBackend>).applyDialect === 'function';
}
