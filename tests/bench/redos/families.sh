#!/bin/sh
# families.sh [CHANVAL [OPTIONS]] - chanval's regex verdicts on generated
# families of shapes (nested counted repeats, long alternations, anchored
# alternatives, .{0,N} between literals) against an independent attack
# (attacker.c): one row per family and field length, then every member the
# attack drives past the budget that chanval passes (silent) or calls
# CV503.  OPTIONS go to redos_check.py families (--test, --only NAME,
# --budget N, --length N, --no-natural).  CHANVAL defaults to build/chanval.
set -u
here=$(dirname "$0")
chanval=${1:-build/chanval}
[ $# -ge 1 ] && shift
[ -x "$chanval" ] || { echo "families: no chanval at $chanval" >&2; exit 2; }
. "$here/attacker.sh" || exit 2
python3 "$here/redos_check.py" families "$chanval" "$attacker" "$@"
