/* redos_analyse.c - static search for super-linear backtracking.
 *
 * The AST becomes a Thompson NFA and then an epsilon-free NFA over
 * "positions" (the character items) whose edges keep apart the distinct
 * epsilon paths between two positions: (a+)+ has two ways from 'a' back to
 * 'a'.  On it, in the line of the published ambiguity analyses (Weideman
 * et al., EDA and IDA on the NFA):
 *
 *   - exponential ambiguity (EDA): two distinct paths from a position back
 *     to itself on the same string, a cycle in the pair product automaton
 *     through a point where the paths diverge;
 *   - polynomial ambiguity (IDA): positions p != q with paths p->p, p->q and
 *     q->q on the same string, in the triple product;
 *   - the restart case: an unanchored match is tried at every start
 *     position, which is IDA between an implicit prefix loop and any loop
 *     that backtracks.
 *
 * What PCRE2 does is part of the model.  Single-item repeats that PCRE2
 * auto-possessifies (redos_possess.c replays the rules of
 * pcre2_auto_possess.c on the AST) and explicit possessive repeats consume a maximal run: their
 * exits are only taken on a character they cannot match.  Loops under a possessive quantifier or in
 * the tail of an atomic group are never backtracked into: choices inside them do not count as
 * distinct paths. Lookarounds are transparent.  The start-of-match optimisations (first and
 * required code unit, minimum length) are applied to the witnesses when they are measured, since
 * PCRE2 reports them.
 *
 * Each finding proposes a witness: prefix (a shortest path to the loop),
 * pump (the ambiguous string), suffixes (characters on which every path
 * fails, or the end).  Every search has a state budget, and all of them
 * together the work budget of redos.h; a search cut short by either makes
 * the plan unproven (rx_plan.unproven): "nothing found" is then no proof,
 * and the verdict is a measured CV502 or CV501, never a pass. */
#include "regex/nfa.h"
#include "base/alloc.h"

#include <stdio.h>
#include <string.h>

enum {
    MAX_SEARCH = 30000, /* product nodes for one search (and the work budget over all) */
    MAX_CANDS = 42,     /* the quotas of add_cand together */
    IDA_QUOTA = 8,      /* IDA candidates */
    MAX_SCC_TRIES = 4,  /* start positions tried per loop */
    MAX_STR = 256       /* characters in a prefix or pump */
};

/* ---- product-automaton searches ------------------------------------------ */

enum { Q0 = -2 }; /* the implicit prefix loop of an unanchored match */

typedef struct pnode {
    int32_t s[3];
    int32_t parent;
    int32_t e[3]; /* the edge each component took (-1: the prefix loop idled) */
} pnode;

typedef struct search {
    nfa *m;
    int k;    /* components: 2 or 3 */
    pnode *v; /* visited, in BFS order */
    size_t nv, vcap;
    int32_t *hash; /* open addressing into v, -1 empty */
    size_t hcap;
    const int32_t *within; /* per component: the SCC it must stay in, or -1 */
    int32_t limit;
} search;

static uint64_t tuple_hash(const int32_t *s)
{
    uint64_t h = 0;
    for (int i = 0; i < 3; i++)
        h = rx_mix(h, (uint64_t)(uint32_t)s[i]);
    return h;
}

static int rehash(search *q, size_t cap)
{
    int32_t *h = cv_malloc(cap * sizeof *h);
    if (!h)
        return -1;
    memset(h, 0xff, cap * sizeof *h);
    for (size_t v = 0; v < q->nv; v++) {
        size_t i = (size_t)tuple_hash(q->v[v].s) & (cap - 1);
        while (h[i] >= 0)
            i = (i + 1) & (cap - 1);
        h[i] = (int32_t)v;
    }
    cv_free(q->hash);
    q->hash = h;
    q->hcap = cap;
    return 0;
}

/* Add a tuple; returns its index, or -1 when seen (or out of budget). */
static int32_t visit(search *q, const int32_t *s, int32_t parent, const int32_t *e)
{
    if ((q->nv + 1) * 2 > q->hcap && rehash(q, q->hcap * 2) != 0) {
        q->m->nomem = true;
        return -1;
    }
    size_t mask = q->hcap - 1;
    for (size_t i = (size_t)tuple_hash(s) & mask;; i = (i + 1) & mask) {
        int32_t at = q->hash[i];
        if (at < 0) {
            if ((int32_t)q->nv >= q->limit) {
                rx_stop(q->m, W_SEARCH);
                return -1;
            }
            if (!rx_charge(q->m, 1))
                return -1;
            void *p = q->v;
            if (cv_grow(&p, &q->vcap, q->nv + 1, sizeof *q->v) != 0) {
                q->m->nomem = true;
                return -1;
            }
            q->v = p;
            q->v[q->nv] = (pnode){{s[0], s[1], s[2]}, parent, {e[0], e[1], e[2]}};
            q->hash[i] = (int32_t)q->nv;
            q->m->product++;
            return (int32_t)q->nv++;
        }
        if (!q->v || (size_t)at >= q->nv)
            return -1;
        const int32_t *t = q->v[at].s;
        if (t[0] == s[0] && t[1] == s[1] && t[2] == s[2])
            return -1;
    }
}

static int search_init(search *q, nfa *m, int k, const int32_t *within, int32_t limit)
{
    *q = (search){.m = m, .k = k, .within = within, .limit = limit};
    q->hcap = 256;
    q->hash = cv_malloc(q->hcap * sizeof *q->hash);
    if (!q->hash)
        return -1;
    memset(q->hash, 0xff, q->hcap * sizeof *q->hash);
    return 0;
}

static void search_free(search *q)
{
    cv_free(q->v);
    cv_free(q->hash);
}

/* The successors of one component: (target, label, edge id). */
typedef struct succ {
    int32_t to;
    const bits *label;
    int32_t id; /* the edge, for divergence */
    bool dup;
} succ;

