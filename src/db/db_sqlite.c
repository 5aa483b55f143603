/* SQLite behind db.h (DbEngine, db_impl.h): the one file that includes sqlite3.h. */
#include "db/db_impl.h"
#include "util/log.h"
#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <sys/types.h>

/* The dialect's "last id": a one-row INSERT … VALUES (…) RETURNING id is prepared
 * without its RETURNING clause (SQLite 3.40 builds a temporary table for it on every run)
 * and answers the rowid it inserted, which is the id (every table's id is its INTEGER
 * PRIMARY KEY), as the one row the statement returns: row 1 after the insert, 0 none. */
#define LAST_ID_SUFFIX " RETURNING id"
typedef struct {
  DbStmt base;
  sqlite3_stmt *s;
  int last_id;     /* prepared without LAST_ID_SUFFIX */
  int row;         /* last_id: 1 while the inserted id is the current row */
  int64_t id;
} SqlStmt;

#define H(db) ((sqlite3 *)(db)->h)
#define S(st) (((SqlStmt *)(st))->s)

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

static int sq_fail(Db *db, HzErr *e, int sqlite_rc) {
  int rc = HZ_EDB;
  int ext = db ? sqlite3_extended_errcode(H(db)) : sqlite_rc;
  const char *msg = db ? sqlite3_errmsg(H(db)) : sqlite3_errstr(sqlite_rc);
  if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY) rc = HZ_ECONFLICT;
  else if ((ext & 0xff) == SQLITE_CONSTRAINT) rc = HZ_EINVAL;
  else if ((ext & 0xff) == SQLITE_BUSY || (ext & 0xff) == SQLITE_LOCKED) rc = HZ_EBUSY;
  if (rc == HZ_EDB || rc == HZ_EBUSY) log_error("database: %s", msg);
  /* The disk, not the request: 503, the write undone whole (its transaction rolls back),
   * and the server goes on serving reads, and writes once there is room again. */
  if ((ext & 0xff) == SQLITE_FULL)
    return hz_fail(e, HZ_EBUSY, NULL, "数据库所在磁盘已满（或数据库已达大小上限），本次写入未保存；请管理员释放磁盘空间后重试");
  if ((ext & 0xff) == SQLITE_IOERR)
    return hz_fail(e, HZ_EBUSY, NULL, "数据库文件读写出错（I/O 错误），本次写入未保存；请管理员检查磁盘后重试");
  char column[64] = "";
  if (rc == HZ_ECONFLICT || rc == HZ_EINVAL) constraint_column(ext, msg, column, sizeof column);
  const char *field = column[0] ? column : NULL;
  if (rc == HZ_ECONFLICT) return hz_fail(e, rc, field, "记录重复：%s", msg);
  if (rc == HZ_EINVAL) return hz_fail(e, rc, field, "数据不符合约束：%s", msg);
  if (rc == HZ_EBUSY) return hz_fail(e, rc, NULL, "数据库繁忙，请稍后重试");
  return hz_fail(e, rc, NULL, "数据库错误");
}

static int sq_exec(Db *db, const char *sql, HzErr *e) {
  char *msg = NULL;
  int src = sqlite3_exec(H(db), sql, NULL, NULL, &msg);
  if (src != SQLITE_OK) {
    log_error("exec failed: %s", msg ? msg : "?");
    sqlite3_free(msg);
    return sq_fail(db, e, src);
  }
  return HZ_OK;
}

/* SQLite's count of its own allocations takes a global lock on every malloc and free;
 * nothing reads it, so it is off (before the library first starts). */
/* Waiting for another process's write lock: up to 10 s, trying again every 2 ms (SQLite's
 * own timeout backs off to 100 ms between tries, so a writer in another process would miss
 * the short pauses an importer leaves between its batches, db_yield). */
#define BUSY_WAIT_MS 10000
#define BUSY_POLL_MS 2
static int busy_wait(void *ctx, int tries) {
  (void)ctx;
  if ((long)tries * BUSY_POLL_MS >= BUSY_WAIT_MS) return 0;
  struct timespec ts = {0, BUSY_POLL_MS * 1000000L};
  nanosleep(&ts, NULL);
  return 1;
}

/* Tests only: while the file named by HUIZHAN_TEST_IOERR_FILE exists, every write SQLite's
 * own unix layer makes (database, WAL) fails with EIO, as on a failing disk
 * (tests/api/disk_io_error.test.mjs). The hook replaces the system calls through the VFS's
 * xSetSystemCall, the seam SQLite's own I/O-error tests use, so all of SQLite's handling of
 * the error runs as it would on real hardware. */
