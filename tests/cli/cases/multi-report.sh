# one run writes every report: each is byte-identical to the report of a
# run of its own, the text goes to standard output, and a report that
# cannot be written does not keep the others from being written
W="-t corpus/world/types.xml -f corpus/world/fleet.xml"
F=corpus/invalid/CV400-channel-291.bin
T=$TMPDIR
"$CHANVAL" check $W $F --format json="$T/r.json" --format sarif -o "$T/r.sarif" \
    --format junit="$T/r.xml" --format codequality="$T/r.cq" --format text
echo "exit $?"
for f in json:r.json sarif:r.sarif junit:r.xml codequality:r.cq; do
    "$CHANVAL" check $W $F --format "${f%%:*}" >"$T/alone"
    cmp -s "$T/alone" "$T/${f#*:}" && echo "${f%%:*}: same as a run of its own"
done
# -o before the one format without a file names its file
"$CHANVAL" check $W $F -o "$T/o.json" --format json --format text=/dev/null
echo "exit $?"
cmp -s "$T/o.json" "$T/r.json" && echo "json: -o names the one format without a file"
# a report that cannot be written: exit 2, the other is written
rm -f "$T/r.sarif"
"$CHANVAL" check $W $F --format json=/dev/full --format sarif="$T/r.sarif" 2>&1 >/dev/null
echo "exit $?"
[ -s "$T/r.sarif" ] && echo "sarif written"
# usage errors: two reports on standard output, two on one file, -o twice,
# an -o that names no report in particular, a report over an input
"$CHANVAL" check $W $F --format json --format sarif 2>&1; echo "exit $?"
"$CHANVAL" check $W $F --format json="$T/x" --format sarif -o "$T/x" >"$T/err" 2>&1
echo "exit $?"
sed "s|$T/||g" "$T/err"
"$CHANVAL" check $W $F -o "$T/a" -o "$T/b" >"$T/err" 2>&1
echo "exit $?"
sed "s|$T/||g" "$T/err"
"$CHANVAL" check $W $F --format junit=$F 2>&1; echo "exit $?"
"$CHANVAL" check $W $F --format yaml=x 2>&1; echo "exit $?"
"$CHANVAL" check $W $F --format json= 2>&1; echo "exit $?"
"$CHANVAL" pack $W corpus/valid/mixed.xml --format json="$T/x" -o "$T/y" >"$T/err" 2>&1
echo "exit $?"
sed "s|$T/||g" "$T/err"
