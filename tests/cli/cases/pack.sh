# pack writes the channel file atomically and only when the source is valid
W="-t corpus/world/types.xml -f corpus/world/fleet-healthy.xml"
"$CHANVAL" pack $W corpus/valid/mixed.xml -o "$TMPDIR/mixed.bin"
echo "pack valid: exit $?"
cmp "$TMPDIR/mixed.bin" corpus/valid/mixed.bin && echo "same bytes as corpus/valid/mixed.bin"
ls "$TMPDIR" | grep -c tmp || true
"$CHANVAL" pack -t corpus/world/types.xml -f corpus/world/fleet.xml corpus/invalid/CV400-channel-291.xml -o "$TMPDIR/291.bin" 2>/dev/null
echo "pack 291: exit $?"
[ -e "$TMPDIR/291.bin" ] && echo "291.bin written" || echo "291.bin not written"
cp corpus/valid/utf8.bin "$TMPDIR/old.bin"
"$CHANVAL" pack -t corpus/world/types.xml -f corpus/world/fleet.xml corpus/invalid/CV400-channel-291.xml -o "$TMPDIR/old.bin" 2>/dev/null
cmp "$TMPDIR/old.bin" corpus/valid/utf8.bin && echo "a failed pack leaves the old file intact"
"$CHANVAL" pack $W corpus/valid/mixed.xml 2>&1
echo "pack without -o: exit $?"
