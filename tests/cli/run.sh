#!/bin/sh
# run.sh CHANVAL [--update] - golden tests of the command line.
#
# Each case in tests/cli/cases/ is NAME.args (the arguments, shell-quoted,
# on one line) or NAME.sh (a script run with $CHANVAL set), with the
# expected NAME.stdout, NAME.status (exit code) and, when anything is
# written there, NAME.stderr.  Paths are relative to
# the repository's top directory, where this runs.  --update rewrites the
# expected files from the current behaviour, for review with git diff.
set -u
CHANVAL=$1
update=${2:-}
export CHANVAL LC_ALL=C NO_COLOR=
unset NO_COLOR
dir=tests/cli/cases
tmp=${TMPDIR:-/tmp}/chanval-cli.$$
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0
for c in "$dir"/*.args "$dir"/*.sh; do
    [ -e "$c" ] || continue
    name=${c%.*}
    case $c in
    *.args) eval "set -- $(cat "$c")"; "$CHANVAL" "$@" >"$tmp/out" 2>"$tmp/err" ;;
    *.sh) rm -rf "$tmp/work" && mkdir "$tmp/work" &&
          TMPDIR=$tmp/work sh "$c" >"$tmp/out" 2>"$tmp/err" ;;
    esac
    status=$?
    if [ "$update" = --update ]; then
        cp "$tmp/out" "$name.stdout"
        echo "$status" >"$name.status"
        if [ -s "$tmp/err" ]; then cp "$tmp/err" "$name.stderr"; else rm -f "$name.stderr"; fi
        continue
    fi
    [ -e "$name.stderr" ] || : >"$tmp/expect-err"
    if ! cmp -s "$tmp/out" "$name.stdout"; then
        echo "FAIL $(basename "$name"): stdout differs"
        diff -u "$name.stdout" "$tmp/out" | head -40
        failed=$((failed + 1))
    elif ! cmp -s "$tmp/err" "$([ -e "$name.stderr" ] && echo "$name.stderr" || echo "$tmp/expect-err")"; then
        echo "FAIL $(basename "$name"): stderr differs"
        diff -u "$([ -e "$name.stderr" ] && echo "$name.stderr" || echo /dev/null)" "$tmp/err" | head -40
        failed=$((failed + 1))
    elif [ "$status" != "$(cat "$name.status")" ]; then
        echo "FAIL $(basename "$name"): exit $status, expected $(cat "$name.status")"
        head -20 "$tmp/err"
        failed=$((failed + 1))
    else
        passed=$((passed + 1))
    fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
