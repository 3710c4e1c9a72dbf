#!/bin/sh
# build.sh [TARGET] - install what is missing, then `make TARGET`.
#   ./build.sh demo   build, then check the bundled sample world and corpus
#   ./build.sh test   build, then run every test (optimised and sanitized)
#   ./build.sh bench  the performance table (bench-redos: the regex-safety one)
set -eu
cd "$(dirname "$0")"
target=${1:-all}
case $target in
test) profile=test ;;
fuzz*) profile=fuzz ;;
bench*) profile=bench ;;
*) profile=build ;;
esac
sh tools/deps.sh "$profile"
jobs=$(nproc 2>/dev/null || echo 2)
exec make -j"$jobs" "$target"
