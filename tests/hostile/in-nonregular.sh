# Inputs that are not regular files (a FIFO with no writer, a character
# device) are refused at once with exit 2, wherever they are named: as a
# file to check, as -t or -f, as --baseline, or found in a walked folder.
. tests/hostile/lib.sh
mkfifo "$T/p.bin" || exit 77
expect_exit 2 "$T/o1" "$CHANVAL" check $W "$T/p.bin"
grep -q "FIFO, not a regular file" "$T/o1" || fail "the FIFO is not named as the reason"
expect_exit 2 "$T/o2" "$CHANVAL" check -t "$T/p.bin" -f corpus/world/fleet.xml corpus/valid/mixed.bin
expect_exit 2 "$T/o3" "$CHANVAL" check -t corpus/world/types.xml -f "$T/p.bin" corpus/valid/mixed.bin
expect_exit 2 "$T/o4" "$CHANVAL" check $W --baseline "$T/p.bin" corpus/valid/mixed.bin
mkdir "$T/d" && cp corpus/valid/mixed.bin "$T/d/" && mkfifo "$T/d/q.bin"
expect_exit 2 "$T/o5" "$CHANVAL" check $W "$T/d"
grep -q "q.bin.*FIFO" "$T/o5" || fail "the walked FIFO is not reported"
expect_exit 2 "$T/o6" "$CHANVAL" check $W /dev/zero
grep -q "character device" "$T/o6" || fail "/dev/zero is not refused as a device"
echo "FIFOs and devices refused (positional, -t, -f, --baseline, walked) with exit 2"
