#!/bin/sh
# pcre2-attack.sh ATTACK - the generic attack of fuzz/tools/attack.c,
# independent of chanval's analysis, on the PCRE2 test patterns chanval
# accepted in the last run of fuzz/tools/pcre2-tests.sh
# (build/pcre2-src/inputs/accepted.xml): inputs of 4,096 bytes counted with
# the cost model up to 100,000 steps.  Each pattern over the budget is a
# CV502 chanval missed; those listed in fuzz/tools/pcre2-attack-known are
# reported as known gaps instead of failing.  Exit 77 when there are no
# accepted patterns (the PCRE2 source could not be fetched).
# Last line: "pcre2-attack: N patterns, M missed, K known gaps".
set -u
attack=$1
in=build/pcre2-src/inputs/accepted.xml
known=fuzz/tools/pcre2-attack-known
if [ ! -s "$in" ]; then
    echo "pcre2-attack: no accepted PCRE2 test patterns (fuzz/tools/pcre2-tests.sh could not fetch them): skipped"
    exit 77
fi
out=$(sed -n 's/.*valueHex="\([0-9a-f]*\)".*/\1/p' "$in" | "$attack" 4096 100000)
rc=$?
[ $rc -le 1 ] || { echo "pcre2-attack: $attack failed (exit $rc)"; exit 1; }
missed=0
gaps=0
tab=$(printf '\t')
nl='
'
IFS_SAVE=$IFS
IFS=$nl
for line in $out; do
    case $line in
    over\ *) ;;
    *) continue ;;
    esac
    pat=$(printf '%s\n' "$line" | sed 's/^over [0-9]* steps (pump .*, suffix [0-9]*): //')
    if [ -f "$known" ] && grep -v '^#' "$known" | cut -f 1 -d "$tab" | grep -qxF -e "$pat"; then
        echo "known gap: $pat"
        gaps=$((gaps + 1))
    else
        echo "$line"
        missed=$((missed + 1))
    fi
done
IFS=$IFS_SAVE
if [ -f "$known" ]; then
    grep -v '^#' "$known" | cut -f 1 -d "$tab" | while IFS= read -r pat; do
        printf '%s\n' "$out" | grep -qF -e "): $pat" ||
            echo "note: $pat is within the budget now: remove it from $known"
    done
fi
n=$(printf '%s\n' "$out" | sed -n 's/^\([0-9]*\) patterns, .*/\1/p')
echo "pcre2-attack: ${n:-0} patterns, $missed missed, $gaps known gaps"
[ "$missed" -eq 0 ]
