/* attacker.c - an attack on regexes that knows nothing of chanval's
 * analysis or measurement: its own PCRE2 compile and counting callout (the
 * cost model of formats-v1 section 1.2) on inputs built from the pattern's
 * text alone.
 *
 *   attacker LENGTH BUDGET <patterns      worst input of at most LENGTH bytes
 *   attacker -m BUDGET <witnesses         cost of given inputs
 *
 * patterns: one per line, "HEX" or "HEX<TAB>i" (caseless).  For each, one
 * line: "over" or "within", the worst cost found (capped at BUDGET + 1),
 * then the worst input as prefix, pump, suffix (hex) and its length; or
 * "error" when PCRE2 does not compile the pattern in UTF mode.
 *
 * The inputs: a prefix, a pump repeated as often as fits, a suffix.  Pumps
 * are the characters the pattern names (and a few common ones) alone or in
 * pairs, and strings that match pieces of the pattern (its literals with
 * each class, escape and repeat replaced by a member, each alternative on
 * its own); prefixes are those strings and their beginnings; suffixes a few
 * characters that end a match attempt (and the last character of each
 * string, which a required-character check may demand).  Every candidate
 * is counted on two short lengths, the most costly and the fastest growing
 * ones again at LENGTH; single characters also on a grid of lengths, since
 * some patterns are costly only below a length (`(?:a?){k}a{k}`).
 *
 * witnesses (-m): "HEX<TAB>FLAGS<TAB>PREFIX<TAB>PUMP<TAB>SUFFIX<TAB>LENGTH"
 * (hex strings, FLAGS "i" or "-"); prints the cost of prefix + pump as
 * often as fits + suffix in LENGTH bytes, capped at BUDGET + 1. */
#define _POSIX_C_SOURCE 200809L
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

enum {
    MAX_STR = 160, /* longest piece kept */
    MAX_PIECES = 48,
    MAX_ALPHA = 64,
    MAX_PAIR = 10, /* pairs among the first characters */
    MAX_PUMPS = MAX_ALPHA + MAX_PAIR * MAX_PAIR + 4 * MAX_PAIR + 10 * MAX_PIECES,
    MAX_CAND = 40000,
    SCREEN_CAP = 40000000, /* steps spent on the short lengths, per pattern */
    TOP = 10               /* candidates re-measured at LENGTH, by cost and by growth */
};

typedef struct str {
    uint8_t p[MAX_STR];
    size_t n;
} str;

typedef struct cand {
    const str *pre, *pump, *suf;
    uint64_t c1, c2; /* cost at the two short lengths */
} cand;

typedef struct counter {
    uint64_t n, cap;
} counter;

static int count(pcre2_callout_block *b, void *data)
{
    (void)b;
    counter *c = data;
    return ++c->n > c->cap ? PCRE2_ERROR_CALLOUT : 0;
}

typedef struct meter {
    pcre2_code *re;
    pcre2_match_context *mc;
    pcre2_match_data *md;
    counter c;
    uint8_t *buf;
} meter;

static size_t build(uint8_t *out, size_t len, const str *pre, const str *pump, const str *suf)
{
    if (pre->n + suf->n > len)
        return 0;
    size_t k = pump->n ? (len - pre->n - suf->n) / pump->n : 0, at = pre->n;
    memcpy(out, pre->p, pre->n);
    for (size_t i = 0; i < k; i++, at += pump->n)
        memcpy(out + at, pump->p, pump->n);
    memcpy(out + at, suf->p, suf->n);
    return at + suf->n;
}

static uint64_t run(meter *m, const str *pre, const str *pump, const str *suf, size_t len,
                    uint64_t cap)
{
    size_t n = build(m->buf, len, pre, pump, suf);
    if (n == 0 && len > 0)
        return 0;
    m->c.n = 0;
    m->c.cap = cap;
    pcre2_match(m->re, m->buf, n, 0, 0, m->md, m->mc);
    return m->c.n;
}

static void put(str *s, uint8_t c)
{
    if (s->n < MAX_STR)
        s->p[s->n++] = c;
}

