/* law.h — the law abstraction: a law is a row in a static table.
 *
 * Every law predicts a positive quantity and is evaluated in log form:
 * eval() returns ln ŷ for each row and, when asked, ∂ln ŷ/∂θ in the law's
 * internal coordinates θ (positive scale parameters enter as logarithms).
 * Sums of terms are computed as log-sum-exp, or as the plain sum where no
 * term can overflow and the sum cannot underflow (law_floor_powers), so no
 * law overflows where its logarithm is finite.  The objective layer turns
 * ln ŷ into residuals in log or linear space; nothing else in the code names
 * a specific law. */
#ifndef SLAW_LAW_H
#define SLAW_LAW_H

#include "slaw.h"
#include "vmath.h"

#include <math.h>
#include <stdbool.h>
#include <stddef.h>

/* 16: a formula of NIST's StRD has up to 9 parameters (ENSO); the
 * default grid caps how many a formula may leave to it (formula.c). */
#define LAW_MAX_PARAMS 16
#define LAW_MAX_VARS SLAW_MAX_VARS
#define LAW_MAX_DERIVED 6
#define LAW_MAX_TEST_POINTS 6

typedef enum param_scale {
    SCALE_LINEAR, /* internal value = natural value */
    SCALE_LOG     /* internal value = ln(natural value); natural > 0 */
} param_scale;

typedef struct law_param {
    const char *name;     /* natural name, as reported: "E", "alpha" */
    const char *internal; /* internal name: "e" for ln E; equal to name when linear */
    param_scale scale;
    const char *meaning; /* for docs and --help */
} law_param;

/* One axis of a start grid, in internal coordinates: lo, lo+step, ..., hi. */
typedef struct grid_axis {
    double lo, hi, step;
} grid_axis;

/* The input variables a law reads, as logarithms, one array per variable,
 * in the order of the law's vars (chinchilla: lnx[0] is ln N, lnx[1] ln D). */
typedef const double *const *law_inputs;

/* ln ŷ_i for i in [0, n); when J is not NULL also J[i*p + j] = ∂ln ŷ_i/∂θ_j. */
typedef void (*law_eval_fn)(const double *theta, law_inputs lnx, size_t n, double *lny, double *J);

/* Optional: ŷ itself for i in [0, n), and when J is not NULL J[i*p + j] =
 * ∂ŷ_i/∂θ_j: what the start grid of a law with linear parameters solves
 * with (solver_vp.c), without eval's logarithm and the exponential that
 * would undo it.  NULL: e^(eval). */
typedef void (*law_values_fn)(const double *theta, law_inputs lnx, size_t n, double *yhat,
                              double *J);

/* Optional, with `separable`: linear parameter j's basis column alone (J's
 * column j as `values` writes it, computed the same way, so to the bit) for
 * i in [0, n), into out. */
typedef void (*law_basis_fn)(const double *theta, law_inputs lnx, size_t n, size_t j, double *out);

/* Optional: adds Σ_i c_i C_i to H (p × p, its upper triangle, row-major),
 * where C_i = ∇² ln ŷ_i + j_i j_iᵀ at the point whose rows j_i = ∇ ln ŷ_i J
 * holds (n × p); rows with c_i = 0 add nothing.  cj is Σ_i c_i j_i (p),
 * which the caller has summed already: a log-sum law's C_i shares entries
 * with j_i.  The lean path's Newton steps take it (solver_lean.c). */
typedef void (*law_curvature_fn)(law_inputs lnx, size_t n, const double *J, const double *c,
                                 const double *cj, double *H);

/* What the default start grid is centred on: the data's typical scale, so
 * that one grid serves data in any units. */
typedef struct data_summary {
    double mean_lnx[LAW_MAX_VARS]; /* mean of ln of each variable */
    double mean_lny;               /* mean of ln y */
} data_summary;

/* Maps the parameters flagged in centered from centred to raw internal
 * coordinates, in place (e.g. a = a' + alpha * mean ln N + mean ln y). */
typedef void (*law_uncenter_fn)(const data_summary *s, const bool *centered, double *theta);

/* Optional: C = d(centred)/d(internal) at theta (p × p, row-major), the
 * coordinates in which uncertainty_identify.c judges correlations: each term's size at
 * the data's centre rather than at x = 1.  NULL: the inverse of uncenter's
 * (affine) map, which suits laws whose scales are centred linearly. */
typedef void (*law_centring_fn)(const data_summary *s, const double *theta, double *C);

/* Derived quantities from the natural parameter values (e.g. chinchilla's
 * compute-optimal exponents); out has n_derived entries. */
