/* The incremental HPACK decoder: RFC 7541 Appendix C, every split of the
 * input, errors, and oversized header lists. */
#include "test_util.h"

#include "h2_hpack_internal.h"

typedef struct expected_field {
    const char *name;
    const char *value;
    uint8_t flags;
} expected_field;

/* One header block of an example: its bytes, what it must decode to, and
 * the dynamic table after it. */
typedef struct block_case {
    const char *hex;
    h2_status status;             /* what the block's last call returns */
    const expected_field *fields; /* NULL: none (checked empty) */
    size_t field_count;
    const expected_field *table;
    size_t table_count;
    uint32_t table_size;
    uint32_t max_header_list_size; /* 0: leave as it is */
} block_case;

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Big objects live outside the stack. */
static h2_hpack_decoder dec;
static h2_header_arena arena;
static uint8_t scratch[H2_HPACK_TABLE_CAPACITY];
static uint8_t block[40000];

enum feed_mode { FEED_WHOLE, FEED_SPLIT, FEED_BYTES, FEED_BYTES_THEN_END };

/* Decodes one block in the given way; returns the last call's status. */
static h2_status feed(const uint8_t *in, size_t len, enum feed_mode mode,
                      size_t split)
{
    h2_status status;
    size_t i;

    h2_hpack_decoder_begin_block(&dec, &arena);
    switch (mode) {
    case FEED_WHOLE:
        return h2_hpack_decode(&dec, &arena, in, len, 1);
    case FEED_SPLIT:
        if (split > len) {
            split = len;
        }
        status = h2_hpack_decode(&dec, &arena, in, split, 0);
        if (status != H2_OK) {
            return status;
        }
        return h2_hpack_decode(&dec, &arena, in + split, len - split, 1);
    case FEED_BYTES:
        if (len == 0) {
            return h2_hpack_decode(&dec, &arena, in, 0, 1);
        }
        for (i = 0; i < len; i++) {
            status = h2_hpack_decode(&dec, &arena, in + i, 1, i + 1 == len);
            if (status != H2_OK) {
                return status;
            }
        }
        return H2_OK;
    case FEED_BYTES_THEN_END:
        for (i = 0; i < len; i++) {
            status = h2_hpack_decode(&dec, &arena, in + i, 1, 0);
            if (status != H2_OK) {
                return status;
            }
        }
        return h2_hpack_decode(&dec, &arena, in + len, 0, 1);
    }
    return H2_E_INVALID_ARGUMENT;
}

static void check_fields(const expected_field *fields, size_t count)
{
    size_t i;
    assert_int_equal(arena.count, count);
    for (i = 0; i < count; i++) {
        const h2_header_field *f = &arena.fields[i];
        size_t name_len = strlen(fields[i].name);
        size_t value_len = strlen(fields[i].value);
        assert_true(f->name_offset + f->name_len <= arena.used);
        assert_true(f->value_offset + f->value_len <= arena.used);
        assert_int_equal(f->name_len, name_len);
        assert_int_equal(f->value_len, value_len);
        assert_memory_equal(arena.bytes + f->name_offset, fields[i].name,
                            name_len);
        assert_memory_equal(arena.bytes + f->value_offset, fields[i].value,
                            value_len);
        /* The public bit; test_checked_bits covers the decoder's notes. */
        assert_int_equal(f->flags % 2u, fields[i].flags);
    }
}

static void check_table(const expected_field *entries, size_t count,
                        uint32_t size)
{
    uint32_t i;
    assert_int_equal(dec.table.count, count);
    assert_int_equal(dec.table.size, size);
    for (i = 0; i < count; i++) {
        h2_header h;
        h2_hpack_table_get(&dec.table, i, scratch, &h);
        assert_int_equal(h.name_len, strlen(entries[i].name));
        assert_int_equal(h.value_len, strlen(entries[i].value));
        assert_memory_equal(h.name, entries[i].name, h.name_len);
        assert_memory_equal(h.value, entries[i].value, h.value_len);
    }
}

/* Fresh decoder; table_max != 0 makes the table's maximum and our limit
 * both table_max, as when both ends agreed on it before the first block. */
static void setup_decoder(uint32_t max_list, uint32_t table_max)
{
    h2_hpack_decoder_init(&dec, max_list);
    if (table_max != 0) {
        h2_hpack_table_set_max_size(&dec.table, table_max);
        assert_int_equal(h2_hpack_decoder_set_table_size_limit(&dec, table_max),
                         H2_OK);
    }
}

static void run_blocks_once(const block_case *blocks, size_t n,
                            uint32_t table_max, enum feed_mode mode,
                            size_t split)
{
    size_t b;
    setup_decoder(H2_HEADER_ARENA_CAPACITY, table_max);
    for (b = 0; b < n; b++) {
        size_t len = test_hex(blocks[b].hex, block, sizeof(block));
        if (blocks[b].max_header_list_size != 0) {
            h2_hpack_decoder_set_max_header_list_size(
                &dec, blocks[b].max_header_list_size);
        }
        assert_int_equal(feed(block, len, mode, split), blocks[b].status);
        check_fields(blocks[b].fields, blocks[b].field_count);
        check_table(blocks[b].table, blocks[b].table_count,
                    blocks[b].table_size);
    }
}

/* Every block of the sequence decoded whole, split in two at every offset,
 * and one byte per call: all must give the same fields and tables. */
static void run_blocks(const block_case *blocks, size_t n, uint32_t table_max)
{
    size_t longest = 0;
    size_t b;
    size_t split;
    for (b = 0; b < n; b++) {
        size_t len = test_hex(blocks[b].hex, block, sizeof(block));
        if (len > longest) {
            longest = len;
        }
    }
    run_blocks_once(blocks, n, table_max, FEED_WHOLE, 0);
    for (split = 0; split <= longest; split++) {
        run_blocks_once(blocks, n, table_max, FEED_SPLIT, split);
    }
    run_blocks_once(blocks, n, table_max, FEED_BYTES, 0);
    run_blocks_once(blocks, n, table_max, FEED_BYTES_THEN_END, 0);
}

/* ------------------------------------------------------------------ */
/* RFC 7541 Appendix C.2                                               */
/* ------------------------------------------------------------------ */

