/* io/table_csv: the CSV reader. A first pass over the file settles the encoding (UTF-8,
 * or GBK/GB18030 as Excel/WPS on Chinese Windows save it, converted with iconv; anything
 * else is refused with the place of the first bad byte); the second pass parses RFC 4180
 * records in 64 KiB chunks, so memory does not grow with the file. */
#include "io/table_impl.h"
#include "io/cell.h"
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#define CSV_CHUNK 65536

typedef struct {
  char *buf;            /* decoded UTF-8 text: buf[pos..len) not yet parsed */
  size_t len, pos;
  int eof;
  unsigned char *raw;   /* GBK: bytes read but not yet converted (an incomplete character) */
  size_t rawlen;
  iconv_t cd;
  int skip_bom;         /* the first 3 bytes are a UTF-8 BOM */
  char delim;
  uint32_t line;
  int skip_lf;          /* the last record ended with CR: a LF right after belongs to it */
} Csv;

/* Bytes of s[0..n) that are whole, valid UTF-8 sequences. *bad = 1 when it stopped at an
 * invalid byte, 0 when at the end or at a sequence the next chunk may complete. */
static size_t csv_utf8_scan(const unsigned char *s, size_t n, int *bad) {
  size_t i = 0;
  *bad = 0;
  while (i < n) {
    unsigned c = s[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    size_t len;
    unsigned lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) len = 2;
    else if (c >= 0xE0 && c <= 0xEF) len = 3, lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
    else if (c >= 0xF0 && c <= 0xF4) len = 4, lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
    else {
      *bad = 1;
      return i;
    }
    for (size_t k = 1; k < len; k++) {
      if (i + k >= n) return i;
      unsigned b = s[i + k];
      if (k == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF)) {
        *bad = 1;
        return i;
      }
    }
    i += len;
  }
  return i;
}

static int csv_nul(Table *t, uint64_t line, HzErr *e) {
  return hz_fail(e, HZ_EMEDIA, "file", "%s第 %llu 行含有 NUL 字节，不是文本（CSV）文件",
                 table_display_name(t), (unsigned long long)line);
}

static uint64_t csv_count_lines(const unsigned char *s, size_t n) {
  uint64_t k = 0;
  for (const unsigned char *p = s; (p = memchr(p, '\n', (size_t)(s + n - p))); p++) k++;
  return k;
}

/* Is the whole source valid GB18030 (GBK's superset) without NUL? */
static int csv_is_gbk(Table *t, unsigned char *in, HzErr *e) {
  int ok = 0;
  iconv_t cd = iconv_open("UTF-8", "GB18030");
  char *out = malloc(CSV_CHUNK * 2 + 16);
  if (cd == (iconv_t)-1 || !out) goto done;
  if (table_src_rewind(t, e)) goto done;
  size_t carry = 0;
  for (;;) {
    long n = table_src_read(t, in + carry, CSV_CHUNK, e);
    if (n < 0) goto done;
    if (n == 0) {
      ok = carry == 0;
      break;
    }
    if (memchr(in + carry, 0, (size_t)n)) goto done;
    char *ip = (char *)in;
    size_t il = carry + (size_t)n;
    while (il) {
      char *op = out;
      size_t ol = CSV_CHUNK * 2 + 16;
      if (iconv(cd, &ip, &il, &op, &ol) != (size_t)-1) continue;
      if (errno == E2BIG) continue;
      if (errno != EINVAL) goto done; /* EILSEQ: not GB18030 */
      break;                          /* a character cut by the chunk: carry it */
    }
    memmove(in, ip, il);
    carry = il;
  }
done:
  if (cd != (iconv_t)-1) iconv_close(cd);
  free(out);
  return ok;
}

