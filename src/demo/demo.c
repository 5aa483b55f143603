/* The demo city (R-IF-5): about 30 municipal departments in a 100-day campaign that has
 * reached day 60, with projects at every stage, follow-ups, fund arrivals, targets
 * decomposed to sections and people, and the office's certifications.
 *
 * Everything goes through the same engine as real use (record_create, record_update,
 * certify_record), each record written by the person who would write it: staff report
 * projects, moves, follow-ups and funds; heads decompose targets and form teams; the
 * office sets targets and certifies. So every validation rule holds and every change is
 * audited. Deterministic: one seeded splitmix64 stream, no clock. The city is planned
 * in memory first (who, what, on which day), then replayed in date order with the
 * engine's "today" set to each day, so ids and the audit log run forward in time the
 * way a real campaign's would. The working rhythm (weekly reports, coordination items,
 * inspections, bulletins, decisions, talks, instructions) is planned and written by
 * demo_rhythm.c in the same replay. */
#include "demo/demo_plan.h"
#include "domain/certify.h"
#include "domain/record.h"
#include "store/meta_store.h"
#include "util/crypto.h"
#include "util/timeutil.h"
#include <stdio.h>
#include <stdlib.h>

static const char *const fu_kinds[] = {"outbound_visit", "investor_visit", "call", "meeting", "fair"};

/* Fills {A}..{Z} placeholders from vars (indexed by letter). */
static void str_expand(Str *s, const char *tpl, const char *const vars[26]) {
  for (const char *p = tpl; *p;) {
    if (p[0] == '{' && p[1] >= 'A' && p[1] <= 'Z' && p[2] == '}') {
      str_add(s, vars[p[1] - 'A'] ? vars[p[1] - 'A'] : "");
      p += 3;
    } else {
      const char *q = strchr(p + 1, '{');
      size_t n = q ? (size_t)(q - p) : strlen(p);
      str_addn(s, p, n);
      p += n;
    }
  }
}

json_t *demo_jdate(int day) {
  char b[DATE_LEN];
  date_format(day, b);
  return json_string(b);
}

/* Round a yuan amount to a figure people would write in a target. */
static int64_t nice_money(int64_t v) {
  int64_t grain = v >= 10 * YI ? YI / 10 : v >= YI ? 10 * 1000 * 1000 : v >= 10 * 1000 * 1000 ? 1000 * 1000 : 100 * 1000;
  return (v + grain / 2) / grain * grain;
}

/* ---- writing through the engine ---- */
/* Prefixes the engine's message with what the demo was writing. */
int demo_failed(Demo *d, const char *what) {
  char msg[sizeof d->e->message];
  memcpy(msg, d->e->message, sizeof msg);
  msg[sizeof msg - 1] = 0;
  return hz_fail(d->e, d->e->rc ? d->e->rc : HZ_EIO, NULL, "演示城市（%s）：%s", what, msg);
}
/* Creates one record; takes body. */
int demo_put(Demo *d, const Actor *a, const char *coll, int64_t parent, json_t *body, int64_t *id, const char *what) {
  json_t *out = NULL;
  int rc = body ? record_create(d->db, a, resource_find(coll), parent, body, &out, d->e)
                : hz_fail(d->e, HZ_ENOMEM, NULL, "内存不足");
  if (!rc && id) *id = json_integer_value(json_object_get(out, "id"));
  json_decref(out);
  json_decref(body);
  return rc ? demo_failed(d, what) : HZ_OK;
}
Actor demo_person_actor(const Unit *u, const Person *p) {
  Actor a = {.id = p->id, .role = p->role, .unit_id = u->id};
  snprintf(a.login, sizeof a.login, "%s", p->login);
  snprintf(a.name, sizeof a.name, "%s", p->name);
  return a;
}

/* ---- accounts and units ---- */
static int make_user(Demo *d, Person *p, int64_t unit_id, int64_t section_id) {
  json_t *body = json_pack("{s:s s:s s:s s:s s:s}", "login", p->login, "name", p->name, "role", role_name(p->role),
                           "password", d->password, "title", p->title);
  if (body && unit_id) json_object_set_new(body, "unit_id", json_integer(unit_id));
  if (body && section_id) json_object_set_new(body, "section_id", json_integer(section_id));
  int rc = demo_put(d, &d->system, "users", 0, body, &p->id, p->login);
  if (!rc) d->sum->users++;
  return rc;
}

