/* tests.c - the figures of chanval test, for the JSON and text reports. */
#include "report/tests.h"
#include "base/escape.h"

#include <inttypes.h>

static const char *const actions[] = {"?", "log", "detect", "block"};

static const char *action(uint8_t a) { return actions[a < 4 ? a : 0]; }

static double pct(uint64_t part, uint64_t whole)
{
    return whole ? 100.0 * (double)part / (double)whole : 100.0;
}

void cv_json_tests(cv_buf *b, const chanval_session *s)
{
    size_t n = chanval_test_content_count(s);
    if (n == 0)
        return;
    cv_buf_adds(b, ",\n  \"tests\": {\"contents\": [");
    for (size_t i = 0; i < n; i++) {
        chanval_test_content c;
        chanval_test_content_at(s, i, &c);
        cv_buf_adds(b, i ? ",\n    {" : "\n    {");
        cv_json_path(b, "path", c.path);
        cv_buf_printf(b,
                      ", \"loaded\": %s, \"events\": %" PRIu64 ", \"benignEvents\": %" PRIu64
                      ",\n      \"coverage\": {\"outcomes\": %" PRIu64 ", \"covered\": %" PRIu64
                      ", \"percent\": %.2f},\n      \"instances\": [",
                      c.loaded ? "true" : "false", c.events, c.benign_events, c.outcomes, c.covered,
                      pct(c.covered, c.outcomes));
        chanval_test_instance in;
        for (size_t k = 0; chanval_test_instance_at(s, i, k, &in); k++) {
            cv_buf_printf(b,
                          "%s\n        {\"id\": %" PRIu32 ", \"action\": \"%s\", \"benign\": "
                          "{\"evaluated\": %" PRIu64 ", \"fired\": %" PRIu64
                          ", \"ratePercent\": %.4f}",
                          k ? "," : "", in.id, action(in.action), in.benign_evals, in.benign_fired,
                          in.benign_evals ? pct(in.benign_fired, in.benign_evals) : 0.0);
            if (in.has_steps)
                cv_buf_printf(b,
                              ", \"steps\": {\"median\": %" PRIu64 ", \"p99\": %" PRIu64
                              ", \"max\": %" PRIu64 ", \"budget\": %" PRIu64
                              ", \"exhausted\": %" PRIu64 "}",
                              in.steps_median, in.steps_p99, in.steps_max, in.budget, in.exhausted);
            cv_buf_addc(b, '}');
        }
        cv_buf_adds(b, c.instances ? "\n      ]}" : "]}");
    }
    cv_buf_adds(b, "\n  ]}");
}

void cv_json_cases(cv_buf *b, const chanval_file *f)
{
    size_t n = chanval_file_case_count(f);
    if (chanval_file_kind(f) != CHANVAL_KIND_TEST)
        return;
    cv_buf_adds(b, ",\n      \"cases\": [");
    chanval_test_case c;
    for (size_t i = 0; i < n && chanval_file_case(f, i, &c); i++) {
        cv_buf_adds(b, i ? ",\n        {\"name\": " : "\n        {\"name\": ");
        cv_json_str(b, c.name);
        cv_buf_printf(b, ", \"line\": %" PRIu32 ", \"ok\": %s", c.line,
                      c.failed ? "false" : "true");
        if (c.message) {
            cv_buf_adds(b, ", \"message\": ");
            cv_json_str(b, c.message);
        }
        cv_buf_addc(b, '}');
    }
    cv_buf_adds(b, n ? "\n      ]" : "]");
}

void cv_text_tests(cv_buf *b, const chanval_session *s)
{
    size_t n = chanval_test_content_count(s);
    for (size_t i = 0; i < n; i++) {
        chanval_test_content c;
        chanval_test_content_at(s, i, &c);
        if (!c.loaded)
            continue;
        cv_buf_adds(b, "tested ");
        cv_text_escape(b, c.path, false);
        if (c.events)
            cv_buf_printf(b,
                          ": coverage %.1f%% (%" PRIu64 " of %" PRIu64
                          " criterion outcomes), %" PRIu64 " test evaluations",
                          pct(c.covered, c.outcomes), c.covered, c.outcomes, c.events);
        else
            cv_buf_adds(b, ": no test events");
        if (c.benign_events)
            cv_buf_printf(b, ", %" PRIu64 " benign evaluations", c.benign_events);
        cv_buf_addc(b, '\n');
        chanval_test_instance in;
        for (size_t k = 0; c.benign_events && chanval_test_instance_at(s, i, k, &in); k++) {
            if (in.benign_fired == 0 && !in.has_steps)
                continue;
            cv_buf_printf(b,
                          "  instance %" PRIu32 " (%s): fired on %" PRIu64 " of %" PRIu64
                          " benign evaluations (%.2f%%)",
                          in.id, action(in.action), in.benign_fired, in.benign_evals,
                          in.benign_evals ? pct(in.benign_fired, in.benign_evals) : 0.0);
            if (in.has_steps)
                cv_buf_printf(b,
                              "; regex steps median <= %" PRIu64 ", p99 <= %" PRIu64
                              ", max %" PRIu64 " of a budget of %" PRIu64,
                              in.steps_median, in.steps_p99, in.steps_max, in.budget);
            cv_buf_addc(b, '\n');
        }
    }
}
