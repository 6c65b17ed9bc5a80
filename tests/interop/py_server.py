#!/usr/bin/python3
"""HTTP/2 server on Python's h2 package: the peer h2_client meets in the
interoperability tests, a second implementation of the routes h2_server serves:

  GET/HEAD /size/N    N bytes of the pattern byte i = 'a' + i % 26
  GET/HEAD /FILE      the file under --root (404 when missing)
  POST/PUT any path   the request body echoed back as it arrives
  GET /trailers       a short body, then the trailer `x-checksum: ok`
  GET /reset          RST_STREAM(CANCEL)

The options decide what the client has to cope with: a small receive window
for its uploads (--window), DATA frames cut small (--chunk) and padded (--pad),
few concurrent streams (--max-streams). h2 itself raises when the client breaks
a rule (window overrun, too many streams, bad HPACK); such a connection is
logged as `peer error` on stderr and the process exits 1 when stopped.

--rate caps the bytes per second each connection sends, to keep a download
in progress long enough to interrupt it.

SIGTERM/SIGINT: graceful shutdown. The listener closes, every connection gets
GOAWAY(NO_ERROR) naming the last stream it began, those streams finish, then
the process exits (0, or 1 when a peer broke a rule).
"""
import argparse
import mimetypes
import os
import selectors
import signal
import socket
import ssl
import sys
import time

import h2.config
import h2.connection
import h2.errors
import h2.events
import h2.exceptions
import h2.settings

TRAILERS_BODY = b"body before the trailers\n"


def pattern(offset, length):
    """Bytes [offset, offset+length) of the /size/N pattern."""
    alphabet = bytes(range(ord("a"), ord("a") + 26))
    start = offset % 26
    reps = (start + length) // 26 + 1
    return (alphabet * reps)[start:start + length]


class PatternSource:
    def __init__(self, size):
        self.size, self.sent = size, 0

    def read(self, limit):
        n = min(limit, self.size - self.sent)
        chunk = pattern(self.sent, n)
        self.sent += n
        return chunk

    def finished(self):
        return self.sent == self.size


class BytesSource(PatternSource):
    def __init__(self, data):
        super().__init__(len(data))
        self.data = data

    def read(self, limit):
        chunk = self.data[self.sent:self.sent + limit]
        self.sent += len(chunk)
        return chunk


class FileSource(PatternSource):
    def __init__(self, path):
        super().__init__(os.path.getsize(path))
        self.file = open(path, "rb")

    def read(self, limit):
        chunk = self.file.read(min(limit, self.size - self.sent))
        self.sent += len(chunk)
        if self.finished():
            self.file.close()
        return chunk


class EchoSource:
    """The request body, handed back as it arrives. The receive window is
    reopened only once a piece has gone out, so a fast uploader is held back
    by our window rather than by our memory."""

    def __init__(self, conn, stream_id):
        self.conn, self.stream_id = conn, stream_id
        self.pieces = []  # [data, flow-controlled length]
        self.request_ended = False
        self.received = 0

    def add(self, data, flow_len):
        self.pieces.append([data, flow_len])
        self.received += len(data)

    def read(self, limit):
        out = b""
        while self.pieces and len(out) < limit:
            piece = self.pieces[0]
            take = piece[0][:limit - len(out)]
            out += take
            piece[0] = piece[0][len(take):]
            if not piece[0]:
                self.pieces.pop(0)
                self.conn.acknowledge(self.stream_id, piece[1])
        return out

    def finished(self):
        return self.request_ended and not self.pieces


class Response:
    def __init__(self, stream_id, source, trailers=None):
        self.stream_id, self.source, self.trailers = stream_id, source, trailers


