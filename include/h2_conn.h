/*
 * libh2 connection layer: the HTTP/2 connection state machine (RFC 9113),
 * the counterpart of Python h2's H2Connection. Bytes received become
 * events, one per h2_recv() call; API calls become bytes in a fixed
 * outbound buffer that h2_data_to_send() drains. No allocation, no I/O.
 */
#ifndef H2_CONN_H
#define H2_CONN_H

#include <stddef.h>
#include <stdint.h>

#include "h2_config.h"
#include "h2_frame.h"
#include "h2_headers.h"
#include "h2_hpack.h"
#include "h2_settings.h"
#include "h2_status.h"
#include "h2_stream.h"
#include "h2_window.h"

/* Bytes of frames waiting to be sent. Every API call that does not fit in
 * what is free returns H2_E_WOULD_BLOCK and writes nothing. */
#ifndef H2_OUTBOUND_CAPACITY
#define H2_OUTBOUND_CAPACITY 65536u
#endif
/* Payload bytes of a control frame (GOAWAY debug data, ALTSVC, unknown
 * frame types) kept when the frame arrives split across h2_recv() calls;
 * a frame that arrives whole is delivered in place, whatever its size. */
#ifndef H2_CONTROL_BUFFER_CAPACITY
#define H2_CONTROL_BUFFER_CAPACITY 512u
#endif
/* Fields one h2_send_headers() call may carry after cookie splitting. */
#ifndef H2_MAX_SEND_FIELDS
#define H2_MAX_SEND_FIELDS 128u
#endif

#if H2_OUTBOUND_CAPACITY < 1024u
#error "H2_OUTBOUND_CAPACITY must be at least 1024"
#endif

/* The connection preface a client sends first (RFC 9113 section 3.4). */
#define H2_CLIENT_PREFACE "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
#define H2_CLIENT_PREFACE_LEN 24u

/* h2's H2Configuration. */
typedef struct h2_config {
    uint8_t client_side;               /* 1: client, 0: server */
    uint8_t validate_outbound_headers; /* default 1 */
    uint8_t normalize_outbound_headers;/* default 1: split cookies, flag
                                          secrets never-indexed */
    uint8_t validate_inbound_headers;  /* default 1 */
    uint8_t normalize_inbound_headers; /* default 1: join cookie crumbs */
} h2_config;

typedef enum h2_event_type {
    H2_EVENT_NONE = 0,                 /* the input ran out: feed more */
    H2_EVENT_REQUEST_RECEIVED,
    H2_EVENT_RESPONSE_RECEIVED,
    H2_EVENT_TRAILERS_RECEIVED,
    H2_EVENT_INFORMATIONAL_RESPONSE_RECEIVED,
    H2_EVENT_DATA_RECEIVED,
    H2_EVENT_WINDOW_UPDATED,
    H2_EVENT_REMOTE_SETTINGS_CHANGED,
    H2_EVENT_PING_RECEIVED,
    H2_EVENT_PING_ACK_RECEIVED,
    H2_EVENT_STREAM_ENDED,
    H2_EVENT_STREAM_RESET,
    H2_EVENT_PUSHED_STREAM_RECEIVED,
    H2_EVENT_SETTINGS_ACKNOWLEDGED,
    H2_EVENT_PRIORITY_UPDATED,
    H2_EVENT_CONNECTION_TERMINATED,
    H2_EVENT_ALTERNATIVE_SERVICE_AVAILABLE,
    H2_EVENT_UNKNOWN_FRAME_RECEIVED,
    H2_EVENT_TYPE_COUNT
} h2_event_type;

