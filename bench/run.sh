#!/bin/sh
# Runs the benchmark programs in DIR (built by `make bench-build`) and
# prints the results: per implementation and workload, instructions per
# request from callgrind (client and server apart) and wall-clock time per
# request, the fastest of several plain runs. Each program checks every
# response itself and exits non-zero on a mismatch, which stops this
# script. The callgrind profiles stay in DIR for callgrind_annotate:
# DIR/callgrind.IMPL.BODY.SIDE.out.
#
# usage: bench/run.sh DIR
# environment: BENCH_REQUESTS (timed runs), BENCH_VG_REQUESTS (callgrind
# runs), BENCH_REPEAT (timed runs of each), BENCH_BODIES (body sizes in
# bytes)
set -eu

dir=${1:?usage: bench/run.sh DIR}
dir=$(cd "$dir" && pwd)
requests=${BENCH_REQUESTS:-10000}
vg_requests=${BENCH_VG_REQUESTS:-2000}
repeat=${BENCH_REPEAT:-5}
bodies=${BENCH_BODIES:-1024 65536}
# name:program:lean. Lean (-l 1) is libh2 without outbound validation and
# normalization (cookie splitting, never-indexed crumbs), which nghttp2
# does not do either.
impls="libh2:bench_h2:0 libh2-lean:bench_h2:1 libh2-files:bench_h2_files:0 libh2-pic:bench_h2_pic:0 nghttp2:bench_nghttp2:0"
counts=$dir/instructions.txt
times=$dir/times.txt

command -v valgrind >/dev/null || { echo "bench: valgrind is not installed" >&2; exit 1; }

# The value of key=... in a report line.
field() {
    printf '%s\n' "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"
}

# Instructions: one callgrind run per side, counting only inside that
# side's bench_client_* or bench_server_* entry points (they never call
# one another), so the driver's own loop is left out. The receive path is
# bench_*_input (bytes in, events handled, the answers they queue); the
# send path is the rest (requests, responses, bodies, framing them).
: > "$counts"
for body in $bodies; do
    for impl in $impls; do
        name=${impl%%:*}
        lean=${impl##*:}
        prog=${impl#*:}
        prog=$dir/${prog%:*}
        sides=
        receive=
        for side in client server; do
            log=$dir/callgrind.$name.$body.$side.log
            profile=$dir/callgrind.$name.$body.$side.out
            valgrind --tool=callgrind --toggle-collect="bench_${side}_*" \
                --callgrind-out-file="$profile" \
                "$prog" -n "$vg_requests" -b "$body" -l "$lean" >/dev/null 2>"$log" ||
                { cat "$log" >&2; exit 1; }
            sides="$sides $(sed -n 's/^==[0-9]*== Collected : //p' "$log")"
            # The receive path: the inclusive cost of bench_SIDE_input.
            # Run from / so that every source path is absolute and each
            # function is listed once under its own file.
            input=$(cd / && callgrind_annotate --inclusive=yes --auto=no --threshold=100 \
                "$profile" | awk -v f="bench_${side}_input" '
                    $0 ~ "/bench_(h2|nghttp2)\\.c:" f " " { gsub(",", "", $1); print $1; exit }')
            [ -n "$input" ] || { echo "bench: no bench_${side}_input in $profile" >&2; exit 1; }
            receive="$receive $input"
        done
        echo "$name $body $vg_requests$sides$receive" >> "$counts"
    done
done

# Time: the programs take turns, round after round, so that a burst of
# load elsewhere on the machine does not fall on one of them only.
: > "$times"
round=0
while [ "$round" -lt "$repeat" ]; do
    for body in $bodies; do
        for impl in $impls; do
            name=${impl%%:*}
            lean=${impl##*:}
            prog=${impl#*:}
            prog=$dir/${prog%:*}
            line=$("$prog" -n "$requests" -b "$body" -l "$lean")
            echo "$name $body $(field ns_per_req "$line") $(field wire_to_server_per_req "$line")" \
                "$(field wire_to_client_per_req "$line")" >> "$times"
        done
    done
    round=$((round + 1))
done

echo
echo "Instructions: callgrind, $vg_requests requests per run."
echo "Time: fastest of $repeat runs of $requests requests. B->srv, B->cli: bytes on the wire per request."
echo "Ratios are to nghttp2 on the same workload (below 1: libh2 is cheaper)."
echo
awk '
    FNR == NR {
        key = $1 " " $2; order[++rows] = key; impl[key] = $1; body[key] = $2
        ir[key] = ($4 + $5) / $3; client[key] = $4 / $3; server[key] = $5 / $3
        recv[key] = ($6 + $7) / $3; send[key] = ir[key] - recv[key]
        next
    }
    {
        key = $1 " " $2
        if (!(key in ns) || $3 < ns[key]) ns[key] = $3
        up[key] = $4; down[key] = $5
    }
    END {
        for (k in impl) {
            if (impl[k] == "nghttp2") {
                b = body[k]; ref_ir[b] = ir[k]; ref_ns[b] = ns[k]
                ref_recv[b] = recv[k]; ref_send[b] = send[k]
            }
        }
        printf "%-11s %-8s %9s %9s %9s %8s %9s %8s %7s %8s\n", "impl", "body", "Ir/req",
               "client", "server", "Ir ratio", "ns/req", "ns ratio", "B->srv", "B->cli"
        for (i = 1; i <= rows; i++) {
            k = order[i]; b = body[k]
            printf "%-11s %-8s %9.0f %9.0f %9.0f %8.2f %9.0f %8.2f %7.1f %8.1f\n", impl[k],
                   b " B", ir[k], client[k], server[k], ir[k] / ref_ir[b], ns[k],
                   ns[k] / ref_ns[b], up[k], down[k]
        }
        printf "\nThe same instructions by path, both sides together:\n"
        printf "%-11s %-8s %9s %8s %9s %8s\n", "impl", "body", "recv/req", "ratio", "send/req",
               "ratio"
        for (i = 1; i <= rows; i++) {
            k = order[i]; b = body[k]
            printf "%-11s %-8s %9.0f %8.2f %9.0f %8.2f\n", impl[k], b " B", recv[k],
                   recv[k] / ref_recv[b], send[k], send[k] / ref_send[b]
        }
    }' "$counts" "$times"
