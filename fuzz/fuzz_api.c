/*
 * API sequences: the input is a script of API calls on a libh2 client and
 * a libh2 server wired together in memory. Bytes travel between them
 * through two pipes, delivered in chunks the script chooses. After every
 * step the harness checks what must hold between two conforming
 * endpoints, and aborts when it does not:
 *
 *   - neither side reports a protocol error, a local stream reset or a
 *     GOAWAY with an error the script did not ask for;
 *   - every window stays within [-(2^31 - 1), 2^31 - 1], and once nothing
 *     is in flight each side's view of a window equals the other's, as do
 *     the settings, the HPACK tables, the streams and their states, and
 *     the open-stream counts;
 *   - every DATA byte arrives once, in order, on its stream (payloads
 *     follow a pattern known from the stream id, direction and offset);
 *   - every header block arrives as it was sent (after the documented
 *     normalization: cookie crumbs split and joined);
 *   - an API call that fails changes nothing.
 *
 * The script stays within what a conforming application may do (it never
 * lies in a GOAWAY, and keeps its content-length promises); anything the
 * library lets through that the peer then rejects is a library bug.
 * Set FUZZ_API_TRACE=1 in the environment to print the steps.
 *
 * Script bytes (tools/gen_seeds.py writes seeds in this form; keep the two
 * in step): a mode byte (1 acknowledge DATA on arrival, 2 drain with
 * peek/consume, 4/8 client/server first SETTINGS from the script, 0x10
 * exchange the prefaces first, 0x20 a second set-up byte follows: 1 HTTP/1.1
 * Upgrade, 2 try calls before h2_initiate_connection(), 4 partial drains;
 * 0x40/0x80 client/server headers sent without normalization), then steps:
 * one byte each, the low nibble the call (0 request, 1 headers on an open
 * stream, 2 DATA, 3 end stream, 4 reset, 5 ping, 6 settings, 7 window
 * increment, 8 acknowledge data, 9 push, 10 priority, 11 GOAWAY, 12
 * ALTSVC, 13 move some bytes one way, 14 move everything and check, 15
 * queries), bit 4 the side (client, server), followed by the call's own
 * bytes as the step functions below take them.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "h2.h"

#define CLIENT 0
#define SERVER 1

#define CHECK(cond)                                                       \
    do {                                                                  \
        if (!(cond)) {                                                    \
            broken(__LINE__, #cond);                                      \
        }                                                                 \
    } while (0)

static void broken(int line, const char *what)
{
    fprintf(stderr, "fuzz_api: invariant broken (line %d): %s\n", line, what);
    abort();
}

static int trace_on = -1;

static void trace(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void trace(const char *fmt, ...)
{
    va_list ap;
    if (trace_on < 0) {
        const char *e = getenv("FUZZ_API_TRACE");
        trace_on = e != NULL && e[0] == '1';
    }
    if (!trace_on) {
        return;
    }
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
}

/* ------------------------------------------------------------------ */
/* The script                                                          */
/* ------------------------------------------------------------------ */

static const uint8_t *script_bytes;
static size_t script_len, script_pos;

static uint8_t take(void)
{
    return script_pos < script_len ? script_bytes[script_pos++] : 0u;
}

static uint32_t take16(void)
{
    uint32_t hi = take();
    return hi * 256u + take();
}

static uint32_t take32(void)
{
    uint32_t hi = take16();
    return hi * 65536u + take16();
}

/* ------------------------------------------------------------------ */
/* The two endpoints and the pipes between them                        */
/* ------------------------------------------------------------------ */

static h2_conn conns[2];

/* pipes[d]: bytes side d has sent that side 1 - d has not yet taken. Large
 * enough that a script of any length the fuzzer tries cannot fill both. */
#define PIPE_CAP (1u << 20)
typedef struct pipe_buf {
    uint8_t bytes[PIPE_CAP];
    size_t head, tail;
} pipe_buf;
static pipe_buf pipes[2];

static int zero_copy;        /* drain with peek/consume instead of a copy */
static size_t drain_cap;     /* most bytes one drain takes from a side */
static int auto_ack;         /* acknowledge DATA as soon as it arrives */
static int terminated;       /* the script closed the connection with an error */
static int stalled;          /* both pipes full: the script stops */
static int refusal_possible[2]; /* side may refuse the other's new streams */
static int goaway_seen[2];   /* side received a GOAWAY */
static uint32_t goaway_last[2];
static uint32_t noted_limit[2]; /* decoder header list limits last seen */

/* ------------------------------------------------------------------ */
/* What the harness expects, per stream                                */
/* ------------------------------------------------------------------ */

#define FIFO_DEPTH 8u
typedef struct block_expect {
    uint64_t hash;
    uint32_t list_size;
    /* The lowest MAX_HEADER_LIST_SIZE the receiver enforced since the
     * block was sent: a limit lowered while the block was in flight
     * (or half decoded) may reject it. */
    uint32_t lowest_limit;
} block_expect;

typedef struct tracker {
    uint32_t id;
    uint8_t reset;           /* reset by either side: later bytes may be lost */
    uint8_t no_body;         /* HEAD request or 204/304: no body from the server */
    uint8_t pushed;
    uint8_t promise_seen;    /* the client reported the push */
    uint32_t parent;         /* of a pushed stream */
    uint64_t sent[2], recvd[2];  /* DATA payload bytes, by direction */
    uint8_t end_sent[2], end_recvd[2];
    uint8_t headers_sent[2]; /* the request, or the final response */
    uint8_t rst_sent[2];
    uint32_t rst_code[2];
    uint8_t has_cl[2];
    uint64_t cl[2];
    uint32_t unacked[2];     /* by the receiving side */
    block_expect fifo[2][FIFO_DEPTH];
    uint8_t fifo_first[2], fifo_count[2], fifo_lost[2];
} tracker;

#define TRACKERS 512u
#define TRACKERS_USABLE 384u
static tracker trackers[TRACKERS];
static uint16_t tracker_used[TRACKERS];
static uint32_t tracker_count;

static tracker *tracker_find(uint32_t id)
{
    uint32_t h = (id * 2654435761u) % TRACKERS;
    for (uint32_t i = 0; i < TRACKERS; i++) {
        tracker *t = &trackers[(h + i) % TRACKERS];
        if (t->id == id) {
            return t;
        }
        if (t->id == 0) {
            return NULL;
        }
    }
    return NULL;
}

static tracker *tracker_new(uint32_t id)
{
    uint32_t h = (id * 2654435761u) % TRACKERS;
    CHECK(tracker_find(id) == NULL);
    for (uint32_t i = 0; i < TRACKERS; i++) {
        uint32_t slot = (h + i) % TRACKERS;
        tracker *t = &trackers[slot];
        if (t->id == 0) {
            memset(t, 0, sizeof *t);
            t->id = id;
            tracker_used[tracker_count++] = (uint16_t)slot;
            return t;
        }
    }
    CHECK(0);
    return NULL;
}

static void trackers_clear(void)
{
    for (uint32_t i = 0; i < tracker_count; i++) {
        trackers[tracker_used[i]].id = 0;
    }
    tracker_count = 0;
    noted_limit[0] = noted_limit[1] = 0xffffffffu;
}

static void fifo_push(tracker *t, int dir, uint64_t hash, uint32_t list_size)
{
    if (t->fifo_count[dir] == FIFO_DEPTH) {
        t->fifo_lost[dir] = 1;
        return;
    }
    block_expect *b = &t->fifo[dir][(t->fifo_first[dir] + t->fifo_count[dir]) % FIFO_DEPTH];
    b->hash = hash;
    b->list_size = list_size;
    b->lowest_limit = conns[1 - dir].decoder.max_header_list_size;
    t->fifo_count[dir]++;
}

/* side's decoder limit may have changed: blocks heading to it are judged
 * by the lowest limit it has had while they were on the way. */
static void note_decoder_limit(int side)
{
    uint32_t limit = conns[side].decoder.max_header_list_size;
    if (limit == noted_limit[side]) {
        return;
    }
    noted_limit[side] = limit;
    for (uint32_t i = 0; i < tracker_count; i++) {
        tracker *t = &trackers[tracker_used[i]];
        int dir = 1 - side;
        for (uint32_t k = 0; k < t->fifo_count[dir]; k++) {
            block_expect *b = &t->fifo[dir][(t->fifo_first[dir] + k) % FIFO_DEPTH];
            if (limit < b->lowest_limit) {
                b->lowest_limit = limit;
            }
        }
    }
}

/* The oldest block still expected in direction dir, taken off the queue;
 * NULL when the queue overflowed (nothing to compare with). */
static const block_expect *fifo_pop(tracker *t, int dir)
{
    const block_expect *b;
    if (t->fifo_lost[dir]) {
        if (t->fifo_count[dir] > 0) {
            t->fifo_first[dir] = (uint8_t)((t->fifo_first[dir] + 1u) % FIFO_DEPTH);
            t->fifo_count[dir]--;
        }
        return NULL;
    }
    CHECK(t->fifo_count[dir] > 0);
    b = &t->fifo[dir][t->fifo_first[dir]];
    t->fifo_first[dir] = (uint8_t)((t->fifo_first[dir] + 1u) % FIFO_DEPTH);
    t->fifo_count[dir]--;
    return b;
}

