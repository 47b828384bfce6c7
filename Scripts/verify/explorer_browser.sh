#!/bin/sh
# Serves a run directory with `embedding-drift serve` on a loopback port, opens the page in headless Chromium
# (Debian: apt-get install chromium) at a permalink, and checks the rendered DOM: the drift summary, UMAP highlight,
# one neighbour panel per variant and the category overview filled in for that concept; an unknown concept shows
# suggestions; no JavaScript console errors. Saves explorer-screenshot.png in the current directory.
#   Scripts/verify/explorer_browser.sh <run-dir> <concept> [port]
set -eu
run=${1:?usage: explorer_browser.sh <run-dir> <concept> [port]}
concept=${2:?concept}
port=${3:-18731}
bin=${BIN:-.build/debug/embedding-drift}
chromium=$(command -v chromium || command -v chromium-browser || true)
[ -n "$chromium" ] || { echo "chromium not found: apt-get install -y chromium" >&2; exit 2; }
"$bin" serve "$run" --host 127.0.0.1 --port "$port" 2> .serve.log &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/api/run" > /dev/null && break; sleep 0.2; done
query=$("${PYTHON:-python3}" -c "import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))" "$concept")
flags="--headless --no-sandbox --disable-gpu --hide-scrollbars --virtual-time-budget=5000"
"$chromium" $flags --enable-logging=stderr --v=0 --dump-dom "http://127.0.0.1:$port/?concept=$query" > .dom.html 2> .console.log
"$chromium" $flags --enable-logging=stderr --v=0 --dump-dom "http://127.0.0.1:$port/?concept=zzqx-unknown" > .dom404.html 2>> .console.log
"$chromium" $flags --screenshot=explorer-screenshot.png --window-size=1400,1500 "http://127.0.0.1:$port/?concept=$query" > /dev/null 2>&1
"${PYTHON:-python3}" - "$run" "$concept" <<'PY'
import json, re, sys
run, concept = sys.argv[1], sys.argv[2]
strip = lambda t: re.sub(r"<script>.*?</script>", "", t, flags=re.S)
dom = strip(open(".dom.html", encoding="utf-8").read())
dom404 = strip(open(".dom404.html", encoding="utf-8").read())
manifest = json.load(open(f"{run}/manifest.json"))
variants = manifest.get("variant_order") or [v["name"] for v in manifest["variants"]]
fails = []
if 'id="drift-value"' not in dom: fails.append("drift summary not filled")
focus = dom.count('class="focus"')
if focus != len(variants): fails.append(f"UMAP highlight: {focus} markers, expected {len(variants)}")
if dom.count('class="nbr"') != len(variants): fails.append("neighbour panels missing")
if "category overview" not in dom.lower() or "<table>" not in dom.split('id="categories-body"')[1][:200]: fails.append("category overview empty")
if "unknown concept" not in dom404: fails.append("unknown concept: no message")
console = [l for l in open(".console.log", encoding="utf-8", errors="replace") if "CONSOLE" in l and ("Error" in l or "error" in l)]
if console: fails.append("console errors: " + " | ".join(console[:3]))
print("\n".join(fails) if fails else f"ok: summary, {len(variants)} highlighted UMAP markers, {len(variants)} neighbour panels, categories, 404 suggestions, no console errors")
sys.exit(1 if fails else 0)
PY
