#!/bin/sh
# smoke.sh HARNESS PREPDIR WORKDIR SECONDS - run one libFuzzer harness for
# SECONDS on its seed corpus (PREPDIR/<name>_seed_corpus, with the .dict
# and .options that fuzz/tools/prepare.py wrote there).  New inputs go to
# WORKDIR/corpus, crashes to WORKDIR/artifacts.  Exit 1 on any crash, leak,
# timeout or out-of-memory; the last line says what ran.
set -u
bin=$1
prep=$2
work=$3
secs=$4
name=$(basename "$bin")
args=""
if [ -f "$prep/$name.options" ]; then
    args=$(sed -n '/^\[libfuzzer\]/,/^\[/{s/^[[:space:]]*\([a-z_]*\)[[:space:]]*=[[:space:]]*\(.*[^[:space:]]\)[[:space:]]*$/\1 \2/p;}' \
        "$prep/$name.options" | while read -r k v; do
        [ "$k" = dict ] && v=$prep/$v
        printf ' -%s=%s' "$k" "$v"
    done)
elif [ -f "$prep/$name.dict" ]; then
    args=" -dict=$prep/$name.dict"
fi
# findings already on record do not stop the run
known=$(grep -v '^#' corpus/regress/known-failures 2>/dev/null | cut -f 2 | sort -u | tr '\n' ' ')
export CHANVAL_FUZZ_KNOWN="$known ${CHANVAL_FUZZ_KNOWN:-}"
rm -rf "$work"
mkdir -p "$work/corpus" "$work/artifacts"
seeds=$prep/${name}_seed_corpus
[ -d "$seeds" ] || seeds=""
# shellcheck disable=SC2086
"$bin" $args -max_total_time="$secs" -print_final_stats=1 \
    -artifact_prefix="$work/artifacts/" "$work/corpus" $seeds >"$work/log" 2>&1
rc=$?
stat() { sed -n "s/^stat::$1: *//p" "$work/log" | tail -n 1; }
cov=$(grep -E '^#[0-9]+' "$work/log" | tail -n 1 | sed -n 's/.*cov: \([0-9]*\) ft: \([0-9]*\).*/cov \1, ft \2/p')
summary="$(stat number_of_executed_units) execs, $(stat average_exec_per_sec) exec/s, ${cov:-no coverage line}, $(stat new_units_added) new"
if [ $rc -ne 0 ] || ls "$work/artifacts/" | grep -q .; then
    # what CI must show to reproduce it without the artifact: the finding,
    # the first frames of the stack, and the input
    grep -E 'ERROR|SUMMARY|runtime error|chanval fuzz finding|==[0-9]+==' "$work/log" | head -n 20
    grep -E '^ +#[0-9]+ ' "$work/log" | head -n 16
    for a in "$work"/artifacts/*; do
        [ -f "$a" ] || continue
        echo "$(basename "$a") ($(wc -c <"$a") bytes, base64):"
        head -c 4096 "$a" | base64 | head -n 60
    done
    echo "$name: FAILED (exit $rc): $summary; artifacts in $work/artifacts"
    echo "0 1" >"$work/result"
    exit 1
fi
echo "$name: ok in ${secs}s: $summary"
echo "1 0" >"$work/result"
