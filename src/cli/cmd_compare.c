/* cmd_compare.c — `slaw compare` (and `slaw fit --law a,b,...`): several laws
 * fitted to the same runs, side by side, the best by a criterion marked. */
#include "fit_options.h"
#include "output.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LAWS 16

/* The names of slaw_compare_by's criteria, in its order. */
static const char *const criterion_names[] = {"aic", "bic", "holdout", "rollout"};

typedef struct compare_ctx {
    const cli_command *cmd;
    input_request input;
    fit_request fit;
    output_format format;
    slaw_compare_by by;
    bool by_given;
    const char *formulas[MAX_LAWS]; /* --formula, repeatable here: each one is a law */
    size_t n_formulas;
} compare_ctx;

static const cli_option compare_options[] = {
    {"format", 0, "FMT", OPT_FORMAT, "output: table (default) or json"},
    {"criterion", 0, "NAME", OPT_CRITERION,
     "aic (default), bic, holdout (needs --holdout) or rollout (runs a rollout per law)"},
    {0},
};

static int on_option(void *vctx, option_id id, const char *arg)
{
    compare_ctx *ctx = vctx;
    if (id == OPT_FORMULA) {
        if (ctx->n_formulas == MAX_LAWS)
            return cli_usage_error(ctx->cmd, "at most %d formulas", MAX_LAWS);
        ctx->formulas[ctx->n_formulas++] = arg;
        return 0;
    }
    if (id == OPT_FORMAT) {
        return output_format_option(ctx->cmd, arg, 1u << OUTPUT_TABLE | 1u << OUTPUT_JSON,
                                    &ctx->format);
    }
    if (id == OPT_CRITERION) {
        for (int k = 0; k < 4; k++)
            if (!strcmp(arg, criterion_names[k])) {
                ctx->by = (slaw_compare_by)k;
                ctx->by_given = true;
                return 0;
            }
        return cli_usage_error(ctx->cmd, "--criterion '%s': expected aic, bic, holdout or rollout",
                               arg);
    }
    return fit_or_input_option(ctx->cmd, &ctx->fit, &ctx->input, id, arg);
}

static void params_text(const slaw_fit *f, char *buf, size_t size)
{
    const slaw_law *law = slaw_fit_law(f);
    size_t o = 0;
    buf[0] = '\0';
    for (size_t j = 0; j < slaw_law_param_count(law) && o < size; j++)
        o += (size_t)snprintf(buf + o, size - o, "%s%s=%.4g", j ? " " : "",
                              slaw_law_param_name(law, j), slaw_fit_value(f, j));
}

static void print_table(const compare_ctx *ctx, const slaw_comparison *c)
{
    size_t groups = slaw_artifact_fit_count(slaw_comparison_artifact(c, 0)),
           n = slaw_comparison_count(c);
    for (size_t i = 0; i < groups; i++) {
        const char *group = slaw_fit_group(slaw_artifact_fit(slaw_comparison_artifact(c, 0), i));
        if (group) printf("%sgroup %s\n", i ? "\n" : "", group);
        text_table *t = table_new(9);
        table_header(t, (const char *[]){"law", "k", "objective", "AIC", "BIC", "holdout",
                                         "rollout", "best", "parameters"});
        table_align_right(t, 0x7eu);
        size_t best = slaw_comparison_best(c, i);
        for (size_t k = 0; k < n; k++) {
            const slaw_fit *f = slaw_artifact_fit(slaw_comparison_artifact(c, k), i);
            slaw_fit_stats st;
            char kk[16], obj[32], aic[32], bic[32], ho[32], ro[32], params[400];
            slaw_fit_get_stats(f, &st);
            double h = slaw_comparison_score(c, k, i, SLAW_COMPARE_HOLDOUT),
                   r = slaw_comparison_score(c, k, i, SLAW_COMPARE_ROLLOUT);
            snprintf(kk, sizeof kk, "%zu", st.n_free);
            snprintf(obj, sizeof obj, "%.6g", st.objective);
            snprintf(aic, sizeof aic, "%.2f", st.aic);
            snprintf(bic, sizeof bic, "%.2f", st.bic);
            snprintf(ho, sizeof ho, isnan(h) ? "-" : "%.4f", h);
            snprintf(ro, sizeof ro, isnan(r) ? "-" : "%.4f", r);
            params_text(f, params, sizeof params);
            table_row(t, (const char *[]){slaw_comparison_law(c, k), kk, obj, aic, bic, ho, ro,
                                          k == best ? "*" : "", params});
        }
        table_print(t, stdout, "");
        table_free(t);
    }
    printf("\nbest (*) by %s%s; holdout and rollout are mean |ln(predicted/observed)|\n",
           criterion_names[ctx->by], ctx->by <= SLAW_COMPARE_BIC ? " (lower is better)" : "");
}

