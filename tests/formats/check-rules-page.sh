#!/bin/sh
# check-rules-page.sh CHANVAL - formats/rules.md, the rules page SARIF's
# helpUri points into, is what `chanval rules --format markdown` makes of
# the rule table: it is generated, never written by hand, so it cannot
# drift from `chanval explain`.  Every rule has its section (#cvNNN).
set -u
CHANVAL=$1
tmp=$(mktemp "${TMPDIR:-/tmp}/chanval-rules.XXXXXX") || exit 2
trap 'rm -f "$tmp"' EXIT
"$CHANVAL" rules --format markdown >"$tmp" || { echo "rules-page: chanval rules --format markdown failed"; exit 1; }
if ! cmp -s "$tmp" formats/rules.md; then
    diff -u formats/rules.md "$tmp" | head -20
    echo "rules-page: formats/rules.md is out of date: chanval rules --format markdown >formats/rules.md"
    exit 1
fi
n=$("$CHANVAL" rules | wc -l)
s=$(grep -c '^## CV[0-9][0-9][0-9]$' formats/rules.md)
[ "$n" -eq "$s" ] || { echo "rules-page: $n rules but $s sections"; exit 1; }
echo "rules-page: formats/rules.md is the generated page, $s rules, one section each"
