/* The database connection: pragmas, cached prepared statements, transactions, migrations.
 * SQL is written with '?' placeholders in portable SQL; only store/ and this module see it.
 * Two engines sit behind these calls: SQLite (a file path, the default) and PostgreSQL 15
 * (a postgresql:// or postgres:// libpq URI). A statement is an opaque DbStmt, and every
 * engine-specific setting, catalogue query and error text is interpreted in db/ (db.c for
 * what they share, db_sqlite.c and db_pg.c for what differs), never above it.
 * A Db is used by one thread at a time (the server keeps one per worker thread: on
 * PostgreSQL that is one server connection each, the instance's pool). */
#ifndef HZ_DB_H
#define HZ_DB_H
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include "util/err.h"

typedef struct Db Db;
typedef struct DbStmt DbStmt; /* defined in db.c; owned by its Db */

enum { DB_DONE = 0, DB_ROW = 1 };

/* Whether target names a PostgreSQL database (postgresql://… or postgres://…) rather than
 * a SQLite file. */
int db_target_is_server(const char *target);
/* target fit for logs and messages: a password in it (user:pw@ or password=) becomes ***.
 * out has n >= 16 bytes. */
void db_target_display(const char *target, char *out, size_t n);

/* Opens target (a file, or a libpq URI) and applies the engine's settings; *out freed by
 * db_close. create=1 creates a missing SQLite file (a PostgreSQL database must exist).
 * db_close rolls back whatever transaction is still open. */
int db_open(const char *path, int create, Db **out, HzErr *e);
void db_close(Db *db);
/* Applies every embedded migration newer than the database, each in one transaction. */
int db_migrate(Db *db, HzErr *e);
/* *empty = 1 when the database holds no table yet (a new file, or a PostgreSQL database
 * just made by CREATE DATABASE). */
int db_is_empty(Db *db, int *empty, HzErr *e);
/* Schema version the database is at, and the newest this binary knows (for SQLite;
 * db_schema_latest_of for db's engine, which on PostgreSQL is the same number). */
int db_schema_version(Db *db);
int db_schema_latest(void);
int db_schema_latest_of(Db *db);
/* "sqlite" or "postgresql". */
const char *db_engine(Db *db);

/* A cached statement for sql, reset and with bindings cleared; NULL (and e set) on error.
 * The statement belongs to the connection: do not free it. */
DbStmt *db_prepare(Db *db, const char *sql, HzErr *e);
/* db_prepare for a text built once and kept unchanged for the life of the process (a
 * statement assembled from static descriptions): found again by its address, as a string
 * literal is, without hashing the text. */
DbStmt *db_prepare_kept(Db *db, const char *sql, HzErr *e);
void db_bind_int(DbStmt *st, int i, int64_t v);
void db_bind_text(DbStmt *st, int i, const char *s);   /* NULL binds NULL */
void db_bind_blob(DbStmt *st, int i, const void *p, size_t n);
void db_bind_null(DbStmt *st, int i);
/* DB_ROW, DB_DONE, or a negative -HzRc with e set. A broken constraint is HZ_ECONFLICT
 * for a unique key and HZ_EINVAL for NOT NULL, CHECK and foreign keys; e->fields then
 * names the column when the database tells which one (the last column of a composite
 * unique key, the column a CHECK expression starts with), and no field otherwise. */
int db_step(Db *db, DbStmt *st, HzErr *e);
/* Runs a statement that returns no rows; HZ_OK or an HzRc (as db_step). */
int db_run(Db *db, DbStmt *st, HzErr *e);
/* db_run for a write that may be skipped (a session's last use): HZ_EBUSY at once, the
 * statement not run, when this process is writing already or st's connection is in a
 * transaction. */
int db_run_unless_busy(Db *db, DbStmt *st, HzErr *e);
/* Runs an INSERT … RETURNING id: *id is the first column of its row, or 0 when it
 * returned none (INSERT … ON CONFLICT DO NOTHING that inserted nothing). HZ_OK or an HzRc. */
