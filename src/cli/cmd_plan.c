/* cmd_plan.c — `slaw plan`: which run to train next.  Ranks candidate runs
 * by how much each would narrow a target's confidence interval per unit of
 * cost, and picks the best set within a budget. */
#include "held_options.h"
#include "input.h"
#include "output.h"
#include "plan_options.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct plan_ctx {
    const cli_command *cmd;
    const char *target, *candidates, *group;
    double budget;
    size_t runs;
    double level;
    cost_request cost;
    output_format format;
    held_request held; /* --unique-tokens, --hold */
} plan_ctx;

static const cli_option plan_options[] = {
    {"target", 0, "SPEC", OPT_TARGET,
     "N=70B,D=1.4T (a forecast), C=1e24 (the least loss at C) "
     "or loss=2.0 (the compute to reach it); x=... for "
     "one-variable laws"},
    {"candidates", 0, "SPEC", OPT_CANDIDATES,
     "a grid N=LO:HI:K,D=LO:HI:K (log-spaced; U=... for laws "
     "that read it, x=... for one-variable laws), or a CSV of "
     "planned runs (columns N and D, U, or x)"},
    {"budget", 0, "B", OPT_BUDGET,
     "total cost of the runs to add: FLOPs, or GPU-hours with "
     "--gpu or --peak-flops"},
    {"runs", 0, "K", OPT_RUNS, "how many runs to pick within the budget (default 3)"},
    {"level", 0, "P", OPT_LEVEL, "level of the interval (default 0.95)"},
    {"unique-tokens", 0, "U", OPT_UNIQUE_TOKENS,
     "the unique tokens U, held along the budget of a C= or loss= target"},
    {"hold", 0, "POINT", OPT_HOLD,
     "values of the other variables a budget does not set, e.g. U=25B (a formula's: by column)"},
    {"group", 0, "NAME", OPT_GROUP, "a grouped fit: plan for this group"},
    {"format", 0, "FMT", OPT_FORMAT, "output: table (default) or json"},
    {0},
};

static int on_option(void *vctx, option_id id, const char *arg)
{
    plan_ctx *ctx = vctx;
    switch (id) {
    case OPT_TARGET: ctx->target = arg; return 0;
    case OPT_CANDIDATES: ctx->candidates = arg; return 0;
    case OPT_BUDGET:
        return parse_positive(ctx->cmd, "--budget", arg, &ctx->budget) ? 0 : EXIT_USAGE;
    case OPT_RUNS:
        if (!parse_count(ctx->cmd, "--runs", arg, &ctx->runs)) return EXIT_USAGE;
        return ctx->runs ? 0 : cli_usage_error(ctx->cmd, "--runs must be at least 1");
    case OPT_LEVEL: return parse_level(ctx->cmd, arg, &ctx->level) ? 0 : EXIT_USAGE;
    case OPT_GROUP: ctx->group = arg; return 0;
    case OPT_FORMAT:
        return output_format_option(ctx->cmd, arg, 1u << OUTPUT_TABLE | 1u << OUTPUT_JSON,
                                    &ctx->format);
    default: break;
    }
    int st = held_option(ctx->cmd, &ctx->held, id, arg);
    if (st == 1) st = cost_option(ctx->cmd, &ctx->cost, id, arg);
    return st == 1 ? cli_usage_error(ctx->cmd, "unexpected option") : st;
}

/* ------------------------------------------------------------- output */

typedef struct plan_result {
    const slaw_fit *fit;
    const slaw_plan_target *target;
    slaw_plan_run *runs;
    size_t n;
    size_t *order; /* runs by value, best first */
    slaw_plan_summary sum;
    size_t chosen[64], n_chosen;
    double shrink[64];
} plan_result;

static const plan_result *sort_ctx;

static int by_value(const void *a, const void *b)
{
    double x = sort_ctx->runs[*(const size_t *)a].value,
           y = sort_ctx->runs[*(const size_t *)b].value;
    return (x < y) - (x > y);
}

/* How the table and JSON name variable v: its role (N, D, U, C, M), or the
 * fitted column of a one-variable law's x or a formula's variable. */
static const char *var_name(const slaw_fit *f, size_t v)
{
    slaw_role role = slaw_law_var_role(slaw_fit_law(f), v);
    return role == SLAW_ROLE_X || role >= SLAW_ROLE_COUNT ? slaw_fit_variable(f, v)
                                                          : slaw_role_symbol(role);
}

static const char *var_cell(const slaw_fit *f, size_t v, double x, char *buf, size_t size)
{
    if (slaw_law_var_role(slaw_fit_law(f), v) == SLAW_ROLE_C) return format_sci(x, buf, size);
    return format_size(x, buf, size);
}

