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
# KEEP_WORK=1 (keep the database copy the run wrote to), SLOW_SQL=0 / DEEP_PAGES=0 /
# BROWSER=0 (leave out the slowest SQLite-only parts: the scans of every record in
# sqlite3, the deep pages, Chromium), BENCH_ENGINES (sqlite,pg: the
# engines measured, each on its own copy of the generated database; pg is a throw-away
# PostgreSQL 15 cluster from tests/pg/cluster.sh on PG_PORT, default HZ_PORT + 3, filled
# with `huizhan migrate` from the generated SQLite file), TABLE_ONLY=1 (print the table
# again from the raw runs of the last run in BUILD, measuring nothing).
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
BENCH_ENGINES=${BENCH_ENGINES:-sqlite,pg} PG_PORT=${PG_PORT:-$((HZ_PORT + 3))}
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
ENGINES=$(tr ',' ' ' <<<"$BENCH_ENGINES")
for e in $ENGINES; do case $e in sqlite | pg) ;; *) echo "bench: BENCH_ENGINES: unknown engine $e (sqlite, pg)" >&2; exit 2 ;; esac; done
wants() { case " $ENGINES " in *" $1 "*) return 0 ;; esac; return 1; }

say() { printf '%s\n' "bench: $*" >&2; }
die() { say "$*"; exit 1; }

# ---- what this run started, stopped on any exit ----
HZ_PID= NGINX_PID= DEMO_PID= POLICY_RC= PGDIR=
stop_pid() {
  local pid
  for pid in "$@"; do
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done
}
cleanup() {
  local rc=$?
  stop_pid $HZ_PID $NGINX_PID $DEMO_PID
  [ -n "$PGDIR" ] && "$ROOT/tests/pg/cluster.sh" stop "$PGDIR" >/dev/null 2>&1
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
  if wants pg; then [ -x "$PGBIN/initdb" ] && command -v psql >/dev/null || need+=(postgresql-15); fi
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

for port in $HZ_PORT $NGINX_PORT $PG_PORT; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then die "port $port is in use (set HZ_PORT / NGINX_PORT / PG_PORT)"; fi
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
[ "${TABLE_ONLY:-0}" = 1 ] || rm -rf "$OUT"/raw/*

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


# The writing unit (the one with the median number of projects) and its projects: the
# engines hold the same rows with the same ids (migrate copies them), so read them once.
WUNIT=$(sqlite3 -readonly "$GEN_DB" "SELECT lead_unit_id FROM projects GROUP BY lead_unit_id ORDER BY COUNT(*), lead_unit_id LIMIT 1 OFFSET (SELECT COUNT(DISTINCT lead_unit_id) / 2 FROM projects)")
WUSER=$(sqlite3 -readonly "$GEN_DB" "SELECT id FROM users WHERE login = 'u${WUNIT}_staff'")
sqlite3 -readonly "$GEN_DB" "SELECT id FROM projects WHERE lead_unit_id = $WUNIT ORDER BY id" >"$OUT/write-projects.txt"
[ "$UNIT_TOKENS" -gt "$UNITS" ] && UNIT_TOKENS=$UNITS

# ---- measuring ----
now_ns() { date +%s%N; }
secs_since() { echo "$1 $(now_ns)" | awk '{ printf "%.1f", ($2 - $1) / 1e9 }'; }
median() { sort -g | awk '{ v[NR] = $1 } END { if (!NR) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
to_ms() { # wrk's "812.00us", "1.23ms", "2.01s", "1.00m" -> ms
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0;
    else if (v ~ /m$/) n *= 60000; else if (v ~ /s$/) n *= 1000; printf "%.3f", n }'
}
# CPU time (ms) the server has used so far: "huizhan database". huizhan is the sum of its
# threads' run time (schedstat, ns); the database is every process of the PostgreSQL
# cluster (the postmaster and its children: the backends of huizhan's pool, the WAL
# writer, the checkpointer), 0 on SQLite (it runs inside huizhan). Unlike wall time, a
# loaded machine does not inflate it.
PG_MASTER=
cpu_now() {
  local h d=0
  h=$(cat /proc/"$HZ_PID"/task/*/schedstat 2>/dev/null | awk '{ s += $1 } END { printf "%.3f", s / 1e6 }')
  if [ -n "$PG_MASTER" ]; then
    d=$(for p in $PG_MASTER $(pgrep -P "$PG_MASTER"); do cat "/proc/$p/schedstat" 2>/dev/null; done | awk '{ s += $1 } END { printf "%.3f", s / 1e6 }')
  fi
  echo "$h $d"
}
# wrk_run NAME [wrk options...] URL [-- script args]: one run, appended to $RAW/NAME as
# "requests/s p50_ms p99_ms bad requests huizhan_cpu_ms db_cpu_ms" (bad = non-2xx/3xx
# answers and socket errors; CPU over the whole run).
wrk_run() {
  local name=$1 out c0 c1
  shift
  c0=$(cpu_now)
  out=$(wrk --latency "$@" 2>&1) || die "wrk failed: $out"
  c1=$(cpu_now)
  printf '%s\n' "$out" >>"$RAW/$name.log"
  local rps p50 p99 bad n
  rps=$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")
  p50=$(to_ms "$(awk '$1 == "50%" { print $2 }' <<<"$out")")
  p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' <<<"$out")")
  bad=$(awk '/Non-2xx or 3xx responses:/ { n += $NF } /Socket errors:/ { gsub(",", ""); n += $4 + $6 + $8 + $10 } END { print n + 0 }' <<<"$out")
  n=$(awk '/ requests in / { print $1 }' <<<"$out")
  echo "$rps $p50 $p99 $bad $n $c0 $c1" | awk '{ printf "%s %s %s %s %s %.3f %.3f\n", $1, $2, $3, $4, $5, $8 - $6, $9 - $7 }' >>"$RAW/$name"
}
col() { awk -v c="$2" '{ print $c }' "$RAW/$1" | median; }
bad() { awk '{ n += $4 } END { print n + 0 }' "$RAW/$1"; }
# CPU per answer of a wrk measurement (µs; huizhan + database), median over its runs
cpu_per() { awk '$5 > 0 { printf "%.1f\n", ($6 + $7) * 1000 / $5 }' "$RAW/$1" | median; }
cpu_db_per() { awk '$5 > 0 { printf "%.1f\n", $7 * 1000 / $5 }' "$RAW/$1" | median; }
# keep NAME VALUE: a figure of this engine's run, for the table
keep() { echo "$1=$2" >>"$RAW/vars"; }
LOAD=(-t "$THREADS" -c "$CONNS" -d "${DURATION}s")
ONE=(-t 1 -c 1 -d "${LAT_DURATION}s")
GZ=(-H "Accept-Encoding: gzip")
DASH=/api/v1/campaigns/1/dashboard RANK='/api/v1/campaigns/1/ranking?all=true'
rss() { awk -v k="$2:" '$1 == k { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }
loadavg() { cut -d' ' -f1 /proc/loadavg; }

# ---- the engines: a fresh copy of the generated database on each ----
WORK=$OUT/work.db PG_DB=hzbench
psql_() { "$PGBIN/psql" -X -q -At -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres "$@"; }
# engine_db ENGINE: makes the copy and prints what --db takes (run in a subshell: what the
# caller must know, PGDIR, is set before)
engine_db() {
  case $1 in
  sqlite)
    rm -f "$WORK" "$WORK-wal" "$WORK-shm"
    cp "$GEN_DB" "$WORK"
    echo "$WORK"
    ;;
  pg)
    # The bench's cluster keeps fsync and full-page writes on (the test fixture turns them
    # off), so an acknowledged write waits for the disk as on SQLite (synchronous=FULL).
    PG_EXTRA_OPTS="-c fsync=on -c full_page_writes=on -c shared_buffers=${PG_SHARED_BUFFERS:-512MB}" \
      "$ROOT/tests/pg/cluster.sh" start "$PGDIR" "$PG_PORT" >&2 || die "could not start PostgreSQL"
    psql_ -d postgres -c "CREATE DATABASE $PG_DB" >&2
    echo "$(cat "$PGDIR/url")$PG_DB"
    ;;
  esac
}
# query ENGINE DB SQL: one value
query() {
  case $1 in
  sqlite) sqlite3 -readonly "$2" "$3" ;;
  pg) psql_ -d "$PG_DB" -c "$3" ;;
  esac
}

