#include "domain/stale_cache.h"
#include "store/audit_store.h"
#include "util/timeutil.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

enum { LEAD, NEGOTIATING, SIGNED, STARTED, COMPLETED, DROPPED };
static const char *const stage_names[] = {"lead", "negotiating", "signed", "started", "completed", "dropped", NULL};

/* One project. Its follow-up dates (ascending) are fu[fu_at .. fu_at + fu_n) and its moves
 * not rejected (in id order) sc[sc_at .. sc_at + sc_n), each day * 8 + the stage moved to. */
typedef struct {
  int32_t id, campaign, unit, lead_day;
  uint32_t fu_at, sc_at;
  uint16_t fu_n;
  uint8_t sc_n;
  uint8_t stage : 3, dup : 1;
} Proj;

#define PATCH_MAX_ENTRIES 20000 /* beyond this many writes, loading whole is as cheap */
#define QUIET_MAX_DAYS (1 << 22) /* a campaign's last activity days further apart: the SQL counts */

/* A campaign's projects at lead or negotiating now and not settled as duplicates, counted by
 * their last activity day (the stored last_activity_date: the lead date or the latest
 * follow-up): count[d - lo] of them were last active on day d. The dashboard's count of the
 * projects quiet today (progress_store.c STALE_NOW, ~94,000 of them at a province) is then a
 * sum over days instead of a walk of that many index entries after every write (~15 ms of
 * PostgreSQL's CPU; several of SQLite's, whose page cache a write by another connection
 * empties). */
typedef struct {
  int32_t campaign, lo;
  size_t n;
  int64_t *count;
} Quiet;

/* The state, for the database at `path`, standing at audit entry audit_id. Written under
 * the write lock; read under the read lock. */
static struct {
  char *path;
  int64_t audit_id;
  int loaded; /* 0: load whole before use */
  int usable; /* 0: a record it cannot hold (an id beyond 32 bits, a bad date…): the SQL answers */
  Proj *p;
  size_t n, cap;
  int32_t *fu, *sc;
  size_t fu_n, fu_cap, fu_dead, sc_n, sc_cap, sc_dead; /* dead: slots of records replaced since */
  Quiet *quiet;
  size_t quiet_n;
  int64_t loads, patches;
} S;
static pthread_rwlock_t lock = PTHREAD_RWLOCK_INITIALIZER;
/* 1 while a whole state is loaded: read without the lock, so that today's count does not
 * wait seconds for a load (it asks the SQL meanwhile). */
static atomic_int ready;

#define NOMEM(e) hz_fail(e, HZ_ENOMEM, NULL, "内存不足，无法列出停滞项目")

static int fits32(int64_t v) { return v >= INT32_MIN && v <= INT32_MAX; }

static int stage_of(const char *s) {
  for (int i = 0; s && stage_names[i]; i++)
    if (!strcmp(stage_names[i], s)) return i;
  return -1;
}

static int pool_push(int32_t **pool, size_t *n, size_t *cap, int32_t v) {
  if (*n == *cap) {
    size_t c = *cap ? *cap * 2 : 4096;
    int32_t *more = realloc(*pool, c * sizeof *more);
    if (!more) return HZ_ENOMEM;
    *pool = more;
    *cap = c;
  }
  (*pool)[(*n)++] = v;
  return HZ_OK;
}

static Proj *find(int64_t id) {
  size_t lo = 0, hi = S.n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (S.p[mid].id == id) return &S.p[mid];
    if (S.p[mid].id < id) lo = mid + 1;
    else hi = mid;
  }
  return NULL;
}

/* ---- the quiet projects of today, per campaign ---- */

/* p's last activity day into *day when p counts among the quiet candidates now. */
static int quiet_day(const Proj *p, int32_t *day) {
  if (p->stage > NEGOTIATING || p->dup) return 0;
  *day = p->fu_n && S.fu[p->fu_at + p->fu_n - 1] > p->lead_day ? S.fu[p->fu_at + p->fu_n - 1] : p->lead_day;
  return 1;
}

