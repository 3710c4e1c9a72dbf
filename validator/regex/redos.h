/* redos.h - the cost of regex criteria (CV501, CV502, CV503).
 *
 * Three stages, each bounded:
 *   1. rx_parse: the PCRE2 syntax the sensors accept, as an AST with
 *      offsets, and the constructs of CV501.  PCRE2 stays the judge of
 *      validity (CV500); the parser only has to agree with it.
 *   2. rx_analyse: a static search for super-linear backtracking on an NFA
 *      built from the AST, aware of what PCRE2 does (auto-possessification,
 *      atomic groups and possessive repeats, start-of-match optimisations).
 *      It proposes witnesses (prefix, pump, suffix).
 *   3. rx_measure: the cost model of formats-v1 section 1.2 (one step = one
 *      automatic callout, summed over every start position of one
 *      unanchored pcre2_match) decides: growth class and steps at the
 *      field's maxLength.  The analysis only proposes; a generic attack
 *      (rx_attack, regex/attack.c) is the floor under every verdict, for
 *      regexes that are linear but over the budget or whose blow-up the
 *      analysis did not propose. */
#ifndef CV_REDOS_H
#define CV_REDOS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- the AST ------------------------------------------------------------ */

enum rx_kind {
    RX_EMPTY = 0, /* matches the empty string */
    RX_SET,       /* one character from a set (literal, class, escape, dot) */
    RX_CAT,       /* children in sequence */
    RX_ALT,       /* children as alternatives */
    RX_GROUP,     /* one child; aux = enum rx_group */
    RX_REPEAT,    /* one child; min, max, aux = enum rx_greed */
    RX_LOOK,      /* lookaround, one child; aux = enum rx_look */
    RX_ASSERT,    /* zero-width; aux = enum rx_assert */
    RX_UNSUP      /* a CV501 construct; aux = enum rx_unsup, children if any */
};

enum rx_group { RX_G_CAPTURE, RX_G_PLAIN, RX_G_ATOMIC, RX_G_RESET };
enum rx_greed { RX_GREEDY, RX_LAZY, RX_POSSESSIVE };
enum rx_look { RX_AHEAD, RX_AHEAD_NOT, RX_AHEAD_NA, RX_BEHIND, RX_BEHIND_NOT, RX_BEHIND_NA };
enum rx_assert {
    RX_A_BOL,    /* ^ */
    RX_A_MBOL,   /* ^ in multiline mode */
    RX_A_EOL,    /* $: end, or before a final newline */
    RX_A_MEOL,   /* $ in multiline mode */
    RX_A_START,  /* \A */
    RX_A_END,    /* \z */
    RX_A_ENDNL,  /* \Z */
    RX_A_WORDB,  /* \b, [[:<:]], [[:>:]] */
    RX_A_NWORDB, /* \B */
    RX_A_G,      /* \G */
    RX_A_KEEP,   /* \K */
    RX_A_WSTART, /* [[:<:]]: \b(?=\w), an assertion that can be repeated */
    RX_A_WEND    /* [[:>:]]: \b(?<=\w) */
};
enum rx_unsup {
    RX_U_BACKREF,
    RX_U_RECURSE,
    RX_U_COND,
    RX_U_CALLOUT,
    RX_U_VERB,
    RX_U_ONEUNIT /* \C */
};

#define RX_INF UINT32_MAX
#define RX_NONE (-1)

typedef struct rx_node {
    uint8_t kind, aux;
    bool caseless; /* RX_SET: matched caselessly */
    int32_t child; /* first child, or RX_NONE */
    int32_t next;  /* next sibling, or RX_NONE */
    int32_t set;   /* RX_SET: index into sets */
    uint32_t min, max;
    uint32_t off, end; /* [off, end) in the pattern, bytes */
} rx_node;

/* A set item: a range of code points, or a class escape. */
enum rx_item {
    RX_I_RANGE,  /* lo..hi */
    RX_I_DIGIT,  /* \d (ASCII without UCP) */
    RX_I_SPACE,  /* \s */
    RX_I_WORD,   /* \w */
    RX_I_HSPACE, /* \h */
    RX_I_VSPACE, /* \v */
    RX_I_ANY,    /* every character */
    RX_I_POSIX,  /* lo = enum rx_posix */
    RX_I_PROP    /* lo = enum rx_prop */
};

typedef struct rx_item_t {
    uint8_t type;
    bool neg; /* \D, [:^alpha:], \P */
    uint32_t lo, hi;
} rx_item_t;

/* How PCRE2 compiles a single-character item, for auto-possessification. */
enum rx_op {
    RX_OP_CHAR,   /* one code point (two when caseless) */
    RX_OP_NOT,    /* [^x] */
    RX_OP_TYPE,   /* \d \D \s \S \w \W . \N \R \h \H \v \V \X, \p: see optype */
    RX_OP_CLASS,  /* a class within code points < 256 */
    RX_OP_NCLASS, /* a negated class within code points < 256 */
    RX_OP_XCLASS  /* a class with wider code points or properties */
};

