# File names that are not UTF-8 stay distinct in the JSON report: two
# names differing only in an invalid byte both became "a\ufffd.bin", so a
# consumer could not tell which file a finding belonged to.  Such a path
# now also carries "pathBytes" (the hex of its bytes); SARIF URIs
# percent-encode every byte.
. tests/hostile/lib.sh
command -v python3 >/dev/null 2>&1 || { echo "no python3"; exit 77; }
d=$T/names
mkdir "$d"
for n in 'a\200.bin' 'a\201.bin' 'a\357\277\275.bin' 'b\377\376.bin'; do
    cp corpus/invalid/CV101-all-zero.bin "$d/$(printf "$n")" ||
        { echo "cannot create a file name that is not UTF-8"; exit 77; }
done
expect_exit 1 "$T/err" "$CHANVAL" check --format json -o "$T/r.json" "$d"
expect_exit 1 "$T/err" "$CHANVAL" check --format sarif -o "$T/r.sarif" "$d"
python3 - "$T" "$d" <<'PY' || fail "names that are not UTF-8 collide in the reports"
import json, os, sys
t, d = sys.argv[1], sys.argv[2]
files = json.load(open(t + "/r.json"))["files"]
names = sorted(os.fsencode(d) + b"/" + n for n in os.listdir(os.fsencode(d)))
def exact(f):
    return bytes.fromhex(f["pathBytes"]) if "pathBytes" in f else f["path"].encode()
got = sorted(exact(f) for f in files)
if got != names:
    print("FAIL: json names", got, "want", names)
    sys.exit(1)
valid = [f for f in files if "pathBytes" not in f]
if len(valid) != 1 or valid[0]["path"] != d + "/a\ufffd.bin":
    print("FAIL: a UTF-8 name must be a plain path:", valid)
    sys.exit(1)
uris = [a["location"]["uri"] for a in json.load(open(t + "/r.sarif"))["runs"][0]["artifacts"]]
if len(set(uris)) != len(names):
    print("FAIL: sarif uris collide:", uris)
    sys.exit(1)
PY
echo "names that are not UTF-8: distinct and exact in JSON (pathBytes) and SARIF URIs"
