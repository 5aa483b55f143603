/* Inside db/: what an engine (db_sqlite.c, db_pg.c) provides behind db.h, and the parts of
 * a connection that db.c keeps for every engine (statement cache, transaction levels,
 * migrations). Nothing outside src/db/ includes this file. */
#ifndef HZ_DB_IMPL_H
#define HZ_DB_IMPL_H
#include "db/db.h"
#include "util/embed.h"

typedef struct DbEngine DbEngine;
enum { DB_TX_NONE, DB_TX_OK, DB_TX_FAILED };

/* The head of every engine's statement (its first member), so db.c can dispatch. */
struct DbStmt {
  const DbEngine *eng;
};

#define DB_CACHE_SLOTS 512
typedef struct {
  char *sql;
  const char *lit; /* the literal it was last found by (see db_prepare), or NULL */
  DbStmt *st;      /* NULL while the slot is free */
} DbCacheSlot;

/* Statements prepared from string literals are also found by the literal's address, which
 * skips hashing and comparing the text on every call (most of db_prepare's cost when a
 * loader runs a dozen statements per row). */
#define DB_PTR_CACHE_SLOTS 1024

struct Db {
  const DbEngine *eng;
  void *h;     /* the engine's connection (sqlite3 *, PGconn * …) */
  char *path;  /* what db_open was given */
  int writing; /* holds the process's write lock */
  int depth;   /* transaction levels open (db.h) */
  int doomed;  /* a level could not be opened or undone: only a full rollback is left */
  int revision_noted; /* revision holds the data revision read with the request's lookup */
  int64_t revision;
  DbCacheSlot cache[DB_CACHE_SLOTS];
  DbCacheSlot *by_ptr[DB_PTR_CACHE_SLOTS]; /* literal address -> its slot; checked against slot->lit */
};

/* One engine: the dialect db.c speaks through. Every function gets a Db whose eng is
 * this engine. Statements are made by prepare_new and freed by finalize (db.c caches
 * them per SQL text and resets them before reuse). */
#define DB_REBUILDS_TABLES "-- huizhan: rebuilds tables"

struct DbEngine {
  const char *name;
  int (*open)(Db *db, const char *target, int create, HzErr *e);
  void (*before_close)(Db *db); /* optional: db_close is about to free every statement */
  void (*close)(Db *db); /* the connection only: db.c has freed the statements */
  DbStmt *(*prepare_new)(Db *db, const char *sql, HzErr *e);
  void (*finalize)(DbStmt *st);
  void (*reset)(DbStmt *st); /* ends the statement; its bindings stay */
  void (*clear_bindings)(DbStmt *st);
  void (*bind_int)(DbStmt *st, int i, int64_t v);
  void (*bind_text)(DbStmt *st, int i, const char *s);
  void (*bind_blob)(DbStmt *st, int i, const void *p, size_t n);
  void (*bind_null)(DbStmt *st, int i);
  int (*step)(Db *db, DbStmt *st, HzErr *e); /* as db_step */
  void (*chunked)(DbStmt *st); /* optional: as db_chunked */
  int64_t (*col_int)(DbStmt *st, int col);
  const char *(*col_text)(DbStmt *st, int col);
  int (*col_is_null)(DbStmt *st, int col);
  const void *(*col_blob)(DbStmt *st, int col, size_t *n);
  int (*exec)(Db *db, const char *sql, HzErr *e);
  int (*changes)(Db *db);
  /* The server side's transaction: DB_TX_NONE (none, or it rolled back on its own),
   * DB_TX_OK (open, can commit) or DB_TX_FAILED (a statement failed: it can only roll
   * back, to the innermost savepoint or all of it; PostgreSQL). */
  int (*tx_state)(Db *db);
  const char *count_tables_sql; /* the application's tables (db_is_empty) */
  /* Opens the outermost level, holding the one-writer lock until it ends. */
  int (*begin)(Db *db, HzErr *e);
  /* Migrations: the embedded list, the version the database is at, and the statement
   * that records version n (run in the migration's own transaction). lock/unlock bracket
   * a whole migration run (two processes starting together); NULL when not needed. */
  const HzEmbedded *migrations;
  int (*schema_version)(Db *db);
  int (*set_schema_version)(Db *db, int n, HzErr *e);
  int (*migrate_lock)(Db *db, HzErr *e);
  void (*migrate_unlock)(Db *db);
  /* Optional: a migration that carries the line DB_REBUILDS_TABLES (it drops and creates
   * tables other tables refer to) runs with foreign keys off: phase 0 before its
   * transaction, 1 inside it before the commit (every key checked: HZ_EINVAL when one is
   * broken), 2 after it (keys on again). SQLite; PostgreSQL needs none. */
  int (*migrate_keys)(Db *db, int phase, HzErr *e);
  int (*backup_to)(Db *db, const char *path, HzErr *e);
  int (*integrity_check)(Db *db, HzErr *e);
  int (*bulk_begin)(Db *db, HzErr *e);
  int (*bulk_end)(Db *db, HzErr *e);
  /* The secondary indexes (name, the statement that makes it), and what runs before and
   * after they are made again (optional). */
  const char *indexes_sql;
  const char *before_indexes_sql;
  const char *after_indexes_sql;
  int (*relax_durability)(Db *db, int relaxed, HzErr *e);
  /* Optional (db_long_writes); an engine without it needs nothing. */
  int (*long_writes)(Db *db, int on, HzErr *e);
  /* Ends reads left open outside a transaction; how many it ended (optional). */
  int (*fresh_snapshot)(Db *db);
  /* HZ_OK when the database answers and is the one opened; HZ_EBUSY naming it when not. */
  int (*ping)(Db *db, HzErr *e);
  /* db_copy: the application's tables (one text column: the name), a table's columns
   * (name, and '1' for a blob column else '0'; the table is parameter 1), and what the
   * target does before and after rows arrive in any order inside the copy's transaction
   * (constraints set aside and checked again, identities moved past the ids copied;
   * optional). */
  const char *tables_sql;
  const char *columns_sql;
  int (*copy_prepare)(Db *to, json_t **saved, HzErr *e);
  int (*copy_finish)(Db *to, json_t *saved, HzErr *e);
  /* db_copy's bulk append (optional; without it rows go by batched INSERT): every row left
   * in rd, a statement of from (either engine) selecting n columns, appended to table in
   * the columns named by `columns` ("a", "b" …; both quoted), blob[i] set for bytea
   * columns, NULL kept. Inside the copy's transaction, after copy_prepare. *copied: the
   * rows the target took. */
  int (*append_rows)(Db *to, const char *table, const char *columns, Db *from, DbStmt *rd, const int *blob,
                     size_t n, int64_t *copied, HzErr *e);
};

extern const DbEngine db_engine_sqlite;
extern const DbEngine db_engine_pg;

#endif