static const expected_field c21_fields[] = {
    {"custom-key", "custom-header", 0},
};

static void test_c2_1_literal_with_indexing(void **state)
{
    static const block_case blocks[] = {
        {"400a 6375 7374 6f6d 2d6b 6579 0d63 7573"
         "746f 6d2d 6865 6164 6572",
         H2_OK, c21_fields, 1, c21_fields, 1, 55, 0},
    };
    (void)state;
    run_blocks(blocks, COUNT(blocks), 0);
}

static void test_c2_2_literal_without_indexing(void **state)
{
    static const expected_field fields[] = {{":path", "/sample/path", 0}};
    static const block_case blocks[] = {
        {"040c 2f73 616d 706c 652f 7061 7468", H2_OK, fields, 1, NULL, 0, 0,
         0},
    };
    (void)state;
    run_blocks(blocks, COUNT(blocks), 0);
}

static void test_c2_3_literal_never_indexed(void **state)
{
    static const expected_field fields[] = {
        {"password", "secret", H2_HEADER_FIELD_NEVER_INDEXED},
    };
    static const block_case blocks[] = {
        {"1008 7061 7373 776f 7264 0673 6563 7265 74", H2_OK, fields, 1,
         NULL, 0, 0, 0},
    };
    (void)state;
    run_blocks(blocks, COUNT(blocks), 0);
    assert_int_equal(arena.fields[0].flags % 2u, H2_HEADER_FIELD_NEVER_INDEXED);
}

static void test_c2_4_indexed(void **state)
{
    static const expected_field fields[] = {{":method", "GET", 0}};
    static const block_case blocks[] = {
        {"82", H2_OK, fields, 1, NULL, 0, 0, 0},
    };
    (void)state;
    run_blocks(blocks, COUNT(blocks), 0);
}

/* ------------------------------------------------------------------ */
/* RFC 7541 Appendix C.3 and C.4: requests                             */
/* ------------------------------------------------------------------ */

static const expected_field req1[] = {
    {":method", "GET", 0},
    {":scheme", "http", 0},
    {":path", "/", 0},
    {":authority", "www.example.com", 0},
};
static const expected_field req1_table[] = {
    {":authority", "www.example.com", 0},
};
static const expected_field req2[] = {
    {":method", "GET", 0},
    {":scheme", "http", 0},
    {":path", "/", 0},
    {":authority", "www.example.com", 0},
    {"cache-control", "no-cache", 0},
};
static const expected_field req2_table[] = {
    {"cache-control", "no-cache", 0},
    {":authority", "www.example.com", 0},
};
static const expected_field req3[] = {
    {":method", "GET", 0},
    {":scheme", "https", 0},
    {":path", "/index.html", 0},
    {":authority", "www.example.com", 0},
    {"custom-key", "custom-value", 0},
};
static const expected_field req3_table[] = {
    {"custom-key", "custom-value", 0},
    {"cache-control", "no-cache", 0},
    {":authority", "www.example.com", 0},
};

static void test_c3_requests(void **state)
{
    static const block_case blocks[] = {
        {"8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d", H2_OK, req1,
         COUNT(req1), req1_table, COUNT(req1_table), 57, 0},
        {"8286 84be 5808 6e6f 2d63 6163 6865", H2_OK, req2, COUNT(req2),
         req2_table, COUNT(req2_table), 110, 0},
        {"8287 85bf 400a 6375 7374 6f6d 2d6b 6579"
         "0c63 7573 746f 6d2d 7661 6c75 65",
         H2_OK, req3, COUNT(req3), req3_table, COUNT(req3_table), 164, 0},
    };
    (void)state;
    run_blocks(blocks, COUNT(blocks), 0);
}

static void test_c4_requests_huffman(void **state)
{
    static const block_case blocks[] = {
        {"8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff", H2_OK, req1,
         COUNT(req1), req1_table, COUNT(req1_table), 57, 0},
        {"8286 84be 5886 a8eb 1064 9cbf", H2_OK, req2, COUNT(req2),
         req2_table, COUNT(req2_table), 110, 0},
        {"8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925"
         "a849 e95b b8e8 b4bf",
         H2_OK, req3, COUNT(req3), req3_table, COUNT(req3_table), 164, 0},
    };
    (void)state;
    run_blocks(blocks, COUNT(blocks), 0);
}

/* Decodes one block given in hex, whole. */
static void feed_hex(const char *hex)
{
    size_t len = test_hex(hex, block, sizeof block);
    assert_int_equal(feed(block, len, FEED_WHOLE, 0), H2_OK);
}

/* The decoder's notes on fields whose bytes were checked before: static
 * entries always; a dynamic entry only once h2_hpack_decoder_block_checked
 * has marked the block that added it, and only that block's entries. */
static void test_checked_bits(void **state)
{
    const uint8_t both = H2_HEADER_FIELD_NAME_CHECKED | H2_HEADER_FIELD_VALUE_CHECKED;
    h2_header h;
    (void)state;

    /* C.3.1: three static fields, then :authority with a static name and a
     * literal value, added to the table. */
    h2_hpack_decoder_init(&dec, H2_HEADER_ARENA_CAPACITY);
    feed_hex("8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d");
    assert_int_equal(arena.fields[0].flags, both);
    assert_int_equal(arena.fields[1].flags, both);
    assert_int_equal(arena.fields[2].flags, both);
    assert_int_equal(arena.fields[3].flags, H2_HEADER_FIELD_NAME_CHECKED);
    /* The application sees the public bit only. */
    h2_header_arena_get(&arena, 0, &h);
    assert_int_equal(h.flags, 0);
    /* C.3.2 with C.3.1 not marked: :authority (index 62) is read again. */
    feed_hex("8286 84be 5808 6e6f 2d63 6163 6865");
    assert_int_equal(arena.fields[3].flags, 0);
    assert_int_equal(arena.fields[4].flags, H2_HEADER_FIELD_NAME_CHECKED);

    /* Again with C.3.1 marked. */
    h2_hpack_decoder_init(&dec, H2_HEADER_ARENA_CAPACITY);
    feed_hex("8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d");
    h2_hpack_decoder_block_checked(&dec);
    feed_hex("8286 84be 5808 6e6f 2d63 6163 6865");
    assert_int_equal(arena.fields[3].flags, both);
    /* C.3.2 (cache-control) is not marked; C.3.3 adds custom-key and is. */
    feed_hex("8287 85bf 400a 6375 7374 6f6d 2d6b 6579"
             "0c63 7573 746f 6d2d 7661 6c75 65");
    assert_int_equal(arena.fields[3].flags, both);
    assert_int_equal(arena.fields[4].flags, 0);
    h2_hpack_decoder_block_checked(&dec);
    /* Indexes 62 custom-key, 63 cache-control, 64 :authority; 63 with a
     * literal value has its name unchecked too. */
    feed_hex("bebf c0 7f00 0161");
    assert_int_equal(arena.fields[0].flags, both);
    assert_int_equal(arena.fields[1].flags, 0);
    assert_int_equal(arena.fields[2].flags, both);
    assert_int_equal(arena.fields[3].flags, 0);

    /* A new decoder reuses the slots marked above: an entry is unmarked
     * when it is added. */
    h2_hpack_decoder_init(&dec, H2_HEADER_ARENA_CAPACITY);
    feed_hex("8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d");
    feed_hex("8286 84be 5808 6e6f 2d63 6163 6865");
    assert_int_equal(arena.fields[3].flags, 0);
}

