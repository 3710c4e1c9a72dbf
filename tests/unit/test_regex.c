/* test_regex.c - regex criteria: CV500 (PCRE2 rejects it), CV501 (a
 * construct the interpreter does not support, and the look-alikes that are
 * not one), CV504 (empty pattern), in sources and channel files. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

/* Regexes go on type 12 field 1, command_line (a 4096-byte string); the
 * packed file has one instance whose criterion 1 is at 144 + 16 + 20. */
enum { CRIT1 = 144 + 16 + 20 };

static chanval_session *S;
static tu_bin B;

static int setup(void **state)
{
    (void)state;
    S = tu_session(tu_types_xml, tu_healthy_fleet_xml);
    B = (tu_bin){0};
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    chanval_session_free(S);
    S = NULL;
    tu_bin_free(&B);
    return 0;
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
        case '\n': e = "&#10;"; break;
        case '\t': e = "&#9;"; break;
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

static char doc_buf[4096];

static const char *doc(const char *op, const char *pattern, const char *extra)
{
    char v[2048];
    escape(v, sizeof v, pattern);
    snprintf(doc_buf, sizeof doc_buf,
             "<channel formatVersion=\"1\" id=\"5\" contentVersion=\"1\">\n"
             "  <instance id=\"3\" typeId=\"12\" typeVersion=\"1\" action=\"detect\" severity=\"high\">\n"
             "    <criterion field=\"command_line\" op=\"%s\" value=\"%s\"%s/>\n"
             "  </instance>\n"
             "</channel>\n",
             op, v, extra);
    return doc_buf;
}

static const chanval_file *src_regex(const char *pattern, const char *extra)
{
    return tu_check_str(S, "s.xml", doc("regex", pattern, extra));
}

/* A channel file with the pattern as a regex criterion: packed as an
 * equals (which pack accepts whatever the bytes), then the op changed. */
static tu_bin bin_regex(const char *pattern, uint8_t flags)
{
    tu_bin b = tu_pack_with(tu_types_xml, NULL, doc("equals", pattern, ""));
    assert_int_equal(tu_get(&b, CRIT1, 1), 1);
    tu_put(&b, CRIT1, 2, 1);
    tu_put(&b, CRIT1 + 1, flags, 1);
    tu_reseal(&b);
    return b;
}

static const chanval_file *bin(const tu_bin *b)
{
    return tu_check(S, "c.bin", b->p, b->n);
}

/* Both forms give exactly `rules`, the first `rule` at the value. */
static void both(const char *pattern, const char *rules, unsigned rule)
{
    const chanval_file *f = src_regex(pattern, "");
    if (strcmp(tu_rules(f), rules) != 0)
        fail_msg("source /%s/: %s, expected %s", pattern, tu_rules(f), rules);
    if (rule) {
        tu_assert_at(f, rule, doc_buf, "value=");
        assert_int_equal(tu_must(f, rule)->criterion, 1);
        assert_int_equal(tu_must(f, rule)->instance, 3);
    }
    tu_bin b = bin_regex(pattern, 0);
    f = bin(&b);
    tu_bin_free(&b);
    if (strcmp(tu_rules(f), rules) != 0)
        fail_msg("file /%s/: %s, expected %s", pattern, tu_rules(f), rules);
    if (rule)
        tu_assert_offset(f, rule, CRIT1 + 4);
}

static void valid_regexes(void **state)
{
    (void)state;
    both("^cmd\\.exe /c", "-", 0);
    both("[a-f0-9]{8}", "-", 0);
    both("\\x{263A}|\xe2\x98\xba", "-", 0);
    assert_rules(src_regex("ABC", " caseInsensitive=\"true\""), "-");
}

/* ---- CV500 ----------------------------------------------------------------- */

/* PCRE2's verdict, as the sensor compiles: UTF, caseless when flagged. */
static bool pcre2_error(const char *pattern, bool caseless, char *msg, size_t n, size_t *offset)
{
    int code = 0;
    PCRE2_SIZE off = 0;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, strlen(pattern),
                                   PCRE2_UTF | PCRE2_AUTO_CALLOUT |
                                       (caseless ? PCRE2_CASELESS : 0),
                                   &code, &off, NULL);
    if (re) {
        pcre2_code_free(re);
        return false;
    }
    pcre2_get_error_message(code, (PCRE2_UCHAR *)msg, n);
    *offset = (size_t)off;
    return true;
}

static void cv500_one(const char *pattern)
{
    char msg[256], at[64];
    size_t off = 0;
    assert_true(pcre2_error(pattern, false, msg, sizeof msg, &off));
    snprintf(at, sizeof at, "offset %zu", off);
    both(pattern, "CV500", 500);
    const chanval_file *f = src_regex(pattern, "");
    tu_assert_message(f, 500, msg);
    tu_assert_message(f, 500, at);
    tu_assert_severity(f, 500, CHANVAL_SEV_ERROR);
}

