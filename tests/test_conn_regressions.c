/* The connection: one test per past finding of the API-sequence fuzzer
 * (their reproducers are in corpus/regressions/api/). */
#include "conn_pair.h"

#define WINDOW_MAX 0x7fffffff

static const h2_header pushed_request[] = {
    { (const uint8_t *)":method", 7, (const uint8_t *)"GET", 3, 0 },
    { (const uint8_t *)":scheme", 7, (const uint8_t *)"https", 5, 0 },
    { (const uint8_t *)":authority", 10, (const uint8_t *)"example.com", 11, 0 },
    { (const uint8_t *)":path", 5, (const uint8_t *)"/style.css", 10, 0 },
};

/* The pair open and stream 1 requested by the client, ending or not. */
static void pair_with_request(int end_stream)
{
    pair_open();
    assert_int_equal(h2_send_headers(&client_conn, 1, get_request, 4, end_stream, NULL, 0),
                     H2_OK);
    assert_int_equal(transfer(&client_conn, &server_conn), H2_OK);
    clear_events();
}

/* What the peer may still send on a stream (its window, not the
 * connection's). */
static int32_t stream_recv_window(h2_conn *c, uint32_t id)
{
    const h2_stream *s = h2_stream_find(&c->streams, id);
    assert_non_null(s);
    return s->recv_window.current;
}

static size_t queued(const h2_conn *c)
{
    return c->out_end - c->out_start;
}

static void test_server_cannot_enable_push(void **state)
{
    h2_setting push_on[] = { { H2_SETTINGS_ENABLE_PUSH, 1 } };
    h2_setting push_off[] = { { H2_SETTINGS_ENABLE_PUSH, 0 } };
    h2_config sc;
    (void)state;
    /* RFC 9113 6.5.2: a client ends the connection over it, so a server
     * must never send it, before the preface or after. */
    h2_config_init(&sc, 0);
    h2_conn_init(&server_conn, &sc);
    assert_int_equal(h2_update_settings(&server_conn, push_on, 1), H2_E_INVALID_SETTINGS_VALUE);
    pair_open();
    size_t before = queued(&server_conn);
    assert_int_equal(h2_update_settings(&server_conn, push_on, 1), H2_E_INVALID_SETTINGS_VALUE);
    assert_int_equal(queued(&server_conn), before);
    assert_int_equal(server_conn.local_pending.count, 0);
    assert_int_equal(h2_update_settings(&server_conn, push_off, 1), H2_OK);
    /* A client may turn it back on. */
    assert_int_equal(h2_update_settings(&client_conn, push_off, 1), H2_OK);
    assert_int_equal(h2_update_settings(&client_conn, push_on, 1), H2_OK);
}

static void test_empty_header_block_is_finished(void **state)
{
    uint8_t buf[64];
    (void)state;
    /* Empty trailers through the API: reported as soon as they arrive. */
    pair_with_request(0);
    assert_int_equal(h2_send_headers(&client_conn, 1, NULL, 0, 1, NULL, 0), H2_OK);
    assert_int_equal(transfer(&client_conn, &server_conn), H2_OK);
    const recorded_event *t = find_event(H2_EVENT_TRAILERS_RECEIVED, 0);
    assert_non_null(t);
    assert_int_equal(t->ev.stream_id, 1);
    assert_int_equal(t->header_count, 0);
    assert_non_null(find_event(H2_EVENT_STREAM_ENDED, 0));
    /* The same as the last 9 bytes of a read: nothing more is needed. */
    pair_with_request(0);
    size_t n = raw_frame(buf, H2_FRAME_HEADERS, H2_FLAG_END_HEADERS | H2_FLAG_END_STREAM, 1,
                         NULL, 0);
    h2_event ev;
    size_t used = 0;
    assert_int_equal(h2_recv(&server_conn, buf, n, &used, &ev), H2_OK);
    assert_int_equal(used, n);
    assert_int_equal(ev.type, H2_EVENT_TRAILERS_RECEIVED);
    assert_int_equal(h2_recv(&server_conn, buf + n, 0, &used, &ev), H2_OK);
    assert_int_equal(ev.type, H2_EVENT_STREAM_ENDED);
    /* An empty fragment that is not the end waits for its CONTINUATION. */
    pair_with_request(0);
    n = raw_frame(buf, H2_FRAME_HEADERS, H2_FLAG_END_STREAM, 1, NULL, 0);
    n += raw_frame(buf + n, H2_FRAME_CONTINUATION, H2_FLAG_END_HEADERS, 1,
                   (const uint8_t *)"\x40\x01x\x01y", 5);
    assert_int_equal(feed(&server_conn, buf, n), H2_OK);
    t = find_event(H2_EVENT_TRAILERS_RECEIVED, 0);
    assert_non_null(t);
    assert_string_equal(header_value(t, "x"), "y");
}

