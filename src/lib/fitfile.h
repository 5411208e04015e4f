/* fitfile.h — the names the fit artifact uses for enumerations, shared by
 * fitfile_write.c and fitfile_read.c. */
#ifndef SLAW_FITFILE_H
#define SLAW_FITFILE_H

#include "slaw.h"

static const char *const space_names[] = {"log", "linear"};
static const char *const loss_names[] = {"l2", "huber", "asym"};
static const char *const solver_names[] = {"lm", "lmaccel", "dogleg", "ddogleg", "subspace2D"};
static const char *const state_names[] = {"free", "fixed", "tied", "pinned"};
static const char *const role_keys[SLAW_ROLE_COUNT] = {"N", "D", "C", "L", "group", "weight"};

#endif
