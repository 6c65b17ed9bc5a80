/* Frame layer: RFC 9113 sections 4 and 6, RFC 7838 section 4 (ALTSVC). */
#include "test_util.h"

#define SENTINEL 0xa5u
#define BUF_SIZE 512u

/* ---- helpers ----------------------------------------------------------- */

static h2_frame new_frame(uint8_t type, uint8_t flags, uint32_t stream_id)
{
    h2_frame f;
    memset(&f, 0, sizeof f);
    f.hdr.type = type;
    f.hdr.flags = flags;
    f.hdr.stream_id = stream_id;
    return f;
}

/* Nine header bytes followed by the payload; returns the frame size. */
static size_t raw_frame(uint8_t *buf, uint8_t type, uint8_t flags,
                        uint32_t stream_id, const uint8_t *payload,
                        uint32_t len)
{
    buf[0] = (uint8_t)(len >> 16);
    buf[1] = (uint8_t)(len >> 8);
    buf[2] = (uint8_t)len;
    buf[3] = type;
    buf[4] = flags;
    buf[5] = (uint8_t)(stream_id >> 24);
    buf[6] = (uint8_t)(stream_id >> 16);
    buf[7] = (uint8_t)(stream_id >> 8);
    buf[8] = (uint8_t)stream_id;
    if (len > 0) {
        memcpy(buf + 9, payload, len);
    }
    return 9u + len;
}

/* Parses a whole frame held in buf[0 .. n): header, then payload. */
static h2_status parse_bytes(const uint8_t *buf, size_t n, h2_frame *f)
{
    h2_frame_header hdr;
    assert_int_equal(h2_frame_header_parse(buf, n, &hdr), H2_OK);
    assert_int_equal(hdr.length, n - 9u);
    return h2_frame_parse(&hdr, buf + 9, f);
}

/* Builds a frame from a payload and parses it; also checks that
 * h2_frame_header_check agrees whenever the payload is not involved. */
static h2_status parse_raw(uint8_t type, uint8_t flags, uint32_t stream_id,
                           const uint8_t *payload, uint32_t len, h2_frame *f)
{
    uint8_t buf[BUF_SIZE];
    size_t n = raw_frame(buf, type, flags, stream_id, payload, len);
    h2_status st = parse_bytes(buf, n, f);
    h2_frame_header hdr = {len, type, flags, stream_id};
    h2_status hst = h2_frame_header_check(&hdr, H2_DEFAULT_MAX_FRAME_SIZE);
    /* A header error is also a parse error, and the same one. */
    if (hst != H2_OK) {
        assert_int_equal(st, hst);
    }
    /* Pointers of a parsed frame point into its payload. */
    if (st == H2_OK) {
        assert_true(f->data >= buf + 9 && f->data + f->data_len <= buf + n);
        assert_true(f->origin >= buf + 9 && f->origin + f->origin_len <= buf + n);
    }
    return st;
}

static void assert_frames_equal(const h2_frame *want, const h2_frame *got)
{
    uint8_t type = want->hdr.type;
    uint8_t flags = want->hdr.flags;
    int padded = (type == H2_FRAME_DATA || type == H2_FRAME_HEADERS ||
                  type == H2_FRAME_PUSH_PROMISE) && (flags & H2_FLAG_PADDED);
    int has_data = type != H2_FRAME_PRIORITY && type != H2_FRAME_RST_STREAM &&
                   type != H2_FRAME_PING && type != H2_FRAME_WINDOW_UPDATE;
    int has_priority = type == H2_FRAME_PRIORITY ||
                       (type == H2_FRAME_HEADERS && (flags & H2_FLAG_PRIORITY));

    assert_int_equal(got->hdr.type, type);
    assert_int_equal(got->hdr.flags, flags);
    assert_int_equal(got->hdr.stream_id, want->hdr.stream_id);
    assert_int_equal(got->hdr.length, h2_frame_payload_length(want));
    if (has_data) {
        assert_int_equal(got->data_len, want->data_len);
        if (want->data_len > 0) {
            assert_memory_equal(got->data, want->data, want->data_len);
        }
    }
    assert_int_equal(got->pad_length, padded ? want->pad_length : 0);
    if (has_priority) {
        assert_int_equal(got->priority.dependency, want->priority.dependency);
        assert_int_equal(got->priority.weight, want->priority.weight);
        assert_int_equal(got->priority.exclusive, want->priority.exclusive != 0);
    }
    if (type == H2_FRAME_RST_STREAM || type == H2_FRAME_GOAWAY) {
        assert_int_equal(got->error_code, want->error_code);
    }
    if (type == H2_FRAME_PUSH_PROMISE) {
        assert_int_equal(got->promised_stream_id, want->promised_stream_id);
    }
    if (type == H2_FRAME_GOAWAY) {
        assert_int_equal(got->last_stream_id, want->last_stream_id);
    }
    if (type == H2_FRAME_WINDOW_UPDATE) {
        assert_int_equal(got->window_increment, want->window_increment);
    }
    if (type == H2_FRAME_PING) {
        assert_memory_equal(got->opaque, want->opaque, H2_PING_PAYLOAD_SIZE);
    }
    if (type == H2_FRAME_ALTSVC) {
        assert_int_equal(got->origin_len, want->origin_len);
        if (want->origin_len > 0) {
            assert_memory_equal(got->origin, want->origin, want->origin_len);
        }
    }
}

/*
 * Write, then parse: the same fields. Parse, then write: the same bytes.
 * Also: every smaller buffer gets H2_E_BUFFER_TOO_SMALL and stays untouched.
 */
static void roundtrip(const h2_frame *f)
{
    uint8_t buf[BUF_SIZE];
    uint8_t again[BUF_SIZE];
    size_t n = 0;
    size_t m = 0;
    size_t need = 9u + (size_t)h2_frame_payload_length(f);
    h2_frame parsed;

    memset(buf, SENTINEL, sizeof buf);
    assert_int_equal(h2_frame_write(f, buf, sizeof buf, &n), H2_OK);
    assert_int_equal(n, need);
    for (size_t i = n; i < sizeof buf; i++) {
        assert_int_equal(buf[i], SENTINEL);
    }
    assert_int_equal(parse_bytes(buf, n, &parsed), H2_OK);
    assert_frames_equal(f, &parsed);
    assert_int_equal(h2_frame_header_check(&parsed.hdr, H2_MAX_MAX_FRAME_SIZE), H2_OK);

    assert_int_equal(h2_frame_write(&parsed, again, sizeof again, &m), H2_OK);
    assert_int_equal(m, n);
    assert_memory_equal(again, buf, n);

    /* The exact size works. */
    memset(again, SENTINEL, sizeof again);
    assert_int_equal(h2_frame_write(f, again, need, &m), H2_OK);
    assert_memory_equal(again, buf, n);

    for (size_t cap = 0; cap < need; cap++) {
        memset(again, SENTINEL, sizeof again);
        m = 12345u;
        assert_int_equal(h2_frame_write(f, again, cap, &m), H2_E_BUFFER_TOO_SMALL);
        assert_int_equal(m, need);
        for (size_t i = 0; i < sizeof again; i++) {
            assert_int_equal(again[i], SENTINEL);
        }
    }
}