class Connection:
    def __init__(self, server, sock, name):
        self.server, self.sock, self.name = server, sock, name
        self.opts = server.opts
        cfg = h2.config.H2Configuration(client_side=False, header_encoding="utf-8")
        self.h2 = h2.connection.H2Connection(config=cfg)
        self.h2.initiate_connection()
        # Sent as a second SETTINGS frame: h2 applies these only once the
        # client acknowledges them, as RFC 9113 section 6.5.3 allows the
        # client to act on the defaults until then.
        settings = {h2.settings.SettingCodes.MAX_CONCURRENT_STREAMS: self.opts.max_streams}
        if self.opts.window is not None:
            settings[h2.settings.SettingCodes.INITIAL_WINDOW_SIZE] = self.opts.window
        self.h2.update_settings(settings)
        self.out = bytearray()
        self.responses = {}
        self.echoes = {}
        self.closing = False
        self.failed = False
        self.goaway_last = None
        self.tokens = float(self.opts.rate)
        self.refilled = time.monotonic()

    def log(self, msg):
        if self.opts.verbose:
            print("py_server %s: %s" % (self.name, msg), file=sys.stderr, flush=True)

    def acknowledge(self, stream_id, flow_len):
        """Gives flow_len bytes back to the client's windows. By hand, not
        through h2's acknowledge_received_data: its policy can withhold the
        updates for good when SETTINGS_INITIAL_WINDOW_SIZE shrinks while the
        client's data is in flight, which would stall a correct client."""
        if flow_len <= 0:
            return
        self.h2.increment_flow_control_window(flow_len)
        try:
            self.h2.increment_flow_control_window(flow_len, stream_id=stream_id)
        except (h2.exceptions.StreamClosedError, h2.exceptions.NoSuchStreamError):
            pass  # the stream is over; only the connection window matters now

    def received(self, data):
        try:
            events = self.h2.receive_data(data)
        except h2.exceptions.ProtocolError as exc:
            print("py_server %s: peer error: %r" % (self.name, exc), file=sys.stderr, flush=True)
            self.failed = True
            self.server.peer_errors += 1
            self.out += self.h2.data_to_send()
            self.closing = True
            return
        for event in events:
            self.handle(event)

    def handle(self, event):
        if isinstance(event, h2.events.RequestReceived):
            self.request(event.stream_id, dict(event.headers), event.stream_ended is not None)
        elif isinstance(event, h2.events.DataReceived):
            echo = self.echoes.get(event.stream_id)
            if echo is not None:
                echo.add(event.data, event.flow_controlled_length)
            else:
                self.acknowledge(event.stream_id, event.flow_controlled_length)
        elif isinstance(event, h2.events.StreamEnded):
            echo = self.echoes.get(event.stream_id)
            if echo is not None:
                echo.request_ended = True
                self.log("stream %d: request body %d bytes" % (event.stream_id, echo.received))
        elif isinstance(event, h2.events.StreamReset):
            self.log("stream %d: reset by client, code %s" % (event.stream_id, event.error_code))
            self.drop(event.stream_id)
        elif isinstance(event, h2.events.ConnectionTerminated):
            self.log("GOAWAY from client, code %s" % event.error_code)
            self.closing = True

    def drop(self, stream_id):
        self.responses.pop(stream_id, None)
        echo = self.echoes.pop(stream_id, None)
        if echo is not None:
            for piece in echo.pieces:
                self.acknowledge(stream_id, piece[1])

    def request(self, stream_id, headers, ended):
        method, path = headers.get(":method"), headers.get(":path", "")
        self.log("stream %d: %s %s" % (stream_id, method, path))
        if self.goaway_last is not None and stream_id > self.goaway_last:
            self.h2.reset_stream(stream_id, error_code=h2.errors.ErrorCodes.REFUSED_STREAM)
            return
        if method in ("POST", "PUT"):
            echo = EchoSource(self, stream_id)
            echo.request_ended = ended
            self.echoes[stream_id] = echo
            response = [(":status", "200")]
            if "content-type" in headers:
                response.append(("content-type", headers["content-type"]))
            self.h2.send_headers(stream_id, response)
            self.responses[stream_id] = Response(stream_id, echo)
            return
        if method not in ("GET", "HEAD"):
            self.reply_short(stream_id, "405", b"method not allowed\n", False)
            return
        if path == "/reset":
            self.h2.reset_stream(stream_id, error_code=h2.errors.ErrorCodes.CANCEL)
            return
        trailers = None
        if path == "/trailers":
            source = BytesSource(TRAILERS_BODY)
            trailers = [("x-checksum", "ok")]
            length = None
        elif path.startswith("/size/") and path[6:].isdigit():
            source = PatternSource(int(path[6:]))
            length = source.size
        else:
            rel = path.split("?")[0].lstrip("/")
            full = os.path.realpath(os.path.join(self.opts.root, rel))
            root = os.path.realpath(self.opts.root)
            if not full.startswith(root + os.sep) or not os.path.isfile(full):
                self.reply_short(stream_id, "404", b"not found\n", method == "HEAD")
                return
            source = FileSource(full)
            length = source.size
        response = [(":status", "200")]
        if isinstance(source, FileSource):
            response.append(("content-type", mimetypes.guess_type(path)[0] or "application/octet-stream"))
        if length is not None:
            response.append(("content-length", str(length)))
        if method == "HEAD" or (length == 0 and trailers is None):
            self.h2.send_headers(stream_id, response, end_stream=True)
            return
        self.h2.send_headers(stream_id, response)
        self.responses[stream_id] = Response(stream_id, source, trailers)

    def reply_short(self, stream_id, status, body, head):
        headers = [(":status", status), ("content-length", str(len(body)))]
        self.h2.send_headers(stream_id, headers, end_stream=head)
        if not head:
            self.responses[stream_id] = Response(stream_id, BytesSource(body))

    def pump(self):
        """One DATA frame per response per round, as far as the windows and
        our outbound buffer allow."""
        pad = self.opts.pad
        if self.opts.rate:
            now = time.monotonic()
            self.tokens = min(self.opts.rate, self.tokens + (now - self.refilled) * self.opts.rate)
            self.refilled = now
        progressed = True
        while progressed and len(self.out) < (1 << 20):
            progressed = False
            for stream_id, response in list(self.responses.items()):
                source = response.source
                if not source.finished():
                    room = min(self.h2.local_flow_control_window(stream_id),
                               self.h2.max_outbound_frame_size, self.opts.chunk)
                    if self.opts.rate:
                        room = min(room, int(self.tokens))
                    if pad:
                        room -= pad + 1  # padding and its length byte use the window too
                    if room <= 0:
                        continue
                    data = source.read(room)
                    if not data:
                        continue
                    kwargs = {"pad_length": pad} if pad else {}
                    self.h2.send_data(stream_id, data, **kwargs)
                    self.tokens -= len(data)
                    progressed = True
                if source.finished():
                    if response.trailers:
                        self.h2.send_headers(stream_id, response.trailers, end_stream=True)
                    else:
                        self.h2.end_stream(stream_id)
                    del self.responses[stream_id]
                    self.echoes.pop(stream_id, None)
                    progressed = True
        self.out += self.h2.data_to_send()

    def goaway(self):
        """GOAWAY(NO_ERROR) that lets the streams begun so far finish. h2
        treats any GOAWAY it sends as the end of the connection, so its state
        is put back to keep sending their DATA."""
        self.goaway_last = self.h2.highest_inbound_stream_id
        state = self.h2.state_machine.state
        self.h2.close_connection(error_code=h2.errors.ErrorCodes.NO_ERROR, last_stream_id=self.goaway_last)
        self.h2.state_machine.state = state
        self.out += self.h2.data_to_send()
        self.log("GOAWAY sent, last stream %d, %d responses in progress" % (self.goaway_last, len(self.responses)))
        if not self.responses:
            self.closing = True