/* the character an escape stands for (one member of its class); 0: none */
static int escape_char(const uint8_t *p, size_t n, size_t *i)
{
    size_t j = *i + 1; /* after the backslash */
    if (j >= n)
        return 0;
    uint8_t c = p[j];
    *i = j;
    switch (c) {
    case 'd':
        return '1';
    case 'D':
    case 'S':
    case 'w':
    case 'p':
    case 'P':
    case 'X':
    case 'N':
    case 'R':
        if ((c == 'p' || c == 'P') && j + 1 < n && p[j + 1] == '{') {
            while (*i < n && p[*i] != '}')
                (*i)++;
        }
        return c == 'R' ? '\n' : 'a';
    case 's':
    case 'h':
        return ' ';
    case 'v':
    case 'n':
        return '\n';
    case 'W':
    case 'H':
    case 'V':
        return '!';
    case 't':
        return '\t';
    case 'r':
        return '\r';
    case 'f':
        return '\f';
    case 'e':
        return 0x1b;
    case 'x': {
        unsigned v = 0;
        if (j + 1 < n && p[j + 1] == '{') {
            size_t k = j + 2;
            while (k < n && p[k] != '}')
                k++;
            char tmp[16] = {0};
            if (k - j - 2 < sizeof tmp)
                memcpy(tmp, p + j + 2, k - j - 2);
            v = (unsigned)strtoul(tmp, NULL, 16);
            *i = k;
        } else {
            char tmp[3] = {0};
            for (int k = 0;
                 k < 2 && j + 1 < n && p[j + 1] && strchr("0123456789abcdefABCDEF", p[j + 1]); k++)
                tmp[k] = (char)p[++j];
            *i = j;
            v = (unsigned)strtoul(tmp, NULL, 16);
        }
        return v > 0 && v < 0x80 ? (int)v : 'a';
    }
    case 'b':
    case 'B':
    case 'A':
    case 'z':
    case 'Z':
    case 'G':
    case 'K':
    case 'E':
    case 'Q':
        return 0;
    default:
        if (c >= '0' && c <= '9')
            return 0; /* a backreference */
        return c < 0x80 ? c : 'a';
    }
}

/* A member of the class at p[*i] == '['; *i ends on its ']'. */
static int class_char(const uint8_t *p, size_t n, size_t *i)
{
    size_t j = *i + 1, start;
    bool neg = j < n && p[j] == '^';
    if (neg)
        j++;
    start = j;
    int first = 0;
    for (; j < n; j++) {
        if (p[j] == ']' && j > start)
            break;
        if (p[j] == '[' && j + 1 < n && p[j + 1] == ':') {
            size_t k = j + 2;
            while (k + 1 < n && !(p[k] == ':' && p[k + 1] == ']'))
                k++;
            if (!first)
                first = memcmp(p + j + 2, "digit", 5) == 0   ? '1'
                        : memcmp(p + j + 2, "space", 5) == 0 ? ' '
                                                             : 'a';
            j = k + 1;
            continue;
        }
        if (p[j] == '\\') {
            int c = escape_char(p, n, &j);
            if (!first)
                first = c;
            continue;
        }
        if (!first && p[j] < 0x80)
            first = p[j];
    }
    if (neg) {
        /* a common character the class text does not name */
        static const char try[] = "a0 x!Z~_";
        for (const char *t = try; *t; t++)
            if (!memchr(p + start, *t, j - start))
                first = *t;
        if (!first)
            first = '#';
    }
    *i = j;
    return first ? first : 'a';
}

typedef struct pieces {
    str s[MAX_PIECES];
    size_t n;
} pieces;

static void keep(pieces *w, const str *s)
{
    if (s->n == 0 || w->n >= MAX_PIECES)
        return;
    for (size_t i = 0; i < w->n; i++)
        if (w->s[i].n == s->n && memcmp(w->s[i].p, s->p, s->n) == 0)
            return;
    w->s[w->n++] = *s;
}

