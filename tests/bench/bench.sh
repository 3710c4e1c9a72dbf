#!/bin/sh
# bench.sh BUILD - the performance table of chanval, every figure measured
# in this run on the same files (medians of RUNS runs, default 5; twice
# that plus one for the files of 1 and 16 MB, whose runs are short):
#   - binary check at 1, 16 and 128 MB beside `openssl dgst -sha256` (the
#     floor: reading and hashing the file once), time per MB, peak RSS;
#   - channel source check beside `xmllint --noout --schema`;
#   - 10,000 small files with -j 2, files/s;
#   - XML documents of one shape at n and 8n, and the ratio of their times
#     (tests/bench/xml-growth.sh, which also runs alone).
# Files are generated under ${BENCH_DIR:-build/bench} from a fixed seed.
set -eu
build=$1
runs=${RUNS:-5}
dir=${BENCH_DIR:-build/bench}
C=$build/chanval
R=$build/bench/runner
G=$build/bench/gen
mkdir -p "$dir"
T=corpus/world/types.xml
F=$dir/fleet.xml
cat >"$F" <<XML
<fleet formatVersion="1">
  <sensor version="9.0.1" maxChannelBytes="4294967295" maxInstances="4294967295" maxRegexLength="4096" regexMatchLimit="100000">
    <supports typeId="7" typeVersion="3" inputs="21"/>
    <supports typeId="12" typeVersion="1" inputs="8"/>
  </sensor>
</fleet>
XML
LIMITS="--max-bytes 4294967296 --max-instances 4294967295 --max-xml-bytes 1073741824"

# about 360 bytes an instance in the default mix
for mb in 1 16 128; do
    [ -s "$dir/c$mb.bin" ] || "$G" --seed "$mb" --instances $((mb * 1048576 / 360)) "$dir/c$mb.xml" "$dir/c$mb.bin"
done
[ -d "$dir/many" ] || "$G" --seed 7 --many 10000 --instances 12 "$dir/many"

# Runs of well under a second are noisy on a shared machine: more of them.
runs_for() { if [ "$1" -le 16 ]; then echo $((runs * 2 + 1)); else echo "$runs"; fi; }

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
mbs() { awk -v s="$1" -v t="$2" 'BEGIN { printf "%.0f", s / 1048576 / t }'; }

echo "chanval $(sed -n 's/#define CHANVAL_VERSION "\(.*\)"/\1/p' validator/chanval.h), $(nproc) cores, $(uname -m), $runs runs each (median; files of 1 and 16 MB: $((runs * 2 + 1)))" 2>/dev/null ||
    echo "chanval, $(nproc) cores, $runs runs each (median)"
echo
echo "binary channel file check (chanval check -t T -f F FILE, text report)"
printf '%-8s %10s %10s %10s %9s %10s %12s %8s %10s\n' file bytes instances chanval MB/s ms/MB "sha256 dgst" ratio "RSS MiB"
for mb in 1 16 128; do
    f=$dir/c$mb.bin
    size=$(wc -c <"$f")
    inst=$(grep -c '<instance ' "$dir/c$mb.xml")
    n=$(runs_for "$mb")
    set -- $("$R" "$n" "$C" check --no-config $LIMITS -t "$T" -f "$F" "$f")
    t=$1 rss=$2
    d=$("$R" "$n" openssl dgst -sha256 "$f" | cut -d' ' -f1)
    printf '%-8s %10s %10s %9.3fs %9s %10.3f %11.3fs %8s %10.1f\n' "c$mb.bin" "$size" "$inst" "$t" \
        "$(mbs "$size" "$t")" "$(awk -v t="$t" -v s="$size" 'BEGIN { print t * 1000 / (s / 1048576) }')" \
        "$d" "$(ratio "$t" "$d")" "$(awk -v r="$rss" 'BEGIN { print r / 1024 }')"
done
set -- $("$R" "$runs" "$C" check --no-config --format json $LIMITS -t "$T" -f "$F" "$dir/c128.bin")
echo "  (c128.bin with --format json, which also hashes the file for the report: $1 s)"

