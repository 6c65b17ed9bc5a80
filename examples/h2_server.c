/*
 * h2_server: an HTTP/2 file and echo server on libh2, one thread, poll().
 *
 *   h2_server [-l ADDR:PORT] [-r DIR] [--tls CERT KEY] [--port-file FILE]
 *             [--idle-timeout SECONDS] [-v] [-q]
 *
 * Cleartext connections speak h2c with prior knowledge or upgrade from an
 * HTTP/1.1 request with "Upgrade: h2c"; TLS connections need ALPN "h2".
 *
 *   GET/HEAD /path   a file under DIR
 *   GET /size/N      N bytes of 'a' + i % 26
 *   GET /trailers    a short body, then the trailer x-checksum: ok
 *   GET /reset       RST_STREAM(CANCEL)
 *   POST/PUT any     the request body, echoed as it arrives
 *   OPTIONS any      204 with the allowed methods
 *
 * Each connection is an h2_conn plus a fixed table of stream states. The
 * loop per connection: read what the socket has, feed it to h2_recv() one
 * event at a time, queue the responses' frames as far as flow control and
 * the outbound buffer allow, and write what h2_outbound_peek() holds.
 * SIGINT/SIGTERM send GOAWAY, let the streams in progress finish, and exit.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "h2.h"
#include "net.h"

#define MAX_CONNECTIONS 64u
#define INPUT_CAPACITY 32768u
/* Outbound room kept free before each h2_recv() call, so the frames an
 * event makes us queue (WINDOW_UPDATE, RST_STREAM) always fit. */
#define INPUT_RESERVE 1024u
#define CHUNK_SIZE 16384u
/* An echo buffer holds what the peer may send before we hand back
 * credit: the stream window we advertise (the RFC default, 65535). */
#define ECHO_CAPACITY 65535u
/* Largest body of an upgraded HTTP/1.1 request: it arrives whole before
 * any frame (RFC 7540 section 3.2), so it is held in memory. */
#define UPGRADE_BODY_MAX (8u * 1024u * 1024u)
#define HTTP1_MAX_HEAD 8192u
#define PRE_CAPACITY 512u
#define PATH_CAPACITY 256u
#define LINGER_MS 2000
#define EVENTS_PER_RUN 4096u
#define ITERATIONS_PER_RUN 32

typedef enum body_kind {
    BODY_TEXT = 0,  /* a short text from the stream itself */
    BODY_FILE,
    BODY_PATTERN,
    BODY_ECHO
} body_kind;

typedef struct server_stream {
    uint32_t id;               /* 0: the slot is free */
    uint8_t kind;              /* body_kind */
    uint8_t headers_sent;
    uint8_t response_done;     /* END_STREAM or RST_STREAM sent */
    uint8_t request_done;      /* the peer's END_STREAM (or a reset) seen */
    uint8_t head;              /* HEAD: headers only */
    uint8_t trailers;          /* trailers follow the body */
    uint8_t has_length;
    uint8_t is_reset;          /* the answer is RST_STREAM(reset_code) */
    uint16_t status;
    uint32_t reset_code;
    int fd;
    uint64_t length;           /* content-length, when has_length */
    uint64_t offset;           /* body bytes sent */
    uint64_t remaining;        /* body bytes still to send (not BODY_ECHO) */
    uint8_t *ring;             /* BODY_ECHO: bytes received, not yet sent */
    uint32_t ring_cap;
    uint32_t ring_head;
    uint32_t ring_len;
    uint32_t ring_unacked_skip; /* leading ring bytes that came outside flow
                                   control (an upgraded request's body) */
    uint32_t ack_owed;         /* credit to hand back when room allows */
    int64_t started_us;
    char method[16];
    char path[PATH_CAPACITY];
    char content_type[96];
    char text[320];
} server_stream;

typedef enum conn_phase {
    PHASE_FREE = 0,
    PHASE_TLS,      /* TLS handshake */
    PHASE_DETECT,   /* cleartext: the preface or an HTTP/1.1 request? */
    PHASE_HTTP1,    /* reading an HTTP/1.1 request head */
    PHASE_UPGRADE_BODY, /* reading the body of an upgrade request */
    PHASE_H2,
    PHASE_LINGER    /* our side is closed; reading until the peer's EOF */
} conn_phase;

typedef struct server_conn {
    uint8_t phase;
    uint8_t eof;           /* the peer closed its side */
    uint8_t dead;          /* the socket failed: close at once */
    uint8_t closing;       /* close once everything queued is written */
    uint8_t goaway_sent;   /* our graceful GOAWAY went out */
    uint8_t peer_goaway;
    uint8_t busy;          /* stopped with work left: poll without waiting */
    uint8_t awaiting_preface; /* upgraded: stream 1 waits for the client preface */
    unsigned serial;
    net_stream net;
    char peer[64];
    int64_t last_active_ms;
    int64_t linger_until_ms;
    uint32_t active;       /* streams in use */
    uint32_t pump_start;   /* round-robin start of the next pump */
    unsigned requests;
    size_t in_len;
    size_t upgrade_body_left;
    size_t pre_len;        /* raw bytes (HTTP/1.1) sent before any frame */
    size_t pre_sent;
    uint8_t in[INPUT_CAPACITY];
    uint8_t pre[PRE_CAPACITY];
    h2_conn h2;
    server_stream streams[H2_MAX_STREAMS];
} server_conn;

static server_conn conns[MAX_CONNECTIONS];
static uint8_t chunk[CHUNK_SIZE];

static int verbosity = 1; /* 0: errors only, 1: connections and requests, 2: every event */
static const char *root_dir = ".";
static int use_tls;
static int64_t idle_ms = 30000;
static unsigned next_serial = 1;
static int signal_pipe[2] = { -1, -1 };
static volatile sig_atomic_t signals_seen;

static void on_signal(int sig)
{
    int saved = errno;
    unsigned char b = (unsigned char)sig;
    signals_seen++;
    if (write(signal_pipe[1], &b, 1) < 0) {
        /* The pipe is full: a wake-up is already pending. */
    }
    errno = saved;
}

static h2_header field(const char *name, const char *value)
{
    h2_header h;
    h.name = (const uint8_t *)name;
    h.name_len = (uint32_t)strlen(name);
    h.value = (const uint8_t *)value;
    h.value_len = (uint32_t)strlen(value);
    h.flags = 0;
    return h;
}

static size_t outbound_room(const server_conn *c)
{
    size_t queued = 0;
    (void)h2_outbound_peek(&c->h2, &queued);
    return H2_OUTBOUND_CAPACITY - queued;
}

static size_t outbound_queued(const server_conn *c)
{
    size_t queued = 0;
    (void)h2_outbound_peek(&c->h2, &queued);
    return queued;
}

static const char *status_text(unsigned status)
{
    switch (status) {
    case 200: return "OK";
    case 204: return "No Content";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 413: return "Payload Too Large";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    case 505: return "HTTP Version Not Supported";
    default: return "";
    }
}

/* ------------------------------------------------------------------ */
/* Routes                                                              */
/* ------------------------------------------------------------------ */

