/* plot_fit.c — the fit and residuals plots: the target against N (or x) on
 * log-log axes with the runs as points and the fitted curves continued
 * dashed past the data, under the curve's interval band; and the runs' log
 * residuals, with the held-out runs marked.
 *
 * A law of N and D has a curve per D.  Runs rarely share a D (the Chinchilla
 * runs have ~240 distinct ones), so the runs are split into a few bands of D
 * by rank (quantiles), each drawn in its colour with one curve at the band's
 * median D; a grouped fit has one colour and curve per group instead. */
#include "plot.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FITS 7     /* colours of the categorical palette */
#define MAX_CLASSES 7
#define D_BANDS 5
#define CURVE_POINTS 96  /* over the data */
#define BEYOND_POINTS 48 /* past it */

/* The runs split into classes (D bands, groups, or one), each with its
 * colour and curve. */
typedef struct classes {
    size_t n;
    size_t *of;                  /* class of each run; SIZE_MAX: not drawn */
    size_t fit[MAX_CLASSES];     /* the fit of the class's curve */
    double d[MAX_CLASSES];       /* the curve's D; NaN for one-variable laws */
    double x_lo[MAX_CLASSES], x_hi[MAX_CLASSES]; /* the curve is solid over these */
    char color[MAX_CLASSES][8];
    char title[MAX_CLASSES][320];
} classes;

typedef struct fit_plot {
    const slaw_fit *fits[MAX_FITS];
    size_t n_fits;
    run_view runs;               /* n = 0 without runs */
    classes cls;
    bool two;                    /* a law of N and D */
    double to;                   /* where the curves end */
} fit_plot;

static void fit_plot_free(fit_plot *p)
{
    run_view_free(&p->runs);
    free(p->cls.of);
}

static int compare_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* A band of the runs whose D lies in sorted[0..n) (sorted, ties kept
 * together): its curve at the median D. */
static void add_band(classes *c, const run_view *v, const double *sorted, size_t n)
{
    char lo[32], hi[32], mid[32];
    size_t b = c->n++;
    c->d[b] = sorted[(n - 1) / 2];
    c->fit[b] = 0;
    format_number(c->d[b], UNITS_COUNT, mid, sizeof mid);
    format_number(sorted[0], UNITS_COUNT, lo, sizeof lo);
    format_number(sorted[n - 1], UNITS_COUNT, hi, sizeof hi);
    if (sorted[0] == sorted[n - 1])
        snprintf(c->title[b], sizeof c->title[b], "D = %s", mid);
    else
        snprintf(c->title[b], sizeof c->title[b], "D ≈ %s (runs: %s–%s)", mid, lo, hi);
    for (size_t i = 0; i < v->n; i++)
        if (c->of[i] != SIZE_MAX && v->d[i] >= sorted[0] && v->d[i] <= sorted[n - 1])
            c->of[i] = b;
}

/* Bands of D by rank among the runs drawn (runs of one D stay together);
 * without runs, D_BANDS values spread evenly in log D over the fit's range. */
static void d_bands(fit_plot *p, classes *c)
{
    const run_view *v = &p->runs;
    size_t m = 0;
    double *sorted = malloc((v->n ? v->n : 1) * sizeof *sorted);
    char mid[32], rgb[8];
    if (!sorted) return;
    for (size_t i = 0; i < v->n; i++)
        if (c->of[i] != SIZE_MAX) sorted[m++] = v->d[i];
    qsort(sorted, m, sizeof *sorted, compare_double);
    if (m == 0) {
        double dmin, dmax;
        slaw_fit_data_range(p->fits[0], 1, &dmin, &dmax);
        for (size_t k = 0; k < D_BANDS; k++) {
            c->d[k] = dmin * pow(dmax / dmin, (double)k / (D_BANDS - 1));
            format_number(c->d[k], UNITS_COUNT, mid, sizeof mid);
            snprintf(c->title[k], sizeof c->title[k], "D = %s", mid);
            c->fit[k] = 0;
        }
        c->n = dmax > dmin ? D_BANDS : 1;
    }
    /* A band per distinct D when there are few; else band k holds the ranks
     * [k m / K, (k+1) m / K), extended over ties. */
    size_t distinct = 0;
    for (size_t i = 0; i < m; i++) distinct += i == 0 || sorted[i] != sorted[i - 1];
    size_t bands = distinct <= MAX_CLASSES ? distinct : D_BANDS;
    for (size_t k = 0, start = 0; k < bands && start < m; k++) {
        size_t end = distinct <= MAX_CLASSES ? start + 1 : (k + 1) * m / bands;
        if (end <= start) continue;
        while (end < m && sorted[end] == sorted[end - 1]) end++;
        add_band(c, v, sorted + start, end - start);
        start = end;
    }
    for (size_t k = 0; k < c->n; k++) snprintf(c->color[k], 8, "%s", color_sequence(k, c->n, rgb));
    free(sorted);
}

