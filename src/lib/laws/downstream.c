/* downstream.c — Err = eps - k·exp(-gamma·L): top-1 error against loss
 * (Gadre et al. 2024, "Language models scale reliably with over-training
 * and on downstream tasks", Eq. 5). */
#include "../law.h"

enum { EPS, LN_K, GAMMA };

/* The input is the loss L itself (its logarithm arrives, as for every law). */
static void eval(const double *t, law_inputs lnx, size_t n, double *lny, double *J)
{
    for (size_t i0 = 0; i0 < n; i0 += LAW_BLOCK) {
        size_t m = law_block(n, i0);
        double l[LAW_BLOCK], drop[LAW_BLOCK], y[LAW_BLOCK], lg[LAW_BLOCK];
        for (size_t i = 0; i < m; i++) l[i] = lnx[0][i0 + i];
        vmath_exp(l, m);
        for (size_t i = 0; i < m; i++) drop[i] = t[LN_K] - t[GAMMA] * l[i];
        vmath_exp(drop, m); /* k e^(-gamma L) */
        for (size_t i = 0; i < m; i++) lg[i] = y[i] = t[EPS] - drop[i];
        vmath_log(lg, m);
        /* An error at or below zero is outside the law: the step fails. */
        for (size_t i = 0; i < m; i++) lny[i0 + i] = y[i] > 0 ? lg[i] : NAN;
        if (!J) continue;
        for (size_t i = 0; i < m; i++) {
            double *row = J + (i0 + i) * 3;
            row[EPS] = 1.0 / y[i];
            row[LN_K] = -drop[i] / y[i];
            row[GAMMA] = drop[i] * l[i] / y[i];
        }
    }
}

/* Centred: eps' = eps / (the data's typical error) - 1, so the grid puts the
 * ceiling above every run; k' = ln(k e^(-gamma L)) at the typical loss,
 * relative to the typical error. */
static void uncenter(const data_summary *s, const bool *centered, double *t)
{
    double y = exp(s->mean_lny), l = exp(s->mean_lnx[0]);
    if (centered[EPS]) t[EPS] = y * (1.0 + t[EPS]);
    if (centered[LN_K]) t[LN_K] += s->mean_lny + t[GAMMA] * l;
}

const slaw_law law_downstream = {
    .name = "downstream",
    .formula = "Err = eps - k * exp(-gamma * L)",
    .summary = "downstream top-1 error against the loss L (Gadre et al. 2024); chained after "
               "a loss law, the error at a model size",
    .n_vars = 1,
    .vars = {SLAW_ROLE_X},
    .n_params = 3,
    .params = {{"eps", "eps", SCALE_LINEAR, "the error as the loss grows (chance)"},
               {"k", "ln_k", SCALE_LOG, "scale of the fall in error"},
               {"gamma", "gamma", SCALE_LINEAR, "rate of the fall with loss"}},
    .grid = {{0.05, 0.45, 0.1}, {-3, 0, 0.5}, {0.25, 2.5, 0.25}},
    .uncenter = uncenter,
    .eval = eval,
    .x_is_loss = true,
    /* tests/reference/law_test_points.py */
    .n_test_points = 2,
    .test_points =
        {
            {{0.850, 2.08, 0.756}, {2.1}, 0.42481550836521089},
            {{0.850, 2.08, 0.756}, {4.2}, 0.76308564811214709},
        },
};
