# CV400 (the channel-file-291 class) cannot be silenced from the command
# line: a baseline written from the run lists no CV400 and the next run with
# it still exits 1; a baseline edited to list every CV400 fingerprint still
# exits 1 with each CV400 reported unsuppressed; a configuration turning
# CV400 off or to a warning is refused (exit 2); an inline suppression is
# itself an error next to the CV400; and no baseline hides an input that
# cannot be read (exit 2).
. tests/hostile/lib.sh
command -v python3 >/dev/null 2>&1 || { echo "no python3"; exit 77; }
F="corpus/invalid/CV400-channel-291.bin corpus/invalid/CV400-channel-291.xml"

# every CV400 in a JSON report is an unsuppressed error, and there are n
cv400_stands() { # REPORT N
    python3 - "$1" "$2" <<'PY' || fail "$1: a CV400 was suppressed, downgraded or missing"
import json, sys
r = json.load(open(sys.argv[1]))
ds = [d for f in r["files"] for d in f.get("diagnostics", []) if d["rule"] == "CV400"]
assert len(ds) == int(sys.argv[2]), ds
for d in ds:
    assert d["severity"] == "error" and d.get("suppressed", "none") == "none", d
assert r["summary"]["exit"] == 1, r["summary"]
PY
}

# 1. --write-baseline: the run that writes it still fails, and lists no CV400
# shellcheck disable=SC2086
expect_exit 1 "$T/out1" "$CHANVAL" check $W --format json -o "$T/r1.json" \
    --write-baseline "$T/base.xml" $F
cv400_stands "$T/r1.json" 2
grep -q 'rule="CV401"' "$T/base.xml" || fail "the baseline lists no CV401"
! grep -q 'rule="CV400"' "$T/base.xml" || fail "the baseline lists a CV400"

# 2. --baseline: the CV401s are known, the CV400s still fail the run
# shellcheck disable=SC2086
expect_exit 1 "$T/out2" "$CHANVAL" check $W --format json -o "$T/r2.json" \
    --baseline "$T/base.xml" $F
cv400_stands "$T/r2.json" 2

# 3. the baseline edited to hold every CV400 fingerprint, lower and upper case
python3 - "$T/r1.json" "$T/base.xml" "$T/edited.xml" <<'PY' || fail "could not edit the baseline"
import json, sys
r = json.load(open(sys.argv[1]))
fps = [d["fingerprint"] for f in r["files"] for d in f.get("diagnostics", []) if d["rule"] == "CV400"]
assert len(fps) == 2, fps
text = open(sys.argv[2]).read()
add = "".join('  <finding fingerprint="%s" rule="CV400" path="x" message="known"/>\n'
              '  <finding fingerprint="%s"/>\n' % (fp, fp.upper()) for fp in fps)
open(sys.argv[3], "w").write(text.replace("</chanvalBaseline>", add + "</chanvalBaseline>"))
PY
# shellcheck disable=SC2086
expect_exit 1 "$T/out3" "$CHANVAL" check $W --format json -o "$T/r3.json" \
    --baseline "$T/edited.xml" $F
cv400_stands "$T/r3.json" 2
# and in the text report too
# shellcheck disable=SC2086
expect_exit 1 "$T/out3t" "$CHANVAL" check $W --baseline "$T/edited.xml" $F
grep -q 'CV400' "$T/out3t" || fail "the text report does not show CV400"

# 4. .chanval.xml: off and warning are refused, before anything is checked
for sev in off warning; do
    printf '<chanvalConfig formatVersion="1">\n  <rule id="CV400" severity="%s"/>\n</chanvalConfig>\n' \
        "$sev" >"$T/config-$sev.xml"
    # shellcheck disable=SC2086
    expect_exit 2 "$T/out4" "$CHANVAL" check $W --config "$T/config-$sev.xml" $F
    grep -q 'CV400' "$T/out4" || fail "the refusal of severity=$sev does not name CV400"
done

# 5. inline, in the source: CV202 for the attempt, and the CV400 stands
sed 's|<channel |<?chanval suppress="CV400" reason="7.11 is retired"?>\n<channel |' \
    corpus/invalid/CV400-channel-291.xml >"$T/inline.xml"
grep -q 'suppress="CV400"' "$T/inline.xml" || fail "could not write the inline suppression"
# shellcheck disable=SC2086
expect_exit 1 "$T/out5" "$CHANVAL" check $W --format json -o "$T/r5.json" "$T/inline.xml"
cv400_stands "$T/r5.json" 1
grep -q '"CV202"' "$T/r5.json" || fail "the inline suppression of CV400 is not CV202"

# 6. a baseline does not hide an input that cannot be read
# shellcheck disable=SC2086
expect_exit 2 "$T/out6" "$CHANVAL" check $W --baseline "$T/edited.xml" $F "$T/no-such-file.bin"

echo "CV400 stays an error (exit 1) through --write-baseline, --baseline, a baseline edited to list it, an inline suppression; a configuration turning it off or down is refused (exit 2); a baseline cannot hide an unreadable input (exit 2)"
