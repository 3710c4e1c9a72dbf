/* redos_nfa.c - the NFA of a regex AST for the analysis: a Thompson NFA
 * whose character items are "positions", then an epsilon-free NFA over the
 * positions whose edges keep apart the distinct epsilon paths between two
 * positions ((a+)+ has two ways from 'a' back to 'a'), and the strongly
 * connected components (the loops) of the positions.  What PCRE2 never
 * backtracks into (redos_possess.c) is marked on the way. */
#include "regex/nfa.h"
#include "base/alloc.h"

/* ---- character sets over a finite universe ----------------------------- */

static void uni_add(uni *u, uint32_t c)
{
    if (c < 128 || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff) || u->n >= MAX_UNI)
        return;
    for (unsigned i = 128; i < u->n; i++)
        if (u->cp[i] == c)
            return;
    u->cp[u->n++] = c;
}

static void uni_build(uni *u, const rx_ast *a)
{
    u->n = 128;
    for (unsigned i = 0; i < 128; i++)
        u->cp[i] = i;
    static const uint32_t fixed[] = {0xe9,   0xc9,  0xa0,   0x85, 0x2028, 0x4e2d,
                                     0x3042, 0x660, 0x3000, 0xa7, 0xff01, 0x1f600,
                                     0x100,  0x3b1, 0x430,  0xdf, 0x2019, 0x5d0};
    for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
        uni_add(u, fixed[i]);
    for (size_t k = 0; k < a->nitems; k++) {
        const rx_item_t *it = &a->items[k];
        if (it->type != RX_I_RANGE)
            continue;
        if (it->lo >= 128)
            uni_add(u, it->lo);
        if (it->hi >= 128)
            uni_add(u, it->hi);
        if (it->lo >= 128 && it->hi > it->lo)
            uni_add(u, it->lo + 1);
    }
    static const char pref[] = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                               " -_.@/:,;=+*#!?%&$~^|<>()[]{}'\"`\\\t\n\r";
    unsigned k = 0;
    uint8_t seen[128] = {0};
    for (const char *p = pref; *p; p++) {
        u->order[k++] = (uint8_t)*p;
        seen[(uint8_t)*p] = 1;
    }
    for (unsigned i = 1; i < 128; i++)
        if (!seen[i])
            u->order[k++] = (uint8_t)i;
    for (unsigned i = 128; i < u->n; i++)
        u->order[k++] = (uint8_t)i;
    u->norder = k;
    u->all = (bits){{0}};
    for (unsigned i = 1; i < u->n; i++)
        b_set(&u->all, i);
}

int rx_pick(const uni *u, const bits *b)
{
    for (unsigned k = 0; k < u->norder; k++)
        if (b_has(b, u->order[k]))
            return u->order[k];
    return -1;
}

bits rx_set_bits(const rx_ast *a, const uni *u, const rx_node *x)
{
    bits b = {{0}};
    const rx_set_t *s = &a->sets[x->set];
    if (!x->caseless && !s->neg && s->n == 1 && a->items[s->first].type == RX_I_RANGE) {
        /* a literal or one range (most sets): the universe's ASCII part is
         * indexed by code point, only the rest is searched */
        uint32_t lo = a->items[s->first].lo, hi = a->items[s->first].hi;
        for (uint32_t c = lo < 1 ? 1 : lo; c <= hi && c < 128; c++)
            b_set(&b, c);
        if (hi >= 128)
            for (unsigned i = 128; i < u->n; i++)
                if (u->cp[i] >= lo && u->cp[i] <= hi)
                    b_set(&b, i);
        return b;
    }
    for (unsigned i = 1; i < u->n; i++)
        if (rx_set_has(a, s, x->caseless, u->cp[i]))
            b_set(&b, i);
    return b;
}

/* ---- the Thompson NFA ---------------------------------------------------- */

static int32_t tnew(nfa *m, uint8_t type, int32_t out1, int32_t out2, int32_t cut)
{
    if (m->nt >= MAX_TNODES) {
        rx_stop(m, W_TNODES);
        return RX_NONE;
    }
    void *p = m->t;
    if (cv_grow(&p, &m->tcap, m->nt + 1, sizeof *m->t) != 0) {
        m->nomem = true;
        return RX_NONE;
    }
    m->t = p;
    m->t[m->nt] = (tnode){
        .type = type, .out1 = out1, .out2 = out2, .pos = RX_NONE, .cut = cut, .poss = RX_NONE};
    return (int32_t)m->nt++;
}

