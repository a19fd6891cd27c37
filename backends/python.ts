// `python` and `python-seedbug`: the ctypes bridges in backends/python/, driven
// over the module-wrapper protocol by the child-host machinery. The chain under
// test is TypeScript → Python (ctypes) → Rust (native/'s JSON ABI).
//
// - python:          pqc_bridge.py, correct ownership of the library's heap strings.
// - python-seedbug:  pqc_bridge_seedbug.py, a FIXTURE with the seed's bug
//                    (restype c_char_p, then the bytes passed to pqc_free_string):
//                    every JSON call aborts in glibc. It exists to show what the
//                    harness makes of that (harness/hosts/crash-stderr.ts, model/diagnoses.ts).
//
// The bridge is its own process, so it needs no node child around it: a crash
// kills the Python process only and costs the one call being served.
//
// Interpreter: opts.python, else $PQC_PYTHON, else `python3`. Under valgrind use
// Debian's /usr/bin/python3 with PYTHONMALLOC=malloc (a pyenv build gave 632 false errors; a pyenv
// `python3` on PATH is a shell shim). Library: opts.library, else
// $PQC_RUST_LIB, else <repo>/target/release/libpqc_native.so (the bridge decides).

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { BackendInfo } from '../model/contract.ts';
import { WrapperConnection, openWrapperBackend, type WrapperBackend, type WrapperOptions } from './modulewrapper/client.ts';
import { env } from '../model/config.ts';
import { packagePath } from '../model/package.ts';

export const PYTHON_BRIDGES = {
  python: packagePath('backends/python/pqc_bridge.py'),
  'python-seedbug': packagePath('backends/python/pqc_bridge_seedbug.py'),
} as const;
export type PythonVariant = keyof typeof PYTHON_BRIDGES;

export interface PythonBackendOptions extends WrapperOptions {
  /** Which bridge: `python` (default) or the `python-seedbug` fixture. */
  variant?: PythonVariant;
  /** The interpreter. Default $PQC_PYTHON or `python3`. */
  python?: string;
  /** libpqc_native (or any library with the JSON ABI). Default: the bridge's own default. */
  library?: string;
}

/** argv of a bridge process (a memory-checking host puts its wrapper in front). */
export function pythonArgv(opts: Pick<PythonBackendOptions, 'variant' | 'python'> = {}): string[] {
  const python = opts.python ?? env('PQC_PYTHON') ?? 'python3';
  // -u: unbuffered stdio (the bridge writes frames to a raw fd anyway; this keeps stderr lines whole before a crash).
  return [python, '-u', PYTHON_BRIDGES[opts.variant ?? 'python']];
}

const resolved = new Map<string, Promise<string>>();

/**
 * The interpreter's real path. `python3` on PATH may be a pyenv shim (a shell
 * script costing ~0.3 s per start, paid again at every respawn after a crash):
 * ask it once for sys.executable. Falls back to the name as given.
 */
export function realInterpreter(python: string): Promise<string> {
  let r = resolved.get(python);
  if (!r) {
    r = promisify(execFile)(python, ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8', timeout: 30_000 }).then(
      ({ stdout }) => stdout.trim() || python,
      () => python,
    );
    resolved.set(python, r);
  }
  return r;
}

export async function openPythonBackend(opts: PythonBackendOptions = {}): Promise<WrapperBackend> {
  const variant = opts.variant ?? 'python';
  const argv = pythonArgv({ variant, python: await realInterpreter(opts.python ?? env('PQC_PYTHON') ?? 'python3') });
  const childEnv = { ...(opts.library ? { PQC_RUST_LIB: opts.library } : {}), ...opts.env };
  const conn = WrapperConnection.spawn(argv, { ...opts, env: childEnv });
  const fallback: BackendInfo = { id: variant, name: argv.join(' '), version: 'unknown', kind: 'python' };
  return openWrapperBackend(conn, fallback, (info) => ({
    ...info,
    notes: [...(info.notes ?? []), `process: ${argv.join(' ')}${opts.wrap?.length ? ` under ${opts.wrap[0]}` : ''} (module-wrapper protocol)`],
  }));
}
