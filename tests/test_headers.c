/* Headers layer: RFC 9113 8.2, 8.3 and 8.5, RFC 8441 4. */
#include <stdio.h>

#include "test_util.h"

#include "h2_headers.h"

#define MAX_TEST_FIELDS 16

/* A header list given as name/value C strings. */
typedef struct pair {
    const char *name;
    const char *value;
} pair;

static size_t to_headers(const pair *pairs, size_t n, h2_header *out)
{
    size_t i;
    assert_true(n <= MAX_TEST_FIELDS);
    for (i = 0; i < n; i++) {
        out[i].name = (const uint8_t *)pairs[i].name;
        out[i].name_len = (uint32_t)strlen(pairs[i].name);
        out[i].value = (const uint8_t *)pairs[i].value;
        out[i].value_len = (uint32_t)strlen(pairs[i].value);
        out[i].flags = 0;
    }
    return n;
}

/* Lays the fields out as the decoder does: name then value, back to
 * back from offset 0. */
static void fill_arena(h2_header_arena *arena, const h2_header *fields,
                       size_t n)
{
    size_t i;
    h2_header_arena_reset(arena);
    for (i = 0; i < n; i++) {
        h2_header_field *f = &arena->fields[arena->count];
        f->name_offset = arena->used;
        f->name_len = fields[i].name_len;
        memcpy(&arena->bytes[arena->used], fields[i].name, fields[i].name_len);
        arena->used += fields[i].name_len;
        f->value_offset = arena->used;
        f->value_len = fields[i].value_len;
        memcpy(&arena->bytes[arena->used], fields[i].value,
               fields[i].value_len);
        arena->used += fields[i].value_len;
        f->flags = fields[i].flags;
        arena->count++;
    }
}

static h2_header_arena test_arena;

/* Checks the list through both entry points, which must agree. */
static h2_status check_kind(h2_block_kind kind, uint8_t connect_protocol,
                            const pair *pairs, size_t n, h2_block_info *info)
{
    h2_header fields[MAX_TEST_FIELDS];
    h2_header_rules rules;
    h2_block_info arena_info;
    h2_status direct;
    h2_status from_arena;

    rules.kind = kind;
    rules.connect_protocol = connect_protocol;
    to_headers(pairs, n, fields);
    memset(info, 0xa5, sizeof(*info));
    direct = h2_headers_check(fields, n, &rules, info);
    /* Fields without marks are checked whole by the marked entry point. */
    assert_int_equal(h2_headers_check_marked(fields, n, &rules, &arena_info),
                     direct);
    fill_arena(&test_arena, fields, n);
    memset(&arena_info, 0x5a, sizeof(arena_info));
    from_arena = h2_headers_check_arena(&test_arena, &rules, &arena_info);
    assert_int_equal(direct, from_arena);
    if (direct == H2_OK) {
        assert_int_equal(info->status, arena_info.status);
        assert_int_equal(info->informational, arena_info.informational);
        assert_int_equal(info->method, arena_info.method);
        assert_int_equal(info->extended_connect, arena_info.extended_connect);
        assert_int_equal(info->has_content_length,
                         arena_info.has_content_length);
        assert_true(info->content_length == arena_info.content_length);
    }
    return direct;
}

#define CHECK(kind, pairs, info)                                           \
    check_kind((kind), 0, (pairs), sizeof(pairs) / sizeof((pairs)[0]), (info))
#define CHECK_CP(kind, pairs, info)                                        \
    check_kind((kind), 1, (pairs), sizeof(pairs) / sizeof((pairs)[0]), (info))

/* A request with every pseudo-header but :protocol, plus one extra field
 * (name, value) at the end; checks it. */
static h2_status check_request_with(const char *name, const char *value)
{
    h2_block_info info;
    pair req[] = {{":method", "GET"},
                  {":scheme", "https"},
                  {":authority", "example.com"},
                  {":path", "/"},
                  {name, value}};
    return CHECK(H2_BLOCK_REQUEST, req, &info);
}

/* The request of check_request_with as fields, the extra one's value
 * given with its length (it may hold a NUL). */
static void request_fields_with(h2_header fields[5], const char *name,
                                const uint8_t *value, uint32_t value_len)
{
    pair req[] = {{":method", "GET"},
                  {":scheme", "https"},
                  {":authority", "example.com"},
                  {":path", "/"},
                  {name, ""}};
    to_headers(req, 5, fields);
    fields[4].value = value;
    fields[4].value_len = value_len;
}

/* ------------------------------------------------------------------ */
/* Valid blocks                                                        */
/* ------------------------------------------------------------------ */

static void test_valid_request(void **state)
{
    h2_block_info info;
    pair req[] = {{":method", "GET"},
                  {":scheme", "https"},
                  {":authority", "example.com"},
                  {":path", "/index.html"},
                  {"user-agent", "libh2-test"},
                  {"accept", "*/*"},
                  {"x-empty", ""}};
    (void)state;
    assert_int_equal(CHECK(H2_BLOCK_REQUEST, req, &info), H2_OK);
    assert_int_equal(info.method, H2_METHOD_OTHER);
    assert_int_equal(info.status, 0);
    assert_int_equal(info.informational, 0);
    assert_int_equal(info.extended_connect, 0);
    assert_int_equal(info.has_content_length, 0);
}

static void test_valid_response(void **state)
{
    h2_block_info info;
    pair resp[] = {{":status", "200"},
                   {"content-type", "text/html"},
                   {"content-length", "1234"}};
    (void)state;
    assert_int_equal(CHECK(H2_BLOCK_RESPONSE, resp, &info), H2_OK);
    assert_int_equal(info.status, 200);
    assert_int_equal(info.informational, 0);
    assert_int_equal(info.has_content_length, 1);
    assert_true(info.content_length == 1234u);
}

