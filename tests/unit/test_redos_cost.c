/* test_redos_cost.c - what the measurement of CV502/CV503 itself costs:
 * a count never goes past its cap, and a regex over the budget costs about
 * one budget of steps (the count that proves it), not several. */
#include "testutil.h"

#include "regex/redos.h"
#include "regex/cache.h"

#include <stdio.h>
#include <string.h>

/* rx_parse, rx_analyse and rx_measure of p on a field of max_length bytes
 * with a budget of cap steps. */
static void measure(const char *p, uint32_t max_length, uint64_t cap, rx_verdict *v)
{
    rx_ast a;
    rx_plan plan = {0};
    assert_int_equal(rx_parse(&a, (const uint8_t *)p, strlen(p), false), RX_OK);
    assert_int_equal(rx_analyse(&a, &plan), 0);
    assert_int_equal(
        rx_measure((const uint8_t *)p, strlen(p), false, &plan, max_length, cap, cap, NULL, v), 0);
    rx_plan_free(&plan);
    rx_ast_free(&a);
}

static void a_count_stops_one_past_its_cap(void **state)
{
    (void)state;
    rx_meter m;
    static const char p[] = "(a+)+$";
    assert_int_equal(rx_meter_open(&m, (const uint8_t *)p, strlen(p), false, NULL), 0);
    uint8_t in[41];
    memset(in, 'a', 40);
    in[40] = '!';
    static const uint64_t caps[] = {0, 1, 999, 100000};
    for (size_t i = 0; i < sizeof caps / sizeof *caps; i++)
        assert_int_equal(rx_meter_run(&m, in, sizeof in, caps[i]), (int64_t)caps[i] + 1);
    /* under the cap: the exact count, the same every time */
    int64_t small = rx_meter_run(&m, in + 36, 5, 100000);
    assert_true(small > 0 && small < 1000);
    assert_int_equal(rx_meter_run(&m, in + 36, 5, (uint64_t)small), small);
    assert_int_equal(rx_meter_run(&m, in + 36, 5, (uint64_t)small - 1), small);
    rx_meter_close(&m);
}

/* Each regex over the budget at 4096 bytes costs less than two budgets in
 * all (the count at maxLength that proves it is one), and keeps its class:
 * the class of a regex already over the budget is named from small counts.
 * Before, the growth was measured with counts of up to a budget each first:
 * 200,000 to 1,000,000 steps. */
static void cv502_costs_about_one_budget(void **state)
{
    (void)state;
    static const struct {
        const char *p;
        int cls;
        uint32_t degree;
    } t[] = {
        {"(a+)+$", RX_EXPONENTIAL, 0},       {"(a|a)*$", RX_EXPONENTIAL, 0},
        {"(\\w+\\s?)*$", RX_EXPONENTIAL, 0}, {"^(\\w+\\s?)*$", RX_EXPONENTIAL, 0},
        {"(x+x+)+y", RX_EXPONENTIAL, 0},     {"a*a*$", RX_POLYNOMIAL, 2},
        {"\\d+\\s*\\d+$", RX_POLYNOMIAL, 2}, {".*a.*a.*a.*!", RX_POLYNOMIAL, 3},
    };
    const uint64_t cap = 100000;
    for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
        rx_verdict v;
        measure(t[i].p, 4096, cap, &v);
        if (!v.capped || v.steps != cap + 1 || v.cls != t[i].cls || v.degree != t[i].degree ||
            v.spent > 2 * cap)
            fail_msg("/%s/: capped %d, steps %llu, class %d degree %u, spent %llu", t[i].p,
                     v.capped, (unsigned long long)v.steps, v.cls, v.degree,
                     (unsigned long long)v.spent);
        rx_verdict_free(&v);
    }
}

/* Within the budget the class decides between CV503 and nothing, and is
 * measured as before, with counts of up to the growth cap. */
static void cv503_class_unchanged(void **state)
{
    (void)state;
    rx_verdict v;
    measure("a*a*$", 200, 100000, &v);
    assert_false(v.capped);
    assert_int_equal(v.cls, RX_POLYNOMIAL);
    assert_int_equal(v.degree, 2);
    assert_true(v.steps > 0 && v.steps <= 100000);
    rx_verdict_free(&v);
    measure("(a+)+$", 12, 100000, &v);
    assert_false(v.capped);
    assert_int_equal(v.cls, RX_EXPONENTIAL);
    rx_verdict_free(&v);
}

