/* Planning the demo city (see demo.c): who does what on which day, decided in memory
 * from one seeded random stream, so the same "today" always gives the same city. The
 * numbers are shaped to look like a campaign at day 60: a funnel that narrows stage by
 * stage, a few projects gone quiet, an office that certifies at its twice-weekly
 * sittings and is a few weeks behind, units ahead, on track, behind and at zero. */
#include "demo/demo_plan.h"
#include "util/timeutil.h"
#include <stdlib.h>

static int day_of_week(int day) { return ((day % 7) + 7 + 3) % 7; } /* 0 = Monday; 1970-01-01 was a Thursday */
/* The office certifies in two sittings a week, Monday and Thursday. */
static int office_sitting(int day) {
  while (day_of_week(day) != 0 && day_of_week(day) != 3) day++;
  return day;
}
/* Days until the office can settle a report: quick when the evidence is complete,
 * weeks when it waits for papers ("条件成熟一个，考核认定一个"). */
static int review_lag(Demo *d) { return chance(d, 50) ? between(d, 4, 12) : between(d, 10, 45); }
static int month_last_day(int y, int m) { return m == 12 ? date_from_ymd(y + 1, 1, 1) - 1 : date_from_ymd(y, m + 1, 1) - 1; }

void demo_plan_money(Str *s, int64_t yuan) {
  if (yuan >= YI) {
    int64_t tenths = (yuan + YI / 20) / (YI / 10);
    str_num(s, tenths / 10);
    if (tenths % 10) {
      str_add(s, ".");
      str_num(s, tenths % 10);
    }
    str_add(s, "亿元");
  } else {
    str_num(s, (yuan + WAN / 2) / WAN);
    str_add(s, "万元");
  }
}

/* ---- people ---- */
/* A Chinese name; accounts' names (unique=1) are never given twice. */
static void person_name(Demo *d, char out[32], int unique) {
  for (int tries = 0;; tries++) {
    Str s;
    str_init(&s, out, 32);
    str_add(&s, PICK(d, demo_surnames, demo_nsurnames));
    str_add(&s, PICK(d, demo_given, demo_ngiven));
    int dup = 0;
    for (int i = 0; unique && i < d->nused && !dup; i++) dup = !strcmp(d->used_names[i], out);
    if (!dup || tries > 50) break;
  }
  if (unique && d->nused < (int)(sizeof d->used_names / sizeof d->used_names[0]))
    memcpy(d->used_names[d->nused++], out, 32);
}

void demo_plan_people(Demo *d) {
  static const char *const staff_titles[] = {"联络员", "招商专员", "科员", "科员"};
  d->central[0] = (Person){.login = "admin", .name = "系统管理员", .title = "系统管理员", .role = ROLE_ADMIN};
  d->central[1] = (Person){.login = "office", .title = "市百日会战活动办公室副主任", .role = ROLE_OFFICE};
  d->central[2] = (Person){.login = "leader", .title = "市委常委、常务副市长", .role = ROLE_LEADER};
  person_name(d, d->central[1].name, 1);
  person_name(d, d->central[2].name, 1);
  for (int k = 0; k < d->nunits; k++) {
    Unit *u = &d->units[k];
    const DemoUnit *t = u->u;
    while (u->nsections < 4 && t->sections[u->nsections]) u->nsections++;
    u->npeople = STAFF + min_i(t->nstaff, MAX_PEOPLE - STAFF);
    for (int i = 0; i < u->npeople; i++) {
      Person *p = &u->people[i];
      p->section = i < STAFF ? -1 : (i - STAFF) % u->nsections;
      p->role = i < STAFF ? ROLE_UNIT_HEAD : ROLE_UNIT_STAFF;
      /* Logins: a pinyin code per unit, e.g. gxj.head, gxj.deputy, gxj.staff1. */
      if (i == HEAD) snprintf(p->login, sizeof p->login, "%s.head", t->code);
      else if (i == DEPUTY) snprintf(p->login, sizeof p->login, "%s.deputy", t->code);
      else snprintf(p->login, sizeof p->login, "%s.staff%d", t->code, i - STAFF + 1);
      Str s;
      str_init(&s, p->title, sizeof p->title);
      if (i == HEAD) str_add(&s, t->head_title);
      else if (i == DEPUTY) str_add(&s, t->deputy_title);
      else {
        str_add(&s, t->sections[p->section]);
        str_add(&s, staff_titles[i - STAFF]);
      }
      person_name(d, p->name, 1);
    }
  }
}

