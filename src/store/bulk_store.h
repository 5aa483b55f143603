/* Bulk loading of generated data (`huizhan gen`, src/gen/): plain INSERTs of whole rows
 * with explicit ids, BULK_BATCH_ROWS rows per statement, bypassing the record engine, the
 * audit log and the figures (the caller rebuilds those with figures_rebuild, which writes
 * them through a load too, store/figures_store.c). Meant for a new database that nobody
 * else has open, in the loading mode of db_bulk_begin, with the secondary indexes dropped
 * by db_indexes_drop (db/db.h), or for tables just emptied (the figures). */
#ifndef HZ_BULK_STORE_H
#define HZ_BULK_STORE_H
#include "db/db.h"
#include <jansson.h>

/* The tables a bulk load writes; the columns each row gives, in this order, are listed
 * beside each one (every value bound, never formatted into SQL). */
typedef enum {
  BULK_UNITS,          /* id, created_at, updated_at, name, short_name, category, head_user_id, deputy_user_id, phone */
  BULK_USERS,          /* id, created_at, updated_at, login, name, role, unit_id, title, phone, password_hash */
  BULK_CAMPAIGNS,      /* id, created_at, updated_at, name, year, start_date, end_date, status */
  BULK_CHECKPOINTS,    /* id, created_at, updated_at, campaign_id, name, kind, date */
  BULK_EVENTS,         /* id, created_at, updated_at, campaign_id, name, start_date, end_date, place */
  BULK_TARGETS,        /* id, created_at, updated_at, campaign_id, scope, unit_id, metric, value */
  BULK_INVESTORS,      /* id, created_at, updated_at, name, kind, origin, industry, unit_id */
  BULK_PROJECTS,       /* id, created_at, updated_at, campaign_id, name, lead_unit_id, responsible_user_id,
                          investor_id, category, method, planned_investment, contract_value, event_id, stage,
                          description, lead_date, last_activity_date, version */
  BULK_PROJECT_UNITS,  /* project_id, unit_id */
  BULK_STAGE_CHANGES,  /* id, created_at, updated_at, project_id, campaign_id, unit_id, from_stage, to_stage, date,
                          contract_date, contract_value, start_date, completion_date, reason, created_by, status,
                          reviewed_by, reviewed_at, reject_reason, version */
  BULK_FOLLOW_UPS,     /* id, created_at, updated_at, project_id, campaign_id, unit_id, date, kind, summary,
                          next_step, next_date, with_leader, created_by */
  BULK_PARTICIPANTS,   /* follow_up_id, user_id */
  BULK_FUNDS,          /* id, created_at, updated_at, project_id, campaign_id, unit_id, amount, date, kind,
                          voucher_no, created_by, status, reviewed_by, reviewed_at, reject_reason, version */
  BULK_AUDIT,          /* id, at, user_id, action, entity, entity_id, before, after, prev_hash, hash (the caller
                          keeps the chain; see bulk_store_set_meta for its head) */
  /* The figures (written by store/figures_store.c for figures_rebuild) */
  BULK_PROJECT_FIGURES,  /* project_id, campaign_id, unit_id, metric, day, reported, certified */
  BULK_PROJECT_STAYS,    /* project_id, campaign_id, unit_id, stage, days, day, stays */
  BULK_UNIT_FIGURES,     /* campaign_id, unit_id, metric, day, reported, certified */
  BULK_UNIT_TOTALS,      /* campaign_id, unit_id, metric, reported, certified */
  BULK_UNIT_STAYS,       /* campaign_id, unit_id, stage, days, day, stays */
  BULK_UNIT_STAY_TOTALS, /* campaign_id, unit_id, stage, days, stays */
  BULK_TABLES
} BulkTable;

#define BULK_MAX_COLS 24

/* One row: values in column order. */
typedef struct {
  int n;
  struct {
    char type; /* 'i' integer, 't' text, 'n' null */
    int64_t i;
    const char *t; /* borrowed until bulk_load_add returns */
  } v[BULK_MAX_COLS];
} BulkRow;

void bulk_row_reset(BulkRow *r);
void bulk_row_int(BulkRow *r, int64_t v);
void bulk_row_text(BulkRow *r, const char *s); /* NULL adds a null */
void bulk_row_null(BulkRow *r);

/* A load in progress on one Db: rows are gathered per table and written BULK_BATCH_ROWS
 * at a time by one INSERT (a statement run, or a round trip to PostgreSQL, per batch, not
 * per row). Each table's rows go in in the order they were added; flush before every
 * commit. bulk_load_new gives *out, freed by bulk_load_free. */
#define BULK_BATCH_ROWS 64
typedef struct BulkLoad BulkLoad;
int bulk_load_new(Db *db, BulkLoad **out, HzErr *e);
/* Adds a row (its texts are copied), writing the table's batch when it is full; HZ_EINVAL
 * when its column count does not fit the table. */
int bulk_load_add(BulkLoad *l, BulkTable t, const BulkRow *r, HzErr *e);
/* Writes every row gathered so far. */
int bulk_load_flush(BulkLoad *l, HzErr *e);
void bulk_load_free(BulkLoad *l);
/* Sets one meta value (audit_head, audit_count, revision) after rows were bulk-added. */
int bulk_store_set_meta(Db *db, const char *key, const char *value, HzErr *e);
/* Rows in a table (for progress and summaries). */
int bulk_store_count(Db *db, BulkTable t, int64_t *n, HzErr *e);

#endif
