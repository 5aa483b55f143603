/* The notifications' read marks: per user, the newest notification id seen. */
#ifndef HZ_NOTICE_STORE_H
#define HZ_NOTICE_STORE_H
#include "db/db.h"

/* *last = the user's mark, 0 when none. */
int notice_store_seen_get(Db *db, int64_t user_id, int64_t *last, HzErr *e);
/* Moves the mark forward to up_to (never back); *stored = the mark after. */
int notice_store_seen_set(Db *db, int64_t user_id, int64_t up_to, const char *now, int64_t *stored, HzErr *e);
/* *max = the highest notification id, 0 when there is none. */
int notice_store_max_id(Db *db, int64_t *max, HzErr *e);
#endif
