/* db/db.c against a real database file: nested transactions (outermost BEGIN, inner
 * savepoints), constraint failures naming their column, INSERT … RETURNING ids, and the
 * bulk-loading index calls. What a transaction left behind is read through a second
 * connection, which sees only what was really committed. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <unistd.h>
#include "db/db.h"
#include "domain/record.h"
#include "store/audit_store.h"

typedef struct {
  char dir[64];
  char path[96];
  Db *db;
} T;

static int setup(void **state) {
  T *t = calloc(1, sizeof *t);
  snprintf(t->dir, sizeof t->dir, "/tmp/hz_test_db_XXXXXX");
  assert_non_null(mkdtemp(t->dir));
  snprintf(t->path, sizeof t->path, "%s/t.db", t->dir);
  HzErr e = {0};
  assert_int_equal(db_open(t->path, 1, &t->db, &e), HZ_OK);
  assert_int_equal(db_exec(t->db,
                           "CREATE TABLE rows (id INTEGER PRIMARY KEY, name TEXT NOT NULL);"
                           "CREATE TABLE parents (id INTEGER PRIMARY KEY);"
                           "CREATE TABLE things ("
                           "  id INTEGER PRIMARY KEY,"
                           "  code TEXT NOT NULL UNIQUE,"
                           "  name TEXT NOT NULL,"
                           "  amount INTEGER NOT NULL DEFAULT 1 CHECK (amount > 0),"
                           "  lo INTEGER NOT NULL DEFAULT 0, hi INTEGER NOT NULL DEFAULT 1,"
                           "  score INTEGER CHECK (score BETWEEN 0 AND 100), a INTEGER, b INTEGER, c INTEGER, d INTEGER,"
                           "  unit INTEGER NOT NULL DEFAULT 0, title TEXT,"
                           "  parent_id INTEGER REFERENCES parents(id),"
                           "  UNIQUE (unit, title),"
                           "  CHECK (lo < hi), CHECK (a IS NULL OR b IS NULL), CHECK ((c > 0) = (d > 0)));"
                           "CREATE UNIQUE INDEX things_lower ON things(lower(name));"
                           "CREATE INDEX things_amount ON things(amount);",
                           &e),
                   HZ_OK);
  *state = t;
  return 0;
}

static int teardown(void **state) {
  T *t = *state;
  db_close(t->db);
  char p[128];
  const char *suffix[] = {"", "-wal", "-shm"};
  for (int i = 0; i < 3; i++) {
    snprintf(p, sizeof p, "%s%s", t->path, suffix[i]);
    unlink(p);
  }
  rmdir(t->dir);
  free(t);
  return 0;
}

static void insert(Db *db, const char *name) {
  HzErr e = {0};
  DbStmt *st = db_prepare(db, "INSERT INTO rows (name) VALUES (?)", &e);
  assert_non_null(st);
  db_bind_text(st, 1, name);
  assert_int_equal(db_run(db, st, &e), HZ_OK);
}

/* The names in rows, in id order, joined by ',', as a fresh connection sees them. */
static void committed(T *t, char *out, size_t n) {
  Db *other = NULL;
  HzErr e = {0};
  assert_int_equal(db_open(t->path, 0, &other, &e), HZ_OK);
  DbStmt *st = db_prepare(other, "SELECT name FROM rows ORDER BY id", &e);
  assert_non_null(st);
  out[0] = 0;
  int r;
  while ((r = db_step(other, st, &e)) == DB_ROW) {
    if (out[0]) strncat(out, ",", n - strlen(out) - 1);
    strncat(out, db_col_text(st, 0), n - strlen(out) - 1);
  }
  assert_int_equal(r, DB_DONE);
  db_close(other);
}

/* The same list as this connection sees it (its own open transaction included). */
static void visible(Db *db, char *out, size_t n) {
  HzErr e = {0};
  DbStmt *st = db_prepare(db, "SELECT name FROM rows ORDER BY id", &e);
  assert_non_null(st);
  out[0] = 0;
  int r;
  while ((r = db_step(db, st, &e)) == DB_ROW) {
    if (out[0]) strncat(out, ",", n - strlen(out) - 1);
    strncat(out, db_col_text(st, 0), n - strlen(out) - 1);
  }
  assert_int_equal(r, DB_DONE);
}

