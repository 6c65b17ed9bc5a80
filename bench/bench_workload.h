/*
 * The workload both benchmarks run, so that libh2 and nghttp2 do exactly
 * the same thing: the request and response fields, the body, the checks
 * each side makes, the command line and the report line.
 *
 * Request i goes on stream 2i + 1 (one connection, ids in order), so both
 * servers can check that the :path they decoded is the one sent.
 */
#ifndef BENCH_WORKLOAD_H
#define BENCH_WORKLOAD_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Keeps the per-side entry points out of line, so that callgrind reports
 * their inclusive cost as the cost of that side. */
#define BENCH_SIDE __attribute__((noinline))

#define BENCH_MAX_REQUESTS 1000000u
#define BENCH_MAX_BODY 1048576u
#define BENCH_MAX_CONCURRENCY 128u /* both servers advertise 128 */

/* ---- the request: 8 fields, :path varies ---- */

#define REQ_METHOD "GET"
#define REQ_SCHEME "https"
#define REQ_AUTHORITY "www.example.com"
#define REQ_PATH_PREFIX "/api/v1/items/"
#define REQ_PATH_SUFFIX "?format=json&lang=en"
#define REQ_USER_AGENT "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
#define REQ_ACCEPT "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
#define REQ_ACCEPT_ENCODING "gzip, deflate, br"
#define REQ_COOKIE "session=5f2b8c1e9a7d4e6f8b3c2a1d0e9f8a7b; theme=dark; consent=yes"
#define REQ_FIELD_COUNT 8u

/* ---- the response: 5 fields and the body ---- */

#define RESP_STATUS "200"
#define RESP_CONTENT_TYPE "application/json; charset=utf-8"
#define RESP_SERVER "bench"
#define RESP_DATE "Mon, 01 Jan 2024 00:00:00 GMT"
#define RESP_FIELD_COUNT 5u

#define STRLEN(s) ((uint32_t)(sizeof(s) - 1u))

static void bench_fail(const char *what, uint32_t stream_id)
{
    fprintf(stderr, "bench: %s (stream %u)\n", what, (unsigned)stream_id);
    exit(2);
}

/* Byte o of every body: the client checks the first byte of each chunk
 * it gets against it, which catches misplaced or reordered data. */
static uint8_t body_byte(uint32_t offset)
{
    return (uint8_t)('a' + offset % 26u);
}

static uint8_t body[BENCH_MAX_BODY];

static void body_init(uint32_t size)
{
    for (uint32_t i = 0; i < size; i++) {
        body[i] = body_byte(i);
    }
}

/* Decimal digits of v into out (no terminator); returns how many. A
 * hand-rolled formatter: snprintf would cost as much as the protocol. */
static uint32_t format_u32(char *out, uint32_t v)
{
    char tmp[10];
    uint32_t n = 0, i;
    do {
        tmp[n++] = (char)('0' + v % 10u);
        v /= 10u;
    } while (v != 0u);
    for (i = 0; i < n; i++) {
        out[i] = tmp[n - 1u - i];
    }
    return n;
}

/* The :path of request idx into out (at least 64 bytes); returns its
 * length. */
static uint32_t format_path(char *out, uint32_t idx)
{
    uint32_t n = STRLEN(REQ_PATH_PREFIX);
    memcpy(out, REQ_PATH_PREFIX, n);
    n += format_u32(out + n, idx);
    memcpy(out + n, REQ_PATH_SUFFIX, STRLEN(REQ_PATH_SUFFIX));
    return n + STRLEN(REQ_PATH_SUFFIX);
}

static int field_is(const uint8_t *p, size_t len, const char *s, uint32_t slen)
{
    return len == slen && memcmp(p, s, slen) == 0;
}

/* 1 when a :path value is the one request idx sent. */
static int path_matches(const uint8_t *value, size_t len, uint32_t idx)
{
    char expect[64];
    uint32_t n = format_path(expect, idx);
    return len == n && memcmp(value, expect, n) == 0;
}

static uint32_t stream_index(uint32_t stream_id)
{
    return (stream_id - 1u) / 2u;
}

/* ---- per-request bookkeeping, shared by both implementations ---- */

