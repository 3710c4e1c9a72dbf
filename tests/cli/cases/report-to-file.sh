# -o writes the report atomically; stdout stays empty
"$CHANVAL" check --format json -o "$TMPDIR/report.json" -t corpus/world/types.xml corpus/valid/process-only.bin
echo "exit $?"
grep -c '"rule"' "$TMPDIR/report.json"
"$CHANVAL" check -o "$TMPDIR/no-such-dir/report.txt" corpus/valid/process-only.bin 2>"$TMPDIR/report.err"
echo "exit $?"
sed 's/temporary file for .*:/temporary file for the report:/' "$TMPDIR/report.err"
