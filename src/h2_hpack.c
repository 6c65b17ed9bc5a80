/*
 * libh2 HPACK core (RFC 7541): primitive integers, the static and dynamic
 * tables, the header arena accessors and the encoder. The incremental
 * decoder is in h2_hpack_decode.c, the Huffman code in h2_huffman.c.
 */
#include "h2_hpack_internal.h"

#include "h2_bytes.h"

/* ------------------------------------------------------------------ */
/* Integers (RFC 7541 section 5.1)                                     */
/* ------------------------------------------------------------------ */

/*@ // 2^N - 1: the largest value an N-bit prefix holds by itself.
    logic integer h2_hpack_prefix_max(integer n) =
        n == 1 ? 1 : n == 2 ? 3 : n == 3 ? 7 : n == 4 ? 15 :
        n == 5 ? 31 : n == 6 ? 63 : n == 7 ? 127 : 255;

    // Weight of the payload of continuation byte c (0-based): 128^c.
    logic integer h2_hpack_weight(integer c) =
        c == 0 ? 1 : c == 1 ? 128 : c == 2 ? 16384 : c == 3 ? 2097152 :
        268435456;

    // Continuation bytes that encode r (the value minus 2^N - 1).
    logic integer h2_hpack_cont_len(integer r) =
        r < 128 ? 1 : r < 16384 ? 2 : r < 2097152 ? 3 :
        r < 268435456 ? 4 : 5;

    // Bytes of the encoding of v with an N-bit prefix.
    logic integer h2_hpack_int_len(integer v, integer n) =
        v < h2_hpack_prefix_max(n) ? 1 :
        1 + h2_hpack_cont_len(v - h2_hpack_prefix_max(n));
*/

/* 2^N for N = 0 .. 8: prefix arithmetic without variable shifts. */
static const uint32_t h2_hpack_pow2[9] = {
    1u, 2u, 4u, 8u, 16u, 32u, 64u, 128u, 256u,
};

/* 128^c: the weight of continuation byte c. */
static const uint32_t h2_hpack_weight_of[H2_HPACK_INT_MAX_CONTINUATION] = {
    1u, 128u, 16384u, 2097152u, 268435456u,
};

/*@ requires \valid(value) && \valid(count) && \valid(done);
    requires \separated(value, count, done);
    assigns *value, *count, *done;
    ensures \result == H2_OK || \result == H2_E_COMPRESSION;
    ensures \result == H2_E_COMPRESSION ==>
            *value == \old(*value) && *count == \old(*count) &&
            *done == \old(*done);
    ensures \result == H2_OK ==>
            \old(*count) < H2_HPACK_INT_MAX_CONTINUATION &&
            *count == \old(*count) + 1 &&
            *value == \old(*value) +
                      (byte % 128) * h2_hpack_weight(\old(*count));
    ensures \result == H2_OK ==> (*done == 1 <==> byte < 128);
    ensures \result == H2_OK ==> (*done == 0 <==> byte >= 128);
    ensures \result == H2_OK && *done == 0 ==>
            *count < H2_HPACK_INT_MAX_CONTINUATION;
    ensures \result == H2_OK && *done == 1 && \old(*count) > 0 ==> byte != 0;
*/
h2_status h2_hpack_int_next(uint32_t *value, uint8_t *count, uint8_t byte,
                            int *done)
{
    uint8_t c = *count;
    uint64_t sum;

    if (c >= H2_HPACK_INT_MAX_CONTINUATION) {
        return H2_E_COMPRESSION;
    }
    /* A continuation bit on the last allowed byte asks for a sixth one,
     * which could only overflow or be a zero (over-long) byte. */
    if (byte >= 128u && c + 1u >= H2_HPACK_INT_MAX_CONTINUATION) {
        return H2_E_COMPRESSION;
    }
    /* A final zero after other continuation bytes adds nothing: the same
     * value has a shorter encoding. */
    if (byte == 0u && c > 0u) {
        return H2_E_COMPRESSION;
    }
    sum = (uint64_t)*value + (uint64_t)(byte % 128u) * h2_hpack_weight_of[c];
    if (sum > UINT32_MAX) {
        return H2_E_COMPRESSION;
    }
    *value = (uint32_t)sum;
    *count = (uint8_t)(c + 1u);
    *done = (byte < 128u) ? 1 : 0;
    return H2_OK;
}

/*@ requires 1 <= prefix_bits <= 8;
    requires \valid_read(in + (0 .. in_len - 1));
    requires \valid(value) && \valid(used);
    requires \separated(value, used, in + (0 .. in_len - 1));
    assigns *value, *used;
    ensures \result == H2_OK || \result == H2_E_INCOMPLETE ||
            \result == H2_E_COMPRESSION;
    ensures \result == H2_OK ==>
            1 <= *used <= in_len && *used <= 1 + H2_HPACK_INT_MAX_CONTINUATION;
    ensures \result != H2_OK ==>
            *value == \old(*value) && *used == \old(*used);
    ensures in_len == 0 ==> \result == H2_E_INCOMPLETE;
    ensures in_len >= 1 &&
            in[0] % (h2_hpack_prefix_max(prefix_bits) + 1) <
                h2_hpack_prefix_max(prefix_bits) ==>
            \result == H2_OK && *used == 1 &&
            *value == in[0] % (h2_hpack_prefix_max(prefix_bits) + 1);
*/
h2_status h2_hpack_int_decode(const uint8_t *in, size_t in_len,
                              uint8_t prefix_bits, uint32_t *value,
                              size_t *used)
{
    uint32_t v;
    uint32_t max;
    uint8_t count = 0u;
    int done = 0;
    size_t i;

    if (in_len == 0u) {
        return H2_E_INCOMPLETE;
    }
    max = h2_hpack_pow2[prefix_bits] - 1u;
    v = (uint32_t)in[0] % h2_hpack_pow2[prefix_bits];
    if (v < max) {
        *value = v;
        *used = 1u;
        return H2_OK;
    }
    /*@ loop invariant 1 <= i <= in_len;
        loop invariant count == i - 1;
        loop invariant count < H2_HPACK_INT_MAX_CONTINUATION;
        loop assigns i, v, count, done;
        loop variant in_len - i;
    */
    for (i = 1u; i < in_len; i++) {
        if (h2_hpack_int_next(&v, &count, in[i], &done) != H2_OK) {
            return H2_E_COMPRESSION;
        }
        if (done != 0) {
            *value = v;
            *used = i + 1u;
            return H2_OK;
        }
    }
    return H2_E_INCOMPLETE;
}

/*@ requires 1 <= prefix_bits <= 8;
    assigns \nothing;
    ensures \result == h2_hpack_int_len(value, prefix_bits);
    ensures 1 <= \result <= 1 + H2_HPACK_INT_MAX_CONTINUATION;
*/
size_t h2_hpack_int_length(uint32_t value, uint8_t prefix_bits)
{
    uint32_t max = h2_hpack_pow2[prefix_bits] - 1u;
    uint32_t rest;

    if (value < max) {
        return 1u;
    }
    rest = value - max;
    if (rest < 128u) {
        return 2u;
    }
    if (rest < 16384u) {
        return 3u;
    }
    if (rest < 2097152u) {
        return 4u;
    }
    if (rest < 268435456u) {
        return 5u;
    }
    return 6u;
}

/*@ requires 1 <= prefix_bits <= 8;
    assigns \nothing;
    ensures \result % (h2_hpack_prefix_max(prefix_bits) + 1) == 0;
    ensures \result + h2_hpack_prefix_max(prefix_bits) <= 255;
    ensures \result <= high_bits;
*/
static uint32_t h2_hpack_pattern(uint8_t high_bits, uint8_t prefix_bits)
{
    /* The representation's bits are those above the prefix. */
    return (uint32_t)high_bits / h2_hpack_pow2[prefix_bits] *
           h2_hpack_pow2[prefix_bits];
}

/*@ requires 1 <= prefix_bits <= 8;
    requires \valid(out + (0 .. cap - 1));
    requires \valid(written);
    requires \separated(written, out + (0 .. cap - 1));
    assigns *written, out[0 .. cap - 1];
    ensures *written == h2_hpack_int_len(value, prefix_bits);
    ensures \result == H2_OK || \result == H2_E_BUFFER_TOO_SMALL;
    ensures \result == H2_OK <==> *written <= cap;
    ensures \result == H2_E_BUFFER_TOO_SMALL ==>
            \forall integer k; 0 <= k < cap ==> out[k] == \old(out[k]);
    ensures \result == H2_OK ==>
            \forall integer k; *written <= k < cap ==> out[k] == \old(out[k]);
*/
h2_status h2_hpack_int_encode(uint32_t value, uint8_t prefix_bits,
                              uint8_t high_bits, uint8_t *out, size_t cap,
                              size_t *written)
{
    size_t need = h2_hpack_int_length(value, prefix_bits);
    uint32_t max = h2_hpack_pow2[prefix_bits] - 1u;
    uint32_t pattern = h2_hpack_pattern(high_bits, prefix_bits);
    uint32_t rest;
    size_t i;

    if (cap < need) {
        *written = need;
        return H2_E_BUFFER_TOO_SMALL;
    }
    if (value < max) {
        out[0] = (uint8_t)(pattern + value);
        *written = 1u;
        return H2_OK;
    }
    out[0] = (uint8_t)(pattern + max);
    rest = value - max;
    i = 1u;
    /*@ loop invariant 1 <= i < need;
        loop invariant i + h2_hpack_cont_len(rest) == need;
        loop invariant \forall integer k; need <= k < cap ==>
                       out[k] == \at(out[k], Pre);
        loop assigns i, rest, out[1 .. need - 1];
        loop variant rest;
    */
    while (rest >= 128u) {
        out[i] = (uint8_t)(rest % 128u + 128u);
        rest = rest / 128u;
        i++;
    }
    out[i] = (uint8_t)rest;
    *written = need;
    return H2_OK;
}

