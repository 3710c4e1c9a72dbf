#!/bin/sh
# run.sh BUILD - run the command lines of the ready-made integrations
# (integrations/github-actions.yml, integrations/gitlab-ci.yml,
# .pre-commit-hooks.yaml), as written, with BUILD/chanval on the PATH, in a
# content repository made from the sample corpus; check what they produce.
# Exit 77 (skip) without python3-yaml.
set -u
build=$(cd "$1" && pwd)
top=$(pwd)
python3 -c 'import yaml' 2>/dev/null || { echo "integrations: skipped (no python3-yaml)"; exit 77; }
tmp=${TMPDIR:-/tmp}/chanval-integrations.$$
trap 'rm -rf "$tmp"' EXIT
PATH=$build:$PATH python3 - "$top" "$tmp" <<'PY'
import json, os, re, shutil, subprocess, sys, xml.etree.ElementTree as ET
import yaml

top, tmp = sys.argv[1], sys.argv[2]
passed = failed = 0

def repo(bad=False):
    """A content repository: a world, a configuration, content/."""
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp + "/content")
    shutil.copytree(top + "/corpus/world", tmp + "/world")
    for f in ("mixed.bin", "process-only.bin", "utf8.xml", "README-not-content.md"):
        src = top + "/corpus/valid/" + f
        if os.path.exists(src):
            shutil.copy(src, tmp + "/content/")
    open(tmp + "/content/README.md", "w").write("# content\n")  # not content: skipped
    if bad:
        shutil.copy(top + "/corpus/invalid/CV400-channel-291.bin", tmp + "/content/")
    open(tmp + "/.chanval.xml", "w").write(
        '<chanvalConfig formatVersion="1">\n  <types path="world/types.xml"/>\n'
        '  <fleet path="world/fleet.xml"/>\n</chanvalConfig>\n')

def sh(cmd):
    return subprocess.run(["bash", "-e", "-c", cmd], cwd=tmp, capture_output=True, text=True)

def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL integrations: %s %s" % (name, detail))

# GitHub Actions: every `run` step that calls chanval (the install step
# builds from source and is replaced by the build under test)
gh = yaml.safe_load(open(top + "/integrations/github-actions.yml"))
steps = [s for s in gh["jobs"]["gate"]["steps"] if "run" in s and s.get("name") != "Install chanval"]
check("github: steps", len(steps) >= 2)
for bad in (False, True):
    repo(bad)
    codes = [sh(s["run"]).returncode for s in steps]
    check("github: exit codes (bad=%s)" % bad, codes == ([1] * len(codes) if bad else [0] * len(codes)),
          str(codes))
    sarif = json.load(open(tmp + "/chanval.sarif"))
    res = sarif["runs"][0]["results"]
    check("github: SARIF results (bad=%s)" % bad, any(r["ruleId"] == "CV400" for r in res) == bad)
    check("github: the README is not content",
          all("README" not in a["location"]["uri"] for a in sarif["runs"][0]["artifacts"]))
    out = sh(steps[1]["run"]).stdout
    check("github: annotations (bad=%s)" % bad, ("::error file=content/CV400-channel-291.bin" in out) == bad)
    # uses: github/codeql-action/upload-sarif names the file the step wrote
    up = [s for s in gh["jobs"]["gate"]["steps"] if s.get("uses", "").startswith("github/codeql-action/upload-sarif")]
    check("github: upload step", len(up) == 1 and os.path.exists(tmp + "/" + up[0]["with"]["sarif_file"]))

# GitLab CI: script and after_script, then the reports it declares
gl = yaml.safe_load(open(top + "/integrations/gitlab-ci.yml"))["chanval"]
for bad in (False, True):
    repo(bad)
    codes = [sh(c).returncode for c in gl["script"] + gl["after_script"]]
    check("gitlab: exit codes (bad=%s)" % bad, codes == ([1, 1] if bad else [0, 0]), str(codes))
    junit = ET.parse(tmp + "/" + gl["artifacts"]["reports"]["junit"]).getroot()
    failures = int(junit.get("failures"))
    check("gitlab: junit (bad=%s)" % bad, junit.tag == "testsuite" and failures == (1 if bad else 0))
    cq = json.load(open(tmp + "/" + gl["artifacts"]["reports"]["codequality"]))
    check("gitlab: code quality (bad=%s)" % bad, any(i["check_name"] == "CV400" for i in cq) == bad)

# pre-commit: entry + the files it selects, as pre-commit would pass them
hooks = yaml.safe_load(open(top + "/.pre-commit-hooks.yaml"))
hook = [h for h in hooks if h["id"] == "chanval"][0]
for bad in (False, True):
    repo(bad)
    files = []
    for d, _, names in os.walk(tmp):
        for n in names:
            rel = os.path.relpath(os.path.join(d, n), tmp)
            if re.search(hook["files"], rel) and not re.search(hook["exclude"], rel):
                files.append(rel)
    r = subprocess.run(hook["entry"].split() + sorted(files), cwd=tmp, capture_output=True, text=True)
    check("pre-commit (bad=%s)" % bad, r.returncode == (1 if bad else 0), r.stdout[-300:] + r.stderr[-300:])
    check("pre-commit: the configuration is not checked", ".chanval.xml" not in " ".join(files))

print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
PY
