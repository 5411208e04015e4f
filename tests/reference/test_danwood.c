/* test_danwood.c — NIST StRD nonlinear regression "DanWood" (public domain):
 * y = b1 * x^b2, the `power` law fitted in linear space with l2, from both of
 * NIST's starting points; certified values to at least 6 significant digits. */
#include "helpers.h"

#include <math.h>
#include <string.h>

static const char danwood_csv[] = "x,y\n"
                                  "1.309,2.138\n"
                                  "1.471,3.421\n"
                                  "1.490,3.597\n"
                                  "1.565,4.340\n"
                                  "1.611,4.882\n"
                                  "1.680,5.660\n";

static const double b1 = 7.6886226176E-01, sd_b1 = 1.8281973860E-02;
static const double b2 = 3.8604055871E+00, sd_b2 = 5.1726610913E-02;
static const double rss = 4.3173084083E-03;

static void fit_from(const char *start)
{
    slaw_load_options lo;
    slaw_load_options_init(&lo);
    lo.role_column[SLAW_ROLE_L] = "y";
    slaw_runs *runs;
    slaw_error err;
    assert_int_equal(load_text("danwood.csv", danwood_csv, &lo, &runs, &err), SLAW_OK);
    slaw_fit_options opt;
    slaw_fit_options_init(&opt);
    opt.law = "power";
    opt.x = "x";
    opt.space = SLAW_SPACE_LINEAR;
    opt.grid = start;
    slaw_artifact *a = NULL;
    if (slaw_fit_runs(runs, &opt, &a, &err) != SLAW_OK) fail_msg("%s", err.message);
    const slaw_fit *f = slaw_artifact_fit(a, 0);
    slaw_fit_stats st;
    slaw_fit_get_stats(f, &st);
    assert_close(slaw_fit_value(f, 0), b1, 1e-6);
    assert_close(slaw_fit_value(f, 1), b2, 1e-6);
    assert_close(slaw_fit_stderr(f, 0), sd_b1, 1e-6);
    assert_close(slaw_fit_stderr(f, 1), sd_b2, 1e-6);
    assert_close(st.objective, rss, 1e-6); /* l2's objective is the residual sum of squares */
    assert_int_equal(st.n, 6);
    slaw_artifact_free(a);
    slaw_runs_free(runs);
}

static void danwood_should_match_certified_values_from_start_1(void **state)
{
    (void)state;
    fit_from("k=1,p=5");
}

static void danwood_should_match_certified_values_from_start_2(void **state)
{
    (void)state;
    fit_from("k=0.7,p=4");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(danwood_should_match_certified_values_from_start_1),
        cmocka_unit_test(danwood_should_match_certified_values_from_start_2),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
