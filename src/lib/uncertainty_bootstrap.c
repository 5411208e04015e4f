/* uncertainty_bootstrap.c — uncertainty by resampling: draw runs (or whole groups of
 * runs) with replacement, refit, and read standard errors and percentile
 * intervals off the refitted parameters.
 *
 * A resample is represented by multiplicity weights on the original rows (a
 * run drawn twice weighs twice), which gives the same objective as copying
 * rows and keeps every resample the same size, so each thread reuses one
 * solver.  Each resample seeds its own generator from (seed, index), so the
 * samples do not depend on how resamples are spread over threads.
 *
 * The runs a resample did not draw (about a third) weigh nothing: a refit
 * of a single law packs the others into arrays of their own and skips them,
 * which adds exactly zero less to every sum. */
#include "cpu_load.h"
#include "search.h"
#include "uncertainty.h"

#include <assert.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#define FALLBACK_STARTS 8

static unsigned long mix_seed(unsigned long seed, size_t index)
{
    uint64_t z = (uint64_t)seed * 0x9E3779B97F4A7C15u + (uint64_t)index + 1;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return (unsigned long)((z ^ (z >> 31)) & 0xFFFFFFFFu);
}

/* Multiplicity weights of one resample: within each stratum (a joint fit's
 * group; else all clusters), as many draws with replacement as it has
 * clusters; every row of a drawn cluster gains its base weight. */
void bootstrap_weights(const boot_job *job, size_t b, gsl_rng *rng, size_t *count, double *w)
{
    const dataset *d = job->pb->data;
    gsl_rng_set(rng, mix_seed(job->opt->seed, b));
    memset(count, 0, job->n_clusters * sizeof *count);
    size_t n_strata = job->n_strata ? job->n_strata : 1;
    for (size_t s = 0; s < n_strata; s++) {
        size_t lo = job->n_strata ? job->strata[s] : 0;
        size_t hi = job->n_strata ? job->strata[s + 1] : job->n_clusters;
        for (size_t k = lo; k < hi; k++) count[lo + gsl_rng_uniform_int(rng, hi - lo)]++;
    }
    for (size_t i = 0; i < d->n; i++)
        w[i] = (double)count[job->cluster_of[i]] * (d->w ? d->w[i] : 1.0);
}

/* Why a resample could not be refitted, from the attempt that got
 * furthest: none had a finite objective, or the best stopped with a
 * parameter on its bound, or it did not converge. */
static boot_failure failure_of(const problem *pb, const start_result *r)
{
    if (r->outcome == START_INVALID || !isfinite(r->cost)) return BOOT_FAILED_NON_FINITE;
    for (size_t k = 0; k < pb->map.m; k++)
        if (param_map_pinned(&pb->map, r->u, k)) return BOOT_FAILED_PINNED;
    return BOOT_FAILED_NO_CONVERGENCE;
}

/* The best converged optimum from the grid's most promising starts, for a
 * resample whose warm start failed; when none converges, *out is the
 * attempt with the lowest finite objective (or the warm start). */
static bool refit_from_grid(solver *s, const problem *pb, const start_grid *g, start_result *out)
{
    size_t best[FALLBACK_STARTS], n_best = search_best_starts(s, g, FALLBACK_STARTS, best);
    bool found = false;
    for (size_t k = 0; k < n_best; k++) {
        double u0[FIT_MAX_PARAMS];
        start_result r;
        param_map_u(&pb->map, g->theta + best[k] * g->p, u0);
        solver_run(s, u0, SEARCH_TOL, &r);
        bool converged = r.outcome == START_CONVERGED;
        bool lower = isfinite(r.cost) && !(r.cost >= out->cost); /* out->cost may be NaN */
        if ((converged && (!found || r.cost < out->cost)) || (!found && !converged && lower)) {
            *out = r;
            found = converged;
        }
    }
    return found;
}

/* The rows of full that weigh something under w, packed into out's
 * arrays (dataset_alloc_like, full->n long), with their weights. */
