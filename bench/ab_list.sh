#!/usr/bin/env bash
# A/B of the unit's project list (bench/list.lua, as in bench/run.sh) between two builds
# on the same generated database, alternating runs so a slow moment of the machine hits
# both: BASE_BIN (before a change) against HZ_BIN (after). Prints each run and the medians
# of requests/s and of the server's CPU time per request (utime + stime from /proc, the
# figure least moved by other load on the machine), with the ratios after/before.
# Usage: BASE_BIN=/path/old HZ_BIN=build/huizhan [REPS=5 DURATION=10 AB_PORT=18651] bench/ab_list.sh
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$ROOT/build}
BASE_BIN=${BASE_BIN:?set BASE_BIN to the build before the change}
HZ_BIN=${HZ_BIN:-$BUILD/huizhan}
REPS=${REPS:-5} DURATION=${DURATION:-10} AB_PORT=${AB_PORT:-18651} CONNS=${CONNS:-32}
UNITS=${AB_UNITS:-1000} PROJECTS=${AB_PROJECTS:-100000}
OUT=$BUILD/bench/ab
mkdir -p "$OUT"
DB=$OUT/ab.db
if [ ! -f "$DB" ]; then
  "$HZ_BIN" gen --db "$DB.part" --units "$UNITS" --projects "$PROJECTS" --follow-ups $((PROJECTS * 2)) --funds "$PROJECTS" \
    --seed 3 --password ab-pass-2026 >/dev/null
  mv "$DB.part" "$DB"
  awk -v n=200 -v u="$UNITS" 'BEGIN { for (i = 0; i < n; i++) printf "u%d_staff\n", 1 + int(i * u / n) }' |
    xargs -I{} "$HZ_BIN" token create --db "$DB" --login {} --name ab >"$OUT/tokens.txt"
fi
PID=
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; true' EXIT
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
run_one() { # run_one NAME BIN: prints "req/s cpu_us_per_request"
  HUIZHAN_TODAY=2026-10-15 "$2" serve --db "$DB" --listen "127.0.0.1:$AB_PORT" --threads 4 >"$OUT/$1.serve.log" 2>&1 &
  PID=$!
  for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$AB_PORT/health" && break; sleep 0.1; done
  # one short warm-up run fills the list cache as the measured run finds it
  wrk -t 2 -c "$CONNS" -d 2s -s "$ROOT/bench/list.lua" "http://127.0.0.1:$AB_PORT" -- "$OUT/tokens.txt" 1 >/dev/null
  local t0 out
  t0=$(ticks "$PID")
  out=$(wrk -t 2 -c "$CONNS" -d "${DURATION}s" -s "$ROOT/bench/list.lua" "http://127.0.0.1:$AB_PORT" -- "$OUT/tokens.txt" 1)
  local t1 n rps bad
  t1=$(ticks "$PID")
  kill "$PID"; wait "$PID" || true; PID=
  n=$(awk '$2 == "requests" && $3 == "in" { print $1 }' <<<"$out")
  rps=$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")
  bad=$(awk '/Non-2xx or 3xx responses:/ { n += $NF } /Socket errors:/ { gsub(",", ""); n += $4 + $6 + $8 + $10 } END { print n + 0 }' <<<"$out")
  [ "$bad" = 0 ] || { echo "ab: $bad failed answers ($1)" >&2; exit 1; }
  awk -v r="$rps" -v t=$((t1 - t0)) -v n="$n" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.0f %.2f\n", r, t / hz * 1e6 / n }'
}
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
: >"$OUT/before" ; : >"$OUT/after"
for i in $(seq "$REPS"); do
  b=$(run_one before "$BASE_BIN"); echo "$b" >>"$OUT/before"
  a=$(run_one after "$HZ_BIN"); echo "$a" >>"$OUT/after"
  echo "run $i: before $b   after $a   (req/s, CPU µs/request)"
done
rb=$(cut -d' ' -f1 "$OUT/before" | median) ra=$(cut -d' ' -f1 "$OUT/after" | median)
cb=$(cut -d' ' -f2 "$OUT/before" | median) ca=$(cut -d' ' -f2 "$OUT/after" | median)
awk -v rb="$rb" -v ra="$ra" -v cb="$cb" -v ca="$ca" 'BEGIN {
  printf "list req/s, median: before %.0f, after %.0f, ratio after/before %.3f\n", rb, ra, ra / rb
  printf "server CPU per request, median: before %.2f us, after %.2f us, ratio %.3f\n", cb, ca, ca / cb }'
