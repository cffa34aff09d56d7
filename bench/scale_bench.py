#!/usr/bin/env python3
"""Is a headless stream linear in its length? `glmwb run --stream` on 100,000 and on 1,000,000
chunks from ../shared/bench/flood_server.py, with curl on the same streams as the floor.

  bench/scale_bench.py --glmwb PATH [--small 100000] [--large 1000000] [--runs 5] [--keep]
                       [--json PATH]

Two flood servers (one per length); the runs alternate between the four clients (curl and glmwb
on each length), a checked warm-up first, then RUNS timed runs: wall, CPU (user + system) and
peak RSS, each as min / median / max. Every glmwb run is checked as bench.py checks it (whole
reply, usage, every payload stored), outside the timed region.
The figures (issue 15): time large / small should be the length ratio (10x for the defaults),
not more; peak RSS should grow only by what the reply itself needs (the assembled text, held a
few times over: the accumulator, the result, the printed record), never by what was streamed
(payloads, arrival offsets, event arrays, unbounded queues). The table prints the RSS growth
beside the growth of the assembled text. --json PATH writes the figures, with the ratios taken
run by run, for bench/report.py. Standard library only.
"""
import os
import shutil
import statistics
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import (MODEL, BenchError, check_glmwb, expected_text, fmt_stats, guarded, parser, start_flood,  # noqa: E402
                   tail, timed)
from figures import Figures, count, ratios  # noqa: E402


