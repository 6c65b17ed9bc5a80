/*
 * libh2 connection layer (RFC 9113): the receive state machine that turns
 * bytes into events, and the API calls that queue frames.
 *
 * Receiving works on byte runs, never on copies where it can avoid them:
 * DATA payloads are handed out as pointers into the caller's input, header
 * block fragments go straight into the incremental HPACK decoder, and only
 * the small fixed fields of a frame (and control frames split across calls)
 * are gathered in the connection.
 */
#include "h2_conn.h"

#include "h2_bytes.h"

/* Receiver phases. */
#define RX_PREFACE 0u   /* server: the client preface */
#define RX_HEADER 1u    /* the 9-byte frame header */
#define RX_FIXED 2u     /* leading fixed fields of DATA/HEADERS/PUSH_PROMISE */
#define RX_DATA 3u      /* DATA payload, handed out in place */
#define RX_BLOCK 4u     /* header block fragment, into HPACK */
#define RX_CONTROL 5u   /* control frame payload */
#define RX_SETTINGS 6u  /* SETTINGS entries, 6 bytes at a time */
#define RX_SKIP 7u      /* padding, or the rest of a frame we dropped */

/* Room kept free in the outbound buffer before a frame is taken in: the
 * most any one received frame makes us queue (an ACK, or a RST_STREAM and
 * a WINDOW_UPDATE, or a GOAWAY). While a frame is half received, calls
 * between two h2_recv() leave it free too. */
#define RX_RESERVE 64u

#define PENDING_MAX 4u

/* Peer errors are either on a stream or on the whole connection. */
#define SCOPE_STREAM 0
#define SCOPE_CONN 1

static const uint8_t client_preface[H2_CLIENT_PREFACE_LEN] = {
    'P', 'R', 'I', ' ', '*', ' ', 'H', 'T', 'T', 'P', '/', '2', '.', '0',
    '\r', '\n', '\r', '\n', 'S', 'M', '\r', '\n', '\r', '\n'
};

/*@ predicate conn_ok(h2_conn *c) =
        c->out_start <= c->out_end <= H2_OUTBOUND_CAPACITY &&
        c->pending_first < PENDING_MAX && c->pending_count <= PENDING_MAX &&
        c->rx.hdr_have <= H2_FRAME_HEADER_SIZE &&
        c->rx.fixed_have <= 8 && c->rx.fixed_need <= 8 &&
        c->rx.control_have <= H2_CONTROL_BUFFER_CAPACITY &&
        c->rx.preface_have <= H2_CLIENT_PREFACE_LEN &&
        c->rx.settings_count <= H2_SETTINGS_KNOWN;
*/

/* ------------------------------------------------------------------ */
/* Outbound buffer                                                     */
/* ------------------------------------------------------------------ */

/* A frame is half received: its header has begun to arrive and what it
 * makes us queue may still be to come. */
/*@ requires \valid_read(c);
    assigns \nothing;
    ensures \result == 0 <==>
            (c->rx.hdr_have == 0 &&
             (c->rx.phase == RX_HEADER || c->rx.phase == RX_PREFACE));
*/
static int rx_mid_frame(const h2_conn *c)
{
    return c->rx.hdr_have > 0u ||
           (c->rx.phase != (uint8_t)RX_HEADER && c->rx.phase != (uint8_t)RX_PREFACE);
}

/* Room for the caller: outside h2_recv(), a half-received frame's
 * RX_RESERVE is not the caller's. */
/*@ requires \valid_read(c) && conn_ok(c);
    assigns \nothing;
    ensures \result <= H2_OUTBOUND_CAPACITY - (c->out_end - c->out_start);
    ensures \result + RX_RESERVE >= H2_OUTBOUND_CAPACITY - (c->out_end - c->out_start);
    ensures (c->rx.in_recv != 0 ||
             (c->rx.hdr_have == 0 &&
              (c->rx.phase == RX_HEADER || c->rx.phase == RX_PREFACE))) ==>
            \result == H2_OUTBOUND_CAPACITY - (c->out_end - c->out_start);
*/
static uint32_t out_room(const h2_conn *c)
{
    uint32_t room = H2_OUTBOUND_CAPACITY - (c->out_end - c->out_start);
    if (c->rx.in_recv == 0u && rx_mid_frame(c)) {
        return room > RX_RESERVE ? room - RX_RESERVE : 0u;
    }
    return room;
}

/*
 * Makes need contiguous bytes available at out_end (need <= room) and
 * returns where they start; the caller fills them and calls out_commit.
 */
/*@ requires \valid(c) && conn_ok(c);
    requires need <= H2_OUTBOUND_CAPACITY - (c->out_end - c->out_start);
    assigns c->outbound[0 .. H2_OUTBOUND_CAPACITY - 1], c->out_start, c->out_end;
    ensures conn_ok(c);
    ensures c->out_end + need <= H2_OUTBOUND_CAPACITY;
    ensures c->out_end - c->out_start == \old(c->out_end - c->out_start);
    ensures \result == c->out_end;
*/
static uint32_t out_reserve(h2_conn *c, uint32_t need)
{
    if (H2_OUTBOUND_CAPACITY - c->out_end < need) {
        /* Slide the queued bytes to the front (an overlapping move
         * towards lower addresses is safe front to back). */
        uint32_t n = c->out_end - c->out_start;
        uint32_t i;
        /*@ loop invariant 0 <= i <= n;
            loop assigns i, c->outbound[0 .. H2_OUTBOUND_CAPACITY - 1];
            loop variant n - i;
        */
        for (i = 0u; i < n; i++) {
            c->outbound[i] = c->outbound[c->out_start + i];
        }
        c->out_start = 0u;
        c->out_end = n;
    }
    return c->out_end;
}

/*@ requires \valid(c) && conn_ok(c);
    requires c->out_end + n <= H2_OUTBOUND_CAPACITY;
    assigns c->out_end;
    ensures conn_ok(c) && c->out_end == \old(c->out_end) + n;
*/
static void out_commit(h2_conn *c, uint32_t n)
{
    c->out_end += n;
}

/*
 * Queues one whole frame built from *f (nothing written when it does not
 * fit: H2_E_WOULD_BLOCK).
 */
/*@ requires \valid(c) && conn_ok(c);
    requires \valid_read(f);
    requires f->data_len == 0 || \valid_read(f->data + (0 .. f->data_len - 1));
    requires f->origin_len == 0 || \valid_read(f->origin + (0 .. f->origin_len - 1));
    requires \separated(c, f);
    assigns c->outbound[0 .. H2_OUTBOUND_CAPACITY - 1], c->out_start, c->out_end;
    ensures conn_ok(c);
*/
static h2_status out_frame(h2_conn *c, const h2_frame *f)
{
    uint64_t need = (uint64_t)H2_FRAME_HEADER_SIZE + h2_frame_payload_length(f);
    uint32_t at;
    size_t written = 0u;
    h2_status st;

    if (need > (uint64_t)out_room(c)) {
        return H2_E_WOULD_BLOCK;
    }
    at = out_reserve(c, (uint32_t)need);
    st = h2_frame_write(f, &c->outbound[at], H2_OUTBOUND_CAPACITY - at, &written);
    if (st != H2_OK) {
        return st;
    }
    out_commit(c, (uint32_t)written);
    return H2_OK;
}

/*@ requires \valid(f);
    assigns *f;
    ensures f->hdr.type == type && f->hdr.flags == flags &&
            f->hdr.stream_id == stream_id;
    ensures f->data_len == 0 && f->origin_len == 0;
*/
static void frame_clear(h2_frame *f, uint8_t type, uint8_t flags, uint32_t stream_id)
{
    f->hdr.length = 0u;
    f->hdr.type = type;
    f->hdr.flags = flags;
    f->hdr.stream_id = stream_id;
    f->data = (const uint8_t *)0;
    f->data_len = 0u;
    f->pad_length = 0u;
    f->priority.dependency = 0u;
    f->priority.weight = 0u;
    f->priority.exclusive = 0u;
    f->error_code = 0u;
    f->promised_stream_id = 0u;
    f->last_stream_id = 0u;
    f->window_increment = 0u;
    h2_bytes_fill(f->opaque, 0u, H2_PING_PAYLOAD_SIZE);
    f->origin = (const uint8_t *)0;
    f->origin_len = 0u;
}

/*@ requires \valid(c) && conn_ok(c);
    assigns c->outbound[0 .. H2_OUTBOUND_CAPACITY - 1], c->out_start, c->out_end;
    ensures conn_ok(c);
*/
static h2_status out_rst_stream(h2_conn *c, uint32_t stream_id, uint32_t code)
{
    h2_frame f;
    frame_clear(&f, (uint8_t)H2_FRAME_RST_STREAM, 0u, stream_id);
    f.error_code = code;
    return out_frame(c, &f);
}

/*@ requires \valid(c) && conn_ok(c);
    assigns c->outbound[0 .. H2_OUTBOUND_CAPACITY - 1], c->out_start, c->out_end;
    ensures conn_ok(c);
*/
static h2_status out_window_update(h2_conn *c, uint32_t stream_id, uint32_t increment)
{
    h2_frame f;
    frame_clear(&f, (uint8_t)H2_FRAME_WINDOW_UPDATE, 0u, stream_id);
    f.window_increment = increment;
    return out_frame(c, &f);
}

/* ------------------------------------------------------------------ */
/* Set-up                                                              */
/* ------------------------------------------------------------------ */

/*@ requires \valid(config);
    assigns *config;
    ensures config->client_side == (client_side != 0);
*/
void h2_config_init(h2_config *config, int client_side)
{
    config->client_side = (uint8_t)(client_side != 0);
    config->validate_outbound_headers = 1u;
    config->normalize_outbound_headers = 1u;
    config->validate_inbound_headers = 1u;
    config->normalize_inbound_headers = 1u;
}

/*@ requires \valid(e);
    assigns *e;
*/
static void event_clear(h2_event *e)
{
    uint32_t i;
    e->type = H2_EVENT_NONE;
    e->stream_id = 0u;
    e->parent_stream_id = 0u;
    e->headers = (const h2_header_arena *)0;
    e->stream_ended = 0u;
    e->priority_updated = 0u;
    e->remote_reset = 0u;
    e->priority.dependency = 0u;
    e->priority.weight = 0u;
    e->priority.exclusive = 0u;
    e->data = (const uint8_t *)0;
    e->data_len = 0u;
    e->flow_controlled_length = 0u;
    e->delta = 0u;
    /*@ loop invariant 0 <= i <= H2_SETTINGS_KNOWN;
        loop assigns i, e->settings[0 .. H2_SETTINGS_KNOWN - 1];
        loop variant H2_SETTINGS_KNOWN - i;
    */
    for (i = 0u; i < H2_SETTINGS_KNOWN; i++) {
        e->settings[i].id = 0u;
        e->settings[i].old_value = 0u;
        e->settings[i].new_value = 0u;
    }
    e->settings_count = 0u;
    h2_bytes_fill(e->ping_data, 0u, H2_PING_PAYLOAD_SIZE);
    e->error_code = 0u;
    e->last_stream_id = 0u;
    e->additional_data = (const uint8_t *)0;
    e->additional_data_len = 0u;
    e->origin = (const uint8_t *)0;
    e->origin_len = 0u;
    e->field_value = (const uint8_t *)0;
    e->field_value_len = 0u;
    e->frame_type = 0u;
    e->frame_flags = 0u;
    e->payload = (const uint8_t *)0;
    e->payload_len = 0u;
}

/*@ requires \valid(conn);
    requires \valid_read(config);
    requires \separated(conn, config);
    assigns *conn;
    ensures conn_ok(conn);
*/
void h2_conn_init(h2_conn *conn, const h2_config *config)
{
    conn->config = *config;
    conn->state = (uint8_t)H2_CONN_IDLE;
    conn->goaway_sent = 0u;
    conn->goaway_received = 0u;
    conn->goaway_last_stream_id = H2_STREAM_ID_MAX;
    conn->goaway_sent_last_id = H2_STREAM_ID_MAX;
    /* Until the peer acknowledges our first SETTINGS, the RFC's initial
     * values are the ones in force. */
    h2_settings_init(&conn->local_settings);
    h2_settings_init(&conn->local_initial);
    /* We can only honour what the fixed pool and arena hold. */
    conn->local_initial.values[2] = H2_MAX_STREAMS;
    conn->local_initial.values[5] = H2_HEADER_ARENA_CAPACITY;
    if (config->client_side == 0u) {
        /* Servers never accept pushes: say so, as h2 does. */
        conn->local_initial.values[1] = 0u;
    }
    h2_settings_queue_init(&conn->local_pending);
    h2_settings_init(&conn->remote_settings);
    h2_hpack_encoder_init(&conn->encoder);
    conn->sent_unchecked = 0u;
    h2_hpack_decoder_init(&conn->decoder, H2_HEADER_ARENA_CAPACITY);
    h2_header_arena_reset(&conn->arena);
    h2_stream_pool_init(&conn->streams);
    conn->send_window = (int32_t)H2_DEFAULT_WINDOW_SIZE;
    h2_recv_window_init(&conn->recv_window, H2_DEFAULT_WINDOW_SIZE);
    conn->next_stream_id = config->client_side != 0u ? 1u : 2u;
    conn->highest_inbound_id = 0u;
    conn->highest_outbound_id = 0u;
    conn->open_inbound = 0u;
    conn->open_outbound = 0u;
    conn->rx.phase = (uint8_t)(config->client_side != 0u ? RX_HEADER : RX_PREFACE);
    conn->rx.hdr_have = 0u;
    conn->rx.hdr.length = 0u;
    conn->rx.hdr.type = 0u;
    conn->rx.hdr.flags = 0u;
    conn->rx.hdr.stream_id = 0u;
    conn->rx.remaining = 0u;
    conn->rx.pad_remaining = 0u;
    conn->rx.fixed_have = 0u;
    conn->rx.fixed_need = 0u;
    conn->rx.flow_pending = 0u;
    conn->rx.preface_have = 0u;
    conn->rx.block_stream = 0u;
    conn->rx.promised_stream = 0u;
    conn->rx.block_kind = 0u;
    conn->rx.block_end_stream = 0u;
    conn->rx.block_discard = 0u;
    conn->rx.block_has_priority = 0u;
    conn->rx.block_priority.dependency = 0u;
    conn->rx.block_priority.weight = 0u;
    conn->rx.block_priority.exclusive = 0u;
    conn->rx.control_have = 0u;
    conn->rx.settings_count = 0u;
    conn->rx.block_error = 0u;
    conn->rx.block_refused = 0u;
    conn->rx.in_recv = 0u;
    conn->pending_first = 0u;
    conn->pending_count = 0u;
    conn->out_start = 0u;
    conn->out_end = 0u;
}

/* ------------------------------------------------------------------ */
/* Streams                                                             */
/* ------------------------------------------------------------------ */

/* Streams the peer opened have the peer's parity. */
/*@ requires \valid_read(c);
    assigns \nothing;
*/
static int is_inbound_id(const h2_conn *c, uint32_t id)
{
    /* Clients open odd streams, servers even ones. */
    int odd = (id % 2u) == 1u;
    return c->config.client_side != 0u ? !odd : odd;
}

/*@ assigns \nothing; */
static int counts_as_open(uint8_t state)
{
    return state == (uint8_t)H2_STREAM_OPEN ||
           state == (uint8_t)H2_STREAM_HALF_CLOSED_LOCAL ||
           state == (uint8_t)H2_STREAM_HALF_CLOSED_REMOTE;
}

/*
 * Applies input to a stream and keeps the open-stream counts (RFC 9113
 * 5.1.2: open and half-closed streams count) and the pool in step: a
 * stream that reaches "closed" leaves the pool.
 */