/* ---- the campaign ---- */
void demo_plan_calendar(Demo *d) {
  d->start = d->today - 59; /* today is day 60 of 100: "百日会战已经过半" */
  d->end = d->start + 99;
  d->midpoint = d->start + 49;
  int y, m, dd;
  date_to_ymd(d->start, &d->year, &m, &dd);
  date_to_ymd(d->today, &y, &m, &dd);
  /* The month-end checkpoint still ahead: this month's, or next month's when this one is
   * under ten days away (then there would be no time to act on a warning). */
  d->month_end = month_last_day(y, m);
  if (d->month_end - d->today < 10) d->month_end = month_last_day(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1);
  d->month_end = min_i(d->month_end, d->end);
  d->event_day[EV_PROMO_SOUTH] = d->start + 12;
  d->event_day[EV_SIGNING] = d->start + 27;
  d->event_day[EV_PROMO_EAST] = d->start + 40;
  d->event_day[EV_FAIR] = max_i(d->today + 1, d->month_end - 5); /* "10月下旬即将举行的经贸洽谈会" */
  Str s;
  str_init(&s, d->event_name[EV_PROMO_SOUTH], sizeof d->event_name[0]);
  str_add(&s, "粤港澳大湾区（深圳）招商推介会");
  str_init(&s, d->event_name[EV_SIGNING], sizeof d->event_name[0]);
  str_num(&s, d->year);
  str_add(&s, "年百日会战重点项目集中签约仪式");
  str_init(&s, d->event_name[EV_PROMO_EAST], sizeof d->event_name[0]);
  str_add(&s, "长三角（上海）投资合作恳谈会");
  str_init(&s, d->event_name[EV_FAIR], sizeof d->event_name[0]);
  str_num(&s, d->year);
  str_add(&s, "年（第十二届）经贸洽谈会");
}

/* ---- planning projects ---- */
static int unit_index(Demo *d, const char *code) {
  for (int i = 0; i < d->nunits; i++)
    if (!strcmp(d->units[i].u->code, code)) return i;
  return -1;
}
static int is_cat(const Unit *u, const char *cat) { return !strcmp(u->u->category, cat); }

/* A partner for joint promotion (联合招商): mass organisations team up with line bureaus,
 * and now and then a bureau brings a mass organisation in. */
static int pick_partner(Demo *d, int u) {
  int cand[MAX_UNITS], n = 0;
  int want_mass = !is_cat(&d->units[u], "mass_org");
  for (int i = 0; i < d->nunits; i++) {
    const Unit *x = &d->units[i];
    if (i == u || !x->u->projects || is_cat(x, "policy_funds")) continue;
    if (want_mass == is_cat(x, "mass_org")) cand[n++] = i;
  }
  return n ? cand[rnd(d, n)] : -1;
}

static int name_taken(Demo *d, const char *name) {
  for (int i = 0; i < d->np; i++)
    if (!strcmp(d->projects[i].name, name)) return 1;
  return 0;
}

static const char *origin_place(Demo *d, const char *origin) {
  if (!strcmp(origin, "out_of_province")) return PICK(d, demo_out_of_province, demo_nout_of_province);
  if (!strcmp(origin, "overseas")) return PICK(d, demo_overseas, demo_noverseas);
  if (!strcmp(origin, "in_province")) return PICK(d, demo_in_province, demo_nin_province);
  return "本市";
}

/* A new investor of unit u, interested in projects like nm. */
static int plan_investor(Demo *d, int u, const DemoName *nm, int responsible) {
  if (d->ninv >= MAX_INVESTORS) return -1;
  Investor *v = &d->investors[d->ninv];
  int r = rnd(d, 100), overseas_pct = !strcmp(d->units[u].u->code, "ql") ? 60 : 14;
  v->origin = r < overseas_pct ? "overseas" : r < overseas_pct + 7 ? "local" : r < 66 ? "out_of_province" : "in_province";
  v->place = origin_place(d, v->origin);
  v->industry = nm->industry;
  v->unit = u;
  v->creator = responsible;
  v->first_day = 1 << 30;
  v->brand[0] = 0;
  if (strcmp(v->origin, "overseas") && chance(d, 7)) { /* a private investor, often a returning native */
    v->kind = "person";
    person_name(d, v->contact, 0);
    memcpy(v->name, v->contact, sizeof v->contact);
    v->contact_title = "先生";
  } else {
    v->kind = "enterprise";
    int named_by_place = strcmp(v->place, "本市") && strcmp(v->place, "省城") && strcmp(v->place, "邻市");
    for (int tries = 0;; tries++) {
      Str s;
      snprintf(v->brand, sizeof v->brand, "%s", PICK(d, demo_brands, demo_nbrands));
      str_init(&s, v->name, sizeof v->name);
      if (named_by_place) str_add(&s, v->place);
      str_add(&s, v->brand);
      str_add(&s, v->industry);
      str_add(&s, PICK(d, demo_corp_suffixes, demo_ncorp_suffixes));
      int dup = 0;
      for (int i = 0; i < d->ninv && !dup; i++) dup = !strcmp(d->investors[i].name, v->name);
      if (!dup || tries > 40) break;
    }
    person_name(d, v->contact, 0);
    v->contact_title = PICK(d, demo_contact_titles, demo_ncontact_titles);
  }
  snprintf(v->phone, sizeof v->phone, "1%d%08d", between(d, 30, 89), between(d, 0, 99999999));
  return d->ninv++;
}

