#!/usr/bin/env python3
"""Writes the handcrafted seed corpora of the fuzz harnesses into corpus/.
Each seed is named after what it exercises. Run from the project root."""
import os
import struct


def frame(ftype, flags, stream, payload):
    return struct.pack(">I", len(payload))[1:] + bytes([ftype, flags]) + \
        struct.pack(">I", stream) + payload


def write(folder, name, data):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def frame_seeds():
    d = "corpus/frame"
    write(d, "data_plain", frame(0, 1, 1, b"hello"))
    write(d, "data_padded", frame(0, 0x9, 1, b"\x03abc\0\0\0"))
    write(d, "headers_priority_padded",
          frame(1, 0x2c, 3, b"\x02\x80\0\0\x01\x0f\x82\x84\0\0"))
    write(d, "priority", frame(2, 0, 5, b"\0\0\0\x03\x10"))
    write(d, "rst_stream", frame(3, 0, 1, b"\0\0\0\x08"))
    write(d, "settings", frame(4, 0, 0, b"\0\x01\0\0\x10\0\0\x03\0\0\0\x64"))
    write(d, "settings_ack", frame(4, 1, 0, b""))
    write(d, "push_promise_padded", frame(5, 0xc, 1, b"\x01\0\0\0\x02\x82\0"))
    write(d, "ping", frame(6, 0, 0, b"12345678"))
    write(d, "goaway_debug", frame(7, 0, 0, b"\0\0\0\x07\0\0\0\x01bye"))
    write(d, "window_update", frame(8, 0, 0, b"\0\0\x10\0"))
    write(d, "continuation", frame(9, 4, 1, b"\x82\x86"))
    write(d, "altsvc", frame(10, 0, 0, b"\0\x0bexample.comh2=\":443\""))
    write(d, "unknown_type", frame(0xfa, 0xff, 9, b"opaque"))
    write(d, "reserved_bit_set", frame(0, 0, 0x80000001, b"x"))
    write(d, "bad_pad_length", frame(0, 0x8, 1, b"\x05ab"))
    write(d, "ping_wrong_length", frame(6, 0, 0, b"1234567"))
    write(d, "sequence", frame(4, 0, 0, b"") + frame(8, 0, 1, b"\0\0\0\x01") +
          frame(1, 5, 1, b"\x82"))


def hpack_seeds():
    d = "corpus/hpack_decode"
    # Prefix: table size limit (2 bytes), max list size (2 bytes), split step.
    prefix = b"\x10\x00\x40\x00\x03"
    c3 = [bytes.fromhex("828684410f7777772e6578616d706c652e636f6d"),
          bytes.fromhex("828684be58086e6f2d6361636865"),
          bytes.fromhex("828785bf400a637573746f6d2d6b65790c637573746f6d2d76616c7565")]
    c4 = [bytes.fromhex("828684418cf1e3c2e5f23a6ba0ab90f4ff"),
          bytes.fromhex("828684be5886a8eb10649cbf"),
          bytes.fromhex("828785bf408825a849e95ba97d7f8925a849e95bb8e8b4bf")]

    def blocks(bs):
        return b"".join(struct.pack(">H", len(b)) + b for b in bs)

    write(d, "rfc7541_c3_requests", prefix + blocks(c3))
    write(d, "rfc7541_c4_requests_huffman", prefix + blocks(c4))
    write(d, "size_update_then_field", prefix + blocks([b"\x3f\xe1\x1f\x82"]))
    write(d, "size_update_too_large", b"\x01\x00\x40\x00\x01" + blocks([b"\x3f\xe1\x1f"]))
    write(d, "size_update_after_field", prefix + blocks([b"\x82\x20"]))
    write(d, "index_zero", prefix + blocks([b"\x80"]))
    write(d, "index_past_table", prefix + blocks([b"\xbe"]))
    write(d, "never_indexed", prefix + blocks([b"\x10\x03key\x05value"]))
    write(d, "huffman_eos", prefix + blocks([b"\x00\x84\xff\xff\xff\xff\x01a"]))
    write(d, "huffman_long_padding", prefix + blocks([b"\x00\x82\x1f\xff\x01a"]))
    write(d, "int_overflow", prefix + blocks([b"\x00\x7f\xff\xff\xff\xff\x7f"]))
    write(d, "truncated_string", prefix + blocks([b"\x40\x05ab"]))
    write(d, "oversized_list", b"\x10\x00\x00\x40\x07" +
          blocks([b"\x40\x01a\x40" + b"x" * 64, b"\xbe"]))

    # The same cases for the differential harness, whose prefix has no
    # split step.
    for name in ("size_update_then_field", "size_update_too_large", "size_update_after_field",
                 "index_zero", "index_past_table", "never_indexed", "huffman_eos",
                 "huffman_long_padding", "int_overflow", "truncated_string", "oversized_list"):
        with open(os.path.join(d, name), "rb") as f:
            seed = f.read()
        write("corpus/hpack_diff", name, seed[:4] + seed[5:])

    r = "corpus/hpack_roundtrip"
    write(r, "request_fields", b"\x03" + b"\x07\x03\x01:methodGET" +
          b"\x05\x01\x01:path/" + b"\x0a\x0b\x01:authoritylocalhost")
    write(r, "never_indexed_auth", b"\x01" + b"\x0d\x06\x00authorizationsecret")
    write(r, "table_resize", b"\x07\x00\x40" + b"\x01" + b"\x03\x03\x01keyval" +
          b"\x07\x00\x00" + b"\x01" + b"\x03\x03\x01keyval")


def conn_seeds():
    # First byte: how the harness splits the input; the rest is what the
    # peer sends (after the client preface, for the server harness).
    req = bytes.fromhex("828684410f7777772e6578616d706c652e636f6d")
    settings = frame(4, 0, 0, b"\0\x03\0\0\0\x64\0\x04\0\0\xff\xff")
    d = "corpus/server"
    write(d, "get_request", b"\x07" + settings + frame(1, 5, 1, req))
    write(d, "post_with_body", b"\x03" + settings + frame(1, 4, 1, req) +
          frame(0, 0, 1, b"hello") + frame(0, 9, 1, b"\x02ab\0\0"))
    write(d, "continuation", b"\x05" + settings + frame(1, 1, 1, req[:5]) +
          frame(9, 0, 1, req[5:10]) + frame(9, 4, 1, req[10:]))
    write(d, "control_frames", b"\x10" + settings + frame(4, 1, 0, b"") +
          frame(6, 0, 0, b"pingping") + frame(8, 0, 0, b"\0\0\x10\0") +
          frame(2, 0, 3, b"\0\0\0\x01\x0f") + frame(0xab, 0, 0, b"x") +
          frame(7, 0, 0, b"\0\0\0\0\0\0\0\0bye"))
    write(d, "reset_and_reuse", b"\x02" + frame(1, 4, 1, req) + frame(3, 0, 1, b"\0\0\0\x08") +
          frame(0, 0, 1, b"late") + frame(1, 5, 3, bytes.fromhex("828684be")))
    write(d, "window_overflow", b"\x01" + frame(8, 0, 0, b"\x7f\xff\xff\xff"))
    write(d, "bad_settings_values", b"\x01" + frame(4, 0, 0, b"\0\x02\0\0\0\x02"))
    d = "corpus/client"
    resp = bytes.fromhex("4882640258085a0100")  # :status 302 ... (partially Huffman)
    write(d, "response_and_data", b"\x07" + settings + frame(4, 1, 0, b"") +
          frame(1, 4, 1, bytes.fromhex("88")) + frame(0, 1, 1, b"body"))
    write(d, "push_promise", b"\x04" + frame(5, 4, 1, b"\0\0\0\x02" + req) +
          frame(1, 4, 2, bytes.fromhex("88")) + frame(0, 1, 2, b"pushed"))
    write(d, "trailers", b"\x09" + frame(1, 4, 3, bytes.fromhex("88")) + frame(0, 0, 3, b"x") +
          frame(1, 5, 3, b"\x40\x01t\x01v"))
    write(d, "goaway_refuses", b"\x09" + frame(7, 0, 0, b"\0\0\0\x01\0\0\0\0"))
    write(d, "informational_then_final", b"\x03" + frame(1, 4, 1, bytes.fromhex("08033130 30".replace(" ", ""))) +
          frame(1, 5, 1, bytes.fromhex("88")))
    write(d, "altsvc_and_rst", b"\x02" + frame(10, 0, 0, b"\0\x04fuzzh2=\":1\"") +
          frame(3, 0, 5, b"\0\0\0\x07"))
    _ = resp


