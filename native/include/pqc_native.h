/*
 * pqc_native.h: the C ABI of libpqc_native (native/ in pqc-harness).
 *
 * This header is the single source of truth for the ABI. The Rust crate in
 * native/src and the koffi bindings in backends/rust.ts and
 * backends/json-abi.ts follow it; change it first, then them.
 *
 * The library wraps RustCrypto `ml-kem` (FIPS 203) and `ml-dsa` (FIPS 204).
 * It implements no cryptography itself.
 *
 * Two shapes are exported:
 *
 *   1. The BUFFER ABI (pqc_kem_*, pqc_dsa_*): the recommended shape.
 *   2. The seed's JSON ABI (pqc_ml_kem_768_*, pqc_ml_dsa_65_*,
 *      pqc_free_string): kept so the harness can show the right and the
 *      wrong way to bind a library that returns heap strings.
 *
 * ------------------------------------------------------------------------
 * BUFFER ABI RULES (apply to every pqc_kem_* and pqc_dsa_* function)
 * ------------------------------------------------------------------------
 *
 * Ownership: every buffer is allocated and owned by the caller. The library
 *   never allocates memory that crosses the boundary, never keeps a pointer
 *   after returning, and never frees anything it was given.
 *
 * Buffers: each buffer is a (pointer, length) pair. Inputs are
 *   `const uint8_t *p, size_t p_len`; outputs are `uint8_t *p, size_t p_len`.
 *   Fixed-size buffers (keys, seeds, ciphertexts, signatures, rnd, mu) must
 *   have EXACTLY the length of the parameter set (see the size table below
 *   or pqc_kem_sizes / pqc_dsa_sizes); anything else is PQC_ERR_LENGTH.
 *   Variable-size inputs (message, M', context) may have length 0, and then
 *   the pointer may be NULL. A NULL pointer with a non-zero length is
 *   PQC_ERR_ARGUMENT.
 *
 * Order of checks: the parameter set first (PQC_ERR_UNSUPPORTED), then every
 *   fixed length (PQC_ERR_LENGTH), then pointers, context length and hash
 *   id (PQC_ERR_ARGUMENT / PQC_ERR_UNSUPPORTED). No buffer is read or
 *   written before all of these checks pass.
 *
 * Outputs are written only on PQC_OK (on any error they are left untouched,
 *   except that a PQC_ERR_INTERNAL may leave them partly written).
 *   Output buffers should not overlap input buffers.
 *
 * Randomness: every function is deterministic. Seeds (d, z, m, xi) and the
 *   signing randomizer rnd are passed in. Deterministic ML-DSA signing is
 *   rnd = 32 zero bytes (FIPS 204 Algorithm 2). The library never draws
 *   randomness in the buffer ABI.
 *
 * Panics: every export runs inside catch_unwind; a Rust panic is reported as
 *   PQC_ERR_INTERNAL (or PQC_ERR_INVALID_KEY when decoding a malformed key
 *   panics) and never unwinds into the caller. On its first call the library
 *   installs a Rust panic hook (affecting only this library's own Rust
 *   runtime) that writes one line per caught panic to stderr:
 *   "pqc_native: caught panic (returned as a status code): ...".
 *
 * Thread safety: the library has no global mutable state; all functions may
 *   be called concurrently on distinct buffers.
 *
 * Key encodings: ML-KEM ek/dk and ML-DSA pk/sk use the FIPS encodings
 *   (FIPS 203 dk = dk_PKE || ek || H(ek) || z; FIPS 204 skEncode), i.e. the
 *   same bytes as the ACVP vectors. Seed-only key formats are not used.
 *
 * Size table (bytes):
 *   ML-KEM-512:  ek 800,  dk 1632, c 768,  ss 32
 *   ML-KEM-768:  ek 1184, dk 2400, c 1088, ss 32
 *   ML-KEM-1024: ek 1568, dk 3168, c 1568, ss 32
 *   ML-DSA-44:   pk 1312, sk 2560, sig 2420
 *   ML-DSA-65:   pk 1952, sk 4032, sig 3309
 *   ML-DSA-87:   pk 2592, sk 4896, sig 4627
 *   d, z, m, xi, rnd: 32; mu: 64; context: 0..255
 */
#ifndef PQC_NATIVE_H
#define PQC_NATIVE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Status codes (int32_t return value of every buffer-ABI function) ---- */

