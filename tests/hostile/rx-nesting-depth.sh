# The regex analysis costs time and memory linear in the pattern: nested
# groups at depth 30 and 240 ((...(a)*...)*, (?:...(?:a|b)*...)*) each
# take well under the cap, and a file of 30 distinct 751-byte patterns of
# 250 nested capture groups is checked in seconds, in bounded memory (a
# counted match may use 8 MiB of matcher memory).  Before, depth 240 took
# seconds, growing with the cube of the depth, and the 30-pattern file 21 s
# and 630 MB.  The caps are absolute and generous, for a loaded machine.
. tests/hostile/lib.sh
command -v python3 >/dev/null 2>&1 || { echo "no python3"; exit 77; }
cat >"$T/fleet.xml" <<'XML'
<fleet formatVersion="1">
  <sensor version="9.0.1" maxChannelBytes="16777216" maxInstances="100000" maxRegexLength="4096" regexMatchLimit="100000">
    <supports typeId="7" typeVersion="3" inputs="21"/>
    <supports typeId="12" typeVersion="1" inputs="8"/>
  </sensor>
</fleet>
XML
python3 - "$T" <<'PY'
import sys
t = sys.argv[1]
def doc(path, pats):
    with open(path, "w") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n<channel formatVersion="1" id="1" contentVersion="1">\n')
        for i, p in enumerate(pats, 1):
            f.write('  <instance id="%d" typeId="7" typeVersion="3" action="detect" severity="high">\n' % i)
            f.write('    <criterion field="client_image" op="regex" value="%s"/>\n  </instance>\n' % p)
        f.write("</channel>\n")
for n in (30, 240):
    doc("%s/cap%d.xml" % (t, n), ["(" * n + "a" + ")*" * n])
    doc("%s/alt%d.xml" % (t, n), ["(?:a|" * n + "b" + ")*" * n])
    doc("%s/grp%d.xml" % (t, n), ["(?:" * n + "a" + ")*" * n])
letters = "abcdefghijklmnopqrstuvwxyz0123"
doc(t + "/thirty.xml", ["(" * 250 + c + ")*" * 250 for c in letters])
PY
# seconds a check of FILE takes (exit 0 or 1: a verdict, never 2)
took() {
    start=$(python3 -c 'import time; print(time.time())')
    timeout -k 2 20 "$CHANVAL" check --no-config -t corpus/world/types.xml -f "$T/fleet.xml" "$1" \
        >"$T/out" 2>&1 </dev/null
    rc=$?
    [ "$rc" -le 1 ] || { sed 's/^/  | /' "$T/out" | head -n 5; fail "$1: exit $rc"; }
    python3 -c "import time; print('%.2f' % (time.time() - $start))"
}
for f in cap grp alt; do
    for n in 30 240; do
        s=$(took "$T/$f$n.xml")
        awk -v s="$s" 'BEGIN { exit !(s < 5) }' || fail "$f at depth $n took $s s (cap 5 s)"
    done
done
s=$(took "$T/thirty.xml")
awk -v s="$s" 'BEGIN { exit !(s < 15) }' || fail "30 nested 751-byte patterns took $s s (cap 15 s)"
# peak memory, but not under AddressSanitizer, whose quarantine keeps freed
# blocks
if [ -x /usr/bin/time ] && [ -z "${CHANVAL_SANITIZED:-}" ]; then
    /usr/bin/time -f %M -o "$T/rss" "$CHANVAL" check --no-config -t corpus/world/types.xml \
        -f "$T/fleet.xml" "$T/thirty.xml" >/dev/null 2>&1
    kb=$(tail -n 1 "$T/rss")
    [ "$kb" -lt 300000 ] || fail "30 nested 751-byte patterns took $kb KB (cap 300 MB)"
fi
echo "nested groups at depth 30 and 240 under 5 s each; 30 x 751-byte nested patterns in $s s, bounded memory"
