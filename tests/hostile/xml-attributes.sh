# xml-attributes: an element with very many attributes is refused in time
# linear in its size (libxml2 2.9 compares attributes pairwise: 200,000 of
# them took over a minute), naming the limit; a '>' or a quote inside an
# attribute value, a comment or the XML declaration is not miscounted.
. tests/hostile/lib.sh

# 200,000 attributes (2.3 MB) on the root
awk 'BEGIN { printf "<channel formatVersion=\"1\" id=\"1\" contentVersion=\"1\"";
             for (i = 0; i < 200000; i++) printf " a%d=\"0\"", i; print "/>" }' >"$T/many.xml"
start=$(date +%s)
timeout -k 1 5 "$CHANVAL" check $W "$T/many.xml" >"$T/out" 2>&1 </dev/null
rc=$?
took=$(($(date +%s) - start))
[ "$rc" -eq 1 ] || { head -n 5 "$T/out"; fail "200,000 attributes: exit $rc after ${took}s, expected 1 within 5 s"; }
grep -q '1:1: error\[CV120\]: element "channel" has 200003 attributes, more than the limit of 64 (--max-xml-attributes)' "$T/out" ||
    { head -n 5 "$T/out"; fail "200,000 attributes: no CV120 naming --max-xml-attributes at 1:1"; }

# the same on an element further in: located at its '<', and the option
# (or the project configuration) raises the limit
awk 'BEGIN { printf "<channel formatVersion=\"1\" id=\"1\" contentVersion=\"1\">\n  <!-- x -->\n  <instance";
             for (i = 0; i < 70; i++) printf " a%d=\"0\"", i; print "/>\n</channel>" }' >"$T/seventy.xml"
expect_exit 1 "$T/out" "$CHANVAL" check $W "$T/seventy.xml"
grep -q '3:3: error\[CV120\]: element "instance" has 70 attributes' "$T/out" ||
    { head -n 5 "$T/out"; fail "70 attributes: no CV120 at 3:3"; }
expect_exit 1 "$T/out" "$CHANVAL" check $W --max-xml-attributes 70 "$T/seventy.xml"
grep -q 'CV120' "$T/out" && { head -n 5 "$T/out"; fail "--max-xml-attributes 70 still reports CV120"; }
grep -q 'error\[CV202\]: unknown attribute a0 on <instance>' "$T/out" ||
    { head -n 5 "$T/out"; fail "--max-xml-attributes 70: the attributes were not checked"; }
cat >"$T/.chanval.xml" <<XML
<chanvalConfig formatVersion="1"><limit option="max-xml-attributes" value="70"/></chanvalConfig>
XML
expect_exit 1 "$T/out" "$CHANVAL" check $W --config "$T/.chanval.xml" "$T/seventy.xml"
grep -q 'CV120' "$T/out" && { head -n 5 "$T/out"; fail "max-xml-attributes 70 in the configuration still reports CV120"; }

# quotes and '>' where they are not attribute values: not counted
q=$(awk 'BEGIN { for (i = 0; i < 100; i++) printf " a%d=\"0\"", i }')
cat >"$T/quotes.xml" <<XML
<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<!-- $q -->
<channel formatVersion="1" id="1" contentVersion="1"><!--$q'"'"-->
  <instance id="1" typeId="12" typeVersion="1" action="detect" severity="high"><!-- > -->
    <criterion field="image_path" op="equals" value="a&gt;'>'&quot;b"/>
    <criterion field="command_line" op="equals" value='x">"&apos;"'/>
  </instance><!--$q-->
</channel>
<!-- $q -->
XML
expect_exit 0 "$T/out" "$CHANVAL" check $W "$T/quotes.xml"
echo "200,000 attributes refused in ${took}s with CV120 --max-xml-attributes; the limit is raised by option and configuration; quotes in comments and '>' in values are not counted"