/** Success. */
#define PQC_OK 0
/** A fixed-size buffer has the wrong length for the parameter set. */
#define PQC_ERR_LENGTH 1
/** A key fails its FIPS check or cannot be decoded (ek §7.2 modulus check,
 *  dk §7.3 hash check, malformed expanded ML-DSA sk). */
#define PQC_ERR_INVALID_KEY 2
/** The signature does not verify (including signatures whose encoding is
 *  malformed: bad hint, z out of range). Only the verify functions return it. */
#define PQC_ERR_VERIFY 3
/** Unknown parameter set or unknown pre-hash algorithm id. */
#define PQC_ERR_UNSUPPORTED 4
/** Bad argument: NULL pointer with a non-zero length, context > 255 bytes. */
#define PQC_ERR_ARGUMENT 5
/** Internal failure, including a caught panic. A bug in the library. */
#define PQC_ERR_INTERNAL 6

/* ---- Parameter-set arguments (uint32_t ps) ----
 * ML-KEM functions take 512, 768 or 1024; ML-DSA functions take 44, 65 or 87.
 * Anything else is PQC_ERR_UNSUPPORTED. */

/* ---- HashML-DSA pre-hash ids, in the order of HASH_ALGS in
 *      model/params.ts. The OID put into M' is the DER encoding of
 *      2.16.840.1.101.3.4.2.x (NIST hash algorithm arc). ---- */
#define PQC_HASH_SHA2_224 0      /* OID ...04.02.04, 28-byte digest */
#define PQC_HASH_SHA2_256 1      /* OID ...04.02.01, 32-byte digest */
#define PQC_HASH_SHA2_384 2      /* OID ...04.02.02, 48-byte digest */
#define PQC_HASH_SHA2_512 3      /* OID ...04.02.03, 64-byte digest */
#define PQC_HASH_SHA2_512_224 4  /* OID ...04.02.05, 28-byte digest */
#define PQC_HASH_SHA2_512_256 5  /* OID ...04.02.06, 32-byte digest */
#define PQC_HASH_SHA3_224 6      /* OID ...04.02.07, 28-byte digest */
#define PQC_HASH_SHA3_256 7      /* OID ...04.02.08, 32-byte digest */
#define PQC_HASH_SHA3_384 8      /* OID ...04.02.09, 48-byte digest */
#define PQC_HASH_SHA3_512 9      /* OID ...04.02.0A, 64-byte digest */
#define PQC_HASH_SHAKE_128 10    /* OID ...04.02.0B, 32-byte output */
#define PQC_HASH_SHAKE_256 11    /* OID ...04.02.0C, 64-byte output */

/* ======================================================================
 * Library information
 * ====================================================================== */

/** Static NUL-terminated version string, e.g.
 *  "pqc-native 0.1.0 (ml-kem 0.3.4, ml-dsa 0.1.2)". Owned by the library:
 *  never free it. */
const char *pqc_native_version(void);

/** Sizes for an ML-KEM set. Each out-pointer may be NULL (skipped).
 *  Returns PQC_OK or PQC_ERR_UNSUPPORTED. */
int32_t pqc_kem_sizes(uint32_t ps, size_t *ek_len, size_t *dk_len,
                      size_t *c_len, size_t *ss_len);

/** Sizes for an ML-DSA set. Each out-pointer may be NULL (skipped).
 *  Returns PQC_OK or PQC_ERR_UNSUPPORTED. */
int32_t pqc_dsa_sizes(uint32_t ps, size_t *pk_len, size_t *sk_len,
                      size_t *sig_len);

/* ======================================================================
 * ML-KEM (FIPS 203)
 * ====================================================================== */

/** ML-KEM.KeyGen_internal(d, z) (Algorithm 16).
 *  in:  d[32], z[32]
 *  out: ek[ek_len], dk[dk_len] (FIPS 203 encodings)
 *  Returns PQC_OK, PQC_ERR_UNSUPPORTED, PQC_ERR_LENGTH, PQC_ERR_ARGUMENT. */
int32_t pqc_kem_keygen(uint32_t ps,
                       const uint8_t *d, size_t d_len,
                       const uint8_t *z, size_t z_len,
                       uint8_t *ek, size_t ek_len,
                       uint8_t *dk, size_t dk_len);

