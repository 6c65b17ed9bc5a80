#!/usr/bin/env python3
"""Captures fuzz seeds from real HTTP/2 peers.

Runs nghttpd (Debian nghttp2-server) behind a small recording TCP proxy and
drives curl --http2-prior-knowledge, nghttp and h2load (nghttp2-client)
through it. Each connection's client-to-server bytes become a seed of the
server harness (corpus/server/captured-<tool>-<n>.bin), its
server-to-client bytes a seed of the client harness
(corpus/client/captured-<tool>-<n>.bin). Both harnesses take a first byte
that chooses how the input is split, and the server harness adds the
client preface itself, so the preface is cut from the recording.

With --minimize, only the captures that reach code the rest of the corpus
does not are kept (libFuzzer -merge=1 with the binaries `make fuzz-build`
leaves in build/fz/lf/bin). Run from the project root.
"""
import argparse
import hashlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
SPLIT_BYTE = b"\x3f"   # the harnesses feed the input 64 bytes at a time


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_port(port, timeout=10.0):
    end = time.time() + timeout
    while time.time() < end:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return True
        except OSError:
            time.sleep(0.05)
    return False


class RecordingProxy:
    """Forwards every accepted connection to the upstream port and keeps the
    bytes of each direction, per connection, in arrival order."""

    def __init__(self, upstream):
        self.upstream = upstream
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.connections = []   # [client_to_server bytearray, server_to_client bytearray]
        self.lock = threading.Lock()
        self.threads = []
        threading.Thread(target=self.accept_loop, daemon=True).start()

    def accept_loop(self):
        while True:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            # The proxy drops the connection the readiness probe made.
            upstream = socket.create_connection(("127.0.0.1", self.upstream))
            record = [bytearray(), bytearray()]
            with self.lock:
                self.connections.append(record)
            for src, dst, buf in ((client, upstream, record[0]), (upstream, client, record[1])):
                t = threading.Thread(target=self.pump, args=(src, dst, buf), daemon=True)
                t.start()
                self.threads.append(t)

    @staticmethod
    def pump(src, dst, buf):
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                buf += data
                dst.sendall(data)
        except OSError:
            pass
        for s in (dst, src):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def take(self):
        """The recordings so far, emptied."""
        time.sleep(0.3)   # let the pumps see the close
        with self.lock:
            out = [(bytes(a), bytes(b)) for a, b in self.connections if a or b]
            self.connections = []
        return out

    def close(self):
        self.sock.close()