/* Strings that match pieces of the pattern, read from its text. */
static void sample(const uint8_t *p, size_t n, pieces *w)
{
    enum { DEPTH = 64 };
    size_t gstart[DEPTH] = {0}, depth = 0, atom = 0;
    str cur = {{0}, 0};
    for (size_t i = 0; i < n; i++) {
        uint8_t c = p[i];
        size_t before = cur.n;
        switch (c) {
        case '\\': {
            if (i + 1 < n && p[i + 1] == 'Q') { /* \Q...\E */
                i += 2;
                for (; i < n && !(p[i] == '\\' && i + 1 < n && p[i + 1] == 'E'); i++)
                    put(&cur, p[i]);
                i++;
                break;
            }
            int e = escape_char(p, n, &i);
            if (e)
                put(&cur, (uint8_t)e);
            break;
        }
        case '[':
            put(&cur, (uint8_t)class_char(p, n, &i));
            break;
        case '.':
            put(&cur, 'a');
            break;
        case '^':
        case '$':
            break;
        case '(':
            if (depth < DEPTH)
                gstart[depth] = cur.n;
            depth++;
            if (i + 1 < n && p[i + 1] == '?') {
                i++;
                if (i + 1 < n && p[i + 1] == '#') { /* comment */
                    while (i < n && p[i] != ')')
                        i++;
                    depth--;
                    break;
                }
                /* skip the group's syntax: a name, a lookaround, options */
                size_t j = i + 1;
                if (j < n && p[j] == 'P')
                    j++;
                if (j + 1 < n && (p[j] == '<' || p[j] == '\'') && p[j + 1] != '=' &&
                    p[j + 1] != '!') {
                    uint8_t close = p[j] == '<' ? '>' : '\'';
                    for (j++; j < n && p[j] != close; j++) {
                    }
                    i = j < n ? j : n - 1;
                    break;
                }
                while (j < n && strchr("=!<>|", p[j]) && p[j])
                    j++;
                while (j < n && p[j] && strchr("imnsxJU-^", p[j]))
                    j++;
                if (j < n && p[j] == ')') { /* (?i) alone */
                    depth--;
                    i = j;
                    break;
                }
                i = j < n && p[j] == ':' ? j : j - 1;
            }
            break;
        case ')':
            if (depth) {
                depth--;
                atom = depth < DEPTH ? gstart[depth] : cur.n;
                continue; /* the group is the atom a repeat applies to */
            }
            break;
        case '|':
            keep(w, &cur);
            cur.n = depth && depth <= DEPTH ? gstart[depth - 1] : 0;
            continue;
        case '*':
        case '+':
        case '?':
        case '{': {
            size_t lo = 1;
            if (c == '{') {
                size_t j = i + 1;
                if (j >= n || p[j] < '0' || p[j] > '9') {
                    put(&cur, c);
                    break;
                }
                lo = 0;
                while (j < n && p[j] >= '0' && p[j] <= '9')
                    lo = lo * 10 + (size_t)(p[j++] - '0');
                while (j < n && p[j] != '}')
                    j++;
                i = j;
                if (lo == 0)
                    lo = 1;
            }
            if (i + 1 < n && (p[i + 1] == '?' || p[i + 1] == '+'))
                i++;
            /* one copy of the atom stays; a minimum of lo repeats it */
            size_t an = cur.n > atom ? cur.n - atom : 0;
            for (size_t k = 1; k < lo && k < 16 && an; k++)
                for (size_t x = 0; x < an; x++)
                    put(&cur, cur.p[atom + x]);
            continue;
        }
        default:
            put(&cur, c);
        }
        atom = before;
    }
    keep(w, &cur);
}

static bool has(const uint8_t *a, size_t n, uint8_t c) { return memchr(a, c, n) != NULL; }

static int by_c2(const void *a, const void *b)
{
    const cand *x = a, *y = b;
    return x->c2 < y->c2 ? 1 : x->c2 > y->c2 ? -1 : 0;
}

static int by_growth(const void *a, const void *b)
{
    const cand *x = a, *y = b;
    double gx = (double)x->c2 / (double)(x->c1 + 1), gy = (double)y->c2 / (double)(y->c1 + 1);
    return gx < gy ? 1 : gx > gy ? -1 : 0;
}

