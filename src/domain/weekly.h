/* Weekly reports (周报, "一把手每周要听取一次情况汇报"): campaign weeks, the figures the
 * system fills in, submission, the head's review, and who has not reported. */
#ifndef HZ_WEEKLY_H
#define HZ_WEEKLY_H
#include <jansson.h>
#include "db/db.h"
#include "domain/role.h"

/* Days a head has after a week ends to review its report and still be on time. */
#define REVIEW_DAYS 7

/* Week N runs from start + 7(N-1) to start + 7N - 1 (the last week may be shorter).
 * Pure. weeks_in: how many weeks a campaign of start..end has. week_of: the week of a
 * day (0 before the start). */
int weekly_weeks_in(int start, int end);
int weekly_week_of(int start, int day);
/* How many weeks of a campaign of start..end have ended before `day` (those are due). */
int weekly_weeks_ended(int start, int end, int day);
void weekly_bounds(int start, int end, int week, int *from, int *to);
/* The figures of a unit for a week: this week, last week, the change and to date. */
int weekly_figures(Db *db, int64_t campaign_id, int64_t unit_id, int from, int to, int start, json_t **out, HzErr *e);
/* Actions on a report; each is one audited transaction and answers the report. */
int weekly_submit(Db *db, const Actor *a, int64_t id, json_t **out, HzErr *e);
int weekly_review(Db *db, const Actor *a, int64_t id, json_t *body, json_t **out, HzErr *e);
/* Every elapsed week (or only `week`), every unit: missing / draft / submitted / reviewed,
 * and whether the review came on time. */
int weekly_status(Db *db, int64_t campaign_id, int week, json_t **out, HzErr *e);

#endif
