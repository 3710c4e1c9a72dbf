#!/bin/sh
# run.sh - the Debian packages, built from the tracked files
# (tools/build-deb.sh, dpkg-buildpackage -us -uc -b), unpacked into a
# scratch root (dpkg -x: the real system is not touched):
#  - lintian finds nothing (pedantic and informational tags included);
#  - the installed chanval checks the corpus (0 valid, 1 on CF291);
#  - a third-party program builds and links through
#    `pkg-config --cflags --libs chanval` (the shared library) and with
#    --static (the archive and its dependencies), and both run;
#  - the shared library exports only chanval_* and has its SONAME;
#  - the version agrees in chanval.h, debian/changelog, CHANGELOG.md's
#    newest release and chanval.pc.
# Exit 77 (skip) without dpkg-buildpackage or debhelper.
set -u
top=$(pwd)
for c in dpkg-buildpackage dh pkg-config; do
    command -v $c >/dev/null 2>&1 || { echo "package: skipped (no $c: apt-get install dpkg-dev debhelper pkgconf)"; exit 77; }
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/chanval-package.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL package: $1"; }

start=$(date +%s)
DEB_BUILD_OPTIONS="nocheck parallel=2" sh tools/build-deb.sh "$tmp/debs" >"$tmp/build.out" 2>&1 ||
    { cat "$tmp/build.out"; bad "the packages do not build"; echo "$passed passed, $failed failed"; exit 1; }
echo "package: built in $(($(date +%s) - start)) s: $(cd "$tmp/debs" && ls -- *.deb | tr '\n' ' ')"
root=$tmp/root
for d in chanval libchanval0 libchanval-dev; do
    deb=$(ls "$tmp/debs/${d}_"*.deb 2>/dev/null | head -n 1)
    [ -n "$deb" ] && dpkg -x "$deb" "$root" && ok || bad "no package $d"
done
if command -v lintian >/dev/null 2>&1; then
    lintian -I --pedantic "$tmp"/debs/*.changes >"$tmp/lintian" 2>&1
    grep -v 'running with root privileges' "$tmp/lintian" >"$tmp/lintian.tags"
    if [ -s "$tmp/lintian.tags" ]; then cat "$tmp/lintian.tags"; bad "lintian has tags"; else ok; fi
else
    echo "package: lintian not installed: not run"
fi

arch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
lib=$root/usr/lib/$arch
chanval=$root/usr/bin/chanval
W="-t corpus/world/types.xml -f corpus/world/fleet.xml"
"$chanval" --version | grep -q "^chanval " && ok || bad "the installed chanval does not run"
# shellcheck disable=SC2086
"$chanval" check $W corpus/valid >/dev/null; rc=$?
[ $rc -eq 0 ] && ok || bad "the installed chanval on corpus/valid exits $rc"
# shellcheck disable=SC2086
"$chanval" check $W corpus/invalid/CV400-channel-291.bin >"$tmp/291" 2>&1; rc=$?
[ $rc -eq 1 ] && grep -q 'error\[CV400\]' "$tmp/291" && ok || bad "the installed chanval on CF291 exits $rc"
[ -s "$root/usr/share/man/man1/chanval.1.gz" ] && [ -s "$root/usr/share/doc/chanval/formats/rules.md.gz" ] &&
    ok || bad "manual page or documentation missing"

# the SONAME, and nothing but chanval_* exported
soname=$(objdump -p "$lib/libchanval.so.0" 2>/dev/null | awk '$1 == "SONAME" {print $2}')
[ "$soname" = libchanval.so.0 ] && ok || bad "SONAME is '$soname'"
others=$(nm -D --defined-only "$lib/libchanval.so.0" | awk '$2 ~ /^[TDBRVW]$/ && $3 !~ /^chanval_/ {print $3}')
[ -z "$others" ] && ok || bad "exported besides chanval_*: $others"

# a third-party program, through pkg-config only
export PKG_CONFIG_PATH="$lib/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$root"
cflags=$(pkg-config --cflags chanval) && libs=$(pkg-config --libs chanval) &&
    slibs=$(pkg-config --static --libs chanval) && ok || bad "pkg-config does not know chanval"
# shellcheck disable=SC2086
if cc -std=c11 -Wall -Werror $cflags -o "$tmp/consumer" tests/package/consumer.c $libs; then
    LD_LIBRARY_PATH=$lib "$tmp/consumer" corpus/world/types.xml corpus/world/fleet.xml \
        corpus/invalid/CV400-channel-291.bin >"$tmp/c.out"; rc=$?
    [ $rc -eq 1 ] && grep -q '1 errors' "$tmp/c.out" && ok || bad "consumer (shared) exit $rc: $(cat "$tmp/c.out")"
    ldd_out=$(LD_LIBRARY_PATH=$lib ldd "$tmp/consumer" | grep libchanval)
    case $ldd_out in *"$lib"*) ok ;; *) bad "consumer is not linked with the packaged library: $ldd_out" ;; esac
else bad "consumer does not link with: $cflags $libs"; fi
# the archive alone needs PCRE2, libxml2 and libcrypto: --static names them
# shellcheck disable=SC2086
if cc -std=c11 -Wall -Werror $cflags -o "$tmp/consumer-static" tests/package/consumer.c \
        -Wl,-Bstatic -lchanval -Wl,-Bdynamic $(echo "$slibs" | sed 's/-lchanval//'); then
    "$tmp/consumer-static" corpus/world/types.xml corpus/world/fleet.xml corpus/valid/mixed.bin >"$tmp/s.out"; rc=$?
    [ $rc -eq 0 ] && ok || bad "consumer (static) exit $rc: $(cat "$tmp/s.out")"
    ldd "$tmp/consumer-static" | grep -q libchanval && bad "consumer-static loads libchanval.so" || ok
else bad "consumer does not link statically with: $cflags $slibs"; fi

# one version everywhere
v_h=$(sed -n 's/^#define CHANVAL_VERSION "\(.*\)"$/\1/p' validator/chanval.h)
v_deb=$(dpkg-parsechangelog -S Version 2>/dev/null)
v_md=$(sed -n 's/^## \[\([0-9][0-9.]*\)\].*/\1/p' CHANGELOG.md | head -n 1)
v_pc=$(pkg-config --modversion chanval)
if [ "$v_h" = "$v_deb" ] && [ "$v_h" = "$v_md" ] && [ "$v_h" = "$v_pc" ]; then ok
else bad "versions disagree: chanval.h $v_h, debian/changelog $v_deb, CHANGELOG.md $v_md, chanval.pc $v_pc"; fi
cd "$top" || exit 2
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
