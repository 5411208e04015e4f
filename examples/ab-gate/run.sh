#!/bin/sh
# An A/B change judged by its scaling: a control and a variant sweep (the
# variant trained on a new data mix), fitted jointly, the variant's
# compute-equivalent gain with its interval, and the CI gate that fails
# when the variant loses to the control with 95% confidence.
set -e
slaw=${SLAW:-slaw}
# Do the exponents differ between the arms?
$slaw compare ab.csv --law chinchilla --by arm --shared alpha,beta
# They do not: fit both arms with exponents and floor shared.
$slaw fit ab.csv --law chinchilla --by arm --shared alpha,beta,E --bootstrap 200 --seed 1 \
    --quiet --out fit.json >/dev/null
# How much compute is the variant worth?
$slaw gain fit.json --baseline control --compute 1e21,1e23
# The gate: passes here...
$slaw check fit.json --expect 'gain(variant) >= 1'
# ...and fails (exit 1) on a sweep whose variant is worse.
$slaw fit ab-worse.csv --law chinchilla --by arm --shared alpha,beta,E --bootstrap 200 --seed 1 \
    --quiet --out worse.json >/dev/null
$slaw check worse.json --expect 'gain(variant) >= 1' || echo "slaw check exited with status $?"