# ---- the raw SQL in the sqlite3 CLI (SQLite run only; the baselines of both columns) ----
# sql_after_write_ms NAME FILE N: as sql_ms, but each run of FILE comes right after a commit
# by a second connection (the shell's .connection 1), as huizhan's list after a write does:
# SQLite drops a connection's page cache when another one commits, so the pages are read
# again. The write sets a key of the bench's own in meta (huizhan reads only its keys; a
# row rewritten with its own value would not do: SQLite writes nothing then); the same
# script with SELECT 1 in place of FILE is subtracted, so the writes cancel out. Both
# connections keep huizhan's page cache (16 MB, db/db_sqlite.c).
sql_after_write_ms() {
  local name=$1 file=$2 n=$3 t0 t1 b0 b1
  for body in run empty; do
    { echo ".connection 1"; echo ".open $WORK"; echo ".timeout 10000"; echo "PRAGMA cache_size=-16000;"
      echo ".connection 0"; echo "PRAGMA cache_size=-16000;"; echo ".output /dev/null"
      for i in $(seq "$n"); do
        echo ".connection 1"; echo "INSERT OR REPLACE INTO meta (key, value) VALUES ('bench_write', '$i');"; echo ".connection 0"
        if [ $body = run ]; then cat "$file"; else echo "SELECT 1;"; fi
      done; } >"$OUT/sql/$name.$body.sql"
  done
  sqlite3 -batch "$WORK" <"$OUT/sql/$name.run.sql" # warm the OS cache
  for _ in $(seq "$REPS"); do
    b0=$(now_ns); sqlite3 -batch "$WORK" <"$OUT/sql/$name.empty.sql"; b1=$(now_ns)
    t0=$(now_ns); sqlite3 -batch "$WORK" <"$OUT/sql/$name.run.sql"; t1=$(now_ns)
    echo "$t0 $t1 $b0 $b1 $n" | awk '{ printf "%.4f\n", (($2 - $1) - ($4 - $3)) / 1e6 / $5 }'
  done >"$OUT/raw/sql_$name"
  median <"$OUT/raw/sql_$name"
}

sql_baselines() {
# ---- the raw SQL in the sqlite3 CLI ----
# Per statement: (wall time of sqlite3 running the script N times - the same for N
# trivial statements) / N, so process start and the CLI's own overhead cancel out.
# (`.timer on` prints milliseconds with 3 decimals: too coarse for sub-millisecond queries.)
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
SQL_LIST_ALL=$(sql_ms list "$OUT/sql/list.sql" 1)
SQL_LIST=$(awk -v t="$SQL_LIST_ALL" -v n="$LIST_N" 'BEGIN { printf "%.4f", t / n }')
# The list timed after a write is unit 1's (list.sql starts with its three statements): it
# leads about twice the average unit's projects, so its own SQL is its baseline.
head -3 "$OUT/sql/list.sql" >"$OUT/sql/list1.sql"
SQL_LIST1=$(sql_ms list1 "$OUT/sql/list1.sql" 20)
SQL_LIST1_W=$(sql_after_write_ms list1w "$OUT/sql/list1.sql" 20)
# The two scans of every record take seconds each at province scale (minutes on a loaded
# machine): SLOW_SQL=0 leaves them out (their rows show –).
SQL_AGG=nan SQL_STALE=nan
if [ "${SLOW_SQL:-1}" = 1 ]; then
  SQL_AGG=$(sql_ms aggregate "$OUT/sql/aggregate.sql" 1)
  SQL_STALE=$(sql_ms stale "$OUT/sql/stale.sql" 1)
fi
keep SQL_BOARD "$SQL_BOARD"; keep SQL_AGG "$SQL_AGG"; keep SQL_LIST "$SQL_LIST"; keep SQL_LIST1 "$SQL_LIST1"; keep SQL_LIST1_W "$SQL_LIST1_W"; keep SQL_STALE "$SQL_STALE"
}