/** ML-KEM.Encaps_internal(ek, m) (Algorithm 17), after the §7.2
 *  encapsulation-key (modulus) check on ek.
 *  in:  ek[ek_len], m[32]
 *  out: c[c_len], k[32]
 *  Returns PQC_OK, PQC_ERR_INVALID_KEY (ek fails §7.2), PQC_ERR_UNSUPPORTED,
 *  PQC_ERR_LENGTH, PQC_ERR_ARGUMENT. */
int32_t pqc_kem_encaps(uint32_t ps,
                       const uint8_t *ek, size_t ek_len,
                       const uint8_t *m, size_t m_len,
                       uint8_t *c, size_t c_len,
                       uint8_t *k, size_t k_len);

/** ML-KEM.Decaps(dk, c) (Algorithm 18) with implicit rejection: any c of the
 *  right length yields a key (K or K-bar), never an error.
 *  in:  dk[dk_len], c[c_len]
 *  out: k[32]
 *  The dk is imported through ml-kem's expanded-key decoder, which runs the
 *  §7.3 hash check and the §7.2 check on the embedded ek: a dk failing either
 *  is PQC_ERR_INVALID_KEY (the wrapped library cannot decapsulate with an
 *  inconsistent dk). ACVP decapsulation vectors all use consistent keys.
 *  Use pqc_kem_check_decaps_key for the §7.3 check on its own.
 *  Returns PQC_OK, PQC_ERR_INVALID_KEY, PQC_ERR_UNSUPPORTED, PQC_ERR_LENGTH,
 *  PQC_ERR_ARGUMENT. */
int32_t pqc_kem_decaps(uint32_t ps,
                       const uint8_t *dk, size_t dk_len,
                       const uint8_t *c, size_t c_len,
                       uint8_t *k, size_t k_len);

/** FIPS 203 §7.2 encapsulation-key check: ByteEncode12(ByteDecode12(ek))
 *  == ek (every coefficient < q).
 *  Returns PQC_OK (passes), PQC_ERR_INVALID_KEY (fails), PQC_ERR_LENGTH
 *  (the §7.2 type check: wrong length), PQC_ERR_UNSUPPORTED,
 *  PQC_ERR_ARGUMENT. */
int32_t pqc_kem_check_encaps_key(uint32_t ps, const uint8_t *ek, size_t ek_len);

/** FIPS 203 §7.3 decapsulation-key check: H(dk[384k : 768k+32]) equals
 *  dk[768k+32 : 768k+64] (SHA3-256 of the embedded ek equals the embedded
 *  hash). Exactly the §7.3 check: it does not run §7.2 on the embedded ek.
 *  Returns PQC_OK (passes), PQC_ERR_INVALID_KEY (fails), PQC_ERR_LENGTH
 *  (the §7.3 type check: wrong length), PQC_ERR_UNSUPPORTED,
 *  PQC_ERR_ARGUMENT. */
int32_t pqc_kem_check_decaps_key(uint32_t ps, const uint8_t *dk, size_t dk_len);

/* ======================================================================
 * ML-DSA (FIPS 204)
 *
 * sk is always the expanded FIPS 204 encoding (skEncode), as in ACVP. It is
 * decoded on every call (no handles). A malformed sk whose decoding panics
 * inside ml-dsa is PQC_ERR_INVALID_KEY; ml-dsa does not validate sk, so a
 * malformed sk may also just produce a signature that does not verify.
 *
 * Signing functions return PQC_OK, PQC_ERR_INVALID_KEY, PQC_ERR_UNSUPPORTED,
 * PQC_ERR_LENGTH, PQC_ERR_ARGUMENT, PQC_ERR_INTERNAL.
 * Verifying functions return PQC_OK (valid), PQC_ERR_VERIFY (invalid), or
 * PQC_ERR_UNSUPPORTED / PQC_ERR_LENGTH / PQC_ERR_ARGUMENT before verifying.
 * A context longer than 255 bytes is PQC_ERR_ARGUMENT for both signing and
 * verifying (FIPS 204 says Verify returns false there: callers mapping to a
 * boolean should treat PQC_ERR_ARGUMENT from a verify function accordingly).
 * ====================================================================== */

/** ML-DSA.KeyGen_internal(xi) (Algorithm 6).
 *  in:  xi[32]
 *  out: pk[pk_len], sk[sk_len] (expanded)
 *  Returns PQC_OK, PQC_ERR_UNSUPPORTED, PQC_ERR_LENGTH, PQC_ERR_ARGUMENT. */
