/* cmd_optimal.c — `slaw optimal`: the compute-optimal frontier of a fit:
 * N*, D*, D* / N* and the loss at log-spaced budgets. */
#include "forecast_report.h"
#include "held_options.h"
#include "input.h"
#include "interval_options.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_STEPS 1000

typedef struct optimal_ctx {
    const cli_command *cmd;
    double from, to;
    size_t steps;
    interval_request iv;
    bool cost;
    cost_request cost_req;
    output_format format;
    held_request held; /* --unique-tokens, --hold, --at */
} optimal_ctx;

static const cli_option optimal_options[] = {
    {"from", 0, "C", OPT_FROM, "the smallest budget, FLOPs (required)"},
    {"to", 0, "C", OPT_TO, "the largest budget, FLOPs (required)"},
    {"steps", 0, "K", OPT_STEPS, "budgets, log-spaced from --from to --to (default 9)"},
    {"compute", 0, "C", OPT_COMPUTE, "one budget: the same as --from C --to C"},
    {"unique-tokens", 0, "U", OPT_UNIQUE_TOKENS,
     "the unique tokens U (a data-constrained law): the best N and D under that limit"},
    {"hold", 0, "POINT", OPT_HOLD,
     "values of the other variables a budget does not set, e.g. U=25B (a formula's: by column)"},
    {"at", 0, "POINT", OPT_AT, "the same as --hold"},
    {"cost", 0, NULL, OPT_COST, "add what each budget costs to train (see the cost options)"},
    {"format", 0, "FMT", OPT_FORMAT, "output: table (default), json or csv"},
    {0},
};

static int on_option(void *vctx, option_id id, const char *arg)
{
    optimal_ctx *ctx = vctx;
    switch (id) {
    case OPT_FROM: return parse_positive(ctx->cmd, "--from", arg, &ctx->from) ? 0 : EXIT_USAGE;
    case OPT_TO: return parse_positive(ctx->cmd, "--to", arg, &ctx->to) ? 0 : EXIT_USAGE;
    case OPT_STEPS:
        if (!parse_count(ctx->cmd, "--steps", arg, &ctx->steps)) return EXIT_USAGE;
        if (ctx->steps < 1 || ctx->steps > MAX_STEPS)
            return cli_usage_error(ctx->cmd, "--steps must be 1 to %d", MAX_STEPS);
        return 0;
    case OPT_COMPUTE:
        if (!parse_positive(ctx->cmd, "--compute", arg, &ctx->from)) return EXIT_USAGE;
        ctx->to = ctx->from;
        return 0;
    case OPT_AT: return held_option(ctx->cmd, &ctx->held, OPT_HOLD, arg);
    case OPT_COST: ctx->cost = true; return 0;
    case OPT_FORMAT:
        return output_format_option(
            ctx->cmd, arg, 1u << OUTPUT_TABLE | 1u << OUTPUT_JSON | 1u << OUTPUT_CSV, &ctx->format);
    default: break;
    }
    int st = interval_option(ctx->cmd, &ctx->iv, id, arg);
    if (st == 1) st = held_option(ctx->cmd, &ctx->held, id, arg);
    if (st == 1) st = cost_option(ctx->cmd, &ctx->cost_req, id, arg);
    return st == 1 ? cli_usage_error(ctx->cmd, "unexpected option") : st;
}

static int check(const optimal_ctx *ctx)
{
    if (!(ctx->from > 0) || !(ctx->to > 0))
        return cli_usage_error(
            ctx->cmd, "give the budgets with --from C and --to C, or one with --compute C");
    if (ctx->from > ctx->to)
        return cli_usage_error(ctx->cmd, "--from %g is above --to %g", ctx->from, ctx->to);
    if (ctx->steps == 1 && ctx->from != ctx->to)
        return cli_usage_error(ctx->cmd, "--steps 1 gives one budget: make --from equal --to");
    return 0;
}