static const char *content_type_for(const char *path)
{
    static const char *const table[][2] = {
        { ".html", "text/html; charset=utf-8" }, { ".htm", "text/html; charset=utf-8" },
        { ".txt", "text/plain; charset=utf-8" }, { ".css", "text/css" },
        { ".js", "text/javascript" }, { ".json", "application/json" },
        { ".svg", "image/svg+xml" }, { ".png", "image/png" }, { ".jpg", "image/jpeg" },
        { ".jpeg", "image/jpeg" }, { ".gif", "image/gif" }, { ".ico", "image/x-icon" },
        { ".pdf", "application/pdf" }, { ".wasm", "application/wasm" },
        { ".xml", "application/xml" }, { ".gz", "application/gzip" },
    };
    const char *dot = strrchr(path, '.');
    size_t i;
    if (dot != NULL && strchr(dot, '/') == NULL) {
        for (i = 0; i < sizeof table / sizeof table[0]; i++) {
            if (strcasecmp(dot, table[i][0]) == 0) {
                return table[i][1];
            }
        }
    }
    return "application/octet-stream";
}

static int hex_value(char ch)
{
    if (ch >= '0' && ch <= '9') {
        return ch - '0';
    }
    if (ch >= 'a' && ch <= 'f') {
        return ch - 'a' + 10;
    }
    if (ch >= 'A' && ch <= 'F') {
        return ch - 'A' + 10;
    }
    return -1;
}

/* The request path without query, percent-decoded, into out; 0 when it is
 * usable (starts with '/', no NUL, no ".." segment). */
static int clean_path(const char *in, char *out, size_t cap)
{
    size_t n = 0;
    const char *seg;
    if (in[0] != '/') {
        return -1;
    }
    for (; *in != '\0' && *in != '?' && *in != '#'; in++) {
        char ch = *in;
        if (ch == '%') {
            int hi = hex_value(in[1]);
            int lo = hi < 0 ? -1 : hex_value(in[2]);
            if (lo < 0) {
                return -1;
            }
            ch = (char)(hi * 16 + lo);
            in += 2;
        }
        if (ch == '\0' || n + 1 >= cap) {
            return -1;
        }
        out[n++] = ch;
    }
    out[n] = '\0';
    for (seg = out; seg != NULL; seg = strchr(seg + 1, '/')) {
        if (strncmp(seg, "/..", 3) == 0 && (seg[3] == '/' || seg[3] == '\0')) {
            return -1;
        }
    }
    return 0;
}

static void set_text(server_stream *s, unsigned status, const char *fmt, const char *arg)
{
    s->kind = BODY_TEXT;
    s->status = (uint16_t)status;
    snprintf(s->text, sizeof s->text, fmt, arg);
    s->remaining = strlen(s->text);
    s->has_length = 1;
    s->length = s->remaining;
    snprintf(s->content_type, sizeof s->content_type, "text/plain; charset=utf-8");
}

static void route_file(server_stream *s, const char *clean)
{
    char full[PATH_MAX];
    struct stat st;
    size_t len = strlen(clean);
    int fd;
    int n = snprintf(full, sizeof full, "%s%s%s", root_dir, clean,
                     clean[len - 1] == '/' ? "index.html" : "");
    if (n < 0 || (size_t)n >= sizeof full) {
        set_text(s, 404, "not found: %s\n", s->path);
        return;
    }
    fd = open(full, O_RDONLY);
    if (fd >= 0 && fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        /* A directory named without its slash: its index. */
        close(fd);
        fd = -1;
        if (strlen(full) + sizeof "/index.html" <= sizeof full) {
            strcat(full, "/index.html");
            fd = open(full, O_RDONLY);
        }
    }
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        if (fd >= 0) {
            close(fd);
        }
        set_text(s, 404, "not found: %s\n", s->path);
        return;
    }
    s->kind = BODY_FILE;
    s->fd = fd;
    s->status = 200;
    s->has_length = 1;
    s->length = (uint64_t)st.st_size;
    s->remaining = s->length;
    snprintf(s->content_type, sizeof s->content_type, "%s", content_type_for(full));
}

/* Picks the response of a request; content_type/content_length are the
 * request's own (NULL when absent). */
static void route(server_stream *s, const char *content_type, const char *content_length)
{
    char clean[PATH_CAPACITY];
    int get = strcmp(s->method, "GET") == 0;
    s->head = strcmp(s->method, "HEAD") == 0;
    s->status = 200;
    if (strcmp(s->method, "POST") == 0 || strcmp(s->method, "PUT") == 0) {
        s->kind = BODY_ECHO;
        s->ring = malloc(ECHO_CAPACITY);
        s->ring_cap = ECHO_CAPACITY;
        if (s->ring == NULL) {
            set_text(s, 503, "%s", "out of memory\n");
            return;
        }
        if (content_type != NULL) {
            snprintf(s->content_type, sizeof s->content_type, "%s", content_type);
        }
        if (content_length != NULL) {
            s->has_length = 1;
            s->length = strtoull(content_length, NULL, 10);
        }
        return;
    }
    if (strcmp(s->method, "OPTIONS") == 0) {
        s->status = 204;
        s->kind = BODY_TEXT;
        return;
    }
    if (!get && !s->head) {
        set_text(s, 405, "method %s not allowed\n", s->method);
        return;
    }
    if (clean_path(s->path, clean, sizeof clean) != 0) {
        set_text(s, 400, "bad path: %s\n", s->path);
        return;
    }
    if (strncmp(clean, "/size/", 6) == 0) {
        char *end = NULL;
        unsigned long long n;
        errno = 0;
        n = strtoull(clean + 6, &end, 10);
        if (clean[6] < '0' || clean[6] > '9' || *end != '\0' || errno != 0 ||
            n > 1000000000ull) {
            set_text(s, 400, "bad size: %s (0 to 1000000000)\n", clean + 6);
            return;
        }
        s->kind = BODY_PATTERN;
        s->has_length = 1;
        s->length = n;
        s->remaining = n;
        snprintf(s->content_type, sizeof s->content_type, "application/octet-stream");
        return;
    }
    if (strcmp(clean, "/trailers") == 0) {
        set_text(s, 200, "%s", "this body is followed by trailers\n");
        s->trailers = 1;
        return;
    }
    if (strcmp(clean, "/reset") == 0) {
        s->is_reset = 1;
        s->reset_code = H2_CANCEL;
        return;
    }
    route_file(s, clean);
}

/* ------------------------------------------------------------------ */
/* Streams                                                             */
/* ------------------------------------------------------------------ */

/* The slot of stream id; id 0 finds a free slot. */
static server_stream *find_slot(server_conn *c, uint32_t id)
{
    uint32_t i;
    for (i = 0; i < H2_MAX_STREAMS; i++) {
        if (c->streams[i].id == id) {
            return &c->streams[i];
        }
    }
    return NULL;
}

static server_stream *find_stream(server_conn *c, uint32_t id)
{
    return id != 0 ? find_slot(c, id) : NULL;
}

static server_stream *new_stream(server_conn *c, uint32_t id)
{
    server_stream *s = find_slot(c, 0);
    if (s == NULL) {
        return NULL;
    }
    memset(s, 0, sizeof *s);
    s->id = id;
    s->fd = -1;
    s->started_us = net_now_us();
    c->active++;
    c->requests++;
    return s;
}

