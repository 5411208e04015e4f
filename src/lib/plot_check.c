/* plot_check.c — what `slaw check` compares, as a picture: the baseline's
 * fitted curve and the new fit's, each with its band, and both forecasts
 * at the check points with their intervals and the relative change.
 *
 * A law of N and D is drawn along a line of constant tokens per parameter,
 * D = r N, with r from the first point (20 without points), so that the
 * curves pass through the point that is checked; the law's other variables
 * (U; a formula's second variable) are held at the first point's values
 * (without points, at the middle of the new fit's range). */
#include "artifact.h"
#include "plot_axes.h"
#include "plot_fits.h"
#include "plot_kinds.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define CURVE_POINTS 96
#define BEYOND_POINTS 48
#define DEFAULT_RATIO 20.0
#define COLOR_BASE "#0072B2"
#define COLOR_NEW "#D55E00"

typedef struct side {
    const slaw_fit *f;
    const slaw_artifact *a;
    const char *name, *color;
    slaw_forecast_options fo;
    slaw_forecast probe; /* the last forecast of its curve: the band's method */
} side;

/* The line the curves follow, in N (or x). */
typedef struct check_line {
    bool two;     /* a law of N and more (else of one variable x) */
    size_t other; /* a formula's second variable, held at hold (SIZE_MAX: D = ratio N) */
    double ratio; /* D/N along the line */
    double hold;  /* the other variable's value */
    double u;     /* U, for a law that reads it (NaN otherwise) */
} check_line;

/* The law's variables at N = n (or x = n) on the line. */
static void line_vars(const slaw_law *law, const check_line *l, double n, double *vars)
{
    if (!l->two) vars[0] = n;
    else plot_law_vars(law, n, l->other != SIZE_MAX ? l->hold : l->ratio * n, l->u, vars);
}

/* One segment of a side's curve along the line. */
static slaw_status segment(plot_doc *d, const side *s, const check_line *l, double lo, double hi,
                           size_t n, char *name, slaw_forecast *last, slaw_error *err)
{
    plot_block_begin(d, "curve", name);
    for (size_t i = 0; i < n; i++) {
        double x = lo * pow(hi / lo, (double)i / (double)(n - 1)), vars[LAW_MAX_VARS];
        line_vars(slaw_fit_law(s->f), l, x, vars);
        slaw_status st = slaw_forecast_at(s->f, vars, &s->fo, last, err);
        if (st != SLAW_OK) return st;
        double row[4] = {x, last->y.value, last->y.lo, last->y.hi};
        plot_row(d, row, 4, 3);
    }
    plot_block_end(d);
    return SLAW_OK;
}

/* A side's curve: solid over its own data, dashed on to `to`, banded; sets
 * *dashed when it drew a dashed part. */
static slaw_status side_curve(plot_doc *d, side *s, const check_line *l, double to, bool *dashed,
                              slaw_error *err)
{
    slaw_forecast *probe = &s->probe;
    char solid[32], beyond[32], title[400], params[300];
    double lo, hi, lw = plot_lw(d);
    slaw_status st;
    plot_fit_n_range(s->f, l->two, &lo, &hi);
    if (!(hi > lo)) lo /= 1.5, hi *= 1.5;
    if ((st = segment(d, s, l, lo, hi, CURVE_POINTS, solid, probe, err))) return st;
    bool past = to > hi;
    if (past && (st = segment(d, s, l, hi, to, BEYOND_POINTS, beyond, probe, err))) return st;
    *dashed |= past;
    if (probe->method != SLAW_INTERVAL_NONE) {
        plot_element(d, LAYER_BAND, NULL, "%s using 1:3:4 " BAND_STYLE " lc rgb \"%s\"", solid,
                     s->color);
        if (past)
            plot_element(d, LAYER_BAND, NULL, "%s using 1:3:4 " BAND_STYLE " lc rgb \"%s\"", beyond,
                         s->color);
    }
    fit_params_text(s->f, params, sizeof params);
    snprintf(title, sizeof title, "%s: %s", s->name, params);
    plot_element(d, LAYER_LINE, title, "%s using 1:2 with lines lw %.3g lc rgb \"%s\"", solid, lw,
                 s->color);
    if (past)
        plot_element(d, LAYER_LINE, NULL, "%s using 1:2 with lines lw %.3g dt 2 lc rgb \"%s\"",
                     beyond, lw, s->color);
    return SLAW_OK;
}

