#!/usr/bin/env python3
"""redos_check.py - chanval's regex verdicts against an independent attack.

  redos_check.py families CHANVAL ATTACKER [--test] [--only NAME,...]
                 [--budget N] [--length N] [--no-natural]
  redos_check.py heldout CHANVAL ATTACKER FILE [--budget N] [--length N,...]

Each regex is checked by `CHANVAL check --format json` as a regex criterion
on a string field of LENGTH bytes (4096; heldout: 4096 and 64) in a fleet
whose one sensor has a regexMatchLimit of BUDGET (100000).  ATTACKER
(attacker.c beside this script) attacks the same regex at the same length
with its own PCRE2 compile and counting callout, knowing nothing of
chanval's analysis: a regex it drives past the budget is "over".  Every
CV502 witness is re-measured by ATTACKER too.

families: generated families of hazardous and harmless shapes, each at
LENGTH and, with a second field, at its own natural length.  One row per
family and length: members, CV502, CV501, CV503, silent,
silent-but-over-budget (misses, must be 0), CV503-but-over-budget, the
CV502 witnesses that did not re-measure over the budget, and the time
chanval took.  The misses are listed with the attacker's worst input.
--test: exit 1 when there is a miss; the last line reads
"N passed, M failed" (a member is one test per length).

heldout: FILE holds one regex per line (a line "(?i)..." is caseless as
written; blank lines and lines starting with "#" are skipped).  The regexes
that PCRE2 does not compile in UTF mode are counted and left out.
"""
import json
import os
import subprocess
import sys
import tempfile
import time

# ---- the generated families ------------------------------------------------

def lit_words(n):
    """n distinct lowercase words of 3..6 letters"""
    out, a = [], "abcdefghijklmnopqrstuvwxyz"
    i = 0
    while len(out) < n:
        k, w = i, ""
        for _ in range(3 + i % 4):
            w += a[k % 26]
            k = k // 26 + 7 * (i + 1)
        if w not in out:
            out.append(w)
        i += 1
    return out


def families():
    """[(name, [(pattern, natural length or None)])]"""
    f = []
    ks = range(1, 101)
    f.append(("counted (?:a+){k}b k=1..100", [("(?:a+){%d}b" % k, 64) for k in ks]))
    f.append(("counted (?:a?){k}a{k} k=1..100", [("(?:a?){%d}a{%d}" % (k, k), 2 * k) for k in ks]))
    f.append(("counted (?:a{1,3}){k}b k=1..100", [("(?:a{1,3}){%d}b" % k, 64) for k in ks]))
    sizes = [10, 20, 50, 100, 200, 300, 500]
    f.append(("alternation (?:w1|..|wn) n=10..500",
              [("(?:" + "|".join(lit_words(n)) + ")", 64) for n in sizes]))
    f.append(("alternation \\b(?:w1|..|wn)\\b n=10..500",
              [("\\b(?:" + "|".join(lit_words(n)) + ")\\b", 64) for n in sizes]))
    letters = "abcdefghijklmnopqrstuvwxyz"

    def classes(n):
        return "|".join("[%s-%s]%s" % (letters[(3 * i) % 24], letters[(3 * i) % 24 + 2],
                                       letters[(i * 7 + 5) % 26]) for i in range(n))
    f.append(("alternation [a-c]x|[d-f]y|.. n=10..500", [(classes(n), 64) for n in sizes]))
    # many items that each cost steps at every byte: alternatives sharing a
    # prefix that the input repeats (30-60 steps per byte)
    def shared(n, k):
        return "(?:" + "|".join("a{%d}%s" % (k, w) for w in lit_words(n)) + ")"
    f.append(("alternation (?:a{k}w1|..) n=10..60", [(shared(n, 1), 64) for n in (10, 20, 30, 40, 60)]
              + [(shared(n, 2), 64) for n in (10, 20, 30, 40, 60)]))
    f.append(("alternation (?:\\s*w1|..) n=10..60",
              [("(?:" + "|".join("\\s*" + w for w in lit_words(n)) + ")", 64)
               for n in (10, 20, 30, 40, 60)]))
    anchored = []
    for cls in ["\\s", "a", "\\d", "\\w", "[ \\t]", "[a-z]", "[^,]", ".", "\\S", "[0-9a-f]"]:
        for fmt in ["^%s+|%s+$", "^%s*|%s*$", "(?:^|,)%s+$", "(?:^|,)%s*$", "^%s+|%s+\\z",
                    "%s+$|^%s+", "(?m)^%s+|%s+$", "^(?:%s+|x)|%s+$"]:
            anchored.append((fmt.replace("%s", cls), 64))
    f.append(("anchored ^C+|C+$ and variants", anchored))
    dots = []
    for N in [10, 20, 50, 100, 200, 300, 500, 700, 1000]:
        for q in ["", "?"]:
            dots.append(("(Version)/(\\d+)\\.(\\d+)(?:\\.(\\d+)|).{0,%d}%sBuild/" % (N, q), N + 32))
            dots.append(("Mozilla.{1,%d}%sGecko/" % (N, q), N + 32))
            dots.append(("\\bid=.{0,%d}%s;" % (N, q), N + 32))
    f.append(("dotrange .{0,N} .{1,N} N=10..1000", dots))
    return f

