/* fit_groups.h — the runs of each group, and the clusters a bootstrap draws
 * (fit_groups.c). */
#ifndef SLAW_FIT_GROUPS_H
#define SLAW_FIT_GROUPS_H

#include "runs.h"

typedef struct group_rows {
    char *name; /* NULL when ungrouped */
    size_t *rows;
    size_t n;
} group_rows;

/* The runs of each value of the group column, in order of first appearance
 * (one group of every run when there is none). */
slaw_status groups_split(const slaw_runs *runs, group_rows **out, size_t *n_out, slaw_error *err);
void groups_free(group_rows *g, size_t n);
/* The cluster of each row of g: one per run, or one per value of column by. */
slaw_status groups_clusters(const slaw_runs *runs, const group_rows *g, const char *by,
                            size_t *cluster_of, size_t *n_clusters, slaw_error *err);
/* "group 'x': " for messages about a group; "" when ungrouped. */
const char *group_prefix(const char *group, char *buf, size_t size);

#endif /* SLAW_FIT_GROUPS_H */
