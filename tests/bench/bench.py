"""bench.py — slaw side by side with scipy/numpy on the same data and
objective, in one run; prints one table of ratios (docs/performance.md).

Started by tests/bench/run, which builds slaw in Release and the repetition
harness, and hands over their paths and a temporary directory:

    /usr/bin/python3 bench.py --slaw PATH --harness PATH --tmp DIR --root REPO

Every time is measured twice: wall clock (what a user waits) and CPU time
(user + system, all threads: what a shared machine's other load disturbs
least).  The goals are judged on wall clock.

Knobs (environment):
    BENCH_GRID_STRIDE   the scipy grid runs every K-th of Epoch's 4500 starts and
                        scales its time by 4500 / starts run (default 7: 643
                        starts; 1 runs all of them, several minutes more)
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
PY = "/usr/bin/python3"
PEERS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "peers.py")


def log(msg):
    print(f"  [{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# ------------------------------------------------------------------ measuring


class Clock:
    """Wall and CPU seconds of a piece of work done in this process."""

    def __enter__(self):
        self.w0, self.c0 = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self.w0
        self.cpu = time.process_time() - self.c0


def run(cmd):
    """Runs cmd; returns {wall, cpu, out, rss}: seconds, CPU seconds (user +
    system), stdout, and the peak RSS in kB (the child's own ru_maxrss from
    wait4, what /usr/bin/time -f %M reports)."""
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
        return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "out": out.read(),
                "rss": usage.ru_maxrss}


def median_run(cmd, times):
    """Medians of wall and CPU time over `times` runs, the last stdout, the
    largest peak RSS."""
    runs = [run(cmd) for _ in range(times)]
    return {"wall": statistics.median(r["wall"] for r in runs),
            "cpu": statistics.median(r["cpu"] for r in runs),
            "out": runs[-1]["out"], "rss": max(r["rss"] for r in runs)}


def rel(peer, slaw):
    return (peer - slaw) / abs(slaw)


def verdict(delta):
    """The same-optimum column from delta = (peer - slaw) / slaw."""
    if abs(delta) <= SAME:
        return f"yes (d {delta:+.1e})"
    return f"no: slaw lower (d {delta:+.1e})" if delta > 0 else f"NO: peer lower (d {delta:+.1e})"


def slaw_internal(params):
    """Epoch's parameter vector (a, b, e, alpha, beta) from natural values."""
    E, A, B, alpha, beta = params
    return np.array([np.log(A), np.log(B), np.log(E), alpha, beta])


def artifact_params(fit):
    p = fit["params"]
    return [p[k]["value"] for k in ("E", "A", "B", "alpha", "beta")]


# ---------------------------------------------------------------- the table


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


class Table:
    HEAD = ("row", "slaw", "peer", "peer/slaw", "cpu p/s", "goal", "met",
            "same optimum (d = (peer-slaw)/slaw)")

    def __init__(self):
        self.rows, self.notes = [], []

    def timed(self, name, slaw, peer, goal=None, same="-", peer_mark=""):
        """A row of times: slaw and peer are (wall, cpu); goal a minimum
        wall-clock ratio or None."""
        r = peer[0] / slaw[0]
        self.rows.append((name, seconds(slaw[0]), seconds(peer[0]) + peer_mark, times(r),
                          times(peer[1] / slaw[1]), f">= {goal}x" if goal else "-",
                          ("yes" if r >= goal else "NO") if goal else "-", same))
        return r

    def raw(self, *cells):
        self.rows.append(cells)

    def note(self, text):
        self.notes.append(text)

    def print(self, header):
        rows = [self.HEAD] + self.rows
        w = [max(len(r[i]) for r in rows) for i in range(len(self.HEAD) - 1)]
        print(header)
        print()
        for k, r in enumerate(rows):
            cells = [r[0].ljust(w[0])] + [r[i].rjust(w[i]) for i in range(1, 5)] + \
                    [r[5].ljust(w[5]), r[6].ljust(w[6]), r[7]]
            print("  ".join(cells).rstrip())
            if k == 0:
                print("  ".join("-" * x for x in w) + "  " + "-" * len(self.HEAD[-1]))
        print()
        for n in self.notes:
            print(textwrap.fill(n, 100, subsequent_indent="  "))


# ------------------------------------------------------------------ benches


