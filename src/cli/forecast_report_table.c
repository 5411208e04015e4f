/* forecast_report_table.c — the answers of forecast and optimal as text: a heading that
 * says which fit and which intervals, one table per kind of question, and
 * warnings on stderr for answers far outside the fitted data.  JSON and
 * CSV are in forecast_report_data.c. */
#include "forecast_report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *(*entry_format(const slaw_fit *fit, size_t k))(double, char *, size_t);

/* A forecast's point as the user gave it: gadre's N and D (which set its C
 * and M), else every variable the law reads ("N=1B, D=20B, U=5B",
 * "N=1T, steps=1e9"). */
static void point_text(const report_row *row, char *buf, size_t size)
{
    const slaw_forecast *f = &row->u.forecast;
    char a[32], b[32];
    if (report_shows_split(row->fit)) {
        snprintf(buf, size, "N=%s, D=%s", format_size(f->N, a, sizeof a),
                 format_size(f->D, b, sizeof b));
        return;
    }
    size_t o = 0;
    buf[0] = '\0';
    for (size_t k = 0; k < slaw_law_var_count(slaw_fit_law(row->fit)) && o < size; k++)
        o += (size_t)snprintf(buf + o, size - o, "%s%s=%s", k ? ", " : "",
                              slaw_extrapolation_name(row->fit, k),
                              entry_format(row->fit, k)(f->vars[k], a, sizeof a));
}

/* "N=70B, D=1.4T", "C=5.76e23", "loss 2.1": what the row answers. */
static const char *question(const forecast_report *r, const report_row *row, char *buf, size_t size)
{
    char a[32];
    switch (row->kind) {
    case REPORT_FORECAST:
        if (report_row_one_var(row))
            snprintf(buf, size, "%s=%s", slaw_fit_variable(row->fit, 0),
                     format_size(row->u.forecast.x, a, sizeof a));
        else point_text(row, buf, size);
        break;
    case REPORT_OPTIMUM:
        snprintf(buf, size, "compute-optimal at C=%s", format_sci(row->u.optimum.C, a, sizeof a));
        break;
    case REPORT_TARGET:
        format_value(row->u.target.target, a, sizeof a);
        snprintf(buf, size, "%s %s", r->target_name, a);
        break;
    }
    return buf;
}

/* Each variable past max_extrapolation, by how much and the fitted range:
 * "U by 4.70 decades (fitted 500M to 20B)". */
static const char *beyond_text(const forecast_report *r, const report_row *row, char *buf,
                               size_t size)
{
    const slaw_extrapolation *e = forecast_report_beyond(row);
    const slaw_fit *f = row->fit;
    size_t nv = slaw_law_var_count(slaw_fit_law(f)), o = 0;
    buf[0] = '\0';
    for (size_t k = 0; k < slaw_extrapolation_count(f) && o < size; k++) {
        if (!(e->decades[k] > r->max_extrapolation)) continue;
        double lo = NAN, hi = NAN;
        if (k < nv) slaw_fit_data_range(f, k, &lo, &hi);
        else slaw_fit_compute_range(f, &lo, &hi);
        char a[32], b[32];
        /* the range as the heading prints it */
        bool compute = entry_format(f, k) == format_sci;
        const char *(*fmt)(double, char *, size_t) = compute ? format_sci : format_size;
        o += (size_t)snprintf(buf + o, size - o, "%s%s by %.2f decades (fitted %s to %s)",
                              o ? ", " : "", slaw_extrapolation_name(f, k), e->decades[k],
                              fmt(lo, a, sizeof a), fmt(hi, b, sizeof b));
    }
    return buf;
}

