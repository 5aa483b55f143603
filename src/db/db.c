/* db.h for every engine: picks the engine from the target (a file is SQLite, a
 * postgresql:// URI is PostgreSQL), caches prepared statements per SQL text, nests
 * transactions as savepoints and runs the migrations. What differs between the engines
 * is in db_sqlite.c and db_pg.c, behind DbEngine (db_impl.h). */
#define _GNU_SOURCE /* dl_iterate_phdr */
#include "db/db_impl.h"
#include "util/counter.h"
#include "util/log.h"
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <sys/file.h>
#include <unistd.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* The main program's read-only loaded segments, where its string literals live: a text at
 * such an address never changes, so one address is always one SQL text. */
#define RO_RANGES_MAX 8
static uintptr_t ro_lo[RO_RANGES_MAX], ro_hi[RO_RANGES_MAX];
static int ro_n;

static int ro_segments(struct dl_phdr_info *info, size_t size, void *ctx) {
  (void)size;
  (void)ctx;
  for (int i = 0; i < info->dlpi_phnum && ro_n < RO_RANGES_MAX; i++) {
    const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
    if (ph->p_type != PT_LOAD || (ph->p_flags & PF_W)) continue;
    ro_lo[ro_n] = info->dlpi_addr + ph->p_vaddr;
    ro_hi[ro_n] = ro_lo[ro_n] + ph->p_memsz;
    ro_n++;
  }
  return 1; /* the first object reported is the program itself */
}

static void find_literals(void) { dl_iterate_phdr(ro_segments, NULL); }

static int is_literal(const char *p) {
  uintptr_t a = (uintptr_t)p;
  for (int i = 0; i < ro_n; i++)
    if (a >= ro_lo[i] && a < ro_hi[i]) return 1;
  return 0;
}

int db_target_is_server(const char *target) {
  return target && (!strncmp(target, "postgresql://", 13) || !strncmp(target, "postgres://", 11));
}

void db_target_display(const char *target, char *out, size_t n) {
  size_t j = 0;
  const char *p = target ? target : "";
  const char *auth = db_target_is_server(p) ? strstr(p, "://") + 3 : NULL;
  const char *at = auth ? strchr(auth, '@') : NULL;
  const char *colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
  /* user:password@host -> user:***@host, and …password=secret&… -> …password=***&… */
  while (*p && j + 13 < n) {
    int in_pw = colon && p == colon + 1;
    if (in_pw || (auth && !strncmp(p, "password=", 9) && (p[-1] == '?' || p[-1] == '&'))) {
      if (!in_pw) {
        memcpy(out + j, p, 9);
        j += 9;
        p += 9;
      }
      memcpy(out + j, "***", 3);
      j += 3;
      p += in_pw ? (size_t)(at - p) : strcspn(p, "&");
      continue;
    }
    out[j++] = *p++;
  }
  out[j] = 0;
}