def bench_chinchilla(a, t):
    data = os.path.join(a.root, CHINCHILLA)
    base = [a.slaw, "fit", data] + EPOCH_ARGS + ["-q", "--format", "json"]
    log("chinchilla grid: slaw, default polishing (5 runs)")
    s_def = median_run(base, 5)
    log("chinchilla grid: slaw, --polish all (3 runs)")
    s_all = median_run(base + ["--polish", "all"], 3)
    log("chinchilla grid: slaw, --threads 1")
    s_def1 = median_run(base + ["--threads", "1"], 5)
    s_all1 = median_run(base + ["--polish", "all", "--threads", "1"], 1)
    fit_def = json.loads(s_def["out"])["fits"][0]
    fit_all = json.loads(s_all["out"])["fits"][0]

    N, D, L = peers.read_chinchilla(data)
    starts = peers.epoch_grid()
    stride = int(os.environ.get("BENCH_GRID_STRIDE", "7"))
    subset = starts[::stride]
    log(f"chinchilla grid: scipy L-BFGS-B from {len(subset)} of {len(starts)} starts")
    with Clock() as c:
        best, nfev = peers.epoch_grid_fit(N, D, L, subset)
    scale = len(starts) / len(subset)
    peer = (c.wall * scale, c.cpu * scale)
    mark = " [est]" if len(subset) < len(starts) else ""
    refined = peers.refine(N, D, L, best.x)

    o_def = peers.epoch_objective(slaw_internal(artifact_params(fit_def)), N, D, L)
    o_all = peers.epoch_objective(slaw_internal(artifact_params(fit_all)), N, D, L)
    t.timed("chinchilla grid (4500 starts), default polishing", (s_def["wall"], s_def["cpu"]), peer,
            1000, verdict(rel(best.fun, o_def)), mark)
    t.timed("chinchilla grid, --polish all", (s_all["wall"], s_all["cpu"]), peer, 30,
            verdict(rel(best.fun, o_all)), mark)
    t.timed("  same, on 1 core like scipy: default, --threads 1", (s_def1["wall"], s_def1["cpu"]),
            peer, peer_mark=mark)
    t.timed("  same, on 1 core like scipy: --polish all --threads 1", (s_all1["wall"], s_all1["cpu"]),
            peer, peer_mark=mark)
    t.note(f"chinchilla grid: Epoch's procedure on {len(N)} runs.  scipy ran L-BFGS-B (defaults, "
           f"numerical gradient) from every {stride}th start, {len(subset)} of {len(starts)}: "
           f"{c.wall:.1f} s, {c.wall / len(subset) * 1e3:.1f} ms and {nfev / len(subset):.0f} "
           f"objective evaluations per start; [est] = its times scaled to 4500 starts.  Its best "
           f"objective {best.fun:.13g}; slaw's (by the same scipy function) {o_def:.13g} "
           f"(default), {o_all:.13g} (--polish all); slaw reports {fit_def['objective']:.13g}.  "
           f"Epoch's published best: 0.0010182740346.  scipy refined from its best with "
           f"ftol=1e-15, gtol=1e-12: {refined.fun:.13g} (d {rel(refined.fun, o_def):+.1e}).  "
           f"slaw times are whole processes (start-up, CSV, JSON output); scipy's are in-process, "
           f"on one core; slaw uses all {os.cpu_count()} unless --threads 1.")
    return {"def": s_def, "all": s_all, "x_scipy": best.x, "N": N, "D": D, "L": L}


def bench_single(a, t):
    path = os.path.join(a.tmp, "saturating250.csv")
    run([a.slaw, "simulate", "--law", "saturating", "--params", "E=1.8,A=380,alpha=0.32",
         "--n", "1e7:1e10:250", "--noise", "0.01", "--seed", "1", "--out", path])
    secs = os.environ.get("BENCH_SECONDS", "3")
    p0 = peers.SATURATING_P0
    one = f"grid=E={p0[0]:g},A={p0[1]:g},alpha={p0[2]:g}"
    log("single fit: slaw (repetition harness, 4 settings)")

    def harness(*extra):
        return json.loads(run([a.harness, path, "law=saturating", f"min_seconds={secs}", *extra])["out"])

    h_def, h_one = harness(), harness(one)
    h_def1, h_one1 = harness("threads=1"), harness(one, "threads=1")

    log("single fit: scipy curve_fit")
    x, y = peers.read_xy(path)
    peers.curve_fit_saturating(x, y)  # a warm-up, as the harness has
    reps = 0
    with Clock() as c:
        while time.perf_counter() - c.w0 < float(secs):
            p = peers.curve_fit_saturating(x, y)
            reps += 1
    peer = (c.wall / reps, c.cpu / reps)
    o_cf = peers.saturating_objective(p, x, y)

    def row(name, h, goal=None):
        q = h["params"]
        o = peers.saturating_objective((q["E"], q["A"], q["alpha"]), x, y)
        t.timed(name, (h["seconds_per_fit"], h["cpu_seconds_per_fit"]), peer, goal, verdict(rel(o_cf, o)))

    row(f"single fit: saturating, 250 runs (slaw: {h_def['starts']}-start grid)", h_def, 10)
    row(f"  same, slaw from curve_fit's one start (--grid {one[5:]})", h_one)
    row("  same, on 1 core like scipy: default, --threads 1", h_def1)
    row("  same, on 1 core like scipy: one start, --threads 1", h_one1)
    t.note(f"single fit: runs from `slaw simulate --law saturating --params E=1.8,A=380,alpha=0.32 "
           f"--n 1e7:1e10:250 --noise 0.01 --seed 1`.  Both sides minimise the sum of squared log "
           f"residuals: slaw's default (log space, l2); curve_fit (method lm, numerical Jacobian) "
           f"given the model ln(E + A x^-alpha) and ln y, from p0 = E=1, A=100, alpha=0.3.  Per-fit "
           f"time in one process, no start-up: slaw {h_def['reps']}, {h_one['reps']}, "
           f"{h_def1['reps']} and {h_one1['reps']} fits (tests/bench/repeat_fit.c; all cores "
           f"unless --threads 1), curve_fit {reps} fits.")


