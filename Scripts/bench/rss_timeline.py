#!/usr/bin/env python3
"""Runs a command and samples its resident set size (VmRSS from /proc, Linux) every 10 ms.

Prints the peak RSS of the whole run and the peak after the first large drop (by default 25 % below the running
peak) — for a streaming extraction, the drop is the full token table being freed after the prompts are embedded, so
the second figure is the peak while blocks stream. Used by the bf16 streaming-memory measurement
(`Scripts/bench/results/streaming-bf16-memory-*.txt`). Usage:

    Scripts/bench/rss_timeline.py [--drop 0.25] -- COMMAND ARGS…
"""

import subprocess
import sys
import time


def rss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        pass
    return 0


def main() -> None:
    args = sys.argv[1:]
    drop = 0.25
    if args[:1] == ["--drop"]:
        drop, args = float(args[1]), args[2:]
    if args[:1] == ["--"]:
        args = args[1:]
    start = time.monotonic()
    process = subprocess.Popen(args)
    samples = []
    while process.poll() is None:
        samples.append((time.monotonic() - start, rss_kib(process.pid)))
        time.sleep(0.01)
    peak, after, dropped_at, running = 0, 0, None, 0
    for t, kib in samples:
        peak = max(peak, kib)
        if dropped_at is None:
            running = max(running, kib)
            if running > 0 and kib < (1 - drop) * running:
                dropped_at = t
        else:
            after = max(after, kib)
    gib = 1 / 2**20
    print(f"rss samples       {len(samples)} over {samples[-1][0] if samples else 0:.1f} s", file=sys.stderr)
    print(f"peak RSS sampled  {peak * gib:.3f} GiB", file=sys.stderr)
    if dropped_at is not None:
        print(f"peak after drop   {after * gib:.3f} GiB (RSS fell {drop:.0%} below its peak at {dropped_at:.1f} s)",
              file=sys.stderr)
    sys.exit(process.returncode)


if __name__ == "__main__":
    main()