/*@ requires \valid(c) && \valid(s);
    assigns *c, *s;
*/
static h2_stream_verdict stream_input(h2_conn *c, h2_stream *s,
                                      h2_stream_input input,
                                      h2_close_reason reason)
{
    uint8_t before = s->state;
    h2_stream_verdict v = h2_stream_apply(s, input);
    int was = counts_as_open(before);
    int now = counts_as_open(s->state);
    if (v != H2_STREAM_OK) {
        return v;
    }
    if (was != now) {
        if (is_inbound_id(c, s->id)) {
            if (now) {
                c->open_inbound++;
            } else if (c->open_inbound > 0u) {
                c->open_inbound--;
            }
        } else {
            if (now) {
                c->open_outbound++;
            } else if (c->open_outbound > 0u) {
                c->open_outbound--;
            }
        }
    }
    if (s->state == (uint8_t)H2_STREAM_STATE_CLOSED) {
        h2_stream_release(&c->streams, s, reason);
    }
    return v;
}

/*@ requires \valid(c) && \valid(s);
    assigns *c, *s;
*/
static void stream_close_by_reset(h2_conn *c, h2_stream *s, h2_close_reason reason)
{
    h2_stream_input input = reason == H2_CLOSED_BY_SEND_RST_STREAM ?
                            H2_SEND_RST_STREAM : H2_RECV_RST_STREAM;
    if (stream_input(c, s, input, reason) != H2_STREAM_OK) {
        /* Idle or reserved streams still leave the pool. */
        h2_stream_release(&c->streams, s, reason);
    }
}

/* Is a stream id one that the peer could still open? */
/*@ requires \valid_read(c);
    assigns \nothing;
*/
static int inbound_id_is_idle(const h2_conn *c, uint32_t id)
{
    return id > c->highest_inbound_id;
}

/*@ requires \valid_read(c);
    assigns \nothing;
*/
static int outbound_id_is_idle(const h2_conn *c, uint32_t id)
{
    return id > c->highest_outbound_id;
}

/*@ requires \valid_read(c);
    assigns \nothing;
*/
static int id_is_idle(const h2_conn *c, uint32_t id)
{
    return is_inbound_id(c, id) ? inbound_id_is_idle(c, id) : outbound_id_is_idle(c, id);
}

/* Are frames on this stream, which is no longer in the pool, dropped
 * without a word? So they are when we reset it ourselves (the peer may have
 * sent them before our RST_STREAM arrived) and when the peer opened it
 * after our GOAWAY (RFC 9113 5.1 and 6.8); any other closed stream gets
 * STREAM_CLOSED, a stream forgotten by the bounded memory included. */
/*@ requires \valid_read(c);
    assigns \nothing;
*/
static int frames_are_ignored(const h2_conn *c, uint32_t id)
{
    h2_close_reason reason;
    if (c->goaway_sent != 0u && is_inbound_id(c, id) && id > c->goaway_sent_last_id) {
        return 1;
    }
    return h2_stream_closed_reason(&c->streams, id, &reason) != 0 &&
           reason == H2_CLOSED_BY_SEND_RST_STREAM;
}

/* ------------------------------------------------------------------ */
/* Events and errors                                                   */
/* ------------------------------------------------------------------ */

/* A cleared event at the back of the queue (pending_count < PENDING_MAX). */
/*@ requires \valid(c) && conn_ok(c) && c->pending_count < PENDING_MAX;
    assigns c->pending[0 .. PENDING_MAX - 1], c->pending_count;
    ensures conn_ok(c);
    ensures \valid(\result);
*/
static h2_event *push_event(h2_conn *c, h2_event_type type, uint32_t stream_id)
{
    h2_event *e = &c->pending[(c->pending_first + c->pending_count) % PENDING_MAX];
    event_clear(e);
    e->type = type;
    e->stream_id = stream_id;
    c->pending_count++;
    return e;
}

/*@ requires \valid(c) && conn_ok(c) && c->pending_count > 0;
    requires \valid(out) && \separated(c, out);
    assigns *out, c->pending_first, c->pending_count;
    ensures conn_ok(c);
*/
static void pop_event(h2_conn *c, h2_event *out)
{
    *out = c->pending[c->pending_first];
    c->pending_first = (c->pending_first + 1u) % PENDING_MAX;
    c->pending_count--;
}

/* The last stream id for a GOAWAY we send: never above one we sent before
 * (RFC 9113 6.8), as streams the peer opened since were ignored. */
/*@ requires \valid_read(c);
    assigns \nothing;
    ensures \result <= wanted && \result <= c->goaway_sent_last_id;
*/
static uint32_t goaway_last_id(const h2_conn *c, uint32_t wanted)
{
    return wanted < c->goaway_sent_last_id ? wanted : c->goaway_sent_last_id;
}

/* The connection cannot go on: queue a GOAWAY and stop. */
/*@ requires \valid(c) && conn_ok(c);
    assigns *c;
    ensures \result == status;
*/
static h2_status conn_error(h2_conn *c, h2_status status)
{
    h2_frame f;
    if (c->goaway_sent == 0u || c->state != (uint8_t)H2_CONN_CLOSED) {
        frame_clear(&f, (uint8_t)H2_FRAME_GOAWAY, 0u, 0u);
        f.last_stream_id = goaway_last_id(c, c->highest_inbound_id);
        f.error_code = h2_status_error_code(status);
        /* RX_RESERVE keeps room for this. */
        (void)out_frame(c, &f);
        c->goaway_sent = 1u;
        c->goaway_sent_last_id = f.last_stream_id;
    }
    c->state = (uint8_t)H2_CONN_CLOSED;
    return status;
}

/*
 * The peer broke a rule on one stream: RST_STREAM with code, the stream is
 * closed, and (when announce) a StreamReset event with remote_reset 0
 * tells the application.
 */
/*@ requires \valid(c) && conn_ok(c);
    assigns *c;
*/
static void stream_error(h2_conn *c, uint32_t stream_id, uint32_t code, int announce)
{
    h2_stream *s = h2_stream_find(&c->streams, stream_id);
    (void)out_rst_stream(c, stream_id, code);
    if (s != (h2_stream *)0) {
        stream_close_by_reset(c, s, H2_CLOSED_BY_SEND_RST_STREAM);
        if (announce && c->pending_count < PENDING_MAX) {
            h2_event *e = push_event(c, H2_EVENT_STREAM_RESET, stream_id);
            e->error_code = code;
            e->remote_reset = 0u;
        }
    }
}

/* ------------------------------------------------------------------ */
/* Receiving: helpers                                                  */
/* ------------------------------------------------------------------ */

/*@ requires \valid_read(p + (0 .. 3));
    assigns \nothing;
*/
static uint32_t conn_read_u31(const uint8_t *p)
{
    return (uint32_t)(p[0] % 128u) * 16777216u + (uint32_t)p[1] * 65536u +
           (uint32_t)p[2] * 256u + (uint32_t)p[3];
}

/* The largest frame the peer may send us now: our announced limit once
 * it is in force, or a larger one still waiting for its ACK. */
/*@ requires \valid_read(c);
    assigns \nothing;
*/
static uint32_t inbound_frame_limit(const h2_conn *c)
{
    uint32_t now = c->local_settings.values[4];
    uint32_t later = h2_settings_queue_latest(&c->local_pending, &c->local_settings,
                                              (uint16_t)H2_SETTINGS_MAX_FRAME_SIZE);
    return later > now ? later : now;
}

/* Give flow-control credit for DATA nobody will read (dropped frames). */
/*@ requires \valid(c) && conn_ok(c);
    assigns *c;
*/
static void release_connection_window(h2_conn *c, uint32_t n)
{
    uint32_t inc = h2_recv_window_processed(&c->recv_window, n);
    if (inc > 0u) {
        (void)out_window_update(c, 0u, inc);
    }
}

/* Enter the phase for the rest of the frame. */
/*@ requires \valid(c) && conn_ok(c);
    assigns c->rx.phase, c->rx.remaining, c->rx.pad_remaining;
*/
static void rx_skip_rest(h2_conn *c)
{
    c->rx.remaining += c->rx.pad_remaining;
    c->rx.pad_remaining = 0u;
    c->rx.phase = (uint8_t)(c->rx.remaining > 0u ? RX_SKIP : RX_HEADER);
}

/* ------------------------------------------------------------------ */
/* Receiving: DATA                                                     */
/* ------------------------------------------------------------------ */

/*
 * Delivers n bytes of the DATA frame in progress (n may be 0 for an empty
 * frame) as a DataReceived event, and finishes the frame when it is the
 * last of its data.
 */
/*@ requires \valid(c) && conn_ok(c);
    requires n == 0 || \valid_read(p + (0 .. n - 1));
    requires n <= c->rx.remaining;
    assigns *c;
*/
static h2_status data_deliver(h2_conn *c, const uint8_t *p, uint32_t n)
{
    uint32_t id = c->rx.hdr.stream_id;
    h2_stream *s = h2_stream_find(&c->streams, id);
    int last = (n == c->rx.remaining);
    h2_event *e;

    c->rx.remaining -= n;
    if (s == (h2_stream *)0) {
        /* Reset by us while the frame was arriving: drop the rest. */
        release_connection_window(c, n + c->rx.flow_pending);
        c->rx.flow_pending = 0u;
        rx_skip_rest(c);
        return H2_OK;
    }
    s->data_length += n;
    if ((s->flags & H2_STREAM_F_CONTENT_LENGTH) != 0u &&
        (s->flags & H2_STREAM_F_HEAD_REQUEST) == 0u &&
        s->data_length > s->content_length) {
        /* More body than content-length announced (RFC 9113 8.1.1). */
        release_connection_window(c, n + c->rx.flow_pending);
        c->rx.flow_pending = 0u;
        stream_error(c, id, (uint32_t)H2_PROTOCOL_ERROR, 1);
        rx_skip_rest(c);
        return H2_OK;
    }
    e = push_event(c, H2_EVENT_DATA_RECEIVED, id);
    e->data = p;
    e->data_len = n;
    e->flow_controlled_length = n + c->rx.flow_pending;
    c->rx.flow_pending = 0u;
    if (!last) {
        return H2_OK;
    }
    c->rx.phase = (uint8_t)(c->rx.pad_remaining > 0u ? RX_SKIP : RX_HEADER);
    c->rx.remaining = c->rx.pad_remaining;
    c->rx.pad_remaining = 0u;
    if ((c->rx.hdr.flags & H2_FLAG_END_STREAM) != 0u) {
        if ((s->flags & H2_STREAM_F_CONTENT_LENGTH) != 0u &&
            (s->flags & H2_STREAM_F_HEAD_REQUEST) == 0u &&
            s->data_length != s->content_length) {
            /* The event stays: the bytes did arrive. */
            stream_error(c, id, (uint32_t)H2_PROTOCOL_ERROR, 1);
            return H2_OK;
        }
        e->stream_ended = 1u;
        (void)stream_input(c, s, H2_RECV_END_STREAM, H2_CLOSED_BY_RECV_END_STREAM);
        (void)push_event(c, H2_EVENT_STREAM_ENDED, id);
    }
    return H2_OK;
}

/* Everything about a DATA frame that its header tells. */
/*@ requires \valid(c) && conn_ok(c);
    assigns *c;
*/
static h2_status on_data_header(h2_conn *c)
{
    const h2_frame_header *h = &c->rx.hdr;
    h2_stream *s = h2_stream_find(&c->streams, h->stream_id);
    h2_stream_state next;
    h2_stream_verdict v;

    /* Every DATA frame counts against the connection window, even one
     * on a stream that is gone (RFC 9113 6.9). */
    if (h2_recv_window_consume(&c->recv_window, h->length) != H2_OK) {
        return conn_error(c, H2_E_FLOW_CONTROL);
    }
    if (s == (h2_stream *)0) {
        if (id_is_idle(c, h->stream_id)) {
            return conn_error(c, H2_E_PROTOCOL);
        }
        release_connection_window(c, h->length);
        if (!frames_are_ignored(c, h->stream_id)) {
            (void)out_rst_stream(c, h->stream_id, (uint32_t)H2_STREAM_CLOSED);
        }
        c->rx.remaining = h->length;
        c->rx.pad_remaining = 0u;
        rx_skip_rest(c);
        return H2_OK;
    }
    v = h2_stream_transition((h2_stream_state)s->state, H2_RECV_DATA, &next);
    if (v == H2_STREAM_ERROR_PROTOCOL) {
        return conn_error(c, H2_E_PROTOCOL);
    }
    if (v != H2_STREAM_OK) {
        release_connection_window(c, h->length);
        stream_error(c, h->stream_id, (uint32_t)H2_STREAM_CLOSED, 1);
        c->rx.remaining = h->length;
        c->rx.pad_remaining = 0u;
        rx_skip_rest(c);
        return H2_OK;
    }
    if (h2_recv_window_consume(&s->recv_window, h->length) != H2_OK) {
        release_connection_window(c, h->length);
        stream_error(c, h->stream_id, (uint32_t)H2_FLOW_CONTROL_ERROR, 1);
        c->rx.remaining = h->length;
        c->rx.pad_remaining = 0u;
        rx_skip_rest(c);
        return H2_OK;
    }
    c->rx.remaining = h->length;
    c->rx.pad_remaining = 0u;
    c->rx.flow_pending = 0u;
    if ((h->flags & H2_FLAG_PADDED) != 0u) {
        c->rx.fixed_need = 1u;
        c->rx.fixed_have = 0u;
        c->rx.phase = (uint8_t)RX_FIXED;
        return H2_OK;
    }
    c->rx.phase = (uint8_t)RX_DATA;
    if (h->length == 0u) {
        return data_deliver(c, (const uint8_t *)0, 0u);
    }
    return H2_OK;
}

/* The Pad Length of a DATA frame has arrived. */
/*@ requires \valid(c) && conn_ok(c);
    assigns *c;
*/
static h2_status on_data_fixed(h2_conn *c)
{
    uint32_t pad = c->rx.fixed[0];
    uint32_t body = c->rx.hdr.length - 1u;
    if (pad > body) {
        return conn_error(c, H2_E_PROTOCOL);
    }
    c->rx.remaining = body - pad;
    c->rx.pad_remaining = pad;
    c->rx.flow_pending = 1u + pad;
    c->rx.phase = (uint8_t)RX_DATA;
    if (c->rx.remaining == 0u) {
        return data_deliver(c, (const uint8_t *)0, 0u);
    }
    return H2_OK;
}

/* ------------------------------------------------------------------ */
/* Receiving: header blocks                                            */
/* ------------------------------------------------------------------ */

/* Block kinds beyond h2_block_kind: a pushed request. */
#define BLOCK_PUSH 3u

static h2_status block_feed(h2_conn *c, const uint8_t *p, uint32_t n);

/* Start feeding a header block to HPACK once the fixed fields are in. An
 * empty fragment is complete at once: no byte will arrive to finish it. */
/*@ requires \valid(c) && conn_ok(c);
    assigns *c;
*/
static h2_status block_begin(h2_conn *c, uint32_t stream_id, uint32_t fragment,
                             uint32_t pad)
{
    h2_hpack_decoder_begin_block(&c->decoder, &c->arena);
    c->rx.block_stream = stream_id;
    c->rx.block_end_stream = (uint8_t)((c->rx.hdr.flags & H2_FLAG_END_STREAM) != 0u);
    c->rx.remaining = fragment;
    c->rx.pad_remaining = pad;
    c->rx.phase = (uint8_t)RX_BLOCK;
    if (fragment == 0u) {
        return block_feed(c, (const uint8_t *)0, 0u);
    }
    return H2_OK;
}

