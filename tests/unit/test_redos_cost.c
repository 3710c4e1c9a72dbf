/* test_redos_cost.c - what the measurement of CV502/CV503 itself costs:
 * a count never goes past its cap, and a regex over the budget costs about
 * one budget of steps (the count that proves it), not several. */
#include "testutil.h"

#include "redos.h"

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
        rx_measure((const uint8_t *)p, strlen(p), false, &plan, max_length, cap, NULL, v), 0);
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_count_stops_one_past_its_cap),
        cmocka_unit_test(cv502_costs_about_one_budget),
        cmocka_unit_test(cv503_class_unchanged),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