/* ------------------------------------------------------------------ */
/* RFC 7541 Appendix C.5 and C.6: responses, table of 256 bytes        */
/* ------------------------------------------------------------------ */

static const expected_field resp1[] = {
    {":status", "302", 0},
    {"cache-control", "private", 0},
    {"date", "Mon, 21 Oct 2013 20:13:21 GMT", 0},
    {"location", "https://www.example.com", 0},
};
static const expected_field resp1_table[] = {
    {"location", "https://www.example.com", 0},
    {"date", "Mon, 21 Oct 2013 20:13:21 GMT", 0},
    {"cache-control", "private", 0},
    {":status", "302", 0},
};
static const expected_field resp2[] = {
    {":status", "307", 0},
    {"cache-control", "private", 0},
    {"date", "Mon, 21 Oct 2013 20:13:21 GMT", 0},
    {"location", "https://www.example.com", 0},
};
static const expected_field resp2_table[] = {
    {":status", "307", 0},
    {"location", "https://www.example.com", 0},
    {"date", "Mon, 21 Oct 2013 20:13:21 GMT", 0},
    {"cache-control", "private", 0},
};
static const expected_field resp3[] = {
    {":status", "200", 0},
    {"cache-control", "private", 0},
    {"date", "Mon, 21 Oct 2013 20:13:22 GMT", 0},
    {"location", "https://www.example.com", 0},
    {"content-encoding", "gzip", 0},
    {"set-cookie", "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1",
     0},
};
static const expected_field resp3_table[] = {
    {"set-cookie", "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1",
     0},
    {"content-encoding", "gzip", 0},
    {"date", "Mon, 21 Oct 2013 20:13:22 GMT", 0},
};

/* The RFC's peers agreed on SETTINGS_HEADER_TABLE_SIZE = 256 before the
 * first block, so its blocks carry no size update. setup_decoder() gives
 * the same starting point: table maximum 256 (h2_hpack_table_set_max_size)
 * and our limit 256 (h2_hpack_decoder_set_table_size_limit, which then
 * requires no update since the table already fits). */
static void test_c5_responses(void **state)
{
    static const block_case blocks[] = {
        {"4803 3330 3258 0770 7269 7661 7465 611d"
         "4d6f 6e2c 2032 3120 4f63 7420 3230 3133"
         "2032 303a 3133 3a32 3120 474d 546e 1768"
         "7474 7073 3a2f 2f77 7777 2e65 7861 6d70"
         "6c65 2e63 6f6d",
         H2_OK, resp1, COUNT(resp1), resp1_table, COUNT(resp1_table), 222, 0},
        {"4803 3330 37c1 c0bf", H2_OK, resp2, COUNT(resp2), resp2_table,
         COUNT(resp2_table), 222, 0},
        {"88c1 611d 4d6f 6e2c 2032 3120 4f63 7420"
         "3230 3133 2032 303a 3133 3a32 3220 474d"
         "54c0 5a04 677a 6970 7738 666f 6f3d 4153"
         "444a 4b48 514b 425a 584f 5157 454f 5049"
         "5541 5851 5745 4f49 553b 206d 6178 2d61"
         "6765 3d33 3630 303b 2076 6572 7369 6f6e"
         "3d31",
         H2_OK, resp3, COUNT(resp3), resp3_table, COUNT(resp3_table), 215, 0},
    };
    (void)state;
    run_blocks(blocks, COUNT(blocks), 256);
}

static void test_c6_responses_huffman(void **state)
{
    static const block_case blocks[] = {
        {"4882 6402 5885 aec3 771a 4b61 96d0 7abe"
         "9410 54d4 44a8 2005 9504 0b81 66e0 82a6"
         "2d1b ff6e 919d 29ad 1718 63c7 8f0b 97c8"
         "e9ae 82ae 43d3",
         H2_OK, resp1, COUNT(resp1), resp1_table, COUNT(resp1_table), 222, 0},
        {"4883 640e ffc1 c0bf", H2_OK, resp2, COUNT(resp2), resp2_table,
         COUNT(resp2_table), 222, 0},
        {"88c1 6196 d07a be94 1054 d444 a820 0595"
         "040b 8166 e084 a62d 1bff c05a 839b d9ab"
         "77ad 94e7 821d d7f2 e6c7 b335 dfdf cd5b"
         "3960 d5af 2708 7f36 72c1 ab27 0fb5 291f"
         "9587 3160 65c0 03ed 4ee5 b106 3d50 07",
         H2_OK, resp3, COUNT(resp3), resp3_table, COUNT(resp3_table), 215, 0},
    };
    (void)state;
    run_blocks(blocks, COUNT(blocks), 256);
}

/* The C.5 sequence when our limit of 256 was set after the table held
 * 4096: the peer must open with a size update (here to 256: 3f e1 01). */
