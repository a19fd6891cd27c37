/* ctmark: secret marking for pqc-harness's constant-time host (`--host ct`).
 *
 * Under valgrind memcheck, memory marked "undefined" behaves like a taint:
 * memcheck reports every conditional jump ("Conditional jump or move depends
 * on uninitialised value(s)") and every address ("Use of uninitialised value
 * of size N") computed from it. So the host marks the secret inputs of a call
 * undefined just before the library runs, and marks its outputs (and the
 * inputs) defined again before any JS code reads them. With
 * --track-origins=yes every report names its origin; an origin inside
 * pqc_ct_secret is what makes a report a timing finding rather than an
 * ordinary uninitialised read.
 *
 * The served side (backends/secret-marks.ts) calls these through koffi, on the
 * very memory the library reads (koffi hands a Uint8Array's own memory to a
 * `const uint8_t *` parameter). A module-wrapper program (`process:`) may link
 * this library and call the same functions on its own buffers.
 * Outside valgrind every request is a no-op.
 *
 * Built by native/fixture/build.sh with gcc -O0 -g -shared -fPIC into
 * build/shim/libctmark.so.
 */
#include <stddef.h>
#include <valgrind/valgrind.h>
#include <valgrind/memcheck.h>

int pqc_ct_running(void) { return (int)RUNNING_ON_VALGRIND; }

/* Taint n bytes at p as the secret input `name` (named in the XML stream so a
 * report can say which secrets the call had). */
void pqc_ct_secret(const void *p, size_t n, const char *name) {
  if (!p || !n) return;
  VALGRIND_PRINTF("pqc-ct-secret %s %zu\n", name ? name : "?", n);
  (void)VALGRIND_MAKE_MEM_UNDEFINED(p, n);
}

/* Declassify n bytes at p: public from here on (an output, or an input the
 * call is done with). */
void pqc_ct_declassify(const void *p, size_t n) {
  if (!p || !n) return;
  (void)VALGRIND_MAKE_MEM_DEFINED(p, n);
}

/* Declassify a status code: the FFI converts a return value to a JS number
 * before anyone can mark it, so the binding passes it through here before it
 * branches on it. */
int pqc_ct_declassify_status(int status) {
  (void)VALGRIND_MAKE_MEM_DEFINED(&status, sizeof status);
  return status;
}

/* Declassify a NUL-terminated string the library returned, byte by byte
 * BEFORE each byte is tested, so finding its end branches on no secret.
 * Returns its length. */
size_t pqc_ct_declassify_cstring(const char *s) {
  if (!s) return 0;
  size_t i = 0;
  for (;;) {
    (void)VALGRIND_MAKE_MEM_DEFINED(s + i, 1);
    if (s[i] == '\0') return i;
    i++;
  }
}
