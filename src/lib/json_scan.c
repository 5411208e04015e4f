/* json_scan.c — what cJSON lets through and slaw refuses, found in the text
 * of a value cJSON has already parsed: a key given twice in one object
 * (cJSON keeps the first, Python's json the last), a \u0000 escape (cJSON
 * ends the string there), numbers out of range for a double (cJSON reads
 * 1e-400 as 0 and 1e999 as inf, where slaw_number_parse refuses both) and,
 * where asked, bytes in strings that are not UTF-8. */
#include "json_scan.h"
#include "input_limits.h"

#include <stdlib.h>
#include <string.h>

typedef struct key_span {
    size_t at;     /* offset of the key's text, after its opening quote */
    const char *p; /* the key: its text, or decoded when it has escapes */
    size_t n;
    char *decoded; /* owned copy behind p, when decoded */
} key_span;

typedef struct frame {
    bool object, want_key;
    size_t first; /* its keys are keys[first .. n_keys) */
} frame;

/* On the stack: a record of ordinary size costs no allocation. */
typedef struct scan {
    const char *text;
    size_t len;
    const json_scan_options *opt;
    frame stack[SLAW_MAX_JSON_DEPTH + 1];
    size_t depth;
    key_span *keys; /* the keys of the open objects, innermost last */
    size_t n_keys, cap;
    key_span small[64];
    size_t numbers; /* number literals seen so far */
    size_t fault_at;
    char *msg;
    size_t msg_size;
} scan;

static slaw_status fault(scan *s, size_t at, const char *fmt, ...) SLAW_PRINTF(3, 4);

static slaw_status fault(scan *s, size_t at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->msg, s->msg_size, fmt, ap);
    va_end(ap);
    s->fault_at = at;
    return SLAW_EINPUT;
}

static unsigned hex4(const char *p)
{
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        v = v * 16 + (unsigned)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
    }
    return v;
}

