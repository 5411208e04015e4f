/* plot_plan.c — which run to train next, as a map: the candidate runs on
 * the (N, D) plane coloured by the shrinkage of the target's interval per
 * budget spent (slaw_plan_rank), those over the budget hollow, the best set
 * within the budget (slaw_plan_greedy) ringed, the runs of the fit, and the
 * target where it is a point of the plane. */
#include "artifact.h"
#include "plot_axes.h"
#include "plot_fits.h"
#include "plot_kinds.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PICKS 64
#define COLOR_TARGET "#D55E00"

/* A run's place on the (N, D) plane from the law's variables: N and D, or
 * from C and M (N·D = C/6 through the compute model, M = D/N). */
static void plane_of(const slaw_law *law, const double *vars, double *n, double *dd)
{
    size_t in = law_var_index(law, SLAW_ROLE_N), id = law_var_index(law, SLAW_ROLE_D),
           ic = law_var_index(law, SLAW_ROLE_C), im = law_var_index(law, SLAW_ROLE_M);
    if (in != SIZE_MAX && id != SIZE_MAX) {
        *n = vars[in];
        *dd = vars[id];
        return;
    }
    double nd = ic != SIZE_MAX ? slaw_compute_param_tokens(vars[ic]) : NAN;
    double m = im != SIZE_MAX ? vars[im] : NAN;
    *n = sqrt(nd / m);
    *dd = sqrt(nd * m);
}

/* The target's place on the plane: the point, or the compute-optimal
 * allocation at the budget; false for a loss to reach. */
static bool target_place(const slaw_fit *f, const slaw_plan_target *t,
                         const slaw_forecast_options *fo, double *n, double *dd)
{
    slaw_optimum o;
    if (t->kind == SLAW_PLAN_POINT) {
        plane_of(slaw_fit_law(f), t->vars, n, dd);
        return true;
    }
    if (t->kind != SLAW_PLAN_OPTIMUM || slaw_optimal_compute(f, t->C, fo, &o, NULL) != SLAW_OK)
        return false;
    *n = o.N.value;
    *dd = o.D.value;
    return true;
}

static void candidates_block(plot_doc *d, const slaw_law *law, const slaw_plan_run *runs, size_t n,
                             double budget, bool affordable, plot_axis *cb)
{
    char name[32], title[120];
    size_t m = 0;
    plot_block_begin(d, affordable ? "candidates" : "over", name);
    for (size_t i = 0; i < n; i++) {
        if ((runs[i].cost <= budget) != affordable) continue;
        double per_budget = runs[i].value * budget, row[3] = {0, 0, per_budget};
        plane_of(law, runs[i].vars, &row[0], &row[1]);
        plot_row(d, row, 3, 1);
        if (per_budget > 0) axis_extend(cb, per_budget);
        m++;
    }
    plot_block_end(d);
    if (!m) return;
    snprintf(title, sizeof title,
             affordable ? "candidate runs within the budget (%zu)"
                        : "candidate runs over the budget (%zu)",
             m);
    plot_element(d, LAYER_POINT, title, "%s using 1:2:3 with points pt %d ps %.3g lc palette z",
                 name, affordable ? 7 : 6, 1.6 * plot_ps(d));
}

static slaw_status fit_runs_block(plot_doc *d, const slaw_artifact *a, const slaw_fit *f,
                                  slaw_error *err)
{
    run_view v;
    char name[32], title[64];
    slaw_status st = run_view_make(a, d->opt->runs, &f, 1, &v, err);
    if (st != SLAW_OK) return st;
    size_t m = 0;
    plot_block_begin(d, "runs", name);
    for (size_t i = 0; i < v.n; i++) {
        if (v.fit[i] == SIZE_MAX) continue;
        double row[2] = {v.x[i], v.d[i]};
        plot_row(d, row, 2, 1);
        m++;
    }
    plot_block_end(d);
    snprintf(title, sizeof title, "runs of the fit (%zu)", m);
    plot_element(d, LAYER_MARK, title, "%s using 1:2 with points pt 1 lc rgb \"" COLOR_BLACK "\"",
                 name);
    run_view_free(&v);
    return SLAW_OK;
}

