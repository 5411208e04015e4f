/* cmd_isoflop.c — `slaw isoflop`: Hoffmann et al.'s Approach 2 on a runs
 * file: the loss-optimal N per compute budget and how it scales with C. */
#include "input.h"
#include "output.h"

#include <math.h>
#include <string.h>

typedef struct isoflop_ctx {
    const cli_command *cmd;
    input_request input;
    slaw_isoflop_options opt;
    output_format format;
} isoflop_ctx;

static const cli_option isoflop_options[] = {
    {"budget", 0, "COL", OPT_BUDGET, "the column naming each run's compute budget"},
    {"bin", 0, "TOL", OPT_BIN, "or bin C: runs within TOL of a bin's smallest C (default 0.1)"},
    {"level", 0, "P", OPT_LEVEL, "level of the intervals (default 0.95)"},
    {"format", 0, "FMT", OPT_FORMAT, "output: table (default) or json"},
    {0},
};

static int on_option(void *vctx, option_id id, const char *arg)
{
    isoflop_ctx *ctx = vctx;
    switch (id) {
    case OPT_BUDGET:
        ctx->opt.budget = arg;
        if (ctx->input.n_extra < sizeof ctx->input.extra / sizeof ctx->input.extra[0])
            ctx->input.extra[ctx->input.n_extra++] = arg; /* JSON: reach it by path */
        return 0;
    case OPT_BIN: return parse_positive(ctx->cmd, "--bin", arg, &ctx->opt.bin) ? 0 : EXIT_USAGE;
    case OPT_LEVEL: return parse_level(ctx->cmd, arg, &ctx->opt.level) ? 0 : EXIT_USAGE;
    case OPT_FORMAT:
        return output_format_option(ctx->cmd, arg, 1u << OUTPUT_TABLE | 1u << OUTPUT_JSON,
                                    &ctx->format);
    default: break;
    }
    int st = input_option(ctx->cmd, &ctx->input, id, arg);
    return st == 1 ? cli_usage_error(ctx->cmd, "unexpected option") : st;
}

static const char *interval(const slaw_estimate *e, char *buf, size_t size)
{
    char a[32], b[32];
    if (isnan(e->lo)) snprintf(buf, size, "-");
    else
        snprintf(buf, size, "[%s, %s]", format_size(e->lo, a, sizeof a),
                 format_size(e->hi, b, sizeof b));
    return buf;
}

static void budget_table(const slaw_isoflop *r, bool by_column)
{
    char ci[32], c[32], n[32], ni[64], d[32], di[64], l[32], runs[32];
    snprintf(ci, sizeof ci, "%g%% CI", 100 * slaw_isoflop_level(r));
    text_table *t = table_new(by_column ? 9 : 8);
    const char *head[] = {"budget", "C", "runs", "N*", ci, "D*", ci, "loss at N*", ""};
    table_header(t, by_column ? head : head + 1);
    table_align_right(t, by_column ? 0xaeu : 0x57u);
    for (size_t i = 0; i < slaw_isoflop_budget_count(r); i++) {
        const slaw_isoflop_budget *b = slaw_isoflop_budget_at(r, i);
        snprintf(runs, sizeof runs, "%zu", b->runs);
        format_sci(b->C, c, sizeof c);
        const char *cells[] = {b->label,
                               c,
                               runs,
                               b->used ? format_size(b->N.value, n, sizeof n) : "",
                               b->used ? interval(&b->N, ni, sizeof ni) : "",
                               b->used ? format_size(b->D.value, d, sizeof d) : "",
                               b->used ? interval(&b->D, di, sizeof di) : "",
                               b->used ? format_loss(b->L, l, sizeof l) : "",
                               b->used ? "" : "left out"};
        table_row(t, by_column ? cells : cells + 1);
    }
    table_print(t, stdout, "  ");
    table_free(t);
}

static void exponent_line(const char *what, const char *name, const slaw_isoflop_exponent *e,
                          double level)
{
    char k[32];
    printf("%s  %s = %.4g", what, name, e->exponent.value);
    if (!isnan(e->exponent.lo))
        printf(", %g%% CI [%.4g, %.4g], se %.3g", 100 * level, e->exponent.lo, e->exponent.hi,
               e->se);
    else printf(" (no interval: a line through %zu budgets)", e->budgets);
    printf("; %zu budgets, coefficient %s\n", e->budgets, format_sci(e->coefficient, k, sizeof k));
}

static void print_table(const isoflop_ctx *ctx, const loaded_runs *lr, const slaw_isoflop *r)
{
    printf("runs     %zu of %zu", slaw_runs_count(lr->runs), lr->read);
    for (size_t i = 0; i < lr->n_filters; i++)
        printf("%s%s removed %zu", i ? ", " : " (", lr->filters[i].what, lr->filters[i].removed);
    printf("%s\n", lr->n_filters ? ")" : "");
    if (ctx->opt.budget)
        printf("budgets  by column '%s'; C is the geometric mean of each budget's runs\n",
               ctx->opt.budget);
    else
        printf("budgets  C binned: runs within %g of a bin's smallest C share it (geometric "
               "mean)\n",
               ctx->opt.bin ? ctx->opt.bin : 0.1);
    printf("\nper budget: a parabola of loss in ln N, N* at its minimum\n");
    budget_table(r, ctx->opt.budget != NULL);
    printf("\n");
    exponent_line("N* ~ C^a", "a", slaw_isoflop_n_exponent(r), slaw_isoflop_level(r));
    exponent_line("D* ~ C^b", "b", slaw_isoflop_d_exponent(r), slaw_isoflop_level(r));
}

