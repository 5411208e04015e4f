/* load_json.c — runs from JSON (an array of objects, or an object holding a
 * "runs" array) and JSON Lines, through cJSON.
 *
 * The outer array or object is walked here, one record at a time, so that
 * every record knows the line it starts on; cJSON parses each record.  A
 * record's scalar leaves become columns named by their dotted path
 * ("config.params", "results.1.loss"). */
#include "json_path.h"
#include "json_scan.h"
#include "load.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PATH 1024

/* How a requested path fared across the records of a file. */
typedef struct path_tally {
    size_t matched;              /* records where the path reached a value */
    bool missed;                 /* a selector matched nothing in some record: */
    size_t miss_at, miss_record; /* the first such record */
    char detail[256];
} path_tally;

typedef struct json_state {
    slaw_runs *runs;
    uint32_t file;
    const char *name;
    const char *data;
    size_t len;
    const slaw_load_options *opt;
    slaw_error *err;
    size_t counted_to; /* line numbers are counted incrementally: */
    long counted_line; /* data[0 .. counted_to) holds counted_line - 1 newlines */
    size_t line_start; /* and the last of them ends at line_start */
    size_t records;
    struct literal {    /* the record's number literals out of range */
        size_t ordinal; /* which number of the record */
        const char *text;
        size_t len;
    } * literals;
    size_t n_literals, literals_cap;
    path_tally *tally; /* one per requested path */
    size_t n_paths;
} json_state;

/* The 1-based line and column of a byte offset.  Records come in order, so
 * each call scans only the bytes since the last one: a one-line document of
 * many records (json.dump without indent) stays linear. */
static void position(json_state *s, size_t at, long *line, long *col)
{
    if (at > s->len) at = s->len;
    if (at < s->counted_to) {
        s->counted_to = 0;
        s->counted_line = 1;
        s->line_start = 0;
    }
    for (size_t i = s->counted_to; i < at; i++)
        if (s->data[i] == '\n') {
            s->counted_line++;
            s->line_start = i + 1;
        }
    s->counted_to = at;
    *line = s->counted_line;
    *col = (long)(at - s->line_start) + 1;
}

static slaw_status fail_at(json_state *s, slaw_status code, size_t at, const char *fmt, ...)
    SLAW_PRINTF(4, 5);

static slaw_status fail_at(json_state *s, slaw_status code, size_t at, const char *fmt, ...)
{
    long line, col;
    position(s, at, &line, &col);
    va_list ap;
    va_start(ap, fmt);
    error_setv(s->err, code, s->name, line, fmt, ap);
    va_end(ap);
    if (s->err) s->err->column = col;
    return code;
}

static size_t skip_blanks(const json_state *s, size_t at)
{
    while (at < s->len && (s->data[at] == ' ' || s->data[at] == '\t' || s->data[at] == '\r' ||
                           s->data[at] == '\n'))
        at++;
    return at;
}

/* Whether the value starting at p is cut off: a string or a bracket still
 * open after len bytes.  cJSON reports that at the last byte, as if the
 * last byte were wrong, so it is told apart here. */
static bool cut_off(const char *p, size_t len)
{
    size_t depth = 0;
    bool in_string = false;
    for (size_t i = 0; i < len; i++) {
        if (in_string) {
            if (p[i] == '\\') i++;
            else if (p[i] == '"') in_string = false;
        } else if (p[i] == '"') {
            in_string = true;
        } else if (p[i] == '{' || p[i] == '[') {
            depth++;
        } else if (p[i] == '}' || p[i] == ']') {
            if (depth <= 1) return false;
            depth--;
        }
    }
    return in_string || depth > 0;
}

/* The error for the value at data[start..end) that cJSON refused at where;
 * ended says what a cut-off value ran into. */
