#!/bin/sh
# xml-growth.sh BUILD - time of chanval check on XML documents of one shape
# at size n and 8n: a ratio near 8 is linear, near 64 quadratic.  Part of
# make bench (tests/bench/bench.sh); runs alone too, from the top:
#   sh tests/bench/xml-growth.sh build/bench-opt
# Files go to ${BENCH_DIR:-build/bench}/xml-growth; medians of RUNS runs.
set -eu
build=$1
runs=${RUNS:-5}
dir=${BENCH_DIR:-build/bench}/xml-growth
C=$build/chanval
R=$build/bench/runner
mkdir -p "$dir"
W="-t corpus/world/types.xml -f corpus/world/fleet.xml"
ROOT='<channel formatVersion="1" id="1" contentVersion="1">'

# gen SHAPE N FILE: one document of the shape at size N
gen() {
    awk -v shape="$1" -v n="$2" -v root="$ROOT" 'BEGIN {
        inst = "<instance id=\"%d\" typeId=\"12\" typeVersion=\"1\" action=\"detect\" severity=\"high\">" \
               "<criterion field=\"image_path\" op=\"equals\" value=\"x\"/></instance>\n"
        if (shape == "refused") {  # one start tag, refused before libxml2 reads it
            printf "<channel formatVersion=\"1\" id=\"1\" contentVersion=\"1\""
            for (i = 0; i < n; i++) printf " a%d=\"0\"", i
            print "/>"; exit
        }
        print root
        if (shape == "attributes")  # n elements at the limit, 64 attributes each
            for (i = 0; i < n; i++) {
                printf "<x"
                for (j = 0; j < 64; j++) printf " a%d=\"1\"", j
                print "/>"
            }
        else if (shape == "elements")  # n instances side by side
            for (i = 1; i <= n; i++) printf inst, i
        else if (shape == "pis") {  # n suppressions before one instance
            for (i = 0; i < n; i++) printf "<?chanval suppress=\"CV401\" reason=\"r\"?>%s", (i % 20 == 19 ? "\n" : "")
            printf inst, 1
        } else if (shape == "comments")
            for (i = 0; i < n; i++) printf "<!-- c -->%s", (i % 100 == 99 ? "\n" : "")
        else if (shape == "value") {  # one attribute value of n bytes
            printf "<instance id=\"1\" typeId=\"12\" typeVersion=\"1\" action=\"detect\" severity=\"high\">"
            printf "<criterion field=\"image_path\" op=\"equals\" value=\""
            for (i = 0; i < n / 64; i++) printf "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
            print "\"/></instance>"
        } else if (shape == "line") {  # n findings on one line, 1,000 spaces apart
            sp = sprintf("%1000s", "")
            for (i = 0; i < n; i++) printf "<x/>%s", sp
            print ""
        } else if (shape == "namespaces") {  # 30 ancestors of 60 prefixes; n leaves of 60 prefixed attributes
            for (d = 0; d < 30; d++) {
                printf "<y%d", d
                for (j = 0; j < 60; j++) printf " xmlns:p%d_%d=\"u\"", d, j
                print ">"
            }
            for (i = 0; i < n; i++) {
                printf "<z"
                for (j = 0; j < 60; j++) printf " p0_%d:a=\"1\"", j
                print "/>"
            }
            for (d = 29; d >= 0; d--) print "</y" d ">"
        }
        print "</channel>"
    }' >"$3"
}

echo "XML growth: chanval check at n and 8n (ratio 8 is linear, 64 quadratic)"
printf '%-11s %-48s %8s %10s %8s %10s %8s %6s\n' shape "document" n bytes time 8n-bytes time ratio
row() { # SHAPE N WHAT [OPTIONS]
    shape=$1 n=$2 what=$3
    shift 3
    for k in 1 8; do
        f=$dir/$shape-$((n * k)).xml
        [ -s "$f" ] || gen "$shape" $((n * k)) "$f"
    done
    a=$("$R" "$runs" "$C" check --no-config "$@" $W "$dir/$shape-$n.xml" | cut -d' ' -f1)
    b=$("$R" "$runs" "$C" check --no-config "$@" $W "$dir/$shape-$((n * 8)).xml" | cut -d' ' -f1)
    printf '%-11s %-48s %8s %10s %7.3fs %10s %7.3fs %6s\n' "$shape" "$what" "$n" \
        "$(wc -c <"$dir/$shape-$n.xml")" "$a" "$(wc -c <"$dir/$shape-$((n * 8)).xml")" "$b" \
        "$(awk -v a="$a" -v b="$b" 'BEGIN { if (a > 0) printf "%.1f", b / a; else print "-" }')"
}
row attributes 2000 "n elements of 64 attributes (the limit)"
row refused 200000 "one element of n attributes (CV120 at once)"
row elements 20000 "n instances side by side"
row comments 100000 "n comments"
row pis 20000 "n <?chanval suppress?> before one instance"
row value 1048576 "one attribute value of n bytes"
row line 1000 "n findings on one line, 1,000 spaces apart"
row namespaces 1000 "n elements using prefixes of 30 ancestors"
