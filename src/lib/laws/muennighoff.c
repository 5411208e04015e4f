/* muennighoff.c — the data-constrained law of Muennighoff et al. 2023,
 * "Scaling Data-Constrained Language Models" (arXiv 2305.16264), Eq. 5-6:
 *
 *   L = E + A / N'^alpha + B / D'^beta
 *   D' = U_D + U_D·R_D*·(1 − e^(−R_D/R_D*)),  U_D = min(U, D),  R_D = D/U_D − 1
 *   N' = U_N + U_N·R_N*·(1 − e^(−R_N/R_N*)),  U_N = min(N, N_opt(U_D)),  R_N = N/U_N − 1
 *
 * with N_opt(U_D) = G·(G·U_D)^(beta/alpha), G = (alpha·A/(beta·B))^(1/(alpha+beta)):
 * the compute-optimal model size of a single epoch on U_D tokens.  Repeated
 * tokens (R_D) and parameters past that size (R_N) are worth less and less,
 * with the decay constants R_D* and R_N*. */
#include "../law.h"

enum { LN_E, LN_A, LN_B, ALPHA, BETA, LN_RD, LN_RN };

/* h = ln(1 + r·(1 − e^(−R/r))), the log of the effective size over the
 * unique one; dh_dr = ∂h/∂R, dh_dlnr = ∂h/∂ln r. */
static double decay(double R, double r, double *dh_dR, double *dh_dlnr)
{
    double e = exp(-R / r), g = -expm1(-R / r), den = 1.0 + r * g;
    *dh_dR = e / den;
    *dh_dlnr = (r * g - R * e) / den;
    return log1p(r * g);
}

static void eval(const double *t, law_inputs lnx, size_t n, double *lny, double *J)
{
    const double *ln_n = lnx[0], *ln_d = lnx[1], *ln_u = lnx[2];
    double alpha = t[ALPHA], beta = t[BETA], rd = exp(t[LN_RD]), rn = exp(t[LN_RN]);
    /* ln N_opt(U_D) = (ln alpha − ln beta + a − b + beta ln U_D) / alpha */
    double k0 = log(alpha) - log(beta) + t[LN_A] - t[LN_B];
    for (size_t i0 = 0; i0 < n; i0 += LAW_BLOCK) {
        size_t m = law_block(n, i0);
        double terms[3][LAW_BLOCK], w[3][LAW_BLOCK];
        double ln_np[LAW_BLOCK], ln_dp[LAW_BLOCK], hd_r[LAW_BLOCK], hn_r[LAW_BLOCK], c[LAW_BLOCK];
        bool excess[LAW_BLOCK]; /* N in excess of U_N */
        for (size_t k = 0; k < m; k++) {
            size_t i = i0 + k;
            double ln_ud = fmin(ln_u[i], ln_d[i]), hd_R, hn_R = 0;
            ln_dp[k] = ln_ud + decay(expm1(ln_d[i] - ln_ud), rd, &hd_R, &hd_r[k]);
            double ln_un = (k0 + beta * ln_ud) / alpha;
            ln_np[k] = ln_n[i];
            hn_r[k] = c[k] = 0;
            excess[k] = ln_n[i] > ln_un;
            if (excess[k]) {
                double R = expm1(ln_n[i] - ln_un);
                ln_np[k] = ln_un + decay(R, rn, &hn_R, &hn_r[k]);
                c[k] = 1.0 - hn_R * (R + 1.0); /* ∂ln N'/∂ln U_N */
            }
            terms[0][k] = t[LN_E];
            terms[1][k] = t[LN_A] - alpha * ln_np[k];
            terms[2][k] = t[LN_B] - beta * ln_dp[k];
        }
        law_log_sum(3, m, terms, lny + i0, J ? w : NULL);
        if (!J) continue;
        for (size_t k = 0; k < m; k++) {
            size_t i = i0 + k;
            double ln_ud = fmin(ln_u[i], ln_d[i]), ln_un = (k0 + beta * ln_ud) / alpha;
            /* ∂ln N'/∂θ through U_N (zero when N is not in excess; continuous
             * at the kink, where c = 0) */
            double dn_a = c[k] / alpha, dn_b = -c[k] / alpha;
            double dn_alpha = c[k] * (1.0 / alpha - ln_un) / alpha;
            double dn_beta = c[k] * (ln_ud - 1.0 / beta) / alpha;
            double *row = J + i * 7;
            row[LN_E] = w[0][k];
            row[LN_A] = w[1][k] * (1.0 - alpha * dn_a);
            row[LN_B] = w[2][k] - w[1][k] * alpha * dn_b;
            row[ALPHA] = -w[1][k] * (ln_np[k] + alpha * dn_alpha);
            row[BETA] = -w[1][k] * alpha * dn_beta - w[2][k] * ln_dp[k];
            row[LN_RD] = -w[2][k] * beta * hd_r[k];
            row[LN_RN] = excess[k] ? -w[1][k] * alpha * hn_r[k] : 0.0;
        }
    }
}

