/* isoflop.c — Hoffmann et al.'s Approach 2 (IsoFLOP profiles): group runs
 * by compute budget, fit a parabola of loss against ln N per budget with
 * GSL's linear least squares, read the budget's N* off its minimum, then
 * fit ln N* and ln D* against ln C across budgets for the exponents a, b
 * of N* ∝ C^a and D* ∝ C^b.  Intervals are Student-t intervals from the
 * least-squares covariances (the delta method for the parabola's vertex). */
#include "forecast.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_multifit.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_BIN 0.1

struct slaw_isoflop {
    double level;
    slaw_isoflop_budget *budgets;
    double *curvature; /* per budget: b2 of its parabola (NaN when refused) */
    size_t n;
    size_t *budget_of; /* per run of the input: its budget */
    size_t n_runs;
    slaw_isoflop_exponent n_exp, d_exp;
};

/* One run as the analysis sees it. */
typedef struct iso_run {
    double C, N, L;
    size_t group; /* budget column: index of its value; binning: unused */
    size_t run;   /* its index in the runs given */
} iso_run;

void slaw_isoflop_options_init(slaw_isoflop_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->level = SLAW_DEFAULT_LEVEL;
}

void slaw_isoflop_free(slaw_isoflop *r)
{
    if (!r) return;
    for (size_t i = 0; i < r->n; i++) {
        free((char *)r->budgets[i].label);
        free((char *)r->budgets[i].refused);
    }
    free(r->budgets);
    free(r->curvature);
    free(r->budget_of);
    free(r);
}

double slaw_isoflop_level(const slaw_isoflop *r)
{
    return r->level;
}
size_t slaw_isoflop_budget_count(const slaw_isoflop *r)
{
    return r->n;
}

const slaw_isoflop_budget *slaw_isoflop_budget_at(const slaw_isoflop *r, size_t i)
{
    return i < r->n ? &r->budgets[i] : NULL;
}

double slaw_isoflop_budget_curvature(const slaw_isoflop *r, size_t i)
{
    return i < r->n ? r->curvature[i] : NAN;
}

size_t slaw_isoflop_run_budget(const slaw_isoflop *r, size_t run)
{
    return run < r->n_runs ? r->budget_of[run] : SIZE_MAX;
}

const slaw_isoflop_exponent *slaw_isoflop_n_exponent(const slaw_isoflop *r)
{
    return &r->n_exp;
}
const slaw_isoflop_exponent *slaw_isoflop_d_exponent(const slaw_isoflop *r)
{
    return &r->d_exp;
}

static char *text_printf(const char *fmt, ...) SLAW_PRINTF(1, 2);

