/* gadre.c — the over-training law of Gadre et al. 2024, "Language models
 * scale reliably with over-training and on downstream tasks" (arXiv
 * 2403.08540), Eq. 4:
 *
 *   L(C, M) = E + (a·M^eta + b·M^(−eta))·C^(−eta)
 *
 * with M = D/N the tokens per parameter and C the training compute: the
 * Chinchilla law with alpha = beta = 2·eta, rewritten so that over-training
 * (a larger M at the same C) shifts the curve without changing its slope. */
#include "../law.h"

enum { LN_E, LN_A, LN_B, ETA };

static void eval(const double *t, law_inputs lnx, size_t n, double *lny, double *J)
{
    for (size_t i0 = 0; i0 < n; i0 += LAW_BLOCK) {
        const double *ln_c = lnx[0] + i0, *ln_m = lnx[1] + i0;
        size_t m = law_block(n, i0);
        double terms[3][LAW_BLOCK], w[3][LAW_BLOCK];
        for (size_t i = 0; i < m; i++) {
            terms[0][i] = t[LN_E];
            terms[1][i] = t[LN_A] + t[ETA] * (ln_m[i] - ln_c[i]);
            terms[2][i] = t[LN_B] + t[ETA] * (-ln_m[i] - ln_c[i]);
        }
        law_log_sum(3, m, terms, lny + i0, J ? w : NULL);
        if (!J) continue;
        for (size_t i = 0; i < m; i++) {
            double up = ln_m[i] - ln_c[i], down = -ln_m[i] - ln_c[i];
            double *row = J + (i0 + i) * 4;
            row[LN_E] = w[0][i];
            row[LN_A] = w[1][i];
            row[LN_B] = w[2][i];
            row[ETA] = w[1][i] * up + w[2][i] * down;
        }
    }
}

/* ŷ = E + e^(a + eta (ln M - ln C)) + e^(b - eta (ln M + ln C)): two exps
 * a row, E's once. */
static void values(const double *t, law_inputs lnx, size_t n, double *yhat, double *J)
{
    double floor_value = exp(t[LN_E]);
    for (size_t i0 = 0; i0 < n; i0 += LAW_BLOCK) {
        const double *ln_c = lnx[0] + i0, *ln_m = lnx[1] + i0;
        size_t m = law_block(n, i0);
        double up[LAW_BLOCK], down[LAW_BLOCK];
        for (size_t i = 0; i < m; i++) {
            up[i] = t[LN_A] + t[ETA] * (ln_m[i] - ln_c[i]);
            down[i] = t[LN_B] + t[ETA] * (-ln_m[i] - ln_c[i]);
        }
        vmath_exp(up, m);
        vmath_exp(down, m);
        for (size_t i = 0; i < m; i++) yhat[i0 + i] = floor_value + up[i] + down[i];
        if (!J) continue;
        for (size_t i = 0; i < m; i++) {
            double *row = J + (i0 + i) * 4;
            row[LN_E] = floor_value;
            row[LN_A] = up[i];
            row[LN_B] = down[i];
            row[ETA] = up[i] * (ln_m[i] - ln_c[i]) + down[i] * (-ln_m[i] - ln_c[i]);
        }
    }
}

/* Centred: each term's size at the data's mean C and M, relative to the
 * mean ln y. */
static void uncenter(const data_summary *s, const bool *centered, double *t)
{
    double lc = s->mean_lnx[0], lm = s->mean_lnx[1];
    if (centered[LN_E]) t[LN_E] += s->mean_lny;
    if (centered[LN_A]) t[LN_A] += s->mean_lny - t[ETA] * (lm - lc);
    if (centered[LN_B]) t[LN_B] += s->mean_lny + t[ETA] * (lm + lc);
}

/* At a fixed budget the loss is least at M* = (b/a)^(1/(2 eta)), whatever
 * the budget: the compute-optimal tokens per parameter. */
static void derived(const double *v, double *out)
{
    out[0] = pow(v[LN_B] / v[LN_A], 1.0 / (2.0 * v[ETA]));
    out[1] = 2.0 * v[ETA];
}

const slaw_law law_gadre = {
    .name = "gadre",
    .formula = "L = E + (a * M^eta + b * M^-eta) * C^-eta",
    .summary = "loss against compute C and tokens per parameter M = D/N, for over-trained "
               "sweeps (Gadre et al. 2024)",
    .n_vars = 2,
    .vars = {SLAW_ROLE_C, SLAW_ROLE_M},
    .n_params = 4,
    .params = {{"E", "e", SCALE_LOG, "irreducible loss"},
               {"a", "ln_a", SCALE_LOG, "scale of the term growing with M"},
               {"b", "ln_b", SCALE_LOG, "scale of the term falling with M"},
               {"eta", "eta", SCALE_LINEAR, "exponent of C (alpha = beta = 2 eta)"}},
    .grid = {{-3, 0, 0.5}, {-4, 0, 1}, {-4, 0, 1}, {0.05, 0.35, 0.05}},
    .linear = 1u << LN_E | 1u << LN_A | 1u << LN_B,
    .uncenter = uncenter,
    .eval = eval,
    .values = values,
    .separable = true,
    .basis_depends = {[LN_A] = 1u << ETA, [LN_B] = 1u << ETA},
    .n_derived = 2,
    .derived_names = {"M*", "alpha"},
    .derived_meaning = {"compute-optimal tokens per parameter, (b/a)^(1/(2 eta))",
                        "the Chinchilla exponent of N and D, 2 eta"},
    .derived = derived,
    /* tests/reference/law_test_points.py */
    .n_test_points = 2,
    .test_points =
        {
            {{1.85, 529.0, 535.0, 0.15}, {1e18, 20}, 4.185366200554115},
            {{1.85, 529.0, 535.0, 0.15}, {1e24, 640}, 2.2512368128850693},
        },
};
