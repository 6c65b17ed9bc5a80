/*
 * libh2 frame layer: RFC 9113 sections 4 and 6, RFC 7838 section 4.
 *
 * Multi-byte fields are read and written with division and remainder rather
 * than shifts and masks: the values are the same and the provers handle the
 * arithmetic form far better. Reserved bits are dropped by `% 128u` on the
 * top byte when reading and by a range check when writing.
 */
#include "h2_frame.h"

#include "h2_bytes.h"

/*@
  // Flag tests on the wire flags byte.
  predicate flag_padded(integer flags) = (flags / 8) % 2 == 1;
  predicate flag_priority(integer flags) = (flags / 32) % 2 == 1;
  predicate flag_ack(integer flags) = flags % 2 == 1;

  // Pad Length byte plus the padding, when the frame is padded.
  logic integer pad_size(integer flags, integer pad) =
    (flags / 8) % 2 == 1 ? 1 + pad : 0;

  // Bytes the priority fields take in a HEADERS frame.
  logic integer headers_priority_size(integer flags) =
    (flags / 32) % 2 == 1 ? 5 : 0;

  // Types that must be on a stream, and types that must be on stream 0.
  predicate needs_stream(integer type) =
    type == 0x0 || type == 0x1 || type == 0x2 || type == 0x3 ||
    type == 0x5 || type == 0x9;
  predicate needs_stream_zero(integer type) =
    type == 0x4 || type == 0x6 || type == 0x7;
  predicate stream_rule_ok(integer type, integer sid) =
    (needs_stream(type) ==> sid != 0) && (needs_stream_zero(type) ==> sid == 0);

  // Lengths fixed by the type (and the ACK flag of SETTINGS).
  predicate size_rule_ok(integer type, integer flags, integer len) =
    (type == 0x2 ==> len == 5) && (type == 0x3 ==> len == 4) &&
    (type == 0x6 ==> len == 8) && (type == 0x8 ==> len == 4) &&
    (type == 0x4 ==> len % 6 == 0) &&
    (type == 0x4 && flag_ack(flags) ==> len == 0);

  // p[0 .. n) lies within base[0 .. len).
  predicate in_payload(uint8_t *p, integer n, uint8_t *base, integer len) =
    \exists integer k; 0 <= k && k + n <= len && p == base + k;

  // Types whose data/data_len (and, for ALTSVC, origin) are serialized.
  predicate uses_data(integer type) =
    type != 0x2 && type != 0x3 && type != 0x6 && type != 0x8;

  // The payload length h2_frame_write() gives a frame.
  logic integer payload_len{L}(h2_frame *f) =
    f->hdr.type == 0x0 ? pad_size(f->hdr.flags, f->pad_length) + f->data_len :
    f->hdr.type == 0x1 ? pad_size(f->hdr.flags, f->pad_length) +
                         headers_priority_size(f->hdr.flags) + f->data_len :
    f->hdr.type == 0x2 ? 5 :
    f->hdr.type == 0x3 ? 4 :
    f->hdr.type == 0x5 ? pad_size(f->hdr.flags, f->pad_length) + 4 + f->data_len :
    f->hdr.type == 0x6 ? 8 :
    f->hdr.type == 0x7 ? 8 + f->data_len :
    f->hdr.type == 0x8 ? 4 :
    f->hdr.type == 0xa ? 2 + f->origin_len + f->data_len :
    f->data_len;

  // The ranges h2_frame_write() accepts: 31-bit fields fit in 31 bits and
  // the ALTSVC origin length fits its 16-bit field.
  predicate writable{L}(h2_frame *f) =
    f->hdr.stream_id <= 0x7fffffff &&
    (f->hdr.type == 0x1 && flag_priority(f->hdr.flags) ==>
       f->priority.dependency <= 0x7fffffff) &&
    (f->hdr.type == 0x2 ==> f->priority.dependency <= 0x7fffffff) &&
    (f->hdr.type == 0x5 ==> f->promised_stream_id <= 0x7fffffff) &&
    (f->hdr.type == 0x7 ==> f->last_stream_id <= 0x7fffffff) &&
    (f->hdr.type == 0x8 ==> f->window_increment <= 0x7fffffff) &&
    (f->hdr.type == 0xa ==> f->origin_len <= 0xffff);

  // What h2_frame_write() may read through the frame's pointers.
  predicate frame_readable{L}(h2_frame *f) =
    \valid_read(f) &&
    (uses_data(f->hdr.type) ==> \valid_read(f->data + (0 .. f->data_len - 1))) &&
    (f->hdr.type == 0xa ==> \valid_read(f->origin + (0 .. f->origin_len - 1)));

  // The frame's pointed-to bytes do not overlap out[0 .. n).
  predicate frame_separated{L}(h2_frame *f, uint8_t *out, integer n) =
    \separated(f, out + (0 .. n - 1)) &&
    (uses_data(f->hdr.type) ==>
       \separated(f->data + (0 .. f->data_len - 1), out + (0 .. n - 1))) &&
    (f->hdr.type == 0xa ==>
       \separated(f->origin + (0 .. f->origin_len - 1), out + (0 .. n - 1)));
*/