static void test_push_after_our_goaway_is_ignored(void **state)
{
    (void)state;
    pair_with_request(1);
    assert_int_equal(h2_close_connection(&client_conn, H2_NO_ERROR, H2_LAST_STREAM_AUTO,
                                         NULL, 0), H2_OK);
    (void)take_wire(&client_conn);
    /* The server pushes before it reads the GOAWAY (last stream 0). */
    assert_int_equal(h2_push_stream(&server_conn, 1, 2, pushed_request, 4), H2_OK);
    assert_int_equal(h2_send_headers(&server_conn, 2, ok_response, 2, 0, NULL, 0), H2_OK);
    assert_int_equal(h2_send_data(&server_conn, 2, (const uint8_t *)"css", 3, 1, 0), H2_OK);
    assert_int_equal(h2_send_headers(&server_conn, 1, ok_response, 2, 1, NULL, 0), H2_OK);
    assert_int_equal(transfer(&server_conn, &client_conn), H2_OK);
    /* The promised stream is dropped without a word; stream 1 completes. */
    assert_null(find_event(H2_EVENT_PUSHED_STREAM_RECEIVED, 0));
    const recorded_event *r = find_event(H2_EVENT_RESPONSE_RECEIVED, 0);
    assert_non_null(r);
    assert_int_equal(r->ev.stream_id, 1);
    assert_int_equal(count_events(H2_EVENT_RESPONSE_RECEIVED), 1);
    assert_int_equal(count_events(H2_EVENT_DATA_RECEIVED), 0);
    assert_int_equal(client_conn.streams.used, 0);
    size_t n = take_wire(&client_conn);
    assert_null(find_frame(wire, n, H2_FRAME_RST_STREAM));
    assert_int_equal(client_conn.state, H2_CONN_OPEN);
}

static void test_no_push_after_goaway(void **state)
{
    (void)state;
    pair_with_request(1);
    assert_int_equal(h2_close_connection(&client_conn, H2_NO_ERROR, H2_LAST_STREAM_AUTO,
                                         NULL, 0), H2_OK);
    assert_int_equal(transfer(&client_conn, &server_conn), H2_OK);
    assert_non_null(find_event(H2_EVENT_CONNECTION_TERMINATED, 0));
    size_t before = queued(&server_conn);
    assert_int_equal(h2_push_stream(&server_conn, 1, 2, pushed_request, 4), H2_E_PROTOCOL);
    assert_int_equal(queued(&server_conn), before);
    assert_int_equal(server_conn.streams.used, 1);
    /* The request in progress is still answered. */
    assert_int_equal(h2_send_headers(&server_conn, 1, ok_response, 2, 1, NULL, 0), H2_OK);
}

/* The last stream id of the first GOAWAY frame in the wire. */
static uint32_t goaway_last(size_t n)
{
    const uint8_t *g = find_frame(wire, n, H2_FRAME_GOAWAY);
    assert_non_null(g);
    return frame_u32(g + 9) & 0x7fffffffu;
}

