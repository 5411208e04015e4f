/* cmd_gain.c — `slaw gain`: the compute-equivalent gain of each group of a
 * grouped fit over a baseline group, with its interval and P(k > 1). */
#include "held_options.h"
#include "input.h"
#include "interval_options.h"
#include "output.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_BUDGETS 64

typedef struct gain_ctx {
    const cli_command *cmd;
    const char *baseline;
    double compute[MAX_BUDGETS];
    size_t n_compute;
    slaw_point at[MAX_BUDGETS];
    size_t n_at;
    interval_request iv;
    output_format format;
    held_request held; /* --unique-tokens, --hold: for budgets */
} gain_ctx;

static const cli_option gain_options[] = {
    {"baseline", 0, "GROUP", OPT_BASELINE, "the group the others are measured against (required)"},
    {"compute", 0, "C[,C...]", OPT_COMPUTE,
     "budgets: k reaches each group's compute-optimal loss at C"},
    {"at", 0, "POINT", OPT_AT,
     "a point, e.g. N=1B,D=20B: k reaches each group's loss there; repeatable"},
    {"unique-tokens", 0, "U", OPT_UNIQUE_TOKENS,
     "the unique tokens U held at every budget (a data-constrained law)"},
    {"hold", 0, "POINT", OPT_HOLD, "values of the other variables a budget does not set"},
    {"format", 0, "FMT", OPT_FORMAT, "output: table (default) or json"},
    {0},
};

static int add_budgets(gain_ctx *ctx, const char *arg)
{
    for (const char *at = arg; *at;) {
        size_t len = strcspn(at, ",");
        char item[64];
        if (ctx->n_compute == MAX_BUDGETS)
            return cli_usage_error(ctx->cmd, "too many budgets (at most %d)", MAX_BUDGETS);
        snprintf(item, sizeof item, "%.*s", (int)(len < sizeof item ? len : sizeof item - 1), at);
        if (!parse_positive(ctx->cmd, "--compute", item, &ctx->compute[ctx->n_compute++]))
            return EXIT_USAGE;
        at += len + (at[len] == ',');
    }
    return 0;
}

static int on_option(void *vctx, option_id id, const char *arg)
{
    gain_ctx *ctx = vctx;
    slaw_error err;
    switch (id) {
    case OPT_BASELINE: ctx->baseline = arg; return 0;
    case OPT_COMPUTE: return add_budgets(ctx, arg);
    case OPT_AT:
        if (ctx->n_at == MAX_BUDGETS)
            return cli_usage_error(ctx->cmd, "too many --at options (at most %d)", MAX_BUDGETS);
        if (slaw_point_parse(arg, &ctx->at[ctx->n_at], &err) != SLAW_OK)
            return cli_usage_error(ctx->cmd, "--at %s", CLI_MESSAGE(&err));
        ctx->n_at++;
        return 0;
    case OPT_FORMAT:
        return output_format_option(ctx->cmd, arg, 1u << OUTPUT_TABLE | 1u << OUTPUT_JSON,
                                    &ctx->format);
    default: break;
    }
    int st = interval_option(ctx->cmd, &ctx->iv, id, arg);
    if (st == 1) st = held_option(ctx->cmd, &ctx->held, id, arg);
    return st == 1 ? cli_usage_error(ctx->cmd, "unexpected option") : st;
}

typedef struct gain_rows {
    slaw_gain *row;
    size_t n;
} gain_rows;

/* Every group but the baseline, at every budget and point. */
static int compute_all(const gain_ctx *ctx, const slaw_artifact *a,
                       const slaw_forecast_options *fopt, gain_rows *out)
{
    size_t groups = slaw_artifact_fit_count(a), per = ctx->n_compute + ctx->n_at;
    slaw_error err;
    out->row = calloc(groups * per + 1, sizeof *out->row);
    if (!out->row) {
        return cli_nomem();
    }
    for (size_t g = 0; g < groups; g++) {
        const slaw_fit *f = slaw_artifact_fit(a, g);
        if (!strcmp(slaw_fit_group(f), ctx->baseline)) continue;
        for (size_t q = 0; q < per; q++) {
            double vars[SLAW_MAX_VARS], *v = NULL, C = 0;
            if (q < ctx->n_compute) C = ctx->compute[q];
            else {
                slaw_point p = ctx->at[q - ctx->n_compute];
                if (ctx->held.given) slaw_point_fill(&p, &ctx->held.point);
                if (slaw_point_resolve_fit(a, f, &p, vars, &err) != SLAW_OK) return cli_fail(&err);
                v = vars;
            }
            if (slaw_gain_at(a, ctx->baseline, slaw_fit_group(f), v, C, fopt, &out->row[out->n],
                             &err))
                return cli_fail(&err);
            out->n++;
        }
    }
    return 0;
}

