/* Module wrapper over liboqs 0.13.0 built with its portable reference code
 * only (cmake -DOQS_DIST_BUILD=OFF -DOQS_OPT_TARGET=generic: no AVX2 path),
 * through the public OQS_KEM_* / OQS_SIG_* API.
 *
 * What the API expresses: ML-KEM keygen from d‖z (OQS_KEM_keypair_derand),
 * encapsulation and decapsulation; ML-DSA keygen, pure signing and
 * verification with a context string; random keygen and encapsulation.
 * liboqs has no seed argument for ML-KEM encapsulation, ML-DSA keygen or
 * signing: those read exactly 32 bytes (m, ξ, rnd) from the RNG, so the wrapper
 * installs an RNG that serves the given bytes for that one call, the way
 * liboqs's own ACVP test runner does, and fails the call if the library asks
 * for any other amount. What it cannot: the ML-KEM key checks, Sign_internal
 * and Verify_internal on M', external μ, HashML-DSA (none is public API in 0.13). */
#include <oqs/oqs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mw.h"

static const char *const KEM_SETS[] = {"ML-KEM-512", "ML-KEM-768", "ML-KEM-1024"};
static const char *const DSA_SETS[] = {"ML-DSA-44", "ML-DSA-65", "ML-DSA-87"};
#define NSETS 3

static OQS_KEM *kems[NSETS];
static OQS_SIG *sigs[NSETS];

/* --- The given randomness: served once, for one call. --- */
static const uint8_t *given;
static size_t given_len, given_used;
static int given_misread; /* the library asked for bytes beyond the given ones */

static void given_rng(uint8_t *out, size_t n) {
  if (given_used + n > given_len) {
    given_misread = 1;
    memset(out, 0, n);
    return;
  }
  memcpy(out, given + given_used, n);
  given_used += n;
}

static void give(const mw_arg *a) {
  given = a->p;
  given_len = a->n;
  given_used = 0;
  given_misread = 0;
  OQS_randombytes_custom_algorithm(given_rng);
}

/* After a call: back to the system RNG if give() was used. 1 when the output
 * can be sent: the call succeeded and consumed exactly the given bytes. A
 * refusal is a rejection (it may come before any byte was drawn). */
static int call_ok(mw_reply *r, OQS_STATUS st, int seeded, const char *what, const char *call) {
  if (seeded) OQS_randombytes_switch_algorithm(OQS_RAND_alg_system);
  if (st != OQS_SUCCESS) {
    mw_rejected(r, "%s refused the input", call);
    return 0;
  }
  if (seeded && (given_misread || given_used != given_len)) {
    mw_error(r, "liboqs read %s random bytes than the %zu given (%s)", given_misread ? "more" : "fewer", given_len, what);
    return 0;
  }
  return 1;
}

/* 1 if the argument has the length liboqs will read, else a rejection. liboqs
 * takes no length for keys and ciphertexts, so this check is what keeps it in bounds. */
static int len_ok(mw_reply *r, const mw_arg *a, size_t want, const char *what) {
  if (a->n == want) return 1;
  mw_rejected(r, "%s must be %zu bytes, got %zu", what, want, a->n);
  return 0;
}

static int nargs_ok(mw_reply *r, const char *op, size_t nargs, size_t want) {
  if (nargs == want) return 1;
  mw_rejected(r, "%s: expected %zu arguments, got %zu", op, want, nargs);
  return 0;
}

