#!/bin/bash
# check.sh - the check step of the chanval GitHub Action (action.yml): one
# chanval run that writes SARIF, JUnit and Code Quality and annotates the
# pull request, with the inputs the workflow set.  Inputs come only through
# the environment (never pasted into a script), lists one item per line:
#   CHANVAL_PATHS, CHANVAL_TYPES, CHANVAL_FLEET   newline-separated
#   CHANVAL_CONFIG, CHANVAL_BASELINE, CHANVAL_CATEGORY, CHANVAL_JOBS
#   CHANVAL_STRICT                                 true|false
#   CHANVAL_SARIF, CHANVAL_JUNIT, CHANVAL_CODEQUALITY   report files ("" none)
# It writes exit-code and the report paths to $GITHUB_OUTPUT and exits 0:
# the action's last step fails the job, after the SARIF upload has run.
set -u
args=(check)
lines() { # VAR OPTION: one argument per non-empty line
    local line
    while IFS= read -r line; do
        line=${line%$'\r'}
        [ -n "$line" ] && args+=("$2" "$line")
    done <<<"$1"
}
lines "${CHANVAL_TYPES:-}" -t
lines "${CHANVAL_FLEET:-}" -f
[ -n "${CHANVAL_CONFIG:-}" ] && args+=(--config "$CHANVAL_CONFIG")
[ -n "${CHANVAL_BASELINE:-}" ] && args+=(--baseline "$CHANVAL_BASELINE")
case ${CHANVAL_STRICT:-false} in
true) args+=(--strict) ;;
false) ;;
*) echo "::error title=chanval::input strict is true or false, not '$CHANVAL_STRICT'"; echo "exit-code=2" >>"${GITHUB_OUTPUT:-/dev/null}"; exit 0 ;;
esac
[ -n "${CHANVAL_JOBS:-}" ] && args+=(-j "$CHANVAL_JOBS")
if [ -n "${CHANVAL_SARIF:-}" ]; then
    args+=(--format "sarif=$CHANVAL_SARIF")
    [ -n "${CHANVAL_CATEGORY:-}" ] && args+=(--sarif-category "$CHANVAL_CATEGORY")
fi
[ -n "${CHANVAL_JUNIT:-}" ] && args+=(--format "junit=$CHANVAL_JUNIT")
[ -n "${CHANVAL_CODEQUALITY:-}" ] && args+=(--format "codequality=$CHANVAL_CODEQUALITY")
args+=(--format github --)
while IFS= read -r line; do # the paths, after "--": a name may start with "-"
    line=${line%$'\r'}
    [ -n "$line" ] && args+=("$line")
done <<<"${CHANVAL_PATHS:-.}"
echo "chanval ${args[*]}"
chanval "${args[@]}"
rc=$?
{
    echo "exit-code=$rc"
    echo "sarif-file=${CHANVAL_SARIF:-}"
    echo "junit-file=${CHANVAL_JUNIT:-}"
    echo "codequality-file=${CHANVAL_CODEQUALITY:-}"
} >>"${GITHUB_OUTPUT:-/dev/null}"
exit 0
