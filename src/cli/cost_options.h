/* cost_options.h — the options that price a training run, and the cost
 * printed (cost_options.c). */
#ifndef SLAW_CLI_COST_OPTIONS_H
#define SLAW_CLI_COST_OPTIONS_H

#include "cli.h"

#include <cjson/cJSON.h>

/* The options that price a training run (cost, forecast --cost). */
extern const cli_option cost_options[];

typedef struct cost_request {
    slaw_cost_options opt;
    const slaw_accelerator *gpu; /* --gpu; NULL when none */
    bool peak_given;             /* --peak-flops (which excludes --gpu) */
    bool given;                  /* any cost option was given */
} cost_request;

void cost_request_init(cost_request *req);
/* Handles a cost option; returns 1 if id was not one, 0 or an exit status. */
int cost_option(const cli_command *cmd, cost_request *req, option_id id, const char *arg);
/* The cost of training N parameters on D tokens under req; false (and *out
 * untouched) when N or D is not a positive finite number or the cost has
 * none. */
bool cost_of_run(const cost_request *req, double N, double D, slaw_cost *out);

/* "3.2 days", "5.1 hours", "42 s". */
const char *format_duration(double seconds, char *buf, size_t size);
/* Adds {"flops", "gpu_hours", "seconds", "days", "price"} to a JSON object. */
void cost_json(cJSON *o, const slaw_cost *c);

#endif /* SLAW_CLI_COST_OPTIONS_H */
