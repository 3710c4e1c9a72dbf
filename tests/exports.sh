#!/bin/sh
# exports.sh CC "SOURCES" "CFLAGS" "LIBS" - built as a shared library (PIC,
# -fvisibility=hidden, as a package would build it), libchanval exports
# exactly the functions that chanval.h declares with CHANVAL_API: every one
# of them, and no internal symbol (cv_*, rx_*, ...).  Run from the top.
set -u
cc=$1 srcs=$2 cflags=$3 libs=$4
command -v nm >/dev/null 2>&1 || { echo "exports: skipped: no nm"; exit 77; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/chanval-exports.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
objs=
for f in $srcs; do
    o=$tmp/$(echo "$f" | tr '/' '_').o
    # shellcheck disable=SC2086
    $cc -std=c11 -O0 -fPIC -fvisibility=hidden -Ivalidator $cflags -c "$f" -o "$o" || exit 2
    objs="$objs $o"
done
# shellcheck disable=SC2086
$cc -shared -o "$tmp/libchanval.so" $objs $libs -pthread || exit 2
nm -D --defined-only "$tmp/libchanval.so" | awk '$2 ~ /^[TDBRVW]$/ {print $3}' | sort >"$tmp/exported"
sed -n 's/^CHANVAL_API [^(]*[^a-z_0-9]\(chanval_[a-z_0-9]*\)(.*/\1/p' validator/chanval.h | sort >"$tmp/declared"
fail=0
extra=$(comm -23 "$tmp/exported" "$tmp/declared")
missing=$(comm -13 "$tmp/exported" "$tmp/declared")
[ -z "$extra" ] || { echo "exports: exported but not in chanval.h:"; echo "$extra" | sed 's/^/  /'; fail=1; }
[ -z "$missing" ] || { echo "exports: declared in chanval.h but not exported:"; echo "$missing" | sed 's/^/  /'; fail=1; }
# the Debian symbols file lists each exported symbol, and nothing else
sed -n 's/^ \(chanval_[a-z_0-9]*\)@Base .*/\1/p' debian/libchanval0.symbols | sort >"$tmp/listed"
unlisted=$(comm -23 "$tmp/exported" "$tmp/listed")
stale=$(comm -13 "$tmp/exported" "$tmp/listed")
[ -z "$unlisted" ] || { echo "exports: not in debian/libchanval0.symbols:"; echo "$unlisted" | sed 's/^/  /'; fail=1; }
[ -z "$stale" ] || { echo "exports: in debian/libchanval0.symbols but not exported:"; echo "$stale" | sed 's/^/  /'; fail=1; }
[ $fail -eq 0 ] || exit 1
echo "exports: $(wc -l <"$tmp/exported") symbols, each a chanval_ function of chanval.h and listed in debian/libchanval0.symbols"
