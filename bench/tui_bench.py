#!/usr/bin/env python3
"""TUI benchmark: the full-screen workbench in a real terminal (tmux) consuming a full-speed
stream of CHUNKS chunks from ../shared/bench/flood_server.py.

  bench/tui_bench.py --glmwb PATH [--chunks 100000] [--runs 3]

Per run: launch glmwb in a fresh tmux pane (120x36) on its own data dir, type a prompt, press
Ctrl-S, and poll the screen until the meter shows the final reported usage ("out CHUNKS" without
"est."). The time from Ctrl-S to that frame is the figure; peak RSS comes from GNU time around
glmwb. The run log must hold one row per payload, or the bench fails. Standard library only.
"""
import argparse
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import start_flood, BenchError  # noqa: E402

SOCKET = "glmwb-bench"


def tmux(*args, capture=False):
    cmd = ["tmux", "-L", SOCKET, "-f", "/dev/null", *args]
    if capture:
        return subprocess.run(cmd, capture_output=True, text=True).stdout
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    return ""


def one_run(glmwb, port, chunks, timeout=120):
    data = tempfile.mkdtemp(prefix="glmwb-tui-bench-")
    rss = os.path.join(data, "rss")
    name = "b%d" % os.getpid()
    tmux("kill-session", "-t", name)
    tmux("new-session", "-d", "-s", name, "-x", "120", "-y", "36", "env PS1='$ ' sh")
    try:
        time_cmd = f"/usr/bin/time -f %M -o {rss} " if os.access("/usr/bin/time", os.X_OK) else ""
        tmux("send-keys", "-t", name, "-l",
             f"{time_cmd}{glmwb} --provider openai --base-url http://127.0.0.1:{port}/v1 "
             f"--model glm-4-32b-0414-128k --data-dir {data}")
        tmux("send-keys", "-t", name, "Enter")
        deadline = time.monotonic() + 30
        while "Type a prompt" not in tmux("capture-pane", "-p", "-t", name, capture=True):
            if time.monotonic() > deadline:
                raise BenchError("glmwb did not start:\n" + tmux("capture-pane", "-p", "-t", name, capture=True))
            time.sleep(0.05)
        tmux("send-keys", "-t", name, "-l", "hi")
        target = f"out {chunks} ·"
        t0 = time.perf_counter()
        tmux("send-keys", "-t", name, "C-s")
        deadline = time.monotonic() + timeout
        while True:
            screen = tmux("capture-pane", "-p", "-t", name, capture=True)
            meter = [l for l in screen.splitlines() if l.startswith("○ in")]
            if meter and target in meter[0]:
                dt = time.perf_counter() - t0
                break
            if time.monotonic() > deadline:
                raise BenchError("the final usage never appeared; last screen:\n" + screen)
            time.sleep(0.01)
        tmux("send-keys", "-t", name, "C-q")
        deadline = time.monotonic() + 30
        while not (os.path.exists(rss) and open(rss).read().strip()) and time_cmd:
            if time.monotonic() > deadline:
                raise BenchError("glmwb did not exit after Ctrl-Q")
            time.sleep(0.05)
        peak = int(open(rss).read().split()[-1]) if time_cmd else 0
        db = sqlite3.connect(os.path.join(data, "glmwb.sqlite"))
        rows = db.execute("SELECT COUNT(*) FROM run_events").fetchone()[0]
        status = db.execute("SELECT status, completion_tokens FROM runs").fetchone()
        db.close()
        if not (chunks <= rows <= chunks + 8) or status != ("ok", chunks):
            raise BenchError(f"the log is incomplete: {rows} events, run {status}")
        return dt, peak
    finally:
        tmux("kill-session", "-t", name)
        shutil.rmtree(data, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--glmwb", required=True)
    ap.add_argument("--chunks", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    glmwb = os.path.abspath(a.glmwb)
    flood, port, banner = start_flood(a.chunks)
    try:
        print(f"TUI bench: {banner}; glmwb in tmux 120x36, {a.runs} runs", flush=True)
        times, peaks = [], []
        for i in range(a.runs):
            dt, peak = one_run(glmwb, port, a.chunks)
            times.append(dt)
            peaks.append(peak)
            print(f"  run {i + 1}: final usage on screen after {dt:.3f} s, peak RSS {peak / 1024:.1f} MiB", flush=True)
        med = statistics.median(times)
        print(f"TUI: median {med:.3f} s (min {min(times):.3f}, max {max(times):.3f}) until the final usage is on screen; "
              f"peak RSS median {statistics.median(peaks) / 1024:.1f} MiB; target < 2 s: {'met' if med < 2 else 'NOT met'}")
    except BenchError as e:
        print(f"TUI bench failed: {e}", file=sys.stderr)
        sys.exit(1)
    finally:
        flood.kill()
        tmux("kill-server")


if __name__ == "__main__":
    main()