def measure(a, glmwb, curl, tmp, servers):
    floods = {}
    for n in (a.small, a.large):
        proc, port, banner = start_flood(n)
        servers.append(proc)
        floods[n] = (proc, f"http://127.0.0.1:{port}/v1", int(banner.split()[-2]))
        print(f"scale bench: {banner}", flush=True)
    texts = {n: expected_text(n) for n in floods}
    body = '{"model": "%s", "stream": true, "messages": [{"role": "user", "content": "hi"}]}' % MODEL
    clients = [(kind, n) for n in (a.small, a.large) for kind in ("curl", "glmwb")]
    walls = {c: [] for c in clients}
    cpus = {c: [] for c in clients}
    rss = {c: [] for c in clients}
    for i in range(a.runs + 1):
        for kind, n in clients:
            base = floods[n][1]
            if kind == "curl":
                cmd = [curl, "-sN", "-H", "Content-Type: application/json", "-d", body,
                       f"{base}/chat/completions", "-o", "/dev/null"]
                out = os.devnull
            else:
                data = tempfile.mkdtemp(prefix=f"data-{n}-{i}-", dir=tmp)
                out = os.path.join(tmp, f"glmwb-{n}-{i}.json")
                cmd = [glmwb, "run", "hi", "--provider", "openai", "--base-url", base, "--model", MODEL,
                       "--stream", "--data-dir", data, "--json"]
            dt, cpu, rc, maxrss, err = timed(cmd, out)
            if rc != 0:
                raise BenchError(f"{kind} on {n} chunks exited with {rc}: {' '.join(cmd)}\n{tail(err)}")
            if kind == "glmwb":
                check_glmwb(out, data, n, texts[n])
                if not a.keep:
                    shutil.rmtree(data, ignore_errors=True)
                    os.remove(out)
            if i > 0:
                walls[(kind, n)].append(dt)
                cpus[(kind, n)].append(cpu)
                rss[(kind, n)].append(maxrss / 1024)
            print(f"  {'warm-up' if i == 0 else f'run {i}':8} {kind:5} {n:>8} chunks  wall {dt:7.3f} s  "
                  f"CPU {cpu:7.3f} s  peak RSS {maxrss / 1024:7.1f} MiB", flush=True)

    print(f"\nscale bench: {a.runs} timed runs each; min / median / max (the machine may be loaded: "
          "read the ratios)")
    print(f"  {'client':16} {'wall s':>23}   {'CPU s':>23}   {'peak RSS MiB':>23}")
    for kind, n in clients:
        c = (kind, n)
        print(f"  {kind:5} {n:>8} ch  {fmt_stats(walls[c])}   {fmt_stats(cpus[c])}   {fmt_stats(rss[c])}")
    med = {c: (statistics.median(walls[c]), statistics.median(cpus[c]), statistics.median(rss[c]))
           for c in clients}
    g_small, g_large = med[("glmwb", a.small)], med[("glmwb", a.large)]
    length = a.large / a.small
    print(f"\n  ratios of medians, {a.large} / {a.small} chunks (the length ratio is {length:g}x)")
    print(f"  glmwb  wall {g_large[0] / g_small[0]:6.2f}x   CPU {g_large[1] / g_small[1]:6.2f}x   "
          f"peak RSS {g_large[2] / g_small[2]:6.2f}x")
    for n in (a.small, a.large):
        g, c = med[("glmwb", n)], med[("curl", n)]
        print(f"  glmwb / curl on {n:>8} chunks: wall {g[0] / c[0]:6.2f}x")
    text_growth = (len(texts[a.large].encode()) - len(texts[a.small].encode())) / 2**20
    rss_growth = g_large[2] - g_small[2]
    stream_growth = (floods[a.large][2] - floods[a.small][2]) / 2**20
    print(f"  peak RSS growth {rss_growth:.1f} MiB for {text_growth:.1f} MiB more assembled text "
          f"= {rss_growth / text_growth:.1f}x the text growth (bounded: a few copies of the text, "
          f"not the {stream_growth:.0f} MiB more that was streamed)")

    f = Figures(f"scale {count(a.large)}")
    small, large = count(a.small), count(a.large)
    g_s, g_l = ("glmwb", a.small), ("glmwb", a.large)
    for n in (a.small, a.large):
        f.add(f"glmwb {count(n)} wall", "s", walls[("glmwb", n)])
        f.add(f"glmwb {count(n)} CPU", "s", cpus[("glmwb", n)])
        f.add(f"glmwb {count(n)} peak RSS", "MiB", rss[("glmwb", n)])
    f.add(f"curl {large} wall", "s", walls[("curl", a.large)], note="the floor")
    # Linear: the time ratio is the length ratio, with 20% for noise; under it is start-up amortised.
    limit = round(length * 1.2, 1)
    f.add(f"glmwb wall {large} / {small}", "x", ratios(walls[g_l], walls[g_s]), ("<=", limit),
          f"linear = {length:g}x (+20% noise)")
    f.add(f"glmwb CPU {large} / {small}", "x", ratios(cpus[g_l], cpus[g_s]), ("<=", limit),
          f"linear = {length:g}x (+20% noise)")
    f.add(f"glmwb peak RSS {large} / {small}", "x", ratios(rss[g_l], rss[g_s]), note="no target: see the growth below")
    # Bounded: what RSS gains with the length is a few copies of the reply's text, never the
    # stream itself; the target is the stream's own growth, which a leak of payloads would exceed.
    growth = [big - little for big, little in zip(rss[g_l], rss[g_s])]
    f.add(f"glmwb peak RSS {large} - {small}", "MiB", growth, ("<", round(stream_growth)),
          f"text grew {text_growth:.1f} MiB; < the {stream_growth:.0f} MiB more streamed")
    f.write(a.json)


def main():
    ap = parser(__doc__)
    ap.add_argument("--small", type=int, default=100_000)
    ap.add_argument("--large", type=int, default=1_000_000)
    a = ap.parse_args()
    glmwb = os.path.abspath(a.glmwb)
    curl = shutil.which("curl")
    if not os.access(glmwb, os.X_OK) or not curl:
        print("scale bench: needs an executable --glmwb and curl", file=sys.stderr)
        return 2

    tmp = tempfile.mkdtemp(prefix="glmwb-scale-bench-")
    servers = []  # every flood server started, stopped at the end
    return guarded("scale bench", lambda: measure(a, glmwb, curl, tmp, servers), servers, tmp, a.keep)


if __name__ == "__main__":
    sys.exit(main())
