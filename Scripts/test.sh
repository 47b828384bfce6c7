#!/usr/bin/env bash
# The README's test command: build everything and run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --build-tests
swift test --skip-build
