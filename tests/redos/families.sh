#!/bin/sh
# families.sh BUILD - every member of the generated regex families
# (tests/bench/redos/redos_check.py: nested counted repeats, long
# alternations, anchored alternatives such as the trim shape ^\s+|\s+$,
# .{0,N} between literals) that an independent attack drives past a
# sensor's regexMatchLimit on the field must be CV502 or CV501 from
# `chanval check`: never silent, never CV503.  Each member at each field
# length is one test; the failures are listed with the attack's worst input.
# Exit 77 when python3 or the attacker is missing.
set -u
build=$1
command -v python3 >/dev/null 2>&1 || { echo "redos-families: no python3: skipped"; exit 77; }
[ -x "$build/tools/attacker" ] || { echo "redos-families: no $build/tools/attacker: skipped"; exit 77; }
ATTACKER=$build/tools/attacker sh tests/bench/redos/families.sh "$build/chanval" --test
