/* progress.h — the progress bar (progress.c). */
#ifndef SLAW_CLI_PROGRESS_H
#define SLAW_CLI_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>

/* A progress bar on stderr for slaw_fit_options.progress: shown only when
 * stderr is a terminal, --quiet is not given, and the work has taken half
 * a second; ctx is a progress_state. */
typedef struct progress_state {
    bool enabled;
    double started;
    double last_drawn;
    bool drawn;
    char what[32];
} progress_state;

void progress_init(progress_state *p, bool quiet);
void progress_report(void *ctx, const char *what, size_t done, size_t total);
/* Clears the bar, if one was drawn. */
void progress_done(progress_state *p);

#endif /* SLAW_CLI_PROGRESS_H */
