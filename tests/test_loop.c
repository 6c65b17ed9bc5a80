/*
 * A libh2 client against a libh2 server, in memory: thousands of requests
 * with random header sets, bodies of random size through small windows,
 * trailers, resets from either side and server push. Every byte of every
 * body is checked, in order.
 */
#include "test_util.h"

#define REQUESTS 10000u
#define CONCURRENT 8u
#define MAX_TRACKED 64u

static h2_conn client, server;
static uint8_t wire[1 << 17];
static uint8_t body_buf[16384];

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint32_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 32);
}

/* The body bytes both sides agree on, from the stream and direction. */
static uint8_t body_byte(uint32_t stream, uint64_t offset, uint32_t dir)
{
    uint64_t x = (uint64_t)stream * 2654435761u + offset * 40503u + dir * 977u;
    x ^= x >> 17;
    return (uint8_t)(x * 31u >> 5);
}

static uint32_t request_len(uint32_t stream) { return (stream * 7919u) % 9000u; }
static uint32_t response_len(uint32_t stream) { return (stream * 104729u) % 12000u; }
static uint32_t push_len(uint32_t stream) { return (stream * 31u) % 3000u; }

typedef struct side_stream {
    uint32_t id;        /* 0: free */
    uint64_t to_send;   /* body bytes still to send */
    uint64_t sent;
    uint64_t received;  /* body bytes received and checked */
    uint64_t expect;    /* body bytes expected */
    int trailers;       /* send trailers after the body */
    int headers_sent;
    int done_receiving;
    int pushed;
} side_stream;

static side_stream cli[MAX_TRACKED], srv[MAX_TRACKED];
static uint32_t completed, resets, pushes, trailers_seen;
static uint64_t bytes_checked;

static side_stream *track(side_stream *tab, uint32_t id)
{
    for (uint32_t i = 0; i < MAX_TRACKED; i++) {
        if (tab[i].id == id) {
            return &tab[i];
        }
    }
    for (uint32_t i = 0; i < MAX_TRACKED; i++) {
        if (tab[i].id == 0) {
            memset(&tab[i], 0, sizeof tab[i]);
            tab[i].id = id;
            return &tab[i];
        }
    }
    fail_msg("too many tracked streams");
    return NULL;
}

static side_stream *lookup(side_stream *tab, uint32_t id)
{
    for (uint32_t i = 0; i < MAX_TRACKED; i++) {
        if (tab[i].id == id) {
            return &tab[i];
        }
    }
    return NULL;
}

static void check_data(side_stream *s, const h2_event *e, uint32_t dir)
{
    for (uint32_t i = 0; i < e->data_len; i++) {
        if (e->data[i] != body_byte(s->id, s->received + i, dir)) {
            fail_msg("stream %u byte %llu differs", s->id,
                     (unsigned long long)(s->received + i));
        }
    }
    s->received += e->data_len;
    bytes_checked += e->data_len;
    assert_true(s->received <= s->expect);
}

static const char *rand_token(char *buf, size_t cap)
{
    size_t n = 1 + rnd() % (cap - 2);
    for (size_t i = 0; i < n; i++) {
        buf[i] = (char)('a' + rnd() % 26);
    }
    buf[n] = 0;
    return buf;
}

