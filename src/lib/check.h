/* check.h — what check.c, check_judge.c and check_verdict.c share: a verdict row being
 * built (its text in fixed buffers), the verdict that copies it, and the
 * judging of one criterion into a row. */
#ifndef SLAW_CHECK_H
#define SLAW_CHECK_H

#include "error.h"

typedef struct row_draft {
    slaw_criterion criterion;
    const char *group; /* borrowed; NULL when ungrouped */
    char label[200];
    char subject[160];
    double baseline, now, change, limit;
    char change_text[96];
    char limit_text[96];
    bool pass;
    char message[1200];
} row_draft;

/* A new verdict with no rows; NULL when out of memory. */
slaw_verdict *verdict_new(void);
/* Appends a copy of the draft.  Errors: SLAW_ENOMEM. */
slaw_status verdict_add(slaw_verdict *v, const row_draft *d, slaw_error *err);

/* A quantity a criterion names: parameter or derived quantity `index`. */
typedef struct quantity {
    bool derived;
    size_t index;  /* coverage: the level's index (slaw_coverage_level) */
    bool coverage; /* coverage(LEVEL): the fit's calibration (--expect only) */
    bool gain;     /* gain(GROUP[/BASE]): compute-equivalent gain (--expect only) */
} quantity;

/* Whether name is gain(GROUP) or gain(GROUP/BASE): then group and base
 * (base "" when not named; each of size bytes) are filled. */
bool gain_quantity(const char *name, char *group, char *base, size_t size);

/* Whether name is coverage(LEVEL) ("coverage(0.9)"): then *is_call is
 * true, and *level_index is set when LEVEL is a calibrated level. */
bool coverage_quantity(const char *name, bool *is_call, size_t *level_index);

/* One pair of fits of the same group being judged. */
typedef struct judge_ctx {
    const slaw_fit *base; /* NULL when there is no baseline */
    const slaw_fit *now;
    const slaw_artifact *now_artifact; /* gain(): the groups of the new fit */
    const char *target;                /* what the law predicts, for messages ("loss") */
} judge_ctx;

/* Each fills a row draft (check_judge.c). */
/* The new fit's warnings fail it unless allowed; failed bootstrap resamples
 * count only above max_failed, a fraction of the resamples. */
void judge_health(const judge_ctx *jc, bool allow_warnings, double max_failed, row_draft *d);
void judge_missing_group(const char *group, bool in_baseline, row_draft *d);
/* A failing row for a group one of the fits could not fit, with why. */
void judge_failed_group(const char *group, const char *reason, bool in_baseline, row_draft *d);
/* kind: TOL (limit absolute), RTOL (a fraction of |baseline|) or SIGMA
 * (combined standard errors). */
void judge_change(const judge_ctx *jc, slaw_criterion kind, quantity q, double limit, row_draft *d);
void judge_expect(const judge_ctx *jc, quantity q, const slaw_expect *e, row_draft *d);
/* gain(GROUP/BASE) of the new fit at its largest compute: fails when the
 * interval of k lies wholly outside what e expects. */
void judge_gain(const judge_ctx *jc, const slaw_expect *e, const char *group, const char *base,
                row_draft *d);
void judge_forecast(const judge_ctx *jc, const char *point, const double *vars, double tol,
                    bool two_sided, row_draft *d);

#endif /* SLAW_CHECK_H */