/* Decide what a HEADERS frame is, before its block is decoded. */
/*@ requires \valid(c) && conn_ok(c);
    assigns *c;
*/
static h2_status headers_classify(h2_conn *c, uint32_t id)
{
    h2_stream *s = h2_stream_find(&c->streams, id);
    h2_stream_state next;
    h2_stream_verdict v;

    c->rx.block_discard = 0u;
    c->rx.block_error = 0u;
    c->rx.block_refused = 0u;
    /* Not a push, whatever the last block was: an error resets this
     * block's own stream, not the last promised one. */
    c->rx.block_kind = (uint8_t)H2_BLOCK_REQUEST;
    if (s == (h2_stream *)0) {
        if (!is_inbound_id(c, id)) {
            if (outbound_id_is_idle(c, id)) {
                /* HEADERS on a stream of ours that we never opened. */
                return conn_error(c, H2_E_PROTOCOL);
            }
            c->rx.block_discard = 1u;
            if (!frames_are_ignored(c, id)) {
                c->rx.block_error = (uint32_t)H2_STREAM_CLOSED;
            }
            return H2_OK;
        }
        if (!inbound_id_is_idle(c, id)) {
            c->rx.block_discard = 1u;
            if (!frames_are_ignored(c, id)) {
                c->rx.block_error = (uint32_t)H2_STREAM_CLOSED;
            }
            return H2_OK;
        }
        if (c->config.client_side != 0u) {
            /* A server opens streams only with PUSH_PROMISE. */
            return conn_error(c, H2_E_PROTOCOL);
        }
        /* A new request; lower idle ids are now implicitly closed. */
        c->highest_inbound_id = id;
        c->rx.block_kind = (uint8_t)H2_BLOCK_REQUEST;
        if (c->goaway_sent != 0u && id > c->goaway_sent_last_id) {
            /* After our GOAWAY: ignored (RFC 9113 6.8). */
            c->rx.block_discard = 1u;
            return H2_OK;
        }
        if (c->open_inbound >= h2_settings_queue_latest(&c->local_pending,
                &c->local_settings, (uint16_t)H2_SETTINGS_MAX_CONCURRENT_STREAMS) ||
            c->open_inbound >= H2_MAX_STREAMS) {
            /* Over our limit: refuse this stream alone, retryable. */
            c->rx.block_discard = 1u;
            c->rx.block_refused = 1u;
            c->rx.block_error = (uint32_t)H2_REFUSED_STREAM;
            return H2_OK;
        }
        s = h2_stream_create(&c->streams, id,
                             c->remote_settings.values[3],
                             c->local_settings.values[3]);
        if (s == (h2_stream *)0) {
            c->rx.block_discard = 1u;
            c->rx.block_refused = 1u;
            c->rx.block_error = (uint32_t)H2_REFUSED_STREAM;
        }
        return H2_OK;
    }
    v = h2_stream_transition((h2_stream_state)s->state, H2_RECV_HEADERS, &next);
    if (v == H2_STREAM_ERROR_PROTOCOL) {
        return conn_error(c, H2_E_PROTOCOL);
    }
    if (v != H2_STREAM_OK) {
        c->rx.block_discard = 1u;
        c->rx.block_error = (uint32_t)H2_STREAM_CLOSED;
        return H2_OK;
    }
    if (c->config.client_side != 0u) {
        c->rx.block_kind = (uint8_t)((s->flags & H2_STREAM_F_HEADERS_RECEIVED) != 0u ?
                                     H2_BLOCK_TRAILERS : H2_BLOCK_RESPONSE);
    } else {
        c->rx.block_kind = (uint8_t)H2_BLOCK_TRAILERS;
    }
    return H2_OK;
}

/* The fixed fields of a HEADERS frame have arrived. */
/*@ requires \valid(c) && conn_ok(c);
    assigns *c;
*/
static h2_status on_headers_fixed(h2_conn *c)
{
    const h2_frame_header *h = &c->rx.hdr;
    uint32_t off = 0u;
    uint32_t pad = 0u;
    uint32_t body = h->length - c->rx.fixed_need;
    h2_status st;

    if ((h->flags & H2_FLAG_PADDED) != 0u) {
        pad = c->rx.fixed[0];
        off = 1u;
    }
    if (pad > body) {
        return conn_error(c, H2_E_PROTOCOL);
    }
    c->rx.block_has_priority = 0u;
    if ((h->flags & H2_FLAG_PRIORITY) != 0u) {
        c->rx.block_has_priority = 1u;
        c->rx.block_priority.exclusive = (uint8_t)(c->rx.fixed[off] >= 128u);
        c->rx.block_priority.dependency = conn_read_u31(&c->rx.fixed[off]);
        c->rx.block_priority.weight = c->rx.fixed[off + 4u];
    }
    st = headers_classify(c, h->stream_id);
    if (st != H2_OK) {
        return st;
    }
    if (c->rx.block_has_priority != 0u &&
        c->rx.block_priority.dependency == h->stream_id &&
        c->rx.block_discard == 0u) {
        /* A stream cannot depend on itself (RFC 9113 5.3.1). */
        c->rx.block_discard = 1u;
        c->rx.block_error = (uint32_t)H2_PROTOCOL_ERROR;
    }
    return block_begin(c, h->stream_id, body - pad, pad);
}

/* The fixed fields of a PUSH_PROMISE frame have arrived. */
/*@ requires \valid(c) && conn_ok(c);
    assigns *c;
*/
static h2_status on_push_fixed(h2_conn *c)
{
    const h2_frame_header *h = &c->rx.hdr;
    uint32_t off = 0u;
    uint32_t pad = 0u;
    uint32_t body = h->length - c->rx.fixed_need;
    uint32_t promised;
    h2_stream *parent;
    h2_stream *s;
    h2_close_reason reason;

    if ((h->flags & H2_FLAG_PADDED) != 0u) {
        pad = c->rx.fixed[0];
        off = 1u;
    }
    if (pad > body) {
        return conn_error(c, H2_E_PROTOCOL);
    }
    promised = conn_read_u31(&c->rx.fixed[off]);
    if (c->config.client_side == 0u || c->local_settings.values[1] == 0u) {
        /* Servers are never pushed to; nor is a client that said no. */
        return conn_error(c, H2_E_PROTOCOL);
    }
    if (promised % 2u != 0u || promised == 0u || !inbound_id_is_idle(c, promised)) {
        return conn_error(c, H2_E_PROTOCOL);
    }
    c->highest_inbound_id = promised;
    c->rx.block_kind = (uint8_t)BLOCK_PUSH;
    c->rx.block_discard = 0u;
    c->rx.block_error = 0u;
    c->rx.block_refused = 0u;
    c->rx.promised_stream = promised;
    if (is_inbound_id(c, h->stream_id)) {
        /* Pushes ride only on requests the client sent (RFC 9113 8.4). */
        return conn_error(c, H2_E_PROTOCOL);
    }
    parent = h2_stream_find(&c->streams, h->stream_id);
    if (parent == (h2_stream *)0 ||
        (parent->state != (uint8_t)H2_STREAM_OPEN &&
         parent->state != (uint8_t)H2_STREAM_HALF_CLOSED_LOCAL)) {
        if (parent == (h2_stream *)0 && !outbound_id_is_idle(c, h->stream_id) &&
            (h2_stream_closed_reason(&c->streams, h->stream_id, &reason) == 0 ||
             reason == H2_CLOSED_BY_SEND_RST_STREAM)) {
            /* Sent before our RST_STREAM arrived (or on a request closed
             * so long ago that it is forgotten): refuse the push alone. */
            c->rx.block_discard = 1u;
            c->rx.block_refused = 1u;
            c->rx.block_error = (uint32_t)H2_REFUSED_STREAM;
            return block_begin(c, h->stream_id, body - pad, pad);
        }
        return conn_error(c, H2_E_PROTOCOL);
    }
    if (c->goaway_sent != 0u && promised > c->goaway_sent_last_id) {
        /* Promised after our GOAWAY: ignored, and the server, reading our
         * GOAWAY, closes it too (RFC 9113 6.8). Its block is still
         * decoded, for the HPACK state. */
        c->rx.block_discard = 1u;
        return block_begin(c, h->stream_id, body - pad, pad);
    }
    s = h2_stream_create(&c->streams, promised, c->remote_settings.values[3],
                         c->local_settings.values[3]);
    if (s == (h2_stream *)0) {
        c->rx.block_discard = 1u;
        c->rx.block_refused = 1u;
        c->rx.block_error = (uint32_t)H2_REFUSED_STREAM;
    } else {
        (void)stream_input(c, s, H2_RECV_PUSH_PROMISE, H2_CLOSED_BY_RECV_RST_STREAM);
        s->flags = (uint8_t)(s->flags | H2_STREAM_F_PUSHED);
    }
    return block_begin(c, h->stream_id, body - pad, pad);
}

/* Queue the headers event and the events linked to it. */
/*@ requires \valid(c) && conn_ok(c);
    assigns *c;
*/
static h2_event *headers_event(h2_conn *c, h2_event_type type, uint32_t id,
                               int end_stream)
{
    h2_event *e = push_event(c, type, id);
    e->headers = &c->arena;
    if (c->rx.block_has_priority != 0u) {
        h2_event *p;
        e->priority_updated = 1u;
        e->priority = c->rx.block_priority;
        p = push_event(c, H2_EVENT_PRIORITY_UPDATED, id);
        p->priority = c->rx.block_priority;
    }
    if (end_stream) {
        e->stream_ended = 1u;
        (void)push_event(c, H2_EVENT_STREAM_ENDED, id);
    }
    return e;
}

/* A whole header block has been decoded (status: what HPACK said). */
/*@ requires \valid(c) && conn_ok(c);
    assigns *c;
*/
static h2_status block_done(h2_conn *c, h2_status decoded)
{
    uint32_t id = c->rx.block_stream;
    uint32_t target = c->rx.block_kind == (uint8_t)BLOCK_PUSH ? c->rx.promised_stream : id;
    int end_stream = c->rx.block_end_stream != 0u;
    h2_header_rules rules;
    h2_block_info info;
    h2_status checked;
    h2_stream *s;
    h2_event *e;

    c->rx.block_stream = 0u;
    if (c->rx.block_discard != 0u) {
        if (c->rx.block_error != 0u) {
            stream_error(c, target, c->rx.block_error, c->rx.block_refused == 0u);
        }
        return H2_OK;
    }
    s = h2_stream_find(&c->streams, target);
    if (s == (h2_stream *)0) {
        return H2_OK;
    }
    if (decoded == H2_E_HPACK_HEADER_LIST_TOO_LARGE) {
        stream_error(c, target, h2_status_error_code(decoded), 1);
        return H2_OK;
    }
    rules.kind = c->rx.block_kind == (uint8_t)BLOCK_PUSH ?
                 H2_BLOCK_REQUEST : (h2_block_kind)c->rx.block_kind;
    rules.connect_protocol = (uint8_t)(c->local_settings.values[6] != 0u);
    checked = h2_headers_check_arena(&c->arena, &rules, &info);
    if (checked == H2_OK) {
        /* Fields taken later from the entries this block added need not
         * be read again. */
        h2_hpack_decoder_block_checked(&c->decoder);
    }
    if (checked != H2_OK && c->config.validate_inbound_headers != 0u) {
        stream_error(c, target, (uint32_t)H2_PROTOCOL_ERROR, 1);
        return H2_OK;
    }
    if (c->config.normalize_inbound_headers != 0u) {
        h2_headers_join_cookies(&c->arena);
    }
    if (c->rx.block_kind == (uint8_t)BLOCK_PUSH) {
        e = push_event(c, H2_EVENT_PUSHED_STREAM_RECEIVED, target);
        e->parent_stream_id = id;
        e->headers = &c->arena;
        if (checked == H2_OK && info.method == (uint8_t)H2_METHOD_HEAD) {
            s->flags = (uint8_t)(s->flags | H2_STREAM_F_HEAD_REQUEST);
        }
        return H2_OK;
    }
    if (c->rx.block_kind == (uint8_t)H2_BLOCK_TRAILERS) {
        if (!end_stream) {
            /* Trailers end the stream (RFC 9113 8.1). */
            stream_error(c, id, (uint32_t)H2_PROTOCOL_ERROR, 1);
            return H2_OK;
        }
        if ((s->flags & H2_STREAM_F_CONTENT_LENGTH) != 0u &&
            (s->flags & H2_STREAM_F_HEAD_REQUEST) == 0u &&
            s->data_length != s->content_length) {
            stream_error(c, id, (uint32_t)H2_PROTOCOL_ERROR, 1);
            return H2_OK;
        }
        (void)stream_input(c, s, H2_RECV_HEADERS, H2_CLOSED_BY_RECV_END_STREAM);
        s->flags = (uint8_t)(s->flags | H2_STREAM_F_TRAILERS);
        (void)stream_input(c, s, H2_RECV_END_STREAM, H2_CLOSED_BY_RECV_END_STREAM);
        (void)headers_event(c, H2_EVENT_TRAILERS_RECEIVED, id, 1);
        return H2_OK;
    }
    if (checked == H2_OK && info.informational != 0u) {
        if (end_stream) {
            stream_error(c, id, (uint32_t)H2_PROTOCOL_ERROR, 1);
            return H2_OK;
        }
        (void)stream_input(c, s, H2_RECV_HEADERS, H2_CLOSED_BY_RECV_END_STREAM);
        (void)headers_event(c, H2_EVENT_INFORMATIONAL_RESPONSE_RECEIVED, id, 0);
        return H2_OK;
    }
    if (checked == H2_OK && info.has_content_length != 0u) {
        s->flags = (uint8_t)(s->flags | H2_STREAM_F_CONTENT_LENGTH);
        s->content_length = info.content_length;
        if (end_stream && info.content_length != 0u &&
            (s->flags & H2_STREAM_F_HEAD_REQUEST) == 0u &&
            !(c->rx.block_kind == (uint8_t)H2_BLOCK_RESPONSE &&
              (info.status == 204u || info.status == 304u))) {
            stream_error(c, id, (uint32_t)H2_PROTOCOL_ERROR, 1);
            return H2_OK;
        }
    }
    if (c->rx.block_kind == (uint8_t)H2_BLOCK_RESPONSE &&
        (info.status == 204u || info.status == 304u)) {
        /* These carry no body whatever content-length says (RFC 9110). */
        s->flags = (uint8_t)(s->flags | H2_STREAM_F_HEAD_REQUEST);
    }
    if (checked == H2_OK && info.method == (uint8_t)H2_METHOD_HEAD) {
        s->flags = (uint8_t)(s->flags | H2_STREAM_F_HEAD_REQUEST);
    }
    (void)stream_input(c, s, H2_RECV_HEADERS, H2_CLOSED_BY_RECV_END_STREAM);
    s->flags = (uint8_t)(s->flags | H2_STREAM_F_HEADERS_RECEIVED);
    if (end_stream) {
        (void)stream_input(c, s, H2_RECV_END_STREAM, H2_CLOSED_BY_RECV_END_STREAM);
    }
    (void)headers_event(c, c->rx.block_kind == (uint8_t)H2_BLOCK_REQUEST ?
                        H2_EVENT_REQUEST_RECEIVED : H2_EVENT_RESPONSE_RECEIVED,
                        id, end_stream);
    return H2_OK;
}

