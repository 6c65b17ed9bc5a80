/*
 * libh2 HPACK encoder (RFC 7541 sections 4.2, 6 and 7): chooses a
 * representation per field, keeps its dynamic table in step with what the
 * peer's decoder will build, and signals table size changes.
 */
#include "h2_hpack_internal.h"

#include "h2_bytes.h"

/* A field larger than this share of the table is not indexed: it would
 * evict most of what is there for one entry. */
#define INDEX_SHARE_DIVISOR 2u

/* Bytes of the representation prefix patterns (RFC 7541 section 6). */
#define REPR_INDEXED 0x80u
#define REPR_INCREMENTAL 0x40u
#define REPR_WITHOUT_INDEXING 0x00u
#define REPR_NEVER_INDEXED 0x10u
#define REPR_SIZE_UPDATE 0x20u

/*@ requires \valid(enc);
    assigns *enc;
    ensures enc->update_pending == 0;
*/
void h2_hpack_encoder_init(h2_hpack_encoder *enc)
{
    uint32_t limit = H2_HPACK_DEFAULT_TABLE_SIZE < H2_HPACK_TABLE_CAPACITY ?
                     H2_HPACK_DEFAULT_TABLE_SIZE : H2_HPACK_TABLE_CAPACITY;
    h2_hpack_table_init(&enc->table, limit);
    enc->pending_min_size = limit;
    enc->update_pending = 0u;
}

/*@ requires \valid(enc);
    assigns *enc;
    ensures enc->update_pending == 1;
*/
void h2_hpack_encoder_set_max_table_size(h2_hpack_encoder *enc, uint32_t size)
{
    uint32_t limit = size < H2_HPACK_TABLE_CAPACITY ? size : H2_HPACK_TABLE_CAPACITY;
    /* Evict now: nothing refers to the table until the update is sent at
     * the start of the next block. */
    h2_hpack_table_set_max_size(&enc->table, limit);
    if (enc->update_pending == 0u || limit < enc->pending_min_size) {
        enc->pending_min_size = limit;
    }
    enc->update_pending = 1u;
}

/*@ requires \valid_read(enc);
    requires count <= 0xffff;
    requires \valid_read(fields + (0 .. count - 1));
    assigns \nothing;
    ensures \result <= 12 + (uint64_t)count * 0x200000000;
*/
uint64_t h2_hpack_encode_bound(const h2_hpack_encoder *enc,
                               const h2_header *fields, size_t count)
{
    uint64_t total = enc->update_pending != 0u ? 12u : 0u;
    size_t i;
    /*@ loop invariant 0 <= i <= count;
        loop invariant total <= 12 + i * (uint64_t)0x200000000;
        loop assigns i, total;
        loop variant count - i;
    */
    for (i = 0u; i < count; i++) {
        /* A literal with a literal name is the longest form: one byte of
         * pattern, and each string with its length prefix, raw. */
        total += 1u + (uint64_t)h2_hpack_int_length(fields[i].name_len, 7u) +
                 fields[i].name_len +
                 (uint64_t)h2_hpack_int_length(fields[i].value_len, 7u) +
                 fields[i].value_len;
    }
    return total;
}

/* Static table index of an exact match (*full = 1) or of the name alone,
 * 0 when neither. */
/*@ requires \valid_read(f) && \valid(full);
    requires \valid_read(f->name + (0 .. f->name_len - 1));
    requires \valid_read(f->value + (0 .. f->value_len - 1));
    assigns *full;
    ensures \result <= H2_HPACK_STATIC_TABLE_LENGTH;
*/
static uint32_t static_lookup(const h2_header *f, int *full)
{
    uint32_t i;
    uint32_t name_match = 0u;
    *full = 0;
    /*@ loop invariant 1 <= i <= H2_HPACK_STATIC_TABLE_LENGTH + 1;
        loop invariant name_match < i;
        loop assigns i, name_match, *full;
        loop variant H2_HPACK_STATIC_TABLE_LENGTH + 1 - i;
    */
    for (i = 1u; i <= H2_HPACK_STATIC_TABLE_LENGTH; i++) {
        h2_header e;
        h2_hpack_static_get(i, &e);
        if (e.name_len == f->name_len && h2_bytes_equal(e.name, f->name, e.name_len) != 0) {
            if (e.value_len == f->value_len &&
                h2_bytes_equal(e.value, f->value, e.value_len) != 0) {
                *full = 1;
                return i;
            }
            if (name_match == 0u) {
                name_match = i;
            }
        }
    }
    return name_match;
}

