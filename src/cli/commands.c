/* commands.c — the command table: every command of slaw, in the order
 * --help lists them. */
#include "cli.h"

#include <stddef.h>

extern const cli_command cmd_inspect, cmd_fit, cmd_compare, cmd_validate, cmd_forecast, cmd_optimal,
    cmd_cost, cmd_isoflop, cmd_check, cmd_plot, cmd_simulate, cmd_laws, cmd_plan, cmd_gain;

const cli_command *const cli_commands[] = {
    &cmd_inspect, &cmd_fit,  &cmd_compare,  &cmd_validate, &cmd_forecast,
    &cmd_optimal, &cmd_gain, &cmd_cost,     &cmd_isoflop,  &cmd_plan,
    &cmd_check,   &cmd_plot, &cmd_simulate, &cmd_laws,     NULL,
};
