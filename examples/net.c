/*
 * Socket and TLS plumbing for the socket examples (see net.h). Everything
 * here is ordinary POSIX and OpenSSL; libh2 itself does no I/O.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include "net.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>

#if H2_EXAMPLES_TLS
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#endif

static char last_error[256];

static void set_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last_error, sizeof last_error, fmt, ap);
    va_end(ap);
}

const char *net_error(void)
{
    return last_error;
}

int64_t net_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + (int64_t)(ts.tv_nsec / 1000);
}

int64_t net_now_ms(void)
{
    return net_now_us() / 1000;
}

int net_set_nonblocking(int fd)
{
    int flags = fcntl(fd, F_GETFL, 0);
    if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) {
        set_error("fcntl: %s", strerror(errno));
        return -1;
    }
    return 0;
}

static int copy_string(char *out, size_t cap, const char *in, size_t len)
{
    if (len + 1 > cap) {
        return -1;
    }
    memcpy(out, in, len);
    out[len] = '\0';
    return 0;
}

static int valid_port(const char *port)
{
    size_t i, n = strlen(port);
    if (n == 0 || n > 5) {
        return 0;
    }
    for (i = 0; i < n; i++) {
        if (port[i] < '0' || port[i] > '9') {
            return 0;
        }
    }
    return atoi(port) <= 65535;
}

static int split_host_port(const char *in, const char *default_port, char *host,
                           size_t hcap, char *port, size_t pcap)
{
    const char *colon;
    if (in[0] == '[') {
        const char *end = strchr(in, ']');
        if (end == NULL || copy_string(host, hcap, in + 1, (size_t)(end - in - 1)) != 0) {
            return -1;
        }
        if (end[1] == '\0') {
            return copy_string(port, pcap, default_port, strlen(default_port));
        }
        if (end[1] != ':' || end[2] == '\0') {
            return -1;
        }
        return copy_string(port, pcap, end + 2, strlen(end + 2));
    }
    colon = strrchr(in, ':');
    if (colon == NULL) {
        if (copy_string(host, hcap, in, strlen(in)) != 0) {
            return -1;
        }
        return copy_string(port, pcap, default_port, strlen(default_port));
    }
    if (strchr(in, ':') != colon || colon[1] == '\0') {
        return -1; /* a bare IPv6 address needs brackets */
    }
    if (copy_string(host, hcap, in, (size_t)(colon - in)) != 0) {
        return -1;
    }
    return copy_string(port, pcap, colon + 1, strlen(colon + 1));
}

int net_split_host_port(const char *in, const char *default_port, char *host,
                        size_t hcap, char *port, size_t pcap)
{
    if (split_host_port(in, default_port, host, hcap, port, pcap) != 0 || !valid_port(port)) {
        return -1;
    }
    return 0;
}

void net_format_address(const void *sockaddr, char *out, size_t cap)
{
    const struct sockaddr *sa = sockaddr;
    char ip[INET6_ADDRSTRLEN];
    if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *a = sockaddr;
        inet_ntop(AF_INET6, &a->sin6_addr, ip, sizeof ip);
        snprintf(out, cap, "[%s]:%u", ip, (unsigned)ntohs(a->sin6_port));
    } else if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *a = sockaddr;
        inet_ntop(AF_INET, &a->sin_addr, ip, sizeof ip);
        snprintf(out, cap, "%s:%u", ip, (unsigned)ntohs(a->sin_port));
    } else {
        snprintf(out, cap, "?");
    }
}

