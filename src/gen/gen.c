#include "gen/gen.h"
#include "domain/audit.h"
#include "domain/figures.h"
#include "domain/stage.h"
#include "store/audit_store.h"
#include "store/bulk_store.h"
#include "util/json_text.h"
#include "util/crypto.h"
#include "util/timeutil.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- a small deterministic PRNG: xoshiro256** seeded through splitmix64 ---- */

typedef struct {
  uint64_t s[4];
} Rng;

static uint64_t splitmix(uint64_t *x) {
  uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

static void rng_seed(Rng *r, uint64_t seed) {
  for (int i = 0; i < 4; i++) r->s[i] = splitmix(&seed);
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static uint64_t rng_next(Rng *r) {
  uint64_t *s = r->s, out = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 45);
  return out;
}

/* Uniform in [0, 1). */
static double rng_unit(Rng *r) { return (double)(rng_next(r) >> 11) * 0x1.0p-53; }
/* Uniform in [0, n); 0 when n <= 0. */
static int64_t rng_below(Rng *r, int64_t n) { return n > 0 ? (int64_t)(rng_unit(r) * (double)n) : 0; }
static int rng_pct(Rng *r, int pct) { return rng_below(r, 100) < pct; }
/* Index into cumulative percentages (the last entry must be 100). */
static int rng_pick(Rng *r, const int *cum) {
  int64_t x = rng_below(r, 100);
  int i = 0;
  while (x >= cum[i]) i++;
  return i;
}
#define PICK(r, list) list[rng_below(r, (int64_t)(sizeof list / sizeof list[0]))]

/* ---- names ---- */

static const char *const counties[] = {"东城区", "西城区", "南湖区", "北山区", "新城区", "开发区", "高新区", "临江县",
                                       "清河县", "石门县", "青山县", "白水县", "金沙县", "龙泉市", "凤凰县", "云岭县",
                                       "平安县", "长乐县", "永兴县", "双峰县"};
static const struct {
  const char *name, *category;
} depts[] = {
  {"发展和改革局", "industry"},   {"工业和信息化局", "industry"},  {"商务局", "industry"},
  {"科学技术局", "industry"},     {"自然资源局", "industry"},      {"住房和城乡建设局", "industry"},
  {"交通运输局", "industry"},     {"生态环境局", "industry"},      {"农业农村局", "agriculture"},
  {"林业局", "agriculture"},      {"水利局", "agriculture"},       {"供销合作社", "agriculture"},
  {"文化和旅游局", "services"},   {"卫生健康委员会", "services"},  {"教育局", "services"},
  {"市场监督管理局", "services"}, {"金融工作局", "services"},      {"商业银行分行", "services"},
  {"财政局", "policy_funds"},     {"人力资源和社会保障局", "policy_funds"},
  {"总工会", "mass_org"},         {"共青团委员会", "mass_org"},    {"妇女联合会", "mass_org"},
  {"工商业联合会", "mass_org"},   {"科学技术协会", "mass_org"},    {"投资促进中心", "industry"},
  {"产业园区管委会", "industry"}, {"城市投资集团", "other"},       {"融媒体中心", "other"},
  {"机关事务管理局", "other"},
};
static const char *const firm_prefixes[] = {"华信", "中科", "宏达", "金桥", "远航", "瑞丰", "新天", "恒通", "鼎盛",
                                            "天成", "博远", "嘉禾", "国泰", "长城", "东方", "万向", "安泰", "凯旋",
                                            "正大", "光明"};
static const char *const industries[] = {"新能源汽车零部件", "锂电池材料", "光伏组件", "智能装备", "生物医药",
                                         "电子信息", "新型建材", "农产品深加工", "冷链物流", "文旅康养",
                                         "数据中心", "精细化工", "食品饮料", "纺织服装", "现代农业产业园",
                                         "商贸综合体", "职业教育", "医疗器械", "节能环保", "预制菜"};
static const char *const project_kinds[] = {"生产基地", "产业园", "扩建", "技改", "总部", "研发中心", "物流园",
                                            "示范基地"};
static const char *const people_surnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴",
                                              "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马", "罗"};
static const char *const people_given[] = {"伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇",
                                           "艳", "杰", "涛", "明", "超", "秀英", "建华", "志强", "海燕", "国平"};
static const char *const follow_up_kinds[] = {"outbound_visit", "investor_visit", "call", "meeting", "fair"};
static const int follow_up_kind_cum[] = {25, 45, 75, 95, 100};
static const char *const summaries[] = {
  "上门拜访企业负责人，介绍园区政策和要素保障，对方有意考察", "客商来访考察选址，实地查看标准厂房和配套",
  "电话沟通项目进展，对方正在内部论证投资方案", "召开专题协调会，研究用地、用能和融资问题",
  "在招商推介会上洽谈，交换合作意向"};
static const char *const next_steps[] = {"报送项目建议书", "安排实地考察", "对接用地指标", "起草投资协议",
                                         "协调金融机构授信"};
static const char *const fund_kinds[] = {"out_of_city", "out_of_province", "foreign", "policy"};
static const int fund_kind_cum[] = {45, 70, 75, 100};
static const char *const project_categories[] = {"industrial", "restructuring", "agri_industrialization", "services",
                                                 "policy_funds", "other"};
