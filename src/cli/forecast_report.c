/* forecast_report.c — the rows of what forecast and optimal print, and
 * what each row says of itself (how far out it reaches, how many
 * variables its law reads). */
#include "forecast_report.h"

#include <math.h>
#include <stdlib.h>

bool forecast_report_add(forecast_report *r, const report_row *row)
{
    if (r->n_rows == r->cap_rows) {
        size_t cap = r->cap_rows ? 2 * r->cap_rows : 16;
        report_row *rows = realloc(r->rows, cap * sizeof *rows);
        if (!rows) return false;
        r->rows = rows;
        r->cap_rows = cap;
    }
    r->rows[r->n_rows++] = *row;
    return true;
}

void forecast_report_free(forecast_report *r)
{
    free(r->rows);
    r->rows = NULL;
    r->n_rows = r->cap_rows = 0;
}

const slaw_extrapolation *forecast_report_beyond(const report_row *row)
{
    switch (row->kind) {
    case REPORT_FORECAST: return &row->u.forecast.beyond;
    case REPORT_OPTIMUM: return &row->u.optimum.beyond;
    case REPORT_TARGET: return row->u.target.reachable ? &row->u.target.beyond : NULL;
    }
    return NULL;
}

bool report_row_one_var(const report_row *row)
{
    return slaw_law_var_count(slaw_fit_law(row->fit)) == 1;
}

bool report_row_far_out(const forecast_report *r, const report_row *row)
{
    const slaw_extrapolation *e = forecast_report_beyond(row);
    return e && slaw_extrapolation_max(e) > r->max_extrapolation;
}

bool report_shows_split(const slaw_fit *fit)
{
    const slaw_law *law = slaw_fit_law(fit);
    for (size_t v = 0; v < slaw_law_var_count(law); v++) {
        slaw_role role = slaw_law_var_role(law, v);
        if (role == SLAW_ROLE_N || role == SLAW_ROLE_D) return false;
    }
    return slaw_law_has_budget(law);
}
