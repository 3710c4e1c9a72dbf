#!/bin/sh
# -o onto what is not a regular file writes into it, never replaces it: a
# character device (its own null and full, made with mknod so that the
# system's stay out of harm's way), a link to the standard output
# (/dev/stdout is one to /proc/self/fd/1) with a pipe behind it, a FIFO
# with a reader.  A full device or a closed pipe is exit 2 with the reason;
# a regular file behind a link to the standard output is appended to.
. tests/hostile/lib.sh
mknod "$T/null" c 1 3 2>/dev/null && mknod "$T/full" c 1 7 2>/dev/null ||
    { echo "skip: mknod needs root"; exit 77; }
expect_exit 0 "$T/out" "$CHANVAL" check $W corpus/valid/mixed.bin -o "$T/null"
[ -c "$T/null" ] || fail "-o NULLDEV replaced the device: $(ls -l "$T/null")"
expect_exit 2 "$T/out" "$CHANVAL" check $W corpus/valid/mixed.bin -o "$T/full"
[ -c "$T/full" ] || fail "-o FULLDEV replaced the device: $(ls -l "$T/full")"
grep -q "No space left on device" "$T/out" || fail "-o FULLDEV: the reason is not given"
expect_exit 2 "$T/out" "$CHANVAL" pack $W corpus/valid/mixed.xml -o "$T/full"
[ -c "$T/full" ] || fail "pack -o FULLDEV replaced the device"
expect_exit 2 "$T/out" "$CHANVAL" dump $W corpus/valid/mixed.bin -o "$T/full"
[ -c "$T/full" ] || fail "dump -o FULLDEV replaced the device"
expect_exit 2 "$T/out" "$CHANVAL" check $W corpus/valid/mixed.bin --write-baseline "$T/full"
[ -c "$T/full" ] || fail "--write-baseline FULLDEV replaced the device"

# a link to the standard output, a pipe behind it: the report goes down it
ln -s /proc/self/fd/1 "$T/stdout" || fail "ln"
timeout 20 "$CHANVAL" check $W corpus/valid/mixed.bin -o "$T/stdout" 2>"$T/err" | cat >"$T/got"
[ -L "$T/stdout" ] || fail "-o STDOUT-LINK replaced the link: $(ls -l "$T/stdout")"
grep -q "in 3 files" "$T/got" || { cat "$T/err"; fail "-o STDOUT-LINK: the report did not reach the pipe"; }
# (the system's /dev/stdout itself is never named: a binary with the bug
# would replace it for the whole machine)

# a regular file behind the link (>> in a shell): appended to, not replaced
echo keep >"$T/log"
ino=$(ls -i "$T/log" | cut -d' ' -f1)
"$CHANVAL" check $W corpus/valid/mixed.bin -o "$T/stdout" >>"$T/log" 2>"$T/err" ||
    { cat "$T/err"; fail "-o STDOUT-LINK >> FILE failed"; }
[ "$(head -n 1 "$T/log")" = keep ] || fail "-o STDOUT-LINK >> FILE: what was there is lost"
grep -q "in 3 files" "$T/log" || fail "-o STDOUT-LINK >> FILE: no report"
[ "$(ls -i "$T/log" | cut -d' ' -f1)" = "$ino" ] || fail "-o STDOUT-LINK >> FILE replaced the file"

# the reader of the pipe gone: exit 2 with the reason, not death by SIGPIPE
{ sleep 1; "$CHANVAL" check $W corpus/valid/mixed.bin -o "$T/stdout" 2>"$T/err"; echo $? >"$T/rc"; } | true
[ "$(cat "$T/rc")" = 2 ] || fail "-o STDOUT-LINK into a closed pipe: exit $(cat "$T/rc"), expected 2"
grep -q "Broken pipe" "$T/err" || fail "-o STDOUT-LINK into a closed pipe: no reason given"

# a FIFO with a reader receives the report
mkfifo "$T/fifo" || fail "mkfifo"
cat "$T/fifo" >"$T/fromfifo" &
reader=$!
expect_exit 0 "$T/out" "$CHANVAL" check $W corpus/valid/mixed.bin -o "$T/fifo"
wait $reader
[ -p "$T/fifo" ] || fail "-o FIFO replaced the FIFO"
grep -q "in 3 files" "$T/fromfifo" || fail "-o FIFO: the report did not arrive"
echo "ok: -o into a character device, a FIFO, a link to stdout: written in place, never replaced; a full device is exit 2 with the reason"
