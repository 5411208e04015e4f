/* runs_selection.c — the selection of runs as a value: where, per-key and
 * drop-top steps in their order, applied in one place for every caller. */
#include "runs.h"
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A copy of s[0..n), NUL-terminated; NULL when out of memory. */
static char *copy_span(const char *s, size_t n)
{
    char *t = malloc(n + 1);
    if (t) {
        memcpy(t, s, n);
        t[n] = '\0';
    }
    return t;
}

struct slaw_selection {
    slaw_step *steps; /* every string an owned copy */
    size_t n, cap;
};

static const char *const kind_names[] = {"where", "per", "drop_top"};

const char *slaw_step_kind_name(slaw_step_kind kind)
{
    return (unsigned)kind < sizeof kind_names / sizeof kind_names[0] ? kind_names[kind] : NULL;
}

slaw_selection *slaw_selection_new(void)
{
    return calloc(1, sizeof(slaw_selection));
}

static void step_clear(slaw_step *s)
{
    free((char *)s->text);
    free((char *)s->where.column);
    free((char *)s->where.value);
    for (size_t i = 0; s->per.columns && i < s->per.n_columns; i++) free((char *)s->per.columns[i]);
    free((void *)s->per.columns);
}

void slaw_selection_free(slaw_selection *sel)
{
    if (!sel) return;
    for (size_t i = 0; i < sel->n; i++) step_clear(&sel->steps[i]);
    free(sel->steps);
    free(sel);
}

size_t slaw_selection_count(const slaw_selection *sel)
{
    return sel ? sel->n : 0;
}

const slaw_step *slaw_selection_step(const slaw_selection *sel, size_t i)
{
    return sel && i < sel->n ? &sel->steps[i] : NULL;
}

/* "COLUMN OP VALUE", the value in quotes when trimming would change it. */
static char *condition_text(const slaw_condition *c)
{
    size_t n = strlen(c->value);
    bool quote = !n || strchr(" \t", c->value[0]) || strchr(" \t", c->value[n - 1]);
    const char *q = quote ? "'" : "";
    size_t size = strlen(c->column) + n + 12;
    char *text = malloc(size);
    if (text)
        snprintf(text, size, "%s %s %s%s%s", c->column, slaw_compare_op_name(c->op), q, c->value,
                 q);
    return text;
}

static slaw_status check_step(const slaw_step *s, slaw_error *err)
{
    switch (s->kind) {
    case SLAW_STEP_WHERE:
        if (!slaw_compare_op_name(s->where.op) || !s->where.column || !*s->where.column ||
            !s->where.value)
            return error_set(err, SLAW_EUSAGE, NULL, 0,
                             "a where step needs a column, an operator (< <= > >= == !=) "
                             "and a value");
        return SLAW_OK;
    case SLAW_STEP_PER:
        if (s->per.keep != SLAW_PER_BEST && s->per.keep != SLAW_PER_MEAN &&
            !(s->per.keep == SLAW_PER_NONE && s->per.inverse_variance))
            return error_set(err, SLAW_EUSAGE, NULL, 0, "a per step keeps best or mean");
        if (s->per.keep != SLAW_PER_NONE && (!s->per.n_columns || !s->per.columns))
            return error_set(err, SLAW_EUSAGE, NULL, 0, "a per step needs its key's columns");
        for (size_t i = 0; i < s->per.n_columns; i++)
            if (!s->per.columns[i])
                return error_set(err, SLAW_EUSAGE, NULL, 0, "a per step's column is NULL");
        return SLAW_OK;
    case SLAW_STEP_DROP_TOP:
        if (!s->count)
            return error_set(err, SLAW_EUSAGE, NULL, 0, "a drop_top step drops 1 or more");
        return SLAW_OK;
    }
    return error_set(err, SLAW_EUSAGE, NULL, 0, "unknown step kind %d", (int)s->kind);
}

/* Copies from's strings into to (zeroed); false when out of memory, with
 * what was copied left for step_clear. */
static bool step_copy(slaw_step *to, const slaw_step *from)
{
    to->kind = from->kind;
    to->count = from->count;
    to->per = from->per;
    to->per.columns = NULL;
    to->per.n_columns = 0;
    to->where.op = from->where.op;
    if (from->kind == SLAW_STEP_WHERE) {
        if (!(to->where.column = text_copy(from->where.column)) ||
            !(to->where.value = text_copy(from->where.value)))
            return false;
        to->text = from->text ? text_copy(from->text) : condition_text(&from->where);
        return to->text != NULL;
    }
    if (from->kind != SLAW_STEP_PER || !from->per.n_columns) return true;
    const char **cols = calloc(from->per.n_columns, sizeof *cols);
    if (!(to->per.columns = cols)) return false;
    for (size_t i = 0; i < from->per.n_columns; i++, to->per.n_columns++)
        if (!(cols[i] = text_copy(from->per.columns[i]))) return false;
    return true;
}

