/* runs.c — the run table: named columns of numbers or labels, one row per run. */
#define _DEFAULT_SOURCE /* madvise's MADV_HUGEPAGE */
#include "runs.h"

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#ifdef __linux__
#include <sys/mman.h>
#include <unistd.h>
#endif

slaw_runs *runs_new(void)
{
    return calloc(1, sizeof(slaw_runs));
}

/* Distinct labels kept in a column's set: enough for the labels a sweep
 * repeats (state, optimizer, dataset, true/false); a column of unique names
 * outgrows it and stores each label as it comes. */
#define MAX_DISTINCT_LABELS 1024

static void column_free(column *c)
{
    free(c->name);
    free(c->values);
    free(c->label_at);
    free(c->arena);
    free(c->distinct);
}

void slaw_runs_free(slaw_runs *r)
{
    if (!r) return;
    for (size_t i = 0; i < r->n_cols; i++) column_free(&r->cols[i]);
    free(r->cols);
    free(r->hash);
    free(r->src);
    for (size_t i = 0; i < r->n_files; i++) free(r->files[i].name);
    free(r->files);
    free(r);
}

size_t runs_add_file(slaw_runs *r, const char *name, slaw_format format)
{
    input_file *f = realloc(r->files, (r->n_files + 1) * sizeof *f);
    if (!f) return SIZE_MAX;
    r->files = f;
    f = &r->files[r->n_files];
    f->name = strdup(name);
    if (!f->name) return SIZE_MAX;
    f->format = format;
    f->first_run = r->n;
    f->rows = f->read = 0;
    return r->n_files++;
}

/* ------------------------------------------------------------ name index */

static uint64_t hash_name(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603u; /* FNV-1a */
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211u;
    }
    return h;
}

static bool name_equals(const column *c, const char *name, size_t len)
{
    return strlen(c->name) == len && memcmp(c->name, name, len) == 0;
}

bool runs_column_lookup(const slaw_runs *r, const char *name, size_t len, size_t *col)
{
    if (!r->hash_cap) return false;
    size_t mask = r->hash_cap - 1;
    for (size_t h = hash_name(name, len) & mask;; h = (h + 1) & mask) {
        uint32_t slot = r->hash[h];
        if (!slot) return false;
        if (name_equals(&r->cols[slot - 1], name, len)) {
            *col = slot - 1;
            return true;
        }
    }
}

static bool hash_grow(slaw_runs *r)
{
    size_t cap = r->hash_cap ? r->hash_cap * 2 : 64;
    uint32_t *h = calloc(cap, sizeof *h);
    if (!h) return false;
    for (size_t i = 0; i < r->n_cols; i++) {
        const char *nm = r->cols[i].name;
        size_t k = hash_name(nm, strlen(nm)) & (cap - 1);
        while (h[k]) k = (k + 1) & (cap - 1);
        h[k] = (uint32_t)(i + 1);
    }
    free(r->hash);
    r->hash = h;
    r->hash_cap = cap;
    return true;
}

/* ------------------------------------------------------------- columns */

static slaw_status column_init(column *c, size_t cap, size_t n)
{
    memset(c, 0, sizeof *c);
    c->values = runs_alloc((cap ? cap : 1) * sizeof *c->values);
    if (!c->values) return SLAW_ENOMEM;
    for (size_t i = 0; i < n; i++) c->values[i] = NAN;
    return SLAW_OK;
}

/* Every column holds a value for every run, so a JSON file whose records
 * each bring new keys makes a table far larger than the file: refuse it
 * before it takes the memory. */
static slaw_status too_many_cells(size_t runs, size_t cols, const char *file, long line,
                                  slaw_error *err)
{
    return error_set(err, SLAW_ELIMIT, file, line,
                     "more than %zu cells: %zu runs times %zu columns (records with many "
                     "different keys make a wide, mostly empty table)",
                     SLAW_MAX_CELLS, runs, cols);
}

/* The limit counts columns read from input; derived columns (C = 6·N·D, and
 * the count, spread and weight of a mean per key) come on top, so that a
 * file at the limit still loads. */