static int make_central_accounts(Demo *d) {
  int rc = HZ_OK;
  for (int i = 0; !rc && i < 3; i++) rc = make_user(d, &d->central[i], 0, 0);
  const Person *office = &d->central[1], *leader = &d->central[2];
  d->office = (Actor){.id = office->id, .role = ROLE_OFFICE};
  snprintf(d->office.login, sizeof d->office.login, "%s", office->login);
  snprintf(d->office.name, sizeof d->office.name, "%s", office->name);
  d->leader = (Actor){.id = leader->id, .role = ROLE_LEADER};
  snprintf(d->leader.login, sizeof d->leader.login, "%s", leader->login);
  snprintf(d->leader.name, sizeof d->leader.name, "%s", leader->name);
  return rc;
}

/* A unit, its sections, head, deputy and staff; then the unit names its head and deputy. */
static int make_unit(Demo *d, Unit *u) {
  const DemoUnit *t = u->u;
  json_t *body = json_pack("{s:s s:s s:s}", "name", t->name, "short_name", t->short_name, "category", t->category);
  int rc = demo_put(d, &d->system, "units", 0, body, &u->id, t->name);
  for (int i = 0; !rc && i < u->nsections; i++)
    rc = demo_put(d, &d->system, "sections", u->id, json_pack("{s:s}", "name", t->sections[i]), &u->section_ids[i],
             t->sections[i]);
  for (int i = 0; !rc && i < u->npeople; i++) {
    Person *p = &u->people[i];
    rc = make_user(d, p, u->id, p->section >= 0 ? u->section_ids[p->section] : 0);
  }
  json_t *cur = NULL, *out = NULL;
  if (!rc) rc = record_read(d->db, &d->system, resource_find("units"), u->id, &cur, d->e);
  if (!rc) {
    body = json_pack("{s:I s:I s:I}", "version", json_integer_value(json_object_get(cur, "version")), "head_user_id",
                     (json_int_t)u->people[HEAD].id, "deputy_user_id", (json_int_t)u->people[DEPUTY].id);
    rc = record_update(d->db, &d->system, resource_find("units"), u->id, body, &out, d->e);
    json_decref(body);
  }
  json_decref(cur);
  json_decref(out);
  if (rc) return demo_failed(d, t->name);
  d->sum->units++;
  return HZ_OK;
}

/* ---- the campaign: checkpoints and events ---- */
static int make_campaign(Demo *d) {
  char name[128];
  Str s;
  str_init(&s, name, sizeof name);
  str_num(&s, d->year);
  str_add(&s, "年市直部门招商引资百日会战");
  json_t *body = json_pack("{s:s s:o s:o s:s s:i}", "name", name, "start_date", demo_jdate(d->start), "end_date",
                           demo_jdate(d->end), "status", "active", "year", d->year);
  int rc = demo_put(d, &d->system, "campaigns", 0, body, &d->campaign_id, "会战");
  int y, m, dd;
  date_to_ymd(d->month_end, &y, &m, &dd);
  char month_name[64];
  str_init(&s, month_name, sizeof month_name);
  str_num(&s, m);
  str_add(&s, "月底节点考核");
  struct {
    const char *name, *kind;
    int day;
  } cps[] = {{"会战过半（第50天）", "midpoint", d->midpoint},
             {month_name, "month_end", d->month_end},
             {"经贸洽谈会", "fair", d->event_day[EV_FAIR]},
             {"会战结束总评", "final", d->end}};
  for (size_t i = 0; !rc && i < sizeof cps / sizeof cps[0]; i++)
    rc = demo_put(d, &d->system, "checkpoints", d->campaign_id,
             json_pack("{s:s s:s s:o}", "name", cps[i].name, "kind", cps[i].kind, "date", demo_jdate(cps[i].day)), NULL,
             cps[i].name);
  static const char *const places[EV_COUNT] = {"深圳", "市民中心", "上海", "市国际会展中心"};
  for (int i = 0; !rc && i < EV_COUNT; i++) {
    int last = d->event_day[i] + (i == EV_FAIR || i == EV_PROMO_EAST);
    body = json_pack("{s:I s:s s:o s:o s:s}", "campaign_id", (json_int_t)d->campaign_id, "name", d->event_name[i],
                     "start_date", demo_jdate(d->event_day[i]), "end_date", demo_jdate(last), "place", places[i]);
    rc = demo_put(d, &d->system, "events", 0, body, &d->event_id[i], d->event_name[i]);
  }
  return rc;
}