static void release_stream(server_conn *c, server_stream *s, const char *outcome)
{
    if (verbosity >= 1) {
        fprintf(stderr, "[conn %u] stream %u: %s %s -> %s, %llu bytes, %.1f ms\n", c->serial,
                (unsigned)s->id, s->method, s->path, outcome, (unsigned long long)s->offset,
                (double)(net_now_us() - s->started_us) / 1000.0);
    }
    if (s->fd >= 0) {
        close(s->fd);
    }
    free(s->ring);
    s->ring = NULL;
    s->id = 0;
    c->active--;
}

static void release_if_done(server_conn *c, server_stream *s)
{
    if (s->id != 0 && s->response_done && s->request_done) {
        char outcome[16];
        snprintf(outcome, sizeof outcome, "%u", (unsigned)s->status);
        release_stream(c, s, s->is_reset ? "reset" : outcome);
    }
}

/* Hands back flow-control credit; what does not fit now is owed. */
static void give_credit(server_conn *c, server_stream *s, uint32_t stream_id, uint32_t n)
{
    h2_status st;
    if (n == 0) {
        return;
    }
    st = h2_acknowledge_received_data(&c->h2, n, stream_id);
    if (st == H2_E_WOULD_BLOCK && s != NULL) {
        s->ack_owed += n;
    }
}

/* Gives up on a stream after a local failure: the next pump resets it. */
static void stream_fail(server_conn *c, server_stream *s, const char *why, uint32_t code)
{
    char name[16];
    fprintf(stderr, "[conn %u] stream %u: %s: resetting with %s\n", c->serial,
            (unsigned)s->id, why, net_error_code_name(code, name, sizeof name));
    s->is_reset = 1;
    s->reset_code = code;
    s->request_done = 1; /* whatever else arrives is dropped */
}

static void log_sent(const server_conn *c, const char *what, uint32_t stream_id,
                     const h2_header *fields, size_t count, size_t data_len, int end)
{
    size_t i;
    if (verbosity < 2) {
        return;
    }
    fprintf(stderr, "[conn %u] > %s stream %u", c->serial, what, (unsigned)stream_id);
    for (i = 0; i < count; i++) {
        fprintf(stderr, "%s%.*s: %.*s", i == 0 ? ": " : ", ", (int)fields[i].name_len,
                (const char *)fields[i].name, (int)fields[i].value_len,
                (const char *)fields[i].value);
    }
    if (fields == NULL) {
        fprintf(stderr, " %zu bytes", data_len);
    }
    fprintf(stderr, "%s\n", end ? " [END_STREAM]" : "");
}

enum { STEP_IDLE = 0, STEP_SENT, STEP_FULL };

static int send_response_headers(server_conn *c, server_stream *s)
{
    h2_header fields[6];
    char status[8], length[24];
    size_t n = 0;
    int end;
    h2_status st;

    snprintf(status, sizeof status, "%u", (unsigned)s->status);
    fields[n++] = field(":status", status);
    if (s->content_type[0] != '\0') {
        fields[n++] = field("content-type", s->content_type);
    }
    if (s->has_length) {
        snprintf(length, sizeof length, "%llu", (unsigned long long)s->length);
        fields[n++] = field("content-length", length);
    }
    if (s->status == 204) {
        fields[n++] = field("allow", "GET, HEAD, POST, PUT, OPTIONS");
    } else if (s->status == 405) {
        fields[n++] = field("allow", "GET, HEAD, POST, PUT, OPTIONS");
    }
    fields[n++] = field("server", "h2_server (libh2 " H2_VERSION_STRING ")");
    end = s->head || s->status == 204 ||
          (s->kind != BODY_ECHO && s->remaining == 0 && !s->trailers);
    st = h2_send_headers(&c->h2, s->id, fields, n, end, NULL, 0);
    if (st == H2_E_WOULD_BLOCK) {
        return STEP_FULL;
    }
    if (st != H2_OK) {
        stream_fail(c, s, h2_status_name(st), H2_INTERNAL_ERROR);
        return STEP_SENT;
    }
    log_sent(c, "HEADERS", s->id, fields, n, 0, end);
    s->headers_sent = 1;
    if (end) {
        s->response_done = 1;
    }
    return STEP_SENT;
}

static int finish_body(server_conn *c, server_stream *s)
{
    h2_status st;
    if (s->trailers) {
        h2_header t = field("x-checksum", "ok");
        st = h2_send_headers(&c->h2, s->id, &t, 1, 1, NULL, 0);
        if (st == H2_OK) {
            log_sent(c, "HEADERS (trailers)", s->id, &t, 1, 0, 1);
        }
    } else {
        st = h2_end_stream(&c->h2, s->id);
        if (st == H2_OK) {
            log_sent(c, "DATA", s->id, NULL, 0, 0, 1);
        }
    }
    if (st == H2_E_WOULD_BLOCK) {
        return STEP_FULL;
    }
    if (st != H2_OK) {
        stream_fail(c, s, h2_status_name(st), H2_INTERNAL_ERROR);
        return STEP_SENT;
    }
    s->response_done = 1;
    return STEP_SENT;
}

/* Copies n body bytes of s, starting at its offset, into chunk. */
static int fill_chunk(server_stream *s, size_t n)
{
    size_t i;
    switch (s->kind) {
    case BODY_TEXT:
        memcpy(chunk, s->text + s->offset, n);
        return 0;
    case BODY_PATTERN:
        for (i = 0; i < n; i++) {
            chunk[i] = (uint8_t)('a' + (s->offset + i) % 26u);
        }
        return 0;
    case BODY_FILE: {
        size_t got = 0;
        while (got < n) {
            ssize_t r = pread(s->fd, chunk + got, n - got, (off_t)(s->offset + got));
            if (r < 0 && errno == EINTR) {
                continue;
            }
            if (r <= 0) {
                return -1; /* an error, or the file shrank */
            }
            got += (size_t)r;
        }
        return 0;
    }
    default: { /* BODY_ECHO: the ring's first n bytes */
        size_t first = s->ring_cap - s->ring_head;
        if (first > n) {
            first = n;
        }
        memcpy(chunk, s->ring + s->ring_head, first);
        memcpy(chunk + first, s->ring, n - first);
        return 0;
    }
    }
}