int32_t pqc_dsa_keygen(uint32_t ps,
                       const uint8_t *xi, size_t xi_len,
                       uint8_t *pk, size_t pk_len,
                       uint8_t *sk, size_t sk_len);

/** ML-DSA.Sign (Algorithm 2, pure, external interface) with explicit rnd:
 *  Sign_internal(sk, M' = 0 || |ctx| || ctx || msg, rnd).
 *  in:  sk[sk_len], msg[msg_len] (any length), ctx[ctx_len] (0..255), rnd[32]
 *  out: sig[sig_len] */
int32_t pqc_dsa_sign(uint32_t ps,
                     const uint8_t *sk, size_t sk_len,
                     const uint8_t *msg, size_t msg_len,
                     const uint8_t *ctx, size_t ctx_len,
                     const uint8_t *rnd, size_t rnd_len,
                     uint8_t *sig, size_t sig_len);

/** ML-DSA.Sign_internal(sk, M', rnd) (Algorithm 7): the message is M' as
 *  given (no domain separator or context is added).
 *  in:  sk[sk_len], mprime[mprime_len] (any length), rnd[32]
 *  out: sig[sig_len] */
int32_t pqc_dsa_sign_internal(uint32_t ps,
                              const uint8_t *sk, size_t sk_len,
                              const uint8_t *mprime, size_t mprime_len,
                              const uint8_t *rnd, size_t rnd_len,
                              uint8_t *sig, size_t sig_len);

/** Sign_internal from a caller-computed mu (external mu, FIPS 204 §6.2
 *  note): mu = H(tr || M', 64).
 *  in:  sk[sk_len], mu[64], rnd[32]
 *  out: sig[sig_len] */
int32_t pqc_dsa_sign_mu(uint32_t ps,
                        const uint8_t *sk, size_t sk_len,
                        const uint8_t *mu, size_t mu_len,
                        const uint8_t *rnd, size_t rnd_len,
                        uint8_t *sig, size_t sig_len);

/** HashML-DSA.Sign (Algorithm 4): Sign_internal(sk,
 *  M' = 1 || |ctx| || ctx || OID(hash_alg) || PH(msg), rnd).
 *  hash_alg is a PQC_HASH_* id; every id works with every parameter set
 *  (no strength policy). Unknown id: PQC_ERR_UNSUPPORTED.
 *  in:  sk[sk_len], msg[msg_len], ctx[ctx_len] (0..255), rnd[32]
 *  out: sig[sig_len] */
int32_t pqc_dsa_sign_prehash(uint32_t ps,
                             const uint8_t *sk, size_t sk_len,
                             const uint8_t *msg, size_t msg_len,
                             uint32_t hash_alg,
                             const uint8_t *ctx, size_t ctx_len,
                             const uint8_t *rnd, size_t rnd_len,
                             uint8_t *sig, size_t sig_len);

/** ML-DSA.Verify (Algorithm 3, pure, external interface).
 *  in: pk[pk_len], msg[msg_len], ctx[ctx_len] (0..255), sig[sig_len] */
int32_t pqc_dsa_verify(uint32_t ps,
                       const uint8_t *pk, size_t pk_len,
                       const uint8_t *msg, size_t msg_len,
                       const uint8_t *ctx, size_t ctx_len,
                       const uint8_t *sig, size_t sig_len);

/** ML-DSA.Verify_internal(pk, M', sig) (Algorithm 8).
 *  in: pk[pk_len], mprime[mprime_len], sig[sig_len] */
int32_t pqc_dsa_verify_internal(uint32_t ps,
                                const uint8_t *pk, size_t pk_len,
                                const uint8_t *mprime, size_t mprime_len,
                                const uint8_t *sig, size_t sig_len);

/** Verify from a caller-computed 64-byte mu (external mu).
 *  in: pk[pk_len], mu[64], sig[sig_len] */
int32_t pqc_dsa_verify_mu(uint32_t ps,
                          const uint8_t *pk, size_t pk_len,
                          const uint8_t *mu, size_t mu_len,
                          const uint8_t *sig, size_t sig_len);

/** HashML-DSA.Verify (Algorithm 5) with pre-hash hash_alg (PQC_HASH_*).
 *  in: pk[pk_len], msg[msg_len], ctx[ctx_len] (0..255), sig[sig_len] */
