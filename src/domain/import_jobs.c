/* Background import jobs (import_jobs.h). */
#include "domain/import_jobs.h"
#include "domain/importer.h"
#include "store/import_store.h"
#include "util/log.h"
#include "util/timeutil.h"
#include <pthread.h>
#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct Job {
  int64_t id;
  Actor actor;
  char kind[32];
  char *filename, *sheet;
  int dry_run;
  int64_t campaign_id;
  void *data;
  size_t len;
  char db_path[4096];
  atomic_llong rows, bytes_done, bytes_total;
  struct Job *next;
} Job;

static pthread_mutex_t jobs_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t run_lock = PTHREAD_MUTEX_INITIALIZER; /* one import at a time */
static Job *running;

/* This process as a runner of imports: "host pid". Another instance asked about a job
 * it runs sees this in the job's row. */
static char self[300];
static void self_init(void) {
  char host[256] = "";
  gethostname(host, sizeof host - 1);
  snprintf(self, sizeof self, "%s %ld", host, (long)getpid());
}
static const char *self_runner(void) {
  static pthread_once_t once = PTHREAD_ONCE_INIT;
  pthread_once(&once, self_init);
  return self;
}

/* Whether the job runner (another instance's "host pid") may still be running it. On this
 * host: whether that process is alive. On another host nothing here can tell, so it is
 * believed until IMPORT_MAX_SECONDS after the job was made; no import takes that long. */
#define IMPORT_MAX_SECONDS 3600

/* Seconds of an ISO timestamp as time_now_iso writes them ("YYYY-MM-DDTHH:MM:SSZ"), or -1. */
static int64_t iso_seconds(const char *s) {
  char day[DATE_LEN];
  int d, h, m, sec;
  if (!s || strlen(s) < 19) return -1;
  snprintf(day, sizeof day, "%.10s", s);
  if (date_parse(day, &d) || sscanf(s + 11, "%2d:%2d:%2d", &h, &m, &sec) != 3) return -1;
  return (int64_t)d * 86400 + h * 3600 + m * 60 + sec;
}

static int runner_alive(const char *runner, const char *created_at) {
  char host[256] = "";
  gethostname(host, sizeof host - 1);
  const char *sp = strrchr(runner, ' ');
  if (!sp) return 0;
  if ((size_t)(sp - runner) == strlen(host) && !strncmp(runner, host, strlen(host))) {
    long pid = strtol(sp + 1, NULL, 10);
    return pid > 0 && (kill((pid_t)pid, 0) == 0 || errno == EPERM);
  }
  char now[TIMESTAMP_LEN];
  time_now_iso(now);
  int64_t made = iso_seconds(created_at);
  return made >= 0 && iso_seconds(now) - made < IMPORT_MAX_SECONDS;
}

static void job_free(Job *j) {
  if (!j) return;
  free(j->filename);
  free(j->sheet);
  free(j->data);
  free(j);
}

static void on_progress(void *ctx, int64_t rows, uint64_t done, uint64_t total) {
  Job *j = ctx;
  atomic_store(&j->rows, rows);
  atomic_store(&j->bytes_done, (long long)done);
  atomic_store(&j->bytes_total, (long long)total);
}

