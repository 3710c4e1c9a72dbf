# the report does not depend on -j
W="-t corpus/world/types.xml -f corpus/world/fleet.xml"
"$CHANVAL" check --format json $W corpus/valid corpus/invalid >"$TMPDIR/j1.json"
"$CHANVAL" check -j 3 --format json $W corpus/invalid corpus/valid corpus/valid/mixed.bin >"$TMPDIR/j3.json"
"$CHANVAL" check -j 2 --format json $W corpus/valid corpus/invalid >"$TMPDIR/j2.json"
cmp "$TMPDIR/j1.json" "$TMPDIR/j2.json" && echo "-j 1 and -j 2 give the same report"
grep -c '"path"' "$TMPDIR/j1.json"