# ---------------------------------------------------------------------
# More wire seeds: CONTINUATION chains, padding, settings edges, flow
# control, frames on closed streams, HPACK table size updates, Huffman.
# ---------------------------------------------------------------------

REQ = bytes.fromhex("828684410f7777772e6578616d706c652e636f6d")  # GET / http
POST_CL5 = bytes.fromhex("838684410f7777772e6578616d706c652e636f6d") + \
    b"\x0f\x0d\x015"                                   # content-length: 5
RESP_200 = b"\x88"


def settings_frame(*pairs):
    return frame(4, 0, 0, b"".join(struct.pack(">HI", i, v) for i, v in pairs))


def window(stream, inc):
    return frame(8, 0, stream, struct.pack(">I", inc))


SETTING_EDGES = {
    "header_table_size": (1, [0, 4096, 65536, 0xffffffff]),
    "enable_push": (2, [0, 1, 2]),
    "max_concurrent_streams": (3, [0, 1, 0xffffffff]),
    "initial_window_size": (4, [0, 1, 65535, 0x7fffffff, 0x80000000]),
    "max_frame_size": (5, [16383, 16384, 16777215, 16777216]),
    "max_header_list_size": (6, [0, 1, 16384, 0xffffffff]),
    "enable_connect_protocol": (8, [0, 1, 2]),
    "no_rfc7540_priorities": (9, [0, 1, 2]),
    "unknown_id": (0x7f, [0, 0xffffffff]),
}


