/* Writing CSV for exports: UTF-8 with a BOM (so Excel/WPS on Chinese Windows open it as
 * UTF-8), CRLF line ends, a field quoted when it holds , " CR or LF, and text that a
 * spreadsheet would run as a formula guarded with a leading quote (io/cell.h says how and
 * why). Output goes to a sink: a file, a Buf, or the caller's function. */
#ifndef HZ_IO_CSV_WRITE_H
#define HZ_IO_CSV_WRITE_H
#include <stddef.h>
#include "io/cell.h"
#include "util/buf.h"
#include "util/err.h"

/* Takes len bytes; returns HZ_OK or an rc (the writer reports it). */
typedef int (*CsvSink)(void *ctx, const void *data, size_t len);

typedef struct CsvWriter CsvWriter;

/* New writer (the BOM goes out with the first flush); the caller ends it with
 * csv_write_close, which frees it. */
int csv_write_new(CsvSink sink, void *ctx, CsvWriter **out, HzErr *e);
int csv_write_new_file(const char *path, CsvWriter **out, HzErr *e);
int csv_write_new_buf(Buf *b, CsvWriter **out, HzErr *e);
/* One row. CELL_EMPTY is an empty field; CELL_INT/CELL_DEC are written as plain numbers;
 * CELL_TEXT quoted and guarded as needed; a cell's note is ignored. */
int csv_write_row(CsvWriter *w, const Cell *cells, size_t n, HzErr *e);
/* One row of text cells (NULL is empty): headers and simple lists. */
int csv_write_texts(CsvWriter *w, const char *const *texts, size_t n, HzErr *e);
/* Flushes, closes the file (if any) and frees w; the first error wins. NULL is fine. */
int csv_write_close(CsvWriter *w, HzErr *e);

#endif
