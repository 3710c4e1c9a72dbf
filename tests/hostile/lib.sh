# lib.sh - helpers the hostile cases source: `. tests/hostile/lib.sh`.
# W is the sample world; fail prints why and exits 1; expect_exit runs the
# command with a time limit and checks its exit status.
W="-t corpus/world/types.xml -f corpus/world/fleet.xml"
T=${TMPDIR:?}
fail() { echo "FAIL: $*"; exit 1; }
# expect_exit STATUS OUT COMMAND...: stdout and stderr go to OUT
expect_exit() {
    want=$1 out=$2
    shift 2
    timeout -k 2 20 "$@" >"$out" 2>&1 </dev/null
    got=$?
    [ "$got" -eq "$want" ] || { sed 's/^/  | /' "$out" | head -n 20; fail "$* exited $got, expected $want"; }
}
