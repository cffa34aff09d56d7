#!/usr/bin/env python3
"""`glmwb logs show` on a huge run beside a small one: wall time, CPU and peak RSS.

  bench/logs_bench.py --glmwb PATH [--events 5000000] [--runs 5] [--events-runs 5] [--keep] [--json PATH]

Two data dirs, each made by a real `glmwb run --stream` against ../shared/bench/flood_server.py
(100 chunks): SMALL keeps that run as it is; HUGE gets the same run with EVENTS raw payloads,
inserted straight into its run_events table by SQLite (one INSERT ... SELECT over a recursive
CTE, payloads shaped like flood_server.py's chunks, about 180 bytes each) and the run's row
counts set to match, as the log writer would have left them. Building it is not timed.

Timed, alternating, a warm-up first and then RUNS runs each (min / median / max):
  small / huge           glmwb logs show ID --data-dir DIR           (Markdown, counts only)
  small --json / huge    glmwb logs show ID --data-dir DIR --json
The target (issue 15): the huge run shows in under 100 ms with no more memory than the small
one — counts come from the run's row, never from loading its events.
Then EVENTS-RUNS timed runs of `logs show --events` on the huge run (every payload printed, to a
file): its peak RSS must stay that of a small run (the events are streamed, not collected); the
file is checked for one line per event, in order.
Every output is checked (outside the timed region): a fast wrong answer is not a result.
--json PATH writes the figures for bench/report.py; "no more memory" is judged as at most 1.1x
the small run's peak RSS, the 10% being run-to-run noise. Standard library only.
"""
import json
import os
import re
import sqlite3
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import (MODEL, BenchError, fmt_stats, guarded, logged_events, parser, start_flood, tail,  # noqa: E402
                   timed)
from figures import Figures, count, ratios  # noqa: E402

SMALL_CHUNKS = 100
TOKENS_SQL = ("CASE i % 8 WHEN 0 THEN 'Hello' WHEN 1 THEN ' world' WHEN 2 THEN ',' WHEN 3 THEN ' 你好' "
              "WHEN 4 THEN '世界' WHEN 5 THEN ' streaming' WHEN 6 THEN ' tokens' ELSE '\\n' END")


def make_log(glmwb, base, data_dir):
    """One real streamed run logged in data_dir; its id."""
    out = os.path.join(data_dir, "run.json")
    cmd = [glmwb, "run", "hi", "--provider", "openai", "--base-url", base, "--model", MODEL, "--stream",
           "--data-dir", data_dir, "--json"]
    _, _, rc, _, err = timed(cmd, out)
    if rc != 0:
        raise BenchError(f"glmwb run exited with {rc}: {tail(err)}")
    with open(out) as f:
        return json.load(f)["run_id"]


def grow_run(data_dir, run_id, events):
    """Replaces the run's events with `events` flood-shaped payloads and sets its row's counts."""
    con = sqlite3.connect(os.path.join(data_dir, "glmwb.sqlite"), isolation_level=None)
    try:
        # No journal while building (a crash here only loses the bench's own scratch log); the
        # log goes back to WAL, as glmwb keeps it, before glmwb reads it.
        con.execute("PRAGMA journal_mode=DELETE")
        con.execute("PRAGMA synchronous=OFF")
        con.execute("BEGIN")
        con.execute("DELETE FROM run_events WHERE run_id = ?", (run_id,))
        # A newer log stores the run's payloads a batch to a row; the per-payload rows below
        # replace them (readers take both, so the huge run is read as a log written before).
        if con.execute("SELECT 1 FROM sqlite_master WHERE name = 'run_event_blocks'").fetchone():
            con.execute("DELETE FROM run_event_blocks WHERE run_id = ?", (run_id,))
        con.execute(f"""
            WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ? - 1)
            INSERT INTO run_events (run_id, seq, offset_us, data)
            SELECT ?, i, 1000 + i * 3,
                '{{"id":"flood-1","created":1700000000,"model":"{MODEL}","choices":[{{"index":0,"delta":{{"content":"'
                || {TOKENS_SQL} || '"}},"finish_reason":null}}]}}'
            FROM n""", (events, run_id))
        size = con.execute("SELECT SUM(LENGTH(CAST(data AS BLOB))) FROM run_events WHERE run_id = ?",
                           (run_id,)).fetchone()[0]
        con.execute("UPDATE runs SET event_count = ?, event_bytes = ?, chunk_count = ? WHERE id = ?",
                    (events, size, events, run_id))
        con.execute("COMMIT")
        con.execute("PRAGMA journal_mode=WAL")
        return size
    finally:
        con.close()


