#!/usr/bin/python3
"""HTTP/2 client on Python's h2 package: a second implementation talking to
h2_server in the interoperability tests. Each scenario prints `ok: ...` and
exits 0, or prints `FAIL: ...` and exits 1.

h2 raises on its own when the server breaks a rule it checks (a DATA frame
beyond the window we granted, bad HPACK, a frame too large), which fails the
scenario too.

Scenarios (the first argument):
  concurrent   many GETs at once (files under --root, /size/N) on one connection
  post         POST of --size bytes, the echo compared, content-type echoed
  trailers     GET /trailers: body, then the trailer x-checksum: ok
  reset        GET /reset: RST_STREAM(CANCEL); the connection stays usable
  mixed        all of the above at once on one connection
  flow         downloads and an upload through a small receive window whose
               updates we send late and in bursts
  window-shrink  SETTINGS_INITIAL_WINDOW_SIZE lowered to 0 mid-download, the
               server must stop; raised again, it must finish
  shutdown     SIGTERM to --pid during a download we hold up: GOAWAY(NO_ERROR)
               must come, the download must still finish, the server closes
  bad-peer     protocol violations, each on its own connection, must get
               GOAWAY with the RFC's error; a good request then still works
  extensions   unknown frame types and settings, PRIORITY and PING: ignored or
               answered, the connection keeps working
  continuation header blocks in HEADERS + CONTINUATION frames, padded
               HEADERS with a priority and an empty fragment
  idle         an idle connection must be closed by the server within --idle
"""
import argparse
import hashlib
import os
import select
import signal
import socket
import ssl
import struct
import sys
import time
import traceback

import h2.config
import h2.connection
import h2.errors
import h2.events
import h2.exceptions
import h2.settings
import hpack

ERR = h2.errors.ErrorCodes


class Failure(Exception):
    pass


def check(cond, msg):
    if not cond:
        raise Failure(msg)


def pattern(offset, length):
    """Bytes [offset, offset+length) of the /size/N pattern: 'a' + i % 26."""
    alphabet = bytes(range(ord("a"), ord("a") + 26))
    start = offset % 26
    reps = (start + length) // 26 + 1
    return (alphabet * reps)[start:start + length]


def test_bytes(size, seed):
    """Deterministic incompressible-looking bytes for uploads."""
    out = bytearray()
    block = hashlib.sha256(b"seed%d" % seed).digest()
    while len(out) < size:
        block = hashlib.sha256(block).digest()
        out += block * 64
    return bytes(out[:size])


def describe(data):
    return "%d bytes sha256 %s" % (len(data), hashlib.sha256(data).hexdigest()[:16])


class GracefulConnection(h2.connection.H2Connection):
    """h2 treats every GOAWAY as the end of the connection and rejects the
    frames that follow; RFC 9113 section 6.8 lets the streams up to the last
    stream id finish, which the shutdown scenario checks."""

    def _receive_goaway_frame(self, frame):
        state = self.state_machine.state
        frames, events = super()._receive_goaway_frame(frame)
        if frame.error_code == 0:
            self.state_machine.state = state
        return frames, events


class Stream:
    def __init__(self, sid, method, path):
        self.sid, self.method, self.path = sid, method, path
        self.status = None
        self.headers = {}
        self.body = bytearray()
        self.trailers = None
        self.ended = False
        self.reset_code = None
        self.upload = b""
        self.upload_sent = 0
        self.upload_done = True
        self.unacked = 0


