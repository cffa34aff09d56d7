#!/usr/bin/env python3
"""Streaming benchmark: how fast does glmwb consume a chat-completions SSE stream, compared with
the floor (curl reading the same bytes) and with peers (the OpenAI Python SDK, `llm`)?

  bench/bench.py --glmwb PATH [--chunks 100000] [--runs 5] [--python VENV_PYTHON]
                 [--baseline OTHER_GLMWB] [--no-peer] [--no-llm] [--skip-glmwb-checks] [--keep]
                 [--json PATH]

It starts ../shared/bench/flood_server.py (next to the repository) on a free loopback port; the
server streams CHUNKS one-token chunks at full socket speed, then for each run times, wall clock,
each client consuming the whole stream once:
  curl    curl -sN ... -o /dev/null                                   (the floor)
  glmwb   glmwb run "hi" --provider openai --base-url ... --stream --data-dir FRESH --json
  openai  bench/openai_peer.py with the venv python (the `openai` SDK)
  llm     the `llm` CLI from the venv, an extra OpenAI-compatible model (logs to its SQLite)
Every glmwb run is verified (outside the timed region): its JSON must report the whole reply
(chunks, usage.completion_tokens, content, finish_reason) and its run log must hold one
payload per SSE event (a run_events row each, or a place in a run_event_blocks row). A fast
wrong answer is not a result: the bench fails instead.
Each client is timed in wall clock and in CPU time (user + system, from wait4's rusage, which
counts every thread and every waited-for child); the table gives min, median and max of each over
the timed runs, and the ratios use the medians (--json's rows take them run by run). The runs alternate between the clients, so a
burst of load from elsewhere lands on all of them rather than on one.
Peak RSS is each client's maximum resident set size from GNU /usr/bin/time (every client is
wrapped alike; without it, wait4's ru_maxrss).
--json PATH writes every figure, with its raw runs and its target (issue 15: glmwb at least 20x
faster than the OpenAI SDK and at most 10x curl, in wall and in CPU time), for bench/report.py.
Standard library only.
"""
import argparse
import json
import os
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time

from figures import Figures, count, ratios

BENCH = os.path.dirname(os.path.abspath(__file__))
PROJECT = os.path.dirname(BENCH)
FLOOD = os.path.normpath(os.path.join(PROJECT, "..", "shared", "bench", "flood_server.py"))
MODEL = "glm-4-32b-0414-128k"
TOKENS = ["Hello", " world", ",", " 你好", "世界", " streaming", " tokens", "\n"]  # as flood_server.py
RUN_TIMEOUT = 300.0


class BenchError(Exception):
    pass


