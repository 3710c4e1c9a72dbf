#!/bin/sh
# run.sh CHANVAL [RESULTS] - the command built with ThreadSanitizer, on the
# work that runs on several threads: files checked N at a time (-j) and one
# file's regex measurements (--threads).  Any race report fails, and the
# reports must not depend on the number of threads.  RESULTS gets the
# "passed failed" counts.
set -u
C=$1
results=${2:-/dev/null}
export TSAN_OPTIONS="halt_on_error=1:exitcode=66:${TSAN_OPTIONS:-}"
tmp=${TMPDIR:-/tmp}/chanval-threads.$$
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL threads: $1"; }

# ThreadSanitizer cannot run under some address-space layouts: skip then.
if ! "$C" --version >"$tmp/v" 2>&1; then
    echo "threads: skipped, the ThreadSanitizer build does not start here: $(head -n 1 "$tmp/v")"
    echo "0 0" >"$results"
    exit 77
fi

W="-t corpus/world/types.xml -f corpus/world/fleet.xml"
# status 0 or 1 (findings); 66 is a race, anything else a crash
run() { # OUT ARGS...
    out=$1
    shift
    "$C" "$@" >"$out" 2>"$out.err"
    rc=$?
    if [ $rc -gt 1 ]; then
        bad "chanval $* exited $rc"
        sed 's/^/  | /' "$out.err" | head -n 40
        return 1
    fi
    return 0
}

# every corpus file (sources are packed to size them: one pack per thread)
run "$tmp/j1" check --no-config --format json $W corpus/valid corpus/invalid &&
    run "$tmp/j4" check --no-config --format json -j 4 $W corpus/valid corpus/invalid &&
    if cmp -s "$tmp/j1" "$tmp/j4"; then ok; else bad "-j 1 and -j 4 differ"; fi

# one source with several regexes to measure
{
    echo '<channel formatVersion="1" id="9" contentVersion="1">'
    i=0
    for p in '(\w+\s?)*$' '\d+\s*\d+$' '(a|a)*$' 'a*a*$' '(x+x+)+y' '^(\w+)+$' '[a-z]+\d' 'svc[0-9]{4}'; do
        i=$((i + 1))
        echo "  <instance id=\"$i\" typeId=\"12\" typeVersion=\"1\" action=\"log\" severity=\"low\">"
        echo "    <criterion field=\"command_line\" op=\"regex\" value=\"$p\"/>"
        echo "  </instance>"
    done
    echo '</channel>'
} >"$tmp/regexes.xml"
run "$tmp/t1" check --no-config --threads 1 $W "$tmp/regexes.xml" &&
    run "$tmp/t4" check --no-config --threads 4 $W "$tmp/regexes.xml" &&
    if cmp -s "$tmp/t1" "$tmp/t4" && [ "$(grep -c 'CV502' "$tmp/t4")" -ge 5 ]; then ok
    else bad "--threads 1 and 4 differ, or too few CV502"; fi

# chanval test on a benign corpus with -j 4: workers share the programs and
# the world, and merge their findings and counts in line order (a corpus
# over 1 MiB, so that it is split; planted content fires on it)
python3 tools/gen-benign.py 6000 >"$tmp/benign.jsonl"
run "$tmp/b1" test --no-config --format json $W --benign "$tmp/benign.jsonl" \
    corpus/tests/planted/block-svchost.xml corpus/tests/ &&
    run "$tmp/b4" test --no-config --format json -j 4 $W --benign "$tmp/benign.jsonl" \
        corpus/tests/planted/block-svchost.xml corpus/tests/ &&
    if cmp -s "$tmp/b1" "$tmp/b4" && grep -q CV701 "$tmp/b4"; then ok
    else bad "chanval test -j 1 and -j 4 differ, or the planted instance did not fire"; fi

echo "$passed $failed" >"$results"
echo "threads: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