int net_listen(const char *addr_port, char *bound, size_t cap)
{
    char host[256], port[16];
    struct addrinfo hints, *res = NULL;
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    int fd, rc, one = 1;

    if (net_split_host_port(addr_port, "0", host, sizeof host, port, sizeof port) != 0) {
        set_error("bad listen address '%s' (want ADDR:PORT)", addr_port);
        return -1;
    }
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    rc = getaddrinfo(host[0] != '\0' ? host : NULL, port, &hints, &res);
    if (rc != 0) {
        set_error("%s: %s", addr_port, gai_strerror(rc));
        return -1;
    }
    fd = socket(res->ai_family, res->ai_socktype, res->ai_protocol);
    if (fd < 0) {
        set_error("socket: %s", strerror(errno));
        freeaddrinfo(res);
        return -1;
    }
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(fd, res->ai_addr, res->ai_addrlen) != 0 || listen(fd, 128) != 0 ||
        net_set_nonblocking(fd) != 0) {
        set_error("%s: %s", addr_port, strerror(errno));
        freeaddrinfo(res);
        close(fd);
        return -1;
    }
    freeaddrinfo(res);
    if (getsockname(fd, (struct sockaddr *)&ss, &len) == 0) {
        net_format_address(&ss, bound, cap);
    } else {
        snprintf(bound, cap, "%s", addr_port);
    }
    return fd;
}

int net_accept(int listen_fd, char *peer, size_t cap, int *why)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    int one = 1;
    int fd = accept(listen_fd, (struct sockaddr *)&ss, &len);
    if (fd < 0) {
        *why = (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ||
                errno == ECONNABORTED) ? NET_AGAIN : NET_FAILED;
        set_error("accept: %s", strerror(errno));
        return -1;
    }
    if (net_set_nonblocking(fd) != 0) {
        close(fd);
        *why = NET_FAILED;
        return -1;
    }
    /* Frames are small and latency matters more than packet count. */
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    net_format_address(&ss, peer, cap);
    return fd;
}

/* Waits until a non-blocking connect finishes; 0 when connected. */
static int connect_wait(int fd, int64_t deadline_ms)
{
    for (;;) {
        struct pollfd p;
        int64_t left = deadline_ms - net_now_ms();
        int err = 0;
        socklen_t len = sizeof err;
        int n;
        if (left <= 0) {
            set_error("connect: timed out");
            return -1;
        }
        p.fd = fd;
        p.events = POLLOUT;
        p.revents = 0;
        n = poll(&p, 1, left > 1000000 ? 1000000 : (int)left);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            set_error("poll: %s", strerror(errno));
            return -1;
        }
        if (n == 0) {
            continue;
        }
        if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0 || err != 0) {
            set_error("connect: %s", strerror(err != 0 ? err : errno));
            return -1;
        }
        return 0;
    }
}

int net_connect(const char *host, const char *port, int64_t deadline_ms)
{
    struct addrinfo hints, *res = NULL, *ai;
    int rc, one = 1;

    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    rc = getaddrinfo(host, port, &hints, &res);
    if (rc != 0) {
        set_error("%s: %s", host, gai_strerror(rc));
        return -1;
    }
    for (ai = res; ai != NULL; ai = ai->ai_next) {
        int fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (fd < 0) {
            set_error("socket: %s", strerror(errno));
            continue;
        }
        if (net_set_nonblocking(fd) != 0) {
            close(fd);
            continue;
        }
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0 ||
            (errno == EINPROGRESS && connect_wait(fd, deadline_ms) == 0)) {
            freeaddrinfo(res);
            return fd;
        }
        if (errno != EINPROGRESS) {
            set_error("connect: %s", strerror(errno));
        }
        close(fd);
    }
    freeaddrinfo(res);
    return -1;
}

/* ------------------------------------------------------------------ */
/* Cleartext I/O                                                       */
/* ------------------------------------------------------------------ */

static long plain_read(net_stream *s, uint8_t *buf, size_t cap)
{
    for (;;) {
        ssize_t n = read(s->fd, buf, cap);
        if (n > 0) {
            return (long)n;
        }
        if (n == 0) {
            return NET_EOF;
        }
        if (errno == EINTR) {
            continue;
        }
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            return NET_AGAIN;
        }
        set_error("read: %s", strerror(errno));
        return NET_FAILED;
    }
}

static long plain_write(net_stream *s, const uint8_t *buf, size_t len)
{
    for (;;) {
        ssize_t n = write(s->fd, buf, len);
        if (n >= 0) {
            return n > 0 ? (long)n : NET_AGAIN;
        }
        if (errno == EINTR) {
            continue;
        }
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            return NET_AGAIN;
        }
        set_error("write: %s", strerror(errno));
        return NET_FAILED;
    }
}

/* ------------------------------------------------------------------ */
/* TLS                                                                 */
/* ------------------------------------------------------------------ */

