/* fit_options.c — the fit's options: their defaults, the checks that need
 * no runs, and what they resolve to over the runs (the law of a formula,
 * the variables' columns, the per-key reduction). */
#include "fit_options.h"
#include "formula.h"
#include "runs.h"
#include "solver_params.h"

#include <math.h>
#include <string.h>

void slaw_fit_options_init(slaw_fit_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->space = SLAW_SPACE_LOG;
    opt->loss = SLAW_LOSS_L2;
    opt->polish = SLAW_POLISH_DEFAULT;
    opt->max_iter = DEFAULT_MAX_ITER;
    opt->level = SLAW_DEFAULT_LEVEL;
}

void slaw_fit_options_merge(slaw_fit_options *opt, const slaw_fit_options *from, unsigned fields)
{
    if (fields & SLAW_FIT_X) opt->x = from->x;
    if (fields & SLAW_FIT_POLISH) opt->polish = from->polish;
    if (fields & SLAW_FIT_MAX_ITER) opt->max_iter = from->max_iter;
    if (fields & SLAW_FIT_THREADS) opt->threads = from->threads;
    if (fields & SLAW_FIT_BOOTSTRAP) opt->bootstrap = from->bootstrap;
    if (fields & SLAW_FIT_BOOTSTRAP_BY) opt->bootstrap_by = from->bootstrap_by;
    else if (!opt->bootstrap) opt->bootstrap_by = NULL;
    if (fields & SLAW_FIT_SEED) opt->seed = from->seed;
    if (fields & SLAW_FIT_LEVEL) opt->level = from->level;
    if (fields & SLAW_FIT_PROGRESS) {
        opt->progress = from->progress;
        opt->progress_ctx = from->progress_ctx;
    }
}

slaw_status fit_check_options(const slaw_fit_options *opt, const slaw_law **law, objective *obj,
                              slaw_error *err)
{
    if (opt->formula) {
        if (opt->law)
            return error_set(err, SLAW_EUSAGE, NULL, 0,
                             "both a law (%s) and a formula: give one of them", opt->law);
        if (!*law) return error_set(err, SLAW_EUSAGE, NULL, 0, "formula: not compiled");
    } else if (!opt->law || !(*law = slaw_law_find(opt->law))) {
        char names[200] = "";
        for (size_t i = 0; i < slaw_law_count(); i++) {
            strncat(names, i ? ", " : "", sizeof names - strlen(names) - 1);
            strncat(names, slaw_law_at(i)->name, sizeof names - strlen(names) - 1);
        }
        return error_set(err, SLAW_EUSAGE, NULL, 0, "%s%s%s: the laws are %s",
                         opt->law ? "unknown law '" : "no law given", opt->law ? opt->law : "",
                         opt->law ? "'" : "", names);
    }
    *obj = (objective){opt->space, opt->loss, slaw_loss_info_of(SLAW_LOSS_HUBER)->param_default,
                       slaw_loss_info_of(SLAW_LOSS_ASYM)->param_default,
                       (*law)->program && opt->space == SLAW_SPACE_LINEAR};
    if (opt->loss_param != 0) {
        if (opt->loss == SLAW_LOSS_L2)
            return error_set(err, SLAW_EUSAGE, NULL, 0, "the l2 loss takes no parameter");
        if (!(opt->loss_param > 0) || !isfinite(opt->loss_param))
            return error_set(err, SLAW_EUSAGE, NULL, 0, "the %s parameter must be positive",
                             opt->loss == SLAW_LOSS_HUBER ? "Huber" : "asym");
        if (opt->loss == SLAW_LOSS_HUBER) obj->delta = opt->loss_param;
        else obj->asym_w = opt->loss_param;
    }
    if (opt->polish < SLAW_POLISH_ALL)
        return error_set_option(err, SLAW_EUSAGE, "polish",
                                "polish takes 'all' or a positive count");
    if (opt->threads < 0)
        return error_set_option(err, SLAW_EUSAGE, "threads", "threads must be positive");
    if (!opt->max_iter)
        return error_set_option(err, SLAW_EUSAGE, "max_iter", "max_iter must be positive");
    slaw_status st = level_check(opt->level, err);
    if (st != SLAW_OK) return st;
    if (opt->bootstrap == 1)
        return error_set_option(err, SLAW_EUSAGE, "bootstrap",
                                "bootstrap needs at least 2 resamples");
    if (opt->bootstrap_by && !opt->bootstrap)
        return error_set_option(err, SLAW_EUSAGE, "bootstrap_by,bootstrap",
                                "bootstrap_by %s without bootstrap N: give the number of resamples",
                                opt->bootstrap_by);
    if (opt->interval == SLAW_INTERVAL_NONE || opt->interval > SLAW_INTERVAL_T)
        return error_set_option(err, SLAW_EUSAGE, "interval",
                                "interval: expected t, delta or bootstrap");
    if (opt->interval == SLAW_INTERVAL_BOOTSTRAP && !opt->bootstrap)
        return error_set_option(err, SLAW_EUSAGE, "interval,bootstrap",
                                "interval 'bootstrap' without bootstrap N: give the number of "
                                "resamples");
    if (opt->x && opt->formula)
        return error_set_option(err, SLAW_EUSAGE, "x",
                                "x does not apply to a formula: its variables are named in it");
    if (opt->x && law_var_index(*law, SLAW_ROLE_X) == SIZE_MAX) {
        char names[64];
        law_var_list(*law, names, sizeof names);
        return error_set_option(err, SLAW_EUSAGE, "x",
                                "x applies to one-variable laws; %s reads %s", (*law)->name, names);
    }
    return SLAW_OK;
}

