/* Recurring jobs (scheduling): `huizhan serve` runs them in-process at the times in the
 * jobs table, and each is also a CLI command (huizhan job NAME):
 *   bulletin-draft   a draft bulletin for every active campaign, up to yesterday
 *   missing-reports  notify units that have not submitted or whose head has not reviewed
 *   remind-overdue   催办 every overdue coordination item (once a day)
 *   early-warning    notify units a checkpoint rule would hit if evaluated today
 *   backup           a dated, checked copy of the SQLite file, keeping the last N
 *                    (domain/backup.h; run only by instances given --backup-dir) */
#ifndef HZ_JOBS_H
#define HZ_JOBS_H
#include <jansson.h>
#include <stdint.h>
#include "db/db.h"
#include "domain/role.h"

/* Runs one job now; *out = what it did. HZ_ENOTFOUND for an unknown name. */
int jobs_run(Db *db, const Actor *a, const char *name, json_t **out, HzErr *e);
/* Runs and failures of job k (0 <= k < jobs_count(): every job, the backup included) since
 * the process started, by the scheduler or on request; returns the job's name (static). */
size_t jobs_count(void);
const char *jobs_stats(size_t k, uint64_t *runs, uint64_t *failures);
/* Runs every enabled job whose time has come today and that has not run today.
 * now_minutes: minutes since midnight in the campaign zone. */
int jobs_run_due(Db *db, const Actor *a, int now_minutes, HzErr *e);
/* PATCH /api/v1/jobs/{name}: body {enabled, weekday (0-6 or null), at_time "HH:MM"}. */
/* The jobs and their schedules, paged by the list parameters in query (domain/list_query.h):
 * *out = {items, total, limit, offset}. */
int jobs_list(Db *db, json_t *query, json_t **out, HzErr *e);
int jobs_update(Db *db, const Actor *a, const char *name, json_t *body, json_t **out, HzErr *e);

#endif