static int print_json_report(const compare_ctx *ctx, const slaw_comparison *c)
{
    const slaw_artifact *first = slaw_comparison_artifact(c, 0);
    size_t n = slaw_comparison_count(c);
    cJSON *doc = cJSON_CreateObject(), *rows = NULL;
    cJSON_AddStringToObject(doc, "criterion", criterion_names[ctx->by]);
    rows = cJSON_AddArrayToObject(doc, "comparison");
    for (size_t i = 0; i < slaw_artifact_fit_count(first); i++) {
        size_t best = slaw_comparison_best(c, i);
        for (size_t k = 0; k < n; k++) {
            const slaw_fit *f = slaw_artifact_fit(slaw_comparison_artifact(c, k), i);
            const slaw_law *law = slaw_fit_law(f);
            slaw_fit_stats st;
            slaw_fit_get_stats(f, &st);
            cJSON *o = cJSON_CreateObject(), *p;
            cJSON_AddStringToObject(o, "law", slaw_law_name(law));
            if (slaw_fit_group(f)) cJSON_AddStringToObject(o, "group", slaw_fit_group(f));
            cJSON_AddStringToObject(o, "formula", slaw_law_formula(law));
            p = cJSON_AddObjectToObject(o, "params");
            for (size_t j = 0; j < slaw_law_param_count(law); j++)
                cJSON_AddItemToObject(p, slaw_law_param_name(law, j),
                                      json_number(slaw_fit_value(f, j)));
            cJSON_AddNumberToObject(o, "n", (double)st.n);
            cJSON_AddNumberToObject(o, "k", (double)st.n_free);
            cJSON_AddItemToObject(o, "objective", json_number(st.objective));
            cJSON_AddItemToObject(o, "aic", json_number(st.aic));
            cJSON_AddItemToObject(o, "bic", json_number(st.bic));
            cJSON_AddItemToObject(
                o, "holdout_male",
                json_number(slaw_comparison_score(c, k, i, SLAW_COMPARE_HOLDOUT)));
            cJSON_AddItemToObject(
                o, "rollout_male",
                json_number(slaw_comparison_score(c, k, i, SLAW_COMPARE_ROLLOUT)));
            cJSON_AddBoolToObject(o, "best", k == best);
            cJSON_AddItemToArray(rows, o);
        }
    }
    return print_json(doc);
}

/* A one-variable law that wins on runs where N or D, which it does not
 * take, spans more than a decade fits an average over that variable: say
 * so.  The runs are filtered as the fits filtered them (the fits are done,
 * so the table may change). */
static void warn_ignored_sizes(const compare_ctx *ctx, slaw_runs *runs, const slaw_comparison *c)
{
    const slaw_fit_options *o = &ctx->fit.fit;
    slaw_error err;
    slaw_runs_summary sum;
    size_t best = slaw_comparison_best(c, 0);
    if (best == SIZE_MAX || slaw_artifact_fit_count(slaw_comparison_artifact(c, best)) != 1) return;
    const slaw_fit *f = slaw_artifact_fit(slaw_comparison_artifact(c, best), 0);
    if (slaw_law_var_count(slaw_fit_law(f)) != 1) return;
    if (slaw_selection_apply(o->selection, runs, NULL, &err) != SLAW_OK) return;
    slaw_runs_summarize(runs, &sum);
    const slaw_role sizes[] = {SLAW_ROLE_N, SLAW_ROLE_D};
    for (size_t k = 0; k < 2; k++) {
        size_t col;
        double decades = sum.role[sizes[k]].decades;
        if (!slaw_runs_role_column(runs, sizes[k], &col) || decades <= 1 ||
            !strcmp(slaw_runs_column_name(runs, col), slaw_fit_variable(f, 0)))
            continue;
        cli_warnf("%s, the best law here, ignores %s, which spans %.1f decades in these runs: "
                  "it fits an average over %s (a law of N and D such as chinchilla takes it; "
                  "or hold it with --where)",
                  slaw_comparison_law(c, best), slaw_role_name(sizes[k]), decades,
                  slaw_role_name(sizes[k]));
    }
}

