#!/bin/sh
# check-html.sh CHANVAL [ARTEFACTS] - the HTML report in a real browser.
#
# Headless Chromium opens the report of the whole corpus (the sample world
# and every corpus file) and of files with hostile names and values:
#   - the page logs nothing to the console (a Content-Security-Policy
#     violation would: a planted one proves the check sees it), and its
#     script ran (it unhides the key hint);
#   - the DOM holds every finding of the JSON report of the same run, file
#     by file (same rules, same locations), and every link to a finding's
#     bytes or a structure lands on an element that exists;
#   - hostile names and values are text: one <script> element, no element
#     with an event handler, the bidi override shown as \u202e.
# Screenshots of the CF291 report and of chanval view in a terminal (tmux)
# are written to ARTEFACTS (default build/html).  Exit 77 (skip) where no
# browser is installed.
set -u
CHANVAL=$1
art=${2:-build/html}
browser=""
for b in chromium chromium-headless-shell google-chrome; do
    command -v "$b" >/dev/null 2>&1 && { browser=$b; break; }
done
[ -n "$browser" ] || { echo "html: skipped (no browser: apt-get install chromium)"; exit 77; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/chanval-html.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$art"
W="-t corpus/world/types.xml -f corpus/world/fleet.xml"

open_page() { # HTML DOM LOG: load the page, write its DOM and the browser's log
    timeout 120 "$browser" --headless --no-sandbox --disable-gpu --no-first-run \
        --user-data-dir="$tmp/profile" --enable-logging=stderr --v=0 \
        --dump-dom "file://$1" >"$2" 2>"$3"
}
fail() { echo "html: $*"; exit 1; }

# 1. the whole corpus: HTML and JSON from one run
# shellcheck disable=SC2086
"$CHANVAL" check $W --format html="$tmp/corpus.html" --format json="$tmp/corpus.json" corpus
[ $? -eq 1 ] || fail "the corpus run did not exit 1"
open_page "$tmp/corpus.html" "$tmp/corpus.dom" "$tmp/corpus.log"
grep -q 'CONSOLE' "$tmp/corpus.log" && { grep CONSOLE "$tmp/corpus.log" | head -5; fail "the page logged to the console"; }
# a page whose style no longer matches its policy must be caught
sed 's/body{font:14px/body{font:15px/' "$tmp/corpus.html" >"$tmp/planted.html"
open_page "$tmp/planted.html" "$tmp/planted.dom" "$tmp/planted.log"
grep -q 'CONSOLE.*Content Security Policy' "$tmp/planted.log" ||
    fail "a planted policy violation was not seen: the console check is blind"

# 2. hostile names and values
h=$tmp/hostile
mkdir -p "$h"
cp corpus/invalid/CV400-channel-291.bin "$h/<script>alert(1)<script>.bin"
cp corpus/invalid/CV202-bad-boolean.xml "$h/\"onmouseover=alert(1) x=\".xml"
cp corpus/invalid/CV202-unknown-element.xml "$h/<style><b>bold.xml"
# a NUL in an equals value, under a name with a right-to-left override
cp corpus/invalid/CV115-nul.bin "$h/$(printf '\342\200\256')gnp.bin"
printf '<channel formatVersion="1" id="1" contentVersion="1">\n<instance id="1" typeId="12" typeVersion="1" action="block" severity="high">\n<criterion field="image_path" op="equals" value="</script><script>alert(2)</script>" bogus="<img src=x onerror=alert(3)>"/>\n</instance></channel>\n' >"$h/values.xml"
# shellcheck disable=SC2086
"$CHANVAL" check $W --format html="$tmp/hostile.html" --format json="$tmp/hostile.json" "$h"
open_page "$tmp/hostile.html" "$tmp/hostile.dom" "$tmp/hostile.log"
grep -q 'CONSOLE' "$tmp/hostile.log" && fail "the hostile page logged to the console"

python3 - "$tmp" <<'PY' || exit 1
import html.parser, json, sys
tmp = sys.argv[1]

class Dom(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.hrefs, self.tags, self.handlers = set(), [], [], []
        self.rows = {}  # section path -> [(rule, loc)]
        self.section, self.in_h2, self.path, self.text = None, False, "", []
        self.keys_hidden = None
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        self.handlers += [k for k in a if k.startswith("on")]
        if "id" in a:
            self.ids.add(a["id"])
        if a.get("href", "").startswith("#"):
            self.hrefs.append(a["href"][1:])
        if tag == "section" and "file" in a.get("class", ""):
            self.section = a["id"]
        if tag == "h2" and self.section:
            self.in_h2, self.path = True, ""
        if tag == "tr" and "data-rule" in a and self.section:
            self.rows.setdefault(self.current, []).append((a["data-rule"], a["data-loc"]))
        if a.get("id") == "keys":
            self.keys_hidden = "hidden" in a
    def handle_endtag(self, tag):
        if tag == "h2" and self.in_h2:
            self.in_h2, self.current = False, self.path
    def handle_data(self, d):
        self.text.append(d)
        if self.in_h2:
            self.path += d

def load(name):
    d = Dom()
    d.feed(open("%s/%s.dom" % (tmp, name), encoding="utf-8").read())
    return d

def shown(path):  # a path as reports print it (chanval_escape_text, backslashes doubled)
    out = []
    for ch in path:
        cp = ord(ch)
        if cp < 0x20 or cp == 0x7f:
            out.append("\\x%02x" % cp)
        elif 0x80 <= cp < 0xa0 or cp in (0x61c, 0x200e, 0x200f, 0x2028, 0x2029) or \
                0x202a <= cp <= 0x202e or 0x2066 <= cp <= 0x2069:
            out.append("\\u%04x" % cp)
        elif ch == "\\":
            out.append("\\\\")
        else:
            out.append(ch)
    return "".join(out)

def loc(f):
    return "0x%x" % f["offset"] if "offset" in f else "%d:%d" % (f["line"], f["column"])

for name in ("corpus", "hostile"):
    dom = load(name)
    rep = json.load(open("%s/%s.json" % (tmp, name)))
    want = {}
    for f in rep["files"]:
        diags = [(d["rule"], loc(d)) for d in f["diagnostics"]]
        if diags:
            want[shown(f["path"])] = diags
    got = dom.rows
    assert set(got) == set(want), (name, sorted(set(want) ^ set(got))[:5])
    for path in want:
        assert sorted(got[path]) == sorted(want[path]), (name, path, got[path], want[path])
    missing = [h for h in dom.hrefs if h not in dom.ids]
    assert not missing, (name, "links to nothing", missing[:5])
    assert dom.tags.count("script") == 1, (name, dom.tags.count("script"), "script elements")
    assert not dom.handlers, (name, "event handlers", dom.handlers[:5])
    assert dom.keys_hidden is False, (name, "the page's script did not run")
    n = sum(len(v) for v in want.values())
    print("%s: %d findings in %d files agree with the JSON report; %d links land" %
          (name, n, len(want), len(dom.hrefs)))
text = "".join(load("hostile").text)
assert "\u202e" not in text, "a bidi override reached the page's text"
assert "\\u202egnp.bin" in text, "the bidi override is not shown as \\u202e"
assert "<script>alert(1)<script>.bin" in text, "a hostile name is not shown as text"
assert "</script><script>alert(2)</script>" in text, "a hostile value is not shown as text"
PY

# 3. screenshots: the CF291 report, and chanval view in a terminal
# shellcheck disable=SC2086
"$CHANVAL" check $W --format html="$tmp/cf291.html" corpus/invalid/CV400-channel-291.bin
timeout 120 "$browser" --headless --no-sandbox --disable-gpu --no-first-run --hide-scrollbars \
    --user-data-dir="$tmp/profile" --window-size=1280,1040 \
    --screenshot="$art/html-report.png" "file://$tmp/cf291.html" >/dev/null 2>&1
[ -s "$art/html-report.png" ] || fail "no screenshot of the CF291 report"
if command -v tmux >/dev/null 2>&1; then
    sh tools/term-shot.sh "$CHANVAL" "$art/view-terminal.png" "$browser" >"$tmp/term.log" 2>&1 ||
        { cat "$tmp/term.log"; fail "no screenshot of chanval view"; }
    echo "screenshots: $art/html-report.png, $art/view-terminal.png"
else
    echo "screenshots: $art/html-report.png (no tmux: no terminal screenshot)"
fi
echo "html: the corpus and hostile reports pass in $($browser --version 2>/dev/null | head -n 1)"