/* ---- fixed-width fields ------------------------------------------------ */

/*@ requires \valid_read(p + (0 .. 1));
    assigns \nothing;
    ensures \result == p[0] * 256 + p[1];
*/
static uint32_t read_u16(const uint8_t *p)
{
    return (uint32_t)p[0] * 256u + (uint32_t)p[1];
}

/*@ requires \valid_read(p + (0 .. 3));
    assigns \nothing;
    ensures \result == p[0] * 16777216 + p[1] * 65536 + p[2] * 256 + p[3];
*/
static uint32_t read_u32(const uint8_t *p)
{
    return (uint32_t)p[0] * 16777216u + (uint32_t)p[1] * 65536u +
           (uint32_t)p[2] * 256u + (uint32_t)p[3];
}

/* A 31-bit field: the top bit is reserved (or the E flag) and ignored. */
/*@ requires \valid_read(p + (0 .. 3));
    assigns \nothing;
    ensures \result == (p[0] % 128) * 16777216 + p[1] * 65536 + p[2] * 256 + p[3];
    ensures \result <= 0x7fffffff;
*/
static uint32_t read_u31(const uint8_t *p)
{
    return ((uint32_t)p[0] % 128u) * 16777216u + (uint32_t)p[1] * 65536u +
           (uint32_t)p[2] * 256u + (uint32_t)p[3];
}

/*@ requires \valid(p + (0 .. 3));
    assigns p[0 .. 3];
    ensures p[0] == v / 16777216;
    ensures p[1] == (v / 65536) % 256;
    ensures p[2] == (v / 256) % 256;
    ensures p[3] == v % 256;
*/
static void write_u32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v / 16777216u);
    p[1] = (uint8_t)((v / 65536u) % 256u);
    p[2] = (uint8_t)((v / 256u) % 256u);
    p[3] = (uint8_t)(v % 256u);
}

/* ---- frame header ------------------------------------------------------ */

/*@ requires \valid_read(in + (0 .. in_len - 1));
    requires \valid(out);
    requires \separated(in + (0 .. in_len - 1), out);
    assigns *out;
    ensures in_len < 9 ==> \result == H2_E_INCOMPLETE;
    ensures in_len >= 9 ==> \result == H2_OK;
    ensures \result == H2_E_INCOMPLETE ==>
      out->length == \old(out->length) && out->type == \old(out->type) &&
      out->flags == \old(out->flags) && out->stream_id == \old(out->stream_id);
    ensures \result == H2_OK ==> out->length == in[0] * 65536 + in[1] * 256 + in[2];
    ensures \result == H2_OK ==> out->type == in[3];
    ensures \result == H2_OK ==> out->flags == in[4];
    ensures \result == H2_OK ==> out->stream_id ==
      (in[5] % 128) * 16777216 + in[6] * 65536 + in[7] * 256 + in[8];
    ensures \result == H2_OK ==> out->stream_id <= 0x7fffffff;
    ensures \result == H2_OK ==> out->length <= 0xffffff;
*/
h2_status h2_frame_header_parse(const uint8_t *in, size_t in_len,
                                h2_frame_header *out)
{
    if (in_len < H2_FRAME_HEADER_SIZE) {
        return H2_E_INCOMPLETE;
    }
    out->length = (uint32_t)in[0] * 65536u + (uint32_t)in[1] * 256u +
                  (uint32_t)in[2];
    out->type = in[3];
    out->flags = in[4];
    out->stream_id = read_u31(in + 5);
    return H2_OK;
}