/* What the server saw of each request: regular checks set bits. */
#define SEEN_PATH 0x01u
#define SEEN_COOKIE 0x02u
#define SEEN_METHOD 0x04u
static uint8_t server_seen[BENCH_MAX_REQUESTS];
static uint8_t server_fields[BENCH_MAX_REQUESTS];
/* What the client saw of each response. */
#define SEEN_STATUS 0x01u
#define SEEN_LENGTH 0x02u
static uint8_t client_seen[BENCH_MAX_REQUESTS];
static uint8_t client_fields[BENCH_MAX_REQUESTS];
static uint32_t client_body[BENCH_MAX_REQUESTS];

/* Server: one decoded request field of stream_id. */
static void server_check_field(uint32_t stream_id, const uint8_t *name, size_t name_len,
                               const uint8_t *value, size_t value_len)
{
    uint32_t idx = stream_index(stream_id);
    server_fields[idx]++;
    if (field_is(name, name_len, ":path", 5u)) {
        if (!path_matches(value, value_len, idx)) {
            bench_fail("server: wrong :path", stream_id);
        }
        server_seen[idx] |= SEEN_PATH;
    } else if (field_is(name, name_len, ":method", 7u)) {
        if (!field_is(value, value_len, REQ_METHOD, STRLEN(REQ_METHOD))) {
            bench_fail("server: wrong :method", stream_id);
        }
        server_seen[idx] |= SEEN_METHOD;
    } else if (field_is(name, name_len, "cookie", 6u)) {
        if (!field_is(value, value_len, REQ_COOKIE, STRLEN(REQ_COOKIE))) {
            bench_fail("server: wrong cookie", stream_id);
        }
        server_seen[idx] |= SEEN_COOKIE;
    }
}

/* Server: the request on stream_id is complete (END_STREAM seen). */
static void server_check_request(uint32_t stream_id)
{
    uint32_t idx = stream_index(stream_id);
    if (server_seen[idx] != (SEEN_PATH | SEEN_COOKIE | SEEN_METHOD) ||
        server_fields[idx] != REQ_FIELD_COUNT) {
        bench_fail("server: incomplete request", stream_id);
    }
}

/* Client: one decoded response field of stream_id. */
static void client_check_field(uint32_t stream_id, const uint8_t *name, size_t name_len,
                               const uint8_t *value, size_t value_len,
                               const char *content_length, uint32_t content_length_len)
{
    uint32_t idx = stream_index(stream_id);
    client_fields[idx]++;
    if (field_is(name, name_len, ":status", 7u)) {
        if (!field_is(value, value_len, RESP_STATUS, STRLEN(RESP_STATUS))) {
            bench_fail("client: wrong :status", stream_id);
        }
        client_seen[idx] |= SEEN_STATUS;
    } else if (field_is(name, name_len, "content-length", 14u)) {
        if (!field_is(value, value_len, content_length, content_length_len)) {
            bench_fail("client: wrong content-length", stream_id);
        }
        client_seen[idx] |= SEEN_LENGTH;
    }
}

/* Client: a chunk of the body of stream_id. */
static void client_check_data(uint32_t stream_id, const uint8_t *data, size_t len,
                              uint32_t body_size)
{
    uint32_t idx = stream_index(stream_id);
    uint32_t have = client_body[idx];
    if (len == 0u) {
        return;
    }
    if ((uint64_t)have + len > body_size || data[0] != body_byte(have)) {
        bench_fail("client: wrong body bytes", stream_id);
    }
    client_body[idx] = have + (uint32_t)len;
}

/* Client: the response on stream_id is complete (END_STREAM seen). */
static void client_check_response(uint32_t stream_id, uint32_t body_size)
{
    uint32_t idx = stream_index(stream_id);
    if (client_seen[idx] != (SEEN_STATUS | SEEN_LENGTH) ||
        client_fields[idx] != RESP_FIELD_COUNT || client_body[idx] != body_size) {
        bench_fail("client: incomplete response", stream_id);
    }
}

static void bookkeeping_reset(uint32_t requests)
{
    memset(server_seen, 0, requests);
    memset(server_fields, 0, requests);
    memset(client_seen, 0, requests);
    memset(client_fields, 0, requests);
    memset(client_body, 0, (size_t)requests * sizeof client_body[0]);
}

