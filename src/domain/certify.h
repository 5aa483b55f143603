/* Certification (R-PROG-1): the office certifies or rejects, one record at a time, each
 * stage change to signed / started / completed and each fund arrival a unit reported. */
#ifndef HZ_CERTIFY_H
#define HZ_CERTIFY_H
#include "domain/resource.h"

/* collection: "stage-changes" or "funds". certify=1 certifies, 0 rejects with reason.
 * HZ_ERULE when the record is not waiting (already settled, or a move that needs no
 * certification); *out gets the record as it is now. */
/* What a record's certification rests on: [{code, label}] (contract for a move that
 * passes signed, start and completion papers, the bank voucher of a fund). New reference. */
json_t *certify_required_evidence(const char *collection, json_t *rec);
/* Adds to each certification-queue item its `attachments`, its `required_evidence` and
 * `needs_reason` (a signing with nothing attached: certify asks for a reason). */
int certify_queue_evidence(Db *db, json_t *items, HzErr *e);

/* certify=1 certifies (reason optional, kept as certify_reason; required for a signing
 * with no attachment), 0 rejects with reason (the unit is notified). HZ_EFORBIDDEN when
 * the actor entered the record (maker-checker). */
int certify_record(Db *db, const Actor *a, const char *collection, int64_t id, int certify, const char *reason,
                   json_t **out, HzErr *e);

#endif
