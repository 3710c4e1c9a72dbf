/* regex_scan.c - find the constructs of CV501 in a pattern PCRE2 accepted.
 *
 * PCRE2's pattern info reveals backreferences and \C but not lookbehind,
 * recursion, conditionals or verbs, so the pattern is scanned lexically:
 * escapes, \Q...\E, character classes, comments and extended mode are
 * followed so that a construct inside a class or a comment is not taken
 * for the real thing. */
#include "regex.h"

#include <stdio.h>
#include <string.h>

enum { MAX_NEST = 256 };

typedef struct scan {
    const uint8_t *p;
    size_t n, i;
    size_t *off;
    char *what;
    size_t what_size;
} scan;

static bool found(scan *s, size_t at, const char *what)
{
    *s->off = at;
    snprintf(s->what, s->what_size, "%s", what);
    return true;
}

static bool at(const scan *s, size_t k, char c)
{
    return s->i + k < s->n && s->p[s->i + k] == (uint8_t)c;
}

static bool is_digit(uint8_t c) { return c >= '0' && c <= '9'; }
static bool is_alpha(uint8_t c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

/* Skip a {...} argument of an escape such as \x{..} or \p{..}. */
static void skip_braces(scan *s)
{
    if (at(s, 0, '{'))
        while (s->i < s->n && s->p[s->i++] != '}')
            ;
}

/* An escape at s->i (the backslash).  Outside a class, backreferences,
 * subroutine calls and \C are reported. */
static bool escape(scan *s, bool in_class)
{
    size_t start = s->i;
    s->i++; /* the backslash */
    if (s->i >= s->n)
        return false;
    uint8_t c = s->p[s->i++];
    switch (c) {
    case 'C':
        return found(s, start, "\\C (a single code unit, which can split a UTF-8 character)");
    case 'g':
        if (in_class)
            return false;
        if (at(s, 0, '<') || at(s, 0, '\''))
            return found(s, start, "a subroutine call (\\g<...>)");
        return found(s, start, "a backreference (\\g)");
    case 'k':
        if (in_class)
            return false;
        return found(s, start, "a named backreference (\\k)");
    case 'x':
    case 'o':
    case 'p':
    case 'P':
    case 'N':
        skip_braces(s);
        return false;
    case 'c':
        if (s->i < s->n)
            s->i++;
        return false;
    case 'Q': /* literal up to \E */
        while (s->i < s->n && !(s->p[s->i] == '\\' && at(s, 1, 'E')))
            s->i++;
        if (s->i < s->n)
            s->i += 2;
        return false;
    default:
        /* \1..\9, and numbers starting with 8 or 9, are always
         * backreferences; \10 and up are octal unless the pattern has that
         * many groups, which PCRE2's BACKREFMAX tells (see regex.c). */
        if (!in_class && c >= '1' && c <= '9' &&
            (c >= '8' || s->i >= s->n || s->p[s->i] < '0' || s->p[s->i] > '9'))
            return found(s, start, "a backreference (\\1...\\9)");
        return false;
    }
}

static bool char_class(scan *s)
{
    s->i++; /* [ */
    if (at(s, 0, '^'))
        s->i++;
    if (at(s, 0, ']')) /* a leading ] is literal */
        s->i++;
    while (s->i < s->n) {
        uint8_t c = s->p[s->i];
        if (c == ']') {
            s->i++;
            return false;
        }
        if (c == '\\') {
            if (escape(s, true))
                return true;
            continue;
        }
        if (c == '[' && (at(s, 1, ':') || at(s, 1, '.') || at(s, 1, '='))) {
            uint8_t kind = s->p[s->i + 1];
            s->i += 2;
            while (s->i < s->n && !(s->p[s->i] == kind && at(s, 1, ']')))
                s->i++;
            if (s->i < s->n)
                s->i += 2;
            continue;
        }
        s->i++;
    }
    return false;
}

/* Option letters after "(?" up to ':' or ')'; updates *x (extended). */
static void options(scan *s, bool *x)
{
    bool on = true;
    size_t xs = 0;
    bool saw_x = false;
    while (s->i < s->n && s->p[s->i] != ')' && s->p[s->i] != ':') {
        uint8_t c = s->p[s->i++];
        if (c == '-') {
            if (saw_x)
                *x = on && xs > 0;
            on = false;
            xs = 0;
            saw_x = false;
        } else if (c == '^') {
            *x = false;
        } else if (c == 'x') {
            saw_x = true;
            xs++;
        }
    }
    if (saw_x)
        *x = on;
}

/* "(*NAME...)" */
static bool verb(scan *s, size_t start)
{
    size_t j = s->i + 2, k = j;
    while (k < s->n && (is_alpha(s->p[k]) || s->p[k] == '_'))
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
    bool item = false;
    for (size_t i = 0; i < sizeof start_items / sizeof *start_items; i++)
        if (strcmp(name, start_items[i]) == 0)
            item = true;
    bool lower = len > 0 && name[0] >= 'a' && name[0] <= 'z';
    if (item)
        snprintf(what, sizeof what, "the pattern-start item (*%s)", name);
    else if (lower)
        snprintf(what, sizeof what, "the alternative-syntax construct (*%s:...)", name);
    else
        snprintf(what, sizeof what, "the backtracking-control verb (*%s)", name);
    return found(s, start, what);
}

bool cv_regex_scan(const uint8_t *p, size_t n, size_t *offset, char *what, size_t what_size)
{
    scan s = {p, n, 0, offset, what, what_size};
    bool xstack[MAX_NEST + 1];
    size_t depth = 0;
    bool x = false;
    while (s.i < n) {
        uint8_t c = p[s.i];
        if (c == '\\') {
            if (escape(&s, false))
                return true;
            continue;
        }
        if (c == '[') {
            if (char_class(&s))
                return true;
            continue;
        }
        if (x && (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v')) {
            s.i++;
            continue;
        }
        if (x && c == '#') {
            while (s.i < n && p[s.i] != '\n')
                s.i++;
            continue;
        }
        if (c == ')') {
            if (depth > 0)
                x = xstack[--depth];
            s.i++;
            continue;
        }
        if (c != '(') {
            s.i++;
            continue;
        }
        size_t start = s.i;
        if (at(&s, 1, '*'))
            return verb(&s, start);
        if (!at(&s, 1, '?')) { /* capturing group */
            if (depth < MAX_NEST)
                xstack[depth++] = x;
            s.i++;
            continue;
        }
        s.i += 2;
        uint8_t d = s.i < n ? p[s.i] : 0;
        uint8_t e = s.i + 1 < n ? p[s.i + 1] : 0;
        if (d == '#') { /* comment */
            while (s.i < n && p[s.i] != ')')
                s.i++;
            s.i++;
            continue;
        }
        if (d == '<' && (e == '=' || e == '!'))
            return found(&s, start, "a lookbehind assertion");
        if (d == '(')
            return found(&s, start, "a conditional group");
        if (d == 'C')
            return found(&s, start, "a callout");
        if (d == 'R' || is_digit(d) || ((d == '+' || d == '-') && is_digit(e)) || d == '&')
            return found(&s, start, "a recursion or subroutine call");
        if (d == 'P' && e == '>')
            return found(&s, start, "a subroutine call ((?P>name))");
        if (d == 'P' && e == '=')
            return found(&s, start, "a named backreference ((?P=name))");
        if (depth < MAX_NEST)
            xstack[depth++] = x;
        if (d != 0 && strchr("imnsxJU-^", d)) {
            bool nx = x;
            options(&s, &nx);
            if (s.i < n && p[s.i] == ')' && depth > 0) /* (?x): rest of group */
                depth--;
            x = nx;
            s.i++;
        }
        /* other groups ((?:, (?|, (?>, (?=, (?!, named) scan on as is */
    }
    return false;
}