def wire_seeds():
    d = "corpus/frame"
    write(d, "continuation_chain", frame(1, 0, 1, REQ[:3]) + frame(9, 0, 1, REQ[3:6]) +
          frame(9, 0, 1, b"") + frame(9, 4, 1, REQ[6:]))
    write(d, "padding_max", frame(0, 9, 1, b"\xff" + b"x" + b"\0" * 255) +
          frame(1, 0x0c, 3, b"\xff" + REQ + b"\0" * 255))
    write(d, "padding_exceeds_payload", frame(1, 0x0c, 3, b"\x09" + REQ[:4]))
    for name, (sid, values) in SETTING_EDGES.items():
        write(d, "settings_%s_edges" % name,
              b"".join(settings_frame((sid, v)) for v in values))
    write(d, "settings_ack_with_payload", frame(4, 1, 0, b"\0\x01\0\0\0\0"))
    write(d, "settings_partial_entry", frame(4, 0, 0, b"\0\x01\0\0"))
    write(d, "window_update_zero", window(0, 0) + window(1, 0))
    write(d, "window_update_max", window(0, 0x7fffffff) + window(0, 0x80000000))
    write(d, "goaway_long_debug", frame(7, 0, 0, b"\0\0\0\x03\0\0\0\x0b" + b"d" * 600))
    write(d, "rst_stream_wrong_length", frame(3, 0, 1, b"\0\0\0"))
    write(d, "priority_exclusive", frame(2, 0, 3, b"\x80\0\0\x01\xff"))
    write(d, "frame_length_max", struct.pack(">I", 0xffffff)[1:] + b"\0\0\0\0\0\x01")

    # Server harness: first byte chooses the split, then the client's
    # frames after the preface.
    d = "corpus/server"
    settings = settings_frame((3, 100), (4, 65535))
    ack = frame(4, 1, 0, b"")
    write(d, "continuation_chain_split", b"\x01" + settings + frame(1, 1, 1, REQ[:2]) +
          b"".join(frame(9, 0, 1, REQ[i:i + 2]) for i in range(2, len(REQ) - 2, 2)) +
          frame(9, 4, 1, REQ[len(REQ) - 2:]))
    write(d, "continuation_interrupted", b"\x07" + settings + frame(1, 1, 1, REQ[:5]) +
          frame(6, 0, 0, b"pingping"))
    write(d, "continuation_other_stream", b"\x07" + settings + frame(1, 1, 1, REQ[:5]) +
          frame(9, 4, 3, REQ[5:]))
    write(d, "continuation_without_headers", b"\x07" + settings + frame(9, 4, 1, REQ))
    write(d, "headers_padded_max", b"\x10" + settings +
          frame(1, 0x0d, 1, b"\xff" + REQ + b"\0" * 255))
    write(d, "data_padded_max", b"\x10" + settings + frame(1, 4, 1, REQ) +
          frame(0, 9, 1, b"\xff" + b"\0" * 255))
    write(d, "data_pad_too_long", b"\x10" + settings + frame(1, 4, 1, REQ) +
          frame(0, 8, 1, b"\x05abc"))
    for name, (sid, values) in SETTING_EDGES.items():
        for v in values:
            write(d, "settings_%s_%x" % (name, v), b"\x05" + settings_frame((sid, v)) +
                  frame(1, 5, 1, REQ))
    write(d, "settings_window_shrink_then_grow", b"\x03" + settings + frame(1, 4, 1, REQ) +
          settings_frame((4, 0)) + settings_frame((4, 0x7fffffff)) + ack)
    write(d, "settings_on_stream", b"\x09" + frame(4, 0, 1, b""))
    write(d, "settings_ack_with_payload", b"\x09" + frame(4, 1, 0, b"\0\x01\0\0\0\0"))
    write(d, "settings_length_not_multiple", b"\x09" + frame(4, 0, 0, b"\0\x01\0\0\0"))
    write(d, "settings_ack_unsolicited", b"\x09" + ack + ack + ack)
    write(d, "window_overflow_stream", b"\x04" + settings + frame(1, 4, 1, REQ) +
          window(1, 0x7fffffff) + window(1, 1))
    write(d, "window_overflow_connection", b"\x04" + window(0, 0x7fffffff - 65535) +
          window(0, 1))
    write(d, "window_update_zero_increment", b"\x04" + frame(1, 4, 1, REQ) + window(1, 0) +
          window(0, 0))
    write(d, "window_update_idle_stream", b"\x04" + window(7, 100))
    write(d, "data_beyond_window", b"\x20" + settings_frame((4, 65535)) + frame(1, 4, 1, REQ) +
          b"".join(frame(0, 0, 1, b"z" * 16384) for _ in range(5)))
    write(d, "data_on_closed_stream", b"\x05" + frame(1, 5, 1, REQ) + frame(0, 0, 1, b"late"))
    write(d, "data_on_idle_stream", b"\x05" + frame(0, 0, 9, b"idle"))
    write(d, "data_on_stream_zero", b"\x05" + frame(0, 0, 0, b"zero"))
    write(d, "headers_on_closed_stream", b"\x05" + frame(1, 5, 1, REQ) + frame(1, 5, 1, REQ))
    write(d, "headers_lower_stream_id", b"\x05" + frame(1, 5, 5, REQ) +
          frame(1, 5, 3, bytes.fromhex("828684be")))
    write(d, "headers_even_stream_id", b"\x05" + frame(1, 5, 2, REQ))
    write(d, "rst_on_idle_stream", b"\x05" + frame(3, 0, 5, b"\0\0\0\x08"))
    write(d, "rst_after_close", b"\x05" + frame(1, 5, 1, REQ) + frame(3, 0, 1, b"\0\0\0\x08") +
          frame(3, 0, 1, b"\0\0\0\x08"))
    write(d, "priority_on_idle_and_self", b"\x05" + frame(2, 0, 11, b"\0\0\0\x01\x10") +
          frame(2, 0, 13, b"\0\0\0\x0d\x10") + frame(1, 0x25, 15, b"\0\0\0\x0f\x10" + REQ))
    write(d, "priority_wrong_length", b"\x05" + frame(2, 0, 3, b"\0\0\0\x01"))
    write(d, "push_promise_from_client", b"\x05" + frame(1, 4, 1, REQ) +
          frame(5, 4, 1, b"\0\0\0\x02" + REQ))
    write(d, "ping_ack_and_wrong_stream", b"\x05" + frame(6, 1, 0, b"12345678") +
          frame(6, 0, 1, b"12345678"))
    write(d, "goaway_then_request", b"\x05" + frame(7, 0, 0, b"\0\0\0\0\0\0\0\0") +
          frame(1, 5, 1, REQ))
    write(d, "too_many_streams", b"\x40" + b"".join(
        frame(1, 4, 2 * i + 1, bytes.fromhex("828684be") if i else REQ) for i in range(130)))
    write(d, "content_length_mismatch", b"\x06" + frame(1, 4, 1, POST_CL5) +
          frame(0, 1, 1, b"abc"))
    write(d, "content_length_exceeded", b"\x06" + frame(1, 4, 1, POST_CL5) +
          frame(0, 0, 1, b"abcdefg"))
    write(d, "trailers_without_end_stream", b"\x06" + frame(1, 4, 1, REQ) +
          frame(1, 4, 1, b"\x40\x01t\x01v"))
    write(d, "trailers_with_pseudo_header", b"\x06" + frame(1, 4, 1, REQ) +
          frame(1, 5, 1, b"\x82"))
    write(d, "connection_specific_header", b"\x06" +
          frame(1, 5, 1, REQ + b"\x00\x0aconnection\x05close"))
    write(d, "uppercase_header_name", b"\x06" + frame(1, 5, 1, REQ + b"\x00\x03Abc\x01v"))
    write(d, "te_not_trailers", b"\x06" + frame(1, 5, 1, REQ + b"\x00\x02te\x04gzip"))
    write(d, "cookie_crumbs", b"\x06" + frame(1, 5, 1, REQ + b"\x60\x03a=b\x60\x03c=d\x60\x03e=f"))
    write(d, "extended_connect", b"\x06" + frame(1, 4, 1, b"\x02\x07CONNECT\x00\x09:protocol"
          b"\x09websocket\x87\x84\x41\x0bexample.com"))
    write(d, "connect_request", b"\x06" + frame(1, 4, 1, b"\x02\x07CONNECT\x41\x0fexample.com:443"))
    write(d, "frame_too_large", b"\x06" + frame(1, 4, 1, REQ) + frame(0, 0, 1, b"z" * 16385))
    write(d, "unknown_frames_split", b"\x01" + frame(0xfa, 0xff, 0, b"u" * 700) +
          frame(0xfb, 0, 1, b"") + frame(10, 0, 0, b"\0\x03abcxyz"))
    write(d, "hpack_size_updates", b"\x03" + frame(1, 5, 1, b"\x20\x3f\xe1\x1f" + REQ) +
          frame(1, 5, 3, b"\x3f\x01" + REQ))
    write(d, "hpack_size_update_mid_block", b"\x03" + frame(1, 5, 1, REQ[:3] + b"\x20" + REQ[3:]))
    write(d, "hpack_size_update_too_large", b"\x03" + frame(1, 5, 1, b"\x3f\xe2\x1f" + REQ))
    write(d, "hpack_bad_index", b"\x03" + frame(1, 5, 1, REQ + b"\xfe"))
    write(d, "huffman_padding_ok", b"\x03" + frame(1, 5, 1, REQ + b"\x40\x81\x1f\x81\x07"))
    write(d, "huffman_padding_zero_bits", b"\x03" + frame(1, 5, 1, REQ + b"\x40\x81\x18\x01a"))
    write(d, "huffman_padding_too_long", b"\x03" + frame(1, 5, 1, REQ + b"\x40\x82\x1f\xff\x01a"))
    write(d, "huffman_eos", b"\x03" + frame(1, 5, 1, REQ + b"\x40\x84\xff\xff\xff\xff\x01a"))
    write(d, "header_list_too_large", b"\x03" + settings + frame(1, 5, 1, REQ) +
          frame(1, 5, 3, bytes.fromhex("828684be") + b"\x40\x01x\x7f\x81\x7f" + b"v" * 16510))
    write(d, "table_eviction", b"\x08" + b"".join(
        frame(1, 5, 2 * i + 1, bytes.fromhex("828684be") + b"\x40\x01" + bytes([97 + i]) +
              b"\x7f\x81\x07" + bytes([97 + i]) * 1000) for i in range(6)))

    write(d, "settings_empty_and_repeated_id", b"\x05" + frame(4, 0, 0, b"") +
          settings_frame((4, 100), (4, 200), (1, 0), (1, 4096)) + frame(1, 5, 1, REQ))
    write(d, "settings_initial_window_overflows_stream", b"\x05" + frame(1, 4, 1, REQ) +
          window(1, 0x7fffffff - 65535) + settings_frame((4, 65536)))
    write(d, "continuation_empty_frames", b"\x05" + frame(1, 0, 1, REQ[:4]) + frame(9, 0, 1, b"") +
          frame(9, 0, 1, REQ[4:]) + frame(9, 4, 1, b""))
    write(d, "data_padded_empty", b"\x05" + frame(1, 4, 1, REQ) + frame(0, 8, 1, b""))
    write(d, "headers_priority_too_short", b"\x05" + frame(1, 0x25, 1, b"\0\0\0"))
    write(d, "headers_pad_exceeds_body", b"\x05" + frame(1, 0x0d, 1, b"\x40" + REQ))
    write(d, "altsvc_malformed", b"\x05" + frame(10, 0, 0, b"\x00") + frame(10, 0, 0, b"\0\x09ab"))
    write(d, "trailers_content_length_mismatch", b"\x06" + frame(1, 4, 1, POST_CL5) +
          frame(0, 0, 1, b"abc") + frame(1, 5, 1, b"\x40\x01t\x01v"))
    write(d, "head_request_with_content_length", b"\x06" + frame(1, 5, 1,
          bytes.fromhex("828684be")[:0] + b"\x02\x04HEAD\x86\x84\x41\x0bexample.com\x0f\x0d\x0210"))
    write(d, "data_on_half_closed_remote", b"\x06" + frame(1, 5, 1, REQ) + frame(0, 1, 1, b"x") +
          frame(0, 0, 3, b"") + window(1, 10))

    # Client harness: first byte chooses the split; the client has sent
    # requests on streams 1 (ended), 3 (open) and 5 (ended).
    d = "corpus/client"
    server_settings = settings_frame((3, 100), (4, 65535), (2, 0))
    write(d, "response_continuation_chain", b"\x02" + server_settings +
          frame(1, 0, 1, b"\x88") + frame(9, 0, 1, b"\x5c\x01") + frame(9, 4, 1, b"0"))
    write(d, "response_padded_data", b"\x05" + frame(1, 0x0c, 3, b"\x10\x88" + b"\0" * 16) +
          frame(0, 9, 3, b"\x40" + b"d" * 100 + b"\0" * 64))
    write(d, "settings_enable_push_from_server", b"\x05" + settings_frame((2, 1)))
    write(d, "settings_initial_window_changes", b"\x03" + settings_frame((4, 0)) +
          settings_frame((4, 0x7fffffff)) + window(3, 1))
    write(d, "settings_max_frame_size_max", b"\x03" + settings_frame((5, 16777215)) +
          frame(1, 4, 3, b"\x88") + frame(0, 1, 3, b"x" * 17000))
    write(d, "push_promise_padded_continuation", b"\x03" +
          frame(5, 0x08, 3, b"\x04\0\0\0\x02" + REQ[:4] + b"\0\0\0\0") +
          frame(9, 4, 3, REQ[4:]) + frame(1, 4, 2, b"\x88") + frame(0, 1, 2, b"pushed"))
    write(d, "push_promise_on_closed_stream", b"\x03" + frame(1, 5, 1, b"\x88") +
          frame(5, 4, 1, b"\0\0\0\x02" + REQ))
    write(d, "push_promise_odd_id", b"\x03" + frame(5, 4, 3, b"\0\0\0\x07" + REQ))
    write(d, "informational_then_trailers", b"\x04" +
          frame(1, 4, 3, b"\x08\x03103") + frame(1, 4, 3, b"\x88\x5c\x012") +
          frame(0, 0, 3, b"ok") + frame(1, 5, 3, b"\x40\x01t\x01v"))
    write(d, "informational_with_end_stream", b"\x04" + frame(1, 5, 3, b"\x08\x03100"))
    write(d, "goaway_refuses_open_streams", b"\x04" + frame(7, 0, 0, b"\0\0\0\x01\0\0\0\0") +
          frame(1, 5, 1, b"\x88") + frame(7, 0, 0, b"\0\0\0\x00\0\0\0\x02debug"))
    write(d, "rst_stream_open", b"\x04" + frame(3, 0, 3, b"\0\0\0\x08") + frame(0, 1, 3, b"late"))
    write(d, "headers_on_unopened_even_stream", b"\x04" + frame(1, 5, 2, b"\x88"))
    write(d, "headers_on_idle_odd_stream", b"\x04" + frame(1, 5, 9, b"\x88"))
    write(d, "window_overflow_connection", b"\x04" + window(0, 0x7fffffff))
    write(d, "window_overflow_stream", b"\x04" + window(3, 0x7fffffff))
    write(d, "response_size_update_zero", b"\x04" + frame(1, 5, 1, b"\x20\x88") +
          frame(1, 4, 3, b"\x3f\xe1\x1f\x88"))
    write(d, "response_huffman_padding", b"\x04" + frame(1, 4, 3, b"\x88\x40\x81\x1f\x81\x07"))
    write(d, "response_content_length_mismatch", b"\x04" + frame(1, 4, 3, b"\x88\x5c\x015") +
          frame(0, 1, 3, b"abc"))
    write(d, "response_204_with_content_length", b"\x04" + frame(1, 4, 3, b"\x89\x5c\x0210") +
          frame(0, 1, 3, b""))
    write(d, "response_missing_status", b"\x04" + frame(1, 5, 1, b"\x5c\x010"))
    write(d, "altsvc_both_forms", b"\x04" + frame(10, 0, 0, b"\0\x0bexample.comh2=\":443\"") +
          frame(10, 0, 3, b"\0\0h2=\":8443\"") + frame(10, 0, 0, b"\0\0bad"))
    write(d, "ping_and_ack", b"\x04" + frame(6, 0, 0, b"abcdefgh") + frame(6, 1, 0, b"abcdefgh"))
    write(d, "push_promise_pad_exceeds_body", b"\x04" + frame(5, 0x0c, 3, b"\x30\0\0\0\x02" + REQ))
    write(d, "push_promise_too_short", b"\x04" + frame(5, 0x04, 3, b"\0\0"))
    write(d, "push_disabled_by_client_ack", b"\x04" + frame(4, 1, 0, b"") +
          frame(5, 4, 3, b"\0\0\0\x02" + REQ) + frame(1, 4, 2, b"\x88") + frame(0, 1, 2, b"p") +
          frame(5, 4, 3, b"\0\0\0\x02" + REQ))
    write(d, "response_on_reset_push", b"\x04" + frame(5, 4, 3, b"\0\0\0\x04" + REQ) +
          frame(3, 0, 4, b"\0\0\0\x08") + frame(1, 5, 4, b"\x88") + frame(0, 1, 4, b"late"))
    write(d, "data_exceeds_stream_window", b"\x10" + frame(1, 4, 3, b"\x88") +
          b"".join(frame(0, 0, 3, b"w" * 16384) for _ in range(4)) + frame(0, 0, 3, b"w" * 100))
    write(d, "data_before_response", b"\x10" + frame(0, 0, 3, b"early") + frame(1, 5, 3, b"\x88"))
    write(d, "settings_window_overflow_own_stream", b"\x04" + window(3, 0x7fffffff - 65535) +
          settings_frame((4, 65536)))


