#!/bin/sh
# fresh-root.sh - the packages install on a fresh Debian 12 root and the
# installed chanval checks the corpus: debootstrap --variant=minbase
# bookworm into a scratch folder, apt-get install of the three .deb files
# there (apt fetches their dependencies), then chanval check in the root.
# Root only (chroot); exit 77 (skip) without debootstrap, without root, or
# when the Debian mirror cannot be reached.
set -u
top=$(pwd)
[ "$(id -u)" -eq 0 ] || { echo "fresh-root: skipped (needs root for chroot)"; exit 77; }
command -v debootstrap >/dev/null 2>&1 || { echo "fresh-root: skipped (no debootstrap)"; exit 77; }
command -v dpkg-buildpackage >/dev/null 2>&1 || { echo "fresh-root: skipped (no dpkg-buildpackage)"; exit 77; }
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/chanval-fresh.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
DEB_BUILD_OPTIONS="nocheck parallel=2" sh tools/build-deb.sh "$tmp/debs" >"$tmp/build.log" 2>&1 ||
    { cat "$tmp/build.log"; echo "fresh-root: the packages do not build"; exit 1; }
if ! debootstrap --variant=minbase bookworm "$tmp/root" "$mirror" >"$tmp/debootstrap.log" 2>&1; then
    tail -n 5 "$tmp/debootstrap.log"
    echo "fresh-root: skipped (debootstrap from $mirror failed: the mirror cannot be reached?)"
    exit 77
fi
cp "$tmp"/debs/chanval_*.deb "$tmp"/debs/libchanval0_*.deb "$tmp"/debs/libchanval-dev_*.deb "$tmp/root/tmp/"
cp -r "$top/corpus" "$tmp/root/tmp/corpus"
chroot "$tmp/root" sh -c '
    set -e
    apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        pkgconf /tmp/chanval_*.deb /tmp/libchanval0_*.deb /tmp/libchanval-dev_*.deb >/tmp/apt.log 2>&1 ||
        { tail -n 20 /tmp/apt.log; exit 1; }
    cd /tmp
    echo "Debian $(cat /etc/debian_version): $(chanval --version)"
    chanval check -t corpus/world/types.xml -f corpus/world/fleet.xml corpus/valid >/tmp/valid.out
    set +e
    chanval check -t corpus/world/types.xml -f corpus/world/fleet.xml corpus/invalid/CV400-channel-291.bin >/tmp/291.out
    rc=$?
    [ $rc -eq 1 ] && grep -q "error\[CV400\]" /tmp/291.out || { echo "CF291: exit $rc"; exit 1; }
    pkg-config --exists chanval && pkg-config --static --libs chanval >/dev/null || { echo "pkg-config does not know chanval"; exit 1; }
    echo "valid corpus: $(tail -n 1 /tmp/valid.out); CF291: exit 1 with CV400"
' || { echo "fresh-root: the installed packages do not work"; exit 1; }
echo "fresh-root: the packages install on a fresh Debian 12 root and chanval check runs there"
