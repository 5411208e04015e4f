/* test_gram.c — the normal equations' sums (gram.h) in every kernel this
 * build and processor run: the bits of plain loops over eight lanes of rows,
 * for every p and for lengths around a vector's, rows of zero weight passed
 * over even where they hold NaN, the sums added into what g and H held, the lower
 * triangle left alone.  The screen's column and pair sums: each kernel the
 * bits of four lanes of rows summed by hand, the least φ and finiteness as
 * a loop over the rows says. */
#include "gram.h"
#include "helpers.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ROWS 257

typedef struct rows {
    double J[MAX_ROWS * GRAM_MAX_P], a[MAX_ROWS], b[MAX_ROWS], w[MAX_ROWS];
} rows;

/* Values of mixed signs and magnitudes, so that the order of the additions
 * shows in the last bits; every seventh row weighs nothing and holds NaN. */
static void fill(rows *r, size_t n, size_t p, unsigned seed)
{
    srand(seed);
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < p; k++)
            r->J[i * p + k] = (rand() / (double)RAND_MAX - 0.4) * pow(10.0, rand() % 7 - 3);
        r->a[i] = rand() / (double)RAND_MAX - 0.5;
        r->b[i] = 2.0 * rand() / (double)RAND_MAX;
        r->w[i] = i % 7 == 3 ? 0.0 : 1.0;
        if (i % 7 == 3) r->J[i * p] = NAN;
    }
}

/* Each sum on its own, in eight lanes of rows (lane k the rows i ≡ k mod
 * 8, in row order) added as gram.h says. */
static double eight_lanes(const double *l)
{
    return ((l[0] + l[1]) + (l[2] + l[3])) + ((l[4] + l[5]) + (l[6] + l[7]));
}

static void plain_sums(const rows *r, size_t n, size_t p, const double *w, double *g, double *H)
{
    for (size_t k = 0; k < p; k++) {
        double s[8] = {0};
        for (size_t i = 0; i < n; i++)
            if (!w || w[i] != 0) s[i % 8] += r->a[i] * r->J[i * p + k];
        g[k] += eight_lanes(s);
        for (size_t q = k; q < p; q++) {
            double t[8] = {0};
            for (size_t i = 0; i < n; i++)
                if (!w || w[i] != 0) t[i % 8] += r->b[i] * r->J[i * p + k] * r->J[i * p + q];
            H[k * p + q] += eight_lanes(t);
        }
    }
}

static void start_values(double *g, double *H)
{
    for (size_t k = 0; k < GRAM_MAX_P; k++) g[k] = 0.25 * (double)k;
    for (size_t k = 0; k < GRAM_MAX_P * GRAM_MAX_P; k++) H[k] = -1.5 - (double)k;
}

static void check_kernel(gram_fn kernel, int width, size_t n, size_t p, bool weighted)
{
    static rows r;
    fill(&r, n, p, (unsigned)(n * 31 + p));
    if (!weighted)
        for (size_t i = 0; i < n; i++)
            if (isnan(r.J[i * p])) r.J[i * p] = 3.0; /* every row counts */
    const double *w = weighted ? r.w : NULL;
    double g[GRAM_MAX_P], H[GRAM_MAX_P * GRAM_MAX_P], g0[GRAM_MAX_P], H0[GRAM_MAX_P * GRAM_MAX_P];
    start_values(g, H);
    start_values(g0, H0);
    kernel(r.J, n, p, r.a, r.b, w, g, H);
    plain_sums(&r, n, p, w, g0, H0);
    if (memcmp(g, g0, sizeof g) || memcmp(H, H0, sizeof H))
        fail_msg("width %d, n %zu, p %zu, %s: not the plain loops' bits", width, n, p,
                 weighted ? "weighted" : "unweighted");
}

