#!/bin/sh
# check.sh — the scaling gate as a plain shell script, for any CI system or a
# cron job: refit a sweep's runs the way the committed baseline was fitted
# and fail when scaling got worse.
#
#   usage: examples/ci/check.sh SWEEP.csv [slaw check options...]
#   e.g.   SLAW=build/src/slaw examples/ci/check.sh examples/ci/sweep.csv --report slaw-check.xml
#
# The criteria live here, in one place, for every CI job that calls this:
#   --sigma 3            no parameter may move by more than 3 combined
#                        (bootstrap) standard errors;
#   --expect 'a in ...'  the compute-optimal exponent stays plausible;
#   --forecast ...       the predicted loss at 7B parameters and 140B tokens
#                        may not get worse by more than 3%.
# docs/ci.md explains how these tolerances were chosen.  Exit status: 0 pass,
# 1 regression, 2 usage or input error, 3 the fit failed, 4 I/O error.
set -u
slaw=${SLAW:-slaw}
here=$(dirname "$0")
if [ $# -lt 1 ]; then
    echo "usage: $0 SWEEP.csv [slaw check options...]" >&2
    exit 2
fi
sweep=$1
shift
"$slaw" check "$sweep" --baseline "$here/baseline.json" --quiet \
    --sigma 3 \
    --expect 'a in [0.3,0.7]' \
    --forecast N=7B,D=140B --forecast-tol 0.03 \
    "$@"
status=$?
case $status in
0) echo "scaling check: passed" >&2 ;;
1) echo "scaling check: REGRESSION: see the FAIL rows above" >&2 ;;
3) echo "scaling check: the fit failed: see the error above" >&2 ;;
*) echo "scaling check: slaw check could not run (exit status $status)" >&2 ;;
esac
exit $status
