// Where a backend runs. Suites never know: they get a Backend either way.

import type { Backend } from '../contract.ts';
import { isNativeSpec, isOwnProcessSpec, openBackend, type OpenOptions } from '../../backends/registry.ts';

export const HOSTS = ['inproc', 'child', 'valgrind', 'asan'] as const;
export type HostKind = (typeof HOSTS)[number];

export interface HostOptions extends OpenOptions {
  /** Per-call timeout for out-of-process hosts. */
  timeoutMs?: number;
}

/** `auto`: native backends in a child (a crash costs one case), JS in process. */
export function chooseHost(spec: string, requested: HostKind | 'auto'): HostKind {
  if (requested !== 'auto') return requested;
  return isNativeSpec(spec) ? 'child' : 'inproc';
}

export async function openHosted(spec: string, host: HostKind, opts: HostOptions = {}): Promise<Backend> {
  switch (host) {
    case 'inproc':
      return openBackend(spec, opts);
    case 'child': {
      // A module wrapper is already its own process: a node child around it would report its crashes as plain errors.
      if (isOwnProcessSpec(spec)) return openBackend(spec, opts);
      const { openChildBackend } = await import('./child-host.ts');
      return openChildBackend(spec, { timeoutMs: opts.timeoutMs, env: opts.liboqs ? { PQC_LIBOQS: opts.liboqs } : undefined });
    }
    case 'valgrind': {
      // memcheck under the child host; findings per call (drainFindings), leaks at exit (exitFindings).
      const { openValgrindBackend } = await import('../memcheck/valgrind-host.ts');
      return openValgrindBackend(spec, { timeoutMs: opts.timeoutMs, ...(opts.liboqs ? { liboqs: opts.liboqs } : {}) });
    }
    case 'asan': {
      // ASan runtime preloaded; `rust` loads the ASan build of native/ (built on first use).
      const { openAsanBackend } = await import('../memcheck/asan.ts');
      return openAsanBackend(spec, { timeoutMs: opts.timeoutMs, ...(opts.liboqs ? { liboqs: opts.liboqs } : {}) });
    }
    default:
      throw new Error(`host '${host}' is not available in this build`);
  }
}