static const char *ioerr_trigger;
static sqlite3_syscall_ptr real_write, real_pwrite, real_pwrite64;
static int ioerr_now(void) {
  struct stat st;
  if (stat(ioerr_trigger, &st) != 0) return 0;
  errno = EIO;
  return 1;
}
static ssize_t ioerr_write(int fd, const void *p, size_t n) {
  return ioerr_now() ? -1 : ((ssize_t (*)(int, const void *, size_t))real_write)(fd, p, n);
}
static ssize_t ioerr_pwrite(int fd, const void *p, size_t n, off_t off) {
  return ioerr_now() ? -1 : ((ssize_t (*)(int, const void *, size_t, off_t))real_pwrite)(fd, p, n, off);
}
static ssize_t ioerr_pwrite64(int fd, const void *p, size_t n, off_t off) {
  return ioerr_now() ? -1 : ((ssize_t (*)(int, const void *, size_t, off_t))real_pwrite64)(fd, p, n, off);
}
static void ioerr_hook(sqlite3_vfs *vfs, const char *name, sqlite3_syscall_ptr *real, sqlite3_syscall_ptr mine) {
  *real = vfs->xGetSystemCall(vfs, name);
  if (*real) vfs->xSetSystemCall(vfs, name, mine);
}

static void sqlite_setup(void) {
  sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  ioerr_trigger = getenv("HUIZHAN_TEST_IOERR_FILE");
  sqlite3_vfs *vfs = sqlite3_vfs_find(NULL);
  if (!ioerr_trigger || !*ioerr_trigger || !vfs || vfs->iVersion < 3) return;
  ioerr_hook(vfs, "write", &real_write, (sqlite3_syscall_ptr)ioerr_write);
  ioerr_hook(vfs, "pwrite", &real_pwrite, (sqlite3_syscall_ptr)ioerr_pwrite);
  ioerr_hook(vfs, "pwrite64", &real_pwrite64, (sqlite3_syscall_ptr)ioerr_pwrite64);
  log_info("test hook: database writes fail with EIO while %s exists", ioerr_trigger);
}

static int sq_open(Db *db, const char *path, int create, HzErr *e) {
  static pthread_once_t once = PTHREAD_ONCE_INIT;
  pthread_once(&once, sqlite_setup);
  sqlite3 *h = NULL;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
  int src = sqlite3_open_v2(path, &h, flags, NULL);
  if (src != SQLITE_OK) {
    hz_fail(e, HZ_EIO, "db", "无法打开数据库 %s：%s", path, h ? sqlite3_errmsg(h) : "?");
    sqlite3_close(h);
    return HZ_EIO;
  }
  db->h = h;
  sqlite3_busy_handler(h, busy_wait, NULL);
  /* WAL + synchronous=FULL: an acknowledged commit survives kill -9 and power loss.
   * 16 MB of page cache per connection (one per worker thread): the rest of a large
   * database is read from the system's file cache, shared by all of them. */
  int rc = sq_exec(db,
                   "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
                   "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-16000;",
                   e);
  /* Tests only: a database that cannot grow past N pages, as on a full disk
   * (tests/api/disk_full.test.mjs). */
  const char *max_pages = getenv("HUIZHAN_TEST_MAX_PAGES");
  if (!rc && max_pages && *max_pages) {
    char pragma[64];
    snprintf(pragma, sizeof pragma, "PRAGMA max_page_count=%lld", strtoll(max_pages, NULL, 10));
    rc = sq_exec(db, pragma, e);
  }
  if (rc) {
    sqlite3_close(h);
    db->h = NULL;
  }
  return rc;
}

static void sq_close(Db *db) { sqlite3_close(H(db)); }

/* A single-row INSERT ending in RETURNING id (see SqlStmt). */
static int is_last_id(const char *sql, size_t n) {
  size_t k = strlen(LAST_ID_SUFFIX);
  return n > k && !strncmp(sql, "INSERT INTO ", 12) && !strcmp(sql + n - k, LAST_ID_SUFFIX) &&
         strstr(sql, " VALUES (") && !strstr(sql, "), (");
}

