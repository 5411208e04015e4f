/* plot_frontier.c — the compute-optimal frontier: N*(C) and D*(C) of a law
 * of N and D on log-log axes with their intervals (slaw_optimal_compute),
 * dashed past the compute of the runs, and the runs' own N and D. */
#include "artifact.h"
#include "plot_axes.h"
#include "plot_fits.h"
#include "plot_kinds.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define FRONTIER_POINTS 80 /* budgets over the data's compute */
#define BEYOND_POINTS 40   /* past it */
#define COLOR_N "#0072B2"
#define COLOR_D "#D55E00"
#define COLOR_RUNS_N "#56B4E9"
#define COLOR_RUNS_D "#E69F00"

/* Budgets from lo to hi: C, N*, its interval, D*, its interval. */
static slaw_status frontier_block(plot_doc *d, const slaw_fit *f, const slaw_forecast_options *fo,
                                  double lo, double hi, size_t n, char *name, slaw_optimum *last,
                                  size_t *drawn, slaw_error *err)
{
    plot_block_begin(d, "frontier", name);
    for (size_t i = 0; i < n; i++) {
        double C = lo * pow(hi / lo, (double)i / (double)(n - 1));
        slaw_error why;
        slaw_optimum o;
        slaw_status st = slaw_optimal_compute(f, C, fo, &o, &why);
        if (st == SLAW_EINPUT) { /* no interior minimum at this budget: a gap */
            double row[7] = {C, NAN, NAN, NAN, NAN, NAN, NAN};
            plot_row(d, row, 7, 0);
            continue;
        }
        if (st != SLAW_OK) {
            if (err) *err = why;
            return st;
        }
        double row[7] = {C, o.N.value, o.N.lo, o.N.hi, o.D.value, o.D.lo, o.D.hi};
        plot_row(d, row, 7, 6);
        *last = o;
        ++*drawn;
    }
    plot_block_end(d);
    return SLAW_OK;
}

static void frontier_elements(plot_doc *d, const char *name, bool banded, bool dashed)
{
    const char *dt = dashed ? " dt 2" : "";
    double lw = plot_lw(d);
    if (banded) {
        plot_element(d, LAYER_BAND, NULL, "%s using 1:3:4 " BAND_STYLE " lc rgb \"" COLOR_N "\"",
                     name);
        plot_element(d, LAYER_BAND, NULL, "%s using 1:6:7 " BAND_STYLE " lc rgb \"" COLOR_D "\"",
                     name);
    }
    plot_element(d, LAYER_LINE, dashed ? NULL : "N*: the compute-optimal model size",
                 "%s using 1:2 with lines lw %.3g%s lc rgb \"" COLOR_N "\"", name, lw, dt);
    plot_element(d, LAYER_LINE, dashed ? NULL : "D*: the compute-optimal tokens",
                 "%s using 1:5 with lines lw %.3g%s lc rgb \"" COLOR_D "\"", name, lw, dt);
}

/* The runs at their compute: N and D as points in lighter shades. */
static slaw_status frontier_runs(plot_doc *d, const slaw_artifact *a, const slaw_fit *f,
                                 double *c_lo, slaw_error *err)
{
    run_view v;
    char name[32], text[160];
    size_t m = 0;
    slaw_status st = run_view_make(a, d->opt->runs, &f, 1, &v, err);
    if (st != SLAW_OK) return st;
    plot_block_begin(d, "runs", name);
    for (size_t i = 0; i < v.n; i++) {
        double c = v.c[i]; /* the runs have C: read, or derived from N and D (runs_roles.c) */
        if (v.fit[i] == SIZE_MAX || !(c > 0)) continue;
        double row[3] = {c, v.x[i], v.d[i]};
        plot_row(d, row, 3, 2);
        *c_lo = fmin(*c_lo, c);
        m++;
    }
    plot_block_end(d);
    int o = snprintf(text, sizeof text, "runs: N (%zu runs", m);
    if (v.foreign)
        o += snprintf(text + o, sizeof text - (size_t)o,
                      "; %zu left out: their group is not in "
                      "the fit",
                      v.foreign);
    snprintf(text + o, sizeof text - (size_t)o, ")");
    plot_element(d, LAYER_POINT, text, "%s using 1:2 with points pt 7 lc rgb \"" COLOR_RUNS_N "\"",
                 name);
    plot_element(d, LAYER_POINT, "runs: D",
                 "%s using 1:3 with points pt 5 lc rgb \"" COLOR_RUNS_D "\"", name);
    run_view_free(&v);
    return SLAW_OK;
}

