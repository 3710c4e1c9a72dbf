# The view and the HTML report are the same bytes whatever -j is (files
# checked on several threads keep their excerpts and their order).
W="-t corpus/world/types.xml -f corpus/world/fleet.xml"
$CHANVAL view $W -j 1 corpus/invalid >"$TMPDIR/v1"
echo "view -j 1: exit $?"
$CHANVAL view $W -j 2 corpus/invalid >"$TMPDIR/v2"
echo "view -j 2: exit $?"
cmp -s "$TMPDIR/v1" "$TMPDIR/v2" && echo "view: the same with -j 1 and -j 2"
$CHANVAL check $W -j 1 --format html="$TMPDIR/h1.html" corpus
$CHANVAL check $W -j 2 --format html="$TMPDIR/h2.html" corpus
cmp -s "$TMPDIR/h1.html" "$TMPDIR/h2.html" && echo "html: the same with -j 1 and -j 2"
grep -c '<tr class=' "$TMPDIR/h1.html"
