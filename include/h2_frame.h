/*
 * libh2 frame layer: the HTTP/2 frame header and every frame type of
 * RFC 9113 section 6 (plus ALTSVC, RFC 7838 section 4), as pure functions on
 * byte spans. Nothing here allocates or keeps state.
 */
#ifndef H2_FRAME_H
#define H2_FRAME_H

#include <stddef.h>
#include <stdint.h>

#include "h2_status.h"

#define H2_FRAME_HEADER_SIZE 9u
/* Largest payload length the 24-bit length field can carry. */
#define H2_FRAME_LENGTH_MAX 0xffffffu
/* SETTINGS_MAX_FRAME_SIZE: initial value and upper bound (RFC 9113 6.5.2). */
#define H2_DEFAULT_MAX_FRAME_SIZE 16384u
#define H2_MAX_MAX_FRAME_SIZE 16777215u
#define H2_STREAM_ID_MAX 0x7fffffffu
#define H2_SETTING_ENTRY_SIZE 6u
#define H2_PING_PAYLOAD_SIZE 8u

typedef enum h2_frame_type {
    H2_FRAME_DATA = 0x0,
    H2_FRAME_HEADERS = 0x1,
    H2_FRAME_PRIORITY = 0x2,
    H2_FRAME_RST_STREAM = 0x3,
    H2_FRAME_SETTINGS = 0x4,
    H2_FRAME_PUSH_PROMISE = 0x5,
    H2_FRAME_PING = 0x6,
    H2_FRAME_GOAWAY = 0x7,
    H2_FRAME_WINDOW_UPDATE = 0x8,
    H2_FRAME_CONTINUATION = 0x9,
    H2_FRAME_ALTSVC = 0xa
} h2_frame_type;

#define H2_FLAG_END_STREAM 0x01u
#define H2_FLAG_ACK 0x01u
#define H2_FLAG_END_HEADERS 0x04u
#define H2_FLAG_PADDED 0x08u
#define H2_FLAG_PRIORITY 0x20u

/* The 9-byte frame header. stream_id never has the reserved bit set. */
typedef struct h2_frame_header {
    uint32_t length;    /* payload length, 0 .. H2_FRAME_LENGTH_MAX */
    uint8_t type;
    uint8_t flags;
    uint32_t stream_id; /* 0 .. H2_STREAM_ID_MAX */
} h2_frame_header;

/* Priority fields of HEADERS (with H2_FLAG_PRIORITY) and PRIORITY frames. */
typedef struct h2_priority {
    uint32_t dependency; /* stream this one depends on, 0 .. H2_STREAM_ID_MAX */
    uint8_t weight;      /* wire value: the weight minus one (0 .. 255) */
    uint8_t exclusive;   /* 0 or 1 */
} h2_priority;

/*
 * One parsed frame, or a frame to serialize. Which fields mean something
 * depends on hdr.type:
 *
 *   DATA           data/data_len (the payload without padding), pad_length
 *   HEADERS        data/data_len (header block fragment), pad_length,
 *                  priority when H2_FLAG_PRIORITY is set
 *   PRIORITY       priority
 *   RST_STREAM     error_code
 *   SETTINGS       data/data_len: the raw entries, 6 bytes each; see
 *                  h2_frame_setting_at() and h2_setting_write()
 *   PUSH_PROMISE   promised_stream_id, data/data_len (fragment), pad_length
 *   PING           opaque
 *   GOAWAY         last_stream_id, error_code, data/data_len (debug data)
 *   WINDOW_UPDATE  window_increment
 *   CONTINUATION   data/data_len (fragment)
 *   ALTSVC         origin/origin_len, data/data_len (Alt-Svc field value)
 *   other types    data/data_len: the opaque payload
 *
 * pad_length counts the padding bytes only (not the Pad Length byte); the
 * padding is present exactly when hdr.flags has H2_FLAG_PADDED. After a
 * parse, data and origin point into the payload that was parsed.
 */
typedef struct h2_frame {
    h2_frame_header hdr;
    const uint8_t *data;
    uint32_t data_len;
    uint8_t pad_length;
    h2_priority priority;
    uint32_t error_code;
    uint32_t promised_stream_id;
    uint32_t last_stream_id;
    uint32_t window_increment;
    uint8_t opaque[H2_PING_PAYLOAD_SIZE];
    const uint8_t *origin;
    uint32_t origin_len;
} h2_frame;

