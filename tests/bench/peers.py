"""peers.py — the peers slaw is benchmarked against: scipy and numpy code
written the way published scaling-law code is written.

Imported by bench.py (in-process timings) and run as a script for the
whole-process rows (loading, start-up):

    peers.py load-numpy FILE   numpy.loadtxt, then the summary slaw inspect prints
    peers.py load-csv FILE     the csv module, then the same summary
    peers.py fit10 FILE        read a CSV and fit the saturating law with curve_fit
    peers.py imports           import numpy and scipy.optimize, nothing else

Runs under Debian's /usr/bin/python3 with python3-scipy and python3-numpy.
"""
import csv
import itertools
import json
import sys
import time

import numpy as np

# ------------------------------------------------------------ Chinchilla (Epoch)


def read_chinchilla(path, drop_top=5):
    """N, D, loss of Epoch's 240 runs: D = C / (6 N), the 5 highest losses
    dropped (Epoch keeps loss < the 5th largest loss), file order kept."""
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    N = np.array([float(r["Model Size"]) for r in rows])
    C = np.array([float(r["Training FLOP"]) for r in rows])
    L = np.array([float(r["loss"]) for r in rows])
    D = C / (6 * N)
    keep = L < np.sort(L)[-drop_top]
    return N[keep], D[keep], L[keep]


def epoch_objective(params, N, D, losses, delta=1e-3):
    """Epoch's objective: the sum over runs of Huber_delta of the log
    residual, the prediction in log-sum-exp form, as in their notebook
    (scipy.special.logsumexp and scipy.special.huber)."""
    from scipy.special import huber, logsumexp

    a, b, e, alpha, beta = params
    pred = logsumexp([a - alpha * np.log(N), b - beta * np.log(D), e * np.ones(len(N))], axis=0)
    return np.sum(huber(delta, np.log(losses) - pred))


def epoch_grid():
    """Epoch's 4500 starts, in their order: (a, b, e, alpha, beta) for alpha,
    beta in {0, 0.5, ..., 2}, e in {-1, ..., 1}, a, b in {0, 5, ..., 25}."""
    alphas = betas = np.arange(0, 2.5, 0.5)
    es = np.arange(-1, 1.5, 0.5)
    as_ = bs = np.arange(0, 30, 5)
    return [np.array([a, b, e, al, be]) for al, be, e, a, b in itertools.product(alphas, betas, es, as_, bs)]


def epoch_grid_fit(N, D, L, starts):
    """L-BFGS-B from each start (scipy's defaults, numerical gradient, as
    Epoch); returns (best OptimizeResult, total objective evaluations)."""
    from scipy.optimize import minimize

    best, nfev = None, 0
    for x0 in starts:
        r = minimize(epoch_objective, x0, args=(N, D, L), method="L-BFGS-B")
        nfev += r.nfev
        if np.isfinite(r.fun) and (best is None or r.fun < best.fun):
            best = r
    return best, nfev


def refine(N, D, L, x0):
    """L-BFGS-B again from x0 with tight tolerances: how low scipy gets in
    the basin it found."""
    from scipy.optimize import minimize

    return minimize(epoch_objective, x0, args=(N, D, L), method="L-BFGS-B",
                    options={"ftol": 1e-15, "gtol": 1e-12, "maxiter": 20000, "maxfun": 100000})


# ------------------------------------------------- slaw's bootstrap resamples
#
# slaw draws resample b with GSL's MT19937 seeded by mix_seed(seed, b) and
# gsl_rng_uniform_int; numpy's MT19937 with legacy seeding produces the same
# 32-bit stream, so the scipy side refits exactly the resamples slaw refits.

_M64 = (1 << 64) - 1


def mix_seed(seed, index):
    z = (seed * 0x9E3779B97F4A7C15 + index + 1) & _M64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _M64
    return (z ^ (z >> 31)) & 0xFFFFFFFF


def slaw_resample(seed, index, n):
    """The row indices slaw's resample `index` draws (one cluster per run)."""
    s = mix_seed(seed, index)
    bg = np.random.MT19937()
    bg._legacy_seeding(s if s else 4357)  # GSL replaces seed 0 by 4357
    scale = 0xFFFFFFFF // n
    out, raw = [], bg.random_raw(n + 16)
    k = 0
    while len(out) < n:
        if k == len(raw):
            raw, k = bg.random_raw(n), 0
        v = int(raw[k]) // scale
        k += 1
        if v < n:
            out.append(v)
    return np.array(out)


