#!/usr/bin/env bash
# `make valgrind`: the unit tests and a server smoke run under valgrind memcheck; fails on
# any memory error or definitely lost block (--errors-for-leak-kinds=definite).
#   BUILD=build (a RelWithDebInfo build, made by make)  VG_JOBS=2  VG_PORT=19380
#   VG_UNITS="test_money test_csv" runs only those unit tests.
# The unit tests run from BUILD/tests like ctest runs them; test_db_pg gets a throw-away
# PostgreSQL cluster (tests/pg/cluster.sh). The smoke run: `huizhan demo` (not under
# valgrind: it only makes the data) then `huizhan serve` under valgrind, logged in as the
# demo's admin and a unit user, with lists, a write, the dashboard, exports, a logout,
# and SIGTERM; the server must exit 0. Logs in BUILD/valgrind/.
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
B=$ROOT/${BUILD:-build}
OUT=$B/valgrind
mkdir -p "$OUT"
rm -f "$OUT"/*.log
VG=(valgrind --tool=memcheck --error-exitcode=99 --leak-check=full --show-leak-kinds=definite
    --errors-for-leak-kinds=definite --num-callers=30 --suppressions="$ROOT/tests/valgrind/valgrind.supp"
    --gen-suppressions=all)
fail=0

# ---- unit tests ----
units=${VG_UNITS:-$(cd "$B/tests" && ls test_* | grep -v '\.' | sort)}
pgdir=$OUT/pg
if echo "$units" | grep -qw test_db_pg; then
  tests/pg/cluster.sh start "$pgdir" >/dev/null || { echo "valgrind: cannot start the PostgreSQL cluster"; exit 1; }
  trap 'tests/pg/cluster.sh stop "$pgdir" >/dev/null 2>&1' EXIT
fi
# The demo city: test_list_text reads a copy of it (as ctest's demo_city fixture), and the
# server smoke run below serves it.
db=$OUT/smoke.db
pw=valgrind2026
rm -f "$db" "$db"-*
"$B/huizhan" demo --db "$db" --password "$pw" >"$OUT/demo.out" 2>&1 || { echo "valgrind: huizhan demo failed"; cat "$OUT/demo.out"; exit 1; }
run_unit() {
  local t=$1 start=$SECONDS
  (cd "$B/tests" && HUIZHAN_TEST_PG=$pgdir HUIZHAN_DEMO_DB=$db "${VG[@]}" --log-file="$OUT/$t.log" "./$t" >"$OUT/$t.out" 2>&1)
  local rc=$?
  local errs
  errs=$(sed -n 's/.*ERROR SUMMARY: \([0-9]*\) errors.*/\1/p' "$OUT/$t.log" | tail -1)
  local lost
  lost=$(sed -n 's/.*definitely lost: \([0-9,]*\) bytes.*/\1/p' "$OUT/$t.log" | tail -1)
  printf '%-28s exit %3d  errors %4s  definitely lost %8s bytes  %4d s\n' "$t" "$rc" "${errs:-?}" "${lost:-0}" $((SECONDS - start))
  return $((rc != 0))
}
echo "== unit tests under memcheck (logs: $OUT/<test>.log)"
for t in $units; do
  while [ "$(jobs -rp | wc -l)" -ge "${VG_JOBS:-2}" ]; do wait -n || fail=1; done
  run_unit "$t" &
done
while [ "$(jobs -rp | wc -l)" -gt 0 ]; do wait -n || fail=1; done

# ---- server smoke run ----
echo "== server smoke run under memcheck (log: $OUT/serve.log)"
port=${VG_PORT:-19380}
base=http://127.0.0.1:$port
"${VG[@]}" --log-file="$OUT/serve.log" "$B/huizhan" serve --db "$db" --listen "127.0.0.1:$port" >"$OUT/serve.out" 2>&1 &
spid=$!
for _ in $(seq 1 300); do
  curl -sf "$base/health" >/dev/null 2>&1 && break
  kill -0 $spid 2>/dev/null || break
  sleep 0.5
