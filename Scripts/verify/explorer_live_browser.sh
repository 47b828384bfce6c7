#!/bin/sh
# Live mode in a real browser: serves a run made by `compare` with `embedding-drift serve --live`, opens the page in
# headless Chromium at a concept the run does not hold, and checks that the page embedded it through the models
# (POST /api/embed) and shows it like a run concept marked "live": the drift summary, one highlighted UMAP marker per
# variant, one neighbour panel per variant; no JavaScript console errors; the term is then in <run>/live_cache.json.
# Saves explorer-live-screenshot.png in the current directory. Work on a copy of the run if its cache must stay clean.
#   Scripts/verify/explorer_live_browser.sh <run-dir> <new-term> [port]
set -eu
run=${1:?usage: explorer_live_browser.sh <run-dir> <new-term> [port]}
term=${2:?new term}
port=${3:-18733}
bin=${BIN:-.build/debug/embedding-drift}
chromium=$(command -v chromium || command -v chromium-browser || true)
[ -n "$chromium" ] || { echo "chromium not found: apt-get install -y chromium" >&2; exit 2; }
"$bin" serve "$run" --host 127.0.0.1 --port "$port" --live 2> .serve-live.log &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 600); do curl -sf "http://127.0.0.1:$port/api/run" > /dev/null && break; sleep 0.2; done
query=$("${PYTHON:-python3}" -c "import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))" "$term")
flags="--headless --no-sandbox --disable-gpu --hide-scrollbars --virtual-time-budget=30000"
"$chromium" $flags --enable-logging=stderr --v=0 --dump-dom "http://127.0.0.1:$port/?concept=$query" \
    > .dom-live.html 2> .console-live.log
"$chromium" $flags --screenshot=explorer-live-screenshot.png --window-size=1400,1500 \
    "http://127.0.0.1:$port/?concept=$query" > /dev/null 2>&1
"${PYTHON:-python3}" - "$run" "$term" <<'PY'
import json, re, sys
run, term = sys.argv[1], sys.argv[2]
dom = re.sub(r"<script>.*?</script>", "", open(".dom-live.html", encoding="utf-8").read(), flags=re.S)
manifest = json.load(open(f"{run}/manifest.json"))
variants = manifest.get("variant_order") or [v["name"] for v in manifest["variants"]]
fails = []
if 'id="live-badge"' not in dom: fails.append("no live badge: the page did not embed the term")
if 'id="drift-value"' not in dom: fails.append("drift summary not filled")
focus = dom.count('class="focus"')
if focus != len(variants): fails.append(f"UMAP highlight: {focus} markers, expected {len(variants)}")
if dom.count('class="nbr"') != len(variants): fails.append("neighbour panels missing")
if "none stored" in dom: fails.append("a neighbour panel is empty")
if 'id="next-tokens"' not in dom: fails.append("no next-token table for the live term")
if 'id="logit-lens"' not in dom: fails.append("no logit lens for the live term")
try:
    cached = [t["term"] for t in json.load(open(f"{run}/live_cache.json"))["terms"]]
except OSError:
    cached = []
if term not in cached: fails.append("the term is not in live_cache.json")
console = [l for l in open(".console-live.log", encoding="utf-8", errors="replace") if "CONSOLE" in l and ("Error" in l or "error" in l)]
if console: fails.append("console errors: " + " | ".join(console[:3]))
print("\n".join(fails) if fails else f"ok: '{term}' embedded live, summary, {len(variants)} UMAP markers, {len(variants)} neighbour panels, next tokens and logit lens, cached, no console errors")
sys.exit(1 if fails else 0)
PY
