# Regexes whose cost grows only linearly but is over the budget at the
# field's maxLength never pass: a long alternation tried at every start
# position, a bounded wildcard between literals (greedy and lazy), and
# trimming (^\s+|\s+$, whose witness needs a first character that is not a
# space) on the 4,096 bytes of command_line each cost more than the sample
# sensors' 100,000 steps on some input, so each must be CV502 (or CV501
# when chanval cannot prove a bound), never no finding or CV503.  Before,
# the analysis proposed nothing for them and they passed unmeasured.
. tests/hostile/lib.sh
command -v python3 >/dev/null 2>&1 || { echo "no python3"; exit 77; }
python3 - "$T/linear.xml" <<'PY'
import sys
words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india",
         "juliet", "kilo", "lima", "mike", "november", "oscar", "papa", "quebec", "romeo",
         "sierra", "tango", "uniform", "victor", "whiskey", "xray", "yankee", "zulu"]
pats = ["(?:%s)[0-9]" % "|".join(words),
        "(?:%s)" % "|".join(w + "_svc" for w in words),
        "Version.{1,200}Build", "Version.{1,200}?Build", "^\\s+|\\s+$"]
with open(sys.argv[1], "w") as f:
    f.write('<?xml version="1.0" encoding="UTF-8"?>\n<channel formatVersion="1" id="1" contentVersion="1">\n')
    for i, p in enumerate(pats, 1):
        f.write('  <instance id="%d" typeId="12" typeVersion="1" action="detect" severity="high">\n' % i)
        f.write('    <criterion field="command_line" op="regex" value="%s"/>\n  </instance>\n' % p)
    f.write("</channel>\n")
PY
# shellcheck disable=SC2086
expect_exit 1 "$T/out" "$CHANVAL" check --no-config --format json -o "$T/r.json" $W "$T/linear.xml"
python3 - "$T/r.json" <<'PY' || fail "a linear regex over the budget passed"
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
bad = [i for i in range(1, 6) if not (found.get(i, set()) & {"CV501", "CV502"}) or "CV503" in found.get(i, set())]
assert not bad, "instances without CV502/CV501: %s" % bad
PY
echo "long alternations, bounded wildcards between literals, ^\\s+|\\s+\$ on 4,096 bytes: each CV502 or CV501, none passes"
