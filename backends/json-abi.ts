// The json-abi backend: any shared library of the seed's shape, i.e. functions
// that take a JSON C string and return a heap-allocated JSON C string that the
// caller must give back to the library's own `pqc_free_string`. See the JSON
// section of native/include/pqc_native.h for the field names.
//
// How the returned strings are received, and why (measured with koffi 3.3.4):
// - Declaring the return as `str` / `const char *` copies the text into a JS
//   string and loses the pointer: every call leaks.
// - Passing that JS string back to pqc_free_string frees a temporary on koffi's
//   own stack: SIGSEGV (the koffi twin of Python's `munmap_chunk(): invalid pointer`).
// - Right: a koffi disposable type. koffi decodes the text, then calls the
//   library's own free function with the ORIGINAL pointer, exactly once.
//   (`str!` would free with libc free(), which breaks as soon as the library
//   uses another allocator.)
//
// Capabilities are only what the JSON shape offers: ML-KEM-768 encaps, decaps
// and random keygen; ML-DSA-65 keygen, sign and verify. Functions a library does
// not export are left out of the capabilities, so the harness skips them.

import { existsSync } from 'node:fs';
import koffi from 'koffi';
import { libraryIdentity } from './library.ts';

import {
  RejectedError,
  UnsupportedError,
  type Backend,
  type BackendInfo,
  type Capabilities,
  type DsaApi,
  type KemApi,
  type Op,
} from '../model/contract.ts';
import { tryHex, toHex } from '../model/bytes.ts';
import type { DsaParam, KemParam, ParamSet } from '../model/params.ts';

const KEM_PS: KemParam = 'ML-KEM-768';
const DSA_PS: DsaParam = 'ML-DSA-65';

/** The seed's JSON functions: C name → the contract op it serves. */
const JSON_FUNCS = {
  pqc_ml_kem_768_keygen: 'kem.keygenRandom',
  pqc_ml_kem_768_encaps: 'kem.encaps',
  pqc_ml_kem_768_decaps: 'kem.decaps',
  pqc_ml_dsa_65_keygen: 'dsa.keygen',
  pqc_ml_dsa_65_sign: 'dsa.sign',
  pqc_ml_dsa_65_verify: 'dsa.verify',
} as const satisfies Record<string, Op>;
type JsonFunc = keyof typeof JSON_FUNCS;

type Json = Record<string, unknown>;