static size_t successors(nfa *m, int32_t s, int32_t within, succ *out, size_t cap)
{
    size_t n = 0;
    if (s == Q0) {
        out[n++] = (succ){.to = Q0, .label = &m->u.all, .id = -1};
        s = (int32_t)m->npos + 1; /* and every start the pattern allows */
    }
    for (size_t k = m->efirst[s]; k < m->efirst[s + 1]; k++) {
        const edge *e = &m->e[k];
        if (e->to < 0)
            continue;
        if (within >= 0 && m->pos[e->to].scc != within)
            continue;
        if (n >= cap) {
            rx_stop(m, W_SUCC);
            break;
        }
        out[n++] = (succ){.to = e->to, .label = &e->label, .id = (int32_t)k, .dup = e->dup};
    }
    return n;
}

/* Two components in the same region that cannot be backtracked into
 * must be in the same place. */
static bool cut_clash(const nfa *m, int32_t a, int32_t b)
{
    return a >= 0 && b >= 0 && a != b && m->pos[a].cut != RX_NONE && m->pos[a].cut == m->pos[b].cut;
}

enum { MAX_SUCC = 512 };

/* BFS from `from`; the goal is `goal`.  With `diverge` (two components),
 * the third slot of a node records whether the two paths have parted, so
 * that a goal with it set is reached by two distinct paths.  Returns the
 * node index of the goal, or -1. */
static int32_t bfs(search *q, const int32_t *from, const int32_t *goal, bool diverge)
{
    nfa *m = q->m;
    const int32_t none[3] = {-1, -1, -1};
    int32_t root = visit(q, from, -1, none);
    if (root < 0)
        return -1;
    succ *sa = cv_malloc((size_t)3 * MAX_SUCC * sizeof *sa); /* filled by successors() */
    if (!sa) {
        m->nomem = true;
        return -1;
    }
    succ *sl[3] = {sa, sa + MAX_SUCC, sa + (size_t)2 * MAX_SUCC};
    for (size_t head = 0; head < q->nv; head++) {
        pnode cur = q->v[head];
        size_t ns[3] = {0, 0, 1};
        int k = q->k < 3 ? q->k : 3;
        for (int i = 0; i < k; i++)
            ns[i] = successors(m, cur.s[i], q->within[i], sl[i], MAX_SUCC);
        for (size_t i0 = 0; i0 < ns[0]; i0++) {
            for (size_t i1 = 0; i1 < ns[1]; i1++) {
                /* every combination tried is work, found or not */
                if (!rx_charge(m, ns[2])) {
                    cv_free(sa);
                    return -1;
                }
                const succ *x = &sl[0][i0], *y = &sl[1][i1];
                bits l = b_and(*x->label, y->label);
                if (b_empty(&l) || cut_clash(m, x->to, y->to))
                    continue;
                for (size_t i2 = 0; i2 < ns[2]; i2++) {
                    /* with `diverge`, the third slot records whether the
                     * two paths have parted (different edges, or an edge
                     * two paths take) */
                    int32_t t[3] = {x->to, y->to,
                                    diverge ? (cur.s[2] || x->id != y->id || x->dup) : 0};
                    bits l3 = l;
                    int32_t eid[3] = {x->id, y->id, -1};
                    if (q->k == 3) {
                        const succ *z = &sl[2][i2];
                        l3 = b_and(l, z->label);
                        if (b_empty(&l3) || cut_clash(m, y->to, z->to) ||
                            cut_clash(m, x->to, z->to))
                            continue;
                        t[2] = z->to;
                        eid[2] = z->id;
                    }
                    if (memcmp(t, goal, (size_t)(diverge ? 3 : q->k) * sizeof *t) == 0) {
                        /* the goal may be the start: append it unhashed */
                        void *p = q->v;
                        if (cv_grow(&p, &q->vcap, q->nv + 1, sizeof *q->v) != 0) {
                            m->nomem = true;
                            cv_free(sa);
                            return -1;
                        }
                        q->v = p;
                        q->v[q->nv] =
                            (pnode){{t[0], t[1], t[2]}, (int32_t)head, {eid[0], eid[1], eid[2]}};
                        cv_free(sa);
                        return (int32_t)q->nv++;
                    }
                    if (visit(q, t, (int32_t)head, eid) < 0)
                        continue;
                }
            }
        }
        if ((int32_t)q->nv >= q->limit) {
            rx_stop(m, W_SEARCH);
            break;
        }
        if (m->work >= m->work_max || m->nomem)
            break;
    }
    cv_free(sa);
    return -1;
}

/* The characters along the BFS path to node at (universe indices): at
 * each step one the components' edges all accept, preferring one outside
 * `avoid` (the characters that leave the loops: a pump made of characters
 * that can only loop keeps every path in the loops). */
static size_t path_chars(const search *q, int32_t at, const bits *avoid, uint8_t *out, size_t cap)
{
    const nfa *m = q->m;
    size_t n = 0;
    for (int32_t v = at; v >= 0 && q->v[v].parent >= 0; v = q->v[v].parent)
        n++;
    if (n > cap) {
        rx_stop(q->m, W_WITNESS); /* a finding without a witness */
        return 0;
    }
    size_t k = n;
    for (int32_t v = at; v >= 0 && q->v[v].parent >= 0; v = q->v[v].parent) {
        bits l = m->u.all;
        for (int i = 0; i < q->k; i++)
            if (q->v[v].e[i] >= 0)
                l = b_and(l, &m->e[q->v[v].e[i]].label);
        /* avoid what leaves the loops, then what starts a new attempt
         * (a character that lets a new attempt match ends the search) */
        bits pref = avoid ? b_andnot(l, avoid) : l;
        bits quiet = b_andnot(pref, &m->starts);
        int ch = rx_pick(&m->u, !b_empty(&quiet) ? &quiet : !b_empty(&pref) ? &pref : &l);
        out[--k] = (uint8_t)(ch > 0 ? ch : 'a');
    }
    return n;
}

/* A shortest string leading from the start of the subject to `p` (its
 * last character consumed by p); n = 0 and true when p == -1. */
