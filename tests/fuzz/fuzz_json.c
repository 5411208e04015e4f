/* fuzz_json.c — the JSON and JSON Lines loader on arbitrary bytes, read as
 * each format and as detected, with and without dotted paths requested. */
#include "exercise.h"

static void load_as(const uint8_t *data, size_t size, const char *name, slaw_format format,
                    bool paths)
{
    static const char *const extra[] = {"config.params", "results.1.loss", "a.b.c.d", "0.x"};
    slaw_load_options opt;
    slaw_load_options_init(&opt);
    opt.format = format;
    if (paths) {
        opt.extra_columns = extra;
        opt.n_extra_columns = sizeof extra / sizeof extra[0];
    }
    slaw_runs *runs = NULL;
    slaw_error err;
    slaw_status st = slaw_runs_load_buffer(name, (const char *)data, size, &opt, &runs, &err);
    if (st == SLAW_OK) {
        exercise_runs(runs);
        slaw_runs_free(runs);
    } else {
        FUZZ_CHECK(runs == NULL);
        check_error(st, &err);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    load_as(data, size, "fuzz.json", SLAW_FORMAT_JSON, true);
    load_as(data, size, "fuzz.jsonl", SLAW_FORMAT_JSONL, false);
    load_as(data, size, "-", SLAW_FORMAT_AUTO, size % 2 == 0);
    return 0;
}
