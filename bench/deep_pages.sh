#!/usr/bin/env bash
# Deep pages of the big lists (bench/README.md "Deep pages"): for each sort the API offers
# on projects, follow-ups and funds, the first page, the page at offset 100,000 (DEEP) and
# the last page, each asked once (so computed, never from the cache) as the office within
# campaign 1, timed with curl. Prints one markdown row per list and sort.
#
#   bench/deep_pages.sh URL TOKEN [BASE_URL BASE_TOKEN]
#
# With a second server (e.g. the binary before a change, on its own copy of the database),
# each request is made on both, the baseline first, in the same run. Every request is
# bounded by MAX_S seconds (default 120; a timed-out one prints as ">MAX_S"). With PID (and
# BASE_PID) set to the server's process id, each cell also gives the CPU time the server
# spent on the request (ms, from /proc/PID/stat), which a loaded machine does not inflate.
set -euo pipefail
URL=$1 TOKEN=$2 BASE_URL=${3:-} BASE_TOKEN=${4:-}
DEEP=${DEEP:-100000} MAX_S=${MAX_S:-120}

# ms of one GET (">MAX" when it did not finish in time, "err" on a non-200 answer)
cpu() { [ -n "$1" ] && awk '{ print $14 + $15 }' "/proc/$1/stat" || echo 0; } # clock ticks
ms() { # ms URL TOKEN [PID]
  local out c0 c1
  c0=$(cpu "${3:-}")
  out=$(curl -s -o /dev/null -m "$MAX_S" -H "Authorization: Bearer $2" -w '%{http_code} %{time_total}' "$1" || true)
  c1=$(cpu "${3:-}")
  case $out in
    200\ *) awk -v t="${out#* }" -v c=$((c1 - c0)) -v p="${3:-}" -v hz="$(getconf CLK_TCK)" \
      'BEGIN { printf "%.0f", t * 1000; if (p != "") printf " (cpu %.0f)", c * 1000 / hz }' ;;
    000\ *) echo ">$((MAX_S * 1000))" ;;
    *) echo "err ${out% *}" ;;
  esac
}
total() { curl -sf -m "$MAX_S" -H "Authorization: Bearer $2" "$1" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).total))'; }

lists=("projects:id -id -name -lead_unit_id -category -stage -planned_investment -contract_value -lead_date -last_activity_date"
  "follow-ups:-id -date -next_date -kind" "funds:-id -amount -date -kind")
if [ -n "$BASE_URL" ]; then
  echo "| list, sort | first page (ms) | offset $DEEP (ms) | last page (ms) | before: first / $DEEP / last (ms) |"
  echo "|---|---:|---:|---:|---:|"
else
  echo "| list, sort | first page (ms) | offset $DEEP (ms) | last page (ms) |"
  echo "|---|---:|---:|---:|"
fi
for l in "${lists[@]}"; do
  coll=${l%%:*}
  q="/api/v1/$coll?campaign_id=1&limit=50"
  n=$(total "$URL$q" "$TOKEN")
  last=$(((n - 1) / 50 * 50))
  for s in ${l#*:}; do
    now=() before=()
    for off in 0 "$DEEP" "$last"; do
      [ -n "$BASE_URL" ] && before+=("$(ms "$BASE_URL$q&sort=$s&offset=$off" "$BASE_TOKEN" "${BASE_PID:-}")")
      now+=("$(ms "$URL$q&sort=$s&offset=$off" "$TOKEN" "${PID:-}")")
    done
    row="| $coll ($n), sort=$s | ${now[0]} | ${now[1]} | ${now[2]} |"
    [ -n "$BASE_URL" ] && row="$row ${before[0]} / ${before[1]} / ${before[2]} |"
    echo "$row"
  done
done
