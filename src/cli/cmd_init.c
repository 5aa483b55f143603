/* huizhan init: an empty database with one admin account. */
#include "cli/cli.h"
#include "domain/auth.h"
#include "domain/record.h"
#include "util/crypto.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int cli_create_admin(Db *db, const char *password, HzErr *e) {
  json_t *body = json_pack("{s:s s:s s:s s:s}", "login", "admin", "name", "系统管理员", "role", "admin", "password",
                           password);
  json_t *out = NULL;
  int rc = record_create(db, &cli_actor, resource_find("users"), 0, body, &out, e);
  json_decref(body);
  json_decref(out);
  return rc;
}

int cmd_init(const CliArgs *a) {
  HzErr e = {0};
  const char *path = cli_db_target(a);
  if (cli_db_fresh(a, "init", &e)) return cli_fail(&e);
  const char *pw = cli_opt(a, "admin-password");
  if (!pw) pw = getenv("HUIZHAN_ADMIN_PASSWORD");
  char generated[TOKEN_LEN];
  if (!pw || !*pw) {
    token_random(generated);
    generated[16] = 0;
    pw = generated;
  }
  Db *db = NULL;
  int rc = cli_open_db(a, 1, &db, &e);
  if (!rc) rc = cli_create_admin(db, pw, &e);
  /* A generated password was seen on a console: it must be replaced at the first login. */
  if (!rc && pw == generated) rc = auth_require_password_change(db, &cli_actor, "admin", &e);
  db_close(db);
  if (rc) {
    cli_db_discard(a);
    return cli_fail(&e);
  }
  char shown[512];
  db_target_display(path, shown, sizeof shown);
  printf("huizhan: 已创建 %s，管理员账号 admin\n", shown);
  if (pw == generated) {
    printf("admin 初始密码（只显示这一次）：%s\n", generated);
    printf("首次登录后须先修改此密码。\n");
  }
  return 0;
}
