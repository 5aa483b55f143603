/* io/pdf: official-document PDFs over cairo + pango (see pdf.h).
 *
 * Page and type follow GB/T 9704 (党政机关公文格式) where Noto CJK allows: A4, margins
 * 37/26/35/28 mm (top/right/bottom/left), body text 16 pt (三号), the title 22 pt (二号)
 * bold serif standing in for 小标宋, level-1 headings in sans (黑体), level-2 in bold
 * serif (for 楷体), tables at 10.5 pt (五号). */
#include "io/pdf.h"
#include "util/buf.h"
#include <cairo-pdf.h>
#include <cairo.h>
#include <malloc.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MM (72.0 / 25.4)
#define PAGE_W (210 * MM)
#define PAGE_H (297 * MM)
#define M_TOP (37 * MM)
#define M_BOTTOM (35 * MM)
#define M_LEFT (28 * MM)
#define M_RIGHT (26 * MM)
#define TEXT_W (PAGE_W - M_LEFT - M_RIGHT)
#define BOTTOM (PAGE_H - M_BOTTOM)

#define SERIF "Noto Serif CJK SC"
#define SANS "Noto Sans CJK SC"
#define BODY_PT 16.0
#define TABLE_PT 10.5
#define CELL_PAD 3.5
#define RED 0.80, 0.0, 0.0

typedef enum { B_MASTHEAD = 1, B_NOTICE, B_TITLE, B_HEADING, B_PARA, B_ITEM, B_TABLE, B_SIGN } BlockKind;

typedef struct {
  BlockKind kind;
  int level;          /* heading level; item number */
  char *text[4];      /* masthead: title, number, left, right; sign: issuer, date */
  PdfColumn *cols;    /* table: labels copied */
  size_t ncols, nrows;
  char **cells;
} Block;

struct PdfDoc {
  Block *b;
  size_t n, cap;
  int oom;
};

/* The layout state of one pass. */
typedef struct {
  cairo_t *cr;
  int draw;        /* 0: the counting pass */
  int page, pages; /* current page (1-based), total (known in the drawing pass) */
  double y;
  const PdfMeta *meta;
} Pen;

PdfDoc *pdf_doc_new(void) { return calloc(1, sizeof(PdfDoc)); }

void pdf_doc_free(PdfDoc *d) {
  if (!d) return;
  for (size_t i = 0; i < d->n; i++) {
    Block *b = &d->b[i];
    for (int k = 0; k < 4; k++) free(b->text[k]);
    for (size_t c = 0; c < b->ncols; c++) free((char *)b->cols[c].label);
    free(b->cols);
    for (size_t c = 0; c < b->ncols * b->nrows; c++) free(b->cells[c]);
    free(b->cells);
  }
  free(d->b);
  free(d);
}

static char *dup(PdfDoc *d, const char *s) {
  char *p = strdup(s ? s : "");
  if (!p) d->oom = 1;
  return p;
}

static Block *add(PdfDoc *d, BlockKind kind) {
  if (d->oom) return NULL;
  if (d->n == d->cap) {
    size_t cap = d->cap ? d->cap * 2 : 32;
    Block *p = realloc(d->b, cap * sizeof *p);
    if (!p) {
      d->oom = 1;
      return NULL;
    }
    d->b = p;
    d->cap = cap;
  }
  Block *b = &d->b[d->n++];
  memset(b, 0, sizeof *b);
  b->kind = kind;
  return b;
}

void pdf_doc_masthead(PdfDoc *d, const char *red_title, const char *number, const char *left, const char *right) {
  Block *b = add(d, B_MASTHEAD);
  if (!b) return;
  b->text[0] = dup(d, red_title);
  b->text[1] = dup(d, number);
  b->text[2] = dup(d, left);
  b->text[3] = dup(d, right);
}

static void add_text(PdfDoc *d, BlockKind kind, int level, const char *text) {
  Block *b = add(d, kind);
  if (!b) return;
  b->level = level;
  b->text[0] = dup(d, text);
}