static void test_inner_rollback_keeps_outer(void **state) {
  T *t = *state;
  HzErr e = {0};
  char got[256];
  assert_int_equal(db_depth(t->db), 0);
  assert_int_equal(db_begin(t->db, &e), HZ_OK);
  assert_int_equal(db_depth(t->db), 1);
  insert(t->db, "a");
  assert_int_equal(db_begin(t->db, &e), HZ_OK);
  assert_int_equal(db_depth(t->db), 2);
  insert(t->db, "b");
  visible(t->db, got, sizeof got);
  assert_string_equal(got, "a,b");
  db_rollback(t->db);
  assert_int_equal(db_depth(t->db), 1);
  visible(t->db, got, sizeof got);
  assert_string_equal(got, "a");
  /* the same level opens again after its rollback, and this time commits */
  assert_int_equal(db_begin(t->db, &e), HZ_OK);
  insert(t->db, "c");
  assert_int_equal(db_commit(t->db, &e), HZ_OK);
  insert(t->db, "d");
  committed(t, got, sizeof got);
  assert_string_equal(got, ""); /* nothing is durable before the outermost commit */
  assert_int_equal(db_commit(t->db, &e), HZ_OK);
  assert_int_equal(db_depth(t->db), 0);
  committed(t, got, sizeof got);
  assert_string_equal(got, "a,c,d");
}

static void test_outer_rollback_removes_all(void **state) {
  T *t = *state;
  HzErr e = {0};
  char got[256];
  insert(t->db, "before");
  assert_int_equal(db_begin(t->db, &e), HZ_OK);
  insert(t->db, "x");
  assert_int_equal(db_begin(t->db, &e), HZ_OK);
  insert(t->db, "y");
  assert_int_equal(db_begin(t->db, &e), HZ_OK);
  insert(t->db, "z");
  assert_int_equal(db_commit(t->db, &e), HZ_OK); /* level 3 into level 2 */
  assert_int_equal(db_commit(t->db, &e), HZ_OK); /* level 2 into level 1 */
  visible(t->db, got, sizeof got);
  assert_string_equal(got, "before,x,y,z");
  db_rollback(t->db);
  assert_int_equal(db_depth(t->db), 0);
  visible(t->db, got, sizeof got);
  assert_string_equal(got, "before");
  committed(t, got, sizeof got);
  assert_string_equal(got, "before");
  /* the write lock was released: another transaction starts */
  assert_int_equal(db_begin(t->db, &e), HZ_OK);
  db_rollback(t->db);
}

static void test_commit_all_levels_persists(void **state) {
  T *t = *state;
  HzErr e = {0};
  char got[256];
  const char *names[] = {"l1", "l2", "l3", "l4"};
  for (int i = 0; i < 4; i++) {
    assert_int_equal(db_begin(t->db, &e), HZ_OK);
    assert_int_equal(db_depth(t->db), i + 1);
    insert(t->db, names[i]);
  }
  for (int i = 4; i > 0; i--) {
    committed(t, got, sizeof got);
    assert_string_equal(got, "");
    assert_int_equal(db_commit(t->db, &e), HZ_OK);
    assert_int_equal(db_depth(t->db), i - 1);
  }
  committed(t, got, sizeof got);
  assert_string_equal(got, "l1,l2,l3,l4");
  /* and it survives closing and reopening this connection */
  db_close(t->db);
  assert_int_equal(db_open(t->path, 0, &t->db, &e), HZ_OK);
  visible(t->db, got, sizeof got);
  assert_string_equal(got, "l1,l2,l3,l4");
}

static void test_depth_mismatch(void **state) {
  T *t = *state;
  HzErr e = {0};
  char got[256];
  /* a commit with nothing open is refused and changes nothing */
  assert_int_equal(db_commit(t->db, &e), HZ_EDB);
  assert_int_equal(e.rc, HZ_EDB);
  assert_non_null(strstr(e.message, "没有进行中的事务"));
  hz_err_clear(&e);
  assert_int_equal(db_depth(t->db), 0);
  /* a rollback with nothing open does nothing (callers roll back after a failed begin) */
  db_rollback(t->db);
  assert_int_equal(db_depth(t->db), 0);
  /* one commit too many after a balanced pair: refused, and the data stays */
  assert_int_equal(db_begin(t->db, &e), HZ_OK);
  assert_int_equal(db_begin(t->db, &e), HZ_OK);
  insert(t->db, "m");
  assert_int_equal(db_commit(t->db, &e), HZ_OK);
  assert_int_equal(db_commit(t->db, &e), HZ_OK);
  assert_int_equal(db_commit(t->db, &e), HZ_EDB);
  hz_err_clear(&e);
  committed(t, got, sizeof got);
  assert_string_equal(got, "m");
  /* a rollback too many after an inner one only closes the outermost, once */
  assert_int_equal(db_begin(t->db, &e), HZ_OK);
  insert(t->db, "n");
  assert_int_equal(db_begin(t->db, &e), HZ_OK);
  db_rollback(t->db);
  db_rollback(t->db);
  db_rollback(t->db);
  assert_int_equal(db_depth(t->db), 0);
  committed(t, got, sizeof got);
  assert_string_equal(got, "m");
  /* closing a connection with levels open rolls them all back */
  assert_int_equal(db_begin(t->db, &e), HZ_OK);
  insert(t->db, "o");
  assert_int_equal(db_begin(t->db, &e), HZ_OK);
  insert(t->db, "p");
  db_close(t->db);
  assert_int_equal(db_open(t->path, 0, &t->db, &e), HZ_OK);
  visible(t->db, got, sizeof got);
  assert_string_equal(got, "m");
  assert_int_equal(db_begin(t->db, &e), HZ_OK); /* and the process's write lock is free */
  db_rollback(t->db);
}

