# A run cut into shards with GNU parallel (as over ssh or in a batch
# engine), then joined by chanval merge, is the run: the same report, byte
# for byte, in every format.  Merge refuses what is not the N shards of one
# run: a shard missing or twice, another world, content changed since.
W="-t corpus/world/types.xml -f corpus/world/fleet.xml"
python3 tools/gen-benign.py 20000 >"$TMPDIR/b.jsonl"
cp corpus/tests/planted/block-svchost.xml "$TMPDIR/planted.xml"
run="--benign $TMPDIR/b.jsonl corpus/tests/ $TMPDIR/planted.xml"
parallel --will-cite -j 3 $CHANVAL test $W --shard {}/3 --format json -o "$TMPDIR/s{}.json" $run ::: 1 2 3
echo "shards: GNU parallel exit $? (the shards that found errors)"
for f in json text junit sarif html; do
    $CHANVAL test $W --format $f $run >"$TMPDIR/one.$f"
    $CHANVAL merge $W --format $f "$TMPDIR/s3.json" "$TMPDIR/s1.json" "$TMPDIR/s2.json" >"$TMPDIR/merged.$f"
    echo "merge, $f: exit $?"
    cmp -s "$TMPDIR/one.$f" "$TMPDIR/merged.$f" && echo "merge, $f: the same as one run"
done
sed "s#$TMPDIR#TMP#g" "$TMPDIR/merged.text"
refused() { # what merge says, and its exit status
    $CHANVAL merge "$@" >"$TMPDIR/out" 2>&1
    echo "exit $?: $(sed "s#$TMPDIR#TMP#g" "$TMPDIR/out")"
}
refused $W "$TMPDIR/s1.json" "$TMPDIR/s2.json"
refused $W "$TMPDIR/s1.json" "$TMPDIR/s2.json" "$TMPDIR/s2.json"
refused -t corpus/world/types.xml -f corpus/tests/fleet-one-sensor.xml "$TMPDIR/s1.json" "$TMPDIR/s2.json" "$TMPDIR/s3.json"
sed -i 's/svchost.exe/svchost2.exe/' "$TMPDIR/planted.xml"
refused $W "$TMPDIR/s1.json" "$TMPDIR/s2.json" "$TMPDIR/s3.json"
printf '{"version": 1}' >"$TMPDIR/not-a-shard.json"
refused $W "$TMPDIR/not-a-shard.json"
