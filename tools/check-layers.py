#!/usr/bin/env python3
"""check-layers.py [TOP] - the library's layers, and a check that every
#include of validator/ points down them (make check-layers).

The table below is the one place the layers are written down
(validator/README.md explains each).  A folder may include its own headers,
the public header chanval.h, and the headers of the folders listed for it;
nothing else.  The command (cli/) sees only chanval.h and its own headers.
Also fails on an include cycle between headers, on an include that does
not name its folder, and on a source file of validator/ that is in no
layer.  Prints one line per violation; exit 0 clean, 1 violations, 2 usage.
"""
import os
import re
import sys

# folder: the folders below it that it may include (lowest layer first)
LAYERS = {
    "base": [],
    "regex": ["base"],
    "model": ["base"],
    "diag": ["model", "base"],
    "format": ["diag", "model", "base"],
    "check": ["format", "diag", "model", "regex", "base"],
    "eval": ["format", "diag", "model", "regex", "base"],
    "api": ["eval", "check", "format", "diag", "model", "regex", "base"],
    "report": ["base"],  # and chanval.h: writers read the run as any program could
    "cli": [],
}
PUBLIC = "chanval.h"
INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"]+)"', re.M)


def main(argv):
    top = argv[1] if len(argv) > 1 else "."
    root = os.path.join(top, "validator")
    if not os.path.isdir(root):
        print("check-layers: no validator/ under %s" % top, file=sys.stderr)
        return 2
    bad = []
    graph = {}
    for dirpath, _, names in sorted(os.walk(root)):
        for name in sorted(names):
            if not name.endswith((".c", ".h")):
                continue
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, root).replace(os.sep, "/")
            if rel == PUBLIC:
                graph[rel] = []
                continue
            folder = rel.split("/")[0] if "/" in rel else ""
            if folder not in LAYERS:
                bad.append("%s: in no layer (tools/check-layers.py)" % rel)
                continue
            text = open(path, encoding="utf-8", errors="replace").read()
            edges = []
            for inc in INCLUDE.findall(text):
                if inc == PUBLIC:
                    edges.append(PUBLIC)
                    continue
                if "/" not in inc:
                    bad.append('%s: #include "%s" does not name its folder' % (rel, inc))
                    continue
                to = inc.split("/")[0]
                if to != folder and to not in LAYERS[folder]:
                    why = "a higher layer" if to in LAYERS and folder in LAYERS[to] else \
                          "a layer it may not use"
                    bad.append('%s: #include "%s": %s/ is %s for %s/' % (rel, inc, to, why, folder))
                if not os.path.exists(os.path.join(root, inc)):
                    bad.append('%s: #include "%s": no such header' % (rel, inc))
                edges.append(inc)
            graph[rel] = edges
    # include cycles between headers (a .c file is never included)
    state = {}

    def visit(node, stack):
        state[node] = 1
        stack.append(node)
        for nxt in graph.get(node, []):
            if state.get(nxt) == 1:
                bad.append("include cycle: " + " -> ".join(stack[stack.index(nxt):] + [nxt]))
            elif nxt in graph and not state.get(nxt):
                visit(nxt, stack)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if not state.get(node):
            visit(node, [])
    for line in bad:
        print("check-layers: " + line)
    if bad:
        return 1
    print("check-layers: %d files in %d layers, every include points down" %
          (len(graph), len(LAYERS)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
