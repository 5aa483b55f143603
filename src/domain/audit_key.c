#include "domain/audit_key.h"
#include "domain/audit_records.h"
#include "store/audit_store.h"
#include "store/meta_store.h"
#include "util/buf.h"
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

/* The key file's text into buf (NUL-terminated), checked to be a regular file of its
 * owner's alone. */
static int key_file_text(const char *path, char *buf, size_t size, HzErr *e) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0 && errno == ENOENT) return hz_fail(e, HZ_ENOTFOUND, "audit-key", "审计密钥文件 %s 不存在", path);
  if (fd < 0) return hz_fail(e, HZ_EINVAL, "audit-key", "无法读取审计密钥文件 %s：%s", path, strerror(errno));
  struct stat sb;
  ssize_t n = 0;
  int rc = HZ_OK;
  if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode))
    rc = hz_fail(e, HZ_EINVAL, "audit-key", "审计密钥 %s 不是普通文件", path);
  else if (sb.st_mode & 077)
    rc = hz_fail(e, HZ_EINVAL, "audit-key", "审计密钥文件 %s 的权限过宽（%03o）：只应由服务用户读取，请 chmod 600", path,
                 (unsigned)(sb.st_mode & 0777));
  else if ((n = read(fd, buf, size - 1)) < 0 || (size_t)n == size - 1)
    rc = hz_fail(e, HZ_EINVAL, "audit-key", "无法读取审计密钥文件 %s（过长或读取出错）", path);
  close(fd);
  buf[rc ? 0 : n] = 0;
  return rc;
}

/* A line of the key file (len bytes at p, trailing blanks dropped): 64 hex digits into key,
 * then, when from is not NULL, a space and the first entry id >= 1 into *from. 0 when it
 * is not that. */
static int key_line(const char *p, size_t len, unsigned char key[AUDIT_KEY_BYTES], int64_t *from) {
  while (len && (p[len - 1] == ' ' || p[len - 1] == '\r')) len--;
  size_t got = 0;
  if (len < KEY_HEX || strspn(p, "0123456789abcdefABCDEF") < KEY_HEX ||
      sodium_hex2bin(key, AUDIT_KEY_BYTES, p, KEY_HEX, NULL, &got, NULL) != 0 || got != AUDIT_KEY_BYTES)
    return 0;
  if (!from) return len == KEY_HEX;
  char num[24];
  size_t n = len - KEY_HEX - 1;
  if (len <= KEY_HEX + 1 || p[KEY_HEX] != ' ' || n >= sizeof num || strspn(p + KEY_HEX + 1, "0123456789") != n) return 0;
  memcpy(num, p + KEY_HEX + 1, n);
  num[n] = 0;
  *from = strtoll(num, NULL, 10);
  return *from >= 1;
}

#define KEY_FILE_MAX (AUDIT_RETIRED_MAX * (KEY_HEX + 24) + KEY_HEX + 8)

/* The key ring in text: line 1 the current key, each later line "KEY FROM" a retired key
 * (registered with audit_key_retire); blank lines are skipped. */
static int key_ring_parse(const char *path, const char *text, unsigned char key[AUDIT_KEY_BYTES], HzErr *e) {
  unsigned char old[AUDIT_KEY_BYTES];
  size_t len = strcspn(text, "\n");
  int ok = key_line(text, len, key, NULL);
  audit_key_retired_clear();
  for (const char *p = text + len; ok && *p; p += len) {
    p++; /* the '\n' */
    len = strcspn(p, "\n");
    int64_t from = 0;
    if (strspn(p, " \r") < len)
      ok = key_line(p, len, old, &from) && audit_key_retire(old, from) == 0;
  }
  sodium_memzero(old, sizeof old);
  if (ok) return HZ_OK;
  audit_key_retired_clear();
  return hz_fail(e, HZ_EINVAL, "audit-key",
                 "审计密钥文件 %s 格式不对（第一行应为 64 位十六进制数；其后每行为一把停用的密钥及其起始条目号）", path);
}

