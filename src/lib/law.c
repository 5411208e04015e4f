/* law.c — the law registry and what every law shares. */
#include "error.h"
#include "law.h"
#include "formula.h"

#include <stdio.h>
#include <string.h>

/* The catalogue.  Adding a law: one file in laws/ and one line here. */
static const slaw_law *const registry[] = {
    &law_power,      &law_saturating, &law_chinchilla,  &law_kaplan, &law_bnsl,
    &law_downstream, &law_sigmoid,    &law_muennighoff, &law_gadre,
};

size_t slaw_law_count(void)
{
    return sizeof registry / sizeof registry[0];
}

const slaw_law *slaw_law_at(size_t i)
{
    return i < slaw_law_count() ? registry[i] : NULL;
}

const slaw_law *slaw_law_find(const char *name)
{
    for (size_t i = 0; i < slaw_law_count(); i++)
        if (!strcmp(registry[i]->name, name)) return registry[i];
    return NULL;
}

const char *slaw_law_name(const slaw_law *law)
{
    return law->name;
}
const char *slaw_law_formula(const slaw_law *law)
{
    return law->formula;
}
const char *slaw_law_summary(const slaw_law *law)
{
    return law->summary;
}
size_t slaw_law_var_count(const slaw_law *law)
{
    return law->n_vars;
}

slaw_role slaw_law_var_role(const slaw_law *law, size_t v)
{
    return v < law->n_vars ? law->vars[v] : SLAW_ROLE_COUNT;
}
bool slaw_law_reads_loss(const slaw_law *law)
{
    return law->n_vars == 1 && !law->program && law->x_is_loss;
}
size_t slaw_law_param_count(const slaw_law *law)
{
    return law->n_params;
}
size_t slaw_law_derived_count(const slaw_law *law)
{
    return law->n_derived;
}

const char *slaw_law_param_name(const slaw_law *law, size_t i)
{
    return i < law->n_params ? law->params[i].name : NULL;
}

const char *slaw_law_param_internal_name(const slaw_law *law, size_t i)
{
    return i < law->n_params ? law->params[i].internal : NULL;
}

const char *slaw_law_param_meaning(const slaw_law *law, size_t i)
{
    return i < law->n_params ? law->params[i].meaning : NULL;
}

bool slaw_law_param_is_log(const slaw_law *law, size_t i)
{
    return i < law->n_params && law->params[i].scale == SCALE_LOG;
}

const char *slaw_law_derived_name(const slaw_law *law, size_t i)
{
    return i < law->n_derived ? law->derived_names[i] : NULL;
}

const char *slaw_law_derived_meaning(const slaw_law *law, size_t i)
{
    return i < law->n_derived ? law->derived_meaning[i] : NULL;
}

void slaw_law_grid_text(const slaw_law *law, size_t i, char *buf, size_t size)
{
    const grid_axis *g = &law->grid[i];
    if (g->lo == g->hi) snprintf(buf, size, "%g", g->lo);
    else snprintf(buf, size, "%g:%g:%g", g->lo, g->hi, g->step);
}

size_t law_var_index(const slaw_law *law, slaw_role role)
{
    for (size_t v = 0; v < law->n_vars; v++)
        if (law->vars[v] == role) return v;
    return SIZE_MAX;
}

bool law_reads_compute(const slaw_law *law)
{
    return law_var_index(law, SLAW_ROLE_N) != SIZE_MAX &&
           law_var_index(law, SLAW_ROLE_D) != SIZE_MAX;
}

bool law_has_compute(const slaw_law *law)
{
    return law_reads_compute(law) || law_var_index(law, SLAW_ROLE_C) != SIZE_MAX;
}

const char *law_var_name(const slaw_law *law, size_t v)
{
    if (law->program) return formula_var_name(law, v);
    return slaw_role_symbol(law->vars[v]);
}

void law_var_list(const slaw_law *law, char *buf, size_t size)
{
    size_t o = 0;
    buf[0] = '\0';
    for (size_t v = 0; v < law->n_vars && o < size; v++)
        o += (size_t)snprintf(buf + o, size - o, "%s%s",
                              v == 0                 ? ""
                              : v + 1 == law->n_vars ? " and "
                                                     : ", ",
                              law_var_name(law, v));
}

bool law_same(const slaw_law *a, const slaw_law *b)
{
    return a == b || (a->program && b->program && !strcmp(a->formula, b->formula));
}

double law_to_natural(const slaw_law *law, size_t j, double internal)
{
    return law->params[j].scale == SCALE_LOG ? exp(internal) : internal;
}

double law_to_internal(const slaw_law *law, size_t j, double natural)
{
    return law->params[j].scale == SCALE_LOG ? log(natural) : natural;
}

size_t law_param_index(const slaw_law *law, const char *name, size_t len, bool *internal)
{
    for (size_t j = 0; j < law->n_params; j++) {
        const law_param *p = &law->params[j];
        if (strlen(p->name) == len && !memcmp(p->name, name, len)) {
            *internal = false;
            return j;
        }
        if (strlen(p->internal) == len && !memcmp(p->internal, name, len)) {
            *internal = true;
            return j;
        }
    }
    return SIZE_MAX;
}

double slaw_law_eval(const slaw_law *law, const double *natural, const double *vars)
{
    double theta[LAW_MAX_PARAMS], lnv[LAW_MAX_VARS], lny;
    const double *inputs[LAW_MAX_VARS];
    for (size_t j = 0; j < law->n_params; j++) theta[j] = law_to_internal(law, j, natural[j]);
    if (law->program) { /* from the values themselves: a formula may take any sign */
        for (size_t v = 0; v < law->n_vars; v++) inputs[v] = &vars[v];
        formula_eval_values(law->program, theta, inputs, 1, false, &lny, NULL);
        return lny;
    }
    for (size_t v = 0; v < law->n_vars; v++) {
        lnv[v] = log(vars[v]);
        inputs[v] = &lnv[v];
    }
    law_eval(law, theta, inputs, 1, &lny, NULL);
    return exp(lny);
}
