/* redos_attack.c - the generic attacker: a floor under every verdict.
 *
 * The static analysis proposes witnesses for super-linear backtracking; a
 * regex can also be linear and still over the budget at maxLength (a long
 * alternation tried at every start position, many items each costing
 * steps), or super-linear in a way the proposals miss.  The attacker needs
 * no analysis: it builds inputs from the pattern's own alphabet (each
 * character it names, inside classes too, and a member of each class
 * escape), alone and in alternating pairs, its literal runs, each preceded
 * by nothing or by a character that is not the pump's, and the pattern's
 * first path (its skeleton) cut short at each length, alone and followed by
 * a character the pattern does not name; each followed by a suffix that
 * makes the match fail (with PCRE2's required code unit, which it checks
 * before the first step).
 *
 * Every input is counted on a short screen first (at most SCREEN_LEN
 * bytes, counted to the cap: an input of that length over the cap is a
 * witness already); those whose cost, grown linearly to maxLength with a
 * margin of MARGIN, could pass the cap are then counted at exactly
 * maxLength, the most expensive first, the first one over the cap ending
 * the attack.  An input left uncounted at maxLength is one whose screen
 * shows a per-byte cost MARGIN times too low to reach the cap: growth
 * steeper than linear is the analysis' part (its proposals are grown and
 * counted by rx_measure).  When the attack's own step allowance runs out
 * before every input it must count is counted, nothing is proven. */
#include "regex/redos.h"
#include "base/alloc.h"

#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

enum {
    ALPHA_MAX = 24,    /* characters of the alphabet */
    CHAR_BYTES = 4,    /* one UTF-8 character */
    LIT_MAX = 8,       /* literal runs */
    LIT_BYTES = 32,    /* bytes of a literal run kept */
    PAIRED = 6,        /* the most expensive characters alone, alternated in pairs */
    TOP_VARIED = 4,    /* the most expensive pumps tried with other ends */
    SERIES_PUMPS = 2,  /* the most expensive matching pumps counted at every length */
    SERIES_LEN = 48,   /* bytes past the shortest match that series covers */
    SCREEN_LEN = 64,   /* bytes of the first screen (at most maxLength) */
    SCREEN2_LEN = 512, /* bytes of the second */
    MARGIN = 8,        /* the first screen grown linearly to maxLength, times this,
                        * reaches the cap: the second screen */
    MARGIN2 = 2,       /* the second, times this: counted at maxLength */
    BLOCKS = 15,       /* a top pump repeated 2..BLOCKS + 1 times before a line break */
    INPUTS_MAX = 2 * ALPHA_MAX + 2 * LIT_MAX + 2 * LIT_BYTES + PAIRED * PAIRED + 2 * PAIRED +
                 TOP_VARIED * (12 + BLOCKS)
};

typedef struct chr {
    char b[CHAR_BYTES];
    uint8_t n;
} chr;

typedef struct input {
    char prefix[CHAR_BYTES];
    char pump[LIT_BYTES];
    char suffix[CHAR_BYTES + 2];
    uint8_t nprefix, npump, nsuffix;
    uint64_t screen; /* steps at the screening length */
    size_t screen_len;
    double rate; /* screen / screen_len: steps per byte */
    uint64_t hash;
    bool dead;    /* PCRE2 rejects it before the first step, at any length */
    bool matched; /* it matched on the first screen: shorter inputs may cost more */
} input;

typedef struct attacker {
    chr alpha[ALPHA_MAX];
    size_t na;
    char lit[LIT_MAX][LIT_BYTES];
    size_t litn[LIT_MAX], nl;
    char run[LIT_BYTES]; /* the literal run being read */
    size_t nrun, last;   /* bytes; where its last character starts */
    input *in;
    input **ord; /* in, the most expensive first once sorted */
    size_t nin;
    /* PCRE2's start-of-match optimisation: an input without one of these
     * code units is rejected before the first step */
    uint32_t first[2];
    bool has_first;
    const uint8_t *start_bits; /* 256 bits, or NULL */
} attacker;

static void add_char(attacker *a, const char *s, size_t n)
{
    if (n == 0 || n > CHAR_BYTES || a->na >= ALPHA_MAX)
        return;
    for (size_t i = 0; i < a->na; i++)
        if (a->alpha[i].n == n && memcmp(a->alpha[i].b, s, n) == 0)
            return;
    memcpy(a->alpha[a->na].b, s, n);
    a->alpha[a->na++].n = (uint8_t)n;
}

static void end_run(attacker *a)
{
    if (a->nrun >= 2 && a->nl < LIT_MAX) {
        bool dup = false;
        for (size_t i = 0; i < a->nl; i++)
            dup |= a->litn[i] == a->nrun && memcmp(a->lit[i], a->run, a->nrun) == 0;
        if (!dup) {
            memcpy(a->lit[a->nl], a->run, a->nrun);
            a->litn[a->nl++] = a->nrun;
        }
    }
    a->nrun = 0;
    a->last = 0;
}

