/* cmd_plot.c — `slaw plot`: a fit as a picture (the fit, its residuals, the
 * compute-optimal frontier, IsoFLOP profiles, a check against a baseline).
 * The library writes the gnuplot script; this file loads what it needs,
 * and either saves the script (--script) or has gnuplot draw it. */
#include "gnuplot.h"
#include "input.h"
#include "plan_options.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_POINTS 16

typedef struct plot_ctx {
    const cli_command *cmd;
    input_request input;
    slaw_plot_options opt;
    const char *out, *script, *baseline;
    const char *budget; /* isoflop: a column; plan: a number */
    const char *plan_target, *plan_candidates;
    size_t plan_picks;
    slaw_point points[MAX_POINTS];
    slaw_point hold;       /* --hold */
    held_request held;     /* plan: --unique-tokens */
    cost_request cost;     /* plan: what a run costs, and the compute model */
    bool given[OPT_COUNT]; /* each option given */
} plot_ctx;

static const cli_option plot_options[] = {
    {"out", 'o', "FILE", OPT_OUT, "the picture: FILE.png, FILE.svg or FILE.pdf (required)"},
    {"kind", 'k', "KIND", OPT_KIND,
     "fit (default), residuals, frontier, isoflop, check, "
     "compute, tokens-per-param or plan"},
    {"script", 0, "FILE", OPT_SCRIPT, "write the gnuplot script to FILE instead of drawing"},
    {"size", 0, "WxH", OPT_SIZE, "picture size in pixels (default 1200x800; PDF: points)"},
    {"title", 0, "TEXT", OPT_TITLE, "the title (default: the law and its parameters)"},
    {"to", 0, "V", OPT_TO, "curves run to N = V (frontier: C = V; default a decade past the runs)"},
    {"level", 0, "P", OPT_LEVEL, "level of the bands and intervals (default 0.95)"},
    {"group", 0, "NAME", OPT_GROUP, "a grouped fit: draw this group only"},
    {"color-by", 0, "COL", OPT_COLOR_BY, "colour the runs and their curves by a column of RUNS"},
    {"hold", 0, "U=VALUE", OPT_HOLD,
     "a law of N, D and U: curves at this U, with the runs at it (default: a curve per U)"},
    {"baseline", 'b', "BASE.json", OPT_BASELINE, "check: the baseline fit to draw against"},
    {"at", 0, "POINT", OPT_AT, "check: compare the forecasts at POINT (N=7B,D=140B); repeatable"},
    {"budget", 0, "COL", OPT_BUDGET,
     "isoflop: the column naming each run's compute budget; "
     "plan: the FLOPs the runs may cost"},
    {"bin", 0, "TOL", OPT_BIN, "isoflop: or bin C, runs within TOL of a bin's smallest C"},
    {"target", 0, "SPEC", OPT_TARGET, "plan: the target, as for slaw plan (N=70B,D=1.4T)"},
    {"candidates", 0, "SPEC", OPT_CANDIDATES, "plan: the candidate runs, N=LO:HI:K,D=LO:HI:K"},
    {"runs", 0, "K", OPT_RUNS, "plan: how many runs to pick within --budget FLOPs (default 3)"},
    {"unique-tokens", 0, "U", OPT_UNIQUE_TOKENS,
     "plan: the unique tokens U, held along the budget of a C= or loss= target"},
    {0},
};

/* The input options that make sense here: columns (a fit's runs are
 * otherwise read with the fit's own), and filters for the isoflop kind
 * (a fit's runs are filtered as the fit's were). */