/* Centred as chinchilla: e relative to the mean ln y, a and b to each
 * term's size at the data's mean N and mean U. */
static void uncenter(const data_summary *s, const bool *centered, double *t)
{
    if (centered[LN_E]) t[LN_E] += s->mean_lny;
    if (centered[LN_A]) t[LN_A] += s->mean_lny + t[ALPHA] * s->mean_lnx[0];
    if (centered[LN_B]) t[LN_B] += s->mean_lny + t[BETA] * s->mean_lnx[2];
}

const slaw_law law_muennighoff = {
    .name = "muennighoff",
    .formula =
        "L = E + A / N'^alpha + B / D'^beta, D' = U_D (1 + rd_star (1 - exp(-R_D/rd_star))), "
        "N' = U_N (1 + rn_star (1 - exp(-R_N/rn_star)))",
    .summary = "loss of data-constrained training (Muennighoff et al. 2023): N, D and the "
               "unique tokens U, repeated data and excess parameters decaying in value",
    .n_vars = 3,
    .vars = {SLAW_ROLE_N, SLAW_ROLE_D, SLAW_ROLE_U},
    .n_params = 7,
    .params = {{"E", "e", SCALE_LOG, "irreducible loss"},
               {"A", "a", SCALE_LOG, "scale of the model-size term"},
               {"B", "b", SCALE_LOG, "scale of the data term"},
               {"alpha", "alpha", SCALE_LINEAR, "exponent of the effective N'"},
               {"beta", "beta", SCALE_LINEAR, "exponent of the effective D'"},
               {"rd_star", "ln_rd_star", SCALE_LOG, "R_D*: repetitions over which data decays"},
               {"rn_star", "ln_rn_star", SCALE_LOG, "R_N*: excess size over which it decays"}},
    .grid = {{-3, 0, 1},
             {-4, 0, 2},
             {-4, 0, 2},
             {0.1, 0.7, 0.3},
             {0.1, 0.7, 0.3},
             {0.7, 4.7, 2},
             {0.7, 4.7, 2}},
    .uncenter = uncenter,
    .eval = eval,
    /* tests/reference/law_test_points.py */
    .n_test_points = 6,
    .test_points =
        {
            {{1.8691436784054857, 5.2082495165991868e2, 1.4877160937828609e3, 0.3526596, 0.3526596,
              15.387756, 5.309743},
             {6.34e9, 242e9, 25e9},
             2.2256440889984477},
            {{1.8691436784054857, 5.2082495165991868e2, 1.4877160937828609e3, 0.3526596, 0.3526596,
              15.387756, 5.309743},
             {8.67e9, 178e9, 25e9},
             2.2269634075087866},
            {{1.7, 400, 2100, 0.31, 0.37, 9.0, 3.0}, {1e8, 2e10, 5e10}, 3.3487432876462841},
            {{1.7, 400, 2100, 0.31, 0.37, 9.0, 3.0}, {3e9, 4e11, 1e9}, 2.8821140112151993},
            {{1.7, 400, 2100, 0.31, 0.37, 9.0, 3.0}, {2e7, 5e9, 4e9}, 4.4234819201342866},
            {{1.7, 400, 2100, 0.31, 0.37, 9.0, 3.0}, {5e10, 1e11, 2e11}, 2.0726860997494665},
        },
};
