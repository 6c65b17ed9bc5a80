/*
 * Receive as a server: the input (after a valid client preface, added
 * here) goes through h2_recv() split at points the first input bytes
 * choose; requests are answered, outbound data is drained. Any status is
 * fine; crashes, sanitizer reports and broken invariants are not.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "h2.h"

static h2_conn conn;
static uint8_t sink[65536];

static void check(int ok)
{
    if (!ok) {
        abort();
    }
}

static void answer(const h2_event *e)
{
    static const h2_header resp[] = {
        { (const uint8_t *)":status", 7, (const uint8_t *)"200", 3, 0 },
    };
    switch (e->type) {
    case H2_EVENT_REQUEST_RECEIVED:
        for (uint32_t i = 0; i < e->headers->count; i++) {
            h2_header h;
            h2_event_header(e, i, &h);
            check(h.name_len == 0 || h.name != NULL);
        }
        (void)h2_send_headers(&conn, e->stream_id, resp, 1, 0, NULL, 0);
        (void)h2_send_data(&conn, e->stream_id, (const uint8_t *)"ok", 2, 1, 0);
        break;
    case H2_EVENT_DATA_RECEIVED:
        check(e->data_len <= e->flow_controlled_length);
        (void)h2_acknowledge_received_data(&conn, e->flow_controlled_length, e->stream_id);
        break;
    default:
        break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    h2_config cfg;
    size_t pos = 0;
    size_t step;
    if (size < 1) {
        return 0;
    }
    step = (size_t)data[0] % 64u + 1u;
    data++;
    size--;
    h2_config_init(&cfg, 0);
    h2_conn_init(&conn, &cfg);
    check(h2_initiate_connection(&conn) == H2_OK);
    size_t used = 0;
    h2_event ev;
    check(h2_recv(&conn, (const uint8_t *)H2_CLIENT_PREFACE, H2_CLIENT_PREFACE_LEN, &used, &ev)
          == H2_OK);
    check(used == H2_CLIENT_PREFACE_LEN);
    for (int rounds = 0; rounds < 100000; rounds++) {
        size_t n = size - pos < step ? size - pos : step;
        h2_status st = h2_recv(&conn, data + pos, n, &used, &ev);
        check(used <= n);
        pos += used;
        if (ev.type != H2_EVENT_NONE) {
            answer(&ev);
        }
        (void)h2_data_to_send(&conn, sink, sizeof sink);
        check(conn.send_window <= 0x7fffffff);
        check(h2_open_inbound_streams(&conn) <= H2_MAX_STREAMS);
        if (st == H2_E_WOULD_BLOCK) {
            continue;
        }
        if (st != H2_OK) {
            break;
        }
        if (ev.type == H2_EVENT_NONE && pos == size) {
            break;
        }
    }
    return 0;
}
