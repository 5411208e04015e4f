/* fuzz_fit.c — a whole fit on arbitrary runs: the first line names the law
 * (as in spec.h), the rest is CSV.  A fit that succeeds holds finite,
 * reportable parameters and an artifact that reads back; one that fails
 * says why.  Small searches (2 starts polished, 50 iterations) keep each
 * input fast. */
#include "fuzz.h"
#include "slaw.h"

#include <math.h>
#include <string.h>

static void check_fit(const slaw_artifact *a)
{
    for (size_t i = 0; i < slaw_artifact_fit_count(a); i++) {
        const slaw_fit *f = slaw_artifact_fit(a, i);
        const slaw_law *law = slaw_fit_law(f);
        slaw_fit_stats st;
        slaw_fit_get_stats(f, &st);
        FUZZ_CHECK(isfinite(st.objective));
        for (size_t j = 0; j < slaw_law_param_count(law); j++) {
            double v = slaw_fit_value(f, j);
            FUZZ_CHECK(isfinite(v) && (!slaw_law_param_is_log(law, j) || v > 0));
        }
    }
    char *text = slaw_artifact_to_json(a);
    FUZZ_CHECK(text != NULL);
    slaw_artifact *back = NULL;
    slaw_error err;
    slaw_status st = slaw_artifact_parse("again.json", text, strlen(text), &back, &err);
    if (st != SLAW_OK) fprintf(stderr, "the artifact does not read back: %s\n", err.message);
    FUZZ_CHECK(st == SLAW_OK);
    slaw_artifact_free(back);
    free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    const char *nl = memchr(text, '\n', size);
    size_t head = nl ? (size_t)(nl - text) : size;
    char name[16] = "";
    if (head < sizeof name) memcpy(name, text, head), name[head] = '\0';
    const slaw_law *law = slaw_law_find(name);
    if (!law) law = slaw_law_at((size ? data[0] : 0) % slaw_law_count());
    size_t skip = nl ? head + 1 : size;

    slaw_runs *runs = NULL;
    slaw_error err;
    slaw_load_options lo;
    slaw_load_options_init(&lo);
    lo.format = SLAW_FORMAT_CSV;
    if (slaw_runs_load_buffer("fit.csv", text + skip, size - skip, &lo, &runs, &err) != SLAW_OK)
        return 0;
    slaw_fit_options opt;
    slaw_fit_options_init(&opt);
    opt.law = slaw_law_name(law);
    opt.polish = 2;
    opt.max_iter = 50;
    opt.threads = 1;
    slaw_artifact *a = NULL;
    slaw_status st = slaw_fit_runs(runs, &opt, &a, &err);
    if (st == SLAW_OK) {
        check_fit(a);
        slaw_artifact_free(a);
    } else {
        FUZZ_CHECK(a == NULL && err.message[0] && st != SLAW_EINTERNAL && st != SLAW_ENOMEM);
    }
    slaw_runs_free(runs);
    return 0;
}
