#!/usr/bin/env bash
# Interoperability tests: libh2's example server and client against curl,
# nghttp2's nghttp, h2load and nghttpd, and Python's h2.
#
#   tests/interop/run.sh [-l] [-k] [-v] [TEST...]
#     -l  list the tests     -k  keep the temporary directory
#     -v  print every test's log, not only the failing ones'
#     TEST names or shell patterns (curl-*); default: all
#
# Environment: H2_SERVER, H2_CLIENT (default build/examples/h2_{server,client}),
# PYTHON (default /usr/bin/python3, the one with Debian's python3-h2).
# A test whose tool is missing prints SKIP, unless INTEROP_REQUIRE_ALL=1,
# which turns a missing tool into a failure.
#
# Every test starts its own server on a free loopback port with its own
# directory, stops it with SIGTERM and requires a clean exit (status 0).
# The exit status is 1 when any test failed.

# The test functions are called by name from the runner loop.
# shellcheck disable=SC2317
set -u

here=$(cd "$(dirname "$0")" && pwd)
H2_SERVER=${H2_SERVER:-build/examples/h2_server}
H2_CLIENT=${H2_CLIENT:-build/examples/h2_client}
PYTHON=${PYTHON:-/usr/bin/python3}
[ -x "$PYTHON" ] || PYTHON=$(command -v python3 || echo python3)
REQUIRE_ALL=${INTEROP_REQUIRE_ALL:-0}

# Client commands never run longer than this; a hang is a failure, not a stall.
CMD_TIMEOUT=60

# ---------------------------------------------------------------- helpers
# These run inside a test's subshell: `fail` ends the test.

fail() {
    echo "FAIL: $*"
    exit 1
}

note() {
    echo "  $*"
}

skip() {
    echo "SKIP: $*"
    exit 77
}

# need TOOL...: skips (or fails under INTEROP_REQUIRE_ALL=1) when a command is missing.
need() {
    local tool
    for tool in "$@"; do
        if ! command -v "$tool" >/dev/null 2>&1; then
            [ "$REQUIRE_ALL" = 1 ] && fail "$tool not found (INTEROP_REQUIRE_ALL=1)"
            skip "$tool not installed"
        fi
    done
}

need_python_h2() {
    if ! "$PYTHON" -c 'import h2.connection' >/dev/null 2>&1; then
        [ "$REQUIRE_ALL" = 1 ] && fail "$PYTHON cannot import h2 (INTEROP_REQUIRE_ALL=1)"
        skip "$PYTHON has no h2 module (Debian python3-h2)"
    fi
}

# The examples have TLS when OpenSSL's headers were there to build them.
need_tls() {
    need openssl
    if ! pkg-config --exists openssl 2>/dev/null && [ ! -f /usr/include/openssl/ssl.h ]; then
        [ "$REQUIRE_ALL" = 1 ] && fail "OpenSSL headers missing, examples built without TLS (INTEROP_REQUIRE_ALL=1)"
        skip "OpenSSL headers missing (Debian libssl-dev): examples built without TLS"
    fi
}

# run_logged NAME CMD...: runs CMD under a timeout, stdout and stderr into
# $T/NAME.out and $T/NAME.err; returns its status.
run_logged() {
    local name=$1
    shift
    echo "+ $*" >>"$T/commands"
    timeout -k 5 "$CMD_TIMEOUT" "$@" >"$T/$name.out" 2>"$T/$name.err"
    local rc=$?
    [ "$rc" -eq 124 ] && echo "  ($name timed out after ${CMD_TIMEOUT}s)" >>"$T/$name.err"
    return "$rc"
}

