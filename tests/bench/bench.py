"""bench.py — slaw side by side with scipy/numpy on the same data and
objective; prints one table of ratios (docs/performance.md).

Started by tests/bench/run, which builds slaw in Release and the repetition
harness, and hands over their paths and a temporary directory:

    /usr/bin/python3 bench.py --slaw PATH --harness PATH --tmp DIR --root REPO [--quick]

A shared machine's other load moves absolute times by 2x or more from one
minute to the next, so every row is measured in rounds that interleave its
two sides (slaw then peer, peer then slaw, ...), at least 5 rounds.  Within a
round each side runs as several short batches, in turn with the other's
(A B B A A B ...), and the round's time of a side is the median of its
batches: a burst of other load that lands on one batch moves that batch, not
the round.  Each round gives one ratio peer/slaw from times taken seconds
apart; the table prints the median ratio and its range over the rounds, of
wall clock (what a user waits; the goals are judged on it) and of CPU time
(user + system, all threads), and the load average before and after the row.
A goal is "met" only when every round met it, "NOT met" when none did, and
"unclear" (with the range) otherwise.

Knobs (environment):
    BENCH_ROUNDS        rounds per row (default 5; fewer are refused)
    BENCH_BATCHES       batches per side and round, their median the round's
                        time (default 5; 1 is one long batch, as before)
    BENCH_GRID_STRIDE   each round runs scipy from every K-th of Epoch's 4500
                        starts (a different subset each round) and scales its
                        time to 4500 starts (default 35: 129 starts a round)
    BENCH_BOOT          scipy bootstrap resamples per round (default 40)
    BENCH_FITS          in-process rows (single fits, the threads rows' fits):
                        batches per side and round (default 15), each one fit
                        timed alone just after untimed ones (BENCH_SETTLE); the
                        threads rows' whole processes: processes per side and
                        round
    BENCH_WARMUPS       the fits each of slaw's harness processes makes before
                        its first timed one (default 20): the first few fits
                        of a process run 1.3 to 2 times slower (cold caches,
                        page faults), and curve_fit is timed in a Python
                        process long past its own
    BENCH_SETTLE        in-process rows: each timed fit follows untimed ones of
                        the same side for at least this many seconds (default
                        0.001): a processor just back from idle runs slower for
                        a while (a slaw fit 46 us instead of 39 after 10 ms in
                        another process, 40 us after 1 ms of untimed fits)
    BENCH_LOAD_RUNS     runs in the loading rows' CSV (default 10000000)
--quick makes every round small (a few starts, resamples, 3 batches and
100,000 runs to load) to try the bench in a few minutes; its figures are rough.
A fit of 250 runs takes less than a scheduler's time slice, so a batch of
the in-process rows is one fit: timed alone it shows what the fit costs (two
threads waiting for each other included) without the slices other processes
took in between, which made batches of repetitions spread by +-30% and more
at load 9.  A long-lived harness process (repeat_fit.c, serve=1) is asked for
one fit at a time, in turn with the other sides, so that fits taken in turn
meet the same load: this machine's speed drifts by half from one second to
the next, and its two processors drift apart.  So the single-fit rows run
every side on one processor, and the threads rows both sides in one process;
each timed fit follows untimed ones of its side (BENCH_SETTLE).  (A fresh
process a fit, as before, timed its fit near the end of its first time
slice, which under load most often ran out during the fit: with 3 busy
processes on 2 cores its median fit of 10 runs took 4 ms instead of 14 us.)
The loading rows run one batch a round (each is seconds long); the start-up
rows take the median of several processes a round instead.
"""
import argparse
import contextlib
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
THREADS_GOAL = 1 / 1.1  # --threads 2 at most 10% slower than --threads 1


