#!/usr/bin/env bash
# Runs Frama-C WP over every function of every file in src/ and writes the
# proved/total table to proofs/REPORT.md. Exits non-zero on any unproved
# goal. Each file's functions are proved with the whole library loaded, so
# calls across files use the callee's contract.
#
#   PROOF_FILES="src/h2_frame.c"  limit the run to some files
#   WP_TIMEOUT=60                 seconds per goal and prover
#   WP_PAR=2                      goals proved in parallel
set -u
cd "$(dirname "$0")/.."

WP_TIMEOUT=${WP_TIMEOUT:-60}
WP_PAR=${WP_PAR:-$(nproc 2>/dev/null || echo 2)}
files=${PROOF_FILES:-$(ls src/*.c)}
logs=proofs/logs
mkdir -p "$logs"

# Unsigned wrap-around and narrowing conversions are goals too (as in
# ANSSI's x509-parser), not silently allowed.
flags=(-cpp-extra-args="-Iinclude -Isrc" -wp -wp-rte
       -warn-unsigned-overflow -warn-unsigned-downcast -wp-init-const
       -wp-prover z3,cvc4 -wp-timeout "$WP_TIMEOUT" -wp-par "$WP_PAR"
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
for f in $files; do
    fns=$(functions_of "$f")
    base=$(basename "$f" .c)
    [ -n "$fns" ] || continue
    frama-c "${flags[@]}" -wp-fct "$fns" src/*.c > "$logs/$base.log" 2>&1
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
    else
        verdict="**$((goals - proved)) unproved**"
        status=1
        echo "proofs: $f: unproved goals:"
        grep -B0 -A3 -E '^\[wp\] \[(Failed|Timeout|Unknown)' "$logs/$base.log" \
          | grep -E 'Goal' | sed 's/^/  /' | head -n 40
        grep -E 'Goal .*: (Timeout|Unknown|Failed)' "$logs/$base.log" | sed 's/^/  /' | head -n 40
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
} > "$report"

echo "proofs: $total_proved / $total_goals goals proved"
exit $status
