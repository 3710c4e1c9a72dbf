#!/bin/sh
# check-editors.sh CHANVAL - editors jump to every finding of --format gnu:
# vim's default 'errorformat' reads each line of the report into its
# quickfix list, and for a binary file the line and column it reads point
# at the very byte the finding's offset names (lines end at 0x0a, columns
# count bytes), as they do at the line and column of an XML finding.
# Exit 77 (skip) without vim.
set -u
CHANVAL=$1
command -v vim >/dev/null 2>&1 || { echo "editors: skipped (no vim: apt-get install vim)"; exit 77; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/chanval-editors.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
# findings before and after 0x0a bytes, and XML ones
files="corpus/invalid/CV400-channel-291.bin corpus/invalid/CV105-criterion-reserved.bin
       corpus/invalid/CV115-above-10ffff.bin corpus/invalid/CV109-strings-misaligned.bin
       corpus/invalid/CV202-bad-boolean.xml corpus/invalid/CV231-duplicate-criterion.xml"
# shellcheck disable=SC2086
"$CHANVAL" check --format gnu -t corpus/world/types.xml -f corpus/world/fleet.xml $files >"$tmp/report"
[ $? -eq 1 ] || { echo "editors: the run did not exit 1"; exit 1; }
vim -es -N -u NONE -i NONE -c 'set efm&vim' -c "cfile $tmp/report" \
    -c "call writefile(map(getqflist(), {_, e -> e.valid . '|' . bufname(e.bufnr) . '|' . e.lnum . '|' . e.col . '|' . e.text}), '$tmp/qf')" \
    -c 'qa!' </dev/null >/dev/null 2>&1
[ -s "$tmp/qf" ] || { echo "editors: vim wrote no quickfix list"; exit 1; }
python3 - "$tmp/report" "$tmp/qf" <<'PY'
import re, sys
report = [l for l in open(sys.argv[1]).read().splitlines() if re.match(r"[^:]+:\d+:\d+: ", l)]
qf = [l.split("|", 4) for l in open(sys.argv[2]).read().splitlines()]
valid = [q for q in qf if q[0] == "1"]
assert len(valid) == len(report), "vim read %d of %d findings" % (len(valid), len(report))
binary = xml = 0
for (ok, name, lnum, col, text), line in zip(valid, report):
    assert line.startswith("%s:%s:%s: " % (name, lnum, col)), (line, name, lnum, col)
    m = re.search(r"\(byte 0x([0-9a-f]+)\)$", text)
    if m:  # the byte at vim's line and column is the one the offset names
        data = open(name, "rb").read()
        lines = data.split(b"\n")
        at = sum(len(l) + 1 for l in lines[: int(lnum) - 1]) + int(col) - 1
        assert at == int(m.group(1), 16), (name, lnum, col, hex(at), m.group(1))
        binary += 1
    elif not text.startswith(" note:") and "note:" not in line.split(": ")[1]:
        xml += 1
lines_after_nl = sum(1 for q in valid if q[2] != "1" and q[1].endswith(".bin"))
assert lines_after_nl > 0, "no binary finding after a 0x0a byte"
print("editors: vim's default errorformat reads all %d lines of --format gnu; %d binary locations "
      "(%d past a 0x0a) point at the offset's byte, %d XML ones at their line and column"
      % (len(valid), binary, lines_after_nl, xml))
PY
