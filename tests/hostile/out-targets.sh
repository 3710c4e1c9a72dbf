# -o and --write-baseline: a FIFO is written into, never replaced (one with
# no reader is exit 2, not a hang); an output that is one of the
# inputs (also through a symbolic or hard link, also a walked file) is
# refused before anything is written.
. tests/hostile/lib.sh
ok=corpus/valid/mixed.bin
# (devices and /dev/stdout: out-device-target, on devices of its own, so
# that a binary with the bug cannot replace the system's)
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
echo "FIFOs and links written into or refused; inputs never overwritten (source, checked, walked, -t, dump)"
