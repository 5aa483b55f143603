/* huizhan migrate: a city's database moved to another engine (SQLite → PostgreSQL as it
 * outgrows one machine): every row of every table, ids, audit chain and attachments as
 * they are, then checked on the target as `audit verify` and `check` would. */
#include "cli/cli.h"
#include "domain/audit_log.h"
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
  if (!rc && !(rc = db_open(source, 0, &from, &e))) rc = db_migrate(from, &e);
  if (!rc && !(rc = db_open(target, 1, &to, &e))) rc = db_migrate(to, &e);
  if (!rc) rc = db_copy(from, to, &counts, &e);
  int64_t entries = 0, rows = 0;
  if (!rc) rc = verify_target(to, &entries, &e);
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
