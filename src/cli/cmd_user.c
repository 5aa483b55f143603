/* huizhan user … and huizhan token …: accounts and API tokens from the command line. */
#include "cli/cli.h"
#include "domain/auth.h"
#include "domain/record.h"
#include "util/text.h"
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* A password from --password, else read from the terminal / standard input. */
static const char *password_arg(const CliArgs *a, char *buf, size_t n) {
  const char *pw = cli_opt(a, "password");
  if (pw) return pw;
  if (isatty(0)) fprintf(stderr, "新密码：");
  if (!fgets(buf, (int)n, stdin)) return NULL;
  buf[strcspn(buf, "\r\n")] = 0;
  return buf;
}

static int user_list(Db *db, HzErr *e) {
  json_t *users = NULL;
  /* Every user, through the engine's typed whole-table read: no query string to fake. */
  int rc = record_list_all(db, &cli_actor, resource_find("users"), 0, NULL, &users, e);
  if (rc) return rc;
  printf("%-24s %-11s %-6s %-4s %s\n", "login", "role", "unit", "off", "name");
  size_t i;
  json_t *u;
  json_array_foreach(users, i, u) {
    json_t *unit = json_object_get(u, "unit_id");
    char unit_s[24] = "-";
    if (json_is_integer(unit)) snprintf(unit_s, sizeof unit_s, "%lld", (long long)json_integer_value(unit));
    printf("%-24s %-11s %-6s %-4s %s\n", json_string_value(json_object_get(u, "login")),
           json_string_value(json_object_get(u, "role")), unit_s,
           json_is_true(json_object_get(u, "disabled")) ? "yes" : "", json_string_value(json_object_get(u, "name")));
  }
  json_decref(users);
  return HZ_OK;
}

static int user_add(const CliArgs *a, Db *db, HzErr *e) {
  char buf[256];
  const char *login = cli_opt(a, "login"), *name = cli_opt(a, "name"), *role = cli_opt(a, "role");
  const char *unit = cli_opt(a, "unit");
  if (!login || !role) return hz_fail(e, HZ_EINVAL, login ? "role" : "login", "缺少 --login 或 --role");
  const char *pw = password_arg(a, buf, sizeof buf);
  if (!pw) return hz_fail(e, HZ_EINVAL, "password", "缺少 --password");
  json_t *body = json_pack("{s:s s:s s:s s:s}", "login", login, "name", name ? name : login, "role", role, "password", pw);
  int64_t unit_id;
  if (unit) {
    if (parse_int64(unit, &unit_id)) {
      json_decref(body);
      return hz_fail(e, HZ_EINVAL, "unit", "--unit 应为单位编号");
    }
    json_object_set_new(body, "unit_id", json_integer(unit_id));
  }
  json_t *out = NULL;
  int rc = record_create(db, &cli_actor, resource_find("users"), 0, body, &out, e);
  if (!rc) printf("huizhan: 已创建用户 %s（编号 %lld）\n", login, (long long)json_integer_value(json_object_get(out, "id")));
  json_decref(body);
  json_decref(out);
  return rc;
}

int cmd_user(const CliArgs *a) {
  HzErr e = {0};
  const char *sub = a->npositional ? a->positional[0] : NULL;
  if (!sub || (strcmp(sub, "list") && strcmp(sub, "add") && strcmp(sub, "passwd") && strcmp(sub, "disable"))) {
    fprintf(stderr, "huizhan: user 需要子命令 list、add、passwd 或 disable（huizhan user --help）\n");
    return 2;
  }
  Db *db = NULL;
  int rc = cli_open_db(a, 0, &db, &e);
  char buf[256];
  if (!rc) {
    if (!strcmp(sub, "list")) rc = user_list(db, &e);
    else if (!strcmp(sub, "add")) rc = user_add(a, db, &e);
    else if (!cli_opt(a, "login")) rc = hz_fail(&e, HZ_EINVAL, "login", "缺少 --login");
    else if (!strcmp(sub, "passwd")) {
      const char *pw = password_arg(a, buf, sizeof buf);
      rc = pw ? auth_set_password(db, &cli_actor, cli_opt(a, "login"), pw, &e)
              : hz_fail(&e, HZ_EINVAL, "password", "缺少 --password");
      if (!rc) printf("huizhan: 已修改 %s 的密码\n", cli_opt(a, "login"));
    } else {
      rc = auth_set_disabled(db, &cli_actor, cli_opt(a, "login"), 1, &e);
      if (!rc) printf("huizhan: 已停用 %s\n", cli_opt(a, "login"));
    }
  }
  db_close(db);
  return rc ? cli_fail(&e) : 0;
}

int cmd_token(const CliArgs *a) {
  HzErr e = {0};
  const char *sub = a->npositional ? a->positional[0] : NULL;
  if (!sub || (strcmp(sub, "create") && strcmp(sub, "list") && strcmp(sub, "revoke"))) {
    fprintf(stderr, "huizhan: token 需要子命令 create、list 或 revoke（huizhan token --help）\n");
    return 2;
  }
  Db *db = NULL;
  int rc = cli_open_db(a, 0, &db, &e);
  if (!rc && !strcmp(sub, "create")) {
    const char *login = cli_opt(a, "login"), *name = cli_opt(a, "name");
    char token[TOKEN_LEN];
    int64_t id = 0;
    if (!login) rc = hz_fail(&e, HZ_EINVAL, "login", "缺少 --login");
    else rc = auth_token_create(db, &cli_actor, login, name ? name : "script", token, &id, &e);
    if (!rc) printf("%s\n", token);
  } else if (!rc && !strcmp(sub, "list")) {
    json_t *list = NULL;
    rc = auth_token_list(db, &list, &e);
    size_t i;
    json_t *t;
    if (!rc) printf("%-6s %-20s %-20s %-21s %s\n", "id", "login", "name", "created_at", "revoked");
    json_array_foreach(list, i, t)
      printf("%-6lld %-20s %-20s %-21s %s\n", (long long)json_integer_value(json_object_get(t, "id")),
             json_string_value(json_object_get(t, "login")), json_string_value(json_object_get(t, "name")),
             json_string_value(json_object_get(t, "created_at")), json_is_true(json_object_get(t, "revoked")) ? "yes" : "");
    json_decref(list);
  } else if (!rc) {
    int64_t id;
    const char *s = cli_opt(a, "id");
    if (!s || parse_int64(s, &id)) rc = hz_fail(&e, HZ_EINVAL, "id", "缺少 --id 或不是整数");
    else rc = auth_token_revoke(db, &cli_actor, id, &e);
    if (!rc) printf("huizhan: 已吊销令牌 %lld\n", (long long)id);
  }
  db_close(db);
  return rc ? cli_fail(&e) : 0;
}