static void test_c5_after_limit_change_needs_size_update(void **state)
{
    size_t len;
    (void)state;
    h2_hpack_decoder_init(&dec, H2_HEADER_ARENA_CAPACITY);
    assert_int_equal(h2_hpack_decoder_set_table_size_limit(&dec, 256), H2_OK);
    len = test_hex("3fe101 4803 3330 3258 0770 7269 7661 7465 611d"
                   "4d6f 6e2c 2032 3120 4f63 7420 3230 3133"
                   "2032 303a 3133 3a32 3120 474d 546e 1768"
                   "7474 7073 3a2f 2f77 7777 2e65 7861 6d70"
                   "6c65 2e63 6f6d",
                   block, sizeof(block));
    assert_int_equal(feed(block, len, FEED_WHOLE, 0), H2_OK);
    assert_int_equal(dec.table.max_size, 256);
    check_fields(resp1, COUNT(resp1));
    check_table(resp1_table, COUNT(resp1_table), 222);
    /* Same without the update: the required update is missing. */
    h2_hpack_decoder_init(&dec, H2_HEADER_ARENA_CAPACITY);
    assert_int_equal(h2_hpack_decoder_set_table_size_limit(&dec, 256), H2_OK);
    assert_int_equal(feed(block + 3, len - 3, FEED_WHOLE, 0),
                     H2_E_HPACK_INVALID_TABLE_SIZE);
}

/* ------------------------------------------------------------------ */
/* Errors                                                              */
/* ------------------------------------------------------------------ */

/* A fresh decoder must give status on hex, fed whole and byte by byte;
 * a connection error then refuses any further block. */
static void expect_status(const char *hex, h2_status status)
{
    enum feed_mode modes[] = {FEED_WHOLE, FEED_BYTES, FEED_BYTES_THEN_END};
    size_t m;
    size_t len = test_hex(hex, block, sizeof(block));
    for (m = 0; m < COUNT(modes); m++) {
        setup_decoder(H2_HEADER_ARENA_CAPACITY, 0);
        assert_int_equal(feed(block, len, modes[m], 0), status);
        if (status == H2_E_COMPRESSION || status == H2_E_HPACK_INVALID_INDEX ||
            status == H2_E_HPACK_INVALID_TABLE_SIZE) {
            static const uint8_t ok[] = {0x82};
            assert_int_equal(feed(ok, 1, FEED_WHOLE, 0), status);
            assert_int_equal(arena.count, 0);
        }
    }
}

static void test_index_zero(void **state)
{
    (void)state;
    expect_status("80", H2_E_HPACK_INVALID_INDEX);
    expect_status("82 80", H2_E_HPACK_INVALID_INDEX);
}

static void test_index_past_table(void **state)
{
    (void)state;
    expect_status("be", H2_E_HPACK_INVALID_INDEX);      /* 62, table empty */
    expect_status("bd", H2_OK);                         /* 61: static */
    expect_status("7e 00", H2_E_HPACK_INVALID_INDEX);   /* name index 62 */
    expect_status("0f 30 00", H2_E_HPACK_INVALID_INDEX); /* name index 63 */
    /* One entry: 62 is valid, 63 is not. */
    expect_status("400161 0162 be", H2_OK);
    expect_status("400161 0162 bf", H2_E_HPACK_INVALID_INDEX);
    /* A huge index is past the table too. */
    expect_status("ff ff ff ff 7f", H2_E_HPACK_INVALID_INDEX);
}

static void test_size_update_above_limit(void **state)
{
    (void)state;
    expect_status("3fe11f 82", H2_OK);                     /* 4096 */
    expect_status("3fe21f 82", H2_E_HPACK_INVALID_TABLE_SIZE); /* 4097 */
    setup_decoder(H2_HEADER_ARENA_CAPACITY, 0);
    assert_int_equal(h2_hpack_decoder_set_table_size_limit(
                         &dec, H2_HPACK_TABLE_CAPACITY + 1u),
                     H2_E_INVALID_ARGUMENT);
    assert_int_equal(dec.table_size_limit, 4096);
}

static void test_size_update_after_field(void **state)
{
    (void)state;
    expect_status("82 20", H2_E_COMPRESSION);
    expect_status("82 3fe11f", H2_E_COMPRESSION);
    /* Several at the start are fine: the last one stands. */
    expect_status("20 3f11 3fe11f 82", H2_OK);
    assert_int_equal(dec.table.max_size, 4096);
}

static void test_size_updates_evict(void **state)
{
    size_t len;
    (void)state;
    setup_decoder(H2_HEADER_ARENA_CAPACITY, 0);
    len = test_hex("8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d", block,
                   sizeof(block));
    assert_int_equal(feed(block, len, FEED_WHOLE, 0), H2_OK);
    check_table(req1_table, 1, 57);
    /* Down to 56 evicts it, back up to 4096 keeps the table empty. */
    len = test_hex("3f19 3fe11f 82", block, sizeof(block));
    assert_int_equal(feed(block, len, FEED_BYTES, 0), H2_OK);
    check_table(NULL, 0, 0);
    assert_int_equal(dec.table.max_size, 4096);
}