/* One class per fit of a grouped artifact: a law of N and D is drawn at the
 * median D of the group's runs (or the middle of its fitted range). */
static void group_classes(fit_plot *p, classes *c)
{
    char params[200], mid[32];
    for (size_t k = 0; k < p->n_fits; k++) {
        const slaw_fit *f = p->fits[k];
        c->fit[k] = k;
        c->d[k] = NAN;
        snprintf(c->color[k], 8, "%s", color_category(k));
        fit_params_text(f, params, sizeof params);
        snprintf(c->title[k], sizeof c->title[k], "%.60s: %s", slaw_fit_group(f), params);
        if (!p->two) continue;
        double dmin, dmax, *ds = malloc((p->runs.n ? p->runs.n : 1) * sizeof *ds);
        size_t m = 0;
        for (size_t i = 0; ds && i < p->runs.n; i++)
            if (p->runs.fit[i] == k) ds[m++] = p->runs.d[i];
        slaw_fit_data_range(f, 1, &dmin, &dmax);
        if (ds && m) qsort(ds, m, sizeof *ds, compare_double);
        c->d[k] = ds && m ? ds[(m - 1) / 2] : sqrt(dmin * dmax);
        free(ds);
        format_number(c->d[k], UNITS_COUNT, mid, sizeof mid);
        snprintf(c->title[k], sizeof c->title[k], "%.60s, D ≈ %s: %s", slaw_fit_group(f), mid,
                 params);
    }
    c->n = p->n_fits;
}

/* Splits the runs into classes and finds each curve's solid range: the x of
 * its class's runs, or the fit's range without runs. */
static slaw_status make_classes(fit_plot *p, slaw_error *err)
{
    classes *c = &p->cls;
    const run_view *v = &p->runs;
    c->of = malloc((v->n ? v->n : 1) * sizeof *c->of);
    if (!c->of) return error_set(err, SLAW_ENOMEM, NULL, 0, "out of memory");
    for (size_t i = 0; i < v->n; i++) c->of[i] = v->held[i] ? SIZE_MAX : v->fit[i];
    bool grouped = slaw_fit_group(p->fits[0]) != NULL;
    if (grouped) {
        group_classes(p, c);
    } else if (p->two) {
        d_bands(p, c);
        if (!c->n) return error_set(err, SLAW_ENOMEM, NULL, 0, "out of memory");
    } else {
        c->n = 1;
        c->fit[0] = 0;
        c->d[0] = NAN;
        snprintf(c->color[0], 8, "%s", color_category(0));
        snprintf(c->title[0], sizeof c->title[0], "fitted curve");
    }
    for (size_t k = 0; k < c->n; k++) {
        c->x_lo[k] = INFINITY;
        c->x_hi[k] = -INFINITY;
        for (size_t i = 0; i < v->n; i++)
            if (c->of[i] == k) {
                c->x_lo[k] = fmin(c->x_lo[k], v->x[i]);
                c->x_hi[k] = fmax(c->x_hi[k], v->x[i]);
            }
        if (!(c->x_lo[k] <= c->x_hi[k]))
            slaw_fit_data_range(p->fits[c->fit[k]], 0, &c->x_lo[k], &c->x_hi[k]);
    }
    return SLAW_OK;
}