/* The bands in the key: one grey entry when both sides' bands come the same
 * way, else one per side in its colour ("baseline's 95% band: bootstrap,
 * 100 samples", "new fit's 95% band: delta method"). */
static void band_keys(plot_doc *d, const side *base, const side *now)
{
    const side *sides[2] = {base, now};
    char band[200], text[260], style[100];
    if (base->probe.method == now->probe.method && base->probe.samples == now->probe.samples) {
        band_text(d, now->probe.method, now->probe.samples, band, sizeof band);
        if (band[0]) plot_key_entry(d, LAYER_BAND, BAND_STYLE " lc rgb \"" COLOR_GREY "\"", band);
        return;
    }
    for (size_t k = 0; k < 2; k++) {
        const side *s = sides[k];
        band_text(d, s->probe.method, s->probe.samples, band, sizeof band);
        if (band[0]) snprintf(text, sizeof text, "%s's %s", s->name, band);
        else snprintf(text, sizeof text, "%s: no band (the fit has no interval)", s->name);
        snprintf(style, sizeof style, BAND_STYLE " lc rgb \"%s\"", s->color);
        plot_key_entry(d, LAYER_BAND, style, text);
    }
}

/* The units of D, or of a formula's other variable: counts for steps and
 * batch size, else as written. */
static axis_units other_units(const slaw_law *law, const check_line *l)
{
    if (l->other == SIZE_MAX) return UNITS_COUNT;
    slaw_role r = slaw_law_var_role(law, l->other);
    return r == SLAW_ROLE_S || r == SLAW_ROLE_B ? UNITS_COUNT : UNITS_PLAIN;
}

/* "N=7B, D=140B" (", U=25B"; a formula's "N=1B, S=10k") or "at 1e10". */
static void point_text(const slaw_law *law, const check_line *l, const double *vars, char *buf,
                       size_t size)
{
    char a[32], b[32], c[32];
    double n, dd;
    plot_run_n_d(law, l->two, vars, &n, &dd);
    format_number(n, UNITS_COUNT, a, sizeof a);
    if (!l->two) {
        snprintf(buf, size, "at %s", a);
        return;
    }
    format_number(dd, other_units(law, l), b, sizeof b);
    size_t iu = law_var_index(law, SLAW_ROLE_U);
    if (iu != SIZE_MAX) format_number(vars[iu], UNITS_COUNT, c, sizeof c);
    snprintf(buf, size, "N=%s, %s=%s%s%s", a,
             l->other != SIZE_MAX ? slaw_law_var_name(law, l->other) : "D", b,
             iu != SIZE_MAX ? ", U=" : "", iu != SIZE_MAX ? c : "");
}

/* Both forecasts at each point, with their intervals, and a label with the
 * change relative to the baseline. */
static slaw_status forecasts(plot_doc *d, const side *base, const side *now, const double *vars,
                             const double *xs, size_t n, const check_line *l, slaw_error *err)
{
    char name[32], text[160], where[120];
    plot_block_begin(d, "forecasts", name);
    for (size_t i = 0; i < n; i++) {
        slaw_forecast b, w;
        const double *pv = vars + i * LAW_MAX_VARS;
        slaw_status st = slaw_forecast_at(base->f, pv, &base->fo, &b, err);
        if (st == SLAW_OK) st = slaw_forecast_at(now->f, pv, &now->fo, &w, err);
        if (st != SLAW_OK) return st;
        double row[7] = {xs[i], b.y.value, b.y.lo, b.y.hi, w.y.value, w.y.lo, w.y.hi};
        plot_row(d, row, 7, 6);
        point_text(slaw_fit_law(now->f), l, pv, where, sizeof where);
        snprintf(text, sizeof text, "%s: %#.5g → %#.5g (%+.2f%%)", where, b.y.value, w.y.value,
                 100 * (w.y.value - b.y.value) / fabs(b.y.value));
        /* Beside the point, on the side with more room. */
        bool right = log(xs[i] / d->x.lo) > 0.55 * log(d->x.hi / d->x.lo);
        plot_text t = {0};
        plot_quote(&t, text);
        plot_set(d,
                 "set label %zu %s at first %.7g, first %.7g %s offset character %s,-1 "
                 "front",
                 i + 1, t.data ? t.data : "\"\"", xs[i], w.y.value, right ? "right" : "left",
                 right ? "-1.5" : "1.5");
        free(t.data);
    }
    plot_block_end(d);
    plot_element(d, LAYER_MARK, "baseline's forecast and interval",
                 "%s using 1:2:3:4 with yerrorbars pt 6 ps %.3g lw %.3g lc rgb \"%s\"", name,
                 1.5 * plot_ps(d), plot_lw(d), base->color);
    plot_element(d, LAYER_MARK, "new forecast and interval",
                 "%s using 1:5:6:7 with yerrorbars pt 7 ps %.3g lw %.3g lc rgb \"%s\"", name,
                 1.5 * plot_ps(d), plot_lw(d), now->color);
    return SLAW_OK;
}

