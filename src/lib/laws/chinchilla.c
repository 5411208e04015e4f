/* chinchilla.c — L = E + A/N^alpha + B/D^beta (Hoffmann et al. 2022). */
#include "../law.h"

enum { LN_E, LN_A, LN_B, ALPHA, BETA };

static void eval(const double *t, law_inputs lnx, size_t n, double *lny, double *J)
{
    law_floor_powers(2, t, lnx, n, lny, J);
}

/* Its terms e, a - alpha ln N and b - beta ln D. */
static void curvature(law_inputs lnx, size_t n, const double *J, const double *c, const double *cj,
                      double *H)
{
    static const law_term terms[] = {{LN_E, -1, 0}, {LN_A, ALPHA, 0}, {LN_B, BETA, 1}};
    law_log_sum_curvature(terms, 3, 5, lnx, n, J, c, cj, H);
}

/* ŷ = E + e^(a - alpha ln N) + e^(b - beta ln D): two exps a row, E's once. */
static void values(const double *t, law_inputs lnx, size_t n, double *yhat, double *J)
{
    double floor_value = exp(t[LN_E]);
    for (size_t i0 = 0; i0 < n; i0 += LAW_BLOCK) {
        const double *ln_n = lnx[0] + i0, *ln_d = lnx[1] + i0;
        size_t m = law_block(n, i0);
        double model[LAW_BLOCK], data[LAW_BLOCK];
        for (size_t i = 0; i < m; i++) {
            model[i] = t[LN_A] - t[ALPHA] * ln_n[i];
            data[i] = t[LN_B] - t[BETA] * ln_d[i];
        }
        vmath_exp(model, m);
        vmath_exp(data, m);
        for (size_t i = 0; i < m; i++) yhat[i0 + i] = floor_value + model[i] + data[i];
        if (!J) continue;
        for (size_t i = 0; i < m; i++) {
            double *row = J + (i0 + i) * 5;
            row[LN_E] = floor_value;
            row[LN_A] = model[i];
            row[LN_B] = data[i];
            row[ALPHA] = -model[i] * ln_n[i];
            row[BETA] = -data[i] * ln_d[i];
        }
    }
}

/* values' column j alone: E's e^e, A's e^(a - alpha ln N), B's likewise. */
static void basis(const double *t, law_inputs lnx, size_t n, size_t j, double *out)
{
    if (j == LN_E) {
        double floor_value = exp(t[LN_E]);
        for (size_t i = 0; i < n; i++) out[i] = floor_value;
        return;
    }
    size_t v = j == LN_A ? 0 : 1, k = j == LN_A ? ALPHA : BETA;
    for (size_t i = 0; i < n; i++) out[i] = t[j] - t[k] * lnx[v][i];
    vmath_exp(out, n);
}

static void uncenter(const data_summary *s, const bool *centered, double *t)
{
    if (centered[LN_E]) t[LN_E] += s->mean_lny;
    if (centered[LN_A]) t[LN_A] += s->mean_lny + t[ALPHA] * s->mean_lnx[0];
    if (centered[LN_B]) t[LN_B] += s->mean_lny + t[BETA] * s->mean_lnx[1];
}

/* G = (alpha A / (beta B))^(1/(alpha+beta)), the scale of the compute-optimal
 * allocation under C = 6ND: N* = G (C/6)^a, D* = (C/6)^b / G. */
static double gain(const double *v)
{
    return pow(v[ALPHA] * v[LN_A] / (v[BETA] * v[LN_B]), 1.0 / (v[ALPHA] + v[BETA]));
}

static void derived(const double *v, double *out)
{
    double s = v[ALPHA] + v[BETA];
    double a = v[BETA] / s, b = v[ALPHA] / s;
    double G = gain(v);
    double c6 = slaw_compute_param_tokens(5.76e23); /* Chinchilla's own budget */
    out[0] = a;
    out[1] = b;
    out[2] = G;
    out[3] = pow(c6, b - a) / (G * G);
}

/* The closed form of Hoffmann et al. 2022 for their parametric fit; it needs
 * both terms to fall with size, else the loss has no interior minimum along
 * the budget. */
static bool optimal(const double *v, double nd, double *n_opt, double *d_opt)
{
    double alpha = v[ALPHA], beta = v[BETA];
    if (!(alpha > 0 && beta > 0 && nd > 0)) return false;
    double s = alpha + beta, G = gain(v);
    *n_opt = G * pow(nd, beta / s);
    *d_opt = pow(nd, alpha / s) / G;
    return isfinite(*n_opt) && isfinite(*d_opt) && *n_opt > 0 && *d_opt > 0;
}

const slaw_law law_chinchilla = {
    .name = "chinchilla",
    .formula = "L = E + A / N^alpha + B / D^beta",
    .summary = "loss against model size N and training tokens D (Hoffmann et al. 2022); "
               "gives the compute-optimal allocation",
    .n_vars = 2,
    .vars = {SLAW_ROLE_N, SLAW_ROLE_D},
    .n_params = 5,
    .params = {{"E", "e", SCALE_LOG, "irreducible loss"},
               {"A", "a", SCALE_LOG, "scale of the model-size term"},
               {"B", "b", SCALE_LOG, "scale of the data term"},
               {"alpha", "alpha", SCALE_LINEAR, "exponent of N"},
               {"beta", "beta", SCALE_LINEAR, "exponent of D"}},
    .grid = {{-3, 0, 0.5}, {-4, 0, 1}, {-4, 0, 1}, {0.1, 1.3, 0.3}, {0.1, 1.3, 0.3}},
    .linear = 1u << LN_E | 1u << LN_A | 1u << LN_B,
    .uncenter = uncenter,
    .eval = eval,
    .values = values,
    .separable = true,
    .basis_depends = {[LN_A] = 1u << ALPHA, [LN_B] = 1u << BETA},
    .basis = basis,
    .curvature = curvature,
    .n_derived = 4,
    .derived_names = {"a", "b", "G", "D/N"},
    .derived_meaning = {"N* grows as C^a (a = beta/(alpha+beta))",
                        "D* grows as C^b (b = alpha/(alpha+beta))",
                        "G = (alpha A / (beta B))^(1/(alpha+beta)); N* = G (C/6)^a",
                        "optimal tokens per parameter D*/N* at C = 5.76e23 FLOPs"},
    .derived = derived,
    .optimal = optimal,
    /* tests/reference/law_test_points.py */
    .n_test_points = 2,
    .test_points =
        {
            {{1.69, 406.4, 410.7, 0.34, 0.28}, {3.3e8, 7e9}, 2.9252897859594567},
            {{1.69, 406.4, 410.7, 0.34, 0.28}, {7e10, 1.4e12}, 1.9366454705587175},
        },
};
