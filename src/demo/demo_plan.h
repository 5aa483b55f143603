/* The demo city's plan, shared by demo_plan.c, which decides who does what on which day
 * (no database), and demo.c, which writes it through the engine. Internal to src/demo/. */
#ifndef HZ_DEMO_PLAN_H
#define HZ_DEMO_PLAN_H
#include "demo/demo.h"
#include "demo/demo_data.h"
#include "domain/role.h"
#include "domain/stage.h"
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define MAX_UNITS 40
#define MAX_PEOPLE 6 /* head, deputy, up to four staff */
#define MAX_PROJECTS 600
#define MAX_INVESTORS 600
#define MAX_FOLLOW_UPS 3000
#define MAX_FUNDS 900
#define MAX_WEEKS 15 /* weeks of a 100-day campaign */
#define MAX_REPORTS (MAX_UNITS * MAX_WEEKS)
#define MAX_ITEMS 16
#define MAX_INSPECTIONS 3
#define MAX_BULLETINS 3
#define MAX_RHYTHM (MAX_REPORTS * 3 + MAX_ITEMS * 8 + MAX_INSPECTIONS * 2 + MAX_BULLETINS * 8)
#define MAX_ACTIONS (MAX_INVESTORS + MAX_PROJECTS * 8 + MAX_FOLLOW_UPS + MAX_FUNDS * 2 + MAX_RHYTHM)
#define WAN INT64_C(10000)
#define YI INT64_C(100000000)
#define STALE_DAYS 14

enum { HEAD = 0, DEPUTY = 1, STAFF = 2 };
enum { KIND_OUTBOUND, KIND_VISIT, KIND_CALL, KIND_MEETING, KIND_FAIR };
/* Who took part in a follow-up besides the person who wrote it. */
enum { WHO_HEAD = 1, WHO_DEPUTY = 2, WHO_OTHER = 4, WHO_CO = 8 };
/* Replayed in this order within one day: the day's records first, then the working
 * rhythm (demo_rhythm.c) that reads them. */
enum { ACT_INVESTOR, ACT_PROJECT, ACT_MOVE, ACT_FOLLOW_UP, ACT_FUND, ACT_REVIEW_MOVE, ACT_REVIEW_FUND,
       ACT_REPORT, ACT_ITEM, ACT_INSPECTION, ACT_BULLETIN, ACT_LEADER };
/* Coordination items' states, in the order they are reached. */
enum { ITEM_ASSIGNED, ITEM_SIGNED_OFF, ITEM_HANDLED, ITEM_FEEDBACK, ITEM_REVIEWED, ITEM_CLOSED };
/* Target metrics, in the order of targets.metric. */
enum { M_FUNDS, M_SIGNED, M_SIGNED_VALUE, M_STARTED, M_COMPLETED, M_POLICY, M_LEADS, M_COUNT };
/* Events of the campaign; the fair is still to come. */
enum { EV_PROMO_SOUTH, EV_SIGNING, EV_PROMO_EAST, EV_FAIR, EV_COUNT };

typedef struct {
  int64_t id;
  char login[32], name[32], title[64];
  Role role;
  int section; /* index into the unit's sections, -1 none */
} Person;

typedef struct {
  const DemoUnit *u;
  int64_t id;
  int64_t section_ids[4];
  int nsections;
  Person people[MAX_PEOPLE];
  int npeople;
  int ninvestors;
} Unit;

typedef struct {
  char name[128], brand[16], contact[32], phone[16];
  const char *kind, *origin, *industry, *place, *contact_title;
  int unit, creator, first_day;
  int64_t id;
} Investor;

typedef struct {
  int unit, co_unit, investor, reinvest_of; /* -1: none */
  char name[160], source_name[64], desc[300];
  const char *category, *method, *park;
  int64_t planned, contract;
  int stage;                    /* where it stands today */
  int reach;                    /* furthest of lead..completed it got to */
  int day[STAGE_COMPLETED + 1]; /* day it reached each stage up to reach */
  int drop_day, drop_reason;
  int review[STAGE_COMPLETED + 1]; /* office review day of the move to signed.., 0: none yet */
  int rejected;                    /* stage whose move was sent back, 0: none */
  int reject_reason;
  int at_event, policy, quiet, responsible, source;
  int64_t id, move_id[STAGE_COUNT];
} Project;

typedef struct {
  int project, day, kind, phase, by_co, next_days, next_fair, event;
  unsigned who;
  uint32_t var;
} FollowUp;

typedef struct {
  int project, day, review, rejected, reason, corrects, voucher;
  int64_t amount;
  const char *kind;
  int64_t id;
} Fund;

typedef struct {
  int day, kind, seq, index, arg;
} Action;

/* A weekly report: drafted on `made`, submitted and heard by the head (0: not yet). */
typedef struct {
  int unit, week, from, to, made, submitted, reviewed;
  char work_done[900], problems[400], next_plan[500], comments[300];
  int64_t id;
} Report;

/* A coordination item: raised by the office (from a report when report >= 0), solved by
 * `unit`; step[k] is the day it reached state k, up to `status`. */
typedef struct {
  int unit, from_unit, project, report, problem, status, due, nreminds;
  int step[ITEM_CLOSED + 1], remind[2];
  char title[300], desc[500];
  uint32_t var;
  int64_t id;
} Item;