/* ------------------------------------------------------------------ */
/* Static table (RFC 7541 Appendix A)                                  */
/* ------------------------------------------------------------------ */

/* Where a static entry's name and value lie in h2_hpack_static_bytes. */
typedef struct h2_hpack_static_entry {
    uint16_t name_offset;
    uint8_t name_len;
    uint16_t value_offset;
    uint8_t value_len;
} h2_hpack_static_entry;

/* Every name and value of the static table, back to back (684 bytes; the
 * array also holds the literal's terminating zero). */
static const uint8_t h2_hpack_static_bytes[685] =
    ":authority"
    ":method" "GET"
    ":method" "POST"
    ":path" "/"
    ":path" "/index.html"
    ":scheme" "http"
    ":scheme" "https"
    ":status" "200"
    ":status" "204"
    ":status" "206"
    ":status" "304"
    ":status" "400"
    ":status" "404"
    ":status" "500"
    "accept-charset"
    "accept-encoding" "gzip, deflate"
    "accept-language"
    "accept-ranges"
    "accept"
    "access-control-allow-origin"
    "age"
    "allow"
    "authorization"
    "cache-control"
    "content-disposition"
    "content-encoding"
    "content-language"
    "content-length"
    "content-location"
    "content-range"
    "content-type"
    "cookie"
    "date"
    "etag"
    "expect"
    "expires"
    "from"
    "host"
    "if-match"
    "if-modified-since"
    "if-none-match"
    "if-range"
    "if-unmodified-since"
    "last-modified"
    "link"
    "location"
    "max-forwards"
    "proxy-authenticate"
    "proxy-authorization"
    "range"
    "referer"
    "refresh"
    "retry-after"
    "server"
    "set-cookie"
    "strict-transport-security"
    "transfer-encoding"
    "user-agent"
    "vary"
    "via"
    "www-authenticate";

static const h2_hpack_static_entry
    h2_hpack_static_table[H2_HPACK_STATIC_TABLE_LENGTH] = {
    {0u, 10u, 10u, 0u}, /* 1 */
    {10u, 7u, 17u, 3u}, /* 2 */
    {20u, 7u, 27u, 4u}, /* 3 */
    {31u, 5u, 36u, 1u}, /* 4 */
    {37u, 5u, 42u, 11u}, /* 5 */
    {53u, 7u, 60u, 4u}, /* 6 */
    {64u, 7u, 71u, 5u}, /* 7 */
    {76u, 7u, 83u, 3u}, /* 8 */
    {86u, 7u, 93u, 3u}, /* 9 */
    {96u, 7u, 103u, 3u}, /* 10 */
    {106u, 7u, 113u, 3u}, /* 11 */
    {116u, 7u, 123u, 3u}, /* 12 */
    {126u, 7u, 133u, 3u}, /* 13 */
    {136u, 7u, 143u, 3u}, /* 14 */
    {146u, 14u, 160u, 0u}, /* 15 */
    {160u, 15u, 175u, 13u}, /* 16 */
    {188u, 15u, 203u, 0u}, /* 17 */
    {203u, 13u, 216u, 0u}, /* 18 */
    {216u, 6u, 222u, 0u}, /* 19 */
    {222u, 27u, 249u, 0u}, /* 20 */
    {249u, 3u, 252u, 0u}, /* 21 */
    {252u, 5u, 257u, 0u}, /* 22 */
    {257u, 13u, 270u, 0u}, /* 23 */
    {270u, 13u, 283u, 0u}, /* 24 */
    {283u, 19u, 302u, 0u}, /* 25 */
    {302u, 16u, 318u, 0u}, /* 26 */
    {318u, 16u, 334u, 0u}, /* 27 */
    {334u, 14u, 348u, 0u}, /* 28 */
    {348u, 16u, 364u, 0u}, /* 29 */
    {364u, 13u, 377u, 0u}, /* 30 */
    {377u, 12u, 389u, 0u}, /* 31 */
    {389u, 6u, 395u, 0u}, /* 32 */
    {395u, 4u, 399u, 0u}, /* 33 */
    {399u, 4u, 403u, 0u}, /* 34 */
    {403u, 6u, 409u, 0u}, /* 35 */
    {409u, 7u, 416u, 0u}, /* 36 */
    {416u, 4u, 420u, 0u}, /* 37 */
    {420u, 4u, 424u, 0u}, /* 38 */
    {424u, 8u, 432u, 0u}, /* 39 */
    {432u, 17u, 449u, 0u}, /* 40 */
    {449u, 13u, 462u, 0u}, /* 41 */
    {462u, 8u, 470u, 0u}, /* 42 */
    {470u, 19u, 489u, 0u}, /* 43 */
    {489u, 13u, 502u, 0u}, /* 44 */
    {502u, 4u, 506u, 0u}, /* 45 */
    {506u, 8u, 514u, 0u}, /* 46 */
    {514u, 12u, 526u, 0u}, /* 47 */
    {526u, 18u, 544u, 0u}, /* 48 */
    {544u, 19u, 563u, 0u}, /* 49 */
    {563u, 5u, 568u, 0u}, /* 50 */
    {568u, 7u, 575u, 0u}, /* 51 */
    {575u, 7u, 582u, 0u}, /* 52 */
    {582u, 11u, 593u, 0u}, /* 53 */
    {593u, 6u, 599u, 0u}, /* 54 */
    {599u, 10u, 609u, 0u}, /* 55 */
    {609u, 25u, 634u, 0u}, /* 56 */
    {634u, 17u, 651u, 0u}, /* 57 */
    {651u, 10u, 661u, 0u}, /* 58 */
    {661u, 4u, 665u, 0u}, /* 59 */
    {665u, 3u, 668u, 0u}, /* 60 */
    {668u, 16u, 684u, 0u}, /* 61 */
};

/* For each entry, the index of the first entry with the same name: names
 * repeat only in runs (":method" 2-3, ":path" 4-5, ":scheme" 6-7,
 * ":status" 8-14), so the encoder compares each name once. */
static const uint8_t h2_hpack_static_name_first[H2_HPACK_STATIC_TABLE_LENGTH] = {
    1u, 2u, 2u, 4u, 4u, 6u, 6u, 8u, 8u, 8u, 8u, 8u, 8u, 8u, 15u,
    16u, 17u, 18u, 19u, 20u, 21u, 22u, 23u, 24u, 25u, 26u, 27u, 28u, 29u, 30u,
    31u, 32u, 33u, 34u, 35u, 36u, 37u, 38u, 39u, 40u, 41u, 42u, 43u, 44u, 45u,
    46u, 47u, 48u, 49u, 50u, 51u, 52u, 53u, 54u, 55u, 56u, 57u, 58u, 59u, 60u,
    61u,
};

/*@ requires 1 <= index <= H2_HPACK_STATIC_TABLE_LENGTH;
    requires \valid(out);
    assigns *out;
    ensures 1 <= out->name_len <= 27 && out->value_len <= 13;
    ensures \valid_read(out->name + (0 .. out->name_len - 1));
    ensures \valid_read(out->value + (0 .. out->value_len - 1));
    ensures out->flags == 0;
*/
void h2_hpack_static_get(uint32_t index, h2_header *out)
{
    /* Read the entry before writing *out: the proof need not show that
     * out does not alias the constant table. */
    uint32_t name_offset = h2_hpack_static_table[index - 1u].name_offset;
    uint32_t name_len = h2_hpack_static_table[index - 1u].name_len;
    uint32_t value_offset = h2_hpack_static_table[index - 1u].value_offset;
    uint32_t value_len = h2_hpack_static_table[index - 1u].value_len;

    //@ assert 1 <= name_len <= 27 && value_len <= 13;
    //@ assert name_offset + name_len <= 684 && value_offset + value_len <= 684;
    out->name = &h2_hpack_static_bytes[name_offset];
    out->name_len = name_len;
    out->value = &h2_hpack_static_bytes[value_offset];
    out->value_len = value_len;
    out->flags = 0u;
}

/* ------------------------------------------------------------------ */
/* Header arena                                                        */
/* ------------------------------------------------------------------ */

/*@ requires \valid(arena);
    assigns arena->used, arena->count;
    ensures arena->used == 0 && arena->count == 0;
*/
void h2_header_arena_reset(h2_header_arena *arena)
{
    arena->used = 0u;
    arena->count = 0u;
}