static char *text_printf(const char *fmt, ...)
{
    char buf[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return strdup(buf);
}

/* ------------------------------------------------------ least squares */

/* y ≈ X c by gsl_multifit_linear, X with columns 1, t, t² (up to degree);
 * cov = s² (X'X)^-1.  False when GSL fails. */
static bool poly_fit(const double *t, const double *y, size_t n, size_t degree, double *c,
                     double *cov)
{
    size_t p = degree + 1;
    gsl_matrix *X = gsl_matrix_alloc(n, p), *V = gsl_matrix_alloc(p, p);
    gsl_vector *Y = gsl_vector_alloc(n), *C = gsl_vector_alloc(p);
    gsl_multifit_linear_workspace *w = gsl_multifit_linear_alloc(n, p);
    bool ok = X && V && Y && C && w;
    double chisq;
    for (size_t i = 0; ok && i < n; i++) {
        for (size_t k = 0; k < p; k++) gsl_matrix_set(X, i, k, pow(t[i], (double)k));
        gsl_vector_set(Y, i, y[i]);
    }
    ok = ok && gsl_multifit_linear(X, Y, C, V, &chisq, w) == GSL_SUCCESS;
    for (size_t k = 0; ok && k < p; k++) {
        c[k] = gsl_vector_get(C, k);
        for (size_t l = 0; l < p; l++) cov[k * p + l] = n > p ? gsl_matrix_get(V, k, l) : NAN;
    }
    gsl_multifit_linear_free(w);
    gsl_vector_free(C);
    gsl_vector_free(Y);
    gsl_matrix_free(V);
    gsl_matrix_free(X);
    return ok;
}

/* The two-sided Student-t quantile for level with df degrees of freedom. */
static double t_quantile(double level, size_t df)
{
    return df ? gsl_cdf_tdist_Pinv(0.5 + level / 2, (double)df) : NAN;
}

/* -------------------------------------------------------- one budget */

static void vertex(slaw_isoflop_budget *b, const double *c, const double *cov, double mean_u,
                   double t)
{
    double u = -c[1] / (2 * c[2]);
    double g1 = -1 / (2 * c[2]), g2 = c[1] / (2 * c[2] * c[2]);
    double var = g1 * g1 * cov[1 * 3 + 1] + 2 * g1 * g2 * cov[1 * 3 + 2] + g2 * g2 * cov[2 * 3 + 2];
    double se = var >= 0 ? sqrt(var) : NAN;
    double n = exp(mean_u + u);
    b->N = (slaw_estimate){n, exp(mean_u + u - t * se), exp(mean_u + u + t * se)};
    b->D = (slaw_estimate){slaw_compute_tokens(b->C, n, 0), slaw_compute_tokens(b->C, b->N.hi, 0),
                           slaw_compute_tokens(b->C, b->N.lo, 0)};
    b->L = c[0] - c[1] * c[1] / (4 * c[2]);
}

/* Fits the parabola of one budget; sets used or the reason it is refused,
 * and *curv to the parabola's b2 (NaN when refused). */
static slaw_status fit_budget(slaw_isoflop_budget *b, const iso_run *runs, size_t n, double level,
                              double *curv)
{
    double *u = malloc(n * sizeof *u), *y = malloc(n * sizeof *y), c[3], cov[9];
    double mean = 0, lo = INFINITY, hi = -INFINITY, log_c = 0;
    size_t distinct = 0;
    if (!u || !y) {
        free(u);
        free(y);
        return SLAW_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        log_c += log(runs[i].C) / (double)n;
        mean += log(runs[i].N) / (double)n;
        bool seen = false;
        for (size_t k = 0; k < i; k++) seen |= runs[k].N == runs[i].N;
        distinct += !seen;
    }
    b->C = exp(log_c);
    b->runs = n;
    b->N = b->D = (slaw_estimate){NAN, NAN, NAN};
    b->L = NAN;
    for (size_t i = 0; i < n; i++) {
        u[i] = log(runs[i].N) - mean; /* centred, for a well-conditioned design */
        y[i] = runs[i].L;
        lo = fmin(lo, u[i]);
        hi = fmax(hi, u[i]);
    }
    if (distinct < 3 && distinct == n)
        b->refused = text_printf("%zu run%s: a parabola needs at least 3", n, n == 1 ? "" : "s");
    else if (distinct < 3)
        b->refused =
            text_printf("%zu runs but %zu distinct N: a parabola needs at least 3", n, distinct);
    else if (!poly_fit(u, y, n, 2, c, cov))
        b->refused = text_printf("the parabola could not be fitted");
    else if (!(c[2] > 0)) b->refused = text_printf("the parabola opens downward: no minimum");
    else if (-c[1] / (2 * c[2]) < lo || -c[1] / (2 * c[2]) > hi)
        b->refused = text_printf("the parabola's minimum, N = %.3g, lies outside the runs' N "
                                 "(%.3g to %.3g)",
                                 exp(mean - c[1] / (2 * c[2])), exp(mean + lo), exp(mean + hi));
    else b->used = true;
    if (b->used) vertex(b, c, cov, mean, t_quantile(level, n - 3));
    *curv = b->used ? c[2] : NAN; /* centring u moves the vertex, not b2 */
    free(u);
    free(y);
    return b->used || b->refused ? SLAW_OK : SLAW_ENOMEM;
}

/* ----------------------------------------------------------- grouping */

static int compare_c(const void *a, const void *b)
{
    const iso_run *x = a, *y = b;
    return (x->C > y->C) - (x->C < y->C);
}

static int compare_group_then_c(const void *a, const void *b)
{
    const iso_run *x = a, *y = b;
    if (x->group != y->group) return (x->group > y->group) - (x->group < y->group);
    return compare_c(a, b);
}

/* The runs, with each run's budget group when a column names it. */
static slaw_status collect(const slaw_runs *runs, const char *budget, iso_run *out,
                           size_t *label_col, slaw_error *err)
{
    size_t nc, cc, lc, n = slaw_runs_count(runs);
    if (!slaw_runs_role_column(runs, SLAW_ROLE_N, &nc))
        return error_set_option(err, SLAW_EUSAGE, "role_column[N]",
                                "isoflop needs N: no model-size column "
                                "(name one with role_column[N] COLUMN)");
    if (!slaw_runs_role_column(runs, SLAW_ROLE_C, &cc))
        return error_set_option(err, SLAW_EUSAGE, "role_column[C]",
                                "isoflop needs the compute C of each run: give a C column "
                                "(role_column[C]) or a D column (role_column[D]) to derive it");
    if (!slaw_runs_role_column(runs, SLAW_ROLE_L, &lc))
        return error_set_option(err, SLAW_EUSAGE, "role_column[L]",
                                "isoflop needs the loss: no target column "
                                "(name one with role_column[L] COLUMN)");
    if (budget && !slaw_runs_column_find(runs, budget, label_col))
        return error_set_option(err, SLAW_EUSAGE, "budget", "budget %s: no such column", budget);
    for (size_t i = 0; i < n; i++) {
        out[i] = (iso_run){slaw_runs_value(runs, cc, i), slaw_runs_value(runs, nc, i),
                           slaw_runs_value(runs, lc, i), 0, i};
        if (!budget) continue;
        size_t k = 0;
        for (; k < i; k++) {
            bool same =
                slaw_runs_column_is_label(runs, *label_col)
                    ? !strcmp(slaw_runs_label(runs, *label_col, i),
                              slaw_runs_label(runs, *label_col, k))
                    : slaw_runs_value(runs, *label_col, i) == slaw_runs_value(runs, *label_col, k);
            if (same) break;
        }
        out[i].group = k < i ? out[k].group : i;
    }
    return SLAW_OK;
}

/* Where each budget starts in the sorted runs (n_budgets + 1 entries). */
static size_t split(const iso_run *r, size_t n, bool by_column, double bin, size_t *start)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        bool fresh = i == 0 || (by_column ? r[i].group != r[i - 1].group
                                          : r[i].C > r[start[m - 1]].C * (1 + bin));
        if (fresh) start[m++] = i;
    }
    start[m] = n;
    return m;
}

