#!/usr/bin/env bash
# Memory of --compute bf16 under --max-memory (the follow-up of issue 3): peak RSS of `bench extract` on
#   - Llama-3.2-1B shapes streamed (--max-memory 2G), and under --max-memory 3G (in memory once the plan sizes bf16);
#   - Llama-3.1-8B block shapes with 4 blocks streamed (--max-memory 3G), where a block outweighs the embedding phase
#     less; peak RSS overall (/usr/bin/time -v) and while blocks stream (Benchmarks/scripts/rss_timeline.py: the peak after
#     the full token table is freed), with the load average beside each run.
# Usage: BIN=path/to/embedding-drift LABEL=after Benchmarks/scripts/streaming_bf16_memory.sh
# The models (never committed): /work/scratch/ext-llama-3.2-1b (Benchmarks/scripts/make_random_llama.py +
# add_llama32_tokenizer.py) and $SCRATCH/llama-8b-4layers-bench (make_random_llama.py --shapes 8b --layers 4, then
# add_llama32_tokenizer.py).
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN="${BIN:-$PWD/.build/release/embedding-drift}"
LABEL="${LABEL:-run}"
SCRATCH="${SCRATCH:-/work/scratch/membf16}"
M1B="${M1B:-/work/scratch/ext-llama-3.2-1b}"
M8B4="${M8B4:-$SCRATCH/llama-8b-4layers-bench}"

run() {  # run NAME MODEL ARGS…
    local name="$1" model="$2"; shift 2
    echo "== $LABEL $name: $(date -u +%FT%TZ), load average $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
    echo "   bench extract $model $*"
    Benchmarks/scripts/rss_timeline.py -- /usr/bin/time -v nice "$BIN" bench extract "$model" "$@" \
        > "$SCRATCH/$LABEL-$name.txt" 2> "$SCRATCH/$LABEL-$name.err"
    grep -E "^(mode|compute|extract|peak RSS|load average) " "$SCRATCH/$LABEL-$name.txt" | sed 's/^/   /'
    grep -E "Maximum resident|Elapsed|peak RSS sampled|peak after drop" "$SCRATCH/$LABEL-$name.err" | sed 's/^[[:space:]]*/   /'
}

run 1b-bf16-2G "$M1B" --compute bf16 --max-memory 2G
run 1b-bf16-3G "$M1B" --compute bf16 --max-memory 3G
run 8b4-bf16-3G "$M8B4" --compute bf16 --max-memory 3G
run 8b4-bf16-3G-noprefetch "$M8B4" --compute bf16 --max-memory 3G --no-prefetch
