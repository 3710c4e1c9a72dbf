#!/bin/sh
# An output that is one of the inputs (the same file by name, through a
# symbolic link or a hard link) is refused before anything is written:
# exit 2, a message naming both, the input unchanged.  Inputs are operands,
# files found in a directory, -t/-f documents, --baseline, the
# configuration, pack's source, dump's input and diff's OLD and NEW.
. tests/hostile/lib.sh
cp corpus/valid/mixed.xml "$T/s.xml" && cp corpus/valid/mixed.bin "$T/c.bin" &&
    cp corpus/world/types.xml "$T/types.xml" && mkdir "$T/dir" &&
    cp corpus/valid/mixed.bin "$T/dir/d.bin" || fail "setup"
ln -s s.xml "$T/link.xml" && ln "$T/s.xml" "$T/hard.xml" || fail "links"
ln -s c.bin "$T/link.bin" && ln "$T/c.bin" "$T/hard.bin" || fail "links"
Wt="-t $T/types.xml -f corpus/world/fleet.xml"
printf '<?xml version="1.0"?>\n<chanvalBaseline formatVersion="1"/>\n' >"$T/base.xml"
printf '<?xml version="1.0"?>\n<chanvalConfig formatVersion="1"/>\n' >"$T/conf.xml"
for f in s.xml c.bin types.xml base.xml conf.xml dir/d.bin; do cp "$T/$f" "$T/$f.orig"; done

refused() { # TARGET INPUT COMMAND...
    target=$1 input=$2
    shift 2
    expect_exit 2 "$T/out" "$@"
    grep -q "refusing to write '[^']*$target': it is the input '[^']*$input'" "$T/out" ||
        { sed 's/^/  | /' "$T/out"; fail "$*: no message naming $target and $input"; }
    for f in s.xml c.bin types.xml base.xml conf.xml dir/d.bin; do
        cmp -s "$T/$f" "$T/$f.orig" || fail "$*: $f was changed"
    done
    [ -L "$T/link.xml" ] && [ -L "$T/link.bin" ] || fail "$*: a link was replaced"
}
refused s.xml s.xml "$CHANVAL" pack $W "$T/s.xml" -o "$T/s.xml"
refused link.xml s.xml "$CHANVAL" pack $W "$T/s.xml" -o "$T/link.xml"
refused hard.xml s.xml "$CHANVAL" pack $W "$T/s.xml" -o "$T/hard.xml"
refused c.bin c.bin "$CHANVAL" check $W "$T/c.bin" -o "$T/c.bin"
refused hard.bin c.bin "$CHANVAL" check $W "$T/c.bin" --format json -o "$T/hard.bin"
refused c.bin c.bin "$CHANVAL" check $W "$T/c.bin" --write-baseline "$T/c.bin"
refused link.bin c.bin "$CHANVAL" check $W "$T/c.bin" --write-baseline "$T/link.bin"
refused d.bin d.bin "$CHANVAL" check $W "$T/dir" -o "$T/dir/d.bin"
refused types.xml types.xml "$CHANVAL" check $Wt "$T/c.bin" -o "$T/types.xml"
refused base.xml base.xml "$CHANVAL" check $W --baseline "$T/base.xml" "$T/c.bin" --write-baseline "$T/base.xml"
refused conf.xml conf.xml "$CHANVAL" check $W --config "$T/conf.xml" "$T/c.bin" -o "$T/conf.xml"
refused c.bin c.bin "$CHANVAL" dump $W "$T/c.bin" -o "$T/c.bin"
refused hard.bin c.bin "$CHANVAL" diff $W "$T/dir/d.bin" "$T/c.bin" -o "$T/hard.bin"
refused d.bin d.bin "$CHANVAL" diff $W "$T/dir/d.bin" "$T/c.bin" -o "$T/dir/d.bin"
# a directory is no place for a report either
expect_exit 2 "$T/out" "$CHANVAL" check $W "$T/c.bin" -o "$T/dir"
[ -f "$T/dir/d.bin" ] || fail "-o DIR: the directory was changed"
# still fine: a new file, and a file that is no input
expect_exit 0 "$T/out" "$CHANVAL" pack $W "$T/s.xml" -o "$T/new.bin"
expect_exit 0 "$T/out" "$CHANVAL" pack $W "$T/s.xml" -o "$T/new.bin"
# the run that refreshes the configuration's baseline may rewrite it
printf '<?xml version="1.0"?>\n<chanvalConfig formatVersion="1"><baseline path="b2.xml"/></chanvalConfig>\n' >"$T/c2.xml"
cp "$T/base.xml" "$T/b2.xml"
expect_exit 0 "$T/out" "$CHANVAL" check $W --config "$T/c2.xml" "$T/c.bin" --write-baseline "$T/b2.xml"
grep -q "finding fingerprint" "$T/b2.xml" || fail "the configuration's baseline was not rewritten"
echo "ok: -o/--write-baseline onto an input (by name, symlink, hard link; operand, walked file, -t, --baseline, --config, pack, dump, diff) refused with exit 2, inputs unchanged"
