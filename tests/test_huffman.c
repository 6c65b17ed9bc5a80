/* HPACK Huffman code: RFC 7541 Appendix C vectors, round trips, split
 * input, malformed padding and EOS, and output capacity limits. */
#include "test_util.h"
#include "h2_hpack_internal.h"

/* Huffman-coded strings of RFC 7541 Appendix C.4 and C.6. */
static const struct {
    const char *text;
    const char *hex;
} vectors[] = {
    {"www.example.com", "f1e3 c2e5 f23a 6ba0 ab90 f4ff"},
    {"no-cache", "a8eb 1064 9cbf"},
    {"custom-key", "25a8 49e9 5ba9 7d7f"},
    {"custom-value", "25a8 49e9 5bb8 e8b4 bf"},
    {"302", "6402"},
    {"private", "aec3 771a 4b"},
    {"Mon, 21 Oct 2013 20:13:21 GMT",
     "d07a be94 1054 d444 a820 0595 040b 8166 e082 a62d 1bff"},
    {"https://www.example.com",
     "9d29 ad17 1863 c78f 0b97 c8e9 ae82 ae43 d3"},
    {"307", "640e ff"},
    {"Mon, 21 Oct 2013 20:13:22 GMT",
     "d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff"},
    {"gzip", "9bd9 ab"},
    {"foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1",
     "94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1"
     "ab27 0fb5 291f 9587 3160 65c0 03ed 4ee5 b106 3d50 07"},
};
#define VECTOR_COUNT (sizeof(vectors) / sizeof(vectors[0]))

/* Longest code is 30 bits: at most 4 bytes per input byte. */
#define MAX_TEXT 600
#define MAX_CODED (4 * MAX_TEXT)

static uint32_t rng_state = 0x9e3779b9u;

static uint32_t rng_next(void)
{
    /* xorshift32: reproducible pseudo-random test strings. */
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return rng_state;
}

/* Decodes in one shot and checks the result is text. */
static void expect_decodes_to(const uint8_t *coded, size_t coded_len,
                              const uint8_t *text, size_t text_len)
{
    uint8_t out[MAX_TEXT];
    size_t out_len = 12345;
    assert_int_equal(h2_huffman_decode(coded, coded_len, out, sizeof(out),
                                       &out_len), H2_OK);
    assert_int_equal(out_len, text_len);
    assert_memory_equal(out, text, text_len);

    /* Without an output buffer the bytes are only counted. */
    out_len = 12345;
    assert_int_equal(h2_huffman_decode(coded, coded_len, NULL, 0, &out_len),
                     H2_OK);
    assert_int_equal(out_len, text_len);
}

/* Encodes text, checks the length agrees, and returns the coded size. */
static size_t encode(const uint8_t *text, size_t text_len, uint8_t *coded)
{
    size_t written = 0;
    size_t needed = h2_huffman_encoded_length(text, text_len);
    assert_true(needed <= MAX_CODED);
    assert_int_equal(h2_huffman_encode(text, text_len, coded, MAX_CODED,
                                       &written), H2_OK);
    assert_int_equal(written, needed);
    return written;
}

static void round_trip(const uint8_t *text, size_t text_len)
{
    uint8_t coded[MAX_CODED];
    size_t coded_len = encode(text, text_len, coded);
    expect_decodes_to(coded, coded_len, text, text_len);
}

static void test_rfc7541_vectors_decode(void **state)
{
    (void)state;
    for (size_t v = 0; v < VECTOR_COUNT; v++) {
        uint8_t coded[MAX_CODED];
        size_t coded_len = test_hex(vectors[v].hex, coded, sizeof(coded));
        expect_decodes_to(coded, coded_len, TEST_STR(vectors[v].text));
    }
}

static void test_rfc7541_vectors_encode(void **state)
{
    (void)state;
    for (size_t v = 0; v < VECTOR_COUNT; v++) {
        uint8_t expected[MAX_CODED];
        uint8_t coded[MAX_CODED];
        size_t expected_len = test_hex(vectors[v].hex, expected,
                                       sizeof(expected));
        const uint8_t *text = (const uint8_t *)vectors[v].text;
        size_t text_len = strlen(vectors[v].text);
        assert_int_equal(h2_huffman_encoded_length(text, text_len),
                         expected_len);
        assert_int_equal(encode(text, text_len, coded), expected_len);
        assert_memory_equal(coded, expected, expected_len);
    }
}

/* The bounded encoder the HPACK encoder uses: the code when it fits in
 * cap bytes, nothing past its end, and SIZE_MAX when it does not fit. */
