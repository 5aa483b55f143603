#include "domain/audit_file.h"
#include "store/audit_store.h"
#include "util/buf.h"
#include "util/log.h"
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

static struct {
  pthread_mutex_t mu;
  int fd;          /* -1 when no file is open */
  char path[4096];
  off_t size;      /* the size this process last saw; another writer changes it */
  int64_t last_id; /* the id of the file's last line (0 for an empty file) */
} lf = {PTHREAD_MUTEX_INITIALIZER, -1, "", 0, 0};

/* One entry as a line of the file: its columns exactly as stored. Malloc'd. */
static char *row_line(const AuditRow *r) {
  json_t *o = json_pack("{s:I s:s s:o s:s s:s s:I s:o s:o s:s s:s}", "id", (json_int_t)r->id, "at", r->at ? r->at : "",
                        "user_id", r->has_user ? json_integer(r->user_id) : json_null(), "action", r->action ? r->action : "",
                        "entity", r->entity ? r->entity : "", "entity_id", (json_int_t)r->entity_id, "before",
                        r->before ? json_string(r->before) : json_null(), "after", r->after ? json_string(r->after) : json_null(),
                        "prev_hash", r->prev_hash ? r->prev_hash : "", "hash", r->hash ? r->hash : "");
  char *s = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
  json_decref(o);
  return s;
}

/* The offset of the last '\n' before pos, or -1. */
static off_t newline_before(int fd, off_t pos) {
  char chunk[65536];
  while (pos > 0) {
    off_t from = pos > (off_t)sizeof chunk ? pos - (off_t)sizeof chunk : 0;
    ssize_t n = pread(fd, chunk, (size_t)(pos - from), from);
    if (n <= 0) return -1;
    for (ssize_t i = n - 1; i >= 0; i--)
      if (chunk[i] == '\n') return from + i;
    pos = from;
  }
  return -1;
}

/* Reads the file's last complete line (cutting a torn tail off) into lf.last_id, and
 * its hash into hash (when not NULL). Under the flock. */
static int read_tail(char *hash, size_t n, HzErr *e) {
  struct stat sb;
  if (hash && n) hash[0] = 0;
  if (fstat(lf.fd, &sb) != 0) return hz_fail(e, HZ_EIO, "audit-log", "无法读取审计日志文件 %s：%s", lf.path, strerror(errno));
  off_t size = sb.st_size, end = size ? newline_before(lf.fd, size) : -1;
  if (end + 1 != size) { /* a line a crash cut short: it is copied again from the database */
    if (ftruncate(lf.fd, end + 1) != 0)
      return hz_fail(e, HZ_EIO, "audit-log", "无法截去审计日志文件 %s 末尾不完整的一行：%s", lf.path, strerror(errno));
    log_warn("audit log %s: cut off an incomplete last line", lf.path);
    size = end + 1;
  }
  lf.size = size;
  lf.last_id = 0;
  if (!size) return HZ_OK;
  off_t start = newline_before(lf.fd, end) + 1;
  size_t len = (size_t)(end - start);
  char *line = malloc(len + 1);
  if (!line) return hz_fail(e, HZ_ENOMEM, NULL, "内存不足");
  int rc = pread(lf.fd, line, len, start) == (ssize_t)len ? HZ_OK : HZ_EIO;
  line[len] = 0;
  json_t *o = rc ? NULL : json_loads(line, 0, NULL);
  free(line);
  if (!json_is_integer(json_object_get(o, "id")))
    rc = hz_fail(e, HZ_EIO, "audit-log", "审计日志文件 %s 的最后一行无法读取", lf.path);
  else {
    lf.last_id = json_integer_value(json_object_get(o, "id"));
    if (hash && n) snprintf(hash, n, "%s", json_string_value(json_object_get(o, "hash")) ? json_string_value(json_object_get(o, "hash")) : "");
  }
  json_decref(o);
  return rc;
}