static slaw_status add_column(slaw_runs *r, const char *name, size_t len, bool derived, size_t *col,
                              slaw_error *err)
{
    if (!derived && r->n_cols >= SLAW_MAX_COLUMNS)
        return error_set(err, SLAW_ELIMIT, NULL, 0, "more than %d columns", SLAW_MAX_COLUMNS);
    if (!derived && r->n * (r->n_cols + 1) > SLAW_MAX_CELLS)
        return too_many_cells(r->n, r->n_cols + 1, NULL, 0, err);
    if (r->n_cols == r->cap_cols) {
        size_t cap = r->cap_cols ? r->cap_cols * 2 : 16;
        column *c = realloc(r->cols, cap * sizeof *c);
        if (!c) return error_nomem(err);
        r->cols = c;
        r->cap_cols = cap;
    }
    if ((r->n_cols + 1) * 2 > r->hash_cap && !hash_grow(r)) return error_nomem(err);
    column *c = &r->cols[r->n_cols];
    if (column_init(c, r->cap, r->n) != SLAW_OK) return error_nomem(err);
    c->name = malloc(len + 1);
    if (!c->name) {
        column_free(c);
        return error_nomem(err);
    }
    memcpy(c->name, name, len);
    c->name[len] = '\0';
    size_t k = hash_name(name, len) & (r->hash_cap - 1);
    while (r->hash[k]) k = (k + 1) & (r->hash_cap - 1);
    r->hash[k] = (uint32_t)(r->n_cols + 1);
    *col = r->n_cols++;
    return SLAW_OK;
}

slaw_status runs_column(slaw_runs *r, const char *name, size_t len, size_t *col, slaw_error *err)
{
    if (runs_column_lookup(r, name, len, col)) return SLAW_OK;
    return add_column(r, name, len, false, col, err);
}

slaw_status runs_add_derived(slaw_runs *r, const char *name, size_t *col, slaw_error *err)
{
    slaw_status st = add_column(r, name, strlen(name), true, col, err);
    if (st != SLAW_OK) return st;
    r->cols[*col].derived = true;
    return SLAW_OK;
}

/* A block this large asks for huge pages (advise_huge). */
#define HUGE_ADVICE_MIN ((size_t)4 << 20)

/* Asks the kernel to back a large block with huge pages, where it gives them
 * on request (Debian's default).  Each page a large table first touches
 * costs a fault: on a virtual machine where faults are dear they were a
 * third of slaw inspect's CPU time on a million runs, and advice on the
 * table and the summary's arrays took 23,700 faults down to 14,600.  Only
 * advice: nothing changes where the kernel declines. */
static void advise_huge(void *p, size_t bytes)
{
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    long page = sysconf(_SC_PAGESIZE);
    if (bytes < HUGE_ADVICE_MIN || page <= 0) return;
    /* every page the block touches: advice on part of a mapping splits it,
     * and the next realloc could no longer move it whole (mremap) */
    uintptr_t mask = (uintptr_t)page - 1, from = (uintptr_t)p & ~mask,
              to = ((uintptr_t)p + bytes + mask) & ~mask;
    (void)madvise((void *)from, to - from, MADV_HUGEPAGE);
#else
    (void)p;
    (void)bytes;
#endif
}

void *runs_alloc(size_t bytes)
{
    void *p = malloc(bytes);
    if (p) advise_huge(p, bytes);
    return p;
}

/* realloc as runs_alloc is malloc. */
static void *runs_grow(void *p, size_t bytes)
{
    void *q = realloc(p, bytes);
    if (q) advise_huge(q, bytes);
    return q;
}

static bool grow_rows(slaw_runs *r)
{
    size_t cap = r->cap ? r->cap * 2 : 256;
    run_source *s = runs_grow(r->src, cap * sizeof *s);
    if (!s) return false;
    r->src = s;
    for (size_t i = 0; i < r->n_cols; i++) {
        column *c = &r->cols[i];
        double *v = runs_grow(c->values, cap * sizeof *v);
        if (!v) return false;
        c->values = v;
        if (c->label_at) {
            size_t *l = runs_grow(c->label_at, cap * sizeof *l);
            if (!l) return false;
            c->label_at = l;
        }
    }
    r->cap = cap;
    return true;
}

