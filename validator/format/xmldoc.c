/* xmldoc.c - libxml2 SAX2, hardened, feeding schema-checked elements. */
#define _GNU_SOURCE /* memmem */
#include "format/xmldoc.h"
#include "diag/rules.h"
#include "base/alloc.h"

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <limits.h>
#include <string.h>
#include <strings.h>

enum { MAX_TRACKED_DEPTH = 256 };

typedef struct sax_state {
    cv_ctx *cx;
    xmlParserCtxtPtr ctxt;
    const uint8_t *data;
    size_t len;
    const cv_xml_doc *const *docs;
    size_t ndocs;
    const char *role;
    const cv_xml_doc *doc; /* chosen by the root */
    int doc_index;
    unsigned depth;                          /* of the element being parsed; root is 1 */
    unsigned skip_from;                      /* > 0: inside an unknown element at that depth */
    size_t pending;                          /* first suppression waiting for its element */
    size_t closes[MAX_TRACKED_DEPTH + 1][2]; /* suppressions ending with that element */
    int stack[MAX_TRACKED_DEPTH + 1];        /* element spec per depth */
    size_t mark;                             /* end of the last markup, for locating text */
    bool text_reported;                      /* one stray-text finding per element */
    bool stopped;                            /* we stopped the parser: ignore later errors */
    bool fatal;                              /* a finding that makes the rest meaningless */
    bool libxml_error;
    size_t cut;  /* libxml2 reads data[0, cut): see find_cut */
    bool at_cut; /* libxml2 read to the cut */
} sax_state;