static void test_encode_within_cap(void **state)
{
    (void)state;
    for (size_t v = 0; v < VECTOR_COUNT; v++) {
        uint8_t expected[MAX_CODED];
        uint8_t coded[MAX_CODED + 8];
        size_t expected_len = test_hex(vectors[v].hex, expected,
                                       sizeof(expected));
        const uint8_t *text = (const uint8_t *)vectors[v].text;
        size_t text_len = strlen(vectors[v].text);

        for (size_t cap = expected_len; cap <= expected_len + 8; cap++) {
            memset(coded, 0xEE, sizeof coded);
            assert_int_equal(h2_huffman_encode_within(text, text_len, coded, cap),
                             expected_len);
            assert_memory_equal(coded, expected, expected_len);
            for (size_t k = expected_len; k < sizeof coded; k++) {
                assert_int_equal(coded[k], 0xEE);
            }
        }
        for (size_t cap = 0; cap < expected_len; cap++) {
            memset(coded, 0xEE, sizeof coded);
            assert_int_equal(h2_huffman_encode_within(text, text_len, coded, cap),
                             SIZE_MAX);
            for (size_t k = cap; k < sizeof coded; k++) {
                assert_int_equal(coded[k], 0xEE);
            }
        }
    }
}

static void test_every_byte_round_trips(void **state)
{
    uint8_t all[256];
    (void)state;
    for (unsigned b = 0; b < 256; b++) {
        uint8_t one = (uint8_t)b;
        round_trip(&one, 1);
        all[b] = (uint8_t)b;
    }
    round_trip(all, sizeof(all));
    /* Reversed, so every pair of neighbours differs from the above. */
    for (unsigned b = 0; b < 256; b++) {
        all[b] = (uint8_t)(255 - b);
    }
    round_trip(all, sizeof(all));
}

static void test_random_strings_round_trip(void **state)
{
    uint8_t text[MAX_TEXT];
    (void)state;
    for (int iter = 0; iter < 2000; iter++) {
        size_t len = rng_next() % MAX_TEXT;
        /* Mix text drawn from all bytes with text from printable ASCII,
         * whose codes are short. */
        int ascii = iter % 2;
        for (size_t i = 0; i < len; i++) {
            uint32_t r = rng_next();
            text[i] = ascii ? (uint8_t)(32 + r % 95) : (uint8_t)(r % 256);
        }
        round_trip(text, len);
    }
}

static void test_encoded_length_of_known_codes(void **state)
{
    (void)state;
    /* '0' is 5 bits, 'a' 5, '&' 8, '\0' 13, '\n' 30 (RFC 7541 Appendix B). */
    assert_int_equal(h2_huffman_encoded_length(TEST_STR("")), 0);
    assert_int_equal(h2_huffman_encoded_length(TEST_STR("0")), 1);
    assert_int_equal(h2_huffman_encoded_length(TEST_STR("&")), 1);
    assert_int_equal(h2_huffman_encoded_length(TEST_STR("a&")), 2);
    assert_int_equal(h2_huffman_encoded_length((const uint8_t *)"\0", 1), 2);
    assert_int_equal(h2_huffman_encoded_length(TEST_STR("\n")), 4);
    assert_int_equal(h2_huffman_encoded_length(TEST_STR("\n\n")), 8);
    assert_int_equal(h2_huffman_encoded_length(TEST_STR("\n\n\n")), 12);
    assert_int_equal(h2_huffman_encoded_length(TEST_STR("\na")), 5);
}

/* Decodes coded in two steps split at every offset, and byte by byte, and
 * checks each equals the one-shot result. */
static void expect_split_decodes_alike(const uint8_t *coded, size_t coded_len)
{
    uint8_t whole[MAX_TEXT];
    size_t whole_len = 0;
    assert_int_equal(h2_huffman_decode(coded, coded_len, whole, sizeof(whole),
                                       &whole_len), H2_OK);

    for (size_t cut = 0; cut <= coded_len; cut++) {
        h2_huffman_decoder dec;
        uint8_t out[MAX_TEXT];
        size_t first = 0, second = 0;
        h2_huffman_decoder_init(&dec);
        assert_int_equal(h2_huffman_decode_step(&dec, coded, cut, out,
                                                sizeof(out), &first), H2_OK);
        assert_int_equal(h2_huffman_decode_step(&dec, coded + cut,
                                                coded_len - cut, out + first,
                                                sizeof(out) - first, &second),
                         H2_OK);
        assert_int_equal(h2_huffman_decode_finish(&dec), H2_OK);
        assert_int_equal(first + second, whole_len);
        assert_memory_equal(out, whole, whole_len);
    }

    {
        h2_huffman_decoder dec;
        uint8_t out[MAX_TEXT];
        size_t total = 0;
        h2_huffman_decoder_init(&dec);
        for (size_t i = 0; i < coded_len; i++) {
            size_t got = 0;
            assert_int_equal(h2_huffman_decode_step(&dec, coded + i, 1,
                                                    out + total,
                                                    sizeof(out) - total, &got),
                             H2_OK);
            assert_true(got <= 2);
            total += got;
        }
        assert_int_equal(h2_huffman_decode_finish(&dec), H2_OK);
        assert_int_equal(total, whole_len);
        assert_memory_equal(out, whole, whole_len);
    }
}

