/* huizhan migrate: a city's database moved to another engine (SQLite → PostgreSQL as it
 * outgrows one machine): every row of every table, ids, audit chain and attachments as
 * they are, then checked on the target as `audit verify` and `check` would. */
#include "cli/cli.h"
#include "domain/audit_key.h"
#include "domain/audit_log.h"
#include <fcntl.h>
#include <sodium.h>
#include "domain/figures.h"
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* The copy's target read back: the audit chain whole and every figure equal to a fresh
 * recount, so a copy that lost or bent anything fails here and not at the first bulletin. */
static int verify_target(Db *to, int64_t *entries, HzErr *e) {
  json_t *diffs = NULL;
  int rc = audit_log_verify(to, entries, e);
  if (!rc) rc = figures_check(to, &diffs, e);
  if (!rc && json_array_size(diffs))
    rc = hz_fail(e, HZ_EDB, NULL, "复制后的统计数字与原始记录不符：%s", json_string_value(json_array_get(diffs, 0)));
  json_decref(diffs);
  return rc;
}

/* The target's chain is the source's: the same key. A SQLite target found by default
 * (beside its file) gets a copy of the key there; otherwise the key file stays where it
 * is and the target is served with the same --audit-key / HUIZHAN_AUDIT_KEY. */
static int key_along(const CliArgs *a, const char *target, const char *from_path, HzErr *e) {
  char path[4096];
  int is_default = 0;
  if (db_target_is_server(target) || cli_audit_key_path(a, target, path, sizeof path, &is_default, e) || !is_default) {
    hz_err_clear(e);
    fprintf(stderr, "审计密钥：%s（目标库用同一把密钥：运行时以 --audit-key 或 HUIZHAN_AUDIT_KEY 指明）\n", from_path);
    return HZ_OK;
  }
  /* the whole file: after a rotation it also holds the retired keys the past needs */
  int rc = audit_key_file_copy(from_path, path, e);
  if (rc) return rc;
  fprintf(stderr, "审计密钥：已复制到 %s\n", path);
  return HZ_OK;
}

int cmd_migrate(const CliArgs *a) {
  HzErr e = {0};
  Db *from = NULL, *to = NULL;
  json_t *counts = NULL;
  const char *source = cli_opt(a, "from"), *target = cli_opt(a, "to");
  char shown_from[512], shown_to[512];
  int rc = HZ_OK;
  if (!source) rc = hz_fail(&e, HZ_EINVAL, "from", "缺少 --from（源数据库：文件或 postgresql:// 连接串）");
  else if (!target) rc = hz_fail(&e, HZ_EINVAL, "to", "缺少 --to（目标数据库：新建的空库）");
  else if (!strcmp(source, target)) rc = hz_fail(&e, HZ_EINVAL, "to", "--from 与 --to 是同一个数据库");
  if (rc) return cli_fail(&e);
  db_target_display(source, shown_from, sizeof shown_from);
  db_target_display(target, shown_to, sizeof shown_to);
  if (!db_target_is_server(source) && access(source, F_OK) != 0)
    rc = hz_fail(&e, HZ_ENOTFOUND, "from", "源数据库 %s 不存在", shown_from);
  if (!rc) rc = cli_target_fresh(target, "to", "migrate", &e);
  int created = !rc;
  unsigned char key[AUDIT_KEY_BYTES];
  char key_path[4096] = "";
  if (!rc) rc = cli_audit_key_read(a, source, 0, key, key_path, &e);
  if (!rc && !(rc = db_open(source, 0, &from, &e))) rc = db_migrate(from, &e);
  if (!rc) rc = audit_key_bind(from, key, &e);
  if (!rc && !(rc = db_open(target, 1, &to, &e))) rc = db_migrate(to, &e);
  if (!rc) rc = db_copy(from, to, &counts, &e);
  int64_t entries = 0, rows = 0;
  /* meta came along with the key's record: the target binds to the same key */
  if (!rc) rc = audit_key_bind(to, key, &e);
  if (!rc) rc = verify_target(to, &entries, &e);
  if (!rc) rc = key_along(a, target, key_path, &e);
  sodium_memzero(key, sizeof key);
  db_close(from);
  db_close(to);
  if (rc) {
    json_decref(counts);
    /* A new SQLite file is removed; a PostgreSQL database keeps the tables the migration
     * made (empty after a failed copy) and is its administrator's to drop and make again. */
    if (created && !db_target_is_server(target)) unlink(target);
    return cli_fail(&e);
  }
  const char *table;
  json_t *n;
  json_object_foreach(counts, table, n) {
    fprintf(stderr, "%-28s %lld\n", table, (long long)json_integer_value(n));
    rows += json_integer_value(n);
  }
  printf("migrated %lld rows in %zu tables from %s to %s; audit chain ok (%lld entries), figures ok\n", (long long)rows,
         json_object_size(counts), shown_from, shown_to, (long long)entries);
  json_decref(counts);
  return 0;
}
