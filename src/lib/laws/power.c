/* power.c — y = k·x^p: loss against size, and cost laws (T ∝ N^1.5, C ∝ N^2). */
#include "../law.h"

enum { LN_K, P };

static void eval(const double *t, law_inputs lnx, size_t n, double *lny, double *J)
{
    const double *x = lnx[0];
    for (size_t i = 0; i < n; i++) {
        lny[i] = t[LN_K] + t[P] * x[i];
        if (J) {
            J[i * 2 + LN_K] = 1.0;
            J[i * 2 + P] = x[i];
        }
    }
}

/* ŷ = e^(ln k + p ln x). */
static void values(const double *t, law_inputs lnx, size_t n, double *yhat, double *J)
{
    const double *x = lnx[0];
    for (size_t i = 0; i < n; i++) yhat[i] = t[LN_K] + t[P] * x[i];
    vmath_exp(yhat, n);
    if (!J) return;
    for (size_t i = 0; i < n; i++) {
        J[i * 2 + LN_K] = yhat[i];
        J[i * 2 + P] = yhat[i] * x[i];
    }
}

/* Centred: ln k' = ln ŷ at the data's mean x, relative to the mean ln y. */
static void uncenter(const data_summary *s, const bool *centered, double *t)
{
    if (centered[LN_K]) t[LN_K] += s->mean_lny - t[P] * s->mean_lnx[0];
}

const slaw_law law_power = {
    .name = "power",
    .formula = "y = k * x^p",
    .summary = "a pure power law: loss ~ N^-alpha without a floor, or a cost law such as "
               "training time ~ N^1.5",
    .n_vars = 1,
    .vars = {SLAW_ROLE_X},
    .n_params = 2,
    .params = {{"k", "ln_k", SCALE_LOG, "scale: y at x = 1"}, {"p", "p", SCALE_LINEAR, "exponent"}},
    .grid = {{-1, 1, 1}, {-2, 2, 0.5}},
    .linear = 1u << LN_K,
    .uncenter = uncenter,
    .eval = eval,
    .values = values,
    .separable = true,
    .basis_depends = {[LN_K] = 1u << P},
    /* tests/reference/law_test_points.py */
    .n_test_points = 2,
    .test_points =
        {
            {{3.2e-13, 1.5}, {3.3e8}, 1.9183192643561707},
            {{3.2e-13, 1.5}, {7e10}, 5926.4829367846829},
        },
};
