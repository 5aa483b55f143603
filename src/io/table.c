/* io/table: opening a spreadsheet file, telling XLSX from CSV from an old .xls, and the row
 * assembly both readers share (cells in one buffer, reset each row: memory stays flat). */
#include "io/table_impl.h"
#include "io/cell.h"
#include "util/text.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define TABLE_DEFAULT_ROW_BYTES (4u << 20)

const char *table_display_name(const Table *t) {
  return t->filename && *t->filename ? t->filename : "文件";
}

static int table_name_ends(const Table *t, const char *ext) {
  if (!t->filename) return 0;
  size_t n = strlen(t->filename), k = strlen(ext);
  return n >= k && strcasecmp(t->filename + n - k, ext) == 0;
}

long table_src_read(Table *t, void *buf, size_t n, HzErr *e) {
  if (t->fp) {
    size_t got = fread(buf, 1, n, t->fp);
    if (got < n && ferror(t->fp)) {
      hz_fail(e, HZ_EIO, "file", "读取%s失败：%s", table_display_name(t), strerror(errno));
      return -1;
    }
    t->done += got;
    return (long)got;
  }
  size_t left = t->memlen - t->mempos;
  if (n > left) n = left;
  if (n) memcpy(buf, t->mem + t->mempos, n);
  t->mempos += n;
  t->done += n;
  return (long)n;
}

int table_src_rewind(Table *t, HzErr *e) {
  t->done = 0;
  if (t->fp) {
    if (fseek(t->fp, 0, SEEK_SET) != 0)
      return hz_fail(e, HZ_EIO, "file", "读取%s失败：%s", table_display_name(t), strerror(errno));
    return HZ_OK;
  }
  t->mempos = 0;
  return HZ_OK;
}