/* ------------------------------------------- do the groups differ? */

#define DEFAULT_RESAMPLES 199

/* "exponents" when every shared parameter is one (fitted on its own scale),
 * else the names. */
static void shared_words(const slaw_fit *f, const char *shared, char *buf, size_t size)
{
    const slaw_law *law = slaw_fit_law(f);
    bool exponents = true;
    for (size_t j = 0; j < slaw_law_param_count(law); j++)
        if (slaw_fit_param_shared(f, j) && slaw_law_param_is_log(law, j)) exponents = false;
    if (exponents) snprintf(buf, size, "exponents");
    else snprintf(buf, size, "%s", shared);
}

/* The p-value the verdict rests on: the F test's when there is one. */
static double verdict_p(const slaw_shared_test *t)
{
    return isnan(t->p_F) ? t->p_boot : t->p_F;
}

static void verdict_text(const slaw_shared_test *t, const char *shared, double alpha, char *buf,
                         size_t size)
{
    char words[256];
    double p = verdict_p(t);
    shared_words(slaw_artifact_fit(t->shared, 0), shared, words, sizeof words);
    if (isnan(p)) snprintf(buf, size, "no test: too few runs for the separate model");
    else if (p < alpha) snprintf(buf, size, "%s differ (p = %.2g)", words, p);
    else snprintf(buf, size, "no evidence that %s differ (p = %.2g)", words, p);
}

static void print_shared_table(const compare_ctx *ctx, const slaw_shared_test *t, double alpha)
{
    const slaw_fit *f = slaw_artifact_fit(t->shared, 0);
    const slaw_law *law = slaw_fit_law(f);
    char verdict[400];
    printf("law     %s: %s\n", slaw_law_name(law), slaw_law_formula(law));
    printf("groups  %zu (", slaw_artifact_fit_count(t->shared));
    for (size_t g = 0; g < slaw_artifact_fit_count(t->shared); g++)
        printf("%s%s", g ? ", " : "", slaw_fit_group(slaw_artifact_fit(t->shared, g)));
    printf("), %zu runs; shared: %s\n\n", t->n, ctx->fit.fit.shared);
    text_table *tb = table_new(6);
    table_header(tb, (const char *[]){"model", "k", "objective", "AIC", "BIC", "holdout"});
    table_align_right(tb, 0x3eu);
    for (int m = 0; m < 2; m++) {
        char k[16], obj[32], aic[32], bic[32], ho[32];
        snprintf(k, sizeof k, "%zu", t->k[m]);
        snprintf(obj, sizeof obj, "%.6g", t->objective[m]);
        snprintf(aic, sizeof aic, "%.2f", t->aic[m]);
        snprintf(bic, sizeof bic, "%.2f", t->bic[m]);
        snprintf(ho, sizeof ho, isnan(t->holdout_male[m]) ? "-" : "%.4f", t->holdout_male[m]);
        table_row(tb, (const char *[]){m ? "shared" : "separate", k, obj, aic, bic, ho});
    }
    table_print(tb, stdout, "");
    table_free(tb);
    printf("\n");
    if (!isnan(t->F))
        printf("F test        F = %.4g on (%g, %g) degrees of freedom, p = %.2g\n", t->F, t->df1,
               t->df2, t->p_F);
    if (!isnan(t->p_boot))
        printf("bootstrap     p = %.2g from %zu parametric resamples of the shared fit (%zu could "
               "not be refitted)\n",
               t->p_boot, t->resamples, t->resamples_failed);
    verdict_text(t, ctx->fit.fit.shared, alpha, verdict, sizeof verdict);
    printf("verdict       %s\n", verdict);
    if (t->holdout_runs)
        printf("holdout       mean |ln(predicted/observed)| over %zu held-out runs\n",
               t->holdout_runs);
}