class Client:
    def __init__(self, args, settings=None, ack="immediate"):
        self.args = args
        self.ack = ack  # "immediate", "burst" (once per --burst bytes) or "hold"
        self.sock = socket.create_connection(("127.0.0.1", args.port), timeout=10)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if args.tls:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
            ctx.set_alpn_protocols(["h2"])
            self.sock = ctx.wrap_socket(self.sock, server_hostname="localhost")
            check(self.sock.selected_alpn_protocol() == "h2",
                  "ALPN selected %r, not h2" % self.sock.selected_alpn_protocol())
        cfg = h2.config.H2Configuration(client_side=True, header_encoding="utf-8")
        self.h2 = GracefulConnection(config=cfg)
        self.h2.initiate_connection()
        if settings:
            self.h2.update_settings(settings)
        self.streams = {}
        self.goaway = None
        self.closed = False
        self.remote_settings_seen = False
        self.settings_acked = False
        self.pings = []
        self.flush()

    def flush(self):
        data = self.h2.data_to_send()
        if data:
            self.sock.sendall(data)

    def request(self, method, path, body=None, headers=()):
        sid = self.h2.get_next_available_stream_id()
        hdrs = [(":method", method), (":scheme", "https" if self.args.tls else "http"),
                (":authority", "127.0.0.1:%d" % self.args.port), (":path", path)]
        hdrs += list(headers)
        if body is not None:
            hdrs.append(("content-length", str(len(body))))
        self.h2.send_headers(sid, hdrs, end_stream=body is None)
        st = Stream(sid, method, path)
        if body is not None:
            st.upload, st.upload_done = body, False
        self.streams[sid] = st
        self.flush()
        return st

    def pump_uploads(self):
        for st in self.streams.values():
            while not st.upload_done and st.reset_code is None and not self.closed:
                room = min(self.h2.local_flow_control_window(st.sid), self.h2.max_outbound_frame_size)
                left = len(st.upload) - st.upload_sent
                n = min(room, left)
                if n <= 0 and left > 0:
                    break
                chunk = st.upload[st.upload_sent:st.upload_sent + n]
                st.upload_sent += n
                end = st.upload_sent == len(st.upload)
                self.h2.send_data(st.sid, chunk, end_stream=end)
                if end:
                    st.upload_done = True
        self.flush()

    def acknowledge(self, st, flow_len, force=False):
        st.unacked += flow_len
        if self.ack == "hold" and not force:
            return
        if self.ack == "burst" and not force and st.unacked < self.args.burst:
            return
        if st.unacked:
            self.give_back(st, st.unacked)
            st.unacked = 0

    def give_back(self, st, n):
        """WINDOW_UPDATEs for n bytes, by hand rather than through h2's
        acknowledge_received_data: its policy can withhold updates for good
        after SETTINGS_INITIAL_WINDOW_SIZE changes with data in flight."""
        self.h2.increment_flow_control_window(n)
        if not (st.ended or st.reset_code is not None):
            try:
                self.h2.increment_flow_control_window(n, stream_id=st.sid)
            except (h2.exceptions.StreamClosedError, h2.exceptions.NoSuchStreamError):
                pass

    def release_all(self):
        """Acknowledges everything held back so far."""
        for st in self.streams.values():
            self.acknowledge(st, 0, force=True)
        self.flush()

    def handle(self, ev):
        st = self.streams.get(getattr(ev, "stream_id", None) or 0)
        if isinstance(ev, h2.events.ResponseReceived):
            st.headers = dict(ev.headers)
            st.status = st.headers.get(":status")
        elif isinstance(ev, h2.events.DataReceived):
            check(st is not None, "DATA on unknown stream %d" % ev.stream_id)
            st.body += ev.data
            self.acknowledge(st, ev.flow_controlled_length)
        elif isinstance(ev, h2.events.TrailersReceived):
            st.trailers = dict(ev.headers)
        elif isinstance(ev, h2.events.StreamEnded):
            st.ended = True
            if st.unacked and self.ack != "hold":
                self.acknowledge(st, 0, force=True)
        elif isinstance(ev, h2.events.StreamReset):
            if st is not None:
                st.reset_code = ev.error_code
                if st.unacked and self.ack != "hold":
                    self.acknowledge(st, 0, force=True)
        elif isinstance(ev, h2.events.ConnectionTerminated):
            self.goaway = ev
        elif isinstance(ev, h2.events.RemoteSettingsChanged):
            self.remote_settings_seen = True
        elif isinstance(ev, h2.events.SettingsAcknowledged):
            self.settings_acked = True
        elif isinstance(ev, h2.events.PingAckReceived):
            self.pings.append(ev.ping_data)

    def step(self, timeout):
        """Reads once (up to timeout seconds) and handles what came."""
        self.pump_uploads()
        pending = isinstance(self.sock, ssl.SSLSocket) and self.sock.pending()
        if not pending:
            ready, _, _ = select.select([self.sock], [], [], timeout)
            if not ready:
                return False
        try:
            data = self.sock.recv(65536)
        except ConnectionResetError:
            data = b""
        if not data:
            self.closed = True
            return True
        for ev in self.h2.receive_data(data):
            self.handle(ev)
        self.pump_uploads()
        return True

    def run_until(self, done, what, timeout=None):
        deadline = time.monotonic() + (timeout or self.args.timeout)
        while not done():
            check(not self.closed, "connection closed by the server while waiting for %s%s"
                  % (what, self.goaway_text()))
            left = deadline - time.monotonic()
            check(left > 0, "timed out waiting for %s%s" % (what, self.goaway_text()))
            self.step(min(left, 0.5))

    def goaway_text(self):
        if self.goaway is None:
            return ""
        return " (GOAWAY %s, last stream %s)" % (self.goaway.error_code, self.goaway.last_stream_id)

    def finished(self, streams):
        return all(s.ended or s.reset_code is not None for s in streams)

    def close(self):
        try:
            self.h2.close_connection()
            self.flush()
        except (h2.exceptions.ProtocolError, OSError):
            pass
        self.sock.close()