static const char *method_text(const slaw_gain *g)
{
    switch (g->method) {
    case SLAW_INTERVAL_BOOTSTRAP: return "bootstrap samples of both groups, in pairs";
    case SLAW_INTERVAL_DELTA: return "the delta method on ln k";
    case SLAW_INTERVAL_T: return "the delta method on ln k, t quantiles";
    default: return "none";
    }
}

/* What a gain multiplies: compute, for a law with a budget or of C; else
 * the one variable of a law of it (a power law's N, a formula's x). */
static bool gain_by_compute(const slaw_law *law)
{
    if (slaw_law_has_budget(law)) return true;
    for (size_t v = 0; v < slaw_law_var_count(law); v++)
        if (slaw_law_var_role(law, v) == SLAW_ROLE_C) return true;
    return false;
}

static void print_table(const gain_ctx *ctx, const slaw_artifact *a, const gain_rows *r)
{
    char lo[32], hi[32], k[32], p[32], c[32], ci[80];
    const slaw_gain *first = r->n ? &r->row[0] : NULL;
    printf("baseline   %s\n", ctx->baseline);
    if (first) printf("intervals  %g%%, %s\n\n", 100 * first->level, method_text(first));
    text_table *t = table_new(5);
    table_header(t, (const char *[]){"group", "C", "gain k", "interval", "P(k > 1)"});
    table_align_right(t, 0x16u);
    for (size_t i = 0; i < r->n; i++) {
        const slaw_gain *g = &r->row[i];
        snprintf(c, sizeof c, isnan(g->C) ? "-" : "%.3g", g->C);
        snprintf(k, sizeof k, "%.4g", g->gain.value);
        snprintf(lo, sizeof lo, "%.4g", g->gain.lo);
        snprintf(hi, sizeof hi, "%.4g", g->gain.hi);
        if (isnan(g->gain.lo)) snprintf(ci, sizeof ci, "-");
        else snprintf(ci, sizeof ci, "[%s, %s]", lo, hi);
        snprintf(p, sizeof p, isnan(g->p_above_1) ? "-" : "%.3f", g->p_above_1);
        table_row(t, (const char *[]){g->group, c, k, ci, p});
    }
    table_print(t, stdout, "");
    table_free(t);
    const slaw_law *law = r->n ? slaw_fit_law(slaw_artifact_fit(a, 0)) : NULL;
    bool by_compute = !law || gain_by_compute(law);
    printf("\nk: the factor by which %s's %s must grow to reach the group's %s (k > 1: "
           "the group is better)\n",
           ctx->baseline, by_compute ? "compute" : slaw_law_var_name(law, 0),
           !ctx->n_at   ? "compute-optimal loss at C"
           : by_compute ? "loss at the point (C = 6ND)"
                        : "loss at the point");
    for (size_t g = 0; ctx->n_compute && g < slaw_artifact_fit_count(a); g++) {
        const char *name = slaw_fit_group(slaw_artifact_fit(a, g));
        if (strcmp(name, ctx->baseline) &&
            slaw_gain_constant(a, ctx->baseline, name, ctx->compute[0]))
            printf("%s: k is the same at every C (shared exponents and floor)\n", name);
    }
}

