/* The connection: every operation, event and peer rule, client and
 * server in memory, with raw frames for what a conforming peer never
 * sends. */
#include "conn_pair.h"

/* ---- set-up and settings ---- */

static void test_client_preface_and_settings(void **state)
{
    h2_config cfg;
    (void)state;
    h2_config_init(&cfg, 1);
    h2_conn_init(&client_conn, &cfg);
    assert_int_equal(h2_initiate_connection(&client_conn), H2_OK);
    size_t n = take_wire(&client_conn);
    assert_true(n > 24 + 9);
    assert_memory_equal(wire, H2_CLIENT_PREFACE, 24);
    assert_int_equal(wire[24 + 3], H2_FRAME_SETTINGS);
    assert_int_equal(wire[24 + 4], 0);
    /* A second initiate is refused. */
    assert_int_equal(h2_initiate_connection(&client_conn), H2_E_PROTOCOL);
}

static void test_settings_exchange_events(void **state)
{
    h2_config cc, sc;
    (void)state;
    h2_config_init(&cc, 1);
    h2_config_init(&sc, 0);
    h2_conn_init(&client_conn, &cc);
    h2_conn_init(&server_conn, &sc);
    clear_events();
    assert_int_equal(h2_initiate_connection(&client_conn), H2_OK);
    assert_int_equal(h2_initiate_connection(&server_conn), H2_OK);
    assert_int_equal(transfer(&client_conn, &server_conn), H2_OK);
    const recorded_event *r = find_event(H2_EVENT_REMOTE_SETTINGS_CHANGED, 0);
    assert_non_null(r);
    /* The client announced MAX_CONCURRENT_STREAMS and its header list. */
    int saw_streams = 0;
    for (uint32_t i = 0; i < r->ev.settings_count; i++) {
        if (r->ev.settings[i].id == H2_SETTINGS_MAX_CONCURRENT_STREAMS) {
            saw_streams = 1;
            assert_int_equal(r->ev.settings[i].old_value, H2_SETTING_UNLIMITED);
            assert_int_equal(r->ev.settings[i].new_value, H2_MAX_STREAMS);
        }
    }
    assert_true(saw_streams);
    clear_events();
    /* The server's SETTINGS and its ACK of the client's. */
    assert_int_equal(transfer(&server_conn, &client_conn), H2_OK);
    assert_non_null(find_event(H2_EVENT_REMOTE_SETTINGS_CHANGED, 0));
    const recorded_event *ack = find_event(H2_EVENT_SETTINGS_ACKNOWLEDGED, 0);
    assert_non_null(ack);
    assert_true(ack->ev.settings_count >= 1);
    /* Now in force on the client. */
    assert_int_equal(client_conn.local_settings.values[2], H2_MAX_STREAMS);
    /* A server says it takes no pushes. */
    assert_int_equal(client_conn.remote_settings.values[1], 0);
}

static void test_update_settings_takes_effect_on_ack(void **state)
{
    (void)state;
    pair_open();
    h2_setting s[] = { { H2_SETTINGS_INITIAL_WINDOW_SIZE, 1000 },
                       { H2_SETTINGS_MAX_FRAME_SIZE, 32768 } };
    assert_int_equal(h2_update_settings(&client_conn, s, 2), H2_OK);
    assert_int_equal(client_conn.local_settings.values[3], 65535);
    assert_int_equal(transfer(&client_conn, &server_conn), H2_OK);
    assert_int_equal(server_conn.remote_settings.values[3], 1000);
    assert_int_equal(h2_max_outbound_frame_size(&server_conn), 32768);
    clear_events();
    assert_int_equal(transfer(&server_conn, &client_conn), H2_OK);
    const recorded_event *ack = find_event(H2_EVENT_SETTINGS_ACKNOWLEDGED, 0);
    assert_non_null(ack);
    assert_int_equal(ack->ev.settings_count, 2);
    assert_int_equal(ack->ev.settings[0].id, H2_SETTINGS_INITIAL_WINDOW_SIZE);
    assert_int_equal(ack->ev.settings[0].old_value, 65535);
    assert_int_equal(ack->ev.settings[0].new_value, 1000);
    assert_int_equal(h2_max_inbound_frame_size(&client_conn), 32768);
}

static void test_invalid_local_settings_change_nothing(void **state)
{
    (void)state;
    pair_open();
    size_t before = client_conn.out_end - client_conn.out_start;
    h2_setting bad[] = { { H2_SETTINGS_ENABLE_PUSH, 2 } };
    assert_int_equal(h2_update_settings(&client_conn, bad, 1), H2_E_INVALID_SETTINGS_VALUE);
    h2_setting bad2[] = { { H2_SETTINGS_INITIAL_WINDOW_SIZE, 0x80000000u } };
    assert_int_equal(h2_update_settings(&client_conn, bad2, 1), H2_E_INVALID_SETTINGS_VALUE);
    h2_setting bad3[] = { { H2_SETTINGS_MAX_FRAME_SIZE, 100 } };
    assert_int_equal(h2_update_settings(&client_conn, bad3, 1), H2_E_INVALID_SETTINGS_VALUE);
    h2_setting toomany[] = { { H2_SETTINGS_MAX_CONCURRENT_STREAMS, H2_MAX_STREAMS + 1 } };
    assert_int_equal(h2_update_settings(&client_conn, toomany, 1), H2_E_INVALID_SETTINGS_VALUE);
    assert_int_equal(client_conn.out_end - client_conn.out_start, before);
    assert_int_equal(client_conn.local_pending.count, 0);
}

/* ---- requests and responses ---- */

static void test_get_request_and_response(void **state)
{
    (void)state;
    pair_open();
    uint32_t id = 0;
    assert_int_equal(h2_get_next_available_stream_id(&client_conn, &id), H2_OK);
    assert_int_equal(id, 1);
    assert_int_equal(h2_send_headers(&client_conn, 1, get_request, 4, 1, NULL, 0), H2_OK);
    assert_int_equal(h2_open_outbound_streams(&client_conn), 1);
    assert_int_equal(h2_get_next_available_stream_id(&client_conn, &id), H2_OK);
    assert_int_equal(id, 3);
    assert_int_equal(transfer(&client_conn, &server_conn), H2_OK);
    const recorded_event *req = find_event(H2_EVENT_REQUEST_RECEIVED, 0);
    assert_non_null(req);
    assert_int_equal(req->ev.stream_id, 1);
    assert_true(req->ev.stream_ended);
    assert_string_equal(header_value(req, ":method"), "GET");
    assert_string_equal(header_value(req, ":path"), "/");
    assert_string_equal(header_value(req, ":authority"), "example.com");
    assert_non_null(find_event(H2_EVENT_STREAM_ENDED, 0));
    assert_int_equal(h2_open_inbound_streams(&server_conn), 1);

    clear_events();
    assert_int_equal(h2_send_headers(&server_conn, 1, ok_response, 2, 0, NULL, 0), H2_OK);
    assert_int_equal(h2_send_data(&server_conn, 1, (const uint8_t *)"hello", 5, 1, 0), H2_OK);
    assert_int_equal(h2_open_inbound_streams(&server_conn), 0);
    assert_int_equal(transfer(&server_conn, &client_conn), H2_OK);
    const recorded_event *resp = find_event(H2_EVENT_RESPONSE_RECEIVED, 0);
    assert_non_null(resp);
    assert_string_equal(header_value(resp, ":status"), "200");
    const recorded_event *data = find_event(H2_EVENT_DATA_RECEIVED, 0);
    assert_non_null(data);
    assert_int_equal(data->data_len, 5);
    assert_memory_equal(data->data, "hello", 5);
    assert_int_equal(data->ev.flow_controlled_length, 5);
    assert_true(data->ev.stream_ended);
    assert_non_null(find_event(H2_EVENT_STREAM_ENDED, 0));
    assert_int_equal(h2_open_outbound_streams(&client_conn), 0);
    /* The stream is closed now. */
    assert_int_equal(h2_send_data(&client_conn, 1, (const uint8_t *)"x", 1, 0, 0),
                     H2_E_STREAM_CLOSED);
}

static void test_post_body_and_trailers(void **state)
{
    (void)state;
    pair_open();
    const h2_header post[] = {
        hdr(":method", "POST"), hdr(":scheme", "http"), hdr(":authority", "a"),
        hdr(":path", "/upload"), hdr("content-length", "10"),
    };
    const h2_header trailers[] = { hdr("x-checksum", "abc") };
    assert_int_equal(h2_send_headers(&client_conn, 1, post, 5, 0, NULL, 0), H2_OK);
    assert_int_equal(h2_send_data(&client_conn, 1, (const uint8_t *)"01234", 5, 0, 0), H2_OK);
    assert_int_equal(h2_send_data(&client_conn, 1, (const uint8_t *)"56789", 5, 0, 0), H2_OK);
    /* Trailers must end the stream. */
    assert_int_equal(h2_send_headers(&client_conn, 1, trailers, 1, 0, NULL, 0), H2_E_PROTOCOL);
    assert_int_equal(h2_send_headers(&client_conn, 1, trailers, 1, 1, NULL, 0), H2_OK);
    assert_int_equal(transfer(&client_conn, &server_conn), H2_OK);
    assert_int_equal(count_events(H2_EVENT_DATA_RECEIVED), 2);
    const recorded_event *t = find_event(H2_EVENT_TRAILERS_RECEIVED, 0);
    assert_non_null(t);
    assert_true(t->ev.stream_ended);
    assert_string_equal(header_value(t, "x-checksum"), "abc");
    assert_non_null(find_event(H2_EVENT_STREAM_ENDED, 0));
    assert_null(find_event(H2_EVENT_STREAM_RESET, 0));
}

static void test_content_length_mismatch_resets_stream(void **state)
{
    (void)state;
    pair_open();
    const h2_header post[] = {
        hdr(":method", "POST"), hdr(":scheme", "http"), hdr(":authority", "a"),
        hdr(":path", "/"), hdr("content-length", "3"),
    };
    assert_int_equal(h2_send_headers(&client_conn, 1, post, 5, 0, NULL, 0), H2_OK);
    assert_int_equal(h2_send_data(&client_conn, 1, (const uint8_t *)"toolong", 7, 1, 0), H2_OK);
    assert_int_equal(transfer(&client_conn, &server_conn), H2_OK);
    const recorded_event *r = find_event(H2_EVENT_STREAM_RESET, 0);
    assert_non_null(r);
    assert_int_equal(r->ev.error_code, H2_PROTOCOL_ERROR);
    assert_false(r->ev.remote_reset);
    size_t n = take_wire(&server_conn);
    const uint8_t *rst = find_frame(wire, n, H2_FRAME_RST_STREAM);
    assert_non_null(rst);
    assert_int_equal(frame_u32(rst + 9), H2_PROTOCOL_ERROR);
    /* The connection goes on. */
    assert_int_equal(server_conn.state, H2_CONN_OPEN);
}

