/*
 * libh2 headers layer (RFC 9113 sections 8.2 and 8.3, RFC 8441 section 4):
 * validation of the header lists we receive and send, and their
 * normalization (cookie crumbs, never-indexed fields).
 */
#ifndef H2_HEADERS_H
#define H2_HEADERS_H

#include <stddef.h>
#include <stdint.h>

#include "h2_hpack.h"
#include "h2_status.h"

/* What a header block is, as far as the rules for it go. */
typedef enum h2_block_kind {
    H2_BLOCK_REQUEST = 0,  /* HEADERS opening a stream, or a PUSH_PROMISE */
    H2_BLOCK_RESPONSE,     /* first HEADERS on a stream we opened (1xx too) */
    H2_BLOCK_TRAILERS      /* a HEADERS after the final one, END_STREAM set */
} h2_block_kind;

typedef enum h2_method {
    H2_METHOD_OTHER = 0,
    H2_METHOD_HEAD,
    H2_METHOD_CONNECT
} h2_method;

/* What validation learned about a block that the connection needs. */
typedef struct h2_block_info {
    uint16_t status;             /* :status of a response, else 0 */
    uint8_t informational;       /* a 1xx response */
    uint8_t method;              /* h2_method of a request */
    uint8_t extended_connect;    /* a request with :protocol (RFC 8441) */
    uint8_t has_content_length;
    uint64_t content_length;     /* valid with has_content_length */
} h2_block_info;

/* Validation switches (h2's HeaderValidationFlags and config). */
typedef struct h2_header_rules {
    h2_block_kind kind;
    uint8_t connect_protocol; /* SETTINGS_ENABLE_CONNECT_PROTOCOL is on */
} h2_header_rules;

/*
 * Checks a list of fields against RFC 9113 8.2 and 8.3:
 *   - names: not empty, no character in 0x00-0x20, 0x41-0x5a (uppercase),
 *     0x7f-0xff; a colon only as the first character of a pseudo-header;
 *   - values: no NUL, CR or LF, no leading or trailing space or tab;
 *   - no connection-specific field (connection, keep-alive,
 *     proxy-connection, transfer-encoding, upgrade); te only "trailers";
 *   - pseudo-headers: only :method :scheme :authority :path :protocol in
 *     requests and :status in responses, each at most once, all before the
 *     first regular field, none in trailers; requests have :method,
 *     :scheme and :path (non-empty), except CONNECT (RFC 9113 8.5:
 *     :authority only, no :scheme or :path) and extended CONNECT (RFC 8441:
 *     :protocol needs CONNECT, connect_protocol, and :scheme, :path,
 *     :authority); responses have a 3-digit :status (100 to 999);
 *   - a request has :authority or host, at most one host, and both agree
 *     when both are present;
 *   - content-length is 1*DIGIT below 2^63; repeated values must agree.
 * H2_OK and *info filled, or H2_E_PROTOCOL.
 */
h2_status h2_headers_check(const h2_header *fields, size_t count,
                           const h2_header_rules *rules, h2_block_info *info);

/*
 * The same, except that the bytes of a name, or a value, whose field has
 * H2_HEADER_FIELD_NAME_CHECKED, or H2_HEADER_FIELD_VALUE_CHECKED, are not
 * read: the caller vouches for them (the connection marks the fields its
 * encoder finds whole in a table of fields that passed this check).
 */
h2_status h2_headers_check_marked(const h2_header *fields, size_t count,
                                  const h2_header_rules *rules,
                                  h2_block_info *info);

/* The same for a decoded block in an arena. */
h2_status h2_headers_check_arena(const h2_header_arena *arena,
                                 const h2_header_rules *rules,
                                 h2_block_info *info);

/*
 * Joins the cookie crumbs of a decoded block into one "cookie" field, the
 * values separated by "; " (RFC 9113 8.2.3), moved after the other fields,
 * in place (the joined field never needs more room than the crumbs did).
 * With fewer than two cookie fields, or fields not laid out as the decoder
 * lays them out (each value right after its name, each field right after
 * the one before), the arena is left as it is.
 */
void h2_headers_join_cookies(h2_header_arena *arena);

/*
 * Prepares fields we send: each cookie field is split into one field per
 * crumb at "; " (better compression), and authorization,
 * proxy-authorization and cookie values shorter than 20 bytes are marked
 * never indexed (as h2 does). The result (pointers into the input) goes to
 * out[0..cap); H2_E_BUFFER_TOO_SMALL (nothing meaningful in out) when it
 * does not fit.
 */
h2_status h2_headers_prepare_outbound(const h2_header *fields, size_t count,
                                      h2_header *out, size_t cap,
                                      size_t *out_count);

#endif
