/* kaplan.c — L = [(Nc/N)^(alpha_N/alpha_D) + Dc/D]^alpha_D (Kaplan et al. 2020). */
#include "../law.h"

enum { LN_NC, LN_DC, ALPHA_N, ALPHA_D };

static void eval(const double *t, law_inputs lnx, size_t n, double *lny, double *J)
{
    double ratio = t[ALPHA_N] / t[ALPHA_D];
    for (size_t i0 = 0; i0 < n; i0 += LAW_BLOCK) {
        const double *ln_n = lnx[0] + i0, *ln_d = lnx[1] + i0;
        size_t m = law_block(n, i0);
        double terms[2][LAW_BLOCK], w[2][LAW_BLOCK], s[LAW_BLOCK];
        for (size_t i = 0; i < m; i++) {
            terms[0][i] = ratio * (t[LN_NC] - ln_n[i]);
            terms[1][i] = t[LN_DC] - ln_d[i];
        }
        law_log_sum(2, m, terms, s, J ? w : NULL);
        for (size_t i = 0; i < m; i++) lny[i0 + i] = t[ALPHA_D] * s[i];
        if (!J) continue;
        for (size_t i = 0; i < m; i++) {
            double *row = J + (i0 + i) * 4;
            row[LN_NC] = t[ALPHA_N] * w[0][i];
            row[LN_DC] = t[ALPHA_D] * w[1][i];
            row[ALPHA_N] = w[0][i] * (t[LN_NC] - ln_n[i]);
            row[ALPHA_D] = s[i] - w[0][i] * ratio * (t[LN_NC] - ln_n[i]);
        }
    }
}

/* Centred: Nc and Dc relative to the data's typical N and D. */
static void uncenter(const data_summary *s, const bool *centered, double *t)
{
    if (centered[LN_NC]) t[LN_NC] += s->mean_lnx[0];
    if (centered[LN_DC]) t[LN_DC] += s->mean_lnx[1];
}

/* Centred for identifiability: the log-size of each term at the data's
 * centre, alpha_N (ln Nc - mean ln N) and alpha_D (ln Dc - mean ln D),
 * linearised at theta; Nc and Dc themselves lie far beyond the runs. */
static void centring(const data_summary *s, const double *t, double *C)
{
    for (size_t i = 0; i < 16; i++) C[i] = i % 5 == 0;
    C[LN_NC * 4 + LN_NC] = t[ALPHA_N];
    C[LN_NC * 4 + ALPHA_N] = t[LN_NC] - s->mean_lnx[0];
    C[LN_DC * 4 + LN_DC] = t[ALPHA_D];
    C[LN_DC * 4 + ALPHA_D] = t[LN_DC] - s->mean_lnx[1];
}

const slaw_law law_kaplan = {
    .name = "kaplan",
    .formula = "L = ((Nc/N)^(alpha_N/alpha_D) + Dc/D)^alpha_D",
    .summary = "loss against N and D without a floor (Kaplan et al. 2020)",
    .n_vars = 2,
    .vars = {SLAW_ROLE_N, SLAW_ROLE_D},
    .n_params = 4,
    .params = {{"Nc", "ln_Nc", SCALE_LOG, "critical model size"},
               {"Dc", "ln_Dc", SCALE_LOG, "critical data size"},
               {"alpha_N", "alpha_N", SCALE_LINEAR, "exponent of N"},
               {"alpha_D", "alpha_D", SCALE_LINEAR, "exponent of D"}},
    .grid = {{0, 20, 4}, {0, 20, 4}, {0.02, 0.32, 0.06}, {0.02, 0.32, 0.06}},
    .uncenter = uncenter,
    .centring = centring,
    .eval = eval,
    /* tests/reference/law_test_points.py */
    .n_test_points = 2,
    .test_points =
        {
            {{8.8e13, 5.4e13, 0.076, 0.095}, {1e7, 2e8}, 3.5554819455121168},
            {{8.8e13, 5.4e13, 0.076, 0.095}, {5e9, 1e11}, 2.1416747005874169},
        },
};
