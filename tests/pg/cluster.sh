#!/usr/bin/env bash
# A throw-away PostgreSQL 15 cluster for the tests: tests/pg/cluster.sh start|stop DIR [PORT]
#
# start: initdb + pg_ctl from /usr/lib/postgresql/15/bin as the postgres user (runuser,
# when run as root), data and socket in DIR, listening on 127.0.0.1 at PORT (default: a
# free port from 20000 up), trust authentication (loopback only). Writes the base URI
# postgresql://postgres@127.0.0.1:PORT/ to DIR/url; tests add a database name to it.
# stop: stops the server and removes DIR.
# No fsync: a crash of the test machine loses nothing worth keeping. PG_EXTRA_OPTS adds
# server options after these (the later -c wins: bench/run.sh turns fsync back on).
set -euo pipefail
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
cmd=${1:-}
dir=${2:-}
if [ -z "$cmd" ] || [ -z "$dir" ]; then
  echo "usage: $0 start|stop DIR [PORT]" >&2
  exit 2
fi

as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

stop() {
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_pg "$PGBIN/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >/dev/null 2>&1 ||
      as_pg "$PGBIN/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

port_free() {
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

case "$cmd" in
start)
  if [ ! -x "$PGBIN/initdb" ]; then
    echo "cluster.sh: $PGBIN/initdb not found (install postgresql-15: make deps)" >&2
    exit 1
  fi
  stop
  mkdir -p "$dir"
  [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
  chmod 700 "$dir"
  port=${3:-}
  if [ -z "$port" ]; then
    port=$((20000 + RANDOM % 20000))
    while ! port_free "$port"; do port=$((port + 1)); done
  fi
  as_pg "$PGBIN/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 || {
    cat "$dir/initdb.log" >&2
    exit 1
  }
  # Enough connections for parallel suites (each server holds one per worker thread).
  as_pg "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c full_page_writes=off -c max_connections=400 -c shared_buffers=64MB ${PG_EXTRA_OPTS:-}" \
    start >/dev/null || {
    cat "$dir/server.log" >&2
    exit 1
  }
  # the tests' SQLite functions, in every database made from template1 (sqlite_compat.sql)
  "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d template1 \
    -f "$(dirname "$0")/sqlite_compat.sql" >/dev/null
  echo "postgresql://postgres@127.0.0.1:$port/" >"$dir/url"
  echo "cluster.sh: PostgreSQL on 127.0.0.1:$port ($dir)"
  ;;
stop)
  stop
  ;;
*)
  echo "usage: $0 start|stop DIR [PORT]" >&2
  exit 2
  ;;
esac
