#!/usr/bin/env python3
"""TUI benchmark: the full-screen workbench in a real terminal (tmux) consuming a full-speed
stream of CHUNKS chunks from ../shared/bench/flood_server.py.

First, the first frame: exec to the prompt drawn on a 120x36 pseudo-terminal with the simulator,
RUNS times on a new data dir (that start creates the log) each followed by a start on the same
dir (as a returning user starts it; the target, < 50 ms, is for this one).

  bench/tui_bench.py --glmwb PATH [--chunks 100000] [--runs 5] [--replies 12] [--conversations 5]
                     [--json PATH]

Per run: launch glmwb in a fresh tmux pane (120x36) on its own data dir, type a prompt, press
Ctrl-S, and poll the screen until the meter shows the final reported usage ("out CHUNKS" without
"est."). The time from Ctrl-S to that frame is the figure; peak RSS comes from GNU time around
glmwb. The run log must hold every payload, or the bench fails. The target: < 1 s.

Then one conversation of REPLIES such replies in one workbench: per reply, the CPU seconds glmwb
spent (utime+stime from /proc) and its RSS once the reply's usage is on screen; then Ctrl-N and
the RSS after it, against the RSS at a fresh start. A workbench whose cost grows with the
conversation shows here as the last reply costing more than the first. CONVERSATIONS such
conversations (each in a new workbench), so each of their figures has a spread too. Targets: the
last reply's CPU within 1.2x the first's, the RSS after Ctrl-N within 1.2x a fresh start's.
--json PATH writes the figures for bench/report.py. Standard library only.
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
from bench import start_flood, BenchError, logged_events  # noqa: E402
from figures import Figures, count, ratios  # noqa: E402

SOCKET = "glmwb-bench"


def tmux(*args, capture=False):
    cmd = ["tmux", "-L", SOCKET, "-f", "/dev/null", *args]
    if capture:
        return subprocess.run(cmd, capture_output=True, text=True).stdout
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    return ""


def launch(name, prefix, glmwb, port, data):
    """A fresh 120x36 tmux session running glmwb (behind `prefix`, e.g. GNU time) against the
    flood server on its own data dir, returned once the prompt is on screen."""
    tmux("kill-session", "-t", name)
    tmux("new-session", "-d", "-s", name, "-x", "120", "-y", "36", "env PS1='$ ' sh")
    tmux("send-keys", "-t", name, "-l",
         f"{prefix}{glmwb} --provider openai --base-url http://127.0.0.1:{port}/v1 "
         f"--model glm-4-32b-0414-128k --data-dir {data}")
    tmux("send-keys", "-t", name, "Enter")
    deadline = time.monotonic() + 30
    while "Type a prompt" not in tmux("capture-pane", "-p", "-t", name, capture=True):
        if time.monotonic() > deadline:
            raise BenchError("glmwb did not start:\n" + tmux("capture-pane", "-p", "-t", name, capture=True))
        time.sleep(0.05)


def one_run(glmwb, port, chunks, timeout=120):
    data = tempfile.mkdtemp(prefix="glmwb-tui-bench-")
    rss = os.path.join(data, "rss")
    name = "b%d" % os.getpid()
    try:
        time_cmd = f"/usr/bin/time -f %M -o {rss} " if os.access("/usr/bin/time", os.X_OK) else ""
        launch(name, time_cmd, glmwb, port, data)
        tmux("send-keys", "-t", name, "-l", "hi")
        target = f"/ {chunks} out ·"
        t0 = time.perf_counter()
        tmux("send-keys", "-t", name, "C-s")
        deadline = time.monotonic() + timeout
        while True:
            screen = tmux("capture-pane", "-p", "-t", name, capture=True)
            # The meter's first line: "○ 12 in / 100000 out · …" once the usage is reported
            # ("est." until then, so the target does not match early).
            meter = [l for l in screen.splitlines() if l.startswith("○ ")]
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
        rows = logged_events(db)
        status = db.execute("SELECT status, completion_tokens FROM runs").fetchone()
        db.close()
        if not (chunks <= rows <= chunks + 8) or status != ("ok", chunks):
            raise BenchError(f"the log is incomplete: {rows} events, run {status}")
        return dt, peak
    finally:
        tmux("kill-session", "-t", name)
        shutil.rmtree(data, ignore_errors=True)


def proc_figures(pid):
    """(CPU seconds, RSS KiB) of a live process, from /proc."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    tick = os.sysconf("SC_CLK_TCK")
    cpu = (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    rss = 0
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1])
    return cpu, rss


