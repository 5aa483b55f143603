#!/usr/bin/env bash
# The mixed load of bench/run.sh on its own, against any running huizhan (either engine):
# for SECONDS, READERS / 2 connections read the boards (bench/boards.lua: dashboard and
# ranking in turn, gzip) and as many read unit project lists (bench/list.lua), while
# WRITES follow-ups a second (each its own curl, paced by the clock) are POSTed by the
# office on random projects 1..PROJECTS. Prints the boards' p50/p99, the lists' p99, the
# answers per second, wrk's timeouts and the writes acknowledged.
#
#   bench/mixed.sh URL OFFICE_TOKEN UNIT_TOKENS_FILE [SECONDS]
#   READERS=32 WRITES=20 PROJECTS=500000 AS_OF=2026-10-15 (environment)
# See bench/README.md, "Boards after a write".
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
[ $# -ge 3 ] || { echo "usage: $0 URL OFFICE_TOKEN UNIT_TOKENS_FILE [SECONDS]" >&2; exit 2; }
HZ=${1%/} TOKEN=$2 UNIT_TOKENS=$3 SECONDS_=${4:-10}
READERS=${READERS:-32} WRITES=${WRITES:-20} PROJECTS=${PROJECTS:-500000} AS_OF=${AS_OF:-2026-10-15}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

post_follow_ups() { # paced by the clock; prints how many were acknowledged (201)
  local n=$((WRITES * SECONDS_)) t0 i due
  t0=$(date +%s%N)
  for i in $(seq "$n"); do
    due=$((t0 + i * 1000000000 / WRITES))
    while [ "$(date +%s%N)" -lt "$due" ]; do sleep 0.005; done
    curl -s -o /dev/null -w '%{http_code}\n' -m 5 -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
      -X POST -d "{\"date\":\"$AS_OF\",\"kind\":\"call\",\"summary\":\"mixed $i\"}" \
      "$HZ/api/v1/projects/$((1 + (RANDOM * 32768 + RANDOM) % PROJECTS))/follow-ups" &
  done | grep -c '^201$' || true
  wait
}

post_follow_ups >"$OUT/writes" &
WRITER=$!
wrk -t1 -c$((READERS / 2)) -d"${SECONDS_}s" --latency -s "$ROOT/bench/boards.lua" "$HZ/" -- "$TOKEN" >"$OUT/boards" 2>&1 &
BOARDS=$!
wrk -t1 -c$((READERS - READERS / 2)) -d"${SECONDS_}s" --latency -s "$ROOT/bench/list.lua" "$HZ/" -- "$UNIT_TOKENS" 1 >"$OUT/lists" 2>&1
wait $BOARDS
wait $WRITER
pct() { awk -v p="$2" '$1 == p { print $2 }' "$OUT/$1"; }
rps() { awk '/^Requests\/sec/ { print $2 }' "$OUT/$1"; }
timeouts() { awk '/Socket errors/ { gsub(",", ""); print $NF }' "$OUT/$1"; }
echo "boards: p50 $(pct boards 50%) p99 $(pct boards 99%) $(rps boards) answers/s, $(timeouts boards 2>/dev/null || echo 0) timed out"
echo "lists:  p99 $(pct lists 99%) $(rps lists) answers/s, $(timeouts lists 2>/dev/null || echo 0) timed out"
echo "writes: $(cat "$OUT/writes") of $((WRITES * SECONDS_)) acknowledged"