/* A statement failing inside an inner level: that level rolls back, the outer commits. */
static void test_failed_statement_in_inner_level(void **state) {
  T *t = *state;
  HzErr e = {0};
  char got[256];
  assert_int_equal(db_begin(t->db, &e), HZ_OK);
  insert(t->db, "kept");
  assert_int_equal(db_begin(t->db, &e), HZ_OK);
  insert(t->db, "undone");
  DbStmt *st = db_prepare(t->db, "INSERT INTO rows (name) VALUES (NULL)", &e);
  assert_non_null(st);
  assert_int_equal(db_run(t->db, st, &e), HZ_EINVAL);
  hz_err_clear(&e);
  db_rollback(t->db);
  assert_int_equal(db_commit(t->db, &e), HZ_OK);
  committed(t, got, sizeof got);
  assert_string_equal(got, "kept");
}

/* Runs sql with no parameters, expecting rc and exactly the one field (or none). */
static void expect_failure(Db *db, const char *sql, int rc, const char *field) {
  HzErr e = {0};
  DbStmt *st = db_prepare(db, sql, &e);
  assert_non_null(st);
  assert_int_equal(db_run(db, st, &e), rc);
  assert_int_equal(e.rc, rc);
  if (!field) assert_null(e.fields);
  else {
    assert_non_null(e.fields);
    assert_int_equal(json_object_size(e.fields), 1);
    assert_non_null(json_object_get(e.fields, field));
  }
  hz_err_clear(&e);
}

static void test_constraint_names_column(void **state) {
  T *t = *state;
  HzErr e = {0};
  assert_int_equal(db_exec(t->db,
                           "INSERT INTO parents (id) VALUES (1);"
                           "INSERT INTO things (code, name, unit, title) VALUES ('A', 'first', 1, 't')",
                           &e),
                   HZ_OK);
  expect_failure(t->db, "INSERT INTO things (code, name) VALUES ('A', 'second')", HZ_ECONFLICT, "code");
  expect_failure(t->db, "INSERT INTO things (id, code, name) VALUES (1, 'B', 'x')", HZ_ECONFLICT, "id");
  /* a composite key names its last column */
  expect_failure(t->db, "INSERT INTO things (code, name, unit, title) VALUES ('C', 'y', 1, 't')", HZ_ECONFLICT,
                 "title");
  /* a unique expression index has no one column */
  expect_failure(t->db, "INSERT INTO things (code, name) VALUES ('D', 'FIRST')", HZ_ECONFLICT, NULL);
  expect_failure(t->db, "INSERT INTO things (code, name) VALUES ('E', NULL)", HZ_EINVAL, "name");
  expect_failure(t->db, "INSERT INTO things (code, name, amount) VALUES ('F', 'z', 0)", HZ_EINVAL, "amount");
  /* a table CHECK that starts with a column names it; a foreign key names nothing */
  expect_failure(t->db, "INSERT INTO things (code, name, lo, hi) VALUES ('G', 'w', 5, 1)", HZ_EINVAL, "lo");
  expect_failure(t->db, "INSERT INTO things (code, name, parent_id) VALUES ('H', 'v', 99)", HZ_EINVAL, NULL);
  /* BETWEEN … AND is one column's rule; OR and parenthesised rules are about several */
  expect_failure(t->db, "INSERT INTO things (code, name, score) VALUES ('I', 'u', 101)", HZ_EINVAL, "score");
  expect_failure(t->db, "INSERT INTO things (code, name, a, b) VALUES ('J', 't', 1, 1)", HZ_EINVAL, NULL);
  expect_failure(t->db, "INSERT INTO things (code, name, c, d) VALUES ('K', 's', 1, -1)", HZ_EINVAL, NULL);
  /* an update breaks keys the same way */
  expect_failure(t->db, "UPDATE things SET amount = -1 WHERE code = 'A'", HZ_EINVAL, "amount");
  /* and the statement is usable again afterwards */
  int64_t n = -1;
  assert_int_equal(db_query_int(t->db, "SELECT COUNT(*) FROM things", &n, &e), HZ_OK);
  assert_int_equal(n, 1);
}