/* A literal character outside a class: one of the alphabet, and part of
 * the current literal run. */
static void literal(attacker *a, const char *s, size_t n)
{
    add_char(a, s, n);
    if (a->nrun + n <= LIT_BYTES) {
        memcpy(a->run + a->nrun, s, n);
        a->last = a->nrun;
        a->nrun += n;
    } else {
        end_run(a);
    }
}

/* Bytes of the UTF-8 character at p[i] (1 for a stray byte). */
static size_t char_len(const uint8_t *p, size_t i, size_t n)
{
    size_t k = p[i] >= 0xf0 ? 4 : p[i] >= 0xe0 ? 3 : p[i] >= 0xc0 ? 2 : 1;
    if (k > n - i)
        k = 1;
    for (size_t j = 1; j < k; j++)
        if ((p[i + j] & 0xc0) != 0x80)
            return 1;
    return k;
}

static size_t utf8(uint32_t c, char *out)
{
    if (c < 0x80) {
        out[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        out[0] = (char)(0xc0 | (c >> 6));
        out[1] = (char)(0x80 | (c & 0x3f));
        return 2;
    }
    if (c < 0x10000) {
        if (c >= 0xd800 && c < 0xe000)
            return 0;
        out[0] = (char)(0xe0 | (c >> 12));
        out[1] = (char)(0x80 | ((c >> 6) & 0x3f));
        out[2] = (char)(0x80 | (c & 0x3f));
        return 3;
    }
    if (c < 0x110000) {
        out[0] = (char)(0xf0 | (c >> 18));
        out[1] = (char)(0x80 | ((c >> 12) & 0x3f));
        out[2] = (char)(0x80 | ((c >> 6) & 0x3f));
        out[3] = (char)(0x80 | (c & 0x3f));
        return 4;
    }
    return 0;
}

static int hexval(uint8_t c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* A member of the class escape e (\d, \s, \w, ...), or NULL. */
static const char *class_member(uint8_t e)
{
    static const char escapes[] = "dDsSwWhHvVRNXpPntrfea";
    static const char *const members[] = {"0", "a",  " ",  "x",  "a",  "-",    "\x20",
                                          "x", "\n", "x",  "\n", "x",  "a",    "a",
                                          "0", "\n", "\t", "\r", "\f", "\x1b", "\a"};
    const char *at = e ? strchr(escapes, e) : NULL;
    return at ? members[at - escapes] : NULL;
}

/* A member of the POSIX class [:name:] (the name at p, k bytes). */
static const char *posix_member(const uint8_t *p, size_t k)
{
    static const char *const names[][2] = {
        {"alpha", "a"},    {"digit", "0"}, {"alnum", "a"},  {"space", " "}, {"upper", "A"},
        {"lower", "a"},    {"word", "a"},  {"xdigit", "f"}, {"punct", "-"}, {"blank", " "},
        {"cntrl", "\x01"}, {"graph", "x"}, {"print", "x"},  {"ascii", "x"}};
    if (k > 0 && p[0] == '^')
        return "-"; /* [:^alpha:]: most likely outside */
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strlen(names[i][0]) == k && memcmp(names[i][0], p, k) == 0)
            return names[i][1];
    return NULL;
}

/* An escape at p[i] == '\\': the characters it names go to the alphabet
 * (and the run when it is a literal outside a class).  Returns the index
 * after it. */
static size_t escape(attacker *a, const uint8_t *p, size_t n, size_t i, bool in_class)
{
    if (i + 1 >= n)
        return n;
    uint8_t e = p[i + 1];
    size_t j = i + 2;
    char buf[CHAR_BYTES];
    if (e == 'x') {
        uint32_t v = 0;
        if (j < n && p[j] == '{') {
            size_t k = j + 1;
            while (k < n && hexval(p[k]) >= 0 && v < 0x110000)
                v = v * 16 + (uint32_t)hexval(p[k++]);
            j = k < n && p[k] == '}' ? k + 1 : k;
        } else {
            for (int d = 0; d < 2 && j < n && hexval(p[j]) >= 0; d++)
                v = v * 16 + (uint32_t)hexval(p[j++]);
        }
        size_t m = utf8(v, buf);
        if (m && in_class)
            add_char(a, buf, m);
        else if (m)
            literal(a, buf, m);
        return j;
    }
    if (e == 'Q') { /* literal up to \E */
        while (j < n && !(p[j] == '\\' && j + 1 < n && p[j + 1] == 'E')) {
            size_t m = char_len(p, j, n);
            if (in_class)
                add_char(a, (const char *)p + j, m);
            else
                literal(a, (const char *)p + j, m);
            j += m;
        }
        return j < n ? j + 2 : n;
    }
    if ((e == 'p' || e == 'P') && j < n && p[j] == '{') {
        while (j < n && p[j] != '}')
            j++;
        j = j < n ? j + 1 : n;
    } else if (e == 'p' || e == 'P') {
        j = j < n ? j + 1 : n;
    }
    const char *m = class_member(e);
    if (m) {
        if (!in_class)
            end_run(a);
        add_char(a, m, strlen(m));
        if (e == 'p' || e == 'P') /* a property: members of several kinds */
            for (const char *d = "0 \t-"; *d; d++)
                add_char(a, d, 1);
        return j;
    }
    if ((e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z') || (e >= '0' && e <= '9')) {
        if (!in_class)
            end_run(a); /* an assertion (\b, \A, \z) or a reference */
        return j;
    }
    size_t k = char_len(p, i + 1, n); /* an escaped literal: \. \\ \( */
    if (in_class)
        add_char(a, (const char *)p + i + 1, k);
    else
        literal(a, (const char *)p + i + 1, k);
    return i + 1 + k;
}

/* The alphabet and literal runs of p[0..n): a reading of the pattern that
 * only has to be good enough to find the characters; PCRE2 and the parser
 * judge its syntax. */
/* A skeleton of the pattern's first path: its literal characters in
 * order, one member for a class or a class escape, the first alternative
 * of each group, quantifiers and group syntax left out; ASCII only, at
 * most cap bytes.  Cut short, it is a near-match that every occurrence
 * of its start tries (Android [34].{0,200}; {0,2}(A100|...) on
 * "Android 3a; A10" repeated).  Returns its length. */
static size_t skeleton(const uint8_t *p, size_t n, char *out, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i < n && k < cap;) {
        uint8_t c = p[i];
        if (c >= 0x80)
            return k; /* ASCII only: no character is ever cut */
        if (c == '\\' && i + 1 < n) {
            uint8_t e = p[i + 1];
            uint8_t m = 0;
            if (e == 'd' || e == 'w' || e == 's')
                m = e == 'd' ? (uint8_t)'1' : e == 'w' ? (uint8_t)'a' : (uint8_t)' ';
            if (!m && e < 0x80 &&
                !((e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z') || (e >= '0' && e <= '9')))
                m = e; /* an escaped punctuation character */
            if (m)
                out[k++] = (char)m;
            i += 2;
        } else if (c == '[') {
            size_t j = i + 1;
            bool neg = j < n && p[j] == '^';
            if (neg)
                j++;
            uint8_t first = j < n ? p[j] : 'a';
            out[k++] = (char)(neg || first == '\\' || first >= 0x80 ? 'a' : first);
            for (j++; j < n && p[j] != ']'; j++)
                if (p[j] == '\\')
                    j++;
            i = j + 1;
        } else if (c == '(') {
            i++;
            if (i < n && p[i] == '?') { /* (?: (?> (?<name> (?i) ...: to the body */
                while (i < n && p[i] != ':' && p[i] != '>' && p[i] != ')')
                    i++;
                i++;
            }
        } else if (c == '|') { /* the rest of this alternative's group is left out */
            int depth = 0;
            for (; i < n; i++) {
                if (p[i] == '\\') {
                    i++;
                } else if (p[i] == '(') {
                    depth++;
                } else if (p[i] == ')' && depth-- == 0) {
                    break;
                }
            }
        } else if (c == '{') {
            while (i < n && p[i] != '}')
                i++;
            i++;
        } else if (c == '.') {
            out[k++] = 'a';
            i++;
        } else if (c == ')' || c == '*' || c == '+' || c == '?' || c == '^' || c == '$') {
            i++;
        } else {
            out[k++] = (char)c;
            i++;
        }
    }
    return k;
}

static void read_pattern(attacker *a, const uint8_t *p, size_t n)
{
    size_t i = 0;
    while (i < n) {
        uint8_t c = p[i];
        if (c == '\\') {
            i = escape(a, p, n, i, false);
            continue;
        }
        if (c == '[') {
            end_run(a);
            size_t j = i + 1;
            if (j < n && p[j] == '^')
                j++;
            size_t first = j;
            while (j < n && (p[j] != ']' || j == first)) {
                if (p[j] == '\\') {
                    j = escape(a, p, n, j, true);
                } else if (p[j] == '[' && j + 1 < n && p[j + 1] == ':') {
                    size_t k = j + 2;
                    while (k + 1 < n && !(p[k] == ':' && p[k + 1] == ']'))
                        k++;
                    const char *m = posix_member(p + j + 2, k - j - 2);
                    if (m)
                        add_char(a, m, strlen(m));
                    j = k + 2 <= n ? k + 2 : n;
                } else {
                    size_t m = char_len(p, j, n);
                    add_char(a, (const char *)p + j, m);
                    j += m;
                }
            }
            i = j < n ? j + 1 : n;
            continue;
        }
        if (c == '(' && i + 1 < n && p[i + 1] == '?') {
            end_run(a);
            size_t j = i + 2;
            if (j < n && p[j] == '#') { /* a comment */
                while (j < n && p[j] != ')')
                    j++;
                i = j < n ? j + 1 : n;
                continue;
            }
            if (j < n && (p[j] == ':' || p[j] == '=' || p[j] == '!' || p[j] == '>' || p[j] == '|'))
                j++;
            else if (j + 1 < n && p[j] == '<' && (p[j + 1] == '=' || p[j + 1] == '!'))
                j += 2;
            else if (j < n && (p[j] == '<' || p[j] == '\'' || p[j] == 'P')) {
                uint8_t close = p[j] == '\'' ? '\'' : '>';
                j++;
                while (j < n && p[j] != close && p[j] != ')')
                    j++;
                j = j < n ? j + 1 : n;
            } else {
                while (j < n && p[j] != ')' && p[j] != ':')
                    j++; /* inline options */
                j = j < n ? j + 1 : n;
            }
            i = j;
            continue;
        }
        if (c == '{') {
            size_t j = i + 1;
            while (j < n && ((p[j] >= '0' && p[j] <= '9') || p[j] == ','))
                j++;
            if (j < n && p[j] == '}' && j > i + 1) {
                /* a quantifier: the run's last character is repeated, so
                 * the run ends before it */
                a->nrun = a->last < a->nrun ? a->last : a->nrun;
                end_run(a);
                i = j + 1;
                continue;
            }
        }
        if (strchr("()|*+?^$.", c) && c != 0) {
            if (c == '*' || c == '+' ||
                c == '?') /* the repeated character is not part of the run */
                a->nrun = a->last < a->nrun ? a->last : a->nrun;
            end_run(a);
            i++;
            continue;
        }
        size_t m = char_len(p, i, n);
        literal(a, (const char *)p + i, m);
        i += m;
    }
    end_run(a);
    for (const char *d = "a0 /"; *d; d++)
        add_char(a, d, 1);
}

/* Is s[0..n) valid UTF-8 as PCRE2 checks it (no overlong forms, no
 * surrogates, nothing past U+10FFFF)?  An input that is not would end the
 * count with an error, not a step count. */
static bool valid_utf8(const char *s, size_t n)
{
    const uint8_t *p = (const uint8_t *)s;
    for (size_t i = 0; i < n;) {
        uint8_t c = p[i];
        size_t k = c < 0x80                ? 1
                   : c >= 0xc2 && c < 0xe0 ? 2
                   : c >= 0xe0 && c < 0xf0 ? 3
                   : c >= 0xf0 && c < 0xf5 ? 4
                                           : 0;
        if (k == 0 || k > n - i)
            return false;
        for (size_t j = 1; j < k; j++)
            if ((p[i + j] & 0xc0) != 0x80)
                return false;
        if ((c == 0xe0 && p[i + 1] < 0xa0) || (c == 0xed && p[i + 1] >= 0xa0) ||
            (c == 0xf0 && p[i + 1] < 0x90) || (c == 0xf4 && p[i + 1] >= 0x90))
            return false;
        i += k;
    }
    return true;
}

static void push(attacker *a, const char *pre, size_t npre, const char *pump, size_t npump,
                 const char *suf, size_t nsuf, char req)
{
    if (a->nin >= INPUTS_MAX || npump == 0 || npump > LIT_BYTES || npre > CHAR_BYTES ||
        nsuf > CHAR_BYTES || !valid_utf8(pre, npre) || !valid_utf8(pump, npump) ||
        !valid_utf8(suf, nsuf))
        return;
    input *t = &a->in[a->nin];
    *t = (input){0};
    memcpy(t->prefix, pre, npre);
    memcpy(t->pump, pump, npump);
    memcpy(t->suffix, suf, nsuf);
    t->nprefix = (uint8_t)npre;
    t->npump = (uint8_t)npump;
    t->nsuffix = (uint8_t)nsuf;
    if (req && !memchr(pump, req, npump) && !memchr(suf, req, nsuf) && !memchr(pre, req, npre))
        t->suffix[t->nsuffix++] = req;
    uint64_t h = 0xcbf29ce484222325ull;
    const char *part[3] = {t->prefix, t->pump, t->suffix};
    size_t len[3] = {t->nprefix, t->npump, t->nsuffix};
    bool live = !a->has_first && !a->start_bits;
    for (int k = 0; k < 3; k++) {
        h = (h ^ (len[k] + 0x100u)) * 0x100000001b3ull;
        for (size_t i = 0; i < len[k]; i++) {
            uint8_t c = (uint8_t)part[k][i];
            h = (h ^ c) * 0x100000001b3ull;
            if (a->has_first && (c == a->first[0] || c == a->first[1]))
                live = true;
            if (a->start_bits && (a->start_bits[c / 8] >> (c % 8)) & 1)
                live = true;
        }
    }
    t->hash = h;
    t->dead = !live;
    for (size_t i = 0; i < a->nin; i++) { /* the same input twice: once */
        const input *u = &a->in[i];
        if (u->hash == h && u->nprefix == t->nprefix && u->npump == t->npump &&
            u->nsuffix == t->nsuffix && memcmp(u->prefix, t->prefix, t->nprefix) == 0 &&
            memcmp(u->pump, t->pump, t->npump) == 0 &&
            memcmp(u->suffix, t->suffix, t->nsuffix) == 0)
            return;
    }
    a->ord[a->nin] = t;
    a->nin++;
}

static rx_witness as_witness(input *t)
{
    return (rx_witness){.prefix = t->prefix,
                        .pump = t->pump,
                        .suffix = t->suffix,
                        .nprefix = t->nprefix,
                        .npump = t->npump,
                        .nsuffix = t->nsuffix};
}

/* Count t built to len bytes (as rx_witness_build builds it, the pumps
 * copied by doubling); the steps, or -1 when PCRE2 failed. */
static int64_t count(rx_meter *m, input *t, size_t len, uint64_t cap, uint8_t *buf, size_t *built)
{
    if ((size_t)t->nprefix + t->nsuffix > len) {
        rx_witness w = as_witness(t);
        *built = rx_witness_build(&w, len, buf);
    } else {
        size_t k = (len - t->nprefix - t->nsuffix) / t->npump, n = (size_t)t->npump * k;
        memcpy(buf, t->prefix, t->nprefix);
        uint8_t *q = buf + t->nprefix;
        if (n > 0) {
            memcpy(q, t->pump, t->npump);
            for (size_t have = t->npump; have < n;) {
                size_t c = have < n - have ? have : n - have;
                memcpy(q + have, q, c);
                have += c;
            }
        }
        memcpy(q + n, t->suffix, t->nsuffix);
        *built = t->nprefix + n + t->nsuffix;
    }
    return rx_meter_run(m, buf, *built, cap);
}

static char *dup_bytes(const char *s, size_t n)
{
    char *d = cv_malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

static int keep(rx_attack_out *out, const input *t, size_t len, uint64_t steps, size_t slen,
                uint64_t ssteps)
{
    cv_free(out->w.prefix);
    cv_free(out->w.pump);
    cv_free(out->w.suffix);
    out->w.prefix = dup_bytes(t->prefix, t->nprefix);
    out->w.pump = dup_bytes(t->pump, t->npump);
    out->w.suffix = dup_bytes(t->suffix, t->nsuffix);
    out->w.nprefix = t->nprefix;
    out->w.npump = t->npump;
    out->w.nsuffix = t->nsuffix;
    out->length = len;
    out->steps = steps;
    out->short_length = slen;
    out->short_steps = ssteps;
    return out->w.prefix && out->w.pump && out->w.suffix ? 0 : -1;
}

/* Count t built to len bytes, adding to *spent; an input over lo is kept
 * as the witness (out->over).  -1 when PCRE2 failed or out of memory. */
static int probe(rx_meter *m, input *t, size_t len, uint64_t cap, uint64_t lo, uint8_t *buf,
                 uint64_t *spent, rx_attack_out *out, int64_t *st, size_t *built)
{
    if ((*st = count(m, t, len, cap, buf, built)) < 0)
        return -1;
    *spent += (uint64_t)*st;
    if ((uint64_t)*st <= lo)
        return 0;
    if (keep(out, t, *built, (uint64_t)*st, *built, (uint64_t)*st) != 0)
        return -1;
    out->over = true;
    return 0;
}

void rx_attack_free(rx_attack_out *out)
{
    cv_free(out->w.prefix);
    cv_free(out->w.pump);
    cv_free(out->w.suffix);
    *out = (rx_attack_out){0};
}

/* The order of the full counts: the most expensive screen first. */
static void sort_by_screen(input **in, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        input *t = in[i];
        size_t j = i;
        while (j > 0 && in[j - 1]->rate < t->rate) {
            in[j] = in[j - 1];
            j--;
        }
        in[j] = t;
    }
}

/* One attack: the meter, the budgets, the scratch input, and the steps
 * spent so far. */
typedef struct run {
    rx_meter *m;
    attacker *a;
    uint32_t max_length;
    uint64_t cap, lo, spend_max, spent;
    uint8_t *buf;
    rx_attack_out *out;
    char req;     /* PCRE2's required code unit, or 0 */
    char foreign; /* a character the pattern does not name, or 0 */
    uint32_t minlen;
    size_t slen_max, want2; /* the two screens' lengths */
} run;

/* What PCRE2 knows of the pattern's first and required code units. */
static void pattern_units(run *r)
{
    attacker *a = r->a;
    uint32_t fct = 0, fcu = 0;
    pcre2_pattern_info(r->m->re, PCRE2_INFO_FIRSTCODETYPE, &fct);
    if (fct == 1 && pcre2_pattern_info(r->m->re, PCRE2_INFO_FIRSTCODEUNIT, &fcu) == 0 &&
        fcu < 0x100) {
        /* either case: the unit may be matched caselessly */
        a->has_first = true;
        a->first[0] = fcu;
        a->first[1] = fcu >= 'a' && fcu <= 'z'   ? fcu - 32
                      : fcu >= 'A' && fcu <= 'Z' ? fcu + 32
                                                 : fcu;
    } else if (fct == 0) {
        const uint8_t *bits = NULL;
        if (pcre2_pattern_info(r->m->re, PCRE2_INFO_FIRSTBITMAP, &bits) == 0)
            a->start_bits = bits;
    }
    /* PCRE2 rejects an input without the required code unit before the
     * first step */
    uint32_t lct = 0, lcu = 0;
    pcre2_pattern_info(r->m->re, PCRE2_INFO_LASTCODETYPE, &lct);
    pcre2_pattern_info(r->m->re, PCRE2_INFO_LASTCODEUNIT, &lcu);
    if (lct == 1 && lcu > 0 && lcu < 0x80)
        r->req = (char)lcu;
    /* a separator: a character the pattern does not name, so that every
     * occurrence of a pump is a new start */
    for (const char *f = "(#~%;|"; *f && !r->foreign; f++) {
        bool named = false;
        for (size_t i = 0; i < a->na; i++)
            named |= a->alpha[i].n == 1 && a->alpha[i].b[0] == *f;
        if (!named)
            r->foreign = *f;
    }
}

/* The first inputs: each character of the pattern, each after one that
 * is not it, the literal runs, the skeleton cut short. */
static void first_inputs(run *r, const uint8_t *p, size_t n)
{
    attacker *a = r->a;
    char req = r->req, foreign = r->foreign;
    /* the pumps, one failing suffix each */
    for (size_t i = 0; i < a->na; i++)
        push(a, "", 0, a->alpha[i].b, a->alpha[i].n, "!", 1, req);
    /* each character after one that is not it: a match anchored at the
     * start fails there, and every later start position is tried
     * (^\s+|\s+$ on "x" + spaces) */
    for (size_t i = 0; i < a->na; i++) {
        size_t k = i == 0 && a->na > 1 ? 1 : 0;
        if (k != i)
            push(a, a->alpha[k].b, a->alpha[k].n, a->alpha[i].b, a->alpha[i].n, "!", 1, req);
    }
    for (size_t i = 0; i < a->nl; i++)
        push(a, "", 0, a->lit[i], a->litn[i], "!", 1, req);
    /* the skeleton cut short at each of its lengths, alone and followed
     * by the separator; each literal run followed by it: a near-match of
     * the pattern's start that fails just past it, repeated, makes every
     * occurrence try the rest: (?:ab.{0,200}?CD|ab)[- ]*[a-z0-9]+ on
     * "ab(" repeated, a timestamp of digits on digits that fit no split
     * and a non-digit, one with a colon after its time on "11-01-01T20"
     * repeated (the next cut's start is its separator) */
    char sk[LIT_BYTES + 1];
    size_t nsk = skeleton(p, n, sk, LIT_BYTES);
    for (size_t c = nsk; c-- > 1;) {
        push(a, "", 0, sk, c, "!", 1, req);
        if (foreign) {
            sk[c] = foreign; /* the longer cuts, which hold sk[c], are done */
            push(a, "", 0, sk, c + 1, "!", 1, req);
        }
    }
    if (foreign)
        for (size_t i = 0; i < a->nl; i++)
            if (a->litn[i] < LIT_BYTES) {
                char lr[LIT_BYTES];
                memcpy(lr, a->lit[i], a->litn[i]);
                lr[a->litn[i]] = foreign;
                push(a, "", 0, lr, a->litn[i] + 1, "!", 1, req);
            }
}

/* After the first screen: the characters alternating in pairs, among the
 * PAIRED most expensive alone (the first a->na inputs, in the alphabet's
 * order), and each of them after a separator. */
static void pair_inputs(run *r)
{
    attacker *a = r->a;
    size_t top[PAIRED], nt = 0;
    for (size_t i = 0; i < a->na; i++) {
        size_t j = nt < PAIRED ? nt++ : PAIRED;
        while (j > 0 && a->in[top[j - 1]].rate < a->in[i].rate) {
            if (j < PAIRED)
                top[j] = top[j - 1];
            j--;
        }
        if (j < PAIRED)
            top[j] = i;
    }
    for (size_t i = 0; i < nt; i++)
        for (size_t j = 0; j < nt; j++) {
            if (i == j)
                continue;
            const chr *x = &a->alpha[top[i]], *y = &a->alpha[top[j]];
            char pair[2 * CHAR_BYTES];
            memcpy(pair, x->b, x->n);
            memcpy(pair + x->n, y->b, y->n);
            push(a, "", 0, pair, (size_t)x->n + y->n, "!", 1, r->req);
        }
    /* each of them after a separator: a space, and a character the
     * pattern does not name, so that every occurrence is a new start
     * (\b(?:w1|...)\b on "a a a", (?:a?){k}a{k} on "a(a(") */
    for (size_t i = 0; i < nt; i++) {
        const chr *x = &a->alpha[top[i]];
        char pair[CHAR_BYTES + 1];
        memcpy(pair, x->b, x->n);
        pair[x->n] = ' ';
        push(a, "", 0, pair, (size_t)x->n + 1, "!", 1, r->req);
        if (r->foreign) {
            pair[x->n] = r->foreign;
            push(a, "", 0, pair, (size_t)x->n + 1, "!", 1, r->req);
        }
    }
}

/* After the second screen: the most expensive pumps with other ends: no
 * suffix, a newline, a control character, a letter; a few times per
 * line; and after a character that is not the pump's own (a match
 * anchored at the start fails there, and every later start position is
 * tried: ^\s+|\s+$). */
static void varied_inputs(run *r)
{
    attacker *a = r->a;
    char req = r->req;
    sort_by_screen(a->ord, a->nin);
    static const char *const sfx[] = {"", "\n", "\x01", "a", "0"};
    size_t top = a->nin < TOP_VARIED ? a->nin : TOP_VARIED;
    for (size_t i = 0; i < top; i++) {
        input t = *a->ord[i];
        if (t.screen == 0)
            break;
        for (size_t s = 0; s < sizeof sfx / sizeof *sfx; s++)
            push(a, "", 0, t.pump, t.npump, sfx[s], strlen(sfx[s]), req);
        /* the pump a few times, then a line break, repeated: a match
         * that needs more repetitions than one line holds is tried and
         * fails on every line (fourteen \+ joined by .* on "+a" x 13
         * and a newline) */
        char blk[LIT_BYTES];
        for (size_t j = 2; j <= BLOCKS + 1 && j * t.npump < LIT_BYTES; j++) {
            for (size_t k = 0; k < j; k++)
                memcpy(blk + k * t.npump, t.pump, t.npump);
            blk[j * t.npump] = '\n';
            push(a, "", 0, blk, j * t.npump + 1, "!", 1, req);
        }
        for (size_t k = 0; k < a->na && k < 3; k++) {
            if (a->alpha[k].n == t.npump && memcmp(a->alpha[k].b, t.pump, t.npump) == 0)
                continue;
            push(a, a->alpha[k].b, a->alpha[k].n, t.pump, t.npump, "!", 1, req);
            push(a, a->alpha[k].b, a->alpha[k].n, t.pump, t.npump, a->alpha[k].b, a->alpha[k].n,
                 req);
        }
    }
}

/* Every input screened on slen_max bytes, in three rounds (the inputs of
 * round k + 1 built from round k's screens).  -1 when PCRE2 failed. */
static int screen_rounds(run *r)
{
    attacker *a = r->a;
    size_t from = 0;
    for (int round = 0; round < 3; round++) {
        size_t upto = a->nin;
        for (size_t i = from; i < upto; i++) {
            input *t = &a->in[i];
            if (t->dead)
                continue; /* screen 0: PCRE2 never tries it */
            int64_t st;
            size_t built;
            if (probe(r->m, t, r->slen_max, r->cap, r->lo, r->buf, &r->spent, r->out, &st,
                      &built) != 0)
                return -1;
            t->screen = (uint64_t)st;
            t->screen_len = built;
            t->rate = built ? (double)st / (double)built : 0.0;
            t->matched = r->m->rc >= 0;
            if (r->out->over) /* a short input over the budget: a witness already */
                return 0;
        }
        from = upto;
        if (round == 0)
            pair_inputs(r);
        else if (round == 1)
            varied_inputs(r);
    }
    return 0;
}

/* A match stops the count early: a counted repeat that matches a long
 * input can blow up on a shorter one ((?:a?){k}a{k} on k+3 a's).  The
 * most expensive pumps that matched, at every length from the shortest
 * match on, each count up to the budget.  -1 when PCRE2 failed, 1 when
 * the attack is over (an input over the budget, or the allowance spent). */
static int series_past_min(run *r)
{
    attacker *a = r->a;
    for (size_t i = 0, ns = 0; i < a->nin && ns < SERIES_PUMPS; i++) {
        input *t = a->ord[i];
        if (t->dead || !t->matched)
            continue;
        ns++;
        for (size_t len = r->minlen ? r->minlen : 1;
             len <= (size_t)r->minlen + SERIES_LEN && len < r->max_length && len < r->slen_max;
             len++) {
            if (r->spent > r->spend_max) {
                r->out->exhausted = true;
                r->out->uncounted = a->nin;
                return 1;
            }
            int64_t st;
            size_t built;
            if (probe(r->m, t, len, r->cap, r->lo, r->buf, &r->spent, r->out, &st, &built) != 0)
                return -1;
            if (r->out->over)
                return 1;
        }
    }
    return 0;
}

/* The inputs whose first screen, grown linearly with MARGIN, reaches the
 * cap: a second screen on SCREEN2_LEN bytes, where a wider window of the
 * pattern shows; *nsel: those that still may reach it with MARGIN2, the
 * most expensive first.  -1 when PCRE2 failed, 1 when the attack is
 * over. */
static int second_screen(run *r, size_t *nsel)
{
    attacker *a = r->a;
    size_t ns = 0;
    while (ns < a->nin && a->ord[ns]->rate * (double)r->max_length * MARGIN > (double)r->lo)
        ns++;
    *nsel = ns;
    size_t s2 = r->max_length < r->want2 ? r->max_length : r->want2;
    if (s2 <= r->slen_max || s2 >= r->max_length)
        return 0;
    for (size_t i = 0; i < ns; i++) {
        input *t = a->ord[i];
        if (r->spent > r->spend_max) {
            r->out->exhausted = true;
            r->out->uncounted = ns - i;
            return 1;
        }
        int64_t st;
        size_t built;
        if (probe(r->m, t, s2, r->cap, r->lo, r->buf, &r->spent, r->out, &st, &built) != 0)
            return -1;
        if (r->out->over)
            return 1;
        t->rate = built ? (double)st / (double)built : 0.0;
        t->screen = (uint64_t)st;
        t->screen_len = built;
    }
    sort_by_screen(a->ord, ns);
    size_t k = 0;
    while (k < ns && a->ord[k]->rate * (double)r->max_length * MARGIN2 > (double)r->lo)
        k++;
    *nsel = k;
    return 0;
}

/* The selected inputs counted at exactly maxLength, the most expensive
 * first.  -1 when PCRE2 failed or out of memory. */
static int count_selected(run *r, size_t nsel)
{
    attacker *a = r->a;
    rx_attack_out *out = r->out;
    for (size_t i = 0; i < nsel; i++) {
        input *t = a->ord[i];
        if (r->spent > r->spend_max) {
            out->exhausted = true;
            out->uncounted = nsel - i;
            break;
        }
        size_t built;
        int64_t st = count(r->m, t, r->max_length, r->cap, r->buf, &built);
        if (st < 0)
            return -1;
        r->spent += (uint64_t)st;
        out->counted++;
        if ((uint64_t)st > r->lo || (uint64_t)st > out->steps) {
            if (keep(out, t, built, (uint64_t)st, t->screen_len, t->screen) != 0)
                return -1;
            if ((uint64_t)st > r->lo) {
                out->over = true;
                break;
            }
        }
    }
    return 0;
}

/* Screens, the series past the shortest match, the second screen, the
 * counts at maxLength: -1 when PCRE2 failed or out of memory. */
static int attack_all(run *r)
{
    if (screen_rounds(r) != 0)
        return -1;
    if (r->out->over)
        return 0;
    sort_by_screen(r->a->ord, r->a->nin);
    r->out->inputs = r->a->nin;
    int rc = series_past_min(r);
    if (rc != 0)
        return rc < 0 ? -1 : 0;
    size_t nsel = 0;
    rc = second_screen(r, &nsel);
    if (rc != 0)
        return rc < 0 ? -1 : 0;
    return count_selected(r, nsel);
}

int rx_attack(rx_meter *m, const uint8_t *p, size_t n, uint32_t max_length, uint64_t cap,
              uint64_t lo, uint64_t spend_max, uint8_t *buf, rx_attack_out *out)
{
    *out = (rx_attack_out){0};
    if (max_length == 0)
        return 0;
    if (lo > cap)
        lo = cap;
    attacker *a = cv_calloc(1, sizeof *a);
    input *in = cv_calloc(INPUTS_MAX, sizeof *in);
    input **ord = cv_calloc(INPUTS_MAX, sizeof *ord);
    if (!a || !in || !ord) {
        cv_free(a);
        cv_free(in);
        cv_free(ord);
        return -1;
    }
    a->in = in;
    a->ord = ord;
    read_pattern(a, p, n);
    /* (alike in shape only to other designated initializers) */
    run r = {.m = m,
             .a = a,
             .max_length = max_length,
             .cap = cap,
             .lo = lo,
             .spend_max = spend_max,
             .buf = buf,
             .out = out};
    pattern_units(&r);
    first_inputs(&r, p, n);
    /* a screen shorter than the pattern's shortest match costs nothing
     * (PCRE2 rejects it before the first step): both screens are at least
     * a few times that length, still at most maxLength */
    pcre2_pattern_info(m->re, PCRE2_INFO_MINLENGTH, &r.minlen);
    size_t want1 = (size_t)r.minlen * 2 + 8;
    r.want2 = (size_t)r.minlen * 8;
    if (want1 < SCREEN_LEN)
        want1 = SCREEN_LEN;
    if (r.want2 < SCREEN2_LEN)
        r.want2 = SCREEN2_LEN;
    r.slen_max = max_length < want1 ? max_length : want1;
    int rc = attack_all(&r);
    out->spent = r.spent;
    if (rc != 0)
        rx_attack_free(out);
    cv_free(ord);
    cv_free(in);
    cv_free(a);
    return rc;
}