/* Runs the import and keeps its outcome in the job's row. */
static void job_run(Job *j) {
  Db *db = NULL;
  HzErr e = {0};
  json_t *res = NULL;
  void *xlsx = NULL;
  size_t xlsx_len = 0;
  ImportOpts o = {.kind = j->kind, .filename = j->filename, .sheet = j->sheet, .data = j->data, .len = j->len, .dry_run = j->dry_run,
                  .campaign_id = j->campaign_id, .progress = on_progress, .progress_ctx = j};
  int rc = db_open(j->db_path, 0, &db, &e);
  if (!rc) rc = importer_run(db, &j->actor, &o, &res, &e);
  const char *state = rc ? "" : json_string_value(json_object_get(res, "state"));
  if (!strcmp(state, "rejected") || !strcmp(state, "interrupted")) {
    char path[] = "/tmp/huizhan-import-XXXXXX";
    int fd = mkstemp(path);
    HzErr xe = {0};
    if (fd >= 0) {
      close(fd);
      if (!importer_errors_xlsx(&o, res, path, &xe)) importer_slurp(path, &xlsx, &xlsx_len, &xe);
      unlink(path);
    }
    if (xe.rc) log_error("import %lld: error workbook: %s", (long long)j->id, xe.message);
    hz_err_clear(&xe);
  }
  if (rc) {
    res = json_pack("{s:s, s:s}", "code", hz_rc_code(rc), "message", e.message);
    if (e.fields) json_object_set(res, "fields", e.fields);
  }
  char *text = json_dumps(res, JSON_COMPACT);
  HzErr fe = {0};
  if (db && import_store_job_finish(db, j->id, rc ? "failed" : "done", atomic_load(&j->rows), text, xlsx, xlsx_len, &fe))
    log_error("import %lld: %s", (long long)j->id, fe.message);
  hz_err_clear(&fe);
  free(text);
  free(xlsx);
  json_decref(res);
  hz_err_clear(&e);
  db_close(db);
}

static void *job_main(void *arg) {
  Job *j = arg;
  pthread_mutex_lock(&run_lock);
  job_run(j);
  pthread_mutex_unlock(&run_lock);
  pthread_mutex_lock(&jobs_lock);
  for (Job **p = &running; *p; p = &(*p)->next)
    if (*p == j) {
      *p = j->next;
      break;
    }
  pthread_mutex_unlock(&jobs_lock);
  job_free(j);
  return NULL;
}

int import_job_start(Db *db, const Actor *a, const char *kind, const char *filename, const char *sheet, int dry_run,
                     int64_t campaign_id, const void *data, size_t len, int64_t *id, HzErr *e) {
  int rc = importer_check(a, kind, e);
  if (rc) return rc;
  if (!len) return hz_fail(e, HZ_EINVAL, "body", "请求体应为要导入的文件（.xlsx 或 .csv），现在为空");
  Job *j = calloc(1, sizeof *j);
  if (!j || !(j->data = malloc(len)) || (filename && !(j->filename = strdup(filename))) ||
      (sheet && !(j->sheet = strdup(sheet)))) {
    job_free(j);
    return hz_fail(e, HZ_ENOMEM, NULL, "内存不足");
  }
  memcpy(j->data, data, len);
  j->len = len;
  j->actor = *a;
  snprintf(j->kind, sizeof j->kind, "%s", kind);
  snprintf(j->db_path, sizeof j->db_path, "%s", db_path(db));
  j->dry_run = dry_run;
  j->campaign_id = campaign_id;
  atomic_store(&j->bytes_total, (long long)len);
  if ((rc = db_begin(db, e))) goto fail;
  rc = import_store_job_insert(db, a->id, kind, filename, dry_run, (int64_t)len, &j->id, e);
  if (!rc) rc = import_store_job_set_runner(db, j->id, self_runner(), e);
  if (!rc) rc = db_commit(db, e);
  if (rc) {
    db_rollback(db);
    goto fail;
  }
  *id = j->id;
  pthread_mutex_lock(&jobs_lock);
  j->next = running;
  running = j;
  pthread_mutex_unlock(&jobs_lock);
  pthread_t t;
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  if (pthread_create(&t, &attr, job_main, j)) {
    pthread_attr_destroy(&attr);
    /* No thread: the job is recorded as failed rather than left running. */
    pthread_mutex_lock(&jobs_lock);
    running = j->next;
    pthread_mutex_unlock(&jobs_lock);
    HzErr fe = {0};
    import_store_job_finish(db, j->id, "failed", 0, "{\"code\":\"internal\",\"message\":\"无法启动导入任务\"}", NULL, 0, &fe);
    hz_err_clear(&fe);
    job_free(j);
    return hz_fail(e, HZ_ENOMEM, NULL, "无法启动导入任务");
  }
  pthread_attr_destroy(&attr);
  return HZ_OK;
fail:
  job_free(j);
  return rc;
}