void pdf_doc_notice(PdfDoc *d, const char *text) { add_text(d, B_NOTICE, 0, text); }
void pdf_doc_title(PdfDoc *d, const char *text) { add_text(d, B_TITLE, 0, text); }
void pdf_doc_heading(PdfDoc *d, int level, const char *text) { add_text(d, B_HEADING, level, text); }
void pdf_doc_paragraph(PdfDoc *d, const char *text) { add_text(d, B_PARA, 0, text); }
void pdf_doc_item(PdfDoc *d, int n, const char *text) { add_text(d, B_ITEM, n, text); }

void pdf_doc_signature(PdfDoc *d, const char *issuer, const char *date) {
  Block *b = add(d, B_SIGN);
  if (!b) return;
  b->text[0] = dup(d, issuer);
  b->text[1] = dup(d, date);
}

void pdf_doc_table(PdfDoc *d, const PdfColumn *cols, size_t ncols, const char *const *cells, size_t nrows) {
  Block *b = add(d, B_TABLE);
  if (!b) return;
  b->cols = calloc(ncols ? ncols : 1, sizeof *b->cols);
  b->cells = calloc(ncols * nrows + 1, sizeof *b->cells);
  if (!b->cols || !b->cells) {
    d->oom = 1;
    return;
  }
  b->ncols = ncols;
  b->nrows = nrows;
  for (size_t c = 0; c < ncols; c++) {
    b->cols[c] = cols[c];
    b->cols[c].label = dup(d, cols[c].label);
  }
  for (size_t i = 0; i < ncols * nrows; i++) b->cells[i] = dup(d, cells[i]);
}

/* ---- layout ---- */

