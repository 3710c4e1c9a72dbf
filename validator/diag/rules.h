/* rules.h - rule lookup for the checkers. */
#ifndef CV_RULES_H
#define CV_RULES_H

#include "chanval.h"

const chanval_rule *cv_rule(unsigned id);
/* The default severity; "W/E" rules (CV308) default to warning. */
chanval_severity cv_rule_severity(unsigned id);

#endif
