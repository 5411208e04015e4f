/* forecast_coverage.h — do the prediction intervals hold what they say?  Runs
 * scored against a fit's intervals (forecast_coverage.c). */
#ifndef SLAW_FORECAST_COVERAGE_H
#define SLAW_FORECAST_COVERAGE_H

#include "artifact.h"

/* One predicted run scored against a fit's prediction intervals: its error
 * in the fitting space over the interval's half-width on the error's side
 * (<= 1: inside), and the interval's width relative to the prediction. */
typedef struct coverage_score {
    size_t step;
    double score[SLAW_COVERAGE_LEVELS];
    double width[SLAW_COVERAGE_LEVELS];
} coverage_score;

/* Scores the run at vars with target observed; false when f gives no
 * prediction interval there (no covariance, a value out of range). */
bool coverage_score_run(const slaw_fit *f, const double *vars, double observed, slaw_space space,
                        coverage_score *out);
/* Summarises the scores of step (or SLAW_ROLLOUT_POOLED) at level i. */
void coverage_summarize(const coverage_score *s, size_t n, size_t step, size_t i,
                        slaw_coverage *out);

#endif /* SLAW_FORECAST_COVERAGE_H */
