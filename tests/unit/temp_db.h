/* A migrated database in a temporary directory of its own, for the unit tests that write
 * through the engine (test_audit.c, test_record_write.c, test_jobs.c, …). Include after <cmocka.h>.
 * temp_db_close closes the connection and removes the files and the directory. */
#ifndef HZ_TEST_TEMP_DB_H
#define HZ_TEST_TEMP_DB_H
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sodium.h>
#include <jansson.h>
#include "db/db.h"
#include "domain/record.h"
#include "util/log.h"

typedef struct {
  char dir[64];
  char path[96];
  Db *db;
} TempDb;

/* name: a word for the directory and the file, e.g. "audit". */
static inline void temp_db_open(TempDb *t, const char *name) {
  snprintf(t->dir, sizeof t->dir, "/tmp/hz-test-%.16s-XXXXXX", name);
  if (!mkdtemp(t->dir)) fail_msg("mkdtemp failed");
  snprintf(t->path, sizeof t->path, "%s/%.16s.db", t->dir, name);
  HzErr e = {0};
  t->db = NULL;
  if (db_open(t->path, 1, &t->db, &e) || db_migrate(t->db, &e)) fail_msg("db: %s", e.message);
}

/* Creates a record through the write path as a (the body is taken); returns its id. */
static inline int64_t temp_db_create(Db *db, const Actor *a, const char *collection, int64_t parent, json_t *body) {
  json_t *out = NULL;
  HzErr e = {0};
  if (record_create(db, a, resource_find(collection), parent, body, &out, &e))
    fail_msg("%s: %s", collection, e.message);
  int64_t id = json_integer_value(json_object_get(out, "id"));
  json_decref(out);
  json_decref(body);
  return id;
}

static inline void temp_db_close(TempDb *t) {
  db_close(t->db);
  t->db = NULL;
  char p[128];
  static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
  for (int i = 0; i < 4; i++) {
    snprintf(p, sizeof p, "%s%s", t->path, suffixes[i]);
    unlink(p);
  }
  rmdir(t->dir);
}

/* The group setup of such a test: quiet log, libsodium ready (the audit chain hashes). */
static inline int temp_db_setup(void **state) {
  (void)state;
  log_set_verbose(0);
  return sodium_init() < 0 ? -1 : 0;
}

/* The record a write returned: out is read after the write (the call is an argument), and
 * a failed write fails the test with what and the error. */
static inline json_t *written(int rc, json_t **out, HzErr *e, const char *what) {
  if (rc) fail_msg("%s: %s", what, e->message);
  json_t *o = *out;
  *out = NULL;
  return o;
}

static inline int64_t id_of(json_t *o) { return json_integer_value(json_object_get(o, "id")); }
static inline int64_t version_of(json_t *o) { return json_integer_value(json_object_get(o, "version")); }

#endif