/* Whether the runs have a column for role, or what derives it. */
static bool role_available(const slaw_runs *runs, slaw_role role)
{
    size_t col;
    bool n = slaw_runs_role_column(runs, SLAW_ROLE_N, &col),
         d = slaw_runs_role_column(runs, SLAW_ROLE_D, &col);
    if (slaw_runs_role_column(runs, role, &col) || slaw_runs_role_candidates(runs, role, &col, 1))
        return true;
    if (role == SLAW_ROLE_M) return n && d;
    if (role == SLAW_ROLE_R) return d && role_available(runs, SLAW_ROLE_U);
    return false;
}

/* In a formula, N, D, C, L (the loss as an input) and x are variables
 * always; U, M, R, S and LR when the runs have them (or what derives them);
 * B only when bound with --var, since it is chinchilla's data-term scale.
 * A column's name, spelt exactly, is a variable too ('c' is a parameter
 * even beside a column C, which slaw_runs_column_find would match). */
static bool formula_is_var(void *ctx, const char *name)
{
    const slaw_runs *runs = ctx;
    size_t col;
    slaw_role role;
    if (slaw_role_from_symbol(name, strlen(name), &role) &&
        (role < SLAW_ROLE_FIRST_VARIABLE || role == SLAW_ROLE_LOSS || role == SLAW_ROLE_X ||
         slaw_runs_role_source(runs, role) == SLAW_SOURCE_OVERRIDE ||
         (role != SLAW_ROLE_B && role_available(runs, role))))
        return true;
    return runs_column_lookup(runs, name, strlen(name), &col);
}

slaw_status fit_formula_law(const slaw_fit_options *opt, const slaw_runs *runs, slaw_law **out,
                            slaw_error *err)
{
    *out = NULL;
    if (!opt->formula) return SLAW_OK;
    return formula_law_new(opt->formula, formula_is_var, (void *)runs, out, err);
}

/* The column of variable v, a role (found, detected or derived) or a
 * column named in the formula. */
static slaw_status formula_column(slaw_runs *runs, const slaw_law *law, size_t v, size_t *col,
                                  slaw_error *err)
{
    const char *name = formula_var_name(law, v);
    slaw_role role = law->vars[v];
    if (role == SLAW_ROLE_COUNT) {
        if (!runs_column_lookup(runs, name, strlen(name), col))
            return error_set(err, SLAW_EUSAGE, NULL, 0,
                             "formula: variable %s: the runs have no column '%s'", name, name);
        return SLAW_OK;
    }
    if (role >= SLAW_ROLE_FIRST_VARIABLE) {
        slaw_status st = slaw_runs_need_role(runs, role, err);
        if (st == SLAW_EUSAGE) error_prefix(err, "formula: variable %s: ", name);
        if (st != SLAW_OK) return st;
    }
    if (!slaw_runs_role_column(runs, role, col))
        return error_set(err, SLAW_EUSAGE, NULL, 0,
                         "formula: variable %s: the runs have no %s column", name, name);
    return SLAW_OK;
}

