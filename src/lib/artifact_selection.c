/* artifact_selection.c — the selection of runs read back from a fit
 * artifact: format 2's settings.selection (steps as data), or format 1's
 * settings.where (expression texts), settings.per and
 * settings.drop_top_loss; and what each step removed (data.filters). */
#include "artifact_file.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const cJSON *member(const cJSON *o, const char *key)
{
    return cJSON_GetObjectItemCaseSensitive(o, key);
}

/* A count (a whole number from 0 to 1e15); false for anything else. */
static bool count_of(const cJSON *v, size_t *out)
{
    if (!cJSON_IsNumber(v) || !(v->valuedouble >= 0) || v->valuedouble > 1e15 ||
        v->valuedouble != floor(v->valuedouble))
        return false;
    *out = (size_t)v->valuedouble;
    return true;
}

static slaw_status add(const fitfile_reader *rd, fit_settings *s, const slaw_step *step,
                       const char *field)
{
    slaw_error why;
    slaw_status st = slaw_selection_add(s->selection, step, &why);
    if (st == SLAW_ENOMEM) return error_nomem_at(rd->err, rd->name, 0);
    if (st != SLAW_OK) return fitfile_invalid(rd, "%s: %s", field, why.message);
    return SLAW_OK;
}

/* The columns of a per step: a non-empty array of strings, borrowed. */
static bool per_columns(const cJSON *a, const char **cols, size_t max, size_t *n)
{
    const cJSON *item;
    *n = 0;
    if (!cJSON_IsArray(a) || !cJSON_GetArraySize(a)) return false;
    cJSON_ArrayForEach(item, a)
    {
        if (!cJSON_IsString(item) || *n == max) return false;
        cols[(*n)++] = item->valuestring;
    }
    return true;
}

/* A per step: keep, columns and weights of o (field names it in messages). */
static slaw_status read_per(const fitfile_reader *rd, const cJSON *o, const char *field,
                            fit_settings *s)
{
    const char *cols[64];
    slaw_step step = {.kind = SLAW_STEP_PER, .per.columns = cols};
    const cJSON *keep = member(o, "keep"), *w = member(o, "weights");
    if (cJSON_IsString(keep) && !strcmp(keep->valuestring, "best")) step.per.keep = SLAW_PER_BEST;
    else if (cJSON_IsString(keep) && !strcmp(keep->valuestring, "mean"))
        step.per.keep = SLAW_PER_MEAN;
    else return fitfile_invalid(rd, "%s.keep must be \"best\" or \"mean\"", field);
    if (!per_columns(member(o, "columns"), cols, sizeof cols / sizeof cols[0], &step.per.n_columns))
        return fitfile_invalid(rd, "%s.columns must be a non-empty array of strings", field);
    if (cJSON_IsString(w) && !strcmp(w->valuestring, "inverse-variance") &&
        step.per.keep == SLAW_PER_MEAN)
        step.per.inverse_variance = true;
    else if (!cJSON_IsNull(w))
        return fitfile_invalid(rd,
                               "%s.weights must be null or, with \"keep\": \"mean\", "
                               "\"inverse-variance\"",
                               field);
    return add(rd, s, &step, field);
}

/* Format 1: the where texts, then per, then drop_top_loss, in the order
 * the fit applied them. */
static slaw_status read_format1(const fitfile_reader *rd, const cJSON *o, fit_settings *s)
{
    const cJSON *where = member(o, "where"), *item;
    size_t i = 0, drop_top;
    slaw_status st;
    slaw_error why;
    if (!cJSON_IsArray(where))
        return fitfile_invalid(rd, "settings.where must be an array of strings");
    cJSON_ArrayForEach(item, where)
    {
        if (!cJSON_IsString(item))
            return fitfile_invalid(rd, "settings.where[%zu] must be a string", i);
        st = slaw_selection_add_where(s->selection, item->valuestring, &why);
        if (st == SLAW_ENOMEM) return error_nomem_at(rd->err, rd->name, 0);
        if (st != SLAW_OK)
            return fitfile_invalid(rd,
                                   "settings.where[%zu] must be COLUMN OP VALUE with OP one of "
                                   "< <= > >= == !=",
                                   i);
        i++;
    }
    const cJSON *per = member(o, "per");
    if (per && (st = read_per(rd, per, "settings.per", s))) return st;
    if (!count_of(member(o, "drop_top_loss"), &drop_top))
        return fitfile_invalid(rd, "settings.drop_top_loss must be a count");
    slaw_step drop = {.kind = SLAW_STEP_DROP_TOP, .count = drop_top};
    return drop_top ? add(rd, s, &drop, "settings.drop_top_loss") : SLAW_OK;
}

/* A where step's expression: column, operator and value (a number, kept as
 * its shortest text, or a string). */