static int add_row(void *ctx, const AuditRow *r, HzErr *e) {
  char *line = row_line(r);
  if (!line) return hz_fail(e, HZ_ENOMEM, NULL, "内存不足");
  buf_puts(ctx, line);
  buf_puts(ctx, "\n");
  free(line);
  return HZ_OK;
}

/* Appends what the file lacks; lf.mu held. */
static int copy_missing(Db *db, HzErr *e) {
  if (flock(lf.fd, LOCK_EX) != 0) return hz_fail(e, HZ_EIO, "audit-log", "无法锁定审计日志文件 %s：%s", lf.path, strerror(errno));
  struct stat sb;
  int rc = fstat(lf.fd, &sb) == 0 ? HZ_OK : hz_fail(e, HZ_EIO, "audit-log", "无法读取审计日志文件 %s", lf.path);
  if (!rc && sb.st_size != lf.size) rc = read_tail(NULL, 0, e); /* another process wrote */
  Buf b;
  buf_init(&b, 0);
  if (!rc) rc = audit_store_each_row(db, lf.last_id, add_row, &b, e);
  if (!rc && b.len) {
    const char *p = b.data;
    size_t left = b.len;
    while (left) {
      ssize_t n = write(lf.fd, p, left);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      p += n;
      left -= (size_t)n;
    }
    if (left || fsync(lf.fd) != 0)
      rc = hz_fail(e, HZ_EIO, "audit-log", "无法写入审计日志文件 %s：%s", lf.path, strerror(errno));
    rc = rc ? rc : read_tail(NULL, 0, e);
  }
  buf_free(&b);
  flock(lf.fd, LOCK_UN);
  return rc;
}

int audit_file_sync(Db *db, HzErr *e) {
  pthread_mutex_lock(&lf.mu);
  int rc = lf.fd < 0 ? HZ_OK : copy_missing(db, e);
  pthread_mutex_unlock(&lf.mu);
  return rc;
}

static void on_commit(Db *db) {
  if (!audit_store_appended_take()) return;
  HzErr e = {0};
  /* The commit stands; a copy that fails is retried after the next commit (and at the
   * next start), and said in the log. */
  if (audit_file_sync(db, &e)) log_error("audit log %s: %s", lf.path, e.message);
  hz_err_clear(&e);
}

int audit_file_open(Db *db, const char *path, HzErr *e) {
  if (lf.fd >= 0 && !strcmp(lf.path, path)) return audit_file_sync(db, e); /* opened by an earlier connection */
  if (lf.fd >= 0) return hz_fail(e, HZ_EINVAL, "audit-log", "审计日志文件已打开（%s）", lf.path);
  if (snprintf(lf.path, sizeof lf.path, "%s", path) >= (int)sizeof lf.path)
    return hz_fail(e, HZ_EINVAL, "audit-log", "审计日志文件路径过长");
  lf.fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (lf.fd < 0) return hz_fail(e, HZ_EIO, "audit-log", "无法打开审计日志文件 %s：%s", path, strerror(errno));
  char hash[SHA256_HEX_LEN + 8];
  int rc = flock(lf.fd, LOCK_EX) == 0 ? read_tail(hash, sizeof hash, e) : hz_fail(e, HZ_EIO, "audit-log", "无法锁定 %s", path);
  if (!rc && lf.last_id) {
    json_t *entry = NULL;
    int got = audit_store_get(db, lf.last_id, &entry, e);
    const char *db_hash = json_string_value(json_object_get(entry, "hash"));
    if (got == HZ_ENOTFOUND || (!got && (!db_hash || strcmp(db_hash, hash)))) {
      hz_err_clear(e);
      rc = hz_fail(e, HZ_EIO, "audit-log",
                   "审计日志文件 %s 与数据库不符（第 %lld 条%s）：请运行 huizhan audit verify --against %s", path,
                   (long long)lf.last_id, got == HZ_ENOTFOUND ? "在数据库中已不存在" : "不同", path);
    } else rc = got;
    json_decref(entry);
  }
  flock(lf.fd, LOCK_UN);
  if (!rc) {
    pthread_mutex_lock(&lf.mu);
    rc = copy_missing(db, e);
    pthread_mutex_unlock(&lf.mu);
  }
  if (rc) {
    close(lf.fd);
    lf.fd = -1;
    return rc;
  }
  db_set_commit_hook(on_commit);
  return HZ_OK;
}

