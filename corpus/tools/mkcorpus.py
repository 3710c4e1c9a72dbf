#!/usr/bin/env python3
"""mkcorpus.py - regenerate the chanval sample corpus (world, valid, invalid,
manifest.tsv) in place, byte for byte identically on every run.

    python3 corpus/tools/mkcorpus.py           write the corpus
    python3 corpus/tools/mkcorpus.py --check   compare only; exit 1 on drift

Standard library only.  The binary channel files are produced by this
script's own encoder, written from formats-v1.md section 2 and the `pack`
layout of the design decisions, independently of chanval's code:

  header 80 bytes | section table (STRINGS, TYPES, INSTANCES) at 80 |
  TYPES at 128 | INSTANCES right after | STRINGS right after, file ends there

The valid channel files are packed from the channel sources next to them by
parsing those sources (not by re-using the data that wrote them), so the
pair is a real source -> channel file test vector.

Every case is one function below, with a one-line comment saying what it
breaks and why the expected rules are what they are.  Locations follow the
conventions written down in corpus/README.md.
"""

import hashlib
import os
import struct
import sys
import xml.etree.ElementTree as ET

CORPUS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GENERATED_DIRS = ("world", "valid", "invalid")

W = None    # world types as parsed back from world/types.xml
OUT = {}    # path relative to corpus/ -> bytes
ROWS = []   # manifest rows
CASES = []  # case functions, in order


def case(fn):
    CASES.append(fn)
    return fn