static slaw_status read_where(const fitfile_reader *rd, const cJSON *o, const char *field,
                              fit_settings *s)
{
    const cJSON *e = member(o, "expression"), *text = member(o, "text");
    const cJSON *col = member(e, "column"), *op = member(e, "operator"), *v = member(e, "value");
    slaw_step step = {.kind = SLAW_STEP_WHERE};
    char number[40];
    size_t k = 0;
    while (cJSON_IsString(op) && k <= SLAW_OP_NE &&
           strcmp(slaw_compare_op_name(k), op->valuestring))
        k++;
    bool is_number = cJSON_IsNumber(v) && isfinite(v->valuedouble);
    if (!cJSON_IsString(col) || !*col->valuestring || k > SLAW_OP_NE ||
        !(is_number || cJSON_IsString(v)))
        return fitfile_invalid(rd,
                               "%s.expression needs a column (a string), an operator (< <= > >= "
                               "== !=) and a value (a number or a string)",
                               field);
    if (text && !cJSON_IsString(text))
        return fitfile_invalid(rd, "%s.text must be a string", field);
    for (int digits = 15; is_number && digits <= 17; digits++) {
        snprintf(number, sizeof number, "%.*g", digits, v->valuedouble);
        if (strtod(number, NULL) == v->valuedouble) break;
    }
    step.where =
        (slaw_condition){col->valuestring, (slaw_compare_op)k, is_number ? number : v->valuestring};
    step.text = text ? text->valuestring : NULL;
    return add(rd, s, &step, field);
}

/* Format 2: settings.selection, an array of steps. */
static slaw_status read_format2(const fitfile_reader *rd, const cJSON *o, fit_settings *s)
{
    const cJSON *sel = member(o, "selection"), *item;
    size_t i = 0, count;
    slaw_status st = SLAW_OK;
    if (!cJSON_IsArray(sel)) return fitfile_invalid(rd, "settings.selection must be an array");
    cJSON_ArrayForEach(item, sel)
    {
        char field[64];
        const cJSON *kind = member(item, "kind");
        snprintf(field, sizeof field, "settings.selection[%zu]", i++);
        const char *k = cJSON_IsString(kind) ? kind->valuestring : "";
        slaw_step drop = {.kind = SLAW_STEP_DROP_TOP};
        if (!cJSON_IsObject(item)) st = fitfile_invalid(rd, "%s must be an object", field);
        else if (!strcmp(k, "where")) st = read_where(rd, item, field, s);
        else if (!strcmp(k, "per")) st = read_per(rd, item, field, s);
        else if (strcmp(k, "drop_top"))
            st = fitfile_invalid(rd, "%s.kind must be \"where\", \"per\" or \"drop_top\"", field);
        else if (!count_of(member(item, "count"), &count) || !count)
            st = fitfile_invalid(rd, "%s.count must be a count of 1 or more", field);
        else {
            drop.count = count;
            st = add(rd, s, &drop, field);
        }
        if (st != SLAW_OK) return st;
    }
    return SLAW_OK;
}

slaw_status fitfile_read_selection(const fitfile_reader *rd, const cJSON *settings, fit_settings *s)
{
    if (!(s->selection = slaw_selection_new())) return error_nomem_at(rd->err, rd->name, 0);
    return rd->format == 1 ? read_format1(rd, settings, s) : read_format2(rd, settings, s);
}

slaw_status fitfile_read_removed(const fitfile_reader *rd, const cJSON *filters, slaw_artifact *a)
{
    const cJSON *fl;
    size_t n = slaw_selection_count(a->settings.selection), i = 0;
    if (!cJSON_IsArray(filters) || (size_t)cJSON_GetArraySize(filters) != n)
        return fitfile_invalid(
            rd, "data.filters must hold one entry per step of the selection (%zu)", n);
    if (!(a->removed = calloc(n ? n : 1, sizeof *a->removed)))
        return error_nomem_at(rd->err, rd->name, 0);
    cJSON_ArrayForEach(fl, filters)
    {
        const cJSON *what = member(fl, rd->format == 1 ? "filter" : "kind");
        const char *kind = slaw_step_kind_name(slaw_selection_step(a->settings.selection, i)->kind);
        bool named = cJSON_IsString(what) && (rd->format == 1 || !strcmp(what->valuestring, kind));
        bool counted = count_of(member(fl, "removed"), &a->removed[i]);
        if ((!named || !counted) && rd->format == 1)
            return fitfile_invalid(rd, "data.filters entries need filter and removed");
        if (!named || !counted)
            return fitfile_invalid(rd,
                                   "data.filters[%zu] needs kind (\"%s\", as the selection's "
                                   "step) and removed",
                                   i, kind);
        i++;
    }
    return SLAW_OK;
}
