/* cmd_fit.c — `slaw fit`: fit a law to runs; print it, write the artifact. */
#include "fit_options.h"
#include "lint_report.h"
#include "output.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define LAW_HEAD_MAX 8 /* parameters of the largest law */

typedef struct fit_ctx {
    const cli_command *cmd;
    input_request input;
    fit_request fit;
    output_format format;
    const char *out;
    bool identifiability; /* --report identifiability */
    unsigned no_lint;     /* 1u << slaw_lint_kind for each lint silenced */
    bool calibrate;
} fit_ctx;

static const cli_option output_options[] = {
    {"format", 0, "FMT", OPT_FORMAT, "output: table (default) or json (the artifact)"},
    {"out", 'o', "FILE", OPT_OUT, "write the fit artifact (JSON) to FILE"},
    {"report", 0, "WHAT", OPT_REPORT,
     "identifiability: the parameters' correlations and their "
     "condition number (table output)"},
    {"strict", 0, NULL, OPT_STRICT, "fail if any group cannot be fitted (else: reported)"},
    {"calibrate", 0, NULL, OPT_CALIBRATE,
     "also run the rollout (as validate) and store "
     "conformal factors that forecast applies"},
    {0},
};

static int on_option(void *vctx, option_id id, const char *arg)
{
    fit_ctx *ctx = vctx;
    switch (id) {
    case OPT_FORMAT:
        return output_format_option(ctx->cmd, arg, 1u << OUTPUT_TABLE | 1u << OUTPUT_JSON,
                                    &ctx->format);
    case OPT_OUT: ctx->out = arg; return 0;
    case OPT_REPORT:
        if (strcmp(arg, "identifiability") != 0)
            return cli_usage_error(ctx->cmd, "--report '%s': the report is identifiability", arg);
        ctx->identifiability = true;
        return 0;
    case OPT_NO_LINT: return lint_option(ctx->cmd, &ctx->no_lint, arg);
    case OPT_STRICT: ctx->fit.fit.strict = true; return 0;
    case OPT_CALIBRATE: ctx->calibrate = true; return 0;
    default: break;
    }
    return fit_or_input_option(ctx->cmd, &ctx->fit, &ctx->input, id, arg);
}

static const char *state_note(slaw_param_state s)
{
    switch (s) {
    case SLAW_PARAM_FIXED: return "fixed";
    case SLAW_PARAM_TIED: return "tied";
    case SLAW_PARAM_PINNED: return "pinned at a bound";
    case SLAW_PARAM_FREE: break;
    }
    return "";
}

static const char *number6(double v, char *buf, size_t size)
{
    if (isnan(v)) snprintf(buf, size, "-");
    else snprintf(buf, size, "%.6g", v);
    return buf;
}

/* One row of the parameter table: value, standard error, the bootstrap
 * standard error when there are samples, and the interval by the fit's
 * method. */
static void param_row(text_table *t, bool boot, const char *name, double v, double se,
                      bool identified, bool has_boot, double bse, double lo, double hi,
                      const char *note)
{
    char a[32], b[32], c[32], d[32], e[32];
    const char *se_text = identified ? number6(se, b, sizeof b) : "undetermined";
    /* an undetermined parameter has no interval worth printing (it would
     * come from a singular covariance) */
    const char *lo_text = identified ? number6(lo, d, sizeof d) : "-";
    const char *hi_text = identified ? number6(hi, e, sizeof e) : "-";
    if (!boot) {
        table_row(t,
                  (const char *[]){name, number6(v, a, sizeof a), se_text, lo_text, hi_text, note});
        return;
    }
    table_row(t,
              (const char *[]){name, number6(v, a, sizeof a), se_text,
                               has_boot ? number6(bse, c, sizeof c) : "-", lo_text, hi_text, note});
}

/* How the table's intervals were made. */
static void print_interval_method(const slaw_fit *f)
{
    slaw_interval_method m = slaw_fit_interval_method(f);
    if (m == SLAW_INTERVAL_BOOTSTRAP && slaw_fit_bootstrap_count(f) < 2) m = SLAW_INTERVAL_T;
    printf("  intervals: ");
    if (m == SLAW_INTERVAL_BOOTSTRAP) printf("bootstrap percentiles\n");
    else if (m == SLAW_INTERVAL_DELTA) printf("value +- z se (normal quantiles)\n");
    else
        printf("t(%zu) quantiles on the standard errors, positive scales on the log scale\n",
               slaw_fit_interval_dof(f));
}

