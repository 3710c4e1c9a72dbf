# An input that cannot be read fails the run (exit 2), and every report
# format says so: names the path, and states the process's exit code.
# Before, the JSON said "exit": 0 and left the path out, SARIF said
# executionSuccessful: true, JUnit had no failure: a CI step reading the
# report passed a run that checked nothing.
. tests/hostile/lib.sh
command -v python3 >/dev/null 2>&1 || { echo "no python3"; exit 77; }
missing=$T/gone/never-written.bin
ok=corpus/valid/$(ls corpus/valid | grep '\.bin$' | head -n 1)
for fmt in json sarif junit codequality github text; do
    # shellcheck disable=SC2086
    expect_exit 2 "$T/err.$fmt" "$CHANVAL" check --format $fmt $W -o "$T/report.$fmt" "$missing" "$ok"
done
# the library's verdict, through the report a program renders
python3 - "$T" "$missing" <<'PY' || fail "a report hides the unreadable input"
import json, sys, xml.etree.ElementTree as ET
t, missing = sys.argv[1], sys.argv[2]
def check(cond, what):
    if not cond:
        print("FAIL:", what)
        sys.exit(1)
j = json.load(open(t + "/report.json"))
bad = [f for f in j["files"] if f["path"] == missing]
check(len(bad) == 1, "json: no file entry for the unreadable input")
check(bad[0]["ok"] is False and "No such file" in bad[0]["error"], "json: entry not failed")
check(j["summary"]["exit"] == 2, "json: summary.exit is %r" % j["summary"]["exit"])
check(j["summary"]["unreadable"] == 1, "json: summary.unreadable")
s = json.load(open(t + "/report.sarif"))
inv = s["runs"][0]["invocations"][0]
check(inv["executionSuccessful"] is False, "sarif: executionSuccessful is not false")
check(inv["exitCode"] == 2, "sarif: exitCode %r" % inv["exitCode"])
notes = inv.get("toolExecutionNotifications", [])
check(len(notes) == 1 and notes[0]["level"] == "error", "sarif: no error notification")
uri = notes[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
check(uri == "file://" + missing, "sarif: notification locates %r" % uri)
check("No such file" in notes[0]["message"]["text"], "sarif: notification message")
u = ET.parse(t + "/report.junit").getroot()
errs = [c for c in u.findall("testcase") if c.get("name") == missing]
check(len(errs) == 1 and errs[0].find("error") is not None, "junit: no testcase in error")
check(int(u.get("errors")) == 1 and int(u.get("tests")) == len(u.findall("testcase")), "junit: counts")
cq = json.load(open(t + "/report.codequality"))
check(any(i["location"]["path"] == missing and i["severity"] == "blocker" for i in cq),
      "codequality: no issue for the unreadable input")
gh = open(t + "/report.github").read().splitlines()
check(any(l.startswith("::error file=" + missing + ",") for l in gh), "github: no ::error for it")
tx = open(t + "/report.text").read()
check(missing + ": error: cannot open" in tx, "text: the report file does not name it")
PY
echo "an unreadable input: exit 2 and named in json, sarif, junit, codequality, github and text reports"
