/* lint_report.h — the lints of the runs on stderr, in a table, in JSON
 * (lint_report.c). */
#ifndef SLAW_CLI_LINT_REPORT_H
#define SLAW_CLI_LINT_REPORT_H

#include "cli.h"

#include <cjson/cJSON.h>

/* --no-lint NAME,... (inspect, fit). */
extern const cli_option lint_options[];
/* Adds the lints named in arg ("compute,bits" or "all") to *skip, a mask of
 * 1u << slaw_lint_kind; 0 or a usage error. */
int lint_option(const cli_command *cmd, unsigned *skip, const char *arg);
/* The lints of runs not in skip: as warnings on stderr (fit), as a section
 * of inspect's table, as inspect's JSON "lints" array. */
void lints_warn(const slaw_runs *runs, unsigned skip);
void lints_print(const slaw_runs *runs, unsigned skip);
void lints_json(const slaw_runs *runs, unsigned skip, cJSON *doc);

#endif /* SLAW_CLI_LINT_REPORT_H */
