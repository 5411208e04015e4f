/* plot_fit.c — the fit and residuals plots: the target against N (or x) on
 * log-log axes with the runs as points and the fitted curves continued
 * dashed past the data, under the curve's interval band; and the runs' log
 * residuals, with the held-out runs marked.
 *
 * A law of N and D has a curve per D.  Runs rarely share a D (the Chinchilla
 * runs have ~240 distinct ones), so the runs are split into a few bands of D
 * by rank (quantiles), each drawn in its colour with one curve at the band's
 * median D; a grouped fit has one colour and curve per group instead. */
#include "artifact.h"
#include "plot_axes.h"
#include "plot_fits.h"
#include "plot_kinds.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FITS 7 /* colours of the categorical palette */
#define MAX_KEYS 7 /* colours of a --color-by column */
#define MAX_CLASSES (MAX_KEYS * MAX_FITS * SUB_BANDS)
#define D_BANDS 5
#define SUB_BANDS 3      /* curves per colour of a law of N and D, at the D of its runs */
#define CURVE_POINTS 96  /* over the data */
#define BEYOND_POINTS 48 /* past it */

/* What a curve holds fixed while N moves: D (fit, compute) or D/N. */
typedef enum curve_mode { CURVE_AT_D, CURVE_AT_RATIO } curve_mode;

/* The runs split into classes, each with its colour and curve: a colour
 * (a group, a band of D, a value of --color-by) holds one or more classes,
 * one per fit and band of D of its runs, so that every curve is drawn at
 * the D of the runs around it. */
typedef struct classes {
    size_t n;
    size_t *of;              /* class of each run; SIZE_MAX: not drawn */
    size_t fit[MAX_CLASSES]; /* the fit of the class's curve */
    double d[MAX_CLASSES];   /* the curve's D (or D/N); NaN for one-variable laws */
    double u[MAX_CLASSES];   /* the curve's U (laws that read it: its runs' geometric mean) */
    double x_lo[MAX_CLASSES], x_hi[MAX_CLASSES]; /* the curve is solid over these N */
    char color[MAX_CLASSES][8];
    char title[MAX_CLASSES][320]; /* "": no key entry (another class of its colour has it) */
} classes;

typedef struct fit_plot {
    const slaw_fit *fits[MAX_FITS];
    size_t n_fits;
    run_view runs; /* n = 0 without runs */
    classes cls;
    bool two;     /* a law of N and D (or of N and one other variable) */
    size_t other; /* that other variable's index (a formula's S, LR, column); SIZE_MAX: D */
    bool compute; /* x is C = 6·N·D, not N */
    bool down;    /* the curves go on to lower x: x is the loss (downstream laws) */
    bool linear;  /* x on a linear axis: a formula whose variable reaches 0 or below */
    curve_mode mode;
    bool reads_u;           /* a law of N, D and U: each curve holds one U */
    double hold_u;          /* the U every curve holds; NaN: a curve per U of the runs */
    size_t off_u;           /* runs not drawn: at another U than hold_u */
    double *band;           /* per run: D, or D/N along ratio curves */
    double to;              /* where the curves end (on the x axis) */
    const char *color_by;   /* a column of table, or NULL */
    const slaw_runs *table; /* the runs given, or NULL */
} fit_plot;

static void fit_plot_free(fit_plot *p)
{
    run_view_free(&p->runs);
    free(p->cls.of);
    free(p->band);
}

static int compare_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* "D", "D/N" or the other variable's name in titles, and the units of its values. */
static const char *band_name(const fit_plot *p)
{
    if (p->other != SIZE_MAX) return slaw_law_var_name(slaw_fit_law(p->fits[0]), p->other);
    return p->mode == CURVE_AT_RATIO ? "D/N" : "D";
}
static axis_units band_units(const fit_plot *p)
{
    if (p->other != SIZE_MAX) { /* counts: steps, batch size; otherwise as written */
        slaw_role r = slaw_law_var_role(slaw_fit_law(p->fits[0]), p->other);
        return r == SLAW_ROLE_S || r == SLAW_ROLE_B ? UNITS_COUNT : UNITS_PLAIN;
    }
    return p->mode == CURVE_AT_RATIO ? UNITS_PLAIN : UNITS_COUNT;
}

/* A band of the runs whose band value lies in sorted[0..n) (sorted, ties
 * kept together) among the runs now in class from: its curve at the median. */
static size_t add_band(fit_plot *p, size_t from, const double *sorted, size_t n, bool titled)
{
    classes *c = &p->cls;
    const run_view *v = &p->runs;
    char lo[32], hi[32], mid[32];
    size_t b = c->n++;
    c->d[b] = sorted[(n - 1) / 2];
    c->fit[b] = 0;
    c->title[b][0] = '\0';
    format_number(c->d[b], band_units(p), mid, sizeof mid);
    format_number(sorted[0], band_units(p), lo, sizeof lo);
    format_number(sorted[n - 1], band_units(p), hi, sizeof hi);
    if (!titled) (void)0;
    else if (sorted[0] == sorted[n - 1])
        snprintf(c->title[b], sizeof c->title[b], "%s = %s", band_name(p), mid);
    else
        snprintf(c->title[b], sizeof c->title[b], "%s ≈ %s (runs: %s–%s)", band_name(p), mid, lo,
                 hi);
    for (size_t i = 0; i < v->n; i++)
        if (c->of[i] == from && p->band[i] >= sorted[0] && p->band[i] <= sorted[n - 1])
            c->of[i] = b;
    return b;
}

