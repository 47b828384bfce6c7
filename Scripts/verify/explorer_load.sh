#!/bin/sh
# Load test of the explorer's /api/concept with wrk (Debian: apt-get install wrk): 64 connections over loopback for
# 60 s (DURATION to change), concepts cycled from the run's list; prints requests/s, p50/p99 latency, errors, and the
# server's resident memory before and after.
#   Scripts/verify/explorer_load.sh <run-dir> [port]
set -eu
run=${1:?usage: explorer_load.sh <run-dir> [port]}
port=${2:-18732}
duration=${DURATION:-60s}
bin=${BIN:-.build/release/embedding-drift}
"$bin" serve "$run" --host 127.0.0.1 --port "$port" 2> .serve-load.log &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/api/run" > /dev/null && break; sleep 0.2; done
lua=$(mktemp)
/work/venv/bin/python - "$run" > "$lua" <<'PY'
import json, sys, urllib.parse
rows = json.load(open(f"{sys.argv[1]}/concept_metadata.json"))["rows"]
print("local terms = {" + ",".join(json.dumps(urllib.parse.quote(r["term"], safe="")) for r in rows) + "}")
print("local i = 0")
print("request = function() i = i % #terms + 1; return wrk.format('GET', '/api/concept/' .. terms[i]) end")
PY
rss() { awk '/VmRSS/ {print $2 " kB"}' /proc/$server/status; }
curl -s "http://127.0.0.1:$port/api/concept/x" > /dev/null || true
echo "RSS before: $(rss)"
wrk -t 2 -c 64 -d "$duration" --latency -s "$lua" "http://127.0.0.1:$port" 2>&1 | tee .wrk.log
echo "RSS after: $(rss)"
rm -f "$lua"