def make_docroot(path):
    os.makedirs(path, exist_ok=True)
    with open(os.path.join(path, "index.html"), "w") as f:
        f.write("<html><head><link rel=\"stylesheet\" href=\"/style.css\">"
                "<script src=\"/app.js\"></script></head><body>"
                + "hello, h2 " * 200 + "</body></html>\n")
    with open(os.path.join(path, "style.css"), "w") as f:
        f.write("body { color: #333; }\n" * 40)
    with open(os.path.join(path, "app.js"), "w") as f:
        f.write("console.log('app');\n" * 20)
    with open(os.path.join(path, "empty.txt"), "w") as f:
        pass
    # Larger than the default 65535-byte window: the peers must send
    # WINDOW_UPDATEs for it.
    with open(os.path.join(path, "big.bin"), "wb") as f:
        f.write(bytes((i * 7 + i // 256) % 256 for i in range(70000)))
    with open(os.path.join(path, "upload.txt"), "w") as f:
        f.write("field=value&" * 300)


# (tool, server options, client command); {url} is the proxy's base URL,
# {root} the document root.
SCENARIOS = [
    ("curl", [], ["curl", "-s", "-o", "/dev/null", "--http2-prior-knowledge", "{url}/index.html"]),
    ("curl", [], ["curl", "-s", "-o", "/dev/null", "--http2-prior-knowledge", "{url}/big.bin"]),
    ("curl", ["--echo-upload"], ["curl", "-s", "-o", "/dev/null", "--http2-prior-knowledge",
                                  "-H", "te: trailers", "--data-binary", "@{root}/big.bin",
                                  "{url}/echo"]),
    ("curl", ["--echo-upload"], ["curl", "-s", "-o", "/dev/null", "--http2-prior-knowledge",
                                  "--data-binary", "@{root}/upload.txt", "{url}/echo"]),
    ("curl", [], ["curl", "-s", "-o", "/dev/null", "--http2-prior-knowledge",
                  "-H", "cookie: a=1; b=2; session=0123456789abcdef0123",
                  "-H", "authorization: Basic dXNlcjpwYXNz", "-H", "x-long: " + "v" * 3000,
                  "{url}/missing.html"]),
    ("curl", [], ["curl", "-s", "-o", "/dev/null", "-I", "--http2-prior-knowledge",
                  "{url}/index.html"]),
    ("nghttp", [], ["nghttp", "-n", "{url}/index.html"]),
    ("nghttp", ["-p", "/index.html=/style.css,/app.js"], ["nghttp", "-n", "-a", "{url}/index.html"]),
    ("nghttp", ["--trailer", "x-trailer: done", "-b", "30"],
     ["nghttp", "-n", "-b", "17", "-w", "14", "-W", "16", "{url}/big.bin", "{url}/empty.txt"]),
    ("nghttp", ["-c", "0"], ["nghttp", "-n", "-c", "0", "-m", "4", "{url}/style.css"]),
    ("nghttp", [], ["nghttp", "-n", "--continuation", "-H", "x-big: " + "c" * 20000,
                    "{url}/index.html"]),
    ("nghttp", ["--echo-upload"], ["nghttp", "-n", "-d", "{root}/upload.txt",
                                   "--trailer", "x-upload: end", "{url}/echo"]),
    ("nghttp", [], ["nghttp", "-n", "--no-dep", "-p", "200", "-M", "1", "{url}/index.html",
                    "{url}/style.css", "{url}/nothing"]),
    ("h2load", [], ["h2load", "-n", "12", "-c", "1", "-m", "4", "{url}/index.html"]),
    ("h2load", ["-m", "2", "-w", "15"], ["h2load", "-n", "2", "-c", "1", "-m", "2", "-w", "16",
                                          "-H", "accept-encoding: gzip", "{url}/big.bin"]),
    ("h2load", ["--echo-upload"], ["h2load", "-n", "3", "-c", "1", "-d", "{root}/upload.txt",
                                   "{url}/echo"]),
]


def run_scenarios(root):
    captures = []   # (tool, client_to_server, server_to_client)
    for tool, server_opts, client_cmd in SCENARIOS:
        port = free_port()
        server = subprocess.Popen(["nghttpd", "--no-tls", "-d", root] + server_opts + [str(port)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            if not wait_port(port):
                print("capture: nghttpd did not start", file=sys.stderr)
                continue
            proxy = RecordingProxy(port)
            url = "http://127.0.0.1:%d" % proxy.port
            cmd = [a.format(url=url, root=root) for a in client_cmd]
            try:
                subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               timeout=30)
            except (subprocess.TimeoutExpired, FileNotFoundError) as e:
                print("capture: %s: %s" % (cmd[0], e), file=sys.stderr)
            for c2s, s2c in proxy.take():
                if c2s.startswith(PREFACE):
                    captures.append((tool, c2s, s2c))
            proxy.close()
        finally:
            server.terminate()
            server.wait()
    return captures


def write_captures(captures):
    counts = {}
    written = []
    for tool, c2s, s2c in captures:
        n = counts.get(tool, 0) + 1
        counts[tool] = n
        name = "captured-%s-%d.bin" % (tool, n)
        for harness, data in (("server", c2s[len(PREFACE):]), ("client", s2c)):
            path = os.path.join("corpus", harness, name)
            with open(path, "wb") as f:
                f.write(SPLIT_BYTE + data)
            written.append((harness, path))
    return written


def minimize(written, bindir):
    """Keeps the captures that add coverage to the rest of their corpus."""
    for harness in ("server", "client"):
        binary = os.path.join(bindir, harness)
        if not os.path.exists(binary):
            print("capture: %s missing, captures kept as they are" % binary, file=sys.stderr)
            continue
        ours = [p for h, p in written if h == harness]
        with tempfile.TemporaryDirectory() as tmp:
            base = os.path.join(tmp, "base")
            caps = os.path.join(tmp, "captured")
            os.makedirs(base)
            os.makedirs(caps)
            for name in os.listdir(os.path.join("corpus", harness)):
                path = os.path.join("corpus", harness, name)
                if path not in ours and not name.startswith("captured-"):
                    shutil.copy(path, base)
            for path in ours:
                shutil.copy(path, caps)
            subprocess.run([binary, "-merge=1", base, caps], stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, check=True)
            kept = set(os.listdir(base))
            for path in ours:
                with open(path, "rb") as f:
                    digest = hashlib.sha1(f.read()).hexdigest()
                if digest not in kept:
                    os.remove(path)
                    print("capture: %s adds no coverage, dropped" % path)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--minimize", action="store_true",
                    help="keep only captures that add coverage (needs make fuzz-build)")
    ap.add_argument("--bindir", default="build/fz/lf/bin")
    args = ap.parse_args()
    for tool in ("nghttpd", "nghttp", "h2load", "curl"):
        if shutil.which(tool) is None:
            sys.exit("capture: %s is missing (Debian nghttp2-server, nghttp2-client, curl)" % tool)
    for harness in ("server", "client"):
        for name in os.listdir(os.path.join("corpus", harness)):
            if name.startswith("captured-"):
                os.remove(os.path.join("corpus", harness, name))
    with tempfile.TemporaryDirectory() as root:
        make_docroot(root)
        captures = run_scenarios(root)
    written = write_captures(captures)
    print("capture: %d connections recorded" % len(captures))
    if args.minimize:
        minimize(written, args.bindir)


if __name__ == "__main__":
    main()
