#!/bin/sh
# The SQL of store/ is valid PostgreSQL 15 against the baseline schema (tests/pg/sql_check.py
# --static): a throw-away cluster on loopback, run as the postgres user when started by root,
# removed afterwards. Port: $HZ_PG_CHECK_PORT (default 18231).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=/usr/lib/postgresql/15/bin
port=${HZ_PG_CHECK_PORT:-18231}
dir=$(mktemp -d /tmp/hz-pg-sql-check.XXXXXX)
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres "$dir"
cleanup() {
  as_pg "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT INT TERM
as_pg "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
  { cat "$dir/initdb.log"; exit 1; }
as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
export PGHOST=$dir PGPORT=$port PGUSER=postgres PGDATABASE=postgres
for f in "$root"/src/db/migrations/pg/*.sql; do
  psql -X -q -v ON_ERROR_STOP=1 -f "$f" >/dev/null
done
python3 "$here/sql_check.py" --static "$@"