/*@ requires \valid_read(hdr);
    requires \valid(out + (0 .. 8));
    requires \separated(hdr, out + (0 .. 8));
    requires hdr->length <= 0xffffff;
    requires hdr->stream_id <= 0x7fffffff;
    assigns out[0 .. 8];
    ensures out[0] == hdr->length / 65536;
    ensures out[1] == (hdr->length / 256) % 256;
    ensures out[2] == hdr->length % 256;
    ensures out[3] == hdr->type;
    ensures out[4] == hdr->flags;
    ensures out[5] == hdr->stream_id / 16777216;
    ensures out[6] == (hdr->stream_id / 65536) % 256;
    ensures out[7] == (hdr->stream_id / 256) % 256;
    ensures out[8] == hdr->stream_id % 256;
*/
void h2_frame_header_write(const h2_frame_header *hdr, uint8_t *out)
{
    /* The remainders keep the output well defined for callers outside the
     * proved code that break the documented ranges. */
    uint32_t length = hdr->length % 16777216u;
    uint32_t stream_id = hdr->stream_id % 2147483648u;
    out[0] = (uint8_t)(length / 65536u);
    out[1] = (uint8_t)((length / 256u) % 256u);
    out[2] = (uint8_t)(length % 256u);
    out[3] = hdr->type;
    out[4] = hdr->flags;
    write_u32(out + 5, stream_id);
}

/* ---- header checks ----------------------------------------------------- */

/*@ assigns \nothing;
    ensures \result == H2_OK || \result == H2_E_PROTOCOL;
    ensures \result == H2_OK <==> stream_rule_ok(type, stream_id);
*/
static h2_status check_stream_rule(uint8_t type, uint32_t stream_id)
{
    switch (type) {
    case H2_FRAME_DATA:
    case H2_FRAME_HEADERS:
    case H2_FRAME_PRIORITY:
    case H2_FRAME_RST_STREAM:
    case H2_FRAME_PUSH_PROMISE:
    case H2_FRAME_CONTINUATION:
        return stream_id != 0u ? H2_OK : H2_E_PROTOCOL;
    case H2_FRAME_SETTINGS:
    case H2_FRAME_PING:
    case H2_FRAME_GOAWAY:
        return stream_id == 0u ? H2_OK : H2_E_PROTOCOL;
    default:
        return H2_OK;
    }
}

/*@ assigns \nothing;
    ensures \result == H2_OK || \result == H2_E_FRAME_SIZE;
    ensures \result == H2_OK <==> size_rule_ok(type, flags, length);
*/
static h2_status check_fixed_size(uint8_t type, uint8_t flags, uint32_t length)
{
    uint32_t expected;
    switch (type) {
    case H2_FRAME_PRIORITY:
        expected = 5u;
        break;
    case H2_FRAME_RST_STREAM:
    case H2_FRAME_WINDOW_UPDATE:
        expected = 4u;
        break;
    case H2_FRAME_PING:
        expected = H2_PING_PAYLOAD_SIZE;
        break;
    case H2_FRAME_SETTINGS:
        if (length % H2_SETTING_ENTRY_SIZE != 0u) {
            return H2_E_FRAME_SIZE;
        }
        if (flags % 2u == 1u && length != 0u) {
            return H2_E_FRAME_SIZE;
        }
        return H2_OK;
    default:
        return H2_OK;
    }
    return length == expected ? H2_OK : H2_E_FRAME_SIZE;
}

/* The stream rule comes before the size rule: a wrong stream is a
 * connection error for every type, a wrong size sometimes only a stream
 * error (PRIORITY, RFC 9113 section 6.3). */
/*@ requires \valid_read(hdr);
    assigns \nothing;
    ensures \result == H2_OK || \result == H2_E_FRAME_SIZE || \result == H2_E_PROTOCOL;
    ensures hdr->length > max_frame_size ==> \result == H2_E_FRAME_SIZE;
    ensures hdr->length <= max_frame_size && !stream_rule_ok(hdr->type, hdr->stream_id)
            ==> \result == H2_E_PROTOCOL;
    ensures \result == H2_OK <==>
      (hdr->length <= max_frame_size && stream_rule_ok(hdr->type, hdr->stream_id) &&
       size_rule_ok(hdr->type, hdr->flags, hdr->length));
*/
h2_status h2_frame_header_check(const h2_frame_header *hdr,
                                uint32_t max_frame_size)
{
    h2_status st;
    if (hdr->length > max_frame_size) {
        return H2_E_FRAME_SIZE;
    }
    st = check_stream_rule(hdr->type, hdr->stream_id);
    if (st != H2_OK) {
        return st;
    }
    return check_fixed_size(hdr->type, hdr->flags, hdr->length);
}

/* ---- payload parsing --------------------------------------------------- */

/* Everything a type does not set reads as zero; the pointers start at the
 * payload with length zero so that they always point into it. */
