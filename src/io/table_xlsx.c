/* io/table_xlsx: the XLSX reader, over libzip and expat. It follows the package's
 * relationships to the workbook, its sheets, shared strings and styles (not fixed paths),
 * loads the shared strings and the date formats whole, looks once through the sheet for
 * merged cells (they are written after the rows), then streams the sheet XML one row at
 * a time: expat is suspended at each row's end and resumed on the next call. */
#define _GNU_SOURCE /* memmem */
#include "io/table_impl.h"
#include "io/cell.h"
#include "util/text.h"
#include "util/timeutil.h"
#include <ctype.h>
#include <expat.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zip.h>

#define XLSX_CHUNK 65536
#define XLSX_TAIL_MAX (16u << 20) /* the part of a sheet after its rows we keep to find merges */

typedef struct { char *id, *type, *target; } XlsxRel;
typedef struct { char *name, *rid, *state; } XlsxSheet;
typedef struct { uint32_t r1, r2; char ref[48]; } XlsxMerge;
typedef struct { unsigned id; unsigned char kind; } XlsxFmt;

enum { XF_PLAIN = 0, XF_DATE = 1, XF_TIME = 2, XF_DATETIME = 3 };

typedef struct {
  Table *t;
  zip_t *za;
  HzErr *e;
  int rc;                 /* set by a handler that stopped the parser */
  const char *part;       /* the part being parsed, for messages */
  /* relationships of the part being parsed */
  XlsxRel *rels;
  size_t nrels;
  XlsxSheet *sheets;
  size_t nsheets;
  int date1904;
  /* shared strings: Buf of NUL-terminated strings, offsets */
  Buf sst;
  size_t *sst_off;
  size_t nsst, sst_cap;
  int in_si, in_t, in_rph, in_is, in_v, in_f;
  /* styles */
  XlsxFmt *fmts;
  size_t nfmts;
  unsigned char *xf_kind;
  size_t nxf, xf_cap;
  int in_numfmts, in_cellxfs;
  /* merges */
  XlsxMerge *merges;
  size_t nmerges;
  /* the sheet stream */
  char *sheet_part;
  zip_file_t *zf;
  XML_Parser p;
  int suspended, input_done;
  uint32_t rowno;
  size_t next_col, col;
  char ctype[12];
  size_t cstyle;
  int has_v, has_f, in_c;
  Buf val;
} Xlsx;

static const char *xl_local(const char *name) {
  const char *c = strrchr(name, ':');
  return c ? c + 1 : name;
}

static const char *xl_attr(const char **atts, const char *local) {
  for (size_t i = 0; atts[i]; i += 2)
    if (strcmp(xl_local(atts[i]), local) == 0) return atts[i + 1];
  return NULL;
}

static int xl_oom(Xlsx *x) {
  x->rc = hz_fail(x->e, HZ_ENOMEM, NULL, "内存不足");
  return x->rc;
}

/* Stops the parser from inside a handler with x->rc already set. */
static void xl_abort(Xlsx *x) { XML_StopParser(x->p, XML_FALSE); }

static int xl_damaged(Xlsx *x, const char *what) {
  return hz_fail(x->e, HZ_EMEDIA, "file", "%s已损坏，无法作为 XLSX 读取（%s）：请在 Excel/WPS 中打开并另存为 .xlsx 后再导入",
                 table_display_name(x->t), what);
}

/* "xl/workbook.xml" + "worksheets/sheet1.xml" -> "xl/worksheets/sheet1.xml"; "/x" -> "x";
 * ".." and "." resolved. Caller frees. */
static char *xl_resolve(const char *base_part, const char *target) {
  size_t bl = 0;
  if (target[0] == '/') target++;
  else {
    const char *slash = strrchr(base_part, '/');
    bl = slash ? (size_t)(slash - base_part) + 1 : 0;
  }
  size_t tl = strlen(target);
  char *s = malloc(bl + tl + 1);
  if (!s) return NULL;
  memcpy(s, base_part, bl);
  memcpy(s + bl, target, tl + 1);
  /* normalise segment by segment into out (in place: out never passes in) */
  char *out = s, *in = s;
  while (*in) {
    char *end = strchr(in, '/');
    size_t n = end ? (size_t)(end - in) : strlen(in);
    if (n == 1 && in[0] == '.') {
    } else if (n == 2 && in[0] == '.' && in[1] == '.') {
      if (out > s) {
        out--;
        while (out > s && out[-1] != '/') out--;
      }
    } else if (n) {
      memmove(out, in, n);
      out += n;
      if (end) *out++ = '/';
    }
    in += n + (end ? 1 : 0);
  }
  *out = 0;
  return s;
}

static void xl_doctype(void *ud, const XML_Char *name, const XML_Char *sys, const XML_Char *pub,
                       int has_internal) {
  Xlsx *x = ud;
  x->rc = xl_damaged(x, "XML 含有 DOCTYPE，已拒绝");
  xl_abort(x);
}

static XML_Parser xl_parser(Xlsx *x, XML_StartElementHandler st, XML_EndElementHandler en,
                            XML_CharacterDataHandler cd) {
  XML_Parser p = XML_ParserCreate(NULL);
  if (!p) return NULL;
  XML_SetUserData(p, x);
  XML_SetElementHandler(p, st, en);
  if (cd) XML_SetCharacterDataHandler(p, cd);
  XML_SetStartDoctypeDeclHandler(p, xl_doctype);
  return p;
}

