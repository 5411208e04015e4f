/* forecast_report_data.c — the answers of forecast and optimal as JSON (one
 * document, a section per kind of question) and as CSV (one table: the
 * command allows one kind per CSV).  Missing numbers are null in JSON and
 * empty in CSV; an interval unbounded above has a null upper end in JSON
 * and inf in CSV (where empty would read as missing). */
#include "forecast_report.h"

#include <math.h>
#include <string.h>

/* ------------------------------------------------------------------ JSON */

static void add_common(const forecast_report *r, const report_row *row, cJSON *o,
                       slaw_interval_method method, size_t samples)
{
    cJSON_AddStringToObject(o, "interval", slaw_interval_method_name(method));
    json_add_number(o, "samples", (double)samples);
    const slaw_extrapolation *e = forecast_report_beyond(row);
    if (e) {
        cJSON *x = cJSON_AddObjectToObject(o, "extrapolation");
        for (size_t k = 0; k < slaw_extrapolation_count(row->fit); k++)
            json_add_number(x, report_row_one_var(row) ? "x" : slaw_extrapolation_name(row->fit, k),
                            e->decades[k]);
        json_add_number(x, "max", slaw_extrapolation_max(e));
        cJSON_AddBoolToObject(x, "beyond", report_row_far_out(r, row));
    }
    if (row->has_cost) cost_json(cJSON_AddObjectToObject(o, "cost"), &row->cost);
}

static void forecast_json(const forecast_report *r, const report_row *row, cJSON *o)
{
    const slaw_forecast *f = &row->u.forecast;
    if (report_row_one_var(row)) {
        json_add_number(o, "x", f->x);
    } else {
        json_add_number(o, "N", f->N);
        json_add_number(o, "D", f->D);
        json_add_number(o, "C", f->C);
        for (size_t v = 0; v < slaw_law_var_count(slaw_fit_law(row->fit)); v++) {
            const char *name = slaw_extrapolation_name(row->fit, v);
            if (!cJSON_GetObjectItem(o, name)) json_add_number(o, name, f->vars[v]);
        }
    }
    json_add_number(o, "loss", f->y.value);
    json_add_interval(o, "ci", f->y.lo, f->y.hi);
    json_add_interval(o, "pi", f->pi_lo, f->pi_hi);
    slaw_coverage c;
    if (slaw_artifact_calibration(r->artifact, 0, &c))
        json_add_interval(o, "pi_calibrated", f->pic_lo, f->pic_hi);
    add_common(r, row, o, f->method, f->samples);
}

static void optimum_json(const forecast_report *r, const report_row *row, cJSON *o)
{
    const slaw_optimum *p = &row->u.optimum;
    json_add_number(o, "C", p->C);
    json_add_estimate(o, "N", &p->N);
    json_add_estimate(o, "D", &p->D);
    json_add_estimate(o, "D/N", &p->ratio);
    json_add_estimate(o, "loss", &p->L);
    json_add_interval(cJSON_GetObjectItem(o, "loss"), "pi", p->pi_lo, p->pi_hi);
    cJSON_AddStringToObject(o, "solution", p->closed_form ? "closed form" : "minimisation");
    add_common(r, row, o, p->method, p->samples);
}

static void target_json(const forecast_report *r, const report_row *row, cJSON *o)
{
    const slaw_target *t = &row->u.target;
    json_add_number(o, "loss", t->target);
    cJSON_AddBoolToObject(o, "reachable", t->reachable);
    json_add_number(o, "floor", t->floor);
    if (!t->reachable) {
        cJSON_AddStringToObject(
            o, "statement",
            isnan(t->floor) ? "unreachable under this law: no value of its variable gives it"
            : t->target <= t->floor ? "unreachable under this law: at or below its floor"
                                    : "unreachable under this law: at or above its ceiling");
        return;
    }
    if (report_row_one_var(row)) {
        json_add_estimate(o, "x", &t->x);
    } else {
        json_add_estimate(o, "C", &t->C);
        json_add_estimate(o, "N", &t->N);
        json_add_estimate(o, "D", &t->D);
    }
    json_add_number(o, "unreachable_samples", (double)t->unreachable);
    add_common(r, row, o, t->method, t->samples);
}