static void test_insert_returning(void **state) {
  T *t = *state;
  HzErr e = {0};
  int64_t id = -1;
  DbStmt *st = db_prepare(t->db, "INSERT INTO rows (id, name) VALUES (41, 'r') RETURNING id", &e);
  assert_non_null(st);
  assert_int_equal(db_run_returning(t->db, st, &id, &e), HZ_OK);
  assert_int_equal(id, 41);
  st = db_prepare(t->db, "INSERT INTO rows (name) VALUES (?) RETURNING id", &e);
  db_bind_text(st, 1, "s");
  assert_int_equal(db_run_returning(t->db, st, &id, &e), HZ_OK);
  assert_int_equal(id, 42); /* max(id) + 1 */
  int64_t stored = 0;
  assert_int_equal(db_query_int(t->db, "SELECT id FROM rows WHERE name = 's'", &stored, &e), HZ_OK);
  assert_int_equal(stored, 42);
  /* nothing inserted: no row, id 0 */
  st = db_prepare(t->db, "INSERT INTO rows (id, name) VALUES (41, 'again') ON CONFLICT DO NOTHING RETURNING id", &e);
  id = -1;
  assert_int_equal(db_run_returning(t->db, st, &id, &e), HZ_OK);
  assert_int_equal(id, 0);
  assert_int_equal(db_changes(t->db), 0);
  /* a failure is an rc, and id stays 0 */
  st = db_prepare(t->db, "INSERT INTO rows (id, name) VALUES (41, 'again') RETURNING id", &e);
  id = -1;
  assert_int_equal(db_run_returning(t->db, st, &id, &e), HZ_ECONFLICT);
  assert_int_equal(id, 0);
  assert_non_null(json_object_get(e.fields, "id"));
  hz_err_clear(&e);
}

