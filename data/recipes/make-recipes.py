#!/usr/bin/env python3
"""The runs of the --formula recipes in docs/laws.md: laws that are not
built in, drawn with multiplicative log-normal noise y·exp(σ z), z from
Python's random.gauss with a fixed seed.  Run in this folder:
python3 make-recipes.py (writes kaplan_steps.csv and lr_sweep.csv)."""
import math
import random


def logspace(lo, hi, k):
    return [lo * (hi / lo) ** (i / (k - 1)) for i in range(k)]


def kaplan_steps(out):
    # Kaplan et al. (2020), Eq. 1.6 / 5.6: L(N, S) = (Nc/N)^aN + (Sc/S)^aS with
    # their constants Nc = 6.5e13, aN = 0.076 (Table 3, L(N, S_min)), Sc = 2.1e3,
    # aS = 0.76; noise 0.5%
    rng = random.Random(21)
    out.write("N,S,loss\n")
    for n in logspace(1e7, 3e9, 6):
        for s in logspace(1e3, 1e5, 6):
            y = (6.5e13 / n) ** 0.076 + (2.1e3 / s) ** 0.76
            out.write(f"{n:.6g},{s:.6g},{y * math.exp(0.005 * rng.gauss(0, 1)):.6f}\n")


def lr_sweep(out):
    # loss quadratic in ln LR around an optimum that falls with N:
    # L = E + A/N^alpha + B (ln LR - ln LR*(N))^2, LR*(N) = 3e-3 (N/1e8)^-0.3;
    # E = 1.9, A = 250, alpha = 0.3, B = 0.05; five rates per size, noise 0.3%
    rng = random.Random(22)
    out.write("N,lr,loss\n")
    for n in logspace(1e7, 1e9, 5):
        best = 3e-3 * (n / 1e8) ** -0.3
        for f in (0.25, 0.5, 1, 2, 4):
            lr = best * f
            y = 1.9 + 250 / n ** 0.3 + 0.05 * math.log(f) ** 2
            out.write(f"{n:.6g},{lr:.6g},{y * math.exp(0.003 * rng.gauss(0, 1)):.6f}\n")


with open("kaplan_steps.csv", "w") as f:
    kaplan_steps(f)
with open("lr_sweep.csv", "w") as f:
    lr_sweep(f)
