/* check_expect.c — the small languages of slaw check's criteria: tolerances
 * ("alpha=0.01", "alpha=5%", "*=0.01"), expectations ("p=1.5±0.1",
 * "alpha in [0.3,0.4]", "alpha>0.3") and points ("N=7B,D=140B").
 *
 * The parsers meet arbitrary command-line text (and a fuzzer): they never
 * read past the terminating NUL, quote the offending text through
 * quote_text, and name the problem precisely. */
#include "error.h"
#include "law.h"

#include <ctype.h>
#include <math.h>
#include <string.h>

/* A slice of the spec: [s, s + len). */
typedef struct slice {
    const char *s;
    size_t len;
} slice;

static slice trim(const char *s, size_t len)
{
    while (len && isspace((unsigned char)*s)) s++, len--;
    while (len && isspace((unsigned char)s[len - 1])) len--;
    return (slice){s, len};
}

/* Formats "'SPEC': " + message into err. */
static slaw_status spec_error(slaw_error *err, const char *spec, const char *fmt, ...)
    SLAW_PRINTF(3, 4);

static slaw_status spec_error(slaw_error *err, const char *spec, const char *fmt, ...)
{
    char quoted[64], msg[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    quote_text(spec, strlen(spec), quoted, sizeof quoted);
    return error_set(err, SLAW_EUSAGE, NULL, 0, "'%s': %s", quoted, msg);
}

/* A quantity's name: printable, no blanks, none of the characters that
 * separate the parts of a spec. */
static bool name_char(unsigned char c)
{
    return c > 0x20 && c != 0x7f && !strchr("=<>[],%", c);
}

static slaw_status take_name(const char *spec, slice name, slaw_expect *out, slaw_error *err)
{
    char quoted[64];
    if (!name.len) return spec_error(err, spec, "the name is missing (e.g. alpha=...)");
    for (size_t i = 0; i < name.len; i++)
        if (!name_char((unsigned char)name.s[i]))
            return spec_error(err, spec, "'%s' is not a parameter name",
                              quote_text(name.s, name.len, quoted, sizeof quoted));
    if (name.len >= sizeof out->name)
        return spec_error(err, spec, "the name is longer than %zu characters",
                          sizeof out->name - 1);
    memcpy(out->name, name.s, name.len);
    out->name[name.len] = '\0';
    return SLAW_OK;
}

/* A number of the spec; what names the part in messages ("the tolerance"). */
static slaw_status take_number(const char *spec, slice text, const char *what, double *out,
                               slaw_error *err)
{
    char quoted[64];
    const char *why = "not a number";
    text = trim(text.s, text.len);
    if (!text.len) return spec_error(err, spec, "%s is missing", what);
    if (slaw_number_parse(text.s, text.len, out, &why) != SLAW_OK)
        return spec_error(err, spec, "%s '%s': %s", what,
                          quote_text(text.s, text.len, quoted, sizeof quoted), why);
    return SLAW_OK;
}

/* Finds the first occurrence of needle in [s, s + len). */
static const char *find(const char *s, size_t len, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= len; i++)
        if (!memcmp(s + i, needle, n)) return s + i;
    return NULL;
}

/* ------------------------------------------------------------- tolerances */

slaw_status slaw_expect_parse_tolerance(const char *text, slaw_expect *out, slaw_error *err)
{
    slaw_expect e = {.form = SLAW_EXPECT_TOLERANCE, .lo = -INFINITY, .hi = INFINITY};
    slice all = trim(text, strlen(text)), value = all;
    slaw_status st;
    if (!all.len) return spec_error(err, text, "empty; expected NAME=V, NAME=V%% or *=V");
    const char *eq = memchr(all.s, '=', all.len);
    if (eq) {
        slice name = trim(all.s, (size_t)(eq - all.s));
        if ((st = take_name(text, name, &e, err))) return st;
        value = trim(eq + 1, all.len - (size_t)(eq + 1 - all.s));
    } else {
        strcpy(e.name, "*");
    }
    if (value.len && value.s[value.len - 1] == '%') {
        e.form = SLAW_EXPECT_PERCENT;
        value.len--;
    }
    const char *why;
    if (!eq && slaw_number_parse(value.s, value.len, &e.value, &why) != SLAW_OK)
        return spec_error(err, text,
                          "expected NAME=V, NAME=V%% or *=V (or V alone for every "
                          "parameter)");
    if ((st = take_number(text, value, "the tolerance", &e.value, err))) return st;
    if (e.value < 0) return spec_error(err, text, "a tolerance cannot be negative");
    if (e.form == SLAW_EXPECT_PERCENT) e.value /= 100.0;
    *out = e;
    return SLAW_OK;
}

/* ----------------------------------------------------------- expectations */