/* DATA payload byte at offset k of stream id in direction dir. */
static uint8_t pattern(uint32_t id, int dir, uint64_t k)
{
    return (uint8_t)((k * 7u) ^ ((k >> 8) * 13u) ^ (id * 29u) ^ ((uint32_t)dir * 101u));
}

/* Pings and GOAWAYs each side has sent, in order, to check what arrives. */
#define SENT_LOG 64u
typedef struct ping_log {
    uint8_t data[SENT_LOG][8];
    uint32_t first, count;
    int lost; /* more than the log holds: nothing to compare with */
} ping_log;
static ping_log pings_sent[2], pings_acked[2];

typedef struct goaway_log {
    uint32_t code[SENT_LOG], last[SENT_LOG], len[SENT_LOG];
    uint32_t first, count;
    int lost;
} goaway_log;
static goaway_log goaways_sent[2];

static void ping_log_push(ping_log *l, const uint8_t *d)
{
    if (l->count < SENT_LOG) {
        memcpy(l->data[(l->first + l->count) % SENT_LOG], d, 8);
        l->count++;
    } else {
        l->lost = 1;
    }
}

static void ping_log_pop_check(ping_log *l, const uint8_t *d)
{
    if (l->lost) {
        return;
    }
    CHECK(l->count > 0);
    CHECK(memcmp(l->data[l->first], d, 8) == 0);
    l->first = (l->first + 1u) % SENT_LOG;
    l->count--;
}

/* ------------------------------------------------------------------ */
/* Header lists as they will arrive                                    */
/* ------------------------------------------------------------------ */

static uint64_t fnv(uint64_t h, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        h = (h ^ p[i]) * 1099511628211u;
    }
    return h;
}

static uint64_t hash_field(uint64_t h, const uint8_t *name, uint32_t name_len,
                           const uint8_t *value, uint32_t value_len, uint8_t flags)
{
    uint8_t lens[9];
    memcpy(lens, &name_len, 4);
    memcpy(lens + 4, &value_len, 4);
    lens[8] = (uint8_t)(flags & H2_HEADER_FIELD_NEVER_INDEXED);
    h = fnv(h, lens, sizeof lens);
    h = fnv(h, name, name_len);
    return fnv(h, value, value_len);
}

static int name_is(const h2_header *f, const char *s)
{
    size_t n = strlen(s);
    return f->name_len == n && memcmp(f->name, s, n) == 0;
}

#define MAX_FIELDS 160u
/* Fields on the wire: more than H2_MAX_SEND_FIELDS only matter as "too
 * many", the call is then refused. */
#define WIRE_FIELDS (H2_MAX_SEND_FIELDS + 2u)
static h2_header wire_fields[WIRE_FIELDS];
static uint8_t joined[65536];
static size_t wire_count; /* fields on the wire for the last expected_hash() */

/*
 * The list the receiver reports for fields sent by h2_send_headers():
 * the sender splits cookies into crumbs and marks short ones and
 * credentials never indexed (normalize_outbound_headers); the receiver
 * joins two or more crumbs into one never-indexed cookie field placed last
 * (normalize_inbound_headers). *list_size: the size the decoder counts.
 */
static uint64_t expected_hash(const h2_header *in, size_t n, int split, int join,
                              uint32_t *list_size)
{
    size_t w = 0;
    size_t cookies = 0;
    uint64_t size = 0;
    uint64_t h = 14695981039346656037u;
    for (size_t i = 0; i < n && w < WIRE_FIELDS; i++) {
        if (split && name_is(&in[i], "cookie")) {
            uint32_t pos = 0;
            uint32_t len = in[i].value_len;
            while (pos < len && w < WIRE_FIELDS) {
                uint32_t end = pos;
                while (end < len && !(end + 1 < len && in[i].value[end] == ';' &&
                                      in[i].value[end + 1] == ' ')) {
                    end++;
                }
                if (end > pos) {
                    h2_header *f = &wire_fields[w++];
                    *f = in[i];
                    f->value = in[i].value + pos;
                    f->value_len = end - pos;
                    if (f->value_len < 20u) {
                        f->flags |= H2_HEADER_FIELD_NEVER_INDEXED;
                    }
                }
                if (end == len) {
                    break;
                }
                pos = end + 2;
            }
            continue;
        }
        wire_fields[w] = in[i];
        if (split && (name_is(&in[i], "authorization") ||
                      name_is(&in[i], "proxy-authorization"))) {
            wire_fields[w].flags |= H2_HEADER_FIELD_NEVER_INDEXED;
        }
        w++;
    }
    wire_count = w;
    for (size_t i = 0; i < w; i++) {
        size += (uint64_t)wire_fields[i].name_len + wire_fields[i].value_len + 32u;
        cookies += name_is(&wire_fields[i], "cookie");
    }
    *list_size = size > 0xffffffffu ? 0xffffffffu : (uint32_t)size;
    if (!join || cookies < 2) {
        for (size_t i = 0; i < w; i++) {
            const h2_header *f = &wire_fields[i];
            h = hash_field(h, f->name, f->name_len, f->value, f->value_len, f->flags);
        }
        return h;
    }
    size_t jl = 0;
    for (size_t i = 0; i < w; i++) {
        const h2_header *f = &wire_fields[i];
        if (name_is(f, "cookie")) {
            if (jl > 0) {
                joined[jl++] = ';';
                joined[jl++] = ' ';
            }
            memcpy(joined + jl, f->value, f->value_len);
            jl += f->value_len;
        } else {
            h = hash_field(h, f->name, f->name_len, f->value, f->value_len, f->flags);
        }
    }
    return hash_field(h, (const uint8_t *)"cookie", 6, joined, (uint32_t)jl,
                      H2_HEADER_FIELD_NEVER_INDEXED);
}

static uint64_t event_hash(const h2_event *e)
{
    uint64_t h = 14695981039346656037u;
    h2_header past;
    CHECK(e->headers != NULL);
    /* Past the last field: an empty field, not a read out of bounds. */
    h2_event_header(e, e->headers->count, &past);
    CHECK(past.name == NULL && past.name_len == 0 && past.value == NULL);
    for (uint32_t i = 0; i < e->headers->count; i++) {
        h2_header f;
        h2_event_header(e, i, &f);
        CHECK(f.name_len == 0 || f.name != NULL);
        h = hash_field(h, f.name, f.name_len, f.value, f.value_len, f.flags);
    }
    return h;
}

/* ------------------------------------------------------------------ */
/* Building header lists from the script                               */
/* ------------------------------------------------------------------ */

static h2_header fields[MAX_FIELDS];
static size_t field_count;
static uint8_t value_bytes[1u << 16];
static size_t value_used;

static void add_field(const char *name, const uint8_t *value, size_t value_len, uint8_t flags)
{
    if (field_count < MAX_FIELDS) {
        h2_header *f = &fields[field_count++];
        f->name = (const uint8_t *)name;
        f->name_len = (uint32_t)strlen(name);
        f->value = value;
        f->value_len = (uint32_t)value_len;
        f->flags = flags;
    }
}

static void add_str(const char *name, const char *value)
{
    add_field(name, (const uint8_t *)value, strlen(value), 0);
}

/* A value made from the script: mostly valid characters, sometimes any. */
static const uint8_t *make_value(size_t *len)
{
    uint8_t mode = take();
    size_t n;
    uint8_t *v;
    switch (mode % 8u) {
    case 0: /* long, to spread a block over CONTINUATION frames */
        n = (size_t)take16() % 16000u;
        break;
    case 1:
        n = 0;
        break;
    case 6: /* many cookie crumbs: more fields than a block may carry */
        n = 0;
        v = value_bytes + value_used;
        for (size_t i = 0; i < (mode / 8u) * 8u && value_used + n + 5 <= sizeof value_bytes; i++) {
            memcpy(v + n, "c=1; ", 5);
            n += 5;
        }
        value_used += n;
        *len = n;
        return v;
    default:
        n = mode / 8u;
        break;
    }
    if (n > sizeof value_bytes - value_used) {
        n = sizeof value_bytes - value_used;
    }
    v = value_bytes + value_used;
    for (size_t i = 0; i < n; i++) {
        uint8_t b = mode % 8u == 0 ? (uint8_t)('a' + i % 26u) : take();
        if (mode % 8u == 7u) {
            v[i] = b; /* raw: may hold CR, LF, NUL, edge spaces */
        } else {
            v[i] = (uint8_t)(0x21u + b % 94u);
        }
    }
    value_used += n;
    *len = n;
    return v;
}

static const char *const regular_names[] = {
    "user-agent", "accept", "cookie", "authorization", "proxy-authorization",
    "te", "x-custom", "content-type", "accept-encoding", "cache-control",
    "host", "connection", "Upper-Case", "x-a", "set-cookie", "if-none-match",
};

/* How many regular fields: a few, now and then more than a block holds. */
static unsigned regular_count(unsigned few)
{
    uint8_t n = take();
    return n >= 0xf8u ? 130u : n % few;
}

