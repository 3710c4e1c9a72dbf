#!/bin/sh
# run.sh BUILD - `make install` into a staging directory: the command, the
# library and header, the manual page (checked with groff when present) and
# the bash completion (exercised in bash); the build takes hardening flags
# from the environment.
set -u
build=$1
stage=${TMPDIR:-/tmp}/chanval-install.$$
trap 'rm -rf "$stage"' EXIT
passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL install: $1"; }

make -s install BUILD="$build" DESTDIR="$stage" PREFIX=/usr >/dev/null || bad "make install"
for f in bin/chanval lib/libchanval.a lib/libchanval.so lib/libchanval.so.0 lib/pkgconfig/chanval.pc \
         include/chanval.h share/man/man1/chanval.1 share/bash-completion/completions/chanval \
         share/zsh/vendor-completions/_chanval share/fish/vendor_completions.d/chanval.fish; do
    if [ -s "$stage/usr/$f" ]; then ok; else bad "missing $f"; fi
done
"$stage/usr/bin/chanval" --version | grep -q '^chanval ' && ok || bad "installed chanval runs"
# a distribution's hardening flags are appended to the project's: a
# _FORTIFY_SOURCE level of their own (dpkg-buildflags' CPPFLAGS, Arch's
# CFLAGS -Wp,-D_FORTIFY_SOURCE=3) must not meet the default's definition
for flags in "CPPFLAGS=-D_FORTIFY_SOURCE=3" "CFLAGS=-Wp,-D_FORTIFY_SOURCE=3"; do
    if make -s BUILD="$stage/fortify" "$flags" "$stage/fortify/obj/base/alloc.o" >"$stage/fortify.log" 2>&1; then ok
    else bad "make $flags: $(grep -m 1 error "$stage/fortify.log")"; fi
    rm -rf "$stage/fortify"
done
if command -v groff >/dev/null 2>&1; then
    if groff -man -Tutf8 -ww -z "$stage/usr/share/man/man1/chanval.1" 2>&1 | grep -q .; then
        bad "groff warns about the manual page"
    else ok; fi
fi
if command -v bash >/dev/null 2>&1; then
    out=$(PATH="$stage/usr/bin:$PATH" bash -c '
        . "$1"
        complete_words() { COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMPREPLY=(); _chanval; echo "${COMPREPLY[*]}"; }
        complete_words chanval ex
        complete_words chanval check --format s
        complete_words chanval explain CV40
        complete_words chanval help d' _ "$stage/usr/share/bash-completion/completions/chanval")
    expect='explain
sarif
CV400 CV401 CV402 CV403 CV404 CV409
dump diff'
    if [ "$out" = "$expect" ]; then ok; else bad "bash completion gave: $out"; fi
    # a file name with spaces is one candidate, also after --format FMT=
    mkdir -p "$stage/names" && : >"$stage/names/my channel file.bin"
    out=$(cd "$stage/names" && bash -c '
        . "$1"
        complete_words() { COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMPREPLY=(); _chanval; printf "%s|" "${#COMPREPLY[@]}" "${COMPREPLY[@]}"; echo; }
        complete_words chanval check my
        complete_words chanval check --format sarif=my
        complete_words chanval rules --format m' _ "$stage/usr/share/bash-completion/completions/chanval")
    expect='1|my channel file.bin|
1|sarif=my channel file.bin|
1|markdown|'
    if [ "$out" = "$expect" ]; then ok; else bad "bash completion of names with spaces gave: $out"; fi
fi
# every long option of --help is in the manual page and the completion
opts=$("$stage/usr/bin/chanval" --help | grep -o '^ *\(-[a-z], \)\?--[a-z-]*' | sed 's/.*--/--/' | sort -u)
[ -n "$opts" ] && ok || bad "no options found in chanval --help"
for o in $opts; do
    man_o=$(printf '%s' "$o" | sed 's/-/\\\\-/g')
    grep -q -- "$man_o\b" "$stage/usr/share/man/man1/chanval.1" || bad "the manual page lacks $o"
    grep -q -- "$o\b" "$stage/usr/share/bash-completion/completions/chanval" ||
        bad "the bash completion lacks $o"
    grep -q -- "$o\b" "$stage/usr/share/zsh/vendor-completions/_chanval" ||
        bad "the zsh completion lacks $o"
    grep -q -- "${o#--}\b" "$stage/usr/share/fish/vendor_completions.d/chanval.fish" ||
        bad "the fish completion lacks $o"
done
# the other shells' completions parse (when the shell is here)
for sh in zsh fish; do
    command -v $sh >/dev/null 2>&1 || { echo "install: $sh not installed: its completion is not parsed"; continue; }
    f=$stage/usr/share/zsh/vendor-completions/_chanval
    [ $sh = fish ] && f=$stage/usr/share/fish/vendor_completions.d/chanval.fish
    if $sh -n "$f"; then ok; else bad "$sh cannot parse its completion"; fi
done
if command -v fish >/dev/null 2>&1; then
    out=$(PATH="$stage/usr/bin:$PATH" fish -c "source $stage/usr/share/fish/vendor_completions.d/chanval.fish; complete -C 'chanval check --sarif-c'; complete -C 'chanval explain CV40'" 2>&1)
    case $out in *--sarif-category*CV409*) ok ;; *) bad "fish completion gave: $out" ;; esac
fi
# the installed pkg-config file names the installed library
pc=$stage/usr/lib/pkgconfig/chanval.pc
grep -q '^libdir=/usr/lib$' "$pc" && grep -q '^Version: ' "$pc" && ok || bad "chanval.pc: $(cat "$pc")"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
