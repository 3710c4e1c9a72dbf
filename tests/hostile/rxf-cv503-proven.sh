# CV503 ("super-linear, but within every budget") is a claim about the
# field: it stands only once every input tried at maxLength was counted
# within the budget, with a witness that fits the field as reported and
# costs steps there.  On the 64 bytes of remote_pipe_flags (healthy fleet,
# budget 100,000): ^(?:a?b?)*$|\d+\s*\d+$ costs more than 100 million
# steps on "ba" x 31 + "c", so it is CV502, not CV503; 70 literal A's
# before (\w+\s?)*$ cannot reach the loop within 64 bytes, so there is no
# CV503 (it was reported with a 71-byte witness costing 0 steps); a*a*$
# and \d+\s*\d+$ stay CV503, each witness at most 64 bytes and costing
# steps.
. tests/hostile/lib.sh
command -v python3 >/dev/null 2>&1 || { echo "no python3"; exit 77; }
python3 - "$T/short.xml" <<'PY'
import sys
pats = ["^(?:a?b?)*$|\\d+\\s*\\d+$", "A" * 70 + "(\\w+\\s?)*$", "a*a*$", "\\d+\\s*\\d+$"]
with open(sys.argv[1], "w") as f:
    f.write('<?xml version="1.0" encoding="UTF-8"?>\n<channel formatVersion="1" id="1" contentVersion="1">\n')
    for i, p in enumerate(pats, 1):
        f.write('  <instance id="%d" typeId="7" typeVersion="3" action="detect" severity="high">\n' % i)
        f.write('    <criterion field="remote_pipe_flags" op="regex" value="%s"/>\n  </instance>\n' % p)
    f.write("</channel>\n")
PY
expect_exit 1 "$T/out" "$CHANVAL" check --no-config --format json -o "$T/r.json" \
    -t corpus/world/types.xml -f corpus/world/fleet-healthy.xml "$T/short.xml"
python3 - "$T/r.json" <<'PY' || fail "a CV503 was not proven"
import json, sys
r = json.load(open(sys.argv[1]))
found = {}
def walk(o):
    if isinstance(o, dict):
        if str(o.get("rule", "")).startswith("CV50") and "instance" in o:
            found.setdefault(o["instance"], []).append(o)
        for v in o.values():
            walk(v)
    elif isinstance(o, list):
        for v in o:
            walk(v)
walk(r)
rules = {i: sorted(d["rule"] for d in found.get(i, [])) for i in range(1, 5)}
assert rules == {1: ["CV502"], 2: [], 3: ["CV503"], 4: ["CV503"]}, rules
for i in (1, 3, 4):
    d = found[i][0]
    w = d["witness"]
    assert w["length"] <= 64 and d["steps"] > 0, d
    assert len(w["prefix"]) + len(w["suffix"]) <= w["length"], d
PY
echo "64-byte field: CV502 where another input is over the budget, no CV503 that cannot grow within the field, CV503 witnesses within it and costing steps"