/* Adds p to its campaign's days (sign 1) or takes it away (-1). Call with the write lock held. */
static int quiet_add(const Proj *p, int sign) {
  int32_t d;
  if (!quiet_day(p, &d)) return HZ_OK;
  Quiet *q = NULL;
  for (size_t i = 0; i < S.quiet_n && !q; i++)
    if (S.quiet[i].campaign == p->campaign) q = &S.quiet[i];
  if (!q) {
    Quiet *more = realloc(S.quiet, (S.quiet_n + 1) * sizeof *more);
    if (!more) return HZ_ENOMEM;
    S.quiet = more;
    q = &S.quiet[S.quiet_n++];
    *q = (Quiet){.campaign = p->campaign, .lo = d};
  }
  int64_t lo = d < q->lo ? d : q->lo, hi = (int64_t)q->lo + (int64_t)q->n - 1;
  if (d > hi) hi = d;
  if (hi - lo >= QUIET_MAX_DAYS) {
    S.usable = 0;
    return HZ_OK;
  }
  size_t n = (size_t)(hi - lo + 1), shift = (size_t)(q->lo - lo);
  if (n > q->n) { /* widened to take day d: the days kept move up by shift */
    int64_t *more = realloc(q->count, n * sizeof *more);
    if (!more) return HZ_ENOMEM;
    if (q->n) memmove(more + shift, more, q->n * sizeof *more);
    memset(more, 0, shift * sizeof *more);
    memset(more + shift + q->n, 0, (n - shift - q->n) * sizeof *more);
    q->count = more;
    q->n = n;
    q->lo = (int32_t)lo;
  }
  q->count[d - q->lo] += sign;
  return HZ_OK;
}

/* How many of the campaign's quiet candidates were last active on or before day `since`. */
static int64_t quiet_count(int64_t campaign_id, int since) {
  int64_t total = 0;
  for (size_t i = 0; i < S.quiet_n; i++) {
    const Quiet *q = &S.quiet[i];
    if (q->campaign != campaign_id) continue;
    for (size_t d = 0; d < q->n && (int64_t)q->lo + (int64_t)d <= since; d++) total += q->count[d];
  }
  return total;
}

/* The same for one unit: its quiet candidates among the campaign's, led by it or co-owned
 * (co: ascending), counted in one walk of the projects (no counts are kept per unit). */
static int64_t quiet_count_unit(int64_t campaign_id, int64_t unit_id, int since, const int64_t *co, size_t co_n) {
  int64_t total = 0;
  size_t c = 0;
  for (size_t i = 0; i < S.n; i++) {
    const Proj *p = &S.p[i];
    int32_t d;
    if (p->campaign != campaign_id) continue;
    while (c < co_n && co[c] < p->id) c++;
    if (p->unit != unit_id && (c == co_n || co[c] != p->id)) continue;
    if (quiet_day(p, &d) && d <= since) total++;
  }
  return total;
}

/* ---- loading whole ---- */

typedef struct {
  size_t at; /* the project the rows of the walk have reached */
} Walk;

static int load_project(void *ctx, int64_t id, int64_t campaign, int64_t unit, int dup, const char *date,
                        const char *stage, HzErr *e) {
  (void)ctx;
  int day = 0, st = stage_of(stage);
  if (!fits32(id) || !fits32(campaign) || !fits32(unit) || date_parse(date, &day) || st < 0) {
    S.usable = 0;
    return HZ_OK;
  }
  if (S.n == S.cap) {
    size_t c = S.cap ? S.cap * 2 : 1024;
    Proj *more = realloc(S.p, c * sizeof *more);
    if (!more) return NOMEM(e);
    S.p = more;
    S.cap = c;
  }
  S.p[S.n++] = (Proj){.id = (int32_t)id, .campaign = (int32_t)campaign, .unit = (int32_t)unit, .lead_day = day,
                      .stage = (uint8_t)st, .dup = dup != 0};
  return HZ_OK;
}

/* The project of a record's row, walking forward (rows come in project order); NULL for a
 * project the walk of projects did not see (written since: its audit entry reloads it). */
static Proj *walk_to(Walk *w, int64_t project_id) {
  while (w->at < S.n && S.p[w->at].id < project_id) w->at++;
  return w->at < S.n && S.p[w->at].id == project_id ? &S.p[w->at] : NULL;
}