def log(msg):
    print(f"  [{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


class Knobs:
    def __init__(self, quick):
        env = os.environ.get
        self.quick = quick
        self.rounds = int(env("BENCH_ROUNDS", "5"))
        if self.rounds < 5:
            sys.exit("bench: BENCH_ROUNDS must be at least 5 (a range of fewer says too little)")
        self.batches = int(env("BENCH_BATCHES", "3" if quick else "5"))
        if self.batches < 1:
            sys.exit("bench: BENCH_BATCHES must be at least 1")
        self.stride = int(env("BENCH_GRID_STRIDE", "500" if quick else "35"))
        self.boot = int(env("BENCH_BOOT", "4" if quick else "40"))
        self.fits = int(env("BENCH_FITS", "7" if quick else "15"))
        if self.fits < 1:
            sys.exit("bench: BENCH_FITS must be at least 1")
        self.warmups = int(env("BENCH_WARMUPS", "20"))
        if self.warmups < 1:
            sys.exit("bench: BENCH_WARMUPS must be at least 1")
        self.settle = float(env("BENCH_SETTLE", "0.001"))
        if not self.settle >= 0:
            sys.exit("bench: BENCH_SETTLE must be a number of seconds, 0 or more")
        self.load_runs = int(env("BENCH_LOAD_RUNS", "100000" if quick else "10000000"))


# ------------------------------------------------------------------ measuring


class Clock:
    """Wall and CPU seconds of a piece of work done in this process.  The
    CPU clock is read outside the wall clock's window, as the harness does:
    its read is a system call of about a microsecond and a half here."""

    def __enter__(self):
        self.c0 = time.process_time()
        self.w0 = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self.w0
        self.cpu = time.process_time() - self.c0


def run(cmd, rss=False):
    """Runs cmd; returns {wall, cpu, out, rss}: seconds, CPU seconds (user +
    system), stdout, and with rss=True the peak RSS in kB.  The peak comes
    from GNU time (/usr/bin/time -f %M), a small process that forks the
    command: a child forked from this Python process would report Python's
    own peak (tens of MB with numpy) when its own is lower, since Linux
    carries the peak across exec."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err, \
            tempfile.NamedTemporaryFile("r") as peak:
        if rss:
            cmd = ["/usr/bin/time", "-f", "%M", "-o", peak.name] + cmd
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
                "rss": int(peak.read().split()[-1]) if rss else None}


def median_run(cmd, times):
    """Medians of wall and CPU time over `times` runs, the last stdout, the
    largest peak RSS."""
    runs = [run(cmd) for _ in range(times)]
    return {"wall": statistics.median(r["wall"] for r in runs),
            "cpu": statistics.median(r["cpu"] for r in runs),
            "out": runs[-1]["out"]}


TIMES = ("wall", "cpu")


def median_of(batches):
    """One round's result from a side's batches: the median of each time
    (wall and CPU separately; a tuple is (wall, cpu)); the rest from the
    last batch, repetitions summed."""
    if isinstance(batches[0], tuple):
        return tuple(statistics.median(b[t] for b in batches) for t in range(len(batches[0])))
    out = dict(batches[-1])
    for key in TIMES:
        if key in out:
            out[key] = statistics.median(b[key] for b in batches)
    if "reps" in out:
        out["reps"] = sum(b["reps"] for b in batches)
    return out


def rounds(k, name, *sides, batches=None):
    """Runs the sides in turn, round after round; within a round each side
    runs `batches` times (default k.batches), in turn with the others (A B,
    B A, A B ...), and its round's result is the median of its batches
    (median_of).  A side is called with the batch's number, round * batches +
    batch, counted from 0 over the row.  Returns one list per side of its
    result in each round, and the load average (1 minute) before and after."""
    batches = k.batches if batches is None else batches
    log(f"{name}: {k.rounds} rounds of {batches} batch{'es' if batches > 1 else ''}")
    load0 = os.getloadavg()[0]
    out = [[] for _ in sides]
    for r in range(k.rounds):
        got = [[] for _ in sides]
        for j in range(batches):
            b = r * batches + j
            # Every other batch runs the sides in reverse, so that none always goes first.
            order = range(len(sides)) if b % 2 == 0 else reversed(range(len(sides)))
            for i in order:
                got[i].append(sides[i](b))
        for i in range(len(sides)):
            out[i].append(median_of(got[i]))
    return out, (load0, os.getloadavg()[0])


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


def spread(xs, fmt=times):
    """median [min-max]"""
    return f"{fmt(statistics.median(xs))} [{fmt(min(xs))}-{fmt(max(xs))}]"


def judge(values, ok, fmt=times):
    """met when every round meets the goal, NOT met when none does, unclear
    with the range when the range straddles the goal."""
    hits = sum(1 for v in values if ok(v))
    if hits == len(values):
        return "met"
    if hits == 0:
        return "NOT met"
    return f"unclear: {fmt(min(values))}-{fmt(max(values))} ({hits}/{len(values)} rounds)"


def mb(kb):
    return f"{kb / 1024:.0f} MB"


class Table:
    HEAD = ("row", "slaw", "peer", "peer/slaw wall [min-max]", "cpu p/s [min-max]", "goal",
            "verdict", "load", "same optimum (d = (peer-slaw)/slaw)")

    def __init__(self):
        self.rows, self.notes = [], []

    def timed(self, name, slaw, peer, load, goal=None, same="-", peer_mark="", worse=False):
        """A row from paired rounds: slaw and peer are lists of (wall, cpu),
        one per round; goal a minimum wall-clock ratio or None; worse: the
        peer reached a lower objective, so no speed meets the goal.  Returns
        the wall ratios."""
        wall = [p[0] / s[0] for s, p in zip(slaw, peer)]
        cpu = [p[1] / s[1] for s, p in zip(slaw, peer)]
        if goal is None:
            v = "-"
        elif worse:
            v = "NOT met (peer lower)"
        else:
            v = judge(wall, lambda r: r >= goal)
        self.rows.append((name, seconds(statistics.median(s[0] for s in slaw)),
                          seconds(statistics.median(p[0] for p in peer)) + peer_mark,
                          spread(wall), spread(cpu), f">= {goal:.3g}x" if goal else "-", v,
                          f"{load[0]:.1f}-{load[1]:.1f}", same))
        return wall

    def limit(self, name, slaw, load, limit, fmt=seconds, peer="-", ratio="-"):
        """A row whose goal is slaw's own value (a time or a size) at most
        `limit`, judged on every round."""
        self.rows.append((name, spread(slaw, fmt), peer, ratio, "-", f"slaw <= {fmt(limit)}",
                          judge(slaw, lambda x: x <= limit, fmt), f"{load[0]:.1f}-{load[1]:.1f}", "-"))

    def raw(self, *cells):
        self.rows.append(cells)

    def note(self, text):
        self.notes.append(text)

    def print(self, header):
        rows = [self.HEAD] + self.rows
        n = len(self.HEAD)
        w = [max(len(r[i]) for r in rows) for i in range(n - 1)]
        print(header)
        print()
        for k, r in enumerate(rows):
            cells = [r[0].ljust(w[0])] + [r[i].rjust(w[i]) for i in range(1, 5)] + \
                    [r[i].ljust(w[i]) for i in range(5, n - 1)] + [r[n - 1]]
            print("  ".join(cells).rstrip())
            if k == 0:
                print("  ".join("-" * x for x in w) + "  " + "-" * len(self.HEAD[-1]))
        print()
        for n in self.notes:
            print(textwrap.fill(n, 100, subsequent_indent="  "))


def wc(r):
    return (r["wall"], r["cpu"])


# ------------------------------------------------------------------ benches


def bench_chinchilla(a, k, t):
    data = os.path.join(a.root, CHINCHILLA)
    base = [a.slaw, "fit", data] + EPOCH_ARGS + ["-q", "--format", "json"]
    N, D, L = peers.read_chinchilla(data)
    starts = peers.epoch_grid()
    scipy = {"best": None, "nfev": 0, "starts": 0, "wall": 0.0}

    def peer(b):
        r, j = divmod(b, k.batches)
        subset = starts[r % k.stride::k.stride][j::k.batches] or starts[r % k.stride::k.stride][:1]
        with Clock() as c:
            best, nfev = peers.epoch_grid_fit(N, D, L, subset)
        if scipy["best"] is None or best.fun < scipy["best"].fun:
            scipy["best"] = best
        scipy["nfev"] += nfev
        scipy["starts"] += len(subset)
        scipy["wall"] += c.wall
        scale = len(starts) / len(subset)
        return (c.wall * scale, c.cpu * scale)

    (s_def, s_all, s_def1, s_all1, p), load = rounds(
        k, "chinchilla grid: slaw default, --polish all, both on 1 thread; scipy",
        lambda r: run(base), lambda r: run(base + ["--polish", "all"]),
        lambda r: run(base + ["--threads", "1"]),
        lambda r: run(base + ["--polish", "all", "--threads", "1"]), peer)
    best = scipy["best"]
    fit_def = json.loads(s_def[-1]["out"])["fits"][0]
    fit_all = json.loads(s_all[-1]["out"])["fits"][0]
    refined = peers.refine(N, D, L, best.x)
    o_def = peers.epoch_objective(slaw_internal(artifact_params(fit_def)), N, D, L)
    o_all = peers.epoch_objective(slaw_internal(artifact_params(fit_all)), N, D, L)
    d_def, d_all = rel(best.fun, o_def), rel(best.fun, o_all)
    t.timed("chinchilla grid (4500 starts), default polishing", [wc(x) for x in s_def], p, load,
            1000, verdict(d_def), " [est]", worse=d_def < -SAME)
    t.timed("chinchilla grid, --polish all", [wc(x) for x in s_all], p, load, 30, verdict(d_all),
            " [est]", worse=d_all < -SAME)
    t.timed("  same, on 1 core like scipy: default, --threads 1", [wc(x) for x in s_def1], p, load,
            peer_mark=" [est]")
    t.timed("  same, on 1 core like scipy: --polish all --threads 1", [wc(x) for x in s_all1], p,
            load, peer_mark=" [est]")
    t.note(f"chinchilla grid: Epoch's procedure on {len(N)} runs.  scipy ran L-BFGS-B (defaults, "
           f"numerical gradient) from every {k.stride}th start, a different subset each round "
           f"(split over its batches), "
           f"{scipy['starts']} of {len(starts)} in all: {scipy['wall'] / scipy['starts'] * 1e3:.1f} "
           f"ms and {scipy['nfev'] / scipy['starts']:.0f} objective evaluations per start; [est] = "
           f"its times scaled to 4500 starts.  Its best objective {best.fun:.13g}; slaw's (by the "
           f"same scipy function) {o_def:.13g} (default), {o_all:.13g} (--polish all); slaw "
           f"reports {fit_def['objective']:.13g}.  Epoch's published best: 0.0010182740346.  "
           f"scipy refined from its best with ftol=1e-15, gtol=1e-12: {refined.fun:.13g} (d "
           f"{rel(refined.fun, o_def):+.1e}).  slaw times are whole processes (start-up, CSV, JSON "
           f"output); scipy's are in-process, on one core; slaw uses all {os.cpu_count()} unless "
           f"--threads 1.")
    return {"def": s_def, "x_scipy": best.x, "N": N, "D": D, "L": L}


def settle(k, work):
    """Does work at least once and until k.settle seconds have passed."""
    start = time.perf_counter()
    work()
    while time.perf_counter() - start < k.settle:
        work()


class Harness:
    """A long-lived repeat_fit process (serve=1), past k.warmups untimed
    fits, that times one fit each time it is asked (after untimed ones for
    k.settle seconds): a side of an in-process row, asked in turn with the
    other sides, so that both meet the same load from one fit to the next."""

    def __init__(self, a, k, path, *extra):
        self.cmd = [a.harness, path, "serve=1", f"warmups={k.warmups}", f"settle={k.settle}",
                    *extra]
        self.err = tempfile.TemporaryFile("w+")
        self.p = subprocess.Popen(self.cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=self.err, text=True, bufsize=1)
        self.last = {}

    def sample(self, line=""):
        """One fit's (wall, cpu) seconds; line "threads=T" sets its threads.
        Its fit (params, starts, ...) is kept in last[line]."""
        try:
            self.p.stdin.write(line + "\n")
            self.p.stdin.flush()
            fit = json.loads(self.p.stdout.readline())
        except (BrokenPipeError, ValueError):
            self.p.kill()
            self.fail()
        self.last[line] = fit
        return (fit["seconds_per_fit"], fit["cpu_seconds_per_fit"])

    def fail(self):
        self.p.wait()
        self.err.seek(0)
        sys.exit(f"bench: {' '.join(self.cmd)} failed:\n{self.err.read()}")

    def close(self):
        """Ends the process; the bench stops if it did not exit with 0."""
        self.p.stdin.close()
        if self.p.wait() != 0:
            self.fail()
        self.err.close()


@contextlib.contextmanager
def one_processor():
    """This process, and those it starts meanwhile, on one processor: this
    machine's two drift apart in speed (the same fit 38 us on one and 58 on
    the other, for seconds at a time), so two sides timed on different ones
    differ by that much; on one they agree within 2.5% round after round."""
    allowed = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(allowed)})
    try:
        yield
    finally:
        os.sched_setaffinity(0, allowed)


# The single-fit benches: a law, how its runs are simulated, curve_fit's
# model and start, and slaw's settings (name, harness arguments, goal).
SINGLE = {
    "saturating": {
        "params": "E=1.8,A=380,alpha=0.32", "sizes": ["--n", "1e7:1e10:250"],
        "names": ("E", "A", "alpha"), "p0": peers.SATURATING_P0, "read": peers.read_xy,
        "fit": peers.curve_fit_saturating, "objective": peers.saturating_objective,
        "model": "ln(E + A x^-alpha)", "runs": "250 runs",
    },
    "chinchilla": {
        "params": "E=1.69,A=406.4,B=410.7,alpha=0.34,beta=0.28",
        "sizes": ["--n", "1e7:1e10:25", "--d", "1e9:1e11:10"],
        "names": ("E", "A", "B", "alpha", "beta"), "p0": peers.CHINCHILLA_P0,
        "read": lambda path: (lambda N, D, y: (np.stack([N, D]), y))(*peers.read_nd(path)),
        "fit": peers.curve_fit_chinchilla, "objective": peers.chinchilla_objective,
        "model": "ln(E + A N^-alpha + B D^-beta)", "runs": "25 N x 10 D = 250 runs",
    },
}


def bench_single_law(a, k, t, law):
    """One fit of 250 simulated runs in one process: slaw's default search
    and slaw from curve_fit's single start, against curve_fit from that
    start, all on one processor (one_processor)."""
    spec = SINGLE[law]
    path = os.path.join(a.tmp, f"{law}250.csv")
    simulate = ["--law", law, "--params", spec["params"], *spec["sizes"], "--noise", "0.01",
                "--seed", "1"]
    run([a.slaw, "simulate", *simulate, "--out", path])
    one = "grid=" + ",".join(f"{n}={v:g}" for n, v in zip(spec["names"], spec["p0"]))
    x, y = spec["read"](path)
    cf = {"reps": 0}

    def peer(b):
        settle(k, lambda: spec["fit"](x, y))  # as the harness does
        os.sched_yield()
        with Clock() as c:
            cf["p"] = spec["fit"](x, y)
        cf["reps"] += 1
        return (c.wall, c.cpu)

    settings = [("default", [], 10), ("one", [one], 3)]
    with one_processor():
        servers = [Harness(a, k, path, f"law={law}", *extra) for _, extra, _ in settings]
        out, load = rounds(k, f"single fit: {law}, slaw ({len(settings)} settings) and curve_fit",
                           *(lambda b, h=h: h.sample() for h in servers), peer, batches=k.fits)
        for h in servers:
            h.close()
    *hs, p = out
    last = [h.last[""] for h in servers]
    o_cf = spec["objective"](cf["p"], x, y)
    names = {
        "default": f"single fit: {law}, 250 runs (slaw: {last[0]['starts']} projected starts)",
        "one": f"  same, slaw from curve_fit's one start (--grid {one[5:]})",
    }
    for (key, _, goal), h, f in zip(settings, hs, last):
        q = f["params"]
        d = rel(o_cf, spec["objective"](tuple(q[n] for n in spec["names"]), x, y))
        t.timed(names[key], h, p, load, goal, verdict(d), worse=d < -SAME)
    p0 = ", ".join(f"{n}={v:g}" for n, v in zip(spec["names"], spec["p0"]))
    t.note(f"single fit, {law}: runs from `slaw simulate {' '.join(simulate)}` ({spec['runs']}).  "
           f"Both sides minimise the sum of squared log residuals: slaw's default (log space, l2); "
           f"curve_fit (method lm, numerical Jacobian) given the model {spec['model']} and ln y, "
           f"from p0 = {p0}.  Per-fit time in one process, no start-up, every side on the same "
           f"one processor (so slaw on one thread, as scipy): {k.fits} fits per side and round, "
           f"each timed alone just after untimed ones of its side for {k.settle * 1e3:g} ms, the "
           f"sides in turn fit by fit (slaw: a long-lived harness process per setting, "
           f"tests/bench/repeat_fit.c, past {k.warmups} untimed fits; curve_fit: in this Python "
           f"process), the round's time their median: {cf['reps']} fits a side in all.")


# A grid large enough to be shared among threads: 315 starts (the saturating
# law's E, A and alpha) x the runs, over the 50,000 evaluations under which a
# search runs on one thread.
THREADS_GRID = "e=-1:1:0.5,a=0:8:1,alpha=0.05:1.55:0.25"


@contextlib.contextmanager
def busy_processors():
    """A spinning process on every processor this one may use, for the rows
    of a loaded machine: load that is the same from run to run, unlike the
    machine's own.  Yields their number."""
    spinners = [subprocess.Popen(["sh", "-c", "while :; do :; done"])
                for _ in os.sched_getaffinity(0)]
    try:
        time.sleep(0.2)
        yield len(spinners)
    finally:
        for p in spinners:
            p.kill()
        for p in spinners:
            p.wait()