done
jar=$OUT/cookies
smoke_fail=0
# call NAME EXPECTED_STATUS CURL_ARGS...: one API call, its status checked.
call() {
  local name=$1 want=$2
  shift 2
  local got
  got=$(curl -s -o "$OUT/smoke-$name.body" -w '%{http_code}' -b "$jar" -c "$jar" "$@")
  printf '  %-22s %s (want %s)\n' "$name" "$got" "$want"
  [ "$got" = "$want" ] || smoke_fail=1
}
login() { # login USER: a session in $jar, its CSRF token in $csrf
  rm -f "$jar"
  call "login-$1" 200 -H 'Content-Type: application/json' -d "{\"login\":\"$1\",\"password\":\"$pw\"}" "$base/api/v1/session"
  csrf=$(sed -n 's/.*"csrf_token": *"\([^"]*\)".*/\1/p' "$OUT/smoke-login-$1.body")
}
login admin
call bad-login 401 -H 'Content-Type: application/json' -d "{\"login\":\"admin\",\"password\":\"wrong\"}" "$base/api/v1/session"
login office
call me 200 "$base/api/v1/me"
call projects 200 "$base/api/v1/projects?limit=20&sort=-contract_value&stage=signed"
call projects-bad 400 "$base/api/v1/projects?limit=abc"
call follow-ups 200 "$base/api/v1/follow-ups?limit=5"
call audit 200 "$base/api/v1/audit?limit=5"
pid=$(sed -n 's/.*"items": *\[{[^}]*"id": *\([0-9]*\).*/\1/p' "$OUT/smoke-projects.body" | head -1)
pid=${pid:-1}
call project 200 "$base/api/v1/projects/$pid"
ver=$(sed -n 's/.*"version": *\([0-9]*\).*/\1/p' "$OUT/smoke-project.body" | head -1)
call project-patch 200 -X PATCH -H 'Content-Type: application/json' -H "X-CSRF-Token: $csrf" \
  -d "{\"version\":${ver:-1},\"description\":\"valgrind 冒烟测试\"}" "$base/api/v1/projects/$pid"
call project-patch-bad 400 -X PATCH -H 'Content-Type: application/json' -H "X-CSRF-Token: $csrf" \
  -d '{"version":1,"lead_date":"2026-02-30"}' "$base/api/v1/projects/$pid"
call dashboard 200 "$base/api/v1/campaigns/1/dashboard"
call ranking 200 "$base/api/v1/campaigns/1/ranking"
call export-xlsx 200 "$base/api/v1/projects/export.xlsx?stage=signed"
call export-csv 200 "$base/api/v1/campaigns/1/ranking/export.csv"
call logout 204 -X DELETE -H "X-CSRF-Token: $csrf" "$base/api/v1/session"
call after-logout 401 "$base/api/v1/me"
# a unit user: its own unit's projects only, and a refusal
login gxj.staff1
upid=$(curl -s -b "$jar" "$base/api/v1/projects?limit=1" | sed -n 's/.*"items": *\[{[^}]*"id": *\([0-9]*\).*/\1/p' | head -1)
call unit-projects 200 "$base/api/v1/projects?limit=5"
call unit-audit 403 "$base/api/v1/audit?limit=5"
call unit-follow-up 201 -X POST -H 'Content-Type: application/json' -H "X-CSRF-Token: $csrf" \
  -d "{\"date\":\"2026-03-02\",\"kind\":\"call\",\"summary\":\"valgrind 冒烟测试\"}" "$base/api/v1/projects/$upid/follow-ups"
kill -TERM $spid 2>/dev/null
wait $spid
src=$?
errs=$(sed -n 's/.*ERROR SUMMARY: \([0-9]*\) errors.*/\1/p' "$OUT/serve.log" | tail -1)
lost=$(sed -n 's/.*definitely lost: \([0-9,]*\) bytes.*/\1/p' "$OUT/serve.log" | tail -1)
printf '%-28s exit %3d  errors %4s  definitely lost %8s bytes\n' "huizhan serve" "$src" "${errs:-?}" "${lost:-0}"
[ $src -eq 0 ] && [ $smoke_fail -eq 0 ] || fail=1

if [ $fail -ne 0 ]; then
  echo "valgrind: FAILED (errors, definite leaks or a failed call: see $OUT)"
  exit 1
fi
echo "valgrind: 0 errors, 0 definite leaks"
