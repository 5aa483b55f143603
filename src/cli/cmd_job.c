/* huizhan job / evaluate / bulletin: the campaign's recurring jobs and checkpoint
 * actions from the command line (the same code the server and its scheduler run). */
#include "cli/cli.h"
#include "domain/bulletin.h"
#include "domain/jobs.h"
#include "domain/rules.h"
#include "domain/webhooks.h"
#include "util/text.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int print_json(json_t *j) {
  char *s = json_dumps(j, JSON_INDENT(2) | JSON_REAL_PRECISION(12));
  printf("%s\n", s ? s : "null");
  free(s);
  json_decref(j);
  return 0;
}

static int id_opt(const CliArgs *a, const char *name, int64_t *id, HzErr *e) {
  const char *s = cli_opt(a, name);
  if (!s || parse_int64(s, id) || *id < 1) return hz_fail(e, HZ_EINVAL, name, "缺少 --%s 编号", name);
  return HZ_OK;
}

int cmd_job(const CliArgs *a) {
  HzErr e = {0};
  if (a->npositional != 1) {
    fprintf(stderr, "huizhan: job 需要任务名：bulletin-draft、missing-reports、remind-overdue、early-warning、backup 或 deliver-webhooks\n");
    return 2;
  }
  Db *db = NULL;
  json_t *out = NULL;
  int rc = cli_backup_options(a, &e);
  if (!rc) rc = cli_open_db(a, 0, &db, &e);
  if (!rc && !strcmp(a->positional[0], "deliver-webhooks")) rc = webhook_deliver_due(db, &out, &e);
  else if (!rc) rc = jobs_run(db, &cli_actor, a->positional[0], &out, &e);
  db_close(db);
  return rc ? cli_fail(&e) : print_json(out);
}

int cmd_evaluate(const CliArgs *a) {
  HzErr e = {0};
  Db *db = NULL;
  json_t *out = NULL;
  int64_t id = 0;
  int rc = id_opt(a, "checkpoint", &id, &e);
  if (!rc) rc = cli_open_db(a, 0, &db, &e);
  if (!rc) rc = rules_evaluate_checkpoint(db, &cli_actor, id, &out, &e);
  db_close(db);
  return rc ? cli_fail(&e) : print_json(out);
}

/* huizhan bulletin render ID --format pdf|xlsx|html [--out FILE]: the document to a file,
 * or to standard output (the binary formats not to a terminal). */
static int bulletin_render_cli(const CliArgs *a) {
  HzErr e = {0};
  int64_t id = 0;
  BulletinFormat f = BULLETIN_HTML;
  const char *ids = a->npositional == 2 ? a->positional[1] : cli_opt(a, "id");
  const char *out = cli_opt(a, "out");
  int rc = HZ_OK;
  if (!ids || parse_int64(ids, &id) || id < 1) rc = hz_fail(&e, HZ_EINVAL, "id", "缺少通报编号：huizhan bulletin render ID --format pdf|xlsx|html");
  else if (bulletin_format_parse(cli_opt(a, "format") ? cli_opt(a, "format") : "", &f))
    rc = hz_fail(&e, HZ_EINVAL, "format", "--format 应为 pdf、xlsx 或 html");
  else if (!out && f != BULLETIN_HTML && isatty(STDOUT_FILENO))
    rc = hz_fail(&e, HZ_EINVAL, "out", "PDF 和 XLSX 不能输出到终端，请用 --out FILE 或重定向");
  if (rc) return cli_fail(&e);
  Db *db = NULL;
  char *data = NULL;
  size_t len = 0;
  rc = cli_open_db(a, 0, &db, &e);
  if (!rc) rc = bulletin_render(db, &cli_actor, id, f, &data, &len, NULL, &e);
  db_close(db);
  if (rc) return cli_fail(&e);
  FILE *fp = out ? fopen(out, "wb") : stdout;
  int bad = !fp || fwrite(data, 1, len, fp) != len;
  if (fp && fp != stdout && fclose(fp)) bad = 1;
  if (fp == stdout && fflush(stdout)) bad = 1;
  free(data);
  if (bad) {
    hz_fail(&e, HZ_EIO, "out", "无法写入 %s", out ? out : "标准输出");
    return cli_fail(&e);
  }
  return 0;
}

int cmd_bulletin(const CliArgs *a) {
  HzErr e = {0};
  const char *sub = a->npositional >= 1 ? a->positional[0] : "";
  if (!strcmp(sub, "render")) return bulletin_render_cli(a);
  if (a->npositional != 1 || (strcmp(sub, "draft") && strcmp(sub, "publish") && strcmp(sub, "print"))) {
    fprintf(stderr, "huizhan: bulletin 需要子命令 draft、publish、print 或 render（huizhan bulletin --help）\n");
    return 2;
  }
  Db *db = NULL;
  json_t *out = NULL;
  char *html = NULL;
  int64_t id = 0;
  int rc = id_opt(a, strcmp(sub, "draft") ? "id" : "campaign", &id, &e);
  if (!rc) rc = cli_open_db(a, 0, &db, &e);
  if (!rc && !strcmp(sub, "draft")) {
    json_t *body = json_object();
    if (cli_opt(a, "period-end")) json_object_set_new(body, "period_end", json_string(cli_opt(a, "period-end")));
    rc = bulletin_generate(db, &cli_actor, id, body, &out, &e);
    json_decref(body);
  } else if (!rc && !strcmp(sub, "publish")) {
    rc = bulletin_publish(db, &cli_actor, id, &out, &e);
  } else if (!rc) {
    rc = bulletin_print(db, &cli_actor, id, &html, &e);
  }
  db_close(db);
  if (rc) return cli_fail(&e);
  if (html) {
    fputs(html, stdout);
    free(html);
    return 0;
  }
  return print_json(out);
}
