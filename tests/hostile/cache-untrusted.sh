# The result cache is never trusted: a corrupt entry, a truncated one, and
# a well-formed entry filed under another file's key (the checksum is right,
# the key is not) are all ignored; the verdict is the uncached one, and the
# entries are counted as refused.
. tests/hostile/lib.sh
C=$T/cache
bad=corpus/invalid/CV400-channel-291.bin
good=corpus/valid/mixed.bin
expect_exit 1 "$T/plain" "$CHANVAL" check $W --format json $bad
# file the clean file's result, then forge the bad file's entry from it
expect_exit 0 "$T/o" "$CHANVAL" check $W --cache-dir "$C" $good
n=$(find "$C" -type f | wc -l)
[ "$n" -ge 1 ] || fail "nothing was stored"
find "$C" -type f | sort >"$T/before"
expect_exit 1 "$T/o" "$CHANVAL" check $W --cache-dir "$C" $bad
find "$C" -type f | sort >"$T/after"
# every entry the bad file's run wrote gets one of the clean file's run
clean=$(head -n 1 "$T/before")
for e in $(comm -13 "$T/before" "$T/after"); do cp "$clean" "$e"; done
[ -n "$(comm -13 "$T/before" "$T/after")" ] || fail "the bad file's run stored nothing"
expect_exit 1 "$T/forged" "$CHANVAL" check $W --format json --cache-dir "$C" -v $bad
cmp -s "$T/plain" "$T/forged" 2>/dev/null || {
    # the report is on stdout, the counts on stderr: compare the JSON only
    "$CHANVAL" check $W --format json --cache-dir "$C" $bad >"$T/forged.json" 2>/dev/null
    cmp -s "$T/plain" "$T/forged.json" || fail "an entry filed under another key changed the report"
}
grep -q 'refused (corrupt' "$T/forged" || fail "no cache counts with -v"
grep -q ' 0 refused' "$T/forged" && fail "the forged entries were not refused"
# flip one byte in the middle of every entry, and truncate one
for e in $(find "$C" -type f); do
    size=$(wc -c <"$e")
    printf 'X' | dd of="$e" bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
done
e=$(find "$C" -type f | head -n 1)
head -c 10 "$e" >"$e.t" && mv "$e.t" "$e"
expect_exit 1 "$T/o" "$CHANVAL" check $W --format json --cache-dir "$C" $bad
cmp -s "$T/plain" "$T/o" || fail "a corrupt entry changed the report"
expect_exit 0 "$T/o" "$CHANVAL" check $W --cache-dir "$C" $good
# a folder that cannot be made: a warning, the same verdict
expect_exit 1 "$T/nodir" "$CHANVAL" check $W --format json --cache-dir /dev/null/cache $bad
grep -q 'checking uncached' "$T/nodir" || fail "no warning for an unusable cache folder"
"$CHANVAL" check $W --format json --cache-dir /dev/null/cache $bad 2>/dev/null | cmp -s - "$T/plain" ||
    fail "an unusable cache folder changed the report"
echo "forged, corrupt and truncated cache entries are refused; an unusable folder warns and checks uncached"
