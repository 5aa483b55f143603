/* Imports uploaded through the API run as background jobs (POST /api/v1/imports): the
 * upload is copied, a row in import_jobs is made, and a thread of its own with its own
 * database connection runs importer_run, then stores the result (and the marked
 * workbook when rows were bad). Jobs run one at a time; while one runs, its progress
 * (rows, bytes) is kept in memory. A job found "running" that no thread of this process
 * runs was cut off by a restart: it is shown as failed, and its transaction never
 * committed. */
#ifndef HZ_IMPORT_JOBS_H
#define HZ_IMPORT_JOBS_H
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include "db/db.h"
#include "domain/role.h"

/* Starts a job importing data[0..len) (copied) as a; *id is the new job. Kind and role are
 * checked first (importer_check); an empty body is HZ_EINVAL. */
int import_job_start(Db *db, const Actor *a, const char *kind, const char *filename, const char *sheet, int dry_run,
                     int64_t campaign_id, const void *data, size_t len, int64_t *id, HzErr *e);
/* *out: the job (import_store_job_get) with live progress while it runs: {state, progress:
 * {rows, bytes_done, bytes_total}, result …}. Only its uploader and the office/admin see
 * it (others: HZ_ENOTFOUND). */
int import_job_get(Db *db, const Actor *a, int64_t id, json_t **out, HzErr *e);
/* The marked workbook of a rejected job (malloc'd, caller frees); HZ_ENOTFOUND when none. */
int import_job_errors_xlsx(Db *db, const Actor *a, int64_t id, void **data, size_t *n, HzErr *e);
/* Waits (at most seconds) until no import job runs: for a clean stop. */
void import_jobs_drain(int seconds);

#endif
