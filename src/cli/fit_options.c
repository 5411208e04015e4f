/* fit_options.c — the options of every command that fits a law (fit, check,
 * validate): law, objective, search and constraints. */
#include "fit_options.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const cli_option fit_options[] = {
    {"law", 'l', "NAME", OPT_LAW, "the law (slaw laws lists them)"},
    {"formula", 0, "TEXT", OPT_FORMULA, "a law of your own, e.g. 'E + A/N^alpha' (docs/laws.md)"},
    {"x", 0, "COL", OPT_X, "one-variable laws: the variable (default N)"},
    {"space", 0, "SPACE", OPT_SPACE, "residuals in log (default) or linear space"},
    {"loss", 0, "LOSS", OPT_LOSS, "l2 (default), huber[:DELTA] (1e-3), asym[:W] (10)"},
    {"grid", 0, "SPEC", OPT_GRID, "start grid: epoch, or NAME=LO:HI:STEP,... (default: the law's)"},
    {"polish", 0, "K|all", OPT_POLISH,
     "refine the best K starts, or all (default: 4 at a time until 3 agree, up to 16)"},
    {"fix", 0, "NAME=V", OPT_FIX, "hold a parameter at a value (repeatable)"},
    {"tie", 0, "NAME=OTHER", OPT_TIE, "make a parameter equal another (repeatable)"},
    {"bound", 0, "NAME=LO:HI", OPT_BOUND, "keep a parameter within bounds (repeatable)"},
    {"solver", 0, "METHOD", OPT_SOLVER,
     "trust region: lm (default), lmaccel, dogleg, ddogleg, subspace2D"},
    {"threads", 0, "T", OPT_THREADS,
     "threads for the search: at most T, fewer on busy cores (default: all)"},
    {"max-iter", 0, "N", OPT_MAX_ITER, "iterations per start (default 500)"},
    {"bootstrap", 0, "N", OPT_BOOTSTRAP, "refit N resamples of the runs for intervals"},
    {"bootstrap-by", 0, "COL", OPT_BOOTSTRAP_BY, "resample whole groups of runs sharing COL"},
    {"seed", 0, "S", OPT_SEED, "seed of the resampling (default 0)"},
    {"level", 0, "P", OPT_LEVEL, "level of the intervals (default 0.95)"},
    {"intervals", 0, "HOW", OPT_INTERVALS,
     "t (t quantiles, log scale for scales; the default "
     "without --bootstrap), delta or bootstrap"},
    {"holdout", 0, "RULE", OPT_HOLDOUT,
     "largest:K: fit without the runs of the K largest N, "
     "then predict them (largest-c:K: by compute)"},
    {"shared", 0, "NAMES", OPT_SHARED,
     "with --by: fit every group at once, these parameters "
     "common to all (e.g. alpha,beta), the others per group"},
    {"quiet", 'q', NULL, OPT_QUIET, "no progress bar"},
    {0},
};

void fit_request_init(fit_request *req)
{
    memset(req, 0, sizeof *req);
    slaw_fit_options_init(&req->fit);
    req->fit.fix = req->fix;
    req->fit.tie = req->tie;
    req->fit.bound = req->bound;
}

static int add_item(const cli_command *cmd, const char **list, size_t *n, const char *option,
                    const char *arg)
{
    if (*n == 32) return cli_usage_error(cmd, "too many %s options (at most 32)", option);
    list[(*n)++] = arg;
    return 0;
}

/* "l2, huber[:DELTA] or asym[:W]", from the library's table of losses. */
static void loss_forms(char *buf, size_t size)
{
    size_t o = 0, n = slaw_loss_count();
    buf[0] = '\0';
    for (size_t i = 0; i < n && o < size; i++) {
        const slaw_loss_info *l = slaw_loss_info_of((slaw_loss)i);
        o += (size_t)snprintf(buf + o, size - o, "%s%s",
                              i == 0      ? ""
                              : i + 1 < n ? ", "
                                          : " or ",
                              l->name);
        if (l->param && o < size) o += (size_t)snprintf(buf + o, size - o, "[:");
        for (const char *p = l->param; p && *p && o + 1 < size; p++)
            buf[o++] = (char)toupper((unsigned char)*p), buf[o] = '\0';
        if (l->param && o < size) o += (size_t)snprintf(buf + o, size - o, "]");
    }
}