class Server:
    def __init__(self, opts):
        self.opts = opts
        self.peer_errors = 0
        self.stopping = False
        self.selector = selectors.DefaultSelector()
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", opts.port))
        self.listener.listen(64)
        self.listener.setblocking(False)
        self.selector.register(self.listener, selectors.EVENT_READ, None)
        self.tls = None
        if opts.tls:
            self.tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            self.tls.load_cert_chain(opts.tls[0], opts.tls[1])
            self.tls.set_alpn_protocols(["h2"])
        self.conns = {}
        self.count = 0
        port = self.listener.getsockname()[1]
        if opts.port_file:
            tmp = opts.port_file + ".tmp"
            with open(tmp, "w") as f:
                f.write("%d\n" % port)
            os.rename(tmp, opts.port_file)
        print("listening on 127.0.0.1:%d" % port, flush=True)

    def accept(self):
        sock, addr = self.listener.accept()
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if self.tls:
            # Blocking handshake: tests connect from the same machine.
            sock.settimeout(10)
            try:
                sock = self.tls.wrap_socket(sock, server_side=True)
            except (OSError, ssl.SSLError) as exc:
                print("py_server: TLS handshake failed: %r" % exc, file=sys.stderr)
                sock.close()
                return
            if sock.selected_alpn_protocol() != "h2":
                print("py_server: client did not negotiate h2", file=sys.stderr)
                sock.close()
                return
        sock.setblocking(False)
        self.count += 1
        conn = Connection(self, sock, "conn%d" % self.count)
        conn.out += conn.h2.data_to_send()
        self.conns[sock] = conn
        self.selector.register(sock, selectors.EVENT_READ, conn)

    def close(self, conn):
        self.selector.unregister(conn.sock)
        del self.conns[conn.sock]
        conn.sock.close()

    def service(self, conn, readable):
        if readable:
            try:
                data = conn.sock.recv(65536)
            except (ssl.SSLWantReadError, BlockingIOError):
                data = None
            except OSError:
                data = b""
            if data == b"":
                self.close(conn)
                return
            if data:
                conn.received(data)
        conn.pump()
        while conn.out:
            try:
                n = conn.sock.send(conn.out)
            except (ssl.SSLWantWriteError, ssl.SSLWantReadError, BlockingIOError):
                break
            except OSError:
                self.close(conn)
                return
            del conn.out[:n]
            if len(conn.out) < (1 << 20):
                conn.pump()
        if conn.closing and not conn.out:
            self.close(conn)
            return
        events = selectors.EVENT_READ | (selectors.EVENT_WRITE if conn.out else 0)
        self.selector.modify(conn.sock, events, conn)

    def drain(self):
        self.selector.unregister(self.listener)
        self.listener.close()
        self.listener = None
        for conn in list(self.conns.values()):
            conn.goaway()
            self.service(conn, False)

    def run(self):
        deadline = None
        while self.conns or self.listener is not None:
            if self.stopping and self.listener is not None:
                self.drain()
                deadline = time.monotonic() + 30
            if deadline is not None and time.monotonic() > deadline:
                print("py_server: streams still open 30 s after GOAWAY", file=sys.stderr)
                return 1
            throttled = self.opts.rate and any(c.responses for c in self.conns.values())
            for key, mask in self.selector.select(timeout=0.01 if throttled else 0.2):
                if key.data is None:
                    if self.listener is not None:
                        self.accept()
                elif key.fileobj in self.conns:
                    self.service(key.data, mask & selectors.EVENT_READ)
            for conn in list(self.conns.values()):
                # SSL sockets may hold decrypted bytes the selector cannot see;
                # throttled responses resume as their budget refills.
                if isinstance(conn.sock, ssl.SSLSocket) and conn.sock.pending():
                    self.service(conn, True)
                elif conn.sock in self.conns and (throttled or (conn.goaway_last is not None and not conn.responses)):
                    if conn.goaway_last is not None and not conn.responses and not conn.out:
                        conn.closing = True
                    self.service(conn, False)
        return 1 if self.peer_errors else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--port-file")
    ap.add_argument("--root", default=".")
    ap.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    ap.add_argument("--window", type=int, help="our SETTINGS_INITIAL_WINDOW_SIZE")
    ap.add_argument("--chunk", type=int, default=1 << 24, help="largest DATA payload we send")
    ap.add_argument("--pad", type=int, default=0, help="padding bytes on every DATA frame")
    ap.add_argument("--max-streams", type=int, default=100)
    ap.add_argument("--rate", type=int, default=0, help="bytes per second per connection (0: no limit)")
    ap.add_argument("-v", "--verbose", action="store_true")
    opts = ap.parse_args()
    server = Server(opts)

    def stop(signum, frame):
        server.stopping = True
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    sys.exit(server.run())


if __name__ == "__main__":
    main()