/*@ requires \valid_read(arena) && \valid(out);
    requires \separated(arena, out);
    requires index < arena->count <= H2_HEADER_ARENA_FIELDS;
    requires arena->used <= H2_HEADER_ARENA_CAPACITY;
    requires arena->fields[index].name_offset +
             arena->fields[index].name_len <= arena->used;
    requires arena->fields[index].value_offset +
             arena->fields[index].value_len <= arena->used;
    assigns *out;
    ensures out->name == &arena->bytes[arena->fields[index].name_offset];
    ensures out->value == &arena->bytes[arena->fields[index].value_offset];
    ensures out->name_len == arena->fields[index].name_len;
    ensures out->value_len == arena->fields[index].value_len;
    ensures out->flags == arena->fields[index].flags % 2;
    ensures \valid_read(out->name + (0 .. out->name_len - 1));
    ensures \valid_read(out->value + (0 .. out->value_len - 1));
*/
void h2_header_arena_get(const h2_header_arena *arena, uint32_t index,
                         h2_header *out)
{
    const h2_header_field *f = &arena->fields[index];

    out->name = &arena->bytes[f->name_offset];
    out->name_len = f->name_len;
    out->value = &arena->bytes[f->value_offset];
    out->value_len = f->value_len;
    /* Only the public bit: the others are the decoder's notes. */
    out->flags = (uint8_t)(f->flags % 2u);
}

/* ------------------------------------------------------------------ */
/* Dynamic table (RFC 7541 sections 2.3.2 and 4)                       */
/* ------------------------------------------------------------------ */

/* Entry i (0 = newest) lives in slot (newest - i) mod MAX_ENTRIES of the
 * entry ring; its name and value lie back to back in the byte ring from
 * its offset on, wrapping at the end. New bytes go at head, right after
 * the newest entry's, and eviction only drops the oldest entry, so the
 * live bytes always form one run ending at head. The invariant
 * h2_hpack_table_ok is in h2_hpack_internal.h. */

/*@ // A position of the byte ring, start + k with start and k below the
    // capacity, brought back into the ring.
    logic integer h2_hpack_wrap(integer pos) =
        pos < H2_HPACK_TABLE_CAPACITY ? pos : pos - H2_HPACK_TABLE_CAPACITY;
*/

/*@ requires \valid_read(t);
    requires t->newest < H2_HPACK_TABLE_MAX_ENTRIES;
    requires i < H2_HPACK_TABLE_MAX_ENTRIES;
    assigns \nothing;
    ensures \result == h2_hpack_slot(t->newest, i);
    ensures \result < H2_HPACK_TABLE_MAX_ENTRIES;
*/
static uint32_t h2_hpack_slot_of(const h2_hpack_table *t, uint32_t i)
{
    return (t->newest + H2_HPACK_TABLE_MAX_ENTRIES - i) %
           H2_HPACK_TABLE_MAX_ENTRIES;
}

/*@ requires \valid(t);
    requires start < H2_HPACK_TABLE_CAPACITY;
    requires len <= H2_HPACK_TABLE_CAPACITY;
    requires \valid_read(src + (0 .. len - 1));
    requires \separated(t, src + (0 .. len - 1));
    assigns t->bytes[0 .. H2_HPACK_TABLE_CAPACITY - 1];
    ensures \forall integer k; 0 <= k < len ==>
            t->bytes[h2_hpack_wrap(start + k)] == src[k];
*/
static void h2_hpack_ring_write(h2_hpack_table *t, uint32_t start,
                                const uint8_t *src, uint32_t len)
{
    uint32_t first = H2_HPACK_TABLE_CAPACITY - start;

    if (len <= first) {
        h2_bytes_copy(&t->bytes[start], src, len);
    } else {
        h2_bytes_copy(&t->bytes[start], src, first);
        h2_bytes_copy(&t->bytes[0], src + first, len - first);
    }
}

/*@ requires \valid_read(t);
    requires start < H2_HPACK_TABLE_CAPACITY;
    requires len <= H2_HPACK_TABLE_CAPACITY;
    requires \valid(dst + (0 .. len - 1));
    requires \separated(t, dst + (0 .. len - 1));
    assigns dst[0 .. len - 1];
    ensures \forall integer k; 0 <= k < len ==>
            dst[k] == t->bytes[h2_hpack_wrap(start + k)];
*/
static void h2_hpack_ring_read(const h2_hpack_table *t, uint32_t start,
                               uint8_t *dst, uint32_t len)
{
    uint32_t first = H2_HPACK_TABLE_CAPACITY - start;

    if (len <= first) {
        h2_bytes_copy(dst, &t->bytes[start], len);
    } else {
        h2_bytes_copy(dst, &t->bytes[start], first);
        h2_bytes_copy(dst + first, &t->bytes[0], len - first);
    }
}

/*@ requires \valid_read(t);
    requires start < H2_HPACK_TABLE_CAPACITY;
    requires len <= H2_HPACK_TABLE_CAPACITY;
    requires \valid_read(p + (0 .. len - 1));
    assigns \nothing;
    ensures \result == 0 || \result == 1;
    ensures \result == 1 ==>
            (\forall integer k; 0 <= k < len ==>
             t->bytes[h2_hpack_wrap(start + k)] == p[k]);
    ensures (\forall integer k; 0 <= k < len ==>
             t->bytes[h2_hpack_wrap(start + k)] == p[k]) ==> \result == 1;
*/
static int h2_hpack_ring_equal(const h2_hpack_table *t, uint32_t start,
                               const uint8_t *p, uint32_t len)
{
    uint32_t first = H2_HPACK_TABLE_CAPACITY - start;
    int rest;

    if (len <= first) {
        rest = h2_bytes_equal(&t->bytes[start], p, len);
        /*@ assert rest == 1 <==>
                   (\forall integer k; 0 <= k < len ==>
                    t->bytes[start + k] == p[k]);
        */
        return rest;
    }
    /*@ assert \forall integer k; 0 <= k < first ==>
               h2_hpack_wrap(start + k) == start + k;
    */
    /*@ assert \forall integer k; first <= k < len ==>
               h2_hpack_wrap(start + k) == k - first;
    */
    if (h2_bytes_equal(&t->bytes[start], p, first) == 0) {
        return 0;
    }
    /*@ assert \forall integer k; 0 <= k < first ==>
               t->bytes[h2_hpack_wrap(start + k)] == p[k];
    */
    rest = h2_bytes_equal(&t->bytes[0], p + first, len - first);
    /*@ assert rest == 1 <==>
               (\forall integer j; 0 <= j < len - first ==>
                t->bytes[j] == p[first + j]);
    */
    /*@ assert (\forall integer j; 0 <= j < len - first ==>
                t->bytes[j] == p[first + j]) <==>
               (\forall integer k; first <= k < len ==>
                t->bytes[k - first] == p[k]);
    */
    /*@ assert rest == 1 <==>
               (\forall integer k; first <= k < len ==>
                t->bytes[h2_hpack_wrap(start + k)] == p[k]);
    */
    return rest;
}

/*@ requires \valid(t);
    requires max_size <= H2_HPACK_TABLE_CAPACITY;
    assigns t->newest, t->head, t->count, t->size, t->max_size;
    ensures h2_hpack_table_ok(t);
    ensures t->count == 0 && t->size == 0 && t->max_size == max_size;
*/
void h2_hpack_table_init(h2_hpack_table *t, uint32_t max_size)
{
    t->newest = 0u;
    t->head = 0u;
    t->count = 0u;
    t->size = 0u;
    t->max_size = max_size;
}

/*@ requires \valid(t);
    requires h2_hpack_table_shape(t);
    requires t->count > 0;
    assigns t->count, t->size;
    ensures h2_hpack_table_shape(t);
    ensures t->count == \old(t->count) - 1;
    ensures t->size == \old(t->size) -
            (\old(h2_hpack_elen(t, t->newest, t->count - 1)) +
             H2_HPACK_ENTRY_OVERHEAD);
    ensures t->size < \old(t->size);
*/
static void h2_hpack_table_evict(h2_hpack_table *t)
{
    uint32_t slot = h2_hpack_slot_of(t, t->count - 1u);
    uint32_t freed = (uint32_t)t->entries[slot].name_len +
                     t->entries[slot].value_len + H2_HPACK_ENTRY_OVERHEAD;

    /*@ assert freed == h2_hpack_elen(t, t->newest, t->count - 1) +
                         H2_HPACK_ENTRY_OVERHEAD;
    */
    /*@ assert t->count >= 2 ==>
               h2_hpack_dist(t, t->newest, t->head, t->count - 1) ==
               h2_hpack_dist(t, t->newest, t->head, t->count - 2) +
               h2_hpack_elen(t, t->newest, t->count - 1);
    */
    /*@ assert t->count == 1 ==>
               h2_hpack_dist(t, t->newest, t->head, 0) ==
               h2_hpack_elen(t, t->newest, 0);
    */
    /*@ assert t->size == h2_hpack_dist(t, t->newest, t->head, t->count - 1) +
                         H2_HPACK_ENTRY_OVERHEAD * t->count;
    */
    t->size -= freed;
    t->count--;
    /*@ assert \forall integer j; 0 <= j < t->count ==>
            (\forall integer i; 0 <= i <= j ==>
                h2_hpack_dist(t, t->newest, t->head, i) <=
                h2_hpack_dist(t, t->newest, t->head, j)); */
    /*@ assert \forall integer i; 0 <= i && i + 1 < t->count ==>
            h2_hpack_dist(t, t->newest, t->head, i + 1) ==
            h2_hpack_dist(t, t->newest, t->head, i) +
            h2_hpack_elen(t, t->newest, i + 1); */
    //@ assert h2_hpack_ring_ok(t, t->newest, t->head, t->count, t->size);
}