static int parse_loss(const cli_command *cmd, slaw_fit_options *fit, const char *arg)
{
    size_t len = strcspn(arg, ":");
    const slaw_loss_info *l = slaw_loss_find(arg, len);
    if (!l) {
        char forms[200];
        loss_forms(forms, sizeof forms);
        return cli_usage_error(cmd, "--loss '%s': expected %s", arg, forms);
    }
    fit->loss = l->loss;
    fit->loss_param = 0;
    if (!arg[len]) return 0;
    const char *why;
    double v;
    if (!l->param) return cli_usage_error(cmd, "--loss %s: %s takes no parameter", arg, l->name);
    if (slaw_number_parse(arg + len + 1, strlen(arg + len + 1), &v, &why) != SLAW_OK || !(v > 0))
        return cli_usage_error(cmd, "--loss %s: the parameter must be a positive number", arg);
    fit->loss_param = v;
    return 0;
}

static int parse_solver(const cli_command *cmd, slaw_fit_options *fit, const char *arg)
{
    static const char *const names[] = {"lm", "lmaccel", "dogleg", "ddogleg", "subspace2D"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!strcmp(arg, names[i])) {
            fit->solver = (slaw_solver)i;
            return 0;
        }
    return cli_usage_error(
        cmd, "--solver '%s': expected lm, lmaccel, dogleg, ddogleg or subspace2D", arg);
}

/* Whether identifier name occurs in formula text (a parameter or variable). */
static bool names(const char *text, const char *name)
{
    size_t len = strlen(name);
    for (const char *s = text; *s;) {
        if (!isalpha((unsigned char)*s) && *s != '_') {
            s++;
            continue;
        }
        size_t n = 0;
        while (isalnum((unsigned char)s[n]) || s[n] == '_') n++;
        if (n == len && !strncmp(s, name, len)) return true;
        s += n;
    }
    return false;
}

/* --grid epoch is the chinchilla law's grid in its own coordinates: a
 * formula takes it only when it has those parameters, so a formula written
 * as in the papers (E + A/N^alpha + B/D^beta, linear scales) is told how to
 * write it rather than that it lacks 'e'. */
static int epoch_grid_check(const cli_command *cmd, const slaw_fit_options *fit)
{
    static const char *const wanted[] = {"alpha", "beta", "e", "a", "b"};
    if (!fit->formula || !fit->grid || strcmp(fit->grid, "epoch")) return 0;
    for (size_t k = 0; k < sizeof wanted / sizeof wanted[0]; k++)
        if (!names(fit->formula, wanted[k]))
            return cli_usage_error(
                cmd,
                "--grid epoch: Epoch AI's grid is for the chinchilla law in its own coordinates, "
                "alpha, beta and e, a, b (the logarithms of E, A and B), and the formula has no "
                "parameter '%s'; write it so, 'exp(e) + exp(a - alpha*log(N)) + exp(b - "
                "beta*log(D))', or give the formula's own axes with --grid NAME=LO:HI:STEP,...",
                wanted[k]);
    return 0;
}

