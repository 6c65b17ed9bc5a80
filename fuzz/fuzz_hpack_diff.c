/*
 * Differential HPACK decoding: libh2's decoder against nghttp2's inflater.
 * The first two input bytes choose the SETTINGS_HEADER_TABLE_SIZE both
 * decoders enforce, the next two libh2's max header list size; the rest is
 * a sequence of header blocks, each prefixed by a 2-byte length. On every
 * block both decoders must accept with the same fields (name and value
 * bytes and the never-indexed mark, in order) and leave identical dynamic
 * tables, or both must reject; a rejection ends the input, as it ends a
 * connection. A length of 0xf000 + n is no block but a new table size
 * limit n (mod 4097), as an acknowledged SETTINGS would bring.
 *
 * Differences both RFC 7541 and RFC 9113 allow, which the harness
 * tolerates after checking that they are the reason:
 *   - the max header list size: nghttp2's inflater has none (its session
 *     applies one), libh2's decoder enforces one and reports
 *     H2_E_HPACK_HEADER_LIST_TOO_LARGE after decoding the whole block;
 *     then the list nghttp2 decoded must exceed the limit (each field
 *     counting name + value + 32) and the tables must still agree;
 *   - integers of more octets than their value needs: RFC 7541 5.1 lets a
 *     decoder reject encodings that exceed its limits "in value or octet
 *     length"; libh2 rejects any superfluous continuation octet, nghttp2
 *     accepts some. When only libh2 rejects, the block must contain such
 *     an integer (found by a walk over its representations, below).
 *   - the first size update after the limit dropped and rose again
 *     between two blocks: RFC 7541 4.2 has the encoder signal the smallest
 *     limit of the interval first, and nghttp2 rejects a first update
 *     above it; libh2 (like Python's hpack) only requires that an update
 *     comes and that none exceeds the limit in force, the decoder's duty
 *     in RFC 7541 6.3. When only nghttp2 rejects, the block must open
 *     with an update above that smallest limit.
 * Field names and values are not checked here: neither decoder validates
 * them (that is the job of the header layer above each).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nghttp2/nghttp2.h>

#include "h2.h"

#define CHECK(cond)                                                       \
    do {                                                                  \
        if (!(cond)) {                                                    \
            fprintf(stderr, "fuzz_hpack_diff: mismatch (line %d): %s\n",  \
                    __LINE__, #cond);                                     \
            abort();                                                      \
        }                                                                 \
    } while (0)

/* FUZZ_DIFF_TRACE=1 prints each block's verdicts. */
static int trace_on(void)
{
    static int on = -1;
    if (on < 0) {
        const char *e = getenv("FUZZ_DIFF_TRACE");
        on = e != NULL && e[0] == '1';
    }
    return on;
}

static h2_hpack_decoder dec;
static h2_header_arena arena;
static uint8_t scratch[H2_HPACK_TABLE_CAPACITY];

/* What nghttp2 emitted for the current block (copies: its pointers only
 * live until the next call). */
#define REF_BYTES 262144u
#define REF_FIELDS 4096u
static uint8_t ref_bytes[REF_BYTES];
static size_t ref_used;
static struct {
    size_t name_off, name_len, value_off, value_len;
    int never_indexed;
} ref_fields[REF_FIELDS];
static size_t ref_count;
static uint64_t ref_list_size;
static int ref_overflow; /* more than the copies hold: compare nothing */

static void ref_add(const nghttp2_nv *nv)
{
    ref_list_size += (uint64_t)nv->namelen + nv->valuelen + 32u;
    if (ref_count == REF_FIELDS || nv->namelen + nv->valuelen > REF_BYTES - ref_used) {
        ref_overflow = 1;
        return;
    }
    ref_fields[ref_count].name_off = ref_used;
    ref_fields[ref_count].name_len = nv->namelen;
    memcpy(ref_bytes + ref_used, nv->name, nv->namelen);
    ref_used += nv->namelen;
    ref_fields[ref_count].value_off = ref_used;
    ref_fields[ref_count].value_len = nv->valuelen;
    memcpy(ref_bytes + ref_used, nv->value, nv->valuelen);
    ref_used += nv->valuelen;
    ref_fields[ref_count].never_indexed = (nv->flags & NGHTTP2_NV_FLAG_NO_INDEX) != 0;
    ref_count++;
}

