#!/bin/sh
# The libh2 demo: h2_server on a free local port serving a generated
# directory, h2_client (and curl, when installed) fetching from it over
# HTTP/2, then a graceful shutdown. Usage: demo.sh BINARY_DIR
set -eu

BIN=${1:-build/examples}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/libh2-demo.XXXXXX")
server_pid=

cleanup() {
    if [ -n "$server_pid" ]; then
        kill "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

step() {
    printf '\n== %s\n' "$*"
}

fail() {
    printf 'demo: FAILED: %s\n' "$*" >&2
    exit 1
}

# Indents a file, keeping at most $2 lines of it.
show() {
    sed -n "1,${2:-1000}p" "$1" | sed 's/^/   /'
    lines=$(wc -l < "$1")
    if [ "$lines" -gt "${2:-1000}" ]; then
        printf '   ... (%s lines in all)\n' "$lines"
    fi
}

# ---- a small site -------------------------------------------------------
mkdir -p "$WORK/site/docs" "$WORK/out"
cat > "$WORK/site/index.html" <<'EOF'
<!doctype html>
<title>libh2</title>
<h1>Served over HTTP/2 by h2_server</h1>
EOF
printf 'body { font-family: sans-serif; }\n' > "$WORK/site/style.css"
printf '{"library": "libh2", "heap": false}\n' > "$WORK/site/docs/info.json"
head -c 4194304 /dev/urandom > "$WORK/site/big.bin"
head -c 307200 /dev/urandom > "$WORK/upload.bin"

step "1. h2_server: cleartext HTTP/2 on a free port, serving $(ls "$WORK/site" | wc -l | tr -d ' ') entries"
"$BIN/h2_server" -l 127.0.0.1:0 -r "$WORK/site" --port-file "$WORK/port" \
    > "$WORK/server.out" 2> "$WORK/server.log" &
server_pid=$!
tries=0
while [ ! -s "$WORK/port" ]; do
    tries=$((tries + 1))
    if [ "$tries" -gt 100 ] || ! kill -0 "$server_pid" 2>/dev/null; then
        cat "$WORK/server.log" >&2
        fail "h2_server did not start"
    fi
    sleep 0.1
done
PORT=$(cat "$WORK/port")
BASE="http://127.0.0.1:$PORT"
show "$WORK/server.out"

step "2. h2_client: four GETs at once, one connection, one stream each"
printf '   $ h2_client -v -o OUT %s/ %s/style.css %s/docs/info.json %s/big.bin\n' \
    "$BASE" "$BASE" "$BASE" "$BASE"
"$BIN/h2_client" -v -o "$WORK/out" "$BASE/" "$BASE/style.css" "$BASE/docs/info.json" \
    "$BASE/big.bin" > "$WORK/client.out" 2> "$WORK/client.log" || {
    cat "$WORK/client.out" "$WORK/client.log" >&2
    fail "h2_client returned $?"
}
printf '\n   stdout (responses, in the order asked):\n'
show "$WORK/client.out"
printf '\n   stderr with -v (frames sent ">", events received "<"; DataReceived counted, not shown):\n'
grep -v -e 'DataReceived' -e 'WindowUpdated' -e '> DATA' "$WORK/client.log" |
    sed -n '/^\[/p' > "$WORK/client.events"
show "$WORK/client.events" 24
printf '   ... and %s DataReceived events\n' "$(grep -c 'DataReceived' "$WORK/client.log" || true)"
printf '\n   summary:\n'
sed -n '/^ *stream  *status/,$p' "$WORK/client.log" | sed 's/^/   /'
cmp -s "$WORK/out/big.bin" "$WORK/site/big.bin" || fail "big.bin differs"
cmp -s "$WORK/out/index" "$WORK/site/index.html" || fail "index.html differs"
cmp -s "$WORK/out/info.json" "$WORK/site/docs/info.json" || fail "info.json differs"
printf '   saved bodies match the served files byte for byte\n'

step "3. h2_client: POST 300 KiB, echoed back as it arrives (flow control both ways)"
printf '   $ h2_client -v -d upload.bin -o OUT %s/echo\n' "$BASE"
"$BIN/h2_client" -v -d "$WORK/upload.bin" -o "$WORK/out" "$BASE/echo" \
    > "$WORK/post.out" 2> "$WORK/post.log" || {
    cat "$WORK/post.out" "$WORK/post.log" >&2
    fail "h2_client POST failed"
}
show "$WORK/post.out"
printf '   %s DATA frames sent, %s DataReceived events, %s WindowUpdated events (credit from the server)\n' \
    "$(grep -c '> DATA' "$WORK/post.log" || true)" \
    "$(grep -c 'DataReceived' "$WORK/post.log" || true)" \
    "$(grep -c 'WindowUpdated' "$WORK/post.log" || true)"
sed -n '/^ *stream  *status/,$p' "$WORK/post.log" | sed 's/^/   /'
cmp -s "$WORK/out/echo" "$WORK/upload.bin" || fail "the echo differs from the upload"
printf '   the echo matches the upload byte for byte\n'

have_curl=
if command -v curl > /dev/null 2>&1 && curl -V 2>/dev/null | grep -q HTTP2; then
    have_curl=1
fi

step "4. curl, an independent HTTP/2 client"
if [ -n "$have_curl" ]; then
    fmt='   HTTP/%{http_version} %{response_code}  %{size_download} bytes  %{time_total} s  %{url_effective}\n'
    printf '   $ curl --http2-prior-knowledge URL   (one connection each)\n'
    for path in / big.bin size/100000 trailers missing; do
        curl -sS --http2-prior-knowledge -w "$fmt" -o /dev/null "$BASE/${path#/}" ||
            fail "curl $path failed"
    done
    printf '   $ curl --http2 URL URL   (HTTP/1.1 Upgrade: h2c, then both on one connection)\n'
    curl -sS --http2 -w "$fmt" -o /dev/null "$BASE/docs/info.json" -o /dev/null "$BASE/style.css" ||
        fail "curl --http2 failed"
else
    printf '   (skipped: no curl with HTTP/2 support installed)\n'
fi

step "5. SIGTERM: GOAWAY, streams in progress finish, exit status 0"
curl_pid=
if [ -n "$have_curl" ]; then
    printf '   a slow download (curl --limit-rate 10M, 20 MB) is in progress when SIGTERM arrives:\n'
    curl -sS --http2-prior-knowledge --limit-rate 10M -o /dev/null -w "$fmt" \
        "$BASE/size/20000000" > "$WORK/slow.txt" 2>&1 &
    curl_pid=$!
    sleep 0.5
fi
kill -TERM "$server_pid"
if [ -n "$curl_pid" ]; then
    wait "$curl_pid" || { cat "$WORK/slow.txt" >&2; fail "the download was cut off"; }
    cat "$WORK/slow.txt"
fi
status=0
wait "$server_pid" || status=$?
server_pid=
printf '   server log:\n'
show "$WORK/server.log" 40
[ "$status" -eq 0 ] || fail "h2_server exited with status $status"
printf '   h2_server exited with status 0\n'

printf '\nThe same API without sockets: %s/memory_exchange and %s/frame_demo.\n' "$BIN" "$BIN"