/* Splits the runs of class from into at most k bands of the band value by
 * rank (runs of one value stay together; a band per value when there are at
 * most max of them); returns the first new class, the others follow. */
static size_t split_bands(fit_plot *p, size_t from, size_t k, size_t max, bool titled)
{
    const run_view *v = &p->runs;
    size_t m = 0, first = p->cls.n;
    double *sorted = malloc((v->n ? v->n : 1) * sizeof *sorted);
    if (!sorted) return SIZE_MAX;
    for (size_t i = 0; i < v->n; i++)
        if (p->cls.of[i] == from) sorted[m++] = p->band[i];
    qsort(sorted, m, sizeof *sorted, compare_double);
    size_t distinct = 0;
    for (size_t i = 0; i < m; i++) distinct += i == 0 || sorted[i] != sorted[i - 1];
    size_t bands = distinct <= max ? distinct : k;
    for (size_t b = 0, start = 0; b < bands && start < m; b++) {
        size_t end = distinct <= max ? start + 1 : (b + 1) * m / bands;
        if (end <= start) continue;
        while (end < m && sorted[end] == sorted[end - 1]) end++;
        add_band(p, from, sorted + start, end - start, titled);
        start = end;
    }
    free(sorted);
    return first;
}

static bool fit_d_range(const fit_plot *p, const slaw_fit *f, double *lo, double *hi);

/* Bands of D by rank among the runs drawn (runs of one D stay together);
 * without runs, D_BANDS values spread evenly in log D over the fit's range. */
static void d_bands(fit_plot *p, classes *c)
{
    char mid[32], rgb[8];
    size_t m = 0;
    for (size_t i = 0; i < p->runs.n; i++) m += c->of[i] != SIZE_MAX;
    if (m == 0) {
        double dmin, dmax;
        fit_d_range(p, p->fits[0], &dmin, &dmax);
        if (p->mode == CURVE_AT_RATIO) {
            double nmin, nmax;
            plot_fit_n_range(p->fits[0], true, &nmin, &nmax);
            dmin /= nmax;
            dmax /= nmin;
        }
        for (size_t k = 0; k < D_BANDS; k++) {
            c->d[k] = dmin * pow(dmax / dmin, (double)k / (D_BANDS - 1));
            format_number(c->d[k], band_units(p), mid, sizeof mid);
            snprintf(c->title[k], sizeof c->title[k], "%s = %s", band_name(p), mid);
            c->fit[k] = 0;
        }
        c->n = dmax > dmin ? D_BANDS : 1;
    } else {
        /* Every drawn run starts in class 0; the bands take them over. */
        for (size_t i = 0; i < p->runs.n; i++)
            if (c->of[i] != SIZE_MAX) c->of[i] = 0;
        c->n = 1;
        split_bands(p, 0, D_BANDS, MAX_KEYS, true);
        /* Class 0 was only the pool: drop it. */
        for (size_t i = 0; i < p->runs.n; i++)
            if (c->of[i] != SIZE_MAX) c->of[i]--;
        c->n--;
        memmove(c->d, c->d + 1, c->n * sizeof *c->d);
        memmove(c->fit, c->fit + 1, c->n * sizeof *c->fit);
        memmove(c->title, c->title + 1, c->n * sizeof *c->title);
    }
    for (size_t k = 0; k < c->n; k++) snprintf(c->color[k], 8, "%s", color_sequence(k, c->n, rgb));
}

/* The colour of each run by its value of --color-by: text in order of first
 * appearance (up to MAX_KEYS values), numbers in order (more than MAX_KEYS
 * in D_BANDS bands by rank); key[i], and a label and colour per key. */
static slaw_status color_keys(fit_plot *p, size_t *key, size_t *n_keys, char labels[][256],
                              char colors[][8], slaw_error *err)
{
    const run_view *v = &p->runs;
    const char *name = p->color_by;
    size_t col, m = 0, n = 0;
    char rgb[8], a[32], b[32];
    if (!p->table)
        return error_set_option(err, SLAW_EUSAGE, "color_by",
                                "color_by %s: give the runs to colour", name);
    if (!slaw_runs_column_find(p->table, name, &col))
        return error_set_option(err, SLAW_EUSAGE, "color_by",
                                "color_by %s: no such column in the runs", name);
    const char *shown = slaw_runs_column_name(p->table, col);
    if (slaw_runs_column_is_label(p->table, col)) {
        const char *seen[MAX_KEYS];
        for (size_t i = 0; i < v->n; i++) {
            if (p->cls.of[i] == SIZE_MAX) continue;
            const char *t = slaw_runs_label(p->table, col, i);
            size_t k = 0;
            while (k < n && strcmp(seen[k], t) != 0) k++;
            if (k == n && n == MAX_KEYS)
                return error_set_option(err, SLAW_EUSAGE, "color_by",
                                        "color_by %s: more than %d values "
                                        "to tell apart by colour",
                                        name, MAX_KEYS);
            if (k == n) {
                seen[n] = t;
                snprintf(labels[n], 256, "%s = %.60s", shown, t);
                snprintf(colors[n], 8, "%s", color_category(n));
                n++;
            }
            key[i] = k;
        }
        *n_keys = n;
        return SLAW_OK;
    }
    double *sorted = malloc((v->n ? v->n : 1) * sizeof *sorted), edge[D_BANDS + 1] = {0};
    if (!sorted) return error_nomem(err);
    for (size_t i = 0; i < v->n; i++)
        if (p->cls.of[i] != SIZE_MAX) sorted[m++] = slaw_runs_value(p->table, col, i);
    qsort(sorted, m, sizeof *sorted, compare_double);
    size_t distinct = 0;
    for (size_t i = 0; i < m; i++)
        if (i == 0 || sorted[i] != sorted[i - 1]) sorted[distinct++] = sorted[i];
    bool each = distinct <= MAX_KEYS;
    n = each ? distinct : D_BANDS;
    for (size_t k = 0; k < n && !each; k++) edge[k] = sorted[k * distinct / n];
    for (size_t k = 0; k < n; k++) {
        double lo = each ? sorted[k] : edge[k];
        double hi = each        ? lo
                    : k + 1 < n ? sorted[(k + 1) * distinct / n - 1]
                                : sorted[distinct - 1];
        format_number(lo, UNITS_PLAIN, a, sizeof a);
        format_number(hi, UNITS_PLAIN, b, sizeof b);
        if (lo == hi) snprintf(labels[k], 256, "%s = %s", shown, a);
        else snprintf(labels[k], 256, "%s %s–%s", shown, a, b);
        snprintf(colors[k], 8, "%s", color_sequence(k, n, rgb));
    }
    for (size_t i = 0; i < v->n; i++) {
        double x = slaw_runs_value(p->table, col, i);
        size_t k = 0;
        if (each)
            while (k + 1 < n && sorted[k] != x) k++;
        else
            while (k + 1 < n && x >= edge[k + 1]) k++;
        key[i] = k;
    }
    free(sorted);
    *n_keys = n;
    return SLAW_OK;
}