/* Queues at most one frame of a stream's response. */
static int stream_step(server_conn *c, server_stream *s)
{
    int32_t window = 0;
    uint64_t avail;
    size_t room, n;
    int last;
    h2_status st;

    if (s->ack_owed > 0) {
        st = h2_acknowledge_received_data(&c->h2, s->ack_owed, s->id);
        if (st == H2_E_WOULD_BLOCK) {
            return STEP_FULL;
        }
        s->ack_owed = 0;
    }
    if (h2_local_flow_control_window(&c->h2, s->id, &window) != H2_OK) {
        /* The connection closed the stream (a reset we were not told
         * about): nothing more will happen on it. */
        s->request_done = 1;
        if (!s->response_done) {
            s->response_done = 1;
            s->is_reset = 1;
        }
        return STEP_SENT;
    }
    if (s->response_done) {
        return STEP_IDLE;
    }
    if (s->is_reset) {
        char name[16];
        if (h2_reset_stream(&c->h2, s->id, s->reset_code) == H2_E_WOULD_BLOCK) {
            return STEP_FULL;
        }
        if (verbosity >= 2) {
            fprintf(stderr, "[conn %u] > RST_STREAM stream %u: %s\n", c->serial,
                    (unsigned)s->id, net_error_code_name(s->reset_code, name, sizeof name));
        }
        s->response_done = 1;
        s->request_done = 1;
        return STEP_SENT;
    }
    if (!s->headers_sent) {
        return send_response_headers(c, s);
    }
    avail = s->kind == BODY_ECHO ? s->ring_len : s->remaining;
    if (avail == 0) {
        if (s->kind == BODY_ECHO && !s->request_done) {
            return STEP_IDLE;
        }
        return finish_body(c, s);
    }
    if (window <= 0) {
        return STEP_IDLE; /* a WINDOW_UPDATE will come */
    }
    room = outbound_room(c);
    if (room < H2_FRAME_HEADER_SIZE + INPUT_RESERVE + 1u) {
        return STEP_FULL;
    }
    n = room - H2_FRAME_HEADER_SIZE - INPUT_RESERVE;
    if (n > CHUNK_SIZE) {
        n = CHUNK_SIZE;
    }
    if (n > h2_max_outbound_frame_size(&c->h2)) {
        n = h2_max_outbound_frame_size(&c->h2);
    }
    if (n > (size_t)window) {
        n = (size_t)window;
    }
    if (n > avail) {
        n = (size_t)avail;
    }
    if (fill_chunk(s, n) != 0) {
        stream_fail(c, s, "file read failed", H2_INTERNAL_ERROR);
        return STEP_SENT;
    }
    last = n == avail && !s->trailers && (s->kind != BODY_ECHO || s->request_done);
    st = h2_send_data(&c->h2, s->id, chunk, n, last, 0);
    if (st == H2_E_WOULD_BLOCK) {
        return STEP_FULL;
    }
    if (st != H2_OK) {
        stream_fail(c, s, h2_status_name(st), H2_INTERNAL_ERROR);
        return STEP_SENT;
    }
    log_sent(c, "DATA", s->id, NULL, 0, n, last);
    s->offset += n;
    if (s->kind == BODY_ECHO) {
        uint32_t free_part = s->ring_unacked_skip < n ? s->ring_unacked_skip : (uint32_t)n;
        s->ring_unacked_skip -= free_part;
        s->ring_head = (uint32_t)((s->ring_head + n) % s->ring_cap);
        s->ring_len -= (uint32_t)n;
        /* The bytes have left us: the peer may send as many again. */
        give_credit(c, s, s->id, (uint32_t)n - free_part);
    } else {
        s->remaining -= n;
    }
    if (last) {
        s->response_done = 1;
    }
    return STEP_SENT;
}

/* Queues response frames round-robin, one frame per stream per round, so
 * that concurrent streams share the connection. 1 when anything moved. */
static int pump(server_conn *c)
{
    int progress = 0;
    int round;
    for (round = 0; round < 64; round++) {
        int moved = 0;
        uint32_t k;
        for (k = 0; k < H2_MAX_STREAMS; k++) {
            server_stream *s = &c->streams[(c->pump_start + k) % H2_MAX_STREAMS];
            int r;
            if (s->id == 0) {
                continue;
            }
            r = stream_step(c, s);
            release_if_done(c, s);
            if (r == STEP_FULL) {
                /* This stream goes first once the buffer has drained. */
                c->pump_start = (c->pump_start + k) % H2_MAX_STREAMS;
                return progress | moved;
            }
            moved |= r == STEP_SENT;
        }
        c->pump_start = (c->pump_start + 1u) % H2_MAX_STREAMS;
        if (!moved) {
            break;
        }
        progress = 1;
    }
    return progress;
}

/* ------------------------------------------------------------------ */
/* Events                                                              */
/* ------------------------------------------------------------------ */

static void on_request(server_conn *c, const h2_event *e)
{
    char content_type[96], content_length[24];
    server_stream *s = new_stream(c, e->stream_id);
    if (s == NULL) {
        /* Cannot happen while the table is as large as the pool. */
        (void)h2_reset_stream(&c->h2, e->stream_id, H2_REFUSED_STREAM);
        return;
    }
    if (!net_event_header(e, ":method", s->method, sizeof s->method)) {
        snprintf(s->method, sizeof s->method, "?");
    }
    if (!net_event_header(e, ":path", s->path, sizeof s->path)) {
        snprintf(s->path, sizeof s->path, "/");
    }
    route(s, net_event_header(e, "content-type", content_type, sizeof content_type) ?
                 content_type : NULL,
          net_event_header(e, "content-length", content_length, sizeof content_length) ?
                 content_length : NULL);
}

/* Appends to an echo stream's ring; -1 when it does not fit. */
static int ring_put(server_stream *s, const uint8_t *data, uint32_t n)
{
    uint32_t tail, first;
    if (n == 0) {
        return 0; /* an empty DATA frame has no data pointer */
    }
    if (n > s->ring_cap - s->ring_len) {
        return -1;
    }
    tail = (s->ring_head + s->ring_len) % s->ring_cap;
    first = s->ring_cap - tail < n ? s->ring_cap - tail : n;
    memcpy(s->ring + tail, data, first);
    memcpy(s->ring, data + first, n - first);
    s->ring_len += n;
    return 0;
}

static void on_data(server_conn *c, const h2_event *e)
{
    server_stream *s = find_stream(c, e->stream_id);
    uint32_t padding = e->flow_controlled_length - e->data_len;
    if (s != NULL && s->kind == BODY_ECHO && !s->response_done && !s->is_reset) {
        if (ring_put(s, e->data, e->data_len) != 0) {
            stream_fail(c, s, "the peer overran its window", H2_FLOW_CONTROL_ERROR);
            give_credit(c, NULL, e->stream_id, e->flow_controlled_length);
            return;
        }
        /* Padding is never echoed: its credit goes back now. */
        give_credit(c, s, e->stream_id, padding);
        return;
    }
    /* A body nobody reads: its credit goes back at once. */
    give_credit(c, s, e->stream_id, e->flow_controlled_length);
}

static void on_event(server_conn *c, const h2_event *e)
{
    server_stream *s;
    char prefix[32];
    if (verbosity >= 2) {
        snprintf(prefix, sizeof prefix, "[conn %u] < ", c->serial);
        net_log_event(stderr, prefix, e);
    }
    switch (e->type) {
    case H2_EVENT_REQUEST_RECEIVED:
        on_request(c, e);
        break;
    case H2_EVENT_DATA_RECEIVED:
        on_data(c, e);
        break;
    case H2_EVENT_STREAM_ENDED:
        s = find_stream(c, e->stream_id);
        if (s != NULL) {
            s->request_done = 1;
            release_if_done(c, s);
        }
        break;
    case H2_EVENT_STREAM_RESET:
        s = find_stream(c, e->stream_id);
        if (s != NULL) {
            char name[16];
            char outcome[48];
            snprintf(outcome, sizeof outcome, "reset %s (%s)",
                     net_error_code_name(e->error_code, name, sizeof name),
                     e->remote_reset ? "by the client" : "by us");
            release_stream(c, s, outcome);
        }
        break;
    case H2_EVENT_CONNECTION_TERMINATED:
        c->peer_goaway = 1;
        if (e->error_code != H2_NO_ERROR) {
            char name[16];
            fprintf(stderr, "[conn %u] %s: the client sent GOAWAY %s\n", c->serial, c->peer,
                    net_error_code_name(e->error_code, name, sizeof name));
            c->closing = 1;
        }
        break;
    default:
        break; /* the rest needs no answer from us, or libh2 gave it */
    }
}

