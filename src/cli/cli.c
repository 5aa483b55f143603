#include "cli/cli.h"
#include "domain/audit_file.h"
#include "domain/audit_key.h"
#include <sodium.h>
#include "util/crypto.h"
#include "util/log.h"
#include "util/timeutil.h"
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

const Actor cli_actor = {.id = 0, .role = ROLE_ADMIN, .unit_id = 0, .login = "system", .name = "命令行"};

typedef struct {
  const char *name;
  int (*run)(const CliArgs *a);
  const char *usage;
  const char *help;
} Command;

static const Command commands[] = {
  {"init", cmd_init, "huizhan init --db FILE [--admin-password PW]",
   "创建空数据库和 admin 账号。密码取自 --admin-password 或环境变量 HUIZHAN_ADMIN_PASSWORD，否则随机生成并只显示一次。"},
  {"serve", cmd_serve,
   "huizhan serve --db FILE [--listen 127.0.0.1:8080] [--threads N] [--jobs on|off] [--trust-proxy ADDR,...]\n"
   "  [--tls-cert FILE --tls-key FILE] [--backup-dir DIR] [--backup-keep N]",
   "提供 JSON 接口和网页，并按设定时间运行定时任务（--jobs off 关闭）。SIGTERM / SIGINT 时不再接受新连接，处理完进行中的请求（至多 10 秒）后退出。"
   "多个实例可共用一个数据库（见 docs/scaling.md）。"
   "--trust-proxy：只有来自这些地址（反向代理、负载均衡器）的请求，其 X-Forwarded-For 才用于登录限制和日志。"
   "--tls-cert / --tls-key：直接提供 HTTPS（PEM 格式证书与私钥），应答带 HSTS。"
   "--backup-dir：定时任务 backup（默认每天 02:00）在此目录写入带日期的备份，保留最近 --backup-keep 份（默认 7）。"
   "未给出的选项取自环境变量 HUIZHAN_LISTEN、HUIZHAN_THREADS、HUIZHAN_JOBS、HUIZHAN_TRUST_PROXY、HUIZHAN_TLS_CERT、"
   "HUIZHAN_TLS_KEY、HUIZHAN_BACKUP_DIR、HUIZHAN_BACKUP_KEEP（空值视同未给；Debian 软件包的 systemd 服务从 /etc/huizhan/huizhan.conf 读入它们，见 docs/operations.md）。"},
  {"demo", cmd_demo, "huizhan demo --db FILE --password PW [--as-of YYYY-MM-DD]",
   "创建一个演示城市：约 30 个部门、进行到约第 60 天的百日会战、数百个各阶段项目。所有演示账号的密码均为 PW。"},
  {"user", cmd_user,
   "huizhan user list --db FILE\n"
   "  huizhan user add --db FILE --login L --name N --role R [--unit UNIT_ID] [--password PW]\n"
   "  huizhan user passwd --db FILE --login L [--password PW]\n"
   "  huizhan user disable --db FILE --login L",
   "管理用户。角色：admin、office、leader、unit_head、unit_staff（单位角色须指定 --unit），以及三员分立的 security_admin、auditor。"
   "passwd 是管理员重置密码：该用户下次登录后须先修改密码（忘记 admin 密码时也用它）。"},
  {"security-policy", cmd_security_policy,
   "huizhan security-policy show --db FILE\n"
   "  huizhan security-policy set KEY=VALUE... --db FILE",
   "查看或修改安全策略（与 PATCH /api/v1/security-policy 同一校验，修改记入审计）。KEY：session_idle_minutes、"
   "session_max_hours、password_min_length、password_min_classes、password_history、password_max_days（整数），"
   "separation_of_duties（true|false）。例：huizhan security-policy set password_min_classes=3 password_max_days=90 --db city.db"},
  {"token", cmd_token,
   "huizhan token create --db FILE --login L [--name NAME]\n"
   "  huizhan token list --db FILE\n"
   "  huizhan token revoke --db FILE --id ID",
   "管理脚本用的接口令牌（Authorization: Bearer …）。令牌只在创建时显示一次。"},
  {"check", cmd_check, "huizhan check --db FILE",
   "从原始记录重新计算全部统计数字并与系统保存的累计数比对：一致时输出 ok 并返回 0，否则逐条列出差异并返回非零。"},
  {"gen", cmd_gen,
   "huizhan gen --db FILE [--units 3000] [--projects 500000] [--follow-ups 2000000] [--funds 1000000]\n"
   "  [--seed 1] [--as-of 2026-10-15] [--password huizhan2026]",
   "为性能测试生成一个省级规模的数据库（bench/）：单位及其账号、一场会战及各单位目标，以及符合会战规则的项目、"
   "阶段变更、洽谈记录和到账资金，统计数字由原始记录重新计算。同样的参数和种子生成同样的数据。"
   "截至日（--as-of）为百日会战第 60 天；运行服务时设 HUIZHAN_TODAY 为该日。进度输出到标准错误。"},
  {"evaluate", cmd_evaluate, "huizhan evaluate --db FILE --checkpoint ID",
   "评估考核节点：按规则生成奖惩建议（重复评估不会重复生成），由会战办公室审定。"},
  {"bulletin", cmd_bulletin,
   "huizhan bulletin draft --db FILE --campaign ID [--period-end YYYY-MM-DD]\n"
   "  huizhan bulletin publish --db FILE --id ID\n"
   "  huizhan bulletin print --db FILE --id ID\n"
   "  huizhan bulletin render ID --format pdf|xlsx|html --db FILE [--out FILE]",
   "生成通报草稿（第N期，数据冻结）、发布通报（发布后不可更改）、输出可打印的 HTML，"
   "或把通报生成公文格式的 PDF、表格 XLSX 或 HTML 文件（--out 省略时写到标准输出）。"},
  {"job", cmd_job, "huizhan job NAME --db FILE [--backup-dir DIR] [--backup-keep N]",
   "立即运行一个定时任务：bulletin-draft（生成通报草稿）、missing-reports（周报未交提醒）、"
   "remind-overdue（督办事项催办）、early-warning（考核预警及停滞项目）。huizhan serve 会按设定时间自动运行它们。"
   "deliver-webhooks：立即发送到期的群机器人消息（huizhan serve 每秒自动发送）。"
   "backup：在 --backup-dir 写入带日期并已检查的备份，只保留最近 --backup-keep 份（默认 7）。"},
  {"export", cmd_export, "huizhan export KIND FILE --db FILE [--format xlsx|csv] [--FIELD=VALUE ...]",
   "导出列表为 XLSX 或 CSV（UTF-8 带 BOM）。KIND：任一集合（units、users、projects、follow-ups、funds、targets、"
   "proposals……）或 ranking（综合排名，须 --campaign_id=N，可加 --as_of=YYYY-MM-DD、--category=、--status=（可多次）、--sort=，同驾驶舱排名表）。格式默认取自 FILE 的扩展名。"
   "筛选、排序同接口的列表参数，写作 --字段=值（如 --stage=signed --sort=-planned_investment；同一字段给多次表示其中任一值）。"
   "导出全部记录，只读，不记审计。文件先写到同目录的临时文件，完成后才改名为 FILE。"},
  {"import", cmd_import, "huizhan import KIND FILE --db FILE [--dry-run] [--campaign ID] [--as LOGIN] [--sheet NAME]",
   "从 Excel（.xlsx）或 CSV 导入 units、users、targets、projects、follow-ups 或 funds。列名用中文或英文字段名；"
   "按自然键匹配，再次导入同一文件是更新而不是重复。整个文件要么全部导入，要么（有任何错误时）一行也不导入，"
   "错误逐格列出并写入 FILE.errors.xlsx。--dry-run 只检查并报告将新建和更新的行数；--as 以该用户身份导入和审计"
   "（默认 admin）；--sheet 选择工作表（默认第一个）。"},
  {"migrate", cmd_migrate, "huizhan migrate --from FILE --to postgresql://…",
   "把整个数据库复制到新建的空数据库（通常从 SQLite 文件到 PostgreSQL，见 docs/scaling.md）：所有表、编号、审计链和附件原样复制，"
   "一个事务内完成，逐表核对行数，再校验审计链和全部统计数字。目标库不是空库时拒绝。复制前请停止使用源库的 huizhan serve。"},
  {"backup", cmd_backup, "huizhan backup --db FILE --to FILE",
   "在服务运行、继续写入的同时，把 SQLite 数据库复制为一致的备份文件（--to，须是新文件），"
   "并对副本做完整性检查、审计链校验和统计数字核对，全部通过才报告成功；否则删除副本并返回非零。"
   "PostgreSQL 数据库请用 pg_dump（命令会给出完整的写法）。"},
  {"restore", cmd_restore, "huizhan restore FILE --db FILE",
   "用备份文件 FILE 替换数据库：先对 FILE 做与 backup 相同的检查；有 huizhan serve 正在使用该数据库时拒绝；"
   "被替换的数据库改名保留为“原文件名.replaced-日期-时间”。PostgreSQL 数据库请用 pg_restore。"},
  {"audit", cmd_audit, "huizhan audit verify --db FILE [--against FILE]\n  huizhan audit rekey --db FILE",
   "verify：用审计密钥校验审计日志的哈希链，并核对已发布通报和已认定的记录（到账资金、阶段变更）与审计日志一致；"
   "--against 另与 --audit-log 写下的审计日志文件逐条比对。完好时输出 ok 并返回 0，否则指出第一处问题并返回非零。"
   "rekey：把启用密钥之前建的数据库升级：先校验旧的（无密钥）哈希链和记录，再生成审计密钥文件，自下一条记录起用密钥；"
   "对已使用密钥的数据库则更换密钥：先用现有密钥文件校验全部记录，再生成新密钥，自下一条记录起使用，"
   "密钥文件改为新密钥加各把停用的密钥（旧文件从此不能校验）。须先停止所有 huizhan serve。"},
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void usage_all(FILE *f) {
  fprintf(f, "huizhan %s — 招商引资百日会战指挥平台\n\n用法：\n", HZ_VERSION);
  for (size_t i = 0; i < NCOMMANDS; i++) fprintf(f, "  %s\n", commands[i].usage);
  fprintf(f, "  huizhan version\n  huizhan help [COMMAND]\n\n"
             "每个命令都接受 --help。环境变量 HUIZHAN_TODAY=YYYY-MM-DD 让整个程序以该日期为“今天”。\n"
             "--db 是 SQLite 数据库文件，或 PostgreSQL 连接串 postgresql://用户@主机:端口/库名；\n"
             "不给 --db 时取环境变量 HUIZHAN_DB（密码不会出现在进程列表里）。\n"
             "审计密钥（每个命令相同）：--audit-key FILE，否则环境变量 HUIZHAN_AUDIT_KEY，否则 SQLite 文件旁的 FILE.audit-key；\n"
             "PostgreSQL 须指明。init、demo、gen 在密钥文件不存在时生成它（权限 0600）。\n"
             "--audit-log FILE（任一命令）：把每条审计记录另写一份到 FILE（JSON 行），供 audit verify --against 比对。\n");
}

static void usage_one(const Command *c, FILE *f) { fprintf(f, "用法：%s\n\n%s\n", c->usage, c->help); }

const char *cli_opt(const CliArgs *a, const char *name) {
  for (int i = 0; i < a->n; i++)
    if (!strcmp(a->names[i], name)) return a->values[i];
  return NULL;
}

int cli_fail(HzErr *e) {
  const char *k;
  json_t *v;
  /* The offending field is named even when its message is the headline itself. */
  fprintf(stderr, "huizhan: %s", e->message[0] ? e->message : "失败");
  json_object_foreach(e->fields, k, v) if (!strcmp(json_string_value(v), e->message)) fprintf(stderr, "（%s）", k);
  fprintf(stderr, "\n");
  json_object_foreach(e->fields, k, v) if (strcmp(json_string_value(v), e->message))
      fprintf(stderr, "  %s: %s\n", k, json_string_value(v));
  int rc = e->rc;
  hz_err_clear(e);
  return rc == HZ_EINVAL || rc == HZ_EMALFORMED ? 2 : 1;
}

const char *cli_opt_env(const CliArgs *a, const char *name, const char *env) {
  const char *v = cli_opt(a, name);
  if (!v && (v = getenv(env)) && !*v) v = NULL;
  return v;
}

const char *cli_db_target(const CliArgs *a) {
  const char *t = cli_opt(a, "db");
  if (!t || !*t) t = getenv("HUIZHAN_DB");
  return t && *t ? t : NULL;
}

int cli_db_fresh(const CliArgs *a, const char *command, HzErr *e) {
  const char *target = cli_db_target(a);
  if (!target) return hz_fail(e, HZ_EINVAL, "db", "缺少 --db FILE（或环境变量 HUIZHAN_DB）");
  return cli_target_fresh(target, "db", command, e);
}

int cli_target_fresh(const char *target, const char *field, const char *command, HzErr *e) {
  char shown[512];
  db_target_display(target, shown, sizeof shown);
  if (!db_target_is_server(target)) {
    if (access(target, F_OK) == 0) return hz_fail(e, HZ_ECONFLICT, field, "%s 已存在；%s 只创建新数据库", shown, command);
    return HZ_OK;
  }
  Db *db = NULL;
  int empty = 0;
  int rc = db_open(target, 0, &db, e);
  if (!rc) rc = db_is_empty(db, &empty, e);
  db_close(db);
  if (!rc && !empty) rc = hz_fail(e, HZ_ECONFLICT, field, "%s 不是空数据库；%s 只写入新建的空数据库", shown, command);
  return rc;
}

void cli_db_discard(const CliArgs *a) {
  const char *target = cli_db_target(a);
  /* a PostgreSQL database is its administrator's to drop (docs/scaling.md) */
  if (target && !db_target_is_server(target)) unlink(target);
}

int cli_audit_key_path(const CliArgs *a, const char *target, char *out, size_t n, int *is_default, HzErr *e) {
  const char *p = cli_opt(a, "audit-key");
  if (!p || !*p) p = getenv("HUIZHAN_AUDIT_KEY");
  *is_default = !p || !*p;
  if (!*is_default) {
    if (snprintf(out, n, "%s", p) >= (int)n) return hz_fail(e, HZ_EINVAL, "audit-key", "审计密钥文件路径过长");
    return HZ_OK;
  }
  if (db_target_is_server(target))
    return hz_fail(e, HZ_EINVAL, "audit-key",
                   "PostgreSQL 数据库须用 --audit-key FILE 或环境变量 HUIZHAN_AUDIT_KEY 指明审计密钥文件（见 docs/security.md）");
  if (snprintf(out, n, "%s.audit-key", target) >= (int)n) return hz_fail(e, HZ_EINVAL, "audit-key", "审计密钥文件路径过长");
  return HZ_OK;
}

int cli_audit_key_read(const CliArgs *a, const char *target, int create, unsigned char key[32], char *path, HzErr *e) {
  char where[4096];
  int is_default = 0;
  int rc = cli_audit_key_path(a, target, where, sizeof where, &is_default, e);
  if (!rc) rc = audit_key_file_read(where, create, key, NULL, e);
  if (rc == HZ_ENOTFOUND)
    hz_fail(e, rc, "audit-key",
            "审计密钥文件 %s 不存在：用 --audit-key FILE 或环境变量 HUIZHAN_AUDIT_KEY 指明；"
            "启用密钥之前建的数据库先运行 huizhan audit rekey 升级（见 docs/security.md）",
            where);
  if (path) snprintf(path, 4096, "%s", where);
  return rc;
}

static int open_migrated(const CliArgs *a, int create, Db **db, HzErr *e) {
  const char *path = cli_db_target(a);
  if (!path) return hz_fail(e, HZ_EINVAL, "db", "缺少 --db FILE（或环境变量 HUIZHAN_DB）");
  int rc = db_open(path, create, db, e);
  if (!rc) rc = db_migrate(*db, e);
  return rc;
}

int cli_open_db_unkeyed(const CliArgs *a, Db **db, HzErr *e) {
  int rc = open_migrated(a, 0, db, e);
  if (rc) {
    db_close(*db);
    *db = NULL;
  }
  return rc;
}

int cli_open_db(const CliArgs *a, int create, Db **db, HzErr *e) {
  unsigned char key[AUDIT_KEY_BYTES];
  int rc = open_migrated(a, create, db, e);
  if (!rc) rc = cli_audit_key_read(a, cli_db_target(a), create, key, NULL, e);
  if (!rc) rc = audit_key_bind(*db, key, e);
  sodium_memzero(key, sizeof key);
  const char *log = cli_opt(a, "audit-log");
  if (!rc && log && *log) rc = audit_file_open(*db, log, e);
  if (rc) {
    db_close(*db);
    *db = NULL;
  }
  return rc;
}

/* Whether the command's usage names --name: the usage line is the one list of a
 * command's options, so a mistyped option is refused rather than silently ignored. */
static int takes_option(const Command *c, const char *name) {
  size_t n = strlen(name);
  for (const char *p = c->usage; (p = strstr(p, "--")); p += 2)
    if (!strncmp(p + 2, name, n) && (p[2 + n] == ' ' || p[2 + n] == ']' || p[2 + n] == '\n' || !p[2 + n])) return 1;
  return 0;
}

/* Options every command takes besides those its usage names (cli_open_db reads them). */
static int global_option(const char *name) { return !strcmp(name, "audit-key") || !strcmp(name, "audit-log"); }

static int parse_args(const Command *c, int argc, char **argv, CliArgs *a, int *want_help) {
  memset(a, 0, sizeof *a);
  for (int i = 0; i < argc; i++) {
    const char *s = argv[i];
    if (!strcmp(s, "--help") || !strcmp(s, "-h")) {
      *want_help = 1;
      continue;
    }
    if (!strncmp(s, "--", 2) && strchr(s, '=')) {
      /* --name=value: any name for a command that takes field filters (--FIELD=VALUE). */
      char *eq = strchr(argv[i], '=');
      *eq = 0;
      if (!takes_option(c, s + 2) && !global_option(s + 2) && !strstr(c->usage, "--FIELD=VALUE")) {
        fprintf(stderr, "huizhan: %s 命令没有选项 %s\n", c->name, s);
        return 2;
      }
      if (a->n >= 32) {
        fprintf(stderr, "huizhan: 选项过多\n");
        return 2;
      }
      a->names[a->n] = s + 2;
      a->values[a->n++] = eq + 1;
      continue;
    }
    if (!strncmp(s, "--", 2)) {
      if (!takes_option(c, s + 2) && !global_option(s + 2)) {
        fprintf(stderr, "huizhan: %s 命令没有选项 %s\n", c->name, s);
        return 2;
      }
      /* "[--dry-run]" in the usage: a switch without a value */
      char flag[64];
      snprintf(flag, sizeof flag, "[%s]", s);
      if (strstr(c->usage, flag) && a->n < 32) {
        a->names[a->n] = s + 2;
        a->values[a->n++] = "1";
        continue;
      }
      if (i + 1 >= argc || a->n >= 32) {
        fprintf(stderr, "huizhan: 选项 %s 缺少取值\n", s);
        return 2;
      }
      a->names[a->n] = s + 2;
      a->values[a->n++] = argv[++i];
    } else if (a->npositional < 8) {
      a->positional[a->npositional++] = s;
    } else {
      fprintf(stderr, "huizhan: 参数过多\n");
      return 2;
    }
  }
  return 0;
}

int cli_main(int argc, char **argv) {
  if (crypto_setup()) {
    fprintf(stderr, "huizhan: libsodium 初始化失败\n");
    return 1;
  }
  if (argc < 2) {
    usage_all(stderr);
    return 2;
  }
  const char *name = argv[1], *today = getenv("HUIZHAN_TODAY");
  int day;
  /* A mistyped rehearsal date must not quietly fall back to the real one. */
  if (today && *today && date_parse(today, &day)) {
    fprintf(stderr, "huizhan: 环境变量 HUIZHAN_TODAY=%s 应为 YYYY-MM-DD 格式的真实日期\n", today);
    return 2;
  }
  if (!strcmp(name, "version") || !strcmp(name, "--version")) {
    printf("huizhan %s\n", HZ_VERSION);
    return 0;
  }
  if (!strcmp(name, "help") || !strcmp(name, "--help") || !strcmp(name, "-h")) {
    for (size_t i = 0; argc > 2 && i < NCOMMANDS; i++)
      if (!strcmp(commands[i].name, argv[2])) {
        usage_one(&commands[i], stdout);
        return 0;
      }
    if (argc > 2) {
      fprintf(stderr, "huizhan: 未知命令 %s\n\n", argv[2]);
      usage_all(stderr);
      return 2;
    }
    usage_all(stdout);
    return 0;
  }
  for (size_t i = 0; i < NCOMMANDS; i++) {
    if (strcmp(commands[i].name, name)) continue;
    CliArgs a;
    int help = 0, rc = parse_args(&commands[i], argc - 2, argv + 2, &a, &help);
    if (help) {
      usage_one(&commands[i], stdout);
      return 0;
    }
    if (rc) {
      usage_one(&commands[i], stderr);
      return rc;
    }
    if (strcmp(name, "serve")) log_set_verbose(0);
    return commands[i].run(&a);
  }
  fprintf(stderr, "huizhan: 未知命令 %s\n\n", name);
  usage_all(stderr);
  return 2;
}