/* Type codes for RX_OP_TYPE, in the order of PCRE2's auto-possessify table. */
enum rx_optype {
    RX_T_NDIGIT,
    RX_T_DIGIT,
    RX_T_NSPACE,
    RX_T_SPACE,
    RX_T_NWORD,
    RX_T_WORD,
    RX_T_ANY,    /* . */
    RX_T_ALLANY, /* . in dotall mode */
    RX_T_C,      /* unused: \C is CV501 */
    RX_T_NPROP,
    RX_T_PROP,
    RX_T_ANYNL, /* \R */
    RX_T_NHSPACE,
    RX_T_HSPACE,
    RX_T_NVSPACE,
    RX_T_VSPACE,
    RX_T_EXTUNI /* \X */
};

typedef struct rx_set_t {
    uint32_t first, n; /* items[first .. first+n) */
    bool neg;          /* [^...] */
    uint8_t op;        /* enum rx_op */
    uint8_t optype;    /* RX_OP_TYPE: enum rx_optype */
    uint32_t c0, c1;   /* RX_OP_CHAR: the code point(s); c1 == c0 when one */
    bool wide;         /* matches some code point >= 256 */
} rx_set_t;

enum rx_status { RX_OK = 0, RX_ERROR, RX_NOMEM, RX_TOO_COMPLEX };

typedef struct rx_ast {
    rx_node *nodes;
    size_t nnodes, nodes_cap;
    rx_set_t *sets;
    size_t nsets, sets_cap;
    rx_item_t *items;
    size_t nitems, items_cap;
    int32_t root;
    uint32_t ncaptures;
    int status;     /* enum rx_status */
    size_t err_off; /* RX_ERROR: where */
    const char *err_msg;
    bool unsupported; /* a CV501 construct was found (the first one:) */
    size_t unsup_off;
    char unsup_what[112];
    bool has_look; /* lookarounds present */
    /* the first Unicode property the parser's tables do not model, as
     * written (printable ASCII, truncated), or "" */
    char unknown_prop[48];
} rx_ast;

/* Parse p[0..n) as PCRE2 (UTF mode; caseless when asked) would.  Returns
 * the status, also in a->status.  The AST is complete even when a CV501
 * construct was found.  Free with rx_ast_free in every case. */
int rx_parse(rx_ast *a, const uint8_t *p, size_t n, bool caseless);
void rx_ast_free(rx_ast *a);
/* Whether the property of an RX_I_PROP item (its lo) is one the parser's
 * tables model; an unknown one matches every character, \p and \P, and
 * the analysis of a pattern with one proves nothing (rx_plan.unproven). */
bool rx_prop_known(uint32_t which);

/* Is code point c in set s? */
bool rx_set_has(const rx_ast *a, const rx_set_t *s, bool caseless, uint32_t c);

/* ---- what PCRE2 never backtracks into (regex/possess.c) ------------------- */

/* Would PCRE2 make repeat r (of a single item) possessive?  parent[x] is
 * the parent node of x (RX_NONE for the root). */
bool rx_auto_possessive(const rx_ast *a, const int32_t *parent, int32_t r);

/* Mark the repeats that are never backtracked into: possessive ones, and
 * those in the tail of an atomic group (what follows them in the group
 * always succeeds, so once they stop, the group commits): cut[r] = r. */
void rx_mark_cut(const rx_ast *a, int32_t *cut);

/* ---- analysis and measurement -------------------------------------------- */

enum rx_class { RX_LINEAR = 0, RX_POLYNOMIAL, RX_EXPONENTIAL };

/* A proposed attack input: prefix + pump^k + suffix. */
typedef struct rx_witness {
    char *prefix, *pump, *suffix; /* NUL-terminated UTF-8 */
    size_t nprefix, npump, nsuffix;
} rx_witness;

/* The analysis' work budget: one unit per construction step, epsilon-
 * closure step, product node, successor combination tried and character
 * of a witness simulated, at most RX_WORK_FLOOR plus RX_WORK_PER_SIZE per
 * AST node and Thompson node (the pattern's size, copies of counted
 * repeats included), so that its time and memory are linear in the
 * pattern's size.  The labelled data set's regexes need at most 1.8
 * million. */
enum { RX_WORK_FLOOR = 2000000, RX_WORK_PER_SIZE = 1000 };

/* What the analysis proposes for one pattern (independent of maxLength). */
typedef struct rx_plan {
    bool analysed;     /* false: nothing to measure (no super-linear risk) */
    bool truncated;    /* a state budget was reached */
    /* the analysis stopped before it finished (a budget or internal limit
     * ran out): "nothing found" proves nothing, and unless a measurement
     * finds an input over the budget the verdict is CV501; why says which
     * limit */
    bool unproven;
    bool word_boundary; /* the pattern asserts \b, [[:<:]] or [[:>:]] */
    rx_witness *cands;  /* candidate witnesses, best first */
    size_t ncands;
    uint32_t nstates;       /* NFA positions */
    uint64_t product_nodes; /* explored in the product automata */
    uint64_t work, work_max; /* spent and allowed (RX_WORK_*) */
    char why[160];
} rx_plan;

