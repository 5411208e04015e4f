/* exercise.h — what the loader harnesses do with a table that loaded: read
 * every cell and summary through the public API, so that a bad index or a
 * half-built column shows up under the sanitizers. */
#ifndef SLAW_FUZZ_EXERCISE_H
#define SLAW_FUZZ_EXERCISE_H

#include "fuzz.h"
#include "slaw.h"

#include <math.h>
#include <string.h>

/* A failure carries a code and a message. */
static inline void check_error(slaw_status st, const slaw_error *err)
{
    FUZZ_CHECK(st != SLAW_OK && err->code == st && err->message[0] != '\0');
    FUZZ_CHECK(st != SLAW_EINTERNAL);
    char text[2048];
    slaw_error_text(err, text, sizeof text);
}

static inline void exercise_runs(const slaw_runs *runs)
{
    size_t n = slaw_runs_count(runs), cols = slaw_runs_column_count(runs);
    FUZZ_CHECK(n > 0); /* JSON records may all be {}: runs without columns */
    for (size_t c = 0; c < cols; c++) {
        const char *name = slaw_runs_column_name(runs, c);
        FUZZ_CHECK(name != NULL);
        size_t found;
        FUZZ_CHECK(slaw_runs_column_find(runs, name, &found));
        bool label = slaw_runs_column_is_label(runs, c);
        for (size_t i = 0; i < n; i++) {
            double v = slaw_runs_value(runs, c, i);
            FUZZ_CHECK(isnan(v) || isfinite(v) || slaw_runs_column_is_derived(runs, c));
            const char *t = slaw_runs_label(runs, c, i);
            FUZZ_CHECK(label == (t != NULL));
            if (t) (void)strlen(t);
        }
    }
    slaw_error err;
    slaw_status valid = slaw_runs_validate(runs, &err);
    if (valid != SLAW_OK) check_error(valid, &err);
    for (int k = 0; k < SLAW_ROLE_COUNT; k++) {
        size_t col;
        if (!slaw_runs_role_column(runs, (slaw_role)k, &col)) continue;
        FUZZ_CHECK(col < cols);
        if (k <= SLAW_ROLE_C && valid == SLAW_OK) /* validated: positive and finite */
            for (size_t i = 0; i < n; i++) {
                double v = slaw_runs_value(runs, col, i);
                FUZZ_CHECK(v > 0 && isfinite(v));
            }
    }
    for (size_t i = 0; i < n; i++) {
        const char *file;
        long line;
        slaw_runs_source(runs, i, &file, &line);
        FUZZ_CHECK(file != NULL && line >= 1);
    }
    slaw_runs_summary s;
    slaw_runs_summarize(runs, &s);
    FUZZ_CHECK(s.runs == n);
}

#endif
