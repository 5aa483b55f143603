#!/usr/bin/env bash
# The huizhan benchmark (`make bench`; not part of `make test`). See bench/README.md for
# what each number means. Everything runs on loopback (127.0.0.1), every measurement is
# bounded in time, and every process this script starts is stopped when it exits.
#
# Settings (environment): BUILD (build dir, default build), HZ_BIN (use this binary, do
# not build), UNITS PROJECTS FOLLOW_UPS FUNDS SEED (database size), DURATION (s per wrk
# run, 10), REPS (runs per measurement, 3; the median is reported), WRITE_REPS (3),
# LAT_DURATION (s per single-connection run, 5), THREADS/CONNS (wrk, 2/32),
# SERVE_THREADS (4), UNIT_TOKENS (units that get a token for the list test, 500),
# SQL_REPEAT (statements per timed sqlite3 run, 200), HZ_PORT/NGINX_PORT (18631/18632),
# MIX_READERS / MIX_WRITES (the mixed load: readers, writes per second; 32 / 20),
# KEEP_WORK=1 (keep the database copy the run wrote to).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$ROOT/build}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
OUT=$BUILD/bench
# One audit key for the generated database and its copies (they keep no key beside them).
export HUIZHAN_AUDIT_KEY=${HUIZHAN_AUDIT_KEY:-$OUT/audit-key}
UNITS=${UNITS:-3000} PROJECTS=${PROJECTS:-500000} FOLLOW_UPS=${FOLLOW_UPS:-2000000} FUNDS=${FUNDS:-1000000}
SEED=${SEED:-1} AS_OF=2026-10-15 PASSWORD=bench-pass-2026
DURATION=${DURATION:-10} REPS=${REPS:-3} WRITE_REPS=${WRITE_REPS:-3} LAT_DURATION=${LAT_DURATION:-5}
THREADS=${THREADS:-2} CONNS=${CONNS:-32} SERVE_THREADS=${SERVE_THREADS:-4}
UNIT_TOKENS=${UNIT_TOKENS:-500} SQL_REPEAT=${SQL_REPEAT:-200} COLD_REPS=${COLD_REPS:-5}
HZ_PORT=${HZ_PORT:-18631} NGINX_PORT=${NGINX_PORT:-18632}
MIX_READERS=${MIX_READERS:-32} MIX_WRITES=${MIX_WRITES:-20}
HZ=http://127.0.0.1:$HZ_PORT NG=http://127.0.0.1:$NGINX_PORT

say() { printf '%s\n' "bench: $*" >&2; }
die() { say "$*"; exit 1; }