slaw_status runs_begin_row(slaw_runs *r, uint32_t file, long line, slaw_error *err)
{
    if (r->n >= SLAW_MAX_RUNS)
        return error_set(err, SLAW_ELIMIT, r->files[file].name, line, "more than %zu runs",
                         SLAW_MAX_RUNS);
    if ((r->n + 1) * r->n_cols > SLAW_MAX_CELLS)
        return too_many_cells(r->n + 1, r->n_cols, r->files[file].name, line, err);
    if (r->n == r->cap && !grow_rows(r)) return error_nomem_at(err, r->files[file].name, line);
    size_t i = r->n++;
    r->src[i].file = file;
    r->src[i].line = line;
    r->files[file].rows++;
    r->files[file].read++;
    for (size_t k = 0; k < r->n_cols; k++) {
        r->cols[k].values[i] = NAN;
        if (r->cols[k].label_at) r->cols[k].label_at[i] = SIZE_MAX;
    }
    return SLAW_OK;
}

static bool arena_append(column *c, const char *text, size_t len, size_t *at)
{
    if (c->arena_len + len + 1 > c->arena_cap) {
        size_t cap = c->arena_cap ? c->arena_cap : 256;
        while (cap < c->arena_len + len + 1) cap *= 2;
        char *a = realloc(c->arena, cap);
        if (!a) return false;
        c->arena = a;
        c->arena_cap = cap;
    }
    memcpy(c->arena + c->arena_len, text, len);
    c->arena[c->arena_len + len] = '\0';
    *at = c->arena_len;
    c->arena_len += len + 1;
    return true;
}

static bool same_label(const column *c, size_t at, const char *text, size_t len)
{
    return at + len < c->arena_len && !memcmp(c->arena + at, text, len) &&
           c->arena[at + len] == '\0';
}

/* Adds an arena offset to the set of distinct labels; false when out of
 * memory.  The set is grown to twice its entries, as the name index is. */
static bool distinct_add(column *c, size_t at)
{
    if ((c->n_distinct + 1) * 2 > c->distinct_cap) {
        size_t cap = c->distinct_cap ? c->distinct_cap * 2 : 16;
        size_t *set = calloc(cap, sizeof *set);
        if (!set) return false;
        for (size_t i = 0; i < c->distinct_cap; i++) {
            size_t old = c->distinct[i];
            if (!old) continue;
            const char *t = c->arena + old - 1;
            size_t k = hash_name(t, strlen(t)) & (cap - 1);
            while (set[k]) k = (k + 1) & (cap - 1);
            set[k] = old;
        }
        free(c->distinct);
        c->distinct = set;
        c->distinct_cap = cap;
    }
    const char *t = c->arena + at;
    size_t k = hash_name(t, strlen(t)) & (c->distinct_cap - 1);
    while (c->distinct[k]) k = (k + 1) & (c->distinct_cap - 1);
    c->distinct[k] = at + 1;
    c->n_distinct++;
    return true;
}

/* Stores a cell's label: one seen before in the column is shared, so a
 * column repeating a few labels costs little more than a numeric one. */
static bool label_store(column *c, const char *text, size_t len, size_t *at)
{
    if (!c->many_distinct && c->distinct_cap) {
        size_t mask = c->distinct_cap - 1;
        for (size_t k = hash_name(text, len) & mask; c->distinct[k]; k = (k + 1) & mask)
            if (same_label(c, c->distinct[k] - 1, text, len)) {
                *at = c->distinct[k] - 1;
                return true;
            }
    }
    if (!arena_append(c, text, len, at)) return false;
    if (c->many_distinct) return true;
    if (c->n_distinct == MAX_DISTINCT_LABELS) {
        free(c->distinct);
        c->distinct = NULL;
        c->many_distinct = true;
        return true;
    }
    return distinct_add(c, *at);
}

/* A column becomes a label column at its first non-number.  Earlier cells
 * were numbers; their text is rebuilt from the value (so "1.3B" reads back
 * as "1300000000"), which keeps numeric columns free of text storage. */
