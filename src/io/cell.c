/* Cells shared by the readers and writers of io/: the formula-injection guard, decimal
 * text, A1 references, and how wide text looks in a spreadsheet column. */
#include "io/cell.h"
#include <stdio.h>
#include <string.h>

static int cell_is_trigger(char c) {
  return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

int cell_needs_guard(const char *text) {
  if (!text) return 0;
  const char *p = text;
  while (*p == '\'') p++;
  return cell_is_trigger(*p);
}

const char *cell_guard(const char *text, char *out, size_t n) {
  if (!cell_needs_guard(text) || n < 2) return text;
  out[0] = '\'';
  size_t len = strlen(text);
  if (len > n - 2) len = n - 2;
  memcpy(out + 1, text, len);
  out[len + 1] = 0;
  return out;
}

char *cell_unguard(char *s) {
  if (!s || s[0] != '\'') return s;
  const char *p = s;
  while (*p == '\'') p++;
  if (cell_is_trigger(*p)) memmove(s, s + 1, strlen(s));
  return s;
}

void cell_format_dec(int64_t i, int scale, char *out, size_t n) {
  if (scale <= 0 || scale > 18) {
    snprintf(out, n, "%lld", (long long)i);
    return;
  }
  uint64_t u = i < 0 ? (uint64_t)0 - (uint64_t)i : (uint64_t)i;
  uint64_t p10 = 1;
  for (int k = 0; k < scale; k++) p10 *= 10;
  snprintf(out, n, "%s%llu.%0*llu", i < 0 ? "-" : "", (unsigned long long)(u / p10), scale,
           (unsigned long long)(u % p10));
}

void cell_col_name(size_t col, char *out, size_t n) {
  char tmp[16];
  size_t k = 0;
  col++;
  while (col && k < sizeof tmp) {
    tmp[k++] = (char)('A' + (col - 1) % 26);
    col = (col - 1) / 26;
  }
  size_t j = 0;
  while (k && j + 1 < n) out[j++] = tmp[--k];
  if (n) out[j] = 0;
}

void cell_ref(size_t col, uint32_t row, char *out, size_t n) {
  char name[16];
  cell_col_name(col, name, sizeof name);
  snprintf(out, n, "%s%u", name, (unsigned)row);
}

/* Wide: the CJK blocks, Hangul, full-width forms, CJK punctuation (what East Asian Width
 * calls W/F, roughly); a spreadsheet draws these about twice as wide as a Latin letter. */
static int cell_cp_wide(unsigned cp) {
  return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
         (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
         (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
         (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1FAFF) ||
         (cp >= 0x20000 && cp <= 0x3FFFD);
}

size_t cell_display_width(const char *text) {
  const unsigned char *s = (const unsigned char *)text;
  size_t w = 0, line = 0;
  while (s && *s) {
    unsigned cp = *s, len = 1;
    if (cp >= 0xF0) cp &= 0x07, len = 4;
    else if (cp >= 0xE0) cp &= 0x0F, len = 3;
    else if (cp >= 0xC0) cp &= 0x1F, len = 2;
    unsigned k = 1; /* stops at a NUL or a stray byte: never reads past the string */
    for (; k < len && (s[k] & 0xC0) == 0x80; k++) cp = (cp << 6) | (s[k] & 0x3F);
    s += k;
    if (cp == '\n') { /* a multi-line cell is as wide as its widest line */
      if (line > w) w = line;
      line = 0;
      continue;
    }
    line += cell_cp_wide(cp) ? 2 : 1;
  }
  return line > w ? line : w;
}
