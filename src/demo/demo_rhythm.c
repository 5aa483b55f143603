/* The demo city's working rhythm (docs/workflows.md) as of day 60: each unit's weekly
 * reports and its head's hearing of them, coordination items raised from their problems
 * and worked through every state, the office's inspections, bulletins 第1期 and 第2期
 * with a draft 第3期, the office's decisions on the admonitions their rules proposed,
 * the talks held, and the leader's instructions.
 *
 * Planned from the city's plan (who did what in which week), with the same random
 * stream, then written through the same domain functions as the API (weekly_submit,
 * coordination_advance, bulletin_generate, rules_decide …) on the day each happened,
 * interleaved with the city's own records (demo.c sets the engine's clock to that day).
 * So a report's figures are those of its submission day, a bulletin freezes what the
 * office had certified by then, and every date rule of the engine holds. */
#include "demo/demo_plan.h"
#include "domain/bulletin.h"
#include "domain/coordination.h"
#include "domain/record.h"
#include "domain/rules.h"
#include "domain/weekly.h"
#include "util/timeutil.h"

/* ---- words ---- */
/* A problem a unit raises about one of its projects, the unit that can solve it, and
 * how that unit reports it solved. {P} is the project. */
typedef struct {
  const char *solver, *problem, *title, *result;
  int lo, hi; /* the project's stage when the problem comes up */
} Problem;
static const Problem problems[] = {
  {"zrj", "{P}用地指标尚未落实，项目供地进度受到影响，需自然资源部门协助调剂用地指标。", "协调落实{P}用地指标",
   "已从存量建设用地中调剂解决，用地预审意见已出具", STAGE_NEGOTIATING, STAGE_SIGNED},
  {"sthj", "{P}环评手续办理进度偏慢，企业希望生态环境部门提前介入，指导编制环境影响报告。",
   "加快办理{P}环评手续", "已安排专人全程指导，环评报告已通过技术审查", STAGE_NEGOTIATING, STAGE_SIGNED},
  {"fgw", "{P}施工临时用电和能耗指标尚未落实，需发改部门协调供电企业加快接入。", "协调解决{P}施工用电和能耗指标",
   "能耗指标已在全市统筹解决，供电企业已完成临时用电接入", STAGE_SIGNED, STAGE_STARTED},
  {"zjj", "{P}施工许可涉及环节较多，企业希望住建部门开辟绿色通道、并联审批。", "加快办理{P}施工许可",
   "已实行容缺受理、并联审批，施工许可证已核发", STAGE_SIGNED, STAGE_SIGNED},
  {"jtj", "{P}项目区进场道路尚未贯通，大型设备无法进场，需交通运输部门协调。", "协调打通{P}进场道路",
   "进场道路已完成临时硬化，大型设备可以进场", STAGE_SIGNED, STAGE_STARTED},
  {"rsj", "{P}投产在即，技术工人缺口较大，需人社部门协助组织专场招聘。", "协助{P}招聘技术工人",
   "已组织两场专场招聘会，企业首批用工需求已基本满足", STAGE_STARTED, STAGE_COMPLETED},
  {"czj", "客商反映{P}招商优惠政策兑现周期较长，需财政部门明确奖补资金拨付时间。", "明确{P}奖补资金拨付时间",
   "奖补资金已列入拨付计划，首笔资金已拨付到企业账户", STAGE_SIGNED, STAGE_COMPLETED},
  {"scj", "{P}投资方拟在我市新设项目公司，需市场监管部门提供登记注册帮办服务。", "为{P}投资方提供注册帮办服务",
   "已安排专人帮办代办，项目公司营业执照已领取", STAGE_NEGOTIATING, STAGE_SIGNED},
};
#define NPROBLEMS ((int)(sizeof problems / sizeof problems[0]))

static const char *const review_comments[] = {
  "已听取汇报。在谈项目要逐个明确责任人和推进时限，下周重点盯紧{P}。",
  "同意下周工作安排。{P}作为本单位重点项目，分管负责同志要亲自对接。",
  "已听取。本周进展较好，要趁热打铁，抓好已签约项目的资金到位和开工准备。",
  "进度仍然偏慢，要对照目标任务查找差距，下周专题调度一次。",
  "已听取。要把经贸洽谈会作为重要节点，提前储备一批可签约项目。",
};
static const char *const zero_comments[] = {
  "已听取。要主动对接本系统上下游资源，尽快形成项目信息，改变零进展局面。",
  "已听取。下周由我带队外出对接客商，各科室要拿出具体线索。",
};
static const char *const handling_notes[] = {
  "已签收，由{S}承办，{D}带队到项目现场办公，逐项梳理办理事项和时间节点。",
  "已签收，召开专题会议研究办理方案，明确{S}专人负责，正在与项目单位逐项对接。",
};
static const char *const review_notes[] = {
  "经会战办公室与项目单位核实，办理情况属实，问题已解决。",
  "经复核，办理结果符合要求，项目单位满意，同意办结。",
};

/* ---- what happened in the plan ---- */
static int unit_by_code(Demo *d, const char *code) {
  for (int i = 0; i < d->nunits; i++)
    if (!strcmp(d->units[i].u->code, code)) return i;
  return -1;
}
static int unit_by_id(Demo *d, int64_t id) {
  for (int i = 0; i < d->nunits; i++)
    if (d->units[i].id == id) return i;
  return -1;
}

/* The stage a project stood at on a day: -1 before its lead. */
static int stage_on(const Project *p, int day) {
  if (p->day[STAGE_LEAD] > day) return -1;
  if (p->stage == STAGE_DROPPED && p->drop_day <= day) return STAGE_DROPPED;
  int s = STAGE_LEAD;
  for (int k = STAGE_NEGOTIATING; k <= p->reach && k <= STAGE_COMPLETED; k++)
    if (p->day[k] && p->day[k] <= day) s = k;
  return s;
}

