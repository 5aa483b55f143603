#!/usr/bin/env bash
# What reading the data revision costs a request on PostgreSQL 15 (docs/scaling.md,
# "Several instances"; not a test). A throw-away cluster on loopback (initdb/pg_ctl from
# /usr/lib/postgresql/15/bin as the postgres user, removed afterwards), then pgbench with one
# client and prepared statements: the revision read huizhan does per cached answer (one row
# of meta by its primary key) against `SELECT 1`, the bare round trip, in the same run,
# interleaved; medians of REPS runs of DURATION s. Prints "revision_ms select1_ms".
#
# Settings: PG_PORT (18391), DURATION (5), REPS (3), PGBIN (/usr/lib/postgresql/15/bin).
set -euo pipefail
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin} PORT=${PG_PORT:-18391} DURATION=${DURATION:-5} REPS=${REPS:-3}
[ -x "$PGBIN/initdb" ] || { echo "revision_pg: no $PGBIN/initdb (apt-get install postgresql-15)" >&2; exit 1; }
command -v pgbench >/dev/null || { echo "revision_pg: no pgbench" >&2; exit 1; }
DIR=$(mktemp -d /tmp/hz-revpg-XXXXXX)
chown postgres "$DIR"
as_pg() { runuser -u postgres -- "$@"; }
cleanup() {
  as_pg "$PGBIN/pg_ctl" -D "$DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$DIR"
}
trap cleanup EXIT
as_pg "$PGBIN/initdb" -D "$DIR/data" -A trust -U postgres >/dev/null
as_pg "$PGBIN/pg_ctl" -D "$DIR/data" -l "$DIR/log" -w \
  -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1" start >/dev/null
PSQL=(psql -X -q -h 127.0.0.1 -p "$PORT" -U postgres -d postgres)
"${PSQL[@]}" -c "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  INSERT INTO meta VALUES ('revision', '123456'), ('audit_head', 'x'), ('audit_count', '0');"
echo "SELECT CAST(value AS BIGINT) FROM meta WHERE key = 'revision';" >"$DIR/revision.sql"
echo "SELECT 1;" >"$DIR/select1.sql"
bench() { pgbench -n -h 127.0.0.1 -p "$PORT" -U postgres -c 1 -T "$DURATION" -M prepared -f "$DIR/$1.sql" postgres 2>/dev/null |
  awk '/latency average/ { print $4 }'; }
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
bench revision >/dev/null # warm up
: >"$DIR/r" && : >"$DIR/s"
for _ in $(seq "$REPS"); do
  bench revision >>"$DIR/r"
  bench select1 >>"$DIR/s"
done
echo "$(median <"$DIR/r") $(median <"$DIR/s")"