static const int project_category_cum[] = {35, 45, 55, 80, 85, 100};
static const char *const methods[] = {"industry", "joint", "relationship", "borrowed_ship", "business_led", "fair",
                                      "other"};
static const char *const drop_reasons[] = {"企业投资计划调整", "资金链紧张暂缓投资", "选址其他地区",
                                           "项目不符合产业政策"};
static const char *const target_metrics[] = {"funds_arrived", "signed_count", "signed_value", "started_count",
                                             "completed_count", "policy_funds", "leads_count"};
enum { T_FUNDS, T_SIGNED, T_SIGNED_VALUE, T_STARTED, T_COMPLETED, T_POLICY, T_LEADS, T_N };

#define NEVENTS 6
#define MAX_MOVES 5
#define PROJECTS_PER_TX 20000

/* ---- the plan of one project, drawn before any row is written ---- */

typedef struct {
  int32_t unit, lead, fund_from, active_to;
  int64_t planned, contract;
  int32_t nfollow, nfunds;
  int8_t stage, nmoves, rejected; /* rejected: the last move was rejected */
  int8_t to[MAX_MOVES];
  int32_t date[MAX_MOVES];
} Plan;

typedef struct {
  const GenConfig *cfg;
  Db *db;
  BulkLoad *load;
  HzErr *e;
  Rng rng;
  int start, end;           /* campaign days */
  char hash[PASSWORD_HASH_LEN];
  Plan *plans;
  int64_t *cert;            /* [unit][T_N] certified (leads: all) as of the as-of day */
  int64_t next_change, next_follow_up, next_fund;
  char audit_head[SHA256_HEX_LEN]; /* the audit chain, kept here and written to meta at the end */
  int64_t audit_n;
  GenSummary *sum;
} Gen;

static void stamp(int day, int secs, char out[TIMESTAMP_LEN]) { time_iso_of((int64_t)day * 86400 + secs % 86400, out); }

/* A working-hours time (09:00-18:00 in Beijing) of the day. */
static void work_stamp(Gen *g, int day, char out[TIMESTAMP_LEN]) {
  stamp(day, 3600 + (int)rng_below(&g->rng, 9 * 3600), out);
}

static int64_t user_head(int64_t unit) { return 3 * unit + 1; }
static int64_t user_deputy(int64_t unit) { return 3 * unit + 2; }
static int64_t user_staff(int64_t unit) { return 3 * unit + 3; }
#define USER_OFFICE 2

static void progress(Gen *g, const char *what, int64_t done, int64_t total) {
  if (g->cfg->progress) g->cfg->progress(what, done, total, g->cfg->ctx);
}

static int insert(Gen *g, BulkTable t, const BulkRow *r) { return bulk_load_add(g->load, t, r, g->e); }

/* The office's certification of a record, logged as the engine logs it (`huizhan audit
 * verify` checks every certified record against its latest entry). Takes `after`. */
static int audit_certify(Gen *g, const char *entity, int64_t id, const char *at, json_t *after) {
  char *text = json_text_sorted(after, NULL); /* what audit_store_append writes */
  json_decref(after);
  if (!text) return hz_fail(g->e, HZ_ENOMEM, NULL, "内存不足");
  AuditEntry en = {.id = g->audit_n + 1, .at = at, .user_id = USER_OFFICE, .action = "certify", .entity = entity,
                   .entity_id = id, .before = NULL, .after = text, .prev_hash = g->audit_head};
  char hash[SHA256_HEX_LEN];
  audit_entry_hash(&en, hash);
  BulkRow r;
  bulk_row_reset(&r);
  bulk_row_int(&r, en.id);
  bulk_row_text(&r, at);
  bulk_row_int(&r, USER_OFFICE);
  bulk_row_text(&r, "certify");
  bulk_row_text(&r, entity);
  bulk_row_int(&r, id);
  bulk_row_null(&r);
  bulk_row_text(&r, text);
  bulk_row_text(&r, g->audit_head);
  bulk_row_text(&r, hash);
  int rc = insert(g, BULK_AUDIT, &r);
  free(text);
  if (!rc) {
    g->audit_n++;
    memcpy(g->audit_head, hash, sizeof hash);
  }
  return rc;
}

static json_t *opt_text(const char *s) { return s ? json_string(s) : json_null(); }

/* ---- units, accounts, the campaign ---- */

static void unit_name(int64_t i, char *out, size_t n) {
  size_t nd = sizeof depts / sizeof depts[0], nc = sizeof counties / sizeof counties[0];
  int64_t round = i / (int64_t)(nd * nc);
  if (round) snprintf(out, n, "%s%s（%lld）", counties[(i / (int64_t)nd) % (int64_t)nc], depts[i % (int64_t)nd].name,
                      (long long)round + 1);
  else snprintf(out, n, "%s%s", counties[(i / (int64_t)nd) % (int64_t)nc], depts[i % (int64_t)nd].name);
}

static void person(Gen *g, char *out, size_t n) {
  snprintf(out, n, "%s%s", PICK(&g->rng, people_surnames), PICK(&g->rng, people_given));
}

