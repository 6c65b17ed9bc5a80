/*
 * Socket and TLS plumbing shared by h2_server and h2_client: non-blocking
 * TCP, an optional OpenSSL layer with ALPN, a monotonic clock, and the
 * one-line descriptions of libh2 events both programs log.
 */
#ifndef H2_EXAMPLES_NET_H
#define H2_EXAMPLES_NET_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "h2.h"

/* A connected socket, with a TLS session on top when ssl is not NULL. */
typedef struct net_stream {
    int fd;
    void *ssl;           /* SSL *, kept opaque so users need no OpenSSL headers */
    uint8_t tls_wants_read;  /* the last TLS call waits for the socket to be readable */
    uint8_t tls_wants_write; /* ... or writable */
} net_stream;

/* What net_read() and net_write() return besides a byte count (> 0). */
#define NET_AGAIN (-1)   /* would block: poll and call again */
#define NET_EOF (-2)     /* the peer closed the connection */
#define NET_FAILED (-3)  /* the connection failed: see net_error() */

/* Milliseconds, microseconds on a clock that never goes back. */
int64_t net_now_ms(void);
int64_t net_now_us(void);

/* Why the last call that failed failed, in a few words. */
const char *net_error(void);

int net_set_nonblocking(int fd);

/* Splits "host:port", "[v6]:port" or "host" (port then default_port) into
 * host[hcap] and port[pcap]; 0 on success. */
int net_split_host_port(const char *in, const char *default_port, char *host,
                        size_t hcap, char *port, size_t pcap);

/* Formats a socket address as "ADDR:PORT" ("[ADDR]:PORT" for IPv6). */
void net_format_address(const void *sockaddr, char *out, size_t cap);

/* A non-blocking listening socket on "ADDR:PORT"; its address goes to
 * bound. -1 on failure. */
int net_listen(const char *addr_port, char *bound, size_t cap);

/* A non-blocking accepted socket (peer's address in peer), -1 when there
 * is none (NET_AGAIN in *why) or on failure. */
int net_accept(int listen_fd, char *peer, size_t cap, int *why);

/* Connects to host:port before deadline_ms (net_now_ms() time); returns a
 * non-blocking socket or -1. */
int net_connect(const char *host, const char *port, int64_t deadline_ms);

/* 1 when the program was built with OpenSSL. */
int net_tls_available(void);

/* Server side: loads the certificate chain and key, offers only "h2" by
 * ALPN. 0 on success. */
int net_tls_server_setup(const char *cert_file, const char *key_file);

/* Client side: verify 0 accepts any certificate (-k). 0 on success. */
int net_tls_client_setup(int verify);

/* Puts a TLS session on s (server: accepting; client: connecting to host,
 * whose name goes out as SNI and is checked against the certificate). */
int net_tls_attach(net_stream *s, int server, const char *host);

/* Advances the handshake: 1 done, 0 in progress (poll as the
 * tls_wants_* flags say), -1 failed (net_error()). */
int net_tls_handshake(net_stream *s);

/* After the handshake: 1 when ALPN chose "h2". */
int net_tls_alpn_is_h2(const net_stream *s);

/* A TLS description for logs, e.g. "TLSv1.3 TLS_AES_256_GCM_SHA384". */
const char *net_tls_description(const net_stream *s);

/* 1 when decrypted bytes wait inside the TLS layer, which poll() cannot see. */
int net_pending(const net_stream *s);

long net_read(net_stream *s, uint8_t *buf, size_t cap);
long net_write(net_stream *s, const uint8_t *buf, size_t len);

/* Ends the write side (TLS close_notify, then a TCP FIN), keeps the socket. */
void net_shutdown_write(net_stream *s);

void net_close(net_stream *s);

/* Process-wide TLS state, freed before exit. */
void net_tls_cleanup(void);

/* ---- logging helpers ---- */

/* "RequestReceived", "DataReceived", ... */
const char *net_event_name(h2_event_type type);

/* "PROTOCOL_ERROR", ..., or "0x1f" for a code RFC 9113 does not name. */
const char *net_error_code_name(uint32_t code, char *buf, size_t cap);

/* One line describing e, headers included, to out after prefix. */
void net_log_event(FILE *out, const char *prefix, const h2_event *e);

/* Copies header value `name` of a headers event into out (NUL-terminated,
 * truncated to cap); 1 when present. */
int net_event_header(const h2_event *e, const char *name, char *out, size_t cap);

#endif
