#include "domain/audit_key.h"
#include "domain/audit_records.h"
#include "store/audit_store.h"
#include "store/meta_store.h"
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define KEY_HEX (AUDIT_KEY_BYTES * 2)

/* A new key file: 32 random bytes as hex, made complete under a temporary name and
 * linked to path only then (link refuses an existing path: the first maker wins). */
static int key_file_make(const char *path, HzErr *e) {
  unsigned char key[AUDIT_KEY_BYTES];
  char hex[KEY_HEX + 2], tmp[4096];
  if (snprintf(tmp, sizeof tmp, "%s.tmp-XXXXXX", path) >= (int)sizeof tmp)
    return hz_fail(e, HZ_EINVAL, "audit-key", "审计密钥文件路径过长");
  int fd = mkstemp(tmp); /* mode 0600 */
  if (fd < 0) return hz_fail(e, HZ_EIO, "audit-key", "无法创建审计密钥文件 %s：%s", path, strerror(errno));
  randombytes_buf(key, sizeof key);
  sodium_bin2hex(hex, sizeof hex, key, sizeof key);
  sodium_memzero(key, sizeof key);
  hex[KEY_HEX] = '\n';
  int ok = fchmod(fd, 0600) == 0 && write(fd, hex, KEY_HEX + 1) == KEY_HEX + 1 && fsync(fd) == 0;
  sodium_memzero(hex, sizeof hex);
  ok = close(fd) == 0 && ok;
  int rc = HZ_OK;
  if (!ok) rc = hz_fail(e, HZ_EIO, "audit-key", "无法写入审计密钥文件 %s：%s", path, strerror(errno));
  else if (link(tmp, path) != 0 && errno != EEXIST)
    rc = hz_fail(e, HZ_EIO, "audit-key", "无法创建审计密钥文件 %s：%s", path, strerror(errno));
  unlink(tmp);
  return rc;
}

int audit_key_file_read(const char *path, int create, unsigned char key[AUDIT_KEY_BYTES], int *created, HzErr *e) {
  if (created) *created = 0;
  if (create && access(path, F_OK) != 0) {
    int rc = key_file_make(path, e);
    if (rc) return rc;
    if (created) *created = 1;
  }
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0 && errno == ENOENT) return hz_fail(e, HZ_ENOTFOUND, "audit-key", "审计密钥文件 %s 不存在", path);
  if (fd < 0) return hz_fail(e, HZ_EINVAL, "audit-key", "无法读取审计密钥文件 %s：%s", path, strerror(errno));
  struct stat sb;
  char buf[KEY_HEX + 8];
  ssize_t n = 0;
  int rc = HZ_OK;
  if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode))
    rc = hz_fail(e, HZ_EINVAL, "audit-key", "审计密钥 %s 不是普通文件", path);
  else if (sb.st_mode & 077)
    rc = hz_fail(e, HZ_EINVAL, "audit-key", "审计密钥文件 %s 的权限过宽（%03o）：只应由服务用户读取，请 chmod 600", path,
                 (unsigned)(sb.st_mode & 0777));
  else n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (rc) return rc;
  while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r' || buf[n - 1] == ' ')) n--;
  size_t got = 0;
  if (n != KEY_HEX || sodium_hex2bin(key, AUDIT_KEY_BYTES, buf, KEY_HEX, NULL, &got, NULL) != 0 || got != AUDIT_KEY_BYTES)
    rc = hz_fail(e, HZ_EINVAL, "audit-key", "审计密钥文件 %s 格式不对（应为 64 位十六进制数）", path);
  sodium_memzero(buf, sizeof buf);
  return rc;
}

void audit_key_fingerprint(const unsigned char key[AUDIT_KEY_BYTES], int64_t keyed_from, char out[AUDIT_KEY_ID_LEN]) {
  char msg[64];
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  int n = snprintf(msg, sizeof msg, "huizhan audit key, keyed from %lld", (long long)keyed_from);
  crypto_auth_hmacsha256(mac, (const unsigned char *)msg, (unsigned long long)n, key);
  sodium_bin2hex(out, AUDIT_KEY_ID_LEN, mac, (AUDIT_KEY_ID_LEN - 1) / 2);
}

/* The chain's key record: its fingerprint ("" when unkeyed), the keyed-from point, the
 * number of entries and whether any account exists. */
