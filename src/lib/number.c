/* number.c — numbers as people write them in sweep logs (1.3B, 1_000_000). */
#include "internal.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The scale suffixes, one table for the parser and for docs/input.md. */
static const struct {
    char letter;
    double scale;
} suffixes[] = {
    {'k', 1e3}, {'K', 1e3}, {'M', 1e6}, {'B', 1e9}, {'G', 1e9}, {'T', 1e12}, {'P', 1e15},
};

static bool suffix_scale(char c, double *scale)
{
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        if (suffixes[i].letter == c) {
            *scale = suffixes[i].scale;
            return true;
        }
    }
    return false;
}

/* Copies a run of digits with optional single '_' between digits into out.
 * Returns the number of input bytes consumed, or 0 with *bad set when an
 * underscore is misplaced. */
static size_t digits(const char *s, size_t len, char *out, size_t *o, size_t cap, bool *bad)
{
    size_t i = 0;
    while (i < len) {
        if (isdigit((unsigned char)s[i])) {
            if (*o + 1 < cap) out[(*o)++] = s[i];
            i++;
        } else if (s[i] == '_' && i > 0 && i + 1 < len && isdigit((unsigned char)s[i + 1])) {
            i++;
        } else {
            break;
        }
    }
    if (i < len && s[i] == '_') *bad = true;
    return i;
}

slaw_status slaw_number_parse(const char *text, size_t len, double *out, const char **why)
{
    char buf[512];
    size_t o = 0, i = 0;
    bool bad = false;
    const char *reason = "not a number";

    while (len && isspace((unsigned char)text[len - 1])) len--;
    while (i < len && isspace((unsigned char)text[i])) i++;
    if (i == len) {
        reason = "empty";
        goto fail;
    }
    if (len - i >= sizeof buf) {
        reason = "too long for a number";
        goto fail;
    }
    if (text[i] == '+' || text[i] == '-') buf[o++] = text[i++];
    size_t int_digits = digits(text + i, len - i, buf, &o, sizeof buf, &bad);
    i += int_digits;
    size_t frac_digits = 0;
    if (i < len && text[i] == '.') {
        buf[o++] = '.';
        i++;
        frac_digits = digits(text + i, len - i, buf, &o, sizeof buf, &bad);
        i += frac_digits;
    }
    if (bad) {
        reason = "a misplaced '_' (write digit groups like 1_000_000)";
        goto fail;
    }
    if (int_digits + frac_digits == 0) {
        /* Only the whole words: "info" or "nano" are text, not NaN. */
        char lower[9] = {0};
        for (size_t k = 0; k < 8 && i + k < len; k++)
            lower[k] = (char)tolower((unsigned char)text[i + k]);
        if (len - i <= 8 &&
            (!strcmp(lower, "nan") || !strcmp(lower, "inf") || !strcmp(lower, "infinity")))
            reason = "not a finite number";
        goto fail;
    }
    if (i < len && (text[i] == 'e' || text[i] == 'E')) {
        size_t mark = o;
        size_t j = i + 1;
        buf[o++] = 'e';
        if (j < len && (text[j] == '+' || text[j] == '-')) buf[o++] = text[j++];
        size_t exp_digits = 0;
        while (j < len && isdigit((unsigned char)text[j]) && o + 1 < sizeof buf) {
            buf[o++] = text[j++];
            exp_digits++;
        }
        if (!exp_digits) {
            o = mark; /* 'e' without digits: not an exponent */
            reason = "an incomplete exponent";
            goto fail;
        }
        i = j;
    }
    double scale = 1.0;
    if (i < len) {
        if (i + 1 == len && suffix_scale(text[i], &scale)) {
            i++;
        } else if (i + 1 == len && isalpha((unsigned char)text[i])) {
            reason = "an unknown suffix (use k, M, B or G, T, P)";
            goto fail;
        } else {
            reason = "not a number";
            goto fail;
        }
    }
    buf[o] = '\0';
    errno = 0;
    char *end = NULL;
    double v = strtod(buf, &end);
    if (end != buf + o) goto fail;
    if (errno == ERANGE || !isfinite(v)) {
        reason = fabs(v) < 1.0 ? "out of range (too small)" : "out of range (too large)";
        goto fail;
    }
    v *= scale;
    if (!isfinite(v)) {
        reason = "out of range (too large)";
        goto fail;
    }
    *out = v;
    return SLAW_OK;
fail:
    if (why) *why = reason;
    return SLAW_EINPUT;
}
