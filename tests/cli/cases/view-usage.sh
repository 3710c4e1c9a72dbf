# view's options: each mistake is a usage error (exit 2) naming what is wrong
W="-t corpus/world/types.xml -f corpus/world/fleet.xml"
F=corpus/invalid/CV400-channel-291.bin
for args in "--all --instance 2 $F" "--range 10:5 $F" "--range 0x:5 $F" "--range 0+20000000 $F" \
            "--instance 0 $F" "--instance 9 $F" "--range 0x100000:0x100010 $F" "--format json $F" \
            "--context=17 $F" "" ; do
    $CHANVAL view $W $args >/dev/null 2>"$TMPDIR/err"
    echo "exit $?: $(head -n 1 "$TMPDIR/err")"
done
$CHANVAL check $W --instance 2 $F >/dev/null 2>"$TMPDIR/err"
echo "exit $?: $(head -n 1 "$TMPDIR/err")"