static void every_kernel_should_give_the_plain_loops_bits(void **state)
{
    (void)state;
    static const int widths[] = {1, 2, 8};
    static const size_t lengths[] = {0, 1, 2, 7, 8, 9, 15, 16, 17, 250, MAX_ROWS};
    for (size_t k = 0; k < sizeof widths / sizeof *widths; k++) {
        gram_fn kernel = gram_kernel_of(widths[k]);
        if (!kernel) {
            print_message("width %d: not in this build or on this processor\n", widths[k]);
            continue;
        }
        for (size_t p = 1; p <= GRAM_MAX_P; p++)
            for (size_t t = 0; t < sizeof lengths / sizeof *lengths; t++) {
                check_kernel(kernel, widths[k], lengths[t], p, true);
                check_kernel(kernel, widths[k], lengths[t], p, false);
            }
    }
}

static void the_scalar_kernel_should_always_be_there(void **state)
{
    (void)state;
    assert_non_null(gram_kernel_of(1));
#ifdef __x86_64__
    assert_non_null(gram_kernel_of(2)); /* SSE2: every x86-64 */
#endif
    assert_null(gram_kernel_of(4));
}

static void gram_sums_should_be_the_widest_kernel(void **state)
{
    (void)state;
    static rows r;
    fill(&r, 250, 5, 7);
    int width = gram_kernel_of(8) ? 8 : gram_kernel_of(2) ? 2 : 1;
    gram_fn kernel = gram_kernel_of(width);
    double g[GRAM_MAX_P], H[GRAM_MAX_P * GRAM_MAX_P], g0[GRAM_MAX_P], H0[GRAM_MAX_P * GRAM_MAX_P];
    start_values(g, H);
    start_values(g0, H0);
    gram_sums(r.J, 250, 5, r.a, r.b, r.w, g, H);
    kernel(r.J, 250, 5, r.a, r.b, r.w, g0, H0);
    assert_memory_equal(g, g0, sizeof g);
    assert_memory_equal(H, H0, sizeof H);
    print_message("width in use %d\n", width);
}

/* ------------------------------------------------------- a column's sums */

typedef struct column {
    double phi[MAX_ROWS], w[MAX_ROWS], y[MAX_ROWS];
} column;

/* Mixed signs and magnitudes; every fifth row weighs nothing. */
static void fill_column(column *c, size_t n, unsigned seed)
{
    srand(seed);
    for (size_t i = 0; i < n; i++) {
        c->phi[i] = (rand() / (double)RAND_MAX - 0.3) * pow(10.0, rand() % 9 - 4);
        c->w[i] = i % 5 == 2 ? 0.0 : rand() / (double)RAND_MAX;
        c->y[i] = rand() / (double)RAND_MAX - 0.5;
    }
}

/* Lane k the rows i ≡ k (mod 4), in row order, then (l0 + l1) + (l2 + l3). */
static double four_lanes(const column *c, size_t n, int which)
{
    double lane[4] = {0};
    for (size_t i = 0; i < n; i++) {
        double wf = c->w[i] * c->phi[i];
        lane[i % 4] += which == 0   ? wf * c->phi[i]
                       : which == 1 ? wf * c->y[i]
                                    : (c->w[i] > 0 ? fabs(c->phi[i]) : 0.0);
    }
    return (lane[0] + lane[1]) + (lane[2] + lane[3]);
}

static void check_column(column_fn kernel, int width, const column *c, size_t n)
{
    column_sums s;
    kernel(c->phi, c->w, c->y, n, &s);
    double least = INFINITY;
    bool finite = true;
    for (size_t i = 0; i < n; i++) {
        least = c->phi[i] < least ? c->phi[i] : least;
        finite &= isfinite(c->phi[i]);
    }
    double want[3] = {four_lanes(c, n, 0), four_lanes(c, n, 1), four_lanes(c, n, 2)};
    if (finite &&
        (memcmp(&s.square, want, sizeof *want) || memcmp(&s.with_y, want + 1, sizeof *want) ||
         memcmp(&s.size, want + 2, sizeof *want)))
        fail_msg("width %d, n %zu: not the four lanes' bits", width, n);
    if (memcmp(&s.least, &least, sizeof least) || s.finite != finite)
        fail_msg("width %d, n %zu: least %g (want %g), finite %d (want %d)", width, n, s.least,
                 least, s.finite, finite);
}

