/* possess.c - what PCRE2 never backtracks into: the single-item
 * repeats it makes possessive (the rules of pcre2_auto_possess.c, replayed
 * on the AST), and the repeats that an explicit possessive quantifier or
 * the tail of an atomic group cuts off.  The analysis (regex/analyse.c)
 * treats both as consuming a maximal run. */
#include "regex/redos.h"

/* ---- auto-possessification, replayed from pcre2_auto_possess.c ---------- */

/* Character-type opcodes against the types and end assertions that can
 * follow them, in the row and column order of PCRE2's autoposstab. */
enum { C_Z = 17, C_z = 18, C_DOLL = 19, C_DOLLM = 20 };
static const uint8_t autoposstab[17][21] = {
    {0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0}, /* \D */
    {1, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 1, 1, 1}, /* \d */
    {0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 1, 1, 1}, /* \S */
    {0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0}, /* \s */
    {0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0}, /* \W */
    {0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 1, 1, 1}, /* \w */
    {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0}, /* .  */
    {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0}, /* .+ */
    {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0}, /* \C */
    {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, /* \P */
    {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, /* \p */
    {0, 1, 0, 1, 0, 1, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0}, /* \R */
    {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0}, /* \H */
    {0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 0, 0, 1, 0, 0}, /* \h */
    {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0, 0}, /* \V */
    {0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 1, 0, 0}, /* \v */
    {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0}  /* \X */
};

enum { OPD_ASSERT = 100 };

/* One side of a comparison (PCRE2's "character property list"). */
typedef struct opd {
    int kind;      /* enum rx_op, or OPD_ASSERT */
    int type;      /* RX_OP_TYPE: enum rx_optype; OPD_ASSERT: a C_ column */
    uint32_t c[2]; /* RX_OP_CHAR, RX_OP_NOT */
    unsigned nc;
    const rx_node *x; /* the set node */
} opd;

static uint32_t fold1(uint32_t c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 0xe0 && c <= 0xfe && c != 0xf7))
        return c - 32;
    if ((c >= 'A' && c <= 'Z') || (c >= 0xc0 && c <= 0xde && c != 0xd7))
        return c + 32;
    return c;
}

static void opd_of_set(const rx_ast *a, const rx_node *x, opd *o)
{
    const rx_set_t *s = &a->sets[x->set];
    *o = (opd){.kind = s->op, .type = s->optype, .x = x};
    if (s->op == RX_OP_CHAR || s->op == RX_OP_NOT) {
        o->c[0] = s->c0;
        o->nc = 1;
        if (x->caseless && fold1(s->c0) != s->c0) {
            o->c[1] = fold1(s->c0);
            o->nc = 2;
        }
    }
}