static bool prefix_to(nfa *m, int32_t p, uint8_t *out, size_t *n)
{
    *n = 0;
    if (p < 0)
        return true;
    size_t np = m->npos;
    int32_t *par = cv_malloc((np + 1) * sizeof *par);
    int16_t *ch = cv_malloc((np + 1) * sizeof *ch);
    int32_t *queue = cv_malloc((np + 1) * sizeof *queue);
    bool ok = false;
    if (!par || !ch || !queue) {
        m->nomem = true;
        goto done;
    }
    for (size_t i = 0; i <= np; i++)
        par[i] = -2;
    size_t qh = 0, qt = 0;
    int32_t start = (int32_t)np;
    par[np] = -1;
    queue[qt++] = start;
    while (qh < qt && !ok) {
        int32_t v = queue[qh++];
        for (size_t k = m->efirst[v]; k < m->efirst[v + 1]; k++) {
            const edge *e = &m->e[k];
            if (e->to < 0 || par[e->to] != -2)
                continue;
            par[e->to] = v;
            ch[e->to] = (int16_t)rx_pick(&m->u, &e->label);
            queue[qt++] = e->to;
            if (e->to == p) {
                ok = true;
                break;
            }
        }
    }
    if (ok) {
        size_t len = 0;
        for (int32_t v = p; v != start; v = par[v])
            len++;
        if (len > MAX_STR) {
            rx_stop(m, W_WITNESS);
            ok = false;
            goto done;
        }
        size_t k = len;
        for (int32_t v = p; v != start; v = par[v])
            out[--k] = (uint8_t)ch[v];
        *n = len;
    }
done:
    cv_free(par);
    cv_free(ch);
    cv_free(queue);
    return ok;
}

/* ---- suffixes: characters on which every path fails ----------------------- */

/* Positions active after reading s from the start (attempts starting at
 * every position when the pattern is not anchored).  *acc_any: some path
 * can end the match there; *acc_end: some path matches at the end. */
static void simulate(nfa *m, const uint8_t *s, size_t n, bool *active, bool *acc_any, bool *acc_end)
{
    size_t np = m->npos;
    bool *next = active + np;
    memset(active, 0, np);
    int32_t src0 = (int32_t)np, srcr = (int32_t)np + 1;
    for (size_t i = 0; i <= n; i++) {
        /* accepting from the current set? */
        *acc_any = *acc_end = false;
        for (size_t v = 0; v <= np + 1; v++) {
            bool on = v < np ? active[v] : v == np ? i == 0 : (!m->anchored && i > 0);
            if (!on)
                continue;
            for (size_t k = m->efirst[v]; k < m->efirst[v + 1]; k++)
                if (m->e[k].to < 0) {
                    if (m->e[k].at_end)
                        *acc_end = true;
                    else
                        *acc_any = true;
                }
        }
        if (i == n)
            break;
        memset(next, 0, np);
        unsigned c = s[i];
        for (size_t v = 0; v <= np + 1; v++) {
            bool on = v < np ? active[v] : (int32_t)v == src0 ? i == 0 : (!m->anchored);
            if (!on)
                continue;
            (void)srcr;
            for (size_t k = m->efirst[v]; k < m->efirst[v + 1]; k++) {
                const edge *e = &m->e[k];
                if (e->to >= 0 && b_has(&e->label, c))
                    next[e->to] = true;
            }
        }
        memcpy(active, next, np);
    }
}

/* ---- the plan ------------------------------------------------------------- */

enum { K_EDA, K_IDA, K_RESTART, K_KILL, K_SIMPLE, K_KINDS };

typedef struct cand {
    uint8_t prefix[MAX_STR], pump[MAX_STR];
    size_t np, nw;
    int kind;
    int32_t at; /* the position the pump loops at */
} cand;

typedef struct builder {
    nfa *m;
    cand *c;
    size_t nc;
    int kill;                  /* a character the attempt at the subject's start dies on, or -1 */
    bits *exits;               /* per loop: the characters that leave it */
    int32_t *ent_all, *ent_bt; /* per loop: MAX_SCC_TRIES entry positions */
    uint8_t *nent_all, *nent_bt;
    size_t nkind[K_KINDS];
} builder;

static void add_cand(builder *b, const uint8_t *x, size_t nx, const uint8_t *w, size_t nw, int kind,
                     int32_t at)
{
    /* per kind: EDA, IDA, restart, restart after a killing character, simple */
    static const size_t quota[K_KINDS] = {12, IDA_QUOTA, 8, 8, 6};
    static const uint8_t none[1] = {0};
    if (nw == 0 || b->nc >= MAX_CANDS || b->nkind[kind] >= quota[kind])
        return;
    if (!x)
        x = none; /* nx == 0 */
    /* a pump u^k pumps as u: keep the primitive root */
    for (size_t d = 1; d < nw; d++) {
        if (nw % d)
            continue;
        size_t i = d;
        while (i < nw && w[i] == w[i - d])
            i++;
        if (i == nw) {
            nw = d;
            break;
        }
    }
    for (size_t i = 0; i < b->nc; i++)
        if (b->c[i].np == nx && b->c[i].nw == nw && memcmp(b->c[i].prefix, x, nx) == 0 &&
            memcmp(b->c[i].pump, w, nw) == 0)
            return;
    cand *c = &b->c[b->nc++];
    memcpy(c->prefix, x, nx);
    memcpy(c->pump, w, nw);
    c->np = nx;
    c->nw = nw;
    c->kind = kind;
    c->at = at;
    b->nkind[kind]++;
}

static bool backtracks(const nfa *m, int32_t p)
{
    return !m->pos[p].possessive && m->pos[p].cut == RX_NONE;
}

/* Does p have an edge into its own SCC (is it on a loop)? */
static bool on_loop(const nfa *m, int32_t p)
{
    for (size_t k = m->efirst[p]; k < m->efirst[p + 1]; k++)
        if (m->e[k].to >= 0 && m->pos[m->e[k].to].scc == m->pos[p].scc)
            return true;
    return false;
}

/* Up to MAX_SCC_TRIES positions of a loop, those entered from outside it
 * first (computed once, see entries_build). */
static size_t loop_entries(const builder *b, int32_t comp, int32_t *out, bool need_backtrack)
{
    const int32_t *src = need_backtrack ? b->ent_bt + (size_t)comp * MAX_SCC_TRIES
                                        : b->ent_all + (size_t)comp * MAX_SCC_TRIES;
    size_t n = need_backtrack ? b->nent_bt[comp] : b->nent_all[comp];
    memcpy(out, src, n * sizeof *out);
    return n;
}

