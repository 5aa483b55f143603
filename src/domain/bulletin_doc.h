/* The bulletin as a document (R-OUT-2): one assembled structure, read by the three
 * renderers, so the HTML print page, the PDF and the XLSX always say the same thing.
 *
 * bulletin_doc_build turns a stored bulletin (its frozen content, its texts) into a
 * BulletinDoc: the masthead fields and a list of blocks (headings, paragraphs, tables
 * with typed cells, numbered lists with a tabular form for the workbook). Then:
 *   bulletin_doc_html  — the printable official-circular page (every text escaped);
 *   bulletin_doc_pdf   — the same circular as a PDF (io/pdf: cairo + pango, Noto CJK);
 *   bulletin_doc_xlsx  — the tables, one sheet each, and a sheet about the bulletin. */
#ifndef HZ_BULLETIN_DOC_H
#define HZ_BULLETIN_DOC_H
#include <jansson.h>
#include <stddef.h>
#include "io/cell.h"
#include "util/err.h"

typedef enum { BD_HEADING = 1, BD_SUBHEADING, BD_PARAGRAPH, BD_TABLE, BD_LIST } BdKind;

typedef struct {
  const char *label;      /* as the page shows it */
  const char *xlsx_label; /* the workbook's header when it differs (units moved there), or NULL */
  const char *suffix;     /* after a number on the page ("%"), or NULL */
  double share;           /* relative width on the page */
  int left;               /* left-aligned text */
} BdColumn;

typedef struct {
  BdKind kind;
  const char *text;     /* heading and paragraph text */
  const char *sheet;    /* table or list: the workbook sheet it becomes, or NULL */
  /* A table, or a list's tabular form (for the workbook): nrows * ncols cells, row by
   * row; shown[] the same cells as text as the page shows them. */
  const BdColumn *cols;
  size_t ncols, nrows;
  Cell *cells;
  const char **shown;
  /* A list: nitems sentences; none means the page says "无。". */
  const char **items;
  size_t nitems;
} BdBlock;

typedef struct {
  int draft;
  long long number;
  const char *masthead;  /* the red masthead's text */
  const char *number_text; /* 第N期 */
  const char *title, *issuer, *date; /* date as a circular writes it: 2026年9月29日 */
  const char *date_iso;  /* published_on, or period_end for a draft */
  const char *period_start, *period_end, *sha256;
  /* A published bulletin's witness of the audit chain (R-SEC-4): "审计链：发布时共 N 条记录，
   * 链头 <16 hex>", or NULL (a draft, or published before bulletins printed it). */
  const char *audit_witness;
  BdBlock *blocks;
  size_t nblocks, cap;
  /* what the document owns */
  json_t *bulletin;
  char **pool;
  size_t npool, poolcap;
  int oom;
} BulletinDoc;

/* Builds the document of a stored bulletin (as record_read returns it). *out is freed
 * with bulletin_doc_free. HZ_ENOMEM only. */
int bulletin_doc_build(json_t *bulletin, BulletinDoc **out, HzErr *e);
void bulletin_doc_free(BulletinDoc *d);

/* The renderers: *data malloc'd (caller frees), *len bytes. */
int bulletin_doc_html(const BulletinDoc *d, char **html, HzErr *e);
int bulletin_doc_pdf(const BulletinDoc *d, char **data, size_t *len, HzErr *e);
/* The workbook is written through a temporary file in tmpdir (NULL: the system's). */
int bulletin_doc_xlsx(const BulletinDoc *d, const char *tmpdir, char **data, size_t *len, HzErr *e);
/* The file name a download gets: 通报第N期.pdf (草稿: 通报第N期（草稿）.pdf). Caller frees. */
char *bulletin_doc_filename(const BulletinDoc *d, const char *ext);

#endif
