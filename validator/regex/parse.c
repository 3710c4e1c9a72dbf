/* parse.c - a parser for the PCRE2 pattern syntax (UTF mode, the
 * options a channel file can set), producing an AST with offsets and the
 * first construct of CV501.
 *
 * It follows pcre2_compile where the two could disagree on what a byte
 * means: \Q...\E, extended mode and comments, POSIX classes, octal escapes
 * versus backreferences, when a brace is a quantifier.  PCRE2 remains the
 * judge of validity; the fuzz harness checks that the parser accepts what
 * PCRE2 compiles. */
#include "regex/redos.h"
#include "base/alloc.h"
#include "base/utf8.h"

#include <stdio.h>
#include <string.h>

enum {
    MAX_DEPTH = 250,     /* PCRE2's default parenthesis nesting limit */
    MAX_NODES = 1 << 20, /* far above what a 64 KiB pattern needs */
    MAX_NAME = 32,       /* PCRE2's MAX_NAME_SIZE */
    MAX_QUANT = 65535,
    MAX_GROUP_NUMBER = 65535,   /* PCRE2's MAX_GROUP_NUMBER */
    MAX_READ_NUMBER = 214748363 /* INT_MAX / 10 - 1: PCRE2 reads a number no further */
};

/* inline options */
enum { O_I = 1, O_M = 2, O_S = 4, O_X = 8, O_XX = 16, O_N = 32, O_U = 64, O_J = 128 };

typedef struct P {
    rx_ast *a;
    const uint8_t *p;
    size_t n, i;
    unsigned opts;
    int depth;
    int look; /* lookarounds open around s->i */
    bool inq; /* inside \Q...\E */
} P;

/* ---- storage ------------------------------------------------------------- */

static bool fail(P *s, size_t at, const char *msg)
{
    if (s->a->status == RX_OK) {
        s->a->status = RX_ERROR;
        /* a look-ahead past the end must not report an offset outside */
        s->a->err_off = at < s->n ? at : s->n;
        s->a->err_msg = msg;
    }
    return false;
}

static bool nomem(P *s)
{
    if (s->a->status == RX_OK || s->a->status == RX_ERROR)
        s->a->status = RX_NOMEM;
    return false;
}

static int32_t node(P *s, uint8_t kind, size_t off)
{
    rx_ast *a = s->a;
    if (a->nnodes >= MAX_NODES) {
        a->status = RX_TOO_COMPLEX;
        return RX_NONE;
    }
    void *np = a->nodes;
    if (cv_grow(&np, &a->nodes_cap, a->nnodes + 1, sizeof *a->nodes) != 0) {
        nomem(s);
        return RX_NONE;
    }
    a->nodes = np;
    rx_node *x = &a->nodes[a->nnodes];
    *x = (rx_node){.kind = kind,
                   .child = RX_NONE,
                   .next = RX_NONE,
                   .set = RX_NONE,
                   .min = 1,
                   .max = 1,
                   .off = (uint32_t)off,
                   .end = (uint32_t)off};
    return (int32_t)a->nnodes++;
}

static int32_t new_set(P *s)
{
    rx_ast *a = s->a;
    void *sp = a->sets;
    if (cv_grow(&sp, &a->sets_cap, a->nsets + 1, sizeof *a->sets) != 0) {
        nomem(s);
        return RX_NONE;
    }
    a->sets = sp;
    a->sets[a->nsets] = (rx_set_t){.first = (uint32_t)a->nitems};
    return (int32_t)a->nsets++;
}

static bool add_item(P *s, int32_t set, uint8_t type, bool neg, uint32_t lo, uint32_t hi)
{
    rx_ast *a = s->a;
    void *ip = a->items;
    if (cv_grow(&ip, &a->items_cap, a->nitems + 1, sizeof *a->items) != 0)
        return nomem(s);
    a->items = ip;
    a->items[a->nitems++] = (rx_item_t){.type = type, .neg = neg, .lo = lo, .hi = hi};
    a->sets[set].n++;
    return true;
}

static void unsupported(P *s, size_t at, const char *what)
{
    rx_ast *a = s->a;
    if (a->unsupported)
        return;
    a->unsupported = true;
    a->unsup_off = at;
    snprintf(a->unsup_what, sizeof a->unsup_what, "%s", what);
}

/* Append child c to parent's children. */
static void adopt(rx_ast *a, int32_t parent, int32_t *last, int32_t c)
{
    if (*last == RX_NONE)
        a->nodes[parent].child = c;
    else
        a->nodes[*last].next = c;
    *last = c;
}

/* ---- lexical helpers ------------------------------------------------------ */

static bool at(const P *s, size_t k, char c)
{
    return s->i + k < s->n && s->p[s->i + k] == (uint8_t)c;
}