static size_t put_utf8(char *out, unsigned cp)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xc0 | cp >> 6);
        out[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xe0 | cp >> 12);
        out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
        out[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    out[0] = (char)(0xf0 | cp >> 18);
    out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
    out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
    out[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

/* The string p[0..n) (between its quotes, valid JSON) with its escapes
 * decoded, so that "N" and "\u004e" are the same key; caller frees. */
static char *decode(const char *p, size_t n, size_t *out_len)
{
    char *out = malloc(n + 1), *o = out;
    if (!out) return NULL;
    for (size_t i = 0; i < n; i++) {
        if (p[i] != '\\') {
            *o++ = p[i];
            continue;
        }
        char c = p[++i];
        if (c != 'u') {
            static const char from[] = "bfnrt", to[] = "\b\f\n\r\t";
            const char *k = strchr(from, c);
            *o++ = k ? to[k - from] : c;
            continue;
        }
        unsigned cp = hex4(p + i + 1);
        i += 4;
        if (cp >= 0xd800 && cp < 0xdc00 && i + 6 < n && p[i + 1] == '\\' && p[i + 2] == 'u') {
            cp = 0x10000 + ((cp - 0xd800) << 10) + (hex4(p + i + 3) - 0xdc00);
            i += 6;
        }
        o += put_utf8(o, cp);
    }
    *out_len = (size_t)(o - out);
    return out;
}

static int sort_keys(const void *x, const void *y)
{
    const key_span *a = x, *b = y;
    int c = memcmp(a->p, b->p, a->n < b->n ? a->n : b->n);
    if (c) return c;
    if (a->n != b->n) return a->n < b->n ? -1 : 1;
    return a->at < b->at ? -1 : a->at > b->at;
}

static bool same_key(const key_span *a, const key_span *b)
{
    return a->n == b->n && !memcmp(a->p, b->p, a->n);
}

/* The object on top of the stack closes: the first key (in the text) that
 * repeats an earlier one is a fault.  Small objects are compared pair by
 * pair; large ones sorted, so that a hostile object of a million keys
 * costs n log n. */
static slaw_status close_object(scan *s, const frame *f)
{
    key_span *k = s->keys + f->first;
    size_t n = s->n_keys - f->first;
    const key_span *dup = NULL;
    if (n <= 16) {
        for (size_t i = 1; i < n && !dup; i++)
            for (size_t j = 0; j < i; j++)
                if (same_key(&k[i], &k[j])) {
                    dup = &k[i];
                    break;
                }
    } else {
        qsort(k, n, sizeof *k, sort_keys);
        for (size_t i = 1; i < n; i++)
            if (same_key(&k[i], &k[i - 1]) && (!dup || k[i].at < dup->at)) dup = &k[i];
    }
    slaw_status st = SLAW_OK;
    if (dup) {
        char q[64];
        st = fault(s, dup->at - 1,
                   "key '%s' appears twice (JSON readers disagree on which "
                   "value counts)",
                   quote_text(dup->p, dup->n, q, sizeof q));
    }
    for (size_t i = 0; i < n; i++) free(k[i].decoded);
    s->n_keys = f->first;
    return st;
}

/* The string whose opening quote is at text[at]; *end gets the offset after
 * its closing quote. */
static slaw_status string_at(scan *s, size_t at, size_t *end)
{
    size_t i = at + 1;
    bool escaped = false;
    for (; i < s->len && s->text[i] != '"'; i++) {
        unsigned char c = (unsigned char)s->text[i];
        if (c == '\\') {
            escaped = true;
            if (i + 6 <= s->len && s->text[i + 1] == 'u' && !memcmp(s->text + i + 2, "0000", 4))
                return fault(s, i,
                             "a string holding \\u0000 (a NUL character, which would end "
                             "the text there)");
            i++;
        } else if (c >= 0x80 && s->opt->utf8) {
            size_t n = utf8_length((const unsigned char *)s->text + i, s->len - i);
            if (!n) return fault(s, i, "a string holding the byte 0x%02x, which is not UTF-8", c);
            i += n - 1;
        }
    }
    *end = i + 1;
    frame *f = s->depth ? &s->stack[s->depth - 1] : NULL;
    if (!f || !f->object || !f->want_key) return SLAW_OK;
    f->want_key = false;
    if (s->n_keys == s->cap) {
        size_t cap = 2 * s->cap;
        key_span *k =
            s->keys == s->small ? malloc(cap * sizeof *k) : realloc(s->keys, cap * sizeof *k);
        if (!k) return SLAW_ENOMEM;
        if (s->keys == s->small) memcpy(k, s->small, sizeof s->small);
        s->keys = k;
        s->cap = cap;
    }
    key_span *k = &s->keys[s->n_keys++];
    *k = (key_span){.at = at + 1, .p = s->text + at + 1, .n = i - at - 1};
    if (escaped) {
        if (!(k->decoded = decode(k->p, k->n, &k->n))) return SLAW_ENOMEM;
        k->p = k->decoded;
    }
    return SLAW_OK;
}

static slaw_status number_at(scan *s, size_t at, size_t *end)
{
    size_t i = at;
    for (char c; i < s->len && (((c = s->text[i]) >= '0' && c <= '9') || c == '.' || c == 'e' ||
                                c == 'E' || c == '-' || c == '+');)
        i++;
    *end = i;
    double v;
    const char *why;
    size_t ordinal = s->numbers++;
    if (slaw_number_parse(s->text + at, i - at, &v, &why) == SLAW_OK) return SLAW_OK;
    if (s->opt->out_of_range && s->opt->out_of_range(s->opt->ctx, ordinal, s->text + at, i - at))
        return SLAW_OK;
    char q[64];
    return fault(s, at, "'%s' is %s", quote_text(s->text + at, i - at, q, sizeof q), why);
}

static slaw_status step(scan *s, size_t *at)
{
    size_t i = *at;
    char c = s->text[i];
    frame *top = s->depth ? &s->stack[s->depth - 1] : NULL;
    switch (c) {
    case '{':
    case '[':
        if (s->depth > SLAW_MAX_JSON_DEPTH)
            return fault(s, i, "arrays and objects nested deeper than the limit of %d levels",
                         SLAW_MAX_JSON_DEPTH);
        top = &s->stack[s->depth++];
        *top = (frame){.object = c == '{', .want_key = c == '{', .first = s->n_keys};
        *at = i + 1;
        return SLAW_OK;
    case '}':
    case ']':
        *at = i + 1;
        if (!top) return SLAW_OK;
        s->depth--;
        return top->object ? close_object(s, top) : SLAW_OK;
    case ',':
        if (top && top->object) top->want_key = true;
        *at = i + 1;
        return SLAW_OK;
    case '"': return string_at(s, i, at);
    default:
        if (c == '-' || (c >= '0' && c <= '9')) return number_at(s, i, at);
        *at = i + 1; /* blanks, ':', the letters of true, false and null */
        return SLAW_OK;
    }
}

slaw_status json_scan(const char *text, size_t len, const json_scan_options *opt, size_t *at,
                      char *msg, size_t size)
{
    scan s;
    s.text = text;
    s.len = len;
    s.opt = opt;
    s.depth = 0;
    s.keys = s.small;
    s.n_keys = 0;
    s.cap = sizeof s.small / sizeof s.small[0];
    s.numbers = 0;
    s.fault_at = 0;
    s.msg = msg;
    s.msg_size = size;
    slaw_status st = SLAW_OK;
    for (size_t i = 0; i < len && st == SLAW_OK;) st = step(&s, &i);
    if (st == SLAW_ENOMEM) snprintf(msg, size, "%s", slaw_strerror(st));
    *at = s.fault_at;
    for (size_t k = 0; k < s.n_keys; k++) free(s.keys[k].decoded);
    if (s.keys != s.small) free(s.keys);
    return st;
}

bool json_too_deep(const char *text, size_t len, size_t max, bool per_line, size_t *at)
{
    size_t depth = 0;
    bool in_string = false;
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (c == '\n' && per_line) {
            depth = 0;
            in_string = false;
        } else if (in_string) {
            if (c == '\\') i++;
            else if (c == '"') in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '{' || c == '[') {
            if (++depth > max) {
                *at = i;
                return true;
            }
        } else if ((c == '}' || c == ']') && depth > 0) {
            depth--;
        }
    }
    return false;
}
