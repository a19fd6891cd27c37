/* The module-wrapper protocol (BoringSSL acvptool), server side, in C.
 * Copy mw.h and mw.c into your own wrapper.
 *
 * A request and a response alike are u32le N, N x u32le lengths, then the N
 * byte strings; the first string of a request is the command name. Exactly
 * one response per request, in order, except "flush". A failed request is
 * answered with three strings: "pqc-harness/error", kind, message. */
#ifndef PQC_FLEET_MW_H
#define PQC_FLEET_MW_H

#include <stddef.h>
#include <stdint.h>

/* One request argument. p is never NULL, even for an empty string. */
typedef struct {
  const uint8_t *p;
  size_t n;
} mw_arg;

/* The response being built: up to MW_MAX_OUT strings, or an error. */
#define MW_MAX_OUT 4
typedef struct {
  uint8_t *s[MW_MAX_OUT];
  size_t n[MW_MAX_OUT];
  size_t count;
} mw_reply;

/* Answers one command (anything but getConfig, flush, pqc-harness/describe). */
typedef void (*mw_handler)(const char *cmd, const mw_arg *args, size_t nargs, mw_reply *r);

/* Serve stdin/stdout until stdin ends: 0 at a clean end, 1 on a broken stream. */
int mw_serve(const char *config, const char *describe, mw_handler handle);

/* Append a response string (copied). */
void mw_add(mw_reply *r, const uint8_t *p, size_t n);
/* Append the protocol's one-byte boolean. */
void mw_flag(mw_reply *r, int v);
/* Replace the response with an error: the library refused the input / cannot do this / anything else. */
void mw_rejected(mw_reply *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void mw_unsupported(mw_reply *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void mw_error(mw_reply *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
