#!/bin/sh
# Raw training logs, one JSON object per run: the size is nested in the
# config, the loss curve is a long "history" array, the validation loss is the
# second entry of "eval".  Dotted paths name them; no preprocessing.
set -e
slaw=${SLAW:-slaw}
$slaw inspect logs.jsonl --n config.model.n_params --y eval.1.loss
$slaw fit logs.jsonl --n config.model.n_params --y eval.1.loss --law saturating