/*@ requires \valid(out);
    assigns *out;
    ensures out->data == payload && out->data_len == 0;
    ensures out->origin == payload && out->origin_len == 0;
*/
static void frame_reset(h2_frame *out, const uint8_t *payload)
{
    out->hdr.length = 0u;
    out->hdr.type = 0u;
    out->hdr.flags = 0u;
    out->hdr.stream_id = 0u;
    out->data = payload;
    out->data_len = 0u;
    out->pad_length = 0u;
    out->priority.dependency = 0u;
    out->priority.weight = 0u;
    out->priority.exclusive = 0u;
    out->error_code = 0u;
    out->promised_stream_id = 0u;
    out->last_stream_id = 0u;
    out->window_increment = 0u;
    h2_bytes_fill(out->opaque, 0u, H2_PING_PAYLOAD_SIZE);
    out->origin = payload;
    out->origin_len = 0u;
}

/*
 * The body of a DATA, HEADERS or PUSH_PROMISE frame: after the optional
 * Pad Length byte come `fixed` bytes of fields, then the data, then the
 * padding. Sets data, data_len and pad_length.
 */
/*@ requires fixed <= 5;
    requires \valid_read(payload + (0 .. length - 1));
    requires \valid(out);
    requires \separated(payload + (0 .. length - 1), out);
    assigns out->data, out->data_len, out->pad_length;
    ensures \result == H2_OK || \result == H2_E_FRAME_SIZE || \result == H2_E_PROTOCOL;
    ensures \result == H2_OK ==>
      pad_size(flags, out->pad_length) + fixed + out->data_len == length;
    ensures \result == H2_OK ==>
      out->data == payload + (pad_size(flags, 0) + fixed);
    ensures \result == H2_OK ==> in_payload(out->data, out->data_len, payload, length);
    ensures \result == H2_OK && flag_padded(flags) ==> out->pad_length == payload[0];
    ensures \result == H2_OK && !flag_padded(flags) ==> out->pad_length == 0;
*/
static h2_status parse_padded_body(uint32_t length, uint8_t flags,
                                   const uint8_t *payload, uint32_t fixed,
                                   h2_frame *out)
{
    uint32_t head = 0u;
    uint32_t remain;
    uint8_t pad = 0u;
    if ((flags / H2_FLAG_PADDED) % 2u == 1u) {
        head = 1u;
    }
    if (length < head + fixed) {
        return H2_E_FRAME_SIZE;
    }
    remain = length - head - fixed;
    if (head == 1u) {
        pad = payload[0];
    }
    if ((uint32_t)pad > remain) {
        return H2_E_PROTOCOL;
    }
    out->data = payload + (head + fixed);
    out->data_len = remain - (uint32_t)pad;
    out->pad_length = pad;
    return H2_OK;
}

/*@ requires \valid_read(p + (0 .. 4));
    requires \valid(prio);
    requires \separated(p + (0 .. 4), prio);
    assigns *prio;
    ensures prio->dependency == (p[0] % 128) * 16777216 + p[1] * 65536 + p[2] * 256 + p[3];
    ensures prio->exclusive == p[0] / 128;
    ensures prio->weight == p[4];
*/
static void read_priority(const uint8_t *p, h2_priority *prio)
{
    prio->dependency = read_u31(p);
    prio->exclusive = (uint8_t)(p[0] / 128u);
    prio->weight = p[4];
}

/*@ requires \valid_read(payload + (0 .. length - 1));
    requires \valid(out);
    requires \separated(payload + (0 .. length - 1), out);
    assigns out->data, out->data_len, out->pad_length, out->priority;
    ensures \result == H2_OK || \result == H2_E_FRAME_SIZE || \result == H2_E_PROTOCOL;
    ensures \result == H2_OK ==> in_payload(out->data, out->data_len, payload, length);
*/
static h2_status parse_headers(uint32_t length, uint8_t flags,
                               uint32_t stream_id, const uint8_t *payload,
                               h2_frame *out)
{
    uint32_t fixed = 0u;
    uint32_t head = 0u;
    h2_status st;
    if ((flags / H2_FLAG_PRIORITY) % 2u == 1u) {
        fixed = 5u;
    }
    if ((flags / H2_FLAG_PADDED) % 2u == 1u) {
        head = 1u;
    }
    st = parse_padded_body(length, flags, payload, fixed, out);
    if (st != H2_OK) {
        return st;
    }
    if (fixed != 0u) {
        read_priority(payload + head, &out->priority);
        /* RFC 9113 section 5.3.1: a stream cannot depend on itself. */
        if (out->priority.dependency == stream_id) {
            return H2_E_PROTOCOL;
        }
    }
    return H2_OK;
}

