/* What io/ read from a table, one line a row: "<line>|cell|cell…", header first; for the
 * unit tests of the readers (test_csv.c, test_xlsx.c). */
#ifndef HZ_TEST_TABLE_DUMP_H
#define HZ_TEST_TABLE_DUMP_H
#include "io/table.h"
#include "util/buf.h"

/* Appends every row of t to out, then frees t; the reader's rc. */
static inline int table_dump(Table *t, Buf *out, HzErr *e) {
  TableRow *row;
  int rc = table_header(t, &row, e);
  while (!rc && row) {
    buf_printf(out, "%u", (unsigned)row->line);
    for (size_t c = 0; c < row->ncells; c++) buf_printf(out, "|%s", row->cells[c]);
    buf_puts(out, "\n");
    rc = table_next(t, &row, e);
  }
  table_free(t);
  return rc;
}

#endif