static slaw_status syntax_error(json_state *s, size_t start, size_t end, size_t where,
                                const char *ended)
{
    /* Python's json module writes these for diverged runs; JSON has none. */
    static const char *const words[] = {"NaN", "Infinity", "-Infinity"};
    if (cut_off(s->data + start, end - start))
        return fail_at(s, SLAW_EINPUT, end, "invalid JSON: unexpected end of %s", ended);
    if (where > end) where = end;
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        size_t n = strlen(words[i]);
        if (end - where >= n && !memcmp(s->data + where, words[i], n))
            return fail_at(s, SLAW_EINPUT, where, "invalid JSON: '%s' is not a finite number",
                           words[i]);
    }
    return fail_at(s, SLAW_EINPUT, where, "invalid JSON");
}

/* Whether the value at data[at] ends within max bytes, found by matching
 * quotes and brackets without parsing it (a scalar other than a string
 * ends at once; the text need not be valid). */
static bool ends_within(const json_state *s, size_t at, size_t max)
{
    size_t depth = 0, stop = s->len - at > max ? at + max : s->len;
    bool in_string = false;
    for (size_t i = at; i < stop; i++) {
        char c = s->data[i];
        if (in_string) {
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                in_string = false;
                if (depth == 0) return true;
            }
        } else if (c == '"') {
            in_string = true;
        } else if (c == '{' || c == '[') {
            depth++;
        } else if (depth == 0) {
            return true; /* a number, true, false, null, or text cJSON refuses */
        } else if ((c == '}' || c == ']') && --depth == 0) {
            return true;
        }
    }
    return stop == s->len; /* cut off by the end of the text: cJSON says so */
}

/* Parses the JSON value at data[at]; *end gets the offset after it.  cJSON
 * builds a tree many times the size of the text, so it is only handed a
 * value (a record, or a member beside "runs") of at most
 * SLAW_MAX_LINE_BYTES. */
static slaw_status parse_value(json_state *s, size_t at, cJSON **value, size_t *end)
{
    const char *stop = NULL;
    if (!ends_within(s, at, SLAW_MAX_LINE_BYTES))
        return fail_at(s, SLAW_ELIMIT, at,
                       "a record (or other JSON value) longer than the %zu-byte limit",
                       SLAW_MAX_LINE_BYTES);
    cJSON *v = cJSON_ParseWithLengthOpts(s->data + at, s->len - at, &stop, 0);
    if (!v) return syntax_error(s, at, s->len, stop ? (size_t)(stop - s->data) : at, "input");
    *value = v;
    *end = (size_t)(stop - s->data);
    return SLAW_OK;
}

static const char *type_name(const cJSON *v)
{
    if (cJSON_IsArray(v)) return "an array";
    if (cJSON_IsObject(v)) return "an object";
    if (cJSON_IsString(v)) return "a string";
    if (cJSON_IsNumber(v)) return "a number";
    if (cJSON_IsBool(v)) return "a boolean";
    if (cJSON_IsNull(v)) return "null";
    return "an unknown value";
}

/* ------------------------------------------------------------- records */

/* A number literal slaw_number_parse refuses (1e-400, 1e999: cJSON reads
 * them as 0 and inf) is kept as text, as a CSV field is: a column that
 * must hold numbers then refuses it, quoting it. */
static bool note_literal(void *ctx, size_t ordinal, const char *text, size_t len)
{
    json_state *s = ctx;
    if (s->n_literals == s->literals_cap) {
        size_t cap = s->literals_cap ? 2 * s->literals_cap : 8;
        struct literal *l = realloc(s->literals, cap * sizeof *l);
        if (!l) return false; /* refused as out of range: cannot be worse than that */
        s->literals = l;
        s->literals_cap = cap;
    }
    s->literals[s->n_literals++] = (struct literal){ordinal, text, len};
    return true;
}

/* Replaces the noted numbers under v (in document order, the order of the
 * text) with strings of their literal text. */