static void test_informational_response(void **state)
{
    (void)state;
    pair_open();
    const h2_header cont[] = { hdr(":status", "100") };
    assert_int_equal(h2_send_headers(&client_conn, 1, get_request, 4, 0, NULL, 0), H2_OK);
    assert_int_equal(transfer(&client_conn, &server_conn), H2_OK);
    assert_int_equal(h2_send_headers(&server_conn, 1, cont, 1, 1, NULL, 0), H2_E_PROTOCOL);
    assert_int_equal(h2_send_headers(&server_conn, 1, cont, 1, 0, NULL, 0), H2_OK);
    assert_int_equal(h2_send_headers(&server_conn, 1, ok_response, 2, 1, NULL, 0), H2_OK);
    clear_events();
    assert_int_equal(transfer(&server_conn, &client_conn), H2_OK);
    assert_non_null(find_event(H2_EVENT_INFORMATIONAL_RESPONSE_RECEIVED, 0));
    const recorded_event *r = find_event(H2_EVENT_RESPONSE_RECEIVED, 0);
    assert_non_null(r);
    assert_true(r->ev.stream_ended);
}

static void test_large_header_block_uses_continuation(void **state)
{
    (void)state;
    pair_open();
    /* '#' has a 12-bit Huffman code, so the value goes raw: with padding
     * and priority the block no longer fits one 16384-byte frame, while
     * the list stays under the server's 16384-byte header list limit. */
    static char big[16151];
    memset(big, '#', sizeof big - 1);
    big[sizeof big - 1] = 0;
    h2_header req[5];
    memcpy(req, get_request, sizeof get_request);
    req[4] = hdr("x-big", big);
    const h2_priority prio = { 0, 15, 0 };
    assert_int_equal(h2_send_headers(&client_conn, 1, req, 5, 1, &prio, 255), H2_OK);
    size_t n = take_wire(&client_conn);
    const uint8_t *cont = find_frame(wire, n, H2_FRAME_CONTINUATION);
    assert_non_null(cont);
    assert_int_equal(cont[4], H2_FLAG_END_HEADERS);
    assert_int_equal(wire[4], H2_FLAG_END_STREAM | H2_FLAG_PADDED | H2_FLAG_PRIORITY);
    assert_int_equal(feed(&server_conn, wire, n), H2_OK);
    const recorded_event *r = find_event(H2_EVENT_REQUEST_RECEIVED, 0);
    assert_non_null(r);
    assert_int_equal(r->ev.headers->count, 5);
    assert_true(r->ev.priority_updated);
    assert_int_equal(r->ev.priority.weight, 15);
    h2_header h;
    h2_header_arena_get(r->ev.headers, 4, &h);
    assert_int_equal(h.value_len, sizeof big - 1);
    assert_memory_equal(h.value, big, sizeof big - 1);
    /* A list over the peer's limit is refused before anything is written. */
    static char huge[17000];
    memset(huge, '#', sizeof huge - 1);
    huge[sizeof huge - 1] = 0;
    req[4] = hdr("x-big", huge);
    assert_int_equal(h2_send_headers(&client_conn, 3, req, 5, 1, NULL, 0),
                     H2_E_HPACK_HEADER_LIST_TOO_LARGE);
    assert_int_equal(take_wire(&client_conn), 0);
}

static void test_cookies_split_on_send_joined_on_receive(void **state)
{
    (void)state;
    pair_open();
    h2_header req[5];
    memcpy(req, get_request, sizeof get_request);
    req[4] = hdr("cookie", "a=1; b=2; c=3");
    assert_int_equal(h2_send_headers(&client_conn, 1, req, 5, 1, NULL, 0), H2_OK);
    assert_int_equal(transfer(&client_conn, &server_conn), H2_OK);
    const recorded_event *r = find_event(H2_EVENT_REQUEST_RECEIVED, 0);
    assert_non_null(r);
    assert_string_equal(header_value(r, "cookie"), "a=1; b=2; c=3");
    int cookies = 0;
    for (uint32_t i = 0; i < r->header_count; i++) {
        cookies += strcmp(r->headers[i][0], "cookie") == 0;
    }
    assert_int_equal(cookies, 1);
}

static void test_outbound_header_violations_write_nothing(void **state)
{
    (void)state;
    pair_open();
    const h2_header upper[] = { hdr(":method", "GET"), hdr(":scheme", "http"),
                                hdr(":authority", "a"), hdr(":path", "/"), hdr("X-Up", "1") };
    const h2_header conn_specific[] = { hdr(":method", "GET"), hdr(":scheme", "http"),
                                        hdr(":authority", "a"), hdr(":path", "/"),
                                        hdr("connection", "close") };
    const h2_header no_path[] = { hdr(":method", "GET"), hdr(":scheme", "http"),
                                  hdr(":authority", "a") };
    size_t before = client_conn.out_end - client_conn.out_start;
    assert_int_equal(h2_send_headers(&client_conn, 1, upper, 5, 1, NULL, 0), H2_E_PROTOCOL);
    assert_int_equal(h2_send_headers(&client_conn, 1, conn_specific, 5, 1, NULL, 0), H2_E_PROTOCOL);
    assert_int_equal(h2_send_headers(&client_conn, 1, no_path, 3, 1, NULL, 0), H2_E_PROTOCOL);
    assert_int_equal(client_conn.out_end - client_conn.out_start, before);
    assert_int_equal(h2_open_outbound_streams(&client_conn), 0);
    /* Nothing was consumed: stream 1 is still available. */
    assert_int_equal(h2_send_headers(&client_conn, 1, get_request, 4, 1, NULL, 0), H2_OK);
}

/* Flag bits other than NEVER_INDEXED belong to the library: a caller that
 * sets the CHECKED bits still has every byte of its fields checked. */
static void test_outbound_private_flags_do_not_skip_checks(void **state)
{
    (void)state;
    pair_open();
    const uint8_t marks = H2_HEADER_FIELD_NAME_CHECKED | H2_HEADER_FIELD_VALUE_CHECKED;
    h2_header req[5];
    memcpy(req, get_request, sizeof get_request);
    size_t before = client_conn.out_end - client_conn.out_start;
    req[4] = hdr("X-Up", "1");
    req[4].flags = marks;
    assert_int_equal(h2_send_headers(&client_conn, 1, req, 5, 1, NULL, 0), H2_E_PROTOCOL);
    req[4] = hdr("x-ok", "bad\r\nvalue");
    req[4].flags = marks;
    assert_int_equal(h2_send_headers(&client_conn, 1, req, 5, 1, NULL, 0), H2_E_PROTOCOL);
    req[4] = hdr("cookie", "a=1; B\n=2");
    req[4].flags = marks;
    assert_int_equal(h2_send_headers(&client_conn, 1, req, 5, 1, NULL, 0), H2_E_PROTOCOL);
    assert_int_equal(client_conn.out_end - client_conn.out_start, before);
    /* The caller's never-indexed bit is kept, the rest dropped. */
    req[4] = hdr("x-secret", "s");
    req[4].flags = H2_HEADER_FIELD_NEVER_INDEXED | marks;
    assert_int_equal(h2_send_headers(&client_conn, 1, req, 5, 1, NULL, 0), H2_OK);
    assert_int_equal(client_conn.send_fields[4].flags % 2u, 1u);
    assert_int_equal(transfer(&client_conn, &server_conn), H2_OK);
    const recorded_event *r = find_event(H2_EVENT_REQUEST_RECEIVED, 0);
    assert_non_null(r);
    assert_string_equal(header_value(r, "x-secret"), "s");
}

/* A field the encoder's table holds whole is sent as an index and not
 * checked byte by byte again; the block's other rules still apply to it. */
static void test_fields_in_encoder_table_sent_indexed(void **state)
{
    (void)state;
    pair_open();
    h2_header req[6];
    memcpy(req, get_request, sizeof get_request);
    req[4] = hdr("x-token", "abc");
    assert_int_equal(h2_send_headers(&client_conn, 1, req, 5, 1, NULL, 0), H2_OK);
    assert_int_equal(transfer(&client_conn, &server_conn), H2_OK);
    assert_int_equal(h2_send_headers(&client_conn, 3, req, 5, 1, NULL, 0), H2_OK);
    /* The newest entry, index 62, ends the block. */
    assert_int_equal(client_conn.outbound[client_conn.out_end - 1u], 0x80u + 62u);
    assert_int_equal(client_conn.send_found[4].index, 62u);
    assert_int_equal(client_conn.send_fields[4].flags,
                     H2_HEADER_FIELD_NAME_CHECKED | H2_HEADER_FIELD_VALUE_CHECKED);
    clear_events();
    assert_int_equal(transfer(&client_conn, &server_conn), H2_OK);
    const recorded_event *r = find_event(H2_EVENT_REQUEST_RECEIVED, 0);
    assert_non_null(r);
    assert_int_equal(r->ev.stream_id, 3);
    assert_string_equal(header_value(r, "x-token"), "abc");
    /* Found whole in the static table, yet no pseudo-header of a
     * response belongs in a request. */
    size_t before = client_conn.out_end - client_conn.out_start;
    req[5] = hdr(":status", "200");
    assert_int_equal(h2_send_headers(&client_conn, 5, req, 6, 1, NULL, 0), H2_E_PROTOCOL);
    /* The same name with a value the table lacks is read again. */
    req[4] = hdr("x-token", "abc ");
    assert_int_equal(h2_send_headers(&client_conn, 5, req, 5, 1, NULL, 0), H2_E_PROTOCOL);
    assert_int_equal(client_conn.out_end - client_conn.out_start, before);
    /* Without outbound validation no byte is read: the peer refuses. */
    client_conn.config.validate_outbound_headers = 0;
    req[4] = hdr("X-Up", "1");
    assert_int_equal(h2_send_headers(&client_conn, 5, req, 5, 1, NULL, 0), H2_OK);
    clear_events();
    assert_int_equal(transfer(&client_conn, &server_conn), H2_OK);
    assert_null(find_event(H2_EVENT_REQUEST_RECEIVED, 0));
    expect_rst(&server_conn, 5, H2_PROTOCOL_ERROR);
    /* That field is now in the encoder's table, unchecked: with
     * validation back on, finding it there vouches for nothing. */
    client_conn.config.validate_outbound_headers = 1;
    before = client_conn.out_end - client_conn.out_start;
    assert_int_equal(h2_send_headers(&client_conn, 7, req, 5, 1, NULL, 0), H2_E_PROTOCOL);
    assert_int_equal(client_conn.send_found[4].index, 62u);
    assert_int_equal(client_conn.out_end - client_conn.out_start, before);
    req[4] = hdr("x-token", "abc");
    assert_int_equal(h2_send_headers(&client_conn, 7, req, 5, 1, NULL, 0), H2_OK);
    assert_int_equal(client_conn.send_fields[4].flags, 0u);
}

