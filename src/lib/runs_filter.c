/* runs_filter.c — dropping runs: --where comparisons and --drop-top-loss. */
#include "runs.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef enum { OP_LT, OP_LE, OP_GT, OP_GE, OP_EQ, OP_NE } compare_op;

static const struct {
    const char *text;
    compare_op op;
} operators[] = {
    /* two-character operators first */
    {"<=", OP_LE}, {">=", OP_GE}, {"==", OP_EQ}, {"!=", OP_NE}, {"<", OP_LT}, {">", OP_GT},
};

static void trim(const char **s, size_t *len)
{
    while (*len && (**s == ' ' || **s == '\t')) (*s)++, (*len)--;
    while (*len && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t')) (*len)--;
}

/* Splits "COLUMN OP VALUE" at the first operator outside brackets (a JSON
 * path's selector, results[name=c4_val].loss, holds '='). */
static bool parse_where(const char *expr, char *colname, size_t colsize, compare_op *op,
                        const char **value, size_t *vlen)
{
    size_t depth = 0;
    for (const char *p = expr; *p; p++) {
        if (*p == '[') depth++;
        else if (*p == ']' && depth) depth--;
        if (depth) continue;
        for (size_t k = 0; k < sizeof operators / sizeof operators[0]; k++) {
            size_t n = strlen(operators[k].text);
            if (strncmp(p, operators[k].text, n) != 0) continue;
            const char *c = expr;
            size_t clen = (size_t)(p - expr);
            trim(&c, &clen);
            if (!clen || clen >= colsize) return false;
            memcpy(colname, c, clen);
            colname[clen] = '\0';
            *op = operators[k].op;
            *value = p + n;
            *vlen = strlen(p + n);
            trim(value, vlen);
            if (*vlen >= 2 && ((**value == '\'' && (*value)[*vlen - 1] == '\'') ||
                               (**value == '"' && (*value)[*vlen - 1] == '"'))) {
                (*value)++;
                *vlen -= 2;
            } else if (!*vlen) {
                return false;
            }
            return true;
        }
    }
    return false;
}

bool slaw_where_column(const char *expr, char *out, size_t size)
{
    compare_op op;
    const char *value;
    size_t vlen;
    return parse_where(expr, out, size, &op, &value, &vlen);
}

static bool holds(double a, compare_op op, double b)
{
    switch (op) {
    case OP_LT: return a < b;
    case OP_LE: return a <= b;
    case OP_GT: return a > b;
    case OP_GE: return a >= b;
    case OP_EQ: return a == b;
    case OP_NE: return a != b;
    }
    return false;
}

slaw_status slaw_runs_where(slaw_runs *r, const char *expr, size_t *removed, slaw_error *err)
{
    char colname[256];
    compare_op op;
    const char *value;
    size_t vlen, col;
    if (!parse_where(expr, colname, sizeof colname, &op, &value, &vlen))
        return error_set(err, SLAW_EUSAGE, NULL, 0,
                         "--where '%s': expected COLUMN OP VALUE with OP one of "
                         "< <= > >= == !=",
                         expr);
    if (!slaw_runs_column_find(r, colname, &col))
        return error_set(err, SLAW_EUSAGE, NULL, 0, "--where '%s': no column '%s'", expr, colname);
    bool label = slaw_runs_column_is_label(r, col);
    double threshold = 0;
    const char *why;
    if (label && op != OP_EQ && op != OP_NE)
        return error_set(err, SLAW_EUSAGE, NULL, 0,
                         "--where '%s': column '%s' holds text; only == and != apply", expr,
                         r->cols[col].name);
    bool is_number = slaw_number_parse(value, vlen, &threshold, &why) == SLAW_OK;
    if (!label && !is_number)
        return error_set(err, SLAW_EUSAGE, NULL, 0, "--where '%s': '%.*s' is %s", expr, (int)vlen,
                         value, why);
    bool *keep = malloc((r->n ? r->n : 1) * sizeof *keep);
    if (!keep) return error_nomem(err);
    size_t dropped = 0;
    const column *c = &r->cols[col];
    for (size_t i = 0; i < r->n; i++) {
        if (label) {
            /* Numbers in a label column compare as numbers ("1.3B" equals
             * 1300000000); missing cells match neither == nor !=. */
            const char *t = slaw_runs_label(r, col, i);
            bool eq = is_number && !isnan(c->values[i])
                          ? c->values[i] == threshold
                          : strlen(t) == vlen && !memcmp(t, value, vlen);
            keep[i] = c->label_at[i] != SIZE_MAX && (op == OP_EQ ? eq : !eq);
        } else {
            double v = c->values[i];
            keep[i] = !isnan(v) && holds(v, op, threshold); /* missing never matches */
        }
        dropped += !keep[i];
    }
    runs_compact(r, keep);
    free(keep);
    if (removed) *removed = dropped;
    return SLAW_OK;
}

static int compare_desc(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x < y) - (x > y);
}