static int write_user(Gen *g, int64_t id, const char *created, const char *login, const char *name, const char *role,
                      int64_t unit, const char *title) {
  BulkRow r;
  char phone[32];
  snprintf(phone, sizeof phone, "139%08lld", (long long)(id % 100000000));
  bulk_row_reset(&r);
  bulk_row_int(&r, id);
  bulk_row_text(&r, created);
  bulk_row_text(&r, created);
  bulk_row_text(&r, login);
  bulk_row_text(&r, name);
  bulk_row_text(&r, role);
  if (unit) bulk_row_int(&r, unit);
  else bulk_row_null(&r);
  bulk_row_text(&r, title);
  bulk_row_text(&r, phone);
  bulk_row_text(&r, g->hash);
  return insert(g, BULK_USERS, &r);
}

static int write_people(Gen *g) {
  char created[TIMESTAMP_LEN], name[256], login[64], pname[64];
  stamp(g->start - 60, 3600, created);
  int rc = write_user(g, 1, created, "admin", "系统管理员", "admin", 0, "管理员");
  if (!rc) rc = write_user(g, USER_OFFICE, created, "office", "会战办公室", "office", 0, "办公室主任");
  if (!rc) rc = write_user(g, 3, created, "leader", "市领导", "leader", 0, "副市长");
  BulkRow r;
  size_t nd = sizeof depts / sizeof depts[0];
  for (int64_t u = 1; u <= g->cfg->units && !rc; u++) {
    unit_name(u - 1, name, sizeof name);
    bulk_row_reset(&r);
    bulk_row_int(&r, u);
    bulk_row_text(&r, created);
    bulk_row_text(&r, created);
    bulk_row_text(&r, name);
    bulk_row_text(&r, depts[(u - 1) % (int64_t)nd].name);
    bulk_row_text(&r, depts[(u - 1) % (int64_t)nd].category);
    bulk_row_int(&r, user_head(u));
    bulk_row_int(&r, user_deputy(u));
    char phone[32];
    snprintf(phone, sizeof phone, "0731-%07lld", (long long)u);
    bulk_row_text(&r, phone);
    rc = insert(g, BULK_UNITS, &r);
    static const struct { const char *suffix, *role, *title; } who[] = {
      {"head", "unit_head", "局长"}, {"deputy", "unit_head", "副局长"}, {"staff", "unit_staff", "招商专员"}};
    for (int k = 0; k < 3 && !rc; k++) {
      snprintf(login, sizeof login, "u%lld_%s", (long long)u, who[k].suffix);
      person(g, pname, sizeof pname);
      rc = write_user(g, 3 * u + 1 + k, created, login, pname, who[k].role, u, who[k].title);
    }
    g->sum->units++;
    g->sum->users += 3;
  }
  g->sum->users += 3;
  return rc;
}

static int write_campaign(Gen *g) {
  char created[TIMESTAMP_LEN], start[DATE_LEN], end[DATE_LEN], name[128];
  int y, m, d;
  date_to_ymd(g->start, &y, &m, &d);
  stamp(g->start - 30, 7200, created);
  date_format(g->start, start);
  date_format(g->end, end);
  snprintf(name, sizeof name, "%d年招商引资百日会战", y);
  BulkRow r;
  bulk_row_reset(&r);
  bulk_row_int(&r, 1);
  bulk_row_text(&r, created);
  bulk_row_text(&r, created);
  bulk_row_text(&r, name);
  bulk_row_int(&r, y);
  bulk_row_text(&r, start);
  bulk_row_text(&r, end);
  bulk_row_text(&r, "active");
  int rc = insert(g, BULK_CAMPAIGNS, &r);
  static const struct { int day; const char *name, *kind; } cps[] = {
    {29, "第一个月末调度", "month_end"}, {49, "会战中期推进会", "midpoint"}, {59, "第二个月末调度", "month_end"},
    {89, "第三个月末调度", "month_end"}, {99, "会战总结考核", "final"}};
  for (size_t i = 0; i < sizeof cps / sizeof cps[0] && !rc; i++) {
    char date[DATE_LEN];
    date_format(g->start + cps[i].day, date);
    bulk_row_reset(&r);
    bulk_row_int(&r, (int64_t)i + 1);
    bulk_row_text(&r, created);
    bulk_row_text(&r, created);
    bulk_row_int(&r, 1);
    bulk_row_text(&r, cps[i].name);
    bulk_row_text(&r, cps[i].kind);
    bulk_row_text(&r, date);
    rc = insert(g, BULK_CHECKPOINTS, &r);
  }
  static const char *const places[] = {"国际会展中心", "深圳会展中心", "上海国家会展中心", "香港会议展览中心",
                                       "市民中心", "高新区双创基地"};
  for (int i = 0; i < NEVENTS && !rc; i++) {
    char s[DATE_LEN], t[DATE_LEN], ename[128];
    date_format(g->start + 5 + 16 * i, s);
    date_format(g->start + 6 + 16 * i, t);
    snprintf(ename, sizeof ename, "第%d场招商推介会", i + 1);
    bulk_row_reset(&r);
    bulk_row_int(&r, i + 1);
    bulk_row_text(&r, created);
    bulk_row_text(&r, created);
    bulk_row_int(&r, 1);
    bulk_row_text(&r, ename);
    bulk_row_text(&r, s);
    bulk_row_text(&r, t);
    bulk_row_text(&r, places[i]);
    rc = insert(g, BULK_EVENTS, &r);
  }
  return rc;
}