static void picks_block(plot_doc *d, const slaw_law *law, const slaw_plan_run *runs,
                        const size_t *chosen, size_t n, double removed)
{
    char name[32], title[120];
    plot_block_begin(d, "best", name);
    for (size_t m = 0; m < n; m++) {
        double row[2];
        plane_of(law, runs[chosen[m]].vars, &row[0], &row[1]);
        plot_row(d, row, 2, 1);
    }
    plot_block_end(d);
    snprintf(title, sizeof title, "best %zu within the budget: %.1f%% of the width removed", n,
             100 * removed);
    plot_element(d, LAYER_MARK, title,
                 "%s using 1:2 with points pt 4 ps %.3g lw %.3g lc rgb \"" COLOR_BLACK "\"", name,
                 3 * plot_ps(d), plot_lw(d));
}

slaw_status plot_plan(plot_doc *d, const slaw_artifact *a, slaw_error *err)
{
    const slaw_plot_plan *opt = d->plan;
    const slaw_fit *f;
    size_t n_fits, chosen[MAX_PICKS], n_chosen = 0;
    double shrink[MAX_PICKS], tn, td;
    slaw_plan_summary sum;
    slaw_forecast_options fo;
    slaw_status st = plot_select_fits(a, d->opt->group, true, "plan", &f, 1, &n_fits, err);
    if (st != SLAW_OK) return st;
    if (!plot_law_of_n_and_d(slaw_fit_law(f)))
        return error_set(err, SLAW_EUSAGE, NULL, 0,
                         "a plan plot draws the (N, D) plane: law %s "
                         "reads %s (slaw plan ranks its candidates)",
                         slaw_law_name(slaw_fit_law(f)),
                         slaw_law_var_count(slaw_fit_law(f)) == 1 ? "one variable"
                                                                  : "variables other than N and D");
    if (!opt || !opt->target || !opt->runs || !opt->n_runs || !(opt->budget > 0))
        return error_set(err, SLAW_EUSAGE, NULL, 0,
                         "a plan plot needs the target, the candidate runs "
                         "and the budget (slaw_plot_plan_script)");
    slaw_plan_run *runs = malloc(opt->n_runs * sizeof *runs);
    if (!runs) return error_nomem(err);
    memcpy(runs, opt->runs, opt->n_runs * sizeof *runs);
    plot_forecast_options(d, a, &fo);
    if (opt->held) fo.held = opt->held; /* as slaw plan ranks them */
    fo.flops_per_token = opt->flops_per_token;
    size_t k = opt->picks ? opt->picks : 3;
    if (k > MAX_PICKS) k = MAX_PICKS;
    st = slaw_plan_rank(f, opt->target, &fo, runs, opt->n_runs, &sum, err);
    if (st == SLAW_OK)
        st = slaw_plan_greedy(f, opt->target, &fo, runs, opt->n_runs, opt->budget, k, chosen,
                              &n_chosen, shrink, err);
    if (st == SLAW_OK && d->opt->runs) st = fit_runs_block(d, a, f, err);
    if (st != SLAW_OK) goto out;
    d->x.units = d->y.units = UNITS_COUNT;
    d->x.log = d->y.log = true;
    plot_axis cb = {INFINITY, -INFINITY, true, UNITS_PLAIN};
    const slaw_law *law = slaw_fit_law(f);
    candidates_block(d, law, runs, opt->n_runs, opt->budget, true, &cb);
    candidates_block(d, law, runs, opt->n_runs, opt->budget, false, &cb);
    if (n_chosen) picks_block(d, law, runs, chosen, n_chosen, shrink[n_chosen - 1]);
    if (target_place(f, opt->target, &fo, &tn, &td)) {
        char name[32];
        plot_block_begin(d, "target", name);
        plot_row(d, (double[]){tn, td}, 2, 1);
        plot_block_end(d);
        plot_element(d, LAYER_MARK,
                     opt->target->kind == SLAW_PLAN_POINT ? "the target"
                                                          : "the target's compute-optimal N*, D*",
                     "%s using 1:2 with points pt 3 ps %.3g lw %.3g lc rgb \"" COLOR_TARGET "\"",
                     name, 3 * plot_ps(d), plot_lw(d));
    }
    char title[400];
    snprintf(title, sizeof title,
             "which run next: the %g%% CI of the target is [%.5g, %.5g] "
             "around %.5g\ncolour: the CI width removed per budget spent (budget %.3g)",
             100 * sum.level, sum.lo, sum.hi, sum.value, opt->budget);
    plot_title(d, title);
    plot_palette(d);
    plot_axis_set(d, "x", &d->x, "model size N (parameters)");
    plot_axis_set(d, "y", &d->y, "training tokens D");
    plot_axis_set(d, "cb", &cb, "shrink / (cost / budget)");
out:
    free(runs);
    return st;
}