static void pack(const dataset *full, const double *w, dataset *out)
{
    size_t k = 0;
    for (size_t i = 0; i < full->n; i++) {
        if (w[i] == 0) continue;
        for (size_t v = 0; v < full->n_vars; v++) {
            if (full->lnx[v]) out->lnx[v][k] = full->lnx[v][i];
            if (full->x[v]) out->x[v][k] = full->x[v][i];
        }
        out->y[k] = full->y[i];
        out->lny[k] = full->lny[i];
        out->w[k++] = w[i];
    }
    out->n = k;
    dataset_root_weights(out);
}

/* Refits one resample whose weights are in resample->w: on the packed rows
 * when there is a packed dataset (a new solver for them), else with the
 * thread's solver over every row; false when out of memory. */
static bool refit(const boot_job *job, problem *local, solver *full_solver, dataset *packed,
                  start_result *r, bool *fell_back)
{
    solver *s = full_solver;
    const dataset *resample = local->data;
    if (packed) {
        pack(resample, resample->w, packed);
        local->data = packed;
        s = solver_new(local);
    }
    bool ok = s != NULL;
    if (ok) {
        solver_run(s, job->best_u, BOOT_TOL, r);
        *fell_back = r->outcome != START_CONVERGED && refit_from_grid(s, local, job->grid, r);
    }
    if (packed) {
        solver_free(s);
        local->data = resample;
    }
    return ok;
}

slaw_status bootstrap_samples(const boot_job *job, boot_result *out, slaw_error *err)
{
    assert(job && job->pb && job->grid && job->best_u && job->cluster_of && out);
    assert(job->n_clusters >= 1 && job->n_clusters <= job->pb->data->n);
    const problem *pb = job->pb;
    const dataset *d = pb->data;
    size_t B = job->opt->bootstrap, p = problem_params(pb), n = d->n;
    size_t done = 0, failures = 0, fallbacks = 0, no_conv = 0, pinned = 0, non_finite = 0;
    bool failed = false;
    double *samples = malloc(B * p * sizeof *samples);
    bool *ok = calloc(B, sizeof *ok);
    if (!samples || !ok) {
        free(samples);
        free(ok);
        return error_nomem(err);
    }
    /* a resample takes some 10 to 30 iterations over the n runs */
    int threads = B * n * 10 < FIT_PARALLEL_WORK ? 1 : cpu_load_threads(job->threads);
#pragma omp parallel num_threads(threads) \
    reduction(+ : failures, fallbacks, no_conv, pinned, non_finite)
    {
        dataset resample = *d; /* shares every array but the weights */
        double *w = malloc(n * sizeof *w), *sw = malloc(n * sizeof *sw);
        size_t *count = malloc(job->n_clusters * sizeof *count);
        gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
        problem local = *pb;
        local.data = &resample;
        resample.w = w;
        resample.sw = sw;
        /* a joint fit's rows stay in place: its groups are ranges of them */
        dataset packed = {0};
        solver *s = NULL;
        bool ready = w && sw && count && rng &&
                     (pb->joint ? (s = solver_new(&local)) != NULL
                                : dataset_alloc_like(d, d->n, &packed) == SLAW_OK);
#pragma omp for schedule(dynamic, 4)
        for (size_t b = 0; b < B; b++) {
            start_result r;
            bool fell_back = false;
            if (ready) {
                bootstrap_weights(job, b, rng, count, w);
                if (pb->joint) dataset_root_weights(&resample);
                ready = refit(job, &local, s, pb->joint ? NULL : &packed, &r, &fell_back);
            }
            if (!ready) {
#pragma omp atomic write
                failed = true;
                continue;
            }
            fallbacks += fell_back;
            if (r.outcome == START_CONVERGED) {
                double theta[FIT_MAX_PARAMS];
                param_map_theta(&pb->map, r.u, theta);
                for (size_t j = 0; j < p; j++)
                    samples[b * p + j] = law_to_natural(pb->law, problem_base(pb, j), theta[j]);
                ok[b] = true;
            } else {
                failures++;
                boot_failure why = failure_of(&local, &r);
                no_conv += why == BOOT_FAILED_NO_CONVERGENCE;
                pinned += why == BOOT_FAILED_PINNED;
                non_finite += why == BOOT_FAILED_NON_FINITE;
            }
            size_t now;
#pragma omp atomic capture
            now = ++done;
            if (job->opt->progress && omp_get_thread_num() == 0)
                job->opt->progress(job->opt->progress_ctx, "bootstrap", now, B);
        }
        solver_free(s);
        dataset_free(&packed);
        gsl_rng_free(rng);
        free(count);
        free(w);
        free(sw);
    }
    if (failed) {
        free(samples);
        free(ok);
        return error_nomem(err);
    }
    /* Keep the successful samples, in resample order. */
    size_t kept = 0;
    for (size_t b = 0; b < B; b++)
        if (ok[b]) memmove(samples + kept++ * p, samples + b * p, p * sizeof *samples);
    free(ok);
    if (job->opt->progress) job->opt->progress(job->opt->progress_ctx, "bootstrap", B, B);
    *out = (boot_result){samples, kept, failures, fallbacks, B, {no_conv, pinned, non_finite}};
    return SLAW_OK;
}