#if H2_EXAMPLES_TLS

static SSL_CTX *tls_ctx;
static char tls_text[128];

/* The OpenSSL error queue, or errno, as one line. */
static void set_tls_error(const char *what)
{
    unsigned long code = ERR_get_error();
    if (code != 0) {
        char text[200];
        ERR_error_string_n(code, text, sizeof text);
        set_error("%s: %s", what, text);
    } else if (errno != 0) {
        set_error("%s: %s", what, strerror(errno));
    } else {
        set_error("%s: the peer closed the connection", what);
    }
    ERR_clear_error();
}

/* ALPN "h2" in wire form: a length byte, then the name. */
static const unsigned char alpn_h2[] = { 2, 'h', '2' };

static int select_h2(SSL *ssl, const unsigned char **out, unsigned char *outlen,
                     const unsigned char *in, unsigned int inlen, void *arg)
{
    unsigned int i = 0;
    (void)ssl;
    (void)arg;
    while (i < inlen) {
        unsigned int len = in[i];
        if (i + 1 + len > inlen) {
            break;
        }
        if (len == 2 && in[i + 1] == 'h' && in[i + 2] == '2') {
            *out = &in[i + 1];
            *outlen = 2;
            return SSL_TLSEXT_ERR_OK;
        }
        i += 1 + len;
    }
    /* HTTP/2 only: a client without "h2" gets no_application_protocol. */
    return SSL_TLSEXT_ERR_ALERT_FATAL;
}

int net_tls_available(void)
{
    return 1;
}

static SSL_CTX *new_context(const SSL_METHOD *method)
{
    SSL_CTX *ctx = SSL_CTX_new(method);
    if (ctx == NULL) {
        set_tls_error("SSL_CTX_new");
        return NULL;
    }
    /* RFC 9113 section 9.2: TLS 1.2 or later. */
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    /* Writes come straight from libh2's outbound buffer, which moves as
     * frames are queued behind the bytes in flight. */
    SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
#ifdef SSL_OP_IGNORE_UNEXPECTED_EOF
    /* A peer that closes without close_notify has just closed: HTTP/2
     * framing, not TLS, tells whether a response was cut short. */
    SSL_CTX_set_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
#endif
    return ctx;
}

int net_tls_server_setup(const char *cert_file, const char *key_file)
{
    tls_ctx = new_context(TLS_server_method());
    if (tls_ctx == NULL) {
        return -1;
    }
    if (SSL_CTX_use_certificate_chain_file(tls_ctx, cert_file) != 1) {
        set_tls_error(cert_file);
        return -1;
    }
    if (SSL_CTX_use_PrivateKey_file(tls_ctx, key_file, SSL_FILETYPE_PEM) != 1 ||
        SSL_CTX_check_private_key(tls_ctx) != 1) {
        set_tls_error(key_file);
        return -1;
    }
    SSL_CTX_set_alpn_select_cb(tls_ctx, select_h2, NULL);
    return 0;
}

int net_tls_client_setup(int verify)
{
    tls_ctx = new_context(TLS_client_method());
    if (tls_ctx == NULL) {
        return -1;
    }
    if (verify) {
        SSL_CTX_set_verify(tls_ctx, SSL_VERIFY_PEER, NULL);
        if (SSL_CTX_set_default_verify_paths(tls_ctx) != 1) {
            set_tls_error("CA certificates");
            return -1;
        }
    }
    if (SSL_CTX_set_alpn_protos(tls_ctx, alpn_h2, sizeof alpn_h2) != 0) {
        set_tls_error("ALPN");
        return -1;
    }
    return 0;
}

