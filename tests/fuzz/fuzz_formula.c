/* fuzz_formula.c — the --formula compiler on arbitrary text: an error names
 * a column within the text (or none), a compiled law has 1 to 16 parameters
 * and 1 or 2 variables, and evaluating it (values and exact gradients) never
 * crashes; the text compiles again to the same law. */
#include "formula.h"
#include "fuzz.h"

#include <math.h>
#include <string.h>

static bool is_var(void *ctx, const char *name)
{
    (void)ctx;
    return !strcmp(name, "N") || !strcmp(name, "D") || !strcmp(name, "x");
}

static void check_error(const char *text, const slaw_error *err)
{
    FUZZ_CHECK(!strncmp(err->message, "formula: ", 9));
    unsigned long col;
    if (sscanf(err->message, "formula: column %lu:", &col) == 1)
        FUZZ_CHECK(col >= 1 && col <= strlen(text) + 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size);
    slaw_law *law = NULL, *again = NULL;
    slaw_error err;
    slaw_status st = formula_law_new(text, is_var, NULL, &law, &err);
    if (st != SLAW_OK) {
        FUZZ_CHECK(st == SLAW_EUSAGE && law == NULL);
        check_error(text, &err);
        free(text);
        return 0;
    }
    FUZZ_CHECK(law->n_params >= 1 && law->n_params <= LAW_MAX_PARAMS);
    FUZZ_CHECK(law->n_vars >= 1 && law->n_vars <= LAW_MAX_VARS);
    FUZZ_CHECK(!strcmp(law->formula, text));
    static const double theta[LAW_MAX_PARAMS] = {1.5, 0.3, -2, 10, 0.1, 7, -0.5, 3};
    double lnx0[2] = {log(3e8), log(0.5)}, lnx1[2] = {log(6e9), log(2.0)};
    /* rows for every variable a formula may read (U, M, ... besides x and N, D) */
    const double *in[LAW_MAX_VARS] = {lnx0, lnx1, lnx0, lnx1};
    double lny[2], J[2 * LAW_MAX_PARAMS], lny2[2];
    law_eval(law, theta, in, 2, lny, J);
    law_eval(law, theta, in, 2, lny2, NULL);
    for (int i = 0; i < 2; i++) /* the gradient pass computes the same values */
        FUZZ_CHECK((isnan(lny[i]) && isnan(lny2[i])) || lny[i] == lny2[i]);
    FUZZ_CHECK(formula_law_new(law->formula, is_var, NULL, &again, &err) == SLAW_OK);
    FUZZ_CHECK(again->n_params == law->n_params && again->n_vars == law->n_vars);
    formula_law_free(again);
    formula_law_free(law);
    free(text);
    return 0;
}
