/* cmd_cost.c — `slaw cost`: what training a model of N parameters on D
 * tokens (or C FLOPs) costs: FLOPs, GPU-hours, wall-clock time, price. */
#include "cost_options.h"
#include "output.h"

#include <math.h>
#include <string.h>

typedef struct cost_ctx {
    const cli_command *cmd;
    double N, D, C; /* NaN when not given */
    bool list;
    cost_request req;
    output_format format;
} cost_ctx;

static const cli_option cost_command_options[] = {
    {"n", 0, "N", OPT_N, "model size, parameters (70B)"},
    {"d", 0, "D", OPT_D, "training tokens (1.4T)"},
    {"c", 0, "C", OPT_C, "training FLOPs, instead of --n and --d"},
    {"list-gpus", 0, NULL, OPT_LIST_GPUS, "list the accelerators --gpu knows, with their sources"},
    {"format", 0, "FMT", OPT_FORMAT, "output: table (default), json or csv"},
    {0},
};

static int on_option(void *vctx, option_id id, const char *arg)
{
    cost_ctx *ctx = vctx;
    switch (id) {
    case OPT_N: return parse_positive(ctx->cmd, "--n", arg, &ctx->N) ? 0 : EXIT_USAGE;
    case OPT_D: return parse_positive(ctx->cmd, "--d", arg, &ctx->D) ? 0 : EXIT_USAGE;
    case OPT_C: return parse_positive(ctx->cmd, "--c", arg, &ctx->C) ? 0 : EXIT_USAGE;
    case OPT_LIST_GPUS: ctx->list = true; return 0;
    case OPT_FORMAT:
        return output_format_option(
            ctx->cmd, arg, 1u << OUTPUT_TABLE | 1u << OUTPUT_JSON | 1u << OUTPUT_CSV, &ctx->format);
    default: break;
    }
    int st = cost_option(ctx->cmd, &ctx->req, id, arg);
    return st == 1 ? cli_usage_error(ctx->cmd, "unexpected option") : st;
}

static void list_gpus(void)
{
    text_table *t = table_new(4);
    char peak[32];
    table_header(t, (const char *[]){"name", "accelerator", "peak TFLOP/s", "source"});
    table_align_right(t, 1u << 2);
    for (size_t i = 0; i < slaw_accelerator_count(); i++) {
        const slaw_accelerator *a = slaw_accelerator_at(i);
        snprintf(peak, sizeof peak, "%g", a->peak_flops / 1e12);
        table_row(t, (const char *[]){a->name, a->description, peak, a->source});
    }
    table_print(t, stdout, "");
    table_free(t);
    printf("\npeaks are dense BF16 (without 2:4 sparsity); docs/forecasting.md cites them\n");
}

/* The FLOPs asked about, from --c or from --n and --d: the library
 * resolves the run; the flags that do not go together are refused here,
 * in the command line's words. */
static int resolve(cost_ctx *ctx, double *flops, const char **rule)
{
    bool n = !isnan(ctx->N), d = !isnan(ctx->D), c = !isnan(ctx->C);
    if (c && n && d) return cli_usage_error(ctx->cmd, "give --n and --d, or --c, not all three");
    if (c && ctx->req.opt.flops_per_token > 0)
        return cli_usage_error(ctx->cmd, "--flops-per-token applies to --n and --d; --c gives "
                                         "the FLOPs");
    if (!c && (!n || !d))
        return cli_usage_error(ctx->cmd, "give --n and --d (e.g. --n 70B --d 1.4T), or --c FLOPs");
    slaw_cost_run run;
    slaw_error err;
    if (slaw_cost_run_resolve(ctx->N, ctx->D, ctx->C, ctx->req.opt.flops_per_token, &run, &err))
        return cli_fail(&err);
    ctx->N = run.N;
    ctx->D = run.D;
    *flops = run.flops;
    *rule = run.flops_rule;
    return 0;
}

static void row(text_table *t, const char *name, const char *value)
{
    table_row(t, (const char *[]){name, value});
}

