#!/usr/bin/env python3
"""heldout_extract.py KIND PATH - print one regex per line, for heldout.sh.

KIND:
  uap    ua-parser's regexes.yaml: every `regex` of user_agent_parsers,
         os_parsers and device_parsers; `regex_flag: 'i'` becomes a
         leading (?i)
  sigma  a folder of Sigma rules: every value of a field with the `|re`
         modifier (with `|i`, `|m`, `|s` as leading options)
  grok   a folder of grok pattern files (NAME PATTERN per line): every
         pattern with its %{NAME} and %{NAME:field} references expanded
         (named captures as (?<field>...), as grok compiles them)

Regexes that hold a line break are written with it escaped (\\n), so that
each stays on one line.  Needs PyYAML for uap and sigma.
"""
import os
import re
import sys


def one_line(r):
    return r.replace("\r", "\\r").replace("\n", "\\n")


def uap(path):
    import yaml
    with open(path, encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    for section in ("user_agent_parsers", "os_parsers", "device_parsers"):
        for e in doc.get(section) or []:
            r = e.get("regex")
            if isinstance(r, str):
                yield ("(?i)" if e.get("regex_flag") == "i" else "") + r


def sigma(path):
    import yaml

    def walk(node):
        if isinstance(node, dict):
            for k, v in node.items():
                if isinstance(k, str) and "|re" in k:
                    mods = k.split("|")[1:]
                    opts = "".join(m for m in ("i", "m", "s") if m in mods)
                    for x in v if isinstance(v, list) else [v]:
                        if isinstance(x, str):
                            yield ("(?%s)" % opts if opts else "") + x
                else:
                    yield from walk(v)
        elif isinstance(node, list):
            for x in node:
                yield from walk(x)

    for root, _, files in os.walk(path):
        for name in sorted(files):
            if not name.endswith((".yml", ".yaml")):
                continue
            try:
                with open(os.path.join(root, name), encoding="utf-8") as f:
                    for doc in yaml.safe_load_all(f):
                        yield from walk(doc)
            except (yaml.YAMLError, UnicodeDecodeError):
                continue


REF = re.compile(r"%\{([A-Za-z0-9_]+)(?::([^:}]+))?(?::[^}]+)?\}")


def grok(path):
    defs = {}
    for root, _, files in os.walk(path):
        for name in sorted(files):
            with open(os.path.join(root, name), encoding="utf-8", errors="replace") as f:
                for ln in f:
                    ln = ln.rstrip("\n")
                    if not ln.strip() or ln.lstrip().startswith("#"):
                        continue
                    parts = ln.split(None, 1)
                    if len(parts) == 2:
                        defs.setdefault(parts[0], parts[1])

    def expand(p, depth):
        if depth > 40:
            return None
        out, at = [], 0
        for m in REF.finditer(p):
            sub = defs.get(m.group(1))
            if sub is None:
                return None
            e = expand(sub, depth + 1)
            if e is None:
                return None
            field = m.group(2)
            if field:
                field = re.sub(r"[^A-Za-z0-9_]", "_", field.strip("[]"))
                out += [p[at:m.start()], "(?<%s>%s)" % (field, e)]
            else:
                out += [p[at:m.start()], "(?:%s)" % e]
            at = m.end()
        out.append(p[at:])
        return "".join(out)

    for name in defs:
        e = expand(defs[name], 0)
        if e is not None and len(e) <= 65535:
            yield e


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("uap", "sigma", "grok"):
        sys.exit(__doc__)
    kind, path = sys.argv[1], sys.argv[2]
    for r in {"uap": uap, "sigma": sigma, "grok": grok}[kind](path):
        sys.stdout.write(one_line(r) + "\n")


if __name__ == "__main__":
    main()
