/* spec.h — the input format of the option-language harnesses: a law's name
 * on the first line, then one option per line, as on the command line:
 *
 *   chinchilla
 *   grid alpha=0:2:0.5,e=-1:1:0.5
 *   fix E=1.69
 *   tie beta=alpha
 *   bound A=0:1e4
 *   params E=1.69,A=406.4,B=410.7,alpha=0.34,beta=0.28
 *
 * An unknown law name picks a law by its first byte, so every input tests
 * something. */
#ifndef SLAW_FUZZ_SPEC_H
#define SLAW_FUZZ_SPEC_H

#include "fuzz.h"
#include "slaw.h"

#include <string.h>

#define SPEC_MAX_EACH 8

typedef struct fuzz_spec {
    char *text; /* the input, split in place */
    const slaw_law *law;
    const char *grid, *params; /* the last of each, or NULL */
    const char *fix[SPEC_MAX_EACH], *tie[SPEC_MAX_EACH], *bound[SPEC_MAX_EACH];
    size_t n_fix, n_tie, n_bound;
} fuzz_spec;

static inline bool spec_take(const char *line, const char *key, const char **value)
{
    size_t n = strlen(key);
    if (strncmp(line, key, n) != 0 || line[n] != ' ') return false;
    *value = line + n + 1;
    return true;
}

static inline void spec_read(const uint8_t *data, size_t size, fuzz_spec *s)
{
    memset(s, 0, sizeof *s);
    s->text = fuzz_text(data, size);
    char *line = s->text, *next;
    for (size_t k = 0; line; k++, line = next) {
        next = strchr(line, '\n');
        if (next) *next++ = '\0';
        const char *v;
        if (k == 0) {
            s->law = slaw_law_find(line);
            if (!s->law) s->law = slaw_law_at((size > 0 ? data[0] : 0) % slaw_law_count());
        } else if (spec_take(line, "grid", &v)) {
            s->grid = v;
        } else if (spec_take(line, "params", &v)) {
            s->params = v;
        } else if (spec_take(line, "fix", &v) && s->n_fix < SPEC_MAX_EACH) {
            s->fix[s->n_fix++] = v;
        } else if (spec_take(line, "tie", &v) && s->n_tie < SPEC_MAX_EACH) {
            s->tie[s->n_tie++] = v;
        } else if (spec_take(line, "bound", &v) && s->n_bound < SPEC_MAX_EACH) {
            s->bound[s->n_bound++] = v;
        }
    }
}

/* Fit options carrying the spec's options. */
static inline void spec_options(const fuzz_spec *s, slaw_fit_options *opt)
{
    slaw_fit_options_init(opt);
    opt->law = slaw_law_name(s->law);
    opt->grid = s->grid;
    opt->fix = s->fix;
    opt->n_fix = s->n_fix;
    opt->tie = s->tie;
    opt->n_tie = s->n_tie;
    opt->bound = s->bound;
    opt->n_bound = s->n_bound;
}

#endif