int db_run_returning(Db *db, DbStmt *st, int64_t *id, HzErr *e);
int db_exec(Db *db, const char *sql, HzErr *e); /* uncached, for scripts */
/* Ends a statement early (releases its read snapshot); its bindings stay. */
void db_reset(DbStmt *st);

int64_t db_col_int(DbStmt *st, int col);
const char *db_col_text(DbStmt *st, int col); /* NULL for SQL NULL; valid until next step */
int db_col_is_null(DbStmt *st, int col);
const void *db_col_blob(DbStmt *st, int col, size_t *n);

/* Write transactions, which nest.
 * The outermost db_begin opens the real transaction and takes the write lock up front (no
 * upgrade deadlocks); a db_begin inside it opens a savepoint. Each db_begin that returned
 * HZ_OK is closed by exactly one db_commit or db_rollback, innermost first:
 *  - db_commit of an inner level keeps its work as part of the enclosing level; only the
 *    outermost db_commit makes anything durable (and releases the lock).
 *  - db_rollback of an inner level undoes that level's work only; the enclosing level goes
 *    on and may still commit. db_rollback of the outermost undoes everything.
 *  - db_begin that fails has opened nothing. db_rollback with no transaction open does
 *    nothing, so the outermost caller may roll back after a failed begin.
 *  - db_commit with no transaction open is a mismatch: HZ_EDB, and logged.
 *  - When an inner level cannot be opened or undone, or the database itself abandoned
 *    the transaction, the whole transaction is doomed: commits fail, and the next
 *    db_rollback (at any level) undoes everything and closes all levels.
 * A db_commit that fails leaves its level open: the caller rolls it back. */
int db_begin(Db *db, HzErr *e);
int db_commit(Db *db, HzErr *e);
/* hook (NULL: none) is called after every outermost db_commit that succeeded, in the
 * committing thread, once the write lock is released: the audit log file copies the
 * entries just made (domain/audit_file.h). Process-wide; set before threads start. */
void db_set_commit_hook(void (*hook)(Db *db));
void db_rollback(Db *db);
/* Between two transactions of a long run of them (an importer's batches): pauses a few
 * milliseconds so that writers of other processes, which poll for the lock, get it. Writers
 * of this process need no pause: they are served in the order they asked (db_begin). */
void db_yield(Db *db);
/* Levels open: 0 outside a transaction, 1 in the outermost, 2 in the first nested one … */
int db_depth(Db *db);
/* Rows changed by the last INSERT, UPDATE or DELETE. */
int db_changes(Db *db);
const char *db_path(Db *db);
/* Online, consistent copy of the whole database to path, a new file (SQLite; PostgreSQL
 * answers HZ_EINVAL: back it up with pg_dump). Writers go on meanwhile; the copy is the
 * database as of the call's start. */
int db_backup_to(Db *db, const char *path, HzErr *e);
/* Marks a SQLite file as served, or finds that it is (huizhan restore): every `huizhan
 * serve` holds a shared lock (flock) on the file for its whole life, and exclusive=1 asks
 * for the file alone. The kernel drops the lock when the process ends, kill -9 included.
 * Never waits: HZ_EBUSY when the other kind is held. *fd is the descriptor that holds it
 * (-1 for a PostgreSQL target or a file that does not exist yet), closed by
 * db_file_unlock. Keep it open while SQLite connections to the file are open: closing any
 * other descriptor of the file would drop SQLite's own locks. */
int db_file_lock(const char *target, int exclusive, int *fd, HzErr *e);
void db_file_unlock(int fd);
/* Checks pages, records and foreign keys; HZ_OK when all are clean. On PostgreSQL, which
 * enforces keys itself: that every constraint is validated and every index valid. */
int db_integrity_check(Db *db, HzErr *e);

