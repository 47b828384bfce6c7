#!/usr/bin/env bash
# The README's test command on a truly fresh Debian 12: debootstraps a minimal bookworm into a folder, gives it the
# Swift toolchain and nothing else (swift.org's own prerequisites for Debian 12, no OpenBLAS, no pkg-config), clones
# this repository into it and runs, inside the chroot:
#   1. as an unprivileged user without sudo: `bash Scripts/test.sh` must stop before building, with one line saying
#      what to run;
#   2. as root: `bash Scripts/test.sh` must install OpenBLAS itself, build from scratch and pass every test.
# Needs root, debootstrap (apt-get install -y debootstrap), Debian's mirror, the toolchain at /opt/swift and the Swift
# package copies git reads github.com from (/etc/gitconfig's insteadOf, as on this project's machines).
#   sudo bash Scripts/verify/fresh_debian.sh [folder]      # default /tmp/embedding-drift-fresh-debian; about 20 min
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)
root=${1:-/tmp/embedding-drift-fresh-debian}
swift_root=${SWIFT_ROOT:-/opt/swift}
packages=${SWIFT_PACKAGES:-/opt/swift-packages}
[ "$(id -u)" = 0 ] || { echo "error: run as root (debootstrap and chroot need it)" >&2; exit 2; }
command -v debootstrap >/dev/null || { echo "error: debootstrap not found: apt-get install -y debootstrap" >&2; exit 2; }
[ -x "$swift_root/usr/bin/swift" ] || { echo "error: no Swift toolchain at $swift_root (set SWIFT_ROOT)" >&2; exit 2; }

mounts=()
cleanup() {
    for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do umount -l "${mounts[$i]}" 2>/dev/null || true; done
}
trap cleanup EXIT
bind() { # bind <source> <target inside root> [ro]
    mkdir -p "$root$2"
    mount --bind "$1" "$root$2"
    mounts+=("$root$2")
    if [ "${3:-}" = ro ]; then mount -o remount,bind,ro "$root$2"; fi
}

if [ ! -x "$root/usr/bin/apt-get" ]; then
    echo "== debootstrap bookworm (minbase) into $root"
    debootstrap --variant=minbase bookworm "$root" http://deb.debian.org/debian > "$root.debootstrap.log" 2>&1 \
        || { echo "debootstrap failed; see $root.debootstrap.log" >&2; exit 1; }
fi
bind /proc /proc
bind /dev /dev
bind /dev/pts /dev/pts
bind /sys /sys
cp /etc/resolv.conf "$root/etc/resolv.conf"
# What the Debian installer writes and debootstrap does not: without it `localhost` does not resolve at all.
[ -e "$root/etc/hosts" ] || printf '127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' > "$root/etc/hosts"
bind "$swift_root" /opt/swift ro
bind "$packages" "$packages" ro
cp /etc/gitconfig "$root/etc/gitconfig"

echo "== the Swift toolchain's prerequisites (swift.org, Debian 12) and nothing else"
chroot "$root" env DEBIAN_FRONTEND=noninteractive bash -c '
    apt-get update -qq && apt-get install -y -qq --no-install-recommends binutils git gnupg2 libc6-dev \
        libcurl4-openssl-dev libedit2 libgcc-12-dev libpython3-dev libsqlite3-0 libstdc++-12-dev libxml2-dev \
        libncurses-dev libz3-dev tzdata zlib1g-dev ca-certificates sudo >/dev/null'
# A second run in the same folder starts from the same state: what the test command installed goes again.
chroot "$root" env DEBIAN_FRONTEND=noninteractive bash -c \
    'apt-get purge -y -qq "libopenblas*" pkg-config pkgconf >/dev/null 2>&1; apt-get autoremove -y -qq >/dev/null'
if chroot "$root" bash -c 'test -e /usr/include/cblas.h || command -v pkg-config'; then
    echo "error: OpenBLAS or pkg-config is still in $root; use a new folder" >&2
    exit 1
fi

echo "== a clone of this repository (HEAD $(git rev-parse --short HEAD))"
rm -rf "$root/home/tester/repo" "$root/root/repo"
chroot "$root" bash -c 'id tester >/dev/null 2>&1 || useradd -m tester'
git clone -q "$repo" "$root/home/tester/repo"
chroot "$root" chown -R tester:tester /home/tester/repo
git clone -q "$repo" "$root/root/repo"

path=/opt/swift/usr/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
echo "== 1. as a user without sudo: bash Scripts/test.sh must stop before building"
set +e
out=$(chroot "$root" su tester -c "cd ~/repo && PATH=$path bash Scripts/test.sh" 2>&1)
status=$?
set -e
echo "$out" | tail -3
if [ "$status" = 0 ] || [ -d "$root/home/tester/repo/.build" ]; then
    echo "FAILED: the test command did not stop before building (exit $status)" >&2
    exit 1
fi
echo "ok: stopped with exit $status before any build"

echo "== 2. as root: bash Scripts/test.sh installs OpenBLAS, builds from scratch and runs every test"
start=$(date +%s)
chroot "$root" bash -c "cd /root/repo && PATH=$path bash Scripts/test.sh" > "$root.test.log" 2>&1 \
    || { tail -20 "$root.test.log"; echo "FAILED: see $root.test.log" >&2; exit 1; }
grep -E "Test run with|Executed" "$root.test.log" | tail -2
echo "ok: fresh Debian 12 with only the Swift toolchain: tests passed in $(( $(date +%s) - start )) s (log: $root.test.log)"
