/* huizhan backup / restore: a checked copy of a SQLite database while it serves, and
 * putting one back in place of a database no server has open (domain/backup.h). */
#include "cli/cli.h"
#include "domain/backup.h"
#include "util/text.h"
#include <sodium.h>
#include <stdio.h>

int cmd_backup(const CliArgs *a) {
  HzErr e = {0};
  BackupInfo info;
  const char *target = cli_db_target(a);
  if (!target) {
    hz_fail(&e, HZ_EINVAL, "db", "缺少 --db FILE（或环境变量 HUIZHAN_DB）");
    return cli_fail(&e);
  }
  unsigned char key[32];
  /* The copy is checked with the chain's key (found as every command finds it). */
  int rc = db_target_is_server(target) ? HZ_OK : cli_audit_key_read(a, target, 0, key, NULL, &e);
  if (!rc) rc = backup_make(target, cli_opt(a, "to"), key, &info, &e);
  sodium_memzero(key, sizeof key);
  if (rc) return cli_fail(&e);
  printf("ok\n");
  fprintf(stderr,
          "backup %s: %lld bytes, %lld audit entries verified, integrity and figures checked, %.2f s (copy %.2f s)\n",
          cli_opt(a, "to"), (long long)info.bytes, (long long)info.audit_entries, info.seconds, info.copy_seconds);
  return 0;
}

int cmd_restore(const CliArgs *a) {
  HzErr e = {0};
  BackupInfo info;
  const char *target = cli_db_target(a);
  char kept[4200];
  int rc = HZ_OK;
  if (a->npositional != 1) rc = hz_fail(&e, HZ_EINVAL, "file", "用法：huizhan restore FILE --db FILE");
  else if (!target) rc = hz_fail(&e, HZ_EINVAL, "db", "缺少 --db FILE（或环境变量 HUIZHAN_DB）");
  unsigned char key[32];
  if (!rc && !db_target_is_server(target)) rc = cli_audit_key_read(a, target, 0, key, NULL, &e);
  if (!rc) rc = backup_restore(a->positional[0], target, key, kept, sizeof kept, &info, &e);
  sodium_memzero(key, sizeof key);
  if (rc) return cli_fail(&e);
  printf("ok\n");
  fprintf(stderr, "restored %s from %s (%lld audit entries verified, %.2f s)\n", target, a->positional[0],
          (long long)info.audit_entries, info.seconds);
  if (kept[0]) fprintf(stderr, "the database it replaced is kept as %s\n", kept);
  return 0;
}

int cli_backup_options(const CliArgs *a, HzErr *e) {
  int64_t keep = 7;
  const char *k = cli_opt_env(a, "backup-keep", "HUIZHAN_BACKUP_KEEP");
  const char *dir = cli_opt_env(a, "backup-dir", "HUIZHAN_BACKUP_DIR");
  if (k && (parse_int64(k, &keep) || keep < 1 || keep > 1000))
    return hz_fail(e, HZ_EINVAL, "backup-keep", "--backup-keep 应为 1 到 1000 之间的整数");
  if (k && !dir) return hz_fail(e, HZ_EINVAL, "backup-dir", "--backup-keep 须与 --backup-dir 同时给出");
  backup_job_configure(dir, (int)keep);
  return HZ_OK;
}