int net_tls_attach(net_stream *s, int server, const char *host)
{
    SSL *ssl = SSL_new(tls_ctx);
    if (ssl == NULL || SSL_set_fd(ssl, s->fd) != 1) {
        set_tls_error("SSL_new");
        SSL_free(ssl);
        return -1;
    }
    if (server) {
        SSL_set_accept_state(ssl);
    } else {
        struct in6_addr a6;
        struct in_addr a4;
        int literal = inet_pton(AF_INET, host, &a4) == 1 || inet_pton(AF_INET6, host, &a6) == 1;
        char name[256];
        snprintf(name, sizeof name, "%s", host);
        /* SNI carries names only, never IP addresses (RFC 6066 section 3). */
        if (!literal && SSL_set_tlsext_host_name(ssl, name) != 1) {
            set_tls_error("SNI");
            SSL_free(ssl);
            return -1;
        }
        if (SSL_get_verify_mode(ssl) != SSL_VERIFY_NONE) {
            int ok = literal ? X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host)
                             : SSL_set1_host(ssl, host);
            if (ok != 1) {
                set_tls_error("certificate name check");
                SSL_free(ssl);
                return -1;
            }
        }
        SSL_set_connect_state(ssl);
    }
    s->ssl = ssl;
    return 0;
}

/* Maps an SSL_* call's failure to NET_AGAIN/NET_EOF/NET_FAILED. */
static long tls_failure(net_stream *s, int ret, const char *what)
{
    int err = SSL_get_error(s->ssl, ret);
    switch (err) {
    case SSL_ERROR_WANT_READ:
        s->tls_wants_read = 1;
        return NET_AGAIN;
    case SSL_ERROR_WANT_WRITE:
        s->tls_wants_write = 1;
        return NET_AGAIN;
    case SSL_ERROR_ZERO_RETURN:
        return NET_EOF;
    case SSL_ERROR_SYSCALL:
        if (ERR_peek_error() == 0 && (ret == 0 || errno == 0)) {
            return NET_EOF; /* closed without close_notify */
        }
        set_tls_error(what);
        return NET_FAILED;
    default:
        set_tls_error(what);
        return NET_FAILED;
    }
}

int net_tls_handshake(net_stream *s)
{
    int ret;
    s->tls_wants_read = 0;
    s->tls_wants_write = 0;
    ERR_clear_error();
    errno = 0;
    ret = SSL_do_handshake(s->ssl);
    if (ret == 1) {
        return 1;
    }
    switch (tls_failure(s, ret, "TLS handshake")) {
    case NET_AGAIN:
        return 0;
    case NET_EOF:
        set_error("TLS handshake: the peer closed the connection");
        return -1;
    default:
        return -1;
    }
}

int net_tls_alpn_is_h2(const net_stream *s)
{
    const unsigned char *p = NULL;
    unsigned int len = 0;
    SSL_get0_alpn_selected(s->ssl, &p, &len);
    return len == 2 && p[0] == 'h' && p[1] == '2';
}

const char *net_tls_description(const net_stream *s)
{
    const SSL_CIPHER *c = SSL_get_current_cipher(s->ssl);
    snprintf(tls_text, sizeof tls_text, "%s %s", SSL_get_version(s->ssl),
             c != NULL ? SSL_CIPHER_get_name(c) : "?");
    return tls_text;
}

int net_pending(const net_stream *s)
{
    return s->ssl != NULL && SSL_has_pending(s->ssl);
}

long net_read(net_stream *s, uint8_t *buf, size_t cap)
{
    int ret;
    if (s->ssl == NULL) {
        return plain_read(s, buf, cap);
    }
    s->tls_wants_read = 0;
    s->tls_wants_write = 0;
    ERR_clear_error();
    errno = 0;
    ret = SSL_read(s->ssl, buf, cap > 0x40000000u ? 0x40000000 : (int)cap);
    if (ret > 0) {
        return ret;
    }
    return tls_failure(s, ret, "TLS read");
}

long net_write(net_stream *s, const uint8_t *buf, size_t len)
{
    int ret;
    if (s->ssl == NULL) {
        return plain_write(s, buf, len);
    }
    s->tls_wants_read = 0;
    s->tls_wants_write = 0;
    ERR_clear_error();
    errno = 0;
    ret = SSL_write(s->ssl, buf, len > 0x40000000u ? 0x40000000 : (int)len);
    if (ret > 0) {
        return ret;
    }
    return tls_failure(s, ret, "TLS write");
}

void net_shutdown_write(net_stream *s)
{
    if (s->ssl != NULL) {
        ERR_clear_error();
        (void)SSL_shutdown(s->ssl); /* one try: the socket may be full */
        ERR_clear_error();
    }
    shutdown(s->fd, SHUT_WR);
}