static void cv500_syntax_errors(void **state)
{
    (void)state;
    cv500_one("a(b");
    cv500_one("abc[a-");
    cv500_one("*a");
    cv500_one("a{2,1}");
    cv500_one("ab)c");
    cv500_one("\\p{NoSuchProperty}");
    cv500_one("(?<n>a)(?<n>b)");
    cv500_one("x(?");
    /* an empty argument is no argument, which (*MARK) must have */
    cv500_one("a(*MARK:)b");
    cv500_one("a(*:)b");
    /* "[\\E^]" is a negated class whose first character is ']' */
    cv500_one("[\\E^]a");
    cv500_one("[\\Q\\E^]a");
    /* PCRE2 stops a name at the first non-letter, by Unicode's tables */
    cv500_one("(?<\xd9\xa0x>a)"); /* U+0660, a digit, cannot start a name */
    cv500_one("(?|(?<a>A)|(?<b>B))");
}

/* The sensor compiles with PCRE2_AUTO_CALLOUT, which makes every item
 * larger: this pattern compiles without the callouts and not with them. */
static void cv500_too_large_with_callouts(void **state)
{
    (void)state;
    const char *pattern = "X?(R||){3335}";
    int code = 0;
    PCRE2_SIZE off = 0;
    pcre2_code *re =
        pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, PCRE2_UTF, &code, &off, NULL);
    assert_non_null(re); /* without the callouts */
    pcre2_code_free(re);
    cv500_one(pattern);
    const chanval_file *f = src_regex(pattern, "");
    tu_assert_message(f, 500, "regular expression is too large");
    tu_assert_message(f, 500, "PCRE2_AUTO_CALLOUT");
}

static void cv500_not_cv501_when_it_does_not_compile(void **state)
{
    (void)state;
    /* unsupported constructs PCRE2 itself rejects: CV500 only */
    cv500_one("(?<=a+)b"); /* variable-length lookbehind */
    cv500_one("\\1");      /* reference to a group that does not exist */
    cv500_one("a\\8");
    cv500_one("(?&nope)");
    cv500_one("[\\C]");
}

static void cv500_caseless_flag_in_the_file(void **state)
{
    (void)state;
    /* the same broken pattern, flagged case-insensitive */
    B = bin_regex("a(b", 1);
    const chanval_file *f = bin(&B);
    assert_rules(f, "CV500");
    tu_assert_offset(f, 500, CRIT1 + 4);
    tu_bin_free(&B);
    B = bin_regex("(?i)abc", 1);
    assert_rules(bin(&B), "-");
}

/* ---- CV501 ----------------------------------------------------------------- */

static void cv501(const char *pattern)
{
    char msg[256];
    size_t off;
    if (pcre2_error(pattern, false, msg, sizeof msg, &off))
        fail_msg("test pattern /%s/ does not compile: %s", pattern, msg);
    both(pattern, "CV501", 501);
}

static void cv501_backreferences(void **state)
{
    (void)state;
    cv501("(a)\\1");
    cv501("(a)(b)(c)\\3");
    cv501("(?<n>a)\\k<n>");
    cv501("(?<n>a)\\k'n'");
    cv501("(?<n>a)\\k{n}");
    cv501("(a)\\g1");
    cv501("(a)\\g{1}");
    cv501("(a)\\g{-1}");
    cv501("(a)\\g-1");
    cv501("(?<n>a)\\g{n}");
    cv501("(?P<n>a)(?P=n)");
    cv501("(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)\\10");
}

static void cv501_lookbehind(void **state)
{
    (void)state;
    cv501("(?<=a)b");
    cv501("(?<!a)b");
    cv501("x(?<=ab|cd)y");
    cv501("(*plb:a)b");
    cv501("(*positive_lookbehind:a)b");
    cv501("(*nlb:a)b");
}

static void cv501_recursion_and_subroutines(void **state)
{
    (void)state;
    cv501("a(?R)?b");
    cv501("(a)(?1)");
    cv501("(a)(?-1)");
    cv501("(?+1)(a)");
    cv501("(?<n>a)(?&n)");
    cv501("(?P<n>a)(?P>n)");
    cv501("(?<n>a)\\g<n>");
    cv501("(a)\\g'1'");
    cv501("(a)\\g<-1>");
}

static void cv501_conditionals_and_callouts(void **state)
{
    (void)state;
    cv501("(a)(?(1)b|c)");
    cv501("(?(?=a)ab|cd)");
    cv501("(?<n>a)(?(<n>)b|c)");
    cv501("(?(R)a|b)");
    cv501("(?(DEFINE)(?<d>a))b");
    cv501("(?C1)a");
    cv501("a(?C)b");
    cv501("(?C\"text\")a");
}