static void test_stream_ids_must_increase(void **state)
{
    (void)state;
    pair_open();
    assert_int_equal(h2_send_headers(&client_conn, 5, get_request, 4, 1, NULL, 0), H2_OK);
    assert_int_equal(h2_send_headers(&client_conn, 3, get_request, 4, 1, NULL, 0),
                     H2_E_STREAM_ID_TOO_LOW);
    assert_int_equal(h2_send_headers(&client_conn, 2, get_request, 4, 1, NULL, 0), H2_E_PROTOCOL);
    /* A server cannot open streams with HEADERS. */
    assert_int_equal(h2_send_headers(&server_conn, 2, ok_response, 2, 1, NULL, 0), H2_E_PROTOCOL);
}

static void test_stream_id_exhaustion(void **state)
{
    (void)state;
    pair_open();
    client_conn.highest_outbound_id = H2_STREAM_ID_MAX;
    uint32_t id = 0;
    assert_int_equal(h2_get_next_available_stream_id(&client_conn, &id),
                     H2_E_NO_AVAILABLE_STREAM_ID);
}

static void test_too_many_outbound_streams(void **state)
{
    (void)state;
    pair_open();
    h2_setting s[] = { { H2_SETTINGS_MAX_CONCURRENT_STREAMS, 2 } };
    assert_int_equal(h2_update_settings(&server_conn, s, 1), H2_OK);
    assert_int_equal(transfer(&server_conn, &client_conn), H2_OK);
    assert_int_equal(h2_send_headers(&client_conn, 1, get_request, 4, 0, NULL, 0), H2_OK);
    assert_int_equal(h2_send_headers(&client_conn, 3, get_request, 4, 0, NULL, 0), H2_OK);
    assert_int_equal(h2_send_headers(&client_conn, 5, get_request, 4, 0, NULL, 0),
                     H2_E_TOO_MANY_STREAMS);
    /* Closing one makes room. */
    assert_int_equal(h2_reset_stream(&client_conn, 1, H2_CANCEL), H2_OK);
    assert_int_equal(h2_send_headers(&client_conn, 5, get_request, 4, 0, NULL, 0), H2_OK);
}

/* ---- flow control ---- */

static void test_send_data_respects_windows(void **state)
{
    (void)state;
    pair_open();
    static uint8_t body[70000];
    memset(body, 'b', sizeof body);
    assert_int_equal(h2_send_headers(&client_conn, 1, get_request, 4, 0, NULL, 0), H2_OK);
    int32_t w = 0;
    assert_int_equal(h2_local_flow_control_window(&client_conn, 1, &w), H2_OK);
    assert_int_equal(w, 65535);
    size_t before = client_conn.out_end - client_conn.out_start;
    /* More than the max frame size. */
    assert_int_equal(h2_send_data(&client_conn, 1, body, 16385, 0, 0), H2_E_FRAME_SIZE);
    assert_int_equal(client_conn.out_end - client_conn.out_start, before);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(h2_send_data(&client_conn, 1, body, 16384, 0, 0), H2_OK);
    }
    assert_int_equal(h2_send_data(&client_conn, 1, body, 16384, 0, 0), H2_E_FLOW_CONTROL);
    (void)take_wire(&client_conn);
    assert_int_equal(h2_send_data(&client_conn, 1, body, 16383, 0, 0), H2_OK);
    assert_int_equal(h2_local_flow_control_window(&client_conn, 1, &w), H2_OK);
    assert_int_equal(w, 0);
    assert_int_equal(h2_send_data(&client_conn, 1, body, 1, 0, 0), H2_E_FLOW_CONTROL);
    /* END_STREAM alone needs no window. */
    assert_int_equal(h2_end_stream(&client_conn, 1), H2_OK);
}

static void test_window_update_and_acknowledge(void **state)
{
    (void)state;
    pair_open();
    static uint8_t body[16384];
    memset(body, 'd', sizeof body);
    assert_int_equal(h2_send_headers(&client_conn, 1, get_request, 4, 0, NULL, 0), H2_OK);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(h2_send_data(&client_conn, 1, body, sizeof body, 0, 0), H2_OK);
    }
    assert_int_equal(transfer(&client_conn, &server_conn), H2_OK);
    int32_t w = 0;
    assert_int_equal(h2_remote_flow_control_window(&server_conn, 1, &w), H2_OK);
    assert_int_equal(w, 65535 - 3 * 16384);
    /* Acknowledging a little sends nothing; half the window sends both. */
    assert_int_equal(h2_acknowledge_received_data(&server_conn, 16384, 1), H2_OK);
    assert_int_equal(take_wire(&server_conn), 0);
    assert_int_equal(h2_acknowledge_received_data(&server_conn, 16384, 1), H2_OK);
    size_t n = take_wire(&server_conn);
    assert_int_equal(n, 2 * 13);
    clear_events();
    assert_int_equal(feed(&client_conn, wire, n), H2_OK);
    assert_int_equal(count_events(H2_EVENT_WINDOW_UPDATED), 2);
    assert_int_equal(find_event(H2_EVENT_WINDOW_UPDATED, 0)->ev.delta, 32768);
    assert_int_equal(h2_local_flow_control_window(&client_conn, 1, &w), H2_OK);
    assert_int_equal(w, 65535 - 16384);
    /* Explicit increments, and their limit. */
    assert_int_equal(h2_increment_flow_control_window(&server_conn, 1000, 0), H2_OK);
    assert_int_equal(h2_increment_flow_control_window(&server_conn, 0, 0), H2_E_INVALID_ARGUMENT);
    assert_int_equal(h2_increment_flow_control_window(&server_conn, 0x7fffffff, 1),
                     H2_E_FLOW_CONTROL);
    clear_events();
    assert_int_equal(transfer(&server_conn, &client_conn), H2_OK);
    assert_int_equal(find_event(H2_EVENT_WINDOW_UPDATED, 0)->ev.stream_id, 0);
    assert_int_equal(find_event(H2_EVENT_WINDOW_UPDATED, 0)->ev.delta, 1000);
}

static void test_padded_data_counts_padding(void **state)
{
    (void)state;
    pair_open();
    assert_int_equal(h2_send_headers(&client_conn, 1, get_request, 4, 0, NULL, 0), H2_OK);
    assert_int_equal(h2_send_data(&client_conn, 1, (const uint8_t *)"abc", 3, 1, 10), H2_OK);
    assert_int_equal(transfer(&client_conn, &server_conn), H2_OK);
    const recorded_event *d = find_event(H2_EVENT_DATA_RECEIVED, 0);
    assert_non_null(d);
    assert_int_equal(d->data_len, 3);
    assert_int_equal(d->ev.flow_controlled_length, 3 + 1 + 10);
}

static void test_initial_window_change_adjusts_streams(void **state)
{
    (void)state;
    pair_open();
    assert_int_equal(h2_send_headers(&client_conn, 1, get_request, 4, 0, NULL, 0), H2_OK);
    h2_setting s[] = { { H2_SETTINGS_INITIAL_WINDOW_SIZE, 100 } };
    assert_int_equal(h2_update_settings(&server_conn, s, 1), H2_OK);
    assert_int_equal(transfer(&server_conn, &client_conn), H2_OK);
    int32_t w = 0;
    assert_int_equal(h2_local_flow_control_window(&client_conn, 1, &w), H2_OK);
    assert_int_equal(w, 100);
}

/* ---- ping, reset, goaway ---- */