/* Names a project after its investor's brand (enterprises), its township (farming) or
 * just its subject (policy funds, restructurings of city-owned firms). */
static void compose_name(Demo *d, Project *p, const DemoName *nm) {
  Str s;
  str_init(&s, p->name, sizeof p->name);
  if (p->policy) {
    str_num(&s, d->year);
    str_add(&s, "年度");
  } else if (!strcmp(nm->category, "agri_industrialization") && chance(d, 55)) {
    str_add(&s, PICK(d, demo_towns, demo_ntowns));
  } else if (strncmp(nm->prefix, "市", strlen("市")) && p->investor >= 0 && d->investors[p->investor].brand[0]) {
    str_add(&s, d->investors[p->investor].brand);
  }
  str_add(&s, nm->prefix);
  if (nm->hi > 0) str_num(&s, between(d, nm->lo, nm->hi));
  str_add(&s, nm->suffix);
}

static int draw_stage(Demo *d, const Unit *u) {
  /* per mille at perf 100: lead, negotiating, signed, started, completed, dropped */
  int w[STAGE_COUNT] = {170, 280, 200, 150, 80, 120};
  int perf = max_i(u->u->perf, 1), total = 0;
  w[STAGE_LEAD] = w[STAGE_LEAD] * 100 / perf;
  w[STAGE_NEGOTIATING] = w[STAGE_NEGOTIATING] * 100 / perf;
  for (int s = STAGE_SIGNED; s <= STAGE_COMPLETED; s++) w[s] = w[s] * perf / 100;
  for (int s = 0; s < STAGE_COUNT; s++) total += w[s];
  int r = rnd(d, total);
  for (int s = 0; s < STAGE_COUNT; s++) {
    if (r < w[s]) return s;
    r -= w[s];
  }
  return STAGE_LEAD;
}

static const char *draw_method(Demo *d, const Project *p, const Unit *u) {
  if (p->co_unit >= 0) return "joint";
  if (p->policy) return "industry";
  int r = rnd(d, 100);
  if (is_cat(u, "mass_org")) {
    if (!strcmp(u->u->code, "gsl")) return r < 60 ? "business_led" : r < 80 ? "relationship" : "borrowed_ship";
    return r < 45 ? "relationship" : r < 80 ? "borrowed_ship" : "business_led";
  }
  return r < 45 ? "industry" : r < 60 ? "business_led" : r < 72 ? "relationship" : r < 82 ? "fair" : r < 87 ? "borrowed_ship" : "other";
}

/* Days of each stage up to `reach`, all on or before today - reserve. Signing falls inside
 * the campaign; leads and talks may have started a little before it. */
static void plan_dates(Demo *d, Project *p, int reach, int reserve) {
  int d1 = between(d, 2, 12), d2 = between(d, 7, 30), d3 = between(d, 5, 25), d4 = between(d, 12, 35);
  int last = d->today - reserve;
  memset(p->day, 0, sizeof p->day);
  if (reach >= STAGE_SIGNED) {
    int fin = last - between(d, 0, 2);
    int after = (reach >= STAGE_STARTED ? d3 : 0) + (reach >= STAGE_COMPLETED ? d4 : 0);
    if (fin - after < d->start) { /* squeeze the build into the days there are */
      int avail = max_i(fin - d->start, 2);
      if (reach >= STAGE_COMPLETED) {
        d3 = max_i(1, d3 * avail / after);
        d4 = max_i(1, avail - d3);
      } else {
        d3 = avail;
      }
      after = (reach >= STAGE_STARTED ? d3 : 0) + (reach >= STAGE_COMPLETED ? d4 : 0);
    }
    int latest = max_i(d->start, fin - after);
    int sign = between(d, d->start, latest);
    if (p->at_event && d->event_day[EV_SIGNING] <= latest) sign = d->event_day[EV_SIGNING];
    else p->at_event = 0;
    p->day[STAGE_SIGNED] = sign;
    p->day[STAGE_NEGOTIATING] = sign - d2;
    p->day[STAGE_STARTED] = reach >= STAGE_STARTED ? sign + d3 : 0;
    p->day[STAGE_COMPLETED] = reach >= STAGE_COMPLETED ? sign + d3 + d4 : 0;
  } else if (reach == STAGE_NEGOTIATING) {
    p->day[STAGE_NEGOTIATING] = between(d, d->start - 10, last);
  }
  if (reach >= STAGE_NEGOTIATING) p->day[STAGE_LEAD] = max_i(d->start - 45, p->day[STAGE_NEGOTIATING] - d1);
  else p->day[STAGE_LEAD] = between(d, d->start - 5, last);
  if (reach >= STAGE_NEGOTIATING && p->day[STAGE_LEAD] >= p->day[STAGE_NEGOTIATING])
    p->day[STAGE_LEAD] = p->day[STAGE_NEGOTIATING] - 1;
  p->reach = reach;
}