int audit_key_file_read(const char *path, int create, unsigned char key[AUDIT_KEY_BYTES], int *created, HzErr *e) {
  if (created) *created = 0;
  if (create && access(path, F_OK) != 0) {
    int rc = key_file_make(path, e);
    if (rc) return rc;
    if (created) *created = 1;
  }
  char buf[KEY_FILE_MAX];
  int rc = key_file_text(path, buf, sizeof buf, e);
  if (!rc) rc = key_ring_parse(path, buf, key, e);
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

int audit_key_is_keyed(Db *db, int *keyed, HzErr *e) {
  KeyState s;
  int rc = key_state(db, &s, e);
  *keyed = !rc && s.id[0];
  return rc;
}

/* fsync of the folder that holds path, so that a name made or renamed there stays. */
static int dir_sync(const char *path) {
  char dir[4096];
  snprintf(dir, sizeof dir, "%s", path);
  char *slash = strrchr(dir, '/');
  if (slash) slash == dir ? (void)(slash[1] = 0) : (void)(*slash = 0);
  int fd = open(slash ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  int ok = fd >= 0 && fsync(fd) == 0;
  if (fd >= 0) close(fd);
  return ok ? 0 : -1;
}

/* The new ring, complete and synced under a temporary name beside path (into tmp): the new
 * key, then the key retired now with its first entry, then the ring's older retired lines. */
static int ring_write(const char *path, const unsigned char key[AUDIT_KEY_BYTES], const char *old_ring, int64_t old_from,
                      char *tmp, size_t tmp_n, HzErr *e) {
  if (snprintf(tmp, tmp_n, "%s.tmp-XXXXXX", path) >= (int)tmp_n)
    return hz_fail(e, HZ_EINVAL, "audit-key", "审计密钥文件路径过长");
  int fd = mkstemp(tmp); /* mode 0600 */
  if (fd < 0) return hz_fail(e, HZ_EIO, "audit-key", "无法创建审计密钥文件 %s：%s", tmp, strerror(errno));
  Buf b;
  buf_init(&b, 0);
  char hex[KEY_HEX + 1];
  sodium_bin2hex(hex, sizeof hex, key, AUDIT_KEY_BYTES);
  size_t first = strcspn(old_ring, "\n"); /* line 1 begins with the key (key_line) */
  buf_printf(&b, "%s\n%.*s %lld\n", hex, KEY_HEX, old_ring, (long long)old_from);
  const char *rest = old_ring + first + strspn(old_ring + first, "\r\n");
  if (*rest) buf_printf(&b, "%s%s", rest, rest[strlen(rest) - 1] == '\n' ? "" : "\n");
  int ok = fchmod(fd, 0600) == 0 && write(fd, b.data, b.len) == (ssize_t)b.len && fsync(fd) == 0;
  sodium_memzero(hex, sizeof hex);
  sodium_memzero(b.data, b.len);
  buf_free(&b);
  ok = close(fd) == 0 && ok && dir_sync(path) == 0;
  if (ok) return HZ_OK;
  int err = errno;
  unlink(tmp);
  return hz_fail(e, HZ_EIO, "audit-key", "无法写入审计密钥文件 %s：%s", tmp, strerror(err));
}

int audit_key_rotate(Db *db, const Actor *a, const char *path, int64_t *keyed_from, HzErr *e) {
  unsigned char old[AUDIT_KEY_BYTES], key[AUDIT_KEY_BYTES];
  char ring[KEY_FILE_MAX], tmp[4200] = "";
  json_t *problems = NULL;
  KeyState s;
  int64_t n = 0;
  *keyed_from = 0;
  int rc = key_file_text(path, ring, sizeof ring, e);
  if (!rc) rc = key_ring_parse(path, ring, old, e);
  if (!rc) rc = audit_key_bind(db, old, e);
  if (!rc) rc = key_state(db, &s, e);
  /* The whole chain and the records first: a new key must not bless a tampered past. */
  if (!rc) rc = audit_store_verify(db, &n, e);
  if (!rc) rc = audit_check_records(db, &problems, e);
  if (!rc && json_array_size(problems))
    rc = hz_fail(e, HZ_EIO, NULL, "%s", json_string_value(json_array_get(problems, 0)));
  json_decref(problems);
  randombytes_buf(key, sizeof key);
  if (!rc) rc = ring_write(path, key, ring, s.from, tmp, sizeof tmp, e);
  int64_t from = s.count + 1;
  int began = !rc && !(rc = db_begin(db, e));
  if (!rc) rc = key_record(db, key, from, e);
  if (!rc && audit_key_retire(old, s.from) != 0)
    rc = hz_fail(e, HZ_EINVAL, "audit-key", "审计密钥文件 %s 中停用的密钥已达 %d 把上限", path, AUDIT_RETIRED_MAX);
  if (!rc) {
    audit_key_set(key, from);
    json_t *after = json_pack("{s:I s:s}", "rotated_from", (json_int_t)from, "previous_key_id", s.id);
    rc = audit_store_append(db, a, "audit_key", "audit", 0, NULL, after, e);
    json_decref(after);
  }
  if (!rc) rc = db_commit(db, e);
  if (rc && began) db_rollback(db);
  if (rc && tmp[0]) {
    unlink(tmp);
    HzErr ignore = {0}; /* the process's keys back as they were */
    if (!key_ring_parse(path, ring, old, &ignore)) audit_key_set(old, s.from);
    hz_err_clear(&ignore);
  }
  /* Committed: the database now wants the new ring, which replaces the old file. */
  if (!rc && (rename(tmp, path) != 0 || dir_sync(path) != 0))
    rc = hz_fail(e, HZ_EIO, "audit-key", "审计密钥已更换，但新的密钥文件 %s 无法改名为 %s（%s）：请手动改名，旧文件已不能用于校验",
                 tmp, path, strerror(errno));
  sodium_memzero(old, sizeof old);
  sodium_memzero(key, sizeof key);
  sodium_memzero(ring, sizeof ring);
  if (!rc) *keyed_from = from;
  return rc;
}

int audit_key_file_copy(const char *from, const char *to, HzErr *e) {
  char text[KEY_FILE_MAX];
  int rc = key_file_text(from, text, sizeof text, e);
  if (rc) return rc;
  size_t n = strlen(text);
  int fd = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) rc = hz_fail(e, HZ_EIO, "audit-key", "无法创建审计密钥文件 %s：%s", to, strerror(errno));
  int ok = !rc && write(fd, text, n) == (ssize_t)n && fsync(fd) == 0;
  if (fd >= 0) ok = close(fd) == 0 && ok;
  if (!rc && !ok) {
    unlink(to);
    rc = hz_fail(e, HZ_EIO, "audit-key", "无法写入审计密钥文件 %s", to);
  }
  sodium_memzero(text, sizeof text);
  return rc;
}
