/* One cell to write (both writers take rows of these), and the guard against formula
 * injection that both writers apply to text and both readers can undo.
 *
 * The guard: a text cell that starts with = + - @ TAB or CR would be evaluated as a formula
 * by a spreadsheet that opens a CSV (and by one that opens an XLSX saved from ours as CSV).
 * Such text is written with a single quote in front ("=1+1" -> "'=1+1"), in CSV and, so the
 * value stays the same when someone saves our XLSX as CSV, in XLSX too (libxlsxwriter writes
 * strings as strings, never formulas, so the XLSX itself was never at risk). So that the
 * guard loses nothing, text that already is quotes followed by a trigger ("'=x") gets one
 * more quote; cell_unguard removes exactly one quote from ^'+[trigger], giving back the
 * original text on import. Numbers (CELL_INT, CELL_DEC) are never guarded: "-5" as a
 * number is a number. */
#ifndef HZ_IO_CELL_H
#define HZ_IO_CELL_H
#include <stddef.h>
#include <stdint.h>

typedef enum {
  CELL_EMPTY = 0,
  CELL_TEXT,  /* text: UTF-8, NUL-terminated */
  CELL_INT,   /* integer i; XLSX writes |i| >= 10^15 as text so no digit is lost */
  CELL_DEC,   /* decimal i / 10^scale (scale 0..6), e.g. 万元 with scale 2 or 4 */
  CELL_DATE,  /* a day, text "YYYY-MM-DD": XLSX writes a date cell shown yyyy-mm-dd (read
                 back as the same text by io/table.h), CSV the text; other text as CELL_TEXT */
} CellKind;

typedef struct {
  CellKind kind;
  const char *text;   /* CELL_TEXT; borrowed */
  int64_t i;          /* CELL_INT, CELL_DEC */
  int scale;          /* CELL_DEC */
  const char *note;   /* XLSX only: when set, the cell is marked bad (red fill) with this
                         comment; used by the import error report. CSV ignores it. */
} Cell;

/* 1 when text must be guarded (it starts with quotes then = + - @ TAB CR). */
int cell_needs_guard(const char *text);
/* The text as written: text itself, or a quote then text (written into out, at most n
 * bytes; longer text is cut at n-1 bytes, so give n >= strlen(text) + 2). Returns the
 * string to write, which is text or out. */
const char *cell_guard(const char *text, char *out, size_t n);
/* Undoes cell_guard in place: removes one leading quote from ^'+[= + - @ TAB CR]. Returns s. */
char *cell_unguard(char *s);
/* Writes i / 10^scale as exact decimal text ("-12.50" for -1250, 2) into out (>= 32 bytes). */
void cell_format_dec(int64_t i, int scale, char *out, size_t n);
/* Column letters for a 0-based column (0 -> "A", 26 -> "AA") into out (>= 4 bytes). */
void cell_col_name(size_t col, char *out, size_t n);
/* "C7" for 0-based column 2 and 1-based row 7, into out (>= 16 bytes). */
void cell_ref(size_t col, uint32_t row, char *out, size_t n);
/* Display width in Excel character units: CJK and other wide characters count 2. */
size_t cell_display_width(const char *text);

#endif
