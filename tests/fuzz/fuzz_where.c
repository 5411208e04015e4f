/* fuzz_where.c — --where expressions (slaw_runs_where) against a table with
 * numeric, label and mixed columns: runs kept or a message, never a crash. */
#include "fuzz.h"
#include "slaw.h"

#include <string.h>

static const char table[] = "name,N,D,loss,family,mixed,lr\n"
                            "a,1e8,2e9,3.5,dense,1.3B,3e-4\n"
                            "b,2e8,4e9,3.2,moe,,1e-3\n"
                            "c,4e8,8e9,3.0,dense,n/a,\n"
                            "\"d,e\",8e8,1.6e10,2.8,\"with \"\"quotes\"\"\",7,0.5\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    slaw_error err;
    /* Filters change the table, so each input gets its own. */
    slaw_runs *runs = NULL;
    FUZZ_CHECK(slaw_runs_load_buffer("where.csv", table, sizeof table - 1, NULL, &runs, &err) ==
               SLAW_OK);
    char *expr = fuzz_text(data, size);
    size_t removed = 12345, before = slaw_runs_count(runs);
    slaw_status st = slaw_runs_where(runs, expr, &removed, &err);
    if (st == SLAW_OK) {
        FUZZ_CHECK(removed <= before && slaw_runs_count(runs) == before - removed);
        for (size_t c = 0; c < slaw_runs_column_count(runs); c++)
            for (size_t i = 0; i < slaw_runs_count(runs); i++) {
                (void)slaw_runs_value(runs, c, i);
                (void)slaw_runs_label(runs, c, i);
            }
    } else {
        FUZZ_CHECK(st == SLAW_EUSAGE && err.message[0] && removed == 12345);
        FUZZ_CHECK(slaw_runs_count(runs) == before);
    }
    free(expr);
    slaw_runs_free(runs);
    return 0;
}