static const cli_option plot_input_options[] = {
    {"format-in", 0, "FMT", OPT_FORMAT_IN, "input format: csv, json or jsonl (default: detect)"},
    {"n", 0, "COL", OPT_N, "the model-size column (N), a name or dotted JSON path"},
    {"d", 0, "COL", OPT_D, "the training-tokens column (D)"},
    {"c", 0, "COL", OPT_C, "the training-compute column (C, FLOPs)"},
    {"y", 0, "COL", OPT_Y, "the target column (L; default: the fit's, or the loss column)"},
    {"where", 0, "EXPR", OPT_WHERE, "isoflop: keep runs where 'COL OP VALUE' holds (repeatable)"},
    {"best-per", 0, "COLS", OPT_BEST_PER, "isoflop: keep the run of lowest loss per value of COLS"},
    {"mean-per", 0, "COLS", OPT_MEAN_PER, "isoflop: average the runs per value of COLS"},
    {"drop-top-loss", 0, "K", OPT_DROP_TOP_LOSS, "isoflop: drop the K runs with the highest loss"},
    {0},
};

static bool given(const plot_ctx *ctx, option_id id)
{
    return ctx->given[id];
}

static int parse_size(plot_ctx *ctx, const char *arg)
{
    char *end;
    unsigned long w = strtoul(arg, &end, 10), h = 0;
    bool ok = end != arg && (*end == 'x' || *end == 'X') && arg[0] != '-';
    if (ok) {
        const char *rest = end + 1;
        h = strtoul(rest, &end, 10);
        ok = end != rest && !*end && rest[0] != '-';
    }
    if (!ok || w < SLAW_PLOT_MIN_SIZE || w > SLAW_PLOT_MAX_SIZE || h < SLAW_PLOT_MIN_SIZE ||
        h > SLAW_PLOT_MAX_SIZE)
        return cli_usage_error(ctx->cmd,
                               "--size '%s': expected WIDTHxHEIGHT, each %d to %d "
                               "(e.g. 1200x800)",
                               arg, SLAW_PLOT_MIN_SIZE, SLAW_PLOT_MAX_SIZE);
    ctx->opt.width = (unsigned)w;
    ctx->opt.height = (unsigned)h;
    return 0;
}

static int plot_option(plot_ctx *ctx, option_id id, const char *arg)
{
    slaw_error err;
    switch (id) {
    case OPT_OUT: ctx->out = arg; return 0;
    case OPT_SCRIPT: ctx->script = arg; return 0;
    case OPT_TITLE: ctx->opt.title = arg; return 0;
    case OPT_GROUP: ctx->opt.group = arg; return 0;
    case OPT_COLOR_BY: ctx->opt.color_by = arg; return 0;
    case OPT_HOLD:
        if (slaw_point_parse(arg, &ctx->hold, &err) != SLAW_OK)
            return cli_usage_error(ctx->cmd, "--hold '%s': %s", arg, CLI_MESSAGE(&err));
        ctx->opt.hold = &ctx->hold;
        return 0;
    case OPT_BASELINE: ctx->baseline = arg; return 0;
    case OPT_SIZE: return parse_size(ctx, arg);
    case OPT_KIND:
        if (!slaw_plot_kind_parse(arg, &ctx->opt.kind))
            return cli_usage_error(ctx->cmd,
                                   "--kind '%s': expected fit, residuals, frontier, "
                                   "isoflop, check, compute, tokens-per-param or plan",
                                   arg);
        return 0;
    case OPT_TO: return parse_positive(ctx->cmd, "--to", arg, &ctx->opt.to) ? 0 : EXIT_USAGE;
    case OPT_BIN:
        return parse_positive(ctx->cmd, "--bin", arg, &ctx->opt.isoflop.bin) ? 0 : EXIT_USAGE;
    case OPT_BUDGET: ctx->budget = arg; return 0; /* its meaning depends on --kind */
    case OPT_TARGET: ctx->plan_target = arg; return 0;
    case OPT_CANDIDATES: ctx->plan_candidates = arg; return 0;
    case OPT_RUNS:
        if (!parse_count(ctx->cmd, "--runs", arg, &ctx->plan_picks)) return EXIT_USAGE;
        return ctx->plan_picks ? 0 : cli_usage_error(ctx->cmd, "--runs must be at least 1");
    case OPT_LEVEL: return parse_level(ctx->cmd, arg, &ctx->opt.level) ? 0 : EXIT_USAGE;
    case OPT_AT:
        if (ctx->opt.n_points == MAX_POINTS)
            return cli_usage_error(ctx->cmd, "too many --at options (at most %d)", MAX_POINTS);
        if (slaw_point_parse(arg, &ctx->points[ctx->opt.n_points], &err) != SLAW_OK)
            return cli_usage_error(ctx->cmd, "--at '%s': %s", arg, CLI_MESSAGE(&err));
        ctx->opt.n_points++;
        return 0;
    default: return 1;
    }
}