/* The columns of a formula's variables: roles through their binding, other
 * names as columns. */
static slaw_status formula_columns(slaw_runs *runs, const slaw_law *law, size_t *cols,
                                   slaw_error *err)
{
    size_t ycol;
    slaw_status st;
    bool has_y = slaw_runs_role_column(runs, SLAW_ROLE_L, &ycol);
    for (size_t v = 0; v < law->n_vars; v++) {
        const char *name = formula_var_name(law, v);
        if ((st = formula_column(runs, law, v, &cols[v], err))) return st;
        if (slaw_runs_column_is_label(runs, cols[v]))
            return error_set(err, SLAW_EUSAGE, NULL, 0,
                             "formula: variable %s: column '%s' holds text", name,
                             slaw_runs_column_name(runs, cols[v]));
        if (has_y && cols[v] == ycol)
            return error_set(err, SLAW_EUSAGE, NULL, 0,
                             "formula: variable %s is the target column '%s'", name,
                             slaw_runs_column_name(runs, ycol));
    }
    return SLAW_OK;
}

/* A generic variable x: the column --x names, else N. */
static slaw_status x_column(const slaw_runs *runs, const slaw_law *law, const char *x, size_t *col,
                            slaw_error *err)
{
    if (x) {
        if (!slaw_runs_column_find(runs, x, col))
            return error_set_option(err, SLAW_EUSAGE, "x", "x %s: no such column", x);
        if (slaw_runs_column_is_label(runs, *col))
            return error_set_option(err, SLAW_EUSAGE, "x", "x %s: the column holds text", x);
    } else if (!slaw_runs_role_column(runs, SLAW_ROLE_N, col)) {
        return error_set_option(err, SLAW_EUSAGE, "x,role_column[N]",
                                "law %s needs a variable: no N column was found; name one with "
                                "x COLUMN or role_column[N] COLUMN",
                                law->name);
    }
    return SLAW_OK;
}

slaw_status fit_resolve_variables(slaw_runs *runs, const slaw_law *law, const char *x, size_t *cols,
                                  slaw_error *err)
{
    char names[64];
    if (law->program) return formula_columns(runs, law, cols, err);
    law_var_list(law, names, sizeof names);
    for (size_t v = 0; v < law->n_vars; v++) {
        slaw_role role = law->vars[v];
        slaw_status st = role == SLAW_ROLE_X ? x_column(runs, law, x, &cols[v], err)
                                             : slaw_runs_need_role(runs, role, err);
        if (st == SLAW_EUSAGE && role != SLAW_ROLE_X)
            error_prefix(err, "law %s needs %s: ", law->name, names);
        if (st != SLAW_OK) return st;
        if (role != SLAW_ROLE_X) slaw_runs_role_column(runs, role, &cols[v]);
    }
    return SLAW_OK;
}

slaw_status fit_select(const slaw_fit_options *opt, slaw_runs *runs, size_t *removed,
                       slaw_error *err)
{
    return selection_apply(opt->selection, runs, &opt->space, removed, err);
}

const char *slaw_interval_method_name(slaw_interval_method method)
{
    switch (method) {
    case SLAW_INTERVAL_AUTO: return "auto";
    case SLAW_INTERVAL_BOOTSTRAP: return "bootstrap";
    case SLAW_INTERVAL_DELTA: return "delta";
    case SLAW_INTERVAL_T: return "t";
    case SLAW_INTERVAL_NONE: break;
    }
    return "none";
}

bool slaw_interval_method_parse(const char *name, slaw_interval_method *out)
{
    static const slaw_interval_method methods[] = {SLAW_INTERVAL_AUTO, SLAW_INTERVAL_T,
                                                   SLAW_INTERVAL_DELTA, SLAW_INTERVAL_BOOTSTRAP};
    for (size_t i = 0; name && i < sizeof methods / sizeof *methods; i++)
        if (!strcmp(name, slaw_interval_method_name(methods[i]))) {
            *out = methods[i];
            return true;
        }
    return false;
}