# ---------------------------------------------------------------------
# HPACK seeds: RFC 7541 Appendix C, table size updates, eviction, Huffman.
# ---------------------------------------------------------------------

RFC7541_C = {
    "c2_1": "400a637573746f6d2d6b65790d637573746f6d2d686561646572",
    "c2_2": "040c2f73616d706c652f70617468",
    "c2_3": "100870617373776f726406736563726574",
    "c2_4": "82",
    "c3": ["828684410f7777772e6578616d706c652e636f6d",
           "828684be58086e6f2d6361636865",
           "828785bf400a637573746f6d2d6b65790c637573746f6d2d76616c7565"],
    "c4": ["828684418cf1e3c2e5f23a6ba0ab90f4ff",
           "828684be5886a8eb10649cbf",
           "828785bf408825a849e95ba97d7f8925a849e95bb8e8b4bf"],
    "c5": ["4803333032580770726976617465611d4d6f6e2c203231204f637420323031332032303a3133"
           "3a323120474d546e1768747470733a2f2f7777772e6578616d706c652e636f6d",
           "4803333037c1c0bf",
           "88c1611d4d6f6e2c203231204f637420323031332032303a31333a323220474d54c05a04677a"
           "69707738666f6f3d4153444a4b48514b425a584f5157454f50495541585157454f49553b206d"
           "61782d6167653d333630303b2076657273696f6e3d31"],
    "c6": ["488264025885aec3771a4b6196d07abe941054d444a8200595040b8166e082a62d1bff6e919d"
           "29ad171863c78f0b97c8e9ae82ae43d3",
           "4883640effc1c0bf",
           "88c16196d07abe941054d444a8200595040b8166e084a62d1bffc05a839bd9ab77ad94e7821dd"
           "7f2e6c7b335dfdfcd5b3960d5af27087f3672c1ab270fb5291f9587316065c003ed4ee5b1063d"
           "5007"],
}


def hpack_blocks(bs):
    return b"".join(struct.pack(">H", len(b)) + b for b in bs)