/* The message for an expat failure, naming invalid UTF-8 when that is what it met. */
static int xl_xml_error(Xlsx *x, XML_Parser p) {
  if (x->rc) return x->rc;
  enum XML_Error code = XML_GetErrorCode(p);
  int off = 0, size = 0;
  const char *ctx = XML_GetInputContext(p, &off, &size);
  int bad_utf8 = 0;
  if ((code == XML_ERROR_INVALID_TOKEN || code == XML_ERROR_PARTIAL_CHAR) && ctx && off < size) {
    /* the sequence the byte at the error starts, checked on its own */
    unsigned char b = (unsigned char)ctx[off];
    size_t need = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
    bad_utf8 = b >= 0x80 && (need > (size_t)(size - off) || !utf8_valid(ctx + off, need));
  }
  char what[300];
  snprintf(what, sizeof what, "%s 第 %lu 行第 %lu 列：%s", x->part,
           (unsigned long)XML_GetCurrentLineNumber(p), (unsigned long)XML_GetCurrentColumnNumber(p) + 1,
           bad_utf8 ? "含有无效的 UTF-8 字节" : XML_ErrorString(code));
  x->rc = xl_damaged(x, what);
  return x->rc;
}

static int xl_zip_error(Xlsx *x, zip_error_t *ze) {
  char what[300];
  snprintf(what, sizeof what, "读取 %s 时出错：%s", x->part, zip_error_strerror(ze));
  return xl_damaged(x, what);
}

/* Parses one whole part. HZ_ENOTFOUND (no message) when the part is missing. */
static int xl_parse_part(Xlsx *x, const char *part, XML_StartElementHandler st,
                         XML_EndElementHandler en, XML_CharacterDataHandler cd) {
  int rc = HZ_OK;
  x->part = part;
  x->rc = HZ_OK;
  zip_int64_t idx = zip_name_locate(x->za, part, ZIP_FL_NOCASE);
  if (idx < 0) return HZ_ENOTFOUND;
  zip_file_t *zf = zip_fopen_index(x->za, (zip_uint64_t)idx, 0);
  if (!zf) return xl_zip_error(x, zip_get_error(x->za));
  XML_Parser p = xl_parser(x, st, en, cd);
  if (!p) {
    rc = xl_oom(x);
    goto done;
  }
  x->p = p;
  for (;;) {
    void *b = XML_GetBuffer(p, XLSX_CHUNK);
    if (!b) {
      rc = xl_oom(x);
      goto done;
    }
    zip_int64_t n = zip_fread(zf, b, XLSX_CHUNK);
    if (n < 0) {
      rc = xl_zip_error(x, zip_file_get_error(zf));
      goto done;
    }
    if (XML_ParseBuffer(p, (int)n, n == 0) != XML_STATUS_OK) {
      rc = xl_xml_error(x, p);
      goto done;
    }
    if (n == 0) break;
  }
done:
  x->p = NULL;
  if (p) XML_ParserFree(p);
  zip_fclose(zf);
  return rc;
}

/* ---- relationships ---- */

static void xl_rels_start(void *ud, const XML_Char *name, const XML_Char **atts) {
  Xlsx *x = ud;
  if (x->rc || strcmp(xl_local(name), "Relationship") != 0) return;
  const char *id = xl_attr(atts, "Id"), *type = xl_attr(atts, "Type"), *target = xl_attr(atts, "Target");
  const char *mode = xl_attr(atts, "TargetMode");
  if (!id || !type || !target || (mode && strcmp(mode, "External") == 0)) return;
  XlsxRel *r = realloc(x->rels, (x->nrels + 1) * sizeof *r);
  if (!r) {
    xl_oom(x);
    xl_abort(x);
    return;
  }
  x->rels = r;
  r = &x->rels[x->nrels];
  r->id = strdup(id), r->type = strdup(type), r->target = strdup(target);
  x->nrels++;
  if (!r->id || !r->type || !r->target) {
    xl_oom(x);
    xl_abort(x);
  }
}

static void xl_rels_free(Xlsx *x) {
  for (size_t i = 0; i < x->nrels; i++) free(x->rels[i].id), free(x->rels[i].type), free(x->rels[i].target);
  free(x->rels);
  x->rels = NULL;
  x->nrels = 0;
}

static const XlsxRel *xl_rel_by_type(Xlsx *x, const char *suffix) {
  size_t k = strlen(suffix);
  for (size_t i = 0; i < x->nrels; i++) {
    size_t n = strlen(x->rels[i].type);
    if (n >= k && strcmp(x->rels[i].type + n - k, suffix) == 0) return &x->rels[i];
  }
  return NULL;
}

/* Loads the relationships of part (its _rels/NAME.rels); none is not an error. */
static int xl_load_rels(Xlsx *x, const char *part) {
  xl_rels_free(x);
  const char *slash = strrchr(part, '/');
  size_t dl = slash ? (size_t)(slash - part) + 1 : 0;
  Buf path;
  buf_init(&path, 0);
  int rc = buf_append(&path, part, dl);
  if (!rc) rc = buf_printf(&path, "_rels/%s.rels", part + dl);
  if (rc) {
    buf_free(&path);
    return xl_oom(x);
  }
  rc = xl_parse_part(x, path.data, xl_rels_start, NULL, NULL);
  buf_free(&path);
  return rc == HZ_ENOTFOUND ? HZ_OK : rc;
}

/* ---- workbook ---- */