static int load_follow_up(void *ctx, int64_t project_id, int64_t a, int64_t b, int c, const char *date,
                          const char *stage, HzErr *e) {
  (void)a, (void)b, (void)c, (void)stage;
  Proj *p = walk_to(ctx, project_id);
  int day = 0;
  if (!p) return HZ_OK;
  if (date_parse(date, &day) || p->fu_n == UINT16_MAX) {
    S.usable = 0;
    return HZ_OK;
  }
  if (!p->fu_n) p->fu_at = (uint32_t)S.fu_n;
  if (pool_push(&S.fu, &S.fu_n, &S.fu_cap, day)) return NOMEM(e);
  p->fu_n++;
  return HZ_OK;
}

static int load_move(void *ctx, int64_t project_id, int64_t a, int64_t b, int c, const char *date, const char *stage,
                     HzErr *e) {
  (void)a, (void)b, (void)c;
  Proj *p = walk_to(ctx, project_id);
  int day = 0, st = stage_of(stage);
  if (!p) return HZ_OK;
  if (date_parse(date, &day) || st < 0 || day < 0 || day > INT32_MAX / 8 || p->sc_n == UINT8_MAX) {
    S.usable = 0;
    return HZ_OK;
  }
  if (!p->sc_n) p->sc_at = (uint32_t)S.sc_n;
  if (pool_push(&S.sc, &S.sc_n, &S.sc_cap, day * 8 + st)) return NOMEM(e);
  p->sc_n++;
  return HZ_OK;
}

static void state_clear(void) {
  atomic_store(&ready, 0);
  for (size_t i = 0; i < S.quiet_n; i++) free(S.quiet[i].count);
  free(S.quiet);
  S.quiet = NULL;
  S.quiet_n = 0;
  free(S.p);
  free(S.fu);
  free(S.sc);
  S.p = NULL;
  S.fu = S.sc = NULL;
  S.n = S.cap = S.fu_n = S.fu_cap = S.fu_dead = S.sc_n = S.sc_cap = S.sc_dead = 0;
  S.loaded = 0;
}

/* Call with the write lock held. */
static int state_load(Db *db, int64_t audit_id, HzErr *e) {
  state_clear();
  S.usable = 1;
  Walk w = {0}, m = {0};
  int rc = progress_store_stale_projects(db, load_project, NULL, e);
  if (!rc) rc = progress_store_stale_follow_ups(db, load_follow_up, &w, e);
  if (!rc) rc = progress_store_stale_moves(db, load_move, &m, e);
  for (size_t i = 0; !rc && i < S.n; i++)
    if (quiet_add(&S.p[i], 1)) rc = NOMEM(e);
  if (rc) {
    state_clear();
    return rc;
  }
  S.audit_id = audit_id;
  S.loaded = 1;
  S.loads++;
  atomic_store(&ready, 1);
  return HZ_OK;
}

/* ---- bringing it up to date ---- */

/* Collects one project's rows (reading it again). */
typedef struct {
  int found, bad;
  Proj p;
  int32_t *fu, *sc;
  size_t fu_n, fu_cap, sc_n, sc_cap;
} One;

static int one_project(void *ctx, int64_t id, int64_t campaign, int64_t unit, int dup, const char *date,
                       const char *stage, HzErr *e) {
  (void)e;
  One *o = ctx;
  int day = 0, st = stage_of(stage);
  o->found = 1;
  if (!fits32(id) || !fits32(campaign) || !fits32(unit) || date_parse(date, &day) || st < 0) o->bad = 1;
  else
    o->p = (Proj){.id = (int32_t)id, .campaign = (int32_t)campaign, .unit = (int32_t)unit, .lead_day = day,
                  .stage = (uint8_t)st, .dup = dup != 0};
  return HZ_OK;
}

static int one_follow_up(void *ctx, int64_t project_id, int64_t a, int64_t b, int c, const char *date,
                         const char *stage, HzErr *e) {
  (void)project_id, (void)a, (void)b, (void)c, (void)stage;
  One *o = ctx;
  int day = 0;
  if (date_parse(date, &day) || o->fu_n == UINT16_MAX) o->bad = 1;
  else if (pool_push(&o->fu, &o->fu_n, &o->fu_cap, day)) return NOMEM(e);
  return HZ_OK;
}