def threads_in_process(a, k, t, path, extra, row):
    """One in-process threads row: both sides in one harness, fit by fit."""
    h = Harness(a, k, path, "law=saturating", *extra)
    (two, one), load = rounds(k, f"threads: {row}, 2 vs 1", lambda b: h.sample("threads=2"),
                              lambda b: h.sample("threads=1"), batches=k.fits)
    h.close()
    same = ("identical" if h.last["threads=2"]["params"] == h.last["threads=1"]["params"]
            else "PARAMETERS DIFFER")
    t.timed(f"threads 2 vs 1: {row}", two, one, load, THREADS_GOAL, same)


def threads_whole_process(a, k, t, label):
    """The whole-process threads rows, k.fits processes a side and round: the
    goal leaves a margin of 10%, and beside spinning processes a process's
    time hangs on how its slices fall beside theirs (docs/performance.md)."""
    data = os.path.join(a.root, CHINCHILLA)
    for name, extra in (("chinchilla grid, default", []),
                        ("chinchilla bootstrap 200", ["--bootstrap", "200", "--seed", "1"])):
        base = [a.slaw, "fit", data] + EPOCH_ARGS + ["-q", "--format", "json"] + extra
        (two, one), load = rounds(k, f"threads: {name}{label}, 2 vs 1",
                                  lambda r: run(base + ["--threads", "2"]),
                                  lambda r: run(base + ["--threads", "1"]), batches=k.fits)
        same = "identical" if two[-1]["out"] == one[-1]["out"] else "OUTPUTS DIFFER"
        t.timed(f"threads 2 vs 1: {name} (whole process){label}", [wc(x) for x in two],
                [wc(x) for x in one], load, THREADS_GOAL, same)