static void add_regular_fields(unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        uint8_t sel = take();
        const char *name = regular_names[sel % (sizeof regular_names / sizeof regular_names[0])];
        uint8_t flags = (sel & 0x80u) ? H2_HEADER_FIELD_NEVER_INDEXED : 0u;
        if (sel & 0x40u) {
            static const char *const canned[] = {
                "a=1; b=2", "x=yyyyyyyyyyyyyyyyyyyyyyyy; z=1", "trailers", "gzip",
                "text/html", "Basic dXNlcjpwYXNz", "; ; q=1", "*/*",
            };
            add_str(name, canned[(sel / 16u) % 4u + (sel & 1u) * 4u]);
            fields[field_count - 1].flags = flags;
        } else {
            size_t len;
            const uint8_t *v = make_value(&len);
            add_field(name, v, len, flags);
        }
    }
}

static char number_text[4][24];

static const char *number(int slot, uint64_t v)
{
    snprintf(number_text[slot], sizeof number_text[slot], "%llu", (unsigned long long)v);
    return number_text[slot];
}

/* A request; *head: HEAD; *cl: the content-length it announces, or -1. */
static void build_request(int allow_body, int end_stream, int *head, int64_t *cl)
{
    uint8_t t = take();
    static const char *const paths[] = { "/", "/index.html", "/a/b?c=d", "*" };
    field_count = 0;
    *head = 0;
    *cl = -1;
    switch (t % 8u) {
    case 0:
    case 1:
        add_str(":method", t % 8u == 0 ? "GET" : "POST");
        add_str(":scheme", "https");
        add_str(":authority", "example.com");
        add_str(":path", paths[(t / 8u) % 3u]);
        break;
    case 2:
        add_str(":method", "HEAD");
        add_str(":scheme", "http");
        add_str(":path", "/");
        add_str("host", "example.org");
        *head = 1;
        break;
    case 3:
        add_str(":method", "CONNECT");
        add_str(":authority", "example.com:443");
        break;
    case 4:
        add_str(":method", "CONNECT");
        add_str(":protocol", "websocket");
        add_str(":scheme", "https");
        add_str(":path", "/chat");
        add_str(":authority", "example.com");
        break;
    case 5:
        add_str(":method", "OPTIONS");
        add_str(":scheme", "https");
        add_str(":authority", "example.com");
        add_str(":path", paths[3]);
        break;
    case 6: /* no :path: refused */
        add_str(":method", "GET");
        add_str(":scheme", "https");
        add_str(":authority", "example.com");
        break;
    default: { /* pseudo-headers from the script, valid or not */
        static const char *const pseudo[] = {
            ":method", ":scheme", ":authority", ":path", ":status", ":protocol", ":x",
        };
        unsigned n = take() % 6u;
        for (unsigned i = 0; i < n; i++) {
            size_t len;
            const uint8_t *v;
            uint8_t k = take();
            v = make_value(&len);
            add_field(pseudo[k % 7u], v, len, 0);
        }
        break;
    }
    }
    add_regular_fields(regular_count(6));
    if (allow_body && (t & 0x80u) && !*head) {
        uint64_t n = take() % 4u == 0 ? take32() : take16() % 2000u;
        if (end_stream) {
            n = 0; /* a body promised and none to follow: not conforming */
        }
        add_str("content-length", number(0, n));
        *cl = (int64_t)n;
    }
}

/* A response (or 1xx); *status_out the status sent. */
static void build_response(int end_stream, int *status_out, int64_t *cl)
{
    static const char *const statuses[] = {
        "200", "204", "304", "404", "100", "103", "500", "20", "999", "099",
    };
    uint8_t t = take();
    const char *status = statuses[t % 10u];
    field_count = 0;
    *cl = -1;
    add_str(":status", status);
    *status_out = atoi(status);
    add_regular_fields(regular_count(5));
    if ((t & 0x80u) && *status_out >= 200) {
        uint64_t n = end_stream ? 0u : take16() % 3000u;
        add_str("content-length", number(1, n));
        *cl = (int64_t)n;
    }
}

static void build_trailers(void)
{
    uint8_t t = take();
    field_count = 0;
    if (t % 8u == 7u) {
        add_str(":status", "200"); /* pseudo-headers in trailers: refused */
    }
    add_regular_fields(t % 4u);
}

/* ------------------------------------------------------------------ */
/* Invariants                                                          */
/* ------------------------------------------------------------------ */

#define WINDOW_MAX 0x7fffffff

static int counts_open(uint8_t state)
{
    return state == H2_STREAM_OPEN || state == H2_STREAM_HALF_CLOSED_LOCAL ||
           state == H2_STREAM_HALF_CLOSED_REMOTE;
}

static int is_inbound(int side, uint32_t id)
{
    /* Clients open odd streams; servers even (pushed) ones. */
    return side == CLIENT ? id % 2u == 0 : id % 2u == 1;
}

static void check_recv_window(const h2_recv_window *w)
{
    CHECK(w->current >= -WINDOW_MAX);
    CHECK(w->max <= (uint32_t)WINDOW_MAX);
    CHECK((int64_t)w->processed <= (int64_t)w->max - w->current);
}

/* What holds for one endpoint at any time. */
static void check_side(int side)
{
    const h2_conn *c = &conns[side];
    uint32_t used = 0, open_in = 0, open_out = 0;
    CHECK(c->out_start <= c->out_end && c->out_end <= H2_OUTBOUND_CAPACITY);
    CHECK(c->state <= H2_CONN_CLOSED);
    CHECK(c->send_window >= -WINDOW_MAX);
    check_recv_window(&c->recv_window);
    for (uint32_t i = 0; i < H2_MAX_STREAMS; i++) {
        const h2_stream *s = &c->streams.slots[i];
        if (s->id == 0) {
            continue;
        }
        used++;
        CHECK(s->id <= 0x7fffffffu);
        CHECK(s->state < H2_STREAM_STATE_CLOSED);
        CHECK(s->send_window >= -WINDOW_MAX);
        check_recv_window(&s->recv_window);
        if (is_inbound(side, s->id)) {
            CHECK(s->id <= c->highest_inbound_id);
            open_in += counts_open(s->state);
        } else {
            CHECK(s->id <= c->highest_outbound_id);
            open_out += counts_open(s->state);
        }
    }
    CHECK(used == c->streams.used);
    CHECK(open_in == h2_open_inbound_streams(c));
    CHECK(open_out == h2_open_outbound_streams(c));
    if (c->streams.used + 2u >= H2_MAX_STREAMS) {
        refusal_possible[side] = 1;
    }
}

static const h2_stream *find_stream(const h2_conn *c, uint32_t id)
{
    for (uint32_t i = 0; i < H2_MAX_STREAMS; i++) {
        if (c->streams.slots[i].id == id && id != 0) {
            return &c->streams.slots[i];
        }
    }
    return NULL;
}

static uint8_t mirror_state(uint8_t s)
{
    switch (s) {
    case H2_STREAM_RESERVED_LOCAL:
        return H2_STREAM_RESERVED_REMOTE;
    case H2_STREAM_RESERVED_REMOTE:
        return H2_STREAM_RESERVED_LOCAL;
    case H2_STREAM_HALF_CLOSED_LOCAL:
        return H2_STREAM_HALF_CLOSED_REMOTE;
    case H2_STREAM_HALF_CLOSED_REMOTE:
        return H2_STREAM_HALF_CLOSED_LOCAL;
    default:
        return s;
    }
}

/* Nothing in flight: both sides must see the same connection. */
static void check_quiet(void)
{
    const h2_conn *c = &conns[CLIENT];
    const h2_conn *s = &conns[SERVER];
    size_t n0, n1;
    if (terminated || stalled) {
        return;
    }
    (void)h2_outbound_peek(c, &n0);
    (void)h2_outbound_peek(s, &n1);
    CHECK(n0 == 0 && n1 == 0);
    CHECK(pipes[0].head == pipes[0].tail && pipes[1].head == pipes[1].tail);
    CHECK(c->state == H2_CONN_OPEN && s->state == H2_CONN_OPEN);
    CHECK(c->local_pending.count == 0 && s->local_pending.count == 0);
    for (int side = 0; side < 2; side++) {
        const h2_conn *a = &conns[side];
        const h2_conn *b = &conns[1 - side];
        CHECK(a->send_window == b->recv_window.current);
        for (uint32_t i = 0; i < H2_SETTINGS_KNOWN; i++) {
            CHECK(a->remote_settings.values[i] == b->local_settings.values[i]);
        }
        if (!a->encoder.update_pending) {
            CHECK(a->encoder.table.count == b->decoder.table.count);
            CHECK(a->encoder.table.size == b->decoder.table.size);
            CHECK(a->encoder.table.max_size == b->decoder.table.max_size);
        }
        CHECK(a->open_outbound == b->open_inbound);
        CHECK(a->streams.used == b->streams.used);
        for (uint32_t i = 0; i < H2_MAX_STREAMS; i++) {
            const h2_stream *x = &a->streams.slots[i];
            const h2_stream *y;
            if (x->id == 0) {
                continue;
            }
            y = find_stream(b, x->id);
            CHECK(y != NULL);
            CHECK(y->state == mirror_state(x->state));
            CHECK(x->send_window == y->recv_window.current);
        }
    }
    for (uint32_t i = 0; i < tracker_count; i++) {
        const tracker *t = &trackers[tracker_used[i]];
        const tracker *parent = t->pushed ? tracker_find(t->parent) : NULL;
        if (t->reset) {
            continue;
        }
        if (parent != NULL && parent->reset && find_stream(c, t->id) == NULL) {
            /* The client refused a push promised on a stream it had reset;
             * when the server had already finished the pushed stream,
             * neither side reports it. */
            continue;
        }
        if (t->pushed && !t->promise_seen && refusal_possible[CLIENT]) {
            /* The same for a push the client refused silently, its pool
             * or its stream limit being full (REFUSED_STREAM). */
            continue;
        }
        for (int d = 0; d < 2; d++) {
            CHECK(t->recvd[d] == t->sent[d]);
            CHECK(t->end_recvd[d] == t->end_sent[d]);
            CHECK(t->fifo_count[d] == 0 || t->fifo_lost[d]);
        }
    }
}