static void start_response(side_stream *s)
{
    char len[16];
    h2_header resp[3];
    resp[0] = (h2_header){ (const uint8_t *)":status", 7, (const uint8_t *)"200", 3, 0 };
    snprintf(len, sizeof len, "%u", response_len(s->id));
    resp[1] = (h2_header){ (const uint8_t *)"content-length", 14, (const uint8_t *)len,
                           (uint32_t)strlen(len), 0 };
    resp[2] = (h2_header){ (const uint8_t *)"server", 6, (const uint8_t *)"libh2", 5, 0 };
    if (rnd() % 20u == 0u) {
        /* Push a resource first. */
        uint32_t promised = 0;
        assert_int_equal(h2_get_next_available_stream_id(&server, &promised), H2_OK);
        h2_header req[4] = {
            { (const uint8_t *)":method", 7, (const uint8_t *)"GET", 3, 0 },
            { (const uint8_t *)":scheme", 7, (const uint8_t *)"https", 5, 0 },
            { (const uint8_t *)":authority", 10, (const uint8_t *)"loop", 4, 0 },
            { (const uint8_t *)":path", 5, (const uint8_t *)"/pushed", 7, 0 },
        };
        if (h2_push_stream(&server, s->id, promised, req, 4) == H2_OK) {
            side_stream *p = track(srv, promised);
            p->pushed = 1;
            p->to_send = push_len(promised);
            char plen[16];
            snprintf(plen, sizeof plen, "%u", push_len(promised));
            h2_header presp[2] = {
                { (const uint8_t *)":status", 7, (const uint8_t *)"200", 3, 0 },
                { (const uint8_t *)"content-length", 14, (const uint8_t *)plen,
                  (uint32_t)strlen(plen), 0 },
            };
            assert_int_equal(h2_send_headers(&server, promised, presp, 2,
                                             p->to_send == 0, NULL, 0), H2_OK);
            p->headers_sent = 1;
            if (p->to_send == 0) {
                p->id = 0;
            }
        }
    }
    if (rnd() % 50u == 0u) {
        /* The server gives up on this one. */
        assert_int_equal(h2_reset_stream(&server, s->id, H2_INTERNAL_ERROR), H2_OK);
        s->id = 0;
        return;
    }
    s->to_send = response_len(s->id);
    s->trailers = rnd() % 5u == 0u;
    int end = s->to_send == 0 && !s->trailers;
    assert_int_equal(h2_send_headers(&server, s->id, resp, 3, end, NULL, 0), H2_OK);
    s->headers_sent = 1;
    if (end) {
        s->id = 0;
    }
}

static void server_event(const h2_event *e)
{
    side_stream *s;
    switch (e->type) {
    case H2_EVENT_REQUEST_RECEIVED:
        s = track(srv, e->stream_id);
        s->expect = request_len(e->stream_id);
        if (e->stream_ended) {
            start_response(s);
        }
        break;
    case H2_EVENT_DATA_RECEIVED:
        s = lookup(srv, e->stream_id);
        assert_non_null(s);
        check_data(s, e, 0);
        assert_int_equal(h2_acknowledge_received_data(&server, e->flow_controlled_length,
                                                      e->stream_id), H2_OK);
        if (e->stream_ended) {
            assert_int_equal(s->received, s->expect);
            start_response(s);
        }
        break;
    case H2_EVENT_TRAILERS_RECEIVED:
        s = lookup(srv, e->stream_id);
        assert_non_null(s);
        trailers_seen++;
        assert_int_equal(s->received, s->expect);
        start_response(s);
        break;
    case H2_EVENT_STREAM_RESET:
        s = lookup(srv, e->stream_id);
        if (s != NULL) {
            s->id = 0;
        }
        break;
    case H2_EVENT_NONE:
    case H2_EVENT_STREAM_ENDED:
    case H2_EVENT_WINDOW_UPDATED:
    case H2_EVENT_REMOTE_SETTINGS_CHANGED:
    case H2_EVENT_SETTINGS_ACKNOWLEDGED:
    case H2_EVENT_PING_ACK_RECEIVED:
        break;
    default:
        fail_msg("server got event %d", e->type);
    }
}

