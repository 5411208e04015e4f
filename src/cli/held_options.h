/* held_options.h — the values a compute budget does not set, held for
 * optima and targets (--unique-tokens, --hold), and the refusals of
 * questions about a budget that a law cannot answer (held_options.c). */
#ifndef SLAW_CLI_HELD_OPTIONS_H
#define SLAW_CLI_HELD_OPTIONS_H

#include "cli.h"

typedef struct held_request {
    slaw_point point; /* the values given */
    bool given;
} held_request;

void held_request_init(held_request *req);
/* Handles --unique-tokens U and --hold POINT (repeatable: values merge);
 * returns 1 if id is neither, 0 or an exit status. */
int held_option(const cli_command *cmd, held_request *req, option_id id, const char *arg);
/* Exit 2 naming the first variable of law that a budget does not set and
 * req does not give (and the option that gives it); 0 when none. */
int held_check(const cli_command *cmd, const held_request *req, const slaw_law *law);
/* Exit 2: option asks about a compute budget, and law has none. */
int budget_usage_error(const cli_command *cmd, const char *option, const slaw_law *law);

#endif /* SLAW_CLI_HELD_OPTIONS_H */
