/* objective.c — residuals for every space and loss, shaped for one
 * least-squares driver.
 *
 * The solver minimises ½Σf².  Each loss is written as such a sum:
 *   l2     f = sqrt(2w)·r                       ½f² = w·r²
 *   huber  f = sqrt(w)·r            (|r| ≤ δ)   ½f² = w·r²/2
 *          f = sqrt(w)·sign(r)·sqrt(2δ|r|-δ²)   ½f² = w·δ(|r| - δ/2)
 *   asym   f = sqrt(2wc)·r, c = W for r > 0     ½f² = w·c·r²
 * so ½Σf² is always the reported objective, and the Jacobian rows are
 * scaled by df/dr. */
#include "objective.h"

#include <math.h>
#include <string.h>

static const slaw_loss_info losses[] = {
    {SLAW_LOSS_L2, "l2", NULL, NAN, "sum of r²"},
    {SLAW_LOSS_HUBER, "huber", "delta", 1e-3,
     "sum of Huber_delta(r): r²/2 within delta, linear beyond"},
    {SLAW_LOSS_ASYM, "asym", "W", 10.0, "sum of r², over-predictions (r > 0) weighted W times"},
};

size_t slaw_loss_count(void)
{
    return sizeof losses / sizeof losses[0];
}

const slaw_loss_info *slaw_loss_info_of(slaw_loss loss)
{
    return (size_t)loss < slaw_loss_count() ? &losses[loss] : NULL;
}

const slaw_loss_info *slaw_loss_find(const char *name, size_t len)
{
    for (size_t i = 0; i < slaw_loss_count(); i++)
        if (strlen(losses[i].name) == len && !strncmp(losses[i].name, name, len)) return &losses[i];
    return NULL;
}

static const double sqrt2 = 1.41421356237309504880;

void objective_raw(const objective *o, const dataset *d, const double *lny_hat, double *r,
                   double *J, size_t p)
{
    if (o->space == SLAW_SPACE_LOG) {
        for (size_t i = 0; i < d->n; i++) r[i] = lny_hat[i] - d->lny[i];
        return; /* ∂r/∂θ = ∂ln ŷ/∂θ */
    }
    if (o->direct) {
        for (size_t i = 0; i < d->n; i++) r[i] = lny_hat[i] - d->y[i];
        return; /* ∂r/∂θ = ∂ŷ/∂θ */
    }
    for (size_t i = 0; i < d->n; i++) {
        double yhat = exp(lny_hat[i]);
        r[i] = yhat - d->y[i];
        if (J)
            for (size_t j = 0; j < p; j++) J[i * p + j] *= yhat;
    }
}

/* df/dr and f for one residual (weight applied by the caller). */
static double shape(const objective *o, double r, double *slope)
{
    switch (o->loss) {
    case SLAW_LOSS_HUBER: {
        double a = fabs(r), delta = o->delta;
        if (a <= delta) {
            *slope = 1.0;
            return r;
        }
        double f = sqrt(2.0 * delta * a - delta * delta);
        *slope = delta / f;
        return r < 0 ? -f : f;
    }
    case SLAW_LOSS_ASYM: {
        double c = sqrt(2.0 * (r > 0 ? o->asym_w : 1.0));
        *slope = c;
        return c * r;
    }
    case SLAW_LOSS_L2: break;
    }
    *slope = sqrt2;
    return sqrt2 * r;
}

bool objective_transform(const objective *o, const dataset *d, const double *r, double *f,
                         double *J, size_t p)
{
    double poison = 0; /* x * 0 is 0 for finite x, NaN for an infinity or NaN */
    for (size_t i = 0; i < d->n; i++) {
        double slope, sw = d->sw ? d->sw[i] : 1.0;
        f[i] = sw * shape(o, r[i], &slope);
        poison += f[i] * 0.0;
        if (!J) continue;
        double scale = sw * slope, *row = J + i * p;
        for (size_t j = 0; j < p; j++) {
            row[j] *= scale;
            poison += row[j] * 0.0;
        }
    }
    return poison == 0.0;
}

/* The loss of each residual as objective_loss gives it (the lean solver's
 * sums), r² alone in the usual case of l2 without weights. */
double objective_value(const objective *o, const dataset *d, const double *r)
{
    double sum = 0, psi, h;
    if (o->loss == SLAW_LOSS_L2 && !d->w) {
        for (size_t i = 0; i < d->n; i++) sum += r[i] * r[i];
        return sum;
    }
    for (size_t i = 0; i < d->n; i++)
        sum += (d->w ? d->w[i] : 1.0) * objective_loss(o, r[i], &psi, &h);
    return sum;
}