/*
 * One event. Which fields mean something depends on type (the names follow
 * h2's events). Pointers (data, headers, additional_data, origin, ...)
 * stay valid until the next h2_recv() call on the connection.
 *
 *   REQUEST/RESPONSE/TRAILERS/INFORMATIONAL_RESPONSE_RECEIVED:
 *       stream_id, headers (h2_event_header()), stream_ended (a
 *       STREAM_ENDED event follows), priority_updated (a PRIORITY_UPDATED
 *       event follows, with priority)
 *   PUSHED_STREAM_RECEIVED: stream_id (the pushed stream),
 *       parent_stream_id, headers
 *   DATA_RECEIVED: stream_id, data/data_len, flow_controlled_length (the
 *       bytes this event takes from the flow-control windows, padding
 *       included: pass it to h2_acknowledge_received_data()), stream_ended
 *   WINDOW_UPDATED: stream_id (0: the connection), delta
 *   REMOTE_SETTINGS_CHANGED, SETTINGS_ACKNOWLEDGED: settings[0..count)
 *   PING_RECEIVED, PING_ACK_RECEIVED: ping_data
 *   STREAM_ENDED: stream_id
 *   STREAM_RESET: stream_id, error_code, remote_reset (0: we reset it,
 *       because the peer broke a rule on that stream)
 *   PRIORITY_UPDATED: stream_id, priority (depends_on, weight, exclusive)
 *   CONNECTION_TERMINATED: error_code, last_stream_id, additional_data
 *   ALTERNATIVE_SERVICE_AVAILABLE: stream_id, origin, field_value
 *   UNKNOWN_FRAME_RECEIVED: frame_type, frame_flags, stream_id, payload
 */
typedef struct h2_event {
    h2_event_type type;
    uint32_t stream_id;
    uint32_t parent_stream_id;
    const h2_header_arena *headers;
    uint8_t stream_ended;
    uint8_t priority_updated;
    uint8_t remote_reset;
    h2_priority priority; /* weight is the wire value, the weight minus 1 */
    const uint8_t *data;
    uint32_t data_len;
    uint32_t flow_controlled_length;
    uint32_t delta;
    h2_changed_setting settings[H2_SETTINGS_KNOWN];
    uint32_t settings_count;
    uint8_t ping_data[H2_PING_PAYLOAD_SIZE];
    uint32_t error_code;
    uint32_t last_stream_id;
    const uint8_t *additional_data;
    uint32_t additional_data_len;
    const uint8_t *origin;
    uint32_t origin_len;
    const uint8_t *field_value;
    uint32_t field_value_len;
    uint8_t frame_type;
    uint8_t frame_flags;
    const uint8_t *payload;
    uint32_t payload_len;
} h2_event;

/* Connection states (h2's ConnectionState, simplified). */
typedef enum h2_conn_state {
    H2_CONN_IDLE = 0,     /* before h2_initiate_connection() */
    H2_CONN_OPEN,
    H2_CONN_CLOSED        /* GOAWAY sent or received with an error, or a
                             connection error: no further use */
} h2_conn_state;

/* private: what the receiver is in the middle of. */
typedef struct h2_recv_state {
    uint8_t phase;
    uint8_t hdr_buf[H2_FRAME_HEADER_SIZE];
    uint8_t hdr_have;
    h2_frame_header hdr;
    uint32_t remaining;      /* payload bytes of the frame still to come */
    uint32_t pad_remaining;  /* trailing padding bytes still to skip */
    uint8_t fixed[8];        /* pad length, priority, promised id, ... */
    uint8_t fixed_have;
    uint8_t fixed_need;
    uint32_t flow_pending;   /* padding overhead not yet reported */
    uint32_t preface_have;
    uint32_t block_stream;   /* stream of the header block in progress */
    uint32_t promised_stream;
    uint8_t block_kind;      /* what the block in progress will be */
    uint8_t block_end_stream;
    uint8_t block_discard;   /* decode only to keep HPACK in step */
    uint8_t block_has_priority;
    h2_priority block_priority;
    uint8_t control[H2_CONTROL_BUFFER_CAPACITY];
    uint32_t control_have;
    uint32_t settings_count;
    h2_changed_setting settings[H2_SETTINGS_KNOWN];
    uint32_t block_error;    /* RFC code to reset the block's stream with */
    uint8_t block_refused;   /* the stream was refused: no event */
    uint8_t in_recv;         /* 1 while h2_recv() runs: the room kept for
                                the frame in progress is its to use */
} h2_recv_state;