/* The office reviews each reported move at a sitting days or weeks later, in order;
 * what it has not reached by today is still waiting. Now and then it sends one back:
 * the engine then returns the project to the stage it came from, and the plan ends
 * there (only the latest move of a project may be rejected). */
static void plan_reviews(Demo *d, Project *p) {
  int prev = 0;
  memset(p->review, 0, sizeof p->review);
  for (int s = STAGE_SIGNED; s <= p->reach; s++) {
    int r = max_i(prev, office_sitting(p->day[s] + review_lag(d)));
    if (r > d->today) break;
    p->review[s] = prev = r;
    if (!p->at_event && chance(d, 4)) {
      p->rejected = s;
      p->reject_reason = rnd(d, 2);
      for (int t = s + 1; t <= STAGE_COMPLETED; t++) p->day[t] = 0;
      p->reach = s;
      break;
    }
  }
}

static void describe(Demo *d, Project *p) {
  Str s;
  str_init(&s, p->desc, sizeof p->desc);
  if (p->policy) {
    str_add(&s, "向");
    str_add(&s, demo_pools[d->units[p->unit].u->pool].upper);
    str_add(&s, "争取");
    str_add(&s, p->name);
    str_add(&s, "，计划争取资金");
    demo_plan_money(&s, p->planned);
    str_add(&s, "。");
    return;
  }
  if (p->investor >= 0) {
    str_add(&s, "由");
    str_add(&s, d->investors[p->investor].name);
    str_add(&s, "投资建设，");
  }
  str_add(&s, "计划总投资");
  demo_plan_money(&s, p->planned);
  str_add(&s, "，选址");
  str_add(&s, p->park);
  str_add(&s, "。");
  if (p->reinvest_of >= 0) str_add(&s, "系已竣工项目的增资扩产。");
}

