#!/usr/bin/env bash
# Runs libFuzzer harnesses JOBS at a time, SECONDS each, over their seed
# corpus (corpus/NAME, left as it is) and a work corpus (DIR/work/NAME,
# where new inputs go). Each writes DIR/logs/NAME.log; crash reproducers go
# to DIR/artifacts/NAME/. Prints one summary line per harness and exits
# non-zero when any harness found something (its log's tail is printed).
#
#   fuzz/run.sh DIR SECONDS JOBS NAME=DICT ...
#
# FUZZ_TIMEOUT (25 s) is libFuzzer's -timeout: a wall-clock limit per
# input, so long runs on a loaded machine want it larger. FUZZ_SEED, when
# set, fixes libFuzzer's seed, so that a run repeats the same inputs.
set -u

dir=$1 seconds=$2 jobs=$3
shift 3
mkdir -p "$dir/logs"

run_one() {
    local name=$1 dict=$2
    mkdir -p "$dir/work/$name" "$dir/artifacts/$name"
    "$dir/lf/bin/$name" -max_total_time="$seconds" -timeout="${FUZZ_TIMEOUT:-25}" \
        ${FUZZ_SEED:+-seed="$FUZZ_SEED"} -print_final_stats=1 \
        -dict="$dict" -artifact_prefix="$dir/artifacts/$name/" \
        "$dir/work/$name" "corpus/$name" > "$dir/logs/$name.log" 2>&1
    echo $? > "$dir/logs/$name.rc"
}

names=()
running=0
for spec in "$@"; do
    name=${spec%%=*}
    names+=("$name")
    rm -f "$dir/logs/$name.rc"
    echo "== fuzzing $name for $seconds s"
    run_one "$name" "${spec#*=}" &
    running=$((running + 1))
    if [ "$running" -ge "$jobs" ]; then
        wait -n
        running=$((running - 1))
    fi
done
wait

status=0
for name in "${names[@]}"; do
    log=$dir/logs/$name.log
    rc=$(cat "$dir/logs/$name.rc" 2>/dev/null || echo 1)
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
    added=$(sed -n 's/^stat::new_units_added: *//p' "$log")
    last=$(grep -E '^#[0-9]+' "$log" | tail -n 1 |
        sed -E 's/.*cov: ([0-9]+) ft: ([0-9]+) corp: ([0-9]+)\/([^ ]+).*/cov \1, ft \2, corpus \3 (\4)/')
    if [ "$rc" = 0 ]; then
        verdict="no finding"
    else
        verdict="FINDING (exit $rc), see $log"
        status=1
    fi
    echo "fuzz: $name: ${execs:-?} runs, ${rate:-?} exec/s, $last, ${added:-?} new; $verdict"
done
if [ "$status" != 0 ]; then
    for name in "${names[@]}"; do
        if [ "$(cat "$dir/logs/$name.rc" 2>/dev/null || echo 1)" != 0 ]; then
            echo "== $name"
            tail -n 40 "$dir/logs/$name.log"
        fi
    done
fi
exit "$status"
