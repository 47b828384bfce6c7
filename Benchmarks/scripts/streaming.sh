#!/usr/bin/env bash
# Layer streaming benchmark (issue 10): Llama-3.2-1B shapes in memory vs streaming (with and without reading the next
# block in the background), then Llama-3.1-8B shapes streamed under the default --max-memory; peak RSS, wall time,
# GFLOP/s and the load average beside each figure. The random-weight models (~2.5 GB and ~16 GB of bf16, never
# committed) are made on first use under $SCRATCH.
#   Benchmarks/scripts/streaming.sh            # everything
#   ONLY=1b Benchmarks/scripts/streaming.sh    # the 1B comparison only
# Run it once, under nice, on a quiet machine if possible: the 8B run reads 16 GB and computes ~22 TFLOP.
set -euo pipefail
cd "$(dirname "$0")/../.."
PYTHON="${PYTHON:-python3}"
SCRATCH="${SCRATCH:-/work/scratch/stream}"
mkdir -p "$SCRATCH"
swift build -c release --product embedding-drift 2>&1 | tail -1
BIN="$PWD/.build/release/embedding-drift"

model() {  # model SHAPES FOLDER
    local raw="$SCRATCH/random-llama-$1" bench="$2"
    if [ ! -e "$raw/config.json" ]; then nice "$PYTHON" Benchmarks/scripts/make_random_llama.py "$raw" --shapes "$1"; fi
    if [ ! -e "$bench/tokenizer.json" ]; then "$PYTHON" Benchmarks/scripts/add_llama32_tokenizer.py "$raw" "$bench"; fi
}

run() {  # run LABEL MODEL ARGS…
    local label="$1" folder="$2"; shift 2
    echo "== $label: $(date -u +%FT%TZ), load average $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
    /usr/bin/time -v nice "$BIN" bench extract "$folder" "$@" 2> "$SCRATCH/$label.time"
    grep -E "Maximum resident|Elapsed" "$SCRATCH/$label.time"
}

model 1b "$SCRATCH/llama-1b-bench"
run 1b-streaming-prefetch "$SCRATCH/llama-1b-bench" --max-memory 3G
run 1b-streaming-no-prefetch "$SCRATCH/llama-1b-bench" --max-memory 3G --no-prefetch
run 1b-in-memory "$SCRATCH/llama-1b-bench"
[ "${ONLY:-}" = 1b ] && exit 0
model 8b "$SCRATCH/llama-8b-bench"
run 8b-streaming "$SCRATCH/llama-8b-bench"