export async function openJsonAbiBackend(path: string): Promise<Backend> {
  if (!existsSync(path)) throw new Error(`json-abi backend: ${path} not found`);
  const { path: realPath, sha256 } = libraryIdentity(path);
  const lib = koffi.load(realPath);

  let freeString: unknown;
  try {
    freeString = lib.func('void pqc_free_string(void *s)');
  } catch {
    throw new Error(`json-abi backend: ${realPath} does not export pqc_free_string, so its strings cannot be released`);
  }
  // Anonymous disposable type: a named one ('OwnedStr') is registered globally
  // in koffi and would clash when a second library (or the same one twice) is opened.
  const OwnedStr = koffi.disposable(null, 'str', freeString as (...a: unknown[]) => unknown);

  const fns = new Map<JsonFunc, (...args: unknown[]) => unknown>();
  for (const name of Object.keys(JSON_FUNCS) as JsonFunc[]) {
    try {
      const args = name === 'pqc_ml_kem_768_keygen' ? [] : ['const char *'];
      fns.set(name, lib.func(name, OwnedStr, args) as (...args: unknown[]) => unknown);
    } catch {
      // Not exported: the op is absent from capabilities.
    }
  }
  let version = 'unknown';
  try {
    version = String(lib.func('const char *pqc_native_version(void)')());
  } catch {
    // Optional in the seed's shape.
  }

  let closed = false;
  function call(name: JsonFunc, input?: Json): Json {
    if (closed) throw new Error('json-abi backend: used after close()');
    const f = fns.get(name);
    if (!f) throw new UnsupportedError(`json-abi: ${realPath} does not export ${name}`);
    const text = (input === undefined ? f() : f(JSON.stringify(input))) as string | null;
    if (text === null) throw new Error(`json-abi: ${name} returned NULL`);
    let out: unknown;
    try {
      out = JSON.parse(text);
    } catch {
      throw new Error(`json-abi: ${name} returned text that is not JSON: ${text.slice(0, 80)}`);
    }
    if (typeof out !== 'object' || out === null || Array.isArray(out)) throw new Error(`json-abi: ${name} returned ${text.slice(0, 80)}, not an object`);
    const o = out as Json;
    if ('error' in o) throw new RejectedError(`json-abi: ${name}: ${String(o.error)}`);
    return o;
  }

  function hexField(name: JsonFunc, o: Json, field: string): Uint8Array {
    const v = o[field];
    const b = typeof v === 'string' ? tryHex(v) : undefined;
    if (b === undefined) throw new Error(`json-abi: ${name} result has no hex field "${field}": ${JSON.stringify(o).slice(0, 120)}`);
    return b;
  }

  function only<P extends ParamSet>(want: P, ps: ParamSet, op: string): void {
    if (ps !== want) throw new UnsupportedError(`json-abi: the JSON ABI has ${op} for ${want} only, not ${ps}`);
  }
  function absent(op: Op): never {
    throw new UnsupportedError(`json-abi: the JSON ABI has no ${op}`);
  }

  const kem: KemApi = {
    async keygen() {
      return absent('kem.keygen');
    },
    async encaps(ps, ek, m) {
      only(KEM_PS, ps, 'encaps');
      const o = call('pqc_ml_kem_768_encaps', { ek: toHex(ek), m: toHex(m) });
      return { c: hexField('pqc_ml_kem_768_encaps', o, 'c'), k: hexField('pqc_ml_kem_768_encaps', o, 'k') };
    },
    async decaps(ps, dk, c) {
      only(KEM_PS, ps, 'decaps');
      return hexField('pqc_ml_kem_768_decaps', call('pqc_ml_kem_768_decaps', { dk: toHex(dk), c: toHex(c) }), 'k');
    },
    async checkEncapsKey() {
      return absent('kem.checkEncapsKey');
    },
    async checkDecapsKey() {
      return absent('kem.checkDecapsKey');
    },
    async keygenRandom(ps) {
      only(KEM_PS, ps, 'keygen');
      const o = call('pqc_ml_kem_768_keygen');
      return { ek: hexField('pqc_ml_kem_768_keygen', o, 'ek'), dk: hexField('pqc_ml_kem_768_keygen', o, 'dk') };
    },
  };

  const dsa: DsaApi = {
    async keygen(ps, xi) {
      only(DSA_PS, ps, 'keygen');
      const o = call('pqc_ml_dsa_65_keygen', { seed: toHex(xi) });
      return { pk: hexField('pqc_ml_dsa_65_keygen', o, 'pk'), sk: hexField('pqc_ml_dsa_65_keygen', o, 'sk') };
    },
    async sign(ps, sk, msg, ctx, rnd) {
      only(DSA_PS, ps, 'sign');
      const o = call('pqc_ml_dsa_65_sign', { sk: toHex(sk), message: toHex(msg), context: toHex(ctx), rnd: toHex(rnd) });
      return hexField('pqc_ml_dsa_65_sign', o, 'signature');
    },
    async verify(ps, pk, msg, sig, ctx) {
      only(DSA_PS, ps, 'verify');
      const o = call('pqc_ml_dsa_65_verify', { pk: toHex(pk), message: toHex(msg), signature: toHex(sig), context: toHex(ctx) });
      if (typeof o.valid !== 'boolean') throw new Error(`json-abi: pqc_ml_dsa_65_verify result has no boolean "valid": ${JSON.stringify(o).slice(0, 120)}`);
      return o.valid;
    },
    async signInternal() {
      return absent('dsa.signInternal');
    },
    async signMu() {
      return absent('dsa.signMu');
    },
    async signPreHash() {
      return absent('dsa.signPreHash');
    },
    async verifyInternal() {
      return absent('dsa.verifyInternal');
    },
    async verifyMu() {
      return absent('dsa.verifyMu');
    },
    async verifyPreHash() {
      return absent('dsa.verifyPreHash');
    },
  };

  const ops = [...fns.keys()].map((n) => JSON_FUNCS[n]);
  const parameterSets: ParamSet[] = [];
  if (ops.some((o) => o.startsWith('kem.'))) parameterSets.push(KEM_PS);
  if (ops.some((o) => o.startsWith('dsa.'))) parameterSets.push(DSA_PS);
  const info: BackendInfo = {
    id: `json-abi:${path}`,
    name: 'JSON ABI library (heap JSON strings + pqc_free_string)',
    version,
    kind: 'json-abi',
    library: { path: realPath, sha256 },
    notes: [
      'ML-KEM-768 and ML-DSA-65 only; no key checks, internal, external-mu or pre-hash interfaces in the JSON shape.',
      'Owned strings are received through a koffi disposable type and released with the library\'s pqc_free_string.',
    ],
  };
  const caps: Capabilities = { parameterSets, ops };

  return {
    describe: () => ({ ...info, library: { ...info.library! }, notes: [...info.notes!] }),
    capabilities: () => ({ parameterSets: [...caps.parameterSets], ops: [...caps.ops] }),
    kem,
    dsa,
    async close() {
      closed = true;
    },
  };
}