static int plan_project(Demo *d, int u, int reinvest_of) {
  if (d->np >= MAX_PROJECTS) return -1;
  Unit *unit = &d->units[u];
  Project *p = &d->projects[d->np];
  memset(p, 0, sizeof *p);
  p->unit = u;
  p->co_unit = p->investor = p->source = -1;
  p->reinvest_of = reinvest_of;
  p->policy = is_cat(unit, "policy_funds");
  if (reinvest_of < 0 && !p->policy && chance(d, is_cat(unit, "mass_org") ? 45 : 6)) p->co_unit = pick_partner(d, u);
  DemoPool pool = unit->u->pool;
  if (p->co_unit >= 0 && is_cat(unit, "mass_org")) pool = d->units[p->co_unit].u->pool;
  else if (is_cat(unit, "mass_org") && !chance(d, 60)) {
    static const DemoPool broad[] = {POOL_INDUSTRY, POOL_TOURISM, POOL_AGRI, POOL_HOUSING};
    pool = PICK(d, broad, sizeof broad / sizeof broad[0]);
  }
  p->responsible = STAFF + rnd(d, unit->npeople - STAFF);
  const DemoName *nm = NULL;
  if (reinvest_of >= 0) {
    Str s;
    const char *orig = d->projects[reinvest_of].name;
    size_t n = strlen(orig), tail = strlen("项目");
    p->investor = d->projects[reinvest_of].investor;
    str_init(&s, p->name, sizeof p->name);
    if (n > tail && !strcmp(orig + n - tail, "项目")) str_addn(&s, orig, n - tail);
    else str_add(&s, orig);
    str_add(&s, "二期项目");
  } else {
    /* Sometimes an investor the unit already knows comes back with another project. */
    int known = -1;
    if (!p->policy && unit->ninvestors && chance(d, 18)) {
      int k = rnd(d, unit->ninvestors);
      for (int i = 0; i < d->ninv && known < 0; i++)
        if (d->investors[i].unit == u && k-- == 0) known = i;
    }
    for (int tries = 0;; tries++) {
      nm = &demo_pools[pool].names[rnd(d, (int)demo_pools[pool].n)];
      p->investor = known >= 0 || p->policy ? known : plan_investor(d, u, nm, p->responsible);
      compose_name(d, p, nm);
      int fresh = p->investor >= 0 && p->investor != known;
      if (!name_taken(d, p->name) || tries > 30) {
        if (tries > 30) {
          Str s = {p->name, sizeof p->name, strlen(p->name)};
          str_add(&s, "（二期）");
        }
        if (fresh) unit->ninvestors++;
        break;
      }
      if (fresh) d->ninv--; /* drawn for a name already taken: draw again */
    }
  }
  const Project *src = reinvest_of >= 0 ? &d->projects[reinvest_of] : NULL;
  p->category = src ? src->category : nm->category;
  int64_t lo = src ? src->planned / 2 / WAN : nm->min_wan, hi = src ? src->planned / WAN : nm->max_wan;
  p->planned = (int64_t)between(d, (int)lo, (int)hi) * WAN;
  p->planned = p->planned >= YI ? p->planned / (100 * WAN) * (100 * WAN) : p->planned / (10 * WAN) * (10 * WAN);
  p->method = src ? "business_led" : draw_method(d, p, unit);
  if (!strcmp(p->category, "agri_industrialization")) p->park = PICK(d, demo_towns, demo_ntowns);
  else if (!strcmp(p->category, "services")) p->park = PICK(d, demo_city_areas, demo_ncity_areas);
  else p->park = PICK(d, demo_parks, demo_nparks);
  int r = rnd(d, 100);
  if (r < 55) p->source = rnd(d, unit->npeople);
  else if (r < 80 && !p->policy) {
    Str s;
    str_init(&s, p->source_name, sizeof p->source_name);
    str_add(&s, PICK(d, demo_surnames, demo_nsurnames));
    str_add(&s, chance(d, 50) ? "会长（" : "总（");
    str_add(&s, PICK(d, demo_out_of_province, demo_nout_of_province));
    str_add(&s, "商会）");
  }
  describe(d, p);

  int stage = src ? (chance(d, 50) ? STAGE_LEAD : STAGE_NEGOTIATING) : draw_stage(d, unit);
  int reach = stage, reserve = 0;
  if (stage == STAGE_DROPPED) {
    int f = rnd(d, 10);
    reach = f < 4 ? STAGE_LEAD : f < 9 ? STAGE_NEGOTIATING : STAGE_SIGNED;
    reserve = 6;
  } else if (!src && stage <= STAGE_NEGOTIATING && chance(d, 22)) {
    p->quiet = between(d, STALE_DAYS + 1, 35); /* gone quiet: "盯劲" is missing here */
    reserve = p->quiet;
  }
  p->at_event = reach >= STAGE_SIGNED && chance(d, 18);
  plan_dates(d, p, reach, reserve);
  if (src) { /* the second phase follows the first one's completion */
    int first = src->day[STAGE_COMPLETED] + between(d, 3, 8);
    p->day[STAGE_LEAD] = min_i(first, d->today - 1);
    if (reach == STAGE_NEGOTIATING)
      p->day[STAGE_NEGOTIATING] = min_i(p->day[STAGE_LEAD] + between(d, 1, 4), d->today);
  }
  p->stage = reach;
  if (stage == STAGE_DROPPED) {
    p->drop_day = min_i(d->today - 1, p->day[reach] + between(d, 5, 25));
    p->drop_reason = rnd(d, (int)demo_ndrop_reasons);
    p->stage = STAGE_DROPPED;
  } else {
    plan_reviews(d, p);
    p->stage = p->rejected ? p->rejected - 1 : p->reach;
  }
  int64_t c = p->planned * between(d, p->policy ? 70 : 85, p->policy ? 100 : 105) / 100;
  p->contract = c >= YI ? c / (100 * WAN) * (100 * WAN) : c / (10 * WAN) * (10 * WAN);
  return d->np++;
}

/* Reinvestment (增资扩产) by investors whose first project is already completed. */
static void plan_reinvestments(Demo *d) {
  int n = d->np, made = 0;
  for (int i = 0; i < n && made < 3; i++) {
    const Project *p = &d->projects[i];
    if (p->stage == STAGE_COMPLETED && !p->rejected && p->investor >= 0 && p->co_unit < 0 &&
        p->day[STAGE_COMPLETED] <= d->today - 12 && chance(d, 60) && plan_project(d, p->unit, i) >= 0)
      made++;
  }
}

/* One investor and project claimed by two units (R-PROG-10), for the office to settle:
 * the commerce bureau reports, under a slightly different name, talks the industry
 * bureau is already holding with the same investor. */
