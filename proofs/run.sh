#!/usr/bin/env bash
# Runs Frama-C WP over every function of every file in src/ and writes the
# proved/total table to proofs/REPORT.md. Exits non-zero on any unproved
# goal. Each file's functions are proved with the whole library loaded, so
# calls across files use the callee's contract.
#
#   PROOF_FILES="src/h2_frame.c"  limit the run to some files
#   WP_TIMEOUT=60                 seconds per goal and prover
#   PROOF_JOBS=N                  Frama-C processes at once (default: cores)
#   PROOF_CHUNK=8                 functions per Frama-C process
#   WP_CACHE=update               WP's prover cache mode (none: prove all)
#
# Most of WP's time goes to building and simplifying goals, which one
# Frama-C process does on one core: the functions of each file are proved in
# chunks, several processes at once, largest files first.
#
# Prover answers are cached in proofs/wp-cache, kept in git, keyed by the
# exact text of each goal, prover and timeout: a goal whose text changed is
# proved again, an unchanged one is answered from the cache. WP still builds
# and checks every goal. WP_CACHE=none proves everything afresh;
# `make proofs-rebuild` empties the cache and refills it.
#
# Files listed in proofs/in-progress.txt are skipped unless WP_IN_PROGRESS=1
# (`make proofs-wip`): then they are proved with a shorter timeout
# (WP_TIMEOUT_IN_PROGRESS), every goal they leave unproved is listed in the
# report by function, and they do not fail the run. Every other file must
# prove whole.
set -u
cd "$(dirname "$0")/.."

WP_TIMEOUT=${WP_TIMEOUT:-60}
WP_TIMEOUT_IN_PROGRESS=${WP_TIMEOUT_IN_PROGRESS:-5}
WP_IN_PROGRESS=${WP_IN_PROGRESS:-0}
PROOF_JOBS=${PROOF_JOBS:-$(nproc 2>/dev/null || echo 2)}
PROOF_CHUNK=${PROOF_CHUNK:-8}
logs=proofs/logs
mkdir -p proofs/wp-cache

# Unsigned wrap-around and narrowing conversions are goals too (as in
# ANSSI's x509-parser), not silently allowed.
flags=(-cpp-extra-args="-Iinclude -Isrc" -wp -wp-rte
       -warn-unsigned-overflow -warn-unsigned-downcast -wp-init-const
       -wp-prover z3,cvc4 -wp-par 1 -wp-split
       -wp-cache "${WP_CACHE:-update}" -wp-cache-dir "$PWD/proofs/wp-cache")

# One chunk: run.sh --chunk FILE INDEX FUNCTIONS TIMEOUT
if [ "${1:-}" = "--chunk" ]; then
    f=$2 index=$3 fns=$4 timeout=$5
    extra=()
    case "$f" in proofs/*) extra=("$f") ;; esac
    log="$logs/$(basename "$f" .c).$index.log"
    start=$(date +%s)
    frama-c "${flags[@]}" -wp-timeout "$timeout" -wp-fct "$fns" src/*.c \
        "${extra[@]}" > "$log" 2>&1
    line=$(grep -E 'Proved goals: *[0-9]+ */ *[0-9]+' "$log" | tail -n 1)
    echo "proofs: $f [$index] ${line#*Proved goals:} ($(( $(date +%s) - start )) s)"
    exit 0
fi

