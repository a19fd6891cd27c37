// Secret marking for the constant-time host, in the process that runs the
// native code: a koffi binding of build/shim/libctmark.so (native/shim/ctmark.c),
// loaded once when the host sets PQC_CT_MARK, absent (null) otherwise.
//
// Marks land on the memory the library reads: koffi hands a Uint8Array's own
// memory to a `const uint8_t *` or `const char *` parameter (no copy; koffi
// 3.3.4, checked by tests/ct.test.ts: two calls get the same pointer, and a
// write through koffi.view(pointer) shows in the array, small on-heap arrays
// included), so marking the array marks the library's input. A backend that copies an input with memcpy-like operations
// (TypedArray set/slice) carries the mark along; one that re-encodes a secret
// in JS (hex, JSON) must declassify it first and mark what it hands to C
// instead (backends/json-abi.ts), or V8 itself would branch on the secret.

import koffi from 'koffi';
import { env } from '../model/config.ts';

export interface SecretMarks {
  /** Taint `b` as the secret input `name` (memcheck: undefined). */
  secret(name: string, b: Uint8Array): void;
  /** Make `b` public again (memcheck: defined). */
  declassify(b: Uint8Array): void;
  /** Declassify a NUL-terminated C string byte by byte before reading it; returns its length. */
  declassifyCString(p: unknown): number;
  /** A status code the library returned, declassified before the binding branches on it. */
  declassifyStatus(st: number): number;
}

let loaded: SecretMarks | null | undefined;

/** The marks of this process: non-null only in a child of `--host ct`. */
export function secretMarks(): SecretMarks | null {
  if (loaded !== undefined) return loaded;
  const shim = env('PQC_CT_MARK');
  if (!shim) return (loaded = null);
  const lib = koffi.load(shim);
  const secret = lib.func('void pqc_ct_secret(const uint8_t *p, size_t n, const char *name)') as (p: Uint8Array, n: number, name: string) => void;
  const declassify = lib.func('void pqc_ct_declassify(const uint8_t *p, size_t n)') as (p: Uint8Array, n: number) => void;
  const cstring = lib.func('size_t pqc_ct_declassify_cstring(void *s)') as (p: unknown) => number | bigint;
  const status = lib.func('int pqc_ct_declassify_status(int status)') as (st: number) => number;
  loaded = {
    secret: (name, b) => {
      if (b.length) secret(b, b.length, name);
    },
    declassify: (b) => {
      if (b.length) declassify(b, b.length);
    },
    declassifyCString: (p) => Number(cstring(p)),
    declassifyStatus: (st) => status(st),
  };
  return loaded;
}
