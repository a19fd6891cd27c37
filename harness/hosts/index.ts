// Where a backend runs: one table of hosts behind one interface. Suites never
// know: they get a Backend either way.
//
//   inproc    the runner's own thread (fast; a crash costs the run)
//   child     a node child serving the backend over the module-wrapper protocol
//             (child.ts); a backend that is its own process is opened directly
//   valgrind  the child (or the wrapper program itself) under memcheck (valgrind.ts)
//   asan      the child (or the wrapper program) with gcc's ASan runtime (asan.ts)
//   ct        the child under memcheck as a taint tracker: secret inputs marked,
//             branches and addresses that depend on them reported (ct.ts)

import type { Backend } from '../../model/contract.ts';
import { openBackend, type BackendSpec, type OpenOptions } from '../../backends/registry.ts';

export interface HostOptions extends OpenOptions {
  /** Per-call timeout for out-of-process hosts. */
  timeoutMs?: number;
}

export interface Host {
  summary: string;
  open(spec: BackendSpec, opts: HostOptions): Promise<Backend>;
}

/** THE table of hosts: add a row to add a host. */
export const HOSTS = {
  inproc: {
    summary: "the runner's process",
    open: (spec, opts) => openBackend(spec, opts),
  },
  child: {
    summary: 'a child process speaking the module-wrapper protocol; respawned after a crash or a timeout',
    async open(spec, opts) {
      // A module wrapper is already its own process: a node child around it would report its crashes as plain errors.
      if (spec.kind.ownProcess) return openBackend(spec, opts);
      const { openChildBackend } = await import('./child.ts');
      return openChildBackend(spec.text, { timeoutMs: opts.timeoutMs, env: opts.liboqs ? { PQC_LIBOQS: opts.liboqs } : undefined });
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

/** `auto`: native backends in a child (a crash costs one case), JS in process. */
export function chooseHost(spec: BackendSpec, requested: HostKind | 'auto'): HostKind {
  if (requested !== 'auto') return requested;
  return spec.kind.native ? 'child' : 'inproc';
}

export function openHosted(spec: BackendSpec, host: HostKind, opts: HostOptions = {}): Promise<Backend> {
  return HOSTS[host].open(spec, opts);
}