/* "alpha 0.3473 → 0.3512, beta ..." */
static void changes_text(const slaw_fit *b, const slaw_fit *w, char *buf, size_t size)
{
    const slaw_law *law = slaw_fit_law(w);
    size_t o = 0;
    buf[0] = '\0';
    if (slaw_fit_law(b) != law) {
        snprintf(buf, size, "baseline law %s, new law %s", slaw_law_name(slaw_fit_law(b)),
                 slaw_law_name(law));
        return;
    }
    for (size_t i = 0; i < slaw_law_param_count(law) && o < size; i++) {
        int k = snprintf(buf + o, size - o, "%s%s %.4g → %.4g", i ? ", " : "",
                         slaw_law_param_name(law, i), slaw_fit_value(b, i), slaw_fit_value(w, i));
        o += k > 0 ? (size_t)k : 0;
    }
}

/* Whether two laws read the same variables, in the same order. */
static bool same_variables(const slaw_law *a, const slaw_law *b)
{
    size_t n = slaw_law_var_count(a);
    if (slaw_law_var_count(b) != n) return false;
    for (size_t v = 0; v < n; v++)
        if (slaw_law_var_role(a, v) != slaw_law_var_role(b, v) ||
            strcmp(slaw_law_var_name(a, v), slaw_law_var_name(b, v)))
            return false;
    return true;
}

/* Resolves the points into vars (LAW_MAX_VARS per point) and their places
 * on the x axis, xs; the line through the first point (without points:
 * 20 tokens per parameter, the other variables at the middle of f's range). */
static slaw_status resolve_points(const plot_doc *d, const slaw_fit *f, double *vars, double *xs,
                                  check_line *l, slaw_error *err)
{
    const slaw_law *law = slaw_fit_law(f);
    size_t iu = law_var_index(law, SLAW_ROLE_U);
    double lo, hi;
    l->other = plot_law_other_var(law);
    l->two = plot_law_of_n_and_d(law) || l->other != SIZE_MAX;
    l->ratio = l->two ? DEFAULT_RATIO : NAN;
    l->hold = l->u = NAN;
    if (l->other != SIZE_MAX) slaw_fit_data_range(f, l->other, &lo, &hi), l->hold = sqrt(lo * hi);
    if (iu != SIZE_MAX) slaw_fit_data_range(f, iu, &lo, &hi), l->u = sqrt(lo * hi);
    for (size_t i = 0; i < d->opt->n_points; i++) {
        slaw_error why;
        double *pv = vars + i * LAW_MAX_VARS, dd;
        if (slaw_point_resolve(law, &d->opt->points[i], pv, &why) != SLAW_OK)
            return error_set(err, SLAW_EUSAGE, NULL, 0, "point %zu: %s", i + 1, why.message);
        plot_run_n_d(law, l->two, pv, &xs[i], &dd);
        if (i || !l->two) continue;
        if (l->other != SIZE_MAX) l->hold = dd;
        else l->ratio = dd / xs[i];
        if (iu != SIZE_MAX) l->u = pv[iu];
    }
    return SLAW_OK;
}

