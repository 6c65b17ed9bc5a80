/* HPACK core: integers, static and dynamic tables, header arena, encoder
 * (RFC 7541 sections 2-6 and Appendix C). */
#include "test_util.h"

#include <stdio.h>

#include "h2_hpack_internal.h"

/* ------------------------------------------------------------------ */
/* Integers                                                            */
/* ------------------------------------------------------------------ */

static void expect_int_encoding(uint32_t value, uint8_t prefix_bits,
                                uint8_t high_bits, const char *hex)
{
    uint8_t want[16];
    uint8_t out[16];
    size_t want_len = test_hex(hex, want, sizeof want);
    size_t written = 0;
    uint32_t decoded = 0;
    size_t used = 0;

    memset(out, 0xAA, sizeof out);
    assert_int_equal(h2_hpack_int_length(value, prefix_bits), want_len);
    assert_int_equal(h2_hpack_int_encode(value, prefix_bits, high_bits, out,
                                         sizeof out, &written),
                     H2_OK);
    assert_int_equal(written, want_len);
    assert_memory_equal(out, want, want_len);
    assert_int_equal(out[want_len], 0xAA);
    assert_int_equal(h2_hpack_int_decode(want, want_len, prefix_bits,
                                         &decoded, &used),
                     H2_OK);
    assert_int_equal(decoded, value);
    assert_int_equal(used, want_len);
}

static void test_int_rfc7541_c1_examples(void **state)
{
    (void)state;
    /* C.1.1: 10 with a 5-bit prefix; C.1.2: 1337 with a 5-bit prefix;
     * C.1.3: 42 starting at an octet boundary. */
    expect_int_encoding(10u, 5u, 0x00u, "0a");
    expect_int_encoding(1337u, 5u, 0x00u, "1f 9a 0a");
    expect_int_encoding(42u, 8u, 0x00u, "2a");
    /* The pattern bits above the prefix are kept and ignored on decode. */
    expect_int_encoding(10u, 5u, 0xE0u, "ea");
    expect_int_encoding(1337u, 5u, 0x20u, "3f 9a 0a");
    /* Bits of the pattern inside the prefix are not the pattern's. */
    expect_int_encoding(1u, 4u, 0x1Fu, "11");
}

static void test_int_round_trips_every_prefix(void **state)
{
    (void)state;
    for (uint8_t n = 1; n <= 8; n++) {
        uint64_t p = (uint64_t)1 << n;
        uint64_t values[] = {0, p - 2, p - 1, p, 127 + p, UINT32_MAX};
        for (size_t k = 0; k < sizeof values / sizeof values[0]; k++) {
            uint32_t v = (uint32_t)values[k];
            /* The representation's bits (all ones above the prefix). */
            uint8_t high = (uint8_t)(0xFFu << n);
            uint8_t out[8];
            size_t written = 0;
            uint32_t decoded = 0;
            size_t used = 0;
            size_t len = h2_hpack_int_length(v, n);

            assert_int_equal(h2_hpack_int_encode(v, n, high, out, sizeof out,
                                                 &written),
                             H2_OK);
            assert_int_equal(written, len);
            assert_int_equal(out[0] & high, high);
            assert_int_equal(len == 1, v < p - 1);
            assert_int_equal(h2_hpack_int_decode(out, written, n, &decoded,
                                                 &used),
                             H2_OK);
            assert_int_equal(decoded, v);
            assert_int_equal(used, written);
            /* Trailing input is not consumed. */
            out[written] = 0x7F;
            assert_int_equal(h2_hpack_int_decode(out, written + 1, n,
                                                 &decoded, &used),
                             H2_OK);
            assert_int_equal(used, written);
            /* Every proper prefix of a multi-byte encoding is incomplete. */
            for (size_t cut = 0; cut < written; cut++) {
                decoded = 7;
                used = 9;
                assert_int_equal(h2_hpack_int_decode(out, cut, n, &decoded,
                                                     &used),
                                 H2_E_INCOMPLETE);
                assert_int_equal(decoded, 7);
                assert_int_equal(used, 9);
            }
        }
    }
}

static void expect_int_rejected(const char *hex, uint8_t prefix_bits)
{
    uint8_t in[16];
    size_t len = test_hex(hex, in, sizeof in);
    uint32_t value = 12345;
    size_t used = 678;

    assert_int_equal(h2_hpack_int_decode(in, len, prefix_bits, &value, &used),
                     H2_E_COMPRESSION);
    assert_int_equal(value, 12345);
    assert_int_equal(used, 678);
}

static void test_int_overflow_and_overlong_rejected(void **state)
{
    (void)state;
    uint8_t out[8];
    size_t written;
    uint32_t value;
    size_t used;

    /* 2^32 - 1 is the largest value: 31 + 0xFFFFFFE0 with a 5-bit prefix. */
    assert_int_equal(h2_hpack_int_encode(UINT32_MAX, 5, 0, out, sizeof out,
                                         &written),
                     H2_OK);
    assert_int_equal(written, 6);
    assert_memory_equal(out, "\x1f\xe0\xff\xff\xff\x0f", 6);
    /* 2^32 = 31 + 0xFFFFFFE1. */
    expect_int_rejected("1f e1 ff ff ff 0f", 5);
    /* 2^32 with an 8-bit prefix: 255 + 0xFFFFFF01. */
    expect_int_rejected("ff 81 fe ff ff 0f", 8);
    /* Far past 2^32 in the fifth continuation byte. */
    expect_int_rejected("1f 80 80 80 80 7f", 5);
    /* A sixth continuation byte. */
    expect_int_rejected("1f 80 80 80 80 80 01", 5);
    expect_int_rejected("1f 80 80 80 80 80", 5);
    /* Over-long: a final zero continuation byte adds nothing. */
    expect_int_rejected("1f 80 00", 5);
    expect_int_rejected("1f 9a 8a 00", 5);
    expect_int_rejected("01 80 80 00", 1);
    /* A single zero continuation byte is the only way to write 2^N - 1. */
    assert_int_equal(h2_hpack_int_decode((const uint8_t *)"\x1f\x00", 2, 5,
                                         &value, &used),
                     H2_OK);
    assert_int_equal(value, 31);
    assert_int_equal(used, 2);
    /* 0x80 in the middle is fine: 31 + 0 + 1 * 128. */
    assert_int_equal(h2_hpack_int_decode((const uint8_t *)"\x1f\x80\x01", 3,
                                         5, &value, &used),
                     H2_OK);
    assert_int_equal(value, 159);
    assert_int_equal(used, 3);
}

static void test_int_truncated_is_incomplete(void **state)
{
    (void)state;
    uint32_t value = 5;
    size_t used = 6;

    assert_int_equal(h2_hpack_int_decode((const uint8_t *)"", 0, 5, &value,
                                         &used),
                     H2_E_INCOMPLETE);
    assert_int_equal(h2_hpack_int_decode((const uint8_t *)"\x1f", 1, 5,
                                         &value, &used),
                     H2_E_INCOMPLETE);
    assert_int_equal(h2_hpack_int_decode((const uint8_t *)"\x1f\x9a", 2, 5,
                                         &value, &used),
                     H2_E_INCOMPLETE);
    assert_int_equal(h2_hpack_int_decode((const uint8_t *)"\xff\xff\xff\xff",
                                         4, 8, &value, &used),
                     H2_E_INCOMPLETE);
    assert_int_equal(value, 5);
    assert_int_equal(used, 6);
}

