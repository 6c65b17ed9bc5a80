/*
 * The request/response workload of bench_workload.h on libh2: a client
 * and a server connection in this process, bytes handed over in memory
 * without a copy (h2_outbound_peek() of one side is the other's input).
 *
 * The client hands flow-control credit back with
 * h2_acknowledge_received_data() as it takes each DATA event, which sends
 * WINDOW_UPDATE once half a window has been processed. The server sends
 * each body in frames no larger than the peer's max frame size and the
 * flow-control windows, in request order, and waits for WINDOW_UPDATE
 * when a window is empty; when the outbound buffer is full it stops until
 * the driver has drained it.
 */
#include "h2.h"

#include "bench_workload.h"

static h2_conn client, server;

#define FIELD(n, v) { (const uint8_t *)(n), STRLEN(n), (const uint8_t *)(v), STRLEN(v), 0u }

/* :path (index 3) is filled in per request. */
static h2_header request_fields[REQ_FIELD_COUNT] = {
    FIELD(":method", REQ_METHOD),
    FIELD(":scheme", REQ_SCHEME),
    FIELD(":authority", REQ_AUTHORITY),
    FIELD(":path", "/"),
    FIELD("user-agent", REQ_USER_AGENT),
    FIELD("accept", REQ_ACCEPT),
    FIELD("accept-encoding", REQ_ACCEPT_ENCODING),
    FIELD("cookie", REQ_COOKIE),
};

/* content-length (index 2) is set from the body size. */
static h2_header response_fields[RESP_FIELD_COUNT] = {
    FIELD(":status", RESP_STATUS),
    FIELD("content-type", RESP_CONTENT_TYPE),
    FIELD("content-length", "0"),
    FIELD("server", RESP_SERVER),
    FIELD("date", RESP_DATE),
};

/* Server: complete requests whose response is not finished, in order,
 * and how much of each body has gone out. */
static uint32_t pending[BENCH_MAX_CONCURRENCY];
static uint32_t pending_count;
static uint8_t headers_sent[BENCH_MAX_REQUESTS];
static uint32_t body_sent[BENCH_MAX_REQUESTS];

static void must(h2_status st, const char *what, uint32_t stream_id)
{
    if (st != H2_OK) {
        fprintf(stderr, "bench: %s: %s\n", what, h2_status_name(st));
        bench_fail("libh2 call failed", stream_id);
    }
}

static void open_conn(h2_conn *c, int client_side)
{
    h2_config cfg;
    h2_config_init(&cfg, client_side);
    if (state.args->lean) {
        /* What nghttp2 does with the fields it sends: no checks, no
         * cookie splitting, no never-indexed flags. */
        cfg.validate_outbound_headers = 0u;
        cfg.normalize_outbound_headers = 0u;
    }
    h2_conn_init(c, &cfg);
    must(h2_initiate_connection(c), "h2_initiate_connection", 0u);
}

BENCH_SIDE static void bench_client_open(void)
{
    open_conn(&client, 1);
}

BENCH_SIDE static void bench_server_open(void)
{
    open_conn(&server, 0);
    response_fields[2].value = (const uint8_t *)state.content_length;
    response_fields[2].value_len = state.content_length_len;
    pending_count = 0;
    memset(headers_sent, 0, state.args->requests);
    memset(body_sent, 0, (size_t)state.args->requests * sizeof body_sent[0]);
}

BENCH_SIDE static void bench_client_submit(void)
{
    static char path[64];
    uint32_t quota = round_quota();
    while (quota-- > 0u) {
        uint32_t id;
        h2_status st;
        must(h2_get_next_available_stream_id(&client, &id), "next stream id", 0u);
        if (stream_index(id) != state.submitted) {
            bench_fail("client: unexpected stream id", id);
        }
        request_fields[3].value = (const uint8_t *)path;
        request_fields[3].value_len = format_path(path, state.submitted);
        st = h2_send_headers(&client, id, request_fields, REQ_FIELD_COUNT, 1, NULL, 0u);
        if (st == H2_E_WOULD_BLOCK) {
            return; /* the rest once the buffer is drained */
        }
        must(st, "h2_send_headers (request)", id);
        request_sent();
    }
}

static size_t output(h2_conn *c, const uint8_t **out)
{
    size_t len;
    *out = h2_outbound_peek(c, &len);
    return len;
}

BENCH_SIDE static size_t bench_client_output(const uint8_t **out)
{
    return output(&client, out);
}

BENCH_SIDE static size_t bench_server_output(const uint8_t **out)
{
    return output(&server, out);
}

BENCH_SIDE static void bench_client_output_done(size_t n)
{
    h2_outbound_consume(&client, n);
}

BENCH_SIDE static void bench_server_output_done(size_t n)
{
    h2_outbound_consume(&server, n);
}

/* Calls h2_recv() until the input is used up and no event is left;
 * stops early when the connection must drain its output first. Returns
 * the bytes taken. */