/* The witness of v re-counted at its length: over the budget. */
static void remeasured_over(const char *p, const rx_verdict *v, uint64_t cap)
{
    rx_meter m;
    assert_int_equal(rx_meter_open(&m, (const uint8_t *)p, strlen(p), false, NULL), 0);
    static uint8_t buf[8192];
    size_t len = rx_witness_build(&v->w, (size_t)v->length, buf);
    assert_int_equal(len, v->length);
    assert_true(rx_meter_run(&m, buf, len, cap) > (int64_t)cap);
    rx_meter_close(&m);
}

/* p on a field of max_length bytes: CV502, its witness over the budget. */
static void assert_over(const char *p, uint32_t max_length)
{
    rx_verdict v;
    measure(p, max_length, 100000, &v);
    assert_true(v.capped);
    remeasured_over(p, &v, 100000);
    rx_verdict_free(&v);
}

/* The generic attack pairs each costly character with a separator, so
 * that every occurrence is a new start (a word list between \b on
 * "a a a ..."), and counts the matching pumps at every length past the
 * shortest match ((?:a?){k}a{k} blows up on a few more than k a's, not on
 * a full field, where it matches at once), and lines of a few pumps each.
 * Each was passed before. */
static void attack_separators_and_short_lengths(void **state)
{
    (void)state;
    assert_over("(?:a?){20}a{20}", 40);
    assert_over("(?:a?){70}a{70}", 4096);
    static char p[4096];
    size_t n = (size_t)snprintf(p, sizeof p, "\\b(?:");
    for (int i = 0; i < 300; i++)
        n += (size_t)snprintf(p + n, sizeof p - n, "%s%c%cx", i ? "|" : "", 'a' + i % 26,
                              'a' + (i / 26) % 26);
    snprintf(p + n, sizeof p - n, ")\\b");
    assert_over(p, 4096);
    /* a match that needs more of a pump than one line holds: fourteen \+
     * joined by .*, on "+a" x 13 and a line break, repeated */
    static const char plus[] =
        "\\+.*\\+.*\\+.*\\+.*\\+.*\\+.*\\+.*\\+.*\\+.*\\+.*\\+.*\\+.*\\+.*\\+";
    assert_over(plus, 4096);
}

/* The analysis proposes the right witness but the screening's allowance
 * runs out before it (and its growth on short inputs is not steep): every
 * proposal is still counted at maxLength before a pass. */
static void proposals_counted_at_max_length(void **state)
{
    (void)state;
    static const char p[] = "(CPU[ +]OS|iPhone[ +]OS|CPU[ +]iPhone)[ +]+(\\d+)[_\\.](\\d+)"
                            "(?:[_\\.](\\d+)|).{0,100}Outlook-iOS-Android";
    assert_over(p, 4096);
}

/* A long alternation behind a literal prefix: only a near-match of the
 * pattern's first path, repeated, makes every occurrence try the list
 * (the attack cuts the pattern's skeleton short). */
static void skeleton_cut_short(void **state)
{
    (void)state;
    static const char p[] = "Android 4\\..{0,200}; {0,2}(M[12356789]|U[12368]|S[123])\\ ?(pro)?"
                            "(?: Build|\\) AppleWebKit)";
    assert_over(p, 4096);
}

/* A near-match of the pattern's start that fails just past it, repeated:
 * every occurrence is a new start that tries the rest.  The skeleton is
 * cut at each of its lengths, alone and followed by a character the
 * pattern does not name (each was passed before). */
static void skeleton_cut_with_separator(void **state)
{
    (void)state;
    /* a literal whose first alternative scans 200 bytes lazily: "ab(" x
     * 1365 (a space or "-" would let [a-z0-9]+ match the next "ab") */
    assert_over("(?:ab.{0,200}?CD|ab)[- ]*[a-z0-9]+", 4096);
    /* a timestamp of digits: "1101012000(" repeated, digits that fit no
     * split into its fields, each start position trying every split (a
     * longer run of digits would match at once) */
    assert_over("(?>\\d\\d){1,2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01]|[1-9])"
                "(?:2[0-3]|[01]?[0-9])[0-5][0-9](?:[0-5]?[0-9]|60)(?:[0-5]?[0-9]|60)",
                4096);
}

/* A near-match cut far from the end of a long skeleton, its own start the
 * separator: "11-01-01T20" repeated fails at every "20" + "11" where the
 * colon is due (the last twelve cuts of the skeleton were tried before,
 * not this one). */