static void test_int_next_steps(void **state)
{
    (void)state;
    uint32_t value = 31;
    uint8_t count = 0;
    int done = 7;

    assert_int_equal(h2_hpack_int_next(&value, &count, 0x9a, &done), H2_OK);
    assert_int_equal(done, 0);
    assert_int_equal(count, 1);
    assert_int_equal(value, 31 + 26);
    assert_int_equal(h2_hpack_int_next(&value, &count, 0x0a, &done), H2_OK);
    assert_int_equal(done, 1);
    assert_int_equal(count, 2);
    assert_int_equal(value, 1337);
    /* Errors change nothing. */
    value = 31;
    count = 1;
    done = 0;
    assert_int_equal(h2_hpack_int_next(&value, &count, 0x00, &done),
                     H2_E_COMPRESSION);
    assert_int_equal(value, 31);
    assert_int_equal(count, 1);
    assert_int_equal(done, 0);
    count = H2_HPACK_INT_MAX_CONTINUATION;
    assert_int_equal(h2_hpack_int_next(&value, &count, 0x01, &done),
                     H2_E_COMPRESSION);
    assert_int_equal(count, H2_HPACK_INT_MAX_CONTINUATION);
}

static void test_int_encode_buffer_too_small(void **state)
{
    (void)state;
    uint8_t out[4] = {0xAA, 0xAA, 0xAA, 0xAA};
    size_t written = 0;

    assert_int_equal(h2_hpack_int_encode(1337, 5, 0, out, 2, &written),
                     H2_E_BUFFER_TOO_SMALL);
    assert_int_equal(written, 3);
    assert_memory_equal(out, "\xaa\xaa\xaa\xaa", 4);
    assert_int_equal(h2_hpack_int_encode(1337, 5, 0, out, 0, &written),
                     H2_E_BUFFER_TOO_SMALL);
    assert_int_equal(h2_hpack_int_encode(1337, 5, 0, out, 3, &written),
                     H2_OK);
    assert_int_equal(written, 3);
}

/* ------------------------------------------------------------------ */
/* Static table and arena                                              */
/* ------------------------------------------------------------------ */

static int header_is(const h2_header *h, const char *name, const char *value)
{
    return h->name_len == strlen(name) &&
           memcmp(h->name, name, h->name_len) == 0 &&
           h->value_len == strlen(value) &&
           (h->value_len == 0 || memcmp(h->value, value, h->value_len) == 0);
}

static void test_static_table_entries(void **state)
{
    (void)state;
    h2_header h;

    h2_hpack_static_get(1, &h);
    assert_true(header_is(&h, ":authority", ""));
    h2_hpack_static_get(2, &h);
    assert_true(header_is(&h, ":method", "GET"));
    h2_hpack_static_get(5, &h);
    assert_true(header_is(&h, ":path", "/index.html"));
    h2_hpack_static_get(16, &h);
    assert_true(header_is(&h, "accept-encoding", "gzip, deflate"));
    h2_hpack_static_get(33, &h);
    assert_true(header_is(&h, "date", ""));
    h2_hpack_static_get(55, &h);
    assert_true(header_is(&h, "set-cookie", ""));
    h2_hpack_static_get(61, &h);
    assert_true(header_is(&h, "www-authenticate", ""));
    assert_int_equal(h.flags, 0);
    /* Every name is lowercase, non-empty and distinct from its neighbour's
     * entry as a whole. */
    for (uint32_t i = 1; i <= H2_HPACK_STATIC_TABLE_LENGTH; i++) {
        h2_header a;
        h2_hpack_static_get(i, &a);
        assert_true(a.name_len >= 1 && a.name_len <= 27);
        for (uint32_t k = 0; k < a.name_len; k++) {
            assert_false(a.name[k] >= 'A' && a.name[k] <= 'Z');
        }
        if (i > 1) {
            h2_header b;
            h2_hpack_static_get(i - 1, &b);
            assert_false(a.name_len == b.name_len &&
                         memcmp(a.name, b.name, a.name_len) == 0 &&
                         a.value_len == b.value_len &&
                         memcmp(a.value, b.value, a.value_len) == 0);
        }
    }
}

static void test_header_arena_reset_and_get(void **state)
{
    (void)state;
    static h2_header_arena arena;
    h2_header h;

    arena.used = 10;
    arena.count = 1;
    memcpy(arena.bytes, "etagabcdef", 10);
    arena.fields[0].name_offset = 0;
    arena.fields[0].name_len = 4;
    arena.fields[0].value_offset = 4;
    arena.fields[0].value_len = 6;
    arena.fields[0].flags = H2_HEADER_FIELD_NEVER_INDEXED;
    h2_header_arena_get(&arena, 0, &h);
    assert_true(header_is(&h, "etag", "abcdef"));
    assert_ptr_equal(h.name, arena.bytes);
    assert_int_equal(h.flags, H2_HEADER_FIELD_NEVER_INDEXED);
    h2_header_arena_reset(&arena);
    assert_int_equal(arena.used, 0);
    assert_int_equal(arena.count, 0);
}

/* ------------------------------------------------------------------ */
/* Dynamic table                                                       */
/* ------------------------------------------------------------------ */

/* Entry i of the table (0 = newest) read both ways: table_get and
 * lengths + copy. */
static void expect_entry(const h2_hpack_table *t, uint32_t i,
                         const uint8_t *name, size_t name_len,
                         const uint8_t *value, size_t value_len)
{
    static uint8_t scratch[H2_HPACK_TABLE_CAPACITY];
    uint8_t copy[H2_HPACK_TABLE_CAPACITY];
    uint32_t nl = 0;
    uint32_t vl = 0;
    h2_header h;

    assert_true(i < t->count);
    h2_hpack_table_get(t, i, scratch, &h);
    assert_int_equal(h.name_len, name_len);
    assert_int_equal(h.value_len, value_len);
    assert_memory_equal(h.name, name, name_len);
    assert_memory_equal(h.value, value, value_len);
    h2_hpack_table_lengths(t, i, &nl, &vl);
    assert_int_equal(nl, name_len);
    assert_int_equal(vl, value_len);
    h2_hpack_table_copy(t, i, 0, copy);
    assert_memory_equal(copy, name, name_len);
    h2_hpack_table_copy(t, i, 1, copy);
    assert_memory_equal(copy, value, value_len);
}

static void expect_entry_str(const h2_hpack_table *t, uint32_t i,
                             const char *name, const char *value)
{
    expect_entry(t, i, (const uint8_t *)name, strlen(name),
                 (const uint8_t *)value, strlen(value));
}

static void insert_str(h2_hpack_table *t, const char *name, const char *value)
{
    h2_hpack_table_insert(t, TEST_STR(name), TEST_STR(value));
}

