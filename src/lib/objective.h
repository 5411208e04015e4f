/* objective.h — the objective stage: residuals in log or linear space,
 * the loss, the weights (objective.c). */
#ifndef SLAW_OBJECTIVE_H
#define SLAW_OBJECTIVE_H

#include "dataset.h"

typedef struct objective {
    slaw_space space;
    slaw_loss loss;
    double delta;  /* Huber's threshold */
    double asym_w; /* weight of over-predictions for asym */
    bool direct;   /* the law gives ŷ itself, not ln ŷ: a formula in linear space */
} objective;

/* Raw residuals r_i (ln ŷ - ln y, or ŷ - y) from ln ŷ (ŷ when o->direct);
 * when J holds its derivatives (n × p) it becomes ∂r/∂θ in place. */
void objective_raw(const objective *o, const dataset *d, const double *lny_hat, double *r,
                   double *J, size_t p);
/* Least-squares residuals f with ½Σf² = Σ w·loss(r), and their Jacobian
 * rows scaled to match (J may be NULL).  Returns false when a value is not
 * finite: the caller treats the point as a failed step. */
bool objective_transform(const objective *o, const dataset *d, const double *r, double *f,
                         double *J, size_t p);
/* loss(r) for unit weight, its slope *psi = loss'(r) and the curvature *h
 * the lean solver's normal equations give it: loss'' where the loss is
 * quadratic; on Huber's linear part psi/(2r), the curvature GSL's
 * square-root residuals imply there (0, Newton's, stops more starts short
 * of the best optimum: docs/fitting.md). */
static inline double objective_loss(const objective *o, double r, double *psi, double *h)
{
    switch (o->loss) {
    case SLAW_LOSS_HUBER: {
        double a = r < 0 ? -r : r, delta = o->delta;
        if (a <= delta) {
            *psi = r;
            *h = 1.0;
            return 0.5 * r * r;
        }
        *psi = r < 0 ? -delta : delta;
        *h = 0.5 * delta / a;
        return delta * (a - 0.5 * delta);
    }
    case SLAW_LOSS_ASYM: {
        double c = r > 0 ? o->asym_w : 1.0;
        *psi = 2.0 * c * r;
        *h = 2.0 * c;
        return c * r * r;
    }
    case SLAW_LOSS_L2: break;
    }
    *psi = 2.0 * r;
    *h = 2.0;
    return r * r;
}
/* Σ w_i·loss(r_i). */
double objective_value(const objective *o, const dataset *d, const double *r);

#endif /* SLAW_OBJECTIVE_H */