/*@ requires \valid(t);
    requires h2_hpack_table_ok(t);
    requires max_size <= H2_HPACK_TABLE_CAPACITY;
    assigns t->count, t->size, t->max_size;
    ensures h2_hpack_table_ok(t);
    ensures t->max_size == max_size;
    ensures t->size <= t->max_size;
    ensures t->count <= \old(t->count);
    ensures \old(t->size) <= max_size ==>
            t->count == \old(t->count) && t->size == \old(t->size);
*/
void h2_hpack_table_set_max_size(h2_hpack_table *t, uint32_t max_size)
{
    t->max_size = max_size;
    /*@ loop invariant h2_hpack_table_shape(t);
        loop invariant t->max_size == max_size;
        loop invariant t->count <= \at(t->count, Pre);
        loop invariant \at(t->size, Pre) <= max_size ==>
                       t->count == \at(t->count, Pre) &&
                       t->size == \at(t->size, Pre);
        loop assigns t->count, t->size;
        loop variant t->count;
    */
    while (t->size > max_size) {
        h2_hpack_table_evict(t);
    }
}

/*@ requires \valid(t);
    requires h2_hpack_table_shape(t);
    requires name_len + value_len + H2_HPACK_ENTRY_OVERHEAD + t->size <=
             t->max_size;
    assigns t->entries[0 .. H2_HPACK_TABLE_MAX_ENTRIES - 1],
            t->newest, t->head, t->count, t->size;
    ensures h2_hpack_table_ok(t);
    ensures t->count == \old(t->count) + 1;
    ensures t->size == \old(t->size) + name_len + value_len +
                       H2_HPACK_ENTRY_OVERHEAD;
    ensures t->entries[t->newest].offset == \old(t->head);
    ensures t->entries[t->newest].name_len == name_len;
    ensures t->entries[t->newest].value_len == value_len;
*/
static void h2_hpack_table_push(h2_hpack_table *t, uint32_t name_len,
                                uint32_t value_len)
{
    uint32_t len = name_len + value_len;
    uint32_t start = t->head;
    uint32_t slot = (t->newest + 1u) % H2_HPACK_TABLE_MAX_ENTRIES;
    /*@ ghost uint32_t count0 = t->count; */

    /*@ assert t->count > 0 ==> H2_HPACK_ENTRY_OVERHEAD * t->count <= t->size;
    */
    /*@ assert t->count < H2_HPACK_TABLE_MAX_ENTRIES; */
    /*@ assert \forall integer i; 0 <= i < t->count ==>
            h2_hpack_dist(t, t->newest, start, i) + len <
            H2_HPACK_TABLE_CAPACITY;
    */
    t->entries[slot].offset = (uint16_t)start;
    t->entries[slot].name_len = (uint16_t)name_len;
    t->entries[slot].value_len = (uint16_t)value_len;
    t->newest = slot;
    t->head = (start + len) % H2_HPACK_TABLE_CAPACITY;
    t->count++;
    t->size += len + H2_HPACK_ENTRY_OVERHEAD;
    /* The old entries moved one index up, their distances by len. */
    /*@ assert \forall integer i; 1 <= i <= count0 ==>
            h2_hpack_slot(t->newest, i) ==
            h2_hpack_slot(\at(t->newest, Pre), i - 1);
    */
    /*@ assert \forall integer i; 1 <= i <= count0 ==>
            h2_hpack_eoff(t, t->newest, i) ==
            h2_hpack_eoff{Pre}(t, \at(t->newest, Pre), i - 1) &&
            h2_hpack_elen(t, t->newest, i) ==
            h2_hpack_elen{Pre}(t, \at(t->newest, Pre), i - 1);
    */
    /*@ assert \forall integer i; 1 <= i <= count0 ==>
            h2_hpack_dist(t, t->newest, t->head, i) ==
            h2_hpack_dist{Pre}(t, \at(t->newest, Pre), start, i - 1) + len;
    */
    /*@ assert h2_hpack_dist(t, t->newest, t->head, 0) == len;
    */
    /*@ assert h2_hpack_elen(t, t->newest, 0) == len;
    */
    /*@ assert \forall integer i; 0 <= i && i + 1 < t->count ==>
            h2_hpack_dist(t, t->newest, t->head, i + 1) ==
            h2_hpack_dist(t, t->newest, t->head, i) +
            h2_hpack_elen(t, t->newest, i + 1);
    */
    /*@ assert \forall integer j; 0 <= j < t->count ==>
            (\forall integer i; 0 <= i <= j ==>
                h2_hpack_dist(t, t->newest, t->head, i) <=
                h2_hpack_dist(t, t->newest, t->head, j));
    */
    /*@ assert t->size == h2_hpack_dist(t, t->newest, t->head, t->count - 1) +
            H2_HPACK_ENTRY_OVERHEAD * t->count;
    */
    /*@ assert \forall integer i; 0 <= i < t->count ==>
            h2_hpack_eoff(t, t->newest, i) < H2_HPACK_TABLE_CAPACITY;
    */
    //@ assert h2_hpack_ring_ok(t, t->newest, t->head, t->count, t->size);
}

/*@ requires \valid(t);
    requires h2_hpack_table_ok(t);
    requires \valid_read(name + (0 .. name_len - 1));
    requires \valid_read(value + (0 .. value_len - 1));
    requires \separated(t, name + (0 .. name_len - 1));
    requires \separated(t, value + (0 .. value_len - 1));
    assigns t->bytes[0 .. H2_HPACK_TABLE_CAPACITY - 1],
            t->entries[0 .. H2_HPACK_TABLE_MAX_ENTRIES - 1],
            t->newest, t->head, t->count, t->size;
    ensures h2_hpack_table_ok(t);
    ensures t->max_size == \old(t->max_size);
    ensures t->size <= t->max_size;
    ensures name_len + value_len + H2_HPACK_ENTRY_OVERHEAD > t->max_size ==>
            t->count == 0 && t->size == 0;
    ensures name_len + value_len + H2_HPACK_ENTRY_OVERHEAD <= t->max_size ==>
            1 <= t->count <= \old(t->count) + 1 &&
            t->entries[t->newest].name_len == name_len &&
            t->entries[t->newest].value_len == value_len;
*/
void h2_hpack_table_insert(h2_hpack_table *t, const uint8_t *name,
                           uint32_t name_len, const uint8_t *value,
                           uint32_t value_len)
{
    uint64_t need = (uint64_t)name_len + value_len + H2_HPACK_ENTRY_OVERHEAD;

    if (need > t->max_size) {
        /* RFC 7541 section 4.4: the table is emptied, nothing added. */
        t->count = 0u;
        t->size = 0u;
        return;
    }
    /*@ loop invariant h2_hpack_table_shape(t);
        loop invariant t->max_size == \at(t->max_size, Pre);
        loop invariant t->count <= \at(t->count, Pre);
        loop assigns t->count, t->size;
        loop variant t->count;
    */
    while ((uint64_t)t->size + need > t->max_size) {
        h2_hpack_table_evict(t);
    }
    /* The bytes go where the next entry starts; the evictions above made
     * room for them, so no live entry is overwritten. */
    h2_hpack_ring_write(t, t->head, name, name_len);
    h2_hpack_ring_write(t, (t->head + name_len) % H2_HPACK_TABLE_CAPACITY,
                        value, value_len);
    h2_hpack_table_push(t, name_len, value_len);
}

/*@ requires \valid_read(t);
    requires h2_hpack_table_ok(t);
    requires i < t->count;
    assigns \nothing;
    ensures \result < H2_HPACK_TABLE_MAX_ENTRIES;
    ensures \result == h2_hpack_slot(t->newest, i);
*/
uint32_t h2_hpack_table_slot(const h2_hpack_table *t, uint32_t i)
{
    return h2_hpack_slot_of(t, i);
}

/*@ requires \valid_read(t);
    requires h2_hpack_table_ok(t);
    requires i < t->count;
    requires \valid(name_len) && \valid(value_len);
    requires \separated(name_len, value_len, t);
    assigns *name_len, *value_len;
    ensures *name_len == t->entries[h2_hpack_slot(t->newest, i)].name_len;
    ensures *value_len == t->entries[h2_hpack_slot(t->newest, i)].value_len;
    ensures *name_len + *value_len + H2_HPACK_ENTRY_OVERHEAD <= t->size;
*/
void h2_hpack_table_lengths(const h2_hpack_table *t, uint32_t i,
                            uint32_t *name_len, uint32_t *value_len)
{
    uint32_t slot = h2_hpack_slot_of(t, i);

    /*@ assert i >= 1 ==>
            h2_hpack_dist(t, t->newest, t->head, i) ==
            h2_hpack_dist(t, t->newest, t->head, i - 1) +
            h2_hpack_elen(t, t->newest, i);
    */
    /*@ assert h2_hpack_dist(t, t->newest, t->head, i) <=
            h2_hpack_dist(t, t->newest, t->head, t->count - 1);
    */
    *name_len = t->entries[slot].name_len;
    *value_len = t->entries[slot].value_len;
}

