/* saturating.c — y = E + A·x^(-alpha): a power law that levels off at E. */
#include "../law.h"

enum { LN_E, LN_A, ALPHA };

static void eval(const double *t, law_inputs lnx, size_t n, double *lny, double *J)
{
    law_floor_powers(1, t, lnx, n, lny, J);
}

/* Its terms e and a - alpha ln x. */
static void curvature(law_inputs lnx, size_t n, const double *J, const double *c, const double *cj,
                      double *H)
{
    static const law_term terms[] = {{LN_E, -1, 0}, {LN_A, ALPHA, 0}};
    law_log_sum_curvature(terms, 2, 3, lnx, n, J, c, cj, H);
}

/* ŷ = E + e^(a - alpha ln x): one exp a row, E's once. */
static void values(const double *t, law_inputs lnx, size_t n, double *yhat, double *J)
{
    double floor_value = exp(t[LN_E]);
    for (size_t i0 = 0; i0 < n; i0 += LAW_BLOCK) {
        const double *x = lnx[0] + i0;
        size_t m = law_block(n, i0);
        double term[LAW_BLOCK];
        for (size_t i = 0; i < m; i++) term[i] = t[LN_A] - t[ALPHA] * x[i];
        vmath_exp(term, m);
        for (size_t i = 0; i < m; i++) yhat[i0 + i] = floor_value + term[i];
        if (!J) continue;
        for (size_t i = 0; i < m; i++) {
            double *row = J + (i0 + i) * 3;
            row[LN_E] = floor_value;
            row[LN_A] = term[i];
            row[ALPHA] = -term[i] * x[i];
        }
    }
}

/* values' column j alone: E's e^e, A's e^(a - alpha ln x). */
static void basis(const double *t, law_inputs lnx, size_t n, size_t j, double *out)
{
    if (j == LN_E) {
        double floor_value = exp(t[LN_E]);
        for (size_t i = 0; i < n; i++) out[i] = floor_value;
        return;
    }
    for (size_t i = 0; i < n; i++) out[i] = t[LN_A] - t[ALPHA] * lnx[0][i];
    vmath_exp(out, n);
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
    .values = values,
    .separable = true,
    .basis_depends = {[LN_A] = 1u << ALPHA},
    .basis = basis,
    .curvature = curvature,
    /* tests/reference/law_test_points.py */
    .n_test_points = 2,
    .test_points =
        {
            {{1.8, 380, 0.32}, {1e7}, 3.9866717618811963},
            {{1.8, 380, 0.32}, {5e9}, 2.099304464704016},
        },
};