/* The frontier of one fit. */
static int frontier(const optimal_ctx *ctx, const slaw_fit *f, const slaw_forecast_options *fopt,
                    forecast_report *rep)
{
    slaw_error err;
    for (size_t i = 0; i < ctx->steps; i++) {
        double t = ctx->steps > 1 ? (double)i / (double)(ctx->steps - 1) : 0;
        double C = i + 1 == ctx->steps ? ctx->to : ctx->from * pow(ctx->to / ctx->from, t);
        report_row row = {.kind = REPORT_OPTIMUM, .fit = f};
        if (slaw_optimal_compute(f, C, fopt, &row.u.optimum, &err) != SLAW_OK)
            return cli_fail(&err);
        if (ctx->cost)
            row.has_cost = cost_of_run(&ctx->cost_req, row.u.optimum.N.value, row.u.optimum.D.value,
                                       &row.cost);
        if (!forecast_report_add(rep, &row)) {
            return cli_nomem();
        }
    }
    return 0;
}

static int run_optimal(const cli_command *cmd, int argc, char **argv)
{
    optimal_ctx ctx = {.cmd = cmd, .steps = 9};
    forecast_report rep = {0};
    slaw_artifact *a = NULL;
    slaw_forecast_options fopt;
    interval_request_init(&ctx.iv);
    cost_request_init(&ctx.cost_req);
    held_request_init(&ctx.held);
    int first, st = cli_parse(cmd, argc, argv, on_option, &ctx, &first);
    if (st) goto out;
    if (first >= argc) {
        st = cli_usage_error(cmd, "no fit artifact: give FIT.json (written by slaw fit --out)");
        goto out;
    }
    if (first + 1 < argc) {
        st = cli_usage_error(cmd, "unexpected argument '%s' (one artifact at a time)",
                             argv[first + 1]);
        goto out;
    }
    if ((st = check(&ctx)) || (st = artifact_load(argv[first], &a))) goto out;
    if (ctx.from == ctx.to) ctx.steps = 1; /* one budget, not --steps copies of it */
    const slaw_fit *f0 = slaw_artifact_fit(a, 0);
    if (!slaw_law_has_budget(slaw_fit_law(f0))) {
        st = budget_usage_error(cmd, "the frontier", slaw_fit_law(f0));
        goto out;
    }
    if ((st = held_check(cmd, &ctx.held, slaw_fit_law(f0)))) goto out;
    ctx.cost |= ctx.cost_req.given;
    interval_request_apply(&ctx.iv, a, &fopt);
    fopt.flops_per_token = ctx.cost_req.opt.flops_per_token; /* refused along a budget */
    if (ctx.held.given) fopt.held = &ctx.held.point;
    rep = (forecast_report){.artifact = a,
                            .path = argv[first],
                            .optimum_section = "frontier",
                            .level = fopt.level,
                            .method = fopt.method,
                            .space = fopt.space,
                            .max_extrapolation = ctx.iv.max_extrapolation,
                            .cost = ctx.cost,
                            .cost_req = ctx.cost_req,
                            .grouped = slaw_fit_group(f0) != NULL};
    rep.target_name = slaw_artifact_role_column(a, SLAW_ROLE_L, NULL);
    if (!rep.target_name) rep.target_name = "loss";
    for (size_t i = 0; i < slaw_artifact_fit_count(a); i++)
        if ((st = frontier(&ctx, slaw_artifact_fit(a, i), &fopt, &rep))) goto out;
    forecast_report_warn(&rep);
    st = forecast_report_print(&rep, ctx.format);
out:
    forecast_report_free(&rep);
    slaw_artifact_free(a);
    return st < 0 ? EXIT_PASS : st;
}

static const cli_option *const optimal_groups[] = {optimal_options, interval_options, cost_options,
                                                   common_options, NULL};

const cli_command cmd_optimal = {
    .name = "optimal",
    .synopsis = "FIT.json (--from C --to C [--steps K] | --compute C) [options]",
    .summary = "The compute-optimal frontier of a fit: N*, D*, D*/N* and the loss per budget.",
    .details = "Budgets are log-spaced from --from to --to; at each, the law is minimised along\n"
               "C = 6*N*D (in closed form where the law has one, as chinchilla does; else\n"
               "numerically).  A law of other variables too holds them at given values: the\n"
               "unique tokens with --unique-tokens U (muennighoff), others with --hold.  The\n"
               "intervals and the extrapolation marks are those of slaw forecast.  Examples:\n"
               "  slaw optimal fit.json --from 1e18 --to 1e26 --steps 9\n"
               "  slaw optimal data-constrained.json --compute 1e22 --unique-tokens 25B\n",
    .groups = optimal_groups,
    .run = run_optimal,
};