# proofs/*.c hold proof-only functions (round-trip properties): they are
# proved with the library loaded beside them.
files=${PROOF_FILES:-$(ls -S src/*.c proofs/*.c)}
rm -rf "$logs"
mkdir -p "$logs"

# Names of the functions a file defines (a definition starts a line).
functions_of() {
    sed -nE 's/^[A-Za-z_][A-Za-z0-9_ *]*[ *]([a-z_][a-z0-9_]*)\(.*[^;]$/\1/p' "$1" \
      | grep -vE '^(if|for|while|switch|return)$' | sort -u
}

in_progress=$(grep -v '^#' proofs/in-progress.txt 2>/dev/null || true)
is_wip() { echo "$in_progress" | grep -qx "$1"; }

# The job list: one line per chunk, largest files first.
jobs_file=$logs/jobs
: > "$jobs_file"
for f in $files; do
    if is_wip "$f"; then
        [ "$WP_IN_PROGRESS" = 1 ] || continue
        timeout=$WP_TIMEOUT_IN_PROGRESS
    else
        timeout=$WP_TIMEOUT
    fi
    functions_of "$f" | paste -d, $(printf -- '- %.0s' $(seq "$PROOF_CHUNK")) |
        sed 's/,*$//' | awk -v f="$f" -v t="$timeout" 'NF { print f, NR, $0, t }' \
        >> "$jobs_file"
done

echo "proofs: $(wc -l < "$jobs_file") chunks, $PROOF_JOBS at a time"
xargs -P "$PROOF_JOBS" -L 1 bash "$0" --chunk < "$jobs_file"

report=proofs/REPORT.md
rows=()
pending_rows=()
status=0
total_proved=0
total_goals=0
for f in $(ls src/*.c proofs/*.c); do
    base=$(basename "$f" .c)
    if ! echo "$files" | tr ' ' '\n' | grep -qx "$f"; then
        continue
    fi
    if is_wip "$f" && [ "$WP_IN_PROGRESS" != 1 ]; then
        echo "proofs: $f: in progress, skipped (make proofs-wip runs it)"
        rows+=("| $f | - | - | in progress: not run by make proofs (make proofs-wip) |")
        continue
    fi
    proved=0
    goals=0
    failed_run=0
    for log in "$logs/$base".*.log; do
        [ -e "$log" ] || continue
        line=$(grep -E 'Proved goals: *[0-9]+ */ *[0-9]+' "$log" | tail -n 1)
        if [ -z "$line" ]; then
            echo "proofs: $f: Frama-C failed, see $log"
            tail -n 20 "$log"
            failed_run=1
            continue
        fi
        p=$(echo "$line" | sed -E 's/.*Proved goals: *([0-9]+) *\/ *([0-9]+).*/\1/')
        g=$(echo "$line" | sed -E 's/.*Proved goals: *([0-9]+) *\/ *([0-9]+).*/\2/')
        proved=$((proved + p))
        goals=$((goals + g))
    done
    if [ $failed_run -eq 1 ]; then
        rows+=("| $f | - | - | Frama-C failed |")
        status=1
        continue
    fi
    unproved=$(cat "$logs/$base".*.log | grep -E '^\[wp\] \[(Failed|Timeout|Unknown)')
    if [ "$proved" = "$goals" ]; then
        verdict="proved"
    elif is_wip "$f"; then
        verdict="in progress: $((goals - proved)) unproved"
        # Unproved goals per function, longest function name first so
        # that a name that prefixes another is matched last.
        names=$(echo "$unproved" | grep -oE 'Goal typed_[A-Za-z0-9_]+' | sed 's/Goal typed_//')
        for fn in $(functions_of "$f" | awk '{ print length, $0 }' | sort -rn | cut -d' ' -f2); do
            n=$(echo "$names" | awk -v fn="$fn" 'index($0, fn "_") == 1' | wc -l)
            names=$(echo "$names" | awk -v fn="$fn" 'index($0, fn "_") != 1')
            [ "$n" -gt 0 ] && pending_rows+=("| $f | \`$fn\` | $n |")
        done
    else
        verdict="**$((goals - proved)) unproved**"
        status=1
        echo "proofs: $f: unproved goals:"
        echo "$unproved" | sed 's/^/  /' | head -n 40
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
    echo "provers z3 and cvc4 through Why3, ${WP_TIMEOUT} s per goal"
    echo "(${WP_TIMEOUT_IN_PROGRESS} s in the files still in progress). Written by"
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
