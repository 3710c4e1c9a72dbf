#!/bin/sh
# demo.sh CHANVAL - the main job on the bundled corpus: validate the sample
# world, check the valid files, and show the channel-291 reproduction and a
# few other broken files being rejected with their diagnostics.
set -u
C=$1
T=corpus/world/types.xml
F=corpus/world/fleet.xml
status=0
step() { printf '\n== %s\n$ %s\n' "$1" "$2"; }
expect() { # expected exit status, then the command
    want=$1
    shift
    "$@"
    got=$?
    if [ "$got" -ne "$want" ]; then
        echo "demo: expected exit $want, got $got" >&2
        status=1
    fi
}

step "The world: template types and the fleet of 2024-07-19" "chanval check -t $T -f $F"
expect 0 "$C" check -t "$T" -f "$F"

step "Valid channel sources and files, on that fleet" "chanval check -q -t $T -f $F corpus/valid/*"
expect 0 "$C" check -q -t "$T" -f "$F" corpus/valid/*

step "Channel file 291: a regex on input 20, which sensor 7.11.18110 does not supply" \
     "chanval check -t $T -f $F corpus/invalid/CV400-channel-291.bin"
expect 1 "$C" check -t "$T" -f "$F" corpus/invalid/CV400-channel-291.bin

step "The same content on a fleet whose sensors all supply 21 inputs" \
     "chanval check -t $T -f corpus/world/fleet-healthy.xml corpus/invalid/CV400-channel-291.bin"
expect 0 "$C" check -t "$T" -f corpus/world/fleet-healthy.xml corpus/invalid/CV400-channel-291.bin

step "Files that are not channel files, and hostile XML" \
     "chanval check corpus/invalid/CV101-all-zero.bin corpus/invalid/CV101-empty.bin corpus/invalid/CV201-billion-laughs.xml corpus/invalid/CV201-xxe.xml"
expect 1 "$C" check corpus/invalid/CV101-all-zero.bin corpus/invalid/CV101-empty.bin \
    corpus/invalid/CV201-billion-laughs.xml corpus/invalid/CV201-xxe.xml

step "Every labelled file of the corpus" "chanval check -q -t $T -f $F corpus/invalid/*"
"$C" check -q -t "$T" -f "$F" corpus/invalid/* | tail -n 1
printf '\n(corpus/manifest.tsv lists the exact findings each file must produce; make test checks them.)\n'
[ $status -eq 0 ] && echo "demo: every check behaved as expected"
exit $status