# ---- running chanval ---------------------------------------------------------

def xml_world(lengths, budget, d):
    types = ['<templateTypes formatVersion="1">']
    for i, n in enumerate(lengths):
        types.append('  <templateType id="%d" version="1" name="L%d">' % (i + 1, n))
        types.append('    <field name="value" kind="string" maxLength="%d"/>' % n)
        types.append('  </templateType>')
    types.append('</templateTypes>')
    fleet = ['<fleet formatVersion="1">',
             '  <sensor version="1.0" maxChannelBytes="268435456" maxInstances="1000000" '
             'maxRegexLength="65535" regexMatchLimit="%d">' % budget]
    for i in range(len(lengths)):
        fleet.append('    <supports typeId="%d" typeVersion="1" inputs="1"/>' % (i + 1))
    fleet += ['  </sensor>', '</fleet>']
    t, fl = os.path.join(d, "types.xml"), os.path.join(d, "fleet.xml")
    with open(t, "w") as o:
        o.write("\n".join(types) + "\n")
    with open(fl, "w") as o:
        o.write("\n".join(fleet) + "\n")
    return t, fl


RANK = {"CV502": 4, "CV501": 3, "CV503": 1}


def chanval_check(chanval, items, budget, d):
    """items: [(pattern bytes, length)].  Returns ([verdict per item], seconds);
    a verdict is (rule or None, diagnostic)."""
    lengths = sorted(set(n for _, n in items))
    index = {n: i + 1 for i, n in enumerate(lengths)}
    t, fl = xml_world(lengths, budget, d)
    src = os.path.join(d, "source.xml")
    with open(src, "w") as o:
        o.write('<channel formatVersion="1" id="1" contentVersion="1">\n')
        for i, (p, n) in enumerate(items):
            o.write('<instance id="%d" typeId="%d" typeVersion="1" action="log" severity="low">'
                    '<criterion index="0" op="regex" valueHex="%s"/></instance>\n'
                    % (i + 1, index[n], p.hex()))
        o.write('</channel>\n')
    t0 = time.monotonic()
    r = subprocess.run([chanval, "check", "--format", "json", "--max-diagnostics", "10000000",
                        "--max-regex-bytes", "65535", "-t", t, "-f", fl, src],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    secs = time.monotonic() - t0
    if r.returncode not in (0, 1):
        sys.exit("chanval check failed (exit %d): %s" % (r.returncode, r.stderr.decode()[:2000]))
    rep = json.loads(r.stdout)
    out = [(None, None)] * len(items)
    for f in rep["files"]:
        if f["kind"] != "source":
            if f["errors"]:
                sys.exit("the generated world has errors: %s" % f["diagnostics"][:3])
            continue
        for dg in f["diagnostics"]:
            i = dg.get("instance")
            if i is None:
                sys.exit("a finding on no instance: %s" % dg)
            rule = dg["rule"]
            cur = out[i - 1][0]
            rank = RANK.get(rule, 2 if dg["severity"] == "error" else 0)
            if cur is None or rank > RANK.get(cur, 2):
                out[i - 1] = (rule, dg)
    return out, secs

# ---- the independent attack --------------------------------------------------

def attack(attacker, items, budget):
    """[(over, steps, prefix, pump, suffix, length) or None]"""
    out = [None] * len(items)
    for n in sorted(set(n for _, n in items)):
        idx = [i for i, (_, m) in enumerate(items) if m == n]
        inp = "".join(items[i][0].hex() + "\n" for i in idx)
        r = subprocess.run([attacker, str(n), str(budget)], input=inp.encode(),
                           stdout=subprocess.PIPE, check=True)
        lines = r.stdout.decode().splitlines()
        assert len(lines) == len(idx), "the attacker answered %d of %d" % (len(lines), len(idx))
        for i, ln in zip(idx, lines):
            c = ln.split("\t")
            if c[0] == "error":
                continue
            h = lambda x: b"" if x == "-" else bytes.fromhex(x)
            out[i] = (c[0] == "over", int(c[1]), h(c[2]), h(c[3]), h(c[4]), int(c[5]))
    return out


def remeasure(attacker, items, verdicts, budget):
    """steps of each CV502 witness, by the attacker's meter: {index: steps}"""
    todo = []
    for i, (rule, dg) in enumerate(verdicts):
        w = dg.get("witness") if dg else None
        if rule == "CV502" and w:
            todo.append((i, "%s\t-\t%s\t%s\t%s\t%d\n" % (
                items[i][0].hex(), w["prefix"].encode().hex() or "-",
                w["pump"].encode().hex() or "-", w["suffix"].encode().hex() or "-", w["length"])))
    if not todo:
        return {}
    r = subprocess.run([attacker, "-m", str(budget)], input="".join(t for _, t in todo).encode(),
                       stdout=subprocess.PIPE, check=True)
    res = {}
    for (i, _), ln in zip(todo, r.stdout.decode().splitlines()):
        res[i] = int(ln) if ln != "error" else -1
    return res

# ---- the table -------------------------------------------------------------

def show(b):
    s = b.decode("utf-8", "backslashreplace")
    return json.dumps(s, ensure_ascii=False)


def witness(a):
    over, steps, pre, pump, suf, n = a
    k = (n - len(pre) - len(suf)) // len(pump) if pump else 0
    return "%s + %s x %d + %s (%d bytes): %s%d steps" % (
        show(pre), show(pump), k, show(suf), n, ">" if over else "", steps - 1 if over else steps)


HEAD = ("  %-40s %5s %7s %6s %6s %6s %6s %6s %8s %8s %7s"
        % ("family", "len", "members", "over", "CV502", "CV501", "CV503", "silent", "MISSES",
           "503>bud", "s"))


def evaluate(name, items, verdicts, attacks, remeas, secs, budget, misses, length_label):
    c = {"CV502": 0, "CV501": 0, "CV503": 0, None: 0, "other": 0}
    over = miss = miss503 = bad502 = beyond = unreplayed = 0
    for i, (p, n) in enumerate(items):
        rule = verdicts[i][0]
        c[rule if rule in c else "other"] += 1
        a = attacks[i]
        if a and a[0]:
            over += 1
            if rule is None or rule == "CV503":
                if rule is None:
                    miss += 1
                else:
                    miss503 += 1
                misses.append((name, p, n, rule or "silent", a))
        if rule == "CV502" and not (a and a[0]) and remeas.get(i, 0) > budget:
            beyond += 1
        if rule == "CV502" and remeas.get(i, 0) < 0:
            unreplayed += 1
        if rule == "CV502" and i in remeas and 0 <= remeas[i] <= budget:
            bad502 += 1
            w = verdicts[i][1]["witness"]
            misses.append((name, p, n, "CV502 whose witness costs %d steps, within the budget,"
                           % remeas[i], (False, remeas[i], w["prefix"].encode(),
                                         w["pump"].encode(), w["suffix"].encode(), w["length"])))
    row = ("  %-40s %5s %7d %6d %6d %6d %6d %6d %8d %8d %7.2f"
           % (name[:40], length_label, len(items), over, c["CV502"], c["CV501"], c["CV503"],
              c[None], miss, miss503, secs))
    extra = []
    if c["other"]:
        extra.append("%d with another error" % c["other"])
    if beyond:
        extra.append("%d CV502 the attack did not reach, proven by their witness" % beyond)
    if unreplayed:
        extra.append("%d CV502 witnesses the attacker could not replay" % unreplayed)
    if bad502:
        extra.append("%d CV502 witnesses under the budget when re-measured" % bad502)
    return row + ("  (" + "; ".join(extra) + ")" if extra else ""), miss + miss503 + bad502


def run_set(chanval, attacker, name, items, budget, d, misses, label):
    verdicts, secs = chanval_check(chanval, items, budget, d)
    attacks = attack(attacker, items, budget)
    remeas = remeasure(attacker, items, verdicts, budget)
    row, _ = evaluate(name, items, verdicts, attacks, remeas, secs, budget, misses, label)
    return row, verdicts, attacks


def print_misses(misses):
    if not misses:
        print("\nno misses: every regex the attack drives over the budget is CV502 or CV501, "
              "every CV502 witness re-measures over the budget")
        return
    print("\nmisses (over the budget by the attack, but silent or CV503; or a CV502 whose "
          "witness re-measures within the budget):")
    for name, p, n, rule, a in misses:
        print("  [%s] %s on a %d-byte field: %s\n      %s: %s"
              % (name, rule, n, show(p), "attack" if a[0] else "chanval's witness", witness(a)))


def cmd_families(argv):
    chanval, attacker = argv[0], argv[1]
    opts = argv[2:]
    test = "--test" in opts
    budget, length, only, natural = 100000, 4096, None, "--no-natural" not in opts
    for i, o in enumerate(opts):
        if o == "--budget":
            budget = int(opts[i + 1])
        elif o == "--length":
            length = int(opts[i + 1])
        elif o == "--only":
            only = opts[i + 1].split(",")
    fams = [f for f in families() if not only or any(o in f[0] for o in only)]
    misses = []
    members = 0
    print("chanval %s against an independent attack: budget %d steps" % (chanval, budget))
    print(HEAD)
    with tempfile.TemporaryDirectory(prefix="chanval-families.") as d:
        for name, mem in fams:
            runs = [(str(length), [(p.encode(), length) for p, _ in mem])]
            if natural:
                runs.append(("own", [(p.encode(), n) for p, n in mem if n]))
            for label, items in runs:
                if not items:
                    continue
                members += len(items)
                row, _, _ = run_set(chanval, attacker, name, items, budget, d, misses, label)
                print(row, flush=True)
    print("  (over: driven past the budget by the attack; MISSES: over and silent; 503>bud: over "
          "and CV503; len own: the family's natural length, 64 where it has none)")
    print_misses(misses)
    if test:
        print("%d passed, %d failed" % (members - len(misses), len(misses)))
        return 1 if misses else 0
    return 0


def compiles(attacker, pats):
    """which patterns PCRE2 compiles in UTF mode (the attacker says error)"""
    inp = "".join(p.hex() + "\t-\t-\t61\t-\t1\n" for p in pats)
    r = subprocess.run([attacker, "-m", "1"], input=inp.encode(), stdout=subprocess.PIPE,
                       check=True)
    return [ln != "error" for ln in r.stdout.decode().splitlines()]


def cmd_heldout(argv):
    chanval, attacker, path = argv[0], argv[1], argv[2]
    opts = argv[3:]
    budget, lengths = 100000, [4096, 64]
    for i, o in enumerate(opts):
        if o == "--budget":
            budget = int(opts[i + 1])
        elif o == "--length":
            lengths = [int(x) for x in opts[i + 1].split(",")]
    pats = []
    with open(path, "rb") as f:
        for ln in f:
            ln = ln.rstrip(b"\r\n")
            if ln and not ln.startswith(b"#"):
                pats.append(ln)
    seen, uniq = set(), []
    for p in pats:
        if p not in seen:
            seen.add(p)
            uniq.append(p)
    ok = compiles(attacker, uniq)
    good = [p for p, k in zip(uniq, ok) if k]
    print("%s: %d lines, %d distinct, %d compile in PCRE2 UTF mode; chanval %s, budget %d"
          % (os.path.basename(path), len(pats), len(uniq), len(good), chanval, budget))
    print(HEAD)
    misses = []
    with tempfile.TemporaryDirectory(prefix="chanval-heldout.") as d:
        for n in lengths:
            row, _, _ = run_set(chanval, attacker, os.path.basename(path), [(p, n) for p in good],
                                budget, d, misses, str(n))
            print(row, flush=True)
    print_misses(misses)
    return 0


def main():
    if len(sys.argv) < 4 or sys.argv[1] not in ("families", "heldout"):
        sys.exit(__doc__)
    return (cmd_families if sys.argv[1] == "families" else cmd_heldout)(sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