/* One of unit u's projects (not policy funds) standing between lo and hi on day, or -1. */
static int pick_project(Demo *d, int u, int day, int lo, int hi) {
  int cand[MAX_PROJECTS], n = 0;
  for (int i = 0; i < d->np; i++) {
    const Project *p = &d->projects[i];
    int s = stage_on(p, day);
    if (p->unit == u && !p->policy && s >= lo && s <= hi && s != STAGE_DROPPED) cand[n++] = i;
  }
  return n ? cand[rnd(d, n)] : -1;
}

typedef struct {
  int fu, out, in, meet, fair, leads, sign, start, done, event;
  int lead1, sign1, sign2, start1, done1; /* a project of each kind, -1 none */
  int64_t signed_value, funds;
} Week;

/* What unit u's people recorded between from and to. */
static void week_of(Demo *d, int u, int from, int to, Week *w) {
  memset(w, 0, sizeof *w);
  w->lead1 = w->sign1 = w->sign2 = w->start1 = w->done1 = w->event = -1;
  for (int i = 0; i < d->nfu; i++) {
    const FollowUp *f = &d->fus[i];
    if (f->day < from || f->day > to || d->projects[f->project].unit != u || f->by_co) continue;
    w->fu++;
    w->out += f->kind == KIND_OUTBOUND;
    w->in += f->kind == KIND_VISIT;
    w->meet += f->kind == KIND_MEETING;
    if (f->kind == KIND_FAIR) w->fair++, w->event = f->event;
  }
  for (int i = 0; i < d->np; i++) {
    const Project *p = &d->projects[i];
    if (p->unit != u) continue;
    int lead = p->day[STAGE_LEAD], sign = p->reach >= STAGE_SIGNED ? p->day[STAGE_SIGNED] : 0;
    int start = p->reach >= STAGE_STARTED ? p->day[STAGE_STARTED] : 0, done = p->reach >= STAGE_COMPLETED ? p->day[STAGE_COMPLETED] : 0;
    if (lead >= from && lead <= to && w->leads++ == 0) w->lead1 = i;
    if (sign >= from && sign <= to) {
      if (w->sign == 0) w->sign1 = i;
      else if (w->sign == 1) w->sign2 = i;
      w->sign++;
      w->signed_value += p->contract;
    }
    if (start >= from && start <= to && w->start++ == 0) w->start1 = i;
    if (done >= from && done <= to && w->done++ == 0) w->done1 = i;
  }
  for (int i = 0; i < d->nfunds; i++) {
    const Fund *f = &d->funds[i];
    if (f->day >= from && f->day <= to && d->projects[f->project].unit == u) w->funds += f->amount;
  }
}

static void add_project(Str *s, Demo *d, int i) { str_add(s, d->projects[i].name); }

/* {P} filled in with a project's name. */
static void fill(Str *s, const char *tpl, const char *p) {
  for (const char *c = tpl; *c;) {
    const char *at = strstr(c, "{P}");
    if (!at) {
      str_add(s, c);
      break;
    }
    str_addn(s, c, (size_t)(at - c));
    str_add(s, p ? p : "");
    c = at + 3;
  }
}

static void write_work_done(Demo *d, int u, const Week *w, Str *s) {
  const Unit *unit = &d->units[u];
  int policy = !strcmp(unit->u->category, "policy_funds");
  if (!unit->u->projects) {
    static const char *const idle[] = {
      "本周召开招商引资工作推进会，梳理本系统可对接的企业和在外乡贤资源，暂未形成有效项目信息。",
      "本周电话联系在外乡贤和行业协会，收集投资意向线索，暂未形成有效项目信息。",
      "本周组织各科室研究本系统招商切入点，拟定外出对接名单，暂未形成有效项目信息。"};
    str_add(s, idle[rnd(d, 3)]);
    return;
  }
  if (w->fu) {
    str_add(s, policy ? "本周对接上级部门和项目单位" : "本周开展项目洽谈跟踪");
    str_num(s, w->fu);
    str_add(s, "次");
    if (w->out || w->in || w->meet) {
      const char *sep = "，其中";
      if (w->out) str_add(s, sep), str_add(s, policy ? "赴省对接" : "外出招商"), str_num(s, w->out), str_add(s, "次"), sep = "、";
      if (w->in) str_add(s, sep), str_add(s, policy ? "接待现场核查" : "接待客商来访"), str_num(s, w->in), str_add(s, "次"), sep = "、";
      if (w->meet) str_add(s, sep), str_add(s, "召开专题推进会"), str_num(s, w->meet), str_add(s, "次");
    }
    str_add(s, "。");
  }
  if (w->event >= 0) {
    str_add(s, "参加");
    str_add(s, d->event_name[w->event]);
    str_add(s, "，现场对接客商");
    str_num(s, w->fair);
    str_add(s, "家。");
  }
  if (w->leads) {
    str_add(s, policy ? "新增申报储备项目" : "新增项目信息");
    str_num(s, w->leads);
    str_add(s, "条，");
    add_project(s, d, w->lead1);
    str_add(s, w->leads > 1 ? "等进入跟踪。" : "进入跟踪。");
  }
  if (w->sign) {
    add_project(s, d, w->sign1);
    if (w->sign2 >= 0) str_add(s, "、"), add_project(s, d, w->sign2);
    if (w->sign > 2) str_add(s, "等");
    str_add(s, policy ? "资金计划获批，金额" : "签约，合同金额");
    if (w->sign > 1) str_add(s, "合计");
    demo_plan_money(s, w->signed_value);
    str_add(s, "。");
  }
  if (w->start) add_project(s, d, w->start1), str_add(s, w->start > 1 ? "等开工建设。" : "开工建设。");
  if (w->done) add_project(s, d, w->done1), str_add(s, w->done > 1 ? "等竣工投产。" : "竣工投产。");
  if (w->funds) {
    str_add(s, policy ? "争取上级政策资金到位" : "报送到账资金");
    demo_plan_money(s, w->funds);
    str_add(s, "。");
  }
  if (!s->len)
    str_add(s, policy ? "本周主要梳理申报储备项目、对照申报指南完善材料，暂无新下达资金。"
                      : "本周以电话跟进和资料对接为主，在谈项目保持正常推进，暂无新签约项目。");
}