static void test_goaway_last_stream_never_rises(void **state)
{
    (void)state;
    pair_with_request(0);
    assert_int_equal(h2_close_connection(&server_conn, H2_NO_ERROR, H2_LAST_STREAM_AUTO,
                                         NULL, 0), H2_OK);
    assert_int_equal(goaway_last(take_wire(&server_conn)), 1);
    /* A request crossing the GOAWAY is ignored... */
    assert_int_equal(h2_send_headers(&client_conn, 3, get_request, 4, 1, NULL, 0), H2_OK);
    assert_int_equal(transfer(&client_conn, &server_conn), H2_OK);
    assert_null(find_event(H2_EVENT_REQUEST_RECEIVED, 0));
    /* ...so a second GOAWAY, automatic or asked for more, still says 1
     * (RFC 9113 6.8: the id never grows). */
    assert_int_equal(h2_close_connection(&server_conn, H2_NO_ERROR, H2_LAST_STREAM_AUTO,
                                         NULL, 0), H2_OK);
    assert_int_equal(goaway_last(take_wire(&server_conn)), 1);
    assert_int_equal(h2_close_connection(&server_conn, H2_NO_ERROR, 7, NULL, 0), H2_OK);
    assert_int_equal(goaway_last(take_wire(&server_conn)), 1);
    /* It may go down, and then stays down, errors included. */
    assert_int_equal(h2_close_connection(&server_conn, H2_NO_ERROR, 0, NULL, 0), H2_OK);
    assert_int_equal(goaway_last(take_wire(&server_conn)), 0);
    assert_int_equal(h2_close_connection(&server_conn, H2_INTERNAL_ERROR, H2_LAST_STREAM_AUTO,
                                         NULL, 0), H2_OK);
    assert_int_equal(goaway_last(take_wire(&server_conn)), 0);
}

static void test_initial_window_raise_cannot_overflow(void **state)
{
    h2_setting raise[] = { { H2_SETTINGS_INITIAL_WINDOW_SIZE, 65536 } };
    h2_setting lower[] = { { H2_SETTINGS_INITIAL_WINDOW_SIZE, 1000 } };
    (void)state;
    /* Stream 1's window at the top: any raise would pass 2^31 - 1 at the
     * client (its FLOW_CONTROL_ERROR), so it is refused here. */
    pair_with_request(0);
    assert_int_equal(h2_increment_flow_control_window(&server_conn, WINDOW_MAX - 65535, 1),
                     H2_OK);
    size_t before = queued(&server_conn);
    assert_int_equal(h2_update_settings(&server_conn, raise, 1), H2_E_FLOW_CONTROL);
    assert_int_equal(queued(&server_conn), before);
    assert_int_equal(server_conn.local_pending.count, 0);
    assert_int_equal(h2_update_settings(&server_conn, lower, 1), H2_OK);
    assert_int_equal(transfer(&server_conn, &client_conn), H2_OK);
    assert_int_equal(transfer(&client_conn, &server_conn), H2_OK);
    assert_int_equal(stream_recv_window(&server_conn, 1), WINDOW_MAX - 65535 + 1000);
    assert_int_equal(h2_stream_find(&client_conn.streams, 1)->send_window,
                     WINDOW_MAX - 65535 + 1000);

    /* A raise not yet acknowledged counts: the client already uses it. */
    pair_with_request(0);
    h2_setting big[] = { { H2_SETTINGS_INITIAL_WINDOW_SIZE, 100000 } };
    assert_int_equal(h2_update_settings(&server_conn, big, 1), H2_OK);
    assert_int_equal(h2_increment_flow_control_window(&server_conn, WINDOW_MAX - 65535, 1),
                     H2_E_FLOW_CONTROL);
    assert_int_equal(h2_increment_flow_control_window(&server_conn, WINDOW_MAX - 100000, 1),
                     H2_OK);
    assert_int_equal(transfer(&server_conn, &client_conn), H2_OK);
    assert_int_equal(transfer(&client_conn, &server_conn), H2_OK);
    assert_int_equal(h2_stream_find(&client_conn.streams, 1)->send_window, WINDOW_MAX);
    assert_int_equal(stream_recv_window(&server_conn, 1), WINDOW_MAX);
    assert_int_equal(server_conn.state, H2_CONN_OPEN);
    assert_int_equal(client_conn.state, H2_CONN_OPEN);

    /* The window below the top but its refill size at it: the raise is
     * taken and the refill size stays capped (no error at the ACK). */
    pair_with_request(0);
    static uint8_t body[1000];
    assert_int_equal(h2_increment_flow_control_window(&server_conn, WINDOW_MAX - 65535, 1),
                     H2_OK);
    assert_int_equal(transfer(&server_conn, &client_conn), H2_OK);
    assert_int_equal(h2_send_data(&client_conn, 1, body, sizeof body, 0, 0), H2_OK);
    assert_int_equal(transfer(&client_conn, &server_conn), H2_OK);
    h2_setting half[] = { { H2_SETTINGS_INITIAL_WINDOW_SIZE, 65535 + 500 } };
    assert_int_equal(h2_update_settings(&server_conn, half, 1), H2_OK);
    assert_int_equal(transfer(&server_conn, &client_conn), H2_OK);
    assert_int_equal(transfer(&client_conn, &server_conn), H2_OK);
    assert_non_null(find_event(H2_EVENT_SETTINGS_ACKNOWLEDGED, 0));
    assert_int_equal(server_conn.state, H2_CONN_OPEN);
    assert_int_equal(stream_recv_window(&server_conn, 1), WINDOW_MAX - 500);
    assert_int_equal(h2_stream_find(&client_conn.streams, 1)->send_window, WINDOW_MAX - 500);
}