/* Feed n bytes of the fragment in progress to HPACK. */
/*@ requires \valid(c) && conn_ok(c);
    requires n == 0 || \valid_read(p + (0 .. n - 1));
    requires n <= c->rx.remaining;
    assigns *c;
*/
static h2_status block_feed(h2_conn *c, const uint8_t *p, uint32_t n)
{
    int frame_end = (n == c->rx.remaining);
    int block_end = frame_end && (c->rx.hdr.flags & H2_FLAG_END_HEADERS) != 0u;
    h2_status st = h2_hpack_decode(&c->decoder, &c->arena, p, n, block_end);

    c->rx.remaining -= n;
    if (st != H2_OK && st != H2_E_HPACK_HEADER_LIST_TOO_LARGE) {
        return conn_error(c, H2_E_COMPRESSION);
    }
    if (!frame_end) {
        return H2_OK;
    }
    c->rx.remaining = c->rx.pad_remaining;
    c->rx.pad_remaining = 0u;
    c->rx.phase = (uint8_t)(c->rx.remaining > 0u ? RX_SKIP : RX_HEADER);
    if (block_end) {
        return block_done(c, st);
    }
    return H2_OK;
}

/* ------------------------------------------------------------------ */
/* Receiving: SETTINGS                                                 */
/* ------------------------------------------------------------------ */

/*@ requires \valid(c) && conn_ok(c);
    assigns *c;
*/
static h2_status apply_remote_setting(h2_conn *c, uint16_t id, uint32_t value)
{
    uint32_t code = 0u;
    int slot = h2_settings_slot(id);
    uint32_t old;
    uint32_t i;
    uint32_t k;

    if (h2_setting_check(id, value, &code) != H2_OK) {
        return conn_error(c, code == (uint32_t)H2_FLOW_CONTROL_ERROR ?
                          H2_E_FLOW_CONTROL : H2_E_PROTOCOL);
    }
    if (id == (uint16_t)H2_SETTINGS_ENABLE_PUSH && value != 0u &&
        c->config.client_side != 0u) {
        /* Only clients can allow pushes (RFC 9113 6.5.2). */
        return conn_error(c, H2_E_PROTOCOL);
    }
    if (slot < 0) {
        return H2_OK; /* unknown settings are ignored */
    }
    old = c->remote_settings.values[slot];
    if (id == (uint16_t)H2_SETTINGS_INITIAL_WINDOW_SIZE) {
        /* Every stream's send window moves by the difference; one that
         * would pass 2^31 - 1 is the peer's error (RFC 9113 6.9.2). */
        /*@ loop invariant 0 <= i <= H2_MAX_STREAMS;
            loop assigns i, c->streams.slots[0 .. H2_MAX_STREAMS - 1].send_window;
            loop variant H2_MAX_STREAMS - i;
        */
        for (i = 0u; i < H2_MAX_STREAMS; i++) {
            h2_stream *s = &c->streams.slots[i];
            if (s->id != 0u &&
                h2_window_adjust(&s->send_window, old, value) != H2_OK) {
                return conn_error(c, H2_E_FLOW_CONTROL);
            }
        }
    } else if (id == (uint16_t)H2_SETTINGS_HEADER_TABLE_SIZE) {
        h2_hpack_encoder_set_max_table_size(&c->encoder, value);
    }
    c->remote_settings.values[slot] = value;
    /* One entry per setting in the event: the first old value and the
     * last new one when a frame repeats a setting. */
    /*@ loop invariant 0 <= k <= c->rx.settings_count;
        loop assigns k;
        loop variant c->rx.settings_count - k;
    */
    for (k = 0u; k < c->rx.settings_count; k++) {
        if (c->rx.settings[k].id == id) {
            break;
        }
    }
    if (k == c->rx.settings_count && k < H2_SETTINGS_KNOWN) {
        c->rx.settings[k].id = id;
        c->rx.settings[k].old_value = old;
        c->rx.settings_count++;
    }
    if (k < H2_SETTINGS_KNOWN) {
        c->rx.settings[k].new_value = value;
    }
    return H2_OK;
}

/*@ requires \valid(c) && conn_ok(c);
    assigns *c;
*/
static h2_status settings_done(h2_conn *c)
{
    h2_frame f;
    h2_event *e;
    uint32_t i;
    h2_status st;

    frame_clear(&f, (uint8_t)H2_FRAME_SETTINGS, (uint8_t)H2_FLAG_ACK, 0u);
    st = out_frame(c, &f);
    if (st != H2_OK) {
        return conn_error(c, H2_E_INVALID_ARGUMENT);
    }
    e = push_event(c, H2_EVENT_REMOTE_SETTINGS_CHANGED, 0u);
    /*@ loop invariant 0 <= i <= c->rx.settings_count;
        loop assigns i, e->settings[0 .. H2_SETTINGS_KNOWN - 1];
        loop variant c->rx.settings_count - i;
    */
    for (i = 0u; i < c->rx.settings_count; i++) {
        e->settings[i] = c->rx.settings[i];
    }
    e->settings_count = c->rx.settings_count;
    c->rx.phase = (uint8_t)RX_HEADER;
    return H2_OK;
}

/* The peer acknowledged our oldest SETTINGS: it takes effect now. */
/*@ requires \valid(c) && conn_ok(c);
    assigns *c;
*/
static h2_status settings_acked(h2_conn *c)
{
    h2_changed_setting changed[H2_SETTINGS_KNOWN];
    uint32_t n = 0u;
    uint32_t i;
    uint32_t j;
    h2_event *e;

    if (h2_settings_queue_ack(&c->local_pending, &c->local_settings, changed, &n) != H2_OK) {
        /* Nothing was waiting: h2 reports an empty acknowledgement. */
        n = 0u;
    }
    /*@ loop invariant 0 <= i <= n;
        loop assigns i, j, *c;
        loop variant n - i;
    */
    for (i = 0u; i < n; i++) {
        uint16_t id = changed[i].id;
        if (id == (uint16_t)H2_SETTINGS_HEADER_TABLE_SIZE) {
            uint32_t limit = changed[i].new_value < H2_HPACK_TABLE_CAPACITY ?
                             changed[i].new_value : H2_HPACK_TABLE_CAPACITY;
            (void)h2_hpack_decoder_set_table_size_limit(&c->decoder, limit);
        } else if (id == (uint16_t)H2_SETTINGS_MAX_HEADER_LIST_SIZE) {
            /* Enforced from the acknowledgement, as for every setting: a
             * block the peer sent before it read the new limit (and so
             * before its ACK) is judged by the old one (RFC 9113 6.5.3).
             * The arena bounds memory meanwhile. */
            h2_hpack_decoder_set_max_header_list_size(&c->decoder, changed[i].new_value);
        } else if (id == (uint16_t)H2_SETTINGS_INITIAL_WINDOW_SIZE) {
            /*@ loop invariant 0 <= j <= H2_MAX_STREAMS;
                loop assigns j, c->streams.slots[0 .. H2_MAX_STREAMS - 1].recv_window;
                loop variant H2_MAX_STREAMS - j;
            */
            for (j = 0u; j < H2_MAX_STREAMS; j++) {
                h2_stream *s = &c->streams.slots[j];
                if (s->id != 0u &&
                    h2_recv_window_adjust(&s->recv_window, changed[i].old_value,
                                          changed[i].new_value) != H2_OK) {
                    return conn_error(c, H2_E_FLOW_CONTROL);
                }
            }
        }
    }
    e = push_event(c, H2_EVENT_SETTINGS_ACKNOWLEDGED, 0u);
    /*@ loop invariant 0 <= i <= n;
        loop assigns i, e->settings[0 .. H2_SETTINGS_KNOWN - 1];
        loop variant n - i;
    */
    for (i = 0u; i < n; i++) {
        e->settings[i] = changed[i];
    }
    e->settings_count = n;
    return H2_OK;
}

/* ------------------------------------------------------------------ */
/* Receiving: other control frames                                     */
/* ------------------------------------------------------------------ */

/*@ requires \valid(c) && conn_ok(c) && \valid_read(f);
    assigns *c;
*/
static h2_status on_rst_stream(h2_conn *c, const h2_frame *f)
{
    uint32_t id = f->hdr.stream_id;
    h2_stream *s = h2_stream_find(&c->streams, id);
    h2_event *e;
    if (s == (h2_stream *)0) {
        if (id_is_idle(c, id)) {
            return conn_error(c, H2_E_PROTOCOL);
        }
        return H2_OK; /* already closed: ignored */
    }
    stream_close_by_reset(c, s, H2_CLOSED_BY_RECV_RST_STREAM);
    e = push_event(c, H2_EVENT_STREAM_RESET, id);
    e->error_code = f->error_code;
    e->remote_reset = 1u;
    return H2_OK;
}

/*@ requires \valid(c) && conn_ok(c) && \valid_read(f);
    assigns *c;
*/
static h2_status on_window_update(h2_conn *c, const h2_frame *f)
{
    uint32_t id = f->hdr.stream_id;
    h2_stream *s;
    h2_stream_state next;
    h2_event *e;

    if (id == 0u) {
        if (h2_window_open(&c->send_window, f->window_increment) != H2_OK) {
            return conn_error(c, H2_E_FLOW_CONTROL);
        }
    } else {
        s = h2_stream_find(&c->streams, id);
        if (s == (h2_stream *)0) {
            if (id_is_idle(c, id)) {
                return conn_error(c, H2_E_PROTOCOL);
            }
            return H2_OK; /* closed: ignored (RFC 9113 5.1) */
        }
        if (h2_stream_transition((h2_stream_state)s->state, H2_RECV_WINDOW_UPDATE, &next) ==
            H2_STREAM_ERROR_PROTOCOL) {
            return conn_error(c, H2_E_PROTOCOL);
        }
        if (h2_window_open(&s->send_window, f->window_increment) != H2_OK) {
            stream_error(c, id, (uint32_t)H2_FLOW_CONTROL_ERROR, 1);
            return H2_OK;
        }
    }
    e = push_event(c, H2_EVENT_WINDOW_UPDATED, id);
    e->delta = f->window_increment;
    return H2_OK;
}

/*@ requires \valid(c) && conn_ok(c) && \valid_read(f);
    assigns *c;
*/
static h2_status on_goaway(h2_conn *c, const h2_frame *f)
{
    h2_event *e = push_event(c, H2_EVENT_CONNECTION_TERMINATED, 0u);
    e->error_code = f->error_code;
    e->last_stream_id = f->last_stream_id;
    e->additional_data = f->data;
    e->additional_data_len = f->data_len;
    if (c->goaway_received == 0u || f->last_stream_id < c->goaway_last_stream_id) {
        c->goaway_last_stream_id = f->last_stream_id;
    }
    /* Streams we opened above last_stream_id were never processed: they
     * are reset as refused, one event per call (see h2_recv). */
    c->goaway_received = 2u;
    return H2_OK;
}

/* A control frame is complete: payload holds len bytes of it. */
/*@ requires \valid(c) && conn_ok(c);
    requires len == 0 || \valid_read(payload + (0 .. len - 1));
    assigns *c;
*/
static h2_status control_done(h2_conn *c, const uint8_t *payload, uint32_t len)
{
    h2_frame_header h = c->rx.hdr;
    h2_frame f;
    h2_status st;
    h2_event *e;

    c->rx.phase = (uint8_t)RX_HEADER;
    h.length = len; /* less than announced when a long frame was cut */
    st = h2_frame_parse(&h, payload, &f);
    if (st == H2_E_PROTOCOL && h.type == (uint8_t)H2_FRAME_WINDOW_UPDATE && h.stream_id != 0u) {
        stream_error(c, h.stream_id, (uint32_t)H2_PROTOCOL_ERROR, 1);
        return H2_OK;
    }
    if (st == H2_E_PROTOCOL && h.type == (uint8_t)H2_FRAME_PRIORITY) {
        stream_error(c, h.stream_id, (uint32_t)H2_PROTOCOL_ERROR, 1);
        return H2_OK;
    }
    if (st != H2_OK) {
        if (h.type == (uint8_t)H2_FRAME_ALTSVC || h.type > (uint8_t)H2_FRAME_ALTSVC) {
            return H2_OK; /* a malformed extension frame is ignored */
        }
        return conn_error(c, st);
    }
    switch (h.type) {
    case H2_FRAME_PING:
        if ((h.flags & H2_FLAG_ACK) != 0u) {
            e = push_event(c, H2_EVENT_PING_ACK_RECEIVED, 0u);
        } else {
            h2_frame ack;
            frame_clear(&ack, (uint8_t)H2_FRAME_PING, (uint8_t)H2_FLAG_ACK, 0u);
            h2_bytes_copy(ack.opaque, f.opaque, H2_PING_PAYLOAD_SIZE);
            (void)out_frame(c, &ack);
            e = push_event(c, H2_EVENT_PING_RECEIVED, 0u);
        }
        h2_bytes_copy(e->ping_data, f.opaque, H2_PING_PAYLOAD_SIZE);
        return H2_OK;
    case H2_FRAME_RST_STREAM:
        return on_rst_stream(c, &f);
    case H2_FRAME_WINDOW_UPDATE:
        return on_window_update(c, &f);
    case H2_FRAME_PRIORITY:
        e = push_event(c, H2_EVENT_PRIORITY_UPDATED, h.stream_id);
        e->priority = f.priority;
        return H2_OK;
    case H2_FRAME_GOAWAY:
        return on_goaway(c, &f);
    case H2_FRAME_ALTSVC:
        /* Only clients use it; a stream-0 ALTSVC names an origin and a
         * stream one does not (RFC 7838 section 4), else it is ignored. */
        if (c->config.client_side == 0u ||
            (h.stream_id == 0u) != (f.origin_len > 0u)) {
            return H2_OK;
        }
        e = push_event(c, H2_EVENT_ALTERNATIVE_SERVICE_AVAILABLE, h.stream_id);
        e->origin = f.origin;
        e->origin_len = f.origin_len;
        e->field_value = f.data;
        e->field_value_len = f.data_len;
        return H2_OK;
    default:
        e = push_event(c, H2_EVENT_UNKNOWN_FRAME_RECEIVED, h.stream_id);
        e->frame_type = h.type;
        e->frame_flags = h.flags;
        e->payload = f.data;
        e->payload_len = f.data_len;
        return H2_OK;
    }
}

/* ------------------------------------------------------------------ */
/* Receiving: frame headers and the byte loop                          */
/* ------------------------------------------------------------------ */

