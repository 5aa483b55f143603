/* io/xlsx_write: XLSX for exports over libxlsxwriter (see xlsx_write.h). */
#include "io/xlsx_write.h"
#include "util/buf.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#define XW_MAX_WIDTH 60.0
#define XW_LIST_INLINE 255 /* Excel's limit on a list written into the validation itself */

typedef struct {
  size_t col;
  char **items;
  size_t n;
  lxw_worksheet *ws;
} XwList;

struct XlsxWriter {
  lxw_workbook *wb;
  lxw_worksheet *ws;
  lxw_format *bold, *bad, *date, *dec[7], *bad_dec[7];
  uint32_t row;          /* next row to write */
  double *width;         /* per column of the current sheet, in character units */
  size_t nwidth;
  XwList *lists;         /* long lists, written to the hidden sheet at close */
  size_t nlists;
  size_t list_cols;      /* columns used on the hidden sheet */
  int rc;
  Buf tmp;
};

static int xw_fail(XlsxWriter *w, HzErr *e, lxw_error err, const char *what) {
  int rc = err == LXW_ERROR_MEMORY_MALLOC_FAILED ? HZ_ENOMEM
           : err == LXW_ERROR_CREATING_XLSX_FILE || err == LXW_ERROR_CREATING_TMPFILE ||
                   err == LXW_ERROR_ZIP_FILE_OPERATION || err == LXW_ERROR_ZIP_FILE_ADD ||
                   err == LXW_ERROR_ZIP_CLOSE
               ? HZ_EIO
               : HZ_EINVAL;
  if (!w->rc) w->rc = hz_fail(e, rc, NULL, "写入 XLSX 失败（%s）：%s", what, lxw_strerror(err));
  return w->rc;
}

static lxw_format *xw_dec_format(XlsxWriter *w, int scale, int bad) {
  if (scale < 0) scale = 0;
  if (scale > 6) scale = 6;
  lxw_format **slot = bad ? &w->bad_dec[scale] : &w->dec[scale];
  if (!*slot) {
    char code[16] = "0";
    if (scale) snprintf(code, sizeof code, "0.%.*s", scale, "000000");
    *slot = workbook_add_format(w->wb);
    format_set_num_format(*slot, code);
    if (bad) format_set_bg_color(*slot, 0xFFC7CE), format_set_font_color(*slot, 0x9C0006);
  }
  return *slot;
}

static void xw_apply_widths(XlsxWriter *w) {
  for (size_t c = 0; c < w->nwidth; c++)
    if (w->width[c] > 0) {
      double wd = w->width[c] + 2;
      worksheet_set_column(w->ws, (lxw_col_t)c, (lxw_col_t)c, wd > XW_MAX_WIDTH ? XW_MAX_WIDTH : wd, NULL);
    }
  w->nwidth = 0;
}

static void xw_note_width(XlsxWriter *w, size_t col, double units) {
  if (col >= w->nwidth) {
    size_t n = col + 16;
    double *p = realloc(w->width, n * sizeof *p);
    if (!p) return; /* only the looks suffer */
    for (size_t c = w->nwidth; c < n; c++) p[c] = 0;
    w->width = p;
    w->nwidth = n;
  }
  if (units > w->width[col]) w->width[col] = units;
}

int xlsx_write_open(const char *path, const XlsxWriteOpts *opts, XlsxWriter **out, HzErr *e) {
  *out = NULL;
  XlsxWriter *w = calloc(1, sizeof *w);
  if (!w) return hz_fail(e, HZ_ENOMEM, NULL, "内存不足");
  buf_init(&w->tmp, 0);
  lxw_workbook_options o = {.constant_memory = LXW_TRUE,
                            .tmpdir = opts && opts->tmpdir ? (char *)opts->tmpdir : NULL,
                            .use_zip64 = opts && opts->zip64 ? LXW_TRUE : LXW_FALSE};
  w->wb = workbook_new_opt(path, &o);
  if (!w->wb) {
    free(w);
    return hz_fail(e, HZ_ENOMEM, NULL, "内存不足");
  }
  w->bold = workbook_add_format(w->wb);
  format_set_bold(w->bold);
  format_set_bg_color(w->bold, 0xDDEBF7);
  format_set_border(w->bold, LXW_BORDER_THIN);
  w->date = workbook_add_format(w->wb);
  format_set_num_format(w->date, "yyyy-mm-dd");
  w->bad = workbook_add_format(w->wb);
  format_set_bg_color(w->bad, 0xFFC7CE);
  format_set_font_color(w->bad, 0x9C0006);
  *out = w;
  int rc = xlsx_write_sheet(w, opts && opts->sheet ? opts->sheet : "Sheet1", e);
  if (rc) {
    xlsx_write_close(w, NULL);
    *out = NULL;
  }
  return rc;
}

