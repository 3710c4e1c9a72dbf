# Inputs reach chanval as data: a test named with shell syntax, events that
# are not events, a test naming content that is not there or not loadable.
W="-t corpus/world/types.xml -f corpus/world/fleet.xml"
cp corpus/tests/mixed.test.jsonl "$TMPDIR/\$(touch pwned).test.jsonl"
sed -i 's#"\.\./valid/#"'"$PWD"'/corpus/valid/#' "$TMPDIR/\$(touch pwned).test.jsonl"
$CHANVAL test -v $W "$TMPDIR/\$(touch pwned).test.jsonl" >"$TMPDIR/out"
echo "exit $?"
# (its size depends on where the repository is: not shown)
sed "s#$TMPDIR#TMP#g; s#$PWD#TOP#g; s/ (test, [0-9]* bytes)//" "$TMPDIR/out" | grep -v '^checked corpus/world'

[ -e pwned ] || [ -e "$TMPDIR/pwned" ] && echo "a name ran as a command" || echo "the name stayed data"
printf '{"channel": "nowhere.bin"}\n' >"$TMPDIR/missing.test.jsonl"
printf '{"channel": "%s/corpus/invalid/CV107-digest-flipped.bin"}\n{"type": 7, "version": 3}\n' "$PWD" >"$TMPDIR/broken.test.jsonl"
printf '{"channel": "%s/corpus/valid/mixed.bin"}\n{"type": 7, "version": 3, "fields": {"pipe_name": "%s"}}\n[1]\n{"type": 7, "version": 3, "fields": {"pipe_name": "\\u00"}}\n' \
    "$PWD" "$(head -c 300 /dev/zero | tr '\0' a)" >"$TMPDIR/bad.test.jsonl"
$CHANVAL test $W "$TMPDIR/missing.test.jsonl" "$TMPDIR/broken.test.jsonl" "$TMPDIR/bad.test.jsonl" \
    >"$TMPDIR/out" 2>&1
echo "exit $?"
sed "s#$TMPDIR#TMP#g; s#$PWD#TOP#g" "$TMPDIR/out" | grep -v CV70[27]
echo "$(grep -c 'CV70[27]' "$TMPDIR/out") coverage warnings: nothing of the bad test ran"
$CHANVAL test $W --sensor 1.2.3 corpus/tests/ 2>&1
echo "exit $?"
$CHANVAL test $W --shard 3/2 corpus/tests/ 2>&1
echo "exit $?"
$CHANVAL check $W --benign x corpus/tests/ 2>&1
echo "exit $?"
# content named directly runs over --benign events: without them nothing
# would run it (a usage error, not a pass); with them, content a sensor
# cannot load fails the run (CV708)
$CHANVAL test $W corpus/valid/mixed.bin 2>&1
echo "exit $?"
printf '{"type": 12, "version": 1}\n' >"$TMPDIR/one.jsonl"
$CHANVAL test $W --benign "$TMPDIR/one.jsonl" corpus/invalid/CV107-digest-flipped.bin >"$TMPDIR/out" 2>&1
echo "exit $?"
sed "s#$TMPDIR#TMP#g" "$TMPDIR/out"