/* A frame header is complete in rx.hdr_buf. */
/*@ requires \valid(c) && conn_ok(c);
    assigns *c;
*/
static h2_status on_header(h2_conn *c)
{
    h2_frame_header *h = &c->rx.hdr;
    h2_status st;

    (void)h2_frame_header_parse(c->rx.hdr_buf, H2_FRAME_HEADER_SIZE, h);
    c->rx.hdr_have = 0u;
    c->rx.remaining = h->length;
    c->rx.pad_remaining = 0u;
    c->rx.fixed_have = 0u;
    c->rx.fixed_need = 0u;

    /* A header block must continue with CONTINUATION frames on its own
     * stream and nothing else (RFC 9113 6.10). */
    if (c->rx.block_stream != 0u) {
        if (h->type != (uint8_t)H2_FRAME_CONTINUATION || h->stream_id != c->rx.block_stream) {
            return conn_error(c, H2_E_PROTOCOL);
        }
    } else if (h->type == (uint8_t)H2_FRAME_CONTINUATION) {
        return conn_error(c, H2_E_PROTOCOL);
    }
    st = h2_frame_header_check(h, inbound_frame_limit(c));
    if (st == H2_E_FRAME_SIZE && h->type == (uint8_t)H2_FRAME_PRIORITY &&
        h->stream_id != 0u && h->length <= inbound_frame_limit(c)) {
        /* A PRIORITY of the wrong size is a stream error (RFC 9113 6.3). */
        stream_error(c, h->stream_id, (uint32_t)H2_FRAME_SIZE_ERROR, 1);
        rx_skip_rest(c);
        return H2_OK;
    }
    if (st != H2_OK) {
        return conn_error(c, st);
    }
    switch (h->type) {
    case H2_FRAME_DATA:
        if ((h->flags & H2_FLAG_PADDED) != 0u && h->length < 1u) {
            return conn_error(c, H2_E_FRAME_SIZE);
        }
        return on_data_header(c);
    case H2_FRAME_HEADERS:
    case H2_FRAME_PUSH_PROMISE:
        c->rx.fixed_need = (uint8_t)(((h->flags & H2_FLAG_PADDED) != 0u ? 1u : 0u) +
            (h->type == (uint8_t)H2_FRAME_PUSH_PROMISE ? 4u :
             ((h->flags & H2_FLAG_PRIORITY) != 0u ? 5u : 0u)));
        if (c->rx.fixed_need > h->length) {
            return conn_error(c, H2_E_FRAME_SIZE);
        }
        c->rx.phase = (uint8_t)RX_FIXED;
        if (c->rx.fixed_need == 0u) {
            return on_headers_fixed(c);
        }
        return H2_OK;
    case H2_FRAME_CONTINUATION:
        c->rx.phase = (uint8_t)RX_BLOCK;
        if (h->length == 0u) {
            return block_feed(c, (const uint8_t *)0, 0u);
        }
        return H2_OK;
    case H2_FRAME_SETTINGS:
        if ((h->flags & H2_FLAG_ACK) != 0u) {
            c->rx.phase = (uint8_t)RX_HEADER;
            return settings_acked(c);
        }
        c->rx.settings_count = 0u;
        c->rx.fixed_need = (uint8_t)H2_SETTING_ENTRY_SIZE;
        c->rx.phase = (uint8_t)RX_SETTINGS;
        if (h->length == 0u) {
            return settings_done(c);
        }
        return H2_OK;
    default:
        c->rx.control_have = 0u;
        c->rx.phase = (uint8_t)RX_CONTROL;
        if (h->length == 0u) {
            return control_done(c, c->rx.control, 0u);
        }
        return H2_OK;
    }
}

/*
 * Takes bytes from in[0..len) for the phase the receiver is in; *taken is
 * how many. Stops early at the end of a frame part.
 */
/*@ requires \valid(c) && conn_ok(c);
    requires len > 0 && \valid_read(in + (0 .. len - 1));
    requires \valid(taken);
    requires \separated(c, taken);
    assigns *c, *taken;
    ensures *taken <= len;
*/
static h2_status rx_step(h2_conn *c, const uint8_t *in, size_t len, size_t *taken)
{
    uint32_t avail = len > 0x7fffffffu ? 0x7fffffffu : (uint32_t)len;
    uint32_t n;
    uint32_t i;

    *taken = 0u;
    switch (c->rx.phase) {
    case RX_PREFACE:
        n = H2_CLIENT_PREFACE_LEN - c->rx.preface_have;
        n = n < avail ? n : avail;
        /*@ loop invariant 0 <= i <= n;
            loop assigns i;
            loop variant n - i;
        */
        for (i = 0u; i < n; i++) {
            if (in[i] != client_preface[c->rx.preface_have + i]) {
                *taken = i;
                return conn_error(c, H2_E_PROTOCOL);
            }
        }
        c->rx.preface_have += n;
        *taken = n;
        if (c->rx.preface_have == H2_CLIENT_PREFACE_LEN) {
            c->rx.phase = (uint8_t)RX_HEADER;
        }
        return H2_OK;
    case RX_HEADER:
        if (c->rx.hdr_have == 0u && out_room(c) < RX_RESERVE) {
            return H2_E_WOULD_BLOCK;
        }
        n = H2_FRAME_HEADER_SIZE - c->rx.hdr_have;
        n = n < avail ? n : avail;
        h2_bytes_copy(&c->rx.hdr_buf[c->rx.hdr_have], in, n);
        c->rx.hdr_have = (uint8_t)(c->rx.hdr_have + n);
        *taken = n;
        if (c->rx.hdr_have == H2_FRAME_HEADER_SIZE) {
            return on_header(c);
        }
        return H2_OK;
    case RX_FIXED:
        n = (uint32_t)c->rx.fixed_need - c->rx.fixed_have;
        n = n < avail ? n : avail;
        h2_bytes_copy(&c->rx.fixed[c->rx.fixed_have], in, n);
        c->rx.fixed_have = (uint8_t)(c->rx.fixed_have + n);
        *taken = n;
        if (c->rx.fixed_have < c->rx.fixed_need) {
            return H2_OK;
        }
        if (c->rx.hdr.type == (uint8_t)H2_FRAME_DATA) {
            return on_data_fixed(c);
        }
        if (c->rx.hdr.type == (uint8_t)H2_FRAME_HEADERS) {
            return on_headers_fixed(c);
        }
        return on_push_fixed(c);
    case RX_DATA:
        n = c->rx.remaining < avail ? c->rx.remaining : avail;
        *taken = n;
        return data_deliver(c, in, n);
    case RX_BLOCK:
        n = c->rx.remaining < avail ? c->rx.remaining : avail;
        *taken = n;
        return block_feed(c, in, n);
    case RX_SETTINGS:
        n = (uint32_t)H2_SETTING_ENTRY_SIZE - c->rx.fixed_have;
        n = n < avail ? n : avail;
        h2_bytes_copy(&c->rx.fixed[c->rx.fixed_have], in, n);
        c->rx.fixed_have = (uint8_t)(c->rx.fixed_have + n);
        c->rx.remaining -= n;
        *taken = n;
        if (c->rx.fixed_have == H2_SETTING_ENTRY_SIZE) {
            h2_status st;
            c->rx.fixed_have = 0u;
            st = apply_remote_setting(c,
                (uint16_t)((uint32_t)c->rx.fixed[0] * 256u + c->rx.fixed[1]),
                (uint32_t)c->rx.fixed[2] * 16777216u + (uint32_t)c->rx.fixed[3] * 65536u +
                (uint32_t)c->rx.fixed[4] * 256u + (uint32_t)c->rx.fixed[5]);
            if (st != H2_OK) {
                return st;
            }
        }
        if (c->rx.remaining == 0u) {
            return settings_done(c);
        }
        return H2_OK;
    case RX_CONTROL:
        if (c->rx.control_have == 0u && avail >= c->rx.remaining) {
            /* The whole payload is here: parse it in place. */
            n = c->rx.remaining;
            *taken = n;
            c->rx.remaining = 0u;
            return control_done(c, in, n);
        }
        n = c->rx.remaining < avail ? c->rx.remaining : avail;
        /*@ loop invariant 0 <= i <= n;
            loop assigns i, c->rx.control[0 .. H2_CONTROL_BUFFER_CAPACITY - 1],
                         c->rx.control_have;
            loop variant n - i;
        */
        for (i = 0u; i < n; i++) {
            if (c->rx.control_have < H2_CONTROL_BUFFER_CAPACITY) {
                c->rx.control[c->rx.control_have] = in[i];
                c->rx.control_have++;
            }
        }
        c->rx.remaining -= n;
        *taken = n;
        if (c->rx.remaining == 0u) {
            return control_done(c, c->rx.control, c->rx.control_have);
        }
        return H2_OK;
    default: /* RX_SKIP */
        n = c->rx.remaining < avail ? c->rx.remaining : avail;
        c->rx.remaining -= n;
        *taken = n;
        if (c->rx.remaining == 0u) {
            c->rx.phase = (uint8_t)RX_HEADER;
        }
        return H2_OK;
    }
}

/* After the peer's GOAWAY: reset one stream we opened above its last
 * stream id, as refused. 1 when one was reset. */
/*@ requires \valid(c) && conn_ok(c);
    assigns *c;
*/
static int goaway_sweep(h2_conn *c)
{
    uint32_t i;
    /*@ loop invariant 0 <= i <= H2_MAX_STREAMS;
        loop assigns i, *c;
        loop variant H2_MAX_STREAMS - i;
    */
    for (i = 0u; i < H2_MAX_STREAMS; i++) {
        h2_stream *s = &c->streams.slots[i];
        if (s->id != 0u && !is_inbound_id(c, s->id) && s->id > c->goaway_last_stream_id) {
            uint32_t id = s->id;
            h2_event *e;
            stream_close_by_reset(c, s, H2_CLOSED_BY_RECV_RST_STREAM);
            e = push_event(c, H2_EVENT_STREAM_RESET, id);
            e->error_code = (uint32_t)H2_REFUSED_STREAM;
            e->remote_reset = 1u;
            return 1;
        }
    }
    c->goaway_received = 1u;
    return 0;
}

/*@ requires \valid(conn) && conn_ok(conn);
    requires in_len == 0 || \valid_read(in + (0 .. in_len - 1));
    requires \valid(used) && \valid(event);
    requires \separated(conn, used, event);
    assigns *conn, *used, *event;
    ensures *used <= in_len;
*/
h2_status h2_recv(h2_conn *conn, const uint8_t *in, size_t in_len,
                  size_t *used, h2_event *event)
{
    size_t pos = 0u;
    h2_status st = H2_OK;

    *used = 0u;
    /* An event is cleared only when none is returned: one popped is
     * copied whole. */
    if (conn->pending_count > 0u) {
        pop_event(conn, event);
        return H2_OK;
    }
    if (conn->state != (uint8_t)H2_CONN_OPEN) {
        event_clear(event);
        /* h2_initiate_connection() comes first */
        return conn->state == (uint8_t)H2_CONN_CLOSED ? H2_E_CONNECTION_CLOSED : H2_E_PROTOCOL;
    }
    if (conn->goaway_received == 2u && goaway_sweep(conn)) {
        pop_event(conn, event);
        return H2_OK;
    }
    conn->rx.in_recv = 1u;
    /*@ loop invariant 0 <= pos <= in_len;
        loop invariant conn_ok(conn);
        loop assigns pos, st, *conn;
        loop variant in_len - pos;
    */
    while (pos < in_len && conn->pending_count == 0u &&
           conn->state != (uint8_t)H2_CONN_CLOSED) {
        size_t taken = 0u;
        st = rx_step(conn, in + pos, in_len - pos, &taken);
        pos += taken;
        if (st != H2_OK) {
            break;
        }
        if (taken == 0u && conn->pending_count == 0u) {
            break; /* defensive: no progress means nothing more to do */
        }
    }
    conn->rx.in_recv = 0u;
    *used = pos;
    if (conn->pending_count > 0u) {
        pop_event(conn, event);
    } else {
        event_clear(event);
    }
    return st;
}

/*@ requires \valid_read(event) && \valid(out);
    requires event->headers != \null ==> \valid_read(event->headers);
    assigns *out;
*/
void h2_event_header(const h2_event *event, uint32_t index, h2_header *out)
{
    if (event->headers == (const h2_header_arena *)0 || index >= event->headers->count) {
        out->name = (const uint8_t *)0;
        out->name_len = 0u;
        out->value = (const uint8_t *)0;
        out->value_len = 0u;
        out->flags = 0u;
        return;
    }
    h2_header_arena_get(event->headers, index, out);
}

/* ------------------------------------------------------------------ */
/* Sending                                                             */
/* ------------------------------------------------------------------ */

/*@ requires \valid_read(c);
    assigns \nothing;
*/
static h2_status usable(const h2_conn *c)
{
    if (c->state == (uint8_t)H2_CONN_CLOSED) {
        return H2_E_CONNECTION_CLOSED;
    }
    if (c->state == (uint8_t)H2_CONN_IDLE) {
        return H2_E_PROTOCOL;
    }
    return H2_OK;
}

/*@ requires \valid(p + (0 .. 8));
    assigns p[0 .. 8];
*/
static void put_frame_header(uint8_t *p, uint32_t length, uint8_t type,
                             uint8_t flags, uint32_t stream_id)
{
    h2_frame_header h;
    h.length = length;
    h.type = type;
    h.flags = flags;
    h.stream_id = stream_id;
    h2_frame_header_write(&h, p);
}

/*@ requires \valid(p + (0 .. 3));
    assigns p[0 .. 3];
*/
static void put_u32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v / 16777216u);
    p[1] = (uint8_t)((v / 65536u) % 256u);
    p[2] = (uint8_t)((v / 256u) % 256u);
    p[3] = (uint8_t)(v % 256u);
}

/*
 * Queues a HEADERS (or PUSH_PROMISE) frame and as many CONTINUATION frames
 * as the peer's max frame size needs. The block is encoded in place, then
 * the tail is spread out to make room for the CONTINUATION headers.
 * Nothing is written (H2_E_WOULD_BLOCK) unless everything fits. bound: at
 * least h2_hpack_encode_bound() of the fields (prepare_fields).
 */
/*@ requires \valid(c) && conn_ok(c);
    requires count <= H2_MAX_SEND_FIELDS;
    requires \valid_read(fields + (0 .. count - 1));
    assigns *c;
*/
static h2_status out_header_block(h2_conn *c, uint8_t type, uint32_t stream_id,
                                  uint8_t flags, uint32_t promised,
                                  const h2_priority *priority, uint8_t pad,
                                  const h2_header *fields, size_t count,
                                  uint64_t bound)
{
    uint32_t max_frame = c->remote_settings.values[4];
    uint32_t prefix = 0u;
    uint64_t worst;
    uint32_t at;
    uint32_t block_at;
    size_t block_len = 0u;
    uint32_t first_chunk;
    uint32_t rest;
    uint32_t frames;
    uint32_t k;
    uint8_t *o;

    if ((flags & H2_FLAG_PADDED) != 0u) {
        prefix += 1u;
    }
    if (type == (uint8_t)H2_FRAME_PUSH_PROMISE) {
        prefix += 4u;
    } else if ((flags & H2_FLAG_PRIORITY) != 0u) {
        prefix += 5u;
    }
    /* Worst case: every frame full, each with its 9-byte header. */
    worst = bound + prefix + pad +
            (uint64_t)H2_FRAME_HEADER_SIZE * (2u + (bound + prefix + pad) / max_frame);
    if (worst > (uint64_t)out_room(c)) {
        return H2_E_WOULD_BLOCK;
    }
    at = out_reserve(c, (uint32_t)worst);
    o = &c->outbound[at];
    block_at = H2_FRAME_HEADER_SIZE + prefix;
    if (h2_hpack_encode(&c->encoder, fields, c->send_found, count, o + block_at,
                        (size_t)(worst - block_at), &block_len) != H2_OK) {
        return H2_E_WOULD_BLOCK; /* cannot happen: the bound was checked */
    }
    /* The first frame carries the prefix, a first chunk and the padding. */
    first_chunk = max_frame - prefix - pad;
    if ((uint64_t)block_len <= first_chunk) {
        first_chunk = (uint32_t)block_len;
    }
    rest = (uint32_t)block_len - first_chunk;
    frames = (rest + max_frame - 1u) / max_frame;
    /* Spread the tail, last chunk first (every move is to the right). */
    k = frames;
    /*@ loop invariant 0 <= k <= frames;
        loop assigns k, c->outbound[0 .. H2_OUTBOUND_CAPACITY - 1];
        loop variant k;
    */
    while (k > 0u) {
        uint32_t idx = k - 1u;
        uint32_t src = block_at + first_chunk + idx * max_frame;
        uint32_t len = rest - idx * max_frame < max_frame ? rest - idx * max_frame : max_frame;
        uint32_t dst = block_at + first_chunk + pad + k * H2_FRAME_HEADER_SIZE + idx * max_frame;
        uint32_t j = len;
        /*@ loop invariant 0 <= j <= len;
            loop assigns j, c->outbound[0 .. H2_OUTBOUND_CAPACITY - 1];
            loop variant j;
        */
        while (j > 0u) {
            j--;
            o[dst + j] = o[src + j];
        }
        put_frame_header(o + dst - H2_FRAME_HEADER_SIZE, len,
                         (uint8_t)H2_FRAME_CONTINUATION,
                         (uint8_t)(k == frames ? H2_FLAG_END_HEADERS : 0u), stream_id);
        k--;
    }
    if (frames == 0u) {
        flags = (uint8_t)(flags | H2_FLAG_END_HEADERS);
    }
    put_frame_header(o, prefix + first_chunk + pad, type, flags, stream_id);
    k = H2_FRAME_HEADER_SIZE;
    if ((flags & H2_FLAG_PADDED) != 0u) {
        o[k] = pad;
        k++;
    }
    if (type == (uint8_t)H2_FRAME_PUSH_PROMISE) {
        put_u32(o + k, promised);
    } else if ((flags & H2_FLAG_PRIORITY) != 0u) {
        put_u32(o + k, priority->dependency);
        if (priority->exclusive != 0u) {
            o[k] = (uint8_t)(o[k] + 128u);
        }
        o[k + 4u] = priority->weight;
    }
    h2_bytes_fill(o + block_at + first_chunk, 0u, pad);
    out_commit(c, block_at + first_chunk + pad + frames * H2_FRAME_HEADER_SIZE + rest);
    return H2_OK;
}

