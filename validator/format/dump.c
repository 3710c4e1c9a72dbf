/* dump.c - channel file to channel source XML, so that packing the output
 * gives back the same instances, criteria and strings. */
#include "format/dump.h"
#include "base/escape.h"
#include "format/binfile.h"
#include "base/utf8.h"

#include <inttypes.h>

typedef struct dumper {
    cv_buf *out;
    bool bad;  /* something the check should have refused: no output */
    bool open; /* the current <instance> start tag awaits its '>' */
} dumper;

static const char *const actions[] = {"log", "detect", "block"};
static const char *const severities[] = {"info", "low", "medium", "high", "critical"};

/* Can XML 1.0 carry this string in an attribute? */
static bool xml_safe(const uint8_t *p, size_t n)
{
    size_t i = 0;
    while (i < n) {
        uint32_t cp = 0;
        size_t k = cv_utf8_seq(p + i, n - i, &cp);
        if (k == 0)
            return false;
        if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0xFFFE || cp == 0xFFFF)
            return false;
        i += k;
    }
    return true;
}

static void on_instance(void *u, cv_inst *in)
{
    dumper *d = u;
    const cv_tuse *t = in->type;
    if (!t || in->action < 1 || in->action > 3 || in->severity > 4) {
        d->bad = true;
        return;
    }
    cv_buf_printf(d->out,
                  "  <instance id=\"%" PRIu32 "\" typeId=\"%" PRIu32 "\" typeVersion=\"%u\" "
                  "action=\"%s\" severity=\"%s\"",
                  in->id, t->id, (unsigned)t->version, actions[in->action - 1],
                  severities[in->severity]);
    d->open = true;
}

static void on_criterion(void *u, cv_inst *in, const cv_crit *c)
{
    dumper *d = u;
    cv_buf *b = d->out;
    if (c->op == CV_OP_WILDCARD || d->bad)
        return;
    if (c->op != CV_OP_RANGE && !c->str_ok) {
        d->bad = true;
        return;
    }
    if (d->open) {
        cv_buf_adds(b, ">\n");
        d->open = false;
    }
    const cv_type *def = in->type->def;
    if (def && c->index < def->nfields)
        cv_buf_printf(b, "    <criterion field=\"%s\"", def->fields[c->index].name);
    else
        cv_buf_printf(b, "    <criterion index=\"%" PRIu32 "\"", c->index);
    cv_buf_printf(b, " op=\"%s\"", cv_op_name(c->op));
    if (c->op == CV_OP_RANGE) {
        cv_buf_printf(b, " min=\"%" PRId64 "\" max=\"%" PRId64 "\"", c->min, c->max);
    } else if (xml_safe(c->str, c->str_len)) {
        cv_buf_adds(b, " value=\"");
        cv_xml_escape_n(b, c->str, c->str_len); /* xml_safe: nothing is replaced */
        cv_buf_addc(b, '"');
    } else {
        cv_buf_adds(b, " valueHex=\"");
        for (uint32_t i = 0; i < c->str_len; i++)
            cv_buf_printf(b, "%02x", c->str[i]);
        cv_buf_addc(b, '"');
    }
    if (c->flags & CV_FLAG_CASELESS)
        cv_buf_adds(b, " caseInsensitive=\"true\"");
    if (c->flags & CV_FLAG_NEGATE)
        cv_buf_adds(b, " negate=\"true\"");
    cv_buf_adds(b, "/>\n");
}

static void on_instance_end(void *u, cv_inst *in)
{
    (void)in;
    dumper *d = u;
    cv_buf_adds(d->out, d->open ? "/>\n" : "  </instance>\n");
    d->open = false;
}

void cv_dump(cv_ctx *cx, const uint8_t *data, size_t len, cv_buf *out)
{
    cv_bin b;
    if (cv_bin_open(cx, data, len, &b)) {
        cv_buf_printf(out,
                      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                      "<channel formatVersion=\"1\" id=\"%" PRIu32 "\" contentVersion=\"%" PRIu64
                      "\">\n",
                      b.channel_id, b.content_version);
        dumper d = {out, false, false};
        cv_bin_visitor v = {&d, on_instance, on_criterion, on_instance_end};
        cv_bin_walk(cx, &b, &v);
        cv_buf_adds(out, "</channel>\n");
        if (d.bad)
            out->oom = true;
    } else {
        out->oom = true;
    }
    cv_bin_close(&b);
}