/* Feeds received bytes to libh2 one event at a time. 1 on progress. */
static int feed(server_conn *c)
{
    size_t pos = 0;
    uint32_t events = 0;
    int progress = 0;

    while (events < EVENTS_PER_RUN && c->h2.state != H2_CONN_CLOSED) {
        h2_event e;
        size_t used = 0;
        h2_status st;
        if (outbound_room(c) < INPUT_RESERVE) {
            break; /* write first */
        }
        st = h2_recv(&c->h2, c->in + pos, c->in_len - pos, &used, &e);
        pos += used;
        if (e.type != H2_EVENT_NONE) {
            on_event(c, &e);
            events++;
            progress = 1;
        }
        if (st == H2_E_WOULD_BLOCK) {
            break;
        }
        if (st != H2_OK) {
            char name[16];
            fprintf(stderr, "[conn %u] %s: %s from the client: GOAWAY %s\n", c->serial, c->peer,
                    h2_status_name(st),
                    net_error_code_name(h2_status_error_code(st), name, sizeof name));
            c->closing = 1;
            pos = c->in_len;
            break;
        }
        if (e.type == H2_EVENT_NONE && (pos == c->in_len || used == 0)) {
            break;
        }
    }
    if (pos > 0) {
        memmove(c->in, c->in + pos, c->in_len - pos);
        c->in_len -= pos;
        c->awaiting_preface = 0;
        progress = 1;
    }
    return progress;
}

/* ------------------------------------------------------------------ */
/* Connection set-up                                                   */
/* ------------------------------------------------------------------ */

static void start_h2(server_conn *c)
{
    h2_config config;
    h2_config_init(&config, 0);
    h2_conn_init(&c->h2, &config);
    c->phase = PHASE_H2;
}

/* Queues raw HTTP/1.1 bytes, sent before any frame. */
static void pre_append(server_conn *c, const char *text)
{
    size_t n = strlen(text);
    if (n > sizeof c->pre - c->pre_len) {
        n = sizeof c->pre - c->pre_len;
    }
    memcpy(c->pre + c->pre_len, text, n);
    c->pre_len += n;
}

static void reply_http1(server_conn *c, unsigned status, const char *body)
{
    int n = snprintf((char *)c->pre, sizeof c->pre,
                     "HTTP/1.1 %u %s\r\nContent-Type: text/plain\r\nContent-Length: %zu\r\n"
                     "Connection: close\r\n\r\n%s",
                     status, status_text(status), strlen(body), body);
    c->pre_len = n < 0 ? 0 : (size_t)n < sizeof c->pre ? (size_t)n : sizeof c->pre - 1;
    c->pre_sent = 0;
    c->closing = 1;
    if (verbosity >= 1) {
        fprintf(stderr, "[conn %u] %s: HTTP/1.1 request answered %u\n", c->serial, c->peer,
                status);
    }
}

/* 1 when the comma-separated list has token (case-insensitive). */
static int has_token(const char *list, const char *token)
{
    size_t len = strlen(token);
    const char *p = list;
    while (*p != '\0') {
        while (*p == ' ' || *p == '\t' || *p == ',') {
            p++;
        }
        if (strncasecmp(p, token, len) == 0 &&
            (p[len] == '\0' || p[len] == ',' || p[len] == ' ' || p[len] == '\t')) {
            return 1;
        }
        while (*p != '\0' && *p != ',') {
            p++;
        }
    }
    return 0;
}

/* Stores the value of one header line into out when name matches. */
static void grab(const char *line, size_t name_len, const char *value, const char *name,
                 char *out, size_t cap, int *count)
{
    if (strlen(name) == name_len && strncasecmp(line, name, name_len) == 0) {
        snprintf(out, cap, "%s", value);
        (*count)++;
    }
}

/*
 * An HTTP/1.1 request head in c->in: either "Upgrade: h2c" with
 * HTTP2-Settings (RFC 7540 section 3.2), which makes it stream 1 of a new
 * HTTP/2 connection, or anything else, which gets a plain reply.
 */
static void http1_request(server_conn *c)
{
    char head[HTTP1_MAX_HEAD + 1];
    char upgrade[128] = "", settings[256] = "", connection[128] = "", host[128] = "";
    char length[32] = "", coding[64] = "", ctype[96] = "", expect[32] = "";
    char method[16], target[PATH_CAPACITY], version[16];
    int upgrades = 0, settings_count = 0, others = 0;
    const uint8_t *end = NULL;
    size_t head_len, i, body_len = 0;
    char *line, *next;
    server_stream *s;

    for (i = 3; i < c->in_len; i++) {
        if (memcmp(c->in + i - 3, "\r\n\r\n", 4) == 0) {
            end = c->in + i + 1;
            break;
        }
    }
    if (end == NULL) {
        if (c->in_len >= HTTP1_MAX_HEAD) {
            reply_http1(c, 431, "request head too large\n");
        }
        return;
    }
    head_len = (size_t)(end - c->in);
    if (head_len > HTTP1_MAX_HEAD) {
        reply_http1(c, 431, "request head too large\n");
        return;
    }
    memcpy(head, c->in, head_len);
    head[head_len] = '\0';
    next = strstr(head, "\r\n");
    *next = '\0';
    if (sscanf(head, "%15s %255s %15s", method, target, version) != 3 ||
        strncmp(version, "HTTP/1.", 7) != 0) {
        reply_http1(c, 400, "malformed request line\n");
        return;
    }
    for (line = next + 2; *line != '\0' && *line != '\r'; line = next + 2) {
        char *colon, *value;
        next = strstr(line, "\r\n");
        *next = '\0';
        colon = strchr(line, ':');
        if (colon == NULL) {
            reply_http1(c, 400, "malformed header line\n");
            return;
        }
        for (value = colon + 1; *value == ' ' || *value == '\t'; value++) {
        }
        grab(line, (size_t)(colon - line), value, "upgrade", upgrade, sizeof upgrade, &upgrades);
        grab(line, (size_t)(colon - line), value, "http2-settings", settings, sizeof settings,
             &settings_count);
        grab(line, (size_t)(colon - line), value, "connection", connection, sizeof connection,
             &others);
        grab(line, (size_t)(colon - line), value, "host", host, sizeof host, &others);
        grab(line, (size_t)(colon - line), value, "content-length", length, sizeof length,
             &others);
        grab(line, (size_t)(colon - line), value, "transfer-encoding", coding, sizeof coding,
             &others);
        grab(line, (size_t)(colon - line), value, "content-type", ctype, sizeof ctype, &others);
        grab(line, (size_t)(colon - line), value, "expect", expect, sizeof expect, &others);
    }
    if (upgrades == 0 || !has_token(upgrade, "h2c") || settings_count != 1 ||
        !has_token(connection, "http2-settings")) {
        reply_http1(c, 505, "This server speaks HTTP/2 only: use prior knowledge, TLS with "
                            "ALPN h2, or Upgrade: h2c.\n");
        return;
    }
    if (coding[0] != '\0') {
        reply_http1(c, 400, "an upgrade request body needs Content-Length\n");
        return;
    }
    if (length[0] != '\0') {
        char *e;
        unsigned long long n = strtoull(length, &e, 10);
        if (*e != '\0' || n > UPGRADE_BODY_MAX) {
            reply_http1(c, 413, "upgrade request body too large: send it over HTTP/2\n");
            return;
        }
        body_len = (size_t)n;
    }
    start_h2(c);
    if (h2_initiate_upgrade_connection(&c->h2, (const uint8_t *)settings, strlen(settings),
                                       NULL, 0, NULL) != H2_OK) {
        c->phase = PHASE_HTTP1;
        reply_http1(c, 400, "bad HTTP2-Settings\n");
        return;
    }
    if (verbosity >= 1) {
        fprintf(stderr, "[conn %u] %s: h2c, upgraded from HTTP/1.1 (%s %s)\n", c->serial, c->peer,
                method, target);
    }
    /* The HTTP/1.1 request is stream 1, already half-closed (remote). */
    s = new_stream(c, 1);
    snprintf(s->method, sizeof s->method, "%s", method);
    snprintf(s->path, sizeof s->path, "%s", target);
    route(s, ctype[0] != '\0' ? ctype : NULL, length[0] != '\0' ? length : NULL);
    s->request_done = 1;
    if (s->kind == BODY_ECHO && s->ring != NULL && body_len > s->ring_cap) {
        uint8_t *bigger = realloc(s->ring, body_len);
        if (bigger == NULL) {
            free(s->ring);
            s->ring = NULL;
            set_text(s, 503, "%s", "out of memory\n");
        } else {
            s->ring = bigger;
            s->ring_cap = (uint32_t)body_len;
        }
    }
    memmove(c->in, c->in + head_len, c->in_len - head_len);
    c->in_len -= head_len;
    c->upgrade_body_left = body_len;
    c->phase = PHASE_UPGRADE_BODY;
    if (body_len > 0 && strcasecmp(expect, "100-continue") == 0) {
        pre_append(c, "HTTP/1.1 100 Continue\r\n\r\n"); /* the client waits for it */
    }
}

