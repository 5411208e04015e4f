/* fit_options.h — the fit's options: defaults, the checks that need no
 * runs, and what they resolve to over the runs (fit_options.c). */
#ifndef SLAW_FIT_OPTIONS_H
#define SLAW_FIT_OPTIONS_H

#include "objective.h"
#include "solver_params.h"

/* The law and objective the options name, after checking every option
 * that does not depend on the runs.  Errors: SLAW_EUSAGE. */
slaw_status fit_check_options(const slaw_fit_options *opt, const slaw_law **law, objective *obj,
                              slaw_error *err);
/* The law of opt->formula over the columns of runs (NULL when there is no
 * formula); caller owns *out, free with formula_law_free.  Errors:
 * SLAW_EUSAGE for a malformed formula (with its column). */
slaw_status fit_formula_law(const slaw_fit_options *opt, const slaw_runs *runs, slaw_law **out,
                            slaw_error *err);
/* Applies opt's selection to runs (slaw_selection_apply), its per-key
 * variances in the fit's space; removed (may be NULL) gets each step's count. */
slaw_status fit_select(const slaw_fit_options *opt, slaw_runs *runs, size_t *removed,
                       slaw_error *err);
/* The columns of the law's variables in runs, by their roles: x is --x's
 * column or N; the others as slaw_runs_need_role finds them (so a derived
 * role's column is added to runs).  Errors: SLAW_EUSAGE naming what is
 * missing, SLAW_EINPUT for a bad value. */
slaw_status fit_resolve_variables(slaw_runs *runs, const slaw_law *law, const char *x, size_t *cols,
                                  slaw_error *err);

/* What every group's fit shares: the law, objective, constraints, columns. */
typedef struct fit_plan {
    const slaw_law *law;
    const slaw_fit_options *opt;
    objective obj;
    param_map map;
    size_t var_cols[LAW_MAX_VARS];
    int threads;
} fit_plan;

#endif /* SLAW_FIT_OPTIONS_H */