static const uint8_t BODY[] = "the quick brown fox jumps over the lazy dog";
#define BODY_LEN ((uint32_t)(sizeof BODY - 1u))

/* ---- round trips, one type at a time ------------------------------------ */

static void test_roundtrip_data(void **state)
{
    (void)state;
    h2_frame f = new_frame(H2_FRAME_DATA, H2_FLAG_END_STREAM, 1);
    f.data = BODY;
    f.data_len = BODY_LEN;
    roundtrip(&f);

    f.data_len = 0;
    roundtrip(&f);

    f = new_frame(H2_FRAME_DATA, H2_FLAG_PADDED, 3);
    f.data = BODY;
    f.data_len = BODY_LEN;
    f.pad_length = 0;
    roundtrip(&f);
    f.pad_length = 17;
    roundtrip(&f);
    f.pad_length = 255;
    roundtrip(&f);
    f.data_len = 0;
    roundtrip(&f);
    assert_int_equal(h2_frame_payload_length(&f), 256);
}

static void test_roundtrip_headers(void **state)
{
    (void)state;
    static const uint8_t block[] = {0x82, 0x86, 0x84, 0x41, 0x8c, 0xf1, 0xe3};
    h2_frame f = new_frame(H2_FRAME_HEADERS, H2_FLAG_END_HEADERS, 1);
    f.data = block;
    f.data_len = sizeof block;
    roundtrip(&f);

    f.hdr.flags = H2_FLAG_END_HEADERS | H2_FLAG_PADDED | H2_FLAG_END_STREAM;
    f.pad_length = 6;
    roundtrip(&f);

    f = new_frame(H2_FRAME_HEADERS, H2_FLAG_PRIORITY, 5);
    f.data = block;
    f.data_len = sizeof block;
    f.priority.dependency = 3;
    f.priority.weight = 15;
    f.priority.exclusive = 0;
    roundtrip(&f);
    assert_int_equal(h2_frame_payload_length(&f), 5 + sizeof block);

    f.hdr.flags = H2_FLAG_PRIORITY | H2_FLAG_PADDED | H2_FLAG_END_HEADERS;
    f.priority.dependency = H2_STREAM_ID_MAX;
    f.priority.weight = 255;
    f.priority.exclusive = 1;
    f.pad_length = 2;
    roundtrip(&f);
    assert_int_equal(h2_frame_payload_length(&f), 1 + 5 + sizeof block + 2);

    /* Priority fields are ignored without the flag. */
    f.hdr.flags = H2_FLAG_END_HEADERS;
    assert_int_equal(h2_frame_payload_length(&f), sizeof block);
}

static void test_roundtrip_priority(void **state)
{
    (void)state;
    h2_frame f = new_frame(H2_FRAME_PRIORITY, 0, 7);
    f.priority.dependency = 0;
    f.priority.weight = 0;
    roundtrip(&f);
    f.priority.dependency = 5;
    f.priority.weight = 200;
    f.priority.exclusive = 1;
    roundtrip(&f);
}

static void test_roundtrip_rst_stream(void **state)
{
    (void)state;
    h2_frame f = new_frame(H2_FRAME_RST_STREAM, 0, 1);
    f.error_code = H2_CANCEL;
    roundtrip(&f);
    f.error_code = 0xffffffffu;  /* unknown codes travel unchanged */
    roundtrip(&f);
}

static void test_roundtrip_settings(void **state)
{
    (void)state;
    uint8_t entries[3 * H2_SETTING_ENTRY_SIZE];
    h2_setting_write(0x1, 4096, entries);
    h2_setting_write(0x4, 65535, entries + 6);
    h2_setting_write(0x5, 16384, entries + 12);
    h2_frame f = new_frame(H2_FRAME_SETTINGS, 0, 0);
    f.data = entries;
    f.data_len = sizeof entries;
    roundtrip(&f);
    f.data_len = 0;
    roundtrip(&f);
    f.hdr.flags = H2_FLAG_ACK;
    roundtrip(&f);
}

static void test_roundtrip_push_promise(void **state)
{
    (void)state;
    static const uint8_t block[] = {0x82, 0x87, 0x85};
    h2_frame f = new_frame(H2_FRAME_PUSH_PROMISE, H2_FLAG_END_HEADERS, 1);
    f.promised_stream_id = 2;
    f.data = block;
    f.data_len = sizeof block;
    roundtrip(&f);
    f.data_len = 0;
    roundtrip(&f);
    f.hdr.flags = H2_FLAG_PADDED;
    f.data_len = sizeof block;
    f.promised_stream_id = H2_STREAM_ID_MAX;
    f.pad_length = 9;
    roundtrip(&f);
    assert_int_equal(h2_frame_payload_length(&f), 1 + 4 + sizeof block + 9);
}

static void test_roundtrip_ping(void **state)
{
    (void)state;
    h2_frame f = new_frame(H2_FRAME_PING, 0, 0);
    for (uint8_t i = 0; i < 8; i++) {
        f.opaque[i] = (uint8_t)(0xf0u + i);
    }
    roundtrip(&f);
    f.hdr.flags = H2_FLAG_ACK;
    roundtrip(&f);
}

static void test_roundtrip_goaway(void **state)
{
    (void)state;
    h2_frame f = new_frame(H2_FRAME_GOAWAY, 0, 0);
    f.last_stream_id = 0;
    f.error_code = H2_NO_ERROR;
    roundtrip(&f);
    f.last_stream_id = H2_STREAM_ID_MAX;
    f.error_code = H2_ENHANCE_YOUR_CALM;
    f.data = BODY;
    f.data_len = BODY_LEN;
    roundtrip(&f);
}

static void test_roundtrip_window_update(void **state)
{
    (void)state;
    h2_frame f = new_frame(H2_FRAME_WINDOW_UPDATE, 0, 0);
    f.window_increment = 1;
    roundtrip(&f);
    f.hdr.stream_id = 9;
    f.window_increment = H2_STREAM_ID_MAX;
    roundtrip(&f);
}

static void test_roundtrip_continuation(void **state)
{
    (void)state;
    h2_frame f = new_frame(H2_FRAME_CONTINUATION, H2_FLAG_END_HEADERS, 3);
    f.data = BODY;
    f.data_len = BODY_LEN;
    roundtrip(&f);
    f.hdr.flags = 0;
    f.data_len = 1;
    roundtrip(&f);
}

static void test_roundtrip_altsvc(void **state)
{
    (void)state;
    static const char origin[] = "https://example.com";
    static const char value[] = "h2=\":8443\"; ma=3600";
    h2_frame f = new_frame(H2_FRAME_ALTSVC, 0, 0);
    f.origin = (const uint8_t *)origin;
    f.origin_len = (uint32_t)strlen(origin);
    f.data = (const uint8_t *)value;
    f.data_len = (uint32_t)strlen(value);
    roundtrip(&f);
    assert_int_equal(h2_frame_payload_length(&f), 2 + strlen(origin) + strlen(value));

    /* On a stream the origin is empty. */
    f.hdr.stream_id = 1;
    f.origin_len = 0;
    roundtrip(&f);
    f.data_len = 0;
    roundtrip(&f);
}

