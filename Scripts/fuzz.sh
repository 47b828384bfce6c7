#!/usr/bin/env bash
# The fuzzing harness: libFuzzer targets (Fuzz/, built with --sanitize fuzzer --sanitize address) for every parser
# that reads a file a user hands us, seeded from the committed test fixtures.
#
#   bash Scripts/fuzz.sh <target> <seconds> [libFuzzer flags…]   # one target
#   bash Scripts/fuzz.sh all <seconds>                           # every target in turn, <seconds> each
#   bash Scripts/fuzz.sh list                                    # the targets
#
# Targets: safetensors gguf npy config tokenizer vocabulary experiment.
# The corpus grows in .fuzz/<target>/corpus (git-ignored); a crash, leak or timeout (over 2 s for one input) stops
# the run, leaves the input in .fuzz/<target>/ and exits non-zero: turn it into a regression test. Every run ends
# with a line `fuzz <target>: <executions> executions in <s> s, coverage <cov> edges, <ft> features, corpus <n>`.
# FUZZ_BUILD=debug|release (default release: more executions per second; CI uses debug, which builds faster).
# FUZZ_SKIP="a b" leaves targets out of `all`.
set -euo pipefail
cd "$(dirname "$0")/.."

TARGETS="safetensors gguf npy config tokenizer vocabulary experiment"
usage() {
    echo "usage: bash Scripts/fuzz.sh <target|all|list> <seconds> [libFuzzer flags…]; targets: $TARGETS" >&2
    exit 2
}
[ $# -ge 1 ] || usage
if [ "$1" = list ]; then
    echo "$TARGETS"
    exit 0
fi
[ $# -ge 2 ] || usage
target=$1
seconds=$2
shift 2
case "$seconds" in '' | *[!0-9]*) usage ;; esac

product() {
    case "$1" in
    safetensors) echo FuzzSafetensors ;; gguf) echo FuzzGGUF ;; npy) echo FuzzNpy ;; config) echo FuzzConfig ;;
    tokenizer) echo FuzzTokenizer ;; vocabulary) echo FuzzVocabulary ;; experiment) echo FuzzExperimentYAML ;;
    *) return 1 ;;
    esac
}

# The committed fixtures each target starts from (files over 1 MB are left out: they slow every mutation).
seeds() {
    local m=Tests/DriftModelsTests/Fixtures
    case "$1" in
    safetensors) find "$m/formats/safetensors" "$m/models" -name '*.safetensors' ;;
    gguf) find "$m/formats/gguf" "$m/gguf-models" "$m/tokenizers/gguf" -name '*.gguf' ;;
    npy) find Tests/DriftCoreTests/Fixtures/npy -name '*.npy' ;;
    config) find "$m/formats/config" "$m/models" -name 'config*.json' ;;
    tokenizer) find "$m/tokenizers" "$m/models" Fuzz/seeds/tokenizer -name 'tokenizer*.json' -o -name 'regression-*.json' ;;
    vocabulary) find Sources/DriftModels Tests -path '*ocab*' \( -name '*.json' -o -name '*.csv' \) ;;
    experiment) find Fuzz/seeds/experiment -name '*.yaml' ;;
    esac | while read -r f; do [ "$(wc -c <"$f")" -le 1048576 ] && echo "$f"; done
}

# The longest input: weight files keep their mutations on the headers (64 KiB), text formats may grow to 1 MiB.
max_len() {
    case "$1" in safetensors | gguf) echo 65536 ;; *) echo 1048576 ;; esac
}

run_one() {
    local name=$1 exe=$2 dir=.fuzz/$1
    shift 2
    mkdir -p "$dir/corpus" "$dir/seeds"
    seeds "$name" | while read -r f; do cp "$f" "$dir/seeds/$(echo "$f" | tr '/' '_')"; done
    local log="$dir/last-run.log"
    echo "== fuzz $name: $seconds s ($exe)"
    set +e
    (cd "$dir" && TMPDIR="$fuzz_tmp" LSAN_OPTIONS="suppressions=$OLDPWD/Fuzz/lsan.supp:print_suppressions=0" \
        "$OLDPWD/$exe" -max_total_time="$seconds" -timeout=2 -rss_limit_mb=2048 -max_len="$(max_len "$name")" \
        -print_final_stats=1 "$@" corpus seeds) >"$log" 2>&1
    local status=$?
    set -e
    local runs cov ft corpus
    runs=$(awk '/stat::number_of_executed_units/ {print $2}' "$log")
    cov=$(grep -Eo 'cov: [0-9]+' "$log" | tail -1 | cut -d' ' -f2)
    ft=$(grep -Eo 'ft: [0-9]+' "$log" | tail -1 | cut -d' ' -f2)
    corpus=$(ls "$dir/corpus" | wc -l)
    echo "fuzz $name: ${runs:-?} executions in $seconds s, coverage ${cov:-?} edges, ${ft:-?} features, corpus $corpus"
    if [ $status -ne 0 ]; then
        grep -E 'ERROR|SUMMARY|Test unit written|Fatal error|panic' "$log" | head -8 >&2
        echo "fuzz $name: FAILED (exit $status); the input is in $dir, the log in $log" >&2
        return 1
    fi
}

bash Scripts/preflight.sh
build=${FUZZ_BUILD:-release}
# The weight-file targets write each input to a temporary file: in memory where there is /dev/shm (for the targets
# only; the build keeps its own TMPDIR).
fuzz_tmp=${TMPDIR:-/tmp}
if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then fuzz_tmp=/dev/shm; fi
if [ "$target" = all ]; then
    names=""
    for name in $TARGETS; do
        case " ${FUZZ_SKIP:-} " in *" $name "*) echo "== fuzz $name: skipped (FUZZ_SKIP)" ;; *) names="$names $name" ;; esac
    done
else
    product "$target" >/dev/null || usage
    names=$target
fi
failed=0
for name in $names; do
    exe=$(product "$name")
    # --sanitize links libFuzzer's main; SwiftPM hands swiftc the two sanitizers as separate -sanitize= flags, of
    # which swiftc keeps only the last, so the combined flag is what instruments the Swift code for coverage.
    EMBEDDING_DRIFT_FUZZ=1 swift build -c "$build" --product "$exe" --sanitize fuzzer --sanitize address \
        -Xswiftc -sanitize=fuzzer,address --scratch-path ".build-fuzz-$build" 2>&1 |
        grep -E 'error:|Compiling|complete' | tail -1
    run_one "$name" ".build-fuzz-$build/$build/$exe" "$@" || failed=$((failed + 1))
done
[ $failed -eq 0 ] || {
    echo "fuzz: $failed target(s) failed" >&2
    exit 1
}