# engine_figures: the medians of the engine's runs in $RAW, kept for the table
engine_figures() {
  for n in dash_hz dash_nginx rank_hz rank_nginx dash_hz_gz dash_nginx_gz rank_hz_gz rank_nginx_gz list_hz mix_boards mix_list write_hz; do
    keep "${n}_rps" "$(col $n 1)"; keep "${n}_p99" "$(col $n 3)"
  done
  for n in dash_hz_1 rank_hz_1 list_hz_1 mix_boards; do keep "${n}_p50" "$(col $n 2)"; done
  for n in dash_hz_gz rank_hz_gz list_hz write_hz dash_hz_1 rank_hz_1 list_hz_1; do
    keep "${n}_cpu" "$(cpu_per $n)"; keep "${n}_dbcpu" "$(cpu_db_per $n)"
  done
  keep MBAD "$(bad mix_boards)" # wrk leaves answers it gave up on (after 2 s) out of the percentiles
  keep BOARDS99 "$(printf '%s\n' "$(col dash_hz_gz 3)" "$(col rank_hz_gz 3)" | sort -g | tail -1)" # the slower board, cached
  local BAD=0
  for n in dash_hz dash_nginx rank_hz rank_nginx dash_hz_gz dash_nginx_gz rank_hz_gz rank_nginx_gz list_hz write_hz mix_boards mix_list; do
    BAD=$((BAD + $(bad $n)))
  done
  keep BAD "$BAD"
}

