# Nothing a file controls reaches the terminal raw: file names with ESC,
# CR, LF or a bidi override, content strings with U+009B (CSI) or U+202E
# quoted in messages, a libxml2 message with a line break, arguments
# echoed on stderr.  Text output shows them escaped (\x1b, \u009b,
# \u202e), one diagnostic per line; GitHub annotations cannot be forged.
. tests/hostile/lib.sh
command -v python3 >/dev/null 2>&1 || { echo "no python3"; exit 77; }
d=$T/names
mkdir "$d"
zero=corpus/invalid/CV101-all-zero.bin
cp "$zero" "$d/$(printf 'esc\033[31mred')"
cp "$zero" "$d/$(printf 'cr\rfake')"
cp "$zero" "$d/$(printf 'lf\nforged.bin:0x0: error[CV101]: forged')"
cp "$zero" "$d/$(printf 'bidi\342\200\256nib.exe')"
cp "$zero" "$d/$(printf 'gh\n::error file=forged::pwned')"
# a content string quoted in a message: a regex that does not compile
printf '<?xml version="1.0" encoding="UTF-8"?>
<channel formatVersion="1" id="100" contentVersion="1">
  <instance id="1" typeId="12" typeVersion="1" action="detect" severity="high">
    <criterion field="user" op="regex" value="(\302\233[2J\342\200\256x"/>
  </instance>
</channel>
' >"$T/content.xml"
# libxml2 says "Input is not proper UTF-8, indicate encoding !\nBytes: ..."
printf '<channel formatVersion="1">\200</channel>' >"$T/libxml.xml"
# shellcheck disable=SC2086
expect_exit 1 "$T/text" "$CHANVAL" check -v --color never $W "$d" "$T/content.xml" "$T/libxml.xml"
# shellcheck disable=SC2086
expect_exit 1 "$T/github" "$CHANVAL" check --format github $W "$d" "$T/content.xml" "$T/libxml.xml"
# shellcheck disable=SC2086
expect_exit 1 "$T/json" "$CHANVAL" check --format json $W "$T/content.xml"
expect_exit 2 "$T/stderr" "$CHANVAL" check --format json "$(printf '%s/no\033]0;title\007such' "$T")"
expect_exit 2 "$T/explain" "$CHANVAL" explain "$(printf 'CV\033[2J\342\200\256')"
python3 - "$T" <<'PY' || fail "raw control characters reach the terminal"
import re, sys
t = sys.argv[1]
bad = re.compile(rb"[\x00-\x09\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\x8e\x8f\xa8-\xae]|\xe2\x81[\xa6-\xa9]|\xd8\x9c")
ok = True
def check(cond, what):
    global ok
    if not cond:
        print("FAIL:", what)
        ok = False
for name in ("text", "github", "stderr", "explain"):
    raw = open(t + "/" + name, "rb").read()
    m = bad.search(raw)
    check(m is None, "%s: raw %r at byte %d" % (name, m.group(), m.start()) if m else "")
text = open(t + "/text", "rb").read().decode("utf-8", "replace")
for want in ("esc\\x1b[31mred:0x0: error[CV101]", "cr\\x0dfake:0x0: error[CV101]",
             "lf\\x0aforged.bin:0x0: error[CV101]: forged:0x0: error[CV101]",
             "bidi\\u202enib.exe:0x0: error[CV101]", "\\u009b[2J\\u202ex",
             "indicate encoding !\\x0aBytes: 0x80", "checked " + t + "/names/esc\\x1b[31mred ("):
    check(want in text, "text: %r missing" % want)
# one finding per line: every line is a diagnostic, a note, a listing or the summary
for line in text.splitlines():
    check(line.startswith((t + "/", "  note: ", "checked ")) or
          re.match(r"\d+ errors, \d+ warnings in \d+ files$", line), "text: stray line %r" % line)
gh = open(t + "/github", "rb").read().decode("utf-8", "replace").splitlines()
for line in gh:
    check(line.startswith(("::error file=" + t, "::warning file=" + t)) or
          re.match(r"\d+ errors, \d+ warnings in \d+ files$", line), "github: forged line %r" % line)
err = open(t + "/stderr", "rb").read().decode()
check("no\\x1b]0;title\\x07such" in err, "stderr: %r" % err)
check("CV\\x1b[2J\\u202e" in open(t + "/explain").read(), "explain: argument not escaped")
# messages quote content strings visibly in every format, JSON included
check('regex \\"(\\\\u009b[2J\\\\u202ex\\"' in open(t + "/json").read(), "json: message quotes raw")
sys.exit(0 if ok else 1)
PY
echo "names, content strings, libxml2 and argument text printed escaped: no raw C0/C1/bidi bytes, one finding per line"