static void print_cost_table(const cost_ctx *ctx, const slaw_cost *c, const char *rule)
{
    const slaw_cost_options *o = &ctx->req.opt;
    double mfu = o->mfu, gpus = o->gpus; /* as slaw_cost_options_init set them, or given */
    char v[200], a[32], b[32];
    text_table *t = table_new(2);
    if (!isnan(ctx->N)) row(t, "N", format_size(ctx->N, a, sizeof a));
    if (!isnan(ctx->D)) row(t, "D", format_size(ctx->D, a, sizeof a));
    snprintf(v, sizeof v, "%s (%s)", format_sci(c->flops, a, sizeof a), rule);
    row(t, "training FLOPs", v);
    if (isnan(c->seconds)) {
        row(t, "time", "- (give --gpu NAME or --peak-flops X)");
    } else {
        if (ctx->req.gpu)
            snprintf(v, sizeof v, "%s: %s, peak %g TFLOP/s dense BF16", ctx->req.gpu->name,
                     ctx->req.gpu->description, ctx->req.gpu->peak_flops / 1e12);
        else snprintf(v, sizeof v, "peak %g TFLOP/s", o->peak_flops / 1e12);
        row(t, "accelerator", v);
        snprintf(v, sizeof v, "MFU %g: %.4g TFLOP/s per accelerator", mfu,
                 o->peak_flops * mfu / 1e12);
        row(t, "utilisation", v);
        row(t, "GPU-hours", format_size(c->gpu_hours, a, sizeof a));
        snprintf(v, sizeof v, "%s on %g accelerator%s", format_duration(c->seconds, a, sizeof a),
                 gpus, gpus == 1 ? "" : "s");
        row(t, "wall-clock", v);
        if (!isnan(c->price)) {
            snprintf(v, sizeof v, "%s at %s per GPU-hour", format_size(c->price, a, sizeof a),
                     format_value(o->price_per_gpu_hour, b, sizeof b));
            row(t, "price", v);
        }
    }
    table_print(t, stdout, "");
    table_free(t);
}

static int print_cost_json(const cost_ctx *ctx, const slaw_cost *c, const char *rule)
{
    const slaw_cost_options *o = &ctx->req.opt;
    cJSON *doc = cJSON_CreateObject();
    if (!isnan(ctx->N)) cJSON_AddNumberToObject(doc, "N", ctx->N);
    if (!isnan(ctx->D)) cJSON_AddNumberToObject(doc, "D", ctx->D);
    cJSON_AddStringToObject(doc, "flops_rule", rule);
    if (ctx->req.gpu) cJSON_AddStringToObject(doc, "accelerator", ctx->req.gpu->name);
    else cJSON_AddNullToObject(doc, "accelerator");
    if (o->peak_flops > 0) cJSON_AddNumberToObject(doc, "peak_flops", o->peak_flops);
    else cJSON_AddNullToObject(doc, "peak_flops");
    cJSON_AddNumberToObject(doc, "mfu", o->mfu);
    cJSON_AddNumberToObject(doc, "gpus", o->gpus);
    cost_json(doc, c);
    return print_json(doc);
}

static void print_cost_csv(const cost_ctx *ctx, const slaw_cost *c)
{
    const slaw_cost_options *o = &ctx->req.opt;
    const double values[] = {
        ctx->N,  ctx->D,  c->flops,     o->peak_flops > 0 ? o->peak_flops : NAN,
        o->mfu,  o->gpus, c->gpu_hours, c->seconds / 86400,
        c->price};
    printf("N,D,flops,peak_flops,mfu,gpus,gpu_hours,days,price\n");
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        if (!isnan(values[i])) printf("%.12g", values[i]);
        printf(i + 1 < sizeof values / sizeof values[0] ? "," : "\n");
    }
}

static int run_cost(const cli_command *cmd, int argc, char **argv)
{
    cost_ctx ctx = {.cmd = cmd, .N = NAN, .D = NAN, .C = NAN};
    cost_request_init(&ctx.req);
    int first, st = cli_parse(cmd, argc, argv, on_option, &ctx, &first);
    if (st) return st < 0 ? EXIT_PASS : st;
    if (first < argc) return cli_usage_error(cmd, "unexpected argument '%s'", argv[first]);
    if (ctx.list) {
        list_gpus();
        return EXIT_PASS;
    }
    double flops = NAN;
    const char *rule = "";
    slaw_cost c;
    slaw_error err;
    if ((st = resolve(&ctx, &flops, &rule))) return st;
    if (slaw_cost_estimate(flops, &ctx.req.opt, &c, &err) != SLAW_OK) return cli_fail(&err);
    if (ctx.format == OUTPUT_JSON) return print_cost_json(&ctx, &c, rule);
    if (ctx.format == OUTPUT_CSV) print_cost_csv(&ctx, &c);
    else print_cost_table(&ctx, &c, rule);
    return EXIT_PASS;
}

static const cli_option *const cost_groups[] = {cost_command_options, cost_options, common_options,
                                                NULL};

const cli_command cmd_cost = {
    .name = "cost",
    .synopsis = "--n N --d D (or --c C) [--gpu NAME | --peak-flops X] [options]",
    .summary = "What a training run costs: FLOPs, GPU-hours, wall-clock time and price.",
    .details = "Training FLOPs are 6*N*D unless --flops-per-token X makes them X*D.  Time is\n"
               "FLOPs / (peak FLOP/s * MFU), spread over --gpus accelerators; --gpu takes a\n"
               "name from the table (--list-gpus), --peak-flops any figure.  A fitted cost law\n"
               "(slaw fit --law power --y train_hours) forecasts through slaw forecast.\n"
               "Example:\n"
               "  slaw cost --n 70B --d 1.4T --gpu h100-sxm --gpus 1024 --price-per-gpu-hour 2.5\n",
    .groups = cost_groups,
    .run = run_cost,
};
