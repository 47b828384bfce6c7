#!/usr/bin/env python3
"""Runs a command and samples its resident set size (VmRSS from /proc, Linux; the command and its descendants) every
10 ms.

Prints the peak RSS of the whole run and the peak from the trough that follows the first large drop (by default 25 %
below the running peak) on — for a streaming extraction, the drop is the full token table being freed after the
prompts are embedded, so the second figure is the peak while blocks stream. Used by the bf16 streaming-memory measurement
(`Benchmarks/results/streaming-bf16-memory-*.txt`). Usage:

    Benchmarks/scripts/rss_timeline.py [--drop 0.25] [--trace FILE (seconds, GiB per line)] -- COMMAND ARGS…
"""

import os
import subprocess
import sys
import time


def rss_kib(pid: int) -> int:
    """VmRSS of `pid` and all its descendants (so `/usr/bin/time -v COMMAND` can be the command), in KiB."""
    total = 0
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                total += sum(rss_kib(int(child)) for child in f.read().split())
    except (FileNotFoundError, ProcessLookupError, ValueError):
        pass
    return total


def main() -> None:
    args = sys.argv[1:]
    drop, trace = 0.25, None
    while args[:1] in (["--drop"], ["--trace"]):
        if args[0] == "--drop":
            drop = float(args[1])
        else:
            trace = args[1]
        args = args[2:]
    if args[:1] == ["--"]:
        args = args[1:]
    start = time.monotonic()
    process = subprocess.Popen(args)
    samples = []
    while process.poll() is None:
        samples.append((time.monotonic() - start, rss_kib(process.pid)))
        time.sleep(0.01)
    # The drop: the first fall `drop` below the running peak; the trough: the lowest RSS after it before RSS climbs
    # again (10 % and 16 MiB above the lowest so far); the figure: the peak from the trough on.
    peak = max((kib for _, kib in samples), default=0)
    after, dropped_at, running, trough = 0, None, 0, None
    for i, (t, kib) in enumerate(samples):
        running = max(running, kib)
        if running > 0 and kib < (1 - drop) * running:
            dropped_at, lowest, trough = t, kib, i
            for j in range(i, len(samples)):
                if samples[j][1] < lowest:
                    lowest, trough = samples[j][1], j
                elif samples[j][1] > 1.1 * lowest + 16 * 1024:
                    break
            after = max(kib for _, kib in samples[trough:])
            break
    gib = 1 / 2**20
    if trace:
        with open(trace, "w") as f:
            f.writelines(f"{t:.3f} {kib * gib:.3f}\n" for t, kib in samples)
    print(f"rss samples       {len(samples)} over {samples[-1][0] if samples else 0:.1f} s", file=sys.stderr)
    print(f"peak RSS sampled  {peak * gib:.3f} GiB", file=sys.stderr)
    if dropped_at is not None:
        print(f"peak after drop   {after * gib:.3f} GiB (RSS fell {drop:.0%} below its peak at {dropped_at:.1f} s, "
              f"lowest {samples[trough][1] * gib:.3f} GiB at {samples[trough][0]:.1f} s)", file=sys.stderr)
    sys.exit(process.returncode)


if __name__ == "__main__":
    main()
