#include "domain/backup.h"
#include "domain/audit_key.h"
#include "domain/audit_log.h"
#include "domain/audit_records.h"
#include "domain/figures.h"
#include "store/audit_store.h"
#include "util/timeutil.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int backup_verify(Db *db, int64_t *audit_entries, HzErr *e) {
  json_t *problems = NULL, *diffs = NULL;
  int64_t count = 0;
  int rc = db_integrity_check(db, e);
  if (!rc) rc = audit_log_verify(db, &count, e);
  if (!rc) rc = audit_check_records(db, &problems, e);
  if (!rc && json_array_size(problems))
    rc = hz_fail(e, HZ_EIO, NULL, "审计校验失败：%s", json_string_value(json_array_get(problems, 0)));
  if (!rc) rc = figures_check(db, &diffs, e);
  if (!rc && json_array_size(diffs))
    rc = hz_fail(e, HZ_EIO, NULL, "统计数字与原始记录不符（%zu 处），第一处：%s", json_array_size(diffs),
                 json_string_value(json_array_get(diffs, 0)));
  if (audit_entries) *audit_entries = count;
  json_decref(problems);
  json_decref(diffs);
  return rc;
}

/* A SQLite database file and the files SQLite keeps beside it. */
static void remove_db_files(const char *path) {
  static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
  char p[4200];
  for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
    snprintf(p, sizeof p, "%s%s", path, suffix[i]);
    unlink(p);
  }
}

/* fsync of the folder holding path, so that a rename in it survives a power cut. */
static void sync_dir_of(const char *path) {
  char copy[4096];
  snprintf(copy, sizeof copy, "%s", path);
  int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    fsync(fd);
    close(fd);
  }
}

static int64_t file_size(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 ? (int64_t)st.st_size : 0;
}

/* path joined with suffix into out (n bytes); HZ_EINVAL naming field when it does not fit. */
static int path_with(char *out, size_t n, const char *path, const char *suffix, const char *field, HzErr *e) {
  if ((size_t)snprintf(out, n, "%s%s", path, suffix) >= n) return hz_fail(e, HZ_EINVAL, field, "路径过长：%s", path);
  return HZ_OK;
}

/* Copies from (an open database) to the new file tmp and checks the copy; tmp is removed
 * when anything fails. failed: how a failed check is reported (the reason follows). */
static int copy_checked(Db *from, const char *tmp, const char *failed, const unsigned char *key, BackupInfo *info, HzErr *e) {
  remove_db_files(tmp); /* what a copy cut off earlier left */
  double t0 = time_monotonic();
  int rc = db_backup_to(from, tmp, e);
  info->copy_seconds = time_monotonic() - t0;
  if (rc) {
    remove_db_files(tmp);
    return rc;
  }
  Db *copy = NULL;
  rc = db_open(tmp, 0, &copy, e);
  if (!rc) rc = db_migrate(copy, e); /* an older backup being restored comes up to date */
  if (!rc && key) rc = audit_key_bind(copy, key, e);
  if (!rc) rc = backup_verify(copy, &info->audit_entries, e);
  db_close(copy); /* the last connection folds the WAL into the file */
  if (rc) {
    char why[sizeof e->message];
    snprintf(why, sizeof why, "%s", e->message);
    remove_db_files(tmp);
    return hz_fail(e, HZ_EIO, NULL, "%s：%s", failed, why);
  }
  info->bytes = file_size(tmp);
  return HZ_OK;
}

int backup_make(const char *target, const char *to, const unsigned char *key, BackupInfo *info, HzErr *e) {
  memset(info, 0, sizeof *info);
  double t0 = time_monotonic();
  char shown[512], tmp[4200];
  db_target_display(target, shown, sizeof shown);
  if (db_target_is_server(target))
    return hz_fail(e, HZ_EINVAL, "db",
                   "PostgreSQL 数据库请用 pg_dump 备份（服务运行中也能得到一致的副本）：pg_dump -Fc -f %s '%s'"
                   "（密码请放在 ~/.pgpass 或环境变量 PGPASSWORD 中）",
                   to ? to : "FILE.dump", shown);
  if (!to || !*to) return hz_fail(e, HZ_EINVAL, "to", "缺少 --to FILE（备份文件）");
  if (access(to, F_OK) == 0) return hz_fail(e, HZ_ECONFLICT, "to", "%s 已存在；备份只写入新文件", to);
  if (access(target, F_OK) != 0) return hz_fail(e, HZ_ENOTFOUND, "db", "数据库 %s 不存在", target);
  int rc = path_with(tmp, sizeof tmp, to, ".partial", "to", e);
  Db *from = NULL;
  if (!rc) rc = db_open(target, 0, &from, e);
  if (!rc) rc = copy_checked(from, tmp, "备份副本未通过检查，已删除", key, info, e);
  db_close(from);
  if (!rc && rename(tmp, to) != 0) {
    rc = hz_fail(e, HZ_EIO, "to", "无法把备份改名为 %s：%s", to, strerror(errno));
    remove_db_files(tmp);
  }
  if (!rc) sync_dir_of(to);
  info->seconds = time_monotonic() - t0;
  return rc;
}