static void test_no_window_update_on_promised_stream(void **state)
{
    (void)state;
    pair_with_request(1);
    assert_int_equal(h2_push_stream(&server_conn, 1, 2, pushed_request, 4), H2_OK);
    size_t before = queued(&server_conn);
    /* Reserved (local): only HEADERS, RST_STREAM or PRIORITY (RFC 9113 5.1). */
    assert_int_equal(h2_increment_flow_control_window(&server_conn, 100, 2), H2_E_PROTOCOL);
    assert_int_equal(queued(&server_conn), before);
    assert_int_equal(h2_send_headers(&server_conn, 2, ok_response, 2, 0, NULL, 0), H2_OK);
    assert_int_equal(h2_increment_flow_control_window(&server_conn, 100, 2), H2_OK);
    assert_int_equal(transfer(&server_conn, &client_conn), H2_OK);
    assert_int_equal(client_conn.state, H2_CONN_OPEN);
    assert_non_null(find_event(H2_EVENT_PUSHED_STREAM_RECEIVED, 0));
}

static void test_push_only_on_client_streams(void **state)
{
    uint8_t buf[64];
    (void)state;
    pair_with_request(1);
    assert_int_equal(h2_push_stream(&server_conn, 1, 2, pushed_request, 4), H2_OK);
    assert_int_equal(h2_send_headers(&server_conn, 2, ok_response, 2, 0, NULL, 0), H2_OK);
    size_t before = queued(&server_conn);
    assert_int_equal(h2_push_stream(&server_conn, 2, 4, pushed_request, 4), H2_E_PROTOCOL);
    assert_int_equal(queued(&server_conn), before);
    assert_int_equal(server_conn.streams.used, 2);
    /* A server that does it anyway ends the connection (RFC 9113 8.4). */
    assert_int_equal(transfer(&server_conn, &client_conn), H2_OK);
    assert_int_equal(client_conn.state, H2_CONN_OPEN);
    size_t n = raw_frame(buf, H2_FRAME_PUSH_PROMISE, H2_FLAG_END_HEADERS, 2,
                         (const uint8_t *)"\0\0\0\x04\x82\x87\x84", 7);
    clear_events();
    assert_int_equal(feed(&client_conn, buf, n), H2_E_PROTOCOL);
    size_t w = take_wire(&client_conn);
    const uint8_t *g = find_frame(wire, w, H2_FRAME_GOAWAY);
    assert_non_null(g);
    assert_int_equal(frame_u32(g + 13), H2_PROTOCOL_ERROR);
}

