/* SQLite behind db.h: the one file that includes sqlite3.h. */
#include "db/db.h"
#include "util/embed.h"
#include "util/log.h"
#include <ctype.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STMT_CACHE_SLOTS 512

struct DbStmt {
  sqlite3_stmt *s;
};

typedef struct {
  char *sql;
  DbStmt st; /* st.s is NULL while the slot is free */
} CacheSlot;

struct Db {
  sqlite3 *h;
  char *path;
  int writing; /* holds the process's write lock */
  int depth;   /* transaction levels open (db.h) */
  int doomed;  /* a level could not be opened or undone: only a full rollback is left */
  CacheSlot cache[STMT_CACHE_SLOTS];
};

/* The column a constraint message names, into out ("" when it names none):
 *   UNIQUE constraint failed: sections.unit_id, sections.name   -> name (the last column)
 *   NOT NULL constraint failed: units.name                      -> name
 *   CHECK constraint failed: amount > 0                         -> amount
 *   UNIQUE constraint failed: index 'targets_one'               -> (none: an expression index)
 *   CHECK constraint failed: score BETWEEN 0 AND 100            -> score
 *   CHECK constraint failed: (role IN (...)) = (...)            -> (none: not one column)
 *   CHECK constraint failed: a IS NULL OR b IS NULL             -> (none: not one column) */
static void constraint_column(int ext, const char *msg, char *out, size_t n) {
  out[0] = 0;
  const char *p = strstr(msg, "constraint failed: ");
  if (!p) return;
  p += strlen("constraint failed: ");
  if (ext == SQLITE_CONSTRAINT_CHECK) {
    /* a rule joining conditions (x IS NULL OR y IS NULL) is about no one column */
    if (strstr(p, " OR ") || (strstr(p, " AND ") && !strstr(p, " BETWEEN "))) return;
    size_t len = 0;
    while (isalnum((unsigned char)p[len]) || p[len] == '_') len++;
    /* an identifier followed by '(' is a function, and a leading digit a number */
    if (!len || len >= n || p[len] == '(' || isdigit((unsigned char)p[0])) return;
    memcpy(out, p, len);
    out[len] = 0;
    return;
  }
  const char *last = strrchr(p, '.');
  if (!last) return;
  last++;
  size_t len = strcspn(last, " ,");
  if (!len || len >= n) return;
  memcpy(out, last, len);
  out[len] = 0;
}

static int db_fail(Db *db, HzErr *e, int sqlite_rc) {
  int rc = HZ_EDB;
  int ext = db ? sqlite3_extended_errcode(db->h) : sqlite_rc;
  const char *msg = db ? sqlite3_errmsg(db->h) : sqlite3_errstr(sqlite_rc);
  if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY) rc = HZ_ECONFLICT;
  else if ((ext & 0xff) == SQLITE_CONSTRAINT) rc = HZ_EINVAL;
  else if ((ext & 0xff) == SQLITE_BUSY || (ext & 0xff) == SQLITE_LOCKED) rc = HZ_EBUSY;
  if (rc == HZ_EDB || rc == HZ_EBUSY) log_error("database: %s", msg);
  char column[64] = "";
  if (rc == HZ_ECONFLICT || rc == HZ_EINVAL) constraint_column(ext, msg, column, sizeof column);
  const char *field = column[0] ? column : NULL;
  if (rc == HZ_ECONFLICT) return hz_fail(e, rc, field, "记录重复：%s", msg);
  if (rc == HZ_EINVAL) return hz_fail(e, rc, field, "数据不符合约束：%s", msg);
  if (rc == HZ_EBUSY) return hz_fail(e, rc, NULL, "数据库繁忙，请稍后重试");
  return hz_fail(e, rc, NULL, "数据库错误");
}

/* SQLite's count of its own allocations takes a global lock on every malloc and free;
 * nothing reads it, so it is off (before the library first starts). */
static void sqlite_setup(void) { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); }