def expected_body(args, path):
    if path.startswith("/size/"):
        return pattern(0, int(path[6:]))
    with open(os.path.join(args.root, path.lstrip("/")), "rb") as f:
        return f.read()


def check_complete(st, status="200", body=None):
    tag = "%s %s (stream %d)" % (st.method, st.path, st.sid)
    check(st.reset_code is None, "%s: reset with %s" % (tag, st.reset_code))
    check(st.ended, "%s: response never ended" % tag)
    check(st.status == status, "%s: status %s, expected %s" % (tag, st.status, status))
    if "content-length" in st.headers:
        check(int(st.headers["content-length"]) == len(st.body),
              "%s: content-length %s but %d body bytes" % (tag, st.headers["content-length"], len(st.body)))
    if body is not None:
        check(bytes(st.body) == body, "%s: body differs: got %s, expected %s"
              % (tag, describe(bytes(st.body)), describe(body)))


def get_paths(args):
    paths = ["/size/%d" % n for n in (0, 1, 100, 16383, 16384, 16385, 65535, 65536, 300000, 1000003)]
    if args.root:
        for name in sorted(os.listdir(args.root)):
            if os.path.isfile(os.path.join(args.root, name)):
                paths.append("/" + name)
    return paths


def open_limited(c, items):
    """Opens the requests, never more at once than the server allows, and
    waits for all of them; returns the streams in order."""
    queue = list(items)
    streams = []
    deadline = time.monotonic() + c.args.timeout
    while True:
        while queue and c.h2.open_outbound_streams < c.h2.remote_settings.max_concurrent_streams:
            method, path, body, headers = queue.pop(0)
            streams.append(c.request(method, path, body, headers))
        if not queue and c.finished(streams):
            return streams
        unfinished = sum(1 for s in streams if not (s.ended or s.reset_code is not None))
        check(not c.closed, "connection closed by the server with %d requests unsent and %d unfinished%s"
              % (len(queue), unfinished, c.goaway_text()))
        check(time.monotonic() < deadline, "timed out with %d requests unsent and %d unfinished%s"
              % (len(queue), unfinished, c.goaway_text()))
        c.step(0.5)


def scenario_concurrent(args):
    c = Client(args)
    c.run_until(lambda: c.remote_settings_seen, "the server's SETTINGS")
    paths = get_paths(args)
    streams = open_limited(c, [("GET", p, None, ()) for p in paths])
    for st in streams:
        check_complete(st, body=expected_body(args, st.path))
    c.close()
    return "%d concurrent GETs, bodies identical" % len(streams)