static void entry_add(int32_t *list, uint8_t *n, int32_t t)
{
    if (*n >= MAX_SCC_TRIES)
        return;
    for (uint8_t i = 0; i < *n; i++)
        if (list[i] == t)
            return;
    list[(*n)++] = t;
}

static int entries_build(builder *b, int32_t ncomp)
{
    const nfa *m = b->m;
    size_t nc = (size_t)(ncomp ? ncomp : 1);
    b->ent_all = cv_malloc(nc * MAX_SCC_TRIES * sizeof *b->ent_all);
    b->ent_bt = cv_malloc(nc * MAX_SCC_TRIES * sizeof *b->ent_bt);
    b->nent_all = cv_calloc(nc, 1);
    b->nent_bt = cv_calloc(nc, 1);
    bool *loop = cv_calloc(m->npos ? m->npos : 1, sizeof *loop);
    if (!b->ent_all || !b->ent_bt || !b->nent_all || !b->nent_bt || !loop) {
        cv_free(loop);
        return -1;
    }
    for (size_t v = 0; v < m->npos; v++)
        loop[v] = on_loop(m, (int32_t)v);
    for (int pass = 0; pass < 2; pass++) {
        for (size_t s = 0; s < m->npos + 2; s++) {
            int32_t from = s < m->npos ? m->pos[s].scc : -1;
            for (size_t k = m->efirst[s]; k < m->efirst[s + 1]; k++) {
                int32_t t = m->e[k].to;
                if (t < 0 || !loop[t] || (pass == 0 && from == m->pos[t].scc))
                    continue;
                int32_t c = m->pos[t].scc;
                entry_add(b->ent_all + (size_t)c * MAX_SCC_TRIES, &b->nent_all[c], t);
                if (backtracks(m, t))
                    entry_add(b->ent_bt + (size_t)c * MAX_SCC_TRIES, &b->nent_bt[c], t);
            }
        }
    }
    cv_free(loop);
    return 0;
}

/* One loop's candidates, from each of its entries: two ways around it
 * (exponential, `restart` false), or a way from the start of an attempt
 * to it and around it (every start position against a loop that
 * backtracks, `restart` true). */
static void find_loop(builder *b, int32_t comp, bool restart)
{
    nfa *m = b->m;
    int32_t tries[MAX_SCC_TRIES];
    size_t nt = loop_entries(b, comp, tries, restart);
    for (size_t i = 0; i < nt; i++) {
        int32_t p = tries[i];
        int32_t within[3] = {restart ? -1 : comp, comp, -1};
        search q;
        if (search_init(&q, m, 2, within, MAX_SEARCH) != 0) {
            m->nomem = true;
            return;
        }
        int32_t from[3] = {restart ? Q0 : p, p, 0}, goal[3] = {p, p, restart ? 0 : 1};
        int32_t at = bfs(&q, from, goal, !restart);
        if (at >= 0) {
            uint8_t w[MAX_STR] = {0}, x[MAX_STR] = {0};
            size_t nw = path_chars(&q, at, &b->exits[comp], w, sizeof w), nx;
            if (!restart) {
                if (prefix_to(m, p, x, &nx))
                    add_cand(b, x, nx, w, nw, K_EDA, p);
            } else {
                add_cand(b, NULL, 0, w, nw, K_RESTART, p);
                /* the attempt at the start may match what the later ones
                 * cannot (^\s+|\s+$ on spaces): the same pump after a
                 * character it dies on, which later attempts pass over */
                if (b->kill > 0) {
                    uint8_t k = (uint8_t)b->kill;
                    add_cand(b, &k, 1, w, nw, K_KILL, p);
                }
            }
        }
        search_free(&q);
    }
}

static void find_ida(builder *b, int32_t c1, int32_t c2)
{
    nfa *m = b->m;
    int32_t t1[MAX_SCC_TRIES], t2[MAX_SCC_TRIES];
    size_t n1 = loop_entries(b, c1, t1, true), n2 = loop_entries(b, c2, t2, true);
    if (n1 > 2)
        n1 = 2;
    if (n2 > 2)
        n2 = 2;
    for (size_t i = 0; i < n1; i++) {
        for (size_t j = 0; j < n2; j++) {
            int32_t p = t1[i], r = t2[j];
            int32_t within[3] = {c1, -1, c2};
            search q;
            if (search_init(&q, m, 3, within, MAX_SEARCH / 2) != 0) {
                m->nomem = true;
                return;
            }
            int32_t from[3] = {p, p, r}, goal[3] = {p, r, r};
            int32_t at = bfs(&q, from, goal, false);
            if (at >= 0) {
                uint8_t w[MAX_STR] = {0}, x[MAX_STR] = {0};
                size_t nw = path_chars(&q, at, &b->exits[c2], w, sizeof w), nx;
                if (prefix_to(m, p, x, &nx))
                    add_cand(b, x, nx, w, nw, K_IDA, p);
                search_free(&q);
                return;
            }
            search_free(&q);
        }
    }
}

/* The shortest cycle through p inside its loop: the labeller's "repeated
 * atom" pump. */
