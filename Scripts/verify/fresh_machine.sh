#!/usr/bin/env bash
# Fresh-machine check: what the README's two commands (Scripts/demo.sh, Scripts/test.sh) do on a Linux machine where
# OpenBLAS's pkg-config file and headers are not visible, without touching this machine's packages.
#
# OpenBLAS is hidden by pointing PKG_CONFIG_LIBDIR and PKG_CONFIG_PATH at an empty folder. Stubs first on PATH stand in
# for `id` (a normal user), `sudo`, `apt-get` (records its arguments; "installing" writes an openblas.pc and a
# cblas.h into the temporary folders) and `swift` (records that a build would have started, and stops there), so each
# case runs in a second:
#   1. a user without sudo: both commands stop before building, with one line saying what to run;
#   2. root: they install libopenblas-dev and pkg-config with apt-get, then build;
#   3. a user with passwordless sudo: the same through sudo;
#   4. macOS: nothing is installed (Accelerate).
#
#   bash Scripts/verify/fresh_machine.sh          # prints each case's output and PASS/FAIL; exit 1 on any FAIL
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
failures=0

check() { # check <description> <condition...>
    local what=$1
    shift
    if "$@"; then echo "  PASS: $what"; else
        echo "  FAIL: $what"
        failures=$((failures + 1))
    fi
}

# stubs <case dir> <uid> <sudo: yes|no> <uname>
make_case() {
    local dir=$1 uid=$2 sudo=$3 os=$4
    mkdir -p "$dir/bin" "$dir/pkgconfig" "$dir/include"
    cat >"$dir/bin/id" <<EOF
#!/bin/sh
[ "\$1" = "-u" ] && { echo $uid; exit 0; }
exec /usr/bin/id "\$@"
EOF
    if [ "$sudo" = yes ]; then
        cat >"$dir/bin/sudo" <<EOF
#!/bin/sh
echo "sudo \$*" >>"$dir/calls"
[ "\$1" = "-n" ] && [ "\$2" = "true" ] && exit 0
exec "\$@"
EOF
    else
        cat >"$dir/bin/sudo" <<EOF
#!/bin/sh
echo "sudo \$*" >>"$dir/calls"
echo "sudo: a password is required" >&2
exit 1
EOF
    fi
    cat >"$dir/bin/apt-get" <<EOF
#!/bin/sh
echo "apt-get \$*" >>"$dir/calls"
case "\$*" in *install*libopenblas-dev*)
    printf 'Name: openblas\nDescription: stub\nVersion: 0.3\nCflags: -I$dir/include\nLibs: -lopenblas\n' >"$dir/pkgconfig/openblas.pc"
    echo 'void cblas_sgemm(void);' >"$dir/include/cblas.h" ;;
esac
exit 0
EOF
    cat >"$dir/bin/swift" <<EOF
#!/bin/sh
echo "swift \$*" >>"$dir/calls"
case "\$1" in --version) exit 0 ;; format) exit 0 ;; esac
echo "(stub swift: the build would start here)"
exit 3
EOF
    cat >"$dir/bin/uname" <<EOF
#!/bin/sh
[ "\$1" = "-s" ] && { echo $os; exit 0; }
exec /bin/uname "\$@"
EOF
    chmod +x "$dir/bin/"*
    touch "$dir/calls"
}

# run_case <case dir> <command...>: runs with OpenBLAS hidden; output in $dir/out, exit status in $dir/rc
run_case() {
    local dir=$1
    shift
    (
        cd "$ROOT"
        PATH="$dir/bin:$PATH" PKG_CONFIG_LIBDIR="$dir/pkgconfig" PKG_CONFIG_PATH="$dir/pkgconfig" \
            DEMO_MODEL=fixture DEMO_OUT="$dir/demo-output" timeout 60 "$@"
    ) >"$dir/out" 2>&1
    echo $? >"$dir/rc"
    sed 's/^/    | /' "$dir/out"
}

built() { grep -q '^swift build' "$1/calls"; }
not_built() { ! built "$1"; }
installed() { grep -q 'apt-get install.*libopenblas-dev.*pkg-config' "$1/calls"; }
not_installed() { ! grep -q 'apt-get' "$1/calls"; }
one_line() { [ "$(wc -l <"$1/out")" -eq 1 ] && grep -q 'run: sudo apt-get install -y libopenblas-dev pkg-config' "$1/out"; }
failed() { [ "$(cat "$1/rc")" != 0 ]; }
via_sudo() { grep -q '^sudo env DEBIAN_FRONTEND=noninteractive apt-get install' "$1/calls"; }

if ! PKG_CONFIG_LIBDIR="$WORK/empty" PKG_CONFIG_PATH="$WORK/empty" pkg-config --exists openblas 2>/dev/null; then
    echo "(OpenBLAS's pkg-config file is hidden from these runs: PKG_CONFIG_LIBDIR and PKG_CONFIG_PATH point at empty folders)"
fi

for command in test demo; do
    echo "== 1. $command.sh as a user without sudo, OpenBLAS not visible"
    c="$WORK/user-$command"
    make_case "$c" 1000 no Linux
    run_case "$c" bash "Scripts/$command.sh"
    check "stops with a non-zero exit" failed "$c"
    check "before building (swift build never ran)" not_built "$c"
    check "with one line saying what to run" one_line "$c"

    echo "== 2. $command.sh as root, OpenBLAS not visible"
    c="$WORK/root-$command"
    make_case "$c" 0 no Linux
    run_case "$c" bash "Scripts/$command.sh"
    check "installs libopenblas-dev and pkg-config with apt-get" installed "$c"
    check "then builds" built "$c"

    echo "== 3. $command.sh as a user with passwordless sudo, OpenBLAS not visible"
    c="$WORK/sudo-$command"
    make_case "$c" 1000 yes Linux
    run_case "$c" bash "Scripts/$command.sh"
    check "installs through sudo apt-get" via_sudo "$c"
    check "then builds" built "$c"

    echo "== 4. $command.sh on macOS"
    c="$WORK/mac-$command"
    make_case "$c" 501 no Darwin
    run_case "$c" bash "Scripts/$command.sh"
    check "installs nothing" not_installed "$c"
    check "builds" built "$c"
done

echo
if [ "$failures" -eq 0 ]; then echo "fresh-machine check: all cases PASS"; else
    echo "fresh-machine check: $failures FAIL"
    exit 1
fi
