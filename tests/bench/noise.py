"""noise.py — what this machine does to a fit's time, the three effects that
shaped how bench.py times its in-process rows (docs/performance.md, "How a
row is measured").  Started by `tests/bench/run --noise`, which builds the
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

Each line is medians in microseconds (wall clock unless said).
"""
import argparse
import json
import os
import statistics
import subprocess
import time

SETTLE = 0.001  # bench.py's default BENCH_SETTLE, where an experiment does not vary it


class Server:
    """A long-lived repeat_fit process (serve=1), optionally on one processor."""

    def __init__(self, a, path, settle, cpu=None, *extra):
        cmd = [a.harness, path, "law=saturating", "serve=1", "warmups=20", f"settle={settle}",
               *extra]
        if cpu is not None:
            cmd = ["taskset", "-c", str(cpu)] + cmd
        self.p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                  bufsize=1)

    def fit(self):
        """One timed fit's wall and CPU microseconds."""
        self.p.stdin.write("\n")
        self.p.stdin.flush()
        out = json.loads(self.p.stdout.readline())
        return out["seconds_per_fit"] * 1e6, out["cpu_seconds_per_fit"] * 1e6

    def close(self):
        self.p.stdin.close()
        if self.p.wait() != 0:
            raise SystemExit(f"noise: a harness exited with {self.p.returncode}")


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
        s = Server(a, path, SETTLE)
        kept = statistics.median(s.fit()[0] for _ in range(15))
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
    for cpu in (None, min(os.sched_getaffinity(0))):
        pair = [Server(a, path, SETTLE, cpu) for _ in range(2)]
        rounds = []
        for _ in range(5):
            times = [[], []]
            for j in range(15):
                for i in ((0, 1) if j % 2 == 0 else (1, 0)):
                    times[i].append(pair[i].fit()[0])
            rounds.append("/".join(f"{statistics.median(t):.1f}" for t in times))
        for s in pair:
            s.close()
        where = "anywhere" if cpu is None else f"both on processor {cpu}"
        print(f"processors, 250 runs, {where}: {' '.join(rounds)}")


def idle(a):
    path = simulate(a, 250)
    settles = (0, 0.001)
    servers = [Server(a, path, settle) for settle in settles]
    line = []
    for gap in (0, 0.001, 0.01):
        times = [[] for _ in servers]
        for j in range(60):
            t0 = time.perf_counter()
            while time.perf_counter() - t0 < gap:
                pass
            times[j % 2].append(servers[j % 2].fit()[0])
        line.append(f"{gap * 1e3:g} ms: " + "/".join(f"{statistics.median(t):.1f}" for t in times))
    for s in servers:
        s.close()
    print(f"idle, 250 runs, settle {'/'.join(f'{x * 1e3:g}' for x in settles)} ms, spinning "
          f"before each request: {', '.join(line)}")


def shared(a):
    path = simulate(a, 250)
    allowed = os.sched_getaffinity(0)
    cpu = min(allowed)
    os.sched_setaffinity(0, {cpu})
    try:
        for yields in (0, 1):
            pair = [Server(a, path, SETTLE, None, f"yield={yields}") for _ in range(2)]
            wall, used = [], []
            for _ in range(30):
                for s in pair:
                    w, c = s.fit()
                    wall.append(w)
                    used.append(c)
            for s in pair:
                s.close()
            print(f"shared, 250 runs, this process and two harnesses on processor {cpu}, "
                  f"yield={yields}: wall {statistics.median(wall):.1f}, "
                  f"CPU {statistics.median(used):.1f}")
    finally:
        os.sched_setaffinity(0, allowed)


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


if __name__ == "__main__":
    main()
