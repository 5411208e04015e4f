/* forecast_coverage.c — do the prediction intervals hold what they say?  Runs that a
 * fit did not see are scored against its intervals; the fraction inside is
 * the coverage, and the split-conformal quantile of the scores is the
 * factor that would have made the intervals hold (docs/uncertainty.md). */
#include "forecast_coverage.h"

#include <gsl/gsl_sort.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static double in_space(slaw_space space, double v)
{
    return space == SLAW_SPACE_LOG ? log(v) : v;
}

bool coverage_score_run(const slaw_fit *f, const double *vars, double observed, slaw_space space,
                        coverage_score *out)
{
    slaw_forecast_options opt;
    slaw_forecast_options_init(&opt, NULL);
    opt.space = space;
    opt.method = SLAW_INTERVAL_DELTA;
    if (space == SLAW_SPACE_LOG && !(observed > 0)) return false;
    for (size_t i = 0; i < SLAW_COVERAGE_LEVELS; i++) {
        slaw_forecast fc;
        opt.level = slaw_coverage_level(i);
        if (slaw_forecast_at(f, vars, &opt, &fc, NULL) != SLAW_OK) return false;
        if (!isfinite(fc.pi_lo) || !isfinite(fc.pi_hi)) return false;
        if (space == SLAW_SPACE_LOG && !(fc.pi_lo > 0)) return false;
        double t = in_space(space, fc.y.value), r = in_space(space, observed) - t;
        double h = r >= 0 ? in_space(space, fc.pi_hi) - t : t - in_space(space, fc.pi_lo);
        out->score[i] = h > 0 ? fabs(r) / h : r == 0 ? 0 : INFINITY;
        out->width[i] = (fc.pi_hi - fc.pi_lo) / fc.y.value;
    }
    return true;
}

/* Split conformal: with n exchangeable scores, the ceil((n + 1)·level)-th
 * smallest bounds a new score with probability at least level; +inf when
 * that rank is past n. */
static double conformal_factor(double *scores, size_t n, double level)
{
    double rank = ceil((double)(n + 1) * level - 1e-9);
    if (!n || rank > (double)n) return INFINITY;
    gsl_sort(scores, 1, n);
    return scores[(size_t)rank - 1];
}

void coverage_summarize(const coverage_score *s, size_t n, size_t step, size_t i,
                        slaw_coverage *out)
{
    double *scores = malloc((n ? n : 1) * sizeof *scores), width = 0;
    memset(out, 0, sizeof *out);
    out->level = slaw_coverage_level(i);
    for (size_t j = 0; j < n; j++) {
        if (step != SLAW_ROLLOUT_POOLED && s[j].step != step) continue;
        if (scores) scores[out->n] = s[j].score[i];
        out->inside += s[j].score[i] <= 1;
        width += s[j].width[i];
        out->n++;
    }
    out->fraction = out->n ? (double)out->inside / (double)out->n : NAN;
    out->mean_width = out->n ? width / (double)out->n : NAN;
    coverage_wilson(out->inside, out->n, &out->ci_lo, &out->ci_hi);
    out->factor = scores ? conformal_factor(scores, out->n, slaw_coverage_level(i)) : NAN;
    free(scores);
}