static bool is_ws(uint8_t c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

static size_t cur_off(sax_state *st)
{
    long off = xmlByteConsumed(st->ctxt);
    if (off < 0)
        return 0;
    return (size_t)off > st->len ? st->len : (size_t)off;
}

/* The '<' that opens the markup containing `off`: attribute values cannot
 * hold a raw '<', so scanning back is exact. */
static size_t open_bracket(sax_state *st, size_t off)
{
    if (st->len == 0)
        return 0;
    size_t i = off < st->len ? off : st->len - 1;
    while (i > 0 && st->data[i] != '<')
        i--;
    return i;
}

/* The "<?" or "<!" (kind '?' or '!') that opens the markup ending at or
 * before `off`: their contents may hold a '<', their openers not. */
static size_t markup_start(sax_state *st, size_t off, char kind)
{
    if (st->len < 2)
        return 0;
    size_t i = off < st->len - 1 ? off : st->len - 2;
    while (i > 0 && !(st->data[i] == '<' && st->data[i + 1] == (uint8_t)kind))
        i--;
    return i;
}

static void stop(sax_state *st)
{
    st->stopped = true;
    st->fatal = true;
    xmlStopParser(st->ctxt);
}

/* ---- before libxml2 --------------------------------------------------- */

/* What libxml2 must not read, found in one linear pass before it starts:
 * the first NUL byte (libxml2 takes one for the end of its input, so all
 * that follows, after the root element too, would go unread) and the first
 * start tag with more attributes than --max-xml-attributes (libxml2 2.9
 * compares an element's attributes and namespace declarations pairwise:
 * time quadratic in their number). */
typedef struct xml_cut {
    size_t stop;     /* libxml2 reads data[0, stop); len when nothing is cut */
    size_t off;      /* the finding: the NUL, or the '<' of the start tag */
    uint64_t nattrs; /* > 0: that start tag and its attribute count */
} xml_cut;

/* Offset of `seq` in d[from, end), or SIZE_MAX. */
static size_t find_seq(const uint8_t *d, size_t end, size_t from, const char *seq)
{
    size_t n = strlen(seq);
    if (from > end || end - from < n)
        return SIZE_MAX;
    const uint8_t *p = memmem(d + from, end - from, seq, n);
    return p ? (size_t)(p - d) : SIZE_MAX;
}

/* The start tag at d[*i]: its quoted values after a '=', one per attribute
 * (a value may hold '>', never its own quote); *i is left after its '>', at
 * a stray '<' (not well-formed: libxml2 stops there), or at `end` when it
 * runs on. */
static uint64_t count_attrs(const uint8_t *d, size_t end, size_t *i)
{
    uint64_t n = 0;
    size_t j = *i + 1;
    uint8_t last = 0; /* the last byte outside values that is not white space */
    while (j < end && d[j] != '>' && d[j] != '<') {
        if (d[j] == '"' || d[j] == '\'') {
            const uint8_t *q = memchr(d + j + 1, d[j], end - j - 1);
            if (!q) {
                j = end;
                break;
            }
            n += last == '=';
            j = (size_t)(q - d);
            last = d[j];
        } else if (!is_ws(d[j])) {
            last = d[j];
        }
        j++;
    }
    *i = j < end && d[j] == '>' ? j + 1 : j;
    return n;
}

/* The markup is lexed as libxml2 reads a well-formed document: comments,
 * CDATA sections and processing instructions are skipped whole (they hold
 * anything but their terminator).  Where the document is not well-formed,
 * libxml2 stops at its own error no later than this lexing goes astray;
 * at a DOCTYPE it stops too (CV201).  libxml2 is given whole markup only:
 * markup a NUL falls in is cut at its '<' (libxml2 would report the
 * truncated markup, not the NUL), text at the NUL or at a reference the
 * NUL cuts short. */
static xml_cut find_cut(const uint8_t *d, size_t len, uint64_t max_attrs)
{
    const uint8_t *nul = memchr(d, 0, len);
    size_t end = nul ? (size_t)(nul - d) : len;
    size_t i = 0, text = 0; /* text: where the text before `i` starts */
    while (i < end) {
        const uint8_t *lt = memchr(d + i, '<', end - i);
        if (!lt)
            break;
        size_t at = (size_t)(lt - d), rest = end - at, next;
        if (rest >= 4 && memcmp(d + at, "<!--", 4) == 0) {
            next = find_seq(d, end, at + 4, "-->");
            next = next == SIZE_MAX ? SIZE_MAX : next + 3;
        } else if (rest >= 9 && memcmp(d + at, "<![CDATA[", 9) == 0) {
            next = find_seq(d, end, at + 9, "]]>");
            next = next == SIZE_MAX ? SIZE_MAX : next + 3;
        } else if (rest >= 2 && d[at + 1] == '?') {
            next = find_seq(d, end, at + 2, "?>");
            next = next == SIZE_MAX ? SIZE_MAX : next + 2;
        } else if (rest >= 2 && d[at + 1] == '/') {
            next = find_seq(d, end, at + 2, ">");
            next = next == SIZE_MAX ? SIZE_MAX : next + 1;
        } else if (rest >= 2 && d[at + 1] == '!') {
            /* A DOCTYPE: libxml2 stops (CV201) once it has read up to its
             * '[' or '>'.  Any other "<!" is an error where it starts. */
            if (!nul)
                return (xml_cut){len, len, 0};
            size_t k = at + 2;
            while (k < end && d[k] != '[' && d[k] != '>')
                k++;
            bool doctype = rest >= 9 && memcmp(d + at, "<!DOCTYPE", 9) == 0;
            return (xml_cut){doctype && k < end ? end : at, end, 0};
        } else {
            next = at;
            uint64_t n = count_attrs(d, end, &next);
            if (n > max_attrs)
                return (xml_cut){at, at, n};
            if (next == end && nul)
                next = SIZE_MAX;
        }
        if (next == SIZE_MAX) /* unfinished: libxml2's error, or the NUL is inside */
            return nul ? (xml_cut){at, end, 0} : (xml_cut){len, len, 0};
        i = text = next;
    }
    if (!nul)
        return (xml_cut){len, len, 0};
    /* in text: a reference it cuts short would be libxml2's error */
    const uint8_t *amp = memrchr(d + text, '&', end - text);
    size_t stop = amp && !memchr(amp, ';', end - (size_t)(amp - d)) ? (size_t)(amp - d) : end;
    return (xml_cut){stop, end, 0};
}

/* libxml2 read up to the cut: report why it was not let read on. */
static void report_cut(cv_ctx *cx, const uint8_t *d, size_t len, const xml_cut *c)
{
    if (c->nattrs == 0) {
        chanval_diag *r = cv_report(cx, CV200_XML_NOT_WELL_FORMED, c->off,
                                    "not well-formed XML: a NUL byte (0x00); XML documents "
                                    "hold none");
        cv_note(cx, r, "nothing after it was read: a NUL byte is not the end of a document");
        return;
    }
    size_t n = 1;
    while (c->off + n < len && n <= 64 && !is_ws(d[c->off + n]) && d[c->off + n] != '>' &&
           d[c->off + n] != '/')
        n++;
    cv_report(cx, CV120_LIMIT_EXCEEDED, c->off,
              "element %s has %llu attributes, more than the limit of %llu (--max-xml-attributes)",
              cv_quote(cx, 0, d + c->off + 1, n - 1, 64), (unsigned long long)c->nattrs,
              (unsigned long long)cx->policy->limits[CHANVAL_LIMIT_XML_ATTRS]);
}

/* ---- value syntax ----------------------------------------------------- */

static bool parse_uint(const uint8_t *p, size_t n, uint64_t *out)
{
    if (n == 0 || (p[0] == '0' && n > 1))
        return false;
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return false;
        unsigned d = (unsigned)(p[i] - '0');
        if (v > (UINT64_MAX - d) / 10)
            return false;
        v = v * 10 + d;
    }
    *out = v;
    return true;
}