static int one_move(void *ctx, int64_t project_id, int64_t a, int64_t b, int c, const char *date, const char *stage,
                    HzErr *e) {
  (void)project_id, (void)a, (void)b, (void)c;
  One *o = ctx;
  int day = 0, st = stage_of(stage);
  if (date_parse(date, &day) || st < 0 || day < 0 || day > INT32_MAX / 8 || o->sc_n == UINT8_MAX) o->bad = 1;
  else if (pool_push(&o->sc, &o->sc_n, &o->sc_cap, day * 8 + st)) return NOMEM(e);
  return HZ_OK;
}

/* The records of a project placed in a pool: where they were when they fit, else at its end. */
static int pool_place(int32_t **pool, size_t *n, size_t *cap, size_t *dead, uint32_t *at, size_t old_n,
                      const int32_t *v, size_t vn) {
  *dead += old_n;
  if (vn <= old_n && vn) {
    memcpy(*pool + *at, v, vn * sizeof *v);
    *dead -= vn;
    return HZ_OK;
  }
  if (*n + vn > UINT32_MAX) return HZ_ENOMEM;
  *at = (uint32_t)*n;
  for (size_t i = 0; i < vn; i++)
    if (pool_push(pool, n, cap, v[i])) return HZ_ENOMEM;
  return HZ_OK;
}

/* Reads project id again (gone: dropped from the state). Call with the write lock held. */
static int reload_project(Db *db, int64_t id, HzErr *e) {
  One o = {0};
  static const ProgressStaleFn fns[3] = {one_project, one_follow_up, one_move};
  int rc = progress_store_stale_project(db, id, fns, &o, e);
  if (rc) goto done;
  if (o.bad) {
    S.usable = 0;
    goto done;
  }
  Proj *p = fits32(id) ? find(id) : NULL;
  if (p && quiet_add(p, -1)) { /* counted again below as it is now */
    rc = NOMEM(e);
    goto done;
  }
  if (!o.found) { /* deleted */
    if (p) {
      S.fu_dead += p->fu_n;
      S.sc_dead += p->sc_n;
      memmove(p, p + 1, (size_t)(S.p + S.n - (p + 1)) * sizeof *p);
      S.n--;
    }
    goto done;
  }
  if (!p) { /* new: in its place by id (at the end, nearly always) */
    if (S.n == S.cap) {
      size_t c = S.cap ? S.cap * 2 : 1024;
      Proj *more = realloc(S.p, c * sizeof *more);
      if (!more) {
        rc = NOMEM(e);
        goto done;
      }
      S.p = more;
      S.cap = c;
    }
    size_t at = S.n;
    while (at > 0 && S.p[at - 1].id > o.p.id) at--;
    memmove(S.p + at + 1, S.p + at, (S.n - at) * sizeof *S.p);
    S.n++;
    p = &S.p[at];
    *p = (Proj){0};
  }
  uint32_t fu_at = p->fu_at, sc_at = p->sc_at;
  size_t fu_old = p->fu_n, sc_old = p->sc_n;
  if (pool_place(&S.fu, &S.fu_n, &S.fu_cap, &S.fu_dead, &fu_at, fu_old, o.fu, o.fu_n) ||
      pool_place(&S.sc, &S.sc_n, &S.sc_cap, &S.sc_dead, &sc_at, sc_old, o.sc, o.sc_n)) {
    rc = NOMEM(e);
    goto done;
  }
  *p = o.p;
  p->fu_at = fu_at;
  p->fu_n = (uint16_t)o.fu_n;
  p->sc_at = sc_at;
  p->sc_n = (uint8_t)o.sc_n;
  if (quiet_add(p, 1)) rc = NOMEM(e);
done:
  free(o.fu);
  free(o.sc);
  return rc;
}

/* Entities whose writes change no project, follow-up or stage move (names, units and the
 * settings are read when a list is answered). */