/* Does the ring hold p[0..n) from offset start (wrapping)? */
/*@ requires \valid_read(t);
    requires start < H2_HPACK_TABLE_CAPACITY;
    requires \valid_read(p + (0 .. n - 1));
    assigns \nothing;
*/
static int ring_equal(const h2_hpack_table *t, uint32_t start,
                      const uint8_t *p, uint32_t n)
{
    uint32_t k;
    /*@ loop invariant 0 <= k <= n;
        loop assigns k;
        loop variant n - k;
    */
    for (k = 0u; k < n; k++) {
        if (t->bytes[((uint64_t)start + k) % H2_HPACK_TABLE_CAPACITY] != p[k]) {
            return 0;
        }
    }
    return 1;
}

/* Dynamic table position (0 = newest) + 1 of an exact match (*full = 1)
 * or of the name alone; 0 when neither. */
/*@ requires \valid_read(t) && \valid_read(f) && \valid(full);
    requires t->count <= H2_HPACK_TABLE_MAX_ENTRIES;
    requires t->newest < H2_HPACK_TABLE_MAX_ENTRIES;
    requires \valid_read(f->name + (0 .. f->name_len - 1));
    requires \valid_read(f->value + (0 .. f->value_len - 1));
    assigns *full;
    ensures \result <= t->count;
*/
static uint32_t dynamic_lookup(const h2_hpack_table *t, const h2_header *f, int *full)
{
    uint32_t i;
    uint32_t name_match = 0u;
    *full = 0;
    /*@ loop invariant 0 <= i <= t->count;
        loop invariant name_match <= i;
        loop assigns i, name_match, *full;
        loop variant t->count - i;
    */
    for (i = 0u; i < t->count; i++) {
        const h2_hpack_entry *e =
            &t->entries[(t->newest + H2_HPACK_TABLE_MAX_ENTRIES - i) % H2_HPACK_TABLE_MAX_ENTRIES];
        uint32_t off = (uint32_t)e->offset % H2_HPACK_TABLE_CAPACITY;
        if (e->name_len == f->name_len && ring_equal(t, off, f->name, f->name_len) != 0) {
            if (e->value_len == f->value_len &&
                ring_equal(t, (uint32_t)(((uint64_t)off + e->name_len) % H2_HPACK_TABLE_CAPACITY),
                           f->value, f->value_len) != 0) {
                *full = 1;
                return i + 1u;
            }
            if (name_match == 0u) {
                name_match = i + 1u;
            }
        }
    }
    return name_match;
}

/* A string literal (RFC 7541 section 5.2), Huffman coded when shorter. */
/*@ requires \valid_read(s + (0 .. len - 1));
    requires \valid(out + (0 .. cap - 1)) && \valid(written);
    assigns out[0 .. cap - 1], *written;
*/
static h2_status put_string(const uint8_t *s, uint32_t len, uint8_t *out,
                            size_t cap, size_t *written)
{
    size_t huff = h2_huffman_encoded_length(s, len);
    size_t n = 0u;
    size_t m = 0u;
    h2_status st;
    if (huff < len) {
        st = h2_hpack_int_encode((uint32_t)huff, 7u, 0x80u, out, cap, &n);
        if (st != H2_OK) {
            return st;
        }
        st = h2_huffman_encode(s, len, out + n, cap - n, &m);
    } else {
        st = h2_hpack_int_encode(len, 7u, 0x00u, out, cap, &n);
        if (st != H2_OK) {
            return st;
        }
        if (len > cap - n) {
            return H2_E_BUFFER_TOO_SMALL;
        }
        h2_bytes_copy(out + n, s, len);
        m = len;
    }
    *written = n + m;
    return st;
}

