/* The hash-chained audit log (R-SEC-4): domain/audit.c's entry hash, and
 * store/audit_store.c appending to and verifying a real SQLite database. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "db/db.h"
#include "domain/audit.h"
#include "domain/audit_key.h"
#include "domain/audit_log.h"
#include "store/audit_store.h"
#include "util/log.h"
#include "temp_db.h"

/* ---- the entry hash ---- */

static AuditEntry base(void) {
  AuditEntry a = {.id = 1, .at = "2026-10-01T08:00:00Z", .user_id = 7, .action = "create", .entity = "projects",
                  .entity_id = 42, .before = NULL, .after = "{\"name\":\"x\"}", .prev_hash = ""};
  return a;
}

static void hash_of(const AuditEntry *a, char out[SHA256_HEX_LEN]) {
  memset(out, 'z', SHA256_HEX_LEN);
  audit_entry_hash(a, out);
  assert_int_equal(strlen(out), 64);
  for (int i = 0; i < 64; i++) assert_true((out[i] >= '0' && out[i] <= '9') || (out[i] >= 'a' && out[i] <= 'f'));
}

/* SHA-256 hex of text, straight from libsodium (not through the code under test). */
static void sha256_of(const char *text, char out[SHA256_HEX_LEN]) {
  unsigned char h[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(h, (const unsigned char *)text, strlen(text));
  sodium_bin2hex(out, SHA256_HEX_LEN, h, sizeof h);
}

static void test_hash_known_values(void **state) {
  (void)state;
  char got[SHA256_HEX_LEN], want[SHA256_HEX_LEN];
  /* The encoding is "id|user_id|entity_id|" then each text field as "LEN:text|" ("-|" for
   * NULL), in the order at, action, entity, before, after, prev_hash:
   *   1|7|42|20:2026-10-01T08:00:00Z|6:create|8:projects|-|12:{"name":"x"}|0:|
   * whose SHA-256, from `printf '%s' '…' | sha256sum`, is: */
  static const char first[] = "92309a292af7548416a37c34454fb5e099cd66c39bca31d4ecbef8b222feb047";
  AuditEntry a = base();
  hash_of(&a, got);
  assert_string_equal(got, first);
  sha256_of("1|7|42|20:2026-10-01T08:00:00Z|6:create|8:projects|-|12:{\"name\":\"x\"}|0:|", want);
  assert_string_equal(want, first);

  /* The next entry links to it; lengths count bytes ({"name":"光伏"} is 9 + 6 + 2 = 17),
   * and user 0 (the system) is written as 0. */
  AuditEntry b = {.id = 2, .at = "2026-10-02T09:30:00Z", .user_id = 0, .action = "update", .entity = "projects",
                  .entity_id = 42, .before = "{\"name\":\"光伏\"}", .after = "{\"name\":\"y\"}", .prev_hash = first};
  hash_of(&b, got);
  assert_string_equal(got, "4bb4aab90c2ca1fbb94fea31fa869bf3826b7bb6d48d434254a37d533d9215e8");
}

static void test_hash_deterministic(void **state) {
  (void)state;
  char h1[SHA256_HEX_LEN], h2[SHA256_HEX_LEN];
  AuditEntry a = base();
  hash_of(&a, h1);
  /* same contents in fresh copies of the strings */
  char at[] = "2026-10-01T08:00:00Z", action[] = "create", entity[] = "projects", after[] = "{\"name\":\"x\"}",
       prev[] = "";
  AuditEntry b = {.id = 1, .at = at, .user_id = 7, .action = action, .entity = entity, .entity_id = 42,
                  .before = NULL, .after = after, .prev_hash = prev};
  hash_of(&b, h2);
  assert_string_equal(h1, h2);
  hash_of(&a, h2);
  assert_string_equal(h1, h2);
}

#define NVARIANTS 13

static void test_hash_every_field_counts(void **state) {
  (void)state;
  char h[NVARIANTS][SHA256_HEX_LEN];
  AuditEntry v[NVARIANTS];
  for (int i = 0; i < NVARIANTS; i++) v[i] = base();
  v[1].id = 2;
  v[2].at = "2026-10-01T08:00:01Z";
  v[3].user_id = 8;
  v[4].action = "update";
  v[5].entity = "investors";
  v[6].entity_id = 43;
  v[7].before = "{}";
  v[8].after = "{\"name\":\"y\"}";
  v[9].prev_hash = "92309a292af7548416a37c34454fb5e099cd66c39bca31d4ecbef8b222feb047";
  v[10].before = "";  /* empty text is not the same as NULL */
  v[11].after = NULL;
  v[12].user_id = 0;
  for (int i = 0; i < NVARIANTS; i++) hash_of(&v[i], h[i]);
  for (int i = 0; i < NVARIANTS; i++)
    for (int j = i + 1; j < NVARIANTS; j++)
      if (!strcmp(h[i], h[j])) fail_msg("variants %d and %d hash the same", i, j);
}

/* Moving characters across a field boundary must change the hash: without the length
 * prefixes "a|b" + "c" and "a" + "b|c" would both encode as a|b|c|. */
static void test_hash_field_boundaries(void **state) {
  (void)state;
  char h1[SHA256_HEX_LEN], h2[SHA256_HEX_LEN];
  AuditEntry a = base(), b = base();
  a.action = "a|b";
  a.entity = "c";
  b.action = "a";
  b.entity = "b|c";
  hash_of(&a, h1);
  hash_of(&b, h2);
  assert_string_not_equal(h1, h2);

  /* one character moved between every pair of adjacent text fields */
  const char **fa[] = {&a.at, &a.action, &a.entity, &a.before, &a.after, &a.prev_hash};
  const char **fb[] = {&b.at, &b.action, &b.entity, &b.before, &b.after, &b.prev_hash};
  for (int k = 0; k + 1 < 6; k++) {
    a = base();
    b = base();
    a.before = b.before = "{}";
    *fa[k] = "xy";
    *fa[k + 1] = "z";
    *fb[k] = "x";
    *fb[k + 1] = "yz";
    hash_of(&a, h1);
    hash_of(&b, h2);
    if (!strcmp(h1, h2)) fail_msg("moving a character between fields %d and %d keeps the hash", k, k + 1);
  }
  /* a text that looks like a NULL marker is not NULL */
  a = base();
  b = base();
  a.before = NULL;
  b.before = "-";
  hash_of(&a, h1);
  hash_of(&b, h2);
  assert_string_not_equal(h1, h2);
  /* numbers: 1|23 vs 12|3 */
  a = base();
  b = base();
  a.id = 1;
  a.user_id = 23;
  b.id = 12;
  b.user_id = 3;
  hash_of(&a, h1);
  hash_of(&b, h2);
  assert_string_not_equal(h1, h2);
}

/* ---- a real database (temp_db.h) ---- */

static const Actor actor = {.id = 7, .role = ROLE_ADMIN, .login = "admin", .name = "管理员"};

/* Appends entries i = first .. last, entry i about project i, in the caller's transaction. */
static void append_range(Db *db, int first, int last) {
  HzErr e = {0};
  for (int i = first; i <= last; i++) {
    json_t *before = i == 1 ? NULL : json_pack("{s:i}", "value", i - 1);
    json_t *after = json_pack("{s:s s:i}", "name", "光伏", "value", i);
    if (audit_store_append(db, i % 2 ? &actor : NULL, i == 1 ? "create" : "update", "projects", i, before, after, &e))
      fail_msg("append %d: %s", i, e.message);
    json_decref(before);
    json_decref(after);
  }
}

/* Appends n entries, in one transaction each. */
static void append_n(Db *db, int n) {
  HzErr e = {0};
  for (int i = 1; i <= n; i++) {
    assert_int_equal(db_begin(db, &e), HZ_OK);
    append_range(db, i, i);
    assert_int_equal(db_commit(db, &e), HZ_OK);
  }
}

static void expect_ok(Db *db, int64_t want_count) {
  HzErr e = {0};
  int64_t count = -1;
  int rc = audit_store_verify(db, &count, &e);
  if (rc) fail_msg("verify failed: %s", e.message);
  assert_true(count == want_count);
  hz_err_clear(&e);
}

/* Verification fails and the message names "entry N:" as the first broken one. */
static void expect_broken(Db *db, const char *entry) {
  HzErr e = {0};
  int64_t count = -1;
  int rc = audit_store_verify(db, &count, &e);
  if (rc == HZ_OK) fail_msg("verify passed a tampered log (%lld entries)", (long long)count);
  assert_int_equal(rc, HZ_EIO);
  if (strncmp(e.message, entry, strlen(entry))) fail_msg("verify: \"%s\", want it to start with \"%s\"", e.message, entry);
  hz_err_clear(&e);
}

static void sql(Db *db, const char *s) {
  HzErr e = {0};
  if (db_exec(db, s, &e)) fail_msg("%s: %s", s, e.message);
}

static void drop_triggers(Db *db) {
  sql(db, "DROP TRIGGER audit_log_no_update");
  sql(db, "DROP TRIGGER audit_log_no_delete");
}


/* ---- the key (domain/audit_key.h) ---- */

static const unsigned char test_key[AUDIT_KEY_BYTES] = {0,  1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11, 12, 13, 14, 15,
                                                        16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31};

static void test_keyed_known_values(void **state) {
  (void)state;
  char got[SHA256_HEX_LEN], id[AUDIT_KEY_ID_LEN];
  /* From Python's hmac module, key bytes 0..31:
   *   hmac.new(key, b'1|7|42|20:2026-10-01T08:00:00Z|6:create|8:projects|-|12:{"name":"x"}|0:|', sha256) */
  audit_key_set(test_key, 1);
  AuditEntry a = base();
  hash_of(&a, got);
  assert_string_equal(got, "dcf0193400116b671e51bfe0c33115c01bb7b6637de6f6c11daefeff2312dd24");
  /* before the keyed-from point, the same entry hashes plainly (test_hash_known_values) */
  audit_key_set(test_key, 2);
  hash_of(&a, got);
  assert_string_equal(got, "92309a292af7548416a37c34454fb5e099cd66c39bca31d4ecbef8b222feb047");
  /* hmac(key, b'huizhan audit seal|1|abc') */
  audit_seal(1, "abc", got);
  assert_string_equal(got, "26eb16e4a1ac95a1753dee2dcc92425eda4a12234b3003bb6fcaf1a0fe282afe");
  /* hmac(key, b'huizhan audit key, keyed from 1')[:32] */
  audit_key_fingerprint(test_key, 1, id);
  assert_string_equal(id, "0d45641a346e09be21821a322e3b19d1");
  audit_key_set(NULL, 1);
  audit_seal(1, "abc", got);
  assert_string_equal(got, "");
}

static void write_file(const char *path, const char *text, mode_t mode) {
  unlink(path);
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
  assert_true(fd >= 0);
  assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
  fchmod(fd, mode);
  close(fd);
}

static void test_key_file(void **state) {
  (void)state;
  char dir[] = "/tmp/hz-test-key-XXXXXX", path[96];
  assert_non_null(mkdtemp(dir));
  snprintf(path, sizeof path, "%s/k", dir);
  unsigned char key[AUDIT_KEY_BYTES], again[AUDIT_KEY_BYTES];
  HzErr e = {0};
  int created = -1;
  /* missing */
  assert_int_equal(audit_key_file_read(path, 0, key, &created, &e), HZ_ENOTFOUND);
  hz_err_clear(&e);
  /* made: mode 0600, 64 hex digits and a newline, read back the same */
  assert_int_equal(audit_key_file_read(path, 1, key, &created, &e), HZ_OK);
  assert_int_equal(created, 1);
  struct stat sb;
  assert_int_equal(stat(path, &sb), 0);
  assert_int_equal(sb.st_mode & 0777, 0600);
  assert_int_equal(sb.st_size, 65);
  assert_int_equal(audit_key_file_read(path, 1, again, &created, &e), HZ_OK);
  assert_int_equal(created, 0);
  assert_memory_equal(key, again, sizeof key);
  /* a given key, with a trailing newline */
  write_file(path, "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n", 0600);
  assert_int_equal(audit_key_file_read(path, 0, key, NULL, &e), HZ_OK);
  assert_memory_equal(key, test_key, sizeof key);
  /* readable by the group: refused naming audit-key */
  chmod(path, 0640);
  assert_int_equal(audit_key_file_read(path, 0, key, NULL, &e), HZ_EINVAL);
  assert_non_null(json_object_get(e.fields, "audit-key"));
  hz_err_clear(&e);
  /* too short, not hex */
  write_file(path, "000102030405060708090a0b0c0d0e0f\n", 0600);
  assert_int_equal(audit_key_file_read(path, 0, key, NULL, &e), HZ_EINVAL);
  hz_err_clear(&e);
  write_file(path, "zz0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n", 0600);
  assert_int_equal(audit_key_file_read(path, 0, key, NULL, &e), HZ_EINVAL);
  hz_err_clear(&e);
  unlink(path);
  rmdir(dir);
}

/* A keyed chain: cutting the tail and setting head and count back breaks the seal; a
 * second key is refused. */
static void test_keyed_tail_cut(void **state) {
  (void)state;
  TempDb t;
  temp_db_open(&t, "audit");
  HzErr e = {0};
  assert_int_equal(audit_key_bind(t.db, test_key, &e), HZ_OK);
  assert_true(audit_key_is_set());
  append_n(t.db, 5);
  expect_ok(t.db, 5);
  drop_triggers(t.db);
  sql(t.db, "DELETE FROM audit_log WHERE id = 5");
  sql(t.db, "UPDATE meta SET value = (SELECT hash FROM audit_log WHERE id = 4) WHERE key = 'audit_head'");
  sql(t.db, "UPDATE meta SET value = '4' WHERE key = 'audit_count'");
  expect_broken(t.db, "entry 4: the log's end was moved");
  unsigned char other[AUDIT_KEY_BYTES];
  memcpy(other, test_key, sizeof other);
  other[0] ^= 1;
  assert_int_equal(audit_key_bind(t.db, other, &e), HZ_EIO);
  hz_err_clear(&e);
  audit_key_set(NULL, 1);
  temp_db_close(&t);
}

/* An unkeyed chain (made with no key) is refused by bind and upgraded by
 * audit_key_upgrade from the next entry on. */
static void test_upgrade(void **state) {
  (void)state;
  TempDb t;
  temp_db_open(&t, "audit");
  HzErr e = {0};
  audit_key_set(NULL, 1);
  append_n(t.db, 3);
  assert_int_equal(audit_key_bind(t.db, test_key, &e), HZ_EIO);
  hz_err_clear(&e);
  int64_t from = 0;
  assert_int_equal(audit_key_upgrade(t.db, NULL, test_key, &from, &e), HZ_OK);
  assert_true(from == 4);
  expect_ok(t.db, 4);
  assert_int_equal(audit_key_upgrade(t.db, NULL, test_key, &from, &e), HZ_ECONFLICT);
  hz_err_clear(&e);
  json_t *marker = NULL;
  assert_int_equal(audit_store_get(t.db, 4, &marker, &e), HZ_OK);
  assert_string_equal(json_string_value(json_object_get(marker, "action")), "audit_key");
  assert_int_equal(json_integer_value(json_object_get(json_object_get(marker, "after"), "keyed_from")), 4);
  json_decref(marker);
  /* a later process binds the same key */
  audit_key_set(NULL, 1);
  assert_int_equal(audit_key_bind(t.db, test_key, &e), HZ_OK);
  assert_true(audit_keyed_from() == 4);
  append_n(t.db, 2);
  expect_ok(t.db, 6);
  /* read without the key, the keyed entries are wrong from the first */
  audit_key_set(NULL, 1);
  expect_broken(t.db, "entry 4:");
  temp_db_close(&t);
}

static void test_fresh_log_verifies(void **state) {
  (void)state;
  TempDb t;
  temp_db_open(&t, "audit");
  expect_ok(t.db, 0);
  temp_db_close(&t);
}

static void test_append_and_verify(void **state) {
  (void)state;
  setenv("HUIZHAN_TODAY", "2026-10-15", 1);
  TempDb t;
  temp_db_open(&t, "audit");
  int64_t rev0 = audit_store_revision(t.db);
  append_n(t.db, 5);
  expect_ok(t.db, 5);
  assert_true(audit_store_revision(t.db) == rev0 + 5);

  /* Entry 1 as stored: ids from 1, the system (no actor) stored as NULL, canonical JSON
   * (compact, sorted keys), the first prev_hash empty; its hash recomputed here by hand. */
  HzErr e = {0};
  DbStmt *st = db_prepare(t.db, "SELECT id, at, user_id, action, entity, entity_id, before, after, prev_hash, hash"
                                " FROM audit_log ORDER BY id", &e);
  assert_non_null(st);
  char prev[SHA256_HEX_LEN] = "";
  for (int i = 1; i <= 5; i++) {
    assert_int_equal(db_step(t.db, st, &e), DB_ROW);
    assert_int_equal(db_col_int(st, 0), i);
    const char *at = db_col_text(st, 1);
    assert_memory_equal(at, "2026-10-15T", 11); /* HUIZHAN_TODAY */
    if (i % 2) assert_int_equal(db_col_int(st, 2), 7);
    else assert_true(db_col_is_null(st, 2));
    assert_string_equal(db_col_text(st, 3), i == 1 ? "create" : "update");
    assert_string_equal(db_col_text(st, 4), "projects");
    assert_int_equal(db_col_int(st, 5), i);
    char want_after[64], want_before[64];
    snprintf(want_after, sizeof want_after, "{\"name\":\"光伏\",\"value\":%d}", i);
    assert_string_equal(db_col_text(st, 7), want_after);
    if (i == 1) assert_true(db_col_is_null(st, 6));
    else {
      snprintf(want_before, sizeof want_before, "{\"value\":%d}", i - 1);
      assert_string_equal(db_col_text(st, 6), want_before);
    }
    assert_string_equal(db_col_text(st, 8), prev);
    /* {"name":"光伏","value":N} is {"name":" 9 + 光伏 6 + ", 2 + "value": 8 + N 1 + } 1 = 27 bytes */
    char enc[512], want_hash[SHA256_HEX_LEN];
    if (i == 1)
      snprintf(enc, sizeof enc, "1|7|1|20:%s|6:create|8:projects|-|27:%s|0:|", at, want_after);
    else
      snprintf(enc, sizeof enc, "%d|%d|%d|20:%s|6:update|8:projects|11:%s|27:%s|64:%s|", i, i % 2 ? 7 : 0, i, at,
               want_before, want_after, prev);
    sha256_of(enc, want_hash);
    assert_string_equal(db_col_text(st, 9), want_hash);
    snprintf(prev, sizeof prev, "%s", db_col_text(st, 9));
  }
  assert_int_equal(db_step(t.db, st, &e), DB_DONE);
  db_reset(st);
  temp_db_close(&t);
  unsetenv("HUIZHAN_TODAY");
}

/* Every stored entry's hash worked out here from its stored fields (the encoding of
 * test_append_and_verify, SHA-256 by libsodium directly), each linked to the one before. */
static void rows_hash_by_hand(Db *db, int n) {
  HzErr e = {0};
  DbStmt *st = db_prepare(db, "SELECT id, at, user_id, action, entity, entity_id, before, after, prev_hash, hash"
                              " FROM audit_log ORDER BY id", &e);
  assert_non_null(st);
  char prev[SHA256_HEX_LEN] = "", want[SHA256_HEX_LEN];
  static char enc[1024];
  for (int i = 1; i <= n; i++) {
    assert_int_equal(db_step(db, st, &e), DB_ROW);
    assert_int_equal(db_col_int(st, 0), i);
    const char *before = db_col_text(st, 6), *after = db_col_text(st, 7);
    int k = snprintf(enc, sizeof enc, "%d|%lld|%lld|20:%s|%zu:%s|8:projects|", i, (long long)db_col_int(st, 2),
                     (long long)db_col_int(st, 5), db_col_text(st, 1), strlen(db_col_text(st, 3)), db_col_text(st, 3));
    if (before) k += snprintf(enc + k, sizeof enc - k, "%zu:%s|", strlen(before), before);
    else k += snprintf(enc + k, sizeof enc - k, "-|");
    snprintf(enc + k, sizeof enc - k, "%zu:%s|%zu:%s|", strlen(after), after, strlen(prev), prev);
    sha256_of(enc, want);
    assert_string_equal(db_col_text(st, 8), prev);
    if (strcmp(db_col_text(st, 9), want)) fail_msg("entry %d: hash %s, by hand %s", i, db_col_text(st, 9), want);
    snprintf(prev, sizeof prev, "%s", want);
  }
  assert_int_equal(db_step(db, st, &e), DB_DONE);
  db_reset(st);
}

/* A batch (audit_store_batch_*): the chain's head kept in memory, yet every entry is as a
 * single append makes it, in order; an aborted batch leaves nothing, and the next batch
 * goes on from the chain's head. */
static void test_batch(void **state) {
  (void)state;
  TempDb t;
  temp_db_open(&t, "auditbatch");
  HzErr e = {0};
  int64_t rev0 = audit_store_revision(t.db);
  append_n(t.db, 3); /* single appends first: the batch continues their chain */
  assert_int_equal(db_begin(t.db, &e), HZ_OK);
  assert_int_equal(audit_store_batch_begin(t.db, &e), HZ_OK);
  append_range(t.db, 4, 2600);
  assert_int_equal(audit_store_batch_end(t.db, &e), HZ_OK);
  assert_int_equal(db_commit(t.db, &e), HZ_OK);
  expect_ok(t.db, 2600);
  rows_hash_by_hand(t.db, 2600);
  assert_true(audit_store_revision(t.db) == rev0 + 2600);

  assert_int_equal(db_begin(t.db, &e), HZ_OK);
  assert_int_equal(audit_store_batch_begin(t.db, &e), HZ_OK);
  append_range(t.db, 2601, 4100);
  audit_store_batch_abort(t.db);
  db_rollback(t.db);
  expect_ok(t.db, 2600);

  assert_int_equal(db_begin(t.db, &e), HZ_OK);
  assert_int_equal(audit_store_batch_begin(t.db, &e), HZ_OK);
  append_range(t.db, 2601, 2610);
  assert_int_equal(audit_store_batch_end(t.db, &e), HZ_OK);
  assert_int_equal(db_commit(t.db, &e), HZ_OK);
  expect_ok(t.db, 2610);
  rows_hash_by_hand(t.db, 2610);
  assert_true(audit_store_revision(t.db) == rev0 + 2610);
  temp_db_close(&t);
}

static void test_triggers_refuse(void **state) {
  (void)state;
  TempDb t;
  temp_db_open(&t, "audit");
  append_n(t.db, 3);
  HzErr e = {0};
  assert_int_not_equal(db_exec(t.db, "UPDATE audit_log SET after = '{}' WHERE id = 2", &e), HZ_OK);
  assert_non_null(strstr(e.message, "append-only"));
  hz_err_clear(&e);
  assert_int_not_equal(db_exec(t.db, "DELETE FROM audit_log WHERE id = 3", &e), HZ_OK);
  assert_non_null(strstr(e.message, "append-only"));
  hz_err_clear(&e);
  assert_int_not_equal(db_exec(t.db, "DELETE FROM audit_log", &e), HZ_OK);
  hz_err_clear(&e);
  int64_t n = 0;
  assert_int_equal(db_query_int(t.db, "SELECT COUNT(*) FROM audit_log", &n, &e), HZ_OK);
  assert_true(n == 3);
  expect_ok(t.db, 3);
  temp_db_close(&t);
}

static void test_edit_detected(void **state) {
  (void)state;
  /* every column of entry 3 of 5, edited on its own */
  static const char *const edits[] = {
    "UPDATE audit_log SET after = '{\"name\":\"光伏\",\"value\":300}' WHERE id = 3",
    "UPDATE audit_log SET before = NULL WHERE id = 3",
    "UPDATE audit_log SET at = '2020-01-01T00:00:00Z' WHERE id = 3",
    "UPDATE audit_log SET user_id = 8 WHERE id = 3",
    "UPDATE audit_log SET action = 'delete' WHERE id = 3",
    "UPDATE audit_log SET entity = 'funds' WHERE id = 3",
    "UPDATE audit_log SET entity_id = 99 WHERE id = 3",
    "UPDATE audit_log SET hash = (SELECT hash FROM audit_log WHERE id = 2) WHERE id = 3",
    "UPDATE audit_log SET prev_hash = '' WHERE id = 3",
  };
  for (size_t i = 0; i < sizeof edits / sizeof edits[0]; i++) {
    TempDb t;
    temp_db_open(&t, "audit");
    append_n(t.db, 5);
    drop_triggers(t.db);
    expect_ok(t.db, 5);
    sql(t.db, edits[i]);
    expect_broken(t.db, "entry 3:");
    temp_db_close(&t);
  }
}

/* The hash reads SQL NULL as 0: turning the system's NULL user into 0, or an entity id
 * into NULL, must still be caught. Entry 2 was written by the system (user_id NULL). */
static void test_null_edits_detected(void **state) {
  (void)state;
  static const char *const edits[] = {
    "UPDATE audit_log SET user_id = 0 WHERE id = 2",
    "UPDATE audit_log SET entity_id = NULL WHERE id = 2",
    "UPDATE audit_log SET user_id = NULL WHERE id = 2; UPDATE audit_log SET user_id = 0 WHERE id = 2",
  };
  for (size_t i = 0; i < sizeof edits / sizeof edits[0]; i++) {
    TempDb t;
    temp_db_open(&t, "audit");
    append_n(t.db, 3);
    drop_triggers(t.db);
    int64_t n = -1;
    HzErr e = {0};
    assert_int_equal(db_query_int(t.db, "SELECT COUNT(*) FROM audit_log WHERE id = 2 AND user_id IS NULL", &n, &e),
                     HZ_OK);
    assert_true(n == 1);
    sql(t.db, edits[i]);
    expect_broken(t.db, "entry 2:");
    temp_db_close(&t);
  }
}

/* An editor who also recomputes the edited entry's hash breaks the next entry's link. */
static void test_edit_with_rehash_detected(void **state) {
  (void)state;
  TempDb t;
  temp_db_open(&t, "audit");
  append_n(t.db, 5);
  drop_triggers(t.db);
  HzErr e = {0};
  DbStmt *st = db_prepare(t.db, "SELECT at, user_id, before, prev_hash FROM audit_log WHERE id = 3", &e);
  assert_int_equal(db_step(t.db, st, &e), DB_ROW);
  char at[32], before[64], prev[SHA256_HEX_LEN], hash[SHA256_HEX_LEN];
  snprintf(at, sizeof at, "%s", db_col_text(st, 0));
  int64_t user = db_col_int(st, 1);
  snprintf(before, sizeof before, "%s", db_col_text(st, 2));
  snprintf(prev, sizeof prev, "%s", db_col_text(st, 3));
  db_reset(st);
  AuditEntry forged = {.id = 3, .at = at, .user_id = user, .action = "update", .entity = "projects",
                       .entity_id = 3, .before = before, .after = "{\"name\":\"光伏\",\"value\":300}",
                       .prev_hash = prev};
  audit_entry_hash(&forged, hash);
  st = db_prepare(t.db, "UPDATE audit_log SET after = ?, hash = ? WHERE id = 3", &e);
  db_bind_text(st, 1, forged.after);
  db_bind_text(st, 2, hash);
  assert_int_equal(db_run(t.db, st, &e), HZ_OK);
  expect_broken(t.db, "entry 4:");
  temp_db_close(&t);
}

static void test_delete_middle_detected(void **state) {
  (void)state;
  TempDb t;
  temp_db_open(&t, "audit");
  append_n(t.db, 5);
  drop_triggers(t.db);
  sql(t.db, "DELETE FROM audit_log WHERE id = 3");
  expect_broken(t.db, "entry 3:");
  temp_db_close(&t);

  /* the first entry too */
  temp_db_open(&t, "audit");
  append_n(t.db, 5);
  drop_triggers(t.db);
  sql(t.db, "DELETE FROM audit_log WHERE id = 1");
  expect_broken(t.db, "entry 1:");
  temp_db_close(&t);
}

static void test_delete_last_detected(void **state) {
  (void)state;
  TempDb t;
  temp_db_open(&t, "audit");
  append_n(t.db, 5);
  drop_triggers(t.db);
  sql(t.db, "DELETE FROM audit_log WHERE id = 5");
  /* entries 1..4 are intact: only the count (and head) kept in meta shows entry 5 gone */
  expect_broken(t.db, "entry 5:");
  temp_db_close(&t);

  temp_db_open(&t, "audit");
  append_n(t.db, 5);
  drop_triggers(t.db);
  sql(t.db, "DELETE FROM audit_log WHERE id >= 4");
  expect_broken(t.db, "entry 4:");
  temp_db_close(&t);

  temp_db_open(&t, "audit");
  append_n(t.db, 5);
  drop_triggers(t.db);
  sql(t.db, "DELETE FROM audit_log");
  expect_broken(t.db, "entry 1:");
  temp_db_close(&t);
}

/* Appending continues the chain after a reopen. */
static void test_append_after_reopen(void **state) {
  (void)state;
  TempDb t;
  temp_db_open(&t, "audit");
  append_n(t.db, 2);
  db_close(t.db);
  HzErr e = {0};
  assert_int_equal(db_open(t.path, 0, &t.db, &e), HZ_OK);
  assert_int_equal(db_migrate(t.db, &e), HZ_OK);
  expect_ok(t.db, 2);
  assert_int_equal(db_begin(t.db, &e), HZ_OK);
  assert_int_equal(audit_store_append(t.db, &actor, "login", "users", 7, NULL, NULL, &e), HZ_OK);
  assert_int_equal(db_commit(t.db, &e), HZ_OK);
  expect_ok(t.db, 3);
  int64_t id = 0;
  assert_int_equal(db_query_int(t.db, "SELECT MAX(id) FROM audit_log WHERE action = 'login'", &id, &e), HZ_OK);
  assert_true(id == 3);
  temp_db_close(&t);
}

/* A rolled-back append leaves no trace and does not break the chain. */
static void test_rollback(void **state) {
  (void)state;
  TempDb t;
  temp_db_open(&t, "audit");
  append_n(t.db, 2);
  HzErr e = {0};
  assert_int_equal(db_begin(t.db, &e), HZ_OK);
  assert_int_equal(audit_store_append(t.db, &actor, "update", "projects", 1, NULL, NULL, &e), HZ_OK);
  db_rollback(t.db);
  expect_ok(t.db, 2);
  append_n(t.db, 1);
  expect_ok(t.db, 3);
  temp_db_close(&t);
}

static void test_list(void **state) {
  (void)state;
  TempDb t;
  temp_db_open(&t, "audit");
  append_n(t.db, 5);
  HzErr e = {0};
  AuditQuery aq;
  json_t *q = json_pack("{s:s s:s}", "entity", "projects", "limit", "2"), *out = NULL;
  assert_int_equal(audit_log_query(q, &aq, &e), HZ_OK);
  assert_string_equal(aq.entity, "projects");
  assert_int_equal(aq.limit, 2);
  assert_int_equal(aq.has_entity_id, 0);
  assert_int_equal(audit_log_list(t.db, &aq, &out, &e), HZ_OK);
  assert_int_equal(json_integer_value(json_object_get(out, "total")), 5);
  assert_int_equal(json_integer_value(json_object_get(out, "limit")), 2);
  assert_int_equal(json_integer_value(json_object_get(out, "offset")), 0);
  json_t *items = json_object_get(out, "items");
  assert_int_equal(json_array_size(items), 2);
  /* newest first */
  assert_int_equal(json_integer_value(json_object_get(json_array_get(items, 0), "id")), 5);
  assert_int_equal(json_integer_value(json_object_get(json_array_get(json_object_get(out, "items"), 1), "id")), 4);
  json_decref(out);
  json_decref(q);
  /* The typed query straight to the store: oldest first from the third entry. */
  AuditQuery typed = {.entity = "projects", .ascending = 1, .limit = 10, .offset = 2};
  int64_t total = 0;
  assert_int_equal(audit_store_list(t.db, &typed, &items, &total, &e), HZ_OK);
  assert_int_equal(total, 5);
  assert_int_equal(json_array_size(items), 3);
  assert_int_equal(json_integer_value(json_object_get(json_array_get(items, 0), "id")), 3);
  json_decref(items);
  typed = (AuditQuery){.entity = "users", .limit = 10};
  assert_int_equal(audit_store_list(t.db, &typed, &items, &total, &e), HZ_OK);
  assert_int_equal(total, 0);
  json_decref(items);
  q = json_pack("{s:s}", "colour", "red");
  assert_int_equal(audit_log_query(q, &aq, &e), HZ_EINVAL);
  assert_non_null(json_object_get(e.fields, "colour"));
  hz_err_clear(&e);
  json_decref(q);
  q = json_pack("{s:s}", "entity_id", "x");
  assert_int_equal(audit_log_query(q, &aq, &e), HZ_EINVAL);
  assert_non_null(json_object_get(e.fields, "entity_id"));
  hz_err_clear(&e);
  json_decref(q);
  /* A parameter given twice is refused, naming it. */
  q = json_pack("{s:[s s]}", "action", "create", "update");
  assert_int_equal(audit_log_query(q, &aq, &e), HZ_EINVAL);
  assert_non_null(json_object_get(e.fields, "action"));
  hz_err_clear(&e);
  json_decref(q);
  temp_db_close(&t);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_hash_known_values),
    cmocka_unit_test(test_hash_deterministic),
    cmocka_unit_test(test_hash_every_field_counts),
    cmocka_unit_test(test_hash_field_boundaries),
    cmocka_unit_test(test_fresh_log_verifies),
    cmocka_unit_test(test_append_and_verify),
    cmocka_unit_test(test_batch),
    cmocka_unit_test(test_triggers_refuse),
    cmocka_unit_test(test_edit_detected),
    cmocka_unit_test(test_null_edits_detected),
    cmocka_unit_test(test_edit_with_rehash_detected),
    cmocka_unit_test(test_delete_middle_detected),
    cmocka_unit_test(test_delete_last_detected),
    cmocka_unit_test(test_append_after_reopen),
    cmocka_unit_test(test_rollback),
    cmocka_unit_test(test_list),
    cmocka_unit_test(test_keyed_known_values),
    cmocka_unit_test(test_key_file),
    cmocka_unit_test(test_keyed_tail_cut),
    cmocka_unit_test(test_upgrade),
  };
  return cmocka_run_group_tests(tests, temp_db_setup, NULL);
}
