/* runs_filter.c — dropping runs: where comparisons and the top targets
 * (runs_selection.c puts them in order). */
#include "runs.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    const char *text;
    slaw_compare_op op;
} operators[] = {
    /* two-character operators first */
    {"<=", SLAW_OP_LE}, {">=", SLAW_OP_GE}, {"==", SLAW_OP_EQ},
    {"!=", SLAW_OP_NE}, {"<", SLAW_OP_LT},  {">", SLAW_OP_GT},
};

const char *slaw_compare_op_name(slaw_compare_op op)
{
    for (size_t k = 0; k < sizeof operators / sizeof operators[0]; k++)
        if (operators[k].op == op) return operators[k].text;
    return NULL;
}

static void trim(const char **s, size_t *len)
{
    while (*len && (**s == ' ' || **s == '\t')) (*s)++, (*len)--;
    while (*len && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t')) (*len)--;
}

/* Splits "COLUMN OP VALUE" at the first operator outside brackets (a JSON
 * path's selector, results[name=c4_val].loss, holds '='); a value in
 * quotes loses them. */
bool where_parse(const char *expr, where_parts *out)
{
    size_t depth = 0;
    for (const char *p = expr; *p; p++) {
        if (*p == '[') depth++;
        else if (*p == ']' && depth) depth--;
        if (depth) continue;
        for (size_t k = 0; k < sizeof operators / sizeof operators[0]; k++) {
            size_t n = strlen(operators[k].text);
            if (strncmp(p, operators[k].text, n) != 0) continue;
            out->column = expr;
            out->column_len = (size_t)(p - expr);
            trim(&out->column, &out->column_len);
            out->op = operators[k].op;
            out->value = p + n;
            out->value_len = strlen(p + n);
            trim(&out->value, &out->value_len);
            const char *v = out->value;
            size_t vlen = out->value_len;
            if (vlen >= 2 &&
                ((*v == '\'' && v[vlen - 1] == '\'') || (*v == '"' && v[vlen - 1] == '"'))) {
                out->value++;
                out->value_len -= 2;
            } else if (!vlen) {
                return false;
            }
            return out->column_len > 0;
        }
    }
    return false;
}

bool slaw_where_column(const char *expr, char *out, size_t size)
{
    where_parts w;
    if (!where_parse(expr, &w) || w.column_len >= size) return false;
    memcpy(out, w.column, w.column_len);
    out[w.column_len] = '\0';
    return true;
}

static bool holds(double a, slaw_compare_op op, double b)
{
    switch (op) {
    case SLAW_OP_LT: return a < b;
    case SLAW_OP_LE: return a <= b;
    case SLAW_OP_GT: return a > b;
    case SLAW_OP_GE: return a >= b;
    case SLAW_OP_EQ: return a == b;
    case SLAW_OP_NE: return a != b;
    }
    return false;
}

/* Which runs to keep: label cells holding numbers compare as numbers
 * ("1.3B" equals 1300000000) when the value is one; missing cells match
 * nothing, neither == nor !=. */
static size_t mark_kept(const slaw_runs *r, size_t col, slaw_compare_op op, const char *value,
                        bool is_number, double threshold, bool *keep)
{
    const column *c = &r->cols[col];
    bool label = slaw_runs_column_is_label(r, col);
    size_t vlen = strlen(value), dropped = 0;
    for (size_t i = 0; i < r->n; i++) {
        if (label) {
            const char *t = slaw_runs_label(r, col, i);
            bool eq = is_number && !isnan(c->values[i])
                          ? c->values[i] == threshold
                          : strlen(t) == vlen && !memcmp(t, value, vlen);
            keep[i] = c->label_at[i] != SIZE_MAX && (op == SLAW_OP_EQ ? eq : !eq);
        } else {
            double v = c->values[i];
            keep[i] = !isnan(v) && holds(v, op, threshold);
        }
        dropped += !keep[i];
    }
    return dropped;
}

slaw_status where_apply(slaw_runs *r, const slaw_condition *cond, const char *expr, size_t *removed,
                        slaw_error *err)
{
    size_t col;
    if (!slaw_runs_column_find(r, cond->column, &col))
        return error_set_option(err, SLAW_EUSAGE, "where", "where '%s': no column '%s'", expr,
                                cond->column);
    bool label = slaw_runs_column_is_label(r, col);
    double threshold = 0;
    const char *why;
    if (label && cond->op != SLAW_OP_EQ && cond->op != SLAW_OP_NE)
        return error_set_option(err, SLAW_EUSAGE, "where",
                                "where '%s': column '%s' holds text; only == and != apply", expr,
                                r->cols[col].name);
    bool is_number =
        slaw_number_parse(cond->value, strlen(cond->value), &threshold, &why) == SLAW_OK;
    if (!label && !is_number)
        return error_set_option(err, SLAW_EUSAGE, "where", "where '%s': '%s' is %s", expr,
                                cond->value, why);
    bool *keep = malloc((r->n ? r->n : 1) * sizeof *keep);
    if (!keep) return error_nomem(err);
    size_t dropped = mark_kept(r, col, cond->op, cond->value, is_number, threshold, keep);
    runs_compact(r, keep);
    free(keep);
    if (removed) *removed = dropped;
    return SLAW_OK;
}

slaw_status where_parse_or_fail(const char *expr, where_parts *out, slaw_error *err)
{
    if (where_parse(expr, out) && out->column_len < 256) return SLAW_OK;
    return error_set_option(err, SLAW_EUSAGE, "where",
                            "where '%s': expected COLUMN OP VALUE with OP one of "
                            "< <= > >= == !=",
                            expr);
}

slaw_status slaw_runs_where(slaw_runs *r, const char *expr, size_t *removed, slaw_error *err)
{
    where_parts w;
    slaw_status st = where_parse_or_fail(expr, &w, err);
    if (st != SLAW_OK) return st;
    char name[256], *value = malloc(w.value_len + 1);
    if (!value) return error_nomem(err);
    memcpy(name, w.column, w.column_len);
    name[w.column_len] = '\0';
    memcpy(value, w.value, w.value_len);
    value[w.value_len] = '\0';
    slaw_condition cond = {name, w.op, value};
    st = where_apply(r, &cond, expr, removed, err);
    free(value);
    return st;
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
        return error_set_option(err, SLAW_EUSAGE, "drop_top",
                                "drop_top: no target column (name one with role_column[L] COLUMN)");
    if (k == 0) {
        if (removed) *removed = 0;
        return SLAW_OK;
    }
    slaw_status st = slaw_runs_validate(r, err); /* ranking needs every target */
    if (st != SLAW_OK) return st;
    if (k >= r->n)
        return error_set_option(err, SLAW_EUSAGE, "drop_top",
                                "drop_top %zu: only %zu runs; nothing would be left", k, r->n);
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
        return error_set_option(err, SLAW_EUSAGE, "drop_top",
                                "drop_top %zu: the target ties at its top value in every run; "
                                "nothing would be left",
                                k);
    }
    runs_compact(r, keep);
    free(sorted);
    free(keep);
    if (removed) *removed = dropped;
    return SLAW_OK;
}