/*@ requires \valid_read(t);
    requires h2_hpack_table_ok(t);
    requires i < t->count;
    requires which == 0 || which == 1;
    requires \valid(dst + (0 .. (which == 0 ?
                 t->entries[h2_hpack_slot(t->newest, i)].name_len :
                 t->entries[h2_hpack_slot(t->newest, i)].value_len) - 1));
    requires \separated(t, dst + (0 .. (which == 0 ?
                 t->entries[h2_hpack_slot(t->newest, i)].name_len :
                 t->entries[h2_hpack_slot(t->newest, i)].value_len) - 1));
    assigns dst[0 .. (which == 0 ?
                 t->entries[h2_hpack_slot(t->newest, i)].name_len :
                 t->entries[h2_hpack_slot(t->newest, i)].value_len) - 1];
*/
void h2_hpack_table_copy(const h2_hpack_table *t, uint32_t i, int which,
                         uint8_t *dst)
{
    uint32_t slot = h2_hpack_slot_of(t, i);
    uint32_t offset = t->entries[slot].offset;
    uint32_t name_len;
    uint32_t value_len;

    h2_hpack_table_lengths(t, i, &name_len, &value_len);
    /*@ assert offset < H2_HPACK_TABLE_CAPACITY; */
    if (which == 0) {
        h2_hpack_ring_read(t, offset, dst, name_len);
    } else {
        h2_hpack_ring_read(t, (offset + name_len) % H2_HPACK_TABLE_CAPACITY,
                           dst, value_len);
    }
}

/*@ requires \valid_read(table);
    requires h2_hpack_table_ok(table);
    requires i < table->count;
    requires \valid(scratch + (0 .. h2_hpack_elen(table, table->newest, i) - 1));
    requires \valid(out);
    requires \separated(table, out,
                        scratch + (0 .. h2_hpack_elen(table, table->newest, i) - 1));
    assigns scratch[0 .. h2_hpack_elen(table, table->newest, i) - 1], *out;
    ensures out->name_len ==
            table->entries[h2_hpack_slot(table->newest, i)].name_len;
    ensures out->value_len ==
            table->entries[h2_hpack_slot(table->newest, i)].value_len;
    ensures out->flags == 0;
    ensures \valid_read(out->name + (0 .. out->name_len - 1));
    ensures \valid_read(out->value + (0 .. out->value_len - 1));
*/
void h2_hpack_table_get(const h2_hpack_table *table, uint32_t i,
                        uint8_t *scratch, h2_header *out)
{
    uint32_t slot = h2_hpack_slot_of(table, i);
    uint32_t offset = table->entries[slot].offset;
    uint32_t name_len;
    uint32_t value_len;
    uint32_t value_offset;

    h2_hpack_table_lengths(table, i, &name_len, &value_len);
    /*@ assert offset < H2_HPACK_TABLE_CAPACITY; */
    value_offset = (offset + name_len) % H2_HPACK_TABLE_CAPACITY;
    /* A string that wraps around the ring end is copied out whole. */
    if (name_len <= H2_HPACK_TABLE_CAPACITY - offset) {
        out->name = &table->bytes[offset];
    } else {
        h2_hpack_ring_read(table, offset, scratch, name_len);
        out->name = scratch;
    }
    if (value_len <= H2_HPACK_TABLE_CAPACITY - value_offset) {
        out->value = &table->bytes[value_offset];
    } else {
        h2_hpack_ring_read(table, value_offset, scratch + name_len, value_len);
        out->value = scratch + name_len;
    }
    out->name_len = name_len;
    out->value_len = value_len;
    out->flags = 0u;
}

/* ------------------------------------------------------------------ */
/* Encoder (RFC 7541 sections 4.2 and 6)                               */
/* ------------------------------------------------------------------ */

/* Encoding policy:
 *  - a field the static or dynamic table holds whole is sent indexed,
 *    unless it is flagged never indexed;
 *  - otherwise a literal, its name indexed when a table holds it (static
 *    first, it never moves; a literal empty name is one byte, so it is
 *    never worth an index);
 *  - never indexed (RFC 7541 section 6.2.3) when the caller flags it;
 *  - without indexing for ":path", whose values rarely repeat, and for an
 *    entry over three quarters of the table limit, which would evict
 *    nearly everything for one field;
 *  - with incremental indexing, and added to the table, otherwise.
 * Strings are Huffman coded only when that is strictly shorter. */

/* Largest name or value length the encoder takes: the bound below then
 * stays far from overflowing 64 bits. */
#define H2_HPACK_ENCODE_LEN_MAX 0x7FFFFFFFu
/* Most fields one call takes, for the same reason. */
#define H2_HPACK_ENCODE_FIELDS_MAX 0x7FFFFFFFu

/*@ // Worst case of one field: first byte, then name and value as
    // literal strings (an index is never longer; see h2_hpack_encode_field).
    logic integer h2_hpack_field_bound(integer name_len, integer value_len) =
        1 + h2_hpack_int_len(name_len, 7) + name_len +
        h2_hpack_int_len(value_len, 7) + value_len;

    // Worst case of fields f[k .. n).
    logic integer h2_hpack_fields_bound{L}(h2_header *f, integer k,
                                           integer n) =
        k >= n ? 0 :
        h2_hpack_field_bound(f[k].name_len, f[k].value_len) +
        h2_hpack_fields_bound(f, k + 1, n);

    // The size updates the next block starts with.
    logic integer h2_hpack_updates_bound{L}(h2_hpack_encoder *enc) =
        enc->update_pending == 0 ? 0 :
        h2_hpack_int_len(enc->pending_min_size, 5) +
        h2_hpack_int_len(enc->table.max_size, 5);

    // The encoder is as it was at L1.
    predicate h2_hpack_encoder_same{L1, L2}(h2_hpack_encoder *enc) =
        \at(enc->update_pending, L1) == \at(enc->update_pending, L2) &&
        \at(enc->pending_min_size, L1) == \at(enc->pending_min_size, L2) &&
        \at(enc->table.newest, L1) == \at(enc->table.newest, L2) &&
        \at(enc->table.head, L1) == \at(enc->table.head, L2) &&
        \at(enc->table.count, L1) == \at(enc->table.count, L2) &&
        \at(enc->table.size, L1) == \at(enc->table.size, L2) &&
        \at(enc->table.max_size, L1) == \at(enc->table.max_size, L2) &&
        (\forall integer k; 0 <= k < H2_HPACK_TABLE_MAX_ENTRIES ==>
            \at(enc->table.entries[k].offset, L1) ==
                \at(enc->table.entries[k].offset, L2) &&
            \at(enc->table.entries[k].name_len, L1) ==
                \at(enc->table.entries[k].name_len, L2) &&
            \at(enc->table.entries[k].value_len, L1) ==
                \at(enc->table.entries[k].value_len, L2)) &&
        (\forall integer k; 0 <= k < H2_HPACK_TABLE_MAX_ENTRIES ==>
            \at(enc->name_static[k], L1) == \at(enc->name_static[k], L2)) &&
        (\forall integer k; 0 <= k < H2_HPACK_TABLE_CAPACITY ==>
            \at(enc->table.bytes[k], L1) == \at(enc->table.bytes[k], L2));
*/

/*@ requires \valid(enc);
    assigns enc->table.newest, enc->table.head, enc->table.count,
            enc->table.size, enc->table.max_size, enc->pending_min_size,
            enc->update_pending;
    ensures h2_hpack_encoder_ok(enc);
    ensures enc->table.count == 0;
    ensures enc->table.max_size ==
            (H2_HPACK_TABLE_CAPACITY < H2_HPACK_DEFAULT_TABLE_SIZE ?
             H2_HPACK_TABLE_CAPACITY : H2_HPACK_DEFAULT_TABLE_SIZE);
*/
void h2_hpack_encoder_init(h2_hpack_encoder *enc)
{
    uint32_t limit = H2_HPACK_TABLE_CAPACITY < H2_HPACK_DEFAULT_TABLE_SIZE
                         ? H2_HPACK_TABLE_CAPACITY
                         : H2_HPACK_DEFAULT_TABLE_SIZE;

    h2_hpack_table_init(&enc->table, limit);
    /* The peer's decoder starts at the default: a smaller table must be
     * announced before it is used. */
    enc->pending_min_size = limit;
    enc->update_pending = (limit < H2_HPACK_DEFAULT_TABLE_SIZE) ? 1u : 0u;
}

/*@ requires \valid(enc);
    requires h2_hpack_encoder_ok(enc);
    assigns enc->table.count, enc->table.size, enc->table.max_size,
            enc->pending_min_size, enc->update_pending;
    ensures h2_hpack_encoder_ok(enc);
    ensures enc->table.max_size ==
            (size < H2_HPACK_TABLE_CAPACITY ? size : H2_HPACK_TABLE_CAPACITY);
    ensures enc->update_pending == 1 ==>
            enc->pending_min_size <= enc->table.max_size;
    ensures \old(enc->update_pending) == 1 ==>
            enc->update_pending == 1 &&
            enc->pending_min_size <= \old(enc->pending_min_size);
*/
void h2_hpack_encoder_set_max_table_size(h2_hpack_encoder *enc,
                                         uint32_t size)
{
    uint32_t limit = (size < H2_HPACK_TABLE_CAPACITY) ? size
                                                      : H2_HPACK_TABLE_CAPACITY;

    if (enc->update_pending == 0u) {
        if (limit == enc->table.max_size) {
            return; /* no change, nothing to signal */
        }
        enc->pending_min_size = limit;
        enc->update_pending = 1u;
    } else if (limit < enc->pending_min_size) {
        enc->pending_min_size = limit;
    }
    /* Evicting now to each new limit in turn leaves the table as the
     * peer's will be after the updates we send: smallest, then final. */
    h2_hpack_table_set_max_size(&enc->table, limit);
}

