#!/bin/sh
# run.sh BUILD - run every test suite against the binaries in BUILD; write
# "passed failed" counts to BUILD/test-results.txt.  Run from the top.
set -u
build=$1
results=$build/test-results.txt
passed=0
failed=0
skipped=0
: >"$build/test-skipped.txt"
export CHANVAL="$build/chanval"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:${UBSAN_OPTIONS:-}"

count() { # a cmocka suite's output: add its passed/failed tests
    p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$1" | tail -n 1)
    f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$1" | tail -n 1)
    passed=$((passed + ${p:-0}))
    failed=$((failed + ${f:-0}))
}

for t in "$build"/tests/test_*; do
    [ -x "$t" ] || continue
    log=$build/$(basename "$t").log
    if "$t" >"$log" 2>&1; then :; else
        cat "$log"
        # a crash or sanitizer report counts as a failure even if no test did
        grep -q '^\[  FAILED  \]' "$log" || failed=$((failed + 1))
    fi
    count "$log"
    grep -E '^\[(==========|  PASSED  |  FAILED  )\]' "$log" | tail -n 2 | sed "s|^|$(basename "$t"): |"
done

# A suite or check that could not be set up here (exit 77): counted as
# skipped, with its reason, never as passed.
skip() { # NAME LOG
    skipped=$((skipped + 1))
    echo "$1: $(tail -n 1 "$2")" | tee -a "$build/test-skipped.txt" | sed 's/^/skipped: /'
}

# A suite that ends with "N passed, M failed": add its counts (no such line
# is a failure); exit 77 is a skip.
suite() { # NAME COMMAND...
    name=$1
    shift
    log=$build/$name.log
    "$@" >"$log" 2>&1
    rc=$?
    if [ $rc -eq 77 ]; then
        skip "$name" "$log"
        return
    fi
    line=$(grep -E '[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
    p=$(echo "$line" | sed -n 's/.*\b\([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed.*/\1/p')
    f=$(echo "$line" | sed -n 's/.*\b\([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed.*/\2/p')
    [ -n "$p" ] || f=1
    [ $rc -eq 0 ] && [ "${f:-0}" -eq 0 ] || { cat "$log"; [ "${f:-0}" -gt 0 ] || f=1; }
    passed=$((passed + ${p:-0}))
    failed=$((failed + ${f:-0}))
    echo "$name: ${line:-failed, see $log}"
}

# A check that passes with exit 0 (77: skipped): one test.
one() { # NAME COMMAND...
    name=$1
    shift
    log=$build/$name.log
    "$@" >"$log" 2>&1
    rc=$?
    if [ $rc -eq 0 ]; then passed=$((passed + 1))
    elif [ $rc -eq 77 ]; then skip "$name" "$log"; return
    else cat "$log"; failed=$((failed + 1)); fi
    echo "$name: $(tail -n 1 "$log")"
}

suite cli sh tests/cli/run.sh "$build/chanval"
# hostile inputs: each class of input that must fail closed
suite hostile sh tests/hostile/run.sh "$build/chanval"
# the fuzzers' regression inputs (corpus/regress/) through their harnesses
suite fuzz-regress sh fuzz/tools/regress.sh "$build"
# PCRE2's own test patterns through the regex harnesses (skipped when the
# source package cannot be fetched)
one pcre2-tests sh fuzz/tools/pcre2-tests.sh build "$build/fuzz-standalone" "$build/chanval"
# what does not depend on sanitizers runs in the first pass only
if [ -z "${CHANVAL_SANITIZED:-}" ]; then
    suite integrations sh tests/integrations/run.sh "$build"
    one actions-lint sh tests/integrations/lint.sh
    suite install sh tests/install/run.sh "$build"
    # the Debian packages: built, unpacked into a scratch root, used
    suite package sh tests/package/run.sh
    one package-fresh-root sh tests/package/fresh-root.sh
    # regex families: what an independent attack drives over the budget is
    # CV502 or CV501, never silent or CV503
    suite redos-families sh tests/redos/families.sh "$build"
    # format descriptions: the .ksy compiles and parses the documented example
    one ksy sh tests/formats/check-ksy.sh
    # the committed corpus is exactly what its generators write
    # a generic attack, independent of the analysis, on the PCRE2 test
    # patterns chanval accepted above: a CV502 missed (skipped with them)
    one pcre2-attack sh fuzz/tools/pcre2-attack.sh "$build/fuzz-tools/attack"
    one corpus sh -c 'python3 corpus/tools/mkcorpus.py --check && python3 corpus/tools/mkdiff.py --check && echo "generated files up to date"'
    one reports sh tests/formats/check-reports.sh "$build/chanval"
    one rules-page sh tests/formats/check-rules-page.sh "$build/chanval"
    one editors sh tests/formats/check-editors.sh "$build/chanval"
    # the HTML report in headless Chromium; screenshots kept in build/html
    one html sh tests/formats/check-html.sh "$build/chanval" build/html
    one xsd sh tests/formats/check-xsd.sh "$build/chanval"
fi

echo "$passed $failed $skipped" >"$results"
echo "$build: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
