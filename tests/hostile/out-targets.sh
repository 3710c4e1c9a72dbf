# -o and --write-baseline: a device, FIFO or /dev/stdout is written into,
# never replaced; a write error is exit 2; an output that is one of the
# inputs (also through a symbolic or hard link, also a walked file) is
# refused before anything is written.
. tests/hostile/lib.sh
ok=corpus/valid/mixed.bin
# /dev/stdout through a pipe: the report arrives, /dev/stdout stays a link
"$CHANVAL" check --format json $W $ok -o /dev/stdout 2>"$T/e0" | grep -q "summary" || { cat "$T/e0"; false; } ||
    fail "-o /dev/stdout did not reach the pipe"
[ -L /dev/stdout ] || fail "/dev/stdout is no longer a symbolic link"
expect_exit 0 "$T/o1" "$CHANVAL" check $W $ok -o /dev/null
[ -c /dev/null ] || fail "/dev/null is no longer a character device"
if [ -w /dev/full ]; then
    expect_exit 2 "$T/o2" "$CHANVAL" check $W $ok -o /dev/full
    grep -q "No space left" "$T/o2" || fail "the write error is not named"
    [ -c /dev/full ] || fail "/dev/full was replaced"
fi
mkfifo "$T/fifo"
expect_exit 2 "$T/o3" "$CHANVAL" check $W $ok -o "$T/fifo"
[ -p "$T/fifo" ] || fail "the FIFO was replaced"
# outputs that are inputs
cp corpus/valid/mixed.xml "$T/s.xml"
cp "$T/s.xml" "$T/orig.xml"
ln -s s.xml "$T/link.xml"
ln "$T/s.xml" "$T/hard.xml"
for target in s.xml link.xml hard.xml; do
    expect_exit 2 "$T/p.$target" "$CHANVAL" pack $W "$T/s.xml" -o "$T/$target"
    grep -q "refusing to write" "$T/p.$target" || fail "pack -o $target: no refusal"
    cmp -s "$T/s.xml" "$T/orig.xml" || fail "pack -o $target changed the source"
done
[ -L "$T/link.xml" ] || fail "the link was replaced"
cp $ok "$T/c.bin"
expect_exit 2 "$T/o4" "$CHANVAL" check $W "$T/c.bin" -o "$T/c.bin"
cmp -s "$T/c.bin" $ok || fail "check -o replaced the checked file"
expect_exit 2 "$T/o5" "$CHANVAL" check $W "$T/c.bin" --write-baseline "$T/c.bin"
cmp -s "$T/c.bin" $ok || fail "--write-baseline replaced the checked file"
mkdir "$T/d" && cp $ok "$T/d/a.bin"
expect_exit 2 "$T/o6" "$CHANVAL" check $W "$T/d" -o "$T/d/a.bin"
cmp -s "$T/d/a.bin" $ok || fail "check -o replaced a walked file"
cp corpus/world/types.xml "$T/types.xml"
expect_exit 2 "$T/o7" "$CHANVAL" check -t "$T/types.xml" -f corpus/world/fleet.xml $ok -o "$T/types.xml"
cmp -s "$T/types.xml" corpus/world/types.xml || fail "check -o replaced the -t document"
expect_exit 2 "$T/o8" "$CHANVAL" dump $W "$T/c.bin" -o "$T/c.bin"
cmp -s "$T/c.bin" $ok || fail "dump -o replaced its input"
# a symbolic link to a regular output: the link stays, its file is replaced
: >"$T/real.json" && ln -s real.json "$T/out.json"
expect_exit 0 "$T/o9" "$CHANVAL" check --format json $W $ok -o "$T/out.json"
[ -L "$T/out.json" ] && grep -q '"summary"' "$T/real.json" || fail "the link to the output was replaced"
echo "devices, FIFOs and links written into or refused; inputs never overwritten (source, checked, walked, -t, dump)"