static void xl_wb_start(void *ud, const XML_Char *name, const XML_Char **atts) {
  Xlsx *x = ud;
  const char *n = xl_local(name);
  if (x->rc) return;
  if (strcmp(n, "workbookPr") == 0) {
    const char *d = xl_attr(atts, "date1904");
    x->date1904 = d && (strcmp(d, "1") == 0 || strcmp(d, "true") == 0);
  } else if (strcmp(n, "sheet") == 0) {
    const char *sn = xl_attr(atts, "name"), *rid = xl_attr(atts, "id"), *state = xl_attr(atts, "state");
    if (!sn || !rid) return;
    XlsxSheet *s = realloc(x->sheets, (x->nsheets + 1) * sizeof *s);
    if (!s) {
      xl_oom(x);
      xl_abort(x);
      return;
    }
    x->sheets = s;
    s = &x->sheets[x->nsheets++];
    s->name = strdup(sn), s->rid = strdup(rid), s->state = strdup(state ? state : "visible");
    if (!s->name || !s->rid || !s->state) {
      xl_oom(x);
      xl_abort(x);
    }
  }
}

/* ---- shared strings and inline text ---- */

static int xl_hex4(const char *s, unsigned *v) {
  *v = 0;
  for (int i = 0; i < 4; i++) {
    char c = s[i];
    unsigned d = (c >= '0' && c <= '9') ? (unsigned)(c - '0')
                 : (c >= 'a' && c <= 'f') ? (unsigned)(c - 'a' + 10)
                 : (c >= 'A' && c <= 'F') ? (unsigned)(c - 'A' + 10) : 16;
    if (d > 15) return 0;
    *v = *v * 16 + d;
  }
  return 1;
}

static size_t xl_put_utf8(char *o, unsigned cp) {
  if (cp < 0x80) return o[0] = (char)cp, 1;
  if (cp < 0x800) return o[0] = (char)(0xC0 | cp >> 6), o[1] = (char)(0x80 | (cp & 0x3F)), 2;
  if (cp < 0x10000)
    return o[0] = (char)(0xE0 | cp >> 12), o[1] = (char)(0x80 | ((cp >> 6) & 0x3F)),
           o[2] = (char)(0x80 | (cp & 0x3F)), 3;
  return o[0] = (char)(0xF0 | cp >> 18), o[1] = (char)(0x80 | ((cp >> 12) & 0x3F)),
         o[2] = (char)(0x80 | ((cp >> 6) & 0x3F)), o[3] = (char)(0x80 | (cp & 0x3F)), 4;
}

/* Undoes OOXML's _xHHHH_ escapes (how Excel stores control characters, and "_x" itself as
 * _x005F_) in s[0..*n), in place. */
static void xl_unescape(char *s, size_t *n) {
  if (!memchr(s, '_', *n)) return;
  size_t i = 0, o = 0;
  while (i < *n) {
    unsigned cp, lo;
    if (i + 7 <= *n && s[i] == '_' && s[i + 1] == 'x' && s[i + 6] == '_' && xl_hex4(s + i + 2, &cp) && cp) {
      if (cp >= 0xD800 && cp <= 0xDBFF && i + 14 <= *n && s[i + 7] == '_' && s[i + 8] == 'x' &&
          s[i + 13] == '_' && xl_hex4(s + i + 9, &lo) && lo >= 0xDC00 && lo <= 0xDFFF) {
        o += xl_put_utf8(s + o, 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00));
        i += 14;
        continue;
      }
      if (cp < 0xD800 || cp > 0xDFFF) {
        o += xl_put_utf8(s + o, cp);
        i += 7;
        continue;
      }
    }
    s[o++] = s[i++];
  }
  *n = o;
  s[o] = 0;
}

static void xl_sst_start(void *ud, const XML_Char *name, const XML_Char **atts) {
  Xlsx *x = ud;
  const char *n = xl_local(name);
  if (strcmp(n, "si") == 0) {
    x->in_si = 1;
    buf_reset(&x->val);
  } else if (strcmp(n, "rPh") == 0) x->in_rph = 1;
  else if (strcmp(n, "t") == 0 && x->in_si && !x->in_rph) x->in_t = 1;
}

static void xl_text(void *ud, const XML_Char *s, int len) {
  Xlsx *x = ud;
  if (!(x->in_t || x->in_v) || x->rc) return;
  int rc = buf_append(&x->val, s, (size_t)len);
  if (rc == HZ_ETOOBIG)
    x->rc = hz_fail(x->e, HZ_ETOOBIG, "file", "%s中 %s 的一个单元格超过 %zu 字节", table_display_name(x->t),
                    x->part, x->t->opts.max_row_bytes);
  else if (rc) xl_oom(x);
  if (x->rc) xl_abort(x);
}

static void xl_sst_end(void *ud, const XML_Char *name) {
  Xlsx *x = ud;
  const char *n = xl_local(name);
  if (x->rc) return;
  if (strcmp(n, "t") == 0) x->in_t = 0;
  else if (strcmp(n, "rPh") == 0) x->in_rph = 0;
  else if (strcmp(n, "si") == 0) {
    x->in_si = 0;
    if (x->nsst == x->sst_cap) {
      size_t cap = x->sst_cap ? x->sst_cap * 2 : 1024;
      size_t *p = realloc(x->sst_off, cap * sizeof *p);
      if (!p) {
        xl_oom(x);
        xl_abort(x);
        return;
      }
      x->sst_off = p;
      x->sst_cap = cap;
    }
    size_t len = x->val.len;
    if (len) xl_unescape(x->val.data, &len);
    x->sst_off[x->nsst++] = x->sst.len;
    int rc = buf_append(&x->sst, len ? x->val.data : "", len);
    if (!rc) rc = buf_append(&x->sst, "", 1);
    if (rc == HZ_ETOOBIG)
      x->rc = hz_fail(x->e, HZ_ETOOBIG, "file", "%s的共享字符串超过 %zu 字节，无法读取",
                      table_display_name(x->t), x->t->opts.max_shared_bytes);
    else if (rc) xl_oom(x);
    if (x->rc) xl_abort(x);
  }
}

