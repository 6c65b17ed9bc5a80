/* Shared helpers for libh2's cmocka unit tests. */
#ifndef H2_TEST_UTIL_H
#define H2_TEST_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "h2.h"

/* Decodes hex digits (spaces and newlines ignored) into out; returns the
 * byte count. Fails the test on a malformed string or overflow. */
static inline size_t test_hex(const char *hex, uint8_t *out, size_t cap)
{
    size_t n = 0;
    int half = -1;
    for (; *hex != '\0'; hex++) {
        int v;
        char c = *hex;
        if (c == ' ' || c == '\n' || c == '\t') {
            continue;
        }
        if (c >= '0' && c <= '9') {
            v = c - '0';
        } else if (c >= 'a' && c <= 'f') {
            v = c - 'a' + 10;
        } else if (c >= 'A' && c <= 'F') {
            v = c - 'A' + 10;
        } else {
            fail_msg("bad hex digit '%c'", c);
            return 0;
        }
        if (half < 0) {
            half = v;
        } else {
            assert_true(n < cap);
            out[n++] = (uint8_t)(half * 16 + v);
            half = -1;
        }
    }
    assert_int_equal(half, -1);
    return n;
}

#define TEST_STR(s) ((const uint8_t *)(s)), ((uint32_t)strlen(s))

#endif