/*@ requires \valid_read(enc);
    requires \valid_read(fields + (0 .. count - 1));
    requires count <= H2_HPACK_ENCODE_FIELDS_MAX;
    requires \forall integer j; 0 <= j < count ==>
             fields[j].name_len <= H2_HPACK_ENCODE_LEN_MAX &&
             fields[j].value_len <= H2_HPACK_ENCODE_LEN_MAX;
    assigns \nothing;
    ensures \result == h2_hpack_updates_bound(enc) +
                       h2_hpack_fields_bound(fields, 0, count);
    ensures \forall integer k; 0 <= k <= count ==>
            h2_hpack_fields_bound(fields, k, count) >= 0;
    ensures \result <= 12 + count * 4294967310;
    ensures \result <= 12 + count * 0x200000000;
*/
uint64_t h2_hpack_encode_bound(const h2_hpack_encoder *enc,
                               const h2_header *fields, size_t count)
{
    uint64_t total = 0u;
    size_t i = count;

    /* From the end, so that each step adds one field in front of the
     * fields already counted. */
    /*@ loop invariant 0 <= i <= count;
        loop invariant total == h2_hpack_fields_bound(fields, i, count);
        loop invariant total <= (count - i) * 4294967310;
        loop invariant \forall integer k; i <= k <= count ==>
                       h2_hpack_fields_bound(fields, k, count) >= 0;
        loop assigns i, total;
        loop variant i;
    */
    while (i > 0u) {
        i--;
        total += 1u + h2_hpack_int_length(fields[i].name_len, 7u) +
                 fields[i].name_len +
                 h2_hpack_int_length(fields[i].value_len, 7u) +
                 fields[i].value_len;
    }
    if (enc->update_pending != 0u) {
        total += h2_hpack_int_length(enc->pending_min_size, 5u) +
                 h2_hpack_int_length(enc->table.max_size, 5u);
    }
    return total;
}

/* The static table's names by a hash of the length and the first and last
 * bytes: every name gets its own slot (the first index of its run; 0 for
 * none), so a name is compared with one candidate at most.
 * tools/gen_static_hash.py searches for such factors and computes the
 * table from RFC 7541 Appendix A (make gen-check compares it with this
 * one); tests/test_hpack.c finds every entry through it. */
#define H2_HPACK_STATIC_HASH_SLOTS 128u
static const uint8_t h2_hpack_static_by_hash[H2_HPACK_STATIC_HASH_SLOTS] = {
    0u, 31u, 54u, 51u, 0u, 0u, 0u, 0u, 57u, 0u, 0u, 26u, 35u, 0u, 39u, 0u,
    30u, 48u, 17u, 0u, 28u, 0u, 18u, 33u, 38u, 42u, 8u, 0u, 29u, 0u, 0u, 59u,
    40u, 24u, 46u, 0u, 0u, 20u, 0u, 32u, 58u, 0u, 0u, 0u, 0u, 0u, 0u, 47u,
    56u, 1u, 0u, 0u, 0u, 0u, 0u, 0u, 0u, 0u, 22u, 0u, 0u, 27u, 43u, 53u,
    0u, 0u, 0u, 55u, 0u, 0u, 0u, 0u, 0u, 25u, 0u, 0u, 15u, 0u, 0u, 4u,
    0u, 2u, 0u, 23u, 19u, 61u, 0u, 0u, 0u, 41u, 0u, 0u, 0u, 0u, 21u, 0u,
    16u, 0u, 0u, 0u, 0u, 0u, 0u, 44u, 60u, 0u, 50u, 37u, 0u, 0u, 0u, 0u,
    0u, 45u, 0u, 34u, 36u, 0u, 0u, 0u, 6u, 0u, 0u, 0u, 0u, 52u, 0u, 49u,
};

/*@ requires name_len >= 1;
    requires \valid_read(name + (0 .. name_len - 1));
    assigns \nothing;
    ensures \result < H2_HPACK_STATIC_HASH_SLOTS;
*/
static uint32_t h2_hpack_static_hash(const uint8_t *name, uint32_t name_len)
{
    return ((name_len % H2_HPACK_STATIC_HASH_SLOTS) * 15u +
            (uint32_t)name[0] * 14u + (uint32_t)name[name_len - 1u] * 39u) %
           H2_HPACK_STATIC_HASH_SLOTS;
}

/*@ requires \valid_read(name + (0 .. name_len - 1));
    requires \valid_read(value + (0 .. value_len - 1));
    requires \valid(name_index);
    requires \separated(name_index, name + (0 .. name_len - 1));
    requires \separated(name_index, value + (0 .. value_len - 1));
    assigns *name_index;
    ensures \result <= H2_HPACK_STATIC_TABLE_LENGTH;
    ensures *name_index <= H2_HPACK_STATIC_TABLE_LENGTH;
*/
static uint32_t h2_hpack_static_find(const uint8_t *name, uint32_t name_len,
                                     const uint8_t *value, uint32_t value_len,
                                     uint32_t *name_index)
{
    h2_header entry;
    uint32_t first;
    uint32_t j;

    *name_index = 0u;
    if (name_len == 0u) {
        return 0u; /* no static name is empty */
    }
    first = h2_hpack_static_by_hash[h2_hpack_static_hash(name, name_len)];
    if (first == 0u || first > H2_HPACK_STATIC_TABLE_LENGTH ||
        h2_hpack_static_table[first - 1u].name_len != name_len) {
        return 0u;
    }
    h2_hpack_static_get(first, &entry);
    if (entry.name_len != name_len ||
        h2_bytes_equal(entry.name, name, name_len) == 0) {
        return 0u;
    }
    /* The run of entries with this name. */
    /*@ loop invariant first <= j <= H2_HPACK_STATIC_TABLE_LENGTH + 1;
        loop assigns j, entry;
        loop variant H2_HPACK_STATIC_TABLE_LENGTH + 1 - j;
    */
    for (j = first; j <= H2_HPACK_STATIC_TABLE_LENGTH &&
                    h2_hpack_static_name_first[j - 1u] == first;
         j++) {
        h2_hpack_static_get(j, &entry);
        if (entry.value_len == value_len &&
            h2_bytes_equal(entry.value, value, value_len) != 0) {
            *name_index = j;
            return j;
        }
    }
    *name_index = first;
    return 0u;
}

/* Position of the field in the encoder's dynamic table, 0 when absent;
 * *name_pos gets the position of an entry with the name. static_name is
 * the name's static index as h2_hpack_static_find gives it, and entries
 * whose name_static differs have another name, uncompared. */
/*@ requires \valid_read(enc);
    requires h2_hpack_table_ok(&enc->table);
    requires \valid_read(name + (0 .. name_len - 1));
    requires \valid_read(value + (0 .. value_len - 1));
    requires \valid(name_pos);
    requires \separated(name_pos, enc);
    requires \separated(name_pos, name + (0 .. name_len - 1));
    requires \separated(name_pos, value + (0 .. value_len - 1));
    assigns *name_pos;
    ensures \result <= enc->table.count;
    ensures *name_pos <= enc->table.count;
*/
static uint32_t h2_hpack_dynamic_find(const h2_hpack_encoder *enc,
                                      uint32_t static_name,
                                      const uint8_t *name, uint32_t name_len,
                                      const uint8_t *value, uint32_t value_len,
                                      uint32_t *name_pos)
{
    const h2_hpack_table *t = &enc->table;
    uint32_t found_name = 0u;
    uint32_t i;

    /* Positions are 1-based (HPACK index minus 61), newest first. */
    /*@ loop invariant 0 <= i <= t->count;
        loop invariant found_name <= i;
        loop assigns i, found_name;
        loop variant t->count - i;
    */
    for (i = 0u; i < t->count; i++) {
        uint32_t slot = h2_hpack_slot_of(t, i);
        uint32_t offset = t->entries[slot].offset;
        uint32_t entry_name_len;
        uint32_t entry_value_len;

        if (enc->name_static[slot] != static_name) {
            continue;
        }
        h2_hpack_table_lengths(t, i, &entry_name_len, &entry_value_len);
        /*@ assert offset < H2_HPACK_TABLE_CAPACITY; */
        if (static_name == 0u &&
            (entry_name_len != name_len ||
             h2_hpack_ring_equal(t, offset, name, name_len) == 0)) {
            continue;
        }
        if (entry_value_len == value_len &&
            h2_hpack_ring_equal(
                t, (offset + entry_name_len) % H2_HPACK_TABLE_CAPACITY, value,
                value_len) != 0) {
            *name_pos = i + 1u;
            return i + 1u;
        }
        if (found_name == 0u) {
            found_name = i + 1u;
        }
    }
    *name_pos = found_name;
    return 0u;
}

