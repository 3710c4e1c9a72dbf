#!/usr/bin/env python3
"""prepare.py - seed corpora, dictionaries and .options for every harness.

    python3 fuzz/tools/prepare.py --out DIR [--zip] [NAME...]

For each harness fuzz/harness_NAME.c (or the NAMEs given) writes, in the
layout OSS-Fuzz and ClusterFuzzLite expect in $OUT:

    DIR/harness_NAME_seed_corpus/   seeds from corpus/ (or a .zip with --zip)
    DIR/harness_NAME.dict           the dictionary (formats/dict/, fuzz/*.dict)
    DIR/harness_NAME.options        fuzz/harness_NAME.options, if any

Seeds come from the labelled corpus (corpus/world, valid, invalid), the
regression inputs (corpus/regress/NAME/) and, for the regex harnesses, the
patterns of the corpus's channel sources plus a list of hostile ones.  The
output is deterministic; nothing in the repository is written.
Standard library only.
"""
import argparse
import glob
import hashlib
import html
import os
import re
import shutil
import sys
import zipfile

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

DICTS = {
    "channel": ["formats/dict/channel-file.dict"],
    "oracle": ["formats/dict/channel-file.dict"],
    "eval": ["formats/dict/channel-file.dict"],
    "events": ["formats/dict/events.dict"],
    "types": ["formats/dict/xml.dict", "fuzz/xml-extra.dict"],
    "fleet": ["formats/dict/xml.dict", "fuzz/xml-extra.dict"],
    "source": ["formats/dict/xml.dict", "fuzz/xml-extra.dict"],
    "roundtrip": ["formats/dict/xml.dict", "fuzz/xml-extra.dict"],
    "report": ["formats/dict/xml.dict", "fuzz/xml-extra.dict", "formats/dict/channel-file.dict"],
    "regex": ["fuzz/regex.dict"],
    "files": ["formats/dict/xml.dict", "fuzz/xml-extra.dict", "formats/dict/channel-file.dict"],
    "view": ["formats/dict/channel-file.dict", "formats/dict/xml.dict"],
}

CONFIGS = [
    b'<chanvalConfig formatVersion="1" strict="true">\n'
    b'  <types path="world/types.xml"/>\n  <fleet path="world/fleet.xml"/>\n'
    b'  <limit option="max-instances" value="200000"/>\n'
    b'  <rule id="CV401" severity="error"/>\n  <rule id="CV306" severity="off"/>\n'
    b'  <diff maxGrowthPercent="50"/>\n</chanvalConfig>\n',
    b'<?xml version="1.0" encoding="UTF-8"?>\n<chanvalConfig formatVersion="1">\n'
    b'  <types path="world/types.xml"/>\n  <baseline path="a"/>\n</chanvalConfig>\n',
    b'<chanvalConfig formatVersion="1"><rule id="CV400" severity="warning"/></chanvalConfig>',
    b'<chanvalConfig formatVersion="1"><fleet path="../nowhere.xml"/></chanvalConfig>',
]

BASELINES = [
    b'<?xml version="1.0" encoding="UTF-8"?>\n<chanvalBaseline formatVersion="1">\n'
    b'  <finding fingerprint="dfa0563f04b729b5" rule="CV401" path="b" message="m"/>\n'
    b'</chanvalBaseline>\n',
    b'<chanvalBaseline formatVersion="1"/>',
]


def files_seed(sel, a, b):
    n = min(len(a), 0xFFFF)
    return bytes([sel, n & 0xFF, n >> 8]) + a[:n] + b

HOSTILE_REGEXES = [
    r"(a+)+$", r"(a|a)*b", r"(a*)*$", r"\d+\s*\d+$", r"(.*a){12}", r"^(\w+\s?)*$",
    r"(x+x+)+y", r"(?:a|aa)+$", r"[a-z]*x", r"(a)\1", r"(?<n>a)\k<n>", r"(?<=a)b",
    r"(a|b(?1))", r"(?(1)a|b)", r"(?C1)a", r"\C", r"(*ACCEPT)a", r"(*LIMIT_MATCH=1)a",
    r"(*UTF)a", r"\Q(?<=\E", r"[\1]", r"\10", r"(?x) # (?<=a)", r"(?#(?<=a))b",
    r"\g{-1}", r"(?P<n>a)(?P=n)", r"(?P>n)", r"(?&n)", r"(?R)", r"a{1,65535}", r"\x{10FFFF}",
    r"[[:alpha:]]+", r"\p{L}+", r"(?i)cmd\.exe$", r"^\\\\\.\\pipe\\[a-f0-9]{8}$", "",
]