/*@ requires \valid_read(payload + (0 .. length - 1));
    requires \valid(out);
    requires \separated(payload + (0 .. length - 1), out);
    assigns out->data, out->data_len, out->pad_length, out->promised_stream_id;
    ensures \result == H2_OK || \result == H2_E_FRAME_SIZE || \result == H2_E_PROTOCOL;
    ensures \result == H2_OK ==> in_payload(out->data, out->data_len, payload, length);
    ensures \result == H2_OK ==> out->promised_stream_id <= 0x7fffffff;
*/
static h2_status parse_push_promise(uint32_t length, uint8_t flags,
                                    const uint8_t *payload, h2_frame *out)
{
    uint32_t head = 0u;
    h2_status st;
    if ((flags / H2_FLAG_PADDED) % 2u == 1u) {
        head = 1u;
    }
    st = parse_padded_body(length, flags, payload, 4u, out);
    if (st != H2_OK) {
        return st;
    }
    out->promised_stream_id = read_u31(payload + head);
    return H2_OK;
}

/*@ requires \valid_read(payload + (0 .. length - 1));
    requires \valid(out);
    requires \separated(payload + (0 .. length - 1), out);
    assigns out->data, out->data_len, out->last_stream_id, out->error_code;
    ensures \result == H2_OK || \result == H2_E_FRAME_SIZE;
    ensures \result == H2_OK ==> in_payload(out->data, out->data_len, payload, length);
    ensures \result == H2_OK ==> out->last_stream_id <= 0x7fffffff;
*/
static h2_status parse_goaway(uint32_t length, const uint8_t *payload,
                              h2_frame *out)
{
    if (length < 8u) {
        return H2_E_FRAME_SIZE;
    }
    out->last_stream_id = read_u31(payload);
    out->error_code = read_u32(payload + 4);
    out->data = payload + 8;
    out->data_len = length - 8u;
    return H2_OK;
}

/* RFC 7838 section 4: Origin-Len (16), Origin, Alt-Svc-Field-Value. */
/*@ requires \valid_read(payload + (0 .. length - 1));
    requires \valid(out);
    requires \separated(payload + (0 .. length - 1), out);
    assigns out->data, out->data_len, out->origin, out->origin_len;
    ensures \result == H2_OK || \result == H2_E_FRAME_SIZE;
    ensures \result == H2_OK ==> in_payload(out->data, out->data_len, payload, length);
    ensures \result == H2_OK ==> in_payload(out->origin, out->origin_len, payload, length);
    ensures \result == H2_OK ==> 2 + out->origin_len + out->data_len == length;
*/
static h2_status parse_altsvc(uint32_t length, const uint8_t *payload,
                              h2_frame *out)
{
    uint32_t origin_len;
    if (length < 2u) {
        return H2_E_FRAME_SIZE;
    }
    origin_len = read_u16(payload);
    if (origin_len > length - 2u) {
        return H2_E_FRAME_SIZE;
    }
    out->origin = payload + 2;
    out->origin_len = origin_len;
    out->data = payload + (2u + origin_len);
    out->data_len = length - 2u - origin_len;
    return H2_OK;
}