static void write_next_plan(Demo *d, int u, int week, int day, Str *s) {
  const Unit *unit = &d->units[u];
  if (!unit->u->projects) {
    str_add(s, "梳理本系统上下游企业和在外乡贤名单，安排专人逐一联系，力争形成项目信息。");
    return;
  }
  if (!strcmp(unit->u->category, "policy_funds")) {
    int p = pick_project(d, u, day, STAGE_LEAD, STAGE_NEGOTIATING);
    str_add(s, "对接");
    str_add(s, demo_pools[unit->u->pool].upper);
    if (p >= 0) str_add(s, "，跟进"), add_project(s, d, p), str_add(s, "评审和资金下达进度");
    str_add(s, "；督促已下达资金的项目加快支出进度。");
    return;
  }
  int p = pick_project(d, u, day, STAGE_NEGOTIATING, STAGE_NEGOTIATING);
  int q = pick_project(d, u, day, STAGE_SIGNED, STAGE_SIGNED);
  if (p >= 0) str_add(s, "继续跟进"), add_project(s, d, p), str_add(s, "，推动尽早签约；");
  if (q >= 0) str_add(s, "督促"), add_project(s, d, q), str_add(s, "加快资金到位和开工准备；");
  if (week >= 5) {
    str_add(s, "做好");
    str_add(s, d->event_name[EV_FAIR]);
    str_add(s, "客商邀请和签约项目储备。");
  } else {
    str_add(s, "组织招商小分队外出开展上门招商。");
  }
}

/* ---- weekly reports ---- */
static int plan_reports(Demo *d, int weeks, int idx[MAX_UNITS][MAX_WEEKS + 1]) {
  /* One unit with nothing to show stops reporting after week 4, and the head who joins
   * the fewest talks stops hearing reports after week 5: the office's overview of the
   * weeks since always has someone to chase. */
  int silent = -1, deaf = -1;
  for (int u = 0; u < d->nunits; u++) {
    const DemoUnit *t = d->units[u].u;
    if (!t->projects) silent = u;
    else if (deaf < 0 || t->lead_pct < d->units[deaf].u->lead_pct) deaf = u;
  }
  for (int u = 0; u < d->nunits; u++) {
    const DemoUnit *t = d->units[u].u;
    int zero = !t->projects;
    /* Habits: slow units report late, a few heads seldom hear the report, and units with
     * nothing to show skip weeks. */
    int late_pct = t->perf < 80 ? 30 : 8;
    int review_pct = zero ? 55 : t->lead_pct <= 20 ? 50 : 95;
    int skip_pct = zero ? 35 : t->perf <= 65 ? 12 : 0;
    for (int w = 1; w <= weeks; w++) {
      idx[u][w] = -1;
      if (chance(d, skip_pct) || (u == silent && w > 4) || d->nreports >= MAX_REPORTS) continue;
      Report *r = &d->reports[d->nreports];
      memset(r, 0, sizeof *r);
      r->unit = u;
      r->week = w;
      weekly_bounds(d->start, d->end, w, &r->from, &r->to);
      r->made = r->to - rnd(d, 2);
      int sub = r->to + (chance(d, late_pct) ? between(d, 4, 9) : between(d, 1, 2));
      r->submitted = sub <= d->today ? sub : 0;
      if (r->submitted && chance(d, review_pct) && !(u == deaf && w > 5)) {
        int rev = chance(d, 12) ? r->to + between(d, REVIEW_DAYS + 1, REVIEW_DAYS + 5) : sub + between(d, 0, 3);
        rev = max_i(rev, sub);
        r->reviewed = rev <= d->today ? rev : 0;
      }
      Week wk;
      week_of(d, u, r->from, r->to, &wk);
      Str s;
      str_init(&s, r->work_done, sizeof r->work_done);
      write_work_done(d, u, &wk, &s);
      str_init(&s, r->next_plan, sizeof r->next_plan);
      write_next_plan(d, u, w, r->to, &s);
      str_init(&s, r->problems, sizeof r->problems);
      if (zero && chance(d, 40)) {
        str_add(&s, "本单位职能与产业招商关联度不高，项目信息来源不足，恳请会战办公室帮助对接客商资源。");
      } else if (!zero && chance(d, 30)) {
        const Problem *pb = &problems[rnd(d, NPROBLEMS)];
        int p = pick_project(d, u, r->to, pb->lo, pb->hi);
        if (p >= 0 && strcmp(pb->solver, t->code)) fill(&s, pb->problem, d->projects[p].name);
      }
      str_init(&s, r->comments, sizeof r->comments);
      if (zero) str_add(&s, zero_comments[rnd(d, 2)]);
      else {
        int p = pick_project(d, u, r->to, STAGE_NEGOTIATING, STAGE_STARTED);
        const char *c = review_comments[rnd(d, (int)(sizeof review_comments / sizeof review_comments[0]))];
        if (p < 0 && strstr(c, "{P}")) c = review_comments[2];
        fill(&s, c, p >= 0 ? d->projects[p].name : NULL);
      }
      idx[u][w] = d->nreports++;
    }
  }
  return HZ_OK;
}

