/* Frozen figures (R-PROG-11): the progress, ranking and funnel of a campaign as of a
 * day, stored once with their SHA-256 and never changed; later edits to records show
 * only as a difference against the current figures. Bulletins and checkpoint
 * evaluations freeze their figures through here. */
#ifndef HZ_SNAPSHOT_H
#define HZ_SNAPSHOT_H
#include <jansson.h>
#include "db/db.h"
#include "domain/role.h"

struct Board;

/* Freezes the figures; audited. *out = the snapshot without its figures. */
int snapshot_create(Db *db, const Actor *a, int64_t campaign_id, int as_of, const char *label, json_t **out, HzErr *e);
/* The same inside the caller's transaction (bulletins freeze their figures this way);
 * *board, when not NULL, gets the board the snapshot was taken from (board_free). */
int snapshot_create_tx(Db *db, const Actor *a, int64_t campaign_id, int as_of, const char *label, json_t **out,
                       struct Board **board, HzErr *e);
/* For every unit and target metric whose certified or reported value, or whose rank,
 * differs between the snapshot and the current figures as of the same day. */
int snapshot_diff(Db *db, int64_t id, json_t **out, HzErr *e);

#endif
