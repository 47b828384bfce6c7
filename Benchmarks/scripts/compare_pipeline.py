#!/usr/bin/env python3
"""The demo's 3-variant compare with and without pipelined loading, interleaved in one run.

`embedding-drift compare shipped=M nf4=M@nf4 q8_0=M@q8_0 --vocab seed-235 --next-token` (the demo's command) twice
per round: as is (the next variant loads while the current one extracts, when the budget holds two) and with
`--max-memory` set between one and two variants' float32 weights, which makes the variants load in turn. Reported
per run: wall time and peak RSS (`/usr/bin/time -v`), the extraction's seconds and the overlap from the manifest's
`last_run.pipeline`; then medians.

Other variants with `--variant name=model` (repeated; then `--model` is not needed), options for every compare
after `--` (e.g. `-- --no-next-token`), and `--cold` to drop the page cache before every run (root only: `sync`,
then 3 into /proc/sys/vm/drop_caches), so that loading waits on the disk.

Usage (from the package root, after `swift build -c release`):

    python3 Benchmarks/scripts/compare_pipeline.py --model ~/.cache/embedding-drift/gemma-3-270m-q4_k_m.gguf \
        --sequential-budget 1.6G --runs 3
    python3 Benchmarks/scripts/compare_pipeline.py --cold --sequential-budget 5G --runs 3 \
        --variant a=ckpt-a --variant b=ckpt-b --variant c=ckpt-c -- --no-next-token
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

ROOT = Path(__file__).resolve().parents[2]


def run(args, out: Path, extra: list[str]) -> dict:
    subprocess.run(["rm", "-rf", str(out)], check=True)
    variants = args.variant or [f"shipped={args.model}", f"nf4={args.model}@nf4", f"q8_0={args.model}@q8_0"]
    command = [args.binary, "compare", *variants, "--vocab", "seed-235", "--out", str(out)] + args.options + extra
    if not args.variant:
        command.append("--next-token")
    if args.cold:
        subprocess.run(["sync"], check=True)
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        result = subprocess.run(["/usr/bin/time", "-v", "-o", report.name] + command, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, text=True)
        if result.returncode != 0:
            raise SystemExit(f"compare failed:\n{result.stderr[-3000:]}")
        text = Path(report.name).read_text()
    wall = 0.0
    for part in re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", text).group(1).split(":"):
        wall = wall * 60 + float(part)
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1)) * 1024
    last = json.loads((out / "manifest.json").read_text())["last_run"]
    pipeline = last.get("pipeline") or {}
    loads = [p["end"] - p["start"] for p in pipeline.get("phases", []) if p["phase"] == "load"]
    extracts = [p["end"] - p["start"] for p in pipeline.get("phases", []) if p["phase"] == "extract"]
    return {"seconds": wall, "peak_rss_bytes": rss, "extraction_seconds": last["extraction_seconds"],
            "overlapped": pipeline.get("overlapped"), "overlap_seconds": pipeline.get("overlap_seconds"),
            "load_seconds": sum(loads), "extract_seconds": sum(extracts), "note": pipeline.get("note")}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", help="the demo's three variants of this model (or give --variant)")
    parser.add_argument("--variant", action="append", help="name=model, repeated (instead of --model)")
    parser.add_argument("--cold", action="store_true", help="drop the page cache before every run (root)")
    parser.add_argument("--sequential-budget", required=True, help="a --max-memory that holds one variant, not two")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--binary", default=str(ROOT / ".build" / "release" / "embedding-drift"))
    parser.add_argument("--json")
    parser.add_argument("options", nargs="*", help="after --: options for every compare")
    args = parser.parse_args()
    if not args.model and not args.variant:
        parser.error("give --model or --variant")
    scratch = Path(tempfile.mkdtemp(prefix="compare-pipeline-"))
    results: dict[str, list[dict]] = {"pipelined": [], "sequential": []}
    for r in range(args.runs):
        for name, extra in (("pipelined", []), ("sequential", ["--max-memory", args.sequential_budget])):
            result = run(args, scratch / name, extra)
            results[name].append(result)
            print(f"run {r + 1} {name}: {result}", file=sys.stderr, flush=True)
    print(f"{args.runs} runs, median; load average {os.getloadavg()[0]:.2f}")
    print("mode         wall s  peak RSS MiB  extraction s  load s (sum)  extract s (sum)  overlap s")
    medians = {}
    for name, rs in results.items():
        m = {k: statistics.median(x[k] for x in rs) for k in
             ("seconds", "peak_rss_bytes", "extraction_seconds", "load_seconds", "extract_seconds", "overlap_seconds")}
        medians[name] = m
        print(f"{name:<11} {m['seconds']:7.2f}  {m['peak_rss_bytes'] / 2**20:12.0f}  {m['extraction_seconds']:12.2f}"
              f"  {m['load_seconds']:12.2f}  {m['extract_seconds']:15.2f}  {m['overlap_seconds']:9.2f}")
    saved = medians["sequential"]["seconds"] - medians["pipelined"]["seconds"]
    print(f"pipelined saves {saved:.2f} s of wall time; the overlap it made: {medians['pipelined']['overlap_seconds']:.2f} s")
    print(f"note when sequential: {results['sequential'][0]['note']}")
    if args.json:
        Path(args.json).write_text(json.dumps({"runs": results, "medians": medians}, indent=1))


if __name__ == "__main__":
    main()