static const char *const neutral[] = {
    "users",       "api_tokens",    "attachments",       "snapshots",      "investors",  "events",
    "checkpoints", "sections",      "teams",             "coordination-items", "inspections", "bulletins",
    "notifications", "webhooks",    "funds",             "targets",        "weekly-reports", "units",
    "campaigns",   "campaign-settings", "jobs",          "proposals",      "rules",      "admonitions",
    "audit",       "security_policy", NULL};

static int listed(const char *const *list, const char *s) {
  for (int i = 0; s && list[i]; i++)
    if (!strcmp(list[i], s)) return 1;
  return 0;
}

typedef struct {
  int64_t *ids;
  size_t n, cap;
  int all; /* load whole */
} Touched;

/* The project a record's JSON names under key; 0 when it cannot be read. */
static int touched_from(Touched *t, const char *text, const char *key) {
  if (!text) return 1;
  json_t *j = json_loads(text, 0, NULL);
  json_t *v = json_object_get(j, key);
  int ok = json_is_integer(v);
  if (ok && t->n == t->cap) {
    size_t c = t->cap ? t->cap * 2 : 16;
    int64_t *more = realloc(t->ids, c * sizeof *more);
    if (!more) ok = 0;
    else t->ids = more, t->cap = c;
  }
  if (ok) t->ids[t->n++] = json_integer_value(v);
  json_decref(j);
  return ok;
}

static int note_entry(void *ctx, const char *action, const char *entity, const char *before, const char *after,
                      HzErr *e) {
  (void)action, (void)e;
  Touched *t = ctx;
  if (t->all || listed(neutral, entity)) return HZ_OK;
  const char *key = !entity                                                                ? NULL
                    : !strcmp(entity, "projects")                                          ? "id"
                    : !strcmp(entity, "follow-ups") || !strcmp(entity, "stage-changes") ? "project_id"
                                                                                           : NULL;
  size_t n0 = t->n;
  if (!key || !touched_from(t, before, key) || !touched_from(t, after, key) || t->n == n0) t->all = 1;
  return HZ_OK;
}

/* Copies the live records into fresh pools when more than half are dead slots. */
static int compact(void) {
  if (S.fu_dead <= S.fu_n / 2 && S.sc_dead <= S.sc_n / 2) return HZ_OK;
  int32_t *fu = malloc((S.fu_n - S.fu_dead + 1) * sizeof *fu), *sc = malloc((S.sc_n - S.sc_dead + 1) * sizeof *sc);
  if (!fu || !sc) {
    free(fu);
    free(sc);
    return HZ_OK; /* later, or never: the dead slots only cost memory */
  }
  size_t nf = 0, ns = 0;
  for (size_t i = 0; i < S.n; i++) {
    Proj *p = &S.p[i];
    if (p->fu_n) memcpy(fu + nf, S.fu + p->fu_at, p->fu_n * sizeof *fu); /* pools may be NULL when empty */
    if (p->sc_n) memcpy(sc + ns, S.sc + p->sc_at, p->sc_n * sizeof *sc);
    p->fu_at = (uint32_t)nf;
    p->sc_at = (uint32_t)ns;
    nf += p->fu_n;
    ns += p->sc_n;
  }
  free(S.fu);
  free(S.sc);
  S.fu = fu;
  S.sc = sc;
  S.fu_n = S.fu_cap = nf;
  S.sc_n = S.sc_cap = ns;
  S.fu_dead = S.sc_dead = 0;
  return HZ_OK;
}

static int by_id(const void *pa, const void *pb) {
  int64_t a = *(const int64_t *)pa, b = *(const int64_t *)pb;
  return (a > b) - (a < b);
}

/* The state of this database, current as of the newest audit entry now. Call with the
 * write lock held. */
