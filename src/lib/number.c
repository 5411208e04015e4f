/* number.c — numbers as people write them in sweep logs (1.3B, 1_000_000). */
#include "error.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
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

/* Appends the decimal digits from p to m (wrapping past 2^64: the caller
 * counts the digits and refuses more than 19); returns where they end. */
static const char *decimal_digits(const char *p, const char *end, uint64_t *m)
{
    uint64_t v = *m;
    for (; p < end && (unsigned char)(*p - '0') < 10; p++) v = v * 10 + (uint64_t)(*p - '0');
    *m = v;
    return p;
}

/* The common case read in one pass: [-]digits[.digits][e[-]digits], nothing
 * else (no blanks, '_', suffix).  Clinger's fast path: a decimal whose
 * digits make an integer below 2^53 and whose power of ten is at most 22 in
 * size is the correctly rounded result of one multiplication or division
 * of exact doubles.  Most numbers in sweep logs qualify; false sends the
 * rest to the full parser (and strtod). */
static bool plain_decimal(const char *t, size_t len, double *out)
{
    static const double pow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                   1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                   1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    const char *p = t, *end = t + len;
    bool negative = false;
    uint64_t m = 0;
    long exp10 = 0;
    if (p < end && (*p == '-' || *p == '+')) negative = *p++ == '-';
    const char *first = p;
    while (p < end && *p == '0') p++; /* leading zeros are not significant digits */
    const char *sig = p;
    p = decimal_digits(p, end, &m);
    ptrdiff_t digits = p - sig, seen = p - first;
    if (p < end && *p == '.') {
        const char *frac = ++p;
        if (!m)
            while (p < end && *p == '0') p++;
        sig = p;
        p = decimal_digits(p, end, &m);
        digits += p - sig;
        seen += p - frac;
        exp10 = -(long)(p - frac);
    }
    if (!seen || digits > 19) return false;
    if (p < end && (*p == 'e' || *p == 'E')) {
        int sign = 1, e = 0, ed = 0;
        p++;
        if (p < end && (*p == '-' || *p == '+')) sign = *p++ == '-' ? -1 : 1;
        for (; p < end && *p >= '0' && *p <= '9' && ed < 4; p++, ed++) e = e * 10 + (*p - '0');
        if (!ed) return false;
        exp10 += sign * e;
    }
    if (p != end || m > ((uint64_t)1 << 53) || exp10 > 22 || exp10 < -22) return false;
    double v = (double)m;
    v = exp10 >= 0 ? v * pow10[exp10] : v / pow10[-exp10];
    *out = negative ? -v : v;
    return true;
}

slaw_status slaw_number_parse(const char *text, size_t len, double *out, const char **why)
{
    if (plain_decimal(text, len, out)) return SLAW_OK;
    char buf[512];
    size_t o = 0, i = 0;
    bool bad = false;
    const char *reason = "not a number";

    while (len && isspace((unsigned char)text[len - 1])) len--;
    while (i < len && isspace((unsigned char)text[i])) i++;
    if (i == len) {
        reason = "empty";
        goto out;
    }
    if (len - i >= sizeof buf) {
        reason = "too long for a number";
        goto out;
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
        goto out;
    }
    if (int_digits + frac_digits == 0) {
        /* Only the whole words: "info" or "nano" are text, not NaN. */
        char lower[9] = {0};
        for (size_t k = 0; k < 8 && i + k < len; k++)
            lower[k] = (char)tolower((unsigned char)text[i + k]);
        if (len - i <= 8 &&
            (!strcmp(lower, "nan") || !strcmp(lower, "inf") || !strcmp(lower, "infinity")))
            reason = "not a finite number";
        goto out;
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
            goto out;
        }
        i = j;
    }
    double scale = 1.0;
    if (i < len) {
        if (i + 1 == len && suffix_scale(text[i], &scale)) {
            i++;
        } else if (i + 1 == len && isalpha((unsigned char)text[i])) {
            reason = "an unknown suffix (use k, M, B or G, T, P)";
            goto out;
        } else {
            reason = "not a number";
            goto out;
        }
    }
    buf[o] = '\0';
    errno = 0;
    char *end = buf + o;
    double v;
    if (!plain_decimal(buf, o, &v)) v = strtod(buf, &end);
    if (end != buf + o) goto out;
    /* Out of range: what a double cannot hold at all (inf, or a nonzero
     * literal read as 0).  A subnormal (1e-310) is a double, of fewer
     * digits: slaw writes such values into fit files and reads them back. */
    if (!isfinite(v) || (errno == ERANGE && v == 0)) {
        reason = fabs(v) < 1.0 ? "out of range (too small)" : "out of range (too large)";
        goto out;
    }
    v *= scale;
    if (!isfinite(v)) {
        reason = "out of range (too large)";
        goto out;
    }
    *out = v;
    return SLAW_OK;
