#!/bin/sh
# lint.sh - action.yml and every workflow (the example and the project's
# own) against the schemas of GitHub Actions, with the npm
# @action-validator/cli, installed once into a cache under ${TMPDIR:-/tmp}.
# Exit 77 (skip) without npm, or when the npm registry cannot be reached.
set -u
VERSION=0.6.0
command -v npm >/dev/null 2>&1 || { echo "actions-lint: skipped (no npm)"; exit 77; }
cache=${TMPDIR:-/tmp}/chanval-action-validator-$VERSION
bin=$cache/node_modules/.bin/action-validator
if [ ! -x "$bin" ]; then
    staging=$cache.tmp.$$
    rm -rf "$staging" && mkdir -p "$staging" || exit 2
    if ! (cd "$staging" && npm install --silent --no-audit --no-fund \
            "@action-validator/cli@$VERSION" "@action-validator/core@$VERSION") >"$staging.log" 2>&1; then
        if ! npm ping --fetch-timeout=15000 >/dev/null 2>&1; then
            rm -rf "$staging" "$staging.log"
            echo "actions-lint: skipped (the npm registry cannot be reached for @action-validator/cli)"
            exit 77
        fi
        cat "$staging.log"
        rm -rf "$staging" "$staging.log"
        echo "actions-lint: npm install of @action-validator/cli failed"
        exit 1
    fi
    rm -f "$staging.log"
    rm -rf "$cache" && mv "$staging" "$cache"
fi
n=0
for f in action.yml integrations/github-actions.yml .github/workflows/*.yml; do
    out=$("$bin" "$f" 2>&1) || { printf '%s\n' "$out" | head -40; echo "actions-lint: $f is not valid"; exit 1; }
    n=$((n + 1))
done
# the check can fail: a step without its shell is refused
bad=${TMPDIR:-/tmp}/chanval-bad-action.$$
mkdir -p "$bad" && trap 'rm -rf "$bad"' EXIT
sed 's/^      shell: bash$//' action.yml >"$bad/action.yml"
"$bin" "$bad/action.yml" >/dev/null 2>&1 && { echo "actions-lint: a broken action.yml passed"; exit 1; }
echo "actions-lint: $n files valid (@action-validator/cli $VERSION); a broken action.yml is refused"