/* nghttp2 on one whole block: 1 when accepted. */
static int ref_decode(nghttp2_hd_inflater *inf, const uint8_t *in, size_t len)
{
    ref_used = 0;
    ref_count = 0;
    ref_list_size = 0;
    ref_overflow = 0;
    for (;;) {
        nghttp2_nv nv;
        int flags = 0;
        ssize_t rv = nghttp2_hd_inflate_hd2(inf, &nv, &flags, in, len, 1);
        if (rv < 0) {
            return 0;
        }
        in += rv;
        len -= (size_t)rv;
        if (flags & NGHTTP2_HD_INFLATE_EMIT) {
            ref_add(&nv);
        }
        if (flags & NGHTTP2_HD_INFLATE_FINAL) {
            nghttp2_hd_inflate_end_headers(inf);
            return 1;
        }
        if (!(flags & NGHTTP2_HD_INFLATE_EMIT) && len == 0) {
            return 0;
        }
    }
}

/*
 * A walk over the representations of a block that says whether one of
 * its integers has a superfluous continuation octet (a final octet of 0
 * after the first continuation). It follows only the structure, no table.
 */
static int int_overlong(const uint8_t *p, size_t len, size_t *pos, unsigned prefix,
                        uint64_t *value, int *overlong)
{
    uint32_t max = (1u << prefix) - 1u;
    uint64_t v;
    unsigned shift = 0;
    if (*pos >= len) {
        return 0;
    }
    v = p[(*pos)++] & max;
    if (v < max) {
        *value = v;
        return 1;
    }
    for (unsigned k = 0; *pos < len && k < 12; k++) {
        uint8_t b = p[(*pos)++];
        v += (uint64_t)(b & 0x7fu) << shift;
        shift += 7;
        if (!(b & 0x80u)) {
            if (b == 0 && k > 0) {
                *overlong = 1;
            }
            *value = v;
            return 1;
        }
    }
    *overlong = *overlong || *pos < len; /* too many octets */
    return 0;
}

static int block_has_overlong_int(const uint8_t *p, size_t len)
{
    size_t pos = 0;
    int overlong = 0;
    while (pos < len) {
        uint8_t b = p[pos];
        uint64_t v = 0;
        unsigned prefix;
        int literal = 1;
        if (b & 0x80u) {
            prefix = 7;
            literal = 0;
        } else if (b & 0x40u) {
            prefix = 6;
        } else if (b & 0x20u) {
            prefix = 5;
            literal = 0;
        } else {
            prefix = 4;
        }
        if (!int_overlong(p, len, &pos, prefix, &v, &overlong)) {
            return overlong;
        }
        if (!literal) {
            continue;
        }
        /* A new name (index 0) has a name string; every literal a value. */
        for (int s = v == 0 ? 0 : 1; s < 2; s++) {
            uint64_t n = 0;
            if (!int_overlong(p, len, &pos, 7, &n, &overlong)) {
                return overlong;
            }
            if (n > len - pos) {
                return overlong;
            }
            pos += (size_t)n;
        }
    }
    return overlong;
}

/* The value of the size update a block opens with, or -1. */
static int64_t first_size_update(const uint8_t *p, size_t len)
{
    size_t pos = 0;
    uint64_t v = 0;
    int overlong = 0;
    if (len == 0 || (p[0] & 0xe0u) != 0x20u || !int_overlong(p, len, &pos, 5, &v, &overlong)) {
        return -1;
    }
    return (int64_t)v;
}

static void same_fields(void)
{
    CHECK(!ref_overflow);
    CHECK(arena.count == ref_count);
    for (uint32_t i = 0; i < arena.count; i++) {
        h2_header h;
        h2_header_arena_get(&arena, i, &h);
        CHECK(h.name_len == ref_fields[i].name_len);
        CHECK(h.value_len == ref_fields[i].value_len);
        CHECK(memcmp(h.name, ref_bytes + ref_fields[i].name_off, h.name_len) == 0);
        CHECK(memcmp(h.value, ref_bytes + ref_fields[i].value_off, h.value_len) == 0);
        CHECK(((h.flags & H2_HEADER_FIELD_NEVER_INDEXED) != 0) == ref_fields[i].never_indexed);
    }
}