static void test_roundtrip_unknown_type(void **state)
{
    (void)state;
    h2_frame f = new_frame(0xfa, 0xff, 0);
    f.data = BODY;
    f.data_len = BODY_LEN;
    roundtrip(&f);
    f.hdr.stream_id = 77;
    f.data_len = 0;
    roundtrip(&f);
}

/* ---- unknown types, reserved bits -------------------------------------- */

static void test_unknown_type_is_opaque(void **state)
{
    (void)state;
    uint8_t buf[64];
    h2_frame f;
    size_t n = test_hex("000005 ee 0f 80000003 0102030405", buf, sizeof buf);
    h2_frame_header hdr;
    assert_int_equal(h2_frame_header_parse(buf, n, &hdr), H2_OK);
    /* No header rule applies to an unknown type, on any stream. */
    assert_int_equal(h2_frame_header_check(&hdr, H2_DEFAULT_MAX_FRAME_SIZE), H2_OK);
    assert_int_equal(h2_frame_parse(&hdr, buf + 9, &f), H2_OK);
    assert_int_equal(f.hdr.type, 0xee);
    assert_int_equal(f.hdr.flags, 0x0f);
    assert_int_equal(f.hdr.stream_id, 3);
    assert_ptr_equal(f.data, buf + 9);
    assert_int_equal(f.data_len, 5);
    assert_int_equal(f.pad_length, 0);  /* the PADDED bit means nothing here */

    /* An unknown type of length 0. */
    n = test_hex("000000 0b 00 00000000", buf, sizeof buf);
    assert_int_equal(parse_bytes(buf, n, &f), H2_OK);
    assert_int_equal(f.data_len, 0);
}

static void test_reserved_bits_ignored_and_cleared(void **state)
{
    (void)state;
    uint8_t buf[64];
    uint8_t out[64];
    size_t n;
    size_t m;
    h2_frame f;

    /* Stream identifier. */
    n = test_hex("000004 03 00 80000001 00000008", buf, sizeof buf);
    assert_int_equal(parse_bytes(buf, n, &f), H2_OK);
    assert_int_equal(f.hdr.stream_id, 1);
    assert_int_equal(f.error_code, H2_CANCEL);
    assert_int_equal(h2_frame_write(&f, out, sizeof out, &m), H2_OK);
    assert_int_equal(m, n);
    assert_int_equal(out[5], 0x00);
    buf[5] = 0x00;
    assert_memory_equal(out, buf, n);

    /* A frame on "stream 0x80000000" is on stream 0. */
    n = test_hex("000004 03 00 80000000 00000008", buf, sizeof buf);
    assert_int_equal(parse_bytes(buf, n, &f), H2_E_PROTOCOL);

    /* Window size increment. */
    n = test_hex("000004 08 00 ffffffff 80000400", buf, sizeof buf);
    assert_int_equal(parse_bytes(buf, n, &f), H2_OK);
    assert_int_equal(f.hdr.stream_id, H2_STREAM_ID_MAX);
    assert_int_equal(f.window_increment, 0x400);
    assert_int_equal(h2_frame_write(&f, out, sizeof out, &m), H2_OK);
    assert_memory_equal(out, "\x00\x00\x04\x08\x00\x7f\xff\xff\xff\x00\x00\x04\x00", 13);

    /* GOAWAY last stream identifier. */
    n = test_hex("000008 07 00 00000000 80000005 00000001", buf, sizeof buf);
    assert_int_equal(parse_bytes(buf, n, &f), H2_OK);
    assert_int_equal(f.last_stream_id, 5);
    assert_int_equal(f.error_code, H2_PROTOCOL_ERROR);
    assert_int_equal(h2_frame_write(&f, out, sizeof out, &m), H2_OK);
    assert_int_equal(out[9], 0x00);
    assert_memory_equal(out + 10, buf + 10, n - 10);

    /* PUSH_PROMISE promised stream identifier. */
    n = test_hex("000005 05 04 00000001 80000002 82", buf, sizeof buf);
    assert_int_equal(parse_bytes(buf, n, &f), H2_OK);
    assert_int_equal(f.promised_stream_id, 2);
    assert_int_equal(h2_frame_write(&f, out, sizeof out, &m), H2_OK);
    assert_int_equal(out[9], 0x00);
    assert_memory_equal(out + 10, buf + 10, n - 10);

    /* The top bit of a dependency is the E flag, not reserved. */
    n = test_hex("000005 02 00 00000003 80000001 10", buf, sizeof buf);
    assert_int_equal(parse_bytes(buf, n, &f), H2_OK);
    assert_int_equal(f.priority.dependency, 1);
    assert_int_equal(f.priority.exclusive, 1);
    assert_int_equal(f.priority.weight, 0x10);
    assert_int_equal(h2_frame_write(&f, out, sizeof out, &m), H2_OK);
    assert_memory_equal(out, buf, n);
}

/* ---- header parse ------------------------------------------------------ */

static void test_header_parse(void **state)
{
    (void)state;
    uint8_t buf[9];
    h2_frame_header hdr;
    test_hex("123456 a5 5a fedcba98", buf, sizeof buf);
    for (size_t n = 0; n < 9; n++) {
        hdr.length = 1;
        hdr.type = 2;
        hdr.flags = 3;
        hdr.stream_id = 4;
        assert_int_equal(h2_frame_header_parse(buf, n, &hdr), H2_E_INCOMPLETE);
        assert_int_equal(hdr.length, 1);
        assert_int_equal(hdr.type, 2);
        assert_int_equal(hdr.flags, 3);
        assert_int_equal(hdr.stream_id, 4);
    }
    assert_int_equal(h2_frame_header_parse(NULL, 0, &hdr), H2_E_INCOMPLETE);
    assert_int_equal(h2_frame_header_parse(buf, 9, &hdr), H2_OK);
    assert_int_equal(hdr.length, 0x123456);
    assert_int_equal(hdr.type, 0xa5);
    assert_int_equal(hdr.flags, 0x5a);
    assert_int_equal(hdr.stream_id, 0x7edcba98);

    uint8_t out[9];
    h2_frame_header_write(&hdr, out);
    assert_memory_equal(out, "\x12\x34\x56\xa5\x5a\x7e\xdc\xba\x98", 9);
    hdr.length = H2_FRAME_LENGTH_MAX;
    hdr.stream_id = H2_STREAM_ID_MAX;
    h2_frame_header_write(&hdr, out);
    assert_memory_equal(out, "\xff\xff\xff\xa5\x5a\x7f\xff\xff\xff", 9);
    /* The reserved bit is written as zero whatever the caller passes. */
    hdr.stream_id = 0x80000001u;
    h2_frame_header_write(&hdr, out);
    assert_memory_equal(out + 5, "\x00\x00\x00\x01", 4);
}

/* ---- hand-written byte vectors ----------------------------------------- */

/* Parses the vector, checks it byte for byte against what writing the
 * expected frame gives. */
static void check_vector(const char *hex, const h2_frame *want)
{
    uint8_t buf[BUF_SIZE];
    uint8_t out[BUF_SIZE];
    size_t n = test_hex(hex, buf, sizeof buf);
    size_t m = 0;
    h2_frame got;
    assert_int_equal(h2_frame_write(want, out, sizeof out, &m), H2_OK);
    assert_int_equal(m, n);
    assert_memory_equal(out, buf, n);
    assert_int_equal(parse_bytes(buf, n, &got), H2_OK);
    assert_frames_equal(want, &got);
}