static void cv501_single_code_unit_and_verbs(void **state)
{
    (void)state;
    cv501("a\\Cb");
    cv501("a(*ACCEPT)b");
    cv501("a(*FAIL)|b");
    cv501("a(*F)|b");
    cv501("a+(*COMMIT)b");
    cv501("a(*PRUNE)b");
    cv501("a(*SKIP)b");
    cv501("a(*THEN)b|c");
    cv501("a(*MARK:x)b");
    cv501("a(*:x)b");
    cv501("a(*PRUNE:)b"); /* an empty argument is allowed but for (*MARK) */
    cv501("a+(*SKIP:)b");
    cv501("a(*THEN:)b|c");
}

static void cv501_pattern_start_items(void **state)
{
    (void)state;
    cv501("(*LIMIT_MATCH=10)a");
    cv501("(*LIMIT_DEPTH=10)a");
    cv501("(*LIMIT_HEAP=10)a");
    cv501("(*UTF)a");
    cv501("(*UCP)\\w");
    cv501("(*NO_START_OPT)a");
    cv501("(*NO_AUTO_POSSESS)a+b");
    cv501("(*CRLF)a$");
    cv501("(*NOTEMPTY)a?");
}

static void cv501_after_tricky_lexing(void **state)
{
    (void)state;
    /* the lexer must not lose its place before the real construct */
    cv501("[(](?<=a)");
    cv501("[]](?<=a)");
    cv501("[^]](?<=a)");
    cv501("[[:alpha:]](?<=a)");
    cv501("\\Qab\\E(?<=a)");
    cv501("(?#c)(?<=a)");
    cv501("\\x{41}(?<=a)");
    cv501("(?x)[#](?<=a)");       /* # in a class is no comment */
    cv501("(?x)\\#(?<=a)");       /* nor is an escaped one */
    cv501("(?x)(?-x)# (?<=a)");   /* extended mode switched off again */
    cv501("((?x)# c\n)(?<=a)");   /* (?x) ends with its group */
    cv501("(?x: # c\n)(?<=a)");
    cv501("(?i)(a)\\1");
    cv501("(?x) ( a ) \\1");
}

static void cv501_case_insensitive_too(void **state)
{
    (void)state;
    const chanval_file *f = src_regex("(a)\\1", " caseInsensitive=\"true\"");
    assert_rules(f, "CV501");
    tu_assert_at(f, 501, doc_buf, "value=");
    B = bin_regex("(?<=a)b", 1);
    f = bin(&B);
    assert_rules(f, "CV501");
    tu_assert_offset(f, 501, CRIT1 + 4);
}

/* ---- look-alikes that must not fire ------------------------------------- */

static void not_cv501(const char *pattern)
{
    char msg[256];
    size_t off;
    if (pcre2_error(pattern, false, msg, sizeof msg, &off))
        fail_msg("test pattern /%s/ does not compile: %s", pattern, msg);
    both(pattern, "-", 0);
}

static void cv501_inline_options_are_allowed(void **state)
{
    (void)state;
    not_cv501("(?i)abc");
    not_cv501("(?i:abc)d");
    not_cv501("a(?-i)b");
    not_cv501("(?s)a.b");
    not_cv501("(?m)^a$");
    not_cv501("(?x)a b c");
    not_cv501("(?n)(a)b");
    not_cv501("(?U)a+");
    not_cv501("(?J)(?<n>a)|(?<n>b)");
    not_cv501("(?^)a");
    not_cv501("(?xx)[a b]");
}

static void cv501_other_groups_are_allowed(void **state)
{
    (void)state;
    not_cv501("(?:ab)+");
    not_cv501("(?>a+)b");
    not_cv501("a(?=b)");
    not_cv501("a(?!b)");
    not_cv501("(?|(a)|(b))");
    not_cv501("(?<name>a)b");
    not_cv501("(?'name'a)b");
    not_cv501("(?P<name>a)b");
    /* names with Unicode letters: modifier, titlecase, other (U+02B0,
     * U+1F88, U+11805) */
    not_cv501("(?'X\xca\xb0" "ABC'a)b");
    not_cv501("(?<X\xe1\xbe\x88>a)b");
    not_cv501("(?P<\xf0\x91\xa0\x85n>a)b");
    not_cv501("[\\E^a]b");
    not_cv501("[\\Q\\E^a]b");
    not_cv501("(?xx)[ ^a]b");
    not_cv501("a++b*+c?+");
    not_cv501("\\d{2,4}\\s*\\w+$");
}

