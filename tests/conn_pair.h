/* A libh2 client and server wired together in memory, for tests. */
#ifndef H2_TEST_CONN_PAIR_H
#define H2_TEST_CONN_PAIR_H

#include "test_util.h"

#define MAX_EVENTS 256

typedef struct recorded_event {
    h2_event ev;
    /* Copies of what the event points at (valid only during the call). */
    uint8_t data[65536];
    uint32_t data_len;
    char headers[64][2][256];
    uint32_t header_count;
} recorded_event;

static h2_conn client_conn, server_conn;
static recorded_event events[MAX_EVENTS];
static size_t event_count;
static uint8_t wire[1 << 20];

static void record(const h2_event *e)
{
    recorded_event *r;
    assert_true(event_count < MAX_EVENTS);
    r = &events[event_count++];
    memset(r, 0, sizeof *r);
    r->ev = *e;
    if (e->type == H2_EVENT_DATA_RECEIVED && e->data_len > 0) {
        assert_true(e->data_len <= sizeof r->data);
        memcpy(r->data, e->data, e->data_len);
        r->data_len = e->data_len;
    }
    if (e->headers != NULL) {
        for (uint32_t i = 0; i < e->headers->count && i < 64; i++) {
            h2_header h;
            h2_event_header(e, i, &h);
            snprintf(r->headers[i][0], 256, "%.*s", (int)h.name_len, (const char *)h.name);
            snprintf(r->headers[i][1], 256, "%.*s", (int)h.value_len, (const char *)h.value);
        }
        r->header_count = e->headers->count;
    }
}

/* Feeds bytes to a connection, recording every event; returns the final
 * status (H2_OK when all bytes were taken). */
static h2_status feed(h2_conn *c, const uint8_t *in, size_t len)
{
    size_t pos = 0;
    for (;;) {
        h2_event ev;
        size_t used = 0;
        h2_status st = h2_recv(c, in + pos, len - pos, &used, &ev);
        pos += used;
        if (ev.type != H2_EVENT_NONE) {
            record(&ev);
        }
        if (st != H2_OK) {
            return st;
        }
        if (ev.type == H2_EVENT_NONE && pos == len) {
            return H2_OK;
        }
    }
}

/* Moves everything `from` has queued into `to`. */
static h2_status transfer(h2_conn *from, h2_conn *to)
{
    size_t n = h2_data_to_send(from, wire, sizeof wire);
    return feed(to, wire, n);
}

/* Bytes `from` has queued, taken out (for tests that look at the wire). */
static size_t take_wire(h2_conn *from)
{
    return h2_data_to_send(from, wire, sizeof wire);
}

static void clear_events(void)
{
    event_count = 0;
}

static const recorded_event *find_event(h2_event_type type, size_t nth)
{
    for (size_t i = 0; i < event_count; i++) {
        if (events[i].ev.type == type && nth-- == 0) {
            return &events[i];
        }
    }
    return NULL;
}

static size_t count_events(h2_event_type type)
{
    size_t n = 0;
    for (size_t i = 0; i < event_count; i++) {
        n += events[i].ev.type == type;
    }
    return n;
}

static const char *header_value(const recorded_event *r, const char *name)
{
    for (uint32_t i = 0; i < r->header_count; i++) {
        if (strcmp(r->headers[i][0], name) == 0) {
            return r->headers[i][1];
        }
    }
    return NULL;
}

static h2_header hdr(const char *name, const char *value)
{
    h2_header h;
    h.name = (const uint8_t *)name;
    h.name_len = (uint32_t)strlen(name);
    h.value = (const uint8_t *)value;
    h.value_len = (uint32_t)strlen(value);
    h.flags = 0;
    return h;
}

/* Both sides initiated and their SETTINGS exchanged and acknowledged. */
static void pair_open(void)
{
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
    clear_events();
}

static const h2_header get_request[] = {
    { (const uint8_t *)":method", 7, (const uint8_t *)"GET", 3, 0 },
    { (const uint8_t *)":scheme", 7, (const uint8_t *)"https", 5, 0 },
    { (const uint8_t *)":authority", 10, (const uint8_t *)"example.com", 11, 0 },
    { (const uint8_t *)":path", 5, (const uint8_t *)"/", 1, 0 },
};

static const h2_header ok_response[] = {
    { (const uint8_t *)":status", 7, (const uint8_t *)"200", 3, 0 },
    { (const uint8_t *)"content-type", 12, (const uint8_t *)"text/plain", 10, 0 },
};

/* Writes a raw frame into buf; returns its size. */
static size_t raw_frame(uint8_t *buf, uint8_t type, uint8_t flags, uint32_t stream,
                        const uint8_t *payload, size_t len)
{
    buf[0] = (uint8_t)(len >> 16);
    buf[1] = (uint8_t)(len >> 8);
    buf[2] = (uint8_t)len;
    buf[3] = type;
    buf[4] = flags;
    buf[5] = (uint8_t)(stream >> 24);
    buf[6] = (uint8_t)(stream >> 16);
    buf[7] = (uint8_t)(stream >> 8);
    buf[8] = (uint8_t)stream;
    if (len > 0) {
        memcpy(buf + 9, payload, len);
    }
    return 9 + len;
}

/* The first frame of type `type` in wire[0..n), or NULL. */
static const uint8_t *find_frame(const uint8_t *w, size_t n, uint8_t type)
{
    size_t pos = 0;
    while (pos + 9 <= n) {
        size_t len = ((size_t)w[pos] << 16) | ((size_t)w[pos + 1] << 8) | w[pos + 2];
        if (w[pos + 3] == type) {
            return w + pos;
        }
        pos += 9 + len;
    }
    return NULL;
}

static uint32_t frame_u32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

/* c has queued a RST_STREAM for stream with code, and stays open. */
static void expect_rst(h2_conn *c, uint32_t stream, uint32_t code)
{
    size_t n = take_wire(c);
    const uint8_t *r = find_frame(wire, n, H2_FRAME_RST_STREAM);
    assert_non_null(r);
    assert_int_equal(frame_u32(r + 5) & 0x7fffffffu, stream);
    assert_int_equal(frame_u32(r + 9), code);
    assert_int_equal(c->state, H2_CONN_OPEN);
}

#endif
