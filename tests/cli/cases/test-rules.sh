# Every rule of chanval test fires on its file in corpus/tests-invalid/, at
# the location given: RULE LINE:COLUMN per finding, then the exit status.
W="-t corpus/world/types.xml -f corpus/world/fleet.xml"
for f in corpus/tests-invalid/*.test.jsonl; do
    $CHANVAL test $W --min-coverage 100 --format json "$f" >"$TMPDIR/out.json"
    rc=$?
    python3 - "$TMPDIR/out.json" "$f" "$rc" <<'PY'
import json, sys
report, path, rc = json.load(open(sys.argv[1])), sys.argv[2], sys.argv[3]
found = sorted({(d["rule"], d["line"], d["column"]) for f in report["files"] if f["path"] == path
                for d in f["diagnostics"]})
print("%s: exit %s: %s" % (path.split("/")[-1], rc, " ".join("%s@%d:%d" % x for x in found)))
PY
done