/* Loads what both kinds need: the fits, the runs, the classes. */
static slaw_status prepare(plot_doc *d, const slaw_artifact *a, const char *kind, fit_plot *p,
                           slaw_error *err)
{
    const slaw_plot_options *opt = d->opt;
    slaw_status st = plot_select_fits(a, opt->group, false, kind, p->fits, MAX_FITS, &p->n_fits,
                                      err);
    if (st != SLAW_OK) return st;
    p->two = slaw_law_var_count(slaw_fit_law(p->fits[0])) == 2;
    if (opt->runs && (st = run_view_make(a, opt->runs, p->fits, p->n_fits, &p->runs, err)))
        return st;
    if ((st = make_classes(p, err)) != SLAW_OK) return st;
    double top = 0, lo, hi;
    for (size_t k = 0; k < p->n_fits; k++) {
        slaw_fit_data_range(p->fits[k], 0, &lo, &hi);
        top = fmax(top, hi);
    }
    for (size_t k = 0; k < p->cls.n; k++) top = fmax(top, p->cls.x_hi[k]);
    slaw_fit_options fo;
    slaw_artifact_options(a, &fo);
    const char *x = !p->two && fo.x ? fo.x : "N";
    if (opt->to > 0 && !(opt->to > top))
        return error_set(err, SLAW_EUSAGE, NULL, 0, "the curves would end at %s = %g, not beyond "
                         "the largest %s of the runs (%g): --to must be past it", x, opt->to, x,
                         top);
    p->to = opt->to > 0 ? opt->to : 10 * top;
    d->x.units = UNITS_COUNT;
    if (!p->two && fo.x) d->x.units = UNITS_PLAIN;
    return SLAW_OK;
}

/* ------------------------------------------------------------ fit plot */

/* One segment of a curve, x from lo to hi in n steps (log-spaced), with
 * the band; returns the block's name in name. */
static slaw_status curve_block(plot_doc *d, const slaw_fit *f, double dval, double lo, double hi,
                               size_t n, const slaw_forecast_options *fo, char *name,
                               slaw_forecast *last, slaw_error *err)
{
    plot_block_begin(d, "curve", name);
    for (size_t i = 0; i < n; i++) {
        double x = lo * pow(hi / lo, (double)i / (double)(n - 1));
        double vars[2] = {x, dval};
        slaw_status st = slaw_forecast_at(f, vars, fo, last, err);
        if (st != SLAW_OK) return st;
        double row[4] = {x, last->y.value, last->y.lo, last->y.hi};
        plot_row(d, row, 4, 3);
    }
    plot_block_end(d);
    return SLAW_OK;
}

/* Class k's curve: solid over its data, dashed on to p->to, banded; sets
 * *dashed when it drew a dashed part. */
static slaw_status draw_curve(plot_doc *d, const fit_plot *p, size_t k,
                              const slaw_forecast_options *fo, slaw_forecast *probe,
                              bool *dashed, slaw_error *err)
{
    const classes *c = &p->cls;
    const slaw_fit *f = p->fits[c->fit[k]];
    char solid[32], beyond[32];
    double lo = c->x_lo[k], hi = c->x_hi[k], lw = plot_lw(d);
    slaw_status st;
    if (!(hi > lo)) lo /= 1.5, hi *= 1.5; /* one size: a short stretch of curve */
    if ((st = curve_block(d, f, c->d[k], lo, hi, CURVE_POINTS, fo, solid, probe, err)))
        return st;
    bool past = p->to > hi;
    if (past &&
        (st = curve_block(d, f, c->d[k], hi, p->to, BEYOND_POINTS, fo, beyond, probe, err)))
        return st;
    *dashed |= past;
    if (probe->method != SLAW_INTERVAL_NONE) {
        plot_element(d, LAYER_BAND, NULL, "%s using 1:3:4 " BAND_STYLE " lc rgb \"%s\"",
                     solid, c->color[k]);
        if (past)
            plot_element(d, LAYER_BAND, NULL, "%s using 1:3:4 " BAND_STYLE " lc rgb \"%s\"",
                         beyond, c->color[k]);
    }
    plot_element(d, LAYER_LINE, c->title[k], "%s using 1:2 with lines lw %.3g lc rgb \"%s\"",
                 solid, lw, c->color[k]);
    if (past)
        plot_element(d, LAYER_LINE, NULL, "%s using 1:2 with lines lw %.3g dt 2 lc rgb \"%s\"",
                     beyond, lw, c->color[k]);
    return SLAW_OK;
}