/* First pass: UTF-8 (with or without BOM) or GBK; refuses UTF-16, NUL bytes and the rest. */
static int csv_check_encoding(Table *t, Csv *c, HzErr *e) {
  int rc = HZ_OK;
  unsigned char *in = malloc(CSV_CHUNK + 8);
  if (!in) return hz_fail(e, HZ_ENOMEM, NULL, "内存不足");
  size_t carry = 0, content = 0;
  uint64_t line = 1, offset = 0;
  int first = 1, bad = 0;
  for (;;) {
    long n = table_src_read(t, in + carry, CSV_CHUNK, e);
    if (n < 0) { rc = HZ_EIO; goto done; }
    size_t have = carry + (size_t)n, start = 0;
    if (first) {
      first = 0;
      if (have >= 2 && ((in[0] == 0xFF && in[1] == 0xFE) || (in[0] == 0xFE && in[1] == 0xFF))) {
        rc = hz_fail(e, HZ_EMEDIA, "file",
                     "%s是 UTF-16 编码（Excel 的“Unicode 文本”）：请另存为“CSV UTF-8（逗号分隔）”"
                     "或 Excel 工作簿（.xlsx）后再导入", table_display_name(t));
        goto done;
      }
      if (have >= 3 && in[0] == 0xEF && in[1] == 0xBB && in[2] == 0xBF) c->skip_bom = 1, start = 3;
    }
    if (n == 0) {
      if (carry) bad = 1; /* the file ends inside a character */
      break;
    }
    size_t ok = csv_utf8_scan(in + start, have - start, &bad) + start;
    const unsigned char *nul = memchr(in + start, 0, ok - start);
    if (nul) {
      rc = csv_nul(t, line + csv_count_lines(in, (size_t)(nul - in)), e);
      goto done;
    }
    content += ok - start;
    if (bad) {
      line += csv_count_lines(in, ok);
      offset += ok;
      break;
    }
    line += csv_count_lines(in, ok);
    offset += ok;
    carry = have - ok;
    if (carry > 3) { bad = 1; break; }
    memmove(in, in + ok, carry);
  }
  if (!bad) {
    if (!content) rc = hz_fail(e, HZ_EINVAL, "file", "%s是空的：没有表头，也没有数据", table_display_name(t));
    goto done;
  }
  if (!c->skip_bom && csv_is_gbk(t, in, e)) {
    c->cd = iconv_open("UTF-8", "GB18030");
    if (c->cd == (iconv_t)-1) {
      rc = hz_fail(e, HZ_EIO, NULL, "无法转换 GBK 编码：%s", strerror(errno));
      goto done;
    }
    t->converted = 1;
    goto done;
  }
  if (e && e->rc == HZ_EIO) { rc = HZ_EIO; goto done; }
  rc = hz_fail(e, HZ_EINVAL, "file",
               "%s不是有效的 UTF-8 文本（也不是 GBK）：第 %llu 行、第 %llu 字节处有无法识别的字节。"
               "请另存为“CSV UTF-8（逗号分隔）”或 Excel 工作簿（.xlsx）", table_display_name(t),
               (unsigned long long)line, (unsigned long long)offset + 1);
done:
  free(in);
  return rc;
}

/* Refills buf when it is used up. Returns bytes available (0 at the end) or -1. */
static long csv_avail(Table *t, Csv *c, HzErr *e) {
  while (c->pos == c->len && !c->eof) {
    c->pos = c->len = 0;
    if (c->cd == (iconv_t)-1) {
      long n = table_src_read(t, c->buf, CSV_CHUNK, e);
      if (n < 0) return -1;
      if (n == 0) c->eof = 1;
      c->len = (size_t)n;
      if (c->skip_bom && n) { /* the check pass made sure the first chunk holds all 3 bytes */
        c->skip_bom = 0;
        c->pos = 3;
      }
      continue;
    }
    long n = table_src_read(t, c->raw + c->rawlen, CSV_CHUNK, e);
    if (n < 0) return -1;
    if (n == 0) {
      c->eof = 1;
      break;
    }
    char *ip = (char *)c->raw, *op = c->buf;
    size_t il = c->rawlen + (size_t)n, ol = CSV_CHUNK * 2 + 16;
    if (iconv(c->cd, &ip, &il, &op, &ol) == (size_t)-1 && errno != EINVAL) {
      hz_fail(e, HZ_EINVAL, "file", "%s的 GBK 编码在读取中出错：%s", table_display_name(t), strerror(errno));
      return -1;
    }
    memmove(c->raw, ip, il);
    c->rawlen = il;
    c->len = (size_t)(op - c->buf);
  }
  return (long)(c->len - c->pos);
}

