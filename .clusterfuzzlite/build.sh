#!/bin/bash -eu
# .clusterfuzzlite/build.sh - build every fuzz/harness_*.c the OSS-Fuzz way:
# $CC/$CFLAGS (the sanitizer and coverage flags of the job) for the library
# and the harnesses, $LIB_FUZZING_ENGINE at link time, results in $OUT with
# <harness>_seed_corpus.zip, <harness>.dict and <harness>.options.
#
# libxml2, PCRE2 and libcrypto are linked statically: the image that runs
# the fuzzers has none of them.  Runs as is outside Docker too, e.g.
#   CC=clang CXX=clang++ CFLAGS="-O1 -g -fsanitize=address,fuzzer-no-link" \
#   CXXFLAGS="$CFLAGS" LIB_FUZZING_ENGINE=-fsanitize=fuzzer \
#   SRC=$(dirname "$PWD") OUT=/tmp/out .clusterfuzzlite/build.sh
set -eu
cd "$SRC/chanval"
WORK=${WORK:-$(mktemp -d)}
CXX=${CXX:-$CC}
CXXFLAGS=${CXXFLAGS:-$CFLAGS}
mkdir -p "$OUT" "$WORK/chanval/lib" "$WORK/chanval/support" "$WORK/chanval/harness"

pkgs="libxml-2.0 libpcre2-8 libcrypto"
inc="-Ivalidator -Ifuzz/support -Ifuzz/oracle $(pkg-config --cflags $pkgs)"
static=""
dynamic="-lstdc++"
for l in $(pkg-config --static --libs-only-l $pkgs); do
    case $l in
    -lm | -ldl | -lpthread | -lrt | -lc) dynamic="$dynamic $l" ;;
    *) static="$static $l" ;;
    esac
done
libs="-Wl,-Bstatic $static -Wl,-Bdynamic $dynamic -pthread"

# Findings already on record (corpus/regress/known-failures) are noted, not
# reported again, until their fix lands and the line goes.
known=$(grep -v '^#' corpus/regress/known-failures 2>/dev/null | cut -f 2 | sort -u | tr '\n' ' ')
defs="-DCVF_FUZZ_KNOWN_DEFAULT=\"${known% }\""

for f in validator/*/*.c; do
    case $f in validator/cli/*) continue ;; esac
    $CC $CFLAGS -std=c11 $inc -c "$f" -o "$WORK/chanval/lib/$(basename "$f" .c).o"
done
sh fuzz/tools/embed.sh corpus/world/types.xml cvf_types_xml corpus/world/fleet.xml cvf_fleet_xml \
    corpus/valid/mixed.xml cvf_source_xml corpus/valid/mixed.bin cvf_channel_bin \
    >"$WORK/chanval/world_data.c"
for f in fuzz/support/*.c fuzz/oracle/*.c "$WORK/chanval/world_data.c"; do
    [ "$(basename "$f")" = standalone.c ] && continue
    $CC $CFLAGS -std=c11 $inc "$defs" -c "$f" -o "$WORK/chanval/support/$(basename "$f" .c).o"
done
rm -f "$WORK/chanval/libchanval.a" "$WORK/chanval/libsupport.a"
ar rcs "$WORK/chanval/libchanval.a" "$WORK"/chanval/lib/*.o
ar rcs "$WORK/chanval/libsupport.a" "$WORK"/chanval/support/*.o

for f in fuzz/harness_*.c; do
    name=$(basename "$f" .c)
    $CC $CFLAGS -std=c11 $inc -c "$f" -o "$WORK/chanval/harness/$name.o"
    $CXX $CXXFLAGS "$WORK/chanval/harness/$name.o" "$WORK/chanval/libsupport.a" \
        "$WORK/chanval/libchanval.a" $LIB_FUZZING_ENGINE $libs -o "$OUT/$name"
done

# seeds (zipped), dictionaries, .options
python3 fuzz/tools/prepare.py --out "$OUT" --zip
