# dump | pack reproduces the file
"$CHANVAL" dump -t corpus/world/types.xml corpus/valid/mixed.bin -o "$TMPDIR/mixed.xml"
"$CHANVAL" pack -t corpus/world/types.xml -f corpus/world/fleet-healthy.xml "$TMPDIR/mixed.xml" -o "$TMPDIR/mixed.bin"
cmp "$TMPDIR/mixed.bin" corpus/valid/mixed.bin && echo "dump|pack reproduces corpus/valid/mixed.bin"
