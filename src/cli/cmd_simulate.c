/* cmd_simulate.c — `slaw simulate`: runs drawn from a law with known
 * parameters (for trying slaw out, tests, and the synthetic datasets). */
#include "output.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_POINTS 1000
#define MAX_GROUPS 64

typedef struct simulate_ctx {
    const cli_command *cmd;
    const char *law, *params, *n_spec, *d_spec, *y_name, *out, *groups;
    double noise;
    unsigned long seed;
    output_format format;
    bool jsonl;
} simulate_ctx;

static const cli_option simulate_options[] = {
    {"law", 'l', "NAME", OPT_LAW, "the law to draw from"},
    {"params", 0, "SPEC", OPT_PARAMS, "its parameters: NAME=VALUE,... (all of them)"},
    {"n", 0, "RANGE", OPT_N, "model sizes: LO:HI:K (K log-spaced values) or V1,V2,..."},
    {"d", 0, "RANGE", OPT_D, "training tokens, for laws of N and D (every N with every D)"},
    {"groups", 0, "SPEC", OPT_GROUPS,
     "groups: NAME[:NAME=VALUE,...];... each with --params "
     "changed as given (a group column; seed S+i for group i)"},
    {"noise", 0, "SIGMA", OPT_NOISE, "log-normal noise: y times exp(SIGMA z) (default 0)"},
    {"seed", 0, "S", OPT_SEED, "seed of the noise (default 1)"},
    {"y-name", 0, "NAME", OPT_Y_NAME, "name of the target column (default loss)"},
    {"format", 0, "FMT", OPT_FORMAT, "csv (default), json or jsonl"},
    {"out", 'o', "FILE", OPT_OUT, "write to FILE instead of standard output"},
    {0},
};

static int on_option(void *vctx, option_id id, const char *arg)
{
    simulate_ctx *ctx = vctx;
    const char *why;
    size_t count;
    switch (id) {
    case OPT_LAW: ctx->law = arg; return 0;
    case OPT_PARAMS: ctx->params = arg; return 0;
    case OPT_N: ctx->n_spec = arg; return 0;
    case OPT_D: ctx->d_spec = arg; return 0;
    case OPT_Y_NAME: ctx->y_name = arg; return 0;
    case OPT_OUT: ctx->out = arg; return 0;
    case OPT_GROUPS: ctx->groups = arg; return 0;
    case OPT_NOISE:
        if (slaw_number_parse(arg, strlen(arg), &ctx->noise, &why) != SLAW_OK || ctx->noise < 0)
            return cli_usage_error(ctx->cmd, "--noise '%s': expected a number >= 0", arg);
        return 0;
    case OPT_SEED:
        if (!parse_count(ctx->cmd, "--seed", arg, &count)) return EXIT_USAGE;
        ctx->seed = (unsigned long)count;
        return 0;
    case OPT_FORMAT:
        if (!strcmp(arg, "jsonl")) {
            ctx->jsonl = true;
            ctx->format = OUTPUT_JSON;
        } else if (!output_format_parse(arg, 1u << OUTPUT_CSV | 1u << OUTPUT_JSON, &ctx->format)) {
            return cli_usage_error(ctx->cmd, "--format '%s': expected csv, json or jsonl", arg);
        }
        return 0;
    default: return cli_usage_error(ctx->cmd, "unexpected option");
    }
}

/* "LO:HI:K" (K log-spaced values) or "V1,V2,...". */
static int parse_points(const cli_command *cmd, const char *option, const char *spec, double *out,
                        size_t *n)
{
    const char *why;
    *n = 0;
    if (strchr(spec, ':')) {
        double lo, hi, k;
        const char *c1 = strchr(spec, ':'), *c2 = strchr(c1 + 1, ':');
        if (!c2 || slaw_number_parse(spec, (size_t)(c1 - spec), &lo, &why) ||
            slaw_number_parse(c1 + 1, (size_t)(c2 - c1 - 1), &hi, &why) ||
            slaw_number_parse(c2 + 1, strlen(c2 + 1), &k, &why) || k < 1 || k != floor(k) ||
            k > MAX_POINTS || !(lo > 0) || !(hi >= lo) || (k == 1 && hi != lo))
            return cli_usage_error(cmd,
                                   "%s '%s': expected LO:HI:K with 0 < LO <= HI and a count "
                                   "K of 1 to %d",
                                   option, spec, MAX_POINTS);
        for (size_t i = 0; i < (size_t)k; i++)
            out[(*n)++] = k == 1 ? lo : lo * pow(hi / lo, (double)i / (k - 1));
        return 0;
    }
    while (*spec) {
        size_t len = strcspn(spec, ",");
        if (*n == MAX_POINTS || slaw_number_parse(spec, len, &out[*n], &why) || !(out[*n] > 0))
            return cli_usage_error(cmd, "%s: expected positive numbers, LO:HI:K or V1,V2,...",
                                   option);
        (*n)++;
        spec += len;
        if (*spec == ',') spec++;
    }
    return *n ? 0 : cli_usage_error(cmd, "%s: no values", option);
}