/* Investors: a quarter as many as projects, each registered by one unit (in turn). */
static int64_t investor_count(const Gen *g) { return g->cfg->projects / 4; }

static int write_investors(Gen *g) {
  static const char *const kinds[] = {"enterprise", "enterprise", "enterprise", "person"};
  static const char *const origins[] = {"local", "in_province", "out_of_province", "out_of_province", "overseas"};
  char created[TIMESTAMP_LEN], name[128];
  stamp(g->start - 50, 7200, created);
  int rc = HZ_OK;
  BulkRow r;
  for (int64_t i = 1; i <= investor_count(g) && !rc; i++) {
    const char *kind = PICK(&g->rng, kinds);
    if (!strcmp(kind, "person")) person(g, name, sizeof name);
    else snprintf(name, sizeof name, "%s%s有限公司（%lld）", PICK(&g->rng, firm_prefixes), PICK(&g->rng, industries),
                  (long long)i);
    bulk_row_reset(&r);
    bulk_row_int(&r, i);
    bulk_row_text(&r, created);
    bulk_row_text(&r, created);
    bulk_row_text(&r, name);
    bulk_row_text(&r, kind);
    bulk_row_text(&r, PICK(&g->rng, origins));
    bulk_row_text(&r, PICK(&g->rng, industries));
    bulk_row_int(&r, (i - 1) % g->cfg->units + 1);
    rc = insert(g, BULK_INVESTORS, &r);
  }
  return rc;
}

/* ---- planning: each project's path through the stages, and how many records it has ---- */

/* Stages at the as-of day: lead, negotiating, signed, started, completed, dropped. */
static const int stage_cum[] = {35, 60, 74, 86, 92, 100};

static void plan_moves(Gen *g, Plan *p, int final, int may_reject) {
  int8_t path[MAX_MOVES];
  int n = 0, x = (int)rng_below(&g->rng, 100);
  switch (final) {
  case STAGE_NEGOTIATING: path[n++] = STAGE_NEGOTIATING; break;
  case STAGE_SIGNED:
    if (x < 80) path[n++] = STAGE_NEGOTIATING;
    path[n++] = STAGE_SIGNED;
    break;
  case STAGE_STARTED:
    if (x < 85) path[n++] = STAGE_NEGOTIATING;
    if (x < 70) path[n++] = STAGE_SIGNED;
    path[n++] = STAGE_STARTED; /* a skipping move carries the contract too */
    break;
  case STAGE_COMPLETED:
    path[n++] = STAGE_NEGOTIATING;
    path[n++] = STAGE_SIGNED;
    if (x < 80) path[n++] = STAGE_STARTED;
    path[n++] = STAGE_COMPLETED;
    break;
  case STAGE_DROPPED: {
    static const int from_cum[] = {40, 80, 92, 100};
    int from = rng_pick(&g->rng, from_cum);
    for (int s = STAGE_NEGOTIATING; s <= from; s++) path[n++] = (int8_t)s;
    path[n++] = STAGE_DROPPED;
    break;
  }
  default: break;
  }
  p->stage = (int8_t)final;
  /* Now and then the office rejected the latest move, so the project stayed where it was. */
  if (may_reject && final >= STAGE_NEGOTIATING && final <= STAGE_STARTED && rng_pct(&g->rng, 4)) {
    path[n++] = (int8_t)(final + 1);
    p->rejected = 1;
  }
  p->nmoves = (int8_t)n;
  memcpy(p->to, path, (size_t)n);
}

static void plan_project(Gen *g, Plan *p, int force_signed) {
  memset(p, 0, sizeof *p);
  /* Units differ in size: a mild skew towards the low ids. */
  double u = rng_unit(&g->rng);
  p->unit = (int32_t)(1 + (int64_t)((double)g->cfg->units * u * u * 0.5 + (double)g->cfg->units * u * 0.5));
  if (p->unit > g->cfg->units) p->unit = (int32_t)g->cfg->units;
  /* Planned investment: log-uniform from 5 million to 5 billion yuan, in 10,000s. */
  p->planned = (int64_t)(5e6 * pow(10.0, 3.0 * rng_unit(&g->rng)) / 10000.0) * 10000;
  int final = force_signed ? STAGE_SIGNED : rng_pick(&g->rng, stage_cum);
  plan_moves(g, p, final, !force_signed);
  int lo = g->start - 45, hi = g->cfg->as_of - 2 * p->nmoves;
  if (hi < lo) hi = lo;
  p->lead = lo + (int32_t)rng_below(&g->rng, hi - lo + 1);
  int cur = p->lead;
  for (int i = 0; i < p->nmoves; i++) {
    int left = p->nmoves - i, maxstep = (g->cfg->as_of - cur) / left;
    cur += maxstep >= 1 ? 1 + (int)rng_below(&g->rng, maxstep) : 0;
    p->date[i] = cur;
  }
  p->active_to = p->stage == STAGE_DROPPED ? p->date[p->nmoves - 1] : g->cfg->as_of;
  int from = STAGE_LEAD;
  for (int i = 0; i < p->nmoves; i++) {
    int standing = !(p->rejected && i == p->nmoves - 1);
    if (stage_move_passes(from, p->to[i], STAGE_SIGNED)) {
      p->contract = p->planned * (60 + rng_below(&g->rng, 51)) / 100 / 10000 * 10000;
      if (p->contract < 10000) p->contract = 10000;
      if (standing) p->fund_from = p->date[i];
    }
    if (standing) from = p->to[i];
  }
  if (p->stage < STAGE_SIGNED || p->stage == STAGE_DROPPED) p->fund_from = 0;
}

