/* Team roster review (R-RULE-7, "有经验、有门路、有本事的人员保留下来…"): each member's work
 * over a period, and a proposal: keep those who brought leads or followed projects, drop
 * those who did neither, add people outside the team who brought leads. */
#ifndef HZ_ROSTER_H
#define HZ_ROSTER_H
#include <jansson.h>
#include "db/db.h"
#include "domain/role.h"

/* Pure: "keep", "drop", "add" or NULL (outside the team, nothing to propose). */
const char *roster_proposal(int in_team, int64_t leads, int64_t followed);
/* from/to: "YYYY-MM-DD"; NULL = the team's campaign start / today. */
int roster_review(Db *db, const Actor *a, int64_t team_id, const char *from, const char *to, json_t **out, HzErr *e);

#endif
