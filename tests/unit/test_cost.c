/* test_cost.c — training FLOPs, time, GPU-hours and price against hand
 * computations; the accelerator table; options out of range. */
#include "helpers.h"

#include <math.h>
#include <string.h>

static void flops_should_be_six_n_d_unless_told_otherwise(void **state)
{
    (void)state;
    assert_close(slaw_cost_flops(70e9, 1.4e12, 0), 5.88e23, 1e-15);
    assert_close(slaw_cost_flops(70e9, 1.4e12, 8 * 70e9), 8 * 70e9 * 1.4e12, 1e-15);
}

static void time_and_gpu_hours_should_follow_from_the_peak_and_mfu(void **state)
{
    (void)state;
    slaw_cost_options opt;
    slaw_cost c;
    slaw_error err;
    slaw_cost_options_init(&opt);
    opt.peak_flops = slaw_accelerator_find("h100-sxm")->peak_flops;
    opt.gpus = 1024;
    opt.price_per_gpu_hour = 2.5;
    assert_int_equal(slaw_cost_estimate(5.88e23, &opt, &c, &err), SLAW_OK);
    double gpu_seconds = 5.88e23 / (989e12 * 0.4); /* MFU 0.4 by default */
    assert_close(c.flops, 5.88e23, 1e-15);
    assert_close(c.gpu_hours, gpu_seconds / 3600, 1e-13);
    assert_close(c.seconds, gpu_seconds / 1024, 1e-13);
    assert_close(c.price, 2.5 * gpu_seconds / 3600, 1e-13);
    opt.mfu = 0.5;
    opt.gpus = 0; /* one */
    opt.price_per_gpu_hour = 0;
    assert_int_equal(slaw_cost_estimate(1e21, &opt, &c, &err), SLAW_OK);
    assert_close(c.seconds, 1e21 / (989e12 * 0.5), 1e-13);
    assert_true(isnan(c.price));
    /* Without a peak there is no time, only FLOPs. */
    slaw_cost_options_init(&opt);
    assert_int_equal(slaw_cost_estimate(1e21, &opt, &c, &err), SLAW_OK);
    assert_true(c.flops == 1e21 && isnan(c.seconds) && isnan(c.gpu_hours) && isnan(c.price));
}

static void the_defaults_should_be_set_by_init_and_by_zero_alike(void **state)
{
    (void)state;
    slaw_cost_options init, zero = {0};
    slaw_cost_options_init(&init);
    assert_true(init.mfu == 0.4 && init.gpus == 1); /* what the CLI prints */
    init.peak_flops = zero.peak_flops = 312e12;
    slaw_cost a, b;
    slaw_error err;
    assert_int_equal(slaw_cost_estimate(1e21, &init, &a, &err), SLAW_OK);
    assert_int_equal(slaw_cost_estimate(1e21, &zero, &b, &err), SLAW_OK);
    assert_true(a.gpu_hours == b.gpu_hours && a.seconds == b.seconds);
}

static void the_accelerator_table_should_hold_the_datasheet_figures(void **state)
{
    (void)state;
    assert_true(slaw_accelerator_find("A100")->peak_flops == 312e12);
    assert_true(slaw_accelerator_find("h100-sxm")->peak_flops == 989e12);
    assert_null(slaw_accelerator_find("h100"));
    for (size_t i = 0; i < slaw_accelerator_count(); i++) {
        const slaw_accelerator *a = slaw_accelerator_at(i);
        assert_true(a->peak_flops > 1e14 && a->peak_flops < 1e16);
        assert_true(strlen(a->source) > 10 && strlen(a->description) > 3);
        assert_ptr_equal(slaw_accelerator_find(a->name), a);
    }
    assert_null(slaw_accelerator_at(slaw_accelerator_count()));
}

static void cost_fails(double flops, const slaw_cost_options *opt, const char *want)
{
    slaw_cost c;
    slaw_error err;
    assert_int_equal(slaw_cost_estimate(flops, opt, &c, &err), SLAW_EUSAGE);
    if (!strstr(err.message, want)) fail_msg("'%s' lacks '%s'", err.message, want);
}

static void options_out_of_range_should_be_refused(void **state)
{
    (void)state;
    slaw_cost_options opt;
    slaw_cost_options_init(&opt);
    cost_fails(0, &opt, "training FLOPs 0");
    cost_fails(INFINITY, &opt, "training FLOPs inf");
    opt.mfu = 1.5;
    cost_fails(1e20, &opt, "MFU 1.5: must be in (0, 1]");
    opt.mfu = -0.1;
    cost_fails(1e20, &opt, "MFU");
    slaw_cost_options_init(&opt);
    opt.gpus = 2.5;
    cost_fails(1e20, &opt, "whole number");
    slaw_cost_options_init(&opt);
    opt.peak_flops = -1;
    cost_fails(1e20, &opt, "peak FLOP/s");
    slaw_cost_options_init(&opt);
    opt.price_per_gpu_hour = -3;
    cost_fails(1e20, &opt, "price per GPU-hour");
}

static void a_run_should_follow_from_any_two_of_n_d_and_c(void **state)
{
    (void)state;
    slaw_cost_run r;
    slaw_error err;
    assert_int_equal(slaw_cost_run_resolve(70e9, 1.4e12, NAN, 0, &r, &err), SLAW_OK);
    assert_true(r.flops == 6.0 * 70e9 * 1.4e12 && !strcmp(r.flops_rule, "6*N*D"));
    assert_int_equal(slaw_cost_run_resolve(70e9, 1.4e12, NAN, 1e10, &r, &err), SLAW_OK);
    assert_true(r.flops == 1e10 * 1.4e12 && !strcmp(r.flops_rule, "flops-per-token*D"));
    assert_int_equal(slaw_cost_run_resolve(70e9, NAN, 5.88e23, 0, &r, &err), SLAW_OK);
    assert_true(r.flops == 5.88e23 && !strcmp(r.flops_rule, "given"));
    assert_true(fabs(r.D / 1.4e12 - 1) < 1e-15 && r.N == 70e9);
    assert_int_equal(slaw_cost_run_resolve(NAN, 1.4e12, 5.88e23, 0, &r, &err), SLAW_OK);
    assert_true(fabs(r.N / 70e9 - 1) < 1e-15);
    assert_int_equal(slaw_cost_run_resolve(NAN, NAN, 5.88e23, 0, &r, &err), SLAW_OK);
    assert_true(isnan(r.N) && isnan(r.D) && r.flops == 5.88e23);
    assert_int_equal(slaw_cost_run_resolve(1, 2, 12, 0, &r, &err), SLAW_EUSAGE);
    assert_non_null(strstr(err.message, "all given"));
    assert_int_equal(slaw_cost_run_resolve(NAN, NAN, 12, 5, &r, &err), SLAW_EUSAGE);
    assert_int_equal(slaw_cost_run_resolve(70e9, NAN, NAN, 0, &r, &err), SLAW_EUSAGE);
    assert_int_equal(slaw_cost_run_resolve(-1, 2, NAN, 0, &r, &err), SLAW_EUSAGE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_run_should_follow_from_any_two_of_n_d_and_c),
        cmocka_unit_test(flops_should_be_six_n_d_unless_told_otherwise),
        cmocka_unit_test(time_and_gpu_hours_should_follow_from_the_peak_and_mfu),
        cmocka_unit_test(the_defaults_should_be_set_by_init_and_by_zero_alike),
        cmocka_unit_test(the_accelerator_table_should_hold_the_datasheet_figures),
        cmocka_unit_test(options_out_of_range_should_be_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