static int plan_all(Gen *g) {
  int64_t n = g->cfg->projects;
  g->plans = calloc(n ? (size_t)n : 1, sizeof *g->plans);
  if (!g->plans) return hz_fail(g->e, HZ_ENOMEM, NULL, "内存不足（%lld 个项目）", (long long)n);
  for (int64_t i = 0; i < n; i++) plan_project(g, &g->plans[i], i == 0 && g->cfg->funds > 0);
  for (int64_t f = 0; f < g->cfg->follow_ups; f++) g->plans[rng_below(&g->rng, n)].nfollow++;
  /* Funds only for projects that stand at signed, started or completed. */
  int64_t *eligible = malloc(n ? (size_t)n * sizeof *eligible : sizeof *eligible), ne = 0;
  if (!eligible) return hz_fail(g->e, HZ_ENOMEM, NULL, "内存不足");
  for (int64_t i = 0; i < n; i++)
    if (g->plans[i].fund_from) eligible[ne++] = i;
  for (int64_t f = 0; f < g->cfg->funds; f++) g->plans[eligible[rng_below(&g->rng, ne)]].nfunds++;
  free(eligible);
  return HZ_OK;
}

/* ---- writing a project and its records ---- */

static int64_t *cert_of(Gen *g, int64_t unit) { return &g->cert[(unit - 1) * T_N]; }

