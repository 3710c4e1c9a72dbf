/* rules.c - the rule table of rules-v1.md (diag/rules.def) and its lookups. */
#include "diag/rules.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_ID = 1000 }; /* rule IDs are CV000..CV999 */
enum { SEV_E = 1, SEV_W = 2, SEV_WE = 3 };
enum { FLAG_NONE = 0, FLAG_SUPPRESSIBLE = 1, FLAG_BLOCKS_DECODING = 2 };
#define SEVERITY_E "E"
#define SEVERITY_W "W"
#define SEVERITY_WE "W/E"
#define NONE FLAG_NONE
#define SUPPRESSIBLE FLAG_SUPPRESSIBLE
#define BLOCKS_DECODING FLAG_BLOCKS_DECODING
#define SECURITY(tenths) ((tenths) << 4) /* above the flags' bits */

static const chanval_rule rules[] = {
#define CV_RULE(id, tag, name, sev, flags, summary, explain)                                       \
    {(id), (name), SEVERITY_##sev, (summary), (explain)},
#include "diag/rules.def"
#undef CV_RULE
};

enum { NRULES = sizeof rules / sizeof rules[0] };
_Static_assert(NRULES < 255, "positions are stored in a uint8_t");

/* position in rules[] of each rule, by ID */
enum {
#define CV_RULE(id, tag, name, sev, flags, summary, explain) POS_##id,
#include "diag/rules.def"
#undef CV_RULE
};

/* by ID: its position in rules[] + 1 (0: no such rule) */
static const uint8_t pos_of[MAX_ID] = {
#define CV_RULE(id, tag, name, sev, flags, summary, explain) [(id)] = POS_##id + 1,
#include "diag/rules.def"
#undef CV_RULE
};

/* by position: severity and flags */
static const uint8_t severity_of[] = {
#define CV_RULE(id, tag, name, sev, flags, summary, explain) SEV_##sev,
#include "diag/rules.def"
#undef CV_RULE
};

static const uint16_t flags_of[] = {
#define CV_RULE(id, tag, name, sev, flags, summary, explain) (flags),
#include "diag/rules.def"
#undef CV_RULE
};

#undef NONE
#undef SUPPRESSIBLE
#undef BLOCKS_DECODING
#undef SECURITY

size_t chanval_rule_count(void) { return NRULES; }

const chanval_rule *chanval_rule_at(size_t index) { return index < NRULES ? &rules[index] : NULL; }

/* position of rule id in rules[], or -1 */
static int pos(unsigned id) { return id < MAX_ID ? (int)pos_of[id] - 1 : -1; }

unsigned chanval_rule_security_severity(const chanval_rule *r)
{
    if (!r || r < rules || r >= rules + NRULES)
        return 0;
    return (unsigned)(flags_of[r - rules] >> 4);
}

const chanval_rule *cv_rule(unsigned id)
{
    int p = pos(id);
    return p < 0 ? NULL : &rules[p];
}

const chanval_rule *chanval_rule_find(const char *id)
{
    if (!id)
        return NULL;
    if ((id[0] == 'C' || id[0] == 'c') && (id[1] == 'V' || id[1] == 'v'))
        id += 2;
    if (strlen(id) != 3)
        return NULL;
    unsigned n = 0;
    for (int i = 0; i < 3; i++) {
        if (!isdigit((unsigned char)id[i]))
            return NULL;
        n = n * 10 + (unsigned)(id[i] - '0');
    }
    return cv_rule(n);
}

chanval_severity cv_rule_severity(unsigned id)
{
    int p = pos(id);
    return p >= 0 && severity_of[p] != SEV_E ? CHANVAL_SEV_WARNING : CHANVAL_SEV_ERROR;
}

bool cv_rule_suppressible(unsigned id)
{
    int p = pos(id);
    return p >= 0 && (flags_of[p] & FLAG_SUPPRESSIBLE);
}

bool cv_rule_blocks_decoding(unsigned id)
{
    int p = pos(id);
    return p >= 0 && (flags_of[p] & FLAG_BLOCKS_DECODING);
}