static void find_simple(builder *b, int32_t comp)
{
    nfa *m = b->m;
    int32_t tries[MAX_SCC_TRIES];
    size_t nt = loop_entries(b, comp, tries, true);
    if (nt > 2)
        nt = 2;
    for (size_t i = 0; i < nt; i++) {
        int32_t p = tries[i];
        int32_t within[3] = {comp, comp, -1};
        search q;
        if (search_init(&q, m, 2, within, 4096) != 0) {
            m->nomem = true;
            return;
        }
        /* both components walk the same path: a plain cycle */
        int32_t from[3] = {p, p, 0}, goal[3] = {p, p, 0};
        const int32_t none[3] = {-1, -1, -1};
        int32_t root = visit(&q, from, -1, none);
        int32_t found = -1;
        for (size_t head = (size_t)root; head < q.nv && found < 0; head++) {
            int32_t s = q.v[head].s[0];
            for (size_t k = m->efirst[s]; k < m->efirst[s + 1]; k++) {
                const edge *e = &m->e[k];
                if (e->to < 0 || m->pos[e->to].scc != comp)
                    continue;
                int32_t t[3] = {e->to, e->to, 0};
                int32_t eid[3] = {(int32_t)k, (int32_t)k, -1};
                int32_t at = visit(&q, t, (int32_t)head, eid);
                if (at >= 0 && e->to == goal[0]) {
                    found = at;
                    break;
                }
            }
        }
        if (found < 0) {
            /* p itself was the root: look for an edge back to it */
            for (size_t head = 0; head < q.nv && found < 0; head++) {
                int32_t s = q.v[head].s[0];
                for (size_t k = m->efirst[s]; k < m->efirst[s + 1]; k++)
                    if (m->e[k].to == p) {
                        uint8_t w[MAX_STR] = {0}, x[MAX_STR] = {0};
                        size_t nw = path_chars(&q, (int32_t)head, &b->exits[comp], w, sizeof w - 1),
                               nx;
                        bits l = b_andnot(m->e[k].label, &b->exits[comp]);
                        int ch = rx_pick(&m->u, b_empty(&l) ? &m->e[k].label : &l);
                        if (ch > 0 && nw + 1 <= MAX_STR) {
                            w[nw++] = (uint8_t)ch;
                            if (prefix_to(m, p, x, &nx))
                                add_cand(b, x, nx, w, nw, K_SIMPLE, p);
                        }
                        found = 0;
                        break;
                    }
            }
        }
        search_free(&q);
    }
}

/* Append the UTF-8 of universe characters. */
static char *utf8_of(const uni *u, const uint8_t *s, size_t n, size_t *len)
{
    char *out = cv_malloc(4 * n + 1);
    if (!out)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t c = u->cp[s[i]];
        if (c < 0x80) {
            out[k++] = (char)c;
        } else if (c < 0x800) {
            out[k++] = (char)(0xc0 | (c >> 6));
            out[k++] = (char)(0x80 | (c & 0x3f));
        } else if (c < 0x10000) {
            out[k++] = (char)(0xe0 | (c >> 12));
            out[k++] = (char)(0x80 | ((c >> 6) & 0x3f));
            out[k++] = (char)(0x80 | (c & 0x3f));
        } else {
            out[k++] = (char)(0xf0 | (c >> 18));
            out[k++] = (char)(0x80 | ((c >> 12) & 0x3f));
            out[k++] = (char)(0x80 | ((c >> 6) & 0x3f));
            out[k++] = (char)(0x80 | (c & 0x3f));
        }
    }
    out[k] = '\0';
    *len = k;
    return out;
}

/* One step of the position-set simulation (no new attempts): next =
 * the positions reached from `from` on universe character c.  Returns
 * whether next is non-empty; *acc: some position of `from` can end the
 * match anywhere, *acc_end: only at the end (or before a final newline). */
static bool step(const nfa *m, const bool *from, unsigned c, bool *next)
{
    bool any = false;
    memset(next, 0, m->npos);
    for (size_t v = 0; v < m->npos; v++) {
        if (!from[v])
            continue;
        for (size_t k = m->efirst[v]; k < m->efirst[v + 1]; k++) {
            const edge *e = &m->e[k];
            if (e->to >= 0 && b_has(&e->label, c)) {
                next[e->to] = true;
                any = true;
            }
        }
    }
    return any;
}

static void accepts(const nfa *m, const bool *set, bool *acc_any, bool *acc_end)
{
    *acc_any = *acc_end = false;
    for (size_t v = 0; v < m->npos; v++) {
        if (!set[v])
            continue;
        for (size_t k = m->efirst[v]; k < m->efirst[v + 1]; k++)
            if (m->e[k].to < 0) {
                if (m->e[k].at_end)
                    *acc_end = true;
                else
                    *acc_any = true;
            }
    }
}

/* The characters some position of `set` can go on with. */
static bits cont_of(const nfa *m, const bool *set)
{
    bits c = {{0}};
    for (size_t v = 0; v < m->npos; v++) {
        if (!set[v])
            continue;
        for (size_t k = m->efirst[v]; k < m->efirst[v + 1]; k++)
            if (m->e[k].to >= 0)
                c = b_or(c, &m->e[k].label);
    }
    return c;
}

/* A character that ends every path from a set with these acceptances, or
 * -1; *twice when it is a newline that $ would match before, so that it
 * must be doubled. */
static int killer(const nfa *m, const bool *set, bool acc_end, bool *twice)
{
    bits cont = cont_of(m, set);
    bits kill = b_andnot(m->u.all, &cont);
    int ch = rx_pick(&m->u, &kill);
    *twice = ch > 0 && m->u.cp[ch] == '\n' && acc_end;
    return ch;
}

/* Suffixes after prefix + pump + pump on which every path fails: one or
 * two characters (every path dies on them, no match ends before), and the
 * end of the subject when no path accepts there.  Up to 2. */
static size_t suffixes(nfa *m, const cand *c, bool *work, uint8_t out[2][3], size_t *outn)
{
    uint8_t s[3 * MAX_STR];
    size_t n = 0;
    memcpy(s, c->prefix, c->np);
    n += c->np;
    for (int r = 0; r < 2; r++) {
        memcpy(s + n, c->pump, c->nw);
        n += c->nw;
    }
    size_t np = m->npos;
    bool *s0 = work, *s1 = work + np;
    bool acc_any, acc_end, twice;
    simulate(m, s, n, s0, &acc_any, &acc_end);
    size_t ns = 0;
    int ch = killer(m, s0, acc_end, &twice);
    if (ch > 0) {
        out[ns][0] = out[ns][1] = (uint8_t)ch;
        outn[ns++] = twice ? 2 : 1;
    } else {
        /* a character that leaves only paths a second one ends */
        const uni *u = &m->u;
        for (unsigned k = 0; k < u->norder && ns == 0; k++) {
            unsigned c1 = u->order[k];
            if (!step(m, s0, c1, s1))
                continue;
            bool a1, e1;
            accepts(m, s1, &a1, &e1);
            if (a1)
                continue;
            int c2 = killer(m, s1, e1, &twice);
            if (c2 <= 0)
                continue;
            out[ns][0] = (uint8_t)c1;
            out[ns][1] = out[ns][2] = (uint8_t)c2;
            outn[ns++] = twice ? 3 : 2;
        }
    }
    if (!acc_end || ns == 0)
        outn[ns++] = 0;
    return ns;
}

