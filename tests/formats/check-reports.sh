#!/bin/sh
# check-reports.sh CHANVAL - the machine-readable reports of the whole
# corpus are what their consumers accept:
#  - SARIF validates against the official SARIF 2.1.0 JSON schema, fetched
#    from the npm package that ships it (never committed here);
#  - JUnit parses as XML of the shape Jenkins and GitLab read;
#  - GitLab Code Quality parses, with the fields its readers need; JSON
#    validates against formats/report.schema.json;
#  - with an input that cannot be read, every format names it and states
#    exit 2 (SARIF: executionSuccessful false, a notification), still valid.
# Exit 77 (skip) when python3-jsonschema or npm is missing.
set -u
CHANVAL=$1
python3 -c 'import jsonschema' 2>/dev/null || { echo "reports: skipped (no python3-jsonschema)"; exit 77; }
command -v npm >/dev/null 2>&1 || { echo "reports: skipped (no npm)"; exit 77; }
cache=${TMPDIR:-/tmp}/chanval-sarif-schema
schema=$cache/package/sarif-2.1.0.json
if [ ! -s "$schema" ]; then
    mkdir -p "$cache"
    (cd "$cache" && npm pack --silent @microsoft/sarif-multitool-linux@5.7.0 >/dev/null 2>&1 &&
        tar xzf microsoft-sarif-multitool-linux-5.7.0.tgz package/sarif-2.1.0.json &&
        rm -f microsoft-sarif-multitool-linux-5.7.0.tgz) ||
        { if npm ping --fetch-timeout=15000 >/dev/null 2>&1; then
              echo "reports: cannot fetch the SARIF schema from npm"; exit 1
          fi
          echo "reports: skipped (the npm registry cannot be reached for the SARIF schema)"; exit 77; }