static bool make_label_column(slaw_runs *r, column *c)
{
    c->label_at = runs_alloc(r->cap * sizeof *c->label_at);
    if (!c->label_at) return false;
    for (size_t i = 0; i < r->n; i++) {
        c->label_at[i] = SIZE_MAX;
        if (!isnan(c->values[i])) {
            char buf[32];
            int len = snprintf(buf, sizeof buf, "%.15g", c->values[i]);
            if (!label_store(c, buf, (size_t)len, &c->label_at[i])) return false;
        }
    }
    return true;
}

slaw_status runs_set_text(slaw_runs *r, size_t col, const char *text, size_t len, slaw_error *err)
{
    column *c = &r->cols[col];
    size_t run = r->n - 1;
    const char *why = NULL;
    double v;
    if (len == 0) return SLAW_OK; /* missing */
    if (slaw_number_parse(text, len, &v, &why) == SLAW_OK) {
        c->values[run] = v;
        if (c->label_at && !label_store(c, text, len, &c->label_at[run])) goto out;
        return SLAW_OK;
    }
    if (!strcmp(why, "empty")) return SLAW_OK; /* only blanks: missing */
    if (!c->label_at && !make_label_column(r, c)) goto out;
    if (!label_store(c, text, len, &c->label_at[run])) goto out;
    return SLAW_OK;
out:
    return error_nomem_at(err, r->files[r->src[run].file].name, r->src[run].line);
}

slaw_status runs_set_number(slaw_runs *r, size_t col, double value, slaw_error *err)
{
    column *c = &r->cols[col];
    size_t run = r->n - 1;
    if (!isfinite(value)) { /* the loader lost the literal: say what it was */
        if (!c->label_at && !make_label_column(r, c)) goto out;
        if (!arena_append(c, OVERFLOW_TEXT, strlen(OVERFLOW_TEXT), &c->label_at[run])) goto out;
        return SLAW_OK;
    }
    c->values[run] = value;
    if (c->label_at) {
        char buf[32];
        int len = snprintf(buf, sizeof buf, "%.15g", value);
        if (!label_store(c, buf, (size_t)len, &c->label_at[run])) goto out;
    }
    return SLAW_OK;
out:
    return error_nomem(err);
}

slaw_status runs_join_columns(slaw_runs *r, const char *name, const size_t *parts, size_t n_parts,
                              size_t *col, slaw_error *err)
{
    slaw_status st = runs_add_derived(r, name, col, err);
    if (st != SLAW_OK) return st;
    column *c = &r->cols[*col];
    if (!(c->label_at = runs_alloc((r->cap ? r->cap : 1) * sizeof *c->label_at))) goto out;
    for (size_t i = 0; i < r->n; i++) {
        char text[512], buf[64];
        size_t o = 0;
        c->label_at[i] = SIZE_MAX;
        for (size_t k = 0; k < n_parts && o < sizeof text; k++) {
            const column *p = &r->cols[parts[k]];
            if (isnan(p->values[i]) && (!p->label_at || p->label_at[i] == SIZE_MAX)) break;
            int w = snprintf(text + o, sizeof text - o, "%s%s=%s", k ? "," : "", p->name,
                             runs_group_name(r, parts[k], i, buf, sizeof buf));
            o += w > 0 ? (size_t)w : 0;
            if (k + 1 < n_parts) continue;
            if (o >= sizeof text) o = sizeof text - 1; /* a long name, cut */
            if (!label_store(c, text, o, &c->label_at[i])) goto out;
        }
    }
    memcpy(r->group_parts, parts, n_parts * sizeof *parts);
    r->n_group_parts = n_parts;
    return SLAW_OK;
out:
    return error_nomem(err);
}

const char *runs_group_name(const slaw_runs *r, size_t gcol, size_t run, char *buf, size_t size)
{
    const char *name = slaw_runs_label(r, gcol, run);
    if (name) return name;
    snprintf(buf, size, "%.15g", slaw_runs_value(r, gcol, run));
    return buf;
}

void runs_compact(slaw_runs *r, const bool *keep)
{
    size_t o = 0;
    for (size_t f = 0; f < r->n_files; f++) r->files[f].rows = 0;
    for (size_t i = 0; i < r->n; i++) {
        if (!keep[i]) continue;
        r->src[o] = r->src[i];
        r->files[r->src[i].file].rows++;
        for (size_t k = 0; k < r->n_cols; k++) {
            column *c = &r->cols[k];
            c->values[o] = c->values[i];
            if (c->label_at) c->label_at[o] = c->label_at[i];
        }
        o++;
    }
    r->n = o;
}