/* ---- styles: which cell formats show a number as a date or time ---- */

/* Built-in number formats that are dates or times, including the ones Chinese and
 * Japanese Excel number 27-36 and 50-58. */
static unsigned char xl_builtin_kind(unsigned id) {
  if ((id >= 14 && id <= 17) || (id >= 27 && id <= 31) || id == 36 || (id >= 50 && id <= 54) || id == 57 || id == 58)
    return XF_DATE;
  if ((id >= 18 && id <= 21) || (id >= 32 && id <= 35) || (id >= 45 && id <= 47) || id == 55 || id == 56)
    return XF_TIME;
  if (id == 22) return XF_DATETIME;
  return XF_PLAIN;
}

/* A custom format code's kind: its first section with quoted text, escapes, fills,
 * paddings and [colour/locale] brackets taken out; y or d means a date, h or s a time, and
 * m is months unless it stands with h or s. */
static unsigned char xl_code_kind(const char *code) {
  int y = 0, d = 0, m = 0, h = 0, s = 0;
  for (const char *p = code; *p && *p != ';'; p++) {
    char c = *p;
    if (c == '"') {
      p++;
      while (*p && *p != '"') p++;
      if (!*p) break;
    } else if (c == '\\' || c == '_' || c == '*') {
      if (!p[1]) break;
      p++;
    } else if (c == '[') {
      const char *q = p + 1;
      if (*q == 'h' || *q == 'H') h = 1;
      else if ((*q == 'm' || *q == 'M') && (q[1] == 'm' || q[1] == 'M' || q[1] == ']')) h = 1;
      else if (*q == 's' || *q == 'S') s = 1;
      while (*p && *p != ']') p++;
      if (!*p) break;
    } else if (strncasecmp(p, "AM/PM", 5) == 0) {
      h = 1;
      p += 4;
    } else if (strncasecmp(p, "A/P", 3) == 0) {
      h = 1;
      p += 2;
    } else if (c == 'y' || c == 'Y' || c == 'e') y = 1;
    else if (c == 'd' || c == 'D') d = 1;
    else if (c == 'm' || c == 'M') m = 1;
    else if (c == 'h' || c == 'H') h = 1;
    else if (c == 's' || c == 'S') s = 1;
  }
  int date = y || d || (m && !h && !s), time = h || s;
  return date && time ? XF_DATETIME : date ? XF_DATE : time ? XF_TIME : XF_PLAIN;
}

static void xl_styles_start(void *ud, const XML_Char *name, const XML_Char **atts) {
  Xlsx *x = ud;
  const char *n = xl_local(name);
  if (x->rc) return;
  if (strcmp(n, "numFmts") == 0) x->in_numfmts = 1;
  else if (strcmp(n, "cellXfs") == 0) x->in_cellxfs = 1;
  else if (strcmp(n, "numFmt") == 0 && x->in_numfmts) {
    const char *id = xl_attr(atts, "numFmtId"), *code = xl_attr(atts, "formatCode");
    if (!id || !code) return;
    XlsxFmt *f = realloc(x->fmts, (x->nfmts + 1) * sizeof *f);
    if (!f) {
      xl_oom(x);
      xl_abort(x);
      return;
    }
    x->fmts = f;
    x->fmts[x->nfmts].id = (unsigned)strtoul(id, NULL, 10);
    x->fmts[x->nfmts].kind = xl_code_kind(code);
    x->nfmts++;
  } else if (strcmp(n, "xf") == 0 && x->in_cellxfs) {
    const char *id = xl_attr(atts, "numFmtId");
    unsigned fid = id ? (unsigned)strtoul(id, NULL, 10) : 0;
    unsigned char kind = xl_builtin_kind(fid);
    for (size_t i = 0; i < x->nfmts; i++)
      if (x->fmts[i].id == fid) kind = x->fmts[i].kind;
    if (x->nxf == x->xf_cap) {
      size_t cap = x->xf_cap ? x->xf_cap * 2 : 64;
      unsigned char *k = realloc(x->xf_kind, cap);
      if (!k) {
        xl_oom(x);
        xl_abort(x);
        return;
      }
      x->xf_kind = k;
      x->xf_cap = cap;
    }
    x->xf_kind[x->nxf++] = kind;
  }
}

static void xl_styles_end(void *ud, const XML_Char *name) {
  Xlsx *x = ud;
  const char *n = xl_local(name);
  if (strcmp(n, "numFmts") == 0) x->in_numfmts = 0;
  else if (strcmp(n, "cellXfs") == 0) x->in_cellxfs = 0;
}

/* ---- merged cells: found by a byte scan of the sheet before the rows are read ---- */

/* "A1:C2" -> rows 1..2; 0 when it is no range. */
static int xl_parse_ref(const char *s, size_t *col, uint32_t *row) {
  size_t c = 0;
  int letters = 0;
  while (*s >= 'A' && *s <= 'Z') c = c * 26 + (size_t)(*s++ - 'A' + 1), letters++;
  if (!letters || letters > 3) return 0;
  uint64_t r = 0;
  int digits = 0;
  while (*s >= '0' && *s <= '9' && digits < 8) r = r * 10 + (uint64_t)(*s++ - '0'), digits++;
  if (!digits || r == 0 || r > 1048576 || c > TABLE_MAX_COLS || (*s && *s != ':')) return 0;
  *col = c - 1;
  *row = (uint32_t)r;
  return 1;
}