void forecast_report_warn(const forecast_report *r)
{
    for (size_t i = 0; i < slaw_artifact_failed_count(r->artifact); i++) {
        const char *reason, *group = slaw_artifact_failed(r->artifact, i, &reason);
        cli_warnf("group %s: no answer: the group was not fitted (%s)", group, reason);
    }
    for (size_t i = 0; i < r->n_rows; i++) {
        const report_row *row = &r->rows[i];
        if (!report_row_far_out(r, row)) continue;
        char q[200], which[400];
        const char *group = slaw_fit_group(row->fit);
        cli_warnf("%s%s%s%s: beyond the fitted data (more than --max-extrapolation %g "
                  "decades): %s",
                  group ? "group " : "", group ? group : "", group ? ": " : "",
                  question(r, row, q, sizeof q), r->max_extrapolation,
                  beyond_text(r, row, which, sizeof which));
    }
}

/* ----------------------------------------------------------------- cells */

static const char *interval_cell(double lo, double hi, const char *(*fmt)(double, char *, size_t),
                                 char *buf, size_t size)
{
    char a[32], b[32];
    if (isnan(lo) || isnan(hi)) snprintf(buf, size, "-");
    else
        snprintf(buf, size, "[%s, %s]", fmt(lo, a, sizeof a),
                 isinf(hi) ? "unbounded" : fmt(hi, b, sizeof b));
    return buf;
}

static const char *beyond_cell(const report_row *row, const slaw_extrapolation *e, char *buf,
                               size_t size)
{
    size_t o = 0, n = slaw_extrapolation_count(row->fit), known = 0;
    for (size_t k = 0; k < n; k++) known += !isnan(e->decades[k]);
    if (!known) return "-"; /* no data: published parameters */
    buf[0] = '\0';
    for (size_t k = 0; k < n && o < size; k++) {
        if (isnan(e->decades[k])) o += (size_t)snprintf(buf + o, size - o, "%s-", k ? " " : "");
        else o += (size_t)snprintf(buf + o, size - o, "%s%.2f", k ? " " : "", e->decades[k]);
    }
    return buf;
}

static const char *money(double v, char *buf, size_t size)
{
    if (isnan(v)) return "-";
    return format_size(v, buf, size);
}

/* A text table whose rows are built one cell at a time. */
typedef struct row_builder {
    const char *cells[24];
    char store[24][80];
    size_t n;
} row_builder;

static void cell(row_builder *b, const char *text)
{
    snprintf(b->store[b->n], sizeof b->store[b->n], "%s", text);
    b->cells[b->n] = b->store[b->n];
    b->n++;
}

static void cost_cells(const forecast_report *r, const report_row *row, row_builder *b)
{
    char t[80];
    if (!r->cost) return;
    bool has = row->has_cost;
    if (r->cost_req.opt.flops_per_token > 0)
        cell(b, has ? format_sci(row->cost.flops, t, sizeof t) : "-");
    if (has && !isnan(row->cost.gpu_hours)) cell(b, format_size(row->cost.gpu_hours, t, sizeof t));
    else cell(b, "-");
    cell(b, row->has_cost ? format_duration(row->cost.seconds, t, sizeof t) : "-");
    cell(b, row->has_cost ? money(row->cost.price, t, sizeof t) : "-");
}

static void cost_headers(const forecast_report *r, row_builder *b)
{
    if (!r->cost) return;
    if (r->cost_req.opt.flops_per_token > 0) cell(b, "FLOPs");
    cell(b, "GPU-hours");
    cell(b, "time");
    cell(b, "price");
}

/* --------------------------------------------------------------- tables */

static bool report_calibrated(const forecast_report *r)
{
    slaw_coverage c;
    return slaw_artifact_calibration(r->artifact, 0, &c);
}

/* A value and its interval, as two cells. */
static void estimate_cells(row_builder *b, const slaw_estimate *e,
                           const char *(*fmt)(double, char *, size_t))
{
    char t[80];
    cell(b, fmt(e->value, t, sizeof t));
    cell(b, interval_cell(e->lo, e->hi, fmt, t, sizeof t));
}

/* What ends every row: how far out, the mark, and the cost. */
static void tail_cells(const forecast_report *r, const report_row *row, const slaw_extrapolation *e,
                       row_builder *b)
{
    char t[80];
    cell(b, beyond_cell(row, e, t, sizeof t));
    cell(b, report_row_far_out(r, row) ? "!" : "");
    cost_cells(r, row, b);
}