static void test_valid_informational(void **state)
{
    h2_block_info info;
    pair resp[] = {{":status", "103"}, {"link", "</style.css>; rel=preload"}};
    (void)state;
    assert_int_equal(CHECK(H2_BLOCK_RESPONSE, resp, &info), H2_OK);
    assert_int_equal(info.status, 103);
    assert_int_equal(info.informational, 1);
}

static void test_valid_trailers(void **state)
{
    h2_block_info info;
    pair trailers[] = {{"grpc-status", "0"}, {"grpc-message", "ok"}};
    pair empty[1] = {{"x", "y"}};
    (void)state;
    assert_int_equal(CHECK(H2_BLOCK_TRAILERS, trailers, &info), H2_OK);
    assert_int_equal(info.status, 0);
    assert_int_equal(info.method, H2_METHOD_OTHER);
    /* An empty trailer section is fine too. */
    assert_int_equal(check_kind(H2_BLOCK_TRAILERS, 0, empty, 0, &info), H2_OK);
}

static void test_head_detected(void **state)
{
    h2_block_info info;
    pair req[] = {{":method", "HEAD"},
                  {":scheme", "https"},
                  {":path", "/"},
                  {":authority", "example.com"}};
    pair lower[] = {{":method", "head"},
                    {":scheme", "https"},
                    {":path", "/"},
                    {":authority", "example.com"}};
    (void)state;
    assert_int_equal(CHECK(H2_BLOCK_REQUEST, req, &info), H2_OK);
    assert_int_equal(info.method, H2_METHOD_HEAD);
    /* Method tokens are case-sensitive. */
    assert_int_equal(CHECK(H2_BLOCK_REQUEST, lower, &info), H2_OK);
    assert_int_equal(info.method, H2_METHOD_OTHER);
}

/* ------------------------------------------------------------------ */
/* Field syntax                                                        */
/* ------------------------------------------------------------------ */

static void test_empty_name(void **state)
{
    (void)state;
    assert_int_equal(check_request_with("", "x"), H2_E_PROTOCOL);
}

static void test_uppercase_name(void **state)
{
    (void)state;
    assert_int_equal(check_request_with("X-Custom", "x"), H2_E_PROTOCOL);
    assert_int_equal(check_request_with("x-custoM", "x"), H2_E_PROTOCOL);
}

static void test_bad_name_chars(void **state)
{
    (void)state;
    assert_int_equal(check_request_with("x custom", "x"), H2_E_PROTOCOL);
    assert_int_equal(check_request_with("x\x7f", "x"), H2_E_PROTOCOL);
    assert_int_equal(check_request_with("x\x80", "x"), H2_E_PROTOCOL);
    assert_int_equal(check_request_with("x\x01", "x"), H2_E_PROTOCOL);
    assert_int_equal(check_request_with("x:y", "x"), H2_E_PROTOCOL);
    /* Any other visible character is allowed by RFC 9113 8.2.1. */
    assert_int_equal(check_request_with("x-!#$%&'*+.^_`|~0-9", "x"), H2_OK);
}

static void test_value_bad_chars(void **state)
{
    h2_header fields[5];
    h2_header_rules rules = {H2_BLOCK_REQUEST, 0};
    h2_block_info info;
    static const uint8_t nul_value[3] = {'a', 0x00, 'b'};
    (void)state;
    assert_int_equal(check_request_with("x-value", "a\rb"), H2_E_PROTOCOL);
    assert_int_equal(check_request_with("x-value", "a\nb"), H2_E_PROTOCOL);
    /* A NUL cannot travel in a C string: build that field by hand. */
    request_fields_with(fields, "x-value", nul_value, 3);
    assert_int_equal(h2_headers_check(fields, 5, &rules, &info),
                     H2_E_PROTOCOL);
    fill_arena(&test_arena, fields, 5);
    assert_int_equal(h2_headers_check_arena(&test_arena, &rules, &info),
                     H2_E_PROTOCOL);
    /* Other control characters and obs-text are allowed (8.2.1). */
    assert_int_equal(check_request_with("x-value", "a\tb\x01\x80\xff"), H2_OK);
}

/* h2_headers_check_marked trusts the bytes the CHECKED bits vouch for,
 * and only those; h2_headers_check ignores the bits. */
static void test_marked_fields(void **state)
{
    h2_header fields[5];
    h2_header_rules rules = {H2_BLOCK_REQUEST, 0};
    h2_block_info info;
    (void)state;
    request_fields_with(fields, "X-Up", (const uint8_t *)"a\rb", 3);
    fields[4].flags = H2_HEADER_FIELD_NAME_CHECKED | H2_HEADER_FIELD_VALUE_CHECKED;
    assert_int_equal(h2_headers_check_marked(fields, 5, &rules, &info), H2_OK);
    assert_int_equal(h2_headers_check(fields, 5, &rules, &info), H2_E_PROTOCOL);
    fields[4].flags = H2_HEADER_FIELD_NAME_CHECKED;
    assert_int_equal(h2_headers_check_marked(fields, 5, &rules, &info),
                     H2_E_PROTOCOL);
    fields[4].flags = H2_HEADER_FIELD_VALUE_CHECKED;
    assert_int_equal(h2_headers_check_marked(fields, 5, &rules, &info),
                     H2_E_PROTOCOL);
    /* The other rules hold for marked fields. */
    fields[4].name = (const uint8_t *)"connection";
    fields[4].name_len = 10;
    fields[4].flags = H2_HEADER_FIELD_NAME_CHECKED | H2_HEADER_FIELD_VALUE_CHECKED;
    assert_int_equal(h2_headers_check_marked(fields, 5, &rules, &info),
                     H2_E_PROTOCOL);
    fields[3].flags = fields[4].flags;
    fields[4] = fields[3];
    assert_int_equal(h2_headers_check_marked(fields, 5, &rules, &info),
                     H2_E_PROTOCOL);
    /* Marked fields still give their facts. */
    request_fields_with(fields, "content-length", (const uint8_t *)"5", 1);
    fields[0].value = (const uint8_t *)"HEAD";
    fields[0].value_len = 4;
    for (size_t i = 0; i < 5; i++) {
        fields[i].flags =
            H2_HEADER_FIELD_NAME_CHECKED | H2_HEADER_FIELD_VALUE_CHECKED;
    }
    memset(&info, 0, sizeof info);
    assert_int_equal(h2_headers_check_marked(fields, 5, &rules, &info), H2_OK);
    assert_int_equal(info.method, H2_METHOD_HEAD);
    assert_int_equal(info.has_content_length, 1);
    assert_true(info.content_length == 5);
}