static int xl_merges_from(Xlsx *x, const char *tail) {
  for (const char *p = tail; (p = strstr(p, "mergeCell")); p += 9) {
    if (p == tail || (p[-1] != '<' && p[-1] != ':') || p[9] == 's') continue;
    const char *end = strchr(p, '>');
    if (!end) break;
    const char *ref = strstr(p, "ref=");
    if (!ref || ref > end || (ref[4] != '"' && ref[4] != '\'')) continue;
    char q = ref[4];
    const char *v = ref + 5, *ve = strchr(v, q);
    if (!ve || ve > end || (size_t)(ve - v) >= sizeof x->merges[0].ref) continue;
    XlsxMerge m = {0};
    memcpy(m.ref, v, (size_t)(ve - v));
    size_t c1, c2;
    const char *colon = strchr(m.ref, ':');
    if (!colon || !xl_parse_ref(m.ref, &c1, &m.r1) || !xl_parse_ref(colon + 1, &c2, &m.r2)) continue;
    XlsxMerge *a = realloc(x->merges, (x->nmerges + 1) * sizeof *a);
    if (!a) return xl_oom(x);
    x->merges = a;
    x->merges[x->nmerges++] = m;
  }
  return HZ_OK;
}

static int xl_scan_merges(Xlsx *x, zip_uint64_t idx) {
  int rc = HZ_OK;
  enum { KEEP = 32 };
  char *win = malloc(XLSX_CHUNK + KEEP + 1);
  Buf tail;
  buf_init(&tail, XLSX_TAIL_MAX);
  zip_file_t *zf = zip_fopen_index(x->za, idx, 0);
  if (!zf) {
    rc = xl_zip_error(x, zip_get_error(x->za));
    goto done;
  }
  if (!win) {
    rc = xl_oom(x);
    goto done;
  }
  size_t keep = 0;
  int collecting = 0;
  for (;;) {
    zip_int64_t n = zip_fread(zf, win + keep, XLSX_CHUNK);
    if (n < 0) {
      rc = xl_zip_error(x, zip_file_get_error(zf));
      goto done;
    }
    if (n == 0) break;
    size_t have = keep + (size_t)n;
    win[have] = 0;
    if (collecting) {
      rc = buf_append(&tail, win + keep, (size_t)n);
    } else {
      /* "mergeCells" comes after the rows; from its tag on, keep the rest. A NUL in the
       * text would stop strstr early: memmem does not care. */
      const char *hit = win;
      while ((hit = memmem(hit, have - (size_t)(hit - win), "mergeCells", 10))) {
        const char *lt = hit; /* a tag only: '<' then perhaps a namespace prefix and ':' */
        if (lt > win && lt[-1] == ':')
          for (lt--; lt > win && (isalnum((unsigned char)lt[-1]) || lt[-1] == '_'); lt--) {}
        if (lt > win && lt[-1] == '<') {
          collecting = 1;
          rc = buf_append(&tail, lt - 1, have - (size_t)(lt - 1 - win));
          break;
        }
        hit += 10;
      }
    }
    if (rc == HZ_ETOOBIG) { /* an enormous tail: merges past the limit are not checked */
      rc = HZ_OK;
      break;
    }
    if (rc) {
      rc = xl_oom(x);
      goto done;
    }
    keep = have < KEEP ? have : KEEP;
    memmove(win, win + have - keep, keep);
  }
  if (tail.len) rc = xl_merges_from(x, tail.data);
done:
  if (zf) zip_fclose(zf);
  free(win);
  buf_free(&tail);
  return rc;
}

/* ---- the sheet stream ---- */

static int xl_cell_text(Xlsx *x, const char *s, size_t n) {
  int rc = table_cell_begin(x->t, x->col, x->e);
  if (!rc) rc = table_cell_append(x->t, s, n, x->e);
  if (!rc) rc = table_cell_end(x->t, x->e);
  return rc;
}

/* Excel's serial day number as text: date, date and time, or time. */
static void xl_serial(double v, unsigned char kind, int date1904, char *out, size_t n) {
  double whole = floor(v);
  long secs = lround((v - whole) * 86400.0);
  long days = (long)whole;
  if (secs >= 86400) days++, secs -= 86400;
  char date[DATE_LEN];
  if (date1904) date_format((int)(days - 24107), date);
  else if (days == 60) snprintf(date, sizeof date, "1900-02-29"); /* Excel's Lotus day */
  else date_format((int)(days < 60 ? days - 25568 : days - 25569), date);
  char time[48];
  snprintf(time, sizeof time, "%02ld:%02ld:%02ld", secs / 3600, secs / 60 % 60, secs % 60);
  if (kind == XF_TIME && days == 0) snprintf(out, n, "%s", time);
  else if (kind == XF_DATE || secs == 0) snprintf(out, n, "%s", date);
  else snprintf(out, n, "%s %s", date, time);
}

/* A number as Excel shows it: integers digit for digit, the rest to 15 significant
 * digits (so 0.1+0.2 stored as 0.30000000000000004 reads 0.3). */
static void xl_number(const char *v, char *out, size_t n) {
  const char *p = v + (*v == '-');
  if (*p && strspn(p, "0123456789") == strlen(p) && strlen(v) < n) {
    snprintf(out, n, "%s", v);
    return;
  }
  char *end;
  double d = strtod(v, &end);
  if (end == v || *end || !isfinite(d)) {
    snprintf(out, n, "%s", v);
    return;
  }
  if (d == 0) d = 0; /* no "-0" */
  snprintf(out, n, "%.15g", d);
}

