/* solver_problem.c — the problem the solver sees: the law alone, or a joint fit's
 * layout of shared and per-group parameters over the rows of every group. */
#include "solver.h"

#include <string.h>

size_t problem_params(const problem *pb)
{
    return pb->joint ? pb->joint->P : pb->law->n_params;
}

size_t problem_base(const problem *pb, size_t k)
{
    return pb->joint ? pb->joint->base[k] : k;
}

void problem_eval(const problem *pb, const double *theta, size_t from, size_t n, double *lny,
                  double *J)
{
    const dataset *d = pb->data;
    const joint *jt = pb->joint;
    const double *lnx[LAW_MAX_VARS];
    if (!jt) {
        for (size_t v = 0; v < d->n_vars; v++) lnx[v] = d->lnx[v] + from;
        law_eval(pb->law, theta, lnx, n, lny, J);
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
        for (size_t v = 0; v < d->n_vars; v++) lnx[v] = d->lnx[v] + lo;
        double *Jg = J ? J + (lo - from) * P : NULL;
        law_eval(pb->law, tg, lnx, hi - lo, lny + (lo - from), Jg);
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