/* Splits the runs of each (colour, fit) into bands of D for a law of N and
 * D; one class per (colour, fit) otherwise.  key[i] is run i's colour. */
static slaw_status key_classes(fit_plot *p, const size_t *key, size_t n_keys, char labels[][256],
                               char colors[][8], slaw_error *err)
{
    classes *c = &p->cls;
    const run_view *v = &p->runs;
    const size_t pending = SIZE_MAX - 1;
    c->n = 0;
    for (size_t i = 0; i < v->n; i++)
        if (c->of[i] != SIZE_MAX) c->of[i] = pending;
    for (size_t k = 0; k < n_keys; k++)
        for (size_t f = 0; f < p->n_fits; f++) {
            size_t pool = c->n, m = 0;
            for (size_t i = 0; i < v->n; i++)
                if (c->of[i] == pending && key[i] == k && v->fit[i] == f) {
                    c->of[i] = pool;
                    m++;
                }
            if (!m) continue;
            c->n++;
            c->d[pool] = NAN;
            c->title[pool][0] = '\0';
            size_t first = pool;
            if (p->two && (first = split_bands(p, pool, SUB_BANDS, SUB_BANDS, false)) == SIZE_MAX)
                return error_nomem(err);
            for (size_t b = first; b < c->n; b++) {
                c->fit[b] = f;
                snprintf(c->color[b], 8, "%s", colors[k]);
            }
            if (p->two) { /* the pool gave its runs to the bands: reuse its slot */
                for (size_t i = 0; i < v->n; i++)
                    if (c->of[i] > pool && c->of[i] < pending) c->of[i]--;
                c->n--;
                memmove(c->d + pool, c->d + pool + 1, (c->n - pool) * sizeof *c->d);
                memmove(c->fit + pool, c->fit + pool + 1, (c->n - pool) * sizeof *c->fit);
                memmove(c->color + pool, c->color + pool + 1, (c->n - pool) * sizeof *c->color);
                memmove(c->title + pool, c->title + pool + 1, (c->n - pool) * sizeof *c->title);
            }
            /* The key entry: the colour's label, and the D of its curves. */
            char *t = c->title[pool];
            size_t o = (size_t)snprintf(t, sizeof c->title[pool], "%s", labels[k]);
            for (size_t b = pool; p->two && b < c->n && o < sizeof c->title[pool]; b++) {
                char val[32];
                format_number(c->d[b], band_units(p), val, sizeof val);
                int w = snprintf(t + o, sizeof c->title[pool] - o, "%s%s",
                                 b == pool ? (p->mode == CURVE_AT_RATIO ? ", curves at D/N ≈ "
                                                                        : ", curves at D ≈ ")
                                           : ", ",
                                 val);
                o += w > 0 ? (size_t)w : 0;
            }
            labels[k][0] = '\0'; /* one key entry per colour */
        }
    for (size_t i = 0; i < v->n; i++)
        if (c->of[i] == pending) c->of[i] = SIZE_MAX;
    return SLAW_OK;
}

/* The same for D (D = sqrt(N·D · M)), or the other variable's range. */
static bool fit_d_range(const fit_plot *p, const slaw_fit *f, double *lo, double *hi)
{
    const slaw_law *law = slaw_fit_law(f);
    if (p->other != SIZE_MAX) {
        slaw_fit_data_range(f, p->other, lo, hi);
        return true;
    }
    size_t id = law_var_index(law, SLAW_ROLE_D), ic = law_var_index(law, SLAW_ROLE_C),
           im = law_var_index(law, SLAW_ROLE_M);
    double c_lo, c_hi, m_lo, m_hi;
    if (id != SIZE_MAX) {
        slaw_fit_data_range(f, id, lo, hi);
        return true;
    }
    if (ic == SIZE_MAX || im == SIZE_MAX) return false;
    slaw_fit_data_range(f, ic, &c_lo, &c_hi);
    slaw_fit_data_range(f, im, &m_lo, &m_hi);
    *lo = sqrt(slaw_compute_param_tokens(c_lo) * m_lo);
    *hi = sqrt(slaw_compute_param_tokens(c_hi) * m_hi);
    return true;
}

