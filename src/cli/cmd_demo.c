/* huizhan demo: a database holding the demo city (src/demo/). */
#include "cli/cli.h"
#include "demo/demo.h"
#include "util/timeutil.h"
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int cmd_demo(const CliArgs *a) {
  HzErr e = {0};
  const char *path = cli_opt(a, "db"), *pw = cli_opt(a, "password"), *as_of = cli_opt(a, "as-of");
  int today = date_today();
  if (!pw) hz_fail(&e, HZ_EINVAL, "password", "缺少 --password PW（所有演示账号的密码）");
  else if (as_of && date_parse(as_of, &today)) hz_fail(&e, HZ_EINVAL, "as-of", "--as-of 应为 YYYY-MM-DD");
  else if (path && access(path, F_OK) == 0) hz_fail(&e, HZ_ECONFLICT, "db", "%s 已存在；demo 只创建新数据库", path);
  if (e.rc) return cli_fail(&e);
  /* --as-of is "today" for every rule that compares with today (no fund dated later). */
  if (as_of && setenv("HUIZHAN_TODAY", as_of, 1)) {
    hz_fail(&e, HZ_EIO, NULL, "无法设置 HUIZHAN_TODAY");
    return cli_fail(&e);
  }
  Db *db = NULL;
  int rc = cli_open_db(a, 1, &db, &e);
  DemoSummary sum = {0};
  if (!rc) rc = demo_build(db, pw, today, &sum, &e);
  db_close(db);
  if (rc) {
    if (path) unlink(path);
    return cli_fail(&e);
  }
  printf("huizhan: 演示城市已创建：%d 个单位，%d 个账号，%d 个项目，%d 条洽谈记录，%d 笔到账资金\n", sum.units, sum.users,
         sum.projects, sum.follow_ups, sum.funds);
  return 0;
}
