/* formula.h — a law of the user's own, from the text of its formula.
 *
 * The text is compiled to a stack program once; evaluation carries each
 * value's gradient with respect to the parameters along (forward-mode
 * automatic differentiation), so the Jacobian is exact to rounding with no
 * finite differences.  Identifiers that name_is_var accepts are variables,
 * every other one is a parameter (linear scale). */
#ifndef SLAW_FORMULA_H
#define SLAW_FORMULA_H

#include "error.h"
#include "law.h"

/* Whether identifier name (NUL-terminated) is a variable. */
typedef bool (*formula_var_fn)(void *ctx, const char *name);

/* Compiles text into a law of its own (name "formula").  Errors:
 * SLAW_EUSAGE "formula: column K: ..." for a malformed text, an unknown
 * function, no parameter, too many parameters or variables.  Caller owns
 * *out; free with formula_law_free. */
slaw_status formula_law_new(const char *text, formula_var_fn is_var, void *ctx, slaw_law **out,
                            slaw_error *err);
void formula_law_free(slaw_law *law);
/* The name of variable v of a formula law (as written in the formula). */
const char *formula_var_name(const slaw_law *law, size_t v);
/* ŷ itself and ∂ŷ/∂θ (J may be NULL) at one row of variables x (not logarithms). */
double formula_value(const formula_prog *f, const double *theta, const double *x, double *grad);

#endif /* SLAW_FORMULA_H */
