/* uncertainty.h — the uncertainty stage: standard errors and covariance
 * at the optimum (uncertainty.c), which parameters the runs determine
 * (uncertainty_identify.c), and the bootstrap (uncertainty_bootstrap.c). */
#ifndef SLAW_UNCERTAINTY_H
#define SLAW_UNCERTAINTY_H

#include "fit_result.h"
#include "solver_search.h"

#include <gsl/gsl_rng.h>

/* Standard errors and covariance at the optimum (uncertainty.c). */
void fit_uncertainty(const problem *pb, solver *s, const start_result *best, slaw_fit *f);
/* (J'J)^-1 of the n × a matrix J (row-major; destroyed), a <= LAW_MAX_PARAMS,
 * into cov (a × a), as gsl_multifit_nlinear_covar(J, 1e-14) gives it to
 * rounding: J reduced first to its a × a triangular factor by Householder
 * reflections (R'R = J'J, the column norms GSL pivots by kept), then GSL's
 * pivoted QR and gsl_multifit_covar_QRPT of that.  GSL's QR of the n rows
 * itself went through its reference CBLAS, whose dnrm2 divides once an
 * element: a tenth of a fit of 250 runs.  False if GSL fails. */
bool uncertainty_covariance(double *J, size_t n, size_t a, double *cov);
/* n, R², RMSE of log residuals, AIC, BIC at the optimum; law_at is the law
 * there (solver_law_at), or NULL to evaluate it. */
void fit_goodness(const problem *pb, const start_result *best, const double *law_at, slaw_fit *f);
/* Derived quantities with delta-method standard errors; a quantity that
 * depends on an undetermined parameter is undetermined too. */
void fit_derive(const slaw_law *law, slaw_fit *f);
/* Which parameters the runs determine (uncertainty_identify.c): marks as undetermined,
 * with a NaN standard error and a warning saying why and what would help,
 * a parameter whose covariance is singular, whose standard error exceeds
 * its value, that correlates above IDENTIFY_MAX_CORR with another, or whose
 * bootstrap interval spans more than IDENTIFY_MAX_DECADES decades.  Call
 * after the bootstrap, before fit_derive. */
#define IDENTIFY_MAX_CORR 0.999
#define IDENTIFY_MAX_DECADES 2.0
void fit_identify(const problem *pb, const data_summary *s, slaw_fit *f);
/* C = d(centred)/d(internal) at theta (p × p), the coordinates fit_identify
 * judges correlations in: the law's own, else the inverse of its uncenter
 * map's matrix M.  False if M is singular. */
bool identify_centring(const slaw_law *law, const data_summary *s, const double *theta, double *C);
/* The same by the criteria of each parameter alone, for a fit without its
 * own internal covariance (a group of a joint fit); singular[j] marks a
 * parameter whose Jacobian column is dependent.  A shared parameter is
 * judged in each group. */
void fit_identify_each(slaw_fit *f, const bool *singular);
/* What a bootstrap needs: the fitted problem, its grid (for restarts), the
 * optimum to warm-start from, and which cluster each row belongs to (rows
 * of a cluster are drawn together). */
typedef struct boot_job {
    const problem *pb;
    const start_grid *grid;
    const double *best_u;
    const size_t *cluster_of;
    size_t n_clusters;
    const size_t *strata; /* n_strata + 1: clusters [strata[s], strata[s+1]) are drawn
                             from apart (a joint fit resamples within groups); NULL */
    size_t n_strata;      /* 0: one stratum of every cluster */
    const slaw_fit_options *opt;
    int threads;
} boot_job;

typedef struct boot_result {
    double *samples; /* kept × problem_params, natural scale; caller frees */
    size_t kept, failures, fallbacks, resamples;
    size_t why[BOOT_FAILED_KINDS]; /* the failures by reason */
} boot_result;

/* The multiplicity weights of resample b (the rows of job->pb->data) into
 * w; count (n_clusters) is scratch, rng is seeded from (seed, b). */
void bootstrap_weights(const boot_job *job, size_t b, gsl_rng *rng, size_t *count, double *w);
/* "2 did not converge, 1 had no finite objective" from counts by reason. */
void bootstrap_failure_text(const size_t *why, char *buf, size_t size);

/* Resamples and refits; the refitted parameters of the resamples that
 * converged, in resample order. */
slaw_status bootstrap_samples(const boot_job *job, boot_result *out, slaw_error *err);
/* Gives f the samples (kept × n_params; f owns them), its warnings and summaries. */
void bootstrap_store(slaw_fit *f, const boot_result *r, double *samples, double level);
/* Resamples, refits, and stores samples and summaries in f. */
slaw_status bootstrap_run(const boot_job *job, slaw_fit *f, slaw_error *err);
/* Fills the bootstrap summaries (se, intervals) from f->boot. */
void bootstrap_summarize(slaw_fit *f);

#endif /* SLAW_UNCERTAINTY_H */