typedef struct {
  int unit, day, published, score[4];
  char inspectors[128], findings[5][500];
  int64_t id;
} Inspection;

/* A bulletin: drafted on `made` for from..to, published on `published` (0: a draft). */
typedef struct {
  int from, to, made, published;
  int64_t id, spared; /* spared: the proposal the office dismissed */
  json_t *outcomes;    /* the proposals its rules made, read back to decide them */
} BulletinPlan;

typedef struct {
  Db *db;
  HzErr *e;
  const char *password;
  DemoSummary *sum;
  uint64_t rng;
  int today, start, end, midpoint, month_end, year;
  int64_t campaign_id;
  int event_day[EV_COUNT];
  int64_t event_id[EV_COUNT];
  char event_name[EV_COUNT][96];
  Actor system, office, leader;
  Person central[3]; /* admin, office, leader */
  int nunits, np, ninv, nfu, nfunds, nact;
  Unit units[MAX_UNITS];
  Project projects[MAX_PROJECTS];
  Investor investors[MAX_INVESTORS];
  FollowUp fus[MAX_FOLLOW_UPS];
  Fund funds[MAX_FUNDS];
  Action acts[MAX_ACTIONS];
  char used_names[MAX_UNITS * MAX_PEOPLE + 8][32]; /* accounts' names, kept unique */
  int nused;
  int64_t fig[MAX_UNITS][M_COUNT]; /* what each unit will show by today, by metric */
  /* the working rhythm (demo_rhythm.c) */
  int nreports, nitems, ninspections, nbulletins;
  Report reports[MAX_REPORTS];
  Item items[MAX_ITEMS];
  Inspection inspections[MAX_INSPECTIONS];
  BulletinPlan bulletins[MAX_BULLETINS];
} Demo;

/* ---- randomness: splitmix64, one stream for the whole city ---- */
static inline uint64_t next64(Demo *d) {
  uint64_t z = (d->rng += UINT64_C(0x9e3779b97f4a7c15));
  z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
  return z ^ (z >> 31);
}
static inline int rnd(Demo *d, int n) { return n <= 1 ? 0 : (int)(next64(d) % (uint64_t)n); }
static inline int between(Demo *d, int lo, int hi) { return hi <= lo ? lo : lo + rnd(d, hi - lo + 1); }
static inline int chance(Demo *d, int pct) { return rnd(d, 100) < pct; }
#define PICK(d, arr, n) ((arr)[rnd(d, (int)(n))])
static inline int min_i(int a, int b) { return a < b ? a : b; }
static inline int max_i(int a, int b) { return a > b ? a : b; }
static inline int64_t max_i64(int64_t a, int64_t b) { return a > b ? a : b; }

/* ---- text: a bounded string that never cuts a UTF-8 sequence ---- */
typedef struct {
  char *p;
  size_t cap, len;
} Str;
static inline void str_init(Str *s, char *buf, size_t cap) {
  s->p = buf;
  s->cap = cap;
  s->len = 0;
  buf[0] = 0;
}
static inline void str_addn(Str *s, const char *t, size_t n) {
  if (s->len + n >= s->cap) {
    n = s->cap - 1 - s->len;
    while (n && (t[n] & 0xC0) == 0x80) n--;
  }
  memcpy(s->p + s->len, t, n);
  s->len += n;
  s->p[s->len] = 0;
}
static inline void str_add(Str *s, const char *t) { str_addn(s, t, strlen(t)); }
static inline void str_num(Str *s, long long v) {
  char b[24];
  snprintf(b, sizeof b, "%lld", v);
  str_add(s, b);
}

/* Names every account: central ones, and each unit's head, deputy and staff. */
void demo_plan_people(Demo *d);
/* The campaign's dates: start, end, checkpoints and events around today (day 60). */
void demo_plan_calendar(Demo *d);
/* Investors, projects with their stage history and reviews, follow-ups and funds. */
void demo_plan_city(Demo *d);
/* d->fig: what each unit will show by today, which its targets are set against. */
void demo_plan_figures(Demo *d);
/* Every write of the plan as a dated action, in the order to replay them (d->acts).
 * HZ_ENOMEM when the plan outgrows its tables. */
int demo_plan_schedule(Demo *d);
/* Appends one dated action (demo_plan_schedule sorts them all); HZ_ENOMEM when full. */
int demo_plan_action(Demo *d, int day, int kind, int index, int arg);
/* "3.5亿元" or "8600万元". */
void demo_plan_money(Str *s, int64_t yuan);

/* ---- the working rhythm (demo_rhythm.c) ---- */
/* Weekly reports, coordination items, inspections, bulletins, proposals' decisions,
 * admonition talks and leaders' instructions, as dated actions. */
int demo_rhythm_plan(Demo *d);
/* Writes one of those actions through the engine. */
int demo_rhythm_do(Demo *d, const Action *x);
/* Frees what the replay kept (the bulletins' proposals). */
void demo_rhythm_free(Demo *d);

/* ---- writing through the engine (demo.c) ---- */
/* Creates one record as a; takes body; *id (may be NULL) gets its id. */
int demo_put(Demo *d, const Actor *a, const char *coll, int64_t parent, json_t *body, int64_t *id, const char *what);
/* Prefixes the engine's error with what the demo was writing; answers the rc. */
int demo_failed(Demo *d, const char *what);
Actor demo_person_actor(const Unit *u, const Person *p);
json_t *demo_jdate(int day);

#endif
