/* rules.h - the rules (diag/rules.def): their IDs by name for the
 * checkers, and what the table says of each. */
#ifndef CV_RULES_H
#define CV_RULES_H

#include "chanval.h"

#include <stdbool.h>

/* CV502_REGEX_CATASTROPHIC_BACKTRACKING = 502, ... */
typedef enum cv_rule_id {
#define CV_RULE(id, tag, name, sev, flags, summary, explain) CV##id##_##tag = (id),
#include "diag/rules.def"
#undef CV_RULE
} cv_rule_id;

/* NULL for an ID that is no rule; O(1). */
const chanval_rule *cv_rule(unsigned id);
/* The default severity; the W/E rule (CV308) defaults to warning. */
chanval_severity cv_rule_severity(unsigned id);
/* Can a finding of this rule be suppressed or downgraded?  Not the ones
 * that mean the file cannot be read or would crash the endpoint (nor an ID
 * that is no rule). */
bool cv_rule_suppressible(unsigned id);
/* Does an error of this rule mean the file cannot be decoded (chanval
 * diff compares only files that can)? */
bool cv_rule_blocks_decoding(unsigned id);

#endif