static void same_tables(nghttp2_hd_inflater *inf)
{
    size_t entries = nghttp2_hd_inflate_get_num_table_entries(inf);
    CHECK(entries >= H2_HPACK_STATIC_TABLE_LENGTH);
    CHECK(dec.table.count == entries - H2_HPACK_STATIC_TABLE_LENGTH);
    CHECK(dec.table.size == nghttp2_hd_inflate_get_dynamic_table_size(inf));
    for (uint32_t i = 0; i < dec.table.count; i++) {
        h2_header h;
        const nghttp2_nv *nv = nghttp2_hd_inflate_get_table_entry(inf, 62u + i);
        CHECK(nv != NULL);
        h2_hpack_table_get(&dec.table, i, scratch, &h);
        CHECK(h.name_len == nv->namelen && h.value_len == nv->valuelen);
        CHECK(memcmp(h.name, nv->name, h.name_len) == 0);
        CHECK(memcmp(h.value, nv->value, h.value_len) == 0);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    nghttp2_hd_inflater *inf = NULL;
    size_t off = 4;
    uint32_t limit;
    uint32_t list;
    if (size < 4) {
        return 0;
    }
    limit = (uint32_t)(data[0] * 256u + data[1]) % (H2_HPACK_TABLE_CAPACITY + 1u);
    list = (uint32_t)(data[2] * 256u + data[3]) % (H2_HEADER_ARENA_CAPACITY + 1u);
    if (data[2] >= 0x80u) {
        list = H2_HEADER_ARENA_CAPACITY; /* most inputs: the largest list */
    }
    CHECK(nghttp2_hd_inflate_new(&inf) == 0);
    CHECK(nghttp2_hd_inflate_change_table_size(inf, limit) == 0);
    h2_hpack_decoder_init(&dec, list);
    CHECK(h2_hpack_decoder_set_table_size_limit(&dec, limit) == H2_OK);

    uint32_t smallest = limit; /* smallest limit since the last block */
    while (size - off >= 2) {
        size_t len = (size_t)data[off] * 256u + data[off + 1];
        const uint8_t *block;
        h2_status ours;
        int theirs;
        off += 2;
        if (len >= 0xf000u) {
            /* Not a block: our SETTINGS_HEADER_TABLE_SIZE changes (the
             * peer acknowledged a new value). */
            limit = (uint32_t)(len - 0xf000u) % (H2_HPACK_TABLE_CAPACITY + 1u);
            CHECK(nghttp2_hd_inflate_change_table_size(inf, limit) == 0);
            CHECK(h2_hpack_decoder_set_table_size_limit(&dec, limit) == H2_OK);
            smallest = limit < smallest ? limit : smallest;
            if (trace_on()) {
                fprintf(stderr, "table size limit %u\n", limit);
            }
            continue;
        }
        if (len > size - off) {
            len = size - off;
        }
        block = data + off;
        off += len;

        h2_hpack_decoder_begin_block(&dec, &arena);
        ours = h2_hpack_decode(&dec, &arena, block, len, 1);
        theirs = ref_decode(inf, block, len);
        if (trace_on()) {
            fprintf(stderr, "block of %zu: libh2 %s (%u fields), nghttp2 %s (%zu fields)\n", len,
                    h2_status_name(ours), arena.count, theirs ? "accepts" : "rejects", ref_count);
        }

        if ((ours == H2_OK || ours == H2_E_HPACK_HEADER_LIST_TOO_LARGE) && !theirs) {
            /* Only the smallest-limit rule may set nghttp2 apart here. */
            CHECK(first_size_update(block, len) > (int64_t)smallest);
            break;
        }
        smallest = limit;
        if (ours == H2_OK) {
            CHECK(theirs);
            same_fields();
            CHECK(ref_list_size <= dec.max_header_list_size);
        } else if (ours == H2_E_HPACK_HEADER_LIST_TOO_LARGE) {
            CHECK(theirs);
            CHECK(ref_list_size > dec.max_header_list_size);
            CHECK(arena.count == 0);
        } else {
            /* libh2 rejected: so must nghttp2, unless an integer was
             * longer than it needs to be. */
            CHECK(ours == H2_E_COMPRESSION || ours == H2_E_HPACK_INVALID_INDEX ||
                  ours == H2_E_HPACK_INVALID_TABLE_SIZE);
            CHECK(!theirs || block_has_overlong_int(block, len));
            break;
        }
        same_tables(inf);
    }
    nghttp2_hd_inflate_del(inf);
    return 0;
}
