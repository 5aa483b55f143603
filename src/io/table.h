/* Reading a spreadsheet (XLSX or CSV) as a stream of rows of UTF-8 text, for the importers.
 *
 *   Table *t; TableRow *row; HzErr e = {0};
 *   rc = table_open_path("projects.xlsx", NULL, &t, &e);
 *   rc = table_header(t, &row, &e);          // the first non-blank row
 *   while (!(rc = table_next(t, &row, &e)) && row) { ... row->cells[c], row->line ... }
 *   table_free(t);
 *
 * Memory stays constant in the number of rows: an XLSX sheet is inflated from the zip and
 * parsed with expat one row at a time (its shared strings and styles are loaded whole); a
 * CSV is read in chunks. Rows with no text in any cell are skipped (their numbers are not
 * reused, so row->line is always the row a person sees in Excel/WPS). A row has at least as
 * many cells as the header; an empty or missing cell is "".
 *
 * XLSX values: shared and inline strings (rich text joined), numbers as Excel shows them
 * with 15 significant digits, booleans TRUE/FALSE, error values as text (#DIV/0!),
 * formulas as their cached value (a formula without one is an error: the file was never
 * calculated), and numbers in a date format as YYYY-MM-DD (YYYY-MM-DD HH:MM:SS when the
 * format has a time, HH:MM:SS for a time alone), 1900 and 1904 date systems.
 * CSV: RFC 4180 (quotes, doubled quotes, CRLF/LF/CR, newlines inside quotes), a UTF-8 BOM
 * skipped, the delimiter , or ; or TAB guessed from the first line; GBK/GB18030 text (as
 * Excel/WPS on Chinese Windows save CSV) is detected and converted, and table_converted()
 * says so.
 *
 * Errors (HzErr message in Chinese, rc HZ_EMEDIA for a file that is not a readable
 * spreadsheet, HZ_EINVAL for one whose content breaks a rule, HZ_ETOOBIG past a limit,
 * HZ_EIO when the file cannot be read): an empty file, an old .xls/.et workbook, a damaged
 * zip, a zip that is no workbook, a missing sheet, XML that cannot be parsed, invalid UTF-8,
 * a merged cell in the header row, a formula without a cached value, an unclosed quote. */
#ifndef HZ_IO_TABLE_H
#define HZ_IO_TABLE_H
#include <stddef.h>
#include <stdint.h>
#include "util/err.h"

typedef struct Table Table;

typedef enum { TABLE_CSV = 1, TABLE_XLSX = 2 } TableFormat;

typedef struct {
  uint32_t line;      /* 1-based row number as Excel/WPS shows it (CSV: record number) */
  size_t ncells;      /* >= the header's width */
  const char **cells; /* ncells NUL-terminated UTF-8 strings, never NULL; owned by the
                         Table, valid until the next table_header/table_next/table_free */
} TableRow;

typedef struct {
  const char *sheet;      /* XLSX: sheet to read by name; NULL = the first visible worksheet */
  const char *filename;   /* the name the user gave (for messages, and ".xls" checks); may be NULL */
  int unguard;            /* 1: undo the writers' formula guard on every cell (cell_unguard) */
  size_t max_row_bytes;   /* cap on one row's text; 0 = 4 MiB */
  size_t max_shared_bytes;/* XLSX: cap on the shared strings; 0 = 1 GiB */
} TableOpts;

/* Opens a file (path) or a buffer (data[0..len), which must outlive the Table: it is not
 * copied). The format comes from the content (zip: XLSX; OLE2: an old .xls, refused;
 * anything else: CSV). opts may be NULL. On success *out is a Table the caller frees with
 * table_free; on failure *out is NULL and e says why. */
int table_open_path(const char *path, const TableOpts *opts, Table **out, HzErr *e);
int table_open_mem(const void *data, size_t len, const TableOpts *opts, Table **out, HzErr *e);

/* Reads the header: the first row with any text. An empty sheet or file is HZ_EINVAL;
 * merged cells in the header row are HZ_EINVAL naming the range. Call once, first. */
int table_header(Table *t, TableRow **row, HzErr *e);
/* Reads the next non-blank row into *row, or sets *row = NULL at the end. */
int table_next(Table *t, TableRow **row, HzErr *e);

TableFormat table_format(const Table *t);
/* 1 when a CSV was GBK/GB18030 and has been converted to UTF-8 (TABLE_GBK_NOTICE says so). */
int table_converted(const Table *t);
#define TABLE_GBK_NOTICE "文件为 GBK 编码，已转换为 UTF-8"
/* The sheet's name (XLSX) or NULL (CSV). Owned by the Table. */
const char *table_sheet_name(const Table *t);
/* Progress for a progress bar: bytes of the sheet/file read so far and in all. */
void table_progress(const Table *t, uint64_t *done, uint64_t *total);
/* "C7" for a cell of row (0-based column), into out (>= 16 bytes). */
void table_ref(const TableRow *row, size_t col, char *out, size_t n);
void table_free(Table *t);

#endif
