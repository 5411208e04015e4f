/* solver_problem.c — the problem the solver sees: the law alone, or a joint fit's
 * layout of shared and per-group parameters over the rows of every group. */
#include "solver.h"
#include "vmath.h"

#include <assert.h>
#include <math.h>
#include <string.h>

size_t problem_params(const problem *pb)
{
    return pb->joint ? pb->joint->P : pb->law->n_params;
}

size_t problem_base(const problem *pb, size_t k)
{
    return pb->joint ? pb->joint->base[k] : k;
}

/* The law at rows [from, from + n): a formula from the variables' values
 * (ŷ itself in linear space), a built-in law from their logarithms. */
static void eval_rows(const problem *pb, const double *theta, size_t from, size_t n, double *out,
                      double *J)
{
    const dataset *d = pb->data;
    const double *in[LAW_MAX_VARS];
    if (pb->law->program) {
        for (size_t v = 0; v < d->n_vars; v++) in[v] = d->x[v] + from;
        formula_eval_values(pb->law->program, theta, in, n, !pb->obj.direct, out, J);
        return;
    }
    for (size_t v = 0; v < d->n_vars; v++) in[v] = d->lnx[v] + from;
    pb->law->eval(theta, in, n, out, J);
}

void problem_eval(const problem *pb, const double *theta, size_t from, size_t n, double *lny,
                  double *J)
{
    const joint *jt = pb->joint;
    if (!jt) {
        eval_rows(pb, theta, from, n, lny, J);
        return;
    }
    size_t p = pb->law->n_params, P = jt->P, end = from + n;
    for (size_t g = 0; g < jt->n_groups; g++) {
        size_t lo = from > jt->first[g] ? from : jt->first[g];
        size_t hi = end < jt->first[g + 1] ? end : jt->first[g + 1];
        if (lo >= hi) continue;
        const size_t *ix = jt->index + g * p;
        double tg[LAW_MAX_PARAMS];
        for (size_t j = 0; j < p; j++) tg[j] = theta[ix[j]];
        double *Jg = J ? J + (lo - from) * P : NULL;
        eval_rows(pb, tg, lo, hi - lo, lny + (lo - from), Jg);
        if (!Jg) continue;
        /* Rows were written p wide; spread them P wide, last row first (row
         * i's new place never reaches the rows before it). */
        for (size_t i = hi - lo; i-- > 0;) {
            double row[LAW_MAX_PARAMS], *out = Jg + i * P;
            memcpy(row, Jg + i * p, p * sizeof *row);
            memset(out, 0, P * sizeof *out);
            for (size_t j = 0; j < p; j++) out[ix[j]] = row[j];
        }
    }
}

void problem_eval_values(const problem *pb, const double *theta, size_t n, double *yhat, double *J)
{
    const dataset *d = pb->data;
    size_t p = pb->law->n_params;
    assert(!pb->joint);
    if (pb->law->program) {
        const double *in[LAW_MAX_VARS];
        for (size_t v = 0; v < d->n_vars; v++) in[v] = d->x[v];
        formula_eval_values(pb->law->program, theta, in, n, false, yhat, J);
        return;
    }
    if (pb->law->values) {
        pb->law->values(theta, (law_inputs)d->lnx, n, yhat, J);
        return;
    }
    pb->law->eval(theta, (law_inputs)d->lnx, n, yhat, J);
    vmath_exp(yhat, n);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < p; j++) J[i * p + j] *= yhat[i];
}

bool problem_reportable(const problem *pb, const double *theta)
{
    const slaw_law *law = pb->law;
    for (size_t k = 0, p = problem_params(pb); k < p; k++) {
        size_t j = problem_base(pb, k);
        double v = law_to_natural(law, j, theta[k]);
        if (!isfinite(v) || (law->params[j].scale == SCALE_LOG && !(v > 0))) return false;
    }
    return true;
}