static void cv501_octal_and_escapes_are_not_backreferences(void **state)
{
    (void)state;
    not_cv501("[\\1]");          /* octal inside a class */
    not_cv501("[\\1-\\7]");
    not_cv501("a\\0b");          /* octal NUL escape */
    not_cv501("a\\012b");
    not_cv501("a\\o{101}");
    not_cv501("\\\\1");          /* an escaped backslash, then "1" */
    not_cv501("\\\\k<n>");
    not_cv501("\\cA\\x{41}\\N{U+41}\\p{L}");
}

/* PCRE2 reads \NN (NN >= 10) as an octal escape when the pattern has
 * fewer than NN groups: no backreference (PCRE2_INFO_BACKREFMAX is 0). */
static void cv501_octal_escape_above_9_is_not_a_backreference(void **state)
{
    (void)state;
    not_cv501("a\\12b");
    not_cv501("(a)\\11");
    not_cv501("a\\101");
}

static void cv501_quoted_commented_or_escaped(void **state)
{
    (void)state;
    not_cv501("\\Q(?<=\\E");
    not_cv501("\\Q(a)\\1(*ACCEPT)\\E");
    not_cv501("[\\Q(?<=\\E]");
    not_cv501("(?#(?<=)a");
    not_cv501("(?#\\1 (?R)a");
    not_cv501("(?x)a # (?<=b)\nc");
    not_cv501("(?x)a # \\1 (*ACCEPT)\n");
    not_cv501("\\(?<=a\\)");
    not_cv501("\\(\\*ACCEPT\\)");
    not_cv501("[(?<=]");
    not_cv501("[(*ACCEPT)]");
    not_cv501("[(?R)]");
    not_cv501("[\\\\C]");
    not_cv501("\\\\C");
}

/* ---- CV504 ----------------------------------------------------------------- */

static void cv504_empty_regex(void **state)
{
    (void)state;
    const chanval_file *f = src_regex("", "");
    assert_rules(f, "CV504");
    tu_assert_at(f, 504, doc_buf, "value=");
    tu_assert_severity(f, 504, CHANVAL_SEV_WARNING);
    assert_int_equal(chanval_exit_code(S), 0);
    f = src_regex("", " caseInsensitive=\"true\"");
    assert_rules(f, "CV504");
    /* via valueHex="" too */
    static const char hex[] = "<channel formatVersion=\"1\" id=\"5\" contentVersion=\"1\">\n"
        "  <instance id=\"3\" typeId=\"12\" typeVersion=\"1\" action=\"detect\" severity=\"high\">\n"
        "    <criterion field=\"command_line\" op=\"regex\" valueHex=\"\"/>\n"
        "  </instance>\n</channel>\n";
    f = tu_check_str(S, "s.xml", hex);
    assert_rules(f, "CV504");
    tu_assert_at(f, 504, hex, "valueHex=");
    /* the packed file */
    B = tu_pack_with(tu_types_xml, tu_healthy_fleet_xml, doc("regex", "", ""));
    f = bin(&B);
    assert_rules(f, "CV504");
    tu_assert_offset(f, 504, CRIT1 + 4);
    tu_assert_severity(f, 504, CHANVAL_SEV_WARNING);
    assert_int_equal(tu_get(&B, CRIT1 + 8, 4), 0);
}

static void cv504_not_for_equals_or_nonempty(void **state)
{
    (void)state;
    assert_rules(tu_check_str(S, "s.xml", doc("equals", "", "")), "-");
    B = bin_regex("", 0);
    const chanval_file *f = bin(&B);
    assert_rules(f, "CV504");
    tu_put(&B, CRIT1, 1, 1);
    tu_reseal(&B);
    assert_rules(bin(&B), "-");
    assert_rules(src_regex(" ", ""), "-");
    assert_rules(src_regex("(?:)", ""), "-");
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(valid_regexes),
        T(cv500_syntax_errors),
        T(cv500_too_large_with_callouts),
        T(cv500_not_cv501_when_it_does_not_compile),
        T(cv500_caseless_flag_in_the_file),
        T(cv501_backreferences),
        T(cv501_lookbehind),
        T(cv501_recursion_and_subroutines),
        T(cv501_conditionals_and_callouts),
        T(cv501_single_code_unit_and_verbs),
        T(cv501_pattern_start_items),
        T(cv501_after_tricky_lexing),
        T(cv501_case_insensitive_too),
        T(cv501_inline_options_are_allowed),
        T(cv501_other_groups_are_allowed),
        T(cv501_octal_and_escapes_are_not_backreferences),
        T(cv501_octal_escape_above_9_is_not_a_backreference),
        T(cv501_quoted_commented_or_escaped),
        T(cv504_empty_regex),
        T(cv504_not_for_equals_or_nonempty),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