static int64_t index_count(Db *db, const char *name) {
  HzErr e = {0};
  DbStmt *st = db_prepare(db, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = ?", &e);
  assert_non_null(st);
  db_bind_text(st, 1, name);
  assert_int_equal(db_step(db, st, &e), DB_ROW);
  int64_t n = db_col_int(st, 0);
  db_reset(st);
  return n;
}

static void test_indexes_drop_and_create(void **state) {
  T *t = *state;
  HzErr e = {0};
  json_t *defs = NULL;
  assert_int_equal(db_bulk_begin(t->db, &e), HZ_OK);
  assert_int_equal(db_indexes_drop(t->db, &defs, &e), HZ_OK);
  /* the two named indexes go; the unique constraints' own indexes stay */
  assert_int_equal(json_array_size(defs), 2);
  assert_int_equal(index_count(t->db, "things_amount"), 0);
  assert_int_equal(index_count(t->db, "things_lower"), 0);
  int64_t n = 0;
  assert_int_equal(db_query_int(t->db, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index'", &n, &e), HZ_OK);
  assert_int_equal(n, 2); /* UNIQUE (code) and UNIQUE (unit, title) */
  /* without the index, a duplicate lower(name) goes in; rebuilding then refuses it */
  assert_int_equal(db_exec(t->db, "INSERT INTO things (code, name) VALUES ('A', 'x'), ('B', 'X')", &e), HZ_OK);
  assert_int_equal(db_indexes_create(t->db, defs, &e), HZ_ECONFLICT);
  hz_err_clear(&e);
  assert_int_equal(db_exec(t->db, "DELETE FROM things WHERE code = 'B'", &e), HZ_OK);
  assert_int_equal(db_exec(t->db, "DROP INDEX IF EXISTS things_amount", &e), HZ_OK); /* built before the failure */
  assert_int_equal(db_indexes_create(t->db, defs, &e), HZ_OK);
  assert_int_equal(db_bulk_end(t->db, &e), HZ_OK);
  json_decref(defs);
  assert_int_equal(index_count(t->db, "things_amount"), 1);
  assert_int_equal(index_count(t->db, "things_lower"), 1);
  expect_failure(t->db, "INSERT INTO things (code, name) VALUES ('C', 'X')", HZ_ECONFLICT, NULL);
  /* back to WAL and foreign keys on */
  assert_int_equal(db_query_int(t->db, "PRAGMA foreign_keys", &n, &e), HZ_OK);
  assert_int_equal(n, 1);
  expect_failure(t->db, "INSERT INTO things (code, name, parent_id) VALUES ('H', 'v', 99)", HZ_EINVAL, NULL);
}

/* The importer's shape: many writes through the one write path (record_create, which opens
 * its own transaction) inside one outer transaction. A write that fails undoes only
 * itself, record and audit entry alike, and the others commit together. */
static void test_write_path_nests(void **state) {
  T *t = *state;
  HzErr e = {0};
  assert_int_equal(db_migrate(t->db, &e), HZ_OK);
  const Actor sys = {.id = 0, .role = ROLE_ADMIN, .login = "system", .name = "导入"};
  const Resource *units = resource_find("units");
  const char *names[] = {"甲局", "甲局", "乙局"};
  int want[] = {HZ_OK, HZ_ECONFLICT, HZ_OK};
  assert_int_equal(db_begin(t->db, &e), HZ_OK);
  for (int i = 0; i < 3; i++) {
    json_t *body = json_pack("{s:s s:s}", "name", names[i], "category", "other"), *out = NULL;
    int rc = record_create(t->db, &sys, units, 0, body, &out, &e);
    assert_int_equal(rc, want[i]);
    assert_int_equal(db_depth(t->db), 1);
    if (rc) {
      /* db/ names the column, record_store words it for users */
      assert_string_equal(e.message, "已存在相同名称的单位");
      assert_non_null(json_object_get(e.fields, "name"));
      hz_err_clear(&e);
    }
    json_decref(body);
    json_decref(out);
  }
  Db *other = NULL;
  assert_int_equal(db_open(t->path, 0, &other, &e), HZ_OK);
  int64_t n = -1;
  assert_int_equal(db_query_int(other, "SELECT COUNT(*) FROM units", &n, &e), HZ_OK);
  assert_int_equal(n, 0); /* not before the outer commit */
  assert_int_equal(db_commit(t->db, &e), HZ_OK);
  assert_int_equal(db_query_int(other, "SELECT COUNT(*) FROM units", &n, &e), HZ_OK);
  assert_int_equal(n, 2);
  assert_int_equal(db_query_int(other, "SELECT COUNT(*) FROM units WHERE name IN ('甲局', '乙局')", &n, &e), HZ_OK);
  assert_int_equal(n, 2);
  /* two audit entries, chained without a gap where the failed write was */
  assert_int_equal(db_query_int(other, "SELECT COUNT(*) FROM audit_log WHERE entity = 'units'", &n, &e), HZ_OK);
  assert_int_equal(n, 2);
  int64_t count = -1;
  if (audit_store_verify(other, &count, &e)) fail_msg("audit verify: %s", e.message);
  assert_int_equal(count, 2);
  db_close(other);
}

/* Two processes starting on a database of an older schema (SQLite has no migration lock):
 * the second read the old version, then waits for the write lock while the first migrates;
 * it must find the work done rather than apply the same migration again. */
typedef struct {
  Db *db;
  int rc;
} Migration;

static void *migrate_run(void *arg) {
  Migration *m = arg;
  HzErr e = {0};
  m->rc = db_migrate(m->db, &e);
  hz_err_clear(&e);
  return NULL;
}

static void test_migrate_twice_at_once(void **state) {
  T *t = *state;
  char path[128];
  snprintf(path, sizeof path, "%s/m.db", t->dir);
  HzErr e = {0};
  Db *first = NULL, *second = NULL;
  assert_int_equal(db_open(path, 1, &first, &e), HZ_OK);
  assert_int_equal(db_open(path, 0, &second, &e), HZ_OK);
  assert_int_equal(db_begin(first, &e), HZ_OK); /* the first holds the write lock */
  Migration m = {second, -1};
  pthread_t thread;
  assert_int_equal(pthread_create(&thread, NULL, migrate_run, &m), 0);
  usleep(200 * 1000); /* the second reads version 0 and queues for the lock */
  assert_int_equal(db_migrate(first, &e), HZ_OK);
  assert_int_equal(db_commit(first, &e), HZ_OK);
  pthread_join(thread, NULL);
  assert_int_equal(m.rc, HZ_OK);
  assert_int_equal(db_schema_version(second), db_schema_latest());
  int64_t tables = 0;
  assert_int_equal(db_query_int(second, "SELECT count(*) FROM meta WHERE key = 'revision'", &tables, &e), HZ_OK);
  assert_int_equal(tables, 1);
  db_close(first);
  db_close(second);
  char p[160];
  const char *suffix[] = {"", "-wal", "-shm"};
  for (int i = 0; i < 3; i++) {
    snprintf(p, sizeof p, "%s%s", path, suffix[i]);
    unlink(p);
  }
}

/* db_copy (huizhan migrate) sends whole batches of rows in one INSERT and the rest one by
 * one: tables of 600 rows (two batches of 256 and 88 single rows), 512 (two batches
 * exactly) and 255 (single rows only) arrive whole, with NULLs and blobs as they were. */
static void copy_db(const char *path, Db **db, int fill) {
  HzErr e = {0};
  assert_int_equal(db_open(path, 1, db, &e), HZ_OK);
  static const int sizes[] = {600, 512, 255};
  for (int k = 0; k < 3; k++) {
    char sql[400];
    snprintf(sql, sizeof sql, "CREATE TABLE c%d (id INTEGER PRIMARY KEY, name TEXT, data BLOB)", k);
    assert_int_equal(db_exec(*db, sql, &e), HZ_OK);
    if (!fill) continue;
    snprintf(sql, sizeof sql,
             "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d)"
             " INSERT INTO c%d SELECT i * 3, CASE WHEN i %% 7 = 0 THEN NULL ELSE 'n' || i END,"
             " CASE WHEN i %% 5 = 0 THEN NULL ELSE randomblob(i %% 40) END FROM n",
             sizes[k], k);
    assert_int_equal(db_exec(*db, sql, &e), HZ_OK);
  }
}

/* The one text value a query answers, into out. */
static void query_text(Db *db, const char *sql, char *out, size_t n) {
  HzErr e = {0};
  DbStmt *st = db_prepare(db, sql, &e);
  assert_non_null(st);
  assert_int_equal(db_step(db, st, &e), DB_ROW);
  snprintf(out, n, "%s", db_col_text(st, 0));
  db_reset(st);
}

static void copy_digest(Db *db, int k, char *out, size_t n) {
  char sql[300];
  snprintf(sql, sizeof sql,
           "SELECT count(*) || '/' || group_concat(id || ':' || coalesce(name, '~') || ':' || coalesce(hex(data), '~'), ',')"
           " FROM (SELECT * FROM c%d ORDER BY id)",
           k);
  query_text(db, sql, out, n);
}

static void test_copy_in_batches(void **state) {
  T *t = *state;
  char a[128], b[128];
  snprintf(a, sizeof a, "%s/copy-from.db", t->dir);
  snprintf(b, sizeof b, "%s/copy-to.db", t->dir);
  Db *from = NULL, *to = NULL;
  copy_db(a, &from, 1);
  copy_db(b, &to, 0);
  HzErr e = {0};
  json_t *counts = NULL;
  assert_int_equal(db_copy(from, to, &counts, &e), HZ_OK);
  assert_int_equal(json_integer_value(json_object_get(counts, "c0")), 600);
  assert_int_equal(json_integer_value(json_object_get(counts, "c1")), 512);
  assert_int_equal(json_integer_value(json_object_get(counts, "c2")), 255);
  json_decref(counts);
  static char x[120000], y[120000];
  for (int k = 0; k < 3; k++) {
    copy_digest(from, k, x, sizeof x);
    copy_digest(to, k, y, sizeof y);
    assert_true(strlen(x) > 1000);
    assert_string_equal(x, y);
  }
  int64_t nulls = 0;
  assert_int_equal(db_query_int(to, "SELECT count(*) FROM c0 WHERE name IS NULL", &nulls, &e), HZ_OK);
  assert_int_equal(nulls, 600 / 7);
  db_close(from);
  db_close(to);
  const char *suffix[] = {"", "-wal", "-shm"};
  for (int i = 0; i < 3; i++) {
    char p[160];
    snprintf(p, sizeof p, "%s%s", a, suffix[i]);
    unlink(p);
    snprintf(p, sizeof p, "%s%s", b, suffix[i]);
    unlink(p);
  }
}

/* A migration that rebuilds a table (0014: new CHECKs) drops that table's indexes with it;
 * the indexes of the schema, of every migration, must all be there at the end. */
static void test_migrated_schema_keeps_indexes(void **state) {
  T *t = *state;
  HzErr e = {0};
  assert_int_equal(db_migrate(t->db, &e), HZ_OK);
  static const char *const kept[] = {
      "projects_investor", "projects_name", "projects_unit",                                      /* 0001, rebuilt by 0014 */
      "stage_changes_unit", "follow_ups_project", "funds_unit",                                    /* idem */
      "projects_list_name", "projects_list_planned", "follow_ups_list_date", "funds_list_amount", /* 0015 */
      "projects_quiet",                                                                            /* 0016 */
      "projects_duplicates",                                                                       /* 0020 */
  };
  for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++) {
    if (index_count(t->db, kept[i]) != 1) fail_msg("index %s is missing after the migrations", kept[i]);
  }
  assert_int_equal(index_count(t->db, "projects_campaign"), 0); /* dropped by 0020 */
  /* The duplicates of a project are read off 0020's partial index, which holds no entry
   * for the projects that are no one's duplicate. */
  DbStmt *st = db_prepare(t->db, "EXPLAIN QUERY PLAN SELECT COUNT(*) FROM projects WHERE duplicate_of = ?", &e);
  assert_non_null(st);
  assert_int_equal(db_step(t->db, st, &e), DB_ROW);
  assert_string_equal(db_col_text(st, 3), "SEARCH projects USING COVERING INDEX projects_duplicates (duplicate_of=?)");
  db_reset(st);
}

/* db_long_writes: while on, commits do not wait for the disk and the WAL is copied back
 * every 32768 pages; off puts both back and syncs the WAL, with every row there. */
static void test_long_writes_settings(void **state) {
  T *t = *state;
  HzErr e = {0};
  assert_int_equal(db_exec(t->db, "CREATE TABLE blobs (id INTEGER PRIMARY KEY, data BLOB NOT NULL)", &e), HZ_OK);
  assert_int_equal(db_long_writes(t->db, 1, &e), HZ_OK);
  int64_t v = -1;
  assert_int_equal(db_query_int(t->db, "PRAGMA synchronous", &v, &e), HZ_OK);
  assert_int_equal(v, 1); /* NORMAL */
  assert_int_equal(db_query_int(t->db, "PRAGMA wal_autocheckpoint", &v, &e), HZ_OK);
  assert_int_equal(v, 32768);
  for (int i = 0; i < 8; i++) {
    assert_int_equal(db_begin(t->db, &e), HZ_OK);
    DbStmt *st = db_prepare(t->db, "INSERT INTO blobs (data) VALUES (zeroblob(1048576))", &e);
    assert_non_null(st);
    assert_int_equal(db_run(t->db, st, &e), HZ_OK);
    assert_int_equal(db_commit(t->db, &e), HZ_OK);
  }
  assert_int_equal(db_long_writes(t->db, 0, &e), HZ_OK);
  assert_int_equal(db_query_int(t->db, "SELECT COUNT(*) FROM blobs WHERE length(data) = 1048576", &v, &e), HZ_OK);
  assert_int_equal(v, 8);
  assert_int_equal(db_query_int(t->db, "PRAGMA wal_autocheckpoint", &v, &e), HZ_OK);
  assert_int_equal(v, 1000);
  assert_int_equal(db_query_int(t->db, "PRAGMA synchronous", &v, &e), HZ_OK);
  assert_int_equal(v, 2); /* FULL */
}

/* A table's rows as text, every column quoted, in key order. */
static void rows_text(Db *db, const char *table, const char *key, char *out, size_t n) {
  char sql[512], cols[256];
  snprintf(sql, sizeof sql, "SELECT group_concat(name, ', ') FROM pragma_table_info('%s')", table);
  query_text(db, sql, cols, sizeof cols);
  snprintf(sql, sizeof sql, "SELECT json_group_array(json_array(%s)) FROM (SELECT * FROM %s ORDER BY %s)", cols, table,
           key);
  query_text(db, sql, out, n);
}

/* Schema 19 stores the six figures tables WITHOUT ROWID. A database at schema 18, whose
 * tables are still the rowid kind (as schema 1 and 5 made them) and hold figures, keeps
 * every row and value through the rebuild, and every table is clustered after it. */
static void test_figures_tables_clustered(void **state) {
  T *t = *state;
  HzErr e = {0};
  assert_int_equal(db_migrate(t->db, &e), HZ_OK);
  static const struct {
    const char *name, *columns, *key, *rows;
  } tables[] = {
    {"project_figures", "project_id INTEGER NOT NULL, campaign_id INTEGER NOT NULL, unit_id INTEGER NOT NULL,"
                        " metric TEXT NOT NULL, day INTEGER NOT NULL, reported INTEGER NOT NULL, certified INTEGER NOT NULL",
     "project_id, metric, day", "(7, 1, 3, 'leads_count', 20700, 1, 1), (7, 1, 3, 'pipeline_lead', 0, 1, 0)"},
    {"unit_figures", "campaign_id INTEGER NOT NULL, unit_id INTEGER NOT NULL, metric TEXT NOT NULL, day INTEGER NOT NULL,"
                     " reported INTEGER NOT NULL, certified INTEGER NOT NULL",
     "campaign_id, unit_id, metric, day", "(1, 3, 'leads_count', 20700, 5, 4), (1, 4, 'leads_count', 20701, 2, 2)"},
    {"unit_totals", "campaign_id INTEGER NOT NULL, unit_id INTEGER NOT NULL, metric TEXT NOT NULL,"
                    " reported INTEGER NOT NULL, certified INTEGER NOT NULL",
     "campaign_id, unit_id, metric", "(1, 3, 'leads_count', 5, 4), (1, 3, 'funds_arrived', 900000, 0)"},
    {"project_stays", "project_id INTEGER NOT NULL, campaign_id INTEGER NOT NULL, unit_id INTEGER NOT NULL,"
                      " stage TEXT NOT NULL, days INTEGER NOT NULL, day INTEGER NOT NULL, stays INTEGER NOT NULL",
     "project_id, stage, days, day", "(7, 1, 3, 'lead', 12, 20712, 1), (8, 1, 3, 'negotiating', 3, 20715, 1)"},
    {"unit_stays", "campaign_id INTEGER NOT NULL, unit_id INTEGER NOT NULL, stage TEXT NOT NULL, days INTEGER NOT NULL,"
                   " day INTEGER NOT NULL, stays INTEGER NOT NULL",
     "campaign_id, unit_id, stage, days, day", "(1, 3, 'lead', 12, 20712, 2), (1, 3, 'signed', 40, 20750, 1)"},
    {"unit_stay_totals", "campaign_id INTEGER NOT NULL, unit_id INTEGER NOT NULL, stage TEXT NOT NULL,"
                         " days INTEGER NOT NULL, stays INTEGER NOT NULL",
     "campaign_id, unit_id, stage, days", "(1, 3, 'lead', 12, 2), (1, 3, 'signed', 40, 1)"},
  };
  char sql[1024], before[6][512], after[512];
  size_t n = sizeof tables / sizeof *tables;
  for (size_t i = 0; i < n; i++) {
    snprintf(sql, sizeof sql, "DROP TABLE %s; CREATE TABLE %s (%s, PRIMARY KEY (%s)) STRICT; INSERT INTO %s VALUES %s",
             tables[i].name, tables[i].name, tables[i].columns, tables[i].key, tables[i].name, tables[i].rows);
    assert_int_equal(db_exec(t->db, sql, &e), HZ_OK);
    snprintf(sql, sizeof sql, "SELECT wr FROM pragma_table_list WHERE name = '%s'", tables[i].name);
    int64_t wr = -1;
    assert_int_equal(db_query_int(t->db, sql, &wr, &e), HZ_OK);
    assert_int_equal(wr, 0);
    rows_text(t->db, tables[i].name, tables[i].key, before[i], sizeof before[i]);
  }
  /* and the projects' indexes as schema 18 had them (0020 changes them) */
  assert_int_equal(db_exec(t->db,
                           "DROP INDEX projects_duplicates; CREATE INDEX projects_campaign ON projects(campaign_id,"
                           " stage, last_activity_date, duplicate_of, lead_unit_id); PRAGMA user_version = 18",
                           &e),
                   HZ_OK);
  assert_int_equal(db_migrate(t->db, &e), HZ_OK);
  assert_int_equal(db_schema_version(t->db), db_schema_latest());
  for (size_t i = 0; i < n; i++) {
    int64_t wr = -1;
    snprintf(sql, sizeof sql, "SELECT wr FROM pragma_table_list WHERE name = '%s'", tables[i].name);
    assert_int_equal(db_query_int(t->db, sql, &wr, &e), HZ_OK);
    assert_int_equal(wr, 1);
    rows_text(t->db, tables[i].name, tables[i].key, after, sizeof after);
    assert_string_equal(after, before[i]);
  }
  /* two rows each, as inserted: one value checked by hand */
  int64_t v = 0;
  assert_int_equal(db_query_int(t->db, "SELECT reported FROM unit_totals WHERE metric = 'funds_arrived'", &v, &e), HZ_OK);
  assert_int_equal(v, 900000);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_inner_rollback_keeps_outer, setup, teardown),
      cmocka_unit_test_setup_teardown(test_outer_rollback_removes_all, setup, teardown),
      cmocka_unit_test_setup_teardown(test_commit_all_levels_persists, setup, teardown),
      cmocka_unit_test_setup_teardown(test_depth_mismatch, setup, teardown),
      cmocka_unit_test_setup_teardown(test_failed_statement_in_inner_level, setup, teardown),
      cmocka_unit_test_setup_teardown(test_constraint_names_column, setup, teardown),
      cmocka_unit_test_setup_teardown(test_insert_returning, setup, teardown),
      cmocka_unit_test_setup_teardown(test_indexes_drop_and_create, setup, teardown),
      cmocka_unit_test_setup_teardown(test_write_path_nests, setup, teardown),
      cmocka_unit_test_setup_teardown(test_migrate_twice_at_once, setup, teardown),
      cmocka_unit_test_setup_teardown(test_migrated_schema_keeps_indexes, setup, teardown),
      cmocka_unit_test_setup_teardown(test_copy_in_batches, setup, teardown),
      cmocka_unit_test_setup_teardown(test_long_writes_settings, setup, teardown),
      cmocka_unit_test_setup_teardown(test_figures_tables_clustered, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