static bool literals_as_text(json_state *s, cJSON *v, size_t *ordinal, size_t *next)
{
    cJSON *c = v->child;
    while (c && *next < s->n_literals) {
        cJSON *after = c->next;
        if (cJSON_IsNumber(c) && (*ordinal)++ == s->literals[*next].ordinal) {
            const struct literal *l = &s->literals[(*next)++];
            char text[512];
            snprintf(text, sizeof text, "%.*s", (int)(l->len < 511 ? l->len : 511), l->text);
            cJSON *t = cJSON_CreateString(text);
            if (!t) return false;
            t->string = c->string; /* the member keeps its key */
            c->string = NULL;
            cJSON_ReplaceItemViaPointer(v, c, t);
        } else if ((cJSON_IsObject(c) || cJSON_IsArray(c)) &&
                   !literals_as_text(s, c, ordinal, next)) {
            return false;
        }
        c = after;
    }
    return true;
}

/* What cJSON let through in the value at data[at..end): a key given twice,
 * \u0000 in a string; a record's numbers out of range become text. */
static slaw_status scan_value(json_state *s, cJSON *v, size_t at, size_t end, bool record)
{
    json_scan_options opt = {.out_of_range = record ? note_literal : NULL, .ctx = s};
    char msg[300];
    size_t where;
    s->n_literals = 0;
    slaw_status st = json_scan(s->data + at, end - at, &opt, &where, msg, sizeof msg);
    if (st == SLAW_ENOMEM) return error_nomem_at(s->err, s->name, 0);
    if (st != SLAW_OK && record)
        return fail_at(s, st, at + where, "record %zu: %s", s->records, msg);
    if (st != SLAW_OK) return fail_at(s, st, at + where, "%s", msg);
    size_t ordinal = 0, next = 0;
    if (s->n_literals && !literals_as_text(s, v, &ordinal, &next))
        return error_nomem_at(s->err, s->name, 0);
    return SLAW_OK;
}

/* Whether the record being added already has a value in col. */
static bool cell_is_set(const slaw_runs *r, size_t col)
{
    const column *c = &r->cols[col];
    size_t run = r->n - 1;
    return !isnan(c->values[run]) || (c->label_at && c->label_at[run] != SIZE_MAX);
}

static slaw_status set_leaf(json_state *s, const char *path, size_t plen, const cJSON *v, size_t at)
{
    size_t col;
    slaw_status st;
    char q[64];
    if (cJSON_IsNull(v)) return SLAW_OK; /* a missing value */
    st = runs_column(s->runs, path, plen, &col, s->err);
    if (st == SLAW_OK && cell_is_set(s->runs, col)) /* cJSON keeps both; which one? */
        return fail_at(s, SLAW_EINPUT, at, "record %zu: key '%s' appears twice", s->records,
                       quote_text(path, plen, q, sizeof q));
    if (st == SLAW_OK) {
        if (cJSON_IsNumber(v)) {
            st = runs_set_number(s->runs, col, v->valuedouble, s->err);
        } else if (cJSON_IsString(v)) {
            size_t n = strlen(v->valuestring);
            if (n > SLAW_MAX_FIELD_BYTES)
                return fail_at(s, SLAW_ELIMIT, at,
                               "record %zu: key '%s': a string longer than the %u-byte limit",
                               s->records, quote_text(path, plen, q, sizeof q),
                               SLAW_MAX_FIELD_BYTES);
            st = runs_set_text(s->runs, col, v->valuestring, n, s->err);
        } else {
            const char *b = cJSON_IsTrue(v) ? "true" : "false";
            st = runs_set_text(s->runs, col, b, strlen(b), s->err);
        }
    }
    if (st != SLAW_OK && s->err && !s->err->file[0]) {
        char msg[sizeof s->err->message];
        snprintf(msg, sizeof msg, "%s", s->err->message);
        return fail_at(s, st, at, "record %zu: %s", s->records, msg);
    }
    return st;
}