/* A budget column's value (the group is its first run), or the binned C. */
static char *budget_label(const slaw_runs *runs, bool by_column, size_t col, size_t group, double C)
{
    if (!by_column) return text_printf("%.3g", C);
    const char *text = slaw_runs_label(runs, col, group);
    if (text) return strdup(text);
    return text_printf("%.15g", slaw_runs_value(runs, col, group));
}

/* -------------------------------------------------------- exponents */

/* ln y = ln k + e ln C over the used budgets; which: 0 for N*, 1 for D*. */
static slaw_status exponent(slaw_isoflop *r, int which, slaw_isoflop_exponent *out)
{
    double *x = malloc((r->n + 1) * sizeof *x), *y = malloc((r->n + 1) * sizeof *y);
    double c[2], cov[4], mean = 0;
    size_t m = 0;
    out->exponent = (slaw_estimate){NAN, NAN, NAN};
    out->se = out->coefficient = NAN;
    if (!x || !y) {
        free(x);
        free(y);
        return SLAW_ENOMEM;
    }
    for (size_t i = 0; i < r->n; i++) {
        const slaw_isoflop_budget *b = &r->budgets[i];
        if (!b->used) continue;
        x[m] = log(b->C);
        y[m++] = log(which ? b->D.value : b->N.value);
        mean += log(b->C);
    }
    mean /= (double)(m ? m : 1);
    for (size_t i = 0; i < m; i++) x[i] -= mean; /* centred: slope and intercept uncorrelated */
    out->budgets = m;
    if (m >= 2 && poly_fit(x, y, m, 1, c, cov)) {
        double t = t_quantile(r->level, m - 2);
        out->se = m > 2 ? sqrt(cov[3]) : NAN;
        out->exponent = (slaw_estimate){c[1], c[1] - t * out->se, c[1] + t * out->se};
        out->coefficient = exp(c[0] - c[1] * mean);
    }
    free(x);
    free(y);
    return SLAW_OK;
}

typedef struct budget_order {
    double C;
    size_t k; /* the budget's index before sorting */
} budget_order;

static int compare_budget(const void *a, const void *b)
{
    const budget_order *x = a, *y = b;
    if (x->C != y->C) return (x->C > y->C) - (x->C < y->C);
    return (x->k > y->k) - (x->k < y->k);
}

/* Puts the budgets (and their curvatures) in increasing C and renumbers
 * the runs' budgets to match. */
static slaw_status sort_budgets(slaw_isoflop *res)
{
    size_t m = res->n;
    budget_order *order = malloc((m ? m : 1) * sizeof *order);
    slaw_isoflop_budget *budgets = malloc((m ? m : 1) * sizeof *budgets);
    double *curvature = malloc((m ? m : 1) * sizeof *curvature);
    size_t *place = malloc((m ? m : 1) * sizeof *place);
    slaw_status st = order && budgets && curvature && place ? SLAW_OK : SLAW_ENOMEM;
    for (size_t k = 0; st == SLAW_OK && k < m; k++) order[k] = (budget_order){res->budgets[k].C, k};
    if (st == SLAW_OK) qsort(order, m, sizeof *order, compare_budget);
    for (size_t j = 0; st == SLAW_OK && j < m; j++) {
        budgets[j] = res->budgets[order[j].k];
        curvature[j] = res->curvature[order[j].k];
        place[order[j].k] = j;
    }
    for (size_t i = 0; st == SLAW_OK && i < res->n_runs; i++)
        res->budget_of[i] = place[res->budget_of[i]];
    if (st == SLAW_OK) {
        free(res->budgets);
        free(res->curvature);
        res->budgets = budgets;
        res->curvature = curvature;
        budgets = NULL;
        curvature = NULL;
    }
    free(place);
    free(curvature);
    free(budgets);
    free(order);
    return st;
}