#define RECV_LOOP(conn, handle)                                                 \
    size_t pos = 0;                                                            \
    for (;;) {                                                                 \
        h2_event ev;                                                           \
        size_t used = 0;                                                       \
        h2_status st = h2_recv(&(conn), in + pos, len - pos, &used, &ev);      \
        pos += used;                                                           \
        if (ev.type != H2_EVENT_NONE) {                                        \
            handle(&ev);                                                       \
        }                                                                      \
        if (st == H2_E_WOULD_BLOCK) {                                          \
            return pos;                                                        \
        }                                                                      \
        must(st, "h2_recv", ev.stream_id);                                     \
        if (ev.type == H2_EVENT_NONE) {                                        \
            if (pos == len) {                                                  \
                return pos;                                                    \
            }                                                                  \
            if (used == 0u) {                                                  \
                bench_fail("h2_recv made no progress", 0u);                    \
            }                                                                  \
        }                                                                      \
    }

static void server_event(const h2_event *ev)
{
    switch (ev->type) {
    case H2_EVENT_REQUEST_RECEIVED:
        for (uint32_t i = 0; i < ev->headers->count; i++) {
            h2_header h;
            h2_event_header(ev, i, &h);
            server_check_field(ev->stream_id, h.name, h.name_len, h.value, h.value_len);
        }
        break;
    case H2_EVENT_STREAM_ENDED:
        server_check_request(ev->stream_id);
        if (pending_count == BENCH_MAX_CONCURRENCY) {
            bench_fail("server: too many pending requests", ev->stream_id);
        }
        pending[pending_count++] = ev->stream_id;
        break;
    case H2_EVENT_STREAM_RESET:
    case H2_EVENT_CONNECTION_TERMINATED:
    case H2_EVENT_DATA_RECEIVED:
        bench_fail("server: unexpected event", ev->stream_id);
        break;
    default: /* settings, their ACK, window updates */
        break;
    }
}

BENCH_SIDE static size_t bench_server_input(const uint8_t *in, size_t len)
{
    RECV_LOOP(server, server_event)
}

static void client_event(const h2_event *ev)
{
    switch (ev->type) {
    case H2_EVENT_RESPONSE_RECEIVED:
        for (uint32_t i = 0; i < ev->headers->count; i++) {
            h2_header h;
            h2_event_header(ev, i, &h);
            client_check_field(ev->stream_id, h.name, h.name_len, h.value, h.value_len,
                               state.content_length, state.content_length_len);
        }
        break;
    case H2_EVENT_DATA_RECEIVED:
        client_check_data(ev->stream_id, ev->data, ev->data_len, state.args->body_size);
        /* The bytes are used at once: hand the credit back. */
        must(h2_acknowledge_received_data(&client, ev->flow_controlled_length, ev->stream_id),
             "h2_acknowledge_received_data", ev->stream_id);
        break;
    case H2_EVENT_STREAM_ENDED:
        response_done(ev->stream_id);
        break;
    case H2_EVENT_STREAM_RESET:
    case H2_EVENT_CONNECTION_TERMINATED:
        bench_fail("client: unexpected event", ev->stream_id);
        break;
    default:
        break;
    }
}

BENCH_SIDE static size_t bench_client_input(const uint8_t *in, size_t len)
{
    RECV_LOOP(client, client_event)
}

/* Sends what it can of one response: 1 when it is complete, 0 when it
 * waits for a window; *blocked when the outbound buffer is full. */
static int respond_one(uint32_t id, int *blocked)
{
    uint32_t idx = stream_index(id);
    uint32_t size = state.args->body_size;
    uint32_t max_frame = h2_max_outbound_frame_size(&server);
    if (!headers_sent[idx]) {
        h2_status st = h2_send_headers(&server, id, response_fields, RESP_FIELD_COUNT,
                                       size == 0u, NULL, 0u);
        if (st == H2_E_WOULD_BLOCK) {
            *blocked = 1;
            return 0;
        }
        must(st, "h2_send_headers (response)", id);
        headers_sent[idx] = 1;
    }
    while (body_sent[idx] < size) {
        int32_t window;
        uint32_t chunk = size - body_sent[idx];
        h2_status st;
        /* The connection's window first: no stream lookup when it is shut. */
        must(h2_local_flow_control_window(&server, 0u, &window), "window", 0u);
        if (window > 0) {
            must(h2_local_flow_control_window(&server, id, &window), "window", id);
        }
        if (window <= 0) {
            return 0;
        }
        chunk = chunk < max_frame ? chunk : max_frame;
        chunk = chunk < (uint32_t)window ? chunk : (uint32_t)window;
        st = h2_send_data(&server, id, body + body_sent[idx], chunk,
                          body_sent[idx] + chunk == size, 0u);
        if (st == H2_E_WOULD_BLOCK) {
            *blocked = 1;
            return 0;
        }
        must(st, "h2_send_data", id);
        body_sent[idx] += chunk;
    }
    return 1;
}

BENCH_SIDE static void bench_server_respond(void)
{
    uint32_t kept = 0;
    int blocked = 0;
    for (uint32_t i = 0; i < pending_count; i++) {
        uint32_t id = pending[i];
        if (blocked || !respond_one(id, &blocked)) {
            pending[kept++] = id;
        }
    }
    pending_count = kept;
}

BENCH_SIDE static void bench_client_close(void)
{
    /* Nothing to free: the connection is plain memory. */
}

BENCH_SIDE static void bench_server_close(void)
{
}

int main(int argc, char **argv)
{
    return bench_main("libh2", argc, argv);
}
