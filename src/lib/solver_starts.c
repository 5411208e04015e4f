/* solver_starts.c — the start grid of a multi-start fit.
 *
 * A law's default grid is written in centred coordinates (scale parameters
 * relative to the data's typical size and loss) so one grid serves data in
 * any units; a grid given with --grid is in the law's own coordinates. */
#include "solver_starts.h"
#include "error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_GRID_POINTS 1000000
#define MAX_AXIS_POINTS 100000

/* Epoch AI's grid for the Chinchilla replication (Besiroglu et al. 2024). */
static const char epoch_grid[] = "alpha=0:2:0.5,beta=0:2:0.5,e=-1:1:0.5,a=0:25:5,b=0:25:5";

typedef struct axis {
    double *points;
    size_t n;
    bool centered; /* the law's default axis, in centred coordinates */
} axis;

/* The number of points lo, lo + step, ..., hi, as a double: a wide span
 * over a tiny step is more than any integer holds (even infinite), so the
 * caller compares it with the limit before converting it. */
static double axis_points(double lo, double hi, double step)
{
    if (lo == hi) return 1;
    return floor((hi - lo) / step + 1e-9) + 1;
}

static slaw_status axis_fill(axis *a, double lo, double hi, double step, bool to_log)
{
    a->n = (size_t)axis_points(lo, hi, step);
    a->points = malloc(a->n * sizeof *a->points);
    if (!a->points) return SLAW_ENOMEM;
    for (size_t i = 0; i < a->n; i++) {
        double v = lo + (double)i * step;
        a->points[i] = to_log ? log(v) : v;
    }
    return SLAW_OK;
}

/* One "NAME=LO:HI:STEP" or "NAME=VALUE" item of a grid spec. */
static slaw_status parse_item(const slaw_law *law, const char *item, size_t len, axis *axes,
                              bool *given, const char *spec, slaw_error *err)
{
    const char *eq = memchr(item, '=', len);
    if (!eq)
        return error_set_option(err, SLAW_EUSAGE, "grid",
                                "grid '%s': expected NAME=LO:HI:STEP or NAME=VALUE items", spec);
    bool internal;
    size_t j = law_param_index(law, item, (size_t)(eq - item), &internal);
    if (j == SIZE_MAX)
        return error_set_option(err, SLAW_EUSAGE, "grid",
                                "grid '%s': law %s has no parameter '%.*s'", spec, law->name,
                                (int)(eq - item), item);
    if (given[j])
        return error_set_option(err, SLAW_EUSAGE, "grid", "grid '%s': %s is given twice", spec,
                                law->params[j].name);
    const char *text = eq + 1;
    size_t tlen = len - (size_t)(text - item);
    double v[3];
    size_t nv = 0;
    const char *why;
    while (nv < 3) {
        const char *colon = memchr(text, ':', tlen);
        size_t flen = colon ? (size_t)(colon - text) : tlen;
        if (slaw_number_parse(text, flen, &v[nv], &why) != SLAW_OK)
            return error_set_option(err, SLAW_EUSAGE, "grid", "grid '%s': '%.*s' is %s", spec,
                                    (int)flen, text, why);
        nv++;
        if (!colon) break;
        tlen -= flen + 1;
        text = colon + 1;
        if (nv == 3)
            return error_set_option(err, SLAW_EUSAGE, "grid", "grid '%s': expected LO:HI:STEP",
                                    spec);
    }
    if (nv == 2)
        return error_set_option(err, SLAW_EUSAGE, "grid", "grid '%s': %s needs LO:HI:STEP", spec,
                                law->params[j].name);
    double lo = v[0], hi = nv == 3 ? v[1] : v[0], step = nv == 3 ? v[2] : 1.0;
    if (nv == 3 && (!(step > 0) || hi < lo))
        return error_set_option(err, SLAW_EUSAGE, "grid",
                                "grid '%s': %s needs LO <= HI and a positive STEP", spec,
                                law->params[j].name);
    if (!(axis_points(lo, hi, step) <= MAX_AXIS_POINTS))
        return error_set_option(err, SLAW_ELIMIT, "grid", "grid '%s': more than %d points for %s",
                                spec, MAX_AXIS_POINTS, law->params[j].name);
    bool to_log = !internal && law->params[j].scale == SCALE_LOG;
    if (to_log && !(lo > 0))
        return error_set_option(err, SLAW_EUSAGE, "grid",
                                "grid '%s': %s is positive (or give %s, its logarithm)", spec,
                                law->params[j].name, law->params[j].internal);
    given[j] = true;
    if (axis_fill(&axes[j], lo, hi, step, to_log) != SLAW_OK) return error_nomem(err);
    return SLAW_OK;
}

static slaw_status parse_spec(const slaw_law *law, const char *spec, axis *axes, bool *given,
                              slaw_error *err)
{
    const char *text = spec;
    if (!strcmp(spec, "epoch")) {
        if (strcmp(law->name, "chinchilla") != 0 && !law->program)
            return error_set_option(err, SLAW_EUSAGE, "grid",
                                    "grid epoch is Epoch AI's grid for the chinchilla law, not %s",
                                    law->name);
        text = epoch_grid;
    }
    while (*text) {
        size_t len = strcspn(text, ",");
        while (len && *text == ' ') text++, len--;
        if (!len)
            return error_set_option(err, SLAW_EUSAGE, "grid", "grid '%s': an empty item", spec);
        slaw_status st = parse_item(law, text, len, axes, given, spec, err);
        if (st != SLAW_OK) return st;
        text += len;
        if (*text == ',') text++;
    }
    return SLAW_OK;
}