/* The runs of each class as points in its colour; values: target (fit) or
 * log residual (residuals). */
static void draw_runs(plot_doc *d, const fit_plot *p, bool residuals)
{
    const run_view *v = &p->runs;
    char name[32];
    for (size_t k = 0; k < p->cls.n; k++) {
        size_t m = 0;
        for (size_t i = 0; i < v->n; i++) m += p->cls.of[i] == k;
        if (!m) continue;
        plot_block_begin(d, "runs", name);
        for (size_t i = 0; i < v->n; i++) {
            if (p->cls.of[i] != k) continue;
            double vars[2] = {v->x[i], v->d[i]};
            double y = residuals ? log(slaw_fit_predict(p->fits[v->fit[i]], vars) / v->y[i])
                                 : v->y[i];
            double row[2] = {v->x[i], y};
            plot_row(d, row, 2, 1);
        }
        plot_block_end(d);
        /* With curves the curve's key entry names the class; alone, the points do. */
        plot_element(d, LAYER_POINT, residuals && p->cls.n > 1 ? p->cls.title[k] : NULL,
                     "%s using 1:2 with points pt 7 lc rgb \"%s\"", name, p->cls.color[k]);
    }
}

/* The runs the fits held out (from the artifact), as open triangles. */
static void draw_held(plot_doc *d, const fit_plot *p, bool residuals)
{
    size_t n = 0;
    char name[32];
    for (size_t k = 0; k < p->n_fits; k++) n += slaw_fit_holdout_count(p->fits[k]);
    if (!n) return;
    plot_block_begin(d, "heldout", name);
    for (size_t k = 0; k < p->n_fits; k++)
        for (size_t h = 0; h < slaw_fit_holdout_count(p->fits[k]); h++) {
            double vars[2], obs, pred;
            slaw_fit_holdout_run(p->fits[k], h, vars, &obs, &pred);
            double row[2] = {vars[0], residuals ? log(pred / obs) : obs};
            plot_row(d, row, 2, 1);
        }
    plot_block_end(d);
    plot_element(d, LAYER_MARK, "held out: fitted without them, then predicted",
                 "%s using 1:2 with points pt 8 ps %.3g lw %.3g lc rgb \"%s\"", name,
                 1.6 * plot_ps(d), plot_lw(d), COLOR_BLACK);
}

/* What the key says about the runs: how many, what the filters removed,
 * which were held out, and how many belong to no group of the fit. */
static void runs_note(plot_doc *d, const fit_plot *p)
{
    char text[300];
    size_t drawn = 0, held = 0, parts = 0, o;
    for (size_t i = 0; i < p->runs.n; i++) {
        drawn += p->cls.of[i] != SIZE_MAX;
        held += p->runs.held[i];
    }
    if (!d->opt->runs) {
        plot_key_entry(d, LAYER_NOTE, "with points pt 7 lc rgb \"" COLOR_GREY "\"",
                       "runs not given: the fitted curves alone");
        return;
    }
    const struct {
        size_t n;
        const char *what;
    } part[] = {{d->opt->runs_removed, "removed by the fit's filters"},
                {held, "held out"},
                {p->runs.foreign, "left out: their group is not in the fit"},
                {p->runs.unfitted, "left out: their group could not be fitted"}};
    o = (size_t)snprintf(text, sizeof text, "%zu runs", drawn);
    for (size_t k = 0; k < sizeof part / sizeof part[0] && o < sizeof text; k++) {
        if (!part[k].n) continue;
        int w = snprintf(text + o, sizeof text - o, "%s%zu %s", parts++ ? ", " : " (", part[k].n,
                         part[k].what);
        o += w > 0 ? (size_t)w : 0;
    }
    if (parts && o < sizeof text) snprintf(text + o, sizeof text - o, ")");
    plot_key_entry(d, LAYER_NOTE, "with points pt 7 lc rgb \"" COLOR_GREY "\"", text);
}