/*@ requires len <= H2_HPACK_ENCODE_LEN_MAX;
    requires \valid_read(in + (0 .. len - 1));
    requires \valid(out + (0 .. h2_hpack_int_len(len, 7) + len - 1));
    requires \valid(written);
    requires \separated(out + (0 .. h2_hpack_int_len(len, 7) + len - 1),
                        written);
    requires \separated(in + (0 .. len - 1),
                        out + (0 .. h2_hpack_int_len(len, 7) + len - 1),
                        written);
    assigns out[0 .. h2_hpack_int_len(len, 7) + len - 1], *written;
    ensures *written <= h2_hpack_int_len(len, 7) + len;
*/
static void h2_hpack_string_encode(const uint8_t *in, uint32_t len,
                                   uint8_t *out, size_t *written)
{
    size_t huffman_len = SIZE_MAX;
    size_t prefix_len;
    size_t n;

    /* Huffman only when shorter. */
    if (len >= 127u) {
        /* The code's length first: it decides the length prefix's. */
        huffman_len = h2_huffman_encoded_length(in, len);
        if (huffman_len < len) {
            (void)h2_huffman_encode_within(
                in, len, out + h2_hpack_int_length((uint32_t)huffman_len, 7u),
                huffman_len);
        }
    } else if (len != 0u) {
        /* One pass: both take a one-byte prefix, so the code goes where
         * the raw string would, given up as soon as it reaches len
         * bytes. */
        huffman_len = h2_huffman_encode_within(in, len, out + 1, len - 1u);
    }
    if (huffman_len < len) {
        prefix_len = h2_hpack_int_length((uint32_t)huffman_len, 7u);
        (void)h2_hpack_int_encode((uint32_t)huffman_len, 7u, 0x80u, out,
                                  prefix_len, &n);
        *written = prefix_len + huffman_len;
    } else {
        prefix_len = h2_hpack_int_length(len, 7u);
        (void)h2_hpack_int_encode(len, 7u, 0x00u, out, prefix_len, &n);
        h2_bytes_copy(out + prefix_len, in, len);
        *written = prefix_len + len;
    }
}

/* Index of the field in the static or the dynamic table, 0 when neither
 * has it; *name_index gets an index with the name (0 if none) and
 * *static_name the name's static index (0 if none). */
/*@ requires \valid_read(enc);
    requires h2_hpack_table_ok(&enc->table);
    requires \valid_read(name + (0 .. name_len - 1));
    requires \valid_read(value + (0 .. value_len - 1));
    requires \valid(name_index) && \valid(static_name);
    requires \separated(name_index, static_name, enc);
    requires \separated(name_index, name + (0 .. name_len - 1));
    requires \separated(name_index, value + (0 .. value_len - 1));
    requires \separated(static_name, name + (0 .. name_len - 1));
    requires \separated(static_name, value + (0 .. value_len - 1));
    assigns *name_index, *static_name;
    ensures \result <= H2_HPACK_STATIC_TABLE_LENGTH + enc->table.count;
    ensures *name_index <= H2_HPACK_STATIC_TABLE_LENGTH + enc->table.count;
    ensures *static_name <= H2_HPACK_STATIC_TABLE_LENGTH;
*/
static uint32_t h2_hpack_lookup(const h2_hpack_encoder *enc,
                                const uint8_t *name, uint32_t name_len,
                                const uint8_t *value, uint32_t value_len,
                                uint32_t *name_index, uint32_t *static_name)
{
    uint32_t dynamic_name = 0u;
    uint32_t index;

    index = h2_hpack_static_find(name, name_len, value, value_len,
                                 static_name);
    if (index != 0u) {
        *name_index = *static_name;
        return index;
    }
    index = h2_hpack_dynamic_find(enc, *static_name, name, name_len, value,
                                  value_len, &dynamic_name);
    /* The static name first: its index never changes. */
    if (*static_name != 0u) {
        *name_index = *static_name;
    } else if (dynamic_name != 0u) {
        *name_index = H2_HPACK_STATIC_TABLE_LENGTH + dynamic_name;
    } else {
        *name_index = 0u;
    }
    if (index != 0u) {
        return H2_HPACK_STATIC_TABLE_LENGTH + index;
    }
    return 0u;
}

/*@ requires \valid_read(enc);
    requires h2_hpack_table_ok(&enc->table);
    requires \valid_read(field);
    requires \valid_read(field->name + (0 .. field->name_len - 1));
    requires \valid_read(field->value + (0 .. field->value_len - 1));
    requires \valid(found);
    requires \separated(found, enc, field);
    requires \separated(found, field->name + (0 .. field->name_len - 1));
    requires \separated(found, field->value + (0 .. field->value_len - 1));
    assigns *found;
    ensures \result == 0 || \result == 1;
    ensures \result == 1 <==> found->index != 0;
    ensures found->index <= H2_HPACK_STATIC_TABLE_LENGTH + enc->table.count;
    ensures found->name_index <=
            H2_HPACK_STATIC_TABLE_LENGTH + enc->table.count;
    ensures found->static_name <= H2_HPACK_STATIC_TABLE_LENGTH;
*/
int h2_hpack_encoder_find(const h2_hpack_encoder *enc, const h2_header *field,
                          h2_hpack_found *found)
{
    uint32_t name_index = 0u;
    uint32_t static_name = 0u;
    uint32_t index = h2_hpack_lookup(enc, field->name, field->name_len,
                                     field->value, field->value_len,
                                     &name_index, &static_name);

    found->index = index;
    found->name_index = name_index;
    found->static_name = (uint8_t)static_name;
    return (index != 0u) ? 1 : 0;
}

/* ":path", compared bytewise (callers lowercase names). */
static const uint8_t h2_hpack_path_name[5] = {':', 'p', 'a', 't', 'h'};

/*@ requires \valid_read(name + (0 .. name_len - 1));
    requires max_size <= H2_HPACK_TABLE_CAPACITY;
    assigns \nothing;
    ensures \result == 0x00 || \result == 0x10 || \result == 0x40;
*/
static uint8_t h2_hpack_literal_pattern(const uint8_t *name,
                                        uint32_t name_len, uint32_t value_len,
                                        uint8_t flags, uint32_t max_size)
{
    if ((flags / H2_HEADER_FIELD_NEVER_INDEXED) % 2u != 0u) {
        return 0x10u; /* never indexed, section 6.2.3 */
    }
    if (name_len == 5u && h2_bytes_equal(name, h2_hpack_path_name, 5u) != 0) {
        return 0x00u; /* without indexing, section 6.2.2 */
    }
    if (4u * ((uint64_t)name_len + value_len + H2_HPACK_ENTRY_OVERHEAD) >
        3u * (uint64_t)max_size) {
        return 0x00u;
    }
    return 0x40u; /* incremental indexing, section 6.2.1 */
}

/*@ requires pattern == 0x00 || pattern == 0x10 || pattern == 0x40;
    requires name_index <= H2_HPACK_STATIC_TABLE_LENGTH +
                           H2_HPACK_TABLE_MAX_ENTRIES;
    requires name_index != 0 ==> name_len >= 1;
    requires name_len <= H2_HPACK_ENCODE_LEN_MAX;
    requires value_len <= H2_HPACK_ENCODE_LEN_MAX;
    requires \valid_read(name + (0 .. name_len - 1));
    requires \valid_read(value + (0 .. value_len - 1));
    requires cap >= h2_hpack_field_bound(name_len, value_len);
    requires \valid(out + (0 .. cap - 1));
    requires \valid(written);
    requires \separated(out + (0 .. cap - 1), written);
    requires \separated(name + (0 .. name_len - 1), out + (0 .. cap - 1),
                        written);
    requires \separated(value + (0 .. value_len - 1), out + (0 .. cap - 1),
                        written);
    assigns out[0 .. cap - 1], *written;
    ensures *written <= h2_hpack_field_bound(name_len, value_len);
*/
static void h2_hpack_encode_literal(uint32_t name_index, uint8_t pattern,
                                    const uint8_t *name, uint32_t name_len,
                                    const uint8_t *value, uint32_t value_len,
                                    uint8_t *out, size_t cap, size_t *written)
{
    uint8_t prefix_bits = (pattern == 0x40u) ? 6u : 4u;
    size_t used;
    size_t n;

    /* An index takes at most 3 bytes: no more than the literal name it
     * replaces (first byte, length, at least one byte). */
    (void)h2_hpack_int_encode(name_index, prefix_bits, pattern, out, cap,
                              &used);
    if (name_index == 0u) {
        h2_hpack_string_encode(name, name_len, out + used, &n);
        used += n;
    }
    h2_hpack_string_encode(value, value_len, out + used, &n);
    *written = used + n;
}

/* One field. found: NULL, or the field's place in the tables as they are
 * now (h2_hpack_encoder_find), used when its indices are in range. 1 when
 * the field was added to the table. */