int db_open(const char *path, int create, Db **out, HzErr *e) {
  static pthread_once_t once = PTHREAD_ONCE_INIT;
  pthread_once(&once, sqlite_setup);
  *out = NULL;
  Db *db = calloc(1, sizeof *db);
  if (!db) return hz_fail(e, HZ_ENOMEM, NULL, "内存不足");
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
  int src = sqlite3_open_v2(path, &db->h, flags, NULL);
  if (src != SQLITE_OK) {
    hz_fail(e, HZ_EIO, "db", "无法打开数据库 %s：%s", path, db->h ? sqlite3_errmsg(db->h) : "?");
    sqlite3_close(db->h);
    free(db);
    return HZ_EIO;
  }
  db->path = strdup(path);
  sqlite3_busy_timeout(db->h, 10000);
  /* WAL + synchronous=FULL: an acknowledged commit survives kill -9 and power loss.
   * 16 MB of page cache per connection (one per worker thread): the rest of a large
   * database is read from the system's file cache, shared by all of them. */
  int rc = db_exec(db,
                   "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
                   "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-16000;",
                   e);
  if (rc) {
    db_close(db);
    return rc;
  }
  *out = db;
  return HZ_OK;
}

void db_close(Db *db) {
  if (!db) return;
  /* whatever is still open is undone, all levels at once (a failed load ends here) */
  db->doomed = 1;
  db_rollback(db);
  for (int i = 0; i < STMT_CACHE_SLOTS; i++) {
    if (db->cache[i].st.s) sqlite3_finalize(db->cache[i].st.s);
    free(db->cache[i].sql);
  }
  sqlite3_close(db->h);
  free(db->path);
  free(db);
}

const char *db_path(Db *db) { return db->path; }

static unsigned sql_hash(const char *s) {
  unsigned h = 2166136261u;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
  return h;
}

DbStmt *db_prepare(Db *db, const char *sql, HzErr *e) {
  unsigned h = sql_hash(sql) % STMT_CACHE_SLOTS;
  for (unsigned probe = 0; probe < 8; probe++) {
    CacheSlot *s = &db->cache[(h + probe) % STMT_CACHE_SLOTS];
    if (s->sql && strcmp(s->sql, sql) == 0) {
      sqlite3_reset(s->st.s);
      sqlite3_clear_bindings(s->st.s);
      return &s->st;
    }
    if (!s->sql) break;
  }
  sqlite3_stmt *st = NULL;
  int src = sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
  if (src != SQLITE_OK) {
    log_error("prepare failed: %s -- %s", sqlite3_errmsg(db->h), sql);
    db_fail(db, e, src);
    return NULL;
  }
  /* Take the first free slot of the probe window, else evict the home slot. */
  CacheSlot *slot = &db->cache[h];
  for (unsigned probe = 0; probe < 8; probe++) {
    CacheSlot *s = &db->cache[(h + probe) % STMT_CACHE_SLOTS];
    if (!s->sql) {
      slot = s;
      break;
    }
  }
  if (slot->st.s) sqlite3_finalize(slot->st.s);
  free(slot->sql);
  slot->sql = strdup(sql);
  slot->st.s = st;
  return &slot->st;
}

void db_bind_int(DbStmt *st, int i, int64_t v) { sqlite3_bind_int64(st->s, i, v); }
void db_bind_text(DbStmt *st, int i, const char *s) {
  if (s) sqlite3_bind_text(st->s, i, s, -1, SQLITE_TRANSIENT);
  else sqlite3_bind_null(st->s, i);
}
void db_bind_blob(DbStmt *st, int i, const void *p, size_t n) {
  sqlite3_bind_blob64(st->s, i, p, n, SQLITE_TRANSIENT);
}
void db_bind_null(DbStmt *st, int i) { sqlite3_bind_null(st->s, i); }