/* The body of an upgrade request goes to stream 1, outside flow control;
 * once it is whole, the connection switches to HTTP/2. */
static void upgrade_body(server_conn *c)
{
    static const char switching[] =
        "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n";
    server_stream *s = find_stream(c, 1);
    size_t n = c->in_len < c->upgrade_body_left ? c->in_len : c->upgrade_body_left;
    if (n > 0) {
        if (s != NULL && s->kind == BODY_ECHO && s->ring != NULL &&
            ring_put(s, c->in, (uint32_t)n) == 0) {
            s->ring_unacked_skip += (uint32_t)n;
        }
        memmove(c->in, c->in + n, c->in_len - n);
        c->in_len -= n;
        c->upgrade_body_left -= n;
    }
    if (c->upgrade_body_left > 0) {
        return;
    }
    pre_append(c, switching);
    c->phase = PHASE_H2;
    /* Some clients keep only a small buffer for what follows the 101
     * until their HTTP/2 side is up: answer once it has spoken. */
    c->awaiting_preface = 1;
}

/* Cleartext: the client preface means h2c with prior knowledge; a request
 * line means HTTP/1.1; anything else goes to libh2, which rejects it. */
static void detect(server_conn *c)
{
    size_t n = c->in_len < H2_CLIENT_PREFACE_LEN ? c->in_len : H2_CLIENT_PREFACE_LEN;
    size_t i;
    if (n == 0) {
        return;
    }
    if (memcmp(c->in, H2_CLIENT_PREFACE, n) == 0 && n < H2_CLIENT_PREFACE_LEN && !c->eof) {
        return; /* could still be the preface */
    }
    for (i = 0; i < c->in_len && i < 20 && c->in[i] >= 'A' && c->in[i] <= 'Z'; i++) {
    }
    if (i == c->in_len && i < 20 && !c->eof && memcmp(c->in, "PRI", i < 3 ? i : 3) != 0) {
        return; /* a method name still arriving */
    }
    if (i > 0 && i < c->in_len && c->in[i] == ' ' && memcmp(c->in, "PRI ", 4) != 0) {
        c->phase = PHASE_HTTP1;
        return;
    }
    start_h2(c);
    (void)h2_initiate_connection(&c->h2);
    if (verbosity >= 1) {
        fprintf(stderr, "[conn %u] %s: h2c (prior knowledge)\n", c->serial, c->peer);
    }
}

/* ------------------------------------------------------------------ */
/* Connection I/O                                                      */
/* ------------------------------------------------------------------ */

static int read_input(server_conn *c)
{
    long n;
    if (c->eof || c->dead || c->in_len == INPUT_CAPACITY) {
        return 0;
    }
    n = net_read(&c->net, c->in + c->in_len, INPUT_CAPACITY - c->in_len);
    if (n > 0) {
        c->in_len += (size_t)n;
        c->last_active_ms = net_now_ms();
        return 1;
    }
    if (n == NET_EOF) {
        c->eof = 1;
        return 1;
    }
    if (n == NET_FAILED) {
        c->dead = 1;
        return 1;
    }
    return 0;
}

static int write_output(server_conn *c)
{
    int progress = 0;
    while (!c->dead) {
        const uint8_t *p;
        size_t len;
        long n;
        if (c->pre_sent < c->pre_len) {
            p = c->pre + c->pre_sent;
            len = c->pre_len - c->pre_sent;
        } else if (c->phase == PHASE_H2) {
            p = h2_outbound_peek(&c->h2, &len);
        } else {
            len = 0;
            p = NULL;
        }
        if (len == 0) {
            break;
        }
        n = net_write(&c->net, p, len);
        if (n == NET_AGAIN) {
            break;
        }
        if (n < 0) {
            c->dead = 1;
            return 1;
        }
        if (c->pre_sent < c->pre_len) {
            c->pre_sent += (size_t)n;
        } else {
            h2_outbound_consume(&c->h2, (size_t)n);
        }
        c->last_active_ms = net_now_ms();
        progress = 1;
    }
    return progress;
}

static int output_pending(const server_conn *c)
{
    return c->pre_sent < c->pre_len || (c->phase == PHASE_H2 && outbound_queued(c) > 0);
}

static void close_conn(server_conn *c, const char *why)
{
    uint32_t i;
    for (i = 0; i < H2_MAX_STREAMS; i++) {
        if (c->streams[i].id != 0) {
            release_stream(c, &c->streams[i], "cut off");
        }
    }
    if (verbosity >= 1) {
        fprintf(stderr, "[conn %u] %s: closed (%s), %u requests\n", c->serial, c->peer, why,
                c->requests);
    }
    net_close(&c->net);
    c->phase = PHASE_FREE;
}

/* After the client's EOF, requests whose end never came cannot complete. */
static void drop_unfinished_requests(server_conn *c)
{
    uint32_t i;
    for (i = 0; i < H2_MAX_STREAMS; i++) {
        if (c->streams[i].id != 0 && !c->streams[i].request_done) {
            release_stream(c, &c->streams[i], "cut off by the client's EOF");
        }
    }
}

/* Our side is done: FIN after the last byte, then read until the peer's
 * EOF, so that unread input does not turn our close into a reset that
 * could destroy the GOAWAY before the peer reads it. */
static void start_linger(server_conn *c)
{
    net_shutdown_write(&c->net);
    c->phase = PHASE_LINGER;
    c->linger_until_ms = net_now_ms() + LINGER_MS;
}