static void test_no_data_before_headers(void **state)
{
    const h2_header cont[] = { hdr(":status", "100") };
    (void)state;
    pair_with_request(0);
    size_t before = queued(&server_conn);
    /* RFC 9113 8.1: a response is HEADERS, then DATA. */
    assert_int_equal(h2_send_data(&server_conn, 1, (const uint8_t *)"x", 1, 0, 0), H2_E_PROTOCOL);
    assert_int_equal(h2_end_stream(&server_conn, 1), H2_E_PROTOCOL);
    assert_int_equal(queued(&server_conn), before);
    /* A 1xx response is not the final HEADERS. */
    assert_int_equal(h2_send_headers(&server_conn, 1, cont, 1, 0, NULL, 0), H2_OK);
    before = queued(&server_conn);
    assert_int_equal(h2_send_data(&server_conn, 1, (const uint8_t *)"x", 1, 0, 0), H2_E_PROTOCOL);
    assert_int_equal(queued(&server_conn), before);
    assert_int_equal(h2_send_headers(&server_conn, 1, ok_response, 2, 0, NULL, 0), H2_OK);
    assert_int_equal(h2_send_data(&server_conn, 1, (const uint8_t *)"x", 1, 0, 0), H2_OK);
    assert_int_equal(h2_end_stream(&server_conn, 1), H2_OK);
    /* Pushed responses too. */
    pair_with_request(1);
    assert_int_equal(h2_push_stream(&server_conn, 1, 2, pushed_request, 4), H2_OK);
    before = queued(&server_conn);
    assert_int_not_equal(h2_send_data(&server_conn, 2, (const uint8_t *)"x", 1, 1, 0), H2_OK);
    assert_int_equal(queued(&server_conn), before);
    assert_int_equal(h2_send_headers(&server_conn, 2, ok_response, 2, 0, NULL, 0), H2_OK);
    assert_int_equal(h2_send_data(&server_conn, 2, (const uint8_t *)"x", 1, 1, 0), H2_OK);
}

static void test_empty_data_accepted_on_negative_window(void **state)
{
    static uint8_t body[16384];
    h2_setting small[] = { { H2_SETTINGS_INITIAL_WINDOW_SIZE, 1000 } };
    (void)state;
    pair_with_request(0);
    assert_int_equal(h2_send_data(&client_conn, 1, body, sizeof body, 0, 0), H2_OK);
    assert_int_equal(h2_update_settings(&server_conn, small, 1), H2_OK);
    assert_int_equal(transfer(&server_conn, &client_conn), H2_OK);
    assert_int_equal(h2_end_stream(&client_conn, 1), H2_OK);
    /* The server reads the DATA, then the ACK (its window drops below
     * zero), then an empty DATA frame with END_STREAM (RFC 9113 6.9.1). */
    clear_events();
    assert_int_equal(transfer(&client_conn, &server_conn), H2_OK);
    assert_non_null(find_event(H2_EVENT_SETTINGS_ACKNOWLEDGED, 0));
    assert_true(h2_stream_find(&server_conn.streams, 1) == NULL ||
                h2_stream_find(&server_conn.streams, 1)->recv_window.current < 0);
    const recorded_event *e = find_event(H2_EVENT_STREAM_ENDED, 0);
    assert_non_null(e);
    assert_int_equal(e->ev.stream_id, 1);
    assert_int_equal(server_conn.state, H2_CONN_OPEN);
    size_t n = take_wire(&server_conn);
    assert_null(find_frame(wire, n, H2_FRAME_RST_STREAM));
    assert_null(find_frame(wire, n, H2_FRAME_GOAWAY));
}

