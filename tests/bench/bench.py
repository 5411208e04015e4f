"""bench.py — slaw side by side with scipy/numpy on the same data and
objective, in one run; prints one table of ratios (docs/performance.md).

Started by tests/bench/run, which builds slaw in Release and the repetition
harness, and hands over their paths and a temporary directory:

    /usr/bin/python3 bench.py --slaw PATH --harness PATH --tmp DIR --root REPO

Knobs (environment):
    BENCH_GRID_STRIDE   the scipy grid runs every K-th of Epoch's 4500 starts and
                        scales its time by 4500 / starts run (default 7: 643
                        starts; 1 runs all of them, about 4 minutes more)
    BENCH_BOOT          scipy bootstrap resamples (default 1000)
    BENCH_SECONDS       minimum seconds per single-fit measurement (default 3)
"""
import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peers  # noqa: E402

SAME = 1e-9  # objectives within this relative difference are the same optimum
CHINCHILLA = "data/chinchilla/svg_extracted_data.csv"
EPOCH_ARGS = ["--law", "chinchilla", "--drop-top-loss", "5", "--loss", "huber:1e-3", "--grid", "epoch"]


def log(msg):
    print(f"  [{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# ------------------------------------------------------------------ measuring


def run(cmd):
    """Runs cmd; returns (wall seconds, stdout text, peak RSS in kB).  The
    peak RSS is the child's own ru_maxrss from wait4, what /usr/bin/time -f
    %M reports."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=out, stderr=err)
        _, status, usage = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if p.returncode != 0:
            sys.exit(f"bench: {' '.join(cmd)} failed ({p.returncode}):\n{err.read()}")
        return wall, out.read(), usage.ru_maxrss


def median_run(cmd, times):
    """Median wall time of `times` runs, the last stdout, the largest peak RSS."""
    walls, out, peak = [], "", 0
    for _ in range(times):
        w, out, rss = run(cmd)
        walls.append(w)
        peak = max(peak, rss)
    return statistics.median(walls), out, peak


def rel(peer, slaw):
    return (peer - slaw) / abs(slaw)


def verdict(delta):
    """The same-optimum column from delta = (peer - slaw) / slaw."""
    if abs(delta) <= SAME:
        return f"yes (d {delta:+.1e})"
    return f"no: slaw lower (d {delta:+.1e})" if delta > 0 else f"NO: peer lower (d {delta:+.1e})"


def slaw_internal(fit):
    """Epoch's parameter vector (a, b, e, alpha, beta) from a slaw fit."""
    p = fit["params"]
    return np.array([np.log(p["A"]["value"]), np.log(p["B"]["value"]), np.log(p["E"]["value"]),
                     p["alpha"]["value"], p["beta"]["value"]])


# --------------------------------------------------------------------- rows


class Table:
    def __init__(self):
        self.rows, self.notes = [], []

    def add(self, name, slaw, peer, ratio, goal="-", met="-", same="-"):
        self.rows.append((name, slaw, peer, ratio, goal, met, same))

    def note(self, text):
        self.notes.append(text)

    def print(self, header):
        head = ("row", "slaw", "peer", "peer/slaw", "goal", "met", "same optimum (d = (peer-slaw)/slaw)")
        rows = [head] + self.rows
        w = [max(len(r[i]) for r in rows) for i in range(len(head) - 1)]
        print(header)
        print()
        for k, r in enumerate(rows):
            cells = [r[0].ljust(w[0])] + [r[i].rjust(w[i]) for i in range(1, 4)] + \
                    [r[4].ljust(w[4]), r[5].ljust(w[5]), r[6]]
            print("  ".join(cells).rstrip())
            if k == 0:
                print("  ".join("-" * x for x in w) + "  " + "-" * len(head[-1]))
        print()
        for n in self.notes:
            print(textwrap.fill(n, 100, subsequent_indent="  "))


def seconds(s):
    if s < 1e-3:
        return f"{s * 1e6:.0f} us"
    if s < 1:
        return f"{s * 1e3:.3g} ms"
    return f"{s:.3g} s"


def times(x):
    return f"{x:.3g}x" if x < 100 else f"{x:.0f}x"


def mb(kb):
    return f"{kb / 1024:.0f} MB"


# ------------------------------------------------------------------ benches


def bench_chinchilla(a, t):
    slaw, data = a.slaw, os.path.join(a.root, CHINCHILLA)
    base = [slaw, "fit", data] + EPOCH_ARGS + ["-q", "--format", "json"]
    log("chinchilla grid: slaw, default polishing (5 runs)")
    t_def, out, _ = median_run(base, 5)
    fit_def = json.loads(out)["fits"][0]
    log("chinchilla grid: slaw, --polish all (3 runs)")
    t_all, out, _ = median_run(base + ["--polish", "all"], 3)
    fit_all = json.loads(out)["fits"][0]
    log("chinchilla grid: slaw, --threads 1")
    t_def1, _, _ = median_run(base + ["--threads", "1"], 5)
    t_all1, _, _ = median_run(base + ["--polish", "all", "--threads", "1"], 1)

    N, D, L = peers.read_chinchilla(data)
    starts = peers.epoch_grid()
    stride = int(os.environ.get("BENCH_GRID_STRIDE", "7"))
    subset = starts[::stride]
    log(f"chinchilla grid: scipy L-BFGS-B from {len(subset)} of {len(starts)} starts")
    best, spent, nfev = peers.epoch_grid_fit(N, D, L, subset)
    est = spent * len(starts) / len(subset)
    refined = peers.refine(N, D, L, best.x)

    o_def = peers.epoch_objective(slaw_internal(fit_def), N, D, L)
    o_all = peers.epoch_objective(slaw_internal(fit_all), N, D, L)
    peer = f"{seconds(est)} [est]"
    t.add("chinchilla grid (4500 starts), default polishing", seconds(t_def), peer, times(est / t_def),
          ">= 1000x", "yes" if est / t_def >= 1000 else "NO", verdict(rel(best.fun, o_def)))
    t.add("chinchilla grid, --polish all", seconds(t_all), peer, times(est / t_all),
          ">= 30x", "yes" if est / t_all >= 30 else "NO", verdict(rel(best.fun, o_all)))
    t.add("  same, both on 1 core: default polishing --threads 1", seconds(t_def1), peer,
          times(est / t_def1))
    t.add("  same, both on 1 core: --polish all --threads 1", seconds(t_all1), peer,
          times(est / t_all1))
    t.note(f"chinchilla grid: Epoch's procedure on {len(N)} runs.  scipy ran L-BFGS-B (defaults, "
           f"numerical gradient) from every {stride}th start, {len(subset)} of {len(starts)}: "
           f"{spent:.1f} s, {spent / len(subset) * 1e3:.1f} ms and {nfev / len(subset):.0f} "
           f"objective evaluations per start; [est] = scaled to 4500 starts.  Its best "
           f"objective {best.fun:.13g}; slaw's (by the same scipy function) {o_def:.13g} "
           f"(default), {o_all:.13g} (--polish all); slaw reports {fit_def['objective']:.13g}.  "
           f"Epoch's published best: 0.0010182740346.  scipy refined from its best with "
           f"ftol=1e-15, gtol=1e-12: {refined.fun:.13g} (d {rel(refined.fun, o_def):+.1e}).  "
           f"slaw times are whole processes (start-up, CSV, JSON output); scipy's are in-process.  "
           f"scipy runs on one core; slaw on all ({os.cpu_count()}) unless --threads 1.")
    return {"t_def": t_def, "x_scipy": best.x, "N": N, "D": D, "L": L}


def bench_single(a, t):
    path = os.path.join(a.tmp, "saturating250.csv")
    run([a.slaw, "simulate", "--law", "saturating", "--params", "E=1.8,A=380,alpha=0.32",
         "--n", "1e7:1e10:250", "--noise", "0.01", "--seed", "1", "--out", path])
    secs = os.environ.get("BENCH_SECONDS", "3")
    log("single fit: slaw (repetition harness)")
    _, out, _ = run([a.harness, path, "law=saturating", f"min_seconds={secs}"])
    h_def = json.loads(out)
    p0 = peers.SATURATING_P0
    grid = f"grid=E={p0[0]},A={p0[1]},alpha={p0[2]}"
    _, out, _ = run([a.harness, path, "law=saturating", grid, f"min_seconds={secs}"])
    h_one = json.loads(out)
    _, out, _ = run([a.harness, path, "law=saturating", "threads=1", f"min_seconds={secs}"])
    h_def1 = json.loads(out)
    _, out, _ = run([a.harness, path, "law=saturating", grid, "threads=1", f"min_seconds={secs}"])
    h_one1 = json.loads(out)

    log("single fit: scipy curve_fit")
    x, y = peers.read_xy(path)
    peers.curve_fit_saturating(x, y)  # warm-up, as the harness does
    reps, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < float(secs):
        p = peers.curve_fit_saturating(x, y)
        reps += 1
    t_cf = (time.perf_counter() - t0) / reps
    o_cf = peers.saturating_objective(p, x, y)

    def o_of(h):
        q = h["params"]
        return peers.saturating_objective((q["E"], q["A"], q["alpha"]), x, y)

    r = t_cf / h_def["seconds_per_fit"]
    t.add(f"single fit: saturating, 250 runs (slaw: {h_def['starts']}-start grid)",
          seconds(h_def["seconds_per_fit"]), seconds(t_cf), times(r), ">= 10x",
          "yes" if r >= 10 else "NO", verdict(rel(o_cf, o_of(h_def))))
    t.add("  same, slaw from curve_fit's one start (--grid E=1,A=100,alpha=0.3)",
          seconds(h_one["seconds_per_fit"]), seconds(t_cf), times(t_cf / h_one["seconds_per_fit"]),
          "-", "-", verdict(rel(o_cf, o_of(h_one))))
    t.add("  same, both on 1 core: slaw default grid --threads 1", seconds(h_def1["seconds_per_fit"]),
          seconds(t_cf), times(t_cf / h_def1["seconds_per_fit"]), "-", "-", verdict(rel(o_cf, o_of(h_def1))))
    t.add("  same, both on 1 core: slaw one start --threads 1", seconds(h_one1["seconds_per_fit"]),
          seconds(t_cf), times(t_cf / h_one1["seconds_per_fit"]), "-", "-", verdict(rel(o_cf, o_of(h_one1))))
    t.note(f"single fit: runs from `slaw simulate --law saturating --params E=1.8,A=380,alpha=0.32 "
           f"--n 1e7:1e10:250 --noise 0.01 --seed 1`.  Both sides minimise the sum of squared log "
           f"residuals: slaw's default (log space, l2); curve_fit (method lm, numerical Jacobian) "
           f"given the model ln(E + A x^-alpha) and ln y, p0 = E=1, A=100, alpha=0.3.  Per-fit "
           f"time in one process: slaw {h_def['reps']}, {h_one['reps']}, {h_def1['reps']} and "
           f"{h_one1['reps']} fits (tests/bench/repeat_fit.c; all cores unless --threads 1), "
           f"curve_fit {reps} fits.")


def bench_bootstrap(a, t, ch):
    slaw, data = a.slaw, os.path.join(a.root, CHINCHILLA)
    cmd = [slaw, "fit", data] + EPOCH_ARGS + ["-q", "--format", "json", "--bootstrap", "1000", "--seed", "1"]
    log("bootstrap: slaw, 1000 resamples (3 runs)")
    t_boot, out, _ = median_run(cmd, 3)
    fit = json.loads(out)["fits"][0]
    t_slaw = t_boot - ch["t_def"]
    samples = np.array(fit["bootstrap"]["samples"])
    count = int(os.environ.get("BENCH_BOOT", "1000"))
    log(f"bootstrap: scipy, {count} warm-started L-BFGS-B refits of slaw's resamples")
    N, D, L = ch["N"], ch["D"], ch["L"]
    fits, spent = peers.bootstrap(N, D, L, ch["x_scipy"], 1, count)
    est = spent * 1000 / count
    deltas = []
    for (idx, r), s in zip(fits, samples):
        E, A, B, al, be = s
        o = peers.epoch_objective(np.array([np.log(A), np.log(B), np.log(E), al, be]), N[idx], D[idx], L[idx])
        deltas.append(rel(r.fun, o))
    d = np.array(deltas)
    same = int(np.sum(np.abs(d) <= SAME))
    lower = int(np.sum(d > SAME))
    higher = int(np.sum(d < -SAME))
    r = est / t_slaw
    t.add("bootstrap: 1000 resamples of the chinchilla fit", seconds(t_slaw),
          seconds(est) + (" [est]" if count != 1000 else ""), times(r), ">= 100x",
          "yes" if r >= 100 else "NO",
          f"same {same}/{len(d)}, slaw lower {lower}, peer lower {higher} (median d {np.median(d):+.1e})")
    # How far a tighter scipy gets, on a few resamples.
    k = min(50, count)
    tight_d, tight_t = [], 0.0
    from scipy.optimize import minimize
    for (idx, _), s in zip(fits[:k], samples[:k]):
        E, A, B, al, be = s
        t0 = time.perf_counter()
        rr = minimize(peers.epoch_objective, ch["x_scipy"], args=(N[idx], D[idx], L[idx]),
                      method="L-BFGS-B", options={"ftol": 1e-15, "gtol": 1e-12, "maxiter": 20000})
        tight_t += time.perf_counter() - t0
        o = peers.epoch_objective(np.array([np.log(A), np.log(B), np.log(E), al, be]), N[idx], D[idx], L[idx])
        tight_d.append(rel(rr.fun, o))
    tight_d = np.array(tight_d)
    t.note(f"bootstrap: slaw = `slaw fit ... --grid epoch --bootstrap 1000 --seed 1` minus the same "
           f"fit without --bootstrap ({seconds(t_boot)} - {seconds(ch['t_def'])}), all cores.  "
           f"scipy refits exactly slaw's resamples (GSL MT19937 stream reproduced) with L-BFGS-B "
           f"from its grid optimum, defaults: {spent / count * 1e3:.1f} ms per resample over "
           f"{count}{'' if count == 1000 else ', scaled to 1000'}.  Its default tolerances stop "
           f"near the warm start.  With ftol=1e-15, gtol=1e-12 (first {k} resamples) scipy takes "
           f"{tight_t / k * 1e3:.0f} ms per resample and reaches slaw's optimum in "
           f"{int(np.sum(np.abs(tight_d) <= SAME))}/{k} (median d {np.median(tight_d):+.1e}, "
           f"slaw lower in {int(np.sum(tight_d > SAME))}).")


def bench_load(a, t):
    path = os.path.join(a.tmp, "runs1m.csv")
    log("loading: generating a 1,000,000-run CSV")
    run([a.slaw, "simulate", "--law", "chinchilla", "--params",
         "E=1.69,A=406.4,B=410.7,alpha=0.34,beta=0.28", "--n", "1e7:1e10:1000",
         "--d", "1e9:1e12:1000", "--noise", "0.01", "--seed", "7", "--out", path])
    size = os.path.getsize(path)
    log("loading: slaw inspect (3 runs)")
    t_s, out, m_s = median_run([a.slaw, "inspect", path, "--format", "json"], 3)
    s = json.loads(out)
    py = "/usr/bin/python3"
    me = os.path.join(os.path.dirname(os.path.abspath(__file__)), "peers.py")
    log("loading: numpy.loadtxt (2 runs)")
    t_n, out, m_n = median_run([py, me, "load-numpy", path], 2)
    n = json.loads(out)
    log("loading: python csv module (1 run)")
    t_c, out, m_c = median_run([py, me, "load-csv", path], 1)
    c = json.loads(out)

    def agrees(p):
        roles = {"N": "N", "D": "D", "C": "C", "L": "loss"}
        ok = s["runs"]["kept"] == p["runs"] and s["duplicate_nd"] == p["duplicate_nd"]
        for role, col in roles.items():
            ok &= s["roles"][role]["min"] == p[col]["min"] and s["roles"][role]["max"] == p[col]["max"]
            ok &= s["roles"][role]["distinct"] == p[col]["distinct"]
        return "same summary" if ok else "SUMMARIES DIFFER"

    t.add("load 1M runs, time: slaw inspect vs numpy.loadtxt", seconds(t_s), seconds(t_n),
          times(t_n / t_s), "slaw <= 1 s", "yes" if t_s <= 1 else "NO", agrees(n))
    t.add("load 1M runs, time: slaw inspect vs csv module", seconds(t_s), seconds(t_c),
          times(t_c / t_s), "-", "-", agrees(c))
    t.add("load 1M runs, peak RSS: slaw inspect vs numpy.loadtxt", mb(m_s), mb(m_n), times(m_n / m_s),
          "slaw <= 200 MB", "yes" if m_s <= 200 * 1024 else "NO")
    t.add("load 1M runs, peak RSS: slaw inspect vs csv module", mb(m_s), mb(m_c), times(m_c / m_s))
    t.note(f"loading: {size / 1e6:.0f} MB CSV (N, D, C, loss; `slaw simulate --law chinchilla ... "
           f"--n 1e7:1e10:1000 --d 1e9:1e12:1000`).  Whole processes, each reading the file and "
           f"computing what `slaw inspect` reports (per column min, max, distinct values; repeated "
           f"(N, D) pairs).  Peak RSS: each process's ru_maxrss from wait4 (what /usr/bin/time "
           f"-f %M reports), the interpreter and numpy included.")


def bench_startup(a, t):
    py = "/usr/bin/python3"
    me = os.path.join(os.path.dirname(os.path.abspath(__file__)), "peers.py")
    log("start-up: slaw --version vs python imports (20 / 10 runs)")
    t_v, _, _ = median_run([a.slaw, "--version"], 20)
    t_i, _, _ = median_run([py, me, "imports"], 10)
    t.add("start-up: slaw --version vs python3 importing numpy, scipy.optimize", seconds(t_v),
          seconds(t_i), times(t_i / t_v))
    path = os.path.join(a.tmp, "saturating10.csv")
    run([a.slaw, "simulate", "--law", "saturating", "--params", "E=1.8,A=380,alpha=0.32",
         "--n", "1e7:1e10:10", "--noise", "0.01", "--seed", "2", "--out", path])
    log("start-up: a fit of 10 runs, whole process")
    t_f, out, _ = median_run([a.slaw, "fit", path, "--law", "saturating", "-q", "--format", "json"], 20)
    fit = json.loads(out)["fits"][0]["params"]
    t_p, out, _ = median_run([py, me, "fit10", path], 10)
    x, y = peers.read_xy(path)
    o_s = peers.saturating_objective((fit["E"]["value"], fit["A"]["value"], fit["alpha"]["value"]), x, y)
    o_p = json.loads(out)["objective"]
    t.add("start-up: fit of 10 runs, whole process (slaw fit vs curve_fit script)", seconds(t_f),
          seconds(t_p), times(t_p / t_f), "-", "-", verdict(rel(o_p, o_s)))
    t.note("start-up: median wall time of whole processes started from Python's subprocess; the "
           "curve_fit script imports numpy and scipy.optimize, reads the CSV and fits as in the "
           "single-fit row.")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--slaw", required=True)
    ap.add_argument("--harness", required=True)
    ap.add_argument("--tmp", required=True)
    ap.add_argument("--root", required=True)
    a = ap.parse_args()

    import scipy

    load0 = os.getloadavg()
    started = time.perf_counter()
    t = Table()
    ch = bench_chinchilla(a, t)
    bench_single(a, t)
    bench_bootstrap(a, t, ch)
    bench_load(a, t)
    bench_startup(a, t)
    load1 = os.getloadavg()

    cpu = "unknown"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    version = run([a.slaw, "--version"])[1].strip()
    commit = subprocess.run(["git", "-C", a.root, "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip() or "unknown"
    header = (f"slaw benchmark, {datetime.datetime.now().strftime('%Y-%m-%d %H:%M')}: {version} "
              f"(Release, commit {commit}) vs scipy {scipy.__version__}, numpy {np.__version__}, "
              f"Python {platform.python_version()}\n"
              f"machine: {os.cpu_count()} cores (nproc), {cpu}; load average "
              f"{load0[0]:.2f} at start, {load1[0]:.2f} at end (above 0 = other processes running)")
    t.note(f"bench took {time.perf_counter() - started:.0f} s.  peer/slaw > 1: slaw is faster "
           f"(smaller); same optimum: both sides' parameters evaluated by one scipy/numpy "
           f"objective, 'yes' when within {SAME:g} relative.")
    t.print(header)


if __name__ == "__main__":
    main()