static void test_vector_settings(void **state)
{
    (void)state;
    /* HEADER_TABLE_SIZE 4096, MAX_CONCURRENT_STREAMS 100,
     * INITIAL_WINDOW_SIZE 65535. */
    const char *hex = "000012 04 00 00000000"
                      "0001 00001000"
                      "0003 00000064"
                      "0004 0000ffff";
    uint8_t entries[18];
    h2_setting_write(0x1, 4096, entries);
    h2_setting_write(0x3, 100, entries + 6);
    h2_setting_write(0x4, 65535, entries + 12);
    h2_frame f = new_frame(H2_FRAME_SETTINGS, 0, 0);
    f.data = entries;
    f.data_len = sizeof entries;
    check_vector(hex, &f);

    f.hdr.flags = H2_FLAG_ACK;
    f.data_len = 0;
    check_vector("000000 04 01 00000000", &f);
}

static void test_vector_ping(void **state)
{
    (void)state;
    h2_frame f = new_frame(H2_FRAME_PING, H2_FLAG_ACK, 0);
    memcpy(f.opaque, "\x01\x02\x03\x04\x05\x06\x07\x08", 8);
    check_vector("000008 06 01 00000000 0102030405060708", &f);
}

static void test_vector_goaway(void **state)
{
    (void)state;
    h2_frame f = new_frame(H2_FRAME_GOAWAY, 0, 0);
    f.last_stream_id = 0x1234567;
    f.error_code = H2_FRAME_SIZE_ERROR;
    f.data = (const uint8_t *)"too big";
    f.data_len = 7;
    check_vector("00000f 07 00 00000000 01234567 00000006 746f6f20626967", &f);
}

static void test_vector_headers_and_data(void **state)
{
    (void)state;
    /* RFC 7541 C.3.1 request as a HEADERS frame on stream 1. */
    static const uint8_t block[] = {
        0x82, 0x86, 0x84, 0x41, 0x0f, 'w', 'w', 'w', '.', 'e', 'x', 'a',
        'm', 'p', 'l', 'e', '.', 'c', 'o', 'm'};
    h2_frame f = new_frame(H2_FRAME_HEADERS, H2_FLAG_END_HEADERS | H2_FLAG_END_STREAM, 1);
    f.data = block;
    f.data_len = sizeof block;
    check_vector("000014 01 05 00000001 828684410f7777772e6578616d706c652e636f6d", &f);

    /* Padded and prioritized: pad 2, exclusive on stream 3, weight 16. */
    f.hdr.flags = H2_FLAG_END_HEADERS | H2_FLAG_PADDED | H2_FLAG_PRIORITY;
    f.hdr.stream_id = 5;
    f.pad_length = 2;
    f.priority.dependency = 3;
    f.priority.exclusive = 1;
    f.priority.weight = 15;
    f.data_len = 3;
    check_vector("00000b 01 2c 00000005 02 80000003 0f 828684 0000", &f);

    /* DATA: pad 3, "data", END_STREAM. */
    f = new_frame(H2_FRAME_DATA, H2_FLAG_PADDED | H2_FLAG_END_STREAM, 1);
    f.data = (const uint8_t *)"data";
    f.data_len = 4;
    f.pad_length = 3;
    check_vector("000008 00 09 00000001 03 64617461 000000", &f);
}

static void test_vector_window_update_rst_altsvc(void **state)
{
    (void)state;
    h2_frame f = new_frame(H2_FRAME_WINDOW_UPDATE, 0, 0);
    f.window_increment = 0x7fff0001;
    check_vector("000004 08 00 00000000 7fff0001", &f);

    f = new_frame(H2_FRAME_RST_STREAM, 0, 0x101);
    f.error_code = H2_REFUSED_STREAM;
    check_vector("000004 03 00 00000101 00000007", &f);

    /* RFC 7838 section 4 example. */
    f = new_frame(H2_FRAME_ALTSVC, 0, 0);
    f.origin = (const uint8_t *)"origin";
    f.origin_len = 6;
    f.data = (const uint8_t *)"h2=\":8000\"";
    f.data_len = 10;
    check_vector("000012 0a 00 00000000 0006 6f726967696e 68323d223a3830303022", &f);
}

/* ---- malformed frames: fixed lengths ----------------------------------- */

static const uint8_t ZEROS[64];
static const uint8_t ONES[64] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};

static void test_ping_length(void **state)
{
    (void)state;
    h2_frame f;
    assert_int_equal(parse_raw(H2_FRAME_PING, 0, 0, ZEROS, 7, &f), H2_E_FRAME_SIZE);
    assert_int_equal(parse_raw(H2_FRAME_PING, 0, 0, ZEROS, 9, &f), H2_E_FRAME_SIZE);
    assert_int_equal(parse_raw(H2_FRAME_PING, 0, 0, ZEROS, 0, &f), H2_E_FRAME_SIZE);
    assert_int_equal(parse_raw(H2_FRAME_PING, 0, 0, ZEROS, 8, &f), H2_OK);
}

static void test_settings_length(void **state)
{
    (void)state;
    h2_frame f;
    assert_int_equal(parse_raw(H2_FRAME_SETTINGS, 0, 0, ZEROS, 5, &f), H2_E_FRAME_SIZE);
    assert_int_equal(parse_raw(H2_FRAME_SETTINGS, 0, 0, ZEROS, 7, &f), H2_E_FRAME_SIZE);
    assert_int_equal(parse_raw(H2_FRAME_SETTINGS, 0, 0, ZEROS, 12, &f), H2_OK);
    assert_int_equal(f.data_len, 12);
    assert_int_equal(parse_raw(H2_FRAME_SETTINGS, 0, 0, ZEROS, 0, &f), H2_OK);
}

static void test_settings_ack_not_empty(void **state)
{
    (void)state;
    h2_frame f;
    assert_int_equal(parse_raw(H2_FRAME_SETTINGS, H2_FLAG_ACK, 0, ZEROS, 6, &f),
                     H2_E_FRAME_SIZE);
    assert_int_equal(parse_raw(H2_FRAME_SETTINGS, H2_FLAG_ACK, 0, ZEROS, 0, &f), H2_OK);
}

static void test_rst_stream_length(void **state)
{
    (void)state;
    h2_frame f;
    assert_int_equal(parse_raw(H2_FRAME_RST_STREAM, 0, 1, ZEROS, 3, &f), H2_E_FRAME_SIZE);
    assert_int_equal(parse_raw(H2_FRAME_RST_STREAM, 0, 1, ZEROS, 5, &f), H2_E_FRAME_SIZE);
    assert_int_equal(parse_raw(H2_FRAME_RST_STREAM, 0, 1, ZEROS, 4, &f), H2_OK);
}

static void test_priority_length(void **state)
{
    (void)state;
    h2_frame f;
    assert_int_equal(parse_raw(H2_FRAME_PRIORITY, 0, 1, ZEROS, 4, &f), H2_E_FRAME_SIZE);
    assert_int_equal(parse_raw(H2_FRAME_PRIORITY, 0, 1, ZEROS, 6, &f), H2_E_FRAME_SIZE);
    assert_int_equal(parse_raw(H2_FRAME_PRIORITY, 0, 1, ZEROS, 5, &f), H2_OK);
}