slaw_status slaw_selection_add(slaw_selection *sel, const slaw_step *step, slaw_error *err)
{
    if (!sel) return error_nomem(err); /* slaw_selection_new ran out */
    slaw_status st = check_step(step, err);
    if (st != SLAW_OK) return st;
    if (sel->n == sel->cap) {
        size_t cap = sel->cap ? 2 * sel->cap : 4;
        slaw_step *grown = realloc(sel->steps, cap * sizeof *grown);
        if (!grown) return error_nomem(err);
        sel->steps = grown;
        sel->cap = cap;
    }
    slaw_step *to = &sel->steps[sel->n];
    memset(to, 0, sizeof *to);
    if (!step_copy(to, step)) {
        step_clear(to);
        return error_nomem(err);
    }
    sel->n++;
    return SLAW_OK;
}

slaw_status slaw_selection_add_where(slaw_selection *sel, const char *expr, slaw_error *err)
{
    where_parts w;
    slaw_status st = where_parse_or_fail(expr, &w, err);
    if (st != SLAW_OK) return st;
    slaw_step step = {.kind = SLAW_STEP_WHERE, .text = expr};
    char *col = copy_span(w.column, w.column_len), *value = copy_span(w.value, w.value_len);
    step.where = (slaw_condition){col, w.op, value};
    st = col && value ? slaw_selection_add(sel, &step, err) : error_nomem(err);
    free(col);
    free(value);
    return st;
}

slaw_selection *slaw_selection_copy(const slaw_selection *sel)
{
    slaw_selection *c = slaw_selection_new();
    for (size_t i = 0; c && i < slaw_selection_count(sel); i++)
        if (slaw_selection_add(c, &sel->steps[i], NULL) != SLAW_OK) {
            slaw_selection_free(c);
            return NULL;
        }
    return c;
}

size_t slaw_selection_columns(const slaw_selection *sel, const char **out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < slaw_selection_count(sel); i++) {
        const slaw_step *s = &sel->steps[i];
        if (s->kind == SLAW_STEP_WHERE && n < max) out[n++] = s->where.column;
        for (size_t k = 0; s->kind == SLAW_STEP_PER && k < s->per.n_columns && n < max; k++)
            out[n++] = s->per.columns[k];
    }
    return n;
}

slaw_status slaw_selection_merge(const slaw_selection *base, const slaw_selection *extra,
                                 slaw_selection **out, slaw_error *err)
{
    size_t lead = 0, n_base = slaw_selection_count(base);
    while (lead < n_base && base->steps[lead].kind == SLAW_STEP_WHERE) lead++;
    slaw_selection *m = slaw_selection_new();
    slaw_status st = m ? SLAW_OK : error_nomem(err);
    for (size_t i = 0; i < lead && st == SLAW_OK; i++)
        st = slaw_selection_add(m, &base->steps[i], err);
    for (size_t i = 0; i < slaw_selection_count(extra) && st == SLAW_OK; i++)
        st = slaw_selection_add(m, &extra->steps[i], err);
    for (size_t i = lead; i < n_base && st == SLAW_OK; i++)
        st = slaw_selection_add(m, &base->steps[i], err);
    if (st != SLAW_OK) {
        slaw_selection_free(m);
        return st;
    }
    *out = m;
    return SLAW_OK;
}

static slaw_status apply_step(const slaw_step *s, slaw_runs *r, const slaw_space *space,
                              size_t *removed, slaw_error *err)
{
    slaw_per_options per = s->per;
    switch (s->kind) {
    case SLAW_STEP_WHERE: return where_apply(r, &s->where, s->text, removed, err);
    case SLAW_STEP_PER:
        if (space) per.space = *space;
        return slaw_runs_per(r, &per, removed, err);
    case SLAW_STEP_DROP_TOP: return slaw_runs_drop_top(r, s->count, removed, err);
    }
    return error_set(err, SLAW_EINTERNAL, NULL, 0, "unknown step kind %d", (int)s->kind);
}

slaw_status selection_apply(const slaw_selection *sel, slaw_runs *r, const slaw_space *space,
                            size_t *removed, slaw_error *err)
{
    size_t read = r->n, n = slaw_selection_count(sel);
    bool validated = false;
    slaw_status st = SLAW_OK;
    for (size_t i = 0; i < n && st == SLAW_OK; i++) {
        const slaw_step *s = &sel->steps[i];
        size_t before = r->n, gone = 0;
        if (s->kind != SLAW_STEP_WHERE && !validated) {
            validated = true; /* the runs the where steps kept must be usable */
            if ((st = slaw_runs_validate(r, err)) != SLAW_OK) break;
        }
        st = apply_step(s, r, space, &gone, err);
        if (removed) removed[i] = gone;
        if (st == SLAW_OK && s->kind == SLAW_STEP_WHERE && r->n == 0 && read)
            /* say which filter emptied the table: it may not be one the caller wrote */
            return error_set(err, SLAW_EINPUT, NULL, 0,
                             "no runs left after filtering (%zu read): where '%s' removed the "
                             "last %zu",
                             read, s->text, before);
    }
    if (st == SLAW_OK && !validated) st = slaw_runs_validate(r, err);
    if (st == SLAW_OK && r->n == 0)
        st = error_set(err, SLAW_EINPUT, NULL, 0, "no runs left after filtering (%zu read)", read);
    return st;
}

slaw_status slaw_selection_apply(const slaw_selection *sel, slaw_runs *runs, size_t *removed,
                                 slaw_error *err)
{
    return selection_apply(sel, runs, NULL, removed, err);
}