/* Names and values are checked several bytes at a time: a bad byte is
 * found at every position of every length up to a few blocks long. */
static void test_bad_byte_at_every_position(void **state)
{
    static const char bad_value_bytes[3] = {'\0', '\r', '\n'};
    char name[40];
    char value[40];
    size_t len;
    size_t pos;
    size_t b;
    (void)state;
    for (len = 1; len < sizeof(value); len++) {
        memset(name, 'n', len);
        name[len] = '\0';
        memset(value, 'v', len);
        value[len] = '\0';
        assert_int_equal(check_request_with(name, value), H2_OK);
        for (pos = 0; pos < len; pos++) {
            name[pos] = 'N';
            assert_int_equal(check_request_with(name, value), H2_E_PROTOCOL);
            name[pos] = 'n';
        }
    }
    /* Values: a NUL cannot travel in a C string, so build them by hand. */
    for (len = 3; len < sizeof(value); len++) {
        for (pos = 1; pos + 1 < len; pos++) {
            for (b = 0; b < sizeof(bad_value_bytes); b++) {
                h2_header fields[5];
                h2_header_rules rules = {H2_BLOCK_REQUEST, 0};
                h2_block_info info;
                memset(value, 'v', len);
                value[pos] = bad_value_bytes[b];
                request_fields_with(fields, "x-value", (const uint8_t *)value,
                                    (uint32_t)len);
                assert_int_equal(h2_headers_check(fields, 5, &rules, &info),
                                 H2_E_PROTOCOL);
                fill_arena(&test_arena, fields, 5);
                assert_int_equal(
                    h2_headers_check_arena(&test_arena, &rules, &info),
                    H2_E_PROTOCOL);
            }
        }
    }
}

static void test_value_surrounding_whitespace(void **state)
{
    (void)state;
    assert_int_equal(check_request_with("x-value", " a"), H2_E_PROTOCOL);
    assert_int_equal(check_request_with("x-value", "a "), H2_E_PROTOCOL);
    assert_int_equal(check_request_with("x-value", "\ta"), H2_E_PROTOCOL);
    assert_int_equal(check_request_with("x-value", "a\t"), H2_E_PROTOCOL);
    assert_int_equal(check_request_with("x-value", " "), H2_E_PROTOCOL);
    assert_int_equal(check_request_with("x-value", "a b"), H2_OK);
}

/* ------------------------------------------------------------------ */
/* Connection-specific fields                                          */
/* ------------------------------------------------------------------ */

static void test_connection_specific(void **state)
{
    h2_block_info info;
    pair resp[] = {{":status", "200"}, {"connection", "close"}};
    (void)state;
    assert_int_equal(check_request_with("connection", "keep-alive"),
                     H2_E_PROTOCOL);
    assert_int_equal(check_request_with("keep-alive", "timeout=5"),
                     H2_E_PROTOCOL);
    assert_int_equal(check_request_with("proxy-connection", "keep-alive"),
                     H2_E_PROTOCOL);
    assert_int_equal(check_request_with("transfer-encoding", "chunked"),
                     H2_E_PROTOCOL);
    assert_int_equal(check_request_with("upgrade", "h2c"), H2_E_PROTOCOL);
    assert_int_equal(CHECK(H2_BLOCK_RESPONSE, resp, &info), H2_E_PROTOCOL);
    /* Names that merely start alike are fine. */
    assert_int_equal(check_request_with("connections", "1"), H2_OK);
    assert_int_equal(check_request_with("upgrade-insecure-requests", "1"),
                     H2_OK);
}

static void test_te(void **state)
{
    (void)state;
    assert_int_equal(check_request_with("te", "gzip"), H2_E_PROTOCOL);
    assert_int_equal(check_request_with("te", "trailers, gzip"),
                     H2_E_PROTOCOL);
    assert_int_equal(check_request_with("te", ""), H2_E_PROTOCOL);
    assert_int_equal(check_request_with("te", "trailers"), H2_OK);
    /* Values compare case-insensitively; the name must be lowercase. */
    assert_int_equal(check_request_with("te", "Trailers"), H2_OK);
    assert_int_equal(check_request_with("te", "TRAILERS"), H2_OK);
    assert_int_equal(check_request_with("TE", "Trailers"), H2_E_PROTOCOL);
}

/* ------------------------------------------------------------------ */
/* Pseudo-headers                                                      */
/* ------------------------------------------------------------------ */

static void test_unknown_pseudo(void **state)
{
    h2_block_info info;
    pair req[] = {{":method", "GET"},
                  {":scheme", "https"},
                  {":authority", "example.com"},
                  {":path", "/"},
                  {":custom", "x"}};
    pair colon[] = {{":", "x"}, {":status", "200"}};
    pair double_colon[] = {{"::status", "200"}};
    (void)state;
    assert_int_equal(CHECK(H2_BLOCK_REQUEST, req, &info), H2_E_PROTOCOL);
    assert_int_equal(CHECK(H2_BLOCK_RESPONSE, colon, &info), H2_E_PROTOCOL);
    assert_int_equal(CHECK(H2_BLOCK_RESPONSE, double_colon, &info),
                     H2_E_PROTOCOL);
    /* Names of a known pseudo-header's length (names are told apart by
     * length first). */
    static const char *const near[] = {":patx", ":methox", ":schemx", ":statux",
                                       ":protocox", ":authoritx"};
    for (size_t k = 0; k < sizeof near / sizeof near[0]; k++) {
        pair one[] = {{":method", "GET"},   {":scheme", "https"},
                      {":path", "/"},       {near[k], "x"}};
        assert_int_equal(CHECK(H2_BLOCK_REQUEST, one, &info), H2_E_PROTOCOL);
    }
}