static int on_option(void *vctx, option_id id, const char *arg)
{
    plot_ctx *ctx = vctx;
    int st = plot_option(ctx, id, arg);
    if (st == 1 && id == OPT_UNIQUE_TOKENS) st = held_option(ctx->cmd, &ctx->held, id, arg);
    if (st == 1) st = cost_option(ctx->cmd, &ctx->cost, id, arg);
    if (st == 1) st = input_option(ctx->cmd, &ctx->input, id, arg);
    if (st == 1) return cli_usage_error(ctx->cmd, "unexpected option");
    if (st == 0) ctx->given[id] = true;
    return st;
}

/* ------------------------------------------------------------- checking */

/* Options that belong to other kinds than the one asked for. */
static int check_kind_options(plot_ctx *ctx)
{
    static const struct {
        option_id id;
        const char *name;
        slaw_plot_kind kind;
    } only[] = {{OPT_BASELINE, "--baseline", SLAW_PLOT_CHECK},
                {OPT_AT, "--at", SLAW_PLOT_CHECK},
                {OPT_BIN, "--bin", SLAW_PLOT_ISOFLOP},
                {OPT_TARGET, "--target", SLAW_PLOT_PLAN},
                {OPT_CANDIDATES, "--candidates", SLAW_PLOT_PLAN},
                {OPT_RUNS, "--runs", SLAW_PLOT_PLAN},
                {OPT_UNIQUE_TOKENS, "--unique-tokens", SLAW_PLOT_PLAN},
                {OPT_FLOPS_PER_TOKEN, "--flops-per-token", SLAW_PLOT_PLAN},
                {OPT_GPU, "--gpu", SLAW_PLOT_PLAN},
                {OPT_PEAK_FLOPS, "--peak-flops", SLAW_PLOT_PLAN},
                {OPT_MFU, "--mfu", SLAW_PLOT_PLAN},
                {OPT_GPUS, "--gpus", SLAW_PLOT_PLAN},
                {OPT_PRICE, "--price-per-gpu-hour", SLAW_PLOT_PLAN},
                {OPT_WHERE, "--where", SLAW_PLOT_ISOFLOP},
                {OPT_BEST_PER, "--best-per", SLAW_PLOT_ISOFLOP},
                {OPT_MEAN_PER, "--mean-per", SLAW_PLOT_ISOFLOP},
                {OPT_DROP_TOP_LOSS, "--drop-top-loss", SLAW_PLOT_ISOFLOP}};
    slaw_plot_kind kind = ctx->opt.kind;
    for (size_t i = 0; i < sizeof only / sizeof only[0]; i++) {
        if (!given(ctx, only[i].id) || only[i].kind == kind) continue;
        if (only[i].id == OPT_WHERE || only[i].id == OPT_DROP_TOP_LOSS ||
            only[i].id == OPT_BEST_PER || only[i].id == OPT_MEAN_PER)
            return cli_usage_error(ctx->cmd,
                                   "%s: the runs are filtered as the fit's were (it "
                                   "belongs to --kind isoflop, which reads runs alone)",
                                   only[i].name);
        return cli_usage_error(ctx->cmd, "%s belongs to --kind %s", only[i].name,
                               slaw_plot_kind_name(only[i].kind));
    }
    if (kind == SLAW_PLOT_ISOFLOP && (given(ctx, OPT_GROUP) || given(ctx, OPT_TO)))
        return cli_usage_error(ctx->cmd, "%s: --kind isoflop draws runs, not a fit",
                               given(ctx, OPT_GROUP) ? "--group" : "--to");
    if (kind == SLAW_PLOT_RESIDUALS && given(ctx, OPT_TO))
        return cli_usage_error(ctx->cmd, "--to: --kind residuals draws no curves");
    if (given(ctx, OPT_COLOR_BY) && (kind == SLAW_PLOT_FRONTIER || kind == SLAW_PLOT_ISOFLOP ||
                                     kind == SLAW_PLOT_CHECK || kind == SLAW_PLOT_PLAN))
        return cli_usage_error(ctx->cmd,
                               "--color-by: --kind %s colours by its own rule (it "
                               "belongs to fit, residuals, compute and tokens-per-param)",
                               slaw_plot_kind_name(kind));
    if (given(ctx, OPT_BUDGET) && kind != SLAW_PLOT_ISOFLOP && kind != SLAW_PLOT_PLAN)
        return cli_usage_error(ctx->cmd, "--budget belongs to --kind isoflop or plan");
    if (kind == SLAW_PLOT_ISOFLOP && ctx->budget && ctx->opt.isoflop.bin)
        return cli_usage_error(ctx->cmd, "give --budget COL or --bin TOL, not both");
    if (kind == SLAW_PLOT_ISOFLOP && ctx->budget) {
        ctx->opt.isoflop.budget = ctx->budget;
        if (ctx->input.n_extra < sizeof ctx->input.extra / sizeof ctx->input.extra[0])
            ctx->input.extra[ctx->input.n_extra++] = ctx->budget; /* JSON: reach it by path */
    }
    if (kind == SLAW_PLOT_PLAN && (!ctx->plan_target || !ctx->plan_candidates || !ctx->budget))
        return cli_usage_error(ctx->cmd, "--kind plan needs --target, --candidates and --budget");
    if (kind == SLAW_PLOT_CHECK && !ctx->baseline)
        return cli_usage_error(ctx->cmd, "--kind check needs --baseline BASE.json");
    return 0;
}