/* Fields to send, prepared (cookies split, secrets flagged) and checked. */
/*@ requires \valid(c);
    assigns *c;
*/
static h2_status prepare_fields(h2_conn *c, const h2_header *fields, size_t count,
                                h2_block_kind kind, h2_block_info *info,
                                size_t *out_count, uint64_t *block_bound)
{
    h2_header_rules rules;
    size_t n = count;
    size_t i;
    uint64_t list = 0u;
    h2_status st;

    if (c->config.normalize_outbound_headers != 0u) {
        st = h2_headers_prepare_outbound(fields, count, c->send_fields,
                                         H2_MAX_SEND_FIELDS, &n);
        if (st != H2_OK) {
            return H2_E_INVALID_ARGUMENT;
        }
    } else {
        if (count > H2_MAX_SEND_FIELDS) {
            return H2_E_INVALID_ARGUMENT;
        }
        /*@ loop invariant 0 <= i <= count;
            loop assigns i, c->send_fields[0 .. H2_MAX_SEND_FIELDS - 1];
            loop variant count - i;
        */
        for (i = 0u; i < count; i++) {
            c->send_fields[i] = fields[i];
        }
    }
    /* Flag bits other than NEVER_INDEXED are ours. A field the encoder
     * holds whole matches an entry that passed these checks when it was
     * sent (or a static entry), so its bytes are not checked again, unless
     * a block ever went out unchecked; the encoder is handed the search.
     * Without validation, the checks run only for the facts in *info, and
     * no bytes are read. */
    if (c->config.validate_outbound_headers == 0u) {
        c->sent_unchecked = 1u;
    }
    /*@ loop invariant 0 <= i <= n;
        loop assigns i, c->send_fields[0 .. H2_MAX_SEND_FIELDS - 1],
                     c->send_found[0 .. H2_MAX_SEND_FIELDS - 1];
        loop variant n - i;
    */
    for (i = 0u; i < n; i++) {
        uint8_t flags = (uint8_t)(c->send_fields[i].flags %
                                  (H2_HEADER_FIELD_NEVER_INDEXED * 2u));
        int found = h2_hpack_encoder_find(&c->encoder, &c->send_fields[i],
                                          &c->send_found[i]);
        if ((found != 0 && c->sent_unchecked == 0u) ||
            c->config.validate_outbound_headers == 0u) {
            flags = (uint8_t)(flags + H2_HEADER_FIELD_NAME_CHECKED +
                              H2_HEADER_FIELD_VALUE_CHECKED);
        }
        c->send_fields[i].flags = flags;
    }
    rules.kind = kind;
    rules.connect_protocol = (uint8_t)(c->remote_settings.values[6] != 0u);
    st = h2_headers_check_marked(c->send_fields, n, &rules, info);
    if (st != H2_OK && c->config.validate_outbound_headers != 0u) {
        return H2_E_PROTOCOL;
    }
    if (st != H2_OK) {
        info->status = 0u;
        info->informational = 0u;
        info->method = 0u;
        info->extended_connect = 0u;
        info->has_content_length = 0u;
        info->content_length = 0u;
    }
    /* The peer's SETTINGS_MAX_HEADER_LIST_SIZE is a promise we keep. */
    /*@ loop invariant 0 <= i <= n;
        loop assigns i, list;
        loop variant n - i;
    */
    for (i = 0u; i < n; i++) {
        list += (uint64_t)c->send_fields[i].name_len + c->send_fields[i].value_len + 32u;
    }
    if (list > c->remote_settings.values[5]) {
        return H2_E_HPACK_HEADER_LIST_TOO_LARGE;
    }
    *out_count = n;
    /* Over h2_hpack_encode_bound(), from the sum above: a field costs its
     * bytes, a first byte and two length prefixes of at most 6 bytes each;
     * the table size updates at most 12. */
    *block_bound = list - 19u * (uint64_t)n + 12u;
    return H2_OK;
}

/* Local verdicts become h2's exceptions. */
/*@ assigns \nothing; */
static h2_status local_error(uint8_t state)
{
    if (state == (uint8_t)H2_STREAM_STATE_CLOSED ||
        state == (uint8_t)H2_STREAM_HALF_CLOSED_LOCAL) {
        return H2_E_STREAM_CLOSED;
    }
    return H2_E_PROTOCOL;
}

/* An id that is not in the pool: closed (remembered or implied by a
 * higher one) or never used. */
/*@ requires \valid_read(c);
    assigns \nothing;
*/
static h2_status missing_stream(const h2_conn *c, uint32_t id)
{
    h2_close_reason reason;
    if (h2_stream_closed_reason(&c->streams, id, &reason) != 0 || !id_is_idle(c, id)) {
        return H2_E_STREAM_CLOSED;
    }
    return H2_E_NO_SUCH_STREAM;
}

/*@ requires \valid(conn);
    assigns *conn;
*/
h2_status h2_send_headers(h2_conn *conn, uint32_t stream_id,
                          const h2_header *fields, size_t count,
                          int end_stream, const h2_priority *priority,
                          uint8_t pad_length)
{
    h2_stream *s;
    h2_block_kind kind;
    h2_block_info info;
    h2_stream_state next;
    h2_stream_state after;
    size_t n = 0u;
    uint64_t bound = 0u;
    uint8_t flags = 0u;
    h2_status st = usable(conn);
    int is_new = 0;

    if (st != H2_OK) {
        return st;
    }
    if (stream_id == 0u || stream_id > H2_STREAM_ID_MAX) {
        return H2_E_PROTOCOL;
    }
    s = h2_stream_find(&conn->streams, stream_id);
    if (s == (h2_stream *)0) {
        if (conn->config.client_side == 0u || stream_id % 2u == 0u) {
            /* Servers open streams with push_stream. */
            return id_is_idle(conn, stream_id) ? H2_E_PROTOCOL : missing_stream(conn, stream_id);
        }
        if (!outbound_id_is_idle(conn, stream_id)) {
            h2_close_reason reason;
            return h2_stream_closed_reason(&conn->streams, stream_id, &reason) != 0 ?
                   H2_E_STREAM_CLOSED : H2_E_STREAM_ID_TOO_LOW;
        }
        if (conn->goaway_received != 0u) {
            return H2_E_PROTOCOL; /* the peer is going away */
        }
        if (conn->open_outbound >= conn->remote_settings.values[2] ||
            conn->streams.used >= H2_MAX_STREAMS) {
            return H2_E_TOO_MANY_STREAMS;
        }
        is_new = 1;
        kind = H2_BLOCK_REQUEST;
        next = H2_STREAM_OPEN;
    } else {
        if (h2_stream_transition((h2_stream_state)s->state, H2_SEND_HEADERS, &next) !=
            H2_STREAM_OK) {
            return local_error(s->state);
        }
        if (conn->config.client_side != 0u) {
            kind = H2_BLOCK_TRAILERS;
        } else {
            kind = (s->flags & H2_STREAM_F_HEADERS_SENT) != 0u ?
                   H2_BLOCK_TRAILERS : H2_BLOCK_RESPONSE;
        }
    }
    if (kind == H2_BLOCK_TRAILERS && !end_stream) {
        return H2_E_PROTOCOL; /* trailers end the stream */
    }
    if (end_stream &&
        h2_stream_transition(next, H2_SEND_END_STREAM, &after) != H2_STREAM_OK) {
        return H2_E_PROTOCOL;
    }
    st = prepare_fields(conn, fields, count, kind, &info, &n, &bound);
    if (st != H2_OK) {
        return st;
    }
    if (info.informational != 0u && end_stream) {
        return H2_E_PROTOCOL; /* a 1xx response never ends a stream */
    }
    if (priority != (const h2_priority *)0) {
        if (priority->dependency == stream_id) {
            return H2_E_PROTOCOL;
        }
        flags = (uint8_t)(flags | H2_FLAG_PRIORITY);
    }
    if (pad_length > 0u) {
        flags = (uint8_t)(flags | H2_FLAG_PADDED);
    }
    if (end_stream) {
        flags = (uint8_t)(flags | H2_FLAG_END_STREAM);
    }
    st = out_header_block(conn, (uint8_t)H2_FRAME_HEADERS, stream_id, flags, 0u,
                          priority, pad_length, conn->send_fields, n, bound);
    if (st != H2_OK) {
        return st;
    }
    if (is_new) {
        /* Room was checked above, so this cannot fail. */
        s = h2_stream_create(&conn->streams, stream_id,
                             conn->remote_settings.values[3],
                             conn->local_settings.values[3]);
        if (s == (h2_stream *)0) {
            return conn_error(conn, H2_E_INVALID_ARGUMENT);
        }
        conn->highest_outbound_id = stream_id;
        conn->next_stream_id = stream_id + 2u;
        if (info.method == (uint8_t)H2_METHOD_HEAD) {
            s->flags = (uint8_t)(s->flags | H2_STREAM_F_HEAD_REQUEST);
        }
    }
    if (kind == H2_BLOCK_TRAILERS) {
        s->flags = (uint8_t)(s->flags | H2_STREAM_F_TRAILERS);
    } else if (info.informational == 0u) {
        s->flags = (uint8_t)(s->flags | H2_STREAM_F_HEADERS_SENT);
    }
    (void)stream_input(conn, s, H2_SEND_HEADERS, H2_CLOSED_BY_SEND_END_STREAM);
    if (end_stream) {
        (void)stream_input(conn, s, H2_SEND_END_STREAM, H2_CLOSED_BY_SEND_END_STREAM);
    }
    return H2_OK;
}

/*@ requires \valid(conn);
    requires len == 0 || \valid_read(data + (0 .. len - 1));
    assigns *conn;
*/
h2_status h2_send_data(h2_conn *conn, uint32_t stream_id,
                       const uint8_t *data, size_t len, int end_stream,
                       uint8_t pad_length)
{
    h2_stream *s;
    h2_stream_state next;
    h2_stream_state after;
    h2_frame f;
    uint64_t frame_len;
    int32_t window;
    h2_status st = usable(conn);

    if (st != H2_OK) {
        return st;
    }
    s = h2_stream_find(&conn->streams, stream_id);
    if (stream_id == 0u || s == (h2_stream *)0) {
        return stream_id == 0u ? H2_E_PROTOCOL : missing_stream(conn, stream_id);
    }
    if (h2_stream_transition((h2_stream_state)s->state, H2_SEND_DATA, &next) != H2_STREAM_OK) {
        return local_error(s->state);
    }
    if ((s->flags & H2_STREAM_F_HEADERS_SENT) == 0u) {
        return H2_E_PROTOCOL; /* a message's final HEADERS come first (RFC 9113 8.1) */
    }
    if (end_stream &&
        h2_stream_transition(next, H2_SEND_END_STREAM, &after) != H2_STREAM_OK) {
        return local_error(s->state);
    }
    frame_len = (uint64_t)len + (pad_length > 0u ? 1u + (uint64_t)pad_length : 0u);
    if (frame_len > conn->remote_settings.values[4]) {
        return H2_E_FRAME_SIZE;
    }
    window = s->send_window < conn->send_window ? s->send_window : conn->send_window;
    /* An empty DATA frame (END_STREAM alone) needs no window, even a
     * negative one. */
    if (frame_len > 0u && (window < 0 || frame_len > (uint64_t)window)) {
        return H2_E_FLOW_CONTROL;
    }
    frame_clear(&f, (uint8_t)H2_FRAME_DATA,
                (uint8_t)((end_stream ? H2_FLAG_END_STREAM : 0u) |
                          (pad_length > 0u ? H2_FLAG_PADDED : 0u)),
                stream_id);
    f.data = data;
    f.data_len = (uint32_t)len;
    f.pad_length = pad_length;
    st = out_frame(conn, &f);
    if (st != H2_OK) {
        return st;
    }
    (void)h2_window_consume(&conn->send_window, (uint32_t)frame_len);
    (void)h2_window_consume(&s->send_window, (uint32_t)frame_len);
    if (end_stream) {
        (void)stream_input(conn, s, H2_SEND_END_STREAM, H2_CLOSED_BY_SEND_END_STREAM);
    }
    return H2_OK;
}

/*@ requires \valid(conn);
    assigns *conn;
*/
h2_status h2_end_stream(h2_conn *conn, uint32_t stream_id)
{
    return h2_send_data(conn, stream_id, (const uint8_t *)0, 0u, 1, 0u);
}

/*@ requires \valid(conn);
    assigns *conn;
*/
h2_status h2_push_stream(h2_conn *conn, uint32_t stream_id,
                         uint32_t promised_stream_id,
                         const h2_header *fields, size_t count)
{
    h2_stream *parent;
    h2_stream *s;
    h2_block_info info;
    size_t n = 0u;
    uint64_t bound = 0u;
    h2_status st = usable(conn);

    if (st != H2_OK) {
        return st;
    }
    if (conn->config.client_side != 0u || conn->remote_settings.values[1] == 0u) {
        return H2_E_PROTOCOL; /* only servers push, only when allowed */
    }
    if (conn->goaway_received != 0u) {
        return H2_E_PROTOCOL; /* the client is going away: no new streams */
    }
    if (stream_id == 0u || !is_inbound_id(conn, stream_id)) {
        return H2_E_PROTOCOL; /* only on a request of the client's (RFC 9113 8.4) */
    }
    parent = h2_stream_find(&conn->streams, stream_id);
    if (parent == (h2_stream *)0) {
        return missing_stream(conn, stream_id);
    }
    if (parent->state != (uint8_t)H2_STREAM_OPEN &&
        parent->state != (uint8_t)H2_STREAM_HALF_CLOSED_REMOTE) {
        return H2_E_STREAM_CLOSED;
    }
    if (promised_stream_id == 0u || promised_stream_id % 2u != 0u ||
        promised_stream_id > H2_STREAM_ID_MAX) {
        return H2_E_PROTOCOL;
    }
    if (!outbound_id_is_idle(conn, promised_stream_id)) {
        return H2_E_STREAM_ID_TOO_LOW;
    }
    if (conn->streams.used >= H2_MAX_STREAMS) {
        return H2_E_TOO_MANY_STREAMS;
    }
    st = prepare_fields(conn, fields, count, H2_BLOCK_REQUEST, &info, &n, &bound);
    if (st != H2_OK) {
        return st;
    }
    st = out_header_block(conn, (uint8_t)H2_FRAME_PUSH_PROMISE, stream_id, 0u,
                          promised_stream_id, (const h2_priority *)0, 0u,
                          conn->send_fields, n, bound);
    if (st != H2_OK) {
        return st;
    }
    s = h2_stream_create(&conn->streams, promised_stream_id,
                         conn->remote_settings.values[3],
                         conn->local_settings.values[3]);
    if (s == (h2_stream *)0) {
        return conn_error(conn, H2_E_INVALID_ARGUMENT);
    }
    s->flags = (uint8_t)(s->flags | H2_STREAM_F_PUSHED);
    if (info.method == (uint8_t)H2_METHOD_HEAD) {
        s->flags = (uint8_t)(s->flags | H2_STREAM_F_HEAD_REQUEST);
    }
    (void)stream_input(conn, s, H2_SEND_PUSH_PROMISE, H2_CLOSED_BY_SEND_RST_STREAM);
    conn->highest_outbound_id = promised_stream_id;
    conn->next_stream_id = promised_stream_id + 2u;
    return H2_OK;
}