void runs_where_is(const slaw_runs *r, size_t run, const char **file, long *line, char *record,
                   size_t size)
{
    const input_file *f = &r->files[r->src[run].file];
    *file = f->name;
    *line = r->src[run].line;
    if (size) record[0] = '\0';
    if (f->format == SLAW_FORMAT_JSON || f->format == SLAW_FORMAT_JSONL)
        snprintf(record, size, "record %zu: ", run - f->first_run + 1);
}

void name_normalize(const char *name, size_t len, char *out, size_t size)
{
    size_t o = 0;
    for (size_t i = 0; i < len && o + 1 < size; i++) {
        unsigned char ch = (unsigned char)name[i];
        if (ch == ' ' || ch == '_' || ch == '-' || ch == '.' || ch == '/' || ch == '\t') continue;
        out[o++] = (char)((ch >= 'A' && ch <= 'Z') ? ch - 'A' + 'a' : ch);
    }
    if (size) out[o] = '\0';
}

/* ------------------------------------------------------------- accessors */

size_t slaw_runs_count(const slaw_runs *r)
{
    return r->n;
}

size_t slaw_runs_column_count(const slaw_runs *r)
{
    return r->n_cols;
}

const char *slaw_runs_column_name(const slaw_runs *r, size_t col)
{
    return col < r->n_cols ? r->cols[col].name : NULL;
}

bool slaw_runs_column_is_label(const slaw_runs *r, size_t col)
{
    return col < r->n_cols && r->cols[col].label_at != NULL;
}

bool slaw_runs_column_is_derived(const slaw_runs *r, size_t col)
{
    return col < r->n_cols && r->cols[col].derived;
}

double slaw_runs_value(const slaw_runs *r, size_t col, size_t run)
{
    if (col >= r->n_cols || run >= r->n) return NAN;
    return r->cols[col].values[run];
}

const char *slaw_runs_label(const slaw_runs *r, size_t col, size_t run)
{
    if (col >= r->n_cols || run >= r->n || !r->cols[col].label_at) return NULL;
    size_t at = r->cols[col].label_at[run];
    return at == SIZE_MAX ? "" : r->cols[col].arena + at;
}

bool slaw_runs_column_find(const slaw_runs *r, const char *name, size_t *col)
{
    static const char *const letters[] = {"N", "D", "C", "L"};
    if (runs_column_lookup(r, name, strlen(name), col)) return true;
    for (int k = 0; k < 4; k++)
        if (!strcmp(name, letters[k]) && r->role[k].source != SLAW_SOURCE_NONE) {
            *col = r->role[k].col;
            return true;
        }
    char want[256], have[256];
    name_normalize(name, strlen(name), want, sizeof want);
    if (!want[0]) return false;
    size_t found = SIZE_MAX;
    for (size_t i = 0; i < r->n_cols; i++) {
        name_normalize(r->cols[i].name, strlen(r->cols[i].name), have, sizeof have);
        if (!strcmp(want, have)) {
            if (found != SIZE_MAX) return false; /* ambiguous */
            found = i;
        }
    }
    if (found == SIZE_MAX) return false;
    *col = found;
    return true;
}

bool slaw_runs_role_column(const slaw_runs *r, slaw_role role, size_t *col)
{
    if (role >= SLAW_ROLE_COUNT || r->role[role].source == SLAW_SOURCE_NONE) return false;
    *col = r->role[role].col;
    return true;
}

slaw_role_source slaw_runs_role_source(const slaw_runs *r, slaw_role role)
{
    return role < SLAW_ROLE_COUNT ? r->role[role].source : SLAW_SOURCE_NONE;
}

const char *slaw_runs_role_alias(const slaw_runs *r, slaw_role role)
{
    return role < SLAW_ROLE_COUNT ? r->role[role].alias : NULL;
}

void slaw_runs_source(const slaw_runs *r, size_t run, const char **file, long *line)
{
    *file = r->files[r->src[run].file].name;
    *line = r->src[run].line;
}

size_t slaw_runs_file_count(const slaw_runs *r)
{
    return r->n_files;
}

