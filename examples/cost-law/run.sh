#!/bin/sh
# Does training time grow as N^1.5?  A power law of the hours against the
# parameter count, with a bootstrap interval for the exponent.
set -e
slaw=${SLAW:-slaw}
$slaw fit train_hours.csv --law power --y train_hours --bootstrap 1000 --seed 1