/* "YYYYMMDD-HHMMSS", the real time in the campaign zone (UTC+8). */
static void stamp_now(char out[16]) {
  time_t t = (time_t)(time_real_unix() + 8 * 3600);
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(out, 16, "%Y%m%d-%H%M%S", &tm);
}

/* The database target is replaced: its WAL folded in (by opening and closing it), then it
 * and whatever SQLite files are still beside it renamed to kept. */
static int set_aside(const char *target, const char *kept, HzErr *e) {
  Db *old = NULL;
  HzErr ignored = {0};
  if (db_open(target, 0, &old, &ignored) == HZ_OK) db_close(old);
  hz_err_clear(&ignored);
  if (rename(target, kept) != 0) return hz_fail(e, HZ_EIO, "db", "无法把 %s 改名为 %s：%s", target, kept, strerror(errno));
  static const char *const side[] = {"-wal", "-shm"};
  for (size_t i = 0; i < 2; i++) {
    char from[4200], to[4200];
    snprintf(from, sizeof from, "%s%s", target, side[i]);
    snprintf(to, sizeof to, "%s%s", kept, side[i]);
    if (access(from, F_OK) == 0 && rename(from, to) != 0)
      return hz_fail(e, HZ_EIO, "db", "无法把 %s 改名为 %s：%s", from, to, strerror(errno));
  }
  return HZ_OK;
}

int backup_restore(const char *file, const char *target, const unsigned char *key, char *kept, size_t n, BackupInfo *info,
                   HzErr *e) {
  memset(info, 0, sizeof *info);
  kept[0] = 0;
  double t0 = time_monotonic();
  char shown[512], tmp[4200], real_file[4096], real_target[4096];
  db_target_display(target, shown, sizeof shown);
  if (db_target_is_server(target))
    return hz_fail(e, HZ_EINVAL, "db",
                   "PostgreSQL 数据库请用 pg_restore 恢复：先停止 huizhan serve，由数据库管理员新建空库，"
                   "再执行 pg_restore --no-owner -d '%s' %s",
                   shown, file ? file : "FILE.dump");
  if (!file || access(file, R_OK) != 0) return hz_fail(e, HZ_ENOTFOUND, "file", "无法读取备份文件 %s", file ? file : "");
  if (realpath(file, real_file) && realpath(target, real_target) && !strcmp(real_file, real_target))
    return hz_fail(e, HZ_EINVAL, "file", "备份文件就是 --db 本身");
  int lock = -1;
  int rc = path_with(tmp, sizeof tmp, target, ".restoring", "db", e);
  if (!rc) rc = db_file_lock(target, 1, &lock, e);
  Db *from = NULL;
  if (!rc) rc = db_open(file, 0, &from, e);
  if (!rc) rc = copy_checked(from, tmp, "备份文件未通过检查，数据库未作任何改动", key, info, e);
  db_close(from);
  int exists = access(target, F_OK) == 0;
  if (!rc && exists) {
    char stamp[16];
    stamp_now(stamp);
    if ((size_t)snprintf(kept, n, "%s.replaced-%s", target, stamp) >= n) rc = hz_fail(e, HZ_EINVAL, "db", "路径过长");
    else if (access(kept, F_OK) == 0) rc = hz_fail(e, HZ_ECONFLICT, "db", "%s 已存在，请一秒后再试", kept);
    else rc = set_aside(target, kept, e);
    if (rc) kept[0] = 0;
  }
  if (!rc && rename(tmp, target) != 0) rc = hz_fail(e, HZ_EIO, "db", "无法把恢复的数据库改名为 %s：%s", target, strerror(errno));
  if (rc) remove_db_files(tmp);
  else sync_dir_of(target);
  db_file_unlock(lock);
  info->seconds = time_monotonic() - t0;
  return rc;
}

/* ---- the scheduler's job ---- */

static char *g_dir;
static int g_keep = 7;

