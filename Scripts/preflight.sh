#!/usr/bin/env bash
# Preflight for the README's commands (Scripts/demo.sh, Scripts/test.sh): make sure what the build needs besides
# Swift is there BEFORE anything is compiled.
#
# - macOS: nothing to do (BLAS comes from Accelerate).
# - Linux: OpenBLAS's headers and pkg-config file (and pkg-config itself). When they are missing and this runs as
#   root or with passwordless sudo, they are installed with apt-get (as .ci/run does); otherwise it stops with one
#   line saying exactly what to run.
#
# Exit status 0 when the build can start, 1 otherwise. Scripts/verify/fresh_machine.sh exercises every branch.
set -euo pipefail

say() { echo "preflight: $*" >&2; }

if ! command -v swift >/dev/null 2>&1; then
    say "error: no Swift toolchain on PATH; install Swift 6 from swift.org, then run this command again"
    exit 1
fi

[ "$(uname -s)" = "Linux" ] || exit 0

# Whether the COpenBLAS module can be built: pkg-config finds openblas and its cblas.h compiles.
openblas_ready() {
    command -v pkg-config >/dev/null 2>&1 || return 1
    pkg-config --exists openblas 2>/dev/null || return 1
    local cc
    cc=$(command -v clang || command -v cc || true)
    [ -n "$cc" ] || return 0 # no C compiler to ask; pkg-config's answer has to do
    # shellcheck disable=SC2046 # the flags are meant to split
    echo '#include <cblas.h>' | "$cc" -fsyntax-only -x c $(pkg-config --cflags openblas) - >/dev/null 2>&1
}

openblas_ready && exit 0

packages="libopenblas-dev pkg-config"
if ! command -v apt-get >/dev/null 2>&1; then
    say "error: OpenBLAS is missing (pkg-config cannot find openblas); install OpenBLAS's development files and pkg-config with your package manager (Fedora: sudo dnf install openblas-devel pkgconf-pkg-config), then run this command again"
    exit 1
fi

if [ "$(id -u)" = 0 ]; then
    as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    as_root=(sudo)
else
    say "error: OpenBLAS is missing (pkg-config cannot find openblas); run: sudo apt-get install -y $packages"
    exit 1
fi

say "installing OpenBLAS: ${as_root[*]:+${as_root[*]} }apt-get install -y $packages"
if ! "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null ||
    ! "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        $packages >/dev/null; then
    say "error: could not install OpenBLAS; run: sudo apt-get update && sudo apt-get install -y $packages"
    exit 1
fi
if ! openblas_ready; then
    say "error: OpenBLAS was installed but pkg-config still cannot find openblas (PKG_CONFIG_PATH=${PKG_CONFIG_PATH:-} PKG_CONFIG_LIBDIR=${PKG_CONFIG_LIBDIR:-}); check: pkg-config --cflags openblas"
    exit 1
fi
