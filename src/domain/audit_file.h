/* The audit log file (`--audit-log FILE`, R-SEC-4): a copy of every audit entry outside
 * the database, one JSON object a line, so that `huizhan audit verify --against FILE`
 * can show where the database's history was rewritten.
 *
 * The file mirrors the chain: after every commit that appended entries, the entries the
 * file does not hold yet (id above its last line's) are read back from the database and
 * appended, then the file is fsync'd, before the committing request is answered. Several
 * processes may share one file (an flock orders them; each copies what it finds missing,
 * whoever wrote it). A crash between the commit and the copy leaves the file behind the
 * database; the next process to open it copies the rest. */
#ifndef HZ_AUDIT_FILE_H
#define HZ_AUDIT_FILE_H
#include "db/db.h"

/* Opens (creating, mode 0600) the process's audit log file at path for db: checks that
 * its last entry is the database's entry of that id (HZ_EIO naming it otherwise: one of
 * the two was rewritten or cut), copies what it lacks, and from then on copies after
 * every commit (db_set_commit_hook). A torn last line (a crash while writing) is cut
 * off first. One file per process: a second call with the same path copies what the
 * file lacks (audit_file_sync); with another path it is HZ_EINVAL. */
int audit_file_open(Db *db, const char *path, HzErr *e);
/* Copies what the file lacks now (a loader that bypasses db_commit calls it at its end). */
int audit_file_sync(Db *db, HzErr *e);
/* Stops copying and closes the file. */
void audit_file_close(void);
/* `audit verify --against FILE`: compares every line of the file with the database's
 * entry of the same id, field by field, in id order. HZ_OK when they are the same
 * entries; else HZ_EIO with e->message naming the first difference (an entry changed, in
 * one but not the other). *count = entries compared. */
int audit_file_compare(Db *db, const char *path, int64_t *count, HzErr *e);

#endif
