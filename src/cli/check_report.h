/* check_report.h — slaw check's verdict rendered (check_report.c). */
#ifndef SLAW_CLI_CHECK_REPORT_H
#define SLAW_CLI_CHECK_REPORT_H

#include "output.h"

/* slaw check's verdict, ready to render (check_report.c). */
typedef struct check_report {
    const slaw_verdict_row *const *rows;
    size_t n_rows, failures;
    const char *baseline; /* the baseline's path; NULL when there is none */
    const char *error;    /* the fit failed: its message (rows then holds one row saying so) */
} check_report;

/* "slaw check: FAIL, 1 of 7 criteria failed: forecast N=7B,D=140B" */
void check_report_summary(const check_report *r, char *buf, size_t size);
/* The verdict in format (table, json, markdown or junit) appended to out. */
void check_report_render(const check_report *r, output_format format, text_buffer *out);

#endif /* SLAW_CLI_CHECK_REPORT_H */
