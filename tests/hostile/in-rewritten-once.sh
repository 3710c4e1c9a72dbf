# A mapped (>1 MB) file written to once while it is checked, then put back
# as it was: no verdict and no digest (exit 2, "changed while"), whatever
# bytes the rules and the hash happened to see.  Deterministic: the write
# lands during the check, unlike a rewriting loop.  Before: exit 0.
. tests/hostile/lib.sh
command -v python3 >/dev/null 2>&1 || { echo "no python3"; exit 77; }
command -v sha256sum >/dev/null 2>&1 || { echo "no sha256sum"; exit 77; }
awk 'BEGIN {
    print "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
    print "<channel formatVersion=\"1\" id=\"291\" contentVersion=\"202600000001\">"
    # a regex in every 6th instance: the check takes a while, the hash not
    for (i = 1; i <= 9000; i++)
        printf "  <instance id=\"%d\" typeId=\"12\" typeVersion=\"1\" action=\"log\" severity=\"low\">\n" \
               "    <criterion field=\"image_path\" op=\"%s\" value=\"%sv-%08d-(abc|def)+[a-z]{1,8}xyz0123456789%s\"/>\n" \
               "  </instance>\n", i, i % 6 ? "equals" : "regex", i % 6 ? "" : "^", i, i % 6 ? "" : "$"
    print "</channel>"
}' >"$T/src.xml"
# shellcheck disable=SC2086
expect_exit 0 "$T/pack.out" "$CHANVAL" pack $W "$T/src.xml" -o "$T/good.bin"
size=$(wc -c <"$T/good.bin")
[ "$size" -gt 1100000 ] || fail "test file of $size bytes is too small to be mapped"
good=$(sha256sum "$T/good.bin" | cut -d' ' -f1)
# the bad bytes: the last 256 KiB zeroed
cp "$T/good.bin" "$T/bad.bin"
dd if=/dev/zero of="$T/bad.bin" bs=1024 seek=$((size / 1024 - 256)) count=256 conv=notrunc 2>/dev/null
cp "$T/good.bin" "$T/g2.bin"
sleep 2.5 # with the second below: mapped, not "in flux"
# the rewriter starts first (python is slow to start) and waits for "go"
python3 - "$T/g2.bin" "$T/bad.bin" "$T/go" <<'PY' &
import os, sys, time
f, bad, go = sys.argv[1:]
n = 256 * 1024
h = os.open(f, os.O_RDWR)
at = os.fstat(h).st_size - n
g = os.pread(h, n, at)
b = open(bad, "rb").read()[-n:]
end = time.time() + 15
while not os.path.exists(go) and time.time() < end:
    time.sleep(0.005)
time.sleep(0.08)
os.pwrite(h, b, at)
os.pwrite(h, g, at)
PY
rewriter=$!
sleep 1
# shellcheck disable=SC2086
timeout 20 "$CHANVAL" check --format json $W "$T/g2.bin" >"$T/r2.json" 2>"$T/r2.err" &
checker=$!
touch "$T/go"
wait $rewriter
wait $checker
rc=$?
[ $rc -eq 2 ] || { cat "$T/r2.err"; fail "a file rewritten during its check: exit $rc, expected 2"; }
grep -q "changed while" "$T/r2.err" || fail "the reason is not named"
grep -q "$good" "$T/r2.json" && fail "the withdrawn digest is still reported"
# unchanged, the same file passes: the refusal above was not vacuous
# shellcheck disable=SC2086
expect_exit 0 "$T/r3" "$CHANVAL" check $W "$T/g2.bin"
echo "a mapped file written to (and restored) during its check: exit 2, 'changed while' named, no digest"