static int32_t tchar(nfa *m, int32_t ast, int32_t out, int32_t cut, bool possessive)
{
    void *p = m->pos;
    if (cv_grow(&p, &m->poscap, m->npos + 1, sizeof *m->pos) != 0) {
        m->nomem = true;
        return RX_NONE;
    }
    m->pos = p;
    int32_t t = tnew(m, T_CHAR, out, RX_NONE, cut);
    if (t == RX_NONE)
        return RX_NONE;
    m->pos[m->npos] = (position){.set = rx_set_bits(m->a, &m->u, &m->a->nodes[ast]),
                                 .ast = ast,
                                 .cut = cut,
                                 .possessive = possessive,
                                 .scc = -1};
    m->t[t].pos = (int32_t)m->npos;
    m->pos[m->npos++].tnode = t;
    return t;
}

/* The children of n in order: in kids when they fit, else in a list the
 * caller frees (list != kids).  NULL when out of memory. */
static int32_t *children(nfa *m, const rx_node *n, int32_t kids[64], size_t *nk)
{
    const rx_ast *a = m->a;
    size_t k = 0;
    for (int32_t c = n->child; c != RX_NONE; c = a->nodes[c].next)
        k++;
    int32_t *list = kids;
    if (k > 64) {
        list = cv_calloc(k, sizeof *list);
        if (!list) {
            m->nomem = true;
            return NULL;
        }
    }
    k = 0;
    for (int32_t c = n->child; c != RX_NONE; c = a->nodes[c].next)
        list[k++] = c;
    *nk = k;
    return list;
}

static int32_t build(nfa *m, int32_t x, int32_t next, int32_t cut, int depth);

/* A concatenation of the k nodes of list: each continues at the next
 * one's entry. */
static int32_t build_cat(nfa *m, const int32_t *list, size_t k, int32_t next, int32_t cut,
                         int depth)
{
    int32_t cur = next;
    while (k-- > 0 && cur != RX_NONE)
        cur = build(m, list[k], cur, cut, depth + 1);
    return cur;
}

/* An alternation of the k nodes of list: a chain of splits, first branch
 * preferred. */
static int32_t build_alt(nfa *m, const int32_t *list, size_t k, int32_t next, int32_t cut,
                         int depth)
{
    if (k == 0)
        return next;
    int32_t cur = build(m, list[k - 1], next, cut, depth + 1);
    while (--k > 0 && cur != RX_NONE) {
        int32_t br = build(m, list[k - 1], next, cut, depth + 1);
        cur = br == RX_NONE ? RX_NONE : tnew(m, T_SPLIT, br, cur, cut);
    }
    return cur;
}

/* A repeat: mandatory copies, then optional copies or a loop. */
static int32_t build_repeat(nfa *m, int32_t x, int32_t next, int32_t cut, int depth)
{
    const rx_ast *a = m->a;
    const rx_node *n = &a->nodes[x];
    int32_t child = n->child;
    bool single = a->nodes[child].kind == RX_SET;
    bool poss = single && m->possess[x];
    /* PCRE2 makes a lazy repeat possessive too (b??c runs as b?+c): greedy */
    bool lazy = n->aux == RX_LAZY && !poss;
    uint32_t most = single ? MAX_EXACT_MIN : MAX_EXACT_GROUP;
    uint32_t mand = n->min > most ? most : n->min;
    bool loop = n->max == RX_INF || n->max - n->min > MAX_EXACT_OPT;
    uint32_t opt = loop ? 0 : n->max - n->min;
    int32_t cur = next;
    int32_t inner_cut = cut;
    if (!single && n->aux == RX_POSSESSIVE && inner_cut == RX_NONE)
        inner_cut = x;
    if (loop) {
        int32_t s = tnew(m, T_SPLIT, RX_NONE, RX_NONE, inner_cut);
        if (s == RX_NONE)
            return RX_NONE;
        m->t[s].head = true;
        int32_t body =
            single ? tchar(m, child, s, inner_cut, poss) : build(m, child, s, inner_cut, depth + 1);
        if (body == RX_NONE)
            return RX_NONE;
        m->t[s].out1 = lazy ? next : body;
        m->t[s].out2 = lazy ? body : next;
        if (poss)
            m->t[s].poss = m->t[body].pos;
        cur = s;
    } else {
        for (uint32_t k = 0; k < opt && cur != RX_NONE; k++) {
            int32_t body = single ? tchar(m, child, cur, inner_cut, false)
                                  : build(m, child, cur, inner_cut, depth + 1);
            if (body == RX_NONE)
                return RX_NONE;
            int32_t s = tnew(m, T_SPLIT, lazy ? next : body, lazy ? body : next, inner_cut);
            if (s == RX_NONE)
                return RX_NONE;
            if (poss) {
                m->t[s].poss = m->t[body].pos;
                m->pos[m->t[body].pos].possessive = true;
            }
            cur = s;
        }
    }
    for (uint32_t k = 0; k < mand && cur != RX_NONE; k++)
        cur = single ? tchar(m, child, cur, cut, false) : build(m, child, cur, cut, depth + 1);
    return cur;
}