/* "N* ∝ C^a, a = 0.5139; D* ∝ C^b, b = 0.4861" when the law derives a and b. */
static void exponents_text(const slaw_fit *f, char *buf, size_t size)
{
    const slaw_law *law = slaw_fit_law(f);
    double a = NAN, b = NAN;
    for (size_t i = 0; i < slaw_law_derived_count(law); i++) {
        if (!strcmp(slaw_law_derived_name(law, i), "a")) a = slaw_fit_derived(f, i, NULL);
        if (!strcmp(slaw_law_derived_name(law, i), "b")) b = slaw_fit_derived(f, i, NULL);
    }
    if (isfinite(a) && isfinite(b))
        snprintf(buf, size, "N* ∝ C^a, a = %.4g;  D* ∝ C^b, b = %.4g", a, b);
    else fit_params_text(f, buf, size);
}

slaw_status plot_frontier(plot_doc *d, const slaw_artifact *a, slaw_error *err)
{
    const slaw_fit *f;
    size_t n, drawn = 0;
    double c_lo, c_hi;
    char solid[32], beyond[32], band[200], title[700], exps[300];
    slaw_forecast_options fo;
    slaw_optimum last = {0};
    slaw_status st = plot_select_fits(a, d->opt->group, true, "frontier", &f, 1, &n, err);
    if (st != SLAW_OK) return st;
    const slaw_law *law = slaw_fit_law(f);
    if (!slaw_fit_compute_range(f, &c_lo, &c_hi))
        return error_set(err, SLAW_EUSAGE, NULL, 0,
                         "a frontier plot needs a law of N and D; %s "
                         "reads one variable",
                         slaw_law_name(law));
    d->x.units = UNITS_FLOPS;
    d->y.units = UNITS_COUNT;
    if (d->opt->runs && (st = frontier_runs(d, a, f, &c_lo, err))) return st;
    double to = d->opt->to > 0 ? d->opt->to : 10 * c_hi;
    if (!(to > c_lo))
        return error_set(err, SLAW_EUSAGE, NULL, 0,
                         "the frontier would end at C = %g, below the "
                         "smallest compute of the runs (%g)",
                         to, c_lo);
    plot_forecast_options(d, a, &fo);
    const char *missing = slaw_budget_missing(law, d->opt->hold);
    if (missing)
        return error_set_option(err, SLAW_EUSAGE, "hold",
                                "hold: law %s reads %s, which a compute budget does not set: "
                                "give %s=VALUE for the frontier to hold",
                                slaw_law_name(law), missing, missing);
    double solid_hi = fmin(c_hi, to);
    if ((st =
             frontier_block(d, f, &fo, c_lo, solid_hi, FRONTIER_POINTS, solid, &last, &drawn, err)))
        return st;
    bool past = to > solid_hi;
    if (past &&
        (st = frontier_block(d, f, &fo, solid_hi, to, BEYOND_POINTS, beyond, &last, &drawn, err)))
        return st;
    if (!drawn)
        return error_set(err, SLAW_EINPUT, NULL, 0,
                         "the fitted law has no compute-optimal "
                         "allocation between C = %g and %g",
                         c_lo, to);
    bool banded = last.method != SLAW_INTERVAL_NONE;
    frontier_elements(d, solid, banded, false);
    if (past) frontier_elements(d, beyond, banded, true);
    band_text(d, last.method, last.samples, band, sizeof band);
    if (banded) {
        snprintf(band + strlen(band), sizeof band - strlen(band), " (of N* and D*)");
        plot_key_entry(d, LAYER_BAND, BAND_STYLE " lc rgb \"" COLOR_GREY "\"", band);
    }
    if (past)
        plot_key_entry(d, LAYER_NOTE, "with lines dt 2 lc rgb \"" COLOR_BLACK "\"",
                       "dashed: beyond the runs' compute");
    if (!d->opt->runs)
        plot_key_entry(d, LAYER_NOTE, "with points pt 7 lc rgb \"" COLOR_GREY "\"",
                       "runs not given: the frontier alone");
    exponents_text(f, exps, sizeof exps);
    char held[64] = "", val[32];
    if (d->opt->hold && !isnan(d->opt->hold->U) && law_var_index(law, SLAW_ROLE_U) != SIZE_MAX) {
        format_number(d->opt->hold->U, UNITS_COUNT, val, sizeof val);
        snprintf(held, sizeof held, " at U = %s", val);
    }
    snprintf(title, sizeof title, "compute-optimal allocation (C = 6 N D)%s of %s: %s\n%s", held,
             slaw_law_name(law), slaw_law_formula(law), exps);
    plot_title(d, title);
    plot_axis_set(d, "x", &d->x, "training compute C (FLOPs)");
    plot_axis_set(d, "y", &d->y, "N* (parameters) and D* (tokens)");
    return SLAW_OK;
}
