#!/usr/bin/env bash
# Runs Frama-C WP over every function of every file in src/ and writes the
# proved/total table to proofs/REPORT.md. Exits non-zero on any unproved
# goal. Each file's functions are proved with the whole library loaded, so
# calls across files use the callee's contract.
#
#   PROOF_FILES="src/h2_frame.c"  limit the run to some files
#   WP_TIMEOUT=60                 seconds per goal and prover
#   WP_PAR=2                      goals proved in parallel
#
# Files listed in proofs/in-progress.txt are skipped unless WP_IN_PROGRESS=1
# (`make proofs-wip`): then they are proved with a shorter timeout, every
# goal they leave unproved is listed in the report by function, and they do
# not fail the run. Every other file must prove whole.
set -u
cd "$(dirname "$0")/.."

WP_TIMEOUT=${WP_TIMEOUT:-60}
WP_PAR=${WP_PAR:-$(nproc 2>/dev/null || echo 2)}
# proofs/*.c hold proof-only functions (round-trip properties): they are
# proved with the library loaded beside them.
files=${PROOF_FILES:-$(ls src/*.c proofs/*.c)}
logs=proofs/logs
mkdir -p "$logs"

# Unsigned wrap-around and narrowing conversions are goals too (as in
# ANSSI's x509-parser), not silently allowed.
flags=(-cpp-extra-args="-Iinclude -Isrc" -wp -wp-rte
       -warn-unsigned-overflow -warn-unsigned-downcast -wp-init-const
       -wp-prover z3,cvc4 -wp-par "$WP_PAR"
       -wp-split -wp-cache none)

# Names of the functions a file defines (a definition starts a line).
functions_of() {
    sed -nE 's/^[A-Za-z_][A-Za-z0-9_ *]*[ *]([a-z_][a-z0-9_]*)\(.*[^;]$/\1/p' "$1" \
      | grep -vE '^(if|for|while|switch|return)$' | sort -u | paste -sd, -
}

report=proofs/REPORT.md
rows=()
status=0
total_proved=0
total_goals=0
in_progress=$(grep -v '^#' proofs/in-progress.txt 2>/dev/null || true)
pending_rows=()
for f in $files; do
    fns=$(functions_of "$f")
    base=$(basename "$f" .c)
    [ -n "$fns" ] || continue
    wip=0
    if echo "$in_progress" | grep -qx "$f"; then
        wip=1
        if [ "${WP_IN_PROGRESS:-0}" != 1 ]; then
            echo "proofs: $f: in progress, skipped (make proofs-wip runs it)"
            rows+=("| $f | - | - | in progress: not run by make proofs (make proofs-wip) |")
            continue
        fi
    fi
    timeout=$WP_TIMEOUT
    [ $wip -eq 1 ] && timeout=${WP_TIMEOUT_IN_PROGRESS:-5}
    extra=()
    case "$f" in proofs/*) extra=("$f") ;; esac
    frama-c "${flags[@]}" -wp-timeout "$timeout" -wp-fct "$fns" src/*.c "${extra[@]}" \
        > "$logs/$base.log" 2>&1
    line=$(grep -E 'Proved goals: *[0-9]+ */ *[0-9]+' "$logs/$base.log" | tail -n 1)
    proved=$(echo "$line" | sed -E 's/.*Proved goals: *([0-9]+) *\/ *([0-9]+).*/\1/')
    goals=$(echo "$line" | sed -E 's/.*Proved goals: *([0-9]+) *\/ *([0-9]+).*/\2/')
    if [ -z "$line" ]; then
        echo "proofs: $f: Frama-C failed, see $logs/$base.log"
        tail -n 20 "$logs/$base.log"
        rows+=("| $f | - | - | Frama-C failed |")
        status=1
        continue
    fi
    if [ "$proved" = "$goals" ]; then
        verdict="proved"
    elif [ $wip -eq 1 ]; then
        verdict="in progress: $((goals - proved)) unproved"
        # Unproved goals per function, longest function name first so
        # that a name that prefixes another is matched last.
        for fn in $(echo "$fns" | tr ',' '\n' | awk '{ print length, $0 }' | sort -rn | cut -d' ' -f2); do
            n=$(grep -E '^\[wp\] \[(Failed|Timeout|Unknown)' "$logs/$base.log" | \
                grep -oE 'Goal typed_[A-Za-z0-9_]+' | sed 's/Goal typed_//' | \
                awk -v fn="$fn" 'index($0, fn "_") == 1' | wc -l)
            [ "$n" -gt 0 ] && pending_rows+=("| $f | \`$fn\` | $n |")
        done
    else
        verdict="**$((goals - proved)) unproved**"
        status=1
        echo "proofs: $f: unproved goals:"
        grep -E '^\[wp\] \[(Failed|Timeout|Unknown)' "$logs/$base.log" | sed 's/^/  /' | head -n 40
    fi
    printf 'proofs: %-28s %5s / %-5s %s\n' "$f" "$proved" "$goals" "$verdict"
    rows+=("| $f | $proved | $goals | $verdict |")
    total_proved=$((total_proved + proved))
    total_goals=$((total_goals + goals))
done

{
    echo "# Proof report"
    echo
    echo "Frama-C WP with \`-wp-rte -warn-unsigned-overflow -warn-unsigned-downcast\`,"
    echo "provers z3 and cvc4 through Why3, ${WP_TIMEOUT} s per goal. Written by"
    echo "\`make proofs\` (proofs/run.sh); logs in proofs/logs/ (not kept in git)."
    echo
    echo "| file | proved | goals | status |"
    echo "|---|---:|---:|---|"
    for r in "${rows[@]}"; do echo "$r"; done
    echo "| **all** | $total_proved | $total_goals | |"
    if [ ${#pending_rows[@]} -gt 0 ]; then
        echo
        echo "## Goals not proved yet (files in proofs/in-progress.txt)"
        echo
        echo "| file | function | unproved goals |"
        echo "|---|---|---:|"
        for r in "${pending_rows[@]}"; do echo "$r"; done
    fi
} > "$report"

echo "proofs: $total_proved / $total_goals goals proved"
exit $status
