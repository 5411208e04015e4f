/* fit_options.h — the fit options and the request they fill
 * (fit_options.c). */
#ifndef SLAW_CLI_FIT_OPTIONS_H
#define SLAW_CLI_FIT_OPTIONS_H

#include "input.h"
#include "progress.h"

/* The fit options, ended by {0}. */
extern const cli_option fit_options[];

/* What the fit options collect. */
typedef struct fit_request {
    slaw_fit_options fit;
    const char *fix[32], *tie[32], *bound[32];
    bool quiet;
    progress_state progress;
} fit_request;

void fit_request_init(fit_request *req);
/* Handles a fit option; returns 1 if id was not one, 0 or an exit status. */
int fit_option(const cli_command *cmd, fit_request *req, option_id id, const char *arg);
/* A fit option, else an input option, else a usage error: the option
 * handling of every command that fits. */
int fit_or_input_option(const cli_command *cmd, fit_request *fit, input_request *input,
                        option_id id, const char *arg);
/* Connects the progress bar (after the options are parsed). */
void fit_request_start_progress(fit_request *req);

#endif /* SLAW_CLI_FIT_OPTIONS_H */
