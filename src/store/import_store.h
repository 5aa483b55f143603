/* SQL of the spreadsheet importers (domain/importer.c): the natural keys rows are matched
 * on, and the import_jobs table behind POST /api/v1/imports. Every lookup sets *id to the
 * record's id, or 0 when there is none; HZ_OK unless the database fails. */
#ifndef HZ_IMPORT_STORE_H
#define HZ_IMPORT_STORE_H
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include "db/db.h"

int import_store_unit(Db *db, const char *name, int64_t *id, HzErr *e);
int import_store_user(Db *db, const char *login, int64_t *id, HzErr *e);
int import_store_section(Db *db, int64_t unit_id, const char *name, int64_t *id, HzErr *e);
/* By name; several campaigns of one name: the newest. */
int import_store_campaign(Db *db, const char *name, int64_t *id, HzErr *e);
/* The only campaign there is, or 0 when there are none or several. */
int import_store_only_campaign(Db *db, int64_t *id, HzErr *e);
int import_store_investor(Db *db, const char *name, int64_t *id, HzErr *e);
int import_store_event(Db *db, const char *name, int64_t *id, HzErr *e);
/* A project by name within its lead unit (and campaign, when campaign_id is not 0). */
int import_store_project(Db *db, int64_t campaign_id, int64_t lead_unit_id, const char *name, int64_t *id, HzErr *e);
/* section_id, user_id: 0 for none. */
int import_store_target(Db *db, int64_t campaign_id, const char *scope, int64_t unit_id, const char *metric,
                        int64_t section_id, int64_t user_id, int64_t *id, HzErr *e);
/* Keys need not be unique: nth picks the nth record with the key (0: the first, by id). */
int import_store_follow_up(Db *db, int64_t project_id, const char *date, const char *kind, const char *summary,
                           int64_t nth, int64_t *id, HzErr *e);
/* voucher_no NULL: a fund without one. */
int import_store_fund(Db *db, int64_t project_id, const char *date, int64_t amount, const char *voucher_no,
                      int64_t nth, int64_t *id, HzErr *e);

/* import_jobs */
int import_store_job_insert(Db *db, int64_t created_by, const char *kind, const char *filename, int dry_run,
                            int64_t bytes_total, int64_t *id, HzErr *e);
/* The instance running job id ("host pid"), set in the transaction that inserts it; and
 * read back into out[n] ("" when none was recorded). */
int import_store_job_set_runner(Db *db, int64_t id, const char *runner, HzErr *e);
int import_store_job_runner(Db *db, int64_t id, char *out, size_t n, HzErr *e);
/* state "done" or "failed"; result: JSON text (borrowed); xlsx may be NULL. */
int import_store_job_finish(Db *db, int64_t id, const char *state, int64_t rows_done, const char *result,
                            const void *xlsx, size_t xlsx_len, HzErr *e);
/* *out: {id, created_at, finished_at, created_by, kind, filename, dry_run, state, rows_done,
 * bytes_total, result (parsed), has_errors_xlsx}, new reference; HZ_ENOTFOUND when none. */
int import_store_job_get(Db *db, int64_t id, json_t **out, HzErr *e);
/* The marked workbook (malloc'd, caller frees), or *data = NULL when the job has none. */
int import_store_job_xlsx(Db *db, int64_t id, void **data, size_t *n, HzErr *e);

#endif