/*@ requires \valid_read(hdr);
    requires \valid_read(payload + (0 .. hdr->length - 1));
    requires \valid(out);
    requires \separated(payload + (0 .. hdr->length - 1), out);
    assigns *out;
    ensures \result == H2_OK || \result == H2_E_FRAME_SIZE || \result == H2_E_PROTOCOL;
    ensures !stream_rule_ok(\old(hdr->type), \old(hdr->stream_id)) ==>
      \result == H2_E_PROTOCOL;
    ensures stream_rule_ok(\old(hdr->type), \old(hdr->stream_id)) &&
            !size_rule_ok(\old(hdr->type), \old(hdr->flags), \old(hdr->length)) ==>
      \result == H2_E_FRAME_SIZE;
    ensures \result == H2_OK ==>
      out->hdr.length == \old(hdr->length) && out->hdr.type == \old(hdr->type) &&
      out->hdr.flags == \old(hdr->flags) &&
      out->hdr.stream_id == \old(hdr->stream_id);
    ensures \result == H2_OK ==> out->data_len <= \old(hdr->length);
    ensures \result == H2_OK ==>
      in_payload(out->data, out->data_len, payload, \old(hdr->length));
    ensures \result == H2_OK ==>
      in_payload(out->origin, out->origin_len, payload, \old(hdr->length));
*/
h2_status h2_frame_parse(const h2_frame_header *hdr, const uint8_t *payload,
                         h2_frame *out)
{
    /* A copy, so that hdr may be &out->hdr. */
    h2_frame_header h = *hdr;
    h2_status st;

    frame_reset(out, payload);
    out->hdr = h;
    st = check_stream_rule(h.type, h.stream_id);
    if (st != H2_OK) {
        return st;
    }
    st = check_fixed_size(h.type, h.flags, h.length);
    if (st != H2_OK) {
        return st;
    }
    switch (h.type) {
    case H2_FRAME_DATA:
        return parse_padded_body(h.length, h.flags, payload, 0u, out);
    case H2_FRAME_HEADERS:
        return parse_headers(h.length, h.flags, h.stream_id, payload, out);
    case H2_FRAME_PRIORITY:
        read_priority(payload, &out->priority);
        return out->priority.dependency == h.stream_id ? H2_E_PROTOCOL : H2_OK;
    case H2_FRAME_RST_STREAM:
        out->error_code = read_u32(payload);
        return H2_OK;
    case H2_FRAME_PUSH_PROMISE:
        return parse_push_promise(h.length, h.flags, payload, out);
    case H2_FRAME_PING:
        h2_bytes_copy(out->opaque, payload, H2_PING_PAYLOAD_SIZE);
        return H2_OK;
    case H2_FRAME_GOAWAY:
        return parse_goaway(h.length, payload, out);
    case H2_FRAME_WINDOW_UPDATE:
        out->window_increment = read_u31(payload);
        /* RFC 9113 section 6.9: an increment of 0 is a PROTOCOL_ERROR. */
        return out->window_increment == 0u ? H2_E_PROTOCOL : H2_OK;
    case H2_FRAME_ALTSVC:
        return parse_altsvc(h.length, payload, out);
    default:
        /* SETTINGS entries, CONTINUATION fragments, unknown payloads. */
        out->data_len = h.length;
        return H2_OK;
    }
}

/* ---- serialization ----------------------------------------------------- */

/*@ requires \valid_read(frame);
    assigns \nothing;
    ensures \result == payload_len(frame);
*/
uint64_t h2_frame_payload_length(const h2_frame *frame)
{
    uint64_t pad = 0u;
    uint64_t data_len = frame->data_len;
    if ((frame->hdr.flags / H2_FLAG_PADDED) % 2u == 1u) {
        pad = 1u + (uint64_t)frame->pad_length;
    }
    switch (frame->hdr.type) {
    case H2_FRAME_DATA:
        return pad + data_len;
    case H2_FRAME_HEADERS:
        if ((frame->hdr.flags / H2_FLAG_PRIORITY) % 2u == 1u) {
            return pad + 5u + data_len;
        }
        return pad + data_len;
    case H2_FRAME_PRIORITY:
        return 5u;
    case H2_FRAME_RST_STREAM:
    case H2_FRAME_WINDOW_UPDATE:
        return 4u;
    case H2_FRAME_PUSH_PROMISE:
        return pad + 4u + data_len;
    case H2_FRAME_PING:
        return H2_PING_PAYLOAD_SIZE;
    case H2_FRAME_GOAWAY:
        return 8u + data_len;
    case H2_FRAME_ALTSVC:
        return 2u + (uint64_t)frame->origin_len + data_len;
    default:
        return data_len;
    }
}

/*@ requires \valid_read(frame);
    assigns \nothing;
    ensures \result == 1 <==> writable(frame);
    ensures \result == 0 || \result == 1;
*/
static int frame_writable(const h2_frame *frame)
{
    if (frame->hdr.stream_id > H2_STREAM_ID_MAX) {
        return 0;
    }
    switch (frame->hdr.type) {
    case H2_FRAME_HEADERS:
        if ((frame->hdr.flags / H2_FLAG_PRIORITY) % 2u == 1u &&
            frame->priority.dependency > H2_STREAM_ID_MAX) {
            return 0;
        }
        return 1;
    case H2_FRAME_PRIORITY:
        return frame->priority.dependency <= H2_STREAM_ID_MAX ? 1 : 0;
    case H2_FRAME_PUSH_PROMISE:
        return frame->promised_stream_id <= H2_STREAM_ID_MAX ? 1 : 0;
    case H2_FRAME_GOAWAY:
        return frame->last_stream_id <= H2_STREAM_ID_MAX ? 1 : 0;
    case H2_FRAME_WINDOW_UPDATE:
        return frame->window_increment <= H2_STREAM_ID_MAX ? 1 : 0;
    case H2_FRAME_ALTSVC:
        return frame->origin_len <= 0xffffu ? 1 : 0;
    default:
        return 1;
    }
}

