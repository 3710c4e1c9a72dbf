#!/usr/bin/env python3
"""pcre2_patterns.py TESTDATA OUT - the patterns of PCRE2's own test suite
(testdata/testinput*), as inputs of the harnesses:

  OUT/regex_parse/  a flag byte (0, then 1: caseless), then the pattern
  OUT/regex/        the pattern alone
  OUT/source.xml    a channel source with one instance per pattern that is
                    UTF-8 without NUL: a regex criterion on the 4096-byte
                    command_line of the sample world's type 12
  filter REPORT SOURCE OUT
                    SOURCE without the instances that chanval's JSON
                    REPORT gives an error (what a release would ship)

PCRE2's tests are written to reach every corner of its syntax, which is
what the parser of the cost analysis must follow: run through the
harnesses, they find spellings a fuzzer takes long to build (a group name
with a Unicode modifier letter, a class negated after \\E).

Only single-line patterns with '/' delimiters are taken; modifiers are
dropped (chanval compiles every pattern in UTF mode, caseless when the
criterion says so).  Files are named by the SHA-1 of their bytes, so a run
writes the same set every time."""
import hashlib
import json
import os
import re
import sys

MAX_PATTERN = 4095  # the harnesses take up to 4096 bytes with the flag


def patterns(testdata):
    seen = set()
    for name in sorted(os.listdir(testdata)):
        if not name.startswith("testinput"):
            continue
        with open(os.path.join(testdata, name), "rb") as fh:
            for line in fh.read().split(b"\n"):
                if not line.startswith(b"/"):
                    continue
                end = line.rfind(b"/")
                if end <= 0:
                    continue  # a pattern that goes on over several lines
                pat = line[1:end].replace(b"\\/", b"/")
                if len(pat) <= MAX_PATTERN and pat not in seen:
                    seen.add(pat)
                    yield pat


def write(directory, data):
    path = os.path.join(directory, hashlib.sha1(data).hexdigest())
    with open(path + ".tmp", "wb") as fh:
        fh.write(data)
    os.replace(path + ".tmp", path)


def source(pats):
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<channel formatVersion="1" id="1" contentVersion="1">']
    n = 0
    for pat in pats:
        if not pat or b"\x00" in pat:
            continue
        try:
            pat.decode("utf-8")
        except UnicodeDecodeError:
            continue
        n += 1
        out.append('  <instance id="%d" typeId="12" typeVersion="1" action="log" '
                   'severity="info"><criterion field="command_line" op="regex" '
                   'valueHex="%s"/></instance>' % (n, pat.hex()))
    out.append("</channel>")
    return "\n".join(out) + "\n"


def filter_source(report, src, out):
    with open(report, encoding="utf-8") as fh:
        doc = json.load(fh)
    bad = {d["instance"] for f in doc["files"] for d in f["diagnostics"]
           if d["severity"] == "error" and "instance" in d}
    keep = []
    with open(src, encoding="utf-8") as fh:
        for line in fh:
            m = re.match(r'\s*<instance id="(\d+)"', line)
            if not (m and int(m.group(1)) in bad):
                keep.append(line)
    with open(out + ".tmp", "w", encoding="utf-8") as fh:
        fh.writelines(keep)
    os.replace(out + ".tmp", out)
    print("%d instances with errors left out" % len(bad))
    return 0


def main(argv):
    if len(argv) == 5 and argv[1] == "filter":
        return filter_source(argv[2], argv[3], argv[4])
    if len(argv) != 3:
        sys.stderr.write("usage: pcre2_patterns.py TESTDATA OUT\n")
        return 2
    parse_dir = os.path.join(argv[2], "regex_parse")
    raw_dir = os.path.join(argv[2], "regex")
    os.makedirs(parse_dir, exist_ok=True)
    os.makedirs(raw_dir, exist_ok=True)
    n = 0
    pats = list(patterns(argv[1]))
    for pat in pats:
        write(raw_dir, pat)
        write(parse_dir, b"\x00" + pat)
        write(parse_dir, b"\x01" + pat)
        n += 1
    with open(os.path.join(argv[2], "source.xml.tmp"), "w", encoding="utf-8") as fh:
        fh.write(source(pats))
    os.replace(os.path.join(argv[2], "source.xml.tmp"), os.path.join(argv[2], "source.xml"))
    print("%d distinct patterns" % n)
    return 0 if n else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