slaw_status plot_check(plot_doc *d, const slaw_artifact *a, slaw_error *err)
{
    const slaw_plot_options *opt = d->opt;
    side base = {.a = opt->baseline, .name = "baseline", .color = COLOR_BASE};
    side now = {.a = a, .name = "new fit", .color = COLOR_NEW};
    size_t n;
    char title[900], changes[600], note[160], label[200];
    if (!opt->baseline)
        return error_set(err, SLAW_EUSAGE, NULL, 0, "a check plot needs the baseline fit");
    slaw_status st = plot_select_fits(a, opt->group, true, "check", &now.f, 1, &n, err);
    if (st == SLAW_OK)
        st = plot_select_fits(opt->baseline, opt->group, true, "check", &base.f, 1, &n, err);
    if (st != SLAW_OK) return st;
    const slaw_law *law = slaw_fit_law(now.f);
    if (!same_variables(slaw_fit_law(base.f), law))
        return error_set(err, SLAW_EINPUT, NULL, 0,
                         "the baseline's law %s and the new law %s "
                         "read different variables",
                         slaw_law_name(slaw_fit_law(base.f)), slaw_law_name(law));
    double *vars = malloc((opt->n_points + 1) * LAW_MAX_VARS * sizeof *vars);
    double *xs = malloc((opt->n_points + 1) * sizeof *xs);
    check_line line;
    if (!vars || !xs) {
        st = error_nomem(err);
        goto out;
    }
    if ((st = resolve_points(d, now.f, vars, xs, &line, err))) goto out;
    bool two = line.two;
    double lo, hi, top = 0;
    for (size_t k = 0; k < 2; k++) {
        plot_fit_n_range(k ? now.f : base.f, two, &lo, &hi);
        top = fmax(top, hi);
    }
    double to = 10 * top;
    for (size_t i = 0; i < opt->n_points; i++) to = fmax(to, 2 * xs[i]);
    if (opt->to > 0 && !(opt->to > top)) {
        slaw_fit_options fo;
        slaw_artifact_options(a, &fo);
        const char *x = !two && fo.x ? fo.x : "N";
        st = error_set_option(err, SLAW_EUSAGE, "to",
                              "the curves would end at %s = %g, not beyond "
                              "the largest %s of the fits' runs (%g): to must be past it",
                              x, opt->to, x, top);
        goto out;
    }
    if (opt->to > 0) to = opt->to;
    plot_forecast_options(d, base.a, &base.fo);
    plot_forecast_options(d, now.a, &now.fo);
    d->x.units = UNITS_COUNT;
    d->y.units = UNITS_PLAIN;
    bool dashed = false;
    if ((st = side_curve(d, &base, &line, to, &dashed, err)) ||
        (st = side_curve(d, &now, &line, to, &dashed, err)))
        goto out;
    if (opt->n_points && (st = forecasts(d, &base, &now, vars, xs, opt->n_points, &line, err)))
        goto out;
    band_keys(d, &base, &now);
    if (dashed)
        plot_key_entry(d, LAYER_NOTE, "with lines dt 2 lc rgb \"" COLOR_BLACK "\"",
                       "dashed: beyond each fit's runs");
    if (two) {
        char held[64] = "", val[32];
        if (!isnan(line.u) || line.other != SIZE_MAX) {
            format_number(line.other != SIZE_MAX ? line.hold : line.u, other_units(law, &line), val,
                          sizeof val);
            snprintf(held, sizeof held, "%s = %s",
                     line.other != SIZE_MAX ? slaw_law_var_name(law, line.other) : "U", val);
        }
        if (line.other != SIZE_MAX)
            snprintf(note, sizeof note, "curves at %s (%s)", held,
                     opt->n_points ? "the first point's" : "the middle of the new fit's runs");
        else
            snprintf(note, sizeof note, "curves along D = %.3g N%s%s (%s)", line.ratio,
                     held[0] ? ", " : "", held,
                     opt->n_points ? "the first point's tokens per parameter"
                                   : "20 tokens per parameter");
        plot_key_entry(d, LAYER_NOTE, "with points pt -1", note);
    }
    changes_text(base.f, now.f, changes, sizeof changes);
    snprintf(title, sizeof title, "baseline and new fit of %s: %s\n%s", slaw_law_name(law),
             slaw_law_formula(law), changes);
    plot_title(d, title);
    plot_axis_set(d, "x", &d->x, variable_label(a, now.f, label, sizeof label));
    plot_axis_set(d, "y", &d->y, target_label(a));
out:
    free(vars);
    free(xs);
    return st;
}
