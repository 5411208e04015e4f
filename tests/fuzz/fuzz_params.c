/* fuzz_params.c — --fix, --tie and --bound (param_map_build) and a law's
 * --params (slaw_law_parse_params): a map whose transforms stay inside the
 * bounds, or a message. */
#include "solver_params.h"
#include "spec.h"

#include <math.h>

static void check_map(const param_map *pm)
{
    static const double probes[] = {0.0, 1.0, -3.5, 1e3, -1e300};
    FUZZ_CHECK(pm->m >= 1 && pm->m <= pm->p);
    for (size_t k = 0; k < sizeof probes / sizeof probes[0]; k++) {
        double u[LAW_MAX_PARAMS], theta[LAW_MAX_PARAMS], slope[LAW_MAX_PARAMS],
            back[LAW_MAX_PARAMS];
        for (size_t j = 0; j < pm->m; j++) u[j] = probes[k];
        param_map_theta(pm, u, theta);
        param_map_slope(pm, u, slope);
        for (size_t f = 0; f < pm->m; f++) {
            double t = theta[pm->param_of[f]];
            /* A bounded parameter never leaves its bounds. */
            if (pm->kind[f] != BOUND_NONE && isfinite(t))
                FUZZ_CHECK(t >= pm->lo[f] - 1e-9 * fabs(pm->lo[f]) &&
                           t <= pm->hi[f] + 1e-9 * fabs(pm->hi[f]));
            (void)param_map_pinned(pm, u, f);
        }
        param_map_u(pm, theta, back);
    }
    for (size_t j = 0; j < pm->p; j++) {
        if (pm->state[j] == SLAW_PARAM_FIXED) FUZZ_CHECK(pm->free_of[j] < 0);
        else FUZZ_CHECK(pm->free_of[j] >= 0 && (size_t)pm->free_of[j] < pm->m);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_spec s;
    spec_read(data, size, &s);
    slaw_fit_options opt;
    spec_options(&s, &opt);
    param_map pm;
    slaw_error err;
    slaw_status st = param_map_build(s.law, &opt, &pm, &err);
    if (st == SLAW_OK) check_map(&pm);
    else FUZZ_CHECK(err.code == st && err.message[0]);
    if (s.params) {
        double natural[LAW_MAX_PARAMS];
        st = slaw_law_parse_params(s.law, s.params, natural, &err);
        if (st == SLAW_OK) {
            double vars[2] = {1e9, 2e10};
            (void)slaw_law_eval(s.law, natural, vars);
        } else {
            FUZZ_CHECK(err.code == st && err.message[0]);
        }
    }
    free(s.text);
    return 0;
}