/* ---- targets ---- */
static const char *const metric_names[M_COUNT] = {"funds_arrived", "signed_count", "signed_value", "started_count",
                                                  "completed_count", "policy_funds", "leads_count"};
static int is_money(int m) { return m == M_FUNDS || m == M_SIGNED_VALUE || m == M_POLICY; }

static unsigned unit_metrics(const Unit *u) {
  const char *c = u->u->category;
  unsigned all = 1u << M_FUNDS | 1u << M_SIGNED | 1u << M_LEADS;
  if (!strcmp(c, "industry")) return all | 1u << M_SIGNED_VALUE | 1u << M_STARTED | 1u << M_COMPLETED;
  if (!strcmp(c, "agriculture") || !strcmp(c, "services")) return all | 1u << M_SIGNED_VALUE | 1u << M_STARTED;
  if (!strcmp(c, "policy_funds")) return 1u << M_POLICY | 1u << M_SIGNED | 1u << M_LEADS;
  if (!strcmp(c, "other")) return all | 1u << M_SIGNED_VALUE;
  return all;
}

/* Splits whole into n parts by weights, each a multiple of grain except the last. */
static void split(int64_t whole, int n, const int *w, int64_t grain, int64_t *out) {
  int total = 0;
  int64_t used = 0;
  for (int i = 0; i < n; i++) total += w[i];
  for (int i = 0; i < n - 1; i++) {
    out[i] = whole * w[i] / total / grain * grain;
    used += out[i];
  }
  out[n - 1] = whole - used;
}

static int put_target(Demo *d, const Actor *a, const char *scope, int64_t unit_id, const char *key, int64_t ref,
                      const char *metric, int64_t value) {
  if (value <= 0) return HZ_OK;
  json_t *body = json_pack("{s:s s:I s:s s:I}", "scope", scope, "unit_id", (json_int_t)unit_id, "metric", metric,
                           "value", (json_int_t)value);
  if (body && key) json_object_set_new(body, key, json_integer(ref));
  return demo_put(d, a, "targets", d->campaign_id, body, NULL, "目标任务");
}

/* The office's target for one unit and metric, and the head's decomposition of it to
 * sections and people ("将压力传递到每一个科室、每一个职工"), except where the unit's
 * flaw says it falls short. */
static int unit_target(Demo *d, Unit *u, const char *scope, int m, int64_t whole) {
  Actor head = demo_person_actor(u, &u->people[HEAD]);
  int rc = put_target(d, &d->office, scope, u->id, NULL, 0, metric_names[m], whole);
  int flawed = !strcmp(scope, "campaign") ? u->u->flaw : FLAW_NONE;
  int64_t grain = is_money(m) ? (whole >= 10 * 1000 * 1000 ? 100 * 1000 : WAN) : 1, parts[MAX_PEOPLE];
  int w[MAX_PEOPLE] = {0};
  int64_t sections_whole = whole, people_whole = whole;
  if (flawed == FLAW_SECTIONS && m != M_LEADS) sections_whole = whole * between(d, 70, 90) / 100 / grain * grain;
  if (flawed == FLAW_PEOPLE)
    people_whole = is_money(m) ? whole * between(d, 65, 85) / 100 / grain * grain : max_i(0, (int)whole - 1);
  for (int i = 0; i < u->nsections; i++) w[i] = between(d, 1, 3);
  split(sections_whole, u->nsections, w, grain, parts);
  for (int i = 0; !rc && i < u->nsections; i++)
    rc = put_target(d, &head, scope, u->id, "section_id", u->section_ids[i], metric_names[m], parts[i]);
  if (rc || flawed == FLAW_NO_PEOPLE) return rc;
  int n = u->npeople - DEPUTY; /* the deputy and every staff member */
  for (int i = 0; i < n; i++) w[i] = i == 0 ? 2 : 3;
  split(people_whole, n, w, grain, parts);
  for (int i = 0; !rc && i < n; i++)
    rc = put_target(d, &head, scope, u->id, "user_id", u->people[DEPUTY + i].id, metric_names[m], parts[i]);
  return rc;
}

