/*
 * HPACK round trip: the input describes header lists (and table size
 * changes); each list is encoded and decoded, and must come back
 * identical, with the encoder's and decoder's tables in step. Every other
 * list is also encoded with the tables searched beforehand
 * (h2_hpack_encoder_find), which must give the same bytes and tables.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "h2.h"

#define MAX_FIELDS 32

static h2_hpack_encoder enc;
static h2_hpack_decoder dec;
static h2_header_arena arena;
static h2_hpack_encoder searched;
static h2_hpack_found found[MAX_FIELDS];
static uint8_t block[65536];
static uint8_t block_searched[65536];

static void check(int ok)
{
    if (!ok) {
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t off = 0;
    h2_hpack_encoder_init(&enc);
    h2_hpack_decoder_init(&dec, H2_HEADER_ARENA_CAPACITY);

    while (off < size) {
        uint8_t op = data[off++];
        if (op % 8u == 7u && size - off >= 2) {
            /* Both sides agree on a new table size, as SETTINGS would. */
            uint32_t limit = (uint32_t)(data[off] * 256u + data[off + 1]) %
                             (H2_HPACK_TABLE_CAPACITY + 1u);
            off += 2;
            check(h2_hpack_decoder_set_table_size_limit(&dec, limit) == H2_OK);
            h2_hpack_encoder_set_max_table_size(&enc, limit);
            continue;
        }
        h2_header fields[MAX_FIELDS];
        size_t count = 0;
        size_t total = 0;
        while (count < (size_t)(op % MAX_FIELDS) + 1u && size - off >= 3) {
            size_t name_len = data[off] % 24u;
            size_t value_len = data[off + 1];
            uint8_t flags = data[off + 2] % 4u == 0 ? H2_HEADER_FIELD_NEVER_INDEXED : 0;
            off += 3;
            if (name_len + value_len > size - off) {
                break;
            }
            fields[count].name = data + off;
            fields[count].name_len = (uint32_t)name_len;
            fields[count].value = data + off + name_len;
            fields[count].value_len = (uint32_t)value_len;
            fields[count].flags = flags;
            off += name_len + value_len;
            total += name_len + value_len + 32u;
            count++;
        }
        if (count == 0) {
            break;
        }
        size_t written = 0;
        if ((op / 32u) % 2u == 1u) {
            size_t written_searched = 0;
            searched = enc;
            for (size_t i = 0; i < count; i++) {
                check(h2_hpack_encoder_find(&searched, &fields[i], &found[i]) ==
                      (found[i].index != 0u));
            }
            check(h2_hpack_encode(&searched, fields, found, count, block_searched,
                                  sizeof block_searched, &written_searched) == H2_OK);
            check(h2_hpack_encode(&enc, fields, NULL, count, block, sizeof block,
                                  &written) == H2_OK);
            check(written == written_searched);
            check(memcmp(block, block_searched, written) == 0);
            check(memcmp(&enc, &searched, sizeof enc) == 0);
        } else {
            check(h2_hpack_encode(&enc, fields, NULL, count, block, sizeof block,
                                  &written) == H2_OK);
        }
        h2_hpack_decoder_begin_block(&dec, &arena);
        h2_status st = h2_hpack_decode(&dec, &arena, block, written, 1);
        if (total > H2_HEADER_ARENA_CAPACITY) {
            check(st == H2_E_HPACK_HEADER_LIST_TOO_LARGE);
        } else {
            check(st == H2_OK);
            check(arena.count == count);
            for (uint32_t i = 0; i < count; i++) {
                h2_header h;
                h2_header_arena_get(&arena, i, &h);
                check(h.name_len == fields[i].name_len);
                check(h.value_len == fields[i].value_len);
                check(memcmp(h.name, fields[i].name, h.name_len) == 0);
                check(memcmp(h.value, fields[i].value, h.value_len) == 0);
                check(h.flags == fields[i].flags);
            }
        }
        check(enc.table.count == dec.table.count);
        check(enc.table.size == dec.table.size);
        check(enc.table.max_size == dec.table.max_size);
    }
    return 0;
}