/* Build node x so that it continues at `next`; returns its entry. */
static int32_t build(nfa *m, int32_t x, int32_t next, int32_t cut, int depth)
{
    if (next == RX_NONE || depth > MAX_BUILD_DEPTH) {
        rx_stop(m, next == RX_NONE ? W_OTHER : W_DEPTH);
        return RX_NONE;
    }
    /* copies of repeated groups visit their nodes again: (?:(?:){16}){16}
     * makes no Thompson node but would take 16^k calls */
    if (!rx_charge(m, 1))
        return RX_NONE;
    const rx_node *n = &m->a->nodes[x];
    if (cut == RX_NONE && m->cut[x] != RX_NONE)
        cut = m->cut[x];
    switch (n->kind) {
    case RX_EMPTY:
        return next;
    case RX_SET:
        return tchar(m, x, next, cut, false);
    case RX_CAT:
    case RX_ALT: {
        int32_t kids[64];
        size_t k;
        int32_t *list = children(m, n, kids, &k);
        if (!list)
            return RX_NONE;
        int32_t cur = n->kind == RX_CAT ? build_cat(m, list, k, next, cut, depth)
                                        : build_alt(m, list, k, next, cut, depth);
        if (list != kids)
            cv_free(list);
        return cur;
    }
    case RX_GROUP:
        if (n->child == RX_NONE)
            return next;
        return build(m, n->child, next, cut, depth + 1);
    case RX_LOOK: {
        /* Transparent to what follows; but its body is entered too, up to
         * the match: a lookahead is evaluated afresh at every position it
         * is reached, and a loop in it that runs to the end of the input
         * and fails, (?=.*b), costs as much at each start position */
        if (n->child == RX_NONE)
            return next;
        int32_t body = build(m, n->child, m->match, cut, depth + 1);
        return body == RX_NONE ? RX_NONE : tnew(m, T_SPLIT, next, body, cut);
    }
    case RX_ASSERT: {
        int32_t t = tnew(m, T_ASSERT, next, RX_NONE, cut);
        if (t != RX_NONE)
            m->t[t].aux = n->aux;
        return t;
    }
    case RX_REPEAT:
        return build_repeat(m, x, next, cut, depth);
    default:
        rx_stop(m, W_OTHER); /* CV501 constructs are not analysed */
        return RX_NONE;
    }
}

/* ---- epsilon closure: the edges ------------------------------------------ */

typedef struct closure {
    nfa *m;
    int32_t src; /* a position, or npos (START0), npos+1 (STARTR) */
    uint32_t *onpath;
    uint32_t gen;
    int steps;
    long total;   /* over all sources */
    size_t first; /* first edge of this source */
} closure;

static void add_edge(closure *c, int32_t to, const bits *label, bool at_end, uint64_t sig,
                     uint64_t *sigs)
{
    nfa *m = c->m;
    if (to >= 0 && b_empty(label))
        return;
    for (size_t k = c->first; k < m->ne; k++) {
        edge *e = &m->e[k];
        if (e->to == to && e->at_end == at_end && b_eq(&e->label, label)) {
            if (sigs[k - c->first] != sig)
                e->dup = true;
            return;
        }
    }
    if (m->ne >= MAX_EDGES || m->ne - c->first >= 4096) {
        rx_stop(m, W_EDGES);
        return;
    }
    void *p = m->e;
    if (cv_grow(&p, &m->ecap, m->ne + 1, sizeof *m->e) != 0) {
        m->nomem = true;
        return;
    }
    m->e = p;
    sigs[m->ne - c->first] = sig;
    m->e[m->ne++] = (edge){.to = to, .at_end = at_end, .label = *label};
}

/* Depth-first over the epsilon paths from Thompson node t.  `forbid`: the
 * characters the next one must not be (possessive loops skipped);
 * `end`: 0, 1 after $ (only a newline may follow), 2 after \z. */
