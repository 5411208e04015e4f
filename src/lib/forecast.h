/* forecast.h — what the forecasting modules share (internal): the law at
 * logarithmic inputs, distances outside the data, the compute-optimal
 * allocation, and intervals of any quantity computed from a fit's
 * parameters. */
#ifndef SLAW_FORECAST_H
#define SLAW_FORECAST_H

#include "fit_result.h"

#define QUANTITY_MAX 4

/* ln ŷ from natural parameter values and the logarithms of the variables
 * (so that inputs beyond the range of a double can be asked about). */
double law_ln_eval(const slaw_law *law, const double *natural, const double *lnx);

/* C through the compute model (slaw_compute_flops; flops_per_token 0:
 * 6·N·D) at a point of a law of N and D (vars in the law's order); NaN for a
 * law without them. */
/* The quantile a symmetric interval at level spans in standard errors, for
 * method (AUTO: the fit's own): Student's t on the fit's degrees of freedom
 * for T, else the normal's; NaN for T without degrees of freedom. */
double forecast_quantile(const slaw_fit *f, slaw_interval_method method, double level);
/* method, or for AUTO the fit's own (T where it records bootstrap without
 * samples). */
slaw_interval_method forecast_method(const slaw_fit *f, slaw_interval_method method);
double point_compute(const slaw_law *law, const double *vars, double flops_per_token);
/* N, D and C at a point of a law with a compute budget, from the two of N,
 * D, C, M it reads (C as it reads it, else through the compute model); NaN
 * for those it does not give. */
void point_allocation(const slaw_law *law, const double *vars, double flops_per_token, double *N,
                      double *D, double *C);

/* The decades outside the fit's data of x (or N, D and C, C through the
 * compute model). */
void extrapolation_of(const slaw_fit *f, const double *vars, double flops_per_token,
                      slaw_extrapolation *out);

/* Whether a forecast may take flops_per_token as its compute model:
 * SLAW_EUSAGE (naming the option) for a negative one, or one beside a law
 * that reads C (its fit took C = 6·N·D). */
slaw_status compute_model_check(const slaw_law *law, double flops_per_token, slaw_error *err);

/* A budget C with a fixed count of FLOPs per token (opt->flops_per_token
 * > 0) fixes D = C/X alone and leaves N free: no split to optimise.
 * SLAW_EUSAGE naming the option; SLAW_OK for 6·N·D (opt NULL or 0). */
slaw_status budget_model_check(const slaw_forecast_options *opt, slaw_error *err);

/* slaw_forecast_at without the calibrated interval (pic_lo, pic_hi NaN). */
slaw_status forecast_model(const slaw_fit *f, const double *vars, const slaw_forecast_options *opt,
                           slaw_forecast *out, slaw_error *err);
/* Sets fc's calibrated interval from f's calibration at fc's level (NaN
 * when f has none there). */
void forecast_calibrate(const slaw_fit *f, const double *vars, slaw_space space, slaw_forecast *fc);

/* The level asked for (0 = the default), checked; false outside (0, 1). */
bool level_of(const slaw_forecast_options *opt, double *level);

/* ln ŷ from natural parameter values and the variables' values: a
 * formula's from the values themselves (any sign), a built-in law's from
 * their logarithms; NaN where the law is not positive. */
double law_ln_values(const slaw_law *law, const double *natural, const double *x);

/* The law's value itself from the variables' values: a formula's as written
 * (any sign, a fit in linear space), a built-in law's through its logarithm. */
double law_value(const slaw_law *law, const double *natural, const double *x);

/* Whether variable v of law may take values <= 0: a formula's variable that
 * is not a size (N, D, C, U, M, S, B, LR), such as x centred at 0 or ln LR. */
bool law_var_signed(const slaw_law *law, size_t v);
/* Whether value is one variable v of law takes: finite, and positive
 * unless the variable is signed. */
bool law_var_admits(const slaw_law *law, size_t v, double value);

/* The value of the law's variable v in point p (by role, or by column name
 * for a formula's column); NaN when p does not give it. */
double point_var_value(const slaw_point *p, const slaw_law *law, size_t v);

/* Brent's root solver on [lo, hi], where fn changes sign; false if it
 * does not. */
bool find_root(double (*fn)(double, void *), void *ctx, double lo, double hi, double *root);

/* ------------------------------------------- along a compute budget */

/* The values of a law's variables that a split of the budget does not set
 * (NaN for those it sets: N, D, C, M, and R given U). */
typedef struct budget_fixed {
    double x[LAW_MAX_VARS];
    double U; /* the unique tokens, for R = D/U - 1 (NaN: not given) */
} budget_fixed;

