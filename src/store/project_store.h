/* Project-specific SQL beyond plain CRUD. */
#ifndef HZ_PROJECT_STORE_H
#define HZ_PROJECT_STORE_H
#include "db/db.h"

/* A project's stage changes, follow-ups and fund arrivals are credited to its lead unit:
 * when the lead unit changes, they move with it. */
int project_store_set_children_unit(Db *db, int64_t project_id, int64_t unit_id, HzErr *e);

/* Id of the project's latest stage change that was not rejected (0 when none). */
int project_store_latest_move(Db *db, int64_t project_id, int64_t *id, HzErr *e);

/* The contract value of the project's latest standing move that carries one (0 when none). */
int project_store_standing_contract(Db *db, int64_t project_id, int64_t *value, HzErr *e);

#endif