static void eps(closure *c, int32_t t, bits forbid, int end, uint64_t sig, uint64_t *sigs)
{
    nfa *m = c->m;
    if (t == RX_NONE || m->nomem)
        return;
    if (++c->steps > MAX_CLOSURE_STEPS || ++c->total > MAX_CLOSURE_TOTAL) {
        rx_stop(m, W_CLOSURE);
        return;
    }
    if (!rx_charge(m, 1))
        return;
    const tnode *tn = &m->t[t];
    /* Back at a loop's split on one epsilon path: an empty iteration,
     * which PCRE2 does not repeat.  Only there: once the loop has gone
     * round, the nodes of a nullable body are met again on the same path,
     * and those paths are distinct ones PCRE2 backtracks through
     * (^(?:a?b?)*$ from 'a' to 'b': b? in the same iteration, or a? skipped
     * in the next) */
    if (tn->head && c->onpath[t] == c->gen)
        return;
    switch (tn->type) {
    case T_CHAR: {
        if (end == 2)
            return;
        bits l = b_andnot(m->pos[tn->pos].set, &forbid);
        if (end == 1) {
            bits nl = {{0}};
            b_set(&nl, '\n');
            l = b_and(l, &nl);
        }
        add_edge(c, tn->pos, &l, false, sig, sigs);
        return;
    }
    case T_MATCH: {
        bits none = {{0}};
        add_edge(c, -1, &none, end != 0, sig, sigs);
        return;
    }
    default:
        break;
    }
    if (tn->head)
        c->onpath[t] = c->gen;
    if (tn->type == T_SPLIT) {
        bool counts = tn->cut == RX_NONE;
        eps(c, tn->out1, forbid, end, counts ? rx_mix(sig, (uint64_t)t * 2) : sig, sigs);
        bits f2 = forbid;
        if (tn->poss != RX_NONE)
            f2 = b_or(f2, &m->pos[tn->poss].set);
        eps(c, tn->out2, f2, end, counts ? rx_mix(sig, (uint64_t)t * 2 + 1) : sig, sigs);
    } else if (tn->type == T_EPS) {
        eps(c, tn->out1, forbid, end, sig, sigs);
    } else { /* T_ASSERT */
        bool start0 = c->src == (int32_t)m->npos, startr = c->src == (int32_t)m->npos + 1;
        switch (tn->aux) {
        case RX_A_BOL:
        case RX_A_START:
            if (start0)
                eps(c, tn->out1, forbid, end, sig, sigs);
            break;
        case RX_A_G:
            if (start0 || startr)
                eps(c, tn->out1, forbid, end, sig, sigs);
            break;
        case RX_A_EOL:
        case RX_A_ENDNL:
        case RX_A_MEOL:
            eps(c, tn->out1, forbid, end > 1 ? end : 1, sig, sigs);
            break;
        case RX_A_END:
            eps(c, tn->out1, forbid, 2, sig, sigs);
            break;
        default:
            eps(c, tn->out1, forbid, end, sig, sigs);
            break;
        }
    }
    if (tn->head)
        c->onpath[t] = 0;
}

static int build_edges(nfa *m)
{
    size_t nsrc = m->npos + 2;
    m->efirst = cv_calloc(nsrc + 1, sizeof *m->efirst);
    uint32_t *onpath = cv_calloc(m->nt ? m->nt : 1, sizeof *onpath);
    /* sigs[i] is written with edge first + i before it is read: no zeroing */
    uint64_t *sigs = cv_malloc(4096 * sizeof *sigs);
    if (!m->efirst || !onpath || !sigs) {
        cv_free(onpath);
        cv_free(sigs);
        return -1;
    }
    closure c = {.m = m, .onpath = onpath};
    for (size_t s = 0; s < nsrc && !m->nomem; s++) {
        m->efirst[s] = m->ne;
        if (c.total > MAX_CLOSURE_TOTAL || m->work >= m->work_max)
            continue; /* out of budget: the rest have no edges */
        c.src = (int32_t)s;
        c.gen++;
        c.steps = 0;
        c.first = m->ne;
        bits none = {{0}};
        int32_t from = s < m->npos ? m->t[m->pos[s].tnode].out1 : m->start;
        eps(&c, from, none, 0, 0, sigs);
    }
    m->efirst[nsrc] = m->ne;
    cv_free(onpath);
    cv_free(sigs);
    m->anchored = m->efirst[m->npos + 1] == m->efirst[m->npos + 2];
    for (size_t k = m->efirst[m->npos + 1]; k < m->efirst[m->npos + 2]; k++)
        m->starts = b_or(m->starts, &m->e[k].label);
    return m->nomem ? -1 : 0;
}

/* ---- strongly connected components of the positions ---------------------- */

