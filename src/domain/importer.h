/* Spreadsheet imports (issue 12): units, users, targets, projects, follow-ups and funds
 * from XLSX or CSV, through the one write path (record_write) inside one transaction.
 *
 * Headers are a field's Chinese label (Field.label, as the export and the template write
 * them; a label's parenthesised note may be left out) or its English name (with or without
 * _id/_ids). Enumeration cells are the Chinese label or the code; references are natural
 * keys: a unit by name, a user by login, a section by name within the row's unit, a
 * campaign, investor or event by name, a project by name within its lead unit. Columns the
 * importer does not know (id, version, 阶段 …) are ignored and listed in the result.
 *
 * Each row is matched on its kind's natural key, so importing a file again updates rather
 * than duplicates (record_write OP_UPDATE with the stored version):
 *   units: name · users: login · targets: campaign + scope + unit + metric + section/person
 *   projects: campaign + lead unit + name · follow-ups: project + date + kind + summary
 *   funds: project + date + amount + voucher_no
 *
 * All or nothing (docs/import.md): a check pass writes every row through record_write in
 * batches (the first of IMPORT_BATCH_ROWS, the later ones sized by time) that are all rolled back (after the first bad row, each row
 * in a nested level of its own, so one bad row does not hide the others' errors); any bad
 * row rejects the file with nothing written. A clean file is then written in batches, each
 * committed (other writers get the database in between), with the figures refreshed and
 * the audit entries appended per batch (record_batch_begin). A row refused only then (the
 * data changed between the passes) stops the import: state "interrupted", the batches
 * before it stay, and importing the file again finishes it. A dry run is the check pass. */
#ifndef HZ_IMPORTER_H
#define HZ_IMPORTER_H
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include "db/db.h"
#include "domain/role.h"
#include "util/err.h"

#define IMPORT_ERRORS_MAX 1000 /* errors listed in a report; the rest are counted */
#define IMPORT_ROWS_LISTED 1000 /* per-row actions listed in a result */
#define IMPORT_NOTE_HEADER "错误说明" /* the report's extra column; ignored on import */

/* Called every few hundred rows and at the end. */
typedef void (*ImportProgress)(void *ctx, int64_t rows, uint64_t bytes_done, uint64_t bytes_total);

typedef struct {
  const char *kind;       /* one of importer_kinds */
  const char *filename;   /* as the user named it (messages, the .xls check); may be NULL */
  const char *sheet;      /* XLSX: the sheet to read; NULL = the first visible one */
  const char *path;       /* the file to read, or NULL and data/len */
  const void *data;
  size_t len;
  int dry_run;
  int64_t campaign_id;    /* targets, projects: the campaign when the file has no 会战 column;
                             0 = the only campaign there is */
  ImportProgress progress;
  void *progress_ctx;
} ImportOpts;

/* The kinds, NULL-terminated: "units", "users", "targets", "projects", "follow-ups", "funds". */
extern const char *const importer_kinds[];

/* Whether a may import kind: HZ_OK, HZ_EINVAL for an unknown kind, HZ_EFORBIDDEN. Admin
 * and office import every kind their role may write (users: admin only, as the users
 * collection itself); unit users import their own unit's projects, follow-ups and funds. */
int importer_check(const Actor *a, const char *kind, HzErr *e);

/* Imports o's file as a. HZ_OK when the file was read to its end: *result (new reference)
 * is {kind, filename, format, sheet, encoding, notice, dry_run, state ("committed",
 * "dry_run", "rejected", or "interrupted" with rows_committed), rows, created, updated,
 * unchanged, columns [{column, header, field}], ignored_columns, items [{row, action, id, key (the row's key cells, " · " between)}] (the first IMPORT_ROWS_LISTED),
 * errors [{row, column, ref, value, field, message}] (the first IMPORT_ERRORS_MAX),
 * errors_total, errors_more}. Bad rows are no error of the call: state "rejected" and the
 * database unchanged. A file that cannot be read (damaged, wrong sheet, merged header …),
 * a missing key column, an unknown kind or a role that may not import it is an rc with e
 * set, and the database unchanged too. */
int importer_run(Db *db, const Actor *a, const ImportOpts *o, json_t **result, HzErr *e);

/* The error report as a workbook at out_path: o's rows as they were, each bad cell filled
 * red with its message as a comment, and a last column 错误说明 with the row's messages
 * (importing the corrected workbook ignores that column). result: importer_run's. */
int importer_errors_xlsx(const ImportOpts *o, json_t *result, const char *out_path, HzErr *e);

/* The template of kind at out_path: its headers (the Chinese labels; english: the English
 * field names), drop-down lists for the enumerations and yes/no columns (the Chinese labels
 * and 是/否; english: the codes and true/false; the importer takes either), and a second
 * sheet 说明 explaining each column. HZ_ENOTFOUND naming kind for a kind with no import. */
int importer_template(const char *kind, int english, const char *out_path, HzErr *e);

/* The enabled user with this login as an Actor (who a CLI import is audited as);
 * HZ_EINVAL naming "as" when there is none. */
int importer_actor(Db *db, const char *login, Actor *a, HzErr *e);

/* Reads a whole file into a malloc'd buffer the caller frees (for sending a workbook). */
int importer_slurp(const char *path, void **data, size_t *n, HzErr *e);

#endif
