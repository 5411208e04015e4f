/* fit_groups.c — which runs are fitted together (--by) and which are resampled
 * together (--bootstrap-by). */
#include "fit_groups.h"
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void groups_free(group_rows *g, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(g[i].name);
        free(g[i].rows);
    }
    free(g);
}

/* Where a group sorts: per column it groups by, the value (numbers) or the
 * first run with its label (text). */
typedef struct group_key {
    double key[RUNS_MAX_GROUP_PARTS];
    size_t n_keys, index;
} group_key;

static int compare_keys(const void *a, const void *b)
{
    const group_key *x = a, *y = b;
    for (size_t k = 0; k < x->n_keys; k++)
        if (x->key[k] != y->key[k]) return x->key[k] < y->key[k] ? -1 : 1;
    return (x->index > y->index) - (x->index < y->index);
}

/* Orders the groups: numeric columns by value, text by first appearance
 * (so 0.25, 0.5, 1, 2, 16 rather than 0.25, 0.5, 1, 16, 2). */
static slaw_status order_groups(const slaw_runs *runs, size_t gcol, group_rows *g, size_t ng,
                                slaw_error *err)
{
    size_t one[1] = {gcol};
    const size_t *parts = runs->n_group_parts ? runs->group_parts : one;
    size_t n_parts = runs->n_group_parts ? runs->n_group_parts : 1;
    if (n_parts == 1 && slaw_runs_column_is_label(runs, parts[0])) return SLAW_OK; /* as split */
    group_key *keys = malloc((ng ? ng : 1) * sizeof *keys);
    group_rows *sorted = malloc((ng ? ng : 1) * sizeof *sorted);
    if (!keys || !sorted) {
        free(keys);
        free(sorted);
        return error_nomem(err);
    }
    for (size_t i = 0; i < ng; i++) {
        keys[i] = (group_key){.n_keys = n_parts, .index = i};
        for (size_t k = 0; k < n_parts; k++) {
            size_t col = parts[k], row = g[i].rows[0];
            if (!slaw_runs_column_is_label(runs, col)) {
                keys[i].key[k] = slaw_runs_value(runs, col, row);
                continue;
            }
            /* The first run with this label starts the first group that has it. */
            const char *label = slaw_runs_label(runs, col, row);
            size_t first = 0;
            while (strcmp(slaw_runs_label(runs, col, g[first].rows[0]), label) != 0) first++;
            keys[i].key[k] = (double)g[first].rows[0];
        }
    }
    qsort(keys, ng, sizeof *keys, compare_keys);
    for (size_t i = 0; i < ng; i++) sorted[i] = g[keys[i].index];
    memcpy(g, sorted, ng * sizeof *g);
    free(sorted);
    free(keys);
    return SLAW_OK;
}

/* Every run in one group (no group without runs): the table has no group
 * role. */
static slaw_status one_group(size_t n, group_rows **out, size_t *n_out, slaw_error *err)
{
    group_rows *g = calloc(1, sizeof *g);
    if (!g || (n && !(g->rows = malloc(n * sizeof *g->rows)))) {
        free(g);
        return error_nomem(err);
    }
    for (size_t i = 0; i < n; i++) g->rows[i] = i;
    g->n = n;
    *out = g;
    *n_out = n ? 1 : 0;
    return SLAW_OK;
}

/* The group each run belongs to, in group order (order_groups). */
slaw_status groups_split(const slaw_runs *runs, group_rows **out, size_t *n_out, slaw_error *err)
{
    size_t n = slaw_runs_count(runs), gcol, ng = 0;
    if (!slaw_runs_role_column(runs, SLAW_ROLE_GROUP, &gcol)) return one_group(n, out, n_out, err);
    group_rows *g = calloc(n ? n : 1, sizeof *g);
    if (!g) return error_nomem(err);
    for (size_t i = 0; i < n; i++) {
        char buf[64];
        const char *name = runs_group_name(runs, gcol, i, buf, sizeof buf);
        size_t k = 0;
        while (k < ng && strcmp(g[k].name, name) != 0) k++;
        if (k == ng) {
            g[ng].rows = malloc(n * sizeof *g[ng].rows);
            g[ng].name = text_copy(name);
            ng++;
            if (!g[k].rows || !g[k].name) {
                groups_free(g, ng);
                return error_nomem(err);
            }
        }
        g[k].rows[g[k].n++] = i;
    }
    slaw_status st = order_groups(runs, gcol, g, ng, err);
    if (st != SLAW_OK) {
        groups_free(g, ng);
        return st;
    }
    *out = g;
    *n_out = ng;
    return SLAW_OK;
}

/* Which cluster each row belongs to: one per run, or one per value of the
 * --bootstrap-by column. */
slaw_status groups_clusters(const slaw_runs *runs, const group_rows *g, const char *by,
                            size_t *cluster_of, size_t *n_clusters, slaw_error *err)
{
    size_t col;
    if (!by) {
        for (size_t i = 0; i < g->n; i++) cluster_of[i] = i;
        *n_clusters = g->n;
        return SLAW_OK;
    }
    if (!slaw_runs_column_find(runs, by, &col))
        return error_set_option(err, SLAW_EUSAGE, "bootstrap_by", "bootstrap_by %s: no such column",
                                by);
    bool label = slaw_runs_column_is_label(runs, col);
    *n_clusters = 0;
    for (size_t i = 0; i < g->n; i++) {
        size_t k = 0, run = g->rows[i];
        for (; k < i; k++) {
            size_t other = g->rows[k];
            bool same =
                label ? !strcmp(slaw_runs_label(runs, col, run), slaw_runs_label(runs, col, other))
                      : slaw_runs_value(runs, col, run) == slaw_runs_value(runs, col, other);
            if (same) break;
        }
        cluster_of[i] = k < i ? cluster_of[k] : (*n_clusters)++;
    }
    if (*n_clusters < 2)
        return error_set_option(
            err, SLAW_EFIT, "bootstrap_by",
            "bootstrap_by %s: the runs have a single value of it; nothing to resample", by);
    return SLAW_OK;
}

const char *group_prefix(const char *group, char *buf, size_t size)
{
    if (!group) return "";
    snprintf(buf, size, "group '%s': ", group);
    return buf;
}