static void test_window_update_length(void **state)
{
    (void)state;
    h2_frame f;
    assert_int_equal(parse_raw(H2_FRAME_WINDOW_UPDATE, 0, 1, ONES, 3, &f), H2_E_FRAME_SIZE);
    assert_int_equal(parse_raw(H2_FRAME_WINDOW_UPDATE, 0, 1, ONES, 5, &f), H2_E_FRAME_SIZE);
    assert_int_equal(parse_raw(H2_FRAME_WINDOW_UPDATE, 0, 1, ONES, 4, &f), H2_OK);
    assert_int_equal(f.window_increment, 0x01010101);
}

static void test_goaway_too_short(void **state)
{
    (void)state;
    h2_frame f;
    assert_int_equal(parse_raw(H2_FRAME_GOAWAY, 0, 0, ZEROS, 7, &f), H2_E_FRAME_SIZE);
    assert_int_equal(parse_raw(H2_FRAME_GOAWAY, 0, 0, ZEROS, 0, &f), H2_E_FRAME_SIZE);
    assert_int_equal(parse_raw(H2_FRAME_GOAWAY, 0, 0, ZEROS, 8, &f), H2_OK);
    assert_int_equal(f.data_len, 0);
}

static void test_push_promise_too_short(void **state)
{
    (void)state;
    h2_frame f;
    assert_int_equal(parse_raw(H2_FRAME_PUSH_PROMISE, 0, 1, ONES, 3, &f), H2_E_FRAME_SIZE);
    assert_int_equal(parse_raw(H2_FRAME_PUSH_PROMISE, 0, 1, ONES, 0, &f), H2_E_FRAME_SIZE);
    /* Padded: the Pad Length byte comes on top of the four. */
    assert_int_equal(parse_raw(H2_FRAME_PUSH_PROMISE, H2_FLAG_PADDED, 1, ZEROS, 4, &f),
                     H2_E_FRAME_SIZE);
    assert_int_equal(parse_raw(H2_FRAME_PUSH_PROMISE, H2_FLAG_PADDED, 1, ZEROS, 5, &f),
                     H2_OK);
    assert_int_equal(parse_raw(H2_FRAME_PUSH_PROMISE, 0, 1, ONES, 4, &f), H2_OK);
    assert_int_equal(f.promised_stream_id, 0x01010101);
    assert_int_equal(f.data_len, 0);
}

static void test_altsvc_lengths(void **state)
{
    (void)state;
    uint8_t p[8] = {0x00, 0x05, 'a', 'b', 'c', 'd', 'e', 'f'};
    h2_frame f;
    /* Origin of 5 in a payload with room for 4. */
    assert_int_equal(parse_raw(H2_FRAME_ALTSVC, 0, 0, p, 6, &f), H2_E_FRAME_SIZE);
    p[0] = 0x01;  /* 261 */
    assert_int_equal(parse_raw(H2_FRAME_ALTSVC, 0, 0, p, 8, &f), H2_E_FRAME_SIZE);
    p[0] = 0x00;
    assert_int_equal(parse_raw(H2_FRAME_ALTSVC, 0, 0, p, 1, &f), H2_E_FRAME_SIZE);
    assert_int_equal(parse_raw(H2_FRAME_ALTSVC, 0, 0, p, 0, &f), H2_E_FRAME_SIZE);
    /* Exact fit: origin "abcde", empty value. */
    assert_int_equal(parse_raw(H2_FRAME_ALTSVC, 0, 0, p, 7, &f), H2_OK);
    assert_int_equal(f.origin_len, 5);
    assert_memory_equal(f.origin, "abcde", 5);
    assert_int_equal(f.data_len, 0);
    assert_int_equal(parse_raw(H2_FRAME_ALTSVC, 0, 0, p, 8, &f), H2_OK);
    assert_int_equal(f.data_len, 1);
    assert_int_equal(f.data[0], 'f');
}

/* ---- malformed frames: streams ----------------------------------------- */

/* A payload that is valid for the type, so only the stream decides. */
static uint32_t valid_length(uint8_t type)
{
    switch (type) {
    case H2_FRAME_PRIORITY: return 5;
    case H2_FRAME_RST_STREAM: return 4;
    case H2_FRAME_PUSH_PROMISE: return 4;
    case H2_FRAME_PING: return 8;
    case H2_FRAME_GOAWAY: return 8;
    case H2_FRAME_SETTINGS: return 6;
    default: return 3;
    }
}

static void check_stream_rule(uint8_t type, uint32_t good, uint32_t bad)
{
    h2_frame f;
    uint32_t len = valid_length(type);
    h2_frame_header hdr = {len, type, 0, bad};
    assert_int_equal(h2_frame_header_check(&hdr, H2_DEFAULT_MAX_FRAME_SIZE), H2_E_PROTOCOL);
    assert_int_equal(parse_raw(type, 0, bad, ONES, len, &f), H2_E_PROTOCOL);
    hdr.stream_id = good;
    assert_int_equal(h2_frame_header_check(&hdr, H2_DEFAULT_MAX_FRAME_SIZE), H2_OK);
    assert_int_equal(parse_raw(type, 0, good, ONES, len, &f), H2_OK);
}

static void test_data_not_on_stream_0(void **state)
{
    (void)state;
    check_stream_rule(H2_FRAME_DATA, 1, 0);
}

static void test_headers_not_on_stream_0(void **state)
{
    (void)state;
    check_stream_rule(H2_FRAME_HEADERS, 1, 0);
}

static void test_priority_not_on_stream_0(void **state)
{
    (void)state;
    check_stream_rule(H2_FRAME_PRIORITY, 3, 0);
}

static void test_rst_stream_not_on_stream_0(void **state)
{
    (void)state;
    check_stream_rule(H2_FRAME_RST_STREAM, 1, 0);
}

static void test_continuation_not_on_stream_0(void **state)
{
    (void)state;
    check_stream_rule(H2_FRAME_CONTINUATION, 1, 0);
}

static void test_push_promise_not_on_stream_0(void **state)
{
    (void)state;
    check_stream_rule(H2_FRAME_PUSH_PROMISE, 1, 0);
}

static void test_settings_only_on_stream_0(void **state)
{
    (void)state;
    check_stream_rule(H2_FRAME_SETTINGS, 0, 1);
    check_stream_rule(H2_FRAME_SETTINGS, 0, H2_STREAM_ID_MAX);
}

static void test_ping_only_on_stream_0(void **state)
{
    (void)state;
    check_stream_rule(H2_FRAME_PING, 0, 1);
}

static void test_goaway_only_on_stream_0(void **state)
{
    (void)state;
    check_stream_rule(H2_FRAME_GOAWAY, 0, 1);
}