typedef void (*law_derived_fn)(const double *natural, double *out);

/* Optional, laws of N and D: the compute-optimal allocation in closed
 * form, from the natural parameter values, on the budget line N·D = nd
 * (slaw_compute_param_tokens of the compute budget).  Returns false when
 * the parameters admit none.  Laws without it are minimised numerically
 * along the budget (forecast_optimal.c), which must agree with it. */
typedef bool (*law_optimal_fn)(const double *natural, double nd, double *n_opt, double *d_opt);

/* Optional: a caveat about the fitted law and the observed values y[0..n)
 * that the fit should carry as a warning (e.g. sigmoid's runs all at the
 * chance floor).  Writes the message to buf and returns true if there is one. */
typedef bool (*law_caveat_fn)(const double *natural, const double *y, size_t n, char *buf,
                              size_t size);

/* A point at which a law's value is known independently of slaw's code
 * (tests/reference/law_test_points.py computes each from the formula as
 * published); test_law_registry checks every row's points to 1e-12. */
typedef struct law_test_point {
    double natural[LAW_MAX_PARAMS]; /* parameter values, natural scale */
    double x[LAW_MAX_VARS];         /* the input: each variable's value */
    double y;                       /* the expected output */
} law_test_point;

/* A law written as a formula (formula.c): its compiled program. */
typedef struct formula_prog formula_prog;
void formula_eval(const formula_prog *f, const double *theta, law_inputs lnx, size_t n, double *lny,
                  double *J);
/* The same from the variables' values x[v][i] (any sign): ŷ itself, or
 * ln ŷ when log_form, and its derivatives; what a fit of a formula uses. */
void formula_eval_values(const formula_prog *f, const double *theta, law_inputs x, size_t n,
                         bool log_form, double *out, double *J);
/* A formula law's centring (see law_centring_fn): each parameter it is
 * linear in becomes its term's size at the data's centre; false when the
 * centre is not positive and finite, or a term is zero there. */
bool formula_centring(const slaw_law *law, const data_summary *s, const double *theta, double *C);

struct slaw_law {
    const char *name;
    const char *formula; /* plain text, as in docs/laws.md */
    const char *summary; /* when to use it */
    size_t n_vars;
    slaw_role vars[LAW_MAX_VARS]; /* the role of each variable (SLAW_ROLE_X: a generic x,
                                     N unless --x names a column); a formula's variable
                                     that names a column: SLAW_ROLE_COUNT */
    size_t n_params;
    law_param params[LAW_MAX_PARAMS];
    grid_axis grid[LAW_MAX_PARAMS]; /* the default start grid, centred coordinates */
    unsigned linear; /* bit j: ŷ is linear in parameter j's natural value when the others
                        are held (ŷ = r0 + Σ c_j φ_j), so the default search solves it at
                        each point of the others' grid (solver_vp.c); 0: none */
    law_uncenter_fn uncenter;
    law_centring_fn centring; /* NULL: from uncenter */
    law_eval_fn eval;
    law_values_fn values; /* NULL: e^(eval) */
    /* Optional, with `linear` and `values`: true when ŷ = Σ c_j φ_j and nothing
     * else (r0 = 0), basis_depends[j] having bit k when φ_j changes with parameter
     * k (chinchilla's A with alpha, E with none): the screen computes each φ_j
     * once for each value of those parameters, not at every grid point. */
    bool separable;
    unsigned basis_depends[LAW_MAX_PARAMS];
    /* Optional, with `separable`: one basis column alone (law_basis_fn), so
     * that the screen computes only the columns its cache lacks (chinchilla's
     * B column at a new beta, not A's again). */
    law_basis_fn basis;
    /* Optional: ln ŷ's curvature (law_curvature_fn).  A law ln ŷ = ln Σ_k
     * e^(t_k) whose terms t_k are linear in its internal parameters has C_i =
     * Σ_k w_k g_k g_kᵀ (w_k = e^(t_k)/ŷ, g_k = ∇t_k), which J's columns and
     * the variables give. */
    law_curvature_fn curvature;
    size_t n_derived;
    const char *derived_names[LAW_MAX_DERIVED];
    const char *derived_meaning[LAW_MAX_DERIVED];
    law_derived_fn derived;
    law_optimal_fn optimal;      /* NULL: found numerically */
    law_caveat_fn caveat;        /* NULL: none */
    const formula_prog *program; /* a formula law's program (eval is NULL); NULL for built-ins */
    bool x_is_loss; /* its variable x is the loss (downstream laws): forecasts go to lower x */
    size_t n_test_points; /* at least one for a built-in law */
    law_test_point test_points[LAW_MAX_TEST_POINTS];
};

