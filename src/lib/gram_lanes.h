/* gram_lanes.h — what gram.h's kernels share: each lane's sums so far, the
 * rows after the last whole vector added into their lanes, and the lanes
 * added up (in every kernel alike, so the bits are the same). */
#ifndef SLAW_GRAM_LANES_H
#define SLAW_GRAM_LANES_H

#include "gram.h"

#include <math.h>

typedef struct column_lanes {
    double square[GRAM_LANES], with_y[GRAM_LANES], size[GRAM_LANES], poison[GRAM_LANES],
        least[GRAM_LANES];
} column_lanes;

static inline void gram_column_rows(column_lanes *l, const double *phi, const double *w,
                                    const double *y, size_t from, size_t n)
{
    for (size_t i = from; i < n; i++) {
        size_t k = i % GRAM_LANES;
        double f = phi[i], wf = w[i] * f;
        l->poison[k] += f * 0.0; /* NaN for an infinite or NaN φ */
        l->square[k] += wf * f;
        l->with_y[k] += wf * y[i];
        l->size[k] += w[i] > 0 ? fabs(f) : 0.0;
        l->least[k] = f < l->least[k] ? f : l->least[k];
    }
}

static inline double lanes_total(const double *l)
{
    return (l[0] + l[1]) + (l[2] + l[3]);
}

/* The normal equations' lanes added up (gram.h). */
_Static_assert(GRAM_ROW_LANES == 8, "row_lanes_total adds eight lanes");
static inline double row_lanes_total(const double *l)
{
    return ((l[0] + l[1]) + (l[2] + l[3])) + ((l[4] + l[5]) + (l[6] + l[7]));
}

/* Calls a kernel's rows function with p a constant from 1 to GRAM_MAX_P, so
 * that its loops over p unroll and its sums stay in registers. */
#define GRAM_EACH_P(rows, J, n, p, a, b, w, g, H)                                                  \
    do {                                                                                           \
        switch (p) {                                                                               \
        case 1: rows(J, n, 1, a, b, w, g, H); break;                                               \
        case 2: rows(J, n, 2, a, b, w, g, H); break;                                               \
        case 3: rows(J, n, 3, a, b, w, g, H); break;                                               \
        case 4: rows(J, n, 4, a, b, w, g, H); break;                                               \
        case 5: rows(J, n, 5, a, b, w, g, H); break;                                               \
        case 6: rows(J, n, 6, a, b, w, g, H); break;                                               \
        case 7: rows(J, n, 7, a, b, w, g, H); break;                                               \
        default: rows(J, n, GRAM_MAX_P, a, b, w, g, H); break;                                     \
        }                                                                                          \
    } while (0)

static inline void gram_column_finish(const column_lanes *l, column_sums *out)
{
    double low = l->least[0];
    for (size_t k = 1; k < GRAM_LANES; k++) low = l->least[k] < low ? l->least[k] : low;
    out->square = lanes_total(l->square);
    out->with_y = lanes_total(l->with_y);
    out->size = lanes_total(l->size);
    out->least = low;
    out->finite = lanes_total(l->poison) == 0.0;
}

static inline double gram_cross_rows(double *lane, const double *a, const double *b,
                                     const double *w, size_t from, size_t n)
{
    for (size_t i = from; i < n; i++) lane[i % GRAM_LANES] += w[i] * a[i] * b[i];
    return lanes_total(lane);
}

#endif /* SLAW_GRAM_LANES_H */
