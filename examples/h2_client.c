/*
 * h2_client: fetches URLs concurrently over one HTTP/2 connection, on libh2.
 *
 *   h2_client [-o DIR] [-d FILE] [-H 'name: value']... [-I] [-k] [--upgrade]
 *             [-v] [--timeout SECONDS] [-n] URL...
 *
 * http:// URLs use h2c with prior knowledge (--upgrade: an HTTP/1.1
 * request with "Upgrade: h2c" first); https:// URLs use TLS with ALPN
 * "h2". Every URL becomes one stream; all streams share the connection.
 * Responses are printed in the order the URLs were given: the one being
 * printed goes straight to stdout, later ones wait in temporary files.
 *
 * Exit status: 0 when every response arrived complete, 1 on a reset, a
 * connection error or a timeout, 2 on usage errors.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "h2.h"
#include "net.h"

#define MAX_URLS 256u
#define MAX_EXTRA_HEADERS 32u
#define INPUT_CAPACITY 32768u
/* Outbound room kept free before each h2_recv() call, for the frames the
 * events make us queue (WINDOW_UPDATE). */
#define INPUT_RESERVE 1024u
#define CHUNK_SIZE 16384u
#define HTTP1_MAX_HEAD 8192u
/* Streams opened before the server's SETTINGS say how many it takes: the
 * least RFC 9113 section 6.5.2 recommends servers allow. */
#define STREAMS_BEFORE_SETTINGS 100u
#define MAX_RETRIES 3u

typedef struct request {
    char path[2048];
    uint8_t hidden;         /* the upgrade's "OPTIONS *": not printed */
    uint8_t opened;
    uint8_t got_response;
    uint8_t finished;       /* complete or failed */
    uint8_t failed;
    uint8_t body_ends_newline;
    uint8_t upload_done;
    uint8_t retries;
    uint32_t stream_id;
    uint16_t status;
    uint64_t body_bytes;
    uint64_t uploaded;
    uint32_t ack_owed;
    FILE *out;              /* status, headers (and body) as printed */
    FILE *body;             /* -o DIR: the saved file */
    char saved_as[4096];
    int64_t sent_us, headers_us, done_us;
} request;

static request reqs[MAX_URLS];
static unsigned nreqs;
static unsigned print_cursor;

static h2_conn h2;
static net_stream net = { -1, NULL, 0, 0 };
static uint8_t in[INPUT_CAPACITY];
static size_t in_len;
static uint8_t chunk[CHUNK_SIZE];

static int verbose, discard_bodies, head_only, insecure, use_upgrade;
static const char *out_dir, *data_file;
static int data_fd = -1;
static uint64_t data_size;
static char extra_names[MAX_EXTRA_HEADERS][128];
static char extra_values[MAX_EXTRA_HEADERS][1024];
static unsigned nextra;
static char scheme[8], host[256], port[16], authority[300];
static int64_t start_us;
static int connection_failed, server_eof, goaway_sent, server_goaway, server_settings_seen;