/* One row of the held-out table: the law's variables, then observed,
 * predicted and the log error. */
static void holdout_row(text_table *t, size_t nv, const double *vars, double obs, double pred)
{
    char cell[SLAW_MAX_VARS + 3][32];
    const char *row[SLAW_MAX_VARS + 3];
    for (size_t v = 0; v < nv; v++) row[v] = format_size(vars[v], cell[v], sizeof cell[v]);
    row[nv] = number6(obs, cell[nv], sizeof cell[nv]);
    row[nv + 1] = number6(pred, cell[nv + 1], sizeof cell[nv + 1]);
    if (pred / obs > 0) snprintf(cell[nv + 2], sizeof cell[nv + 2], "%+.4f", log(pred / obs));
    else snprintf(cell[nv + 2], sizeof cell[nv + 2], "-"); /* a target or prediction not positive */
    row[nv + 2] = cell[nv + 2];
    table_row(t, row);
}

/* The held-out runs, predicted by the fit without them. */
static void print_holdout(const slaw_fit *f)
{
    double male, bias, worst, vars[SLAW_MAX_VARS], obs, pred;
    if (!slaw_fit_holdout_errors(f, &male, &bias, &worst)) return;
    size_t nv = slaw_law_var_count(slaw_fit_law(f));
    printf("\n  held out %zu runs (fitted without them):\n", slaw_fit_holdout_count(f));
    text_table *t = table_new(nv + 3);
    const char *head[SLAW_MAX_VARS + 3];
    for (size_t v = 0; v < nv; v++) head[v] = slaw_fit_variable(f, v);
    head[nv] = "observed", head[nv + 1] = "predicted", head[nv + 2] = "log error";
    table_header(t, head);
    table_align_right(t, (1u << (nv + 3)) - 1);
    for (size_t i = 0; i < slaw_fit_holdout_count(f); i++) {
        slaw_fit_holdout_run(f, i, vars, &obs, &pred);
        holdout_row(t, nv, vars, obs, pred);
    }
    table_print(t, stdout, "    ");
    table_free(t);
    if (isnan(male))
        printf("  holdout: no log errors: a held-out target or prediction is not positive\n");
    else
        printf("  holdout: mean |log error| %.4f, bias %+.4f (> 0: over-predicts), worst %.4f\n",
               male, bias, worst);
}

/* --report identifiability: the correlations the fit judged entanglement
 * by, and their condition number. */
static void print_identifiability(const slaw_fit *f)
{
    const slaw_law *law = slaw_fit_law(f);
    size_t p = slaw_law_param_count(law);
    double cond;
    const double *r = slaw_fit_correlation(f, &cond);
    char buf[32];
    if (!r) return;
    printf("\n  correlations (internal coordinates, scales at the runs' centre):\n");
    text_table *t = table_new(p + 1);
    const char *head[LAW_HEAD_MAX + 1] = {""};
    for (size_t j = 0; j < p; j++) head[j + 1] = slaw_law_param_name(law, j);
    table_header(t, head);
    table_align_right(t, ~1u);
    char cells[LAW_HEAD_MAX][16];
    for (size_t i = 0; i < p; i++) {
        const char *row[LAW_HEAD_MAX + 1] = {slaw_law_param_name(law, i)};
        for (size_t j = 0; j < p; j++) {
            if (isnan(r[i * p + j])) snprintf(cells[j], sizeof cells[j], "-");
            else snprintf(cells[j], sizeof cells[j], "%.3f", r[i * p + j]);
            row[j + 1] = cells[j];
        }
        table_row(t, row);
    }
    table_print(t, stdout, "    ");
    table_free(t);
    if (isinf(cond)) snprintf(buf, sizeof buf, "infinite (singular)");
    else number6(cond, buf, sizeof buf);
    printf("  condition number %s; identified:", buf);
    for (size_t j = 0; j < p; j++)
        printf(" %s %s%s", slaw_law_param_name(law, j), slaw_fit_identified(f, j) ? "yes" : "no",
               j + 1 < p ? "," : "\n");
}