/* Adds every scalar leaf under v, its path prefixed by path[0..plen). */
static slaw_status flatten(json_state *s, const cJSON *v, char *path, size_t plen, size_t at)
{
    if (!cJSON_IsObject(v) && !cJSON_IsArray(v)) return set_leaf(s, path, plen, v, at);
    if (cJSON_IsArray(v) && cJSON_GetArraySize(v) > SLAW_MAX_JSON_ARRAY_FLATTEN)
        return SLAW_OK; /* long arrays (curves, histories) are reached by path only */
    int index = 0;
    for (const cJSON *c = v->child; c; c = c->next, index++) {
        char key[32];
        const char *k = c->string;
        if (cJSON_IsArray(v)) {
            snprintf(key, sizeof key, "%d", index);
            k = key;
        }
        size_t klen = strlen(k);
        size_t need = plen + (plen ? 1 : 0) + klen;
        if (need >= MAX_PATH) continue; /* absurd paths are not columns */
        size_t n = plen;
        if (plen) path[n++] = '.';
        memcpy(path + n, k, klen);
        path[need] = '\0';
        slaw_status st = flatten(s, c, path, need, at);
        if (st != SLAW_OK) return st;
        path[plen] = '\0';
    }
    return SLAW_OK;
}

/* The i-th path the caller asked for (role columns, then extra columns);
 * NULL when it is a plain name that flattening always reaches. */
static const char *requested_path(const slaw_load_options *o, size_t i)
{
    const char *p = i < SLAW_ROLE_COUNT ? o->role_column[i] : o->extra_columns[i - SLAW_ROLE_COUNT];
    return p && strpbrk(p, ".[") ? p : NULL;
}

/* Paths the caller asked for that flattening may have skipped (elements of
 * long arrays, elements chosen by a selector). */
static slaw_status requested_paths(json_state *s, const cJSON *rec, size_t at)
{
    for (size_t i = 0; i < s->n_paths; i++) {
        const char *p = requested_path(s->opt, i);
        size_t col;
        if (!p || (runs_column_lookup(s->runs, p, strlen(p), &col) && cell_is_set(s->runs, col)))
            continue; /* already set by flattening */
        json_path_hit hit;
        json_path_lookup(rec, p, &hit);
        path_tally *t = &s->tally[i];
        if (hit.result == JSON_PATH_SEVERAL)
            return fail_at(s, SLAW_EINPUT, at, "record %zu: path '%s': %s", s->records, p,
                           hit.detail);
        if (hit.result == JSON_PATH_NO_MATCH && !t->missed) {
            t->missed = true;
            t->miss_at = at;
            t->miss_record = s->records;
            snprintf(t->detail, sizeof t->detail, "%s", hit.detail);
        }
        if (hit.result != JSON_PATH_FOUND) continue;
        t->matched++;
        if (cJSON_IsObject(hit.value) || cJSON_IsArray(hit.value)) continue;
        slaw_status st = set_leaf(s, p, strlen(p), hit.value, at);
        if (st != SLAW_OK) return st;
    }
    return SLAW_OK;
}

/* A selector that chose no element in any record of the file is wrong (a
 * misspelt value); one that chose none in some records leaves those
 * records' values missing. */
static slaw_status selectors_matched(json_state *s)
{
    for (size_t i = 0; i < s->n_paths; i++) {
        const path_tally *t = &s->tally[i];
        if (t->missed && !t->matched)
            return fail_at(s, SLAW_EINPUT, t->miss_at,
                           "path '%s' matches in no record; record %zu: %s",
                           requested_path(s->opt, i), t->miss_record, t->detail);
    }
    return SLAW_OK;
}

/* Adds the record parsed from data[at..end). */
static slaw_status add_record(json_state *s, cJSON *rec, size_t at, size_t end)
{
    long line, col;
    s->records++;
    if (!cJSON_IsObject(rec))
        return fail_at(s, SLAW_EINPUT, at, "record %zu is %s, expected an object", s->records,
                       type_name(rec));
    slaw_status st = scan_value(s, rec, at, end, true);
    if (st != SLAW_OK) return st;
    position(s, at, &line, &col);
    st = runs_begin_row(s->runs, s->file, line, s->err);
    if (st != SLAW_OK) return st;
    char path[MAX_PATH];
    path[0] = '\0';
    st = flatten(s, rec, path, 0, at);
    if (st == SLAW_OK) st = requested_paths(s, rec, at);
    return st;
}

/* ------------------------------------------------------------- layouts */

