/*
 * libh2: status codes returned by every call, and the RFC 9113 error codes
 * that travel on the wire in RST_STREAM and GOAWAY frames.
 */
#ifndef H2_STATUS_H
#define H2_STATUS_H

#include <stdint.h>

/* Library status codes. The H2_E_* values mirror the exceptions of Python's
 * h2 and hpack packages so that code written against either reads alike. */
typedef enum h2_status {
    H2_OK = 0,
    H2_E_INCOMPLETE,            /* input ended before the item did: feed more */
    H2_E_BUFFER_TOO_SMALL,      /* output does not fit; nothing was written */
    H2_E_WOULD_BLOCK,           /* outbound buffer full; nothing was written */
    H2_E_INVALID_ARGUMENT,      /* the caller broke a documented precondition */
    H2_E_PROTOCOL,              /* ProtocolError: PROTOCOL_ERROR */
    H2_E_FRAME_SIZE,            /* FrameTooLargeError, FrameDataMissingError */
    H2_E_FLOW_CONTROL,          /* FlowControlError */
    H2_E_STREAM_CLOSED,         /* StreamClosedError */
    H2_E_NO_SUCH_STREAM,        /* NoSuchStreamError */
    H2_E_TOO_MANY_STREAMS,      /* TooManyStreamsError */
    H2_E_STREAM_ID_TOO_LOW,     /* StreamIDTooLowError */
    H2_E_NO_AVAILABLE_STREAM_ID,/* NoAvailableStreamIDError */
    H2_E_INVALID_SETTINGS_VALUE,/* InvalidSettingsValueError */
    H2_E_DENIAL_OF_SERVICE,     /* DenialOfServiceError: ENHANCE_YOUR_CALM */
    H2_E_INVALID_BODY_LENGTH,   /* InvalidBodyLengthError */
    H2_E_COMPRESSION,           /* hpack HPACKDecodingError: COMPRESSION_ERROR */
    H2_E_HPACK_INVALID_INDEX,   /* hpack InvalidTableIndex */
    H2_E_HPACK_INVALID_TABLE_SIZE,  /* hpack InvalidTableSizeError */
    H2_E_HPACK_HEADER_LIST_TOO_LARGE, /* hpack OversizedHeaderListError */
    H2_E_CONNECTION_CLOSED,     /* the connection is closed: no further use */
    H2_STATUS_COUNT             /* number of status codes, not a status */
} h2_status;

/* RFC 9113 section 7 error codes, as carried by RST_STREAM and GOAWAY. */
typedef enum h2_error_code {
    H2_NO_ERROR = 0x0,
    H2_PROTOCOL_ERROR = 0x1,
    H2_INTERNAL_ERROR = 0x2,
    H2_FLOW_CONTROL_ERROR = 0x3,
    H2_SETTINGS_TIMEOUT = 0x4,
    H2_STREAM_CLOSED = 0x5,
    H2_FRAME_SIZE_ERROR = 0x6,
    H2_REFUSED_STREAM = 0x7,
    H2_CANCEL = 0x8,
    H2_COMPRESSION_ERROR = 0x9,
    H2_CONNECT_ERROR = 0xa,
    H2_ENHANCE_YOUR_CALM = 0xb,
    H2_INADEQUATE_SECURITY = 0xc,
    H2_HTTP_1_1_REQUIRED = 0xd
} h2_error_code;

/* A short constant name for a status ("H2_E_PROTOCOL"); never NULL. */
const char *h2_status_name(h2_status status);

/* The RFC 9113 error code a peer is sent for a failure with this status. */
uint32_t h2_status_error_code(h2_status status);

#endif
