# chanval dump prints a channel file's strings as XML on stdout, often a
# terminal: DEL, C1 controls (U+009B is CSI) and bidi overrides in a
# string go out as character references, and the dump still packs back
# to the same bytes.
. tests/hostile/lib.sh
printf '<?xml version="1.0" encoding="UTF-8"?>
<channel formatVersion="1" id="100" contentVersion="1">
  <instance id="1" typeId="12" typeVersion="1" action="detect" severity="high">
    <criterion field="user" op="equals" value="a\302\233[2Jb\342\200\256c\177d\342\201\246e"/>
  </instance>
</channel>
' >"$T/src.xml"
# shellcheck disable=SC2086
expect_exit 0 "$T/out" "$CHANVAL" pack $W "$T/src.xml" -o "$T/c.bin"
# shellcheck disable=SC2086
timeout 20 "$CHANVAL" dump $W "$T/c.bin" >"$T/dump.xml" 2>"$T/err" || fail "dump failed: $(cat "$T/err")"
if LC_ALL=C grep -q "$(printf '\302\233\|\342\200\256\|\177\|\342\201\246')" "$T/dump.xml"; then
    fail "dump printed a raw control character: $(grep criterion "$T/dump.xml" | cat -v)"
fi
grep -q 'value="a&#x9B;\[2Jb&#x202E;c&#x7F;d&#x2066;e"' "$T/dump.xml" ||
    fail "dump: unexpected value: $(grep criterion "$T/dump.xml" | cat -v)"
# shellcheck disable=SC2086
expect_exit 0 "$T/out" "$CHANVAL" pack $W "$T/dump.xml" -o "$T/again.bin"
cmp -s "$T/c.bin" "$T/again.bin" || fail "dump | pack does not round-trip"
echo "dump: DEL, C1 and bidi controls in strings printed as character references; round-trips"