static void kem_op(OQS_KEM *k, const char *op, const mw_arg *a, size_t nargs, mw_reply *r) {
  uint8_t *ek = malloc(k->length_public_key), *dk = malloc(k->length_secret_key);
  uint8_t *c = malloc(k->length_ciphertext), ss[64];
  if (!ek || !dk || !c) {
    mw_error(r, "out of memory");
  } else if (strcmp(op, "keyGen") == 0) {
    if (nargs_ok(r, op, nargs, 1) && len_ok(r, &a[0], 64, "seed d‖z")) {
      if (call_ok(r, OQS_KEM_keypair_derand(k, ek, dk, a[0].p), 0, "", "OQS_KEM_keypair_derand")) {
        mw_add(r, ek, k->length_public_key);
        mw_add(r, dk, k->length_secret_key);
      }
    }
  } else if (strcmp(op, "keyGen/random") == 0) {
    if (nargs_ok(r, op, nargs, 0)) {
      if (call_ok(r, OQS_KEM_keypair(k, ek, dk), 0, "", "OQS_KEM_keypair")) {
        mw_add(r, ek, k->length_public_key);
        mw_add(r, dk, k->length_secret_key);
      }
    }
  } else if (strcmp(op, "encap") == 0 || strcmp(op, "encap/random") == 0) {
    int seeded = strcmp(op, "encap") == 0;
    if (nargs_ok(r, op, nargs, seeded ? 2 : 1) && len_ok(r, &a[0], k->length_public_key, "ek") &&
        (!seeded || len_ok(r, &a[1], 32, "m"))) {
      if (seeded) give(&a[1]);
      if (call_ok(r, OQS_KEM_encaps(k, c, ss, a[0].p), seeded, "m", "OQS_KEM_encaps")) {
        mw_add(r, c, k->length_ciphertext);
        mw_add(r, ss, k->length_shared_secret);
      }
    }
  } else if (strcmp(op, "decap") == 0) {
    if (nargs_ok(r, op, nargs, 2) && len_ok(r, &a[0], k->length_secret_key, "dk") &&
        len_ok(r, &a[1], k->length_ciphertext, "c")) {
      if (call_ok(r, OQS_KEM_decaps(k, ss, a[1].p, a[0].p), 0, "", "OQS_KEM_decaps")) {
        mw_add(r, ss, k->length_shared_secret);
      }
    }
  } else {
    mw_unsupported(r, "liboqs 0.13 has no public API for ML-KEM %s", op);
  }
  free(ek);
  free(dk);
  free(c);
}

static void dsa_op(OQS_SIG *s, const char *op, const mw_arg *a, size_t nargs, mw_reply *r) {
  uint8_t *pk = malloc(s->length_public_key), *sk = malloc(s->length_secret_key);
  uint8_t *sig = malloc(s->length_signature);
  size_t siglen = s->length_signature;
  if (!pk || !sk || !sig) {
    mw_error(r, "out of memory");
  } else if (strcmp(op, "keyGen") == 0 || strcmp(op, "keyGen/random") == 0) {
    int seeded = strcmp(op, "keyGen") == 0;
    if (nargs_ok(r, op, nargs, seeded ? 1 : 0) && (!seeded || len_ok(r, &a[0], 32, "seed ξ"))) {
      if (seeded) give(&a[0]);
      if (call_ok(r, OQS_SIG_keypair(s, pk, sk), seeded, "ξ", "OQS_SIG_keypair")) {
        mw_add(r, pk, s->length_public_key);
        mw_add(r, sk, s->length_secret_key);
      }
    }
  } else if (strcmp(op, "sigGen/external") == 0) {
    /* sk, M, ctx, rnd */
    if (nargs_ok(r, op, nargs, 4) && len_ok(r, &a[0], s->length_secret_key, "sk") && len_ok(r, &a[3], 32, "rnd")) {
      give(&a[3]);
      OQS_STATUS st = OQS_SIG_sign_with_ctx_str(s, sig, &siglen, a[1].p, a[1].n, a[2].p, a[2].n, a[0].p);
      if (call_ok(r, st, 1, "rnd", "OQS_SIG_sign_with_ctx_str")) {
        mw_add(r, sig, siglen);
      }
    }
  } else if (strcmp(op, "sigVer/external") == 0) {
    /* pk, M, sig, ctx */
    if (nargs_ok(r, op, nargs, 4) && len_ok(r, &a[0], s->length_public_key, "pk")) {
      mw_flag(r, OQS_SIG_verify_with_ctx_str(s, a[1].p, a[1].n, a[2].p, a[2].n, a[3].p, a[3].n, a[0].p) == OQS_SUCCESS);
    }
  } else {
    mw_unsupported(r, "liboqs 0.13 has no public API for ML-DSA %s", op);
  }
  free(pk);
  free(sk);
  free(sig);
}