/* The operands, the output and the script, taken together. */
static int check_usage(plot_ctx *ctx, char **operands, size_t n)
{
    slaw_plot_format format;
    if (!ctx->out)
        return cli_usage_error(ctx->cmd, "no output: give -o FILE.png, FILE.svg or FILE.pdf");
    if (!slaw_plot_format_of(ctx->out, &format))
        return cli_usage_error(ctx->cmd,
                               "-o %s: the picture's format comes from its name: end it "
                               "in .png, .svg or .pdf",
                               ctx->out);
    ctx->opt.format = format;
    int st = check_kind_options(ctx);
    if (st) return st;
    if (!n)
        return cli_usage_error(ctx->cmd, ctx->opt.kind == SLAW_PLOT_ISOFLOP
                                             ? "no input: give the runs to analyse"
                                             : "no fit artifact: give FIT.json (slaw fit --out)");
    if (ctx->opt.kind == SLAW_PLOT_CHECK && n > 1)
        return cli_usage_error(ctx->cmd,
                               "unexpected argument '%s': --kind check draws two fits "
                               "(NEW.json --baseline BASE.json), not runs",
                               operands[1]);
    if (ctx->script && !strcmp(ctx->script, ctx->out))
        return cli_usage_error(ctx->cmd, "--script %s is the picture's file too", ctx->script);
    /* The operands, then the baseline: no output may be one of them. */
    char *baseline[1] = {(char *)ctx->baseline};
    size_t n_base = ctx->baseline != NULL;
    st = refuse_overwriting_input(ctx->cmd, ctx->out, operands, n);
    if (!st) st = refuse_overwriting_input(ctx->cmd, ctx->out, baseline, n_base);
    if (!st && ctx->script) st = refuse_overwriting(ctx->cmd, "--script", ctx->script, operands, n);
    if (!st && ctx->script)
        st = refuse_overwriting(ctx->cmd, "--script", ctx->script, baseline, n_base);
    return st;
}