static void test_push_on_forgotten_stream_is_refused(void **state)
{
    static uint8_t held[4096];
    h2_close_reason reason;
    (void)state;
    pair_with_request(0);
    /* The server promises on stream 1; its bytes are held back. */
    assert_int_equal(h2_push_stream(&server_conn, 1, 2, pushed_request, 4), H2_OK);
    size_t held_len = h2_data_to_send(&server_conn, held, sizeof held);
    /* Meanwhile the client resets stream 1 and so many streams after it
     * that stream 1 leaves its bounded memory of closed streams. */
    assert_int_equal(h2_reset_stream(&client_conn, 1, H2_CANCEL), H2_OK);
    for (uint32_t id = 3; id < 3 + 2 * H2_CLOSED_STREAMS_MEMORY; id += 2) {
        assert_int_equal(h2_send_headers(&client_conn, id, get_request, 4, 1, NULL, 0), H2_OK);
        assert_int_equal(h2_reset_stream(&client_conn, id, H2_CANCEL), H2_OK);
    }
    assert_int_equal(h2_stream_closed_reason(&client_conn.streams, 1, &reason), 0);
    (void)take_wire(&client_conn);
    /* The push is refused alone; the connection goes on. */
    clear_events();
    assert_int_equal(feed(&client_conn, held, held_len), H2_OK);
    assert_null(find_event(H2_EVENT_PUSHED_STREAM_RECEIVED, 0));
    expect_rst(&client_conn, 2, H2_REFUSED_STREAM);
}

static void test_header_list_limit_applies_from_ack(void **state)
{
    static uint8_t held[256];
    static char long_value[151];
    h2_setting lower[] = { { H2_SETTINGS_MAX_HEADER_LIST_SIZE, 100 } };
    h2_header req[5];
    uint8_t block[200];
    uint8_t buf[256];
    size_t len = 0;
    (void)state;
    memset(long_value, 'v', sizeof long_value - 1);
    memcpy(req, get_request, sizeof get_request);
    req[4] = hdr("x-long", long_value);
    pair_open();
    /* The server lowers its limit; the client has not read it yet. */
    assert_int_equal(h2_update_settings(&server_conn, lower, 1), H2_OK);
    size_t held_len = h2_data_to_send(&server_conn, held, sizeof held);
    /* A request sent meanwhile is judged by the limit the client knew
     * (RFC 9113 6.5.3): accepted, not reset. */
    assert_int_equal(h2_send_headers(&client_conn, 1, req, 5, 1, NULL, 0), H2_OK);
    assert_int_equal(transfer(&client_conn, &server_conn), H2_OK);
    assert_non_null(find_event(H2_EVENT_REQUEST_RECEIVED, 0));
    assert_null(find_event(H2_EVENT_STREAM_RESET, 0));
    assert_int_equal(take_wire(&server_conn), 0);
    /* The client reads the SETTINGS, now refuses such a list itself, and
     * acknowledges. */
    assert_int_equal(feed(&client_conn, held, held_len), H2_OK);
    assert_int_equal(h2_send_headers(&client_conn, 3, req, 5, 1, NULL, 0),
                     H2_E_HPACK_HEADER_LIST_TOO_LARGE);
    clear_events();
    assert_int_equal(transfer(&client_conn, &server_conn), H2_OK);
    assert_non_null(find_event(H2_EVENT_SETTINGS_ACKNOWLEDGED, 0));
    /* From the ACK on, a peer that ignores the limit has its stream reset.
     * The block: GET https / (static), :authority and x-long literal,
     * not indexed, so the decoder's table is left alone. */
    block[len++] = 0x82;
    block[len++] = 0x87;
    block[len++] = 0x84;
    block[len++] = 0x01;
    block[len++] = 11;
    memcpy(&block[len], "example.com", 11);
    len += 11;
    block[len++] = 0x00;
    block[len++] = 6;
    memcpy(&block[len], "x-long", 6);
    len += 6;
    block[len++] = 0x7f;
    block[len++] = 150 - 127;
    memcpy(&block[len], long_value, 150);
    len += 150;
    size_t n = raw_frame(buf, H2_FRAME_HEADERS, H2_FLAG_END_HEADERS | H2_FLAG_END_STREAM, 3,
                         block, len);
    clear_events();
    assert_int_equal(feed(&server_conn, buf, n), H2_OK);
    assert_null(find_event(H2_EVENT_REQUEST_RECEIVED, 0));
    expect_rst(&server_conn, 3, H2_PROTOCOL_ERROR);
}