def scenario_post(args):
    c = Client(args)
    body = test_bytes(args.size, 1)
    st = c.request("POST", "/echo", body, [("content-type", "application/x-interop")])
    c.run_until(lambda: c.finished([st]), "the echo")
    check_complete(st, body=body)
    check(st.headers.get("content-type") == "application/x-interop",
          "content-type not echoed: %r" % st.headers.get("content-type"))
    c.close()
    return "POST of %d bytes echoed identically" % len(body)


def check_trailers(st):
    check_complete(st)
    check(len(st.body) > 0, "GET /trailers: empty body")
    check(st.trailers is not None, "GET /trailers: no trailers received")
    check(st.trailers.get("x-checksum") == "ok", "GET /trailers: trailers %r" % st.trailers)


def scenario_trailers(args):
    c = Client(args)
    st = c.request("GET", "/trailers")
    c.run_until(lambda: c.finished([st]), "/trailers")
    check_trailers(st)
    c.close()
    return "trailers %r after %d body bytes" % (st.trailers, len(st.body))


def check_reset(st):
    check(st.reset_code is not None, "GET /reset: no RST_STREAM (status %s, ended %s)" % (st.status, st.ended))
    check(st.reset_code == ERR.CANCEL, "GET /reset: RST_STREAM with %s, expected CANCEL" % st.reset_code)


def scenario_reset(args):
    c = Client(args)
    st = c.request("GET", "/reset")
    c.run_until(lambda: c.finished([st]), "/reset")
    check_reset(st)
    after = c.request("GET", "/size/5000")
    c.run_until(lambda: c.finished([after]), "a GET after the reset")
    check_complete(after, body=pattern(0, 5000))
    c.close()
    return "RST_STREAM(CANCEL) received; connection still serves"


def scenario_mixed(args):
    c = Client(args)
    c.run_until(lambda: c.remote_settings_seen, "the server's SETTINGS")
    body = test_bytes(args.size, 2)
    items = [("POST", "/upload", body, [("content-type", "text/plain")]),
             ("GET", "/trailers", None, ()), ("GET", "/reset", None, ())]
    items += [("GET", p, None, ()) for p in get_paths(args)]
    streams = open_limited(c, items)
    check_complete(streams[0], body=body)
    check_trailers(streams[1])
    check_reset(streams[2])
    for st in streams[3:]:
        check_complete(st, body=expected_body(args, st.path))
    c.close()
    return "%d streams at once: echo, trailers, reset and GETs all right" % len(streams)


def scenario_flow(args):
    # 4 KiB stream windows; the updates go out only after --burst bytes,
    # so the server must stop at the window and resume on our update.
    settings = {h2.settings.SettingCodes.INITIAL_WINDOW_SIZE: 4096}
    c = Client(args, settings=settings, ack="burst")
    c.run_until(lambda: c.settings_acked, "the SETTINGS ACK")
    body = test_bytes(args.size, 3)
    paths = ["/size/%d" % args.size, "/size/100000"]
    streams = [c.request("GET", p) for p in paths]
    streams.append(c.request("POST", "/flow", body))
    c.run_until(lambda: c.finished(streams), "the downloads", timeout=args.timeout)
    for st in streams[:2]:
        check_complete(st, body=expected_body(args, st.path))
    check_complete(streams[2], body=body)
    c.close()
    return "downloads and an upload through 4 KiB windows, acknowledged every %d bytes" % args.burst


def scenario_window_shrink(args):
    c = Client(args, ack="immediate")
    c.run_until(lambda: c.settings_acked, "the SETTINGS ACK")
    size = args.size
    st = c.request("GET", "/size/%d" % size)
    c.run_until(lambda: len(st.body) > 0 or c.finished([st]), "the first DATA")
    check(not st.ended, "the download (%d bytes) ended before the window could shrink; use a larger --size" % size)
    # From now on every byte is held back, then the stream window is set to 0.
    c.ack = "hold"
    c.settings_acked = False
    c.h2.update_settings({h2.settings.SettingCodes.INITIAL_WINDOW_SIZE: 0})
    c.flush()
    c.run_until(lambda: c.settings_acked, "the SETTINGS ACK for window 0")
    # Whatever was in flight before the ACK has arrived by now; the window is
    # spent, so nothing may follow (h2 raises if something does).
    got = len(st.body)
    deadline = time.monotonic() + 0.5
    while time.monotonic() < deadline:
        c.step(0.1)
    check(not c.closed, "connection closed while the window was 0%s" % c.goaway_text())
    check(len(st.body) == got, "server sent %d bytes after the window fell to 0" % (len(st.body) - got))
    check(not st.ended, "stream ended while its window was 0")
    c.settings_acked = False
    c.ack = "immediate"
    c.h2.update_settings({h2.settings.SettingCodes.INITIAL_WINDOW_SIZE: 65535})
    c.release_all()
    c.run_until(lambda: c.finished([st]), "the rest of the download")
    check_complete(st, body=pattern(0, size))
    c.close()
    return "download paused at window 0 after %d bytes and finished after the window reopened" % got


