#!/usr/bin/env python3
"""pcre2_patterns.py TESTDATA OUT - the patterns of PCRE2's own test suite
(testdata/testinput*), as inputs of two harnesses:

  OUT/regex_parse/  a flag byte (0, then 1: caseless), then the pattern
  OUT/regex/        the pattern alone

PCRE2's tests are written to reach every corner of its syntax, which is
what the parser of the cost analysis must follow: run through the
harnesses, they find spellings a fuzzer takes long to build (a group name
with a Unicode modifier letter, a class negated after \\E).

Only single-line patterns with '/' delimiters are taken; modifiers are
dropped (chanval compiles every pattern in UTF mode, caseless when the
criterion says so).  Files are named by the SHA-1 of their bytes, so a run
writes the same set every time."""
import hashlib
import os
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


def main(argv):
    if len(argv) != 3:
        sys.stderr.write("usage: pcre2_patterns.py TESTDATA OUT\n")
        return 2
    parse_dir = os.path.join(argv[2], "regex_parse")
    raw_dir = os.path.join(argv[2], "regex")
    os.makedirs(parse_dir, exist_ok=True)
    os.makedirs(raw_dir, exist_ok=True)
    n = 0
    for pat in patterns(argv[1]):
        write(raw_dir, pat)
        write(parse_dir, b"\x00" + pat)
        write(parse_dir, b"\x01" + pat)
        n += 1
    print("%d distinct patterns" % n)
    return 0 if n else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