static int print_shared_json(const compare_ctx *ctx, const slaw_shared_test *t, double alpha)
{
    cJSON *doc = cJSON_CreateObject(), *models, *test, *groups;
    char verdict[400];
    cJSON_AddStringToObject(doc, "law",
                            slaw_law_name(slaw_fit_law(slaw_artifact_fit(t->shared, 0))));
    cJSON_AddStringToObject(doc, "shared", ctx->fit.fit.shared);
    groups = cJSON_AddArrayToObject(doc, "groups");
    for (size_t g = 0; g < slaw_artifact_fit_count(t->shared); g++)
        cJSON_AddItemToArray(groups,
                             cJSON_CreateString(slaw_fit_group(slaw_artifact_fit(t->shared, g))));
    cJSON_AddNumberToObject(doc, "n", (double)t->n);
    models = cJSON_AddArrayToObject(doc, "models");
    for (int m = 0; m < 2; m++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "model", m ? "shared" : "separate");
        cJSON_AddNumberToObject(o, "k", (double)t->k[m]);
        cJSON_AddItemToObject(o, "objective", json_number(t->objective[m]));
        cJSON_AddItemToObject(o, "aic", json_number(t->aic[m]));
        cJSON_AddItemToObject(o, "bic", json_number(t->bic[m]));
        cJSON_AddItemToObject(o, "holdout_male", json_number(t->holdout_male[m]));
        cJSON_AddItemToArray(models, o);
    }
    test = cJSON_AddObjectToObject(doc, "test");
    cJSON_AddItemToObject(test, "F", json_number(t->F));
    cJSON_AddItemToObject(test, "df1", json_number(t->df1));
    cJSON_AddItemToObject(test, "df2", json_number(t->df2));
    cJSON_AddItemToObject(test, "p_F", json_number(t->p_F));
    cJSON_AddItemToObject(test, "p_bootstrap", json_number(t->p_boot));
    cJSON_AddNumberToObject(test, "resamples", (double)t->resamples);
    cJSON_AddNumberToObject(test, "level", ctx->fit.fit.level);
    cJSON_AddBoolToObject(test, "differ", verdict_p(t) < alpha);
    verdict_text(t, ctx->fit.fit.shared, alpha, verdict, sizeof verdict);
    cJSON_AddStringToObject(test, "verdict", verdict);
    return print_json(doc);
}

/* `slaw compare --by G --shared P`: the shared model against the separate. */
static int compare_shared(compare_ctx *ctx, const slaw_runs *runs)
{
    slaw_shared_test t;
    slaw_error err;
    slaw_fit_options opt = ctx->fit.fit;
    size_t resamples = opt.bootstrap;
    if (!resamples && opt.loss != SLAW_LOSS_L2) resamples = DEFAULT_RESAMPLES;
    double alpha = 1.0 - opt.level;
    slaw_status st = slaw_fit_test_shared(runs, &opt, resamples, &t, &err);
    progress_done(&ctx->fit.progress);
    if (st != SLAW_OK) return cli_fail(&err);
    int rc = 0;
    if (ctx->format == OUTPUT_JSON) rc = print_shared_json(ctx, &t, alpha);
    else print_shared_table(ctx, &t, alpha);
    slaw_shared_test_clear(&t);
    return rc;
}

/* Fits each law of the comma-separated list (NULL: none), then each
 * formula (slaw_compare_runs); returns an exit status. */
static int fit_all(compare_ctx *ctx, const slaw_runs *runs, char *list, slaw_comparison **c)
{
    const char *names[MAX_LAWS + 1];
    size_t n = 0, failed;
    slaw_error err;
    char *rest = NULL;
    for (char *name = list ? strtok_r(list, ",", &rest) : NULL; name && n <= MAX_LAWS;
         name = strtok_r(NULL, ",", &rest))
        names[n++] = name;
    for (size_t k = 0; k < ctx->n_formulas && n <= MAX_LAWS; k++) names[n++] = ctx->formulas[k];
    slaw_status st = n ? slaw_compare_runs(runs, names, n > MAX_LAWS ? MAX_LAWS : n, &ctx->fit.fit,
                                           ctx->by, c, &failed, &err)
                       : SLAW_OK;
    progress_done(&ctx->fit.progress);
    if (st != SLAW_OK && failed == SIZE_MAX) return cli_fail(&err);
    if (st != SLAW_OK) {
        char text[2048];
        cli_error_text(&err, text, sizeof text);
        bool formula = failed >= n - ctx->n_formulas;
        char named[160]; /* a message that names the law already is printed as it is */
        snprintf(named, sizeof named, "law %s ", names[failed]);
        if ((formula && !strncmp(err.message, "formula:", 8)) ||
            (!formula && !strncmp(err.message, named, strlen(named))))
            cli_errorf("%s", text);
        else cli_errorf("%s %s: %s", formula ? "formula" : "law", names[failed], text);
        return cli_exit_code(err.code);
    }
    if (n > MAX_LAWS) return cli_usage_error(ctx->cmd, "at most %d laws", MAX_LAWS);
    return n >= 2 ? 0
                  : cli_usage_error(ctx->cmd, "give two or more laws, e.g. --law power,saturating "
                                              "or --law chinchilla --formula TEXT");
}

