/* test_redos.c - regex cost: CV502 (a witness input no longer than the
 * field's maxLength costs more steps than a sensor's regexMatchLimit) and
 * CV503 (super-linear but within every budget), in sources and channel
 * files; what must not fire; the witness re-measured independently with
 * the cost model of formats-v1 section 1.2. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

/* The sample types plus a type of short fields, for CV503. */
static const char short_types[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<templateTypes formatVersion=\"1\">\n"
    "  <templateType id=\"99\" version=\"1\" name=\"ShortFields\">\n"
    "    <field name=\"tag\" kind=\"string\" maxLength=\"12\"/>\n"
    "    <field name=\"label\" kind=\"string\" maxLength=\"48\"/>\n"
    "    <field name=\"note\" kind=\"string\" maxLength=\"200\"/>\n"
    "    <field name=\"count\" kind=\"integer\" min=\"0\" max=\"100\"/>\n"
    "  </templateType>\n"
    "</templateTypes>\n";

/* Two sensors: budgets 100000 and 50000 (7.10 supplies only 2 inputs of
 * type 99, so it never evaluates field 2, "note"). */
static const char fleet_two_budgets[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<fleet formatVersion=\"1\">\n"
    "  <sensor version=\"7.11.18110\" maxChannelBytes=\"16777216\" maxInstances=\"100000\""
    " maxRegexLength=\"1024\" regexMatchLimit=\"100000\">\n"
    "    <supports typeId=\"7\" typeVersion=\"3\" inputs=\"21\"/>\n"
    "    <supports typeId=\"12\" typeVersion=\"1\" inputs=\"8\"/>\n"
    "    <supports typeId=\"99\" typeVersion=\"1\" inputs=\"4\"/>\n"
    "  </sensor>\n"
    "  <sensor version=\"7.10.17706\" maxChannelBytes=\"8388608\" maxInstances=\"50000\""
    " maxRegexLength=\"1024\" regexMatchLimit=\"50000\">\n"
    "    <supports typeId=\"7\" typeVersion=\"3\" inputs=\"21\"/>\n"
    "    <supports typeId=\"12\" typeVersion=\"1\" inputs=\"8\"/>\n"
    "    <supports typeId=\"99\" typeVersion=\"1\" inputs=\"2\"/>\n"
    "  </sensor>\n"
    "</fleet>\n";

/* The same budget (100000) for both sensors. */
static const char fleet_same_budget[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<fleet formatVersion=\"1\">\n"
    "  <sensor version=\"7.11.18110\" maxChannelBytes=\"16777216\" maxInstances=\"100000\""
    " maxRegexLength=\"1024\" regexMatchLimit=\"100000\">\n"
    "    <supports typeId=\"7\" typeVersion=\"3\" inputs=\"21\"/>\n"
    "    <supports typeId=\"12\" typeVersion=\"1\" inputs=\"8\"/>\n"
    "    <supports typeId=\"99\" typeVersion=\"1\" inputs=\"4\"/>\n"
    "  </sensor>\n"
    "  <sensor version=\"7.10.17706\" maxChannelBytes=\"8388608\" maxInstances=\"50000\""
    " maxRegexLength=\"1024\" regexMatchLimit=\"100000\">\n"
    "    <supports typeId=\"7\" typeVersion=\"3\" inputs=\"21\"/>\n"
    "    <supports typeId=\"12\" typeVersion=\"1\" inputs=\"8\"/>\n"
    "    <supports typeId=\"99\" typeVersion=\"1\" inputs=\"4\"/>\n"
    "  </sensor>\n"
    "</fleet>\n";

static chanval_session *session(const char *fleet)
{
    chanval_session *s = chanval_session_new();
    assert_non_null(s);
    tu_add_types(s, tu_types_xml);
    tu_add_types(s, short_types);
    if (fleet)
        tu_add_fleet(s, fleet);
    return s;
}

/* The pattern as an XML attribute value. */
static void escape(char *out, size_t n, const char *p)
{
    size_t k = 0;
    for (; *p && k + 8 < n; p++) {
        const char *e = NULL;
        switch (*p) {
        case '<': e = "&lt;"; break;
        case '>': e = "&gt;"; break;
        case '&': e = "&amp;"; break;
        case '"': e = "&quot;"; break;
        default: break;
        }
        if (e) {
            memcpy(out + k, e, strlen(e));
            k += strlen(e);
        } else {
            out[k++] = *p;
        }
    }
    out[k] = '\0';
}

static char doc_buf[8192];

/* One instance of type/version with a regex on `field`. */
static const char *doc(unsigned type, unsigned version, const char *field, const char *pattern,
                       const char *extra)
{
    char v[4096];
    escape(v, sizeof v, pattern);
    snprintf(doc_buf, sizeof doc_buf,
             "<channel formatVersion=\"1\" id=\"5\" contentVersion=\"1\">\n"
             "  <instance id=\"3\" typeId=\"%u\" typeVersion=\"%u\" action=\"detect\" "
             "severity=\"high\">\n"
             "    <criterion field=\"%s\" op=\"regex\" value=\"%s\"%s/>\n"
             "  </instance>\n"
             "</channel>\n",
             type, version, field, v, extra);
    return doc_buf;
}

static const chanval_file *check(chanval_session *s, unsigned type, const char *field,
                                 const char *pattern, const char *extra)
{
    return tu_check_str(s, "s.xml", doc(type, type == 12 || type == 99 ? 1 : 3, field, pattern, extra));
}

/* ---- re-measuring a witness, independently of the library -------------- */

typedef struct counter {
    uint64_t n, cap;
} counter;

static int count(pcre2_callout_block *b, void *data)
{
    (void)b;
    counter *c = data;
    return ++c->n > c->cap ? PCRE2_ERROR_CALLOUT : 0;
}

/* Steps of one unanchored match of `pattern` on the witness of d (prefix,
 * pump as many times as fit before the suffix, suffix), counted up to cap. */
static uint64_t remeasure(const char *pattern, bool caseless, const chanval_diag *d, uint64_t cap)
{
    size_t np = strlen(d->witness_prefix), nw = strlen(d->witness_pump),
           ns = strlen(d->witness_suffix);
    size_t len = (size_t)d->witness_length;
    assert_true(np + ns <= len);
    assert_true(nw > 0);
    char *in = malloc(len + 1);
    assert_non_null(in);
    size_t k = (len - np - ns) / nw, at = 0;
    memcpy(in, d->witness_prefix, np);
    at = np;
    for (size_t i = 0; i < k; i++, at += nw)
        memcpy(in + at, d->witness_pump, nw);
    memcpy(in + at, d->witness_suffix, ns);
    at += ns;
    assert_int_equal(at, len); /* the reported length is what this builds */
    int err;
    PCRE2_SIZE off;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
                                   PCRE2_UTF | PCRE2_AUTO_CALLOUT | (caseless ? PCRE2_CASELESS : 0),
                                   &err, &off, NULL);
    assert_non_null(re);
    pcre2_match_context *mc = pcre2_match_context_create(NULL);
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
    counter c = {0, cap};
    pcre2_set_callout(mc, count, &c);
    pcre2_set_match_limit(mc, 1000000000u);
    pcre2_set_depth_limit(mc, 1000000000u);
    int rc = pcre2_match(re, (PCRE2_SPTR)in, len, 0, 0, md, mc);
    assert_true(rc >= 0 || rc == PCRE2_ERROR_NOMATCH || rc == PCRE2_ERROR_CALLOUT);
    pcre2_match_data_free(md);
    pcre2_match_context_free(mc);
    pcre2_code_free(re);
    free(in);
    return c.n;
}

/* ---- CV502 ------------------------------------------------------------------ */

/* No finding for the pattern on the field (see below). */
static void linear(const char *field, unsigned type, const char *pattern);
/* CV502 on field `field` of type 7 v3 (or 12 v1), with class and the
 * witness proven over the budget of 100000. */
static void cv502(unsigned type, const char *field, const char *pattern, chanval_regex_class cls,
                  uint32_t degree)
{
    chanval_session *s = session(fleet_same_budget);
    const chanval_file *f = check(s, type, field, pattern, "");
    if (strcmp(tu_rules(f), "CV502") != 0)
        fail_msg("/%s/ on %s: %s, expected CV502", pattern, field, tu_rules(f));
    assert_int_equal(tu_count(f, 502), 1); /* one per criterion, not per sensor */
    const chanval_diag *d = tu_must(f, 502);
    tu_assert_at(f, 502, doc_buf, "value=");
    assert_int_equal(d->severity, CHANVAL_SEV_ERROR);
    assert_int_equal(d->instance, 3);
    assert_int_equal(d->regex_class, cls);
    if (cls == CHANVAL_REGEX_POLYNOMIAL)
        assert_int_equal(d->degree, degree);
    assert_int_equal(d->budget, 100000);
    assert_true(d->steps > 100000);
    assert_non_null(d->sensor);
    assert_true(d->witness_length <= (type == 12                           ? 4096u
                                      : strcmp(field, "client_image") == 0 ? 1024u
                                                                           : 260u));
    tu_assert_message(f, 502, "backtracks catastrophically");
    tu_assert_message(f, 502, cls == CHANVAL_REGEX_EXPONENTIAL ? "(exponential)" : "(polynomial");
    tu_assert_message(f, 502, "regexMatchLimit of 100000");
    tu_assert_message(f, 502, "(and 1 other sensor)");
    /* anyone can re-measure the claim */
    assert_true(remeasure(pattern, false, d, 200000) > 100000);
    chanval_session_free(s);
}

static void cv502_exponential(void **state)
{
    (void)state;
    cv502(7, "pipe_name", "(a+)+$", CHANVAL_REGEX_EXPONENTIAL, 0);
    cv502(7, "pipe_name", "(a|a)*$", CHANVAL_REGEX_EXPONENTIAL, 0);
    cv502(7, "pipe_name", "(\\w+\\s?)*$", CHANVAL_REGEX_EXPONENTIAL, 0);
    cv502(7, "pipe_name", "^([a-zA-Z0-9]+)([._-]?[a-zA-Z0-9]+)*@example\\.com$",
          CHANVAL_REGEX_EXPONENTIAL, 0);
    /* constructs the parser once did not follow, so the regex went
     * unmeasured: a group name with a Unicode letter, and a class negated
     * after \E (which PCRE2, as Perl, skips at a class's start) */
    cv502(7, "pipe_name", "(?'X\xca\xb0'a+)+$", CHANVAL_REGEX_EXPONENTIAL, 0);
    cv502(7, "pipe_name", "([\\E^^]+)+$", CHANVAL_REGEX_EXPONENTIAL, 0);
    /* a property with a name in braces (the parser once read "\\p{L}" as
     * \\p and the characters "{L}") */
    cv502(7, "pipe_name", "(\\p{L}+)+$", CHANVAL_REGEX_EXPONENTIAL, 0);
    cv502(7, "pipe_name", "(\\pL+)+$", CHANVAL_REGEX_EXPONENTIAL, 0);
}

/* Counted repeats of groups: bounded copies with no loop, which the
 * loop-based search does not see; each must be CV502 (or CV501), never a
 * pass.  (?:a+){k}b once passed for k = 15, 50, 100. */
static void cv502_counted_repeats(void **state)
{
    (void)state;
    cv502(7, "client_image", "(?:a?){15}a{15}", CHANVAL_REGEX_EXPONENTIAL, 0);
    /* linear growth, but over the budget at maxLength: CV502 all the same */
    cv502(7, "client_image", "(?:a{1,3}){10}b", CHANVAL_REGEX_POLYNOMIAL, 1);
    /* the same: linear in the length, but 0 x 4095 costs more than the
     * budget (formats-v1 1.2: an input the sensor may pass that exhausts
     * its budget); this once passed as "linear" */
    cv502(12, "command_line", "([0-9.-]{1,2})([0-9.-]{1,2}){5}$", CHANVAL_REGEX_POLYNOMIAL, 1);
    chanval_session *s = session(fleet_same_budget);
    for (unsigned k = 2; k <= 100; k += 7) {
        char p[32];
        snprintf(p, sizeof p, "(?:a+){%u}b", k);
        const chanval_file *f = check(s, 7, "client_image", p, "");
        if (strcmp(tu_rules(f), "CV502") != 0 && strcmp(tu_rules(f), "CV501") != 0)
            fail_msg("/%s/ on client_image: %s, expected CV502 or CV501", p, tu_rules(f));
    }
    chanval_session_free(s);
}

/* CV502 with its witness re-measured over the budget, whatever the class
 * (quadratic while the wildcard's window fills, linear beyond it). */
static void cv502_proven(unsigned type, const char *field, const char *pattern)
{
    chanval_session *s = session(fleet_same_budget);
    const chanval_file *f = check(s, type, field, pattern, "");
    if (strcmp(tu_rules(f), "CV502") != 0)
        fail_msg("/%s/ on %s: %s, expected CV502", pattern, field, tu_rules(f));
    const chanval_diag *d = tu_must(f, 502);
    assert_true(d->witness_length <= 4096);
    assert_true(remeasure(pattern, false, d, 200000) > 100000);
    chanval_session_free(s);
}

/* Linear, but over the budget: no proposal of the analysis, yet each
 * start position costs tens of steps, more than the budget over a 4096-byte
 * field.  The generic attack (inputs of the pattern's own alphabet) is a
 * floor under every verdict; these once passed. */
static void cv502_linear_over_the_budget(void **state)
{
    (void)state;
    cv502(12, "command_line",
          "(?:alpha|bravo|charlie|delta|echo|foxtrot|golf|hotel|india|juliet|kilo|lima|mike|"
          "november|oscar|papa|quebec|romeo|sierra|tango|uniform|victor|whiskey|xray|yankee|"
          "zulu)[0-9]",
          CHANVAL_REGEX_POLYNOMIAL, 1);
    /* a bounded wildcard between literals, greedy and lazy: each
     * occurrence of the first literal scans up to 200 characters */
    cv502_proven(12, "command_line", "Version.{1,200}Build");
    cv502_proven(12, "command_line", "Version.{1,200}?Build");
    /* trimming: the witness needs a first character that is not a space
     * ("x" + spaces + "x"), which the attack puts before each pump */
    cv502(12, "command_line", "^\\s+|\\s+$", CHANVAL_REGEX_POLYNOMIAL, 2);
    /* a property is tried with members of several kinds: a tab is in
     * both of these (found by an independent generic attack on PCRE2's own
     * test patterns) */
    cv502(12, "command_line", "\\p{bidi class:S}+\\p{bidiclass:WS}+", CHANVAL_REGEX_POLYNOMIAL,
          2);
    /* the floor does not make linear regexes fire */
    linear("command_line", 12, "(?:alpha|bravo|charlie)[0-9]");
    /* a repeated character of several bytes ends a literal run whole (the
     * attack once cut its last byte off and failed on the broken input) */
    linear("command_line", 12, "caf\xc3\xa9+ au lait");
    linear("command_line", 12, "^C:\\\\Windows\\\\(System32|SysWOW64)\\\\svc1\\.exe$");
}

/* Bounded repeats of a wildcard after an unbounded one: CV502 on a
 * 4096-byte field (kept from regressions of the analysis). */
static void cv502_bounded_wildcards(void **state)
{
    (void)state;
    cv502(12, "command_line", "(Version)/(\\d+)\\.(\\d+)(?:\\.(\\d+)|).{0,100}Build/",
          CHANVAL_REGEX_POLYNOMIAL, 2);
    chanval_session *s = session(fleet_same_budget);
    const chanval_file *f =
        check(s, 12, "command_line", "; {0,2}(Xy) ?(\\d+(?:.){0,100}?)(?: Build|\\) Kit)", "");
    assert_rules(f, "CV502");
    assert_true(remeasure("; {0,2}(Xy) ?(\\d+(?:.){0,100}?)(?: Build|\\) Kit)", false,
                          tu_must(f, 502), 200000) > 100000);
    chanval_session_free(s);
}

/* CV503 only once proven: on the 64 bytes of remote_pipe_flags, another
 * input than the best screened one ("ba" x 31) costs more than the budget,
 * so the regex is CV502, not CV503; and a witness that cannot grow within
 * the field (70 literal characters before the loop) is no CV503 at all
 * (it was reported with a 71-byte prefix costing 0 steps). */
static void cv503_must_be_proven(void **state)
{
    (void)state;
    chanval_session *s = session(fleet_same_budget);
    const char *p = "^(?:a?b?)*$|\\d+\\s*\\d+$";
    const chanval_file *f = check(s, 7, "remote_pipe_flags", p, "");
    if (strcmp(tu_rules(f), "CV502") != 0)
        fail_msg("/%s/ on remote_pipe_flags: %s, expected CV502", p, tu_rules(f));
    const chanval_diag *d = tu_must(f, 502);
    assert_true(d->witness_length <= 64);
    assert_true(remeasure(p, false, d, 200000) > 100000);
    char q[160];
    snprintf(q, sizeof q, "%s(\\w+\\s?)*$",
             "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    f = check(s, 7, "remote_pipe_flags", q, "");
    if (strcmp(tu_rules(f), "-") != 0)
        fail_msg("/%s/ on remote_pipe_flags: %s, expected none", q, tu_rules(f));
    /* on a long field the same regex is CV502 */
    f = check(s, 12, "command_line", q, "");
    assert_rules(f, "CV502");
    chanval_session_free(s);
}

/* When the analysis runs out of its work budget and no input it measures
 * costs more than the budget, nothing is proven: CV501, with the limit
 * that ran out, never a pass. */
static void cv501_when_the_analysis_runs_out(void **state)
{
    (void)state;
    char p[1024];
    size_t n = (size_t)snprintf(p, sizeof p, "(?:[a-z]+x){0,5}(?:");
    for (unsigned i = 0; i < 100; i++)
        n += (size_t)snprintf(p + n, sizeof p - n, "%s[a-z]%u", i ? "|" : "", i);
    snprintf(p + n, sizeof p - n, ")*q");
    chanval_session *s = session(fleet_same_budget);
    const chanval_file *f = check(s, 99, "tag", p, "");
    if (strcmp(tu_rules(f), "CV501") != 0)
        fail_msg("/%s/ on tag: %s, expected CV501", p, tu_rules(f));
    const chanval_diag *d = tu_must(f, 501);
    assert_int_equal(d->severity, CHANVAL_SEV_ERROR);
    assert_int_equal(d->instance, 3);
    tu_assert_at(f, 501, doc_buf, "value=");
    tu_assert_message(f, 501, "chanval cannot prove a bound for this regex");
    tu_assert_message(f, 501, "the analysis ran out of its work budget (");
    tu_assert_message(f, 501, "NFA states)");
    tu_assert_message(f, 501, "no input of 12 bytes");
    chanval_session_free(s);
}

static void cv502_polynomial(void **state)
{
    (void)state;
    cv502(7, "pipe_name", "\\d+\\s*\\d+$", CHANVAL_REGEX_POLYNOMIAL, 2);
    cv502(12, "command_line", "a*a*$", CHANVAL_REGEX_POLYNOMIAL, 2);
    cv502(12, "command_line", ".*a.*=", CHANVAL_REGEX_POLYNOMIAL, 2);
    cv502(12, "command_line", "filename=[^\\n]*\\.exe", CHANVAL_REGEX_POLYNOMIAL, 2);
    /* the pump must end in a non-word character for \b, and the input must
     * hold the required 't' of both alternatives */
    cv502(12, "command_line", "\\bsvc0\\b.*--(silent|quiet)", CHANVAL_REGEX_POLYNOMIAL, 2);
    /* a lookahead is evaluated afresh at each start position: a loop in it
     * that runs to the end and fails costs the rest of the input each time */
    cv502(12, "command_line", "(?=.*b)\\pL", CHANVAL_REGEX_POLYNOMIAL, 2);
    cv502(12, "command_line", "(?=.*[A-Z])(?=.*[0-9])", CHANVAL_REGEX_POLYNOMIAL, 2);
    /* PCRE2 does not make a repeat possessive before a binary property */
    cv502(12, "command_line", "\\p{L&}+\\p{bidi_control}", CHANVAL_REGEX_POLYNOMIAL, 2);
}

/* An alternative anchored at the start matches, at the first start
 * position, the input every later attempt backtracks on: the witness
 * begins with a character that first attempt dies on.  ^\s+|\s+$ (the
 * trim regex) once passed, though "x" + " " x 4094 + "x" costs 8.4
 * million steps. */
static void cv502_anchored_alternatives(void **state)
{
    (void)state;
    cv502(12, "command_line", "^\\s+|\\s+$", CHANVAL_REGEX_POLYNOMIAL, 2);
    cv502(12, "command_line", "\\s+$|^\\s+", CHANVAL_REGEX_POLYNOMIAL, 2);
    cv502(12, "command_line", "(?m)^\\s+|\\s+$", CHANVAL_REGEX_POLYNOMIAL, 2);
    cv502(12, "command_line", "\\G\\s+|\\s+$", CHANVAL_REGEX_POLYNOMIAL, 2);
    cv502(12, "command_line", "^[ \\t]+|[ \\t]+$", CHANVAL_REGEX_POLYNOMIAL, 2);
    cv502(12, "command_line", "(?:^(\\s+)|(\\s+)$)", CHANVAL_REGEX_POLYNOMIAL, 2);
    cv502(12, "command_line", "^\\s+|\\s+$|,", CHANVAL_REGEX_POLYNOMIAL, 2);
    /* the witness starts with a character no first item accepts */
    chanval_session *s = session(fleet_same_budget);
    const chanval_file *f = check(s, 12, "command_line", "^\\s+|\\s+$", "");
    const chanval_diag *d = tu_must(f, 502);
    assert_int_equal(strlen(d->witness_prefix), 1);
    assert_true(strchr(" \t\n\v\f\r", d->witness_prefix[0]) == NULL);
    chanval_session_free(s);
}

/* A nullable loop body: "ab" is one iteration or two (a? then b? skipped,
 * a? skipped then b?), and the analysis once merged those paths. */
static void cv502_nullable_loop_body(void **state)
{
    (void)state;
    cv502(7, "pipe_name", "^(?:a?b?)*$", CHANVAL_REGEX_EXPONENTIAL, 0);
    cv502(7, "pipe_name", "^(?:x?y?z?)*$", CHANVAL_REGEX_EXPONENTIAL, 0);
    cv502(7, "pipe_name", "(?:\\s*,?\\s*)*$", CHANVAL_REGEX_EXPONENTIAL, 0);
}

/* A Unicode property the parser's tables do not model: the analysis
 * proves nothing, so the verdict is a measured CV502 or CV501, never a
 * pass.  \p{bidi class:S} (tab, \v, \x1f) once got the pump "a". */
static void unmodelled_properties(void **state)
{
    (void)state;
    cv502(12, "command_line", "\\p{bidi class:S}+\\p{bidiclass:WS}+", CHANVAL_REGEX_POLYNOMIAL, 2);
    chanval_session *s = session(fleet_same_budget);
    const char *p = "\\p{Devanagari}+x";
    const chanval_file *f = check(s, 12, "command_line", p, "");
    if (strcmp(tu_rules(f), "CV501") != 0 && strcmp(tu_rules(f), "CV502") != 0)
        fail_msg("/%s/ on command_line: %s, expected CV501 or CV502", p, tu_rules(f));
    if (tu_count(f, 501) == 1)
        tu_assert_message(f, 501, "Unicode property \"Devanagari\" is not one the analysis models");
    /* no repeat at all: nothing to prove */
    f = check(s, 12, "command_line", "\\p{Devanagari}", "");
    assert_string_equal(tu_rules(f), "-");
    chanval_session_free(s);
}

static void cv502_message_gives_the_witness(void **state)
{
    (void)state;
    chanval_session *s = session(fleet_same_budget);
    const chanval_file *f = check(s, 7, "pipe_name", "(a+)+$", "");
    const chanval_diag *d = tu_must(f, 502);
    char expect[128];
    snprintf(expect, sizeof expect, "\"%s\" + \"%s\" x", d->witness_prefix, d->witness_pump);
    tu_assert_message(f, 502, expect);
    snprintf(expect, sizeof expect, "(%llu bytes)", (unsigned long long)d->witness_length);
    tu_assert_message(f, 502, expect);
    tu_assert_message(f, 502, "costs more than 100000 steps");
    tu_assert_message(f, 502, "instance 3 criterion 0 (field \"pipe_name\")");
    tu_assert_text(f, 502, "possessive");
    chanval_session_free(s);
}

/* The lowest budget exceeded is the one named; a sensor that does not
 * supply the input never runs the regex. */
static void cv502_names_the_lowest_budget(void **state)
{
    (void)state;
    chanval_session *s = session(fleet_two_budgets);
    /* a*a*$ on 260 bytes costs about 68000 steps: over 50000 only */
    const chanval_file *f = check(s, 7, "pipe_name", "a*a*$", "");
    assert_rules(f, "CV502");
    const chanval_diag *d = tu_must(f, 502);
    assert_string_equal(d->sensor, "7.10.17706");
    assert_int_equal(d->budget, 50000);
    assert_true(d->steps > 50000 && d->steps <= 100000);
    tu_assert_message(f, 502, "sensor 7.10.17706's regexMatchLimit of 50000");
    assert_null(strstr(d->message, "other sensor"));
    assert_int_equal(remeasure("a*a*$", false, d, 1000000), d->steps);
    /* field 2 of type 99: only 7.11 (budget 100000) supplies it, and the
     * witness costs about 60000 steps there: within its budget */
    f = check(s, 99, "note", "\\d+\\s*\\d+$", "");
    assert_rules(f, "CV400,CV401,CV503");
    assert_int_equal(tu_must(f, 503)->budget, 100000);
    assert_true(tu_must(f, 503)->steps > 50000);
    /* a regex on an integer field: CV303 (and CV400: 7.10 has no input 3), no cost */
    f = check(s, 99, "count", "\\d+\\s*\\d+$", "");
    assert_rules(f, "CV303,CV400,CV401");
    chanval_session_free(s);
}

/* A linear regex between two sensors' budgets: the lower one is exceeded
 * (the floor counts at the lowest budget, up to the highest); it once
 * passed, its cost within the highest budget. */
static void cv502_between_two_budgets(void **state)
{
    (void)state;
    chanval_session *s = session(fleet_two_budgets);
    const char *p = "(?:alpha|bravo|charlie|delta|echo|foxtrot|golf|hotel|india|juliet)[0-9]";
    const chanval_file *f = check(s, 12, "command_line", p, "");
    assert_rules(f, "CV502");
    const chanval_diag *d = tu_must(f, 502);
    assert_string_equal(d->sensor, "7.10.17706");
    assert_int_equal(d->budget, 50000);
    assert_true(d->steps > 50000 && d->steps <= 100000);
    assert_null(strstr(d->message, "other sensor"));
    assert_int_equal(remeasure(p, false, d, 1000000), d->steps);
    chanval_session_free(s);
}

static void cv502_caseless(void **state)
{
    (void)state;
    chanval_session *s = session(fleet_same_budget);
    const chanval_file *f = check(s, 7, "pipe_name", "(A+)+$", " caseInsensitive=\"true\"");
    assert_rules(f, "CV502");
    const chanval_diag *d = tu_must(f, 502);
    assert_true(remeasure("(A+)+$", true, d, 200000) > 100000);
    /* without the flag, lowercase witnesses cannot match: the analysis
     * finds the uppercase one */
    f = check(s, 7, "pipe_name", "(A+)+$", "");
    assert_rules(f, "CV502");
    chanval_session_free(s);
}

static void cv502_in_a_channel_file(void **state)
{
    (void)state;
    /* packed without a fleet (CV502 is an error: pack would refuse) */
    tu_bin b = tu_pack_with(tu_types_xml, NULL, doc(7, 3, "pipe_name", "(\\w+\\s?)*$", ""));
    chanval_session *s = session(fleet_same_budget);
    const chanval_file *f = tu_check(s, "c.bin", b.p, b.n);
    assert_rules(f, "CV502");
    /* the criterion's string reference, as for CV500 */
    tu_assert_offset(f, 502, 144 + 16 + 4);
    const chanval_diag *d = tu_must(f, 502);
    assert_int_equal(d->criterion, 0);
    assert_true(remeasure("(\\w+\\s?)*$", false, d, 200000) > 100000);
    tu_bin_free(&b);
    chanval_session_free(s);
}

/* ---- CV503 ------------------------------------------------------------------ */

static void cv503(const char *field, const char *pattern, chanval_regex_class cls)
{
    chanval_session *s = session(fleet_same_budget);
    const chanval_file *f = check(s, 99, field, pattern, "");
    if (strcmp(tu_rules(f), "CV503") != 0)
        fail_msg("/%s/ on %s: %s, expected CV503", pattern, field, tu_rules(f));
    const chanval_diag *d = tu_must(f, 503);
    tu_assert_at(f, 503, doc_buf, "value=");
    assert_int_equal(d->severity, CHANVAL_SEV_WARNING);
    assert_int_equal(d->regex_class, cls);
    assert_true(d->steps <= 100000);
    assert_int_equal(d->budget, 100000);
    tu_assert_message(f, 503, "super-linear");
    tu_assert_message(f, 503, "within every sensor's regexMatchLimit");
    /* the reported count is exactly what the witness costs */
    assert_int_equal(remeasure(pattern, false, d, 1000000), d->steps);
    chanval_session_free(s);
}

static void cv503_within_budget(void **state)
{
    (void)state;
    cv503("tag", "(a+)+$", CHANVAL_REGEX_EXPONENTIAL);
    cv503("label", "\\d+\\s*\\d+$", CHANVAL_REGEX_POLYNOMIAL);
    cv503("label", "a*a*$", CHANVAL_REGEX_POLYNOMIAL);
    cv503("label", ".*a.*=", CHANVAL_REGEX_POLYNOMIAL);
}

/* Without a fleet there is no budget: CV503, and CV409 says so. */
static void cv503_without_a_fleet(void **state)
{
    (void)state;
    chanval_session *s = session(NULL);
    const chanval_file *f = check(s, 7, "pipe_name", "(a+)+$", "");
    assert_rules(f, "CV409,CV503");
    tu_assert_message(f, 503, "no fleet manifest");
    tu_assert_message(f, 503, "(exponential)");
    chanval_session_free(s);
}

/* ---- what must not fire ------------------------------------------------------ */

static void linear(const char *field, unsigned type, const char *pattern)
{
    chanval_session *s = session(fleet_same_budget);
    const chanval_file *f = check(s, type, field, pattern, "");
    if (strcmp(tu_rules(f), "-") != 0)
        fail_msg("/%s/ on %s: %s, expected none", pattern, field, tu_rules(f));
    chanval_session_free(s);
}

static void linear_regexes_do_not_fire(void **state)
{
    (void)state;
    linear("pipe_name", 7, "[a-z]+\\d");  /* auto-possessified */
    linear("pipe_name", 7, "^\\d{1,4}$"); /* bounded */
    linear("pipe_name", 7, "(?>a+)+$");   /* atomic */
    linear("pipe_name", 7, "a++b");       /* possessive */
    linear("pipe_name", 7, "^\\\\\\\\\\.\\\\pipe\\\\[a-f0-9]{8}$");
    linear("pipe_name", 7, "^[a-z]+$");
    linear("command_line", 12, "^\\d*\\.?\\d*$");
    linear("command_line", 12, "cmd\\.exe /c");
    linear("command_line", 12, "^(?:[a-z0-9-]+\\.)+[a-z]{2,}$");
    /* every input matches at the start (an empty match), or the repeats
     * are possessive: no restart costs more than a step or two */
    linear("command_line", 12, "^\\s*|\\s*$");
    linear("command_line", 12, "^a+|a+$");
    linear("command_line", 12, "(?:^|,)\\s+$");
}

static void not_measured_without_a_field(void **state)
{
    (void)state;
    chanval_session *s = session(fleet_same_budget);
    /* an undefined type: no maxLength, so no cost check (CV300 only) */
    const chanval_file *f =
        tu_check_str(s, "s.xml",
                     "<channel formatVersion=\"1\" id=\"5\" contentVersion=\"1\">\n"
                     "  <instance id=\"3\" typeId=\"77\" typeVersion=\"1\" action=\"detect\" "
                     "severity=\"high\">\n"
                     "    <criterion index=\"0\" op=\"regex\" value=\"(a+)+$\"/>\n"
                     "  </instance>\n"
                     "</channel>\n");
    assert_null(tu_find(f, 502));
    assert_null(tu_find(f, 503));
    /* CV501 first: a backreference is not measured */
    f = check(s, 7, "pipe_name", "(a+)+\\1$", "");
    assert_rules(f, "CV501");
    chanval_session_free(s);
}

/* ---- speed: once per (pattern, flags, maxLength, budget) --------------------- */

static void measured_once_per_pattern(void **state)
{
    (void)state;
    chanval_session *s = session(fleet_same_budget);
    char *src = malloc(1 << 20);
    assert_non_null(src);
    size_t n = (size_t)snprintf(src, 1 << 20,
                                "<channel formatVersion=\"1\" id=\"5\" contentVersion=\"1\">\n");
    for (int i = 1; i <= 1000; i++)
        n += (size_t)snprintf(src + n, (1 << 20) - n,
                              "  <instance id=\"%d\" typeId=\"7\" typeVersion=\"3\" action=\"log\" "
                              "severity=\"low\"><criterion field=\"pipe_name\" op=\"regex\" "
                              "value=\"(\\w+\\s?)*$\"/></instance>\n",
                              i);
    n += (size_t)snprintf(src + n, (1 << 20) - n, "</channel>\n");
    clock_t t0 = clock();
    const chanval_file *f = tu_check(s, "many.xml", src, n);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    assert_int_equal(tu_count(f, 502), 1000);
    /* one measurement (a few ms) for the 1000 criteria, even sanitized */
    if (secs > 5.0)
        fail_msg("1000 identical regexes took %.2f s", secs);
    free(src);
    chanval_session_free(s);
}

/* The measurements of one check run together on several threads; the
 * criteria that wait for them are reported in batches (of 4096): the
 * report must be the same whatever the number of threads, every
 * criterion reported once, in the order of the file. */
static char *many_patterns(size_t *len, int ninst)
{
    static const char *const pats[] = {
        "(\\w+\\s?)*$", "^[a-z]+\\d$", "\\d+\\s*\\d+$", "(a|a)*$", "svc[0-9]{4}",
    };
    size_t cap = (size_t)ninst * 256 + 256, n = 0;
    char *src = malloc(cap);
    assert_non_null(src);
    n += (size_t)snprintf(src + n, cap - n,
                          "<channel formatVersion=\"1\" id=\"5\" contentVersion=\"1\">\n");
    for (int i = 1; i <= ninst; i++) {
        char esc[128], pat[64];
        /* a pattern first seen in the second batch, and distinct ones */
        if (i > 4500 && i % 100 == 0)
            snprintf(pat, sizeof pat, "x%d(a+)+$", i);
        else
            snprintf(pat, sizeof pat, "%s", pats[i % 5]);
        escape(esc, sizeof esc, pat);
        n += (size_t)snprintf(src + n, cap - n,
                              "  <instance id=\"%d\" typeId=\"7\" typeVersion=\"3\" action=\"log\" "
                              "severity=\"low\"><criterion field=\"pipe_name\" op=\"regex\" "
                              "value=\"%s\"/></instance>\n",
                              i, esc);
    }
    n += (size_t)snprintf(src + n, cap - n, "</channel>\n");
    *len = n;
    return src;
}

static void reports_do_not_depend_on_threads(void **state)
{
    (void)state;
    enum { N = 5000 };
    size_t n = 0;
    char *src = many_patterns(&n, N);
    const chanval_file *f[2];
    chanval_session *s[2];
    for (int k = 0; k < 2; k++) {
        s[k] = session(fleet_same_budget);
        assert_int_equal(chanval_set_limit(s[k], CHANVAL_LIMIT_DIAGNOSTICS, 100000), CHANVAL_OK);
        chanval_set_threads(s[k], k == 0 ? 1 : 4);
        f[k] = tu_check(s[k], "many.xml", src, n);
    }
    /* three super-linear patterns of every five, and each x...(a+)+$ */
    size_t want = 0;
    for (int i = 1; i <= N; i++)
        want += (i > 4500 && i % 100 == 0) || i % 5 == 0 || i % 5 == 2 || i % 5 == 3;
    assert_int_equal(tu_count(f[0], 502), want);
    size_t nd = chanval_file_diag_count(f[0]);
    assert_int_equal(chanval_file_diag_count(f[1]), nd);
    uint32_t last = 0;
    for (size_t i = 0; i < nd; i++) {
        const chanval_diag *a = chanval_file_diag(f[0], i), *b = chanval_file_diag(f[1], i);
        assert_int_equal(a->rule, b->rule);
        assert_int_equal(a->line, b->line);
        assert_int_equal(a->column, b->column);
        assert_string_equal(a->message, b->message);
        assert_int_equal(a->steps, b->steps);
        if (a->rule == 502) {
            assert_true(a->has_instance);
            assert_true(a->instance > last); /* once each, in file order */
            assert_int_equal(a->line, a->instance + 1);
            last = a->instance;
        }
    }
    for (int k = 0; k < 2; k++)
        chanval_session_free(s[k]);
    free(src);
}

/* A budget above what chanval counts (10,000,000 steps): a count stopped
 * at that cap is no proof of staying within it, so the regex is CV502, not
 * CV503 "within every budget"; a regex that stays under the cap is still
 * within it. */
static void budget_above_the_cap(void **state)
{
    (void)state;
    static const char fleet_huge[] =
        "<fleet formatVersion=\"1\">\n"
        "  <sensor version=\"9.0.0\" maxChannelBytes=\"16777216\" maxInstances=\"100000\""
        " maxRegexLength=\"1024\" regexMatchLimit=\"4000000000\">\n"
        "    <supports typeId=\"12\" typeVersion=\"1\" inputs=\"8\"/>\n"
        "  </sensor>\n"
        "</fleet>\n";
    chanval_session *s = session(fleet_huge);
    const chanval_file *f = check(s, 12, "command_line", "(a+)+$", "");
    assert_rules(f, "CV502");
    const chanval_diag *d = tu_must(f, 502);
    assert_int_equal(d->budget, 4000000000u);
    assert_int_equal(d->steps, 10000001u);
    tu_assert_message(f, 502, "more than 10000000 steps, where chanval stops counting");
    tu_assert_message(f, 502, "regexMatchLimit of 4000000000 is higher");
    f = check(s, 12, "user", "a*a*$", "");
    assert_rules(f, "CV503");
    tu_assert_message(f, 503, "within every sensor's regexMatchLimit (the lowest is 4000000000)");
    chanval_session_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(cv502_exponential),
        cmocka_unit_test(cv502_polynomial),
        cmocka_unit_test(cv502_counted_repeats),
        cmocka_unit_test(cv502_linear_over_the_budget),
        cmocka_unit_test(cv502_bounded_wildcards),
        cmocka_unit_test(cv503_must_be_proven),
        cmocka_unit_test(cv501_when_the_analysis_runs_out),
        cmocka_unit_test(cv502_anchored_alternatives),
        cmocka_unit_test(cv502_nullable_loop_body),
        cmocka_unit_test(unmodelled_properties),
        cmocka_unit_test(cv502_message_gives_the_witness),
        cmocka_unit_test(cv502_names_the_lowest_budget),
        cmocka_unit_test(cv502_between_two_budgets),
        cmocka_unit_test(cv502_caseless),
        cmocka_unit_test(cv502_in_a_channel_file),
        cmocka_unit_test(cv503_within_budget),
        cmocka_unit_test(cv503_without_a_fleet),
        cmocka_unit_test(linear_regexes_do_not_fire),
        cmocka_unit_test(not_measured_without_a_field),
        cmocka_unit_test(measured_once_per_pattern),
        cmocka_unit_test(reports_do_not_depend_on_threads),
        cmocka_unit_test(budget_above_the_cap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
