/* Name tables of the demo city (src/demo/demo_data.c): departments, project names,
 * investors, people and the words follow-ups are written with. Data only; demo.c
 * decides what to do with it. */
#ifndef HZ_DEMO_DATA_H
#define HZ_DEMO_DATA_H
#include <stddef.h>

/* A project-name pool: each unit draws its projects from one. */
typedef enum {
  POOL_INDUSTRY, POOL_RESTRUCTURE, POOL_TECH, POOL_AGRI, POOL_FOREST, POOL_WATER, POOL_COOP,
  POOL_TOURISM, POOL_CITY, POOL_TRANSPORT, POOL_HEALTH, POOL_EDUCATION, POOL_HOUSING,
  POOL_AUDIT, POOL_CIVIL_DEFENSE, POOL_FINANCE, POOL_HR, POOL_CIVIL_AFFAIRS, POOL_SPORTS,
  POOL_ENVIRONMENT, POOL_LAND, POOL_MARKET, POOL_MIXED, POOL_COUNT
} DemoPool;

/* How a unit's target decomposition deliberately falls short (R-DATA-TGT). */
enum { FLAW_NONE, FLAW_SECTIONS, FLAW_PEOPLE, FLAW_NO_PEOPLE };

typedef struct {
  const char *name, *short_name, *code, *category;
  const char *head_title, *deputy_title;
  const char *sections[4];
  int nstaff;   /* unit_staff accounts (2..3) */
  int projects; /* projects it leads; 0 = a "zero" unit with nothing at all */
  int perf;     /* where its figures stand against time, in %: 100 = on track */
  int lead_pct; /* % of visits and meetings its head or deputy joins */
  DemoPool pool;
  int flaw;
} DemoUnit;

/* A project name is prefix [number] suffix, e.g. "年产" 5 "万吨新型建材项目". */
typedef struct {
  const char *prefix;
  int lo, hi;         /* the number, when hi > 0 */
  const char *suffix;
  const char *category;    /* projects.category */
  const char *industry;    /* investor industry word, e.g. "新材料" */
  int min_wan, max_wan;    /* planned investment, 万元 */
} DemoName;

typedef struct {
  const DemoName *names;
  size_t n;
  const char *upper; /* policy funds: the higher-level departments a unit deals with */
} DemoNamePool;

extern const DemoUnit demo_units[];
extern const size_t demo_nunits;
extern const DemoNamePool demo_pools[POOL_COUNT];

extern const char *const demo_surnames[];
extern const size_t demo_nsurnames;
extern const char *const demo_given[];
extern const size_t demo_ngiven;
extern const char *const demo_brands[];
extern const size_t demo_nbrands;
extern const char *const demo_towns[];
extern const size_t demo_ntowns;
/* Where projects are sited: industrial parks, and city areas for services. */
extern const char *const demo_parks[];
extern const size_t demo_nparks;
extern const char *const demo_city_areas[];
extern const size_t demo_ncity_areas;

/* Where investors come from, by origin: place words used in names and visits. */
extern const char *const demo_out_of_province[];
extern const size_t demo_nout_of_province;
extern const char *const demo_in_province[];
extern const size_t demo_nin_province;
extern const char *const demo_overseas[];
extern const size_t demo_noverseas;

extern const char *const demo_corp_suffixes[];
extern const size_t demo_ncorp_suffixes;
extern const char *const demo_contact_titles[];
extern const size_t demo_ncontact_titles;

/* Follow-up texts. Placeholders: {I} investor, {N} its contact, {P} project, {C} place
 * (the investor's city, or the higher-level department for policy funds), {E} event. */
typedef struct {
  const char *const *t;
  size_t n;
} DemoTexts;
enum { FU_PRE, FU_POST, FU_AFTERCARE, FU_POLICY_PRE, FU_POLICY_POST, FU_PHASES };
/* [phase][kind], kind in the order of follow_ups.kind:
 * outbound_visit, investor_visit, call, meeting, fair */
extern const DemoTexts demo_fu_summaries[FU_PHASES][5];
extern const DemoTexts demo_fu_next_steps[FU_PHASES];
extern const char *const demo_drop_reasons[];
extern const size_t demo_ndrop_reasons;
extern const char *const demo_fund_reject_reasons[];
extern const size_t demo_nfund_reject_reasons;
/* Why the office sent back a move to signed, started or completed: [0], [1], [2]. */
extern const char *const demo_stage_reject_reasons[3][2];

#endif
