#!/usr/bin/env bash
# The README's main job: build the tool in release mode and run it end to end on a bundled model.
#
#   bash Scripts/demo.sh            # fixture model: tiny random-weight Llama, results in ./demo-output
#   DEMO_OUT=/tmp/x bash Scripts/demo.sh
set -euo pipefail
cd "$(dirname "$0")/.."

OUT="${DEMO_OUT:-demo-output}"
MODEL=Tests/DriftModelsTests/Fixtures/models/llama

echo "== building (release)"
swift build -c release --product embedding-drift 2>&1 | tail -1
BIN=.build/release/embedding-drift

echo
echo "== inspect $MODEL"
"$BIN" inspect "$MODEL"

echo
echo "== tokenize"
"$BIN" tokenize "$MODEL" --text "The concept of Muslim is" --text "The concept of democracy is"

echo
echo "== extract the 235 reference concepts, every layer"
rm -rf "$OUT"
"$BIN" extract "$MODEL" --vocab seed-235 --out "$OUT" --name base

echo
echo "== UMAP of the last-layer embeddings"
"$BIN" umap --in "$OUT/embeddings_base.npy" --out "$OUT/umap_base.npy" --seed 42

echo
echo "== done: $OUT"
ls -l "$OUT"
