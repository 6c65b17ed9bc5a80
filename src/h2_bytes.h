/*
 * libh2 internal: byte-span helpers with their own loop contracts.
 * The libc memcpy/memcmp are not called in the core because WP's typed
 * memory model cannot follow their char* casts on uint8_t buffers; the
 * copy's restrict-qualified spans (its contract requires them separated)
 * let the compiler turn its loop into memcpy all the same, as it turns the
 * fill loop into memset. Contracts are on the definitions in h2_bytes.c.
 */
#ifndef H2_BYTES_H
#define H2_BYTES_H

#include <stddef.h>
#include <stdint.h>

/* dst[0..n) = src[0..n); the spans must not overlap. */
void h2_bytes_copy(uint8_t *restrict dst, const uint8_t *restrict src, size_t n);

/* dst[0..n) = value. */
void h2_bytes_fill(uint8_t *dst, uint8_t value, size_t n);

/* 1 when a[0..n) equals b[0..n), else 0. */
int h2_bytes_equal(const uint8_t *a, const uint8_t *b, size_t n);

#endif
