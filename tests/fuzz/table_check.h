/* What the spreadsheet harnesses (fuzz_csv.c, fuzz_xlsx.c) check of any table read:
 * the promises of io/table.h, whatever the bytes. Header only, shared by both. */
#ifndef HZ_FUZZ_TABLE_CHECK_H
#define HZ_FUZZ_TABLE_CHECK_H
#include <string.h>
#include "io/table.h"
#include "util/text.h"

#define FUZZ_TABLE_ROWS_MAX 5000 /* enough to reach every state; keeps one input fast */

static int fuzz_row_ok(const TableRow *row, size_t width) {
  if (!row || row->ncells < width || !row->cells || row->line < 1) return 0;
  for (size_t c = 0; c < row->ncells; c++) {
    if (!row->cells[c] || !utf8_valid(row->cells[c], strlen(row->cells[c]))) return 0;
    char ref[16];
    table_ref(row, c, ref, sizeof ref);
  }
  return 1;
}

/* Reads the whole table; traps when a promise is broken. */
static void fuzz_table_read(const void *data, size_t len, const TableOpts *opts) {
  Table *t = NULL;
  TableRow *row = NULL;
  HzErr e = {0};
  int rc = table_open_mem(data, len, opts, &t, &e);
  if (rc) {
    if (t || !e.message[0] || !utf8_valid(e.message, strlen(e.message))) __builtin_trap();
    goto done;
  }
  if ((rc = table_header(t, &row, &e))) goto refused;
  if (!fuzz_row_ok(row, 0)) __builtin_trap();
  size_t width = row->ncells;
  uint32_t line = row->line;
  for (int n = 0; n < FUZZ_TABLE_ROWS_MAX; n++) {
    if ((rc = table_next(t, &row, &e))) goto refused;
    if (!row) break;
    /* Rows come in order, each at least as wide as the header. */
    if (!fuzz_row_ok(row, width) || row->line <= line) __builtin_trap();
    line = row->line;
  }
  uint64_t done, total;
  table_progress(t, &done, &total);
  const char *sheet = table_sheet_name(t);
  if ((table_format(t) == TABLE_XLSX) != (sheet != NULL)) __builtin_trap();
  goto done;
refused:
  if (!e.message[0] || !utf8_valid(e.message, strlen(e.message))) __builtin_trap();
done:
  table_free(t);
  hz_err_clear(&e);
}

#endif
