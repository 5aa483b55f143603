/* io/csv_write: CSV for exports (see csv_write.h). Output is buffered 64 KiB at a time. */
#include "io/csv_write.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CSV_OUT_CHUNK 65536

struct CsvWriter {
  CsvSink sink;
  void *ctx;
  FILE *fp;     /* csv_write_new_file's file, closed by csv_write_close */
  char *path;
  char *buf;
  size_t len;
  int rc;       /* the first failure; later calls return it */
};

static int csv_write_file_sink(void *ctx, const void *data, size_t len) {
  return fwrite(data, 1, len, ctx) == len ? HZ_OK : HZ_EIO;
}

static int csv_write_buf_sink(void *ctx, const void *data, size_t len) {
  return buf_append(ctx, data, len);
}

static int csv_write_flush(CsvWriter *w, HzErr *e) {
  if (w->rc) return w->rc;
  if (!w->len) return HZ_OK;
  int rc = w->sink(w->ctx, w->buf, w->len);
  w->len = 0;
  if (rc) w->rc = hz_fail(e, rc, NULL, rc == HZ_EIO ? "写入 CSV 文件失败：%s" : "写入 CSV 失败%s",
                          rc == HZ_EIO ? strerror(errno) : "");
  return w->rc;
}

static int csv_write_put(CsvWriter *w, const char *s, size_t n, HzErr *e) {
  while (n) {
    if (w->len == CSV_OUT_CHUNK && csv_write_flush(w, e)) return w->rc;
    size_t k = CSV_OUT_CHUNK - w->len < n ? CSV_OUT_CHUNK - w->len : n;
    memcpy(w->buf + w->len, s, k);
    w->len += k;
    s += k;
    n -= k;
  }
  return HZ_OK;
}

int csv_write_new(CsvSink sink, void *ctx, CsvWriter **out, HzErr *e) {
  *out = NULL;
  CsvWriter *w = calloc(1, sizeof *w);
  if (w) w->buf = malloc(CSV_OUT_CHUNK);
  if (!w || !w->buf) {
    free(w);
    return hz_fail(e, HZ_ENOMEM, NULL, "内存不足");
  }
  w->sink = sink;
  w->ctx = ctx;
  csv_write_put(w, "\xEF\xBB\xBF", 3, e);
  *out = w;
  return HZ_OK;
}

int csv_write_new_file(const char *path, CsvWriter **out, HzErr *e) {
  *out = NULL;
  FILE *fp = fopen(path, "wb");
  if (!fp) return hz_fail(e, HZ_EIO, "file", "无法创建 %s：%s", path, strerror(errno));
  int rc = csv_write_new(csv_write_file_sink, fp, out, e);
  if (rc) {
    fclose(fp);
    return rc;
  }
  (*out)->fp = fp;
  return HZ_OK;
}

int csv_write_new_buf(Buf *b, CsvWriter **out, HzErr *e) {
  return csv_write_new(csv_write_buf_sink, b, out, e);
}

static int csv_write_text(CsvWriter *w, const char *text, HzErr *e) {
  int guard = cell_needs_guard(text);
  int quote = text[strcspn(text, ",\"\r\n")] != 0;
  if (quote) csv_write_put(w, "\"", 1, e);
  if (guard) csv_write_put(w, "'", 1, e);
  if (!quote) return csv_write_put(w, text, strlen(text), e);
  for (const char *p = text; *p;) {
    const char *q = strchr(p, '"');
    size_t n = q ? (size_t)(q - p) + 1 : strlen(p);
    csv_write_put(w, p, n, e);
    if (q) csv_write_put(w, "\"", 1, e); /* a quote inside is doubled */
    p += n;
  }
  return csv_write_put(w, "\"", 1, e);
}

int csv_write_row(CsvWriter *w, const Cell *cells, size_t n, HzErr *e) {
  if (w->rc) return w->rc;
  char num[40];
  for (size_t i = 0; i < n; i++) {
    if (i) csv_write_put(w, ",", 1, e);
    switch (cells[i].kind) {
    case CELL_TEXT:
    case CELL_DATE:
      if (cells[i].text) csv_write_text(w, cells[i].text, e);
      break;
    case CELL_INT:
      snprintf(num, sizeof num, "%lld", (long long)cells[i].i);
      csv_write_put(w, num, strlen(num), e);
      break;
    case CELL_DEC:
      cell_format_dec(cells[i].i, cells[i].scale, num, sizeof num);
      csv_write_put(w, num, strlen(num), e);
      break;
    case CELL_EMPTY:
      break;
    }
  }
  csv_write_put(w, "\r\n", 2, e);
  return w->rc;
}

int csv_write_texts(CsvWriter *w, const char *const *texts, size_t n, HzErr *e) {
  if (w->rc) return w->rc;
  for (size_t i = 0; i < n; i++) {
    if (i) csv_write_put(w, ",", 1, e);
    if (texts[i]) csv_write_text(w, texts[i], e);
  }
  csv_write_put(w, "\r\n", 2, e);
  return w->rc;
}

int csv_write_close(CsvWriter *w, HzErr *e) {
  if (!w) return HZ_OK;
  int rc = csv_write_flush(w, e);
  if (w->fp && fclose(w->fp) != 0 && !rc) rc = hz_fail(e, HZ_EIO, NULL, "写入 CSV 文件失败：%s", strerror(errno));
  free(w->buf);
  free(w);
  return rc;
}
