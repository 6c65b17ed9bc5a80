/*
 * The request/response workload of bench_workload.h on nghttp2, for
 * comparison with bench_h2.c: the same fields, body, checks and driver.
 *
 * Bytes go from nghttp2_session_mem_send() (a pointer into the session's
 * own buffer, one frame at a time) straight to the peer's
 * nghttp2_session_mem_recv(), without a copy, as libh2's peek does.
 *
 * Differences in how the two are driven, each nghttp2's usual way:
 *   - flow control: nghttp2's automatic WINDOW_UPDATE (the default) counts
 *     DATA as consumed when it reaches on_data_chunk_recv_callback and
 *     sends an update once half a window is consumed; libh2's client calls
 *     h2_acknowledge_received_data(), with the same half-window policy.
 *   - the server submits each response from on_frame_recv_callback with a
 *     data provider; nghttp2 frames the body itself (16 KiB frames, window
 *     permitting) and copies it into its buffer from the read callback
 *     during mem_send. libh2's server calls h2_send_data() per frame.
 *   - request fields are passed with NGHTTP2_NV_FLAG_NO_COPY_NAME/VALUE,
 *     nghttp2's cheapest way (their storage outlives the frame here).
 *   - nghttp2 validates received fields (HTTP messaging, on by default),
 *     as libh2 does.
 */
#include <nghttp2/nghttp2.h>

#include "bench_workload.h"

static nghttp2_session *client, *server;

#define NV(n, v)                                                                \
    { (uint8_t *)(n), (uint8_t *)(v), sizeof(n) - 1u, sizeof(v) - 1u,           \
      NGHTTP2_NV_FLAG_NO_COPY_NAME | NGHTTP2_NV_FLAG_NO_COPY_VALUE }

/* :path (index 3) points at a per-request buffer: nghttp2 encodes the
 * fields only when mem_send gets to the frame. */
static nghttp2_nv request_fields[REQ_FIELD_COUNT] = {
    NV(":method", REQ_METHOD),
    NV(":scheme", REQ_SCHEME),
    NV(":authority", REQ_AUTHORITY),
    NV(":path", "/"),
    NV("user-agent", REQ_USER_AGENT),
    NV("accept", REQ_ACCEPT),
    NV("accept-encoding", REQ_ACCEPT_ENCODING),
    NV("cookie", REQ_COOKIE),
};
static char paths[BENCH_MAX_CONCURRENCY][64];

/* content-length (index 2) is set from the body size. */
static nghttp2_nv response_fields[RESP_FIELD_COUNT] = {
    NV(":status", RESP_STATUS),
    NV("content-type", RESP_CONTENT_TYPE),
    NV("content-length", "0"),
    NV("server", RESP_SERVER),
    NV("date", RESP_DATE),
};

/* Server: how much of each body has gone out. */
static uint32_t body_sent[BENCH_MAX_REQUESTS];

static void must(int rv, const char *what, uint32_t stream_id)
{
    if (rv < 0) {
        fprintf(stderr, "bench: %s: %s\n", what, nghttp2_strerror(rv));
        bench_fail("nghttp2 call failed", stream_id);
    }
}

/* The same SETTINGS as libh2 sends by default. */
static void submit_settings(nghttp2_session *s)
{
    const nghttp2_settings_entry iv[] = {
        { NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, 128u },
        { NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE, 16384u },
    };
    must(nghttp2_submit_settings(s, NGHTTP2_FLAG_NONE, iv, 2u), "nghttp2_submit_settings", 0u);
}

static int stream_close(nghttp2_session *s, int32_t stream_id, uint32_t error_code,
                        void *user_data)
{
    (void)s;
    (void)user_data;
    if (error_code != NGHTTP2_NO_ERROR) {
        bench_fail("stream closed with an error", (uint32_t)stream_id);
    }
    return 0;
}

/* ---- client ---- */

static int client_header(nghttp2_session *s, const nghttp2_frame *frame, const uint8_t *name,
                         size_t namelen, const uint8_t *value, size_t valuelen, uint8_t flags,
                         void *user_data)
{
    (void)s;
    (void)flags;
    (void)user_data;
    if (frame->hd.type == NGHTTP2_HEADERS && frame->headers.cat == NGHTTP2_HCAT_RESPONSE) {
        client_check_field((uint32_t)frame->hd.stream_id, name, namelen, value, valuelen,
                           state.content_length, state.content_length_len);
    }
    return 0;
}

static int client_data(nghttp2_session *s, uint8_t flags, int32_t stream_id,
                       const uint8_t *data, size_t len, void *user_data)
{
    (void)s;
    (void)flags;
    (void)user_data;
    client_check_data((uint32_t)stream_id, data, len, state.args->body_size);
    return 0;
}

static int client_frame(nghttp2_session *s, const nghttp2_frame *frame, void *user_data)
{
    (void)s;
    (void)user_data;
    if ((frame->hd.type == NGHTTP2_HEADERS || frame->hd.type == NGHTTP2_DATA) &&
        (frame->hd.flags & NGHTTP2_FLAG_END_STREAM) != 0) {
        response_done((uint32_t)frame->hd.stream_id);
    }
    return 0;
}

BENCH_SIDE static void bench_client_open(void)
{
    nghttp2_session_callbacks *cb;
    must(nghttp2_session_callbacks_new(&cb), "callbacks", 0u);
    nghttp2_session_callbacks_set_on_header_callback(cb, client_header);
    nghttp2_session_callbacks_set_on_data_chunk_recv_callback(cb, client_data);
    nghttp2_session_callbacks_set_on_frame_recv_callback(cb, client_frame);
    nghttp2_session_callbacks_set_on_stream_close_callback(cb, stream_close);
    must(nghttp2_session_client_new(&client, cb, NULL), "nghttp2_session_client_new", 0u);
    nghttp2_session_callbacks_del(cb);
    submit_settings(client);
}

