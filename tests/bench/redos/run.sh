#!/bin/sh
# run.sh BENCH SET BUDGET LENGTH NPM_CACHE - make bench-redos: chanval on the
# labelled set, then recheck and redos-detector on the same regexes.
set -u
bench=$1 set=$2 budget=$3 length=$4 npm_cache=$5
if [ ! -f "$set" ]; then
    echo "bench-redos: skipped: no labelled set at REDOS_SET=$set"
    exit 0
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/chanval-bench-redos.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT INT TERM
# the whole-file rows also measure the result cache: cold, warm, and with
# one regex changed
REDOS_CACHE_DIR=$work/cache "$bench" "$set" "$work/chanval.tsv" "$budget" "$length" || exit 2

# the other tools: JavaScript, installed on demand into a cache
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "bench-redos: recheck and redos-detector skipped: node or npm not found"
    exit 0
fi
if [ ! -d "$npm_cache/node_modules/recheck" ] || [ ! -d "$npm_cache/node_modules/redos-detector" ]; then
    mkdir -p "$npm_cache" &&
        (cd "$npm_cache" && npm install --no-audit --no-fund --loglevel=error \
            recheck redos-detector >/dev/null 2>&1) || {
        echo "bench-redos: recheck and redos-detector skipped: npm install failed"
        exit 0
    }
fi
node "$(dirname "$0")/compare.js" "$set" "$work/chanval.tsv" "$npm_cache/node_modules" \
    "${REDOS_DETAILS:-$work/details.tsv}"