const char *slaw_runs_file_name(const slaw_runs *r, size_t i)
{
    return i < r->n_files ? r->files[i].name : NULL;
}

slaw_format slaw_runs_file_format(const slaw_runs *r, size_t i)
{
    return i < r->n_files ? r->files[i].format : SLAW_FORMAT_AUTO;
}

size_t slaw_runs_file_read(const slaw_runs *r, size_t i)
{
    return i < r->n_files ? r->files[i].read : 0;
}

size_t slaw_runs_file_rows(const slaw_runs *r, size_t i)
{
    return i < r->n_files ? r->files[i].rows : 0;
}

const char *slaw_format_name(slaw_format format)
{
    switch (format) {
    case SLAW_FORMAT_CSV: return "csv";
    case SLAW_FORMAT_JSON: return "json";
    case SLAW_FORMAT_JSONL: return "jsonl";
    case SLAW_FORMAT_AUTO: break;
    }
    return "auto";
}

slaw_runs *runs_clone(const slaw_runs *r)
{
    /* The struct as it is but for the roles' error texts (nearly all of its
     * 23 KB), copied only where a role has one (a lenient load's); the
     * owned pointers are reset below, before anything is allocated. */
    slaw_runs *c = malloc(sizeof *c);
    if (!c) return NULL;
    size_t roles_at = offsetof(slaw_runs, role), roles_end = roles_at + sizeof r->role;
    memcpy(c, r, roles_at);
    memcpy((char *)c + roles_end, (const char *)r + roles_end, sizeof *c - roles_end);
    for (size_t k = 0; k < SLAW_ROLE_COUNT; k++) {
        const role_binding *from = &r->role[k];
        role_binding *to = &c->role[k];
        to->source = from->source;
        to->col = from->col;
        to->alias = from->alias;
        to->problem.code = from->problem.code;
        if (from->problem.code != SLAW_OK) to->problem = from->problem;
    }
    c->cols = NULL;
    c->n_cols = c->cap_cols = 0;
    c->hash = NULL;
    c->src = NULL;
    c->files = NULL;
    c->n_files = 0;
    size_t cap = r->n ? r->n : 1;
    c->cap = cap;
    c->src = runs_alloc(cap * sizeof *c->src);
    c->cols = calloc(r->n_cols ? r->n_cols : 1, sizeof *c->cols);
    c->files = calloc(r->n_files ? r->n_files : 1, sizeof *c->files);
    c->hash = malloc((r->hash_cap ? r->hash_cap : 1) * sizeof *c->hash);
    if (!c->src || !c->cols || !c->files || !c->hash) goto out;
    memcpy(c->src, r->src, r->n * sizeof *c->src);
    memcpy(c->hash, r->hash, r->hash_cap * sizeof *c->hash);
    c->hash_cap = r->hash_cap;
    c->cap_cols = r->n_cols;
    for (size_t i = 0; i < r->n_cols; i++, c->n_cols++) {
        const column *from = &r->cols[i];
        column *to = &c->cols[i];
        *to = *from;
        to->distinct = NULL; /* a copy adds no labels */
        to->n_distinct = to->distinct_cap = 0;
        to->many_distinct = true;
        to->name = strdup(from->name);
        to->values = runs_alloc(cap * sizeof *to->values);
        to->label_at = from->label_at ? runs_alloc(cap * sizeof *to->label_at) : NULL;
        to->arena = from->arena ? malloc(from->arena_cap) : NULL;
        if (!to->name || !to->values || (from->label_at && !to->label_at) ||
            (from->arena && !to->arena)) {
            c->n_cols++;
            goto out;
        }
        memcpy(to->values, from->values, r->n * sizeof *to->values);
        if (from->label_at) memcpy(to->label_at, from->label_at, r->n * sizeof *to->label_at);
        if (from->arena) memcpy(to->arena, from->arena, from->arena_len);
    }
    for (size_t i = 0; i < r->n_files; i++, c->n_files++) {
        c->files[i] = r->files[i];
        c->files[i].name = strdup(r->files[i].name);
        if (!c->files[i].name) {
            c->n_files++;
            goto out;
        }
    }
    return c;
out:
    slaw_runs_free(c);
    return NULL;
}
