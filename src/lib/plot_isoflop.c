/* plot_isoflop.c — IsoFLOP profiles (Hoffmann et al.'s Approach 2) as a
 * picture: loss against N for each compute budget, coloured by the budget,
 * with each budget's fitted parabola in ln N, its minimum N* and interval,
 * and the line through the minima.
 *
 * slaw_isoflop_run says which budget each run belongs to and each
 * parabola's curvature b2, so that p(u) = L* + b2 (u - ln N*)². */
#include "plot_axes.h"
#include "plot_kinds.h"
#include "runs.h"

#include <math.h>
#include <stdlib.h>

#define PARABOLA_POINTS 60

typedef struct iso_run {
    double C, N, L;
    size_t run;
} iso_run;

static int compare_c(const void *a, const void *b)
{
    const iso_run *x = a, *y = b;
    if (x->C != y->C) return (x->C > y->C) - (x->C < y->C);
    return (x->run > y->run) - (x->run < y->run);
}

/* The budget of a run, when it was used. */
static const slaw_isoflop_budget *used_budget(const slaw_isoflop *r, const size_t *of, size_t run)
{
    const slaw_isoflop_budget *b = of[run] == SIZE_MAX ? NULL : slaw_isoflop_budget_at(r, of[run]);
    return b && b->used ? b : NULL;
}

/* The runs (N, L, C) of the used budgets and the parabolas through them. */
static void draw_profiles(plot_doc *d, const slaw_isoflop *r, const iso_run *runs, size_t n,
                          const size_t *of, plot_axis *cb)
{
    char pts[32], curves[32], left[32];
    size_t n_left = 0;
    plot_block_begin(d, "runs", pts);
    for (size_t i = 0; i < n; i++) {
        const slaw_isoflop_budget *b = used_budget(r, of, runs[i].run);
        if (!b) {
            n_left++;
            continue;
        }
        double row[3] = {runs[i].N, runs[i].L, b->C};
        plot_row(d, row, 3, 1);
    }
    plot_block_end(d);
    plot_block_begin(d, "parabolas", curves);
    for (size_t k = 0; k < slaw_isoflop_budget_count(r); k++) {
        const slaw_isoflop_budget *b = slaw_isoflop_budget_at(r, k);
        double lo = INFINITY, hi = -INFINITY, us = log(b->N.value);
        if (!b->used) continue;
        axis_extend(cb, b->C);
        for (size_t i = 0; i < n; i++) {
            if (of[runs[i].run] != k) continue;
            double u = log(runs[i].N);
            lo = fmin(lo, u);
            hi = fmax(hi, u);
        }
        double curv = slaw_isoflop_budget_curvature(r, k), pad = 0.12 * (hi - lo);
        for (size_t j = 0; j < PARABOLA_POINTS; j++) {
            double u = lo - pad + (hi - lo + 2 * pad) * (double)j / (PARABOLA_POINTS - 1);
            double row[3] = {exp(u), b->L + curv * (u - us) * (u - us), b->C};
            plot_row(d, row, 3, 0); /* the runs set the loss axis, not the parabolas' ends */
        }
        plot_block_gap(d);
    }
    plot_block_end(d);
    plot_element(d, LAYER_LINE, "parabola of loss in ln N, per budget",
                 "%s using 1:2:3 with lines lw %.3g lc palette z", curves, plot_lw(d));
    plot_element(d, LAYER_POINT, "runs (colour: the budget)",
                 "%s using 1:2:3 with points pt 7 lc palette z", pts);
    if (!n_left) return;
    plot_block_begin(d, "leftout", left);
    for (size_t i = 0; i < n; i++)
        if (!used_budget(r, of, runs[i].run)) {
            double row[2] = {runs[i].N, runs[i].L};
            plot_row(d, row, 2, 1);
        }
    plot_block_end(d);
    plot_element(d, LAYER_POINT, "runs of budgets left out (slaw isoflop says why)",
                 "%s using 1:2 with points pt 6 lc rgb \"" COLOR_GREY "\"", left);
}

