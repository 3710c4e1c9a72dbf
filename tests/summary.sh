#!/bin/sh
# summary.sh RESULTS... - add up the counts of each pass of `make test`
# ("passed failed [skipped]" per file); a skipped suite is named with its
# reason (BUILD/test-skipped.txt beside each RESULTS file).
passed=0
failed=0
skipped=0
for r in "$@"; do
    read -r p f k <"$r" || exit 1
    passed=$((passed + p))
    failed=$((failed + f))
    skipped=$((skipped + ${k:-0}))
    s=$(dirname "$r")/test-skipped.txt
    [ -s "$s" ] && sed "s|^|skipped ($(dirname "$r")): |" "$s"
done
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