/* ---- coordination items ---- */
/* Each item's final state, when raised and when due (days from today), whether a
 * report's problem raised it, and the days it was reminded (催办; 0 none): closed ones
 * from weeks ago, open ones overdue (red), due within three days (yellow) or later. */
static const struct {
  int status, raised, due, from_report, remind[2];
} item_plan[] = {
  {ITEM_CLOSED, -46, -36, 1, {0, 0}},    {ITEM_CLOSED, -39, -29, 0, {0, 0}},
  {ITEM_CLOSED, -31, -21, 1, {0, 0}},    {ITEM_REVIEWED, -25, -13, 0, {0, 0}},
  {ITEM_FEEDBACK, -21, -9, 1, {0, 0}},   {ITEM_FEEDBACK, -15, 2, 0, {0, 0}},
  {ITEM_HANDLED, -18, -4, 0, {-3, 0}},   {ITEM_HANDLED, -11, 6, 1, {0, 0}},
  {ITEM_SIGNED_OFF, -17, -5, 0, {-4, -1}}, {ITEM_SIGNED_OFF, -9, 3, 0, {0, 0}},
  {ITEM_ASSIGNED, -13, -2, 0, {-1, 0}},  {ITEM_ASSIGNED, -2, 11, 1, {0, 0}},
  {ITEM_ASSIGNED, -1, 1, 0, {0, 0}},
};

static int plan_items(Demo *d, int idx[MAX_UNITS][MAX_WEEKS + 1]) {
  int rc = HZ_OK;
  for (size_t k = 0; !rc && k < sizeof item_plan / sizeof item_plan[0] && d->nitems < MAX_ITEMS; k++) {
    Item *it = &d->items[d->nitems];
    memset(it, 0, sizeof *it);
    int raised = d->today + item_plan[k].raised;
    /* From a report: the one of the last week that ended before, submitted by then. */
    int week = item_plan[k].from_report ? (raised - 1 - d->start) / 7 : 0;
    const Problem *pb = NULL;
    it->report = -1;
    for (int tries = 0; tries < 200 && !pb; tries++) {
      int u = rnd(d, d->nunits);
      const Problem *cand = &problems[rnd(d, NPROBLEMS)];
      int solver = unit_by_code(d, cand->solver);
      if (!d->units[u].u->projects || solver < 0 || solver == u) continue;
      int r = week >= 1 ? idx[u][week] : -1;
      if (week >= 1 && (r < 0 || !d->reports[r].submitted || d->reports[r].submitted >= raised)) continue;
      int p = pick_project(d, u, raised, cand->lo, cand->hi), again = 0;
      /* a project once, and no unit handed more than two items */
      for (int i = 0, n = 0; p >= 0 && i < d->nitems; i++) again |= d->items[i].project == p || (n += d->items[i].unit == solver) >= 2;
      if (p < 0 || again) continue;
      pb = cand;
      it->unit = solver;
      it->from_unit = u;
      it->project = p;
      it->report = r;
    }
    if (!pb) continue;
    const char *pname = d->projects[it->project].name;
    Str s;
    str_init(&s, it->title, sizeof it->title);
    fill(&s, pb->title, pname);
    str_init(&s, it->desc, sizeof it->desc);
    if (it->report >= 0) {
      /* The report said so in its own words. */
      Report *r = &d->reports[it->report];
      Str ps;
      str_init(&ps, r->problems, sizeof r->problems);
      fill(&ps, pb->problem, pname);
      str_add(&s, d->units[it->from_unit].u->short_name);
      str_add(&s, "第");
      str_num(&s, r->week);
      str_add(&s, "周周报反映：");
    } else {
      str_add(&s, "会战办公室调度发现：");
    }
    fill(&s, pb->problem, pname);
    it->status = item_plan[k].status;
    it->due = d->today + item_plan[k].due;
    it->step[0] = raised;
    for (int i = 1; i <= it->status; i++) it->step[i] = min_i(d->today, it->step[i - 1] + between(d, 1, 3));
    for (int i = 0; i < 2; i++)
      if (item_plan[k].remind[i]) it->remind[it->nreminds++] = d->today + item_plan[k].remind[i];
    it->var = (uint32_t)next64(d);
    it->problem = (int)(pb - problems);
    rc = demo_plan_action(d, it->step[0], ACT_ITEM, d->nitems, 0);
    for (int i = 1; !rc && i <= it->status; i++) rc = demo_plan_action(d, it->step[i], ACT_ITEM, d->nitems, i);
    for (int i = 0; !rc && i < it->nreminds; i++) rc = demo_plan_action(d, it->remind[i], ACT_ITEM, d->nitems, 10 + i);
    d->nitems++;
  }
  return rc;
}

/* ---- inspections ---- */
static int clamp_score(int v) { return v < 20 ? 20 : v > 98 ? 98 : v; }