# ---- one engine: the server on its copy, every row measured against it ----
engine_run() {
  local E=$1 DB start c0 c1
  RAW=$OUT/raw/$E
  mkdir -p "$RAW"
  keep LOAD_START "$(loadavg)"
  keep MIX_WRITES_ASKED "$MIX_WRITES"
  [ "$E" = pg ] && PGDIR=/tmp/hz-bench-pg-$PG_PORT # cleanup stops it
  DB=$(engine_db "$E")
  if [ "$E" = pg ]; then
    PG_MASTER=$(head -1 "$PGDIR/data/postmaster.pid")
    say "pg: huizhan migrate from $GEN_DB (takes minutes at full size)"
    start=$(now_ns)
    "$BIN" migrate --from "$GEN_DB" --to "$DB" >"$RAW/migrate.log" 2>&1 || die "huizhan migrate failed: $(tail -3 "$RAW/migrate.log")"
    keep MIGRATE_SECONDS "$(secs_since "$start")"
    psql_ -d "$PG_DB" -c "VACUUM ANALYZE" >&2
  fi

  # huizhan check: every running total recomputed from the raw records
  say "$E: running huizhan check"
  start=$(now_ns)
  HUIZHAN_TODAY=$AS_OF "$BIN" check --db "$DB" >"$RAW/check.log" 2>&1 || die "huizhan check failed on $E: $(tail -3 "$RAW/check.log")"
  keep CHECK_SECONDS "$(secs_since "$start")"

  # accounts: the office, and a sample of units' unit_staff accounts
  OFFICE_TOKEN=$("$BIN" token create --db "$DB" --login office --name bench)
  say "$E: creating bearer tokens for $UNIT_TOKENS units"
  awk -v n="$UNIT_TOKENS" -v u="$UNITS" 'BEGIN { for (i = 0; i < n; i++) printf "u%d_staff\n", 1 + int(i * u / n) }' |
    xargs -P 4 -I{} "$BIN" token create --db "$DB" --login {} --name bench >"$RAW/unit-tokens.txt"
  [ "$(grep -c . "$RAW/unit-tokens.txt")" = "$UNIT_TOKENS" ] || die "could not create the unit tokens"
  local WTOKEN LTOKEN
  WTOKEN=$("$BIN" token create --db "$DB" --login "u${WUNIT}_staff" --name bench-writer)
  # unit 1's, whose list is timed after a write (xargs -P does not keep the order above)
  LTOKEN=$("$BIN" token create --db "$DB" --login u1_staff --name bench-list)

  # huizhan
  say "$E: starting huizhan serve on $HZ ($SERVE_THREADS threads)"
  HUIZHAN_TODAY=$AS_OF "$BIN" serve --db "$DB" --listen "127.0.0.1:$HZ_PORT" --threads "$SERVE_THREADS" \
    >"$RAW/serve.log" 2>&1 &
  HZ_PID=$!
  for i in $(seq 300); do
    curl -sf -o /dev/null "$HZ/health" && break
    kill -0 $HZ_PID 2>/dev/null || die "huizhan serve exited: $(tail -5 "$RAW/serve.log")"
    sleep 0.1
  done
  # Idle: once the state kept for the stale projects has loaded (serve loads it at start, on
  # the scheduler's connection) and the scheduler's first check for due jobs is over (the
  # copy's daily jobs are due at its first start; their peak is RSS_START_JOBS), and a
  # second more. /metrics counts both.
  RSS_START_JOBS=0
  for i in $(seq 600); do
    m=$(curl -sf "$HZ/metrics")
    grep -q '^huizhan_stale_state_updates_total{how="full"} [1-9]' <<<"$m" &&
      grep -q '^huizhan_scheduler_rounds_total [1-9]' <<<"$m" && break
    r=$(rss $HZ_PID VmRSS)
    RSS_START_JOBS=$(awk -v a="$RSS_START_JOBS" -v b="$r" 'BEGIN { print (b > a ? b : a) }')
    sleep 0.5
  done
  keep RSS_START_JOBS "$RSS_START_JOBS"
  sleep 1
  keep RSS_IDLE "$(rss $HZ_PID VmRSS)"

  # The bytes nginx will serve: exactly what huizhan answers the office.
  AUTH="Authorization: Bearer $OFFICE_TOKEN"
  fetch() { curl -sf -H "$AUTH" -o "$2" -w '%{time_total}' "$HZ$1"; }
  local WWW=$OUT/www/$E
  mkdir -p "$WWW/gz"
  # The whole ranking (all=true: every unit, as before the board paged its rows).
  keep FIRST_DASH "$(fetch $DASH "$WWW/dashboard.json" | awk '{ printf "%.0f", $1 * 1000 }')"
  keep FIRST_RANK "$(fetch "$RANK" "$WWW/ranking.json" | awk '{ printf "%.0f", $1 * 1000 }')"
  keep DASH_BYTES "$(stat -c %s "$WWW/dashboard.json")"
  keep RANK_BYTES "$(stat -c %s "$WWW/ranking.json")"
  # The gzip form, as a browser gets it (Accept-Encoding: gzip): nginx serves the same bytes.
  for f in dashboard ranking; do
    p=$DASH; [ $f = ranking ] && p=$RANK
    curl -sf "${GZ[@]}" -H "$AUTH" -o "$WWW/gz/$f.json" "$HZ$p" || die "GET $p (gzip) failed"
    gzip -dc "$WWW/gz/$f.json" | cmp -s - "$WWW/$f.json" || die "the gzip $f is not the same JSON"
  done
  keep DASH_GZ_BYTES "$(stat -c %s "$WWW/gz/dashboard.json")"
  keep RANK_GZ_BYTES "$(stat -c %s "$WWW/gz/ranking.json")"
  if [ "$E" = pg ] && [ -f "$OUT/www/sqlite/dashboard.json" ]; then
    cmp -s "$WWW/dashboard.json" "$OUT/www/sqlite/dashboard.json" && keep SAME_BYTES yes || keep SAME_BYTES no
  fi

  # nginx: the same bytes from files
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
    root $WWW;
    location /gz/ { add_header Content-Encoding gzip; }
  }
}
EOF
  chmod -R a+rX "$OUT/www"
  "$NGINX" -p "$OUT/nginx" -c "$OUT/nginx/nginx.conf" -e "$OUT/nginx/error.log" -g 'daemon off;' &
  NGINX_PID=$!
  for i in $(seq 100); do curl -sf -o /dev/null "$NG/ranking.json" && break; sleep 0.1; done
  for f in dashboard ranking gz/dashboard gz/ranking; do
    curl -sf "$NG/$f.json" | cmp -s - "$WWW/$f.json" || die "nginx does not serve the same $f bytes"
  done

  say "$E: warming up"
  wrk -t 1 -c 4 -d 2s -H "$AUTH" "$HZ$DASH" >/dev/null
  wrk -t 1 -c 4 -d 2s "$NG/dashboard.json" >/dev/null
  wrk -t 1 -c 4 -d 2s -s "$ROOT/bench/list.lua" "$HZ/" -- "$RAW/unit-tokens.txt" 0 >/dev/null

  for r in $(seq "$REPS"); do
    say "$E: reads, round $r of $REPS"
    wrk_run dash_hz "${LOAD[@]}" -H "$AUTH" "$HZ$DASH"
    wrk_run dash_nginx "${LOAD[@]}" "$NG/dashboard.json"
    wrk_run rank_hz "${LOAD[@]}" -H "$AUTH" "$HZ$RANK"
    wrk_run rank_nginx "${LOAD[@]}" "$NG/ranking.json"
    wrk_run dash_hz_gz "${LOAD[@]}" "${GZ[@]}" -H "$AUTH" "$HZ$DASH"
    wrk_run dash_nginx_gz "${LOAD[@]}" "${GZ[@]}" "$NG/gz/dashboard.json"
    wrk_run rank_hz_gz "${LOAD[@]}" "${GZ[@]}" -H "$AUTH" "$HZ$RANK"
    wrk_run rank_nginx_gz "${LOAD[@]}" "${GZ[@]}" "$NG/gz/ranking.json"
    wrk_run list_hz "${LOAD[@]}" -s "$ROOT/bench/list.lua" "$HZ/" -- "$RAW/unit-tokens.txt" "$r"
    wrk_run dash_hz_1 "${ONE[@]}" -H "$AUTH" "$HZ$DASH"
    wrk_run rank_hz_1 "${ONE[@]}" -H "$AUTH" "$HZ$RANK"
    wrk_run list_hz_1 "${ONE[@]}" -s "$ROOT/bench/list.lua" "$HZ/" -- "$RAW/unit-tokens.txt" "$r"
  done

  if [ "$E" = sqlite ]; then
    # the revision check: what each request pays to learn whether its cached answer is
    # still current (several instances share one database), against the token lookup it
    # pays anyway, on the same database in the same run
    local REV_BENCH=${REV_BENCH:-$(dirname "$BIN")/revision_bench} rv
    if [ -x "$REV_BENCH" ]; then
      say "timing the revision check"
      rv=$("$REV_BENCH" "$WORK" "$OFFICE_TOKEN" 20000 "$REPS") || die "revision_bench failed"
      read -r a b c d <<<"$rv"
      keep REV_CHECK "$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.3f", a + b }')"; keep REV_TOKEN "$c"; keep REV_ONE "$d"
    else
      say "no $REV_BENCH: the revision rows are left out"
    fi
    # a unit's project list computed (nothing cached), in process CPU time: written as
    # text (now) and through jansson (before), against its own SQL; same run, interleaved
    local LT_BENCH=${LT_BENCH:-$(dirname "$BIN")/list_text_bench}
    if [ -x "$LT_BENCH" ]; then
      say "timing the project list's JSON (list_text_bench)"
      rv=$("$LT_BENCH" "$WORK" "$SQL_REPEAT" "$REPS") || die "list_text_bench failed"
      read -r a b c <<<"$rv"
      keep LT_SQL "$a"; keep LT_TEXT "$b"; keep LT_JSON "$c"
    fi
    say "timing the raw SQL in the sqlite3 CLI"
    sql_baselines
  fi

  # a board after a write: the cache is cold, the answer is computed
  cold() { # cold PATH NAME [READER]: per write, "ms huizhan_cpu_ms db_cpu_ms" of the first request (by READER, default the office) after it
    local reader=${3:-$AUTH} c0 c1 t
    for i in $(seq "$COLD_REPS"); do
      curl -sf -o /dev/null -H "$AUTH" -H 'Content-Type: application/json' -X POST \
        -d "{\"date\":\"$AS_OF\",\"kind\":\"call\",\"summary\":\"冷启动测量 $i\"}" "$HZ/api/v1/projects/1/follow-ups" ||
        die "POST follow-up failed"
      c0=$(cpu_now)
      t=$(curl -sf -o /dev/null -H "$reader" -w '%{time_total}' "$HZ$1")
      c1=$(cpu_now)
      echo "$t $c0 $c1" | awk '{ printf "%.1f %.3f %.3f\n", $1 * 1000, $4 - $2, $5 - $3 }'
    done >"$RAW/cold_$2"
    keep "COLD_$2" "$(col "cold_$2" 1)"
    keep "COLD_$2_CPU" "$(awk '{ print $2 + $3 }' "$RAW/cold_$2" | median)"
    keep "COLD_$2_DBCPU" "$(col "cold_$2" 3)"
  }
  say "$E: timing cold boards (first request after a write)"
  cold $DASH dash
  cold "$RANK" rank
  # The same for unit 1's project list, as that unit's staff asks for it.
  local LIST_PATH="/api/v1/projects?sort=-planned_investment&limit=50"
  cold "$LIST_PATH" list "Authorization: Bearer $LTOKEN"
  # The same over one kept connection, as a browser asks (curl --next reuses it): the write,
  # then the list, timed alone. A fresh TCP connection costs the server ~0.5 ms of CPU
  # (accept, libmicrohttpd's connection, close) whatever it answers.
  cold_kept() { # cold_kept PATH NAME READER: per write, ms of the READER's request after it
    for i in $(seq "$COLD_REPS"); do
      curl -sf -o /dev/null -H "$AUTH" -H 'Content-Type: application/json' -X POST \
        -d "{\"date\":\"$AS_OF\",\"kind\":\"call\",\"summary\":\"冷启动测量（保持连接） $i\"}" -w '%{time_total}\n' \
        "$HZ/api/v1/projects/1/follow-ups" --next -sf -o /dev/null -H "$3" -w '%{time_total}\n' "$HZ$1" ||
        die "POST follow-up, then GET $1 on one connection failed"
    done | awk 'NR % 2 == 0 { printf "%.1f\n", $1 * 1000 }' >"$RAW/cold_$2"
    keep "COLD_$2" "$(col "cold_$2" 1)"
  }
  cold_kept "$LIST_PATH" list_kept "Authorization: Bearer $LTOKEN"
  # The stale projects as of a past day: the first answer (from the state kept in memory),
  # then the first answer after each write (a follow-up dated today cannot change that day).
  local STALE_PATH="/api/v1/campaigns/1/stale-projects?as_of=$STALE_DAY&limit=50"
  local t
  t=$(curl -sf -m 300 -H "$AUTH" -o /dev/null -w '%{time_total}' "$HZ$STALE_PATH") || die "GET $STALE_PATH failed"
  keep FIRST_STALE "$(awk -v t="$t" 'BEGIN { printf "%.1f", t * 1000 }')"
  cold "$STALE_PATH" stale

  if [ "$E" = sqlite ] && [ "${DEEP_PAGES:-1}" = 1 ]; then
    # deep pages of the big lists: every sort, first page / offset 100,000 / last page
    say "timing deep pages of the big lists (bench/deep_pages.sh)"
    PID=$HZ_PID "$ROOT/bench/deep_pages.sh" "$HZ" "$OFFICE_TOKEN" >"$RAW/deep.md" || die "bench/deep_pages.sh failed"
  fi

  # a mixed load: readers of the boards and the lists while writes trickle in. Half the
  # readers ask for the boards (dashboard and ranking in turn, gzip), half for unit project
  # lists; meanwhile MIX_WRITES follow-ups a second are POSTed on random projects by the
  # office, each on its own, paced by the clock (not by the answers).
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
    say "$E: mixed load, round $r of $REPS ($MIX_READERS readers, $MIX_WRITES writes/s)"
    c0=$(cpu_now)
    writer "$DURATION" >>"$RAW/mix_writes" &
    local WRITER_PID=$!
    wrk_run mix_boards -t 1 -c $((MIX_READERS / 2)) -d "${DURATION}s" -s "$ROOT/bench/boards.lua" "$HZ/" -- "$OFFICE_TOKEN" &
    local BOARDS_PID=$!
    wrk_run mix_list -t 1 -c $((MIX_READERS - MIX_READERS / 2)) -d "${DURATION}s" -s "$ROOT/bench/list.lua" "$HZ/" -- "$RAW/unit-tokens.txt" "$r"
    wait $BOARDS_PID
    wait $WRITER_PID
    c1=$(cpu_now)
    # the share of the machine's cores the server used meanwhile (huizhan + database)
    echo "$c0 $c1" | awk -v d="$DURATION" '{ printf "%.2f\n", ($3 - $1 + $4 - $2) / 1000 / d }' >>"$RAW/mix_cores"
  done
  keep MIX_CORES "$(median <"$RAW/mix_cores")"
  keep MW "$(awk -v d="$DURATION" '{ print $1 / d }' "$RAW/mix_writes" | median)"

  # audited writes
  local FU_BEFORE FU_AFTER
  FU_BEFORE=$(query "$E" "$DB" "SELECT COUNT(*) FROM follow_ups")
  for r in $(seq "$WRITE_REPS"); do
    say "$E: writes, round $r of $WRITE_REPS"
    wrk_run write_hz "${LOAD[@]}" -s "$ROOT/bench/write.lua" "$HZ/" -- "$WTOKEN" "$OUT/write-projects.txt" "$AS_OF" "$WUSER" "$r"
  done
  FU_AFTER=$(query "$E" "$DB" "SELECT COUNT(*) FROM follow_ups")
  keep FU_WRITTEN $((FU_AFTER - FU_BEFORE))

  sleep 2
  keep RSS_AFTER "$(rss $HZ_PID VmRSS)"
  keep RSS_PEAK "$(rss $HZ_PID VmHWM)"

  if [ "$E" = sqlite ]; then
    # Sizes as a browser gets them (gzip): the dashboard's summary and one page of its light
    # matrix, against the whole progress board (every unit's detail: what the dashboard
    # carried before it was split into a summary and paged tables).
    keep PROG_GZ_BYTES "$(curl -sf "${GZ[@]}" -H "$AUTH" "$HZ/api/v1/campaigns/1/progress?all=true" | wc -c)"
    keep MATRIX_GZ_BYTES "$(curl -sf "${GZ[@]}" -H "$AUTH" "$HZ/api/v1/campaigns/1/dashboard/matrix?limit=10" | wc -c)"
    if [ "${BROWSER:-1}" = 1 ]; then
      say "browser: the province's dashboard (cached, then after a write) and project list"
      keep B_PROV "$(browser dashboard "$HZ" office "$PASSWORD" "$BROWSER_REPS")"
      keep B_PROV_W "$(browser dashboard "$HZ" office "$PASSWORD" "$BROWSER_REPS" 1)"
      keep B_LIST "$(browser projects "$HZ" office "$PASSWORD" "$BROWSER_REPS" "${FAR_PAGE:-5000}")"
    fi
  fi

  engine_figures
  keep LOAD_END "$(loadavg)"

  stop_pid $HZ_PID $NGINX_PID
  HZ_PID= NGINX_PID=
  if [ "$E" = pg ]; then
    "$ROOT/tests/pg/cluster.sh" stop "$PGDIR" >/dev/null 2>&1 || true
    PGDIR= PG_MASTER=
  fi
}