/*@ requires \valid(enc);
    requires \valid_read(fields + (0 .. count - 1));
    requires \valid(out + (0 .. cap - 1)) && \valid(written);
    assigns *enc, out[0 .. cap - 1], *written;
*/
h2_status h2_hpack_encode(h2_hpack_encoder *enc, const h2_header *fields,
                          size_t count, uint8_t *out, size_t cap,
                          size_t *written)
{
    uint64_t bound;
    size_t pos = 0u;
    size_t n = 0u;
    size_t i;

    if (count > 0xffffu) {
        return H2_E_INVALID_ARGUMENT;
    }
    bound = h2_hpack_encode_bound(enc, fields, count);
    if ((uint64_t)cap < bound) {
        *written = (size_t)bound;
        return H2_E_BUFFER_TOO_SMALL;
    }
    if (enc->update_pending != 0u) {
        /* RFC 7541 4.2: the smallest limit since the last block, then the
         * current one when it differs. */
        if (enc->pending_min_size < enc->table.max_size) {
            (void)h2_hpack_int_encode(enc->pending_min_size, 5u, REPR_SIZE_UPDATE,
                                      out + pos, cap - pos, &n);
            pos += n;
        }
        (void)h2_hpack_int_encode(enc->table.max_size, 5u, REPR_SIZE_UPDATE,
                                  out + pos, cap - pos, &n);
        pos += n;
        enc->update_pending = 0u;
        enc->pending_min_size = enc->table.max_size;
    }
    /*@ loop invariant 0 <= i <= count;
        loop assigns i, pos, n, *enc, out[0 .. cap - 1];
        loop variant count - i;
    */
    for (i = 0u; i < count; i++) {
        const h2_header *f = &fields[i];
        int never = (f->flags & H2_HEADER_FIELD_NEVER_INDEXED) != 0u;
        int s_full = 0;
        int d_full = 0;
        uint32_t s_idx = static_lookup(f, &s_full);
        uint32_t d_pos = dynamic_lookup(&enc->table, f, &d_full);
        uint32_t name_idx;
        uint8_t pattern;
        uint8_t prefix;
        int insert;
        uint64_t entry = (uint64_t)f->name_len + f->value_len + H2_HPACK_ENTRY_OVERHEAD;

        if (!never && s_full) {
            (void)h2_hpack_int_encode(s_idx, 7u, REPR_INDEXED, out + pos, cap - pos, &n);
            pos += n;
            continue;
        }
        if (!never && d_full) {
            (void)h2_hpack_int_encode(H2_HPACK_STATIC_TABLE_LENGTH + d_pos, 7u, REPR_INDEXED,
                                      out + pos, cap - pos, &n);
            pos += n;
            continue;
        }
        /* Prefer the static table's name: its index never changes. */
        name_idx = s_idx != 0u ? s_idx :
                   (d_pos != 0u ? H2_HPACK_STATIC_TABLE_LENGTH + d_pos : 0u);
        insert = 0;
        if (never) {
            pattern = REPR_NEVER_INDEXED;
            prefix = 4u;
        } else if ((f->name_len == 5u && f->name[0] == (uint8_t)':' &&
                    f->name[1] == (uint8_t)'p' && f->name[2] == (uint8_t)'a' &&
                    f->name[3] == (uint8_t)'t' && f->name[4] == (uint8_t)'h') ||
                   entry > enc->table.max_size / INDEX_SHARE_DIVISOR) {
            /* Paths rarely repeat and large values would churn the table. */
            pattern = REPR_WITHOUT_INDEXING;
            prefix = 4u;
        } else {
            pattern = REPR_INCREMENTAL;
            prefix = 6u;
            insert = 1;
        }
        (void)h2_hpack_int_encode(name_idx, prefix, pattern, out + pos, cap - pos, &n);
        pos += n;
        if (name_idx == 0u) {
            (void)put_string(f->name, f->name_len, out + pos, cap - pos, &n);
            pos += n;
        }
        (void)put_string(f->value, f->value_len, out + pos, cap - pos, &n);
        pos += n;
        if (insert) {
            h2_hpack_table_insert(&enc->table, f->name, f->name_len, f->value, f->value_len);
        }
    }
    *written = pos;
    return H2_OK;
}
