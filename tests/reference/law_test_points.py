#!/usr/bin/env python3
"""The test points of the law registry (the .test_points of src/lib/laws/*.c),
computed from each law's formula as published, in 50-digit arithmetic with
mpmath, independently of slaw's code.  Prints each law's points as C
initialisers; test_law_registry checks slaw's values against them to 1e-12."""
from mpmath import mp, mpf, exp, log, power, nstr

mp.dps = 50


def muennighoff(v, x):
    E, A, B, alpha, beta, rd, rn = v
    N, D, U = x
    U = min(U, D)
    G = power(alpha * A / (beta * B), 1 / (alpha + beta))
    RD = max(D / U - 1, 0)
    UN = min(N, power(U * G, beta / alpha) * G)
    RN = max(N / UN - 1, 0)
    return (E + A / power(UN + UN * rn * (1 - exp(-RN / rn)), alpha)
            + B / power(U + U * rd * (1 - exp(-RD / rd)), beta))


LAWS = {
    "power": lambda v, x: v[0] * power(x[0], v[1]),
    "saturating": lambda v, x: v[0] + v[1] * power(x[0], -v[2]),
    "chinchilla": lambda v, x: v[0] + v[1] / power(x[0], v[3]) + v[2] / power(x[1], v[4]),
    "kaplan": lambda v, x: power(power(v[0] / x[0], v[2] / v[3]) + v[1] / x[1], v[3]),
    "bnsl": lambda v, x: v[0] + v[1] * power(x[0], -v[2])
    * power(1 + power(x[0] / v[4], 1 / v[5]), -v[3] * v[5]),
    "downstream": lambda v, x: v[0] - v[1] * exp(-v[2] * x[0]),
    "sigmoid": lambda v, x: v[0] + (v[1] - v[0]) / (1 + exp(v[2] * (x[0] - v[3]))),
    "muennighoff": muennighoff,
    # L(C, M) = E + (a M^eta + b M^-eta) C^-eta
    "gadre": lambda v, x: v[0] + (v[1] * power(x[1], v[3]) + v[2] * power(x[1], -v[3]))
    * power(x[0], -v[3]),
}

# Muennighoff et al. 2023's C4 constants: A = e^a, B = e^b, E = e^e.
MU = ["exp(0.6254804)", "exp(6.255414)", "exp(7.3049974)", "0.3526596", "0.3526596",
      "15.387756", "5.309743"]
MU2 = ["1.7", "400", "2100", "0.31", "0.37", "9.0", "3.0"]

# (law, parameters in natural scale, inputs): decimal strings, so that C reads
# exactly the numbers computed with here.
POINTS = [
    ("power", ["3.2e-13", "1.5"], [["3.3e8"], ["7e10"]]),
    ("saturating", ["1.8", "380", "0.32"], [["1e7"], ["5e9"]]),
    ("chinchilla", ["1.69", "406.4", "410.7", "0.34", "0.28"], [["3.3e8", "7e9"], ["7e10", "1.4e12"]]),
    ("kaplan", ["8.8e13", "5.4e13", "0.076", "0.095"], [["1e7", "2e8"], ["5e9", "1e11"]]),
    ("bnsl", ["1.2", "60", "0.15", "0.35", "3e8", "0.3"], [["1e7"], ["3.3e8"], ["7e10"]]),
    # Gadre et al. 2024's C4 fit of the error law
    ("downstream", ["0.850", "2.08", "0.756"], [["2.1"], ["4.2"]]),
    ("sigmoid", ["0.25", "0.82", "3.5", "3.1"], [["2.7"], ["3.3"]]),
    # the two models of their Figure 1 (right); then every branch: excess
    # parameters or not, repeated data or not (U above D: one epoch on part)
    ("muennighoff", MU, [["6.34e9", "242e9", "25e9"], ["8.67e9", "178e9", "25e9"]]),
    ("muennighoff", MU2, [["1e8", "2e10", "5e10"], ["3e9", "4e11", "1e9"],
                          ["2e7", "5e9", "4e9"], ["5e10", "1e11", "2e11"]]),
    ("gadre", ["1.85", "529.0", "535.0", "0.15"], [["1e18", "20"], ["1e24", "640"]]),
]


def c_number(s):
    """e^a rounded to 17 digits, the number C will read; others as written."""
    if s.startswith("exp"):
        return nstr(eval(s, {"exp": exp}), 17, min_fixed=-1, max_fixed=-1).replace("e+", "e")
    return s


def num(s):
    return mpf(c_number(s))


for law, v, xs in POINTS:
    print(f"{law}:")
    for x in xs:
        y = LAWS[law]([num(s) for s in v], [mpf(s) for s in x])
        print(f"    {{{{{', '.join(c_number(s) for s in v)}}}, {{{', '.join(x)}}}, {nstr(y, 17)}}},")
