/* artifact_calibrate.c — an artifact calibrated by a rollout: the split-conformal
 * factors that make its prediction intervals hold (docs/uncertainty.md). */
#include "artifact.h"

#include <string.h>

slaw_status slaw_artifact_calibrate(slaw_artifact *a, const slaw_rollout *r, slaw_error *err)
{
    slaw_coverage c[SLAW_COVERAGE_LEVELS];
    for (size_t i = 0; i < SLAW_COVERAGE_LEVELS; i++) {
        slaw_rollout_coverage(r, SLAW_ROLLOUT_POOLED, i, &c[i]);
        if (!c[i].n)
            return error_set(err, SLAW_EFIT, NULL, 0,
                             "calibration: the rollout scored no run "
                             "against a prediction interval");
    }
    memcpy(a->calib, c, sizeof c);
    a->calibrated = true;
    artifact_link_calibration(a);
    return SLAW_OK;
}

slaw_status slaw_artifact_calibrate_runs(slaw_artifact *a, const slaw_runs *runs,
                                         const slaw_fit_options *opt, slaw_error *err)
{
    slaw_rollout *r = NULL;
    slaw_status st = slaw_rollout_runs(runs, opt, &r, err);
    if (st == SLAW_OK) st = slaw_artifact_calibrate(a, r, err);
    slaw_rollout_free(r);
    return st;
}
