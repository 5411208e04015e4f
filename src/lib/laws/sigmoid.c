/* sigmoid.c — acc = c + (h - c) / (1 + exp(k·(L - L0))): a bounded metric
 * (accuracy) against loss L, between a chance floor c and a ceiling h. */
#include "../law.h"

#include <stdio.h>

enum { C, H, K, L0 };

static void eval(const double *t, law_inputs lnx, size_t n, double *lny, double *J)
{
    for (size_t i0 = 0; i0 < n; i0 += LAW_BLOCK) {
        size_t m = law_block(n, i0);
        double l[LAW_BLOCK], e[LAW_BLOCK], s[LAW_BLOCK], y[LAW_BLOCK], lg[LAW_BLOCK];
        for (size_t i = 0; i < m; i++) l[i] = lnx[0][i0 + i];
        vmath_exp(l, m);
        /* s = 1 / (1 + e^(k (L - L0))), from e^(-|z|) for z = -k (L - L0) */
        for (size_t i = 0; i < m; i++) e[i] = -fabs(-t[K] * (l[i] - t[L0]));
        vmath_exp(e, m);
        for (size_t i = 0; i < m; i++) {
            s[i] = (-t[K] * (l[i] - t[L0]) >= 0 ? 1.0 : e[i]) / (1.0 + e[i]);
            lg[i] = y[i] = t[C] + (t[H] - t[C]) * s[i];
        }
        vmath_log(lg, m);
        for (size_t i = 0; i < m; i++) lny[i0 + i] = y[i] > 0 ? lg[i] : NAN;
        if (!J) continue;
        for (size_t i = 0; i < m; i++) {
            double *row = J + (i0 + i) * 4, slope = (t[H] - t[C]) * s[i] * (1.0 - s[i]);
            row[C] = (1.0 - s[i]) / y[i];
            row[H] = s[i] / y[i];
            row[K] = -slope * (l[i] - t[L0]) / y[i];
            row[L0] = slope * t[K] / y[i];
        }
    }
}

/* Centred on the data's typical metric y and loss l: c = c'·y, h = h'·y,
 * k = k'/l (so k·L spans the same range in any units), L0 = l·(1 + L0'). */
static void uncenter(const data_summary *s, const bool *centered, double *t)
{
    double y = exp(s->mean_lny), l = exp(s->mean_lnx[0]);
    if (centered[C]) t[C] *= y;
    if (centered[H]) t[H] *= y;
    if (centered[K]) t[K] /= l;
    if (centered[L0]) t[L0] = l * (1.0 + t[L0]);
}

/* Runs that all sit at the chance floor carry no sign of where the metric
 * starts to rise: the fit extrapolates from noise. */
static bool caveat(const double *v, const double *y, size_t n, char *buf, size_t size)
{
    double band = 0.05 * (v[C] > 0 ? v[C] : v[H] - v[C]);
    for (size_t i = 0; i < n; i++)
        if (!(fabs(y[i] - v[C]) <= band)) return false;
    snprintf(buf, size,
             "every run lies within 5%% of the chance floor c = %g: the runs show no "
             "rise above chance, so the fit has no signal to extrapolate",
             v[C]);
    return true;
}

const slaw_law law_sigmoid = {
    .name = "sigmoid",
    .formula = "acc = c + (h - c) / (1 + exp(k * (L - L0)))",
    .summary = "a bounded metric (accuracy) against the loss L, from a chance floor c to a "
               "ceiling h; best with c fixed at the task's chance level",
    .n_vars = 1,
    .vars = {SLAW_ROLE_X},
    .n_params = 4,
    .params = {{"c", "c", SCALE_LINEAR, "chance floor (the metric at high loss)"},
               {"h", "h", SCALE_LINEAR, "ceiling (the metric at low loss)"},
               {"k", "k", SCALE_LINEAR, "steepness: how fast the metric rises as L falls"},
               {"L0", "L0", SCALE_LINEAR, "the loss halfway between floor and ceiling"}},
    .grid = {{0, 0.9, 0.3}, {1.2, 3, 0.6}, {1, 25, 3}, {-0.2, 0.2, 0.1}},
    .uncenter = uncenter,
    .eval = eval,
    .caveat = caveat,
    .x_is_loss = true,
    /* tests/reference/law_test_points.py */
    .n_test_points = 2,
    .test_points =
        {
            {{0.25, 0.82, 3.5, 3.1}, {2.7}, 0.7072448164783916},
            {{0.25, 0.82, 3.5, 3.1}, {3.3}, 0.43913296986414532},
        },
};