/*@ requires \valid_read(prio);
    requires prio->dependency <= 0x7fffffff;
    requires \valid(p + (0 .. 4));
    requires \separated(prio, p + (0 .. 4));
    assigns p[0 .. 4];
*/
static void write_priority(const h2_priority *prio, uint8_t *p)
{
    uint32_t e = prio->exclusive != 0u ? 2147483648u : 0u;
    write_u32(p, prio->dependency + e);
    p[4] = prio->weight;
}

/*
 * DATA, HEADERS and PUSH_PROMISE: [Pad Length] fields data [padding].
 * `fields` is 5 for the priority of a HEADERS frame with H2_FLAG_PRIORITY,
 * 4 for the promised stream of a PUSH_PROMISE, else 0.
 */
/*@ requires \valid_read(frame);
    requires fields == 0 || fields == 4 || fields == 5;
    requires fields == 5 ==> frame->priority.dependency <= 0x7fffffff;
    requires fields == 4 ==> frame->promised_stream_id <= 0x7fffffff;
    requires \valid_read(frame->data + (0 .. frame->data_len - 1));
    requires \valid(p + (0 .. pad_size(frame->hdr.flags, frame->pad_length) +
                             fields + frame->data_len - 1));
    requires \separated(frame, p + (0 .. pad_size(frame->hdr.flags, frame->pad_length) +
                                         fields + frame->data_len - 1));
    requires \separated(frame->data + (0 .. frame->data_len - 1),
                        p + (0 .. pad_size(frame->hdr.flags, frame->pad_length) +
                                fields + frame->data_len - 1));
    assigns p[0 .. pad_size(frame->hdr.flags, frame->pad_length) +
                  fields + frame->data_len - 1];
*/
static void write_padded_frame(const h2_frame *frame, uint32_t fields,
                               uint8_t *p)
{
    size_t off = 0u;
    int padded = (frame->hdr.flags / H2_FLAG_PADDED) % 2u == 1u;
    if (padded) {
        p[0] = frame->pad_length;
        off = 1u;
    }
    if (fields == 5u) {
        write_priority(&frame->priority, p + off);
    } else if (fields == 4u) {
        write_u32(p + off, frame->promised_stream_id);
    }
    off += fields;
    h2_bytes_copy(p + off, frame->data, frame->data_len);
    off += frame->data_len;
    if (padded) {
        h2_bytes_fill(p + off, 0u, frame->pad_length);
    }
}

/*@ requires frame_readable(frame);
    requires frame->hdr.type == 0xa;
    requires writable(frame);
    requires \valid(p + (0 .. payload_len(frame) - 1));
    requires frame_separated(frame, p, payload_len(frame));
    assigns p[0 .. payload_len(frame) - 1];
*/
static void write_altsvc(const h2_frame *frame, uint8_t *p)
{
    p[0] = (uint8_t)(frame->origin_len / 256u);
    p[1] = (uint8_t)(frame->origin_len % 256u);
    h2_bytes_copy(p + 2, frame->origin, frame->origin_len);
    h2_bytes_copy(p + (2u + (size_t)frame->origin_len), frame->data,
                  frame->data_len);
}

/*@ requires frame_readable(frame);
    requires writable(frame);
    requires \valid(p + (0 .. payload_len(frame) - 1));
    requires frame_separated(frame, p, payload_len(frame));
    assigns p[0 .. payload_len(frame) - 1];
*/
static void write_payload(const h2_frame *frame, uint8_t *p)
{
    switch (frame->hdr.type) {
    case H2_FRAME_DATA:
        write_padded_frame(frame, 0u, p);
        break;
    case H2_FRAME_HEADERS:
        if ((frame->hdr.flags / H2_FLAG_PRIORITY) % 2u == 1u) {
            write_padded_frame(frame, 5u, p);
        } else {
            write_padded_frame(frame, 0u, p);
        }
        break;
    case H2_FRAME_PUSH_PROMISE:
        write_padded_frame(frame, 4u, p);
        break;
    case H2_FRAME_PRIORITY:
        write_priority(&frame->priority, p);
        break;
    case H2_FRAME_RST_STREAM:
        write_u32(p, frame->error_code);
        break;
    case H2_FRAME_PING:
        h2_bytes_copy(p, frame->opaque, H2_PING_PAYLOAD_SIZE);
        break;
    case H2_FRAME_GOAWAY:
        write_u32(p, frame->last_stream_id);
        write_u32(p + 4, frame->error_code);
        h2_bytes_copy(p + 8, frame->data, frame->data_len);
        break;
    case H2_FRAME_WINDOW_UPDATE:
        write_u32(p, frame->window_increment);
        break;
    case H2_FRAME_ALTSVC:
        write_altsvc(frame, p);
        break;
    default:
        h2_bytes_copy(p, frame->data, frame->data_len);
        break;
    }
}