static void xl_sheet_start(void *ud, const XML_Char *name, const XML_Char **atts) {
  Xlsx *x = ud;
  if (x->rc) return;
  const char *n = xl_local(name);
  switch (n[0]) {
  case 'r':
    if (strcmp(n, "row") == 0) {
      const char *r = xl_attr(atts, "r");
      uint32_t line = x->rowno + 1;
      if (r) {
        char *end;
        unsigned long v = strtoul(r, &end, 10);
        if (*end || v == 0 || v > 1048576) {
          x->rc = xl_damaged(x, "行号无效");
          xl_abort(x);
          return;
        }
        line = (uint32_t)v;
      }
      /* Rows come in ascending order (ECMA-376, and Excel refuses others): a number that
       * goes back or repeats would give two rows the same line in messages and reports. */
      if (line <= x->rowno || line > 1048576) {
        char what[96];
        snprintf(what, sizeof what, "第 %u 行出现在第 %u 行之后，行号须从小到大", (unsigned)line, (unsigned)x->rowno);
        x->rc = xl_damaged(x, line > 1048576 ? "行号无效" : what);
        xl_abort(x);
        return;
      }
      x->rowno = line;
      x->next_col = 0;
      table_row_begin(x->t, line);
    } else if (strcmp(n, "rPh") == 0) x->in_rph = 1;
    break;
  case 'c':
    if (n[1] == 0) {
      const char *r = xl_attr(atts, "r"), *ty = xl_attr(atts, "t"), *s = xl_attr(atts, "s");
      x->col = x->next_col;
      if (r) {
        uint32_t row;
        if (!xl_parse_ref(r, &x->col, &row)) {
          char what[96];
          snprintf(what, sizeof what, "单元格引用“%.40s”无效", r);
          x->rc = xl_damaged(x, what);
          xl_abort(x);
          return;
        }
      }
      snprintf(x->ctype, sizeof x->ctype, "%s", ty ? ty : "n");
      x->cstyle = s ? (size_t)strtoul(s, NULL, 10) : 0;
      x->has_v = x->has_f = 0;
      x->in_c = 1;
      buf_reset(&x->val);
    }
    break;
  case 'v':
    if (n[1] == 0 && x->in_c) x->in_v = 1, x->has_v = 1;
    break;
  case 'f':
    if (n[1] == 0 && x->in_c) x->has_f = 1;
    break;
  case 'i':
    if (strcmp(n, "is") == 0 && x->in_c) x->in_is = 1, x->has_v = 1;
    break;
  case 't':
    if (n[1] == 0 && x->in_is && !x->in_rph) x->in_t = 1;
    break;
  }
}

static void xl_cell_end(Xlsx *x) {
  char num[64];
  const char *ty = x->ctype;
  const char *s = x->val.data ? x->val.data : "";
  size_t len = x->val.len;
  /* no cached value: no <v>, or an empty one where only a text result may be empty
   * (openpyxl writes <f>..</f><v/>) */
  int uncached = !x->has_v || (!len && strcmp(ty, "str") != 0 && strcmp(ty, "inlineStr") != 0);
  if (uncached) {
    if (x->has_f) {
      char ref[16];
      cell_ref(x->col, x->rowno, ref, sizeof ref);
      x->rc = hz_fail(x->e, HZ_EINVAL, ref,
                      "%s的单元格 %s 是公式，但文件里没有它的计算结果（可能由程序生成、从未计算过）："
                      "请在 Excel/WPS 中打开、保存后再导入", table_display_name(x->t), ref);
      xl_abort(x);
    }
    return; /* an empty cell (perhaps only a style) */
  }
  if (strcmp(ty, "s") == 0) {
    char *end;
    unsigned long i = strtoul(s, &end, 10);
    if (end == s || *end || i >= x->nsst) {
      char what[96];
      snprintf(what, sizeof what, "单元格引用了不存在的共享字符串 %.20s", s);
      x->rc = xl_damaged(x, what);
      xl_abort(x);
      return;
    }
    s = x->sst.data + x->sst_off[i];
    len = strlen(s);
  } else if (strcmp(ty, "inlineStr") == 0 || strcmp(ty, "str") == 0) {
    if (len) xl_unescape(x->val.data, &len);
  } else if (strcmp(ty, "b") == 0) {
    s = strcmp(s, "1") == 0 || strcmp(s, "true") == 0 ? "TRUE" : "FALSE";
    len = strlen(s);
  } else if (strcmp(ty, "e") == 0) {
  } else if (strcmp(ty, "d") == 0) { /* ISO 8601 in the cell: the day, with a time if any */
    snprintf(num, sizeof num, "%.19s", s);
    if (strlen(num) == 19 && num[10] == 'T') num[10] = ' ';
    if (strlen(num) == 19 && strcmp(num + 10, " 00:00:00") == 0) num[10] = 0;
    s = num;
    len = strlen(s);
  } else if (len) { /* a number */
    unsigned char kind = x->cstyle < x->nxf ? x->xf_kind[x->cstyle] : XF_PLAIN;
    char *end;
    double d = strtod(s, &end);
    if (kind != XF_PLAIN && !*end && d >= 0 && d < 2958466) xl_serial(d, kind, x->date1904, num, sizeof num);
    else xl_number(s, num, sizeof num);
    s = num;
    len = strlen(s);
  }
  if (len && (x->rc = xl_cell_text(x, s, len))) xl_abort(x);
}