static void every_column_kernel_should_give_four_lanes_bits(void **state)
{
    (void)state;
    static column c;
    static const int widths[] = {1, 2, 4};
    static const size_t lengths[] = {0, 1, 2, 3, 4, 5, 7, 8, 9, 250, MAX_ROWS};
    for (size_t k = 0; k < sizeof widths / sizeof *widths; k++) {
        column_fn kernel = gram_column_kernel_of(widths[k]);
        if (!kernel) {
            print_message("column width %d: not in this build\n", widths[k]);
            continue;
        }
        for (size_t t = 0; t < sizeof lengths / sizeof *lengths; t++) {
            size_t n = lengths[t];
            fill_column(&c, n, (unsigned)n);
            check_column(kernel, widths[k], &c, n);
            if (n < 3) continue;
            /* the least φ passes NaN over; an infinite or NaN φ is not finite */
            c.phi[n / 2] = NAN;
            check_column(kernel, widths[k], &c, n);
            c.phi[n / 2] = -INFINITY;
            check_column(kernel, widths[k], &c, n);
            c.phi[n / 2] = 1.0;
            c.phi[n - 1] = -1e300;
            check_column(kernel, widths[k], &c, n);
        }
    }
}

/* Σ ω a b in four lanes, by hand. */
static double cross_by_hand(const double *a, const double *b, const double *w, size_t n)
{
    double lane[4] = {0};
    for (size_t i = 0; i < n; i++) lane[i % 4] += w[i] * a[i] * b[i];
    return (lane[0] + lane[1]) + (lane[2] + lane[3]);
}

static void every_cross_kernel_should_give_four_lanes_bits(void **state)
{
    (void)state;
    static column c, d;
    static const int widths[] = {1, 4};
    for (size_t k = 0; k < sizeof widths / sizeof *widths; k++) {
        cross_fn kernel = gram_cross_kernel_of(widths[k]);
        if (!kernel) {
            print_message("cross width %d: not in this build or on this processor\n", widths[k]);
            continue;
        }
        for (size_t n = 0; n <= MAX_ROWS; n += n < 12 ? 1 : 49) {
            fill_column(&c, n, (unsigned)n);
            fill_column(&d, n, (unsigned)n + 1000);
            double got = kernel(c.phi, d.phi, c.w, n), want = cross_by_hand(c.phi, d.phi, c.w, n);
            if (memcmp(&got, &want, sizeof got))
                fail_msg("cross width %d, n %zu: %.17g, not the four lanes' %.17g", widths[k], n,
                         got, want);
        }
    }
    fill_column(&c, 250, 5);
    double widest = gram_cross(c.phi, c.y, c.w, 250), plain = cross_by_hand(c.phi, c.y, c.w, 250);
    assert_memory_equal(&widest, &plain, sizeof plain);
}

static void a_column_without_weight_should_have_no_size(void **state)
{
    (void)state;
    static column c;
    fill_column(&c, 9, 3);
    for (size_t i = 0; i < 9; i++) c.w[i] = 0;
    column_sums s;
    gram_column(c.phi, c.w, c.y, 9, &s);
    assert_true(s.square == 0 && s.with_y == 0 && s.size == 0 && s.finite);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_kernel_should_give_the_plain_loops_bits),
        cmocka_unit_test(the_scalar_kernel_should_always_be_there),
        cmocka_unit_test(gram_sums_should_be_the_widest_kernel),
        cmocka_unit_test(every_column_kernel_should_give_four_lanes_bits),
        cmocka_unit_test(every_cross_kernel_should_give_four_lanes_bits),
        cmocka_unit_test(a_column_without_weight_should_have_no_size),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