/* data[at] is '['; adds each element as a record; *end gets the offset
 * after the closing ']'. */
static slaw_status walk_array(json_state *s, size_t at, size_t *end)
{
    size_t open = at;
    at = skip_blanks(s, at + 1);
    if (at < s->len && s->data[at] == ']') {
        *end = at + 1;
        return SLAW_OK;
    }
    for (;;) {
        cJSON *rec = NULL;
        size_t after;
        if (at >= s->len) return fail_at(s, SLAW_EINPUT, open, "invalid JSON: unterminated array");
        slaw_status st = parse_value(s, at, &rec, &after);
        if (st != SLAW_OK) return st;
        st = add_record(s, rec, at, after);
        cJSON_Delete(rec);
        if (st != SLAW_OK) return st;
        at = skip_blanks(s, after);
        if (at < s->len && s->data[at] == ',') {
            at = skip_blanks(s, at + 1);
            continue;
        }
        if (at < s->len && s->data[at] == ']') {
            *end = at + 1;
            return SLAW_OK;
        }
        if (at >= s->len) /* where it opened, as after a trailing ',' above */
            return fail_at(s, SLAW_EINPUT, open, "invalid JSON: unterminated array");
        return fail_at(s, SLAW_EINPUT, at, "invalid JSON: expected ',' or ']' after record %zu",
                       s->records);
    }
}

/* data[at] is '{': finds the top-level "runs" array and walks it; other
 * members are parsed (so syntax errors anywhere are reported) and dropped. */
static slaw_status walk_object(json_state *s, size_t at, size_t *end)
{
    bool found = false;
    size_t open = at;
    at = skip_blanks(s, at + 1);
    if (at < s->len && s->data[at] == '}') goto out;
    for (;;) {
        cJSON *key = NULL, *value = NULL;
        size_t after;
        if (at >= s->len || s->data[at] != '"')
            return fail_at(s, SLAW_EINPUT, at < s->len ? at : s->len,
                           "invalid JSON: expected a member name");
        slaw_status st = parse_value(s, at, &key, &after);
        if (st == SLAW_OK) st = scan_value(s, key, at, after, false);
        if (st != SLAW_OK) {
            cJSON_Delete(key);
            return st;
        }
        bool is_runs = !strcmp(key->valuestring, "runs");
        cJSON_Delete(key);
        at = skip_blanks(s, after);
        if (at >= s->len || s->data[at] != ':')
            return fail_at(s, SLAW_EINPUT, at, "invalid JSON: expected ':'");
        at = skip_blanks(s, at + 1);
        if (is_runs) {
            if (found) return fail_at(s, SLAW_EINPUT, at, "a second \"runs\" member");
            found = true;
            if (at >= s->len || s->data[at] != '[') {
                if (at < s->len && parse_value(s, at, &value, &after) == SLAW_OK) {
                    const char *t = type_name(value);
                    cJSON_Delete(value);
                    return fail_at(s, SLAW_EINPUT, at,
                                   "\"runs\" is %s, expected an array of run objects", t);
                }
                return fail_at(s, SLAW_EINPUT, at < s->len ? at : s->len,
                               "\"runs\" must be an array of run objects");
            }
            st = walk_array(s, at, &after);
        } else {
            st = parse_value(s, at, &value, &after);
            if (st == SLAW_OK) st = scan_value(s, value, at, after, false);
            cJSON_Delete(value);
        }
        if (st != SLAW_OK) return st;
        at = skip_blanks(s, after);
        if (at < s->len && s->data[at] == ',') {
            at = skip_blanks(s, at + 1);
            continue;
        }
        if (at < s->len && s->data[at] == '}') break;
        if (at >= s->len) return fail_at(s, SLAW_EINPUT, open, "invalid JSON: unterminated object");
        return fail_at(s, SLAW_EINPUT, at, "invalid JSON: expected ',' or '}'");
    }
out:
    if (!found)
        return fail_at(s, SLAW_EINPUT, open,
                       "an object must hold the runs in a \"runs\" array "
                       "(or give one run object per line, JSON Lines)");
    *end = at + 1;
    return SLAW_OK;
}