static void xl_sheet_end(void *ud, const XML_Char *name) {
  Xlsx *x = ud;
  if (x->rc) return;
  const char *n = xl_local(name);
  if (n[1] == 0 && (n[0] == 'v' || n[0] == 't')) x->in_v = x->in_t = 0;
  else if (strcmp(n, "is") == 0) x->in_is = 0;
  else if (strcmp(n, "rPh") == 0) x->in_rph = 0;
  else if (n[0] == 'c' && n[1] == 0) {
    x->in_c = 0;
    xl_cell_end(x);
    x->next_col = x->col + 1;
  } else if (strcmp(n, "row") == 0) {
    int blank;
    if ((x->rc = table_row_end(x->t, &blank, x->e))) xl_abort(x);
    else if (!blank) XML_StopParser(x->p, XML_TRUE); /* hand this row out; resumed next call */
  }
}

static int xl_check_header_merges(Xlsx *x) {
  uint32_t line = x->t->row.line;
  for (size_t i = 0; i < x->nmerges; i++)
    if (x->merges[i].r1 <= line && line <= x->merges[i].r2)
      return hz_fail(x->e, HZ_EINVAL, x->merges[i].ref,
                     "%s的表头（第 %u 行）有合并单元格 %s：请取消合并，让表头每列一个标题，"
                     "标题行之上不要放大标题", table_display_name(x->t), (unsigned)line, x->merges[i].ref);
  return HZ_OK;
}

static int xl_read_row(Table *t, int *got, HzErr *e) {
  Xlsx *x = t->impl;
  x->e = e;
  *got = 0;
  if (x->rc) return x->rc;
  for (;;) {
    enum XML_Status st;
    if (x->suspended) {
      x->suspended = 0;
      st = XML_ResumeParser(x->p);
    } else {
      if (x->input_done) return HZ_OK;
      void *b = XML_GetBuffer(x->p, XLSX_CHUNK);
      if (!b) return xl_oom(x);
      zip_int64_t n = zip_fread(x->zf, b, XLSX_CHUNK);
      if (n < 0) return x->rc = xl_zip_error(x, zip_file_get_error(x->zf));
      t->done += (uint64_t)n;
      if (n == 0) x->input_done = 1;
      st = XML_ParseBuffer(x->p, (int)n, n == 0);
    }
    if (st == XML_STATUS_ERROR) return xl_xml_error(x, x->p);
    if (st == XML_STATUS_SUSPENDED) {
      x->suspended = 1;
      *got = 1;
      if (!t->header_done || t->width == 0) {
        /* the first row out is the header: no merged cells may touch it */
        if (!t->width && (x->rc = xl_check_header_merges(x))) return x->rc;
      }
      return HZ_OK;
    }
    if (x->input_done) return HZ_OK;
  }
}

static void xl_free(Table *t) {
  Xlsx *x = t->impl;
  if (!x) return;
  if (x->p) XML_ParserFree(x->p);
  if (x->zf) zip_fclose(x->zf);
  if (x->za) zip_discard(x->za);
  xl_rels_free(x);
  for (size_t i = 0; i < x->nsheets; i++) free(x->sheets[i].name), free(x->sheets[i].rid), free(x->sheets[i].state);
  free(x->sheets);
  buf_free(&x->sst);
  free(x->sst_off);
  free(x->fmts);
  free(x->xf_kind);
  free(x->merges);
  free(x->sheet_part);
  buf_free(&x->val);
  free(x);
  t->impl = NULL;
}

static int xl_open_zip(Table *t, Xlsx *x, HzErr *e) {
  zip_error_t ze;
  zip_error_init(&ze);
  zip_source_t *src = t->fp ? zip_source_filep_create(t->fp, 0, -1, &ze)
                            : zip_source_buffer_create(t->mem, t->memlen, 0, &ze);
  if (!src) {
    zip_error_fini(&ze);
    return hz_fail(e, HZ_ENOMEM, NULL, "内存不足");
  }
  t->fp = NULL; /* the source owns the FILE now */
  x->za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
  if (!x->za) {
    zip_source_free(src);
    int code = zip_error_code_zip(&ze);
    int rc = code == ZIP_ER_MEMORY ? hz_fail(e, HZ_ENOMEM, NULL, "内存不足")
             : code == ZIP_ER_READ   ? hz_fail(e, HZ_EIO, "file", "读取%s失败", table_display_name(t))
                                     : xl_damaged(x, zip_error_strerror(&ze));
    zip_error_fini(&ze);
    return rc;
  }
  zip_error_fini(&ze);
  return HZ_OK;
}

/* An OpenDocument spreadsheet (.ods) is a zip too; say what it is. */
static int xl_not_workbook(Table *t, Xlsx *x, HzErr *e) {
  zip_int64_t idx = zip_name_locate(x->za, "mimetype", 0);
  if (idx >= 0) {
    char mt[80] = {0};
    zip_file_t *zf = zip_fopen_index(x->za, (zip_uint64_t)idx, 0);
    if (zf) {
      zip_fread(zf, mt, sizeof mt - 1);
      zip_fclose(zf);
    }
    if (strstr(mt, "opendocument.spreadsheet"))
      return hz_fail(e, HZ_EMEDIA, "file", "%s是 OpenDocument 表格（.ods）：请另存为 Excel 工作簿（.xlsx）后再导入",
                     table_display_name(t));
  }
  return hz_fail(e, HZ_EMEDIA, "file", "%s是 zip 文件，但里面没有 Excel 工作簿（不是 .xlsx）", table_display_name(t));
}

