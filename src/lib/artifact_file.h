/* artifact_file.h — the names the fit artifact uses for enumerations, shared by
 * artifact_write.c and artifact_read.c. */
#ifndef SLAW_ARTIFACT_FILE_H
#define SLAW_ARTIFACT_FILE_H

#include "artifact.h"

static const char *const space_names[] = {"log", "linear"};
static const char *const solver_names[] = {"lm", "lmaccel", "dogleg", "ddogleg", "subspace2D"};
static const char *const state_names[] = {"free", "fixed", "tied", "pinned"};
static const char *const per_names[] = {"none", "best", "mean"};
/* settings.columns holds every role before SLAW_ROLE_FIRST_VARIABLE (null
 * when unbound) and the variable roles that were bound, keyed by
 * slaw_role_name; files written before those roles existed lack them. */

/* Where a reader's messages go: the file's name and the caller's error. */
typedef struct fitfile_reader {
    const char *name;
    slaw_error *err;
    int format; /* the file's format (1 or 2), once read */
} fitfile_reader;

struct cJSON;

/* Fails with SLAW_EINPUT "not a valid slaw fit artifact: MESSAGE", naming
 * the file (artifact_check.c; every reader's refusal goes through it). */
slaw_status fitfile_invalid(const fitfile_reader *rd, const char *fmt, ...) SLAW_PRINTF(2, 3);

/* fits[index].params (params) holds exactly f's law's parameters, each
 * stderr not negative and "identified" true or false; unidentified[j] gets
 * whether parameter j is marked "identified": false. */
slaw_status fitfile_check_params(const fitfile_reader *rd, const struct cJSON *params, size_t index,
                                 const slaw_fit *f, bool *unidentified);
/* f's covariance is one, and agrees with its standard errors. */
slaw_status fitfile_check_covariance(const fitfile_reader *rd, size_t index, const slaw_fit *f,
                                     const bool *unidentified);

/* artifact_selection.c: s->selection from the settings object (format 2's
 * settings.selection, format 1's where, per and drop_top_loss); a->removed
 * from data.filters, one entry per step. */
slaw_status fitfile_read_selection(const fitfile_reader *rd, const struct cJSON *settings,
                                   fit_settings *s);
slaw_status fitfile_read_removed(const fitfile_reader *rd, const struct cJSON *filters,
                                 slaw_artifact *a);

#endif