STALE_DAY=$(date -d "$AS_OF - 7 days" +%F)
DEMO_PORT=$((HZ_PORT + 2)) DEMO=http://127.0.0.1:$((HZ_PORT + 2))
BROWSER_REPS=${BROWSER_REPS:-$REPS}
jget() { node -e 'console.log(JSON.parse(process.argv[1])[process.argv[2]])' "$1" "$2"; }
browser() { AS_OF=$AS_OF node "$ROOT/bench/browser.mjs" "$@" || die "bench/browser.mjs $1 failed"; }
if [ "${TABLE_ONLY:-0}" = 1 ]; then
  # the table again from the raw runs of the last run (e.g. after it was cut short)
  for E in $ENGINES; do RAW=$OUT/raw/$E; [ -d "$RAW" ] && engine_figures; done
else
  for E in $ENGINES; do engine_run "$E"; done
fi

# ---- the demo city's dashboard in Chromium ----
if wants sqlite && [ "${BROWSER:-1}" = 1 ] && [ "${TABLE_ONLY:-0}" != 1 ]; then
  RAW=$OUT/raw/sqlite
  say "browser: the demo city's dashboard (huizhan demo on $DEMO)"
  rm -f "$OUT"/demo.db*
  HUIZHAN_TODAY=$AS_OF "$BIN" demo --db "$OUT/demo.db" --password "$PASSWORD" --as-of "$AS_OF" >/dev/null || die "huizhan demo failed"
  HUIZHAN_TODAY=$AS_OF "$BIN" serve --db "$OUT/demo.db" --listen "127.0.0.1:$DEMO_PORT" >"$OUT/demo-serve.log" 2>&1 &
  DEMO_PID=$!
  for i in $(seq 300); do curl -sf -o /dev/null "$DEMO/health" && break; sleep 0.1; done
  keep B_DEMO "$(browser dashboard "$DEMO" office "$PASSWORD" "$BROWSER_REPS")"
  keep B_DEMO_W "$(browser dashboard "$DEMO" office "$PASSWORD" "$BROWSER_REPS" 1)"