BENCH_SIDE static void bench_client_submit(void)
{
    uint32_t quota = round_quota();
    while (quota-- > 0u) {
        char *path = paths[state.submitted % BENCH_MAX_CONCURRENCY];
        int32_t id;
        request_fields[3].value = (uint8_t *)path;
        request_fields[3].valuelen = format_path(path, state.submitted);
        id = nghttp2_submit_request(client, NULL, request_fields, REQ_FIELD_COUNT, NULL, NULL);
        must(id, "nghttp2_submit_request", 0u);
        if (stream_index((uint32_t)id) != state.submitted) {
            bench_fail("client: unexpected stream id", (uint32_t)id);
        }
        request_sent();
    }
}

static size_t output(nghttp2_session *s, const uint8_t **out)
{
    ssize_t n = nghttp2_session_mem_send(s, out);
    must((int)n, "nghttp2_session_mem_send", 0u);
    return (size_t)n;
}

BENCH_SIDE static size_t bench_client_output(const uint8_t **out)
{
    return output(client, out);
}

BENCH_SIDE static void bench_client_output_done(size_t n)
{
    (void)n; /* mem_recv takes everything */
}

BENCH_SIDE static size_t bench_client_input(const uint8_t *in, size_t len)
{
    ssize_t n = nghttp2_session_mem_recv(client, in, len);
    must((int)n, "client nghttp2_session_mem_recv", 0u);
    return (size_t)n;
}

BENCH_SIDE static void bench_client_close(void)
{
    nghttp2_session_del(client);
}

/* ---- server ---- */

static int server_header(nghttp2_session *s, const nghttp2_frame *frame, const uint8_t *name,
                         size_t namelen, const uint8_t *value, size_t valuelen, uint8_t flags,
                         void *user_data)
{
    (void)s;
    (void)flags;
    (void)user_data;
    if (frame->hd.type == NGHTTP2_HEADERS && frame->headers.cat == NGHTTP2_HCAT_REQUEST) {
        server_check_field((uint32_t)frame->hd.stream_id, name, namelen, value, valuelen);
    }
    return 0;
}

static ssize_t read_body(nghttp2_session *s, int32_t stream_id, uint8_t *buf,
                               size_t length, uint32_t *data_flags,
                               nghttp2_data_source *source, void *user_data)
{
    uint32_t idx = stream_index((uint32_t)stream_id);
    uint32_t left = state.args->body_size - body_sent[idx];
    size_t n = left < length ? left : length;
    (void)s;
    (void)source;
    (void)user_data;
    memcpy(buf, body + body_sent[idx], n);
    body_sent[idx] += (uint32_t)n;
    if (body_sent[idx] == state.args->body_size) {
        *data_flags |= NGHTTP2_DATA_FLAG_EOF;
    }
    return (ssize_t)n;
}

static int server_frame(nghttp2_session *s, const nghttp2_frame *frame, void *user_data)
{
    (void)user_data;
    if (frame->hd.type == NGHTTP2_DATA) {
        bench_fail("server: unexpected DATA", (uint32_t)frame->hd.stream_id);
    }
    if (frame->hd.type == NGHTTP2_HEADERS && (frame->hd.flags & NGHTTP2_FLAG_END_STREAM) != 0) {
        uint32_t id = (uint32_t)frame->hd.stream_id;
        nghttp2_data_provider provider;
        server_check_request(id);
        provider.source.ptr = NULL;
        provider.read_callback = read_body;
        must(nghttp2_submit_response(s, frame->hd.stream_id, response_fields, RESP_FIELD_COUNT,
                                     state.args->body_size > 0u ? &provider : NULL),
             "nghttp2_submit_response", id);
    }
    return 0;
}

BENCH_SIDE static void bench_server_open(void)
{
    nghttp2_session_callbacks *cb;
    must(nghttp2_session_callbacks_new(&cb), "callbacks", 0u);
    nghttp2_session_callbacks_set_on_header_callback(cb, server_header);
    nghttp2_session_callbacks_set_on_frame_recv_callback(cb, server_frame);
    nghttp2_session_callbacks_set_on_stream_close_callback(cb, stream_close);
    must(nghttp2_session_server_new(&server, cb, NULL), "nghttp2_session_server_new", 0u);
    nghttp2_session_callbacks_del(cb);
    submit_settings(server);
    response_fields[2].value = (uint8_t *)state.content_length;
    response_fields[2].valuelen = state.content_length_len;
    memset(body_sent, 0, (size_t)state.args->requests * sizeof body_sent[0]);
}

BENCH_SIDE static size_t bench_server_input(const uint8_t *in, size_t len)
{
    ssize_t n = nghttp2_session_mem_recv(server, in, len);
    must((int)n, "server nghttp2_session_mem_recv", 0u);
    return (size_t)n;
}

BENCH_SIDE static void bench_server_respond(void)
{
    /* Responses were submitted from on_frame_recv_callback; mem_send
     * frames them. */
}

BENCH_SIDE static size_t bench_server_output(const uint8_t **out)
{
    return output(server, out);
}

BENCH_SIDE static void bench_server_output_done(size_t n)
{
    (void)n;
}

BENCH_SIDE static void bench_server_close(void)
{
    nghttp2_session_del(server);
}

int main(int argc, char **argv)
{
    for (int i = 1; i + 1 < argc; i++) {
        if (strcmp(argv[i], "-l") == 0 && strcmp(argv[i + 1], "0") != 0) {
            fprintf(stderr, "bench: -l applies to libh2 only\n");
            return 1;
        }
    }
    return bench_main("nghttp2", argc, argv);
}