/* A call that failed must have changed nothing. */
typedef struct snapshot {
    size_t queued;
    uint8_t state, goaway_sent, goaway_received;
    uint32_t goaway_sent_last_id;
    int32_t send_window;
    h2_recv_window recv_window;
    uint32_t next_stream_id, highest_inbound_id, highest_outbound_id;
    uint32_t open_inbound, open_outbound, pending_settings;
    uint32_t local_initial[H2_SETTINGS_KNOWN];
    uint32_t enc_count, enc_size, enc_max, dec_list;
    uint8_t enc_update;
    uint64_t streams_hash;
} snapshot;

static uint64_t streams_hash(const h2_conn *c)
{
    uint64_t h = 14695981039346656037u;
    for (uint32_t i = 0; i < H2_MAX_STREAMS; i++) {
        const h2_stream *s = &c->streams.slots[i];
        uint64_t v[8];
        if (s->id == 0) {
            continue;
        }
        v[0] = s->id;
        v[1] = s->state;
        v[2] = s->flags;
        v[3] = (uint32_t)s->send_window;
        v[4] = (uint64_t)(uint32_t)s->recv_window.current << 32 | s->recv_window.max;
        v[5] = s->recv_window.processed;
        v[6] = s->content_length;
        v[7] = s->data_length;
        h = fnv(h, (const uint8_t *)v, sizeof v);
    }
    h = fnv(h, (const uint8_t *)&c->streams.used, sizeof c->streams.used);
    h = fnv(h, (const uint8_t *)&c->streams.closed_count, sizeof c->streams.closed_count);
    return fnv(h, (const uint8_t *)&c->streams.closed_next, sizeof c->streams.closed_next);
}

static void take_snapshot(int side, snapshot *p)
{
    const h2_conn *c = &conns[side];
    memset(p, 0, sizeof *p);
    (void)h2_outbound_peek(c, &p->queued);
    p->state = c->state;
    p->goaway_sent = c->goaway_sent;
    p->goaway_received = c->goaway_received;
    p->goaway_sent_last_id = c->goaway_sent_last_id;
    p->send_window = c->send_window;
    p->recv_window = c->recv_window;
    p->next_stream_id = c->next_stream_id;
    p->highest_inbound_id = c->highest_inbound_id;
    p->highest_outbound_id = c->highest_outbound_id;
    p->open_inbound = c->open_inbound;
    p->open_outbound = c->open_outbound;
    p->pending_settings = c->local_pending.count;
    memcpy(p->local_initial, c->local_initial.values, sizeof p->local_initial);
    p->enc_count = c->encoder.table.count;
    p->enc_size = c->encoder.table.size;
    p->enc_max = c->encoder.table.max_size;
    p->enc_update = c->encoder.update_pending;
    p->dec_list = c->decoder.max_header_list_size;
    p->streams_hash = streams_hash(c);
}

static void check_unchanged(int side, const snapshot *before, h2_status st)
{
    snapshot after;
    take_snapshot(side, &after);
    trace("    -> %s (refused)\n", h2_status_name(st));
    CHECK(after.queued == before->queued);
    CHECK(after.state == before->state);
    CHECK(after.goaway_sent == before->goaway_sent);
    CHECK(after.goaway_received == before->goaway_received);
    CHECK(after.goaway_sent_last_id == before->goaway_sent_last_id);
    CHECK(after.send_window == before->send_window);
    CHECK(memcmp(&after.recv_window, &before->recv_window, sizeof after.recv_window) == 0);
    CHECK(after.next_stream_id == before->next_stream_id);
    CHECK(after.highest_inbound_id == before->highest_inbound_id);
    CHECK(after.highest_outbound_id == before->highest_outbound_id);
    CHECK(after.open_inbound == before->open_inbound);
    CHECK(after.open_outbound == before->open_outbound);
    CHECK(after.pending_settings == before->pending_settings);
    CHECK(memcmp(after.local_initial, before->local_initial, sizeof after.local_initial) == 0);
    CHECK(after.enc_count == before->enc_count && after.enc_size == before->enc_size &&
          after.enc_max == before->enc_max && after.enc_update == before->enc_update);
    CHECK(after.dec_list == before->dec_list);
    CHECK(after.streams_hash == before->streams_hash);
}

/* ------------------------------------------------------------------ */
/* Events                                                              */
/* ------------------------------------------------------------------ */

static void acknowledge(int side, tracker *t, uint32_t size)
{
    h2_status st = h2_acknowledge_received_data(&conns[side], size, t->id);
    if (st == H2_OK) {
        t->unacked[side] = size >= t->unacked[side] ? 0 : t->unacked[side] - size;
    }
}

static void check_headers_event(int side, const h2_event *e, uint32_t id)
{
    tracker *t = tracker_find(id);
    const block_expect *b;
    CHECK(t != NULL);
    b = fifo_pop(t, 1 - side);
    if (b != NULL) {
        CHECK(b->hash == event_hash(e));
    }
}

static void on_event(int side, const h2_event *e)
{
    int peer = 1 - side;
    h2_conn *c = &conns[side];
    tracker *t = NULL;
    trace("  %s event %d stream %u code %u remote %u len %u\n",
          side == CLIENT ? "client" : "server", (int)e->type, e->stream_id, e->error_code,
          e->remote_reset, e->data_len);
    if (e->headers == NULL) {
        h2_header none;
        h2_event_header(e, 0, &none);
        CHECK(none.name == NULL && none.value_len == 0);
    }
    switch (e->type) {
    case H2_EVENT_REQUEST_RECEIVED:
        CHECK(side == SERVER);
        check_headers_event(side, e, e->stream_id);
        break;
    case H2_EVENT_RESPONSE_RECEIVED:
    case H2_EVENT_INFORMATIONAL_RESPONSE_RECEIVED:
        CHECK(side == CLIENT);
        check_headers_event(side, e, e->stream_id);
        break;
    case H2_EVENT_TRAILERS_RECEIVED:
        check_headers_event(side, e, e->stream_id);
        break;
    case H2_EVENT_PUSHED_STREAM_RECEIVED:
        CHECK(side == CLIENT);
        CHECK(e->parent_stream_id % 2u == 1u);
        check_headers_event(side, e, e->stream_id);
        t = tracker_find(e->stream_id);
        CHECK(t != NULL);
        t->promise_seen = 1;
        break;
    case H2_EVENT_DATA_RECEIVED:
        t = tracker_find(e->stream_id);
        CHECK(t != NULL);
        CHECK(e->data_len <= e->flow_controlled_length);
        CHECK(e->flow_controlled_length - e->data_len <= 256u);
        CHECK(t->recvd[peer] + e->data_len <= t->sent[peer]);
        for (uint32_t i = 0; i < e->data_len; i++) {
            CHECK(e->data[i] == pattern(t->id, peer, t->recvd[peer] + i));
        }
        t->recvd[peer] += e->data_len;
        t->unacked[side] += e->flow_controlled_length;
        if (auto_ack) {
            acknowledge(side, t, e->flow_controlled_length);
        }
        break;
    case H2_EVENT_STREAM_ENDED:
        t = tracker_find(e->stream_id);
        CHECK(t != NULL);
        CHECK(t->end_sent[peer]);
        CHECK(t->recvd[peer] == t->sent[peer]);
        CHECK(!t->end_recvd[peer]);
        t->end_recvd[peer] = 1;
        break;
    case H2_EVENT_STREAM_RESET:
        t = tracker_find(e->stream_id);
        CHECK(t != NULL);
        if (e->remote_reset) {
            if (t->rst_sent[peer]) {
                CHECK(e->error_code == t->rst_code[peer]);
            } else {
                /* Refused: over the peer's limit, or above a GOAWAY's
                 * last stream id. */
                const tracker *parent = t->pushed ? tracker_find(t->parent) : NULL;
                CHECK(e->error_code == H2_REFUSED_STREAM);
                /* A client refuses a push promised on a stream it has
                 * reset (RFC 9113 8.4). */
                CHECK(refusal_possible[peer] || goaway_seen[side] ||
                      (parent != NULL && parent->reset));
            }
        } else {
            /* We reset it because the peer broke a rule. Between two
             * conforming endpoints only one race allows it: a header
             * block over a MAX_HEADER_LIST_SIZE the sender had not yet
             * seen lowered. */
            const block_expect *b;
            CHECK(e->error_code == H2_PROTOCOL_ERROR);
            b = fifo_pop(t, peer);
            CHECK(b != NULL && b->list_size > b->lowest_limit);
            t->rst_sent[side] = 1;
            t->rst_code[side] = e->error_code;
        }
        t->reset = 1;
        break;
    case H2_EVENT_CONNECTION_TERMINATED: {
        goaway_log *l = &goaways_sent[peer];
        if (!l->lost) {
            CHECK(l->count > 0);
            CHECK(e->error_code == l->code[l->first]);
            CHECK(e->last_stream_id == l->last[l->first]);
            CHECK(e->additional_data_len == l->len[l->first]);
            l->first = (l->first + 1u) % SENT_LOG;
            l->count--;
        }
        /* RFC 9113 6.8: the last stream id never grows. */
        CHECK(!goaway_seen[side] || e->last_stream_id <= goaway_last[side]);
        goaway_seen[side] = 1;
        goaway_last[side] = e->last_stream_id;
        break;
    }
    case H2_EVENT_PING_RECEIVED:
        ping_log_pop_check(&pings_sent[peer], e->ping_data);
        ping_log_push(&pings_acked[side], e->ping_data);
        break;
    case H2_EVENT_PING_ACK_RECEIVED:
        ping_log_pop_check(&pings_acked[peer], e->ping_data);
        break;
    case H2_EVENT_REMOTE_SETTINGS_CHANGED:
        CHECK(e->settings_count <= H2_SETTINGS_KNOWN);
        for (uint32_t i = 0; i < e->settings_count; i++) {
            CHECK(e->settings[i].new_value ==
                  h2_settings_get(&c->remote_settings, e->settings[i].id));
        }
        break;
    case H2_EVENT_SETTINGS_ACKNOWLEDGED:
        CHECK(e->settings_count <= H2_SETTINGS_KNOWN);
        for (uint32_t i = 0; i < e->settings_count; i++) {
            CHECK(e->settings[i].new_value ==
                  h2_settings_get(&c->local_settings, e->settings[i].id));
        }
        break;
    case H2_EVENT_WINDOW_UPDATED:
        CHECK(e->delta >= 1u && e->delta <= (uint32_t)WINDOW_MAX);
        break;
    case H2_EVENT_PRIORITY_UPDATED:
        CHECK(e->stream_id != 0);
        break;
    case H2_EVENT_ALTERNATIVE_SERVICE_AVAILABLE:
        CHECK(side == CLIENT);
        break;
    default:
        /* Nothing else travels between two libh2 endpoints. */
        CHECK(0);
    }
}