/* "[LO,HI]" after "in". */
static slaw_status parse_range(const char *spec, slice rest, slaw_expect *e, slaw_error *err)
{
    slaw_status st;
    rest = trim(rest.s, rest.len);
    if (!rest.len || rest.s[0] != '[' || rest.s[rest.len - 1] != ']')
        return spec_error(err, spec, "expected an interval in brackets, as in [0.3,0.4]");
    slice inner = {rest.s + 1, rest.len - 2};
    const char *comma = memchr(inner.s, ',', inner.len);
    if (!comma) return spec_error(err, spec, "the interval needs two ends, as in [0.3,0.4]");
    slice lo = {inner.s, (size_t)(comma - inner.s)};
    slice hi = {comma + 1, inner.len - lo.len - 1};
    if (memchr(hi.s, ',', hi.len))
        return spec_error(err, spec, "the interval has more than two ends");
    if ((st = take_number(spec, lo, "the low end", &e->lo, err)) ||
        (st = take_number(spec, hi, "the high end", &e->hi, err)))
        return st;
    if (e->lo > e->hi)
        return spec_error(err, spec, "the low end %g is above the high end %g", e->lo, e->hi);
    e->form = SLAW_EXPECT_RANGE;
    e->value = e->lo;
    return SLAW_OK;
}

/* "V±T" (or V+-T, V+/-T; T may be a percentage of |V|) after "=". */
static slaw_status parse_near(const char *spec, slice rest, slaw_expect *e, slaw_error *err)
{
    static const char *const seps[] = {"\xc2\xb1", "+/-", "+-"};
    const char *at = NULL;
    size_t sep_len = 0;
    slaw_status st;
    for (size_t i = 0; i < sizeof seps / sizeof seps[0] && !at; i++)
        if ((at = find(rest.s, rest.len, seps[i]))) sep_len = strlen(seps[i]);
    if (!at)
        return spec_error(err, spec,
                          "give a tolerance, as in %s=V\xc2\xb1T (or V+-T), or "
                          "write %s in [LO,HI]",
                          e->name, e->name);
    slice v = {rest.s, (size_t)(at - rest.s)};
    slice t = trim(at + sep_len, rest.len - v.len - sep_len);
    bool percent = t.len && t.s[t.len - 1] == '%';
    if (percent) t.len--;
    if ((st = take_number(spec, v, "the value", &e->value, err)) ||
        (st = take_number(spec, t, "the tolerance", &e->tol, err)))
        return st;
    if (e->tol < 0) return spec_error(err, spec, "a tolerance cannot be negative");
    if (percent) e->tol = e->tol / 100.0 * fabs(e->value);
    e->form = SLAW_EXPECT_NEAR;
    e->lo = e->value - e->tol;
    e->hi = e->value + e->tol;
    if (!isfinite(e->lo) || !isfinite(e->hi))
        return spec_error(err, spec, "the interval is out of range");
    return SLAW_OK;
}

/* ">V", ">=V", "<V", "<=V". */
static slaw_status parse_compare(const char *spec, slice rest, slaw_expect *e, slaw_error *err)
{
    bool greater = rest.s[0] == '>';
    bool equal = rest.len > 1 && rest.s[1] == '=';
    slice v = {rest.s + 1 + equal, rest.len - 1 - equal};
    slaw_status st = take_number(spec, v, "the bound", &e->value, err);
    if (st) return st;
    e->form = greater ? (equal ? SLAW_EXPECT_GE : SLAW_EXPECT_GT)
                      : (equal ? SLAW_EXPECT_LE : SLAW_EXPECT_LT);
    if (greater) e->lo = e->value;
    else e->hi = e->value;
    return SLAW_OK;
}

slaw_status slaw_expect_parse(const char *text, slaw_expect *out, slaw_error *err)
{
    static const char forms[] = "expected NAME=V\xc2\xb1T, NAME in [LO,HI], NAME>V, NAME>=V, "
                                "NAME<V or NAME<=V";
    slaw_expect e = {.lo = -INFINITY, .hi = INFINITY};
    slice all = trim(text, strlen(text));
    slaw_status st;
    if (!all.len) return spec_error(err, text, "empty; %s", forms);
    size_t n = 0;
    while (n < all.len && name_char((unsigned char)all.s[n])) n++;
    if ((st = take_name(text, (slice){all.s, n}, &e, err))) return st;
    slice rest = trim(all.s + n, all.len - n);
    if (rest.len >= 2 && !memcmp(rest.s, "in", 2) &&
        (rest.len == 2 || rest.s[2] == '[' || isspace((unsigned char)rest.s[2])))
        st = parse_range(text, (slice){rest.s + 2, rest.len - 2}, &e, err);
    else if (rest.len && (rest.s[0] == '>' || rest.s[0] == '<'))
        st = parse_compare(text, rest, &e, err);
    else if (rest.len && rest.s[0] == '=') {
        size_t skip = rest.len > 1 && rest.s[1] == '=' ? 2 : 1;
        st = parse_near(text, (slice){rest.s + skip, rest.len - skip}, &e, err);
    } else if (rest.len) {
        char quoted[64];
        st = spec_error(err, text, "unexpected '%s' after '%s'; %s",
                        quote_text(rest.s, rest.len, quoted, sizeof quoted), e.name, forms);
    } else {
        st = spec_error(err, text, "%s", forms);
    }
    if (st) return st;
    *out = e;
    return SLAW_OK;
}

/* ----------------------------------------------------------------- points */

slaw_status slaw_expect_parse_point(const slaw_law *law, const char *text, double *vars,
                                    slaw_error *err)
{
    /* The forecast's point language: N, D, C (= 6ND) or x. */
    slaw_point point;
    double v[LAW_MAX_VARS];
    slaw_status st = slaw_point_parse(text, &point, err);
    if (st == SLAW_OK) st = slaw_point_resolve(law, &point, v, err);
    if (st == SLAW_OK) memcpy(vars, v, law->n_vars * sizeof *v);
    return st;
}