static void plan_inspection(Demo *d, int u, int day, int publish) {
  if (u < 0 || d->ninspections >= MAX_INSPECTIONS) return;
  Inspection *in = &d->inspections[d->ninspections++];
  memset(in, 0, sizeof *in);
  const Unit *unit = &d->units[u];
  in->unit = u;
  in->day = day;
  in->published = publish;
  /* What the inspectors found in the unit's records as of the day. */
  int leader = 0, fu = 0, out = 0, visits = 0, neg = 0, sign = 0, start = 0, done = 0, due = 0, on_time = 0;
  int64_t rep = 0, cert = 0;
  for (int i = 0; i < d->nfu; i++) {
    const FollowUp *f = &d->fus[i];
    if (f->day > day || f->day < d->start || d->projects[f->project].unit != u || f->by_co) continue;
    fu++;
    out += f->kind == KIND_OUTBOUND;
    visits += f->kind == KIND_VISIT;
    leader += (f->who & (WHO_HEAD | WHO_DEPUTY)) != 0;
  }
  for (int i = 0; i < d->np; i++) {
    const Project *p = &d->projects[i];
    if (p->unit != u) continue;
    int s = stage_on(p, day);
    neg += s == STAGE_NEGOTIATING;
    sign += s >= STAGE_SIGNED && s <= STAGE_COMPLETED;
    start += s >= STAGE_STARTED && s <= STAGE_COMPLETED;
    done += s == STAGE_COMPLETED;
  }
  for (int i = 0; i < d->nfunds; i++) {
    const Fund *f = &d->funds[i];
    if (f->day > day || d->projects[f->project].unit != u || (f->rejected && f->review <= day)) continue;
    rep += f->amount;
    if (f->review && f->review <= day && !f->rejected) cert += f->amount;
  }
  due = weekly_weeks_ended(d->start, d->end, day);
  for (int i = 0; i < d->nreports; i++) {
    const Report *r = &d->reports[i];
    if (r->unit == u && r->to < day && r->reviewed && r->reviewed <= r->to + REVIEW_DAYS && r->reviewed <= day) on_time++;
  }
  int perf = unit->u->perf;
  in->score[0] = clamp_score(30 + unit->u->lead_pct + on_time * 2 + between(d, -3, 3));
  in->score[1] = clamp_score(35 + perf * 2 / 5 + min_i(fu, 40) / 2 + between(d, -3, 3));
  in->score[2] = clamp_score(25 + perf * 9 / 20 + between(d, -3, 3));
  in->score[3] = clamp_score(30 + perf * 2 / 5 + min_i(sign, 10) + between(d, -3, 3));
  int policy = !strcmp(unit->u->category, "policy_funds");
  Str s;
  str_init(&s, in->inspectors, sizeof in->inspectors);
  char a[32], b[32];
  memcpy(a, d->central[1].name, sizeof a);
  str_add(&s, "会战办公室督查组：");
  str_add(&s, a);
  for (int i = 0; i < 2; i++) {
    do {
      Str n;
      str_init(&n, b, sizeof b);
      str_add(&n, PICK(d, demo_surnames, demo_nsurnames));
      str_add(&n, PICK(d, demo_given, demo_ngiven));
    } while (!strcmp(a, b));
    str_add(&s, "、");
    str_add(&s, b);
  }
  str_init(&s, in->findings[0], sizeof in->findings[0]);
  str_add(&s, "会战以来主要负责人或分管负责人参与项目洽谈");
  str_num(&s, leader);
  str_add(&s, "次；应报周报");
  str_num(&s, due);
  str_add(&s, "期，负责人按时听取");
  str_num(&s, on_time);
  str_add(&s, on_time * 4 >= due * 3 ? "期，听取汇报制度落实较好。" : "期，听取汇报不够经常。");
  str_init(&s, in->findings[1], sizeof in->findings[1]);
  if (!fu) str_add(&s, "会战以来未开展实质性项目洽谈，缺少可跟踪的项目信息。");
  else {
    str_add(&s, "累计开展洽谈跟踪");
    str_num(&s, fu);
    str_add(&s, "次，其中外出招商");
    str_num(&s, out);
    str_add(&s, "次、接待来访");
    str_num(&s, visits);
    str_add(&s, "次；目前在谈项目");
    str_num(&s, neg);
    str_add(&s, "个。");
  }
  str_init(&s, in->findings[2], sizeof in->findings[2]);
  if (!rep) str_add(&s, policy ? "尚无上级政策资金到位。" : "尚无到账资金。");
  else {
    str_add(&s, policy ? "累计争取上级政策资金" : "累计报送到账资金");
    demo_plan_money(&s, rep);
    str_add(&s, "，其中已认定");
    if (cert) demo_plan_money(&s, cert);
    else str_add(&s, "0元");
    str_add(&s, cert * 2 < rep ? "，部分资金凭证尚待补充完善。" : "。");
  }
  str_init(&s, in->findings[3], sizeof in->findings[3]);
  if (!sign) str_add(&s, "尚无签约项目。");
  else {
    str_add(&s, "累计签约项目");
    str_num(&s, sign);
    str_add(&s, "个，开工");
    str_num(&s, start);
    str_add(&s, "个，竣工");
    str_num(&s, done);
    str_add(&s, "个。");
  }
  str_init(&s, in->findings[4], sizeof in->findings[4]);
  if (!unit->u->projects)
    str_add(&s, "该单位至今到账资金和签约项目均为零，主要负责人要亲自研究部署，限期形成项目信息，会战办公室将持续跟踪。");
  else if (perf >= 120)
    str_add(&s, "该单位领导重视、责任明确，小分队外出招商频次高，各项指标走在前列，建议在通报中推广其做法。");
  else
    str_add(&s, "该单位任务进度落后于时间进度，在谈项目转化偏慢，要求一周内报送整改措施，会战办公室跟踪督查。");
}

