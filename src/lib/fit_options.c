/* fit_options.c — the fit's options: their defaults, the checks that need
 * no runs, and what they resolve to over the runs (the law of a formula,
 * the variables' columns, the per-key reduction). */
#include "fit_options.h"
#include "formula.h"

#include <math.h>
#include <string.h>

#define DEFAULT_HUBER_DELTA 1e-3
#define DEFAULT_ASYM_W 10.0

void slaw_fit_options_init(slaw_fit_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->space = SLAW_SPACE_LOG;
    opt->loss = SLAW_LOSS_L2;
    opt->polish = SLAW_POLISH_DEFAULT;
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
                         opt->law ? "unknown law '" : "no law given",
                         opt->law ? opt->law : "", opt->law ? "'" : "", names);
    }
    *obj = (objective){opt->space, opt->loss, DEFAULT_HUBER_DELTA, DEFAULT_ASYM_W,
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
        return error_set(err, SLAW_EUSAGE, NULL, 0, "--polish takes 'all' or a positive count");
    if (opt->threads < 0)
        return error_set(err, SLAW_EUSAGE, NULL, 0, "--threads must be positive");
    if (opt->level != 0 && !(opt->level > 0 && opt->level < 1))
        return error_set(err, SLAW_EUSAGE, NULL, 0, "--level must be between 0 and 1, e.g. 0.95");
    if (opt->bootstrap == 1)
        return error_set(err, SLAW_EUSAGE, NULL, 0, "--bootstrap needs at least 2 resamples");
    if (opt->bootstrap_by && !opt->bootstrap)
        return error_set(err, SLAW_EUSAGE, NULL, 0,
                         "--bootstrap-by %s without --bootstrap N: give the number of resamples",
                         opt->bootstrap_by);
    if (opt->interval == SLAW_INTERVAL_NONE || opt->interval > SLAW_INTERVAL_T)
        return error_set(err, SLAW_EUSAGE, NULL, 0, "--intervals: expected t, delta or bootstrap");
    if (opt->interval == SLAW_INTERVAL_BOOTSTRAP && !opt->bootstrap)
        return error_set(err, SLAW_EUSAGE, NULL, 0,
                         "--intervals bootstrap without --bootstrap N: give the number of "
                         "resamples");
    if (opt->x && opt->formula)
        return error_set(err, SLAW_EUSAGE, NULL, 0,
                         "--x does not apply to a formula: its variables are named in it");
    if (opt->x && (*law)->n_vars != 1)
        return error_set(err, SLAW_EUSAGE, NULL, 0,
                         "--x applies to one-variable laws; %s reads N and D", (*law)->name);
    return SLAW_OK;
}

/* The role a formula's variable name stands for, or -1. */
static int formula_role(const char *name)
{
    static const char *const roles[] = {"N", "D", "C", "L"};
    static const slaw_role role_of[] = {SLAW_ROLE_N, SLAW_ROLE_D, SLAW_ROLE_C, SLAW_ROLE_L};
    for (int k = 0; k < 4; k++)
        if (!strcmp(name, roles[k])) return (int)role_of[k];
    return -1;
}

static bool formula_is_var(void *ctx, const char *name)
{
    size_t col;
    return formula_role(name) >= 0 || !strcmp(name, "x") ||
           slaw_runs_column_find(ctx, name, &col);
}

slaw_status fit_formula_law(const slaw_fit_options *opt, const slaw_runs *runs, slaw_law **out,
                            slaw_error *err)
{
    *out = NULL;
    if (!opt->formula) return SLAW_OK;
    return formula_law_new(opt->formula, formula_is_var, (void *)runs, out, err);
}

/* The columns of a formula's variables: roles through their binding, other
 * names as columns. */
static slaw_status formula_columns(const slaw_runs *runs, const slaw_law *law, size_t *cols,
                                   slaw_error *err)
{
    size_t ycol;
    bool has_y = slaw_runs_role_column(runs, SLAW_ROLE_L, &ycol);
    for (size_t v = 0; v < law->n_vars; v++) {
        const char *name = formula_var_name(law, v);
        int role = formula_role(name);
        if (role >= 0 && !slaw_runs_role_column(runs, (slaw_role)role, &cols[v]))
            return error_set(err, SLAW_EUSAGE, NULL, 0,
                             "formula: variable %s: the runs have no %s column", name, name);
        if (role < 0 && !slaw_runs_column_find(runs, name, &cols[v]))
            return error_set(err, SLAW_EUSAGE, NULL, 0,
                             "formula: variable %s: the runs have no column '%s'", name, name);
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

slaw_status fit_resolve_variables(const slaw_runs *runs, const slaw_law *law, const char *x,
                                  size_t *cols, slaw_error *err)
{
    if (law->program) return formula_columns(runs, law, cols, err);
    if (law->n_vars == 1) {
        if (x) {
            if (!slaw_runs_column_find(runs, x, &cols[0]))
                return error_set(err, SLAW_EUSAGE, NULL, 0, "--x %s: no such column", x);
            if (slaw_runs_column_is_label(runs, cols[0]))
                return error_set(err, SLAW_EUSAGE, NULL, 0, "--x %s: the column holds text", x);
        } else if (!slaw_runs_role_column(runs, SLAW_ROLE_N, &cols[0])) {
            return error_set(err, SLAW_EUSAGE, NULL, 0,
                             "law %s needs a variable: no N column was found; name one with "
                             "--x COLUMN or --n COLUMN", law->name);
        }
        return SLAW_OK;
    }
    static const char *const hint[] = {"--n COLUMN", "--d COLUMN (or give C to derive D)"};
    for (int v = 0; v < 2; v++)
        if (!slaw_runs_role_column(runs, v == 0 ? SLAW_ROLE_N : SLAW_ROLE_D, &cols[v]))
            return error_set(err, SLAW_EUSAGE, NULL, 0, "law %s needs N and D: no %s column; "
                             "name one with %s", law->name, v == 0 ? "N" : "D", hint[v]);
    return SLAW_OK;
}

slaw_per_options fit_per_options(const slaw_fit_options *opt)
{
    slaw_per_options per = opt->per;
    per.space = opt->space;
    return per;
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
