# Counted repeats of groups never pass silently: (?:a+){k}b for k = 2..100,
# (?:a?){15}a{15} and (?:a{1,3}){10}b on a 1,024-byte field each cost more
# than the sensors' budget of 100,000 steps on some input, so each must be
# CV502 (or CV501 when chanval cannot prove a bound), never no finding or
# CV503.  Before, the search gave up on k = 15, 50, 100 and others, and on
# the last two, and the file passed.
. tests/hostile/lib.sh
command -v python3 >/dev/null 2>&1 || { echo "no python3"; exit 77; }
python3 - "$T/counted.xml" <<'PY'
import sys
pats = ["(?:a+){%d}b" % k for k in range(2, 101)] + ["(?:a?){15}a{15}", "(?:a{1,3}){10}b"]
with open(sys.argv[1], "w") as f:
    f.write('<?xml version="1.0" encoding="UTF-8"?>\n<channel formatVersion="1" id="1" contentVersion="1">\n')
    for i, p in enumerate(pats, 1):
        f.write('  <instance id="%d" typeId="7" typeVersion="3" action="detect" severity="high">\n' % i)
        f.write('    <criterion field="client_image" op="regex" value="%s"/>\n  </instance>\n' % p)
    f.write("</channel>\n")
PY
# shellcheck disable=SC2086
expect_exit 1 "$T/out" "$CHANVAL" check --no-config --format json -o "$T/r.json" $W "$T/counted.xml"
python3 - "$T/r.json" <<'PY' || fail "a counted repeat over the budget passed"
import json, sys
r = json.load(open(sys.argv[1]))
found = {}
def walk(o):
    if isinstance(o, dict):
        if o.get("rule") in ("CV501", "CV502", "CV503") and "instance" in o:
            found.setdefault(o["instance"], set()).add(o["rule"])
        for v in o.values():
            walk(v)
    elif isinstance(o, list):
        for v in o:
            walk(v)
walk(r)
bad = [i for i in range(1, 102) if not (found.get(i, set()) & {"CV501", "CV502"}) or "CV503" in found.get(i, set())]
assert not bad, "instances without CV502/CV501: %s" % bad
PY
echo "(?:a+){k}b for k = 2..100, (?:a?){15}a{15}, (?:a{1,3}){10}b: each CV502 or CV501, none passes"