static DbStmt *sq_prepare_new(Db *db, const char *sql, HzErr *e) {
  sqlite3_stmt *s = NULL;
  size_t n = strlen(sql);
  int last_id = is_last_id(sql, n);
  int src = sqlite3_prepare_v3(H(db), sql, (int)(last_id ? n - strlen(LAST_ID_SUFFIX) : n), SQLITE_PREPARE_PERSISTENT,
                               &s, NULL);
  if (src != SQLITE_OK) {
    log_error("prepare failed: %s -- %s", sqlite3_errmsg(H(db)), sql);
    sq_fail(db, e, src);
    return NULL;
  }
  SqlStmt *st = calloc(1, sizeof *st);
  if (!st) {
    sqlite3_finalize(s);
    hz_fail(e, HZ_ENOMEM, NULL, "内存不足");
    return NULL;
  }
  st->base.eng = &db_engine_sqlite;
  st->s = s;
  st->last_id = last_id;
  return &st->base;
}

static void sq_finalize(DbStmt *st) {
  sqlite3_finalize(S(st));
  free(st);
}

static void sq_reset(DbStmt *st) {
  ((SqlStmt *)st)->row = 0;
  sqlite3_reset(S(st));
}
static void sq_clear_bindings(DbStmt *st) { sqlite3_clear_bindings(S(st)); }

static void sq_bind_int(DbStmt *st, int i, int64_t v) { sqlite3_bind_int64(S(st), i, v); }
static void sq_bind_text(DbStmt *st, int i, const char *s) { sqlite3_bind_text(S(st), i, s, -1, SQLITE_TRANSIENT); }
static void sq_bind_blob(DbStmt *st, int i, const void *p, size_t n) {
  sqlite3_bind_blob64(S(st), i, p, n, SQLITE_TRANSIENT);
}
static void sq_bind_null(DbStmt *st, int i) { sqlite3_bind_null(S(st), i); }

static int sq_step(Db *db, DbStmt *st, HzErr *e) {
  SqlStmt *q = (SqlStmt *)st;
  if (q->last_id && q->row) { /* past the one row */
    q->row = 0;
    return DB_DONE;
  }
  int src = sqlite3_step(S(st));
  if (q->last_id && src == SQLITE_DONE && sqlite3_changes(H(db)) > 0) {
    q->id = sqlite3_last_insert_rowid(H(db));
    q->row = 1;
    return DB_ROW;
  }
  if (src == SQLITE_ROW) return DB_ROW;
  if (src == SQLITE_DONE) return DB_DONE;
  int rc = sq_fail(db, e, src);
  sqlite3_reset(S(st));
  return -rc;
}

static int64_t sq_col_int(DbStmt *st, int col) {
  SqlStmt *q = (SqlStmt *)st;
  return q->last_id ? (q->row && col == 0 ? q->id : 0) : sqlite3_column_int64(S(st), col);
}
static const char *sq_col_text(DbStmt *st, int col) { return (const char *)sqlite3_column_text(S(st), col); }
static int sq_col_is_null(DbStmt *st, int col) {
  SqlStmt *q = (SqlStmt *)st;
  return q->last_id ? !(q->row && col == 0) : sqlite3_column_type(S(st), col) == SQLITE_NULL;
}
static const void *sq_col_blob(DbStmt *st, int col, size_t *n) {
  const void *p = sqlite3_column_blob(S(st), col);
  *n = (size_t)sqlite3_column_bytes(S(st), col);
  return p;
}

static int sq_changes(Db *db) { return sqlite3_changes(H(db)); }
static int sq_tx_state(Db *db) { return sqlite3_get_autocommit(H(db)) ? DB_TX_NONE : DB_TX_OK; }
/* IMMEDIATE: the write lock is taken up front, so two writers never deadlock upgrading. */
static int sq_begin(Db *db, HzErr *e) { return sq_exec(db, "BEGIN IMMEDIATE", e); }

static int sq_schema_version(Db *db) {
  int64_t v = 0;
  db_query_int(db, "PRAGMA user_version", &v, NULL);
  return (int)v;
}

static int sq_set_schema_version(Db *db, int n, HzErr *e) {
  char pragma[64];
  snprintf(pragma, sizeof pragma, "PRAGMA user_version=%d", n);
  return sq_exec(db, pragma, e);
}