static void test_missing_required_size_update(void **state)
{
    size_t len;
    (void)state;
    /* Limit lowered to 100: the next block must open with an update. */
    setup_decoder(H2_HEADER_ARENA_CAPACITY, 0);
    assert_int_equal(h2_hpack_decoder_set_table_size_limit(&dec, 100), H2_OK);
    len = test_hex("82", block, sizeof(block));
    assert_int_equal(feed(block, len, FEED_WHOLE, 0),
                     H2_E_HPACK_INVALID_TABLE_SIZE);
    assert_int_equal(feed(block, len, FEED_WHOLE, 0),
                     H2_E_HPACK_INVALID_TABLE_SIZE);

    /* An empty block does not carry it either. */
    setup_decoder(H2_HEADER_ARENA_CAPACITY, 0);
    assert_int_equal(h2_hpack_decoder_set_table_size_limit(&dec, 100), H2_OK);
    assert_int_equal(feed(block, 0, FEED_WHOLE, 0),
                     H2_E_HPACK_INVALID_TABLE_SIZE);

    /* An update above the new limit is refused. */
    setup_decoder(H2_HEADER_ARENA_CAPACITY, 0);
    assert_int_equal(h2_hpack_decoder_set_table_size_limit(&dec, 100), H2_OK);
    len = test_hex("3f46 82", block, sizeof(block)); /* 101 */
    assert_int_equal(feed(block, len, FEED_WHOLE, 0),
                     H2_E_HPACK_INVALID_TABLE_SIZE);

    /* With it (100 = 31 + 69), this block and the next decode. */
    setup_decoder(H2_HEADER_ARENA_CAPACITY, 0);
    assert_int_equal(h2_hpack_decoder_set_table_size_limit(&dec, 100), H2_OK);
    len = test_hex("3f45 82", block, sizeof(block));
    assert_int_equal(feed(block, len, FEED_BYTES, 0), H2_OK);
    assert_int_equal(dec.table.max_size, 100);
    len = test_hex("82", block, sizeof(block));
    assert_int_equal(feed(block, len, FEED_WHOLE, 0), H2_OK);

    /* Raising the limit above the table's maximum requires nothing. */
    setup_decoder(H2_HEADER_ARENA_CAPACITY, 1000);
    assert_int_equal(h2_hpack_decoder_set_table_size_limit(&dec, 2000), H2_OK);
    assert_int_equal(feed(block, len, FEED_WHOLE, 0), H2_OK);
}

static void test_truncated_block(void **state)
{
    (void)state;
    expect_status("ff", H2_E_COMPRESSION);           /* inside an index */
    expect_status("82 ff 80", H2_E_COMPRESSION);     /* inside an index */
    expect_status("40", H2_E_COMPRESSION);           /* before the name */
    expect_status("400a 6375", H2_E_COMPRESSION);    /* inside the name */
    expect_status("400a 6375 7374 6f6d 2d6b 6579", H2_E_COMPRESSION);
    expect_status("400a 6375 7374 6f6d 2d6b 6579 0d63", H2_E_COMPRESSION);
    expect_status("41 7f", H2_E_COMPRESSION);        /* inside a length */
    expect_status("3f", H2_E_COMPRESSION);           /* inside an update */
    expect_status("41 8c f1e3", H2_E_COMPRESSION);   /* inside Huffman */
}

static void test_huffman_errors(void **state)
{
    (void)state;
    /* 32 one-bits contain EOS (30 ones). */
    expect_status("0001 61 84 ffff ffff", H2_E_COMPRESSION);
    /* Padding longer than 7 bits. */
    expect_status("0001 61 81 ff", H2_E_COMPRESSION);
    expect_status("0001 61 82 1fff", H2_E_COMPRESSION); /* 'a' + 11 ones */
    /* Padding that is not all ones: 'a' (00011) then 000. */
    expect_status("0001 61 81 18", H2_E_COMPRESSION);
    /* The same string with ones as padding is fine. */
    expect_status("0001 61 81 1f", H2_OK);
    assert_int_equal(arena.count, 1);
    assert_int_equal(arena.fields[0].value_len, 1);
    assert_memory_equal(arena.bytes + arena.fields[0].value_offset, "a", 1);
    /* In a name too. */
    expect_status("0081 18 0161", H2_E_COMPRESSION);
}

static void test_integer_overflow(void **state)
{
    (void)state;
    /* Name length 2^32 + 126. */
    expect_status("00 7f ff ff ff ff 0f", H2_E_COMPRESSION);
    /* Six continuation bytes. */
    expect_status("00 7f 80 80 80 80 80 00", H2_E_COMPRESSION);
    /* A zero last byte: longer than the value needs. */
    expect_status("00 7f 81 00", H2_E_COMPRESSION);
    /* Index and size update too. */
    expect_status("ff ff ff ff ff 0f", H2_E_COMPRESSION);
    expect_status("3f ff ff ff ff 0f", H2_E_COMPRESSION);
}

static void test_refused_after_failure(void **state)
{
    size_t len;
    (void)state;
    setup_decoder(H2_HEADER_ARENA_CAPACITY, 0);
    len = test_hex("82 20", block, sizeof(block));
    assert_int_equal(feed(block, len, FEED_SPLIT, 1), H2_E_COMPRESSION);
    assert_int_not_equal(dec.failed, 0);
    /* Nothing is decoded any more, whole blocks or pieces. */
    len = test_hex("82", block, sizeof(block));
    assert_int_equal(feed(block, len, FEED_WHOLE, 0), H2_E_COMPRESSION);
    assert_int_equal(arena.count, 0);
    assert_int_equal(h2_hpack_decode(&dec, &arena, block, 0, 0),
                     H2_E_COMPRESSION);
    assert_int_equal(arena.count, 0);
}

/* ------------------------------------------------------------------ */
/* Header list size                                                    */
/* ------------------------------------------------------------------ */

static void test_list_size_limit_is_inclusive(void **state)
{
    /* ":method: GET" is 7 + 3 + 32 = 42. */
    static const expected_field one[] = {{":method", "GET", 0}};
    static const expected_field two[] = {{":method", "GET", 0},
                                         {":method", "GET", 0}};
    static const block_case blocks[] = {
        {"82", H2_OK, one, 1, NULL, 0, 0, 42},
        {"82 82", H2_E_HPACK_HEADER_LIST_TOO_LARGE, NULL, 0, NULL, 0, 0, 83},
        {"82 82", H2_OK, two, 2, NULL, 0, 0, 84},
        {"82", H2_E_HPACK_HEADER_LIST_TOO_LARGE, NULL, 0, NULL, 0, 0, 41},
        {"", H2_OK, NULL, 0, NULL, 0, 0, 0},
    };
    (void)state;
    run_blocks(blocks, COUNT(blocks), 0);
}

/* An oversized block still feeds the dynamic table: the next block uses
 * the entries it inserted. */