/* ------------------------------------------------------------------ */
/* Moving bytes                                                        */
/* ------------------------------------------------------------------ */

/* Moves what side has queued into its pipe. */
static void drain(int side)
{
    pipe_buf *p = &pipes[side];
    if (p->head == p->tail) {
        p->head = p->tail = 0;
    } else if (p->head > PIPE_CAP / 2) {
        memmove(p->bytes, p->bytes + p->head, p->tail - p->head);
        p->tail -= p->head;
        p->head = 0;
    }
    if (zero_copy) {
        size_t len = 0;
        const uint8_t *q = h2_outbound_peek(&conns[side], &len);
        size_t n = len < PIPE_CAP - p->tail ? len : PIPE_CAP - p->tail;
        n = n < drain_cap ? n : drain_cap;
        memcpy(p->bytes + p->tail, q, n);
        h2_outbound_consume(&conns[side], n);
        p->tail += n;
    } else {
        size_t room = PIPE_CAP - p->tail;
        p->tail += h2_data_to_send(&conns[side], p->bytes + p->tail,
                                   room < drain_cap ? room : drain_cap);
    }
}

/* Feeds up to max bytes of the peer's pipe to side (0 bytes still lets
 * queued events out). Returns 1 when something happened. */
static int deliver(int side, size_t max)
{
    pipe_buf *p = &pipes[1 - side];
    h2_conn *c = &conns[side];
    size_t n = p->tail - p->head < max ? p->tail - p->head : max;
    const uint8_t *in = p->bytes + p->head;
    size_t pos = 0;
    int progress = 0;

    for (int guard = 0; guard < 1000000; guard++) {
        h2_event ev;
        size_t used = 0;
        h2_status st = h2_recv(c, in + pos, n - pos, &used, &ev);
        CHECK(used <= n - pos);
        pos += used;
        progress |= used > 0 || ev.type != H2_EVENT_NONE;
        /* A SETTINGS ACK may have lowered the header list limit; the call
         * returns with its event, before the next block begins. */
        note_decoder_limit(side);
        if (ev.type != H2_EVENT_NONE) {
            on_event(side, &ev);
        }
        check_side(side);
        if (st == H2_E_WOULD_BLOCK) {
            size_t before = pipes[side].tail;
            CHECK(ev.type == H2_EVENT_NONE);
            drain(side);
            if (pipes[side].tail == before) {
                stalled = 1; /* both pipes full: a harness limit, not a bug */
                break;
            }
            continue;
        }
        if (st != H2_OK) {
            /* Only a side the script closed may refuse input. */
            trace("  %s recv: %s\n", side == CLIENT ? "client" : "server", h2_status_name(st));
            CHECK(terminated && st == H2_E_CONNECTION_CLOSED && c->state == H2_CONN_CLOSED);
            pos = n = p->tail - p->head; /* it takes nothing more */
            break;
        }
        if (ev.type == H2_EVENT_NONE) {
            /* No event: the input must be used up. */
            if (pos != n) {
                trace("  %s recv stopped at %zu of %zu (phase %u, remaining %u)\n",
                      side == CLIENT ? "client" : "server", pos, n, c->rx.phase,
                      c->rx.remaining);
            }
            CHECK(pos == n);
            break;
        }
    }
    p->head += pos;
    return progress;
}

/* Runs both sides until nothing moves (every round moves a byte or an
 * event, and what the script queued is finite). */
static void flush(void)
{
    while (!stalled) {
        int moved = 0;
        for (int side = 0; side < 2; side++) {
            size_t before = pipes[side].tail;
            drain(side);
            moved |= pipes[side].tail != before;
        }
        for (int side = 0; side < 2; side++) {
            moved |= deliver(side, PIPE_CAP);
        }
        if (!moved) {
            return;
        }
    }
}

/* ------------------------------------------------------------------ */
/* Script steps                                                        */
/* ------------------------------------------------------------------ */

/* A stream for a call: mostly one the harness knows, sometimes an id that
 * must be refused or that is not in use. */
static uint32_t pick_stream(int side)
{
    uint8_t b = take();
    if (b >= 224u) {
        static const uint32_t odd_ids[] = {
            0, 1, 2, 3, 0x7fffffffu, 0x7ffffffeu, 0x80000001u, 101,
        };
        uint32_t id;
        if (b % 8u == 7u && h2_get_next_available_stream_id(&conns[side], &id) == H2_OK) {
            return id;
        }
        return odd_ids[b % 8u];
    }
    if (tracker_count == 0) {
        return 1;
    }
    return trackers[tracker_used[b % tracker_count]].id;
}

static uint8_t pad_choice(void)
{
    uint8_t p = take();
    return p < 192u ? 0u : (uint8_t)(p == 255u ? 255u : p % 16u);
}

static void step_request(void)
{
    int side = CLIENT;
    uint32_t id = 0;
    int head = 0;
    int64_t cl = -1;
    uint8_t flags = take();
    int end_stream = flags & 1u;
    h2_priority prio;
    const h2_priority *pp = NULL;
    snapshot snap;
    h2_status st;
    if (h2_get_next_available_stream_id(&conns[side], &id) != H2_OK) {
        id = 0x7fffffffu;
    }
    if (flags & 2u) {
        id += 2u * (take() % 4u); /* skip some ids: they close implicitly */
    }
    if ((flags & 0x1cu) == 0x1cu) {
        id = 0x7fffffffu;
    }
    if (tracker_find(id) != NULL || tracker_count >= TRACKERS_USABLE) {
        return;
    }
    build_request(1, end_stream, &head, &cl);
    if (flags & 0x20u) {
        prio.dependency = take() % 8u;
        prio.weight = take();
        prio.exclusive = take() & 1u;
        pp = &prio;
    }
    uint8_t pad = (flags & 0x40u) ? pad_choice() : 0u;
    take_snapshot(side, &snap);
    st = h2_send_headers(&conns[side], id, fields, field_count, end_stream, pp, pad);
    trace("client request stream %u fields %zu end %d -> %s\n", id, field_count, end_stream,
          h2_status_name(st));
    if (st != H2_OK) {
        check_unchanged(side, &snap, st);
        return;
    }
    /* A stream the script opened through the public API must be new. */
    tracker *t = tracker_new(id);
    uint32_t list_size;
    uint64_t h = expected_hash(fields, field_count,
                               conns[CLIENT].config.normalize_outbound_headers,
                               conns[SERVER].config.normalize_inbound_headers, &list_size);
    fifo_push(t, CLIENT, h, list_size);
    t->headers_sent[CLIENT] = 1;
    t->no_body = (uint8_t)head;
    if (cl >= 0) {
        t->has_cl[CLIENT] = 1;
        t->cl[CLIENT] = (uint64_t)cl;
    }
    t->end_sent[CLIENT] = (uint8_t)end_stream;
}