/* db_impl.h migrate_keys: foreign keys cannot be switched inside a transaction. */
static int sq_migrate_keys(Db *db, int phase, HzErr *e) {
  if (phase != 1) return sq_exec(db, phase == 0 ? "PRAGMA foreign_keys=OFF" : "PRAGMA foreign_keys=ON", e);
  int64_t broken = 0;
  int rc = db_query_int(db, "SELECT COUNT(*) FROM pragma_foreign_key_check", &broken, e);
  if (!rc && broken) rc = hz_fail(e, HZ_EINVAL, NULL, "数据库迁移后有 %lld 处外键引用不存在的记录", (long long)broken);
  return rc;
}

/* The copy is taken in one read transaction on db (so it is one moment's database,
 * whatever other connections commit meanwhile: WAL lets them go on), BACKUP_CHUNK pages
 * per step, then synced. A reader never holds writers up in WAL mode; the chunks keep a
 * copy of a large file from holding the source's page cache in one go. */
#define BACKUP_CHUNK 1024
static int sq_backup_to(Db *db, const char *path, HzErr *e) {
  sqlite3 *dst = NULL;
  if (sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
    sqlite3_close(dst);
    return hz_fail(e, HZ_EIO, "to", "无法创建备份文件 %s", path);
  }
  int rc = sq_exec(db, "BEGIN; SELECT count(*) FROM sqlite_schema;", e);
  sqlite3_backup *b = rc ? NULL : sqlite3_backup_init(dst, "main", H(db), "main");
  if (!rc && !b) rc = hz_fail(e, HZ_EIO, "to", "备份失败：%s", sqlite3_errmsg(dst));
  else if (!rc) {
    int src;
    while ((src = sqlite3_backup_step(b, BACKUP_CHUNK)) == SQLITE_OK || src == SQLITE_BUSY || src == SQLITE_LOCKED)
      if (src != SQLITE_OK) sqlite3_sleep(5);
    sqlite3_backup_finish(b);
    if (src != SQLITE_DONE)
      rc = hz_fail(e, HZ_EIO, "to", "备份失败：%s%s", sqlite3_errstr(src),
                   (src & 0xff) == SQLITE_FULL ? "（备份所在磁盘已满）" : "");
  }
  sqlite3_exec(H(db), "ROLLBACK", NULL, NULL, NULL); /* ends the read transaction */
  if (sqlite3_close(dst) != SQLITE_OK && !rc) rc = hz_fail(e, HZ_EIO, "to", "无法关闭备份文件 %s", path);
  return rc;
}

static int sq_integrity_check(Db *db, HzErr *e) {
  /* quick_check: every page, record and constraint but not index-against-table, which
   * alone takes over 20 s at province scale; the figures pass reads the tables through
   * those indexes and would name what a stale index hides. */
  DbStmt *st = db_prepare(db, "PRAGMA quick_check", e);
  if (!st) return e ? e->rc : HZ_EDB;
  int r = db_step(db, st, e);
  if (r < 0) return -r;
  const char *res = r == DB_ROW ? db_col_text(st, 0) : "no result";
  int rc = (res && strcmp(res, "ok") == 0) ? HZ_OK : hz_fail(e, HZ_EIO, NULL, "完整性检查失败：%s", res);
  db_reset(st);
  if (rc) return rc;
  st = db_prepare(db, "PRAGMA foreign_key_check", e);
  if (!st) return e ? e->rc : HZ_EDB;
  r = db_step(db, st, e);
  if (r == DB_ROW) rc = hz_fail(e, HZ_EIO, NULL, "外键检查失败：表 %s", db_col_text(st, 0));
  else if (r < 0) rc = -r;
  db_reset(st);
  return rc;
}

/* Loading mode's page cache: 1 GB, so a load's transactions and the pass over what it
 * wrote read the file as little as possible. */
#define BULK_CACHE "PRAGMA cache_size=-1000000;"
static int sq_bulk_begin(Db *db, HzErr *e) {
  return sq_exec(db, "PRAGMA foreign_keys=OFF; PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" BULK_CACHE, e);
}

static int sq_bulk_end(Db *db, HzErr *e) {
  return sq_exec(db,
                 "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
                 " PRAGMA cache_size=-16000;",
                 e);
}



static int sq_relax_durability(Db *db, int relaxed, HzErr *e) {
  return sq_exec(db, relaxed ? "PRAGMA synchronous=OFF" : "PRAGMA synchronous=FULL", e);
}

