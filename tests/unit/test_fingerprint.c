/* test_fingerprint.c — the fit's data fingerprint (fit_keep_fingerprint,
 * fit_fingerprint): the SHA-256 of each used run's variables, target and
 * weight as little-endian IEEE-754 doubles.  The expected digests were computed independently
 * (Python's hashlib over struct.pack('<d', ...)), so a change of the hash
 * code that alters a fit file's data.sha256 fails here. */
#include "helpers.h"
#include "fit_data.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The fingerprint of rows[0..n) of runs over the N and D columns, kept by
 * a fit and digested when asked; the bytes kept are 8 a number. */
static void fingerprint(const slaw_runs *runs, const size_t *rows, size_t n, char out[65])
{
    size_t cols[2], w;
    assert_true(slaw_runs_role_column(runs, SLAW_ROLE_N, &cols[0]));
    assert_true(slaw_runs_role_column(runs, SLAW_ROLE_D, &cols[1]));
    slaw_fit f;
    memset(&f, 0, sizeof f);
    assert_true(fit_keep_fingerprint(runs, rows, n, cols, 2, &f));
    size_t per_run = slaw_runs_role_column(runs, SLAW_ROLE_WEIGHT, &w) ? 32 : 24;
    assert_int_equal(f.fingerprint_len, n * per_run);
    fit_fingerprint(&f, out);
    fit_free_owned(&f);
}

static void fingerprint_of_no_rows_should_be_the_empty_digest(void **state)
{
    (void)state;
    slaw_runs *runs = load_ok("r.csv", "N,D,loss\n70e9,1.4e12,1.9366\n", NULL);
    char out[65];
    fingerprint(runs, NULL, 0, out);
    assert_string_equal(out, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    slaw_runs_free(runs);
}

static void fingerprint_should_hash_variables_and_target(void **state)
{
    (void)state;
    slaw_runs *runs =
        load_ok("r.csv", "N,D,loss\n70e9,1.4e12,1.9366\n1e9,2e10,2.5\n4e8,8e9,2.75\n", NULL);
    size_t rows[] = {0, 1, 2};
    char out[65];
    fingerprint(runs, rows, 3, out);
    assert_string_equal(out, "240cffb3a3254e6376cd7301532425ba06f32883402cf9f23d5d421c83d29424");
    slaw_runs_free(runs);
}

/* 100 weighted runs: 3,200 bytes, fifty blocks of SHA-256. */
static void fingerprint_should_hash_many_weighted_runs(void **state)
{
    (void)state;
    size_t size = 100 * 80 + 64, o = 0, rows[100];
    char *csv = malloc(size);
    assert_non_null(csv);
    o += (size_t)snprintf(csv + o, size - o, "N,D,loss,w\n");
    for (size_t i = 0; i < 100; i++) {
        o += (size_t)snprintf(csv + o, size - o, "%zu,%zu,%.3f,%zu\n", 1000 * (i + 1),
                              250 * (i + 1) * (i + 3), 2 + (double)(i % 7) * 0.125, 1 + i % 3);
        rows[i] = i;
    }
    slaw_load_options opt;
    slaw_load_options_init(&opt);
    opt.role_column[SLAW_ROLE_WEIGHT] = "w";
    slaw_runs *runs = load_ok("r.csv", csv, &opt);
    char out[65];
    fingerprint(runs, rows, 100, out);
    assert_string_equal(out, "cd6732d6524f8bc49331c496dadb503b80487ed1bc582bd05ba7b936017288ee");
    slaw_runs_free(runs);
    free(csv);
}

/* A fit read from a file keeps no bytes: its fingerprint is the one read. */
static void fingerprint_of_a_fit_read_should_be_the_one_recorded(void **state)
{
    (void)state;
    slaw_fit f;
    memset(&f, 0, sizeof f);
    const char *recorded = "240cffb3a3254e6376cd7301532425ba06f32883402cf9f23d5d421c83d29424";
    memcpy(f.sha256, recorded, 65);
    char out[65];
    fit_fingerprint(&f, out);
    assert_string_equal(out, recorded);
}

/* Keeping the bytes again (a refit into the same fit) replaces them. */
static void fingerprint_kept_again_should_replace_the_bytes(void **state)
{
    (void)state;
    slaw_runs *runs =
        load_ok("r.csv", "N,D,loss\n70e9,1.4e12,1.9366\n1e9,2e10,2.5\n4e8,8e9,2.75\n", NULL);
    size_t cols[2], rows[] = {0, 1, 2};
    assert_true(slaw_runs_role_column(runs, SLAW_ROLE_N, &cols[0]));
    assert_true(slaw_runs_role_column(runs, SLAW_ROLE_D, &cols[1]));
    slaw_fit f;
    memset(&f, 0, sizeof f);
    assert_true(fit_keep_fingerprint(runs, rows + 1, 1, cols, 2, &f));
    assert_true(fit_keep_fingerprint(runs, rows, 3, cols, 2, &f));
    char out[65];
    fit_fingerprint(&f, out);
    assert_string_equal(out, "240cffb3a3254e6376cd7301532425ba06f32883402cf9f23d5d421c83d29424");
    fit_free_owned(&f);
    slaw_runs_free(runs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fingerprint_of_no_rows_should_be_the_empty_digest),
        cmocka_unit_test(fingerprint_should_hash_variables_and_target),
        cmocka_unit_test(fingerprint_should_hash_many_weighted_runs),
        cmocka_unit_test(fingerprint_of_a_fit_read_should_be_the_one_recorded),
        cmocka_unit_test(fingerprint_kept_again_should_replace_the_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