/* The reasons the budgets were refused, for the message when too few are left. */
static void refusals(const slaw_isoflop *r, char *buf, size_t size)
{
    size_t o = 0, listed = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < r->n && o + 1 < size; i++) {
        if (r->budgets[i].used) continue;
        if (listed++ == 4) {
            snprintf(buf + o, size - o, "; ...");
            break;
        }
        int k = snprintf(buf + o, size - o, "; budget %s: %s", r->budgets[i].label,
                         r->budgets[i].refused);
        if (k < 0) break;
        o += (size_t)k < size - o ? (size_t)k : size - o - 1;
    }
}

/* Groups the sorted runs into budgets and fits each. */
static slaw_status fit_budgets(const slaw_runs *runs, const slaw_isoflop_options *opt, size_t col,
                               iso_run *r, size_t n, double bin, slaw_isoflop *res)
{
    size_t *start = malloc((n + 1) * sizeof *start);
    if (!start) return SLAW_ENOMEM;
    bool by_column = opt->budget != NULL;
    qsort(r, n, sizeof *r, by_column ? compare_group_then_c : compare_c);
    size_t m = split(r, n, by_column, bin, start);
    slaw_status st = SLAW_OK;
    res->budgets = calloc(m ? m : 1, sizeof *res->budgets);
    res->curvature = malloc((m ? m : 1) * sizeof *res->curvature);
    res->budget_of = malloc((n ? n : 1) * sizeof *res->budget_of);
    res->n_runs = n;
    if (!res->budgets || !res->curvature || !res->budget_of) st = SLAW_ENOMEM;
    for (size_t k = 0; k < m && st == SLAW_OK; k++) {
        slaw_isoflop_budget *b = &res->budgets[res->n++];
        st = fit_budget(b, r + start[k], start[k + 1] - start[k], res->level, &res->curvature[k]);
        if (st == SLAW_OK) b->label = budget_label(runs, by_column, col, r[start[k]].group, b->C);
        if (st == SLAW_OK && !b->label) st = SLAW_ENOMEM;
        for (size_t i = start[k]; i < start[k + 1]; i++) res->budget_of[r[i].run] = k;
    }
    free(start);
    if (st == SLAW_OK) st = sort_budgets(res);
    return st;
}

slaw_status slaw_isoflop_run(const slaw_runs *runs, const slaw_isoflop_options *opt,
                             slaw_isoflop **out, slaw_error *err)
{
    double bin = opt->bin != 0 ? opt->bin : DEFAULT_BIN;
    size_t n = slaw_runs_count(runs), col = 0, used = 0;
    slaw_isoflop *res = calloc(1, sizeof *res);
    iso_run *r = malloc((n ? n : 1) * sizeof *r);
    slaw_status st = SLAW_OK;
    if (!res || !r) {
        st = error_nomem(err);
        goto out;
    }
    res->level = opt->level;
    if ((st = level_check(res->level, err)) != SLAW_OK) goto out;
    if (!(bin > 0) || !isfinite(bin)) {
        st = error_set(err, SLAW_EUSAGE, NULL, 0,
                       "the bin tolerance %g must be a positive "
                       "relative distance such as 0.1",
                       bin);
        goto out;
    }
    if ((st = collect(runs, opt->budget, r, &col, err))) goto out;
    if ((st = fit_budgets(runs, opt, col, r, n, bin, res)) ||
        (st = exponent(res, 0, &res->n_exp)) || (st = exponent(res, 1, &res->d_exp))) {
        st = error_nomem(err);
        goto out;
    }
    for (size_t i = 0; i < res->n; i++) used += res->budgets[i].used;
    if (used < 2) {
        char why[800];
        refusals(res, why, sizeof why);
        st = error_set(err, SLAW_EFIT, NULL, 0,
                       "%zu of %zu budgets can be used; N* ~ C^a needs "
                       "at least 2%s",
                       used, res->n, why);
    }
out:
    free(r);
    if (st != SLAW_OK) {
        slaw_isoflop_free(res);
        return st;
    }
    *out = res;
    return SLAW_OK;
}