static int state_update(Db *db, HzErr *e) {
  int64_t now = 0;
  int rc = audit_store_last_id(db, &now, e);
  if (rc) return rc;
  const char *path = db_path(db) ? db_path(db) : "";
  if (!S.loaded || !S.path || strcmp(S.path, path) || now < S.audit_id || now - S.audit_id > PATCH_MAX_ENTRIES) {
    free(S.path);
    if (!(S.path = strdup(path))) return NOMEM(e);
    return state_load(db, now, e);
  }
  if (now == S.audit_id) return HZ_OK;
  Touched t = {0};
  rc = audit_store_each_since(db, S.audit_id, now, note_entry, &t, e);
  if (!rc && t.all) rc = state_load(db, now, e);
  else if (!rc) {
    if (t.n) qsort(t.ids, t.n, sizeof *t.ids, by_id); /* no ids: t.ids is NULL */
    for (size_t i = 0; !rc && i < t.n; i++)
      if (!i || t.ids[i] != t.ids[i - 1]) rc = reload_project(db, t.ids[i], e);
    if (!rc) rc = compact();
    if (rc) state_clear(); /* half brought up to date: load whole next time */
    else {
      S.audit_id = now;
      S.patches++;
    }
  }
  free(t.ids);
  return rc;
}

int stale_cache_warm(Db *db, HzErr *e) {
  pthread_rwlock_wrlock(&lock);
  int rc = state_update(db, e);
  pthread_rwlock_unlock(&lock);
  return rc;
}

int stale_cache_count_now(Db *db, int64_t campaign_id, int64_t unit_id, int quiet_since, int64_t *total, int *known,
                          HzErr *e) {
  *total = 0;
  *known = 0;
  if (!atomic_load(&ready) || !fits32(campaign_id) || !fits32(unit_id)) return HZ_OK;
  int64_t *co = NULL;
  size_t co_n = 0;
  int rc = unit_id ? progress_store_co_owned(db, unit_id, &co, &co_n, e) : HZ_OK;
  if (rc) return rc;
  pthread_rwlock_wrlock(&lock);
  rc = state_update(db, e);
  if (!rc && S.loaded && S.usable) {
    *total = unit_id ? quiet_count_unit(campaign_id, unit_id, quiet_since, co, co_n) : quiet_count(campaign_id, quiet_since);
    *known = 1;
  }
  pthread_rwlock_unlock(&lock);
  free(co);
  return rc;
}

void stale_cache_stats(int64_t *loads, int64_t *patches) {
  pthread_rwlock_rdlock(&lock);
  *loads = S.loads;
  *patches = S.patches;
  pthread_rwlock_unlock(&lock);
}

/* ---- answering ---- */

/* The stage of p as of day d (progress_store.c STALE_THEN): the stage it has now when that
 * is lead or negotiating and no move came after the day, else the last move (in id order)
 * dated by then, else lead. */
static int stage_then(const Proj *p, int d) {
  const int32_t *sc = S.sc + p->sc_at;
  if (p->stage <= NEGOTIATING) {
    int later = 0;
    for (int i = 0; i < p->sc_n && !later; i++) later = sc[i] / 8 > d;
    if (!later) return p->stage;
  }
  for (int i = p->sc_n - 1; i >= 0; i--)
    if (sc[i] / 8 <= d) return sc[i] % 8;
  return LEAD;
}

typedef struct {
  uint32_t at; /* index in S.p */
  int32_t last; /* the last activity day */
} Hit;

typedef struct {
  int64_t id;
  int stage, last;
} Row;

static int by_last(const void *pa, const void *pb) {
  const Hit *a = pa, *b = pb;
  if (a->last != b->last) return (a->last > b->last) - (a->last < b->last);
  return (a->at > b->at) - (a->at < b->at);
}

/* The hits of the page (oldest activity, then id, first) into rows; *total all of them.
 * Call with the read lock held. */
