#!/bin/sh
# Builds a demo run directory for the explorer from seeded random arrays (numpy) over the 235 seed concepts:
# three variants (base, instruct, chat), 4 stored layers, 64 dimensions, imported and analysed by `embedding-drift import`.
#   Scripts/verify/explorer_demo_run.sh <out-dir>
set -eu
out=${1:?usage: explorer_demo_run.sh <out-dir>}
bin=${BIN:-.build/debug/embedding-drift}
tmp=$(mktemp -d)
/work/venv/bin/python - "$tmp" <<'PY'
import sys, numpy as np
rng = np.random.default_rng(8)
base = rng.standard_normal((4, 235, 64)).astype(np.float32)
np.save(f"{sys.argv[1]}/base.npy", base)
np.save(f"{sys.argv[1]}/instruct.npy", (base + 0.3 * rng.standard_normal(base.shape)).astype(np.float32))
np.save(f"{sys.argv[1]}/chat.npy", (base + 0.6 * rng.standard_normal(base.shape)).astype(np.float32))
PY
"$bin" import base="$tmp/base.npy" instruct="$tmp/instruct.npy" chat="$tmp/chat.npy" --out "$out"
rm -rf "$tmp"