static void test_table_insert_evict_order_and_size(void **state)
{
    (void)state;
    static h2_hpack_table t;

    h2_hpack_table_init(&t, 200);
    assert_int_equal(t.count, 0);
    assert_int_equal(t.size, 0);
    insert_str(&t, "a", "1");          /* 34 */
    insert_str(&t, "bb", "22");        /* 36 */
    insert_str(&t, "ccc", "333");      /* 38 */
    assert_int_equal(t.count, 3);
    assert_int_equal(t.size, 34 + 36 + 38);
    expect_entry_str(&t, 0, "ccc", "333");
    expect_entry_str(&t, 1, "bb", "22");
    expect_entry_str(&t, 2, "a", "1");
    /* 108 + 58 = 166 fits; + 49 = 215 does not: the oldest goes. */
    insert_str(&t, "dddd", "4444444444444444444444"); /* 58 */
    assert_int_equal(t.size, 166);
    insert_str(&t, "e", "5555555555555555");           /* 49 */
    assert_int_equal(t.count, 4);
    assert_int_equal(t.size, 36 + 38 + 58 + 49);
    expect_entry_str(&t, 0, "e", "5555555555555555");
    expect_entry_str(&t, 3, "bb", "22");
    /* An entry of exactly the limit evicts everything else. */
    {
        char value[200 - 32 - 1 + 1];
        memset(value, 'v', sizeof value - 1);
        value[sizeof value - 1] = '\0';
        insert_str(&t, "x", value);
        assert_int_equal(t.count, 1);
        assert_int_equal(t.size, 200);
        expect_entry_str(&t, 0, "x", value);
    }
    /* An empty entry costs 32. */
    h2_hpack_table_set_max_size(&t, 100);
    assert_int_equal(t.count, 0);
    assert_int_equal(t.size, 0);
    insert_str(&t, "", "");
    assert_int_equal(t.count, 1);
    assert_int_equal(t.size, 32);
    expect_entry_str(&t, 0, "", "");
}

static void test_table_entry_larger_than_limit_empties_it(void **state)
{
    (void)state;
    static h2_hpack_table t;

    h2_hpack_table_init(&t, 100);
    insert_str(&t, "a", "b");
    insert_str(&t, "c", "d");
    assert_int_equal(t.count, 2);
    /* 1 + 68 + 32 = 101 > 100. */
    insert_str(&t, "n", "01234567890123456789012345678901234567890123456789"
                        "012345678901234567");
    assert_int_equal(t.count, 0);
    assert_int_equal(t.size, 0);
    /* Still usable. */
    insert_str(&t, "k", "v");
    assert_int_equal(t.count, 1);
    expect_entry_str(&t, 0, "k", "v");
}

static void test_table_set_max_size_evicts(void **state)
{
    (void)state;
    static h2_hpack_table t;

    h2_hpack_table_init(&t, 4096);
    insert_str(&t, "one", "1");     /* 36 */
    insert_str(&t, "two", "22");    /* 37 */
    insert_str(&t, "three", "333"); /* 40 */
    h2_hpack_table_set_max_size(&t, 113);
    assert_int_equal(t.count, 3);
    assert_int_equal(t.max_size, 113);
    h2_hpack_table_set_max_size(&t, 112);
    assert_int_equal(t.count, 2);
    assert_int_equal(t.size, 77);
    expect_entry_str(&t, 0, "three", "333");
    expect_entry_str(&t, 1, "two", "22");
    h2_hpack_table_set_max_size(&t, 40);
    assert_int_equal(t.count, 1);
    h2_hpack_table_set_max_size(&t, 0);
    assert_int_equal(t.count, 0);
    assert_int_equal(t.size, 0);
    insert_str(&t, "", "");
    assert_int_equal(t.count, 0);
    h2_hpack_table_set_max_size(&t, H2_HPACK_TABLE_CAPACITY);
    insert_str(&t, "back", "again");
    expect_entry_str(&t, 0, "back", "again");
}

/* A simple model of the table: a list of entries, newest first. */
#define MODEL_MAX 512
typedef struct model_entry {
    uint8_t name[H2_HPACK_TABLE_CAPACITY];
    size_t name_len;
    uint8_t value[H2_HPACK_TABLE_CAPACITY];
    size_t value_len;
} model_entry;

static model_entry model[MODEL_MAX];

static uint32_t test_rand_state = 12345u;
static uint32_t test_rand(void)
{
    test_rand_state = test_rand_state * 1103515245u + 12345u;
    return test_rand_state >> 8;
}

static void test_table_wraps_against_model(void **state)
{
    (void)state;
    static h2_hpack_table t;
    static uint8_t name[H2_HPACK_TABLE_CAPACITY];
    static uint8_t value[H2_HPACK_TABLE_CAPACITY];
    size_t count = 0;
    size_t wrapped = 0;
    uint32_t limit = H2_HPACK_TABLE_CAPACITY;

    h2_hpack_table_init(&t, limit);
    for (int round = 0; round < 3000; round++) {
        size_t name_len;
        size_t value_len;
        size_t size = 0;
        uint32_t r = test_rand();

        if (round % 500 == 499) {
            /* Change the limit now and then, the model evicting alike. */
            limit = (test_rand() % 2) ? H2_HPACK_TABLE_CAPACITY
                                      : test_rand() % H2_HPACK_TABLE_CAPACITY;
            h2_hpack_table_set_max_size(&t, limit);
            for (size_t k = 0; k < count; k++) {
                size += model[k].name_len + model[k].value_len + 32;
            }
            while (size > limit) {
                count--;
                size -= model[count].name_len + model[count].value_len + 32;
            }
        }
        /* Mostly small entries, sometimes big or empty ones. */
        switch (r % 8) {
        case 0:
            name_len = 0;
            value_len = 0;
            break;
        case 1:
            name_len = 1 + test_rand() % 40;
            value_len = 500 + test_rand() % 1500;
            break;
        case 2:
            name_len = 1 + test_rand() % 200;
            value_len = test_rand() % (H2_HPACK_TABLE_CAPACITY - 200);
            break;
        default:
            name_len = 1 + test_rand() % 20;
            value_len = test_rand() % 60;
            break;
        }
        for (size_t k = 0; k < name_len; k++) {
            name[k] = (uint8_t)('a' + test_rand() % 26);
        }
        for (size_t k = 0; k < value_len; k++) {
            value[k] = (uint8_t)test_rand();
        }
        h2_hpack_table_insert(&t, name, (uint32_t)name_len, value,
                              (uint32_t)value_len);

        /* Model: evict from the end until it fits, or empty it. */
        if (name_len + value_len + 32 > limit) {
            count = 0;
        } else {
            size = 0;
            for (size_t k = 0; k < count; k++) {
                size += model[k].name_len + model[k].value_len + 32;
            }
            while (size + name_len + value_len + 32 > limit) {
                count--;
                size -= model[count].name_len + model[count].value_len + 32;
            }
            assert_true(count < MODEL_MAX);
            memmove(&model[1], &model[0], count * sizeof model[0]);
            memcpy(model[0].name, name, name_len);
            model[0].name_len = name_len;
            memcpy(model[0].value, value, value_len);
            model[0].value_len = value_len;
            count++;
        }

        assert_int_equal(t.count, count);
        assert_true(t.count <= H2_HPACK_TABLE_MAX_ENTRIES);
        size = 0;
        for (size_t k = 0; k < count; k++) {
            size += model[k].name_len + model[k].value_len + 32;
        }
        assert_int_equal(t.size, size);
        assert_true(t.size <= t.max_size);
        for (size_t k = 0; k < count; k++) {
            static uint8_t scratch[H2_HPACK_TABLE_CAPACITY];
            h2_header h;
            expect_entry(&t, (uint32_t)k, model[k].name, model[k].name_len,
                         model[k].value, model[k].value_len);
            h2_hpack_table_get(&t, (uint32_t)k, scratch, &h);
            if (h.name == scratch || h.value == scratch + h.name_len) {
                wrapped++;
            }
        }
    }
    /* The run did exercise entries split by the ring's end. */
    assert_true(wrapped > 10);
}

