/* load.h — the loaders behind slaw_runs_load (load.c): each appends the
 * runs of one input to the table. */
#ifndef SLAW_LOAD_H
#define SLAW_LOAD_H

#include "byte_source.h"
#include "runs.h"

/* Each loader appends the runs of one input to r. */
slaw_status load_csv(slaw_runs *r, uint32_t file, byte_source *in, slaw_error *err);
slaw_status load_json(slaw_runs *r, uint32_t file, const char *data, size_t len, slaw_format format,
                      const slaw_load_options *opt, slaw_error *err);

#endif /* SLAW_LOAD_H */
