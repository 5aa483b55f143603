/* huizhan import KIND FILE: a spreadsheet through the importer (domain/importer.h), with a
 * progress bar on a terminal and the error report written next to the file. */
#include "cli/cli.h"
#include "domain/importer.h"
#include "util/text.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef struct {
  int tty;
  int64_t last_rows;
} Bar;

static void progress(void *ctx, int64_t rows, uint64_t done, uint64_t total) {
  Bar *b = ctx;
  int pct = total ? (int)(done * 100 / total) : 100;
  if (b->tty) {
    int w = pct * 30 / 100;
    fprintf(stderr, "\r[%.*s%*s] %3d%%  %lld 行", w, "##############################", 30 - w, "", pct,
            (long long)rows);
    fflush(stderr);
  } else if (rows - b->last_rows >= 10000 || (rows && done == total && rows != b->last_rows)) {
    fprintf(stderr, "已读 %lld 行（%d%%）\n", (long long)rows, pct);
    b->last_rows = rows;
  }
}

static void print_errors(json_t *res) {
  size_t i;
  json_t *x;
  json_array_foreach(json_object_get(res, "errors"), i, x) {
    const char *ref = json_string_value(json_object_get(x, "ref"));
    const char *col = json_string_value(json_object_get(x, "column"));
    const char *val = json_string_value(json_object_get(x, "value"));
    fprintf(stderr, "  第 %lld 行%s%s%s%s%s：%s\n", (long long)json_integer_value(json_object_get(x, "row")),
            ref ? " " : "", ref ? ref : "", col ? "（" : "", col ? col : "", col ? "）" : "",
            json_string_value(json_object_get(x, "message")));
    if (val && *val) fprintf(stderr, "    值：%s\n", val);
  }
  json_int_t more = json_integer_value(json_object_get(res, "errors_more"));
  if (more) fprintf(stderr, "  ……另有 %lld 处错误未列出\n", (long long)more);
}

int cmd_import(const CliArgs *a) {
  HzErr e = {0};
  if (a->npositional != 2) {
    fprintf(stderr, "huizhan: import 需要类别和文件：huizhan import KIND FILE --db DB\n");
    return 2;
  }
  Db *db = NULL;
  json_t *res = NULL;
  Actor who = cli_actor;
  int64_t campaign = 0;
  const char *as = cli_opt(a, "as"), *camp = cli_opt(a, "campaign");
  int rc = HZ_OK;
  if (camp && (parse_int64(camp, &campaign) || campaign < 1)) rc = hz_fail(&e, HZ_EINVAL, "campaign", "--campaign 应为会战编号");
  if (!rc) rc = cli_open_db(a, 0, &db, &e);
  if (!rc) {
    /* Audited as this person (admin by default). */
    rc = importer_actor(db, as ? as : "admin", &who, &e);
  }
  const char *file = a->positional[1];
  const char *base = strrchr(file, '/');
  Bar bar = {.tty = isatty(2)};
  ImportOpts o = {.kind = a->positional[0], .filename = base ? base + 1 : file, .path = file, .sheet = cli_opt(a, "sheet"),
                  .dry_run = cli_opt(a, "dry-run") != NULL, .campaign_id = campaign,
                  .progress = progress, .progress_ctx = &bar};
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  if (!rc) rc = importer_run(db, &who, &o, &res, &e);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  if (bar.tty) fprintf(stderr, "\n");
  if (rc) {
    db_close(db);
    return cli_fail(&e);
  }
  double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
  const char *state = json_string_value(json_object_get(res, "state"));
  const char *notice = json_string_value(json_object_get(res, "notice"));
  if (notice) fprintf(stderr, "注意：%s\n", notice);
  json_t *ign = json_object_get(res, "ignored_columns");
  if (json_array_size(ign)) {
    size_t i;
    json_t *x;
    fprintf(stderr, "忽略的列：");
    json_array_foreach(ign, i, x) fprintf(stderr, "%s%s", i ? "、" : "", json_string_value(x));
    fprintf(stderr, "\n");
  }
  long long rows = json_integer_value(json_object_get(res, "rows"));
  printf("%s：%lld 行，新建 %lld，更新 %lld，未变 %lld（%.1f 秒，%.0f 行/秒）\n",
         !strcmp(state, "committed")     ? "已导入"
         : !strcmp(state, "dry_run")     ? "试导入（未写入）"
         : !strcmp(state, "interrupted") ? "导入中断"
                                         : "未导入",
         rows,
         (long long)json_integer_value(json_object_get(res, "created")),
         (long long)json_integer_value(json_object_get(res, "updated")),
         (long long)json_integer_value(json_object_get(res, "unchanged")), secs, secs > 0 ? (double)rows / secs : 0.0);
  int code = 0;
  int interrupted = !strcmp(state, "interrupted");
  if (!strcmp(state, "rejected") || interrupted) {
    if (interrupted)
      fprintf(stderr,
              "检查通过后，写入时有一行被拒绝（其间数据被他人改动）：前 %lld 行已写入（逐行审计），其后未写入。"
              "改正后再次导入同一文件即可补完（已写入的行不会重复）：\n",
              (long long)json_integer_value(json_object_get(res, "rows_committed")));
    else
      fprintf(stderr, "有 %lld 处错误，整个文件未导入，数据库没有改动：\n",
              (long long)json_integer_value(json_object_get(res, "errors_total")));
    print_errors(res);
    char out[4096];
    snprintf(out, sizeof out, "%s.errors.xlsx", file);
    if (importer_errors_xlsx(&o, res, out, &e)) {
      fprintf(stderr, "无法写出错误报告：%s\n", e.message);
      hz_err_clear(&e);
    } else {
      fprintf(stderr, "错误已标在 %s（红色单元格带批注）\n", out);
    }
    code = 1;
  }
  json_decref(res);
  db_close(db);
  return code;
}