static int visible(const Actor *a, json_t *job) {
  return (a->role & ROLES_CENTRAL) || json_integer_value(json_object_get(job, "created_by")) == a->id;
}

int import_job_get(Db *db, const Actor *a, int64_t id, json_t **out, HzErr *e) {
  *out = NULL;
  json_t *j = NULL;
  int rc = import_store_job_get(db, id, &j, e);
  if (rc) return rc;
  if (!visible(a, j)) {
    json_decref(j);
    return hz_fail(e, HZ_ENOTFOUND, NULL, "没有这个导入任务");
  }
  long long rows = json_integer_value(json_object_get(j, "rows_done")), done = 0,
            total = json_integer_value(json_object_get(j, "bytes_total"));
  int live = 0;
  if (!strcmp(json_string_value(json_object_get(j, "state")), "running")) {
    pthread_mutex_lock(&jobs_lock);
    for (Job *r = running; r; r = r->next)
      if (r->id == id) {
        live = 1;
        rows = atomic_load(&r->rows);
        done = atomic_load(&r->bytes_done);
        total = atomic_load(&r->bytes_total);
      }
    pthread_mutex_unlock(&jobs_lock);
    /* Not running here: it may have finished between the row's read and the list's (its
     * row is written before it leaves the list), so the row is read once more. */
    json_t *again = NULL;
    HzErr ae = {0};
    if (!live && !import_store_job_get(db, id, &again, &ae) &&
        strcmp(json_string_value(json_object_get(again, "state")), "running")) {
      json_decref(j);
      j = again;
      again = NULL;
      live = 1;
      done = total = json_integer_value(json_object_get(j, "bytes_total"));
      rows = json_integer_value(json_object_get(j, "rows_done"));
    }
    json_decref(again);
    hz_err_clear(&ae);
    char runner[300];
    HzErr re = {0};
    /* Run by another instance (behind a load balancer the poll may come here): running
     * while that instance is; its live progress is only in that instance's memory. */
    if (!live && !import_store_job_runner(db, id, runner, sizeof runner, &re) && runner[0] &&
        strcmp(runner, self_runner()) && runner_alive(runner, json_string_value(json_object_get(j, "created_at"))))
      live = 1;
    hz_err_clear(&re);
    if (!live) {
      json_object_set_new(j, "state", json_string("failed"));
      json_object_set_new(j, "result", json_pack("{s:s, s:s}", "code", "interrupted", "message",
                                                 "导入因服务重启而中断，数据库没有改动，请重新上传"));
    }
  } else {
    done = total;
  }
  json_object_set_new(j, "progress", json_pack("{s:I, s:I, s:I}", "rows", (json_int_t)rows, "bytes_done",
                                               (json_int_t)done, "bytes_total", (json_int_t)total));
  *out = j;
  return HZ_OK;
}

int import_job_errors_xlsx(Db *db, const Actor *a, int64_t id, void **data, size_t *n, HzErr *e) {
  json_t *j = NULL;
  int rc = import_job_get(db, a, id, &j, e);
  json_decref(j);
  if (!rc) rc = import_store_job_xlsx(db, id, data, n, e);
  if (!rc && !*data) rc = hz_fail(e, HZ_ENOTFOUND, NULL, "该导入任务没有错误报告");
  return rc;
}

void import_jobs_drain(int seconds) {
  for (int i = 0; i < seconds * 10; i++) {
    pthread_mutex_lock(&jobs_lock);
    int busy = running != NULL;
    pthread_mutex_unlock(&jobs_lock);
    if (!busy) return;
    usleep(100000);
  }
}