/* ---- the plan ---- */
int demo_rhythm_plan(Demo *d) {
  int idx[MAX_UNITS][MAX_WEEKS + 1];
  memset(idx, 0xff, sizeof idx); /* -1: no report */
  int weeks = min_i(weekly_weeks_ended(d->start, d->end, d->today), MAX_WEEKS);
  int rc = plan_reports(d, weeks, idx);
  if (!rc) rc = plan_items(d, idx);
  for (int i = 0; !rc && i < d->nreports; i++) {
    const Report *r = &d->reports[i];
    rc = demo_plan_action(d, r->made, ACT_REPORT, i, 0);
    if (!rc && r->submitted) rc = demo_plan_action(d, r->submitted, ACT_REPORT, i, 1);
    if (!rc && r->reviewed) rc = demo_plan_action(d, r->reviewed, ACT_REPORT, i, 2);
  }
  /* Inspections: the unit furthest behind, the one furthest ahead, and (not yet
   * published) a unit with nothing at all. */
  int behind = -1, ahead = -1, zero = -1;
  for (int u = 0; u < d->nunits; u++) {
    const DemoUnit *t = d->units[u].u;
    if (!t->projects) {
      if (zero < 0) zero = u;
    } else {
      if (behind < 0 || t->perf < d->units[behind].u->perf) behind = u;
      if (ahead < 0 || t->perf > d->units[ahead].u->perf) ahead = u;
    }
  }
  plan_inspection(d, behind, d->today - 33, d->today - 30);
  plan_inspection(d, ahead, d->today - 18, d->today - 15);
  plan_inspection(d, zero, d->today - 2, 0);
  for (int i = 0; !rc && i < d->ninspections; i++) {
    rc = demo_plan_action(d, d->inspections[i].day, ACT_INSPECTION, i, 0);
    if (!rc && d->inspections[i].published) rc = demo_plan_action(d, d->inspections[i].published, ACT_INSPECTION, i, 1);
  }
  /* Bulletins every three weeks, each drafted the day after its period and published
   * the next day; the office decides the admonitions two days later and talks follow.
   * The third waits as a draft. */
  static const struct {
    int from, to, publish;
  } cycle[MAX_BULLETINS] = {{0, 20, 1}, {21, 41, 1}, {42, 55, 0}};
  for (int i = 0; !rc && i < MAX_BULLETINS; i++) {
    BulletinPlan *b = &d->bulletins[d->nbulletins];
    b->from = d->start + cycle[i].from;
    b->to = min_i(d->start + cycle[i].to, d->today - 1);
    b->made = b->to + 1 + (cycle[i].publish ? 0 : 1);
    if (b->made > d->today || b->from > b->to) break;
    b->published = cycle[i].publish ? b->made + 1 : 0;
    rc = demo_plan_action(d, b->made, ACT_BULLETIN, d->nbulletins, 0);
    if (!rc && b->published) {
      rc = demo_plan_action(d, b->published, ACT_BULLETIN, d->nbulletins, 1);
      if (!rc) rc = demo_plan_action(d, b->published + 1, ACT_LEADER, d->nbulletins, 0);
      if (!rc) rc = demo_plan_action(d, b->published + 2, ACT_BULLETIN, d->nbulletins, 2);
      for (int k = 3; !rc && k <= 5; k++) rc = demo_plan_action(d, min_i(b->published + 3 + k, d->today), ACT_BULLETIN, d->nbulletins, k);
    }
    d->nbulletins++;
  }
  /* The leader reads a report's problem and asks for it to be solved; the office
   * raises the item the next day. */
  for (int i = 0; !rc && i < d->nitems; i++) {
    const Item *it = &d->items[i];
    if (it->report >= 0 && it->status == ITEM_CLOSED && it->step[0] - 1 >= d->reports[it->report].submitted) {
      rc = demo_plan_action(d, it->step[0] - 1, ACT_LEADER, i, 1);
      break;
    }
  }
  return rc;
}

/* ---- writing ---- */
/* Reads a record's version and applies values to it as a. Takes values. */
static int update(Demo *d, const Actor *a, const char *coll, int64_t id, json_t *values, const char *what) {
  json_t *cur = NULL, *out = NULL;
  const Resource *r = resource_find(coll);
  int rc = record_read(d->db, a, r, id, &cur, d->e);
  if (!rc) {
    json_object_set_new(values, "version", json_integer(json_integer_value(json_object_get(cur, "version"))));
    rc = record_update(d->db, a, r, id, values, &out, d->e);
  }
  json_decref(cur);
  json_decref(out);
  json_decref(values);
  return rc ? demo_failed(d, what) : HZ_OK;
}

/* Runs an action function's result: frees out, names what failed. */
static int finish(Demo *d, int rc, json_t *out, const char *what) {
  json_decref(out);
  return rc ? demo_failed(d, what) : HZ_OK;
}

static const char *opt(const char *s) { return s && *s ? s : NULL; }

static int do_report(Demo *d, Report *r, int step) {
  Unit *u = &d->units[r->unit];
  Actor staff = demo_person_actor(u, &u->people[STAFF]), head = demo_person_actor(u, &u->people[HEAD]);
  json_t *out = NULL;
  int rc;
  switch (step) {
  case 0: {
    json_t *body = json_pack("{s:i s:s s:s? s:s}", "week", r->week, "work_done", r->work_done, "problems",
                             opt(r->problems), "next_plan", r->next_plan);
    return demo_put(d, &staff, "weekly-reports", d->campaign_id, body, &r->id, "周报");
  }
  case 1:
    rc = weekly_submit(d->db, &staff, r->id, &out, d->e);
    return finish(d, rc, out, "提交周报");
  default: {
    json_t *body = json_pack("{s:b s:s s:o}", "heard", 1, "comments", r->comments, "date", demo_jdate(r->reviewed));
    rc = weekly_review(d->db, &head, r->id, body, &out, d->e);
    json_decref(body);
    return finish(d, rc, out, "听取周报");
  }
  }
}

static const char *const item_states[] = {"assigned", "signed_off", "handled", "feedback", "reviewed", "closed"};