static void handle(const char *cmd, const mw_arg *args, size_t nargs, mw_reply *r) {
  const char *slash = strchr(cmd, '/');
  size_t setlen = slash ? (size_t)(slash - cmd) : 0;
  for (int i = 0; slash && i < NSETS; i++) {
    if (strlen(KEM_SETS[i]) == setlen && strncmp(cmd, KEM_SETS[i], setlen) == 0) return kem_op(kems[i], slash + 1, args, nargs, r);
    if (strlen(DSA_SETS[i]) == setlen && strncmp(cmd, DSA_SETS[i], setlen) == 0) return dsa_op(sigs[i], slash + 1, args, nargs, r);
  }
  mw_unsupported(r, "unknown command \"%s\"", cmd);
}

int main(void) {
  OQS_init();
  for (int i = 0; i < NSETS; i++) {
    kems[i] = OQS_KEM_new(KEM_SETS[i]);
    sigs[i] = OQS_SIG_new(DSA_SETS[i]);
    if (!kems[i] || !sigs[i]) {
      fprintf(stderr, "c-liboqs-ref: this liboqs lacks %s or %s\n", KEM_SETS[i], DSA_SETS[i]);
      return 1;
    }
  }
  static const char config[] =
      "[{\"algorithm\":\"ML-KEM\",\"mode\":\"keyGen\",\"revision\":\"FIPS203\",\"parameterSets\":[\"ML-KEM-512\",\"ML-KEM-768\",\"ML-KEM-1024\"]},"
      "{\"algorithm\":\"ML-KEM\",\"mode\":\"encapDecap\",\"revision\":\"FIPS203\",\"parameterSets\":[\"ML-KEM-512\",\"ML-KEM-768\",\"ML-KEM-1024\"],"
      "\"functions\":[\"encapsulation\",\"decapsulation\"]},"
      "{\"algorithm\":\"ML-DSA\",\"mode\":\"keyGen\",\"revision\":\"FIPS204\",\"parameterSets\":[\"ML-DSA-44\",\"ML-DSA-65\",\"ML-DSA-87\"]},"
      "{\"algorithm\":\"pqc-harness\",\"revision\":\"1\",\"features\":["
      "\"ML-KEM-512/keyGen/random\",\"ML-KEM-768/keyGen/random\",\"ML-KEM-1024/keyGen/random\","
      "\"ML-KEM-512/encap/random\",\"ML-KEM-768/encap/random\",\"ML-KEM-1024/encap/random\","
      "\"ML-DSA-44/keyGen/random\",\"ML-DSA-65/keyGen/random\",\"ML-DSA-87/keyGen/random\","
      "\"ML-DSA-44/sigGen/external\",\"ML-DSA-65/sigGen/external\",\"ML-DSA-87/sigGen/external\","
      "\"ML-DSA-44/sigVer/external\",\"ML-DSA-65/sigVer/external\",\"ML-DSA-87/sigVer/external\","
      "\"pqc-harness/describe\"]}]";
  char describe[512];
  snprintf(describe, sizeof describe,
           "{\"id\":\"c-liboqs-ref\",\"name\":\"liboqs, portable reference build\",\"version\":\"liboqs %s (generic: no AVX2)\","
           "\"kind\":\"process\",\"notes\":[\"m, xi and rnd reach the library through OQS_randombytes_custom_algorithm\"]}",
           OQS_version());
  int rc = mw_serve(config, describe, handle);
  for (int i = 0; i < NSETS; i++) {
    OQS_KEM_free(kems[i]);
    OQS_SIG_free(sigs[i]);
  }
  return rc;
}
