#!/usr/bin/env bash
# The soak (make soak, and the end of make bench; bench/README.md): SOAK_S seconds (600) of
# mixed reads and writes against one huizhan serve on a generated city — unit project
# lists (random units' tokens), the boards (dashboard and ranking, gzip) and paced audited
# writes (follow-ups) that make every kept answer stale — while the server's resident
# memory (VmRSS) is sampled every SOAK_SAMPLE_S seconds. Passes when, after the warm-up
# (the first SOAK_WARMUP_S seconds), the mean of the last third of the samples is within
# 10 % of the mean of the first third, no answer failed (non-2xx/3xx or a socket error), and `huizhan check` and
# `huizhan audit verify` are clean on the database afterwards. Prints the samples and the
# verdict; exits 1 when it fails. Not a test: minutes long.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$ROOT/build}
BIN=${HZ_BIN:-$BUILD/huizhan}
SOAK_S=${SOAK_S:-600}
SOAK_SAMPLE_S=${SOAK_SAMPLE_S:-$(( SOAK_S >= 300 ? 30 : (SOAK_S / 10 > 1 ? SOAK_S / 10 : 1) ))}
SOAK_WARMUP_S=${SOAK_WARMUP_S:-$(( SOAK_S / 5 ))}
SOAK_PORT=${SOAK_PORT:-18641}
SOAK_WRITES=${SOAK_WRITES:-20}   # writes a second (paced)
SOAK_READERS=${SOAK_READERS:-8}  # connections asking for lists; a quarter as many for the boards
UNITS=${SOAK_UNITS:-300} PROJECTS=${SOAK_PROJECTS:-30000} FOLLOW_UPS=${SOAK_FOLLOW_UPS:-100000} FUNDS=${SOAK_FUNDS:-40000}
AS_OF=2026-10-15
OUT=$BUILD/bench/soak
mkdir -p "$OUT"
say() { printf '%s\n' "soak: $*" >&2; }
die() { say "$*"; exit 1; }
command -v wrk >/dev/null && command -v sqlite3 >/dev/null && command -v curl >/dev/null ||
  die "needs wrk, sqlite3 and curl (bench/run.sh installs them, or: apt-get install wrk sqlite3 curl)"
[ -x "$BIN" ] || die "no $BIN (make build, or set HZ_BIN)"
if (exec 3<>"/dev/tcp/127.0.0.1/$SOAK_PORT") 2>/dev/null; then die "port $SOAK_PORT is in use (set SOAK_PORT)"; fi

PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

DB=$OUT/soak.db
rm -f "$DB" "$DB-wal" "$DB-shm"
say "generating $UNITS units, $PROJECTS projects, $FOLLOW_UPS follow-ups, $FUNDS funds"
"$BIN" gen --db "$DB" --units "$UNITS" --projects "$PROJECTS" --follow-ups "$FOLLOW_UPS" --funds "$FUNDS" \
  --seed 7 --as-of "$AS_OF" --password soak-pass-2026 >/dev/null
OFFICE_TOKEN=$("$BIN" token create --db "$DB" --login office --name soak)
awk -v n=50 -v u="$UNITS" 'BEGIN { for (i = 0; i < n; i++) printf "u%d_staff\n", 1 + int(i * u / n) }' |
  xargs -I{} "$BIN" token create --db "$DB" --login {} --name soak >"$OUT/unit-tokens.txt"
WUNIT=$(sqlite3 -readonly "$DB" "SELECT lead_unit_id FROM projects GROUP BY lead_unit_id ORDER BY COUNT(*) DESC LIMIT 1")
WUSER=$(sqlite3 -readonly "$DB" "SELECT id FROM users WHERE login = 'u${WUNIT}_staff'")
sqlite3 -readonly "$DB" "SELECT id FROM projects WHERE lead_unit_id = $WUNIT ORDER BY id" >"$OUT/write-projects.txt"
WTOKEN=$("$BIN" token create --db "$DB" --login "u${WUNIT}_staff" --name soak-writer)
FOLLOW_UPS_BEFORE=$(sqlite3 -readonly "$DB" "SELECT COUNT(*) FROM follow_ups")

HUIZHAN_TODAY=$AS_OF "$BIN" serve --db "$DB" --listen "127.0.0.1:$SOAK_PORT" --threads 4 >"$OUT/serve.log" 2>&1 &
HZ_PID=$!
PIDS+=("$HZ_PID")
for _ in $(seq 300); do
  curl -sf -o /dev/null "http://127.0.0.1:$SOAK_PORT/health" && break
  kill -0 "$HZ_PID" 2>/dev/null || die "huizhan serve exited: $(tail -5 "$OUT/serve.log")"
  sleep 0.1
done
rss_kib() { awk '$1 == "VmRSS:" { print $2 }' "/proc/$HZ_PID/status"; }