/* May side end its half of t now without breaking a content-length? */
static int may_end(const tracker *t, int side)
{
    return !t->has_cl[side] || t->sent[side] == t->cl[side] ||
           (side == SERVER && t->no_body);
}

static void step_headers(int side)
{
    uint32_t id = pick_stream(side);
    tracker *t = tracker_find(id);
    uint8_t flags = take();
    int end_stream = flags & 1u;
    int status = 0;
    int64_t cl = -1;
    snapshot snap;
    h2_status st;
    const h2_stream *s = find_stream(&conns[side], id);
    int trailers = side == CLIENT || (s != NULL && (s->flags & H2_STREAM_F_HEADERS_SENT));
    if (trailers) {
        build_trailers();
        end_stream = !(flags & 0x80u); /* sometimes without: refused */
    } else {
        build_response(end_stream, &status, &cl);
    }
    if (t != NULL && end_stream && trailers && !may_end(t, side)) {
        return;
    }
    uint32_t list_size;
    uint64_t h = expected_hash(fields, field_count, conns[side].config.normalize_outbound_headers,
                               conns[1 - side].config.normalize_inbound_headers, &list_size);
    take_snapshot(side, &snap);
    st = h2_send_headers(&conns[side], id, fields, field_count, end_stream, NULL,
                         (flags & 0x40u) ? pad_choice() : 0u);
    trace("%s headers stream %u fields %zu end %d -> %s\n", side == CLIENT ? "client" : "server",
          id, field_count, end_stream, h2_status_name(st));
    if (st != H2_OK) {
        check_unchanged(side, &snap, st);
        return;
    }
    CHECK(t != NULL);
    fifo_push(t, side, h, list_size);
    if (!trailers && status >= 200) {
        t->headers_sent[side] = 1;
        if (status == 204 || status == 304) {
            t->no_body = 1;
        }
        if (cl >= 0) {
            t->has_cl[side] = 1;
            t->cl[side] = (uint64_t)cl;
        }
    }
    if (end_stream) {
        t->end_sent[side] = 1;
    }
}

static uint8_t data_buf[65536];
static uint8_t big_buf[H2_OUTBOUND_CAPACITY + 4096];

static void step_data(int side)
{
    uint32_t id = pick_stream(side);
    tracker *t = tracker_find(id);
    uint8_t mode = take();
    int end_stream = mode & 1u;
    uint8_t pad = (mode & 2u) ? pad_choice() : 0u;
    size_t len;
    int32_t window = 0;
    snapshot snap;
    h2_status st;
    switch ((mode / 4u) % 4u) {
    case 0:
        len = 0;
        break;
    case 1:
        len = take();
        break;
    case 2: { /* as much as the window and frame size allow */
        uint32_t frame = h2_max_outbound_frame_size(&conns[side]);
        (void)h2_local_flow_control_window(&conns[side], id, &window);
        len = window > 0 ? (size_t)window : 0;
        if (pad > 0) {
            len = len > (size_t)pad + 1u ? len - pad - 1u : 0;
        }
        if (len > frame - (pad > 0 ? pad + 1u : 0u)) {
            len = frame - (pad > 0 ? pad + 1u : 0u);
        }
        break;
    }
    default:
        len = take16();
        break;
    }
    if (len > 60000u) {
        len = 60000u;
    }
    if (t != NULL) {
        /* A conforming sender keeps its content-length promise and sends
         * no body with a HEAD, 204 or 304 response. */
        if (side == SERVER && t->no_body) {
            len = 0;
        }
        if (t->has_cl[side] && !(side == SERVER && t->no_body)) {
            uint64_t left = t->cl[side] - t->sent[side];
            if (len > left) {
                len = (size_t)left;
            }
            if (end_stream && t->sent[side] + len != t->cl[side]) {
                end_stream = 0;
            }
        }
        for (size_t i = 0; i < len; i++) {
            data_buf[i] = pattern(id, side, t->sent[side] + i);
        }
    } else {
        memset(data_buf, 0, len);
    }
    take_snapshot(side, &snap);
    st = h2_send_data(&conns[side], id, data_buf, len, end_stream, pad);
    trace("%s data stream %u len %zu pad %u end %d -> %s\n", side == CLIENT ? "client" : "server",
          id, len, pad, end_stream, h2_status_name(st));
    if (st != H2_OK) {
        check_unchanged(side, &snap, st);
        return;
    }
    CHECK(t != NULL);
    /* RFC 9113 8.1: a message's HEADERS come before its DATA. */
    CHECK(t->headers_sent[side]);
    t->sent[side] += len;
    if (end_stream) {
        t->end_sent[side] = 1;
    }
}

static void step_end_stream(int side)
{
    uint32_t id = pick_stream(side);
    tracker *t = tracker_find(id);
    snapshot snap;
    h2_status st;
    if (t != NULL && !may_end(t, side)) {
        return;
    }
    take_snapshot(side, &snap);
    st = h2_end_stream(&conns[side], id);
    trace("%s end stream %u -> %s\n", side == CLIENT ? "client" : "server", id, h2_status_name(st));
    if (st != H2_OK) {
        check_unchanged(side, &snap, st);
        return;
    }
    CHECK(t != NULL);
    CHECK(t->headers_sent[side]);
    t->end_sent[side] = 1;
}

static void step_reset(int side)
{
    static const uint32_t codes[] = {
        H2_CANCEL, H2_NO_ERROR, H2_PROTOCOL_ERROR, H2_INTERNAL_ERROR, H2_REFUSED_STREAM,
        H2_ENHANCE_YOUR_CALM, 0xdeadbeefu, H2_STREAM_CLOSED,
    };
    uint32_t id = pick_stream(side);
    uint32_t code = codes[take() % 8u];
    tracker *t = tracker_find(id);
    snapshot snap;
    h2_status st;
    take_snapshot(side, &snap);
    st = h2_reset_stream(&conns[side], id, code);
    trace("%s reset stream %u code %u -> %s\n", side == CLIENT ? "client" : "server", id, code,
          h2_status_name(st));
    if (st != H2_OK) {
        check_unchanged(side, &snap, st);
        return;
    }
    CHECK(t != NULL);
    t->reset = 1;
    t->rst_sent[side] = 1;
    t->rst_code[side] = code;
}

static void step_ping(int side)
{
    uint8_t opaque[8];
    snapshot snap;
    h2_status st;
    for (int i = 0; i < 8; i++) {
        opaque[i] = take();
    }
    take_snapshot(side, &snap);
    st = h2_ping(&conns[side], opaque);
    trace("%s ping -> %s\n", side == CLIENT ? "client" : "server", h2_status_name(st));
    if (st != H2_OK) {
        check_unchanged(side, &snap, st);
        return;
    }
    ping_log_push(&pings_sent[side], opaque);
}

/* Values worth trying for each setting: the edges the RFC draws. */
static void pick_setting(h2_setting *s)
{
    static const uint16_t ids[] = { 1, 2, 3, 4, 5, 6, 8, 9, 0x10, 0xffff };
    static const uint32_t table_size[] = { 0, 1, 64, 256, 4095, 4096, 4097, 65536 };
    static const uint32_t flags[] = { 0, 1, 0, 1, 0, 1, 2, 0xffffffffu };
    static const uint32_t streams[] = { 0, 1, 2, 3, 100, 127, 128, 129 };
    static const uint32_t windows[] = {
        0, 1, 16384, 65535, 65536, 1048576, 0x7fffffffu, 0x80000000u,
    };
    static const uint32_t frames[] = {
        16383, 16384, 16385, 32768, 65536, 0xffffffu, 0x1000000u, 0,
    };
    static const uint32_t lists[] = { 0, 1, 100, 200, 1024, 4096, 16384, 16385 };
    uint8_t b = take();
    uint32_t v = b / 16u % 8u;
    s->id = ids[b % 10u];
    switch (s->id) {
    case 1: s->value = table_size[v]; break;
    case 2: s->value = flags[v]; break;
    case 3: s->value = streams[v]; break;
    case 4: s->value = windows[v]; break;
    case 5: s->value = frames[v]; break;
    case 6: s->value = lists[v]; break;
    case 8: s->value = flags[v]; break;
    case 9: s->value = flags[v]; break;
    default: s->value = take32(); break;
    }
    if (b >= 0xf0u) {
        s->value = take32();
    }
}

/*
 * Settings a conforming endpoint never sends, which the library must
 * therefore refuse: a server announcing ENABLE_PUSH other than 0 (RFC 9113
 * 6.5.2).
 */
static int forbidden_settings(int side, const h2_setting *list, uint32_t n)
{
    for (uint32_t i = 0; i < n && i < H2_SETTINGS_KNOWN; i++) {
        if (side == SERVER && list[i].id == H2_SETTINGS_ENABLE_PUSH && list[i].value != 0) {
            return 1;
        }
    }
    return 0;
}


