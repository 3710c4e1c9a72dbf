#!/bin/sh
# pcre2-tests.sh BUILDDIR HARNESS_DIR - run the patterns of PCRE2's own test
# suite through harness_regex_parse and harness_regex (built without a
# fuzzing engine in HARNESS_DIR).
#
# The test suite comes from the Debian source package of the PCRE2 that is
# installed (so the patterns match the library chanval links), fetched with
# apt-get into BUILDDIR/pcre2-src; nothing is installed.  Exit 77 when the
# source cannot be fetched (no network, no Debian), 1 on a finding.
set -u
build=$1
hdir=$2
mkdir -p "$build" || exit 1
work=$(cd "$build" && pwd)/pcre2-src # apt reads relative paths from /etc/apt
version=$(dpkg-query -W -f='${source:Version}' libpcre2-8-0 2>/dev/null) || version=
if [ -z "$version" ]; then
    echo "pcre2-tests: libpcre2-8-0 is not installed from a Debian package: skipped"
    exit 77
fi
upstream=${version%%-*}
src=$(ls -d "$work"/pcre2-"$upstream" 2>/dev/null)
if [ -z "$src" ]; then
    rm -rf "$work"
    mkdir -p "$work/lists/partial" "$work/cache/archives/partial"
    codename=$(sed -n 's/^VERSION_CODENAME=//p' /etc/os-release)
    cat >"$work/sources.list" <<EOF
deb-src http://deb.debian.org/debian ${codename:-bookworm} main
deb-src http://deb.debian.org/debian-security ${codename:-bookworm}-security main
EOF
    apt="-o Dir::Etc::SourceList=$work/sources.list -o Dir::Etc::SourceParts=/dev/null"
    apt="$apt -o Dir::State::Lists=$work/lists -o Dir::Cache=$work/cache"
    # The test suite is upstream's (the .orig tarball): any Debian revision
    # of the same upstream version has it, so a revision that a mirror
    # lacks is no loss.
    # shellcheck disable=SC2086
    apt-get $apt -qq update >"$work/log" 2>&1
    for want in "pcre2=$version" pcre2; do
        ls "$work"/pcre2_"$upstream".orig.tar.* >/dev/null 2>&1 && break
        # shellcheck disable=SC2086
        (cd "$work" && apt-get $apt -qq source --download-only "$want" >>log 2>&1)
    done
    orig=$(ls "$work"/pcre2_"$upstream".orig.tar.* 2>/dev/null | head -n 1)
    if [ -z "$orig" ]; then
        echo "pcre2-tests: cannot fetch the source of pcre2 $upstream (see $work/log): skipped"
        exit 77
    fi
    (cd "$work" && tar xf "$orig") || exit 1
    src=$work/pcre2-$upstream
fi
npat=$(python3 fuzz/tools/pcre2_patterns.py "$src/testdata" "$work/inputs") || exit 1
rc=0
for h in regex_parse regex; do
    if ! out=$("$hdir/harness_$h" "$work/inputs/$h" 2>&1); then
        echo "harness_$h: FAILED"
        printf '%s\n' "$out" | grep -v '^running' | tail -n 5
        printf '%s\n' "$out" | grep '^running' | tail -n 1
        rc=1
    fi
done
[ $rc -eq 0 ] && echo "PCRE2 $upstream test suite, $npat: clean through harness_regex_parse and harness_regex"
exit $rc
