# The exit code a report states is the process's: when the baseline asked
# for (--write-baseline) or pack's output cannot be written, the run exits
# 2 and its report says 2 and names the path (before, it said 0 or 1).
. tests/hostile/lib.sh
command -v python3 >/dev/null 2>&1 || { echo "no python3"; exit 77; }
nowhere=$T/no-such-dir/out
# shellcheck disable=SC2086
expect_exit 2 "$T/err1" "$CHANVAL" check --format json $W --write-baseline "$nowhere.xml" \
    -o "$T/check.json" corpus/valid/mixed.bin
# pack writes its report (warnings here) to stderr
# shellcheck disable=SC2086
timeout 20 "$CHANVAL" pack --format json $W corpus/valid/mixed.xml -o "$nowhere.bin" \
    >"$T/out2" 2>"$T/pack.json"
[ $? -eq 2 ] || fail "pack to an unwritable path did not exit 2"
python3 - "$T" "$nowhere" <<'PY' || fail "a report states another exit code than the process's"
import json, sys
t, nowhere = sys.argv[1], sys.argv[2]
c = json.load(open(t + "/check.json"))
assert c["summary"]["exit"] == 2, c["summary"]
assert [f["path"] for f in c["files"] if "error" in f] == [nowhere + ".xml"], c["files"]
text = open(t + "/pack.json").read()
p = json.loads(text[text.index("{"):text.rindex("}") + 1])
assert p["summary"]["exit"] == 2, p["summary"]
assert [f["path"] for f in p["files"] if "error" in f] == [nowhere + ".bin"], p["files"]
PY
echo "a baseline or channel file that cannot be written: the report states exit 2 and names it"
