/*
 * Round-trip properties of the frame header codec, proved with Frama-C WP
 * from the contracts of h2_frame_header_parse() and h2_frame_header_write().
 * Not part of the library: it is only given to frama-c, together with
 * src/h2_frame.c, src/h2_bytes.c and src/h2_status.c.
 */
#include "h2_frame.h"

/* Parsing nine bytes and writing the header back gives the same bytes,
 * except the reserved bit of the stream identifier, which is cleared. */
/*@ requires \valid_read(in + (0 .. 8));
    requires \valid(out + (0 .. 8));
    requires \separated(in + (0 .. 8), out + (0 .. 8));
    assigns out[0 .. 8];
    ensures out[0] == \old(in[0]) && out[1] == \old(in[1]) && out[2] == \old(in[2]);
    ensures out[3] == \old(in[3]) && out[4] == \old(in[4]);
    ensures out[5] == \old(in[5]) % 128;
    ensures out[6] == \old(in[6]) && out[7] == \old(in[7]) && out[8] == \old(in[8]);
*/
void h2_frame_header_bytes_roundtrip(const uint8_t *in, uint8_t *out)
{
    h2_frame_header hdr;
    h2_status st = h2_frame_header_parse(in, H2_FRAME_HEADER_SIZE, &hdr);
    /*@ assert st == H2_OK; */
    (void)st;
    /* Steps for the provers: the stream identifier cut before bytes 7 and 8. */
    /*@ assert hdr.stream_id / 65536 == (in[5] % 128) * 256 + in[6]; */
    /*@ assert hdr.stream_id / 256 == ((in[5] % 128) * 256 + in[6]) * 256 + in[7]; */
    /*@ assert (hdr.stream_id / 256) % 256 == in[7]; */
    h2_frame_header_write(&hdr, out);
}

/* Writing a header and parsing the nine bytes gives the same fields. */
/*@ requires \valid_read(hdr);
    requires \valid(out);
    requires \separated(hdr, out);
    requires hdr->length <= 0xffffff;
    requires hdr->stream_id <= 0x7fffffff;
    assigns *out;
    ensures \result == H2_OK;
    ensures out->length == \old(hdr->length);
    ensures out->type == \old(hdr->type);
    ensures out->flags == \old(hdr->flags);
    ensures out->stream_id == \old(hdr->stream_id);
*/
h2_status h2_frame_header_fields_roundtrip(const h2_frame_header *hdr,
                                           h2_frame_header *out)
{
    uint8_t bytes[H2_FRAME_HEADER_SIZE];
    h2_frame_header_write(hdr, bytes);
    return h2_frame_header_parse(bytes, H2_FRAME_HEADER_SIZE, out);
}