/* Without runs: each fit's curves at SUB_BANDS values of D (or D/N) spread
 * over its fitted range (one curve for a one-variable law). */
static void fit_only_classes(fit_plot *p, char labels[][256])
{
    classes *c = &p->cls;
    c->n = 0;
    for (size_t f = 0; f < p->n_fits; f++) {
        double lo = NAN, hi = NAN, nmin, nmax;
        size_t k = p->two ? SUB_BANDS : 1;
        if (p->two) {
            fit_d_range(p, p->fits[f], &lo, &hi);
            if (p->mode == CURVE_AT_RATIO) {
                plot_fit_n_range(p->fits[f], true, &nmin, &nmax);
                lo /= nmax;
                hi /= nmin;
            }
            if (!(hi > lo)) k = 1;
        }
        for (size_t b = 0; b < k; b++) {
            size_t j = c->n++;
            c->fit[j] = f;
            c->d[j] = k > 1 ? lo * pow(hi / lo, (double)b / (double)(k - 1)) : p->two ? lo : NAN;
            snprintf(c->color[j], 8, "%s", color_category(f));
            snprintf(c->title[j], sizeof c->title[j], "%s", b ? "" : labels[f]);
        }
    }
}

/* "c4: E = 1.84, ..." per fit of a grouped artifact (the colour's key entry). */
static void group_labels(const fit_plot *p, char labels[][256], char colors[][8], size_t *key)
{
    char params[200];
    for (size_t f = 0; f < p->n_fits; f++) {
        fit_params_text(p->fits[f], params, sizeof params);
        snprintf(labels[f], 256, "%.50s: %s", slaw_fit_group(p->fits[f]), params);
        snprintf(colors[f], 8, "%s", color_category(f));
    }
    for (size_t i = 0; i < p->runs.n; i++) key[i] = p->runs.fit[i];
}

/* Class k's U, for a law that reads it: the U held, else its runs' one U
 * (split_by_u leaves one per class), else the middle of the fit's range
 * (log scale). */
static void class_u(fit_plot *p, size_t k)
{
    const slaw_fit *f = p->fits[p->cls.fit[k]];
    size_t uv = law_var_index(slaw_fit_law(f), SLAW_ROLE_U);
    double lo, hi;
    p->cls.u[k] = NAN;
    if (uv == SIZE_MAX) return;
    if (!isnan(p->hold_u)) {
        p->cls.u[k] = p->hold_u;
        return;
    }
    for (size_t i = 0; i < p->runs.n; i++)
        if (p->cls.of[i] == k) {
            p->cls.u[k] = p->runs.u[i];
            return;
        }
    slaw_fit_data_range(f, uv, &lo, &hi);
    p->cls.u[k] = sqrt(lo * hi);
}

/* The colour of each run by its U, one per distinct U of the runs drawn
 * (in order), so that every curve holds the U of its runs. */
static slaw_status u_keys(fit_plot *p, size_t *key, size_t *n_keys, char labels[][256],
                          char colors[][8], slaw_error *err)
{
    const run_view *v = &p->runs;
    double seen[MAX_KEYS];
    size_t n = 0, distinct = 0;
    char val[32], rgb[8];
    for (size_t i = 0; i < v->n; i++) {
        if (p->cls.of[i] == SIZE_MAX) continue;
        size_t k = 0;
        while (k < n && seen[k] != v->u[i]) k++;
        if (k == n && n == MAX_KEYS) { /* count them all for the message */
            double *all = malloc(v->n * sizeof *all);
            if (!all) return error_nomem(err);
            for (size_t j = 0; j < v->n; j++)
                if (p->cls.of[j] != SIZE_MAX) all[distinct++] = v->u[j];
            qsort(all, distinct, sizeof *all, compare_double);
            size_t m = 0;
            for (size_t j = 0; j < distinct; j++) m += j == 0 || all[j] != all[j - 1];
            free(all);
            return error_set_option(err, SLAW_EUSAGE, "hold",
                                    "hold: the runs have %zu values of U, more than %d curves to "
                                    "tell apart, and a curve holds U fixed; name the U to draw "
                                    "(hold U=VALUE)",
                                    m, MAX_KEYS);
        }
        if (k == n) seen[n++] = v->u[i];
    }
    qsort(seen, n, sizeof *seen, compare_double);
    for (size_t i = 0; i < v->n; i++) {
        size_t k = 0;
        while (k + 1 < n && seen[k] != v->u[i]) k++;
        key[i] = k;
    }
    for (size_t k = 0; k < n; k++) {
        format_number(seen[k], UNITS_COUNT, val, sizeof val);
        snprintf(labels[k], 256, "U = %s", val);
        snprintf(colors[k], 8, "%s", color_sequence(k, n, rgb));
    }
    *n_keys = n;
    return SLAW_OK;
}

/* Splits every class whose runs have several U into one class per U, of
 * the same colour (a grouped fit's, or --color-by's), so that no curve
 * stands for runs of different U. */
