/*
 * A libh2 client and a libh2 server talking through memory: the client
 * sends a GET and a POST with a body, the server answers both; every
 * event each side sees is printed. This is the whole programming model:
 * feed received bytes to h2_recv() until it reports no event, act on the
 * events, and send what h2_data_to_send() gives you.
 */
#include <stdio.h>
#include <string.h>

#include "h2.h"

static h2_conn client, server;
static uint8_t wire[1 << 16];

static const char *event_name(h2_event_type t)
{
    static const char *names[H2_EVENT_TYPE_COUNT] = {
        "None", "RequestReceived", "ResponseReceived", "TrailersReceived",
        "InformationalResponseReceived", "DataReceived", "WindowUpdated",
        "RemoteSettingsChanged", "PingReceived", "PingAckReceived", "StreamEnded",
        "StreamReset", "PushedStreamReceived", "SettingsAcknowledged",
        "PriorityUpdated", "ConnectionTerminated", "AlternativeServiceAvailable",
        "UnknownFrameReceived",
    };
    return (unsigned)t < H2_EVENT_TYPE_COUNT ? names[t] : "?";
}

static h2_header field(const char *name, const char *value)
{
    h2_header h = { (const uint8_t *)name, (uint32_t)strlen(name),
                    (const uint8_t *)value, (uint32_t)strlen(value), 0 };
    return h;
}

/* The server's side of the application. */
static void serve(const h2_event *e)
{
    static char body[64];
    if (e->type == H2_EVENT_DATA_RECEIVED) {
        /* Hand the flow-control credit back once the bytes are used. */
        h2_acknowledge_received_data(&server, e->flow_controlled_length, e->stream_id);
    }
    if (e->stream_ended) {
        const h2_header resp[] = { field(":status", "200"), field("content-type", "text/plain") };
        int n = snprintf(body, sizeof body, "hello from stream %u\n", (unsigned)e->stream_id);
        h2_send_headers(&server, e->stream_id, resp, 2, 0, NULL, 0);
        h2_send_data(&server, e->stream_id, (const uint8_t *)body, (size_t)n, 1, 0);
    }
}

/* Delivers everything `from` queued to `to`, printing each event. */
static int deliver(h2_conn *from, h2_conn *to, const char *who)
{
    size_t len = h2_data_to_send(from, wire, sizeof wire);
    size_t pos = 0;
    if (len > 0) {
        printf("  -- %zu bytes to the %s\n", len, who);
    }
    /* Call until no event is left, even after the input is used up:
     * one frame can give several events (a request and its end). */
    for (;;) {
        h2_event e;
        size_t used = 0;
        h2_status st = h2_recv(to, wire + pos, len - pos, &used, &e);
        pos += used;
        if (st != H2_OK) {
            printf("  error: %s\n", h2_status_name(st));
            return -1;
        }
        if (e.type == H2_EVENT_NONE) {
            if (pos == len) {
                break;
            }
            continue;
        }
        printf("  %s: %s stream %u", who, event_name(e.type), (unsigned)e.stream_id);
        if (e.headers != NULL) {
            for (uint32_t i = 0; i < e.headers->count; i++) {
                h2_header h;
                h2_event_header(&e, i, &h);
                printf("%s%.*s: %.*s", i == 0 ? "\n      " : ", ", (int)h.name_len,
                       (const char *)h.name, (int)h.value_len, (const char *)h.value);
            }
        }
        if (e.type == H2_EVENT_DATA_RECEIVED) {
            printf(" (%u bytes)", (unsigned)e.data_len);
        }
        printf("\n");
        if (to == &server) {
            serve(&e);
        }
    }
    return 0;
}

int main(void)
{
    h2_config ccfg, scfg;
    h2_config_init(&ccfg, 1);
    h2_config_init(&scfg, 0);
    h2_conn_init(&client, &ccfg);
    h2_conn_init(&server, &scfg);
    printf("libh2 %s: sizeof(h2_conn) = %zu bytes, no heap\n\n", H2_VERSION_STRING, sizeof client);

    h2_initiate_connection(&client);
    h2_initiate_connection(&server);

    const h2_header get[] = { field(":method", "GET"), field(":scheme", "https"),
                              field(":authority", "example.com"), field(":path", "/") };
    const h2_header post[] = { field(":method", "POST"), field(":scheme", "https"),
                               field(":authority", "example.com"), field(":path", "/echo"),
                               field("content-length", "11") };
    h2_send_headers(&client, 1, get, 4, 1, NULL, 0);
    h2_send_headers(&client, 3, post, 5, 0, NULL, 0);
    h2_send_data(&client, 3, (const uint8_t *)"hello world", 11, 1, 0);

    for (int round = 0; round < 4; round++) {
        if (deliver(&client, &server, "server") != 0 || deliver(&server, &client, "client") != 0) {
            return 1;
        }
    }
    printf("\nopen streams: client %u, server %u\n", h2_open_outbound_streams(&client),
           h2_open_inbound_streams(&server));
    return 0;
}