static int print_isoflop_json(const isoflop_ctx *ctx, const slaw_isoflop *r)
{
    cJSON *doc = cJSON_CreateObject();
    json_add_number(doc, "level", slaw_isoflop_level(r));
    if (ctx->opt.budget) cJSON_AddStringToObject(doc, "budget_column", ctx->opt.budget);
    else json_add_number(doc, "bin", ctx->opt.bin ? ctx->opt.bin : 0.1);
    cJSON *budgets = cJSON_AddArrayToObject(doc, "budgets");
    for (size_t i = 0; i < slaw_isoflop_budget_count(r); i++) {
        const slaw_isoflop_budget *b = slaw_isoflop_budget_at(r, i);
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "budget", b->label);
        json_add_number(o, "C", b->C);
        json_add_number(o, "runs", (double)b->runs);
        cJSON_AddBoolToObject(o, "used", b->used);
        if (b->refused) cJSON_AddStringToObject(o, "refused", b->refused);
        json_add_estimate(o, "N", &b->N);
        json_add_estimate(o, "D", &b->D);
        json_add_number(o, "loss", b->L);
        cJSON_AddItemToArray(budgets, o);
    }
    const slaw_isoflop_exponent *e[2] = {slaw_isoflop_n_exponent(r), slaw_isoflop_d_exponent(r)};
    for (int k = 0; k < 2; k++) {
        cJSON *o = cJSON_AddObjectToObject(doc, k ? "b" : "a");
        json_add_estimate(o, "exponent", &e[k]->exponent);
        json_add_number(o, "se", e[k]->se);
        json_add_number(o, "coefficient", e[k]->coefficient);
        json_add_number(o, "budgets", (double)e[k]->budgets);
    }
    return print_json(doc);
}

static int run_isoflop(const cli_command *cmd, int argc, char **argv)
{
    isoflop_ctx ctx = {.cmd = cmd, .format = OUTPUT_TABLE};
    input_request_init(&ctx.input);
    slaw_isoflop_options_init(&ctx.opt);
    int first, st = cli_parse(cmd, argc, argv, on_option, &ctx, &first);
    if (st) return st < 0 ? EXIT_PASS : st;
    if (first >= argc) return cli_usage_error(cmd, "no input files");
    if (ctx.input.load.role_column[SLAW_ROLE_GROUP] || ctx.input.load.role_column[SLAW_ROLE_WEIGHT])
        return cli_usage_error(cmd, "isoflop takes neither --by nor --weight (filter with "
                                    "--where)");
    if (ctx.opt.budget && ctx.opt.bin)
        return cli_usage_error(cmd, "give --budget COL or --bin TOL, not both");
    loaded_runs lr;
    if ((st = input_load_selected(&ctx.input, argv + first, (size_t)(argc - first), &lr)))
        return st;
    slaw_isoflop *r = NULL;
    slaw_error err;
    if (slaw_isoflop_run(lr.runs, &ctx.opt, &r, &err) != SLAW_OK) {
        st = cli_fail(&err);
        goto out;
    }
    for (size_t i = 0; i < slaw_isoflop_budget_count(r); i++) {
        const slaw_isoflop_budget *b = slaw_isoflop_budget_at(r, i);
        char c[32];
        if (!b->used)
            cli_warnf("budget %s%s%s left out: %s", ctx.opt.budget ? b->label : "C = ",
                      ctx.opt.budget ? "" : format_sci(b->C, c, sizeof c), "", b->refused);
    }
    if (ctx.format == OUTPUT_JSON) st = print_isoflop_json(&ctx, r);
    else print_table(&ctx, &lr, r);
out:
    slaw_isoflop_free(r);
    loaded_runs_free(&lr);
    return st;
}

static const cli_option *const isoflop_groups[] = {isoflop_options, input_options, common_options,
                                                   NULL};

const cli_command cmd_isoflop = {
    .name = "isoflop",
    .synopsis = "FILE... [--budget COL | --bin TOL] [options]",
    .summary = "IsoFLOP analysis (Hoffmann et al.'s Approach 2): N* and D* per budget, N* ~ C^a.",
    .details = "Runs are grouped by compute budget: by a --budget column, or by binning C (from\n"
               "a C column, or 6*N*D).  Per budget a parabola of loss in ln N is fitted (GSL\n"
               "linear least squares); its minimum is the budget's N*, with a t interval from\n"
               "the parabola's covariance, and D* = C/(6 N*).  A budget with fewer than 3\n"
               "runs, or whose parabola has no minimum inside its runs, is left out by name.\n"
               "Then ln N* and ln D* are fitted against ln C: the exponents a and b.\n",
    .groups = isoflop_groups,
    .run = run_isoflop,
};
