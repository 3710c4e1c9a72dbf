/* attack.c - a generic attack on regexes, independent of chanval's
 * analysis: for each pattern (hex, one per line on stdin), inputs of
 * exactly LENGTH bytes made of one printable character of the pattern (or
 * of a short default list) repeated, or of two alternating, followed by one
 * of a few suffixes; each is counted with the cost model of formats-v1
 * section 1.2 (rx_meter).  Prints the patterns that some input takes past
 * BUDGET steps; exit 1 when there is one.
 *
 * Usage: attack LENGTH BUDGET <patterns.hex
 * make fuzz-pcre2-attack runs it on the PCRE2 test patterns chanval
 * accepts: each line it prints is a CV502 chanval missed. */
#include "base/alloc.h"
#include "regex/redos.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_LINE = 20000, MAX_ALPHA = 96, PAIRED = 4 };

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* The worst cost found for pattern p, up to budget + 1; the input in w. */
static int64_t attack(rx_meter *m, const uint8_t *p, size_t n, uint8_t *buf, size_t length,
                      uint64_t budget, char w[3], int *wsfx)
{
    static const char *const sfx[] = {"", "!", "\n", "\x01", "a"};
    char alpha[MAX_ALPHA];
    size_t na = 0;
    for (const char *d = "a0 _-.A\t/\\:=,"; *d; d++)
        alpha[na++] = *d;
    for (size_t i = 0; i < n && na < MAX_ALPHA; i++)
        if (p[i] >= 0x20 && p[i] < 0x7f && !memchr(alpha, p[i], na))
            alpha[na++] = (char)p[i];
    int64_t worst = 0;
    for (size_t i = 0; i < na; i++)
        for (size_t k = 0; k <= PAIRED && k <= na; k++) /* k == 0: alone */
            for (size_t j = 0; j < sizeof sfx / sizeof *sfx; j++) {
                size_t ns = strlen(sfx[j]), body = length - ns;
                for (size_t x = 0; x < body; x++)
                    buf[x] = (uint8_t)(k == 0 || x % 2 == 0 ? alpha[i] : alpha[k - 1]);
                memcpy(buf + body, sfx[j], ns);
                int64_t st = rx_meter_run(m, buf, length, budget);
                if (st > worst) {
                    worst = st;
                    w[0] = alpha[i];
                    w[1] = k ? alpha[k - 1] : 0;
                    w[2] = 0;
                    *wsfx = (int)j;
                }
                if ((uint64_t)worst > budget)
                    return worst;
            }
    return worst;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: attack LENGTH BUDGET <patterns.hex\n");
        return 2;
    }
    size_t length = strtoul(argv[1], NULL, 10);
    uint64_t budget = strtoull(argv[2], NULL, 10);
    static char line[MAX_LINE];
    static uint8_t pat[MAX_LINE / 2 + 1];
    uint8_t *buf = malloc(length + 1);
    struct pcre2_real_general_context_8 *g = cv_pcre2_context();
    if (length < 8 || !buf || !g)
        return 2;
    int checked = 0, over = 0;
    while (fgets(line, sizeof line, stdin)) {
        size_t len = strcspn(line, "\n"), n = len / 2;
        bool ok = len % 2 == 0;
        for (size_t i = 0; ok && i < n; i++) {
            int hi = hexval(line[2 * i]), lo = hexval(line[2 * i + 1]);
            ok = hi >= 0 && lo >= 0;
            pat[i] = (uint8_t)(hi * 16 + lo);
        }
        pat[n] = 0;
        rx_meter m;
        if (!ok || rx_meter_open(&m, pat, n, false, g) != 0)
            continue;
        checked++;
        char w[3];
        int s = 0;
        int64_t worst = attack(&m, pat, n, buf, length, budget, w, &s);
        if ((uint64_t)worst > budget) {
            over++;
            printf("over %llu steps (pump \"%s\", suffix %d): %s\n", (unsigned long long)budget, w,
                   s, (const char *)pat);
        }
        rx_meter_close(&m);
    }
    printf("%d patterns, %d over the budget of %llu steps at %zu bytes\n", checked, over,
           (unsigned long long)budget, length);
    free(buf);
    return over ? 1 : 0;
}