def bench_bootstrap(a, t, ch):
    data = os.path.join(a.root, CHINCHILLA)
    cmd = [a.slaw, "fit", data] + EPOCH_ARGS + ["-q", "--format", "json", "--bootstrap", "1000", "--seed", "1"]
    log("bootstrap: slaw, 1000 resamples (3 runs)")
    s = median_run(cmd, 3)
    fit = json.loads(s["out"])["fits"][0]
    slaw = (s["wall"] - ch["def"]["wall"], s["cpu"] - ch["def"]["cpu"])
    samples = fit["bootstrap"]["samples"]
    count = int(os.environ.get("BENCH_BOOT", "1000"))
    log(f"bootstrap: scipy, {count} warm-started L-BFGS-B refits of slaw's resamples")
    N, D, L = ch["N"], ch["D"], ch["L"]
    fits, wall, cpu = peers.bootstrap(N, D, L, ch["x_scipy"], 1, count)
    peer = (wall * 1000 / count, cpu * 1000 / count)

    def deltas(results):
        return np.array([rel(r.fun, peers.epoch_objective(slaw_internal(smp), N[idx], D[idx], L[idx]))
                         for (idx, r), smp in zip(results, samples)])

    d = deltas(fits)
    same = f"same {int(np.sum(np.abs(d) <= SAME))}/{len(d)}, slaw lower {int(np.sum(d > SAME))}, " \
           f"peer lower {int(np.sum(d < -SAME))} (median d {np.median(d):+.1e})"
    t.timed("bootstrap: 1000 resamples of the chinchilla fit", slaw, peer, 100, same,
            " [est]" if count != 1000 else "")
    # How far scipy gets with tight tolerances, on a few resamples.
    k = min(50, count)
    tight, tw, _ = peers.bootstrap(N, D, L, ch["x_scipy"], 1, k,
                                   options={"ftol": 1e-15, "gtol": 1e-12, "maxiter": 20000})
    dt = deltas(tight)
    t.note(f"bootstrap: slaw = `slaw fit ... --grid epoch --bootstrap 1000 --seed 1` minus the same "
           f"fit without --bootstrap ({seconds(s['wall'])} - {seconds(ch['def']['wall'])} wall), "
           f"all cores.  scipy refits exactly slaw's resamples (GSL's MT19937 stream reproduced) "
           f"with L-BFGS-B from its grid optimum, defaults: {wall / count * 1e3:.1f} ms per "
           f"resample over {count}{'' if count == 1000 else ', scaled to 1000'}; its default "
           f"tolerances stop near the warm start.  With ftol=1e-15, gtol=1e-12 (first {k} "
           f"resamples) scipy takes {tw / k * 1e3:.0f} ms per resample and reaches slaw's optimum "
           f"in {int(np.sum(np.abs(dt) <= SAME))}/{k} (median d {np.median(dt):+.1e}, slaw lower "
           f"in {int(np.sum(dt > SAME))}).")


