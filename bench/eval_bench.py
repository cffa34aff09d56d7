#!/usr/bin/env python3
"""Evaluation benchmark: the overhead of running an evaluation matrix, glmwb against inspect-ai.

  bench/eval_bench.py --glmwb PATH [--cases 1000] [--concurrency 16] [--runs 5]
                      [--python VENV_PYTHON] [--no-peer] [--json PATH]

Both run the same matrix against the same server: `glmwb sim` on a free loopback port (GLMSim,
which answers at once, so the time measured is the client's), CASES cases x 2 variants of one
prompt ("Please repeat wN" and "Kindly repeat wN"), non-streamed, CONCURRENCY requests at once,
each reply checked for "repeat wN." — a `contains` assertion in glmwb, the `includes()` scorer in
inspect-ai. glmwb logs every cell as a run in a fresh SQLite log (`--no-cache`, so every cell is
sent); inspect-ai writes its eval log to a fresh folder. Each tool's result is verified (every
cell passed, the right count) outside the timing: a fast wrong answer fails the bench.

Reported per tool, min/median/max over RUNS: wall seconds, CPU seconds (user+sys of the client
and its children, from wait4), peak RSS (GNU time), and the overhead per cell (CPU ms / cell),
then the ratio inspect-ai / glmwb. The goal: glmwb's marginal overhead per cell at least 10x
lower. --json PATH writes the figures, ratios run by run, for bench/report.py.
Standard library only; inspect-ai comes from VENV_PYTHON (`pip install inspect-ai openai`, done
by `make bench` into .venv-bench).
"""
import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

from figures import Figures, ratios

BENCH = os.path.dirname(os.path.abspath(__file__))
PROJECT = os.path.dirname(BENCH)
TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None
MODEL = "glm-4-32b-0414-128k"
RUN_TIMEOUT = 900