def expected_text(chunks):
    return "".join(TOKENS[i % len(TOKENS)] for i in range(chunks))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_flood(chunks):
    if not os.path.exists(FLOOD):
        raise BenchError(f"flood server not found at {FLOOD} (the repository is expected to be "
                         "checked out next to shared/)")
    port = free_port()
    proc = subprocess.Popen([sys.executable, FLOOD, str(port), str(chunks)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    banner = proc.stdout.readline().strip()  # printed once the socket listens
    if proc.poll() is not None or "flood server on" not in banner:
        proc.kill()
        raise BenchError(f"flood server did not start: {banner or proc.stdout.read()}")
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if time.monotonic() > deadline:
                proc.kill()
                raise BenchError("flood server does not accept connections")
            time.sleep(0.05)
    return proc, port, banner


TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None


def timed(cmd, stdout_path, env=None):
    """Run cmd; return (wall seconds, CPU seconds, exit code, peak RSS in KiB, stderr text).

    CPU seconds are user + system time from wait4's rusage: on Linux it includes the children
    the process waited for, so the `time` wrapper's child (the client) is counted.

    Every client is wrapped alike in GNU `/usr/bin/time -f %M` for its peak RSS (a ~1 ms
    fork+exec, the same for all). Without it, wait4's ru_maxrss is used, which also counts
    this Python process's own pages inherited at fork (about +15 MiB)."""
    with open(stdout_path, "wb") as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile(mode="r", suffix=".rss") as rssf:
        full = [TIME, "-f", "%M", "-o", rssf.name, *cmd] if TIME else cmd
        t0 = time.perf_counter()
        p = subprocess.Popen(full, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env)
        killer = threading.Timer(RUN_TIMEOUT, p.kill)
        killer.start()
        try:
            _, status, ru = os.wait4(p.pid, 0)
        finally:
            killer.cancel()
        dt = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        maxrss = ru.ru_maxrss
        if TIME:
            lines = [l for l in rssf.read().split() if l.isdigit()]
            maxrss = int(lines[-1]) if lines else 0
        cpu = ru.ru_utime + ru.ru_stime
        return dt, cpu, p.returncode, maxrss, err.read().decode("utf-8", "replace")


def stop(label, servers, tmp, keep):
    """The end of every bench: its flood servers stopped, its temp dir removed (or named, with
    --keep)."""
    for proc in servers:
        proc.kill()
        proc.wait()
    if keep:
        print(f"{label}: outputs kept in {tmp}")
    else:
        shutil.rmtree(tmp, ignore_errors=True)


def parser(doc, runs=5):
    """The options every bench takes: --glmwb, --runs, --keep and --json."""
    ap = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    ap.add_argument("--glmwb", required=True, help="path to the glmwb binary")
    ap.add_argument("--runs", type=int, default=runs)
    ap.add_argument("--keep", action="store_true", help="keep the temp dir (outputs, data dirs)")
    ap.add_argument("--json", default=None, metavar="PATH",
                    help="also write the figures (raw runs, targets) there, for bench/report.py")
    return ap


def guarded(label, body, servers, tmp, keep):
    """Runs body(); a BenchError ends it as one FAILED line and status 1; stops either way."""
    try:
        body()
        return 0
    except BenchError as e:
        print(f"{label}: FAILED: {e}", file=sys.stderr)
        return 1
    finally:
        stop(label, servers, tmp, keep)


def tail(text, n=15):
    return "\n".join(text.strip().splitlines()[-n:])


# ------------------------------------------------------------------ checks

def logged_events(con, run_id=None):
    """How many raw payloads a run log holds, of one run or of all: its rows in run_events plus,
    in a log whose payloads are stored a batch to a row (run_event_blocks, newer builds; readers
    take both), the payloads its blocks count. So the checks hold for either layout."""
    where, args = ("WHERE run_id = ?", (run_id,)) if run_id else ("", ())
    n = con.execute(f"SELECT COUNT(*) FROM run_events {where}", args).fetchone()[0]
    if con.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'run_event_blocks'").fetchone():
        n += con.execute(f"SELECT COALESCE(SUM(count), 0) FROM run_event_blocks {where}", args).fetchone()[0]
    return n


def libraries_at_start(binary):
    """The shared libraries the loader maps for `binary`, as the loader itself lists them (what
    `ldd` prints): a release build loads libcurl only when something calls it (CurlOnDemand), and
    a link that lost that would load it and its 27 libraries at every start again."""
    r = subprocess.run([binary, "--version"], env=dict(os.environ, LD_TRACE_LOADED_OBJECTS="1"),
                       capture_output=True, text=True, timeout=30)
    return [line.split()[0] for line in r.stdout.splitlines() if line.strip()]


def check_glmwb(out_path, data_dir, chunks, text):
    raw = open(out_path, "rb").read().decode("utf-8", "replace")
    obj = None
    try:
        obj = json.loads(raw)
    except ValueError:
        for line in reversed(raw.strip().splitlines()):  # tolerate a JSON line after other output
            try:
                obj = json.loads(line)
                break
            except ValueError:
                continue
    if not isinstance(obj, dict):
        raise BenchError(f"glmwb --json printed no JSON object: {raw[:300]!r}")
    problems = []
    if obj.get("error") not in (None, {}):
        problems.append(f"error={json.dumps(obj.get('error'))[:300]}")
    if obj.get("chunks") not in (chunks + 1, chunks + 2):
        problems.append(f"chunks={obj.get('chunks')!r}, expected {chunks + 1} or {chunks + 2}")
    usage = obj.get("usage") or {}
    if usage.get("completion_tokens") != chunks:
        problems.append(f"usage.completion_tokens={usage.get('completion_tokens')!r}, expected {chunks}")
    if "content" in obj and obj["content"] != text:
        c = obj["content"] if isinstance(obj["content"], str) else ""
        problems.append(f"content has {len(c)} chars, expected {len(text)} "
                        f"(first difference at {next((i for i, (a, b) in enumerate(zip(c, text)) if a != b), min(len(c), len(text)))})")
    if "finish_reason" in obj and obj["finish_reason"] != "stop":
        problems.append(f"finish_reason={obj['finish_reason']!r}, expected 'stop'")
    db = os.path.join(data_dir, "glmwb.sqlite")
    if not os.path.exists(db):
        problems.append(f"no run log at {db}")
    else:
        con = sqlite3.connect(f"file:{db}", uri=True, timeout=10)
        try:
            rows = logged_events(con)
        except sqlite3.Error as e:
            rows = None
            problems.append(f"run log unreadable: {e}")
        finally:
            con.close()
        # One stored payload per SSE data payload (a network read's payloads share a row of
        # run_event_blocks): role chunk + CHUNKS tokens + final chunk (+ [DONE]).
        if rows is not None and not (chunks <= rows <= chunks + 8):
            problems.append(f"the run log holds {rows} payloads, expected about {chunks + 2}")
    if problems:
        raise BenchError("glmwb gave a wrong answer: " + "; ".join(problems))
    return obj


def check_peer(out_path, text):
    raw = open(out_path).read()
    fields = dict(kv.split("=", 1) for kv in raw.split() if "=" in kv)
    if fields.get("content_chars") != str(len(text)) or fields.get("finish") != "stop":
        raise BenchError(f"openai peer consumed a different stream: {raw.strip()!r} "
                         f"(expected content_chars={len(text)} finish=stop)")


def check_llm(out_path, text):
    got = open(out_path, "rb").read().decode("utf-8", "replace")
    if got.rstrip("\n") != text.rstrip("\n"):
        raise BenchError(f"llm printed {len(got)} chars, expected {len(text)}")


# ------------------------------------------------------------------ main

def fmt_stats(xs):
    return f"{min(xs):7.3f} {statistics.median(xs):7.3f} {max(xs):7.3f}"


def print_ratio(label, num, den, note=""):
    """One line of ratios of medians, wall and CPU; a zero denominator (curl's CPU can round to
    nothing on a fast machine) prints n/a rather than dividing by it."""
    def r(a, b):
        return f"{a / b:8.2f}x" if b > 0 else "     n/a"
    print(f"  {label:19} wall {r(num[0], den[0])}   CPU {r(num[1], den[1])}  {note}".rstrip())


def figures(a, clients, times, cpus, rss):
    """The table's rows: each client's wall, CPU and peak RSS, then the run-by-run ratios the
    targets are about (glmwb / curl at most 10x, the OpenAI SDK / glmwb at least 20x)."""
    f = Figures(f"headless {count(a.chunks)}")
    for name in clients:
        f.add(f"{name} wall", "s", times[name])
        f.add(f"{name} CPU", "s", cpus[name])
        f.add(f"{name} peak RSS", "MiB", [r / 1024 for r in rss[name]])
    if "glmwb" not in clients:
        return f
    unchecked = "glmwb output NOT verified (--skip-glmwb-checks)" if a.skip_glmwb_checks else ""
    for kind, xs in (("wall", times), ("CPU", cpus)):
        zero = sum(1 for c in xs["curl"] if c <= 0)
        note = f"{zero} run(s) with curl's CPU at 0 left out" if zero else unchecked
        f.add(f"glmwb / curl {kind}", "x", ratios(xs["glmwb"], xs["curl"]), ("<=", 10), note)
    for kind, xs in (("wall", times), ("CPU", cpus)):
        if "openai SDK" in clients:
            f.add(f"openai SDK / glmwb {kind}", "x", ratios(xs["openai SDK"], xs["glmwb"]), (">=", 20),
                  "how many times faster glmwb is")
    for kind, xs in (("wall", times), ("CPU", cpus)):
        if "llm CLI" in clients:
            f.add(f"llm CLI / glmwb {kind}", "x", ratios(xs["llm CLI"], xs["glmwb"]), note="no target")
    for kind, xs in (("wall", times), ("CPU", cpus)):
        if "glmwb base" in clients:
            f.add(f"glmwb base / glmwb {kind}", "x", ratios(xs["glmwb base"], xs["glmwb"]),
                  note="speed-up over --baseline")
    return f


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--glmwb", required=True, help="path to the glmwb binary")
    ap.add_argument("--chunks", type=int, default=100000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--python", default=None,
                    help="python with the openai SDK (default: <project>/.venv/bin/python)")
    ap.add_argument("--no-peer", action="store_true", help="skip the OpenAI SDK peer")
    ap.add_argument("--no-llm", action="store_true", help="skip the llm CLI peer")
    ap.add_argument("--no-glmwb", action="store_true", help="measure only the floor and peers")
    ap.add_argument("--baseline", default=None,
                    help="another glmwb binary (say, a build of the commit before a change), run "
                         "alternately with --glmwb on the same stream as the client 'glmwb base'")
    ap.add_argument("--skip-glmwb-checks", action="store_true",
                    help="do not verify glmwb's output (only for testing this script)")
    ap.add_argument("--keep", action="store_true", help="keep the temp dir (outputs, data dirs)")
    ap.add_argument("--json", default=None, metavar="PATH",
                    help="also write the figures (raw runs, targets) there, for bench/report.py")
    a = ap.parse_args()

    venv_py = a.python or os.path.join(PROJECT, ".venv", "bin", "python")
    venv_bin = os.path.dirname(venv_py)
    llm_bin = os.path.join(venv_bin, "llm")
    glmwb = os.path.abspath(a.glmwb) if os.sep in a.glmwb else (shutil.which(a.glmwb) or a.glmwb)
    if not a.no_glmwb and not os.access(glmwb, os.X_OK):
        print(f"bench: glmwb binary not found or not executable: {a.glmwb}", file=sys.stderr)
        return 2
    curl = shutil.which("curl")
    if not curl:
        print("bench: curl is needed for the floor", file=sys.stderr)
        return 2
    use_peer = not a.no_peer and os.access(venv_py, os.X_OK)
    if not a.no_peer and not use_peer:
        print(f"bench: no venv python at {venv_py}; skipping the OpenAI SDK peer "
              "(run scripts/local_model.py ensure, or pass --python)", file=sys.stderr)
    use_llm = not a.no_llm and os.access(llm_bin, os.X_OK)

    text = expected_text(a.chunks)
    tmp = tempfile.mkdtemp(prefix="glmwb-bench-")
    flood, port, banner = start_flood(a.chunks)
    base = f"http://127.0.0.1:{port}/v1"
    print(f"bench: {banner}; {a.runs} run(s) per client", flush=True)

    body = json.dumps({"model": MODEL, "stream": True, "messages": [{"role": "user", "content": "hi"}]})
    clients = {}  # name -> (make_cmd(run_index) -> (cmd, env, out_path), check(run_index, out_path))

    def curl_cmd(i):
        return ([curl, "-sN", "-H", "Content-Type: application/json", "-d", body,
                 f"{base}/chat/completions", "-o", "/dev/null"], None, os.devnull)
    clients["curl"] = (curl_cmd, None)

    glmwb_dirs = {}

    def add_glmwb(name, binary):
        """A glmwb client: a fresh data dir per run, its answer and run log checked."""
        def glmwb_cmd(i):
            d = tempfile.mkdtemp(prefix=f"glmwb-data-{i}-", dir=tmp)
            glmwb_dirs[(name, i)] = d
            return ([binary, "run", "hi", "--provider", "openai", "--base-url", base,
                     "--model", MODEL, "--stream", "--data-dir", d, "--json"],
                    None, os.path.join(tmp, f"{name.replace(' ', '-')}-{i}.json"))

        def glmwb_check(i, out):
            if not a.skip_glmwb_checks:
                check_glmwb(out, glmwb_dirs[(name, i)], a.chunks, text)
        clients[name] = (glmwb_cmd, glmwb_check)

    if not a.no_glmwb:
        libs = libraries_at_start(glmwb)
        print(f"bench: glmwb loads {len(libs)} shared libraries at start", flush=True)
        if sys.platform.startswith("linux") and any("libcurl" in lib for lib in libs):
            raise BenchError("glmwb loads libcurl at start: the release link lost CurlOnDemand's linker "
                             "script (Package.swift puts Sources/CurlOnDemand/link first on the library "
                             "path), and every start pays for libcurl's libraries again")
        add_glmwb("glmwb", glmwb)
    if a.baseline:
        add_glmwb("glmwb base", os.path.abspath(a.baseline))

    if use_peer:
        def peer_cmd(i):
            return ([venv_py, os.path.join(BENCH, "openai_peer.py"), "--base-url", base,
                     "--model", MODEL], None, os.path.join(tmp, f"openai-{i}.txt"))
        clients["openai SDK"] = (peer_cmd, lambda i, out: check_peer(out, text))

    if use_llm:
        def llm_cmd(i):
            user_dir = tempfile.mkdtemp(prefix=f"llm-{i}-", dir=tmp)
            with open(os.path.join(user_dir, "extra-openai-models.yaml"), "w") as f:
                f.write(f"- model_id: flood\n  model_name: {MODEL}\n  api_base: \"{base}\"\n")
            env = dict(os.environ, LLM_USER_PATH=user_dir)
            return ([llm_bin, "-m", "flood", "--key", "x", "hi"], env,
                    os.path.join(tmp, f"llm-{i}.txt"))
        clients["llm CLI"] = (llm_cmd, lambda i, out: check_llm(out, text))

    times = {k: [] for k in clients}
    cpus = {k: [] for k in clients}
    rss = {k: [] for k in clients}
    status = 0
    try:
        # Run 0 is a checked warm-up (page cache, first exec); runs 1..N are timed.
        for i in range(a.runs + 1):
            for name, (make, check) in clients.items():
                cmd, env, out = make(i)
                dt, cpu, rc, maxrss, err = timed(cmd, out, env)
                if rc != 0:
                    raise BenchError(f"{name} exited with status {rc} (run {i}): "
                                     f"{' '.join(cmd)}\n{tail(err)}")
                if check:
                    check(i, out)
                if i > 0:
                    times[name].append(dt)
                    cpus[name].append(cpu)
                    rss[name].append(maxrss)
                print(f"  {'warm-up' if i == 0 else f'run {i}':8} {name:11} wall {dt:8.3f} s  "
                      f"CPU {cpu:8.3f} s  peak RSS {maxrss / 1024:7.1f} MiB", flush=True)
                if (name, i) in glmwb_dirs and not a.keep:
                    shutil.rmtree(glmwb_dirs.pop((name, i)), ignore_errors=True)

        print(f"\nbench: {a.chunks} chunks, {a.runs} timed run(s) each; seconds as min / median / max")
        print(f"  {'client':11} {'wall':>23}   {'CPU (user+sys)':>23}   peak RSS")
        for name in clients:
            print(f"  {name:11} {fmt_stats(times[name])}   {fmt_stats(cpus[name])}   "
                  f"{max(rss[name]) / 1024:7.1f} MiB")
        med = {k: (statistics.median(times[k]), statistics.median(cpus[k])) for k in clients}
        print("\n  ratios of medians")
        if "glmwb" in med:
            print_ratio("glmwb / curl", med["glmwb"], med["curl"], "(how far above the floor)")
            if "glmwb base" in med:
                print_ratio("glmwb base / glmwb", med["glmwb base"], med["glmwb"], "(speed-up over the baseline)")
            if a.skip_glmwb_checks:
                print("  (glmwb output NOT verified: --skip-glmwb-checks)")
            for peer in ("openai SDK", "llm CLI"):
                if peer in med:
                    print_ratio(peer + " / glmwb", med[peer], med["glmwb"], "(how many times faster glmwb is)")
        for peer in ("openai SDK", "llm CLI"):
            if peer in med:
                print_ratio(peer + " / curl", med[peer], med["curl"])
        if not use_peer:
            print("  (no OpenAI SDK column: no python with the openai package; see the note above)")
        figures(a, clients, times, cpus, rss).write(a.json)
    except BenchError as e:
        print(f"bench: FAILED: {e}", file=sys.stderr)
        status = 1
    finally:
        stop("bench", [flood], tmp, a.keep)
    return status


if __name__ == "__main__":
    sys.exit(main())