static void linger(server_conn *c)
{
    uint8_t sink[4096];
    int i;
    for (i = 0; i < 16; i++) {
        ssize_t n = read(c->net.fd, sink, sizeof sink);
        if (n > 0) {
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
            return;
        }
        close_conn(c, "done");
        return;
    }
}

static void begin_goaway(server_conn *c, const char *why)
{
    if (c->phase != PHASE_H2 || c->goaway_sent || c->h2.state != H2_CONN_OPEN) {
        return;
    }
    if (h2_close_connection(&c->h2, H2_NO_ERROR, H2_LAST_STREAM_AUTO, (const uint8_t *)why,
                            strlen(why)) == H2_OK) {
        c->goaway_sent = 1;
        if (verbosity >= 2) {
            fprintf(stderr, "[conn %u] > GOAWAY NO_ERROR \"%s\"\n", c->serial, why);
        }
    }
}

/* Does all that can be done on a connection without waiting. */
static void run_conn(server_conn *c)
{
    int iteration;
    c->busy = 0;
    if (c->phase == PHASE_LINGER) {
        linger(c);
        return;
    }
    for (iteration = 0; iteration < ITERATIONS_PER_RUN; iteration++) {
        int progress = 0;
        if (c->phase == PHASE_TLS) {
            int r = net_tls_handshake(&c->net);
            if (r < 0) {
                if (verbosity >= 1) {
                    fprintf(stderr, "[conn %u] %s: %s\n", c->serial, c->peer, net_error());
                }
                close_conn(c, "TLS handshake failed");
                return;
            }
            if (r == 0) {
                return;
            }
            if (!net_tls_alpn_is_h2(&c->net)) {
                fprintf(stderr, "[conn %u] %s: the client did not offer ALPN h2\n", c->serial,
                        c->peer);
                close_conn(c, "no ALPN h2");
                return;
            }
            start_h2(c);
            (void)h2_initiate_connection(&c->h2);
            if (verbosity >= 1) {
                fprintf(stderr, "[conn %u] %s: h2 over %s\n", c->serial, c->peer,
                        net_tls_description(&c->net));
            }
            progress = 1;
        }
        progress |= read_input(c);
        if (c->phase == PHASE_DETECT) {
            detect(c);
        }
        if (c->phase == PHASE_HTTP1 && !c->closing) {
            http1_request(c);
        }
        if (c->phase == PHASE_UPGRADE_BODY) {
            upgrade_body(c);
        }
        if (c->phase == PHASE_H2) {
            progress |= feed(c);
            if (c->eof) {
                drop_unfinished_requests(c);
            }
            if (c->h2.state == H2_CONN_OPEN && !c->closing && !c->awaiting_preface) {
                progress |= pump(c);
            }
        }
        progress |= write_output(c);
        if (c->dead) {
            close_conn(c, net_error());
            return;
        }
        if (!progress) {
            break;
        }
    }
    c->busy = iteration == ITERATIONS_PER_RUN ||
              (net_pending(&c->net) && c->in_len < INPUT_CAPACITY);
    if (c->phase == PHASE_DETECT || c->phase == PHASE_HTTP1 || c->phase == PHASE_UPGRADE_BODY) {
        if (c->closing && !output_pending(c)) {
            start_linger(c);
        } else if (c->eof && !c->closing) {
            close_conn(c, "closed by the client");
        }
        return;
    }
    if (c->phase != PHASE_H2) {
        return;
    }
    if (c->eof) {
        /* The client sends no more; what it asked for may still reach it. */
        if (c->active == 0 && !output_pending(c)) {
            close_conn(c, c->goaway_sent || c->peer_goaway ? "done" : "closed by the client");
        }
        return;
    }
    if ((c->closing || c->h2.state == H2_CONN_CLOSED ||
         ((c->goaway_sent || c->peer_goaway) && c->active == 0)) && !output_pending(c)) {
        start_linger(c);
    }
}

static short poll_events(const server_conn *c)
{
    short ev = 0;
    switch (c->phase) {
    case PHASE_TLS:
        return (short)((c->net.tls_wants_write ? POLLOUT : 0) |
                       (c->net.tls_wants_write ? 0 : POLLIN));
    case PHASE_LINGER:
        return POLLIN;
    default:
        if (!c->eof && c->in_len < INPUT_CAPACITY) {
            ev |= POLLIN;
        }
        if (output_pending(c) || c->net.tls_wants_write) {
            ev |= POLLOUT;
        }
        if (c->net.tls_wants_read) {
            ev |= POLLIN;
        }
        return ev;
    }
}

static void accept_all(int listen_fd)
{
    for (;;) {
        char peer[64];
        int why = 0;
        uint32_t i;
        server_conn *c = NULL;
        int fd = net_accept(listen_fd, peer, sizeof peer, &why);
        if (fd < 0) {
            if (why != NET_AGAIN) {
                fprintf(stderr, "%s\n", net_error());
            }
            return;
        }
        for (i = 0; i < MAX_CONNECTIONS; i++) {
            if (conns[i].phase == PHASE_FREE) {
                c = &conns[i];
                break;
            }
        }
        if (c == NULL) {
            fprintf(stderr, "%s: too many connections (%u), refused\n", peer,
                    (unsigned)MAX_CONNECTIONS);
            close(fd);
            continue;
        }
        c->eof = c->dead = c->closing = c->goaway_sent = c->peer_goaway = c->busy = 0;
        c->awaiting_preface = 0;
        c->serial = next_serial++;
        c->net.fd = fd;
        c->net.ssl = NULL;
        c->net.tls_wants_read = c->net.tls_wants_write = 0;
        snprintf(c->peer, sizeof c->peer, "%s", peer);
        c->last_active_ms = net_now_ms();
        c->active = 0;
        c->pump_start = 0;
        c->requests = 0;
        c->in_len = 0;
        c->pre_len = c->pre_sent = 0;
        for (i = 0; i < H2_MAX_STREAMS; i++) {
            c->streams[i].id = 0;
        }
        c->phase = use_tls ? PHASE_TLS : PHASE_DETECT;
        if (use_tls && net_tls_attach(&c->net, 1, NULL) != 0) {
            fprintf(stderr, "%s: %s\n", peer, net_error());
            close_conn(c, "TLS set-up failed");
            continue;
        }
        if (verbosity >= 2) {
            fprintf(stderr, "[conn %u] %s: accepted\n", c->serial, c->peer);
        }
        run_conn(c);
    }
}

/* ------------------------------------------------------------------ */
/* Main                                                                */
/* ------------------------------------------------------------------ */

static void usage(void)
{
    fprintf(stderr,
            "usage: h2_server [-l ADDR:PORT] [-r DIR] [--tls CERT KEY] [--port-file FILE]\n"
            "                 [--idle-timeout SECONDS] [-v] [-q]\n");
}

static int install_signals(void)
{
    struct sigaction sa;
    if (pipe(signal_pipe) != 0 || net_set_nonblocking(signal_pipe[0]) != 0 ||
        net_set_nonblocking(signal_pipe[1]) != 0) {
        perror("pipe");
        return -1;
    }
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sa.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &sa, NULL); /* a closed peer is a write error, not a death */
    return 0;
}