/* -------------------------------------------------------------- loading */

/* RUNS loaded the way the fit read its runs: its columns (unless named on
 * the command line), its filters. */
static int load_fit_runs(const plot_ctx *ctx, const slaw_artifact *a, char **paths, size_t n,
                         loaded_runs *lr)
{
    input_request req = ctx->input;
    input_request_as_fitted(&req, a);
    return input_load_selected(&req, paths, n, lr);
}

/* The fit a plan's target is read for: the group's, else the first. */
static const slaw_fit *plan_fit(const plot_ctx *ctx, const slaw_artifact *a)
{
    for (size_t i = 0; ctx->opt.group && i < slaw_artifact_fit_count(a); i++) {
        const char *g = slaw_fit_group(slaw_artifact_fit(a, i));
        if (g && !strcmp(g, ctx->opt.group)) return slaw_artifact_fit(a, i);
    }
    return slaw_artifact_fit(a, 0);
}

/* --kind plan: the target and candidates read for a's law, priced and held
 * as slaw plan prices and holds them (--unique-tokens or --hold U, the
 * cost options), so the plot draws the plan slaw plan prints. */
static int plan_script(plot_ctx *ctx, const slaw_artifact *a, char **text)
{
    slaw_plan_target t;
    slaw_plot_plan plan = {.target = &t, .picks = ctx->plan_picks};
    slaw_error err;
    slaw_forecast_options fo;
    held_request req = ctx->held, held;
    const slaw_fit *f = plan_fit(ctx, a);
    slaw_plan_run *runs = NULL;
    if (ctx->opt.hold) {
        if (!isnan(ctx->opt.hold->U) && !isnan(req.point.U))
            return cli_usage_error(ctx->cmd, "the unique tokens U are given twice");
        slaw_point_fill(&req.point, ctx->opt.hold);
        req.given = true;
    }
    slaw_forecast_options_init(&fo, a);
    int st = parse_positive(ctx->cmd, "--budget", ctx->budget, &plan.budget) ? 0 : EXIT_USAGE;
    if (!st) st = plan_target_parse(ctx->cmd, ctx->plan_target, a, f, &t);
    if (!st)
        st = plan_forecast_options(ctx->cmd, ctx->plan_target, a, f, &req, &ctx->cost, &t, &held,
                                   &fo);
    if (!st)
        st = plan_candidates_parse(ctx->cmd, ctx->plan_candidates, &ctx->cost, a, f, &runs,
                                   &plan.n_runs);
    plan.runs = runs;
    plan.held = fo.held;
    plan.flops_per_token = fo.flops_per_token;
    if (!st && slaw_plot_plan_script(a, &ctx->opt, &plan, text, &err) != SLAW_OK)
        st = cli_fail(&err);
    free(runs);
    return st;
}

/* The script for the loaded inputs; *text is the caller's to free. */
static int write_script(plot_ctx *ctx, const slaw_artifact *a, char **text)
{
    slaw_error err;
    ctx->opt.output = ctx->script ? ctx->out : NULL; /* drawing: the picture comes on stdout */
    ctx->opt.points = ctx->points;
    if (ctx->opt.kind == SLAW_PLOT_PLAN) return plan_script(ctx, a, text);
    if (slaw_plot_script(a, &ctx->opt, text, &err) != SLAW_OK) return cli_fail(&err);
    return 0;
}

