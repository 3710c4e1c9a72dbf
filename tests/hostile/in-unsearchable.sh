# A folder chanval may list but not search (mode 644), or not open at all,
# is exit 2, never "0 files".
. tests/hostile/lib.sh
if [ "$(id -u)" -eq 0 ]; then
    command -v setpriv >/dev/null 2>&1 || { echo "setpriv is needed to drop root"; exit 77; }
    AS="setpriv --reuid=65534 --regid=65534 --clear-groups"
    $AS "$CHANVAL" --version >/dev/null 2>&1 || { echo "the command cannot run as nobody here"; exit 77; }
else
    AS=
fi
chmod 755 "$T"
mkdir "$T/d" "$T/n" && cp corpus/valid/mixed.bin "$T/d/" && cp corpus/valid/mixed.bin "$T/n/"
cp -r corpus/world "$T/world" && chmod -R a+rX "$T/world"
chmod 644 "$T/d"
chmod 000 "$T/n"
WW="-t $T/world/types.xml -f $T/world/fleet.xml"
expect_exit 2 "$T/o1" $AS "$CHANVAL" check --no-config $WW "$T/d"
grep -q "Permission denied" "$T/o1" || fail "the unsearchable folder's reason is not given"
expect_exit 2 "$T/o2" $AS "$CHANVAL" check --no-config $WW "$T/n"
chmod 755 "$T/d" "$T/n"
echo "folders that cannot be searched or opened are exit 2"