/* The first character item under node x, or RX_NONE. */
static int32_t first_set(const rx_ast *a, int32_t x, int depth)
{
    if (x == RX_NONE || depth > 64)
        return RX_NONE;
    const rx_node *n = &a->nodes[x];
    if (n->kind == RX_SET)
        return x;
    for (int32_t c = n->child; c != RX_NONE; c = a->nodes[c].next) {
        int32_t f = first_set(a, c, depth + 1);
        if (f != RX_NONE)
            return f;
    }
    return RX_NONE;
}

/* Does the NFA only approximate the pattern, or can its ambiguity lie
 * outside the loops the search looks at?  A counted repeat of a group
 * ((?:a+){15}, (?:a{1,3}){10}: bounded copies with no loop, whose paths
 * multiply) or a single-item repeat that is not copied exactly
 * (MAX_EXACT_MIN, MAX_EXACT_OPT) and can be backtracked into. */
static bool approximated(const rx_ast *a, const int32_t *cut)
{
    for (size_t i = 0; i < a->nnodes; i++) {
        const rx_node *r = &a->nodes[i];
        if (r->kind != RX_REPEAT || r->aux == RX_POSSESSIVE || r->child == RX_NONE ||
            (cut && cut[i] != RX_NONE))
            continue;
        bool single = a->nodes[r->child].kind == RX_SET;
        bool counted = r->min >= 2 || (r->max != RX_INF && r->max >= 2);
        if (!single && counted)
            return true;
        if (single &&
            (r->min > MAX_EXACT_MIN || (r->max != RX_INF && r->max - r->min > MAX_EXACT_OPT)))
            return true;
    }
    return false;
}

/* When the search cannot be trusted to have seen everything (over
 * budget, or an approximated NFA): the labelled data set's generic
 * search, roughly - each character of a repeated item as a pump, with a
 * few failing suffixes, appended to the candidates.  The measurement
 * decides. */
static int generic(const rx_ast *a, const uni *u, const bits *starts, rx_plan *out)
{
    static const char *const sfx[] = {"!", "\n\n", ""};
    uint8_t chars[9];
    size_t nc = 0;
    /* a character an attempt starts with: each start position may cost
     * much before the repeats (30 nested groups around (^abc|xyz){1,20}$
     * on spaces, about 60 steps each) */
    int first = rx_pick(u, starts);
    if (first > 0)
        chars[nc++] = (uint8_t)first;
    for (size_t i = 0; i < a->nnodes && nc < sizeof chars; i++) {
        const rx_node *r = &a->nodes[i];
        if (r->kind != RX_REPEAT || r->max < 2 || r->aux == RX_POSSESSIVE)
            continue;
        int32_t j = first_set(a, r->child, 0);
        if (j == RX_NONE)
            continue;
        bits b = rx_set_bits(a, u, &a->nodes[j]);
        int ch = rx_pick(u, &b);
        bool dup = false;
        for (size_t k = 0; k < nc; k++)
            dup |= ch >= 0 && chars[k] == (uint8_t)ch;
        if (ch > 0 && !dup)
            chars[nc++] = (uint8_t)ch;
    }
    if (nc == 0)
        return 0;
    rx_witness *all = cv_reallocarray(out->cands, out->ncands + nc * 3 + 1, sizeof *all);
    if (!all)
        return -1;
    out->cands = all;
    memset(all + out->ncands, 0, (nc * 3 + 1) * sizeof *all);
    for (size_t i = 0; i < nc; i++)
        for (size_t k = 0; k < 3; k++) {
            rx_witness *w = &out->cands[out->ncands++];
            w->prefix = utf8_of(u, chars, 0, &w->nprefix);
            w->pump = utf8_of(u, &chars[i], 1, &w->npump);
            w->suffix = cv_malloc(strlen(sfx[k]) + 1);
            if (!w->prefix || !w->pump || !w->suffix)
                return -1;
            memcpy(w->suffix, sfx[k], strlen(sfx[k]) + 1);
            w->nsuffix = strlen(sfx[k]);
        }
    out->analysed = out->ncands > 0;
    return 0;
}

/* A pattern with a Unicode property the parser's tables do not model: in
 * the NFA it matches every character, so the witnesses may be made of
 * characters the real property rejects (\p{bidiclass:S}+ pumped with
 * "a").  The plan is unproven, and the measurement goes first through
 * pumps of characters such properties single out (the separators and
 * white space of the bidi classes S, WS and B, which no modelled
 * property tells apart), each with a failing suffix and none. */
static int unmodelled(const rx_ast *a, const uni *u, rx_plan *out)
{
    static const uint32_t reps[] = {'\t', 0x0b, 0x0c, 0x1c, 0x1f, 0x85, 0x2028};
    static const char *const sfx[] = {"!", ""};
    enum { NREPS = sizeof reps / sizeof *reps, NSFX = sizeof sfx / sizeof *sfx };
    if (!a->unknown_prop[0])
        return 0;
    if (!out->unproven) {
        out->unproven = true;
        snprintf(out->why, sizeof out->why,
                 "its Unicode property \"%s\" is not one the analysis models", a->unknown_prop);
    }
    uint8_t chars[NREPS];
    size_t nc = 0;
    for (size_t i = 0; i < NREPS; i++)
        for (unsigned k = 1; k < u->n; k++)
            if (u->cp[k] == reps[i]) {
                chars[nc++] = (uint8_t)k;
                break;
            }
    size_t add = nc * NSFX;
    rx_witness *all = cv_reallocarray(out->cands, out->ncands + add + 1, sizeof *all);
    if (!all)
        return -1;
    out->cands = all;
    memmove(all + add, all, out->ncands * sizeof *all);
    memset(all, 0, add * sizeof *all);
    out->ncands += add;
    for (size_t i = 0; i < nc; i++)
        for (size_t k = 0; k < NSFX; k++) {
            rx_witness *w = &all[i * NSFX + k];
            w->prefix = utf8_of(u, chars, 0, &w->nprefix);
            w->pump = utf8_of(u, &chars[i], 1, &w->npump);
            w->suffix = cv_malloc(strlen(sfx[k]) + 1);
            if (!w->prefix || !w->pump || !w->suffix)
                return -1;
            memcpy(w->suffix, sfx[k], strlen(sfx[k]) + 1);
            w->nsuffix = strlen(sfx[k]);
        }
    out->analysed = true;
    return 0;
}

