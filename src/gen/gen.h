/* A deterministic, province-scale database for benchmarks and load tests (`huizhan gen`):
 * units with their accounts, one campaign with targets, and projects with stage changes,
 * follow-ups and fund arrivals that obey the campaign's rules (moves carry the evidence
 * of every stage they pass; funds only for signed, started or completed projects; no
 * date after the as-of day). Written straight into the tables (store/bulk_store.h), then
 * the figures are rebuilt from the raw records (figures_rebuild), so `huizhan check`
 * holds. Same configuration, same data (apart from the password hash's random salt and
 * the one audit entry's time). */
#ifndef HZ_GEN_H
#define HZ_GEN_H
#include <stdint.h>
#include "db/db.h"

typedef struct {
  int64_t units, projects, follow_ups, funds;
  uint64_t seed;
  int as_of;            /* day number: the campaign (100 days) is on its day 60 */
  const char *password; /* every generated account's password */
  /* Called now and then with what is being written (may be NULL). */
  void (*progress)(const char *what, int64_t done, int64_t total, void *ctx);
  void *ctx;
} GenConfig;

typedef struct {
  int64_t units, users, projects, stage_changes, follow_ups, funds, targets;
} GenSummary;

/* Fills an empty, migrated database that nobody else has open. On failure the file is
 * left half written (the caller deletes it). */
int gen_build(Db *db, const GenConfig *cfg, GenSummary *sum, HzErr *e);

#endif
