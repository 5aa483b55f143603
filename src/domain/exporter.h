/* Exports (issue 12, R-OUT-3): every collection's list, and the ranking, as XLSX or CSV,
 * for the API (http/routes_export.c) and the CLI (huizhan export).
 *
 * A list's export is the list endpoint's answer without pages: the same parameters (sort,
 * q, filters; read by the one list parser), the same person's scope, every row, written
 * row by row as the record engine walks the list (record_each), so memory does not grow
 * with the list. The columns are what an import reads back:
 *   - a column's header is the field's zh-CN label (Field.label);
 *   - an enumeration holds its zh-CN label (签约, not signed);
 *   - a reference holds the referenced record's natural key (exporter_key_column: a unit's
 *     name, a user's login, a project's or campaign's name, …), a list of references the
 *     keys joined with "、";
 *   - money in yuan as an integer (the stored truth), dates as dates (a date cell in
 *     XLSX, YYYY-MM-DD in CSV), booleans 是/否, timestamps as stored (UTC, ISO 8601).
 * Text that a spreadsheet would run as a formula is neutralised by io/ (io/cell.h). */
#ifndef HZ_EXPORTER_H
#define HZ_EXPORTER_H
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include "db/db.h"
#include "domain/resource.h"
#include "domain/role.h"
#include "util/err.h"

typedef enum { EXPORT_XLSX = 1, EXPORT_CSV } ExportFormat;

#define EXPORT_RANKING "ranking" /* the campaign's overall ranking, a figure list */
#define EXPORT_LINK_SEP "、"     /* between the keys of a list of references */

typedef struct {
  const char *kind;    /* a collection of domain/resources.c (projects, follow-ups, …) or EXPORT_RANKING */
  int64_t parent_id;   /* the parent of a nested list (/campaigns/3/targets: 3), 0 for all;
                          the ranking's campaign (else its campaign_id parameter) */
  json_t *query;       /* the list's parameters as the API gives them (strings, arrays of
                          strings for a repeated one); borrowed; NULL for none */
  ExportFormat format;
} ExportRequest;

/* "xlsx" or "csv" (any case); 0 for anything else. */
ExportFormat exporter_format(const char *name);
/* The file extension without its dot, and the Content-Type. */
const char *exporter_extension(ExportFormat f);
const char *exporter_content_type(ExportFormat f);
/* The file name a person gets: 项目清单_2026-10-15.xlsx (the kind's label, today's date). */
void exporter_filename(const char *kind, ExportFormat f, char *out, size_t n);
/* Whether kind can be exported at all (a collection or the ranking). */
int exporter_kind_known(const char *kind);

/* The fields a collection's export has as columns, in order, into cols (at most max);
 * returns their count. Secret, virtual and server-computed JSON fields have none. */
size_t exporter_columns(const Resource *r, const Field **cols, size_t max);
/* The column of collection r that names one of its records in an export or import (its
 * natural key): users' login, rules' code, bulletins' title, else its first required text
 * field; NULL when it has none (the id itself is written). */
const char *exporter_key_column(const Resource *r);

/* Writes the export to path (created or replaced). As the person a sees it: their roles,
 * their unit's scope; a bad parameter is HZ_EINVAL naming it, before anything is written.
 * *rows (may be NULL) gets the number of data rows. On failure nothing is left at path.
 * Read only: nothing is audited. */
int exporter_write(Db *db, const Actor *a, const ExportRequest *rq, const char *path, int64_t *rows, HzErr *e);

#endif
