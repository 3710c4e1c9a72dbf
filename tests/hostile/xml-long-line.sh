# xml-long-line: findings spread over one long line cost linear time (the
# column of each was counted from the line's start: 10,000 findings after
# a 6 MB comment on one line took minutes), and their columns stay exact.
. tests/hostile/lib.sh

awk 'BEGIN { printf "<channel formatVersion=\"1\" id=\"1\" contentVersion=\"1\"><!--";
             s = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\303\251";
             for (i = 0; i < 96000; i++) printf "%s", s;
             printf "-->";
             for (i = 0; i < 10000; i++) printf "<x/>%s", (i % 2 ? "" : "  <y a=\"1\"/>");
             print "</channel>" }' >"$T/line.xml"
start=$(date +%s)
timeout -k 1 10 "$CHANVAL" check $W "$T/line.xml" >"$T/out" 2>&1 </dev/null
rc=$?
took=$(($(date +%s) - start))
[ "$rc" -eq 1 ] || { tail -n 3 "$T/out"; fail "10,000 findings on one line: exit $rc after ${took}s, expected 1 within 10 s"; }
# 53 bytes of root and 4 of "<!--", 96,000 times 64 characters, 3 of "-->"
c=$((53 + 4 + 96000 * 64 + 3 + 1))
grep -q "line.xml:1:$c: error\[CV202\]: element <x> is not allowed in <channel>" "$T/out" ||
    { head -n 3 "$T/out"; fail "the first finding is not at 1:$c"; }
# three findings in each 20 characters of "<x/>  <y a=\"1\"/><x/>": the
# 10,000th (the last one stored) is the first of the 3,334th
c=$((c + 3333 * 20))
grep -q "line.xml:1:$c: error\[CV202\]: element <x> is not allowed in <channel>" "$T/out" ||
    { grep 'error' "$T/out" | tail -n 3; fail "the last finding is not at 1:$c"; }
echo "10,000 findings after a 6 MB comment on one line in ${took}s, first and last columns exact"
