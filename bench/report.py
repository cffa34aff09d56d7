#!/usr/bin/env python3
"""`make bench`'s one table: runs every bench of issue 15 and prints all their figures together,
each as min / median / max over its runs, beside its target and whether the median meets it.

  bench/report.py --glmwb PATH --uibench PATH [--python VENV_PY] [--eval-python VENV_PY]
                  [--runs 5] [--chunks 100000] [--large 1000000] [--events 5000000]
                  [--cases 1000] [--replies 12] [--ui-cases 10000] [--only NAME,...]
                  [--json OUT] [--verbose]

In turn (one at a time: each measures time on a machine it must have to itself):
  bench      bench/bench.py        glmwb vs curl, the OpenAI SDK and `llm` on a CHUNKS-chunk stream
  scale      bench/scale_bench.py  LARGE chunks beside CHUNKS: time and peak RSS linear in length
  logs       bench/logs_bench.py   `logs show` of an EVENTS-event run beside a small one
  tui        bench/tui_bench.py    first frame, a reply in the workbench, a conversation of REPLIES
  eval       bench/eval_bench.py   an evaluation of CASES x 2 cells beside inspect-ai
  uibench    UIBench UI_CASES      scrolling a 128K-token reply, the evaluation view's keys
Each Python script writes its rows with --json (bench/figures.py says their shape); UIBench is
Swift and prints text, so it is run RUNS times here and its lines parsed (changing the binary's
output for a table would need a rebuild; its text is stable and says everything needed).

Each script's own output (progress and its own summary) goes to a log file, named in one line
per script, so the terminal shows one table; --verbose shows it as it comes. A script that fails
becomes a FAILED row (with its log's last line) and the exit status is 1; a target not met is a
result, not a failure. Standard library only.
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

BENCH = os.path.dirname(os.path.abspath(__file__))
PROJECT = os.path.dirname(BENCH)
sys.path.insert(0, BENCH)
from figures import Figures, count, fmt  # noqa: E402

NAMES = ("bench", "scale", "logs", "tui", "eval", "uibench")


def script_commands(a, out):
    """name -> argv of each Python bench, every one writing its rows to out(name)."""
    py = sys.executable
    glmwb = ["--glmwb", a.glmwb]
    return {
        "bench": [py, os.path.join(BENCH, "bench.py"), *glmwb, "--python", a.python, "--chunks", str(a.chunks),
                  "--runs", str(a.runs), "--json", out("bench")],
        "scale": [py, os.path.join(BENCH, "scale_bench.py"), *glmwb, "--small", str(a.chunks),
                  "--large", str(a.large), "--runs", str(a.runs), "--json", out("scale")],
        "logs": [py, os.path.join(BENCH, "logs_bench.py"), *glmwb, "--events", str(a.events),
                 "--runs", str(a.runs), "--events-runs", str(a.runs), "--json", out("logs")],
        "tui": [py, os.path.join(BENCH, "tui_bench.py"), *glmwb, "--chunks", str(a.chunks), "--runs", str(a.runs),
                "--replies", str(a.replies), "--conversations", str(a.runs), "--json", out("tui")],
        "eval": [py, os.path.join(BENCH, "eval_bench.py"), *glmwb, "--python", a.eval_python,
                 "--cases", str(a.cases), "--runs", str(a.runs), "--json", out("eval")],
    }


def run_logged(cmd, log_path, verbose):
    """Runs cmd with its stdout and stderr in log_path (and on the terminal with --verbose);
    returns its exit status and the last non-empty line it printed (for a FAILED row)."""
    with open(log_path, "wb") as log:
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        for line in p.stdout:
            log.write(line)
            if verbose:
                sys.stdout.buffer.write(line)
                sys.stdout.flush()
        code = p.wait()
    with open(log_path, "rb") as f:
        lines = [l.strip() for l in f.read().decode("utf-8", "replace").splitlines() if l.strip()]
    return code, (lines[-1] if lines else "")


# ------------------------------------------------------------------ UIBench

KEY_LINE = re.compile(r"^  (.+): median ([\d.]+) ms · p95 ([\d.]+) ms · max ([\d.]+) ms")
ONE_LINE = re.compile(r"^  (.+): ([\d.]+) ms$")


def parse_uibench(text):
    """One UIBench run's figures: {("scroll" | "eval", label): (median, max) or (value,)}.
    A line is in the section of the header above it ("Conversation: …" or "Evaluation view: …")."""
    part, figures = None, {}
    for line in text.splitlines():
        if line.startswith("Conversation:"):
            part = "scroll"
        elif line.startswith("Evaluation view:"):
            part = "eval"
        elif part:
            m = KEY_LINE.match(line)
            if m:
                figures[(part, m.group(1))] = (float(m.group(2)), float(m.group(4)))
                continue
            m = ONE_LINE.match(line)
            if m:
                figures[(part, m.group(1))] = (float(m.group(2)),)
    return figures


def uibench_rows(a, log_path):
    """RUNS runs of UIBench, parsed into rows: per key the median key of each run (target: a
    scroll key < 5 ms, an evaluation key < 16.7 ms, a frame at 60 fps), then the slowest key of
    each run against the same target, and the one-off layouts without one."""
    runs = []
    with open(log_path, "wb") as log:
        for _ in range(a.runs):
            p = subprocess.run([a.uibench, str(a.ui_cases)], capture_output=True)
            log.write(p.stdout + p.stderr)
            if a.verbose:
                sys.stdout.buffer.write(p.stdout)
                sys.stdout.flush()
            if p.returncode != 0:
                raise RuntimeError(f"UIBench exited with {p.returncode}")
            runs.append(parse_uibench(p.stdout.decode("utf-8", "replace")))
    keys = [k for k in runs[0] if all(k in r for r in runs)]
    if not keys:
        raise RuntimeError("UIBench printed no figure this report can read")
    scroll = Figures("UIBench scroll 128K")
    evals = Figures(f"UIBench eval {count(a.ui_cases)} cases")
    for part, f, limit in (("scroll", scroll, 5), ("eval", evals, 16.7)):
        slowest = []
        for k in (k for k in keys if k[0] == part):
            values = [r[k] for r in runs]
            label = k[1]
            if len(values[0]) == 1:  # a one-off: the reply's layout, the plan's
                label = "128K-token reply laid out" if label.startswith("the reply arrived") else label
                f.add(label, "ms", [v[0] for v in values])
            elif label.startswith("a batch of"):  # cells arriving: not a key, no frame budget
                f.add(f"{label}, median", "ms", [v[0] for v in values])
            else:
                f.add(f"{label}, median key", "ms", [v[0] for v in values], ("<", limit))
                slowest.append([v[1] for v in values])
        if slowest:
            f.add("slowest key of the run", "ms", [max(col) for col in zip(*slowest)], ("<", limit),
                  "any key above; one scheduling blip shows here")
    return scroll.rows + evals.rows


# ------------------------------------------------------------------ the table

def table(rows):
    """The rows as one aligned table; a section is named on its first row only."""
    header = ("section", "figure", "unit", "n", "min", "median", "max", "target", "met", "note")
    lines, last = [], None
    for r in rows:
        xs = r["runs"]
        stats = (fmt(min(xs)), fmt(statistics.median(xs)), fmt(max(xs))) if xs else ("n/a",) * 3
        met = {True: "✔", False: "✘"}.get(r["met"], "")
        lines.append((r["section"] if r["section"] != last else "", r["figure"], r["unit"], str(len(xs)),
                      *stats, r["target"], met, r["note"]))
        last = r["section"]
    widths = [max(len(x[i]) for x in [header, *lines]) for i in range(len(header))]
    right = {3, 4, 5, 6}  # the numbers, aligned on their last digit

    def row(cells):
        padded = (c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths)))
        return "  ".join(padded).rstrip()
    rule = "  ".join("-" * w for w in widths)
    return "\n".join([row(header), rule, *(row(x) for x in lines)])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--glmwb", required=True, help="the glmwb binary (a release build)")
    ap.add_argument("--uibench", required=True, help="the UIBench binary (a release build)")
    ap.add_argument("--python", default=os.path.join(PROJECT, ".venv", "bin", "python"),
                    help="python with the openai SDK and llm (the peers of bench.py)")
    ap.add_argument("--eval-python", default=os.path.join(PROJECT, ".venv-bench", "bin", "python"),
                    help="python with inspect-ai (the peer of eval_bench.py)")
    ap.add_argument("--runs", type=int, default=5, help="timed runs of every figure")
    ap.add_argument("--chunks", type=int, default=100_000)
    ap.add_argument("--large", type=int, default=1_000_000)
    ap.add_argument("--events", type=int, default=5_000_000)
    ap.add_argument("--cases", type=int, default=1000)
    ap.add_argument("--replies", type=int, default=12)
    ap.add_argument("--ui-cases", type=int, default=10_000)
    ap.add_argument("--only", default=",".join(NAMES), help=f"a comma-separated subset of {','.join(NAMES)}")
    ap.add_argument("--json", default=None, metavar="OUT", help="also write every row, merged, there")
    ap.add_argument("--verbose", action="store_true", help="show each script's own output as it runs")
    a = ap.parse_args()
    # Absolute, because the scripts run their clients from other folders (make bench passes
    # paths relative to the project). abspath keeps a venv's python a symlink, as it must be.
    a.glmwb, a.uibench = os.path.abspath(a.glmwb), os.path.abspath(a.uibench)
    a.python, a.eval_python = (os.path.abspath(p) if p and os.sep in p else p for p in (a.python, a.eval_python))
    only = [n.strip() for n in a.only.split(",") if n.strip()]
    unknown = [n for n in only if n not in NAMES]
    if unknown:
        ap.error(f"--only: unknown {', '.join(unknown)} (known: {', '.join(NAMES)})")
    for path in (a.glmwb, a.uibench if "uibench" in only else a.glmwb):
        if not os.access(path, os.X_OK):
            ap.error(f"not an executable: {path}")

    logs = tempfile.mkdtemp(prefix="glmwb-bench-report-")
    commands = script_commands(a, lambda name: os.path.join(logs, f"{name}.json"))
    rows, failed, took = [], [], {}
    start = time.monotonic()
    print(f"make bench: {len(only)} benches, {a.runs} runs of each figure; their own output goes to {logs}/",
          flush=True)
    for k, name in enumerate(only, 1):
        log_path = os.path.join(logs, f"{name}.log")
        t0 = time.monotonic()
        label = f"  [{k}/{len(only)}] {name:8}"
        # Quiet, the outcome ends the same line; verbose, the script's output comes in between.
        print(f"{label} ...", end="\n" if a.verbose else "", flush=True)
        try:
            if name == "uibench":
                rows += uibench_rows(a, log_path)
            else:
                code, last = run_logged(commands[name], log_path, a.verbose)
                if code != 0:
                    raise RuntimeError(f"exit {code}: {last}")
                with open(os.path.join(logs, f"{name}.json")) as f:
                    rows += json.load(f)
            outcome = "done"
        except (RuntimeError, OSError, ValueError) as e:
            failed.append(name)
            rows.append({"section": name, "figure": "FAILED", "unit": "", "runs": [], "target": "", "met": False,
                         "note": f"{e} (log: {log_path})"})
            outcome = "FAILED"
        took[name] = time.monotonic() - t0
        print(f"{label if a.verbose else ''} {outcome} in {took[name]:.0f} s (log: {log_path})", flush=True)
    total = time.monotonic() - start

    judged = [r for r in rows if r["met"] is not None and r["figure"] != "FAILED"]
    missed = [f"{r['section']}: {r['figure']}" for r in judged if not r["met"]]
    print(f"\nmake bench: every figure as min / median / max over its n runs; a target is judged on the median; "
          f"ratios are taken run by run\n")
    print(table(rows))
    print(f"\n{len(judged) - len(missed)} of {len(judged)} targets met"
          + "".join(f"\n  not met: {m}" for m in missed))
    print(f"{total / 60:.1f} min in all: " + ", ".join(f"{n} {s:.0f} s" for n, s in took.items()) + ".")
    if failed:
        print(f"FAILED: {', '.join(failed)} (see the logs above)", file=sys.stderr)
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"rows": rows, "seconds": took, "failed": failed}, f, indent=1, ensure_ascii=False)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