static void client_event(const h2_event *e)
{
    side_stream *s;
    switch (e->type) {
    case H2_EVENT_RESPONSE_RECEIVED:
        s = lookup(cli, e->stream_id);
        assert_non_null(s);
        s->expect = s->pushed ? push_len(e->stream_id) : response_len(e->stream_id);
        s->received = 0;
        if (e->stream_ended) {
            assert_int_equal(s->expect, 0);
            completed += !s->pushed;
            s->id = 0;
        }
        break;
    case H2_EVENT_PUSHED_STREAM_RECEIVED:
        s = track(cli, e->stream_id);
        s->pushed = 1;
        pushes++;
        break;
    case H2_EVENT_DATA_RECEIVED:
        s = lookup(cli, e->stream_id);
        assert_non_null(s);
        check_data(s, e, s->pushed ? 2u : 1u);
        assert_int_equal(h2_acknowledge_received_data(&client, e->flow_controlled_length,
                                                      e->stream_id), H2_OK);
        if (e->stream_ended) {
            assert_int_equal(s->received, s->expect);
            completed += !s->pushed;
            s->id = 0;
        }
        break;
    case H2_EVENT_TRAILERS_RECEIVED:
        s = lookup(cli, e->stream_id);
        assert_non_null(s);
        trailers_seen++;
        assert_int_equal(s->received, s->expect);
        completed += !s->pushed;
        s->id = 0;
        break;
    case H2_EVENT_STREAM_RESET:
        s = lookup(cli, e->stream_id);
        if (s != NULL) {
            completed += !s->pushed;
            resets++;
            s->id = 0;
        }
        break;
    case H2_EVENT_NONE:
    case H2_EVENT_STREAM_ENDED:
    case H2_EVENT_WINDOW_UPDATED:
    case H2_EVENT_REMOTE_SETTINGS_CHANGED:
    case H2_EVENT_SETTINGS_ACKNOWLEDGED:
        break;
    default:
        fail_msg("client got event %d", e->type);
    }
}

/* Moves from's bytes to `to`, handing each event to handle. */
static int pump(h2_conn *from, h2_conn *to, void (*handle)(const h2_event *))
{
    size_t n = h2_data_to_send(from, wire, sizeof wire);
    size_t pos = 0;
    for (;;) {
        h2_event ev;
        size_t used = 0;
        h2_status st = h2_recv(to, wire + pos, n - pos, &used, &ev);
        pos += used;
        if (ev.type != H2_EVENT_NONE) {
            handle(&ev);
        }
        assert_int_equal(st, H2_OK);
        if (ev.type == H2_EVENT_NONE && pos == n) {
            break;
        }
    }
    return n > 0;
}

/* Sends what the windows allow on every stream of a side. */
static int send_bodies(h2_conn *c, side_stream *tab, uint32_t dir)
{
    int progress = 0;
    for (uint32_t i = 0; i < MAX_TRACKED; i++) {
        side_stream *s = &tab[i];
        while (s->id != 0 && s->headers_sent && s->to_send > 0) {
            int32_t w = 0;
            assert_int_equal(h2_local_flow_control_window(c, s->id, &w), H2_OK);
            if (w <= 0) {
                break;
            }
            uint64_t n = s->to_send;
            if (n > (uint64_t)w) n = (uint64_t)w;
            if (n > h2_max_outbound_frame_size(c)) n = h2_max_outbound_frame_size(c);
            if (n > sizeof body_buf) n = sizeof body_buf;
            for (uint64_t k = 0; k < n; k++) {
                body_buf[k] = body_byte(s->id, s->sent + k, s->pushed ? 2u : dir);
            }
            int last = (n == s->to_send) && !s->trailers;
            uint8_t pad = (uint8_t)(rnd() % 4u == 0u ? rnd() % 16u : 0u);
            if (n + (pad ? pad + 1u : 0u) > (uint64_t)w) pad = 0;
            h2_status st = h2_send_data(c, s->id, body_buf, (size_t)n, last, pad);
            if (st == H2_E_WOULD_BLOCK) {
                return progress;
            }
            assert_int_equal(st, H2_OK);
            progress = 1;
            s->sent += n;
            s->to_send -= n;
            if (s->to_send == 0) {
                if (s->trailers) {
                    char v[24];
                    h2_header t = { (const uint8_t *)"x-trailer", 9,
                                    (const uint8_t *)rand_token(v, sizeof v), 0, 0 };
                    t.value_len = (uint32_t)strlen(v);
                    assert_int_equal(h2_send_headers(c, s->id, &t, 1, 1, NULL, 0), H2_OK);
                }
                if (c == &server) {
                    s->id = 0;
                } else {
                    s->to_send = 0;
                }
            }
        }
    }
    return progress;
}