static int make_targets(Demo *d) {
  demo_plan_figures(d);
  /* A zero unit is still given a task; it just has nothing to show for it. */
  static const int64_t zero_defaults[M_COUNT] = {3000 * WAN, 2, YI, 1, 1, 1000 * WAN, 5};
  int rc = HZ_OK;
  for (int i = 0; !rc && i < d->nunits; i++) {
    Unit *u = &d->units[i];
    unsigned metrics = unit_metrics(u);
    /* By day 60 a unit at perf 100 has 60% of its task: the task follows from that. */
    int64_t share = 60 * max_i(u->u->perf, 1);
    for (int m = 0; !rc && m < M_COUNT; m++) {
      if (!(metrics & 1u << m)) continue;
      int64_t whole, annual;
      if (!u->u->projects) whole = zero_defaults[m];
      else if (is_money(m)) whole = nice_money(max_i64(d->fig[i][m] * 10000 / share, 500 * WAN));
      else whole = max_i64((d->fig[i][m] * 10000 + share - 1) / share, m == M_LEADS ? 5 : 1);
      annual = whole * between(d, 22, 30) / 10;
      rc = unit_target(d, u, "campaign", m, whole);
      if (!rc) rc = unit_target(d, u, "annual", m, is_money(m) ? nice_money(annual) : annual);
    }
  }
  return rc;
}

/* One team (招商小分队) per unit: the deputy leads, the staff go out. */
static int make_teams(Demo *d) {
  int rc = HZ_OK;
  for (int i = 0; !rc && i < d->nunits; i++) {
    Unit *u = &d->units[i];
    Actor head = demo_person_actor(u, &u->people[HEAD]);
    char name[96];
    Str s;
    str_init(&s, name, sizeof name);
    str_add(&s, u->u->short_name);
    str_add(&s, "招商小分队");
    json_t *members = json_array();
    for (int k = DEPUTY; k < u->npeople; k++) json_array_append_new(members, json_integer(u->people[k].id));
    json_t *body = json_pack("{s:I s:s s:I s:o}", "campaign_id", (json_int_t)d->campaign_id, "name", name,
                             "leader_user_id", (json_int_t)u->people[DEPUTY].id, "member_user_ids", members);
    rc = demo_put(d, &head, "teams", 0, body, NULL, name);
  }
  return rc;
}

/* ---- replaying the plan ---- */
static Actor staff_actor(Demo *d, int unit, int person) {
  return demo_person_actor(&d->units[unit], &d->units[unit].people[person]);
}

static int do_investor(Demo *d, Investor *v) {
  Actor a = staff_actor(d, v->unit, v->creator);
  json_t *body = json_pack("{s:s s:s s:s s:s s:s s:s}", "name", v->name, "kind", v->kind, "origin", v->origin,
                           "industry", v->industry, "contact_name", v->contact, "contact_phone", v->phone);
  if (body && strcmp(v->place, "本市")) {
    char note[64];
    Str s;
    str_init(&s, note, sizeof note);
    str_add(&s, "总部位于");
    str_add(&s, v->place);
    json_object_set_new(body, "note", json_string(note));
  }
  return demo_put(d, &a, "investors", 0, body, &v->id, v->name);
}

