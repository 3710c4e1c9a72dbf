/* redos_attack.c - the generic attacker: a floor under every verdict.
 *
 * The static analysis proposes witnesses for super-linear backtracking; a
 * regex can also be linear and still over the budget at maxLength (a long
 * alternation tried at every start position, many items each costing
 * steps), or super-linear in a way the proposals miss.  The attacker needs
 * no analysis: it builds inputs from the pattern's own alphabet (each
 * character it names, inside classes too, and a member of each class
 * escape), alone and in alternating pairs, its literal runs, each preceded
 * by nothing or by a character that is not the pump's, and followed by a
 * suffix that makes the match fail (with PCRE2's required code unit, which
 * it checks before the first step).
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
#include "redos.h"
#include "alloc.h"

#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

enum {
    ALPHA_MAX = 24,  /* characters of the alphabet */
    CHAR_BYTES = 4,  /* one UTF-8 character */
    LIT_MAX = 8,     /* literal runs */
    LIT_BYTES = 32,  /* bytes of a literal run kept */
    PAIRED = 4,      /* each character alternated with the first PAIRED */
    TOP_VARIED = 4,  /* the most expensive pumps tried with other ends */
    SCREEN_LEN = 64, /* bytes of the screening input (at most maxLength) */
    MARGIN = 8,      /* linear growth to maxLength, times this, reaches the cap: count it */
    INPUTS_MAX = 2 * ALPHA_MAX + LIT_MAX + ALPHA_MAX * PAIRED + TOP_VARIED * 12
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
} input;

typedef struct attacker {
    chr alpha[ALPHA_MAX];
    size_t na;
    char lit[LIT_MAX][LIT_BYTES];
    size_t litn[LIT_MAX], nl;
    char run[LIT_BYTES]; /* the literal run being read */
    size_t nrun;
    input *in;
    size_t nin;
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
}

/* A literal character outside a class: one of the alphabet, and part of
 * the current literal run. */