static int do_item(Demo *d, Item *it, int step) {
  Unit *u = &d->units[it->unit];
  json_t *out = NULL, *body = NULL;
  int rc;
  if (step == 0) {
    body = json_pack("{s:I s:I s:s s:s s:o}", "campaign_id", (json_int_t)d->campaign_id, "unit_id",
                     (json_int_t)u->id, "title", it->title, "description", it->desc, "due_date", demo_jdate(it->due));
    if (body && it->report >= 0) json_object_set_new(body, "weekly_report_id", json_integer(d->reports[it->report].id));
    return demo_put(d, &d->office, "coordination-items", 0, body, &it->id, it->title);
  }
  if (step >= 10) {
    rc = coordination_remind(d->db, &d->office, it->id, &out, d->e);
    return finish(d, rc, out, it->title);
  }
  /* The unit's liaison signs off and reports back, its deputy handles; the office reviews and closes. */
  const Problem *pb = &problems[it->problem];
  Actor a = step == ITEM_HANDLED ? demo_person_actor(u, &u->people[DEPUTY])
            : step <= ITEM_FEEDBACK ? demo_person_actor(u, &u->people[STAFF])
                                    : d->office;
  char note[600] = "";
  Str s;
  str_init(&s, note, sizeof note);
  if (step == ITEM_HANDLED) {
    const char *tpl = handling_notes[it->var % 2];
    char who[96];
    Str w;
    str_init(&w, who, sizeof who);
    str_add(&w, "分管负责同志");
    str_add(&w, u->people[DEPUTY].name);
    for (const char *c = tpl; *c;) {
      if (!strncmp(c, "{S}", 3)) str_add(&s, u->u->sections[0]), c += 3;
      else if (!strncmp(c, "{D}", 3)) str_add(&s, who), c += 3;
      else str_addn(&s, c, 1), c++;
    }
  } else if (step == ITEM_FEEDBACK) {
    str_add(&s, "已按时限办理：");
    str_add(&s, pb->result);
    str_add(&s, "。项目单位对办理结果表示认可。");
  } else if (step == ITEM_REVIEWED) {
    str_add(&s, review_notes[(it->var >> 1) % 2]);
  }
  body = json_pack("{s:s}", "to", item_states[step]);
  if (body && note[0]) json_object_set_new(body, "note", json_string(note));
  rc = coordination_advance(d->db, &a, it->id, body, &out, d->e);
  json_decref(body);
  return finish(d, rc, out, it->title);
}

static int do_inspection(Demo *d, Inspection *in, int step) {
  if (step == 1) return update(d, &d->office, "inspections", in->id, json_pack("{s:b}", "published", 1), "公开督查结果");
  json_t *body = json_pack("{s:I s:o s:s s:i s:i s:i s:i s:s s:s s:s s:s s:s s:b}", "unit_id",
                           (json_int_t)d->units[in->unit].id, "date", demo_jdate(in->day), "inspectors", in->inspectors,
                           "leadership_score", in->score[0], "negotiation_score", in->score[1], "funds_score",
                           in->score[2], "progress_score", in->score[3], "leadership_findings", in->findings[0],
                           "negotiation_findings", in->findings[1], "funds_findings", in->findings[2],
                           "progress_findings", in->findings[3], "findings", in->findings[4], "published", 0);
  return demo_put(d, &d->office, "inspections", d->campaign_id, body, &in->id, "督查");
}

static json_t *outcome_figures(json_t *p) { return json_object_get(json_object_get(p, "basis"), "figures"); }
static const char *outcome_status(json_t *p) { return json_string_value(json_object_get(outcome_figures(p), "status")); }

/* The office's text of a bulletin before it goes out: highlights from its figures, and
 * what units must do next. */
static json_t *bulletin_texts(Demo *d, const BulletinPlan *b, json_t *content) {
  char hl[600], cl[400];
  Str s;
  str_init(&s, hl, sizeof hl);
  json_t *top = json_array_get(json_object_get(content, "ranking"), 0);
  /* The highlights list the largest signings only; the count is the period's. */
  int signings = 0;
  for (int i = 0; i < d->np; i++) {
    const Project *p = &d->projects[i];
    int day = p->reach >= STAGE_SIGNED ? p->day[STAGE_SIGNED] : 0;
    if (day >= b->from && day <= b->to && !(p->rejected == STAGE_SIGNED && p->review[STAGE_SIGNED] <= b->made)) signings++;
  }
  str_add(&s, "本期");
  if (signings) {
    str_add(&s, "各单位新签约项目");
    str_num(&s, signings);
    str_add(&s, "个，");
  }
  if (top) {
    str_add(&s, json_string_value(json_object_get(top, "name")));
    str_add(&s, "综合得分居首位");
  }
  int event = d->event_day[EV_SIGNING] >= b->from && d->event_day[EV_SIGNING] <= b->to;
  str_add(&s, event ? "，重点项目集中签约仪式成效明显。" : "，一批项目进入实质性推进阶段。");
  str_init(&s, cl, sizeof cl);
  str_add(&s, "各单位要对照本期通报查找差距，滞后和零进展单位要在三日内向会战办公室报送追赶措施；");
  str_add(&s, "各单位要按时报送周报，主要负责人每周听取一次汇报，会战办公室将在下期通报中跟踪通报。");
  return json_pack("{s:s s:s}", "highlights_text", hl, "closing", cl);
}

