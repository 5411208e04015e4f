/* fuzz_csv.c — the CSV loader on arbitrary bytes: never a crash, a hang or
 * an out-of-bounds read; either a table whose cells all read back, or an
 * error with a message. */
#include "exercise.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    slaw_load_options opt;
    slaw_load_options_init(&opt);
    opt.format = SLAW_FORMAT_CSV;
    slaw_runs *runs = NULL;
    slaw_error err;
    slaw_status st = slaw_runs_load_buffer("fuzz.csv", (const char *)data, size, &opt, &runs, &err);
    if (st == SLAW_OK) {
        exercise_runs(runs);
        slaw_runs_free(runs);
    } else {
        FUZZ_CHECK(runs == NULL);
        check_error(st, &err);
    }
    return 0;
}