/* "chinchilla: L = E + ...\nE = 1.817, ..." (grouped: the parameters are in the key). */
static void law_title(plot_doc *d, const fit_plot *p, const char *what)
{
    char title[700], params[400];
    const slaw_law *law = slaw_fit_law(p->fits[0]);
    if (slaw_fit_group(p->fits[0]))
        snprintf(params, sizeof params, "one fit per group");
    else
        fit_params_text(p->fits[0], params, sizeof params);
    snprintf(title, sizeof title, "%s%s: %s\n%s", what, slaw_law_name(law),
             slaw_law_formula(law), params);
    plot_title(d, title);
}

slaw_status plot_fit(plot_doc *d, const slaw_artifact *a, slaw_error *err)
{
    fit_plot p = {0};
    slaw_forecast_options fo;
    slaw_forecast probe = {0};
    char label[200], band[200];
    bool dashed = false;
    slaw_status st = prepare(d, a, "fit", &p, err);
    if (st != SLAW_OK) goto out;
    plot_forecast_options(d, a, &fo);
    for (size_t k = 0; k < p.cls.n && st == SLAW_OK; k++)
        st = draw_curve(d, &p, k, &fo, &probe, &dashed, err);
    if (st != SLAW_OK) goto out;
    band_text(d, probe.method, probe.samples, band, sizeof band);
    if (band[0])
        plot_key_entry(d, LAYER_BAND, BAND_STYLE " lc rgb \"" COLOR_GREY "\"", band);
    if (dashed)
        plot_key_entry(d, LAYER_NOTE, "with lines dt 2 lc rgb \"" COLOR_BLACK "\"",
                       "dashed: beyond the runs");
    draw_runs(d, &p, false);
    draw_held(d, &p, false);
    runs_note(d, &p);
    law_title(d, &p, "");
    d->y.units = UNITS_PLAIN;
    plot_axis_set(d, "x", &d->x, variable_label(a, p.fits[0], label, sizeof label));
    plot_axis_set(d, "y", &d->y, target_label(a));
out:
    fit_plot_free(&p);
    return st;
}

slaw_status plot_residuals(plot_doc *d, const slaw_artifact *a, slaw_error *err)
{
    fit_plot p = {0};
    char label[200];
    if (d->opt->to > 0) /* the curves' end: a residuals plot draws none */
        return error_set(err, SLAW_EUSAGE, NULL, 0, "--to: a residuals plot draws no curves");
    slaw_status st = prepare(d, a, "residuals", &p, err);
    size_t held = 0;
    for (size_t k = 0; st == SLAW_OK && k < p.n_fits; k++)
        held += slaw_fit_holdout_count(p.fits[k]);
    if (st == SLAW_OK && !d->opt->runs && !held)
        st = error_set(err, SLAW_EUSAGE, NULL, 0, "a residuals plot needs the runs (or a fit "
                       "with held-out runs)");
    if (st != SLAW_OK) goto out;
    d->y = (plot_axis){0, 0, false, UNITS_PLAIN}; /* the zero line is always in view */
    plot_element(d, LAYER_LINE, NULL, "0 with lines lw 1 lc rgb \"" COLOR_BLACK "\"");
    draw_runs(d, &p, true);
    draw_held(d, &p, true);
    runs_note(d, &p);
    law_title(d, &p, "residuals of ");
    plot_axis_set(d, "x", &d->x, variable_label(a, p.fits[0], label, sizeof label));
    plot_axis_set(d, "y", &d->y, "ln(predicted / observed): > 0, the law over-predicts");
out:
    fit_plot_free(&p);
    return st;
}
