# xml-trailing: only white space and comments may follow the root element,
# and no NUL byte may be anywhere in an XML document.  libxml2 takes a NUL
# for the end of its input: a NUL after the root hid the garbage after it
# and the document was accepted.
. tests/hostile/lib.sh
root='<channel formatVersion="1" id="1" contentVersion="1"/>'

# check NAME WANT: WANT is an exact "LINE:COL: error[CVnnn]: message start"
check() {
    expect_exit 1 "$T/out" "$CHANVAL" check $W "$T/$1"
    grep -qF "$T/$1:$2" "$T/out" || { sed 's/^/  | /' "$T/out" | head -n 5; fail "$1: expected $2"; }
}
nul='error[CV200]: not well-formed XML: a NUL byte (0x00)'

printf '%s\n\000' "$root" >"$T/nul-end.xml"
check nul-end.xml "2:1: $nul"
printf '%s\n  \000garbage <<<& </channel>\n' "$root" >"$T/nul-garbage.xml"
check nul-garbage.xml "2:3: $nul"
printf '%s<!-- c -->\000<x/>\n' "$root" >"$T/nul-comment.xml"
check nul-comment.xml "1:65: $nul"
printf '<?xml version="1.0"?>\n<!-- a -->\000%s\n' "$root" >"$T/nul-prolog.xml"
check nul-prolog.xml "2:11: $nul"
printf '<channel formatVersion="1" id="1" contentVersion="1">\n  <!-- \000 -->\n</channel>\n' >"$T/nul-middle.xml"
check nul-middle.xml "2:8: $nul"
printf '<channel formatVersion="1" id="1" contentVersion="1">\n  <instance id="1\000"/>\n</channel>\n' >"$T/nul-value.xml"
check nul-value.xml "2:18: $nul"

printf '%s\n trailing text\n' "$root" >"$T/text.xml"
check text.xml "2:2: error[CV200]: not well-formed XML: Extra content at the end of the document"
printf '%s\n<channel formatVersion="1" id="2" contentVersion="1"/>\n' "$root" >"$T/second.xml"
check second.xml "2:1: error[CV200]: not well-formed XML: Extra content"

# what may follow the root: white space and comments; a processing
# instruction there is CV202 as anywhere else, not a parse error
printf '%s\n\n  <!-- a -->\t<!-- b -->\r\n  \n' "$root" >"$T/ok.xml"
expect_exit 0 "$T/out" "$CHANVAL" check $W "$T/ok.xml"
printf '%s\n<?other x?>\n' "$root" >"$T/pi.xml"
check pi.xml "2:1: error[CV202]: processing instruction <?other?> is not allowed"
echo "NUL bytes (after the root, before garbage, in the prolog, a comment, a value) and text or an element after the root are errors at their line:col; white space and comments after the root pass"