static void test_table_count_never_exceeds_max_entries(void **state)
{
    (void)state;
    static h2_hpack_table t;

    h2_hpack_table_init(&t, H2_HPACK_TABLE_CAPACITY);
    for (uint32_t i = 0; i < 3 * H2_HPACK_TABLE_MAX_ENTRIES; i++) {
        uint8_t b = (uint8_t)i;
        /* Alternate empty entries (32 bytes, the smallest) and tiny ones. */
        if (i % 3 == 0) {
            h2_hpack_table_insert(&t, &b, 1, &b, 0);
        } else {
            h2_hpack_table_insert(&t, &b, 0, &b, 0);
        }
        assert_true(t.count <= H2_HPACK_TABLE_MAX_ENTRIES);
        assert_true(t.size <= H2_HPACK_TABLE_CAPACITY);
    }
    h2_hpack_table_init(&t, H2_HPACK_TABLE_CAPACITY);
    for (uint32_t i = 0; i < 2 * H2_HPACK_TABLE_MAX_ENTRIES; i++) {
        h2_hpack_table_insert(&t, (const uint8_t *)"", 0,
                              (const uint8_t *)"", 0);
    }
    assert_int_equal(t.count, H2_HPACK_TABLE_MAX_ENTRIES);
    assert_int_equal(t.size, H2_HPACK_TABLE_CAPACITY);
}

/* ------------------------------------------------------------------ */
/* A small reference decoder for checking the encoder's output          */
/* ------------------------------------------------------------------ */

typedef struct ref_field {
    uint8_t name[H2_HPACK_TABLE_CAPACITY * 2];
    size_t name_len;
    uint8_t value[H2_HPACK_TABLE_CAPACITY * 2];
    size_t value_len;
    uint8_t repr; /* 0x80, 0x40, 0x10 or 0x00 */
} ref_field;

#define REF_FIELDS_MAX 64
static ref_field ref_fields[REF_FIELDS_MAX];
static uint32_t ref_updates[4];

static size_t ref_int(const uint8_t *in, size_t len, size_t *pos,
                      uint8_t prefix)
{
    uint32_t v = 0;
    size_t used = 0;
    assert_int_equal(h2_hpack_int_decode(in + *pos, len - *pos, prefix, &v,
                                         &used),
                     H2_OK);
    *pos += used;
    return v;
}

static size_t ref_string(const uint8_t *in, size_t len, size_t *pos,
                         uint8_t *out, size_t cap)
{
    int huffman;
    size_t n;
    size_t out_len = 0;

    assert_true(*pos < len);
    huffman = (in[*pos] & 0x80) != 0;
    n = ref_int(in, len, pos, 7);
    assert_true(*pos + n <= len);
    if (huffman) {
        /* Huffman only when strictly shorter than the raw string. */
        assert_int_equal(h2_huffman_decode(in + *pos, n, out, cap, &out_len),
                         H2_OK);
        assert_true(n < out_len);
        assert_int_equal(h2_huffman_encoded_length(out, out_len), n);
    } else {
        assert_true(n <= cap);
        memcpy(out, in + *pos, n);
        out_len = n;
        /* ... and raw when it is not. */
        assert_true(h2_huffman_encoded_length(out, out_len) >= n);
    }
    *pos += n;
    return out_len;
}

static void ref_entry(const h2_hpack_table *t, size_t index, ref_field *f,
                      int name_only)
{
    static uint8_t scratch[H2_HPACK_TABLE_CAPACITY];
    h2_header h;

    assert_true(index >= 1);
    if (index <= H2_HPACK_STATIC_TABLE_LENGTH) {
        h2_hpack_static_get((uint32_t)index, &h);
    } else {
        assert_true(index - H2_HPACK_STATIC_TABLE_LENGTH - 1 < t->count);
        h2_hpack_table_get(t,
                           (uint32_t)(index - H2_HPACK_STATIC_TABLE_LENGTH - 1),
                           scratch, &h);
    }
    memcpy(f->name, h.name, h.name_len);
    f->name_len = h.name_len;
    if (!name_only) {
        memcpy(f->value, h.value, h.value_len);
        f->value_len = h.value_len;
    }
}

/* Decodes a whole block into ref_fields, keeping t in step; returns the
 * field count and stores size updates in ref_updates. */
static size_t ref_decode(h2_hpack_table *t, const uint8_t *in, size_t len,
                         size_t *updates)
{
    size_t pos = 0;
    size_t count = 0;

    *updates = 0;
    while (pos < len) {
        uint8_t b = in[pos];
        ref_field *f = &ref_fields[count];

        if ((b & 0xE0) == 0x20) {
            size_t size = ref_int(in, len, &pos, 5);
            /* Size updates only open a block. */
            assert_int_equal(count, 0);
            assert_true(*updates < 4);
            ref_updates[(*updates)++] = (uint32_t)size;
            assert_true(size <= H2_HPACK_TABLE_CAPACITY);
            h2_hpack_table_set_max_size(t, (uint32_t)size);
            continue;
        }
        assert_true(count < REF_FIELDS_MAX);
        if (b & 0x80) {
            f->repr = 0x80;
            ref_entry(t, ref_int(in, len, &pos, 7), f, 0);
        } else {
            uint8_t prefix = (b & 0x40) ? 6 : 4;
            size_t index;
            f->repr = (b & 0x40) ? 0x40 : (uint8_t)(b & 0x10);
            index = ref_int(in, len, &pos, prefix);
            if (index == 0) {
                f->name_len = ref_string(in, len, &pos, f->name,
                                         sizeof f->name);
            } else {
                ref_entry(t, index, f, 1);
            }
            f->value_len = ref_string(in, len, &pos, f->value,
                                      sizeof f->value);
            if (f->repr == 0x40) {
                h2_hpack_table_insert(t, f->name, (uint32_t)f->name_len,
                                      f->value, (uint32_t)f->value_len);
            }
        }
        count++;
    }
    return count;
}

static void expect_ref_field(size_t i, const h2_header *h)
{
    assert_int_equal(ref_fields[i].name_len, h->name_len);
    assert_memory_equal(ref_fields[i].name, h->name, h->name_len);
    assert_int_equal(ref_fields[i].value_len, h->value_len);
    if (h->value_len > 0) {
        assert_memory_equal(ref_fields[i].value, h->value, h->value_len);
    }
}