/* One group of --groups: its name and its parameters. */
typedef struct sim_group {
    char name[64];
    double params[8];
} sim_group;

static void emit_row(text_buffer *b, const simulate_ctx *ctx, size_t n_vars, const double *x,
                     double y, const char *group, bool first)
{
    if (ctx->format == OUTPUT_CSV) {
        if (n_vars == 2)
            buffer_printf(b, "%.12g,%.12g,%.12g,%.12g", x[0], x[1],
                          slaw_compute_flops(x[0], x[1], 0), y);
        else buffer_printf(b, "%.12g,%.12g", x[0], y);
        buffer_printf(b, group ? ",%s\n" : "\n", group);
        return;
    }
    const char *sep = ctx->jsonl ? "" : first ? "  " : ",\n  ";
    if (n_vars == 2)
        buffer_printf(b, "%s{\"N\": %.12g, \"D\": %.12g, \"C\": %.12g, \"%s\": %.12g", sep, x[0],
                      x[1], slaw_compute_flops(x[0], x[1], 0), ctx->y_name, y);
    else buffer_printf(b, "%s{\"N\": %.12g, \"%s\": %.12g", sep, x[0], ctx->y_name, y);
    if (group) buffer_printf(b, ", \"group\": \"%s\"", group);
    buffer_printf(b, "}%s", ctx->jsonl ? "\n" : "");
}

/* Whether item "NAME=..." of an override names parameter j (either name). */
static bool names_param(const slaw_law *law, size_t j, const char *item, size_t len)
{
    const char *eq = memchr(item, '=', len);
    size_t n = eq ? (size_t)(eq - item) : len;
    const char *a = slaw_law_param_name(law, j), *b = slaw_law_param_internal_name(law, j);
    return (strlen(a) == n && !strncmp(a, item, n)) || (strlen(b) == n && !strncmp(b, item, n));
}

/* "NAME[:OVERRIDES]": the group's parameters are base with the overrides. */
static int parse_group(const cli_command *cmd, const slaw_law *law, const double *base,
                       const char *spec, size_t len, sim_group *g)
{
    const char *colon = memchr(spec, ':', len);
    size_t name_len = colon ? (size_t)(colon - spec) : len, p = slaw_law_param_count(law);
    if (!name_len || name_len >= sizeof g->name || strcspn(spec, ",\"\\") < name_len)
        return cli_usage_error(cmd, "--groups: '%.*s' needs a plain group name before ':'",
                               (int)len, spec);
    memcpy(g->name, spec, name_len);
    g->name[name_len] = '\0';
    const char *over = colon ? colon + 1 : spec + len;
    size_t over_len = (size_t)(spec + len - over);
    char full[1024] = "";
    for (size_t j = 0; j < p; j++) {
        bool given = false;
        for (const char *at = over; at < over + over_len;) {
            size_t n = strcspn(at, ",;");
            given |= names_param(law, j, at, n);
            at += n + 1;
        }
        if (!given)
            snprintf(full + strlen(full), sizeof full - strlen(full), "%s%s=%.17g",
                     *full ? "," : "", slaw_law_param_name(law, j), base[j]);
    }
    if (over_len)
        snprintf(full + strlen(full), sizeof full - strlen(full), "%s%.*s", *full ? "," : "",
                 (int)over_len, over);
    slaw_error err;
    if (slaw_law_parse_params(law, full, g->params, &err) != SLAW_OK) {
        char text[1024];
        cli_errorf("--groups: group %s: %s", g->name, cli_error_message(&err, text, sizeof text));
        return EXIT_USAGE;
    }
    return 0;
}

static int parse_groups(const cli_command *cmd, const slaw_law *law, const double *base,
                        const char *spec, sim_group *out, size_t *n)
{
    *n = 0;
    for (const char *at = spec; *at;) {
        size_t len = strcspn(at, ";");
        if (*n == MAX_GROUPS)
            return cli_usage_error(cmd, "--groups: at most %d groups", MAX_GROUPS);
        int st = parse_group(cmd, law, base, at, len, &out[*n]);
        if (st) return st;
        for (size_t k = 0; k < *n; k++)
            if (!strcmp(out[k].name, out[*n].name))
                return cli_usage_error(cmd, "--groups: group %s is named twice", out[k].name);
        (*n)++;
        at += len + (at[len] == ';');
    }
    return *n ? 0 : cli_usage_error(cmd, "--groups: no groups");
}

