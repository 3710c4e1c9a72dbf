# adopt the gate on a repository with findings: write a baseline, then only
# new findings fail
W="-t corpus/world/types.xml -f corpus/world/fleet.xml"
"$CHANVAL" check -q $W --write-baseline "$TMPDIR/baseline.xml" corpus/valid >/dev/null
echo "write-baseline: exit $?"
grep -c '<finding ' "$TMPDIR/baseline.xml"
"$CHANVAL" check $W --baseline "$TMPDIR/baseline.xml" corpus/valid >"$TMPDIR/report.out"
echo "with the baseline: exit $?"
tail -n 2 "$TMPDIR/report.out"
"$CHANVAL" check -q $W --baseline "$TMPDIR/baseline.xml" corpus/valid corpus/invalid/CV305-empty-range.xml
echo "a new finding: exit $?"
"$CHANVAL" check $W --baseline "$TMPDIR/none.xml" corpus/valid >/dev/null 2>"$TMPDIR/report.err2"
echo "a missing baseline: exit $?"
sed 's|/[^ ]*/none.xml|none.xml|' "$TMPDIR/report.err2"