def rel(path):
    return os.path.join(TOP, path)


def read(path):
    with open(path, "rb") as fh:
        return fh.read()


def files(*patterns):
    out = []
    for p in patterns:
        out.extend(sorted(glob.glob(rel(p))))
    return [f for f in out if os.path.isfile(f)]


def regress(name):
    return [read(f) for f in files("corpus/regress/%s/*" % name)]


def xml_docs(marker):
    docs = []
    for f in files("corpus/world/*.xml", "corpus/valid/*.xml", "corpus/invalid/*.xml"):
        data = read(f)
        if marker is None or marker in data:
            docs.append(data)
    return docs


SUPPRESSIONS = [
    (b"<channel", b'<?chanval suppress="CV306 CV401" reason="known"?>\n<channel'),
    (b"<instance", b'<?chanval suppress="CV308,CV306" reason="deliberate"?>\n  <instance'),
    (b"<instance", b'<?chanval suppress="CV400" reason="never suppressed"?>\n  <instance'),
    (b"<instance", b'<?chanval suppress="CV999" reason="unknown rule"?>\n  <instance'),
    (b"<instance", b'<?chanval suppress="CV306"?>\n  <instance'),
    (b"<instance", b'<?chanval suppress="CV306" reason="x" extra="y"?>\n  <instance'),
    (b"</channel>", b'<?chanval suppress="CV306" reason="followed by nothing"?>\n</channel>'),
    (b"<templateTypes", b'<?chanval suppress="CV401" reason="types"?>\n<templateTypes'),
    (b"<sensor", b'<?chanval suppress="CV402" reason="fleet"?>\n  <sensor'),
]


def suppressed(docs):
    """Documents with inline suppressions (formats/configuration.md)."""
    out = []
    for d in docs:
        for marker, pi in SUPPRESSIONS:
            if marker in d:
                out.append(d.replace(marker, pi, 1))
    return out


def binaries():
    return [read(f) for f in files("corpus/valid/*.bin", "corpus/invalid/*.bin")]


def corpus_regexes():
    pats = []
    attr = re.compile(rb'<criterion\b[^>]*>')
    for data in xml_docs(b"<channel"):
        for m in attr.finditer(data):
            tag = m.group(0)
            if b'op="regex"' not in tag:
                continue
            v = re.search(rb'\bvalue="([^"]*)"', tag)
            if v:
                pats.append(html.unescape(v.group(1).decode("utf-8", "replace")).encode("utf-8"))
    return pats


def cache_records():
    """Records of diag/persist.c (a kind byte first): none, one and three
    findings, strings present and absent."""
    import struct

    def string(v):
        if v is None:
            return b"\x00"
        b = v.encode("utf-8")
        return b"\x01" + struct.pack("<I", len(b)) + b

    def diag(rule, sev, loc, strs):
        return (struct.pack("<HBBQIIBIIBIQQQB", rule, sev, loc, 0x3e4, 1, 997, 1, 2, 20, 0, 0, 0, 0, 0, 0)
                + b"".join(string(x) for x in strs))

    out = []
    for kind, chan in ((0, 1), (1, 0)):
        for n in (0, 1, 3):
            rec = struct.pack("<IB", 1, kind) + struct.pack("<QQQQQQ", n, 0, 0, 0, 0, 0)
            rec += b"\x00" * 125 + struct.pack("<Q", n)
            for i in range(n):
                rec += diag(400 + i, 2, 0 if chan else 1,
                            ["7.11.18110", "instance 2 criterion 20 reads past", None, None, None,
                             None, "type 7 v3" if i else None, "0123456789abcdef", None])
            out.append(bytes([chan]) + rec)
    return out