/* Every polished start that did not converge, by why. */
static void print_starts(const slaw_fit_stats *st)
{
    if (st->converged == st->polished) return;
    printf("  of %zu polished: %zu converged", st->polished, st->converged);
    if (st->hit_limit) printf(", %zu hit the iteration limit (--max-iter)", st->hit_limit);
    if (st->stalled) printf(", %zu stalled (no step lowered the objective)", st->stalled);
    if (st->pinned) printf(", %zu stopped with a parameter on its bound", st->pinned);
    if (st->non_finite) printf(", %zu reached no finite objective", st->non_finite);
    printf("\n");
}

static void print_fit(const slaw_fit *f, bool identifiability)
{
    const slaw_law *law = slaw_fit_law(f);
    slaw_fit_stats st;
    char a[64], b[64], c[64], d[64], lo_name[32], hi_name[32];
    slaw_fit_get_stats(f, &st);
    bool boot = slaw_fit_bootstrap_count(f) >= 2;
    char group[256];
    if (slaw_fit_group(f))
        printf("\ngroup %s\n", slaw_text_printable(slaw_fit_group(f), group, sizeof group));
    snprintf(lo_name, sizeof lo_name, "%g%% lo", 100 * slaw_fit_interval_level(f));
    snprintf(hi_name, sizeof hi_name, "%g%% hi", 100 * slaw_fit_interval_level(f));
    text_table *t = table_new(boot ? 7 : 6);
    if (boot)
        table_header(t,
                     (const char *[]){"param", "value", "stderr", "boot se", lo_name, hi_name, ""});
    else table_header(t, (const char *[]){"param", "value", "stderr", lo_name, hi_name, ""});
    table_align_right(t, boot ? 0x3eu : 0x1eu);
    for (size_t j = 0; j < slaw_law_param_count(law); j++) {
        double bse = NAN, lo, hi, unused;
        bool has = slaw_fit_bootstrap_param(f, j, &bse, &unused, &unused);
        slaw_fit_param_interval(f, j, &lo, &hi);
        const char *note = state_note(slaw_fit_param_state(f, j));
        char shared[64];
        if (slaw_fit_param_shared(f, j)) {
            snprintf(shared, sizeof shared, "shared%s%s", *note ? ", " : "", note);
            note = shared;
        }
        param_row(t, boot, slaw_law_param_name(law, j), slaw_fit_value(f, j), slaw_fit_stderr(f, j),
                  slaw_fit_identified(f, j), has, bse, lo, hi, note);
    }
    for (size_t q = 0; q < slaw_law_derived_count(law); q++) {
        double se, bse = NAN, lo, hi, unused, v = slaw_fit_derived(f, q, &se);
        bool has = slaw_fit_bootstrap_derived(f, q, &bse, &unused, &unused);
        slaw_fit_derived_interval(f, q, &lo, &hi);
        param_row(t, boot, slaw_law_derived_name(law, q), v, se, slaw_fit_derived_identified(f, q),
                  has, bse, lo, hi, "derived");
    }
    table_print(t, stdout, "  ");
    table_free(t);
    printf("\n  n %zu, objective %.10g, rmse(log) %s, R2 %s, AIC %s, BIC %s\n", st.n, st.objective,
           number6(st.rmse_log, a, sizeof a), number6(st.r2, b, sizeof b),
           number6(st.aic, c, sizeof c), number6(st.bic, d, sizeof d));
    printf("  starts %zu, polished %zu, converged %zu, reached the best optimum %zu, "
           "iterations %zu\n",
           st.starts, st.polished, st.converged, st.reached_best, st.iterations);
    print_starts(&st);
    if (boot)
        printf("  bootstrap: %zu resamples refitted (%zu failed, %zu restarted from the grid)\n",
               slaw_fit_bootstrap_count(f), slaw_fit_bootstrap_failures(f),
               slaw_fit_bootstrap_fallbacks(f));
    printf("  stderr: %s\n", slaw_fit_stderr_method(f));
    print_interval_method(f);
    print_holdout(f);
    if (identifiability) print_identifiability(f);
    for (size_t w = 0; w < slaw_fit_warning_count(f); w++) {
        const char *option = slaw_fit_warning_option(f, w);
        cli_warnf("%s%s%s", slaw_fit_group(f) ? slaw_fit_group(f) : "",
                  slaw_fit_group(f) ? ": " : "",
                  CLI_OPTION_TEXT(slaw_fit_warning(f, w), option ? option : ""));
    }
}