/* What the first bytes say: XLSX (a zip), an old OLE2 workbook, or text. */
static int table_detect(Table *t, const unsigned char *head, size_t n, HzErr *e) {
  static const unsigned char ole2[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
  const char *name = table_display_name(t);
  if (n == 0) return hz_fail(e, HZ_EINVAL, "file", "%s是空的（0 字节）", name);
  if (n >= 4 && memcmp(head, ole2, 4) == 0)
    return hz_fail(e, HZ_EMEDIA, "file",
                   "%s是旧版 Excel（.xls）或 WPS（.et）工作簿，无法读取：请在 Excel/WPS 中"
                   "“另存为” Excel 工作簿（.xlsx）后再导入", name);
  if (n >= 4 && head[0] == 'P' && head[1] == 'K' &&
      ((head[2] == 3 && head[3] == 4) || (head[2] == 5 && head[3] == 6) ||
       (head[2] == 7 && head[3] == 8))) {
    t->format = TABLE_XLSX;
    return HZ_OK;
  }
  if (table_name_ends(t, ".xlsx") || table_name_ends(t, ".xlsm"))
    return hz_fail(e, HZ_EMEDIA, "file",
                   "%s不是有效的 XLSX 文件（开头不是 zip 格式，文件可能已损坏或只下载了一部分）", name);
  if (table_name_ends(t, ".xls") || table_name_ends(t, ".et"))
    return hz_fail(e, HZ_EMEDIA, "file",
                   "%s不是可读取的工作簿：请在 Excel/WPS 中“另存为” Excel 工作簿（.xlsx）"
                   "或 CSV UTF-8 后再导入", name);
  t->format = TABLE_CSV;
  return HZ_OK;
}

static int table_open(Table *t, const TableOpts *opts, Table **out, HzErr *e) {
  int rc = HZ_OK;
  if (opts) t->opts = *opts;
  if (!t->opts.max_row_bytes) t->opts.max_row_bytes = TABLE_DEFAULT_ROW_BYTES;
  if (!t->opts.max_shared_bytes) t->opts.max_shared_bytes = (size_t)1 << 30;
  t->opts.filename = NULL; /* t->filename holds the copy */
  t->opts.sheet = NULL;    /* the xlsx reader got its own copy (below) */
  buf_init(&t->text, t->opts.max_row_bytes);
  t->cur_col = SIZE_MAX;
  unsigned char head[8];
  long n = table_src_read(t, head, sizeof head, e);
  if (n < 0) { rc = HZ_EIO; goto done; }
  if ((rc = table_detect(t, head, (size_t)n, e))) goto done;
  if ((rc = table_src_rewind(t, e))) goto done;
  rc = t->format == TABLE_XLSX ? table_xlsx_open(t, e) : table_csv_open(t, e);
done:
  if (rc) {
    table_free(t);
    t = NULL;
  }
  *out = t;
  return rc;
}

/* The sheet name has to survive table_open's reset of opts; kept in sheet_name until the
 * xlsx reader replaces it with the name it found. */
static Table *table_new(const TableOpts *opts, HzErr *e) {
  Table *t = calloc(1, sizeof *t);
  if (!t) {
    hz_fail(e, HZ_ENOMEM, NULL, "内存不足");
    return NULL;
  }
  if (opts && opts->filename && !(t->filename = strdup(opts->filename))) goto oom;
  if (opts && opts->sheet && !(t->sheet_name = strdup(opts->sheet))) goto oom;
  return t;
oom:
  free(t->filename);
  free(t);
  hz_fail(e, HZ_ENOMEM, NULL, "内存不足");
  return NULL;
}

int table_open_path(const char *path, const TableOpts *opts, Table **out, HzErr *e) {
  *out = NULL;
  Table *t = table_new(opts, e);
  if (!t) return HZ_ENOMEM;
  if (!t->filename) {
    const char *slash = strrchr(path, '/');
    t->filename = strdup(slash ? slash + 1 : path);
  }
  t->fp = fopen(path, "rb");
  if (!t->fp) {
    int rc = hz_fail(e, errno == ENOENT ? HZ_ENOTFOUND : HZ_EIO, "file", "无法打开%s：%s",
                     table_display_name(t), strerror(errno));
    table_free(t);
    return rc;
  }
  if (fseek(t->fp, 0, SEEK_END) == 0) {
    long size = ftell(t->fp);
    if (size > 0) t->total = (uint64_t)size;
    rewind(t->fp);
  }
  return table_open(t, opts, out, e);
}

int table_open_mem(const void *data, size_t len, const TableOpts *opts, Table **out, HzErr *e) {
  *out = NULL;
  Table *t = table_new(opts, e);
  if (!t) return HZ_ENOMEM;
  t->mem = data;
  t->memlen = data ? len : 0;
  t->total = t->memlen;
  return table_open(t, opts, out, e);
}

void table_row_begin(Table *t, uint32_t line) {
  for (size_t c = 0; c < t->col_used; c++) t->col_off[c] = SIZE_MAX;
  t->col_used = 0;
  t->cur_col = SIZE_MAX;
  buf_reset(&t->text);
  t->row.line = line;
}

static int table_row_full(Table *t, HzErr *e) {
  return hz_fail(e, HZ_ETOOBIG, "file", "%s第 %u 行超过 %zu 字节，无法读取%s", table_display_name(t),
                 (unsigned)t->row.line, t->opts.max_row_bytes,
                 t->format == TABLE_CSV ? "（可能是某个引号没有闭合）" : "");
}

int table_cell_begin(Table *t, size_t col, HzErr *e) {
  if (col >= TABLE_MAX_COLS)
    return hz_fail(e, HZ_EINVAL, "file", "%s第 %u 行超过 %d 列", table_display_name(t),
                   (unsigned)t->row.line, TABLE_MAX_COLS);
  if (col >= t->col_cap) {
    size_t cap = t->col_cap ? t->col_cap : 64;
    while (cap <= col) cap *= 2;
    size_t *p = realloc(t->col_off, cap * sizeof *p);
    if (!p) return hz_fail(e, HZ_ENOMEM, NULL, "内存不足");
    for (size_t c = t->col_cap; c < cap; c++) p[c] = SIZE_MAX;
    t->col_off = p;
    t->col_cap = cap;
  }
  if (col + 1 > t->col_used) t->col_used = col + 1;
  t->col_off[col] = t->text.len;
  t->cur_col = col;
  return HZ_OK;
}

int table_cell_append(Table *t, const void *p, size_t n, HzErr *e) {
  int rc = buf_append(&t->text, p, n);
  if (rc == HZ_ETOOBIG) return table_row_full(t, e);
  if (rc) return hz_fail(e, rc, NULL, "内存不足");
  return HZ_OK;
}

int table_cell_end(Table *t, HzErr *e) {
  int rc = buf_append(&t->text, "", 1); /* the NUL that ends this cell's text */
  if (rc == HZ_ETOOBIG) return table_row_full(t, e);
  if (rc) return hz_fail(e, rc, NULL, "内存不足");
  t->cur_col = SIZE_MAX;
  return HZ_OK;
}

int table_row_end(Table *t, int *blank, HzErr *e) {
  size_t last = 0; /* columns up to the last one with text */
  for (size_t c = 0; c < t->col_used; c++)
    if (t->col_off[c] != SIZE_MAX && t->text.data[t->col_off[c]]) last = c + 1;
  *blank = last == 0;
  if (*blank) return HZ_OK;
  size_t n = last > t->width ? last : t->width;
  if (n > t->cells_cap) {
    const char **p = realloc(t->cells, n * sizeof *p);
    if (!p) return hz_fail(e, HZ_ENOMEM, NULL, "内存不足");
    t->cells = p;
    t->cells_cap = n;
  }
  for (size_t c = 0; c < n; c++) {
    if (c < t->col_used && t->col_off[c] != SIZE_MAX) {
      char *s = t->text.data + t->col_off[c];
      if (t->opts.unguard) cell_unguard(s);
      t->cells[c] = s;
    } else {
      t->cells[c] = "";
    }
  }
  t->row.cells = t->cells;
  t->row.ncells = n;
  return HZ_OK;
}

static int table_read(Table *t, TableRow **row, HzErr *e) {
  int got = 0;
  int rc = t->read_row(t, &got, e);
  *row = (!rc && got) ? &t->row : NULL;
  return rc;
}

int table_header(Table *t, TableRow **row, HzErr *e) {
  *row = NULL;
  if (t->header_done) return hz_fail(e, HZ_EINVAL, NULL, "表头已经读过");
  t->header_done = 1;
  int rc = table_read(t, row, e);
  if (rc) return rc;
  if (!*row) {
    if (t->format == TABLE_XLSX)
      return hz_fail(e, HZ_EINVAL, "file", "%s的工作表“%s”是空的：没有表头，也没有数据",
                     table_display_name(t), t->sheet_name ? t->sheet_name : "");
    return hz_fail(e, HZ_EINVAL, "file", "%s是空的：没有表头，也没有数据", table_display_name(t));
  }
  t->width = (*row)->ncells;
  return HZ_OK;
}

int table_next(Table *t, TableRow **row, HzErr *e) {
  *row = NULL;
  if (!t->header_done) return hz_fail(e, HZ_EINVAL, NULL, "请先读表头");
  return table_read(t, row, e);
}

TableFormat table_format(const Table *t) { return t->format; }
int table_converted(const Table *t) { return t->converted; }
const char *table_sheet_name(const Table *t) {
  return t->format == TABLE_XLSX ? t->sheet_name : NULL;
}

void table_progress(const Table *t, uint64_t *done, uint64_t *total) {
  *done = t->done;
  *total = t->total;
}

void table_ref(const TableRow *row, size_t col, char *out, size_t n) {
  cell_ref(col, row->line, out, n);
}

void table_free(Table *t) {
  if (!t) return;
  if (t->free_impl) t->free_impl(t);
  if (t->fp) fclose(t->fp);
  buf_free(&t->text);
  free(t->col_off);
  free(t->cells);
  free(t->filename);
  free(t->sheet_name);
  free(t);
}