int db_step(Db *db, DbStmt *st, HzErr *e) {
  int src = sqlite3_step(st->s);
  if (src == SQLITE_ROW) return DB_ROW;
  if (src == SQLITE_DONE) return DB_DONE;
  int rc = db_fail(db, e, src);
  sqlite3_reset(st->s);
  return -rc;
}

int db_run(Db *db, DbStmt *st, HzErr *e) {
  int r = db_step(db, st, e);
  if (r < 0) return -r;
  sqlite3_reset(st->s);
  return HZ_OK;
}

int db_run_returning(Db *db, DbStmt *st, int64_t *id, HzErr *e) {
  *id = 0;
  int r = db_step(db, st, e);
  if (r == DB_ROW) {
    *id = sqlite3_column_int64(st->s, 0);
    r = db_step(db, st, e); /* to the end, so the statement is complete before it is reset */
    if (r == DB_ROW) r = DB_DONE; /* one row is all an insert of one row returns */
  }
  if (r < 0) return -r;
  sqlite3_reset(st->s);
  return HZ_OK;
}

int db_exec(Db *db, const char *sql, HzErr *e) {
  char *msg = NULL;
  int src = sqlite3_exec(db->h, sql, NULL, NULL, &msg);
  if (src != SQLITE_OK) {
    log_error("exec failed: %s", msg ? msg : "?");
    sqlite3_free(msg);
    return db_fail(db, e, src);
  }
  return HZ_OK;
}

void db_reset(DbStmt *st) { sqlite3_reset(st->s); }

int64_t db_col_int(DbStmt *st, int col) { return sqlite3_column_int64(st->s, col); }
const char *db_col_text(DbStmt *st, int col) { return (const char *)sqlite3_column_text(st->s, col); }
int db_col_is_null(DbStmt *st, int col) { return sqlite3_column_type(st->s, col) == SQLITE_NULL; }
const void *db_col_blob(DbStmt *st, int col, size_t *n) {
  const void *p = sqlite3_column_blob(st->s, col);
  *n = (size_t)sqlite3_column_bytes(st->s, col);
  return p;
}

/* Writers of one process queue on a mutex rather than on SQLite's busy handler, whose
 * sleeping back-off gives long tails when many requests write at once. Other processes
 * (the CLI, other servers) still meet at SQLite's lock with busy_timeout. */
static pthread_mutex_t write_lock = PTHREAD_MUTEX_INITIALIZER;

static void release_write(Db *db) {
  if (!db->writing) return;
  db->writing = 0;
  pthread_mutex_unlock(&write_lock);
}

int db_run_unless_busy(Db *db, DbStmt *st, HzErr *e) {
  if (db->depth || pthread_mutex_trylock(&write_lock)) {
    sqlite3_reset(st->s);
    return hz_fail(e, HZ_EBUSY, NULL, "数据库正忙");
  }
  int rc = db_run(db, st, e);
  pthread_mutex_unlock(&write_lock);
  return rc;
}

/* Level n > 1 is the savepoint sn; op opens, releases or undoes the current level. */
enum { SP_OPEN, SP_RELEASE, SP_UNDO };
static int savepoint_exec(Db *db, int op, HzErr *e) {
  char sql[64];
  int n = db->depth;
  if (op == SP_OPEN) snprintf(sql, sizeof sql, "SAVEPOINT s%d", n);
  else if (op == SP_RELEASE) snprintf(sql, sizeof sql, "RELEASE s%d", n);
  else snprintf(sql, sizeof sql, "ROLLBACK TO s%d; RELEASE s%d", n, n);
  return db_exec(db, sql, e);
}

int db_begin(Db *db, HzErr *e) {
  if (db->depth == 0) {
    pthread_mutex_lock(&write_lock);
    db->writing = 1;
    int rc = db_exec(db, "BEGIN IMMEDIATE", e);
    if (rc) {
      release_write(db);
      return rc;
    }
    db->depth = 1;
    db->doomed = 0;
    return HZ_OK;
  }
  if (db->doomed) return hz_fail(e, HZ_EDB, NULL, "数据库事务已中止，只能回滚");
  db->depth++;
  int rc = savepoint_exec(db, SP_OPEN, e);
  if (rc) {
    db->depth--;
    db->doomed = 1;
  }
  return rc;
}