typedef struct result {
    uint64_t cost;
    const str *pre, *pump, *suf;
    size_t len;
} result;

static void consider(result *r, uint64_t cost, const cand *c, size_t len)
{
    if (cost > r->cost) {
        r->cost = cost;
        r->pre = c->pre;
        r->pump = c->pump;
        r->suf = c->suf;
        r->len = len;
    }
}

static void hex(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        printf("%02x", p[i]);
    if (n == 0)
        printf("-");
}

static str pumps[MAX_PUMPS];
static str prefixes[16 + 2 * MAX_PIECES], suffixes[16 + 3 * MAX_PIECES];
static cand cands[MAX_CAND];

static result attack(meter *m, const uint8_t *p, size_t n, size_t length, uint64_t budget)
{
    pieces w = {.n = 0};
    sample(p, n, &w);
    uint8_t alpha[MAX_ALPHA];
    size_t na = 0;
    /* the characters of the pieces first (the pattern's own), then defaults */
    for (size_t k = 0; k < w.n; k++)
        for (size_t i = 0; i < w.s[k].n && na < MAX_ALPHA; i++)
            if (w.s[k].p[i] < 0x80 && !has(alpha, na, w.s[k].p[i]))
                alpha[na++] = w.s[k].p[i];
    for (size_t i = 0; i < n && na < MAX_ALPHA; i++)
        if (p[i] >= 0x20 && p[i] < 0x7f && !has(alpha, na, p[i]))
            alpha[na++] = p[i];
    for (const char *d = "a0 _-.A\t/\\:=,\n"; *d && na < MAX_ALPHA; d++)
        if (!has(alpha, na, (uint8_t)*d))
            alpha[na++] = (uint8_t)*d;

    size_t nu = 0, np = 0, ns = 0;
    for (size_t i = 0; i < na; i++)
        pumps[nu++] = (str){{alpha[i]}, 1};
    for (size_t i = 0; i < na && i < MAX_PAIR; i++)
        for (size_t j = 0; j < na && j < MAX_PAIR; j++)
            if (i != j)
                pumps[nu++] = (str){{alpha[i], alpha[j]}, 2};
    /* a character or piece then a separator: words one after another */
    static const char sep[] = " !,\n";
    for (size_t i = 0; i < na && i < MAX_PAIR; i++)
        for (const char *d = sep; *d; d++)
            if (alpha[i] != (uint8_t)*d)
                pumps[nu++] = (str){{alpha[i], (uint8_t)*d}, 2};
    prefixes[np++] = (str){{0}, 0};
    for (size_t k = 0; k < w.n; k++) {
        if (w.s[k].n > 1)
            pumps[nu++] = w.s[k];
        /* the piece, or all of it but its last character, then a separator */
        for (size_t cut = 0; cut < 2 && cut < w.s[k].n; cut++)
            for (const char *d = sep; *d && w.s[k].n < MAX_STR && nu < MAX_PUMPS; d++) {
                pumps[nu] = w.s[k];
                pumps[nu].n -= cut;
                pumps[nu].p[pumps[nu].n++] = (uint8_t)*d;
                nu++;
            }
        prefixes[np++] = w.s[k];
        if (w.s[k].n > 1) {
            prefixes[np] = w.s[k];
            prefixes[np++].n--;
            pumps[nu] = w.s[k];
            pumps[nu++].n--;
        }
    }
    static const char *const sfx[] = {"", "!", "\n", "\x01", "a", "0", " "};
    for (size_t i = 0; i < sizeof sfx / sizeof *sfx; i++, ns++) {
        suffixes[ns].n = strlen(sfx[i]);
        memcpy(suffixes[ns].p, sfx[i], suffixes[ns].n);
    }
    /* the pattern's punctuation as a suffix and a prefix: a character a
     * negated class excludes ends the repeat of that class */
    uint8_t punct[6];
    size_t npunct = 0;
    for (size_t i = 0; i < n && npunct < sizeof punct; i++)
        if (p[i] < 0x80 && p[i] && strchr(",;:|/=&\"'<>", p[i]) && !has(punct, npunct, p[i]))
            punct[npunct++] = p[i];
    for (size_t i = 0; i < npunct; i++)
        suffixes[ns++] = (str){{punct[i]}, 1};
    size_t nfixed = ns; /* the suffixes every single-character prefix gets */
    for (size_t k = 0; k < w.n; k++) {
        uint8_t last = w.s[k].p[w.s[k].n - 1];
        bool dup = false;
        for (size_t i = 0; i < ns; i++)
            dup = dup || (suffixes[i].n == 1 && suffixes[i].p[0] == last);
        if (!dup && last < 0x80) {
            suffixes[ns++] = (str){{last}, 1};
            suffixes[ns++] = (str){{'!', last}, 2};
            suffixes[ns++] = (str){{'\n', last}, 2};
        }
    }
    /* a character before the pump, so that an anchored alternative fails */
    size_t first_one = np;
    for (const char *d = "!a0 \x01"; *d; d++)
        prefixes[np++] = (str){{(uint8_t)*d}, 1};
    for (size_t i = 0; i < npunct; i++)
        prefixes[np++] = (str){{punct[i]}, 1};

    size_t s2 = length < 512 ? length : 512, s1 = s2 / 2;
    result r = {0, NULL, NULL, NULL, 0};
    size_t nc = 0;
    /* in order of priority, until the screen's step cap: every pump with
     * the empty prefix; one character before the pump (so that an anchored
     * alternative fails); the pieces and their beginnings before it */
    uint64_t spent = 0;
    for (int stage = 0; stage < 3; stage++)
        for (size_t a = 0; a < np; a++) {
            bool one = a >= first_one;
            if ((stage == 0) != (a == 0) || (stage == 1) != one)
                continue;
            for (size_t u = 0; u < nu; u++) {
                if (stage > 0 && pumps[u].n == 2)
                    continue;
                for (size_t s = 0; s < ns && nc < MAX_CAND; s++) {
                    if (stage == 1 && s >= nfixed)
                        break;
                    cand *c = &cands[nc++];
                    *c = (cand){&prefixes[a], &pumps[u], &suffixes[s], 0, 0};
                    c->c2 = run(m, c->pre, c->pump, c->suf, s2, budget);
                    consider(&r, c->c2, c, s2);
                    if (r.cost > budget)
                        return r;
                    c->c1 = run(m, c->pre, c->pump, c->suf, s1, budget);
                    spent += c->c1 + c->c2;
                    if (spent > SCREEN_CAP)
                        goto screened;
                }
            }
        }
screened:
    /* single characters on a grid of lengths */
    for (size_t u = 0; u < na; u++)
        for (size_t s = 0; s < 2; s++)
            for (double L = 4; L < (double)s2; L *= 1.4142) {
                cand c = {&prefixes[0], &pumps[u], &suffixes[s], 0, 0};
                uint64_t st = run(m, c.pre, c.pump, c.suf, (size_t)L, budget);
                consider(&r, st, &c, (size_t)L);
                if (r.cost > budget)
                    return r;
            }
    if (s2 == length)
        return r;
    /* the most costly and the fastest growing at LENGTH */
    for (int pass = 0; pass < 2; pass++) {
        qsort(cands, nc, sizeof *cands, pass ? by_growth : by_c2);
        for (size_t i = 0; i < nc && i < TOP; i++) {
            uint64_t st = run(m, cands[i].pre, cands[i].pump, cands[i].suf, length, budget);
            consider(&r, st, &cands[i], length);
            if (r.cost > budget)
                return r;
        }
    }
    return r;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* Decode the hex field at *s (up to a tab or the end) into out. */
static size_t unhex(char **s, uint8_t *out, size_t cap, bool *ok)
{
    char *t = *s;
    size_t n = 0;
    if (*t == '-') {
        t++;
    } else {
        while (*t && *t != '\t' && *t != '\n') {
            int hi = hexval(t[0]), lo = t[1] ? hexval(t[1]) : -1;
            if (hi < 0 || lo < 0 || n >= cap) {
                *ok = false;
                return 0;
            }
            out[n++] = (uint8_t)(hi * 16 + lo);
            t += 2;
        }
    }
    if (*t == '\t')
        t++;
    *s = t;
    return n;
}

static bool open_meter(meter *m, const uint8_t *p, size_t n, bool caseless)
{
    int err;
    PCRE2_SIZE off;
    m->re = pcre2_compile(p, n, PCRE2_UTF | PCRE2_AUTO_CALLOUT | (caseless ? PCRE2_CASELESS : 0),
                          &err, &off, NULL);
    if (!m->re)
        return false;
    pcre2_set_callout(m->mc, count, &m->c);
    return true;
}

int main(int argc, char **argv)
{
    bool witness = argc == 3 && strcmp(argv[1], "-m") == 0;
    if (argc != 3) {
        fprintf(stderr, "usage: attacker LENGTH BUDGET <patterns\n"
                        "       attacker -m BUDGET <witnesses\n");
        return 2;
    }
    size_t length = witness ? 0 : strtoul(argv[1], NULL, 10);
    uint64_t budget = strtoull(argv[2], NULL, 10);
    size_t bufcap = witness ? (1u << 20) : length + 1;
    meter m = {0};
    m.mc = pcre2_match_context_create(NULL);
    m.md = pcre2_match_data_create(1, NULL);
    m.buf = malloc(bufcap);
    char *line = NULL;
    size_t lcap = 0;
    uint8_t *pat = NULL;
    if (!m.mc || !m.md || !m.buf || (!witness && length < 2))
        return 2;
    pcre2_set_match_limit(m.mc, 4000000000u);
    pcre2_set_depth_limit(m.mc, 4000000000u);
    pcre2_set_heap_limit(m.mc, 4000000u);
    while (getline(&line, &lcap, stdin) > 0) {
        char *s = line;
        bool ok = true;
        free(pat);
        pat = malloc(strlen(line) / 2 + 1);
        if (!pat)
            return 2;
        size_t n = unhex(&s, pat, strlen(line) / 2 + 1, &ok);
        bool caseless = *s == 'i';
        while (*s && *s != '\t' && *s != '\n')
            s++;
        if (*s == '\t')
            s++;
        if (!ok || !open_meter(&m, pat, n, caseless)) {
            printf("error\n");
            fflush(stdout);
            continue;
        }
        if (witness) {
            /* prefix, pump and suffix as long as the line allows, into
             * one buffer: pre at 0, pump after it, suffix after that */
            size_t cap = strlen(s) / 2 + 1;
            uint8_t *w = malloc(3 * cap);
            if (!w)
                return 2;
            size_t np = unhex(&s, w, cap, &ok), nw = unhex(&s, w + cap, cap, &ok),
                   ns = unhex(&s, w + 2 * cap, cap, &ok);
            size_t len = strtoul(s, NULL, 10);
            if (!ok || len >= bufcap || np + ns > len || nw == 0) {
                printf("error\n");
            } else {
                size_t k = (len - np - ns) / nw, at = np;
                memcpy(m.buf, w, np);
                for (size_t i = 0; i < k; i++, at += nw)
                    memcpy(m.buf + at, w + cap, nw);
                memcpy(m.buf + at, w + 2 * cap, ns);
                m.c.n = 0;
                m.c.cap = budget;
                pcre2_match(m.re, m.buf, at + ns, 0, 0, m.md, m.mc);
                printf("%llu\n", (unsigned long long)m.c.n);
            }
            free(w);
        } else {
            result r = attack(&m, pat, n, length, budget);
            printf("%s\t%llu\t", r.cost > budget ? "over" : "within", (unsigned long long)r.cost);
            if (r.pump) {
                hex(r.pre->p, r.pre->n);
                printf("\t");
                hex(r.pump->p, r.pump->n);
                printf("\t");
                hex(r.suf->p, r.suf->n);
                printf("\t%zu\n", r.len);
            } else {
                printf("-\t-\t-\t0\n");
            }
        }
        fflush(stdout);
        pcre2_code_free(m.re);
    }
    free(line);
    free(pat);
    free(m.buf);
    pcre2_match_data_free(m.md);
    pcre2_match_context_free(m.mc);
    return 0;
}
