/* error.h — the bottom of the library: filling a slaw_error, and quoting
 * text for messages (error.c). */
#ifndef SLAW_ERROR_H
#define SLAW_ERROR_H

#include "slaw.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#if defined(__GNUC__)
#define SLAW_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define SLAW_PRINTF(a, b)
#endif

/* Fills err (if not NULL) and returns code. */
slaw_status error_set(slaw_error *err, slaw_status code, const char *file, long line,
                      const char *fmt, ...) SLAW_PRINTF(5, 6);
slaw_status error_setv(slaw_error *err, slaw_status code, const char *file, long line,
                       const char *fmt, va_list ap) SLAW_PRINTF(5, 0);
/* error_set about the options field option ("grid", "role_column[N]"),
 * which fmt names (its first mention is the one a program may replace
 * with its own name for the option). */
slaw_status error_set_option(slaw_error *err, slaw_status code, const char *option, const char *fmt,
                             ...) SLAW_PRINTF(4, 5);
/* Names option as the one at fault in err (if not NULL); returns its code. */
slaw_status error_option(slaw_error *err, const char *option);
/* Puts text before err's message (if err is not NULL); returns its code. */
slaw_status error_prefix(slaw_error *err, const char *fmt, ...) SLAW_PRINTF(2, 3);

/* Fills err (if not NULL) with SLAW_ENOMEM and "out of memory", about file
 * (NULL: none) at line (0: none); returns SLAW_ENOMEM.  The one place that
 * text is written. */
slaw_status error_nomem_at(slaw_error *err, const char *file, long line);

/* error_nomem_at with no file: most allocations concern no input. */
slaw_status error_nomem(slaw_error *err);

/* Checks a confidence level.  Errors: SLAW_EUSAGE outside (0, 1).  Every
 * stage that takes a level checks it here. */
slaw_status level_check(double level, slaw_error *err);

/* Quotes text for a message: at most ~40 bytes, control bytes and bytes
 * that are not UTF-8 escaped (\xff). */
const char *quote_text(const char *text, size_t len, char *buf, size_t size);

/* The length (1 to 4) of the valid UTF-8 sequence at s, which has n bytes
 * left; 0 when the bytes there are not one (overlong forms and surrogates
 * included) or n is 0. */
size_t utf8_length(const unsigned char *s, size_t n);

#endif /* SLAW_ERROR_H */