static slaw_status load_document(json_state *s, size_t at)
{
    size_t end;
    slaw_status st;
    if (s->data[at] == '[') st = walk_array(s, at, &end);
    else if (s->data[at] == '{') st = walk_object(s, at, &end);
    else
        return fail_at(s, SLAW_EINPUT, at,
                       "expected a JSON array of run objects or an object with a \"runs\" array");
    if (st != SLAW_OK) return st;
    end = skip_blanks(s, end);
    if (end < s->len) {
        st = fail_at(s, SLAW_EINPUT, end,
                     "unexpected text after the JSON document (JSON Lines files take "
                     "format jsonl or a .jsonl name)");
        error_option(s->err, "format");
        return st;
    }
    return SLAW_OK;
}

static slaw_status load_lines(json_state *s, size_t at)
{
    while (at < s->len) {
        size_t eol = at;
        while (eol < s->len && s->data[eol] != '\n') eol++;
        size_t first = at;
        if (eol - at > SLAW_MAX_LINE_BYTES)
            return fail_at(s, SLAW_ELIMIT, at, "a line longer than the %zu-byte limit",
                           SLAW_MAX_LINE_BYTES);
        while (first < eol &&
               (s->data[first] == ' ' || s->data[first] == '\t' || s->data[first] == '\r'))
            first++;
        if (first < eol) {
            const char *stop = NULL;
            cJSON *rec = cJSON_ParseWithLengthOpts(s->data + first, eol - first, &stop, 0);
            if (!rec)
                return syntax_error(s, first, eol, stop ? (size_t)(stop - s->data) : first,
                                    "line (JSON Lines hold one object per line)");
            size_t after = (size_t)(stop - s->data);
            while (after < eol &&
                   (s->data[after] == ' ' || s->data[after] == '\t' || s->data[after] == '\r'))
                after++;
            if (after < eol) {
                cJSON_Delete(rec);
                return fail_at(s, SLAW_EINPUT, after,
                               "unexpected text after the record (one JSON object per line)");
            }
            slaw_status st = add_record(s, rec, first, (size_t)(stop - s->data));
            cJSON_Delete(rec);
            if (st != SLAW_OK) return st;
        }
        at = eol + 1;
    }
    return SLAW_OK;
}

slaw_status load_json(slaw_runs *r, uint32_t file, const char *data, size_t len, slaw_format format,
                      const slaw_load_options *opt, slaw_error *err)
{
    json_state s = {.runs = r,
                    .file = file,
                    .name = r->files[file].name,
                    .data = data,
                    .len = len,
                    .opt = opt,
                    .err = err,
                    .counted_line = 1,
                    .n_paths = SLAW_ROLE_COUNT + opt->n_extra_columns};
    size_t at = 0;
    if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3)) at = 3;
    if (memchr(data, '\0', len))
        return fail_at(&s, SLAW_EINPUT, (size_t)((const char *)memchr(data, '\0', len) - data),
                       "a NUL byte: this is not a text file");
    size_t deep;
    if (json_too_deep(data, len, SLAW_MAX_JSON_DEPTH, format == SLAW_FORMAT_JSONL, &deep))
        return fail_at(&s, SLAW_ELIMIT, deep,
                       "arrays and objects nested deeper than the limit "
                       "of %d levels",
                       SLAW_MAX_JSON_DEPTH);
    at = skip_blanks(&s, at);
    if (at == len) return error_set(err, SLAW_EINPUT, s.name, 0, "empty: no runs");
    s.tally = calloc(s.n_paths, sizeof *s.tally);
    if (!s.tally) return error_nomem_at(err, s.name, 0);
    slaw_status st = format == SLAW_FORMAT_JSONL ? load_lines(&s, at) : load_document(&s, at);
    free(s.literals);
    if (st == SLAW_OK && !s.records) st = error_set(err, SLAW_EINPUT, s.name, 0, "no runs");
    if (st == SLAW_OK) st = selectors_matched(&s);
    free(s.tally);
    return st;
}
