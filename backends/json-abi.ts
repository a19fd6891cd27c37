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
// - Under the constant-time host the text holds secrets (hex of dk, sk, k), and
//   koffi's decoding would branch on them: there the return is taken as
//   `void *`, declassified, decoded, and freed with the library's own free.
//
// The JSON text is passed as NUL-terminated bytes (koffi hands the array's own
// memory to `const char *`), so the constant-time host can mark the hex of each
// secret field (model/secrets.ts) in the very buffer the library parses.
//
// Capabilities are only what the JSON shape offers: ML-KEM-768 encaps, decaps
// and random keygen; ML-DSA-65 keygen, sign and verify. Functions a library does
// not export are left out of the capabilities, so the harness skips them.

import { existsSync } from 'node:fs';
import koffi from 'koffi';
import { libraryIdentity } from './library.ts';
import { secretMarks } from './secret-marks.ts';
import { isSecretInput } from '../model/secrets.ts';

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

/** JSON field → the contract input it carries, where the names differ. */
const FIELD_INPUT: Record<string, string> = { seed: 'xi', message: 'msg', context: 'ctx', signature: 'sig' };
const utf8 = new TextEncoder();

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

  const marks = secretMarks();
  const fns = new Map<JsonFunc, (...args: unknown[]) => unknown>();
  for (const name of Object.keys(JSON_FUNCS) as JsonFunc[]) {
    try {
      const args = name === 'pqc_ml_kem_768_keygen' ? [] : ['const char *'];
      fns.set(name, lib.func(name, marks ? 'void *' : OwnedStr, args) as (...args: unknown[]) => unknown);
    } catch {
      // Not exported: the op is absent from capabilities.
    }
  }

  /** The JSON object of byte fields as NUL-terminated text, with the hex of each secret field marked. */
  function encodeInput(op: Op, fields: Record<string, Uint8Array>): { text: Uint8Array; secrets: { name: string; at: number; len: number }[] } {
    let json = '{';
    const secrets: { name: string; at: number; len: number }[] = [];
    for (const [field, bytes] of Object.entries(fields)) {
      const input = FIELD_INPUT[field] ?? field;
      const secret = marks !== null && isSecretInput(op, input);
      // Hex-encoding a marked secret in JS would make V8 branch on it: unmark, encode, mark the hex instead.
      if (secret) marks.declassify(bytes);
      json += `${json.length > 1 ? ',' : ''}"${field}":"`;
      const hex = toHex(bytes);
      if (secret) secrets.push({ name: input, at: json.length, len: hex.length });
      json += `${hex}"`;
    }
    // ASCII only (field names and hex): character offsets are byte offsets.
    return { text: utf8.encode(`${json}}\0`), secrets };
  }

  /** Call one JSON function; the text it returned (released with the library's free), or null. */
  function invoke(f: (...args: unknown[]) => unknown, op: Op, fields?: Record<string, Uint8Array>): string | null {
    const input = fields && encodeInput(op, fields);
    if (!marks) return (input ? f(input.text) : f()) as string | null;
    for (const sec of input?.secrets ?? []) marks.secret(sec.name, input!.text.subarray(sec.at, sec.at + sec.len));
    let p: unknown;
    try {
      p = input ? f(input.text) : f();
    } finally {
      if (input) marks.declassify(input.text);
    }
    if (p === null) return null;
    try {
      return koffi.decode(p, 'char', marks.declassifyCString(p)) as string;
    } finally {
      (freeString as (p: unknown) => void)(p);
    }
  }
  let version = 'unknown';
  try {
    version = String(lib.func('const char *pqc_native_version(void)')());
  } catch {
    // Optional in the seed's shape.
  }

  let closed = false;
  function call(name: JsonFunc, input?: Record<string, Uint8Array>): Json {
    if (closed) throw new Error('json-abi backend: used after close()');
    const f = fns.get(name);
    if (!f) throw new UnsupportedError(`json-abi: ${realPath} does not export ${name}`);
    const text = invoke(f, JSON_FUNCS[name], input);
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
      const o = call('pqc_ml_kem_768_encaps', { ek, m });
      return { c: hexField('pqc_ml_kem_768_encaps', o, 'c'), k: hexField('pqc_ml_kem_768_encaps', o, 'k') };
    },
    async decaps(ps, dk, c) {
      only(KEM_PS, ps, 'decaps');
      return hexField('pqc_ml_kem_768_decaps', call('pqc_ml_kem_768_decaps', { dk, c }), 'k');
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
      const o = call('pqc_ml_dsa_65_keygen', { seed: xi });
      return { pk: hexField('pqc_ml_dsa_65_keygen', o, 'pk'), sk: hexField('pqc_ml_dsa_65_keygen', o, 'sk') };
    },
    async sign(ps, sk, msg, ctx, rnd) {
      only(DSA_PS, ps, 'sign');
      const o = call('pqc_ml_dsa_65_sign', { sk, message: msg, context: ctx, rnd });
      return hexField('pqc_ml_dsa_65_sign', o, 'signature');
    },
    async verify(ps, pk, msg, sig, ctx) {
      only(DSA_PS, ps, 'verify');
      const o = call('pqc_ml_dsa_65_verify', { pk, message: msg, signature: sig, context: ctx });
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