def scenario_shutdown(args):
    check(args.pid and args.pid > 1, "shutdown needs the --pid of the server")
    c = Client(args, ack="hold")
    size = args.size
    st = c.request("GET", "/size/%d" % size)
    # Our window (64 KiB) fills and stays full: the download is in progress.
    c.run_until(lambda: len(st.body) >= 16384 or c.finished([st]), "the first DATA")
    check(not st.ended, "download of %d bytes ended before SIGTERM; use a larger --size" % size)
    os.kill(args.pid, signal.SIGTERM)
    c.run_until(lambda: c.goaway is not None, "GOAWAY after SIGTERM", timeout=5)
    check(c.goaway.error_code == ERR.NO_ERROR, "GOAWAY with %s, expected NO_ERROR" % c.goaway.error_code)
    check(c.goaway.last_stream_id >= st.sid,
          "GOAWAY last stream %d excludes our stream %d" % (c.goaway.last_stream_id, st.sid))
    got_at_goaway = len(st.body)
    c.ack = "immediate"
    c.release_all()
    c.run_until(lambda: c.finished([st]), "the rest of the download after GOAWAY")
    check_complete(st, body=pattern(0, size))
    deadline = time.monotonic() + 5
    while not c.closed and time.monotonic() < deadline:
        c.step(0.2)
    check(c.closed, "server kept the connection open 5 s after the last stream finished")
    return ("GOAWAY(NO_ERROR, last stream %d) after %d of %d bytes; download finished; connection closed"
            % (c.goaway.last_stream_id, got_at_goaway, size))


def frame(ftype, flags, sid, payload):
    return struct.pack(">I", len(payload))[1:] + bytes([ftype, flags]) + struct.pack(">I", sid) + payload


BAD_PEERS = [
    # (what, raw bytes sent after a good handshake, expected GOAWAY codes)
    ("DATA on stream 0", lambda c: frame(0x0, 0x0, 0, b"x"), {ERR.PROTOCOL_ERROR}),
    ("PING over SETTINGS_MAX_FRAME_SIZE", lambda c: frame(0x6, 0x0, 0, b"\0" * 20000), {ERR.FRAME_SIZE_ERROR}),
    ("SETTINGS with a length not a multiple of 6", lambda c: frame(0x4, 0x0, 0, b"\0\0\0"), {ERR.FRAME_SIZE_ERROR}),
    ("connection window over 2^31-1", lambda c: frame(0x8, 0x0, 0, struct.pack(">I", 0x7FFFFFFF)),
     {ERR.FLOW_CONTROL_ERROR}),
    ("invalid HPACK (index 0)", lambda c: frame(0x1, 0x5, 1, b"\x80"), {ERR.COMPRESSION_ERROR}),
    ("PING with 7 bytes", lambda c: frame(0x6, 0x0, 0, b"\0" * 7), {ERR.FRAME_SIZE_ERROR}),
    ("CONTINUATION without HEADERS", lambda c: frame(0x9, 0x4, 1, b"\x82"), {ERR.PROTOCOL_ERROR}),
    ("SETTINGS_ENABLE_PUSH = 2", lambda c: frame(0x4, 0x0, 0, struct.pack(">HI", 2, 2)), {ERR.PROTOCOL_ERROR}),
    ("SETTINGS_INITIAL_WINDOW_SIZE = 2^31", lambda c: frame(0x4, 0x0, 0, struct.pack(">HI", 4, 1 << 31)),
     {ERR.FLOW_CONTROL_ERROR}),
    ("SETTINGS_MAX_FRAME_SIZE = 16383", lambda c: frame(0x4, 0x0, 0, struct.pack(">HI", 5, 16383)),
     {ERR.PROTOCOL_ERROR}),
    ("PING inside a header block", lambda c: frame(0x1, 0x1, 1, b"\x82") + frame(0x6, 0x0, 0, b"\0" * 8),
     {ERR.PROTOCOL_ERROR}),
    ("CONTINUATION on another stream", lambda c: frame(0x1, 0x1, 1, b"\x82") + frame(0x9, 0x4, 3, b"\x86"),
     {ERR.PROTOCOL_ERROR}),
    ("HEADERS on an even stream id", lambda c: frame(0x1, 0x5, 2, b"\x82\x86\x84\x41\x01a"),
     {ERR.PROTOCOL_ERROR}),
]