def bootstrap(N, D, L, x0, seed, count, options=None, first=0):
    """Warm-started L-BFGS-B refits of slaw's resamples first..first+count-1; returns
    (list of (resample, OptimizeResult), wall and CPU seconds spent
    minimising, drawing the resamples excluded)."""
    from scipy.optimize import minimize

    fits, wall, cpu = [], 0.0, 0.0
    for b in range(first, first + count):
        idx = slaw_resample(seed, b, len(N))
        w0, c0 = time.perf_counter(), time.process_time()
        r = minimize(epoch_objective, x0, args=(N[idx], D[idx], L[idx]), method="L-BFGS-B",
                     options=options)
        wall += time.perf_counter() - w0
        cpu += time.process_time() - c0
        fits.append((idx, r))
    return fits, wall, cpu


# -------------------------------------------------------- saturating, curve_fit


def read_xy(path):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    return np.array([float(r["N"]) for r in rows]), np.array([float(r["loss"]) for r in rows])


def log_saturating(x, E, A, alpha):
    """ln(E + A x^-alpha): curve_fit on this model against ln y minimises the
    same sum of squared log residuals as slaw's default (log space, l2)."""
    return np.log(E + A * x ** (-alpha))


SATURATING_P0 = (1.0, 100.0, 0.3)  # E, A, alpha: a plain guess, as users write


def curve_fit_saturating(x, y, p0=SATURATING_P0):
    from scipy.optimize import curve_fit

    p, _ = curve_fit(log_saturating, x, np.log(y), p0=p0, maxfev=10000)
    return p


def saturating_objective(p, x, y):
    """slaw's l2 objective in log space: the sum of squared log residuals."""
    return float(np.sum((log_saturating(x, *p) - np.log(y)) ** 2))


def read_nd(path):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    return (np.array([float(r["N"]) for r in rows]), np.array([float(r["D"]) for r in rows]),
            np.array([float(r["loss"]) for r in rows]))


def log_chinchilla(nd, E, A, B, alpha, beta):
    """ln(E + A N^-alpha + B D^-beta), nd = (N, D): curve_fit against ln y."""
    return np.log(E + A * nd[0] ** (-alpha) + B * nd[1] ** (-beta))


CHINCHILLA_P0 = (1.0, 100.0, 100.0, 0.3, 0.3)  # E, A, B, alpha, beta: a plain guess


def curve_fit_chinchilla(nd, y, p0=CHINCHILLA_P0):
    from scipy.optimize import curve_fit

    p, _ = curve_fit(log_chinchilla, nd, np.log(y), p0=p0, maxfev=10000)
    return p


def chinchilla_objective(p, nd, y):
    return float(np.sum((log_chinchilla(nd, *p) - np.log(y)) ** 2))


# ------------------------------------------------------------------- loading


def summarize(cols):
    """What slaw inspect reports per role: runs, min, max; distinct values
    of N and D; and the (N, D) pairs that repeat."""
    out = {"runs": int(len(cols["loss"]))}
    for name, v in cols.items():
        out[name] = {"min": float(v.min()), "max": float(v.max())}
        if name in ("N", "D"):
            out[name]["distinct"] = int(len(np.unique(v)))
    pairs = np.unique(np.stack([cols["N"], cols["D"]], axis=1), axis=0)
    out["duplicate_nd"] = int(len(cols["N"]) - len(pairs))
    return out


def load_numpy(path):
    with open(path) as f:
        header = f.readline().strip().split(",")
    a = np.loadtxt(path, delimiter=",", skiprows=1)
    return summarize({h: a[:, i] for i, h in enumerate(header)})


def load_csv(path):
    with open(path, newline="") as f:
        r = csv.reader(f)
        header = next(r)
        values = [[] for _ in header]
        for row in r:
            for i, cell in enumerate(row):
                values[i].append(float(cell))
    return summarize({h: np.array(v) for h, v in zip(header, values)})


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    what = argv[1]
    if what == "imports":
        import scipy.optimize  # noqa: F401
        return
    if what in ("load-numpy", "load-csv"):
        t0 = time.perf_counter()
        s = (load_numpy if what == "load-numpy" else load_csv)(argv[2])
        s["seconds_in_process"] = time.perf_counter() - t0
        print(json.dumps(s))
        return
    if what == "fit10":
        import scipy.optimize  # noqa: F401  (what the script imports, timed with it)
        x, y = read_xy(argv[2])
        p = curve_fit_saturating(x, y)
        print(json.dumps({"E": p[0], "A": p[1], "alpha": p[2], "objective": saturating_objective(p, x, y)}))
        return
    sys.exit(f"peers.py: unknown command {what!r}")


if __name__ == "__main__":
    main(sys.argv)
