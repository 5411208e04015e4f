/* fit.h — the fit stage's driver: the runs filtered, split into groups,
 * each fitted (or all jointly) into an artifact (fit.c). */
#ifndef SLAW_FIT_H
#define SLAW_FIT_H

#include "artifact.h"

/* slaw_fit_runs; with keep_failed, failed groups never make an error: the
 * artifact may hold no fit at all (the rollout reports each group). */
slaw_status fit_runs(const slaw_runs *runs, const slaw_fit_options *opt, bool keep_failed,
                     slaw_artifact **out, slaw_error *err);

#endif /* SLAW_FIT_H */