int32_t pqc_dsa_verify_prehash(uint32_t ps,
                               const uint8_t *pk, size_t pk_len,
                               const uint8_t *msg, size_t msg_len,
                               uint32_t hash_alg,
                               const uint8_t *ctx, size_t ctx_len,
                               const uint8_t *sig, size_t sig_len);

/* ======================================================================
 * Benchmark
 * ====================================================================== */

#define PQC_BENCH_KEM_KEYGEN 1 /* ps 512/768/1024 */
#define PQC_BENCH_KEM_ENCAPS 2
#define PQC_BENCH_KEM_DECAPS 3
#define PQC_BENCH_DSA_KEYGEN 4 /* ps 44/65/87 */
#define PQC_BENCH_DSA_SIGN 5   /* pure, deterministic, 32-byte message, empty ctx */
#define PQC_BENCH_DSA_VERIFY 6

/** Runs op (PQC_BENCH_*) `iters` times on fixed inputs prepared outside the
 *  timed loop and returns the total wall-clock nanoseconds (at least 1).
 *  Returns 0 for an unknown op, a parameter set that does not fit the op, or
 *  a failure. Timings include this library's per-call key decoding, as the
 *  buffer ABI does. */
uint64_t pqc_bench_ns(uint32_t op, uint32_t ps, uint32_t iters);

/* ======================================================================
 * The seed's JSON ABI (ML-KEM-768 and ML-DSA-65 only)
 *
 * Every function returns a NUL-terminated JSON object as a heap string
 * created by Rust's CString::into_raw. OWNERSHIP: the caller owns the
 * returned pointer and must release it with pqc_free_string, exactly once,
 * passing back THE SAME POINTER. Never free it with free(), never pass a
 * copy of the text (a ctypes `c_char_p`/`bytes`, a koffi `str`/JS string):
 * that frees memory the library did not allocate and aborts or corrupts the
 * heap. Binding the return type as `const char *` / `str` leaks it.
 * Correct koffi binding: a disposable type
 *   koffi.disposable('OwnedStr', 'str', lib.func('void pqc_free_string(void *)'))
 * Correct ctypes binding: restype = c_void_p, ctypes.string_at(p), then free p.
 *
 * NULL is returned only if allocation fails. Errors are JSON:
 *   {"error": "<message>"}
 *
 * Inputs are NUL-terminated UTF-8 JSON objects (NULL is treated as {}).
 * Byte fields are hex strings: output is lowercase, input may be either case.
 * Keys use the FIPS encodings (ML-KEM dk and ML-DSA sk expanded).
 * Randomness: fields marked optional are drawn from the OS (getrandom) when
 * absent; this is the only place the library draws randomness.
 * ====================================================================== */

/** {} -> {"ek": hex(1184), "dk": hex(2400)}; random d, z. */
char *pqc_ml_kem_768_keygen(void);

/** {"ek": hex(1184), "m"?: hex(32)} -> {"c": hex(1088), "k": hex(32)}.
 *  An ek failing the §7.2 check is an error. */
char *pqc_ml_kem_768_encaps(const char *json);

/** {"dk": hex(2400), "c": hex(1088)} -> {"k": hex(32)} (implicit rejection). */
char *pqc_ml_kem_768_decaps(const char *json);

/** {"seed"?: hex(32)} -> {"pk": hex(1952), "sk": hex(4032)}. */
char *pqc_ml_dsa_65_keygen(const char *json);

/** {"sk": hex(4032), "message": hex, "context"?: hex(0..255), "rnd"?: hex(32)}
 *  -> {"signature": hex(3309)}. Pure ML-DSA; rnd of 32 zero bytes is the
 *  deterministic variant; absent rnd is hedged (random). */
char *pqc_ml_dsa_65_sign(const char *json);

/** {"pk": hex(1952), "message": hex, "signature": hex, "context"?: hex}
 *  -> {"valid": true|false}. A signature of the wrong length is
 *  {"valid": false}; a malformed pk or field is an error. */
char *pqc_ml_dsa_65_verify(const char *json);

/** Frees a string returned by a pqc_ml_* function. NULL is a no-op. Passing
 *  any other pointer, or the same pointer twice, is undefined behaviour. */
void pqc_free_string(char *s);

#ifdef __cplusplus
}
#endif

#endif /* PQC_NATIVE_H */
