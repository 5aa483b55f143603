/* Coordination items (需协调解决的问题, 督办): raised by the office, often from a weekly
 * report's problems, assigned to a unit with a due date, and tracked through
 *   assigned -> signed_off -> handled -> feedback -> reviewed -> closed.
 * The unit signs off, handles and gives feedback; the office reviews and closes. */
#ifndef HZ_COORDINATION_H
#define HZ_COORDINATION_H
#include <jansson.h>
#include "db/db.h"
#include "domain/role.h"

#define LIGHT_YELLOW_DAYS 3 /* due within this many days: yellow */

/* red (overdue), yellow (due within LIGHT_YELLOW_DAYS) or green, as of today; closed
 * items are green. Pure but for today. */
const char *coordination_light(const char *status, const char *due_date, int today);
/* Adds "light" and "days_left" to an item (Resource.decorate). */
void coordination_decorate(json_t *item);
/* body {"to": next status, "note": text}; the note becomes handling, feedback or review_note. */
int coordination_advance(Db *db, const Actor *a, int64_t id, json_t *body, json_t **out, HzErr *e);
/* 催办: counts a reminder and notifies the unit. */
int coordination_remind(Db *db, const Actor *a, int64_t id, json_t **out, HzErr *e);
/* Reminds every overdue item not yet reminded today; *count = how many. */
int coordination_remind_overdue(Db *db, const Actor *a, int *count, HzErr *e);

#endif
