# "-" reads standard input, bounded by --max-bytes.
. tests/hostile/lib.sh
"$CHANVAL" check $W - <corpus/valid/mixed.bin >"$T/o1" 2>&1 || fail "a valid file on stdin: exit $?"
"$CHANVAL" check $W - <corpus/invalid/CV400-channel-291.bin >"$T/o2" 2>&1
[ $? -eq 1 ] || fail "channel 291 on stdin is not exit 1"
grep -q "^-:0x" "$T/o2" || fail "findings on stdin are not located as '-'"
head -c 5000 /dev/zero | "$CHANVAL" check $W --max-bytes 4096 - >"$T/o3" 2>&1
[ $? -eq 1 ] && grep -q "CV120" "$T/o3" || fail "stdin past --max-bytes is not CV120"
echo "stdin read as '-', bounded by --max-bytes"
