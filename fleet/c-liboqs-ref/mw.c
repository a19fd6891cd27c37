/* See mw.h. */
#include "mw.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_STRINGS 64
#define MAX_TOTAL (64u << 20)

static const uint8_t EMPTY[1] = {0};

static void *xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) {
    fprintf(stderr, "mw: out of memory (%zu bytes)\n", n);
    exit(1);
  }
  return p;
}

/* 1: read all n bytes; 0: clean end of input before the first byte; -1: broken stream. */
static int read_exact(uint8_t *buf, size_t n) {
  size_t got = 0;
  while (got < n) {
    size_t k = fread(buf + got, 1, n - got, stdin);
    if (k == 0) return got == 0 ? 0 : -1;
    got += k;
  }
  return 1;
}

static uint32_t le32(const uint8_t *b) {
  return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static void put32(uint32_t v) {
  uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
  fwrite(b, 1, 4, stdout);
}

static void reply_clear(mw_reply *r) {
  for (size_t i = 0; i < r->count; i++) free(r->s[i]);
  r->count = 0;
}

void mw_add(mw_reply *r, const uint8_t *p, size_t n) {
  if (r->count == MW_MAX_OUT) {
    fprintf(stderr, "mw: more than %d response strings\n", MW_MAX_OUT);
    exit(1);
  }
  r->s[r->count] = xmalloc(n);
  if (n) memcpy(r->s[r->count], p, n);
  r->n[r->count++] = n;
}

void mw_flag(mw_reply *r, int v) {
  uint8_t b = v ? 1 : 0;
  mw_add(r, &b, 1);
}

static void fail(mw_reply *r, const char *kind, const char *fmt, va_list ap) {
  char msg[512];
  vsnprintf(msg, sizeof msg, fmt, ap);
  reply_clear(r);
  mw_add(r, (const uint8_t *)"pqc-harness/error", strlen("pqc-harness/error"));
  mw_add(r, (const uint8_t *)kind, strlen(kind));
  mw_add(r, (const uint8_t *)msg, strlen(msg));
}

#define FAIL_FN(name, kind)                      \
  void name(mw_reply *r, const char *fmt, ...) { \
    va_list ap;                                  \
    va_start(ap, fmt);                           \
    fail(r, kind, fmt, ap);                      \
    va_end(ap);                                  \
  }
FAIL_FN(mw_rejected, "rejected")
FAIL_FN(mw_unsupported, "unsupported")
FAIL_FN(mw_error, "error")

int mw_serve(const char *config, const char *describe, mw_handler handle) {
  for (;;) {
    uint8_t head[4];
    int st = read_exact(head, 4);
    if (st == 0) return 0;
    if (st < 0) break;
    uint32_t n = le32(head);
    if (n == 0 || n > MAX_STRINGS) {
      fprintf(stderr, "mw: request declares %u strings\n", n);
      return 1;
    }
    uint8_t lens_raw[4 * MAX_STRINGS];
    if (read_exact(lens_raw, 4 * (size_t)n) != 1) break;
    size_t lens[MAX_STRINGS], total = 0;
    for (uint32_t i = 0; i < n; i++) total += lens[i] = le32(lens_raw + 4 * i);
    if (total > MAX_TOTAL) {
      fprintf(stderr, "mw: request declares %zu bytes\n", total);
      return 1;
    }
    uint8_t *data = xmalloc(total);
    if (total && read_exact(data, total) != 1) {
      free(data);
      break;
    }
    mw_arg args[MAX_STRINGS];
    size_t off = 0;
    for (uint32_t i = 0; i < n; i++) {
      args[i].p = lens[i] ? data + off : EMPTY;
      args[i].n = lens[i];
      off += lens[i];
    }
    /* The command name as a C string (names never contain NUL). */
    char cmd[128];
    size_t cn = args[0].n < sizeof cmd - 1 ? args[0].n : sizeof cmd - 1;
    memcpy(cmd, args[0].p, cn);
    cmd[cn] = 0;

    mw_reply r = {.count = 0};
    if (strcmp(cmd, "flush") == 0) {
      free(data);
      fflush(stdout);
      continue;
    } else if (strcmp(cmd, "getConfig") == 0) {
      mw_add(&r, (const uint8_t *)config, strlen(config));
    } else if (strcmp(cmd, "pqc-harness/describe") == 0) {
      mw_add(&r, (const uint8_t *)describe, strlen(describe));
    } else {
      handle(cmd, args + 1, n - 1, &r);
    }
    free(data);
    put32((uint32_t)r.count);
    for (size_t i = 0; i < r.count; i++) put32((uint32_t)r.n[i]);
    for (size_t i = 0; i < r.count; i++) fwrite(r.s[i], 1, r.n[i], stdout);
    fflush(stdout);
    reply_clear(&r);
  }
  fprintf(stderr, "mw: stream ended inside a frame\n");
  return 1;
}
