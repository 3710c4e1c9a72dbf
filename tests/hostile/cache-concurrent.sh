# Two runs filling one cache folder at once (each with -j 2) both report
# what an uncached run reports, and a third run from the shared entries
# does too, using them (rename makes each entry whole or absent).
. tests/hostile/lib.sh
C=$T/cache
set -- corpus/valid corpus/invalid
"$CHANVAL" check $W --format json "$@" >"$T/plain" 2>/dev/null
"$CHANVAL" check $W --format json -j 2 --cache-dir "$C" "$@" >"$T/a" 2>/dev/null &
"$CHANVAL" check $W --format json -j 2 --cache-dir "$C" "$@" >"$T/b" 2>/dev/null &
wait
cmp -s "$T/plain" "$T/a" || fail "the first concurrent run differs"
cmp -s "$T/plain" "$T/b" || fail "the second concurrent run differs"
"$CHANVAL" check $W --format json -v --cache-dir "$C" "$@" >"$T/c" 2>"$T/counts"
cmp -s "$T/plain" "$T/c" || fail "the warm run differs"
grep -q ' 0 stored, 0 refused' "$T/counts" || fail "the warm run did not reuse everything: $(cat "$T/counts")"
ls "$C"/v1/*/*.tmp.* >/dev/null 2>&1 && fail "temporary entries were left behind"
# a file never seen (a copy under another name): its result is not in the
# cache, but its costly regex verdicts are, and the report is the same
cp corpus/invalid/CV502-exponential.bin "$T/renamed.bin"
"$CHANVAL" check $W --format json "$T/renamed.bin" >"$T/r-plain" 2>/dev/null
"$CHANVAL" check $W --format json -v --cache-dir "$C" "$T/renamed.bin" >"$T/r-cached" 2>"$T/r-counts"
cmp -s "$T/r-plain" "$T/r-cached" || fail "regex verdicts from the cache changed the report"
grep -q 'cache: [1-9][0-9]* entries used' "$T/r-counts" || fail "no regex verdict reused: $(cat "$T/r-counts")"
echo "two runs filling one cache at once report as an uncached run; a third reuses every entry: $(sed 's/chanval: cache: //' "$T/counts")"