int db_commit(Db *db, HzErr *e) {
  if (db->depth == 0) {
    log_error("db_commit without db_begin");
    return hz_fail(e, HZ_EDB, NULL, "数据库错误：没有进行中的事务");
  }
  if (db->doomed || sqlite3_get_autocommit(db->h)) {
    db->doomed = 1;
    return hz_fail(e, HZ_EDB, NULL, "数据库事务已中止，只能回滚");
  }
  if (db->depth == 1) {
    int rc = db_exec(db, "COMMIT", e);
    if (rc) return rc; /* the caller rolls back, which releases the lock */
    db->depth = 0;
    release_write(db);
    return HZ_OK;
  }
  int rc = savepoint_exec(db, SP_RELEASE, e);
  if (!rc) db->depth--;
  return rc;
}

void db_rollback(Db *db) {
  if (db->depth > 1 && !db->doomed && !sqlite3_get_autocommit(db->h)) {
    HzErr e = {0};
    int rc = savepoint_exec(db, SP_UNDO, &e);
    hz_err_clear(&e);
    if (!rc) {
      db->depth--;
      return;
    }
  }
  /* The outermost level, or a doomed transaction: undo everything. */
  if (!sqlite3_get_autocommit(db->h)) sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
  db->depth = 0;
  db->doomed = 0;
  release_write(db);
}

int db_depth(Db *db) { return db->depth; }
int db_changes(Db *db) { return sqlite3_changes(db->h); }

int db_query_int(Db *db, const char *sql, int64_t *out, HzErr *e) {
  DbStmt *st = db_prepare(db, sql, e);
  if (!st) return e ? e->rc : HZ_EDB;
  int r = db_step(db, st, e);
  if (r < 0) return -r;
  *out = r == DB_ROW ? db_col_int(st, 0) : 0;
  sqlite3_reset(st->s);
  return HZ_OK;
}

int db_schema_version(Db *db) {
  int64_t v = 0;
  db_query_int(db, "PRAGMA user_version", &v, NULL);
  return (int)v;
}

/* Migration files are named NNNN_name.sql; NNNN is the schema version they produce. */
int db_schema_latest(void) {
  int latest = 0;
  for (const HzEmbedded *m = hz_embedded_migrations; m->name; m++) {
    int n = (int)strtol(m->name, NULL, 10);
    if (n > latest) latest = n;
  }
  return latest;
}

int db_migrate(Db *db, HzErr *e) {
  int current = db_schema_version(db);
  for (const HzEmbedded *m = hz_embedded_migrations; m->name; m++) {
    int n = (int)strtol(m->name, NULL, 10);
    if (n <= current) continue;
    char pragma[64];
    snprintf(pragma, sizeof pragma, "PRAGMA user_version=%d", n);
    int rc = db_begin(db, e);
    if (!rc) rc = db_exec(db, (const char *)m->data, e);
    if (!rc) rc = db_exec(db, pragma, e);
    if (!rc) rc = db_commit(db, e);
    if (rc) {
      db_rollback(db);
      return hz_fail(e, rc, NULL, "数据库迁移 %s 失败", m->name);
    }
    current = n;
  }
  if (current > db_schema_latest())
    return hz_fail(e, HZ_EINVAL, "db", "数据库版本 %d 比本程序支持的 %d 新，请升级 huizhan", current,
                   db_schema_latest());
  return HZ_OK;
}