fi

# ---- the table: a column per engine ----
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || a == "nan" || b == "nan" || b + 0 == 0) print "–"; else printf "%.3g", a / b }'; }
num() { awk -v a="$1" 'BEGIN { if (a == "" || a == "nan") print "–"; else printf (a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f"), a }'; }
V() { # V ENGINE NAME: the kept figure, empty when that engine did not run
  [ -f "$OUT/raw/$1/vars" ] || return 0
  awk -v k="$2" 'index($0, k "=") == 1 { v = substr($0, length(k) + 2) } END { print v }' "$OUT/raw/$1/vars"
}
# row LABEL NAME [BASE_LABEL BASE_NAME [sqlite]]: NAME on each engine; the baseline's value
# on each engine (or the SQLite run's for both, "sqlite"), and each engine's ratio to it.
row() {
  local l=$1 n=$2 bl=${3:-} bn=${4:-} only=${5:-} s p bs bp
  s=$(V sqlite "$n") p=$(V pg "$n")
  if [ -z "$bn" ]; then
    echo "| $l | $(num "$s") | $(num "$p") | | |"
    return
  fi
  bs=$(V sqlite "$bn") bp=$(V "${only:-pg}" "$bn")
  if [ -n "$only" ]; then
    echo "| $l | $(num "$s") | $(num "$p") | $bl: $(num "$bs") | $(ratio "$s" "$bs") / $(ratio "$p" "$bs") |"
  else
    echo "| $l | $(num "$s") | $(num "$p") | $bl: $(num "$bs") / $(num "$bp") | $(ratio "$s" "$bs") / $(ratio "$p" "$bp") |"
  fi
}
# rowdb LABEL NAME DBNAME: CPU on each engine, with the database's part of it on PostgreSQL
rowdb() {
  local p
  p=$(num "$(V pg "$2")")
  [ "$p" != – ] && p="$p (db $(num "$(V pg "$3")"))"
  echo "| $1 | $(num "$(V sqlite "$2")") | $p | | |"
}
kib() { awk -v b="$1" 'BEGIN { if (b == "") print "–"; else printf "%.0f", b / 1024 }'; }
DB_ENGINE=sqlite; wants sqlite || DB_ENGINE=pg
CPU=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
# goal NAME VALUE OP LIMIT: one line of the goals list, "met" or "missed by" the factor.
goal() {
  awk -v n="$1" -v v="$2" -v op="$3" -v l="$4" 'BEGIN {
    if (v == "" || v == "nan" || v == "–") exit
    ok = (op == ">=") ? v >= l : v <= l
    f = (op == ">=") ? (v > 0 ? l / v : 0) : v / l
    printf "- %s: %s (goal %s %s): %s\n", n, v, op, l, ok ? "met" : sprintf("missed, %.2g× off", f) }'
}
# goal2 NAME VARIABLE OP LIMIT: the same on each engine that ran
goal2() {
  local e v
  for e in $ENGINES; do
    v=$(V "$e" "$2")
    [ "$2" = MB99 ] && [ "$(V "$e" MBAD)" != 0 ] && v=2000 # timeouts: no p99 to speak of
    goal "$1, $( [ "$e" = pg ] && echo PostgreSQL || echo SQLite)" "$v" "$3" "$4"
  done
}
for e in $ENGINES; do # figures derived from the kept ones
  { # wrk gives no percentiles (0) when every answer timed out: no p99 to show
    echo "MB99=$(V "$e" mix_boards_p99 | awk '$1 > 0')"
    echo "DZ_RATIO=$(ratio "$(V "$e" dash_hz_gz_rps)" "$(V "$e" dash_nginx_gz_rps)")"
    echo "RZ_RATIO=$(ratio "$(V "$e" rank_hz_gz_rps)" "$(V "$e" rank_nginx_gz_rps)")"
    echo "LISTK_RATIO=$(ratio "$(V "$e" COLD_list_kept)" "$(V sqlite SQL_LIST1_W)")"
    echo "MW_RATIO=$(ratio "$(V "$e" MW)" "$MIX_WRITES")"
  } >>"$OUT/raw/$e/vars"
