# --color auto on a terminal (a pty from script(1)): colour unless NO_COLOR
# is set to something (an empty NO_COLOR does not count) or TERM is dumb
F="corpus/invalid/CV400-channel-291.bin -t corpus/world/types.xml -f corpus/world/fleet.xml"
tty_run() { # ENV... : does the report on a terminal carry escapes?
    env "$@" script -qec "$CHANVAL check $F" /dev/null >"$TMPDIR/out" 2>&1
    if grep -q "$(printf '\033')\[" "$TMPDIR/out"; then echo "$*: colour"; else echo "$*: plain"; fi
}
tty_run TERM=xterm
tty_run TERM=xterm NO_COLOR=
tty_run TERM=xterm NO_COLOR=1
tty_run TERM=dumb
# -q: nothing at all for a clean run; errors and the summary otherwise
"$CHANVAL" check -q -t corpus/world/types.xml -f corpus/world/fleet.xml corpus/valid >"$TMPDIR/q"
echo "exit $?, $(wc -c <"$TMPDIR/q") bytes"
"$CHANVAL" check -q $F
echo "exit $?"
