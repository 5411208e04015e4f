/* plan_options.h — plan's --target and --candidates (plan_options.c). */
#ifndef SLAW_CLI_PLAN_OPTIONS_H
#define SLAW_CLI_PLAN_OPTIONS_H

#include "cost_options.h"
#include "held_options.h"

/* --target of plan (plan_options.c): loss=V, C=V (the least loss at C) or a
 * point of f's law; 0 or a usage error's exit status. */
int plan_target_parse(const cli_command *cmd, const char *spec, const slaw_artifact *a,
                      const slaw_fit *f, slaw_plan_target *t);
/* --candidates: the grid N=LO:HI:K,D=LO:HI:K (U=... for laws that read
 * it, x=... for one-variable laws; every value with every other), or a file
 * of planned runs (columns N and D, or C with one of them; U; x), each run
 * resolved to f's variables as a point of --target is and costed by req;
 * *out is the caller's to free. */
int plan_candidates_parse(const cli_command *cmd, const char *spec, const cost_request *req,
                          const slaw_artifact *a, const slaw_fit *f, slaw_plan_run **out,
                          size_t *n_out);

/* What the plan of target t (parsed from --target spec) takes beyond it,
 * the same for slaw plan and slaw plot --kind plan: *held gets req's values
 * and, for a C= target, the target's others (C=1e21,U=25B: U held along the
 * budget); fo (initialised by the caller) gets them and cost's
 * flops_per_token, under which a point target is resolved again.  A budget
 * target of a law whose budget leaves a variable unset that nothing holds
 * is refused.  0 or a usage error's exit status. */
int plan_forecast_options(const cli_command *cmd, const char *spec, const slaw_artifact *a,
                          const slaw_fit *f, const held_request *req, const cost_request *cost,
                          slaw_plan_target *t, held_request *held, slaw_forecast_options *fo);

#endif /* SLAW_CLI_PLAN_OPTIONS_H */