static const char *target_text(const plan_result *r, char *buf, size_t size)
{
    const slaw_plan_target *t = r->target;
    char a[32];
    bool one = slaw_law_var_count(slaw_fit_law(r->fit)) == 1;
    if (t->kind == SLAW_PLAN_COMPUTE)
        snprintf(buf, size, "the %s to reach loss %s",
                 one ? slaw_fit_variable(r->fit, 0) : "compute C",
                 format_value(t->loss, a, sizeof a));
    else if (t->kind == SLAW_PLAN_OPTIMUM)
        snprintf(buf, size, "the least loss at C = %s", format_sci(t->C, a, sizeof a));
    else {
        size_t o = (size_t)snprintf(buf, size, "the loss at");
        for (size_t v = 0; v < slaw_law_var_count(slaw_fit_law(r->fit)) && o < size; v++)
            o +=
                (size_t)snprintf(buf + o, size - o, "%s %s = %s", v ? "," : "", var_name(r->fit, v),
                                 var_cell(r->fit, v, t->vars[v], a, sizeof a));
    }
    return buf;
}

static const char *cost_unit(const plan_ctx *ctx, bool one)
{
    return one ? "x" : ctx->cost.opt.peak_flops > 0 ? "GPU-hours" : "FLOPs";
}

#define PLAN_TABLE_MAX (SLAW_MAX_VARS + 5)

/* A table row: lead, the run's variables, then the cells after them. */
static void table_run_row(text_table *t, const slaw_fit *f, const char *lead,
                          const slaw_plan_run *run, const char *const *after, size_t n_after)
{
    size_t nv = slaw_law_var_count(slaw_fit_law(f));
    char vars[SLAW_MAX_VARS][32];
    const char *row[PLAN_TABLE_MAX];
    size_t k = 0;
    row[k++] = lead;
    for (size_t v = 0; v < nv; v++) row[k++] = var_cell(f, v, run->vars[v], vars[v], 32);
    for (size_t a = 0; a < n_after; a++) row[k++] = after[a];
    table_row(t, row);
}

static text_table *run_table(const slaw_fit *f, const char *lead, const char *const *after,
                             size_t n_after)
{
    size_t nv = slaw_law_var_count(slaw_fit_law(f)), k = 0;
    const char *head[PLAN_TABLE_MAX];
    text_table *t = table_new(1 + nv + n_after);
    head[k++] = lead;
    for (size_t v = 0; v < nv; v++) head[k++] = var_name(f, v);
    for (size_t a = 0; a < n_after; a++) head[k++] = after[a];
    table_header(t, head);
    table_align_right(t, (1u << (k - (n_after == 4 ? 1 : 0))) - 1);
    return t;
}

static void print_table(const plan_ctx *ctx, const plan_result *r)
{
    bool one = slaw_law_var_count(slaw_fit_law(r->fit)) == 1;
    char a[120], b[32], c[32], d[32];
    char quantiles[48] = "";
    if (r->sum.method == SLAW_INTERVAL_T)
        snprintf(quantiles, sizeof quantiles, ", t(%zu) quantiles", slaw_fit_interval_dof(r->fit));
    printf("target   %s: %s, %g%% CI [%s, %s] (delta method%s)\n", target_text(r, a, sizeof a),
           format_value(r->sum.value, b, sizeof b), 100 * r->sum.level,
           format_value(r->sum.lo, c, sizeof c), format_value(r->sum.hi, d, sizeof d), quantiles);
    printf("value    expected shrinkage of the CI's width when the run is added, from the\n"
           "         information it adds at the fitted parameters");
    if (r->sum.samples) printf(", averaged over %zu bootstrap samples", r->sum.samples);
    char rule[48];
    if (ctx->cost.opt.flops_per_token > 0)
        snprintf(rule, sizeof rule, " (C = %g*D)", ctx->cost.opt.flops_per_token);
    else snprintf(rule, sizeof rule, " (C = 6*N*D)");
    printf("\ncost     %s%s; budget %s; per budget: the shrinkage per budget spent\n"
           "         (shrink / (cost / budget)); ranked by it\n\n",
           cost_unit(ctx, one),
           one                            ? " (the run's size)"
           : ctx->cost.opt.peak_flops > 0 ? ""
                                          : rule,
           format_sci(ctx->budget, b, sizeof b));
    text_table *t =
        run_table(r->fit, "rank", (const char *[]){"cost", "shrink", "per budget", ""}, 4);
    for (size_t k = 0; k < r->n; k++) {
        size_t i = r->order[k];
        char rank[24], cost[32], shrink[32], per[32];
        snprintf(rank, sizeof rank, "%zu", k + 1);
        format_sci(r->runs[i].cost, cost, sizeof cost);
        snprintf(shrink, sizeof shrink, "%.2f%%", 100 * r->runs[i].shrink);
        snprintf(per, sizeof per, "%.3g", r->runs[i].value * ctx->budget);
        table_run_row(
            t, r->fit, rank, &r->runs[i],
            (const char *[]){cost, shrink, per, r->runs[i].cost > ctx->budget ? "over budget" : ""},
            4);
    }
    table_print(t, stdout, "");
    table_free(t);
    double spent = 0;
    for (size_t m = 0; m < r->n_chosen; m++) spent += r->runs[r->chosen[m]].cost;
    printf("\nbest %zu of --runs %zu within the budget (greedy: each the run that removes "
           "the most width\ngiven those before; %s of %s %s):\n\n",
           r->n_chosen, ctx->runs, format_sci(spent, b, sizeof b),
           format_sci(ctx->budget, c, sizeof c), cost_unit(ctx, one));
    if (!r->n_chosen) {
        printf("  no candidate run fits the budget\n");
        return;
    }
    t = run_table(r->fit, "pick", (const char *[]){"cost", "CI width removed so far"}, 2);
    for (size_t m = 0; m < r->n_chosen; m++) {
        char pick[24], so_far[32], cost[32];
        snprintf(pick, sizeof pick, "%zu", m + 1);
        snprintf(so_far, sizeof so_far, "%.2f%%", 100 * r->shrink[m]);
        format_sci(r->runs[r->chosen[m]].cost, cost, sizeof cost);
        table_run_row(t, r->fit, pick, &r->runs[r->chosen[m]], (const char *[]){cost, so_far}, 2);
    }
    table_print(t, stdout, "  ");
    table_free(t);
}

