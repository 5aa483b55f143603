/* The database connection: pragmas, cached prepared statements, transactions, migrations.
 * SQL is written with '?' placeholders in portable SQL; only store/ and this module see it.
 * A Db is used by one thread at a time (the server keeps one per worker thread). */
#ifndef HZ_DB_H
#define HZ_DB_H
#include <sqlite3.h>
#include <stdint.h>
#include "util/err.h"

typedef struct Db Db;
typedef sqlite3_stmt DbStmt;

enum { DB_DONE = 0, DB_ROW = 1 };

/* Opens (create=1: creates when missing) and applies pragmas; *out freed by db_close. */
int db_open(const char *path, int create, Db **out, HzErr *e);
void db_close(Db *db);
/* Applies every embedded migration newer than the database, each in one transaction. */
int db_migrate(Db *db, HzErr *e);
/* Schema version the database is at, and the newest this binary knows. */
int db_schema_version(Db *db);
int db_schema_latest(void);

/* A cached statement for sql, reset and with bindings cleared; NULL (and e set) on error.
 * The statement belongs to the connection: do not finalize it. */
DbStmt *db_prepare(Db *db, const char *sql, HzErr *e);
void db_bind_int(DbStmt *st, int i, int64_t v);
void db_bind_text(DbStmt *st, int i, const char *s);   /* NULL binds NULL */
void db_bind_blob(DbStmt *st, int i, const void *p, size_t n);
void db_bind_null(DbStmt *st, int i);
/* DB_ROW, DB_DONE, or a negative -HzRc with e set (constraint failures map to
 * HZ_ECONFLICT for unique keys and HZ_EINVAL for checks and foreign keys). */
int db_step(Db *db, DbStmt *st, HzErr *e);
/* Runs a statement that returns no rows; HZ_OK or an HzRc. */
int db_run(Db *db, DbStmt *st, HzErr *e);
int db_exec(Db *db, const char *sql, HzErr *e); /* uncached, for scripts */
/* Ends a statement early (releases its read snapshot). */
void db_reset(DbStmt *st);

int64_t db_col_int(DbStmt *st, int col);
const char *db_col_text(DbStmt *st, int col); /* NULL for SQL NULL; valid until next step */
int db_col_is_null(DbStmt *st, int col);
const void *db_col_blob(DbStmt *st, int col, size_t *n);

/* Write transactions take the write lock up front (no upgrade deadlocks in WAL). */
int db_begin(Db *db, HzErr *e);
int db_commit(Db *db, HzErr *e);
void db_rollback(Db *db);
int64_t db_last_id(Db *db);
int db_changes(Db *db);
const char *db_path(Db *db);
/* Online, consistent copy of the whole database to path. */
int db_backup_to(Db *db, const char *path, HzErr *e);
/* PRAGMA quick_check + foreign_key_check; HZ_OK when both are clean. */
int db_integrity_check(Db *db, HzErr *e);

/* Single-value helpers: run sql with one optional int parameter. */
int db_query_int(Db *db, const char *sql, int64_t *out, HzErr *e);

#endif