/* law->eval, or the formula's program. */
static inline void law_eval(const slaw_law *law, const double *theta, law_inputs lnx, size_t n,
                            double *lny, double *J)
{
    if (law->program) formula_eval(law->program, theta, lnx, n, lny, J);
    else law->eval(theta, lnx, n, lny, J);
}

/* The registry (law.c) lists these, defined one per file in laws/. */
extern const slaw_law law_power;
extern const slaw_law law_saturating;
extern const slaw_law law_chinchilla;
extern const slaw_law law_kaplan;
extern const slaw_law law_bnsl;
extern const slaw_law law_downstream;
extern const slaw_law law_sigmoid;
extern const slaw_law law_muennighoff;
extern const slaw_law law_gadre;

/* The index of the variable playing role, or SIZE_MAX when law reads none. */
size_t law_var_index(const slaw_law *law, slaw_role role);
/* Whether law reads N and D (so compute, C, is defined at its points). */
bool law_reads_compute(const slaw_law *law);
/* Whether training compute is known at the law's points: it reads N and D
 * (C follows from them) or C itself. */
bool law_has_compute(const slaw_law *law);
/* The name of variable v: its role's symbol, or a formula's column name. */
const char *law_var_name(const slaw_law *law, size_t v);
/* "x", "N and D", "N, D and U": the law's variables, into buf. */
void law_var_list(const slaw_law *law, char *buf, size_t size);

/* Whether a and b are one law: the same built-in, or formulas of one text. */
bool law_same(const slaw_law *a, const slaw_law *b);
/* Natural value of internal parameter j, and back. */
double law_to_natural(const slaw_law *law, size_t j, double internal);
double law_to_internal(const slaw_law *law, size_t j, double natural);
/* Index of a parameter by natural or internal name; *internal tells which
 * matched.  Returns SIZE_MAX if none. */
size_t law_param_index(const slaw_law *law, const char *name, size_t len, bool *internal);

/* ------------------------------------------------ numerical building blocks */

/* The kernels work on blocks of rows, so that exp and log run over arrays
 * (vmath.h, SLEEF's vector functions) rather than one value at a time. */
#define LAW_BLOCK 64
/* Rows in the block that starts at row i0 of n. */
static inline size_t law_block(size_t n, size_t i0)
{
    return n - i0 < LAW_BLOCK ? n - i0 : LAW_BLOCK;
}

/* For rows i < m: lny[i] = ln Σ_k e^(t[k][i]) over terms k < nt (at most
 * 3; t is overwritten), the largest term factored out so that nothing
 * overflows, and, when w
 * is not NULL, each term's share e^(t_k)/Σ in w[k][i]: the weights of the
 * terms in the derivative of the sum's logarithm. */
void law_log_sum(size_t nt, size_t m, double t[][LAW_BLOCK], double *lny, double w[][LAW_BLOCK]);

/* A term t = θ[scale] - θ[power]·ln x[var] of a log-sum-exp law; power < 0
 * for a constant term, t = θ[scale]. */
typedef struct law_term {
    int scale, power, var;
} law_term;

/* law_curvature_fn for ln ŷ = ln Σ_k e^(t_k) over the nt terms (at most 4),
 * p parameters, each in one term: C = Σ_k w_k g_k g_kᵀ, w_k being J's scale
 * column and -w_k ln x its power column.  So Σ c C's scale-scale and
 * scale-power entries are cj's (Σ c w_k and Σ c (-w_k ln x)), and only the
 * power-power entries, Σ c w_k ln² x, are summed over the rows. */
void law_log_sum_curvature(const law_term *terms, size_t nt, size_t p, law_inputs lnx, size_t n,
                           const double *J, const double *c, const double *cj, double *H);

/* law_eval_fn for ŷ = e^e + Σ_k e^(a_k - alpha_k ln x_k) over np power
 * terms (1 or 2), θ = (e, a_1..a_np, alpha_1..alpha_np), term k on variable
 * k: the sum formed as it stands (one exp a power term and row, the
 * floor's once), the largest term factored out (law_log_sum) only in a
 * block where a term could overflow or the sum underflow. */
void law_floor_powers(size_t np, const double *theta, law_inputs lnx, size_t n, double *lny,
                      double *J);

/* For rows i < m: sp[i] = ln(1 + e^(z_i)), stable for both signs, and,
 * when sig is not NULL, sig[i] = 1 / (1 + e^(-z_i)). */
void law_softplus(size_t m, const double *z, double *sp, double *sig);

#endif /* SLAW_LAW_H */
