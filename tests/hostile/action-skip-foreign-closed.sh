# --skip-foreign fails closed: every file meant as chanval content is
# checked and fails, down to a document cut off inside or right after its
# root's name; only the unrelated pom.xml is skipped.
. tests/hostile/lib.sh
printf '<?xml version="1.0"?>\n<project><modelVersion>4.0.0</modelVersion></project>\n' >"$T/pom.xml"
expect_exit 0 "$T/out" "$CHANVAL" check -v --skip-foreign $W "$T/pom.xml"
grep -q "^skipped $T/pom.xml" "$T/out" || fail "the pom.xml was not listed as skipped: $(cat "$T/out")"
n=0
meant() { # NAME BYTES: checked, exit 1, a rule named
    n=$((n + 1))
    printf "$2" >"$T/$1"
    expect_exit 1 "$T/out" "$CHANVAL" check -v --skip-foreign $W "$T/pom.xml" "$T/$1"
    grep -q 'error\[CV[0-9]*\]' "$T/out" || fail "$1 failed without a rule: $(cat "$T/out")"
    grep -q "^skipped $T/$1" "$T/out" && fail "$1 was skipped"
}
meant broken-fleet.xml '<?xml version="1.0"?>\n<fleet formatVersion="1"><sensor'
meant cut-after-root.xml '<?xml version="1.0"?>\n<templateTypes'
meant cut-after-root-bom.xml '\357\273\277<fleet'
meant cut-inside-root.xml '<?xml version="1.0"?>\n<chan'
meant misspelt-root.xml '<chanel formatVersion="1"/>\n'
meant truncated-magic.bin 'CHNL\001'
meant text.chnl 'not a channel file\n'
echo "--skip-foreign skips a pom.xml but checks and fails all $n files meant as chanval content (broken, cut off at or inside the root's name, misspelt root with formatVersion, CHNL magic, *.chnl)"
