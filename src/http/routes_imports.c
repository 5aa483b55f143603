/* Spreadsheet imports over the API: the upload starts a background job (domain/import_jobs.h),
 * which the uploader polls; its marked error workbook and each kind's template are
 * downloads. */
#include "domain/import_jobs.h"
#include "domain/importer.h"
#include "domain/resource.h"
#include "http/router.h"
#include "http/routes.h"
#include "util/text.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

/* POST /api/v1/imports?kind=&dry_run=1&filename=&campaign=&sheet= with the file as the body. */
int route_import_start(Request *rq, Response *rs, HzErr *e) {
  const char *key;
  json_t *v;
  json_object_foreach(rq->query, key, v) {
    if (strcmp(key, "kind") && strcmp(key, "dry_run") && strcmp(key, "filename") && strcmp(key, "campaign") &&
        strcmp(key, "sheet"))
      return hz_fail(e, HZ_EINVAL, key, "不支持的查询参数“%s”（可用：kind、dry_run、filename、campaign、sheet）", key);
  }
  const char *kind = request_query(rq, "kind"), *dry = request_query(rq, "dry_run"),
             *camp = request_query(rq, "campaign");
  if (!kind) return hz_fail(e, HZ_EINVAL, "kind", "缺少 kind（units、users、targets、projects、follow-ups、funds）");
  int dry_run = 0;
  if (dry && !strcmp(dry, "1")) dry_run = 1;
  else if (dry && strcmp(dry, "0")) return hz_fail(e, HZ_EINVAL, "dry_run", "dry_run 应为 0 或 1");
  int64_t campaign = 0;
  if (camp && (parse_int64(camp, &campaign) || campaign < 1))
    return hz_fail(e, HZ_EINVAL, "campaign", "campaign 应为会战编号（正整数）");
  int64_t id = 0;
  int rc = import_job_start(rq->db, &rq->actor, kind, request_query(rq, "filename"), request_query(rq, "sheet"), dry_run, campaign,
                            rq->body.data, rq->body.len, &id, e);
  if (rc) return rc;
  char loc[64];
  snprintf(loc, sizeof loc, "/api/v1/imports/%lld", (long long)id);
  response_json(rs, 202, json_pack("{s:I, s:s, s:s}", "id", (json_int_t)id, "state", "running", "href", loc));
  response_header(rs, "Location", loc);
  return HZ_OK;
}

int route_import_get(Request *rq, Response *rs, HzErr *e) {
  json_t *out = NULL;
  int rc = import_job_get(rq->db, &rq->actor, rq->ids[0], &out, e);
  if (!rc) {
    response_json(rs, 200, out);
    response_header(rs, "Cache-Control", "no-store");
  }
  return rc;
}

/* A workbook download under a name in Chinese (filename*), never cached. */
static void send_xlsx(Response *rs, void *data, size_t n, const char *filename) {
  response_take(rs, 200, XLSX_TYPE, data, n);
  response_attachment(rs, filename);
  response_header(rs, "Cache-Control", "no-store");
}

int route_import_errors(Request *rq, Response *rs, HzErr *e) {
  void *data = NULL;
  size_t n = 0;
  int rc = import_job_errors_xlsx(rq->db, &rq->actor, rq->ids[0], &data, &n, e);
  if (rc) return rc;
  /* Named after the uploaded file (项目清单.xlsx -> 项目清单（错误标注）.xlsx): the clerk fixes it
   * and imports it again, and finds it next to the original. */
  json_t *job = NULL;
  HzErr je = {0};
  const char *up = import_job_get(rq->db, &rq->actor, rq->ids[0], &job, &je) ? NULL
                   : json_string_value(json_object_get(job, "filename"));
  char name[300];
  const char *dot = up ? strrchr(up, '.') : NULL;
  if (up && *up && strlen(up) < 200)
    snprintf(name, sizeof name, "%.*s（错误标注）.xlsx", (int)(dot && dot != up ? dot - up : (long)strlen(up)), up);
  else snprintf(name, sizeof name, "import-%lld-errors.xlsx", (long long)rq->ids[0]);
  json_decref(job);
  hz_err_clear(&je);
  send_xlsx(rs, data, n, name);
  return HZ_OK;
}

/* GET /api/v1/import-templates/{kind}.xlsx[?lang=zh|en]: Chinese headers, or English ones. */
int route_import_template(Request *rq, Response *rs, HzErr *e) {
  const char *key, *lang = request_query(rq, "lang");
  json_t *v;
  json_object_foreach(rq->query, key, v) {
    if (strcmp(key, "lang")) return hz_fail(e, HZ_EINVAL, key, "不支持的查询参数“%s”（可用：lang）", key);
  }
  if (lang && strcmp(lang, "zh") && strcmp(lang, "en")) return hz_fail(e, HZ_EINVAL, "lang", "lang 应为 zh 或 en");
  char kind[ROUTE_NAME_MAX];
  snprintf(kind, sizeof kind, "%s", rq->names[0] ? rq->names[0] : "");
  size_t n = strlen(kind);
  if (n < 6 || strcmp(kind + n - 5, ".xlsx")) return hz_fail(e, HZ_ENOTFOUND, NULL, "模板地址应为 /api/v1/import-templates/KIND.xlsx");
  kind[n - 5] = 0;
  char path[] = "/tmp/huizhan-template-XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0) return hz_fail(e, HZ_EIO, NULL, "无法生成模板");
  close(fd);
  void *data = NULL;
  size_t len = 0;
  int rc = importer_template(kind, lang && !strcmp(lang, "en"), path, e);
  if (!rc) rc = importer_slurp(path, &data, &len, e);
  unlink(path);
  if (rc) return rc;
  /* 项目导入模板.xlsx: the name a clerk recognises among the downloads */
  const Resource *res = resource_find(kind);
  char name[160];
  snprintf(name, sizeof name, "%s导入模板%s.xlsx", res ? res->label : kind, lang && !strcmp(lang, "en") ? "（英文列名）" : "");
  send_xlsx(rs, data, len, name);
  return HZ_OK;
}
