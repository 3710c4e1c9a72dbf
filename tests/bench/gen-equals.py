#!/usr/bin/env python3
"""gen-equals.py N - a channel source of N equals-heavy instances for the
sample types: each a detect on process creations (type 12 v1) with one
EQUALS on image_path ("C:\\Apps\\toolK.exe", K = 7 * i, so that tests/bench/eval.c
and gen-benign.py's events hit one in 64 and none), every other field
wildcard; every tenth also negates a range on pid."""
import sys

n = int(sys.argv[1])
out = ['<channel formatVersion="1" id="77" contentVersion="1">']
for i in range(n):
    out.append('  <instance id="%d" typeId="12" typeVersion="1" action="detect" severity="low">' % (i + 1))
    out.append('    <criterion field="image_path" op="equals" value="C:\\Apps\\tool%d.exe" caseInsensitive="true"/>' % (i * 7))
    if i % 10 == 0:
        out.append('    <criterion field="pid" op="range" min="0" max="3" negate="true"/>')
    out.append('  </instance>')
out.append('</channel>')
sys.stdout.write("\n".join(out) + "\n")
