/*
 * Receive as a client: the client has sent its preface and three
 * requests; the input plays the server, split at points the first input
 * byte chooses.
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const h2_header req[] = {
        { (const uint8_t *)":method", 7, (const uint8_t *)"GET", 3, 0 },
        { (const uint8_t *)":scheme", 7, (const uint8_t *)"https", 5, 0 },
        { (const uint8_t *)":authority", 10, (const uint8_t *)"fuzz", 4, 0 },
        { (const uint8_t *)":path", 5, (const uint8_t *)"/", 1, 0 },
    };
    h2_config cfg;
    size_t pos = 0;
    size_t step;
    if (size < 1) {
        return 0;
    }
    step = (size_t)data[0] % 64u + 1u;
    data++;
    size--;
    h2_config_init(&cfg, 1);
    h2_conn_init(&conn, &cfg);
    check(h2_initiate_connection(&conn) == H2_OK);
    check(h2_send_headers(&conn, 1, req, 4, 1, NULL, 0) == H2_OK);
    check(h2_send_headers(&conn, 3, req, 4, 0, NULL, 0) == H2_OK);
    check(h2_send_headers(&conn, 5, req, 4, 1, NULL, 0) == H2_OK);
    (void)h2_data_to_send(&conn, sink, sizeof sink);
    for (int rounds = 0; rounds < 100000; rounds++) {
        size_t used = 0;
        h2_event ev;
        size_t n = size - pos < step ? size - pos : step;
        h2_status st = h2_recv(&conn, data + pos, n, &used, &ev);
        check(used <= n);
        pos += used;
        if (ev.type == H2_EVENT_DATA_RECEIVED) {
            (void)h2_acknowledge_received_data(&conn, ev.flow_controlled_length, ev.stream_id);
        }
        (void)h2_data_to_send(&conn, sink, sizeof sink);
        check(h2_open_outbound_streams(&conn) <= 3);
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