static void test_split_input_decodes_alike(void **state)
{
    uint8_t coded[MAX_CODED];
    uint8_t text[64];
    (void)state;
    for (size_t v = 0; v < VECTOR_COUNT; v++) {
        size_t coded_len = test_hex(vectors[v].hex, coded, sizeof(coded));
        expect_split_decodes_alike(coded, coded_len);
    }
    for (int iter = 0; iter < 200; iter++) {
        size_t len = rng_next() % sizeof(text);
        for (size_t i = 0; i < len; i++) {
            text[i] = (uint8_t)rng_next();
        }
        expect_split_decodes_alike(coded, encode(text, len, coded));
    }
}

static void test_empty_input(void **state)
{
    h2_huffman_decoder dec;
    const uint8_t in[1] = {0x00};
    uint8_t out[4] = {0xaa, 0xaa, 0xaa, 0xaa};
    size_t out_len = 99;
    size_t written = 99;
    (void)state;
    assert_int_equal(h2_huffman_decode(in, 0, out, sizeof(out), &out_len),
                     H2_OK);
    assert_int_equal(out_len, 0);
    assert_int_equal(h2_huffman_decode(NULL, 0, NULL, 0, &out_len), H2_OK);
    assert_int_equal(out_len, 0);
    h2_huffman_decoder_init(&dec);
    assert_int_equal(h2_huffman_decode_finish(&dec), H2_OK);
    assert_int_equal(h2_huffman_encode(NULL, 0, out, 0, &written), H2_OK);
    assert_int_equal(written, 0);
    assert_int_equal(out[0], 0xaa);
}

/* Expects the whole input to be refused, in one shot, without output
 * buffer, and when fed byte by byte. */
static void expect_rejected(const char *hex)
{
    uint8_t coded[64];
    uint8_t out[64];
    size_t coded_len = test_hex(hex, coded, sizeof(coded));
    size_t out_len = 0;
    h2_huffman_decoder dec;
    h2_status status = H2_OK;

    assert_int_equal(h2_huffman_decode(coded, coded_len, out, sizeof(out),
                                       &out_len), H2_E_COMPRESSION);
    assert_true(out_len <= sizeof(out));
    assert_int_equal(h2_huffman_decode(coded, coded_len, NULL, 0, &out_len),
                     H2_E_COMPRESSION);

    h2_huffman_decoder_init(&dec);
    for (size_t i = 0; i < coded_len && status == H2_OK; i++) {
        status = h2_huffman_decode_step(&dec, coded + i, 1, out, sizeof(out),
                                        &out_len);
    }
    if (status == H2_OK) {
        status = h2_huffman_decode_finish(&dec);
    }
    assert_int_equal(status, H2_E_COMPRESSION);
}

static void test_eos_in_input_is_rejected(void **state)
{
    (void)state;
    /* 30 one-bits: EOS, then anything. */
    expect_rejected("ffff fffc");
    expect_rejected("ffff ffff");
    expect_rejected("ffff ffff 1f");
    /* 'a' (00011) then EOS. */
    expect_rejected("1fff ffff ff");
    /* "302" then EOS. */
    expect_rejected("6402 ffff fffc");

    /* The decoder stops at EOS, even with more input in the same step. */
    {
        uint8_t coded[8];
        size_t out_len = 0;
        h2_huffman_decoder dec;
        size_t n = test_hex("ffff fffc 6402", coded, sizeof(coded));
        h2_huffman_decoder_init(&dec);
        assert_int_equal(h2_huffman_decode_step(&dec, coded, n, NULL, 0,
                                                &out_len), H2_E_COMPRESSION);
        assert_int_equal(out_len, 0);
    }
}

static void test_long_padding_is_rejected(void **state)
{
    (void)state;
    /* A whole byte of ones after a complete string: 8 bits of padding. */
    expect_rejected("6402 ff");
    expect_rejected("a8eb 1064 9cbf ff");
    expect_rejected("ff");
    /* 'a' + 3 bits of padding + another byte of ones: 11 bits. */
    expect_rejected("1fff");
    /* Up to 29 one-bits are a prefix of EOS, still not a valid end. */
    expect_rejected("ffff fff8");
    expect_rejected("ffff ff");
}