static int scc(nfa *m, int32_t *nscc)
{
    size_t n = m->npos;
    int32_t *idx = cv_calloc(n ? n : 1, sizeof *idx), *low = cv_calloc(n ? n : 1, sizeof *low);
    int32_t *stack = cv_calloc(n ? n : 1, sizeof *stack);
    size_t *it = cv_calloc(n ? n : 1, sizeof *it);
    int32_t *call = cv_calloc(n ? n : 1, sizeof *call);
    bool *on = cv_calloc(n ? n : 1, sizeof *on);
    bool ok = idx && low && stack && it && call && on;
    int32_t counter = 0, sp = 0, comps = 0;
    for (size_t root = 0; ok && root < n; root++) {
        if (idx[root])
            continue;
        int32_t depth = 0;
        call[depth++] = (int32_t)root;
        idx[root] = low[root] = ++counter;
        stack[sp++] = (int32_t)root;
        on[root] = true;
        it[root] = m->efirst[root];
        while (depth > 0) {
            int32_t v = call[depth - 1];
            if (it[v] < m->efirst[v + 1]) {
                int32_t w = m->e[it[v]++].to;
                if (w < 0)
                    continue;
                if (!idx[w]) {
                    idx[w] = low[w] = ++counter;
                    stack[sp++] = w;
                    on[w] = true;
                    it[w] = m->efirst[w];
                    call[depth++] = w;
                } else if (on[w] && idx[w] < low[v]) {
                    low[v] = idx[w];
                }
                continue;
            }
            if (low[v] == idx[v]) {
                int32_t w;
                do {
                    w = stack[--sp];
                    on[w] = false;
                    m->pos[w].scc = comps;
                } while (w != v);
                comps++;
            }
            depth--;
            if (depth > 0) {
                int32_t u = call[depth - 1];
                if (low[v] < low[u])
                    low[u] = low[v];
            }
        }
    }
    *nscc = comps;
    cv_free(idx);
    cv_free(low);
    cv_free(stack);
    cv_free(it);
    cv_free(call);
    cv_free(on);
    return ok ? 0 : -1;
}

/* ---- the whole construction ------------------------------------------------ */

int rx_nfa_build(nfa *m, const rx_ast *a, int32_t *ncomp)
{
    *m = (nfa){.a = a};
    *ncomp = 0;
    /* the budget grows with the automaton: the AST's size, then the
     * Thompson nodes (copies of counted repeats); not the edges, which
     * can be quadratic in the pattern's length */
    m->work_max = RX_WORK_FLOOR + (uint64_t)RX_WORK_PER_SIZE * a->nnodes;
    uni_build(&m->u, a);
    int32_t *parent = cv_malloc((a->nnodes ? a->nnodes : 1) * sizeof *parent);
    m->cut = cv_malloc((a->nnodes ? a->nnodes : 1) * sizeof *m->cut);
    m->possess = cv_calloc(a->nnodes ? a->nnodes : 1, sizeof *m->possess);
    if (!parent || !m->cut || !m->possess) {
        cv_free(parent);
        return -1;
    }
    for (size_t i = 0; i < a->nnodes; i++) {
        parent[i] = RX_NONE;
        m->cut[i] = RX_NONE;
    }
    for (size_t i = 0; i < a->nnodes; i++)
        for (int32_t c = a->nodes[i].child; c != RX_NONE; c = a->nodes[c].next)
            parent[c] = (int32_t)i;
    for (size_t i = 0; i < a->nnodes; i++) {
        const rx_node *x = &a->nodes[i];
        if (x->kind == RX_REPEAT && a->nodes[x->child].kind == RX_SET)
            m->possess[i] = x->aux == RX_POSSESSIVE || rx_auto_possessive(a, parent, (int32_t)i);
    }
    cv_free(parent);
    rx_mark_cut(a, m->cut);
    m->match = tnew(m, T_MATCH, RX_NONE, RX_NONE, RX_NONE);
    m->start = m->match == RX_NONE ? RX_NONE : build(m, a->root, m->match, RX_NONE, 0);
    if (m->nomem)
        return -1;
    if (m->start == RX_NONE || m->truncated)
        return 1;
    m->work_max += (uint64_t)RX_WORK_PER_SIZE * m->nt;
    if (build_edges(m) != 0 || scc(m, ncomp) != 0)
        return -1;
    /* edges cut short (m->truncated): the search still runs on what there
     * is, and the plan is unproven */
    return 0;
}

void rx_nfa_free(nfa *m)
{
    cv_free(m->cut);
    cv_free(m->possess);
    cv_free(m->t);
    cv_free(m->pos);
    cv_free(m->e);
    cv_free(m->efirst);
    *m = (nfa){0};
}