# The loads, each for the whole soak; their reports are read at the end.
URL=http://127.0.0.1:$SOAK_PORT
WCONNS=2
PAUSE_MS=$(( 1000 * WCONNS / SOAK_WRITES ))
BOARDS=$(( SOAK_READERS / 4 > 0 ? SOAK_READERS / 4 : 1 ))
wrk -t 1 -c "$SOAK_READERS" -d "${SOAK_S}s" -s "$ROOT/bench/list.lua" "$URL" -- "$OUT/unit-tokens.txt" 7 >"$OUT/lists.log" 2>&1 &
PIDS+=("$!")
wrk -t 1 -c "$BOARDS" -d "${SOAK_S}s" -s "$ROOT/bench/boards.lua" "$URL" -- "$OFFICE_TOKEN" >"$OUT/boards.log" 2>&1 &
PIDS+=("$!")
wrk -t 1 -c "$WCONNS" -d "${SOAK_S}s" --timeout 10s -s "$ROOT/bench/soak_write.lua" "$URL" -- "$WTOKEN" "$OUT/write-projects.txt" \
  "$AS_OF" "$WUSER" "$PAUSE_MS" >"$OUT/writes.log" 2>&1 &
PIDS+=("$!")
LOADS=("${PIDS[@]:1}")
say "soaking for ${SOAK_S}s: $SOAK_READERS list connections, $BOARDS board connection(s), ~$SOAK_WRITES writes/s; RSS every ${SOAK_SAMPLE_S}s, warm-up ${SOAK_WARMUP_S}s"

SAMPLES=()
start=$(date +%s)
printf '%8s %10s\n' "t (s)" "RSS (MiB)"
while :; do
  t=$(( $(date +%s) - start ))
  [ "$t" -le "$SOAK_S" ] || break
  kill -0 "$HZ_PID" 2>/dev/null || die "huizhan serve died at ${t}s: $(tail -5 "$OUT/serve.log")"
  kib=$(rss_kib)
  SAMPLES+=("$t $kib")
  printf '%8d %10.1f\n' "$t" "$(awk -v k="$kib" 'BEGIN { print k / 1024 }')"
  sleep "$SOAK_SAMPLE_S"
done
for p in "${LOADS[@]}"; do wait "$p" || true; done

# Failed answers: wrk's non-2xx/3xx count and socket errors, per load.
failed() { awk '/Non-2xx or 3xx responses:/ { n += $NF } /Socket errors:/ { gsub(",", ""); n += $4 + $6 + $8 + $10 } END { print n + 0 }' "$1"; }
count() { awk '$2 == "requests" && $3 == "in" { print $1 }' "$1"; }
BAD=0
for load in lists boards writes; do
  n=$(count "$OUT/$load.log")
  f=$(failed "$OUT/$load.log")
  [ -n "$n" ] || die "no report from wrk ($load): $(tail -5 "$OUT/$load.log")"
  printf '%-7s %10s answers, %s failed\n' "$load" "$n" "$f"
  BAD=$((BAD + f))
done

kill -TERM "$HZ_PID"
wait "$HZ_PID" || die "huizhan serve did not stop cleanly"
PIDS=()
WRITTEN=$(( $(sqlite3 -readonly "$DB" "SELECT COUNT(*) FROM follow_ups") - FOLLOW_UPS_BEFORE ))
echo "follow-ups written: $WRITTEN"
CHECK=ok AUDIT=ok
HUIZHAN_TODAY=$AS_OF "$BIN" check --db "$DB" >"$OUT/check.log" 2>&1 || CHECK="FAILED ($(tail -2 "$OUT/check.log" | tr '\n' ' '))"
"$BIN" audit verify --db "$DB" >"$OUT/audit.log" 2>&1 || AUDIT="FAILED ($(tail -2 "$OUT/audit.log" | tr '\n' ' '))"
echo "huizhan check: $CHECK"
echo "huizhan audit verify: $AUDIT"

# RSS after the warm-up: single samples swing with the boards being rebuilt after writes,
# so "flat" compares the mean of the last third of the samples after the warm-up with the
# mean of the first third; a leak grows steadily and shows there.
VERDICT=$(printf '%s\n' "${SAMPLES[@]}" | awk -v w="$SOAK_WARMUP_S" '
  $1 >= w { v[++n] = $2; if ($2 > max) max = $2; if (!min || $2 < min) min = $2 }
  END {
    if (n < 3) { print "FAIL fewer than 3 samples after the warm-up"; exit }
    k = int(n / 3)
    for (i = 1; i <= k; i++) { a += v[i]; b += v[n - k + i] }
    a /= k; b /= k
    growth = (b - a) / a * 100
    printf "%s after the warm-up: %d samples, min %.1f MiB, max %.1f; mean of the first %d %.1f, of the last %d %.1f (%+.1f %%; limit +10 %%)\n",
      growth <= 10 ? "PASS" : "FAIL", n, min / 1024, max / 1024, k, a / 1024, k, b / 1024, growth
  }')
echo "resident memory: ${VERDICT#* }"
OK=1
[[ $VERDICT == PASS* ]] || OK=0
[ "$BAD" = 0 ] || OK=0
[ "$CHECK" = ok ] && [ "$AUDIT" = ok ] || OK=0
[ "$WRITTEN" -gt 0 ] || OK=0
if [ "$OK" = 1 ]; then echo "soak: PASS (${SOAK_S}s, 0 failed answers, RSS flat, check and audit verify clean)"; else echo "soak: FAIL"; exit 1; fi
