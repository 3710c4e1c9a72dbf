# a project configuration supplies the world, limits and severities
cat >"$TMPDIR/.chanval.xml" <<XML
<chanvalConfig formatVersion="1" strict="true">
  <types path="$PWD/corpus/world/types.xml"/>
  <fleet path="$PWD/corpus/world/fleet.xml"/>
  <rule id="CV401" severity="off"/>
</chanvalConfig>
XML
"$CHANVAL" check --config "$TMPDIR/.chanval.xml" corpus/valid/mixed.bin >"$TMPDIR/report.out"
echo "exit $?"
tail -n 2 "$TMPDIR/report.out"
cat >"$TMPDIR/bad.xml" <<XML
<chanvalConfig formatVersion="1">
  <rule id="CV400" severity="warning"/>
</chanvalConfig>
XML
"$CHANVAL" check --config "$TMPDIR/bad.xml" corpus/valid/mixed.bin 2>"$TMPDIR/report.err2"
echo "exit $?"
sed 's|[^ ]*/bad.xml|bad.xml|' "$TMPDIR/report.err2"