void backup_job_configure(const char *dir, int keep) {
  free(g_dir);
  g_dir = dir && *dir ? strdup(dir) : NULL;
  g_keep = keep > 0 ? keep : 7;
}

int backup_job_configured(void) { return g_dir != NULL; }

/* The file name's stem: the database file's name without its ".db". */
static void stem_of(const char *path, char *out, size_t n) {
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  size_t len = strlen(base);
  if (len > 3 && !strcmp(base + len - 3, ".db")) len -= 3;
  snprintf(out, n, "%.*s", (int)(len < n ? len : n - 1), base);
}

/* Whether name is STEM-YYYYMMDD-HHMMSS.db: a copy this job made (nothing else is removed). */
static int is_dated_copy(const char *name, const char *stem) {
  size_t s = strlen(stem);
  if (strncmp(name, stem, s) || strlen(name) != s + 19 || name[s] != '-' || name[s + 9] != '-' ||
      strcmp(name + s + 16, ".db"))
    return 0;
  for (size_t i = s + 1; i < s + 16; i++)
    if (i != s + 9 && (name[i] < '0' || name[i] > '9')) return 0;
  return 1;
}

static int cmp_names(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Removes the oldest dated copies of stem in dir beyond the newest keep; their names go to removed. */
static int rotate(const char *dir, const char *stem, int keep, json_t *removed, HzErr *e) {
  DIR *d = opendir(dir);
  if (!d) return hz_fail(e, HZ_EIO, "backup-dir", "无法读取备份目录 %s：%s", dir, strerror(errno));
  char **names = NULL;
  size_t count = 0, cap = 0;
  int rc = HZ_OK;
  for (struct dirent *de; !rc && (de = readdir(d));) {
    if (!is_dated_copy(de->d_name, stem)) continue;
    if (count == cap) {
      cap = cap ? cap * 2 : 16;
      char **grown = realloc(names, cap * sizeof *names);
      if (!grown) rc = hz_fail(e, HZ_ENOMEM, NULL, "内存不足");
      else names = grown;
    }
    if (!rc && !(names[count] = strdup(de->d_name))) rc = hz_fail(e, HZ_ENOMEM, NULL, "内存不足");
    if (!rc) count++;
  }
  closedir(d);
  if (count) qsort(names, count, sizeof *names, cmp_names); /* dated names sort oldest first */
  for (size_t i = 0; !rc && count > (size_t)keep && i < count - (size_t)keep; i++) {
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, names[i]);
    if (unlink(path) != 0) rc = hz_fail(e, HZ_EIO, "backup-dir", "无法删除旧备份 %s：%s", path, strerror(errno));
    else json_array_append_new(removed, json_string(names[i]));
  }
  for (size_t i = 0; i < count; i++) free(names[i]);
  free(names);
  return rc;
}

int backup_job_run(Db *db, const Actor *a, json_t **out, HzErr *e) {
  *out = NULL;
  const char *target = db_path(db);
  if (db_target_is_server(target)) return backup_make(target, NULL, NULL, &(BackupInfo){0}, e);
  if (!g_dir) return hz_fail(e, HZ_EINVAL, "backup-dir", "未配置备份目录：用 --backup-dir DIR 启动 huizhan serve（或 huizhan job backup）");
  struct stat st;
  if (stat(g_dir, &st) != 0 || !S_ISDIR(st.st_mode))
    return hz_fail(e, HZ_EINVAL, "backup-dir", "备份目录 %s 不存在", g_dir);
  char stem[256], stamp[16], file[4200];
  stem_of(target, stem, sizeof stem);
  stamp_now(stamp);
  snprintf(file, sizeof file, "%s/%s-%s.db", g_dir, stem, stamp);
  BackupInfo info;
  json_t *removed = json_array();
  int rc = backup_make(target, file, NULL, &info, e); /* the process's key, bound by serve */
  if (!rc) rc = rotate(g_dir, stem, g_keep, removed, e);
  json_t *after = NULL;
  if (!rc) {
    after = json_pack("{s:s s:s s:I s:I s:i s:O}", "job", "backup", "file", file, "bytes", (json_int_t)info.bytes,
                      "audit_entries", (json_int_t)info.audit_entries, "keep", g_keep, "removed", removed);
    rc = db_begin(db, e);
    if (!rc) rc = audit_store_append(db, a, "backup", "jobs", 0, NULL, after, e);
    if (!rc) rc = db_commit(db, e);
    if (rc) db_rollback(db);
  }
  if (!rc) {
    json_object_set_new(after, "seconds", json_real(info.seconds));
    *out = after;
  } else json_decref(after);
  json_decref(removed);
  return rc;
}