/* Both tables hold the same entries. */
static void expect_same_tables(const h2_hpack_table *a, const h2_hpack_table *b)
{
    static uint8_t scratch_a[H2_HPACK_TABLE_CAPACITY];
    static uint8_t scratch_b[H2_HPACK_TABLE_CAPACITY];

    assert_int_equal(a->count, b->count);
    assert_int_equal(a->size, b->size);
    assert_int_equal(a->max_size, b->max_size);
    for (uint32_t i = 0; i < a->count; i++) {
        h2_header ha;
        h2_header hb;
        h2_hpack_table_get(a, i, scratch_a, &ha);
        h2_hpack_table_get(b, i, scratch_b, &hb);
        assert_int_equal(ha.name_len, hb.name_len);
        assert_int_equal(ha.value_len, hb.value_len);
        assert_memory_equal(ha.name, hb.name, ha.name_len);
        assert_memory_equal(ha.value, hb.value, ha.value_len);
    }
}

/* ------------------------------------------------------------------ */
/* Encoder                                                             */
/* ------------------------------------------------------------------ */

#define HDR(n, v) {(const uint8_t *)(n), (uint32_t)(sizeof(n) - 1), \
                   (const uint8_t *)(v), (uint32_t)(sizeof(v) - 1), 0}

static h2_hpack_encoder enc;
static h2_hpack_encoder enc_searched;
static h2_hpack_found found[64];
static h2_hpack_table peer;
static uint8_t block[16384];
static uint8_t block_searched[16384];

/* Encodes fields on a copy of the encoder with h2_hpack_encoder_find()'s
 * answers handed over, for comparison with a plain encode. */
static size_t encode_searched(const h2_header *fields, size_t count)
{
    size_t written = 0;

    assert_true(count <= sizeof found / sizeof found[0]);
    enc_searched = enc;
    for (size_t i = 0; i < count; i++) {
        int whole = h2_hpack_encoder_find(&enc_searched, &fields[i], &found[i]);
        assert_int_equal(whole, found[i].index != 0);
    }
    assert_int_equal(h2_hpack_encode(&enc_searched, fields, found, count,
                                     block_searched, sizeof block_searched,
                                     &written),
                     H2_OK);
    return written;
}

/* Encodes fields, checks the bytes against hex (when not NULL), decodes
 * them with the reference decoder into the peer table and checks the
 * fields come back. The same fields encoded after h2_hpack_encoder_find()
 * give the same bytes and leave the encoder the same. */
static size_t encode_and_check(const h2_header *fields, size_t count,
                               const char *hex)
{
    uint8_t want[512];
    size_t written = 0;
    size_t updates = 0;
    size_t decoded;
    uint64_t bound = h2_hpack_encode_bound(&enc, fields, count);
    size_t written_searched;

    assert_true(bound <= sizeof block);
    written_searched = encode_searched(fields, count);
    memset(block, 0xEE, sizeof block);
    assert_int_equal(h2_hpack_encode(&enc, fields, NULL, count, block,
                                     sizeof block, &written),
                     H2_OK);
    assert_true(written <= bound);
    assert_int_equal(block[written], 0xEE);
    assert_int_equal(written_searched, written);
    assert_memory_equal(block_searched, block, written);
    assert_memory_equal(&enc_searched, &enc, sizeof enc);
    if (hex != NULL) {
        size_t want_len = test_hex(hex, want, sizeof want);
        assert_int_equal(written, want_len);
        assert_memory_equal(block, want, want_len);
    }
    decoded = ref_decode(&peer, block, written, &updates);
    assert_int_equal(decoded, count);
    for (size_t i = 0; i < count; i++) {
        expect_ref_field(i, &fields[i]);
    }
    expect_same_tables(&enc.table, &peer);
    return written;
}

static void start_encoder(void)
{
    h2_hpack_encoder_init(&enc);
    h2_hpack_table_init(&peer, H2_HPACK_DEFAULT_TABLE_SIZE);
}

/* The name index of a literal field representation at block[0]. */
static uint32_t literal_name_index(const uint8_t *b)
{
    uint32_t prefix_max = (b[0] & 0xc0) == 0x40 ? 0x3f : 0x0f;
    uint32_t index = b[0] & prefix_max;
    if (index == prefix_max) {
        assert_true(b[1] < 0x80);
        index += b[1];
    }
    return index;
}

/* Every static entry is found by name and value, and every static name by
 * name alone, at its first index (the encoder looks only at the entries
 * whose name starts with the same byte). */
static void test_encoder_finds_every_static_entry(void **state)
{
    (void)state;
    for (uint32_t i = 1; i <= H2_HPACK_STATIC_TABLE_LENGTH; i++) {
        h2_header f;
        uint32_t first = i;
        h2_hpack_static_get(i, &f);
        start_encoder();
        assert_int_equal(encode_and_check(&f, 1, NULL), 1);
        assert_int_equal(block[0], 0x80 | i);
        while (first > 1) {
            h2_header g;
            h2_hpack_static_get(first - 1, &g);
            if (g.name_len != f.name_len || memcmp(g.name, f.name, f.name_len) != 0) {
                break;
            }
            first--;
        }
        f.value = (const uint8_t *)"no-such-static-value";
        f.value_len = 20;
        start_encoder();
        (void)encode_and_check(&f, 1, NULL);
        assert_true((block[0] & 0x80) == 0);
        assert_int_equal(literal_name_index(block), first);
    }
    /* Names outside the table, and the empty name, are sent literally;
     * so are names of a static name's length, first and last byte (the
     * encoder's lookup key), and the static names in capitals. */
    h2_header other[] = {HDR("x-custom", "1"), HDR("bcc", "2"), HDR("zz", "3"), HDR("", "4"),
                         HDR("dxte", "5"), HDR(":pxth", "6"), HDR("cxxxxxxxxxxxxxxe", "7"),
                         HDR("Date", "8"), HDR("user-agenT", "9")};
    for (size_t k = 0; k < sizeof other / sizeof other[0]; k++) {
        start_encoder();
        (void)encode_and_check(&other[k], 1, NULL);
        assert_true((block[0] & 0x80) == 0);
        assert_int_equal(literal_name_index(block), 0);
    }
}

/* RFC 7541 C.3 / C.4: three requests on one connection. All their strings
 * are shorter Huffman coded, so our output is exactly C.4's; decoding it
 * back checks the C.3 header lists. */
static void test_encoder_rfc7541_c4_requests(void **state)
{
    (void)state;
    const h2_header req1[] = {
        HDR(":method", "GET"), HDR(":scheme", "http"), HDR(":path", "/"),
        HDR(":authority", "www.example.com"),
    };
    const h2_header req2[] = {
        HDR(":method", "GET"), HDR(":scheme", "http"), HDR(":path", "/"),
        HDR(":authority", "www.example.com"),
        HDR("cache-control", "no-cache"),
    };
    const h2_header req3[] = {
        HDR(":method", "GET"), HDR(":scheme", "https"),
        HDR(":path", "/index.html"), HDR(":authority", "www.example.com"),
        HDR("custom-key", "custom-value"),
    };

    start_encoder();
    encode_and_check(req1, 4, "8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff");
    assert_int_equal(enc.table.count, 1);
    assert_int_equal(enc.table.size, 57);
    expect_entry_str(&enc.table, 0, ":authority", "www.example.com");

    encode_and_check(req2, 5, "8286 84be 5886 a8eb 1064 9cbf");
    assert_int_equal(enc.table.count, 2);
    assert_int_equal(enc.table.size, 110);
    expect_entry_str(&enc.table, 0, "cache-control", "no-cache");
    expect_entry_str(&enc.table, 1, ":authority", "www.example.com");

    encode_and_check(req3, 5,
                     "8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925"
                     "a849 e95b b8e8 b4bf");
    assert_int_equal(enc.table.count, 3);
    assert_int_equal(enc.table.size, 164);
    expect_entry_str(&enc.table, 0, "custom-key", "custom-value");
    expect_entry_str(&enc.table, 1, "cache-control", "no-cache");
    expect_entry_str(&enc.table, 2, ":authority", "www.example.com");
}