/* Entry k of a forecast's point: the law's variables, then C. */
static double point_entry(const slaw_forecast *f, const slaw_fit *fit, size_t k)
{
    return k < slaw_law_var_count(slaw_fit_law(fit)) ? f->vars[k] : f->C;
}

/* How a variable's value prints: compute in powers of ten, sizes with suffixes. */
static const char *(*entry_format(const slaw_fit *fit, size_t k))(double, char *, size_t)
{
    const slaw_law *law = slaw_fit_law(fit);
    slaw_role role = k < slaw_law_var_count(law) ? slaw_law_var_role(law, k) : SLAW_ROLE_C;
    if (role == SLAW_ROLE_C) return format_sci;
    if (role == SLAW_ROLE_R || role == SLAW_ROLE_LR || role == SLAW_ROLE_LOSS ||
        role == SLAW_ROLE_COUNT)
        return format_value;
    return format_size;
}

static void forecast_cells(const forecast_report *r, const report_row *row, row_builder *b)
{
    const slaw_forecast *f = &row->u.forecast;
    char t[80];
    if (r->grouped) cell(b, slaw_fit_group(row->fit));
    if (report_shows_split(row->fit)) {
        cell(b, format_size(f->N, t, sizeof t));
        cell(b, format_size(f->D, t, sizeof t));
    }
    for (size_t k = 0; k < slaw_extrapolation_count(row->fit); k++)
        cell(b, entry_format(row->fit, k)(point_entry(f, row->fit, k), t, sizeof t));
    estimate_cells(b, &f->y, format_loss);
    cell(b, interval_cell(f->pi_lo, f->pi_hi, format_loss, t, sizeof t));
    if (report_calibrated(r))
        cell(b, interval_cell(f->pic_lo, f->pic_hi, format_loss, t, sizeof t));
    tail_cells(r, row, &f->beyond, b);
}

static void optimum_cells(const forecast_report *r, const report_row *row, row_builder *b)
{
    const slaw_optimum *o = &row->u.optimum;
    char t[80];
    if (r->grouped) cell(b, slaw_fit_group(row->fit));
    cell(b, format_sci(o->C, t, sizeof t));
    estimate_cells(b, &o->N, format_size);
    estimate_cells(b, &o->D, format_size);
    snprintf(t, sizeof t, "%.3g", o->ratio.value);
    cell(b, t);
    estimate_cells(b, &o->L, format_loss);
    tail_cells(r, row, &o->beyond, b);
}

static void target_cells(const forecast_report *r, const report_row *row, row_builder *b)
{
    const slaw_target *g = &row->u.target;
    char t[80];
    if (r->grouped) cell(b, slaw_fit_group(row->fit));
    cell(b, format_value(g->target, t, sizeof t));
    if (report_row_one_var(row)) {
        estimate_cells(b, &g->x, format_size);
    } else {
        estimate_cells(b, &g->C, format_sci);
        estimate_cells(b, &g->N, format_size);
        estimate_cells(b, &g->D, format_size);
    }
    tail_cells(r, row, &g->beyond, b);
}

static const char *const optimum_heads[] = {"C", "N*", NULL, "D*", NULL, "D*/N*"};
static const char *const target_heads[] = {"C", "N*", "D*"};

