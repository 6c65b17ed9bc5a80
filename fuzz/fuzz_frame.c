/*
 * Frame codec: every input is parsed as a sequence of frames; each frame
 * that parses must serialize back to exactly the bytes it came from (up to
 * the reserved bits, which are cleared, and padding, which is zeroed).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "h2.h"

static void check(int ok)
{
    if (!ok) {
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t out[H2_FRAME_HEADER_SIZE + H2_FRAME_LENGTH_MAX];
    size_t off = 0;
    while (size - off >= H2_FRAME_HEADER_SIZE) {
        h2_frame_header hdr;
        h2_frame frame;
        size_t written = 0;
        check(h2_frame_header_parse(data + off, size - off, &hdr) == H2_OK);
        if (hdr.length > size - off - H2_FRAME_HEADER_SIZE) {
            break;
        }
        const uint8_t *in = data + off;
        const uint8_t *payload = in + H2_FRAME_HEADER_SIZE;
        h2_status st = h2_frame_parse(&hdr, payload, &frame);
        off += H2_FRAME_HEADER_SIZE + hdr.length;
        if (st != H2_OK) {
            continue;
        }
        /* Writing too small a buffer must fail cleanly and report the need. */
        size_t need = 0;
        check(h2_frame_write(&frame, out, 0, &need) == H2_E_BUFFER_TOO_SMALL);
        check(need == H2_FRAME_HEADER_SIZE + hdr.length);
        check(h2_frame_write(&frame, out, sizeof out, &written) == H2_OK);
        check(written == H2_FRAME_HEADER_SIZE + hdr.length);
        check(memcmp(out, in, 5) == 0);
        check(out[5] == (in[5] & 0x7fu));
        check(memcmp(out + 6, in + 6, 3) == 0);

        /* Reparsing the output gives the same frame. */
        h2_frame_header hdr2;
        h2_frame again;
        check(h2_frame_header_parse(out, written, &hdr2) == H2_OK);
        check(h2_frame_parse(&hdr2, out + H2_FRAME_HEADER_SIZE, &again) == H2_OK);
        check(again.data_len == frame.data_len);
        check(frame.data_len == 0 ||
              memcmp(again.data, frame.data, frame.data_len) == 0);
        check(again.pad_length == frame.pad_length);
        check(again.error_code == frame.error_code);
        check(again.window_increment == frame.window_increment);
        check(again.promised_stream_id == frame.promised_stream_id);
        check(again.last_stream_id == frame.last_stream_id);
        check(again.priority.dependency == frame.priority.dependency);
        check(again.priority.weight == frame.priority.weight);
        check(again.priority.exclusive == frame.priority.exclusive);
        check(again.origin_len == frame.origin_len);
        check(memcmp(again.opaque, frame.opaque, sizeof frame.opaque) == 0);
    }
    return 0;
}
