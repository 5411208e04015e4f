#!/bin/sh
# A whole session: look at a sweep, fit the Chinchilla law with bootstrap
# intervals, forecast a larger model, draw the fit, and gate next week's sweep
# against this fit as CI would.
set -e
slaw=${SLAW:-slaw}

echo "== 1. what slaw reads"
$slaw inspect sweep.csv

echo "== 2. the fit, saved as fit.json"
$slaw fit sweep.csv --law chinchilla --bootstrap 200 --seed 1 --out fit.json

echo "== 3. a 7B model on 140B tokens; the best split of 1e22 FLOPs"
$slaw forecast fit.json --at N=7B,D=140B --compute 1e22

echo "== 4. the picture"
$slaw plot fit.json sweep.csv -o fit.png
test -s fit.png && echo "fit.png drawn"

echo "== 5. next week's sweep against this fit"
$slaw check next-week.csv --baseline fit.json --sigma 3 --forecast N=7B,D=140B --forecast-tol 0.02

echo "== 6. a sweep whose large models got 3% worse"
status=0
$slaw check regressed.csv --baseline fit.json --sigma 3 --forecast N=7B,D=140B --forecast-tol 0.02 || status=$?
echo "slaw check exited with $status"