static int do_project(Demo *d, Project *p) {
  Actor a = staff_actor(d, p->unit, p->responsible);
  const Unit *u = &d->units[p->unit];
  json_t *body = json_pack("{s:I s:s s:I s:I s:s s:s s:I s:s}", "campaign_id", (json_int_t)d->campaign_id, "name",
                           p->name, "lead_unit_id", (json_int_t)u->id, "responsible_user_id",
                           (json_int_t)u->people[p->responsible].id, "category", p->category, "method", p->method,
                           "planned_investment", (json_int_t)p->planned, "description", p->desc);
  if (!body) return demo_put(d, &a, "projects", 0, NULL, NULL, p->name);
  if (p->co_unit >= 0) json_object_set_new(body, "co_unit_ids", json_pack("[I]", (json_int_t)d->units[p->co_unit].id));
  if (p->investor >= 0) json_object_set_new(body, "investor_id", json_integer(d->investors[p->investor].id));
  if (p->source >= 0) json_object_set_new(body, "source_user_id", json_integer(u->people[p->source].id));
  else if (p->source_name[0]) json_object_set_new(body, "source_name", json_string(p->source_name));
  if (p->at_event) json_object_set_new(body, "event_id", json_integer(d->event_id[EV_SIGNING]));
  if (p->reinvest_of >= 0) json_object_set_new(body, "reinvestment_of", json_integer(d->projects[p->reinvest_of].id));
  if (resource_field(resource_find("projects"), "lead_date"))
    json_object_set_new(body, "lead_date", demo_jdate(p->day[STAGE_LEAD]));
  int rc = demo_put(d, &a, "projects", 0, body, &p->id, p->name);
  if (!rc) d->sum->projects++;
  return rc;
}

static int do_move(Demo *d, Project *p, int to) {
  Actor a = staff_actor(d, p->unit, p->responsible);
  json_t *body = json_pack("{s:s s:o}", "to_stage", stage_name(to), "date", demo_jdate(to == STAGE_DROPPED ? p->drop_day : p->day[to]));
  const char *note = NULL;
  switch (to) {
  case STAGE_NEGOTIATING:
    note = p->policy ? "已列入上级资金申报储备，进入申报对接" : "客商有明确投资意向，进入实质性洽谈";
    break;
  case STAGE_SIGNED:
    json_object_set_new(body, "contract_date", demo_jdate(p->day[STAGE_SIGNED]));
    json_object_set_new(body, "contract_value", json_integer(p->contract));
    note = p->policy ? "上级资金计划已批复下达" : p->at_event ? "在百日会战重点项目集中签约仪式上签约" : "双方正式签订投资合同";
    break;
  case STAGE_STARTED:
    json_object_set_new(body, "start_date", demo_jdate(p->day[STAGE_STARTED]));
    note = p->policy ? "资金支持的项目开工建设" : "项目举行开工仪式，主体工程开工建设";
    break;
  case STAGE_COMPLETED:
    json_object_set_new(body, "completion_date", demo_jdate(p->day[STAGE_COMPLETED]));
    note = p->policy ? "项目建成，资金全部拨付到位" : "项目竣工并投产";
    break;
  case STAGE_DROPPED:
    json_object_set_new(body, "reason", json_string(demo_drop_reasons[p->drop_reason]));
    break;
  }
  if (note) json_object_set_new(body, "note", json_string(note));
  return demo_put(d, &a, "stage-changes", p->id, body, &p->move_id[to], p->name);
}

static int do_review(Demo *d, const char *coll, int64_t id, int certify, const char *reason, const char *what) {
  json_t *out = NULL;
  int rc = certify_record(d->db, &d->office, coll, id, certify, reason, &out, d->e);
  json_decref(out);
  return rc ? demo_failed(d, what) : HZ_OK;
}