static slaw_status split_by_u(fit_plot *p, slaw_error *err)
{
    classes *c = &p->cls;
    const run_view *v = &p->runs;
    size_t n0 = c->n, parent[MAX_CLASSES];
    double u[MAX_CLASSES];
    for (size_t k = 0; k < n0; k++) u[k] = NAN;
    for (size_t i = 0; i < v->n; i++) {
        size_t k = c->of[i], j = n0;
        if (k == SIZE_MAX || k >= n0) continue;
        if (isnan(u[k])) u[k] = v->u[i];
        if (v->u[i] == u[k]) continue;
        while (j < c->n && !(parent[j] == k && u[j] == v->u[i])) j++;
        if (j == c->n) {
            if (c->n == MAX_CLASSES)
                return error_set_option(err, SLAW_EUSAGE, "hold",
                                        "hold: more than %d curves, one per value of U; name the U "
                                        "to draw (hold U=VALUE)",
                                        MAX_CLASSES);
            c->n++;
            parent[j] = k;
            u[j] = v->u[i];
            c->fit[j] = c->fit[k];
            c->d[j] = c->d[k];
            memcpy(c->color[j], c->color[k], sizeof c->color[j]);
            c->title[j][0] = '\0';
        }
        c->of[i] = j;
    }
    return SLAW_OK;
}

/* Appends to each key entry the U of its colour's curves (", U = 2B, 6B"),
 * unless the colours are the values of U. */
static void u_titles(fit_plot *p, bool by_u)
{
    classes *c = &p->cls;
    if (!p->reads_u || by_u) return;
    for (size_t k = 0; k < c->n; k++) {
        if (!c->title[k][0]) continue;
        size_t o = strlen(c->title[k]), m = 0;
        double shown[MAX_CLASSES];
        for (size_t j = 0; j < c->n && o < sizeof c->title[k]; j++) {
            if (strcmp(c->color[j], c->color[k]) || c->fit[j] != c->fit[k] || isnan(c->u[j]))
                continue;
            size_t s = 0;
            while (s < m && shown[s] != c->u[j]) s++;
            if (s < m) continue;
            char val[32];
            format_number(c->u[j], UNITS_COUNT, val, sizeof val);
            int w =
                snprintf(c->title[k] + o, sizeof c->title[k] - o, "%s%s", m ? ", " : ", U = ", val);
            o += w > 0 ? (size_t)w : 0;
            shown[m++] = c->u[j];
        }
    }
}

/* Splits the runs into classes and finds each curve's solid range: the N
 * of its class's runs, or the fit's range without runs. */
static slaw_status make_classes(fit_plot *p, slaw_error *err)
{
    classes *c = &p->cls;
    const run_view *v = &p->runs;
    size_t m = v->n ? v->n : 1;
    c->of = malloc(m * sizeof *c->of);
    p->band = malloc(m * sizeof *p->band);
    size_t *key = malloc(m * sizeof *key);
    char labels[MAX_KEYS][256], colors[MAX_KEYS][8];
    slaw_status st = SLAW_OK;
    if (!c->of || !p->band || !key) {
        free(key);
        return error_nomem(err);
    }
    size_t drawn = 0;
    for (size_t i = 0; i < v->n; i++) {
        c->of[i] = v->held[i] ? SIZE_MAX : v->fit[i];
        p->band[i] = p->mode == CURVE_AT_RATIO ? v->d[i] / v->x[i] : v->d[i];
        if (c->of[i] != SIZE_MAX && p->reads_u && !isnan(p->hold_u) && v->u[i] != p->hold_u) {
            c->of[i] = SIZE_MAX; /* drawn only beside a curve at its own U */
            p->off_u++;
        }
        drawn += c->of[i] != SIZE_MAX;
    }
    bool grouped = slaw_fit_group(p->fits[0]) != NULL;
    bool by_u = p->reads_u && isnan(p->hold_u) && drawn && !p->color_by && !grouped;
    size_t n_keys = 0;
    if (by_u) {
        st = u_keys(p, key, &n_keys, labels, colors, err);
        if (st == SLAW_OK) st = key_classes(p, key, n_keys, labels, colors, err);
    } else if (p->color_by) {
        st = color_keys(p, key, &n_keys, labels, colors, err);
        if (st == SLAW_OK) st = key_classes(p, key, n_keys, labels, colors, err);
    } else if (grouped) {
        group_labels(p, labels, colors, key);
        if (drawn) st = key_classes(p, key, p->n_fits, labels, colors, err);
        else fit_only_classes(p, labels);
    } else if (p->two) {
        d_bands(p, c);
        if (!c->n) st = error_nomem(err);
    } else {
        c->n = 1;
        c->fit[0] = 0;
        c->d[0] = NAN;
        snprintf(c->color[0], 8, "%s", color_category(0));
        snprintf(c->title[0], sizeof c->title[0], "fitted curve");
    }
    free(key);
    if (st == SLAW_OK && p->reads_u && isnan(p->hold_u)) st = split_by_u(p, err);
    if (st == SLAW_OK && !c->n)
        st = error_set_option(err, SLAW_EUSAGE, "hold,color_by",
                              "hold U = %g: none of the runs drawn is at that U", p->hold_u);
    if (st != SLAW_OK) return st;
    for (size_t k = 0; k < c->n; k++) {
        c->x_lo[k] = INFINITY;
        c->x_hi[k] = -INFINITY;
        for (size_t i = 0; i < v->n; i++)
            if (c->of[i] == k) {
                c->x_lo[k] = fmin(c->x_lo[k], v->x[i]);
                c->x_hi[k] = fmax(c->x_hi[k], v->x[i]);
            }
        if (!(c->x_lo[k] <= c->x_hi[k]))
            plot_fit_n_range(p->fits[c->fit[k]], p->two, &c->x_lo[k], &c->x_hi[k]);
        class_u(p, k);
    }
    u_titles(p, by_u);
    return SLAW_OK;
}

