/* Inside io/table: the Table both readers fill, and the row assembly they share.
 * Not for use outside src/io. */
#ifndef HZ_IO_TABLE_IMPL_H
#define HZ_IO_TABLE_IMPL_H
#include <stdio.h>
#include "io/table.h"
#include "util/buf.h"

#define TABLE_MAX_COLS 16384 /* Excel's limit (XFD) */

struct Table {
  TableFormat format;
  TableOpts opts;
  char *filename;       /* copy of opts.filename, or NULL */
  /* the source: a file or a borrowed buffer */
  FILE *fp;
  const unsigned char *mem;
  size_t memlen, mempos;
  uint64_t done, total; /* progress in bytes */
  int converted;        /* CSV was GBK, converted */
  char *sheet_name;
  /* row assembly: cell texts, each NUL-terminated, in text; col_off[c] is column c's
   * offset in text or SIZE_MAX when the row has nothing there */
  Buf text;
  size_t *col_off;
  size_t col_cap, col_used; /* col_used: columns touched in this row */
  size_t cur_col;           /* column being filled, or SIZE_MAX */
  const char **cells;
  size_t cells_cap;
  TableRow row;
  size_t width;             /* the header's width (0 before the header) */
  int header_done;
  /* the reader: fills one row with table_row_* calls; sets *got = 0 at the end */
  void *impl;
  int (*read_row)(Table *t, int *got, HzErr *e);
  void (*free_impl)(Table *t);
};

/* Reads up to n bytes from the source; returns the count (0 at the end) or -1 (e set). */
long table_src_read(Table *t, void *buf, size_t n, HzErr *e);
/* Back to the start of the source. */
int table_src_rewind(Table *t, HzErr *e);

void table_row_begin(Table *t, uint32_t line);
/* Starts column col (0-based) of the current row; its text is what table_cell_append adds
 * until table_cell_end. A column given twice keeps the later text. */
int table_cell_begin(Table *t, size_t col, HzErr *e);
int table_cell_append(Table *t, const void *p, size_t n, HzErr *e);
int table_cell_end(Table *t, HzErr *e);
/* Finishes the row into t->row; *blank = 1 when no cell has text. */
int table_row_end(Table *t, int *blank, HzErr *e);

/* Readers' openers (table_csv.c, table_xlsx.c), called by table_open_*. */
int table_csv_open(Table *t, HzErr *e);
int table_xlsx_open(Table *t, HzErr *e);

/* The name to show for the file in messages: the given filename or "文件". */
const char *table_display_name(const Table *t);

#endif
