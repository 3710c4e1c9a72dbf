#!/bin/sh
# run.sh BUILD - run every test suite against the binaries in BUILD; write
# "passed failed" counts to BUILD/test-results.txt.  Run from the top.
set -u
build=$1
results=$build/test-results.txt
passed=0
failed=0
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

suites="tests/cli/run.sh"
# what does not depend on sanitizers runs in the first pass only
[ -n "${CHANVAL_SANITIZED:-}" ] || suites="$suites tests/integrations/run.sh tests/install/run.sh"
for s in $suites; do
    name=$(basename "$(dirname "$s")")
    log=$build/$name.log
    case $s in
    tests/cli/*) arg=$build/chanval ;;
    *) arg=$build ;;
    esac
    sh "$s" "$arg" >"$log" 2>&1
    rc=$?
    [ $rc -eq 77 ] && { tail -n 1 "$log" | sed "s/^/$name: /"; continue; }
    [ $rc -eq 0 ] || cat "$log"
    p=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$log")
    f=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$log")
    [ -n "$p" ] || f=1
    passed=$((passed + ${p:-0}))
    failed=$((failed + ${f:-0}))
    tail -n 1 "$log" | sed "s/^/$name: /"
done

# the fuzzers' regression inputs (corpus/regress/) through their harnesses
log=$build/fuzz-regress.log
sh fuzz/tools/regress.sh "$build" >"$log" 2>&1
p=$(sed -n 's/^regress: \([0-9]*\) passed, \([0-9]*\) failed.*/\1/p' "$log")
f=$(sed -n 's/^regress: \([0-9]*\) passed, \([0-9]*\) failed.*/\2/p' "$log")
[ -n "$p" ] || f=1
[ "${f:-0}" -eq 0 ] || cat "$log"
passed=$((passed + ${p:-0}))
failed=$((failed + ${f:-0}))
tail -n 1 "$log" | sed 's/^/fuzz: /'

# format descriptions: the .ksy compiles and parses the documented example
# (skipped, not failed, where npm is unavailable: exit 77)
# (they do not involve the build, so the sanitized pass skips them)
if [ -z "${CHANVAL_SANITIZED:-}" ]; then
    log=$build/ksy.log
    sh tests/formats/check-ksy.sh >"$log" 2>&1
    rc=$?
    if [ $rc -eq 0 ]; then passed=$((passed + 1)); echo "formats: ksy ok"
    elif [ $rc -eq 77 ]; then echo "formats: ksy skipped (no npm)"
    else cat "$log"; failed=$((failed + 1)); fi
    # the committed corpus is exactly what its generator writes
    if python3 corpus/tools/mkcorpus.py --check >"$build/corpus-gen.log" 2>&1 &&
        python3 corpus/tools/mkdiff.py --check >>"$build/corpus-gen.log" 2>&1; then
        passed=$((passed + 1)); echo "corpus: generated files up to date"
    else cat "$build/corpus-gen.log"; failed=$((failed + 1)); fi
    log=$build/reports.log
    sh tests/formats/check-reports.sh "$build/chanval" >"$log" 2>&1
    rc=$?
    tail -n 1 "$log" | sed 's/^/formats: /'
    if [ $rc -eq 0 ]; then passed=$((passed + 1))
    elif [ $rc -ne 77 ]; then cat "$log"; failed=$((failed + 1)); fi
    log=$build/xsd.log
    sh tests/formats/check-xsd.sh "$build/chanval" >"$log" 2>&1
    rc=$?
    tail -n 1 "$log" | sed 's/^/formats: /'
    if [ $rc -eq 0 ]; then passed=$((passed + 1))
    elif [ $rc -ne 77 ]; then cat "$log"; failed=$((failed + 1)); fi
fi

echo "$passed $failed" >"$results"
echo "$build: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
