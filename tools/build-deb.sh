#!/bin/sh
# build-deb.sh OUTDIR - the Debian packages of the tracked files: a clean
# copy (git archive of the tracked files as they are, so nothing untracked
# or built slips in; in a clean clone, HEAD) built
# with dpkg-buildpackage -us -uc -b; the .deb files land in OUTDIR.
# DEB_BUILD_OPTIONS=nocheck parallel=N are passed through.
set -eu
out=$1
top=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/chanval-deb.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
version=$(sed -n 's/^#define CHANVAL_VERSION "\(.*\)"$/\1/p' "$top/validator/chanval.h")
mkdir "$work/chanval-$version"
ref=$(git -C "$top" stash create 2>/dev/null || true)
git -C "$top" archive --format=tar "${ref:-HEAD}" | tar -x -C "$work/chanval-$version"
(cd "$work/chanval-$version" && dpkg-buildpackage -us -uc -b) >"$work/build.log" 2>&1 || {
    tail -n 40 "$work/build.log" >&2
    echo "build-deb: dpkg-buildpackage failed" >&2
    exit 1
}
cp "$work"/*.deb "$work"/*.buildinfo "$work"/*.changes "$out"/
ls "$out"/*.deb