static void test_duplicate_pseudo(void **state)
{
    h2_block_info info;
    pair req[] = {{":method", "GET"},
                  {":scheme", "https"},
                  {":authority", "example.com"},
                  {":path", "/"},
                  {":path", "/again"}};
    pair resp[] = {{":status", "200"}, {":status", "200"}};
    (void)state;
    assert_int_equal(CHECK(H2_BLOCK_REQUEST, req, &info), H2_E_PROTOCOL);
    assert_int_equal(CHECK(H2_BLOCK_RESPONSE, resp, &info), H2_E_PROTOCOL);
}

static void test_pseudo_after_regular(void **state)
{
    h2_block_info info;
    pair req[] = {{":method", "GET"},
                  {":scheme", "https"},
                  {"user-agent", "x"},
                  {":authority", "example.com"},
                  {":path", "/"}};
    pair resp[] = {{"server", "x"}, {":status", "200"}};
    (void)state;
    assert_int_equal(CHECK(H2_BLOCK_REQUEST, req, &info), H2_E_PROTOCOL);
    assert_int_equal(CHECK(H2_BLOCK_RESPONSE, resp, &info), H2_E_PROTOCOL);
}

static void test_pseudo_in_trailers(void **state)
{
    h2_block_info info;
    pair status[] = {{":status", "200"}};
    pair path[] = {{"x-trailer", "1"}, {":path", "/"}};
    (void)state;
    assert_int_equal(CHECK(H2_BLOCK_TRAILERS, status, &info), H2_E_PROTOCOL);
    assert_int_equal(CHECK(H2_BLOCK_TRAILERS, path, &info), H2_E_PROTOCOL);
}

static void test_request_missing_pseudo(void **state)
{
    h2_block_info info;
    pair no_method[] = {{":scheme", "https"},
                        {":authority", "example.com"},
                        {":path", "/"}};
    pair no_scheme[] = {{":method", "GET"},
                        {":authority", "example.com"},
                        {":path", "/"}};
    pair no_path[] = {{":method", "GET"},
                      {":scheme", "https"},
                      {":authority", "example.com"}};
    (void)state;
    assert_int_equal(CHECK(H2_BLOCK_REQUEST, no_method, &info),
                     H2_E_PROTOCOL);
    assert_int_equal(CHECK(H2_BLOCK_REQUEST, no_scheme, &info),
                     H2_E_PROTOCOL);
    assert_int_equal(CHECK(H2_BLOCK_REQUEST, no_path, &info), H2_E_PROTOCOL);
}

static void test_empty_path(void **state)
{
    h2_block_info info;
    pair req[] = {{":method", "GET"},
                  {":scheme", "https"},
                  {":authority", "example.com"},
                  {":path", ""}};
    pair star[] = {{":method", "OPTIONS"},
                   {":scheme", "https"},
                   {":authority", "example.com"},
                   {":path", "*"}};
    (void)state;
    assert_int_equal(CHECK(H2_BLOCK_REQUEST, req, &info), H2_E_PROTOCOL);
    assert_int_equal(CHECK(H2_BLOCK_REQUEST, star, &info), H2_OK);
}

static void test_status_in_request(void **state)
{
    h2_block_info info;
    pair req[] = {{":method", "GET"},
                  {":scheme", "https"},
                  {":authority", "example.com"},
                  {":path", "/"},
                  {":status", "200"}};
    (void)state;
    assert_int_equal(CHECK(H2_BLOCK_REQUEST, req, &info), H2_E_PROTOCOL);
}

static void test_request_pseudo_in_response(void **state)
{
    h2_block_info info;
    pair path[] = {{":status", "200"}, {":path", "/"}};
    pair method[] = {{":method", "GET"}, {":status", "200"}};
    pair authority[] = {{":status", "200"}, {":authority", "example.com"}};
    pair protocol[] = {{":status", "200"}, {":protocol", "websocket"}};
    (void)state;
    assert_int_equal(CHECK(H2_BLOCK_RESPONSE, path, &info), H2_E_PROTOCOL);
    assert_int_equal(CHECK(H2_BLOCK_RESPONSE, method, &info), H2_E_PROTOCOL);
    assert_int_equal(CHECK(H2_BLOCK_RESPONSE, authority, &info),
                     H2_E_PROTOCOL);
    assert_int_equal(CHECK_CP(H2_BLOCK_RESPONSE, protocol, &info),
                     H2_E_PROTOCOL);
}

static void test_response_missing_status(void **state)
{
    h2_block_info info;
    pair resp[] = {{"content-type", "text/plain"}};
    (void)state;
    assert_int_equal(CHECK(H2_BLOCK_RESPONSE, resp, &info), H2_E_PROTOCOL);
    assert_int_equal(check_kind(H2_BLOCK_RESPONSE, 0, resp, 0, &info),
                     H2_E_PROTOCOL);
}

static h2_status check_status(const char *status, h2_block_info *info)
{
    pair resp[] = {{":status", status}};
    return CHECK(H2_BLOCK_RESPONSE, resp, info);
}

static void test_bad_status(void **state)
{
    h2_block_info info;
    (void)state;
    assert_int_equal(check_status("20", &info), H2_E_PROTOCOL);
    assert_int_equal(check_status("2000", &info), H2_E_PROTOCOL);
    assert_int_equal(check_status("abc", &info), H2_E_PROTOCOL);
    assert_int_equal(check_status("2x0", &info), H2_E_PROTOCOL);
    assert_int_equal(check_status("", &info), H2_E_PROTOCOL);
    assert_int_equal(check_status("099", &info), H2_E_PROTOCOL);
    assert_int_equal(check_status("404", &info), H2_OK);
    assert_int_equal(info.status, 404);
    assert_int_equal(info.informational, 0);
    assert_int_equal(check_status("100", &info), H2_OK);
    assert_int_equal(info.informational, 1);
    assert_int_equal(check_status("199", &info), H2_OK);
    assert_int_equal(info.informational, 1);
    assert_int_equal(check_status("999", &info), H2_OK);
    assert_int_equal(info.status, 999);
}