static cJSON *run_json(const plan_result *r, size_t i, bool one)
{
    const slaw_plan_run *run = &r->runs[i];
    cJSON *o = cJSON_CreateObject();
    for (size_t v = 0; v < slaw_law_var_count(slaw_fit_law(r->fit)); v++)
        cJSON_AddItemToObject(o, one ? "x" : var_name(r->fit, v), json_number(run->vars[v]));
    cJSON_AddItemToObject(o, "cost", json_number(run->cost));
    cJSON_AddItemToObject(o, "shrink", json_number(run->shrink));
    cJSON_AddItemToObject(o, "value", json_number(run->value));
    return o;
}

static int print_json_report(const plan_ctx *ctx, const plan_result *r)
{
    static const char *const kinds[] = {"point", "optimum", "compute"};
    bool one = slaw_law_var_count(slaw_fit_law(r->fit)) == 1;
    const slaw_plan_target *t = r->target;
    cJSON *doc = cJSON_CreateObject();
    cJSON *target = cJSON_AddObjectToObject(doc, "target");
    cJSON_AddStringToObject(target, "kind", kinds[t->kind]);
    for (size_t v = 0; t->kind == SLAW_PLAN_POINT && v < slaw_law_var_count(slaw_fit_law(r->fit));
         v++)
        cJSON_AddItemToObject(target, one ? "x" : var_name(r->fit, v), json_number(t->vars[v]));
    if (t->kind == SLAW_PLAN_OPTIMUM) cJSON_AddItemToObject(target, "C", json_number(t->C));
    if (t->kind == SLAW_PLAN_COMPUTE) cJSON_AddItemToObject(target, "loss", json_number(t->loss));
    cJSON_AddItemToObject(target, "value", json_number(r->sum.value));
    cJSON *ci = cJSON_AddArrayToObject(target, "ci");
    cJSON_AddItemToArray(ci, json_number(r->sum.lo));
    cJSON_AddItemToArray(ci, json_number(r->sum.hi));
    cJSON_AddNumberToObject(doc, "level", r->sum.level);
    cJSON_AddNumberToObject(doc, "samples", (double)r->sum.samples);
    cJSON_AddStringToObject(doc, "cost_unit", cost_unit(ctx, one));
    cJSON_AddItemToObject(doc, "budget", json_number(ctx->budget));
    cJSON *cands = cJSON_AddArrayToObject(doc, "candidates");
    for (size_t k = 0; k < r->n; k++) {
        cJSON *o = run_json(r, r->order[k], one);
        cJSON_AddBoolToObject(o, "affordable", r->runs[r->order[k]].cost <= ctx->budget);
        cJSON_AddItemToArray(cands, o);
    }
    cJSON *best = cJSON_AddArrayToObject(doc, "best");
    for (size_t m = 0; m < r->n_chosen; m++) {
        cJSON *o = run_json(r, r->chosen[m], one);
        cJSON_AddItemToObject(o, "removed_so_far", json_number(r->shrink[m]));
        cJSON_AddItemToArray(best, o);
    }
    return print_json(doc);
}

/* ---------------------------------------------------------------- run */