static int xl_choose_sheet(Table *t, Xlsx *x, const char *want, const char *wb_part, HzErr *e) {
  const XlsxSheet *pick = NULL;
  const XlsxRel *rel = NULL;
  for (size_t i = 0; i < x->nsheets && !pick; i++) {
    const XlsxSheet *s = &x->sheets[i];
    const XlsxRel *r = NULL;
    for (size_t k = 0; k < x->nrels; k++)
      if (strcmp(x->rels[k].id, s->rid) == 0) r = &x->rels[k];
    int worksheet = r && strlen(r->type) >= 10 && strcmp(r->type + strlen(r->type) - 10, "/worksheet") == 0;
    if (want) {
      if (strcmp(s->name, want) != 0) continue;
      if (!worksheet)
        return hz_fail(e, HZ_EINVAL, "sheet", "%s中的“%s”不是数据工作表（可能是图表）", table_display_name(t), want);
    } else if (!worksheet || strcmp(s->state, "visible") != 0) {
      continue;
    }
    pick = s;
    rel = r;
  }
  if (!pick) {
    Buf names;
    buf_init(&names, 400);
    for (size_t i = 0; i < x->nsheets; i++)
      if (buf_printf(&names, "%s“%s”", i ? "、" : "", x->sheets[i].name)) break;
    int rc;
    if (want)
      rc = hz_fail(e, HZ_EINVAL, "sheet", "%s中没有名为“%s”的工作表（有：%s）", table_display_name(t), want,
                   names.data ? names.data : "无");
    else
      rc = hz_fail(e, HZ_EINVAL, "sheet", "%s中没有可读取的数据工作表", table_display_name(t));
    buf_free(&names);
    return rc;
  }
  free(t->sheet_name);
  t->sheet_name = strdup(pick->name);
  x->sheet_part = xl_resolve(wb_part, rel->target);
  if (!t->sheet_name || !x->sheet_part) return hz_fail(e, HZ_ENOMEM, NULL, "内存不足");
  return HZ_OK;
}

int table_xlsx_open(Table *t, HzErr *e) {
  int rc = HZ_OK;
  char *wb_part = NULL, *part = NULL, *want = t->sheet_name;
  t->sheet_name = NULL;
  Xlsx *x = calloc(1, sizeof *x);
  if (!x) {
    rc = hz_fail(e, HZ_ENOMEM, NULL, "内存不足");
    goto done;
  }
  t->impl = x;
  t->free_impl = xl_free;
  t->read_row = xl_read_row;
  x->t = t;
  x->e = e;
  buf_init(&x->sst, t->opts.max_shared_bytes);
  buf_init(&x->val, t->opts.max_row_bytes);
  if ((rc = xl_open_zip(t, x, e))) goto done;

  /* the package's relationships name the workbook part */
  if ((rc = xl_load_rels(x, ""))) goto done;
  const XlsxRel *doc = xl_rel_by_type(x, "/officeDocument");
  wb_part = xl_resolve("", doc ? doc->target : "xl/workbook.xml");
  if (!wb_part) {
    rc = xl_oom(x);
    goto done;
  }
  rc = xl_parse_part(x, wb_part, xl_wb_start, NULL, NULL);
  if (rc == HZ_ENOTFOUND) rc = xl_not_workbook(t, x, e);
  if (rc) goto done;
  if ((rc = xl_load_rels(x, wb_part))) goto done;
  if ((rc = xl_choose_sheet(t, x, want, wb_part, e))) goto done;

  const XlsxRel *r = xl_rel_by_type(x, "/sharedStrings");
  if (r) {
    if (!(part = xl_resolve(wb_part, r->target))) {
      rc = xl_oom(x);
      goto done;
    }
    rc = xl_parse_part(x, part, xl_sst_start, xl_sst_end, xl_text);
    if (rc == HZ_ENOTFOUND) rc = HZ_OK;
    if (rc) goto done;
    free(part);
    part = NULL;
  }
  x->in_t = x->in_rph = 0;
  if ((r = xl_rel_by_type(x, "/styles"))) {
    if (!(part = xl_resolve(wb_part, r->target))) {
      rc = xl_oom(x);
      goto done;
    }
    rc = xl_parse_part(x, part, xl_styles_start, xl_styles_end, NULL);
    if (rc == HZ_ENOTFOUND) rc = HZ_OK;
    if (rc) goto done;
  }

  x->part = x->sheet_part;
  zip_int64_t idx = zip_name_locate(x->za, x->sheet_part, ZIP_FL_NOCASE);
  if (idx < 0) {
    char what[200];
    snprintf(what, sizeof what, "工作表“%s”的数据 %s 不在文件里", t->sheet_name, x->sheet_part);
    utf8_trim_partial(what); /* a long part name cuts the sentence, maybe inside a character */
    rc = xl_damaged(x, what);
    goto done;
  }
  zip_stat_t st;
  if (zip_stat_index(x->za, (zip_uint64_t)idx, 0, &st) == 0 && (st.valid & ZIP_STAT_SIZE)) t->total = st.size;
  t->done = 0;
  if ((rc = xl_scan_merges(x, (zip_uint64_t)idx))) goto done;
  if (!(x->zf = zip_fopen_index(x->za, (zip_uint64_t)idx, 0))) {
    rc = xl_zip_error(x, zip_get_error(x->za));
    goto done;
  }
  if (!(x->p = xl_parser(x, xl_sheet_start, xl_sheet_end, xl_text))) rc = xl_oom(x);
done:
  free(want);
  free(wb_part);
  free(part);
  if (x) x->rc = HZ_OK;
  return rc;
}