static void test_window_update_on_any_stream(void **state)
{
    (void)state;
    h2_frame f;
    assert_int_equal(parse_raw(H2_FRAME_WINDOW_UPDATE, 0, 0, ONES, 4, &f), H2_OK);
    assert_int_equal(parse_raw(H2_FRAME_WINDOW_UPDATE, 0, 1, ONES, 4, &f), H2_OK);
    assert_int_equal(parse_raw(H2_FRAME_ALTSVC, 0, 1, ZEROS, 2, &f), H2_OK);
    assert_int_equal(parse_raw(H2_FRAME_ALTSVC, 0, 0, ZEROS, 2, &f), H2_OK);
}

/* A wrong stream outranks a wrong size: the former is always a connection
 * error. */
static void test_stream_rule_before_size_rule(void **state)
{
    (void)state;
    h2_frame f;
    assert_int_equal(parse_raw(H2_FRAME_PRIORITY, 0, 0, ZEROS, 4, &f), H2_E_PROTOCOL);
    assert_int_equal(parse_raw(H2_FRAME_PING, 0, 1, ZEROS, 7, &f), H2_E_PROTOCOL);
}

/* ---- malformed frames: padding ----------------------------------------- */

static void test_data_pad_too_large(void **state)
{
    (void)state;
    uint8_t p[8] = {5, 'a', 'b', 'c', 'd', 0, 0, 0};
    h2_frame f;
    /* Length 5: after the Pad Length byte 4 remain. */
    assert_int_equal(parse_raw(H2_FRAME_DATA, H2_FLAG_PADDED, 1, p, 5, &f), H2_E_PROTOCOL);
    p[0] = 4;
    assert_int_equal(parse_raw(H2_FRAME_DATA, H2_FLAG_PADDED, 1, p, 5, &f), H2_OK);
    assert_int_equal(f.data_len, 0);
    assert_int_equal(f.pad_length, 4);
    p[0] = 255;
    assert_int_equal(parse_raw(H2_FRAME_DATA, H2_FLAG_PADDED, 1, p, 8, &f), H2_E_PROTOCOL);
    p[0] = 2;
    assert_int_equal(parse_raw(H2_FRAME_DATA, H2_FLAG_PADDED, 1, p, 5, &f), H2_OK);
    assert_int_equal(f.data_len, 2);
    assert_memory_equal(f.data, "ab", 2);
    /* Without the flag the first byte is data. */
    assert_int_equal(parse_raw(H2_FRAME_DATA, 0, 1, p, 5, &f), H2_OK);
    assert_int_equal(f.data_len, 5);
    assert_int_equal(f.pad_length, 0);
}

static void test_headers_pad_too_large(void **state)
{
    (void)state;
    uint8_t p[16] = {3, 0x82, 0x86, 0x84};
    h2_frame f;
    assert_int_equal(parse_raw(H2_FRAME_HEADERS, H2_FLAG_PADDED, 1, p, 3, &f), H2_E_PROTOCOL);
    assert_int_equal(parse_raw(H2_FRAME_HEADERS, H2_FLAG_PADDED, 1, p, 4, &f), H2_OK);
    assert_int_equal(f.data_len, 0);

    /* With priority the five priority bytes do not count as room. */
    uint8_t q[16] = {3, 0, 0, 0, 0, 16, 0x82, 0, 0, 0};
    assert_int_equal(parse_raw(H2_FRAME_HEADERS, H2_FLAG_PADDED | H2_FLAG_PRIORITY, 1,
                               q, 8, &f), H2_E_PROTOCOL);
    assert_int_equal(parse_raw(H2_FRAME_HEADERS, H2_FLAG_PADDED | H2_FLAG_PRIORITY, 1,
                               q, 9, &f), H2_OK);
    assert_int_equal(f.data_len, 0);
    assert_int_equal(parse_raw(H2_FRAME_HEADERS, H2_FLAG_PADDED | H2_FLAG_PRIORITY, 1,
                               q, 10, &f), H2_OK);
    assert_int_equal(f.data_len, 1);
    assert_int_equal(f.data[0], 0x82);
    assert_int_equal(f.priority.weight, 16);
}

static void test_push_promise_pad_too_large(void **state)
{
    (void)state;
    uint8_t p[16] = {2, 0, 0, 0, 2, 0x82, 0};
    h2_frame f;
    assert_int_equal(parse_raw(H2_FRAME_PUSH_PROMISE, H2_FLAG_PADDED, 1, p, 6, &f),
                     H2_E_PROTOCOL);
    assert_int_equal(parse_raw(H2_FRAME_PUSH_PROMISE, H2_FLAG_PADDED, 1, p, 7, &f), H2_OK);
    assert_int_equal(f.promised_stream_id, 2);
    assert_int_equal(f.data_len, 0);
    assert_int_equal(f.pad_length, 2);
}

static void test_padded_frame_of_length_0(void **state)
{
    (void)state;
    h2_frame f;
    assert_int_equal(parse_raw(H2_FRAME_DATA, H2_FLAG_PADDED, 1, ZEROS, 0, &f),
                     H2_E_FRAME_SIZE);
    assert_int_equal(parse_raw(H2_FRAME_HEADERS, H2_FLAG_PADDED, 1, ZEROS, 0, &f),
                     H2_E_FRAME_SIZE);
    assert_int_equal(parse_raw(H2_FRAME_PUSH_PROMISE, H2_FLAG_PADDED, 1, ZEROS, 0, &f),
                     H2_E_FRAME_SIZE);
    /* Length 1 holds a Pad Length of zero. */
    assert_int_equal(parse_raw(H2_FRAME_DATA, H2_FLAG_PADDED, 1, ZEROS, 1, &f), H2_OK);
    assert_int_equal(f.data_len, 0);
}

static void test_prioritized_headers_too_short(void **state)
{
    (void)state;
    h2_frame f;
    assert_int_equal(parse_raw(H2_FRAME_HEADERS, H2_FLAG_PRIORITY, 1, ZEROS, 4, &f),
                     H2_E_FRAME_SIZE);
    assert_int_equal(parse_raw(H2_FRAME_HEADERS, H2_FLAG_PRIORITY | H2_FLAG_PADDED, 1,
                               ZEROS, 5, &f), H2_E_FRAME_SIZE);
    assert_int_equal(parse_raw(H2_FRAME_HEADERS, H2_FLAG_PRIORITY, 1, ZEROS, 5, &f), H2_OK);
}

/* ---- malformed frames: other ------------------------------------------- */

static void test_length_above_max_frame_size(void **state)
{
    (void)state;
    h2_frame_header hdr = {H2_DEFAULT_MAX_FRAME_SIZE + 1u, H2_FRAME_DATA, 0, 1};
    assert_int_equal(h2_frame_header_check(&hdr, H2_DEFAULT_MAX_FRAME_SIZE), H2_E_FRAME_SIZE);
    assert_int_equal(h2_frame_header_check(&hdr, H2_DEFAULT_MAX_FRAME_SIZE + 1u), H2_OK);
    hdr.length = H2_DEFAULT_MAX_FRAME_SIZE;
    assert_int_equal(h2_frame_header_check(&hdr, H2_DEFAULT_MAX_FRAME_SIZE), H2_OK);
    hdr.length = H2_FRAME_LENGTH_MAX;
    assert_int_equal(h2_frame_header_check(&hdr, H2_MAX_MAX_FRAME_SIZE), H2_OK);
    /* Unknown types and bad streams too: size comes first. */
    hdr.length = 20000;
    hdr.type = 0xbb;
    assert_int_equal(h2_frame_header_check(&hdr, H2_DEFAULT_MAX_FRAME_SIZE), H2_E_FRAME_SIZE);
    hdr.type = H2_FRAME_DATA;
    hdr.stream_id = 0;
    assert_int_equal(h2_frame_header_check(&hdr, H2_DEFAULT_MAX_FRAME_SIZE), H2_E_FRAME_SIZE);
}