/* RFC 7541 C.5 / C.6: three responses with a 256-byte table. Our block
 * opens with the size update; ":status: 307" stays raw (its Huffman code
 * is no shorter); the rest is C.6's bytes, and the tables are C.5's. */
static void test_encoder_rfc7541_c6_responses(void **state)
{
    (void)state;
    const h2_header resp1[] = {
        HDR(":status", "302"), HDR("cache-control", "private"),
        HDR("date", "Mon, 21 Oct 2013 20:13:21 GMT"),
        HDR("location", "https://www.example.com"),
    };
    const h2_header resp2[] = {
        HDR(":status", "307"), HDR("cache-control", "private"),
        HDR("date", "Mon, 21 Oct 2013 20:13:21 GMT"),
        HDR("location", "https://www.example.com"),
    };
    const h2_header resp3[] = {
        HDR(":status", "200"), HDR("cache-control", "private"),
        HDR("date", "Mon, 21 Oct 2013 20:13:22 GMT"),
        HDR("location", "https://www.example.com"),
        HDR("content-encoding", "gzip"),
        HDR("set-cookie",
            "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1"),
    };

    start_encoder();
    h2_hpack_encoder_set_max_table_size(&enc, 256);
    encode_and_check(resp1, 4,
                     "3fe101"
                     "4882 6402 5885 aec3 771a 4b61 96d0 7abe"
                     "9410 54d4 44a8 2005 9504 0b81 66e0 82a6"
                     "2d1b ff6e 919d 29ad 1718 63c7 8f0b 97c8"
                     "e9ae 82ae 43d3");
    assert_int_equal(ref_updates[0], 256);
    assert_int_equal(enc.table.count, 4);
    assert_int_equal(enc.table.size, 222);
    expect_entry_str(&enc.table, 0, "location", "https://www.example.com");
    expect_entry_str(&enc.table, 1, "date", "Mon, 21 Oct 2013 20:13:21 GMT");
    expect_entry_str(&enc.table, 2, "cache-control", "private");
    expect_entry_str(&enc.table, 3, ":status", "302");

    encode_and_check(resp2, 4, "4803 3330 37c1 c0bf");
    assert_int_equal(enc.table.count, 4);
    assert_int_equal(enc.table.size, 222);
    expect_entry_str(&enc.table, 0, ":status", "307");
    expect_entry_str(&enc.table, 1, "location", "https://www.example.com");
    expect_entry_str(&enc.table, 2, "date", "Mon, 21 Oct 2013 20:13:21 GMT");
    expect_entry_str(&enc.table, 3, "cache-control", "private");

    encode_and_check(resp3, 6,
                     "88c1 6196 d07a be94 1054 d444 a820 0595"
                     "040b 8166 e084 a62d 1bff c05a 839b d9ab"
                     "77ad 94e7 821d d7f2 e6c7 b335 dfdf cd5b"
                     "3960 d5af 2708 7f36 72c1 ab27 0fb5 291f"
                     "9587 3160 65c0 03ed 4ee5 b106 3d50 07");
    assert_int_equal(enc.table.count, 3);
    assert_int_equal(enc.table.size, 215);
    expect_entry_str(&enc.table, 0, "set-cookie",
                     "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; "
                     "version=1");
    expect_entry_str(&enc.table, 1, "content-encoding", "gzip");
    expect_entry_str(&enc.table, 2, "date", "Mon, 21 Oct 2013 20:13:22 GMT");
}

static void test_encoder_size_updates(void **state)
{
    (void)state;
    const h2_header one[] = {HDR(":method", "GET")};
    size_t updates = 0;
    size_t written = 0;

    start_encoder();
    /* No change of limit: nothing to signal. */
    h2_hpack_encoder_set_max_table_size(&enc, 4096);
    h2_hpack_encoder_set_max_table_size(&enc, 100000);
    encode_and_check(one, 1, "82");

    /* Smallest since the last block, then the final one. */
    h2_hpack_encoder_set_max_table_size(&enc, 300);
    h2_hpack_encoder_set_max_table_size(&enc, 100);
    h2_hpack_encoder_set_max_table_size(&enc, 200);
    encode_and_check(one, 1, "3f45 3fa901 82");
    assert_int_equal(enc.table.max_size, 200);
    assert_int_equal(peer.max_size, 200);
    /* Signalled once only. */
    encode_and_check(one, 1, "82");

    /* Smallest equals final: one update. */
    h2_hpack_encoder_set_max_table_size(&enc, 500);
    h2_hpack_encoder_set_max_table_size(&enc, 0);
    h2_hpack_encoder_set_max_table_size(&enc, 0);
    encode_and_check(one, 1, "20 82");
    /* A round trip to the same limit still shows the dip. */
    h2_hpack_encoder_set_max_table_size(&enc, 4096);
    h2_hpack_encoder_set_max_table_size(&enc, 0);
    encode_and_check(one, 1, "20 82");
    h2_hpack_encoder_set_max_table_size(&enc, 50);
    h2_hpack_encoder_set_max_table_size(&enc, 0);
    encode_and_check(one, 1, "20 82");
    /* An empty block still carries the update. */
    h2_hpack_encoder_set_max_table_size(&enc, 8192);
    assert_int_equal(h2_hpack_encode(&enc, one, NULL, 0, block, sizeof block,
                                     &written),
                     H2_OK);
    assert_int_equal(written, 3);
    assert_memory_equal(block, "\x3f\xe1\x1f", 3);
    assert_int_equal(ref_decode(&peer, block, written, &updates), 0);
    assert_int_equal(updates, 1);
    assert_int_equal(ref_updates[0], H2_HPACK_TABLE_CAPACITY);
}

static void test_encoder_size_update_evicts_in_step(void **state)
{
    (void)state;
    const h2_header a[] = {HDR("x-a", "aaaaaaaaaa"), HDR("x-b", "bbbbbbbbbb")};
    const h2_header b[] = {HDR("x-b", "bbbbbbbbbb"), HDR("x-c", "cccc")};

    start_encoder();
    encode_and_check(a, 2, NULL);
    assert_int_equal(enc.table.count, 2);
    /* Down to one entry's room and back up: the table keeps only the
     * newest, which is still indexed after the updates. */
    h2_hpack_encoder_set_max_table_size(&enc, 50);
    h2_hpack_encoder_set_max_table_size(&enc, 4096);
    assert_int_equal(enc.table.count, 1);
    encode_and_check(b, 2, NULL);
    assert_memory_equal(block, "\x3f\x13\x3f\xe1\x1f\xbe\x40", 7);
    assert_int_equal(enc.table.count, 2);
}

