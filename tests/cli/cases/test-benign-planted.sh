# A benign corpus generated from the sample types (300,000 events of an
# ordinary Windows fleet): the sample content passes it; a planted block
# instance on svchost.exe fails it (CV701, an error naming the event line);
# -j 2 gives the same report.
W="-t corpus/world/types.xml -f corpus/world/fleet.xml"
python3 tools/gen-benign.py 300000 >"$TMPDIR/benign.jsonl"
$CHANVAL test $W --benign "$TMPDIR/benign.jsonl" corpus/valid/mixed.bin corpus/valid/process-only.bin \
    >"$TMPDIR/0"
echo "sample content: exit $?"
sed "s#$TMPDIR#TMP#g" "$TMPDIR/0"
$CHANVAL test $W --benign "$TMPDIR/benign.jsonl" corpus/tests/planted/block-svchost.xml >"$TMPDIR/1"
echo "planted: exit $?"
sed "s#$TMPDIR#TMP#g" "$TMPDIR/1"
$CHANVAL test $W -j 2 --benign "$TMPDIR/benign.jsonl" corpus/tests/planted/block-svchost.xml >"$TMPDIR/2"
cmp -s "$TMPDIR/1" "$TMPDIR/2" && echo "planted: the same with -j 2"