def glmwb_pid(glmwb, data):
    out = subprocess.run(["pgrep", "-f", "--", f"--data-dir {data}"], capture_output=True, text=True).stdout.split()
    for pid in out:
        try:
            if os.path.realpath(f"/proc/{pid}/exe") == os.path.realpath(glmwb):
                return int(pid)
        except OSError:
            continue
    raise BenchError("cannot find the glmwb process")


def first_frame(glmwb, data, timeout=30):
    """Milliseconds from exec to the first frame: glmwb on a pseudo-terminal of 120x36 with the
    simulator (as a new user starts it), timed until the prompt's placeholder has been written.
    A pty rather than tmux: polling tmux's screen would add its own latency to a 35 ms figure.
    `data` is kept between runs, as a user's data dir is (the first start creates the log)."""
    import fcntl, pty, select, struct, termios
    t0 = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TERM"] = "xterm-256color"
        os.execv(glmwb, [glmwb, "--provider", "sim", "--data-dir", data])
    try:
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 36, 120, 0, 0))
        seen = b""
        deadline = time.monotonic() + timeout
        while b"Type a prompt" not in seen:
            if time.monotonic() > deadline:
                raise BenchError("no first frame: " + seen[-400:].decode(errors="replace"))
            if select.select([fd], [], [], 0.5)[0]:
                try:
                    seen += os.read(fd, 65536)
                except OSError:
                    break
        ms = (time.perf_counter() - t0) * 1000
        os.write(fd, b"\x11")  # Ctrl-Q
        end = time.monotonic() + 10
        while time.monotonic() < end:
            done, _ = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            if select.select([fd], [], [], 0.1)[0]:
                try:
                    os.read(fd, 65536)
                except OSError:
                    pass
        return ms
    finally:
        try:
            os.kill(pid, 9)
        except ProcessLookupError:
            pass
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass
        os.close(fd)


