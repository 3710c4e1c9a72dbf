#!/usr/bin/env python3
"""ansi2html.py < SCREEN > PAGE - a terminal screen captured with its
colours (tmux capture-pane -e) as an HTML page that looks like the terminal:
the SGR codes chanval prints (bold, the 16 colours, 256-colour foregrounds,
white on red) become styled spans."""
import html
import re
import sys

BASE = ["#1e1e1e", "#e05050", "#50c050", "#d0b040", "#5080e0", "#c050c0", "#40c0c0", "#d0d0d0"]
BRIGHT = ["#808080", "#ff6060", "#70e070", "#f0d060", "#70a0ff", "#f070f0", "#60e0e0", "#ffffff"]


def xterm(n):
    if n < 8:
        return BASE[n]
    if n < 16:
        return BRIGHT[n - 8]
    if n < 232:
        n -= 16
        steps = [0, 95, 135, 175, 215, 255]
        return "#%02x%02x%02x" % (steps[n // 36], steps[n // 6 % 6], steps[n % 6])
    g = 8 + (n - 232) * 10
    return "#%02x%02x%02x" % (g, g, g)


def main():
    out, state = [], {}
    for part in re.split(r"(\x1b\[[0-9;]*m)", sys.stdin.read()):
        m = re.fullmatch(r"\x1b\[([0-9;]*)m", part)
        if not m:
            if part:
                style = ";".join("%s:%s" % kv for kv in sorted(state.items()))
                out.append('<span style="%s">%s</span>' % (style, html.escape(part)) if style
                           else html.escape(part))
            continue
        codes = [int(c) for c in m.group(1).split(";") if c] or [0]
        i = 0
        while i < len(codes):
            c = codes[i]
            if c == 0:
                state = {}
            elif c == 1:
                state["font-weight"] = "bold"
            elif 30 <= c <= 37:
                state["color"] = BASE[c - 30]
            elif 90 <= c <= 97:
                state["color"] = BRIGHT[c - 90]
            elif 40 <= c <= 47:
                state["background"] = BASE[c - 40]
            elif c == 38 and i + 2 < len(codes) and codes[i + 1] == 5:
                state["color"] = xterm(codes[i + 2])
                i += 2
            elif c == 39:
                state.pop("color", None)
            elif c == 49:
                state.pop("background", None)
            elif c == 22:
                state.pop("font-weight", None)
            elif 100 <= c <= 107:
                state["background"] = BRIGHT[c - 100]
            elif c == 48 and i + 2 < len(codes) and codes[i + 1] == 5:
                state["background"] = xterm(codes[i + 2])
                i += 2
            i += 1
    print('<!DOCTYPE html><html><head><meta charset="utf-8"><style>'
          'body{margin:0;background:#1e1e1e;color:#d0d0d0}'
          'pre{margin:0;padding:12px;font:14px/1.35 "DejaVu Sans Mono",monospace}'
          '</style></head><body><pre>%s</pre></body></html>' % "".join(out))


main()