typedef struct h2_conn {
    h2_config config;
    uint8_t state;                  /* h2_conn_state */
    uint8_t goaway_sent;
    uint8_t goaway_received;
    uint32_t goaway_last_stream_id; /* from the peer's GOAWAY */
    uint32_t goaway_sent_last_id;   /* in our GOAWAY */
    h2_settings local_settings;     /* ours, as acknowledged */
    h2_settings local_initial;      /* ours, for the first SETTINGS frame */
    h2_settings_queue local_pending;
    h2_settings remote_settings;    /* the peer's */
    h2_hpack_encoder encoder;
    h2_hpack_decoder decoder;
    h2_header_arena arena;
    h2_stream_pool streams;
    int32_t send_window;            /* connection window for our DATA */
    h2_recv_window recv_window;     /* connection window for theirs */
    uint32_t next_stream_id;        /* next id we may open */
    uint32_t highest_inbound_id;    /* highest id the peer opened */
    uint32_t highest_outbound_id;
    uint32_t open_inbound;          /* counted as RFC 9113 5.1.2 says */
    uint32_t open_outbound;
    h2_recv_state rx;               /* private */
    h2_header send_fields[H2_MAX_SEND_FIELDS]; /* private: prepared fields */
    h2_hpack_found send_found[H2_MAX_SEND_FIELDS]; /* private: their places
                                                      in the encoder */
    uint8_t sent_unchecked;         /* private: a block went out without
                                       outbound validation, so the encoder's
                                       table may hold unchecked fields */
    h2_event pending[4];            /* private: events still to deliver */
    uint32_t pending_first;         /* private */
    uint32_t pending_count;         /* private */
    uint32_t out_start;             /* private: outbound[out_start..out_end) */
    uint32_t out_end;
    uint8_t outbound[H2_OUTBOUND_CAPACITY];
} h2_conn;

/* ---- set-up ---- */

/* h2's defaults: validation and normalization on. */
void h2_config_init(h2_config *config, int client_side);

/* A new connection. Local settings start at the RFC values with
 * MAX_CONCURRENT_STREAMS = H2_MAX_STREAMS and MAX_HEADER_LIST_SIZE =
 * H2_HEADER_ARENA_CAPACITY; change them with h2_update_settings() before
 * h2_initiate_connection() to have them in the first SETTINGS frame. */
void h2_conn_init(h2_conn *conn, const h2_config *config);

/* Queues the client preface (client) and our SETTINGS frame. */
h2_status h2_initiate_connection(h2_conn *conn);

/*
 * HTTP/1.1 Upgrade (RFC 7540 section 3.2). Client: writes the base64url
 * HTTP2-Settings value for the request into out[0..cap) (*written bytes)
 * and takes stream 1 as opened and half-closed (local). Server: settings
 * is the client's HTTP2-Settings value, applied as the peer's settings;
 * stream 1 is half-closed (remote). Call instead of
 * h2_initiate_connection().
 */
h2_status h2_initiate_upgrade_connection(h2_conn *conn,
                                         const uint8_t *settings,
                                         size_t settings_len, uint8_t *out,
                                         size_t cap, size_t *written);

/* ---- receiving ---- */

/*
 * Consumes in[0..in_len) until one event is complete or the input runs
 * out (event->type == H2_EVENT_NONE), and sets *used to the bytes taken.
 * Call again with the rest. On a peer's connection error: the GOAWAY is
 * queued, the status says what went wrong (its RFC code is
 * h2_status_error_code()) and the connection is closed; later calls
 * return H2_E_CONNECTION_CLOSED. H2_E_WOULD_BLOCK: the outbound buffer is
 * too full to take the answers this input may need: drain it first.
 * While a frame is half received, calls made between two h2_recv() leave
 * 64 bytes of the outbound buffer free for its answer (an ACK, a
 * RST_STREAM, a WINDOW_UPDATE, a GOAWAY).
 */
h2_status h2_recv(h2_conn *conn, const uint8_t *in, size_t in_len,
                  size_t *used, h2_event *event);

/* Header index (i < event->headers->count) of a headers event. */
void h2_event_header(const h2_event *event, uint32_t index, h2_header *out);

/* ---- sending ---- */

h2_status h2_send_headers(h2_conn *conn, uint32_t stream_id,
                          const h2_header *fields, size_t count,
                          int end_stream, const h2_priority *priority,
                          uint8_t pad_length);

/* DATA on a stream whose final (non-1xx) HEADERS were sent: H2_E_PROTOCOL
 * before them (RFC 9113 8.1), H2_E_FLOW_CONTROL beyond the windows, except
 * an empty frame, which fits even a negative window. */
h2_status h2_send_data(h2_conn *conn, uint32_t stream_id,
                       const uint8_t *data, size_t len, int end_stream,
                       uint8_t pad_length);

h2_status h2_end_stream(h2_conn *conn, uint32_t stream_id);

