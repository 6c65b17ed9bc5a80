/*
 * A walk through libh2's lower layers: a client's request headers are
 * HPACK-encoded into a HEADERS frame, the frame's bytes are parsed back,
 * and the header block is decoded again, fed three bytes at a time as a
 * network might deliver it. A second request shows the dynamic table at
 * work. Nothing is allocated: every structure lives in static storage.
 */
#include <stdio.h>
#include <string.h>

#include "h2.h"

static h2_hpack_encoder encoder;
static h2_hpack_decoder decoder;
static h2_header_arena arena;
static uint8_t wire[4096];

static h2_header field(const char *name, const char *value, uint8_t flags)
{
    h2_header h;
    h.name = (const uint8_t *)name;
    h.name_len = (uint32_t)strlen(name);
    h.value = (const uint8_t *)value;
    h.value_len = (uint32_t)strlen(value);
    h.flags = flags;
    return h;
}

static void dump(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        printf("%s%02x", (i % 16 == 0) ? "\n    " : " ", p[i]);
    }
    printf("\n");
}

static int exchange(const h2_header *fields, size_t count, uint32_t stream_id)
{
    uint8_t block[1024];
    size_t block_len = 0;
    size_t plain = 0;
    for (size_t i = 0; i < count; i++) {
        plain += fields[i].name_len + fields[i].value_len + 4u;
    }
    h2_status st = h2_hpack_encode(&encoder, fields, NULL, count, block,
                                   sizeof block, &block_len);
    if (st != H2_OK) {
        printf("encode failed: %s\n", h2_status_name(st));
        return 1;
    }

    h2_frame frame;
    memset(&frame, 0, sizeof frame);
    frame.hdr.type = H2_FRAME_HEADERS;
    frame.hdr.flags = H2_FLAG_END_HEADERS | H2_FLAG_END_STREAM;
    frame.hdr.stream_id = stream_id;
    frame.data = block;
    frame.data_len = (uint32_t)block_len;
    size_t frame_len = 0;
    st = h2_frame_write(&frame, wire, sizeof wire, &frame_len);
    if (st != H2_OK) {
        printf("frame write failed: %s\n", h2_status_name(st));
        return 1;
    }
    printf("request on stream %u: %zu header bytes as HTTP/1.1 text, "
           "%zu bytes of HPACK, %zu bytes on the wire:", stream_id, plain,
           block_len, frame_len);
    dump(wire, frame_len);

    h2_frame_header hdr;
    h2_frame parsed;
    if (h2_frame_header_parse(wire, frame_len, &hdr) != H2_OK ||
        h2_frame_header_check(&hdr, H2_DEFAULT_MAX_FRAME_SIZE) != H2_OK ||
        h2_frame_parse(&hdr, wire + H2_FRAME_HEADER_SIZE, &parsed) != H2_OK) {
        printf("frame parse failed\n");
        return 1;
    }
    printf("parsed frame: type HEADERS, flags 0x%02x, stream %u, "
           "block of %u bytes\n", hdr.flags, hdr.stream_id, parsed.data_len);

    /* Feed the block in 3-byte pieces, as if split across reads. */
    h2_hpack_decoder_begin_block(&decoder, &arena);
    for (uint32_t off = 0; off < parsed.data_len; off += 3u) {
        uint32_t n = parsed.data_len - off < 3u ? parsed.data_len - off : 3u;
        int last = (off + n == parsed.data_len);
        st = h2_hpack_decode(&decoder, &arena, parsed.data + off, n, last);
        if (st != H2_OK) {
            printf("decode failed: %s\n", h2_status_name(st));
            return 1;
        }
    }
    printf("decoded %u fields:\n", arena.count);
    for (uint32_t i = 0; i < arena.count; i++) {
        h2_header h;
        h2_header_arena_get(&arena, i, &h);
        printf("    %.*s: %.*s%s\n", (int)h.name_len, (const char *)h.name,
               (int)h.value_len, (const char *)h.value,
               (h.flags & H2_HEADER_FIELD_NEVER_INDEXED) ? "  (never indexed)" : "");
    }
    printf("decoder table: %u entries, %u of %u bytes\n\n",
           decoder.table.count, decoder.table.size, decoder.table.max_size);
    return 0;
}

int main(void)
{
    h2_hpack_encoder_init(&encoder);
    h2_hpack_decoder_init(&decoder, H2_HEADER_ARENA_CAPACITY);

    const h2_header first[] = {
        field(":method", "GET", 0),
        field(":scheme", "https", 0),
        field(":authority", "www.example.com", 0),
        field(":path", "/index.html", 0),
        field("user-agent", "libh2-demo/" H2_VERSION_STRING, 0),
        field("authorization", "Bearer c2VjcmV0", H2_HEADER_FIELD_NEVER_INDEXED),
    };
    const h2_header second[] = {
        field(":method", "GET", 0),
        field(":scheme", "https", 0),
        field(":authority", "www.example.com", 0),
        field(":path", "/style.css", 0),
        field("user-agent", "libh2-demo/" H2_VERSION_STRING, 0),
        field("authorization", "Bearer c2VjcmV0", H2_HEADER_FIELD_NEVER_INDEXED),
    };
    printf("libh2 %s: sizeof encoder %zu, decoder %zu, arena %zu bytes\n\n",
           H2_VERSION_STRING, sizeof encoder, sizeof decoder, sizeof arena);
    if (exchange(first, sizeof first / sizeof first[0], 1u) != 0 ||
        exchange(second, sizeof second / sizeof second[0], 3u) != 0) {
        return 1;
    }
    printf("the second request reuses the table: indexed fields shrink it.\n");
    return 0;
}
