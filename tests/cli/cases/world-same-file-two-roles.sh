# One file named with -t and with -f is read in both roles: the role it does
# not fit fails (CV203), never silently unread; named twice in one role, or
# also as a FILE, it is read once.
W=corpus/world
$CHANVAL check -t $W/types.xml -f $W/types.xml
echo "exit $?"
$CHANVAL check -t $W/fleet.xml -f $W/fleet.xml
echo "exit $?"
$CHANVAL check -t $W/types.xml -t ./$W/types.xml -f $W/fleet.xml $W/types.xml corpus/valid/mixed.bin
echo "exit $?"