static void test_zero_window_update(void **state)
{
    (void)state;
    uint8_t p[4] = {0x80, 0, 0, 0};  /* only the reserved bit */
    h2_frame f;
    assert_int_equal(parse_raw(H2_FRAME_WINDOW_UPDATE, 0, 0, ZEROS, 4, &f), H2_E_PROTOCOL);
    assert_int_equal(f.hdr.stream_id, 0);
    assert_int_equal(f.window_increment, 0);
    assert_int_equal(parse_raw(H2_FRAME_WINDOW_UPDATE, 0, 7, p, 4, &f), H2_E_PROTOCOL);
    /* Filled in, so that the caller can make it a stream error. */
    assert_int_equal(f.hdr.type, H2_FRAME_WINDOW_UPDATE);
    assert_int_equal(f.hdr.stream_id, 7);
    assert_int_equal(f.window_increment, 0);
}

static void test_self_dependency(void **state)
{
    (void)state;
    uint8_t p[8] = {0x00, 0x00, 0x00, 0x03, 0x10, 0x82};
    h2_frame f;
    assert_int_equal(parse_raw(H2_FRAME_PRIORITY, 0, 3, p, 5, &f), H2_E_PROTOCOL);
    assert_int_equal(f.hdr.stream_id, 3);
    assert_int_equal(f.priority.dependency, 3);
    assert_int_equal(parse_raw(H2_FRAME_PRIORITY, 0, 5, p, 5, &f), H2_OK);
    p[0] = 0x80;  /* exclusive: the same stream */
    assert_int_equal(parse_raw(H2_FRAME_PRIORITY, 0, 3, p, 5, &f), H2_E_PROTOCOL);
    assert_int_equal(f.priority.exclusive, 1);

    assert_int_equal(parse_raw(H2_FRAME_HEADERS, H2_FLAG_PRIORITY, 3, p, 6, &f),
                     H2_E_PROTOCOL);
    assert_int_equal(f.hdr.stream_id, 3);
    assert_int_equal(f.priority.dependency, 3);
    assert_int_equal(parse_raw(H2_FRAME_HEADERS, H2_FLAG_PRIORITY, 1, p, 6, &f), H2_OK);
    /* Without the flag there is no dependency to check. */
    assert_int_equal(parse_raw(H2_FRAME_HEADERS, 0, 3, p, 6, &f), H2_OK);
}

/* ---- writer ranges ----------------------------------------------------- */

static void check_invalid(const h2_frame *f)
{
    uint8_t buf[64];
    size_t n = 999;
    memset(buf, SENTINEL, sizeof buf);
    assert_int_equal(h2_frame_write(f, buf, sizeof buf, &n), H2_E_INVALID_ARGUMENT);
    assert_int_equal(n, 0);
    for (size_t i = 0; i < sizeof buf; i++) {
        assert_int_equal(buf[i], SENTINEL);
    }
}

static void test_write_invalid_argument(void **state)
{
    (void)state;
    h2_frame f = new_frame(H2_FRAME_DATA, 0, H2_STREAM_ID_MAX + 1u);
    check_invalid(&f);

    f = new_frame(H2_FRAME_DATA, H2_FLAG_PADDED, 1);
    f.data = BODY;
    f.data_len = H2_FRAME_LENGTH_MAX;  /* plus the Pad Length byte */
    check_invalid(&f);
    f.hdr.flags = 0;
    assert_int_equal(h2_frame_payload_length(&f), H2_FRAME_LENGTH_MAX);

    f = new_frame(H2_FRAME_WINDOW_UPDATE, 0, 0);
    f.window_increment = 0x80000000u;
    check_invalid(&f);

    f = new_frame(H2_FRAME_PRIORITY, 0, 1);
    f.priority.dependency = 0x80000000u;
    check_invalid(&f);

    f = new_frame(H2_FRAME_HEADERS, H2_FLAG_PRIORITY, 1);
    f.priority.dependency = 0xffffffffu;
    check_invalid(&f);

    f = new_frame(H2_FRAME_PUSH_PROMISE, 0, 1);
    f.promised_stream_id = 0x80000000u;
    check_invalid(&f);

    f = new_frame(H2_FRAME_GOAWAY, 0, 0);
    f.last_stream_id = 0x80000000u;
    check_invalid(&f);

    f = new_frame(H2_FRAME_ALTSVC, 0, 0);
    f.origin = BODY;
    f.origin_len = 0x10000u;
    check_invalid(&f);

    f = new_frame(0x42, 0, 1);
    f.data = BODY;
    f.data_len = 0xffffffffu;
    assert_int_equal(h2_frame_payload_length(&f), 0xffffffffu);
    check_invalid(&f);
}

static void test_write_largest_frame(void **state)
{
    (void)state;
    static uint8_t body[H2_FRAME_LENGTH_MAX];
    static uint8_t out[9u + H2_FRAME_LENGTH_MAX];
    size_t n = 0;
    h2_frame f = new_frame(H2_FRAME_DATA, H2_FLAG_PADDED, 1);
    h2_frame g;
    memset(body, 0x5c, sizeof body);
    f.data = body;
    f.data_len = H2_FRAME_LENGTH_MAX - 1u - 255u;
    f.pad_length = 255;
    assert_int_equal(h2_frame_write(&f, out, sizeof out, &n), H2_OK);
    assert_int_equal(n, sizeof out);
    assert_memory_equal(out, "\xff\xff\xff\x00\x08\x00\x00\x00\x01\xff\x5c", 11);
    assert_int_equal(out[sizeof out - 256u], 0x5c);
    assert_int_equal(out[sizeof out - 255u], 0x00);
    assert_int_equal(out[sizeof out - 1u], 0x00);
    assert_int_equal(parse_bytes(out, n, &g), H2_OK);
    assert_int_equal(g.data_len, f.data_len);
    assert_int_equal(g.pad_length, 255);
}

/* ---- SETTINGS entries -------------------------------------------------- */

static void test_settings_entries(void **state)
{
    (void)state;
    static const uint16_t ids[] = {0x1, 0x2, 0x3, 0x4, 0x5, 0x6, 0x8, 0xffff};
    static const uint32_t values[] = {4096, 0, 100, 0x7fffffff, 16384, 8192, 1,
                                      0xffffffffu};
    uint8_t entries[8 * H2_SETTING_ENTRY_SIZE];
    uint8_t buf[128];
    size_t n = 0;
    h2_frame f = new_frame(H2_FRAME_SETTINGS, 0, 0);
    h2_frame g;

    for (uint32_t i = 0; i < 8; i++) {
        h2_setting_write(ids[i], values[i], entries + 6 * i);
    }
    assert_memory_equal(entries, "\x00\x01\x00\x00\x10\x00", 6);
    assert_memory_equal(entries + 42, "\xff\xff\xff\xff\xff\xff", 6);
    f.data = entries;
    f.data_len = sizeof entries;
    assert_int_equal(h2_frame_write(&f, buf, sizeof buf, &n), H2_OK);
    assert_int_equal(n, 9 + sizeof entries);
    assert_int_equal(parse_bytes(buf, n, &g), H2_OK);
    assert_int_equal(g.data_len / H2_SETTING_ENTRY_SIZE, 8);
    for (uint32_t i = 0; i < 8; i++) {
        uint16_t id = 0;
        uint32_t value = 0;
        h2_frame_setting_at(&g, i, &id, &value);
        assert_int_equal(id, ids[i]);
        assert_int_equal(value, values[i]);
    }
}

