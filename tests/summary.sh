#!/bin/sh
# summary.sh RESULTS... - add up the counts of each pass of `make test`.
passed=0
failed=0
for r in "$@"; do
    read -r p f <"$r" || exit 1
    passed=$((passed + p))
    failed=$((failed + f))
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
