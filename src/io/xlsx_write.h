/* Writing XLSX for exports, templates and import error reports, over libxlsxwriter in its
 * constant-memory mode (rows go to a temporary file as they come, so a million rows cost
 * no more memory than ten; rows must be written top to bottom).
 *
 *   XlsxWriter *w; rc = xlsx_write_open("out.xlsx", NULL, &w, &e);
 *   xlsx_write_header(w, names, n, &e);        // bold, frozen; row 1
 *   xlsx_write_list(w, 2, stages, 5, &e);      // column C: a drop-down list
 *   xlsx_write_row(w, cells, n, &e); ...       // rows 2, 3, ...
 *   rc = xlsx_write_close(w, &e);              // writes the file, frees w
 *
 * Columns get widths fitted to the widest text written in them (CJK counted double, capped).
 * Text is always written as a string (never a formula), and text that a spreadsheet would
 * evaluate is guarded with a leading quote all the same (io/cell.h), so the value stays
 * safe when someone saves the workbook as CSV. A cell with a note is marked bad: red fill,
 * and the note as its comment. */
#ifndef HZ_IO_XLSX_WRITE_H
#define HZ_IO_XLSX_WRITE_H
#include <stddef.h>
#include "io/cell.h"
#include "util/err.h"

typedef struct XlsxWriter XlsxWriter;

typedef struct {
  const char *sheet;   /* the first sheet's name; NULL = "Sheet1" */
  const char *tmpdir;  /* for libxlsxwriter's temporary files; NULL = the system's */
  int zip64;           /* 1 for files that may pass 4 GB (Excel opens them; some tools not) */
} XlsxWriteOpts;

/* Starts a workbook at path (written at close). opts may be NULL. Caller closes. */
int xlsx_write_open(const char *path, const XlsxWriteOpts *opts, XlsxWriter **out, HzErr *e);
/* Starts another sheet; later calls write to it. */
int xlsx_write_sheet(XlsxWriter *w, const char *name, HzErr *e);
/* Writes the header row of the current sheet (bold, frozen). Call before any row. */
int xlsx_write_header(XlsxWriter *w, const char *const *names, size_t n, HzErr *e);
/* A drop-down list for column col (0-based) of the current sheet, below the header. Long
 * lists (over 255 characters, or an item with a comma) go to a hidden sheet "lists". */
int xlsx_write_list(XlsxWriter *w, size_t col, const char *const *items, size_t n, HzErr *e);
/* Writes the next row. */
int xlsx_write_row(XlsxWriter *w, const Cell *cells, size_t n, HzErr *e);
/* Writes the file and frees w (also on failure). NULL is fine. */
int xlsx_write_close(XlsxWriter *w, HzErr *e);

#endif