# ---- what this run started, stopped on any exit ----
HZ_PID= NGINX_PID= DEMO_PID= POLICY_RC=
cleanup() {
  local rc=$?
  for pid in $HZ_PID $NGINX_PID $DEMO_PID; do
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done
  [ -n "$POLICY_RC" ] && rm -f "$POLICY_RC"
  if [ "${KEEP_WORK:-0}" != 1 ] && [ -n "${OUT:-}" ]; then rm -f "$OUT/work.db" "$OUT/work.db-wal" "$OUT/work.db-shm" "$OUT"/demo.db*; fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- tools ----
install_tools() {
  local need=()
  command -v wrk >/dev/null || need+=(wrk)
  command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
  command -v sqlite3 >/dev/null || need+=(sqlite3)
  command -v curl >/dev/null || need+=(curl)
  [ -n "${HZ_CHROMIUM:-}" ] || [ -x /usr/bin/chromium ] || need+=(chromium fonts-noto-cjk) # bench/browser.mjs
  ((${#need[@]})) || return 0
  [ "$(id -u)" = 0 ] || die "missing ${need[*]}: install them (apt-get install ${need[*]}) or run as root"
  say "installing ${need[*]}"
  # Keep the package from starting a system nginx on port 80.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    POLICY_RC=/usr/sbin/policy-rc.d
    printf '#!/bin/sh\nexit 101\n' >"$POLICY_RC" && chmod +x "$POLICY_RC"
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  if [ -n "$POLICY_RC" ]; then rm -f "$POLICY_RC"; POLICY_RC=; fi
}
install_tools
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

for port in $HZ_PORT $NGINX_PORT; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then die "port $port is in use (set HZ_PORT / NGINX_PORT)"; fi
done

# ---- build ----
if [ -n "${HZ_BIN:-}" ]; then
  BIN=$HZ_BIN
else
  say "building in $BUILD"
  cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build "$BUILD" -j "$(nproc)" >/dev/null
  BIN=$BUILD/huizhan
fi
mkdir -p "$OUT/raw" "$OUT/sql" "$OUT/www" "$OUT/nginx/tmp"
rm -f "$OUT"/raw/*

# ---- the database: generated once per generator version and size, then reused ----
KEY=$( (cat "$ROOT"/src/db/migrations/*.sql "$ROOT"/src/gen/* "$ROOT"/src/store/bulk_store.c \
  "$ROOT"/src/domain/figures.c "$ROOT"/src/domain/stage.c
  echo "$UNITS $PROJECTS $FOLLOW_UPS $FUNDS $SEED $AS_OF $PASSWORD") | sha256sum | cut -c1-12)
GEN_DB=$OUT/gen-$KEY.db
if [ ! -f "$GEN_DB" ]; then
  rm -f "$OUT"/gen-*.db "$OUT"/gen-*.db-wal "$OUT"/gen-*.db-shm "$OUT"/gen-*.log "$GEN_DB.part"*
  say "generating $UNITS units, $PROJECTS projects, $FOLLOW_UPS follow-ups, $FUNDS funds (takes minutes)"
  start=$(date +%s.%N)
  "$BIN" gen --db "$GEN_DB.part" --units "$UNITS" --projects "$PROJECTS" --follow-ups "$FOLLOW_UPS" \
    --funds "$FUNDS" --seed "$SEED" --as-of "$AS_OF" --password "$PASSWORD" >"$GEN_DB.out"
  end=$(date +%s.%N)
  echo "$start $end" | awk '{printf "%.1f\n", $2 - $1}' >"$OUT/gen-$KEY.log"
  mv "$GEN_DB.part" "$GEN_DB"
  rm -f "$GEN_DB.out"
else
  say "reusing $GEN_DB"
fi
GEN_SECONDS=$(cat "$OUT/gen-$KEY.log" 2>/dev/null || echo "?")
DB_MB=$(($(stat -c %s "$GEN_DB") / 1048576))

# Writes go to a copy, so the generated database stays as generated.
WORK=$OUT/work.db
rm -f "$WORK" "$WORK-wal" "$WORK-shm"
cp "$GEN_DB" "$WORK"

# ---- huizhan check: every running total recomputed from the raw records ----
say "running huizhan check"
start=$(date +%s.%N)
HUIZHAN_TODAY=$AS_OF "$BIN" check --db "$WORK" >"$OUT/check.log" 2>&1 || die "huizhan check failed: $(tail -3 "$OUT/check.log")"
CHECK_SECONDS=$(echo "$start $(date +%s.%N)" | awk '{printf "%.1f", $2 - $1}')

# ---- accounts: the office, and a sample of units' unit_staff accounts ----
OFFICE_TOKEN=$("$BIN" token create --db "$WORK" --login office --name bench)
[ "$UNIT_TOKENS" -gt "$UNITS" ] && UNIT_TOKENS=$UNITS
say "creating bearer tokens for $UNIT_TOKENS units"
awk -v n="$UNIT_TOKENS" -v u="$UNITS" 'BEGIN { for (i = 0; i < n; i++) printf "u%d_staff\n", 1 + int(i * u / n) }' |
  xargs -P 4 -I{} "$BIN" token create --db "$WORK" --login {} --name bench >"$OUT/unit-tokens.txt"
[ "$(grep -c . "$OUT/unit-tokens.txt")" = "$UNIT_TOKENS" ] || die "could not create the unit tokens"
# The writing unit: the one with the median number of projects.
WUNIT=$(sqlite3 -readonly "$WORK" "SELECT lead_unit_id FROM projects GROUP BY lead_unit_id ORDER BY COUNT(*), lead_unit_id LIMIT 1 OFFSET (SELECT COUNT(DISTINCT lead_unit_id) / 2 FROM projects)")
WUSER=$(sqlite3 -readonly "$WORK" "SELECT id FROM users WHERE login = 'u${WUNIT}_staff'")
sqlite3 -readonly "$WORK" "SELECT id FROM projects WHERE lead_unit_id = $WUNIT ORDER BY id" >"$OUT/write-projects.txt"
WTOKEN=$("$BIN" token create --db "$WORK" --login "u${WUNIT}_staff" --name bench-writer)

# ---- huizhan ----
say "starting huizhan serve on $HZ ($SERVE_THREADS threads)"
HUIZHAN_TODAY=$AS_OF "$BIN" serve --db "$WORK" --listen "127.0.0.1:$HZ_PORT" --threads "$SERVE_THREADS" \
  >"$OUT/serve.log" 2>&1 &
HZ_PID=$!
for i in $(seq 300); do
  curl -sf -o /dev/null "$HZ/health" && break
  kill -0 $HZ_PID 2>/dev/null || die "huizhan serve exited: $(tail -5 "$OUT/serve.log")"
  sleep 0.1
done
rss() { awk -v k="$2:" '$1 == k { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }
sleep 1
RSS_IDLE=$(rss $HZ_PID VmRSS)

# The bytes nginx will serve: exactly what huizhan answers the office.
AUTH="Authorization: Bearer $OFFICE_TOKEN"
fetch() { curl -sf -H "$AUTH" -o "$2" -w '%{time_total}' "$HZ$1"; }
# The whole ranking (all=true: every unit, as before the board paged its rows).
DASH=/api/v1/campaigns/1/dashboard RANK='/api/v1/campaigns/1/ranking?all=true'
FIRST_DASH=$(fetch $DASH "$OUT/www/dashboard.json") || die "GET $DASH failed"
FIRST_RANK=$(fetch $RANK "$OUT/www/ranking.json") || die "GET $RANK failed"
DASH_BYTES=$(stat -c %s "$OUT/www/dashboard.json") RANK_BYTES=$(stat -c %s "$OUT/www/ranking.json")
# The gzip form, as a browser gets it (Accept-Encoding: gzip): nginx serves the same bytes.
GZ=(-H "Accept-Encoding: gzip")
mkdir -p "$OUT/www/gz"
for f in dashboard ranking; do
  p=$DASH; [ $f = ranking ] && p=$RANK
  curl -sf "${GZ[@]}" -H "$AUTH" -o "$OUT/www/gz/$f.json" "$HZ$p" || die "GET $p (gzip) failed"
  gzip -dc "$OUT/www/gz/$f.json" | cmp -s - "$OUT/www/$f.json" || die "the gzip $f is not the same JSON"
done
DASH_GZ_BYTES=$(stat -c %s "$OUT/www/gz/dashboard.json") RANK_GZ_BYTES=$(stat -c %s "$OUT/www/gz/ranking.json")

# ---- nginx: the same bytes from files ----
cat >"$OUT/nginx/nginx.conf" <<EOF
worker_processes 2;
pid $OUT/nginx/nginx.pid;
error_log $OUT/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  client_body_temp_path $OUT/nginx/tmp/body;
  proxy_temp_path $OUT/nginx/tmp/proxy;
  fastcgi_temp_path $OUT/nginx/tmp/fastcgi;
  uwsgi_temp_path $OUT/nginx/tmp/uwsgi;
  scgi_temp_path $OUT/nginx/tmp/scgi;
  types { application/json json; }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $OUT/www;
    location /gz/ { add_header Content-Encoding gzip; }
  }
}
EOF
chmod -R a+rX "$OUT/www"
"$NGINX" -p "$OUT/nginx" -c "$OUT/nginx/nginx.conf" -e "$OUT/nginx/error.log" -g 'daemon off;' &
NGINX_PID=$!
for i in $(seq 100); do curl -sf -o /dev/null "$NG/ranking.json" && break; sleep 0.1; done
for f in dashboard ranking gz/dashboard gz/ranking; do
  curl -sf "$NG/$f.json" | cmp -s - "$OUT/www/$f.json" || die "nginx does not serve the same $f bytes"
done

# ---- measuring ----
to_ms() { # wrk's "812.00us", "1.23ms", "2.01s", "1.00m" -> ms
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0;
    else if (v ~ /m$/) n *= 60000; else if (v ~ /s$/) n *= 1000; printf "%.3f", n }'
}
# wrk_run NAME [wrk options...] URL [-- script args]: one run, appended to raw/NAME as
# "requests/s p50_ms p99_ms bad" (bad = non-2xx/3xx answers and socket errors).
wrk_run() {
  local name=$1 out
  shift
  out=$(wrk --latency "$@" 2>&1) || die "wrk failed: $out"
  printf '%s\n' "$out" >>"$OUT/raw/$name.log"
  local rps p50 p99 bad
  rps=$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")
  p50=$(to_ms "$(awk '$1 == "50%" { print $2 }' <<<"$out")")
  p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' <<<"$out")")
  bad=$(awk '/Non-2xx or 3xx responses:/ { n += $NF } /Socket errors:/ { gsub(",", ""); n += $4 + $6 + $8 + $10 } END { print n + 0 }' <<<"$out")
  echo "$rps $p50 $p99 $bad" >>"$OUT/raw/$name"
}
LOAD=(-t "$THREADS" -c "$CONNS" -d "${DURATION}s")
ONE=(-t 1 -c 1 -d "${LAT_DURATION}s")
median() { sort -g | awk '{ v[NR] = $1 } END { if (!NR) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
col() { awk -v c="$2" '{ print $c }' "$OUT/raw/$1" | median; }
bad() { awk '{ n += $4 } END { print n + 0 }' "$OUT/raw/$1"; }

say "warming up"
wrk -t 1 -c 4 -d 2s -H "$AUTH" "$HZ$DASH" >/dev/null
wrk -t 1 -c 4 -d 2s "$NG/dashboard.json" >/dev/null
wrk -t 1 -c 4 -d 2s -s "$ROOT/bench/list.lua" "$HZ/" -- "$OUT/unit-tokens.txt" 0 >/dev/null

for r in $(seq "$REPS"); do
  say "reads, round $r of $REPS"
  wrk_run dash_hz "${LOAD[@]}" -H "$AUTH" "$HZ$DASH"
  wrk_run dash_nginx "${LOAD[@]}" "$NG/dashboard.json"
  wrk_run rank_hz "${LOAD[@]}" -H "$AUTH" "$HZ$RANK"
  wrk_run rank_nginx "${LOAD[@]}" "$NG/ranking.json"
  wrk_run dash_hz_gz "${LOAD[@]}" "${GZ[@]}" -H "$AUTH" "$HZ$DASH"
  wrk_run dash_nginx_gz "${LOAD[@]}" "${GZ[@]}" "$NG/gz/dashboard.json"
  wrk_run rank_hz_gz "${LOAD[@]}" "${GZ[@]}" -H "$AUTH" "$HZ$RANK"
  wrk_run rank_nginx_gz "${LOAD[@]}" "${GZ[@]}" "$NG/gz/ranking.json"
  wrk_run list_hz "${LOAD[@]}" -s "$ROOT/bench/list.lua" "$HZ/" -- "$OUT/unit-tokens.txt" "$r"
  wrk_run dash_hz_1 "${ONE[@]}" -H "$AUTH" "$HZ$DASH"
  wrk_run rank_hz_1 "${ONE[@]}" -H "$AUTH" "$HZ$RANK"
  wrk_run list_hz_1 "${ONE[@]}" -s "$ROOT/bench/list.lua" "$HZ/" -- "$OUT/unit-tokens.txt" "$r"
done

# ---- the revision check: what each request pays to learn whether its cached answer is
# still current (several instances share one database), against the token lookup it pays
# anyway, on the same database in the same run ----
REV_BENCH=${REV_BENCH:-$(dirname "$BIN")/revision_bench}
REV_READ=nan REV_SNAP=nan REV_TOKEN=nan REV_ONE=nan
if [ -x "$REV_BENCH" ]; then
  say "timing the revision check"
  read -r REV_READ REV_SNAP REV_TOKEN REV_ONE < <("$REV_BENCH" "$WORK" "$OFFICE_TOKEN" 20000 "$REPS") || die "revision_bench failed"
else
  say "no $REV_BENCH: the revision rows are left out"
fi
REV_CHECK=$(awk -v a="$REV_READ" -v b="$REV_SNAP" 'BEGIN { printf "%.3f", a + b }')

# ---- a unit's project list computed (nothing cached), in process CPU time: written as
# text (now) and through jansson (before), against its own SQL; same run, interleaved ----
LT_BENCH=${LT_BENCH:-$(dirname "$BIN")/list_text_bench}
LT_SQL=nan LT_TEXT=nan LT_JSON=nan
if [ -x "$LT_BENCH" ]; then
  say "timing the project list's JSON (list_text_bench)"
  read -r LT_SQL LT_TEXT LT_JSON < <("$LT_BENCH" "$WORK" "$SQL_REPEAT" "$REPS") || die "list_text_bench failed"
fi

# ---- the raw SQL in the sqlite3 CLI ----
# Per statement: (wall time of sqlite3 running the script N times - the same for N
# trivial statements) / N, so process start and the CLI's own overhead cancel out.
# (`.timer on` prints milliseconds with 3 decimals: too coarse for sub-millisecond queries.)
now_ns() { date +%s%N; }
sql_ms() { # sql_ms NAME FILE N: median over REPS runs, ms per run of FILE
  local name=$1 file=$2 n=$3 t0 t1 b0 b1
  { echo ".output /dev/null"; for _ in $(seq "$n"); do cat "$file"; done; } >"$OUT/sql/$name.run.sql"
  { echo ".output /dev/null"; for _ in $(seq "$n"); do echo "SELECT 1;"; done; } >"$OUT/sql/$name.empty.sql"
  sqlite3 -readonly -batch "$WORK" <"$OUT/sql/$name.run.sql" # warm the page cache
  for _ in $(seq "$REPS"); do
    b0=$(now_ns); sqlite3 -readonly -batch "$WORK" <"$OUT/sql/$name.empty.sql"; b1=$(now_ns)
    t0=$(now_ns); sqlite3 -readonly -batch "$WORK" <"$OUT/sql/$name.run.sql"; t1=$(now_ns)
    echo "$t0 $t1 $b0 $b1 $n" | awk '{ printf "%.4f\n", (($2 - $1) - ($4 - $3)) / 1e6 / $5 }'
  done >"$OUT/raw/sql_$name"
  median <"$OUT/raw/sql_$name"
}
say "timing the raw SQL in the sqlite3 CLI"
STALE_SINCE=$(date -d "$AS_OF - 14 days" +%F)
AS_OF_DAY=$(($(date -u -d "$AS_OF" +%s) / 86400))
# What the board reads (the queries huizhan runs for a dashboard, with the settings of the demo).
cat >"$OUT/sql/board.sql" <<EOF
SELECT id, name, category FROM units ORDER BY id;
SELECT unit_id, metric, reported, certified FROM unit_totals WHERE campaign_id = 1 AND metric NOT LIKE 'days\_%' ESCAPE '\';
SELECT unit_id, scope, metric, value FROM targets WHERE campaign_id = 1 AND section_id IS NULL AND user_id IS NULL;
SELECT unit_id, substr(metric, 1, instr(metric, ':') - 1), CAST(substr(metric, instr(metric, ':') + 1) AS INTEGER), reported FROM unit_totals WHERE campaign_id = 1 AND metric LIKE 'days\_%:%' ESCAPE '\' AND reported > 0;
SELECT COUNT(*) FROM projects p WHERE p.campaign_id = 1 AND p.stage IN ('lead', 'negotiating') AND p.duplicate_of IS NULL AND p.last_activity_date <= '$STALE_SINCE';
SELECT p.id, p.name, p.lead_unit_id, p.stage, p.last_activity_date FROM projects p WHERE p.campaign_id = 1 AND p.stage IN ('lead', 'negotiating') AND p.duplicate_of IS NULL AND p.last_activity_date <= '$STALE_SINCE' ORDER BY p.last_activity_date, p.id LIMIT 10;
EOF
# The same certified figures straight from the raw records (no running totals): per unit,
# funds and policy funds, signings and their value, starts, completions, leads, activity.
cat >"$OUT/sql/aggregate.sql" <<'EOF'
SELECT p.lead_unit_id, SUM(CASE WHEN f.kind <> 'policy' THEN f.amount ELSE 0 END), SUM(CASE WHEN f.kind = 'policy' THEN f.amount ELSE 0 END) FROM funds f JOIN projects p ON p.id = f.project_id WHERE f.campaign_id = 1 AND f.status = 'certified' AND p.duplicate_of IS NULL GROUP BY p.lead_unit_id;
SELECT p.lead_unit_id, SUM(s.contract_date IS NOT NULL), SUM(COALESCE(s.contract_value, 0)), SUM(s.start_date IS NOT NULL), SUM(s.completion_date IS NOT NULL) FROM stage_changes s JOIN projects p ON p.id = s.project_id WHERE s.campaign_id = 1 AND s.status = 'certified' AND p.duplicate_of IS NULL GROUP BY p.lead_unit_id;
SELECT lead_unit_id, COUNT(*) FROM projects WHERE campaign_id = 1 AND duplicate_of IS NULL GROUP BY lead_unit_id;
SELECT unit_id, SUM(kind = 'outbound_visit'), SUM(kind = 'investor_visit'), SUM(kind = 'fair'), COUNT(*), SUM(with_leader) FROM follow_ups WHERE campaign_id = 1 GROUP BY unit_id;
EOF
# One unit's first page, as the list endpoint asks for it (count, then the page), for
# SQL_REPEAT units spread evenly over all units.
awk -v n="$SQL_REPEAT" -v u="$UNITS" 'BEGIN { if (n > u) n = u; for (i = 0; i < n; i++) print 1 + int(i * u / n) }' \
  >"$OUT/sql/list-units.txt"
while read -r u; do
  co="id IN (SELECT project_id FROM project_units WHERE unit_id = $u) AND lead_unit_id <> $u"
  echo "SELECT (SELECT COUNT(*) FROM projects WHERE lead_unit_id = $u) + (SELECT COUNT(*) FROM projects WHERE $co);"
  echo "SELECT * FROM projects WHERE lead_unit_id = $u UNION ALL SELECT * FROM projects WHERE $co ORDER BY planned_investment DESC, id DESC LIMIT 50 OFFSET 0;"
  echo "SELECT project_id, unit_id FROM project_units WHERE project_id IN (SELECT id FROM projects WHERE lead_unit_id = $u ORDER BY planned_investment DESC, id DESC LIMIT 50) ORDER BY 1, 2;"
done <"$OUT/sql/list-units.txt" >"$OUT/sql/list.sql"
LIST_N=$(wc -l <"$OUT/sql/list-units.txt")
# The stale projects as of a past day (a week before the as-of day), as huizhan asks for
# them (store/progress_store.c, STALE_THEN): the first page of 50 with the count beside it.
STALE_DAY=$(date -d "$AS_OF - 7 days" +%F)
STALE_QUIET=$(date -d "$STALE_DAY - 14 days" +%F)
cat >"$OUT/sql/stale.sql" <<EOF
SELECT p.id, p.name, p.lead_unit_id, (SELECT name FROM units WHERE id = p.lead_unit_id), p.stage, p.last_activity_date, p.responsible_user_id, (SELECT name FROM users WHERE id = p.responsible_user_id), (SELECT phone FROM users WHERE id = p.responsible_user_id), COUNT(*) OVER () FROM (SELECT p.id, p.name, p.lead_unit_id, p.responsible_user_id, CASE WHEN p.stage IN ('lead', 'negotiating') AND NOT EXISTS (SELECT 1 FROM stage_changes s WHERE s.project_id = p.id AND s.status <> 'rejected' AND s.date > '$STALE_DAY') THEN p.stage ELSE COALESCE((SELECT s.to_stage FROM stage_changes s WHERE s.project_id = p.id AND s.status <> 'rejected' AND s.date <= '$STALE_DAY' ORDER BY s.id DESC LIMIT 1), 'lead') END AS stage, (SELECT CASE WHEN MAX(f.date) > p.lead_date THEN MAX(f.date) ELSE p.lead_date END FROM follow_ups f WHERE f.project_id = p.id AND f.date <= '$STALE_QUIET') AS last_activity_date FROM projects p WHERE p.campaign_id = 1 AND p.duplicate_of IS NULL AND p.lead_date <= '$STALE_QUIET' AND NOT EXISTS (SELECT 1 FROM follow_ups f WHERE f.project_id = p.id AND f.date > '$STALE_QUIET' AND f.date <= '$STALE_DAY')) p WHERE p.stage IN ('lead', 'negotiating') ORDER BY p.last_activity_date, p.id LIMIT 50 OFFSET 0;
EOF
SQL_BOARD=$(sql_ms board "$OUT/sql/board.sql" 5)
SQL_AGG=$(sql_ms aggregate "$OUT/sql/aggregate.sql" 1)
SQL_LIST_ALL=$(sql_ms list "$OUT/sql/list.sql" 1)
SQL_LIST=$(awk -v t="$SQL_LIST_ALL" -v n="$LIST_N" 'BEGIN { printf "%.4f", t / n }')
SQL_STALE=$(sql_ms stale "$OUT/sql/stale.sql" 1)
# The list timed after a write is unit 1's (the first token; list.sql starts with its three
# statements): it leads about twice the average unit's projects, so its own SQL is its baseline.
head -3 "$OUT/sql/list.sql" >"$OUT/sql/list1.sql"
SQL_LIST1=$(sql_ms list1 "$OUT/sql/list1.sql" 20)

# ---- a board after a write: the cache is cold, the answer is computed ----
cold() { # cold PATH NAME [READER]: median ms of the first request (by READER, default the office) after a write
  local reader=${3:-$AUTH}
  for i in $(seq "$COLD_REPS"); do
    curl -sf -o /dev/null -H "$AUTH" -H 'Content-Type: application/json' -X POST \
      -d "{\"date\":\"$AS_OF\",\"kind\":\"call\",\"summary\":\"冷启动测量 $i\"}" "$HZ/api/v1/projects/1/follow-ups" ||
      die "POST follow-up failed"
    curl -sf -o /dev/null -H "$reader" -w '%{time_total}\n' "$HZ$1" | awk '{ printf "%.1f\n", $1 * 1000 }'
  done >"$OUT/raw/cold_$2"
  median <"$OUT/raw/cold_$2"
}
say "timing cold boards (first request after a write)"
COLD_DASH=$(cold $DASH dash)
COLD_RANK=$(cold $RANK rank)
# The same for one unit's project list, as that unit's staff asks for it.
LIST_TOKEN=$(head -1 "$OUT/unit-tokens.txt")
COLD_LIST=$(cold "/api/v1/projects?sort=-planned_investment&limit=50" list "Authorization: Bearer $LIST_TOKEN")
# The same over one kept connection, as a browser asks (curl --next reuses it): the write,
# then the list, timed alone. A fresh TCP connection costs the server ~0.5 ms of CPU
# (accept, libmicrohttpd's connection, close) whatever it answers.
cold_kept() { # cold_kept PATH NAME READER
  for i in $(seq "$COLD_REPS"); do
    curl -sf -o /dev/null -H "$AUTH" -H 'Content-Type: application/json' -X POST \
      -d "{\"date\":\"$AS_OF\",\"kind\":\"call\",\"summary\":\"冷启动测量（保持连接） $i\"}" -w '%{time_total}\n' \
      "$HZ/api/v1/projects/1/follow-ups" --next -sf -o /dev/null -H "$3" -w '%{time_total}\n' "$HZ$1" |
      tail -1 | awk '{ printf "%.1f\n", $1 * 1000 }'
  done >"$OUT/raw/cold_$2"
  median <"$OUT/raw/cold_$2"
}
COLD_LIST_KEPT=$(cold_kept "/api/v1/projects?sort=-planned_investment&limit=50" list_kept "Authorization: Bearer $LIST_TOKEN")
# The stale projects as of a past day: the first answer (computed from the records), then
# the first answer after each write (a follow-up dated today cannot change that day).
STALE_PATH="/api/v1/campaigns/1/stale-projects?as_of=$STALE_DAY&limit=50"
FIRST_STALE=$(fetch "$STALE_PATH" /dev/null | awk '{ printf "%.1f", $1 * 1000 }') || die "GET $STALE_PATH failed"
COLD_STALE=$(cold "$STALE_PATH" stale)

# ---- deep pages of the big lists: every sort, first page / offset 100,000 / last page ----
say "timing deep pages of the big lists (bench/deep_pages.sh)"
DEEP_TABLE=$(PID=$HZ_PID "$ROOT/bench/deep_pages.sh" "$HZ" "$OFFICE_TOKEN") || die "bench/deep_pages.sh failed"

# ---- a mixed load: readers of the boards and the lists while writes trickle in ----
# Half the readers ask for the boards (dashboard and ranking in turn, gzip), half for unit
# project lists; meanwhile MIX_WRITES follow-ups a second are POSTed on random projects by
# the office, each on its own, paced by the clock (not by the answers).
writer() { # writer SECONDS: prints how many writes were acknowledged
  local n=$((MIX_WRITES * $1)) t0 i due
  t0=$(now_ns)
  for i in $(seq "$n"); do
    due=$((t0 + i * 1000000000 / MIX_WRITES))
    while [ "$(now_ns)" -lt "$due" ]; do sleep 0.005; done
    curl -s -o /dev/null -w '%{http_code}\n' -m 5 -H "$AUTH" -H 'Content-Type: application/json' -X POST \
      -d "{\"date\":\"$AS_OF\",\"kind\":\"call\",\"summary\":\"混合负载 $i\"}" \
      "$HZ/api/v1/projects/$((1 + (RANDOM * 32768 + RANDOM) % PROJECTS))/follow-ups" &
  done | grep -c '^201$' || true
  wait
}
for r in $(seq "$REPS"); do
  say "mixed load, round $r of $REPS ($MIX_READERS readers, $MIX_WRITES writes/s)"
  writer "$DURATION" >>"$OUT/raw/mix_writes" &
  WRITER_PID=$!
  wrk_run mix_boards -t 1 -c $((MIX_READERS / 2)) -d "${DURATION}s" -s "$ROOT/bench/boards.lua" "$HZ/" -- "$OFFICE_TOKEN" &
  BOARDS_PID=$!
  wrk_run mix_list -t 1 -c $((MIX_READERS - MIX_READERS / 2)) -d "${DURATION}s" -s "$ROOT/bench/list.lua" "$HZ/" -- "$OUT/unit-tokens.txt" "$r"
  wait $BOARDS_PID
  wait $WRITER_PID
done

# ---- audited writes ----
FU_BEFORE=$(sqlite3 -readonly "$WORK" "SELECT COUNT(*) FROM follow_ups")
for r in $(seq "$WRITE_REPS"); do
  say "writes, round $r of $WRITE_REPS"
  wrk_run write_hz "${LOAD[@]}" -s "$ROOT/bench/write.lua" "$HZ/" -- "$WTOKEN" "$OUT/write-projects.txt" "$AS_OF" "$WUSER" "$r"
done
FU_AFTER=$(sqlite3 -readonly "$WORK" "SELECT COUNT(*) FROM follow_ups")

sleep 2
RSS_AFTER=$(rss $HZ_PID VmRSS)
RSS_PEAK=$(rss $HZ_PID VmHWM)

# ---- the dashboard in Chromium, and the project list's paging (bench/browser.mjs) ----
# Sizes as a browser gets them (gzip): the dashboard's summary and one page of its light
# matrix, against the whole progress board (every unit's detail: what the dashboard
# carried before it was split into a summary and paged tables).
DEMO_PORT=$((HZ_PORT + 2)) DEMO=http://127.0.0.1:$((HZ_PORT + 2))
BROWSER_REPS=${BROWSER_REPS:-$REPS}
PROG_GZ_BYTES=$(curl -sf "${GZ[@]}" -H "$AUTH" "$HZ/api/v1/campaigns/1/progress?all=true" | wc -c)
MATRIX_GZ_BYTES=$(curl -sf "${GZ[@]}" -H "$AUTH" "$HZ/api/v1/campaigns/1/dashboard/matrix?limit=10" | wc -c)
jget() { node -e 'console.log(JSON.parse(process.argv[1])[process.argv[2]])' "$1" "$2"; }
browser() { AS_OF=$AS_OF node "$ROOT/bench/browser.mjs" "$@" || die "bench/browser.mjs $1 failed"; }
say "browser: the province's dashboard (cached, then after a write) and project list"
B_PROV=$(browser dashboard "$HZ" office "$PASSWORD" "$BROWSER_REPS")
B_PROV_W=$(browser dashboard "$HZ" office "$PASSWORD" "$BROWSER_REPS" 1)
B_LIST=$(browser projects "$HZ" office "$PASSWORD" "$BROWSER_REPS" "${FAR_PAGE:-5000}")
say "browser: the demo city's dashboard (huizhan demo on $DEMO)"
rm -f "$OUT"/demo.db*
HUIZHAN_TODAY=$AS_OF "$BIN" demo --db "$OUT/demo.db" --password "$PASSWORD" --as-of "$AS_OF" >/dev/null || die "huizhan demo failed"
HUIZHAN_TODAY=$AS_OF "$BIN" serve --db "$OUT/demo.db" --listen "127.0.0.1:$DEMO_PORT" >"$OUT/demo-serve.log" 2>&1 &
DEMO_PID=$!
for i in $(seq 300); do curl -sf -o /dev/null "$DEMO/health" && break; sleep 0.1; done
B_DEMO=$(browser dashboard "$DEMO" office "$PASSWORD" "$BROWSER_REPS")
B_DEMO_W=$(browser dashboard "$DEMO" office "$PASSWORD" "$BROWSER_REPS" 1)
echo "$B_PROV $B_PROV_W $B_LIST $B_DEMO $B_DEMO_W" >"$OUT/raw/browser"

# ---- the table ----
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0) print "-"; else printf "%.3g", a / b }'; }
num() { awk -v a="$1" 'BEGIN { printf (a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f"), a }'; }
D=$(col dash_hz 1) DN=$(col dash_nginx 1) R=$(col rank_hz 1) RN=$(col rank_nginx 1) L=$(col list_hz 1)
DZ=$(col dash_hz_gz 1) DZN=$(col dash_nginx_gz 1) RZ=$(col rank_hz_gz 1) RZN=$(col rank_nginx_gz 1)
D99=$(col dash_hz 3) DN99=$(col dash_nginx 3) R99=$(col rank_hz 3) RN99=$(col rank_nginx 3) L99=$(col list_hz 3)
DZ99=$(col dash_hz_gz 3) DZN99=$(col dash_nginx_gz 3) RZ99=$(col rank_hz_gz 3) RZN99=$(col rank_nginx_gz 3)
D1=$(col dash_hz_1 2) R1=$(col rank_hz_1 2) L1=$(col list_hz_1 2) W=$(col write_hz 1)
MB=$(col mix_boards 1) MB50=$(col mix_boards 2) MB99=$(col mix_boards 3) ML=$(col mix_list 1) ML99=$(col mix_list 3)
MBAD=$(bad mix_boards) # wrk leaves answers it gave up on (after 2 s) out of the percentiles
MW=$(awk -v d="$DURATION" '{ print $1 / d }' "$OUT/raw/mix_writes" | median)
BOARDS99=$(printf '%s\n' "$DZ99" "$RZ99" | sort -g | tail -1) # the slower board, cached
BAD=0
for n in dash_hz dash_nginx rank_hz rank_nginx dash_hz_gz dash_nginx_gz rank_hz_gz rank_nginx_gz list_hz write_hz mix_boards mix_list; do
  BAD=$((BAD + $(bad $n)))
done
CPU=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
# goal NAME VALUE OP LIMIT: one line of the goals list, "met" or "missed by" the factor.
goal() {
  awk -v n="$1" -v v="$2" -v op="$3" -v l="$4" 'BEGIN {
    ok = (op == ">=") ? v >= l : v <= l
    f = (op == ">=") ? (v > 0 ? l / v : 0) : v / l
    printf "- %s: %s (goal %s %s): %s\n", n, v, op, l, ok ? "met" : sprintf("missed, %.2g× off", f) }'
}
{
  echo "# huizhan benchmark — $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "Machine: $(nproc) cores ($CPU), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo). Database: $UNITS units, $PROJECTS projects,"
  echo "$FOLLOW_UPS follow-ups, $FUNDS fund arrivals (seed $SEED, $DB_MB MiB; \`huizhan gen\` took $GEN_SECONDS s when it was made)."
  echo "wrk $THREADS threads × $CONNS connections × ${DURATION} s (single-connection rows: 1 × 1 × ${LAT_DURATION} s), huizhan serve with"
  echo "$SERVE_THREADS threads, nginx with 2 workers; every figure is the median of $REPS runs ($WRITE_REPS for writes), all in this run."
  echo
  echo "| measurement | huizhan | baseline | ratio |"
  echo "|---|---:|---:|---:|"
  echo "| dashboard, cached (req/s; $((DASH_BYTES / 1024)) KiB) | $(num "$D") | nginx, same bytes: $(num "$DN") | $(ratio "$D" "$DN") of nginx |"
  echo "| …, p99 at $CONNS connections (ms) | $(num "$D99") | nginx: $(num "$DN99") | |"
  echo "| dashboard, cached, gzip (req/s; $((DASH_GZ_BYTES / 1024)) KiB) | $(num "$DZ") | nginx, same bytes: $(num "$DZN") | $(ratio "$DZ" "$DZN") of nginx |"
  echo "| …, p99 at $CONNS connections (ms) | $(num "$DZ99") | nginx: $(num "$DZN99") | |"
  echo "| ranking, cached (req/s; $((RANK_BYTES / 1024)) KiB) | $(num "$R") | nginx, same bytes: $(num "$RN") | $(ratio "$R" "$RN") of nginx |"
  echo "| …, p99 at $CONNS connections (ms) | $(num "$R99") | nginx: $(num "$RN99") | |"
  echo "| ranking, cached, gzip (req/s; $((RANK_GZ_BYTES / 1024)) KiB) | $(num "$RZ") | nginx, same bytes: $(num "$RZN") | $(ratio "$RZ" "$RZN") of nginx |"
  echo "| …, p99 at $CONNS connections (ms) | $(num "$RZ99") | nginx: $(num "$RZN99") | |"
  echo "| dashboard, cached, one connection (p50 ms) | $(num "$D1") | raw aggregate SQL: $(num "$SQL_AGG") ms | $(ratio "$D1" "$SQL_AGG") |"
  echo "| ranking, cached, one connection (p50 ms) | $(num "$R1") | raw aggregate SQL: $(num "$SQL_AGG") ms | $(ratio "$R1" "$SQL_AGG") |"
  echo "| dashboard after a write (ms, computed) | $(num "$COLD_DASH") | raw aggregate SQL: $(num "$SQL_AGG") ms | $(ratio "$COLD_DASH" "$SQL_AGG") |"
  echo "| ranking after a write (ms, computed) | $(num "$COLD_RANK") | raw aggregate SQL: $(num "$SQL_AGG") ms | $(ratio "$COLD_RANK" "$SQL_AGG") |"
  echo "| dashboard after a write (ms, computed) | $(num "$COLD_DASH") | the SQL it runs: $(num "$SQL_BOARD") ms | $(ratio "$COLD_DASH" "$SQL_BOARD") |"
  echo "| stale projects as of a past day ($STALE_DAY), first answer (ms) | $(num "$FIRST_STALE") | same SQL: $(num "$SQL_STALE") ms | $(ratio "$FIRST_STALE" "$SQL_STALE") |"
  echo "| stale projects as of a past day after a write (ms) | $(num "$COLD_STALE") | same SQL: $(num "$SQL_STALE") ms | $(ratio "$COLD_STALE" "$SQL_STALE") |"
  echo "| mixed load: boards p99, $MIX_READERS readers + $MIX_WRITES writes/s (ms) | $(num "$MB99") | boards without writes: $(num "$BOARDS99") | $(ratio "$MB99" "$BOARDS99") |"
  echo "| …, boards p50 (ms) / answers (req/s) / failed or timed out (all runs) | $(num "$MB50") / $(num "$MB") / $MBAD | | |"
  echo "| …, project lists p99 (ms) / answers (req/s) | $(num "$ML99") / $(num "$ML") | lists without writes: $(num "$L99") | $(ratio "$ML99" "$L99") |"
  echo "| …, writes acknowledged (writes/s) | $(num "$MW") | asked: $MIX_WRITES | $(ratio "$MW" "$MIX_WRITES") |"
  echo "| unit's project list, random unit (req/s) | $(num "$L") | | |"
  echo "| …, p99 at $CONNS connections (ms) | $(num "$L99") | | |"
  echo "| unit's project list, one connection (p50 ms) | $(num "$L1") | same SQL: $(num "$SQL_LIST") ms | $(ratio "$L1" "$SQL_LIST") |"
  echo "| unit's project list after a write (ms, computed), unit 1 | $(num "$COLD_LIST") | its SQL: $(num "$SQL_LIST1") ms | $(ratio "$COLD_LIST" "$SQL_LIST1") |"
  echo "| …, over a kept connection | $(num "$COLD_LIST_KEPT") | its SQL: $(num "$SQL_LIST1") ms | $(ratio "$COLD_LIST_KEPT" "$SQL_LIST1") |"
  echo "| unit's project list computed, in process (µs CPU): written as text | $(num "$LT_TEXT") | its own SQL: $(num "$LT_SQL") µs | $(ratio "$LT_TEXT" "$LT_SQL") |"
  echo "| …, through jansson objects (the path before) | $(num "$LT_JSON") | its own SQL: $(num "$LT_SQL") µs | $(ratio "$LT_JSON" "$LT_SQL") |"
  echo "| revision check per request (µs: revision read + fresh snapshot) | $(num "$REV_CHECK") | token lookup: $(num "$REV_TOKEN") µs | $(ratio "$REV_CHECK" "$REV_TOKEN") |"
  echo "| …, against a statement that reads no table (SELECT 1) | $(num "$REV_CHECK") µs | SELECT 1: $(num "$REV_ONE") µs | $(ratio "$REV_CHECK" "$REV_ONE") |"
  echo "| …, share of a cached ranking, one connection | $(num "$REV_CHECK") µs | ranking p50: $(num "$R1") ms | $(ratio "$REV_CHECK" "$(awk -v r="$R1" 'BEGIN { print r * 1000 }')") |"
  echo "| audited writes: follow-ups (writes/s) | $(num "$W") | | |"
  echo "| dashboard summary, gzip (KiB) | $(num "$(awk -v b="$DASH_GZ_BYTES" 'BEGIN { print b / 1024 }')") | whole progress board: $(num "$(awk -v b="$PROG_GZ_BYTES" 'BEGIN { print b / 1024 }')") KiB | $(ratio "$DASH_GZ_BYTES" "$PROG_GZ_BYTES") |"
  echo "| dashboard light matrix, one page of 10, gzip (KiB) | $(num "$(awk -v b="$MATRIX_GZ_BYTES" 'BEGIN { print b / 1024 }')") | | |"
  for row in "demo city, cached|$B_DEMO" "demo city, after a write|$B_DEMO_W" "$UNITS units, cached|$B_PROV" "$UNITS units, after a write|$B_PROV_W"; do
    j=${row#*|} c=$(jget "${row#*|}" charts_drawn_ms) sh=$(jget "${row#*|}" login_shell_ms)
    echo "| dashboard first load in Chromium, ${row%%|*}: charts drawn (ms) | $(num "$c") | login page alone: $(num "$sh") ms | $(ratio "$c" "$sh") |"
    echo "| …, unit tables filled (ms); longest task (ms) | $(num "$(jget "$j" tables_filled_ms)"); $(num "$(jget "$j" longest_task_ms)") | | |"
  done
  api=$(jget "$B_LIST" api_first_page_ms)
  echo "| project list in Chromium ($(jget "$B_LIST" total)): page 1 shown (ms from navigation) | $(num "$(jget "$B_LIST" first_page_ms)") | | |"
  echo "| …, jump to page $(jget "$B_LIST" far_page) (ms) | $(num "$(jget "$B_LIST" far_page_ms)") | the API's page 1 in the page: $(num "$api") ms | $(ratio "$(jget "$B_LIST" far_page_ms)" "$api") |"
  echo "| …, sort change (ms) | $(num "$(jget "$B_LIST" sort_ms)") | the API's page 1 in the page: $(num "$api") ms | $(ratio "$(jget "$B_LIST" sort_ms)" "$api") |"
  echo "| …, longest task during the jump and the sort (ms) | $(num "$(jget "$B_LIST" longest_task_ms)") | | |"
  echo "| huizhan check, whole database (s) | $CHECK_SECONDS | | |"
  echo "| resident memory, idle after start (MiB) | $RSS_IDLE | | |"
  echo "| resident memory, idle after the load (MiB; peak) | $RSS_AFTER ($RSS_PEAK) | | |"
  echo
  echo "Failed answers during the load: $BAD. Follow-ups written: $((FU_AFTER - FU_BEFORE)) (unit $WUNIT, $(grep -c . "$OUT/write-projects.txt") projects)."
  echo "First (uncached) answers right after start: dashboard $(awk -v t="$FIRST_DASH" 'BEGIN { printf "%.0f", t * 1000 }') ms, ranking $(awk -v t="$FIRST_RANK" 'BEGIN { printf "%.0f", t * 1000 }') ms."
  echo "Project list: tokens of $UNIT_TOKENS units' unit_staff accounts, one drawn at random per request."
  echo
  echo "Deep pages of the big lists, as the office within campaign 1 (each asked once, so computed; bench/deep_pages.sh):"
  echo
  echo "$DEEP_TABLE"
  echo
  echo "Goals (the boards as a browser fetches them, gzip):"
  goal "dashboard throughput, share of nginx's" "$(ratio "$DZ" "$DZN")" ">=" 0.5
  goal "ranking throughput, share of nginx's" "$(ratio "$RZ" "$RZN")" ">=" 0.5
  goal "dashboard p99 at $CONNS connections (ms)" "$DZ99" "<=" 20
  goal "ranking p99 at $CONNS connections (ms)" "$RZ99" "<=" 20
  goal "dashboard after a write (ms)" "$COLD_DASH" "<=" 50
  goal "ranking after a write (ms)" "$COLD_RANK" "<=" 50
  goal "boards p99 under the mixed load (ms)" "$( [ "$MBAD" = 0 ] && echo "$MB99" || echo 2000)" "<=" 100
  goal "stale projects as of a past day after a write (ms)" "$COLD_STALE" "<=" 100
  goal "stale projects as of a past day, first answer (ms)" "$FIRST_STALE" "<=" 100
  goal "project list after a write, kept connection, share of its SQL" "$(ratio "$COLD_LIST_KEPT" "$SQL_LIST1")" "<=" 1.5
  goal "project list after a write, fresh connection, share of its SQL" "$(ratio "$COLD_LIST" "$SQL_LIST1")" "<=" 1.5
  goal "project list computed in process, share of its SQL" "$(ratio "$LT_TEXT" "$LT_SQL")" "<=" 1.5
  goal "project list (req/s)" "$L" ">=" 10000
  goal "project list p99 (ms)" "$L99" "<=" 10
  goal "dashboard summary at $UNITS units, gzip (KB)" "$(awk -v b="$DASH_GZ_BYTES" 'BEGIN { printf "%.1f", b / 1000 }')" "<=" 200
  goal "dashboard first load, demo city, charts drawn (ms)" "$(jget "$B_DEMO" charts_drawn_ms)" "<=" 1000
  goal "dashboard first load, $UNITS units, charts drawn (ms)" "$(jget "$B_PROV" charts_drawn_ms)" "<=" 2000
  goal "dashboard first load, $UNITS units after a write, charts drawn (ms)" "$(jget "$B_PROV_W" charts_drawn_ms)" "<=" 2000
  goal "project list: longest task while paging and sorting (ms)" "$(jget "$B_LIST" longest_task_ms)" "<=" 200
  goal "resident memory at idle (MiB)" "$RSS_IDLE" "<=" 25
  goal "resident memory after the load (MiB)" "$RSS_AFTER" "<=" 100
  [ "$GEN_SECONDS" != "?" ] && goal "huizhan gen (s)" "$GEN_SECONDS" "<=" 60
  goal "huizhan check (s)" "$CHECK_SECONDS" "<=" 30
  echo
  echo "Raw runs: $OUT/raw/. What each row means: bench/README.md."
} | tee "$OUT/results.md"
[ "$BAD" = 0 ] || say "warning: $BAD failed answers during the load (see $OUT/raw/*.log)"