static void test_padding_with_zero_bits_is_rejected(void **state)
{
    (void)state;
    /* 'a' is 00011: the 3 padding bits must be 111. */
    expect_rejected("1e");
    expect_rejected("1d");
    expect_rejected("1b");
    expect_rejected("18");
    /* "custom-value" ends with 5 padding bits; the last made 0. */
    expect_rejected("25a8 49e9 5bb8 e8b4 be");
    /* "private" ends with 1 padding bit, made 0. */
    expect_rejected("aec3 771a 4a");

    /* Valid paddings of 1 to 7 bits are accepted. */
    {
        uint8_t out[8];
        size_t out_len = 0;
        uint8_t a = 0x1f; /* 'a' + 111 */
        uint8_t zero_and_a[2] = {0x00, 0x07};
        assert_int_equal(h2_huffman_decode(&a, 1, out, sizeof(out), &out_len),
                         H2_OK);
        assert_int_equal(out_len, 1);
        assert_int_equal(out[0], 'a');
        /* 00000 00000 00011 1: "00a" + one padding bit. */
        assert_int_equal(h2_huffman_decode(zero_and_a, 2, out, sizeof(out),
                                           &out_len), H2_OK);
        assert_int_equal(out_len, 3);
        assert_memory_equal(out, "00a", 3);
    }
}

static void test_decode_small_output_never_overflows(void **state)
{
    (void)state;
    for (size_t v = 0; v < VECTOR_COUNT; v++) {
        uint8_t coded[MAX_CODED];
        size_t coded_len = test_hex(vectors[v].hex, coded, sizeof(coded));
        const char *text = vectors[v].text;
        size_t text_len = strlen(text);
        for (size_t cap = 0; cap < text_len; cap++) {
            uint8_t out[MAX_TEXT + 8];
            size_t out_len = 12345;
            memset(out, 0xa5, sizeof(out));
            assert_int_equal(h2_huffman_decode(coded, coded_len, out, cap,
                                               &out_len),
                             H2_E_BUFFER_TOO_SMALL);
            assert_int_equal(out_len, cap);
            assert_memory_equal(out, text, cap);
            for (size_t i = cap; i < sizeof(out); i++) {
                assert_int_equal(out[i], 0xa5);
            }
        }
        /* Exactly enough fits. */
        {
            uint8_t out[MAX_TEXT];
            size_t out_len = 0;
            assert_int_equal(h2_huffman_decode(coded, coded_len, out, text_len,
                                               &out_len), H2_OK);
            assert_int_equal(out_len, text_len);
        }
    }
}

static void test_encode_small_output_writes_nothing(void **state)
{
    (void)state;
    for (size_t v = 0; v < VECTOR_COUNT; v++) {
        const uint8_t *text = (const uint8_t *)vectors[v].text;
        size_t text_len = strlen(vectors[v].text);
        size_t needed = h2_huffman_encoded_length(text, text_len);
        for (size_t cap = 0; cap < needed; cap++) {
            uint8_t out[MAX_CODED];
            size_t written = 0;
            memset(out, 0xa5, sizeof(out));
            assert_int_equal(h2_huffman_encode(text, text_len, out, cap,
                                               &written),
                             H2_E_BUFFER_TOO_SMALL);
            assert_int_equal(written, needed);
            for (size_t i = 0; i < sizeof(out); i++) {
                assert_int_equal(out[i], 0xa5);
            }
        }
        /* Exactly enough fits, and nothing past it is touched. */
        {
            uint8_t out[MAX_CODED];
            size_t written = 0;
            memset(out, 0xa5, sizeof(out));
            assert_int_equal(h2_huffman_encode(text, text_len, out, needed,
                                               &written), H2_OK);
            assert_int_equal(written, needed);
            assert_int_equal(out[needed], 0xa5);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc7541_vectors_decode),
        cmocka_unit_test(test_rfc7541_vectors_encode),
        cmocka_unit_test(test_encode_within_cap),
        cmocka_unit_test(test_every_byte_round_trips),
        cmocka_unit_test(test_random_strings_round_trip),
        cmocka_unit_test(test_encoded_length_of_known_codes),
        cmocka_unit_test(test_split_input_decodes_alike),
        cmocka_unit_test(test_empty_input),
        cmocka_unit_test(test_eos_in_input_is_rejected),
        cmocka_unit_test(test_long_padding_is_rejected),
        cmocka_unit_test(test_padding_with_zero_bits_is_rejected),
        cmocka_unit_test(test_decode_small_output_never_overflows),
        cmocka_unit_test(test_encode_small_output_writes_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
