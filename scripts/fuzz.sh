#!/usr/bin/env bash
# `make fuzz FUZZ_S=N`: builds the libFuzzer harnesses of tests/fuzz with clang in build-fuzz
# and runs each for N seconds (niced: the machine is shared), then prints a table of execs,
# exec/s, new inputs and crashes per target. The committed seeds (tests/fuzz/corpus/<t>) and
# crash inputs (tests/fuzz/regressions/<t>) are merged into a work corpus under
# build-fuzz/fuzz-work/<t>/corpus, which grows from run to run; nothing is written into
# tests/ unless FUZZ_SAVE=1 (then the inputs that add coverage are merged into the seeds).
# A crash does not stop the run: the target starts again for the time left, and the crash
# inputs land in build-fuzz/fuzz-work/<t>/crashes (copy them into tests/fuzz/regressions/<t>
# once fixed). Each run is appended to build-fuzz/fuzz-runs.tsv.
#   FUZZ_S=60 (seconds per target)  FUZZ_TARGETS="fuzz_csv fuzz_xlsx"  FUZZ_BUILD=build-fuzz
# Exit status 1 when a target crashed.
set -euo pipefail
cd "$(dirname "$0")/.."
S=${FUZZ_S:-60}
B=${FUZZ_BUILD:-build-fuzz}
ALL="fuzz_body fuzz_query fuzz_router fuzz_money_date fuzz_csv fuzz_xlsx fuzz_json_body"
TARGETS=${FUZZ_TARGETS:-$ALL}
CC_FUZZ=${CC_FUZZ:-clang}

command -v "$CC_FUZZ" >/dev/null || { echo "fuzz: $CC_FUZZ not found (scripts/install-deps.sh fuzz installs it)"; exit 2; }
CC=$CC_FUZZ nice cmake -S . -B "$B" -DHZ_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
# shellcheck disable=SC2086
nice cmake --build "$B" -j "${JOBS:-2}" --target $TARGETS

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp
summary=()
crashed=0
for t in $TARGETS; do
  w=$B/fuzz-work/$t
  mkdir -p "$w/corpus" "$w/crashes" "$w/logs"
  bin=$B/tests/$t
  dict=()
  [ -f "tests/fuzz/dict/$t.dict" ] && dict=(-dict="tests/fuzz/dict/$t.dict")
  seeds=(tests/fuzz/corpus/$t)
  [ -d "tests/fuzz/regressions/$t" ] && seeds+=(tests/fuzz/regressions/$t)
  nice "$bin" -merge=1 "$w/corpus" "${seeds[@]}" >"$w/logs/merge.log" 2>&1 || true
  # crash-, leak-, oom- and timeout- inputs count; slow-unit- ones (a unit slower than 10 s,
  # which a loaded machine makes) are only kept.
  count_crashes() { find "$w/crashes" -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'oom-*' -o -name 'timeout-*' \) | wc -l; }
  before=$(count_crashes)
  execs=0 newunits=0 left=$S start=$(date +%s) runs=0
  while [ "$left" -gt 0 ]; do
    log=$w/logs/run-$(date +%Y%m%d-%H%M%S)-$runs.log
    set +e
    nice "$bin" "${dict[@]}" -max_total_time="$left" -timeout=30 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="$w/crashes/" "$w/corpus" >"$log" 2>&1
    rc=$?
    set -e
    e=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    n=$(sed -n 's/^stat::new_units_added: *//p' "$log" | tail -1)
    execs=$((execs + ${e:-0}))
    newunits=$((newunits + ${n:-0}))
    runs=$((runs + 1))
    left=$((S - ($(date +%s) - start)))
    if [ $rc -ne 0 ]; then
      echo "fuzz: $t stopped (exit $rc), see $log"
      grep -m3 -E '^==[0-9]+==ERROR|runtime error|deadly signal|Test unit written' "$log" || true
      [ $runs -ge 20 ] && break # crashing at once every time: no use going on
    fi
  done
  secs=$(($(date +%s) - start))
  crashes=$(($(count_crashes) - before))
  [ "$crashes" -gt 0 ] && crashed=1
  rate=$((secs > 0 ? execs / secs : 0))
  printf '%s: %d s, %d execs, %d exec/s, %d new inputs, %d crashes\n' "$t" "$secs" "$execs" "$rate" "$newunits" "$crashes"
  printf '%s\t%s\t%d\t%d\t%d\t%d\n' "$(date -u +%FT%TZ)" "$t" "$secs" "$execs" "$newunits" "$crashes" >>"$B/fuzz-runs.tsv"
  summary+=("$(printf '%-16s %6d %12d %9d %6d %7d %8d' "$t" "$secs" "$execs" "$rate" "$newunits" "$crashes" "$(find "$w/corpus" -type f | wc -l)")")
  if [ "${FUZZ_SAVE:-0}" = 1 ]; then
    nice "$bin" -merge=1 "tests/fuzz/corpus/$t" "$w/corpus" >"$w/logs/save.log" 2>&1 || true
  fi
done

echo ""
printf '%-16s %6s %12s %9s %6s %7s %8s\n' target seconds execs exec/s new crashes corpus
printf '%s\n' "${summary[@]}"
if [ -f "$B/fuzz-runs.tsv" ]; then
  echo ""
  echo "all runs so far ($B/fuzz-runs.tsv):"
  awk -F'\t' '{s[$2]+=$3; x[$2]+=$4; c[$2]+=$6} END {for (t in s) printf "  %-16s %7d s %12d execs %4d crashes\n", t, s[t], x[t], c[t]}' "$B/fuzz-runs.tsv" | sort
fi
[ $crashed -eq 0 ] || { echo "fuzz: crash inputs in $B/fuzz-work/*/crashes"; exit 1; }
