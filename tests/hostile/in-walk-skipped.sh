# A walked folder accounts for every entry: a file named like content is
# checked whatever its bytes (a Git LFS pointer, an HTML or XML error page,
# a base64 copy of a channel file all fail), other files are counted as
# skipped, a dangling link is an error, and a folder with no content file
# is exit 2 unless --allow-empty.
. tests/hostile/lib.sh
for kind in lfs html xmlerr b64; do
    d=$T/$kind
    mkdir "$d"
    cp corpus/valid/mixed.bin "$d/good.bin"
    case $kind in
    lfs) printf 'version https://git-lfs.github.com/spec/v1\noid sha256:4d7a2146\nsize 1323\n' >"$d/c.bin" ;;
    html) printf '<!DOCTYPE html>\n<html><body><h1>404 Not Found</h1></body></html>\n' >"$d/c.bin" ;;
    xmlerr) printf '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchKey</Code></Error>\n' >"$d/c.bin" ;;
    b64) base64 corpus/valid/mixed.bin >"$d/c.chnl" ;;
    esac
    expect_exit 1 "$T/$kind.out" "$CHANVAL" check $W "$d"
    grep -Eq "error\[CV(101|201|203)\]" "$T/$kind.out" || fail "$kind: no CV101/CV201/CV203"
done
mkdir "$T/s" && cp corpus/valid/mixed.bin "$T/s/" && echo notes >"$T/s/README.txt"
expect_exit 0 "$T/s.out" "$CHANVAL" check -v $W "$T/s"
grep -q "1 skipped" "$T/s.out" || fail "the skipped file is not counted"
grep -q "^skipped $T/s/README.txt" "$T/s.out" || fail "-v does not list the skipped file"
"$CHANVAL" check --format json $W "$T/s" | grep -q '"skipped": 1' || fail "JSON does not count it"
ln -s missing.bin "$T/s/dangling.bin"
expect_exit 2 "$T/l.out" "$CHANVAL" check $W "$T/s"
grep -q "dangling.bin" "$T/l.out" || fail "the dangling link is not named"
mkdir "$T/e" "$T/t" && echo text >"$T/t/notes.txt"
expect_exit 2 "$T/e.out" "$CHANVAL" check $W "$T/e"
expect_exit 2 "$T/t.out" "$CHANVAL" check $W "$T/t"
expect_exit 0 "$T/e2.out" "$CHANVAL" check --allow-empty $W "$T/e"
# hidden entries are listed as skipped, not read (.git, the configuration);
# but a hidden file under a content name is checked
mkdir "$T/h" "$T/h/.git" && cp corpus/valid/mixed.bin "$T/h/" && cp corpus/valid/mixed.bin "$T/h/.git/x.bin"
printf '<chanvalConfig formatVersion="1"/>\n' >"$T/h/.chanval.xml"
expect_exit 0 "$T/h.out" "$CHANVAL" check -v --no-config $W "$T/h"
grep -q "2 skipped" "$T/h.out" || fail "hidden entries are not counted"
grep -q "^skipped $T/h/.git (hidden" "$T/h.out" || fail "-v does not list a hidden folder"
cp corpus/invalid/CV101-bad-magic.bin "$T/h/.old.bin"
expect_exit 1 "$T/h2.out" "$CHANVAL" check --no-config $W "$T/h"
grep -q ".old.bin:0x0: error\[CV101\]" "$T/h2.out" || fail "a hidden .bin is not checked"
# a content name the project configuration adds
mkdir "$T/p" && cp corpus/valid/mixed.bin "$T/p/good.bin"
printf 'version https://git-lfs.github.com/spec/v1\noid sha256:4d7a2146\nsize 1323\n' >"$T/p/c.sig"
cat >"$T/p.xml" <<'XML'
<chanvalConfig formatVersion="1">
  <content extension=".sig"/>
</chanvalConfig>
XML
expect_exit 0 "$T/p0.out" "$CHANVAL" check --no-config $W "$T/p"
expect_exit 1 "$T/p1.out" "$CHANVAL" check --config "$T/p.xml" $W "$T/p"
grep -q "c.sig:0x0: error\[CV101\]" "$T/p1.out" || fail "a configured content extension is not checked"
printf '<chanvalConfig formatVersion="1"><content extension="sig/"/></chanvalConfig>\n' >"$T/bad.xml"
expect_exit 2 "$T/p2.out" "$CHANVAL" check --config "$T/bad.xml" $W "$T/p"
grep -q "is not a file name ending" "$T/p2.out" || fail "a bad extension is not refused"
echo "pointer, HTML, XML error page and base64 files fail; skipped counted; dangling link and empty folder exit 2; configured extensions checked"