/* Each used budget's minimum with the interval of N*, and a line through them. */
static void draw_minima(plot_doc *d, const slaw_isoflop *r)
{
    char name[32], text[120];
    plot_block_begin(d, "minima", name);
    for (size_t k = 0; k < slaw_isoflop_budget_count(r); k++) {
        const slaw_isoflop_budget *b = slaw_isoflop_budget_at(r, k);
        if (!b->used) continue;
        double row[4] = {b->N.value, b->L, b->N.lo, b->N.hi};
        plot_row(d, row, 4, 1);
    }
    plot_block_end(d);
    snprintf(text, sizeof text, "minimum N* of each budget, %g%% interval",
             100 * slaw_isoflop_level(r));
    plot_element(d, LAYER_MARK, NULL,
                 "%s using 1:2 with lines lw 1 dt 2 lc rgb \"" COLOR_BLACK "\"", name);
    plot_element(d, LAYER_MARK, text,
                 "%s using 1:2:3:4 with xerrorbars pt 13 ps %.3g lc rgb \"" COLOR_BLACK "\"", name,
                 1.4 * plot_ps(d));
}

static void isoflop_title(plot_doc *d, const slaw_isoflop *r)
{
    const slaw_isoflop_exponent *a = slaw_isoflop_n_exponent(r), *b = slaw_isoflop_d_exponent(r);
    char title[600];
    size_t used = 0;
    for (size_t k = 0; k < slaw_isoflop_budget_count(r); k++)
        used += slaw_isoflop_budget_at(r, k)->used;
    int o = snprintf(title, sizeof title,
                     "IsoFLOP profiles (Approach 2): %zu of %zu budgets "
                     "used\nN* ∝ C^a, a = %.4g",
                     used, slaw_isoflop_budget_count(r), a->exponent.value);
    if (isfinite(a->exponent.lo))
        o += snprintf(title + o, sizeof title - (size_t)o, " [%.4g, %.4g]", a->exponent.lo,
                      a->exponent.hi);
    o += snprintf(title + o, sizeof title - (size_t)o, ";  D* ∝ C^b, b = %.4g", b->exponent.value);
    if (isfinite(b->exponent.lo))
        snprintf(title + o, sizeof title - (size_t)o, " [%.4g, %.4g]", b->exponent.lo,
                 b->exponent.hi);
    plot_title(d, title);
}

slaw_status plot_isoflop(plot_doc *d, slaw_error *err)
{
    const slaw_runs *runs = d->opt->runs;
    slaw_isoflop *r = NULL;
    size_t nc, cc, lc;
    plot_axis cb = {INFINITY, -INFINITY, true, UNITS_FLOPS};
    if (!runs) return error_set(err, SLAW_EUSAGE, NULL, 0, "an isoflop plot needs runs");
    /* The intervals at the plot's level (an isoflop level of its own only
     * when the plot's is left at its default). */
    slaw_isoflop_options io = d->opt->isoflop;
    if (d->opt->level != 0 || io.level == 0) io.level = d->level;
    slaw_status st = slaw_isoflop_run(runs, &io, &r, err);
    if (st != SLAW_OK) return st;
    size_t n = slaw_runs_count(runs);
    iso_run *sorted = malloc((n ? n : 1) * sizeof *sorted);
    size_t *of = malloc((n ? n : 1) * sizeof *of);
    if (!sorted || !of) {
        st = error_nomem(err);
        goto out;
    }
    /* slaw_isoflop_run found these columns, or it would have failed. */
    slaw_runs_role_column(runs, SLAW_ROLE_N, &nc);
    slaw_runs_role_column(runs, SLAW_ROLE_C, &cc);
    slaw_runs_role_column(runs, SLAW_ROLE_L, &lc);
    for (size_t i = 0; i < n; i++) {
        sorted[i] = (iso_run){slaw_runs_value(runs, cc, i), slaw_runs_value(runs, nc, i),
                              slaw_runs_value(runs, lc, i), i};
        of[i] = slaw_isoflop_run_budget(r, i);
    }
    qsort(sorted, n, sizeof *sorted, compare_c); /* the runs' rows in increasing C */
    d->x.units = UNITS_COUNT;
    d->y = (plot_axis){INFINITY, -INFINITY, false, UNITS_PLAIN};
    draw_profiles(d, r, sorted, n, of, &cb);
    draw_minima(d, r);
    plot_palette(d);
    plot_set(d, "set key outside center bottom horizontal");
    isoflop_title(d, r);
    plot_axis_set(d, "x", &d->x, "model size N (parameters)");
    plot_axis_set(d, "y", &d->y, slaw_runs_column_name(runs, lc));
    plot_axis_set(d, "cb", &cb, "compute budget C (FLOPs)");
out:
    free(of);
    free(sorted);
    slaw_isoflop_free(r);
    return st;
}
