/*
 * libh2 headers layer: validation of the header lists we receive and send
 * (RFC 9113 sections 8.2, 8.3 and 8.5, RFC 8441 section 4) and their
 * normalization (cookie crumbs, never-indexed fields).
 *
 * Both check entry points feed each field to one core (hdr_check_field)
 * that remembers what the block said so far in a small state; the rules
 * that need the whole block run at the end (hdr_check_end).
 */
#include "h2_headers.h"

#include "h2_bytes.h"

/* Slots of hdr_check_state.seen, one per pseudo-header we know. */
#define HDR_PSEUDO_UNKNOWN 0u
#define HDR_PSEUDO_METHOD 1u
#define HDR_PSEUDO_SCHEME 2u
#define HDR_PSEUDO_AUTHORITY 3u
#define HDR_PSEUDO_PATH 4u
#define HDR_PSEUDO_PROTOCOL 5u
#define HDR_PSEUDO_STATUS 6u
#define HDR_PSEUDO_SLOTS 7u

/* 2^63 - 1: content-length values above it are refused (they fit no
 * signed 64-bit offset a user might keep them in). */
#define HDR_CONTENT_LENGTH_MAX 9223372036854775807ull

/* h2 leaves longer cookie crumbs indexable: short ones are the ones a
 * compression oracle guesses quickly. */
#define HDR_COOKIE_INDEX_MIN 20u

/* Name characters (RFC 9113 8.2.1): 0x21-0x7e without uppercase and
 * without the colon, which only a pseudo-header's first byte may be. */