static void literal(attacker *a, const char *s, size_t n)
{
    add_char(a, s, n);
    if (a->nrun + n <= LIT_BYTES) {
        memcpy(a->run + a->nrun, s, n);
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
    switch (e) {
    case 'd':
        return "0";
    case 'D':
        return "a";
    case 's':
        return " ";
    case 'S':
        return "x";
    case 'w':
        return "a";
    case 'W':
        return "-";
    case 'h':
        return " ";
    case 'H':
        return "x";
    case 'v':
        return "\n";
    case 'V':
        return "x";
    case 'R':
        return "\n";
    case 'N':
        return "x";
    case 'X':
        return "a";
    case 'p':
        return "a";
    case 'P':
        return "0";
    case 'n':
        return "\n";
    case 't':
        return "\t";
    case 'r':
        return "\r";
    case 'f':
        return "\f";
    case 'e':
        return "\x1b";
    case 'a':
        return "\a";
    default:
        return NULL;
    }
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
        if (!in_class)
            end_run(a);
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
                if (a->nrun > 0)
                    a->nrun--;
                end_run(a);
                i = j + 1;
                continue;
            }
        }
        if (strchr("()|*+?^$.", c) && c != 0) {
            if ((c == '*' || c == '+' || c == '?') && a->nrun > 0)
                a->nrun--; /* the repeated character is not part of the run */
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

static void push(attacker *a, const char *pre, size_t npre, const char *pump, size_t npump,
                 const char *suf, size_t nsuf, char req)
{
    if (a->nin >= INPUTS_MAX || npump == 0 || npump > LIT_BYTES || npre > CHAR_BYTES ||
        nsuf > CHAR_BYTES)
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
    for (size_t i = 0; i < a->nin; i++) { /* the same input twice: once */
        const input *u = &a->in[i];
        if (u->nprefix == t->nprefix && u->npump == t->npump && u->nsuffix == t->nsuffix &&
            memcmp(u->prefix, t->prefix, t->nprefix) == 0 &&
            memcmp(u->pump, t->pump, t->npump) == 0 &&
            memcmp(u->suffix, t->suffix, t->nsuffix) == 0)
            return;
    }
    a->nin++;
}

static rx_witness as_witness(const input *t)
{
    return (rx_witness){.prefix = (char *)(uintptr_t)t->prefix,
                        .pump = (char *)(uintptr_t)t->pump,
                        .suffix = (char *)(uintptr_t)t->suffix,
                        .nprefix = t->nprefix,
                        .npump = t->npump,
                        .nsuffix = t->nsuffix};
}

/* Count t built to len bytes; the steps, or -1 when PCRE2 failed. */
static int64_t count(rx_meter *m, const input *t, size_t len, uint64_t cap, uint8_t *buf,
                     size_t *built)
{
    rx_witness w = as_witness(t);
    *built = rx_witness_build(&w, len, buf);
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

void rx_attack_free(rx_attack_out *out)
{
    cv_free(out->w.prefix);
    cv_free(out->w.pump);
    cv_free(out->w.suffix);
    *out = (rx_attack_out){0};
}

/* The order of the full counts: the most expensive screen first. */
static void sort_by_screen(input *in, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        input t = in[i];
        size_t j = i;
        while (j > 0 && in[j - 1].rate < t.rate) {
            in[j] = in[j - 1];
            j--;
        }
        in[j] = t;
    }
}

int rx_attack(rx_meter *m, const uint8_t *p, size_t n, uint32_t max_length, uint64_t cap,
              uint64_t spend_max, uint8_t *buf, rx_attack_out *out)
{
    *out = (rx_attack_out){0};
    if (max_length == 0)
        return 0;
    attacker *a = cv_calloc(1, sizeof *a);
    input *in = cv_calloc(INPUTS_MAX, sizeof *in);
    if (!a || !in) {
        cv_free(a);
        cv_free(in);
        return -1;
    }
    a->in = in;
    read_pattern(a, p, n);
    /* PCRE2 rejects an input without the required code unit before the
     * first step */
    uint32_t lct = 0, lcu = 0;
    pcre2_pattern_info(m->re, PCRE2_INFO_LASTCODETYPE, &lct);
    pcre2_pattern_info(m->re, PCRE2_INFO_LASTCODEUNIT, &lcu);
    char req = lct == 1 && lcu > 0 && lcu < 0x80 ? (char)lcu : 0;

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
    for (size_t i = 0; i < a->na; i++)
        for (size_t j = 0; j < PAIRED && j < a->na; j++) {
            if (i == j)
                continue;
            char pair[2 * CHAR_BYTES];
            memcpy(pair, a->alpha[i].b, a->alpha[i].n);
            memcpy(pair + a->alpha[i].n, a->alpha[j].b, a->alpha[j].n);
            push(a, "", 0, pair, (size_t)a->alpha[i].n + a->alpha[j].n, "!", 1, req);
        }
    size_t slen_max = max_length < SCREEN_LEN ? max_length : SCREEN_LEN;
    int rc = -1;
    uint64_t spent = 0;
    size_t built;
    int64_t st;
    size_t first_round = a->nin;
    for (int round = 0; round < 2; round++) {
        for (size_t i = round ? first_round : 0; i < a->nin; i++) {
            input *t = &a->in[i];
            if ((st = count(m, t, slen_max, cap, buf, &built)) < 0)
                goto done;
            spent += (uint64_t)st;
            t->screen = (uint64_t)st;
            t->screen_len = built;
            t->rate = built ? (double)st / (double)built : 0.0;
            if ((uint64_t)st > cap) { /* a short input over the cap: a witness already */
                if (keep(out, t, built, (uint64_t)st, built, (uint64_t)st) != 0)
                    goto done;
                out->over = true;
                rc = 0;
                goto done;
            }
        }
        if (round)
            break;
        /* the most expensive pumps with other ends: no suffix, a newline,
         * a control character, a letter; and after a character that is not
         * the pump's own (a match anchored at the start fails there, and
         * every later start position is tried: ^\s+|\s+$) */
        sort_by_screen(a->in, a->nin);
        static const char *const sfx[] = {"", "\n", "\x01", "a", "0"};
        size_t top = a->nin < TOP_VARIED ? a->nin : TOP_VARIED;
        for (size_t i = 0; i < top; i++) {
            input t = a->in[i];
            if (t.screen == 0)
                break;
            for (size_t s = 0; s < sizeof sfx / sizeof *sfx; s++)
                push(a, "", 0, t.pump, t.npump, sfx[s], strlen(sfx[s]), req);
            for (size_t k = 0; k < a->na && k < 3; k++) {
                if (a->alpha[k].n == t.npump && memcmp(a->alpha[k].b, t.pump, t.npump) == 0)
                    continue;
                push(a, a->alpha[k].b, a->alpha[k].n, t.pump, t.npump, "!", 1, req);
                push(a, a->alpha[k].b, a->alpha[k].n, t.pump, t.npump, a->alpha[k].b, a->alpha[k].n,
                     req);
            }
        }
    }
    sort_by_screen(a->in, a->nin);
    out->inputs = a->nin;
    /* the full counts: at maxLength, every input whose screen, grown
     * linearly with the margin, reaches the cap */
    for (size_t i = 0; i < a->nin; i++) {
        input *t = &a->in[i];
        if (t->rate * (double)max_length * MARGIN <= (double)cap)
            break; /* sorted: the rest cost less per byte */
        if (spent > spend_max) {
            out->exhausted = true;
            out->uncounted = a->nin - i;
            break;
        }
        if ((st = count(m, t, max_length, cap, buf, &built)) < 0)
            goto done;
        spent += (uint64_t)st;
        out->counted++;
        if ((uint64_t)st > cap || (uint64_t)st > out->steps) {
            if (keep(out, t, built, (uint64_t)st, t->screen_len, t->screen) != 0)
                goto done;
            if ((uint64_t)st > cap) {
                out->over = true;
                break;
            }
        }
    }
    rc = 0;
done:
    out->spent = spent;
    if (rc != 0)
        rx_attack_free(out);
    cv_free(in);
    cv_free(a);
    return rc;
}