static int run_simulate(const cli_command *cmd, int argc, char **argv)
{
    simulate_ctx ctx = {.cmd = cmd, .y_name = "loss", .seed = 1, .format = OUTPUT_CSV};
    int first, st = cli_parse(cmd, argc, argv, on_option, &ctx, &first);
    if (st) return st < 0 ? EXIT_PASS : st;
    if (first < argc) return cli_usage_error(cmd, "unexpected argument '%s'", argv[first]);
    if (!ctx.law || !ctx.params || !ctx.n_spec)
        return cli_usage_error(cmd, "give --law, --params and --n");
    const slaw_law *law = slaw_law_find(ctx.law);
    if (!law) return cli_usage_error(cmd, "unknown law '%s'", ctx.law);
    size_t n_vars = slaw_law_var_count(law);
    if ((n_vars == 2) != (ctx.d_spec != NULL))
        return cli_usage_error(cmd,
                               n_vars == 2 ? "law %s reads N and D: give --d too"
                                           : "law %s reads one variable: --d does not apply",
                               ctx.law);
    if (strpbrk(ctx.y_name, "\",\n\\") || !ctx.y_name[0])
        return cli_usage_error(cmd, "--y-name '%s': use a plain name", ctx.y_name);
    if (!strcmp(ctx.y_name, "N") || !strcmp(ctx.y_name, "D") || !strcmp(ctx.y_name, "C"))
        return cli_usage_error(cmd,
                               "--y-name '%s': N, D and C name the sizes; choose another "
                               "name",
                               ctx.y_name);
    double ns[MAX_POINTS], ds[MAX_POINTS];
    static sim_group groups[MAX_GROUPS];
    size_t nn, nd = 1, n_groups = 1;
    slaw_error err;
    if (slaw_law_parse_params(law, ctx.params, groups[0].params, &err) != SLAW_OK)
        return cli_fail(&err);
    if (ctx.groups) {
        double base[8];
        memcpy(base, groups[0].params, sizeof base);
        if ((st = parse_groups(cmd, law, base, ctx.groups, groups, &n_groups))) return st;
    }
    if ((st = parse_points(cmd, "--n", ctx.n_spec, ns, &nn))) return st;
    if (ctx.d_spec && (st = parse_points(cmd, "--d", ctx.d_spec, ds, &nd))) return st;

    size_t total = nn * nd;
    double *vars = malloc(total * n_vars * sizeof *vars), *y = malloc(total * n_groups * sizeof *y);
    text_buffer b = {0};
    if (!vars || !y) {
        free(vars);
        free(y);
        return cli_nomem();
    }
    for (size_t i = 0; i < nn; i++)
        for (size_t j = 0; j < nd; j++) {
            vars[(i * nd + j) * n_vars] = ns[i];
            if (n_vars == 2) vars[(i * nd + j) * n_vars + 1] = ds[j];
        }
    for (size_t g = 0; g < n_groups; g++)
        if (slaw_simulate(law, groups[g].params, vars, total, ctx.noise, ctx.seed + g,
                          y + g * total, &err) != SLAW_OK) {
            st = cli_fail(&err);
            goto out;
        }
    if (ctx.format == OUTPUT_CSV)
        buffer_printf(&b, n_vars == 2 ? "N,D,C,%s%s\n" : "N,%s%s\n", ctx.y_name,
                      ctx.groups ? ",group" : "");
    else if (!ctx.jsonl) buffer_printf(&b, "[\n");
    for (size_t g = 0; g < n_groups; g++)
        for (size_t i = 0; i < total; i++)
            emit_row(&b, &ctx, n_vars, vars + i * n_vars, y[g * total + i],
                     ctx.groups ? groups[g].name : NULL, g == 0 && i == 0);
    if (ctx.format == OUTPUT_JSON && !ctx.jsonl) buffer_printf(&b, "\n]\n");
    st = buffer_emit(&b, ctx.out);
out:
    free(vars);
    free(y);
    return st;
}

static const cli_option *const simulate_groups[] = {simulate_options, common_options, NULL};

const cli_command cmd_simulate = {
    .name = "simulate",
    .synopsis = "--law NAME --params SPEC --n RANGE [--d RANGE] [options]",
    .summary = "Draw runs from a law with known parameters (CSV, JSON or JSON Lines).",
    .details = "Laws of N and D get every N with every D, and C = 6*N*D.  The same seed\n"
               "always gives the same runs.  Example:\n"
               "  slaw simulate --law chinchilla \\\n"
               "    --params E=1.69,A=406.4,B=410.7,alpha=0.34,beta=0.28 \\\n"
               "    --n 1e8:1e10:5 --d 1e9:1e11:5 --noise 0.01 --seed 1\n"
               "Groups sharing the exponents, each with its own E and A (fit them with\n"
               "--by group --shared alpha,beta):\n"
               "  --groups 'web:E=1.69;code:E=1.5,A=300'\n",
    .groups = simulate_groups,
    .run = run_simulate,
};
