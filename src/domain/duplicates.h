/* Once-only counting (R-PROG-10): the same investor's project claimed by two units is
 * flagged; the office settles each pair, either marking one project a duplicate of the
 * other (it then counts nowhere) or dismissing the pair. */
#ifndef HZ_DUPLICATES_H
#define HZ_DUPLICATES_H
#include <jansson.h>
#include "db/db.h"
#include "domain/role.h"

#define DUPLICATE_SIMILARITY 0.5 /* Dice coefficient of name bigrams at which two names look alike */

/* Similarity of two project names in [0, 1], ignoring spaces, punctuation and the word 项目. Pure. */
double duplicates_name_similarity(const char *a, const char *b);
/* {items:[{a, b, investor_id, similarity}]}: same investor, different lead units, alike names. */
int duplicates_candidates(Db *db, int64_t campaign_id, json_t **out, HzErr *e);
/* body {"duplicate_of": id} marks project_id a duplicate of id; {"not_duplicate_of": id}
 * dismisses the pair. Office only; audited. *out = the project as it now is. */
int duplicates_settle(Db *db, const Actor *a, int64_t project_id, json_t *body, json_t **out, HzErr *e);

#endif
