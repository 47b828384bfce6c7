#!/usr/bin/env bash
# The README's test command: build everything and run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
# OpenBLAS on Linux (installed when root or passwordless sudo; else one line saying what to run), before any build.
bash Scripts/preflight.sh
# Formatting as .swift-format says (CONVENTIONS.md); swift-format ships with the Swift 6 toolchains.
if swift format --version >/dev/null 2>&1; then
    swift format lint --strict --recursive Sources Tests Fuzz Package.swift
else
    echo "note: swift format is not in this toolchain; formatting not checked" >&2
fi
swift build --build-tests
swift test --skip-build
