#!/usr/bin/env bash
# The README's main job: build the tool and run it on a bundled fixture model.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product embedding-drift
./.build/release/embedding-drift --help
