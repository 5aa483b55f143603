/* A small document layer over cairo + pango (PangoCairo) that lays out official-document
 * PDFs on A4: a red masthead, a title, headings, justified paragraphs, numbered items,
 * ruled tables that break across pages with their header row repeated, a signature, and
 * "第 x 页 共 y 页" at the foot of every page. Text is set in Noto CJK (fonts-noto-cjk),
 * which cairo embeds as a subset (only the glyphs used).
 *
 *   PdfDoc *d = pdf_doc_new();
 *   pdf_doc_masthead(d, "某某通报", "第2期", "某某办公室", "2026年9月29日");
 *   pdf_doc_title(d, "…"); pdf_doc_heading(d, 1, "一、综合排名");
 *   pdf_doc_table(d, cols, 6, cells, nrows);   // cells: nrows * ncols texts, row by row
 *   rc = pdf_doc_render(d, &meta, &data, &len, &e);   // data malloc'd: caller frees
 *   pdf_doc_free(d);
 *
 * The builder copies every string it is given. A failed allocation while building is
 * remembered and reported by pdf_doc_render (HZ_ENOMEM). Rendering lays the document out
 * twice (the first pass counts the pages for the footer); it is thread-safe as long as
 * each thread renders its own PdfDoc. */
#ifndef HZ_IO_PDF_H
#define HZ_IO_PDF_H
#include <stddef.h>
#include "util/err.h"

typedef struct PdfDoc PdfDoc;

typedef struct {
  const char *label; /* header text */
  double share;      /* relative width */
  int left;          /* 1: left-aligned text; 0: centred */
} PdfColumn;

typedef struct {
  const char *title;   /* document properties; may be NULL */
  const char *author;
  const char *date;    /* YYYY-MM-DD: creation date written in the file (NULL: now) */
  const char *watermark; /* large pale text across every page (a draft); NULL = none */
} PdfMeta;

/* NULL when out of memory. Caller frees with pdf_doc_free. */
PdfDoc *pdf_doc_new(void);
void pdf_doc_free(PdfDoc *d);

/* The masthead (版头): red title, the issue number below it, then the issuing office
 * on the left and the date on the right above a red rule. */
void pdf_doc_masthead(PdfDoc *d, const char *red_title, const char *number, const char *left, const char *right);
/* A short red line of text centred above everything else (e.g. a draft's notice). */
void pdf_doc_notice(PdfDoc *d, const char *text);
/* The document title: large, bold, centred. A "\n" in it marks where to break when the
 * title needs two lines; a title that fits one line ignores it. */
void pdf_doc_title(PdfDoc *d, const char *text);
/* Level 1 (一、…: 黑体) or level 2 (（一）…: bold serif) heading, kept with what follows. */
void pdf_doc_heading(PdfDoc *d, int level, const char *text);
/* A justified body paragraph with a two-character first-line indent. */
void pdf_doc_paragraph(PdfDoc *d, const char *text);
/* A numbered item "n. text" with a hanging indent. */
void pdf_doc_item(PdfDoc *d, int n, const char *text);
/* A ruled table; cells holds nrows * ncols texts row by row ("\n" breaks a line). */
void pdf_doc_table(PdfDoc *d, const PdfColumn *cols, size_t ncols, const char *const *cells, size_t nrows);
/* The signature: the issuing office above the date, at the right. */
void pdf_doc_signature(PdfDoc *d, const char *issuer, const char *date);

/* Renders the PDF into *data (malloc'd, caller frees) of *len bytes; *pages gets the
 * page count when pages is not NULL. HZ_ENOMEM, or HZ_EIO when cairo fails. */
int pdf_doc_render(PdfDoc *d, const PdfMeta *meta, char **data, size_t *len, int *pages, HzErr *e);

#endif