/*@ requires \valid(enc);
    requires h2_hpack_table_ok(&enc->table);
    requires \valid_read(f);
    requires f->name_len <= H2_HPACK_ENCODE_LEN_MAX;
    requires f->value_len <= H2_HPACK_ENCODE_LEN_MAX;
    requires \valid_read(f->name + (0 .. f->name_len - 1));
    requires \valid_read(f->value + (0 .. f->value_len - 1));
    requires found == \null || \valid_read(found);
    requires cap >= h2_hpack_field_bound(f->name_len, f->value_len);
    requires \valid(out + (0 .. cap - 1));
    requires \valid(written);
    requires \separated(f, enc, written, out + (0 .. cap - 1));
    requires found == \null ||
             \separated(found, enc, written, out + (0 .. cap - 1));
    requires \separated(f->name + (0 .. f->name_len - 1), enc, written,
                        out + (0 .. cap - 1));
    requires \separated(f->value + (0 .. f->value_len - 1), enc, written,
                        out + (0 .. cap - 1));
    assigns enc->table.bytes[0 .. H2_HPACK_TABLE_CAPACITY - 1],
            enc->table.entries[0 .. H2_HPACK_TABLE_MAX_ENTRIES - 1],
            enc->table.newest, enc->table.head, enc->table.count,
            enc->table.size,
            enc->name_static[0 .. H2_HPACK_TABLE_MAX_ENTRIES - 1],
            out[0 .. cap - 1], *written;
    ensures h2_hpack_table_ok(&enc->table);
    ensures enc->table.max_size == \old(enc->table.max_size);
    ensures *written <= h2_hpack_field_bound(\old(f->name_len),
                                             \old(f->value_len));
    ensures \result == 0 || \result == 1;
*/
static int h2_hpack_encode_field(h2_hpack_encoder *enc, const h2_header *f,
                                 const h2_hpack_found *found, uint8_t *out,
                                 size_t cap, size_t *written)
{
    const uint8_t *name = f->name;
    const uint8_t *value = f->value;
    uint32_t name_len = f->name_len;
    uint32_t value_len = f->value_len;
    uint32_t limit = H2_HPACK_STATIC_TABLE_LENGTH + enc->table.count;
    h2_hpack_found searched;
    uint32_t name_index;
    uint32_t static_name;
    uint32_t index;
    uint8_t pattern;

    if (found == NULL || found->index > limit || found->name_index > limit ||
        found->static_name > H2_HPACK_STATIC_TABLE_LENGTH) {
        (void)h2_hpack_encoder_find(enc, f, &searched);
        found = &searched;
    }
    index = found->index;
    name_index = found->name_index;
    static_name = found->static_name;
    /* A never-indexed field stays a never-indexed literal even when a table
     * holds it whole, so that every hop keeps it out of its tables (RFC
     * 7541 section 7.1.3). */
    if (index != 0u && (f->flags / H2_HEADER_FIELD_NEVER_INDEXED) % 2u == 0u) {
        /* Indexed header field (RFC 7541 section 6.1). */
        (void)h2_hpack_int_encode(index, 7u, 0x80u, out, cap, written);
        return 0;
    }
    if (name_len == 0u) {
        name_index = 0u;
    }
    pattern = h2_hpack_literal_pattern(name, name_len, value_len, f->flags,
                                       enc->table.max_size);
    h2_hpack_encode_literal(name_index, pattern, name, name_len, value,
                            value_len, out, cap, written);
    if (pattern != 0x40u) {
        return 0;
    }
    h2_hpack_table_insert(&enc->table, name, name_len, value, value_len);
    if (enc->table.count != 0u) {
        /* The newest entry is this field (a field larger than the limit
         * empties the table instead). */
        enc->name_static[enc->table.newest] = (uint8_t)static_name;
    }
    return 1;
}

/*@ requires \valid(enc);
    requires h2_hpack_encoder_ok(enc);
    requires \valid_read(fields + (0 .. count - 1));
    requires count <= H2_HPACK_ENCODE_FIELDS_MAX;
    requires \forall integer j; 0 <= j < count ==>
             fields[j].name_len <= H2_HPACK_ENCODE_LEN_MAX &&
             fields[j].value_len <= H2_HPACK_ENCODE_LEN_MAX;
    requires \forall integer j; 0 <= j < count ==>
             \valid_read(fields[j].name + (0 .. fields[j].name_len - 1)) &&
             \valid_read(fields[j].value + (0 .. fields[j].value_len - 1));
    requires found == \null ||
             (\valid_read(found + (0 .. count - 1)) &&
              \separated(found + (0 .. count - 1), enc, written,
                         out + (0 .. cap - 1)));
    requires \valid(out + (0 .. cap - 1));
    requires \valid(written);
    requires \separated(fields + (0 .. count - 1), enc, written,
                        out + (0 .. cap - 1));
    requires \forall integer j; 0 <= j < count ==>
             \separated(fields[j].name + (0 .. fields[j].name_len - 1), enc,
                        written, out + (0 .. cap - 1)) &&
             \separated(fields[j].value + (0 .. fields[j].value_len - 1), enc,
                        written, out + (0 .. cap - 1));
    assigns enc->table.bytes[0 .. H2_HPACK_TABLE_CAPACITY - 1],
            enc->table.entries[0 .. H2_HPACK_TABLE_MAX_ENTRIES - 1],
            enc->table.newest, enc->table.head, enc->table.count,
            enc->table.size,
            enc->name_static[0 .. H2_HPACK_TABLE_MAX_ENTRIES - 1],
            enc->update_pending, out[0 .. cap - 1], *written;
    ensures h2_hpack_encoder_ok(enc);
    ensures \result == H2_OK || \result == H2_E_BUFFER_TOO_SMALL;
    ensures \result == H2_E_BUFFER_TOO_SMALL ==>
            cap < \old(h2_hpack_updates_bound(enc) +
                       h2_hpack_fields_bound(fields, 0, count));
    ensures cap < \old(h2_hpack_updates_bound(enc) +
                       h2_hpack_fields_bound(fields, 0, count)) ==>
            \result == H2_E_BUFFER_TOO_SMALL;
    ensures \result == H2_E_BUFFER_TOO_SMALL ==>
            *written == \old(h2_hpack_updates_bound(enc) +
                             h2_hpack_fields_bound(fields, 0, count)) ||
            (*written == SIZE_MAX &&
             SIZE_MAX < \old(h2_hpack_updates_bound(enc) +
                             h2_hpack_fields_bound(fields, 0, count)));
    ensures \result == H2_E_BUFFER_TOO_SMALL ==>
            h2_hpack_encoder_same{Pre, Post}(enc) &&
            (\forall integer k; 0 <= k < cap ==> out[k] == \old(out[k]));
    ensures \result == H2_OK ==>
            *written <= \old(h2_hpack_updates_bound(enc) +
                             h2_hpack_fields_bound(fields, 0, count)) &&
            *written <= cap && enc->update_pending == 0;
*/
h2_status h2_hpack_encode(h2_hpack_encoder *enc, const h2_header *fields,
                          const h2_hpack_found *found, size_t count,
                          uint8_t *out, size_t cap, size_t *written)
{
    uint64_t bound = h2_hpack_encode_bound(enc, fields, count);
    size_t pos = 0u;
    size_t n;
    size_t i;
    int inserted = 0;

    if ((uint64_t)cap < bound) {
        *written = (bound > SIZE_MAX) ? SIZE_MAX : (size_t)bound;
        return H2_E_BUFFER_TOO_SMALL;
    }
    if (enc->update_pending != 0u) {
        /* RFC 7541 section 4.2: the smallest limit since the last block,
         * then the final one when it differs. */
        (void)h2_hpack_int_encode(enc->pending_min_size, 5u, 0x20u, out, cap,
                                  &n);
        pos = n;
        if (enc->table.max_size != enc->pending_min_size) {
            (void)h2_hpack_int_encode(enc->table.max_size, 5u, 0x20u,
                                      out + pos, cap - pos, &n);
            pos += n;
        }
        enc->update_pending = 0u;
    }
    /*@ loop invariant 0 <= i <= count;
        loop invariant pos + h2_hpack_fields_bound{Pre}(fields, i, count) <=
                       cap;
        loop invariant pos + h2_hpack_fields_bound{Pre}(fields, i, count) <=
                       \at(h2_hpack_updates_bound(enc) +
                           h2_hpack_fields_bound(fields, 0, count), Pre);
        loop invariant h2_hpack_table_ok(&enc->table);
        loop invariant enc->table.max_size == \at(enc->table.max_size, Pre);
        loop invariant enc->update_pending == 0;
        loop invariant inserted == 0 || inserted == 1;
        loop assigns i, pos, n, inserted,
                enc->table.bytes[0 .. H2_HPACK_TABLE_CAPACITY - 1],
                enc->table.entries[0 .. H2_HPACK_TABLE_MAX_ENTRIES - 1],
                enc->table.newest, enc->table.head, enc->table.count,
                enc->table.size,
                enc->name_static[0 .. H2_HPACK_TABLE_MAX_ENTRIES - 1],
                out[0 .. cap - 1];
        loop variant count - i;
    */
    for (i = 0u; i < count; i++) {
        /*@ assert h2_hpack_fields_bound{Pre}(fields, i, count) ==
                   h2_hpack_field_bound(fields[i].name_len,
                                        fields[i].value_len) +
                   h2_hpack_fields_bound{Pre}(fields, i + 1, count);
        */
        /* What was found before this block's first insertion may since
         * have moved or gone. */
        const h2_hpack_found *hint =
            (found != NULL && inserted == 0) ? &found[i] : NULL;
        if (h2_hpack_encode_field(enc, &fields[i], hint, out + pos, cap - pos,
                                  &n) != 0) {
            inserted = 1;
        }
        pos += n;
    }
    *written = pos;
    return H2_OK;
}