int fit_option(const cli_command *cmd, fit_request *req, option_id id, const char *arg)
{
    slaw_fit_options *fit = &req->fit;
    size_t count;
    switch (id) {
    case OPT_LAW: fit->law = arg; return 0;
    case OPT_FORMULA: fit->formula = arg; return epoch_grid_check(cmd, fit);
    case OPT_SOLVER: return parse_solver(cmd, fit, arg);
    case OPT_X: fit->x = arg; return 0;
    case OPT_SPACE:
        if (!strcmp(arg, "log")) fit->space = SLAW_SPACE_LOG;
        else if (!strcmp(arg, "linear")) fit->space = SLAW_SPACE_LINEAR;
        else return cli_usage_error(cmd, "--space '%s': expected log or linear", arg);
        return 0;
    case OPT_LOSS: return parse_loss(cmd, fit, arg);
    case OPT_GRID: fit->grid = arg; return epoch_grid_check(cmd, fit);
    case OPT_POLISH:
        if (!strcmp(arg, "all")) {
            fit->polish = SLAW_POLISH_ALL;
            return 0;
        }
        if (!parse_count(cmd, "--polish", arg, &count)) return EXIT_USAGE;
        if (!count) return cli_usage_error(cmd, "--polish 0: polish at least one start");
        fit->polish = (long)count;
        return 0;
    case OPT_FIX: return add_item(cmd, req->fix, &fit->n_fix, "--fix", arg);
    case OPT_TIE: return add_item(cmd, req->tie, &fit->n_tie, "--tie", arg);
    case OPT_BOUND: return add_item(cmd, req->bound, &fit->n_bound, "--bound", arg);
    case OPT_THREADS:
        if (!parse_count(cmd, "--threads", arg, &count)) return EXIT_USAGE;
        if (!count || count > 1024) return cli_usage_error(cmd, "--threads must be 1 to 1024");
        fit->threads = (int)count;
        return 0;
    case OPT_BOOTSTRAP:
        if (!parse_count(cmd, "--bootstrap", arg, &count)) return EXIT_USAGE;
        if (count == 1 || count > 10000000)
            return cli_usage_error(cmd, "--bootstrap takes 2 to 10000000 resamples (or 0)");
        fit->bootstrap = count;
        return 0;
    case OPT_BOOTSTRAP_BY: fit->bootstrap_by = arg; return 0;
    case OPT_HOLDOUT: fit->holdout = arg; return 0;
    case OPT_SHARED: fit->shared = arg; return 0;
    case OPT_SEED:
        if (!parse_count(cmd, "--seed", arg, &count)) return EXIT_USAGE;
        fit->seed = (unsigned long)count;
        return 0;
    case OPT_LEVEL: return parse_level(cmd, arg, &fit->level) ? 0 : EXIT_USAGE;
    case OPT_INTERVALS:
        if (!slaw_interval_method_parse(arg, &fit->interval) || fit->interval == SLAW_INTERVAL_AUTO)
            return cli_usage_error(cmd, "--intervals '%s': expected t, delta or bootstrap", arg);
        return 0;
    case OPT_QUIET: req->quiet = true; return 0;
    case OPT_MAX_ITER:
        if (!parse_count(cmd, "--max-iter", arg, &count)) return EXIT_USAGE;
        if (!count) return cli_usage_error(cmd, "--max-iter must be at least 1");
        fit->max_iter = count;
        return 0;
    default: return 1;
    }
}

int fit_or_input_option(const cli_command *cmd, fit_request *fit, input_request *input,
                        option_id id, const char *arg)
{
    slaw_role role;
    const char *column;
    if (id == OPT_VAR) { /* --var x=COL is --x COL */
        int bad = parse_var(cmd, arg, &role, &column);
        if (bad) return bad;
        if (role == SLAW_ROLE_X) {
            id = OPT_X;
            arg = column;
        }
    }
    int st = fit_option(cmd, fit, id, arg);
    bool names_column = id == OPT_X || id == OPT_BOOTSTRAP_BY;
    if (st == 0 && names_column && input->n_extra < sizeof input->extra / sizeof input->extra[0])
        input->extra[input->n_extra++] = arg; /* JSON: reached by path, selectors too */
    if (st != 1) return st;
    st = input_option(cmd, input, id, arg);
    return st == 1 ? cli_usage_error(cmd, "unexpected option") : st;
}

void fit_request_start_progress(fit_request *req)
{
    progress_init(&req->progress, req->quiet);
    req->fit.progress = progress_report;
    req->fit.progress_ctx = &req->progress;
}