/* Fills c's outbound buffer with PINGs until a call would block. */
static void fill_outbound(h2_conn *c)
{
    static const uint8_t opaque[H2_PING_PAYLOAD_SIZE] = { 1, 2, 3, 4, 5, 6, 7, 8 };
    h2_status st;
    size_t guard = 0;
    while ((st = h2_ping(c, opaque)) == H2_OK) {
        assert_true(++guard < H2_OUTBOUND_CAPACITY);
    }
    assert_int_equal(st, H2_E_WOULD_BLOCK);
}

static void test_half_received_frame_keeps_room_for_its_reply(void **state)
{
    static const uint8_t opaque[H2_PING_PAYLOAD_SIZE] = { 9, 9, 9, 9, 9, 9, 9, 9 };
    h2_setting window[] = { { H2_SETTINGS_INITIAL_WINDOW_SIZE, 1000 } };
    uint8_t buf[64];
    h2_event ev;
    size_t used = 0;
    (void)state;
    /* A SETTINGS frame arrives in two reads; between them the application
     * fills the outbound buffer. Its ACK must still be queued. */
    pair_open();
    assert_int_equal(h2_update_settings(&server_conn, window, 1), H2_OK);
    size_t n = take_wire(&server_conn);
    assert_int_equal(n, 15);
    memcpy(buf, wire, n);
    assert_int_equal(h2_recv(&client_conn, buf, 5, &used, &ev), H2_OK);
    assert_int_equal(used, 5);
    fill_outbound(&client_conn);
    size_t before = queued(&client_conn);
    clear_events();
    assert_int_equal(feed(&client_conn, buf + 5, n - 5), H2_OK);
    assert_non_null(find_event(H2_EVENT_REMOTE_SETTINGS_CHANGED, 0));
    assert_int_equal(client_conn.state, H2_CONN_OPEN);
    assert_int_equal(queued(&client_conn), before + H2_FRAME_HEADER_SIZE);
    /* The same for a PING and its ACK. */
    (void)take_wire(&client_conn);
    assert_int_equal(h2_ping(&server_conn, opaque), H2_OK);
    n = take_wire(&server_conn);
    assert_int_equal(n, 17);
    memcpy(buf, wire, n);
    assert_int_equal(h2_recv(&client_conn, buf, 12, &used, &ev), H2_OK);
    fill_outbound(&client_conn);
    before = queued(&client_conn);
    assert_int_equal(feed(&client_conn, buf + 12, n - 12), H2_OK);
    assert_int_equal(queued(&client_conn), before + 17);
    assert_int_equal(client_conn.state, H2_CONN_OPEN);
}

/* With the outbound buffer full, each operation that queues a frame
 * refuses with H2_E_WOULD_BLOCK and changes nothing; once drained, each
 * goes through. */
static void test_full_buffer_refuses_every_operation(void **state)
{
    (void)state;
    pair_open();
    assert_int_equal(h2_send_headers(&client_conn, 1, get_request, 4, 0, NULL, 0), H2_OK);
    assert_int_equal(transfer(&client_conn, &server_conn), H2_OK);
    fill_outbound(&client_conn);
    size_t before = queued(&client_conn);
    assert_int_equal(h2_reset_stream(&client_conn, 1, H2_CANCEL), H2_E_WOULD_BLOCK);
    assert_int_equal(h2_close_connection(&client_conn, H2_NO_ERROR, H2_STREAM_ID_MAX,
                                         NULL, 0), H2_E_WOULD_BLOCK);
    assert_int_equal(h2_increment_flow_control_window(&client_conn, 100, 0), H2_E_WOULD_BLOCK);
    assert_int_equal(h2_increment_flow_control_window(&client_conn, 100, 1), H2_E_WOULD_BLOCK);
    assert_int_equal(h2_acknowledge_received_data(&client_conn, 0, 1), H2_E_WOULD_BLOCK);
    assert_int_equal(h2_send_headers(&client_conn, 3, get_request, 4, 1, NULL, 0),
                     H2_E_WOULD_BLOCK);
    assert_int_equal(queued(&client_conn), before);
    assert_int_equal(h2_open_outbound_streams(&client_conn), 1);
    assert_int_equal(client_conn.state, H2_CONN_OPEN);
    (void)take_wire(&client_conn);
    assert_int_equal(h2_increment_flow_control_window(&client_conn, 100, 0), H2_OK);
    assert_int_equal(h2_increment_flow_control_window(&client_conn, 100, 1), H2_OK);
    assert_int_equal(queued(&client_conn), 2u * 13u);
    assert_int_equal(h2_send_headers(&client_conn, 3, get_request, 4, 1, NULL, 0), H2_OK);
    assert_int_equal(h2_open_outbound_streams(&client_conn), 2);
    before = queued(&client_conn);
    assert_int_equal(h2_reset_stream(&client_conn, 1, H2_CANCEL), H2_OK);
    assert_int_equal(queued(&client_conn), before + 13u);
    assert_int_equal(h2_open_outbound_streams(&client_conn), 1);
    assert_int_equal(h2_close_connection(&client_conn, H2_NO_ERROR, H2_STREAM_ID_MAX,
                                         NULL, 0), H2_OK);
    assert_int_equal(queued(&client_conn), before + 13u + 17u);
}

