/* helpers.h — small conveniences shared by the unit tests. */
#ifndef SLAW_TEST_HELPERS_H
#define SLAW_TEST_HELPERS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "slaw.h"

/* Loads runs from a string; the name picks the format (".csv", ".json",
 * ".jsonl").  Returns the status; *out is set on success, err filled. */
slaw_status load_text(const char *name, const char *text, const slaw_load_options *opt,
                      slaw_runs **out, slaw_error *err);

/* The same, failing the test with the error text if loading fails. */
slaw_runs *load_ok(const char *name, const char *text, const slaw_load_options *opt);

/* Asserts that loading, then checking the values (slaw_runs_validate),
 * fails with code and that the error text ("file:line: message") contains
 * want. */
void assert_load_fails(const char *name, const char *text, const slaw_load_options *opt,
                       slaw_status code, const char *want);

/* The value of a role's column at run i (asserts the role exists). */
double role_value(const slaw_runs *runs, slaw_role role, size_t i);

/* Path of a file in the source tree, e.g. source_path("data/chinchilla/x.csv"). */
const char *source_path(const char *relative);

/* A fresh directory for temporary files (mkdtemp under $TMPDIR or /tmp);
 * remove it with temp_dir_remove.  Asserts on failure. */
char *temp_dir_create(void);
/* Writes text to dir/name and returns the path (static buffer, one at a time). */
const char *temp_file(const char *dir, const char *name, const char *text);
/* Removes the files written with temp_file and the directory; frees dir. */
void temp_dir_remove(char *dir);
/* Fits opt (law and settings) to runs drawn from law with parameters truth
 * and log-normal noise on a log-spaced grid: x (or N) from 1e7 to 1e10 with
 * points values, times D from 1e9 to 1e11 for laws of N and D.  Fails the
 * test if the fit fails.  Caller frees the artifact. */
slaw_artifact *fit_simulated(const slaw_fit_options *opt, const double *truth, double noise,
                             unsigned long seed, size_t points);

/* Fits opt (law and settings) to tests/cli/data/grouped.csv, two groups
 * (`dataset` a and b) of 7 runs each, grouped by dataset.  Fails the test if
 * loading or the fit fails.  Caller frees the artifact. */
slaw_artifact *fit_grouped(const slaw_fit_options *opt);

/* Relative closeness: |a - b| <= tol * max(|a|, |b|, tiny). */
#define assert_close(a, b, tol) assert_true(close_enough((a), (b), (tol)))

/* SLAW_TEST_SANITIZED is defined in an AddressSanitizer build (gcc or clang),
 * where simulations run about ten times slower and cut their replicates. */
#if defined(__SANITIZE_ADDRESS__)
#define SLAW_TEST_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SLAW_TEST_SANITIZED 1
#endif
#endif
int close_enough(double a, double b, double tol);

/* Child processes that spin until stopped, to keep the processors busy.
 * busy_start starts n and returns once the kernel counts them running
 * (/proc/loadavg), false where it cannot tell (no /proc): skip then.
 * Fails the test if a child cannot be started or is never counted. */
#define BUSY_MAX 256
typedef struct busy {
    int pid[BUSY_MAX];
    int n;
} busy;
int busy_start(busy *b, int n);
void busy_stop(busy *b);
/* The processors this process may run on. */
int usable_processors(void);

#endif
