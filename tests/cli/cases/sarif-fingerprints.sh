# code scanning's identity of a SARIF result (primaryLocationLineHash) is
# chanval's fingerprint: editing one value of a binary channel file leaves
# the hash of every other finding of the file unchanged, and no two
# findings of a file share one
W="-t corpus/world/types.xml -f corpus/world/fleet.xml"
T=$TMPDIR
source() { # the CF291 instance three times; $1: instance 3's last regex
    cat <<XML
<?xml version="1.0" encoding="UTF-8"?>
<channel formatVersion="1" id="291" contentVersion="202407190409">
XML
    for i in 2 3 4; do
        value='^0x[0-9a-f]{1,8}$'
        [ $i -eq 3 ] && value=$1
        cat <<XML
  <instance id="$i" typeId="7" typeVersion="3" action="detect" severity="high">
    <criterion index="0" op="regex" value="^x$"/>
    <criterion index="7" op="range" min="0" max="2"/>
    <criterion index="20" op="regex" value="$value"/>
  </instance>
XML
    done
    echo '</channel>'
}
source '^0x[0-9a-f]{1,8}$' >"$T/a.xml"
source '^0x[0-9a-f]{1,16}$' >"$T/b.xml"
mkdir -p "$T/a" "$T/b"
# pack refuses a file with errors: build the binaries through a fleet whose
# sensors supply every input, then check them against the sample fleet
sed 's/inputs="20"/inputs="21"/' corpus/world/fleet.xml >"$T/fleet21.xml"
"$CHANVAL" pack -t corpus/world/types.xml -f "$T/fleet21.xml" "$T/a.xml" -o "$T/a/c.bin" || echo "pack a failed"
"$CHANVAL" pack -t corpus/world/types.xml -f "$T/fleet21.xml" "$T/b.xml" -o "$T/b/c.bin" || echo "pack b failed"
cmp -s "$T/a/c.bin" "$T/b/c.bin" && echo "the edit changed nothing"
# the same file before and after the edit, at one path
mkdir -p "$T/content"
cp "$T/a/c.bin" "$T/content/c.bin"
"$CHANVAL" check $W "$T/content/c.bin" --format sarif >"$T/a.sarif"
cp "$T/b/c.bin" "$T/content/c.bin"
"$CHANVAL" check $W "$T/content/c.bin" --format sarif >"$T/b.sarif"
python3 - "$T/a.sarif" "$T/b.sarif" <<'PY'
import json, sys
moved = {}
def hashes(path):
    out = {}
    for r in json.load(open(path))["runs"][0]["results"]:
        if not r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("c.bin"):
            continue
        p = r.get("properties", {})
        key = (r["ruleId"], p.get("instance"), p.get("criterion"), p.get("sensor"))
        out[key] = r["partialFingerprints"]["primaryLocationLineHash"]
        region = r["locations"][0]["physicalLocation"]["region"]
        moved.setdefault(key, set()).add(region.get("byteOffset"))
    return out
a, b = hashes(sys.argv[1]), hashes(sys.argv[2])
print("findings: %d before, %d after" % (len(a), len(b)))
print("distinct hashes before: %s" % (len(set(a.values())) == len(a)))
for k in sorted(a, key=str):
    same = a[k] == b.get(k)
    print("%s instance %s criterion %s: %s%s" % (k[0], k[1], k[2], "same" if same else "changed",
                                               ", at another offset" if len(moved[k]) > 1 else ""))
PY