def read_goaway(sock, timeout):
    """Reads raw frames until GOAWAY or EOF; returns (code, last_stream) or None."""
    buf = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        while len(buf) >= 9:
            length = int.from_bytes(buf[:3], "big")
            if len(buf) < 9 + length:
                break
            ftype, payload = buf[3], buf[9:9 + length]
            buf = buf[9 + length:]
            if ftype == 0x7:
                return (int.from_bytes(payload[4:8], "big"),
                        int.from_bytes(payload[0:4], "big") & 0x7FFFFFFF)
        ready, _, _ = select.select([sock], [], [], 0.2)
        if ready:
            try:
                data = sock.recv(65536)
            except ConnectionResetError:
                return None
            if not data:
                return None
            buf += data
    return None


def scenario_bad_peer(args):
    results = []
    for what, make, codes in BAD_PEERS:
        sock = socket.create_connection(("127.0.0.1", args.port), timeout=10)
        preface = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + frame(0x4, 0, 0, b"")
        sock.sendall(preface + make(None))
        got = read_goaway(sock, 5)
        sock.close()
        check(got is not None, "%s: connection closed or timed out without GOAWAY" % what)
        code = got[0]
        names = "/".join(ERR(c).name for c in codes)
        check(code in codes, "%s: GOAWAY with %s, expected %s"
              % (what, ERR(code).name if code in ERR._value2member_map_ else code, names))
        results.append("%s -> %s" % (what, ERR(code).name))
    # Not HTTP/2 at all: the connection must be closed (a GOAWAY is optional).
    sock = socket.create_connection(("127.0.0.1", args.port), timeout=10)
    sock.sendall(b"PRI * HTTP/2.0\r\n\r\nXX\r\n\r\n" + b"\0" * 64)
    read_goaway(sock, 5)
    sock.settimeout(5)
    try:
        closed = sock.recv(65536) == b""
    except ConnectionResetError:
        closed = True
    except socket.timeout:
        closed = False
    check(closed, "bad preface: connection still open after 5 s")
    sock.close()
    c = Client(args)
    st = c.request("GET", "/size/1000")
    c.run_until(lambda: c.finished([st]), "a good GET after the bad peers")
    check_complete(st, body=pattern(0, 1000))
    c.close()
    return "; ".join(results) + "; bad preface closed; server still serves"


def scenario_extensions(args):
    """What RFC 9113 says to ignore or answer must not disturb the connection."""
    c = Client(args)
    c.run_until(lambda: c.remote_settings_seen, "the server's SETTINGS")
    # Unknown frame types and an unknown setting are ignored (RFC 9113
    # sections 4.1, 5.5, 6.5.2); PRIORITY, deprecated, is still a valid frame
    # on an idle stream (section 5.1), here the one opened next.
    c.sock.sendall(frame(0xFA, 0xFF, 0, b"ignore me") + frame(0xFB, 0x0, 0, b"\0" * 100) +
                   frame(0x4, 0x0, 0, struct.pack(">HI", 0x7777, 12345)) +
                   frame(0x2, 0x0, 1, struct.pack(">IB", 0, 15)))
    c.h2.ping(b"interop!")
    c.flush()
    streams = [c.request("GET", "/size/70000"), c.request("GET", "/size/10")]
    c.run_until(lambda: c.finished(streams) and c.pings, "responses and the PING ACK")
    for st in streams:
        check_complete(st, body=expected_body(args, st.path))
    check(c.pings == [b"interop!"], "PING ACK payloads %r" % c.pings)
    c.close()
    return "unknown frames and settings ignored, PRIORITY accepted, PING answered"