def bench_slaw_alone(a, t, ch):
    """The goals set on slaw's own wall time (no peer): the reproduction fit
    and a 4000-resample bootstrap, whole processes."""
    data = os.path.join(a.root, CHINCHILLA)
    cmd = [a.slaw, "fit", data] + EPOCH_ARGS + ["-q", "--format", "json", "--bootstrap", "4000",
                                                "--seed", "42"]
    log("slaw alone: bootstrap, 4000 resamples (3 runs)")
    b = median_run(cmd, 3)

    def row(name, wall, limit):
        t.raw(name, seconds(wall), "-", "-", "-", f"slaw <= {seconds(limit)}",
              "yes" if wall <= limit else "NO", "-")

    row("slaw alone: chinchilla grid, default polishing", ch["def"]["wall"], 0.1)
    row("slaw alone: chinchilla grid, --polish all", ch["all"]["wall"], 5)
    row("slaw alone: chinchilla fit + bootstrap 4000 (--seed 42)", b["wall"], 2)
    t.note("slaw alone: the same whole processes as the chinchilla rows (medians of 5 and 3 "
           "runs), and `slaw fit ... --grid epoch --bootstrap 4000 --seed 42` (median of 3), "
           "all cores.")


def bench_joint(a, t):
    """A joint fit of 3 groups x 100 runs with the Epoch-style grid against
    the fit of one group of 100 runs: the grid is screened per shared tuple,
    so the joint fit should cost a few single fits, not the grid's power."""
    joint = os.path.join(a.tmp, "joint3x100.csv")
    one = os.path.join(a.tmp, "one100.csv")
    params = "E=1.69,A=406.4,B=410.7,alpha=0.34,beta=0.28"
    sizes = ["--n", "1e7:1e10:10", "--d", "1e9:1e12:10", "--noise", "0.01", "--seed", "3"]
    run([a.slaw, "simulate", "--law", "chinchilla", "--params", params, *sizes,
         "--groups", "g0;g1:E=1.5,A=300;g2:E=1.8,B=380", "--out", joint])
    run([a.slaw, "simulate", "--law", "chinchilla", "--params", params, *sizes, "--out", one])
    args = ["--law", "chinchilla", "--grid", "epoch", "-q", "--format", "json"]
    log("joint: 3 groups x 100 runs, --shared alpha,beta, epoch grid (5 runs)")
    j = median_run([a.slaw, "fit", joint, "--by", "group", "--shared", "alpha,beta", *args], 5)
    log("joint: one group of 100 runs, epoch grid (5 runs)")
    s = median_run([a.slaw, "fit", one, *args], 5)
    ratio = j["wall"] / s["wall"]
    t.raw("joint fit 3 groups x 100 runs, epoch grid (peer column: one group's fit)",
          seconds(j["wall"]), seconds(s["wall"]), times(s["wall"] / j["wall"]),
          times(s["cpu"] / j["cpu"]), "joint <= 5x one group", "yes" if ratio <= 5 else "NO", "-")
    t.note(f"joint: `slaw fit joint.csv --law chinchilla --by group --shared alpha,beta --grid "
           f"epoch` on 3 groups of 10 x 10 runs (`slaw simulate --groups`) took {ratio:.2f}x the "
           f"fit of one group of 100 runs with the same grid (medians of 5 whole processes).")


def bench_load(a, t):
    path = os.path.join(a.tmp, "runs1m.csv")
    log("loading: generating a 1,000,000-run CSV")
    run([a.slaw, "simulate", "--law", "chinchilla", "--params",
         "E=1.69,A=406.4,B=410.7,alpha=0.34,beta=0.28", "--n", "1e7:1e10:1000",
         "--d", "1e9:1e12:1000", "--noise", "0.01", "--seed", "7", "--out", path])
    size = os.path.getsize(path)
    log("loading: slaw inspect (3 runs)")
    s = median_run([a.slaw, "inspect", path, "--format", "json"], 3)
    summary = json.loads(s["out"])
    log("loading: numpy.loadtxt (2 runs)")
    n = median_run([PY, PEERS, "load-numpy", path], 2)
    log("loading: python csv module (1 run)")
    c = median_run([PY, PEERS, "load-csv", path], 1)

    def agrees(p):
        p = json.loads(p["out"])
        ok = summary["runs"]["kept"] == p["runs"] and summary["duplicate_nd"] == p["duplicate_nd"]
        for role, col in {"N": "N", "D": "D", "C": "C", "L": "loss"}.items():
            # slaw counts distinct values of N and D only (C and L are continuous).
            for k in ("min", "max", "distinct"):
                if k in summary["roles"][role]:
                    ok &= summary["roles"][role][k] == p[col][k]
        return "same summary" if ok else "SUMMARIES DIFFER"

    r = t.timed("load 1M runs, time: slaw inspect vs numpy.loadtxt", (s["wall"], s["cpu"]),
                (n["wall"], n["cpu"]), same=agrees(n))
    t.rows[-1] = t.rows[-1][:5] + ("slaw <= 1 s", "yes" if s["wall"] <= 1 else "NO", t.rows[-1][7])
    t.timed("load 1M runs, time: slaw inspect vs csv module", (s["wall"], s["cpu"]),
            (c["wall"], c["cpu"]), same=agrees(c))
    t.raw("load 1M runs, peak RSS: slaw inspect vs numpy.loadtxt", mb(s["rss"]), mb(n["rss"]),
          times(n["rss"] / s["rss"]), "-", "slaw <= 200 MB", "yes" if s["rss"] <= 200 * 1024 else "NO", "-")
    t.raw("load 1M runs, peak RSS: slaw inspect vs csv module", mb(s["rss"]), mb(c["rss"]),
          times(c["rss"] / s["rss"]), "-", "-", "-", "-")
    t.note(f"loading: a {size / 1e6:.0f} MB CSV (N, D, C, loss; `slaw simulate --law chinchilla ... "
           f"--n 1e7:1e10:1000 --d 1e9:1e12:1000`).  Whole processes, each reading the file and "
           f"computing what `slaw inspect` reports (per column min and max, distinct values of N and D; repeated "
           f"(N, D) pairs).  Peak RSS: each process's ru_maxrss from wait4 (what /usr/bin/time "
           f"-f %M reports), the interpreter and numpy included.")
    return r