/* A plan cut short by a limit (m->why) is unproven; why says which. */
static void unproven(rx_plan *out, const nfa *m)
{
    out->work = m->work;
    out->work_max = m->work_max;
    if (!m->truncated)
        return;
    out->unproven = true;
    /* one message per reason, each with its own figures (alike in shape by
     * design: the formats stay literal for the compiler to check) */
    unsigned long long w = m->work, n = m->npos;
    switch (m->why) {
    case W_WORK:
        snprintf(out->why, sizeof out->why,
                 "the analysis ran out of its work budget (%llu steps for a pattern of %llu NFA "
                 "states)",
                 w, n);
        break;
    case W_TNODES:
        snprintf(out->why, sizeof out->why,
                 "its automaton is larger than the analysis builds (%d nodes)", MAX_TNODES);
        break;
    case W_DEPTH:
        snprintf(out->why, sizeof out->why, "it nests deeper than the analysis follows (%d levels)",
                 MAX_BUILD_DEPTH);
        break;
    case W_EDGES:
    case W_CLOSURE:
        snprintf(out->why, sizeof out->why,
                 "its automaton has more paths between items than the analysis follows (%llu NFA "
                 "states)",
                 n);
        break;
    case W_SEARCH:
        snprintf(
            out->why, sizeof out->why,
            "a search for ambiguity ran out of its budget (%d product states, %llu NFA states)",
            MAX_SEARCH, n);
        break;
    case W_SUCC:
        snprintf(out->why, sizeof out->why,
                 "an item has more successors than the analysis follows (%d)", MAX_SUCC);
        break;
    case W_WITNESS:
        snprintf(out->why, sizeof out->why,
                 "a witness is longer than the analysis builds (%d characters)", MAX_STR);
        break;
    default:
        snprintf(out->why, sizeof out->why, "the analysis stopped before it finished");
        break;
    }
}

/* A character on which the attempt at the start of the subject dies at
 * once, or -1: none of its first items accepts it.  Only when the pattern
 * anchors at the start (^, \A, \G, ^ in multiline mode), where that
 * attempt may succeed on what every later one fails on (^\s+|\s+$ on
 * spaces).  Later attempts pass over it (the restart loop idles on every
 * character).  Not a newline, after which ^ in multiline mode matches
 * again; none when an empty match at the start ends every search. */
static int kill_char(const nfa *m, const rx_ast *a)
{
    bool anchors = false;
    for (size_t i = 0; i < a->nnodes && !anchors; i++)
        anchors = a->nodes[i].kind == RX_ASSERT &&
                  (a->nodes[i].aux == RX_A_BOL || a->nodes[i].aux == RX_A_MBOL ||
                   a->nodes[i].aux == RX_A_START || a->nodes[i].aux == RX_A_G);
    if (!anchors)
        return -1;
    bits first = {{0}};
    for (size_t k = m->efirst[m->npos]; k < m->efirst[m->npos + 1]; k++) {
        const edge *e = &m->e[k];
        if (e->to < 0 && !e->at_end)
            return -1;
        if (e->to >= 0)
            first = b_or(first, &e->label);
    }
    bits kill = b_andnot(m->u.all, &first);
    bits nl = {{0}};
    b_set(&nl, '\n');
    kill = b_andnot(kill, &nl);
    return rx_pick(&m->u, &kill);
}

/* The loops (components on a cycle), each with its first position in
 * the pattern (first_pos[c], -1 for a component that is no loop), in
 * pattern order (order[0..*nloops); Tarjan numbers them backwards).  -1
 * when out of memory. */
static int loops_in_order(const nfa *m, const rx_ast *a, int32_t ncomp, int32_t *first_pos,
                          int32_t *order, int32_t *nloops)
{
    for (int32_t c = 0; c < ncomp; c++)
        first_pos[c] = -1;
    for (size_t v = 0; v < m->npos; v++) {
        int32_t c = m->pos[v].scc;
        if (!on_loop(m, (int32_t)v))
            continue;
        if (first_pos[c] < 0 ||
            a->nodes[m->pos[v].ast].off < a->nodes[m->pos[first_pos[c]].ast].off)
            first_pos[c] = (int32_t)v;
    }
    *nloops = 0;
    for (int32_t c = 0; c < ncomp; c++)
        if (first_pos[c] >= 0)
            order[(*nloops)++] = c;
    /* by the offset of the loop's first item in the pattern (insertion
     * sort: there are few loops) */
    for (int32_t i = 1; i < *nloops; i++) {
        int32_t c = order[i], j = i;
        uint32_t off = a->nodes[m->pos[first_pos[c]].ast].off;
        while (j > 0 && a->nodes[m->pos[first_pos[order[j - 1]]].ast].off > off) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = c;
    }
    return 0;
}

/* The searches over the loops (of b's automaton, in pattern order): each
 * distinct loop for two ways around (exponential), pairs of loops for a
 * common string (polynomial), restarts, and the plain cycles. */
static void search_loops(builder *b, int32_t *order, int32_t nloops, const int32_t *first_pos,
                         const uint32_t *csize)
{
    nfa *m = b->m;
    /* copies of one repeat (a{3}, bounded repeats) make loops that are
     * the same: one of each is enough */
    int32_t nu = 0;
    for (int32_t i = 0; i < nloops; i++) {
        int32_t c = order[i], ast = m->pos[first_pos[c]].ast;
        bool seen = false;
        for (int32_t j = 0; j < nu && !seen; j++)
            seen = m->pos[first_pos[order[j]]].ast == ast && csize[order[j]] == csize[c];
        if (!seen)
            order[nu++] = c;
    }
    /* exponential: a loop with two ways around */
    for (int32_t i = 0; i < nu && !m->nomem; i++)
        find_loop(b, order[i], false);
    /* polynomial: two loops in sequence on a common string, nearest
     * pairs first; every pair, within the work budget; once the IDA quota
     * of candidates is full, more would not be measured */
    for (int32_t d = 1; d < nu && !m->nomem && m->work < m->work_max; d++)
        for (int32_t i = 0; i + d < nu && !m->nomem && b->nkind[K_IDA] < IDA_QUOTA; i++)
            find_ida(b, order[i], order[i + d]);
    /* every start position against a loop that backtracks */
    if (!m->anchored)
        for (int32_t i = 0; i < nu && !m->nomem; i++)
            find_loop(b, order[i], true);
    /* the plain cycles, as a fallback */
    for (int32_t i = 0; i < nu && !m->nomem; i++)
        find_simple(b, order[i]);
}