/*@ requires frame_readable(frame);
    requires \valid(out + (0 .. cap - 1));
    requires \valid(written);
    requires frame_separated(frame, out, cap);
    requires \separated(written, frame);
    requires \separated(written, out + (0 .. cap - 1));
    assigns out[0 .. cap - 1], *written;
    ensures \result == H2_OK || \result == H2_E_BUFFER_TOO_SMALL ||
            \result == H2_E_INVALID_ARGUMENT;
    ensures \result == H2_E_INVALID_ARGUMENT <==>
      (!writable(frame) || payload_len(frame) > 0xffffff);
    ensures \result == H2_E_INVALID_ARGUMENT ==> *written == 0;
    ensures \result != H2_E_INVALID_ARGUMENT ==> *written == 9 + payload_len(frame);
    ensures \result == H2_E_BUFFER_TOO_SMALL <==>
      (writable(frame) && payload_len(frame) <= 0xffffff &&
       cap < 9 + payload_len(frame));
    ensures \result != H2_OK ==>
      \forall integer i; 0 <= i < cap ==> out[i] == \old(out[i]);
    ensures \result == H2_OK ==> out[0] * 65536 + out[1] * 256 + out[2] == payload_len(frame);
    ensures \result == H2_OK ==> out[3] == frame->hdr.type && out[4] == frame->hdr.flags;
*/
h2_status h2_frame_write(const h2_frame *frame, uint8_t *out, size_t cap,
                         size_t *written)
{
    uint64_t payload_length = h2_frame_payload_length(frame);
    size_t need;
    h2_frame_header h;

    if (frame_writable(frame) == 0 || payload_length > H2_FRAME_LENGTH_MAX) {
        *written = 0u;
        return H2_E_INVALID_ARGUMENT;
    }
    need = (size_t)(payload_length + H2_FRAME_HEADER_SIZE);
    *written = need;
    if (cap < need) {
        return H2_E_BUFFER_TOO_SMALL;
    }
    h.length = (uint32_t)payload_length;
    h.type = frame->hdr.type;
    h.flags = frame->hdr.flags;
    h.stream_id = frame->hdr.stream_id;
    h2_frame_header_write(&h, out);
    write_payload(frame, out + H2_FRAME_HEADER_SIZE);
    return H2_OK;
}

/* ---- SETTINGS entries -------------------------------------------------- */

/*@ requires \valid_read(frame);
    requires index < frame->data_len / 6;
    requires \valid_read(frame->data + (0 .. frame->data_len - 1));
    requires \valid(id) && \valid(value);
    requires \separated(id, value);
    assigns *id, *value;
    ensures *id == \old(frame->data[6 * index]) * 256 + \old(frame->data[6 * index + 1]);
    ensures *value == \old(frame->data[6 * index + 2]) * 16777216 +
                      \old(frame->data[6 * index + 3]) * 65536 +
                      \old(frame->data[6 * index + 4]) * 256 +
                      \old(frame->data[6 * index + 5]);
*/
void h2_frame_setting_at(const h2_frame *frame, uint32_t index,
                         uint16_t *id, uint32_t *value)
{
    const uint8_t *entry = frame->data + (size_t)index * H2_SETTING_ENTRY_SIZE;
    uint32_t v = read_u32(entry + 2);
    *id = (uint16_t)read_u16(entry);
    *value = v;
}

/*@ requires \valid(out + (0 .. 5));
    assigns out[0 .. 5];
    ensures out[0] == id / 256 && out[1] == id % 256;
    ensures out[2] == value / 16777216;
    ensures out[3] == (value / 65536) % 256;
    ensures out[4] == (value / 256) % 256;
    ensures out[5] == value % 256;
*/
void h2_setting_write(uint16_t id, uint32_t value, uint8_t *out)
{
    out[0] = (uint8_t)(id / 256u);
    out[1] = (uint8_t)(id % 256u);
    write_u32(out + 2, value);
}
