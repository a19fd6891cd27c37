// Backend specs as the CLI names them (`noble`, `json-abi:PATH`, `process:CMD`),
// parsed once into a BackendSpec, and how each kind is opened in this process.
// Where a backend runs (in process, in a child, under valgrind) is the host's
// business: see harness/hosts/.

import { dirname, resolve } from 'node:path';
import type { Backend, BackendKind } from '../model/contract.ts';
import { noblePackageDir } from './noble-package.ts';
import type { ProcessBackend, WrapperOptions } from './modulewrapper/client.ts';

export interface OpenOptions {
  /** A liboqs shared library to use instead of the one setup builds. */
  liboqs?: string;
  /** Per-call timeout, for backends that are their own process (ownProcess). */
  timeoutMs?: number;
  /** Processes serving at once, for backends that are their own process (`--jobs`). */
  instances?: number;
  /**
   * How a `module:` backend's file is loaded, in process only (a test runner's
   * own loader, so TypeScript loads as in the user's other tests).
   */
  load?: (absPath: string) => Promise<unknown>;
}

export const KIND_NAMES = ['noble', 'rust', 'liboqs', 'json-abi', 'process', 'crucible', 'python', 'python-seedbug', 'module'] as const;
export type KindName = (typeof KIND_NAMES)[number];

export interface BackendKindInfo {
  name: KindName;
  /** How the spec is written on the command line (`json-abi:PATH`). */
  usage: string;
  summary: string;
  /** What describe() reports as its kind (also recorded for a backend that could not be opened). */
  reports: BackendKind;
  /** The spec carries a value after the colon. */
  takesArg: boolean;
  /** Native code: run in a child host by default so a crash costs one case. */
  native: boolean;
  /**
   * Already runs in its own process (a module wrapper): hosts open it directly.
   * A node child around it would turn its crashes into plain errors.
   */
  ownProcess: boolean;
  /**
   * JavaScript backends: the folder whose files are the implementation under
   * test, the ones `run --coverage` reports on (node_modules below it excluded).
   */
  coverageRoot?: (arg: string | undefined) => string;
}

/** THE table of backend kinds: add a row to add a kind. */
export const BACKEND_KINDS: readonly BackendKindInfo[] = [
  { name: 'noble', usage: 'noble', summary: '@noble/post-quantum (pure JS), in process', reports: 'js', takesArg: false, native: false, ownProcess: false, coverageRoot: () => noblePackageDir() },
  { name: 'rust', usage: 'rust', summary: "native/: the project's cdylib over RustCrypto ml-kem + ml-dsa (koffi)", reports: 'cdylib', takesArg: false, native: true, ownProcess: false },
  { name: 'liboqs', usage: 'liboqs', summary: 'liboqs C library, built by setup or given by --liboqs / PQC_LIBOQS (koffi)', reports: 'liboqs', takesArg: false, native: true, ownProcess: false },
  { name: 'json-abi', usage: 'json-abi:PATH', summary: 'any library of the heap-JSON shape with pqc_free_string (koffi)', reports: 'json-abi', takesArg: true, native: true, ownProcess: false },
  { name: 'process', usage: 'process:CMD', summary: 'any program speaking the acvptool module-wrapper protocol', reports: 'process', takesArg: true, native: true, ownProcess: true },
  { name: 'crucible', usage: 'crucible:CMD', summary: "any program speaking symbolicsoft/crucible's JSON-lines harness protocol", reports: 'crucible', takesArg: true, native: true, ownProcess: true },
  { name: 'python', usage: 'python', summary: "backends/python/pqc_bridge.py: Python ctypes bridge over native/'s JSON ABI (module wrapper)", reports: 'python', takesArg: false, native: true, ownProcess: true },
  { name: 'python-seedbug', usage: 'python-seedbug', summary: "FIXTURE: the python bridge with the seed's c_char_p bug (crashes by design)", reports: 'python', takesArg: false, native: true, ownProcess: true },
  { name: 'module', usage: 'module:PATH', summary: 'a JS/TS module whose default export implements the contract', reports: 'module', takesArg: true, native: false, ownProcess: false, coverageRoot: (arg) => dirname(resolve(arg!)) },
];

export const DEFAULT_BACKENDS = ['noble', 'rust', 'liboqs'] as const;

/** A backend spec, parsed: the text is the backend's id in results. */
export interface BackendSpec {
  /** As written (`process:./wrapper --fast`), or the name a caller gives it (a fleet wrapper's): the id everywhere downstream. */
  text: string;
  kind: BackendKindInfo;
  /** The value after the colon, for kinds that take one. */
  arg?: string;
}

/** A spec that cannot be a backend: a usage error (exit 2). */
export class SpecError extends Error {
  override name = 'SpecError';
}

export function parseSpec(text: string): BackendSpec {
  const i = text.indexOf(':');
  const name = i < 0 ? text : text.slice(0, i);
  const kind = BACKEND_KINDS.find((k) => k.name === name);
  if (!kind) throw new SpecError(`unknown backend '${text}'; known: ${BACKEND_KINDS.map((k) => k.usage).join(', ')}`);
  if (!kind.takesArg) {
    if (i >= 0) throw new SpecError(`backend '${name}' takes no value after a colon (got '${text}')`);
    return { text, kind };
  }
  const arg = i < 0 ? '' : text.slice(i + 1);
  if (!arg.trim()) throw new SpecError(`backend '${text}' needs a value: ${kind.usage}`);
  return { text, kind, arg };
}

export async function openBackend(spec: BackendSpec, opts: OpenOptions = {}): Promise<Backend> {
  switch (spec.kind.name) {
    case 'noble':
      return (await import('./noble.ts')).createNobleBackend();
    case 'module':
      return (await import('./module.ts')).openModuleBackend(spec.arg!, opts.load);
    case 'rust':
      return (await import('./rust.ts')).openRustBackend({});
    case 'liboqs':
      return (await import('./liboqs.ts')).openLiboqsBackend(opts.liboqs ? { library: opts.liboqs } : {});
    case 'json-abi':
      return (await import('./json-abi.ts')).openJsonAbiBackend(spec.arg!);
    case 'process':
    case 'crucible':
    case 'python':
    case 'python-seedbug':
      return openOwnProcess(spec, { timeoutMs: opts.timeoutMs, ...(opts.instances ? { instances: opts.instances } : {}) });
  }
}

/**
 * A backend that is its own process, opened with the options a host asks for:
 * a memory checker's prefix command and environment then apply to that process
 * itself, not to a node child around it.
 */
export async function openOwnProcess(spec: BackendSpec, opts: WrapperOptions & { python?: string } = {}): Promise<ProcessBackend> {
  switch (spec.kind.name) {
    case 'process':
      return (await import('./process.ts')).openProcessBackend(spec.arg!, opts);
    case 'crucible':
      return (await import('./crucible.ts')).openCrucibleBackend(spec.arg!, opts);
    case 'python':
    case 'python-seedbug':
      return (await import('./python.ts')).openPythonBackend({ ...opts, variant: spec.kind.name });
    default:
      throw new Error(`backend '${spec.text}' is not its own process`);
  }
}