int xlsx_write_sheet(XlsxWriter *w, const char *name, HzErr *e) {
  if (w->rc) return w->rc;
  lxw_error err = workbook_validate_sheet_name(w->wb, name);
  if (err)
    return w->rc = hz_fail(e, HZ_EINVAL, "sheet", "工作表名“%s”不可用：%s（最多 31 个字符，不能含 []:*?/\\，不能重复）",
                           name, lxw_strerror(err));
  if (w->ws) xw_apply_widths(w);
  w->ws = workbook_add_worksheet(w->wb, name);
  if (!w->ws) return xw_fail(w, e, LXW_ERROR_MEMORY_MALLOC_FAILED, name);
  w->row = 0;
  return HZ_OK;
}

/* Text as libxlsxwriter must get it: guarded, and a literal "_xHHHH_" protected as
 * "_x005F_xHHHH_" (a reader would otherwise decode it as an escaped character). */
static const char *xw_text(XlsxWriter *w, const char *text) {
  const char *s = text;
  buf_reset(&w->tmp);
  if (cell_needs_guard(text) && buf_append(&w->tmp, "'", 1)) return text;
  for (const char *p = text; (p = strstr(p, "_x")); p++) {
    if (strlen(p) < 7 || p[6] != '_' || strspn(p + 2, "0123456789abcdefABCDEF") < 4) continue;
    if (buf_append(&w->tmp, s, (size_t)(p - s)) || buf_puts(&w->tmp, "_x005F_")) return text;
    s = p + 1; /* the "x..." after the escaped underscore */
  }
  if (!w->tmp.len) return text;
  if (buf_puts(&w->tmp, s)) return text;
  return w->tmp.data;
}

