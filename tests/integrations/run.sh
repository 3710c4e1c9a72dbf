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
    open(tmp + "/pom.xml", "w").write('<?xml version="1.0"?>\n<project><modelVersion>4.0.0'
                                      '</modelVersion></project>\n')  # no chanval document
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

# GitHub Actions: the example workflow uses the action (action.yml); its
# check step runs integrations/action/check.sh with the step's inputs in
# the environment, as the runner would
gh = yaml.safe_load(open(top + "/integrations/github-actions.yml"))
action = yaml.safe_load(open(top + "/action.yml"))
[use] = [s for s in gh["jobs"]["gate"]["steps"] if s.get("uses", "").startswith("chanval/chanval@")]
check("github: the workflow pins a release", re.fullmatch(r"chanval/chanval@v\d+\.\d+\.\d+", use["uses"]) is not None)
inputs = {k: str(v.get("default", "")) for k, v in action["inputs"].items()}
inputs.update({k: str(v) for k, v in use.get("with", {}).items()})
check("github: the workflow sets only inputs the action has", set(use.get("with", {})) <= set(action["inputs"]))
[step] = [s for s in action["runs"]["steps"] if s.get("id") == "check"]
def run_action(extra=None):
    ins = dict(inputs, **(extra or {}))
    env = dict(os.environ, GITHUB_ACTION_PATH=top, GITHUB_OUTPUT=tmp + "/.outputs")
    open(tmp + "/.outputs", "w").close()
    for k, v in step["env"].items():  # ${{ inputs.x }} -> the input's value
        m = re.fullmatch(r"\$\{\{ inputs\.([a-z-]+) \}\}", v)
        env[k] = ins[m.group(1)] if m else v
    r = subprocess.run(["bash", "-c", step["run"]], cwd=tmp, env=env, capture_output=True, text=True)
    outs = dict(l.split("=", 1) for l in open(tmp + "/.outputs").read().splitlines() if "=" in l)
    return r, outs
for bad in (False, True):
    repo(bad)
    r, outs = run_action()
    check("github: the check step itself succeeds (bad=%s)" % bad, r.returncode == 0, r.stderr[-300:])
    check("github: exit code output (bad=%s)" % bad, outs.get("exit-code") == ("1" if bad else "0"), str(outs))
    check("github: one run", r.stdout.count("chanval check") == 1, r.stdout[:300])
    sarif = json.load(open(tmp + "/" + outs["sarif-file"]))
    res = sarif["runs"][0]["results"]
    check("github: SARIF results (bad=%s)" % bad, any(x["ruleId"] == "CV400" for x in res) == bad)
    check("github: SARIF category", sarif["runs"][0]["automationDetails"]["id"] == inputs["category"] + "/")
    check("github: the README is not content",
          all("README" not in a["location"]["uri"] for a in sarif["runs"][0]["artifacts"]))
    junit = ET.parse(tmp + "/" + outs["junit-file"]).getroot()
    check("github: JUnit (bad=%s)" % bad, int(junit.get("failures")) == (1 if bad else 0))
    cq = json.load(open(tmp + "/" + outs["codequality-file"]))
    check("github: Code Quality (bad=%s)" % bad, any(i["check_name"] == "CV400" for i in cq) == bad)
    check("github: annotations (bad=%s)" % bad, ("::error file=content/CV400-channel-291.bin" in r.stdout) == bad)
# exit 2 (a path that cannot be read) fails the verdict step, whatever
# fail-on-findings says; exit 1 fails it unless fail-on-findings is false
repo(True)
r, outs = run_action({"paths": "content/\nno-such-dir/", "fail-on-findings": "false"})
check("github: an unreadable path is exit 2", outs.get("exit-code") == "2", str(outs))
[verdict] = [s for s in action["runs"]["steps"] if s.get("name") == "Verdict"]
for rc, fof, want in (("0", "true", 0), ("1", "true", 1), ("1", "false", 0), ("2", "false", 2), ("", "true", 2)):
    v = subprocess.run(["bash", "-c", verdict["run"]], env=dict(os.environ, RC=rc, FAIL_ON_FINDINGS=fof),
                       capture_output=True, text=True)
    check("github: verdict rc=%r fail-on-findings=%s" % (rc, fof), v.returncode == want, str(v.returncode))
# inputs reach chanval as data, never as shell: a path with $() and quotes
repo(False)
os.makedirs(tmp + "/content/$(touch pwned) 'x'")
shutil.copy(top + "/corpus/valid/mixed.bin", tmp + "/content/$(touch pwned) 'x'/")
r, outs = run_action({"paths": "content/$(touch pwned) 'x'"})
check("github: inputs are not shell", outs.get("exit-code") == "0" and not os.path.exists(tmp + "/pwned"),
      r.stdout[-300:] + r.stderr[-300:])
up = [s for s in action["runs"]["steps"] if s.get("uses", "").startswith("github/codeql-action/upload-sarif")]
check("github: the action uploads the SARIF it wrote", len(up) == 1 and "always()" in up[0]["if"])

# GitLab CI: script and after_script, then the reports it declares
gl = yaml.safe_load(open(top + "/integrations/gitlab-ci.yml"))["chanval"]
for bad in (False, True):
    repo(bad)
    codes = [sh(c).returncode for c in gl["script"]]
    check("gitlab: one run, exit code (bad=%s)" % bad, codes == ([1] if bad else [0]), str(codes))
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
    check("pre-commit: quiet when clean", bad or r.stdout == "", r.stdout[-300:])
    check("pre-commit: an unrelated pom.xml is passed to it", "pom.xml" in files)
    check("pre-commit: the configuration is not checked", ".chanval.xml" not in " ".join(files))

repo(False)
open(tmp + "/content/typo.xml", "w").write('<chanel formatVersion="1"/>\n')
r = subprocess.run(hook["entry"].split() + ["pom.xml", "content/typo.xml"], cwd=tmp,
                   capture_output=True, text=True)
check("pre-commit: a misspelt chanval root still fails", r.returncode == 1 and "CV203" in r.stdout,
      r.stdout[-300:])

print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
PY