static int print_json_gains(const gain_ctx *ctx, const slaw_artifact *a, const gain_rows *r)
{
    cJSON *doc = cJSON_CreateObject(), *rows = cJSON_AddArrayToObject(doc, "gains");
    for (size_t i = 0; i < r->n; i++) {
        const slaw_gain *g = &r->row[i];
        cJSON *o = cJSON_CreateObject(), *k, *ci;
        cJSON_AddStringToObject(o, "group", g->group);
        cJSON_AddStringToObject(o, "baseline", g->baseline);
        cJSON_AddItemToObject(o, "C", json_number(g->C));
        k = cJSON_AddObjectToObject(o, "gain");
        cJSON_AddItemToObject(k, "value", json_number(g->gain.value));
        ci = cJSON_AddArrayToObject(k, "ci");
        cJSON_AddItemToArray(ci, json_number(g->gain.lo));
        cJSON_AddItemToArray(ci, json_number(g->gain.hi));
        cJSON_AddItemToObject(o, "p_above_1", json_number(g->p_above_1));
        cJSON_AddNumberToObject(o, "level", g->level);
        cJSON_AddStringToObject(o, "interval", slaw_interval_method_name(g->method));
        bool budget = i % (ctx->n_compute + ctx->n_at) < ctx->n_compute;
        bool constant = budget && slaw_gain_constant(a, g->baseline, g->group, g->C);
        cJSON_AddBoolToObject(o, "same_at_every_C", constant);
        cJSON_AddItemToArray(rows, o);
    }
    return print_json(doc);
}

static int run_gain(const cli_command *cmd, int argc, char **argv)
{
    gain_ctx ctx = {.cmd = cmd, .format = OUTPUT_TABLE};
    slaw_artifact *a = NULL;
    gain_rows rows = {0};
    slaw_forecast_options fopt;
    interval_request_init(&ctx.iv);
    held_request_init(&ctx.held);
    int first, st = cli_parse(cmd, argc, argv, on_option, &ctx, &first);
    if (st) goto out;
    if (first >= argc) {
        st =
            cli_usage_error(cmd, "no fit artifact: give FIT.json (written by slaw fit --by --out)");
        goto out;
    }
    if (first + 1 < argc) {
        st = cli_usage_error(cmd, "unexpected argument '%s'", argv[first + 1]);
        goto out;
    }
    if (!ctx.baseline) {
        st = cli_usage_error(cmd, "give the baseline group with --baseline GROUP");
        goto out;
    }
    if (!ctx.n_compute && !ctx.n_at) {
        st = cli_usage_error(cmd, "give budgets with --compute C[,C...] or points with --at");
        goto out;
    }
    if ((st = artifact_load(argv[first], &a))) goto out;
    if (!slaw_fit_group(slaw_artifact_fit(a, 0)) || slaw_artifact_fit_count(a) < 2) {
        st = cli_usage_error(
            cmd, "%s holds one fit: gain compares the groups of a fit made with --by", argv[first]);
        goto out;
    }
    const slaw_law *law = slaw_fit_law(slaw_artifact_fit(a, 0));
    if (ctx.n_compute && !slaw_law_has_budget(law)) {
        st = budget_usage_error(cmd, "--compute", law);
        goto out;
    }
    if (ctx.n_compute && (st = held_check(cmd, &ctx.held, law))) goto out;
    interval_request_apply(&ctx.iv, a, &fopt);
    if (ctx.held.given) fopt.held = &ctx.held.point;
    if ((st = compute_all(&ctx, a, &fopt, &rows))) goto out;
    if (ctx.format == OUTPUT_JSON) st = print_json_gains(&ctx, a, &rows);
    else print_table(&ctx, a, &rows);
out:
    free(rows.row);
    slaw_artifact_free(a);
    return st < 0 ? EXIT_PASS : st;
}

static const cli_option *const gain_groups[] = {gain_options, interval_options, common_options,
                                                NULL};

const cli_command cmd_gain = {
    .name = "gain",
    .synopsis = "FIT.json --baseline GROUP (--compute C[,C...] | --at POINT) [options]",
    .summary = "Compute-equivalent gain of each group over a baseline group, with its interval.",
    .details = "For each group of a grouped fit (slaw fit --by, best with --shared): the factor\n"
               "k by which the baseline's compute must grow to reach the group's\n"
               "compute-optimal loss at C (or its loss at --at POINT).  k > 1: the group is\n"
               "better.  Intervals and P(k > 1) come from the fit's bootstrap samples (a joint\n"
               "fit's are paired across groups), else from the delta method.  With shared\n"
               "exponents and floor k is the same at every C.  docs/comparing.md.  Example:\n"
               "  slaw fit runs.csv --law chinchilla --by dataset --shared alpha,beta,E \\\n"
               "    --bootstrap 200 -o fit.json\n"
               "  slaw gain fit.json --baseline web --compute 1e21,1e23\n",
    .groups = gain_groups,
    .run = run_gain,
};
