#!/bin/sh
# Zooms a report's UMAP figures in headless Chromium (a copy of report.html with three wheel events dispatched at
# the plot's centre) and checks the rendered DOM: the plot is zoomed, its tick labels changed, and each label is the
# coordinate under its tick (to the zoomed tick step) as the zoom transform and the axis scale give it; no console
# errors.
#   Scripts/verify/report_zoom_browser.sh <run-dir>
set -eu
run=${1:?usage: report_zoom_browser.sh <run-dir>}
chromium=$(command -v chromium || command -v chromium-browser || true)
[ -n "$chromium" ] || { echo "chromium not found: apt-get install -y chromium" >&2; exit 2; }
page="$run/.zoom-test.html"
"${PYTHON:-python3}" - "$run/report.html" "$page" <<'PY'
import sys
source, target = sys.argv[1], sys.argv[2]
text = open(source, encoding="utf-8").read()
zoom = """<script>
Array.prototype.forEach.call(document.querySelectorAll('svg.zoomable'), function (svg) {
  var r = svg.getBoundingClientRect();
  for (var i = 0; i < 3; i++) {
    svg.dispatchEvent(new WheelEvent('wheel', {deltaY: -100, clientX: r.left + r.width / 2,
      clientY: r.top + r.height / 2, bubbles: true, cancelable: true}));
  }
});
</script></body>"""
open(target, "w", encoding="utf-8").write(text.replace("</body>", zoom, 1))
PY
flags="--headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1400,6000"
"$chromium" $flags --enable-logging=stderr --v=0 --dump-dom "file://$(cd "$run" && pwd)/.zoom-test.html" \
    > "$run/.zoom-dom.html" 2> "$run/.zoom-console.log"
"${PYTHON:-python3}" - "$run" <<'PY'
import re, sys, html.parser
run = sys.argv[1]
class P(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(); self.cur = None; self.figs = {}; self.tick = None
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "svg" and "zoomable" in (a.get("class") or ""):
            self.cur = a.get("id"); self.figs[self.cur] = {"transform": None, "ticks": []}
        elif self.cur and tag == "g" and "zoom" in (a.get("class") or "").split():
            self.figs[self.cur]["transform"] = a.get("transform")
        elif self.cur and tag == "text" and "data-scale" in a:
            self.tick = a
    def handle_data(self, data):
        if self.tick is not None:
            self.figs[self.cur]["ticks"].append((self.tick, data)); self.tick = None
    def handle_endtag(self, tag):
        if tag == "svg": self.cur = None
p = P(); p.feed(open(f"{run}/.zoom-dom.html", encoding="utf-8").read())
failures = []
if not p.figs: failures.append("no zoomable figure")
for fid, fig in p.figs.items():
    m = re.match(r"translate\(([-\d.e]+),([-\d.e]+)\) scale\(([-\d.e]+)\)", fig["transform"] or "")
    if not m or float(m.group(3)) <= 1:
        failures.append(f"{fid}: not zoomed (transform {fig['transform']!r})"); continue
    tx, ty, k = map(float, m.groups())
    if len(fig["ticks"]) < 4: failures.append(f"{fid}: {len(fig['ticks'])} zoomable tick labels")
    if all(shown == a.get("data-label") for a, shown in fig["ticks"]):
        failures.append(f"{fid}: no tick label changed with the zoom")
    for a, shown in fig["ticks"]:
        d0, d1, r0, r1, step = map(float, a["data-scale"].split())
        pixel = float(a["data-pixel"])
        original = ((pixel - (tx if a["data-axis"] == "x" else ty)) / k)
        expected = d0 + (original - r0) * (d1 - d0) / (r1 - r0)
        if abs(float(shown) - expected) > step / k:
            failures.append(f"{fid}: tick shows {shown}, the coordinate under it is {expected:.6g}")
errors = [l for l in open(f"{run}/.zoom-console.log", errors="replace") if "CONSOLE" in l and "rror" in l]
failures += [f"console: {l.strip()}" for l in errors]
if failures:
    print("\n".join(failures)); sys.exit(1)
print(f"ok: zoomed {len(p.figs)} UMAP figures; the tick labels follow the zoom")
PY
rm -f "$page" "$run/.zoom-dom.html" "$run/.zoom-console.log"