static bool is_vspace(uint32_t c)
{
    return (c >= 10 && c <= 13) || c == 0x85 || c == 0x2028 || c == 0x2029;
}
static bool is_hspace(uint32_t c)
{
    return c == 9 || c == ' ' || c == 0xa0 || c == 0x1680 || c == 0x180e ||
           (c >= 0x2000 && c <= 0x200a) || c == 0x202f || c == 0x205f || c == 0x3000;
}
static bool c_digit(uint32_t c) { return c >= '0' && c <= '9'; }
static bool c_space(uint32_t c) { return c == ' ' || (c >= 9 && c <= 13); }
static bool c_word(uint32_t c)
{
    return (c < 128 && ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')) || c_digit(c) || c == '_';
}

static bool in_set(const rx_ast *a, const rx_node *x, uint32_t c)
{
    return rx_set_has(a, &a->sets[x->set], x->caseless, c);
}

/* Is chr disjoint from o?  (PCRE2's per-character switch.) */
static bool chr_disjoint(const rx_ast *a, uint32_t chr, const opd *o)
{
    switch (o->kind) {
    case RX_OP_CHAR:
        for (unsigned k = 0; k < o->nc; k++)
            if (o->c[k] == chr)
                return false;
        return true;
    case RX_OP_NOT:
        for (unsigned k = 0; k < o->nc; k++)
            if (o->c[k] == chr)
                return true;
        return false;
    case RX_OP_TYPE:
        switch (o->type) {
        case RX_T_DIGIT:
            return !c_digit(chr);
        case RX_T_NDIGIT:
            return c_digit(chr);
        case RX_T_SPACE:
            return !c_space(chr);
        case RX_T_NSPACE:
            return c_space(chr);
        case RX_T_WORD:
            return !c_word(chr);
        case RX_T_NWORD:
            return c_word(chr);
        case RX_T_HSPACE:
            return !is_hspace(chr);
        case RX_T_NHSPACE:
            return is_hspace(chr);
        case RX_T_ANYNL:
        case RX_T_VSPACE:
            return !is_vspace(chr);
        case RX_T_NVSPACE:
            return is_vspace(chr);
        case RX_T_PROP:
        case RX_T_NPROP:
            return !in_set(a, o->x, chr);
        default:
            return false;
        }
    case OPD_ASSERT:
        if (o->type == C_z)
            return true;
        if (o->type == C_DOLL || o->type == C_Z)
            return !is_vspace(chr);
        return false;
    case RX_OP_NCLASS:
        return chr <= 255 && !in_set(a, o->x, chr);
    case RX_OP_CLASS:
        return chr > 255 || !in_set(a, o->x, chr);
    case RX_OP_XCLASS:
        return !in_set(a, o->x, chr);
    default:
        return false;
    }
}

static bool low_in(const rx_ast *a, const opd *o, unsigned c)
{
    if (o->kind == RX_OP_TYPE) {
        switch (o->type) {
        case RX_T_DIGIT:
            return c_digit(c);
        case RX_T_NDIGIT:
            return !c_digit(c);
        case RX_T_SPACE:
            return c_space(c);
        case RX_T_NSPACE:
            return !c_space(c);
        case RX_T_WORD:
            return c_word(c);
        default:
            return !c_word(c);
        }
    }
    return in_set(a, o->x, c);
}

/* Would PCRE2 accept base followed by next (no common character)? */
static bool compare_items(const rx_ast *a, const opd *base, const opd *next)
{
    const opd *chars = NULL, *other = NULL;
    if (base->kind == RX_OP_CHAR) {
        chars = base;
        other = next;
    } else if (next->kind == RX_OP_CHAR) {
        chars = next;
        other = base;
    }
    if (chars) {
        for (unsigned k = 0; k < chars->nc; k++)
            if (!chr_disjoint(a, chars->c[k], other))
                return false;
        return true;
    }
    if (base->kind == RX_OP_CLASS || next->kind == RX_OP_CLASS) {
        const opd *cls = base->kind == RX_OP_CLASS ? base : next;
        const opd *oth = cls == base ? next : base;
        if (!(oth->kind == RX_OP_CLASS || oth->kind == RX_OP_NCLASS || oth->kind == RX_OP_XCLASS ||
              (oth->kind == RX_OP_TYPE && oth->type <= RX_T_WORD)))
            return false;
        if (oth->kind == RX_OP_XCLASS) {
            const rx_set_t *s = &a->sets[oth->x->set];
            for (uint32_t j = 0; j < s->n; j++)
                if (a->items[s->first + j].type == RX_I_PROP)
                    return false;
        }
        for (unsigned c = 0; c < 256; c++)
            if (low_in(a, cls, c) && low_in(a, oth, c))
                return false;
        return true;
    }
    if (base->kind != RX_OP_TYPE)
        return false;
    if (base->type == RX_T_PROP || base->type == RX_T_NPROP)
        return next->kind == OPD_ASSERT && next->type == C_z;
    if (next->kind != RX_OP_TYPE && next->kind != OPD_ASSERT)
        return false;
    if (next->kind == RX_OP_TYPE && (next->type == RX_T_PROP || next->type == RX_T_NPROP))
        return false;
    return autoposstab[base->type][next->type] != 0;
}

typedef struct walk {
    const rx_ast *a;
    const int32_t *parent;
    opd base;
    bool greedy;
    int budget;
} walk;

static bool item_ok(walk *w, int32_t y, bool entered);

/* PCRE2 reached the end of node x: look at what follows. */
static bool climb_ok(walk *w, int32_t x, bool entered)
{
    const rx_ast *a = w->a;
    for (;;) {
        int32_t p = w->parent[x];
        if (p == RX_NONE)
            return w->greedy; /* OP_END */
        const rx_node *pn = &a->nodes[p];
        switch (pn->kind) {
        case RX_CAT:
            if (a->nodes[x].next != RX_NONE)
                return item_ok(w, a->nodes[x].next, entered);
            x = p;
            continue;
        case RX_ALT:
            x = p; /* end of a branch: skip to the end of the group */
            continue;
        case RX_GROUP: {
            if (!w->greedy)
                return false;
            if (pn->aux == RX_G_ATOMIC)
                return !entered;
            int32_t pp = w->parent[p];
            if (pp != RX_NONE && a->nodes[pp].kind == RX_REPEAT && a->nodes[pp].max > 1)
                return false; /* KETRMAX */
            x = p;
            continue;
        }
        case RX_REPEAT:
            x = p;
            continue;
        case RX_LOOK:
            if (!w->greedy)
                return false;
            return !entered && (pn->aux == RX_AHEAD || pn->aux == RX_AHEAD_NOT ||
                                pn->aux == RX_BEHIND || pn->aux == RX_BEHIND_NOT);
        default:
            return false;
        }
    }
}

/* The branches of group g (entered from the outside). */
static bool group_ok(walk *w, int32_t g)
{
    const rx_ast *a = w->a;
    const rx_node *gn = &a->nodes[g];
    if (gn->kind != RX_GROUP)
        return false;
    int32_t body = gn->child;
    if (body == RX_NONE)
        return climb_ok(w, g, true);
    if (a->nodes[body].kind == RX_ALT) {
        int32_t br = a->nodes[body].child;
        while (a->nodes[br].next != RX_NONE) {
            if (!item_ok(w, br, false))
                return false;
            br = a->nodes[br].next;
        }
        return item_ok(w, br, true);
    }
    return item_ok(w, body, true);
}

/* Compare the base with the item starting at node y. */
static bool item_ok(walk *w, int32_t y, bool entered)
{
    if (--w->budget <= 0)
        return false;
    const rx_ast *a = w->a;
    const rx_node *n = &a->nodes[y];
    opd o;
    switch (n->kind) {
    case RX_EMPTY:
        return climb_ok(w, y, entered);
    case RX_CAT:
        if (n->child == RX_NONE)
            return climb_ok(w, y, entered);
        return item_ok(w, n->child, entered);
    case RX_SET:
        opd_of_set(a, n, &o);
        return compare_items(a, &w->base, &o);
    case RX_ASSERT:
        o = (opd){.kind = OPD_ASSERT};
        switch (n->aux) {
        case RX_A_EOL:
            o.type = C_DOLL;
            break;
        case RX_A_MEOL:
            o.type = C_DOLLM;
            break;
        case RX_A_END:
            o.type = C_z;
            break;
        case RX_A_ENDNL:
            o.type = C_Z;
            break;
        default:
            return false;
        }
        return compare_items(a, &w->base, &o);
    case RX_REPEAT: {
        const rx_node *c = &a->nodes[n->child];
        if (n->max == 0)
            return climb_ok(w, y, entered);
        if (c->kind == RX_SET) {
            opd_of_set(a, c, &o);
            if (!compare_items(a, &w->base, &o))
                return false;
            return n->min > 0 || climb_ok(w, y, entered);
        }
        if (n->min == 0 && !climb_ok(w, y, false))
            return false; /* BRAZERO: what follows the group, afresh */
        return group_ok(w, n->child);
    }
    case RX_GROUP:
        return group_ok(w, y);
    default:
        return false; /* lookarounds, \b, ^, backreferences: not looked past */
    }
}

/* Would PCRE2 make repeat r (of a single item) possessive? */
bool rx_auto_possessive(const rx_ast *a, const int32_t *parent, int32_t r)
{
    const rx_node *rn = &a->nodes[r];
    if (rn->aux == RX_POSSESSIVE || rn->max <= rn->min || a->nodes[rn->child].kind != RX_SET)
        return false;
    walk w = {.a = a, .parent = parent, .greedy = rn->aux == RX_GREEDY, .budget = 1000};
    opd_of_set(a, &a->nodes[rn->child], &w.base);
    return climb_ok(&w, r, false);
}

/* ---- which loops can be backtracked into -------------------------------- */

static bool trivially_nullable(const rx_ast *a, int32_t x)
{
    const rx_node *n = &a->nodes[x];
    switch (n->kind) {
    case RX_EMPTY:
        return true;
    case RX_REPEAT:
        return n->min == 0 || trivially_nullable(a, n->child);
    case RX_GROUP:
        return n->child == RX_NONE || trivially_nullable(a, n->child);
    case RX_CAT:
        for (int32_t c = n->child; c != RX_NONE; c = a->nodes[c].next)
            if (!trivially_nullable(a, c))
                return false;
        return true;
    case RX_ALT:
        for (int32_t c = n->child; c != RX_NONE; c = a->nodes[c].next)
            if (trivially_nullable(a, c))
                return true;
        return false;
    default:
        return false;
    }
}

static void mark_cut(const rx_ast *a, int32_t x, bool tail, int32_t *cut, int depth)
{
    if (depth > 300)
        return;
    const rx_node *n = &a->nodes[x];
    switch (n->kind) {
    case RX_REPEAT:
        if (n->aux == RX_POSSESSIVE || (tail && n->max > n->min)) {
            cut[x] = x;
            return;
        }
        mark_cut(a, n->child, tail && n->max <= 1, cut, depth + 1);
        return;
    case RX_GROUP:
        if (n->child != RX_NONE)
            mark_cut(a, n->child, tail || n->aux == RX_G_ATOMIC, cut, depth + 1);
        return;
    case RX_CAT: {
        for (int32_t c = n->child; c != RX_NONE; c = a->nodes[c].next) {
            bool t = tail;
            for (int32_t d = a->nodes[c].next; t && d != RX_NONE; d = a->nodes[d].next)
                if (!trivially_nullable(a, d))
                    t = false;
            mark_cut(a, c, t, cut, depth + 1);
        }
        return;
    }
    case RX_ALT:
    case RX_LOOK:
    case RX_UNSUP:
        for (int32_t c = n->child; c != RX_NONE; c = a->nodes[c].next)
            mark_cut(a, c, tail && n->kind == RX_ALT, cut, depth + 1);
        return;
    default:
        return;
    }
}

void rx_mark_cut(const rx_ast *a, int32_t *cut) { mark_cut(a, a->root, false, cut, 0); }
