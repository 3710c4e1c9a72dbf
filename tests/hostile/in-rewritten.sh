# A large (mapped) file rewritten in place while it is checked: no run may
# report exit 0 with a digest that is not the digest of bytes that pass.
. tests/hostile/lib.sh
src=$T/big.xml
{
    echo '<channel formatVersion="1" id="1" contentVersion="1">'
    i=1
    while [ $i -le 9000 ]; do
        echo "<instance id=\"$i\" typeId=\"12\" typeVersion=\"1\" action=\"detect\" severity=\"low\"><criterion field=\"image_path\" op=\"equals\" value=\"C:\\\\Windows\\\\System32\\\\tool$i.exe\"/></instance>"
        i=$((i + 1))
    done
    echo '</channel>'
} >"$src"
"$CHANVAL" pack $W "$src" -o "$T/good.bin" >/dev/null 2>&1 || fail "cannot pack the test file"
size=$(wc -c <"$T/good.bin")
[ "$size" -gt 1100000 ] || fail "the test file is too small to be mapped ($size bytes)"
cp "$T/good.bin" "$T/bad.bin"
# the bad copy differs in one byte near the end (the digest no longer matches)
printf '\377' | dd of="$T/bad.bin" bs=1 seek=$((size - 10)) conv=notrunc 2>/dev/null
good=$(sha256sum <"$T/good.bin" | cut -d' ' -f1)
cp "$T/good.bin" "$T/c.bin"
sleep 3 # not "in flux": the file is mapped
( i=0; while [ $i -lt 400 ] && [ ! -e "$T/stop" ]; do
      dd if="$T/bad.bin" of="$T/c.bin" conv=notrunc bs=65536 2>/dev/null
      dd if="$T/good.bin" of="$T/c.bin" conv=notrunc bs=65536 2>/dev/null
      i=$((i + 1))
  done ) &
writer=$!
n=0 zero=0
while [ $n -lt 15 ]; do
    "$CHANVAL" check --format json $W "$T/c.bin" >"$T/r.json" 2>/dev/null
    rc=$?
    if [ $rc -eq 0 ]; then
        zero=$((zero + 1))
        grep -q "$good" "$T/r.json" || { touch "$T/stop"; fail "exit 0 with a digest other than the valid bytes'"; }
    fi
    n=$((n + 1))
done
touch "$T/stop"
wait $writer
# unchanged, the same file passes (the check above could not pass vacuously)
cp "$T/good.bin" "$T/d.bin"
sleep 3
"$CHANVAL" check --format json $W "$T/d.bin" >"$T/r2.json" 2>&1 || fail "the unchanged file does not pass"
grep -q "$good" "$T/r2.json" || fail "the unchanged file's digest is not reported"
echo "15 checks of a file rewritten under them: $zero exit 0, each with the valid bytes' digest"