static void test_encoder_never_indexed(void **state)
{
    (void)state;
    h2_header f[] = {HDR("authorization", "secret"),
                     HDR("x-token", "abc")};

    f[0].flags = H2_HEADER_FIELD_NEVER_INDEXED;
    f[1].flags = H2_HEADER_FIELD_NEVER_INDEXED;
    start_encoder();
    /* Name index 23 with a 4-bit prefix: 0x1f 0x08; value "secret" is
     * Huffman coded (5 < 6). */
    encode_and_check(f, 2, NULL);
    assert_int_equal(block[0], 0x1f);
    assert_int_equal(block[1], 0x08);
    assert_int_equal(ref_fields[0].repr, 0x10);
    assert_int_equal(ref_fields[1].repr, 0x10);
    assert_int_equal(enc.table.count, 0);
    assert_int_equal(enc.table.size, 0);
    /* Encoded again, it is still a literal. */
    encode_and_check(f, 2, NULL);
    assert_int_equal(ref_fields[0].repr, 0x10);
    assert_int_equal(ref_fields[1].repr, 0x10);
    assert_int_equal(enc.table.count, 0);
}

static void test_encoder_never_indexed_beats_a_table_match(void **state)
{
    (void)state;
    /* ":method: GET" is static entry 2; "x-key: v1" goes into the dynamic
     * table first (index 62). Flagged never indexed, both are sent as
     * never-indexed literals, their names indexed (RFC 7541 7.1.3). */
    h2_header plain[] = {HDR("x-key", "v1")};
    h2_header f[] = {HDR(":method", "GET"), HDR("x-key", "v1")};

    f[0].flags = H2_HEADER_FIELD_NEVER_INDEXED;
    f[1].flags = H2_HEADER_FIELD_NEVER_INDEXED;
    start_encoder();
    encode_and_check(plain, 1, NULL);
    assert_int_equal(enc.table.count, 1);
    encode_and_check(f, 2, NULL);
    assert_int_equal(ref_fields[0].repr, 0x10);
    assert_int_equal(ref_fields[1].repr, 0x10);
    /* 0001 0010: never indexed, name index 2; then the value "GET". */
    assert_int_equal(block[0], 0x12);
    assert_int_equal(enc.table.count, 1);
}

static void test_encoder_without_indexing_policy(void **state)
{
    (void)state;
    static char big[4096];
    const h2_header path[] = {HDR(":path", "/a/b/c?d=e")};
    h2_header large[] = {HDR("x-large", "")};

    start_encoder();
    /* ":path" is a literal without indexing, its name index 4. */
    encode_and_check(path, 1, NULL);
    assert_int_equal(block[0], 0x04);
    assert_int_equal(enc.table.count, 0);
    encode_and_check(path, 1, NULL);
    assert_int_equal(block[0], 0x04);

    /* Three quarters of the limit (4096 * 3 / 4 = 3072) is indexed; more
     * is not. */
    memset(big, 'z', sizeof big);
    large[0].value = (const uint8_t *)big;
    large[0].value_len = 3072 - 32 - 7 + 1;
    encode_and_check(large, 1, NULL);
    assert_int_equal(block[0], 0x00);
    assert_int_equal(enc.table.count, 0);
    large[0].value_len = 3072 - 32 - 7;
    encode_and_check(large, 1, NULL);
    assert_int_equal(block[0], 0x40);
    assert_int_equal(enc.table.count, 1);
    /* Then it is indexed: index 62. */
    encode_and_check(large, 1, "be");
}

static void expect_value_tail(const h2_header *f, const char *hex)
{
    uint8_t want[16];
    size_t want_len = test_hex(hex, want, sizeof want);
    size_t written = encode_and_check(f, 1, NULL);

    assert_true(written >= want_len);
    assert_memory_equal(block + written - want_len, want, want_len);
}

static void test_encoder_huffman_only_when_shorter(void **state)
{
    (void)state;
    const uint8_t odd[] = {0x01, 0x02, 0x03};
    h2_header f[] = {HDR("x-odd", ""), HDR("x-s", "307"), HDR("x-t", "302")};

    f[0].value = odd;
    f[0].value_len = sizeof odd;
    start_encoder();
    /* Codes of 23 to 28 bits each: raw. */
    expect_value_tail(&f[0], "03 010203");
    /* A literal name is coded the same way: "x-odd" is 4 bytes Huffman
     * coded; the reference decoder checks every string's choice. */
    assert_int_equal(block[0], 0x40);
    assert_int_equal(block[1], 0x84);
    /* Three bytes either way: raw. */
    expect_value_tail(&f[1], "03 333037");
    /* Two bytes of Huffman code. */
    expect_value_tail(&f[2], "82 6402");
}

/* Strings of 127 bytes or more: a code shorter than 127 bytes takes a
 * one-byte length prefix where the raw string would take two. */
static void test_encoder_huffman_shorter_prefix(void **state)
{
    (void)state;
    static uint8_t many_a[150];
    static uint8_t many_odd[130];
    h2_header f[] = {HDR("x-a", ""), HDR("x-odd", "")};
    size_t written;

    memset(many_a, 'a', sizeof many_a);     /* 5-bit codes: 94 bytes */
    memset(many_odd, 0x01, sizeof many_odd); /* 23-bit codes: raw */
    f[0].value = many_a;
    f[0].value_len = sizeof many_a;
    f[1].value = many_odd;
    f[1].value_len = sizeof many_odd;
    start_encoder();
    written = encode_and_check(&f[0], 1, NULL);
    /* 0x40, "x-a" raw (3 bytes either way), then H | 94 and the code. */
    assert_int_equal(written, 1 + 4 + 1 + 94);
    assert_int_equal(block[5], 0x80 | 94);
    written = encode_and_check(&f[1], 1, NULL);
    /* 0x40, "x-odd" in 4 bytes of code, then 127 + 3 and the raw bytes. */
    assert_int_equal(written, 1 + 5 + 2 + 130);
    assert_int_equal(block[6], 0x7f);
    assert_int_equal(block[7], 3);
    assert_memory_equal(block + 8, many_odd, sizeof many_odd);
}

static void test_encoder_buffer_too_small_changes_nothing(void **state)
{
    (void)state;
    static h2_hpack_encoder before;
    static uint8_t out[256];
    static uint8_t out_before[256];
    const h2_header f[] = {HDR("custom-key", "custom-value"),
                           HDR(":authority", "www.example.com")};
    size_t written = 0;
    uint64_t bound;

    start_encoder();
    encode_and_check(f, 1, NULL);
    h2_hpack_encoder_set_max_table_size(&enc, 1000);
    bound = h2_hpack_encode_bound(&enc, f, 2);
    /* Updates 1000 (3 bytes) twice at most, then per field 1 + 1 + name
     * + 1 + value. */
    assert_int_equal(bound, 3 + 3 + (1 + 1 + 10 + 1 + 12) + (1 + 1 + 10 + 1 + 15));

    memset(out, 0x5A, sizeof out);
    memcpy(out_before, out, sizeof out);
    memcpy(&before, &enc, sizeof enc);
    for (size_t cap = 0; cap < bound; cap++) {
        written = 0;
        assert_int_equal(h2_hpack_encode(&enc, f, NULL, 2, out, cap, &written),
                         H2_E_BUFFER_TOO_SMALL);
        assert_int_equal(written, bound);
        assert_memory_equal(&enc, &before, sizeof enc);
        assert_memory_equal(out, out_before, sizeof out);
    }
    assert_int_equal(h2_hpack_encode(&enc, f, NULL, 2, out, (size_t)bound,
                                     &written),
                     H2_OK);
    assert_true(written <= bound);
    assert_int_equal(out[bound], 0x5A);
}

