/* cmd_simulate.c — `slaw simulate`: runs drawn from a law with known
 * parameters (for trying slaw out, tests, and the synthetic datasets). */
#include "output.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_POINTS 1000
#define MAX_ROWS 1000000
#define MAX_GROUPS 64
#define MAX_PARAMS 16 /* as many as a law has */

typedef struct simulate_ctx {
    const cli_command *cmd;
    const char *law, *params, *y_name, *out, *groups;
    const char *axis[SLAW_ROLE_COUNT]; /* each role's range, as given */
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
    {"x", 0, "RANGE", OPT_X, "the variable x of a one-variable law (default: --n)"},
    {"var", 0, "ROLE=RANGE", OPT_VAR,
     "the values of another variable the law reads (repeatable): U=1e9:1e11:3"},
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
    case OPT_N: ctx->axis[SLAW_ROLE_N] = arg; return 0;
    case OPT_D: ctx->axis[SLAW_ROLE_D] = arg; return 0;
    case OPT_X: ctx->axis[SLAW_ROLE_X] = arg; return 0;
    case OPT_VAR: {
        const char *eq = strchr(arg, '=');
        slaw_role role;
        if (!eq || !eq[1] || !slaw_role_from_symbol(arg, (size_t)(eq - arg), &role))
            return cli_usage_error(ctx->cmd,
                                   "--var '%s': expected ROLE=RANGE with ROLE one of N, D, "
                                   "U, S, B, LR, L and x",
                                   arg);
        if (role == SLAW_ROLE_C || role == SLAW_ROLE_M || role == SLAW_ROLE_R)
            return cli_usage_error(ctx->cmd, "--var '%s': %s follows from %s; give %s instead", arg,
                                   slaw_role_symbol(role),
                                   role == SLAW_ROLE_R ? "D and U" : "N and D",
                                   role == SLAW_ROLE_R ? "--d and --var U=RANGE" : "--n and --d");
        ctx->axis[role] = eq + 1;
        return 0;
    }
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
    double params[MAX_PARAMS];
} sim_group;

/* The columns written: the variables given, and C where N and D are. */
typedef struct sim_columns {
    size_t n;
    slaw_role role[SLAW_ROLE_COUNT];
    const char *name[SLAW_ROLE_COUNT];
} sim_columns;

