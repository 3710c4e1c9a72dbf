# the JSON report of every corpus file parses, and its summary adds up
"$CHANVAL" check --format json -t corpus/world/types.xml -f corpus/world/fleet.xml \
    corpus/valid/* corpus/invalid/* >"$TMPDIR/all.json"
echo "exit $?"
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
files = d["files"]
errors = sum(f["errors"] for f in files)
warnings = sum(f["warnings"] for f in files)
shown = sum(len(f["diagnostics"]) for f in files)
assert d["summary"] == {"files": len(files), "errors": errors, "warnings": warnings, "suppressed": 0,
                        "unreadable": 0, "skipped": 0, "outOfMemory": False, "exit": 1}
assert shown == errors + warnings
keys = {k for f in files for x in f["diagnostics"] for k in x}
print(len(files), "files;", "keys:", " ".join(sorted(keys)))
' "$TMPDIR/all.json"