/* The range of x in the data: N (or x), or C = 6·N·D for the compute kind. */
static void data_range(const fit_plot *p, double *bottom, double *top)
{
    double lo, hi;
    *bottom = INFINITY;
    *top = -INFINITY;
    for (size_t k = 0; k < p->n_fits; k++) {
        bool known = p->compute ? slaw_fit_compute_range(p->fits[k], &lo, &hi)
                                : plot_fit_n_range(p->fits[k], p->two, &lo, &hi);
        if (known && lo <= hi) *bottom = fmin(*bottom, lo), *top = fmax(*top, hi);
    }
    for (size_t k = 0; k < p->cls.n; k++) {
        double c = p->compute ? slaw_compute_flops(p->cls.x_hi[k], p->cls.d[k], 0) : p->cls.x_hi[k];
        *top = fmax(*top, c);
        *bottom = fmin(*bottom, p->compute ? slaw_compute_flops(p->cls.x_lo[k], p->cls.d[k], 0)
                                           : p->cls.x_lo[k]);
    }
}

/* Where the curves end: --to, past the data in the law's direction, or by
 * default a decade on (for a law of the loss, half the data's span below
 * its smallest loss: an error law soon reaches 0; on a linear axis, half
 * the span on). */
static slaw_status curves_end(fit_plot *p, const slaw_plot_options *opt, const char *x,
                              slaw_error *err)
{
    double bottom, top;
    data_range(p, &bottom, &top);
    if (p->down) {
        if (opt->to > 0 && !(opt->to < bottom))
            return error_set_option(err, SLAW_EUSAGE, "to",
                                    "the curves would end at %s = %g, not below the smallest %s "
                                    "of the runs (%g): law %s reads the loss, and to must be "
                                    "below it",
                                    x, opt->to, x, bottom, slaw_law_name(slaw_fit_law(p->fits[0])));
        p->to = opt->to > 0 ? opt->to : bottom * sqrt(bottom / top); /* half the span, log */
        return SLAW_OK;
    }
    if (opt->to > 0 && !(opt->to > top))
        return error_set_option(err, SLAW_EUSAGE, "to",
                                "the curves would end at %s = %g, not beyond "
                                "the largest %s of the runs (%g): to must be past it",
                                x, opt->to, x, top);
    p->to = opt->to > 0 ? opt->to : p->linear ? top + (top - bottom) / 2 : 10 * top;
    return SLAW_OK;
}

/* Whether x reaches 0 or below in the fits' data or the runs. */
static bool x_not_positive(const fit_plot *p)
{
    double lo, hi;
    for (size_t k = 0; k < p->n_fits; k++) {
        slaw_fit_data_range(p->fits[k], 0, &lo, &hi);
        if (lo <= 0) return true;
    }
    for (size_t i = 0; i < p->runs.n; i++)
        if (p->runs.x[i] <= 0) return true;
    return false;
}

/* The U the curves hold (opt->hold): only U, of a law that reads it. */
static slaw_status hold_of(fit_plot *p, const slaw_plot_options *opt, const slaw_law *law,
                           const char *kind, slaw_error *err)
{
    char vars[96];
    p->reads_u = p->two && law_var_index(law, SLAW_ROLE_U) != SIZE_MAX;
    p->hold_u = NAN;
    if (!opt->hold) return SLAW_OK;
    law_var_list(law, vars, sizeof vars);
    for (size_t r = 0; r < SLAW_ROLE_COUNT; r++)
        if (r != SLAW_ROLE_U && !isnan(slaw_point_role(opt->hold, (slaw_role)r)))
            return error_set_option(err, SLAW_EUSAGE, "hold",
                                    "hold: a %s plot holds only U (its curves run in N at values "
                                    "of D); %s is not held",
                                    kind, slaw_role_symbol((slaw_role)r));
    if (opt->hold->n_named)
        return error_set_option(err, SLAW_EUSAGE, "hold",
                                "hold: a %s plot holds only U; %s is not held", kind,
                                opt->hold->name[0]);
    if (!p->reads_u)
        return error_set_option(err, SLAW_EUSAGE, "hold", "hold U: %s reads %s, not U",
                                law->program ? "the formula" : slaw_law_name(law), vars);
    p->hold_u = opt->hold->U;
    if (!(p->hold_u > 0))
        return error_set_option(err, SLAW_EUSAGE, "hold", "hold: give U=VALUE, a positive number");
    return SLAW_OK;
}