static const uint8_t hdr_name_char_ok[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1,
    1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

/* Value characters (RFC 9113 8.2.1): anything but NUL, LF and CR. */
static const uint8_t hdr_value_char_ok[256] = {
    0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 0, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};

/* Names and values compared against; every name is lowercase already
 * when compared (uppercase names are refused first). */
static const uint8_t hdr_lit_method[7] = {':', 'm', 'e', 't', 'h', 'o', 'd'};
static const uint8_t hdr_lit_scheme[7] = {':', 's', 'c', 'h', 'e', 'm', 'e'};
static const uint8_t hdr_lit_authority[10] = {':', 'a', 'u', 't', 'h',
                                              'o', 'r', 'i', 't', 'y'};
static const uint8_t hdr_lit_path[5] = {':', 'p', 'a', 't', 'h'};
static const uint8_t hdr_lit_protocol[9] = {':', 'p', 'r', 'o', 't',
                                            'o', 'c', 'o', 'l'};
static const uint8_t hdr_lit_status[7] = {':', 's', 't', 'a', 't', 'u', 's'};
static const uint8_t hdr_lit_connection[10] = {'c', 'o', 'n', 'n', 'e',
                                               'c', 't', 'i', 'o', 'n'};
static const uint8_t hdr_lit_keep_alive[10] = {'k', 'e', 'e', 'p', '-',
                                               'a', 'l', 'i', 'v', 'e'};
static const uint8_t hdr_lit_proxy_connection[16] = {
    'p', 'r', 'o', 'x', 'y', '-', 'c', 'o',
    'n', 'n', 'e', 'c', 't', 'i', 'o', 'n'};
static const uint8_t hdr_lit_transfer_encoding[17] = {
    't', 'r', 'a', 'n', 's', 'f', 'e', 'r', '-',
    'e', 'n', 'c', 'o', 'd', 'i', 'n', 'g'};
static const uint8_t hdr_lit_upgrade[7] = {'u', 'p', 'g', 'r', 'a', 'd', 'e'};
static const uint8_t hdr_lit_te[2] = {'t', 'e'};
static const uint8_t hdr_lit_trailers[8] = {'t', 'r', 'a', 'i',
                                            'l', 'e', 'r', 's'};
static const uint8_t hdr_lit_host[4] = {'h', 'o', 's', 't'};
static const uint8_t hdr_lit_content_length[14] = {
    'c', 'o', 'n', 't', 'e', 'n', 't', '-', 'l', 'e', 'n', 'g', 't', 'h'};
static const uint8_t hdr_lit_cookie[6] = {'c', 'o', 'o', 'k', 'i', 'e'};
static const uint8_t hdr_lit_authorization[13] = {
    'a', 'u', 't', 'h', 'o', 'r', 'i', 'z', 'a', 't', 'i', 'o', 'n'};
static const uint8_t hdr_lit_proxy_authorization[19] = {
    'p', 'r', 'o', 'x', 'y', '-', 'a', 'u', 't', 'h',
    'o', 'r', 'i', 'z', 'a', 't', 'i', 'o', 'n'};
static const uint8_t hdr_lit_head[4] = {'H', 'E', 'A', 'D'};
static const uint8_t hdr_lit_connect[7] = {'C', 'O', 'N', 'N',
                                           'E', 'C', 'T'};

/* What the fields seen so far said. */
typedef struct hdr_check_state {
    uint8_t seen[HDR_PSEUDO_SLOTS]; /* pseudo-headers seen, by slot */
    uint8_t seen_regular;           /* a regular field came already */
    uint8_t method;                 /* h2_method of :method */
    uint8_t host_count;             /* host fields in a request, 0 or 1 */
    uint8_t has_content_length;
    uint16_t status;                /* :status of a response */
    size_t authority_index;         /* field holding :authority */
    size_t host_index;              /* field holding host */
    uint64_t content_length;
} hdr_check_state;

/*@ predicate hdr_state_values_ok(hdr_check_state *st) =
        st->method <= H2_METHOD_CONNECT &&
        st->host_count <= 1 &&
        st->status <= 999 &&
        (st->has_content_length != 0 ==>
            st->content_length <= 9223372036854775807);

    // The state after n fields: the indices it keeps name earlier fields.
    predicate hdr_state_ok(hdr_check_state *st, integer n) =
        hdr_state_values_ok(st) &&
        (st->seen[HDR_PSEUDO_AUTHORITY] != 0 ==> st->authority_index < n) &&
        (st->host_count != 0 ==> st->host_index < n);

    predicate hdr_info_ok(h2_block_info *info) =
        info->status <= 999 &&
        info->informational <= 1 &&
        info->method <= H2_METHOD_CONNECT &&
        info->extended_connect <= 1 &&
        info->has_content_length <= 1 &&
        (info->has_content_length != 0 ==>
            info->content_length <= 9223372036854775807);

    predicate hdr_fields_readable(h2_header *fields, integer count) =
        \valid_read(fields + (0 .. count - 1)) &&
        (\forall integer i; 0 <= i < count ==>
            \valid_read(fields[i].name + (0 .. fields[i].name_len - 1)) &&
            \valid_read(fields[i].value + (0 .. fields[i].value_len - 1)));

    // Complete fields lie within the arena's used bytes.
    predicate hdr_arena_ok(h2_header_arena *a) =
        a->used <= H2_HEADER_ARENA_CAPACITY &&
        a->count <= H2_HEADER_ARENA_FIELDS &&
        (\forall integer k; 0 <= k < a->count ==>
            a->fields[k].name_offset + a->fields[k].name_len <= a->used &&
            a->fields[k].value_offset + a->fields[k].value_len <= a->used);

    logic integer hdr_value_end(h2_header_arena *a, integer k) =
        a->fields[k].value_offset + a->fields[k].value_len;
*/

/* ------------------------------------------------------------------ */
/* Byte-string helpers                                                 */
/* ------------------------------------------------------------------ */

/*@ requires \valid_read(p + (0 .. len - 1));
    requires \valid_read(lit + (0 .. lit_len - 1));
    assigns \nothing;
    ensures \result == 0 || \result == 1;
    ensures \result == 1 ==> len == lit_len;
*/
static int hdr_bytes_are(const uint8_t *p, uint32_t len, const uint8_t *lit,
                         uint32_t lit_len)
{
    /* The last byte first: names of one length that share a first byte
     * (the pseudo-headers' colon) mostly differ there. */
    if (len != lit_len || (len != 0u && p[len - 1u] != lit[len - 1u])) {
        return 0;
    }
    return h2_bytes_equal(p, lit, len);
}

/*@ assigns \nothing;
    ensures 0x41 <= c <= 0x5a ==> \result == c + 0x20;
    ensures !(0x41 <= c <= 0x5a) ==> \result == c;
*/
static uint8_t hdr_ascii_lower(uint8_t c)
{
    if (c >= 0x41u && c <= 0x5au) {
        return (uint8_t)(c + 0x20u);
    }
    return c;
}

/* ASCII case-insensitive comparison with a lowercase literal. */
/*@ requires \valid_read(p + (0 .. len - 1));
    requires \valid_read(lit + (0 .. lit_len - 1));
    assigns \nothing;
    ensures \result == 0 || \result == 1;
*/
static int hdr_bytes_are_nocase(const uint8_t *p, uint32_t len,
                                const uint8_t *lit, uint32_t lit_len)
{
    uint32_t i;
    if (len != lit_len) {
        return 0;
    }
    /*@ loop invariant 0 <= i <= len;
        loop assigns i;
        loop variant len - i;
    */
    for (i = 0u; i < len; i++) {
        if (hdr_ascii_lower(p[i]) != lit[i]) {
            return 0;
        }
    }
    return 1;
}

/* ------------------------------------------------------------------ */
/* Field syntax (RFC 9113 8.2.1)                                       */
/* ------------------------------------------------------------------ */

/* Nonzero when ok allows all four bytes q[0..4): the entries ANDed, one
 * test for the four. */
/*@ requires \valid_read(ok + (0 .. 255));
    requires \valid_read(q + (0 .. 3));
    assigns \nothing;
*/
static int hdr_block4_ok(const uint8_t *ok, const uint8_t *q)
{
    return ok[q[0]] & ok[q[1]] & ok[q[2]] & ok[q[3]];
}

/* The same for the eight bytes q[0..8). */
/*@ requires \valid_read(ok + (0 .. 255));
    requires \valid_read(q + (0 .. 7));
    assigns \nothing;
*/
static int hdr_block8_ok(const uint8_t *ok, const uint8_t *q)
{
    return hdr_block4_ok(ok, q) & hdr_block4_ok(ok, q + 4);
}

/* 1 when every byte of p[0..n) is allowed by ok (a table of 0 and 1).
 * Eight bytes a step, one test for all eight, and the last bytes as one
 * block that overlaps the bytes already checked (checking a byte twice
 * changes nothing): every field name and value sent and received goes
 * through here. */
/*@ requires \valid_read(ok + (0 .. 255));
    requires \valid_read(p + (0 .. n - 1));
    assigns \nothing;
    ensures \result == 0 || \result == 1;
*/
static int hdr_bytes_all_ok(const uint8_t *ok, const uint8_t *p, size_t n)
{
    size_t i;

    if (n < 4u) {
        /*@ loop invariant 0 <= i <= n;
            loop assigns i;
            loop variant n - i;
        */
        for (i = 0u; i < n; i++) {
            if (ok[p[i]] == 0u) {
                return 0;
            }
        }
        return 1;
    }
    if (n < 8u) {
        return (hdr_block4_ok(ok, p) & hdr_block4_ok(ok, p + (n - 4u))) != 0;
    }
    /*@ loop invariant 0 <= i <= n;
        loop assigns i;
        loop variant n - i;
    */
    for (i = 0u; i < n - 7u; i += 8u) {
        if (hdr_block8_ok(ok, p + i) == 0) {
            return 0;
        }
    }
    return hdr_block8_ok(ok, p + (n - 8u)) != 0;
}

/*@ requires \valid_read(name + (0 .. name_len - 1));
    assigns \nothing;
    ensures \result == 0 || \result == 1;
    ensures \result == 1 ==> name_len >= 1;
*/
static int hdr_name_is_valid(const uint8_t *name, uint32_t name_len)
{
    uint32_t i = 0u;
    if (name_len == 0u) {
        return 0;
    }
    if (name[0] == (uint8_t)':') {
        i = 1u; /* a pseudo-header; which ones exist is checked later */
    }
    return hdr_bytes_all_ok(hdr_name_char_ok, name + i, name_len - i);
}

/*@ assigns \nothing;
    ensures \result == 0 || \result == 1;
*/
static int hdr_is_blank(uint8_t c)
{
    return c == 0x20u || c == 0x09u;
}

/*@ requires \valid_read(value + (0 .. value_len - 1));
    assigns \nothing;
    ensures \result == 0 || \result == 1;
*/
static int hdr_value_is_valid(const uint8_t *value, uint32_t value_len)
{
    if (value_len == 0u) {
        return 1; /* empty values are allowed (RFC 9110 5.5) */
    }
    if (hdr_is_blank(value[0]) || hdr_is_blank(value[value_len - 1u])) {
        return 0;
    }
    return hdr_bytes_all_ok(hdr_value_char_ok, value, value_len);
}

/* ------------------------------------------------------------------ */
/* Values with meaning                                                 */
/* ------------------------------------------------------------------ */

/* content-length = 1*DIGIT (RFC 9110 8.6), below 2^63. */
/*@ requires \valid_read(value + (0 .. len - 1));
    requires \valid(out);
    assigns *out;
    ensures \result == 0 || \result == 1;
    ensures \result == 1 ==> *out <= 9223372036854775807;
*/
static int hdr_parse_content_length(const uint8_t *value, uint32_t len,
                                    uint64_t *out)
{
    uint64_t v = 0u;
    uint32_t i;
    if (len == 0u) {
        return 0;
    }
    /*@ loop invariant 0 <= i <= len;
        loop invariant v <= 9223372036854775807;
        loop assigns i, v;
        loop variant len - i;
    */
    for (i = 0u; i < len; i++) {
        uint64_t digit;
        if (value[i] < (uint8_t)'0' || value[i] > (uint8_t)'9') {
            return 0;
        }
        digit = (uint64_t)value[i] - 48u;
        if (v > (HDR_CONTENT_LENGTH_MAX - digit) / 10u) {
            return 0;
        }
        v = v * 10u + digit;
    }
    *out = v;
    return 1;
}

/* :status is a three-digit code from 100 on (RFC 9110 15). */
/*@ requires \valid_read(value + (0 .. len - 1));
    requires \valid(out);
    assigns *out;
    ensures \result == 0 || \result == 1;
    ensures \result == 1 ==> 100 <= *out <= 999;
*/
static int hdr_parse_status(const uint8_t *value, uint32_t len,
                            uint16_t *out)
{
    uint32_t i;
    uint16_t status = 0u;
    if (len != 3u || value[0] < (uint8_t)'1' || value[0] > (uint8_t)'9') {
        return 0;
    }
    /*@ loop invariant 0 <= i <= 3;
        loop invariant i == 0 ==> status == 0;
        loop invariant i >= 1 ==> 1 <= status;
        loop invariant i == 1 ==> status <= 9;
        loop invariant i == 2 ==> 10 <= status <= 99;
        loop invariant i == 3 ==> 100 <= status <= 999;
        loop assigns i, status;
        loop variant 3 - i;
    */
    for (i = 0u; i < 3u; i++) {
        if (value[i] < (uint8_t)'0' || value[i] > (uint8_t)'9') {
            return 0;
        }
        status = (uint16_t)(status * 10u + (uint16_t)(value[i] - 48u));
    }
    *out = status;
    return 1;
}

/* Method tokens are case-sensitive (RFC 9110 9.1). */
/*@ requires \valid_read(value + (0 .. len - 1));
    assigns \nothing;
    ensures \result <= H2_METHOD_CONNECT;
*/
static uint8_t hdr_method_of(const uint8_t *value, uint32_t len)
{
    if (hdr_bytes_are(value, len, hdr_lit_head, 4u)) {
        return (uint8_t)H2_METHOD_HEAD;
    }
    if (hdr_bytes_are(value, len, hdr_lit_connect, 7u)) {
        return (uint8_t)H2_METHOD_CONNECT;
    }
    return (uint8_t)H2_METHOD_OTHER;
}

/*@ requires \valid_read(name + (0 .. name_len - 1));
    assigns \nothing;
    ensures \result < HDR_PSEUDO_SLOTS;
*/
static uint32_t hdr_pseudo_slot(const uint8_t *name, uint32_t name_len)
{
    /* By length first: one or three candidates instead of six. */
    switch (name_len) {
    case 5u:
        if (hdr_bytes_are(name, name_len, hdr_lit_path, 5u)) {
            return HDR_PSEUDO_PATH;
        }
        break;
    case 7u:
        if (hdr_bytes_are(name, name_len, hdr_lit_method, 7u)) {
            return HDR_PSEUDO_METHOD;
        }
        if (hdr_bytes_are(name, name_len, hdr_lit_scheme, 7u)) {
            return HDR_PSEUDO_SCHEME;
        }
        if (hdr_bytes_are(name, name_len, hdr_lit_status, 7u)) {
            return HDR_PSEUDO_STATUS;
        }
        break;
    case 9u:
        if (hdr_bytes_are(name, name_len, hdr_lit_protocol, 9u)) {
            return HDR_PSEUDO_PROTOCOL;
        }
        break;
    case 10u:
        if (hdr_bytes_are(name, name_len, hdr_lit_authority, 10u)) {
            return HDR_PSEUDO_AUTHORITY;
        }
        break;
    default:
        break;
    }
    return HDR_PSEUDO_UNKNOWN;
}

/* Connection-specific fields (RFC 9113 8.2.2). */
/*@ requires \valid_read(name + (0 .. name_len - 1));
    assigns \nothing;
    ensures \result == 0 || \result == 1;
*/
static int hdr_is_connection_specific(const uint8_t *name, uint32_t name_len)
{
    return hdr_bytes_are(name, name_len, hdr_lit_connection, 10u) ||
           hdr_bytes_are(name, name_len, hdr_lit_keep_alive, 10u) ||
           hdr_bytes_are(name, name_len, hdr_lit_proxy_connection, 16u) ||
           hdr_bytes_are(name, name_len, hdr_lit_transfer_encoding, 17u) ||
           hdr_bytes_are(name, name_len, hdr_lit_upgrade, 7u);
}

/* 1 for the lengths of the names hdr_check_regular has a rule for:
 * te 2, host 4, upgrade 7, connection and keep-alive 10, content-length
 * 14, proxy-connection 16, transfer-encoding 17. */
/*@ assigns \nothing;
    ensures \result == 0 || \result == 1;
    ensures \result == 0 ==>
            len != 2 && len != 4 && len != 7 && len != 10 && len != 14 &&
            len != 16 && len != 17;
*/
static int hdr_length_has_rule(uint32_t len)
{
    switch (len) {
    case 2u:
    case 4u:
    case 7u:
    case 10u:
    case 14u:
    case 16u:
    case 17u:
        return 1;
    default:
        return 0;
    }
}

/* ------------------------------------------------------------------ */
/* The check core                                                      */
/* ------------------------------------------------------------------ */

/*@ requires \valid(st);
    assigns *st;
    ensures hdr_state_ok(st, 0);
    ensures \forall integer k; 0 <= k < HDR_PSEUDO_SLOTS ==> st->seen[k] == 0;
    ensures st->seen_regular == 0 && st->host_count == 0;
    ensures st->has_content_length == 0 && st->status == 0;
    ensures st->method == H2_METHOD_OTHER;
*/
static void hdr_state_init(hdr_check_state *st)
{
    uint32_t k;
    /*@ loop invariant 0 <= k <= HDR_PSEUDO_SLOTS;
        loop invariant \forall integer j; 0 <= j < k ==> st->seen[j] == 0;
        loop assigns k, st->seen[0 .. HDR_PSEUDO_SLOTS - 1];
        loop variant HDR_PSEUDO_SLOTS - k;
    */
    for (k = 0u; k < HDR_PSEUDO_SLOTS; k++) {
        st->seen[k] = 0u;
    }
    st->seen_regular = 0u;
    st->method = (uint8_t)H2_METHOD_OTHER;
    st->host_count = 0u;
    st->has_content_length = 0u;
    st->status = 0u;
    st->authority_index = 0u;
    st->host_index = 0u;
    st->content_length = 0u;
}

/* A pseudo-header (its name starts with a colon) at field index. */
/*@ requires \valid(st) && hdr_state_ok(st, index);
    requires \valid_read(name + (0 .. name_len - 1));
    requires \valid_read(value + (0 .. value_len - 1));
    requires \separated(st, name + (0 .. name_len - 1));
    requires \separated(st, value + (0 .. value_len - 1));
    assigns *st;
    ensures \result == H2_OK || \result == H2_E_PROTOCOL;
    ensures hdr_state_ok(st, index + 1);
*/
static h2_status hdr_check_pseudo(hdr_check_state *st, h2_block_kind kind,
                                  size_t index, const uint8_t *name,
                                  uint32_t name_len, const uint8_t *value,
                                  uint32_t value_len)
{
    uint32_t slot;
    if (kind != H2_BLOCK_REQUEST && kind != H2_BLOCK_RESPONSE) {
        return H2_E_PROTOCOL; /* none in trailers (RFC 9113 8.3) */
    }
    if (st->seen_regular != 0u) {
        return H2_E_PROTOCOL; /* all before the regular fields */
    }
    slot = hdr_pseudo_slot(name, name_len);
    if (slot == HDR_PSEUDO_UNKNOWN || st->seen[slot] != 0u) {
        return H2_E_PROTOCOL;
    }
    if ((kind == H2_BLOCK_RESPONSE) != (slot == HDR_PSEUDO_STATUS)) {
        return H2_E_PROTOCOL; /* each kind has its own pseudo-headers */
    }
    st->seen[slot] = 1u;
    if (slot == HDR_PSEUDO_METHOD) {
        st->method = hdr_method_of(value, value_len);
    } else if (slot == HDR_PSEUDO_AUTHORITY) {
        st->authority_index = index;
    } else if (slot == HDR_PSEUDO_PATH) {
        if (value_len == 0u) {
            return H2_E_PROTOCOL;
        }
    } else if (slot == HDR_PSEUDO_STATUS) {
        uint16_t status;
        if (!hdr_parse_status(value, value_len, &status)) {
            return H2_E_PROTOCOL;
        }
        st->status = status;
    }
    return H2_OK;
}

/* A regular field at field index. */
/*@ requires \valid(st) && hdr_state_ok(st, index);
    requires \valid_read(name + (0 .. name_len - 1));
    requires \valid_read(value + (0 .. value_len - 1));
    requires \separated(st, name + (0 .. name_len - 1));
    requires \separated(st, value + (0 .. value_len - 1));
    assigns *st;
    ensures \result == H2_OK || \result == H2_E_PROTOCOL;
    ensures hdr_state_ok(st, index + 1);
*/
static h2_status hdr_check_regular(hdr_check_state *st, h2_block_kind kind,
                                   size_t index, const uint8_t *name,
                                   uint32_t name_len, const uint8_t *value,
                                   uint32_t value_len)
{
    st->seen_regular = 1u;
    if (!hdr_length_has_rule(name_len)) {
        return H2_OK; /* most fields: one test */
    }
    if (hdr_is_connection_specific(name, name_len)) {
        return H2_E_PROTOCOL;
    }
    if (hdr_bytes_are(name, name_len, hdr_lit_te, 2u)) {
        /* RFC 9113 8.2.2: te may only say "trailers" (in any case). */
        if (!hdr_bytes_are_nocase(value, value_len, hdr_lit_trailers, 8u)) {
            return H2_E_PROTOCOL;
        }
    } else if (hdr_bytes_are(name, name_len, hdr_lit_host, 4u)) {
        if (kind == H2_BLOCK_REQUEST) {
            if (st->host_count != 0u) {
                return H2_E_PROTOCOL; /* which host would be meant? */
            }
            st->host_count = 1u;
            st->host_index = index;
        }
    } else if (hdr_bytes_are(name, name_len, hdr_lit_content_length, 14u)) {
        uint64_t length;
        if (!hdr_parse_content_length(value, value_len, &length)) {
            return H2_E_PROTOCOL;
        }
        /* RFC 9110 8.6: repeats are tolerated only when they agree. */
        if (st->has_content_length != 0u && st->content_length != length) {
            return H2_E_PROTOCOL;
        }
        st->has_content_length = 1u;
        st->content_length = length;
    }
    return H2_OK;
}

/* One field of the block, at field index. checked: the decoder's
 * H2_HEADER_FIELD_NAME_CHECKED and VALUE_CHECKED bits, whose bytes are
 * not read again (0 for fields from the application; the connection's
 * marks, through h2_headers_check_marked, for the fields it sends). */
/*@ requires \valid(st) && hdr_state_ok(st, index);
    requires \valid_read(name + (0 .. name_len - 1));
    requires \valid_read(value + (0 .. value_len - 1));
    requires \separated(st, name + (0 .. name_len - 1));
    requires \separated(st, value + (0 .. value_len - 1));
    assigns *st;
    ensures \result == H2_OK || \result == H2_E_PROTOCOL;
    ensures hdr_state_ok(st, index + 1);
*/
static h2_status hdr_check_field(hdr_check_state *st, h2_block_kind kind,
                                 size_t index, const uint8_t *name,
                                 uint32_t name_len, const uint8_t *value,
                                 uint32_t value_len, uint8_t checked)
{
    int name_checked =
        (checked / H2_HEADER_FIELD_NAME_CHECKED) % 2u != 0u && name_len != 0u;
    int value_checked = (checked / H2_HEADER_FIELD_VALUE_CHECKED) % 2u != 0u;

    if ((!name_checked && !hdr_name_is_valid(name, name_len)) ||
        (!value_checked && !hdr_value_is_valid(value, value_len))) {
        return H2_E_PROTOCOL;
    }
    if (name[0] == (uint8_t)':') {
        return hdr_check_pseudo(st, kind, index, name, name_len, value,
                                value_len);
    }
    return hdr_check_regular(st, kind, index, name, name_len, value,
                             value_len);
}

/* The pseudo-headers a request needs (RFC 9113 8.3.1, 8.5; RFC 8441 4). */
/*@ requires \valid_read(st) && \valid_read(rules);
    assigns \nothing;
    ensures \result == H2_OK || \result == H2_E_PROTOCOL;
*/
static h2_status hdr_check_request_end(const hdr_check_state *st,
                                       const h2_header_rules *rules)
{
    int scheme = st->seen[HDR_PSEUDO_SCHEME] != 0u;
    int path = st->seen[HDR_PSEUDO_PATH] != 0u;
    int authority = st->seen[HDR_PSEUDO_AUTHORITY] != 0u;

    if (st->seen[HDR_PSEUDO_METHOD] == 0u) {
        return H2_E_PROTOCOL;
    }
    if (st->seen[HDR_PSEUDO_PROTOCOL] != 0u) {
        if (st->method != (uint8_t)H2_METHOD_CONNECT ||
            rules->connect_protocol != 1u || !scheme || !path ||
            !authority) {
            return H2_E_PROTOCOL;
        }
    } else if (st->method == (uint8_t)H2_METHOD_CONNECT) {
        if (!authority || scheme || path) {
            return H2_E_PROTOCOL;
        }
    } else if (!scheme || !path) {
        return H2_E_PROTOCOL;
    }
    if (!authority && st->host_count == 0u) {
        return H2_E_PROTOCOL;
    }
    return H2_OK;
}

/* The rules that need the whole block; :authority against host is left
 * to the caller, which can reach the values. */
/*@ requires \valid_read(st) && \valid_read(rules);
    assigns \nothing;
    ensures \result == H2_OK || \result == H2_E_PROTOCOL;
*/
static h2_status hdr_check_end(const hdr_check_state *st,
                               const h2_header_rules *rules)
{
    if (rules->kind == H2_BLOCK_REQUEST) {
        return hdr_check_request_end(st, rules);
    }
    if (rules->kind == H2_BLOCK_RESPONSE &&
        st->seen[HDR_PSEUDO_STATUS] == 0u) {
        return H2_E_PROTOCOL;
    }
    return H2_OK;
}

/*@ requires \valid_read(st) && hdr_state_values_ok(st);
    requires \valid(info);
    requires \separated(st, info);
    assigns *info;
    ensures hdr_info_ok(info);
*/
static void hdr_fill_info(const hdr_check_state *st, h2_block_info *info)
{
    info->status = st->status;
    info->informational =
        (uint8_t)(st->status >= 100u && st->status <= 199u);
    info->method = st->method;
    info->extended_connect = (uint8_t)(st->seen[HDR_PSEUDO_PROTOCOL] != 0u);
    info->has_content_length = (uint8_t)(st->has_content_length != 0u);
    info->content_length =
        st->has_content_length != 0u ? st->content_length : 0u;
}

/*@ requires \valid_read(a + (0 .. a_len - 1));
    requires \valid_read(b + (0 .. b_len - 1));
    assigns \nothing;
    ensures \result == 0 || \result == 1;
*/
static int hdr_values_agree(const uint8_t *a, uint32_t a_len,
                            const uint8_t *b, uint32_t b_len)
{
    return hdr_bytes_are(a, a_len, b, b_len);
}

/* h2_headers_check, the fields' CHECKED bits honoured when marked. */
/*@ requires \valid_read(rules) && \valid(info);
    requires hdr_fields_readable(fields, count);
    assigns *info;
    ensures \result == H2_OK || \result == H2_E_PROTOCOL;
    ensures \result == H2_OK ==> hdr_info_ok(info);
*/
static h2_status hdr_check_list(const h2_header *fields, size_t count,
                                const h2_header_rules *rules,
                                h2_block_info *info, int marked)
{
    hdr_check_state st;
    h2_status status;
    size_t i;

    hdr_state_init(&st);
    /*@ loop invariant 0 <= i <= count;
        loop invariant hdr_state_ok(&st, i);
        loop assigns i, st, status;
        loop variant count - i;
    */
    for (i = 0u; i < count; i++) {
        status = hdr_check_field(&st, rules->kind, i, fields[i].name,
                                 fields[i].name_len, fields[i].value,
                                 fields[i].value_len,
                                 (marked != 0) ? fields[i].flags : 0u);
        if (status != H2_OK) {
            return status;
        }
    }
    status = hdr_check_end(&st, rules);
    if (status != H2_OK) {
        return status;
    }
    if (st.seen[HDR_PSEUDO_AUTHORITY] != 0u && st.host_count != 0u) {
        const h2_header *authority = &fields[st.authority_index];
        const h2_header *host = &fields[st.host_index];
        if (!hdr_values_agree(authority->value, authority->value_len,
                              host->value, host->value_len)) {
            return H2_E_PROTOCOL;
        }
    }
    hdr_fill_info(&st, info);
    return H2_OK;
}

/*@ requires \valid_read(rules) && \valid(info);
    requires hdr_fields_readable(fields, count);
    assigns *info;
    ensures \result == H2_OK || \result == H2_E_PROTOCOL;
    ensures \result == H2_OK ==> hdr_info_ok(info);
*/
h2_status h2_headers_check(const h2_header *fields, size_t count,
                           const h2_header_rules *rules, h2_block_info *info)
{
    return hdr_check_list(fields, count, rules, info, 0);
}

/*@ requires \valid_read(rules) && \valid(info);
    requires hdr_fields_readable(fields, count);
    assigns *info;
    ensures \result == H2_OK || \result == H2_E_PROTOCOL;
    ensures \result == H2_OK ==> hdr_info_ok(info);
*/
h2_status h2_headers_check_marked(const h2_header *fields, size_t count,
                                  const h2_header_rules *rules,
                                  h2_block_info *info)
{
    return hdr_check_list(fields, count, rules, info, 1);
}

/*@ requires \valid_read(arena) && hdr_arena_ok(arena);
    requires \valid_read(rules) && \valid(info);
    requires \separated(info, arena);
    assigns *info;
    ensures \result == H2_OK || \result == H2_E_PROTOCOL;
    ensures \result == H2_OK ==> hdr_info_ok(info);
*/
h2_status h2_headers_check_arena(const h2_header_arena *arena,
                                 const h2_header_rules *rules,
                                 h2_block_info *info)
{
    hdr_check_state st;
    h2_header field;
    h2_header other;
    h2_status status;
    uint32_t i;

    hdr_state_init(&st);
    /*@ loop invariant 0 <= i <= arena->count;
        loop invariant hdr_state_ok(&st, i);
        loop assigns i, st, field, status;
        loop variant arena->count - i;
    */
    for (i = 0u; i < arena->count; i++) {
        h2_header_arena_get(arena, i, &field);
        status = hdr_check_field(&st, rules->kind, i, field.name,
                                 field.name_len, field.value,
                                 field.value_len, arena->fields[i].flags);
        if (status != H2_OK) {
            return status;
        }
    }
    status = hdr_check_end(&st, rules);
    if (status != H2_OK) {
        return status;
    }
    if (st.seen[HDR_PSEUDO_AUTHORITY] != 0u && st.host_count != 0u) {
        h2_header_arena_get(arena, (uint32_t)st.authority_index, &field);
        h2_header_arena_get(arena, (uint32_t)st.host_index, &other);
        if (!hdr_values_agree(field.value, field.value_len, other.value,
                              other.value_len)) {
            return H2_E_PROTOCOL;
        }
    }
    hdr_fill_info(&st, info);
    return H2_OK;
}

/* ------------------------------------------------------------------ */
/* Joining cookie crumbs (RFC 9113 8.2.3)                              */
/* ------------------------------------------------------------------ */

/*
 * The fields are reordered by swapping neighbours (a cookie field and the
 * regular field after it), each swap rotating the bytes of the two fields
 * in place; then the cookie fields, back to back at the end, are rewritten
 * as one. Each step checks the layout it relies on, so that whatever the
 * arena holds, the fields stay within its used bytes; on the decoder's
 * layout every check passes.
 */

/*@ requires \valid_read(arena) && hdr_arena_ok(arena);
    requires k < arena->count;
    assigns \nothing;
    ensures \result == hdr_value_end(arena, k);
*/
static uint32_t hdr_field_end(const h2_header_arena *arena, uint32_t k)
{
    return arena->fields[k].value_offset + arena->fields[k].value_len;
}

/*@ requires \valid(arena) && k < H2_HEADER_ARENA_FIELDS;
    assigns arena->fields[k];
    ensures arena->fields[k].name_offset == name_offset;
    ensures arena->fields[k].name_len == name_len;
    ensures arena->fields[k].value_offset == value_offset;
    ensures arena->fields[k].value_len == value_len;
    ensures arena->fields[k].flags == flags;
*/
static void hdr_set_field(h2_header_arena *arena, uint32_t k,
                          uint32_t name_offset, uint32_t name_len,
                          uint32_t value_offset, uint32_t value_len,
                          uint8_t flags)
{
    arena->fields[k].name_offset = name_offset;
    arena->fields[k].name_len = name_len;
    arena->fields[k].value_offset = value_offset;
    arena->fields[k].value_len = value_len;
    arena->fields[k].flags = flags;
}

/*@ requires \valid_read(arena) && hdr_arena_ok(arena);
    requires k < arena->count;
    assigns \nothing;
    ensures \result == 0 || \result == 1;
    ensures \result == 1 ==> arena->fields[k].name_len == 6;
*/
static int hdr_is_cookie(const h2_header_arena *arena, uint32_t k)
{
    const h2_header_field *f = &arena->fields[k];
    return hdr_bytes_are(&arena->bytes[f->name_offset], f->name_len,
                         hdr_lit_cookie, 6u);
}

/* The count of cookie fields, and in *first the index after the last
 * other field (the cookie fields that end the list start there). */
/*@ requires \valid_read(arena) && hdr_arena_ok(arena);
    requires \valid(first) && \separated(first, arena);
    assigns *first;
    ensures \result <= arena->count;
    ensures *first <= arena->count;
*/
static uint32_t hdr_count_cookies(const h2_header_arena *arena,
                                  uint32_t *first)
{
    uint32_t k;
    uint32_t n = 0u;
    uint32_t after_other = 0u;
    /*@ loop invariant 0 <= k <= arena->count;
        loop invariant n <= k && after_other <= k;
        loop assigns k, n, after_other;
        loop variant arena->count - k;
    */
    for (k = 0u; k < arena->count; k++) {
        if (hdr_is_cookie(arena, k)) {
            n++;
        } else {
            after_other = k + 1u;
        }
    }
    *first = after_other;
    return n;
}

/* 1 when the fields lie as the decoder stores them: each value right
 * after its name, each field right after the one before. */
/*@ requires \valid_read(arena) && hdr_arena_ok(arena);
    assigns \nothing;
    ensures \result == 0 || \result == 1;
*/
static int hdr_arena_is_packed(const h2_header_arena *arena)
{
    uint32_t k;
    /*@ loop invariant 0 <= k <= arena->count;
        loop assigns k;
        loop variant arena->count - k;
    */
    for (k = 0u; k < arena->count; k++) {
        const h2_header_field *f = &arena->fields[k];
        if (f->value_offset != f->name_offset + f->name_len) {
            return 0;
        }
        if (k > 0u && f->name_offset != hdr_field_end(arena, k - 1u)) {
            return 0;
        }
    }
    return 1;
}

/* Reverses bytes[lo .. hi). */
/*@ requires lo <= hi <= H2_HEADER_ARENA_CAPACITY;
    requires \valid(bytes + (lo .. hi - 1));
    assigns bytes[lo .. hi - 1];
*/
static void hdr_reverse(uint8_t *bytes, uint32_t lo, uint32_t hi)
{
    uint32_t i = lo;
    uint32_t j = hi;
    /*@ loop invariant lo <= i <= j <= hi;
        loop assigns i, j, bytes[lo .. hi - 1];
        loop variant j - i;
    */
    while (j - i >= 2u) {
        uint8_t t = bytes[i];
        bytes[i] = bytes[j - 1u];
        bytes[j - 1u] = t;
        i++;
        j--;
    }
}

/* Rotates bytes[lo .. hi) left by s: the first s bytes go to the end
 * (three reversals, no scratch buffer). */
/*@ requires lo + s <= hi <= H2_HEADER_ARENA_CAPACITY;
    requires \valid(bytes + (lo .. hi - 1));
    assigns bytes[lo .. hi - 1];
*/
static void hdr_rotate_left(uint8_t *bytes, uint32_t lo, uint32_t hi,
                            uint32_t s)
{
    hdr_reverse(bytes, lo, lo + s);
    hdr_reverse(bytes, lo + s, hi);
    hdr_reverse(bytes, lo, hi);
}

/* Swaps fields c and c + 1, their bytes included: the bytes from field
 * c's name to field c + 1's value end are rotated so that field c + 1
 * comes first. 0 (nothing changed) when the two fields do not lie in that
 * order, each value right after its name. */
/*@ requires \valid(arena) && hdr_arena_ok(arena);
    requires c + 1 < arena->count;
    assigns arena->bytes[0 .. H2_HEADER_ARENA_CAPACITY - 1],
            arena->fields[c], arena->fields[c + 1];
    ensures hdr_arena_ok(arena);
    ensures \result == 0 || \result == 1;
*/
static int hdr_swap_with_next(h2_header_arena *arena, uint32_t c)
{
    h2_header_field first = arena->fields[c];
    h2_header_field second = arena->fields[c + 1u];
    uint32_t first_span;
    uint32_t end;

    if (first.value_offset != first.name_offset + first.name_len ||
        second.value_offset != second.name_offset + second.name_len ||
        first.value_offset + first.value_len > second.name_offset) {
        return 0;
    }
    first_span = first.name_len + first.value_len;
    end = second.value_offset + second.value_len;
    hdr_rotate_left(arena->bytes, first.name_offset, end, first_span);
    hdr_set_field(arena, c, second.name_offset - first_span,
                  second.name_len, second.value_offset - first_span,
                  second.value_len, second.flags);
    hdr_set_field(arena, c + 1u, end - first_span, first.name_len,
                  end - first_span + first.name_len, first.value_len,
                  first.flags);
    return 1;
}

/* Moves the cookie fields after the others, both keeping their order
 * (an insertion sort: each regular field goes before the cookie fields
 * just before it). */
/*@ requires \valid(arena) && hdr_arena_ok(arena);
    assigns arena->bytes[0 .. H2_HEADER_ARENA_CAPACITY - 1],
            arena->fields[0 .. H2_HEADER_ARENA_FIELDS - 1];
    ensures hdr_arena_ok(arena);
*/
static void hdr_partition_cookies(h2_header_arena *arena)
{
    uint32_t i;
    /*@ loop invariant 0 <= i <= arena->count;
        loop invariant hdr_arena_ok(arena);
        loop assigns i, arena->bytes[0 .. H2_HEADER_ARENA_CAPACITY - 1],
                     arena->fields[0 .. H2_HEADER_ARENA_FIELDS - 1];
        loop variant arena->count - i;
    */
    for (i = 0u; i < arena->count; i++) {
        uint32_t j = i;
        if (hdr_is_cookie(arena, i)) {
            continue;
        }
        /*@ loop invariant 0 <= j <= i;
            loop invariant hdr_arena_ok(arena);
            loop assigns j, arena->bytes[0 .. H2_HEADER_ARENA_CAPACITY - 1],
                         arena->fields[0 .. H2_HEADER_ARENA_FIELDS - 1];
            loop variant j;
        */
        while (j > 0u && hdr_is_cookie(arena, j - 1u)) {
            if (!hdr_swap_with_next(arena, j - 1u)) {
                break;
            }
            j--;
        }
    }
}

/* Index of the first of the cookie fields that end the list. */
/*@ requires \valid_read(arena) && hdr_arena_ok(arena);
    assigns \nothing;
    ensures \result <= arena->count;
*/
static uint32_t hdr_trailing_cookies(const h2_header_arena *arena)
{
    uint32_t k = arena->count;
    /*@ loop invariant 0 <= k <= arena->count;
        loop assigns k;
        loop variant k;
    */
    while (k > 0u && hdr_is_cookie(arena, k - 1u)) {
        k--;
    }
    return k;
}

/*@ // Fields first .. count - 1 are cookie crumbs back to back after all
    // the other fields, each value right after its 6-byte name.
    predicate hdr_cookie_block(h2_header_arena *a, integer first) =
        first < a->count &&
        (\forall integer k; 0 <= k < first ==>
            a->fields[k].name_offset + a->fields[k].name_len <=
                a->fields[first].name_offset &&
            hdr_value_end(a, k) <= a->fields[first].name_offset) &&
        (\forall integer k; first <= k < a->count ==>
            a->fields[k].name_len == 6 &&
            a->fields[k].value_offset == a->fields[k].name_offset + 6) &&
        (\forall integer k; first <= k < a->count - 1 ==>
            a->fields[k + 1].name_offset == hdr_value_end(a, k));
*/

/* 1 when fields first .. count - 1 form a cookie block. */
/*@ requires \valid_read(arena) && hdr_arena_ok(arena);
    requires first < arena->count;
    assigns \nothing;
    ensures \result == 0 || \result == 1;
    ensures \result == 1 ==> hdr_cookie_block(arena, first);
*/
static int hdr_is_cookie_block(const h2_header_arena *arena, uint32_t first)
{
    uint32_t start = arena->fields[first].name_offset;
    uint32_t k;

    /*@ loop invariant 0 <= k <= first;
        loop invariant \forall integer j; 0 <= j < k ==>
            arena->fields[j].name_offset + arena->fields[j].name_len <= start &&
            hdr_value_end(arena, j) <= start;
        loop assigns k;
        loop variant first - k;
    */
    for (k = 0u; k < first; k++) {
        const h2_header_field *f = &arena->fields[k];
        if (f->name_offset + f->name_len > start ||
            f->value_offset + f->value_len > start) {
            return 0;
        }
    }
    /*@ loop invariant first <= k <= arena->count;
        loop invariant \forall integer j; first <= j < k ==>
            arena->fields[j].name_len == 6 &&
            arena->fields[j].value_offset == arena->fields[j].name_offset + 6;
        loop invariant \forall integer j; first <= j < k - 1 ==>
            arena->fields[j + 1].name_offset == hdr_value_end(arena, j);
        loop assigns k;
        loop variant arena->count - k;
    */
    for (k = first; k < arena->count; k++) {
        const h2_header_field *f = &arena->fields[k];
        if (f->name_len != 6u || f->value_offset != f->name_offset + 6u) {
            return 0;
        }
        if (k > first && f->name_offset != hdr_field_end(arena, k - 1u)) {
            return 0;
        }
    }
    return 1;
}

/* Copies bytes[src .. src + n) to bytes[dst ..), dst <= src: a forward
 * copy never reads a byte it already overwrote. */
/*@ requires dst <= src && src + n <= H2_HEADER_ARENA_CAPACITY;
    requires \valid(bytes + (dst .. src + n - 1));
    assigns bytes[dst .. dst + n - 1];
*/
static void hdr_move_down(uint8_t *bytes, uint32_t dst, uint32_t src,
                          uint32_t n)
{
    uint32_t i;
    /*@ loop invariant 0 <= i <= n;
        loop assigns i, bytes[dst .. dst + n - 1];
        loop variant n - i;
    */
    for (i = 0u; i < n; i++) {
        bytes[dst + i] = bytes[src + i];
    }
}

/* Rewrites the cookie block from first on as one field: the first
 * crumb's name and value, then "; " and each next value. Each next crumb
 * drops a 6-byte name for a 2-byte separator, so the writes stay at least
 * 4 bytes behind the reads. */
/*@ requires \valid(arena) && hdr_arena_ok(arena);
    requires hdr_cookie_block(arena, first);
    assigns arena->bytes[0 .. H2_HEADER_ARENA_CAPACITY - 1],
            arena->fields[first], arena->used, arena->count;
    ensures hdr_arena_ok(arena);
    ensures arena->used <= \old(arena->used);
    ensures arena->count == first + 1;
*/
static void hdr_merge_cookies(h2_header_arena *arena, uint32_t first)
{
    uint32_t k;
    uint32_t value_offset = arena->fields[first].value_offset;
    uint32_t w = value_offset + arena->fields[first].value_len;

    /*@ loop invariant first + 1 <= k <= arena->count;
        loop invariant value_offset <= w <= arena->used;
        loop invariant k < arena->count ==>
            w <= arena->fields[k].name_offset;
        loop invariant k == arena->count ==>
            w <= hdr_value_end(arena, arena->count - 1);
        loop assigns k, w, arena->bytes[0 .. H2_HEADER_ARENA_CAPACITY - 1];
        loop variant arena->count - k;
    */
    for (k = first + 1u; k < arena->count; k++) {
        const h2_header_field *f = &arena->fields[k];
        arena->bytes[w] = (uint8_t)';';
        arena->bytes[w + 1u] = (uint8_t)' ';
        hdr_move_down(arena->bytes, w + 2u, f->value_offset, f->value_len);
        w = w + 2u + f->value_len;
    }
    /* h2 hands the joined field on as never indexed: its crumbs may have
     * come with differing representations. */
    hdr_set_field(arena, first, arena->fields[first].name_offset, 6u,
                  value_offset, w - value_offset,
                  H2_HEADER_FIELD_NEVER_INDEXED);
    arena->count = first + 1u;
    arena->used = w;
}

/*@ requires \valid(arena) && hdr_arena_ok(arena);
    assigns arena->bytes[0 .. H2_HEADER_ARENA_CAPACITY - 1],
            arena->fields[0 .. H2_HEADER_ARENA_FIELDS - 1],
            arena->used, arena->count;
    ensures hdr_arena_ok(arena);
    ensures arena->used <= \old(arena->used);
    ensures arena->count <= \old(arena->count);
*/
void h2_headers_join_cookies(h2_header_arena *arena)
{
    uint32_t cookies = 0u;
    uint32_t first = 0u;

    /* Zero or one cookie field: nothing to join. An arena laid out other
     * than as the decoder lays it out is left as it is. */
    cookies = hdr_count_cookies(arena, &first);
    if (cookies < 2u || !hdr_arena_is_packed(arena)) {
        return;
    }
    if (arena->count - first != cookies) {
        /* Some crumb comes before another field (usually they end the
         * list and nothing moves). */
        hdr_partition_cookies(arena);
        first = hdr_trailing_cookies(arena);
    }
    if (first < arena->count && hdr_is_cookie_block(arena, first)) {
        hdr_merge_cookies(arena, first);
    }
}

/* ------------------------------------------------------------------ */
/* Outbound fields                                                     */
/* ------------------------------------------------------------------ */

/* flags with H2_HEADER_FIELD_NEVER_INDEXED (bit 0) set, in arithmetic
 * rather than a bit operation. */
/*@ assigns \nothing;
    ensures \result % 2 == 1;
*/
static uint8_t hdr_never_indexed(uint8_t flags)
{
    if (flags % 2u == 1u) {
        return flags;
    }
    return (uint8_t)(flags + 1u);
}

/*@ requires \valid(out + (0 .. cap - 1)) && \valid(n);
    requires \separated(n, out + (0 .. cap - 1));
    requires *n <= cap;
    assigns *n, out[0 .. cap - 1];
    ensures \result == H2_OK || \result == H2_E_BUFFER_TOO_SMALL;
    ensures *n <= cap;
*/
static h2_status hdr_emit(h2_header *out, size_t cap, size_t *n,
                          const uint8_t *name, uint32_t name_len,
                          const uint8_t *value, uint32_t value_len,
                          uint8_t flags)
{
    h2_header *f;
    if (*n >= cap) {
        return H2_E_BUFFER_TOO_SMALL;
    }
    f = &out[*n];
    f->name = name;
    f->name_len = name_len;
    f->value = value;
    f->value_len = value_len;
    f->flags = flags;
    *n = *n + 1u;
    return H2_OK;
}

/* End of the crumb that starts at pos: the next "; " or the value's end.
 * Every other byte is read first: a "; " has its ';' or its ' ' there. */
/*@ requires pos <= len;
    requires \valid_read(v + (0 .. len - 1));
    assigns \nothing;
    ensures pos <= \result <= len;
    ensures \result < len ==> \result + 2 <= len &&
            v[\result] == ';' && v[\result + 1] == ' ';
    ensures \forall integer k; pos <= k < \result && k + 1 < len ==>
            !(v[k] == ';' && v[k + 1] == ' ');
*/
static uint32_t hdr_crumb_end(const uint8_t *v, uint32_t len, uint32_t pos)
{
    uint64_t i = (uint64_t)pos + 1u;

    /*@ loop invariant pos + 1 <= i <= len + 1;
        loop invariant \forall integer k; pos <= k < i - 1 && k + 1 < len ==>
                       !(v[k] == ';' && v[k + 1] == ' ');
        loop assigns i;
        loop variant len - i;
    */
    while (i < len) {
        uint8_t c = v[i];
        if (c == (uint8_t)' ') {
            if (v[i - 1u] == (uint8_t)';') {
                return (uint32_t)(i - 1u);
            }
        } else if (c == (uint8_t)';') {
            if (i + 1u < len && v[i + 1u] == (uint8_t)' ') {
                return (uint32_t)i;
            }
        }
        i += 2u;
    }
    return len;
}

/* One field per non-empty crumb of a cookie value (RFC 9113 8.2.3). */
/*@ requires \valid_read(f);
    requires \valid_read(f->value + (0 .. f->value_len - 1));
    requires \valid(out + (0 .. cap - 1)) && \valid(n);
    requires \separated(n, out + (0 .. cap - 1), f);
    requires \separated(f, out + (0 .. cap - 1));
    requires *n <= cap;
    assigns *n, out[0 .. cap - 1];
    ensures \result == H2_OK || \result == H2_E_BUFFER_TOO_SMALL;
    ensures *n <= cap;
*/
static h2_status hdr_split_cookie(const h2_header *f, h2_header *out,
                                  size_t cap, size_t *n)
{
    const uint8_t *v = f->value;
    uint32_t len = f->value_len;
    uint32_t pos = 0u;

    /*@ loop invariant 0 <= pos <= len;
        loop invariant *n <= cap;
        loop assigns pos, *n, out[0 .. cap - 1];
        loop variant len - pos;
    */
    while (pos < len) {
        uint32_t end = hdr_crumb_end(v, len, pos);
        uint32_t crumb_len = end - pos;
        if (crumb_len > 0u) {
            uint8_t flags = f->flags;
            h2_status status;
            if (crumb_len < HDR_COOKIE_INDEX_MIN) {
                flags = hdr_never_indexed(flags);
            }
            status = hdr_emit(out, cap, n, f->name, f->name_len, &v[pos],
                              crumb_len, flags);
            if (status != H2_OK) {
                return status;
            }
        }
        if (end == len) {
            break;
        }
        pos = end + 2u;
    }
    return H2_OK;
}

/*@ requires hdr_fields_readable(fields, count);
    requires \valid(out + (0 .. cap - 1)) && \valid(out_count);
    requires \separated(out_count, out + (0 .. cap - 1),
                        fields + (0 .. count - 1));
    requires \separated(out + (0 .. cap - 1), fields + (0 .. count - 1));
    assigns *out_count, out[0 .. cap - 1];
    ensures \result == H2_OK || \result == H2_E_BUFFER_TOO_SMALL;
    ensures \result == H2_OK ==> *out_count <= cap;
*/
h2_status h2_headers_prepare_outbound(const h2_header *fields, size_t count,
                                      h2_header *out, size_t cap,
                                      size_t *out_count)
{
    size_t i;
    size_t n = 0u;
    h2_status status;

    /*@ loop invariant 0 <= i <= count;
        loop invariant n <= cap;
        loop assigns i, n, status, out[0 .. cap - 1];
        loop variant count - i;
    */
    for (i = 0u; i < count; i++) {
        const h2_header *f = &fields[i];
        if (hdr_bytes_are(f->name, f->name_len, hdr_lit_cookie, 6u)) {
            status = hdr_split_cookie(f, out, cap, &n);
        } else {
            uint8_t flags = f->flags;
            if (hdr_bytes_are(f->name, f->name_len, hdr_lit_authorization,
                              13u) ||
                hdr_bytes_are(f->name, f->name_len,
                              hdr_lit_proxy_authorization, 19u)) {
                flags = hdr_never_indexed(flags);
            }
            status = hdr_emit(out, cap, &n, f->name, f->name_len, f->value,
                              f->value_len, flags);
        }
        if (status != H2_OK) {
            return status;
        }
    }
    *out_count = n;
    return H2_OK;
}
