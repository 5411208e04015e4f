/* forecast_report_chain.c — what forecast --then prints: each point's loss
 * under the first fit and the metric the second fit's law gives at that
 * loss, with their intervals, as a table, JSON or CSV. */
#include "forecast_report.h"

#include <math.h>
#include <string.h>

static const char *interval_text(const chain_report *r, char *buf, size_t size)
{
    const slaw_chain_forecast *c = r->n_rows ? &r->rows[0].c : NULL;
    if (c && c->method == SLAW_INTERVAL_BOOTSTRAP)
        snprintf(buf, size,
                 "%g%%, percentiles over %zu bootstrap samples of both fits, in pairs (sample k "
                 "with sample k)",
                 100 * c->level, c->samples);
    else if (c && isnan(c->se_ln_loss) && isnan(c->loss.lo))
        snprintf(buf, size,
                 "%g%%, delta method in log scale through %s's covariance (the first law's "
                 "parameters are given: none)",
                 100 * c->level, r->then_path);
    else
        snprintf(buf, size, "%g%%, delta method in log scale through both fits' covariances",
                 100 * (c ? c->level : SLAW_DEFAULT_LEVEL));
    return buf;
}

/* "[lo, hi]", or "-" without an interval. */
static const char *ci_text(const slaw_estimate *e, char *buf, size_t size)
{
    char lo[32], hi[32];
    if (isnan(e->lo) || isnan(e->hi)) snprintf(buf, size, "-");
    else
        snprintf(buf, size, "[%s, %s]", format_value(e->lo, lo, sizeof lo),
                 format_value(e->hi, hi, sizeof hi));
    return buf;
}

static void chain_table(const chain_report *r)
{
    const slaw_law *a = slaw_fit_law(r->first), *b = slaw_fit_law(r->then);
    char x[32], y[32], iv[600];
    printf("law        %s: %s (%s)\n", slaw_law_name(a), slaw_law_formula(a), r->path);
    printf("then       %s: %s (%s)\n", slaw_law_name(b), slaw_law_formula(b), r->then_path);
    printf("intervals  %s\n\n", interval_text(r, iv, sizeof iv));
    printf("%-24s %10s  %-22s %10s  %s\n", "point", "loss", "CI", r->metric, "CI");
    for (size_t i = 0; i < r->n_rows; i++) {
        const slaw_chain_forecast *c = &r->rows[i].c;
        char ci_loss[80], ci_y[80];
        ci_text(&c->loss, ci_loss, sizeof ci_loss);
        ci_text(&c->y, ci_y, sizeof ci_y);
        printf("%-24s %10s  %-22s %10s  %s\n", r->rows[i].spec ? r->rows[i].spec : "(points)",
               format_value(c->loss.value, x, sizeof x), ci_loss,
               format_value(c->y.value, y, sizeof y), ci_y);
    }
}

static int chain_json(const chain_report *r)
{
    const slaw_chain_forecast *c0 = r->n_rows ? &r->rows[0].c : NULL;
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "artifact", r->path);
    cJSON_AddStringToObject(doc, "then", r->then_path);
    cJSON_AddStringToObject(doc, "law", slaw_law_name(slaw_fit_law(r->first)));
    cJSON_AddStringToObject(doc, "then_law", slaw_law_name(slaw_fit_law(r->then)));
    cJSON_AddStringToObject(doc, "metric", r->metric);
    json_add_number(doc, "level", c0 ? c0->level : SLAW_DEFAULT_LEVEL);
    cJSON_AddStringToObject(doc, "interval",
                            slaw_interval_method_name(c0 ? c0->method : SLAW_INTERVAL_DELTA));
    json_add_number(doc, "samples", c0 ? (double)c0->samples : 0);
    cJSON *rows = cJSON_AddArrayToObject(doc, "forecasts");
    for (size_t i = 0; i < r->n_rows; i++) {
        const chain_row *row = &r->rows[i];
        cJSON *o = cJSON_CreateObject();
        if (row->spec) cJSON_AddStringToObject(o, "point", row->spec);
        else cJSON_AddNullToObject(o, "point");
        if (report_shows_split(r->first)) {
            json_add_number(o, "N", row->c.N);
            json_add_number(o, "D", row->c.D);
        }
        for (size_t v = 0; v < slaw_law_var_count(slaw_fit_law(r->first)); v++)
            json_add_number(o, slaw_extrapolation_name(r->first, v), row->vars[v]);
        json_add_estimate(o, "loss", &row->c.loss);
        json_add_estimate(o, "y", &row->c.y);
        json_add_number(o, "slope", row->c.slope);
        json_add_number(o, "se_ln_loss", row->c.se_ln_loss);
        json_add_number(o, "se_ln_y", row->c.se_ln_y);
        cJSON_AddItemToArray(rows, o);
    }
    return print_json(doc);
}

static void chain_csv(const chain_report *r)
{
    size_t nv = slaw_law_var_count(slaw_fit_law(r->first));
    bool split = report_shows_split(r->first);
    printf("point,%s", split ? "N,D," : "");
    for (size_t v = 0; v < nv; v++) printf("%s,", slaw_extrapolation_name(r->first, v));
    printf("loss,loss_lo,loss_hi,");
    csv_text(r->metric);
    printf("%s_lo,%s_hi,interval\n", r->metric, r->metric);
    for (size_t i = 0; i < r->n_rows; i++) {
        const chain_row *row = &r->rows[i];
        csv_text(row->spec ? row->spec : "");
        if (split) {
            csv_number(row->c.N, ",");
            csv_number(row->c.D, ",");
        }
        for (size_t v = 0; v < nv; v++) csv_number(row->vars[v], ",");
        csv_number(row->c.loss.value, ",");
        csv_number(row->c.loss.lo, ",");
        csv_number(row->c.loss.hi, ",");
        csv_number(row->c.y.value, ",");
        csv_number(row->c.y.lo, ",");
        csv_number(row->c.y.hi, ",");
        printf("%s\n", slaw_interval_method_name(row->c.method));
    }
}

int chain_report_print(const chain_report *r, output_format format)
{
    if (format == OUTPUT_JSON) return chain_json(r);
    if (format == OUTPUT_CSV) chain_csv(r);
    else chain_table(r);
    return 0;
}
