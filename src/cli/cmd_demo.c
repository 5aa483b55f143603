/* huizhan demo: a database holding the demo city (src/demo/). */
#include "cli/cli.h"
#include "demo/demo.h"
#include "util/timeutil.h"
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int cmd_demo(const CliArgs *a) {
  HzErr e = {0};
  const char *pw = cli_opt(a, "password"), *as_of = cli_opt(a, "as-of");
  int today = date_today();
  if (!pw) hz_fail(&e, HZ_EINVAL, "password", "缺少 --password PW（所有演示账号的密码）");
  else if (as_of && date_parse(as_of, &today)) hz_fail(&e, HZ_EINVAL, "as-of", "--as-of 应为 YYYY-MM-DD");
  if (e.rc || cli_db_fresh(a, "demo", &e)) return cli_fail(&e);
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
    cli_db_discard(a);
    return cli_fail(&e);
  }
  printf("huizhan: 演示城市已创建：%d 个单位，%d 个账号，%d 个项目，%d 条洽谈记录，%d 笔到账资金\n", sum.units, sum.users,
         sum.projects, sum.follow_ups, sum.funds);
  return 0;
}