/* A formula's default axis (formula.c) knows nothing of the parameter's
 * bounds: its points past one would all be moved onto the same edge, where
 * the transform's slope is nearly zero.  Between two bounds the axis spreads
 * evenly inside them; past a single bound a point is reflected across it. */
static double within_bounds(const param_map *pm, size_t j, size_t at, size_t n, double v)
{
    int k = pm->free_of[j];
    if (k < 0) return v;
    double lo = pm->lo[k], hi = pm->hi[k];
    switch (pm->kind[k]) {
    case BOUND_BOTH: return lo + (hi - lo) * ((double)at + 0.5) / (double)n;
    case BOUND_LOWER: return v > lo ? v : lo + (lo - v);
    case BOUND_UPPER: return v < hi ? v : hi - (v - hi);
    case BOUND_NONE: break;
    }
    return v;
}

static void copy_ties(const param_map *pm, double *t)
{
    for (size_t j = 0; j < pm->p; j++)
        if (pm->state[j] == SLAW_PARAM_TIED) t[j] = t[pm->param_of[pm->free_of[j]]];
}

void starts_free(start_grid *g)
{
    free(g->theta);
    free(g->cost);
    g->theta = g->cost = NULL;
    g->n = 0;
}

bool starts_local_minimum(const start_grid *g, const double *cost, size_t i)
{
    if (!(cost[i] < INFINITY)) return false;
    for (size_t a = 0; a < g->n_axes; a++) {
        size_t at = i / g->axis_stride[a] % g->axis_n[a], s = g->axis_stride[a];
        if (at > 0 && !(cost[i] < cost[i - s]) && !isnan(cost[i - s])) return false;
        if (at + 1 < g->axis_n[a] && cost[i + s] < cost[i]) return false;
    }
    return true;
}

slaw_status starts_build(const slaw_law *law, const char *spec, const data_summary *s,
                         const param_map *pm, start_grid *out, slaw_error *err)
{
    axis axes[LAW_MAX_PARAMS] = {{0}};
    bool given[LAW_MAX_PARAMS] = {false};
    size_t p = law->n_params, total = 1;
    slaw_status st = SLAW_OK;

    memset(out, 0, sizeof *out);
    if (spec && *spec && (st = parse_spec(law, spec, axes, given, err))) goto out;
    for (size_t j = 0; j < p; j++) {
        if (given[j]) continue;
        const grid_axis *g = &law->grid[j];
        if ((st = axis_fill(&axes[j], g->lo, g->hi, g->step, false))) {
            error_nomem(err);
            goto out;
        }
        axes[j].centered = true;
    }
    /* Fixed and tied parameters do not span the grid. */
    for (size_t j = 0; j < p; j++) {
        if (pm->state[j] == SLAW_PARAM_FIXED || pm->state[j] == SLAW_PARAM_TIED) continue;
        if (total > MAX_GRID_POINTS / axes[j].n) {
            st =
                error_set(err, SLAW_ELIMIT, NULL, 0, "the start grid has more than %d points%s",
                          MAX_GRID_POINTS,
                          law->program ? " (4 or 7 per parameter left to a formula's default grid: "
                                         "give some parameters a grid or fix them)"
                                       : "");
            goto out;
        }
        total *= axes[j].n;
    }
    out->p = p;
    out->n = total;
    for (size_t jj = p, stride = 1; jj-- > 0;) {
        if (pm->state[jj] == SLAW_PARAM_FIXED || pm->state[jj] == SLAW_PARAM_TIED) continue;
        out->axis_n[out->n_axes] = axes[jj].n;
        out->axis_stride[out->n_axes++] = stride;
        stride *= axes[jj].n;
    }
    out->theta = malloc(total * p * sizeof *out->theta);
    if (!out->theta) {
        st = error_nomem(err);
        goto out;
    }
    bool centered[LAW_MAX_PARAMS] = {false}; /* past p: none (uncenter may scan them all) */
    for (size_t j = 0; j < p; j++)
        centered[j] = axes[j].centered && pm->state[j] == SLAW_PARAM_FREE;
    for (size_t i = 0; i < total; i++) {
        double *t = out->theta + i * p;
        size_t rest = i, at[LAW_MAX_PARAMS] = {0};
        /* The last parameter varies fastest. */
        for (size_t jj = p; jj-- > 0;) {
            if (pm->state[jj] == SLAW_PARAM_FIXED) {
                t[jj] = pm->fixed[jj];
            } else if (pm->state[jj] != SLAW_PARAM_TIED) {
                at[jj] = rest % axes[jj].n;
                t[jj] = axes[jj].points[at[jj]];
                rest /= axes[jj].n;
            }
        }
        /* Tied copies are needed both by uncenter (an exponent may be tied)
         * and after it (a scale parameter may be). */
        copy_ties(pm, t);
        law->uncenter(s, centered, t);
        if (law->program)
            for (size_t j = 0; j < p; j++)
                if (centered[j]) t[j] = within_bounds(pm, j, at[j], axes[j].n, t[j]);
        copy_ties(pm, t);
        /* A start on or past a bound is moved just inside it (param_map_u),
         * so that screening ranks the points the solver starts from. */
        double u[LAW_MAX_PARAMS];
        param_map_u(pm, t, u);
        param_map_theta(pm, u, t);
    }
out:
    for (size_t j = 0; j < p; j++) free(axes[j].points);
    if (st != SLAW_OK) starts_free(out);
    return st;
}
