/* Once-only counting (R-PROG-10): the same investor's project claimed by two units is
 * flagged — the same investor record, or two enterprise records of the same name key
 * (each unit registers the investors it meets, so one company is often entered twice); the office settles each pair, either marking one project a duplicate of the
 * other (it then counts nowhere) or dismissing the pair. */
#ifndef HZ_DUPLICATES_H
#define HZ_DUPLICATES_H
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include "db/db.h"
#include "domain/role.h"

#define DUPLICATE_SIMILARITY 0.5 /* Dice coefficient of name bigrams at which two names look alike */

/* Similarity of two project names in [0, 1], ignoring spaces, punctuation and the word 项目. Pure. */
double duplicates_name_similarity(const char *a, const char *b);
/* The key under which two investor names are the same company: full-width forms folded,
 * ASCII lower-cased, spaces and punctuation dropped, and the legal-form suffixes 股份有限公司,
 * 有限责任公司, 有限公司, 公司, 集团, 股份 stripped from the end again and again (at least two
 * characters stay). out gets up to max code points; returns how many. Pure. */
size_t duplicates_investor_key(const char *name, uint32_t *out, size_t max);
/* {items:[{a, b, investor_id (a's), match, similarity}]}, a/b = {id, name, lead_unit_id,
 * investor_id, investor_name}, in (a.id, b.id) order: pairs of counted projects of
 * different lead units, not dismissed, whose investors are the same record (match
 * "investor") or enterprises with the same name key (match "investor_name"), and whose
 * project names look alike. */
int duplicates_candidates(Db *db, int64_t campaign_id, json_t **out, HzErr *e);
/* body {"duplicate_of": id} marks project_id a duplicate of id; {"not_duplicate_of": id}
 * dismisses the pair. Office only; audited. *out = the project as it now is. */
int duplicates_settle(Db *db, const Actor *a, int64_t project_id, json_t *body, json_t **out, HzErr *e);

#endif