/* Notes what a new local setting allows the other side to see. */
static void settings_applied(int side, const h2_setting *list, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        if (list[i].id == H2_SETTINGS_MAX_CONCURRENT_STREAMS && list[i].value < H2_MAX_STREAMS) {
            /* Streams opened before the peer learns the new limit are
             * refused, retryably (RFC 9113 5.1.2). */
            refusal_possible[side] = 1;
        }
    }
}

static void step_settings(int side)
{
    h2_setting list[H2_SETTINGS_KNOWN + 1];
    uint32_t n = take() % 4u;
    snapshot snap;
    h2_status st;
    if (n == 3) {
        n = H2_SETTINGS_KNOWN + 1; /* too many: refused */
    }
    for (uint32_t i = 0; i < n; i++) {
        pick_setting(&list[i]);
    }
    take_snapshot(side, &snap);
    st = h2_update_settings(&conns[side], list, n);
    trace("%s settings (%u)", side == CLIENT ? "client" : "server", n);
    for (uint32_t i = 0; i < n && i < 3; i++) {
        trace(" %u=%u", list[i].id, list[i].value);
    }
    trace(" -> %s\n", h2_status_name(st));
    if (st != H2_OK) {
        check_unchanged(side, &snap, st);
        return;
    }
    CHECK(!forbidden_settings(side, list, n));
    settings_applied(side, list, n);
}

static void step_window(int side)
{
    uint8_t b = take();
    uint32_t id = (b & 1u) ? 0u : pick_stream(side);
    uint32_t inc;
    int32_t now = 0;
    snapshot snap;
    h2_status st;
    (void)h2_remote_flow_control_window(&conns[side], id, &now);
    if (id != 0) {
        const h2_stream *s = find_stream(&conns[side], id);
        now = s != NULL ? s->recv_window.current : 0;
    }
    switch ((b / 2u) % 8u) {
    case 0: inc = 1; break;
    case 1: inc = take(); break;
    case 2: inc = 65535; break;
    case 3: inc = (uint32_t)((int64_t)WINDOW_MAX - now); break; /* to the top */
    case 4: inc = (uint32_t)((int64_t)WINDOW_MAX - now) + 1u; break; /* past it */
    case 5: inc = 0; break;
    case 6: inc = 0x80000000u; break;
    default: inc = take32() % 0x80000000u; break;
    }
    take_snapshot(side, &snap);
    st = h2_increment_flow_control_window(&conns[side], inc, id);
    trace("%s window stream %u +%u (window %d) -> %s\n", side == CLIENT ? "client" : "server",
          id, inc, now, h2_status_name(st));
    if (st != H2_OK) {
        check_unchanged(side, &snap, st);
    }
}

static void step_ack(int side)
{
    uint32_t id = pick_stream(side);
    tracker *t = tracker_find(id);
    uint8_t b = take();
    uint32_t size;
    snapshot snap;
    h2_status st;
    if (t != NULL && b < 192u) {
        size = b < 128u ? t->unacked[side] : t->unacked[side] / 2u;
    } else {
        size = take16();
    }
    take_snapshot(side, &snap);
    st = h2_acknowledge_received_data(&conns[side], size, id);
    trace("%s ack stream %u size %u -> %s\n", side == CLIENT ? "client" : "server", id, size,
          h2_status_name(st));
    if (st != H2_OK) {
        check_unchanged(side, &snap, st);
        return;
    }
    if (t != NULL) {
        t->unacked[side] = size >= t->unacked[side] ? 0 : t->unacked[side] - size;
    }
}

static void step_push(int side)
{
    uint32_t parent = pick_stream(side);
    uint32_t promised = 0;
    uint8_t b = take();
    int head = 0;
    int64_t cl;
    snapshot snap;
    h2_status st;
    if (h2_get_next_available_stream_id(&conns[side], &promised) != H2_OK) {
        promised = 0x7ffffffeu;
    }
    if (b & 1u) {
        promised += 2u * (take() % 3u);
    }
    if (b & 2u) {
        promised = pick_stream(side);
    }
    if (tracker_count >= TRACKERS_USABLE) {
        return;
    }
    build_request(0, 0, &head, &cl);
    take_snapshot(side, &snap);
    st = h2_push_stream(&conns[side], parent, promised, fields, field_count);
    trace("%s push on %u promised %u -> %s\n", side == CLIENT ? "client" : "server", parent,
          promised, h2_status_name(st));
    if (st != H2_OK) {
        check_unchanged(side, &snap, st);
        return;
    }
    CHECK(side == SERVER);
    /* RFC 9113 8.4: only on a stream the client opened. */
    CHECK(parent % 2u == 1u);
    /* RFC 9113 6.8: after a GOAWAY no new stream may be opened. */
    CHECK(conns[side].goaway_received == 0);
    tracker *t = tracker_new(promised);
    uint32_t list_size;
    uint64_t h = expected_hash(fields, field_count, conns[SERVER].config.normalize_outbound_headers,
                               conns[CLIENT].config.normalize_inbound_headers, &list_size);
    fifo_push(t, SERVER, h, list_size);
    t->pushed = 1;
    t->parent = parent;
    t->no_body = (uint8_t)head;
    if (conns[CLIENT].goaway_sent && promised > conns[CLIENT].goaway_sent_last_id) {
        /* Promised after a GOAWAY of the client's that the server has not
         * read yet: the client drops it on arrival (RFC 9113 6.8). */
        t->reset = 1;
    }
    /* A pushed stream takes a slot: the pool may refuse later streams. */
    refusal_possible[SERVER] = 1;
}

static void step_priority(int side)
{
    uint32_t id = pick_stream(side);
    uint8_t b = take();
    uint16_t weight = (uint16_t)(b < 250u ? 1u + take() : (b == 250u ? 0u : 257u));
    uint32_t dep = (b & 1u) ? pick_stream(side) : (b & 2u) ? id : 0u;
    snapshot snap;
    h2_status st;
    take_snapshot(side, &snap);
    st = h2_prioritize(&conns[side], id, weight, dep, (b & 4u) != 0);
    trace("%s priority stream %u weight %u dep %u -> %s\n", side == CLIENT ? "client" : "server",
          id, weight, dep, h2_status_name(st));
    if (st != H2_OK) {
        check_unchanged(side, &snap, st);
    }
}

static void step_close(int side)
{
    static const uint32_t codes[] = {
        H2_NO_ERROR, H2_NO_ERROR, H2_NO_ERROR, H2_PROTOCOL_ERROR, H2_INTERNAL_ERROR,
        H2_ENHANCE_YOUR_CALM, H2_NO_ERROR, 0x1234u,
    };
    uint8_t b = take();
    uint32_t code = codes[b % 8u];
    uint32_t last = H2_LAST_STREAM_AUTO;
    size_t len = (b / 8u) % 4u == 0 ? take() : 0u;
    const uint8_t *debug = data_buf;
    snapshot snap;
    h2_status st;
    goaway_log *l = &goaways_sent[side];
    uint32_t expected_last = conns[side].highest_inbound_id;
    if (code != H2_NO_ERROR && (b & 0x80u)) {
        /* With an error, the sender names the last stream it processed. */
        last = take32() % 0x80000000u;
        expected_last = last;
    }
    if (conns[side].goaway_sent && expected_last > conns[side].goaway_sent_last_id) {
        /* It never raises the one of an earlier GOAWAY (RFC 9113 6.8):
         * the library lowers it, whatever was asked for. */
        expected_last = conns[side].goaway_sent_last_id;
    }
    if (b >= 0xfeu) {
        last = 0x80000000u; /* invalid: refused */
    }
    for (size_t i = 0; i < len; i++) {
        data_buf[i] = (uint8_t)i;
    }
    if ((b / 8u) % 4u == 1u && (b & 0x40u)) {
        debug = big_buf; /* more than the outbound buffer holds: refused */
        len = sizeof big_buf;
    }
    take_snapshot(side, &snap);
    st = h2_close_connection(&conns[side], code, last, debug, len);
    trace("%s close code %u last %u -> %s\n", side == CLIENT ? "client" : "server", code, last,
          h2_status_name(st));
    if (st != H2_OK) {
        check_unchanged(side, &snap, st);
        return;
    }
    if (l->count < SENT_LOG) {
        uint32_t k = (l->first + l->count) % SENT_LOG;
        l->code[k] = code;
        l->last[k] = expected_last;
        l->len[k] = (uint32_t)len;
        l->count++;
    } else {
        l->lost = 1;
    }
    if (code != H2_NO_ERROR) {
        terminated = 1;
    }
    if (side == CLIENT) {
        /* Pushes promised above the GOAWAY's last stream id that have not
         * reached the client yet are dropped there on arrival, and the
         * server drops them when it reads the GOAWAY (RFC 9113 6.8): what
         * it sends on them before that is lost. */
        for (uint32_t i = 0; i < tracker_count; i++) {
            tracker *t = &trackers[tracker_used[i]];
            if (t->pushed && t->id > conns[CLIENT].goaway_sent_last_id &&
                find_stream(&conns[CLIENT], t->id) == NULL) {
                t->reset = 1;
            }
        }
    }
}

