# --skip-foreign: a named XML file that is no chanval document is skipped
# (listed with -v); a broken or misspelt chanval document, a *.chnl file
# and standard input are still checked and fail
W="-t corpus/world/types.xml -f corpus/world/fleet.xml"
T=$TMPDIR
printf '<?xml version="1.0"?>\n<project><modelVersion>4.0.0</modelVersion></project>\n' >"$T/pom.xml"
printf '<chanel formatVersion="1"/>\n' >"$T/typo.xml"
printf 'not a channel file\n' >"$T/notes.chnl"
run() { "$CHANVAL" "$@" >"$T/out" 2>&1; echo "exit $?"; grep -v '^checked ' "$T/out" | sed "s|$T/||g"; }
run check -v --skip-foreign $W "$T/pom.xml"
run check --skip-foreign $W "$T/pom.xml" "$T/typo.xml" "$T/notes.chnl"
run check --skip-foreign $W - <"$T/pom.xml"
# without it, the pom.xml fails as before
run check $W "$T/pom.xml"