def hpack_more_seeds():
    # hpack_decode: limit (2), list size (2), split step (1), blocks.
    # hpack_diff:   limit (2), list size (2; >= 0x8000: the largest), blocks;
    #               a length of 0xf000 + n sets the table size limit to n.
    decode_prefix = {4096: b"\x10\x00\x40\x00\x03", 256: b"\x01\x00\x40\x00\x01"}
    diff_prefix = {4096: b"\x10\x00\x80\x00", 256: b"\x01\x00\x80\x00"}
    cases = {
        "rfc7541_c2_literals": (4096, [bytes.fromhex(RFC7541_C[k]) for k in
                                       ("c2_1", "c2_2", "c2_3", "c2_4")]),
        "rfc7541_c3_requests": (4096, [bytes.fromhex(h) for h in RFC7541_C["c3"]]),
        "rfc7541_c4_requests_huffman": (4096, [bytes.fromhex(h) for h in RFC7541_C["c4"]]),
        "rfc7541_c5_responses_eviction": (256, [bytes.fromhex(h) for h in RFC7541_C["c5"]]),
        "rfc7541_c6_responses_huffman_eviction": (256, [bytes.fromhex(h) for h in RFC7541_C["c6"]]),
        "size_update_twice": (4096, [b"\x20\x3f\xe1\x1f\x82"]),
        "size_update_three_times": (4096, [b"\x20\x21\x3f\xe1\x1f\x82"]),
        "size_update_overlong_int": (4096, [b"\x3f\x80\x80\x00\x82"]),
        "index_overlong_int": (4096, [b"\xff\x80\x00"]),
        "entry_larger_than_table": (256, [b"\x40\x01a\x7f\x81\x02" + b"v" * 300, b"\xbe"]),
        "eviction_ring_wrap": (4096, [b"\x40\x01" + bytes([97 + i]) + b"\x7f\xe1\x04" + b"w" * 640
                                      for i in range(8)] + [b"\xbe\xbf\xc0"]),
        "never_indexed_huffman": (4096, [b"\x10\x88\x25\xa8\x49\xe9\x5b\xa9\x7d\x7f\x89\x25\xa8"
                                         b"\x49\xe9\x5b\xb8\xe8\xb4\xbf"]),
        "literal_indexed_name_from_dynamic": (4096, [b"\x40\x01k\x01v", b"\x7e\x02vv\x0e\x01w"]),
        "huffman_all_ones_padding": (4096, [b"\x00\x81\x1f\x81\xff"]),
        "huffman_padding_not_ones": (4096, [b"\x00\x81\x18\x01a"]),
        "huffman_empty_string": (4096, [b"\x00\x80\x80"]),
        "string_length_past_block": (4096, [b"\x00\x7f\x80\x01ab"]),
        "empty_name": (4096, [b"\x00\x00\x01v"]),
        "empty_block": (4096, [b""]),
    }
    for name, (limit, bs) in cases.items():
        write("corpus/hpack_decode", name, decode_prefix[limit] + hpack_blocks(bs))
        write("corpus/hpack_diff", name, diff_prefix[limit] + hpack_blocks(bs))
    # Limits that change between blocks: dropped and raised again.
    d = "corpus/hpack_diff"
    write(d, "limit_drop_then_rise_smallest_first", b"\x10\x00\x80\x00" +
          hpack_blocks([b"\x40\x01a\x01b"]) + b"\xf0\x00" + b"\xf0\x64" +
          hpack_blocks([b"\x20\x3f\x45\x82"]))
    write(d, "limit_drop_then_rise_final_only", b"\x10\x00\x80\x00" +
          hpack_blocks([b"\x40\x01a\x01b"]) + b"\xf0\x00" + b"\xf0\x64" +
          hpack_blocks([b"\x3f\x45\x82"]))
    write(d, "limit_drop_no_update", b"\x10\x00\x80\x00" + hpack_blocks([b"\x40\x01a\x01b"]) +
          b"\xf0\x20" + hpack_blocks([b"\x82"]))
    write(d, "list_size_limit_small", b"\x10\x00\x00\x40" +
          hpack_blocks([bytes.fromhex(h) for h in RFC7541_C["c3"]]))

    r = "corpus/hpack_roundtrip"
    write(r, "cookie_and_huffman_values", b"\x02" + b"\x06\x08\x01cookiea=b; c=d" +
          b"\x04\x0c\x01datewww.example.com")
    write(r, "table_size_zero", b"\x07\x00\x00" + b"\x01" + b"\x03\x03\x01keyval" +
          b"\x07\x10\x00" + b"\x01" + b"\x03\x03\x01keyval")
    write(r, "large_value_eviction", b"\x00" + b"\x01\xff\x01k" + b"v" * 255 +
          b"\x00" + b"\x01\xff\x01l" + b"w" * 255)

# ---------------------------------------------------------------------
# fuzz_api scripts. The encoder below follows the order in which
# fuzz/fuzz_api.c takes bytes; keep the two in step.
# ---------------------------------------------------------------------

API_SETTING_IDS = [1, 2, 3, 4, 5, 6, 8, 9, 0x10, 0xffff]
API_SETTING_VALUES = {
    1: [0, 1, 64, 256, 4095, 4096, 4097, 65536],
    2: [0, 1, 0, 1, 0, 1, 2, 0xffffffff],
    3: [0, 1, 2, 3, 100, 127, 128, 129],
    4: [0, 1, 16384, 65535, 65536, 1048576, 0x7fffffff, 0x80000000],
    5: [16383, 16384, 16385, 32768, 65536, 0xffffff, 0x1000000, 0],
    6: [0, 1, 100, 200, 1024, 4096, 16384, 16385],
    8: [0, 1, 0, 1, 0, 1, 2, 0xffffffff],
    9: [0, 1, 0, 1, 0, 1, 2, 0xffffffff],
}
API_NAMES = ["user-agent", "accept", "cookie", "authorization", "proxy-authorization", "te",
             "x-custom", "content-type", "accept-encoding", "cache-control", "host",
             "connection", "Upper-Case", "x-a", "set-cookie", "if-none-match"]
API_CANNED = ["a=1; b=2", "x=yyyyyyyyyyyyyyyyyyyyyyyy; z=1", "trailers", "gzip",
              "text/html", "Basic dXNlcjpwYXNz", "; ; q=1", "*/*"]
API_TEMPLATES = {"GET": 0, "POST": 1, "HEAD": 2, "CONNECT": 3, "XCONNECT": 4,
                 "OPTIONS": 5, "NOPATH": 6, "CUSTOM": 7}
API_STATUSES = ["200", "204", "304", "404", "100", "103", "500", "20", "999", "099"]
API_RESET_CODES = {"CANCEL": 0, "NO_ERROR": 1, "PROTOCOL_ERROR": 2, "INTERNAL_ERROR": 3,
                   "REFUSED_STREAM": 4, "ENHANCE_YOUR_CALM": 5, "OTHER": 6, "STREAM_CLOSED": 7}
API_CLOSE_CODES = {"NO_ERROR": 0, "PROTOCOL_ERROR": 3, "INTERNAL_ERROR": 4,
                   "ENHANCE_YOUR_CALM": 5, "OTHER": 7}
CLIENT, SERVER = 0, 1


def bit(cond, value):
    return value if cond else 0


