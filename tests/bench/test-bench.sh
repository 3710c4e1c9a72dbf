#!/bin/sh
# test-bench.sh BUILD DIR RUNS - chanval test's rows of make bench:
#   - the interpreter alone (tests/bench/eval.c): events/s on 10,000
#     equals instances, with the equals index and with a plain loop;
#   - chanval test --benign end to end (JSON Lines parsed, every instance on
#     both sample sensors): events/s with -j 1 and -j 2, and --plain;
#   - growth: 125,000 against 1,000,000 events (n against 8n);
#   - jansson against json-c on the same million events (tests/bench/json/);
#   - the shard and merge round trip: two shards (GNU parallel) merged give
#     the report of one run, byte for byte.
set -eu
build=$1
dir=$2
runs=$3
C=$build/chanval
R=$build/bench/runner
W="-t corpus/world/types.xml -f corpus/world/fleet.xml"
[ -s "$dir/benign-1m.jsonl" ] || python3 tools/gen-benign.py 1000000 >"$dir/benign-1m.jsonl"
[ -s "$dir/benign-125k.jsonl" ] || head -n 125000 "$dir/benign-1m.jsonl" >"$dir/benign-125k.jsonl"
python3 tests/bench/gen-equals.py 10000 >"$dir/equals.xml"
$C pack --no-config $W "$dir/equals.xml" -o "$dir/equals.bin"
rate() { awk -v n="$1" -v t="$2" 'BEGIN { printf "%.0f", n / t }'; }

echo "the interpreter alone (tests/bench/eval.c; 10,000 instances, each an EQUALS on image_path)"
"$build/bench/eval" corpus/world/types.xml corpus/world/fleet.xml "$dir/equals.bin" 7.11.18110 4000000 |
    sed 's/^/  /'

echo
echo "chanval test --benign, end to end (1,000,000 events of tools/gen-benign.py, both sample sensors)"
printf '  %-44s %9s %12s\n' content time events/s
for c in "corpus/valid/mixed.bin:-j 1" "corpus/valid/mixed.bin:-j 2" "$dir/equals.bin:-j 1" \
         "$dir/equals.bin:-j 2"; do
    f=${c%%:*}
    opts=${c#*:}
    set -- $("$R" "$runs" "$C" test --no-config $W $opts --benign "$dir/benign-1m.jsonl" "$f")
    printf '  %-44s %8.3fs %12s\n' "$(basename "$f") $opts" "$1" "$(rate 1000000 "$1")"
done
# the plain loop over 10,000 instances is slow: 125,000 events
set -- $("$R" "$runs" "$C" test --no-config $W --plain --benign "$dir/benign-125k.jsonl" "$dir/equals.bin")
printf '  %-44s %8.3fs %12s  (125,000 events)\n' "equals.bin -j 1 --plain" "$1" "$(rate 125000 "$1")"

set -- $("$R" "$runs" "$C" test --no-config $W --benign "$dir/benign-125k.jsonl" corpus/valid/mixed.bin)
t1=$1
set -- $("$R" "$runs" "$C" test --no-config $W --benign "$dir/benign-1m.jsonl" corpus/valid/mixed.bin)
echo "  growth, 125,000 to 1,000,000 events (8x): ${t1} s to ${1} s, $(awk -v a="$1" -v b="$t1" 'BEGIN { printf "%.2f", a / b }')x"

echo
echo "JSON Lines parsers on the same 1,000,000 events (tests/bench/json/parse.c)"
"$build/bench/json-parse" "$dir/benign-1m.jsonl" | sed 's/^/  /'

echo
echo "shard and merge (GNU parallel, 2 shards of chanval test --format json, then chanval merge)"
if ! command -v parallel >/dev/null 2>&1; then
    echo "  skipped: GNU parallel is not installed"
    exit 0
fi
T="$dir/shards"
rm -rf "$T" && mkdir -p "$T"
start=$(date +%s.%N)
parallel --will-cite -j 2 "$C" test --no-config $W --shard {}/2 --format json -o "$T/shard-{}.json" \
    --benign "$dir/benign-1m.jsonl" corpus/tests/ ::: 1 2 || true
"$C" merge --no-config $W --format json -o "$T/merged.json" "$T/shard-1.json" "$T/shard-2.json" || true
end=$(date +%s.%N)
"$C" test --no-config $W --format json -o "$T/one.json" --benign "$dir/benign-1m.jsonl" corpus/tests/ || true
if cmp -s "$T/one.json" "$T/merged.json"; then
    echo "  the merged report is the single run's, byte for byte ($(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }') s for both shards and the merge)"
else
    echo "  the merged report differs from the single run's"
    exit 1
fi