/* ------------------------------------------------------------------ */
/* CONNECT (RFC 9113 8.5) and extended CONNECT (RFC 8441 4)            */
/* ------------------------------------------------------------------ */

static void test_connect(void **state)
{
    h2_block_info info;
    pair ok[] = {{":method", "CONNECT"}, {":authority", "example.com:443"}};
    pair with_path[] = {{":method", "CONNECT"},
                        {":authority", "example.com:443"},
                        {":path", "/"}};
    pair with_scheme[] = {{":method", "CONNECT"},
                          {":authority", "example.com:443"},
                          {":scheme", "https"}};
    pair no_authority[] = {{":method", "CONNECT"}, {"host", "example.com"}};
    (void)state;
    assert_int_equal(CHECK(H2_BLOCK_REQUEST, ok, &info), H2_OK);
    assert_int_equal(info.method, H2_METHOD_CONNECT);
    assert_int_equal(info.extended_connect, 0);
    assert_int_equal(CHECK(H2_BLOCK_REQUEST, with_path, &info),
                     H2_E_PROTOCOL);
    assert_int_equal(CHECK(H2_BLOCK_REQUEST, with_scheme, &info),
                     H2_E_PROTOCOL);
    assert_int_equal(CHECK(H2_BLOCK_REQUEST, no_authority, &info),
                     H2_E_PROTOCOL);
}

static void test_extended_connect(void **state)
{
    h2_block_info info;
    pair ok[] = {{":method", "CONNECT"},
                 {":protocol", "websocket"},
                 {":scheme", "https"},
                 {":path", "/chat"},
                 {":authority", "server.example.com"},
                 {"sec-websocket-version", "13"}};
    pair no_path[] = {{":method", "CONNECT"},
                      {":protocol", "websocket"},
                      {":scheme", "https"},
                      {":authority", "server.example.com"}};
    pair no_scheme[] = {{":method", "CONNECT"},
                        {":protocol", "websocket"},
                        {":path", "/chat"},
                        {":authority", "server.example.com"}};
    pair no_authority[] = {{":method", "CONNECT"},
                           {":protocol", "websocket"},
                           {":scheme", "https"},
                           {":path", "/chat"},
                           {"host", "server.example.com"}};
    pair with_get[] = {{":method", "GET"},
                       {":protocol", "websocket"},
                       {":scheme", "https"},
                       {":path", "/chat"},
                       {":authority", "server.example.com"}};
    (void)state;
    assert_int_equal(CHECK_CP(H2_BLOCK_REQUEST, ok, &info), H2_OK);
    assert_int_equal(info.method, H2_METHOD_CONNECT);
    assert_int_equal(info.extended_connect, 1);
    assert_int_equal(CHECK_CP(H2_BLOCK_REQUEST, no_path, &info),
                     H2_E_PROTOCOL);
    assert_int_equal(CHECK_CP(H2_BLOCK_REQUEST, no_scheme, &info),
                     H2_E_PROTOCOL);
    assert_int_equal(CHECK_CP(H2_BLOCK_REQUEST, no_authority, &info),
                     H2_E_PROTOCOL);
    /* :protocol needs SETTINGS_ENABLE_CONNECT_PROTOCOL ... */
    assert_int_equal(CHECK(H2_BLOCK_REQUEST, ok, &info), H2_E_PROTOCOL);
    /* ... and the CONNECT method. */
    assert_int_equal(CHECK_CP(H2_BLOCK_REQUEST, with_get, &info),
                     H2_E_PROTOCOL);
}

/* ------------------------------------------------------------------ */
/* :authority and host                                                 */
/* ------------------------------------------------------------------ */

static void test_authority_and_host(void **state)
{
    h2_block_info info;
    pair neither[] = {{":method", "GET"}, {":scheme", "https"}, {":path", "/"}};
    pair host_only[] = {{":method", "GET"},
                        {":scheme", "https"},
                        {":path", "/"},
                        {"host", "example.com"}};
    pair both_equal[] = {{":method", "GET"},
                         {":scheme", "https"},
                         {":authority", "example.com"},
                         {":path", "/"},
                         {"host", "example.com"}};
    pair mismatch[] = {{":method", "GET"},
                       {":scheme", "https"},
                       {":authority", "example.com"},
                       {":path", "/"},
                       {"host", "example.org"}};
    pair two_hosts[] = {{":method", "GET"},
                        {":scheme", "https"},
                        {":path", "/"},
                        {"host", "example.com"},
                        {"host", "example.com"}};
    (void)state;
    assert_int_equal(CHECK(H2_BLOCK_REQUEST, neither, &info), H2_E_PROTOCOL);
    assert_int_equal(CHECK(H2_BLOCK_REQUEST, host_only, &info), H2_OK);
    assert_int_equal(CHECK(H2_BLOCK_REQUEST, both_equal, &info), H2_OK);
    assert_int_equal(CHECK(H2_BLOCK_REQUEST, mismatch, &info), H2_E_PROTOCOL);
    assert_int_equal(CHECK(H2_BLOCK_REQUEST, two_hosts, &info),
                     H2_E_PROTOCOL);
}

/* ------------------------------------------------------------------ */
/* content-length                                                      */
/* ------------------------------------------------------------------ */

