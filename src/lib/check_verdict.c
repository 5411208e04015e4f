/* check_verdict.c — the rows of a check's verdict: memory and accessors. */
#include "check.h"

#include <stdlib.h>
#include <string.h>

struct slaw_verdict {
    slaw_verdict_row *rows;
    size_t n, cap;
    size_t failures;
};

const char *slaw_criterion_name(slaw_criterion criterion)
{
    static const char *const names[] = {"fit",   "group",  "tol",     "rtol",
                                        "sigma", "expect", "forecast"};
    return (size_t)criterion < sizeof names / sizeof names[0] ? names[criterion] : "unknown";
}

slaw_verdict *verdict_new(void)
{
    return calloc(1, sizeof(slaw_verdict));
}

static void row_clear(slaw_verdict_row *r)
{
    free((char *)r->group);
    free((char *)r->label);
    free((char *)r->subject);
    free((char *)r->change_text);
    free((char *)r->limit_text);
    free((char *)r->message);
}

slaw_status verdict_add(slaw_verdict *v, const row_draft *d, slaw_error *err)
{
    if (v->n == v->cap) {
        size_t cap = v->cap ? 2 * v->cap : 16;
        slaw_verdict_row *rows = realloc(v->rows, cap * sizeof *rows);
        if (!rows) return error_nomem(err);
        v->rows = rows;
        v->cap = cap;
    }
    slaw_verdict_row r = {
        .criterion = d->criterion,
        .group = d->group ? strdup(d->group) : NULL,
        .label = strdup(d->label),
        .subject = strdup(d->subject),
        .baseline = d->baseline,
        .now = d->now,
        .change = d->change,
        .limit = d->limit,
        .change_text = strdup(d->change_text),
        .limit_text = strdup(d->limit_text),
        .pass = d->pass,
        .message = strdup(d->message),
    };
    if ((d->group && !r.group) || !r.label || !r.subject || !r.change_text || !r.limit_text ||
        !r.message) {
        row_clear(&r);
        return error_nomem(err);
    }
    v->rows[v->n++] = r;
    if (!r.pass) v->failures++;
    return SLAW_OK;
}

void slaw_verdict_free(slaw_verdict *v)
{
    if (!v) return;
    for (size_t i = 0; i < v->n; i++) row_clear(&v->rows[i]);
    free(v->rows);
    free(v);
}

size_t slaw_verdict_count(const slaw_verdict *v)
{
    return v->n;
}
size_t slaw_verdict_failures(const slaw_verdict *v)
{
    return v->failures;
}

const slaw_verdict_row *slaw_verdict_get(const slaw_verdict *v, size_t i)
{
    return i < v->n ? &v->rows[i] : NULL;
}