/* Loads what every kind here needs: the fits, the runs, the classes. */
static slaw_status prepare(plot_doc *d, const slaw_artifact *a, const char *kind, fit_plot *p,
                           slaw_error *err)
{
    const slaw_plot_options *opt = d->opt;
    slaw_status st =
        plot_select_fits(a, opt->group, false, kind, p->fits, MAX_FITS, &p->n_fits, err);
    if (st != SLAW_OK) return st;
    const slaw_law *law = slaw_fit_law(p->fits[0]);
    char vars[96];
    p->other = plot_law_other_var(law);
    p->two = plot_law_of_n_and_d(law) || p->other != SIZE_MAX;
    if (!p->two && slaw_law_var_count(law) > 1) {
        law_var_list(law, vars, sizeof vars);
        return error_set(err, SLAW_EUSAGE, NULL, 0,
                         "a %s plot draws a law in N with curves at values of D (and U) or of "
                         "its one other variable, or in its one variable; %s reads %s",
                         kind, law->program ? "the formula" : slaw_law_name(law), vars);
    }
    p->down = law->x_is_loss;
    if ((st = hold_of(p, opt, law, kind, err)) != SLAW_OK) return st;
    p->compute = opt->kind == SLAW_PLOT_COMPUTE;
    p->mode = opt->kind == SLAW_PLOT_TOKENS_PER_PARAM ? CURVE_AT_RATIO : CURVE_AT_D;
    p->color_by = opt->color_by;
    p->table = opt->runs;
    if (!p->two && (p->compute || p->mode == CURVE_AT_RATIO))
        return error_set(err, SLAW_EUSAGE, NULL, 0,
                         "a %s plot needs a law of N and D; %s reads "
                         "one variable",
                         kind, slaw_law_name(slaw_fit_law(p->fits[0])));
    if (p->other != SIZE_MAX && (p->compute || p->mode == CURVE_AT_RATIO)) {
        law_var_list(law, vars, sizeof vars);
        return error_set(err, SLAW_EUSAGE, NULL, 0, "a %s plot needs a law of N and D; %s reads %s",
                         kind, law->program ? "the formula" : slaw_law_name(law), vars);
    }
    if (opt->runs && (st = run_view_make(a, opt->runs, p->fits, p->n_fits, &p->runs, err)))
        return st;
    if ((st = make_classes(p, err)) != SLAW_OK) return st;
    slaw_fit_options fo;
    slaw_artifact_options(a, &fo);
    const char *x = p->compute ? "C" : !p->two && fo.x ? fo.x : "N";
    p->linear = law->program && !p->two && x_not_positive(p);
    if ((st = curves_end(p, opt, x, err)) != SLAW_OK) return st;
    d->x.units = p->compute ? UNITS_FLOPS : UNITS_COUNT;
    if (!p->two && fo.x) d->x.units = UNITS_PLAIN;
    if (p->linear) d->x.log = false;
    double y_lo, y_hi;
    slaw_fit_data_range(p->fits[0], slaw_law_var_count(law), &y_lo, &y_hi);
    if (law->program && y_lo <= 0) d->y.log = false; /* a formula's target of any sign */
    return SLAW_OK;
}

/* ------------------------------------------------------------ fit plot */

/* The law's variables at N on class k's curve, and where that is on the x axis. */
static double curve_point(const fit_plot *p, size_t k, double n, double *vars)
{
    double d = p->mode == CURVE_AT_RATIO ? p->cls.d[k] * n : p->cls.d[k];
    plot_law_vars(slaw_fit_law(p->fits[p->cls.fit[k]]), n, d, p->cls.u[k], vars);
    return p->compute ? slaw_compute_flops(n, d, 0) : n;
}

/* One segment of class k's curve, N from lo to hi in n steps (log-spaced),
 * with the band; returns the block's name in name. */
static slaw_status curve_block(plot_doc *d, const fit_plot *p, size_t k, double lo, double hi,
                               size_t n, const slaw_forecast_options *fo, char *name,
                               slaw_forecast *last, slaw_error *err)
{
    const slaw_fit *f = p->fits[p->cls.fit[k]];
    plot_block_begin(d, "curve", name);
    for (size_t i = 0; i < n; i++) {
        double t = (double)i / (double)(n - 1), vars[LAW_MAX_VARS];
        double x = curve_point(p, k, p->linear ? lo + (hi - lo) * t : lo * pow(hi / lo, t), vars);
        slaw_status st = slaw_forecast_at(f, vars, fo, last, err);
        if (st != SLAW_OK && p->linear) { /* x of any sign where the law's variable takes
                                             none: its value alone, no band */
            double row[4] = {x, slaw_fit_predict(f, vars), NAN, NAN};
            plot_row(d, row, 4, 3);
            last->method = SLAW_INTERVAL_NONE;
            continue;
        }
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
                              const slaw_forecast_options *fo, slaw_forecast *probe, bool *dashed,
                              slaw_error *err)
{
    const classes *c = &p->cls;
    char solid[32], beyond[32];
    double lo = c->x_lo[k], hi = c->x_hi[k], lw = plot_lw(d);
    double to = p->compute ? slaw_compute_params(p->to, c->d[k], 0) : p->to; /* in N */
    slaw_status st;
    if (!(hi > lo) && p->linear) lo -= 0.5, hi += 0.5;
    else if (!(hi > lo)) lo /= 1.5, hi *= 1.5; /* one size: a short stretch of curve */
    if ((st = curve_block(d, p, k, lo, hi, CURVE_POINTS, fo, solid, probe, err))) return st;
    bool past = p->down ? to < lo : to > hi;
    if (past && (st = curve_block(d, p, k, p->down ? to : hi, p->down ? lo : to, BEYOND_POINTS, fo,
                                  beyond, probe, err)))
        return st;
    *dashed |= past;
    if (probe->method != SLAW_INTERVAL_NONE) {
        plot_element(d, LAYER_BAND, NULL, "%s using 1:3:4 " BAND_STYLE " lc rgb \"%s\"", solid,
                     c->color[k]);
        if (past)
            plot_element(d, LAYER_BAND, NULL, "%s using 1:3:4 " BAND_STYLE " lc rgb \"%s\"", beyond,
                         c->color[k]);
    }
    plot_element(d, LAYER_LINE, c->title[k][0] ? c->title[k] : NULL,
                 "%s using 1:2 with lines lw %.3g lc rgb \"%s\"", solid, lw, c->color[k]);
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
            double vars[LAW_MAX_VARS];
            plot_law_vars(slaw_fit_law(p->fits[v->fit[i]]), v->x[i], v->d[i], v->u[i], vars);
            double y =
                residuals ? log(slaw_fit_predict(p->fits[v->fit[i]], vars) / v->y[i]) : v->y[i];
            double row[2] = {p->compute ? slaw_compute_flops(v->x[i], v->d[i], 0) : v->x[i], y};
            plot_row(d, row, 2, 1);
        }
        plot_block_end(d);
        /* With curves the curve's key entry names the class; alone, the points do. */
        plot_element(d, LAYER_POINT,
                     residuals && p->cls.n > 1 && p->cls.title[k][0] ? p->cls.title[k] : NULL,
                     "%s using 1:2 with points pt 7 lc rgb \"%s\"", name, p->cls.color[k]);
    }
}