class BenchError(Exception):
    pass


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_sim(glmwb):
    port = free_port()
    proc = subprocess.Popen([glmwb, "sim", "--port", str(port)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc, f"http://127.0.0.1:{port}/api/paas/v4"
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise BenchError("glmwb sim did not start")
            time.sleep(0.05)


def timed(cmd, env=None, cwd=None):
    """(wall s, CPU s, peak RSS KiB, exit code, stdout, stderr) of one client run."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile(mode="r", suffix=".rss") as rssf:
        full = [TIME, "-f", "%M", "-o", rssf.name, *cmd] if TIME else cmd
        t0 = time.perf_counter()
        p = subprocess.Popen(full, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env, cwd=cwd)
        try:
            p.wait(timeout=RUN_TIMEOUT)
        except subprocess.TimeoutExpired:
            p.kill()
            raise BenchError(f"{cmd[0]} took longer than {RUN_TIMEOUT} s")
        wall = time.perf_counter() - t0
        # The children's rusage after the wait: the client (and, through GNU time, its own
        # children) — this bench runs one client at a time, so the difference is that run's.
        out.seek(0)
        err.seek(0)
        rss = 0
        if TIME:
            digits = [l for l in rssf.read().split() if l.isdigit()]
            rss = int(digits[-1]) if digits else 0
        return wall, p.returncode, rss, out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace")


def children_cpu():
    r = os.times()
    return r.children_user + r.children_system


def glmwb_workspace(root, cases):
    for name, verb in (("bench", "Please"), ("bench-v2", "Kindly")):
        with open(os.path.join(root, name + ".md"), "w") as f:
            f.write(f"---\ndescription: eval bench\nvariables:\n  word:\n    required: true\n---\n{verb} repeat {{{{word}}}}\n")
    with open(os.path.join(root, "bench.cases.yaml"), "w") as f:
        f.write("cases:\n")
        for i in range(cases):
            f.write(f"  - name: c{i}\n    vars: {{word: w{i}}}\n    assert:\n      - contains: \"repeat w{i}.\"\n")


def run_glmwb(glmwb, base, root, cases, concurrency):
    data = tempfile.mkdtemp(prefix="evalbench-data-", dir=root)
    cmd = [glmwb, "eval", os.path.join(root, "bench.md"), "--variant", os.path.join(root, "bench-v2.md"),
           "--provider", "sim", "--base-url", base, "--no-stream", "--no-cache",
           "--concurrency", str(concurrency), "--data-dir", data, "--json"]
    env = dict(os.environ, OPENAI_API_KEY="bench", XDG_CONFIG_HOME=os.path.join(root, "config"))
    cpu0 = children_cpu()
    wall, code, rss, out, err = timed(cmd, env=env)
    cpu = children_cpu() - cpu0
    try:
        report = json.loads(out)
    except ValueError:
        raise BenchError(f"glmwb eval printed no JSON (exit {code}): {err[-500:]}")
    passed = sum(s.get("passed", 0) for s in report.get("summary", []))
    if code != 0 or passed != 2 * cases:
        raise BenchError(f"glmwb eval: exit {code}, {passed}/{2 * cases} passed: {err[-500:]}")
    shutil.rmtree(data, ignore_errors=True)
    return wall, cpu, rss


INSPECT_TASK = '''
from inspect_ai import Task, task
from inspect_ai.dataset import Sample
from inspect_ai.scorer import includes
from inspect_ai.solver import generate

N = {cases}

def variant(verb):
    return Task(dataset=[Sample(input=f"{{verb}} repeat w{{i}}", target=f"repeat w{{i}}.") for i in range(N)],
                solver=generate(), scorer=includes())

@task
def bench_a():
    return variant("Please")

@task
def bench_b():
    return variant("Kindly")
'''

INSPECT_RUN = '''
import sys
from inspect_ai import eval as inspect_eval
logs = inspect_eval(["{task}@bench_a", "{task}@bench_b"], model="openai/{model}", model_base_url="{base}",
                    max_connections={concurrency}, log_dir="{logs}", display="none", max_tasks=2,
                    model_args=dict(responses_api=False))
passed = 0
for log in logs:
    if log.status != "success":
        print("status", log.status, file=sys.stderr)
        sys.exit(1)
    for s in log.samples or []:
        score = list(s.scores.values())[0]
        passed += 1 if score.value == "C" else 0
print(passed)
'''


def run_inspect(python, base, root, cases, concurrency):
    task = os.path.join(root, "inspect_bench.py")
    with open(task, "w") as f:
        f.write(INSPECT_TASK.format(cases=cases))
    logs = tempfile.mkdtemp(prefix="inspect-logs-", dir=root)
    script = INSPECT_RUN.format(task=task, model=MODEL, base=base, concurrency=concurrency, logs=logs)
    env = dict(os.environ, OPENAI_API_KEY="bench", INSPECT_LOG_LEVEL="error")
    cpu0 = children_cpu()
    wall, code, rss, out, err = timed([python, "-c", script], env=env, cwd=root)
    cpu = children_cpu() - cpu0
    lines = out.strip().splitlines()
    passed = int(lines[-1]) if lines and lines[-1].isdigit() else -1
    if code != 0 or passed != 2 * cases:
        raise BenchError(f"inspect-ai: exit {code}, {passed}/{2 * cases} passed: {err[-800:]}")
    shutil.rmtree(logs, ignore_errors=True)
    return wall, cpu, rss


def stats(xs):
    return f"{min(xs):.2f} / {statistics.median(xs):.2f} / {max(xs):.2f}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--glmwb", required=True)
    ap.add_argument("--cases", type=int, default=1000)
    ap.add_argument("--concurrency", type=int, default=16)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--python", default=os.path.join(PROJECT, ".venv-bench", "bin", "python"))
    ap.add_argument("--no-peer", action="store_true")
    ap.add_argument("--json", default=None, metavar="PATH",
                    help="also write the figures (raw runs, targets) there, for bench/report.py")
    a = ap.parse_args()
    peer = not a.no_peer and os.access(a.python, os.X_OK)
    if not a.no_peer and not peer:
        print(f"[eval bench] no inspect-ai at {a.python}: glmwb alone", file=sys.stderr)
    root = tempfile.mkdtemp(prefix="evalbench-")
    small_root = tempfile.mkdtemp(prefix="evalbench-small-")
    small = max(1, a.cases // 10)
    sim, base = start_sim(a.glmwb)
    results = {"glmwb": [], "inspect-ai": []}
    smalls = {"glmwb": [], "inspect-ai": []}
    try:
        glmwb_workspace(root, a.cases)
        glmwb_workspace(small_root, small)
        for i in range(a.runs):  # alternating, so a machine's drift hits both alike
            results["glmwb"].append(run_glmwb(a.glmwb, base, root, a.cases, a.concurrency))
            smalls["glmwb"].append(run_glmwb(a.glmwb, base, small_root, small, a.concurrency))
            if peer:
                results["inspect-ai"].append(run_inspect(a.python, base, root, a.cases, a.concurrency))
                smalls["inspect-ai"].append(run_inspect(a.python, base, small_root, small, a.concurrency))
    finally:
        sim.kill()
        shutil.rmtree(root, ignore_errors=True)
        shutil.rmtree(small_root, ignore_errors=True)
    cells = 2 * a.cases
    # The overhead per cell without start-up: the difference between the full matrix and a
    # tenth of it, over the difference in cells (inspect-ai spends ~20 s starting and writing
    # its log whatever the size, which would otherwise dominate a small matrix).
    marginal = {}
    for name in results:
        if results[name]:
            big_cpu = statistics.median(r[1] for r in results[name])
            small_cpu = statistics.median(r[1] for r in smalls[name])
            big_wall = statistics.median(r[0] for r in results[name])
            small_wall = statistics.median(r[0] for r in smalls[name])
            d = cells - 2 * small
            marginal[name] = ((big_cpu - small_cpu) / d * 1000, (big_wall - small_wall) / d * 1000)
    print(f"\nEvaluation: {a.cases} cases x 2 variants = {cells} cells against GLMSim, concurrency "
          f"{a.concurrency}, non-streamed; min / median / max over {a.runs} runs")
    print(f"{'tool':<12} {'wall s':>22} {'CPU s':>22} {'CPU ms/cell':>14} {'peak RSS MiB':>14}")
    medians = {}
    for name, rs in results.items():
        if not rs:
            continue
        walls, cpus, rsss = [r[0] for r in rs], [r[1] for r in rs], [r[2] / 1024 for r in rs]
        per_cell = statistics.median(cpus) / cells * 1000
        medians[name] = (statistics.median(walls), statistics.median(cpus))
        print(f"{name:<12} {stats(walls):>22} {stats(cpus):>22} {per_cell:>14.2f} {statistics.median(rsss):>14.0f}")
    print(f"marginal per cell (full matrix minus a {small}-case one, medians):")
    for name, (cpu_ms, wall_ms) in marginal.items():
        print(f"  {name:<12} CPU {cpu_ms:.2f} ms/cell, wall {wall_ms:.2f} ms/cell")
    if len(medians) == 2:
        (gw, gc), (iw, ic) = medians["glmwb"], medians["inspect-ai"]
        mg, mi = marginal["glmwb"][0], marginal["inspect-ai"][0]
        ratio = f"{mi / mg:.1f}x" if mg > 0 else "n/a (glmwb's marginal CPU is below the noise)"
        print(f"inspect-ai / glmwb: wall {iw / gw:.1f}x, CPU {ic / gc:.1f}x, "
              f"marginal CPU per cell {ratio} (goal: overhead per cell >= 10x lower)")
    figures(a, results, smalls, small).write(a.json)


def figures(a, results, smalls, small):
    """The table's rows: per tool wall, CPU, peak RSS and CPU per cell; the marginal CPU per cell
    run by run (run i's full matrix minus its small one); inspect-ai / glmwb, run by run."""
    cells = 2 * a.cases
    d = cells - 2 * small
    f = Figures(f"evaluation {cells} cells")
    marginal = {}
    for name, rs in results.items():
        if not rs:
            continue
        f.add(f"{name} wall", "s", [r[0] for r in rs])
        f.add(f"{name} CPU", "s", [r[1] for r in rs])
        f.add(f"{name} peak RSS", "MiB", [r[2] / 1024 for r in rs])
        marginal[name] = [(b[1] - s[1]) / d * 1000 for b, s in zip(rs, smalls[name])]
        f.add(f"{name} marginal CPU per cell", "ms", marginal[name], note=f"{cells} cells minus {2 * small}")
    if len(marginal) == 2:
        g, i = results["glmwb"], results["inspect-ai"]
        f.add("inspect-ai / glmwb wall", "x", ratios([r[0] for r in i], [r[0] for r in g]))
        f.add("inspect-ai / glmwb CPU", "x", ratios([r[1] for r in i], [r[1] for r in g]))
        f.add("inspect-ai / glmwb marginal CPU/cell", "x", ratios(marginal["inspect-ai"], marginal["glmwb"]),
              (">=", 10), "overhead per cell 10x lower")
    return f


if __name__ == "__main__":
    try:
        main()
    except BenchError as e:
        sys.exit(f"eval bench failed: {e}")
