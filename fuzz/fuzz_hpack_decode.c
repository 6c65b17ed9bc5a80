/*
 * HPACK decoder: the first bytes choose the table size limit, the max
 * header list size and how the rest is split; the rest is a sequence of
 * header blocks (each prefixed by a 2-byte length) fed in pieces. Every
 * block must be decoded exactly as when fed whole to a second decoder.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "h2.h"

static h2_hpack_decoder split_dec, whole_dec;
static h2_header_arena split_arena, whole_arena;

static void check(int ok)
{
    if (!ok) {
        abort();
    }
}

static void same_fields(void)
{
    check(split_arena.count == whole_arena.count);
    for (uint32_t i = 0; i < split_arena.count; i++) {
        h2_header a, b;
        h2_header_arena_get(&split_arena, i, &a);
        h2_header_arena_get(&whole_arena, i, &b);
        check(a.name_len == b.name_len && a.value_len == b.value_len);
        check(a.flags == b.flags);
        check(memcmp(a.name, b.name, a.name_len) == 0);
        check(memcmp(a.value, b.value, a.value_len) == 0);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 5) {
        return 0;
    }
    uint32_t limit = (uint32_t)(data[0] * 256u + data[1]) % (H2_HPACK_TABLE_CAPACITY + 1u);
    uint32_t list = (uint32_t)(data[2] * 256u + data[3]) % (H2_HEADER_ARENA_CAPACITY + 1u);
    size_t step = (size_t)data[4] % 17u + 1u;
    size_t off = 5;

    h2_hpack_decoder_init(&split_dec, list);
    h2_hpack_decoder_init(&whole_dec, list);
    check(h2_hpack_decoder_set_table_size_limit(&split_dec, limit) == H2_OK);
    check(h2_hpack_decoder_set_table_size_limit(&whole_dec, limit) == H2_OK);

    while (size - off >= 2) {
        size_t len = (size_t)data[off] * 256u + data[off + 1];
        off += 2;
        if (len > size - off) {
            len = size - off;
        }
        const uint8_t *block = data + off;
        off += len;

        h2_hpack_decoder_begin_block(&whole_dec, &whole_arena);
        h2_status whole = h2_hpack_decode(&whole_dec, &whole_arena, block, len, 1);

        h2_hpack_decoder_begin_block(&split_dec, &split_arena);
        h2_status split = H2_OK;
        size_t pos = 0;
        do {
            size_t n = len - pos < step ? len - pos : step;
            split = h2_hpack_decode(&split_dec, &split_arena, block + pos, n,
                                    pos + n == len);
            pos += n;
        } while (split == H2_OK && pos < len);

        check(split == whole);
        if (whole == H2_OK) {
            same_fields();
        }
        check(split_dec.table.count == whole_dec.table.count);
        check(split_dec.table.size == whole_dec.table.size);
        check(whole_dec.table.size <= whole_dec.table.max_size);
        if (whole != H2_OK && whole != H2_E_HPACK_HEADER_LIST_TOO_LARGE) {
            break;
        }
    }
    return 0;
}