static int xw_cell(XlsxWriter *w, size_t col, const Cell *c, lxw_format *fmt_text, HzErr *e) {
  lxw_error err = LXW_NO_ERROR;
  char num[40];
  lxw_col_t lc = (lxw_col_t)col;
  int bad = c->note != NULL;
  lxw_format *f = bad ? w->bad : fmt_text;
  switch (c->kind) {
  case CELL_DATE: {
    int y, m, d;
    char tail;
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (!bad && c->text && strlen(c->text) == 10 && sscanf(c->text, "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3 &&
        y >= 1900 && m >= 1 && m <= 12 && d >= 1 && d <= mdays[m - 1] &&
        (m != 2 || d < 29 || (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))) {
      lxw_datetime dt = {.year = y, .month = m, .day = d};
      err = worksheet_write_datetime(w->ws, w->row, lc, &dt, w->date);
      xw_note_width(w, col, 10);
      break;
    }
    /* not a day: written as the text it is */
  }
  /* fall through */
  case CELL_TEXT: {
    const char *s = xw_text(w, c->text ? c->text : "");
    err = worksheet_write_string(w->ws, w->row, lc, s, f);
    xw_note_width(w, col, (double)cell_display_width(s));
    break;
  }
  case CELL_INT:
    if (c->i > -1000000000000000LL && c->i < 1000000000000000LL) { /* 15 digits: exact in Excel */
      err = worksheet_write_number(w->ws, w->row, lc, (double)c->i, f);
    } else {
      snprintf(num, sizeof num, "%lld", (long long)c->i);
      err = worksheet_write_string(w->ws, w->row, lc, num, f);
    }
    snprintf(num, sizeof num, "%lld", (long long)c->i);
    xw_note_width(w, col, (double)strlen(num));
    break;
  case CELL_DEC:
    cell_format_dec(c->i, c->scale, num, sizeof num);
    err = worksheet_write_number(w->ws, w->row, lc, strtod(num, NULL), xw_dec_format(w, c->scale, bad));
    xw_note_width(w, col, (double)strlen(num));
    break;
  case CELL_EMPTY:
    if (bad) err = worksheet_write_blank(w->ws, w->row, lc, f);
    break;
  }
  if (!err && bad) {
    lxw_comment_options co = {.width = 240, .height = 90};
    err = worksheet_write_comment_opt(w->ws, w->row, lc, (char *)c->note, &co);
  }
  if (err) {
    char what[64];
    cell_ref(col, w->row + 1, what, sizeof what);
    return xw_fail(w, e, err, what);
  }
  return HZ_OK;
}

int xlsx_write_header(XlsxWriter *w, const char *const *names, size_t n, HzErr *e) {
  if (w->rc) return w->rc;
  if (w->row != 0) return w->rc = hz_fail(e, HZ_EINVAL, NULL, "表头必须是第一行");
  for (size_t c = 0; c < n; c++) {
    Cell cell = {.kind = CELL_TEXT, .text = names[c] ? names[c] : ""};
    if (xw_cell(w, c, &cell, w->bold, e)) return w->rc;
  }
  worksheet_freeze_panes(w->ws, 1, 0);
  w->row = 1;
  return HZ_OK;
}

int xlsx_write_list(XlsxWriter *w, size_t col, const char *const *items, size_t n, HzErr *e) {
  if (w->rc) return w->rc;
  size_t chars = 0;
  int comma = 0;
  for (size_t i = 0; i < n; i++) {
    chars += cell_display_width(items[i]) + 1; /* an upper bound on characters */
    comma |= strchr(items[i], ',') != NULL || strchr(items[i], '"') != NULL;
  }
  lxw_data_validation dv = {.validate = LXW_VALIDATION_TYPE_LIST,
                            .error_type = LXW_VALIDATION_ERROR_TYPE_STOP,
                            .error_title = "无效的值",
                            .error_message = "请从下拉列表中选择一项"};
  char formula[80];
  char **list = calloc(n + 1, sizeof *list);
  if (!list) return w->rc = hz_fail(e, HZ_ENOMEM, NULL, "内存不足");
  for (size_t i = 0; i < n; i++)
    if (!(list[i] = strdup(items[i]))) {
      for (size_t k = 0; k < i; k++) free(list[k]);
      free(list);
      return w->rc = hz_fail(e, HZ_ENOMEM, NULL, "内存不足");
    }
  if (chars <= XW_LIST_INLINE && !comma) {
    dv.value_list = list;
  } else {
    XwList *l = realloc(w->lists, (w->nlists + 1) * sizeof *l);
    if (!l) {
      for (size_t k = 0; k < n; k++) free(list[k]);
      free(list);
      return w->rc = hz_fail(e, HZ_ENOMEM, NULL, "内存不足");
    }
    w->lists = l;
    char name[8];
    cell_col_name(w->list_cols, name, sizeof name);
    snprintf(formula, sizeof formula, "=lists!$%s$1:$%s$%zu", name, name, n ? n : 1);
    w->lists[w->nlists++] = (XwList){.col = w->list_cols++, .items = list, .n = n};
    dv.validate = LXW_VALIDATION_TYPE_LIST_FORMULA;
    dv.value_formula = formula;
    list = NULL; /* kept until close */
  }
  lxw_error err = worksheet_data_validation_range(w->ws, 1, (lxw_col_t)col, LXW_ROW_MAX - 1, (lxw_col_t)col, &dv);
  if (list) {
    for (size_t k = 0; k < n; k++) free(list[k]);
    free(list);
  }
  return err ? xw_fail(w, e, err, "下拉列表") : HZ_OK;
}

int xlsx_write_row(XlsxWriter *w, const Cell *cells, size_t n, HzErr *e) {
  if (w->rc) return w->rc;
  if (w->row >= LXW_ROW_MAX)
    return w->rc = hz_fail(e, HZ_ETOOBIG, NULL, "超过 XLSX 的 %u 行上限", (unsigned)LXW_ROW_MAX);
  for (size_t c = 0; c < n; c++)
    if (xw_cell(w, c, &cells[c], NULL, e)) return w->rc;
  w->row++;
  return HZ_OK;
}

/* The long drop-down lists, one column each, on a hidden sheet written row by row. */
static int xw_write_lists(XlsxWriter *w, HzErr *e) {
  if (!w->nlists) return HZ_OK;
  lxw_worksheet *ws = workbook_add_worksheet(w->wb, "lists");
  if (!ws) return xw_fail(w, e, LXW_ERROR_MEMORY_MALLOC_FAILED, "lists");
  size_t rows = 0;
  for (size_t i = 0; i < w->nlists; i++)
    if (w->lists[i].n > rows) rows = w->lists[i].n;
  for (size_t r = 0; r < rows; r++)
    for (size_t i = 0; i < w->nlists; i++)
      if (r < w->lists[i].n) {
        lxw_error err = worksheet_write_string(ws, (lxw_row_t)r, (lxw_col_t)w->lists[i].col, w->lists[i].items[r], NULL);
        if (err) return xw_fail(w, e, err, "lists");
      }
  worksheet_hide(ws);
  return HZ_OK;
}

int xlsx_write_close(XlsxWriter *w, HzErr *e) {
  if (!w) return HZ_OK;
  if (w->ws) xw_apply_widths(w);
  if (!w->rc) xw_write_lists(w, e);
  lxw_error err = workbook_close(w->wb); /* writes the file, frees the workbook */
  if (err && !w->rc) xw_fail(w, e, err, "保存文件");
  int rc = w->rc;
  for (size_t i = 0; i < w->nlists; i++) {
    for (size_t k = 0; k < w->lists[i].n; k++) free(w->lists[i].items[k]);
    free(w->lists[i].items);
  }
  free(w->lists);
  free(w->width);
  buf_free(&w->tmp);
  free(w);
  return rc;
}