/* ---- command line, clock, report ---- */

typedef struct bench_args {
    uint32_t requests;
    uint32_t body_size;
    uint32_t concurrency; /* requests per round */
    uint32_t repeat;      /* runs; the fastest is reported */
    uint32_t lean;        /* libh2 only: outbound validation and
                             normalization off, as nghttp2 does */
} bench_args;

static uint32_t arg_u32(const char *s, uint32_t lo, uint32_t hi, const char *what)
{
    char *end;
    unsigned long v = strtoul(s, &end, 10);
    if (*s == '\0' || *end != '\0' || v < lo || v > hi) {
        fprintf(stderr, "bench: %s must be %u..%u\n", what, (unsigned)lo, (unsigned)hi);
        exit(1);
    }
    return (uint32_t)v;
}

static bench_args parse_args(int argc, char **argv)
{
    bench_args a = { 10000u, 1024u, 100u, 1u, 0u };
    for (int i = 1; i < argc; i++) {
        if (i + 1 >= argc) {
            fprintf(stderr, "usage: %s [-n requests] [-b body_bytes] [-c concurrency] "
                    "[-r repeat] [-l 0|1]\n", argv[0]);
            exit(1);
        }
        if (strcmp(argv[i], "-n") == 0) {
            a.requests = arg_u32(argv[++i], 1u, BENCH_MAX_REQUESTS, "-n");
        } else if (strcmp(argv[i], "-b") == 0) {
            a.body_size = arg_u32(argv[++i], 0u, BENCH_MAX_BODY, "-b");
        } else if (strcmp(argv[i], "-c") == 0) {
            a.concurrency = arg_u32(argv[++i], 1u, BENCH_MAX_CONCURRENCY, "-c");
        } else if (strcmp(argv[i], "-r") == 0) {
            a.repeat = arg_u32(argv[++i], 1u, 1000u, "-r");
        } else if (strcmp(argv[i], "-l") == 0) {
            a.lean = arg_u32(argv[++i], 0u, 1u, "-l");
        } else {
            fprintf(stderr, "bench: unknown option %s\n", argv[i]);
            exit(1);
        }
    }
    return a;
}

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* What one run measured. */
typedef struct bench_result {
    uint64_t total_ns;
    uint64_t wire_to_server; /* bytes, preface and control frames included */
    uint64_t wire_to_client;
    uint64_t body_bytes;     /* checked by the client */
    uint32_t responses;
} bench_result;

/* The line run.sh reads: key=value pairs. */
static void report(const char *impl, const bench_args *a, const bench_result *best)
{
    double n = (double)a->requests;
    printf("impl=%s requests=%u body=%u concurrency=%u repeat=%u lean=%u ns_per_req=%.1f "
           "wire_to_server_per_req=%.1f wire_to_client_per_req=%.1f\n",
           impl, (unsigned)a->requests, (unsigned)a->body_size, (unsigned)a->concurrency,
           (unsigned)a->repeat, (unsigned)a->lean, (double)best->total_ns / n, (double)best->wire_to_server / n,
           (double)best->wire_to_client / n);
}

/* Aborts unless every request got its whole response. */
static void check_totals(const bench_args *a, const bench_result *r)
{
    if (r->responses != a->requests ||
        r->body_bytes != (uint64_t)a->requests * a->body_size) {
        fprintf(stderr, "bench: %u responses, %llu body bytes: expected %u and %llu\n",
                (unsigned)r->responses, (unsigned long long)r->body_bytes,
                (unsigned)a->requests, (unsigned long long)a->requests * a->body_size);
        exit(2);
    }
}

/* ---- the run: the same driver for both implementations ---- */

/* Where the run stands; the implementations update it. */
typedef struct bench_state {
    const bench_args *args;
    char content_length[16]; /* the response's content-length value */
    uint32_t content_length_len;
    uint32_t submitted;   /* requests sent (their HEADERS queued) */
    uint32_t round_left;  /* requests of the current round not yet sent */
    uint32_t in_flight;   /* sent, response not complete */
    uint32_t responses;   /* complete and checked */
    uint64_t body_bytes;
} bench_state;

static bench_state state;