static void test_content_length(void **state)
{
    h2_block_info info;
    pair zero[] = {{":status", "200"}, {"content-length", "0"}};
    pair max[] = {{":status", "200"},
                  {"content-length", "9223372036854775807"}};
    pair leading_zeros[] = {{":status", "200"}, {"content-length", "007"}};
    (void)state;
    assert_int_equal(CHECK(H2_BLOCK_RESPONSE, zero, &info), H2_OK);
    assert_int_equal(info.has_content_length, 1);
    assert_true(info.content_length == 0u);
    assert_int_equal(CHECK(H2_BLOCK_RESPONSE, max, &info), H2_OK);
    assert_true(info.content_length == UINT64_C(9223372036854775807));
    assert_int_equal(CHECK(H2_BLOCK_RESPONSE, leading_zeros, &info), H2_OK);
    assert_true(info.content_length == 7u);
}

static void test_content_length_invalid(void **state)
{
    (void)state;
    assert_int_equal(check_request_with("content-length", "12a"),
                     H2_E_PROTOCOL);
    assert_int_equal(check_request_with("content-length", ""), H2_E_PROTOCOL);
    assert_int_equal(check_request_with("content-length", "-1"),
                     H2_E_PROTOCOL);
    assert_int_equal(check_request_with("content-length", "+1"),
                     H2_E_PROTOCOL);
    assert_int_equal(check_request_with("content-length", "1 2"),
                     H2_E_PROTOCOL);
    assert_int_equal(check_request_with("content-length", "1,1"),
                     H2_E_PROTOCOL);
    /* 2^63 and far beyond. */
    assert_int_equal(check_request_with("content-length",
                                        "9223372036854775808"),
                     H2_E_PROTOCOL);
    assert_int_equal(check_request_with("content-length",
                                        "18446744073709551616"),
                     H2_E_PROTOCOL);
    assert_int_equal(check_request_with("content-length",
                                        "99999999999999999999999999"),
                     H2_E_PROTOCOL);
}

static void test_content_length_repeated(void **state)
{
    h2_block_info info;
    pair same[] = {{":status", "200"},
                   {"content-length", "42"},
                   {"content-length", "42"}};
    pair different[] = {{":status", "200"},
                        {"content-length", "42"},
                        {"content-length", "43"}};
    (void)state;
    assert_int_equal(CHECK(H2_BLOCK_RESPONSE, same, &info), H2_OK);
    assert_int_equal(info.has_content_length, 1);
    assert_true(info.content_length == 42u);
    assert_int_equal(CHECK(H2_BLOCK_RESPONSE, different, &info),
                     H2_E_PROTOCOL);
}

/* ------------------------------------------------------------------ */
/* Cookie join (RFC 9113 8.2.3)                                        */
/* ------------------------------------------------------------------ */

static void assert_arena_field(const h2_header_arena *arena, uint32_t index,
                               const char *name, const char *value)
{
    h2_header f;
    assert_true(index < arena->count);
    h2_header_arena_get(arena, index, &f);
    assert_int_equal(f.name_len, strlen(name));
    assert_memory_equal(f.name, name, f.name_len);
    assert_int_equal(f.value_len, strlen(value));
    if (f.value_len > 0) {
        assert_memory_equal(f.value, value, f.value_len);
    }
}

static void test_join_cookies(void **state)
{
    h2_header fields[MAX_TEST_FIELDS];
    h2_header f;
    uint32_t used_before;
    pair list[] = {{":method", "GET"},
                   {"cookie", "a=b"},
                   {":path", "/"},
                   {"user-agent", "x"},
                   {"cookie", "c=d"},
                   {"accept", "*/*"},
                   {"cookie", "e=f"},
                   {"x-last", "1"}};
    (void)state;
    to_headers(list, 8, fields);
    fill_arena(&test_arena, fields, 8);
    used_before = test_arena.used;
    h2_headers_join_cookies(&test_arena);
    assert_int_equal(test_arena.count, 6);
    assert_true(test_arena.used <= used_before);
    assert_arena_field(&test_arena, 0, ":method", "GET");
    assert_arena_field(&test_arena, 1, ":path", "/");
    assert_arena_field(&test_arena, 2, "user-agent", "x");
    assert_arena_field(&test_arena, 3, "accept", "*/*");
    assert_arena_field(&test_arena, 4, "x-last", "1");
    assert_arena_field(&test_arena, 5, "cookie", "a=b; c=d; e=f");
    h2_header_arena_get(&test_arena, 5, &f);
    assert_int_equal(f.flags, H2_HEADER_FIELD_NEVER_INDEXED);
}

static void test_join_cookies_all_cookies(void **state)
{
    h2_header fields[MAX_TEST_FIELDS];
    pair list[] = {{"cookie", "first=1"},
                   {"cookie", ""},
                   {"cookie", "third=333333333333333333333333"}};
    (void)state;
    to_headers(list, 3, fields);
    fill_arena(&test_arena, fields, 3);
    h2_headers_join_cookies(&test_arena);
    assert_int_equal(test_arena.count, 1);
    assert_arena_field(&test_arena, 0, "cookie",
                       "first=1; ; third=333333333333333333333333");
}

static void test_join_cookies_crumbs_first(void **state)
{
    h2_header fields[MAX_TEST_FIELDS];
    pair list[] = {{"cookie", "a=b"},
                   {"cookie", "c=d"},
                   {"x-1", "one"},
                   {"x-2", "two"}};
    (void)state;
    to_headers(list, 4, fields);
    fill_arena(&test_arena, fields, 4);
    h2_headers_join_cookies(&test_arena);
    assert_int_equal(test_arena.count, 3);
    assert_arena_field(&test_arena, 0, "x-1", "one");
    assert_arena_field(&test_arena, 1, "x-2", "two");
    assert_arena_field(&test_arena, 2, "cookie", "a=b; c=d");
    assert_int_equal(test_arena.used, strlen("x-1one") + strlen("x-2two") +
                                          strlen("cookiea=b; c=d"));
}

static void test_join_single_cookie_untouched(void **state)
{
    h2_header fields[MAX_TEST_FIELDS];
    h2_header_arena before;
    pair list[] = {{":status", "200"}, {"cookie", "a=b"}, {"x-other", "1"}};
    (void)state;
    to_headers(list, 3, fields);
    fill_arena(&test_arena, fields, 3);
    memcpy(&before, &test_arena, sizeof(before));
    h2_headers_join_cookies(&test_arena);
    assert_memory_equal(&before, &test_arena, sizeof(before));
}