/* h2_hpack_encoder_find: where each table holds a field, nothing changed;
 * answers that no longer fit the table are searched again. */
static void test_encoder_find(void **state)
{
    (void)state;
    static const h2_header get = HDR(":method", "GET");
    static const h2_header post_like = HDR(":method", "PUT");
    static const h2_header custom = HDR("custom-key", "custom-value");
    static const h2_header other_value = HDR("custom-key", "other");
    static const h2_header unknown = HDR("x-unknown", "1");
    h2_hpack_found f;

    start_encoder();
    assert_int_equal(h2_hpack_encoder_find(&enc, &get, &f), 1);
    assert_int_equal(f.index, 2);
    assert_int_equal(f.name_index, 2);
    assert_int_equal(f.static_name, 2);
    assert_int_equal(h2_hpack_encoder_find(&enc, &post_like, &f), 0);
    assert_int_equal(f.index, 0);
    assert_int_equal(f.name_index, 2);
    assert_int_equal(h2_hpack_encoder_find(&enc, &custom, &f), 0);
    assert_int_equal(f.name_index, 0);
    assert_int_equal(f.static_name, 0);
    encode_and_check(&custom, 1, NULL);
    assert_int_equal(h2_hpack_encoder_find(&enc, &custom, &f), 1);
    assert_int_equal(f.index, 62);
    assert_int_equal(h2_hpack_encoder_find(&enc, &other_value, &f), 0);
    assert_int_equal(f.name_index, 62);
    assert_int_equal(h2_hpack_encoder_find(&enc, &unknown, &f), 0);
    assert_int_equal(f.index + f.name_index, 0);
    assert_int_equal(enc.table.count, 1);

    /* An answer past the table (index 63 with one entry) is not used. */
    size_t written = 0;
    f.index = 63;
    f.name_index = 63;
    f.static_name = 0;
    assert_int_equal(h2_hpack_encode(&enc, &custom, &f, 1, block, sizeof block,
                                     &written),
                     H2_OK);
    assert_int_equal(written, 1);
    assert_int_equal(block[0], 0xbe);
    /* An answer taken before the block's first insertion is not used
     * after it: the duplicate is found at its new place. */
    const h2_header twice[2] = { HDR("x-new", "v"), HDR("x-new", "v") };
    assert_int_equal(h2_hpack_encoder_find(&enc, &twice[0], &found[0]), 0);
    assert_int_equal(h2_hpack_encoder_find(&enc, &twice[1], &found[1]), 0);
    assert_int_equal(h2_hpack_encode(&enc, twice, found, 2, block, sizeof block,
                                     &written),
                     H2_OK);
    assert_int_equal(block[written - 1], 0xbe);
    assert_int_equal(enc.table.count, 2);
}

static void test_encoder_random_lists_round_trip(void **state)
{
    (void)state;
    static uint8_t pool[64][48];
    static h2_header fields[REF_FIELDS_MAX];
    static const uint32_t limits[] = {4096, 256, 0, 100, 1000, 64};

    start_encoder();
    for (int i = 0; i < 64; i++) {
        for (int k = 0; k < 48; k++) {
            pool[i][k] = (uint8_t)(i % 3 == 0 ? test_rand()
                                              : 'a' + test_rand() % 26);
        }
    }
    for (int round = 0; round < 400; round++) {
        size_t count = test_rand() % 20;
        if (round % 37 == 36) {
            uint32_t limit = limits[test_rand() % 6];
            h2_hpack_encoder_set_max_table_size(&enc, limit);
            if (test_rand() % 2) {
                h2_hpack_encoder_set_max_table_size(&enc, limit / 2);
                h2_hpack_encoder_set_max_table_size(&enc, limit);
            }
        }
        for (size_t i = 0; i < count; i++) {
            /* Names and values from a small pool so that they repeat. */
            uint32_t n = test_rand() % 12;
            uint32_t v = test_rand() % 24;
            fields[i].name = pool[n];
            fields[i].name_len = (n == 0) ? 0 : 1 + n * 3;
            fields[i].value = pool[12 + v];
            fields[i].value_len = test_rand() % 48;
            fields[i].flags = (test_rand() % 10 == 0)
                                  ? H2_HEADER_FIELD_NEVER_INDEXED
                                  : 0;
            if (test_rand() % 8 == 0) {
                /* A static table field now and then. */
                h2_hpack_static_get(1 + test_rand() % 61, &fields[i]);
            }
        }
        encode_and_check(fields, count, NULL);
        for (size_t i = 0; i < count; i++) {
            if (fields[i].flags & H2_HEADER_FIELD_NEVER_INDEXED) {
                assert_true(ref_fields[i].repr == 0x10 ||
                            ref_fields[i].repr == 0x80);
            }
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_int_rfc7541_c1_examples),
        cmocka_unit_test(test_int_round_trips_every_prefix),
        cmocka_unit_test(test_int_overflow_and_overlong_rejected),
        cmocka_unit_test(test_int_truncated_is_incomplete),
        cmocka_unit_test(test_int_next_steps),
        cmocka_unit_test(test_int_encode_buffer_too_small),
        cmocka_unit_test(test_static_table_entries),
        cmocka_unit_test(test_encoder_finds_every_static_entry),
        cmocka_unit_test(test_header_arena_reset_and_get),
        cmocka_unit_test(test_table_insert_evict_order_and_size),
        cmocka_unit_test(test_table_entry_larger_than_limit_empties_it),
        cmocka_unit_test(test_table_set_max_size_evicts),
        cmocka_unit_test(test_table_wraps_against_model),
        cmocka_unit_test(test_table_count_never_exceeds_max_entries),
        cmocka_unit_test(test_encoder_rfc7541_c4_requests),
        cmocka_unit_test(test_encoder_rfc7541_c6_responses),
        cmocka_unit_test(test_encoder_size_updates),
        cmocka_unit_test(test_encoder_size_update_evicts_in_step),
        cmocka_unit_test(test_encoder_never_indexed),
        cmocka_unit_test(test_encoder_never_indexed_beats_a_table_match),
        cmocka_unit_test(test_encoder_without_indexing_policy),
        cmocka_unit_test(test_encoder_huffman_only_when_shorter),
        cmocka_unit_test(test_encoder_huffman_shorter_prefix),
        cmocka_unit_test(test_encoder_buffer_too_small_changes_nothing),
        cmocka_unit_test(test_encoder_find),
        cmocka_unit_test(test_encoder_random_lists_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