static void step_altsvc(int side)
{
    uint8_t b = take();
    uint32_t id = (b & 1u) ? 0u : pick_stream(side);
    size_t origin_len = (b & 2u) ? 11u : 0u;
    size_t value_len = take() % 64u;
    snapshot snap;
    h2_status st;
    for (size_t i = 0; i < value_len; i++) {
        data_buf[i] = (uint8_t)('a' + i % 26u);
    }
    take_snapshot(side, &snap);
    st = h2_advertise_alternative_service(&conns[side], data_buf, value_len,
                                          (const uint8_t *)"example.com", origin_len, id);
    trace("%s altsvc stream %u -> %s\n", side == CLIENT ? "client" : "server", id,
          h2_status_name(st));
    if (st != H2_OK) {
        check_unchanged(side, &snap, st);
    }
}

/* The query functions agree with the state they report on. */
static void step_queries(int side)
{
    const h2_conn *c = &conns[side];
    uint32_t id = pick_stream(side);
    const h2_stream *s = find_stream(c, id);
    int32_t w = 0;
    uint32_t next = 0;
    h2_status st = h2_local_flow_control_window(c, id, &w);
    if (id == 0) {
        CHECK(st == H2_OK && w == c->send_window);
    } else if (s != NULL) {
        CHECK(st == H2_OK);
        CHECK(w == (s->send_window < c->send_window ? s->send_window : c->send_window));
    } else {
        CHECK(st != H2_OK);
    }
    st = h2_remote_flow_control_window(c, id, &w);
    CHECK((st == H2_OK) == (id == 0 || s != NULL));
    if (h2_get_next_available_stream_id(c, &next) == H2_OK) {
        CHECK(next <= 0x7fffffffu && next % 2u == (side == CLIENT ? 1u : 0u));
        CHECK(next > c->highest_outbound_id);
    }
    CHECK(h2_max_outbound_frame_size(c) >= 16384u && h2_max_outbound_frame_size(c) <= 0xffffffu);
    CHECK(h2_max_inbound_frame_size(c) >= 16384u && h2_max_inbound_frame_size(c) <= 0xffffffu);
}

/* ------------------------------------------------------------------ */
/* The run                                                             */
/* ------------------------------------------------------------------ */

/* Before h2_initiate_connection() every call but h2_update_settings() is
 * refused and changes nothing. */
static void calls_before_initiate(void)
{
    static const uint8_t opaque[8] = { 0 };
    h2_event ev;
    size_t used = 1;
    snapshot snap;
    for (int side = 0; side < 2; side++) {
        h2_conn *c = &conns[side];
        take_snapshot(side, &snap);
        CHECK(h2_recv(c, (const uint8_t *)H2_CLIENT_PREFACE, 9, &used, &ev) != H2_OK);
        CHECK(used == 0 && ev.type == H2_EVENT_NONE);
        CHECK(h2_ping(c, opaque) != H2_OK);
        CHECK(h2_send_data(c, 1, opaque, 1, 0, 0) != H2_OK);
        CHECK(h2_reset_stream(c, 1, 0) != H2_OK);
        CHECK(h2_increment_flow_control_window(c, 1, 0) != H2_OK);
        CHECK(h2_acknowledge_received_data(c, 1, 1) != H2_OK);
        CHECK(h2_prioritize(c, 1, 16, 0, 0) != H2_OK);
        CHECK(h2_close_connection(c, 0, H2_LAST_STREAM_AUTO, NULL, 0) != H2_OK);
        CHECK(h2_push_stream(c, 1, 2, NULL, 0) != H2_OK);
        check_unchanged(side, &snap, H2_E_PROTOCOL);
    }
}

/* HTTP/1.1 Upgrade instead of the preface: the client's settings travel
 * in HTTP2-Settings, stream 1 carried the request. 0 when the script
 * handed the server a value of its own (nothing more to check then). */
static int upgrade(void)
{
    uint8_t header[256];
    size_t header_len = 0;
    uint8_t b = take();
    snapshot snap;
    h2_status st;
    tracker *t;
    CHECK(h2_initiate_upgrade_connection(&conns[CLIENT], NULL, 0, header, sizeof header,
                                         &header_len) == H2_OK);
    CHECK(header_len <= sizeof header);
    if (b & 0x80u) {
        /* A value from the script: valid or not. */
        header_len = b % 64u;
        for (size_t i = 0; i < header_len; i++) {
            header[i] = take();
        }
    }
    take_snapshot(SERVER, &snap);
    st = h2_initiate_upgrade_connection(&conns[SERVER], header, header_len, NULL, 0, NULL);
    trace("upgrade -> %s\n", h2_status_name(st));
    if (st != H2_OK) {
        check_unchanged(SERVER, &snap, st);
        CHECK(conns[SERVER].state == H2_CONN_IDLE);
        return 0;
    }
    if (b & 0x80u) {
        /* Accepted, but not the client's settings: the two sides no
         * longer describe one connection. */
        CHECK(conns[SERVER].state == H2_CONN_OPEN);
        return 0;
    }
    t = tracker_new(1);
    t->headers_sent[CLIENT] = 1;
    t->end_sent[CLIENT] = t->end_recvd[CLIENT] = 1;
    CHECK(h2_open_outbound_streams(&conns[CLIENT]) == 1);
    CHECK(h2_open_inbound_streams(&conns[SERVER]) == 1);
    return 1;
}

static int setup(void)
{
    uint8_t mode = take();
    uint8_t extra = 0;
    h2_config cc, sc;
    h2_config_init(&cc, 1);
    h2_config_init(&sc, 0);
    if (mode & 0x40u) {
        cc.normalize_outbound_headers = 0;
        sc.normalize_inbound_headers = 0;
    }
    if (mode & 0x80u) {
        sc.normalize_outbound_headers = 0;
        cc.normalize_inbound_headers = 0;
    }
    h2_conn_init(&conns[CLIENT], &cc);
    h2_conn_init(&conns[SERVER], &sc);
    for (int side = 0; side < 2; side++) {
        pipes[side].head = pipes[side].tail = 0;
        refusal_possible[side] = 0;
        goaway_seen[side] = 0;
        goaway_last[side] = 0;
        memset(&pings_sent[side], 0, sizeof pings_sent[side]);
        memset(&pings_acked[side], 0, sizeof pings_acked[side]);
        memset(&goaways_sent[side], 0, sizeof goaways_sent[side]);
    }
    trackers_clear();
    terminated = 0;
    stalled = 0;
    auto_ack = (mode & 1u) != 0;
    zero_copy = (mode & 2u) != 0;
    drain_cap = PIPE_CAP;
    if (mode & 0x20u) {
        extra = take();
    }
    /* Settings for the first SETTINGS frame of each side. */
    for (int side = 0; side < 2; side++) {
        if (mode & (4u << side)) {
            h2_setting list[3];
            uint32_t n = 1u + take() % 3u;
            h2_status st;
            snapshot snap;
            for (uint32_t i = 0; i < n; i++) {
                pick_setting(&list[i]);
            }
            take_snapshot(side, &snap);
            st = h2_update_settings(&conns[side], list, n);
            if (st != H2_OK) {
                check_unchanged(side, &snap, st);
            } else {
                CHECK(!forbidden_settings(side, list, n));
                settings_applied(side, list, n);
            }
        }
    }
    if (extra & 2u) {
        calls_before_initiate();
    }
    if (extra & 4u) {
        drain_cap = 1u + (size_t)take() * 64u;
    }
    if (extra & 1u) {
        if (!upgrade()) {
            return 0;
        }
    } else {
        CHECK(h2_initiate_connection(&conns[CLIENT]) == H2_OK);
        CHECK(h2_initiate_connection(&conns[SERVER]) == H2_OK);
    }
    CHECK(h2_initiate_connection(&conns[CLIENT]) == H2_E_PROTOCOL);
    if (mode & 0x10u) {
        flush();
    }
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    script_bytes = data;
    script_len = size;
    script_pos = 0;
    value_used = 0;
    if (!setup()) {
        return 0;
    }
    while (script_pos < script_len && !stalled) {
        uint8_t op = take();
        int side = (op / 16u) % 2u;
        value_used = 0;
        switch (op % 16u) {
        case 0: step_request(); break;
        case 1: step_headers(side); break;
        case 2: step_data(side); break;
        case 3: step_end_stream(side); break;
        case 4: step_reset(side); break;
        case 5: step_ping(side); break;
        case 6: step_settings(side); break;
        case 7: step_window(side); break;
        case 8: step_ack(side); break;
        case 9: step_push(side); break;
        case 10: step_priority(side); break;
        case 11: step_close(side); break;
        case 12: step_altsvc(side); break;
        case 13: { /* part of the bytes one way, in a chunk the script picks */
            uint8_t chunk = take();
            trace("%s pump %u\n", side == CLIENT ? "client" : "server", chunk);
            drain(side);
            (void)deliver(1 - side, chunk == 255u ? PIPE_CAP : (size_t)chunk + 1u);
            break;
        }
        case 14:
            flush();
            check_quiet();
            break;
        default:
            step_queries(side);
            break;
        }
        check_side(CLIENT);
        check_side(SERVER);
    }
    flush();
    check_quiet();
    return 0;
}
