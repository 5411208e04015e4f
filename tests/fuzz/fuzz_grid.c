/* fuzz_grid.c — --grid start specs (with --fix and --tie, which shape the
 * grid): the grid builds or the spec is refused with a message, and the law
 * can be evaluated at every start without undefined behaviour. */
#include "solver_starts.h"
#include "spec.h"

/* Evaluates the law at the first starts on a few extreme rows. */
static void evaluate_starts(const slaw_law *law, const start_grid *g)
{
    static const double ln_n[] = {0.0, 18.4, 690.0, -690.0}, ln_d[] = {0.0, 23.0, 690.0, 1e-300};
    /* every variable a law may read has rows (a third is U for muennighoff) */
    const double *lnx[LAW_MAX_VARS] = {ln_n, ln_d, ln_n, ln_d};
    double lny[4], J[4 * LAW_MAX_PARAMS];
    size_t n = g->n < 64 ? g->n : 64;
    for (size_t i = 0; i < n; i++) law->eval(g->theta + i * g->p, (law_inputs)lnx, 4, lny, J);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_spec s;
    spec_read(data, size, &s);
    slaw_fit_options opt;
    spec_options(&s, &opt);
    param_map pm;
    slaw_error err;
    if (param_map_build(s.law, &opt, &pm, &err) == SLAW_OK) {
        data_summary summary = {{20.0, 23.0}, 1.0};
        start_grid g;
        slaw_status st = starts_build(s.law, s.grid, &summary, &pm, &g, &err);
        if (st == SLAW_OK) {
            FUZZ_CHECK(g.n >= 1 && g.n <= 1000000 && g.p == s.law->n_params);
            evaluate_starts(s.law, &g);
            starts_free(&g);
        } else {
            FUZZ_CHECK(err.code == st && err.message[0] && g.theta == NULL);
        }
    }
    free(s.text);
    return 0;
}