static int do_follow_up(Demo *d, const FollowUp *f) {
  const Project *p = &d->projects[f->project];
  const Unit *u = &d->units[p->unit], *co = p->co_unit >= 0 ? &d->units[p->co_unit] : NULL;
  const Unit *writer_unit = f->by_co && co ? co : u;
  int writer = f->by_co && co ? STAFF : p->responsible;
  Actor a = demo_person_actor(writer_unit, &writer_unit->people[writer]);
  const Investor *v = p->investor >= 0 ? &d->investors[p->investor] : NULL;
  char contact[64] = "", investor[140] = "", summary[600], next[128], outside[128] = "";
  Str s;
  if (v) {
    str_init(&s, contact, sizeof contact);
    str_add(&s, v->contact);
    str_add(&s, v->contact_title);
    str_init(&s, investor, sizeof investor);
    if (!strcmp(v->kind, "person")) str_add(&s, "客商");
    str_add(&s, v->name);
  }
  const char *vars[26] = {0};
  vars['I' - 'A'] = investor;
  vars['N' - 'A'] = contact;
  vars['P' - 'A'] = p->name;
  vars['C' - 'A'] = p->policy ? demo_pools[u->u->pool].upper : v ? v->place : "本市";
  vars['E' - 'A'] = f->event >= 0 ? d->event_name[f->event] : "";
  const DemoTexts *t = &demo_fu_summaries[f->phase][f->kind];
  str_init(&s, summary, sizeof summary);
  str_expand(&s, t->t[f->var % t->n], vars);
  json_t *who = json_array();
  json_array_append_new(who, json_integer(a.id));
  if (f->who & WHO_HEAD) json_array_append_new(who, json_integer(u->people[HEAD].id));
  if (f->who & WHO_DEPUTY) json_array_append_new(who, json_integer(u->people[DEPUTY].id));
  if (f->who & WHO_OTHER) {
    int other = STAFF + (int)((f->var >> 8) % (uint32_t)(u->npeople - STAFF));
    if (u->people[other].id != a.id) json_array_append_new(who, json_integer(u->people[other].id));
  }
  if ((f->who & WHO_CO) && co) json_array_append_new(who, json_integer(co->people[STAFF].id));
  json_t *body = json_pack("{s:o s:s s:o s:s}", "date", demo_jdate(f->day), "kind", fu_kinds[f->kind],
                           "participant_user_ids", who, "summary", summary);
  if (!body) return demo_put(d, &a, "follow-ups", p->id, NULL, NULL, p->name);
  if (f->kind != KIND_CALL && (v || p->policy)) {
    str_init(&s, outside, sizeof outside);
    if (v) {
      str_add(&s, v->contact);
      if (strcmp(v->kind, "person")) {
        str_add(&s, "（");
        str_add(&s, v->contact_title);
        str_add(&s, "）等");
      }
    } else {
      str_add(&s, demo_pools[u->u->pool].upper);
      str_add(&s, "相关处室负责同志");
    }
    json_object_set_new(body, "outside_participants", json_string(outside));
  }
  const DemoTexts *steps = &demo_fu_next_steps[f->phase];
  str_init(&s, next, sizeof next);
  int next_day = f->day + f->next_days;
  if (f->next_fair && d->event_day[EV_FAIR] >= f->day) {
    str_add(&s, "争取在");
    str_add(&s, d->event_name[EV_FAIR]);
    str_add(&s, "上签约");
    next_day = d->event_day[EV_FAIR];
  } else {
    str_add(&s, steps->t[(f->var >> 16) % steps->n]);
  }
  json_object_set_new(body, "next_step", json_string(next));
  json_object_set_new(body, "next_date", demo_jdate(next_day));
  int rc = demo_put(d, &a, "follow-ups", p->id, body, NULL, p->name);
  if (!rc) d->sum->follow_ups++;
  return rc;
}

static int do_fund(Demo *d, Fund *f) {
  const Project *p = &d->projects[f->project];
  Actor a = staff_actor(d, p->unit, p->responsible);
  static const char *const banks[] = {"工行", "农行", "中行", "建行", "交行", "农商行"};
  char voucher[48], day[DATE_LEN];
  date_format(f->day, day);
  snprintf(voucher, sizeof voucher, "%s回单%.4s%.2s%.2s-%04d", banks[f->voucher % 6], day, day + 5, day + 8,
           f->voucher);
  json_t *body = json_pack("{s:I s:o s:s s:s}", "amount", (json_int_t)f->amount, "date", demo_jdate(f->day), "kind",
                           f->kind, "voucher_no", voucher);
  if (body && f->corrects >= 0) json_object_set_new(body, "note", json_string("按认定意见更正后重新报送"));
  int rc = demo_put(d, &a, "funds", p->id, body, &f->id, p->name);
  if (!rc) d->sum->funds++;
  return rc;
}

/* The engine's "today" set to the day being replayed, never past the demo's today: a
 * report is then submitted, a review dated and an item closed on the day they
 * happened, each checked against that day's records. */
static void clock_at(Demo *d, int day) { date_pretend_today(min_i(day, d->today)); }

