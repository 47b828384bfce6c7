#!/usr/bin/env bash
# The report's browser test (CI runs it after Scripts/test.sh): builds a run directory from two fixture models with
# `compare`, opens its report.html in headless Chromium and checks the rendered DOM (every figure, one UMAP marker per
# concept per variant, hover text, the search highlight, tick labels that follow a zoom, no console errors), then
# renders every SVG figure with rsvg-convert and fails on any warning. The screenshot is kept in .build/test-artifacts/.
# Needs chromium and librsvg2-bin (Debian: apt-get install -y chromium librsvg2-bin; .ci/run installs them).
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in chromium rsvg-convert; do
    command -v "$tool" >/dev/null || { echo "error: $tool not found (apt-get install -y chromium librsvg2-bin)" >&2; exit 2; }
done
swift build --product embedding-drift 2>&1 | tail -1
BIN=$(swift build --show-bin-path)/embedding-drift
ARTIFACTS=.build/test-artifacts
RUN="$ARTIFACTS/browser-run"
rm -rf "$RUN" && mkdir -p "$ARTIFACTS"
MODELS=Tests/DriftModelsTests/Fixtures/models
"$BIN" compare base="$MODELS/llama" bf16="$MODELS/llama-bf16" nf4="$MODELS/llama@nf4" --vocab seed-235 --out "$RUN" \
    --bootstrap 500 --permutations 500 --quiet > "$ARTIFACTS/compare.log"

failures=0
bash Scripts/verify/report_browser.sh "$RUN" "Muslim" || failures=$((failures + 1))
sh Scripts/verify/report_zoom_browser.sh "$RUN" || failures=$((failures + 1))

# The explorer's live mode on a copy of the run (it writes live_cache.json): a term the run lacks, embedded by the page.
rm -rf "$RUN-live" && cp -r "$RUN" "$RUN-live"
(cd "$ARTIFACTS" && BIN="$BIN" sh "$OLDPWD/Scripts/verify/explorer_live_browser.sh" browser-run-live "volcano") \
    || failures=$((failures + 1))

svgs=0
for svg in "$RUN"/figures/*.svg; do
    warnings=$(rsvg-convert "$svg" -o "$ARTIFACTS/figure.png" 2>&1 || echo "rsvg-convert failed")
    if [ -n "$warnings" ]; then echo "$svg: $warnings"; failures=$((failures + 1)); fi
    svgs=$((svgs + 1))
done
[ "$svgs" -gt 0 ] || { echo "no SVG figures in $RUN/figures"; failures=$((failures + 1)); }
echo "rsvg-convert rendered $svgs figures"

passed=$(( failures == 0 ? 4 : 0 ))
echo "browser: $passed passed, $failures failed"
[ "$failures" -eq 0 ]
