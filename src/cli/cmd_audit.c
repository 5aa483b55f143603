/* huizhan audit verify: walk the keyed hash chain of the audit log, check that certified
 * figures and published bulletins still read as the log recorded them, and (--against)
 * compare the log with the copy --audit-log kept outside the database.
 * huizhan audit rekey: key the chain of a database made before keyed audit, or rotate the
 * key of a keyed one. */
#include "cli/cli.h"
#include "domain/audit_file.h"
#include "domain/audit_key.h"
#include "domain/audit_log.h"
#include "domain/audit_records.h"
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int verify(const CliArgs *a, Db *db, HzErr *e) {
  unsigned char key[AUDIT_KEY_BYTES];
  int64_t count = 0, lines = 0;
  json_t *problems = NULL;
  int rc = cli_audit_key_read(a, cli_db_target(a), 0, key, NULL, e);
  if (!rc) rc = audit_key_bind(db, key, e);
  sodium_memzero(key, sizeof key);
  if (!rc) rc = audit_log_verify(db, &count, e);
  if (!rc) rc = audit_check_records(db, &problems, e);
  if (!rc && json_array_size(problems)) {
    size_t i;
    json_t *p;
    json_array_foreach(problems, i, p) if (i) fprintf(stderr, "  %s\n", json_string_value(p));
    rc = hz_fail(e, HZ_EIO, NULL, "%s", json_string_value(json_array_get(problems, 0)));
  }
  json_decref(problems);
  const char *against = cli_opt(a, "against");
  if (!rc && against) rc = audit_file_compare(db, against, &lines, e);
  if (rc) return rc;
  printf("ok\n");
  fprintf(stderr, "%lld entries verified", (long long)count);
  if (against) fprintf(stderr, ", the same %lld in %s", (long long)lines, against);
  fprintf(stderr, "\n");
  return HZ_OK;
}

/* A keyed chain: its key rotated (audit_key_rotate); the key file is replaced. */
static int rotate(Db *db, const char *path, HzErr *e) {
  int64_t from = 0;
  int rc = audit_key_rotate(db, &cli_actor, path, &from, e);
  if (rc) return rc;
  printf("ok: the audit chain's key was rotated: entries from %lld on are keyed with a new key; key file %s now holds "
         "it and the retired keys (copy it to every instance; the old file no longer verifies)\n",
         (long long)from, path);
  return HZ_OK;
}

static int rekey(const CliArgs *a, Db *db, HzErr *e) {
  char path[4096];
  int is_default = 0, created = 0, keyed = 0;
  unsigned char key[AUDIT_KEY_BYTES];
  int64_t from = 0;
  int rc = cli_audit_key_path(a, cli_db_target(a), path, sizeof path, &is_default, e);
  if (!rc) rc = audit_key_is_keyed(db, &keyed, e);
  if (!rc && keyed) return rotate(db, path, e);
  /* A key file that exists already belongs to a keyed chain: a chain that reads as
   * unkeyed beside it was tampered with, and keying it now would bless the tampering. */
  if (!rc && access(path, F_OK) == 0)
    rc = hz_fail(e, HZ_ECONFLICT, "audit-key",
                 "审计密钥文件 %s 已存在：rekey 只为启用密钥之前的数据库生成新密钥（用 --audit-key 指定新文件）", path);
  if (!rc) rc = audit_key_file_read(path, 1, key, &created, e);
  if (!rc && !created) rc = hz_fail(e, HZ_ECONFLICT, "audit-key", "审计密钥文件 %s 同时被别的进程创建", path);
  if (!rc) {
    rc = audit_key_upgrade(db, &cli_actor, key, &from, e);
    if (rc) unlink(path);
  }
  sodium_memzero(key, sizeof key);
  if (rc) return rc;
  printf("ok: the audit chain is keyed from entry %lld on; key file %s (keep it outside the database's backups, "
         "readable only by the service user)\n",
         (long long)from, path);
  return HZ_OK;
}

int cmd_audit(const CliArgs *a) {
  HzErr e = {0};
  int is_verify = a->npositional == 1 && !strcmp(a->positional[0], "verify");
  int is_rekey = a->npositional == 1 && !strcmp(a->positional[0], "rekey");
  if (!is_verify && !is_rekey) {
    fprintf(stderr, "huizhan: audit 需要子命令 verify 或 rekey（huizhan audit --help）\n");
    return 2;
  }
  if (is_rekey && cli_opt(a, "against")) {
    hz_fail(&e, HZ_EINVAL, "against", "--against 只用于 audit verify");
    return cli_fail(&e);
  }
  Db *db = NULL;
  int lock = -1;
  /* rekey changes the key the chain is written with: no server may write meanwhile */
  int rc = is_rekey ? db_file_lock(cli_db_target(a), 1, &lock, &e) : HZ_OK;
  if (!rc) rc = cli_open_db_unkeyed(a, &db, &e);
  if (rc) {
    db_file_unlock(lock);
    return cli_fail(&e); /* no database to check: not a broken log */
  }
  rc = is_verify ? verify(a, db, &e) : rekey(a, db, &e);
  db_close(db);
  db_file_unlock(lock);
  /* A key that cannot be read or a bad option is not a broken log. */
  if (rc && is_verify && e.rc != HZ_EINVAL && !json_object_get(e.fields, "audit-key")) {
    fprintf(stderr, "huizhan: audit log broken: %s\n", e.message);
    hz_err_clear(&e);
    return 1;
  }
  return rc ? cli_fail(&e) : 0;
}
