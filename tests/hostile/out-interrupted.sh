# A pack interrupted by SIGTERM, SIGINT or SIGHUP while it writes its
# output leaves neither a temporary file nor a target, and dies of the
# signal.  A preloaded fsync() that takes its time holds the run inside the
# write, so the signal lands there every time.
. tests/hostile/lib.sh
command -v cc >/dev/null 2>&1 || { echo "no C compiler to build the slow fsync"; exit 77; }
command -v perl >/dev/null 2>&1 || { echo "no perl to restore SIGINT"; exit 77; }
cat >"$T/slow.c" <<'C'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <unistd.h>
int fsync(int fd)
{
    int (*real)(int) = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
    sleep(4);
    return real(fd);
}
C
cc -shared -fPIC -o "$T/slow.so" "$T/slow.c" -ldl 2>"$T/cc.log" || { cat "$T/cc.log"; exit 77; }
export ASAN_OPTIONS="verify_asan_link_order=0:${ASAN_OPTIONS:-}"
leftovers() { ls -A "$T/o" | grep -v '^src.xml$'; }
for sig in TERM INT HUP; do
    rm -rf "$T/o" && mkdir "$T/o" && cp corpus/valid/mixed.xml "$T/o/src.xml"
    # (a background job starts with SIGINT ignored: perl restores it)
    LD_PRELOAD="$T/slow.so" perl -e '$SIG{INT} = "DEFAULT"; exec @ARGV' "$CHANVAL" pack $W "$T/o/src.xml" -o "$T/o/out.bin" >/dev/null 2>&1 &
    pid=$!
    n=0
    while [ $n -lt 100 ] && [ -z "$(leftovers)" ]; do sleep 0.05; n=$((n + 1)); done
    [ -n "$(leftovers)" ] || fail "no temporary file appeared while writing"
    kill -$sig $pid
    wait $pid
    rc=$?
    [ $rc -gt 128 ] || fail "SIG$sig: exit $rc, not death by the signal"
    [ -z "$(leftovers)" ] || fail "SIG$sig left behind: $(leftovers)"
done
echo "packs stopped by SIGTERM, SIGINT and SIGHUP while writing left nothing behind"