void audit_file_close(void) {
  db_set_commit_hook(NULL);
  if (lf.fd >= 0) close(lf.fd);
  lf.fd = -1;
}

/* ---- audit verify --against ---- */

typedef struct {
  FILE *f;
  const char *path;
  char *line;
  size_t cap;
  int64_t count;
} Against;

static int text_same(json_t *v, const char *s) {
  if (!s) return json_is_null(v);
  return json_is_string(v) && !strcmp(json_string_value(v), s);
}

static int compare_row(void *ctx, const AuditRow *r, HzErr *e) {
  Against *a = ctx;
  if (getline(&a->line, &a->cap, a->f) < 0)
    return hz_fail(e, HZ_EIO, NULL, "entry %lld: in the database but not in the audit log file (the file ends at entry %lld)",
                   (long long)r->id, (long long)a->count);
  json_t *o = json_loads(a->line, 0, NULL);
  const char *field = NULL;
  if (!o) field = "the whole line (not JSON)";
  else if (json_integer_value(json_object_get(o, "id")) != r->id) field = "id";
  else if (!text_same(json_object_get(o, "at"), r->at)) field = "at";
  else if (r->has_user ? json_integer_value(json_object_get(o, "user_id")) != r->user_id || !json_is_integer(json_object_get(o, "user_id"))
                       : !json_is_null(json_object_get(o, "user_id")))
    field = "user_id";
  else if (!text_same(json_object_get(o, "action"), r->action)) field = "action";
  else if (!text_same(json_object_get(o, "entity"), r->entity)) field = "entity";
  else if (json_integer_value(json_object_get(o, "entity_id")) != r->entity_id) field = "entity_id";
  else if (!text_same(json_object_get(o, "before"), r->before)) field = "before";
  else if (!text_same(json_object_get(o, "after"), r->after)) field = "after";
  else if (!text_same(json_object_get(o, "prev_hash"), r->prev_hash)) field = "prev_hash";
  else if (!text_same(json_object_get(o, "hash"), r->hash)) field = "hash";
  int rc = HZ_OK;
  if (field) {
    json_int_t fid = json_integer_value(json_object_get(o, "id"));
    if (o && fid != r->id)
      rc = hz_fail(e, HZ_EIO, NULL, "entry %lld: the audit log file has entry %lld where the database has entry %lld "
                   "(entries were deleted or inserted)", (long long)(fid < r->id ? fid : r->id), (long long)fid, (long long)r->id);
    else
      rc = hz_fail(e, HZ_EIO, NULL, "entry %lld: %s differs between the database and the audit log file %s", (long long)r->id,
                   field, a->path);
  }
  json_decref(o);
  if (!rc) a->count++;
  return rc;
}

int audit_file_compare(Db *db, const char *path, int64_t *count, HzErr *e) {
  *count = 0;
  Against a = {.f = fopen(path, "r"), .path = path};
  if (!a.f) return hz_fail(e, HZ_ENOTFOUND, "against", "无法打开审计日志文件 %s：%s", path, strerror(errno));
  int rc = audit_store_each_row(db, 0, compare_row, &a, e);
  if (!rc && getline(&a.line, &a.cap, a.f) >= 0) {
    json_t *o = json_loads(a.line, 0, NULL);
    rc = hz_fail(e, HZ_EIO, NULL, "entry %lld: in the audit log file but not in the database (deleted from the database)",
                 (long long)(o ? json_integer_value(json_object_get(o, "id")) : a.count + 1));
    json_decref(o);
  }
  free(a.line);
  fclose(a.f);
  *count = a.count;
  return rc;
}
