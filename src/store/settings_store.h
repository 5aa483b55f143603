/* Stored progress-engine settings per campaign (domain/settings.h). */
#ifndef HZ_SETTINGS_STORE_H
#define HZ_SETTINGS_STORE_H
#include <jansson.h>
#include "db/db.h"

/* *settings NULL and *version 0 when the campaign has none stored. */
int settings_store_get(Db *db, int64_t campaign_id, json_t **settings, int64_t *version, HzErr *e);
/* Writes the settings whose stored version is `version` (0 = none yet); HZ_ECONFLICT otherwise. */
int settings_store_put(Db *db, int64_t campaign_id, json_t *settings, int64_t version, HzErr *e);

#endif