out:
    if (why) *why = reason;
    return SLAW_EINPUT;
}

/* "%.3g" without the '+' and leading zeros of the exponent: 5.76e23. */
static void format_sci(double v, char *buf, size_t size)
{
    char tmp[64];
    snprintf(tmp, sizeof tmp, "%.3g", v);
    char *e = strchr(tmp, 'e');
    if (!e) {
        snprintf(buf, size, "%s", tmp);
        return;
    }
    int exp = atoi(e + 1);
    *e = '\0';
    snprintf(buf, size, "%se%d", tmp, exp);
}

/* |v| as written to 3 digits: 999.96M is 1B, not 1e+03M. */
static double rounded_magnitude(double v)
{
    char rounded[32];
    snprintf(rounded, sizeof rounded, "%.3g", fabs(v));
    return strtod(rounded, NULL);
}

/* v with the largest suffix the parser reads back (125M, 1.3B, 1.4T);
 * false when |v| to 3 digits is outside [1e3, 1e18) or not finite. */
static bool format_with_suffix(double v, char *buf, size_t size)
{
    static const struct {
        double scale;
        const char *suffix;
    } units[] = {{1e15, "P"}, {1e12, "T"}, {1e9, "B"}, {1e6, "M"}, {1e3, "k"}};
    double a = rounded_magnitude(v);
    if (!(a >= 1e3 && a < 1e18)) return false;
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (a >= units[i].scale) {
            snprintf(buf, size, "%.3g%s", v / units[i].scale, units[i].suffix);
            break;
        }
    return true;
}

/* A tick label: short, exponents for the very large and very small. */
static void format_tick(double v, slaw_number_style style, char *buf, size_t size)
{
    double a = fabs(v);
    if (!isfinite(v)) snprintf(buf, size, "%s", isnan(v) ? "NaN" : v > 0 ? "inf" : "-inf");
    else if (style == SLAW_NUMBER_TICK_SIZE && format_with_suffix(v, buf, size)) return;
    else if (v != 0 && (a >= 1e5 || a < 1e-3 || (style == SLAW_NUMBER_TICK_FLOPS && a >= 1e3)))
        format_sci(v, buf, size);
    else snprintf(buf, size, "%.4g", v);
}

const char *slaw_number_format(double v, slaw_number_style style, char *buf, size_t size)
{
    double a = fabs(v), r;
    bool wide = v != 0 && (a >= 1e6 || a < 1e-4); /* beyond VALUE's and LOSS's digits */
    switch (style) {
    case SLAW_NUMBER_SCI: format_sci(v, buf, size); break;
    case SLAW_NUMBER_SIZE:
        if (format_with_suffix(v, buf, size)) break;
        r = rounded_magnitude(v);
        if (!isfinite(v) || r < 1 || r >= 1e18) format_sci(v, buf, size);
        else snprintf(buf, size, "%.4g", v);
        break;
    case SLAW_NUMBER_VALUE:
        if (wide) format_sci(v, buf, size);
        else snprintf(buf, size, "%.5g", v);
        break;
    case SLAW_NUMBER_LOSS:
        if (wide) format_sci(v, buf, size);
        else snprintf(buf, size, "%#.5g", v);
        break;
    case SLAW_NUMBER_TICK:
    case SLAW_NUMBER_TICK_SIZE:
    case SLAW_NUMBER_TICK_FLOPS: format_tick(v, style, buf, size); break;
    }
    return buf;
}
