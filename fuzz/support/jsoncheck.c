/* jsoncheck.c - a strict RFC 8259 validator: one value, nothing after it
 * but white space, strings of well-formed UTF-8 without raw control
 * characters, escapes and numbers exactly as the grammar says, surrogate
 * escapes paired.  Small enough to trust by reading. */
#include "jsoncheck.h"

#include <stdio.h>
#include <string.h>

typedef struct jp {
    const uint8_t *p;
    size_t n, i;
    int depth;
    char *why;
    size_t why_size;
    bool failed;
} jp;

static bool fail(jp *j, const char *what)
{
    if (!j->failed)
        snprintf(j->why, j->why_size, "%s at byte %zu", what, j->i);
    j->failed = true;
    return false;
}

static void ws(jp *j)
{
    while (j->i < j->n &&
           (j->p[j->i] == ' ' || j->p[j->i] == '\t' || j->p[j->i] == '\n' || j->p[j->i] == '\r'))
        j->i++;
}

static bool lit(jp *j, const char *s)
{
    size_t k = strlen(s);
    if (j->n - j->i < k || memcmp(j->p + j->i, s, k) != 0)
        return fail(j, "bad literal");
    j->i += k;
    return true;
}

static int hexval(uint8_t c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static bool hex4(jp *j, unsigned *v)
{
    if (j->n - j->i < 4)
        return fail(j, "short \\u escape");
    *v = 0;
    for (int k = 0; k < 4; k++) {
        int h = hexval(j->p[j->i + (size_t)k]);
        if (h < 0)
            return fail(j, "bad \\u escape");
        *v = *v << 4 | (unsigned)h;
    }
    j->i += 4;
    return true;
}

/* One UTF-8 sequence at j->i (RFC 3629). */
static bool utf8(jp *j)
{
    const uint8_t *p = j->p + j->i;
    size_t left = j->n - j->i;
    uint8_t c = p[0];
    size_t len;
    uint32_t cp;
    if (c < 0x80) {
        j->i++;
        return true;
    } else if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        cp = c & 0x1Fu;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        cp = c & 0x0Fu;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        cp = c & 0x07u;
    } else {
        return fail(j, "invalid UTF-8 lead byte");
    }
    if (left < len)
        return fail(j, "truncated UTF-8");
    for (size_t k = 1; k < len; k++) {
        if ((p[k] & 0xC0) != 0x80)
            return fail(j, "invalid UTF-8 continuation");
        cp = cp << 6 | (p[k] & 0x3Fu);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return fail(j, "overlong, surrogate or out-of-range UTF-8");
    j->i += len;
    return true;
}

static bool string(jp *j)
{
    j->i++; /* " */
    while (j->i < j->n) {
        uint8_t c = j->p[j->i];
        if (c == '"') {
            j->i++;
            return true;
        }
        if (c < 0x20)
            return fail(j, "raw control character in a string");
        if (c != '\\') {
            if (!utf8(j))
                return false;
            continue;
        }
        j->i++;
        if (j->i >= j->n)
            return fail(j, "truncated escape");
        c = j->p[j->i++];
        if (strchr("\"\\/bfnrt", c) && c)
            continue;
        if (c != 'u')
            return fail(j, "bad escape");
        unsigned v = 0;
        if (!hex4(j, &v))
            return false;
        if (v >= 0xDC00 && v <= 0xDFFF)
            return fail(j, "lone low surrogate escape");
        if (v >= 0xD800 && v <= 0xDBFF) {
            unsigned lo = 0;
            if (j->n - j->i < 2 || j->p[j->i] != '\\' || j->p[j->i + 1] != 'u')
                return fail(j, "lone high surrogate escape");
            j->i += 2;
            if (!hex4(j, &lo))
                return false;
            if (lo < 0xDC00 || lo > 0xDFFF)
                return fail(j, "bad surrogate pair");
        }
    }
    return fail(j, "unterminated string");
}

static bool digits(jp *j)
{
    size_t s = j->i;
    while (j->i < j->n && j->p[j->i] >= '0' && j->p[j->i] <= '9')
        j->i++;
    return j->i > s || fail(j, "digit expected");
}

static bool number(jp *j)
{
    if (j->p[j->i] == '-')
        j->i++;
    if (j->i < j->n && j->p[j->i] == '0')
        j->i++;
    else if (!digits(j))
        return false;
    if (j->i < j->n && j->p[j->i] == '.') {
        j->i++;
        if (!digits(j))
            return false;
    }
    if (j->i < j->n && (j->p[j->i] == 'e' || j->p[j->i] == 'E')) {
        j->i++;
        if (j->i < j->n && (j->p[j->i] == '+' || j->p[j->i] == '-'))
            j->i++;
        if (!digits(j))
            return false;
    }
    return true;
}

static bool value(jp *j);

static bool container(jp *j, uint8_t close, bool object)
{
    if (++j->depth > 512)
        return fail(j, "nesting too deep");
    j->i++;
    ws(j);
    if (j->i < j->n && j->p[j->i] == close) {
        j->i++;
        j->depth--;
        return true;
    }
    for (;;) {
        ws(j);
        if (object) {
            if (j->i >= j->n || j->p[j->i] != '"')
                return fail(j, "member name expected");
            if (!string(j))
                return false;
            ws(j);
            if (j->i >= j->n || j->p[j->i] != ':')
                return fail(j, "':' expected");
            j->i++;
        }
        if (!value(j))
            return false;
        ws(j);
        if (j->i < j->n && j->p[j->i] == ',') {
            j->i++;
            continue;
        }
        if (j->i < j->n && j->p[j->i] == close) {
            j->i++;
            j->depth--;
            return true;
        }
        return fail(j, "',' or closing bracket expected");
    }
}

static bool value(jp *j)
{
    ws(j);
    if (j->i >= j->n)
        return fail(j, "value expected");
    switch (j->p[j->i]) {
    case '{':
        return container(j, '}', true);
    case '[':
        return container(j, ']', false);
    case '"':
        return string(j);
    case 't':
        return lit(j, "true");
    case 'f':
        return lit(j, "false");
    case 'n':
        return lit(j, "null");
    default:
        if (j->p[j->i] == '-' || (j->p[j->i] >= '0' && j->p[j->i] <= '9'))
            return number(j);
        return fail(j, "unexpected character");
    }
}

bool cvf_json_valid(const char *text, size_t len, char *why, size_t why_size)
{
    jp j = {(const uint8_t *)text, len, 0, 0, why, why_size, false};
    if (!value(&j))
        return false;
    ws(&j);
    if (j.i != j.n)
        return fail(&j, "trailing data");
    return true;
}

bool cvf_json_object(const char *text, size_t len)
{
    size_t i = 0;
    while (i < len && (text[i] == ' ' || text[i] == '\n' || text[i] == '\t' || text[i] == '\r'))
        i++;
    return i < len && text[i] == '{';
}
