"""noise.py — what this machine does to a fit's time, the five effects that
shaped how bench.py times its in-process rows (docs/performance.md,
"In-process rows").  Started by `tests/bench/run --noise`, which builds the
harness and hands over the same paths as to bench.py:

    /usr/bin/python3 noise.py --slaw PATH --harness PATH --tmp DIR [--busy K]

1. fresh: a fit of 10 runs timed as the first timed fit of a fresh process
   (after 20 untimed ones), 15 processes, against 15 fits asked of one
   long-lived process, with K busy processes beside them (--busy, default 3).
2. processors: two long-lived processes with the same settings asked in turn,
   5 rounds of 15 fits each, first free to run anywhere, then both on one
   processor: each round's two medians.
3. idle: two long-lived processes asked in turn, this one spinning G ms
   before each request (as the bench's Python does while scipy fits), one
   timing each fit after one untimed fit, the other after 1 ms of them.
4. shared: this process and two long-lived ones on one processor, as the
   single-fit rows run, with and without the yield before each timed fit:
   wall clock against CPU time.
5. clocks: what a read of the monotonic clock and of the process's CPU
   clock costs in the harness, and an empty timed window with the CPU
   clock read inside the wall clock's window and outside it (the harness's
   order); in nanoseconds.

Each line is medians in microseconds (wall clock unless said).
"""
import argparse
import contextlib
import json
import os
import statistics
import subprocess
import time
import types

import bench

SETTLE = 0.001  # bench.py's default BENCH_SETTLE, where an experiment does not vary it


def server(a, path, settle=SETTLE, *extra):
    """bench.py's long-lived harness on the saturating law, past 20 untimed fits."""
    knobs = types.SimpleNamespace(warmups=20, settle=settle)
    return bench.Harness(a, knobs, path, "law=saturating", *extra)


def fit(h):
    """One timed fit's wall and CPU microseconds."""
    return tuple(t * 1e6 for t in h.sample())


def fresh_fit(a, path):
    out = subprocess.run([a.harness, path, "law=saturating", "min_seconds=1e-9", "max_reps=1",
                          "warmups=20"], capture_output=True, text=True, check=True).stdout
    return json.loads(out)["seconds_per_fit"] * 1e6


def simulate(a, n):
    path = os.path.join(a.tmp, f"saturating{n}.csv")
    subprocess.run([a.slaw, "simulate", "--law", "saturating", "--params",
                    "E=1.8,A=380,alpha=0.32", "--n", f"1e7:1e10:{n}", "--noise", "0.01", "--seed",
                    "1", "--out", path], check=True, capture_output=True)
    return path


def fresh(a):
    path = simulate(a, 10)
    busy = [subprocess.Popen(["sh", "-c", "while :; do :; done"]) for _ in range(a.busy)]
    try:
        time.sleep(1)
        s = server(a, path)
        kept = statistics.median(fit(s)[0] for _ in range(15))
        s.close()
        new = statistics.median(fresh_fit(a, path) for _ in range(15))
    finally:
        for p in busy:
            p.kill()
            p.wait()
    print(f"fresh, {a.busy} busy processes, 10 runs: a fresh process a fit {new:.1f}, "
          f"one long-lived process {kept:.1f}")


def processors(a):
    path = simulate(a, 250)
    for pinned in (False, True):
        with bench.one_processor() if pinned else contextlib.nullcontext():
            pair = [server(a, path) for _ in range(2)]
        rounds = []
        for _ in range(5):
            times = [[], []]
            for j in range(15):
                for i in ((0, 1) if j % 2 == 0 else (1, 0)):
                    times[i].append(fit(pair[i])[0])
            rounds.append("/".join(f"{statistics.median(t):.1f}" for t in times))
        for s in pair:
            s.close()
        where = f"both on processor {min(os.sched_getaffinity(0))}" if pinned else "anywhere"
        print(f"processors, 250 runs, {where}: {' '.join(rounds)}")


def idle(a):
    path = simulate(a, 250)
    settles = (0, 0.001)
    servers = [server(a, path, settle) for settle in settles]
    line = []
    for gap in (0, 0.001, 0.01):
        times = [[] for _ in servers]
        for j in range(60):
            t0 = time.perf_counter()
            while time.perf_counter() - t0 < gap:
                pass
            times[j % 2].append(fit(servers[j % 2])[0])
        line.append(f"{gap * 1e3:g} ms: " + "/".join(f"{statistics.median(t):.1f}" for t in times))
    for s in servers:
        s.close()
    print(f"idle, 250 runs, settle {'/'.join(f'{x * 1e3:g}' for x in settles)} ms, spinning "
          f"before each request: {', '.join(line)}")


def shared(a):
    path = simulate(a, 250)
    with bench.one_processor():
        cpu = min(os.sched_getaffinity(0))
        for yields in (0, 1):
            pair = [server(a, path, SETTLE, f"yield={yields}") for _ in range(2)]
            wall, used = [], []
            for _ in range(30):
                for s in pair:
                    w, c = fit(s)
                    wall.append(w)
                    used.append(c)
            for s in pair:
                s.close()
            print(f"shared, 250 runs, this process and two harnesses on processor {cpu}, "
                  f"yield={yields}: wall {statistics.median(wall):.1f}, "
                  f"CPU {statistics.median(used):.1f}")


def clocks(a):
    out = subprocess.run([a.harness, "-", "clocks=1"], capture_output=True, text=True,
                         check=True).stdout
    c = json.loads(out)
    print(f"clocks, ns: a read of the monotonic clock {c['monotonic_ns']:.0f}, of the CPU clock "
          f"{c['cpu_clock_ns']:.0f}; an empty window with the CPU clock read inside it "
          f"{c['window_cpu_inside_ns']:.0f}, outside it {c['window_cpu_outside_ns']:.0f}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--slaw", required=True)
    ap.add_argument("--harness", required=True)
    ap.add_argument("--tmp", required=True)
    ap.add_argument("--busy", type=int, default=3)
    a = ap.parse_args()
    print(f"noise, {time.strftime('%Y-%m-%d %H:%M:%S')}: load average {os.getloadavg()[0]:.2f}")
    fresh(a)
    processors(a)
    idle(a)
    shared(a)
    clocks(a)


if __name__ == "__main__":
    main()
