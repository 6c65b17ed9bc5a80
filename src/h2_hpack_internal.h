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

/*@ // Ring slot of dynamic entry i (0 = newest) when the newest is in
    // slot newest.
    logic integer h2_hpack_slot(integer newest, integer i) =
        i <= newest ? newest - i : newest + H2_HPACK_TABLE_MAX_ENTRIES - i;
    // Byte offset of dynamic entry i, and its name plus value length.
    logic integer h2_hpack_eoff{L}(h2_hpack_table *t, integer newest,
                                   integer i) =
        t->entries[h2_hpack_slot(newest, i)].offset;
    logic integer h2_hpack_elen{L}(h2_hpack_table *t, integer newest,
                                   integer i) =
        t->entries[h2_hpack_slot(newest, i)].name_len +
        t->entries[h2_hpack_slot(newest, i)].value_len;
    // Bytes of the ring from where entry i starts to head, where the next
    // entry goes: the lengths of entries i, i - 1, ..., 0.
    logic integer h2_hpack_dist{L}(h2_hpack_table *t, integer newest,
                                   integer head, integer i) =
        h2_hpack_eoff(t, newest, i) <= head ?
            head - h2_hpack_eoff(t, newest, i) :
            head + H2_HPACK_TABLE_CAPACITY - h2_hpack_eoff(t, newest, i);

    // The entries lie back to back in the byte ring, the newest ending at
    // head, and size is the sum of their lengths plus the overhead of each.
    // Stated link by link, with the running sums ordered, so that no proof
    // needs induction. The scalar fields are parameters so that writing
    // one of them leaves the entry reads of the predicate untouched.
    predicate h2_hpack_ring_ok{L}(h2_hpack_table *t, integer newest,
                                  integer head, integer count,
                                  integer size) =
        count <= H2_HPACK_TABLE_MAX_ENTRIES &&
        0 <= newest < H2_HPACK_TABLE_MAX_ENTRIES &&
        0 <= head < H2_HPACK_TABLE_CAPACITY &&
        (\forall integer i; 0 <= i < count ==>
            h2_hpack_eoff(t, newest, i) < H2_HPACK_TABLE_CAPACITY) &&
        (count == 0 ==> size == 0) &&
        (count > 0 ==>
            h2_hpack_dist(t, newest, head, 0) == h2_hpack_elen(t, newest, 0)) &&
        (\forall integer i; 0 <= i && i + 1 < count ==>
            h2_hpack_dist(t, newest, head, i + 1) ==
            h2_hpack_dist(t, newest, head, i) + h2_hpack_elen(t, newest, i + 1)) &&
        (\forall integer j; 0 <= j < count ==>
            (\forall integer i; 0 <= i <= j ==>
                h2_hpack_dist(t, newest, head, i) <=
                h2_hpack_dist(t, newest, head, j))) &&
        (count > 0 ==> size ==
            h2_hpack_dist(t, newest, head, count - 1) +
            H2_HPACK_ENTRY_OVERHEAD * count);

    predicate h2_hpack_table_shape{L}(h2_hpack_table *t) =
        t->max_size <= H2_HPACK_TABLE_CAPACITY &&
        h2_hpack_ring_ok(t, t->newest, t->head, t->count, t->size);

    // The dynamic table invariant: every table function requires and
    // keeps it.
    predicate h2_hpack_table_ok{L}(h2_hpack_table *t) =
        h2_hpack_table_shape(t) && t->size <= t->max_size;

    // The encoder invariant: its table's, and a pending size update of at
    // most the capacity.
    predicate h2_hpack_encoder_ok{L}(h2_hpack_encoder *enc) =
        h2_hpack_table_ok(&enc->table) &&
        (enc->update_pending == 0 || enc->update_pending == 1) &&
        enc->pending_min_size <= H2_HPACK_TABLE_CAPACITY;
*/

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

/* The slot of dynamic entry i (0 = newest, i < table->count) in
 * table->entries: where a user of the table keeps more about the entry. */
uint32_t h2_hpack_table_slot(const h2_hpack_table *table, uint32_t i);

/* Lengths of dynamic entry i (0 = newest, i < table->count). */
void h2_hpack_table_lengths(const h2_hpack_table *table, uint32_t i,
                            uint32_t *name_len, uint32_t *value_len);

/* Copies the name (which = 0) or the value (which = 1) of dynamic entry i
 * to dst, which holds the length h2_hpack_table_lengths() gives. */
void h2_hpack_table_copy(const h2_hpack_table *table, uint32_t i, int which,
                         uint8_t *dst);

/* Huffman-codes in[0..in_len) into out[0..cap) and returns the code's
 * length, or SIZE_MAX (out then holds part of it) when it is longer than
 * cap bytes: one pass for callers that only want a code up to some
 * length. */
size_t h2_huffman_encode_within(const uint8_t *in, size_t in_len,
                                uint8_t *out, size_t cap);

#endif