int db_open(const char *path, int create, Db **out, HzErr *e) {
  *out = NULL;
  if (!path || !*path) return hz_fail(e, HZ_EINVAL, "db", "缺少数据库（--db 或环境变量 HUIZHAN_DB）");
  Db *db = calloc(1, sizeof *db);
  if (!db) return hz_fail(e, HZ_ENOMEM, NULL, "内存不足");
  db->eng = db_target_is_server(path) ? &db_engine_pg : &db_engine_sqlite;
  db->path = strdup(path);
  int rc = db->path ? db->eng->open(db, path, create, e) : hz_fail(e, HZ_ENOMEM, NULL, "内存不足");
  if (rc) {
    free(db->path);
    free(db);
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
  if (db->eng->before_close) db->eng->before_close(db);
  for (int i = 0; i < DB_CACHE_SLOTS; i++) {
    if (db->cache[i].st) db->eng->finalize(db->cache[i].st);
    free(db->cache[i].sql);
  }
  db->eng->close(db);
  free(db->path);
  free(db);
}

const char *db_path(Db *db) { return db->path; }
const char *db_engine(Db *db) { return db->eng->name; }

static unsigned sql_hash(const char *s) {
  unsigned h = 2166136261u;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
  return h;
}

/* lit: sql never changes nor goes away (a literal, or a kept text), so its address finds it. */
static DbStmt *prepare(Db *db, const char *sql, int lit, HzErr *e) {
  DbCacheSlot **by_ptr = &db->by_ptr[((uintptr_t)sql >> 3) % DB_PTR_CACHE_SLOTS];
  if (lit && *by_ptr && (*by_ptr)->lit == sql && (*by_ptr)->st) {
    db->eng->reset((*by_ptr)->st);
    db->eng->clear_bindings((*by_ptr)->st);
    return (*by_ptr)->st;
  }
  unsigned h = sql_hash(sql) % DB_CACHE_SLOTS;
  for (unsigned probe = 0; probe < 8; probe++) {
    DbCacheSlot *s = &db->cache[(h + probe) % DB_CACHE_SLOTS];
    if (s->sql && strcmp(s->sql, sql) == 0) {
      db->eng->reset(s->st);
      db->eng->clear_bindings(s->st);
      if (lit) {
        s->lit = sql;
        *by_ptr = s;
      }
      return s->st;
    }
    if (!s->sql) break;
  }
  DbStmt *st = db->eng->prepare_new(db, sql, e);
  if (!st) return NULL;
  /* Take the first free slot of the probe window, else evict the home slot. */
  DbCacheSlot *slot = &db->cache[h];
  for (unsigned probe = 0; probe < 8; probe++) {
    DbCacheSlot *s = &db->cache[(h + probe) % DB_CACHE_SLOTS];
    if (!s->sql) {
      slot = s;
      break;
    }
  }
  if (slot->st) db->eng->finalize(slot->st);
  free(slot->sql);
  slot->sql = strdup(sql);
  slot->st = st;
  /* A pointer entry still naming this slot under its old literal no longer matches. */
  slot->lit = lit ? sql : NULL;
  if (lit) *by_ptr = slot;
  return st;
}

DbStmt *db_prepare(Db *db, const char *sql, HzErr *e) {
  static pthread_once_t once = PTHREAD_ONCE_INIT;
  pthread_once(&once, find_literals);
  return prepare(db, sql, is_literal(sql), e);
}

DbStmt *db_prepare_kept(Db *db, const char *sql, HzErr *e) { return prepare(db, sql, 1, e); }

void db_bind_int(DbStmt *st, int i, int64_t v) { st->eng->bind_int(st, i, v); }
void db_bind_text(DbStmt *st, int i, const char *s) {
  if (s) st->eng->bind_text(st, i, s);
  else st->eng->bind_null(st, i);
}
void db_bind_blob(DbStmt *st, int i, const void *p, size_t n) { st->eng->bind_blob(st, i, p, n); }
void db_bind_null(DbStmt *st, int i) { st->eng->bind_null(st, i); }

int db_step(Db *db, DbStmt *st, HzErr *e) { return db->eng->step(db, st, e); }

int db_run(Db *db, DbStmt *st, HzErr *e) {
  int r = db_step(db, st, e);
  if (r < 0) return -r;
  st->eng->reset(st);
  return HZ_OK;
}

int db_run_returning(Db *db, DbStmt *st, int64_t *id, HzErr *e) {
  *id = 0;
  int r = db_step(db, st, e);
  if (r == DB_ROW) {
    *id = db_col_int(st, 0);
    r = db_step(db, st, e); /* to the end, so the statement is complete before it is reset */
    if (r == DB_ROW) r = DB_DONE; /* one row is all an insert of one row returns */
  }
  if (r < 0) return -r;
  st->eng->reset(st);
  return HZ_OK;
}

int db_exec(Db *db, const char *sql, HzErr *e) { return db->eng->exec(db, sql, e); }
void db_reset(DbStmt *st) { st->eng->reset(st); }

void db_chunked(DbStmt *st) {
  if (st->eng->chunked) st->eng->chunked(st);
}

int64_t db_col_int(DbStmt *st, int col) { return st->eng->col_int(st, col); }
const char *db_col_text(DbStmt *st, int col) { return st->eng->col_text(st, col); }
int db_col_is_null(DbStmt *st, int col) { return st->eng->col_is_null(st, col); }
const void *db_col_blob(DbStmt *st, int col, size_t *n) { return st->eng->col_blob(st, col, n); }

/* Writers of one process queue on a mutex before the engine's own lock (SQLite's busy
 * handler sleeps with a back-off that gives long tails; a PostgreSQL writer waiting on the
 * advisory lock holds a server connection). Other processes meet at the engine's lock. */
static pthread_mutex_t write_lock = PTHREAD_MUTEX_INITIALIZER;
/* First come, first served (a ticket lock): a writer that commits and begins again at once
 * (an importer's next batch) queues behind those already waiting instead of overtaking
 * them, as it could on a bare mutex. */
static pthread_cond_t write_turn = PTHREAD_COND_INITIALIZER;
static unsigned long write_next, write_serving;

static void acquire_write(void) {
  pthread_mutex_lock(&write_lock);
  unsigned long mine = write_next++;
  while (write_serving != mine) pthread_cond_wait(&write_turn, &write_lock);
  pthread_mutex_unlock(&write_lock);
}

static void release_write(Db *db) {
  if (!db->writing) return;
  db->writing = 0;
  pthread_mutex_lock(&write_lock);
  write_serving++;
  pthread_cond_broadcast(&write_turn);
  pthread_mutex_unlock(&write_lock);
}

void db_yield(Db *db) {
  (void)db;
  struct timespec ts = {0, 8 * 1000000L}; /* a few of SQLite's 2 ms polls (db_sqlite.c) */
  nanosleep(&ts, NULL);
}

int db_run_unless_busy(Db *db, DbStmt *st, HzErr *e) {
  int ours = 0;
  if (!db->depth) {
    pthread_mutex_lock(&write_lock);
    ours = write_next == write_serving; /* nobody holds the lock or waits for it */
    if (ours) write_next++;
    pthread_mutex_unlock(&write_lock);
  }
  if (!ours) {
    db->eng->reset(st);
    return hz_fail(e, HZ_EBUSY, NULL, "数据库正忙");
  }
  db->writing = 1;
  int rc = db_run(db, st, e);
  release_write(db);
  return rc;
}

/* Level n > 1 is the savepoint sn; op opens, releases or undoes the current level. */
enum { SP_OPEN, SP_RELEASE, SP_UNDO };
static int savepoint_exec(Db *db, int op, HzErr *e) {
  char sql[96];
  int n = db->depth;
  if (op == SP_OPEN) snprintf(sql, sizeof sql, "SAVEPOINT s%d", n);
  else if (op == SP_RELEASE) snprintf(sql, sizeof sql, "RELEASE SAVEPOINT s%d", n);
  else snprintf(sql, sizeof sql, "ROLLBACK TO SAVEPOINT s%d; RELEASE SAVEPOINT s%d", n, n);
  return db_exec(db, sql, e);
}

int db_begin(Db *db, HzErr *e) {
  db->revision_noted = 0; /* a write bumps it */
  if (db->depth == 0) {
    acquire_write();
    db->writing = 1;
    int rc = db->eng->begin(db, e);
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

static void (*commit_hook)(Db *db);
void db_set_commit_hook(void (*hook)(Db *db)) { commit_hook = hook; }

int db_commit(Db *db, HzErr *e) {
  if (db->depth == 0) {
    log_error("db_commit without db_begin");
    return hz_fail(e, HZ_EDB, NULL, "数据库错误：没有进行中的事务");
  }
  int state = db->eng->tx_state(db);
  if (db->doomed || state != DB_TX_OK) {
    /* a failed statement (PostgreSQL) is undone with its level; a transaction the
     * engine ended itself is gone, every level of it */
    if (state == DB_TX_NONE) db->doomed = 1;
    return hz_fail(e, HZ_EDB, NULL, "数据库事务已中止，只能回滚");
  }
  if (db->depth == 1) {
    int rc = db_exec(db, "COMMIT", e);
    if (rc) return rc; /* the caller rolls back, which releases the lock */
    db->depth = 0;
    release_write(db);
    counter_add(COUNTER_WRITES, 1);
    if (commit_hook) commit_hook(db);
    return HZ_OK;
  }
  int rc = savepoint_exec(db, SP_RELEASE, e);
  if (!rc) db->depth--;
  return rc;
}

/* Whether the server still has a transaction to end (also one that can only roll back). */
static int tx_open(Db *db) { return db->depth > 0 || db->eng->tx_state(db) != DB_TX_NONE; }

void db_rollback(Db *db) {
  /* An inner level is undone to its savepoint, also after a statement in it failed. */
  if (db->depth > 1 && !db->doomed) {
    HzErr e = {0};
    int rc = savepoint_exec(db, SP_UNDO, &e);
    hz_err_clear(&e);
    if (!rc) {
      db->depth--;
      return;
    }
  }
  /* The outermost level, or a doomed transaction: undo everything. */
  if (db->depth > 0) counter_add(COUNTER_WRITES_ROLLED, 1);
  if (tx_open(db)) {
    HzErr e = {0};
    db_exec(db, "ROLLBACK", &e);
    hz_err_clear(&e);
  }
  db->depth = 0;
  db->doomed = 0;
  release_write(db);
}

int db_depth(Db *db) { return db->depth; }
int db_changes(Db *db) { return db->eng->changes(db); }

int db_query_int(Db *db, const char *sql, int64_t *out, HzErr *e) {
  DbStmt *st = db_prepare(db, sql, e);
  if (!st) return e ? e->rc : HZ_EDB;
  int r = db_step(db, st, e);
  if (r < 0) return -r;
  *out = r == DB_ROW ? db_col_int(st, 0) : 0;
  db_reset(st);
  return HZ_OK;
}

int db_is_empty(Db *db, int *empty, HzErr *e) {
  int64_t n = 0;
  int rc = db_query_int(db, db->eng->count_tables_sql, &n, e);
  *empty = !rc && n == 0;
  return rc;
}

void db_revision_note(Db *db, int64_t rev) {
  db->revision = rev;
  db->revision_noted = 1;
}

int db_revision_noted(Db *db, int64_t *rev) {
  if (db->revision_noted) *rev = db->revision;
  return db->revision_noted;
}

int db_fresh_snapshot(Db *db) {
  db->revision_noted = 0; /* a new request reads the revision anew */
  /* A statement left mid-way may keep its read transaction, and every later read on this
   * connection would see the database as it was then: blind to other connections' and
   * other instances' commits, revision included. */
  if (db->depth || !db->eng->fresh_snapshot) return 0;
  return db->eng->fresh_snapshot(db);
}

int db_ping(Db *db, HzErr *e) { return db->eng->ping(db, e);
}

int db_disk_size(Db *db, int64_t *main, int64_t *wal, HzErr *e) {
  *main = *wal = -1;
  if (db_target_is_server(db->path)) return db_query_int(db, "SELECT pg_database_size(current_database())", main, e);
  struct stat st;
  char wal_path[4096];
  if (stat(db->path, &st)) return hz_fail(e, HZ_EIO, "db", "无法读取数据库文件 %s 的大小", db->path);
  *main = (int64_t)st.st_size;
  snprintf(wal_path, sizeof wal_path, "%s-wal", db->path);
  *wal = stat(wal_path, &st) ? 0 : (int64_t)st.st_size;
  return HZ_OK;
}

int db_schema_version(Db *db) { return db->eng->schema_version(db); }

/* Migration files are named NNNN_name.sql; NNNN is the schema version they produce. */
static int latest_of(const HzEmbedded *list) {
  int latest = 0;
  for (const HzEmbedded *m = list; m->name; m++) {
    int n = (int)strtol(m->name, NULL, 10);
    if (n > latest) latest = n;
  }
  return latest;
}

int db_schema_latest(void) { return latest_of(db_engine_sqlite.migrations); }
int db_schema_latest_of(Db *db) { return latest_of(db->eng->migrations); }

int db_migrate(Db *db, HzErr *e) {
  int rc = db->eng->migrate_lock ? db->eng->migrate_lock(db, e) : HZ_OK;
  if (rc) return rc;
  /* read under the lock: another instance may have just migrated */
  int current = db_schema_version(db);
  for (const HzEmbedded *m = db->eng->migrations; m->name && !rc; m++) {
    int n = (int)strtol(m->name, NULL, 10);
    if (n <= current) continue;
    int keys = db->eng->migrate_keys && strstr((const char *)m->data, DB_REBUILDS_TABLES);
    if (keys) rc = db->eng->migrate_keys(db, 0, e);
    if (!rc) rc = db_begin(db, e);
    /* Read again under the write lock: an engine without a migration lock (SQLite) may
     * have had another process apply this very migration since. */
    int done = !rc && db_schema_version(db) >= n;
    if (!rc && !done) rc = db_exec(db, (const char *)m->data, e);
    if (!rc && !done && keys) rc = db->eng->migrate_keys(db, 1, e);
    if (!rc && !done) rc = db->eng->set_schema_version(db, n, e);
    if (!rc) rc = db_commit(db, e);
    if (rc) db_rollback(db);
    if (keys) {
      HzErr ke = {0};
      int krc = db->eng->migrate_keys(db, 2, &ke);
      if (krc && !rc) rc = hz_fail(e, krc, NULL, "%s", ke.message);
      hz_err_clear(&ke);
    }
    if (rc) {
      rc = hz_fail(e, rc, NULL, "数据库迁移 %s 失败", m->name);
      break;
    }
    current = n;
  }
  if (db->eng->migrate_unlock) db->eng->migrate_unlock(db);
  if (rc) return rc;
  int latest = latest_of(db->eng->migrations);
  if (current > latest)
    return hz_fail(e, HZ_EINVAL, "db", "数据库版本 %d 比本程序支持的 %d 新，请升级 huizhan", current, latest);
  return HZ_OK;
}

int db_backup_to(Db *db, const char *path, HzErr *e) { return db->eng->backup_to(db, path, e); }

int db_file_lock(const char *target, int exclusive, int *fd, HzErr *e) {
  *fd = -1;
  if (!target || db_target_is_server(target)) return HZ_OK;
  int f = open(target, O_RDONLY | O_CLOEXEC);
  if (f < 0) return errno == ENOENT ? HZ_OK : hz_fail(e, HZ_EIO, "db", "无法打开数据库 %s：%s", target, strerror(errno));
  if (flock(f, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) == 0) {
    *fd = f;
    return HZ_OK;
  }
  int err = errno;
  close(f);
  if (err != EWOULDBLOCK) return hz_fail(e, HZ_EIO, "db", "无法锁定数据库 %s：%s", target, strerror(err));
  if (exclusive)
    return hz_fail(e, HZ_EBUSY, "db", "数据库 %s 正由运行中的 huizhan serve 使用；请先停止所有使用它的服务（systemctl stop huizhan）", target);
  return hz_fail(e, HZ_EBUSY, "db", "数据库 %s 正在被 huizhan restore 替换，请稍后再启动", target);
}

void db_file_unlock(int fd) {
  if (fd >= 0) close(fd);
}
int db_integrity_check(Db *db, HzErr *e) { return db->eng->integrity_check(db, e); }
int db_bulk_begin(Db *db, HzErr *e) { return db->eng->bulk_begin(db, e); }
int db_bulk_end(Db *db, HzErr *e) { return db->eng->bulk_end(db, e); }
int db_indexes_drop(Db *db, json_t **defs, HzErr *e) {
  *defs = json_array();
  DbStmt *st = db_prepare(db, db->eng->indexes_sql, e);
  if (!st) return e->rc;
  int r;
  while ((r = db_step(db, st, e)) == DB_ROW)
    json_array_append_new(*defs, json_pack("[s s]", db_col_text(st, 0), db_col_text(st, 1)));
  db_reset(st);
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
  if (db->eng->before_indexes_sql) {
    int rc = db_exec(db, db->eng->before_indexes_sql, e);
    if (rc) return rc;
  }
  json_array_foreach(defs, i, ix) {
    int rc = db_exec(db, json_string_value(json_array_get(ix, 1)), e);
    if (rc) return rc;
  }
  return db->eng->after_indexes_sql ? db_exec(db, db->eng->after_indexes_sql, e) : HZ_OK;
}
int db_relax_durability(Db *db, int relaxed, HzErr *e) { return db->eng->relax_durability(db, relaxed, e); }
int db_long_writes(Db *db, int on, HzErr *e) { return db->eng->long_writes ? db->eng->long_writes(db, on, e) : HZ_OK; }
