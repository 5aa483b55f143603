/* Certification (R-PROG-1): the office certifies or rejects, one record at a time, each
 * stage change to signed / started / completed and each fund arrival a unit reported. */
#ifndef HZ_CERTIFY_H
#define HZ_CERTIFY_H
#include "domain/resource.h"

/* collection: "stage-changes" or "funds". certify=1 certifies, 0 rejects with reason.
 * HZ_ERULE when the record is not waiting (already settled, or a move that needs no
 * certification); *out gets the record as it is now. */
int certify_record(Db *db, const Actor *a, const char *collection, int64_t id, int certify, const char *reason,
                   json_t **out, HzErr *e);

#endif