/* The header of a kind's table, for the first row's law. */
static void headers(const forecast_report *r, report_kind kind, const report_row *first,
                    row_builder *b, unsigned long *right)
{
    char ci[32], pi[32], pic[48], target[64];
    const char *x = slaw_fit_variable(first->fit, 0);
    bool one = report_row_one_var(first);
    snprintf(ci, sizeof ci, "%g%% CI", 100 * r->level);
    snprintf(pi, sizeof pi, "%g%% PI", 100 * r->level);
    snprintf(pic, sizeof pic, "%g%% PI calibrated", 100 * r->level);
    if (r->grouped) cell(b, "group");
    size_t from = b->n;
    switch (kind) {
    case REPORT_FORECAST:
        if (report_shows_split(first->fit)) {
            cell(b, "N");
            cell(b, "D");
        }
        for (size_t k = 0; k < slaw_extrapolation_count(first->fit); k++)
            cell(b, one ? x : slaw_extrapolation_name(first->fit, k));
        cell(b, r->target_name);
        cell(b, ci);
        cell(b, pi);
        if (report_calibrated(r)) cell(b, pic);
        break;
    case REPORT_OPTIMUM:
        snprintf(target, sizeof target, "%s*", r->target_name);
        for (size_t k = 0; k < 6; k++) cell(b, optimum_heads[k] ? optimum_heads[k] : ci);
        cell(b, target);
        cell(b, ci);
        break;
    case REPORT_TARGET:
        cell(b, r->target_name);
        for (size_t k = 0; k < (one ? 1u : 3u); k++) {
            cell(b, one ? x : target_heads[k]);
            cell(b, ci);
        }
        break;
    }
    *right = 0;
    for (size_t k = from; k < b->n; k++)
        if (strcmp(b->cells[k], ci) && strcmp(b->cells[k], pi) && strcmp(b->cells[k], pic))
            *right |= 1ul << k;
    char beyond[64] = "beyond";
    for (size_t k = 0; !one && k < slaw_extrapolation_count(first->fit); k++) {
        size_t o = strlen(beyond);
        snprintf(beyond + o, sizeof beyond - o, " %s", slaw_extrapolation_name(first->fit, k));
    }
    cell(b, beyond);
    cell(b, "");
    cost_headers(r, b);
}

static const char *const titles[] = {"forecasts", "compute-optimal allocation (C = 6*N*D)",
                                     "what it takes to reach a target"};

/* The statement for a target the law never reaches: a sentence, not a number. */
static void unreachable(const forecast_report *r, const report_row *row)
{
    const slaw_target *g = &row->u.target;
    char a[32], b[32], q[100], gp[64];
    const char *group = slaw_fit_group(row->fit);
    snprintf(q, sizeof q, "%s%s%s%s %s", group ? "group " : "",
             group ? slaw_text_printable(group, gp, sizeof gp) : "", group ? ": " : "",
             r->target_name, format_value(g->target, a, sizeof a));
    const slaw_law *law = slaw_fit_law(row->fit);
    bool n_d = slaw_law_var_count(law) == 2 && slaw_law_var_role(law, 0) == SLAW_ROLE_N &&
               slaw_law_var_role(law, 1) == SLAW_ROLE_D;
    if (isnan(g->floor))
        printf("  %s: unreachable under this law: no %s from -1e300 to 1e300 gives it\n", q,
               slaw_fit_variable(row->fit, 0));
    else if (g->target <= g->floor && !report_row_one_var(row) && !n_d)
        printf("  %s: unreachable under this law, whose floor (its least loss as the budget "
               "grows without bound, other variables held) is %s\n",
               q, format_value(g->floor, b, sizeof b));
    else if (g->target <= g->floor)
        printf("  %s: unreachable under this law, whose floor (its limit as %s grow%s without "
               "bound) is %s\n",
               q, report_row_one_var(row) ? slaw_fit_variable(row->fit, 0) : "N and D",
               report_row_one_var(row) ? "s" : "", format_value(g->floor, b, sizeof b));
    else
        printf("  %s: unreachable under this law, which stays below %s\n", q,
               format_value(g->ceiling, b, sizeof b));
}