static void test_join_no_cookie(void **state)
{
    h2_header fields[MAX_TEST_FIELDS];
    h2_header_arena before;
    pair list[] = {{":status", "200"}, {"cookies", "a=b"}, {"x-cookie", "1"}};
    (void)state;
    to_headers(list, 3, fields);
    fill_arena(&test_arena, fields, 3);
    memcpy(&before, &test_arena, sizeof(before));
    h2_headers_join_cookies(&test_arena);
    assert_memory_equal(&before, &test_arena, sizeof(before));
    h2_header_arena_reset(&test_arena);
    h2_headers_join_cookies(&test_arena);
    assert_int_equal(test_arena.count, 0);
}

static void test_join_cookies_many(void **state)
{
    h2_header fields[MAX_TEST_FIELDS];
    pair list[] = {{"cookie", "k1=v1"}, {"x-a", "a"},         {"cookie", "k2=v2"},
                   {"x-b", "b"},         {"cookie", "k3=v3"}, {"cookie", "k4=v4"},
                   {"x-c", "c"},         {"cookie", "k5=v5"}};
    (void)state;
    to_headers(list, 8, fields);
    fill_arena(&test_arena, fields, 8);
    h2_headers_join_cookies(&test_arena);
    assert_int_equal(test_arena.count, 4);
    assert_arena_field(&test_arena, 0, "x-a", "a");
    assert_arena_field(&test_arena, 1, "x-b", "b");
    assert_arena_field(&test_arena, 2, "x-c", "c");
    assert_arena_field(&test_arena, 3, "cookie",
                       "k1=v1; k2=v2; k3=v3; k4=v4; k5=v5");
}

/* Fields not laid out as the decoder lays them out are left alone. */
static void test_join_cookies_unpacked_untouched(void **state)
{
    h2_header fields[MAX_TEST_FIELDS];
    h2_header_arena before;
    pair list[] = {{"cookie", "a=b"}, {"x-other", "1"}, {"cookie", "c=d"}};
    (void)state;
    to_headers(list, 3, fields);
    fill_arena(&test_arena, fields, 3);
    /* The second field's value now ends one byte short of the third
     * field's name: a gap. */
    test_arena.fields[1].value_len = 0;
    memcpy(&before, &test_arena, sizeof(before));
    h2_headers_join_cookies(&test_arena);
    assert_memory_equal(&before, &test_arena, sizeof(before));
}

/* ------------------------------------------------------------------ */
/* Outbound                                                            */
/* ------------------------------------------------------------------ */

static void assert_header(const h2_header *h, const char *name,
                          const char *value, uint8_t flags)
{
    assert_int_equal(h->name_len, strlen(name));
    assert_memory_equal(h->name, name, h->name_len);
    assert_int_equal(h->value_len, strlen(value));
    assert_memory_equal(h->value, value, h->value_len);
    assert_int_equal(h->flags, flags);
}

static void test_prepare_outbound_split(void **state)
{
    h2_header fields[MAX_TEST_FIELDS];
    h2_header out[MAX_TEST_FIELDS];
    size_t n = 99;
    const char *long_crumb = "session=0123456789abcdef";
    char value[64];
    pair list[] = {{":method", "GET"},
                   {"cookie", "a=b; c=d"},
                   {"accept", "*/*"},
                   {"cookie", value}};
    (void)state;
    snprintf(value, sizeof(value), "; %s; ; x=1; ", long_crumb);
    to_headers(list, 4, fields);
    assert_int_equal(h2_headers_prepare_outbound(fields, 4, out, 16, &n),
                     H2_OK);
    assert_int_equal(n, 6);
    assert_header(&out[0], ":method", "GET", 0);
    assert_header(&out[1], "cookie", "a=b", H2_HEADER_FIELD_NEVER_INDEXED);
    assert_header(&out[2], "cookie", "c=d", H2_HEADER_FIELD_NEVER_INDEXED);
    assert_header(&out[3], "accept", "*/*", 0);
    /* A crumb of 20 bytes or more stays indexable. */
    assert_true(strlen(long_crumb) >= 20);
    assert_header(&out[4], "cookie", long_crumb, 0);
    assert_header(&out[5], "cookie", "x=1", H2_HEADER_FIELD_NEVER_INDEXED);
    /* Zero copy: the crumbs point into the input value. */
    assert_ptr_equal(out[2].value, fields[1].value + 5);
}

static void test_prepare_outbound_no_split_without_space(void **state)
{
    h2_header fields[MAX_TEST_FIELDS];
    h2_header out[MAX_TEST_FIELDS];
    size_t n = 0;
    pair list[] = {{"cookie", "a=b;c=d"}};
    (void)state;
    to_headers(list, 1, fields);
    assert_int_equal(h2_headers_prepare_outbound(fields, 1, out, 16, &n),
                     H2_OK);
    assert_int_equal(n, 1);
    assert_header(&out[0], "cookie", "a=b;c=d", H2_HEADER_FIELD_NEVER_INDEXED);
    /* Values too short to hold a separator. */
    pair tiny[] = {{"cookie", "a"}, {"cookie", ""}};
    to_headers(tiny, 2, fields);
    assert_int_equal(h2_headers_prepare_outbound(fields, 2, out, 16, &n),
                     H2_OK);
    assert_int_equal(n, 1);
    assert_header(&out[0], "cookie", "a", H2_HEADER_FIELD_NEVER_INDEXED);
}

/* Every cookie value of up to 7 bytes of ';', ' ' and 'a' splits at each
 * "; " and nowhere else, whatever the separators' positions. */