/* ---- parse details ----------------------------------------------------- */

static void test_parse_clears_unused_fields(void **state)
{
    (void)state;
    uint8_t buf[32];
    h2_frame f;
    size_t n = test_hex("000004 03 00 00000001 00000002", buf, sizeof buf);
    memset(&f, 0x77, sizeof f);
    assert_int_equal(parse_bytes(buf, n, &f), H2_OK);
    assert_int_equal(f.error_code, H2_INTERNAL_ERROR);
    assert_int_equal(f.data_len, 0);
    assert_int_equal(f.pad_length, 0);
    assert_int_equal(f.priority.dependency, 0);
    assert_int_equal(f.window_increment, 0);
    assert_int_equal(f.origin_len, 0);
    assert_memory_equal(f.opaque, ZEROS, 8);
}

static void test_parse_header_in_place(void **state)
{
    (void)state;
    uint8_t buf[32];
    h2_frame f;
    size_t n = test_hex("000006 00 09 00000003 02 6869 0000 ff", buf, sizeof buf);
    assert_int_equal(h2_frame_header_parse(buf, n, &f.hdr), H2_OK);
    assert_int_equal(f.hdr.length, 6);
    /* hdr may be the frame's own header. */
    assert_int_equal(h2_frame_parse(&f.hdr, buf + 9, &f), H2_OK);
    assert_int_equal(f.hdr.length, 6);
    assert_int_equal(f.hdr.type, H2_FRAME_DATA);
    assert_int_equal(f.hdr.flags, 0x09);
    assert_int_equal(f.hdr.stream_id, 3);
    assert_int_equal(f.data_len, 3);
    assert_memory_equal(f.data, "hi\x00", 3);
    assert_int_equal(f.pad_length, 2);
}

static void test_payload_length(void **state)
{
    (void)state;
    h2_frame f = new_frame(H2_FRAME_PING, 0xff, 0);
    f.data_len = 1000;  /* ignored by fixed-size types */
    f.pad_length = 9;
    assert_int_equal(h2_frame_payload_length(&f), 8);
    f.hdr.type = H2_FRAME_PRIORITY;
    assert_int_equal(h2_frame_payload_length(&f), 5);
    f.hdr.type = H2_FRAME_RST_STREAM;
    assert_int_equal(h2_frame_payload_length(&f), 4);
    f.hdr.type = H2_FRAME_WINDOW_UPDATE;
    assert_int_equal(h2_frame_payload_length(&f), 4);
    f.hdr.type = H2_FRAME_GOAWAY;
    assert_int_equal(h2_frame_payload_length(&f), 1008);
    f.hdr.type = H2_FRAME_CONTINUATION;  /* PADDED means nothing here */
    assert_int_equal(h2_frame_payload_length(&f), 1000);
    f.hdr.type = H2_FRAME_DATA;
    assert_int_equal(h2_frame_payload_length(&f), 1010);
    f.hdr.type = H2_FRAME_HEADERS;
    assert_int_equal(h2_frame_payload_length(&f), 1015);
    f.hdr.type = H2_FRAME_PUSH_PROMISE;
    assert_int_equal(h2_frame_payload_length(&f), 1014);
    f.hdr.type = H2_FRAME_ALTSVC;
    f.origin_len = 0xffffffffu;
    assert_int_equal(h2_frame_payload_length(&f), 2 + 0xffffffffull + 1000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip_data),
        cmocka_unit_test(test_roundtrip_headers),
        cmocka_unit_test(test_roundtrip_priority),
        cmocka_unit_test(test_roundtrip_rst_stream),
        cmocka_unit_test(test_roundtrip_settings),
        cmocka_unit_test(test_roundtrip_push_promise),
        cmocka_unit_test(test_roundtrip_ping),
        cmocka_unit_test(test_roundtrip_goaway),
        cmocka_unit_test(test_roundtrip_window_update),
        cmocka_unit_test(test_roundtrip_continuation),
        cmocka_unit_test(test_roundtrip_altsvc),
        cmocka_unit_test(test_roundtrip_unknown_type),
        cmocka_unit_test(test_unknown_type_is_opaque),
        cmocka_unit_test(test_reserved_bits_ignored_and_cleared),
        cmocka_unit_test(test_header_parse),
        cmocka_unit_test(test_vector_settings),
        cmocka_unit_test(test_vector_ping),
        cmocka_unit_test(test_vector_goaway),
        cmocka_unit_test(test_vector_headers_and_data),
        cmocka_unit_test(test_vector_window_update_rst_altsvc),
        cmocka_unit_test(test_ping_length),
        cmocka_unit_test(test_settings_length),
        cmocka_unit_test(test_settings_ack_not_empty),
        cmocka_unit_test(test_rst_stream_length),
        cmocka_unit_test(test_priority_length),
        cmocka_unit_test(test_window_update_length),
        cmocka_unit_test(test_goaway_too_short),
        cmocka_unit_test(test_push_promise_too_short),
        cmocka_unit_test(test_altsvc_lengths),
        cmocka_unit_test(test_data_not_on_stream_0),
        cmocka_unit_test(test_headers_not_on_stream_0),
        cmocka_unit_test(test_priority_not_on_stream_0),
        cmocka_unit_test(test_rst_stream_not_on_stream_0),
        cmocka_unit_test(test_continuation_not_on_stream_0),
        cmocka_unit_test(test_push_promise_not_on_stream_0),
        cmocka_unit_test(test_settings_only_on_stream_0),
        cmocka_unit_test(test_ping_only_on_stream_0),
        cmocka_unit_test(test_goaway_only_on_stream_0),
        cmocka_unit_test(test_window_update_on_any_stream),
        cmocka_unit_test(test_stream_rule_before_size_rule),
        cmocka_unit_test(test_data_pad_too_large),
        cmocka_unit_test(test_headers_pad_too_large),
        cmocka_unit_test(test_push_promise_pad_too_large),
        cmocka_unit_test(test_padded_frame_of_length_0),
        cmocka_unit_test(test_prioritized_headers_too_short),
        cmocka_unit_test(test_length_above_max_frame_size),
        cmocka_unit_test(test_zero_window_update),
        cmocka_unit_test(test_self_dependency),
        cmocka_unit_test(test_write_invalid_argument),
        cmocka_unit_test(test_write_largest_frame),
        cmocka_unit_test(test_settings_entries),
        cmocka_unit_test(test_parse_clears_unused_fields),
        cmocka_unit_test(test_parse_header_in_place),
        cmocka_unit_test(test_payload_length),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