static void open_request(uint32_t seq)
{
    uint32_t id = 0;
    assert_int_equal(h2_get_next_available_stream_id(&client, &id), H2_OK);
    side_stream *s = track(cli, id);
    char len[16], names[8][12], values[8][40];
    h2_header req[14];
    size_t n = 0;
    req[n++] = (h2_header){ (const uint8_t *)":method", 7, (const uint8_t *)"POST", 4, 0 };
    req[n++] = (h2_header){ (const uint8_t *)":scheme", 7, (const uint8_t *)"https", 5, 0 };
    req[n++] = (h2_header){ (const uint8_t *)":authority", 10, (const uint8_t *)"loop", 4, 0 };
    req[n++] = (h2_header){ (const uint8_t *)":path", 5, (const uint8_t *)"/upload", 7, 0 };
    snprintf(len, sizeof len, "%u", request_len(id));
    req[n++] = (h2_header){ (const uint8_t *)"content-length", 14, (const uint8_t *)len,
                            (uint32_t)strlen(len), 0 };
    uint32_t extra = rnd() % 8u;
    for (uint32_t k = 0; k < extra; k++) {
        snprintf(names[k], sizeof names[k], "x-h%u", rnd() % 50u);
        rand_token(values[k], sizeof values[k]);
        req[n++] = (h2_header){ (const uint8_t *)names[k], (uint32_t)strlen(names[k]),
                                (const uint8_t *)values[k], (uint32_t)strlen(values[k]),
                                (uint8_t)(rnd() % 10u == 0u ? H2_HEADER_FIELD_NEVER_INDEXED : 0u) };
    }
    s->to_send = request_len(id);
    s->trailers = rnd() % 5u == 0u;
    int end = s->to_send == 0 && !s->trailers;
    assert_int_equal(h2_send_headers(&client, id, req, n, end, NULL, 0), H2_OK);
    s->headers_sent = 1;
    (void)seq;
    if (rnd() % 50u == 0u) {
        /* The client changes its mind. */
        assert_int_equal(h2_reset_stream(&client, id, H2_CANCEL), H2_OK);
        s->id = 0;
        completed++;
        resets++;
    }
}

static uint32_t active_client_requests(void)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < MAX_TRACKED; i++) {
        n += cli[i].id != 0 && !cli[i].pushed;
    }
    return n;
}

static void test_ten_thousand_requests(void **state)
{
    (void)state;
    h2_config cc, sc;
    h2_config_init(&cc, 1);
    h2_config_init(&sc, 0);
    h2_conn_init(&client, &cc);
    h2_conn_init(&server, &sc);
    /* Small windows so flow control is exercised all the time. */
    h2_setting small[] = { { H2_SETTINGS_INITIAL_WINDOW_SIZE, 3000 } };
    assert_int_equal(h2_update_settings(&client, small, 1), H2_OK);
    assert_int_equal(h2_update_settings(&server, small, 1), H2_OK);
    assert_int_equal(h2_initiate_connection(&client), H2_OK);
    assert_int_equal(h2_initiate_connection(&server), H2_OK);

    uint32_t opened = 0;
    uint32_t idle_rounds = 0;
    while (completed < REQUESTS) {
        int progress = 0;
        while (opened < REQUESTS && active_client_requests() < CONCURRENT) {
            open_request(opened++);
            progress = 1;
        }
        progress |= send_bodies(&client, cli, 0);
        progress |= pump(&client, &server, server_event);
        progress |= send_bodies(&server, srv, 1);
        progress |= pump(&server, &client, client_event);
        idle_rounds = progress ? 0 : idle_rounds + 1;
        assert_true(idle_rounds < 5);
    }
    assert_int_equal(completed, REQUESTS);
    assert_true(pushes > 100);
    assert_true(resets > 50);
    assert_true(trailers_seen > 1000);
    assert_true(bytes_checked > 50000000ull);
    assert_int_equal(client.state, H2_CONN_OPEN);
    assert_int_equal(server.state, H2_CONN_OPEN);
    printf("loop: %u requests, %u pushes, %u resets, %u trailers, %llu body bytes checked\n",
           completed, pushes, resets, trailers_seen, (unsigned long long)bytes_checked);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ten_thousand_requests),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
