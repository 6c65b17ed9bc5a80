/*
 * libh2 internal: the HPACK pieces shared by the encoder and the decoder
 * (h2_hpack.c) and the incremental decoder (h2_hpack_decode.c). Contracts
 * are on the definitions.
 */
#ifndef H2_HPACK_INTERNAL_H
#define H2_HPACK_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "h2_hpack.h"

/* Most continuation bytes a 32-bit integer can need (5 * 7 >= 32). */
#define H2_HPACK_INT_MAX_CONTINUATION 5u

/*
 * One continuation byte of an integer (RFC 7541 section 5.1). *value holds
 * the value so far (the prefix value, 2^N - 1, before the first one) and
 * *count the continuation bytes already added. Sets *done to 1 when byte
 * ends the integer. H2_E_COMPRESSION (nothing changed) when the value
 * would exceed 2^32 - 1, when more than H2_HPACK_INT_MAX_CONTINUATION bytes
 * are used, or when a final byte of zero follows another continuation
 * byte (a longer encoding than the value needs).
 */
h2_status h2_hpack_int_next(uint32_t *value, uint8_t *count, uint8_t byte,
                            int *done);

/* Static table entry index (1 .. 61) as pointers to constant data. */
void h2_hpack_static_get(uint32_t index, h2_header *out);

/* Empties the table and sets its limit (<= H2_HPACK_TABLE_CAPACITY). */
void h2_hpack_table_init(h2_hpack_table *table, uint32_t max_size);

/* New limit (<= H2_HPACK_TABLE_CAPACITY): evicts oldest entries until the
 * size fits (RFC 7541 section 4.3). */
void h2_hpack_table_set_max_size(h2_hpack_table *table, uint32_t max_size);

/*
 * Adds an entry as the newest (RFC 7541 section 4.4): evicts oldest
 * entries until it fits; an entry larger than the limit empties the table
 * and is not added. name and value must not point into the table.
 */
void h2_hpack_table_insert(h2_hpack_table *table, const uint8_t *name,
                           uint32_t name_len, const uint8_t *value,
                           uint32_t value_len);

/* Lengths of dynamic entry i (0 = newest, i < table->count). */
void h2_hpack_table_lengths(const h2_hpack_table *table, uint32_t i,
                            uint32_t *name_len, uint32_t *value_len);

/* Copies the name (which = 0) or the value (which = 1) of dynamic entry i
 * to dst, which holds the length h2_hpack_table_lengths() gives. */
void h2_hpack_table_copy(const h2_hpack_table *table, uint32_t i, int which,
                         uint8_t *dst);

#endif
