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
    fprintf(stderr, "huizhan: job 需要任务名：bulletin-draft、missing-reports、remind-overdue、early-warning 或 deliver-webhooks\n");
    return 2;
  }
  Db *db = NULL;
  json_t *out = NULL;
  int rc = cli_open_db(a, 0, &db, &e);
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

int cmd_bulletin(const CliArgs *a) {
  HzErr e = {0};
  const char *sub = a->npositional == 1 ? a->positional[0] : "";
  if (strcmp(sub, "draft") && strcmp(sub, "publish") && strcmp(sub, "print")) {
    fprintf(stderr, "huizhan: bulletin 需要子命令 draft、publish 或 print（huizhan bulletin --help）\n");
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