static int sq_long_writes(Db *db, int on, HzErr *e) {
  if (on) return sq_exec(db, "PRAGMA wal_autocheckpoint=32768; PRAGMA synchronous=NORMAL", e);
  int rc = sq_exec(db, "PRAGMA wal_autocheckpoint=1000; PRAGMA synchronous=FULL", e);
  /* The batches committed under NORMAL are in the WAL but perhaps not on the disk yet (a
   * checkpoint syncs what it copies): one sync of the WAL makes them all durable. */
  sqlite3_file *wal = NULL;
  if (!rc && sqlite3_file_control(H(db), "main", SQLITE_FCNTL_JOURNAL_POINTER, &wal) == SQLITE_OK && wal &&
      wal->pMethods && wal->pMethods->xSync(wal, SQLITE_SYNC_NORMAL) != SQLITE_OK)
    rc = hz_fail(e, HZ_EIO, NULL, "数据库错误：无法把导入的数据写到磁盘");
  return rc;
}

static int sq_fresh_snapshot(Db *db) {
  int n = 0;
  for (sqlite3_stmt *s = sqlite3_next_stmt(db->h, NULL); s; s = sqlite3_next_stmt(db->h, s))
    if (sqlite3_stmt_busy(s)) {
      sqlite3_reset(s);
      n++;
    }
  return n;
}

static int sq_ping(Db *db, HzErr *e) {
  /* A connection keeps working on a file deleted or replaced under it, writing where
   * nobody will ever read: that is "gone" too. */
  int moved = 0;
  if (sqlite3_file_control(db->h, "main", SQLITE_FCNTL_HAS_MOVED, &moved) != SQLITE_OK || moved)
    return hz_fail(e, HZ_EBUSY, "db", "数据库文件 %s 已被删除或替换", db->path);
  int64_t v = 0;
  /* Reads the file's header page, unlike SELECT 1. */
  return db_query_int(db, "PRAGMA schema_version", &v, e);
}

/* Foreign keys are checked at COMMIT, when every table is in. */
static int sq_copy_prepare(Db *to, json_t **saved, HzErr *e) {
  *saved = NULL;
  return sq_exec(to, "PRAGMA defer_foreign_keys = ON", e);
}

const DbEngine db_engine_sqlite = {
    .name = "sqlite",
    .open = sq_open,
    .close = sq_close,
    .prepare_new = sq_prepare_new,
    .finalize = sq_finalize,
    .reset = sq_reset,
    .clear_bindings = sq_clear_bindings,
    .bind_int = sq_bind_int,
    .bind_text = sq_bind_text,
    .bind_blob = sq_bind_blob,
    .bind_null = sq_bind_null,
    .step = sq_step,
    .col_int = sq_col_int,
    .col_text = sq_col_text,
    .col_is_null = sq_col_is_null,
    .col_blob = sq_col_blob,
    .exec = sq_exec,
    .changes = sq_changes,
    .tx_state = sq_tx_state,
    .count_tables_sql = "SELECT count(*) FROM sqlite_master WHERE type = 'table'",
    .begin = sq_begin,
    .migrations = hz_embedded_migrations,
    .schema_version = sq_schema_version,
    .set_schema_version = sq_set_schema_version,
    .migrate_keys = sq_migrate_keys,
    .backup_to = sq_backup_to,
    .integrity_check = sq_integrity_check,
    .bulk_begin = sq_bulk_begin,
    .bulk_end = sq_bulk_end,
    /* Named indexes only: those of PRIMARY KEY and UNIQUE constraints (sql IS NULL) stay. */
    .indexes_sql = "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name",
    /* CREATE INDEX sorts its keys in runs of the page cache's size (at least 1 MB) merged
     * through temporary files, but only when those may be files: with temp_store=MEMORY
     * it sorts every key in one list in memory. Runs of 1 MB sort within the CPU's caches:
     * the 46 indexes of a province take 16 s of CPU instead of 44 s. */
    .before_indexes_sql = "PRAGMA temp_store=FILE; PRAGMA cache_size=-1000;",
    .after_indexes_sql = "PRAGMA temp_store=MEMORY;" BULK_CACHE,
    .relax_durability = sq_relax_durability,
    .long_writes = sq_long_writes,
    .fresh_snapshot = sq_fresh_snapshot,
    .ping = sq_ping,
    .tables_sql = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' ORDER BY name",
    .columns_sql = "SELECT name, CASE WHEN upper(type) = 'BLOB' THEN '1' ELSE '0' END FROM pragma_table_info(?) ORDER BY cid",
    .copy_prepare = sq_copy_prepare,
};
