/* saturating.c — y = E + A·x^(-alpha): a power law that levels off at E. */
#include "../law.h"

enum { LN_E, LN_A, ALPHA };

static void eval(const double *t, law_inputs lnx, size_t n, double *lny, double *J)
{
    const double *x = lnx[0];
    for (size_t i = 0; i < n; i++) {
        double w1 = 0, w2 = 0;
        lny[i] = log_add(t[LN_E], t[LN_A] - t[ALPHA] * x[i], J ? &w1 : NULL, &w2);
        if (J) {
            J[i * 3 + LN_E] = w1;
            J[i * 3 + LN_A] = w2;
            J[i * 3 + ALPHA] = -w2 * x[i];
        }
    }
}

/* Centred: e' = e - mean ln y; a' = ln(A x^-alpha) at the mean x, likewise. */
static void uncenter(const data_summary *s, const bool *centered, double *t)
{
    if (centered[LN_E]) t[LN_E] += s->mean_lny;
    if (centered[LN_A]) t[LN_A] += s->mean_lny + t[ALPHA] * s->mean_lnx[0];
}

const slaw_law law_saturating = {
    .name = "saturating",
    .formula = "y = E + A * x^-alpha",
    .summary = "loss against one size variable with an irreducible floor E",
    .n_vars = 1,
    .vars = {SLAW_ROLE_X},
    .n_params = 3,
    .params = {{"E", "e", SCALE_LOG, "irreducible loss (the floor)"},
               {"A", "a", SCALE_LOG, "scale of the reducible term"},
               {"alpha", "alpha", SCALE_LINEAR, "exponent of x"}},
    .grid = {{-4, 0, 0.5}, {-4, 0.5, 0.5}, {0.05, 1.55, 0.25}},
    .linear = 1u << LN_E | 1u << LN_A,
    .uncenter = uncenter,
    .eval = eval,
    /* tests/reference/law_test_points.py */
    .n_test_points = 2,
    .test_points =
        {
            {{1.8, 380, 0.32}, {1e7}, 3.9866717618811963},
            {{1.8, 380, 0.32}, {5e9}, 2.099304464704016},
        },
};
