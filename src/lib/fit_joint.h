/* fit_joint.h — a joint fit: every group at once, some parameters shared
 * (fit_joint.c). */
#ifndef SLAW_FIT_JOINT_H
#define SLAW_FIT_JOINT_H

#include "fit_options.h"
#include "fit_result.h"
#include "fit_groups.h"

/* Fits every group at once with opt->shared parameters common (fit_joint.c);
 * fits[g] gets group g's result (a group's parameters are the shared ones
 * and its own). */
slaw_status fit_joint(const fit_plan *plan, const slaw_runs *runs, const group_rows *groups,
                      size_t n_groups, slaw_fit *fits, slaw_error *err);

#endif /* SLAW_FIT_JOINT_H */
