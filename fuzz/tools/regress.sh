#!/bin/sh
# regress.sh BUILD - run every regression input corpus/regress/NAME/* through
# BUILD/fuzz-standalone/harness_NAME (a harness without a fuzzing engine,
# linked with the library of BUILD).  A harness aborts on a finding, so
# the test is a clean exit (and, in the sanitized pass, no report).  Inputs
# listed in corpus/regress/known-failures are expected to fail for now.
# Last line: "regress: N passed, M failed, K known failures".
set -u
build=$1
known=corpus/regress/known-failures
passed=0
failed=0
xfail=0
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:${UBSAN_OPTIONS:-}"
for dir in corpus/regress/*/; do
    name=$(basename "$dir")
    bin=$build/fuzz-standalone/harness_$name
    for f in "$dir"*; do
        [ -f "$f" ] || continue
        rel=${f#corpus/regress/}
        is_known=no
        if [ -f "$known" ] && cut -f 1 "$known" | grep -qxF "$rel"; then is_known=yes; fi
        if [ ! -x "$bin" ]; then
            echo "FAIL $rel: no harness $bin"
            failed=$((failed + 1))
            continue
        fi
        if "$bin" "$f" >"$build/regress.out" 2>&1; then
            if [ $is_known = yes ]; then
                echo "note: $rel passes now: remove it from $known"
            fi
            passed=$((passed + 1))
        elif [ $is_known = yes ]; then
            echo "known failure: $rel"
            xfail=$((xfail + 1))
        else
            grep -E 'finding|ERROR|runtime error|SUMMARY' "$build/regress.out" | head -n 5
            echo "FAIL $rel (reproduce: $bin $f)"
            failed=$((failed + 1))
        fi
    done
done
rm -f "$build/regress.out"
echo "regress: $passed passed, $failed failed, $xfail known failures"
[ "$failed" -eq 0 ]