def seeds(name):
    if name == "events":
        out = []
        for path in sorted(glob.glob(os.path.join(TOP, "corpus", "tests", "*.jsonl"))):
            with open(path, "rb") as f:
                data = f.read()
            out.append(data)
            out += [line for line in data.split(b"\n") if line]
        return out + regress(name)
    if name in ("channel", "oracle", "eval"):
        return binaries() + regress("channel") + regress("oracle") + regress("eval")
    if name == "types":
        docs = xml_docs(b"<templateTypes")
        return docs + suppressed(docs[:2]) + regress(name)
    if name == "fleet":
        docs = xml_docs(b"<fleet")
        return docs + suppressed(docs[:2]) + regress(name)
    if name == "source":
        return xml_docs(None) + suppressed(xml_docs(b"<channel")[:6]) + regress(name)
    if name == "roundtrip":
        docs = xml_docs(b"<channel")
        return docs + suppressed(docs[:6]) + regress(name)
    if name == "report":
        out = []
        for b in binaries():
            out += [b"\x00" + b, b"\x12" + b, b"\x22" + b]
        for d in xml_docs(b"<channel"):
            out += [b"\x01" + d, b"\x09" + d]
        for d in suppressed(xml_docs(b"<channel")[:6]):
            out += [b"\x01" + d, b"\x45" + d]
        for d in xml_docs(b"<templateTypes"):
            out.append(b"\x03" + d)
        for d in xml_docs(b"<fleet"):
            out.append(b"\x07" + d)
        return out + [b"\x00CV400", b"\x00cv107", b"\x00502"] + regress(name)
    if name == "files":
        bins = binaries()
        valid = [read(f) for f in files("corpus/valid/*.bin")]
        sources = xml_docs(b"<channel")
        sources += suppressed(sources[:3])
        out = []
        for c in CONFIGS:
            for b in valid[:3] + sources[:2]:
                out.append(files_seed(0, c, b))
        for bl in BASELINES:
            for b in bins[::8]:
                out.append(files_seed(1, bl, b))
        for a in valid:
            for b in valid[:4] + bins[::16]:
                out.append(files_seed(2, a, b))
        for a, b in zip(bins[::4], sources):
            out.append(files_seed(3, a, b))
        for a, b in zip(sources, bins):
            out.append(files_seed(4, a, b))
        return out + regress(name)
    if name == "cache":
        return cache_records() + regress(name)
    if "regex" in name:
        return corpus_regexes() + [p.encode("utf-8") for p in HOSTILE_REGEXES] + regress(name)
    return binaries() + xml_docs(None) + regress(name)


def dictionary(name):
    srcs = DICTS.get(name)
    if srcs is None and "regex" in name:
        srcs = DICTS["regex"]
    return srcs or []


def harness_names():
    return sorted(os.path.basename(f)[len("harness_"):-2] for f in files("fuzz/harness_*.c"))


def prepare(out, name, want_zip):
    base = "harness_" + name
    corpus = {}
    for s in seeds(name):
        corpus[hashlib.sha1(s).hexdigest()] = s
    if want_zip:
        path = os.path.join(out, base + "_seed_corpus.zip")
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for h in sorted(corpus):
                info = zipfile.ZipInfo(h, date_time=(1980, 1, 1, 0, 0, 0))
                z.writestr(info, corpus[h])
    else:
        d = os.path.join(out, base + "_seed_corpus")
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        for h, s in corpus.items():
            with open(os.path.join(d, h), "wb") as fh:
                fh.write(s)
    dict_path = os.path.join(out, base + ".dict")
    srcs = dictionary(name)
    if srcs:
        with open(dict_path, "wb") as fh:
            for src in srcs:
                fh.write(read(rel(src)))
                fh.write(b"\n")
    elif os.path.exists(dict_path):
        os.remove(dict_path)
    opts = rel("fuzz/%s.options" % base)
    if os.path.exists(opts):
        shutil.copyfile(opts, os.path.join(out, base + ".options"))
    return len(corpus)


def main(argv):
    ap = argparse.ArgumentParser(description="seed corpora, dictionaries, .options")
    ap.add_argument("--out", required=True)
    ap.add_argument("--zip", action="store_true", help="write <harness>_seed_corpus.zip")
    ap.add_argument("names", nargs="*")
    a = ap.parse_args(argv)
    os.makedirs(a.out, exist_ok=True)
    for name in a.names or harness_names():
        n = prepare(a.out, name, a.zip)
        print("harness_%s: %d seeds" % (name, n))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