void bootstrap_store(slaw_fit *f, const boot_result *r, double *samples, double level)
{
    f->boot = samples;
    f->n_boot = r->kept;
    f->boot_failures = r->failures;
    f->boot_fallbacks = r->fallbacks;
    memcpy(f->boot_why, r->why, sizeof f->boot_why);
    f->boot_level = level;
    if (r->failures) {
        char why[200];
        bootstrap_failure_text(r->why, why, sizeof why);
        fit_add_warning(f, "%zu of %zu " BOOT_FAILURE_WARNING "%s%s%s", r->failures, r->resamples,
                        why[0] ? " (" : "", why, why[0] ? ")" : "");
    }
    if (r->kept < 2) {
        fit_add_warning(f, "too few bootstrap samples for intervals");
        return;
    }
    bootstrap_summarize(f);
}

void bootstrap_failure_text(const size_t *why, char *buf, size_t size)
{
    static const char *const words[BOOT_FAILED_KINDS] = {
        "did not converge", "stopped with a parameter on its bound", "had no finite objective"};
    size_t o = 0;
    buf[0] = '\0';
    for (int k = 0; k < BOOT_FAILED_KINDS; k++)
        if (why[k] && o < size)
            o += (size_t)snprintf(buf + o, size - o, "%s%zu %s", o ? ", " : "", why[k], words[k]);
}

slaw_status bootstrap_run(const boot_job *job, slaw_fit *f, slaw_error *err)
{
    boot_result r;
    slaw_status st = bootstrap_samples(job, &r, err);
    if (st == SLAW_OK) bootstrap_store(f, &r, r.samples, job->opt->level);
    return st;
}

/* Standard deviation and percentile interval of column j of a sample matrix. */
static void summarize_column(const double *m, size_t rows, size_t cols, size_t j, double level,
                             double *scratch, double *se, double *lo, double *hi)
{
    for (size_t i = 0; i < rows; i++) scratch[i] = m[i * cols + j];
    *se = gsl_stats_sd(scratch, 1, rows);
    gsl_sort(scratch, 1, rows);
    double tail = (1.0 - level) / 2.0;
    *lo = gsl_stats_quantile_from_sorted_data(scratch, 1, rows, tail);
    *hi = gsl_stats_quantile_from_sorted_data(scratch, 1, rows, 1.0 - tail);
}

void bootstrap_summarize(slaw_fit *f)
{
    const slaw_law *law = f->law;
    size_t p = law->n_params, q = law->n_derived, n = f->n_boot;
    if (n < 2) return;
    double *scratch = malloc(n * sizeof *scratch);
    double *derived = q ? malloc(n * q * sizeof *derived) : NULL;
    if (!scratch || (q && !derived)) goto out;
    for (size_t j = 0; j < p; j++)
        summarize_column(f->boot, n, p, j, f->boot_level, scratch, &f->boot_se[j], &f->boot_lo[j],
                         &f->boot_hi[j]);
    for (size_t i = 0; i < n && q; i++) law->derived(f->boot + i * p, derived + i * q);
    for (size_t k = 0; k < q; k++)
        summarize_column(derived, n, q, k, f->boot_level, scratch, &f->dboot_se[k], &f->dboot_lo[k],
                         &f->dboot_hi[k]);
out:
    free(scratch);
    free(derived);
}
