#!/bin/sh
# planted.sh HARNESS WORKDIR SECONDS - the demonstration that the soundness
# oracle works: HARNESS is harness_oracle linked against a library built
# with -DCHANVAL_PLANT_BUG_CV400 (validator/check/fleet.c: every sensor seems to
# supply one input more than it does, so CV400 misses the last index).
# Seeded only with the valid files of corpus/valid (none of them has the
# hazard), the fuzzer must produce a file that the planted chanval accepts
# and that makes the reference interpreter read past a sensor's input
# array, within SECONDS.  Prints the time to detection; exit 1 if missed.
set -u
bin=$1
work=$2
secs=$3
seed=${FUZZ_PLANTED_SEED:-1}
rm -rf "$work"
mkdir -p "$work/corpus" "$work/seeds" "$work/artifacts"
cp corpus/valid/*.bin "$work/seeds/"
start=$(date +%s)
"$bin" -seed="$seed" -max_total_time="$secs" -max_len=8192 \
    -dict=formats/dict/channel-file.dict -artifact_prefix="$work/artifacts/" \
    "$work/corpus" "$work/seeds" >"$work/log" 2>&1
rc=$?
end=$(date +%s)
crash=$(ls "$work/artifacts/" 2>/dev/null | head -n 1)
execs=$(grep -E '^#[0-9]+' "$work/log" | tail -n 1 | sed 's/^#\([0-9]*\).*/\1/')
what=$(grep -m 1 -E 'ERROR: AddressSanitizer: [a-z-]+' "$work/log" | sed 's/.*AddressSanitizer: \([a-z-]*\).*/\1/')
where=$(grep -m 1 -E '#[0-9]+ 0x[0-9a-f]+ in [a-z_]+ .*fuzz/oracle/' "$work/log" | sed 's/.* in \([a-z_]*\) .*\(fuzz\/oracle\/[a-z_]*\.c:[0-9]*\).*/\1 (\2)/')
if [ $rc -ne 0 ] && [ -n "$crash" ] && [ -n "$what" ] && [ -n "$where" ]; then
    echo "planted CV400 bug found by harness_oracle in $((end - start)) s" \
        "(about ${execs:-?} executions, -seed=$seed): $what in $where"
    echo "reproduce: $bin $work/artifacts/$crash"
    exit 0
fi
grep -E 'ERROR|finding' "$work/log" | head -n 5
echo "planted CV400 bug NOT found by harness_oracle within $secs s (exit $rc); log: $work/log"
exit 1