static int write_project(Gen *g, int64_t id, const Plan *p) {
  Rng *rng = &g->rng;
  BulkRow r;
  char created[TIMESTAMP_LEN], updated[TIMESTAMP_LEN], lead[DATE_LEN], last[DATE_LEN], name[256], desc[256];
  int64_t unit = p->unit, staff = user_staff(unit);
  int64_t *cert = cert_of(g, unit);
  const char *industry = PICK(rng, industries);
  snprintf(name, sizeof name, "%s%s%s项目", PICK(rng, firm_prefixes), industry, PICK(rng, project_kinds));
  snprintf(desc, sizeof desc, "%s产业链招商项目，计划投资%lld万元", industry, (long long)(p->planned / 10000));
  work_stamp(g, p->lead, created);
  date_format(p->lead, lead);
  const char *method = PICK(rng, methods);
  int64_t per_unit = investor_count(g) / g->cfg->units + ((unit - 1) < investor_count(g) % g->cfg->units);
  int64_t investor = per_unit > 0 && rng_pct(rng, 75) ? unit + rng_below(rng, per_unit) * g->cfg->units : 0;

  /* Follow-up dates first: the project's last activity is the latest of them. */
  int32_t fdates[64];
  int32_t nf = p->nfollow < 64 ? p->nfollow : 64, latest = p->lead;
  for (int32_t i = 0; i < p->nfollow; i++) {
    int32_t d = p->lead + (int32_t)rng_below(rng, p->active_to - p->lead + 1);
    if (i < 64) fdates[i] = d;
    if (d > latest) latest = d;
  }
  date_format(latest, last);
  int last_move = p->nmoves ? p->date[p->nmoves - 1] : p->lead;
  work_stamp(g, last_move, updated);
  if (strcmp(updated, created) < 0) memcpy(updated, created, sizeof updated);

  /* The project's contract value is that of its latest move carrying one, rejected or not,
   * as the engine leaves it. */
  int64_t contract = 0;
  for (int i = 0, from = STAGE_LEAD; i < p->nmoves; i++) {
    if (stage_move_passes(from, p->to[i], STAGE_SIGNED)) contract = p->contract;
    if (!(p->rejected && i == p->nmoves - 1)) from = p->to[i];
  }
  bulk_row_reset(&r);
  bulk_row_int(&r, id);
  bulk_row_text(&r, created);
  bulk_row_text(&r, updated);
  bulk_row_int(&r, 1);
  bulk_row_text(&r, name);
  bulk_row_int(&r, unit);
  bulk_row_int(&r, staff);
  if (investor) bulk_row_int(&r, investor);
  else bulk_row_null(&r);
  bulk_row_text(&r, project_categories[rng_pick(rng, project_category_cum)]);
  bulk_row_text(&r, method);
  bulk_row_int(&r, p->planned);
  bulk_row_int(&r, contract);
  if (!strcmp(method, "fair")) bulk_row_int(&r, 1 + rng_below(rng, NEVENTS));
  else bulk_row_null(&r);
  bulk_row_text(&r, stage_name(p->stage));
  bulk_row_text(&r, desc);
  bulk_row_text(&r, lead);
  bulk_row_text(&r, last);
  bulk_row_int(&r, 1 + p->nmoves + p->rejected); /* each move, and an undone one, updated it */
  int rc = insert(g, BULK_PROJECTS, &r);
  cert[T_LEADS]++;

  /* Joint projects: one co-owning unit. */
  if (!rc && g->cfg->units > 1 && rng_pct(rng, 10)) {
    int64_t co = 1 + rng_below(rng, g->cfg->units - 1);
    if (co >= unit) co++;
    bulk_row_reset(&r);
    bulk_row_int(&r, id);
    bulk_row_int(&r, co);
    rc = insert(g, BULK_PROJECT_UNITS, &r);
  }

  /* Stage changes, each with the evidence of every stage it passes. */
  int from = STAGE_LEAD;
  for (int i = 0; i < p->nmoves && !rc; i++) {
    int to = p->to[i], day = p->date[i], rejected = p->rejected && i == p->nmoves - 1;
    char date[DATE_LEN], ts[TIMESTAMP_LEN], reviewed[TIMESTAMP_LEN];
    date_format(day, date);
    work_stamp(g, day, ts);
    int certifiable = to == STAGE_SIGNED || to == STAGE_STARTED || to == STAGE_COMPLETED;
    int certified = 0;
    if (certifiable && !rejected) certified = rng_pct(rng, g->cfg->as_of - day > 10 ? 85 : 35);
    int review_day = day + 1 + (int)rng_below(rng, 5);
    if (review_day > g->cfg->as_of) review_day = g->cfg->as_of;
    work_stamp(g, review_day, reviewed);
    if (strcmp(reviewed, ts) < 0) memcpy(reviewed, ts, sizeof reviewed);
    bulk_row_reset(&r);
    bulk_row_int(&r, ++g->next_change);
    bulk_row_text(&r, ts);
    bulk_row_text(&r, certified || rejected ? reviewed : ts);
    bulk_row_int(&r, id);
    bulk_row_int(&r, 1);
    bulk_row_int(&r, unit);
    bulk_row_text(&r, stage_name(from));
    bulk_row_text(&r, stage_name(to));
    bulk_row_text(&r, date);
    int signs = stage_move_passes(from, to, STAGE_SIGNED);
    bulk_row_text(&r, signs ? date : NULL);
    if (signs) bulk_row_int(&r, p->contract);
    else bulk_row_null(&r);
    bulk_row_text(&r, stage_move_passes(from, to, STAGE_STARTED) ? date : NULL);
    bulk_row_text(&r, stage_move_passes(from, to, STAGE_COMPLETED) ? date : NULL);
    bulk_row_text(&r, to == STAGE_DROPPED ? PICK(rng, drop_reasons) : NULL);
    bulk_row_int(&r, staff);
    bulk_row_text(&r, rejected ? "rejected" : certified ? "certified" : "reported");
    if (certified || rejected) {
      bulk_row_int(&r, USER_OFFICE);
      bulk_row_text(&r, reviewed);
    } else {
      bulk_row_null(&r);
      bulk_row_null(&r);
    }
    bulk_row_text(&r, rejected ? "佐证材料不全，请补充合同或开工证明后重新报送" : NULL);
    bulk_row_int(&r, certified || rejected ? 2 : 1);
    rc = insert(g, BULK_STAGE_CHANGES, &r);
    g->sum->stage_changes++;
    if (!rc && certified) {
      const char *started = stage_move_passes(from, to, STAGE_STARTED) ? date : NULL;
      const char *completed = stage_move_passes(from, to, STAGE_COMPLETED) ? date : NULL;
      json_t *after = json_pack("{s:I s:I s:I s:I s:s s:s s:s s:o s:o s:o s:o s:s s:I s:s}", "id",
                                (json_int_t)g->next_change, "project_id", (json_int_t)id, "campaign_id", (json_int_t)1,
                                "unit_id", (json_int_t)unit, "from_stage", stage_name(from), "to_stage", stage_name(to),
                                "date", date, "contract_date", opt_text(signs ? date : NULL), "contract_value",
                                signs ? json_integer(p->contract) : json_null(), "start_date", opt_text(started),
                                "completion_date", opt_text(completed), "status", "certified", "reviewed_by",
                                (json_int_t)USER_OFFICE, "reviewed_at", reviewed);
      rc = audit_certify(g, "stage-changes", g->next_change, reviewed, after);
    }
    if (certified) {
      if (signs) {
        cert[T_SIGNED]++;
        cert[T_SIGNED_VALUE] += p->contract;
      }
      if (stage_move_passes(from, to, STAGE_STARTED)) cert[T_STARTED]++;
      if (stage_move_passes(from, to, STAGE_COMPLETED)) cert[T_COMPLETED]++;
    }
    if (!rejected) from = to;
  }

  /* Follow-ups: the unit's staff always, its head or deputy now and then. */
  for (int32_t i = 0; i < p->nfollow && !rc; i++) {
    int32_t day = i < nf ? fdates[i] : p->lead + (int32_t)rng_below(rng, p->active_to - p->lead + 1);
    if (day > latest) day = latest;
    char date[DATE_LEN], next[DATE_LEN], ts[TIMESTAMP_LEN];
    date_format(day, date);
    work_stamp(g, day, ts);
    int kind = rng_pick(rng, follow_up_kind_cum);
    int head = rng_pct(rng, 12), deputy = rng_pct(rng, 12), has_next = rng_pct(rng, 50);
    int64_t fid = ++g->next_follow_up;
    date_format(day + 7, next);
    bulk_row_reset(&r);
    bulk_row_int(&r, fid);
    bulk_row_text(&r, ts);
    bulk_row_text(&r, ts);
    bulk_row_int(&r, id);
    bulk_row_int(&r, 1);
    bulk_row_int(&r, unit);
    bulk_row_text(&r, date);
    bulk_row_text(&r, follow_up_kinds[kind]);
    bulk_row_text(&r, summaries[kind]);
    bulk_row_text(&r, has_next ? PICK(rng, next_steps) : NULL);
    bulk_row_text(&r, has_next ? next : NULL);
    bulk_row_int(&r, head || deputy);
    bulk_row_int(&r, staff);
    rc = insert(g, BULK_FOLLOW_UPS, &r);
    int64_t who[3] = {staff, head ? user_head(unit) : 0, deputy ? user_deputy(unit) : 0};
    for (int k = 0; k < 3 && !rc; k++) {
      if (!who[k]) continue;
      bulk_row_reset(&r);
      bulk_row_int(&r, fid);
      bulk_row_int(&r, who[k]);
      rc = insert(g, BULK_PARTICIPANTS, &r);
    }
    g->sum->follow_ups++;
  }

  /* Fund arrivals, from the signing on. */
  for (int32_t i = 0; i < p->nfunds && !rc; i++) {
    int day = p->fund_from + (int)rng_below(rng, g->cfg->as_of - p->fund_from + 1);
    char date[DATE_LEN], ts[TIMESTAMP_LEN], reviewed[TIMESTAMP_LEN], voucher[32];
    date_format(day, date);
    work_stamp(g, day, ts);
    int review_day = day + 1 + (int)rng_below(rng, 5);
    if (review_day > g->cfg->as_of) review_day = g->cfg->as_of;
    work_stamp(g, review_day, reviewed);
    if (strcmp(reviewed, ts) < 0) memcpy(reviewed, ts, sizeof reviewed);
    int64_t amount = p->contract * (2 + rng_below(rng, 14)) / 100 / 1000 * 1000;
    if (amount < 10000) amount = 10000;
    int kind = rng_pick(rng, fund_kind_cum), x = (int)rng_below(rng, 100), old = g->cfg->as_of - day > 10;
    int rejected = x < (old ? 3 : 2), certified = !rejected && x < (old ? 85 : 32);
    int64_t fid = ++g->next_fund;
    snprintf(voucher, sizeof voucher, "PZ%010lld", (long long)fid);
    bulk_row_reset(&r);
    bulk_row_int(&r, fid);
    bulk_row_text(&r, ts);
    bulk_row_text(&r, certified || rejected ? reviewed : ts);
    bulk_row_int(&r, id);
    bulk_row_int(&r, 1);
    bulk_row_int(&r, unit);
    bulk_row_int(&r, amount);
    bulk_row_text(&r, date);
    bulk_row_text(&r, fund_kinds[kind]);
    bulk_row_text(&r, voucher);
    bulk_row_int(&r, staff);
    bulk_row_text(&r, rejected ? "rejected" : certified ? "certified" : "reported");
    if (certified || rejected) {
      bulk_row_int(&r, USER_OFFICE);
      bulk_row_text(&r, reviewed);
    } else {
      bulk_row_null(&r);
      bulk_row_null(&r);
    }
    bulk_row_text(&r, rejected ? "到账凭证与合同主体不一致" : NULL);
    bulk_row_int(&r, certified || rejected ? 2 : 1);
    rc = insert(g, BULK_FUNDS, &r);
    if (!rc && certified) {
      json_t *after = json_pack("{s:I s:I s:I s:I s:I s:s s:s s:s s:s s:I s:s}", "id", (json_int_t)fid, "project_id",
                                (json_int_t)id, "campaign_id", (json_int_t)1, "unit_id", (json_int_t)unit, "amount",
                                (json_int_t)amount, "date", date, "kind", fund_kinds[kind], "voucher_no", voucher,
                                "status", "certified", "reviewed_by", (json_int_t)USER_OFFICE, "reviewed_at", reviewed);
      rc = audit_certify(g, "funds", fid, reviewed, after);
    }
    if (certified) cert[strcmp(fund_kinds[kind], "policy") ? T_FUNDS : T_POLICY] += amount;
    g->sum->funds++;
  }
  g->sum->projects++;
  return rc;
}

