/* runs_suggest.c — the columns a misspelt or shortened column name most likely
 * meant: "params" for "hyperparameters.params", "val_los" for "val_loss". */
#include "runs.h"

#include <string.h>

/* Levenshtein distance between a and b, or max + 1 once it exceeds max. */
static size_t edit_distance(const char *a, const char *b, size_t max)
{
    size_t la = strlen(a), lb = strlen(b);
    size_t row[257];
    if (lb > 256 || (la > lb ? la - lb : lb - la) > max) return max + 1;
    for (size_t j = 0; j <= lb; j++) row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0], best = row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t v = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < v) v = up + 1;
            if (row[j - 1] + 1 < v) v = row[j - 1] + 1;
            row[j] = v;
            diag = up;
            if (v < best) best = v;
        }
        if (best > max) return max + 1;
    }
    return row[lb];
}

/* How far column name have is from want (both normalised), comparing the
 * whole name and each dotted suffix ("hyperparameters.params" ends in
 * "params"); SIZE_MAX when too far to suggest. */
static size_t distance(const char *want, const char *have)
{
    size_t len = strlen(want);
    size_t max = len <= 2 ? 0 : len <= 4 ? 1 : len <= 8 ? 2 : 3;
    char norm[256];
    name_normalize(have, strlen(have), norm, sizeof norm);
    size_t best = edit_distance(want, norm, max);
    for (const char *p = strchr(have, '.'); p; p = strchr(p + 1, '.')) {
        name_normalize(p + 1, strlen(p + 1), norm, sizeof norm);
        size_t d = edit_distance(want, norm, max);
        if (d < best) best = d;
    }
    return best <= max ? best : SIZE_MAX;
}

static const char *last_part(const char *name)
{
    const char *dot = strrchr(name, '.');
    return dot ? dot + 1 : name;
}

/* A dotted name whose last component matches a column's last component
 * ("hyperparams.params" for "hyperparameters.params"), a step behind a
 * whole-name match. */
static size_t last_part_distance(const char *name, const char *have)
{
    if (!strchr(name, '.') || !strchr(have, '.')) return SIZE_MAX;
    char want[256];
    const char *w = last_part(name);
    name_normalize(w, strlen(w), want, sizeof want);
    size_t d = distance(want, last_part(have));
    return d == SIZE_MAX ? d : d + 1;
}

size_t columns_suggest(const slaw_runs *r, const char *name, size_t *cols, size_t max)
{
    char want[256];
    size_t dist[8], n = 0;
    if (max > 8) max = 8;
    name_normalize(name, strlen(name), want, sizeof want);
    if (!want[0]) return 0;
    for (size_t i = 0; i < r->n_cols; i++) {
        size_t d = distance(want, r->cols[i].name);
        size_t d2 = last_part_distance(name, r->cols[i].name);
        if (d2 < d) d = d2;
        if (d == SIZE_MAX) continue;
        size_t at = n < max ? n++ : max; /* insertion sort, best first, stable */
        while (at > 0 && dist[at - 1] > d) {
            if (at < max) {
                dist[at] = dist[at - 1];
                cols[at] = cols[at - 1];
            }
            at--;
        }
        if (at < max) {
            dist[at] = d;
            cols[at] = i;
        }
    }
    return n;
}

void columns_suggest_text(const slaw_runs *r, const char *name, char *buf, size_t size)
{
    size_t cols[3], n = columns_suggest(r, name, cols, 3);
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && o < size; i++) {
        int k = snprintf(buf + o, size - o, "%s'%s'",
                         i == 0       ? " (did you mean "
                         : i + 1 == n ? " or "
                                      : ", ",
                         r->cols[cols[i]].name);
        if (k < 0) break;
        o += (size_t)k;
    }
    if (n && o < size) snprintf(buf + o, size - o, "?)");
}