static void test_prepare_outbound_split_every_position(void **state)
{
    static const char alphabet[3] = {';', ' ', 'a'};
    h2_header field;
    h2_header out[8];
    char value[8];
    (void)state;
    for (size_t len = 0; len <= 7; len++) {
        size_t combos = 1;
        for (size_t k = 0; k < len; k++) {
            combos *= 3;
        }
        for (size_t code = 0; code < combos; code++) {
            size_t c = code;
            for (size_t k = 0; k < len; k++) {
                value[k] = alphabet[c % 3];
                c /= 3;
            }
            value[len] = '\0';
            field.name = (const uint8_t *)"cookie";
            field.name_len = 6;
            field.value = (const uint8_t *)value;
            field.value_len = (uint32_t)len;
            field.flags = 0;
            size_t n = 99;
            assert_int_equal(h2_headers_prepare_outbound(&field, 1, out, 8, &n),
                             H2_OK);
            /* The crumbs as strstr finds them, empty ones left out. */
            size_t want = 0;
            const char *crumb = value;
            for (;;) {
                const char *sep = strstr(crumb, "; ");
                size_t crumb_len = sep != NULL ? (size_t)(sep - crumb) : strlen(crumb);
                if (crumb_len > 0) {
                    assert_true(want < n);
                    assert_ptr_equal(out[want].value, (const uint8_t *)crumb);
                    assert_int_equal(out[want].value_len, crumb_len);
                    want++;
                }
                if (sep == NULL) {
                    break;
                }
                crumb = sep + 2;
            }
            assert_int_equal(n, want);
        }
    }
}

static void test_prepare_outbound_never_indexed(void **state)
{
    h2_header fields[MAX_TEST_FIELDS];
    h2_header out[MAX_TEST_FIELDS];
    size_t n = 0;
    pair list[] = {{"authorization", "Basic dXNlcjpwYXNzd29yZA=="},
                   {"proxy-authorization", "Bearer abc"},
                   {"x-authorization", "not special"},
                   {"cookie", "0123456789abcdefghij"}};
    (void)state;
    to_headers(list, 4, fields);
    fields[2].flags = H2_HEADER_FIELD_NEVER_INDEXED; /* caller's flag kept */
    assert_int_equal(h2_headers_prepare_outbound(fields, 4, out, 4, &n),
                     H2_OK);
    assert_int_equal(n, 4);
    assert_header(&out[0], "authorization", "Basic dXNlcjpwYXNzd29yZA==",
                  H2_HEADER_FIELD_NEVER_INDEXED);
    assert_header(&out[1], "proxy-authorization", "Bearer abc",
                  H2_HEADER_FIELD_NEVER_INDEXED);
    assert_header(&out[2], "x-authorization", "not special",
                  H2_HEADER_FIELD_NEVER_INDEXED);
    assert_header(&out[3], "cookie", "0123456789abcdefghij", 0);
}

static void test_prepare_outbound_too_small(void **state)
{
    h2_header fields[MAX_TEST_FIELDS];
    h2_header out[MAX_TEST_FIELDS];
    size_t n = 0;
    pair list[] = {{":status", "200"}, {"cookie", "a=b; c=d"}};
    (void)state;
    to_headers(list, 2, fields);
    assert_int_equal(h2_headers_prepare_outbound(fields, 2, out, 2, &n),
                     H2_E_BUFFER_TOO_SMALL);
    assert_int_equal(h2_headers_prepare_outbound(fields, 2, out, 0, &n),
                     H2_E_BUFFER_TOO_SMALL);
    assert_int_equal(h2_headers_prepare_outbound(fields, 2, out, 3, &n),
                     H2_OK);
    assert_int_equal(n, 3);
    assert_int_equal(h2_headers_prepare_outbound(fields, 0, out, 0, &n),
                     H2_OK);
    assert_int_equal(n, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_request),
        cmocka_unit_test(test_valid_response),
        cmocka_unit_test(test_valid_informational),
        cmocka_unit_test(test_valid_trailers),
        cmocka_unit_test(test_head_detected),
        cmocka_unit_test(test_empty_name),
        cmocka_unit_test(test_uppercase_name),
        cmocka_unit_test(test_bad_name_chars),
        cmocka_unit_test(test_value_bad_chars),
        cmocka_unit_test(test_marked_fields),
        cmocka_unit_test(test_bad_byte_at_every_position),
        cmocka_unit_test(test_value_surrounding_whitespace),
        cmocka_unit_test(test_connection_specific),
        cmocka_unit_test(test_te),
        cmocka_unit_test(test_unknown_pseudo),
        cmocka_unit_test(test_duplicate_pseudo),
        cmocka_unit_test(test_pseudo_after_regular),
        cmocka_unit_test(test_pseudo_in_trailers),
        cmocka_unit_test(test_request_missing_pseudo),
        cmocka_unit_test(test_empty_path),
        cmocka_unit_test(test_status_in_request),
        cmocka_unit_test(test_request_pseudo_in_response),
        cmocka_unit_test(test_response_missing_status),
        cmocka_unit_test(test_bad_status),
        cmocka_unit_test(test_connect),
        cmocka_unit_test(test_extended_connect),
        cmocka_unit_test(test_authority_and_host),
        cmocka_unit_test(test_content_length),
        cmocka_unit_test(test_content_length_invalid),
        cmocka_unit_test(test_content_length_repeated),
        cmocka_unit_test(test_join_cookies),
        cmocka_unit_test(test_join_cookies_all_cookies),
        cmocka_unit_test(test_join_cookies_crumbs_first),
        cmocka_unit_test(test_join_single_cookie_untouched),
        cmocka_unit_test(test_join_no_cookie),
        cmocka_unit_test(test_join_cookies_many),
        cmocka_unit_test(test_join_cookies_unpacked_untouched),
        cmocka_unit_test(test_prepare_outbound_split),
        cmocka_unit_test(test_prepare_outbound_no_split_without_space),
        cmocka_unit_test(test_prepare_outbound_split_every_position),
        cmocka_unit_test(test_prepare_outbound_never_indexed),
        cmocka_unit_test(test_prepare_outbound_too_small),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