# must NAME CMD...: like run_logged, and fails the test on a non-zero status.
must() {
    local name=$1
    run_logged "$@"
    local rc=$?
    if [ "$rc" -ne 0 ]; then
        shift
        show "$name"
        local cmd="$*"
        [ ${#cmd} -gt 400 ] && cmd="${cmd:0:400}..."
        fail "$name: exit status $rc: $cmd"
    fi
}

show() {
    local f
    for f in "$T/$1.out" "$T/$1.err"; do
        [ -s "$f" ] && { echo "  --- $f (last 20 lines)"; tail -n 20 "$f" | cut -c1-300 | sed 's/^/  | /'; }
    done
    return 0
}

track() {
    echo "$1" >>"$T/pids"
}

# kill_tracked FILE: SIGKILL to the processes listed in FILE that are still
# ours: alive, and started with an argument inside this run's directory
# (a recycled process id belongs to someone else).
kill_tracked() {
    local pid
    [ -f "$1" ] || return 0
    while read -r pid; do
        if tr '\0' '\n' 2>/dev/null <"/proc/$pid/cmdline" | grep -qF "$SUITE"; then
            kill -KILL "$pid" 2>/dev/null
        fi
    done <"$1"
    return 0
}

# wait_port_file FILE PID: waits for the server to write its port.
wait_port_file() {
    local file=$1 pid=$2 i
    for i in $(seq 1 100); do
        if [ -s "$file" ] && grep -qxE '[0-9]+' "$file" && [ "$(tail -c1 "$file" | od -An -c | tr -d ' ')" = '\n' ]; then
            cat "$file"
            return 0
        fi
        kill -0 "$pid" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}

# start_server [ARGS...]: h2_server on 127.0.0.1, a free port, serving $DATA.
# Sets PORT and SERVER_PID; its output goes to $T/server.{out,err}.
start_server() {
    rm -f "$T/port"
    echo "+ $H2_SERVER -l 127.0.0.1:0 --port-file $T/port -r $DATA $*" >>"$T/commands"
    "$H2_SERVER" -l 127.0.0.1:0 --port-file "$T/port" -r "$DATA" "$@" >"$T/server.out" 2>"$T/server.err" &
    SERVER_PID=$!
    track "$SERVER_PID"
    PORT=$(wait_port_file "$T/port" "$SERVER_PID") || {
        show server
        fail "h2_server did not write its port to --port-file within 10 s"
    }
    local line i
    for i in $(seq 1 20); do
        line=$(head -n1 "$T/server.out")
        [ -n "$line" ] && break
        sleep 0.05
    done
    [ "$line" = "listening on 127.0.0.1:$PORT" ] ||
        fail "h2_server's first line is '$line', expected 'listening on 127.0.0.1:$PORT'"
}

# stop_server [PID NAME]: SIGTERM; the server must exit with status 0 within 10 s.
stop_server() {
    local pid=${1:-$SERVER_PID} name=${2:-server} rc
    kill -0 "$pid" 2>/dev/null || {
        wait "$pid"
        rc=$?
        show "$name"
        fail "$name died before it was stopped (exit status $rc)"
    }
    kill -TERM "$pid"
    wait_exit "$pid" "$name" "SIGTERM"
}

# wait_exit PID NAME WHAT: PID (signalled already) must exit 0 within 10 s.
wait_exit() {
    local pid=$1 name=$2 what=$3 i rc
    for i in $(seq 1 100); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        kill -KILL "$pid"
        wait "$pid" 2>/dev/null
        show "$name"
        fail "$name still running 10 s after $what"
    fi
    wait "$pid"
    rc=$?
    [ "$rc" -eq 0 ] || { show "$name"; fail "$name exited with status $rc after $what, expected 0"; }
    check_sanitizer "$T/$name.err"
}

check_sanitizer() {
    if grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' "$1" 2>/dev/null; then
        grep -E -A5 'ERROR: |runtime error:' "$1" | head -n 20 | sed 's/^/  | /'
        fail "sanitizer report in $1"
    fi
}

# free_port: a port nobody listens on now (for peers without --port-file).
free_port() {
    "$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wait_listen PORT PID: waits until something accepts on 127.0.0.1:PORT.
wait_listen() {
    local port=$1 pid=$2 i
    for i in $(seq 1 100); do
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
        kill -0 "$pid" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}

# start_nghttpd [ARGS...]: nghttpd on a free port serving $DATA (with
# --echo-upload); sets PORT and NGHTTPD_PID. A port taken meanwhile is retried.
start_nghttpd() {

    for _ in 1 2 3; do
        PORT=$(free_port)
        echo "+ nghttpd -a 127.0.0.1 -d $DATA --echo-upload $* $PORT" >>"$T/commands"
        # nghttpd takes the port first, then key and certificate when given.
        nghttpd -a 127.0.0.1 -d "$DATA" --echo-upload "${NGHTTPD_OPTS[@]}" "$PORT" "$@" \
            >"$T/nghttpd.out" 2>"$T/nghttpd.err" &
        NGHTTPD_PID=$!
        track "$NGHTTPD_PID"
        wait_listen "$PORT" "$NGHTTPD_PID" && return 0
        kill "$NGHTTPD_PID" 2>/dev/null
        wait "$NGHTTPD_PID" 2>/dev/null
    done
    show nghttpd
    fail "nghttpd did not start"
}

stop_nghttpd() {
    kill -TERM "$NGHTTPD_PID" 2>/dev/null
    wait "$NGHTTPD_PID" 2>/dev/null
}

# start_py_server [ARGS...]: tests/interop/py_server.py; sets PORT, PY_SERVER_PID.
start_py_server() {
    rm -f "$T/port"
    echo "+ $PYTHON $here/py_server.py --port-file $T/port --root $DATA $*" >>"$T/commands"
    "$PYTHON" "$here/py_server.py" --port-file "$T/port" --root "$DATA" "$@" \
        >"$T/py_server.out" 2>"$T/py_server.err" &
    PY_SERVER_PID=$!
    track "$PY_SERVER_PID"
    PORT=$(wait_port_file "$T/port" "$PY_SERVER_PID") || { show py_server; fail "py_server.py did not start"; }
}

# same FILE_EXPECTED FILE_GOT WHAT: byte-for-byte comparison.
same() {
    [ -f "$2" ] || fail "$3: no output file $2"
    if ! cmp -s "$1" "$2"; then
        fail "$3: body differs from $1: got $(stat -c %s "$2") bytes (sha256 $(sha256sum <"$2" | cut -c1-16)), expected $(stat -c %s "$1") bytes (sha256 $(sha256sum <"$1" | cut -c1-16)); $(cmp "$1" "$2" 2>&1 | head -n1)"
    fi
}

# pattern_file N: the path of a file holding /size/N's body.
pattern_file() {
    local f="$SUITE/patterns/$1"
    if [ ! -f "$f" ]; then
        mkdir -p "$SUITE/patterns"
        "$PYTHON" -c '
import sys
n = int(sys.argv[1])
alphabet = bytes(range(97, 123))
sys.stdout.buffer.write((alphabet * (n // 26 + 1))[:n])' "$1" >"$f.tmp" && mv "$f.tmp" "$f"
    fi
    echo "$f"
}

# header FILE NAME: the value of a response header in a curl -D dump (last response).
header() {
    tr -d '\r' <"$1" | awk -v n="$2" '/^HTTP\//{v=""} tolower($0) ~ "^"tolower(n)":" {sub(/^[^:]*:[ \t]*/, ""); v=$0} END{print v}'
}

# ---------------------------------------------------------------- suite data

make_data() {
    DATA="$SUITE/www"
    mkdir -p "$DATA" "$SUITE/upload"
    printf 'hello, world\n' >"$DATA/hello.txt"
    printf '<!DOCTYPE html>\n<html><head><title>libh2</title></head><body>interop</body></html>\n' >"$DATA/index.html"
    : >"$DATA/empty.txt"
    head -c 1048576 /dev/urandom >"$DATA/rand1m.bin"
    # Not a multiple of any frame or window size.
    head -c 3145745 /dev/urandom >"$DATA/rand3m.bin"
    head -c 70001 /dev/urandom >"$DATA/data.json"
    # Outside the served directory: must never be served.
    printf 'secret outside the root\n' >"$SUITE/secret.txt"
    head -c 10485760 /dev/urandom >"$SUITE/upload/post10m.bin"
    head -c 5242883 /dev/urandom >"$SUITE/upload/post5m.bin"
    head -c 1000 /dev/urandom >"$SUITE/upload/post1k.bin"
    : >"$SUITE/upload/empty.bin"
}

make_cert() {
    CERT="$SUITE/cert.pem"
    KEY="$SUITE/key.pem"
    command -v openssl >/dev/null 2>&1 || return 0
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
        -subj /CN=localhost -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
        -keyout "$KEY" -out "$CERT" >"$SUITE/openssl.log" 2>&1 ||
        { cat "$SUITE/openssl.log"; echo "interop: openssl could not make a certificate"; exit 1; }
}

# ---------------------------------------------------------------- curl

# curl_base: the curl options for $MODE (h2c with prior knowledge, or TLS).
curl_setup() {
    need curl
    if [ "$MODE" = tls ]; then
        need_tls
        start_server --tls "$CERT" "$KEY"
        URL="https://127.0.0.1:$PORT"
        CURL=(curl -sS -k --http2)
    else
        start_server
        URL="http://127.0.0.1:$PORT"
        CURL=(curl -sS --http2-prior-knowledge)
    fi
}

# curl_get PATH OUT: GET, writes the body to OUT and headers to OUT.h; sets STATUS, VERSION.
curl_get() {
    local path=$1 out=$2 w
    must curl "${CURL[@]}" --path-as-is -D "$out.h" -o "$out" -w '%{http_code} %{http_version}' "$URL$path"
    w=$(cat "$T/curl.out")
    STATUS=${w% *}
    VERSION=${w#* }
    [ "$VERSION" = 2 ] || fail "curl GET $path: http_version '$VERSION', expected 2"
}

t_curl_get() {
    curl_setup
    local f n out
    for f in hello.txt index.html empty.txt rand1m.bin rand3m.bin data.json; do
        out="$T/get-$f"
        curl_get "/$f" "$out"
        [ "$STATUS" = 200 ] || fail "GET /$f: status $STATUS"
        same "$DATA/$f" "$out" "GET /$f"
        [ "$(header "$out.h" content-length)" = "$(stat -c %s "$DATA/$f")" ] ||
            fail "GET /$f: content-length '$(header "$out.h" content-length)', expected $(stat -c %s "$DATA/$f")"
    done
    case "$(header "$T/get-index.html.h" content-type)" in
        text/html*) ;;
        *) fail "GET /index.html: content-type '$(header "$T/get-index.html.h" content-type)', expected text/html" ;;
    esac
    for n in 0 1 26 16383 16384 16385 65535 65536 1000000 4194305; do
        out="$T/size-$n"
        curl_get "/size/$n" "$out"
        [ "$STATUS" = 200 ] || fail "GET /size/$n: status $STATUS"
        same "$(pattern_file "$n")" "$out" "GET /size/$n"
        [ "$(header "$out.h" content-length)" = "$n" ] ||
            fail "GET /size/$n: content-length '$(header "$out.h" content-length)', expected $n"
    done
    curl_get /no-such-file.txt "$T/missing"
    [ "$STATUS" = 404 ] || fail "GET /no-such-file.txt: status $STATUS, expected 404"
    # The file next to the root must stay out of reach.
    for p in /../secret.txt /%2e%2e/secret.txt /a/../../secret.txt; do
        curl_get "$p" "$T/escape"
        case "$STATUS" in 4??) ;; *) fail "GET $p: status $STATUS, expected 4xx" ;; esac
        ! grep -q 'secret outside the root' "$T/escape" || fail "GET $p served a file outside the root"
    done
    stop_server
    note "files, /size/N, 404 and path escapes over $MODE: all right, HTTP/2"
}

t_curl_head() {
    curl_setup
    local p want
    for p in /hello.txt /rand3m.bin /size/123456 /empty.txt; do
        case $p in /size/*) want=${p#/size/} ;; *) want=$(stat -c %s "$DATA$p") ;; esac
        must curl "${CURL[@]}" -I -o "$T/head.h" -w '%{http_code} %{http_version} %{size_download}' "$URL$p"
        [ "$(cat "$T/curl.out")" = "200 2 0" ] ||
            fail "HEAD $p: got '$(cat "$T/curl.out")', expected '200 2 0' (status, version, body bytes)"
        [ "$(header "$T/head.h" content-length)" = "$want" ] ||
            fail "HEAD $p: content-length '$(header "$T/head.h" content-length)', expected $want"
    done
    run_logged curl "${CURL[@]}" -I -o "$T/head.h" -w '%{http_code} %{size_download}' "$URL/nothing-here"
    [ "$(cat "$T/curl.out")" = "404 0" ] || fail "HEAD /nothing-here: got '$(cat "$T/curl.out")', expected '404 0'"
    stop_server
    note "HEAD: headers with content-length, no body, over $MODE"
}

t_curl_post() {
    curl_setup
    local f
    for f in post10m.bin post1k.bin empty.bin; do
        must curl "${CURL[@]}" --data-binary "@$SUITE/upload/$f" -H 'content-type: application/x-interop' \
            -D "$T/post.h" -o "$T/echo-$f" -w '%{http_code} %{http_version}' "$URL/echo"
        [ "$(cat "$T/curl.out")" = "200 2" ] || fail "POST $f: got '$(cat "$T/curl.out")', expected '200 2'"
        [ "$(sha256sum <"$T/echo-$f")" = "$(sha256sum <"$SUITE/upload/$f")" ] ||
            fail "POST $f: echo has sha256 $(sha256sum <"$T/echo-$f" | cut -c1-16) ($(stat -c %s "$T/echo-$f") bytes), sent $(sha256sum <"$SUITE/upload/$f" | cut -c1-16) ($(stat -c %s "$SUITE/upload/$f") bytes)"
        [ "$(header "$T/post.h" content-type)" = application/x-interop ] ||
            fail "POST $f: content-type '$(header "$T/post.h" content-type)' not echoed"
    done
    # PUT echoes too.
    must curl "${CURL[@]}" -T "$DATA/rand1m.bin" -o "$T/put" -w '%{http_code}' "$URL/put-here"
    [ "$(cat "$T/curl.out")" = 200 ] || fail "PUT: status $(cat "$T/curl.out")"
    same "$DATA/rand1m.bin" "$T/put" "PUT echo"
    stop_server
    note "POST 10 MB/1 kB/empty and PUT 1 MB echoed identically over $MODE"
}

t_curl_parallel() {
    curl_setup
    local args=() spread=() i path expect url=$URL
    mkdir -p "$T/par"
    : >"$T/expect"
    if [ "$MODE" = h2c ] && ! curl_reuses_h2c; then
        # This curl cannot reuse an h2c prior-knowledge connection (curl
        # issue 10634, fixed in 8.0): every URL gets its own host name, hence
        # its own connection, all mapped to our port; the server then holds
        # 50 connections at once instead of 50 streams on one. curl keeps
        # finished connections open until it exits, so two runs of 50 stay
        # within the server's 64 connections.
        spread=(--connect-to "::127.0.0.1:$PORT")
    fi
    for i in $(seq 1 100); do
        case $((i % 5)) in
            0) path="/size/$((i * 1013))" ;;
            1) path=/hello.txt ;;
            2) path=/data.json ;;
            3) path="/size/$((i * 7))" ;;
            4) if [ $((i % 20)) = 4 ]; then path=/rand1m.bin; else path=/index.html; fi ;;
        esac
        case $path in /size/*) expect=$(pattern_file "${path#/size/}") ;; *) expect="$DATA$path" ;; esac
        [ ${#spread[@]} -gt 0 ] && url="http://host$i.test:$PORT"
        args+=(-o "$T/par/$i" "$url$path")
        echo "$i $path $expect" >>"$T/expect"
    done
    if [ ${#spread[@]} -gt 0 ]; then
        must curl "${CURL[@]}" "${spread[@]}" --parallel --parallel-max 50 --no-progress-meter \
            -w '%{http_code} %{http_version} %{num_connects}\n' "${args[@]:0:150}"
        mv "$T/curl.out" "$T/curl-first.out"
        must curl "${CURL[@]}" "${spread[@]}" --parallel --parallel-max 50 --no-progress-meter \
            -w '%{http_code} %{http_version} %{num_connects}\n' "${args[@]:150}"
        cat "$T/curl-first.out" "$T/curl.out" >"$T/curl-all.out"
        mv "$T/curl-all.out" "$T/curl.out"
    else
        must curl "${CURL[@]}" --parallel --parallel-max 50 --no-progress-meter \
            -w '%{http_code} %{http_version} %{num_connects}\n' "${args[@]}"
    fi
    [ "$(grep -c '^200 2 ' "$T/curl.out")" = 100 ] ||
        { show curl; fail "curl --parallel: $(grep -c '^200 2 ' "$T/curl.out") of 100 transfers with '200 2'"; }
    while read -r i path expect; do
        same "$expect" "$T/par/$i" "parallel GET $path (#$i)"
    done <"$T/expect"
    stop_server
    note "100 parallel GETs (50 at once) correct over $MODE; connections: $(awk '{s += $3} END {print s}' "$T/curl.out")"
}

curl_reuses_h2c() {
    local major
    major=$(curl --version | awk 'NR == 1 {split($2, v, "."); print v[1]}')
    [ "${major:-0}" -ge 8 ]
}

t_curl_h2c_get() { MODE=h2c t_curl_get; }
t_curl_h2c_head() { MODE=h2c t_curl_head; }
t_curl_h2c_post() { MODE=h2c t_curl_post; }
t_curl_h2c_parallel() { MODE=h2c t_curl_parallel; }
t_curl_tls_get() { MODE=tls t_curl_get; }
t_curl_tls_head() { MODE=tls t_curl_head; }
t_curl_tls_post() { MODE=tls t_curl_post; }
t_curl_tls_parallel() { MODE=tls t_curl_parallel; }

# HTTP/1.1 Upgrade to h2c, and HTTP/1.1 without it.
t_curl_upgrade() {
    need curl
    start_server
    # Small bodies: this curl (7.88) copies whatever follows the 101 into a
    # 32 KiB buffer and gives up when the server's first window of DATA
    # (64 KiB, legitimately sent at once) does not fit; larger bodies over
    # Upgrade are the nghttp-upgrade and self tests' part.
    local p
    for p in /hello.txt /size/20000; do
        must curl curl -sS --http2 -o "$T/up" -w '%{http_code} %{http_version}' "http://127.0.0.1:$PORT$p"
        [ "$(cat "$T/curl.out")" = "200 2" ] || fail "GET $p with Upgrade: h2c: got '$(cat "$T/curl.out")', expected '200 2'"
        case $p in /size/*) same "$(pattern_file 20000)" "$T/up" "GET $p after Upgrade: h2c" ;;
            *) same "$DATA$p" "$T/up" "GET $p after Upgrade: h2c" ;; esac
    done
    run_logged curl curl -sS --http1.1 -o "$T/h1" -w '%{http_code} %{http_version}' "http://127.0.0.1:$PORT/hello.txt"
    case "$(cat "$T/curl.out")" in
        "505 1.1" | "400 1.1") ;;
        *) show curl; fail "plain HTTP/1.1 GET: got '$(cat "$T/curl.out")', expected a 505 or 400 HTTP/1.1 reply" ;;
    esac
    stop_server
    note "curl --http2 upgraded from HTTP/1.1; plain HTTP/1.1 answered $(cat "$T/curl.out")"
}

# ---------------------------------------------------------------- nghttp

# har_check HAR "STATUS SIZE" ...: every request in nghttp's HAR file, in order.
har_check() {
    local har=$1
    shift
    "$PYTHON" - "$har" "$@" <<'EOF' || fail "nghttp HAR check failed (see above)"
import json, sys
entries = json.load(open(sys.argv[1]))["log"]["entries"]
want = sys.argv[2:]
got = ["%s %s" % (e["response"]["status"], e["response"]["content"]["size"]) for e in entries]
if sorted(got) != sorted(want):
    print("FAIL: nghttp responses (status body-size): got %s, expected %s" % (sorted(got), sorted(want)))
    sys.exit(1)
EOF
}

nghttp_clean() {
    if grep -qE 'Some requests were not processed|\[ERROR\]|GOAWAY.*error_code=[^N]|RST_STREAM' "$T/$1.err" "$T/$1.out" 2>/dev/null; then
        show "$1"
        fail "nghttp reported an error"
    fi
}

t_nghttp_get() {
    need nghttp
    start_server
    local u="http://127.0.0.1:$PORT" want=() f
    must nghttp nghttp -n -r "$T/get.har" "$u/hello.txt" "$u/rand1m.bin" "$u/rand3m.bin" "$u/size/100000" \
        "$u/empty.txt" "$u/missing.txt"
    nghttp_clean nghttp
    "$PYTHON" - "$T/get.har" <<'EOF' || fail "nghttp -n: wrong responses"
import json, sys
entries = json.load(open(sys.argv[1]))["log"]["entries"]
got = {e["request"]["url"].split("/", 3)[3]: (e["response"]["status"], e["response"]["content"]["size"]) for e in entries}
want = {"hello.txt": (200, 13), "rand1m.bin": (200, 1048576), "rand3m.bin": (200, 3145745),
        "size/100000": (200, 100000), "empty.txt": (200, 0)}
bad = [(k, got.get(k), v) for k, v in want.items() if got.get(k) != v]
if bad or got.get("missing.txt", (0,))[0] != 404:
    print("FAIL: nghttp -n (path, got, expected): %s; missing.txt: %s" % (bad, got.get("missing.txt")))
    sys.exit(1)
EOF
    for f in hello.txt rand3m.bin; do
        must nghttp nghttp "$u/$f"
        nghttp_clean nghttp
        same "$DATA/$f" "$T/nghttp.out" "nghttp GET /$f"
    done
    must nghttp nghttp "$u/size/2000001"
    same "$(pattern_file 2000001)" "$T/nghttp.out" "nghttp GET /size/2000001"
    # 40 streams at once on one connection.
    must nghttp nghttp -n -m 20 -r "$T/multi.har" "$u/size/30000" "$u/index.html"
    nghttp_clean nghttp
    local n
    n=$("$PYTHON" -c 'import json,sys; e=json.load(open(sys.argv[1]))["log"]["entries"]; print(sum(1 for x in e if x["response"]["status"]==200))' "$T/multi.har")
    [ "$n" = 40 ] || fail "nghttp -m 20 with 2 URLs: $n responses with 200, expected 40"
    stop_server
    note "nghttp -n statuses/sizes, bodies compared, 40 concurrent streams"
}

# Header compression and framing choices of the peer the server must follow.
t_nghttp_variants() {
    need nghttp
    start_server
    local u="http://127.0.0.1:$PORT" opts
    local big
    big=$(head -c 3000 /dev/zero | tr '\0' 'x')
    # (nghttp --continuation sends a 24 KiB header list, over the 16 KiB
    # the server announces; py_client's continuation scenario sends
    # CONTINUATION frames within it.)
    for opts in "-c 0" "-c 65536" "--encoder-header-table-size=0" "-b 255" "--no-dep" "--no-content-length"; do
        # shellcheck disable=SC2086
        must nghttp nghttp $opts -H "x-long: $big" -H "x-other: $big" -m 3 "$u/rand1m.bin"
        nghttp_clean nghttp
        [ "$(stat -c %s "$T/nghttp.out")" = $((3 * 1048576)) ] ||
            fail "nghttp $opts -m 3: $(stat -c %s "$T/nghttp.out") body bytes, expected $((3 * 1048576))"
    done
    # Padded uploads: the padding counts against the window too.
    must nghttp nghttp -b 200 -d "$SUITE/upload/post5m.bin" "$u/echo"
    nghttp_clean nghttp
    same "$SUITE/upload/post5m.bin" "$T/nghttp.out" "nghttp -b 200 -d (padded upload) echo"
    stop_server
    note "header table 0/64k, padding, no priority, no content-length: all served"
}

t_nghttp_upload() {
    need nghttp
    start_server
    local u="http://127.0.0.1:$PORT"
    must nghttp nghttp -d "$SUITE/upload/post5m.bin" "$u/echo"
    nghttp_clean nghttp
    same "$SUITE/upload/post5m.bin" "$T/nghttp.out" "nghttp -d post5m.bin echo"
    must nghttp nghttp -d "$SUITE/upload/post1k.bin" --trailer 'x-request-trailer: yes' "$u/echo"
    nghttp_clean nghttp
    same "$SUITE/upload/post1k.bin" "$T/nghttp.out" "nghttp -d with request trailers, echo"
    must nghttp nghttp -n -r "$T/up.har" -d "$SUITE/upload/post10m.bin" -m 4 "$u/echo"
    nghttp_clean nghttp
    har_check "$T/up.har" "200 10485760" "200 10485760" "200 10485760" "200 10485760"
    stop_server
    note "uploads echoed: 5 MB, 1 kB with trailers, 4 x 10 MB at once"
}

t_nghttp_flow() {
    need nghttp
    start_server
    local u="http://127.0.0.1:$PORT" w
    for w in "-w 16 -W 16" "-w 10 -W 16" "-w 14 -W 15" "-w 24 -W 30"; do
        # shellcheck disable=SC2086
        must nghttp nghttp $w "$u/rand3m.bin"
        nghttp_clean nghttp
        same "$DATA/rand3m.bin" "$T/nghttp.out" "nghttp $w GET /rand3m.bin"
        # shellcheck disable=SC2086
        must nghttp nghttp $w -n -r "$T/flow.har" "$u/size/2500000" "$u/size/1000000" "$u/rand1m.bin"
        nghttp_clean nghttp
        har_check "$T/flow.har" "200 2500000" "200 1000000" "200 1048576"
    done
    must nghttp nghttp -w 10 -W 16 "$u/size/3000017"
    same "$(pattern_file 3000017)" "$T/nghttp.out" "nghttp -w 10 GET /size/3000017"
    stop_server
    note "downloads through windows of 1 KiB to 16 MiB, bodies intact"
}

t_nghttp_upgrade() {
    need nghttp
    start_server
    local u="http://127.0.0.1:$PORT"
    must nghttp nghttp -u "$u/rand1m.bin"
    nghttp_clean nghttp
    same "$DATA/rand1m.bin" "$T/nghttp.out" "nghttp -u GET /rand1m.bin (stream 1 after Upgrade)"
    must nghttp nghttp -u -n -r "$T/up.har" "$u/hello.txt" "$u/size/500000" "$u/index.html"
    nghttp_clean nghttp
    har_check "$T/up.har" "200 13" "200 500000" "200 $(stat -c %s "$DATA/index.html")"
    stop_server
    note "HTTP/1.1 Upgrade: h2c then more streams on the same connection"
}

# ---------------------------------------------------------------- h2load

h2load_check() {
    local n=$1 name=$2
    grep -q "requests: $n total, $n started, $n done, $n succeeded, 0 failed, 0 errored, 0 timeout" "$T/$name.out" ||
        { show "$name"; fail "h2load: expected '$n succeeded, 0 failed, 0 errored, 0 timeout', got: $(grep '^requests:' "$T/$name.out")"; }
    grep -q "status codes: $n 2xx" "$T/$name.out" ||
        fail "h2load: $(grep '^status codes:' "$T/$name.out"), expected $n 2xx"
    grep -qE "Application protocol: h2c?$" "$T/$name.out" ||
        fail "h2load did not use HTTP/2: $(grep 'Application protocol' "$T/$name.out")"
}

t_h2load() {
    need h2load
    start_server -q
    local u="http://127.0.0.1:$PORT"
    must h2load h2load -n 20000 -c 4 -m 32 "$u/hello.txt" "$u/size/1000" "$u/index.html" "$u/size/20000"
    h2load_check 20000 h2load
    stop_server
    note "$(grep '^finished in' "$T/h2load.out")"
}

t_h2load_tls() {
    need h2load
    need_tls
    start_server -q --tls "$CERT" "$KEY"
    must h2load h2load -n 4000 -c 4 -m 16 "https://127.0.0.1:$PORT/size/5000" "https://127.0.0.1:$PORT/hello.txt"
    h2load_check 4000 h2load
    stop_server
    note "$(grep '^finished in' "$T/h2load.out")"
}

# ---------------------------------------------------------------- h2_client against others

# client_run NAME ARGS...: h2_client; its stdout/stderr in $T/NAME.{out,err}; sets RC.
client_run() {
    local name=$1
    shift
    run_logged "$name" "$H2_CLIENT" "$@"
    RC=$?
    check_sanitizer "$T/$name.err"
}

client_must() {
    client_run "$@"
    [ "$RC" -eq 0 ] || { show "$1"; fail "h2_client ${*:2}: exit status $RC, expected 0"; }
}

# status_count NAME STATUS: how many `[stream N] STATUS` lines h2_client printed.
status_count() {
    grep -cE "^\[stream [0-9]+\] $2\$" "$T/$1.out"
}

client_against_files() {
    local base=$1
    shift
    local files=(hello.txt index.html empty.txt rand1m.bin rand3m.bin data.json) urls=() f
    for f in "${files[@]}"; do urls+=("$base/$f"); done
    mkdir -p "$T/o"
    client_must get "$@" -o "$T/o" "${urls[@]}"
    [ "$(status_count get 200)" = ${#files[@]} ] ||
        { show get; fail "h2_client: $(status_count get 200) responses with 200, expected ${#files[@]}"; }
    for f in "${files[@]}"; do
        same "$DATA/$f" "$T/o/$f" "h2_client -o GET /$f"
    done
    client_must one "$@" "$base/hello.txt"
    grep -qx 'hello, world' "$T/one.out" || { show one; fail "h2_client without -o: body 'hello, world' not on stdout"; }
    client_must null "$@" -n "$base/hello.txt" "$base/rand1m.bin"
    ! grep -q 'hello, world' "$T/null.out" || { show null; fail "h2_client -n printed a body"; }
    [ "$(status_count null 200)" = 2 ] || { show null; fail "h2_client -n: $(status_count null 200) responses with 200, expected 2"; }
    client_must head "$@" -I "$base/rand1m.bin"
    grep -qiE '^content-length: 1048576$' "$T/head.out" || { show head; fail "h2_client -I: no content-length: 1048576"; }
    [ "$(status_count head 200)" = 1 ] || { show head; fail "h2_client -I: no 200"; }
    client_run missing "$@" "$base/no-such-file"
    [ "$(status_count missing 404)" = 1 ] || { show missing; fail "h2_client GET /no-such-file: no 404 line"; }
    [ "$RC" = 0 ] || { show missing; fail "h2_client GET /no-such-file: exit status $RC, expected 0 (a 404 is a complete response)"; }
}

t_client_nghttpd() {
    need nghttpd
    NGHTTPD_OPTS=(--no-tls)
    start_nghttpd
    client_against_files "http://127.0.0.1:$PORT"
    client_must echo -o "$T/o" -d "$SUITE/upload/post5m.bin" "http://127.0.0.1:$PORT/echo"
    same "$SUITE/upload/post5m.bin" "$T/o/echo" "h2_client -d 5 MB to nghttpd --echo-upload, echo"
    stop_nghttpd
    note "h2_client against nghttpd (h2c): 6 files at once, stdout, HEAD, 404, upload"
}

t_client_nghttpd_tls() {
    need nghttpd
    need_tls
    NGHTTPD_OPTS=()
    start_nghttpd "$KEY" "$CERT"
    client_against_files "https://127.0.0.1:$PORT" -k
    # Without -k the self-signed certificate must be refused.
    client_run verify "https://127.0.0.1:$PORT/hello.txt"
    [ "$RC" -ne 0 ] || fail "h2_client accepted a self-signed certificate without -k"
    [ "$(status_count verify 200)" = 0 ] || fail "h2_client printed a response from an unverified server"
    stop_nghttpd
    note "h2_client against nghttpd over TLS: files compared; unverified certificate refused (status $RC)"
}

# h2_client's uploads through nghttpd's small window, its padded DATA and trailers.
t_client_nghttpd_flow() {
    need nghttpd
    NGHTTPD_OPTS=(--no-tls -w 12 -b 50 --trailer 'x-checksum: ok')
    start_nghttpd
    local u="http://127.0.0.1:$PORT"
    mkdir -p "$T/o"
    client_must up -o "$T/o" -d "$SUITE/upload/post5m.bin" "$u/echo"
    same "$SUITE/upload/post5m.bin" "$T/o/echo" "h2_client -d 5 MB through a 4 KiB window, echo"
    grep -qE '^\[stream [0-9]+\] trailer x-checksum: ok$' "$T/up.out" ||
        { show up; fail "h2_client: no '[stream N] trailer x-checksum: ok' line"; }
    client_must down -o "$T/o" "$u/rand3m.bin" "$u/rand1m.bin"
    same "$DATA/rand3m.bin" "$T/o/rand3m.bin" "h2_client GET /rand3m.bin (padded DATA)"
    same "$DATA/rand1m.bin" "$T/o/rand1m.bin" "h2_client GET /rand1m.bin (padded DATA)"
    stop_nghttpd
    note "upload through nghttpd's 4 KiB window echoed; padded DATA; trailers printed"
}

# h2_client against the Python server.
t_client_py_server() {
    need_python_h2
    start_py_server -v
    local u="http://127.0.0.1:$PORT"
    mkdir -p "$T/o"
    client_must big -o "$T/o" "$u/size/6000000" "$u/rand3m.bin" "$u/trailers"
    same "$(pattern_file 6000000)" "$T/o/6000000" "h2_client GET /size/6000000 from py_server"
    same "$DATA/rand3m.bin" "$T/o/rand3m.bin" "h2_client GET /rand3m.bin from py_server"
    grep -qE '^\[stream [0-9]+\] trailer x-checksum: ok$' "$T/big.out" ||
        { show big; fail "h2_client: no '[stream N] trailer x-checksum: ok' line from py_server"; }
    [ "$(status_count big 200)" = 3 ] || { show big; fail "h2_client: $(status_count big 200) responses with 200, expected 3"; }
    client_run reset "$u/reset"
    [ "$RC" = 1 ] || { show reset; fail "h2_client GET /reset: exit status $RC, expected 1 (stream reset)"; }
    client_run mixed -o "$T/o" "$u/size/100000" "$u/reset"
    [ "$RC" = 1 ] || { show mixed; fail "h2_client GET /size/100000 /reset: exit status $RC, expected 1"; }
    client_must echo -o "$T/o" -d "$SUITE/upload/post5m.bin" "$u/echo"
    same "$SUITE/upload/post5m.bin" "$T/o/echo" "h2_client -d 5 MB to py_server, echo"
    client_must empty -o "$T/o" -d "$SUITE/upload/empty.bin" "$u/echo"
    same "$SUITE/upload/empty.bin" "$T/o/echo" "h2_client -d of an empty file to py_server, echo"
    stop_server "$PY_SERVER_PID" py_server
    note "6 MB + 3 MB + trailers, reset -> exit 1, 5 MB and empty echo: all right"
}

# The same with a server that makes things hard: 1 KiB window for uploads,
# DATA in 1000-byte padded frames, at most 2 streams at once.
t_client_py_server_hard() {
    need_python_h2
    start_py_server -v --window 1024 --chunk 1000 --pad 17 --max-streams 2
    local u="http://127.0.0.1:$PORT" urls=() i
    mkdir -p "$T/o"
    for i in $(seq 1 8); do urls+=("$u/size/$((i * 50021))"); done
    client_must many -o "$T/o" "${urls[@]}"
    for i in $(seq 1 8); do
        same "$(pattern_file $((i * 50021)))" "$T/o/$((i * 50021))" "h2_client GET /size/$((i * 50021)) (2 streams at most)"
    done
    client_must echo -o "$T/o" -d "$SUITE/upload/post1k.bin" "$u/echo"
    same "$SUITE/upload/post1k.bin" "$T/o/echo" "h2_client -d 1 kB through a 1 KiB window"
    client_must echo2 -o "$T/o" -d "$DATA/rand1m.bin" "$u/echo"
    same "$DATA/rand1m.bin" "$T/o/echo" "h2_client -d 1 MB through a 1 KiB window"
    stop_server "$PY_SERVER_PID" py_server
    note "8 GETs under MAX_CONCURRENT_STREAMS 2, padded 1000-byte DATA, uploads through a 1 KiB window"
}

# ---------------------------------------------------------------- Python client against h2_server

py_client() {
    local name=$1
    shift
    run_logged "$name" "$PYTHON" "$here/py_client.py" "$@"
    local rc=$?
    [ "$rc" -eq 0 ] || { show "$name"; show server; fail "py_client.py $*: exit status $rc"; }
    note "$(tail -n1 "$T/$name.out")"
}

t_py_client() {
    need_python_h2
    start_server
    local s
    for s in concurrent post trailers reset mixed; do
        py_client "py-$s" "$s" --port "$PORT" --root "$DATA"
    done
    stop_server
}

t_py_client_tls() {
    need_python_h2
    need_tls
    start_server --tls "$CERT" "$KEY"
    py_client py-mixed mixed --tls --port "$PORT" --root "$DATA"
    stop_server
}

t_py_flow() {
    need_python_h2
    start_server
    py_client py-flow flow --port "$PORT" --size 2000003
    py_client py-shrink window-shrink --port "$PORT" --size 3000000
    stop_server
}

t_py_bad_peer() {
    need_python_h2
    start_server
    py_client py-bad bad-peer --port "$PORT"
    py_client py-ext extensions --port "$PORT"
    py_client py-cont continuation --port "$PORT"
    stop_server
}

t_idle_timeout() {
    need_python_h2
    start_server --idle-timeout 2
    py_client py-idle idle --port "$PORT" --idle 2
    stop_server
}

# ---------------------------------------------------------------- shutdown

# SIGTERM while a download is held up by our window: GOAWAY(NO_ERROR), the
# download still finishes, the server exits 0 by itself.
t_shutdown_py() {
    need_python_h2
    start_server
    py_client py-shutdown shutdown --port "$PORT" --pid "$SERVER_PID" --size 20000000
    wait_exit "$SERVER_PID" server "SIGTERM and its last stream"
}

# The same with curl reading at 5 MB/s: it gets the whole body.
t_shutdown_curl() {
    need curl
    start_server
    curl -sS --http2-prior-knowledge --limit-rate 5M -o "$T/slow" \
        -w '%{http_code} %{http_version}' "http://127.0.0.1:$PORT/size/10000000" >"$T/curl.out" 2>"$T/curl.err" &
    local curl_pid=$! i
    track "$curl_pid"
    for i in $(seq 1 50); do
        [ -s "$T/slow" ] && break
        sleep 0.1
    done
    [ -s "$T/slow" ] || fail "curl received nothing in 5 s"
    kill -TERM "$SERVER_PID"
    local start=$SECONDS
    wait "$curl_pid"
    local rc=$?
    [ "$rc" -eq 0 ] || { show curl; fail "curl during shutdown: exit status $rc"; }
    [ "$(cat "$T/curl.out")" = "200 2" ] || fail "curl during shutdown: '$(cat "$T/curl.out")'"
    same "$(pattern_file 10000000)" "$T/slow" "GET /size/10000000 across SIGTERM"
    wait_exit "$SERVER_PID" server "SIGTERM and its last stream"
    note "download finished $((SECONDS - start)) s after SIGTERM; server exited 0"
}

# h2_client in the middle of a download when the server shuts down
# gracefully: GOAWAY(NO_ERROR) covering its stream; the download completes.
t_client_shutdown() {
    need_python_h2
    start_py_server -v --rate 20000000
    mkdir -p "$T/o"
    echo "+ $H2_CLIENT -o $T/o http://127.0.0.1:$PORT/size/40000000" >>"$T/commands"
    timeout -k 5 "$CMD_TIMEOUT" "$H2_CLIENT" -o "$T/o" "http://127.0.0.1:$PORT/size/40000000" \
        >"$T/client.out" 2>"$T/client.err" &
    local client_pid=$! i
    track "$client_pid"
    for i in $(seq 1 50); do
        grep -q 'GET /size/40000000' "$T/py_server.err" && break
        sleep 0.1
    done
    sleep 0.3
    kill -TERM "$PY_SERVER_PID"
    wait "$client_pid"
    local rc=$?
    [ "$rc" -eq 0 ] || { show client; show py_server; fail "h2_client across the server's GOAWAY: exit status $rc, expected 0"; }
    check_sanitizer "$T/client.err"
    same "$(pattern_file 40000000)" "$T/o/40000000" "h2_client GET /size/40000000 across GOAWAY(NO_ERROR)"
    wait_exit "$PY_SERVER_PID" py_server "SIGTERM"
    grep -qE 'GOAWAY sent, last stream [0-9]+, [1-9][0-9]* responses in progress' "$T/py_server.err" ||
        fail "py_server's GOAWAY did not find the download in progress: $(grep 'GOAWAY sent' "$T/py_server.err")"
    note "download completed across GOAWAY(NO_ERROR): $(grep 'GOAWAY sent' "$T/py_server.err")"
}

# ---------------------------------------------------------------- h2_client against h2_server

t_self() {
    start_server
    local u="http://127.0.0.1:$PORT"
    mkdir -p "$T/o"
    client_must get -o "$T/o" "$u/rand3m.bin" "$u/size/1000000" "$u/trailers"
    same "$DATA/rand3m.bin" "$T/o/rand3m.bin" "h2_client -> h2_server GET /rand3m.bin"
    same "$(pattern_file 1000000)" "$T/o/1000000" "h2_client -> h2_server GET /size/1000000"
    grep -qE '^\[stream [0-9]+\] trailer x-checksum: ok$' "$T/get.out" ||
        { show get; fail "h2_client -> h2_server /trailers: no trailer line"; }
    client_must echo -o "$T/o" -d "$SUITE/upload/post10m.bin" "$u/echo"
    same "$SUITE/upload/post10m.bin" "$T/o/echo" "h2_client -> h2_server POST 10 MB echo"
    client_run reset "$u/reset"
    [ "$RC" = 1 ] || { show reset; fail "h2_client -> h2_server /reset: exit status $RC, expected 1"; }
    client_must up --upgrade -o "$T/o" "$u/rand1m.bin" "$u/hello.txt"
    same "$DATA/rand1m.bin" "$T/o/rand1m.bin" "h2_client --upgrade -> h2_server GET /rand1m.bin"
    same "$DATA/hello.txt" "$T/o/hello.txt" "h2_client --upgrade -> h2_server GET /hello.txt"
    stop_server
    note "GET, trailers, 10 MB echo, reset and Upgrade between the two examples"
}

t_self_tls() {
    need_tls
    start_server --tls "$CERT" "$KEY"
    mkdir -p "$T/o"
    client_must tls -k -o "$T/o" "https://127.0.0.1:$PORT/size/2000000" "https://127.0.0.1:$PORT/data.json"
    same "$(pattern_file 2000000)" "$T/o/2000000" "h2_client -> h2_server over TLS GET /size/2000000"
    same "$DATA/data.json" "$T/o/data.json" "h2_client -> h2_server over TLS GET /data.json"
    client_must echo -k -o "$T/o" -d "$SUITE/upload/post5m.bin" "https://127.0.0.1:$PORT/echo"
    same "$SUITE/upload/post5m.bin" "$T/o/echo" "h2_client -> h2_server over TLS POST 5 MB echo"
    stop_server
    note "GETs and a 5 MB echo over TLS between the two examples"
}

# ---------------------------------------------------------------- runner

TESTS=(
    curl-h2c-get curl-h2c-head curl-h2c-post curl-h2c-parallel
    curl-tls-get curl-tls-head curl-tls-post curl-tls-parallel
    curl-upgrade
    nghttp-get nghttp-variants nghttp-upload nghttp-flow nghttp-upgrade
    h2load h2load-tls
    client-nghttpd client-nghttpd-tls client-nghttpd-flow
    client-py-server client-py-server-hard
    py-client py-client-tls py-flow py-bad-peer idle-timeout
    shutdown-py shutdown-curl client-shutdown
    self self-tls
)

list=0
keep=0
verbose=0
patterns=()
while [ $# -gt 0 ]; do
    case $1 in
        -l) list=1 ;;
        -k) keep=1 ;;
        -v) verbose=1 ;;
        -h | --help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        -*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
        *) patterns+=("$1") ;;
    esac
    shift
done
if [ $list = 1 ]; then
    printf '%s\n' "${TESTS[@]}"
    exit 0
fi

selected=()
for t in "${TESTS[@]}"; do
    if [ ${#patterns[@]} -eq 0 ]; then
        selected+=("$t")
        continue
    fi
    for p in "${patterns[@]}"; do
        # shellcheck disable=SC2053
        if [[ $t == $p ]]; then
            selected+=("$t")
            break
        fi
    done
done
[ ${#selected[@]} -gt 0 ] || { echo "run.sh: no test matches ${patterns[*]}" >&2; exit 2; }

for bin in "$H2_SERVER" "$H2_CLIENT"; do
    [ -x "$bin" ] || { echo "FAIL: $bin not found or not executable (build it with make examples)"; exit 1; }
done
H2_SERVER=$(cd "$(dirname "$H2_SERVER")" && pwd)/$(basename "$H2_SERVER")
H2_CLIENT=$(cd "$(dirname "$H2_CLIENT")" && pwd)/$(basename "$H2_CLIENT")

SUITE=$(mktemp -d "${TMPDIR:-/tmp}/h2-interop.XXXXXX")

# Whatever a test left behind (it was interrupted, say) is stopped here.
cleanup() {
    local f
    for f in "$SUITE"/*/pids; do
        kill_tracked "$f"
    done
    if [ "$keep" = 1 ]; then
        echo "interop: kept $SUITE"
    else
        rm -rf "$SUITE"
    fi
}
trap cleanup EXIT
trap 'echo "interop: interrupted"; exit 130' INT TERM

make_data
make_cert

passed=0
failed=()
skipped=()
suite_start=$SECONDS
for t in "${selected[@]}"; do
    T="$SUITE/$t"
    mkdir -p "$T"
    start=$SECONDS
    (
        cd "$T" || exit 1
        # A test's own processes end with it, whatever way it ends.
        trap 'kill_tracked "$T/pids"' EXIT
        "t_${t//-/_}"
    ) >"$T/log" 2>&1
    rc=$?
    took=$((SECONDS - start))
    case $rc in
        0)
            passed=$((passed + 1))
            echo "PASS: $t (${took}s)"
            [ $verbose = 1 ] && cat "$T/log"
            ;;
        77)
            skipped+=("$t")
            grep -m1 '^SKIP:' "$T/log" | sed "s/^SKIP:/SKIP: $t:/"
            ;;
        *)
            failed+=("$t")
            echo "FAIL: $t (${took}s, status $rc)"
            sed 's/^/    /' "$T/log"
            # The servers' own words, often the reason a client failed.
            for f in "$T/server.err" "$T/py_server.err" "$T/nghttpd.err"; do
                if [ -s "$f" ] && ! grep -qF -- "--- $f" "$T/log"; then
                    echo "    --- $f (last 15 lines)"
                    tail -n 15 "$f" | cut -c1-300 | sed 's/^/    | /'
                fi
            done
            if [ -s "$T/commands" ]; then
                echo "    commands run:"
                tail -n 8 "$T/commands" | cut -c1-400 | sed 's/^/      /'
            fi
            ;;
    esac
done

echo "interop: ${passed} passed, ${#failed[@]} failed, ${#skipped[@]} skipped in $((SECONDS - suite_start))s"
[ ${#failed[@]} -eq 0 ] || { echo "interop: failed: ${failed[*]}"; exit 1; }
exit 0