static void test_ping_is_acknowledged(void **state)
{
    (void)state;
    pair_open();
    const uint8_t opaque[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
    assert_int_equal(h2_ping(&client_conn, opaque), H2_OK);
    assert_int_equal(transfer(&client_conn, &server_conn), H2_OK);
    const recorded_event *p = find_event(H2_EVENT_PING_RECEIVED, 0);
    assert_non_null(p);
    assert_memory_equal(p->ev.ping_data, opaque, 8);
    clear_events();
    assert_int_equal(transfer(&server_conn, &client_conn), H2_OK);
    p = find_event(H2_EVENT_PING_ACK_RECEIVED, 0);
    assert_non_null(p);
    assert_memory_equal(p->ev.ping_data, opaque, 8);
}

static void test_reset_stream_both_ways(void **state)
{
    (void)state;
    pair_open();
    assert_int_equal(h2_send_headers(&client_conn, 1, get_request, 4, 0, NULL, 0), H2_OK);
    assert_int_equal(transfer(&client_conn, &server_conn), H2_OK);
    assert_int_equal(h2_reset_stream(&server_conn, 1, H2_INTERNAL_ERROR), H2_OK);
    assert_int_equal(h2_reset_stream(&server_conn, 1, H2_INTERNAL_ERROR), H2_E_STREAM_CLOSED);
    assert_int_equal(h2_reset_stream(&server_conn, 9, H2_INTERNAL_ERROR), H2_E_NO_SUCH_STREAM);
    clear_events();
    assert_int_equal(transfer(&server_conn, &client_conn), H2_OK);
    const recorded_event *r = find_event(H2_EVENT_STREAM_RESET, 0);
    assert_non_null(r);
    assert_true(r->ev.remote_reset);
    assert_int_equal(r->ev.error_code, H2_INTERNAL_ERROR);
    assert_int_equal(h2_open_outbound_streams(&client_conn), 0);
    /* Frames the client sent before it saw the reset are ignored. */
    assert_int_equal(h2_send_headers(&client_conn, 3, get_request, 4, 0, NULL, 0), H2_OK);
    clear_events();
    assert_int_equal(transfer(&client_conn, &server_conn), H2_OK);
    assert_non_null(find_event(H2_EVENT_REQUEST_RECEIVED, 0));
}

static void test_goaway_with_error_closes(void **state)
{
    (void)state;
    pair_open();
    assert_int_equal(h2_send_headers(&client_conn, 1, get_request, 4, 1, NULL, 0), H2_OK);
    assert_int_equal(transfer(&client_conn, &server_conn), H2_OK);
    assert_int_equal(h2_close_connection(&server_conn, H2_ENHANCE_YOUR_CALM,
                                         H2_LAST_STREAM_AUTO, (const uint8_t *)"slow down", 9),
                     H2_OK);
    assert_int_equal(h2_send_headers(&server_conn, 1, ok_response, 2, 1, NULL, 0),
                     H2_E_CONNECTION_CLOSED);
    clear_events();
    assert_int_equal(transfer(&server_conn, &client_conn), H2_OK);
    const recorded_event *t = find_event(H2_EVENT_CONNECTION_TERMINATED, 0);
    assert_non_null(t);
    assert_int_equal(t->ev.error_code, H2_ENHANCE_YOUR_CALM);
    assert_int_equal(t->ev.last_stream_id, 1);
    assert_int_equal(t->ev.additional_data_len, 9);
    /* After a GOAWAY no new streams. */
    assert_int_equal(h2_send_headers(&client_conn, 3, get_request, 4, 1, NULL, 0), H2_E_PROTOCOL);
}

static void test_graceful_goaway_refuses_later_streams(void **state)
{
    (void)state;
    pair_open();
    assert_int_equal(h2_send_headers(&client_conn, 1, get_request, 4, 1, NULL, 0), H2_OK);
    assert_int_equal(transfer(&client_conn, &server_conn), H2_OK);
    assert_int_equal(h2_close_connection(&server_conn, H2_NO_ERROR, 1, NULL, 0), H2_OK);
    /* A request crossing the GOAWAY. */
    assert_int_equal(h2_send_headers(&client_conn, 3, get_request, 4, 1, NULL, 0), H2_OK);
    clear_events();
    assert_int_equal(transfer(&client_conn, &server_conn), H2_OK);
    assert_null(find_event(H2_EVENT_REQUEST_RECEIVED, 0));
    /* Stream 1 still completes. */
    assert_int_equal(h2_send_headers(&server_conn, 1, ok_response, 2, 1, NULL, 0), H2_OK);
    clear_events();
    assert_int_equal(transfer(&server_conn, &client_conn), H2_OK);
    assert_non_null(find_event(H2_EVENT_CONNECTION_TERMINATED, 0));
    assert_non_null(find_event(H2_EVENT_RESPONSE_RECEIVED, 0));
    const recorded_event *r = find_event(H2_EVENT_STREAM_RESET, 0);
    assert_non_null(r);
    assert_int_equal(r->ev.stream_id, 3);
    assert_int_equal(r->ev.error_code, H2_REFUSED_STREAM);
}

/* ---- push, priority, altsvc, unknown ---- */

static void test_server_push(void **state)
{
    (void)state;
    h2_config cc, sc;
    h2_config_init(&cc, 1);
    h2_config_init(&sc, 0);
    h2_conn_init(&client_conn, &cc);
    h2_conn_init(&server_conn, &sc);
    assert_int_equal(h2_initiate_connection(&client_conn), H2_OK);
    assert_int_equal(h2_initiate_connection(&server_conn), H2_OK);
    assert_int_equal(transfer(&client_conn, &server_conn), H2_OK);
    assert_int_equal(transfer(&server_conn, &client_conn), H2_OK);
    assert_int_equal(transfer(&client_conn, &server_conn), H2_OK);
    assert_int_equal(h2_send_headers(&client_conn, 1, get_request, 4, 1, NULL, 0), H2_OK);
    assert_int_equal(transfer(&client_conn, &server_conn), H2_OK);
    const h2_header pushed[] = { hdr(":method", "GET"), hdr(":scheme", "https"),
                                 hdr(":authority", "example.com"), hdr(":path", "/style.css") };
    assert_int_equal(h2_push_stream(&server_conn, 1, 2, pushed, 4), H2_OK);
    assert_int_equal(h2_push_stream(&server_conn, 1, 2, pushed, 4), H2_E_STREAM_ID_TOO_LOW);
    assert_int_equal(h2_push_stream(&server_conn, 1, 3, pushed, 4), H2_E_PROTOCOL);
    assert_int_equal(h2_push_stream(&client_conn, 1, 2, pushed, 4), H2_E_PROTOCOL);
    assert_int_equal(h2_send_headers(&server_conn, 2, ok_response, 2, 0, NULL, 0), H2_OK);
    assert_int_equal(h2_send_data(&server_conn, 2, (const uint8_t *)"css", 3, 1, 0), H2_OK);
    assert_int_equal(h2_send_headers(&server_conn, 1, ok_response, 2, 1, NULL, 0), H2_OK);
    clear_events();
    assert_int_equal(transfer(&server_conn, &client_conn), H2_OK);
    const recorded_event *p = find_event(H2_EVENT_PUSHED_STREAM_RECEIVED, 0);
    assert_non_null(p);
    assert_int_equal(p->ev.stream_id, 2);
    assert_int_equal(p->ev.parent_stream_id, 1);
    assert_string_equal(header_value(p, ":path"), "/style.css");
    const recorded_event *r = find_event(H2_EVENT_RESPONSE_RECEIVED, 0);
    assert_non_null(r);
    assert_int_equal(r->ev.stream_id, 2);
    const recorded_event *d = find_event(H2_EVENT_DATA_RECEIVED, 0);
    assert_non_null(d);
    assert_int_equal(d->ev.stream_id, 2);
}

static void test_push_refused_when_disabled(void **state)
{
    (void)state;
    h2_config cc, sc;
    h2_config_init(&cc, 1);
    h2_config_init(&sc, 0);
    h2_conn_init(&client_conn, &cc);
    h2_conn_init(&server_conn, &sc);
    h2_setting nopush[] = { { H2_SETTINGS_ENABLE_PUSH, 0 } };
    assert_int_equal(h2_update_settings(&client_conn, nopush, 1), H2_OK);
    assert_int_equal(h2_initiate_connection(&client_conn), H2_OK);
    assert_int_equal(h2_initiate_connection(&server_conn), H2_OK);
    assert_int_equal(transfer(&client_conn, &server_conn), H2_OK);
    assert_int_equal(transfer(&server_conn, &client_conn), H2_OK);
    assert_int_equal(h2_send_headers(&client_conn, 1, get_request, 4, 1, NULL, 0), H2_OK);
    assert_int_equal(transfer(&client_conn, &server_conn), H2_OK);
    assert_int_equal(h2_push_stream(&server_conn, 1, 2, get_request, 4), H2_E_PROTOCOL);
}

static void test_priority_and_altsvc_and_unknown(void **state)
{
    (void)state;
    pair_open();
    assert_int_equal(h2_prioritize(&client_conn, 1, 32, 0, 1), H2_OK);
    assert_int_equal(h2_prioritize(&client_conn, 3, 32, 3, 0), H2_E_PROTOCOL);
    assert_int_equal(h2_prioritize(&client_conn, 3, 0, 0, 0), H2_E_INVALID_ARGUMENT);
    assert_int_equal(transfer(&client_conn, &server_conn), H2_OK);
    const recorded_event *p = find_event(H2_EVENT_PRIORITY_UPDATED, 0);
    assert_non_null(p);
    assert_int_equal(p->ev.stream_id, 1);
    assert_int_equal(p->ev.priority.weight, 31);
    assert_true(p->ev.priority.exclusive);

    assert_int_equal(h2_advertise_alternative_service(&server_conn,
        (const uint8_t *)"h2=\":8443\"", 10, (const uint8_t *)"example.com", 11, 0), H2_OK);
    assert_int_equal(h2_advertise_alternative_service(&server_conn,
        (const uint8_t *)"h2=\":8443\"", 10, NULL, 0, 0), H2_E_INVALID_ARGUMENT);
    assert_int_equal(h2_advertise_alternative_service(&client_conn,
        (const uint8_t *)"h2=\":8443\"", 10, (const uint8_t *)"x", 1, 0), H2_E_PROTOCOL);
    clear_events();
    assert_int_equal(transfer(&server_conn, &client_conn), H2_OK);
    const recorded_event *a = find_event(H2_EVENT_ALTERNATIVE_SERVICE_AVAILABLE, 0);
    assert_non_null(a);
    assert_int_equal(a->ev.origin_len, 11);
    assert_int_equal(a->ev.field_value_len, 10);

    uint8_t buf[64];
    size_t n = raw_frame(buf, 0xbb, 0x3, 0, (const uint8_t *)"whatever", 8);
    clear_events();
    assert_int_equal(feed(&server_conn, buf, n), H2_OK);
    const recorded_event *u = find_event(H2_EVENT_UNKNOWN_FRAME_RECEIVED, 0);
    assert_non_null(u);
    assert_int_equal(u->ev.frame_type, 0xbb);
    assert_int_equal(u->ev.payload_len, 8);
}

/* ---- peer errors ---- */

static h2_status feed_server_raw(const uint8_t *buf, size_t n)
{
    clear_events();
    return feed(&server_conn, buf, n);
}

static void expect_goaway(h2_conn *c, uint32_t code)
{
    size_t n = take_wire(c);
    const uint8_t *g = find_frame(wire, n, H2_FRAME_GOAWAY);
    assert_non_null(g);
    assert_int_equal(frame_u32(g + 13), code);
    assert_int_equal(c->state, H2_CONN_CLOSED);
}

static void test_bad_preface(void **state)
{
    (void)state;
    h2_config sc;
    h2_config_init(&sc, 0);
    h2_conn_init(&server_conn, &sc);
    assert_int_equal(h2_initiate_connection(&server_conn), H2_OK);
    (void)take_wire(&server_conn);
    assert_int_equal(feed(&server_conn, (const uint8_t *)"GET / HTTP/1.1\r\n\r\n", 18),
                     H2_E_PROTOCOL);
    expect_goaway(&server_conn, H2_PROTOCOL_ERROR);
    h2_event ev;
    size_t used;
    assert_int_equal(h2_recv(&server_conn, (const uint8_t *)"x", 1, &used, &ev),
                     H2_E_CONNECTION_CLOSED);
}

static void test_data_on_stream_zero_and_idle(void **state)
{
    uint8_t buf[64];
    (void)state;
    pair_open();
    size_t n = raw_frame(buf, H2_FRAME_DATA, 0, 0, (const uint8_t *)"x", 1);
    assert_int_equal(feed_server_raw(buf, n), H2_E_PROTOCOL);
    expect_goaway(&server_conn, H2_PROTOCOL_ERROR);
    pair_open();
    n = raw_frame(buf, H2_FRAME_DATA, 0, 7, (const uint8_t *)"x", 1);
    assert_int_equal(feed_server_raw(buf, n), H2_E_PROTOCOL);
    expect_goaway(&server_conn, H2_PROTOCOL_ERROR);
}

static void test_continuation_rules(void **state)
{
    uint8_t buf[128];
    (void)state;
    pair_open();
    size_t n = raw_frame(buf, H2_FRAME_CONTINUATION, H2_FLAG_END_HEADERS, 1,
                         (const uint8_t *)"\x82", 1);
    assert_int_equal(feed_server_raw(buf, n), H2_E_PROTOCOL);
    expect_goaway(&server_conn, H2_PROTOCOL_ERROR);
    pair_open();
    /* HEADERS without END_HEADERS, then a PING in the middle. */
    n = raw_frame(buf, H2_FRAME_HEADERS, H2_FLAG_END_STREAM, 1, (const uint8_t *)"\x82\x86", 2);
    n += raw_frame(buf + n, H2_FRAME_PING, 0, 0, (const uint8_t *)"12345678", 8);
    assert_int_equal(feed_server_raw(buf, n), H2_E_PROTOCOL);
    expect_goaway(&server_conn, H2_PROTOCOL_ERROR);
    pair_open();
    /* The block split over HEADERS and CONTINUATION works. */
    n = raw_frame(buf, H2_FRAME_HEADERS, H2_FLAG_END_STREAM, 1,
                  (const uint8_t *)"\x82\x86", 2);
    n += raw_frame(buf + n, H2_FRAME_CONTINUATION, H2_FLAG_END_HEADERS, 1,
                   (const uint8_t *)"\x84\x41\x01" "a", 4);
    assert_int_equal(feed_server_raw(buf, n), H2_OK);
    assert_non_null(find_event(H2_EVENT_REQUEST_RECEIVED, 0));
}

static void test_invalid_peer_settings(void **state)
{
    uint8_t buf[64];
    (void)state;
    pair_open();
    size_t n = raw_frame(buf, H2_FRAME_SETTINGS, 0, 0,
                         (const uint8_t *)"\x00\x02\x00\x00\x00\x02", 6);
    assert_int_equal(feed_server_raw(buf, n), H2_E_PROTOCOL);
    expect_goaway(&server_conn, H2_PROTOCOL_ERROR);
    pair_open();
    n = raw_frame(buf, H2_FRAME_SETTINGS, 0, 0, (const uint8_t *)"\x00\x04\x80\x00\x00\x00", 6);
    assert_int_equal(feed_server_raw(buf, n), H2_E_FLOW_CONTROL);
    expect_goaway(&server_conn, H2_FLOW_CONTROL_ERROR);
    pair_open();
    n = raw_frame(buf, H2_FRAME_SETTINGS, 0, 0, (const uint8_t *)"\x00\x05\x00\x00\x10\x00", 6);
    assert_int_equal(feed_server_raw(buf, n), H2_E_PROTOCOL);
    pair_open();
    /* A server may not enable push. */
    n = raw_frame(buf, H2_FRAME_SETTINGS, 0, 0, (const uint8_t *)"\x00\x02\x00\x00\x00\x01", 6);
    clear_events();
    assert_int_equal(feed(&client_conn, buf, n), H2_E_PROTOCOL);
    expect_goaway(&client_conn, H2_PROTOCOL_ERROR);
    pair_open();
    /* Unknown settings are ignored; the frame is acknowledged. */
    n = raw_frame(buf, H2_FRAME_SETTINGS, 0, 0, (const uint8_t *)"\x00\x99\x00\x00\x00\x01", 6);
    assert_int_equal(feed_server_raw(buf, n), H2_OK);
    assert_non_null(find_event(H2_EVENT_REMOTE_SETTINGS_CHANGED, 0));
    n = take_wire(&server_conn);
    assert_int_equal(n, 9);
    assert_int_equal(wire[3], H2_FRAME_SETTINGS);
    assert_int_equal(wire[4], H2_FLAG_ACK);
}

static void test_window_update_errors(void **state)
{
    uint8_t buf[64];
    (void)state;
    pair_open();
    size_t n = raw_frame(buf, H2_FRAME_WINDOW_UPDATE, 0, 0, (const uint8_t *)"\0\0\0\0", 4);
    assert_int_equal(feed_server_raw(buf, n), H2_E_PROTOCOL);
    expect_goaway(&server_conn, H2_PROTOCOL_ERROR);
    pair_open();
    n = raw_frame(buf, H2_FRAME_WINDOW_UPDATE, 0, 0, (const uint8_t *)"\x7f\xff\xff\xff", 4);
    assert_int_equal(feed_server_raw(buf, n), H2_E_FLOW_CONTROL);
    expect_goaway(&server_conn, H2_FLOW_CONTROL_ERROR);
    pair_open();
    assert_int_equal(h2_send_headers(&client_conn, 1, get_request, 4, 0, NULL, 0), H2_OK);
    assert_int_equal(transfer(&client_conn, &server_conn), H2_OK);
    n = raw_frame(buf, H2_FRAME_WINDOW_UPDATE, 0, 1, (const uint8_t *)"\0\0\0\0", 4);
    assert_int_equal(feed_server_raw(buf, n), H2_OK);
    expect_rst(&server_conn, 1, H2_PROTOCOL_ERROR);
    pair_open();
    assert_int_equal(h2_send_headers(&client_conn, 1, get_request, 4, 0, NULL, 0), H2_OK);
    assert_int_equal(transfer(&client_conn, &server_conn), H2_OK);
    n = raw_frame(buf, H2_FRAME_WINDOW_UPDATE, 0, 1, (const uint8_t *)"\x7f\xff\xff\xff", 4);
    assert_int_equal(feed_server_raw(buf, n), H2_OK);
    expect_rst(&server_conn, 1, H2_FLOW_CONTROL_ERROR);
}

static void test_frame_size_errors(void **state)
{
    uint8_t buf[20000];
    (void)state;
    pair_open();
    memset(buf, 0, sizeof buf);
    size_t n = raw_frame(buf, H2_FRAME_DATA, 0, 1, buf + 9, 16385);
    /* Rejected from its header alone: feed only the 9 bytes. */
    assert_int_equal(feed_server_raw(buf, 9), H2_E_FRAME_SIZE);
    expect_goaway(&server_conn, H2_FRAME_SIZE_ERROR);
    (void)n;
    pair_open();
    n = raw_frame(buf, H2_FRAME_PING, 0, 0, (const uint8_t *)"1234567", 7);
    assert_int_equal(feed_server_raw(buf, n), H2_E_FRAME_SIZE);
    expect_goaway(&server_conn, H2_FRAME_SIZE_ERROR);
    pair_open();
    assert_int_equal(h2_send_headers(&client_conn, 1, get_request, 4, 0, NULL, 0), H2_OK);
    assert_int_equal(transfer(&client_conn, &server_conn), H2_OK);
    n = raw_frame(buf, H2_FRAME_PRIORITY, 0, 1, (const uint8_t *)"\0\0\0\0", 4);
    assert_int_equal(feed_server_raw(buf, n), H2_OK);
    expect_rst(&server_conn, 1, H2_FRAME_SIZE_ERROR);
}

static void test_self_dependency(void **state)
{
    uint8_t buf[64];
    (void)state;
    pair_open();
    assert_int_equal(h2_send_headers(&client_conn, 1, get_request, 4, 0, NULL, 0), H2_OK);
    assert_int_equal(transfer(&client_conn, &server_conn), H2_OK);
    size_t n = raw_frame(buf, H2_FRAME_PRIORITY, 0, 1, (const uint8_t *)"\0\0\0\x01\x10", 5);
    assert_int_equal(feed_server_raw(buf, n), H2_OK);
    expect_rst(&server_conn, 1, H2_PROTOCOL_ERROR);
}

static void test_malformed_request_is_a_stream_error(void **state)
{
    uint8_t buf[64];
    (void)state;
    pair_open();
    /* :method GET, :scheme http, :path / and a literal "X-Up: 1". */
    const uint8_t block[] = { 0x82, 0x86, 0x84, 0x41, 0x01, 'a', 0x00, 0x04, 'X', '-', 'U', 'p', 0x01, '1' };
    size_t n = raw_frame(buf, H2_FRAME_HEADERS, H2_FLAG_END_HEADERS | H2_FLAG_END_STREAM, 1,
                         block, sizeof block);
    assert_int_equal(feed_server_raw(buf, n), H2_OK);
    assert_null(find_event(H2_EVENT_REQUEST_RECEIVED, 0));
    const recorded_event *r = find_event(H2_EVENT_STREAM_RESET, 0);
    assert_non_null(r);
    assert_false(r->ev.remote_reset);
    expect_rst(&server_conn, 1, H2_PROTOCOL_ERROR);
    /* The next request on the same connection is fine. */
    assert_int_equal(h2_send_headers(&client_conn, 3, get_request, 4, 1, NULL, 0), H2_OK);
    clear_events();
    assert_int_equal(transfer(&client_conn, &server_conn), H2_OK);
    assert_non_null(find_event(H2_EVENT_REQUEST_RECEIVED, 0));
}

/* A field that entered the peer's HPACK table from a malformed request
 * is checked again, and refused again, each time it is referenced: only
 * blocks that pass validation vouch for their table entries. */
static void test_invalid_table_entry_checked_again(void **state)
{
    uint8_t buf[64];
    (void)state;
    pair_open();
    /* Stream 1: ":authority a" and "X-Up: 1", both added to the table
     * (indexes 63 and 62 once both are in). */
    const uint8_t first[] = { 0x82, 0x86, 0x84, 0x41, 0x01, 'a',
                              0x40, 0x04, 'X', '-', 'U', 'p', 0x01, '1' };
    size_t n = raw_frame(buf, H2_FRAME_HEADERS, H2_FLAG_END_HEADERS | H2_FLAG_END_STREAM, 1,
                         first, sizeof first);
    assert_int_equal(feed_server_raw(buf, n), H2_OK);
    assert_null(find_event(H2_EVENT_REQUEST_RECEIVED, 0));
    expect_rst(&server_conn, 1, H2_PROTOCOL_ERROR);
    /* Stream 3 names both by index. */
    const uint8_t again[] = { 0x82, 0x86, 0x84, 0xbf, 0xbe };
    n = raw_frame(buf, H2_FRAME_HEADERS, H2_FLAG_END_HEADERS | H2_FLAG_END_STREAM, 3,
                  again, sizeof again);
    assert_int_equal(feed_server_raw(buf, n), H2_OK);
    assert_null(find_event(H2_EVENT_REQUEST_RECEIVED, 0));
    expect_rst(&server_conn, 3, H2_PROTOCOL_ERROR);
    /* Stream 5 names only ":authority a", which is valid. */
    const uint8_t valid[] = { 0x82, 0x86, 0x84, 0xbf };
    n = raw_frame(buf, H2_FRAME_HEADERS, H2_FLAG_END_HEADERS | H2_FLAG_END_STREAM, 5,
                  valid, sizeof valid);
    assert_int_equal(feed_server_raw(buf, n), H2_OK);
    assert_non_null(find_event(H2_EVENT_REQUEST_RECEIVED, 0));
}

static void test_hpack_garbage_is_compression_error(void **state)
{
    uint8_t buf[64];
    (void)state;
    pair_open();
    size_t n = raw_frame(buf, H2_FRAME_HEADERS, H2_FLAG_END_HEADERS, 1,
                         (const uint8_t *)"\x80", 1);
    assert_int_equal(feed_server_raw(buf, n), H2_E_COMPRESSION);
    expect_goaway(&server_conn, H2_COMPRESSION_ERROR);
}

static void test_data_beyond_window_and_after_end(void **state)
{
    static uint8_t buf[70000];
    (void)state;
    pair_open();
    assert_int_equal(h2_send_headers(&client_conn, 1, get_request, 4, 0, NULL, 0), H2_OK);
    assert_int_equal(transfer(&client_conn, &server_conn), H2_OK);
    /* 4 * 16384 + 1 bytes > 65535. */
    size_t n = 0;
    static uint8_t zeros[16384];
    for (int i = 0; i < 4; i++) {
        n += raw_frame(buf + n, H2_FRAME_DATA, 0, 1, zeros, 16384);
    }
    assert_int_equal(feed_server_raw(buf, n), H2_E_FLOW_CONTROL);
    expect_goaway(&server_conn, H2_FLOW_CONTROL_ERROR);
    pair_open();
    assert_int_equal(h2_send_headers(&client_conn, 1, get_request, 4, 1, NULL, 0), H2_OK);
    assert_int_equal(transfer(&client_conn, &server_conn), H2_OK);
    (void)take_wire(&server_conn);
    n = raw_frame(buf, H2_FRAME_DATA, 0, 1, (const uint8_t *)"late", 4);
    assert_int_equal(feed_server_raw(buf, n), H2_OK);
    expect_rst(&server_conn, 1, H2_STREAM_CLOSED);
    /* Within the connection's window but beyond the stream's: a stream
     * error (RFC 9113 6.9.1). */
    pair_open();
    assert_int_equal(h2_send_headers(&client_conn, 1, get_request, 4, 0, NULL, 0), H2_OK);
    assert_int_equal(transfer(&client_conn, &server_conn), H2_OK);
    assert_int_equal(h2_increment_flow_control_window(&server_conn, 100000, 0), H2_OK);
    (void)take_wire(&server_conn);
    n = 0;
    for (int i = 0; i < 4; i++) {
        n += raw_frame(buf + n, H2_FRAME_DATA, 0, 1, zeros, 16384);
    }
    assert_int_equal(feed_server_raw(buf, n), H2_OK);
    expect_rst(&server_conn, 1, H2_FLOW_CONTROL_ERROR);
}

static void test_refused_stream_over_limit(void **state)
{
    (void)state;
    pair_open();
    h2_setting s[] = { { H2_SETTINGS_MAX_CONCURRENT_STREAMS, 1 } };
    assert_int_equal(h2_update_settings(&server_conn, s, 1), H2_OK);
    (void)take_wire(&server_conn);
    /* The client has not seen the new limit yet and opens two. */
    assert_int_equal(h2_send_headers(&client_conn, 1, get_request, 4, 0, NULL, 0), H2_OK);
    assert_int_equal(h2_send_headers(&client_conn, 3, get_request, 4, 0, NULL, 0), H2_OK);
    assert_int_equal(transfer(&client_conn, &server_conn), H2_OK);
    assert_int_equal(count_events(H2_EVENT_REQUEST_RECEIVED), 1);
    expect_rst(&server_conn, 3, H2_REFUSED_STREAM);
    assert_int_equal(h2_open_inbound_streams(&server_conn), 1);
}

static void test_would_block_writes_nothing(void **state)
{
    (void)state;
    pair_open();
    static uint8_t body[16384];
    assert_int_equal(h2_send_headers(&client_conn, 1, get_request, 4, 0, NULL, 0), H2_OK);
    h2_setting big[] = { { H2_SETTINGS_INITIAL_WINDOW_SIZE, 0x7fffffff } };
    assert_int_equal(h2_update_settings(&server_conn, big, 1), H2_OK);
    assert_int_equal(transfer(&server_conn, &client_conn), H2_OK);
    assert_int_equal(h2_increment_flow_control_window(&server_conn, 0x7fff0000, 0), H2_OK);
    assert_int_equal(transfer(&server_conn, &client_conn), H2_OK);
    h2_status st;
    int sent = 0;
    while ((st = h2_send_data(&client_conn, 1, body, sizeof body, 0, 0)) == H2_OK) {
        sent++;
    }
    assert_int_equal(st, H2_E_WOULD_BLOCK);
    assert_true(sent >= 3);
    size_t queued = client_conn.out_end - client_conn.out_start;
    assert_int_equal(h2_ping(&client_conn, (const uint8_t *)"12345678"), H2_OK);
    assert_int_equal(client_conn.out_end - client_conn.out_start, queued + 17);
    /* Partial draining, then room again. */
    uint8_t part[100];
    assert_int_equal(h2_data_to_send(&client_conn, part, sizeof part), 100);
    const uint8_t *peek;
    size_t len = 0;
    peek = h2_outbound_peek(&client_conn, &len);
    assert_non_null(peek);
    assert_int_equal(len, queued + 17 - 100);
    h2_outbound_consume(&client_conn, len);
    assert_int_equal(h2_send_data(&client_conn, 1, body, sizeof body, 0, 0), H2_OK);
    h2_clear_outbound_data_buffer(&client_conn);
    assert_int_equal(h2_outbound_peek(&client_conn, &len) != NULL, 1);
    assert_int_equal(len, 0);
}

static void test_upgrade(void **state)
{
    (void)state;
    h2_config cc, sc;
    h2_config_init(&cc, 1);
    h2_config_init(&sc, 0);
    h2_conn_init(&client_conn, &cc);
    h2_conn_init(&server_conn, &sc);
    uint8_t value[128];
    size_t vlen = 0;
    assert_int_equal(h2_initiate_upgrade_connection(&client_conn, NULL, 0, value, sizeof value,
                                                    &vlen), H2_OK);
    assert_true(vlen > 0);
    for (size_t i = 0; i < vlen; i++) {
        assert_true((value[i] >= 'A' && value[i] <= 'Z') || (value[i] >= 'a' && value[i] <= 'z') ||
                    (value[i] >= '0' && value[i] <= '9') || value[i] == '-' || value[i] == '_');
    }
    assert_int_equal(h2_initiate_upgrade_connection(&server_conn, value, vlen, NULL, 0, NULL),
                     H2_OK);
    assert_int_equal(server_conn.remote_settings.values[2], H2_MAX_STREAMS);
    /* Stream 1: half-closed (local) at the client, (remote) at the server. */
    assert_int_equal(h2_send_data(&client_conn, 1, (const uint8_t *)"x", 1, 0, 0),
                     H2_E_STREAM_CLOSED);
    assert_int_equal(transfer(&client_conn, &server_conn), H2_OK);
    assert_int_equal(transfer(&server_conn, &client_conn), H2_OK);
    assert_int_equal(h2_send_headers(&server_conn, 1, ok_response, 2, 1, NULL, 0), H2_OK);
    clear_events();
    assert_int_equal(transfer(&server_conn, &client_conn), H2_OK);
    assert_non_null(find_event(H2_EVENT_RESPONSE_RECEIVED, 0));
    assert_int_equal(h2_send_headers(&client_conn, 3, get_request, 4, 1, NULL, 0), H2_OK);
}

static void test_upgrade_and_push_refusals(void **state)
{
    uint8_t value[128];
    size_t vlen = 0;
    h2_config cc;
    (void)state;
    h2_config_init(&cc, 1);
    h2_conn_init(&client_conn, &cc);
    /* Too small a buffer for the HTTP2-Settings value: the size needed,
     * and nothing changes. */
    assert_int_equal(h2_initiate_upgrade_connection(&client_conn, NULL, 0, value, 4, &vlen),
                     H2_E_BUFFER_TOO_SMALL);
    assert_true(vlen > 4);
    assert_int_equal(client_conn.state, H2_CONN_IDLE);
    assert_int_equal(h2_initiate_upgrade_connection(&client_conn, NULL, 0, value, vlen, &vlen),
                     H2_OK);
    /* Only once, and never after the preface. */
    assert_int_equal(h2_initiate_upgrade_connection(&client_conn, NULL, 0, value, sizeof value,
                                                    &vlen), H2_E_PROTOCOL);
    /* A push needs a request the server is still answering, and a valid
     * request of its own. */
    pair_open();
    assert_int_equal(h2_send_headers(&client_conn, 1, get_request, 4, 0, NULL, 0), H2_OK);
    assert_int_equal(transfer(&client_conn, &server_conn), H2_OK);
    const h2_header no_path[] = { hdr(":method", "GET"), hdr(":scheme", "https"),
                                  hdr(":authority", "example.com") };
    assert_int_equal(h2_push_stream(&server_conn, 1, 2, no_path, 3), H2_E_PROTOCOL);
    assert_int_equal(h2_send_headers(&server_conn, 1, ok_response, 2, 1, NULL, 0), H2_OK);
    const h2_header pushed[] = { hdr(":method", "GET"), hdr(":scheme", "https"),
                                 hdr(":authority", "example.com"), hdr(":path", "/a") };
    assert_int_equal(h2_push_stream(&server_conn, 1, 2, pushed, 4), H2_E_STREAM_CLOSED);
    assert_int_equal(server_conn.streams.used, 1);
    /* A server's upgrade writes nothing back. */
    h2_config sc;
    h2_config_init(&sc, 0);
    h2_conn_init(&server_conn, &sc);
    vlen = 99;
    assert_int_equal(h2_initiate_upgrade_connection(&server_conn, value, 0, NULL, 0, &vlen),
                     H2_OK);
    assert_int_equal(vlen, 0);
}

static void test_frames_on_reserved_streams(void **state)
{
    uint8_t buf[64];
    const h2_header pushed[] = { hdr(":method", "GET"), hdr(":scheme", "https"),
                                 hdr(":authority", "example.com"), hdr(":path", "/a") };
    (void)state;
    /* Reserved (local): the client may not send HEADERS there (RFC 9113
     * 5.1), a connection error. */
    pair_open();
    assert_int_equal(h2_send_headers(&client_conn, 1, get_request, 4, 1, NULL, 0), H2_OK);
    assert_int_equal(transfer(&client_conn, &server_conn), H2_OK);
    assert_int_equal(h2_push_stream(&server_conn, 1, 2, pushed, 4), H2_OK);
    (void)take_wire(&server_conn);
    size_t n = raw_frame(buf, H2_FRAME_HEADERS, H2_FLAG_END_HEADERS, 2,
                         (const uint8_t *)"\x88", 1);
    assert_int_equal(feed_server_raw(buf, n), H2_E_PROTOCOL);
    expect_goaway(&server_conn, H2_PROTOCOL_ERROR);
    /* Reserved (remote): nor may the server send WINDOW_UPDATE there. */
    pair_open();
    assert_int_equal(h2_send_headers(&client_conn, 1, get_request, 4, 1, NULL, 0), H2_OK);
    assert_int_equal(transfer(&client_conn, &server_conn), H2_OK);
    assert_int_equal(h2_push_stream(&server_conn, 1, 2, pushed, 4), H2_OK);
    assert_int_equal(transfer(&server_conn, &client_conn), H2_OK);
    n = raw_frame(buf, H2_FRAME_WINDOW_UPDATE, 0, 2, (const uint8_t *)"\0\0\0\x01", 4);
    clear_events();
    assert_int_equal(feed(&client_conn, buf, n), H2_E_PROTOCOL);
    expect_goaway(&client_conn, H2_PROTOCOL_ERROR);
}

static void test_input_split_at_every_byte(void **state)
{
    (void)state;
    /* One conversation's bytes from the client, fed to fresh servers
     * split at every offset, give the same events. */
    pair_open();
    const h2_header post[] = {
        hdr(":method", "POST"), hdr(":scheme", "http"), hdr(":authority", "a"),
        hdr(":path", "/x"), hdr("cookie", "k=v; k2=v2"),
    };
    assert_int_equal(h2_send_headers(&client_conn, 1, post, 5, 0, NULL, 0), H2_OK);
    assert_int_equal(h2_send_data(&client_conn, 1, (const uint8_t *)"payload!", 8, 0, 3), H2_OK);
    assert_int_equal(h2_ping(&client_conn, (const uint8_t *)"abcdefgh"), H2_OK);
    const h2_header tr[] = { hdr("t", "1") };
    assert_int_equal(h2_send_headers(&client_conn, 1, tr, 1, 1, NULL, 0), H2_OK);
    static uint8_t convo[4096];
    size_t n = take_wire(&client_conn);
    memcpy(convo, wire, n);
    for (size_t cut = 0; cut <= n; cut++) {
        /* A fresh, opened server each time: the bytes were made by a
         * client whose HPACK state started fresh too. */
        pair_open();
        assert_int_equal(feed(&server_conn, convo, cut), H2_OK);
        assert_int_equal(feed(&server_conn, convo + cut, n - cut), H2_OK);
        const recorded_event *d = find_event(H2_EVENT_DATA_RECEIVED, 0);
        size_t got = 0;
        for (size_t i = 0; i < event_count; i++) {
            if (events[i].ev.type == H2_EVENT_DATA_RECEIVED) {
                assert_memory_equal(events[i].data, &"payload!"[got], events[i].data_len);
                got += events[i].data_len;
            }
        }
        assert_non_null(d);
        assert_int_equal(got, 8);
        const recorded_event *r = find_event(H2_EVENT_REQUEST_RECEIVED, 0);
        assert_non_null(r);
        assert_string_equal(header_value(r, "cookie"), "k=v; k2=v2");
        assert_non_null(find_event(H2_EVENT_PING_RECEIVED, 0));
        assert_non_null(find_event(H2_EVENT_TRAILERS_RECEIVED, 0));
        assert_non_null(find_event(H2_EVENT_STREAM_ENDED, 0));
    }
}


static void test_rst_on_idle_stream_is_connection_error(void **state)
{
    uint8_t buf[32];
    (void)state;
    pair_open();
    size_t n = raw_frame(buf, H2_FRAME_RST_STREAM, 0, 5, (const uint8_t *)"\0\0\0\x08", 4);
    assert_int_equal(feed_server_raw(buf, n), H2_E_PROTOCOL);
    expect_goaway(&server_conn, H2_PROTOCOL_ERROR);
}

static void test_headers_on_closed_streams(void **state)
{
    uint8_t buf[64];
    (void)state;
    pair_open();
    assert_int_equal(h2_send_headers(&client_conn, 3, get_request, 4, 1, NULL, 0), H2_OK);
    assert_int_equal(transfer(&client_conn, &server_conn), H2_OK);
    (void)take_wire(&server_conn);
    /* Stream 1 was skipped: implicitly closed. :method GET, :path /,
     * :scheme http, :authority a. */
    const uint8_t block[] = { 0x82, 0x84, 0x86, 0x41, 0x01, 'a' };
    size_t n = raw_frame(buf, H2_FRAME_HEADERS, H2_FLAG_END_HEADERS | H2_FLAG_END_STREAM, 1,
                         block, sizeof block);
    assert_int_equal(feed_server_raw(buf, n), H2_OK);
    assert_null(find_event(H2_EVENT_REQUEST_RECEIVED, 0));
    expect_rst(&server_conn, 1, H2_STREAM_CLOSED);
    /* Stream 3 ended: more HEADERS on it are a stream error too. */
    n = raw_frame(buf, H2_FRAME_HEADERS, H2_FLAG_END_HEADERS | H2_FLAG_END_STREAM, 3,
                  block, sizeof block);
    assert_int_equal(feed_server_raw(buf, n), H2_OK);
    expect_rst(&server_conn, 3, H2_STREAM_CLOSED);
}

static void test_frames_after_our_reset_are_ignored(void **state)
{
    (void)state;
    pair_open();
    assert_int_equal(h2_send_headers(&client_conn, 1, get_request, 4, 0, NULL, 0), H2_OK);
    assert_int_equal(transfer(&client_conn, &server_conn), H2_OK);
    assert_int_equal(h2_reset_stream(&server_conn, 1, H2_CANCEL), H2_OK);
    (void)take_wire(&server_conn);
    /* The client sends before it hears of the reset. */
    static uint8_t body[20000];
    assert_int_equal(h2_send_data(&client_conn, 1, body, 16384, 0, 0), H2_OK);
    assert_int_equal(h2_send_data(&client_conn, 1, body, 16384, 1, 0), H2_OK);
    clear_events();
    assert_int_equal(transfer(&client_conn, &server_conn), H2_OK);
    assert_int_equal(event_count, 0);
    size_t n = take_wire(&server_conn);
    assert_null(find_frame(wire, n, H2_FRAME_RST_STREAM));
    /* The connection window was handed back for the dropped bytes (half
     * the window's worth: the usual threshold). */
    const uint8_t *wu = find_frame(wire, n, H2_FRAME_WINDOW_UPDATE);
    assert_non_null(wu);
    assert_int_equal(frame_u32(wu + 5), 0);
    assert_int_equal(frame_u32(wu + 9), 32768);
}

static void test_push_promise_rules(void **state)
{
    uint8_t buf[64];
    (void)state;
    pair_open();
    /* Clients never push. */
    size_t n = raw_frame(buf, H2_FRAME_PUSH_PROMISE, H2_FLAG_END_HEADERS, 1,
                         (const uint8_t *)"\0\0\0\x02\x82", 5);
    assert_int_equal(h2_send_headers(&client_conn, 1, get_request, 4, 0, NULL, 0), H2_OK);
    assert_int_equal(transfer(&client_conn, &server_conn), H2_OK);
    assert_int_equal(feed_server_raw(buf, n), H2_E_PROTOCOL);
    expect_goaway(&server_conn, H2_PROTOCOL_ERROR);
    /* An odd promised id is the server's error. */
    pair_open();
    assert_int_equal(h2_send_headers(&client_conn, 1, get_request, 4, 0, NULL, 0), H2_OK);
    n = raw_frame(buf, H2_FRAME_PUSH_PROMISE, H2_FLAG_END_HEADERS, 1,
                  (const uint8_t *)"\0\0\0\x03\x82", 5);
    clear_events();
    assert_int_equal(feed(&client_conn, buf, n), H2_E_PROTOCOL);
    expect_goaway(&client_conn, H2_PROTOCOL_ERROR);
    /* HEADERS opening an even stream without a PUSH_PROMISE. */
    pair_open();
    n = raw_frame(buf, H2_FRAME_HEADERS, H2_FLAG_END_HEADERS, 2, (const uint8_t *)"\x88", 1);
    clear_events();
    assert_int_equal(feed(&client_conn, buf, n), H2_E_PROTOCOL);
    expect_goaway(&client_conn, H2_PROTOCOL_ERROR);
}

static void test_inbound_header_rules(void **state)
{
    (void)state;
    /* Each block is sent by a client with validation switched off, so the
     * server sees exactly what a careless peer would send. */
    struct { const h2_header *h; size_t n; } bad[4];
    const h2_header te[] = { hdr(":method", "GET"), hdr(":scheme", "http"), hdr(":authority", "a"),
                             hdr(":path", "/"), hdr("te", "gzip") };
    const h2_header mismatch[] = { hdr(":method", "GET"), hdr(":scheme", "http"),
                                   hdr(":authority", "a"), hdr(":path", "/"), hdr("host", "b") };
    const h2_header dup_path[] = { hdr(":method", "GET"), hdr(":scheme", "http"),
                                   hdr(":authority", "a"), hdr(":path", "/"), hdr(":path", "/x") };
    const h2_header connect_path[] = { hdr(":method", "CONNECT"), hdr(":authority", "a:443"),
                                       hdr(":path", "/") };
    bad[0].h = te; bad[0].n = 5;
    bad[1].h = mismatch; bad[1].n = 5;
    bad[2].h = dup_path; bad[2].n = 5;
    bad[3].h = connect_path; bad[3].n = 3;
    for (int i = 0; i < 4; i++) {
        pair_open();
        client_conn.config.validate_outbound_headers = 0;
        assert_int_equal(h2_send_headers(&client_conn, 1, bad[i].h, bad[i].n, 1, NULL, 0), H2_OK);
        assert_int_equal(transfer(&client_conn, &server_conn), H2_OK);
        assert_null(find_event(H2_EVENT_REQUEST_RECEIVED, 0));
        expect_rst(&server_conn, 1, H2_PROTOCOL_ERROR);
    }
    /* A plain CONNECT is fine. */
    pair_open();
    const h2_header connect[] = { hdr(":method", "CONNECT"), hdr(":authority", "a:443") };
    assert_int_equal(h2_send_headers(&client_conn, 1, connect, 2, 0, NULL, 0), H2_OK);
    assert_int_equal(transfer(&client_conn, &server_conn), H2_OK);
    assert_non_null(find_event(H2_EVENT_REQUEST_RECEIVED, 0));
    /* Extended CONNECT needs the server to have enabled it. */
    const h2_header ws[] = { hdr(":method", "CONNECT"), hdr(":protocol", "websocket"),
                             hdr(":scheme", "https"), hdr(":authority", "a"), hdr(":path", "/chat") };
    assert_int_equal(h2_send_headers(&client_conn, 3, ws, 5, 0, NULL, 0), H2_E_PROTOCOL);
    h2_setting on[] = { { H2_SETTINGS_ENABLE_CONNECT_PROTOCOL, 1 } };
    assert_int_equal(h2_update_settings(&server_conn, on, 1), H2_OK);
    assert_int_equal(transfer(&server_conn, &client_conn), H2_OK);
    assert_int_equal(transfer(&client_conn, &server_conn), H2_OK);
    assert_int_equal(h2_send_headers(&client_conn, 3, ws, 5, 0, NULL, 0), H2_OK);
    clear_events();
    assert_int_equal(transfer(&client_conn, &server_conn), H2_OK);
    const recorded_event *r = find_event(H2_EVENT_REQUEST_RECEIVED, 0);
    assert_non_null(r);
    assert_string_equal(header_value(r, ":protocol"), "websocket");
}

static void test_trailer_rules(void **state)
{
    (void)state;
    pair_open();
    assert_int_equal(h2_send_headers(&client_conn, 1, get_request, 4, 0, NULL, 0), H2_OK);
    assert_int_equal(transfer(&client_conn, &server_conn), H2_OK);
    client_conn.config.validate_outbound_headers = 0;
    const h2_header pseudo[] = { hdr(":path", "/again") };
    assert_int_equal(h2_send_headers(&client_conn, 1, pseudo, 1, 1, NULL, 0), H2_OK);
    clear_events();
    assert_int_equal(transfer(&client_conn, &server_conn), H2_OK);
    assert_null(find_event(H2_EVENT_TRAILERS_RECEIVED, 0));
    expect_rst(&server_conn, 1, H2_PROTOCOL_ERROR);
    /* Trailers without END_STREAM, from a raw peer. */
    pair_open();
    assert_int_equal(h2_send_headers(&client_conn, 1, get_request, 4, 0, NULL, 0), H2_OK);
    assert_int_equal(transfer(&client_conn, &server_conn), H2_OK);
    uint8_t buf[32];
    size_t n = raw_frame(buf, H2_FRAME_HEADERS, H2_FLAG_END_HEADERS, 1,
                         (const uint8_t *)"\x40\x01t\x01v", 5);
    assert_int_equal(feed_server_raw(buf, n), H2_OK);
    expect_rst(&server_conn, 1, H2_PROTOCOL_ERROR);
}

static void test_empty_data_allowed_with_negative_window(void **state)
{
    (void)state;
    pair_open();
    static uint8_t body[16384];
    assert_int_equal(h2_send_headers(&client_conn, 1, get_request, 4, 0, NULL, 0), H2_OK);
    assert_int_equal(h2_send_data(&client_conn, 1, body, 16384, 0, 0), H2_OK);
    h2_setting s[] = { { H2_SETTINGS_INITIAL_WINDOW_SIZE, 1000 } };
    assert_int_equal(h2_update_settings(&server_conn, s, 1), H2_OK);
    assert_int_equal(transfer(&server_conn, &client_conn), H2_OK);
    int32_t w = 0;
    assert_int_equal(h2_local_flow_control_window(&client_conn, 1, &w), H2_OK);
    assert_int_equal(w, 1000 - 16384);
    assert_int_equal(h2_send_data(&client_conn, 1, body, 1, 0, 0), H2_E_FLOW_CONTROL);
    assert_int_equal(h2_send_data(&client_conn, 1, NULL, 0, 1, 0), H2_OK);
}

static void test_header_table_size_reaches_hpack(void **state)
{
    (void)state;
    pair_open();
    h2_setting s[] = { { H2_SETTINGS_HEADER_TABLE_SIZE, 0 } };
    assert_int_equal(h2_update_settings(&server_conn, s, 1), H2_OK);
    assert_int_equal(transfer(&server_conn, &client_conn), H2_OK);
    assert_int_equal(client_conn.encoder.table.max_size, 0);
    assert_int_equal(transfer(&client_conn, &server_conn), H2_OK);
    assert_int_equal(server_conn.decoder.table_size_limit, 0);
    for (uint32_t id = 1; id <= 5; id += 2) {
        assert_int_equal(h2_send_headers(&client_conn, id, get_request, 4, 1, NULL, 0), H2_OK);
    }
    clear_events();
    assert_int_equal(transfer(&client_conn, &server_conn), H2_OK);
    assert_int_equal(count_events(H2_EVENT_REQUEST_RECEIVED), 3);
    assert_int_equal(server_conn.decoder.table.count, 0);
}

static void test_receive_stops_when_outbound_is_full(void **state)
{
    (void)state;
    pair_open();
    /* Fill the server's outbound buffer. */
    while (h2_ping(&server_conn, (const uint8_t *)"fillfill") == H2_OK) {
    }
    uint8_t pings[17 * 4];
    size_t n = 0;
    for (int i = 0; i < 4; i++) {
        n += raw_frame(pings + n, H2_FRAME_PING, 0, 0, (const uint8_t *)"01234567", 8);
    }
    h2_event ev;
    size_t used = 0;
    assert_int_equal(h2_recv(&server_conn, pings, n, &used, &ev), H2_E_WOULD_BLOCK);
    assert_int_equal(used, 0);
    assert_int_equal(server_conn.state, H2_CONN_OPEN);
    (void)take_wire(&server_conn);
    clear_events();
    assert_int_equal(feed(&server_conn, pings, n), H2_OK);
    assert_int_equal(count_events(H2_EVENT_PING_RECEIVED), 4);
}

static void test_settings_ack_with_payload(void **state)
{
    uint8_t buf[32];
    (void)state;
    pair_open();
    size_t n = raw_frame(buf, H2_FRAME_SETTINGS, H2_FLAG_ACK, 0,
                         (const uint8_t *)"\0\x01\0\0\0\0", 6);
    assert_int_equal(feed_server_raw(buf, n), H2_E_FRAME_SIZE);
    expect_goaway(&server_conn, H2_FRAME_SIZE_ERROR);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_client_preface_and_settings),
        cmocka_unit_test(test_settings_exchange_events),
        cmocka_unit_test(test_update_settings_takes_effect_on_ack),
        cmocka_unit_test(test_invalid_local_settings_change_nothing),
        cmocka_unit_test(test_get_request_and_response),
        cmocka_unit_test(test_post_body_and_trailers),
        cmocka_unit_test(test_content_length_mismatch_resets_stream),
        cmocka_unit_test(test_informational_response),
        cmocka_unit_test(test_large_header_block_uses_continuation),
        cmocka_unit_test(test_cookies_split_on_send_joined_on_receive),
        cmocka_unit_test(test_outbound_header_violations_write_nothing),
        cmocka_unit_test(test_outbound_private_flags_do_not_skip_checks),
        cmocka_unit_test(test_fields_in_encoder_table_sent_indexed),
        cmocka_unit_test(test_stream_ids_must_increase),
        cmocka_unit_test(test_stream_id_exhaustion),
        cmocka_unit_test(test_too_many_outbound_streams),
        cmocka_unit_test(test_send_data_respects_windows),
        cmocka_unit_test(test_window_update_and_acknowledge),
        cmocka_unit_test(test_padded_data_counts_padding),
        cmocka_unit_test(test_initial_window_change_adjusts_streams),
        cmocka_unit_test(test_ping_is_acknowledged),
        cmocka_unit_test(test_reset_stream_both_ways),
        cmocka_unit_test(test_goaway_with_error_closes),
        cmocka_unit_test(test_graceful_goaway_refuses_later_streams),
        cmocka_unit_test(test_server_push),
        cmocka_unit_test(test_push_refused_when_disabled),
        cmocka_unit_test(test_priority_and_altsvc_and_unknown),
        cmocka_unit_test(test_bad_preface),
        cmocka_unit_test(test_data_on_stream_zero_and_idle),
        cmocka_unit_test(test_continuation_rules),
        cmocka_unit_test(test_invalid_peer_settings),
        cmocka_unit_test(test_window_update_errors),
        cmocka_unit_test(test_frame_size_errors),
        cmocka_unit_test(test_self_dependency),
        cmocka_unit_test(test_malformed_request_is_a_stream_error),
        cmocka_unit_test(test_invalid_table_entry_checked_again),
        cmocka_unit_test(test_hpack_garbage_is_compression_error),
        cmocka_unit_test(test_data_beyond_window_and_after_end),
        cmocka_unit_test(test_refused_stream_over_limit),
        cmocka_unit_test(test_would_block_writes_nothing),
        cmocka_unit_test(test_upgrade),
        cmocka_unit_test(test_upgrade_and_push_refusals),
        cmocka_unit_test(test_frames_on_reserved_streams),
        cmocka_unit_test(test_input_split_at_every_byte),
        cmocka_unit_test(test_rst_on_idle_stream_is_connection_error),
        cmocka_unit_test(test_headers_on_closed_streams),
        cmocka_unit_test(test_frames_after_our_reset_are_ignored),
        cmocka_unit_test(test_push_promise_rules),
        cmocka_unit_test(test_inbound_header_rules),
        cmocka_unit_test(test_trailer_rules),
        cmocka_unit_test(test_empty_data_allowed_with_negative_window),
        cmocka_unit_test(test_header_table_size_reaches_hpack),
        cmocka_unit_test(test_receive_stops_when_outbound_is_full),
        cmocka_unit_test(test_settings_ack_with_payload),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