done
{
  echo "# huizhan benchmark — $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "Machine: $(nproc) cores ($CPU), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo). Database: $UNITS units, $PROJECTS projects,"
  echo "$FOLLOW_UPS follow-ups, $FUNDS fund arrivals (seed $SEED, $DB_MB MiB; \`huizhan gen\` took $GEN_SECONDS s when it was made)."
  echo "wrk $THREADS threads × $CONNS connections × ${DURATION} s (single-connection rows: 1 × 1 × ${LAT_DURATION} s), huizhan serve with"
  echo "$SERVE_THREADS threads, nginx with 2 workers; every figure is the median of $REPS runs ($WRITE_REPS for writes), all in this run."
  for e in $ENGINES; do
    case $e in
    sqlite) echo "SQLite: load average $(V sqlite LOAD_START) at its start, $(V sqlite LOAD_END) at its end." ;;
    pg) echo "PostgreSQL 15 (throw-away cluster, fsync on, shared_buffers ${PG_SHARED_BUFFERS:-512MB}, filled by \`huizhan migrate\` in $(V pg MIGRATE_SECONDS) s): load average $(V pg LOAD_START) at its start, $(V pg LOAD_END) at its end." ;;
    esac
  done
  echo "Each engine has its own server on its own copy, measured one after the other; each ratio is against the baseline of the same engine's run."
  echo "CPU rows: the server's CPU time per answer (huizhan's threads, plus every PostgreSQL process on PostgreSQL), which load does not inflate."
  echo
  echo "| measurement | SQLite | PostgreSQL | baseline (SQLite / PostgreSQL run) | ratio (SQLite / PostgreSQL) |"
  echo "|---|---:|---:|---|---:|"
  row "dashboard, cached (req/s; $(kib "$(V $DB_ENGINE DASH_BYTES)") KiB)" dash_hz_rps "nginx, same bytes" dash_nginx_rps
  row "…, p99 at $CONNS connections (ms)" dash_hz_p99 "nginx" dash_nginx_p99
  row "dashboard, cached, gzip (req/s; $(kib "$(V $DB_ENGINE DASH_GZ_BYTES)") KiB)" dash_hz_gz_rps "nginx, same bytes" dash_nginx_gz_rps
  row "…, p99 at $CONNS connections (ms)" dash_hz_gz_p99 "nginx" dash_nginx_gz_p99
  row "…, server CPU per answer (µs)" dash_hz_gz_cpu
  row "ranking, cached (req/s; $(kib "$(V $DB_ENGINE RANK_BYTES)") KiB)" rank_hz_rps "nginx, same bytes" rank_nginx_rps
  row "…, p99 at $CONNS connections (ms)" rank_hz_p99 "nginx" rank_nginx_p99
  row "ranking, cached, gzip (req/s; $(kib "$(V $DB_ENGINE RANK_GZ_BYTES)") KiB)" rank_hz_gz_rps "nginx, same bytes" rank_nginx_gz_rps
  row "…, p99 at $CONNS connections (ms)" rank_hz_gz_p99 "nginx" rank_nginx_gz_p99
  row "…, server CPU per answer (µs)" rank_hz_gz_cpu
  row "dashboard, cached, one connection (p50 ms)" dash_hz_1_p50 "raw aggregate SQL (ms)" SQL_AGG sqlite
  row "ranking, cached, one connection (p50 ms)" rank_hz_1_p50 "raw aggregate SQL (ms)" SQL_AGG sqlite
  rowdb "…, server CPU per answer (µs; of it the database)" rank_hz_1_cpu rank_hz_1_dbcpu
  row "dashboard after a write (ms, computed)" COLD_dash "raw aggregate SQL (ms)" SQL_AGG sqlite
  rowdb "…, server CPU (ms; of it the database)" COLD_dash_CPU COLD_dash_DBCPU
  row "ranking after a write (ms, computed)" COLD_rank "raw aggregate SQL (ms)" SQL_AGG sqlite
  rowdb "…, server CPU (ms; of it the database)" COLD_rank_CPU COLD_rank_DBCPU
  row "dashboard after a write (ms, computed)" COLD_dash "the SQL it runs, sqlite3 (ms)" SQL_BOARD sqlite
  row "stale projects as of a past day ($STALE_DAY), first answer (ms)" FIRST_STALE "same SQL, sqlite3 (ms)" SQL_STALE sqlite
  row "stale projects as of a past day after a write (ms)" COLD_stale "same SQL, sqlite3 (ms)" SQL_STALE sqlite
  row "mixed load: boards p99, $MIX_READERS readers + $MIX_WRITES writes/s (ms)" MB99 "boards without writes (ms)" BOARDS99
  row "…, boards p50 (ms)" mix_boards_p50
  row "…, boards answers (req/s)" mix_boards_rps
  row "…, boards failed or timed out (all runs)" MBAD
  row "…, project lists p99 (ms)" mix_list_p99 "lists without writes (ms)" list_hz_p99
  row "…, project lists answers (req/s)" mix_list_rps
  row "…, writes acknowledged (writes/s)" MW "asked" MIX_WRITES_ASKED
  row "…, server CPU meanwhile (cores of $(nproc))" MIX_CORES
  row "unit's project list, random unit (req/s)" list_hz_rps
  row "…, p99 at $CONNS connections (ms)" list_hz_p99
  rowdb "…, server CPU per answer (µs; of it the database)" list_hz_cpu list_hz_dbcpu
  row "unit's project list, one connection (p50 ms)" list_hz_1_p50 "same SQL, sqlite3 (ms)" SQL_LIST sqlite
  row "unit's project list after a write, unit 1 (ms, computed)" COLD_list "its SQL after a write, sqlite3 (ms)" SQL_LIST1_W sqlite
  rowdb "…, server CPU (ms; of it the database)" COLD_list_CPU COLD_list_DBCPU
  row "unit's project list after a write, unit 1, over a kept connection (ms)" COLD_list_kept "its SQL after a write, sqlite3 (ms)" SQL_LIST1_W sqlite
  row "…, against its SQL with a warm cache (no write before it)" COLD_list_kept "its SQL, sqlite3 (ms)" SQL_LIST1 sqlite
  row "unit's project list computed, in process (µs CPU): written as text" LT_TEXT "its own SQL (µs)" LT_SQL sqlite
  row "…, through jansson objects (the path before)" LT_JSON "its own SQL (µs)" LT_SQL sqlite
  row "revision check per request (µs: revision read + fresh snapshot)" REV_CHECK "token lookup (µs)" REV_TOKEN sqlite
  row "…, against a statement that reads no table (SELECT 1)" REV_CHECK "SELECT 1 (µs)" REV_ONE sqlite
  row "audited writes: follow-ups (writes/s)" write_hz_rps
  rowdb "…, server CPU per write (µs; of it the database)" write_hz_cpu write_hz_dbcpu
  if wants sqlite; then
    echo "| dashboard summary, gzip (KiB) | $(num "$(awk -v b="$(V sqlite DASH_GZ_BYTES)" 'BEGIN { print b / 1024 }')") | | whole progress board: $(num "$(awk -v b="$(V sqlite PROG_GZ_BYTES)" 'BEGIN { print b / 1024 }')") KiB | $(ratio "$(V sqlite DASH_GZ_BYTES)" "$(V sqlite PROG_GZ_BYTES)") |"
    echo "| dashboard light matrix, one page of 10, gzip (KiB) | $(num "$(awk -v b="$(V sqlite MATRIX_GZ_BYTES)" 'BEGIN { print b / 1024 }')") | | | |"
  fi
  if [ -n "$(V sqlite B_PROV)" ]; then
    for r in "demo city, cached|B_DEMO" "demo city, after a write|B_DEMO_W" "$UNITS units, cached|B_PROV" "$UNITS units, after a write|B_PROV_W"; do
      j=$(V sqlite "${r#*|}")
      [ -n "$j" ] || continue
      c=$(jget "$j" charts_drawn_ms) sh=$(jget "$j" login_shell_ms)
      echo "| dashboard first load in Chromium, ${r%%|*}: charts drawn (ms) | $(num "$c") | | login page alone: $(num "$sh") ms | $(ratio "$c" "$sh") |"
      echo "| …, unit tables filled (ms); longest task (ms) | $(num "$(jget "$j" tables_filled_ms)"); $(num "$(jget "$j" longest_task_ms)") | | | |"
    done
    B_LIST=$(V sqlite B_LIST) api=$(jget "$(V sqlite B_LIST)" api_first_page_ms)
    echo "| project list in Chromium ($(jget "$B_LIST" total)): page 1 shown (ms from navigation) | $(num "$(jget "$B_LIST" first_page_ms)") | | | |"
    echo "| …, jump to page $(jget "$B_LIST" far_page) (ms) | $(num "$(jget "$B_LIST" far_page_ms)") | | the API's page 1 in the page: $(num "$api") ms | $(ratio "$(jget "$B_LIST" far_page_ms)" "$api") |"
    echo "| …, sort change (ms) | $(num "$(jget "$B_LIST" sort_ms)") | | the API's page 1 in the page: $(num "$api") ms | $(ratio "$(jget "$B_LIST" sort_ms)" "$api") |"
    echo "| …, longest task during the jump and the sort (ms) | $(num "$(jget "$B_LIST" longest_task_ms)") | | | |"
  fi
  row "huizhan check, whole database (s)" CHECK_SECONDS
  row "resident memory while the start's due jobs run, sampled (MiB)" RSS_START_JOBS
  row "resident memory, idle after start, the kept state loaded (MiB)" RSS_IDLE
  row "resident memory, idle after the load (MiB)" RSS_AFTER
  row "…, peak (MiB)" RSS_PEAK
  echo
  for e in $ENGINES; do
    echo "$e: failed answers during the load: $(V "$e" BAD). Follow-ups written: $(V "$e" FU_WRITTEN) (unit $WUNIT, $(grep -c . "$OUT/write-projects.txt") projects). First (uncached) answers right after start: dashboard $(V "$e" FIRST_DASH) ms, ranking $(V "$e" FIRST_RANK) ms."
  done
  wants pg && wants sqlite && echo "The first dashboard's bytes are the same on both engines: $(V pg SAME_BYTES)."
  echo "Project list: tokens of $UNIT_TOKENS units' unit_staff accounts, one drawn at random per request."
  if [ -f "$OUT/raw/sqlite/deep.md" ]; then
    echo
    echo "Deep pages of the big lists on SQLite, as the office within campaign 1 (each asked once, so computed; bench/deep_pages.sh):"
    echo
    cat "$OUT/raw/sqlite/deep.md"
  fi
  echo
  echo "Goals (the boards as a browser fetches them, gzip):"
  goal2 "dashboard throughput, share of nginx's" DZ_RATIO ">=" 0.5
  goal2 "ranking throughput, share of nginx's" RZ_RATIO ">=" 0.5
  goal2 "dashboard p99 at $CONNS connections (ms)" dash_hz_gz_p99 "<=" 20
  goal2 "ranking p99 at $CONNS connections (ms)" rank_hz_gz_p99 "<=" 20
  goal2 "dashboard after a write (ms)" COLD_dash "<=" 50
  goal2 "ranking after a write (ms)" COLD_rank "<=" 50
  goal2 "boards p99 under the mixed load (ms)" MB99 "<=" 100
  goal2 "writes acknowledged under the mixed load, share of those asked" MW_RATIO ">=" 0.95
  goal2 "stale projects as of a past day after a write (ms)" COLD_stale "<=" 100
  goal2 "stale projects as of a past day, first answer (ms)" FIRST_STALE "<=" 100
  goal2 "project list after a write, kept connection, share of its SQL" LISTK_RATIO "<=" 1.5
  goal "project list computed in process, share of its SQL" "$(ratio "$(V sqlite LT_TEXT)" "$(V sqlite LT_SQL)")" "<=" 1.5
  goal2 "project list (req/s)" list_hz_rps ">=" 10000
  goal2 "project list p99 (ms)" list_hz_p99 "<=" 10
  wants sqlite && goal "dashboard summary at $UNITS units, gzip (KB)" "$(awk -v b="$(V sqlite DASH_GZ_BYTES)" 'BEGIN { printf "%.1f", b / 1000 }')" "<=" 200
  if [ -n "$(V sqlite B_PROV)" ]; then
    goal "dashboard first load, demo city, charts drawn (ms)" "$(jget "$(V sqlite B_DEMO)" charts_drawn_ms)" "<=" 1000
    goal "dashboard first load, $UNITS units, charts drawn (ms)" "$(jget "$(V sqlite B_PROV)" charts_drawn_ms)" "<=" 2000
    goal "dashboard first load, $UNITS units after a write, charts drawn (ms)" "$(jget "$(V sqlite B_PROV_W)" charts_drawn_ms)" "<=" 2000
    goal "project list: longest task while paging and sorting (ms)" "$(jget "$(V sqlite B_LIST)" longest_task_ms)" "<=" 200
  fi
  goal2 "resident memory at idle (MiB)" RSS_IDLE "<=" 64
  goal2 "resident memory after the load (MiB)" RSS_AFTER "<=" 100
  [ "$GEN_SECONDS" != "?" ] && goal "huizhan gen (s)" "$GEN_SECONDS" "<=" 60
  goal2 "huizhan check (s)" CHECK_SECONDS "<=" 30
  echo
  echo "Raw runs: $OUT/raw/<engine>/. What each row means: bench/README.md."
} | tee "$OUT/results.md"
for e in $ENGINES; do
  [ "$(V "$e" BAD)" = 0 ] || say "warning: $e: $(V "$e" BAD) failed answers during the load (see $OUT/raw/$e/*.log)"
done