static int do_bulletin(Demo *d, int index, int step) {
  BulletinPlan *b = &d->bulletins[index];
  json_t *out = NULL;
  int rc = HZ_OK;
  char what[32];
  snprintf(what, sizeof what, "通报第%d期", index + 1);
  if (step == 0) {
    json_t *body = json_pack("{s:o s:o}", "period_start", demo_jdate(b->from), "period_end", demo_jdate(b->to));
    rc = bulletin_generate(d->db, &d->office, d->campaign_id, body, &out, d->e);
    json_decref(body);
    if (!rc) {
      b->id = json_integer_value(json_object_get(out, "id"));
      b->outcomes = json_incref(json_object_get(json_object_get(out, "content"), "rule_outcomes"));
      rc = update(d, &d->office, "bulletins", b->id, bulletin_texts(d, b, json_object_get(out, "content")), what);
    }
    return finish(d, rc, out, what);
  }
  if (step == 1) {
    rc = bulletin_publish(d->db, &d->office, b->id, &out, d->e);
    return finish(d, rc, out, what);
  }
  size_t i;
  json_t *p;
  if (step == 2) {
    /* Admonitions approved, but on the first bulletin one behind unit, ahead on score,
     * is spared: its signings wait for certification. */
    int64_t spare = 0;
    double best = -1;
    json_array_foreach(b->outcomes, i, p) {
      double score = json_number_value(json_object_get(outcome_figures(p), "score"));
      if (index == 0 && outcome_status(p) && !strcmp(outcome_status(p), "behind") && score > best) {
        best = score;
        spare = json_integer_value(json_object_get(p, "id"));
      }
    }
    json_array_foreach(b->outcomes, i, p) {
      if (rc) break;
      int64_t id = json_integer_value(json_object_get(p, "id"));
      json_t *body = id == spare
                         ? json_pack("{s:s}", "note", "经核实，该单位已有多个签约项目和到账资金报送待认定，认定后可达到"
                                                      "时序进度要求，本期暂不约谈，下期通报继续跟踪。")
                         : json_pack("{s:s}", "note", "同意约谈，由市领导对主要负责人进行谈话诫勉。");
      rc = rules_decide(d->db, &d->office, id, id != spare, body, &out, d->e);
      if (!rc && id == spare) b->spared = id;
      json_decref(body);
      json_decref(out);
      out = NULL;
    }
    return rc ? demo_failed(d, what) : HZ_OK;
  }
  /* The leader talks with the heads of the bottom three (rank_from_bottom = step - 2),
   * one a day. */
  json_t *pick = NULL;
  json_array_foreach(b->outcomes, i, p) {
    if (json_integer_value(json_object_get(p, "id")) != b->spared && outcome_status(p) &&
        json_integer_value(json_object_get(outcome_figures(p), "rank_from_bottom")) == step - 2)
      pick = p;
  }
  if (!pick) return HZ_OK;
  int u = unit_by_id(d, json_integer_value(json_object_get(pick, "unit_id")));
  if (u < 0) return HZ_OK;
  const Unit *unit = &d->units[u];
  char leader[96], basis[300], notes[600];
  Str s;
  str_init(&s, leader, sizeof leader);
  str_add(&s, d->central[2].title);
  str_add(&s, d->central[2].name);
  str_init(&s, basis, sizeof basis);
  str_add(&s, "通报第");
  str_num(&s, index + 1);
  str_add(&s, "期：该单位");
  str_add(&s, !strcmp(outcome_status(pick), "zero") ? "到账资金和签约项目均为零" : "任务进度落后于时间进度");
  str_add(&s, "，经会战办公室审定，对主要负责人进行谈话诫勉。");
  str_init(&s, notes, sizeof notes);
  str_add(&s, "谈话指出该单位会战以来工作推进不力的问题，要求主要负责人把招商引资作为当前第一位的工作，"
              "一周内制定追赶措施，每周向会战办公室报告进展。");
  str_add(&s, unit->people[HEAD].name);
  str_add(&s, "同志表示将立即召开专题会议部署，确保下期通报前取得实质性进展。");
  json_t *body = json_pack("{s:I s:I s:O s:I s:o s:s s:s s:s s:s}", "campaign_id", (json_int_t)d->campaign_id,
                           "unit_id", (json_int_t)unit->id, "proposal_id", json_object_get(pick, "id"),
                           "bulletin_id", (json_int_t)b->id, "date", demo_jdate(d->today < b->published + 3 + step ? d->today : b->published + 3 + step), "leader", leader,
                           "head_name", unit->people[HEAD].name, "basis", basis, "notes", notes);
  return demo_put(d, &d->office, "admonitions", 0, body, NULL, "谈话诫勉");
}

static int do_leader(Demo *d, int index, int on_report) {
  json_t *out = NULL, *body;
  int rc;
  if (!on_report) {
    body = json_pack("{s:s}", "text", index == 0
                                          ? "通报情况很清楚。排名靠后和零进展单位的主要负责同志要亲自研究、亲自调度，"
                                            "会战办公室要盯住不放，下期通报看变化。"
                                          : "进度总体加快，但不平衡。经贸洽谈会临近，各单位要把在谈项目逐个排队，"
                                            "能签尽签，会战办公室做好统筹。");
    rc = instruction_add(d->db, &d->leader, "bulletin_id", d->bulletins[index].id, body, &out, d->e);
  } else {
    const Item *it = &d->items[index];
    char text[300];
    Str s;
    str_init(&s, text, sizeof text);
    str_add(&s, "这个问题要抓紧解决。请会战办公室交办");
    str_add(&s, d->units[it->unit].u->short_name);
    str_add(&s, "，一周内拿出办理意见，办理结果报我。");
    body = json_pack("{s:s}", "text", text);
    rc = instruction_add(d->db, &d->leader, "weekly_report_id", d->reports[it->report].id, body, &out, d->e);
  }
  json_decref(body);
  return finish(d, rc, out, "领导批示");
}

int demo_rhythm_do(Demo *d, const Action *x) {
  switch (x->kind) {
  case ACT_REPORT: return do_report(d, &d->reports[x->index], x->arg);
  case ACT_ITEM: return do_item(d, &d->items[x->index], x->arg);
  case ACT_INSPECTION: return do_inspection(d, &d->inspections[x->index], x->arg);
  case ACT_BULLETIN: return do_bulletin(d, x->index, x->arg);
  case ACT_LEADER: return do_leader(d, x->index, x->arg);
  default: return hz_fail(d->e, HZ_EINVAL, NULL, "演示城市：未知的计划动作");
  }
}

void demo_rhythm_free(Demo *d) {
  for (int i = 0; i < d->nbulletins; i++) {
    json_decref(d->bulletins[i].outcomes);
    d->bulletins[i].outcomes = NULL;
  }
}