static bool is_digit(uint8_t c) { return c >= '0' && c <= '9'; }
static bool is_alpha(uint8_t c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
static bool is_alnum(uint8_t c) { return is_alpha(c) || is_digit(c); }
static bool is_xdigit(uint8_t c)
{
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
static uint32_t xval(uint8_t c)
{
    return is_digit(c) ? (uint32_t)(c - '0') : (uint32_t)((c | 0x20) - 'a' + 10);
}

/* Pattern white space of extended mode at s->i: its length, or 0. */
static size_t ws_len(const P *s)
{
    uint8_t c = s->p[s->i];
    if (c == ' ' || (c >= 0x09 && c <= 0x0d))
        return 1;
    if (c == 0xc2 && at(s, 1, (char)0x85))
        return 2; /* U+0085 */
    if (c == 0xe2 && s->i + 2 < s->n && s->p[s->i + 1] == 0x80 &&
        (s->p[s->i + 2] == 0x8e || s->p[s->i + 2] == 0x8f || s->p[s->i + 2] == 0xa8 ||
         s->p[s->i + 2] == 0xa9))
        return 3; /* U+200E U+200F U+2028 U+2029 */
    return 0;
}

/* In extended mode, skip white space and # comments. */
static void skip_x(P *s)
{
    if (!(s->opts & (O_X | O_XX)) || s->inq)
        return;
    while (s->i < s->n) {
        size_t w = ws_len(s);
        if (w) {
            s->i += w;
        } else if (s->p[s->i] == '#') {
            while (s->i < s->n && s->p[s->i] != '\n')
                s->i++;
        } else {
            break;
        }
    }
}

/* Skip (?#...) comments and empty \Q\E / \E, which do not separate an
 * item from its quantifier. */
static bool skip_noise(P *s)
{
    for (;;) {
        skip_x(s);
        if (s->inq) {
            if (at(s, 0, '\\') && at(s, 1, 'E')) {
                s->inq = false;
                s->i += 2;
                continue;
            }
            return true;
        }
        if (at(s, 0, '(') && at(s, 1, '?') && at(s, 2, '#')) {
            size_t start = s->i;
            s->i += 3;
            while (s->i < s->n && s->p[s->i] != ')')
                s->i++;
            if (s->i >= s->n)
                return fail(s, s->n, "missing ) after (?# comment");
            s->i++;
            (void)start;
            continue;
        }
        if (at(s, 0, '\\') && at(s, 1, 'E')) {
            s->i += 2;
            continue;
        }
        if (at(s, 0, '\\') && at(s, 1, 'Q')) {
            s->i += 2;
            s->inq = true;
            continue;
        }
        return true;
    }
}

/* Decode the UTF-8 character at s->i. */
static bool utf8_char(P *s, uint32_t *cp)
{
    uint8_t c = s->p[s->i];
    if (c < 0x80) {
        *cp = c;
        s->i++;
        return true;
    }
    size_t k = cv_utf8_seq(s->p + s->i, s->n - s->i, cp);
    if (k == 0)
        return fail(s, s->i, "invalid UTF-8 string");
    s->i += k;
    return true;
}

/* A {n}, {n,} or {n,m} quantifier at s->i (PCRE2 10.42: no spaces, no
 * {,m}).  Returns false when the brace is a literal. */
static bool brace_quant(const P *s, size_t *end, uint32_t *mn, uint32_t *mx, bool *big)
{
    size_t j = s->i + 1;
    uint64_t a = 0, b = 0;
    *big = false;
    if (j >= s->n || !is_digit(s->p[j]))
        return false;
    while (j < s->n && is_digit(s->p[j])) {
        a = a * 10 + (uint64_t)(s->p[j++] - '0');
        if (a > 1000000)
            a = 1000000;
    }
    if (j < s->n && s->p[j] == '}') {
        *mn = *mx = (uint32_t)a;
        *end = j + 1;
        *big = a > MAX_QUANT;
        return true;
    }
    if (j >= s->n || s->p[j] != ',')
        return false;
    j++;
    if (j < s->n && s->p[j] == '}') {
        *mn = (uint32_t)a;
        *mx = RX_INF;
        *end = j + 1;
        *big = a > MAX_QUANT;
        return true;
    }
    if (j >= s->n || !is_digit(s->p[j]))
        return false;
    while (j < s->n && is_digit(s->p[j])) {
        b = b * 10 + (uint64_t)(s->p[j++] - '0');
        if (b > 1000000)
            b = 1000000;
    }
    if (j >= s->n || s->p[j] != '}')
        return false;
    *mn = (uint32_t)a;
    *mx = (uint32_t)b;
    *end = j + 1;
    *big = a > MAX_QUANT || b > MAX_QUANT;
    return true;
}

/* ---- sets ---------------------------------------------------------------- */

static const char *const posix_names[] = {"alpha", "lower", "upper", "alnum", "ascii",
                                          "blank", "cntrl", "digit", "graph", "print",
                                          "punct", "space", "word",  "xdigit"};
enum { NPOSIX = sizeof posix_names / sizeof *posix_names };
enum { POSIX_ALPHA = 0, POSIX_LOWER = 1, POSIX_UPPER = 2 }; /* in posix_names */

/* Unicode property names, compared loosely (case, spaces, '-' and '_'
 * ignored) as PCRE2 10.42 does. */
static const char *const prop_names[] = {
    "any", "l&",     "lc",     "l",        "lu",       "ll",     "lt",    "lm",
    "lo",  "m",      "mn",     "mc",       "me",       "n",      "nd",    "nl",
    "no",  "p",      "pc",     "pd",       "ps",       "pe",     "pi",    "pf",
    "po",  "s",      "sm",     "sc",       "sk",       "so",     "z",     "zs",
    "zl",  "zp",     "c",      "cc",       "cf",       "co",     "cs",    "cn",
    "xan", "xps",    "xsp",    "xwd",      "xuc",      "latin",  "greek", "cyrillic",
    "han", "arabic", "hebrew", "hiragana", "katakana", "hangul", "thai",  "common"};
enum { NPROPS = sizeof prop_names / sizeof *prop_names, PROP_OTHER = NPROPS };
enum { PROP_LATIN = 45 }; /* the first script in prop_names */

static uint32_t prop_lookup(const uint8_t *p, size_t n)
{
    char norm[40];
    size_t k = 0;
    for (size_t i = 0; i < n && k + 1 < sizeof norm; i++) {
        uint8_t c = p[i];
        if (c == ' ' || c == '-' || c == '_')
            continue;
        norm[k++] = (char)(c >= 'A' && c <= 'Z' ? c | 0x20 : c);
    }
    norm[k] = '\0';
    for (uint32_t i = 0; i < NPROPS; i++)
        if (strcmp(norm, prop_names[i]) == 0)
            return i;
    /* a script named with its property, \p{sc:Greek}, \p{script=greek}
     * (not scx, script extensions, which the tables do not model) */
    static const char *const sc[] = {"sc:", "sc=", "script:", "script="};
    for (size_t j = 0; j < sizeof sc / sizeof *sc; j++) {
        size_t len = strlen(sc[j]);
        if (strncmp(norm, sc[j], len) != 0)
            continue;
        for (uint32_t i = PROP_LATIN; i < NPROPS; i++)
            if (strcmp(norm + len, prop_names[i]) == 0)
                return i;
    }
    return PROP_OTHER; /* a script or property we do not model */
}

/* The escape \p or \P at s->i (after the letter).  Adds it to the set. */
static bool prop_escape(P *s, int32_t set, bool neg, size_t at0)
{
    if (s->i >= s->n)
        return fail(s, s->i, "malformed \\P or \\p sequence");
    const uint8_t *name;
    size_t len;
    if (s->p[s->i] == '{') {
        size_t j = s->i + 1;
        if (j < s->n && s->p[j] == '^') {
            neg = !neg;
            j++;
        }
        size_t start = j;
        while (j < s->n && s->p[j] != '}')
            j++;
        if (j >= s->n || s->p[j] != '}')
            return fail(s, at0, "malformed \\P or \\p sequence");
        name = s->p + start;
        len = j - start;
        s->i = j + 1;
    } else {
        name = s->p + s->i;
        len = 1;
        if (!is_alpha(name[0]))
            return fail(s, s->i, "malformed \\P or \\p sequence");
        s->i++;
    }
    if (len == 0)
        return fail(s, at0, "malformed \\P or \\p sequence");
    uint32_t which = prop_lookup(name, len);
    char *u = s->a->unknown_prop;
    if (which == PROP_OTHER && !u[0]) {
        size_t k = 0;
        for (size_t i = 0; i < len && k + 4 < sizeof s->a->unknown_prop; i++) {
            char c = '?';
            if (name[i] >= 0x20 && name[i] < 0x7f)
                c = (char)name[i];
            u[k++] = c;
        }
        if (k < len) {
            memcpy(u + k, "...", 3);
            k += 3;
        }
        u[k] = '\0';
    }
    return add_item(s, set, RX_I_PROP, neg, which, 0);
}

/* Types of the class escapes. */
static bool type_escape(uint8_t c, uint8_t *type, bool *neg)
{
    *neg = c >= 'A' && c <= 'Z';
    switch (c | 0x20) {
    case 'd':
        *type = RX_I_DIGIT;
        return true;
    case 's':
        *type = RX_I_SPACE;
        return true;
    case 'w':
        *type = RX_I_WORD;
        return true;
    case 'h':
        *type = RX_I_HSPACE;
        return true;
    case 'v':
        *type = RX_I_VSPACE;
        return true;
    default:
        return false;
    }
}

/* ---- escapes ------------------------------------------------------------- */

enum esc_kind { E_CHAR, E_SET, E_ASSERT, E_UNSUP, E_NONE };

typedef struct esc {
    int kind;
    uint32_t cp;         /* E_CHAR */
    uint8_t type;        /* E_SET: enum rx_item, or 0xff for \R, 0xfe for \X, 0xfd \N */
    bool neg;            /* E_SET */
    uint8_t assert_kind; /* E_ASSERT */
    uint8_t unsup;       /* E_UNSUP */
    const char *what;    /* E_UNSUP */
    bool prop;           /* E_SET: \p, already parsed into prop_* */
    size_t prop_from;    /* E_SET \p: offset of the name for a second parse */
} esc;

enum { T_ANYNL = 0xff, T_EXTUNI = 0xfe, T_NOTNL = 0xfd };

/* A number of up to `max` digits in `base` at s->i. */
static uint32_t read_digits(P *s, uint32_t base, size_t max, size_t *count)
{
    uint32_t v = 0;
    size_t k = 0;
    while (s->i < s->n && k < max) {
        uint8_t c = s->p[s->i];
        uint32_t d;
        if (base == 16 && is_xdigit(c))
            d = xval(c);
        else if (base == 8 && c >= '0' && c <= '7')
            d = (uint32_t)(c - '0');
        else
            break;
        if (v < 0x1000000)
            v = v * base + d;
        s->i++;
        k++;
    }
    *count = k;
    return v;
}

static bool check_cp(P *s, uint32_t v, size_t where)
{
    if (v > 0x10ffff)
        return fail(s, where, "character code point value in \\x{} or \\o{} is too large");
    if (v >= 0xd800 && v <= 0xdfff)
        return fail(s, where, "disallowed Unicode code point (>= 0xd800 && <= 0xdfff)");
    return true;
}

/* A braced group name after \k or \g: <name>, 'name' or {name}. */
static bool skip_ref_name(P *s, uint8_t open)
{
    uint8_t close = open == '<' ? '>' : open == '{' ? '}' : '\'';
    size_t j = s->i + 1;
    while (j < s->n && s->p[j] != close && j - s->i <= MAX_NAME + 8)
        j++;
    if (j >= s->n || s->p[j] != close || j == s->i + 1)
        return false;
    s->i = j + 1;
    return true;
}

static bool brace_quant(const P *s, size_t *end, uint32_t *mn, uint32_t *mx, bool *big);

/* Is the brace at s->i a quantifier ({n}, {n,}, {n,m})? */
static bool quant_brace(const P *s)
{
    size_t end;
    uint32_t mn, mx;
    bool big;
    return brace_quant(s, &end, &mn, &mx, &big);
}

/* An escape at s->i (the backslash), in a class or not. */
/* An escape chanval does not analyse (CV501), which PCRE2 refuses in a
 * class. */
static bool unsup_escape(P *s, bool in_class, esc *e, uint8_t unsup, const char *what)
{
    if (in_class)
        return fail(s, s->i, "escape sequence is invalid in character class");
    e->kind = E_UNSUP;
    e->unsup = unsup;
    e->what = what;
    return true;
}

/* The code point of a braced escape (\x{hh}, \o{oo}, \N{U+hh}) after its
 * opening: digits in `base`, then "}".  PCRE2's messages: no digits is
 * "digits missing" when the brace closes (always for \N), `bad` otherwise. */
static bool braced_cp(P *s, uint32_t base, bool always_missing, const char *bad, esc *e)
{
    size_t count;
    uint32_t v = read_digits(s, base, 16, &count);
    if (count == 0 && (always_missing || at(s, 0, '}')))
        return fail(s, s->i, "digits missing in \\x{} or \\o{} or \\N{U+}");
    if (count == 0 || !at(s, 0, '}'))
        return fail(s, s->i, bad);
    s->i++;
    if (!check_cp(s, v, s->i - 1))
        return false;
    e->cp = v;
    return true;
}

static bool escape(P *s, bool in_class, esc *e, int32_t set_for_prop)
{
    size_t start = s->i;
    *e = (esc){.kind = E_CHAR};
    s->i++;
    if (s->i >= s->n)
        return fail(s, s->i, "\\ at end of pattern");
    uint8_t c = s->p[s->i];
    if (c >= 0x80) { /* an escaped non-ASCII character is itself */
        e->kind = E_CHAR;
        return utf8_char(s, &e->cp);
    }
    s->i++;
    if (!is_alnum(c)) {
        e->cp = c;
        return true;
    }
    uint8_t type;
    bool neg;
    if (type_escape(c, &type, &neg)) {
        e->kind = E_SET;
        e->type = type;
        e->neg = neg;
        return true;
    }
    /* \a \e \f \n \r \t */
    static const char controls[] = "aefnrt";
    static const uint8_t control_cp[] = {7, 27, 12, 10, 13, 9};
    const char *ctl = c ? strchr(controls, c) : NULL;
    if (ctl) {
        e->cp = control_cp[ctl - controls];
        return true;
    }
    size_t count;
    switch (c) {
    case 'b':
        if (in_class) {
            e->cp = 8;
            return true;
        }
        e->kind = E_ASSERT;
        e->assert_kind = RX_A_WORDB;
        return true;
    case 'B':
    case 'A':
    case 'z':
    case 'Z':
    case 'G':
    case 'K':
        if (in_class)
            return fail(s, s->i, "escape sequence is invalid in character class");
        if (c == 'K' && s->look > 0)
            return fail(s, s->i, "\\K is not allowed in lookarounds");
        e->kind = E_ASSERT;
        e->assert_kind = c == 'B'   ? RX_A_NWORDB
                         : c == 'A' ? RX_A_START
                         : c == 'z' ? RX_A_END
                         : c == 'Z' ? RX_A_ENDNL
                         : c == 'G' ? RX_A_G
                                    : RX_A_KEEP;
        return true;
    case 'R':
    case 'X':
        if (in_class)
            return fail(s, s->i, "escape sequence is invalid in character class");
        e->kind = E_SET;
        e->type = c == 'R' ? T_ANYNL : T_EXTUNI;
        return true;
    case 'C':
        if (!unsup_escape(s, in_class, e, RX_U_ONEUNIT, "\\C (a single code unit, which can split a UTF-8 character)"))
            return false;
        return true;
    case 'N':
        if (at(s, 0, '{') && !quant_brace(s)) {
            /* only \N{U+hhhh} */
            if (!(at(s, 1, 'U') && at(s, 2, '+')))
                return fail(s, s->i,
                            "PCRE2 does not support \\F, \\L, \\l, \\N{name}, \\U, or \\u");
            s->i += 3;
            return braced_cp(s, 16, true, "non-hex character in \\x{} (closing brace missing?)", e);
        }
        if (in_class)
            return fail(s, s->i, "\\N is not supported in a class");
        e->kind = E_SET;
        e->type = T_NOTNL;
        return true;
    case 'p':
    case 'P':
        e->kind = E_SET;
        e->prop = true;
        e->neg = c == 'P';
        e->prop_from = s->i;
        if (set_for_prop != RX_NONE)
            return prop_escape(s, set_for_prop, c == 'P', start);
        return true;
    case 'x':
        if (at(s, 0, '{')) {
            s->i++;
            return braced_cp(s, 16, false, "non-hex character in \\x{} (closing brace missing?)",
                             e);
        }
        e->cp = read_digits(s, 16, 2, &count);
        return true;
    case 'o':
        if (!at(s, 0, '{'))
            return fail(s, s->i, "missing opening brace after \\o");
        s->i++;
        return braced_cp(s, 8, false, "non-octal character in \\o{} (closing brace missing?)", e);
    case 'c':
        if (s->i >= s->n)
            return fail(s, s->i, "\\c at end of pattern");
        {
            uint8_t d = s->p[s->i];
            if (d < 32 || d > 126)
                return fail(s, s->i, "\\c must be followed by a printable ASCII character");
            if (d >= 'a' && d <= 'z')
                d = (uint8_t)(d - 32);
            e->cp = (uint32_t)(d ^ 0x40);
            s->i++;
        }
        return true;
    case 'g':
        if (in_class) { /* PCRE2 takes it as the letter */
            e->cp = 'g';
            return true;
        }
        e->kind = E_UNSUP;
        if (at(s, 0, '<') || at(s, 0, '\'')) {
            e->unsup = RX_U_RECURSE;
            e->what = "a subroutine call (\\g<...>)";
            if (!skip_ref_name(s, s->p[s->i]))
                return fail(s, s->i,
                            "\\g is not followed by a braced, angle-bracketed, or "
                            "quoted name/number or by a plain number");
            return true;
        }
        e->unsup = RX_U_BACKREF;
        e->what = "a backreference (\\g)";
        if (at(s, 0, '{')) {
            if (!skip_ref_name(s, '{'))
                return fail(s, s->i, "subpattern name expected");
            return true;
        }
        if (at(s, 0, '-') || at(s, 0, '+'))
            s->i++;
        if (s->i >= s->n || !is_digit(s->p[s->i]))
            return fail(s, s->i,
                        "\\g is not followed by a braced, angle-bracketed, or quoted "
                        "name/number or by a plain number");
        while (s->i < s->n && is_digit(s->p[s->i]))
            s->i++;
        return true;
    case 'k':
        if (!unsup_escape(s, in_class, e, RX_U_BACKREF, "a named backreference (\\k)"))
            return false;
        if (s->i >= s->n || !(s->p[s->i] == '<' || s->p[s->i] == '\'' || s->p[s->i] == '{') ||
            !skip_ref_name(s, s->p[s->i]))
            return fail(s, s->i,
                        "\\k is not followed by a braced, angle-bracketed, or quoted "
                        "name");
        return true;
    case 'Q':
    case 'E':
        e->kind = E_NONE; /* handled by the callers */
        return true;
    default:
        break;
    }
    if (is_digit(c)) {
        /* \0 octal; \1..\9 and more digits: a backreference outside a class
         * when < 10, starting with 8 or 9, or <= the groups opened so far,
         * and an error past the largest group number; otherwise up to three
         * octal digits (8 and 9 are literal).  As in PCRE2's check_escape, a
         * number too long to read (past INT_MAX / 10 - 1) is never a
         * reference. */
        if (c != '0' && !in_class) {
            size_t j = s->i - 1;
            uint64_t v = 0;
            bool overflow = false;
            while (j < s->n && is_digit(s->p[j])) {
                v = v * 10 + (uint64_t)(s->p[j] - '0');
                j++;
                if (v > MAX_READ_NUMBER) {
                    overflow = true;
                    break;
                }
            }
            if (!overflow && (v < 10 || c >= '8' || v <= s->a->ncaptures)) {
                if (v > MAX_GROUP_NUMBER)
                    return fail(s, j, "subpattern number is too big");
                s->i = j;
                e->kind = E_UNSUP;
                e->unsup = RX_U_BACKREF;
                e->what = "a backreference (\\1...\\9)";
                return true;
            }
        }
        if (c >= '8') {
            e->cp = c;
            return true;
        }
        s->i--; /* back to the first digit */
        e->cp = read_digits(s, 8, 3, &count);
        return true;
    }
    return fail(s, s->i,
                c == 'u' || c == 'U' || c == 'l' || c == 'L'
                    ? "PCRE2 does not support \\F, \\L, \\l, \\N{name}, \\U, or \\u"
                    : "unrecognized character follows \\");
}

/* ---- character classes ----------------------------------------------------- */

/* PCRE2's check_posix_syntax: s->p[k] is the '[' before ':', '.' or '='. */
static bool posix_syntax(const P *s, size_t k, size_t *end)
{
    uint8_t term = s->p[k + 1];
    for (size_t j = k + 2; j + 1 < s->n; j++) {
        uint8_t c = s->p[j];
        if (c == '\\' && (s->p[j + 1] == ']' || s->p[j + 1] == '\\')) {
            j++;
        } else if ((c == '[' && s->p[j + 1] == term) || c == ']') {
            return false;
        } else if (c == term && s->p[j + 1] == ']') {
            *end = j;
            return true;
        }
    }
    return false;
}

static bool set_add_esc(P *s, int32_t set, const esc *e)
{
    switch (e->type) {
    case T_ANYNL:
        return add_item(s, set, RX_I_VSPACE, false, 0, 0);
    case T_EXTUNI:
        return add_item(s, set, RX_I_ANY, false, 0, 0);
    case T_NOTNL:
        return add_item(s, set, RX_I_RANGE, false, 0, 9) &&
               add_item(s, set, RX_I_RANGE, false, 11, 0x10ffff);
    default:
        return add_item(s, set, e->type, e->neg, 0, 0);
    }
}

/* One token of a class: \Q...\E, \E and (in extended-more mode) blanks
 * are transparent, as for PCRE2 (so [a-\Ez] is a range). */
enum { CT_END, CT_CHAR, CT_SET, CT_POSIX };

typedef struct ctok {
    int kind;
    uint32_t cp;    /* CT_CHAR */
    bool dash;      /* CT_CHAR: an unescaped '-', outside \Q */
    esc e;          /* CT_SET */
    uint32_t which; /* CT_POSIX */
    bool neg;       /* CT_POSIX */
    size_t at;
} ctok;

/* The next token; set == RX_NONE peeks (no item is added for \p). */
static bool class_token(P *s, int32_t set, bool *inq, ctok *t)
{
    for (;;) {
        if (s->i >= s->n)
            return fail(s, s->i, "missing terminating ] for character class");
        *t = (ctok){.kind = CT_CHAR, .at = s->i};
        if (*inq) {
            if (at(s, 0, '\\') && at(s, 1, 'E')) {
                *inq = false;
                s->i += 2;
                continue;
            }
            return utf8_char(s, &t->cp);
        }
        uint8_t c = s->p[s->i];
        if ((s->opts & O_XX) && (c == ' ' || c == '\t')) {
            s->i++;
            continue;
        }
        if (c == '\\' && at(s, 1, 'Q')) {
            *inq = true;
            s->i += 2;
            continue;
        }
        if (c == '\\' && at(s, 1, 'E')) {
            s->i += 2;
            continue;
        }
        if (c == ']') {
            t->kind = CT_END;
            return true;
        }
        if (c == '[' && (at(s, 1, ':') || at(s, 1, '.') || at(s, 1, '='))) {
            size_t end;
            if (posix_syntax(s, s->i, &end)) {
                if (s->p[s->i + 1] != ':')
                    return fail(s, s->i, "POSIX collating elements are not supported");
                size_t nb = s->i + 2;
                t->neg = nb < end && s->p[nb] == '^';
                if (t->neg)
                    nb++;
                t->which = NPOSIX;
                for (uint32_t k = 0; k < NPOSIX; k++)
                    if (strlen(posix_names[k]) == end - nb &&
                        memcmp(posix_names[k], s->p + nb, end - nb) == 0)
                        t->which = k;
                if (t->which == NPOSIX)
                    return fail(s, nb, "unknown POSIX class name");
                t->kind = CT_POSIX;
                s->i = end + 2;
                return true;
            }
        }
        if (c == '\\') {
            if (!escape(s, true, &t->e, set))
                return false;
            if (t->e.kind == E_CHAR) {
                t->cp = t->e.cp;
                return true;
            }
            t->kind = CT_SET;
            return true;
        }
        t->dash = c == '-';
        return utf8_char(s, &t->cp);
    }
}

/* [...] at s->i.  Returns the node, or RX_NONE. */
static int32_t char_class(P *s)
{
    size_t start = s->i;
    int32_t nd = node(s, RX_SET, start);
    int32_t set = nd == RX_NONE ? RX_NONE : new_set(s);
    if (set == RX_NONE)
        return RX_NONE;
    s->a->nodes[nd].set = set;
    s->a->nodes[nd].caseless = (s->opts & O_I) != 0;
    s->i++;
    /* as PCRE2 (and Perl): \E, \Q\E and, under (?xx), spaces and tabs
     * before or after the '^' are skipped, so "[\E^]" is negated */
    for (;;) {
        if (at(s, 0, '\\') && at(s, 1, 'E'))
            s->i += 2;
        else if (at(s, 0, '\\') && at(s, 1, 'Q') && at(s, 2, '\\') && at(s, 3, 'E'))
            s->i += 4;
        else if ((s->opts & O_XX) && (at(s, 0, ' ') || at(s, 0, '\t')))
            s->i++;
        else if (!s->a->sets[set].neg && at(s, 0, '^')) {
            s->a->sets[set].neg = true;
            s->i++;
        } else
            break;
    }
    bool first = true, inq = false;
    for (;;) {
        ctok t;
        if (!class_token(s, set, &inq, &t))
            return RX_NONE;
        if (t.kind == CT_END) {
            if (!first)
                break;
            t = (ctok){.kind = CT_CHAR, .cp = ']', .at = s->i}; /* []...] */
            s->i++;
        }
        first = false;
        if (t.kind == CT_POSIX || t.kind == CT_SET) {
            /* PCRE2 looks at the very next bytes: "-" then anything but
             * "]" is a range from a class, an error */
            if (at(s, 0, '-') && s->i + 1 < s->n && !at(s, 1, ']')) {
                fail(s, s->i + 1, "invalid range in character class");
                return RX_NONE;
            }
            bool ok = t.kind == CT_POSIX ? add_item(s, set, RX_I_POSIX, t.neg, t.which, 0)
                                         : (t.e.prop || set_add_esc(s, set, &t.e));
            if (!ok)
                return RX_NONE;
            continue;
        }
        /* what follows: a range needs a '-' and then not the end */
        size_t save = s->i;
        bool save_q = inq;
        ctok dash, hi = {0};
        bool range = false;
        if (class_token(s, RX_NONE, &inq, &dash) && dash.kind == CT_CHAR && dash.dash) {
            size_t after_dash = s->i;
            bool q_dash = inq;
            if (!class_token(s, RX_NONE, &inq, &hi))
                return RX_NONE;
            if (hi.kind != CT_END) {
                range = true;
                s->i = after_dash;
                inq = q_dash;
                if (!class_token(s, set, &inq, &hi)) /* again, for real */
                    return RX_NONE;
            }
        }
        if (s->a->status != RX_OK)
            return RX_NONE;
        if (!range) {
            s->i = save;
            inq = save_q;
        }
        /* a class or a property was added above: t is a character here */
        if (range && hi.kind != CT_CHAR) {
            fail(s, hi.at, "invalid range in character class");
            return RX_NONE;
        }
        uint32_t lo = t.cp, up = range ? hi.cp : t.cp;
        if (up < lo) {
            fail(s, hi.at, "range out of order in character class");
            return RX_NONE;
        }
        if (!add_item(s, set, RX_I_RANGE, false, lo, up))
            return RX_NONE;
    }
    s->i++; /* ] */
    s->a->nodes[nd].end = (uint32_t)s->i;
    return nd;
}

/* A node matching one character of a fresh set. */
static int32_t set_node(P *s, size_t off, const esc *e, uint32_t cp, bool is_char)
{
    int32_t nd = node(s, RX_SET, off);
    int32_t set = nd == RX_NONE ? RX_NONE : new_set(s);
    if (set == RX_NONE)
        return RX_NONE;
    s->a->nodes[nd].set = set;
    s->a->nodes[nd].caseless = (s->opts & O_I) != 0;
    bool ok;
    if (is_char) {
        ok = add_item(s, set, RX_I_RANGE, false, cp, cp);
    } else if (e->prop) {
        /* escape() left the name ("L", "{Lu}") to be read here */
        s->i = e->prop_from;
        ok = prop_escape(s, set, e->neg, off);
    } else {
        ok = set_add_esc(s, set, e);
    }
    if (!ok)
        return RX_NONE;
    s->a->nodes[nd].end = (uint32_t)s->i;
    return nd;
}

/* ---- groups and sequences ------------------------------------------------ */

static int32_t alternation(P *s, size_t group_start);

/* Option letters after "(?" up to ':' or ')'. */
static bool options(P *s, unsigned *opts)
{
    unsigned o = *opts;
    bool on = true;
    bool after_caret = false;
    if (at(s, 0, '^')) {
        o &= ~(unsigned)(O_I | O_M | O_N | O_S | O_X | O_XX | O_U | O_J);
        after_caret = true;
        s->i++;
    }
    while (s->i < s->n && s->p[s->i] != ')' && s->p[s->i] != ':') {
        uint8_t c = s->p[s->i];
        unsigned bit = 0;
        switch (c) {
        case '-':
            if (!on || after_caret)
                return fail(s, s->i, "invalid hyphen in option setting");
            on = false;
            s->i++;
            continue;
        case 'i':
            bit = O_I;
            break;
        case 'm':
            bit = O_M;
            break;
        case 'n':
            bit = O_N;
            break;
        case 's':
            bit = O_S;
            break;
        case 'U':
            bit = O_U;
            break;
        case 'J':
            bit = O_J;
            break;
        case 'x':
            if (on && at(s, 1, 'x')) {
                bit = O_X | O_XX;
                s->i++;
            } else {
                bit = on ? O_X : O_X | O_XX;
            }
            break;
        default:
            return fail(s, s->i, "unrecognized character after (? or (?-");
        }
        if (on)
            o |= bit;
        else
            o &= ~bit;
        s->i++;
    }
    if (s->i >= s->n)
        return fail(s, s->i, "missing closing parenthesis");
    *opts = o;
    return true;
}

/* A group name terminated by `close`, at s->i. */
static bool group_name(P *s, uint8_t close)
{
    size_t start = s->i;
    if (s->i >= s->n)
        return fail(s, s->i, "missing closing parenthesis");
    if (is_digit(s->p[s->i]))
        return fail(s, s->i, "subpattern name must start with a non-digit");
    while (s->i < s->n) {
        uint8_t c = s->p[s->i];
        if (is_alnum(c) || c == '_') {
            s->i++;
            continue;
        }
        if (c < 0x80)
            break;
        /* In UTF mode PCRE2 takes Unicode letters and decimal digits into a
         * name, by its own tables.  The parser takes every non-ASCII
         * character: it runs on patterns PCRE2 has compiled, so it only
         * has to follow every name PCRE2 accepts. */
        uint32_t cp;
        size_t k = cv_utf8_seq(s->p + s->i, s->n - s->i, &cp);
        if (k == 0)
            break;
        s->i += k;
    }
    if (s->i == start)
        return fail(s, s->i, "subpattern name expected");
    if (s->i - start > MAX_NAME)
        return fail(s, s->i, "subpattern name is too long (maximum 32 code units)");
    if (s->i >= s->n || s->p[s->i] != close)
        return fail(s, s->i, "syntax error in subpattern name (missing terminator?)");
    s->i++;
    return true;
}

/* A group body up to its ')' (consumed); *body receives the node. */
static bool group_body(P *s, size_t start, int32_t *body)
{
    if (++s->depth > MAX_DEPTH)
        return fail(s, start, "parentheses are too deeply nested");
    unsigned saved = s->opts;
    *body = alternation(s, start);
    s->opts = saved;
    s->depth--;
    if (*body == RX_NONE)
        return false;
    if (s->i >= s->n)
        return fail(s, s->i, "missing closing parenthesis");
    s->i++; /* ) */
    return true;
}

static int32_t wrap(P *s, uint8_t kind, uint8_t aux, size_t start, int32_t body)
{
    int32_t nd = node(s, kind, start);
    if (nd == RX_NONE)
        return RX_NONE;
    s->a->nodes[nd].aux = aux;
    s->a->nodes[nd].child = body;
    s->a->nodes[nd].end = (uint32_t)s->i;
    return nd;
}

/* The ")" that closes an unsupported item, which becomes a node of its
 * own (CV501); `missing`: PCRE2's message when it is not there. */
static int32_t close_unsup(P *s, size_t start, uint8_t what, const char *missing)
{
    if (!at(s, 0, ')')) {
        fail(s, s->i, missing);
        return RX_NONE;
    }
    s->i++;
    return wrap(s, RX_UNSUP, what, start, RX_NONE);
}

/* A named capture, (?<name>...) and its spellings: the name after `skip`
 * more characters of the opening, up to `close`, then the body. */
static int32_t named_group(P *s, size_t start, size_t skip, uint8_t close)
{
    int32_t body;
    s->i += skip;
    if (!group_name(s, close))
        return RX_NONE;
    s->a->ncaptures++;
    if (!group_body(s, start, &body))
        return RX_NONE;
    return wrap(s, RX_GROUP, RX_G_CAPTURE, start, body);
}

/* A lookaround: its body after `skip` more characters of its opening. */
static int32_t look_group(P *s, size_t start, size_t skip, uint8_t kind)
{
    int32_t body;
    s->i += skip;
    s->look++;
    if (!group_body(s, start, &body))
        return RX_NONE;
    s->look--;
    s->a->has_look = true;
    return wrap(s, RX_LOOK, kind, start, body);
}

/* (*...) at s->i. */
static int32_t star_group(P *s, size_t start)
{
    static const char *const alt_names[] = {"atomic",
                                            "pla",
                                            "positive_lookahead",
                                            "nla",
                                            "negative_lookahead",
                                            "plb",
                                            "positive_lookbehind",
                                            "nlb",
                                            "negative_lookbehind",
                                            "napla",
                                            "non_atomic_positive_lookahead",
                                            "naplb",
                                            "non_atomic_positive_lookbehind",
                                            "sr",
                                            "script_run",
                                            "asr",
                                            "atomic_script_run"};
    size_t j = s->i + 2, k = j;
    while (k < s->n && (is_alnum(s->p[k]) || s->p[k] == '_'))
        k++;
    char name[40];
    size_t len = k - j < sizeof name - 1 ? k - j : sizeof name - 1;
    memcpy(name, s->p + j, len);
    name[len] = '\0';
    char what[112];
    static const char *const start_items[] = {"UTF",
                                              "UCP",
                                              "NO_AUTO_POSSESS",
                                              "NO_DOTSTAR_ANCHOR",
                                              "NO_JIT",
                                              "NO_START_OPT",
                                              "NOTEMPTY",
                                              "NOTEMPTY_ATSTART",
                                              "LIMIT_HEAP",
                                              "LIMIT_MATCH",
                                              "LIMIT_DEPTH",
                                              "LIMIT_RECURSION",
                                              "CR",
                                              "LF",
                                              "CRLF",
                                              "ANYCRLF",
                                              "ANY",
                                              "NUL",
                                              "BSR_ANYCRLF",
                                              "BSR_UNICODE"};
    bool item = false, alt = false;
    for (size_t i = 0; i < sizeof start_items / sizeof *start_items; i++)
        if (strcmp(name, start_items[i]) == 0)
            item = true;
    for (size_t i = 0; i < sizeof alt_names / sizeof *alt_names; i++)
        if (strcmp(name, alt_names[i]) == 0)
            alt = true;
    bool lower = len > 0 && name[0] >= 'a' && name[0] <= 'z';
    if (item)
        snprintf(what, sizeof what, "the pattern-start item (*%s)", name);
    else if (lower)
        snprintf(what, sizeof what, "the alternative-syntax construct (*%s:...)", name);
    else
        snprintf(what, sizeof what, "the backtracking-control verb (*%s)", name);
    unsupported(s, start, what);
    s->i = k;
    if (alt && at(s, 0, ':')) {
        s->i++;
        int32_t body;
        if (!group_body(s, start, &body))
            return RX_NONE;
        return wrap(s, RX_UNSUP, RX_U_VERB, start, body);
    }
    if (lower || (len == 0 && !at(s, 0, ':'))) {
        fail(s, s->i, "(*VERB) not recognized or malformed");
        return RX_NONE;
    }
    if (at(s, 0, '=')) {
        s->i++;
        while (s->i < s->n && is_digit(s->p[s->i]))
            s->i++;
    } else if (at(s, 0, ':')) {
        s->i++;
        /* an empty argument is no argument, which only (*MARK) needs */
        if (at(s, 0, ')') && (len == 0 || strcmp(name, "MARK") == 0)) {
            fail(s, s->i, "(*MARK) must have an argument");
            return RX_NONE;
        }
        while (s->i < s->n && s->p[s->i] != ')')
            s->i++;
    }
    return close_unsup(s, start, RX_U_VERB, "(*VERB) not recognized or malformed");
}

/* (?C...) at s->i (after "(?C"). */
static bool callout_args(P *s)
{
    if (s->i < s->n && is_digit(s->p[s->i])) {
        while (s->i < s->n && is_digit(s->p[s->i]))
            s->i++;
    } else if (s->i < s->n && strchr("`'\"^%#${", s->p[s->i])) {
        uint8_t d = s->p[s->i] == '{' ? '}' : s->p[s->i];
        s->i++;
        for (;;) {
            if (s->i >= s->n)
                return fail(s, s->i,
                            "missing terminating delimiter for callout with string "
                            "argument");
            if (s->p[s->i] == d) {
                if (at(s, 1, (char)d)) {
                    s->i += 2;
                    continue;
                }
                s->i++;
                break;
            }
            s->i++;
        }
    }
    if (!at(s, 0, ')'))
        return fail(s, s->i, "closing parenthesis for (?C expected");
    s->i++;
    return true;
}

/* (?(condition)yes|no) at s->i, after "(?(". */
static int32_t conditional(P *s, size_t start)
{
    unsupported(s, start, "a conditional group");
    int32_t cond = RX_NONE;
    if (at(s, 0, '?') && (at(s, 1, '=') || at(s, 1, '!') || at(s, 1, '<'))) {
        size_t cstart = s->i - 1;
        s->i++;
        if (at(s, 0, '<'))
            s->i++;
        s->i++;
        if (!group_body(s, cstart, &cond))
            return RX_NONE;
    } else {
        while (s->i < s->n && s->p[s->i] != ')')
            s->i++;
        if (s->i >= s->n) {
            fail(s, s->i, "missing closing parenthesis for condition");
            return RX_NONE;
        }
        s->i++;
    }
    int32_t body;
    if (!group_body(s, start, &body))
        return RX_NONE;
    (void)cond;
    return wrap(s, RX_UNSUP, RX_U_COND, start, body);
}

/* A group at s->i ('('). */
static int32_t group(P *s)
{
    size_t start = s->i;
    if (at(s, 1, '*') && s->i + 2 < s->n && (is_alpha(s->p[s->i + 2]) || s->p[s->i + 2] == ':'))
        return star_group(s, start);
    if (!at(s, 1, '?')) {
        s->i++;
        uint8_t kind = RX_G_CAPTURE;
        if (s->opts & O_N)
            kind = RX_G_PLAIN;
        else
            s->a->ncaptures++;
        int32_t body;
        if (!group_body(s, start, &body))
            return RX_NONE;
        return wrap(s, RX_GROUP, kind, start, body);
    }
    s->i += 2;
    uint8_t d = s->i < s->n ? s->p[s->i] : 0;
    uint8_t e = s->i + 1 < s->n ? s->p[s->i + 1] : 0;
    int32_t body;
    switch (d) {
    case ':':
    case '|':
    case '>':
        s->i++;
        if (!group_body(s, start, &body))
            return RX_NONE;
        return wrap(s, RX_GROUP,
                    d == ':'   ? RX_G_PLAIN
                    : d == '|' ? RX_G_RESET
                               : RX_G_ATOMIC,
                    start, body);
    case '=':
    case '!':
    case '*':
        return look_group(s, start, 1, d == '=' ? RX_AHEAD : d == '!' ? RX_AHEAD_NOT : RX_AHEAD_NA);
    case '<':
        if (e == '=' || e == '!' || e == '*') {
            unsupported(s, start, "a lookbehind assertion");
            return look_group(s, start, 2,
                              e == '='   ? RX_BEHIND
                              : e == '!' ? RX_BEHIND_NOT
                                         : RX_BEHIND_NA);
        }
        return named_group(s, start, 1, '>');
    case '\'':
        return named_group(s, start, 1, '\'');
    case 'P':
        if (e == '<') {
            return named_group(s, start, 2, '>');
        }
        if (e == '=' || e == '>') {
            unsupported(s, start,
                        e == '=' ? "a named backreference ((?P=name))"
                                 : "a subroutine call ((?P>name))");
            s->i += 2;
            if (!group_name(s, ')'))
                return RX_NONE;
            return wrap(s, RX_UNSUP, e == '=' ? RX_U_BACKREF : RX_U_RECURSE, start, RX_NONE);
        }
        fail(s, s->i, "unrecognized character after (?P");
        return RX_NONE;
    case '(':
        s->i++;
        return conditional(s, start);
    case 'C':
        unsupported(s, start, "a callout");
        s->i++;
        if (!callout_args(s))
            return RX_NONE;
        return wrap(s, RX_UNSUP, RX_U_CALLOUT, start, RX_NONE);
    case '&':
        unsupported(s, start, "a recursion or subroutine call");
        s->i++;
        if (!group_name(s, ')'))
            return RX_NONE;
        return wrap(s, RX_UNSUP, RX_U_RECURSE, start, RX_NONE);
    case 'R':
        if (e != ')') {
            fail(s, s->i + 1, "(?R (recursive pattern call) must be followed by )");
            return RX_NONE;
        }
        unsupported(s, start, "a recursion or subroutine call");
        s->i += 2;
        return wrap(s, RX_UNSUP, RX_U_RECURSE, start, RX_NONE);
    default:
        break;
    }
    if (is_digit(d) || ((d == '+' || d == '-') && is_digit(e))) {
        unsupported(s, start, "a recursion or subroutine call");
        s->i++;
        while (s->i < s->n && is_digit(s->p[s->i]))
            s->i++;
        return close_unsup(s, start, RX_U_RECURSE, "digit expected after (?+ or (?-");
    }
    /* options: (?imsx) for the rest of the group, (?imsx:...) a group */
    unsigned o = s->opts;
    if (!options(s, &o))
        return RX_NONE;
    if (s->p[s->i] == ')') {
        s->i++;
        s->opts = o;
        return wrap(s, RX_EMPTY, 0, start, RX_NONE);
    }
    s->i++; /* : */
    unsigned saved = s->opts;
    s->opts = o;
    bool ok = group_body(s, start, &body);
    s->opts = saved;
    if (!ok)
        return RX_NONE;
    return wrap(s, RX_GROUP, RX_G_PLAIN, start, body);
}

/* Can a quantifier follow this node? */
static bool repeatable(const rx_ast *a, int32_t nd, bool option_setting)
{
    if (option_setting)
        return false;
    const rx_node *x = &a->nodes[nd];
    switch (x->kind) {
    case RX_SET:
    case RX_GROUP:
    case RX_LOOK:
        return true;
    case RX_ASSERT:
        return x->aux == RX_A_WSTART || x->aux == RX_A_WEND;
    case RX_UNSUP:
        return x->aux != RX_U_CALLOUT; /* (*ACCEPT)+ compiles; CV501 in any case */
    default:
        return false;
    }
}

static bool quant_start(const P *s)
{
    if (s->inq || s->i >= s->n)
        return false;
    uint8_t c = s->p[s->i];
    if (c == '*' || c == '+' || c == '?')
        return true;
    size_t end;
    uint32_t mn, mx;
    bool big;
    return c == '{' && brace_quant(s, &end, &mn, &mx, &big);
}

/* One item and its quantifier; *item = RX_NONE at the end of a branch. */
static bool item(P *s, int32_t *out)
{
    *out = RX_NONE;
    if (!skip_noise(s))
        return false;
    if (s->i >= s->n)
        return true;
    size_t start = s->i;
    uint8_t c = s->p[s->i];
    int32_t nd = RX_NONE;
    bool option_setting = false;
    if (s->inq) {
        uint32_t cp;
        if (!utf8_char(s, &cp))
            return false;
        nd = set_node(s, start, NULL, cp, true);
    } else if (c == '|' || c == ')') {
        return true;
    } else if (c == '*' || c == '+' || c == '?' || quant_start(s)) {
        return fail(s, s->i + 1, "quantifier does not follow a repeatable item");
    } else if (c == '(') {
        nd = group(s);
        option_setting = nd != RX_NONE && s->a->nodes[nd].kind == RX_EMPTY;
    } else if (c == '[') {
        size_t end;
        if (s->n - s->i >= 7 &&
            (memcmp(s->p + s->i, "[[:<:]]", 7) == 0 || memcmp(s->p + s->i, "[[:>:]]", 7) == 0)) {
            s->i += 7;
            nd = node(s, RX_ASSERT, start);
            if (nd != RX_NONE) {
                s->a->nodes[nd].aux = s->p[s->i - 4] == '<' ? RX_A_WSTART : RX_A_WEND;
                s->a->nodes[nd].end = (uint32_t)s->i;
            }
        } else if ((at(s, 1, ':') || at(s, 1, '.') || at(s, 1, '=')) &&
                   posix_syntax(s, s->i, &end)) {
            return fail(s, s->i, "POSIX named classes are supported only within a class");
        } else {
            nd = char_class(s);
        }
    } else if (c == '\\') {
        esc e;
        if (!escape(s, false, &e, RX_NONE))
            return false;
        switch (e.kind) {
        case E_CHAR:
            nd = set_node(s, start, NULL, e.cp, true);
            break;
        case E_SET:
            nd = set_node(s, start, &e, 0, false);
            break;
        case E_ASSERT:
            nd = node(s, RX_ASSERT, start);
            if (nd != RX_NONE)
                s->a->nodes[nd].aux = e.assert_kind;
            break;
        case E_UNSUP:
            unsupported(s, start, e.what);
            nd = node(s, RX_UNSUP, start);
            if (nd != RX_NONE)
                s->a->nodes[nd].aux = e.unsup;
            break;
        default: /* \Q \E: handled by skip_noise */
            return fail(s, start, "internal: unexpected \\Q or \\E");
        }
        if (nd != RX_NONE)
            s->a->nodes[nd].end = (uint32_t)s->i;
    } else if (c == '.') {
        s->i++;
        esc e = {.kind = E_SET, .type = (s->opts & O_S) ? RX_I_ANY : T_NOTNL};
        nd = set_node(s, start, &e, 0, false);
    } else if (c == '^' || c == '$') {
        s->i++;
        nd = node(s, RX_ASSERT, start);
        if (nd != RX_NONE) {
            bool m = (s->opts & O_M) != 0;
            s->a->nodes[nd].aux =
                c == '^' ? (m ? RX_A_MBOL : RX_A_BOL) : (m ? RX_A_MEOL : RX_A_EOL);
            s->a->nodes[nd].end = (uint32_t)s->i;
        }
    } else {
        uint32_t cp;
        if (!utf8_char(s, &cp))
            return false;
        nd = set_node(s, start, NULL, cp, true);
    }
    if (nd == RX_NONE)
        return false;
    /* quantifiers (white space and comments may come between) */
    if (!skip_noise(s))
        return false;
    if (!quant_start(s)) {
        *out = nd;
        return true;
    }
    if (!repeatable(s->a, nd, option_setting))
        return fail(s, s->i + 1, "quantifier does not follow a repeatable item");
    uint32_t mn = 0, mx = RX_INF;
    uint8_t q = s->p[s->i];
    if (q == '{') {
        size_t end = s->i + 1;
        bool big = false;
        if (!brace_quant(s, &end, &mn, &mx, &big))
            return fail(s, s->i, "internal: quantifier expected");
        if (big)
            return fail(s, end - 1, "number too big in {} quantifier");
        if (mx < mn)
            return fail(s, end - 1, "numbers out of order in {} quantifier");
        s->i = end;
    } else {
        mn = q == '+' ? 1 : 0;
        mx = q == '?' ? 1 : RX_INF;
        s->i++;
    }
    uint8_t greed = (s->opts & O_U) ? RX_LAZY : RX_GREEDY;
    if (!skip_noise(s)) /* a+\E+ is a++ */
        return false;
    if (s->inq) {
        /* \Q: the modifier cannot follow */
    } else if (at(s, 0, '+')) {
        greed = RX_POSSESSIVE;
        s->i++;
    } else if (at(s, 0, '?')) {
        greed = (s->opts & O_U) ? RX_GREEDY : RX_LAZY;
        s->i++;
    }
    int32_t r = node(s, RX_REPEAT, start);
    if (r == RX_NONE)
        return false;
    rx_node *x = &s->a->nodes[r];
    x->child = nd;
    x->min = mn;
    x->max = mx;
    x->aux = greed;
    x->end = (uint32_t)s->i;
    /* another quantifier right after is an error */
    if (!skip_noise(s))
        return false;
    if (quant_start(s))
        return fail(s, s->i + 1, "quantifier does not follow a repeatable item");
    *out = r;
    return true;
}

static int32_t sequence(P *s)
{
    int32_t cat = node(s, RX_CAT, s->i);
    if (cat == RX_NONE)
        return RX_NONE;
    int32_t last = RX_NONE;
    for (;;) {
        int32_t it;
        if (!item(s, &it))
            return RX_NONE;
        if (it == RX_NONE)
            break;
        adopt(s->a, cat, &last, it);
    }
    s->a->nodes[cat].end = (uint32_t)s->i;
    return cat;
}

/* Branches up to ')' (not consumed) or the end. */
static int32_t alternation(P *s, size_t group_start)
{
    int32_t alt = node(s, RX_ALT, s->i);
    if (alt == RX_NONE)
        return RX_NONE;
    int32_t last = RX_NONE;
    int nb = 0;
    for (;;) {
        int32_t br = sequence(s);
        if (br == RX_NONE)
            return RX_NONE;
        adopt(s->a, alt, &last, br);
        nb++;
        if (at(s, 0, '|') && !s->inq) {
            s->i++;
            continue;
        }
        break;
    }
    (void)group_start;
    s->a->nodes[alt].end = (uint32_t)s->i;
    if (nb == 1) {
        int32_t only = s->a->nodes[alt].child;
        return only;
    }
    return alt;
}

int rx_parse(rx_ast *a, const uint8_t *p, size_t n, bool caseless)
{
    *a = (rx_ast){.root = RX_NONE};
    P s = {.a = a, .p = p, .n = n, .opts = caseless ? O_I : 0};
    /* PCRE2 checks the whole pattern first, comments included */
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = p[i] < 0x80 ? 1 : cv_utf8_seq(p + i, n - i, &cp);
        if (k == 0) {
            fail(&s, i, "invalid UTF-8 string");
            return a->status;
        }
        i += k;
    }
    int32_t root = alternation(&s, 0);
    if (a->status != RX_OK)
        return a->status;
    if (root == RX_NONE)
        return a->status = RX_NOMEM;
    if (s.i < n) { /* a ')' without '(' */
        fail(&s, s.i, "unmatched closing parenthesis");
        return a->status;
    }
    a->root = root;
    /* classify each set the way PCRE2 compiles it */
    for (size_t k = 0; k < a->nnodes; k++) {
        rx_node *x = &a->nodes[k];
        if (x->kind != RX_SET)
            continue;
        rx_set_t *st = &a->sets[x->set];
        st->op = RX_OP_XCLASS;
        st->c0 = st->c1 = 0;
        const rx_item_t *it = &a->items[st->first];
        bool wide = false, prop = false;
        for (uint32_t j = 0; j < st->n; j++) {
            if (it[j].type == RX_I_RANGE && it[j].hi >= 256)
                wide = true;
            if (it[j].type == RX_I_PROP)
                prop = true;
            if (it[j].neg && it[j].type != RX_I_RANGE)
                wide = true; /* \D, \W, [:^alpha:] match wide code points */
        }
        st->wide = wide || st->neg;
        if (st->n == 1 && it[0].type == RX_I_RANGE && it[0].lo == it[0].hi) {
            st->op = st->neg ? RX_OP_NOT : RX_OP_CHAR;
            st->c0 = st->c1 = it[0].lo;
            continue;
        }
        if (st->n == 1 && !st->neg && it[0].type != RX_I_RANGE && it[0].type != RX_I_POSIX &&
            p[x->off] != '[') {
            st->op = RX_OP_TYPE;
            switch (it[0].type) {
            case RX_I_DIGIT:
                st->optype = it[0].neg ? RX_T_NDIGIT : RX_T_DIGIT;
                break;
            case RX_I_SPACE:
                st->optype = it[0].neg ? RX_T_NSPACE : RX_T_SPACE;
                break;
            case RX_I_WORD:
                st->optype = it[0].neg ? RX_T_NWORD : RX_T_WORD;
                break;
            case RX_I_HSPACE:
                st->optype = it[0].neg ? RX_T_NHSPACE : RX_T_HSPACE;
                break;
            case RX_I_VSPACE:
                st->optype = p[x->off + 1] == 'R' ? RX_T_ANYNL
                             : it[0].neg          ? RX_T_NVSPACE
                                                  : RX_T_VSPACE;
                break;
            case RX_I_ANY:
                st->optype = p[x->off] == '.' ? RX_T_ALLANY : RX_T_EXTUNI;
                break;
            default:
                st->optype = it[0].neg ? RX_T_NPROP : RX_T_PROP;
                break;
            }
            continue;
        }
        if (st->n == 2 && p[x->off] == '.') { /* . without dotall */
            st->op = RX_OP_TYPE;
            st->optype = RX_T_ANY;
            continue;
        }
        if (p[x->off] == '\\' && x->end > x->off + 1 && p[x->off + 1] == 'N') {
            st->op = RX_OP_TYPE;
            st->optype = RX_T_ANY;
            continue;
        }
        if (!prop && !wide)
            st->op = st->neg ? RX_OP_NCLASS : RX_OP_CLASS;
        else if (!prop && st->neg && !wide)
            st->op = RX_OP_NCLASS;
    }
    return RX_OK;
}

void rx_ast_free(rx_ast *a)
{
    cv_free(a->nodes);
    cv_free(a->sets);
    cv_free(a->items);
    *a = (rx_ast){.root = RX_NONE};
}

/* ---- set membership ------------------------------------------------------ */

static bool ascii_posix(uint32_t which, uint32_t c)
{
    if (c >= 128)
        return false;
    bool up = c >= 'A' && c <= 'Z', lo = c >= 'a' && c <= 'z', dg = c >= '0' && c <= '9';
    bool sp = c == ' ' || (c >= 9 && c <= 13);
    bool ct = c < 32 || c == 127;
    switch (which) {
    case 0:
        return up || lo;
    case 1:
        return lo;
    case 2:
        return up;
    case 3:
        return up || lo || dg;
    case 4:
        return true;
    case 5:
        return c == ' ' || c == '\t';
    case 6:
        return ct;
    case 7:
        return dg;
    case 8:
        return c > 32 && c < 127;
    case 9:
        return c >= 32 && c < 127;
    case 10:
        return c > 32 && c < 127 && !(up || lo || dg);
    case 11:
        return sp;
    case 12:
        return up || lo || dg || c == '_';
    default:
        return dg || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}

/* A rough Unicode general category of c: enough to pick witness
 * characters (the measurement, not this table, decides). */
static char ucat(uint32_t c, char *sub)
{
    *sub = ' ';
    if (c < 128) {
        if ((c >= 'A' && c <= 'Z')) {
            *sub = 'u';
            return 'L';
        }
        if (c >= 'a' && c <= 'z') {
            *sub = 'l';
            return 'L';
        }
        if (c >= '0' && c <= '9') {
            *sub = 'd';
            return 'N';
        }
        if (c == ' ') {
            *sub = 's';
            return 'Z';
        }
        if (c < 32 || c == 127) {
            *sub = 'c';
            return 'C';
        }
        if (strchr("$+<=>^`|~", (int)c)) {
            *sub = (char)(c == '$' ? 'c' : c == '^' || c == '`' ? 'k' : 'm');
            return 'S';
        }
        *sub = (char)(c == '_'                ? 'c'
                      : c == '-'              ? 'd'
                      : strchr("([{", (int)c) ? 's'
                      : strchr(")]}", (int)c) ? 'e'
                                              : 'o');
        return 'P';
    }
    if (c == 0xa0 || c == 0x3000 || (c >= 0x2000 && c <= 0x200a)) {
        *sub = 's';
        return 'Z';
    }
    if (c == 0x2028) {
        *sub = 'l';
        return 'Z';
    }
    if (c == 0x2029) {
        *sub = 'p';
        return 'Z';
    }
    if (c < 0xa0) {
        *sub = 'c';
        return 'C';
    }
    if ((c >= 0x660 && c <= 0x669) || (c >= 0xff10 && c <= 0xff19)) {
        *sub = 'd';
        return 'N';
    }
    if (c >= 0xa1 && c <= 0xbf) {
        *sub = 'o';
        return c == 0xa2 || c == 0xa3 || c == 0xa5 ? 'S' : 'P';
    }
    if ((c >= 0xc0 && c <= 0x24f && c != 0xd7 && c != 0xf7) || (c >= 0x370 && c <= 0x52f) ||
        (c >= 0x5d0 && c <= 0x5ea) || (c >= 0x620 && c <= 0x64a) || (c >= 0x3040 && c <= 0x30ff) ||
        (c >= 0x4e00 && c <= 0x9fff) || (c >= 0xac00 && c <= 0xd7a3) ||
        (c >= 0xe00 && c <= 0xe30)) {
        bool upper =
            (c >= 0xc0 && c <= 0xde) || (c >= 0x391 && c <= 0x3a9) || (c >= 0x400 && c <= 0x42f);
        bool lower =
            (c >= 0xdf && c <= 0xff) || (c >= 0x3b1 && c <= 0x3c9) || (c >= 0x430 && c <= 0x45f);
        *sub = (char)(upper ? 'u' : lower ? 'l' : 'o');
        return 'L';
    }
    if (c >= 0x3000 && c <= 0x303f) {
        *sub = 'o';
        return 'P';
    }
    if (c >= 0xff01 && c <= 0xff0f) {
        *sub = 'o';
        return 'P';
    }
    *sub = 'o';
    return 'S';
}

static bool prop_has(uint32_t which, uint32_t c)
{
    char sub;
    char cat = ucat(c, &sub);
    if (which >= NPROPS)
        return c >= 128; /* an unmodelled script or property */
    const char *name = prop_names[which];
    if (strcmp(name, "any") == 0)
        return true;
    if (strcmp(name, "l&") == 0 || strcmp(name, "lc") == 0)
        return cat == 'L' && (sub == 'u' || sub == 'l');
    if (strcmp(name, "xan") == 0)
        return cat == 'L' || cat == 'N';
    if (strcmp(name, "xwd") == 0)
        return cat == 'L' || cat == 'N' || c == '_';
    if (strcmp(name, "xps") == 0 || strcmp(name, "xsp") == 0)
        return cat == 'Z' || c == ' ' || (c >= 9 && c <= 13) || c == 0x85;
    if (strcmp(name, "xuc") == 0)
        return c == '$' || c == '@' || c == '`' || c >= 0xa0;
    if (strcmp(name, "latin") == 0)
        return (c < 128 && ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')) || (c >= 0xc0 && c <= 0x24f);
    /* scripts modelled as one block of code points each */
    static const struct {
        const char *name;
        uint32_t lo, hi;
    } blocks[] = {
        {"greek", 0x370, 0x3ff},      {"cyrillic", 0x400, 0x52f}, {"han", 0x4e00, 0x9fff},
        {"arabic", 0x600, 0x6ff},     {"hebrew", 0x590, 0x5ff},   {"hiragana", 0x3040, 0x309f},
        {"katakana", 0x30a0, 0x30ff}, {"hangul", 0xac00, 0xd7a3}, {"thai", 0xe00, 0xe7f}};
    for (size_t i = 0; i < sizeof blocks / sizeof *blocks; i++)
        if (strcmp(name, blocks[i].name) == 0)
            return c >= blocks[i].lo && c <= blocks[i].hi;
    if (strcmp(name, "common") == 0)
        return cat != 'L';
    if (name[0] != (char)(cat | 0x20))
        return false;
    return name[1] == '\0' || name[1] == sub;
}

static bool item_has(const rx_item_t *it, uint32_t c)
{
    bool r;
    switch (it->type) {
    case RX_I_RANGE:
        return c >= it->lo && c <= it->hi;
    case RX_I_DIGIT:
        r = c >= '0' && c <= '9';
        break;
    case RX_I_SPACE:
        r = c == ' ' || (c >= 9 && c <= 13);
        break;
    case RX_I_WORD:
        r = c < 128 && ascii_posix(12, c);
        break;
    case RX_I_HSPACE:
        r = c == 9 || c == ' ' || c == 0xa0 || c == 0x1680 || c == 0x180e ||
            (c >= 0x2000 && c <= 0x200a) || c == 0x202f || c == 0x205f || c == 0x3000;
        break;
    case RX_I_VSPACE:
        r = (c >= 10 && c <= 13) || c == 0x85 || c == 0x2028 || c == 0x2029;
        break;
    case RX_I_ANY:
        r = true;
        break;
    case RX_I_POSIX:
        r = ascii_posix(it->lo, c);
        break;
    default:
        /* a property the tables do not know: every character may have it
         * (or lack it), so both \p and \P take all - the analysis then
         * proposes more, and the measurement decides */
        if (it->lo >= NPROPS)
            return true;
        r = prop_has(it->lo, c);
        break;
    }
    return r != it->neg;
}

bool rx_prop_known(uint32_t which) { return which < NPROPS; }

/* The other case of c, or c (ASCII, Latin-1, Greek and Cyrillic basics). */
static uint32_t other_case(uint32_t c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 0xe0 && c <= 0xfe && c != 0xf7) ||
        (c >= 0x3b1 && c <= 0x3c9 && c != 0x3c2) || (c >= 0x430 && c <= 0x44f))
        return c - 32;
    if ((c >= 'A' && c <= 'Z') || (c >= 0xc0 && c <= 0xde && c != 0xd7) ||
        (c >= 0x391 && c <= 0x3a9) || (c >= 0x410 && c <= 0x42f))
        return c + 32;
    if (c >= 0x450 && c <= 0x45f)
        return c - 80;
    if (c >= 0x400 && c <= 0x40f)
        return c + 80;
    return c;
}

/* Unicode's caseless sets of more than two characters (PCRE2's
 * ucd_caseless_sets) among the scripts other_case knows: "s" also matches
 * U+017F caselessly, "k" the Kelvin sign. */
static const uint32_t caseless_sets[][4] = {
    {0x4b, 0x6b, 0x212a, 0},      {0x53, 0x73, 0x17f, 0},    {0xc5, 0xe5, 0x212b, 0},
    {0xb5, 0x39c, 0x3bc, 0},      {0xdf, 0x1e9e, 0, 0},      {0x3a3, 0x3c2, 0x3c3, 0},
    {0x398, 0x3b8, 0x3d1, 0x3f4}, {0x392, 0x3b2, 0x3d0, 0},  {0x395, 0x3b5, 0x3f5, 0},
    {0x39a, 0x3ba, 0x3f0, 0},     {0x3a0, 0x3c0, 0x3d6, 0},  {0x3a1, 0x3c1, 0x3f1, 0},
    {0x3a6, 0x3c6, 0x3d5, 0},     {0x3a9, 0x3c9, 0x2126, 0}, {0x345, 0x399, 0x3b9, 0x1fbe},
};

/* c's caseless partners other than c itself; returns how many. */
static size_t partners(uint32_t c, uint32_t out[4])
{
    for (size_t i = 0; i < sizeof caseless_sets / sizeof *caseless_sets; i++)
        for (size_t k = 0; k < 4 && caseless_sets[i][k]; k++)
            if (caseless_sets[i][k] == c) {
                size_t n = 0;
                for (size_t j = 0; j < 4 && caseless_sets[i][j]; j++)
                    if (caseless_sets[i][j] != c)
                        out[n++] = caseless_sets[i][j];
                return n;
            }
    uint32_t oc = other_case(c);
    out[0] = oc;
    return oc != c;
}

bool rx_set_has(const rx_ast *a, const rx_set_t *s, bool caseless, uint32_t c)
{
    uint32_t oc[4];
    size_t noc = caseless ? partners(c, oc) : 0;
    bool in = false;
    for (uint32_t j = 0; j < s->n && !in; j++) {
        const rx_item_t *it = &a->items[s->first + j];
        rx_item_t alpha;
        if (caseless && it->type == RX_I_POSIX &&
            (it->lo == POSIX_LOWER || it->lo == POSIX_UPPER)) {
            /* caseless, PCRE2 reads [:upper:] and [:lower:] as [:alpha:] */
            alpha = *it;
            alpha.lo = POSIX_ALPHA;
            it = &alpha;
        }
        /* PCRE2 folds the characters and ranges of a class, not its
         * escapes, POSIX classes (but the above) or Unicode properties:
         * \p{Lu} matches only upper case letters, caseless or not */
        in = item_has(it, c);
        for (size_t k = 0; k < noc && !in && it->type == RX_I_RANGE; k++)
            in = item_has(it, oc[k]);
    }
    return in != s->neg;
}
