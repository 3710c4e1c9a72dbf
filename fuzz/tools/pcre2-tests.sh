#!/bin/sh
# pcre2-tests.sh BUILDDIR HARNESS_DIR CHANVAL - run the patterns of PCRE2's
# own test suite through harness_regex_parse and harness_regex (built
# without a fuzzing engine in HARNESS_DIR); then, as one channel file of
# every pattern CHANVAL accepts on a 4096-byte field of the sample world,
# through harness_oracle: a pattern chanval accepts must not exhaust a
# sensor's budget in the reference interpreter (a CV502 missed).
#
# The test suite comes from the Debian source package of the PCRE2 that is
# installed (so the patterns match the library chanval links), fetched with
# apt-get into BUILDDIR/pcre2-src; nothing is installed.  Exit 77 when the
# source cannot be fetched (no network, no Debian), 1 on a finding.
set -u
build=$1
hdir=$2
chanval=$3
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
    if ! (cd "$work" && tar xf "$orig") || [ ! -d "$work/pcre2-$upstream/testdata" ]; then
        echo "pcre2-tests: cannot unpack $(basename "$orig"): skipped"
        rm -f "$orig"
        exit 77
    fi
    src=$work/pcre2-$upstream
fi
in=$work/inputs
npat=$(python3 fuzz/tools/pcre2_patterns.py "$src/testdata" "$in") || exit 1
rc=0
for h in regex_parse regex; do
    if ! out=$("$hdir/harness_$h" "$in/$h" 2>&1); then
        echo "harness_$h: FAILED"
        printf '%s\n' "$out" | grep -v '^running' | tail -n 5
        printf '%s\n' "$out" | grep '^running' | tail -n 1
        rc=1
    fi
done
# the oracle on what chanval accepts (the world the oracle harness embeds)
world="-t corpus/world/types.xml -f corpus/world/fleet.xml"
# shellcheck disable=SC2086
"$chanval" check -q --format json $world "$in/source.xml" >"$in/report.json"
[ $? -le 1 ] || { echo "chanval check failed on the patterns"; exit 1; }
python3 fuzz/tools/pcre2_patterns.py filter "$in/report.json" "$in/source.xml" \
    "$in/accepted.xml" >/dev/null || exit 1
# shellcheck disable=SC2086
"$chanval" pack $world "$in/accepted.xml" -o "$in/accepted.bin" >/dev/null || {
    echo "chanval pack refused the patterns it accepted"
    exit 1
}
if ! out=$("$hdir/harness_oracle" "$in/accepted.bin" 2>&1); then
    echo "harness_oracle: FAILED"
    printf '%s\n' "$out" | grep -v '^running' | tail -n 5
    rc=1
fi
[ $rc -eq 0 ] && echo "PCRE2 $upstream test suite, $npat: clean through harness_regex_parse, harness_regex and the oracle"
exit $rc
