/* vgmark: valgrind client requests for pqc-harness's valgrind host.
 *
 * The child host (harness/hosts/child-main.ts) calls pqc_vg_begin before and
 * pqc_vg_end after every module-wrapper command it serves when PQC_VG_MARK
 * names this library. Under memcheck the markers land in the XML stream as
 * <clientmsg> records, in order with the <error> records, so the parent
 * (harness/hosts/valgrind.ts) attributes each error to the exact call
 * in flight. Outside valgrind every request is a no-op.
 *
 * Built by scripts/setup.sh with gcc -O0 -g -shared -fPIC into build/shim/libvgmark.so.
 */
#include <valgrind/valgrind.h>
#include <valgrind/memcheck.h>

int pqc_vg_running(void) { return (int)RUNNING_ON_VALGRIND; }

/* Errors memcheck has reported so far (suppressed ones excluded). */
unsigned pqc_vg_count_errors(void) { return (unsigned)VALGRIND_COUNT_ERRORS; }

void pqc_vg_begin(unsigned seq, const char *command) {
  VALGRIND_PRINTF("pqc-vg-begin %u %s\n", seq, command ? command : "?");
}

unsigned pqc_vg_end(unsigned seq, const char *command) {
  unsigned n = (unsigned)VALGRIND_COUNT_ERRORS;
  VALGRIND_PRINTF("pqc-vg-end %u %s errors=%u\n", seq, command ? command : "?", n);
  return n;
}
