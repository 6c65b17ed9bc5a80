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


if __name__ == "__main__":
    frame_seeds()
    hpack_seeds()
    conn_seeds()