slaw_status slaw_runs_drop_top(slaw_runs *r, size_t k, size_t *removed, slaw_error *err)
{
    size_t col;
    if (!slaw_runs_role_column(r, SLAW_ROLE_L, &col))
        return error_set(err, SLAW_EUSAGE, NULL, 0,
                         "--drop-top-loss: no target column (name one with --y COLUMN)");
    if (k == 0) {
        if (removed) *removed = 0;
        return SLAW_OK;
    }
    slaw_status st = slaw_runs_validate(r, err); /* ranking needs every target */
    if (st != SLAW_OK) return st;
    if (k >= r->n)
        return error_set(err, SLAW_EUSAGE, NULL, 0,
                         "--drop-top-loss %zu: only %zu runs; nothing would be left", k, r->n);
    double *sorted = malloc(r->n * sizeof *sorted);
    bool *keep = malloc(r->n * sizeof *keep);
    if (!sorted || !keep) {
        free(sorted);
        free(keep);
        return error_nomem(err);
    }
    const double *L = r->cols[col].values;
    memcpy(sorted, L, r->n * sizeof *sorted);
    qsort(sorted, r->n, sizeof *sorted, compare_desc);
    double cut = sorted[k - 1];
    size_t dropped = 0;
    for (size_t i = 0; i < r->n; i++) {
        keep[i] = L[i] < cut;
        dropped += !keep[i];
    }
    if (dropped == r->n) {
        free(sorted);
        free(keep);
        return error_set(err, SLAW_EUSAGE, NULL, 0,
                         "--drop-top-loss %zu: the target ties at its top value in every run; "
                         "nothing would be left",
                         k);
    }
    runs_compact(r, keep);
    free(sorted);
    free(keep);
    if (removed) *removed = dropped;
    return SLAW_OK;
}

slaw_status slaw_runs_filter(slaw_runs *r, const char *const *where, size_t n_where,
                             const slaw_per_options *per, size_t drop_top, size_t *removed,
                             slaw_error *err)
{
    size_t read = r->n, before = r->n, next = n_where;
    slaw_status st = SLAW_OK;
    for (size_t i = 0; i < n_where && st == SLAW_OK; i++) {
        before = r->n;
        st = slaw_runs_where(r, where[i], removed ? &removed[i] : NULL, err);
        if (st == SLAW_OK && r->n == 0 && read)
            /* say which filter emptied the table: it may not be one the caller wrote */
            return error_set(err, SLAW_EINPUT, NULL, 0,
                             "no runs left after filtering (%zu read): where '%s' removed the "
                             "last %zu",
                             read, where[i], before);
    }
    if (st == SLAW_OK) st = slaw_runs_validate(r, err); /* the runs the filters kept */
    if (st == SLAW_OK && per && per->keep != SLAW_PER_NONE)
        st = slaw_runs_per(r, per, removed ? &removed[next++] : NULL, err);
    else if (st == SLAW_OK && per && per->inverse_variance)
        st = slaw_runs_per(r, per, NULL, err); /* refused: there is no mean to weight */
    if (st == SLAW_OK && drop_top)
        st = slaw_runs_drop_top(r, drop_top, removed ? &removed[next] : NULL, err);
    if (st == SLAW_OK && r->n == 0)
        st = error_set(err, SLAW_EINPUT, NULL, 0, "no runs left after filtering (%zu read)", read);
    return st;
}