/* "params": the published values the answers come from. */
static void add_published(cJSON *doc, const slaw_fit *f)
{
    const slaw_law *law = slaw_fit_law(f);
    cJSON *params = cJSON_AddObjectToObject(doc, "params");
    for (size_t j = 0; params && j < slaw_law_param_count(law); j++)
        json_add_number(params, slaw_law_param_name(law, j), slaw_fit_value(f, j));
}

int forecast_report_json(const forecast_report *r)
{
    static const char *const keys[] = {"forecasts", NULL, "targets"};
    const slaw_law *law = slaw_fit_law(slaw_artifact_fit(r->artifact, 0));
    cJSON *doc = cJSON_CreateObject();
    if (r->published) {
        cJSON_AddNullToObject(doc, "artifact");
        add_published(doc, slaw_artifact_fit(r->artifact, 0));
    } else {
        cJSON_AddStringToObject(doc, "artifact", r->path);
    }
    cJSON_AddStringToObject(doc, "law", slaw_law_name(law));
    cJSON_AddStringToObject(doc, "formula", slaw_law_formula(law));
    cJSON_AddStringToObject(doc, "target", r->target_name);
    if (slaw_law_var_count(law) == 1)
        cJSON_AddStringToObject(doc, "x", slaw_fit_variable(slaw_artifact_fit(r->artifact, 0), 0));
    json_add_number(doc, "level", r->level);
    cJSON_AddStringToObject(doc, "space", r->space == SLAW_SPACE_LOG ? "log" : "linear");
    json_add_number(doc, "max_extrapolation", r->max_extrapolation);
    for (int kind = REPORT_FORECAST; kind <= REPORT_TARGET; kind++) {
        cJSON *section = NULL;
        for (size_t i = 0; i < r->n_rows; i++) {
            const report_row *row = &r->rows[i];
            if (row->kind != (report_kind)kind) continue;
            if (!section)
                section = cJSON_AddArrayToObject(doc, keys[kind] ? keys[kind] : r->optimum_section);
            cJSON *o = cJSON_CreateObject();
            const char *group = slaw_fit_group(row->fit);
            if (group) cJSON_AddStringToObject(o, "group", group);
            else cJSON_AddNullToObject(o, "group");
            if (kind == REPORT_FORECAST) forecast_json(r, row, o);
            else if (kind == REPORT_OPTIMUM) optimum_json(r, row, o);
            else target_json(r, row, o);
            cJSON_AddItemToArray(section, o);
        }
    }
    if (slaw_artifact_failed_count(r->artifact)) {
        cJSON *failed = cJSON_AddArrayToObject(doc, "failed");
        for (size_t i = 0; i < slaw_artifact_failed_count(r->artifact); i++) {
            const char *reason, *group = slaw_artifact_failed(r->artifact, i, &reason);
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "group", group);
            cJSON_AddStringToObject(o, "reason", reason);
            cJSON_AddItemToArray(failed, o);
        }
    }
    return print_json(doc);
}

/* ------------------------------------------------------------------- CSV */

void csv_number(double v, const char *sep)
{
    if (isnan(v)) printf("%s", sep);
    else if (isinf(v)) printf("%s%s", v > 0 ? "inf" : "-inf", sep);
    else printf("%.12g%s", v, sep);
}

void csv_text(const char *s)
{
    if (!strpbrk(s, ",\"\n\r")) {
        printf("%s,", s);
        return;
    }
    putchar('"');
    for (; *s; s++) {
        if (*s == '"') putchar('"');
        putchar(*s);
    }
    printf("\",");
}

static void csv_estimate(const slaw_estimate *e)
{
    csv_number(e->value, ",");
    csv_number(e->lo, ",");
    csv_number(e->hi, ",");
}

static void csv_tail(const forecast_report *r, const report_row *row, const char *method)
{
    const slaw_extrapolation *e = forecast_report_beyond(row);
    printf("%s,", method);
    for (size_t k = 0; k < slaw_extrapolation_count(row->fit); k++)
        csv_number(e ? e->decades[k] : NAN, ",");
    printf("%s", report_row_far_out(r, row) ? "yes" : "no");
    if (r->cost) {
        const slaw_cost *c = &row->cost;
        printf(",");
        csv_number(row->has_cost ? c->flops : NAN, ",");
        csv_number(row->has_cost ? c->gpu_hours : NAN, ",");
        csv_number(row->has_cost ? c->seconds / 86400 : NAN, ",");
        csv_number(row->has_cost ? c->price : NAN, "");
    }
    printf("\n");
}