static bool parse_int(const uint8_t *p, size_t n, int64_t *out)
{
    bool neg = n > 0 && p[0] == '-';
    uint64_t u;
    if (!parse_uint(p + neg, n - neg, &u))
        return false;
    if (neg) {
        if (u == 0 || u > (uint64_t)INT64_MAX + 1)
            return false; /* no -0 */
        *out = u == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)u;
    } else {
        if (u > INT64_MAX)
            return false;
        *out = (int64_t)u;
    }
    return true;
}

static bool is_alpha(uint8_t c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
static bool is_digit(uint8_t c) { return c >= '0' && c <= '9'; }
static bool is_hex(uint8_t c)
{
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool is_name(const uint8_t *p, size_t n)
{
    if (n == 0 || n > 64 || !is_alpha(p[0]))
        return false;
    for (size_t i = 1; i < n; i++)
        if (!is_alpha(p[i]) && !is_digit(p[i]) && p[i] != '_')
            return false;
    return true;
}

static bool is_version(const uint8_t *p, size_t n)
{
    size_t i = 0, parts = 0;
    while (i < n) {
        size_t start = i;
        while (i < n && is_digit(p[i]))
            i++;
        if (i == start)
            return false;
        parts++;
        if (i < n && p[i++] != '.')
            return false;
        if (i == n && p[n - 1] == '.')
            return false;
    }
    return parts >= 2 && parts <= 4;
}

/* Check one value against its spec; on failure `why` says what is wrong
 * with its syntax, or is NULL when a number is out of the spec's range. */
static bool check_value(const cv_attr_spec *sp, cv_attr_val *v, const char **why)
{
    const uint8_t *p = v->raw;
    size_t n = v->len;
    switch (sp->type) {
    case CV_A_UINT:
        if (!parse_uint(p, n, &v->u)) {
            *why = "is not an unsigned integer (digits only: no sign, "
                   "leading zeros or spaces)";
            return false;
        }
        if (v->u < sp->min || v->u > sp->max) {
            *why = NULL; /* the caller names the range */
            return false;
        }
        return true;
    case CV_A_INT:
        if (!parse_int(p, n, &v->i)) {
            *why = "is not a signed 64-bit integer (no '+', '-0', leading "
                   "zeros or spaces)";
            return false;
        }
        return true;
    case CV_A_BOOL:
        if (n == 4 && memcmp(p, "true", 4) == 0)
            v->b = true;
        else if (n == 5 && memcmp(p, "false", 5) == 0)
            v->b = false;
        else {
            *why = "is not a boolean (true or false)";
            return false;
        }
        return true;
    case CV_A_NAME:
        if (!is_name(p, n)) {
            *why = "is not a name ([A-Za-z][A-Za-z0-9_]{0,63})";
            return false;
        }
        return true;
    case CV_A_VERSION:
        if (!is_version(p, n)) {
            *why = "is not a sensor version ([0-9]+(.[0-9]+){1,3})";
            return false;
        }
        return true;
    case CV_A_HEX:
        for (size_t i = 0; i < n; i++)
            if (!is_hex(p[i])) {
                *why = "is not hexadecimal";
                return false;
            }
        if (n % 2) {
            *why = "has an odd number of hex digits";
            return false;
        }
        return true;
    case CV_A_STRING:
        return true;
    }
    return false;
}

/* ---- locating --------------------------------------------------------- */

size_t cv_xml_attr_off(const cv_ctx *cx, size_t elem_off, const char *name)
{
    const uint8_t *t = cx->text;
    size_t n = cx->text_len, i = elem_off, nlen = strlen(name);
    if (i >= n || t[i] != '<')
        return elem_off;
    i++;
    while (i < n && !is_ws(t[i]) && t[i] != '>' && t[i] != '/')
        i++;
    for (;;) {
        while (i < n && is_ws(t[i]))
            i++;
        if (i >= n || t[i] == '>' || t[i] == '/')
            return elem_off;
        size_t at = i;
        while (i < n && t[i] != '=' && !is_ws(t[i]))
            i++;
        size_t alen = i - at;
        while (i < n && (is_ws(t[i]) || t[i] == '='))
            i++;
        if (i >= n || (t[i] != '"' && t[i] != '\''))
            return elem_off;
        uint8_t q = t[i++];
        while (i < n && t[i] != q)
            i++;
        i++;
        if (alen == nlen && memcmp(t + at, name, nlen) == 0)
            return at;
    }
}

static size_t attr_off(sax_state *st, size_t elem_off, const char *name)
{
    return cv_xml_attr_off(st->cx, elem_off, name);
}

/* ---- SAX callbacks ---------------------------------------------------- */

static const char *elem_name(sax_state *st, int e) { return e >= 0 ? st->doc->elems[e].name : "?"; }

static const char *text_of(const cv_buf *b) { return b->oom ? "?" : b->data ? b->data : "nothing"; }

static void list_children(cv_buf *b, const cv_xml_doc *doc, int parent)
{
    size_t k = 0;
    for (size_t i = 0; i < doc->nelems; i++)
        if (doc->elems[i].parent == parent)
            cv_buf_printf(b, "%s<%s>", k++ ? ", " : "", doc->elems[i].name);
    if (k == 0)
        cv_buf_adds(b, "nothing");
}

/* <?chanval suppress="..." reason="..."?> covers the element after it. */
static void suppression(sax_state *st, size_t off, const char *data)
{
    cv_ctx *cx = st->cx;
    chanval_file *f = cx->f;
    cv_supp_range r;
    if (!cv_supp_parse(cx, off, data, &r))
        return;
    void *p = f->supp;
    if (cv_grow(&p, &f->supp_cap, f->nsupp + 1, sizeof *f->supp) != 0) {
        cx->oom = true;
        return;
    }
    f->supp = p;
    if (st->pending == SIZE_MAX)
        st->pending = f->nsupp;
    f->supp[f->nsupp++] = r;
}

/* The element starting at `off` (depth st->depth) takes the pending
 * suppressions. */
static void open_suppressions(sax_state *st, size_t off)
{
    chanval_file *f = st->cx->f;
    size_t from = st->pending;
    st->pending = SIZE_MAX;
    if (from == SIZE_MAX || st->depth > MAX_TRACKED_DEPTH)
        return;
    for (size_t k = from; k < f->nsupp; k++)
        f->supp[k].start = off;
    st->closes[st->depth][0] = from;
    st->closes[st->depth][1] = f->nsupp;
}

static void close_suppressions(sax_state *st)
{
    chanval_file *f = st->cx->f;
    if (st->depth == 0 || st->depth > MAX_TRACKED_DEPTH)
        return;
    size_t *c = st->closes[st->depth];
    for (size_t k = c[0]; k < c[1]; k++)
        f->supp[k].end = st->mark;
    c[0] = c[1] = 0;
}

/* The root: choose the document and check formatVersion. */
static bool start_root(sax_state *st, const char *name, size_t off, int nattrs,
                       const xmlChar **attrs)
{
    cv_ctx *cx = st->cx;
    for (size_t i = 0; i < st->ndocs; i++)
        if (strcmp(st->docs[i]->elems[0].name, name) == 0) {
            st->doc = st->docs[i];
            st->doc_index = (int)i;
        }
    if (!st->doc) {
        cv_buf b = {0};
        for (size_t i = 0; i < st->ndocs; i++)
            cv_buf_printf(&b, "%s<%s>", i ? (i + 1 == st->ndocs ? " or " : ", ") : "",
                          st->docs[i]->elems[0].name);
        cv_report(cx, CV203_XML_UNKNOWN_DOCUMENT, off, "root element <%s> is not %s: expected %s",
                  name, st->role, text_of(&b));
        if (b.oom)
            cx->oom = true;
        cv_buf_free(&b);
        stop(st);
        return false;
    }
    cx->f->kind = st->doc->kind;
    const uint8_t *fv = NULL;
    size_t fvlen = 0;
    for (int i = 0; i < nattrs; i++)
        if (!attrs[(size_t)i * 5 + 1] &&
            strcmp((const char *)attrs[(size_t)i * 5], "formatVersion") == 0) {
            fv = attrs[(size_t)i * 5 + 3];
            fvlen = (size_t)(attrs[(size_t)i * 5 + 4] - attrs[(size_t)i * 5 + 3]);
        }
    if (!fv) {
        chanval_diag *d = cv_report(cx, CV203_XML_UNKNOWN_DOCUMENT, off,
                                    "<%s> has no formatVersion attribute", name);
        cv_note(cx, d, "add formatVersion=\"1\" to the root element");
        stop(st);
        return false;
    }
    if (fvlen != 1 || fv[0] != '1') {
        cv_report(cx, CV203_XML_UNKNOWN_DOCUMENT, attr_off(st, off, "formatVersion"),
                  "<%s> formatVersion=%s is not supported; this is format "
                  "version 1",
                  name, cv_quote(cx, 0, fv, fvlen, 40));
        stop(st);
        return false;
    }
    return true;
}

/* The element of the document's table that `name` is within `parent`,
 * or -1 (CV202 reported, the element's content skipped). */
static int find_elem(sax_state *st, const char *name, const char *qname, bool prefixed, size_t off)
{
    cv_ctx *cx = st->cx;
    int parent = st->depth == 1 ? -1 : st->stack[st->depth - 1];
    int e = -1;
    if (!prefixed)
        for (size_t i = 0; i < st->doc->nelems; i++)
            if (st->doc->elems[i].parent == parent && strcmp(st->doc->elems[i].name, name) == 0)
                e = (int)i;
    if (e < 0) {
        cv_buf b = {0};
        list_children(&b, st->doc, parent);
        cv_report(cx, CV202_XML_SCHEMA_VIOLATION, off,
                  "element <%s> is not allowed in <%s>; expected %s", qname, elem_name(st, parent),
                  text_of(&b));
        if (b.oom)
            cx->oom = true;
        cv_buf_free(&b);
        st->skip_from = st->depth;
    }
    return e;
}

/* The attributes of element es at off, by its table: unknown ones,
 * values out of their type or range, missing required ones (CV202). */
static void read_attrs(sax_state *st, const cv_elem_spec *es, size_t off, int nb_attributes,
                       const xmlChar **attributes, cv_attr_val *vals)
{
    cv_ctx *cx = st->cx;
    for (int i = 0; i < nb_attributes; i++) {
        const char *an = (const char *)attributes[(size_t)i * 5];
        const xmlChar *apfx = attributes[(size_t)i * 5 + 1];
        const uint8_t *v = attributes[(size_t)i * 5 + 3];
        size_t vlen = (size_t)(attributes[(size_t)i * 5 + 4] - attributes[(size_t)i * 5 + 3]);
        if (st->depth == 1 && !apfx && strcmp(an, "formatVersion") == 0)
            continue;
        size_t k = es->nattrs;
        if (!apfx)
            for (size_t j = 0; j < es->nattrs; j++)
                if (strcmp(es->attrs[j].name, an) == 0)
                    k = j;
        if (k == es->nattrs) {
            char aq[160];
            if (apfx)
                snprintf(aq, sizeof aq, "%.60s:%.60s", (const char *)apfx, an);
            else
                snprintf(aq, sizeof aq, "%.120s", an);
            cv_buf b = {0};
            for (size_t j = 0; j < es->nattrs; j++)
                cv_buf_printf(&b, "%s%s", j ? ", " : "", es->attrs[j].name);
            if (st->depth == 1)
                cv_buf_printf(&b, "%sformatVersion", es->nattrs ? ", " : "");
            cv_report(cx, CV202_XML_SCHEMA_VIOLATION, attr_off(st, off, aq),
                      "unknown attribute %s on <%s>; allowed: %s", aq, es->name, text_of(&b));
            if (b.oom)
                cx->oom = true;
            cv_buf_free(&b);
            continue;
        }
        cv_attr_val *val = &vals[k];
        val->present = true;
        val->raw = v;
        val->len = vlen;
        const char *why = NULL;
        val->ok = check_value(&es->attrs[k], val, &why);
        if (!val->ok && why)
            cv_report(cx, CV202_XML_SCHEMA_VIOLATION, attr_off(st, off, an), "%s=%s on <%s> %s", an,
                      cv_quote(cx, 0, v, vlen, 40), es->name, why);
        else if (!val->ok)
            cv_report(cx, CV202_XML_SCHEMA_VIOLATION, attr_off(st, off, an),
                      "%s=%s on <%s> is out of range %llu..%llu", an, cv_quote(cx, 0, v, vlen, 40),
                      es->name, (unsigned long long)es->attrs[k].min,
                      (unsigned long long)es->attrs[k].max);
    }
    for (size_t j = 0; j < es->nattrs; j++)
        if (es->attrs[j].required && !vals[j].present)
            cv_report(cx, CV202_XML_SCHEMA_VIOLATION, off, "<%s> is missing required attribute %s",
                      es->name, es->attrs[j].name);
}

static void on_start(void *user, const xmlChar *localname, const xmlChar *prefix,
                     const xmlChar *uri, int nb_namespaces, const xmlChar **namespaces,
                     int nb_attributes, int nb_defaulted, const xmlChar **attributes)
{
    (void)uri;
    (void)nb_defaulted;
    sax_state *st = user;
    cv_ctx *cx = st->cx;
    if (st->stopped)
        return;
    size_t here = cur_off(st);
    size_t off = open_bracket(st, here);
    st->mark = here;
    st->text_reported = false;
    st->depth++;
    open_suppressions(st, off);
    if (st->depth > cx->policy->limits[CHANVAL_LIMIT_XML_DEPTH]) {
        cv_report(cx, CV120_LIMIT_EXCEEDED, off,
                  "element nesting depth %u exceeds the limit of %llu "
                  "(--max-xml-depth)",
                  st->depth, (unsigned long long)cx->policy->limits[CHANVAL_LIMIT_XML_DEPTH]);
        stop(st);
        return;
    }
    if (st->skip_from)
        return;
    const char *name = (const char *)localname;
    char qname[160];
    if (prefix)
        snprintf(qname, sizeof qname, "%.60s:%.60s", (const char *)prefix, name);
    else
        snprintf(qname, sizeof qname, "%.120s", name);
    if (st->depth == 1 && !start_root(st, qname, off, nb_attributes, attributes))
        return;
    int e = find_elem(st, name, qname, prefix != NULL, off);
    if (e < 0)
        return;
    if (st->depth <= MAX_TRACKED_DEPTH)
        st->stack[st->depth] = e;
    if (nb_namespaces > 0) {
        size_t at = attr_off(st, off, "xmlns");
        if (at == off && namespaces[0]) { /* a prefixed declaration */
            char decl[80];
            snprintf(decl, sizeof decl, "xmlns:%.60s", (const char *)namespaces[0]);
            at = attr_off(st, off, decl);
        }
        cv_report(cx, CV202_XML_SCHEMA_VIOLATION, at,
                  "<%s> declares a namespace; chanval documents use none", qname);
    }
    const cv_elem_spec *es = &st->doc->elems[e];
    cv_attr_val vals[CV_XML_MAX_ATTRS];
    memset(vals, 0, sizeof vals);
    read_attrs(st, es, off, nb_attributes, attributes, vals);
    if (st->doc->start && !st->doc->start(st->doc->user, cx, e, off, vals))
        stop(st);
}

static void on_end(void *user, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri)
{
    (void)localname;
    (void)prefix;
    (void)uri;
    sax_state *st = user;
    if (st->stopped)
        return;
    st->mark = cur_off(st);
    st->text_reported = false;
    close_suppressions(st);
    if (st->skip_from) {
        if (st->depth == st->skip_from)
            st->skip_from = 0;
    } else if (st->depth >= 1 && st->depth <= MAX_TRACKED_DEPTH && st->doc->end) {
        st->doc->end(st->doc->user, st->cx, st->stack[st->depth]);
    }
    if (st->depth > 0)
        st->depth--;
}

static void on_text(void *user, const xmlChar *ch, int len)
{
    sax_state *st = user;
    if (st->stopped || st->skip_from || st->text_reported || st->depth == 0)
        return;
    int i = 0;
    while (i < len && is_ws(ch[i]))
        i++;
    if (i == len)
        return;
    /* Locate the text: the first non-blank byte after the last markup. */
    size_t p = st->mark;
    while (p < st->len && (st->data[p] == '>' || st->data[p] == '/'))
        p++;
    while (p < st->len && is_ws(st->data[p]))
        p++;
    st->text_reported = true;
    int n = len - i;
    while (n > 0 && is_ws(ch[i + n - 1]))
        n--;
    cv_report(st->cx, CV202_XML_SCHEMA_VIOLATION, p, "text %s is not allowed in <%s>",
              cv_quote(st->cx, 0, ch + i, (size_t)n, 30),
              elem_name(st, st->depth <= MAX_TRACKED_DEPTH ? st->stack[st->depth] : -1));
}

static void on_comment(void *user, const xmlChar *value)
{
    (void)value;
    sax_state *st = user;
    if (!st->stopped)
        st->mark = cur_off(st);
}

static void on_pi(void *user, const xmlChar *target, const xmlChar *data)
{
    sax_state *st = user;
    if (st->stopped)
        return;
    size_t here = cur_off(st);
    size_t off = markup_start(st, here, '?');
    st->mark = here;
    if (strcmp((const char *)target, "chanval") == 0) {
        suppression(st, off, data ? (const char *)data : "");
        return;
    }
    chanval_diag *d =
        cv_report(st->cx, CV202_XML_SCHEMA_VIOLATION, off,
                  "processing instruction <?%s?> is not allowed", (const char *)target);
    cv_note(st->cx, d,
            "the only processing instruction is <?chanval suppress=\"CVnnn\" "
            "reason=\"...\"?>; use a comment");
}

static void on_internal_subset(void *user, const xmlChar *name, const xmlChar *external_id,
                               const xmlChar *system_id)
{
    sax_state *st = user;
    if (st->stopped)
        return;
    /* Called before the subset's declarations are read: nothing is
     * expanded or fetched.  Find the "<!DOCTYPE" this belongs to. */
    size_t off = markup_start(st, cur_off(st), '!');
    chanval_diag *d;
    if (system_id || external_id)
        d = cv_report(st->cx, CV201_XML_DTD_FORBIDDEN, off,
                      "DOCTYPE %s with an external reference (%s) is "
                      "forbidden; nothing was fetched",
                      (const char *)name, (const char *)(system_id ? system_id : external_id));
    else
        d = cv_report(st->cx, CV201_XML_DTD_FORBIDDEN, off,
                      "DOCTYPE %s is forbidden: chanval documents use no "
                      "DTD, entities or external references",
                      (const char *)name);
    cv_note(st->cx, d, "remove the DOCTYPE declaration");
    stop(st);
}

static xmlParserInputPtr refuse_entity(void *user, const xmlChar *public_id,
                                       const xmlChar *system_id)
{
    (void)user;
    (void)public_id;
    (void)system_id;
    return NULL;
}

/* The encoding the first bytes announce when it is not UTF-8 (XML 1.0
 * appendix F), or NULL. */
static const char *not_utf8(const uint8_t *p, size_t n)
{
    if (n >= 4 && ((p[0] == 0 && p[1] == 0) || (p[2] == 0 && p[3] == 0)))
        return "UTF-32 (its first bytes are zero bytes around '<')";
    if (n >= 2 && ((p[0] == 0xFE && p[1] == 0xFF) || (p[0] == 0xFF && p[1] == 0xFE)))
        return "UTF-16 (it starts with a UTF-16 byte order mark)";
    if (n >= 2 && (p[0] == 0 || p[1] == 0))
        return "UTF-16 (its first character has a zero byte)";
    if (n >= 4 && p[0] == 0x4C && p[1] == 0x6F && p[2] == 0xA7 && p[3] == 0x94)
        return "EBCDIC";
    return NULL;
}

static void on_start_document(void *user)
{
    sax_state *st = user;
    xmlParserCtxtPtr c = st->ctxt;
    const xmlChar *enc = c->input && c->input->encoding ? c->input->encoding : c->encoding;
    if (enc && strcasecmp((const char *)enc, "UTF-8") != 0) {
        cv_report(st->cx, CV200_XML_NOT_WELL_FORMED, 0,
                  "the document declares encoding \"%s\"; chanval documents "
                  "are UTF-8",
                  (const char *)enc);
        stop(st);
    }
}

static void on_error(void *user, xmlErrorPtr e)
{
    sax_state *st = user;
    if (st->stopped || !e)
        return;
    if (e->code == XML_ERR_NO_MEMORY) {
        st->cx->oom = true;
        stop(st);
        return;
    }
    if (st->cut < st->len && cur_off(st) >= st->cut) {
        /* the end of what libxml2 was given, not of the document */
        st->at_cut = true;
        stop(st);
        return;
    }
    if (e->domain == XML_FROM_NAMESPACE || e->level < XML_ERR_ERROR)
        return; /* prefixes are reported as unknown elements */
    char msg[256];
    snprintf(msg, sizeof msg, "%s", e->message ? e->message : "parse error");
    size_t n = strlen(msg);
    while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
        msg[--n] = '\0';
    if (!st->libxml_error) {
        uint32_t line = e->line > 0 ? (uint32_t)e->line : 1;
        uint32_t col = e->int2 > 0 ? (uint32_t)e->int2 : 1;
        cv_report_linecol(st->cx, CV200_XML_NOT_WELL_FORMED, line, col, "not well-formed XML: %s",
                          msg);
    }
    st->libxml_error = true;
    /* Stop at the first error: libxml2 would otherwise go on reading
     * (with callbacks off) whatever follows, a DTD included. */
    stop(st);
}

static void silent(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

/* Restore the caller's handler and drop libxml2's copy of the last error,
 * which would otherwise hold memory until the next error. */
static void finish(xmlGenericErrorFunc fn, void *ctx)
{
    xmlResetLastError();
    xmlSetGenericErrorFunc(ctx, fn);
}

void cv_xml_parse(cv_ctx *cx, const uint8_t *data, size_t len, const cv_xml_doc *const *docs,
                  size_t ndocs, const char *role, cv_xml_result *res)
{
    res->doc = -1;
    res->wellformed = false;
    if (len > INT_MAX) {
        cv_report(cx, CV120_LIMIT_EXCEEDED, 0, "XML document of %zu bytes is too large", len);
        return;
    }
    /* (the two initializers below are alike in shape only) */
    sax_state st = {.pending = SIZE_MAX,
                    .cx = cx,
                    .data = data,
                    .len = len,
                    .docs = docs,
                    .ndocs = ndocs,
                    .role = role,
                    .doc_index = -1};
    static const xmlSAXHandler handler = {.initialized = XML_SAX2_MAGIC,
                                          .startElementNs = on_start,
                                          .endElementNs = on_end,
                                          .characters = on_text,
                                          .cdataBlock = on_text,
                                          .ignorableWhitespace = on_text,
                                          .comment = on_comment,
                                          .processingInstruction = on_pi,
                                          .internalSubset = on_internal_subset,
                                          .resolveEntity = refuse_entity,
                                          .startDocument = on_start_document,
                                          .serror = on_error};
    xmlSAXHandler sax = handler;

    /* libxml2 prints some errors (its own out-of-memory ones) through the
     * generic handler; findings are ours to report, so silence it here. */
    if (len == 0) {
        /* libxml2 makes no parser for an empty buffer: not well-formed,
         * not out of memory */
        cv_report_linecol(cx, CV200_XML_NOT_WELL_FORMED, 1, 1,
                          "not well-formed XML: Document is empty");
        return;
    }
    /* libxml2 detects UTF-16, UTF-32 and EBCDIC from the first bytes and
     * never reports an encoding it was not told of: refuse them here. */
    const char *other = not_utf8(data, len);
    if (other) {
        chanval_diag *d =
            cv_report_linecol(cx, CV200_XML_NOT_WELL_FORMED, 1, 1,
                              "the document is %s; chanval documents are UTF-8", other);
        cv_note(cx, d, "save the document as UTF-8 (a byte order mark is allowed)");
        return;
    }
    xml_cut cut = find_cut(data, len, cx->policy->limits[CHANVAL_LIMIT_XML_ATTRS]);
    if (cut.stop == 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        cut.stop = 0; /* libxml2 reads a byte order mark only with more after it */
    st.cut = cut.stop;
    if (cut.stop == 0) { /* nothing before it for libxml2 to read */
        report_cut(cx, data, len, &cut);
        return;
    }
    xmlGenericErrorFunc saved_fn = xmlGenericError;
    void *saved_ctx = xmlGenericErrorContext;
    xmlSetGenericErrorFunc(NULL, silent);
    xmlParserCtxtPtr ctxt = xmlCreateMemoryParserCtxt((const char *)data, (int)cut.stop);
    if (!ctxt) {
        finish(saved_fn, saved_ctx);
        cx->oom = true;
        return;
    }
    memcpy(ctxt->sax, &sax, sizeof sax);
    ctxt->userData = &st;
    st.ctxt = ctxt;
    /* NOENT only expands the predefined entities and character references
     * here: a DOCTYPE, the only place entities could be declared, stops
     * the parser before its contents are read. */
    xmlCtxtUseOptions(ctxt, XML_PARSE_NONET | XML_PARSE_NOENT | XML_PARSE_NOCDATA);
    xmlParseDocument(ctxt);
    if (cut.stop < len && (!st.fatal || st.at_cut) && !cx->oom) {
        report_cut(cx, data, len, &cut);
        st.fatal = true;
    }
    if (st.pending != SIZE_MAX && !st.fatal)
        for (size_t k = st.pending; k < cx->f->nsupp; k++)
            cv_report(cx, CV202_XML_SCHEMA_VIOLATION, cx->f->supp[k].at,
                      "this <?chanval suppress?> is followed by no element to apply to");
    bool nomem = cx->oom || ctxt->errNo == XML_ERR_NO_MEMORY;
    if (ctxt->myDoc) /* libxml2 may start a document of its own */
        xmlFreeDoc(ctxt->myDoc);
    xmlFreeParserCtxt(ctxt);
    finish(saved_fn, saved_ctx);
    if (nomem) {
        cx->oom = true;
        return;
    }
    res->doc = st.doc_index;
    res->wellformed = !st.fatal && !st.libxml_error;
}