static const slaw_fit *pick_fit(const plan_ctx *ctx, const slaw_artifact *a)
{
    size_t n = slaw_artifact_fit_count(a);
    if (!ctx->group) {
        if (n == 1) return slaw_artifact_fit(a, 0);
        cli_usage_error(ctx->cmd, "the fit has %zu groups: choose one with --group NAME", n);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        const char *g = slaw_fit_group(slaw_artifact_fit(a, i));
        if (g && !strcmp(g, ctx->group)) return slaw_artifact_fit(a, i);
    }
    const char *why = slaw_artifact_group_failure(a, ctx->group);
    if (why)
        cli_usage_error(ctx->cmd, "--group '%s': the group was not fitted (%s)", ctx->group, why);
    else cli_usage_error(ctx->cmd, "--group '%s': the fit has no such group", ctx->group);
    return NULL;
}

static int plan(const plan_ctx *ctx, const slaw_artifact *a, const slaw_fit *f)
{
    plan_result r = {.fit = f};
    slaw_plan_target t;
    slaw_forecast_options fo;
    slaw_error err;
    int st = plan_target_parse(ctx->cmd, ctx->target, a, f, &t);
    if (!st) st = plan_candidates_parse(ctx->cmd, ctx->candidates, &ctx->cost, a, f, &r.runs, &r.n);
    if (st) return st;
    r.target = &t;
    slaw_forecast_options_init(&fo, a);
    if (ctx->level) fo.level = ctx->level;
    held_request held;
    if ((st = plan_forecast_options(ctx->cmd, ctx->target, a, f, &ctx->held, &ctx->cost, &t, &held,
                                    &fo)))
        goto out;
    size_t k = ctx->runs < 64 ? ctx->runs : 64;
    if (slaw_plan_rank(f, &t, &fo, r.runs, r.n, &r.sum, &err) != SLAW_OK ||
        slaw_plan_greedy(f, &t, &fo, r.runs, r.n, ctx->budget, k, r.chosen, &r.n_chosen, r.shrink,
                         &err) != SLAW_OK) {
        st = err.code == SLAW_EUSAGE ? cli_usage_error(ctx->cmd, "%s", CLI_MESSAGE(&err))
                                     : cli_fail(&err);
        goto out;
    }
    if (!(r.order = malloc(r.n * sizeof *r.order))) {
        st = cli_nomem();
        goto out;
    }
    for (size_t i = 0; i < r.n; i++) r.order[i] = i;
    sort_ctx = &r;
    qsort(r.order, r.n, sizeof *r.order, by_value);
    if (ctx->format == OUTPUT_JSON) st = print_json_report(ctx, &r);
    else print_table(ctx, &r);
out:
    free(r.order);
    free(r.runs);
    return st;
}

static int run_plan(const cli_command *cmd, int argc, char **argv)
{
    plan_ctx ctx = {.cmd = cmd, .runs = 3, .format = OUTPUT_TABLE};
    cost_request_init(&ctx.cost);
    held_request_init(&ctx.held);
    int first, st = cli_parse(cmd, argc, argv, on_option, &ctx, &first);
    if (st) return st < 0 ? EXIT_PASS : st;
    if (first >= argc) return cli_usage_error(cmd, "no fit artifact: give FIT.json");
    if (argc - first > 1) return cli_usage_error(cmd, "one fit artifact at a time");
    if (!ctx.target)
        return cli_usage_error(cmd, "no target: give --target N=70B,D=1.4T (or C=..., "
                                    "loss=...)");
    if (!ctx.candidates)
        return cli_usage_error(cmd, "no candidates: give --candidates "
                                    "N=LO:HI:K,D=LO:HI:K");
    if (!(ctx.budget > 0)) return cli_usage_error(cmd, "no budget: give --budget B");
    slaw_artifact *a = NULL;
    if ((st = artifact_load(argv[first], &a))) return st;
    const slaw_fit *f = pick_fit(&ctx, a);
    st = f ? plan(&ctx, a, f) : EXIT_USAGE;
    slaw_artifact_free(a);
    return st;
}

static const cli_option *const plan_groups[] = {plan_options, cost_options, common_options, NULL};

const cli_command cmd_plan = {
    .name = "plan",
    .synopsis = "FIT.json --target SPEC --candidates SPEC --budget B [options]",
    .summary =
        "Which run to train next: candidate runs ranked by how much each narrows a forecast.",
    .details = "For each candidate run, the expected shrinkage of the target's confidence\n"
               "interval if the run were added to the fit, from the information it adds at\n"
               "the fitted parameters (linearised; averaged over the bootstrap samples when\n"
               "the fit has them), and that shrinkage per unit of the run's cost.  Then the\n"
               "best --runs K runs within --budget, chosen greedily: each adds the most\n"
               "width removed per unit of cost given those before it.  Costs are FLOPs\n"
               "(C = 6*N*D) or, with --gpu or --peak-flops, GPU-hours.\n",
    .groups = plan_groups,
    .run = run_plan,
};