static int replay(Demo *d) {
  int rc = HZ_OK;
  for (int i = 0; !rc && i < d->nact; i++) {
    const Action *x = &d->acts[i];
    if (!i || x->day != d->acts[i - 1].day) clock_at(d, x->day);
    Project *p = x->kind == ACT_PROJECT || x->kind == ACT_MOVE || x->kind == ACT_REVIEW_MOVE ? &d->projects[x->index] : NULL;
    switch (x->kind) {
    case ACT_INVESTOR:
      rc = do_investor(d, &d->investors[x->index]);
      break;
    case ACT_PROJECT:
      rc = do_project(d, p);
      break;
    case ACT_MOVE:
      rc = do_move(d, p, x->arg);
      break;
    case ACT_FOLLOW_UP:
      rc = do_follow_up(d, &d->fus[x->index]);
      break;
    case ACT_FUND:
      rc = do_fund(d, &d->funds[x->index]);
      break;
    case ACT_REVIEW_MOVE: {
      int reject = p->rejected == x->arg;
      /* The demo keeps no contract scans: the office says what it certified a signing on. */
      const char *why = reject ? demo_stage_reject_reasons[x->arg - STAGE_SIGNED][p->reject_reason]
                        : x->arg == STAGE_SIGNED ? "合同原件已现场核验（演示数据未上传扫描件）"
                                                 : NULL;
      rc = do_review(d, "stage-changes", p->move_id[x->arg], !reject, why, p->name);
      break;
    }
    case ACT_REVIEW_FUND: {
      const Fund *f = &d->funds[x->index];
      rc = do_review(d, "funds", f->id, !f->rejected, f->rejected ? demo_fund_reject_reasons[f->reason] : NULL,
                     d->projects[f->project].name);
      break;
    }
    default:
      rc = demo_rhythm_do(d, x);
    }
  }
  return rc;
}

int demo_build(Db *db, const char *password, int today, DemoSummary *sum, HzErr *e) {
  memset(sum, 0, sizeof *sum);
  if (today > date_today())
    return hz_fail(e, HZ_EINVAL, "as-of", "演示日期晚于系统“今天”：请同时设置 HUIZHAN_TODAY");
  Demo *d = calloc(1, sizeof *d);
  if (!d) return hz_fail(e, HZ_ENOMEM, NULL, "内存不足");
  d->db = db;
  d->e = e;
  d->password = password;
  d->sum = sum;
  d->today = today;
  d->rng = UINT64_C(0x68757a68616e2026); /* "huizhan" 2026: the same city every time */
  d->system = (Actor){.id = 0, .role = ROLE_ADMIN, .login = "system", .name = "演示数据"};
  d->nunits = (int)min_i((int)demo_nunits, MAX_UNITS);
  for (int i = 0; i < d->nunits; i++) d->units[i].u = &demo_units[i];
  demo_plan_people(d);
  demo_plan_calendar(d);
  demo_plan_city(d);
  /* The office sets the campaign up the day before the first lead it inherits. */
  int setup = d->start - 1;
  for (int i = 0; i < d->np; i++) setup = min_i(setup, d->projects[i].day[STAGE_LEAD] - 1);
  clock_at(d, setup);
  /* Thousands of small transactions: durability is pointless until the city is whole. */
  int rc = db_relax_durability(db, 1, e);
  /* Every account has the one demo password: hashed once (util/crypto.h). */
  password_hash_reuse(1);
  if (!rc) rc = make_central_accounts(d);
  for (int i = 0; !rc && i < d->nunits; i++) rc = make_unit(d, &d->units[i]);
  if (!rc) rc = make_campaign(d);
  if (!rc) rc = make_targets(d);
  if (!rc) rc = make_teams(d);
  if (!rc) rc = demo_rhythm_plan(d);
  if (!rc) rc = demo_plan_schedule(d);
  if (!rc) rc = replay(d);
  /* The login page shows a demo's accounts and password (GET /api/v1/login-info). */
  if (!rc) rc = meta_store_put(db, "demo_password", password, e);
  if (!rc && d->nunits) {
    char logins[160];
    snprintf(logins, sizeof logins, "admin office leader %s.head %s.staff1", d->units[0].u->code, d->units[0].u->code);
    rc = meta_store_put(db, "demo_logins", logins, e);
  }
  HzErr e2 = {0};
  if (db_relax_durability(db, 0, &e2) && !rc) rc = hz_fail(e, e2.rc, NULL, "%s", e2.message);
  hz_err_clear(&e2);
  password_hash_reuse(0);
  date_pretend_today(DATE_REAL);
  demo_rhythm_free(d);
  free(d);
  return rc;
}