def bench_startup(a, t):
    log("start-up: slaw --version vs python imports (20 / 10 runs)")
    v = median_run([a.slaw, "--version"], 20)
    i = median_run([PY, PEERS, "imports"], 10)
    t.timed("start-up: slaw --version vs python3 importing numpy, scipy.optimize",
            (v["wall"], v["cpu"]), (i["wall"], i["cpu"]))
    path = os.path.join(a.tmp, "saturating10.csv")
    run([a.slaw, "simulate", "--law", "saturating", "--params", "E=1.8,A=380,alpha=0.32",
         "--n", "1e7:1e10:10", "--noise", "0.01", "--seed", "2", "--out", path])
    log("start-up: a fit of 10 runs, whole process (20 / 10 runs)")
    f = median_run([a.slaw, "fit", path, "--law", "saturating", "-q", "--format", "json"], 20)
    p = median_run([PY, PEERS, "fit10", path], 10)
    q = json.loads(f["out"])["fits"][0]["params"]
    x, y = peers.read_xy(path)
    o_s = peers.saturating_objective((q["E"]["value"], q["A"]["value"], q["alpha"]["value"]), x, y)
    t.timed("start-up: fit of 10 runs, whole process (slaw fit vs curve_fit script)",
            (f["wall"], f["cpu"]), (p["wall"], p["cpu"]), same=verdict(rel(json.loads(p["out"])["objective"], o_s)))
    t.note("start-up: median wall time of whole processes started from Python's subprocess; the "
           "curve_fit script imports numpy and scipy.optimize, reads the CSV and fits as in the "
           "single-fit row; slaw fits with its default 630-start grid (on one thread: "
           "630 starts x 10 runs is too little work to share).")


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
    bench_slaw_alone(a, t, ch)
    bench_joint(a, t)
    bench_load(a, t)
    bench_startup(a, t)
    load1 = os.getloadavg()

    cpu = "unknown"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    version = run([a.slaw, "--version"])["out"].strip()
    commit = subprocess.run(["git", "-C", a.root, "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip() or "unknown"
    if subprocess.run(["git", "-C", a.root, "status", "--porcelain", "--untracked-files=no"],
                      capture_output=True, text=True).stdout.strip():
        commit += " with uncommitted changes"
    header = (f"slaw benchmark, {datetime.datetime.now().strftime('%Y-%m-%d %H:%M')}: {version} "
              f"(Release, commit {commit}) vs scipy {scipy.__version__}, numpy {np.__version__}, "
              f"Python {platform.python_version()}\n"
              f"machine: {os.cpu_count()} cores (nproc), {cpu}; load average "
              f"{load0[0]:.2f} at start, {load1[0]:.2f} at end (above 0 = other processes running)")
    t.note(f"bench took {time.perf_counter() - started:.0f} s.  peer/slaw: wall-clock ratio, > 1 "
           f"when slaw is faster; cpu p/s: the same ratio of CPU time (user + system, all "
           f"threads); goals are judged on wall clock.  Same optimum: both sides' parameters "
           f"evaluated by one scipy/numpy objective, 'yes' when within {SAME:g} relative.")
    t.print(header)


if __name__ == "__main__":
    main()