static void vlog(const char *fmt, ...)
{
    va_list ap;
    if (!verbose) {
        return;
    }
    fprintf(stderr, "[%9.3f ms] ", (double)(net_now_us() - start_us) / 1000.0);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
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

static size_t outbound_room(void)
{
    size_t queued = 0;
    (void)h2_outbound_peek(&h2, &queued);
    return H2_OUTBOUND_CAPACITY - queued;
}

static int output_pending(void)
{
    size_t queued = 0;
    (void)h2_outbound_peek(&h2, &queued);
    return queued > 0;
}

static request *find_request(uint32_t stream_id)
{
    unsigned i;
    for (i = 0; i < nreqs; i++) {
        if (reqs[i].opened && reqs[i].stream_id == stream_id) {
            return &reqs[i];
        }
    }
    return NULL;
}

static const char *extra_header(const char *name)
{
    unsigned i;
    for (i = 0; i < nextra; i++) {
        if (strcmp(extra_names[i], name) == 0) {
            return extra_values[i];
        }
    }
    return NULL;
}

/* ------------------------------------------------------------------ */
/* Printing, in URL order                                              */
/* ------------------------------------------------------------------ */

static int is_last_visible(const request *r)
{
    unsigned i;
    for (i = (unsigned)(r - reqs) + 1; i < nreqs; i++) {
        if (!reqs[i].hidden) {
            return 0;
        }
    }
    return 1;
}

/* The stream a response prints to: stdout when its turn has come. */
static FILE *out_of(request *r)
{
    if (r->out == NULL) {
        r->out = (unsigned)(r - reqs) == print_cursor ? stdout : tmpfile();
        if (r->out == NULL) {
            r->out = stdout; /* no temporary file: print interleaved */
        }
    }
    return r->out;
}

/* Moves the print cursor past finished responses, copying out what the
 * next ones have buffered so far. */
static void advance_printing(void)
{
    while (print_cursor < nreqs) {
        request *r = &reqs[print_cursor];
        if (r->hidden) {
            print_cursor++;
            continue;
        }
        if (r->out != NULL && r->out != stdout) {
            char buf[8192];
            size_t n;
            rewind(r->out);
            while ((n = fread(buf, 1, sizeof buf, r->out)) > 0) {
                fwrite(buf, 1, n, stdout);
            }
            fclose(r->out);
            r->out = stdout;
        }
        if (!r->finished) {
            break;
        }
        print_cursor++;
    }
    fflush(stdout);
}

static void print_headers(request *r, const h2_event *e, const char *label)
{
    FILE *out = out_of(r);
    uint32_t i;
    for (i = 0; e->headers != NULL && i < e->headers->count; i++) {
        h2_header h;
        h2_event_header(e, i, &h);
        if (h.name_len > 0 && h.name[0] == ':') {
            continue;
        }
        fprintf(out, "%s%.*s: %.*s\n", label, (int)h.name_len, (const char *)h.name,
                (int)h.value_len, (const char *)h.value);
    }
}

/* A file name for -o: the path's last segment, or "index". */
static void body_file_name(const char *path, char *out, size_t cap)
{
    char name[1024];
    const char *slash = strrchr(path, '/');
    size_t n;
    const char *start = slash != NULL ? slash + 1 : path;
    n = strcspn(start, "?#");
    if (n >= sizeof name) {
        n = sizeof name - 1;
    }
    memcpy(name, start, n);
    name[n] = '\0';
    if (n == 0 || strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
        snprintf(name, sizeof name, "index");
    }
    snprintf(out, cap, "%s/%s", out_dir, name);
}

static void finish(request *r, int failed)
{
    if (r->finished) {
        return;
    }
    r->finished = 1;
    r->failed = (uint8_t)failed;
    r->done_us = net_now_us();
    if (r->hidden) {
        return;
    }
    if (r->body != NULL) {
        fclose(r->body);
        r->body = NULL;
        if (!failed) {
            fprintf(out_of(r), "[stream %u] saved %s (%llu bytes)\n", (unsigned)r->stream_id,
                    r->saved_as, (unsigned long long)r->body_bytes);
        }
    } else if (discard_bodies && r->got_response && !failed) {
        fprintf(out_of(r), "[stream %u] body: %llu bytes\n", (unsigned)r->stream_id,
                (unsigned long long)r->body_bytes);
    } else if (r->body_bytes > 0 && !r->body_ends_newline && !is_last_visible(r)) {
        fputc('\n', out_of(r)); /* the next response starts on a line of its own */
    }
    advance_printing();
}

static void fail_request(request *r, const char *fmt, ...)
{
    va_list ap;
    if (r->finished) {
        return;
    }
    if (!r->hidden) {
        fprintf(stderr, "h2_client: %s: ", r->path);
        va_start(ap, fmt);
        vfprintf(stderr, fmt, ap);
        va_end(ap);
        fputc('\n', stderr);
    }
    finish(r, 1);
}

static void fail_all(const char *why)
{
    unsigned i;
    for (i = 0; i < nreqs; i++) {
        fail_request(&reqs[i], "%s", why);
    }
}

/* ------------------------------------------------------------------ */
/* Events                                                              */
/* ------------------------------------------------------------------ */

static void on_response(request *r, const h2_event *e, int informational)
{
    char status[8] = "?";
    (void)net_event_header(e, ":status", status, sizeof status);
    if (r->hidden) {
        r->got_response = !informational;
        return;
    }
    if (informational) {
        fprintf(out_of(r), "[stream %u] %s (informational)\n", (unsigned)r->stream_id, status);
        print_headers(r, e, "");
        return;
    }
    r->got_response = 1;
    r->status = (uint16_t)atoi(status);
    r->headers_us = net_now_us();
    fprintf(out_of(r), "[stream %u] %s\n", (unsigned)r->stream_id, status);
    print_headers(r, e, "");
    fputc('\n', out_of(r));
    if (out_dir != NULL && !head_only) {
        body_file_name(r->path, r->saved_as, sizeof r->saved_as);
        r->body = fopen(r->saved_as, "wb");
        if (r->body == NULL) {
            fprintf(stderr, "h2_client: %s: %s\n", r->saved_as, strerror(errno));
            (void)h2_reset_stream(&h2, r->stream_id, H2_CANCEL);
            finish(r, 1);
        }
    }
    if (r->out == stdout) {
        fflush(stdout);
    }
}

static void on_data(const h2_event *e)
{
    request *r = find_request(e->stream_id);
    h2_status st;
    if (r != NULL && !r->finished && !r->hidden && e->data_len > 0) {
        r->body_bytes += e->data_len;
        if (r->body != NULL) {
            if (fwrite(e->data, 1, e->data_len, r->body) != e->data_len) {
                fprintf(stderr, "h2_client: %s: %s\n", r->saved_as, strerror(errno));
                (void)h2_reset_stream(&h2, r->stream_id, H2_CANCEL);
                finish(r, 1);
            }
        } else if (!discard_bodies) {
            fwrite(e->data, 1, e->data_len, out_of(r));
            r->body_ends_newline = e->data[e->data_len - 1] == '\n';
        }
    }
    /* Written out: the server may send as much again. */
    st = h2_acknowledge_received_data(&h2, e->flow_controlled_length, e->stream_id);
    if (st == H2_E_WOULD_BLOCK && r != NULL) {
        r->ack_owed += e->flow_controlled_length;
    }
}

static void on_event(const h2_event *e)
{
    request *r = e->stream_id != 0 ? find_request(e->stream_id) : NULL;
    char name[16];
    if (verbose) {
        char prefix[40];
        snprintf(prefix, sizeof prefix, "[%9.3f ms] < ", (double)(net_now_us() - start_us) / 1000.0);
        net_log_event(stderr, prefix, e);
    }
    switch (e->type) {
    case H2_EVENT_RESPONSE_RECEIVED:
        if (r != NULL) {
            on_response(r, e, 0);
        }
        break;
    case H2_EVENT_INFORMATIONAL_RESPONSE_RECEIVED:
        if (r != NULL) {
            on_response(r, e, 1);
        }
        break;
    case H2_EVENT_DATA_RECEIVED:
        on_data(e);
        break;
    case H2_EVENT_TRAILERS_RECEIVED:
        if (r != NULL && !r->hidden && !r->finished) {
            char label[40];
            if (r->body_bytes > 0 && !r->body_ends_newline && r->body == NULL &&
                !discard_bodies) {
                fputc('\n', out_of(r));
                r->body_ends_newline = 1;
            }
            snprintf(label, sizeof label, "[stream %u] trailer ", (unsigned)r->stream_id);
            print_headers(r, e, label);
        }
        break;
    case H2_EVENT_STREAM_ENDED:
        if (r != NULL) {
            finish(r, 0);
        }
        break;
    case H2_EVENT_REMOTE_SETTINGS_CHANGED:
        server_settings_seen = 1;
        break;
    case H2_EVENT_STREAM_RESET:
        if (r != NULL && e->remote_reset && e->error_code == H2_REFUSED_STREAM &&
            !r->got_response && !r->hidden && r->retries < MAX_RETRIES) {
            /* Refused streams were not processed (RFC 9113 section 8.7):
             * ask again on a new stream. */
            vlog("stream %u refused: will retry\n", (unsigned)e->stream_id);
            r->opened = 0;
            r->stream_id = 0;
            r->uploaded = 0;
            r->ack_owed = 0;
            r->retries++;
            break;
        }
        if (r != NULL) {
            fail_request(r, "stream %u reset %s: %s", (unsigned)e->stream_id,
                         e->remote_reset ? "by the server" : "by us",
                         net_error_code_name(e->error_code, name, sizeof name));
        }
        break;
    case H2_EVENT_PUSHED_STREAM_RECEIVED:
        (void)h2_reset_stream(&h2, e->stream_id, H2_CANCEL);
        break;
    case H2_EVENT_CONNECTION_TERMINATED:
        server_goaway = 1;
        if (e->error_code != H2_NO_ERROR) {
            fprintf(stderr, "h2_client: the server closed the connection: GOAWAY %s\n",
                    net_error_code_name(e->error_code, name, sizeof name));
            connection_failed = 1;
        }
        break;
    default:
        break;
    }
}

/* Feeds received bytes to libh2 one event at a time. 1 on progress. */
static int feed(void)
{
    size_t pos = 0;
    int progress = 0;
    unsigned events = 0;
    while (events < 4096 && h2.state == H2_CONN_OPEN) {
        h2_event e;
        size_t used = 0;
        h2_status st;
        if (outbound_room() < INPUT_RESERVE) {
            break; /* write first */
        }
        st = h2_recv(&h2, in + pos, in_len - pos, &used, &e);
        pos += used;
        if (e.type != H2_EVENT_NONE) {
            on_event(&e);
            events++;
            progress = 1;
        }
        if (st == H2_E_WOULD_BLOCK) {
            break;
        }
        if (st != H2_OK) {
            char name[16];
            fprintf(stderr, "h2_client: %s from the server: GOAWAY %s\n", h2_status_name(st),
                    net_error_code_name(h2_status_error_code(st), name, sizeof name));
            connection_failed = 1;
            pos = in_len;
            break;
        }
        if (e.type == H2_EVENT_NONE && (pos == in_len || used == 0)) {
            break;
        }
    }
    if (pos > 0) {
        memmove(in, in + pos, in_len - pos);
        in_len -= pos;
        progress = 1;
    }
    return progress;
}

/* ------------------------------------------------------------------ */
/* Sending                                                             */
/* ------------------------------------------------------------------ */

/* Opens the next streams, as many as the server allows. 1 on progress. */
static int open_streams(void)
{
    int progress = 0;
    unsigned i;
    for (i = 0; i < nreqs; i++) {
        request *r = &reqs[i];
        h2_header fields[8 + MAX_EXTRA_HEADERS];
        char length[24];
        size_t n = 0;
        unsigned k;
        uint32_t id = 0;
        int end;
        h2_status st;
        if (r->opened || r->finished) {
            continue;
        }
        if (server_goaway) {
            fail_request(r, "not sent: the server is going away");
            continue;
        }
        if (outbound_room() < INPUT_RESERVE * 2u ||
            (!server_settings_seen && h2_open_outbound_streams(&h2) >= STREAMS_BEFORE_SETTINGS)) {
            break;
        }
        if (h2_get_next_available_stream_id(&h2, &id) != H2_OK) {
            fail_request(r, "no stream id left on this connection");
            continue;
        }
        fields[n++] = field(":method", data_file != NULL ? "POST" : head_only ? "HEAD" : "GET");
        fields[n++] = field(":scheme", scheme);
        fields[n++] = field(":authority", extra_header("host") != NULL ? extra_header("host")
                                                                      : authority);
        fields[n++] = field(":path", r->path);
        if (extra_header("user-agent") == NULL) {
            fields[n++] = field("user-agent", "h2_client (libh2 " H2_VERSION_STRING ")");
        }
        if (extra_header("accept") == NULL) {
            fields[n++] = field("accept", "*/*");
        }
        if (data_file != NULL) {
            snprintf(length, sizeof length, "%llu", (unsigned long long)data_size);
            fields[n++] = field("content-length", length);
            if (extra_header("content-type") == NULL) {
                fields[n++] = field("content-type", "application/octet-stream");
            }
        }
        for (k = 0; k < nextra; k++) {
            if (strcmp(extra_names[k], "host") != 0) {
                fields[n++] = field(extra_names[k], extra_values[k]);
            }
        }
        end = data_file == NULL || data_size == 0;
        st = h2_send_headers(&h2, id, fields, n, end, NULL, 0);
        if (st == H2_E_WOULD_BLOCK || st == H2_E_TOO_MANY_STREAMS) {
            break; /* after some bytes leave, or some streams end */
        }
        if (st != H2_OK) {
            fail_request(r, "cannot send the request: %s", h2_status_name(st));
            continue;
        }
        if (verbose) {
            size_t f;
            vlog("> HEADERS stream %u", (unsigned)id);
            for (f = 0; f < n; f++) {
                fprintf(stderr, "%s%.*s: %.*s", f == 0 ? ": " : ", ", (int)fields[f].name_len,
                        (const char *)fields[f].name, (int)fields[f].value_len,
                        (const char *)fields[f].value);
            }
            fprintf(stderr, "%s\n", end ? " [END_STREAM]" : "");
        }
        r->opened = 1;
        r->stream_id = id;
        r->upload_done = (uint8_t)end;
        r->sent_us = net_now_us();
        progress = 1;
    }
    return progress;
}

/* Sends request bodies as the windows allow, one frame per stream per
 * round. 1 on progress. */
static int pump_uploads(void)
{
    int progress = 0;
    int round;
    for (round = 0; round < 64; round++) {
        int moved = 0;
        unsigned i;
        for (i = 0; i < nreqs; i++) {
            request *r = &reqs[i];
            int32_t window = 0;
            size_t room, n, got;
            uint64_t left;
            int last;
            h2_status st;
            if (r->ack_owed > 0) {
                if (h2_acknowledge_received_data(&h2, r->ack_owed, r->stream_id) ==
                    H2_E_WOULD_BLOCK) {
                    return progress;
                }
                r->ack_owed = 0;
            }
            if (!r->opened || r->finished || r->upload_done) {
                continue;
            }
            if (h2_local_flow_control_window(&h2, r->stream_id, &window) != H2_OK ||
                window <= 0) {
                continue;
            }
            room = outbound_room();
            if (room < H2_FRAME_HEADER_SIZE + INPUT_RESERVE + 1u) {
                return progress;
            }
            left = data_size - r->uploaded;
            n = room - H2_FRAME_HEADER_SIZE - INPUT_RESERVE;
            if (n > CHUNK_SIZE) {
                n = CHUNK_SIZE;
            }
            if (n > h2_max_outbound_frame_size(&h2)) {
                n = h2_max_outbound_frame_size(&h2);
            }
            if (n > (size_t)window) {
                n = (size_t)window;
            }
            if (n > left) {
                n = (size_t)left;
            }
            for (got = 0; got < n;) {
                ssize_t k = pread(data_fd, chunk + got, n - got, (off_t)(r->uploaded + got));
                if (k < 0 && errno == EINTR) {
                    continue;
                }
                if (k <= 0) {
                    break;
                }
                got += (size_t)k;
            }
            if (got < n) {
                fprintf(stderr, "h2_client: %s: read failed or the file shrank\n", data_file);
                (void)h2_reset_stream(&h2, r->stream_id, H2_CANCEL);
                finish(r, 1);
                continue;
            }
            last = n == left;
            st = h2_send_data(&h2, r->stream_id, chunk, n, last, 0);
            if (st == H2_E_WOULD_BLOCK) {
                return progress;
            }
            if (st != H2_OK) {
                fail_request(r, "cannot send the body: %s", h2_status_name(st));
                continue;
            }
            vlog("> DATA stream %u %zu bytes%s\n", (unsigned)r->stream_id, n,
                 last ? " [END_STREAM]" : "");
            r->uploaded += n;
            r->upload_done = (uint8_t)last;
            moved = 1;
        }
        if (!moved) {
            break;
        }
        progress = 1;
    }
    return progress;
}

/* ------------------------------------------------------------------ */
/* Socket                                                              */
/* ------------------------------------------------------------------ */

static int all_finished(void)
{
    unsigned i;
    for (i = 0; i < nreqs; i++) {
        if (!reqs[i].finished) {
            return 0;
        }
    }
    return 1;
}

static int read_input(void)
{
    long n;
    if (server_eof || in_len == INPUT_CAPACITY) {
        return 0;
    }
    n = net_read(&net, in + in_len, INPUT_CAPACITY - in_len);
    if (n > 0) {
        in_len += (size_t)n;
        return 1;
    }
    if (n == NET_EOF) {
        server_eof = 1;
        vlog("the server closed the connection\n");
        return 1;
    }
    if (n == NET_FAILED) {
        if (!all_finished()) {
            fprintf(stderr, "h2_client: %s\n", net_error());
            connection_failed = 1;
        }
        server_eof = 1;
        return 1;
    }
    return 0;
}

static int write_output(void)
{
    int progress = 0;
    for (;;) {
        size_t len = 0;
        const uint8_t *p = h2_outbound_peek(&h2, &len);
        long n;
        if (len == 0) {
            return progress;
        }
        n = net_write(&net, p, len);
        if (n == NET_AGAIN) {
            return progress;
        }
        if (n < 0) {
            /* Once every response is in, a server that has already
             * closed is no failure. */
            if (!all_finished()) {
                fprintf(stderr, "h2_client: %s\n", net_error());
                connection_failed = 1;
            }
            h2_clear_outbound_data_buffer(&h2);
            return 1;
        }
        h2_outbound_consume(&h2, (size_t)n);
        progress = 1;
    }
}

/* Waits for the socket until deadline; 0 on readiness, -1 on timeout. */
static int wait_socket(short events, int64_t deadline_ms)
{
    for (;;) {
        struct pollfd p;
        int64_t left = deadline_ms - net_now_ms();
        int n;
        if (left <= 0) {
            return -1;
        }
        p.fd = net.fd;
        p.events = events;
        p.revents = 0;
        n = poll(&p, 1, left > 1000000 ? 1000000 : (int)left);
        if (n > 0) {
            return 0;
        }
        if (n < 0 && errno != EINTR) {
            return -1;
        }
    }
}

static short tls_events(void)
{
    return (short)(net.tls_wants_write ? POLLOUT : POLLIN);
}

/* Writes all of buf (the HTTP/1.1 upgrade request). */
static int write_all(const uint8_t *buf, size_t len, int64_t deadline_ms)
{
    while (len > 0) {
        long n = net_write(&net, buf, len);
        if (n > 0) {
            buf += n;
            len -= (size_t)n;
        } else if (n != NET_AGAIN || wait_socket(POLLOUT, deadline_ms) != 0) {
            return -1;
        }
    }
    return 0;
}

/*
 * HTTP/1.1 Upgrade (RFC 7540 section 3.2): the first request goes out as
 * HTTP/1.1 with our SETTINGS in HTTP2-Settings; after "101 Switching
 * Protocols" its response arrives on stream 1. With a request body (-d) or
 * HEAD (-I), "OPTIONS *" carries the upgrade instead and every URL gets a
 * stream of its own.
 */
static int upgrade(int64_t deadline_ms)
{
    uint8_t settings[128];
    char req[8192], line[512];
    size_t settings_len = 0, head_len = 0, i;
    int n, k, options = data_file != NULL || head_only;
    h2_status st;
    request *r;

    st = h2_initiate_upgrade_connection(&h2, NULL, 0, settings, sizeof settings - 1,
                                        &settings_len);
    if (st != H2_OK) {
        fprintf(stderr, "h2_client: upgrade: %s\n", h2_status_name(st));
        return -1;
    }
    settings[settings_len] = '\0';
    if (options) {
        /* Make room for the hidden request in front of the URLs. */
        memmove(&reqs[1], &reqs[0], nreqs * sizeof reqs[0]);
        memset(&reqs[0], 0, sizeof reqs[0]);
        snprintf(reqs[0].path, sizeof reqs[0].path, "*");
        reqs[0].hidden = 1;
        nreqs++;
    }
    r = &reqs[0];
    n = snprintf(req, sizeof req,
                 "%s %s HTTP/1.1\r\nHost: %s\r\nConnection: Upgrade, HTTP2-Settings\r\n"
                 "Upgrade: h2c\r\nHTTP2-Settings: %s\r\n",
                 options ? "OPTIONS" : "GET", r->path,
                 extra_header("host") != NULL ? extra_header("host") : authority,
                 (const char *)settings);
    if (extra_header("user-agent") == NULL) {
        n += snprintf(req + n, sizeof req - (size_t)n, "User-Agent: h2_client (libh2 %s)\r\n",
                      H2_VERSION_STRING);
    }
    for (k = 0; k < (int)nextra && n > 0 && (size_t)n < sizeof req; k++) {
        if (strcmp(extra_names[k], "host") != 0) {
            n += snprintf(req + n, sizeof req - (size_t)n, "%s: %s\r\n", extra_names[k],
                          extra_values[k]);
        }
    }
    if (n < 0 || (size_t)n + 3 > sizeof req) {
        fprintf(stderr, "h2_client: upgrade request too long\n");
        return -1;
    }
    n += snprintf(req + n, sizeof req - (size_t)n, "\r\n");
    vlog("> HTTP/1.1 upgrade request:\n%s", req);
    if (write_all((const uint8_t *)req, (size_t)n, deadline_ms) != 0) {
        fprintf(stderr, "h2_client: upgrade: %s\n",
                net_now_ms() >= deadline_ms ? "timed out" : net_error());
        return -1;
    }
    r->opened = 1;
    r->stream_id = 1;
    r->upload_done = 1;
    r->sent_us = net_now_us();
    /* The reply's head, then whatever frames follow it. */
    while (head_len == 0) {
        long got;
        if (in_len == INPUT_CAPACITY || in_len >= HTTP1_MAX_HEAD) {
            fprintf(stderr, "h2_client: upgrade: reply head too long\n");
            return -1;
        }
        got = net_read(&net, in + in_len, INPUT_CAPACITY - in_len);
        if (got == NET_AGAIN) {
            if (wait_socket(POLLIN, deadline_ms) != 0) {
                fprintf(stderr, "h2_client: upgrade: timed out waiting for the reply\n");
                return -1;
            }
            continue;
        }
        if (got < 0) {
            fprintf(stderr, "h2_client: upgrade: %s\n",
                    got == NET_EOF ? "the server closed the connection" : net_error());
            return -1;
        }
        in_len += (size_t)got;
        for (i = 3; i < in_len; i++) {
            if (memcmp(in + i - 3, "\r\n\r\n", 4) == 0) {
                head_len = i + 1;
                break;
            }
        }
    }
    i = strcspn((const char *)in, "\r");
    snprintf(line, sizeof line, "%.*s", (int)(i < sizeof line ? i : sizeof line - 1),
             (const char *)in);
    vlog("< HTTP/1.1 upgrade reply: %s\n", line);
    if (strncmp(line, "HTTP/1.1 101", 12) != 0) {
        fprintf(stderr, "h2_client: the server did not switch to HTTP/2: %s\n", line);
        return -1;
    }
    memmove(in, in + head_len, in_len - head_len);
    in_len -= head_len;
    return 0;
}

/* ------------------------------------------------------------------ */
/* Main                                                                */
/* ------------------------------------------------------------------ */

static void usage(void)
{
    fprintf(stderr,
            "usage: h2_client [-o DIR] [-d FILE] [-H 'name: value']... [-I] [-k] [--upgrade]\n"
            "                 [-v] [--timeout SECONDS] [-n] URL...\n");
}

/* Splits a URL into scheme, authority and path; all URLs must share the
 * first one's scheme and authority. */
static int parse_url(const char *url, request *r)
{
    const char *rest, *slash;
    char s[8], auth[300];
    size_t n;
    if (strncmp(url, "http://", 7) == 0) {
        snprintf(s, sizeof s, "http");
        rest = url + 7;
    } else if (strncmp(url, "https://", 8) == 0) {
        snprintf(s, sizeof s, "https");
        rest = url + 8;
    } else {
        fprintf(stderr, "h2_client: %s: only http:// and https:// URLs\n", url);
        return -1;
    }
    slash = strchr(rest, '/');
    n = slash != NULL ? (size_t)(slash - rest) : strlen(rest);
    if (n == 0 || n >= sizeof auth || strchr(rest, '@') != NULL) {
        fprintf(stderr, "h2_client: %s: bad authority\n", url);
        return -1;
    }
    memcpy(auth, rest, n);
    auth[n] = '\0';
    if (strlen(slash != NULL ? slash : "/") >= sizeof r->path) {
        fprintf(stderr, "h2_client: %s: path too long\n", url);
        return -1;
    }
    snprintf(r->path, sizeof r->path, "%s", slash != NULL ? slash : "/");
    if (authority[0] == '\0') {
        snprintf(scheme, sizeof scheme, "%s", s);
        snprintf(authority, sizeof authority, "%s", auth);
        if (net_split_host_port(auth, strcmp(s, "https") == 0 ? "443" : "80", host,
                                sizeof host, port, sizeof port) != 0) {
            fprintf(stderr, "h2_client: %s: bad host or port\n", url);
            return -1;
        }
        return 0;
    }
    if (strcmp(scheme, s) != 0 || strcmp(authority, auth) != 0) {
        fprintf(stderr, "h2_client: %s: every URL must use %s://%s (one connection)\n", url,
                scheme, authority);
        return -1;
    }
    return 0;
}

static int parse_header_option(const char *arg)
{
    const char *colon = strchr(arg + (arg[0] == ':' ? 1 : 0), ':');
    const char *value;
    size_t n, i;
    if (colon == NULL || colon == arg || nextra == MAX_EXTRA_HEADERS) {
        fprintf(stderr, "h2_client: -H '%s': want 'name: value'\n", arg);
        return -1;
    }
    n = (size_t)(colon - arg);
    if (n >= sizeof extra_names[0]) {
        fprintf(stderr, "h2_client: -H '%s': name too long\n", arg);
        return -1;
    }
    /* HTTP/2 field names are lowercase (RFC 9113 section 8.2.1). */
    for (i = 0; i < n; i++) {
        extra_names[nextra][i] = (char)tolower((unsigned char)arg[i]);
    }
    extra_names[nextra][n] = '\0';
    for (value = colon + 1; *value == ' ' || *value == '\t'; value++) {
    }
    snprintf(extra_values[nextra], sizeof extra_values[0], "%s", value);
    n = strlen(extra_values[nextra]);
    while (n > 0 && (extra_values[nextra][n - 1] == ' ' || extra_values[nextra][n - 1] == '\t')) {
        extra_values[nextra][--n] = '\0';
    }
    nextra++;
    return 0;
}

static void print_summary(void)
{
    unsigned i;
    fprintf(stderr, "\n%8s %7s %12s %12s %12s  %s\n", "stream", "status", "bytes",
            "headers ms", "total ms", "path");
    for (i = 0; i < nreqs; i++) {
        const request *r = &reqs[i];
        char status[16];
        if (r->hidden) {
            continue;
        }
        if (r->failed) {
            snprintf(status, sizeof status, "failed");
        } else {
            snprintf(status, sizeof status, "%u", (unsigned)r->status);
        }
        fprintf(stderr, "%8u %7s %12llu %12.1f %12.1f  %s\n", (unsigned)r->stream_id, status,
                (unsigned long long)r->body_bytes,
                r->got_response ? (double)(r->headers_us - r->sent_us) / 1000.0 : 0.0,
                r->finished ? (double)(r->done_us - r->sent_us) / 1000.0 : 0.0, r->path);
    }
}

static int run(int64_t deadline_ms)
{
    for (;;) {
        struct pollfd p;
        int progress = 1, guard, wait;
        int64_t now;
        for (guard = 0; progress && guard < 64 && !connection_failed; guard++) {
            progress = read_input();
            progress |= feed();
            if (h2.state == H2_CONN_OPEN && !all_finished()) {
                progress |= open_streams();
                progress |= pump_uploads();
            }
            progress |= write_output();
        }
        if (connection_failed) {
            (void)write_output(); /* the GOAWAY, if it can still go */
            fail_all("connection failed");
            return -1;
        }
        if (all_finished()) {
            if (!goaway_sent && h2.state == H2_CONN_OPEN) {
                if (h2_close_connection(&h2, H2_NO_ERROR, 0, NULL, 0) == H2_OK) {
                    goaway_sent = 1;
                    vlog("> GOAWAY NO_ERROR\n");
                    continue;
                }
            }
            if (!output_pending() || server_eof) {
                return 0;
            }
        } else if (server_eof && in_len == 0) {
            fail_all("the server closed the connection");
            return -1;
        }
        now = net_now_ms();
        if (now >= deadline_ms) {
            fail_all("timed out");
            return -1;
        }
        p.fd = net.fd;
        p.events = 0;
        if (!server_eof && in_len < INPUT_CAPACITY) {
            p.events |= POLLIN;
        }
        if (output_pending() || net.tls_wants_write) {
            p.events |= POLLOUT;
        }
        if (net.tls_wants_read) {
            p.events |= POLLIN;
        }
        p.revents = 0;
        wait = deadline_ms - now < 1000000 ? (int)(deadline_ms - now) : 1000000;
        if (guard == 64 || (net_pending(&net) && in_len < INPUT_CAPACITY)) {
            wait = 0; /* work left that poll() cannot announce */
        }
        if (poll(&p, 1, wait) < 0 && errno != EINTR) {
            perror("poll");
            return -1;
        }
    }
}

int main(int argc, char **argv)
{
    h2_config config;
    h2_setting no_push = { H2_SETTINGS_ENABLE_PUSH, 0 };
    double timeout_s = 30.0;
    int64_t deadline_ms;
    int i, rc, failed = 0;
    struct sigaction sa;
    unsigned k;

    start_us = net_now_us();
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-o") == 0 && i + 1 < argc) {
            out_dir = argv[++i];
        } else if (strcmp(a, "-d") == 0 && i + 1 < argc) {
            data_file = argv[++i];
        } else if (strcmp(a, "-H") == 0 && i + 1 < argc) {
            if (parse_header_option(argv[++i]) != 0) {
                return 2;
            }
        } else if (strcmp(a, "-I") == 0) {
            head_only = 1;
        } else if (strcmp(a, "-k") == 0) {
            insecure = 1;
        } else if (strcmp(a, "--upgrade") == 0) {
            use_upgrade = 1;
        } else if (strcmp(a, "-v") == 0) {
            verbose = 1;
        } else if (strcmp(a, "-n") == 0) {
            discard_bodies = 1;
        } else if (strcmp(a, "--timeout") == 0 && i + 1 < argc) {
            char *end;
            timeout_s = strtod(argv[++i], &end);
            if (*end != '\0' || !(timeout_s > 0) || timeout_s > 1e6) {
                fprintf(stderr, "h2_client: bad --timeout '%s'\n", argv[i]);
                return 2;
            }
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage();
            return 0;
        } else if (a[0] == '-') {
            fprintf(stderr, "h2_client: unknown or incomplete option '%s'\n", a);
            usage();
            return 2;
        } else {
            if (nreqs == MAX_URLS - 1) {
                fprintf(stderr, "h2_client: at most %u URLs\n", MAX_URLS - 1);
                return 2;
            }
            if (parse_url(a, &reqs[nreqs]) != 0) {
                return 2;
            }
            nreqs++;
        }
    }
    if (nreqs == 0) {
        usage();
        return 2;
    }
    if (data_file != NULL && head_only) {
        fprintf(stderr, "h2_client: -d and -I do not go together\n");
        return 2;
    }
    if (data_file != NULL) {
        struct stat st;
        data_fd = open(data_file, O_RDONLY);
        if (data_fd < 0 || fstat(data_fd, &st) != 0 || !S_ISREG(st.st_mode)) {
            fprintf(stderr, "h2_client: -d %s: %s\n", data_file,
                    data_fd < 0 ? strerror(errno) : "not a regular file");
            return 2;
        }
        data_size = (uint64_t)st.st_size;
    }
    if (out_dir != NULL) {
        struct stat st;
        if (stat(out_dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
            fprintf(stderr, "h2_client: -o %s: not a directory\n", out_dir);
            return 2;
        }
    }
    if (strcmp(scheme, "https") == 0) {
        if (!net_tls_available()) {
            fprintf(stderr, "h2_client: https:// needs TLS support, which was not compiled "
                            "in (rebuild with OpenSSL headers installed)\n");
            return 2;
        }
        if (use_upgrade) {
            fprintf(stderr, "h2_client: --upgrade applies to http:// only; using TLS ALPN\n");
            use_upgrade = 0;
        }
    }

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_IGN;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGPIPE, &sa, NULL); /* a closed peer is a write error, not a death */

    deadline_ms = start_us / 1000 + (int64_t)(timeout_s * 1000.0);
    net.fd = net_connect(host, port, deadline_ms);
    if (net.fd < 0) {
        fprintf(stderr, "h2_client: %s:%s: %s\n", host, port, net_error());
        return 1;
    }
    vlog("connected to %s:%s\n", host, port);
    if (strcmp(scheme, "https") == 0) {
        int r;
        if (net_tls_client_setup(!insecure) != 0 || net_tls_attach(&net, 0, host) != 0) {
            fprintf(stderr, "h2_client: %s\n", net_error());
            net_close(&net);
            net_tls_cleanup();
            return 1;
        }
        while ((r = net_tls_handshake(&net)) == 0) {
            if (wait_socket(tls_events(), deadline_ms) != 0) {
                break;
            }
        }
        if (r != 1 || !net_tls_alpn_is_h2(&net)) {
            fprintf(stderr, "h2_client: %s: %s\n", authority,
                    r == 1 ? "the server did not agree to h2 by ALPN"
                           : r == 0 ? "TLS handshake timed out" : net_error());
            net_close(&net);
            net_tls_cleanup();
            return 1;
        }
        vlog("TLS: %s, ALPN h2\n", net_tls_description(&net));
    }

    h2_config_init(&config, 1);
    h2_conn_init(&h2, &config);
    (void)h2_update_settings(&h2, &no_push, 1); /* pushes would go unread */
    if (use_upgrade) {
        rc = upgrade(deadline_ms);
    } else {
        rc = h2_initiate_connection(&h2) == H2_OK ? 0 : -1;
    }
    if (rc == 0) {
        (void)run(deadline_ms);
    } else {
        fail_all("no HTTP/2 connection");
    }
    advance_printing();
    if (verbose) {
        print_summary();
    }
    for (k = 0; k < nreqs; k++) {
        failed |= reqs[k].failed && !reqs[k].hidden;
        if (reqs[k].out != NULL && reqs[k].out != stdout) {
            fclose(reqs[k].out);
        }
        if (reqs[k].body != NULL) {
            fclose(reqs[k].body);
        }
    }
    net_close(&net);
    net_tls_cleanup();
    if (data_fd >= 0) {
        close(data_fd);
    }
    /* Every request that did not complete was marked failed. */
    return failed ? 1 : 0;
}