/* Bulk loading into a new database that nobody else has open (`huizhan gen`).
 * db_bulk_begin switches the connection to loading mode, outside a transaction: commits
 * are neither journalled nor synced, foreign keys are not checked (the loader makes
 * consistent data; `huizhan check` verifies it), and the cache is large. A rollback in
 * loading mode may leave a broken database: a failed load deletes the file.
 * db_bulk_end returns to the settings of db_open. */
int db_bulk_begin(Db *db, HzErr *e);
int db_bulk_end(Db *db, HzErr *e);
/* Drops the secondary indexes (those not behind a PRIMARY KEY or UNIQUE constraint) so
 * that rows go in without index upkeep, and gives in *defs what db_indexes_create needs to
 * build each of them again, once, from all its rows (opaque to the caller, who frees it
 * with json_decref, also when a call failed). Both outside a transaction. */
int db_indexes_drop(Db *db, json_t **defs, HzErr *e);
int db_indexes_create(Db *db, json_t *defs, HzErr *e);
/* relaxed=1: commits no longer wait for the disk (a crash may lose the last ones but never
 * corrupts the database), for loaders that write thousands of small transactions;
 * relaxed=0 restores full durability. */
int db_relax_durability(Db *db, int relaxed, HzErr *e);
/* on=1: this connection is about to write a long series of large transactions (an
 * import's batches), visible to others as always: SQLite copies its WAL back into the
 * database every 32768 pages instead of every 1000, so a page written by several batches
 * is copied (and synced) once instead of after each, and a commit does not wait for the
 * disk (a crash may lose the last batches, never the database's consistency, and any
 * other connection's durable commit makes the batches before it durable too). on=0
 * restores the defaults and syncs: every batch committed before it is durable when it
 * returns HZ_OK. Outside a transaction. */
int db_long_writes(Db *db, int on, HzErr *e);

/* Outside a transaction: ends every read still open on this connection (a statement
 * stepped but never finished or reset), so the next read sees the latest commit of every
 * connection and instance. Returns how many it had to end (0 when callers were tidy). */
int db_fresh_snapshot(Db *db);
/* The data revision a statement read beside what it was for (the session or token lookup
 * every request runs reads it in the same round trip: one round trip less per request on
 * PostgreSQL). Kept until the connection's next db_fresh_snapshot or db_begin; *rev set
 * and 1 while kept, else 0. */
void db_revision_note(Db *db, int64_t rev);
/* The statement's rows come a chunk at a time from its next run on, not all at once:
 * for scans of whole tables. SQLite steps row by row anyway; on PostgreSQL the query
 * becomes a cursor fetched DB_CHUNK_ROWS rows at a time (WITH HOLD, so it outlives the
 * transaction it was opened in; outside one the server keeps the result, not libpq). */
void db_chunked(DbStmt *st);
#define DB_CHUNK_ROWS 2000
int db_revision_noted(Db *db, int64_t *rev);
/* Whether the database is there and answers: a trivial read of it (and, for a file, that
 * the file opened is still the one at its path). HZ_OK, or HZ_EBUSY / HZ_EDB with e set.
 * For /health: a load balancer takes an instance out that fails it. */
int db_ping(Db *db, HzErr *e);
/* The database's size on disk in bytes: a SQLite file and its write-ahead log (0 when
 * there is none), or PostgreSQL's pg_database_size (*wal -1: not the database's own). */
int db_disk_size(Db *db, int64_t *main, int64_t *wal, HzErr *e);

/* Copies every row of every table of from into to (huizhan migrate): both at the same
 * schema version with the same tables, to holding nothing but what its migrations seed
 * (that gives way). One transaction on to, with its foreign keys checked at the end; ids
 * are kept and to's identities continue after them. Each table's rows are counted on both
 * sides before the commit. *counts: {table: rows copied}, freed by the caller. */
int db_copy(Db *from, Db *to, json_t **counts, HzErr *e);

/* Single-value helpers: run sql with one optional int parameter. */
int db_query_int(Db *db, const char *sql, int64_t *out, HzErr *e);

#endif