/* Server push (RFC 9113 8.4): a PUSH_PROMISE on a request of the client's
 * that we are still answering, unless the client disabled push or sent
 * GOAWAY (H2_E_PROTOCOL). */
h2_status h2_push_stream(h2_conn *conn, uint32_t stream_id,
                         uint32_t promised_stream_id,
                         const h2_header *fields, size_t count);

h2_status h2_ping(h2_conn *conn, const uint8_t opaque[H2_PING_PAYLOAD_SIZE]);

h2_status h2_reset_stream(h2_conn *conn, uint32_t stream_id,
                          uint32_t error_code);

/* GOAWAY. last_stream_id: the highest stream we processed, or pass
 * H2_LAST_STREAM_AUTO for the highest the peer opened; never more than a
 * GOAWAY sent before said (RFC 9113 6.8: it may only go down, so a larger
 * value is lowered to the previous one). After an error code
 * other than NO_ERROR the connection is closed; with NO_ERROR it is
 * graceful: open streams finish, new ones are refused. */
#define H2_LAST_STREAM_AUTO 0xffffffffu
h2_status h2_close_connection(h2_conn *conn, uint32_t error_code,
                              uint32_t last_stream_id,
                              const uint8_t *additional_data,
                              size_t additional_len);

/* Sends SETTINGS; they take effect when the peer acknowledges them.
 * H2_E_INVALID_SETTINGS_VALUE for a value the RFC or this build's
 * capacities forbid (ENABLE_PUSH = 1 from a server included);
 * H2_E_FLOW_CONTROL for an INITIAL_WINDOW_SIZE raise that would push some
 * stream's window past 2^31 - 1 at the peer. */
h2_status h2_update_settings(h2_conn *conn, const h2_setting *settings,
                             uint32_t count);

/* WINDOW_UPDATE for the connection (stream_id 0) or a stream.
 * H2_E_FLOW_CONTROL when the window, as the peer will see it (raises of
 * INITIAL_WINDOW_SIZE not yet acknowledged included), would pass
 * 2^31 - 1; H2_E_PROTOCOL on a stream we promised but have not answered. */
h2_status h2_increment_flow_control_window(h2_conn *conn, uint32_t increment,
                                           uint32_t stream_id);

/* The application finished with size bytes of DATA on a stream: window
 * updates are sent when h2's policy says so (not byte by byte). */
h2_status h2_acknowledge_received_data(h2_conn *conn, uint32_t size,
                                       uint32_t stream_id);

h2_status h2_prioritize(h2_conn *conn, uint32_t stream_id, uint16_t weight,
                        uint32_t depends_on, int exclusive);

/* ALTSVC (RFC 7838): on stream 0 with an origin, or on a stream without. */
h2_status h2_advertise_alternative_service(h2_conn *conn,
                                           const uint8_t *field_value,
                                           size_t field_value_len,
                                           const uint8_t *origin,
                                           size_t origin_len,
                                           uint32_t stream_id);

/* ---- queries ---- */

/* The next stream id we may open: H2_E_NO_AVAILABLE_STREAM_ID when the
 * id space is used up. */
h2_status h2_get_next_available_stream_id(const h2_conn *conn, uint32_t *id);

/* Bytes we may send now on a stream (the smaller of its window and the
 * connection's): h2's local_flow_control_window. */
h2_status h2_local_flow_control_window(const h2_conn *conn,
                                       uint32_t stream_id, int32_t *window);

/* Bytes the peer may send now (0: the connection): h2's
 * remote_flow_control_window. */
h2_status h2_remote_flow_control_window(const h2_conn *conn,
                                        uint32_t stream_id, int32_t *window);

uint32_t h2_max_outbound_frame_size(const h2_conn *conn);
uint32_t h2_max_inbound_frame_size(const h2_conn *conn);
uint32_t h2_open_inbound_streams(const h2_conn *conn);
uint32_t h2_open_outbound_streams(const h2_conn *conn);

/* ---- outbound buffer ---- */

/* Moves up to cap queued bytes to out; returns how many. */
size_t h2_data_to_send(h2_conn *conn, uint8_t *out, size_t cap);

/* Zero-copy draining: the queued bytes, then how many were sent. */
const uint8_t *h2_outbound_peek(const h2_conn *conn, size_t *len);
void h2_outbound_consume(h2_conn *conn, size_t len);

void h2_clear_outbound_data_buffer(h2_conn *conn);

#endif
