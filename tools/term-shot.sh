#!/bin/sh
# term-shot.sh CHANVAL OUT.png [BROWSER] - a screenshot of chanval view in
# a terminal: the view of the CF291 file runs in a tmux pane of 200x24
# with colour, `tmux capture-pane -e` takes the screen with its colours,
# tools/ansi2html.py renders that as a page, and headless Chromium takes
# the picture.
set -eu
CHANVAL=$1
out=$2
browser=${3:-chromium}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/chanval-term.XXXXXX")
sock=chanval-shot-$$
trap 'tmux -L "$sock" kill-server 2>/dev/null; rm -rf "$tmp"' EXIT
cmd="$CHANVAL view -t corpus/world/types.xml -f corpus/world/fleet.xml --range 0x3c0:0x400 --color always corpus/invalid/CV400-channel-291.bin; echo; echo '\$ '; sleep 30"
tmux -L "$sock" -f /dev/null new-session -d -x 200 -y 24 "TERM=xterm-256color sh -c \"$cmd\""
i=0
until tmux -L "$sock" capture-pane -p | grep -q '^\$'; do
    i=$((i + 1))
    [ $i -lt 50 ] || { echo "term-shot: chanval view did not finish"; exit 1; }
    sleep 0.1
done
tmux -L "$sock" capture-pane -e -p >"$tmp/screen.ansi"
grep -q 'error\[CV400\]' "$tmp/screen.ansi" || { echo "term-shot: no CV400 on screen"; exit 1; }
python3 tools/ansi2html.py <"$tmp/screen.ansi" >"$tmp/screen.html"
timeout 120 "$browser" --headless --no-sandbox --disable-gpu --no-first-run --hide-scrollbars \
    --user-data-dir="$tmp/profile" --window-size=1860,420 --screenshot="$out" \
    "file://$tmp/screen.html" >/dev/null 2>&1
[ -s "$out" ]
