/* downstream.c — Err = eps - k·exp(-gamma·L): top-1 error against loss
 * (Gadre et al. 2024, "Language models scale reliably with over-training
 * and on downstream tasks", Eq. 5). */
#include "../law.h"

enum { EPS, LN_K, GAMMA };

/* The input is the loss L itself (its logarithm arrives, as for every law). */
static void eval(const double *t, law_inputs lnx, size_t n, double *lny, double *J)
{
    const double *ln_l = lnx[0];
    for (size_t i = 0; i < n; i++) {
        double l = exp(ln_l[i]);
        double drop = exp(t[LN_K] - t[GAMMA] * l); /* k e^(-gamma L) */
        double y = t[EPS] - drop;
        /* An error at or below zero is outside the law: the step fails. */
        lny[i] = y > 0 ? log(y) : NAN;
        if (J) {
            double *row = J + i * 3;
            row[EPS] = 1.0 / y;
            row[LN_K] = -drop / y;
            row[GAMMA] = drop * l / y;
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