class RawConnection:
    """HTTP/2 by hand, for frame layouts h2 never produces."""

    def __init__(self, args):
        self.sock = socket.create_connection(("127.0.0.1", args.port), timeout=10)
        self.sock.sendall(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + frame(0x4, 0, 0, b""))
        self.buf = b""
        self.decoder = hpack.Decoder()
        self.encoder = hpack.Encoder()

    def next_frame(self, deadline):
        while True:
            if len(self.buf) >= 9:
                length = int.from_bytes(self.buf[:3], "big")
                if len(self.buf) >= 9 + length:
                    ftype, flags = self.buf[3], self.buf[4]
                    sid = int.from_bytes(self.buf[5:9], "big") & 0x7FFFFFFF
                    payload = self.buf[9:9 + length]
                    self.buf = self.buf[9 + length:]
                    if ftype == 0x4 and not flags & 0x1:
                        self.sock.sendall(frame(0x4, 0x1, 0, b""))  # ACK their SETTINGS
                    return ftype, flags, sid, payload
            left = deadline - time.monotonic()
            check(left > 0, "timed out waiting for the server's frames")
            ready, _, _ = select.select([self.sock], [], [], left)
            if ready:
                data = self.sock.recv(65536)
                check(data, "server closed the connection")
                self.buf += data

    def responses(self, sids, timeout=10):
        """Reads until every stream in sids has ended; returns
        {sid: (headers dict, body)}. Fails on RST_STREAM or GOAWAY."""
        out = {sid: [None, bytearray(), b""] for sid in sids}
        done = set()
        deadline = time.monotonic() + timeout
        while done != set(sids):
            ftype, flags, sid, payload = self.next_frame(deadline)
            if ftype == 0x7:
                raise Failure("GOAWAY %s: %r" % (ERR(int.from_bytes(payload[4:8], "big")).name, payload[8:]))
            if ftype == 0x3:
                raise Failure("RST_STREAM %s on stream %d" % (ERR(int.from_bytes(payload, "big")).name, sid))
            if sid not in out:
                continue
            if ftype in (0x1, 0x9):
                if ftype == 0x1:
                    if flags & 0x8:  # PADDED
                        payload = payload[1:len(payload) - payload[0]]
                    if flags & 0x20:  # PRIORITY
                        payload = payload[5:]
                out[sid][2] += payload
                if flags & 0x4:  # END_HEADERS
                    out[sid][0] = dict((k.decode(), v.decode()) for k, v in
                                       self.decoder.decode(out[sid][2], raw=True))
                    out[sid][2] = b""
            elif ftype == 0x0:
                if payload:  # every byte, padding included, back to both windows
                    update = frame(0x8, 0, 0, struct.pack(">I", len(payload)))
                    if not flags & 0x1:
                        update += frame(0x8, 0, sid, struct.pack(">I", len(payload)))
                    self.sock.sendall(update)
                if flags & 0x8:
                    payload = payload[1:len(payload) - payload[0]]
                out[sid][1] += payload
            if ftype in (0x0, 0x1) and flags & 0x1:
                done.add(sid)
        return {sid: (v[0], bytes(v[1])) for sid, v in out.items()}

    def block(self, port, path, filler):
        return self.encoder.encode([(":method", "GET"), (":scheme", "http"),
                                    (":authority", "127.0.0.1:%d" % port), (":path", path),
                                    ("x-filler", filler)])