static void plan_duplicate_claim(Demo *d) {
  int a = unit_index(d, "gxj"), b = unit_index(d, "swj");
  if (a < 0 || b < 0 || d->np >= MAX_PROJECTS) return;
  for (int i = 0; i < d->np; i++) {
    const Project *p = &d->projects[i];
    if (p->unit != a || p->stage != STAGE_NEGOTIATING || p->quiet || p->investor < 0 || p->co_unit >= 0 ||
        p->day[STAGE_NEGOTIATING] > d->today - 12 || strcmp(d->investors[p->investor].kind, "enterprise") ||
        d->ninv >= MAX_INVESTORS)
      continue;
    /* The commerce bureau cannot see the industry bureau's investors, so it registers the
     * company again, under its group name; the office's duplicate list matches the two
     * records by name (docs/figures.md "Duplicates"). */
    Investor *v = &d->investors[d->ninv];
    *v = d->investors[p->investor];
    v->unit = b;
    v->creator = STAFF;
    v->first_day = 1 << 30;
    v->id = 0;
    const char *was = d->investors[p->investor].name;
    size_t len = strlen(was), corp = strlen("有限公司");
    if (len > corp && !strcmp(was + len - corp, "有限公司")) {
      Str g;
      str_init(&g, v->name, sizeof v->name);
      str_addn(&g, was, len - corp);
      str_add(&g, "集团有限公司");
    }
    Project *q = &d->projects[d->np];
    *q = *p;
    q->investor = d->ninv++;
    q->unit = b;
    q->responsible = STAFF;
    q->source = -1;
    q->source_name[0] = 0;
    q->day[STAGE_LEAD] = p->day[STAGE_LEAD] + 9;
    q->day[STAGE_NEGOTIATING] = max_i(p->day[STAGE_NEGOTIATING] + 6, q->day[STAGE_LEAD] + 1);
    Str s;
    str_init(&s, q->name, sizeof q->name);
    size_t n = strlen(p->name), tail = strlen("项目");
    if (n > tail && !strcmp(p->name + n - tail, "项目")) {
      str_addn(&s, p->name, n - tail);
      str_add(&s, "建设项目");
    } else {
      str_add(&s, p->name);
      str_add(&s, "项目");
    }
    d->np++;
    return;
  }
}

/* ---- follow-ups ---- */
static int promo_event_in(Demo *d, int lo, int hi) {
  static const int promos[] = {EV_PROMO_SOUTH, EV_PROMO_EAST};
  for (size_t i = 0; i < sizeof promos / sizeof promos[0]; i++)
    if (d->event_day[promos[i]] >= lo && d->event_day[promos[i]] <= hi) return promos[i];
  return -1;
}

static int phase_of(const Project *p, int day) {
  if (p->policy) return p->day[STAGE_SIGNED] && day >= p->day[STAGE_SIGNED] ? FU_POLICY_POST : FU_POLICY_PRE;
  if (p->day[STAGE_COMPLETED] && day >= p->day[STAGE_COMPLETED]) return FU_AFTERCARE;
  if (p->day[STAGE_SIGNED] && day >= p->day[STAGE_SIGNED]) return FU_POST;
  return FU_PRE;
}

static int draw_kind(Demo *d, const Project *p, int phase) {
  int r = rnd(d, 100), k;
  if (phase == FU_PRE) k = r < 25 ? KIND_OUTBOUND : r < 48 ? KIND_VISIT : r < 78 ? KIND_CALL : KIND_MEETING;
  else k = r < 15 ? KIND_OUTBOUND : r < 30 ? KIND_VISIT : r < 60 ? KIND_CALL : KIND_MEETING;
  /* One does not travel to visit an investor at home. */
  if (k == KIND_OUTBOUND && p->investor >= 0 && !strcmp(d->investors[p->investor].origin, "local")) k = KIND_VISIT;
  return k;
}

static int cmp_int(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }

static void plan_follow_ups(Demo *d, int pi) {
  Project *p = &d->projects[pi];
  const Unit *u = &d->units[p->unit];
  static const int counts[STAGE_COUNT][2] = {{1, 3}, {3, 6}, {3, 6}, {4, 7}, {4, 6}, {1, 4}};
  int n = between(d, counts[p->stage][0], counts[p->stage][1]);
  int lo = p->day[STAGE_LEAD], hi;
  if (p->stage == STAGE_DROPPED) hi = p->drop_day;
  else if (p->quiet) hi = d->today - p->quiet;
  else hi = d->today - between(d, 0, 6);
  hi = max_i(hi, lo);
  int days[12];
  days[0] = lo;
  for (int i = 1; i < n; i++) days[i] = between(d, lo, hi);
  qsort(days, (size_t)n, sizeof days[0], cmp_int);
  if (!p->quiet && p->stage <= STAGE_NEGOTIATING) { /* kept warm to this day */
    if (n == 1 && hi > lo) days[n++] = hi;
    days[n - 1] = hi;
  }
  if (p->stage == STAGE_COMPLETED && p->day[STAGE_COMPLETED] < d->today)
    days[n++] = between(d, p->day[STAGE_COMPLETED] + 1, d->today); /* aftercare */
  /* Met at a promotion event; never the last contact, which keeps its date. */
  int promo = p->policy ? -1 : promo_event_in(d, lo, hi);
  int promo_at = promo >= 0 && n > 1 && chance(d, 35) ? rnd(d, n - 1) : -1;
  for (int i = 0; i < n && d->nfu < MAX_FOLLOW_UPS; i++) {
    FollowUp *f = &d->fus[d->nfu++];
    memset(f, 0, sizeof *f);
    f->project = pi;
    f->event = -1;
    f->day = days[i];
    if (i == promo_at) {
      f->day = d->event_day[promo];
      f->kind = KIND_FAIR;
      f->event = promo;
    }
    f->phase = phase_of(p, f->day);
    if (f->kind != KIND_FAIR) f->kind = i == 0 && !p->policy ? (chance(d, 50) ? KIND_CALL : KIND_VISIT) : draw_kind(d, p, f->phase);
    if (f->kind != KIND_CALL) {
      int lead_pct = u->u->lead_pct;
      if (chance(d, lead_pct / 2)) f->who |= WHO_HEAD;
      if (chance(d, lead_pct)) f->who |= WHO_DEPUTY;
      if (u->npeople > STAFF + 1 && chance(d, 25)) f->who |= WHO_OTHER;
    }
    if (p->co_unit >= 0) {
      if (chance(d, 25)) f->by_co = 1;
      else if (chance(d, 30)) f->who |= WHO_CO;
    }
    f->var = (uint32_t)next64(d);
    f->next_days = between(d, 3, 15);
    /* Talks heading for the fair: "紧紧抓住…经贸洽谈会这一契机". */
    f->next_fair = i == n - 1 && p->stage == STAGE_NEGOTIATING && !p->quiet && chance(d, 40);
  }
}

/* ---- funds ---- */
static void plan_funds(Demo *d, int pi) {
  const Project *p = &d->projects[pi];
  if (p->stage < STAGE_SIGNED || p->stage == STAGE_DROPPED || p->rejected == STAGE_SIGNED) return;
  const char *kind = "policy";
  if (!p->policy) {
    if (p->investor < 0) return;
    const char *o = d->investors[p->investor].origin;
    if (!strcmp(o, "local")) return; /* local money is not 招商引资到位资金 */
    kind = !strcmp(o, "in_province") ? "out_of_city" : !strcmp(o, "overseas") ? "foreign" : "out_of_province";
  }
  int n, lo_pct, hi_pct;
  if (p->policy) n = between(d, 1, 2), lo_pct = 50, hi_pct = 100;
  else if (p->stage == STAGE_SIGNED) n = chance(d, 80) ? (chance(d, 40) ? 2 : 1) : 0, lo_pct = 5, hi_pct = 25;
  else if (p->stage == STAGE_STARTED) n = between(d, 1, 3), lo_pct = 15, hi_pct = 45;
  else n = between(d, 2, 3), lo_pct = 35, hi_pct = 80;
  int64_t total = p->contract * between(d, lo_pct, hi_pct) / 100;
  int days[4];
  for (int i = 0; i < n; i++) days[i] = between(d, p->day[STAGE_SIGNED], d->today);
  qsort(days, (size_t)n, sizeof days[0], cmp_int);
  int64_t left = total;
  for (int i = 0; i < n && d->nfunds < MAX_FUNDS - 1; i++) {
    Fund *f = &d->funds[d->nfunds++];
    memset(f, 0, sizeof *f);
    f->project = pi;
    f->day = days[i];
    f->kind = kind;
    f->corrects = -1;
    f->voucher = between(d, 1, 9999);
    int64_t amt = i == n - 1 ? left : left * between(d, 30, 60) / 100;
    f->amount = max_i64(1, amt / WAN) * WAN;
    left = max_i64(0, left - f->amount);
    /* Reviewed at a sitting after the project's signing itself was certified. */
    int r = office_sitting(f->day + review_lag(d));
    if (!p->review[STAGE_SIGNED] || p->rejected == STAGE_SIGNED) continue;
    r = max_i(r, p->review[STAGE_SIGNED]);
    if (r > d->today) continue;
    f->review = r;
    if (!chance(d, 5)) continue;
    f->rejected = 1;
    f->reason = rnd(d, (int)demo_nfund_reject_reasons);
    int again = r + between(d, 1, 4);
    if (again > d->today || !chance(d, 65)) continue;
    Fund *g = &d->funds[d->nfunds++]; /* re-reported as the office asked */
    *g = *f;
    g->day = again;
    g->corrects = (int)(f - d->funds);
    g->rejected = 0;
    g->voucher = between(d, 1, 9999);
    if (f->reason == 0 || f->reason == 3) g->amount = max_i64(1, f->amount * 6 / 10 / WAN) * WAN;
    g->review = office_sitting(again + between(d, 3, 10));
    if (g->review > d->today) g->review = 0;
  }
}