static int write_port_file(const char *path, const char *bound)
{
    const char *colon = strrchr(bound, ':');
    FILE *f = fopen(path, "w");
    if (f == NULL || colon == NULL) {
        perror(path);
        if (f != NULL) {
            fclose(f);
        }
        return -1;
    }
    fprintf(f, "%s\n", colon + 1);
    return fclose(f) == 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
    static struct pollfd fds[MAX_CONNECTIONS + 2];
    static server_conn *owners[MAX_CONNECTIONS + 2];
    const char *listen_at = "127.0.0.1:0", *cert = NULL, *key = NULL, *port_file = NULL;
    char bound[128];
    int listen_fd, i, stopping = 0;
    unsigned handled_signals = 0;
    struct stat st;

    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-l") == 0 && i + 1 < argc) {
            listen_at = argv[++i];
        } else if (strcmp(a, "-r") == 0 && i + 1 < argc) {
            root_dir = argv[++i];
        } else if (strcmp(a, "--tls") == 0 && i + 2 < argc) {
            cert = argv[++i];
            key = argv[++i];
        } else if (strcmp(a, "--port-file") == 0 && i + 1 < argc) {
            port_file = argv[++i];
        } else if (strcmp(a, "--idle-timeout") == 0 && i + 1 < argc) {
            char *end;
            double secs = strtod(argv[++i], &end);
            if (*end != '\0' || !(secs > 0) || secs > 1e6) {
                fprintf(stderr, "h2_server: bad --idle-timeout '%s'\n", argv[i]);
                return 2;
            }
            idle_ms = (int64_t)(secs * 1000.0);
        } else if (strcmp(a, "-v") == 0) {
            verbosity = 2;
        } else if (strcmp(a, "-q") == 0) {
            verbosity = 0;
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage();
            return 0;
        } else {
            fprintf(stderr, "h2_server: unknown or incomplete option '%s'\n", a);
            usage();
            return 2;
        }
    }
    if (stat(root_dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        fprintf(stderr, "h2_server: %s is not a directory\n", root_dir);
        return 2;
    }
    if (cert != NULL) {
        if (!net_tls_available()) {
            fprintf(stderr, "h2_server: --tls: TLS support was not compiled in "
                            "(rebuild with OpenSSL headers installed)\n");
            return 2;
        }
        if (net_tls_server_setup(cert, key) != 0) {
            fprintf(stderr, "h2_server: %s\n", net_error());
            net_tls_cleanup();
            return 2;
        }
        use_tls = 1;
    }
    if (install_signals() != 0) {
        return 1;
    }
    listen_fd = net_listen(listen_at, bound, sizeof bound);
    if (listen_fd < 0) {
        fprintf(stderr, "h2_server: %s\n", net_error());
        net_tls_cleanup();
        return 1;
    }
    if (port_file != NULL && write_port_file(port_file, bound) != 0) {
        close(listen_fd);
        net_tls_cleanup();
        return 1;
    }
    printf("listening on %s\n", bound);
    fflush(stdout);

    for (;;) {
        int64_t now = net_now_ms();
        int timeout = -1, nfds = 0, live = 0, n;
        uint32_t k;

        if ((unsigned)signals_seen != handled_signals) {
            handled_signals = (unsigned)signals_seen;
            if (!stopping) {
                stopping = 1;
                if (verbosity >= 1) {
                    fprintf(stderr, "shutting down: GOAWAY to every connection\n");
                }
                close(listen_fd);
                listen_fd = -1;
                for (k = 0; k < MAX_CONNECTIONS; k++) {
                    server_conn *c = &conns[k];
                    if (c->phase == PHASE_H2) {
                        begin_goaway(c, "server shutting down");
                        run_conn(c);
                    } else if (c->phase == PHASE_TLS || c->phase == PHASE_DETECT ||
                               c->phase == PHASE_HTTP1 || c->phase == PHASE_UPGRADE_BODY) {
                        close_conn(c, "server shutting down");
                    }
                }
            } else {
                fprintf(stderr, "second signal: closing every connection now\n");
                for (k = 0; k < MAX_CONNECTIONS; k++) {
                    if (conns[k].phase != PHASE_FREE) {
                        close_conn(&conns[k], "server stopped");
                    }
                }
            }
        }

        fds[nfds].fd = signal_pipe[0];
        fds[nfds].events = POLLIN;
        owners[nfds++] = NULL;
        if (listen_fd >= 0) {
            fds[nfds].fd = listen_fd;
            fds[nfds].events = POLLIN;
            owners[nfds++] = NULL;
        }
        for (k = 0; k < MAX_CONNECTIONS; k++) {
            server_conn *c = &conns[k];
            int64_t deadline;
            if (c->phase == PHASE_FREE) {
                continue;
            }
            live++;
            fds[nfds].fd = c->net.fd;
            fds[nfds].events = poll_events(c);
            owners[nfds++] = c;
            deadline = c->phase == PHASE_LINGER ? c->linger_until_ms
                                                : c->last_active_ms + idle_ms;
            if (c->busy) {
                deadline = now;
            }
            if (timeout < 0 || deadline - now < timeout) {
                timeout = deadline <= now ? 0 : (int)(deadline - now);
            }
        }
        if (stopping && live == 0) {
            break;
        }
        n = poll(fds, (nfds_t)nfds, timeout);
        if (n < 0 && errno != EINTR) {
            perror("poll");
            break;
        }
        now = net_now_ms();
        for (i = 0; i < nfds && n > 0; i++) {
            server_conn *c = owners[i];
            if (fds[i].revents == 0 && (c == NULL || !c->busy)) {
                continue;
            }
            if (c != NULL) {
                if (c->phase != PHASE_FREE) {
                    run_conn(c);
                }
            } else if (fds[i].fd == signal_pipe[0]) {
                uint8_t sink[64];
                while (read(signal_pipe[0], sink, sizeof sink) > 0) {
                }
            } else {
                accept_all(listen_fd);
            }
        }
        for (i = 0; i < nfds && n == 0; i++) {
            if (owners[i] != NULL && owners[i]->busy && owners[i]->phase != PHASE_FREE) {
                run_conn(owners[i]);
            }
        }
        for (k = 0; k < MAX_CONNECTIONS; k++) {
            server_conn *c = &conns[k];
            if (c->phase == PHASE_LINGER && now >= c->linger_until_ms) {
                close_conn(c, "done");
            } else if (c->phase != PHASE_FREE && c->phase != PHASE_LINGER &&
                       now - c->last_active_ms >= idle_ms) {
                if (verbosity >= 1) {
                    fprintf(stderr, "[conn %u] %s: idle for %.1f s\n", c->serial, c->peer,
                            (double)idle_ms / 1000.0);
                }
                if (c->phase == PHASE_H2 && c->h2.state == H2_CONN_OPEN) {
                    begin_goaway(c, "idle timeout");
                    c->closing = 1;
                    (void)write_output(c);
                    if (c->dead) {
                        close_conn(c, net_error());
                    } else {
                        start_linger(c);
                    }
                } else {
                    close_conn(c, "idle timeout");
                }
            }
        }
    }
    if (listen_fd >= 0) {
        close(listen_fd);
    }
    close(signal_pipe[0]);
    close(signal_pipe[1]);
    net_tls_cleanup();
    if (verbosity >= 1) {
        fprintf(stderr, "stopped\n");
    }
    return 0;
}
