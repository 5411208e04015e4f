/* forecast_report.h — what forecast and optimal print (forecast_report.c
 * holds the rows; forecast_report_table.c and forecast_report_data.c print
 * them). */
#ifndef SLAW_CLI_FORECAST_REPORT_H
#define SLAW_CLI_FORECAST_REPORT_H

#include "cost_options.h"
#include "output.h"

typedef enum report_kind { REPORT_FORECAST, REPORT_OPTIMUM, REPORT_TARGET } report_kind;

/* One answer, for one fit of the artifact. */
typedef struct report_row {
    report_kind kind;
    const slaw_fit *fit;
    union {
        slaw_forecast forecast;
        slaw_optimum optimum;
        slaw_target target;
    } u;
    bool has_cost;
    slaw_cost cost;
} report_row;

/* What forecast and optimal print: the answers and how they were asked. */
typedef struct forecast_report {
    const slaw_artifact *artifact;
    const char *path;
    const char *target_name;     /* the target column ("loss", "train_hours") */
    const char *optimum_section; /* JSON key of the optima: "optimal" or "frontier" */
    double level;
    double max_extrapolation;
    slaw_interval_method method; /* as asked */
    slaw_space space;            /* the fit's, where the residual scale lives */
    bool grouped;
    bool published; /* the law at published values: no runs, no intervals */
    bool cost;
    cost_request cost_req;
    report_row *rows;
    size_t n_rows, cap_rows;
} forecast_report;

/* Adds a row (rows are kept in the order added); false when out of memory. */
bool forecast_report_add(forecast_report *r, const report_row *row);
void forecast_report_free(forecast_report *r);
/* The decades beyond the data of a row, NULL for an unreachable target. */
const slaw_extrapolation *forecast_report_beyond(const report_row *row);
/* Whether the row's law reads one variable (x). */
bool report_row_one_var(const report_row *row);
/* Whether a point of fit's law is shown with its N and D before the law's
 * own variables: a law with a compute budget that reads neither (gadre's C
 * and M), so that a point reads as the user asked it. */
bool report_shows_split(const slaw_fit *fit);
/* Whether the row reaches past r's max_extrapolation. */
bool report_row_far_out(const forecast_report *r, const report_row *row);
/* Warns on stderr about each row past max_extrapolation. */
void forecast_report_warn(const forecast_report *r);
void forecast_report_table(const forecast_report *r);
int forecast_report_json(const forecast_report *r);
void forecast_report_csv(const forecast_report *r);
/* A CSV field and its separator: empty for NaN, inf for an unbounded end. */
void csv_number(double v, const char *sep);
/* A CSV text field (quoted where it must be) and a comma. */
void csv_text(const char *s);

/* One --then answer: a point, and the second law at the first law's value. */
typedef struct chain_row {
    const char *spec; /* the --at text; NULL for a --points row */
    double vars[SLAW_MAX_VARS];
    slaw_chain_forecast c;
} chain_row;

/* What forecast --then prints (forecast_report_chain.c). */
typedef struct chain_report {
    const slaw_fit *first, *then;
    const char *path, *then_path;
    const char *metric; /* the second fit's target column */
    chain_row *rows;
    size_t n_rows;
} chain_report;

/* Prints the chain as format asks; 0 or an exit status. */
int chain_report_print(const chain_report *r, output_format format);

/* Prints the report as format asks (table, json or csv); 0 or an exit status. */
int forecast_report_print(const forecast_report *r, output_format format);

#endif /* SLAW_CLI_FORECAST_REPORT_H */
