/* redos_nfa.h - the NFA the regex analysis searches (internal to
 * redos_nfa.c and redos_analyse.c): character sets over a finite universe
 * of code points, the Thompson NFA of the AST, and its epsilon-free form
 * over "positions" with strongly connected components. */
#ifndef CHANVAL_REDOS_NFA_H
#define CHANVAL_REDOS_NFA_H

#include "regex/redos.h"

#include <string.h>

enum {
    MAX_TNODES = 30000,         /* Thompson nodes */
    MAX_EDGES = 200000,         /* epsilon-free edges */
    MAX_CLOSURE_STEPS = 20000,  /* epsilon-path steps from one source */
    MAX_CLOSURE_TOTAL = 300000, /* epsilon-path steps from all sources */
    MAX_EXACT_MIN = 64,         /* copies of a repeat's mandatory part */
    MAX_EXACT_GROUP = 16,       /* the same for a repeated group */
    MAX_EXACT_OPT = 6,          /* optional copies before a bounded repeat counts as a loop */
    MAX_UNI = 256,
    MAX_BUILD_DEPTH = 1100 /* AST levels: PCRE2's 250 nested groups, four levels each */
};

/* Why the analysis stopped before it finished (nfa.why): each is a limit
 * of the analysis, never a property of the pattern, so the verdict is
 * CV501 unless a measurement proves CV502. */
enum rx_why {
    W_NONE = 0,
    W_WORK,    /* the work budget (RX_WORK_*) */
    W_TNODES,  /* MAX_TNODES */
    W_DEPTH,   /* MAX_BUILD_DEPTH */
    W_EDGES,   /* MAX_EDGES, or 4096 edges from one position */
    W_CLOSURE, /* MAX_CLOSURE_STEPS, MAX_CLOSURE_TOTAL */
    W_SEARCH,  /* one product search's node limit */
    W_SUCC,    /* more successors of one position than a search follows */
    W_WITNESS, /* a prefix or pump longer than a witness holds */
    W_OTHER
};

/* ---- character sets over a finite universe ----------------------------- */

typedef struct bits {
    uint64_t w[4];
} bits;

static inline bool b_has(const bits *b, unsigned i) { return (b->w[i >> 6] >> (i & 63)) & 1; }
static inline void b_set(bits *b, unsigned i) { b->w[i >> 6] |= 1ull << (i & 63); }
static inline bool b_empty(const bits *b) { return !(b->w[0] | b->w[1] | b->w[2] | b->w[3]); }
static inline bits b_and(bits a, const bits *b)
{
    for (int i = 0; i < 4; i++)
        a.w[i] &= b->w[i];
    return a;
}
static inline bits b_andnot(bits a, const bits *b)
{
    for (int i = 0; i < 4; i++)
        a.w[i] &= ~b->w[i];
    return a;
}
static inline bits b_or(bits a, const bits *b)
{
    for (int i = 0; i < 4; i++)
        a.w[i] |= b->w[i];
    return a;
}
static inline bool b_eq(const bits *a, const bits *b) { return memcmp(a, b, sizeof *a) == 0; }

/* The universe: index 1..127 is ASCII (0 unused: a witness holds no NUL),
 * 128.. representative non-ASCII code points. */
typedef struct uni {
    uint32_t cp[MAX_UNI];
    unsigned n;
    uint8_t order[MAX_UNI]; /* preference when choosing a witness character */
    unsigned norder;
    bits all;
} uni;

/* The preferred character of b, or -1. */
int rx_pick(const uni *u, const bits *b);
/* The universe characters that set node x matches. */
bits rx_set_bits(const rx_ast *a, const uni *u, const rx_node *x);

static inline uint64_t rx_mix(uint64_t h, uint64_t v)
{
    h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
    return h * 0xff51afd7ed558ccdull;
}

/* ---- the NFA ------------------------------------------------------------ */

enum { T_CHAR, T_SPLIT, T_EPS, T_ASSERT, T_MATCH };

typedef struct tnode {
    uint8_t type, aux;
    int32_t out1, out2;
    int32_t pos;  /* T_CHAR: position */
    int32_t cut;  /* the cut region (a repeat's node index) or RX_NONE */
    int32_t poss; /* T_SPLIT: leaving it by out2 skips possessive position poss */
    bool head;    /* T_SPLIT: the split of a loop (every epsilon cycle passes one) */
} tnode;

typedef struct position {
    bits set;
    int32_t ast;     /* the RX_SET node */
    int32_t tnode;   /* its Thompson node */
    int32_t cut;     /* cut region */
    bool possessive; /* a possessive single-item loop: exits need a non-member */
    int32_t scc;
} position;

typedef struct edge {
    int32_t to;  /* a position, or -1 for the end of the pattern */
    bool dup;    /* two distinct paths take this edge */
    bool at_end; /* to == -1: only at the end of the subject */
    bits label;
} edge;

typedef struct nfa {
    const rx_ast *a;
    uni u;
    tnode *t;
    size_t nt, tcap;
    position *pos;
    size_t npos, poscap;
    int32_t *cut;  /* per AST node */
    bool *possess; /* per AST node: repeat auto-/explicitly possessive */
    int32_t start; /* Thompson start */
    int32_t match; /* Thompson match */
    /* epsilon-free NFA: sources 0..npos-1 are positions, npos = START0
     * (the start of the subject), npos+1 = STARTR (a later start) */
    edge *e;
    size_t ne, ecap;
    size_t *efirst; /* edges of source s: e[efirst[s] .. efirst[s+1]) */
    bool anchored;  /* STARTR has no edges */
    bits starts;    /* the characters a later attempt can start with */
    bool truncated;
    bool nomem;
    uint64_t product;
    uint64_t work, work_max; /* the work budget, in one place */
    int why;                 /* enum rx_why: the first limit reached */
} nfa;

/* A limit of the analysis was reached: the search is cut short, and the
 * plan is unproven. */
static inline void rx_stop(nfa *m, int why)
{
    m->truncated = true;
    if (m->why == W_NONE)
        m->why = why;
}

/* Charge n units of work; false (and the analysis stops) once the budget
 * is spent. */
static inline bool rx_charge(nfa *m, uint64_t n)
{
    if (n > m->work_max - m->work || m->work >= m->work_max) {
        m->work = m->work_max;
        rx_stop(m, W_WORK);
        return false;
    }
    m->work += n;
    return true;
}

/* Build the NFA of a (parsed, without CV501 constructs): the universe, the
 * Thompson NFA, its epsilon-free edges and their SCCs (*ncomp of them).
 * 0 when built; 1 when a budget cut it short (only m->u is usable then);
 * -1 out of memory.  rx_nfa_free(m) in every case. */
int rx_nfa_build(nfa *m, const rx_ast *a, int32_t *ncomp);
void rx_nfa_free(nfa *m);

#endif
