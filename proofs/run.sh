#!/usr/bin/env bash
# Runs Frama-C WP over every function of every file in src/ and writes the
# proved/total table to proofs/REPORT.md. Exits non-zero on any unproved
# goal. Each file's functions are proved with the whole library loaded, so
# calls across files use the callee's contract. The ACSL lemmas of all
# files are proved by one more job (the row "lemmas"): Frama-C proves no
# lemma in a run limited to some functions.
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
# Files listed in proofs/in-progress.txt are skipped by `make proofs`.
# WP_IN_PROGRESS=1 (`make proofs-wip`) proves only them, one function per
# Frama-C process, with a shorter timeout per goal (WP_TIMEOUT_IN_PROGRESS)
# and a wall-clock limit per function (WP_FUNCTION_LIMIT seconds, for goal
# generation and proving together), and writes proofs/REPORT-in-progress.md:
# each function's proved/total and the name of every goal left unproved, or
# that its goals were not all generated and tried within the limit. Such a
# run does not fail. PROOF_FUNCTIONS="f g" re-proves only those functions
# and keeps the other functions' logs (proofs/logs-wip/, one per function)
# from the last run. Every other file must prove whole.
set -u
cd "$(dirname "$0")/.."

WP_TIMEOUT=${WP_TIMEOUT:-60}
WP_TIMEOUT_IN_PROGRESS=${WP_TIMEOUT_IN_PROGRESS:-5}
WP_IN_PROGRESS=${WP_IN_PROGRESS:-0}
WP_FUNCTION_LIMIT=${WP_FUNCTION_LIMIT:-900}
PROOF_JOBS=${PROOF_JOBS:-$(nproc 2>/dev/null || echo 2)}
PROOF_CHUNK=${PROOF_CHUNK:-8}
PROOF_FUNCTIONS=${PROOF_FUNCTIONS:-}
logs=proofs/logs
[ "$WP_IN_PROGRESS" = 1 ] && logs=proofs/logs-wip
mkdir -p proofs/wp-cache

# Unsigned wrap-around and narrowing conversions are goals too (as in
# ANSSI's x509-parser), not silently allowed.
# -wp-par 2: both provers on a goal at once, the first proof settles it.
# One at a time, z3 first, a goal only cvc4 proves cost z3's whole timeout
# whenever the cache had no z3 answer for it.
flags=(-cpp-extra-args="-Iinclude -Isrc" -wp -wp-rte
       -warn-unsigned-overflow -warn-unsigned-downcast -wp-init-const
       -wp-prover z3,cvc4 -wp-par 2 -wp-split
       -wp-cache "${WP_CACHE:-update}" -wp-cache-dir "$PWD/proofs/wp-cache")

# One chunk: run.sh --chunk FILE INDEX FUNCTIONS TIMEOUT LIMIT
# (LIMIT: seconds for the whole chunk, 0 for none).
if [ "${1:-}" = "--chunk" ]; then
    f=$2 index=$3 fns=$4 timeout=$5 limit=$6
    extra=()
    case "$f" in proofs/*) extra=("$f") ;; esac
    log="$logs/$(basename "$f" .c).$index.log"
    start=$(date +%s)
    # -wp-fct leaves lemmas out; the job "lemmas" proves them all.
    select=(-wp-fct "$fns")
    if [ "$f" = lemmas ]; then
        select=(-wp-prop @lemma)
        extra=(proofs/*.c)
    fi
    timeout "$limit" frama-c "${flags[@]}" -wp-timeout "$timeout" "${select[@]}" \
        src/*.c "${extra[@]}" > "$log" 2>&1
    if [ $? -eq 124 ]; then
        echo "[proofs] not finished in $limit s" >> "$log"
    fi
    line=$(grep -E 'Proved goals: *[0-9]+ */ *[0-9]+' "$log" | tail -n 1)
    [ -n "$line" ] || line="Proved goals: none (not finished in $limit s)"
    echo "proofs: $f [$index] $fns: ${line#*Proved goals:} ($(( $(date +%s) - start )) s)"
    exit 0
fi