/* ---- figures the targets are set against ---- */
/* What each unit will show by today, from the plan: its certified figures, or its
 * reported ones where the office has certified nothing yet. Leads need no
 * certification. */
void demo_plan_figures(Demo *d) {
  int64_t rep[MAX_UNITS][M_COUNT], cert[MAX_UNITS][M_COUNT];
  memset(rep, 0, sizeof rep);
  memset(cert, 0, sizeof cert);
  for (int i = 0; i < d->np; i++) {
    const Project *p = &d->projects[i];
    rep[p->unit][M_LEADS]++, cert[p->unit][M_LEADS]++;
    if (p->stage == STAGE_DROPPED) continue;
    static const int counted[] = {M_SIGNED, M_STARTED, M_COMPLETED};
    for (int s = STAGE_SIGNED; s <= p->reach; s++) {
      if (p->rejected == s) break;
      int64_t *f[2] = {rep[p->unit], p->review[s] ? cert[p->unit] : NULL};
      for (int k = 0; k < 2; k++) {
        if (!f[k]) continue;
        f[k][counted[s - STAGE_SIGNED]]++;
        if (s == STAGE_SIGNED) f[k][M_SIGNED_VALUE] += p->contract;
      }
    }
  }
  for (int i = 0; i < d->nfunds; i++) {
    const Fund *f = &d->funds[i];
    int u = d->projects[f->project].unit, m = strcmp(f->kind, "policy") ? M_FUNDS : M_POLICY;
    if (f->rejected) continue;
    rep[u][m] += f->amount;
    if (f->review) cert[u][m] += f->amount;
  }
  for (int u = 0; u < d->nunits; u++)
    for (int m = 0; m < M_COUNT; m++) d->fig[u][m] = cert[u][m] ? cert[u][m] : rep[u][m];
}

/* ---- the order of replay ---- */
int demo_plan_action(Demo *d, int day, int kind, int index, int arg) {
  if (d->nact >= MAX_ACTIONS) return hz_fail(d->e, HZ_ENOMEM, NULL, "演示城市：计划过大");
  d->acts[d->nact] = (Action){day, kind, d->nact, index, arg};
  d->nact++;
  return HZ_OK;
}
static int cmp_action(const void *a, const void *b) {
  const Action *x = a, *y = b;
  if (x->day != y->day) return x->day - y->day;
  if (x->kind != y->kind) return x->kind - y->kind;
  return x->seq - y->seq;
}

int demo_plan_schedule(Demo *d) {
  int rc = HZ_OK;
  for (int i = 0; i < d->np; i++) {
    const Project *p = &d->projects[i];
    if (p->investor >= 0 && p->day[STAGE_LEAD] < d->investors[p->investor].first_day) {
      d->investors[p->investor].first_day = p->day[STAGE_LEAD];
      d->investors[p->investor].creator = p->responsible;
    }
  }
  for (int i = 0; !rc && i < d->ninv; i++)
    if (d->investors[i].first_day < (1 << 30)) rc = demo_plan_action(d, d->investors[i].first_day, ACT_INVESTOR, i, 0);
  for (int i = 0; !rc && i < d->np; i++) {
    const Project *p = &d->projects[i];
    rc = demo_plan_action(d, p->day[STAGE_LEAD], ACT_PROJECT, i, 0);
    for (int s = STAGE_NEGOTIATING; !rc && s <= p->reach; s++) rc = demo_plan_action(d, p->day[s], ACT_MOVE, i, s);
    if (!rc && p->stage == STAGE_DROPPED) rc = demo_plan_action(d, p->drop_day, ACT_MOVE, i, STAGE_DROPPED);
    for (int s = STAGE_SIGNED; !rc && s <= p->reach; s++)
      if (p->review[s]) rc = demo_plan_action(d, p->review[s], ACT_REVIEW_MOVE, i, s);
  }
  for (int i = 0; !rc && i < d->nfu; i++) rc = demo_plan_action(d, d->fus[i].day, ACT_FOLLOW_UP, i, 0);
  for (int i = 0; !rc && i < d->nfunds; i++) {
    rc = demo_plan_action(d, d->funds[i].day, ACT_FUND, i, 0);
    if (!rc && d->funds[i].review) rc = demo_plan_action(d, d->funds[i].review, ACT_REVIEW_FUND, i, 0);
  }
  if (!rc) qsort(d->acts, (size_t)d->nact, sizeof d->acts[0], cmp_action);
  return rc;
}

void demo_plan_city(Demo *d) {
  for (int i = 0; i < d->nunits; i++)
    for (int k = 0; k < d->units[i].u->projects; k++) plan_project(d, i, -1);
  plan_reinvestments(d);
  plan_duplicate_claim(d);
  for (int i = 0; i < d->np; i++) plan_follow_ups(d, i);
  for (int i = 0; i < d->np; i++) plan_funds(d, i);
}