static int state_page(int64_t campaign_id, int quiet, int as_of, const Page *pg, const int64_t *co, size_t co_n,
                      Row **rows, size_t *nrows, int64_t *total) {
  Hit *hits = NULL;
  size_t n = 0, cap = 0, c = 0;
  int rc = HZ_OK;
  *rows = NULL;
  *nrows = 0;
  for (size_t i = 0; i < S.n; i++) {
    const Proj *p = &S.p[i];
    if (p->campaign != campaign_id || p->dup || p->lead_day > quiet) continue;
    if (pg->unit_id && p->unit != pg->unit_id) { /* else a project the unit co-owns */
      while (c < co_n && co[c] < p->id) c++;
      if (c == co_n || co[c] != p->id) continue;
    }
    /* Quiet: no follow-up after the quiet-since day up to the day. */
    const int32_t *fu = S.fu + p->fu_at;
    int k = p->fu_n;
    while (k > 0 && fu[k - 1] > quiet) k--;
    if (k < p->fu_n && fu[k] <= as_of) continue;
    if (stage_then(p, as_of) > NEGOTIATING) continue;
    if (n == cap) {
      Hit *more = realloc(hits, (cap = cap ? cap * 2 : 1024) * sizeof *more);
      if (!more) {
        rc = HZ_ENOMEM;
        goto done;
      }
      hits = more;
    }
    hits[n++] = (Hit){(uint32_t)i, k > 0 && fu[k - 1] > p->lead_day ? fu[k - 1] : p->lead_day};
  }
  *total = (int64_t)n;
  size_t from = pg->offset > 0 ? (size_t)pg->offset : 0, to = from + (pg->limit > 0 ? (size_t)pg->limit : 0);
  if (to > n) to = n;
  if (from >= to) goto done;
  if (!(*rows = malloc((to - from) * sizeof **rows))) {
    rc = HZ_ENOMEM;
    goto done;
  }
  /* Hits come in id order, so counting them by day places each where a sort by (day, id)
   * would, in one pass and without sorting them all. */
  int lo = hits[0].last, hi = hits[0].last;
  for (size_t i = 1; i < n; i++) {
    if (hits[i].last < lo) lo = hits[i].last;
    if (hits[i].last > hi) hi = hits[i].last;
  }
  size_t *at = (size_t)(hi - lo) < ((size_t)1 << 22) ? calloc((size_t)(hi - lo) + 2, sizeof *at) : NULL;
  if (!at) { /* days too far apart to count (or no memory): sorted instead */
    if (n) qsort(hits, n, sizeof *hits, by_last);
    for (size_t i = from; i < to; i++) (*rows)[i - from] = (Row){S.p[hits[i].at].id, 0, hits[i].last};
  } else {
    for (size_t i = 0; i < n; i++) at[hits[i].last - lo + 1]++;
    for (int d = 0; d <= hi - lo; d++) at[d + 1] += at[d];
    for (size_t i = 0; i < n; i++) {
      size_t pos = at[hits[i].last - lo]++;
      if (pos >= from && pos < to) (*rows)[pos - from] = (Row){S.p[hits[i].at].id, 0, hits[i].last};
    }
    free(at);
  }
  for (size_t i = 0; i < to - from; i++) (*rows)[i].stage = stage_then(find((*rows)[i].id), as_of);
  *nrows = to - from;
done:
  free(hits);
  return rc;
}

int stale_cache_page(Db *db, int64_t campaign_id, int quiet_since, int as_of, const Page *pg, json_t **items,
                     int64_t *total, HzErr *e) {
  *items = NULL;
  *total = 0;
  int64_t *co = NULL;
  size_t co_n = 0, nrows = 0;
  Row *rows = NULL;
  int rc = pg->unit_id ? progress_store_co_owned(db, pg->unit_id, &co, &co_n, e) : HZ_OK;
  if (rc) return rc;
  pthread_rwlock_wrlock(&lock);
  rc = state_update(db, e);
  pthread_rwlock_unlock(&lock);
  if (rc) goto done;
  pthread_rwlock_rdlock(&lock);
  int usable = S.loaded && S.usable && fits32(campaign_id) && fits32(pg->unit_id);
  if (usable && state_page(campaign_id, quiet_since, as_of, pg, co, co_n, &rows, &nrows, total)) rc = NOMEM(e);
  pthread_rwlock_unlock(&lock);
  if (rc || !usable) goto done;
  *items = json_array();
  for (size_t i = 0; !rc && i < nrows; i++) {
    char last[DATE_LEN];
    date_format(rows[i].last, last);
    rc = progress_store_stale_row(db, rows[i].id, stage_names[rows[i].stage], last, *items, e);
  }
  if (rc == HZ_ENOTFOUND) { /* deleted since the state's stamp: the SQL answers */
    hz_err_clear(e);
    rc = HZ_OK;
    json_decref(*items);
    *items = NULL;
  }
done:
  if (rc) {
    json_decref(*items);
    *items = NULL;
  }
  free(co);
  free(rows);
  return rc;
}