/* The client starts a new round of up to `concurrency` requests once the
 * previous round is complete; returns the requests this call may send. */
static uint32_t round_quota(void)
{
    if (state.round_left == 0u && state.in_flight == 0u &&
        state.submitted < state.args->requests) {
        uint32_t left = state.args->requests - state.submitted;
        state.round_left = left < state.args->concurrency ? left : state.args->concurrency;
    }
    return state.round_left;
}

static void request_sent(void)
{
    state.submitted++;
    state.round_left--;
    state.in_flight++;
}

/* Client: END_STREAM of a response. */
static void response_done(uint32_t stream_id)
{
    client_check_response(stream_id, state.args->body_size);
    state.responses++;
    state.in_flight--;
    state.body_bytes += state.args->body_size;
}

/*
 * Each implementation defines these. The bench_client_* ones are all the
 * client does, the bench_server_* ones all the server does; callgrind's
 * inclusive costs of the two groups are the cost of each side.
 *   open: a new connection, its preface/SETTINGS queued
 *   submit: send the requests round_quota() allows
 *   output: the bytes queued for the peer (0: none), at *out
 *   output_done: the peer took n of them
 *   input: take bytes from the peer and act on the events; returns how
 *       many were taken (fewer than len: drain our output first)
 *   respond (server): send what responses the windows and buffer allow
 *   close: free the connection
 */
static void bench_client_open(void);
static void bench_server_open(void);
static void bench_client_submit(void);
static size_t bench_client_output(const uint8_t **out);
static void bench_client_output_done(size_t n);
static size_t bench_server_input(const uint8_t *in, size_t len);
static void bench_server_respond(void);
static size_t bench_server_output(const uint8_t **out);
static void bench_server_output_done(size_t n);
static size_t bench_client_input(const uint8_t *in, size_t len);
static void bench_client_close(void);
static void bench_server_close(void);

/* Moves bytes one way until the sender has none or the receiver stops
 * taking them; returns the bytes moved. */
static uint64_t pump(size_t (*output)(const uint8_t **), void (*output_done)(size_t),
                     size_t (*input)(const uint8_t *, size_t))
{
    uint64_t moved = 0;
    for (;;) {
        const uint8_t *p;
        size_t n = output(&p);
        size_t used;
        if (n == 0u) {
            return moved;
        }
        used = input(p, n);
        output_done(used);
        moved += used;
        if (used < n) {
            return moved;
        }
    }
}

/* One connection serving every request; the target of callgrind's
 * --toggle-collect. */
__attribute__((noinline)) static void run_workload(const bench_args *a, bench_result *r)
{
    uint64_t start;
    memset(&state, 0, sizeof state);
    state.args = a;
    state.content_length_len = format_u32(state.content_length, a->body_size);
    bookkeeping_reset(a->requests);
    memset(r, 0, sizeof *r);

    start = now_ns();
    bench_client_open();
    bench_server_open();
    while (state.responses < a->requests) {
        uint32_t submitted = state.submitted;
        uint64_t to_server, to_client;
        bench_client_submit();
        to_server = pump(bench_client_output, bench_client_output_done, bench_server_input);
        bench_server_respond();
        to_client = pump(bench_server_output, bench_server_output_done, bench_client_input);
        r->wire_to_server += to_server;
        r->wire_to_client += to_client;
        if (to_server == 0u && to_client == 0u && submitted == state.submitted) {
            bench_fail("no progress", 0u);
        }
    }
    bench_client_close();
    bench_server_close();
    r->total_ns = now_ns() - start;
    r->responses = state.responses;
    r->body_bytes = state.body_bytes;
}

/* Runs the workload `repeat` times, checks each run, reports the
 * fastest. */
static int bench_main(const char *impl, int argc, char **argv)
{
    bench_args a = parse_args(argc, argv);
    bench_result best = { 0, 0, 0, 0, 0 };
    body_init(a.body_size);
    for (uint32_t i = 0; i < a.repeat; i++) {
        bench_result r;
        run_workload(&a, &r);
        check_totals(&a, &r);
        if (i == 0u || r.total_ns < best.total_ns) {
            best = r;
        }
    }
    report(impl, &a, &best);
    return 0;
}

#endif
