/* summary.c — what a run table holds, per role (for `slaw inspect`). */
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int compare_asc(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Only counted, never reported one by one: no run index needed (which
 * saves a third of the sort's memory on a million runs). */
typedef struct pair {
    double n, d;
} pair;

static int compare_pair(const void *a, const void *b)
{
    const pair *x = a, *y = b;
    if (x->n != y->n) return (x->n > y->n) - (x->n < y->n);
    return (x->d > y->d) - (x->d < y->d);
}

static void summarize_numeric(const double *v, size_t n, double *scratch, slaw_role_summary *s)
{
    memcpy(scratch, v, n * sizeof *scratch);
    qsort(scratch, n, sizeof *scratch, compare_asc);
    s->min = scratch[0];
    s->max = scratch[n - 1];
    s->decades = s->min > 0 ? log10(s->max / s->min) : 0;
    s->distinct = 1;
    for (size_t i = 1; i < n; i++) s->distinct += scratch[i] != scratch[i - 1];
}

static int compare_text(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static size_t distinct_labels(const slaw_runs *r, size_t col)
{
    const char **t = malloc(r->n * sizeof *t);
    if (!t) return 0;
    for (size_t i = 0; i < r->n; i++) t[i] = slaw_runs_label(r, col, i);
    qsort(t, r->n, sizeof *t, compare_text);
    size_t n = 1;
    for (size_t i = 1; i < r->n; i++) n += strcmp(t[i], t[i - 1]) != 0;
    free(t);
    return n;
}

void slaw_runs_summarize(const slaw_runs *r, slaw_runs_summary *out)
{
    memset(out, 0, sizeof *out);
    out->runs = r->n;
    if (!r->n) return;
    double *scratch = malloc(r->n * sizeof *scratch);
    if (!scratch) return;
    for (int k = 0; k < SLAW_ROLE_COUNT; k++) {
        size_t col;
        if (!slaw_runs_role_column(r, (slaw_role)k, &col)) continue;
        slaw_role_summary *s = &out->role[k];
        s->present = true;
        if (r->cols[col].label_at)
            s->distinct = distinct_labels(r, col);
        else
            summarize_numeric(r->cols[col].values, r->n, scratch, s);
    }
    free(scratch);
    size_t cn, cd;
    if (!slaw_runs_role_column(r, SLAW_ROLE_N, &cn) || !slaw_runs_role_column(r, SLAW_ROLE_D, &cd))
        return;
    pair *p = malloc(r->n * sizeof *p);
    if (!p) return;
    for (size_t i = 0; i < r->n; i++)
        p[i] = (pair){r->cols[cn].values[i], r->cols[cd].values[i]};
    qsort(p, r->n, sizeof *p, compare_pair);
    for (size_t i = 1; i < r->n; i++)
        out->duplicate_nd += p[i].n == p[i - 1].n && p[i].d == p[i - 1].d;
    free(p);
}
