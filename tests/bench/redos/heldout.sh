#!/bin/sh
# heldout.sh FILE [CHANVAL] - chanval's regex verdicts on a set of regexes
# it was not developed on, against an independent attack (attacker.c).
# FILE: one regex per line (heldout_extract.py writes such files from
# ua-parser's regexes.yaml, Sigma rules and grok patterns).  Each regex that
# PCRE2 compiles in UTF mode is checked as a regex criterion on a
# 4096-byte and on a 64-byte string field, budget 100000 steps (REDOS_BUDGET,
# REDOS_LENGTHS=4096,64 change them).  CHANVAL defaults to build/chanval.
# Prints the counts and every miss with the attack's worst input.
set -u
[ $# -ge 1 ] || { echo "usage: heldout.sh FILE [CHANVAL]" >&2; exit 2; }
here=$(dirname "$0")
chanval=${2:-build/chanval}
[ -x "$chanval" ] || { echo "heldout: no chanval at $chanval" >&2; exit 2; }
. "$here/attacker.sh" || exit 2
python3 "$here/redos_check.py" heldout "$chanval" "$attacker" "$1" \
    --budget "${REDOS_BUDGET:-100000}" --length "${REDOS_LENGTHS:-4096,64}"
