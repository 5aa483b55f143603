/* SQL of the campaign's working rhythm beyond plain CRUD: report status, overdue
 * coordination items, proposals, instructions, notifications, jobs, team rosters. */
#ifndef HZ_WORKFLOW_STORE_H
#define HZ_WORKFLOW_STORE_H
#include <jansson.h>
#include "db/db.h"

/* [{unit_id, week, status, reviewed_on}] of a campaign's reports. */
int workflow_store_reports(Db *db, int64_t campaign_id, json_t **out, HzErr *e);
/* Ids of items not closed whose due date is before `today` and that were not reminded today. */
int workflow_store_overdue(Db *db, const char *today, json_t **ids, HzErr *e);
/* Inserts a proposal unless one exists for (rule, occasion, unit); *created = 1 when new. */
int workflow_store_propose(Db *db, json_t *p, int *created, HzErr *e);
int workflow_store_instruction_add(Db *db, int64_t user_id, const char *target_field, int64_t target_id,
                                   const char *text, int64_t *id, HzErr *e);
/* [{id, created_at, user_id, user_name, text}] */
int workflow_store_instructions(Db *db, const char *target_field, int64_t target_id, json_t **out, HzErr *e);
int workflow_store_notify(Db *db, int64_t campaign_id, int64_t unit_id, const char *kind, const char *text, HzErr *e);
/* The same with a link: the API path of the record the notification is about (or NULL). */
int workflow_store_notify_link(Db *db, int64_t campaign_id, int64_t unit_id, const char *kind, const char *text,
                               const char *link, HzErr *e);
/* The attachments linked to one record (link_field "stage_change_id" or "fund_id"):
 * [{id, filename, content_type, size, created_at}], new reference in *out. */
int workflow_store_record_attachments(Db *db, const char *link_field, int64_t id, json_t **out, HzErr *e);
/* [{name, enabled, weekday, at_time, last_run_on}] */
int workflow_store_jobs(Db *db, json_t **out, HzErr *e);
int workflow_store_job_ran(Db *db, const char *name, const char *day, HzErr *e);
/* Claims the run of job name on day inside the caller's write transaction: sets last_run_on
 * to day unless it is day already. *claimed = 1 when this call set it, 0 when another run
 * (another instance) had. The write lock (SQLite) or the row lock (PostgreSQL) orders
 * concurrent claims, so exactly one of them sees the old value. */
int workflow_store_job_claim(Db *db, const char *name, const char *day, int *claimed, HzErr *e);
int workflow_store_job_set(Db *db, const char *name, int enabled, int weekday, const char *at_time, HzErr *e);
/* Next bulletin number of a campaign (1 for the first). */
int workflow_store_next_bulletin(Db *db, int64_t campaign_id, int64_t *number, HzErr *e);
/* A team member's (or any unit user's) work between from and to:
 * [{user_id, name, in_team, leads, followed, signed, funds}] for the team's unit. */
int workflow_store_roster(Db *db, int64_t team_id, const char *from, const char *to, json_t **out, HzErr *e);

/* Highlights of a period: signings (moves passing signed, by contract date) and the
 * largest fund arrivals, of counted projects, not rejected, largest first. */
int workflow_store_period_signings(Db *db, int64_t campaign_id, const char *from, const char *to, int limit,
                                   json_t **out, HzErr *e);
int workflow_store_period_funds(Db *db, int64_t campaign_id, const char *from, const char *to, int limit, json_t **out,
                                HzErr *e);
/* The newest published bulletin of a campaign before `number`: {id, period_end,
 * snapshot_id} or NULL. Drafts never count: they were not circulated. */
int workflow_store_previous_bulletin(Db *db, int64_t campaign_id, int64_t number, json_t **out, HzErr *e);
/* The undecided proposals of a checkpoint: [{id, rule_id, unit_id, outcome_text}], new reference. */
int workflow_store_open_proposals(Db *db, int64_t checkpoint_id, json_t **out, HzErr *e);
/* The number of the campaign's unpublished draft in *number, or 0 when there is none. */
int workflow_store_draft_bulletin(Db *db, int64_t campaign_id, int64_t *number, HzErr *e);
/* What refers to a bulletin: its proposals ([{id, status}], new reference) and in
 * *others the instructions and admonition talks that name it. */
int workflow_store_bulletin_links(Db *db, int64_t bulletin_id, json_t **proposals, int64_t *others, HzErr *e);

/* Removes what a campaign was created with (default rules, settings) so an unused
 * campaign can be deleted; anything else that refers to it still blocks the delete. */
int workflow_store_drop_campaign_defaults(Db *db, int64_t campaign_id, HzErr *e);

#endif