/* Whether the law has a compute budget to share: it reads N and D, or two
 * of N, D, C, M, R of which one moves with the split (gadre's C and M). */
bool law_has_budget(const slaw_law *law);
void budget_fixed_none(budget_fixed *fx);
/* The variables of law held at held's values.  Errors: SLAW_EUSAGE for a
 * law without a budget, or a variable the budget does not set and held
 * does not give (naming it). */
slaw_status budget_fix(const slaw_law *law, const slaw_point *held, budget_fixed *fx,
                       slaw_error *err);
/* The first variable the budget does not set and held does not give, or
 * SIZE_MAX when there is none (or no budget). */
size_t budget_missing(const slaw_law *law, const slaw_point *held);
/* The law's variables x at the split (N, D) of budget C. */
void budget_split(const slaw_law *law, const budget_fixed *fx, double C, double N, double D,
                  double *x);

/* N* and D* at budget C for natural parameters, other variables held at
 * fx (NULL: none): the law's closed form when it has one and nothing is
 * held, else optimum_numeric_at.  False when there is no interior minimum. */
bool optimum_at(const slaw_law *law, const double *natural, const budget_fixed *fx, double C,
                double *n, double *d);
/* The numeric path, whatever the law: Brent's minimiser on ln L along the
 * budget, bracketed by a scan over ln N in [0, ln(C/6)], then polished. */
bool optimum_numeric_at(const slaw_law *law, const double *natural, const budget_fixed *fx,
                        double C, double *n, double *d);
/* The same with nothing held. */
bool optimum_of(const slaw_law *law, const double *natural, double C, double *n, double *d);
bool optimum_numeric(const slaw_law *law, const double *natural, double C, double *n, double *d);

/* Whether the inverse is sought in the law's one variable itself, which
 * takes either sign (a formula's x), rather than in its logarithm. */
bool signed_inverse(const slaw_law *law);
/* ln of the least compute along budgets (laws with one, other variables
 * held at fx, NULL: none) or of x (one-variable laws) at which the law
 * reaches target, x itself when signed_inverse; +inf when it never does (at
 * or past its limits, or only beyond 1e300), NaN when the law misbehaves. */
double reach_ln(const slaw_law *law, const double *natural, const budget_fixed *fx, double target,
                double ln_start);
/* The variables of law at vars that a budget does not set, held at their
 * values there. */
void budget_fix_at(const slaw_law *law, const double *vars, budget_fixed *fx);
/* ln of the least compute (laws of N and D) or of x (one-variable laws) at
 * which the law reaches target, searching from ln_start; false when it is
 * unreachable, only reached beyond the search, or the law misbehaves. */
bool reach_ln_resource(const slaw_law *law, const double *natural, double target, double ln_start,
                       double *out);

/* ------------------------------------------------------------ intervals */

/* A quantity computed from natural parameter values: fills out[0..n) and
 * returns false when the parameters give none (such samples are left out).
 * Outputs may be +inf (e.g. a target that a sample never reaches). */
typedef bool (*quantity_fn)(const slaw_law *law, const double *natural, void *ctx, double *out);

typedef enum quantity_scale {
    SCALE_OF_VALUE, /* intervals of y itself */
    SCALE_OF_LOG    /* intervals built on ln y (positive quantities) */
} quantity_scale;

typedef struct quantity {
    quantity_fn fn;
    void *ctx;
    size_t n;                           /* outputs, at most QUANTITY_MAX */
    quantity_scale scale[QUANTITY_MAX]; /* where the delta method works */
    bool noisy[QUANTITY_MAX];           /* also a prediction interval: the output is
                                           the law's value, scale = the fit's space */
} quantity;

typedef struct quantity_intervals {
    double lo[QUANTITY_MAX], hi[QUANTITY_MAX];       /* the curve's */
    double pi_lo[QUANTITY_MAX], pi_hi[QUANTITY_MAX]; /* noisy outputs: a new run's */
    slaw_interval_method method;
    size_t samples;  /* bootstrap samples used */
    size_t infinite; /* bootstrap samples with an infinite output */
} quantity_intervals;

/* Intervals at opt's level around value (the quantity at the fit's own
 * parameters, computed by the caller): percentiles over the bootstrap
 * samples, or the delta method.  Errors: SLAW_EUSAGE (a level outside
 * (0, 1); bootstrap asked of a fit without samples), SLAW_ENOMEM. */
slaw_status quantity_estimate(const slaw_fit *f, const quantity *q,
                              const slaw_forecast_options *opt, const double *value,
                              quantity_intervals *out, slaw_error *err);

#endif /* SLAW_FORECAST_H */
