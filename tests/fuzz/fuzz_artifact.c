/* fuzz_artifact.c — the fit-artifact reader on arbitrary bytes.  An artifact
 * that reads is used the way forecast and check use one, then written and
 * read again: the second writing must give the same bytes as the first
 * (every field written is read back). */
#include "fuzz.h"
#include "slaw.h"

#include <math.h>
#include <string.h>

static void use_fit(const slaw_fit *f)
{
    const slaw_law *law = slaw_fit_law(f);
    size_t p = slaw_law_param_count(law), nv = slaw_law_var_count(law);
    double vars[2], lo, hi, se, male, bias, worst, obs, pred;
    slaw_fit_stats st;
    for (size_t j = 0; j < p; j++) {
        (void)slaw_fit_value(f, j);
        (void)slaw_fit_stderr(f, j);
        (void)slaw_fit_param_state(f, j);
        (void)slaw_fit_bootstrap_param(f, j, &se, &lo, &hi);
    }
    for (size_t q = 0; q < slaw_law_derived_count(law); q++) {
        (void)slaw_fit_derived(f, q, &se);
        (void)slaw_fit_bootstrap_derived(f, q, &se, &lo, &hi);
    }
    const double *cov = slaw_fit_covariance(f);
    FUZZ_CHECK(cov != NULL);
    (void)cov[p * p - 1];
    slaw_fit_get_stats(f, &st);
    for (size_t i = 0; i < slaw_fit_warning_count(f); i++)
        FUZZ_CHECK(slaw_fit_warning(f, i) != NULL);
    for (size_t i = 0; i < slaw_fit_bootstrap_count(f); i++)
        (void)slaw_fit_bootstrap_sample(f, i)[p - 1];
    for (size_t i = 0; i < slaw_fit_holdout_count(f); i++)
        slaw_fit_holdout_run(f, i, vars, &obs, &pred);
    (void)slaw_fit_holdout_errors(f, &male, &bias, &worst);
    for (size_t v = 0; v <= nv; v++) slaw_fit_data_range(f, v, &lo, &hi);
    for (size_t v = 0; v < nv; v++) (void)slaw_fit_variable(f, v);
    (void)slaw_fit_compute_range(f, &lo, &hi);
    /* Forecasts at ordinary and extreme points. */
    static const double points[][2] = {{1e9, 2e10}, {1, 1}, {1e300, 1e300}, {1e-300, 5}};
    for (size_t k = 0; k < sizeof points / sizeof points[0]; k++)
        (void)slaw_fit_predict(f, points[k]);
}

static void use_artifact(const slaw_artifact *a)
{
    slaw_fit_options opt;
    slaw_artifact_options(a, &opt);
    FUZZ_CHECK(opt.law != NULL);
    (void)slaw_artifact_runs_read(a);
    const slaw_selection *sel = slaw_artifact_selection(a);
    for (size_t i = 0; i < slaw_selection_count(sel); i++) {
        const slaw_step *step = slaw_selection_step(sel, i);
        FUZZ_CHECK(step != NULL);
        FUZZ_CHECK(step->kind != SLAW_STEP_WHERE || (step->text && step->where.column));
        (void)slaw_artifact_removed(a, i);
    }
    for (int k = 0; k < SLAW_ROLE_COUNT; k++) {
        bool given;
        (void)slaw_artifact_role_column(a, (slaw_role)k, &given);
    }
    FUZZ_CHECK(slaw_artifact_fit_count(a) > 0);
    for (size_t i = 0; i < slaw_artifact_fit_count(a); i++) use_fit(slaw_artifact_fit(a, i));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    slaw_artifact *a = NULL, *again = NULL;
    slaw_error err;
    slaw_status st = slaw_artifact_parse("fuzz.json", (const char *)data, size, &a, &err);
    if (st != SLAW_OK) {
        FUZZ_CHECK(a == NULL && err.code == st && err.message[0] && st != SLAW_EINTERNAL);
        return 0;
    }
    use_artifact(a);
    char *first = slaw_artifact_to_json(a);
    FUZZ_CHECK(first != NULL);
    st = slaw_artifact_parse("again.json", first, strlen(first), &again, &err);
    if (st != SLAW_OK) fprintf(stderr, "written artifact does not read back: %s\n", err.message);
    FUZZ_CHECK(st == SLAW_OK);
    char *second = slaw_artifact_to_json(again);
    FUZZ_CHECK(second != NULL);
    FUZZ_CHECK(strcmp(first, second) == 0);
    free(first);
    free(second);
    slaw_artifact_free(again);
    slaw_artifact_free(a);
    return 0;
}