class Api:
    """One fuzz_api script: a byte string of steps."""

    def __init__(self, auto_ack=True, zero_copy=False, client_settings=(), server_settings=(),
                 handshake=True, raw_client=False, raw_server=False, upgrade=False,
                 upgrade_value=None, before_initiate=False, drain_cap=None):
        extra = bit(upgrade, 1) | bit(before_initiate, 2) | bit(drain_cap is not None, 4)
        mode = bit(auto_ack, 1) | bit(zero_copy, 2) | bit(client_settings, 4) | \
            bit(server_settings, 8) | bit(handshake, 0x10) | bit(extra, 0x20) | \
            bit(raw_client, 0x40) | bit(raw_server, 0x80)
        self.b = bytearray([mode])
        if extra:
            self.b.append(extra)
        for lst in (client_settings, server_settings):
            if lst:
                assert 1 <= len(lst) <= 3
                self.b.append(len(lst) - 1)
                for sid, value in lst:
                    self.setting(sid, value)
        if drain_cap is not None:
            self.b.append((drain_cap - 1) // 64)   # at most 1 + 64 * byte per drain
        if upgrade:
            if upgrade_value is None:
                self.b.append(0)
            else:
                assert len(upgrade_value) < 64
                self.b.append(0x80 | len(upgrade_value))
                self.b += upgrade_value

    def setting(self, sid, value):
        idx = API_SETTING_IDS.index(sid)
        if sid in API_SETTING_VALUES and value in API_SETTING_VALUES[sid]:
            vi = API_SETTING_VALUES[sid].index(value)
            self.b.append(next(b for b in range(0xf0) if b % 10 == idx and (b // 16) % 8 == vi))
        elif sid in API_SETTING_VALUES:
            self.b.append(next(b for b in range(0xf0, 0x100) if b % 10 == idx))
            self.b += struct.pack(">I", value)
        else:
            self.b.append(idx)
            self.b += struct.pack(">I", value)

    def value(self, v):
        if v is None:
            self.b.append(1)                      # empty
        elif isinstance(v, tuple) and v[0] == "crumbs":
            self.b.append(6 + 8 * (v[1] // 8))    # v[1] "c=1; " crumbs
        elif isinstance(v, int):
            self.b.append(0)                      # long generated value
            self.b += struct.pack(">H", v)
        else:
            assert len(v) < 32 and all(0x21 <= c <= 0x7e for c in v.encode())
            self.b.append(2 + 8 * len(v))
            self.b += bytes(c - 0x21 for c in v.encode())

    def fields(self, fields):
        for f in fields:
            name, val = f[0], f[1]
            never = len(f) > 2 and f[2]
            ni = API_NAMES.index(name)
            if isinstance(val, str) and val in API_CANNED and \
                    (ni & 1) == API_CANNED.index(val) // 4:
                ci = API_CANNED.index(val)
                self.b.append(ni | ((ci % 4) << 4) | 0x40 | (0x80 if never else 0))
            else:
                self.b.append(ni | (0x80 if never else 0))
                self.value(val)

    def pick(self, stream):
        """stream: index of a stream the script opened, in opening order, or
        ('id', k) for the k-th special id, or 'next'."""
        if stream == "next":
            self.b.append(231)
        elif isinstance(stream, tuple):
            self.b.append(224 + stream[1])
        else:
            self.b.append(stream)

    def build_request(self, method, path=0, fields=(), cl=None, allow_body=True):
        t = API_TEMPLATES[method] + 8 * path + (0x80 if cl is not None else 0)
        self.b.append(t)
        if fields == "many":
            self.b.append(0xf8)                   # 130 fields
            self.b += bytes([0x0d, 0x02 + 8 * 1, 0x40]) * 130
        else:
            self.b.append(len(fields))
            self.fields(fields)
        if allow_body and cl is not None and method != "HEAD":
            self.b.append(1)
            self.b += struct.pack(">H", cl)

    def request(self, method="GET", path=0, fields=(), end=False, cl=None, prio=None, pad=None,
                skip=0):
        flags = bit(end, 1) | bit(skip, 2) | bit(prio, 0x20) | bit(pad is not None, 0x40)
        self.b += bytes([0x00, flags])
        if skip:
            self.b.append(skip)
        self.build_request(method, path, fields, cl)
        if prio:
            self.b += bytes(prio)                 # dependency % 8, weight - 1, exclusive
        if pad is not None:
            self.pad(pad)
        return self

    def pad(self, pad):
        self.b.append(0 if pad == 0 else (255 if pad == 255 else 192 + pad))

    def response(self, stream, status="200", fields=(), end=False, cl=None, pad=None):
        self.b.append(0x11)
        self.pick(stream)
        self.b.append(bit(end, 1) | bit(pad is not None, 0x40))
        si = API_STATUSES.index(status)
        self.b.append(next(t for t in range(256) if t % 10 == si and bool(t & 0x80) == (cl is not None)))
        self.b.append(len(fields))
        self.fields(fields)
        if cl is not None and int(status) >= 200 and not end:
            self.b += struct.pack(">H", cl)
        if pad is not None:
            self.pad(pad)
        return self

    def trailers(self, side, stream, fields=(), end=True, pseudo=False, pad=None):
        self.b.append(0x01 | (side << 4))
        self.pick(stream)
        self.b.append((0 if end else 0x80) | bit(pad is not None, 0x40))
        assert len(fields) < 4
        self.b.append(len(fields) | (7 if pseudo else 0))
        self.fields(fields)
        if pad is not None:
            self.pad(pad)
        return self

    def data(self, side, stream, length="max", end=False, pad=None):
        kind = 0 if length == 0 else 2 if length == "max" else 1 if length < 256 else 3
        self.b += bytes([0x02 | (side << 4)])
        self.pick(stream)
        self.b.append(bit(end, 1) | bit(pad is not None, 2) | (kind << 2))
        if pad is not None:
            self.pad(pad)
        if kind == 1:
            self.b.append(length)
        elif kind == 3:
            self.b += struct.pack(">H", length)
        return self

    def end(self, side, stream):
        self.b.append(0x03 | (side << 4))
        self.pick(stream)
        return self

    def reset(self, side, stream, code="CANCEL"):
        self.b.append(0x04 | (side << 4))
        self.pick(stream)
        self.b.append(API_RESET_CODES[code])
        return self

    def ping(self, side, opaque=b"pingpong"):
        self.b.append(0x05 | (side << 4))
        self.b += opaque
        return self

    def settings(self, side, pairs):
        assert len(pairs) <= 2
        self.b += bytes([0x06 | (side << 4), len(pairs)])
        for sid, value in pairs:
            self.setting(sid, value)
        return self

    def window(self, side, stream, kind=2, extra=None):
        """kind: 0 +1, 1 +byte, 2 +65535, 3 to the top, 4 past the top,
        5 zero, 6 2^31, 7 +32-bit."""
        self.b += bytes([0x07 | (side << 4), (1 if stream is None else 0) | (kind << 1)])
        if stream is not None:
            self.pick(stream)
        if kind == 1:
            self.b.append(extra)
        elif kind == 7:
            self.b += struct.pack(">I", extra)
        return self

    def ack(self, side, stream, half=False):
        self.b.append(0x08 | (side << 4))
        self.pick(stream)
        self.b.append(128 if half else 0)
        return self

    def push(self, parent, method="GET", path=1, fields=()):
        self.b.append(0x19)
        self.pick(parent)
        self.b.append(0)
        self.build_request(method, path, fields, allow_body=False)
        return self

    def priority(self, side, stream, weight=16, depends_on=None, exclusive=False, self_dep=False):
        b = (2 if self_dep else 0) | (4 if exclusive else 0) | (1 if depends_on is not None else 0)
        self.b += bytes([0x0a | (side << 4)])
        self.pick(stream)
        self.b += bytes([b, weight - 1])
        if depends_on is not None:
            self.pick(depends_on)
        return self

    def close(self, side, code="NO_ERROR", debug=None, last=None):
        if debug == "too_long":
            self.b += bytes([0x0b | (side << 4), API_CLOSE_CODES[code] + 8 + 0x40])
            return self
        b = API_CLOSE_CODES[code] + (8 if debug is None else 0) + (0x80 if last is not None else 0)
        self.b += bytes([0x0b | (side << 4), b])
        if debug is not None:
            self.b.append(debug)
        if last is not None:
            self.b += struct.pack(">I", last)
        return self

    def altsvc(self, side, stream=None, origin=False, length=10):
        self.b += bytes([0x0c | (side << 4), (1 if stream is None else 0) | (2 if origin else 0)])
        if stream is not None:
            self.pick(stream)
        self.b.append(length)
        return self

    def pump(self, side, chunk):
        self.b += bytes([0x0d | (side << 4), 255 if chunk == "all" else chunk - 1])
        return self

    def flush(self):
        self.b.append(0x0e)
        return self

    def query(self, side, stream):
        self.b.append(0x0f | (side << 4))
        self.pick(stream)
        return self

    def bytes(self):
        return bytes(self.b)


def api_seeds():
    d = "corpus/api"
    write(d, "handshake_only", Api().bytes())
    write(d, "handshake_in_flight", Api(handshake=False).request(end=True).bytes())
    write(d, "get_response_body", Api().request(end=True).flush()
          .response(0, fields=[("content-type", "text/html")]).data(SERVER, 0, "max", end=True)
          .flush().bytes())
    write(d, "post_content_length_trailers", Api()
          .request("POST", fields=[("content-type", "text/html")], cl=100).data(CLIENT, 0, 100)
          .trailers(CLIENT, 0, [("x-a", "done")]).flush()
          .response(0, cl=300).data(SERVER, 0, 200).data(SERVER, 0, 100)
          .trailers(SERVER, 0, [("x-a", "t")]).flush().bytes())
    write(d, "cookies_and_credentials", Api()
          .request(fields=[("cookie", "a=1; b=2"), ("cookie", "x=yyyyyyyyyyyyyyyyyyyyyyyy; z=1"),
                           ("authorization", "secret"), ("proxy-authorization", "p", True)], end=True)
          .flush().response(0, fields=[("set-cookie", "id=1"), ("cache-control", "no-store")],
                            end=True).flush().bytes())
    write(d, "cookies_not_normalized", Api(raw_client=True, raw_server=True)
          .request(fields=[("cookie", "a=1; b=2"), ("cookie", "c=3")], end=True).flush().bytes())
    write(d, "push_promise_and_response", Api().request(end=True).flush()
          .push(0).push(0, "HEAD").response(1, end=False).data(SERVER, 1, 50, end=True)
          .response(2, end=True).response(0).data(SERVER, 0, 10, end=True).flush().bytes())
    write(d, "push_then_client_reset", Api().request().flush().push(0).reset(CLIENT, 1)
          .reset(CLIENT, 0).push(0).flush().bytes())
    write(d, "zero_window_then_updates", Api(auto_ack=False,
                                             client_settings=[(4, 0)], server_settings=[(4, 0)])
          .request("POST").flush().data(CLIENT, 0, 10).window(SERVER, 0, 1, 100).flush()
          .data(CLIENT, 0, 100).response(0).data(SERVER, 0, 10).window(CLIENT, 0, 0).flush()
          .data(SERVER, 0, 1, end=True).ack(SERVER, 0).ack(CLIENT, 0).end(CLIENT, 0).flush()
          .bytes())
    write(d, "connection_window_exhausted", Api(auto_ack=False).request("POST").flush()
          .data(CLIENT, 0, "max").data(CLIENT, 0, "max").data(CLIENT, 0, "max")
          .data(CLIENT, 0, "max").data(CLIENT, 0, "max").flush().ack(SERVER, 0).flush()
          .data(CLIENT, 0, "max", end=True).flush().bytes())
    write(d, "window_to_the_top_and_past", Api().request().flush()
          .window(CLIENT, None, 3).window(CLIENT, None, 4).window(CLIENT, 0, 3)
          .window(CLIENT, 0, 4).window(CLIENT, 0, 5).window(CLIENT, 0, 6).flush()
          .query(SERVER, 0).bytes())
    write(d, "settings_changes_both_sides", Api().request().flush()
          .settings(CLIENT, [(4, 16384), (5, 32768)]).settings(SERVER, [(1, 0), (6, 1024)])
          .settings(CLIENT, [(3, 1)]).settings(SERVER, [(4, 1048576)]).flush()
          .data(CLIENT, 0, "max").response(0).data(SERVER, 0, "max").flush().bytes())
    write(d, "settings_pending_limit", Api().settings(CLIENT, [(1, 256)])
          .settings(CLIENT, [(1, 64)]).settings(CLIENT, [(1, 4096)]).settings(CLIENT, [(1, 0)])
          .settings(CLIENT, [(1, 1)]).request(end=True).flush().bytes())
    write(d, "settings_refused_values", Api().settings(CLIENT, [(4, 0x80000000)])
          .settings(SERVER, [(5, 16383)]).settings(SERVER, [(3, 129)]).settings(CLIENT, [(1, 4097)])
          .settings(CLIENT, [(6, 16385)]).settings(SERVER, [(8, 2)]).flush().bytes())
    write(d, "header_table_zero", Api(client_settings=[(1, 0)], server_settings=[(1, 0)])
          .request(end=True).request(end=True).flush().response(0, end=True)
          .response(1, end=True).flush().bytes())
    write(d, "headers_over_continuation", Api()
          .request(fields=[("x-custom", 15000), ("accept", "*/*")], pad=255, prio=(0, 200, 1))
          .flush().response(0, fields=[("x-a", 14000)], pad=255).flush().bytes())
    write(d, "header_list_size_race", Api(handshake=False, server_settings=[(6, 100)])
          .request(fields=[("user-agent", "a-long-user-agent-value")], end=True).flush()
          .request(end=True).flush().bytes())
    write(d, "max_concurrent_race", Api(handshake=False, server_settings=[(3, 1)])
          .request().request().request().flush().bytes())
    write(d, "too_many_streams", Api(server_settings=[(3, 2)]).request().request().request()
          .flush().end(CLIENT, 0).end(CLIENT, 1).flush().bytes())
    write(d, "graceful_goaway_by_server", Api().request().flush().close(SERVER)
          .request().flush().response(0, end=True).end(CLIENT, 0).flush().bytes())
    write(d, "graceful_goaway_by_client", Api().request(end=True).flush().close(CLIENT)
          .response(0, end=True).flush().bytes())
    write(d, "goaway_with_error", Api().request().flush()
          .close(CLIENT, "PROTOCOL_ERROR", debug=16).data(CLIENT, 0, 5).flush().bytes())
    write(d, "goaway_error_last_stream", Api().request().request().flush()
          .close(SERVER, "ENHANCE_YOUR_CALM", last=1).flush().bytes())
    write(d, "reset_with_data_in_flight", Api().request("POST").data(CLIENT, 0, 200)
          .reset(CLIENT, 0, "CANCEL").data(CLIENT, 0, 5).flush()
          .request().flush().response(1).data(SERVER, 1, 100).reset(SERVER, 1, "INTERNAL_ERROR")
          .flush().bytes())
    write(d, "informational_then_final", Api().request(end=True).flush()
          .response(0, "100").response(0, "103", fields=[("x-a", "hint")]).response(0, "100", end=True)
          .response(0, "200", end=True).flush().bytes())
    write(d, "head_and_no_content", Api().request("HEAD", end=True).request(end=True).flush()
          .response(0, cl=100, end=True).response(1, "204").end(SERVER, 1).flush().bytes())
    write(d, "extended_connect", Api(server_settings=[(8, 1)]).request("XCONNECT").flush()
          .response(0).data(CLIENT, 0, 20).data(SERVER, 0, 20).flush()
          .settings(SERVER, [(8, 0)]).request("XCONNECT").flush().bytes())
    write(d, "connect_tunnel", Api().request("CONNECT").flush().response(0)
          .data(CLIENT, 0, 100).data(SERVER, 0, 100, end=True).end(CLIENT, 0).flush().bytes())
    write(d, "invalid_requests_refused", Api().request("NOPATH").request("GET", path=2)
          .request("GET", fields=[("connection", "close")]).request("GET", fields=[("te", "gzip")])
          .request("GET", fields=[("Upper-Case", "v")]).request("OPTIONS", path=3)
          .request("GET", fields=[("te", "trailers")]).flush().bytes())
    write(d, "pings_priority_altsvc", Api().request().flush()
          .ping(CLIENT).ping(SERVER, b"\0" * 8).priority(CLIENT, 0, 256, exclusive=True)
          .priority(CLIENT, 0, 1, self_dep=True).priority(CLIENT, ("id", 6), 16)
          .altsvc(SERVER, None, origin=True).altsvc(SERVER, 0).altsvc(CLIENT, None, True)
          .flush().bytes())
    write(d, "byte_by_byte", Api(handshake=False).request(end=True, fields=[("accept", "*/*")])
          .pump(CLIENT, 1).pump(SERVER, 1).pump(CLIENT, 1).pump(CLIENT, 7).pump(SERVER, 3)
          .pump(CLIENT, 9).pump(SERVER, 9).pump(CLIENT, 16).pump(SERVER, 16).pump(CLIENT, 40)
          .response(0).data(SERVER, 0, 100, pad=15, end=True).pump(SERVER, 5).pump(SERVER, 11)
          .pump(SERVER, 255).flush().bytes())
    write(d, "zero_copy_drain", Api(zero_copy=True).request(end=True).flush().response(0)
          .data(SERVER, 0, "max", end=True).flush().bytes())
    write(d, "stream_ids_skipped_and_exhausted", Api().request(skip=2).request().flush()
          .bytes() + bytes([0x00, 0x1c, 0x00, 0x00]) + Api().flush().bytes()[1:])
    write(d, "frames_on_closed_streams", Api().request(end=True).flush()
          .response(0, end=True).flush().data(CLIENT, 0, 5).end(SERVER, 0).reset(CLIENT, 0)
          .window(CLIENT, 0, 0).ack(CLIENT, 0).priority(CLIENT, 0).query(CLIENT, 0).flush()
          .bytes())
    write(d, "upgrade_from_http1", Api(upgrade=True, client_settings=[(4, 1048576), (1, 256)])
          .response(0, cl=20).data(SERVER, 0, 20, end=True).request(end=True).flush()
          .response(1, end=True).flush().bytes())
    write(d, "upgrade_bad_settings_value", Api(upgrade=True, upgrade_value=b"AAQAAP__!").bytes())
    write(d, "upgrade_settings_value_invalid", Api(upgrade=True, upgrade_value=b"AAIAAAAC")
          .bytes())
    write(d, "upgrade_settings_value_padded", Api(upgrade=True, upgrade_value=b"AAMAAABk==")
          .request(end=True).flush().bytes())
    write(d, "calls_before_initiate", Api(before_initiate=True).request(end=True).flush().bytes())
    write(d, "partial_drains", Api(drain_cap=1, handshake=False).request(end=True).flush()
          .response(0).data(SERVER, 0, 100, end=True).flush().bytes())
    write(d, "partial_drains_fill_outbound", Api(drain_cap=4097, auto_ack=False).request("POST")
          .flush().data(CLIENT, 0, "max").data(CLIENT, 0, "max").data(CLIENT, 0, "max")
          .pump(CLIENT, 200).data(CLIENT, 0, "max").ping(CLIENT).ping(CLIENT)
          .window(CLIENT, None, 2).settings(CLIENT, [(1, 256)]).flush().bytes())
    write(d, "outbound_full_refusals", Api(auto_ack=False, client_settings=[(4, 0x7fffffff)],
                                           server_settings=[(4, 0x7fffffff), (5, 0xffffff)])
          .request("POST").flush().window(SERVER, None, 3).flush()
          .data(CLIENT, 0, 60000).data(CLIENT, 0, 60000).request().ping(CLIENT)
          .settings(CLIENT, [(1, 0)]).window(CLIENT, None, 0).ack(CLIENT, 0)
          .priority(CLIENT, 0).reset(CLIENT, 0).close(CLIENT).flush().bytes())
    write(d, "cookie_crumbs_too_many", Api().request(fields=[("cookie", ("crumbs", 200))])
          .request(fields="many").request(fields=[("cookie", ("crumbs", 40))], end=True)
          .flush().bytes())
    write(d, "goaway_debug_too_long", Api().close(CLIENT, debug="too_long")
          .close(SERVER, "PROTOCOL_ERROR", debug="too_long").flush().bytes())
    write(d, "reset_while_data_arrives", Api().request("POST").flush().data(CLIENT, 0, 200)
          .pump(CLIENT, 50).reset(SERVER, 0).data(CLIENT, 0, 100).flush()
          .request().flush().response(1).data(SERVER, 1, "max").pump(SERVER, 100)
          .reset(CLIENT, 1).flush().bytes())
    write(d, "closed_connection_calls", Api().request().flush().close(SERVER, "INTERNAL_ERROR")
          .response(0).data(SERVER, 0, 1).ping(SERVER).reset(SERVER, 0).settings(SERVER, [(1, 0)])
          .window(SERVER, None, 0).ack(SERVER, 0).push(0).priority(SERVER, 0)
          .altsvc(SERVER, None, True).close(SERVER).query(SERVER, 0).flush()
          .data(CLIENT, 0, 10).flush().bytes())
    write(d, "refused_calls_on_odd_ids", Api().data(CLIENT, ("id", 0), 5)
          .data(CLIENT, ("id", 4), 5).reset(SERVER, ("id", 1)).window(SERVER, ("id", 3), 0)
          .end(CLIENT, ("id", 6)).push(("id", 1)).query(CLIENT, ("id", 4)).flush().bytes())



def api_regressions():
    """Reproducers of library findings, written as scripts so that they
    stay readable; each fails the harness until its finding is fixed."""
    d = "corpus/regressions/api"
    # RFC 9113 6.5.2: a server must not announce ENABLE_PUSH 1; the client
    # closes the connection with PROTOCOL_ERROR.
    write(d, "server_settings_enable_push_1", Api().settings(SERVER, [(2, 1)]).flush().bytes())
    # Zero-field trailers make an empty HEADERS frame: the receiver finishes
    # it only when more input comes (and then reports no event with input
    # left over).
    write(d, "empty_trailers_never_reported", Api().request().trailers(CLIENT, 0, []).bytes())
    write(d, "empty_headers_frame_stops_recv", Api(handshake=False, server_settings=[(3, 0)])
          .request().trailers(CLIENT, 0, []).flush().ping(CLIENT).flush().bytes())
    # A client keeps a push promised after its own GOAWAY, which the
    # server resets as refused: the stream stays reserved on one side only.
    write(d, "push_after_client_goaway_kept", Api().request().flush().close(CLIENT).push(0)
          .flush().bytes())
    # A server pushes after receiving the client's GOAWAY (RFC 9113 6.8: no
    # new streams after a GOAWAY).
    write(d, "push_after_goaway_received", Api().request().flush().close(CLIENT).flush().push(0)
          .flush().bytes())
    # The automatic last stream id of a second GOAWAY counts a stream the
    # first one made the server ignore (RFC 9113 6.8: it must not grow).
    write(d, "second_goaway_raises_last_stream", Api().request().flush().close(SERVER)
          .request().flush().close(SERVER).flush().bytes())
    # A larger INITIAL_WINDOW_SIZE that takes an open stream's window past
    # 2^31 - 1: the server fails with FLOW_CONTROL_ERROR (RFC 9113 6.9.2).
    write(d, "initial_window_raise_overflows_peer", Api().request().flush()
          .window(CLIENT, 0, 3).settings(CLIENT, [(4, 0x7fffffff)]).flush().bytes())
    # The same with a window that stays below 2^31 - 1 while the largest it
    # has been would not: the client fails its own SETTINGS acknowledgement
    # and sends the server GOAWAY FLOW_CONTROL_ERROR.
    write(d, "initial_window_raise_overflows_own_max", Api(auto_ack=False).request().flush()
          .response(0).data(SERVER, 0, 37).flush().window(CLIENT, 0, 0)
          .settings(CLIENT, [(4, 0x7fffffff)]).flush().bytes())
    # An empty DATA frame on a stream whose window went negative (a smaller
    # INITIAL_WINDOW_SIZE): sending it is allowed, but the receiver resets
    # the stream with FLOW_CONTROL_ERROR.
    write(d, "empty_data_negative_window", Api(auto_ack=False).request("POST").flush()
          .data(CLIENT, 0, 10).settings(SERVER, [(4, 0)]).flush().data(CLIENT, 0, 0).flush()
          .bytes())
    # WINDOW_UPDATE on a reserved (local) stream (RFC 9113 5.1): the client
    # closes the connection with PROTOCOL_ERROR.
    write(d, "window_update_on_reserved_local", Api().request().flush().push(0)
          .window(SERVER, 1, 0).flush().bytes())
    # PUSH_PROMISE on a stream the server opened (RFC 9113 8.4).
    write(d, "push_on_pushed_stream", Api().request().flush().push(0).response(1).push(1)
          .flush().bytes())
    # A push promised on a stream the client has reset, arriving after 64
    # other streams closed: the client no longer remembers the parent and
    # closes the connection instead of refusing the push.
    a = Api().request()
    for _ in range(70):
        a.request()
    a.flush().reset(CLIENT, 0).push(0)
    for i in range(1, 71):
        a.reset(CLIENT, i)
    write(d, "push_on_forgotten_reset_stream", a.flush().bytes())
    # DATA before the response HEADERS (RFC 9113 8.1).
    write(d, "data_before_response_headers", Api().request().flush().data(SERVER, 0, 10)
          .response(0).flush().bytes())


if __name__ == "__main__":
    frame_seeds()
    hpack_seeds()
    conn_seeds()
    wire_seeds()
    hpack_more_seeds()
    api_seeds()
    api_regressions()