def bench_threads(a, k, t):
    """--threads 2 against --threads 1 on the same work, from a fit of 10
    runs to a bootstrap, on the machine as it is and beside a spinning
    process on every processor: the "peer" side is --threads 1."""
    sizes = [10, 30, 100, 250, 1000] if not k.quick else [10, 250, 1000]
    paths = {}
    for n in sizes:
        paths[n] = os.path.join(a.tmp, f"saturating{n}.csv")
        run([a.slaw, "simulate", "--law", "saturating", "--params", "E=1.8,A=380,alpha=0.32",
             "--n", f"1e7:1e10:{n}", "--noise", "0.01", "--seed", "1", "--out", paths[n]])
        threads_in_process(a, k, t, paths[n], [], f"single fit, saturating, {n} runs")
    grid_sizes = [250, 1000]
    for n in grid_sizes:
        threads_in_process(a, k, t, paths[n], [f"grid={THREADS_GRID}"],
                           f"315-start grid, saturating, {n} runs")
    threads_whole_process(a, k, t, "")
    with busy_processors() as spinning:
        label = f", {spinning} spinning"
        for n in grid_sizes:
            threads_in_process(a, k, t, paths[n], [f"grid={THREADS_GRID}"],
                               f"315-start grid, saturating, {n} runs{label}")
        threads_whole_process(a, k, t, label)
    t.note(f"threads: the peer column is slaw itself with --threads 1, the slaw column --threads "
           f"2; goal: 2 threads at most 10% slower (ratio >= {THREADS_GOAL:.3g}).  Single fits "
           f"and grids are per fit, both sides in one long-lived process (repeat_fit.c, the "
           f"default search or a grid of 315 starts, {THREADS_GRID}, past {k.warmups} untimed "
           f"fits) that takes them in turn fit by fit, so that they meet the same processor: "
           f"{k.fits} fits a side and round, each timed alone just after untimed ones of its "
           f"side for {k.settle * 1e3:g} ms, their median the round's.  A default single fit "
           f"is under the work (50,000 law evaluations) below which a fit opens no parallel "
           f"region; the grids are over it.  Whole-process rows: {k.fits} processes a side and "
           f"round.  Rows marked 'N spinning' ran beside N processes "
           f"(sh -c 'while :; do :; done'), one a processor: a loaded machine, the same from "
           f"run to run.  'identical' means the parameters (or the whole JSON output) are the "
           f"same bytes.")