/*@ requires \valid(conn) && \valid_read(opaque + (0 .. 7));
    assigns *conn;
*/
h2_status h2_ping(h2_conn *conn, const uint8_t opaque[H2_PING_PAYLOAD_SIZE])
{
    h2_frame f;
    h2_status st = usable(conn);
    if (st != H2_OK) {
        return st;
    }
    frame_clear(&f, (uint8_t)H2_FRAME_PING, 0u, 0u);
    h2_bytes_copy(f.opaque, opaque, H2_PING_PAYLOAD_SIZE);
    return out_frame(conn, &f);
}

/*@ requires \valid(conn);
    assigns *conn;
*/
h2_status h2_reset_stream(h2_conn *conn, uint32_t stream_id, uint32_t error_code)
{
    h2_stream *s;
    h2_status st = usable(conn);
    if (st != H2_OK) {
        return st;
    }
    s = h2_stream_find(&conn->streams, stream_id);
    if (stream_id == 0u || s == (h2_stream *)0) {
        return stream_id == 0u ? H2_E_PROTOCOL : missing_stream(conn, stream_id);
    }
    st = out_rst_stream(conn, stream_id, error_code);
    if (st != H2_OK) {
        return st;
    }
    stream_close_by_reset(conn, s, H2_CLOSED_BY_SEND_RST_STREAM);
    return H2_OK;
}

/*@ requires \valid(conn);
    requires additional_len == 0 || \valid_read(additional_data + (0 .. additional_len - 1));
    assigns *conn;
*/
h2_status h2_close_connection(h2_conn *conn, uint32_t error_code,
                              uint32_t last_stream_id,
                              const uint8_t *additional_data,
                              size_t additional_len)
{
    h2_frame f;
    h2_status st = usable(conn);
    if (st != H2_OK) {
        return st;
    }
    if (additional_len > H2_OUTBOUND_CAPACITY) {
        return H2_E_WOULD_BLOCK;
    }
    if (last_stream_id == H2_LAST_STREAM_AUTO) {
        last_stream_id = conn->highest_inbound_id;
    }
    if (last_stream_id > H2_STREAM_ID_MAX) {
        return H2_E_INVALID_ARGUMENT;
    }
    last_stream_id = goaway_last_id(conn, last_stream_id);
    frame_clear(&f, (uint8_t)H2_FRAME_GOAWAY, 0u, 0u);
    f.last_stream_id = last_stream_id;
    f.error_code = error_code;
    f.data = additional_data;
    f.data_len = (uint32_t)additional_len;
    st = out_frame(conn, &f);
    if (st != H2_OK) {
        return st;
    }
    conn->goaway_sent = 1u;
    if (last_stream_id < conn->goaway_sent_last_id) {
        conn->goaway_sent_last_id = last_stream_id;
    }
    if (error_code != (uint32_t)H2_NO_ERROR) {
        conn->state = (uint8_t)H2_CONN_CLOSED;
    }
    return H2_OK;
}

/* How far the peer's view of a stream's send window can be above our
 * receive window: the peer applies a raised INITIAL_WINDOW_SIZE as soon as
 * it reads our SETTINGS, we only when it acknowledges them. */
/*@ requires \valid_read(c);
    assigns \nothing;
*/
static uint32_t initial_window_lead(const h2_conn *c)
{
    uint32_t acked = c->local_settings.values[3];
    uint32_t peak = h2_settings_queue_peak(&c->local_pending, &c->local_settings,
                                           (uint16_t)H2_SETTINGS_INITIAL_WINDOW_SIZE);
    return peak > acked ? peak - acked : 0u;
}

/* Would some stream's window, as the peer sees it, pass 2^31 - 1 if every
 * one grew by raise (RFC 9113 6.9.2 makes that the peer's
 * FLOW_CONTROL_ERROR, so we must never cause it)? */
/*@ requires \valid_read(c);
    assigns \nothing;
*/
static int stream_window_would_overflow(const h2_conn *c, uint32_t raise)
{
    uint32_t i;
    /*@ loop invariant 0 <= i <= H2_MAX_STREAMS;
        loop assigns i;
        loop variant H2_MAX_STREAMS - i;
    */
    for (i = 0u; i < H2_MAX_STREAMS; i++) {
        const h2_stream *s = &c->streams.slots[i];
        if (s->id != 0u &&
            (int64_t)s->recv_window.current + (int64_t)raise > (int64_t)H2_MAX_WINDOW_SIZE) {
            return 1;
        }
    }
    return 0;
}

/* Values libh2 itself cannot honour are refused along with the RFC's, and
 * a server never allows pushes to itself (RFC 9113 6.5.2: a client treats
 * ENABLE_PUSH = 1 from a server as a connection error). */
/*@ requires count == 0 || \valid_read(settings + (0 .. count - 1));
    assigns \nothing;
*/
static h2_status check_local_settings(const h2_setting *settings, uint32_t count,
                                      uint8_t client_side)
{
    uint32_t i;
    uint32_t code = 0u;
    /*@ loop invariant 0 <= i <= count;
        loop assigns i, code;
        loop variant count - i;
    */
    for (i = 0u; i < count; i++) {
        uint16_t id = settings[i].id;
        uint32_t v = settings[i].value;
        if (h2_setting_check(id, v, &code) != H2_OK ||
            (id == (uint16_t)H2_SETTINGS_MAX_CONCURRENT_STREAMS && v > H2_MAX_STREAMS) ||
            (id == (uint16_t)H2_SETTINGS_HEADER_TABLE_SIZE && v > H2_HPACK_TABLE_CAPACITY) ||
            (id == (uint16_t)H2_SETTINGS_MAX_HEADER_LIST_SIZE && v > H2_HEADER_ARENA_CAPACITY) ||
            (id == (uint16_t)H2_SETTINGS_ENABLE_PUSH && v != 0u && client_side == 0u)) {
            return H2_E_INVALID_SETTINGS_VALUE;
        }
    }
    return H2_OK;
}

/* Writes a SETTINGS frame with the given entries. */
/*@ requires \valid(c) && conn_ok(c);
    requires count <= H2_SETTINGS_KNOWN;
    requires count == 0 || \valid_read(list + (0 .. count - 1));
    assigns *c;
*/
static h2_status out_settings(h2_conn *c, const h2_setting *list, uint32_t count)
{
    uint32_t need = H2_FRAME_HEADER_SIZE + H2_SETTING_ENTRY_SIZE * count;
    uint32_t at;
    uint32_t i;
    if (need > out_room(c)) {
        return H2_E_WOULD_BLOCK;
    }
    at = out_reserve(c, need);
    put_frame_header(&c->outbound[at], H2_SETTING_ENTRY_SIZE * count,
                     (uint8_t)H2_FRAME_SETTINGS, 0u, 0u);
    /*@ loop invariant 0 <= i <= count;
        loop assigns i, c->outbound[0 .. H2_OUTBOUND_CAPACITY - 1];
        loop variant count - i;
    */
    for (i = 0u; i < count; i++) {
        h2_setting_write(list[i].id, list[i].value,
                         &c->outbound[at + H2_FRAME_HEADER_SIZE + H2_SETTING_ENTRY_SIZE * i]);
    }
    out_commit(c, need);
    return H2_OK;
}

/*@ requires \valid(conn);
    requires count == 0 || \valid_read(settings + (0 .. count - 1));
    assigns *conn;
*/
h2_status h2_update_settings(h2_conn *conn, const h2_setting *settings,
                             uint32_t count)
{
    uint32_t i;
    h2_status st;

    if (count > H2_SETTINGS_KNOWN) {
        return H2_E_INVALID_ARGUMENT;
    }
    st = check_local_settings(settings, count, conn->config.client_side);
    if (st != H2_OK) {
        return st;
    }
    if (conn->state == (uint8_t)H2_CONN_IDLE) {
        /* Before the preface: they go into the first SETTINGS frame. */
        /*@ loop invariant 0 <= i <= count;
            loop assigns i, conn->local_initial.values[0 .. H2_SETTINGS_KNOWN - 1];
            loop variant count - i;
        */
        for (i = 0u; i < count; i++) {
            int slot = h2_settings_slot(settings[i].id);
            if (slot >= 0) {
                conn->local_initial.values[slot] = settings[i].value;
            }
        }
        return H2_OK;
    }
    st = usable(conn);
    if (st != H2_OK) {
        return st;
    }
    /*@ loop invariant 0 <= i <= count;
        loop assigns i;
        loop variant count - i;
    */
    for (i = 0u; i < count; i++) {
        uint32_t acked = conn->local_settings.values[3];
        if (settings[i].id == (uint16_t)H2_SETTINGS_INITIAL_WINDOW_SIZE &&
            settings[i].value > acked &&
            stream_window_would_overflow(conn, settings[i].value - acked)) {
            return H2_E_FLOW_CONTROL;
        }
    }
    if (conn->local_pending.count >= H2_SETTINGS_MAX_PENDING ||
        H2_FRAME_HEADER_SIZE + H2_SETTING_ENTRY_SIZE * count > out_room(conn)) {
        return H2_E_WOULD_BLOCK;
    }
    st = h2_settings_queue_push(&conn->local_pending, &conn->local_settings, settings, count);
    if (st != H2_OK) {
        return st;
    }
    (void)out_settings(conn, settings, count);
    return H2_OK;
}

/* The entries of our first SETTINGS: what differs from the RFC values,
 * and always MAX_CONCURRENT_STREAMS (its default is unlimited). */
/*@ requires \valid_read(c) && \valid(list + (0 .. H2_SETTINGS_KNOWN - 1));
    assigns list[0 .. H2_SETTINGS_KNOWN - 1];
    ensures \result <= H2_SETTINGS_KNOWN;
*/
static uint32_t initial_settings(const h2_conn *c, h2_setting *list)
{
    h2_settings defaults;
    uint32_t i;
    uint32_t n = 0u;
    h2_settings_init(&defaults);
    /*@ loop invariant 0 <= i <= H2_SETTINGS_KNOWN;
        loop invariant 0 <= n <= i;
        loop assigns i, n, list[0 .. H2_SETTINGS_KNOWN - 1];
        loop variant H2_SETTINGS_KNOWN - i;
    */
    for (i = 0u; i < H2_SETTINGS_KNOWN; i++) {
        if (c->local_initial.values[i] != defaults.values[i] || i == 2u) {
            list[n].id = h2_settings_id(i);
            list[n].value = c->local_initial.values[i];
            n++;
        }
    }
    return n;
}

/*@ requires \valid(conn);
    assigns *conn;
*/
h2_status h2_initiate_connection(h2_conn *conn)
{
    h2_setting list[H2_SETTINGS_KNOWN];
    uint32_t n;
    uint32_t at;
    uint32_t need;

    if (conn->state != (uint8_t)H2_CONN_IDLE) {
        return H2_E_PROTOCOL;
    }
    n = initial_settings(conn, list);
    need = H2_FRAME_HEADER_SIZE + H2_SETTING_ENTRY_SIZE * n +
           (conn->config.client_side != 0u ? H2_CLIENT_PREFACE_LEN : 0u);
    if (need > out_room(conn)) {
        return H2_E_WOULD_BLOCK;
    }
    if (conn->config.client_side != 0u) {
        at = out_reserve(conn, H2_CLIENT_PREFACE_LEN);
        h2_bytes_copy(&conn->outbound[at], client_preface, H2_CLIENT_PREFACE_LEN);
        out_commit(conn, H2_CLIENT_PREFACE_LEN);
    }
    (void)h2_settings_queue_push(&conn->local_pending, &conn->local_settings, list, n);
    (void)out_settings(conn, list, n);
    conn->state = (uint8_t)H2_CONN_OPEN;
    return H2_OK;
}

/* ------------------------------------------------------------------ */
/* HTTP/1.1 Upgrade (RFC 7540 section 3.2)                             */
/* ------------------------------------------------------------------ */

static const uint8_t base64url_alphabet[64] = {
    'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L', 'M', 'N', 'O', 'P',
    'Q', 'R', 'S', 'T', 'U', 'V', 'W', 'X', 'Y', 'Z', 'a', 'b', 'c', 'd', 'e', 'f',
    'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o', 'p', 'q', 'r', 's', 't', 'u', 'v',
    'w', 'x', 'y', 'z', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '-', '_'
};

/* Value of a base64url digit, or 64 for anything else. */
/*@ assigns \nothing;
    ensures \result <= 64;
*/
static uint32_t base64url_value(uint8_t ch)
{
    if (ch >= (uint8_t)'A' && ch <= (uint8_t)'Z') {
        return (uint32_t)ch - (uint32_t)'A';
    }
    if (ch >= (uint8_t)'a' && ch <= (uint8_t)'z') {
        return (uint32_t)ch - (uint32_t)'a' + 26u;
    }
    if (ch >= (uint8_t)'0' && ch <= (uint8_t)'9') {
        return (uint32_t)ch - (uint32_t)'0' + 52u;
    }
    if (ch == (uint8_t)'-') {
        return 62u;
    }
    if (ch == (uint8_t)'_') {
        return 63u;
    }
    return 64u;
}

/* base64url without padding (RFC 4648 section 5), as HTTP2-Settings
 * uses it; *written bytes. H2_E_BUFFER_TOO_SMALL when out is short. */
/*@ requires len <= 1024;
    requires \valid_read(in + (0 .. len - 1));
    requires \valid(out + (0 .. cap - 1)) && \valid(written);
    assigns out[0 .. cap - 1], *written;
*/
static h2_status base64url_encode(const uint8_t *in, size_t len, uint8_t *out,
                                  size_t cap, size_t *written)
{
    size_t need = (len * 4u + 2u) / 3u;
    size_t i;
    size_t o = 0u;
    if (need > cap) {
        *written = need;
        return H2_E_BUFFER_TOO_SMALL;
    }
    /* Every 3 bytes in make 4 characters out, so o == 4 * i / 3 (the
     * last group may be shorter, and then ends the loop). */
    /*@ loop invariant 0 <= i <= len + 2 && i % 3 == 0;
        loop invariant i <= len ==> 3 * o == 4 * i;
        loop invariant i < len ==> o < need;
        loop assigns i, o, out[0 .. cap - 1];
        loop variant len - i + 2;
    */
    for (i = 0u; i < len; i += 3u) {
        uint32_t b0 = in[i];
        uint32_t b1 = i + 1u < len ? in[i + 1u] : 0u;
        uint32_t b2 = i + 2u < len ? in[i + 2u] : 0u;
        uint32_t v = b0 * 65536u + b1 * 256u + b2;
        out[o++] = base64url_alphabet[v / 262144u];
        out[o++] = base64url_alphabet[(v / 4096u) % 64u];
        if (i + 1u < len) {
            out[o++] = base64url_alphabet[(v / 64u) % 64u];
        }
        if (i + 2u < len) {
            out[o++] = base64url_alphabet[v % 64u];
        }
    }
    *written = o;
    return H2_OK;
}

