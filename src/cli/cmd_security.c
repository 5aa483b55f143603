/* huizhan security-policy show|set: the security policy from the command line, through
 * the same domain call as PATCH /api/v1/security-policy (validation, audit, version). */
#include "cli/cli.h"
#include "domain/security.h"
#include "util/text.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void print_policy(json_t *p) {
  char *text = json_dumps(p, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
  if (text) printf("%s\n", text);
  free(text);
}

/* "KEY=VALUE" arguments as the PATCH body: true/false a boolean, an integer a number,
 * anything else a string (refused by the policy's validation, naming the key). */
static int parse_settings(const CliArgs *a, json_t *body, HzErr *e) {
  if (a->npositional < 2) return hz_fail(e, HZ_EINVAL, "KEY=VALUE", "set 需要至少一个 KEY=VALUE（huizhan security-policy --help）");
  for (int i = 1; i < a->npositional; i++) {
    const char *arg = a->positional[i], *eq = strchr(arg, '=');
    if (!eq || eq == arg) return hz_fail(e, HZ_EINVAL, arg, "“%s”应写作 KEY=VALUE", arg);
    char key[64];
    snprintf(key, sizeof key, "%.*s", (int)(eq - arg < 63 ? eq - arg : 63), arg);
    if (!strcmp(key, "version")) return hz_fail(e, HZ_EINVAL, key, "version 由命令自己读取，不能设置");
    if (json_object_get(body, key)) return hz_fail(e, HZ_EINVAL, key, "“%s”给了不止一次", key);
    const char *v = eq + 1;
    int64_t n;
    json_t *value = !strcmp(v, "true") ? json_true() : !strcmp(v, "false") ? json_false()
                    : !parse_int64(v, &n)  ? json_integer(n) : json_string(v);
    json_object_set_new(body, key, value);
  }
  return HZ_OK;
}

int cmd_security_policy(const CliArgs *a) {
  HzErr e = {0};
  const char *sub = a->npositional ? a->positional[0] : NULL;
  if (!sub || (strcmp(sub, "show") && strcmp(sub, "set")) || (!strcmp(sub, "show") && a->npositional > 1)) {
    fprintf(stderr, "huizhan: security-policy 需要子命令 show 或 set KEY=VALUE...（huizhan security-policy --help）\n");
    return 2;
  }
  Db *db = NULL;
  SecurityPolicy p;
  json_t *body = json_object(), *out = NULL;
  int rc = cli_open_db(a, 0, &db, &e);
  if (!rc) rc = security_policy_load(db, &p, &e);
  if (!rc && !strcmp(sub, "show")) {
    print_policy(out = security_policy_json(&p));
  } else if (!rc) {
    /* The version just read: the CLI is the operator at the console, not a stale form. */
    json_object_set_new(body, "version", json_integer(p.version));
    rc = parse_settings(a, body, &e);
    if (!rc) rc = security_policy_update(db, &cli_actor, body, &out, &e);
    if (!rc) {
      fprintf(stderr, "huizhan: 安全策略已修改（版本 %lld），已记入审计日志\n", (long long)json_integer_value(json_object_get(out, "version")));
      print_policy(out);
    }
  }
  json_decref(body);
  json_decref(out);
  db_close(db);
  return rc ? cli_fail(&e) : 0;
}
