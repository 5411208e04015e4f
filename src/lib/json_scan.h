/* json_scan.h — what cJSON lets through and slaw refuses: nesting too
 * deep, duplicate keys, \u0000, numbers out of range (json_scan.c). */
#ifndef SLAW_JSON_SCAN_H
#define SLAW_JSON_SCAN_H

#include "error.h"

#include <stdbool.h>

/* Whether JSON text nests arrays and objects deeper than max: *at gets the
 * offset of the bracket that goes too deep.  With per_line (JSON Lines)
 * each line starts afresh.  Strings are skipped; the text need not be valid. */
bool json_too_deep(const char *text, size_t len, size_t max, bool per_line, size_t *at);

/* What json_scan refuses besides duplicate keys and \u0000. */
typedef struct json_scan_options {
    bool utf8; /* bytes in strings must be UTF-8 */
    /* A number literal slaw_number_parse refuses (1e-400, 1e999), the
     * ordinal-th number of the text: true lets the caller deal with it,
     * false (or no function) makes it a fault. */
    bool (*out_of_range)(void *ctx, size_t ordinal, const char *text, size_t len);
    void *ctx;
} json_scan_options;

/* Checks text[0..len), a value cJSON has parsed, for what cJSON lets
 * through: a key repeated in one object, a \u0000 escape, a number out of
 * range, bytes that are not UTF-8 (opt->utf8).  SLAW_EINPUT with *at the
 * offset and msg the problem; SLAW_ENOMEM. */
slaw_status json_scan(const char *text, size_t len, const json_scan_options *opt, size_t *at,
                      char *msg, size_t size);

#endif /* SLAW_JSON_SCAN_H */