typedef struct {
  char id[AUDIT_KEY_ID_LEN + 8];
  int64_t from, count, accounts;
} KeyState;

static int key_state(Db *db, KeyState *s, HzErr *e) {
  char from[32], head[SHA256_HEX_LEN];
  int rc = meta_store_get(db, "audit_key_id", s->id, sizeof s->id, e);
  if (!rc) rc = meta_store_get(db, "audit_keyed_from", from, sizeof from, e);
  if (!rc) rc = audit_store_head(db, head, &s->count, e);
  if (!rc) rc = audit_store_accounts(db, &s->accounts, e);
  s->from = strtoll(from, NULL, 10);
  return rc;
}

/* Records key as db's from keyed_from on (inside the caller's transaction). */
static int key_record(Db *db, const unsigned char key[AUDIT_KEY_BYTES], int64_t keyed_from, HzErr *e) {
  char id[AUDIT_KEY_ID_LEN], from[32];
  audit_key_fingerprint(key, keyed_from, id);
  snprintf(from, sizeof from, "%lld", (long long)keyed_from);
  int rc = meta_store_put(db, "audit_key_id", id, e);
  if (!rc) rc = meta_store_put(db, "audit_keyed_from", from, e);
  /* the seal's row, which every append then updates with head and count */
  if (!rc) rc = meta_store_put(db, "audit_seal", "", e);
  return rc;
}

int audit_key_bind(Db *db, const unsigned char key[AUDIT_KEY_BYTES], HzErr *e) {
  KeyState s;
  int rc = key_state(db, &s, e);
  if (rc) return rc;
  if (!s.id[0] && !s.count && !s.accounts) {
    /* A new database: keyed from its first entry on. */
    audit_key_set(key, 1);
    rc = db_begin(db, e);
    if (!rc) rc = key_record(db, key, 1, e);
    if (!rc) rc = audit_store_seal(db, 0, "", e);
    if (!rc) rc = db_commit(db, e);
    if (rc) {
      db_rollback(db);
      audit_key_set(NULL, 1);
    }
    return rc;
  }
  if (!s.id[0])
    return hz_fail(e, HZ_EIO, NULL,
                   "审计链没有使用密钥：这是启用密钥之前的数据库，请先运行 huizhan audit rekey 升级（若该库此前已使用密钥，"
                   "说明密钥记录被删除，数据库遭到篡改）");
  char want[AUDIT_KEY_ID_LEN];
  audit_key_fingerprint(key, s.from, want);
  if (s.from < 1 || strcmp(want, s.id))
    return hz_fail(e, HZ_EIO, NULL,
                   "审计密钥与数据库不符：数据库的审计链使用另一把密钥（或其密钥记录被改动），请检查 --audit-key");
  audit_key_set(key, s.from);
  return HZ_OK;
}

int audit_key_upgrade(Db *db, const Actor *a, const unsigned char key[AUDIT_KEY_BYTES], int64_t *keyed_from, HzErr *e) {
  KeyState s;
  json_t *problems = NULL;
  int64_t n = 0;
  *keyed_from = 0;
  int rc = key_state(db, &s, e);
  if (!rc && s.id[0]) rc = hz_fail(e, HZ_ECONFLICT, NULL, "审计链已使用密钥（自第 %lld 条起），无需升级", (long long)s.from);
  if (rc) return rc;
  audit_key_set(NULL, 1); /* the old chain is plain SHA-256 */
  rc = audit_store_verify(db, &n, e);
  if (!rc) rc = audit_check_records(db, &problems, e);
  if (!rc && json_array_size(problems))
    rc = hz_fail(e, HZ_EIO, NULL, "%s", json_string_value(json_array_get(problems, 0)));
  json_decref(problems);
  if (rc) return rc;
  int64_t from = s.count + 1;
  rc = db_begin(db, e);
  if (!rc) rc = key_record(db, key, from, e);
  if (!rc) {
    audit_key_set(key, from);
    json_t *after = json_pack("{s:I}", "keyed_from", (json_int_t)from);
    rc = audit_store_append(db, a, "audit_key", "audit", 0, NULL, after, e);
    json_decref(after);
  }
  if (!rc) rc = db_commit(db, e);
  if (rc) {
    db_rollback(db);
    audit_key_set(NULL, 1);
    return rc;
  }
  *keyed_from = from;
  return HZ_OK;
}
