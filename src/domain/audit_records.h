/* The other half of `huizhan audit verify` (R-SEC-4): the hash chain proves the log was
 * not edited; this proves the certified figures and published bulletins were not edited
 * behind the log's back. Every certified stage change and fund must read exactly as the
 * log last recorded it, and every published bulletin must still hash to its SHA-256. */
#ifndef HZ_AUDIT_RECORDS_H
#define HZ_AUDIT_RECORDS_H
#include <jansson.h>
#include "db/db.h"

/* *problems = array of messages, empty when every record matches. */
int audit_check_records(Db *db, json_t **problems, HzErr *e);

#endif