static void test_oversized_keeps_table_in_step(void **state)
{
    static const expected_field table1[] = {
        {"cache-control", "no-cache", 0},
        {":authority", "www.example.com", 0},
        {"custom-key", "custom-header", 0},
    };
    static const expected_field fields2[] = {
        {"cache-control", "no-cache", 0},
        {":authority", "www.example.com", 0},
        {"custom-key", "custom-header", 0},
        {":method", "GET", 0},
    };
    static const block_case blocks[] = {
        /* :method GET (42), custom-key (55, inserted): 97 <= 140; then
         * :authority (57, inserted) goes past 140 in its value; then
         * cache-control in Huffman (inserted); a never-indexed one; an
         * indexed one. */
        {"82"
         "400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572"
         "41 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d"
         "5886 a8eb 1064 9cbf"
         "1008 7061 7373 776f 7264 0673 6563 7265 74"
         "be",
         H2_E_HPACK_HEADER_LIST_TOO_LARGE, NULL, 0, table1, COUNT(table1),
         53 + 57 + 55, 140},
        {"be bf c0 82", H2_OK, fields2, COUNT(fields2), table1,
         COUNT(table1), 53 + 57 + 55, H2_HEADER_ARENA_CAPACITY},
    };
    (void)state;
    run_blocks(blocks, COUNT(blocks), 0);
    assert_int_equal(dec.oversized, 0);
}

/* Strings for the big cases: the Huffman code of '0' is 00000, so 5 zero
 * bytes decode to 8 '0's. */
static size_t put_hex_int(uint8_t *out, uint32_t value, uint8_t prefix_bits,
                          uint8_t pattern)
{
    size_t written = 0;
    assert_int_equal(h2_hpack_int_encode(value, prefix_bits, pattern, out, 8,
                                         &written),
                     H2_OK);
    return written;
}

/* A literal with a literal one-byte name "x" and a value of value_len
 * bytes: raw 'v's, or Huffman '0's (value_len a multiple of 8). */
static size_t put_literal(uint8_t *out, uint8_t first, uint32_t value_len,
                          int huffman)
{
    size_t n = 0;
    out[n++] = first;
    out[n++] = 0x01;
    out[n++] = 'x';
    if (huffman) {
        uint32_t encoded = value_len / 8u * 5u;
        n += put_hex_int(out + n, encoded, 7, 0x80);
        memset(out + n, 0x00, encoded);
        n += encoded;
    } else {
        n += put_hex_int(out + n, value_len, 7, 0x00);
        memset(out + n, 'v', value_len);
        n += value_len;
    }
    return n;
}

static void check_big_value(uint32_t index, uint32_t value_len, char c)
{
    uint32_t k;
    const h2_header_field *f = &arena.fields[index];
    assert_int_equal(f->name_len, 1);
    assert_int_equal(arena.bytes[f->name_offset], 'x');
    assert_int_equal(f->value_len, value_len);
    for (k = 0; k < value_len; k++) {
        assert_int_equal(arena.bytes[f->value_offset + k], (uint8_t)c);
    }
}

static void test_huffman_fills_the_arena(void **state)
{
    /* 32 + 1 + 16344 = 16377 <= 16384: the whole arena is usable; the
     * value is decoded in runs that never pass its end. */
    enum feed_mode modes[] = {FEED_WHOLE, FEED_BYTES, FEED_SPLIT};
    uint32_t value_len = (H2_HEADER_ARENA_CAPACITY - 33u) / 8u * 8u;
    size_t m;
    size_t len = put_literal(block, 0x00, value_len, 1);
    (void)state;
    for (m = 0; m < COUNT(modes); m++) {
        setup_decoder(H2_HEADER_ARENA_CAPACITY, 0);
        assert_int_equal(feed(block, len, modes[m], len / 2), H2_OK);
        assert_int_equal(arena.count, 1);
        check_big_value(0, value_len, '0');
        /* One byte less of list: too large. */
        setup_decoder(33u + value_len - 1u, 0);
        assert_int_equal(feed(block, len, modes[m], len / 3),
                         H2_E_HPACK_HEADER_LIST_TOO_LARGE);
        assert_int_equal(arena.count, 0);
        assert_int_equal(arena.used, 0);
    }
}

static void test_oversized_huffman_entry_is_inserted(void **state)
{
    /* An incremental literal of 4000 Huffman '0's in a list limited to
     * 1000: the block is too large, but the entry (4033 bytes) goes in. */
    enum feed_mode modes[] = {FEED_WHOLE, FEED_BYTES, FEED_SPLIT};
    size_t m;
    (void)state;
    for (m = 0; m < COUNT(modes); m++) {
        size_t len;
        setup_decoder(1000, 0);
        len = put_literal(block, 0x40, 4000, 1);
        assert_int_equal(feed(block, len, modes[m], 700),
                         H2_E_HPACK_HEADER_LIST_TOO_LARGE);
        assert_int_equal(arena.count, 0);
        assert_int_equal(arena.used, 0);
        assert_int_equal(dec.table.count, 1);
        assert_int_equal(dec.table.size, 4033);
        h2_hpack_decoder_set_max_header_list_size(&dec, 5000);
        len = test_hex("be", block, sizeof(block));
        assert_int_equal(feed(block, len, modes[m], 0), H2_OK);
        assert_int_equal(arena.count, 1);
        check_big_value(0, 4000, '0');
    }
}

static void test_oversized_raw_entry_is_inserted(void **state)
{
    /* The same with a raw value after a field that already used the list. */
    enum feed_mode modes[] = {FEED_WHOLE, FEED_BYTES, FEED_SPLIT};
    size_t m;
    (void)state;
    for (m = 0; m < COUNT(modes); m++) {
        size_t len;
        setup_decoder(1000, 0);
        block[0] = 0x82;
        len = 1 + put_literal(block + 1, 0x40, 3000, 0);
        assert_int_equal(feed(block, len, modes[m], 500),
                         H2_E_HPACK_HEADER_LIST_TOO_LARGE);
        assert_int_equal(arena.used, 0);
        assert_int_equal(dec.table.count, 1);
        assert_int_equal(dec.table.size, 3033);
        h2_hpack_decoder_set_max_header_list_size(&dec, 5000);
        len = test_hex("82 be", block, sizeof(block));
        assert_int_equal(feed(block, len, modes[m], 1), H2_OK);
        assert_int_equal(arena.count, 2);
        check_big_value(1, 3000, 'v');
    }
}