def conversation_run(glmwb, port, chunks, replies, timeout=300):
    """Per reply (CPU s, RSS KiB, seconds to its usage on screen), the fresh RSS and the RSS
    after Ctrl-N."""
    data = tempfile.mkdtemp(prefix="glmwb-tui-conv-")
    name = "c%d" % os.getpid()
    try:
        launch(name, "", glmwb, port, data)
        pid = glmwb_pid(glmwb, data)
        cpu0, fresh = proc_figures(pid)
        rows = []
        for k in range(1, replies + 1):
            tmux("send-keys", "-t", name, "-l", f"reply {k}")
            target = f"/ {k * chunks} out)"
            t0 = time.perf_counter()
            tmux("send-keys", "-t", name, "C-s")
            deadline = time.monotonic() + timeout
            while target not in tmux("capture-pane", "-p", "-t", name, capture=True):
                if time.monotonic() > deadline:
                    raise BenchError(f"reply {k}'s usage never appeared")
                time.sleep(0.02)
            dt = time.perf_counter() - t0
            time.sleep(0.3)  # the log writer's tail
            cpu, rss = proc_figures(pid)
            rows.append((cpu - cpu0, rss, dt))
            cpu0 = cpu
        tmux("send-keys", "-t", name, "C-n")
        time.sleep(2)
        _, after_new = proc_figures(pid)
        tmux("send-keys", "-t", name, "C-q")
        return rows, fresh, after_new
    finally:
        tmux("kill-session", "-t", name)
        shutil.rmtree(data, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--glmwb", required=True)
    ap.add_argument("--chunks", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--replies", type=int, default=12, help="replies in the one-conversation run (0: skip it)")
    ap.add_argument("--conversations", type=int, default=5, help="how many times the conversation is run")
    ap.add_argument("--json", default=None, metavar="PATH",
                    help="also write the figures (raw runs, targets) there, for bench/report.py")
    a = ap.parse_args()
    glmwb = os.path.abspath(a.glmwb)
    flood, port, banner = start_flood(a.chunks)
    f = Figures("workbench")
    try:
        created, frames = [], []
        for _ in range(a.runs):
            frame_data = tempfile.mkdtemp(prefix="glmwb-first-frame-")
            created.append(first_frame(glmwb, frame_data))  # the first start creates the log
            frames.append(first_frame(glmwb, frame_data))
            shutil.rmtree(frame_data, ignore_errors=True)
        print(f"First frame (exec to the prompt on a 120x36 pty, with the simulator; a new data dir: median "
              f"{statistics.median(created):.1f} ms): median "
              f"{statistics.median(frames):.1f} ms (min {min(frames):.1f}, max {max(frames):.1f}) over {a.runs}; "
              f"target < 50 ms: {'met' if statistics.median(frames) < 50 else 'NOT met'}", flush=True)
        f.add("first frame", "ms", frames, ("<", 50), "exec to the prompt, 120x36 pty, sim")
        f.add("first frame, new data dir", "ms", created, note="this start creates the log")
        print(f"TUI bench: {banner}; glmwb in tmux 120x36, {a.runs} runs", flush=True)
        times, peaks = [], []
        for i in range(a.runs):
            dt, peak = one_run(glmwb, port, a.chunks)
            times.append(dt)
            peaks.append(peak)
            print(f"  run {i + 1}: final usage on screen after {dt:.3f} s, peak RSS {peak / 1024:.1f} MiB", flush=True)
        med = statistics.median(times)
        print(f"TUI: median {med:.3f} s (min {min(times):.3f}, max {max(times):.3f}) until the final usage is on screen; "
              f"peak RSS median {statistics.median(peaks) / 1024:.1f} MiB; target < 1 s: {'met' if med < 1 else 'NOT met'}")
        chunks = count(a.chunks)
        f.add(f"{chunks}-chunk reply: final usage on screen", "s", times, ("<", 1), "from Ctrl-S, tmux 120x36")
        f.add(f"{chunks}-chunk reply: peak RSS", "MiB", [p / 1024 for p in peaks])
        conv = []  # per conversation: (rows, fresh, after_new)
        for c in range(a.conversations if a.replies else 0):
            rows, fresh, after_new = conversation_run(glmwb, port, a.chunks, a.replies)
            conv.append((rows, fresh, after_new))
            print(f"Conversation {c + 1} of {a.conversations}: {a.replies} replies of {a.chunks} chunks "
                  f"(fresh RSS {fresh / 1024:.1f} MiB):", flush=True)
            for k, (cpu, rss, dt) in enumerate(rows, 1):
                print(f"  reply {k:>2}: CPU {cpu:.2f} s, on screen after {dt:.2f} s, RSS {rss / 1024:.1f} MiB")
            first, last = rows[0][0], rows[-1][0]
            print(f"  last / first reply CPU: {last / first:.2f}x (target within 1.2x); after Ctrl-N RSS "
                  f"{after_new / 1024:.1f} MiB = {after_new / fresh:.2f}x fresh (target within 1.2x)", flush=True)
        if conv:
            n = a.replies
            firsts, lasts = [r[0][0] for r, _, _ in conv], [r[-1][0] for r, _, _ in conv]
            fresh, after = [x for _, x, _ in conv], [x for _, _, x in conv]
            f.add("conversation: reply 1 CPU", "s", firsts)
            f.add(f"conversation: reply {n} CPU", "s", lasts)
            f.add(f"conversation: reply {n} / reply 1 CPU", "x", ratios(lasts, firsts), ("<=", 1.2))
            f.add(f"conversation: reply {n} on screen", "s", [r[-1][2] for r, _, _ in conv])
            f.add(f"conversation: RSS after reply {n}", "MiB", [r[-1][1] / 1024 for r, _, _ in conv])
            f.add("conversation: RSS at a fresh start", "MiB", [x / 1024 for x in fresh])
            f.add("conversation: RSS after Ctrl-N", "MiB", [x / 1024 for x in after])
            f.add("conversation: RSS after Ctrl-N / fresh", "x", ratios(after, fresh), ("<=", 1.2))
        f.write(a.json)
    except BenchError as e:
        print(f"TUI bench failed: {e}", file=sys.stderr)
        sys.exit(1)
    finally:
        flood.kill()
        tmux("kill-server")


if __name__ == "__main__":
    main()