void net_close(net_stream *s)
{
    if (s->ssl != NULL) {
        SSL_free(s->ssl);
        s->ssl = NULL;
    }
    if (s->fd >= 0) {
        close(s->fd);
        s->fd = -1;
    }
}

void net_tls_cleanup(void)
{
    SSL_CTX_free(tls_ctx);
    tls_ctx = NULL;
}

#else /* no OpenSSL */

static const char no_tls[] = "TLS support was not compiled in (OpenSSL headers not found)";

int net_tls_available(void) { return 0; }

int net_tls_server_setup(const char *cert_file, const char *key_file)
{
    (void)cert_file;
    (void)key_file;
    set_error("%s", no_tls);
    return -1;
}

int net_tls_client_setup(int verify)
{
    (void)verify;
    set_error("%s", no_tls);
    return -1;
}

int net_tls_attach(net_stream *s, int server, const char *host)
{
    (void)s;
    (void)server;
    (void)host;
    set_error("%s", no_tls);
    return -1;
}

int net_tls_handshake(net_stream *s)
{
    (void)s;
    set_error("%s", no_tls);
    return -1;
}

int net_tls_alpn_is_h2(const net_stream *s)
{
    (void)s;
    return 0;
}

const char *net_tls_description(const net_stream *s)
{
    (void)s;
    return "none";
}

int net_pending(const net_stream *s)
{
    (void)s;
    return 0;
}

long net_read(net_stream *s, uint8_t *buf, size_t cap)
{
    return plain_read(s, buf, cap);
}

long net_write(net_stream *s, const uint8_t *buf, size_t len)
{
    return plain_write(s, buf, len);
}

void net_shutdown_write(net_stream *s)
{
    shutdown(s->fd, SHUT_WR);
}

void net_close(net_stream *s)
{
    if (s->fd >= 0) {
        close(s->fd);
        s->fd = -1;
    }
}

void net_tls_cleanup(void) {}

#endif

/* ------------------------------------------------------------------ */
/* Logging                                                             */
/* ------------------------------------------------------------------ */

const char *net_event_name(h2_event_type type)
{
    static const char *const names[H2_EVENT_TYPE_COUNT] = {
        "None", "RequestReceived", "ResponseReceived", "TrailersReceived",
        "InformationalResponseReceived", "DataReceived", "WindowUpdated",
        "RemoteSettingsChanged", "PingReceived", "PingAckReceived", "StreamEnded",
        "StreamReset", "PushedStreamReceived", "SettingsAcknowledged",
        "PriorityUpdated", "ConnectionTerminated", "AlternativeServiceAvailable",
        "UnknownFrameReceived",
    };
    return (unsigned)type < H2_EVENT_TYPE_COUNT ? names[type] : "?";
}

const char *net_error_code_name(uint32_t code, char *buf, size_t cap)
{
    static const char *const names[] = {
        "NO_ERROR", "PROTOCOL_ERROR", "INTERNAL_ERROR", "FLOW_CONTROL_ERROR",
        "SETTINGS_TIMEOUT", "STREAM_CLOSED", "FRAME_SIZE_ERROR", "REFUSED_STREAM",
        "CANCEL", "COMPRESSION_ERROR", "CONNECT_ERROR", "ENHANCE_YOUR_CALM",
        "INADEQUATE_SECURITY", "HTTP_1_1_REQUIRED",
    };
    if (code < sizeof names / sizeof names[0]) {
        return names[code];
    }
    snprintf(buf, cap, "0x%x", (unsigned)code);
    return buf;
}

static const char *setting_name(uint16_t id)
{
    switch (id) {
    case H2_SETTINGS_HEADER_TABLE_SIZE: return "HEADER_TABLE_SIZE";
    case H2_SETTINGS_ENABLE_PUSH: return "ENABLE_PUSH";
    case H2_SETTINGS_MAX_CONCURRENT_STREAMS: return "MAX_CONCURRENT_STREAMS";
    case H2_SETTINGS_INITIAL_WINDOW_SIZE: return "INITIAL_WINDOW_SIZE";
    case H2_SETTINGS_MAX_FRAME_SIZE: return "MAX_FRAME_SIZE";
    case H2_SETTINGS_MAX_HEADER_LIST_SIZE: return "MAX_HEADER_LIST_SIZE";
    case H2_SETTINGS_ENABLE_CONNECT_PROTOCOL: return "ENABLE_CONNECT_PROTOCOL";
    case H2_SETTINGS_NO_RFC7540_PRIORITIES: return "NO_RFC7540_PRIORITIES";
    default: return "?";
    }
}