static PangoLayout *text_layout(Pen *p, const char *family, int bold, double pt, double width, PangoAlignment align,
                                const char *text) {
  PangoLayout *l = pango_cairo_create_layout(p->cr);
  PangoFontDescription *f = pango_font_description_new();
  pango_font_description_set_family(f, family);
  pango_font_description_set_weight(f, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_font_description_set_absolute_size(f, pt * PANGO_SCALE);
  pango_layout_set_font_description(l, f);
  pango_font_description_free(f);
  if (width > 0) {
    pango_layout_set_width(l, (int)(width * PANGO_SCALE));
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
  }
  pango_layout_set_alignment(l, align);
  pango_layout_set_text(l, text, -1);
  return l;
}

static double layout_height(PangoLayout *l) {
  int w, h;
  pango_layout_get_size(l, &w, &h);
  return (double)h / PANGO_SCALE;
}

static void footer(Pen *p) {
  char s[64];
  snprintf(s, sizeof s, "第 %d 页 共 %d 页", p->page, p->pages);
  PangoLayout *l = text_layout(p, SERIF, 0, 12, TEXT_W, PANGO_ALIGN_CENTER, s);
  cairo_set_source_rgb(p->cr, 0, 0, 0);
  cairo_move_to(p->cr, M_LEFT, BOTTOM + 7 * MM);
  pango_cairo_show_layout(p->cr, l);
  g_object_unref(l);
}

/* A pale word across the page, under the text (a draft). */
static void watermark(Pen *p) {
  PangoLayout *l = text_layout(p, SANS, 1, 110, 0, PANGO_ALIGN_LEFT, p->meta->watermark);
  int w, h;
  pango_layout_get_size(l, &w, &h);
  cairo_save(p->cr);
  cairo_translate(p->cr, PAGE_W / 2, PAGE_H / 2);
  cairo_rotate(p->cr, -0.6);
  cairo_move_to(p->cr, -(double)w / PANGO_SCALE / 2, -(double)h / PANGO_SCALE / 2);
  cairo_set_source_rgba(p->cr, 0.85, 0.0, 0.0, 0.10);
  pango_cairo_show_layout(p->cr, l);
  cairo_restore(p->cr);
  g_object_unref(l);
}

static void new_page(Pen *p) {
  if (p->draw && p->page) cairo_show_page(p->cr);
  p->page++;
  p->y = M_TOP;
  if (!p->draw) return;
  if (p->meta->watermark) watermark(p);
  footer(p);
}

/* Starts a new page unless h more points fit on this one. */
static int need(Pen *p, double h) {
  if (p->y + h <= BOTTOM + 0.01 || p->y <= M_TOP + 0.01) return 0;
  new_page(p);
  return 1;
}

static void show(Pen *p, PangoLayout *l, double x, double y) {
  if (!p->draw) return;
  cairo_move_to(p->cr, x, y);
  pango_cairo_show_layout(p->cr, l);
}

/* A block of text set line by line, so that a long one breaks across pages. keep: the
 * height that must follow the first line on the same page (a heading's keep-with-next). */
static void flow(Pen *p, PangoLayout *l, double x, double keep) {
  PangoLayoutIter *it = pango_layout_get_iter(l);
  int first = 1;
  do {
    int y0, y1;
    PangoRectangle ink, logical;
    pango_layout_iter_get_line_yrange(it, &y0, &y1);
    pango_layout_iter_get_line_extents(it, &ink, &logical);
    double h = (double)(y1 - y0) / PANGO_SCALE;
    need(p, h + (first ? keep : 0));
    first = 0;
    if (p->draw) {
      double base = (double)(pango_layout_iter_get_baseline(it) - y0) / PANGO_SCALE;
      cairo_move_to(p->cr, x + (double)logical.x / PANGO_SCALE, p->y + base);
      pango_cairo_show_layout_line(p->cr, pango_layout_iter_get_line_readonly(it));
    }
    p->y += h;
  } while (pango_layout_iter_next_line(it));
  pango_layout_iter_free(it);
}

static void masthead(Pen *p, Block *b) {
  /* The masthead starts higher than the text: GB/T 9704 sets it 35 mm from the top. */
  p->y = 30 * MM;
  PangoLayout *l = text_layout(p, SERIF, 1, 34, TEXT_W, PANGO_ALIGN_CENTER, b->text[0]);
  PangoAttrList *attrs = pango_attr_list_new();
  pango_attr_list_insert(attrs, pango_attr_letter_spacing_new(4 * PANGO_SCALE));
  pango_layout_set_attributes(l, attrs);
  pango_attr_list_unref(attrs);
  if (p->draw) cairo_set_source_rgb(p->cr, RED);
  show(p, l, M_LEFT, p->y);
  p->y += layout_height(l) + 4 * MM;
  g_object_unref(l);
  if (p->draw) cairo_set_source_rgb(p->cr, 0, 0, 0);
  l = text_layout(p, SERIF, 0, BODY_PT, TEXT_W, PANGO_ALIGN_CENTER, b->text[1]);
  show(p, l, M_LEFT, p->y);
  p->y += layout_height(l) + 3 * MM;
  g_object_unref(l);
  /* The issuing office one character in from the left, the date one in from the right. */
  l = text_layout(p, SERIF, 0, BODY_PT, TEXT_W - 2 * BODY_PT, PANGO_ALIGN_LEFT, b->text[2]);
  show(p, l, M_LEFT + BODY_PT, p->y);
  double h = layout_height(l);
  g_object_unref(l);
  l = text_layout(p, SERIF, 0, BODY_PT, TEXT_W - 2 * BODY_PT, PANGO_ALIGN_RIGHT, b->text[3]);
  show(p, l, M_LEFT + BODY_PT, p->y);
  g_object_unref(l);
  p->y += h + 2 * MM;
  if (p->draw) {
    cairo_set_source_rgb(p->cr, RED);
    cairo_set_line_width(p->cr, 2.0);
    cairo_move_to(p->cr, M_LEFT, p->y);
    cairo_line_to(p->cr, M_LEFT + TEXT_W, p->y);
    cairo_stroke(p->cr);
    cairo_set_source_rgb(p->cr, 0, 0, 0);
  }
  p->y += 10 * MM;
}

static void paragraph(Pen *p, const char *family, const char *text, double indent_first, double hang, double keep) {
  PangoLayout *l = text_layout(p, family, 0, BODY_PT, TEXT_W - hang, PANGO_ALIGN_LEFT, text);
  pango_layout_set_justify(l, TRUE);
  pango_layout_set_indent(l, (int)((indent_first - hang) * PANGO_SCALE));
  pango_layout_set_line_spacing(l, 1.45f);
  flow(p, l, M_LEFT + hang, keep);
  g_object_unref(l);
  p->y += 2;
}

/* Widths of the columns, in points, from their shares. */
static void col_widths(const Block *b, double *w) {
  double total = 0;
  for (size_t c = 0; c < b->ncols; c++) total += b->cols[c].share > 0 ? b->cols[c].share : 1;
  for (size_t c = 0; c < b->ncols; c++) w[c] = TEXT_W * (b->cols[c].share > 0 ? b->cols[c].share : 1) / total;
}

/* One row: measured, and drawn when draw. Returns its height. */
static double row(Pen *p, const Block *b, const double *w, const char *const *texts, int header, int draw) {
  PangoLayout *ls[32];
  size_t n = b->ncols < 32 ? b->ncols : 32;
  double h = 0;
  for (size_t c = 0; c < n; c++) {
    PangoAlignment a = header || !b->cols[c].left ? PANGO_ALIGN_CENTER : PANGO_ALIGN_LEFT;
    ls[c] = text_layout(p, SANS, header, TABLE_PT, w[c] - 2 * CELL_PAD, a, texts[c]);
    double ch = layout_height(ls[c]) + 2 * CELL_PAD;
    if (ch > h) h = ch;
  }
  double x = M_LEFT;
  for (size_t c = 0; c < n; c++) {
    if (draw && p->draw) {
      if (header) {
        cairo_set_source_rgb(p->cr, 0.93, 0.93, 0.93);
        cairo_rectangle(p->cr, x, p->y, w[c], h);
        cairo_fill(p->cr);
        cairo_set_source_rgb(p->cr, 0, 0, 0);
      }
      /* Vertically centred in the row. */
      show(p, ls[c], x + CELL_PAD, p->y + (h - layout_height(ls[c])) / 2);
      cairo_set_line_width(p->cr, 0.6);
      cairo_rectangle(p->cr, x, p->y, w[c], h);
      cairo_stroke(p->cr);
    }
    x += w[c];
    g_object_unref(ls[c]);
  }
  return h;
}

#define SHORT_TABLE 12 /* rows: a table this short is not split when a page can hold it */

/* What a table needs on the page it starts on: all of it when it is short and fits a
 * page, else its header and first row. */
static double table_start(Pen *p, const Block *b) {
  double w[32];
  if (!b->ncols || b->ncols > 32) return 0;
  col_widths(b, w);
  const char *labels[32];
  for (size_t c = 0; c < b->ncols; c++) labels[c] = b->cols[c].label;
  double h = row(p, b, w, labels, 1, 0), first = 0;
  for (size_t r = 0; r < b->nrows; r++) {
    double rh = row(p, b, w, (const char *const *)b->cells + r * b->ncols, 0, 0);
    if (!r) first = h + rh;
    h += rh;
    if (r >= SHORT_TABLE) return first;
  }
  return h <= BOTTOM - M_TOP ? h : first ? first : h;
}

static void table(Pen *p, const Block *b) {
  double w[32];
  if (!b->ncols || b->ncols > 32) return;
  col_widths(b, w);
  const char *labels[32];
  for (size_t c = 0; c < b->ncols; c++) labels[c] = b->cols[c].label;
  need(p, table_start(p, b));
  p->y += row(p, b, w, labels, 1, 1);
  for (size_t r = 0; r < b->nrows; r++) {
    const char *const *cells = (const char *const *)b->cells + r * b->ncols;
    double h = row(p, b, w, cells, 0, 0);
    /* A row never splits; the header comes again at the top of the next page. */
    if (need(p, h)) p->y += row(p, b, w, labels, 1, 1);
    p->y += row(p, b, w, cells, 0, 1);
  }
  p->y += 4 * MM;
}

/* What must follow a heading on its page: two lines of text, the start of a table, or
 * a subheading with what must follow that (next: the blocks after the heading, n of them). */
static double keep_after(Pen *p, const Block *next, size_t n) {
  if (!n) return 0;
  if (next->kind == B_TABLE) return table_start(p, next) + 1.5 * MM;
  if (next->kind == B_HEADING) return BODY_PT * 1.45 + 2.5 * MM + keep_after(p, next + 1, n - 1);
  return 2 * BODY_PT * 1.45;
}

static void heading(Pen *p, const Block *b, const Block *next, size_t n) {
  int top = b->level <= 1;
  double keep = keep_after(p, next, n);
  PangoLayout *l = text_layout(p, top ? SANS : SERIF, !top ? 1 : 0, BODY_PT, TEXT_W, PANGO_ALIGN_LEFT, b->text[0]);
  pango_layout_set_indent(l, (int)(2 * BODY_PT * PANGO_SCALE));
  p->y += top ? 3 * MM : 1 * MM;
  flow(p, l, M_LEFT, keep);
  g_object_unref(l);
  p->y += 1.5 * MM;
}

static void title(Pen *p, const Block *b) {
  /* "\n" is where the title should break if it must: a title that fits one line keeps it. */
  char *one = strdup(b->text[0]);
  if (one) {
    char *w = one;
    for (const char *r = b->text[0]; *r; r++)
      if (*r != '\n') *w++ = *r;
    *w = 0;
  }
  PangoLayout *l = text_layout(p, SERIF, 1, 22, TEXT_W - 2 * BODY_PT, PANGO_ALIGN_CENTER, one ? one : b->text[0]);
  if (pango_layout_get_line_count(l) > 1) pango_layout_set_text(l, b->text[0], -1);
  free(one);
  pango_layout_set_line_spacing(l, 1.3f);
  flow(p, l, M_LEFT + BODY_PT, 0);
  g_object_unref(l);
  p->y += 8 * MM;
}

static void notice(Pen *p, const Block *b) {
  PangoLayout *l = text_layout(p, SANS, 0, 12, TEXT_W, PANGO_ALIGN_CENTER, b->text[0]);
  if (p->draw) cairo_set_source_rgb(p->cr, RED);
  show(p, l, M_LEFT, 20 * MM);
  if (p->draw) cairo_set_source_rgb(p->cr, 0, 0, 0);
  g_object_unref(l);
}

static void signature(Pen *p, const Block *b) {
  /* The date four characters in from the right, the office centred above it. */
  PangoLayout *d = text_layout(p, SERIF, 0, BODY_PT, 0, PANGO_ALIGN_LEFT, b->text[1]);
  PangoLayout *o = text_layout(p, SERIF, 0, BODY_PT, 0, PANGO_ALIGN_LEFT, b->text[0]);
  int dw, dh, ow, oh;
  pango_layout_get_size(d, &dw, &dh);
  pango_layout_get_size(o, &ow, &oh);
  double right = M_LEFT + TEXT_W - 4 * BODY_PT, centre = right - (double)dw / PANGO_SCALE / 2;
  double h = (double)(dh + oh) / PANGO_SCALE * 1.3;
  p->y += 2 * BODY_PT;
  need(p, h);
  double ox = centre - (double)ow / PANGO_SCALE / 2;
  if (ox + (double)ow / PANGO_SCALE > M_LEFT + TEXT_W) ox = M_LEFT + TEXT_W - (double)ow / PANGO_SCALE;
  show(p, o, ox, p->y);
  p->y += (double)oh / PANGO_SCALE * 1.3;
  show(p, d, right - (double)dw / PANGO_SCALE, p->y);
  p->y += (double)dh / PANGO_SCALE;
  g_object_unref(d);
  g_object_unref(o);
}

static void lay_out(Pen *p, PdfDoc *d) {
  new_page(p);
  for (size_t i = 0; i < d->n; i++) {
    Block *b = &d->b[i];
    switch (b->kind) {
    case B_MASTHEAD: masthead(p, b); break;
    case B_NOTICE: notice(p, b); break;
    case B_TITLE: title(p, b); break;
    case B_HEADING: heading(p, b, b + 1, d->n - i - 1); break;
    case B_PARA: paragraph(p, SERIF, b->text[0], 2 * BODY_PT, 0, 0); break;
    case B_ITEM: {
      char num[16];
      /* No space after the number: justification would stretch it. */
      snprintf(num, sizeof num, "%d.", b->level);
      Buf t;
      buf_init(&t, 0);
      buf_puts(&t, num);
      buf_puts(&t, b->text[0]);
      /* Hanging: the number sticks out two characters in from the margin. */
      paragraph(p, SANS, t.data ? t.data : "", 0, 2 * BODY_PT, 0);
      buf_free(&t);
      break;
    }
    case B_TABLE: table(p, b); break;
    case B_SIGN: signature(p, b); break;
    }
  }
}

static cairo_status_t to_buf(void *closure, const unsigned char *data, unsigned int len) {
  return buf_append(closure, data, len) ? CAIRO_STATUS_NO_MEMORY : CAIRO_STATUS_SUCCESS;
}

int pdf_doc_render(PdfDoc *d, const PdfMeta *meta, char **data, size_t *len, int *pages, HzErr *e) {
  static const PdfMeta none = {0};
  *data = NULL;
  *len = 0;
  if (!d || d->oom) return hz_fail(e, HZ_ENOMEM, NULL, "内存不足");
  if (!meta) meta = &none;
  Buf out;
  buf_init(&out, 0);
  cairo_surface_t *s = cairo_pdf_surface_create_for_stream(to_buf, &out, PAGE_W, PAGE_H);
  cairo_pdf_surface_restrict_to_version(s, CAIRO_PDF_VERSION_1_5);
  if (meta->title) cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, meta->title);
  if (meta->author) cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_AUTHOR, meta->author);
  cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "huizhan");
  if (meta->date) {
    /* The same bulletin gives the same file: dated by the document, not the clock. */
    char iso[40];
    snprintf(iso, sizeof iso, "%.10sT00:00:00+08:00", meta->date);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, iso);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_MOD_DATE, iso);
  }
  cairo_t *cr = cairo_create(s);
  Pen p = {.cr = cr, .meta = meta};
  lay_out(&p, d); /* counting pass */
  p = (Pen){.cr = cr, .draw = 1, .pages = p.page, .meta = meta};
  lay_out(&p, d);
  cairo_show_page(cr);
  cairo_destroy(cr);
  cairo_surface_finish(s);
  cairo_status_t st = cairo_surface_status(s);
  cairo_surface_destroy(s);
  if (st) {
    buf_free(&out);
    return hz_fail(e, st == CAIRO_STATUS_NO_MEMORY ? HZ_ENOMEM : HZ_EIO, NULL, "生成 PDF 失败：%s",
                   cairo_status_to_string(st));
  }
  /* cairo reads each face's whole CFF table (~20 MB for Noto CJK) to subset it; hand
   * the freed memory back instead of keeping it in this thread's malloc arena. */
  malloc_trim(0);
  if (pages) *pages = p.pages;
  *len = out.len;
  *data = buf_take(&out);
  return HZ_OK;
}