/* One line per level: how the rollout's intervals held, and the factor. */
static void print_calibration(const slaw_artifact *a)
{
    slaw_coverage c;
    for (size_t l = 0; slaw_artifact_calibration(a, l, &c); l++) {
        printf("%s %.0f%% intervals held %zu of %zu rollout runs (%.0f%%, CI %.0f-%.0f%%): ",
               l ? "      " : "calib ", 100 * c.level, c.inside, c.n, 100 * c.fraction,
               100 * c.ci_lo, 100 * c.ci_hi);
        if (isfinite(c.factor)) printf("factor %.3g\n", c.factor);
        else printf("too few runs for a factor\n");
    }
}

static void print_table(const slaw_artifact *a, bool identifiability)
{
    const slaw_fit *first = slaw_artifact_fit(a, 0);
    const slaw_law *law = slaw_fit_law(first);
    slaw_fit_options opt;
    slaw_artifact_options(a, &opt);
    printf("law    %s: %s\n", slaw_law_name(law), slaw_law_formula(law));
    size_t used = 0;
    for (size_t i = 0; i < slaw_artifact_fit_count(a); i++) {
        slaw_fit_stats st;
        slaw_fit_get_stats(slaw_artifact_fit(a, i), &st);
        used += st.n;
    }
    printf("runs   %zu of %zu", used, slaw_artifact_runs_read(a));
    const slaw_selection *sel = slaw_artifact_selection(a);
    for (size_t i = 0; i < slaw_selection_count(sel); i++) {
        char what[600];
        step_text(slaw_selection_step(sel, i), what, sizeof what);
        printf("%s%s removed %zu", i ? ", " : " (", what, slaw_artifact_removed(a, i));
    }
    printf("%s\n", slaw_selection_count(sel) ? ")" : "");
    printf("fit    %s space, ", opt.space == SLAW_SPACE_LOG ? "log" : "linear");
    const slaw_loss_info *loss = slaw_loss_info_of(opt.loss);
    if (loss->param)
        printf("%s loss (%s %g)", loss->name, loss->param,
               opt.loss_param ? opt.loss_param : loss->param_default);
    else printf("%s loss", loss->name);
    printf(", variables");
    for (size_t v = 0; v < slaw_law_var_count(law); v++) printf(" %s", slaw_fit_variable(first, v));
    printf("\n");
    slaw_fit_stats joint;
    if (slaw_fit_joint_stats(first, &joint))
        printf("joint  %s shared by %zu groups: n %zu, free parameters %zu, objective %.10g, "
               "AIC %.6g, BIC %.6g\n",
               opt.shared, slaw_artifact_fit_count(a), joint.n, joint.n_free, joint.objective,
               joint.aic, joint.bic);
    print_calibration(a);
    if (!slaw_fit_group(first)) printf("\n");
    for (size_t i = 0; i < slaw_artifact_fit_count(a); i++)
        print_fit(slaw_artifact_fit(a, i), identifiability);
    for (size_t i = 0; i < slaw_artifact_failed_count(a); i++) {
        const char *reason, *group = slaw_artifact_failed(a, i, &reason);
        printf("\ngroup %s\n  not fitted: %s\n", group, reason);
    }
}

/* The groups that could not be fitted, on stderr whatever the format. */
static void warn_failed(const slaw_artifact *a)
{
    size_t n = slaw_artifact_failed_count(a);
    for (size_t i = 0; i < n; i++) {
        const char *reason, *group = slaw_artifact_failed(a, i, &reason);
        cli_warnf("group '%s' was not fitted: %s", group, reason);
    }
    if (n)
        cli_warnf("%zu of %zu groups fitted (--strict makes a failed group an error)",
                  slaw_artifact_fit_count(a), slaw_artifact_fit_count(a) + n);
}

/* The lints of the runs the fit used: the loaded runs (which the fit left
 * as they were) filtered the fit's way.  When filtering fails the fit has
 * failed the same way and says so. */
static void warn_lints(const fit_ctx *ctx, loaded_runs *lr)
{
    slaw_error err;
    if (slaw_selection_apply(lr->selection, lr->runs, NULL, &err) == SLAW_OK)
        lints_warn(lr->runs, ctx->no_lint);
}