# The HTML report keeps the bytes around each finding while the file is
# checked (windows, never the file): with the bench fleet the file is clean,
# with the sample fleet every instance with field 20 set is CV400 (and the
# file is over that fleet's size limit), so the page holds the most windows.
echo
echo "HTML report beside the JSON report (written to files; time, bytes written; growth: c16 to c128)"
printf '%-9s %-22s %9s %10s %10s %11s %6s\n' file fleet findings "json" "html" "html bytes" ratio
for mb in 16 128; do
    for fleet in "$F" corpus/world/fleet.xml; do
        n=$(runs_for "$mb")
        set -- $("$R" "$n" "$C" check --no-config --format json="$dir/c$mb.json" $LIMITS -t "$T" -f "$fleet" "$dir/c$mb.bin")
        tj=$1
        set -- $("$R" "$n" "$C" check --no-config --format html="$dir/c$mb.html" $LIMITS -t "$T" -f "$fleet" "$dir/c$mb.bin")
        th=$1
        [ "$mb" = 16 ] && [ "$fleet" != "$F" ] && h16=$th
        nf=$(grep -c '"rule":' "$dir/c$mb.json" || true)
        printf '%-9s %-22s %9s %9.3fs %9.3fs %11s %6s\n' "c$mb.bin" "$(basename "$fleet")" "$nf" \
            "$tj" "$th" "$(wc -c <"$dir/c$mb.html")" "$(ratio "$th" "$tj")"
    done
done
echo "  growth of the HTML run with the sample fleet, c16 to c128 (8x the bytes): $(ratio "$th" "$h16")x"

# chanval view prints every byte of a range with its structures: the same
# file, 1 MiB of it against 8 MiB (the check of the 16 MB file is in both)
echo
echo "chanval view --range of c16.bin (growth: 1 MiB to 8 MiB of bytes shown)"
set -- $("$R" "$runs" "$C" view --no-config $LIMITS -t "$T" -f "$F" --range 0:0x100000 "$dir/c16.bin")
v1=$1
set -- $("$R" "$runs" "$C" view --no-config $LIMITS -t "$T" -f "$F" --range 0:0x800000 "$dir/c16.bin")
v8=$1
set -- $("$R" "$runs" "$C" check --no-config $LIMITS -t "$T" -f "$F" "$dir/c16.bin")
echo "  1 MiB: ${v1} s, 8 MiB: ${v8} s (the check alone: $1 s); growth of what the view adds: $(awk -v a="$v8" -v b="$v1" -v c="$1" 'BEGIN { printf "%.2f", (a - c) / (b - c) }')x for 8x the bytes"

echo
echo "channel source check (chanval check vs xmllint --noout --schema formats/channel-source.xsd)"
printf '%-8s %10s %10s %12s %8s\n' file bytes chanval xmllint ratio
for mb in 1 16; do
    f=$dir/c$mb.xml
    n=$(runs_for "$mb")
    set -- $("$R" "$n" "$C" check --no-config $LIMITS -t "$T" -f "$F" "$f")
    t=$1
    x=$("$R" "$n" xmllint --noout --huge --schema formats/channel-source.xsd "$f" | cut -d' ' -f1)
    printf '%-8s %10s %9.3fs %11.3fs %8s\n' "c$mb.xml" "$(wc -c <"$f")" "$t" "$x" "$(ratio "$t" "$x")"
done

echo
echo "many small files (chanval check -j 2 DIR)"
n=$(ls "$dir/many" | grep -c '\.bin$')
set -- $("$R" "$runs" "$C" check --no-config -q -j 2 -t "$T" -f "$F" "$dir/many")
printf '%s files of %s bytes on average: %.3f s, %s files/s\n' "$n" \
    "$(( $(cat "$dir"/many/*.bin | wc -c) / n ))" "$1" "$(awk -v n="$n" -v t="$1" 'BEGIN { printf "%.0f", n / t }')"
set -- $("$R" "$runs" "$C" check --no-config -q -j 1 -t "$T" -f "$F" "$dir/many")
printf '  with -j 1: %.3f s, %s files/s\n' "$1" "$(awk -v n="$n" -v t="$1" 'BEGIN { printf "%.0f", n / t }')"
# the result cache: one cold run fills it, the warm runs reuse every entry
set -- $("$R" "$runs" "$C" check --no-config -q -j 2 -t "$T" -f "$F" "$dir/many")
plain=$1
rm -rf "$dir/cache"
set -- $("$R" 1 "$C" check --no-config -q -j 2 --cache-dir "$dir/cache" -t "$T" -f "$F" "$dir/many")
cold=$1
set -- $("$R" "$runs" "$C" check --no-config -q -j 2 --cache-dir "$dir/cache" -t "$T" -f "$F" "$dir/many")
printf '  with --cache (-j 2): cold %.3f s, warm %.3f s = %.1f%% of an uncached run (%.3f s)\n' \
    "$cold" "$1" "$(awk -v w="$1" -v p="$plain" 'BEGIN { print 100 * w / p }')" "$plain"