static void test_entry_larger_than_table_empties_it(void **state)
{
    enum feed_mode modes[] = {FEED_WHOLE, FEED_BYTES, FEED_SPLIT};
    size_t m;
    (void)state;
    for (m = 0; m < COUNT(modes); m++) {
        size_t len;
        /* The list fits (5033 <= 16384): the field is reported, but as an
         * entry it is larger than the table, which it empties. */
        setup_decoder(H2_HEADER_ARENA_CAPACITY, 0);
        len = test_hex("400161 0162", block, sizeof(block));
        assert_int_equal(feed(block, len, FEED_WHOLE, 0), H2_OK);
        assert_int_equal(dec.table.count, 1);
        len = put_literal(block, 0x40, 5000, 0);
        assert_int_equal(feed(block, len, modes[m], 2000), H2_OK);
        assert_int_equal(arena.count, 1);
        check_big_value(0, 5000, 'v');
        assert_int_equal(dec.table.count, 0);
        assert_int_equal(dec.table.size, 0);

        /* In an oversized block, Huffman coded: dropped, table emptied. */
        setup_decoder(100, 0);
        len = test_hex("400161 0162", block, sizeof(block));
        assert_int_equal(feed(block, len, FEED_WHOLE, 0), H2_OK);
        assert_int_equal(dec.table.count, 1);
        len = put_literal(block, 0x40, 4096, 1);
        assert_int_equal(feed(block, len, modes[m], 1000),
                         H2_E_HPACK_HEADER_LIST_TOO_LARGE);
        assert_int_equal(dec.table.count, 0);
        len = test_hex("be", block, sizeof(block));
        assert_int_equal(feed(block, len, FEED_WHOLE, 0),
                         H2_E_HPACK_INVALID_INDEX);
    }
}

static void test_field_larger_than_arena_is_skipped(void **state)
{
    enum feed_mode modes[] = {FEED_WHOLE, FEED_BYTES, FEED_SPLIT};
    size_t m;
    (void)state;
    for (m = 0; m < COUNT(modes); m++) {
        size_t len;
        setup_decoder(H2_HEADER_ARENA_CAPACITY, 0);
        len = test_hex("400161 0162", block, sizeof(block));
        assert_int_equal(feed(block, len, FEED_WHOLE, 0), H2_OK);
        /* Raw and Huffman values past the arena, not indexed: skipped,
         * the table untouched, and the decoder fine afterwards. */
        len = put_literal(block, 0x00, 20000, 0);
        len += put_literal(block + len, 0x10, 24000, 1);
        block[len++] = 0xbe;
        assert_int_equal(feed(block, len, modes[m], 17000),
                         H2_E_HPACK_HEADER_LIST_TOO_LARGE);
        assert_int_equal(arena.count, 0);
        assert_int_equal(arena.used, 0);
        assert_int_equal(dec.table.count, 1);
        len = test_hex("be", block, sizeof(block));
        assert_int_equal(feed(block, len, FEED_WHOLE, 0), H2_OK);
        assert_int_equal(arena.count, 1);
    }
}

static void test_oversized_still_checks_huffman(void **state)
{
    size_t len;
    (void)state;
    /* Dropped field (list limit 10) with bad padding: still an error. */
    setup_decoder(10, 0);
    len = test_hex("0001 61 81 18", block, sizeof(block));
    assert_int_equal(feed(block, len, FEED_BYTES, 0), H2_E_COMPRESSION);
    setup_decoder(10, 0);
    len = test_hex("0001 61 84 ffff ffff", block, sizeof(block));
    assert_int_equal(feed(block, len, FEED_WHOLE, 0), H2_E_COMPRESSION);
    /* And a bad index is still one. */
    setup_decoder(10, 0);
    len = test_hex("82 80", block, sizeof(block));
    assert_int_equal(feed(block, len, FEED_WHOLE, 0),
                     H2_E_HPACK_INVALID_INDEX);
}

static void test_dynamic_names_and_empty_strings(void **state)
{
    static const expected_field table1[] = {{"a", "b", 0}};
    static const expected_field fields2[] = {
        {"a", "c", 0},
        {"", "", 0},
        {"", "", H2_HEADER_FIELD_NEVER_INDEXED},
        {"a", "b", 0},
    };
    static const expected_field table2[] = {
        {"", "", 0},
        {"a", "c", 0},
        {"a", "b", 0},
    };
    static const block_case blocks[] = {
        {"400161 0162", H2_OK, table1, 1, table1, 1, 34, 0},
        /* Name from the dynamic table (62), then empty raw strings, then
         * empty Huffman strings, then the oldest entry by index. */
        {"7e 0163  4000 00  1080 80  c0", H2_OK, fields2, COUNT(fields2),
         table2, COUNT(table2), 34 + 34 + 32, 0},
    };
    (void)state;
    run_blocks(blocks, COUNT(blocks), 0);
}

static void test_oversized_dynamic_and_indexed_names(void **state)
{
    static const expected_field table1[] = {{"a", "b", 0}};
    static const expected_field table2[] = {{":path", "/x", 0},
                                            {"a", "b", 0}};
    static const expected_field fields3[] = {{":path", "/x", 0},
                                             {"a", "b", 0}};
    static const block_case blocks[] = {
        {"400161 0162", H2_OK, table1, 1, table1, 1, 34, 0},
        /* List limit 40: "a: b" (34) fits alone, not after :method GET
         * (42 > 40 already). A dynamic field past the limit, a literal
         * with an indexed name dropped, one inserted (:path /x, 39). */
        {"82 be 04 012f 44 022f78", H2_E_HPACK_HEADER_LIST_TOO_LARGE, NULL,
         0, table2, COUNT(table2), 39 + 34, 40},
        {"be bf", H2_OK, fields3, COUNT(fields3), table2, COUNT(table2),
         39 + 34, 100},
        /* A dynamic entry that does not fit the list on its own. */
        {"bf", H2_E_HPACK_HEADER_LIST_TOO_LARGE, NULL, 0, table2,
         COUNT(table2), 39 + 34, 33},
    };
    (void)state;
    run_blocks(blocks, COUNT(blocks), 0);
}

