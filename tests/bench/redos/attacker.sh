# attacker.sh - sourced: sets $attacker to a built attacker.c, compiling it
# into $TMPDIR when $ATTACKER does not name one already (it needs only
# PCRE2, nothing of chanval).
attacker=${ATTACKER:-}
if [ -z "$attacker" ] || [ ! -x "$attacker" ]; then
    attacker=${TMPDIR:-/tmp}/chanval-attacker.$$
    ${CC:-cc} -std=c11 -O2 -o "$attacker" "$(dirname "$0")/attacker.c" \
        $(pkg-config --cflags --libs libpcre2-8 2>/dev/null || echo -lpcre2-8) || {
        echo "cannot build the attacker (needs PCRE2's headers)" >&2
        false
    }
    trap 'rm -f "$attacker"' EXIT INT TERM
fi