static int run_fit(const cli_command *cmd, int argc, char **argv)
{
    fit_ctx ctx = {.cmd = cmd, .format = OUTPUT_TABLE};
    input_request_init(&ctx.input);
    fit_request_init(&ctx.fit);
    int first, st = cli_parse(cmd, argc, argv, on_option, &ctx, &first);
    if (st) return st < 0 ? EXIT_PASS : st;
    if (first >= argc) return cli_usage_error(cmd, "no input files");
    if (!ctx.fit.fit.law && !ctx.fit.fit.formula)
        return cli_usage_error(cmd, "no law: give --law NAME or --formula TEXT");
    if (ctx.fit.fit.law && ctx.fit.fit.formula)
        return cli_usage_error(cmd, "--law and --formula: give one of them");
    if (ctx.fit.fit.law && strchr(ctx.fit.fit.law, ',')) {
        if (ctx.out) return cli_usage_error(cmd, "--out writes the fit of one law, not of several");
        if (ctx.calibrate)
            return cli_usage_error(cmd, "--calibrate calibrates the fit of one law, "
                                        "not of several");
        return compare_from_fit(argc, argv);
    }
    if (ctx.identifiability && ctx.format != OUTPUT_TABLE)
        return cli_usage_error(cmd, "--report identifiability goes with the table output");
    char **paths = argv + first;
    size_t n_paths = (size_t)(argc - first);
    if (ctx.out && (st = refuse_overwriting_input(cmd, ctx.out, paths, n_paths))) return st;

    fit_request_start_progress(&ctx.fit);
    loaded_runs lr;
    if ((st = input_load(&ctx.input, paths, n_paths, &lr))) return st;
    ctx.fit.fit.selection = lr.selection; /* the fit applies it and records it */
    slaw_artifact *a = NULL;
    slaw_error err;
    slaw_status fitted = slaw_fit_runs(lr.runs, &ctx.fit.fit, &a, &err);
    if (fitted == SLAW_OK && ctx.calibrate)
        fitted = slaw_artifact_calibrate_runs(a, lr.runs, &ctx.fit.fit, &err);
    progress_done(&ctx.fit.progress);
    warn_lints(&ctx, &lr);
    if (fitted != SLAW_OK) {
        st = cli_fail(&err);
        goto out;
    }
    if (ctx.out && slaw_artifact_write(a, ctx.out, &err) != SLAW_OK) {
        st = cli_fail(&err);
        goto out;
    }
    warn_failed(a);
    if (ctx.format == OUTPUT_JSON && slaw_artifact_check_text(a, &err) != SLAW_OK) {
        st = cli_fail(&err);
        goto out;
    }
    if (ctx.format == OUTPUT_JSON) {
        char *text = slaw_artifact_to_json(a);
        if (!text) {
            st = cli_nomem();
            goto out;
        }
        stdout_write(text, strlen(text));
        free(text);
    } else {
        print_table(a, ctx.identifiability);
    }
out:
    slaw_artifact_free(a);
    loaded_runs_free(&lr);
    return st;
}

static const cli_option *const fit_groups[] = {fit_options,  output_options, input_options,
                                               lint_options, common_options, NULL};

const cli_command cmd_fit = {
    .name = "fit",
    .synopsis = "FILE... --law NAME [options]  |  FILE... --formula TEXT [options]",
    .summary = "Fit a scaling law to runs: parameters, standard errors, diagnostics.",
    .details = "The search evaluates the law's start grid, polishes the most promising starts\n"
               "with a trust-region least-squares solver (in parallel), and reports the best\n"
               "optimum with how many starts reached it.  Positive scale parameters are\n"
               "fitted as logarithms; --grid takes those internal names (e, a, b, ln_k, ...).\n"
               "--out writes the fit artifact that forecast, check and plot read.\n"
               "--calibrate also replays the sweep size by size (as slaw validate --coverage)\n"
               "and stores in the artifact, per level (50/80/90/95%), how often the rollout's\n"
               "prediction intervals held and the split-conformal factor that widens them to\n"
               "hold; forecast then shows calibrated intervals (docs/uncertainty.md).\n",
    .groups = fit_groups,
    .run = run_fit,
};