int db_backup_to(Db *db, const char *path, HzErr *e) {
  sqlite3 *dst = NULL;
  if (sqlite3_open(path, &dst) != SQLITE_OK) {
    sqlite3_close(dst);
    return hz_fail(e, HZ_EIO, "path", "无法创建备份文件 %s", path);
  }
  sqlite3_backup *b = sqlite3_backup_init(dst, "main", db->h, "main");
  int rc = HZ_OK;
  if (!b) rc = hz_fail(e, HZ_EIO, NULL, "备份失败：%s", sqlite3_errmsg(dst));
  else {
    int src;
    while ((src = sqlite3_backup_step(b, 256)) == SQLITE_OK || src == SQLITE_BUSY || src == SQLITE_LOCKED)
      sqlite3_sleep(5);
    sqlite3_backup_finish(b);
    if (src != SQLITE_DONE) rc = hz_fail(e, HZ_EIO, NULL, "备份失败：%s", sqlite3_errstr(src));
  }
  sqlite3_close(dst);
  return rc;
}

int db_integrity_check(Db *db, HzErr *e) {
  /* quick_check: every page, record and constraint but not index-against-table, which
   * alone takes over 20 s at province scale; the figures pass reads the tables through
   * those indexes and would name what a stale index hides. */
  DbStmt *st = db_prepare(db, "PRAGMA quick_check", e);
  if (!st) return e ? e->rc : HZ_EDB;
  int r = db_step(db, st, e);
  if (r < 0) return -r;
  const char *res = r == DB_ROW ? db_col_text(st, 0) : "no result";
  int rc = (res && strcmp(res, "ok") == 0) ? HZ_OK : hz_fail(e, HZ_EIO, NULL, "完整性检查失败：%s", res);
  sqlite3_reset(st->s);
  if (rc) return rc;
  st = db_prepare(db, "PRAGMA foreign_key_check", e);
  if (!st) return e ? e->rc : HZ_EDB;
  r = db_step(db, st, e);
  if (r == DB_ROW) rc = hz_fail(e, HZ_EIO, NULL, "外键检查失败：表 %s", db_col_text(st, 0));
  else if (r < 0) rc = -r;
  sqlite3_reset(st->s);
  return rc;
}

/* ---- bulk loading ---- */

int db_bulk_begin(Db *db, HzErr *e) {
  return db_exec(db,
                 "PRAGMA foreign_keys=OFF; PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
                 " PRAGMA cache_size=-1000000;",
                 e);
}

int db_bulk_end(Db *db, HzErr *e) {
  return db_exec(db,
                 "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
                 " PRAGMA cache_size=-16000;",
                 e);
}

int db_indexes_drop(Db *db, json_t **defs, HzErr *e) {
  *defs = json_array();
  /* Named indexes only: those of PRIMARY KEY and UNIQUE constraints (sql IS NULL) stay. */
  DbStmt *st = db_prepare(db, "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name", e);
  if (!st) return e->rc;
  int r;
  while ((r = db_step(db, st, e)) == DB_ROW)
    json_array_append_new(*defs, json_pack("[s s]", db_col_text(st, 0), db_col_text(st, 1)));
  if (r < 0) return -r;
  size_t i;
  json_t *ix;
  json_array_foreach(*defs, i, ix) {
    const char *name = json_string_value(json_array_get(ix, 0));
    /* The names are the migrations' own (letters, digits, underscores); nothing else is
     * ever put into this statement. */
    if (strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_") != strlen(name))
      return hz_fail(e, HZ_EINVAL, NULL, "unexpected index name %s", name);
    char sql[160];
    snprintf(sql, sizeof sql, "DROP INDEX %s", name);
    int rc = db_exec(db, sql, e);
    if (rc) return rc;
  }
  return HZ_OK;
}

int db_indexes_create(Db *db, json_t *defs, HzErr *e) {
  size_t i;
  json_t *ix;
  json_array_foreach(defs, i, ix) {
    int rc = db_exec(db, json_string_value(json_array_get(ix, 1)), e);
    if (rc) return rc;
  }
  return HZ_OK;
}

int db_relax_durability(Db *db, int relaxed, HzErr *e) {
  return db_exec(db, relaxed ? "PRAGMA synchronous=OFF" : "PRAGMA synchronous=FULL", e);
}