def put(rel, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    assert rel not in OUT, "generated twice: " + rel
    OUT[rel] = bytes(data)


def row(file, world, options, exit_status, rules, where):
    assert file in OUT or file.startswith("world/"), file
    rules = sorted(set(rules))
    ROWS.append((file, world, options or "-", str(exit_status),
                 ",".join(rules) if rules else "-", where or "-"))


# ---------------------------------------------------------------- world --

# (name, "string", maxLength) or (name, "integer", min, max)
U32 = 4294967295
IPC_FIELDS = [
    ("pipe_name", "string", 260),
    ("client_pid", "integer", 0, U32),
    ("server_pid", "integer", 0, U32),
    ("client_image", "string", 1024),
    ("server_image", "string", 1024),
    ("client_cmdline", "string", 4096),
    ("session_id", "integer", 0, U32),
    ("integrity_level", "integer", 0, 5),
    ("access_mask", "integer", 0, U32),
    ("open_mode", "integer", 0, U32),
    ("pipe_mode", "integer", 0, U32),
    ("max_instances", "integer", 0, 255),
    ("out_buffer_size", "integer", 0, U32),
    ("in_buffer_size", "integer", 0, U32),
    ("default_timeout", "integer", 0, U32),
    ("client_user", "string", 256),
    ("server_user", "string", 256),
    ("client_sid", "string", 184),
    ("pipe_attributes", "string", 512),
    ("event_time", "integer", 0, 9223372036854775807),
    ("remote_pipe_flags", "string", 64),
]
PROC_FIELDS = [
    ("image_path", "string", 1024),
    ("command_line", "string", 4096),
    ("parent_image", "string", 1024),
    ("pid", "integer", 0, U32),
    ("ppid", "integer", 0, U32),
    ("user", "string", 256),
    ("integrity_level", "integer", 0, 5),
    ("token_elevation", "integer", 0, 3),
]
IPC = (7, 3)
PROC = (12, 1)

DECL = '<?xml version="1.0" encoding="UTF-8"?>'


def field_line(f, indent="    "):
    if f[1] == "string":
        return '%s<field name="%s" kind="string" maxLength="%d"/>' % (indent, f[0], f[2])
    return '%s<field name="%s" kind="integer" min="%d" max="%d"/>' % (indent, f[0], f[2], f[3])


def types_doc(types, fv='formatVersion="1"'):
    """types: [(id, version, name, fields)]; one element per line."""
    lines = [DECL, "<templateTypes %s>" % fv]
    for tid, tver, name, fields in types:
        head = '  <templateType id="%d" version="%d" name="%s"' % (tid, tver, name)
        if not fields:
            lines.append(head + "/>")
            continue
        lines.append(head + ">")
        lines += [field_line(f) if isinstance(f, tuple) else f for f in fields]
        lines.append("  </templateType>")
    lines.append("</templateTypes>")
    return "\n".join(lines) + "\n"


def sensor_lines(version, limits, supports, extra=""):
    mcb, mi, mrl, rml = limits
    out = ['  <sensor version="%s" maxChannelBytes="%s" maxInstances="%s" '
           'maxRegexLength="%s" regexMatchLimit="%s"%s>' % (version, mcb, mi, mrl, rml, extra)]
    for s in supports:
        if isinstance(s, str):
            out.append(s)
        else:
            out.append('    <supports typeId="%s" typeVersion="%s" inputs="%s"/>' % s)
    out.append("  </sensor>")
    return out


def fleet_doc(sensors, comment=None, fv='formatVersion="1"'):
    lines = [DECL]
    if comment:
        lines.append("<!-- %s -->" % comment)
    lines.append("<fleet %s>" % fv)
    for s in sensors:
        lines += sensor_lines(*s)
    lines.append("</fleet>")
    return "\n".join(lines) + "\n"


LIM_7_11 = (16777216, 100000, 1024, 100000)
LIM_7_10 = (8388608, 50000, 256, 100000)
LIM_TINY = (256, 1, 1024, 100000)

WORLDS = [
    ("none", "(no -t, no -f)"),
    ("types", "-t world/types.xml"),
    ("sample", "-t world/types.xml -f world/fleet.xml"),
    ("healthy", "-t world/types.xml -f world/fleet-healthy.xml"),
    ("partial", "-t world/types.xml -f world/fleet-partial.xml"),
    ("tiny", "-t world/types.xml -f world/fleet-tiny.xml"),
    ("as-types", "-t FILE  (FILE is the -t document itself; no positional FILE)"),
    ("as-fleet", "-t world/types.xml -f FILE  (FILE is the -f document itself; no positional FILE)"),
]


def make_world():
    put("world/types.xml", types_doc([
        (7, 3, "InterProcessCommunication", IPC_FIELDS),
        (12, 1, "ProcessCreation", PROC_FIELDS)]))
    put("world/fleet.xml", fleet_doc([
        ("7.11.18110", LIM_7_11, [(7, 3, 20), (12, 1, 8)]),
        ("7.10.17706", LIM_7_10, [(7, 3, 21), (12, 1, 8)]),
    ], "the sample fleet of 2024-07-19: sensor 7.11.18110 supplies 20 inputs "
       "for type 7 v3, which declares 21 fields"))
    put("world/fleet-healthy.xml", fleet_doc([
        ("7.11.18110", LIM_7_11, [(7, 3, 21), (12, 1, 8)]),
        ("7.10.17706", LIM_7_10, [(7, 3, 21), (12, 1, 8)]),
    ], "the sample fleet with every type's inputs matching its fields"))
    put("world/fleet-partial.xml", fleet_doc([
        ("7.11.18110", LIM_7_11, [(12, 1, 8)]),
        ("7.10.17706", LIM_7_10, [(7, 3, 21), (12, 1, 8)]),
    ], "sensor 7.11.18110 does not support type 7 v3 (CV402)"))
    put("world/fleet-tiny.xml", fleet_doc([
        ("7.9.1", LIM_TINY, [(7, 3, 21), (12, 1, 8)]),
    ], "a sensor with tiny file limits (CV404)"))


def parse_types(text):
    """World types as the packer sees them, read back from the XML."""
    out = {}
    for tt in ET.fromstring(text).findall("templateType"):
        fields = []
        for f in tt.findall("field"):
            if f.get("kind") == "string":
                fields.append((f.get("name"), "string", int(f.get("maxLength"))))
            else:
                fields.append((f.get("name"), "integer", int(f.get("min")), int(f.get("max"))))
        out[(int(tt.get("id")), int(tt.get("version")))] = fields
    return out


# ------------------------------------------------------- channel source --

XML_NEEDS_HEX = set(range(0x01, 0x09)) | {0x0B, 0x0C} | set(range(0x0E, 0x20)) | {0xFFFE, 0xFFFF}


def esc(s):
    return (s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("\t", "&#9;").replace("\n", "&#10;")
            .replace("\r", "&#13;"))


def crit(field=None, op="equals", value=None, index=None, hexv=None, lo=None,
         hi=None, ci=False, neg=False, extra=""):
    """One <criterion> line (attribute order as `dump` writes it)."""
    a = []
    if field is not None:
        a.append('field="%s"' % field)
    if index is not None:
        a.append('index="%s"' % index)
    if op is not None:
        a.append('op="%s"' % op)
    if value is not None:
        a.append('value="%s"' % esc(value))
    if hexv is not None:
        a.append('valueHex="%s"' % hexv)
    if lo is not None:
        a.append('min="%s"' % lo)
    if hi is not None:
        a.append('max="%s"' % hi)
    if ci:
        a.append('caseInsensitive="true"')
    if neg:
        a.append('negate="true"')
    if extra:
        a.append(extra)
    return "    <criterion " + " ".join(a) + "/>"


def inst(iid, t, action="detect", severity="high", crits=(), extra=""):
    head = '  <instance id="%s" typeId="%s" typeVersion="%s" action="%s" severity="%s"%s' % (
        iid, t[0], t[1], action, severity, extra)
    if not crits:
        return [head + "/>"]
    return [head + ">"] + list(crits) + ["  </instance>"]


def channel(cid, cv, body, root_extra="", prolog=(), epilog=(), decl=DECL, bom=False):
    lines = [decl] + list(prolog)
    lines.append('<channel formatVersion="1" id="%s" contentVersion="%s"%s>' % (cid, cv, root_extra))
    lines += list(body)
    lines.append("</channel>")
    lines += list(epilog)
    return ("\ufeff" if bom else "") + "\n".join(lines) + "\n"


def at(text, needle, skip=0, nth=None):
    """LINE:COL (1-based, column in characters) of `needle` in `text`, plus
    `skip` characters; `needle` must occur exactly once unless nth is given."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if nth is None:
        assert text.count(needle) == 1, "needle not unique: %r" % needle
        pos = text.index(needle)
    else:
        pos = -1
        for _ in range(nth):
            pos = text.index(needle, pos + 1)
    pos += skip
    line = text.count("\n", 0, pos) + 1
    col = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return "%d:%d" % (line, col)


def attr_at(text, needle):
    """Location of an attribute: `needle` is ' name="value"' (leading space)."""
    assert needle.startswith(" ")
    return at(text, needle, 1)


# ------------------------------------------------------ binary encoder --

HEADER_SIZE = 80
ENTRY_SIZE = 16
K_STRINGS, K_TYPES, K_INSTANCES = 1, 2, 3
OPS = {"equals": 1, "regex": 2, "range": 3}
ACTIONS = {"log": 1, "detect": 2, "block": 3}
SEVERITIES = {"info": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}
F_CI, F_NEG = 1, 2


def seal(buf):
    """Store the SHA-256 of the file computed with bytes 48..79 zero."""
    buf[48:80] = bytes(32)
    buf[48:80] = hashlib.sha256(bytes(buf)).digest()
    return buf


def u16(buf, off, v):
    struct.pack_into("<H", buf, off, v)


def u32(buf, off, v):
    struct.pack_into("<I", buf, off, v)


def u64(buf, off, v):
    struct.pack_into("<Q", buf, off, v)


def c_wild():
    return bytes(20)


def c_str(op, off, length, flags=0):
    return struct.pack("<BBHIIQ", op, flags, 0, off, length, 0)


def c_range(lo, hi, flags=0):
    return struct.pack("<BBHqq", OPS["range"], flags, 0, lo, hi)


def types_section(entries, count=None, tail=b""):
    """entries: [(type_id, type_version, field_count)]"""
    out = struct.pack("<I", len(entries) if count is None else count)
    for tid, tver, fc in entries:
        out += struct.pack("<IHH", tid, tver, fc)
    return out + tail


def record(iid, type_index, crits, action=2, severity=3, reserved=0,
           field_count=None, record_size=None):
    fc = len(crits) if field_count is None else field_count
    rs = 16 + 20 * len(crits) if record_size is None else record_size
    return struct.pack("<IHHBBHI", iid, type_index, fc, action, severity, reserved, rs) + b"".join(crits)


def instances_section(records, count=None, tail=b""):
    return struct.pack("<I", len(records) if count is None else count) + b"".join(records) + tail


class Pool:
    """STRINGS as pack builds it: each distinct non-empty byte string once,
    in order of first use; the empty string is (0, 0) and takes no bytes."""

    def __init__(self):
        self.data = b""
        self.refs = {}

    def ref(self, s):
        if not s:
            return (0, 0)
        if s not in self.refs:
            self.refs[s] = (len(self.data), len(s))
            self.data += s
        return self.refs[s]


class Crit:
    def __init__(self, index, op, s=b"", lo=0, hi=0, ci=False, neg=False):
        self.index, self.op, self.s, self.lo, self.hi = index, op, s, lo, hi
        self.ci, self.neg = ci, neg


class Inst:
    def __init__(self, iid, t, action, severity, crits):
        self.iid, self.t, self.action, self.severity, self.crits = iid, t, action, severity, crits


class Chan:
    """A laid-out channel file and where its parts are."""

    def __init__(self, data, sec, recs):
        self.data = bytes(data)
        self.sec = sec          # kind -> (offset, size)
        self.recs = recs        # absolute offsets of the instance records

    def types_entry(self, k):
        return self.sec[K_TYPES][0] + 4 + 8 * k

    def crit(self, i, j):
        return self.recs[i] + 16 + 20 * j

    def mutable(self):
        return bytearray(self.data)


def container(cid, cv, entries, blobs, size=None, section_count=None, major=1,
              minor=0, header_size=HEADER_SIZE, flags=0, table_offset=HEADER_SIZE,
              reserved=0, do_seal=True):
    """entries: [(kind, offset, size[, reserved])] in table order;
    blobs: [(offset, bytes)] placed over a zero-filled file."""
    n = len(entries)
    end = max([HEADER_SIZE + ENTRY_SIZE * n] + [o + len(b) for o, b in blobs])
    size = end if size is None else size
    buf = bytearray(max(size, end))
    buf[0:4] = b"CHNL"
    struct.pack_into("<HHIIIIQQII", buf, 4, major, minor, header_size, flags, cid,
                     n if section_count is None else section_count, cv, size,
                     table_offset, reserved)
    for i, e in enumerate(entries):
        struct.pack_into("<IIII", buf, HEADER_SIZE + ENTRY_SIZE * i, e[0], e[1], e[2],
                         e[3] if len(e) > 3 else 0)
    for o, b in blobs:
        buf[o:o + len(b)] = b
    del buf[size:]
    return seal(buf) if do_seal else buf


def lay_out(cid, cv, parts, file_order, table_order=None, pads=None, extra_entries=(),
            **hdr):
    """Place sections back to back after the table, in file_order, with
    pads[kind] bytes (zero unless given) before a section."""
    table_order = table_order or file_order
    pads = pads or {}
    n = len(table_order) + len(extra_entries)
    pos = HEADER_SIZE + ENTRY_SIZE * n
    sec, blobs = {}, []
    for k in file_order:
        pad = pads.get(k, b"")
        blobs.append((pos, pad))
        pos += len(pad)
        sec[k] = (pos, len(parts[k]))
        blobs.append((pos, parts[k]))
        pos += len(parts[k])
    entries = [(k,) + sec[k] for k in table_order] + list(extra_entries)
    return container(cid, cv, entries, blobs, **hdr), sec


def encode(cid, cv, insts, world, file_order=(K_TYPES, K_INSTANCES, K_STRINGS),
           table_order=(K_STRINGS, K_TYPES, K_INSTANCES), pads=None, **hdr):
    """The pack layout of decisions.md (unless another order is asked for)."""
    keys = sorted({i.t for i in insts})
    index = {k: n for n, k in enumerate(keys)}
    pool = Pool()
    recs = []
    for i in insts:
        fc = len(world[i.t])
        by = {c.index: c for c in i.crits}
        assert len(by) == len(i.crits)
        cs = []
        for j in range(fc):
            c = by.get(j)
            if c is None:
                cs.append(c_wild())
                continue
            flags = (F_CI if c.ci else 0) | (F_NEG if c.neg else 0)
            if c.op == "range":
                cs.append(c_range(c.lo, c.hi, flags))
            else:
                off, ln = pool.ref(c.s)
                cs.append(c_str(OPS[c.op], off, ln, flags))
        recs.append(record(i.iid, index[i.t], cs, ACTIONS[i.action], SEVERITIES[i.severity]))
    parts = {K_TYPES: types_section([(k[0], k[1], len(world[k])) for k in keys]),
             K_INSTANCES: instances_section(recs),
             K_STRINGS: pool.data}
    data, sec = lay_out(cid, cv, parts, list(file_order), list(table_order), pads, **hdr)
    offs, pos = [], sec[K_INSTANCES][0] + 4
    for r in recs:
        offs.append(pos)
        pos += len(r)
    return Chan(data, sec, offs)


def parse_source(text, world):
    """Read a channel source the way `pack` does (for valid sources)."""
    root = ET.fromstring(text.encode("utf-8") if isinstance(text, str) else text)
    assert root.tag == "channel" and root.get("formatVersion") == "1"
    insts = []
    for ie in root.findall("instance"):
        t = (int(ie.get("typeId")), int(ie.get("typeVersion")))
        names = [f[0] for f in world[t]]
        crits = []
        for ce in ie.findall("criterion"):
            idx = names.index(ce.get("field")) if ce.get("field") is not None else int(ce.get("index"))
            op = ce.get("op")
            if op == "range":
                c = Crit(idx, op, lo=int(ce.get("min")), hi=int(ce.get("max")))
            elif ce.get("valueHex") is not None:
                c = Crit(idx, op, bytes.fromhex(ce.get("valueHex")))
            else:
                c = Crit(idx, op, ce.get("value").encode("utf-8"))
            c.ci = ce.get("caseInsensitive") == "true"
            c.neg = ce.get("negate") == "true"
            crits.append(c)
        insts.append(Inst(int(ie.get("id")), t, ie.get("action"), ie.get("severity"), crits))
    return int(root.get("id")), int(root.get("contentVersion")), insts


def pack(text, world):
    cid, cv, insts = parse_source(text, world)
    return encode(cid, cv, insts, world)


def hx(off):
    return "0x%x" % off


# ------------------------------------------------------------ bases --

# B12: one type-12 instance with an equals, a regex and a range; STRINGS
# "cmd.exe" + "-enc" (11 bytes).  TYPES 128..140, record at 144, criterion j
# at 160+20j, STRINGS 320..331.  Used by most container mutations: type 12
# is supplied in full by both sample sensors, so it adds no CV401.
def b12_insts(iid=1):
    return [Inst(iid, PROC, "detect", "high", [
        Crit(0, "equals", b"cmd.exe", ci=True),
        Crit(1, "regex", b"-enc"),
        Crit(6, "range", lo=0, hi=2)])]


def b12(**kw):
    return encode(100, 1, b12_insts(), W, **kw)


# R12: the same with ranges only, so STRINGS is empty (at 320 = file end).
def r12_insts():
    return [Inst(1, PROC, "detect", "high", [
        Crit(3, "range", lo=4, hi=4),
        Crit(6, "range", lo=0, hi=2)])]


def r12(**kw):
    return encode(100, 1, r12_insts(), W, **kw)


def s12(crits=None, iid="1", action="detect", severity="high", extra_body=(), inst_extra=""):
    """The type-12 channel source matching B12, one element per line."""
    if crits is None:
        crits = [crit("image_path", "equals", "cmd.exe", ci=True),
                 crit("command_line", "regex", "-enc"),
                 crit("integrity_level", "range", lo=0, hi=2)]
    return channel(100, 1, inst(iid, PROC, action, severity, crits, inst_extra) + list(extra_body))


def put_bin(name, chan_or_bytes):
    data = chan_or_bytes.data if isinstance(chan_or_bytes, Chan) else chan_or_bytes
    put("invalid/" + name, data)
    return "invalid/" + name


def put_src(name, text):
    put("invalid/" + name, text)
    return "invalid/" + name


def mutate(chan, fn, reseal=True):
    b = chan.mutable()
    fn(b)
    return seal(b) if reseal else b


# --------------------------------------------------------- valid files --

def valid_pair(name, text, type7):
    """A valid source and the file pack makes of it; on the sample fleet a
    file that uses type 7 v3 gets CV401 for sensor 7.11.18110 (21 > 20)."""
    put("valid/%s.xml" % name, text)
    put("valid/%s.bin" % name, pack(text, W).data)
    for ext in ("xml", "bin"):
        row("valid/%s.%s" % (name, ext), "sample", None, 0, ["CV401"] if type7 else [], None)
        row("valid/%s.%s" % (name, ext), "healthy", None, 0, [], None)


def valid_bin(name, chan, type7):
    put("valid/%s.bin" % name, chan.data if isinstance(chan, Chan) else chan)
    row("valid/%s.bin" % name, "sample", None, 0, ["CV401"] if type7 else [], None)
    row("valid/%s.bin" % name, "healthy", None, 0, [], None)


SVCHOST = "C:\\Windows\\System32\\svchost.exe"
PIPE_RE = "^\\\\\\\\\\.\\\\pipe\\\\[a-f0-9]{8}$"   # ^\\\\\.\\pipe\\[a-f0-9]{8}$


MIXED = channel(290, 202407180000, [] +
    inst(1, IPC, "detect", "high", [
        crit("pipe_name", "regex", PIPE_RE, ci=True),
        crit("client_pid", "range", lo=4, hi=4),
        crit("server_image", "equals", SVCHOST, ci=True),
        crit("integrity_level", "range", lo=0, hi=1, neg=True)]) +
    inst(2, PROC, "log", "low", [
        crit("image_path", "equals", SVCHOST, ci=True),
        crit("command_line", "regex", "-k (netsvcs|LocalService)"),
        crit("user", "equals", ""),
        crit("token_elevation", "range", lo=2, hi=2, neg=True)]) +
    inst(10, IPC, "block", "critical", [
        crit("client_cmdline", "regex", "\\\\svchost\\.exe -k", neg=True),
        crit("client_image", "equals", "C:\\Windows\\explorer.exe"),
        crit("pipe_attributes", "equals", ""),
        crit("max_instances", "range", lo=255, hi=255),
        crit("server_image", "equals", SVCHOST)]))

PROCESS_ONLY = channel(291000, 202407190000,
    inst(1, PROC, "detect", "high", [
        crit("image_path", "regex", "\\\\(powershell|pwsh)\\.exe$", ci=True),
        crit("command_line", "regex", " -(e|enc|encodedcommand) ", ci=True),
        crit("integrity_level", "range", lo=2, hi=5)]) +
    inst(2, PROC, "block", "medium", [
        crit("image_path", "equals", "C:\\Windows\\System32\\rundll32.exe", ci=True),
        crit("parent_image", "equals", "C:\\Windows\\explorer.exe", ci=True, neg=True),
        crit("ppid", "range", lo=4, hi=4, neg=True),
        crit("token_elevation", "range", lo=1, hi=1)]))

EMPTY = channel(1, 1, [])

UTF8 = channel(3, 20240719, [] +
    inst(1, PROC, "detect", "medium", [
        crit("image_path", "equals", "C:\\Users\\J\u00fcrgen\\AppData\\Local\\Temp\\\u65e5\u672c\u8a9e.exe", ci=True),
        crit("command_line", "regex", "\u041f\u0440\u0438\u0432\u0435\u0442|\U0001f642"),
        crit("user", "equals", "EXAMPLE\\J\u00fcrgen")]) +
    inst(2, IPC, "log", "info", [
        crit("pipe_name", "equals", "\\\\.\\pipe\\donn\u00e9es-\u0434\u0430\u043d\u043d\u044b\u0435")]))

VALUEHEX = channel(4, 5, inst(1, PROC, "detect", "medium", [
    crit("image_path", "equals", hexv="433a5c746d705c01612e657865"),   # C:\tmp\<U+0001>a.exe
    crit("command_line", "equals", 'cmd /c echo a\tb & <c> "d"\n'),
    crit("parent_image", "equals", hexv="EFBFBF"),                       # U+FFFF
    crit("user", "equals", hexv="")]))

BOM_COMMENTS = channel(0, 18446744073709551615, [
    "  <!-- comments are allowed anywhere -->"] +
    inst(4294967295, PROC, "block", "info", [
        "    <!-- criteria in any order, by index or by name -->",
        crit(index=3, op="range", lo=0, hi=0, neg=True),
        crit(index=0, op="regex", value="(?i)\\\\temp\\\\[a-z0-9]{8}\\.exe$")]),
    prolog=["<!-- a channel source with a UTF-8 byte order mark -->"],
    epilog=["<!-- the end -->"], bom=True)

IPC_TWENTY = channel(292, 202407190500, inst(1, IPC, "detect", "high", [
    crit("pipe_name", "regex", "\\\\pipe\\\\mojo\\.", ci=True),
    crit("client_pid", "range", lo=1, hi=U32),
    crit("server_pid", "range", lo=4, hi=4),
    crit("client_image", "equals", "C:\\Program Files\\Example\\client.exe", ci=True),
    crit("server_image", "regex", "\\\\services\\.exe$", ci=True),
    crit("client_cmdline", "regex", "--type=renderer"),
    crit("session_id", "range", lo=1, hi=1),
    crit("integrity_level", "range", lo=2, hi=3),
    crit("access_mask", "range", lo=1179785, hi=1179785),
    crit("open_mode", "range", lo=3, hi=3),
    crit("pipe_mode", "range", lo=0, hi=0),
    crit("max_instances", "range", lo=255, hi=255),
    crit("out_buffer_size", "range", lo=0, hi=65536),
    crit("in_buffer_size", "range", lo=0, hi=65536),
    crit("default_timeout", "range", lo=50, hi=50),
    crit("client_user", "equals", "NT AUTHORITY\\SYSTEM", ci=True, neg=True),
    crit("server_user", "equals", "NT AUTHORITY\\SYSTEM"),
    crit("client_sid", "regex", "^S-1-5-21-[0-9-]{1,60}$"),
    crit("pipe_attributes", "equals", ""),
    crit("event_time", "range", lo=1700000000000, hi=1800000000000)]))


# typical file: both types, all three ops, caseInsensitive/negate, shared and empty strings
@case
def valid_mixed():
    valid_pair("mixed", MIXED, True)


# only type 12: both sample sensors supply its 8 inputs, so no finding anywhere
@case
def valid_process_only():
    valid_pair("process-only", PROCESS_ONLY, False)


# no instances: TYPES and INSTANCES hold count 0, STRINGS is empty at the end
@case
def valid_empty():
    valid_pair("empty", EMPTY, False)


# non-ASCII UTF-8 (2-, 3- and 4-byte sequences) in equals and regex strings
@case
def valid_utf8():
    valid_pair("utf8", UTF8, True)


# valueHex holding U+0001 and U+FFFF, an empty valueHex, escapes and &#9; &#10;
@case
def valid_valuehex():
    valid_pair("valuehex", VALUEHEX, False)


# byte order mark, comments everywhere, index= criteria out of order, extreme ids
@case
def valid_bom_comments():
    valid_pair("bom-comments", BOM_COMMENTS, False)


# type 7 with criteria on indices 0..19, index 20 left wildcard: safe on the sample fleet
@case
def valid_ipc_twenty():
    valid_pair("ipc-twenty-criteria", IPC_TWENTY, True)


# binary only: sections stored STRINGS, INSTANCES, TYPES with zero padding after STRINGS, table in yet another order
@case
def valid_reordered_padded():
    cid, cv, insts = parse_source(MIXED, W)
    order = dict(file_order=(K_STRINGS, K_INSTANCES, K_TYPES), table_order=(K_INSTANCES, K_STRINGS, K_TYPES))
    pad = -encode(cid, cv, insts, W, **order).sec[K_STRINGS][1] % 4
    assert 1 <= pad <= 3, pad
    c = encode(cid, cv, insts, W, pads={K_INSTANCES: bytes(pad)}, **order)
    assert c.sec[K_INSTANCES][0] % 4 == 0
    valid_bin("reordered-padded", c, True)


# binary only: references that overlap and share bytes, zero-length references at offsets 7 and at the very end
@case
def valid_shared_refs():
    s = SVCHOST.encode()
    assert s[11:31] == b"System32\\svchost.exe" and s[20:27] == b"svchost"
    recs = [record(1, 0, [c_str(1, 0, 31, F_CI), c_str(2, 20, 7), c_str(1, 11, 20),
                          c_wild(), c_wild(), c_str(1, 7, 0), c_wild(), c_wild()]),
            record(2, 0, [c_wild(), c_wild(), c_wild(), c_range(4, 4), c_wild(),
                          c_str(1, 31, 0, F_NEG), c_wild(), c_wild()], action=1, severity=0)]
    parts = {K_TYPES: types_section([(12, 1, 8)]), K_INSTANCES: instances_section(recs), K_STRINGS: s}
    data, sec = lay_out(5, 5, parts, [K_TYPES, K_INSTANCES, K_STRINGS], [K_STRINGS, K_TYPES, K_INSTANCES])
    valid_bin("shared-refs", Chan(data, sec, []), False)


# binary only: STRINGS bytes that no reference covers need not be UTF-8 (00 FF FE between the strings)
@case
def valid_unreferenced_bytes():
    recs = [record(1, 0, [c_str(1, 0, 7, F_CI), c_str(2, 10, 4), c_wild(), c_wild(),
                          c_wild(), c_wild(), c_range(0, 2), c_wild()])]
    parts = {K_TYPES: types_section([(12, 1, 8)]), K_INSTANCES: instances_section(recs),
             K_STRINGS: b"cmd.exe\x00\xff\xfe-enc"}
    data, sec = lay_out(6, 6, parts, [K_TYPES, K_INSTANCES, K_STRINGS], [K_STRINGS, K_TYPES, K_INSTANCES])
    valid_bin("unreferenced-string-bytes", Chan(data, sec, []), False)


# binary only: an empty STRINGS at offset 128, where TYPES also starts (empty sections occupy no bytes)
@case
def valid_empty_strings_first():
    c = r12()
    b = c.mutable()
    u32(b, HEADER_SIZE + 4, 128)        # STRINGS entry (first in the table): offset
    valid_bin("empty-strings-first", seal(b), False)


# binary only: an empty STRINGS at an aligned offset strictly inside INSTANCES
@case
def valid_empty_strings_inside():
    c = r12()
    b = c.mutable()
    u32(b, HEADER_SIZE + 4, c.sec[K_INSTANCES][0] + 8)
    valid_bin("empty-strings-inside", seal(b), False)


# ------------------------------------------------- invalid: container --

# cut inside the header, after a good magic: CV100 ends the checks
@case
def cv100():
    f = put_bin("CV100-truncated-header.bin", b12().data[:40])
    row(f, "sample", None, 1, ["CV100"], "0x0")
    f = put_bin("CV100-magic-only.bin", b"CHNL")
    row(f, "sample", None, 1, ["CV100"], "0x0")


# empty, all-zero, 3-byte and wrong-magic files: CV101 ends the checks
@case
def cv101():
    for name, data in [("CV101-empty.bin", b""), ("CV101-all-zero.bin", bytes(4096)),
                       ("CV101-shorter-than-4.bin", b"CHN"),
                       ("CV101-bad-magic.bin", b"CHNX" + b12().data[4:])]:
        row(put_bin(name, data), "sample", None, 1, ["CV101"], "0x0")


# format_major 2 and 0 (resealed): CV102 ends the checks
@case
def cv102():
    for v in (2, 0):
        f = put_bin("CV102-major-%d.bin" % v, mutate(b12(), lambda b: u16(b, 4, v)))
        row(f, "sample", None, 1, ["CV102"], "0x4")


# format_minor 1 (resealed): a warning only, every v1.0 rule still passes; --strict makes it an error
@case
def cv103():
    f = put_bin("CV103-minor-1.bin", mutate(b12(), lambda b: u16(b, 6, 1)))
    row(f, "sample", None, 0, ["CV103"], "0x6")
    row(f, "sample", "--strict", 1, ["CV103"], "0x6")


# header_size 96 (resealed): CV104 ends the checks
@case
def cv104():
    f = put_bin("CV104-header-size-96.bin", mutate(b12(), lambda b: u32(b, 8, 96)))
    row(f, "sample", None, 1, ["CV104"], "0x8")


# one reserved field non-zero at a time (resealed): CV105 at that field, nothing else
@case
def cv105():
    c = b12()
    cases = [("header-flags", 12, 1), ("header-reserved", 44, 1),
             ("section-entry-reserved", HEADER_SIZE + 12, 1),
             ("instance-reserved", c.recs[0] + 10, 1),
             ("criterion-reserved", c.crit(0, 0) + 2, 1),
             ("wildcard-payload", c.crit(0, 2) + 4, 1),
             ("equals-payload-reserved", c.crit(0, 0) + 12, 1)]
    for name, off, v in cases:
        f = put_bin("CV105-%s.bin" % name, mutate(c, lambda b: b.__setitem__(off, v)))
        row(f, "sample", None, 1, ["CV105"], hx(off))


# file_size says 331: cut after TYPES (INSTANCES, STRINGS now past the end: CV109), or 4 bytes appended (nothing else)
@case
def cv106():
    c = b12()
    cut = c.sec[K_INSTANCES][0]
    f = put_bin("CV106-truncated-after-header.bin", c.data[:cut])
    row(f, "sample", None, 1, ["CV106", "CV109"], "0x20")
    f = put_bin("CV106-appended.bin", c.data + bytes(4))
    row(f, "sample", None, 1, ["CV106"], "0x20")


# digest altered, or content altered without resealing: CV107 at the digest, nothing else
@case
def cv107():
    c = b12()
    f = put_bin("CV107-digest-flipped.bin", mutate(c, lambda b: b.__setitem__(48, b[48] ^ 0x01), reseal=False))
    row(f, "sample", None, 1, ["CV107"], "0x30")
    f = put_bin("CV107-content-changed.bin", mutate(c, lambda b: u32(b, 16, 291), reseal=False))
    row(f, "sample", None, 1, ["CV107"], "0x30")


# section_count 0 / 17, table offset 96, a table running past the end, --max-sections 2: CV108 ends the checks
@case
def cv108():
    c = b12()
    f = put_bin("CV108-section-count-0.bin", mutate(c, lambda b: u32(b, 20, 0)))
    row(f, "sample", None, 1, ["CV108"], "0x14")
    f = put_bin("CV108-section-count-17.bin", mutate(c, lambda b: u32(b, 20, 17)))
    row(f, "sample", None, 1, ["CV108"], "0x14")
    f = put_bin("CV108-table-offset-96.bin", mutate(c, lambda b: u32(b, 40, 96)))
    row(f, "sample", None, 1, ["CV108"], "0x28")
    short = container(100, 1, [(K_STRINGS, 128, 0), (K_TYPES, 128, 12)], [], size=112, section_count=3)
    f = put_bin("CV108-table-outside-file.bin", short)
    row(f, "sample", None, 1, ["CV108"], "0x28")
    f = put_bin("CV108-max-sections-option.bin", c)
    row(f, "sample", "--max-sections 2", 1, ["CV108"], "0x14")


# an (empty) STRINGS misaligned, past the end, or overflowing u32 in a strings-free file: CV109 only
@case
def cv109():
    c = r12()
    size = len(c.data)
    entry = HEADER_SIZE          # STRINGS is the first table entry
    for name, off, sz in [("misaligned", 130, 0), ("past-end", size + 4, 0),
                          ("overflow", 0xFFFFFFFC, 8)]:
        f = put_bin("CV109-strings-%s.bin" % name,
                    mutate(c, lambda b: (u32(b, entry + 4, off), u32(b, entry + 8, sz))))
        row(f, "sample", None, 1, ["CV109"], hx(entry + 4))


# a non-empty STRINGS inside TYPES, or over the last 4 header bytes, nothing referencing it: CV110 only
@case
def cv110():
    insts = r12_insts()
    c = encode(100, 1, insts, W, table_order=(K_TYPES, K_INSTANCES, K_STRINGS))
    types_off = c.sec[K_TYPES][0]
    entry = HEADER_SIZE + 2 * ENTRY_SIZE
    f = put_bin("CV110-strings-inside-types.bin",
                mutate(c, lambda b: (u32(b, entry + 4, types_off + 4), u32(b, entry + 8, 4))))
    row(f, "sample", None, 1, ["CV110"], hx(entry + 4))
    c = r12()
    f = put_bin("CV110-strings-over-header.bin",
                mutate(c, lambda b: (u32(b, HEADER_SIZE + 4, 76), u32(b, HEADER_SIZE + 8, 4))))
    row(f, "sample", None, 1, ["CV110"], hx(HEADER_SIZE + 4))


# 4 trailing zero bytes (file_size updated), a non-zero padding byte, a 4-byte gap: CV111 at the first stray byte
@case
def cv111():
    c = b12()
    b = bytearray(c.data + bytes(4))
    u64(b, 32, len(b))
    f = put_bin("CV111-trailing-bytes.bin", seal(b))
    row(f, "sample", None, 1, ["CV111"], hx(len(c.data)))
    c = encode(100, 1, b12_insts(), W, file_order=(K_TYPES, K_STRINGS, K_INSTANCES),
               pads={K_INSTANCES: b"\xaa"})
    assert c.sec[K_STRINGS][0] + c.sec[K_STRINGS][1] + 1 == c.sec[K_INSTANCES][0]
    f = put_bin("CV111-nonzero-padding.bin", c)
    row(f, "sample", None, 1, ["CV111"], hx(c.sec[K_INSTANCES][0] - 1))
    c = encode(100, 1, b12_insts(), W, pads={K_INSTANCES: bytes(4)})
    f = put_bin("CV111-gap-of-4.bin", c)
    row(f, "sample", None, 1, ["CV111"], hx(c.sec[K_INSTANCES][0] - 4))


# a fourth, empty section of kind 4: CV112 at its kind field
@case
def cv112():
    c = encode(100, 1, b12_insts(), W, extra_entries=[(4, 144, 0)])
    assert c.sec[K_TYPES][0] == 144
    f = put_bin("CV112-unknown-kind.bin", c)
    row(f, "sample", None, 1, ["CV112"], hx(HEADER_SIZE + 3 * ENTRY_SIZE))


# no STRINGS entry, or two empty STRINGS entries, in a strings-free file: CV113 only
@case
def cv113():
    cid, cv, insts = 100, 1, r12_insts()
    c = encode(cid, cv, insts, W, file_order=(K_TYPES, K_INSTANCES), table_order=(K_TYPES, K_INSTANCES))
    f = put_bin("CV113-strings-missing.bin", c)
    row(f, "sample", None, 1, ["CV113"], hx(HEADER_SIZE))
    end = len(encode(cid, cv, insts, W).data) + ENTRY_SIZE   # one more table entry
    c = encode(cid, cv, insts, W, extra_entries=[(K_STRINGS, end, 0)])
    assert len(c.data) == end
    f = put_bin("CV113-strings-twice.bin", c)
    row(f, "sample", None, 1, ["CV113"], hx(HEADER_SIZE + 3 * ENTRY_SIZE))


# an equals reference ending past STRINGS, or with an offset that overflows u32: CV114 at its str_offset
@case
def cv114():
    c = b12()
    at0 = c.crit(0, 0) + 4
    f = put_bin("CV114-string-past-end.bin", mutate(c, lambda b: u32(b, at0, 5)))
    row(f, "sample", None, 1, ["CV114"], hx(at0))
    f = put_bin("CV114-offset-overflow.bin", mutate(c, lambda b: (u32(b, at0, 0xFFFFFFFF), u32(b, at0 + 4, 2))))
    row(f, "sample", None, 1, ["CV114"], hx(at0))


# ill-formed UTF-8 or a NUL inside a referenced string: CV115 at the reference
@case
def cv115():
    for name, bad in [("overlong", b"\xc0\xaf"), ("nul", b"\x00"), ("surrogate", b"\xed\xa0\x80"),
                      ("above-10ffff", b"\xf4\x90\x80\x80"), ("truncated-sequence", b"\xe2\x82"),
                      ("lone-continuation", b"\x80")]:
        insts = b12_insts()
        insts[0].crits[0].s = b"cmd" + bad + b".exe"
        c = encode(100, 1, insts, W)
        f = put_bin("CV115-%s.bin" % name, c)
        row(f, "sample", None, 1, ["CV115"], hx(c.crit(0, 0) + 4))


# TYPES count 1 but 16 bytes long (the one entry is still readable): CV116 at the count
@case
def cv116():
    recs = [record(1, 0, [c_wild(), c_wild(), c_wild(), c_range(4, 4), c_wild(), c_wild(),
                          c_range(0, 2), c_wild()])]
    parts = {K_TYPES: types_section([(12, 1, 8)], tail=bytes(4)),
             K_INSTANCES: instances_section(recs), K_STRINGS: b""}
    data, sec = lay_out(100, 1, parts, [K_TYPES, K_INSTANCES, K_STRINGS], [K_STRINGS, K_TYPES, K_INSTANCES])
    f = put_bin("CV116-types-size.bin", data)
    row(f, "sample", None, 1, ["CV116"], hx(sec[K_TYPES][0]))


# record_size 180 for field_count 8; count 2 with one record; 4 bytes left after the last record: CV117 only
@case
def cv117():
    c = b12()
    f = put_bin("CV117-record-size.bin", mutate(c, lambda b: u32(b, c.recs[0] + 12, 180)))
    row(f, "sample", None, 1, ["CV117"], hx(c.recs[0] + 12))
    f = put_bin("CV117-count-too-high.bin", mutate(c, lambda b: u32(b, c.sec[K_INSTANCES][0], 2)))
    row(f, "sample", None, 1, ["CV117"], hx(c.sec[K_INSTANCES][0]))
    recs = [record(1, 0, [c_wild(), c_wild(), c_wild(), c_range(4, 4), c_wild(), c_wild(),
                          c_range(0, 2), c_wild()])]
    parts = {K_TYPES: types_section([(12, 1, 8)]),
             K_INSTANCES: instances_section(recs, tail=bytes(4)), K_STRINGS: b""}
    data, sec = lay_out(100, 1, parts, [K_TYPES, K_INSTANCES, K_STRINGS], [K_STRINGS, K_TYPES, K_INSTANCES])
    f = put_bin("CV117-leftover-bytes.bin", data)
    row(f, "sample", None, 1, ["CV117"], hx(sec[K_INSTANCES][0]))


# type_index 1 with a single TYPES entry: CV118; the instance's type is then unknown, so nothing else
@case
def cv118():
    c = b12()
    f = put_bin("CV118-type-index.bin", mutate(c, lambda b: u16(b, c.recs[0] + 4, 1)))
    row(f, "sample", None, 1, ["CV118"], hx(c.recs[0] + 4))


# instance id 0, or the same id twice (binary and source): CV119
@case
def cv119():
    c = b12()
    f = put_bin("CV119-instance-id-zero.bin", mutate(c, lambda b: u32(b, c.recs[0], 0)))
    row(f, "sample", None, 1, ["CV119"], hx(c.recs[0]))
    c = encode(100, 1, b12_insts(1) + b12_insts(1), W)
    f = put_bin("CV119-duplicate-id.bin", c)
    row(f, "sample", None, 1, ["CV119"], hx(c.recs[1]))
    t = s12(iid="0")
    f = put_src("CV119-instance-id-zero.xml", t)
    row(f, "sample", None, 1, ["CV119"], attr_at(t, ' id="0"'))
    body = inst(7, PROC, crits=[crit("pid", "range", lo=4, hi=4)])
    t = channel(100, 1, body + body)
    f = put_src("CV119-duplicate-id.xml", t)
    row(f, "sample", None, 1, ["CV119"], at(t, 'id="7"', nth=2))


# limits lowered on the command line, and a 4097-byte regex over the 4096 default: CV120
@case
def cv120():
    three = [Inst(n, PROC, "detect", "high", [Crit(3, "range", lo=n, hi=n)]) for n in (1, 2, 3)]
    c = encode(100, 1, three, W)
    f = put_bin("CV120-max-instances-option.bin", c)
    row(f, "sample", "--max-instances 2", 1, ["CV120"], hx(c.sec[K_INSTANCES][0]))
    t = channel(100, 1, sum([inst(n, PROC, crits=[crit("pid", "range", lo=n, hi=n)]) for n in (1, 2, 3)], []))
    f = put_src("CV120-max-instances-option.xml", t)
    row(f, "sample", "--max-instances 2", 1, ["CV120"], at(t, '<instance id="3"'))
    c = b12()
    assert len(c.data) > 256
    f = put_bin("CV120-max-bytes-option.bin", c)
    row(f, "sample", "--max-bytes 256", 1, ["CV120"], "0x0")
    f = put_bin("CV120-max-string-bytes-option.bin", c)
    row(f, "sample", "--max-string-bytes 4", 1, ["CV120"], hx(c.crit(0, 0) + 4))
    f = put_bin("CV120-max-regex-bytes-option.bin", c)
    row(f, "sample", "--max-regex-bytes 3", 1, ["CV120"], hx(c.crit(0, 1) + 4))
    # no fleet (CV409), so no sensor's maxRegexLength (CV403) is involved
    long_re = "x" * 4097
    t = s12([crit("command_line", "regex", long_re)])
    f = put_src("CV120-regex-over-4096.xml", t)
    row(f, "types", None, 1, ["CV120", "CV409"], attr_at(t, ' value="x'))
    c = pack(t, W)
    f = put_bin("CV120-regex-over-4096.bin", c)
    row(f, "types", None, 1, ["CV120", "CV409"], hx(c.crit(0, 1) + 4))
    # The limits also apply to the world documents (depth 3, at most
    # 2201 bytes), so the options leave room for them and not for the file.
    t = s12()
    i = t.index("/>", t.index("<criterion"))
    t = t[:i] + "><note/></criterion>" + t[i + 2:]
    f = put_src("CV120-max-xml-depth-option.xml", t)
    row(f, "sample", "--max-xml-depth 3", 1, ["CV120"], at(t, "<note"))
    t = channel(100, 1, sum([inst(n, PROC, crits=[crit("pid", "range", lo=n, hi=n)])
                             for n in range(1, 40)], []))
    assert len(t.encode()) > 3000
    f = put_src("CV120-max-xml-bytes-option.xml", t)
    row(f, "sample", "--max-xml-bytes 3000", 1, ["CV120"], "1:1")
    # the instance has 5 attributes, with a '>' in a value and quotes in a
    # comment before it; the types have at most 4 (the fleet's sensor has 5)
    t = s12([crit("image_path", "equals", "a>'b'")]).replace(
        "  <instance", '  <!-- " \' " -->\n  <instance')
    f = put_src("CV120-max-xml-attributes-option.xml", t)
    row(f, "types", "--max-xml-attributes 4", 1, ["CV120"], at(t, "<instance"))


# ---------------------------------------------------- invalid: XML --

# not UTF-8 (declared ISO-8859-1 or UTF-16), a mismatched end tag, a byte that is not UTF-8: CV200
@case
def cv200():
    val = "C:\\Users\\J\u00fcrgen\\a.exe"
    t = s12([crit("image_path", "equals", val)]).replace("UTF-8", "ISO-8859-1")
    f = put_bin("CV200-iso-8859-1.xml", t.encode("iso-8859-1"))
    row(f, "sample", None, 1, ["CV200"], None)
    t = s12().replace("UTF-8", "UTF-16")
    f = put_bin("CV200-utf16le.xml", t.encode("utf-16-le"))
    row(f, "sample", None, 1, ["CV200"], None)
    t = s12().replace("  </instance>", "  </criterion>")
    f = put_src("CV200-mismatched-tag.xml", t)
    row(f, "sample", None, 1, ["CV200"], None)
    t = s12([crit("image_path", "equals", "cmd@.exe")]).encode().replace(b"@", b"\xff")
    f = put_bin("CV200-invalid-utf8.xml", t)
    row(f, "sample", None, 1, ["CV200"], None)
    # libxml2 takes a NUL for the end of the document: what follows would go unread
    t = s12() + "\0<garbage/>\n"
    f = put_src("CV200-nul-after-root.xml", t)
    row(f, "sample", None, 1, ["CV200"], at(t, "\0"))


LAUGHS = ['<!DOCTYPE channel [', '  <!ENTITY lol0 "lol">'] + [
    '  <!ENTITY lol%d "%s">' % (n, ("&lol%d;" % (n - 1)) * 10) for n in range(1, 10)] + [']>']


# a DOCTYPE of any kind (billion laughs, XXE, external DTD; also in a -t document): CV201 before anything else
@case
def cv201():
    t = channel(100, 1, inst(1, PROC, crits=[crit("pid", "range", lo=4, hi=4), "    &lol9;"]),
                prolog=LAUGHS)
    f = put_src("CV201-billion-laughs.xml", t)
    row(f, "sample", None, 1, ["CV201"], at(t, "<!DOCTYPE"))
    xxe = ['<!DOCTYPE channel [', '  <!ENTITY xxe SYSTEM "file:///etc/passwd">', ']>']
    t = channel(100, 1, inst(1, PROC, crits=[crit("pid", "range", lo=4, hi=4), "    &xxe;"]),
                prolog=xxe)
    f = put_src("CV201-xxe.xml", t)
    row(f, "sample", None, 1, ["CV201"], at(t, "<!DOCTYPE"))
    t = channel(100, 1, inst(1, PROC, crits=[crit("pid", "range", lo=4, hi=4)]),
                prolog=['<!DOCTYPE channel SYSTEM "https://example.invalid/channel.dtd">'])
    f = put_src("CV201-external-dtd.xml", t)
    row(f, "sample", None, 1, ["CV201"], at(t, "<!DOCTYPE"))
    t = types_doc([(5, 1, "FileWrite", [("path", "string", 1024)])]).replace(
        DECL + "\n", DECL + '\n<!DOCTYPE templateTypes [\n  <!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>\n')
    f = put_src("CV201-xxe-types.xml", t)
    row(f, "as-types", None, 1, ["CV201"], at(t, "<!DOCTYPE"))


def small_types(fields2=None, name="FileWrite", tid=5):
    fields = [("path", "string", 1024), fields2 or ("size", "integer", 0, 9223372036854775807)]
    return types_doc([(tid, 1, name, fields)])


def small_fleet(sensors=None):
    return fleet_doc(sensors or [("7.11.18110", LIM_7_11, [(7, 3, 21), (12, 1, 8)])])


# schema violations in sources (unknown/missing element or attribute, bad syntax, stray text, PI), types and fleets: CV202
@case
def cv202():
    def src(name, t, where):
        row(put_src("CV202-%s.xml" % name, t), "sample", None, 1, ["CV202"], where)

    t = s12(extra_body=["  <note/>"])
    src("unknown-element", t, at(t, "<note/>"))
    t = s12(inst_extra=' priority="1"')
    src("unknown-attribute", t, attr_at(t, ' priority="1"'))
    t = channel(100, 1, ['  <instance id="1" typeId="12" typeVersion="1" action="detect">',
                         crit("pid", "range", lo=4, hi=4), "  </instance>"])
    src("missing-attribute", t, at(t, "<instance"))
    t = s12().replace('id="100"', 'id="0100"')
    src("integer-leading-zero", t, attr_at(t, ' id="0100"'))
    t = s12([crit("pid", "range", lo="+4", hi=4)])
    src("integer-plus-sign", t, attr_at(t, ' min="+4"'))
    t = s12([crit("pid", "range", lo="-0", hi=4)])
    src("integer-minus-zero", t, attr_at(t, ' min="-0"'))
    t = s12([crit("pid", "range", lo=" 4", hi=4)])
    src("integer-whitespace", t, attr_at(t, ' min=" 4"'))
    t = s12().replace('contentVersion="1"', 'contentVersion="18446744073709551616"')
    src("u64-overflow", t, attr_at(t, ' contentVersion="18446744073709551616"'))
    t = s12([crit("pid", "range", lo=0, hi="9223372036854775808")])
    src("i64-overflow", t, attr_at(t, ' max="9223372036854775808"'))
    t = s12([crit("image_path", "equals", "cmd.exe", extra='caseInsensitive="yes"')])
    src("bad-boolean", t, attr_at(t, ' caseInsensitive="yes"'))
    t = s12([crit("pid", "range", lo=4, hi=4), "    stray words"])
    src("stray-text", t, at(t, "stray words"))
    t = channel(100, 1, inst(1, PROC, crits=[crit("pid", "range", lo=4, hi=4)]),
                prolog=["<?chanval option?>"])
    src("processing-instruction", t, at(t, "<?chanval"))
    t = s12([crit("pid", "range", lo=4, hi=4, index=3)])
    src("field-and-index", t, at(t, "<criterion"))
    t = s12([crit(None, "range", lo=4, hi=4)])
    src("neither-field-nor-index", t, at(t, "<criterion"))
    t = s12([crit("pid", "range", value="4", lo=4, hi=4)])
    src("value-on-range", t, attr_at(t, ' value="4"'))
    t = s12([crit("image_path", "equals", "cmd.exe", lo=1)])
    src("min-on-equals", t, attr_at(t, ' min="1"'))
    t = s12([crit("image_path", "equals")])
    src("missing-value", t, at(t, "<criterion"))
    t = s12([crit("pid", "range", lo=1)])
    src("range-missing-max", t, at(t, "<criterion"))
    t = s12([crit("image_path", "equals", "cmd.exe", hexv="636d642e657865")])
    src("value-and-valuehex", t, at(t, "<criterion"))
    t = s12([crit("image_path", "equals", hexv="636")])
    src("valuehex-odd-digits", t, attr_at(t, ' valueHex="636"'))
    t = s12([crit("image_path", "equals", hexv="6g")])
    src("valuehex-not-hex", t, attr_at(t, ' valueHex="6g"'))
    t = s12([crit("image_path", "equals", hexv="610062")])
    src("valuehex-nul", t, attr_at(t, ' valueHex="610062"'))
    t = s12([crit("image_path", "equals", hexv="c0af")])
    src("valuehex-not-utf8", t, attr_at(t, ' valueHex="c0af"'))
    t = s12([crit("image-path", "equals", "cmd.exe")])
    src("field-name-syntax", t, attr_at(t, ' field="image-path"'))
    t = s12([crit(None, "range", index="03", lo=4, hi=4)])
    src("index-leading-zero", t, attr_at(t, ' index="03"'))

    def types_case(name, t, where):
        row(put_src("CV202-types-%s.xml" % name, t), "as-types", None, 1, ["CV202"], where)

    t = small_types('    <field name="size" kind="float" min="0" max="1"/>')
    types_case("unknown-kind", t, attr_at(t, ' kind="float"'))
    t = small_types('    <field name="name" kind="string"/>')
    types_case("missing-max-length", t, at(t, '<field name="name"'))
    t = small_types('    <field name="size" kind="integer" min="0" max="10" maxLength="8"/>')
    types_case("max-length-on-integer", t, attr_at(t, ' maxLength="8"'))
    t = small_types(("1st_name", "string", 64))
    types_case("field-name-syntax", t, attr_at(t, ' name="1st_name"'))
    t = small_types(tid=0)
    types_case("id-zero", t, attr_at(t, ' id="0"'))
    t = small_types('    <field name="size" kind="integer" min="0" max="10" unit="bytes"/>')
    types_case("unknown-attribute", t, attr_at(t, ' unit="bytes"'))

    def fleet_case(name, t, where):
        row(put_src("CV202-fleet-%s.xml" % name, t), "as-fleet", None, 1, ["CV202"], where)

    t = small_fleet([("7.11.18110", (16777216, 0, 1024, 100000), [(7, 3, 21), (12, 1, 8)])])
    fleet_case("limit-zero", t, attr_at(t, ' maxInstances="0"'))
    t = small_fleet([("7", LIM_7_11, [(7, 3, 21), (12, 1, 8)])])
    fleet_case("version-syntax", t, attr_at(t, ' version="7"'))
    t = small_fleet([("7.11.18110", LIM_7_11, [(7, 3, 21), '    <supports typeId="12" typeVersion="1"/>'])])
    fleet_case("missing-inputs", t, at(t, '<supports typeId="12"'))
    t = small_fleet([("7.11.18110", LIM_7_11, [(7, 3, 21), (12, 1, 65536)])])
    fleet_case("inputs-over-u16", t, attr_at(t, ' inputs="65536"'))


# wrong root for the role, formatVersion other than exactly 1, or missing: CV203
@case
def cv203():
    t = s12().replace("<channel ", "<channels ").replace("</channel>", "</channels>")
    row(put_src("CV203-unknown-root.xml", t), "sample", None, 1, ["CV203"], at(t, "<channels"))
    t = s12().replace('formatVersion="1"', 'formatVersion="2"')
    row(put_src("CV203-format-version-2.xml", t), "sample", None, 1, ["CV203"],
        attr_at(t, ' formatVersion="2"'))
    t = s12().replace('formatVersion="1"', 'formatVersion="1.0"')
    row(put_src("CV203-format-version-1.0.xml", t), "sample", None, 1, ["CV203"],
        attr_at(t, ' formatVersion="1.0"'))
    t = s12().replace(' formatVersion="1"', "")
    row(put_src("CV203-missing-format-version.xml", t), "sample", None, 1, ["CV203"], at(t, "<channel"))
    t = small_fleet()
    row(put_src("CV203-fleet-as-types.xml", t), "as-types", None, 1, ["CV203"], at(t, "<fleet"))
    t = small_types()
    row(put_src("CV203-types-as-fleet.xml", t), "as-fleet", None, 1, ["CV203"], at(t, "<templateTypes"))


# (id, version) 5/1 defined twice in one -t document: CV210 at the second templateType
@case
def cv210():
    f1 = [("path", "string", 1024)]
    t = types_doc([(5, 1, "FileWrite", f1), (5, 2, "FileWrite", f1), (5, 1, "FileWriteAgain", f1)])
    row(put_src("CV210-duplicate-type.xml", t), "as-types", None, 1, ["CV210"],
        at(t, '<templateType id="5" version="1"', nth=2))


# field name "path" twice in one type: CV211 at the second one's name attribute
@case
def cv211():
    t = types_doc([(5, 1, "FileWrite", [("path", "string", 1024), ("size", "integer", 0, 10),
                                        ("path", "string", 260)])])
    row(put_src("CV211-duplicate-field.xml", t), "as-types", None, 1, ["CV211"],
        at(t, 'name="path"', nth=2))


# maxLength 70000 or 0 (well-formed u64, outside 1..65535), integer min > max: CV212
@case
def cv212():
    t = small_types(("name", "string", 70000))
    row(put_src("CV212-max-length-70000.xml", t), "as-types", None, 1, ["CV212"], attr_at(t, ' maxLength="70000"'))
    t = small_types(("name", "string", 0))
    row(put_src("CV212-max-length-0.xml", t), "as-types", None, 1, ["CV212"], attr_at(t, ' maxLength="0"'))
    t = small_types(("size", "integer", 10, -10))
    row(put_src("CV212-min-greater-than-max.xml", t), "as-types", None, 1, ["CV212"], at(t, '<field name="size"'))


# a type with no field, one with 65, and 3 fields against --max-fields 2: CV213 at the templateType
@case
def cv213():
    t = types_doc([(5, 1, "Nothing", [])])
    row(put_src("CV213-no-fields.xml", t), "as-types", None, 1, ["CV213"], at(t, "<templateType "))
    t = types_doc([(5, 1, "Wide", [("f%d" % n, "integer", 0, 1) for n in range(65)])])
    row(put_src("CV213-65-fields.xml", t), "as-types", None, 1, ["CV213"], at(t, "<templateType "))
    t = types_doc([(5, 1, "Narrow", [("a", "integer", 0, 1), ("b", "integer", 0, 1), ("c", "integer", 0, 1)])])
    row(put_src("CV213-max-fields-option.xml", t), "as-types", "--max-fields 2", 1, ["CV213"], at(t, "<templateType "))


# sensor version 7.11.18110 listed twice: CV220 at the second version attribute
@case
def cv220():
    t = small_fleet([("7.11.18110", LIM_7_11, [(7, 3, 21)]), ("7.10.17706", LIM_7_10, [(7, 3, 21)]),
                     ("7.11.18110", LIM_7_11, [(12, 1, 8)])])
    row(put_src("CV220-duplicate-sensor.xml", t), "as-fleet", None, 1, ["CV220"],
        at(t, 'version="7.11.18110"', nth=2))


# supports names type 99 v1, which world/types.xml does not define: CV221 at the supports element
@case
def cv221():
    t = small_fleet([("7.11.18110", LIM_7_11, [(7, 3, 21), (99, 1, 3)])])
    row(put_src("CV221-unknown-type.xml", t), "as-fleet", None, 1, ["CV221"], at(t, '<supports typeId="99"'))


# one sensor lists 12/1 twice: CV222 at the second supports element
@case
def cv222():
    t = small_fleet([("7.11.18110", LIM_7_11, [(12, 1, 8), (7, 3, 21), (12, 1, 8)])])
    row(put_src("CV222-duplicate-supports.xml", t), "as-fleet", None, 1, ["CV222"],
        at(t, '<supports typeId="12"', nth=2))


# a field name type 12 lacks, and index 8 = its field count: CV230 at the attribute
@case
def cv230():
    t = s12([crit("pipe_name", "equals", "x")])
    row(put_src("CV230-unknown-field.xml", t), "sample", None, 1, ["CV230"], attr_at(t, ' field="pipe_name"'))
    t = s12([crit(index=8, op="range", lo=0, hi=1)])
    row(put_src("CV230-index-out-of-range.xml", t), "sample", None, 1, ["CV230"], attr_at(t, ' index="8"'))


# image_path given twice, and pid by name then by index 3: CV231 at the second criterion's field/index
@case
def cv231():
    t = s12([crit("image_path", "equals", "cmd.exe"), crit("pid", "range", lo=4, hi=4),
             crit("image_path", "regex", "cmd")])
    row(put_src("CV231-duplicate-criterion.xml", t), "sample", None, 1, ["CV231"],
        at(t, 'field="image_path"', nth=2))
    t = s12([crit("pid", "range", lo=4, hi=4), crit(index=3, op="range", lo=5, hi=5)])
    row(put_src("CV231-field-and-index-same.xml", t), "sample", None, 1, ["CV231"], attr_at(t, ' index="3"'))


# ------------------------------------------ invalid: instance semantics --

# type 99 v1 is not defined; checked without a fleet (CV409) so that no fleet rule is in question
@case
def cv300():
    recs = [record(1, 0, [c_range(1, 1), c_wild()])]
    parts = {K_TYPES: types_section([(99, 1, 2)]), K_INSTANCES: instances_section(recs), K_STRINGS: b""}
    data, sec = lay_out(100, 1, parts, [K_TYPES, K_INSTANCES, K_STRINGS], [K_STRINGS, K_TYPES, K_INSTANCES])
    f = put_bin("CV300-unknown-type.bin", data)
    row(f, "types", None, 1, ["CV300", "CV409"], hx(sec[K_TYPES][0] + 4))
    t = channel(100, 1, inst(1, (99, 1), crits=[crit(index=0, op="range", lo=1, hi=1)]))
    f = put_src("CV300-unknown-type.xml", t)
    row(f, "types", None, 1, ["CV300", "CV409"], at(t, "<instance"))


# TYPES says 9 fields for 12/1 (defined with 8; the record agrees with TYPES), or the record says 7: CV301
@case
def cv301():
    cs = [c_str(1, 0, 7, F_CI), c_str(2, 7, 4), c_wild(), c_wild(), c_wild(), c_wild(), c_range(0, 2), c_wild()]
    for name, tfc, rcs, where in [("types-entry", 9, cs + [c_wild()], "t"), ("instance", 8, cs[:7], "r")]:
        parts = {K_TYPES: types_section([(12, 1, tfc)]), K_INSTANCES: instances_section([record(1, 0, rcs)]),
                 K_STRINGS: b"cmd.exe-enc"}
        data, sec = lay_out(100, 1, parts, [K_TYPES, K_INSTANCES, K_STRINGS], [K_STRINGS, K_TYPES, K_INSTANCES])
        off = sec[K_TYPES][0] + 4 + 6 if where == "t" else sec[K_INSTANCES][0] + 4 + 6
        f = put_bin("CV301-field-count-%s.bin" % name, data)
        row(f, "sample", None, 1, ["CV301"], hx(off))


# op 4 on the wildcard of index 2 (binary), op "contains" (source): CV302
@case
def cv302():
    c = b12()
    f = put_bin("CV302-unknown-op.bin", mutate(c, lambda b: b.__setitem__(c.crit(0, 2), 4)))
    row(f, "sample", None, 1, ["CV302"], hx(c.crit(0, 2)))
    t = s12([crit("image_path", "contains", "cmd.exe")])
    row(put_src("CV302-unknown-op.xml", t), "sample", None, 1, ["CV302"], attr_at(t, ' op="contains"'))


# equals on the integer field pid, range on the string field image_path: CV303 at the op
@case
def cv303():
    t = s12([crit("image_path", "equals", "cmd.exe", ci=True), crit("pid", "equals", "4")])
    row(put_src("CV303-equals-on-integer.xml", t), "sample", None, 1, ["CV303"],
        attr_at(t, ' op="equals" value="4"'))
    c = pack(t, W)
    row(put_bin("CV303-equals-on-integer.bin", c), "sample", None, 1, ["CV303"], hx(c.crit(0, 3)))
    t = s12([crit("image_path", "range", lo=0, hi=10)])
    row(put_src("CV303-range-on-string.xml", t), "sample", None, 1, ["CV303"], attr_at(t, ' op="range"'))
    c = pack(t, W)
    row(put_bin("CV303-range-on-string.bin", c), "sample", None, 1, ["CV303"], hx(c.crit(0, 0)))


# undefined flag bit 2, negate on a wildcard, caseInsensitive on a range: CV304 at the flags
@case
def cv304():
    c = b12()
    f = put_bin("CV304-undefined-flag.bin", mutate(c, lambda b: b.__setitem__(c.crit(0, 0) + 1, F_CI | 4)))
    row(f, "sample", None, 1, ["CV304"], hx(c.crit(0, 0) + 1))
    f = put_bin("CV304-flag-on-wildcard.bin", mutate(c, lambda b: b.__setitem__(c.crit(0, 2) + 1, F_NEG)))
    row(f, "sample", None, 1, ["CV304"], hx(c.crit(0, 2) + 1))
    f = put_bin("CV304-case-insensitive-range.bin", mutate(c, lambda b: b.__setitem__(c.crit(0, 6) + 1, F_CI)))
    row(f, "sample", None, 1, ["CV304"], hx(c.crit(0, 6) + 1))
    t = s12([crit("integrity_level", "range", lo=0, hi=2, ci=True)])
    row(put_src("CV304-case-insensitive-range.xml", t), "sample", None, 1, ["CV304"],
        attr_at(t, ' caseInsensitive="true"'))


# pid range 10..5 (inside pid's own bounds, so not also "disjoint"): CV305
@case
def cv305():
    t = s12([crit("image_path", "equals", "cmd.exe"), crit("pid", "range", lo=10, hi=5)])
    row(put_src("CV305-empty-range.xml", t), "sample", None, 1, ["CV305"], at(t, '<criterion field="pid"'))
    c = pack(t, W)
    row(put_bin("CV305-empty-range.bin", c), "sample", None, 1, ["CV305"], hx(c.crit(0, 3) + 4))


# equals of 257 bytes on user (maxLength 256); range 6..9 on integrity_level (0..5); negated 0..5 covers it: CV306 (warning)
@case
def cv306():
    t = s12([crit("user", "equals", "U" * 257)])
    row(put_src("CV306-equals-too-long.xml", t), "sample", None, 0, ["CV306"], attr_at(t, ' value="UUU'))
    c = pack(t, W)
    row(put_bin("CV306-equals-too-long.bin", c), "sample", None, 0, ["CV306"], hx(c.crit(0, 5) + 4))
    t = s12([crit("integrity_level", "range", lo=6, hi=9)])
    row(put_src("CV306-range-outside-field.xml", t), "sample", None, 0, ["CV306"], at(t, "<criterion"))
    c = pack(t, W)
    row(put_bin("CV306-range-outside-field.bin", c), "sample", None, 0, ["CV306"], hx(c.crit(0, 6) + 4))
    t = s12([crit("image_path", "equals", "cmd.exe"), crit("integrity_level", "range", lo=0, hi=5, neg=True)])
    row(put_src("CV306-negated-range-covers.xml", t), "sample", None, 0, ["CV306"],
        at(t, '<criterion field="integrity_level"'))
    c = pack(t, W)
    row(put_bin("CV306-negated-range-covers.bin", c), "sample", None, 0, ["CV306"], hx(c.crit(0, 6) + 4))


# action 0 / severity 5 (binary), action "alert" / severity "urgent" (source): CV307
@case
def cv307():
    c = b12()
    row(put_bin("CV307-action-0.bin", mutate(c, lambda b: b.__setitem__(c.recs[0] + 8, 0))),
        "sample", None, 1, ["CV307"], hx(c.recs[0] + 8))
    row(put_bin("CV307-action-4.bin", mutate(c, lambda b: b.__setitem__(c.recs[0] + 8, 4))),
        "sample", None, 1, ["CV307"], hx(c.recs[0] + 8))
    row(put_bin("CV307-severity-5.bin", mutate(c, lambda b: b.__setitem__(c.recs[0] + 9, 5))),
        "sample", None, 1, ["CV307"], hx(c.recs[0] + 9))
    t = s12(action="alert")
    row(put_src("CV307-unknown-action.xml", t), "sample", None, 1, ["CV307"], attr_at(t, ' action="alert"'))
    t = s12(severity="urgent")
    row(put_src("CV307-unknown-severity.xml", t), "sample", None, 1, ["CV307"], attr_at(t, ' severity="urgent"'))


# an instance with only wildcards: a warning for detect (error with --strict), an error for block: CV308
@case
def cv308():
    for action, exit_status in (("detect", 0), ("block", 1)):
        t = channel(100, 1, inst(1, PROC, action, "high", []) +
                    inst(2, PROC, "log", "low", [crit("pid", "range", lo=4, hi=4)]))
        f = put_src("CV308-match-all-%s.xml" % action, t)
        row(f, "sample", None, exit_status, ["CV308"], at(t, '<instance id="1"'))
        c = pack(t, W)
        g = put_bin("CV308-match-all-%s.bin" % action, c)
        row(g, "sample", None, exit_status, ["CV308"], hx(c.recs[0]))
        if action == "detect":
            row(f, "sample", "--strict", 1, ["CV308"], at(t, '<instance id="1"'))
            row(g, "sample", "--strict", 1, ["CV308"], hx(c.recs[0]))


# TYPES lists 12/1 twice (both entries are right; the instance uses the first): CV310 at the second entry
@case
def cv310():
    recs = [record(1, 0, [c_wild(), c_wild(), c_wild(), c_range(4, 4), c_wild(), c_wild(), c_wild(), c_wild()])]
    parts = {K_TYPES: types_section([(12, 1, 8), (12, 1, 8)]), K_INSTANCES: instances_section(recs),
             K_STRINGS: b""}
    data, sec = lay_out(100, 1, parts, [K_TYPES, K_INSTANCES, K_STRINGS], [K_STRINGS, K_TYPES, K_INSTANCES])
    row(put_bin("CV310-duplicate-type-entry.bin", data), "sample", None, 1, ["CV310"], hx(sec[K_TYPES][0] + 4 + 8))


# ----------------------------------------- invalid: fleet compatibility --

CH291 = channel(291, 202407190409, [] +
    inst(1, IPC, "detect", "high", [
        crit("pipe_name", "regex", PIPE_RE, ci=True),
        crit("client_pid", "range", lo=4, hi=4)]) +
    inst(2, IPC, "detect", "high", [
        crit("pipe_name", "regex", PIPE_RE, ci=True),
        crit("integrity_level", "range", lo=0, hi=2),
        crit("remote_pipe_flags", "regex", "^0x[0-9a-f]{1,8}$")]))


# channel file 291: a regex at index 20 (remote_pipe_flags); 7.11.18110 supplies 20 inputs -> CV400 (+ CV401); fine on the healthy fleet
@case
def cv400():
    f = put_src("CV400-channel-291.xml", CH291)
    c = pack(CH291, W)
    g = put_bin("CV400-channel-291.bin", c)
    row(f, "sample", None, 1, ["CV400", "CV401"], at(CH291, '<criterion field="remote_pipe_flags"'))
    row(g, "sample", None, 1, ["CV400", "CV401"], hx(c.crit(1, 20)))
    row(f, "healthy", None, 0, [], None)
    row(g, "healthy", None, 0, [], None)
    t = channel(291, 202407190410, inst(17, IPC, "detect", "high", [
        crit(index=0, op="equals", value="\\\\.\\pipe\\x", ci=True),
        crit(index=20, op="equals", value="0x1")]))
    row(put_src("CV400-by-index.xml", t), "sample", None, 1, ["CV400", "CV401"], at(t, '<criterion index="20"'))


# a valid type-7 file on the sample fleet: 21 fields, 7.11.18110 supplies 20 -> CV401 (warning) at the TYPES entry / first instance
@case
def cv401():
    t = channel(401, 1, inst(1, PROC, "log", "low", [crit("pid", "range", lo=4, hi=4)]) +
                inst(2, IPC, "detect", "high", [crit("client_pid", "range", lo=4, hi=4)]) +
                inst(3, IPC, "detect", "high", [crit("server_pid", "range", lo=4, hi=4)]))
    f = put_src("CV401-latent-input-mismatch.xml", t)
    row(f, "sample", None, 0, ["CV401"], at(t, '<instance id="2"'))
    row(f, "healthy", None, 0, [], None)
    c = pack(t, W)
    g = put_bin("CV401-latent-input-mismatch.bin", c)
    row(g, "sample", None, 0, ["CV401"], hx(c.types_entry(0)))
    row(g, "sample", "--strict", 1, ["CV401"], hx(c.types_entry(0)))
    row(g, "healthy", None, 0, [], None)


# the same file on fleet-partial.xml, where 7.11.18110 has no supports for 7/3: CV402 (and no CV401 for it)
@case
def cv402():
    t = channel(402, 1, inst(1, PROC, "log", "low", [crit("pid", "range", lo=4, hi=4)]) +
                inst(2, IPC, "detect", "high", [crit("client_pid", "range", lo=4, hi=4)]))
    f = put_src("CV402-type-unsupported.xml", t)
    row(f, "partial", None, 0, ["CV402"], at(t, '<instance id="2"'))
    c = pack(t, W)
    g = put_bin("CV402-type-unsupported.bin", c)
    row(g, "partial", None, 0, ["CV402"], hx(c.types_entry(0)))


# a 300-byte regex: over 7.10.17706's maxRegexLength 256, within 7.11.18110's 1024: CV403 once
@case
def cv403():
    pat = "powershell\\.exe -NoProfile -EncodedCommand " + "".join(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"[(n * 7) % 62] for n in range(400))
    pat = pat[:300]
    assert len(pat.encode()) == 300
    t = s12([crit("image_path", "equals", "cmd.exe"), crit("command_line", "regex", pat)])
    row(put_src("CV403-regex-too-long.xml", t), "sample", None, 1, ["CV403"], at(t, '<criterion field="command_line"'))
    c = pack(t, W)
    row(put_bin("CV403-regex-too-long.bin", c), "sample", None, 1, ["CV403"], hx(c.crit(0, 1)))


# on fleet-tiny.xml (maxChannelBytes 256, maxInstances 1): a 331-byte file; a 2-instance file: CV404
@case
def cv404():
    t = s12()
    f = put_src("CV404-max-channel-bytes.xml", t)
    row(f, "tiny", None, 1, ["CV404"], at(t, "<channel"))
    c = pack(t, W)
    assert len(c.data) == 331
    g = put_bin("CV404-max-channel-bytes.bin", c)
    row(g, "tiny", None, 1, ["CV404"], "0x20")
    t = channel(100, 1, inst(1, PROC, crits=[crit("pid", "range", lo=4, hi=4)]) +
                inst(2, PROC, crits=[crit("pid", "range", lo=8, hi=8)]))
    f = put_src("CV404-two-instances.xml", t)
    row(f, "tiny", None, 1, ["CV404"], at(t, "<channel"))
    c = pack(t, W)
    g = put_bin("CV404-two-instances.bin", c)
    row(g, "tiny", None, 1, ["CV404"], "0x20")


# a valid file checked with -t only: CV409 (warning; an error with --strict)
@case
def cv409():
    t = s12()
    f = put_src("CV409-no-fleet.xml", t)
    row(f, "types", None, 0, ["CV409"], at(t, "<channel"))
    row(f, "types", "--strict", 1, ["CV409"], at(t, "<channel"))
    c = pack(t, W)
    g = put_bin("CV409-no-fleet.bin", c)
    row(g, "types", None, 0, ["CV409"], "0x0")
    row(g, "types", "--strict", 1, ["CV409"], "0x0")


# ------------------------------------------------ invalid: regexes --

# "(cmd" has no closing parenthesis: PCRE2 will not compile it -> CV500
@case
def cv500():
    t = s12([crit("image_path", "equals", "cmd.exe"), crit("command_line", "regex", "(cmd")])
    row(put_src("CV500-regex-syntax.xml", t), "sample", None, 1, ["CV500"], attr_at(t, ' value="(cmd"'))
    c = pack(t, W)
    row(put_bin("CV500-regex-syntax.bin", c), "sample", None, 1, ["CV500"], hx(c.crit(0, 1) + 4))


# patterns that compile but use what the interpreter does not support: CV501 (and no CV502-CV504 analysis)
@case
def cv501():
    feats = [("backreference", "(cmd)\\1"), ("named-backreference", "(?<x>a)\\k<x>"),
             ("lookbehind", "(?<=\\\\)cmd"), ("recursion", "a(?R)?b"), ("subroutine", "(a)(?1)"),
             ("conditional", "(a)?(?(1)b|c)"), ("callout", "(?C1)cmd"), ("backslash-c", "cmd\\C"),
             ("verb", "cmd(*ACCEPT)"), ("start-item-utf", "(*UTF)cmd"),
             ("start-item-limit", "(*LIMIT_MATCH=10)cmd")]
    for name, pat in feats:
        t = s12([crit("image_path", "equals", "cmd.exe"), crit("command_line", "regex", pat)])
        row(put_src("CV501-%s.xml" % name, t), "sample", None, 1, ["CV501"],
            attr_at(t, ' value="%s"' % esc(pat)))
        if name == "backreference":
            c = pack(t, W)
            row(put_bin("CV501-backreference.bin", c), "sample", None, 1, ["CV501"], hx(c.crit(0, 1) + 4))


# an empty regex matches everything: CV504 (warning)
@case
def cv504():
    t = s12([crit("image_path", "equals", "cmd.exe"), crit("command_line", "regex", "")])
    row(put_src("CV504-empty-regex.xml", t), "sample", None, 0, ["CV504"], attr_at(t, ' value=""'))
    c = pack(t, W)
    row(put_bin("CV504-empty-regex.bin", c), "sample", None, 0, ["CV504"], hx(c.crit(0, 1) + 4))


# regexes that backtrack super-linearly (formats-v1 1.2: the cost of one
# match summed over its start positions, at most the field's maxLength):
# over the sample fleet's regexMatchLimit of 100000 -> CV502; within it on
# a shorter field -> CV503 (warning).
@case
def cv502():
    for name, pat in [("exponential", "(\\w+\\s?)*$"), ("polynomial", "\\d+\\s*\\d+$")]:
        t = s12([crit("image_path", "equals", "cmd.exe"), crit("command_line", "regex", pat)])
        row(put_src("CV502-%s.xml" % name, t), "sample", None, 1, ["CV502"],
            attr_at(t, ' value="%s"' % esc(pat)))
        if name == "exponential":
            c = pack(t, W)
            row(put_bin("CV502-exponential.bin", c), "sample", None, 1, ["CV502"],
                hx(c.crit(0, 1) + 4))


# gaps the analysis once had, each a regex that passed: an alternative
# anchored at the start that matches the first attempt's input (the trim
# regex), a nullable loop body whose paths were merged, and a Unicode
# property the parser's tables do not model (bidi classes)
@case
def cv502_gaps():
    for name, pat in [("anchored-alternative", "^\\s+|\\s+$"),
                      ("nullable-loop-body", "^(?:a?b?)*$"),
                      ("unmodelled-property", "\\p{bidi class:S}+\\p{bidiclass:WS}+")]:
        t = s12([crit("image_path", "equals", "cmd.exe"), crit("command_line", "regex", pat)])
        row(put_src("CV502-%s.xml" % name, t), "sample", None, 1, ["CV502"],
            attr_at(t, ' value="%s"' % esc(pat)))


@case
def cv503():
    # quadratic: about 66,000 steps on the 256 bytes of "user"
    pat = "a*a*$"
    t = s12([crit("image_path", "equals", "cmd.exe"), crit("user", "regex", pat)])
    row(put_src("CV503-quadratic-short-field.xml", t), "sample", None, 0, ["CV503"],
        attr_at(t, ' value="%s"' % esc(pat)))
    # the same regex on the 4096 bytes of "command_line" is CV502
    t = s12([crit("image_path", "equals", "cmd.exe"), crit("command_line", "regex", pat)])
    row(put_src("CV502-quadratic-long-field.xml", t), "sample", None, 1, ["CV502"],
        attr_at(t, ' value="%s"' % esc(pat)))


# the floor under every verdict: linear, but over the budget at the
# 4096 bytes of "command_line" (each start position costs tens of steps;
# the analysis proposes nothing for them) -> CV502
@case
def cv502_linear():
    for name, pat in [
            ("linear-alternation",
             "(?:alpha|bravo|charlie|delta|echo|foxtrot|golf|hotel|india|juliet|kilo|lima|mike|"
             "november|oscar|papa|quebec|romeo|sierra|tango|uniform|victor|whiskey|xray|yankee|"
             "zulu)[0-9]"),
            ("bounded-wildcard-greedy", "Version.{1,200}Build"),
            ("bounded-wildcard-lazy", "Version.{1,200}?Build"),
            # bounded repeats of a wildcard after an unbounded repeat
            ("version-build", "(Version)/(\\d+)\\.(\\d+)(?:\\.(\\d+)|).{0,100}Build/"),
            ("lazy-bounded-dot", "; {0,2}(Xy) ?(\\d+(?:.){0,100}?)(?: Build|\\) Kit)"),
            # a near-match of the pattern's start that fails just past it,
            # repeated: "ab(", "1101012000(", "11-01-01T20"
            ("near-match-separator", "(?:ab.{0,200}?CD|ab)[- ]*[a-z0-9]+"),
            ("near-match-digits",
             "(?>\\d\\d){1,2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01]|[1-9])"
             "(?:2[0-3]|[01]?[0-9])[0-5][0-9](?:[0-5]?[0-9]|60)(?:[0-5]?[0-9]|60)"),
            ("near-match-timestamp",
             "(?>\\d\\d){1,2}-(?:0?[1-9]|1[0-2])-(?:0?[1-9]|[12][0-9]|3[01])[T ]"
             "(?:2[0-3]|[01]?[0-9]):?[0-5]?[0-9](?::?(?:[0-5]?[0-9]|60)(?:[:.,][0-9]+)?)?"
             "(?:Z|[+-](?:2[0-3]|[01]?[0-9])(?::?[0-5][0-9]))? elb=(\\S+) client=(\\S+):")]:
        t = s12([crit("image_path", "equals", "cmd.exe"), crit("command_line", "regex", pat)])
        row(put_src("CV502-%s.xml" % name, t), "sample", None, 1, ["CV502"],
            attr_at(t, ' value="%s"' % esc(pat)))


# CV503 only once proven, on the 64 bytes of "remote_pipe_flags" (the
# healthy fleet supplies it): an input other than the best proposal
# ("ab" x 31) costs more than the budget -> CV502, not CV503; a witness
# that cannot grow within the field (70 literal characters before the
# loop) is no CV503 at all
@case
def cv503_proven():
    pat = "^(?:a?b?)*$|\\d+\\s*\\d+$"
    t = channel(100, 1, inst(1, IPC, "detect", "high", [crit("remote_pipe_flags", "regex", pat)]))
    row(put_src("CV502-superlinear-short-field.xml", t), "healthy", None, 1, ["CV502"],
        attr_at(t, ' value="%s"' % esc(pat)))
    pat = "A" * 70 + "(\\w+\\s?)*$"
    t = channel(100, 1, inst(1, IPC, "detect", "high", [crit("remote_pipe_flags", "regex", pat)]))
    row(put_src("CV503-no-growth-within-field.xml", t), "healthy", None, 0, [], None)


# ------------------------------------------------ world documents --

# the world documents themselves, each in its own role; world-only runs report CV401 in types.xml for the sample fleet
@case
def world_rows():
    row("world/types.xml", "as-types", None, 0, [], None)
    row("world/fleet.xml", "as-fleet", None, 0, ["CV401"], None)
    row("world/fleet-healthy.xml", "as-fleet", None, 0, [], None)
    row("world/fleet-partial.xml", "as-fleet", None, 0, [], None)
    row("world/fleet-tiny.xml", "as-fleet", None, 0, [], None)
    row("world/types.xml", "none", None, 0, [], None)


# ------------------------------------------------------------ main --

MANIFEST_HEAD = """\
file\tworld\toptions\texit\trules\twhere
# chanval sample corpus: one row per (file, world, options) run of
#   chanval check WORLD-ARGS [OPTIONS] FILE
# run from the corpus/ directory.  Generated by tools/mkcorpus.py; do not edit.
#
# world names (paths relative to corpus/):
{worlds}
#
# exit   expected exit status of chanval check (0 or 1)
# rules  the exact set of distinct rule IDs reported for FILE, warnings
#        included, sorted; "-" for none.  For as-types / as-fleet rows the
#        run has no positional file and the set covers every diagnostic of
#        the run (a world-only run reports CV401 in world/types.xml).
# where  location of the first diagnostic (in location order) of the rule
#        named by the file name: 0xOFFSET for binaries, LINE:COL for XML;
#        "-" for valid files, when that rule is not expected in the row,
#        and for CV200 from libxml2 (its column is not predictable; a NUL
#        byte, found by chanval, has its location).
"""


def render_manifest():
    worlds = "\n".join("#   %-9s %s" % w for w in WORLDS)
    out = MANIFEST_HEAD.format(worlds=worlds)
    for r in ROWS:
        assert "\t" not in "".join(r)
        out += "\t".join(r) + "\n"
    return out


def generate():
    global W
    make_world()
    W = parse_types(OUT["world/types.xml"])
    assert [f[0] for f in W[IPC]] == [f[0] for f in IPC_FIELDS] and len(W[IPC]) == 21
    assert len(W[PROC]) == 8
    for fn in CASES:
        fn()
    put("manifest.tsv", render_manifest())


def existing_files():
    found = set()
    for d in GENERATED_DIRS:
        root = os.path.join(CORPUS, d)
        for dirpath, _, files in os.walk(root):
            for name in files:
                found.add(os.path.relpath(os.path.join(dirpath, name), CORPUS).replace(os.sep, "/"))
    return found


def main(argv):
    check = "--check" in argv[1:]
    generate()
    stale = sorted(existing_files() - set(OUT))
    drift = []
    for rel in sorted(OUT):
        path = os.path.join(CORPUS, rel)
        try:
            with open(path, "rb") as fh:
                same = fh.read() == OUT[rel]
        except FileNotFoundError:
            same = False
        if same:
            continue
        drift.append(rel)
        if not check:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as fh:
                fh.write(OUT[rel])
    if check:
        for rel in drift:
            print("differs: " + rel)
        for rel in stale:
            print("not generated: " + rel)
        return 1 if drift or stale else 0
    for rel in stale:
        os.remove(os.path.join(CORPUS, rel))
        print("removed " + rel)
    print("%d files, %d rewritten, %d manifest rows" % (len(OUT), len(drift), len(ROWS)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
