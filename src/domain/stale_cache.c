#include "domain/stale_cache.h"
#include "store/audit_store.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define KEPT 16
#define CHECK_MAX 5000 /* more entries than this since: computing again is as cheap */

static struct {
  char *key;
  int64_t audit_id;
  json_t *answer;
  unsigned long used;
} kept[KEPT];
static unsigned long tick;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

/* Entities the stale list never reads (it reads projects, their stage changes and
 * follow-ups, units, users' names and phones, and the campaign's settings). */
static const char *const neutral[] = {"api_tokens", "attachments", "snapshots", "investors", "events", "checkpoints",
                                      "sections", "teams", "coordination-items", "inspections", "bulletins",
                                      "notifications", "webhooks", "funds", "targets", "weekly-reports", NULL};
/* Actions on users that change no name or phone. */
static const char *const session_actions[] = {"login", "logout", "login_failed", "token_create", "token_revoke",
                                              "password", NULL};

static int listed(const char *const *list, const char *s) {
  for (int i = 0; s && list[i]; i++)
    if (!strcmp(list[i], s)) return 1;
  return 0;
}

typedef struct {
  const char *as_of;
  int changed;
} Check;

/* The record (JSON text, NULL: none) has `field` dated after the day. */
static int after_day(const char *text, const char *field, const char *day) {
  if (!text) return 1;
  json_t *j = json_loads(text, 0, NULL);
  const char *d = json_string_value(json_object_get(j, field));
  int later = d && strcmp(d, day) > 0;
  json_decref(j);
  return later;
}

static int note(void *ctx, const char *action, const char *entity, const char *before, const char *after, HzErr *e) {
  (void)e;
  Check *c = ctx;
  if (c->changed || listed(neutral, entity)) return HZ_OK;
  if (entity && !strcmp(entity, "users") && listed(session_actions, action)) return HZ_OK;
  /* A follow-up or a move dated after the day leaves that day's stage and activity as they were. */
  if (entity && (!strcmp(entity, "follow-ups") || !strcmp(entity, "stage-changes")) &&
      after_day(before, "date", c->as_of) && after_day(after, "date", c->as_of))
    return HZ_OK;
  c->changed = 1;
  return HZ_OK;
}

int stale_cache_get(Db *db, const char *key, const char *as_of, json_t **out, int64_t *audit_id, HzErr *e) {
  *out = NULL;
  int rc = audit_store_last_id(db, audit_id, e);
  if (rc) return rc;
  json_t *answer = NULL;
  int64_t since = 0;
  pthread_mutex_lock(&lock);
  for (int i = 0; i < KEPT; i++)
    if (kept[i].key && !strcmp(kept[i].key, key)) {
      answer = json_incref(kept[i].answer);
      since = kept[i].audit_id;
      kept[i].used = ++tick;
    }
  pthread_mutex_unlock(&lock);
  if (!answer) return HZ_OK;
  Check c = {as_of, since > *audit_id || *audit_id - since > CHECK_MAX};
  if (!c.changed && since < *audit_id) rc = audit_store_each_since(db, since, *audit_id, note, &c, e);
  if (!rc && !c.changed) {
    *out = json_deep_copy(answer);
    stale_cache_put(key, *audit_id, answer); /* checked up to now: the next look starts here */
  }
  json_decref(answer);
  return rc;
}

void stale_cache_put(const char *key, int64_t audit_id, const json_t *answer) {
  json_t *copy = json_deep_copy(answer), *drop = NULL;
  char *k = strdup(key), *drop_key = NULL;
  if (!copy || !k) {
    json_decref(copy);
    free(k);
    return;
  }
  pthread_mutex_lock(&lock);
  int slot = -1;
  for (int i = 0; i < KEPT && slot < 0; i++)
    if (kept[i].key && !strcmp(kept[i].key, key)) slot = i;
  if (slot < 0) { /* a free slot, else the least recently used */
    slot = 0;
    for (int i = 0; i < KEPT; i++) {
      if (!kept[i].key) {
        slot = i;
        break;
      }
      if (kept[i].used < kept[slot].used) slot = i;
    }
  }
  if (!kept[slot].key || strcmp(kept[slot].key, key) || kept[slot].audit_id <= audit_id) {
    drop = kept[slot].answer;
    drop_key = kept[slot].key;
    kept[slot].key = k;
    kept[slot].answer = copy;
    kept[slot].audit_id = audit_id;
    k = NULL;
    copy = NULL;
  }
  kept[slot].used = ++tick;
  pthread_mutex_unlock(&lock);
  json_decref(drop);
  free(drop_key);
  json_decref(copy);
  free(k);
}
