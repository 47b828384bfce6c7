#!/usr/bin/env python3
"""numpy's float32 matmul GFLOP/s on the shapes `embedding-drift bench sgemm` measures, for comparison.

    python Benchmarks/scripts/sgemm_numpy.py [--from sgemm.json] [--runs 3] [--json] [--output numpy.json]

With --from (the JSON report of `embedding-drift bench sgemm --json` / `--output`), the same shapes and thread counts
are measured and a comparison table (Swift / numpy) is printed; otherwise the built-in list, which mirrors the Swift
defaults. Shapes are M×K×N: C (M×N) = A (M×K) @ B.T with B stored N×K (transposeB) or A @ B with B stored K×N.
Each product runs once to warm up, then at least --runs times and for at least --minimum-seconds; the fastest
run counts (as in the Swift benchmark). Threads are limited with threadpoolctl.
"""

import argparse
import json
import os
import sys
import time

import numpy as np

try:
    from threadpoolctl import threadpool_info, threadpool_limits
except ImportError:  # pragma: no cover - threadpoolctl ships with scikit-learn
    threadpool_info = None
    threadpool_limits = None

SQUARE = [256, 512, 1024, 2048, 4096]
TRANSFORMER = [
    (2048, 2048, 2048, "attention 2048"),
    (2048, 2048, 8192, "ff-up 2048→8192"),
    (2048, 8192, 2048, "ff-down 8192→2048"),
    (512, 640, 2048, "gemma-270m ff-up"),
    (512, 2048, 640, "gemma-270m ff-down"),
]


def default_shapes():
    shapes = [{"m": s, "k": s, "n": s, "transposeB": False, "label": "square"} for s in SQUARE]
    shapes += [{"m": m, "k": k, "n": n, "transposeB": True, "label": label} for m, k, n, label in TRANSFORMER]
    return shapes


def backend():
    if threadpool_info is None:
        return f"numpy {np.__version__}"
    blas = [i for i in threadpool_info() if i.get("user_api") == "blas"]
    if not blas:
        return f"numpy {np.__version__}"
    info = blas[0]
    return f"numpy {np.__version__} ({info.get('internal_api')} {info.get('version')} {info.get('architecture')})"


def measure(shape, threads, runs, minimum_seconds, rng):
    m, k, n = shape["m"], shape["k"], shape["n"]
    a = rng.uniform(-1, 1, (m, k)).astype(np.float32)
    b = rng.uniform(-1, 1, (n, k) if shape["transposeB"] else (k, n)).astype(np.float32)
    rhs = b.T if shape["transposeB"] else b
    c = np.empty((m, n), dtype=np.float32)
    limits = threadpool_limits(limits=threads, user_api="blas") if threadpool_limits else None
    try:
        np.matmul(a, rhs, out=c)  # warm-up
        best, total, count = float("inf"), 0.0, 0
        while count < runs or (total < minimum_seconds and count < 1000):
            start = time.perf_counter()
            np.matmul(a, rhs, out=c)
            seconds = time.perf_counter() - start
            best, total, count = min(best, seconds), total + seconds, count + 1
    finally:
        if limits is not None:
            limits.restore_original_limits()
    flops = 2.0 * m * n * k
    return {"shape": shape, "threads": threads, "runs": runs, "bestSeconds": best, "gflops": flops / best / 1e9}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--from", dest="source", help="a bench sgemm JSON report: measure its shapes and threads")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per product, at least")
    parser.add_argument("--minimum-seconds", type=float, default=0.5,
                        help="repeat each product until its timed runs add up to this many seconds")
    parser.add_argument("--threads", default="1,all", help="comma-separated thread counts; 'all' = every processor")
    parser.add_argument("--json", action="store_true", help="print the JSON report instead of the table")
    parser.add_argument("--output", help="also write the JSON report here")
    args = parser.parse_args()

    swift = None
    if args.source:
        with open(args.source) as f:
            swift = json.load(f)
        seen = []
        for r in swift["results"]:
            if r["shape"] not in seen:
                seen.append(r["shape"])
        shapes = seen
        threads = sorted({r["threads"] for r in swift["results"]})
        runs = swift["results"][0]["runs"] if swift["results"] else args.runs
        minimum_seconds = swift.get("minimumSeconds", args.minimum_seconds)
    else:
        shapes = default_shapes()
        processors = os.cpu_count() or 1
        threads = []
        for item in args.threads.split(","):
            count = processors if item.strip() == "all" else int(item)
            if count not in threads:
                threads.append(count)
        runs = args.runs
        minimum_seconds = args.minimum_seconds

    rng = np.random.default_rng(2048)
    results = []
    for shape in shapes:
        for t in threads:
            results.append(measure(shape, t, runs, minimum_seconds, rng))
            if sys.stderr.isatty():
                print(f"\r{len(results)}/{len(shapes) * len(threads)} products", end="", file=sys.stderr, flush=True)
    if sys.stderr.isatty():
        print("", file=sys.stderr)

    peaks = []
    for t in sorted({r["threads"] for r in results}):
        best = max((r for r in results if r["threads"] == t), key=lambda r: r["gflops"])
        peaks.append({"threads": t, "gflops": best["gflops"], "shape": best["shape"]})
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    report = {"benchmark": "sgemm-numpy", "backend": backend(), "processors": os.cpu_count(), "results": results,
              "minimumSeconds": minimum_seconds, "loadAverage": load,
              "peaks": peaks, "peakGflops": max((p["gflops"] for p in peaks), default=0.0)}
    text = json.dumps(report, indent=2, sort_keys=True, ensure_ascii=False)
    if args.output:
        with open(args.output, "w") as f:
            f.write(text + "\n")
    if args.json:
        print(text)
        return

    def key(r):
        s = r["shape"]
        return (s["m"], s["k"], s["n"], s["transposeB"], r["threads"])

    swift_by_key = {key(r): r for r in swift["results"]} if swift else {}
    print(f"numpy float32 matmul on {report['backend']}, fastest of ≥ {runs} runs")
    header = f"{'M×K×N':>18} {'B':>2} {'shape':>20} {'threads':>7} {'ms':>9} {'GFLOP/s':>8}"
    if swift:
        header += f" {'Swift':>8} {'Swift/numpy':>11}"
    print(header)
    for r in results:
        s = r["shape"]
        line = (f"{s['m']}×{s['k']}×{s['n']}".rjust(18) + " " + ("ᵀ" if s["transposeB"] else "").rjust(2) + " "
                + s["label"].rjust(20) + " " + str(r["threads"]).rjust(7) + " "
                + f"{r['bestSeconds'] * 1000:.3f}".rjust(9) + " " + f"{r['gflops']:.1f}".rjust(8))
        other = swift_by_key.get(key(r))
        if other:
            line += f" {other['gflops']:8.1f} {other['gflops'] / r['gflops']:11.2f}"
        print(line)
    if load is not None and load > (os.cpu_count() or 1):
        print(f"note: the load average was {load:.1f} on {os.cpu_count()} processors: other processes shared the CPU, "
              "so the longer products ran slower than this machine can")
    for p in peaks:
        s = p["shape"]
        print(f"peak on {p['threads']} thread{'s' if p['threads'] != 1 else ''}: {p['gflops']:.1f} GFLOP/s "
              f"({s['m']}×{s['k']}×{s['n']})")


if __name__ == "__main__":
    main()