/* The delimiter the first line with text uses most outside quotes: , then TAB then ; on a tie. */
static void csv_guess_delim(Csv *c) {
  size_t n[3] = {0, 0, 0};
  int q = 0;
  size_t i = c->pos;
  while (i < c->len && (c->buf[i] == '\r' || c->buf[i] == '\n')) i++; /* blank lines first */
  for (; i < c->len; i++) {
    char ch = c->buf[i];
    if (ch == '"') q = !q;
    else if (!q && (ch == '\n' || ch == '\r')) break;
    else if (!q) n[0] += ch == ',', n[1] += ch == '\t', n[2] += ch == ';';
  }
  c->delim = (n[1] > n[0] && n[1] >= n[2]) ? '\t' : (n[2] > n[0] && n[2] > n[1]) ? ';' : ',';
}

#define CSV_AVAIL()                                         \
  do {                                                      \
    if ((avail = csv_avail(t, c, e)) < 0) return e ? e->rc : HZ_EIO; \
  } while (0)

static int csv_read_row(Table *t, int *got, HzErr *e) {
  Csv *c = t->impl;
  int rc;
  long avail;
  *got = 0;
  for (;;) {
    CSV_AVAIL();
    if (c->skip_lf) {
      c->skip_lf = 0;
      if (avail > 0 && c->buf[c->pos] == '\n') {
        c->pos++;
        continue;
      }
    }
    if (avail == 0) return HZ_OK;
    if (!c->delim) csv_guess_delim(c);
    c->line++;
    table_row_begin(t, c->line);
    int end = 0;
    for (size_t col = 0; !end; col++) {
      if ((rc = table_cell_begin(t, col, e))) return rc;
      CSV_AVAIL();
      if (avail > 0 && c->buf[c->pos] == '"') {
        c->pos++;
        for (;;) {
          CSV_AVAIL();
          if (avail == 0) {
            char ref[16];
            cell_ref(col, c->line, ref, sizeof ref);
            return hz_fail(e, HZ_EINVAL, "file", "%s第 %u 行（%s）开始的引号一直到文件末尾都没有闭合",
                           table_display_name(t), (unsigned)c->line, ref);
          }
          char *s = c->buf + c->pos, *q = memchr(s, '"', (size_t)avail);
          if (!q) {
            if ((rc = table_cell_append(t, s, (size_t)avail, e))) return rc;
            c->pos = c->len;
            continue;
          }
          if ((rc = table_cell_append(t, s, (size_t)(q - s), e))) return rc;
          c->pos += (size_t)(q - s) + 1;
          CSV_AVAIL();
          if (avail > 0 && c->buf[c->pos] == '"') { /* "" inside quotes is one quote */
            if ((rc = table_cell_append(t, "\"", 1, e))) return rc;
            c->pos++;
            continue;
          }
          break;
        }
      }
      /* unquoted text, or text after a closing quote (kept, as Excel does) */
      for (;;) {
        CSV_AVAIL();
        if (avail == 0) {
          end = 1;
          break;
        }
        size_t i = c->pos;
        while (i < c->len && c->buf[i] != c->delim && c->buf[i] != '\n' && c->buf[i] != '\r') i++;
        if ((rc = table_cell_append(t, c->buf + c->pos, i - c->pos, e))) return rc;
        c->pos = i;
        if (i == c->len) continue;
        char ch = c->buf[c->pos++];
        if (ch == '\r') c->skip_lf = 1;
        if (ch != c->delim) end = 1;
        break;
      }
      if ((rc = table_cell_end(t, e))) return rc;
    }
    int blank;
    if ((rc = table_row_end(t, &blank, e))) return rc;
    if (!blank) {
      *got = 1;
      return HZ_OK;
    }
  }
}

static void csv_free(Table *t) {
  Csv *c = t->impl;
  if (!c) return;
  if (c->cd != (iconv_t)-1) iconv_close(c->cd);
  free(c->buf);
  free(c->raw);
  free(c);
  t->impl = NULL;
}

int table_csv_open(Table *t, HzErr *e) {
  int rc = HZ_OK;
  Csv *c = calloc(1, sizeof *c);
  if (!c) return hz_fail(e, HZ_ENOMEM, NULL, "内存不足");
  c->cd = (iconv_t)-1;
  t->impl = c;
  t->free_impl = csv_free;
  t->read_row = csv_read_row;
  c->buf = malloc(CSV_CHUNK * 2 + 16);
  c->raw = malloc(CSV_CHUNK + 16);
  if (!c->buf || !c->raw) return hz_fail(e, HZ_ENOMEM, NULL, "内存不足");
  if ((rc = csv_check_encoding(t, c, e))) return rc;
  return table_src_rewind(t, e);
}