static int run_plot(const cli_command *cmd, int argc, char **argv)
{
    plot_ctx ctx = {.cmd = cmd};
    slaw_artifact *a = NULL, *base = NULL;
    loaded_runs lr = {0};
    char *text = NULL;
    int first, st;
    input_request_init(&ctx.input);
    slaw_plot_options_init(&ctx.opt);
    held_request_init(&ctx.held);
    cost_request_init(&ctx.cost);
    if ((st = cli_parse(cmd, argc, argv, on_option, &ctx, &first))) return st < 0 ? EXIT_PASS : st;
    char **operands = argv + first;
    size_t n = (size_t)(argc - first);
    if ((st = check_usage(&ctx, operands, n))) return st;
    if (ctx.opt.kind == SLAW_PLOT_ISOFLOP) {
        st = input_load_selected(&ctx.input, operands, n, &lr);
    } else {
        st = artifact_load(operands[0], &a);
        if (!st && ctx.baseline) st = artifact_load(ctx.baseline, &base);
        if (!st && n > 1) st = load_fit_runs(&ctx, a, operands + 1, n - 1, &lr);
    }
    if (st) goto out;
    ctx.opt.runs = lr.runs;
    ctx.opt.runs_removed = lr.runs ? lr.read - slaw_runs_count(lr.runs) : 0;
    ctx.opt.baseline = base;
    if ((st = write_script(&ctx, a, &text))) goto out;
    if (ctx.script) {
        slaw_error err;
        if (slaw_write_file_atomic(ctx.script, text, strlen(text), &err) != SLAW_OK)
            st = cli_fail(&err);
    } else {
        st = gnuplot_draw(text, strlen(text), ctx.out);
    }
out:
    free(text);
    loaded_runs_free(&lr);
    slaw_artifact_free(base);
    slaw_artifact_free(a);
    return st;
}

static const cli_option *const plot_groups[] = {plot_options, plot_input_options, cost_options,
                                                common_options, NULL};

const cli_command cmd_plot = {
    .name = "plot",
    .synopsis = "FIT.json [RUNS...] -o OUT.png|svg|pdf [--kind KIND] [options]",
    .summary = "Draw a fit with gnuplot: the fit, residuals, frontier, IsoFLOP profiles, a check.",
    .details = "Kinds:\n"
               "  fit        the target against N on log-log axes: RUNS as points, the fitted\n"
               "             curve (a law of N and D: one per band of D) dashed past the runs\n"
               "             up to --to, and the interval band of the curve;\n"
               "  residuals  ln(predicted/observed) of RUNS against N; held-out runs marked;\n"
               "  frontier   the compute-optimal N* and D* against C with their intervals;\n"
               "  isoflop    slaw plot RUNS... --kind isoflop: loss against N per compute\n"
               "             budget, the parabolas and their minima (as slaw isoflop);\n"
               "  check      slaw plot NEW.json --kind check --baseline BASE.json [--at POINT]:\n"
               "             both fits' curves and their forecasts at the points;\n"
               "  plan       slaw plot FIT.json [RUNS...] --kind plan --target SPEC\n"
               "             --candidates SPEC --budget FLOPS: candidate runs on the (N, D)\n"
               "             plane coloured by value, as slaw plan ranks them, the best\n"
               "             --runs K within the budget ringed, RUNS and the target.\n"
               "RUNS are read with the fit's columns and filters, as slaw check reads them.\n"
               "The format comes from -o's extension (gnuplot's pngcairo, svg or pdfcairo\n"
               "terminal).  gnuplot draws into a hidden temporary file that is renamed to -o\n"
               "only when gnuplot succeeded and the picture is whole (a full disk cuts it\n"
               "short); otherwise, or without gnuplot, the exit status is 4.  --script FILE\n"
               "writes the complete gnuplot script (data inline) instead, for restyling;\n"
               "'gnuplot FILE' then draws the picture at -o.  docs/plots.md shows every kind.\n"
               "Example:\n"
               "  slaw plot fit.json runs.csv -o fit.png\n",
    .groups = plot_groups,
    .run = run_plot,
};
