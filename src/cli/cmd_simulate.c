/* cmd_simulate.c — `slaw simulate`: runs drawn from a law with known
 * parameters (for trying slaw out, tests, and the synthetic datasets). */
#include "output.h"

#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_POINTS 1000
#define MAX_ROWS 1000000
#define MAX_GROUPS 64
#define MAX_PARAMS 16 /* as many as a law has */
#define MAX_NAMED 4   /* a formula's variables named by column (SLAW_MAX_VARS) */
#define MAX_AXES (SLAW_ROLE_COUNT + MAX_NAMED)

typedef struct simulate_ctx {
    const cli_command *cmd;
    const char *law, *formula, *params, *y_name, *out, *groups;
    const char *axis[SLAW_ROLE_COUNT]; /* each role's range, as given */
    const char *named[MAX_NAMED];      /* a formula's column variables: --var NAME=RANGE */
    const char *named_range[MAX_NAMED];
    char named_buf[MAX_NAMED][64];
    size_t n_named;
    double noise;
    unsigned long seed;
    output_format format;
    bool jsonl;
} simulate_ctx;

static const cli_option simulate_options[] = {
    {"law", 'l', "NAME", OPT_LAW, "the law to draw from"},
    {"formula", 0, "TEXT", OPT_FORMULA,
     "or a law of your own, e.g. 'E + A/N^alpha' (its parameters: the other names)"},
    {"params", 0, "SPEC", OPT_PARAMS, "its parameters: NAME=VALUE,... (all of them)"},
    {"n", 0, "RANGE", OPT_N, "model sizes: LO:HI:K (K log-spaced values) or V1,V2,..."},
    {"d", 0, "RANGE", OPT_D, "training tokens, for laws of N and D (every N with every D)"},
    {"x", 0, "RANGE", OPT_X, "the variable x of a one-variable law (default: --n)"},
    {"var", 0, "ROLE=RANGE", OPT_VAR,
     "the values of another variable the law reads (repeatable): U=1e9:1e11:3; "
     "a formula's column: NAME=RANGE"},
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

/* A name a formula can hold: a letter or _, then letters, digits and _. */
static bool is_identifier(const char *s, size_t len)
{
    if (!len || len >= 64 || !(isalpha((unsigned char)s[0]) || s[0] == '_')) return false;
    for (size_t k = 1; k < len; k++)
        if (!(isalnum((unsigned char)s[k]) || s[k] == '_')) return false;
    return true;
}

/* --var NAME=RANGE with NAME no role: a column variable of a formula. */
static int add_named(simulate_ctx *ctx, const char *arg, const char *eq)
{
    size_t len = (size_t)(eq - arg);
    for (size_t k = 0; k < ctx->n_named; k++)
        if (strlen(ctx->named[k]) == len && !strncmp(ctx->named[k], arg, len)) {
            ctx->named_range[k] = eq + 1;
            return 0;
        }
    if (ctx->n_named == MAX_NAMED)
        return cli_usage_error(ctx->cmd, "--var '%s': at most %d variables by column name", arg,
                               MAX_NAMED);
    memcpy(ctx->named_buf[ctx->n_named], arg, len);
    ctx->named_buf[ctx->n_named][len] = '\0';
    ctx->named[ctx->n_named] = ctx->named_buf[ctx->n_named];
    ctx->named_range[ctx->n_named++] = eq + 1;
    return 0;
}

static int on_option(void *vctx, option_id id, const char *arg)
{
    simulate_ctx *ctx = vctx;
    const char *why;
    size_t count;
    switch (id) {
    case OPT_LAW: ctx->law = arg; return 0;
    case OPT_FORMULA: ctx->formula = arg; return 0;
    case OPT_PARAMS: ctx->params = arg; return 0;
    case OPT_N: ctx->axis[SLAW_ROLE_N] = arg; return 0;
    case OPT_D: ctx->axis[SLAW_ROLE_D] = arg; return 0;
    case OPT_X: ctx->axis[SLAW_ROLE_X] = arg; return 0;
    case OPT_VAR: {
        const char *eq = strchr(arg, '=');
        slaw_role role;
        if (eq && eq[1] && !slaw_role_from_symbol(arg, (size_t)(eq - arg), &role) &&
            is_identifier(arg, (size_t)(eq - arg)))
            return add_named(ctx, arg, eq);
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
 * the last axis fastest.  An axis is a role's, or (role SLAW_ROLE_COUNT) a
 * formula's variable named by column. */
typedef struct sim_grid {
    size_t n_axes, total;
    slaw_role role[MAX_AXES];
    const char *name[MAX_AXES];
    size_t count[MAX_AXES];
    double points[MAX_AXES][MAX_POINTS];
} sim_grid;

/* One run's values: by role (NaN where none; x is N when only --n gave it)
 * and by axis. */
typedef struct sim_row {
    double by_role[SLAW_ROLE_COUNT];
    double axis[MAX_AXES];
} sim_row;

/* The columns written: the axes, and C after D where N and D are. */
typedef struct sim_columns {
    size_t n;
    size_t axis[MAX_AXES + 1]; /* SIZE_MAX: C, derived */
    const char *name[MAX_AXES + 1];
} sim_columns;

static void emit_row(text_buffer *b, const simulate_ctx *ctx, const sim_columns *cols,
                     const sim_row *row, double y, const char *group, bool first)
{
    bool csv = ctx->format == OUTPUT_CSV;
    if (!csv) buffer_printf(b, "%s{", ctx->jsonl ? "" : first ? "  " : ",\n  ");
    for (size_t k = 0; k < cols->n; k++) {
        double v = cols->axis[k] == SIZE_MAX ? slaw_role_derive(SLAW_ROLE_C, row->by_role, 0)
                                             : row->axis[cols->axis[k]];
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

static void row_at(const sim_grid *g, bool x_is_n, size_t k, sim_row *row)
{
    for (size_t r = 0; r < SLAW_ROLE_COUNT; r++) row->by_role[r] = NAN;
    for (size_t a = g->n_axes; a-- > 0;) {
        row->axis[a] = g->points[a][k % g->count[a]];
        if (g->role[a] != SLAW_ROLE_COUNT) row->by_role[g->role[a]] = row->axis[a];
        k /= g->count[a];
    }
    if (x_is_n) row->by_role[SLAW_ROLE_X] = row->by_role[SLAW_ROLE_N];
}

/* The value of the law's variable v in a run. */
static double var_value(const slaw_law *law, const sim_grid *g, size_t v, const sim_row *row)
{
    slaw_role role = slaw_law_var_role(law, v);
    const char *name = slaw_law_var_name(law, v);
    if (role != SLAW_ROLE_COUNT) return slaw_role_derive(role, row->by_role, 0);
    if (!strcmp(name, "x")) return row->by_role[SLAW_ROLE_X];
    for (size_t a = 0; a < g->n_axes; a++)
        if (g->role[a] == SLAW_ROLE_COUNT && !strcmp(g->name[a], name)) return row->axis[a];
    return NAN;
}

/* The option giving axis k: role k, or named variable k - SLAW_ROLE_COUNT. */
static const char *axis_option(const simulate_ctx *ctx, size_t k, char *buf, size_t size)
{
    if (k == SLAW_ROLE_N) return "--n";
    if (k == SLAW_ROLE_D) return "--d";
    if (k == SLAW_ROLE_X) return "--x";
    snprintf(buf, size, "--var %s",
             k < SLAW_ROLE_COUNT ? slaw_role_symbol((slaw_role)k)
                                 : ctx->named[k - SLAW_ROLE_COUNT]);
    return buf;
}

/* The axis (as axis_option) that gives variable v of the law, marking
 * what derives it (C and M from N and D, R from D and U); x is N when no
 * --x is given, for a built-in law. */
static void mark_need(const simulate_ctx *ctx, const slaw_law *law, size_t v, bool *need,
                      bool *x_is_n)
{
    slaw_role role = slaw_law_var_role(law, v);
    const char *name = slaw_law_var_name(law, v);
    if (role == SLAW_ROLE_C || role == SLAW_ROLE_M) need[SLAW_ROLE_N] = need[SLAW_ROLE_D] = true;
    else if (role == SLAW_ROLE_R) need[SLAW_ROLE_D] = need[SLAW_ROLE_U] = true;
    else if (role == SLAW_ROLE_X && !ctx->axis[SLAW_ROLE_X]) *x_is_n = need[SLAW_ROLE_N] = true;
    else if (role != SLAW_ROLE_COUNT) need[role] = true;
    else if (!strcmp(name, "x")) need[SLAW_ROLE_X] = true;
    else
        for (size_t k = 0; k < ctx->n_named; k++)
            if (!strcmp(ctx->named[k], name)) need[SLAW_ROLE_COUNT + k] = true;
}

/* The axes whose values must be given: the law's variables, or what
 * derives them.  Then every axis given must be one of them and each of
 * them given. */
static int check_axes(const simulate_ctx *ctx, const slaw_law *law, bool *x_is_n)
{
    bool need[MAX_AXES] = {false};
    char vars[160] = "", opt[80], what[96];
    size_t nv = slaw_law_var_count(law);
    *x_is_n = false;
    for (size_t v = 0; v < nv; v++) {
        snprintf(vars + strlen(vars), sizeof vars - strlen(vars), "%s%s",
                 v == 0        ? ""
                 : v + 1 == nv ? " and "
                               : ", ",
                 slaw_law_var_name(law, v));
        mark_need(ctx, law, v, need, x_is_n);
    }
    if (ctx->formula) snprintf(what, sizeof what, "the formula");
    else snprintf(what, sizeof what, "law %s", ctx->law);
    for (size_t k = 0; k < SLAW_ROLE_COUNT + ctx->n_named; k++) {
        bool given = k < SLAW_ROLE_COUNT ? ctx->axis[k] != NULL : true;
        if (given && !need[k])
            return cli_usage_error(ctx->cmd, "%s reads %s: %s does not apply", what, vars,
                                   axis_option(ctx, k, opt, sizeof opt));
    }
    for (size_t k = 0; k < SLAW_ROLE_COUNT; k++)
        if (need[k] && !ctx->axis[k])
            return cli_usage_error(
                ctx->cmd, "%s reads %s: give %s%s", what, vars,
                axis_option(ctx, k, opt, sizeof opt),
                k == SLAW_ROLE_N || k == SLAW_ROLE_D || k == SLAW_ROLE_X ? "" : "=RANGE");
    return 0;
}

static int add_axis(const simulate_ctx *ctx, sim_grid *g, slaw_role role, const char *name,
                    const char *option, const char *range)
{
    size_t a = g->n_axes++;
    int st;
    g->role[a] = role;
    g->name[a] = name;
    if ((st = parse_points(ctx->cmd, option, range, g->points[a], &g->count[a]))) return st;
    g->total *= g->count[a];
    if (g->total > MAX_ROWS)
        return cli_usage_error(ctx->cmd, "the ranges give more than %d runs", MAX_ROWS);
    return 0;
}

/* The roles' axes in role order, then the named ones as given; N is
 * written N where it plays a one-variable law's x. */
static int parse_grid(const simulate_ctx *ctx, bool x_is_n, sim_grid *g)
{
    char opt[80];
    int st;
    g->n_axes = 0;
    g->total = 1;
    for (size_t r = 0; r < SLAW_ROLE_COUNT; r++)
        if (ctx->axis[r] &&
            (st = add_axis(ctx, g, (slaw_role)r,
                           r == SLAW_ROLE_N && x_is_n ? "N" : slaw_role_symbol((slaw_role)r),
                           axis_option(ctx, r, opt, sizeof opt), ctx->axis[r])))
            return st;
    for (size_t k = 0; k < ctx->n_named; k++)
        if ((st = add_axis(ctx, g, SLAW_ROLE_COUNT, ctx->named[k],
                           axis_option(ctx, SLAW_ROLE_COUNT + k, opt, sizeof opt),
                           ctx->named_range[k])))
            return st;
    return 0;
}

/* The axes in the grid's order, with C after D where N and D are given
 * (C = 6*N*D, as the runs of a real sweep would record it). */
static void columns_of(const sim_grid *g, sim_columns *c)
{
    c->n = 0;
    for (size_t a = 0; a < g->n_axes; a++) {
        c->axis[c->n] = a;
        c->name[c->n++] = g->name[a];
        if (g->role[a] == SLAW_ROLE_D && a > 0 && g->role[0] == SLAW_ROLE_N) {
            c->axis[c->n] = SIZE_MAX;
            c->name[c->n++] = "C";
        }
    }
}

/* A formula's variables, as a fit of the runs written would take them:
 * N, D, C, L and x always; U, S, B and LR when given; M and R when what
 * derives them is; the columns named with --var. */
static int formula_of(const simulate_ctx *ctx, slaw_law **out)
{
    const char *vars[16 + MAX_NAMED];
    size_t n = 0;
    static const slaw_role given[] = {SLAW_ROLE_U, SLAW_ROLE_S, SLAW_ROLE_B, SLAW_ROLE_LR};
    slaw_error err;
    vars[n++] = "N", vars[n++] = "D", vars[n++] = "C", vars[n++] = "L", vars[n++] = "x";
    for (size_t k = 0; k < sizeof given / sizeof *given; k++)
        if (ctx->axis[given[k]]) vars[n++] = slaw_role_symbol(given[k]);
    if (ctx->axis[SLAW_ROLE_N] && ctx->axis[SLAW_ROLE_D]) vars[n++] = "M";
    if (ctx->axis[SLAW_ROLE_D] && ctx->axis[SLAW_ROLE_U]) vars[n++] = "R";
    for (size_t k = 0; k < ctx->n_named; k++) vars[n++] = ctx->named[k];
    if (slaw_law_from_formula(ctx->formula, vars, n, out, &err) != SLAW_OK) return cli_fail(&err);
    return 0;
}

/* The law drawn from: a built-in one or the formula, after the checks
 * that need no law. */
static int law_of(const simulate_ctx *ctx, const slaw_law **law, slaw_law **own)
{
    *own = NULL;
    if (ctx->law && ctx->formula)
        return cli_usage_error(ctx->cmd, "--law and --formula: give one of them");
    if ((!ctx->law && !ctx->formula) || !ctx->params)
        return cli_usage_error(ctx->cmd, "give --law (or --formula), --params and the "
                                         "variables' values (--n, ...)");
    if (ctx->n_named && !ctx->formula)
        return cli_usage_error(ctx->cmd,
                               "--var '%s=%s': expected ROLE=RANGE with ROLE one of N, D, U, S, "
                               "B, LR, L and x",
                               ctx->named[0], ctx->named_range[0]);
    if (ctx->formula) {
        int st = formula_of(ctx, own);
        *law = *own;
        return st;
    }
    if (!(*law = slaw_law_find(ctx->law)))
        return cli_usage_error(ctx->cmd, "unknown law '%s': the laws are %s", ctx->law,
                               cli_law_names((char[512]){0}, 512));
    return 0;
}

static int check_y_name(const simulate_ctx *ctx, const sim_columns *cols)
{
    if (strpbrk(ctx->y_name, "\",\n\\") || !ctx->y_name[0])
        return cli_usage_error(ctx->cmd, "--y-name '%s': use a plain name", ctx->y_name);
    for (size_t k = 0; k < cols->n; k++)
        if (!strcmp(ctx->y_name, cols->name[k]) || !strcmp(ctx->y_name, "group"))
            return cli_usage_error(ctx->cmd,
                                   "--y-name '%s': a column of the variables has that name; "
                                   "choose another name",
                                   ctx->y_name);
    return 0;
}

static void write_runs(const simulate_ctx *ctx, const sim_grid *grid, bool x_is_n,
                       const sim_columns *cols, const sim_group *groups, size_t n_groups,
                       const double *y, text_buffer *b)
{
    sim_row row;
    if (ctx->format == OUTPUT_CSV) {
        for (size_t k = 0; k < cols->n; k++) buffer_printf(b, "%s,", cols->name[k]);
        buffer_printf(b, "%s%s\n", ctx->y_name, ctx->groups ? ",group" : "");
    } else if (!ctx->jsonl) buffer_printf(b, "[\n");
    for (size_t g = 0; g < n_groups; g++)
        for (size_t i = 0; i < grid->total; i++) {
            row_at(grid, x_is_n, i, &row);
            emit_row(b, ctx, cols, &row, y[g * grid->total + i],
                     ctx->groups ? groups[g].name : NULL, g == 0 && i == 0);
        }
    if (ctx->format == OUTPUT_JSON && !ctx->jsonl) buffer_printf(b, "\n]\n");
}

static int run_simulate(const cli_command *cmd, int argc, char **argv)
{
    simulate_ctx ctx = {.cmd = cmd, .y_name = "loss", .seed = 1, .format = OUTPUT_CSV};
    int first, st = cli_parse(cmd, argc, argv, on_option, &ctx, &first);
    if (st) return st < 0 ? EXIT_PASS : st;
    if (first < argc) return cli_usage_error(cmd, "unexpected argument '%s'", argv[first]);
    static sim_grid grid;
    static sim_group groups[MAX_GROUPS];
    const slaw_law *law = NULL;
    slaw_law *own = NULL;
    sim_columns cols;
    sim_row row;
    size_t n_groups = 1;
    slaw_error err;
    double *vars = NULL, *y = NULL;
    text_buffer b = {0};
    bool x_is_n = false;
    if ((st = law_of(&ctx, &law, &own)) || (st = check_axes(&ctx, law, &x_is_n)) ||
        (st = parse_grid(&ctx, x_is_n, &grid)))
        goto out;
    columns_of(&grid, &cols);
    if ((st = check_y_name(&ctx, &cols))) goto out;
    if (slaw_law_parse_params(law, ctx.params, groups[0].params, &err) != SLAW_OK) {
        st = cli_fail(&err);
        goto out;
    }
    if (ctx.groups) {
        double base[MAX_PARAMS];
        memcpy(base, groups[0].params, sizeof base);
        if ((st = parse_groups(cmd, law, base, ctx.groups, groups, &n_groups))) goto out;
    }
    size_t total = grid.total, n_vars = slaw_law_var_count(law);
    vars = malloc(total * n_vars * sizeof *vars), y = malloc(total * n_groups * sizeof *y);
    if (!vars || !y) {
        st = cli_nomem();
        goto out;
    }
    for (size_t i = 0; i < total; i++) {
        row_at(&grid, x_is_n, i, &row);
        for (size_t v = 0; v < n_vars; v++) vars[i * n_vars + v] = var_value(law, &grid, v, &row);
    }
    for (size_t g = 0; g < n_groups; g++)
        if (slaw_simulate(law, groups[g].params, vars, total, ctx.noise, ctx.seed + g,
                          y + g * total, &err) != SLAW_OK) {
            st = cli_fail(&err);
            goto out;
        }
    write_runs(&ctx, &grid, x_is_n, &cols, groups, n_groups, y, &b);
    st = buffer_emit(&b, ctx.out);
out:
    free(vars);
    free(y);
    slaw_law_free(own);
    return st;
}

static const cli_option *const simulate_groups[] = {simulate_options, common_options, NULL};

const cli_command cmd_simulate = {
    .name = "simulate",
    .synopsis = "--law NAME --params SPEC --n RANGE [--d RANGE] [--var ROLE=RANGE] [options]  "
                "|  --formula TEXT --params SPEC --n RANGE ... [--var NAME=RANGE] [options]",
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
               "  --groups 'web:E=1.69;code:E=1.5,A=300'\n"
               "A formula's variables are those a fit of the runs written takes: N, D, C,\n"
               "L and x, U, S, B and LR when given, M and R when what derives them is, and\n"
               "a column of its own with --var NAME=RANGE; every other name is a parameter:\n"
               "  slaw simulate --formula 'E + A/N^alpha + B/steps^beta' \\\n"
               "    --params E=1.7,A=400,alpha=0.3,B=50,beta=0.5 \\\n"
               "    --n 1e8:1e10:4 --var steps=1e3:1e5:4 --noise 0.01\n",
    .groups = simulate_groups,
    .run = run_simulate,
};