static int run_compare(const cli_command *cmd, int argc, char **argv)
{
    compare_ctx ctx = {.cmd = cmd, .format = OUTPUT_TABLE};
    input_request_init(&ctx.input);
    fit_request_init(&ctx.fit);
    int first, st = cli_parse(cmd, argc, argv, on_option, &ctx, &first);
    if (st) return st < 0 ? EXIT_PASS : st;
    if (first >= argc) return cli_usage_error(cmd, "no input files");
    if (!ctx.fit.fit.law && !ctx.n_formulas)
        return cli_usage_error(cmd, "no laws: give --law NAME,NAME,... or --formula TEXT");
    if (!ctx.by_given && ctx.fit.fit.holdout) ctx.by = SLAW_COMPARE_HOLDOUT;
    if (ctx.by == SLAW_COMPARE_HOLDOUT && !ctx.fit.fit.holdout)
        return cli_usage_error(cmd, "--criterion holdout needs --holdout RULE");
    fit_request_start_progress(&ctx.fit);
    loaded_runs lr;
    if ((st = input_load(&ctx.input, argv + first, (size_t)(argc - first), &lr))) return st;
    ctx.fit.fit.selection = lr.selection; /* each fit applies it */
    if (ctx.fit.fit.shared) {
        bool one = ctx.fit.fit.law ? !strchr(ctx.fit.fit.law, ',') && !ctx.n_formulas
                                   : ctx.n_formulas == 1;
        if (one && ctx.n_formulas) ctx.fit.fit.formula = ctx.formulas[0];
        st = one ? compare_shared(&ctx, lr.runs)
                 : cli_usage_error(cmd, "--shared compares groups under one law");
        loaded_runs_free(&lr);
        return st;
    }
    char list[512];
    slaw_comparison *c = NULL;
    snprintf(list, sizeof list, "%s", ctx.fit.fit.law ? ctx.fit.fit.law : "");
    st = fit_all(&ctx, lr.runs, ctx.fit.fit.law ? list : NULL, &c);
    if (!st && ctx.format == OUTPUT_JSON) st = print_json_report(&ctx, c);
    else if (!st) print_table(&ctx, c);
    if (!st) warn_ignored_sizes(&ctx, lr.runs, c);
    slaw_comparison_free(c);
    loaded_runs_free(&lr);
    return st;
}

static const cli_option *const compare_groups[] = {compare_options, fit_options, input_options,
                                                   common_options, NULL};

const cli_command cmd_compare = {
    .name = "compare",
    .synopsis = "FILE... --law NAME,NAME,... [--formula TEXT]... [options]  |  "
                "FILE... --law NAME --by COL --shared P,...",
    .summary = "Fit several laws to the same runs and compare them (AIC, BIC, holdout, rollout), "
               "or test whether groups differ.",
    .details = "Every law is fitted with the same options; `slaw fit --law a,b,...` does the\n"
               "same.  Each --formula (repeatable here) is one more law, named by its text.\n"
               "AIC and BIC come from the residual sum of squares in the fitting space\n"
               "(comparable between laws fitted the same way); holdout and rollout\n"
               "measure extrapolation directly.\n"
               "With --by COL --shared P,...: the groups fitted jointly with P common\n"
               "(shared) against each group on its own (separate), and whether P differ:\n"
               "the F test (l2 loss) and, with --bootstrap N (199 by default for other\n"
               "losses), a parametric bootstrap drawing runs from the shared fit; p below\n"
               "1 - --level (0.05) says they differ.  docs/comparing.md.\n",
    .groups = compare_groups,
    .run = run_compare,
};

/* `slaw fit --law a,b`: the same comparison. */
int compare_from_fit(int argc, char **argv)
{
    return run_compare(&cmd_compare, argc, argv);
}