fi
tmp=${TMPDIR:-/tmp}/chanval-reports.$$
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
W="-t corpus/world/types.xml -f corpus/world/fleet.xml"
for fmt in sarif junit codequality json github; do
    # shellcheck disable=SC2086
    "$CHANVAL" check --format $fmt $W corpus/valid/* corpus/invalid/* >"$tmp/all.$fmt"
    [ $? -eq 1 ] || { echo "reports: $fmt run did not exit 1"; exit 1; }
    # an input that cannot be read: the same report, plus that input, exit 2
    # shellcheck disable=SC2086
    "$CHANVAL" check --format $fmt $W corpus/no-such-file.bin corpus/valid/* corpus/invalid/* \
        >"$tmp/io.$fmt" 2>/dev/null
    [ $? -eq 2 ] || { echo "reports: $fmt run with an unreadable input did not exit 2"; exit 1; }
done
# a run with a category for code scanning
# shellcheck disable=SC2086
"$CHANVAL" check --format sarif --sarif-category content/windows $W corpus/valid/* >"$tmp/cat.sarif"
[ $? -eq 0 ] || { echo "reports: the valid corpus with --sarif-category did not exit 0"; exit 1; }
"$CHANVAL" rules --format json >"$tmp/rules.json" || { echo "reports: chanval rules --format json failed"; exit 1; }
# shellcheck disable=SC2086
"$CHANVAL" diff --format json $W corpus/diff/doubled-old.bin corpus/diff/doubled-new.bin \
    >"$tmp/diff.json"
[ $? -eq 1 ] || { echo "reports: the diff run did not exit 1"; exit 1; }
# chanval test: its JSON (and a shard's) against the report schema, its
# SARIF against SARIF's, its JUnit with a testcase per expectation
# shellcheck disable=SC2086
"$CHANVAL" test --format json=$tmp/test.json --format sarif=$tmp/test.sarif \
    --format junit=$tmp/test.junit $W --sensor 7.11.18110 corpus/tests/ >/dev/null
[ $? -eq 1 ] || { echo "reports: the test run on 7.11.18110 did not exit 1"; exit 1; }
# shellcheck disable=SC2086
"$CHANVAL" test --format json $W --shard 1/2 corpus/tests/ >"$tmp/shard.json"
python3 - "$schema" "$tmp" <<'PY'
import json, sys, xml.etree.ElementTree as ET
import jsonschema
schema_path, tmp = sys.argv[1], sys.argv[2]
schema = json.load(open(schema_path))
sarif = json.load(open(tmp + "/all.sarif"))
jsonschema.validate(sarif, schema, cls=jsonschema.validators.validator_for(schema))
run = sarif["runs"][0]
rules = run["tool"]["driver"]["rules"]
results = run["results"]
assert len(rules) >= 50
assert all(rules[res["ruleIndex"]]["id"] == res["ruleId"] for res in results)
fps = [r["partialFingerprints"]["chanvalFingerprint/v1"] for r in results]
assert len(set(fps)) == len(fps), "fingerprints are not unique"
for a in run["artifacts"]:
    assert len(a["hashes"]["sha-256"]) == 64 and a["length"] >= 0
junit = ET.parse(tmp + "/all.junit").getroot()
assert junit.tag == "testsuite"
cases = junit.findall("testcase")
assert int(junit.get("tests")) == len(cases) > 0
assert int(junit.get("failures")) == sum(1 for c in cases if c.find("failure") is not None)
for k in ("errors", "skipped", "time"):
    float(junit.get(k))
assert len({c.get("name") for c in cases}) == len(cases), "testcase names are not unique"
assert any(c.find("failure") is None for c in cases), "no passing testcase"
cq = json.load(open(tmp + "/all.codequality"))
for i in cq:
    assert i["description"] and i["check_name"] and i["fingerprint"]
    assert i["severity"] in ("info", "minor", "major", "critical", "blocker")
    assert i["location"]["path"] and i["location"]["lines"]["begin"] >= 1
assert len({i["fingerprint"] for i in cq}) == len(cq)
report = json.load(open(tmp + "/all.json"))
assert report["summary"]["files"] == len(report["files"])
# the JSON report's own schema (formats/report.schema.json)
own = json.load(open("formats/report.schema.json"))
for name in ("all.json", "io.json", "diff.json", "test.json", "shard.json"):
    jsonschema.validate(json.load(open(tmp + "/" + name)), own,
                        cls=jsonschema.validators.validator_for(own))
test = json.load(open(tmp + "/test.json"))
assert any(d["rule"] == "CV703" for f in test["files"] for d in f["diagnostics"])
assert test["tests"]["contents"] and "shard" not in test
assert "shard" in json.load(open(tmp + "/shard.json"))
tsarif = json.load(open(tmp + "/test.sarif"))
jsonschema.validate(tsarif, schema, cls=jsonschema.validators.validator_for(schema))
tj = ET.parse(tmp + "/test.junit").getroot()
ncases = sum(len(f.get("cases", [])) for f in test["files"])
assert int(tj.get("tests")) == len(tj.findall("testcase")) == len(test["files"]) + ncases > ncases > 0

# code scanning: alert identity, security severity, per-rule help, category
for res in results:
    assert res["partialFingerprints"]["primaryLocationLineHash"] == \
        res["partialFingerprints"]["chanvalFingerprint/v1"]
by_id = {r["id"]: r for r in rules}
assert by_id["CV400"]["properties"]["security-severity"] == "9.8"
assert max(float(r["properties"].get("security-severity", "0")) for r in rules) == 9.8
for r in rules:
    assert r["helpUri"].endswith("/formats/rules.md#" + r["id"].lower()), r["helpUri"]
    assert ("security-severity" in r["properties"]) == ("security" in r["properties"]["tags"])
    assert r["id"] in r["help"]["markdown"]
cat = json.load(open(tmp + "/cat.sarif"))
jsonschema.validate(cat, schema, cls=jsonschema.validators.validator_for(schema))
assert cat["runs"][0]["automationDetails"] == {"id": "content/windows/"}
assert "automationDetails" not in sarif["runs"][0]
rschema = json.load(open("formats/rules.schema.json"))
rj = json.load(open(tmp + "/rules.json"))
jsonschema.validate(rj, rschema, cls=jsonschema.validators.validator_for(rschema))
assert [r["id"] for r in rj["rules"]] == [r["id"] for r in rules]
assert {r["id"]: r["securitySeverity"] for r in rj["rules"]} == \
    {r["id"]: r["properties"].get("security-severity") for r in rules}

gh = [l for l in open(tmp + "/all.github") if l.startswith("::")]
assert all(l.startswith(("::error file=", "::warning file=")) for l in gh)
assert sarif["runs"][0]["invocations"] == [{"executionSuccessful": True, "exitCode": 1}]
assert report["summary"]["exit"] == 1 and int(junit.get("errors")) == 0

# the unreadable input: named by every format, and the exit code is 2
gone = "corpus/no-such-file.bin"
sarif = json.load(open(tmp + "/io.sarif"))
jsonschema.validate(sarif, schema, cls=jsonschema.validators.validator_for(schema))
inv = sarif["runs"][0]["invocations"][0]
assert inv["executionSuccessful"] is False and inv["exitCode"] == 2, inv
[note] = inv["toolExecutionNotifications"]
assert note["level"] == "error" and gone in note["message"]["text"]
assert note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == gone
assert len(sarif["runs"][0]["results"]) == len(results)
junit = ET.parse(tmp + "/io.junit").getroot()
cases = junit.findall("testcase")
assert int(junit.get("tests")) == len(cases) and int(junit.get("errors")) == 1
assert [c.get("name") for c in cases if c.find("error") is not None] == [gone]
assert int(junit.get("failures")) == sum(1 for c in cases if c.find("failure") is not None)
io_cq = json.load(open(tmp + "/io.codequality"))
[blocker] = [i for i in io_cq if i["location"]["path"] == gone]
assert blocker["severity"] == "blocker" and blocker["fingerprint"] and blocker["description"]
assert len({i["fingerprint"] for i in io_cq}) == len(io_cq) == len(cq) + 1
io = json.load(open(tmp + "/io.json"))
assert io["summary"]["exit"] == 2 and io["summary"]["unreadable"] == 1
assert io["summary"]["files"] == len(io["files"])
[entry] = [f for f in io["files"] if f["path"] == gone]
assert entry["ok"] is False and "No such file" in entry["error"] and entry["kind"] is None
io_gh = [l for l in open(tmp + "/io.github") if l.startswith("::")]
assert len(io_gh) == len(gh) + 1 and any(l.startswith("::error file=" + gone + ",") for l in io_gh)
print("reports: SARIF valid against the 2.1.0 schema (%d results, %d rules), JUnit %d testcases, "
      "Code Quality %d issues, %d GitHub annotations; with an unreadable input, exit 2 in each "
      "and SARIF still valid" % (len(results), len(rules), len(cases) - 1, len(cq), len(gh)))
PY