def check_show(path, run_id, events, json_mode):
    with open(path, "rb") as f:
        text = f.read().decode("utf-8", "replace")
    if json_mode:
        obj = json.loads(text)
        got = (obj.get("run_id"), obj.get("event_count"))
    else:
        m = re.search(r"^### events: (\d+)$", text, re.M)
        got = (run_id if f"## Run {run_id}" in text else None, int(m.group(1)) if m else None)
    if got != (run_id, events):
        raise BenchError(f"logs show printed (run, events) = {got}, expected {(run_id, events)}")


def check_events(path, events):
    """One line per event after the header, seq 0..events-1 in order; read in blocks."""
    pattern = re.compile(rb"^\s+[\d.]+ ms  #(\d+)  \{", re.M)
    expected = 0
    rest = b""
    with open(path, "rb") as f:
        while True:
            block = f.read(1 << 22)
            if not block:
                break
            block = rest + block
            cut = block.rfind(b"\n") + 1
            rest = block[cut:]
            for m in pattern.finditer(block[:cut]):
                if int(m.group(1)) != expected:
                    raise BenchError(f"--events printed #{int(m.group(1))} where #{expected} was due")
                expected += 1
    if expected != events:
        raise BenchError(f"--events printed {expected} events, expected {events}")


def measure(a, glmwb, tmp, port):
    base = f"http://127.0.0.1:{port}/v1"
    dirs = {"small": os.path.join(tmp, "small"), "huge": os.path.join(tmp, "huge")}
    ids = {}
    for name, d in dirs.items():
        os.makedirs(d)
        ids[name] = make_log(glmwb, base, d)
    con = sqlite3.connect(os.path.join(dirs["small"], "glmwb.sqlite"))
    counts = {"small": logged_events(con), "huge": a.events}
    con.close()
    t0 = time.perf_counter()
    size = grow_run(dirs["huge"], ids["huge"], a.events)
    print(f"logs bench: built a run of {a.events} events ({size / 2**20:.0f} MiB of payloads, log "
          f"{os.path.getsize(os.path.join(dirs['huge'], 'glmwb.sqlite')) / 2**20:.0f} MiB) in "
          f"{time.perf_counter() - t0:.1f} s (not timed); the small run has {counts['small']} events", flush=True)

    cases = []  # (label, size, extra flags)
    for flags in ([], ["--json"]):
        for name in ("small", "huge"):
            cases.append((" ".join(["show", name, *flags]), name, flags))
    walls = {c[0]: [] for c in cases}
    cpus = {c[0]: [] for c in cases}
    rss = {c[0]: [] for c in cases}
    for i in range(a.runs + 1):
        for label, name, flags in cases:
            out = os.path.join(tmp, "show.out")
            cmd = [glmwb, "logs", "show", ids[name], "--data-dir", dirs[name], *flags]
            dt, cpu, rc, maxrss, err = timed(cmd, out)
            if rc != 0:
                raise BenchError(f"{' '.join(cmd)} exited with {rc}: {tail(err)}")
            check_show(out, ids[name], counts[name], "--json" in flags)
            if i > 0:
                walls[label].append(dt)
                cpus[label].append(cpu)
                rss[label].append(maxrss / 1024)
            print(f"  {'warm-up' if i == 0 else f'run {i}':8} {label:16} wall {dt * 1000:8.1f} ms  "
                  f"CPU {cpu * 1000:7.1f} ms  peak RSS {maxrss / 1024:6.1f} MiB", flush=True)

    ev_walls, ev_rss = [], []
    for i in range(a.events_runs):
        out = os.path.join(tmp, "events.out")
        cmd = [glmwb, "logs", "show", ids["huge"], "--data-dir", dirs["huge"], "--events"]
        dt, cpu, rc, maxrss, err = timed(cmd, out)
        if rc != 0:
            raise BenchError(f"{' '.join(cmd)} exited with {rc}: {tail(err)}")
        check_events(out, a.events)
        os.remove(out)
        ev_walls.append(dt)
        ev_rss.append(maxrss / 1024)
        print(f"  run {i + 1:<4} show huge --events wall {dt:8.2f} s   CPU {cpu:7.2f} s   "
              f"peak RSS {maxrss / 1024:6.1f} MiB", flush=True)

    print(f"\nlogs show: a run of {a.events} events vs one of {counts['small']}; {a.runs} timed runs each "
          "(the machine may be loaded: read the ratios)")
    print(f"  {'case':16} {'wall ms (min med max)':>25}   {'CPU ms (min med max)':>25}   peak RSS MiB (min med max)")
    for label in walls:
        ms = [x * 1000 for x in walls[label]]
        cms = [x * 1000 for x in cpus[label]]
        print(f"  {label:16} {fmt_stats(ms):>25}   {fmt_stats(cms):>25}   {fmt_stats(rss[label])}")
    print("\n  ratios of medians (huge / small)")
    for flags in ("", " --json"):
        h, s = f"show huge{flags}", f"show small{flags}"
        w = statistics.median(walls[h]) / statistics.median(walls[s])
        r = statistics.median(rss[h]) / statistics.median(rss[s])
        met = "met" if statistics.median(walls[h]) < 0.1 else "NOT met"
        print(f"  show{flags:8} wall {w:5.2f}x   peak RSS {r:5.2f}x   huge median "
              f"{statistics.median(walls[h]) * 1000:.1f} ms (target < 100 ms: {met})")
    if ev_walls:
        small_rss = statistics.median(rss["show small"])
        print(f"  show --events of the huge run: wall {fmt_stats(ev_walls)} s, peak RSS {fmt_stats(ev_rss)} MiB "
              f"= {statistics.median(ev_rss) / small_rss:.2f}x the small run's show (streamed: ~1x)")

    f = Figures(f"logs show {count(a.events)}")
    huge = f"{count(a.events)}-event run"
    for flags in ("", " --json"):
        f.add(f"show{flags} small run wall", "ms", [x * 1000 for x in walls[f"show small{flags}"]],
              note=f"{counts['small']} events")
        f.add(f"show{flags} {huge} wall", "ms", [x * 1000 for x in walls[f"show huge{flags}"]], ("<", 100))
        f.add(f"show{flags} {huge} peak RSS", "MiB", rss[f"show huge{flags}"])
        f.add(f"show{flags} peak RSS huge / small", "x", ratios(rss[f"show huge{flags}"], rss[f"show small{flags}"]),
              ("<=", 1.1), "no more memory than a small run")
    if ev_walls:
        small_rss = statistics.median(rss["show small"])
        f.add(f"show --events {huge} wall", "s", ev_walls, note="every payload printed, to a file")
        f.add("show --events peak RSS / small show", "x", [r / small_rss for r in ev_rss], ("<=", 1.1),
              "streamed, not collected")
    f.write(a.json)


def main():
    ap = parser(__doc__)
    ap.add_argument("--events", type=int, default=5_000_000)
    ap.add_argument("--events-runs", type=int, default=5, help="timed runs of `logs show --events` (0: skip)")
    a = ap.parse_args()
    glmwb = os.path.abspath(a.glmwb)
    if not os.access(glmwb, os.X_OK):
        print(f"logs bench: glmwb binary not found or not executable: {a.glmwb}", file=sys.stderr)
        return 2

    tmp = tempfile.mkdtemp(prefix="glmwb-logs-bench-")
    flood, port, _ = start_flood(SMALL_CHUNKS)
    return guarded("logs bench", lambda: measure(a, glmwb, tmp, port), [flood], tmp, a.keep)


if __name__ == "__main__":
    sys.exit(main())
