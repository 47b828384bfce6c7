#!/bin/sh
# Load test of the explorer in live mode with wrk (Debian: apt-get install wrk), on a run made by `compare`:
#  1. cold embeds: NEW_TERMS terms the run lacks, POSTed one after another to /api/embed (latency of each: the models
#     run), then the same terms again (cached);
#  2. GET /api/concept/<term> over the run's concepts: 64 connections, 60 s (DURATION), 2 wrk threads;
#  3. POST /api/embed of the cached terms: same load.
# Prints requests/s, p50/p99 latency, errors (non-2xx included), the server's resident memory before and after each
# load, and the load average (other work on the machine skews the figures).
#   Benchmarks/scripts/explorer_live_load.sh <run-dir> [port]    (work on a copy: the run's live_cache.json is written)
set -eu
run=${1:?usage: explorer_live_load.sh <run-dir> [port]}
port=${2:-18734}
duration=${DURATION:-60s}
bin=${BIN:-.build/release/embedding-drift}
terms=${NEW_TERMS:-"volcano glacier harbour lantern tundra meadow canyon orchard lighthouse monsoon"}
url="http://127.0.0.1:$port"
echo "== $(date -u +%FT%TZ) $(uname -m), $(nproc) cores; load: $(cut -d' ' -f1-3 /proc/loadavg)"
log=$(mktemp)
"$bin" serve "$run" --host 127.0.0.1 --port "$port" --live 2> "$log" &
server=$!
trap 'kill $server 2>/dev/null || true; rm -f "$log"' EXIT
start=$(date +%s.%N)
for _ in $(seq 1200); do curl -sf "$url/api/run" > /dev/null && break; sleep 0.25; done
echo "server up (models loaded) after $(echo "$(date +%s.%N) - $start" | bc) s"
rss() { awk '/VmRSS/ {print $2 " kB"}' /proc/$server/status; }
echo "RSS after loading: $(rss)"

echo "== cold embeds (models run), then cached"
for pass in cold cached; do
    for term in $terms; do
        curl -s -o /dev/null -w "$pass $term: %{http_code} %{time_total} s\n" -H 'Content-Type: application/json' \
            -d "{\"term\": \"$term\"}" "$url/api/embed"
    done
done

lua=$(mktemp)
python3 - "$run" > "$lua" <<'PY'
import json, sys, urllib.parse
rows = json.load(open(f"{sys.argv[1]}/concept_metadata.json"))["rows"]
print("local terms = {" + ",".join(json.dumps(urllib.parse.quote(r["term"], safe="")) for r in rows) + "}")
print("local i = 0")
print("request = function() i = i % #terms + 1; return wrk.format('GET', '/api/concept/' .. terms[i]) end")
PY
echo "== GET /api/concept, 64 connections, $duration; load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "RSS before: $(rss)"
wrk -t 2 -c 64 -d "$duration" --latency -s "$lua" "$url"
echo "RSS after: $(rss); load: $(cut -d' ' -f1-3 /proc/loadavg)"

lua2=$(mktemp)
python3 - $terms > "$lua2" <<'PY'
import json, sys
print("local bodies = {" + ",".join(json.dumps(json.dumps({"term": t})) for t in sys.argv[1:]) + "}")
print("local i = 0")
print("request = function() i = i % #bodies + 1; return wrk.format('POST', '/api/embed', {['Content-Type'] = 'application/json'}, bodies[i]) end")
PY
echo "== POST /api/embed (cached terms), 64 connections, $duration; load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "RSS before: $(rss)"
wrk -t 2 -c 64 -d "$duration" --latency -s "$lua2" "$url"
echo "RSS after: $(rss); load: $(cut -d' ' -f1-3 /proc/loadavg)"
rm -f "$lua" "$lua2"
