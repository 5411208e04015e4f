/* groups.c — which runs are fitted together (--by) and which are resampled
 * together (--bootstrap-by). */
#include "fit.h"

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

/* The group each run belongs to, in order of first appearance. */
slaw_status groups_split(const slaw_runs *runs, group_rows **out, size_t *n_out,
                                slaw_error *err)
{
    size_t n = slaw_runs_count(runs), gcol, ng = 0;
    bool grouped = slaw_runs_role_column(runs, SLAW_ROLE_GROUP, &gcol);
    group_rows *g = calloc(n ? n : 1, sizeof *g);
    if (!g) return error_set(err, SLAW_ENOMEM, NULL, 0, "out of memory");
    for (size_t i = 0; i < n; i++) {
        char buf[64];
        const char *name = NULL;
        if (grouped) name = runs_group_name(runs, gcol, i, buf, sizeof buf);
        size_t k = 0;
        while (k < ng && grouped && strcmp(g[k].name, name) != 0) k++;
        if (k == ng) {
            g[ng].rows = malloc(n * sizeof *g[ng].rows);
            g[ng].name = name ? text_copy(name) : NULL;
            ng++;
            if (!g[k].rows || (name && !g[k].name)) {
                groups_free(g, ng);
                return error_set(err, SLAW_ENOMEM, NULL, 0, "out of memory");
            }
        }
        g[k].rows[g[k].n++] = i;
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
        return error_set(err, SLAW_EUSAGE, NULL, 0, "--bootstrap-by %s: no such column", by);
    bool label = slaw_runs_column_is_label(runs, col);
    *n_clusters = 0;
    for (size_t i = 0; i < g->n; i++) {
        size_t k = 0, run = g->rows[i];
        for (; k < i; k++) {
            size_t other = g->rows[k];
            bool same = label ? !strcmp(slaw_runs_label(runs, col, run), slaw_runs_label(runs, col, other))
                              : slaw_runs_value(runs, col, run) == slaw_runs_value(runs, col, other);
            if (same) break;
        }
        cluster_of[i] = k < i ? cluster_of[k] : (*n_clusters)++;
    }
    if (*n_clusters < 2)
        return error_set(err, SLAW_EFIT, NULL, 0,
                         "--bootstrap-by %s: the runs have a single value of it; nothing to resample",
                         by);
    return SLAW_OK;
}