static void skeleton_cut_far_from_its_end(void **state)
{
    (void)state;
    static const char p[] =
        "(?>\\d\\d){1,2}-(?:0?[1-9]|1[0-2])-(?:0?[1-9]|[12][0-9]|3[01])[T ]"
        "(?:2[0-3]|[01]?[0-9]):?[0-5]?[0-9](?::?(?:[0-5]?[0-9]|60)(?:[:.,][0-9]+)?)?"
        "(?:Z|[+-](?:2[0-3]|[01]?[0-9])(?::?[0-5][0-9]))? elb=(\\S+) client=(\\S+):";
    assert_over(p, 4096);
}

/* A witness cut to a length inside a character of several bytes keeps
 * only whole characters (it once kept a lead byte alone, and the count
 * failed as an invalid subject, reported as out of memory). */
static void witness_cut_between_characters(void **state)
{
    (void)state;
    rx_witness w = {.prefix = "\xc4\x80",
                    .nprefix = 2,
                    .pump = "\xc4\x80",
                    .npump = 2,
                    .suffix = "\xc4\x80X",
                    .nsuffix = 3};
    uint8_t buf[8];
    memset(buf, 0xff, sizeof buf);
    assert_int_equal(rx_witness_build(&w, 3, buf), 2);
    assert_memory_equal(buf, "\xc4\x80", 2);
    assert_int_equal(rx_witness_build(&w, 1, buf), 0);
    rx_verdict v;
    measure("\\x{100}+X", 4096, 100000, &v);
    assert_false(v.capped);
    rx_verdict_free(&v);
}

/* A new regex is planned by the queue's threads with the measurements, not
 * when it is queued: its first verdict waits for cv_regex_run_queue, linear
 * or not; a regex planned linear is still measured for another field (the
 * generic attack is a floor under every verdict: a linear regex can be over
 * a budget at some maxLength).  The verdicts are the same on one thread
 * and on four. */
static void planned_on_the_queue(void **state)
{
    (void)state;
    static const char *const p[] = {"abc", "(a+)+$", "x[0-9]+y", "a*a*$"};
    const rx_verdict *v[2][4];
    cv_regex_cache *ss[2];
    for (unsigned run = 0; run < 2; run++) {
        cv_regex_cache *s = ss[run] = cv_regex_cache_new();
        assert_non_null(s);
        for (size_t i = 0; i < 4; i++) {
            cv_regex_info *ri = cv_regex_lookup(s, (const uint8_t *)p[i], strlen(p[i]), false);
            assert_non_null(ri);
            bool queued = false;
            v[run][i] = cv_regex_cost_queue(s, ri, 4096, 100000, 100000, &queued);
            assert_non_null(v[run][i]);
            assert_true(queued);
        }
        assert_int_equal(cv_regex_run_queue(s, run ? 4 : 1), 0);
        assert_int_equal(v[run][0]->cls, RX_LINEAR);
        assert_int_equal(v[run][2]->cls, RX_LINEAR);
        assert_true(v[run][1]->capped && v[run][1]->cls == RX_EXPONENTIAL);
        assert_true(v[run][3]->capped && v[run][3]->cls == RX_POLYNOMIAL);
        if (run) {
            for (size_t i = 0; i < 4; i++) {
                assert_int_equal(v[0][i]->cls, v[1][i]->cls);
                assert_int_equal(v[0][i]->degree, v[1][i]->degree);
                assert_int_equal(v[0][i]->steps, v[1][i]->steps);
                assert_int_equal(v[0][i]->length, v[1][i]->length);
            }
        }
        /* planned linear: another field is measured all the same */
        cv_regex_info *ri = cv_regex_lookup(s, (const uint8_t *)"abc", 3, false);
        bool queued = false;
        const rx_verdict *w = cv_regex_cost_queue(s, ri, 100, 1000, 1000, &queued);
        assert_non_null(w);
        assert_true(queued);
        assert_int_equal(cv_regex_run_queue(s, run ? 4 : 1), 0);
        assert_int_equal(w->cls, RX_LINEAR);
        assert_false(w->unproven);
    }
    cv_regex_cache_free(ss[0]);
    cv_regex_cache_free(ss[1]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_count_stops_one_past_its_cap),
        cmocka_unit_test(cv502_costs_about_one_budget),
        cmocka_unit_test(cv503_class_unchanged),
        cmocka_unit_test(planned_on_the_queue),
        cmocka_unit_test(attack_separators_and_short_lengths),
        cmocka_unit_test(witness_cut_between_characters),
        cmocka_unit_test(proposals_counted_at_max_length),
        cmocka_unit_test(skeleton_cut_short),
        cmocka_unit_test(skeleton_cut_with_separator),
        cmocka_unit_test(skeleton_cut_far_from_its_end),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
