/* huizhan gen: a deterministic province-scale database for benchmarks (src/gen/). */
#include "cli/cli.h"
#include "gen/gen.h"
#include "util/text.h"
#include "util/timeutil.h"
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define GEN_DEFAULT_AS_OF "2026-10-15"
#define GEN_DEFAULT_PASSWORD "huizhan2026"

typedef struct {
  double started, last;
  const char *last_what;
} GenProgress;

/* One line on stderr per step of about 5 %, and at the end of each phase. */
static void on_progress(const char *what, int64_t done, int64_t total, void *ctx) {
  GenProgress *p = ctx;
  double now = time_monotonic();
  int phase_change = !p->last_what || strcmp(p->last_what, what);
  if (!phase_change && done < total && now - p->last < 2.0) return;
  p->last = now;
  p->last_what = what;
  fprintf(stderr, "huizhan gen: %-8s %10lld / %lld (%3d%%) %7.1f s\n", what, (long long)done, (long long)total,
          total ? (int)(100 * done / total) : 100, now - p->started);
}

/* --name N with lo <= N <= hi, or the default when absent. */
static int count_opt(const CliArgs *a, const char *name, int64_t def, int64_t lo, int64_t hi, int64_t *out, HzErr *e) {
  const char *s = cli_opt(a, name);
  *out = def;
  if (s && (parse_int64(s, out) || *out < lo || *out > hi))
    return hz_fail(e, HZ_EINVAL, name, "--%s 应为 %lld 到 %lld 之间的整数", name, (long long)lo, (long long)hi);
  return HZ_OK;
}

int cmd_gen(const CliArgs *a) {
  HzErr e = {0};
  const char *path = cli_db_target(a), *as_of = cli_opt(a, "as-of"), *pw = cli_opt(a, "password");
  int64_t seed = 1;
  GenConfig cfg = {.password = pw ? pw : GEN_DEFAULT_PASSWORD};
  int rc = count_opt(a, "units", 3000, 1, 100000, &cfg.units, &e);
  if (!rc) rc = count_opt(a, "projects", 500000, 0, 20000000, &cfg.projects, &e);
  if (!rc) rc = count_opt(a, "follow-ups", 2000000, 0, 200000000, &cfg.follow_ups, &e);
  if (!rc) rc = count_opt(a, "funds", 1000000, 0, 100000000, &cfg.funds, &e);
  if (!rc) rc = count_opt(a, "seed", 1, 0, INT64_MAX, &seed, &e);
  if (!rc && date_parse(as_of ? as_of : GEN_DEFAULT_AS_OF, &cfg.as_of))
    rc = hz_fail(&e, HZ_EINVAL, "as-of", "--as-of 应为 YYYY-MM-DD");
  if (!rc && strlen(cfg.password) < 8) rc = hz_fail(&e, HZ_EINVAL, "password", "密码至少 8 个字符");
  if (!rc) rc = cli_db_fresh(a, "gen", &e);
  if (rc) return cli_fail(&e);
  cfg.seed = (uint64_t)seed;
  GenProgress prog = {.started = time_monotonic()};
  cfg.progress = on_progress;
  cfg.ctx = &prog;
  Db *db = NULL;
  GenSummary sum = {0};
  rc = cli_open_db(a, 1, &db, &e);
  if (!rc) rc = gen_build(db, &cfg, &sum, &e);
  db_close(db);
  if (rc) {
    cli_db_discard(a);
    return cli_fail(&e);
  }
  char day[DATE_LEN], shown[512];
  db_target_display(path, shown, sizeof shown);
  date_format(cfg.as_of, day);
  printf("huizhan: 已生成 %s（种子 %lld，截至 %s，用时 %.1f 秒）：%lld 个单位，%lld 个账号，%lld 个项目，"
         "%lld 条阶段变更，%lld 条洽谈记录，%lld 笔到账资金，%lld 项目标\n",
         shown, (long long)seed, day, time_monotonic() - prog.started, (long long)sum.units, (long long)sum.users,
         (long long)sum.projects, (long long)sum.stage_changes, (long long)sum.follow_ups, (long long)sum.funds,
         (long long)sum.targets);
  printf("账号：admin、office、leader，每个单位 u<编号>_head、u<编号>_deputy、u<编号>_staff；密码均为 %s\n",
         cfg.password);
  return 0;
}