static int write_projects(Gen *g) {
  int rc = HZ_OK;
  for (int64_t i = 0; i < g->cfg->projects && !rc; i++) {
    rc = write_project(g, i + 1, &g->plans[i]);
    if (!rc && (i + 1) % PROJECTS_PER_TX == 0) {
      rc = bulk_load_flush(g->load, g->e);
      if (!rc) rc = db_commit(g->db, g->e);
      if (!rc) rc = db_begin(g->db, g->e);
      progress(g, "projects", i + 1, g->cfg->projects);
    }
  }
  return rc;
}

/* ---- targets: set so that units are behind, on track or ahead at day 60 ---- */

static int write_targets(Gen *g) {
  int64_t total[T_N] = {0};
  int64_t units = g->cfg->units, days = g->end - g->start + 1, elapsed = g->cfg->as_of - g->start + 1;
  for (int64_t u = 1; u <= units; u++)
    for (int m = 0; m < T_N; m++) total[m] += cert_of(g, u)[m];
  char created[TIMESTAMP_LEN];
  stamp(g->start - 20, 7200, created);
  int64_t id = 0;
  int rc = HZ_OK;
  BulkRow r;
  for (int64_t u = 1; u <= units && !rc; u++) {
    /* How hard the unit's targets are: its completion at day 60 is about 60 % / ambition. */
    double ambition = 0.7 + 0.8 * rng_unit(&g->rng);
    for (int m = 0; m < T_N && !rc; m++) {
      int money = m == T_FUNDS || m == T_SIGNED_VALUE || m == T_POLICY;
      double pace = (double)days / (double)elapsed;
      int64_t got = cert_of(g, u)[m];
      double base = got > 0 ? (double)got * pace * ambition * (0.9 + 0.2 * rng_unit(&g->rng))
                            : (double)total[m] / (double)units * pace * (0.5 + 0.5 * rng_unit(&g->rng));
      int64_t value = money ? ((int64_t)(base / 10000.0) + 1) * 10000 : (int64_t)base + 1;
      for (int annual = 0; annual < 2 && !rc; annual++) {
        if (annual && m != T_FUNDS && m != T_SIGNED_VALUE) continue;
        bulk_row_reset(&r);
        bulk_row_int(&r, ++id);
        bulk_row_text(&r, created);
        bulk_row_text(&r, created);
        bulk_row_int(&r, 1);
        bulk_row_text(&r, annual ? "annual" : "campaign");
        bulk_row_int(&r, u);
        bulk_row_text(&r, target_metrics[m]);
        bulk_row_int(&r, annual ? value * 5 / 2 : value);
        rc = insert(g, BULK_TARGETS, &r);
      }
    }
  }
  g->sum->targets = id;
  return rc;
}

