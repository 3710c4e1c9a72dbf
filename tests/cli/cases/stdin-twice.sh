# "-" is standard input, read once: named once it is checked as "-";
# named twice (operands, -t/-f, diff's two sides, --baseline) it is a usage
# error, not one check of it and an empty or missing second
W="-t corpus/world/types.xml -f corpus/world/fleet.xml"
"$CHANVAL" check $W - <corpus/invalid/CV400-channel-291.bin >"$TMPDIR/out"
echo "exit $?, $(grep -c '^-:0x' "$TMPDIR/out") findings located at '-'"
"$CHANVAL" check $W - - <corpus/valid/mixed.bin 2>&1; echo "exit $?"
"$CHANVAL" check -t - -f - </dev/null 2>&1; echo "exit $?"
"$CHANVAL" check -f corpus/world/fleet.xml -t - - <corpus/world/types.xml 2>&1; echo "exit $?"
"$CHANVAL" diff $W - - <corpus/diff/routine-old.bin 2>&1; echo "exit $?"
"$CHANVAL" check $W --baseline - - </dev/null 2>&1; echo "exit $?"