def scenario_continuation(args):
    """Header blocks split over CONTINUATION frames, and HEADERS padded and
    with a priority, as RFC 9113 sections 6.2 and 6.10 allow."""
    c = RawConnection(args)
    b1 = c.block(args.port, "/size/30000", "y" * 3000)
    third = len(b1) // 3
    b3 = c.block(args.port, "/size/40000", "z" * 100)
    c.sock.sendall(frame(0x1, 0x1, 1, b1[:third]) +                  # END_STREAM
                   frame(0x9, 0x0, 1, b1[third:2 * third]) +
                   frame(0x9, 0x4, 1, b1[2 * third:]) +             # END_HEADERS
                   frame(0x1, 0x1 | 0x8 | 0x20, 3,                   # PADDED, PRIORITY, no fragment
                         bytes([10]) + struct.pack(">IB", 0, 200) + b"\0" * 10) +
                   frame(0x9, 0x4, 3, b3))
    got = c.responses([1, 3])
    for sid, size in ((1, 30000), (3, 40000)):
        headers, body = got[sid]
        check(headers is not None and headers.get(":status") == "200",
              "stream %d: response headers %r" % (sid, headers))
        check(body == pattern(0, size), "stream %d: body %s, expected %s"
              % (sid, describe(body), describe(pattern(0, size))))
    c.sock.close()
    return ("HEADERS + 2 CONTINUATION (%d-byte block) and padded HEADERS with priority + CONTINUATION: both served"
            % len(b1))


def scenario_idle(args):
    c = Client(args)
    c.run_until(lambda: c.settings_acked, "the SETTINGS ACK")
    start = time.monotonic()
    limit = args.idle + 3
    while not c.closed and time.monotonic() - start < limit:
        c.step(0.2)
    took = time.monotonic() - start
    check(c.closed, "idle connection still open %.1f s after the handshake (--idle-timeout %s)" % (took, args.idle))
    check(took >= args.idle - 0.5, "idle connection closed after %.1f s, before --idle-timeout %s" % (took, args.idle))
    return "idle connection closed after %.1f s%s" % (took, c.goaway_text())


SCENARIOS = {
    "concurrent": scenario_concurrent, "post": scenario_post, "trailers": scenario_trailers,
    "reset": scenario_reset, "mixed": scenario_mixed, "flow": scenario_flow,
    "window-shrink": scenario_window_shrink, "shutdown": scenario_shutdown,
    "bad-peer": scenario_bad_peer, "extensions": scenario_extensions,
    "continuation": scenario_continuation, "idle": scenario_idle,
}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("scenario", choices=sorted(SCENARIOS))
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--tls", action="store_true", help="TLS with ALPN h2 (certificate not checked)")
    ap.add_argument("--root", help="directory the server serves, to compare files")
    ap.add_argument("--size", type=int, default=3 * 1024 * 1024 + 7, help="body size for uploads and downloads")
    ap.add_argument("--burst", type=int, default=3000, help="bytes between our WINDOW_UPDATEs (flow)")
    ap.add_argument("--pid", type=int, help="server process to signal (shutdown)")
    ap.add_argument("--idle", type=float, default=2, help="the server's idle timeout (idle)")
    ap.add_argument("--timeout", type=float, default=30)
    args = ap.parse_args()
    try:
        result = SCENARIOS[args.scenario](args)
    except Failure as exc:
        print("FAIL: py_client %s: %s" % (args.scenario, exc), file=sys.stderr)
        sys.exit(1)
    except h2.exceptions.ProtocolError as exc:
        print("FAIL: py_client %s: h2 rejected the server's frames: %r" % (args.scenario, exc), file=sys.stderr)
        sys.exit(1)
    except (OSError, ssl.SSLError) as exc:
        print("FAIL: py_client %s: %r" % (args.scenario, exc), file=sys.stderr)
        sys.exit(1)
    except Exception as exc:  # a bug here must still read as a failure
        traceback.print_exc()
        print("FAIL: py_client %s: %r" % (args.scenario, exc), file=sys.stderr)
        sys.exit(1)
    print("ok: py_client %s: %s" % (args.scenario, result))


if __name__ == "__main__":
    main()
