/* Backups of a SQLite database while `huizhan serve` goes on writing, the checks a copy
 * must pass before it counts, restoring one, and the scheduler's backup job (R-SEC-5).
 * PostgreSQL is backed up with pg_dump / pg_restore: these calls name the command. */
#ifndef HZ_BACKUP_H
#define HZ_BACKUP_H
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include "db/db.h"
#include "domain/role.h"

typedef struct {
  int64_t bytes;         /* size of the copy */
  int64_t audit_entries; /* entries of the audit chain verified in it */
  double seconds;        /* copying and checking, wall time */
  double copy_seconds;   /* of which copying */
} BackupInfo;

/* What `huizhan check` and `huizhan audit verify` check, on db: pages and keys
 * (db_integrity_check), the audit chain and the records it witnesses, every figure
 * recomputed from the raw records. HZ_OK when all are clean; else HZ_EIO naming the first
 * problem. *audit_entries: entries verified (may be NULL). */
int backup_verify(Db *db, int64_t *audit_entries, HzErr *e);

/* Copies the SQLite database target to the new file to (refused when it exists), online:
 * writers of target go on. The copy is written beside to as to.partial, checked with
 * backup_verify, and only then renamed to to (and the folder synced); on any failure the
 * partial copy is removed. key: the audit chain's key the copy is checked with (NULL: the one
 * this process has bound already). A PostgreSQL target: HZ_EINVAL naming the pg_dump command. */
int backup_make(const char *target, const char *to, const unsigned char *key, BackupInfo *info, HzErr *e);

/* Puts the backup file in place of the SQLite database target. Refused (HZ_EBUSY) while a
 * `huizhan serve` has target open (db_file_lock). file is copied beside target, brought to
 * this binary's schema and checked with backup_verify (file itself is only read); the
 * database it replaces (its WAL folded in first) is kept as target.replaced-YYYYMMDD-HHMMSS,
 * whose name goes to kept ("" when target did not exist; n >= 64 + strlen(target)).
 * key: as for backup_make. A PostgreSQL target: HZ_EINVAL naming the pg_restore command. */
int backup_restore(const char *file, const char *target, const unsigned char *key, char *kept, size_t n, BackupInfo *info,
                   HzErr *e);

/* The scheduler's backup job settings (huizhan serve --backup-dir DIR --backup-keep N);
 * dir NULL: this instance does not run the backup job. Set once, before the scheduler starts. */
void backup_job_configure(const char *dir, int keep);
/* Whether this process has a backup folder (so may claim the backup job). */
int backup_job_configured(void);
/* The backup job: a dated copy of db's file in the configured folder
 * (STEM-YYYYMMDD-HHMMSS.db, STEM the database file's name without .db), then the oldest
 * such copies beyond the last `keep` removed, then one audit entry (action "backup",
 * entity "jobs") by a. *out = {file, bytes, seconds, audit_entries, removed[]}, new
 * reference. HZ_EINVAL without a folder or on PostgreSQL. */
int backup_job_run(Db *db, const Actor *a, json_t **out, HzErr *e);

#endif
