/* bnsl.c — a broken neural scaling law with one break (Caballero et al. 2023):
 * y = a + b x^-c0 (1 + (x/d1)^(1/f1))^(-c1 f1). */
#include "../law.h"

enum { LN_A, LN_B, C0, C1, LN_D1, LN_F1 };

static void eval(const double *t, law_inputs lnx, size_t n, double *lny, double *J)
{
    double f1 = exp(t[LN_F1]);
    for (size_t i0 = 0; i0 < n; i0 += LAW_BLOCK) {
        const double *x = lnx[0] + i0;
        size_t m = law_block(n, i0);
        double z[LAW_BLOCK], sp[LAW_BLOCK], sig[LAW_BLOCK];
        double terms[2][LAW_BLOCK], w[2][LAW_BLOCK];
        for (size_t i = 0; i < m; i++) z[i] = (x[i] - t[LN_D1]) / f1;
        law_softplus(m, z, sp, J ? sig : NULL);
        for (size_t i = 0; i < m; i++) {
            terms[0][i] = t[LN_A];
            terms[1][i] = t[LN_B] - t[C0] * x[i] - t[C1] * f1 * sp[i];
        }
        law_log_sum(2, m, terms, lny + i0, J ? w : NULL);
        if (!J) continue;
        for (size_t i = 0; i < m; i++) {
            double wb = w[1][i], *row = J + (i0 + i) * 6;
            row[LN_A] = w[0][i];
            row[LN_B] = wb;
            row[C0] = -wb * x[i];
            row[C1] = -wb * f1 * sp[i];
            row[LN_D1] = wb * t[C1] * sig[i];
            row[LN_F1] = wb * f1 * t[C1] * (sig[i] * z[i] - sp[i]);
        }
    }
}

static void uncenter(const data_summary *s, const bool *centered, double *t)
{
    if (centered[LN_A]) t[LN_A] += s->mean_lny;
    if (centered[LN_B]) t[LN_B] += s->mean_lny + t[C0] * s->mean_lnx[0];
    if (centered[LN_D1]) t[LN_D1] += s->mean_lnx[0];
}

const slaw_law law_bnsl = {
    .name = "bnsl",
    .formula = "y = a + b * x^-c0 * (1 + (x/d1)^(1/f1))^(-c1*f1)",
    .summary = "a power law whose exponent changes from c0 to c0+c1 around x = d1 "
               "(one break; f1 sets its sharpness)",
    .n_vars = 1,
    .vars = {SLAW_ROLE_X},
    .n_params = 6,
    .params = {{"a", "ln_a", SCALE_LOG, "floor"},
               {"b", "ln_b", SCALE_LOG, "scale"},
               {"c0", "c0", SCALE_LINEAR, "exponent before the break"},
               {"c1", "c1", SCALE_LINEAR, "change of exponent across the break"},
               {"d1", "ln_d1", SCALE_LOG, "where the break is"},
               {"f1", "ln_f1", SCALE_LOG, "sharpness of the break (smaller is sharper)"}},
    .grid = {{-3, 0, 1}, {-3, 0, 1}, {0, 0.6, 0.3}, {0, 1, 0.5}, {-4, 4, 2}, {-2, 1, 1}},
    .uncenter = uncenter,
    .eval = eval,
    /* tests/reference/law_test_points.py */
    .n_test_points = 3,
    .test_points =
        {
            {{1.2, 60, 0.15, 0.35, 3e8, 0.3}, {1e7}, 6.5474989361207278},
            {{1.2, 60, 0.15, 0.35, 3e8, 0.3}, {3.3e8}, 4.0903428394242118},
            {{1.2, 60, 0.15, 0.35, 3e8, 0.3}, {7e10}, 1.4101815879880977},
        },
};