rm -rf "$dir/cache"

echo
sh tests/bench/xml-growth.sh "$build"

# ---- the regex analysis: cost linear in the pattern (n against 8n) --------
# One regex criterion on client_image (1,024 bytes) per file; the rows give
# the time and peak RSS at n and at 8n, and the time ratio per byte of
# pattern (1 is linear; a cubic cost would show about 64).
rx_doc() { # FILE PATTERN...
    out=$1
    shift
    {
        echo '<channel formatVersion="1" id="1" contentVersion="1">'
        i=1
        for p in "$@"; do
            printf '  <instance id="%d" typeId="7" typeVersion="3" action="detect" severity="high">\n' "$i"
            printf '    <criterion field="client_image" op="regex" value="%s"/>\n  </instance>\n' "$p"
            i=$((i + 1))
        done
        echo '</channel>'
    } >"$out"
}
rep() { awk -v s="$1" -v n="$2" 'BEGIN { for (i = 0; i < n; i++) printf "%s", s }'; }
alts() { awk -v n="$1" 'BEGIN { printf "(?:"; for (i = 0; i < n; i++) printf "%sx%dy", i ? "|" : "", i; printf ")*z" }'; }
echo
echo "regex analysis growth (chanval check, one regex on a 1,024-byte field; n against 8n)"
printf '%-36s %5s %6s %9s %8s %5s %6s %9s %8s %12s\n' shape n bytes time "RSS MiB" 8n bytes time "RSS MiB" "ratio/byte"
for shape in capture group alternation length; do
    set --
    for n in 30 240; do
        case $shape in
        capture) p="$(rep '(' "$n")a$(rep ')*' "$n")" d="nesting depth: (...(a)*...)*" ;;
        group) p="$(rep '(?:a|' "$n")b$(rep ')*' "$n")" d="nesting depth: (?:a|...(?:a|b)*...)*" ;;
        alternation) p="$(alts "$n")" d="length: (?:x0y|x1y|...)*z" ;;
        length) p="$(rep '[a-z]+x' "$n")" d="length: [a-z]+x[a-z]+x..." ;;
        esac
        rx_doc "$dir/rx-$shape-$n.xml" "$p"
        set -- "$@" "$n" "${#p}" $("$R" "$runs" "$C" check --no-config $LIMITS -t "$T" -f "$F" "$dir/rx-$shape-$n.xml")
    done
    printf '%-36s %5s %6s %8.3fs %8.1f %5s %6s %8.3fs %8.1f %12.2f\n' "$d" "$1" "$2" "$3" \
        "$(awk -v r="$4" 'BEGIN { print r / 1024 }')" "$5" "$6" "$7" "$(awk -v r="$8" 'BEGIN { print r / 1024 }')" \
        "$(awk -v a="$3" -v b="$7" -v x="$2" -v y="$6" 'BEGIN { print (b / y) / (a / x) }')"
done
# The counted-repeat family: (?:a+){k}b for k = 1..100, one file.
set --
for k in $(seq 1 100); do set -- "$@" "(?:a+){$k}b"; done
rx_doc "$dir/rx-counted.xml" "$@"
"$C" check --no-config $LIMITS -t "$T" -f "$F" "$dir/rx-counted.xml" >"$dir/rx-counted.out" 2>&1 || true
c502=$(sed -n 's/.*error\[CV502\]: instance \([0-9]*\) .*/\1/p' "$dir/rx-counted.out" | sort -u | wc -l)
c501=$(sed -n 's/.*error\[CV501\]: instance \([0-9]*\) .*/\1/p' "$dir/rx-counted.out" | sort -u | wc -l)
echo "counted repeats (?:a+){k}b, k = 1..100, 1,024-byte field: $c502 CV502, $c501 CV501, $((100 - c502 - c501)) without a finding (k = 1 is linear)"

# ---- chanval test: events/s, growth, the JSON parsers, shard and merge ----
echo
sh tests/bench/test-bench.sh "$build" "$dir" "$runs"
