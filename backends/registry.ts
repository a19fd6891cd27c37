// Backend specs as the CLI names them, and how each is opened in this process.
// Where a backend runs (in process, in a child, under valgrind) is the host's
// business: see harness/hosts/.

import type { Backend } from '../harness/contract.ts';
import type { WrapperBackend, WrapperOptions } from '../harness/hosts/child-host.ts';

export interface OpenOptions {
  /** A liboqs shared library to use instead of the one setup builds. */
  liboqs?: string;
  /** Per-call timeout, for backends that are their own process (ownProcess). */
  timeoutMs?: number;
}

export interface BackendSpecInfo {
  /** How the spec is written on the command line. */
  spec: string;
  summary: string;
  /** Native code: run in a child host by default so a crash costs one case. */
  native: boolean;
  /**
   * Already runs in its own process (a module wrapper): the child host opens it
   * directly. A node child around it would turn its crashes into plain errors.
   */
  ownProcess?: boolean;
}

export const BACKEND_KINDS: readonly BackendSpecInfo[] = [
  { spec: 'noble', summary: '@noble/post-quantum (pure JS), in process', native: false },
  { spec: 'rust', summary: "native/: the project's cdylib over RustCrypto ml-kem + ml-dsa (koffi)", native: true },
  { spec: 'liboqs', summary: 'liboqs C library, built by setup or given by --liboqs / PQC_LIBOQS (koffi)', native: true },
  { spec: 'json-abi:PATH', summary: 'any library of the heap-JSON shape with pqc_free_string (koffi)', native: true },
  { spec: 'process:CMD', summary: 'any program speaking the acvptool module-wrapper protocol', native: true, ownProcess: true },
  { spec: 'python', summary: "backends/python/pqc_bridge.py: Python ctypes bridge over native/'s JSON ABI (module wrapper)", native: true, ownProcess: true },
  { spec: 'python-seedbug', summary: "FIXTURE: the python bridge with the seed's c_char_p bug (crashes by design)", native: true, ownProcess: true },
  { spec: 'module:PATH', summary: 'a JS/TS module whose default export implements the contract', native: false },
];

export const DEFAULT_BACKENDS = ['noble', 'rust', 'liboqs'] as const;

export function specKind(spec: string): string {
  const i = spec.indexOf(':');
  return i < 0 ? spec : spec.slice(0, i);
}

export function isNativeSpec(spec: string): boolean {
  const kind = specKind(spec);
  return BACKEND_KINDS.some((k) => specKind(k.spec) === kind && k.native);
}

export function isOwnProcessSpec(spec: string): boolean {
  const kind = specKind(spec);
  return BACKEND_KINDS.some((k) => specKind(k.spec) === kind && k.ownProcess);
}

export async function openBackend(spec: string, opts: OpenOptions = {}): Promise<Backend> {
  const kind = specKind(spec);
  const arg = spec.slice(kind.length + 1);
  switch (kind) {
    case 'noble':
      return (await import('./noble.ts')).createNobleBackend();
    case 'module':
      return (await import('./module.ts')).openModuleBackend(need(arg, spec));
    case 'rust':
      return (await import('./rust.ts')).openRustBackend({});
    case 'liboqs':
      return (await import('./liboqs.ts')).openLiboqsBackend(opts.liboqs ? { library: opts.liboqs } : {});
    case 'json-abi':
      return (await import('./json-abi.ts')).openJsonAbiBackend(need(arg, spec));
    case 'process':
    case 'python':
    case 'python-seedbug':
      return openOwnProcess(spec, { timeoutMs: opts.timeoutMs });
    default:
      throw new Error(`unknown backend '${spec}'; known: ${BACKEND_KINDS.map((k) => k.spec).join(', ')}`);
  }
}

/**
 * A backend that is its own process, opened with the options a host asks for:
 * a memory checker's prefix command and environment then apply to that process
 * itself, not to a node child around it.
 */
export async function openOwnProcess(spec: string, opts: WrapperOptions & { python?: string } = {}): Promise<WrapperBackend> {
  const kind = specKind(spec);
  switch (kind) {
    case 'process':
      return (await import('./process.ts')).openProcessBackend(need(spec.slice(kind.length + 1), spec), opts);
    case 'python':
    case 'python-seedbug':
      return (await import('./python.ts')).openPythonBackend({ ...opts, variant: kind });
    default:
      throw new Error(`backend '${spec}' is not its own process`);
  }
}

function need(arg: string, spec: string): string {
  if (!arg) throw new Error(`backend '${spec}' needs a value after the colon`);
  return arg;
}
