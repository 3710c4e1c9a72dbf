/* nfasim.h - the regex analysis' NFA against PCRE2 on short inputs. */
#ifndef CVF_NFASIM_H
#define CVF_NFASIM_H

#include "regex/redos.h"

#include <stddef.h>
#include <stdint.h>

#ifndef PCRE2_CODE_UNIT_WIDTH
#define PCRE2_CODE_UNIT_WIDTH 8
#endif
#include <pcre2.h>

/* NULL when the NFA of a (parsed from p[0..n), compiled by PCRE2 as re)
 * matches exactly where PCRE2 does on a set of short ASCII inputs derived
 * from the pattern, or when the pattern has constructs the NFA only
 * approximates; otherwise what disagreed, with the input (NUL-terminated,
 * truncated to input_size) in `input`. */
const char *cvf_nfa_agrees(const rx_ast *a, const uint8_t *p, size_t n, const pcre2_code *re,
                           char *input, size_t input_size);

#endif