/* A variable of the law other than N, D and C (U, M, a formula's column):
 * its own column after those. */
static bool extra_var(const slaw_fit *f, size_t v)
{
    const char *name = slaw_extrapolation_name(f, v);
    return strcmp(name, "N") && strcmp(name, "D") && strcmp(name, "C");
}

static void csv_header(const forecast_report *r, const report_row *first)
{
    bool one = report_row_one_var(first);
    const char *x = one ? "x" : NULL;
    if (r->grouped) printf("group,");
    switch (first->kind) {
    case REPORT_FORECAST:
        printf("%s,", one ? x : "N,D,C");
        for (size_t v = 0; !one && v < slaw_law_var_count(slaw_fit_law(first->fit)); v++)
            if (extra_var(first->fit, v)) printf("%s,", slaw_extrapolation_name(first->fit, v));
        printf("%s,ci_lo,ci_hi,pi_lo,pi_hi,", r->target_name);
        break;
    case REPORT_OPTIMUM:
        printf("C,N,N_lo,N_hi,D,D_lo,D_hi,D_per_N,D_per_N_lo,D_per_N_hi,");
        printf("%s,%s_lo,%s_hi,pi_lo,pi_hi,", r->target_name, r->target_name, r->target_name);
        break;
    case REPORT_TARGET:
        printf("%s,reachable,floor,%s", r->target_name,
               one ? "x,x_lo,x_hi," : "C,C_lo,C_hi,N,N_lo,N_hi,D,D_lo,D_hi,");
        break;
    }
    printf("interval,");
    for (size_t k = 0; k < slaw_extrapolation_count(first->fit); k++)
        printf("beyond_%s,", one ? "x" : slaw_extrapolation_name(first->fit, k));
    printf("extrapolated%s\n", r->cost ? ",flops,gpu_hours,days,price" : "");
}

static void csv_row(const forecast_report *r, const report_row *row)
{
    if (r->grouped) csv_text(slaw_fit_group(row->fit));
    if (row->kind == REPORT_FORECAST) {
        const slaw_forecast *f = &row->u.forecast;
        if (report_row_one_var(row)) {
            csv_number(f->x, ",");
        } else {
            csv_number(f->N, ",");
            csv_number(f->D, ",");
            csv_number(f->C, ",");
            for (size_t v = 0; v < slaw_law_var_count(slaw_fit_law(row->fit)); v++)
                if (extra_var(row->fit, v)) csv_number(f->vars[v], ",");
        }
        csv_estimate(&f->y);
        csv_number(f->pi_lo, ",");
        csv_number(f->pi_hi, ",");
        csv_tail(r, row, slaw_interval_method_name(f->method));
    } else if (row->kind == REPORT_OPTIMUM) {
        const slaw_optimum *o = &row->u.optimum;
        csv_number(o->C, ",");
        csv_estimate(&o->N);
        csv_estimate(&o->D);
        csv_estimate(&o->ratio);
        csv_estimate(&o->L);
        csv_number(o->pi_lo, ",");
        csv_number(o->pi_hi, ",");
        csv_tail(r, row, slaw_interval_method_name(o->method));
    } else {
        const slaw_target *t = &row->u.target;
        csv_number(t->target, ",");
        printf("%s,", t->reachable ? "yes" : "no");
        csv_number(t->floor, ",");
        if (report_row_one_var(row)) {
            csv_estimate(&t->x);
        } else {
            csv_estimate(&t->C);
            csv_estimate(&t->N);
            csv_estimate(&t->D);
        }
        csv_tail(r, row, slaw_interval_method_name(t->method));
    }
}

void forecast_report_csv(const forecast_report *r)
{
    if (!r->n_rows) return;
    csv_header(r, &r->rows[0]);
    for (size_t i = 0; i < r->n_rows; i++) csv_row(r, &r->rows[i]);
}
