#!/bin/sh
# A sweep exported from Weights & Biases: one row per run, sizes written as
# 20M / 2B, the loss in "val/loss", a crashed run without a loss.  Keep the
# finished runs, see what slaw reads, fit the Chinchilla law.
set -e
slaw=${SLAW:-slaw}
$slaw inspect runs.csv --where "State == finished"
$slaw fit runs.csv --where "State == finished" --law chinchilla --out fit.json