static void emit_row(text_buffer *b, const simulate_ctx *ctx, const sim_columns *cols,
                     const double *by_role, double y, const char *group, bool first)
{
    bool csv = ctx->format == OUTPUT_CSV;
    if (!csv) buffer_printf(b, "%s{", ctx->jsonl ? "" : first ? "  " : ",\n  ");
    for (size_t k = 0; k < cols->n; k++) {
        double v = slaw_role_derive(cols->role[k], by_role, 0);
        if (csv) buffer_printf(b, "%.12g,", v);
        else buffer_printf(b, "\"%s\": %.12g, ", cols->name[k], v);
    }
    if (csv) buffer_printf(b, group ? "%.12g,%s\n" : "%.12g\n", y, group);
    else {
        buffer_printf(b, "\"%s\": %.12g", ctx->y_name, y);
        if (group) buffer_printf(b, ", \"group\": \"%s\"", group);
        buffer_printf(b, "}%s", ctx->jsonl ? "\n" : "");
    }
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

/* The grid: every value of each given axis with every value of the others,
 * the last axis fastest. */
typedef struct sim_grid {
    size_t n_axes, total;
    slaw_role role[SLAW_ROLE_COUNT];
    size_t count[SLAW_ROLE_COUNT];
    double points[SLAW_ROLE_COUNT][MAX_POINTS];
} sim_grid;

/* Row k's value of each role (NaN where none); x is N when only --n gave it. */
static void row_roles(const sim_grid *g, bool x_is_n, size_t k, double *by_role)
{
    for (size_t r = 0; r < SLAW_ROLE_COUNT; r++) by_role[r] = NAN;
    for (size_t a = g->n_axes; a-- > 0;) {
        by_role[g->role[a]] = g->points[a][k % g->count[a]];
        k /= g->count[a];
    }
    if (x_is_n) by_role[SLAW_ROLE_X] = by_role[SLAW_ROLE_N];
}

static const char *axis_option(slaw_role role, char *buf, size_t size)
{
    if (role == SLAW_ROLE_N) return "--n";
    if (role == SLAW_ROLE_D) return "--d";
    if (role == SLAW_ROLE_X) return "--x";
    snprintf(buf, size, "--var %s", slaw_role_symbol(role));
    return buf;
}

/* The roles whose values must be given: the law's variables, or what
 * derives them (C and M from N and D, R from D and U); x from --x, else
 * --n.  Then every axis given must be one of them and each of them given. */
static int check_axes(const simulate_ctx *ctx, const slaw_law *law, bool *x_is_n)
{
    bool need[SLAW_ROLE_COUNT] = {false};
    char vars[96] = "", opt[32];
    size_t nv = slaw_law_var_count(law);
    *x_is_n = false;
    for (size_t v = 0; v < nv; v++) {
        slaw_role role = slaw_law_var_role(law, v);
        snprintf(vars + strlen(vars), sizeof vars - strlen(vars), "%s%s",
                 v == 0        ? ""
                 : v + 1 == nv ? " and "
                               : ", ",
                 slaw_role_symbol(role));
        if (role == SLAW_ROLE_C || role == SLAW_ROLE_M)
            need[SLAW_ROLE_N] = need[SLAW_ROLE_D] = true;
        else if (role == SLAW_ROLE_R) need[SLAW_ROLE_D] = need[SLAW_ROLE_U] = true;
        else if (role == SLAW_ROLE_X && !ctx->axis[SLAW_ROLE_X]) *x_is_n = need[SLAW_ROLE_N] = true;
        else need[role] = true;
    }
    for (size_t r = 0; r < SLAW_ROLE_COUNT; r++)
        if (ctx->axis[r] && !need[r])
            return cli_usage_error(ctx->cmd, "law %s reads %s: %s does not apply", ctx->law, vars,
                                   axis_option((slaw_role)r, opt, sizeof opt));
    for (size_t r = 0; r < SLAW_ROLE_COUNT; r++)
        if (need[r] && !ctx->axis[r])
            return cli_usage_error(
                ctx->cmd, "law %s reads %s: give %s%s", ctx->law, vars,
                axis_option((slaw_role)r, opt, sizeof opt),
                r == SLAW_ROLE_N || r == SLAW_ROLE_D || r == SLAW_ROLE_X ? "" : "=RANGE");
    return 0;
}

static int parse_grid(const simulate_ctx *ctx, sim_grid *g)
{
    char opt[32];
    int st;
    g->n_axes = 0;
    g->total = 1;
    for (size_t r = 0; r < SLAW_ROLE_COUNT; r++) {
        if (!ctx->axis[r]) continue;
        size_t a = g->n_axes++;
        g->role[a] = (slaw_role)r;
        if ((st = parse_points(ctx->cmd, axis_option((slaw_role)r, opt, sizeof opt), ctx->axis[r],
                               g->points[a], &g->count[a])))
            return st;
        g->total *= g->count[a];
        if (g->total > MAX_ROWS)
            return cli_usage_error(ctx->cmd, "the ranges give more than %d runs", MAX_ROWS);
    }
    return 0;
}

/* The variables given, in the grid's order, with C after D where N and D
 * are given (C = 6*N*D, as the runs of a real sweep would record it). */
static void columns_of(const sim_grid *g, bool x_is_n, sim_columns *c)
{
    c->n = 0;
    for (size_t a = 0; a < g->n_axes; a++) {
        c->role[c->n] = g->role[a];
        c->name[c->n++] = g->role[a] == SLAW_ROLE_N && x_is_n ? "N" : slaw_role_symbol(g->role[a]);
        if (g->role[a] == SLAW_ROLE_D && a > 0 && g->role[0] == SLAW_ROLE_N) {
            c->role[c->n] = SLAW_ROLE_C;
            c->name[c->n++] = "C";
        }
    }
}

static int run_simulate(const cli_command *cmd, int argc, char **argv)
{
    simulate_ctx ctx = {.cmd = cmd, .y_name = "loss", .seed = 1, .format = OUTPUT_CSV};
    int first, st = cli_parse(cmd, argc, argv, on_option, &ctx, &first);
    if (st) return st < 0 ? EXIT_PASS : st;
    if (first < argc) return cli_usage_error(cmd, "unexpected argument '%s'", argv[first]);
    if (!ctx.law || !ctx.params)
        return cli_usage_error(cmd, "give --law, --params and the variables' values (--n, ...)");
    const slaw_law *law = slaw_law_find(ctx.law);
    if (!law) return cli_usage_error(cmd, "unknown law '%s'", ctx.law);
    bool x_is_n;
    if ((st = check_axes(&ctx, law, &x_is_n))) return st;
    static sim_grid grid;
    static sim_group groups[MAX_GROUPS];
    sim_columns cols;
    size_t n_groups = 1, n_vars = slaw_law_var_count(law);
    slaw_error err;
    if ((st = parse_grid(&ctx, &grid))) return st;
    columns_of(&grid, x_is_n, &cols);
    if (strpbrk(ctx.y_name, "\",\n\\") || !ctx.y_name[0])
        return cli_usage_error(cmd, "--y-name '%s': use a plain name", ctx.y_name);
    for (size_t k = 0; k < cols.n; k++)
        if (!strcmp(ctx.y_name, cols.name[k]) || !strcmp(ctx.y_name, "group"))
            return cli_usage_error(cmd,
                                   "--y-name '%s': a column of the variables has that name; "
                                   "choose another name",
                                   ctx.y_name);
    if (slaw_law_parse_params(law, ctx.params, groups[0].params, &err) != SLAW_OK)
        return cli_fail(&err);
    if (ctx.groups) {
        double base[MAX_PARAMS];
        memcpy(base, groups[0].params, sizeof base);
        if ((st = parse_groups(cmd, law, base, ctx.groups, groups, &n_groups))) return st;
    }
    size_t total = grid.total;
    double *vars = malloc(total * n_vars * sizeof *vars), *y = malloc(total * n_groups * sizeof *y);
    double by_role[SLAW_ROLE_COUNT];
    text_buffer b = {0};
    if (!vars || !y) {
        free(vars);
        free(y);
        return cli_nomem();
    }
    for (size_t i = 0; i < total; i++) {
        row_roles(&grid, x_is_n, i, by_role);
        for (size_t v = 0; v < n_vars; v++)
            vars[i * n_vars + v] = slaw_role_derive(slaw_law_var_role(law, v), by_role, 0);
    }
    for (size_t g = 0; g < n_groups; g++)
        if (slaw_simulate(law, groups[g].params, vars, total, ctx.noise, ctx.seed + g,
                          y + g * total, &err) != SLAW_OK) {
            st = cli_fail(&err);
            goto out;
        }
    if (ctx.format == OUTPUT_CSV) {
        for (size_t k = 0; k < cols.n; k++) buffer_printf(&b, "%s,", cols.name[k]);
        buffer_printf(&b, "%s%s\n", ctx.y_name, ctx.groups ? ",group" : "");
    } else if (!ctx.jsonl) buffer_printf(&b, "[\n");
    for (size_t g = 0; g < n_groups; g++)
        for (size_t i = 0; i < total; i++) {
            row_roles(&grid, x_is_n, i, by_role);
            emit_row(&b, &ctx, &cols, by_role, y[g * total + i], ctx.groups ? groups[g].name : NULL,
                     g == 0 && i == 0);
        }
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
    .synopsis = "--law NAME --params SPEC --n RANGE [--d RANGE] [--var ROLE=RANGE] [options]",
    .summary = "Draw runs from a law with known parameters (CSV, JSON or JSON Lines).",
    .details = "Every value of each variable with every value of the others; where N and D\n"
               "are given, C = 6*N*D too.  A law of C and M (gadre) takes N and D; U, S, B,\n"
               "LR and L come with --var (muennighoff: --var U=RANGE).  The same seed\n"
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
