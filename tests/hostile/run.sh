#!/bin/sh
# run.sh CHANVAL - hostile-input cases: one script per class of input that
# once made the gate pass what it did not check, hang, or clobber a file.
#
# Each tests/hostile/NAME.sh runs from the repository's top directory with
# CHANVAL set and TMPDIR a fresh empty directory of its own; exit 0 is a
# pass, 77 a skip (the case cannot be set up here, e.g. it needs a user
# other than root), anything else a failure.  A case says what it checks
# on its last line of output.  Every case runs under a time limit, so a
# hang is a failure, not a stuck suite.
set -u
CHANVAL=$1
export CHANVAL LC_ALL=C
unset NO_COLOR
dir=tests/hostile
tmp=${TMPDIR:-/tmp}/chanval-hostile.$$
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
limit=${HOSTILE_TIMEOUT:-120}
passed=0
failed=0
skipped=0
for c in "$dir"/*.sh; do
    [ -e "$c" ] || continue
    case $(basename "$c") in run.sh|lib.sh) continue ;; esac
    name=$(basename "$c" .sh)
    rm -rf "$tmp/work" && mkdir "$tmp/work"
    TMPDIR=$tmp/work timeout -k 5 "$limit" sh "$c" >"$tmp/out" 2>&1 </dev/null
    rc=$?
    case $rc in
    0) passed=$((passed + 1)); echo "ok   $name: $(tail -n 1 "$tmp/out")" ;;
    77) skipped=$((skipped + 1)); echo "skip $name: $(tail -n 1 "$tmp/out")" ;;
    124|137) failed=$((failed + 1)); echo "FAIL $name: timed out after ${limit}s"; sed 's/^/  | /' "$tmp/out" | tail -n 20 ;;
    *) failed=$((failed + 1)); echo "FAIL $name: exit $rc"; sed 's/^/  | /' "$tmp/out" | tail -n 40 ;;
    esac
done
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