def bench_bootstrap(a, k, t, ch):
    data = os.path.join(a.root, CHINCHILLA)
    fit_cmd = [a.slaw, "fit", data] + EPOCH_ARGS + ["-q", "--format", "json"]
    boot_cmd = fit_cmd + ["--bootstrap", "1000", "--seed", "1"]
    N, D, L = ch["N"], ch["D"], ch["L"]
    results, spent = [], []

    per_batch = max(1, k.boot // k.batches)

    def slaw(batch):
        f, b = run(fit_cmd), run(boot_cmd)
        spent.append((b["wall"], f["wall"]))
        return {"wall": b["wall"] - f["wall"], "cpu": b["cpu"] - f["cpu"], "out": b["out"]}

    def peer(b):
        fits, wall, cpu = peers.bootstrap(N, D, L, ch["x_scipy"], 1, per_batch, first=b * per_batch)
        results.extend(fits)
        return (wall * 1000 / per_batch, cpu * 1000 / per_batch)

    (s, p), load = rounds(k, "bootstrap: slaw 1000 resamples; scipy", slaw, peer)
    samples = json.loads(s[-1]["out"])["fits"][0]["bootstrap"]["samples"]

    def deltas(fits, first=0):
        return np.array([rel(r.fun, peers.epoch_objective(slaw_internal(smp), N[idx], D[idx], L[idx]))
                         for (idx, r), smp in zip(fits, samples[first:])])

    d = deltas(results)
    same = f"same {int(np.sum(np.abs(d) <= SAME))}/{len(d)}, slaw lower {int(np.sum(d > SAME))}, " \
           f"peer lower {int(np.sum(d < -SAME))} (median d {np.median(d):+.1e})"
    t.timed("bootstrap: 1000 resamples of the chinchilla fit", [wc(x) for x in s], p, load, 100,
            same, " [est]", worse=bool(np.median(d) < -SAME))
    # How far scipy gets with tight tolerances, on a few resamples (not timed against slaw).
    m = min(10 if not k.quick else 2, len(samples))
    tight, tw, _ = peers.bootstrap(N, D, L, ch["x_scipy"], 1, m,
                                   options={"ftol": 1e-15, "gtol": 1e-12, "maxiter": 20000})
    dt = deltas(tight)
    t.note(f"bootstrap: slaw = `slaw fit ... --grid epoch --bootstrap 1000 --seed 1` minus the same "
           f"fit without --bootstrap, run just before it (last round {seconds(spent[-1][0])} - "
           f"{seconds(spent[-1][1])} wall), all cores.  scipy refits exactly slaw's resamples "
           f"(GSL's MT19937 stream reproduced) with L-BFGS-B from its grid optimum, defaults, "
           f"{per_batch} different resamples a batch, scaled to 1000: {len(d)} in all; its default "
           f"tolerances stop near the warm start.  With ftol=1e-15, gtol=1e-12 (first {m} "
           f"resamples) scipy takes {tw / m * 1e3:.0f} ms per resample and reaches slaw's optimum "
           f"in {int(np.sum(np.abs(dt) <= SAME))}/{m} (median d {np.median(dt):+.1e}, slaw lower "
           f"in {int(np.sum(dt > SAME))}).")


def bench_slaw_alone(a, k, t):
    """The goals set on slaw's own wall time (no peer), whole processes."""
    data = os.path.join(a.root, CHINCHILLA)
    base = [a.slaw, "fit", data] + EPOCH_ARGS + ["-q", "--format", "json"]
    (d, al, b), load = rounds(k, "slaw alone: default, --polish all, bootstrap 4000",
                              lambda r: run(base), lambda r: run(base + ["--polish", "all"]),
                              lambda r: run(base + ["--bootstrap", "4000", "--seed", "42"]))
    t.limit("slaw alone: chinchilla grid, default polishing", [x["wall"] for x in d], load, 0.1)
    t.limit("slaw alone: chinchilla grid, --polish all", [x["wall"] for x in al], load, 5)
    t.limit("slaw alone: chinchilla fit + bootstrap 4000 (--seed 42)", [x["wall"] for x in b], load, 2)
    t.note("slaw alone: whole processes of `slaw fit` on the Chinchilla data with --grid epoch "
           "(default, --polish all, --bootstrap 4000 --seed 42), all cores; the slaw column is "
           "median [min-max] over the rounds.")


FORMULAS = (
    # as in the papers: its parameters E, A, B are not Epoch's grid's e, a, b,
    # so it starts from the formula's default grid (4^5 points)
    ("E + A / N^alpha + B / D^beta", []),
    # the built-in law's own coordinates, which Epoch's grid names
    ("exp(e) + exp(a - alpha*log(N)) + exp(b - beta*log(D))", ["--grid", "epoch"]),
)


def bench_formula(a, k, t):
    """The chinchilla law written as a formula against the built-in law on
    Epoch's fit (issue 14): a formula is interpreted, with its gradient
    carried along, so it may cost more; the goal is within 3x, at the same
    objective to 1e-9."""
    data = os.path.join(a.root, CHINCHILLA)
    fit = [a.slaw, "fit", data, "--drop-top-loss", "5", "--loss", "huber:1e-3", "-q", "--format",
           "json"]
    builtin = fit + ["--law", "chinchilla", "--grid", "epoch"]
    sides = [lambda r, f=f, g=g: run(fit + ["--formula", f, *g]) for f, g in FORMULAS]
    (*fs, b), load = rounds(k, "formula vs built-in chinchilla", *sides, lambda r: run(builtin))
    o_b = json.loads(b[-1]["out"])["fits"][0]["objective"]
    for (formula, grid), f in zip(FORMULAS, fs):
        o_f = json.loads(f[-1]["out"])["fits"][0]["objective"]
        d = rel(o_f, o_b)
        same = f"yes (d {d:+.1e})" if abs(d) <= SAME else f"NO (d {d:+.1e})"
        t.timed(f"formula '{formula}'{' ' + ' '.join(grid) if grid else ''} vs --law chinchilla",
                [wc(x) for x in f], [wc(x) for x in b], load, 1 / 3, same)
    t.note(f"formula: `slaw fit DATA --drop-top-loss 5 --loss huber:1e-3 --formula F` for each F "
           f"above (the first from the formula's default grid: its E, A, B are not the e, a, b "
           f"that --grid epoch names) against `--law chinchilla --grid epoch` (the peer column), "
           f"whole processes, all cores; goal: peer/slaw >= 0.333x, the formula within 3x of "
           f"the built-in law's time.  Same optimum: the objectives slaw reports, d = (formula - "
           f"built-in) / built-in, 'yes' within {SAME:g}; built-in {o_b:.16g}.")


def bench_joint(a, k, t):
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
    (j, s), load = rounds(k, "joint: 3 groups x 100 runs vs one group",
                          lambda r: run([a.slaw, "fit", joint, "--by", "group", "--shared",
                                         "alpha,beta", *args]),
                          lambda r: run([a.slaw, "fit", one, *args]))
    ratio = [x["wall"] / y["wall"] for x, y in zip(j, s)]
    t.raw("joint fit 3 groups x 100 runs, epoch grid (peer column: one group's fit)",
          seconds(statistics.median(x["wall"] for x in j)),
          seconds(statistics.median(x["wall"] for x in s)),
          spread([1 / r for r in ratio]), spread([y["cpu"] / x["cpu"] for x, y in zip(j, s)]),
          "joint <= 5x one group", judge(ratio, lambda r: r <= 5), f"{load[0]:.1f}-{load[1]:.1f}", "-")
    t.note("joint: `slaw fit joint.csv --law chinchilla --by group --shared alpha,beta --grid "
           "epoch` on 3 groups of 10 x 10 runs (`slaw simulate --groups`) against the fit of one "
           "group of 100 runs with the same grid, whole processes.")


def bench_load(a, k, t):
    path = os.path.join(a.tmp, "runs.csv")
    n_d = 1000
    chunk = min(k.load_runs, 1000000)  # slaw simulate draws at most 1000 x 1000 runs
    n_n, chunks = max(1, chunk // n_d), max(1, k.load_runs // chunk)
    runs = n_n * n_d * chunks
    log(f"loading: generating a {runs:,}-run CSV")
    with open(path, "w") as out:
        for c in range(chunks):
            # Each chunk its own model sizes, so that (N, D) pairs stay distinct.
            part = run([a.slaw, "simulate", "--law", "chinchilla", "--params",
                        "E=1.69,A=406.4,B=410.7,alpha=0.34,beta=0.28",
                        "--n", f"{1e7 * (1 + c / 10):g}:1e10:{n_n}", "--d", f"1e9:1e12:{n_d}",
                        "--noise", "0.01", "--seed", str(7 + c)])["out"]
            out.write(part if c == 0 else part.split("\n", 1)[1])
    size = os.path.getsize(path)
    (s, n), load = rounds(k, f"loading {runs:,} runs: slaw inspect; numpy.loadtxt",
                          lambda r: run([a.slaw, "inspect", path, "--format", "json"], rss=True),
                          lambda r: run([PY, PEERS, "load-numpy", path], rss=True), batches=1)
    summary = json.loads(s[-1]["out"])

    def agrees(p):
        p = json.loads(p["out"])
        ok = summary["runs"]["kept"] == p["runs"] and summary["duplicate_nd"] == p["duplicate_nd"]
        for role, col in {"N": "N", "D": "D", "C": "C", "L": "loss"}.items():
            # slaw counts distinct values of N and D only (C and L are continuous).
            for key in ("min", "max", "distinct"):
                if key in summary["roles"][role]:
                    ok &= summary["roles"][role][key] == p[col][key]
        return "same summary" if ok else "SUMMARIES DIFFER"

    label = f"{runs / 1e6:g}M"
    t.timed(f"load {label} runs, time: slaw inspect vs numpy.loadtxt", [wc(x) for x in s],
            [wc(x) for x in n], load, 2, agrees(n[-1]))
    rss = [y["rss"] / x["rss"] for x, y in zip(s, n)]
    t.raw(f"load {label} runs, peak RSS: slaw inspect vs numpy.loadtxt",
          mb(statistics.median(x["rss"] for x in s)), mb(statistics.median(y["rss"] for y in n)),
          spread(rss), "-", "slaw <= numpy", judge(rss, lambda r: r >= 1),
          f"{load[0]:.1f}-{load[1]:.1f}", "-")
    t.note(f"loading: a {size / 1e6:.0f} MB CSV (N, D, C, loss; {chunks} chunk(s) of `slaw simulate "
           f"--law chinchilla ... --n LO:1e10:{n_n} --d 1e9:1e12:{n_d} --seed 7+c`, LO = 1e7 (1 + "
           f"c/10) for chunk c).  Whole processes, each reading the file and "
           f"computing what `slaw inspect` reports (per column min and max, distinct values of N "
           f"and D; repeated (N, D) pairs).  Peak RSS: each process's, from /usr/bin/time -f %M, the "
           f"interpreter and numpy included.")


def bench_startup(a, k, t):
    path = os.path.join(a.tmp, "saturating10s.csv")
    run([a.slaw, "simulate", "--law", "saturating", "--params", "E=1.8,A=380,alpha=0.32",
         "--n", "1e7:1e10:10", "--noise", "0.01", "--seed", "2", "--out", path])
    fit = [a.slaw, "fit", path, "--law", "saturating", "-q", "--format", "json"]
    (v, i, f, p), load = rounds(k, "start-up: slaw --version, python imports, fit of 10 runs",
                                lambda r: median_run([a.slaw, "--version"], 5),
                                lambda r: median_run([PY, PEERS, "imports"], 3),
                                lambda r: median_run(fit, 5),
                                lambda r: median_run([PY, PEERS, "fit10", path], 3), batches=1)
    t.timed("start-up: slaw --version vs python3 importing numpy, scipy.optimize",
            [wc(x) for x in v], [wc(x) for x in i], load)
    q = json.loads(f[-1]["out"])["fits"][0]["params"]
    x, y = peers.read_xy(path)
    o_s = peers.saturating_objective((q["E"]["value"], q["A"]["value"], q["alpha"]["value"]), x, y)
    t.timed("start-up: fit of 10 runs, whole process (slaw fit vs curve_fit script)",
            [wc(x) for x in f], [wc(x) for x in p], load,
            same=verdict(rel(json.loads(p[-1]["out"])["objective"], o_s)))
    t.note("start-up: whole processes started from Python's subprocess, median of 5 (slaw) or 3 "
           "(Python) a round; the curve_fit script imports numpy and scipy.optimize, reads the CSV "
           "and fits as in the single-fit row; slaw fits with its default search.")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--slaw", required=True)
    ap.add_argument("--harness", required=True)
    ap.add_argument("--tmp", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--only", help="comma-separated benches: chinchilla single threads bootstrap "
                                   "alone formula joint load startup")
    a = ap.parse_args()
    k = Knobs(a.quick)
    only = set(a.only.split(",")) if a.only else None

    import scipy

    load0 = os.getloadavg()
    started = time.perf_counter()
    t = Table()
    ch = None
    if not only or only & {"chinchilla", "bootstrap"}:
        ch = bench_chinchilla(a, k, t)
    for name, fn in (("single", lambda a, k, t: bench_single_law(a, k, t, "saturating")),
                     ("single", lambda a, k, t: bench_single_law(a, k, t, "chinchilla")),
                     ("threads", bench_threads),
                     ("bootstrap", lambda a, k, t: bench_bootstrap(a, k, t, ch)),
                     ("alone", bench_slaw_alone), ("formula", bench_formula),
                     ("joint", bench_joint), ("load", bench_load),
                     ("startup", bench_startup)):
        if not only or name in only:
            fn(a, k, t)
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
    header = (f"slaw benchmark{' (--quick: rough)' if k.quick else ''}, "
              f"{datetime.datetime.now().strftime('%Y-%m-%d %H:%M')}: {version} "
              f"(Release, commit {commit}) vs scipy {scipy.__version__}, numpy {np.__version__}, "
              f"Python {platform.python_version()}\n"
              f"machine: {os.cpu_count()} cores (nproc), {cpu}; load average (1, 5, 15 min) "
              f"{load0[0]:.2f} {load0[1]:.2f} {load0[2]:.2f} before, {load1[0]:.2f} {load1[1]:.2f} "
              f"{load1[2]:.2f} after; {k.rounds} interleaved rounds per row, {k.batches} batches "
              f"per side and round")
    t.note(f"bench took {time.perf_counter() - started:.0f} s.  Each row's sides ran in turn, "
           f"{k.rounds} rounds; within a round each side ran {k.batches} short batches in turn "
           f"with the other's (A B, B A, A B ...), and the round's time of a side is the median of "
           f"its batches (in-process fits: {k.fits} batches of one fit each, timed alone in a "
           f"long-lived process; the loading rows: one batch a round; start-up: the median of "
           f"several processes).  peer/slaw: the median over rounds of each round's "
           f"wall-clock ratio, > 1 when slaw is faster, [its min-max]; cpu p/s: the same of CPU "
           f"time (user + system, all threads).  verdict: 'met' when every round meets the goal, "
           f"'NOT met' when none does, 'unclear' otherwise; goals are judged on wall clock.  "
           f"load: the 1-minute load average before and after the row.  Same optimum: both "
           f"sides' parameters evaluated by one scipy/numpy objective, 'yes' when within {SAME:g} "
           f"relative.")
    t.print(header)


if __name__ == "__main__":
    main()
