/* test_muennighoff.c — Muennighoff et al. 2023 ("Scaling Data-Constrained
 * Language Models", arXiv 2305.16264): the losses their published parametric
 * fit gives the two models of their Figure 1 (right), as printed by the
 * authors' reference code, reproduced by the `muennighoff` law to 1e-12. */
#include "helpers.h"
#include "law.h"

#include <math.h>

/* Their C4 constants: a, b, e are ln A, ln B, ln E. */
static double natural[7];

static void set_constants(void)
{
    natural[0] = exp(0.6254804); /* E */
    natural[1] = exp(6.255414);  /* A */
    natural[2] = exp(7.3049974); /* B */
    natural[3] = 0.3526596;      /* alpha */
    natural[4] = 0.3526596;      /* beta */
    natural[5] = 15.387756;      /* R_D* */
    natural[6] = 5.309743;       /* R_N* */
}

static void figure_one_models_should_have_the_published_losses(void **state)
{
    (void)state;
    set_constants();
    const slaw_law *law = &law_muennighoff;
    double fewer_params[3] = {6.34e9, 242e9, 25e9}, more_params[3] = {8.67e9, 178e9, 25e9};
    assert_close(slaw_law_eval(law, natural, fewer_params), 2.2256440889984477, 1e-12);
    assert_close(slaw_law_eval(law, natural, more_params), 2.2269634075087867, 1e-12);
}

/* With unique data to spare (U >= D) and a model no larger than the
 * compute-optimal size for it, nothing repeats: the law is Chinchilla's. */
static void one_epoch_should_be_the_chinchilla_law(void **state)
{
    (void)state;
    set_constants();
    double v[3] = {1e8, 2e10, 5e10};
    double chinchilla =
        natural[0] + natural[1] / pow(1e8, natural[3]) + natural[2] / pow(2e10, natural[4]);
    assert_close(slaw_law_eval(&law_muennighoff, natural, v), chinchilla, 1e-14);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(figure_one_models_should_have_the_published_losses),
        cmocka_unit_test(one_epoch_should_be_the_chinchilla_law),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
