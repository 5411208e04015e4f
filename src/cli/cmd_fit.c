/* cmd_fit.c — `slaw fit`: fit a law to runs; print it, write the artifact. */
#include "cli.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct fit_ctx {
    const cli_command *cmd;
    input_request input;
    fit_request fit;
    output_format format;
    const char *out;
} fit_ctx;

static const cli_option output_options[] = {
    {"format", 0, "FMT", OPT_FORMAT, "output: table (default) or json (the artifact)"},
    {"out", 'o', "FILE", OPT_OUT, "write the fit artifact (JSON) to FILE"},
    {0},
};

static int on_option(void *vctx, option_id id, const char *arg)
{
    fit_ctx *ctx = vctx;
    switch (id) {
    case OPT_FORMAT:
        if (!output_format_parse(arg, 1u << OUTPUT_TABLE | 1u << OUTPUT_JSON, &ctx->format))
            return cli_usage_error(ctx->cmd, "--format '%s': expected table or json", arg);
        return 0;
    case OPT_OUT: ctx->out = arg; return 0;
    default: break;
    }
    int st = fit_option(ctx->cmd, &ctx->fit, id, arg);
    if (st != 1) return st;
    st = input_option(ctx->cmd, &ctx->input, id, arg);
    return st == 1 ? cli_usage_error(ctx->cmd, "unexpected option") : st;
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

static void print_fit(const slaw_fit *f)
{
    const slaw_law *law = slaw_fit_law(f);
    slaw_fit_stats st;
    char a[64], b[64], c[64];
    slaw_fit_get_stats(f, &st);
    if (slaw_fit_group(f)) printf("\ngroup %s\n", slaw_fit_group(f));
    text_table *t = table_new(4);
    table_header(t, (const char *[]){"param", "value", "stderr", ""});
    table_align_right(t, 1u << 1 | 1u << 2);
    for (size_t j = 0; j < slaw_law_param_count(law); j++)
        table_row(t, (const char *[]){slaw_law_param_name(law, j),
                                      number6(slaw_fit_value(f, j), a, sizeof a),
                                      number6(slaw_fit_stderr(f, j), b, sizeof b),
                                      state_note(slaw_fit_param_state(f, j))});
    for (size_t q = 0; q < slaw_law_derived_count(law); q++) {
        double se, v = slaw_fit_derived(f, q, &se);
        table_row(t, (const char *[]){slaw_law_derived_name(law, q), number6(v, a, sizeof a),
                                      number6(se, b, sizeof b), "derived"});
    }
    table_print(t, stdout, "  ");
    table_free(t);
    printf("\n  n %zu, objective %.10g, rmse(log) %s, R2 %s, AIC %s, BIC %s\n", st.n, st.objective,
           number6(st.rmse_log, a, sizeof a), number6(st.r2, b, sizeof b),
           number6(st.aic, c, sizeof c), number6(st.bic, c + 32, sizeof c - 32));
    printf("  starts %zu, polished %zu, converged %zu, reached the best optimum %zu, "
           "iterations %zu\n", st.starts, st.polished, st.converged, st.reached_best,
           st.iterations);
    printf("  stderr: %s\n", slaw_fit_stderr_method(f));
    for (size_t w = 0; w < slaw_fit_warning_count(f); w++)
        cli_warnf("%s%s%s", slaw_fit_group(f) ? slaw_fit_group(f) : "",
                  slaw_fit_group(f) ? ": " : "", slaw_fit_warning(f, w));
}

static void print_table(const slaw_artifact *a)
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
    for (size_t i = 0; i < slaw_artifact_filter_count(a); i++) {
        size_t removed;
        const char *what = slaw_artifact_filter(a, i, &removed);
        printf("%s%s removed %zu", i ? ", " : " (", what, removed);
    }
    printf("%s\n", slaw_artifact_filter_count(a) ? ")" : "");
    printf("fit    %s space, ", opt.space == SLAW_SPACE_LOG ? "log" : "linear");
    if (opt.loss == SLAW_LOSS_HUBER)
        printf("huber loss (delta %g)", opt.loss_param ? opt.loss_param : 1e-3);
    else if (opt.loss == SLAW_LOSS_ASYM)
        printf("asym loss (W %g)", opt.loss_param ? opt.loss_param : 10.0);
    else
        printf("l2 loss");
    printf(", variables");
    for (size_t v = 0; v < slaw_law_var_count(law); v++)
        printf(" %s", slaw_fit_variable(first, v));
    printf("\n");
    if (!slaw_fit_group(first)) printf("\n");
    for (size_t i = 0; i < slaw_artifact_fit_count(a); i++) print_fit(slaw_artifact_fit(a, i));
}

static int run_fit(const cli_command *cmd, int argc, char **argv)
{
    fit_ctx ctx = {.cmd = cmd, .format = OUTPUT_TABLE};
    input_request_init(&ctx.input);
    fit_request_init(&ctx.fit);
    int first, st = cli_parse(cmd, argc, argv, on_option, &ctx, &first);
    if (st) return st < 0 ? EXIT_PASS : st;
    if (first >= argc) return cli_usage_error(cmd, "no input files");
    if (!ctx.fit.fit.law) return cli_usage_error(cmd, "no law: give --law NAME");
    char **paths = argv + first;
    size_t n_paths = (size_t)(argc - first);
    if (ctx.out && (st = refuse_overwriting_input(cmd, ctx.out, paths, n_paths))) return st;

    fit_request_take_filters(&ctx.fit, &ctx.input);
    loaded_runs lr;
    if ((st = input_load(&ctx.input, paths, n_paths, &lr))) return st;
    slaw_artifact *a = NULL;
    slaw_error err;
    if (slaw_fit_runs(lr.runs, &ctx.fit.fit, &a, &err) != SLAW_OK) {
        st = cli_fail(&err);
        goto out;
    }
    if (ctx.out && slaw_artifact_write(a, ctx.out, &err) != SLAW_OK) {
        st = cli_fail(&err);
        goto out;
    }
    if (ctx.format == OUTPUT_JSON) {
        char *text = slaw_artifact_to_json(a);
        if (!text) {
            cli_errorf("out of memory");
            st = EXIT_IO;
            goto out;
        }
        fputs(text, stdout);
        free(text);
    } else {
        print_table(a);
    }
out:
    slaw_artifact_free(a);
    loaded_runs_free(&lr);
    return st;
}

static const cli_option *const fit_groups[] = {fit_options, output_options, input_options,
                                               common_options, NULL};

const cli_command cmd_fit = {
    .name = "fit",
    .synopsis = "FILE... --law NAME [options]",
    .summary = "Fit a scaling law to runs: parameters, standard errors, diagnostics.",
    .details = "The search evaluates the law's start grid, polishes the most promising starts\n"
               "with a trust-region least-squares solver (in parallel), and reports the best\n"
               "optimum with how many starts reached it.  Positive scale parameters are\n"
               "fitted as logarithms; --grid takes those internal names (e, a, b, ln_k, ...).\n"
               "--out writes the fit artifact that forecast, check and plot read.\n",
    .groups = fit_groups,
    .run = run_fit,
};
