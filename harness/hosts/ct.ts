// `--host ct`: constant-time checking, the valgrind way (liboqs, PQClean's
// TIMECOP, mlkem-native): memcheck run as a taint tracker over the child host.
//
// Rules, each with its reason:
// - Secret inputs are marked undefined (native/shim/ctmark.c) in the child,
//   just before the backend call, on the memory the library reads; which
//   inputs are secret is model/secrets.ts, one table for every backend. The
//   marks are made by the served side (backends/modulewrapper/commands.ts),
//   so the host needs no knowledge of any backend's buffers.
// - Every output, and every marked input, is declassified as the call
//   returns, before JS reads it: V8 would otherwise branch on secrets in its
//   own code (hashing, string building), and those reports would be the
//   host's, not the library's. Nothing JS does with a secret is checked.
// - --track-origins=yes: a report counts as a timing finding only when its
//   origin is the marking call (valgrind-xml.ts fromSecret). A branch on a
//   secret is `secret-branch`; a secret used as an address is `secret-index`.
//   Other uninitialised reads stay `uninitialised` (a memory bug).
// - Known public leaks (ML-DSA's rejection decision and c̃, ρ and A, the public
//   part of dk) are suppressed per backend (native/valgrind/ct-*.supp), one
//   entry per reason; what they hid is reported at exit (exitNotes).
// - Leak checking is off: leaks are the valgrind host's job, and the exit scan
//   of a node heap costs seconds.
// - JS backends cannot be checked this way: V8 compiles their code at run time
//   and every one of its branches on a secret would be reported without a
//   usable location. A `module:` backend is allowed, for the JS shell around a
//   native library (the self-test fixture is one).
// - A backend that is its own process (`process:`) is run under memcheck
//   itself; it is checked only if it links the shim and marks its own secrets
//   (PQC_CT_MARK names the shim; see native/shim/ctmark.c).

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { BackendSpec, KindName } from '../../backends/registry.ts';
import { DEFAULT_SUPPRESSIONS, SUPPRESSION_DIR, VGMARK_LIB, openValgrindBackend, valgrindAvailable, type MemcheckMode, type ValgrindBackend, type ValgrindHostOptions } from './valgrind.ts';

export const CTMARK_LIB = join(VGMARK_LIB, '..', 'libctmark.so');
export const CT_MODE: MemcheckMode = { leaks: false, origins: true };
/**
 * The child's node runs without its JIT: origin tracking makes every
 * instruction valgrind translates dearer, and V8's generated code is most of
 * them. Measured (child start-up serving rust, loaded 2-core machine, CPU
 * time): 104 s with the JIT, 43 s without; without origins 36 s.
 * `--no-expose-wasm` only silences the warning --jitless prints.
 */
export const CT_NODE_FLAGS = ['--jitless', '--no-expose-wasm'];
/** Start-up under origin tracking on a busy machine took over 5 minutes of wall time with the JIT on. */
export const CT_STARTUP_TIMEOUT_MS = 600_000;

/** Known public leaks, per backend kind: one suppression file each, one entry per reason. */
export const CT_SUPPRESSIONS: Partial<Record<KindName, string>> = {
  rust: 'ct-rust.supp',
  liboqs: 'ct-liboqs.supp',
};

export function ctSuppressions(spec: BackendSpec): string[] {
  const own = CT_SUPPRESSIONS[spec.kind.name];
  return [...DEFAULT_SUPPRESSIONS, ...(own ? [join(SUPPRESSION_DIR, own)] : [])];
}

export function ctAvailable(spec: BackendSpec): string | null {
  if (spec.kind.reports === 'js') {
    return `${spec.text} is a JS backend: constant-time checking with valgrind sees native code only (V8's JIT code would report every branch on a secret, with no usable location)`;
  }
  if (!existsSync(CTMARK_LIB)) return `${CTMARK_LIB} is missing: run \`npm run setup\` (it builds native/shim/ctmark.c)`;
  return valgrindAvailable();
}

export async function openCtBackend(spec: BackendSpec, opts: Omit<ValgrindHostOptions, 'mode' | 'note'> & { liboqs?: string } = {}): Promise<ValgrindBackend> {
  const missing = ctAvailable(spec);
  if (missing) throw new Error(`ct host: ${missing}`);
  const marks = spec.kind.ownProcess ? 'the wrapper program marks its own secrets if it links native/shim/ctmark.c' : 'secret inputs marked per model/secrets.ts around every call';
  return openValgrindBackend(spec, {
    ...opts,
    suppressions: opts.suppressions ?? ctSuppressions(spec),
    env: { ...opts.env, PQC_CT_MARK: CTMARK_LIB },
    mode: CT_MODE,
    nodeFlags: CT_NODE_FLAGS,
    startupTimeoutMs: CT_STARTUP_TIMEOUT_MS,
    note: `constant-time check (memcheck taint, --track-origins=yes): ${marks}; outputs declassified before JS reads them`,
  });
}
