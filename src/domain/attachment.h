/* Attachments (contract scans, bank vouchers): size-limited, type-checked by their
 * first bytes, stored by content hash, linked to a project and optionally to one of its
 * stage changes or fund arrivals. */
#ifndef HZ_ATTACHMENT_H
#define HZ_ATTACHMENT_H
#include <stddef.h>
#include "domain/resource.h"

#define ATTACHMENT_MAX (20u << 20)

/* The canonical type when content_type is allowed and the bytes really are of that
 * type; NULL otherwise. Pure. */
const char *attachment_sniff(const char *content_type, const unsigned char *data, size_t n);
/* The allowed type named by content_type, as a static string; NULL when not allowed. */
const char *attachment_type(const char *content_type);
/* Validates and stores one upload; *out = the attachment record (201). link_field is
 * "stage_change_id" / "fund_id" / NULL, link_id its value. */
int attachment_upload(Db *db, const Actor *a, int64_t project_id, const char *filename, const char *content_type,
                      const void *data, size_t n, const char *link_field, int64_t link_id, json_t **out, HzErr *e);
/* The record (if visible to a) and its bytes (*data malloc'd, caller frees). */
int attachment_content(Db *db, const Actor *a, int64_t id, json_t **rec, void **data, size_t *n, HzErr *e);

#endif
