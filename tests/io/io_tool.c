/* A small driver of src/io for the independent-reader check (check_openpyxl.py):
 *   io_tool sample OUT.xlsx OUT.csv   writes the same known table as XLSX and as CSV
 *   io_tool dump FILE [SHEET]         prints the header and rows as JSON lines
 * Errors go to stdout as {"error": rc, "message": ...} with exit status 1. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include "io/csv_write.h"
#include "io/table.h"
#include "io/xlsx_write.h"

static int fail(HzErr *e) {
  json_t *j = json_pack("{s:s, s:s}", "error", hz_rc_code(e->rc), "message", e->message);
  char *s = json_dumps(j, JSON_ENSURE_ASCII);
  printf("%s\n", s);
  free(s);
  json_decref(j);
  hz_err_clear(e);
  return 1;
}

static int sample(const char *xlsx, const char *csv) {
  HzErr e = {0};
  XlsxWriter *w;
  CsvWriter *c;
  XlsxWriteOpts o = {.sheet = "项目清单"};
  if (xlsx_write_open(xlsx, &o, &w, &e) || csv_write_new_file(csv, &c, &e)) return fail(&e);
  const char *head[] = {"项目名称", "阶段", "投资额（万元）", "数量", "所属单位"};
  xlsx_write_header(w, head, 5, &e);
  csv_write_texts(c, head, 5, &e);
  const char *stages[] = {"签约", "开工", "投产"};
  xlsx_write_list(w, 1, stages, 3, &e);
  char units[60][32];
  const char *unit_ptrs[60];
  for (int i = 0; i < 60; i++) {
    snprintf(units[i], sizeof units[i], "第%d开发区管委会", i + 1);
    unit_ptrs[i] = units[i];
  }
  xlsx_write_list(w, 4, unit_ptrs, 60, &e);
  const char *names[] = {"新能源电池项目", "=1+1", "-负", "+86", "@SUM(A1)", "\t制表", "两\n行"};
  for (int i = 0; i < 7; i++) {
    Cell r[] = {{.kind = CELL_TEXT, .text = names[i]},
                {.kind = CELL_TEXT, .text = stages[i % 3], .note = i == 2 ? "阶段不在列表中" : NULL},
                {.kind = CELL_DEC, .i = 123456 + i, .scale = 2},
                {.kind = CELL_INT, .i = i == 6 ? INT64_C(1234567890123456789) : -i},
                {.kind = CELL_TEXT, .text = units[i]}};
    xlsx_write_row(w, r, 5, &e);
    csv_write_row(c, r, 5, &e);
  }
  if (e.rc) return fail(&e);
  if (xlsx_write_close(w, &e) || csv_write_close(c, &e)) return fail(&e);
  return 0;
}

static int dump(const char *path, const char *sheet) {
  HzErr e = {0};
  Table *t;
  TableRow *row;
  TableOpts o = {.sheet = sheet};
  if (table_open_path(path, &o, &t, &e)) return fail(&e);
  int rc = table_header(t, &row, &e);
  while (!rc && row) {
    json_t *cells = json_array();
    for (size_t c = 0; c < row->ncells; c++) json_array_append_new(cells, json_string(row->cells[c]));
    json_t *j = json_pack("{s:i, s:o}", "line", (json_int_t)row->line, "cells", cells);
    char *s = json_dumps(j, JSON_ENSURE_ASCII);
    printf("%s\n", s);
    free(s);
    json_decref(j);
    rc = table_next(t, &row, &e);
  }
  table_free(t);
  return rc ? fail(&e) : 0;
}

int main(int argc, char **argv) {
  if (argc == 4 && strcmp(argv[1], "sample") == 0) return sample(argv[2], argv[3]);
  if ((argc == 3 || argc == 4) && strcmp(argv[1], "dump") == 0) return dump(argv[2], argc == 4 ? argv[3] : NULL);
  fprintf(stderr, "usage: io_tool sample OUT.xlsx OUT.csv | io_tool dump FILE [SHEET]\n");
  return 2;
}