static void kind_table(const forecast_report *r, report_kind kind)
{
    const report_row *first = NULL;
    size_t reachable = 0, count = 0;
    for (size_t i = 0; i < r->n_rows; i++) {
        if (r->rows[i].kind != kind) continue;
        if (!first) first = &r->rows[i];
        count++;
        reachable += kind != REPORT_TARGET || r->rows[i].u.target.reachable;
    }
    if (!count) return;
    printf("\n%s\n", titles[kind]);
    if (reachable) {
        row_builder b = {0};
        unsigned long right;
        headers(r, kind, first, &b, &right);
        text_table *t = table_new(b.n);
        table_header(t, b.cells);
        table_align_right(t, right);
        for (size_t i = 0; i < r->n_rows; i++) {
            const report_row *row = &r->rows[i];
            if (row->kind != kind || (kind == REPORT_TARGET && !row->u.target.reachable)) continue;
            b.n = 0;
            if (kind == REPORT_FORECAST) forecast_cells(r, row, &b);
            else if (kind == REPORT_OPTIMUM) optimum_cells(r, row, &b);
            else target_cells(r, row, &b);
            table_row(t, b.cells);
        }
        table_print(t, stdout, "  ");
        table_free(t);
    }
    for (size_t i = 0; i < r->n_rows && kind == REPORT_TARGET; i++)
        if (r->rows[i].kind == kind && !r->rows[i].u.target.reachable) unreachable(r, &r->rows[i]);
}

/* Which prediction intervals the forecasts table shows, when the artifact
 * was calibrated: the model's, and the calibrated ones at this level. */
static void calibration_note(const forecast_report *r)
{
    slaw_coverage c = {0};
    size_t l = 0;
    if (!report_calibrated(r)) return;
    while (slaw_artifact_calibration(r->artifact, l, &c) && fabs(c.level - r->level) > 1e-9) l++;
    if (l == SLAW_COVERAGE_LEVELS) {
        printf("           PI calibrated: none at %g%%; the fit was calibrated at 50, 80, 90 and "
               "95%% (--level)\n",
               100 * r->level);
        return;
    }
    printf("           PI calibrated: the delta-method PI, widened by the conformal factor ");
    if (isfinite(c.factor)) printf("%.3g", c.factor);
    else printf("(none: too few rollout runs)");
    printf(";\n           at %g%% the rollout's model PIs held %zu of %zu runs (%.0f%%, CI "
           "%.0f-%.0f%%)\n",
           100 * c.level, c.inside, c.n, 100 * c.fraction, 100 * c.ci_lo, 100 * c.ci_hi);
}

/* The fit the answers come from, and where the intervals come from. */
/* Delta intervals leave out what moves with an undetermined parameter
 * whose covariance is singular, and are wide for the others. */
static void print_undetermined(const forecast_report *r)
{
    const slaw_law *law = slaw_fit_law(slaw_artifact_fit(r->artifact, 0));
    size_t any = 0, p = slaw_law_param_count(law);
    for (size_t j = 0; j < p; j++) {
        bool undetermined = false;
        for (size_t i = 0; i < slaw_artifact_fit_count(r->artifact); i++) {
            const slaw_fit *f = slaw_artifact_fit(r->artifact, i);
            undetermined |= !slaw_fit_identified(f, j) && !(slaw_fit_covariance(f)[j * p + j] > 0);
        }
        if (!undetermined) continue;
        printf("%s%s", any++ ? ", " : "           undetermined: ", slaw_law_param_name(law, j));
    }
    if (any)
        printf(" (singular covariance): no interval for an answer that depends on %s;\n"
               "           refit with --bootstrap N for percentile intervals\n",
               any == 1 ? "it" : "them");
}

/* The law at published values: which values, and that nothing was fitted. */
static void published_heading(const slaw_fit *f)
{
    const slaw_law *law = slaw_fit_law(f);
    printf("params    ");
    for (size_t j = 0; j < slaw_law_param_count(law); j++)
        printf("%s %s = %.10g", j ? "," : "", slaw_law_param_name(law, j), slaw_fit_value(f, j));
    printf("\n           as given (no fit file): no intervals, no data to extrapolate from\n");
}

/* A law of C (gadre's C and M) shows C's range among its variables. */
static bool reads_compute(const slaw_law *law)
{
    for (size_t v = 0; v < slaw_law_var_count(law); v++)
        if (slaw_law_var_role(law, v) == SLAW_ROLE_C) return true;
    return false;
}

