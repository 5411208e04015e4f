/* fuzz_point.c — the point language of forecast --at and check --forecast
 * ("N=70B,D=1.4T", "x=1e9", "C=1e24,N=7B"): parsed and resolved for a law
 * of one variable and one of N and D, values positive and finite or a
 * message, never a crash. */
#include "fuzz.h"
#include "slaw.h"

#include <math.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size);
    slaw_point p;
    slaw_error err;
    slaw_status st = slaw_point_parse(text, &p, &err);
    if (st != SLAW_OK) {
        FUZZ_CHECK(st == SLAW_EUSAGE && err.message[0]);
    } else {
        static const char *const laws[] = {"saturating", "chinchilla"};
        for (size_t k = 0; k < 2; k++) {
            const slaw_law *law = slaw_law_find(laws[k]);
            double vars[2] = {-1, -1};
            st = slaw_point_resolve(law, &p, vars, &err);
            if (st != SLAW_OK) {
                FUZZ_CHECK(st == SLAW_EUSAGE && err.message[0]);
                continue;
            }
            for (size_t v = 0; v < slaw_law_var_count(law); v++)
                FUZZ_CHECK(vars[v] > 0 && isfinite(vars[v]));
            double again[2];
            FUZZ_CHECK(slaw_expect_parse_point(law, text, again, &err) == SLAW_OK);
        }
    }
    free(text);
    return 0;
}