/* The candidates of m's loops into cands (*nc of them).  Out of memory
 * sets m->nomem. */
static void find_candidates(nfa *m, const rx_ast *a, int32_t ncomp, cand *cands, size_t *nc)
{
    size_t nn = (size_t)(ncomp ? ncomp : 1);
    int32_t *first_pos = cv_malloc(nn * sizeof *first_pos);
    int32_t *order = cv_malloc(nn * sizeof *order);
    bits *exits = cv_calloc(nn, sizeof *exits);
    uint32_t *csize = cv_calloc(nn, sizeof *csize);
    int32_t nloops = 0;
    builder b = {.m = m, .c = cands, .exits = exits, .kill = -1};
    if (!first_pos || !order || !exits || !csize ||
        loops_in_order(m, a, ncomp, first_pos, order, &nloops) != 0) {
        m->nomem = true;
    } else {
        for (size_t v = 0; v < m->npos; v++)
            for (size_t k = m->efirst[v]; k < m->efirst[v + 1]; k++)
                if (m->e[k].to >= 0 && m->pos[m->e[k].to].scc != m->pos[v].scc)
                    exits[m->pos[v].scc] = b_or(exits[m->pos[v].scc], &m->e[k].label);
        b.kill = kill_char(m, a);
        if (entries_build(&b, ncomp) != 0) {
            m->nomem = true;
        } else {
            for (size_t v = 0; v < m->npos; v++)
                csize[m->pos[v].scc]++;
            search_loops(&b, order, nloops, first_pos, csize);
        }
    }
    *nc = b.nc;
    cv_free(csize);
    cv_free(b.ent_all);
    cv_free(b.ent_bt);
    cv_free(b.nent_all);
    cv_free(b.nent_bt);
    cv_free(exits);
    cv_free(order);
    cv_free(first_pos);
}

/* Each candidate as witnesses, one per killing suffix, into out->cands.
 * -1 when out of memory. */
static int witnesses(nfa *m, const cand *c, size_t nc, rx_plan *out)
{
    bool *active = cv_malloc(3 * (m->npos ? m->npos : 1));
    out->cands = cv_calloc(2 * nc + 1, sizeof *out->cands);
    int rc = active && out->cands ? 0 : -1;
    for (size_t i = 0; i < nc && rc == 0; i++) {
        uint8_t sfx[2][3];
        size_t sn[2];
        /* the simulation reads every edge once per character */
        uint64_t chars = c[i].np + 2 * c[i].nw + 1;
        if (!rx_charge(m, chars * (m->npos + m->ne + 2)))
            break;
        size_t k = suffixes(m, &c[i], active, sfx, sn);
        for (size_t j = 0; j < k && rc == 0; j++) {
            rx_witness *w = &out->cands[out->ncands];
            w->prefix = utf8_of(&m->u, c[i].prefix, c[i].np, &w->nprefix);
            w->pump = utf8_of(&m->u, c[i].pump, c[i].nw, &w->npump);
            w->suffix = utf8_of(&m->u, sfx[j], sn[j], &w->nsuffix);
            out->ncands++;
            if (!w->prefix || !w->pump || !w->suffix)
                rc = -1;
        }
    }
    cv_free(active);
    return rc;
}

int rx_analyse(const rx_ast *a, rx_plan *out)
{
    *out = (rx_plan){0};
    if (a->status != RX_OK || a->unsupported || a->root == RX_NONE)
        return 0;
    /* assertions are transparent to the NFA; the measurement varies the
     * witnesses around a word boundary */
    for (size_t i = 0; i < a->nnodes && !out->word_boundary; i++)
        out->word_boundary = a->nodes[i].kind == RX_ASSERT &&
                             (a->nodes[i].aux == RX_A_WORDB || a->nodes[i].aux == RX_A_WSTART ||
                              a->nodes[i].aux == RX_A_WEND);
    nfa m;
    int rc = -1;
    int32_t ncomp = 0;
    int built = rx_nfa_build(&m, a, &ncomp);
    /* add_cand writes every field it reads later: no zeroing (18 KB) */
    cand *cands = cv_malloc(MAX_CANDS * sizeof *cands);
    size_t nc = 0;
    if (built < 0 || !cands)
        goto done;
    out->nstates = (uint32_t)m.npos;
    if (built == 1) {
        out->truncated = true;
        rc = generic(a, &m.u, &m.starts, out);
        unproven(out, &m);
        goto done;
    }
    find_candidates(&m, a, ncomp, cands, &nc);
    if (m.nomem)
        goto done;
    out->product_nodes = m.product;
    if (witnesses(&m, cands, nc, out) != 0)
        goto done;
    out->truncated = m.truncated;
    /* the search saw less than the pattern: the generic inputs too */
    if ((m.truncated || approximated(a, m.cut)) && generic(a, &m.u, &m.starts, out) != 0)
        goto done;
    unproven(out, &m);
    out->analysed = out->ncands > 0;
    /* nothing to measure is a proof even so: no loop backtracks */
    if (out->analysed && unmodelled(a, &m.u, out) != 0)
        goto done;
    rc = 0;
done:
    if (rc != 0)
        rx_plan_free(out);
    cv_free(cands);
    rx_nfa_free(&m);
    return rc;
}

void rx_plan_free(rx_plan *p)
{
    for (size_t i = 0; p->cands && i < p->ncands; i++) {
        cv_free(p->cands[i].prefix);
        cv_free(p->cands[i].pump);
        cv_free(p->cands[i].suffix);
    }
    cv_free(p->cands);
    *p = (rx_plan){0};
}