# proofs/*.c hold proof-only functions (round-trip properties): they are
# proved with the library loaded beside them.
in_progress=$(grep -v '^#' proofs/in-progress.txt 2>/dev/null || true)
is_wip() { echo "$in_progress" | grep -qx "$1"; }

if [ "$WP_IN_PROGRESS" = 1 ]; then
    files=${PROOF_FILES:-$in_progress}
else
    files=${PROOF_FILES:-$(ls -S src/*.c proofs/*.c)}
fi
[ -n "$PROOF_FUNCTIONS" ] && [ "$WP_IN_PROGRESS" = 1 ] || rm -rf "$logs"
mkdir -p "$logs"

# Names of the functions a file defines (a definition starts a line).
functions_of() {
    sed -nE 's/^[A-Za-z_][A-Za-z0-9_ *]*[ *]([a-z_][a-z0-9_]*)\(.*[^;]$/\1/p' "$1" \
      | grep -vE '^(if|for|while|switch|return)$' | sort -u
}

# The job list: one line per chunk, largest files first.
jobs_file=$logs/jobs
: > "$jobs_file"
for f in $files; do
    chunk=$PROOF_CHUNK
    limit=0
    timeout=$WP_TIMEOUT
    if is_wip "$f"; then
        [ "$WP_IN_PROGRESS" = 1 ] || continue
        chunk=1
        limit=$WP_FUNCTION_LIMIT
        timeout=$WP_TIMEOUT_IN_PROGRESS
    fi
    # A chunk's log is named by its number, or by its function when each
    # function has a process of its own.
    functions_of "$f" | paste -d, $(printf -- '- %.0s' $(seq "$chunk")) |
        sed 's/,*$//' |
        awk -v f="$f" -v t="$timeout" -v l="$limit" -v one="$chunk" \
            'NF { print f, (one == 1 ? $0 : NR), $0, t, l }' \
        >> "$jobs_file"
done

# The lemmas of every file (ACSL lemmas are proved, never assumed): one
# job, run with the files whose functions are proved.
if [ "$WP_IN_PROGRESS" != 1 ]; then
    echo "lemmas 1 @lemma $WP_TIMEOUT 0" >> "$jobs_file"
fi

run_file=$jobs_file
if [ -n "$PROOF_FUNCTIONS" ] && [ "$WP_IN_PROGRESS" = 1 ]; then
    run_file=$logs/jobs-run
    for fn in $(echo "$PROOF_FUNCTIONS" | tr ',' ' '); do
        awk -v fn="$fn" '$3 == fn' "$jobs_file"
    done > "$run_file"
fi
echo "proofs: $(wc -l < "$run_file") chunks, $PROOF_JOBS at a time"
xargs -P "$PROOF_JOBS" -L 1 bash "$0" --chunk < "$run_file"

# In-progress files: one row per function (each had a Frama-C process of
# its own), with the name of every goal it leaves unproved.
if [ "$WP_IN_PROGRESS" = 1 ]; then
    report=proofs/REPORT-in-progress.md
    rows=()
    all_proved=0
    all_goals=0
    unfinished=0
    while read -r f index fn _ _; do
        log="$logs/$(basename "$f" .c).$index.log"
        line=$(grep -sE 'Proved goals: *[0-9]+ */ *[0-9]+' "$log" | tail -n 1)
        if [ -z "$line" ]; then
            if [ ! -e "$log" ]; then
                rows+=("| $f | \`$fn\` | - | - | not run (no log from an earlier run) |")
            elif grep -q '^\[proofs\] not finished' "$log"; then
                scheduled=$(grep -oE '[0-9]+ goals scheduled' "$log" | tail -n 1 | cut -d' ' -f1)
                spent=$(sed -n 's/^\[proofs\] not finished in \([0-9]*\) s$/\1/p' "$log")
                what="goals not all generated and tried in $spent s"
                [ -n "$scheduled" ] && what="$scheduled goals generated, not all tried in $spent s"
                rows+=("| $f | \`$fn\` | - | - | $what |")
            else
                rows+=("| $f | \`$fn\` | - | - | Frama-C failed (see its log) |")
            fi
            unfinished=$((unfinished + 1))
            continue
        fi
        p=$(echo "$line" | sed -E 's/.*Proved goals: *([0-9]+) *\/ *([0-9]+).*/\1/')
        g=$(echo "$line" | sed -E 's/.*Proved goals: *([0-9]+) *\/ *([0-9]+).*/\2/')
        all_proved=$((all_proved + p))
        all_goals=$((all_goals + g))
        # Goal names without the typed_<function>_ prefix WP gives them.
        names=$(grep -oE '^\[wp\] \[(Failed|Timeout|Unknown)\] Goal typed_[A-Za-z0-9_]+' "$log" |
                sed -E "s/.*Goal typed_(${fn}_)?//" | paste -sd' ' | sed 's/ /, /g')
        rows+=("| $f | \`$fn\` | $p | $g | ${names:-all proved} |")
    done < "$jobs_file"
    {
        echo "# Proofs in progress"
        echo
        echo "Files of proofs/in-progress.txt, which \`make proofs\` skips. Written by"
        echo "\`make proofs-wip\` (proofs/run.sh): Frama-C WP with the flags of"
        echo "\`make proofs\`, one process per function, ${WP_TIMEOUT_IN_PROGRESS} s per goal and"
        echo "prover, at most ${WP_FUNCTION_LIMIT} s per function. Every goal not proved is"
        echo "named (without the \`typed_<function>_\` prefix WP gives it)."
        commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
        git diff --quiet HEAD -- src include 2>/dev/null || commit="$commit with local changes"
        echo "Sources: commit $commit."
        echo
        echo "Functions finished: $(( ${#rows[@]} - unfinished )) of ${#rows[@]}; goals proved in them:"
        echo "$all_proved of $all_goals."
        echo
        echo "| file | function | proved | goals | goals not proved |"
        echo "|---|---|---:|---:|---|"
        for r in "${rows[@]}"; do echo "$r"; done
    } > "$report"
    echo "proofs: in progress: $all_proved / $all_goals goals proved," \
         "$unfinished of ${#rows[@]} functions not finished; see $report"
    exit 0
fi

report=proofs/REPORT.md
rows=()
status=0
total_proved=0
total_goals=0
for f in $(ls src/*.c proofs/*.c) lemmas; do
    base=$(basename "$f" .c)
    if [ "$f" != lemmas ] && ! echo "$files" | tr ' ' '\n' | grep -qx "$f"; then
        continue
    fi
    if is_wip "$f"; then
        echo "proofs: $f: in progress, skipped (make proofs-wip runs it)"
        rows+=("| $f | - | - | in progress: per function in proofs/REPORT-in-progress.md (make proofs-wip) |")
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
    if [ "$proved" = "$goals" ]; then
        verdict="proved"
    else
        verdict="**$((goals - proved)) unproved**"
        status=1
        echo "proofs: $f: unproved goals:"
        cat "$logs/$base".*.log | grep -E '^\[wp\] \[(Failed|Timeout|Unknown)' |
            sed 's/^/  /' | head -n 40
    fi
    label=$f
    [ "$f" = lemmas ] && label="lemmas (every file)"
    printf 'proofs: %-28s %5s / %-5s %s\n' "$label" "$proved" "$goals" "$verdict"
    rows+=("| $label | $proved | $goals | $verdict |")
    total_proved=$((total_proved + proved))
    total_goals=$((total_goals + goals))
done

{
    echo "# Proof report"
    echo
    echo "Frama-C WP with \`-wp-rte -warn-unsigned-overflow -warn-unsigned-downcast\`,"
    echo "provers z3 and cvc4 through Why3, ${WP_TIMEOUT} s per goal. Written by"
    echo "\`make proofs\` (proofs/run.sh); logs in proofs/logs/ (not kept in git)."
    echo "Files still in progress are in proofs/REPORT-in-progress.md."
    commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
    git diff --quiet HEAD -- src include 'proofs/*.c' 2>/dev/null || commit="$commit with local changes"
    echo "Sources: commit $commit."
    echo
    echo "| file | proved | goals | status |"
    echo "|---|---:|---:|---|"
    for r in "${rows[@]}"; do echo "$r"; done
    echo "| **all** | $total_proved | $total_goals | |"
} > "$report"

echo "proofs: $total_proved / $total_goals goals proved"
exit $status