/* Decodes base64url (padding '=' tolerated at the end) into out. */
/*@ requires \valid_read(in + (0 .. len - 1));
    requires \valid(out + (0 .. cap - 1)) && \valid(written);
    assigns out[0 .. cap - 1], *written;
*/
static h2_status base64url_decode(const uint8_t *in, size_t len, uint8_t *out,
                                  size_t cap, size_t *written)
{
    uint32_t acc = 0u;
    uint32_t bits = 0u;
    size_t o = 0u;
    size_t i;
    /*@ loop invariant 0 <= i <= len;
        loop invariant bits < 8 && o <= cap;
        loop assigns i, acc, bits, o, out[0 .. cap - 1];
        loop variant len - i;
    */
    for (i = 0u; i < len; i++) {
        uint32_t v;
        if (in[i] == (uint8_t)'=') {
            break;
        }
        v = base64url_value(in[i]);
        if (v == 64u) {
            return H2_E_PROTOCOL;
        }
        acc = (acc % 262144u) * 64u + v;
        bits += 6u;
        if (bits >= 8u) {
            bits -= 8u;
            if (o >= cap) {
                return H2_E_BUFFER_TOO_SMALL;
            }
            out[o++] = (uint8_t)((acc / (bits == 0u ? 1u : bits == 2u ? 4u : bits == 4u ? 16u : 64u)) % 256u);
        }
    }
    *written = o;
    return H2_OK;
}

/*@ requires \valid(conn);
    assigns *conn, out[0 .. cap - 1], *written;
*/
h2_status h2_initiate_upgrade_connection(h2_conn *conn,
                                         const uint8_t *settings,
                                         size_t settings_len, uint8_t *out,
                                         size_t cap, size_t *written)
{
    uint8_t payload[H2_SETTINGS_KNOWN * H2_SETTING_ENTRY_SIZE];
    h2_setting list[H2_SETTINGS_KNOWN];
    h2_stream *s;
    size_t n = 0u;
    uint32_t i;
    h2_status st;

    if (conn->state != (uint8_t)H2_CONN_IDLE) {
        return H2_E_PROTOCOL;
    }
    if (conn->config.client_side != 0u) {
        uint32_t count = initial_settings(conn, list);
        /*@ loop invariant 0 <= i <= count;
            loop assigns i, payload[0 .. H2_SETTINGS_KNOWN * H2_SETTING_ENTRY_SIZE - 1];
            loop variant count - i;
        */
        for (i = 0u; i < count; i++) {
            h2_setting_write(list[i].id, list[i].value, &payload[i * H2_SETTING_ENTRY_SIZE]);
        }
        st = base64url_encode(payload, count * H2_SETTING_ENTRY_SIZE, out, cap, written);
        if (st != H2_OK) {
            return st;
        }
    } else {
        uint8_t raw[256];
        size_t raw_len = 0u;
        st = base64url_decode(settings, settings_len, raw, sizeof raw, &raw_len);
        if (st != H2_OK || raw_len % H2_SETTING_ENTRY_SIZE != 0u) {
            return H2_E_PROTOCOL;
        }
        /* Validate everything first: a failing call changes nothing. */
        /*@ loop invariant 0 <= n <= raw_len;
            loop assigns n;
            loop variant raw_len - n;
        */
        for (n = 0u; n < raw_len; n += H2_SETTING_ENTRY_SIZE) {
            uint32_t code = 0u;
            uint16_t id = (uint16_t)((uint32_t)raw[n] * 256u + raw[n + 1u]);
            uint32_t v = (uint32_t)raw[n + 2u] * 16777216u + (uint32_t)raw[n + 3u] * 65536u +
                         (uint32_t)raw[n + 4u] * 256u + (uint32_t)raw[n + 5u];
            if (h2_setting_check(id, v, &code) != H2_OK) {
                return H2_E_INVALID_SETTINGS_VALUE;
            }
        }
        if (written != (size_t *)0) {
            *written = 0u;
        }
    }
    st = h2_initiate_connection(conn);
    if (st != H2_OK) {
        return st;
    }
    if (conn->config.client_side == 0u) {
        uint8_t raw[256];
        size_t raw_len = 0u;
        (void)base64url_decode(settings, settings_len, raw, sizeof raw, &raw_len);
        conn->rx.settings_count = 0u;
        /*@ loop invariant 0 <= n <= raw_len;
            loop assigns n, *conn;
            loop variant raw_len - n;
        */
        for (n = 0u; n + H2_SETTING_ENTRY_SIZE <= raw_len; n += H2_SETTING_ENTRY_SIZE) {
            (void)apply_remote_setting(conn,
                (uint16_t)((uint32_t)raw[n] * 256u + raw[n + 1u]),
                (uint32_t)raw[n + 2u] * 16777216u + (uint32_t)raw[n + 3u] * 65536u +
                (uint32_t)raw[n + 4u] * 256u + (uint32_t)raw[n + 5u]);
        }
        conn->rx.settings_count = 0u;
    }
    /* Stream 1 carried the HTTP/1.1 request: half-closed toward the side
     * that sent it. */
    s = h2_stream_create(&conn->streams, 1u, conn->remote_settings.values[3],
                         conn->local_settings.values[3]);
    if (s == (h2_stream *)0) {
        return conn_error(conn, H2_E_INVALID_ARGUMENT);
    }
    if (conn->config.client_side != 0u) {
        (void)stream_input(conn, s, H2_SEND_HEADERS, H2_CLOSED_BY_SEND_END_STREAM);
        (void)stream_input(conn, s, H2_SEND_END_STREAM, H2_CLOSED_BY_SEND_END_STREAM);
        s->flags = (uint8_t)(s->flags | H2_STREAM_F_HEADERS_SENT);
        conn->highest_outbound_id = 1u;
        conn->next_stream_id = 3u;
    } else {
        (void)stream_input(conn, s, H2_RECV_HEADERS, H2_CLOSED_BY_RECV_END_STREAM);
        (void)stream_input(conn, s, H2_RECV_END_STREAM, H2_CLOSED_BY_RECV_END_STREAM);
        s->flags = (uint8_t)(s->flags | H2_STREAM_F_HEADERS_RECEIVED);
        conn->highest_inbound_id = 1u;
    }
    return H2_OK;
}

/* ------------------------------------------------------------------ */
/* Flow control, priority, ALTSVC                                      */
/* ------------------------------------------------------------------ */

/*@ requires \valid(conn);
    assigns *conn;
*/
h2_status h2_increment_flow_control_window(h2_conn *conn, uint32_t increment,
                                           uint32_t stream_id)
{
    h2_recv_window *w;
    h2_stream *s;
    h2_stream_state next;
    h2_status st = usable(conn);
    if (st != H2_OK) {
        return st;
    }
    if (increment == 0u || increment > H2_MAX_WINDOW_SIZE) {
        return H2_E_INVALID_ARGUMENT;
    }
    if (stream_id == 0u) {
        w = &conn->recv_window;
    } else {
        s = h2_stream_find(&conn->streams, stream_id);
        if (s == (h2_stream *)0) {
            return missing_stream(conn, stream_id);
        }
        if (h2_stream_transition((h2_stream_state)s->state, H2_SEND_WINDOW_UPDATE,
                                 &next) != H2_STREAM_OK) {
            /* Not on a stream we promised, nor one still idle (RFC 9113 5.1). */
            return local_error(s->state);
        }
        /* The peer may already use raises of INITIAL_WINDOW_SIZE that it
         * has not acknowledged: they count against the limit too. */
        if ((int64_t)s->recv_window.current + (int64_t)increment +
            (int64_t)initial_window_lead(conn) > (int64_t)H2_MAX_WINDOW_SIZE) {
            return H2_E_FLOW_CONTROL;
        }
        w = &s->recv_window;
    }
    if (H2_FRAME_HEADER_SIZE + 4u > out_room(conn)) {
        return H2_E_WOULD_BLOCK;
    }
    if (h2_recv_window_open(w, increment) != H2_OK) {
        return H2_E_FLOW_CONTROL;
    }
    return out_window_update(conn, stream_id, increment);
}

/*@ requires \valid(conn);
    assigns *conn;
*/
h2_status h2_acknowledge_received_data(h2_conn *conn, uint32_t size,
                                       uint32_t stream_id)
{
    h2_stream *s;
    uint32_t inc;
    h2_status st = usable(conn);
    if (st != H2_OK) {
        return st;
    }
    if (stream_id == 0u) {
        return H2_E_PROTOCOL;
    }
    if (2u * (H2_FRAME_HEADER_SIZE + 4u) > out_room(conn)) {
        return H2_E_WOULD_BLOCK;
    }
    s = h2_stream_find(&conn->streams, stream_id);
    if (s == (h2_stream *)0 && id_is_idle(conn, stream_id)) {
        return H2_E_NO_SUCH_STREAM;
    }
    inc = h2_recv_window_processed(&conn->recv_window, size);
    if (inc > 0u) {
        (void)out_window_update(conn, 0u, inc);
    }
    /* A stream that will receive nothing more needs no update. */
    if (s != (h2_stream *)0 &&
        (s->state == (uint8_t)H2_STREAM_OPEN ||
         s->state == (uint8_t)H2_STREAM_HALF_CLOSED_LOCAL)) {
        inc = h2_recv_window_processed(&s->recv_window, size);
        if (inc > 0u) {
            (void)out_window_update(conn, stream_id, inc);
        }
    }
    return H2_OK;
}

/*@ requires \valid(conn);
    assigns *conn;
*/
h2_status h2_prioritize(h2_conn *conn, uint32_t stream_id, uint16_t weight,
                        uint32_t depends_on, int exclusive)
{
    h2_frame f;
    h2_status st = usable(conn);
    if (st != H2_OK) {
        return st;
    }
    if (stream_id == 0u || stream_id > H2_STREAM_ID_MAX || depends_on > H2_STREAM_ID_MAX) {
        return H2_E_PROTOCOL;
    }
    if (depends_on == stream_id) {
        return H2_E_PROTOCOL; /* RFC 9113 5.3.1 */
    }
    if (weight < 1u || weight > 256u) {
        return H2_E_INVALID_ARGUMENT;
    }
    frame_clear(&f, (uint8_t)H2_FRAME_PRIORITY, 0u, stream_id);
    f.priority.dependency = depends_on;
    f.priority.weight = (uint8_t)(weight - 1u);
    f.priority.exclusive = (uint8_t)(exclusive != 0);
    return out_frame(conn, &f);
}

/*@ requires \valid(conn);
    assigns *conn;
*/
h2_status h2_advertise_alternative_service(h2_conn *conn,
                                           const uint8_t *field_value,
                                           size_t field_value_len,
                                           const uint8_t *origin,
                                           size_t origin_len,
                                           uint32_t stream_id)
{
    h2_frame f;
    h2_status st = usable(conn);
    if (st != H2_OK) {
        return st;
    }
    if (conn->config.client_side != 0u) {
        return H2_E_PROTOCOL; /* RFC 7838: servers advertise */
    }
    if ((stream_id == 0u) != (origin_len > 0u) || origin_len > 65535u ||
        field_value_len > H2_OUTBOUND_CAPACITY) {
        return H2_E_INVALID_ARGUMENT;
    }
    frame_clear(&f, (uint8_t)H2_FRAME_ALTSVC, 0u, stream_id);
    f.origin = origin;
    f.origin_len = (uint32_t)origin_len;
    f.data = field_value;
    f.data_len = (uint32_t)field_value_len;
    return out_frame(conn, &f);
}

/* ------------------------------------------------------------------ */
/* Queries                                                             */
/* ------------------------------------------------------------------ */

/*@ requires \valid_read(conn) && \valid(id);
    assigns *id;
*/
h2_status h2_get_next_available_stream_id(const h2_conn *conn, uint32_t *id)
{
    uint32_t next = conn->highest_outbound_id == 0u ?
                    (conn->config.client_side != 0u ? 1u : 2u) :
                    conn->highest_outbound_id + 2u;
    if (next > H2_STREAM_ID_MAX) {
        return H2_E_NO_AVAILABLE_STREAM_ID;
    }
    *id = next;
    return H2_OK;
}

/*@ requires \valid_read(conn) && \valid(window);
    assigns *window;
*/
h2_status h2_local_flow_control_window(const h2_conn *conn,
                                       uint32_t stream_id, int32_t *window)
{
    const h2_stream *s;
    if (stream_id == 0u) {
        *window = conn->send_window;
        return H2_OK;
    }
    s = h2_stream_find_const(&conn->streams, stream_id);
    if (s == (const h2_stream *)0) {
        return missing_stream(conn, stream_id);
    }
    *window = s->send_window < conn->send_window ? s->send_window : conn->send_window;
    return H2_OK;
}

/*@ requires \valid_read(conn) && \valid(window);
    assigns *window;
*/
h2_status h2_remote_flow_control_window(const h2_conn *conn,
                                        uint32_t stream_id, int32_t *window)
{
    const h2_stream *s;
    if (stream_id == 0u) {
        *window = conn->recv_window.current;
        return H2_OK;
    }
    s = h2_stream_find_const(&conn->streams, stream_id);
    if (s == (const h2_stream *)0) {
        return missing_stream(conn, stream_id);
    }
    *window = s->recv_window.current < conn->recv_window.current ?
              s->recv_window.current : conn->recv_window.current;
    return H2_OK;
}

/*@ requires \valid_read(conn);
    assigns \nothing;
*/
uint32_t h2_max_outbound_frame_size(const h2_conn *conn)
{
    return conn->remote_settings.values[4];
}

/*@ requires \valid_read(conn);
    assigns \nothing;
*/
uint32_t h2_max_inbound_frame_size(const h2_conn *conn)
{
    return conn->local_settings.values[4];
}

/*@ requires \valid_read(conn);
    assigns \nothing;
*/
uint32_t h2_open_inbound_streams(const h2_conn *conn)
{
    return conn->open_inbound;
}

/*@ requires \valid_read(conn);
    assigns \nothing;
*/
uint32_t h2_open_outbound_streams(const h2_conn *conn)
{
    return conn->open_outbound;
}

/* ------------------------------------------------------------------ */
/* Outbound buffer API                                                 */
/* ------------------------------------------------------------------ */

/*@ requires \valid(conn) && conn_ok(conn);
    requires \valid(out + (0 .. cap - 1));
    requires \separated(conn, out + (0 .. cap - 1));
    assigns conn->out_start, conn->out_end, out[0 .. cap - 1];
    ensures \result <= cap;
*/
size_t h2_data_to_send(h2_conn *conn, uint8_t *out, size_t cap)
{
    uint32_t queued = conn->out_end - conn->out_start;
    uint32_t n = cap < (size_t)queued ? (uint32_t)cap : queued;
    h2_bytes_copy(out, &conn->outbound[conn->out_start], n);
    h2_outbound_consume(conn, n);
    return n;
}

/*@ requires \valid_read(conn) && conn_ok(conn) && \valid(len);
    assigns *len;
*/
const uint8_t *h2_outbound_peek(const h2_conn *conn, size_t *len)
{
    *len = conn->out_end - conn->out_start;
    return &conn->outbound[conn->out_start];
}

/*@ requires \valid(conn) && conn_ok(conn);
    assigns conn->out_start, conn->out_end;
    ensures conn_ok(conn);
*/
void h2_outbound_consume(h2_conn *conn, size_t len)
{
    uint32_t queued = conn->out_end - conn->out_start;
    uint32_t n = len < (size_t)queued ? (uint32_t)len : queued;
    conn->out_start += n;
    if (conn->out_start == conn->out_end) {
        /* Empty: start again at the front, so frames stay contiguous. */
        conn->out_start = 0u;
        conn->out_end = 0u;
    }
}

/*@ requires \valid(conn);
    assigns conn->out_start, conn->out_end;
*/
void h2_clear_outbound_data_buffer(h2_conn *conn)
{
    conn->out_start = 0u;
    conn->out_end = 0u;
}