static void test_oversized_with_tiny_table(void **state)
{
    static const expected_field none[] = {{"", "", 0}};
    static const block_case blocks[] = {
        /* Table maximum 31: no entry fits. An incremental literal in an
         * oversized block is dropped and leaves the table empty. */
        {"3f00 82 400161 0162", H2_E_HPACK_HEADER_LIST_TOO_LARGE, NULL, 0,
         NULL, 0, 0, 10},
        /* Starts within the list (36 > 35 only with its value). */
        {"400161 03626262", H2_E_HPACK_HEADER_LIST_TOO_LARGE, NULL, 0, NULL,
         0, 0, 35},
        {"3f01", H2_OK, NULL, 0, NULL, 0, 0, 100},
        /* 32 fits: the empty entry is kept even when oversized. */
        {"82 82 82 4000 00", H2_E_HPACK_HEADER_LIST_TOO_LARGE, NULL, 0, none,
         1, 32, 100},
    };
    (void)state;
    run_blocks(blocks, COUNT(blocks), 0);
}

static void test_oversized_raw_larger_than_table(void **state)
{
    enum feed_mode modes[] = {FEED_WHOLE, FEED_BYTES, FEED_SPLIT};
    size_t m;
    (void)state;
    for (m = 0; m < COUNT(modes); m++) {
        size_t len;
        setup_decoder(100, 0);
        len = test_hex("400161 0162", block, sizeof(block));
        assert_int_equal(feed(block, len, FEED_WHOLE, 0), H2_OK);
        assert_int_equal(dec.table.count, 1);
        /* 5000 raw bytes, incremental, list limit 100: dropped whole or
         * after a part was kept, and the table is emptied. */
        len = put_literal(block, 0x40, 5000, 0);
        assert_int_equal(feed(block, len, modes[m], 3000),
                         H2_E_HPACK_HEADER_LIST_TOO_LARGE);
        assert_int_equal(dec.table.count, 0);
        assert_int_equal(arena.used, 0);
    }
}

static void test_limit_change_inside_a_block(void **state)
{
    size_t len;
    (void)state;
    /* A limit lowered between two pieces of a block applies from the
     * next block: this one ends normally, the next must open with an
     * update. */
    setup_decoder(H2_HEADER_ARENA_CAPACITY, 0);
    len = test_hex("82 84", block, sizeof(block));
    h2_hpack_decoder_begin_block(&dec, &arena);
    assert_int_equal(h2_hpack_decode(&dec, &arena, block, 1, 0), H2_OK);
    assert_int_equal(h2_hpack_decoder_set_table_size_limit(&dec, 100), H2_OK);
    assert_int_equal(h2_hpack_decode(&dec, &arena, block + 1, 1, 1), H2_OK);
    assert_int_equal(arena.count, 2);
    assert_int_equal(feed(block, len, FEED_WHOLE, 0),
                     H2_E_HPACK_INVALID_TABLE_SIZE);
    /* Same when the block has no further field. */
    setup_decoder(H2_HEADER_ARENA_CAPACITY, 0);
    h2_hpack_decoder_begin_block(&dec, &arena);
    assert_int_equal(h2_hpack_decode(&dec, &arena, block, 1, 0), H2_OK);
    assert_int_equal(h2_hpack_decoder_set_table_size_limit(&dec, 100), H2_OK);
    assert_int_equal(h2_hpack_decode(&dec, &arena, block, 0, 1), H2_OK);
    len = test_hex("3f45 82", block, sizeof(block));
    assert_int_equal(feed(block, len, FEED_WHOLE, 0), H2_OK);
}

static void test_init_and_limits(void **state)
{
    (void)state;
    h2_hpack_decoder_init(&dec, 0xffffffffu);
    assert_int_equal(dec.max_header_list_size, H2_HEADER_ARENA_CAPACITY);
    assert_int_equal(dec.table_size_limit, 4096);
    assert_int_equal(dec.table.max_size, 4096);
    assert_int_equal(dec.table.count, 0);
    h2_hpack_decoder_set_max_header_list_size(&dec, 123);
    assert_int_equal(dec.max_header_list_size, 123);
    h2_hpack_decoder_set_max_header_list_size(&dec, 0xffffffffu);
    assert_int_equal(dec.max_header_list_size, H2_HEADER_ARENA_CAPACITY);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_c2_1_literal_with_indexing),
        cmocka_unit_test(test_c2_2_literal_without_indexing),
        cmocka_unit_test(test_c2_3_literal_never_indexed),
        cmocka_unit_test(test_c2_4_indexed),
        cmocka_unit_test(test_c3_requests),
        cmocka_unit_test(test_c4_requests_huffman),
        cmocka_unit_test(test_checked_bits),
        cmocka_unit_test(test_c5_responses),
        cmocka_unit_test(test_c6_responses_huffman),
        cmocka_unit_test(test_c5_after_limit_change_needs_size_update),
        cmocka_unit_test(test_index_zero),
        cmocka_unit_test(test_index_past_table),
        cmocka_unit_test(test_size_update_above_limit),
        cmocka_unit_test(test_size_update_after_field),
        cmocka_unit_test(test_size_updates_evict),
        cmocka_unit_test(test_missing_required_size_update),
        cmocka_unit_test(test_truncated_block),
        cmocka_unit_test(test_huffman_errors),
        cmocka_unit_test(test_integer_overflow),
        cmocka_unit_test(test_refused_after_failure),
        cmocka_unit_test(test_list_size_limit_is_inclusive),
        cmocka_unit_test(test_oversized_keeps_table_in_step),
        cmocka_unit_test(test_huffman_fills_the_arena),
        cmocka_unit_test(test_oversized_huffman_entry_is_inserted),
        cmocka_unit_test(test_oversized_raw_entry_is_inserted),
        cmocka_unit_test(test_entry_larger_than_table_empties_it),
        cmocka_unit_test(test_field_larger_than_arena_is_skipped),
        cmocka_unit_test(test_oversized_still_checks_huffman),
        cmocka_unit_test(test_dynamic_names_and_empty_strings),
        cmocka_unit_test(test_oversized_dynamic_and_indexed_names),
        cmocka_unit_test(test_oversized_with_tiny_table),
        cmocka_unit_test(test_oversized_raw_larger_than_table),
        cmocka_unit_test(test_limit_change_inside_a_block),
        cmocka_unit_test(test_init_and_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