/* The verdict for one (pattern, flags, maxLength, cap, lowest budget).
 * A finding is super-linear (CV503 unless over a budget), or over the
 * lowest budget whatever its class ("polynomial, degree 1" when it grows
 * linearly). */
typedef struct rx_verdict {
    int cls;         /* enum rx_class */
    uint32_t degree; /* RX_POLYNOMIAL */
    rx_witness w;    /* the worst witness found */
    uint64_t length; /* bytes of the measured input */
    uint64_t steps;  /* at `length`, as counted; cap + 1 when abandoned */
    bool capped;     /* the count passed the cap */
    uint64_t spent;  /* steps spent measuring, all candidates */
    /* the analysis did not finish (rx_plan.unproven), or the generic
     * attack ran out of its allowance, and no input measured over the
     * budget: cls is RX_LINEAR, but nothing is proven (CV501); why says
     * what ran out */
    bool unproven;
    char why[160];
} rx_verdict;

/* Build the plan from a parsed pattern (nothing to do when it has a CV501
 * construct).  Returns 0, or -1 when out of memory. */
int rx_analyse(const rx_ast *a, rx_plan *out);
void rx_plan_free(rx_plan *p);

struct pcre2_real_general_context_8;

/* Measure the plan's candidates, and the generic attack (rx_attack), with
 * the cost model on inputs up to max_length bytes, counting at most cap
 * steps per match; lo (<= cap) is the lowest budget the regex is held to:
 * an input costing more is a finding (steps as counted, capped only past
 * cap), and no super-linear verdict within lo stands before every input
 * tried at max_length was counted within it.  Returns 0, or -1 when out
 * of memory (or PCRE2 failed unexpectedly). */
int rx_measure(const uint8_t *p, size_t n, bool caseless, const rx_plan *plan, uint32_t max_length,
               uint64_t cap, uint64_t lo, struct pcre2_real_general_context_8 *gctx,
               rx_verdict *out);
void rx_verdict_free(rx_verdict *v);

/* Steps of one pcre2_match of `re` on subject s[0..len) under the cost
 * model, counting up to cap (returns cap + 1 when the count passed it);
 * exposed for tests and benchmarks.  -1 on an unexpected PCRE2 error. */
struct pcre2_real_code_8;
struct pcre2_real_match_context_8;
struct pcre2_real_match_data_8;
typedef struct rx_meter {
    struct pcre2_real_code_8 *re;
    struct pcre2_real_match_context_8 *mctx;
    struct pcre2_real_match_data_8 *md;
    uint64_t count, cap;
    int rc; /* the last pcre2_match result */
} rx_meter;

/* The heap of one counted match (KiB): see rx_meter_open. */
enum { RX_METER_HEAP_KIB = 8192 };

/* Compile with the cost model's options (UTF | AUTO_CALLOUT, CASELESS when
 * asked).  0; -1 out of memory; -2 the pattern does not compile so (it may
 * compile without the callouts and still be too large with them). */
int rx_meter_open(rx_meter *m, const uint8_t *p, size_t n, bool caseless,
                  struct pcre2_real_general_context_8 *gctx);
int64_t rx_meter_run(rx_meter *m, const uint8_t *s, size_t len, uint64_t cap);
void rx_meter_close(rx_meter *m);

/* ---- the generic attacker (regex/attack.c) -------------------------------- */

/* What rx_attack found. */
typedef struct rx_attack_out {
    bool over;      /* w costs more than lo (steps counted up to the cap): a witness */
    bool exhausted; /* spend_max ran out before every input it had to count was */
    rx_witness w;   /* over: the witness; otherwise the most expensive input
                     * counted at maxLength (none when counted == 0) */
    uint64_t length, steps;            /* w's input, as counted */
    uint64_t short_length, short_steps; /* w on the screen */
    uint64_t spent;                    /* steps, screens included */
    size_t inputs, counted, uncounted; /* inputs made; counted at maxLength; left */
} rx_attack_out;

/* Attack the pattern p[0..n), compiled in m, with inputs built from its
 * own alphabet (see regex/attack.c), at most max_length bytes, counting
 * each up to cap and all of them up to about spend_max steps, the first
 * one over lo (<= cap) ending the attack; buf holds max_length + 1 bytes.
 * Returns 0, or -1 when out of memory or PCRE2 failed (m->rc says which).
 * Free *out with rx_attack_free. */
int rx_attack(rx_meter *m, const uint8_t *p, size_t n, uint32_t max_length, uint64_t cap,
              uint64_t lo, uint64_t spend_max, uint8_t *buf, rx_attack_out *out);
void rx_attack_free(rx_attack_out *out);

/* Build prefix + pump^k + suffix truncated to at most len bytes (at a
 * character boundary), the construction of the labelled data set:
 * as many pumps as fit before the suffix.  Returns the length written. */
size_t rx_witness_build(const rx_witness *w, size_t len, uint8_t *out);

#endif