static void rebuild_progress(int64_t done, void *ctx) {
  Gen *g = ctx;
  progress(g, "figures", done, g->cfg->projects);
}

int gen_build(Db *db, const GenConfig *cfg, GenSummary *sum, HzErr *e) {
  memset(sum, 0, sizeof *sum);
  if (cfg->units < 1 || cfg->projects < 0 || cfg->follow_ups < 0 || cfg->funds < 0)
    return hz_fail(e, HZ_EINVAL, "units", "单位数至少为 1，其余数量不能为负");
  if (cfg->projects == 0 && (cfg->follow_ups || cfg->funds))
    return hz_fail(e, HZ_EINVAL, "projects", "没有项目就不能有洽谈记录和到账资金");
  Gen g = {.cfg = cfg, .db = db, .e = e, .sum = sum};
  rng_seed(&g.rng, cfg->seed);
  g.start = cfg->as_of - 59; /* the as-of day is day 60 of 100 */
  g.end = g.start + 99;
  g.cert = calloc((size_t)cfg->units * T_N, sizeof *g.cert);
  int rc = g.cert ? HZ_OK : hz_fail(e, HZ_ENOMEM, NULL, "内存不足");
  if (!rc && password_hash(cfg->password, g.hash)) rc = hz_fail(e, HZ_ENOMEM, NULL, "无法计算密码摘要");
  if (!rc) rc = plan_all(&g);
  if (!rc) rc = bulk_load_new(db, &g.load, e);
  json_t *indexes = NULL;
  if (!rc) rc = db_bulk_begin(db, e);
  if (!rc) rc = db_indexes_drop(db, &indexes, e);
  if (!rc) rc = db_begin(db, e);
  if (!rc) rc = write_people(&g);
  if (!rc) rc = write_campaign(&g);
  if (!rc) rc = write_investors(&g);
  if (!rc) rc = write_projects(&g);
  if (!rc) rc = write_targets(&g);
  if (!rc) rc = bulk_load_flush(g.load, e);
  if (!rc) {
    char n[32];
    snprintf(n, sizeof n, "%lld", (long long)g.audit_n);
    rc = bulk_store_set_meta(db, "audit_head", g.audit_head, e);
    if (!rc) rc = bulk_store_set_meta(db, "audit_count", n, e);
    if (!rc) rc = audit_store_seal(db, g.audit_n, g.audit_head, e);
    if (!rc) rc = bulk_store_set_meta(db, "revision", n, e);
  }
  if (!rc) rc = db_commit(db, e);
  if (!rc) progress(&g, "projects", cfg->projects, cfg->projects);
  if (!rc) rc = db_indexes_create(db, indexes, e);
  json_decref(indexes);
  if (!rc) rc = db_begin(db, e);
  if (!rc) rc = figures_rebuild(db, rebuild_progress, &g, NULL, e);
  if (!rc) {
    json_t *what = json_pack("{s:I s:I s:I s:I s:I s:I}", "units", (json_int_t)sum->units, "projects",
                             (json_int_t)sum->projects, "stage_changes", (json_int_t)sum->stage_changes, "follow_ups",
                             (json_int_t)sum->follow_ups, "funds", (json_int_t)sum->funds, "seed",
                             (json_int_t)cfg->seed);
    rc = audit_store_append(db, NULL, "generate", "database", 0, NULL, what, e);
    json_decref(what);
  }
  if (!rc) rc = db_commit(db, e);
  if (!rc) progress(&g, "figures", cfg->projects, cfg->projects);
  if (!rc) rc = db_bulk_end(db, e);
  bulk_load_free(g.load);
  free(g.plans);
  free(g.cert);
  return rc;
}
