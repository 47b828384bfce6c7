#!/usr/bin/env python3
"""Whole-process extraction, loading included: `embedding-drift extract` next to llama.cpp and transformers.

The 235 reference prompts (`The concept of {term} is`), last-token pooling, last layer, 2 threads, each run in its
own process under `/usr/bin/time -v` (wall time, peak RSS, system time), the tools interleaved run by run so that a
shared machine's load falls on all of them alike; the median of --runs is reported, with every run listed.

  swift-gguf     `embedding-drift extract F32.gguf --vocab seed-235 --layers last` (its manifest gives load and
                 forward seconds)
  llama.cpp      `llama-embedding -m F32.gguf --pooling last -f prompts.txt -t 2` (same file, same prompts)
  swift-st       `embedding-drift extract CHECKPOINT --vocab seed-235 --layers last` on the bf16 safetensors copy
  swift-st-bf16  the same with `--compute bf16`
  transformers   extract_vs_transformers.py's `best` and `best-prefix` workers (AutoModel, float32, batch 32) on the
                 same checkpoint, whole process

Usage (from the package root, after `swift build -c release`):

    python3 Benchmarks/scripts/load_whole_process.py --gguf /work/scratch/load-bench/llama1b-F32.gguf \
        --checkpoint /work/scratch/llama1b-tok --runs 3 [--binary .build/release/embedding-drift] \
        [--llama-embedding /work/refdata/llama-build/bin/llama-embedding] [--skip transformers]
"""
from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1].parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from extract_vs_transformers import TEMPLATE, seed_terms  # noqa: E402


def timed(command: list[str], env: dict, stdout=subprocess.DEVNULL) -> dict:
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        result = subprocess.run(["/usr/bin/time", "-v", "-o", report.name] + command, env=env, stdout=stdout,
                                stderr=subprocess.PIPE, text=True)
        if result.returncode != 0:
            raise SystemExit(f"{command[0]} failed:\n{result.stderr[-3000:]}")
        text = Path(report.name).read_text()
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", text).group(1)
    seconds = 0.0
    for part in wall.split(":"):
        seconds = seconds * 60 + float(part)
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1)) * 1024
    system = float(re.search(r"System time \(seconds\): (\S+)", text).group(1))
    user = float(re.search(r"User time \(seconds\): (\S+)", text).group(1))
    return {"seconds": seconds, "peak_rss_bytes": rss, "system_seconds": system, "user_seconds": user}


def swift(args, model: str, scratch: Path, extra: list[str]) -> dict:
    out = scratch / "swift-out"
    subprocess.run(["rm", "-rf", str(out)], check=True)
    env = dict(os.environ, OPENBLAS_NUM_THREADS=str(args.threads))
    result = timed([args.binary, "extract", model, "--vocab", "seed-235", "--out", str(out), "--name", "bench",
                    "--layers", "last"] + extra, env)
    manifest = json.loads((out / "manifest.json").read_text())
    timings = manifest["variants"][0].get("timings", {})
    result["load_seconds"] = timings.get("load_seconds")
    result["forward_seconds"] = timings.get("forward_seconds")
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--gguf", required=True)
    parser.add_argument("--checkpoint", required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--binary", default=str(ROOT / ".build" / "release" / "embedding-drift"))
    parser.add_argument("--llama-embedding", default="/work/refdata/llama-build/bin/llama-embedding")
    parser.add_argument("--skip", action="append", default=[])
    parser.add_argument("--json")
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="load-whole-"))
    prompts = scratch / "prompts.txt"
    prompts.write_text("".join(TEMPLATE.format(term=t) + "\n" for t in seed_terms()))
    llama_env = dict(os.environ, LD_LIBRARY_PATH=str(Path(args.llama_embedding).parent))
    torch_env = dict(os.environ, OMP_NUM_THREADS=str(args.threads), MKL_NUM_THREADS=str(args.threads))
    worker = str(Path(__file__).resolve().parent / "extract_vs_transformers.py")
    runs: dict[str, list[dict]] = {}
    tools = {
        "swift-gguf": lambda: swift(args, args.gguf, scratch, []),
        "llama.cpp": lambda: timed([args.llama_embedding, "-m", args.gguf, "--pooling", "last", "-f", str(prompts),
                                    "-t", str(args.threads), "-c", "4096", "-b", "2048", "-ub", "2048",
                                    "--embd-output-format", "array"], llama_env),
        "swift-st": lambda: swift(args, args.checkpoint, scratch, []),
        "swift-st-bf16": lambda: swift(args, args.checkpoint, scratch, ["--compute", "bf16"]),
        "transformers-best": lambda: timed([sys.executable, worker, "--worker", "best", "--model", args.checkpoint,
                                            "--threads", str(args.threads), "--worker-out",
                                            str(scratch / "best.npy")], torch_env),
        "transformers-best-prefix": lambda: timed([sys.executable, worker, "--worker", "best-prefix", "--model",
                                                   args.checkpoint, "--threads", str(args.threads), "--worker-out",
                                                   str(scratch / "prefix.npy")], torch_env),
    }
    for run in range(args.runs):
        for name, tool in tools.items():
            if any(name.startswith(s) for s in args.skip):
                continue
            result = tool()
            runs.setdefault(name, []).append(result)
            print(f"run {run + 1} {name}: {result}", file=sys.stderr, flush=True)

    file_bytes = os.path.getsize(args.gguf)
    print(f"F32 GGUF {file_bytes / 1e9:.2f} GB; {args.runs} runs, median; threads {args.threads}; "
          f"load average {os.getloadavg()[0]:.2f}")
    print("tool                       wall s   peak RSS GB  RSS/GGUF   sys s   load s  forward s")
    medians = {}
    for name, results in runs.items():
        m = {k: statistics.median(r[k] for r in results if r.get(k) is not None)
             for k in results[0] if any(r.get(k) is not None for r in results)}
        medians[name] = m
        print(f"{name:<25} {m['seconds']:7.2f}   {m['peak_rss_bytes'] / 1e9:10.2f}  {m['peak_rss_bytes'] / file_bytes:8.2f}"
              f"  {m['system_seconds']:6.2f}   {m.get('load_seconds', float('nan')):6.2f}  "
              f"{m.get('forward_seconds', float('nan')):8.2f}")
    def ratio(slow: str, fast: str) -> None:
        if slow in medians and fast in medians:
            print(f"{fast} is {medians[slow]['seconds'] / medians[fast]['seconds']:.2f}× faster than {slow}")
    ratio("llama.cpp", "swift-gguf")
    best = min((n for n in medians if n.startswith("transformers")), key=lambda n: medians[n]["seconds"], default=None)
    if best:
        ratio(best, "swift-st")
        ratio(best, "swift-st-bf16")
    if args.json:
        Path(args.json).write_text(json.dumps({"runs": runs, "medians": medians}, indent=1))


if __name__ == "__main__":
    main()