static void heading(const forecast_report *r)
{
    const slaw_fit *f = slaw_artifact_fit(r->artifact, 0);
    const slaw_law *law = slaw_fit_law(f);
    size_t n_fits = slaw_artifact_fit_count(r->artifact), boot = slaw_fit_bootstrap_count(f);
    slaw_fit_stats st;
    char a[32], b[32];
    slaw_fit_get_stats(f, &st);
    printf("law        %s: %s\n", slaw_law_name(law), slaw_law_formula(law));
    if (r->published) {
        published_heading(f);
        return;
    }
    printf("fit        %s: ", r->path);
    if (r->grouped) {
        printf("%zu groups (", n_fits);
        for (size_t i = 0; i < n_fits; i++) {
            char g[256];
            printf("%s%s", i ? ", " : "",
                   slaw_text_printable(slaw_fit_group(slaw_artifact_fit(r->artifact, i)), g,
                                       sizeof g));
        }
        for (size_t i = 0; i < slaw_artifact_failed_count(r->artifact); i++) {
            char g[256];
            printf("%s%s", i ? ", " : "; not fitted: ",
                   slaw_text_printable(slaw_artifact_failed(r->artifact, i, NULL), g, sizeof g));
        }
        printf(")\n");
    } else {
        printf("%zu runs", st.n);
        for (size_t v = 0; v < slaw_law_var_count(law); v++) {
            const char *role = slaw_role_symbol(slaw_law_var_role(law, v));
            const char *column = slaw_fit_variable(f, v);
            double lo, hi;
            slaw_fit_data_range(f, v, &lo, &hi);
            bool own = slaw_law_var_role(law, v) >= SLAW_ROLE_COUNT; /* a formula's column */
            if (slaw_law_var_count(law) == 1 || own || !strcmp(column, role))
                printf(", %s", column);
            else printf(", %s (%s)", role, column);
            printf(" %s to %s", format_size(lo, a, sizeof a), format_size(hi, b, sizeof b));
        }
        double lo, hi;
        if (!reads_compute(law) && slaw_fit_compute_range(f, &lo, &hi))
            printf(", C %s to %s", format_sci(lo, a, sizeof a), format_sci(hi, b, sizeof b));
        printf("\n");
    }
    slaw_interval_method method = r->method; /* auto: the fit's own */
    if (method == SLAW_INTERVAL_AUTO) method = slaw_fit_interval_method(f);
    if (method == SLAW_INTERVAL_BOOTSTRAP && boot < 2) method = SLAW_INTERVAL_T;
    bool bootstrap = method == SLAW_INTERVAL_BOOTSTRAP;
    printf("intervals  %g%%, ", 100 * r->level);
    if (bootstrap && !r->grouped) printf("percentiles over %zu bootstrap samples\n", boot);
    else if (bootstrap) printf("percentiles over the bootstrap samples\n");
    else if (method == SLAW_INTERVAL_T && !r->grouped)
        printf("delta method from the fit's covariance, t(%zu) quantiles\n",
               slaw_fit_interval_dof(f));
    else if (method == SLAW_INTERVAL_T)
        printf("delta method from the fits' covariances, t quantiles\n");
    else printf("delta method from the fit's covariance\n");
    if (!bootstrap) print_undetermined(r);
    printf("           a new run's prediction interval (PI) adds the residual scale");
    if (!r->grouped)
        printf(", sigma %.3g in %s space", st.sigma, r->space == SLAW_SPACE_LOG ? "log" : "linear");
    printf("\n");
    calibration_note(r);
}

int forecast_report_print(const forecast_report *r, output_format format)
{
    if (format == OUTPUT_JSON) return forecast_report_json(r);
    if (format == OUTPUT_CSV) forecast_report_csv(r);
    else forecast_report_table(r);
    return 0;
}

void forecast_report_table(const forecast_report *r)
{
    heading(r);
    for (int kind = REPORT_FORECAST; kind <= REPORT_TARGET; kind++)
        kind_table(r, (report_kind)kind);
    for (size_t i = 0; i < r->n_rows; i++)
        if (report_row_far_out(r, &r->rows[i])) {
            printf("\n! more than %g decades beyond the fitted data (--max-extrapolation): such "
                   "an\n  answer rests on the law's form more than on the runs\n",
                   r->max_extrapolation);
            break;
        }
}
