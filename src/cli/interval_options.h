/* interval_options.h — the options that qualify answers from a fit
 * (interval_options.c). */
#ifndef SLAW_CLI_INTERVAL_OPTIONS_H
#define SLAW_CLI_INTERVAL_OPTIONS_H

#include "cli.h"

/* The options that qualify answers from a fit (forecast, optimal). */
extern const cli_option interval_options[];

typedef struct interval_request {
    double level;
    slaw_interval_method method;
    double max_extrapolation; /* decades */
} interval_request;

void interval_request_init(interval_request *req);
/* Handles an interval option; returns 1 if id was not one, 0 or an exit status. */
int interval_option(const cli_command *cmd, interval_request *req, option_id id, const char *arg);
/* Forecast options for a's fits (their residual space) with req's level and method. */
void interval_request_apply(const interval_request *req, const slaw_artifact *a,
                            slaw_forecast_options *opt);

#endif /* SLAW_CLI_INTERVAL_OPTIONS_H */