/* The runs the fits held out (from the artifact), as open triangles, at
 * their N (or x) or C, whatever variables the law reads. */
static void draw_held(plot_doc *d, const fit_plot *p, bool residuals)
{
    size_t n = 0;
    char name[32];
    for (size_t k = 0; k < p->n_fits; k++) n += slaw_fit_holdout_count(p->fits[k]);
    if (!n) return;
    plot_block_begin(d, "heldout", name);
    for (size_t k = 0; k < p->n_fits; k++)
        for (size_t h = 0; h < slaw_fit_holdout_count(p->fits[k]); h++) {
            double vars[LAW_MAX_VARS], obs, pred, rn, rd;
            slaw_fit_holdout_run(p->fits[k], h, vars, &obs, &pred);
            plot_run_n_d(slaw_fit_law(p->fits[k]), p->two, vars, &rn, &rd);
            double row[2] = {p->compute ? slaw_compute_flops(rn, rd, 0) : rn,
                             residuals ? log(pred / obs) : obs};
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
                {p->off_u, "not drawn: at another U than the curves'"},
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

/* "chinchilla: L = E + ...\nE = 1.817, ...": the parameters of the one fit
 * drawn (with its group), or where they are when each group has its own. */
static void law_title(plot_doc *d, const slaw_artifact *a, const fit_plot *p, const char *what)
{
    char title[700], params[400];
    const slaw_law *law = slaw_fit_law(p->fits[0]);
    const char *group = slaw_fit_group(p->fits[0]);
    size_t o = 0;
    if (group && p->n_fits == 1)
        o = (size_t)snprintf(params, sizeof params, "group %.60s: ", group);
    if (group && p->n_fits > 1) {
        const char *by = slaw_artifact_role_column(a, SLAW_ROLE_GROUP, NULL);
        snprintf(params, sizeof params,
                 "%zu groups (by %.60s), each its own fit: parameters in "
                 "the key",
                 p->n_fits, by ? by : "group");
    } else {
        fit_params_text(p->fits[0], params + o, sizeof params - o);
    }
    snprintf(title, sizeof title, "%s%s: %s\n%s", what, slaw_law_name(law), slaw_law_formula(law),
             params);
    plot_title(d, title);
}

/* The x axis: N (or x), or compute. */
static const char *x_label(const slaw_artifact *a, const fit_plot *p, char *buf, size_t size)
{
    if (p->compute) return "training compute C = 6ND (FLOPs)";
    return variable_label(a, p->fits[0], buf, size);
}

slaw_status plot_fit(plot_doc *d, const slaw_artifact *a, slaw_error *err)
{
    fit_plot p = {0};
    slaw_forecast_options fo;
    slaw_forecast probe = {0};
    char label[200], band[200];
    bool dashed = false;
    slaw_status st = prepare(d, a, slaw_plot_kind_name(d->opt->kind), &p, err);
    if (st != SLAW_OK) goto out;
    plot_forecast_options(d, a, &fo);
    for (size_t k = 0; k < p.cls.n && st == SLAW_OK; k++)
        st = draw_curve(d, &p, k, &fo, &probe, &dashed, err);
    if (st != SLAW_OK) goto out;
    band_text(d, probe.method, probe.samples, band, sizeof band);
    if (band[0]) plot_key_entry(d, LAYER_BAND, BAND_STYLE " lc rgb \"" COLOR_GREY "\"", band);
    if (dashed)
        plot_key_entry(d, LAYER_NOTE, "with lines dt 2 lc rgb \"" COLOR_BLACK "\"",
                       "dashed: beyond the runs");
    draw_runs(d, &p, false);
    draw_held(d, &p, false);
    runs_note(d, &p);
    law_title(d, a, &p,
              p.compute                  ? "against compute, "
              : p.mode == CURVE_AT_RATIO ? "at constant tokens per parameter, "
                                         : "");
    d->y.units = UNITS_PLAIN;
    plot_axis_set(d, "x", &d->x, x_label(a, &p, label, sizeof label));
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
        return error_set_option(err, SLAW_EUSAGE, "to", "to: a residuals plot draws no curves");
    slaw_status st = prepare(d, a, "residuals", &p, err);
    size_t held = 0;
    for (size_t k = 0; st == SLAW_OK && k < p.n_fits; k++)
        held += slaw_fit_holdout_count(p.fits[k]);
    if (st == SLAW_OK && !d->opt->runs && !held)
        st = error_set(err, SLAW_EUSAGE, NULL, 0,
                       "a residuals plot needs the runs (or a fit "
                       "with held-out runs)");
    if (st != SLAW_OK) goto out;
    d->y = (plot_axis){0, 0, false, UNITS_PLAIN}; /* the zero line is always in view */
    plot_element(d, LAYER_LINE, NULL, "0 with lines lw 1 lc rgb \"" COLOR_BLACK "\"");
    draw_runs(d, &p, true);
    draw_held(d, &p, true);
    runs_note(d, &p);
    law_title(d, a, &p, "residuals of ");
    plot_axis_set(d, "x", &d->x, variable_label(a, p.fits[0], label, sizeof label));
    plot_axis_set(d, "y", &d->y, "ln(predicted / observed): > 0, the law over-predicts");
out:
    fit_plot_free(&p);
    return st;
}