/* Prints at most max bytes of p, escaping what is not printable. */
static void put_text(FILE *out, const uint8_t *p, uint32_t len, uint32_t max)
{
    uint32_t i;
    for (i = 0; i < len && i < max; i++) {
        if (p[i] >= 0x20 && p[i] < 0x7f) {
            fputc(p[i], out);
        } else {
            fprintf(out, "\\x%02x", p[i]);
        }
    }
    if (len > max) {
        fputs("...", out);
    }
}

void net_log_event(FILE *out, const char *prefix, const h2_event *e)
{
    char code[16];
    uint32_t i;
    fprintf(out, "%s%s", prefix, net_event_name(e->type));
    if (e->stream_id != 0 || e->type == H2_EVENT_WINDOW_UPDATED) {
        fprintf(out, " stream %u", (unsigned)e->stream_id);
    }
    switch (e->type) {
    case H2_EVENT_DATA_RECEIVED:
        fprintf(out, " %u bytes (flow-controlled %u)", (unsigned)e->data_len,
                (unsigned)e->flow_controlled_length);
        break;
    case H2_EVENT_WINDOW_UPDATED:
        fprintf(out, " +%u", (unsigned)e->delta);
        break;
    case H2_EVENT_REMOTE_SETTINGS_CHANGED:
    case H2_EVENT_SETTINGS_ACKNOWLEDGED:
        for (i = 0; i < e->settings_count && i < H2_SETTINGS_KNOWN; i++) {
            fprintf(out, " %s=%u", setting_name(e->settings[i].id),
                    (unsigned)e->settings[i].new_value);
        }
        break;
    case H2_EVENT_STREAM_RESET:
        fprintf(out, " %s (%s)", net_error_code_name(e->error_code, code, sizeof code),
                e->remote_reset ? "by the peer" : "by us");
        break;
    case H2_EVENT_CONNECTION_TERMINATED:
        fprintf(out, " %s, last stream %u", net_error_code_name(e->error_code, code, sizeof code),
                (unsigned)e->last_stream_id);
        if (e->additional_data_len > 0) {
            fputs(", \"", out);
            put_text(out, e->additional_data, e->additional_data_len, 100);
            fputc('"', out);
        }
        break;
    case H2_EVENT_PUSHED_STREAM_RECEIVED:
        fprintf(out, " (parent %u)", (unsigned)e->parent_stream_id);
        break;
    case H2_EVENT_UNKNOWN_FRAME_RECEIVED:
        fprintf(out, " type 0x%02x, %u bytes", e->frame_type, (unsigned)e->payload_len);
        break;
    default:
        break;
    }
    if (e->headers != NULL) {
        for (i = 0; i < e->headers->count; i++) {
            h2_header h;
            h2_event_header(e, i, &h);
            fputs(i == 0 ? ": " : ", ", out);
            put_text(out, h.name, h.name_len, 64);
            fputs(": ", out);
            put_text(out, h.value, h.value_len, 100);
        }
    }
    if (e->stream_ended) {
        fputs(" [END_STREAM]", out);
    }
    fputc('\n', out);
}

int net_event_header(const h2_event *e, const char *name, char *out, size_t cap)
{
    size_t name_len = strlen(name);
    uint32_t i;
    if (e->headers == NULL || cap == 0) {
        return 0;
    }
    for (i = 0; i < e->headers->count; i++) {
        h2_header h;
        h2_event_header(e, i, &h);
        if (h.name_len == name_len && memcmp(h.name, name, name_len) == 0) {
            size_t n = h.value_len < cap - 1 ? h.value_len : cap - 1;
            memcpy(out, h.value, n);
            out[n] = '\0';
            return 1;
        }
    }
    return 0;
}
