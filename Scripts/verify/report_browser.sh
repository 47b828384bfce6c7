#!/bin/sh
# Opens a run's report.html in headless Chromium (Debian: apt-get install chromium) and checks the rendered DOM:
# every figure present, one UMAP marker per concept per variant in each UMAP figure, hover text (<title>) on every
# marker, and the search (report.html#q=<concept>) highlighting exactly that concept's markers and arrows; no
# JavaScript console errors. Saves a screenshot beside the page (report-screenshot.png).
#   Scripts/verify/report_browser.sh <run-dir> [concept]
set -eu
run=${1:?usage: report_browser.sh <run-dir> [concept]}
chromium=$(command -v chromium || command -v chromium-browser || true)
[ -n "$chromium" ] || { echo "chromium not found: apt-get install -y chromium" >&2; exit 2; }
concept=${2:-$("${PYTHON:-python3}" -c "import json,sys; print(json.load(open(sys.argv[1]))['rows'][0]['term'])" "$run/concept_metadata.json")}
query=$("${PYTHON:-python3}" -c "import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))" "$concept")
page="file://$(cd "$run" && pwd)/report.html"
flags="--headless --no-sandbox --disable-gpu --hide-scrollbars"
"$chromium" $flags --enable-logging=stderr --v=0 --dump-dom "$page#q=$query" > "$run/.dom.html" 2> "$run/.console.log"
"$chromium" $flags --screenshot="$run/report-screenshot.png" --window-size=1400,6000 "$page" > /dev/null 2>&1
"${PYTHON:-python3}" - "$run" "$concept" <<'PY'
import json, re, sys, html.parser
run, concept = sys.argv[1], sys.argv[2]
meta = json.load(open(f"{run}/concept_metadata.json"))
manifest = json.load(open(f"{run}/manifest.json"))
n, variants = len(meta["rows"]), manifest.get("variant_order") or [v["name"] for v in manifest["variants"]]
class P(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(); self.stack = []; self.svgs = {}; self.cur = None; self.titles = 0; self.last = None
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "svg" and "fig" in (a.get("class") or ""): self.cur = a.get("id"); self.svgs[self.cur] = []
        if self.cur: self.svgs[self.cur].append((tag, a))
    def handle_endtag(self, tag):
        if tag == "svg": self.cur = None
p = P(); p.feed(open(f"{run}/.dom.html", encoding="utf-8").read())
failures = []
for fid in ["cka-heatmap", "umap-trajectories", "umap-categories"]:
    if fid not in p.svgs: failures.append(f"figure {fid} missing")
for fid in ["umap-trajectories", "umap-categories"]:
    els = p.svgs.get(fid, [])
    pts = [a for t, a in els if "pt" in (a.get("class") or "").split()]
    hl = [a for t, a in els if "hl" in (a.get("class") or "").split()]
    if len(pts) != n * len(variants): failures.append(f"{fid}: {len(pts)} markers, expected {n}×{len(variants)}")
    titles = sum(1 for t, a in els if t == "title")
    if titles < len(pts): failures.append(f"{fid}: {titles} hover titles for {len(pts)} markers")
    want = len(variants) + (len(variants) - 1 if fid == "umap-trajectories" else 0)
    if len(hl) != want or any(a.get("data-concept") != concept for a in hl):
        failures.append(f"{fid}: search for {concept!r} highlighted {len(hl)} elements, expected {want}")
print(f"figures: {len(p.svgs)}; UMAP markers per figure: {n}×{len(variants)}")
errors = [l for l in open(f"{run}/.console.log", errors="replace") if "CONSOLE" in l and ("Error" in l or "error" in l)]
failures += [f"console: {l.strip()}" for l in errors]
if failures:
    print("\n".join(failures)); sys.exit(1)
print(f"ok: search highlights {concept!r}; screenshot {run}/report-screenshot.png")
PY
rm -f "$run/.dom.html" "$run/.console.log"
