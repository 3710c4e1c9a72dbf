#!/bin/sh
# planted.sh - tools/check-layers.py must fail on an include that points up
# (base/ including api/), on one between siblings (regex/ including
# model/), on one that does not name its folder, on an include cycle, and
# on the session's internals from the command or a report writer;
# and pass on the tree as it is.  Run from the top.
set -u
tmp=$(mktemp -d "${TMPDIR:-/tmp}/chanval-layers.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
fails=0
plant() { # NAME FILE LINE EXPECTED-MESSAGE [FILE2 LINE2]
    rm -rf "$tmp/t" && mkdir -p "$tmp/t" && cp -R validator "$tmp/t/" || exit 2
    printf '%s\n' "$3" >>"$tmp/t/validator/$2"
    [ $# -lt 6 ] || printf '%s\n' "$6" >>"$tmp/t/validator/$5"
    out=$(python3 tools/check-layers.py "$tmp/t")
    rc=$?
    if [ $rc -ne 1 ] || ! printf '%s\n' "$out" | grep -qF "$4"; then
        echo "FAIL $1: exit $rc, expected 1 with \"$4\"; got: $out"
        fails=$((fails + 1))
    fi
}
python3 tools/check-layers.py . >/dev/null || { echo "FAIL the tree itself"; fails=$((fails + 1)); }
plant upward base/buf.c '#include "api/session.h"' 'base/buf.c: #include "api/session.h": api/ is a higher layer for base/'
plant sibling regex/nfa.c '#include "model/world.h"' 'regex/nfa.c: #include "model/world.h": model/ is a layer it may not use for regex/'
plant bare diag/diag.c '#include "world.h"' 'does not name its folder'
plant cycle base/buf.h '#include "base/alloc.h"' 'include cycle' base/alloc.h '#include "base/buf.h"'
plant cli cli/main.c '#include "api/session.h"' 'cli/main.c: #include "api/session.h"'
plant report report/json.c '#include "api/session.h"' 'report/json.c: #include "api/session.h": api/ is a layer it may not use for report/'
echo "$((7 - fails)) passed, $fails failed"
[ $fails -eq 0 ]
