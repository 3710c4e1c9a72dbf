/* nfasim.c - does the analysis see the regex PCRE2 runs?  The NFA the cost
 * analysis builds from the parser's AST (redos_nfa.h) is run on short
 * ASCII inputs and must find a match exactly when PCRE2 does.  A parser
 * that reads a construct wrongly, "\p{L}" as \p and the characters "{L}",
 * still agrees with PCRE2 on what compiles; here it disagrees on what
 * matches.
 *
 * Only patterns whose NFA is exact are compared: no lookaround, no
 * assertion but ^ $ \A \z \Z outside multiline mode, nothing possessive
 * or atomic, no repeat the NFA approximates by a loop, no \R or \X, no
 * property the parser's tables do not know; and inputs hold no newline
 * (where $ and . have their subtleties). */
#include "nfasim.h"

#include "base/alloc.h"
#include "regex/nfa.h"

#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

enum { SIM_INPUTS = 24, SIM_INPUT = 10 };

static bool exact(const rx_ast *a, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i + 1 < n; i++)
        if (p[i] == '\\') {
            if (p[i + 1] == 'R' || p[i + 1] == 'X')
                return false;
            i++;
        }
    for (size_t i = 0; i < a->nnodes; i++) {
        const rx_node *x = &a->nodes[i];
        switch (x->kind) {
        case RX_SET: {
            const rx_set_t *st = &a->sets[x->set];
            for (uint32_t j = 0; j < st->n; j++)
                if (a->items[st->first + j].type == RX_I_PROP &&
                    !rx_prop_known(a->items[st->first + j].lo))
                    return false;
            break;
        }
        case RX_LOOK:
        case RX_UNSUP:
            return false;
        case RX_ASSERT:
            if (x->aux != RX_A_BOL && x->aux != RX_A_EOL && x->aux != RX_A_START &&
                x->aux != RX_A_END && x->aux != RX_A_ENDNL)
                return false;
            break;
        case RX_GROUP:
            if (x->aux == RX_G_ATOMIC)
                return false;
            break;
        case RX_REPEAT: {
            if (x->aux == RX_POSSESSIVE)
                return false;
            bool single = a->nodes[x->child].kind == RX_SET;
            uint32_t most = single ? MAX_EXACT_MIN : MAX_EXACT_GROUP;
            if (x->min > most)
                return false;
            if (x->max != RX_INF && x->max - x->min > MAX_EXACT_OPT)
                return false;
            break;
        }
        default:
            break;
        }
    }
    return true;
}

/* Some match of the NFA in in[0..len) (ASCII: universe index = byte). */
static bool search(const nfa *m, const uint8_t *in, size_t len, bool *cur, bool *nxt)
{
    memset(cur, 0, m->npos);
    for (size_t i = 0; i <= len; i++) {
        memset(nxt, 0, m->npos);
        for (size_t s = 0; s < m->npos + 2; s++) {
            bool source = s < m->npos ? cur[s] : s == m->npos ? i == 0 : i > 0;
            if (!source)
                continue;
            for (size_t k = m->efirst[s]; k < m->efirst[s + 1]; k++) {
                const edge *e = &m->e[k];
                if (e->to < 0) {
                    if (!e->at_end || i == len)
                        return true;
                } else if (i < len && b_has(&e->label, in[i])) {
                    nxt[e->to] = true;
                }
            }
        }
        bool *t = cur;
        cur = nxt;
        nxt = t;
    }
    return false;
}

static uint64_t next_rand(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

const char *cvf_nfa_agrees(const rx_ast *a, const uint8_t *p, size_t n, const pcre2_code *re,
                           char *input, size_t input_size)
{
    if (a->status != RX_OK || a->unsupported || !exact(a, p, n))
        return NULL;
    nfa m;
    int32_t ncomp = 0;
    const char *why = NULL;
    bool *cur = NULL, *nxt = NULL;
    pcre2_match_data *md = pcre2_match_data_create(1, NULL);
    pcre2_match_context *mc = pcre2_match_context_create(NULL);
    if (rx_nfa_build(&m, a, &ncomp) != 0 || m.truncated || !md || !mc)
        goto done;
    cur = cv_malloc(m.npos + 1);
    nxt = cv_malloc(m.npos + 1);
    if (!cur || !nxt)
        goto done;
    pcre2_set_match_limit(mc, 1000000);
    /* the alphabet: the pattern's printable ASCII, and a few others */
    uint8_t alpha[128];
    size_t na = 0;
    static const char extra[] = "a0 _-.Z";
    for (size_t i = 0; i < sizeof extra - 1; i++)
        alpha[na++] = (uint8_t)extra[i];
    for (size_t i = 0; i < n; i++) {
        if (p[i] < 0x20 || p[i] > 0x7e || memchr(alpha, p[i], na))
            continue;
        alpha[na++] = p[i];
    }
    uint64_t seed = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++)
        seed = (seed ^ p[i]) * 0x100000001b3ull;
    seed |= 1;
    uint8_t in[SIM_INPUT];
    for (int t = 0; t < SIM_INPUTS && !why; t++) {
        size_t len = (size_t)(next_rand(&seed) % (SIM_INPUT + 1));
        for (size_t i = 0; i < len; i++)
            in[i] = alpha[next_rand(&seed) % na];
        int rc = pcre2_match(re, in, len, 0, 0, md, mc);
        if (rc < 0 && rc != PCRE2_ERROR_NOMATCH)
            continue; /* a limit: no verdict */
        bool nfa_says = search(&m, in, len, cur, nxt);
        if (nfa_says != (rc >= 0)) {
            why = rc >= 0 ? "PCRE2 matches, the analysis' NFA does not"
                          : "the analysis' NFA matches, PCRE2 does not";
            size_t k = len < input_size - 1 ? len : input_size - 1;
            memcpy(input, in, k);
            input[k] = 0;
        }
    }
done:
    cv_free(cur);
    cv_free(nxt);
    pcre2_match_context_free(mc);
    pcre2_match_data_free(md);
    rx_nfa_free(&m);
    return why;
}