static void test_bad_headers_after_a_push_reset_their_own_stream(void **state)
{
    static const uint8_t status_200[] = { 0x88 };
    uint8_t buf[32];
    (void)state;
    /* The last block the client decoded was a PUSH_PROMISE for stream 2;
     * then stream 1 ends. */
    pair_with_request(1);
    assert_int_equal(h2_send_headers(&server_conn, 1, ok_response, 2, 0, NULL, 0), H2_OK);
    assert_int_equal(h2_push_stream(&server_conn, 1, 2, pushed_request, 4), H2_OK);
    assert_int_equal(h2_send_data(&server_conn, 1, (const uint8_t *)"x", 1, 1, 0), H2_OK);
    assert_int_equal(transfer(&server_conn, &client_conn), H2_OK);
    assert_non_null(find_event(H2_EVENT_PUSHED_STREAM_RECEIVED, 0));
    assert_non_null(find_event(H2_EVENT_STREAM_ENDED, 0));
    (void)take_wire(&client_conn);
    /* HEADERS on stream 1, closed by END_STREAM: a stream error
     * STREAM_CLOSED on stream 1 (RFC 9113 5.1), not on the pushed one. */
    size_t n = raw_frame(buf, H2_FRAME_HEADERS, H2_FLAG_END_HEADERS | H2_FLAG_END_STREAM, 1,
                         status_200, sizeof status_200);
    clear_events();
    assert_int_equal(feed(&client_conn, buf, n), H2_OK);
    assert_null(find_event(H2_EVENT_STREAM_RESET, 0));
    expect_rst(&client_conn, 1, H2_STREAM_CLOSED);
    const h2_stream *pushed = h2_stream_find(&client_conn.streams, 2);
    assert_non_null(pushed);
    assert_int_equal(pushed->state, H2_STREAM_RESERVED_REMOTE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_server_cannot_enable_push),
        cmocka_unit_test(test_empty_header_block_is_finished),
        cmocka_unit_test(test_push_after_our_goaway_is_ignored),
        cmocka_unit_test(test_no_push_after_goaway),
        cmocka_unit_test(test_goaway_last_stream_never_rises),
        cmocka_unit_test(test_initial_window_raise_cannot_overflow),
        cmocka_unit_test(test_no_window_update_on_promised_stream),
        cmocka_unit_test(test_push_only_on_client_streams),
        cmocka_unit_test(test_no_data_before_headers),
        cmocka_unit_test(test_empty_data_accepted_on_negative_window),
        cmocka_unit_test(test_push_on_forgotten_stream_is_refused),
        cmocka_unit_test(test_header_list_limit_applies_from_ack),
        cmocka_unit_test(test_half_received_frame_keeps_room_for_its_reply),
        cmocka_unit_test(test_full_buffer_refuses_every_operation),
        cmocka_unit_test(test_bad_headers_after_a_push_reset_their_own_stream),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