/*
 * Reads a frame header from in[0..in_len). H2_E_INCOMPLETE when fewer than
 * 9 bytes are there (nothing is written to *out). The reserved bit of the
 * stream identifier is ignored, as RFC 9113 section 4.1 requires.
 */
h2_status h2_frame_header_parse(const uint8_t *in, size_t in_len,
                                h2_frame_header *out);

/*
 * Writes the 9 bytes of *hdr to out. hdr->length must be at most
 * H2_FRAME_LENGTH_MAX; the reserved bit is written as zero.
 */
void h2_frame_header_write(const h2_frame_header *hdr, uint8_t *out);

/*
 * Everything that can be checked from the header alone, so that a receiver
 * can reject a frame before buffering its payload:
 *   - length above max_frame_size: H2_E_FRAME_SIZE;
 *   - a fixed-size type with another length (PRIORITY 5, RST_STREAM 4,
 *     PING 8, WINDOW_UPDATE 4, SETTINGS a multiple of 6 and empty with
 *     ACK): H2_E_FRAME_SIZE;
 *   - DATA, HEADERS, PRIORITY, RST_STREAM, PUSH_PROMISE, CONTINUATION on
 *     stream 0, or SETTINGS, PING, GOAWAY on another stream: H2_E_PROTOCOL.
 * Unknown types pass. The scope of the error (stream or connection) is the
 * caller's decision; RFC 9113 gives it per frame type.
 */
h2_status h2_frame_header_check(const h2_frame_header *hdr,
                                uint32_t max_frame_size);

/*
 * Parses the payload of a frame whose header is *hdr; payload holds
 * hdr->length bytes. Performs the checks of h2_frame_header_check() except
 * the max frame size, and in addition:
 *   - padding: a pad length greater than the payload that remains after
 *     the Pad Length (and priority, promised id) fields: H2_E_PROTOCOL;
 *   - a padded or prioritized frame too short for those fields:
 *     H2_E_FRAME_SIZE;
 *   - GOAWAY shorter than 8 bytes, PUSH_PROMISE shorter than 4:
 *     H2_E_FRAME_SIZE; ALTSVC shorter than 2 or with an origin longer than
 *     the payload: H2_E_FRAME_SIZE;
 *   - a WINDOW_UPDATE increment of zero, or a stream that depends on
 *     itself (HEADERS or PRIORITY): H2_E_PROTOCOL (with *out filled, so the
 *     caller can tell stream from connection scope).
 * On success *out is filled and its pointers point into payload (fields
 * the type does not use are zero, unused pointers are payload with length
 * 0). On error *out may be partly written.
 */
h2_status h2_frame_parse(const h2_frame_header *hdr, const uint8_t *payload,
                         h2_frame *out);

/*
 * Serializes *frame (header and payload) into out[0..cap). hdr.length is
 * ignored and computed from the fields. On success *written is the frame
 * size. When it does not fit, returns H2_E_BUFFER_TOO_SMALL, sets *written
 * to the size needed and writes nothing. H2_E_INVALID_ARGUMENT (nothing
 * written, *written set to 0) when the payload would exceed
 * H2_FRAME_LENGTH_MAX, a 31-bit field (stream identifier, dependency,
 * promised or last stream identifier, window increment) exceeds
 * H2_STREAM_ID_MAX, or an ALTSVC origin_len exceeds 0xffff. Padding is
 * written as zeros.
 */
h2_status h2_frame_write(const h2_frame *frame, uint8_t *out, size_t cap,
                         size_t *written);

/* The payload length h2_frame_write() would give *frame (before range
 * checks; may exceed H2_FRAME_LENGTH_MAX). */
uint64_t h2_frame_payload_length(const h2_frame *frame);

/* Entry index of a SETTINGS frame; index < data_len / 6. */
void h2_frame_setting_at(const h2_frame *frame, uint32_t index,
                         uint16_t *id, uint32_t *value);

/* Writes one 6-byte SETTINGS entry to out. */
void h2_setting_write(uint16_t id, uint32_t value, uint8_t *out);

#endif
